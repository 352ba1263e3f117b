//! Rules as data: the categories, the ways a rule applies, and the parsing of
//! rule files (TOML) with errors that name the file, the line and what was
//! expected. The built-in rule files in `patterns/` are embedded here.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::line_regex::LineRegex;

use serde::Deserialize;

/// What kind of boilerplate a rule finds.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Requests for money: donations, memberships, subscriptions, paywalls.
    Appeal,
    /// E-mail and alert sign-ups, "follow us", podcast subscribe prompts.
    Newsletter,
    /// Page chrome: advertisement labels, share bars, "Remind me later".
    Widget,
    /// Credits, "originally published", copyright lines, tip requests.
    Footer,
    /// "Read more:", "Related:" and the headline lists under them.
    Related,
    /// Photo, video and chart credits.
    Credit,
    /// Cookie and consent notices.
    Cookie,
}

impl Category {
    /// Does a phrase of this category ask something of the reader (to
    /// give, to sign up, to consent), rather than label or describe?
    pub fn calls_to_action(self) -> bool {
        matches!(
            self,
            Category::Appeal | Category::Newsletter | Category::Cookie
        )
    }

    /// Every category, in a stable order.
    pub const ALL: [Category; 7] = [
        Category::Appeal,
        Category::Newsletter,
        Category::Widget,
        Category::Footer,
        Category::Related,
        Category::Credit,
        Category::Cookie,
    ];

    /// The lowercase name used in rule files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Appeal => "appeal",
            Category::Newsletter => "newsletter",
            Category::Widget => "widget",
            Category::Footer => "footer",
            Category::Related => "related",
            Category::Credit => "credit",
            Category::Cookie => "cookie",
        }
    }

    /// Parses a category name.
    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The name of a kind of rule, as written in rule files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KindName {
    /// See [`RuleKind::Line`].
    Line,
    /// See [`RuleKind::Prefix`].
    Prefix,
    /// See [`RuleKind::Suffix`].
    Suffix,
    /// See [`RuleKind::Contains`].
    Contains,
    /// See [`RuleKind::Block`].
    Block,
    /// See [`RuleKind::Cue`].
    Cue,
}

impl KindName {
    /// The lowercase name used in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            KindName::Line => "line",
            KindName::Prefix => "prefix",
            KindName::Suffix => "suffix",
            KindName::Contains => "contains",
            KindName::Block => "block",
            KindName::Cue => "cue",
        }
    }
}

/// How a rule's phrases decide that a line is boilerplate, with the options
/// that only this kind can use.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum RuleKind {
    /// The whole line, ignoring bullets and final punctuation, is a phrase
    /// (or one item of a row joined by `|`, `·` or `•` whose every item is
    /// a phrase of a `line` rule or a cue).
    Line,
    /// The line starts with a phrase.
    Prefix,
    /// The line ends with a phrase.
    Suffix,
    /// A phrase stands anywhere in a line that is not too long.
    Contains,
    /// A line starting with a phrase opens a block that runs to a line with a
    /// `close` phrase, or grows through boilerplate-like lines.
    Block(BlockOptions),
    /// A weak cue: it removes a short line only next to removed lines or
    /// together with another phrase.
    Cue(CueOptions),
}

impl RuleKind {
    /// The lowercase name used in rule files.
    pub fn as_str(&self) -> &'static str {
        self.name().as_str()
    }

    /// The kind's name, without its options.
    pub fn name(&self) -> KindName {
        match self {
            RuleKind::Line => KindName::Line,
            RuleKind::Prefix => KindName::Prefix,
            RuleKind::Suffix => KindName::Suffix,
            RuleKind::Contains => KindName::Contains,
            RuleKind::Block(_) => KindName::Block,
            RuleKind::Cue(_) => KindName::Cue,
        }
    }

    /// The block's options, for a block.
    pub fn block(&self) -> Option<&BlockOptions> {
        match self {
            RuleKind::Block(options) => Some(options),
            _ => None,
        }
    }

    /// The cue's options, for a cue.
    pub fn cue(&self) -> Option<&CueOptions> {
        match self {
            RuleKind::Cue(options) => Some(options),
            _ => None,
        }
    }
}

