//! Rules as data: the categories, the ways a rule applies, and the parsing of
//! rule files (TOML) with errors that name the file, the line and what was
//! expected. The built-in rule files in `patterns/` are embedded here.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

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

/// How a rule's phrases decide that a line is boilerplate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    /// The whole line, ignoring bullets and final punctuation, is a phrase.
    Line,
    /// The line starts with a phrase.
    Prefix,
    /// The line ends with a phrase.
    Suffix,
    /// A phrase stands anywhere in a line that is not too long.
    Contains,
    /// A line starting with a phrase opens a block that runs to a line with a
    /// `close` phrase, or to the end of the text.
    Block,
    /// A weak cue: it removes a short line only next to removed lines or
    /// together with another cue.
    Cue,
}

impl RuleKind {
    /// The lowercase name used in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Line => "line",
            RuleKind::Prefix => "prefix",
            RuleKind::Suffix => "suffix",
            RuleKind::Contains => "contains",
            RuleKind::Block => "block",
            RuleKind::Cue => "cue",
        }
    }
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
}

/// A rule's regular expression, compiled once.
#[derive(Debug, Clone)]
pub struct RuleRegex(regex::Regex);

/// Compiles a rule's regex. Rule regexes run only on lines a phrase found,
/// so small caches do: memory stays flat with many rules and threads.
fn compile_regex(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .dfa_size_limit(1 << 20)
        .build()
}

impl RuleRegex {
    /// Does it match `line`?
    pub fn is_match(&self, line: &str) -> bool {
        self.0.is_match(line)
    }

    /// The expression as written.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
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
    /// How its phrases apply.
    pub kind: RuleKind,
    /// The phrases (for a block: the openers).
    pub phrases: Vec<String>,
    /// For a block: phrases of the line that closes it (that line goes too).
    pub close: Vec<String>,
    /// For a block: how many lines it may reach, opener included.
    pub max_lines: usize,
    /// For a block: where its opening phrase stands.
    pub open: Open,
    /// For a block: which lines it grows through.
    pub grow: Grow,
    /// For a cue: its phrase must be the whole line.
    pub exact: bool,
    /// The rule fires only where this also matches the line as written
    /// (trimmed, case kept); the phrases still find the line first.
    pub regex: Option<RuleRegex>,
    /// Longest line, in characters, that the rule removes whole.
    pub max_chars: usize,
    /// The rule counts only in the last lines of a text (footers).
    pub tail: bool,
    /// What the rule is for.
    pub description: String,
    /// Lines the rule must fire on, each alone.
    pub examples_match: Vec<String>,
    /// Lines the rule must not fire on, each alone.
    pub examples_no_match: Vec<String>,
    /// Where the rule was defined: `file:line`.
    pub origin: String,
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
    fn at(file: &str, source: &str, offset: usize, message: impl Into<String>) -> RuleError {
        let (line, column) = line_column(source, offset);
        RuleError {
            file: file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }
}

fn line_column(source: &str, offset: usize) -> (usize, usize) {
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
    kind: RuleKind,
    category: Option<toml::Spanned<String>>,
    phrases: Vec<String>,
    #[serde(default)]
    close: Vec<String>,
    max_lines: Option<usize>,
    open: Option<Open>,
    grow: Option<Grow>,
    exact: Option<bool>,
    regex: Option<toml::Spanned<String>>,
    max_chars: Option<usize>,
    #[serde(default)]
    tail: bool,
    #[serde(default)]
    description: String,
    #[serde(default, rename = "match")]
    examples_match: Vec<String>,
    #[serde(default)]
    no_match: Vec<String>,
}

/// The built-in rule files, embedded in the binary: `(name, contents)`.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    (
        "patterns/appeal.toml",
        include_str!("../patterns/appeal.toml"),
    ),
    (
        "patterns/newsletter.toml",
        include_str!("../patterns/newsletter.toml"),
    ),
    (
        "patterns/widget.toml",
        include_str!("../patterns/widget.toml"),
    ),
    (
        "patterns/footer.toml",
        include_str!("../patterns/footer.toml"),
    ),
    (
        "patterns/related.toml",
        include_str!("../patterns/related.toml"),
    ),
    (
        "patterns/credit.toml",
        include_str!("../patterns/credit.toml"),
    ),
    (
        "patterns/cookie.toml",
        include_str!("../patterns/cookie.toml"),
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
            set.add_toml(name, text)
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
        let parsed: FileToml = toml::from_str(source).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            RuleError::at(file, source, offset, e.message().trim().to_string())
        })?;
        let file_category = match &parsed.category {
            Some(c) => Some(parse_category(file, source, c)?),
            None => None,
        };
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
            let blank = |phrase: &String| crate::normalize::normalize(phrase).trim().is_empty();
            if raw.phrases.is_empty() || raw.phrases.iter().any(blank) {
                return Err(RuleError::at(
                    file,
                    source,
                    rule_start,
                    format!("rule {id}: expected `phrases` to list at least one non-empty phrase"),
                ));
            }
            if raw.kind == RuleKind::Block && raw.close.iter().any(blank) {
                return Err(RuleError::at(
                    file,
                    source,
                    rule_start,
                    format!("rule {id}: a `close` phrase is empty"),
                ));
            }
            if raw.kind != RuleKind::Block
                && (!raw.close.is_empty()
                    || raw.max_lines.is_some()
                    || raw.open.is_some()
                    || raw.grow.is_some())
            {
                return Err(RuleError::at(
                    file,
                    source,
                    rule_start,
                    format!(
                        "rule {id}: `close`, `max_lines`, `open` and `grow` belong to kind = \"block\" only"
                    ),
                ));
            }
            if raw.kind != RuleKind::Cue && raw.exact.is_some() {
                return Err(RuleError::at(
                    file,
                    source,
                    rule_start,
                    format!("rule {id}: `exact` belongs to kind = \"cue\" only"),
                ));
            }
            let regex = match &raw.regex {
                Some(text) if raw.kind == RuleKind::Block => {
                    return Err(RuleError::at(
                        file,
                        source,
                        text.span().start,
                        format!("rule {id}: `regex` does not apply to kind = \"block\""),
                    ));
                }
                Some(text) => Some(RuleRegex(compile_regex(text.get_ref()).map_err(|e| {
                    let detail = e.to_string();
                    let last = detail.lines().last().unwrap_or("").trim().to_lowercase();
                    RuleError::at(
                        file,
                        source,
                        text.span().start,
                        format!("rule {id}: invalid regex: {last}"),
                    )
                })?)),
                None => None,
            };
            let default_chars = match raw.kind {
                RuleKind::Contains => DEFAULT_CONTAINS_MAX_CHARS,
                RuleKind::Cue => DEFAULT_CUE_MAX_CHARS,
                _ => DEFAULT_MAX_CHARS,
            };
            let (line, _) = line_column(source, rule_start);
            added.push(Rule {
                id,
                category,
                kind: raw.kind,
                phrases: raw.phrases,
                close: raw.close,
                max_lines: raw.max_lines.unwrap_or(DEFAULT_BLOCK_MAX_LINES).max(1),
                open: raw.open.unwrap_or_default(),
                grow: raw.grow.unwrap_or_default(),
                exact: raw.exact.unwrap_or(false),
                regex,
                max_chars: raw.max_chars.unwrap_or(default_chars),
                tail: raw.tail,
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