/// Options of a `block` rule.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BlockOptions {
    /// Phrases of the line that closes the block (that line goes too).
    pub close: Vec<String>,
    /// How many lines the block may reach, opener included.
    pub max_lines: usize,
    /// Where its opening phrase stands.
    pub open: Open,
    /// Which lines it grows through without a closing line.
    pub grow: Grow,
    /// A block that grew (found no close) is a block only with at least this
    /// many lines, opener included: a list heading needs its list.
    pub min_lines: usize,
}

/// Options of a `cue` rule.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CueOptions {
    /// Its phrase must be the whole line.
    pub exact: bool,
    /// When not empty, the cue goes only next to a line removed by a rule of
    /// one of these categories (a "No thanks" under an appeal), and neither
    /// a second phrase nor a run of cues is enough.
    pub next_to: Vec<Category>,
}

/// Where a block's opening phrase must stand on its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Open {
    /// At the start of the line ("Read more: …" opens).
    #[default]
    Prefix,
    /// As the whole line ("Read more:" alone opens; "Read more: …" does not).
    Line,
    /// At the end of the line, where languages that put the adjective last
    /// say it ("Artículos relacionados", "Tópicos semelhantes").
    Suffix,
}

/// Which lines a block without a closing line grows through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Grow {
    /// None: without its closing line the block is not there at all (its
    /// opener stays too, unless another rule removes it).
    None,
    /// Boilerplate-like lines: they hold a phrase of any rule, or are short
    /// (at most 10 words and 80 characters, not ending in a full stop).
    #[default]
    Boilerplate,
    /// Also headline-like lines: at most 20 words and 160 characters, not
    /// ending in a full stop (lists of related stories).
    Headlines,
    /// Also teasers: a headline-like line may be followed by one summary
    /// line (at most 300 characters), but two summary-length lines in a
    /// row end the block (lists of related stories with their standfirsts).
    Teasers,
}

/// A rule's regular expression, compiled once: at once when it comes from
/// a file given at run time (so that a mistake is an error naming the
/// file), on first use when it is built in (most runs never need most of
/// them, and compiling all of them would be most of the start-up time).
#[derive(Debug, Clone)]
pub struct RuleRegex {
    pattern: String,
    compiled: OnceLock<Arc<LineRegex>>,
}

impl RuleRegex {
    /// Compiles an expression; the message of the error is its last line,
    /// lowercase.
    pub fn compile(pattern: &str) -> Result<RuleRegex, String> {
        let compiled = LineRegex::new(pattern)?;
        Ok(RuleRegex {
            pattern: pattern.to_string(),
            compiled: OnceLock::from(Arc::new(compiled)),
        })
    }

    /// An expression of the built-in rules or guards, compiled on first
    /// use; a test compiles every one of them.
    pub(crate) fn builtin(pattern: &str) -> RuleRegex {
        RuleRegex {
            pattern: pattern.to_string(),
            compiled: OnceLock::new(),
        }
    }

    /// Does it match `line`?
    pub fn is_match(&self, line: &str) -> bool {
        self.compiled
            .get_or_init(|| {
                Arc::new(LineRegex::new(&self.pattern).unwrap_or_else(|e| {
                    panic!(
                        "built-in regex {:?} does not compile (a test checks them all): {e}",
                        self.pattern
                    )
                }))
            })
            .is_match(line)
    }

    /// The expression as written.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }
}

impl PartialEq for RuleRegex {
    fn eq(&self, other: &RuleRegex) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for RuleRegex {}

impl serde::Serialize for RuleRegex {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Longest line (in characters) a `contains` rule removes whole by default.
pub const DEFAULT_CONTAINS_MAX_CHARS: usize = 600;
/// Longest line (in characters) the other kinds remove whole by default.
pub const DEFAULT_MAX_CHARS: usize = 400;
/// Longest line (in characters) a cue removes by default.
pub const DEFAULT_CUE_MAX_CHARS: usize = 120;
/// How many lines a block reaches by default.
pub const DEFAULT_BLOCK_MAX_LINES: usize = 15;

/// One rule: a stable id, a category, its phrases and how they apply.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rule {
    /// Stable id, such as `APL001`.
    pub id: String,
    /// The kind of boilerplate it finds.
    pub category: Category,
    /// How its phrases apply, with the options of that kind.
    #[serde(flatten)]
    pub kind: RuleKind,
    /// The phrases (for a block: the openers).
    pub phrases: Vec<String>,
    /// The rule fires only where this also matches the line as written
    /// (trimmed, case kept); the phrases still find the line first. For a
    /// block, the opener's line.
    pub regex: Option<RuleRegex>,
    /// The rule does not fire on a line holding one of these phrases
    /// (normalised, at word boundaries) or matching this regex.
    pub unless: Unless,
    /// Longest line, in characters, that the rule removes whole.
    pub max_chars: usize,
    /// The rule counts only in the last lines of a text (footers); a
    /// block of such a rule opens only after a sentence or a removed line,
    /// and not where a statement that stays follows it.
    pub tail: bool,
    /// The rule counts only on the first line of a text that stays, where
    /// a consent banner stands before the page (with `tail`, at either
    /// end).
    pub head: bool,
    /// The rule counts only above the article's first long sentence (25
    /// words or more, ending in a stop, that stays), where a page's menus
    /// stand; not at all in a text with no such sentence.
    pub above_article: bool,
    /// The rule's line closes a teaser ("11 Feb 2025" under a headline and
    /// its summary): two or more such teasers in a row after the article
    /// go whole, headlines and summaries with them.
    pub closes_teaser: bool,
    /// What the rule is for.
    pub description: String,
    /// Lines the rule must fire on, each alone.
    pub examples_match: Vec<String>,
    /// Lines the rule must not fire on, each alone.
    pub examples_no_match: Vec<String>,
    /// Where the rule was defined: `file:line`.
    pub origin: String,
}

impl Rule {
    /// The phrases of the line that closes a block (none for other kinds).
    pub fn close(&self) -> &[String] {
        self.kind.block().map_or(&[], |b| b.close.as_slice())
    }
}

/// What must not be on a line for a rule to fire there.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Unless {
    /// Phrases, normalised as the rule's phrases are.
    pub phrases: Vec<String>,
    /// A regex over the line as written (trimmed, case kept).
    pub regex: Option<RuleRegex>,
}

impl Unless {
    /// True when nothing is listed.
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty() && self.regex.is_none()
    }

    /// Does `line` (as written) hold one of the phrases or match the regex?
    /// `normalized` is the line's normalised form.
    pub fn holds(&self, line: &str, normalized: &str) -> bool {
        self.phrases
            .iter()
            .any(|phrase| crate::normalize::contains_phrase(normalized, phrase))
            || self.regex.as_ref().is_some_and(|r| r.is_match(line.trim()))
    }
}

/// An error in a rule file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct RuleError {
    /// The file (or name of the embedded file).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What was wrong or expected.
    pub message: String,
}

impl RuleError {
    pub(crate) fn at(
        file: &str,
        source: &str,
        offset: usize,
        message: impl Into<String>,
    ) -> RuleError {
        let (line, column) = line_column(source, offset);
        RuleError {
            file: file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// The byte offsets of the line breaks of a file, to number the lines of
/// many offsets without counting from the start each time.
pub(crate) fn line_breaks(source: &str) -> Vec<usize> {
    memchr::memchr_iter(b'\n', source.as_bytes()).collect()
}

/// The 1-based line of `offset`, given the file's [`line_breaks`].
pub(crate) fn line_at(breaks: &[usize], offset: usize) -> usize {
    breaks.partition_point(|&at| at < offset) + 1
}

pub(crate) fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    category: Option<toml::Spanned<String>>,
    #[serde(default)]
    rule: Vec<toml::Spanned<RuleToml>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleToml {
    id: toml::Spanned<String>,
    kind: toml::Spanned<KindName>,
    category: Option<toml::Spanned<String>>,
    phrases: Vec<String>,
    close: Option<Vec<String>>,
    max_lines: Option<usize>,
    min_lines: Option<usize>,
    open: Option<Open>,
    grow: Option<Grow>,
    exact: Option<bool>,
    next_to: Option<Vec<toml::Spanned<String>>>,
    regex: Option<toml::Spanned<String>>,
    #[serde(default)]
    unless: Vec<String>,
    unless_regex: Option<toml::Spanned<String>>,
    max_chars: Option<usize>,
    #[serde(default)]
    tail: bool,
    #[serde(default)]
    head: bool,
    #[serde(default)]
    above_article: bool,
    #[serde(default)]
    closes_teaser: bool,
    #[serde(default)]
    description: String,
    #[serde(default, rename = "match")]
    examples_match: Vec<String>,
    #[serde(default)]
    no_match: Vec<String>,
}

/// When the regexes of a rule or guard file are compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Regexes {
    /// While parsing: a file given at run time, whose mistakes are errors.
    AtOnce,
    /// On first use: the built-in files, checked by a test.
    OnFirstUse,
}

/// The built-in rule files, embedded in the binary: `(name, contents)`.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    (
        "patterns/appeal.toml",
        include_str!("../../../patterns/appeal.toml"),
    ),
    (
        "patterns/newsletter.toml",
        include_str!("../../../patterns/newsletter.toml"),
    ),
    (
        "patterns/widget.toml",
        include_str!("../../../patterns/widget.toml"),
    ),
    (
        "patterns/footer.toml",
        include_str!("../../../patterns/footer.toml"),
    ),
    (
        "patterns/related.toml",
        include_str!("../../../patterns/related.toml"),
    ),
    (
        "patterns/credit.toml",
        include_str!("../../../patterns/credit.toml"),
    ),
    (
        "patterns/cookie.toml",
        include_str!("../../../patterns/cookie.toml"),
    ),
];

/// An ordered collection of rules with unique ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    /// No rules at all.
    pub fn empty() -> RuleSet {
        RuleSet::default()
    }

    /// The built-in rules.
    pub fn builtin() -> RuleSet {
        let mut set = RuleSet::empty();
        for (name, text) in BUILTIN_FILES {
            set.add_file(name, text, Regexes::OnFirstUse)
                .unwrap_or_else(|e| panic!("built-in rules are broken: {e}"));
        }
        set
    }

    /// The rules, in order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// True when there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Parses one rule file and adds its rules. Ids must be new.
    pub fn add_toml(&mut self, file: &str, source: &str) -> Result<(), RuleError> {
        self.add_file(file, source, Regexes::AtOnce)
    }

    fn add_file(&mut self, file: &str, source: &str, regexes: Regexes) -> Result<(), RuleError> {
        let parsed: FileToml = toml::from_str(source).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            RuleError::at(file, source, offset, e.message().trim().to_string())
        })?;
        let file_category = match &parsed.category {
            Some(c) => Some(parse_category(file, source, c)?),
            None => None,
        };
        let breaks = line_breaks(source);
        let mut seen: HashSet<String> = self.rules.iter().map(|r| r.id.clone()).collect();
        let mut added = Vec::with_capacity(parsed.rule.len());
        for spanned in parsed.rule {
            let rule_start = spanned.span().start;
            let raw = spanned.into_inner();
            let id_span = raw.id.span();
            let id = raw.id.into_inner();
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(RuleError::at(
                    file,
                    source,
                    id_span.start,
                    format!("expected an id of letters, digits, '-' or '_', found {id:?}"),
                ));
            }
            if !seen.insert(id.clone()) {
                return Err(RuleError::at(
                    file,
                    source,
                    id_span.start,
                    format!("duplicate rule id {id}"),
                ));
            }
            let category = match &raw.category {
                Some(c) => parse_category(file, source, c)?,
                None => file_category.ok_or_else(|| {
                    RuleError::at(file, source, rule_start, format!("rule {id} has no category: expected `category = \"...\"` in the rule or at the top of the file"))
                })?,
            };
            let error = |offset: usize, message: String| {
                RuleError::at(file, source, offset, format!("rule {id}: {message}"))
            };
            let blank = |phrase: &String| crate::normalize::normalize(phrase).trim().is_empty();
            if raw.phrases.is_empty() {
                return Err(error(
                    rule_start,
                    "expected `phrases` to list at least one phrase".into(),
                ));
            }
            if let Some(i) = raw.phrases.iter().position(blank) {
                return Err(error(
                    rule_start,
                    format!("phrase {} of `phrases` is blank", i + 1),
                ));
            }
            let kind_offset = raw.kind.span().start;
            let kind_name = raw.kind.into_inner();
            // Options that belong to one kind are refused on the others, so
            // that nothing in a rule file is silently ignored.
            let misplaced: Vec<&str> = [
                ("close", raw.close.is_some(), KindName::Block),
                ("max_lines", raw.max_lines.is_some(), KindName::Block),
                ("min_lines", raw.min_lines.is_some(), KindName::Block),
                ("open", raw.open.is_some(), KindName::Block),
                ("grow", raw.grow.is_some(), KindName::Block),
                ("exact", raw.exact.is_some(), KindName::Cue),
                ("next_to", raw.next_to.is_some(), KindName::Cue),
            ]
            .into_iter()
            .filter(|(_, set, owner)| *set && *owner != kind_name)
            .map(|(name, _, _)| name)
            .collect();
            if let Some(first) = misplaced.first() {
                let owner = if matches!(*first, "exact" | "next_to") {
                    "cue"
                } else {
                    "block"
                };
                return Err(error(
                    kind_offset,
                    format!(
                        "`{}` belongs to kind = \"{owner}\" only, not to kind = \"{}\"",
                        misplaced.join("`, `"),
                        kind_name.as_str()
                    ),
                ));
            }
            let kind = match kind_name {
                KindName::Line => RuleKind::Line,
                KindName::Prefix => RuleKind::Prefix,
                KindName::Suffix => RuleKind::Suffix,
                KindName::Contains => RuleKind::Contains,
                KindName::Block => {
                    let close = raw.close.unwrap_or_default();
                    if let Some(i) = close.iter().position(blank) {
                        return Err(error(
                            rule_start,
                            format!("phrase {} of `close` is blank", i + 1),
                        ));
                    }
                    RuleKind::Block(BlockOptions {
                        close,
                        max_lines: raw.max_lines.unwrap_or(DEFAULT_BLOCK_MAX_LINES).max(1),
                        open: raw.open.unwrap_or_default(),
                        grow: raw.grow.unwrap_or_default(),
                        min_lines: raw.min_lines.unwrap_or(1).max(1),
                    })
                }
                KindName::Cue => {
                    let mut next_to = Vec::new();
                    for name in raw.next_to.unwrap_or_default() {
                        next_to.push(parse_category(file, source, &name)?);
                    }
                    RuleKind::Cue(CueOptions {
                        exact: raw.exact.unwrap_or(false),
                        next_to,
                    })
                }
            };
            let compile = |text: &toml::Spanned<String>, option: &str| match regexes {
                Regexes::OnFirstUse => Ok(RuleRegex::builtin(text.get_ref())),
                Regexes::AtOnce => RuleRegex::compile(text.get_ref())
                    .map_err(|e| error(text.span().start, format!("invalid `{option}`: {e}"))),
            };
            let regex = match &raw.regex {
                Some(text) => Some(compile(text, "regex")?),
                None => None,
            };
            if let Some(i) = raw.unless.iter().position(blank) {
                return Err(error(
                    rule_start,
                    format!("phrase {} of `unless` is blank", i + 1),
                ));
            }
            let unless = Unless {
                phrases: raw
                    .unless
                    .iter()
                    .map(|p| crate::normalize::normalize(p).trim().to_string())
                    .collect(),
                regex: match &raw.unless_regex {
                    Some(text) => Some(compile(text, "unless_regex")?),
                    None => None,
                },
            };
            let default_chars = match kind_name {
                KindName::Contains => DEFAULT_CONTAINS_MAX_CHARS,
                KindName::Cue => DEFAULT_CUE_MAX_CHARS,
                _ => DEFAULT_MAX_CHARS,
            };
            let line = line_at(&breaks, rule_start);
            added.push(Rule {
                id,
                category,
                kind,
                phrases: raw.phrases,
                regex,
                unless,
                max_chars: raw.max_chars.unwrap_or(default_chars),
                tail: raw.tail,
                head: raw.head,
                above_article: raw.above_article,
                closes_teaser: raw.closes_teaser,
                description: raw.description,
                examples_match: raw.examples_match,
                examples_no_match: raw.no_match,
                origin: format!("{file}:{line}"),
            });
        }
        self.rules.extend(added);
        Ok(())
    }

    /// Adds the rules of a file, or of every `.toml` file in a folder (sorted
    /// by name).
    pub fn add_path(&mut self, path: &Path) -> Result<(), RuleError> {
        let io_error = |e: std::io::Error| RuleError {
            file: path.display().to_string(),
            line: 0,
            column: 0,
            message: e.to_string().to_lowercase(),
        };
        if path.is_dir() {
            let mut files: Vec<_> = std::fs::read_dir(path)
                .map_err(io_error)?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            files.sort();
            for file in files {
                self.add_path(&file)?;
            }
            return Ok(());
        }
        let text = std::fs::read_to_string(path).map_err(io_error)?;
        self.add_toml(&path.display().to_string(), &text)
    }

    /// Keeps only the rules named by `select` (ids or category names; empty
    /// keeps all) and not named by `ignore`.
    pub fn filter(&mut self, select: &[String], ignore: &[String]) {
        let named = |rule: &Rule, names: &[String]| {
            names.iter().any(|n| {
                n.eq_ignore_ascii_case(&rule.id) || n.eq_ignore_ascii_case(rule.category.as_str())
            })
        };
        self.rules
            .retain(|r| (select.is_empty() || named(r, select)) && !named(r, ignore));
    }

    /// The rule with this id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

fn parse_category(
    file: &str,
    source: &str,
    name: &toml::Spanned<String>,
) -> Result<Category, RuleError> {
    Category::from_name(name.get_ref()).ok_or_else(|| {
        let expected: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
        RuleError::at(
            file,
            source,
            name.span().start,
            format!(
                "unknown category {:?}, expected one of {}",
                name.get_ref(),
                expected.join(", ")
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in rules and guards compile their regexes on first use;
    /// each one must compile, or the first line that needs it would panic.
    #[test]
    fn every_builtin_regex_compiles_and_answers_as_the_regex_crate_does() {
        let rules = RuleSet::builtin();
        let guards = crate::GuardSet::builtin();
        let mut patterns: Vec<&str> = Vec::new();
        for rule in rules.rules() {
            patterns.extend(rule.regex.as_ref().map(RuleRegex::as_str));
            patterns.extend(rule.unless.regex.as_ref().map(RuleRegex::as_str));
        }
        for guard in guards.guards() {
            if let crate::guards::GuardKind::Code { regex, .. } = &guard.kind {
                patterns.push(regex.as_str());
            }
        }
        assert!(patterns.len() > 40, "only {} regexes found", patterns.len());
        // Every line of the repository's articles, trimmed as the stripper
        // asks: each regex must answer as the `regex` crate does.
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");
        let mut lines: Vec<String> = Vec::new();
        for name in ["sample-article.txt", "user-rules-input.txt"] {
            let text = std::fs::read_to_string(format!("{fixtures}/{name}")).unwrap();
            lines.extend(text.lines().map(|l| l.trim().to_string()));
        }
        for name in ["traps.jsonl", "traps2.jsonl"] {
            let text = std::fs::read_to_string(format!("{fixtures}/{name}")).unwrap();
            for record in text.lines() {
                let value: serde_json::Value = serde_json::from_str(record).unwrap();
                let body = value["text"].as_str().unwrap();
                lines.extend(body.lines().map(|l| l.trim().to_string()));
            }
        }
        assert!(lines.len() > 1000, "only {} lines read", lines.len());
        let mut matched = 0;
        for pattern in patterns {
            let ours = LineRegex::new(pattern).unwrap_or_else(|e| panic!("{pattern:?}: {e}"));
            let theirs = regex::Regex::new(pattern).unwrap();
            for line in &lines {
                let found = ours.is_match(line);
                assert_eq!(found, theirs.is_match(line), "{pattern:?} on {line:?}");
                matched += usize::from(found);
            }
        }
        assert!(
            matched > 1000,
            "only {matched} matches: the lines test little"
        );
    }

    #[test]
    fn lines_are_numbered_as_counted_from_the_start() {
        let source = "a\nbb\n\nccc\n";
        let breaks = line_breaks(source);
        for offset in 0..=source.len() {
            assert_eq!(
                line_at(&breaks, offset),
                line_column(source, offset).0,
                "{offset}"
            );
        }
    }

    /// A regex of a file given at run time is compiled while parsing, so
    /// that its mistake names the file and line; a built-in one waits.
    #[test]
    fn a_bad_regex_of_a_rule_file_is_an_error_at_once() {
        let source = "category = \"widget\"\n[[rule]]\nid = \"X1\"\nkind = \"line\"\nphrases = [\"ad\"]\nregex = '(unclosed'\n";
        let error = RuleSet::empty().add_toml("x.toml", source).unwrap_err();
        assert_eq!((error.file.as_str(), error.line), ("x.toml", 6));
        assert!(error.message.contains("invalid `regex`"), "{error}");
        let lazy = RuleRegex::builtin("(ok|fine)");
        assert!(lazy.compiled.get().is_none());
        assert!(lazy.is_match("all fine"));
        assert!(lazy.compiled.get().is_some());
    }
}
