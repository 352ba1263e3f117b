//! Guards: evidence against removing a line, as data. A guard objects to a
//! proposal to remove a line when the line reads as article content in a
//! way that phrase hits cannot see: the phrase is quoted, the line is
//! reported speech, the sentence runs on past the phrase into prose, a
//! short line is a section heading between body paragraphs, a line between
//! removed lines is a sentence, or a block would run through body text.
//!
//! The built-in guards are `patterns/guards.toml`, embedded here; each has
//! `match` / `no_match` examples that a test checks. The tests of the text
//! itself (is this a sentence, a body paragraph, …) are the functions at the
//! end of this module: pure, on normalised text.

use std::fmt;

use serde::Deserialize;

use crate::normalize::{contains_phrase, is_unspaced_script, is_word_char};
use crate::rules::{Regexes, RuleError, RuleRegex};

/// The built-in guard file, embedded in the binary: `(name, contents)`.
pub const BUILTIN_FILE: (&str, &str) = (
    "patterns/guards.toml",
    include_str!("../../../patterns/guards.toml"),
);

/// What a guard looks at, with its settings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GuardKind {
    /// The phrase stands inside quotation marks, and the line holds more
    /// than the quotation: it is quoted, not shown.
    Quoted,
    /// The line is reported speech: it holds a reporting phrase ("said",
    /// "told", "sagte", "a déclaré", …) and is at least `min_words` long.
    ReportedSpeech {
        /// Reporting phrases, normalised.
        phrases: Vec<String>,
        /// The phrases of one word, for a lookup per word of the line.
        #[serde(skip)]
        words: std::collections::BTreeSet<String>,
        /// Shortest line, in words, that counts as a reported sentence.
        min_words: usize,
        /// Words that open an attribution after a comma ("…, the first
        /// pop-up began."), normalised.
        attribution_openers: std::collections::BTreeSet<String>,
        /// Verbs that close such an attribution ("began", "say", "read"),
        /// besides the one-word reporting phrases; normalised.
        attribution_verbs: std::collections::BTreeSet<String>,
    },
    /// The sentence runs on past the phrase into prose: the sentence has at
    /// least `min_words` words, ends in a full stop, and the phrase is the
    /// subject or object of it rather than a label or a button (words before
    /// it in its clause, or a word after it that does not continue a call to
    /// action).
    Prose {
        /// Shortest sentence, in words.
        min_words: usize,
        /// Words before the phrase, in its clause, that make it part of prose.
        min_words_before: usize,
        /// Shortest line, in words, that is one sentence opened by the
        /// phrase as its subject ("Subscribe now buttons have become a
        /// fixture of news sites."): shorter than `min_words`, it must end
        /// in a full stop, name no price, link or handle, hold no label
        /// colon after the phrase and speak to no one (`formal_address`
        /// and the body guard's address words).
        min_words_alone: usize,
        /// Shortest sentence, in words, after a label's colon that makes the
        /// label a term being defined rather than a label ("Credit: no fee in
        /// the first year, then 19.9% a year on purchases."): the words after
        /// the colon start in lowercase, end a sentence and speak to no one.
        /// A label's own text is a name ("Credit: Jane Doe/Reuters") or a
        /// headline, which ends in no full stop.
        min_words_after_label: usize,
        /// Words that address the reader when written with a capital inside
        /// a sentence (German "Sie", "Ihre"): such a short line is a
        /// button's or a form's, not prose.
        formal_address: Vec<String>,
        /// Words that continue a call to action after its phrase ("to",
        /// "now", "für", "pour", …): after them the sentence is still one.
        continuations: Vec<String>,
    },
    /// A correction, clarification, update or editor's note ("Correction:
    /// an earlier version … . It is 52.") is the article's: no rule, block,
    /// teaser list or scorer takes it, unless it speaks to the reader
    /// ("Editor's note: Sign up for our newsletter …").
    Note {
        /// The notes' labels, normalised, without their colon.
        labels: Vec<String>,
        /// Shortest sentence after the label's colon, in words.
        min_words: usize,
    },
    /// A row of a markdown table ("| Home | Score | Away | Score |") next to
    /// another row or to the table's rule ("|---|---|"): it is the table's,
    /// whatever its cells say.
    TableRow,
    /// A reference the article cites ("D. Ollerton, \"Nitrogen-loving
    /// lichens …\", Field Notes in Cryptogams, 2021"), or a short heading
    /// over one ("Further reading", "Sources"): the article's sources, not
    /// a list of other stories.
    Sources {
        /// Signs of a reference besides a quoted title or a closing year
        /// ("et al.", "pp.", "doi:"), normalised.
        markers: Vec<String>,
    },
    /// A line that names what follows and ends in a colon ("Learn more
    /// about the compulsory modules:"), over a line no phrase could take:
    /// it introduces the article's own list, not other stories.
    LeadIn {
        /// Fewest words between the phrase and the colon.
        min_words: usize,
    },
    /// A contact line of the article's own (a notice's "Telefon …, E-Mail
    /// …"), under a short heading ("Ansprechpartnerin", "## Kontakt") that
    /// comes right after a sentence of prose, with only lines no phrase
    /// could take between them: the article's, not the site's footer.
    Contact {
        /// Most words of the heading.
        max_words: usize,
    },
    /// The line is code or markup ("image: postgres:18", "</p>", "();"):
    /// what it says is not said to the reader.
    Code {
        /// Pieces of code that no article sentence holds, as written.
        markers: Vec<String>,
        /// Lines of configuration ("key: value:tag"), over the line as
        /// written and trimmed.
        regex: crate::rules::RuleRegex,
    },
    /// A short line between body paragraphs is a section heading: cues and
    /// block openers do not take it.
    Heading {
        /// Longest heading, in words.
        max_words: usize,
    },
    /// A short item of a bulleted list whose neighbouring items (same
    /// bullet) hold no phrase, or of a list a sentence introduces, is a
    /// list entry, not a menu item: a phrase that would take it whole does
    /// not.
    ListItem {
        /// Longest item, in words.
        max_words: usize,
        /// A list introduced by a sentence of at least this many words
        /// ending in a colon ("The handout lists three buttons:") is the
        /// sentence's, whatever its items say.
        min_words: usize,
    },
    /// A line between removed lines stays when it reads as a sentence.
    SentenceBetween {
        /// Shortest sentence, in words.
        min_words: usize,
    },
    /// The phrase opens a headline that names it: a clause break (",",
    /// ":", "?", "!", ";", " - ") after the phrase, then a clause of its own
    /// ("Follow us on Twitter, police urge residents") of at least
    /// `min_words` words, two of them written in lowercase (or one more
    /// word in title case, joined into no list), that speaks to no one (no
    /// word of the body guard's address list), names no link, handle or
    /// price, and holds no other phrase; the line has at most `max_words`
    /// words. A one-word label that is no call to action may also run
    /// straight on into such a clause ("Advertisement ban comes into
    /// force").
    Headline {
        /// Shortest clause after the break, in words.
        min_words: usize,
        /// Longest headline, in words.
        max_words: usize,
    },
    /// A block stops at (and does not open before) a body paragraph: a
    /// long line ending a sentence, with no phrase that could remove it, and
    /// fewer than `max_address` words addressing the reader ("we", "you",
    /// "unser", "vous", …), which appeals use and article bodies rarely do.
    Body {
        /// Shortest body paragraph, in words.
        min_words: usize,
        /// Words that address the reader, normalised.
        address: Vec<String>,
        /// This many address words make a long line an appeal's, not a body's.
        max_address: usize,
    },
}

impl GuardKind {
    /// The kind's name in guard files.
    pub fn as_str(&self) -> &'static str {
        match self {
            GuardKind::Quoted => "quoted",
            GuardKind::ReportedSpeech { .. } => "reported_speech",
            GuardKind::Prose { .. } => "prose",
            GuardKind::Code { .. } => "code",
            GuardKind::TableRow => "table_row",
            GuardKind::Sources { .. } => "sources",
            GuardKind::LeadIn { .. } => "lead_in",
            GuardKind::Contact { .. } => "contact",
            GuardKind::Note { .. } => "note",
            GuardKind::Heading { .. } => "heading",
            GuardKind::ListItem { .. } => "list_item",
            GuardKind::SentenceBetween { .. } => "sentence_between",
            GuardKind::Body { .. } => "body",
            GuardKind::Headline { .. } => "headline",
        }
    }
}

/// One guard: an id, what it looks at, and examples.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Guard {
    /// Stable id, such as `GRD-QUOTED`.
    pub id: String,
    /// What it looks at.
    #[serde(flatten)]
    pub kind: GuardKind,
    /// What it is for.
    pub description: String,
    /// Texts on which it must object to a removal the rules propose.
    pub examples_match: Vec<String>,
    /// Texts on which it must not object.
    pub examples_no_match: Vec<String>,
    /// Where it was defined: `file:line`.
    pub origin: String,
}

impl fmt::Display for Guard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.id, self.kind.as_str())
    }
}

/// The guards in force, at most one of each kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GuardSet {
    guards: Vec<Guard>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    #[serde(default)]
    guard: Vec<toml::Spanned<GuardToml>>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum KindName {
    Quoted,
    ReportedSpeech,
    Prose,
    Code,
    TableRow,
    Sources,
    LeadIn,
    Contact,
    Note,
    Heading,
    ListItem,
    SentenceBetween,
    Body,
    Headline,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GuardToml {
    id: toml::Spanned<String>,
    kind: toml::Spanned<KindName>,
    #[serde(default)]
    description: String,
    phrases: Option<Vec<String>>,
    min_words: Option<usize>,
    min_words_before: Option<usize>,
    min_words_alone: Option<usize>,
    min_words_after_label: Option<usize>,
    attribution_openers: Option<Vec<String>>,
    attribution_verbs: Option<Vec<String>>,
    formal_address: Option<Vec<String>>,
    continuations: Option<Vec<String>>,
    max_words: Option<usize>,
    markers: Option<Vec<String>>,
    regex: Option<toml::Spanned<String>>,
    address: Option<Vec<String>>,
    labels: Option<Vec<String>>,
    max_address: Option<usize>,
    #[serde(default, rename = "match")]
    examples_match: Vec<String>,
    #[serde(default)]
    no_match: Vec<String>,
}

fn normalized_list(list: Vec<String>) -> Vec<String> {
    list.iter()
        .map(|p| crate::normalize::normalize(p).trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

impl GuardSet {
    /// No guards: every proposal stands.
    pub fn empty() -> GuardSet {
        GuardSet::default()
    }

    /// The built-in guards.
    pub fn builtin() -> GuardSet {
        let (name, text) = BUILTIN_FILE;
        GuardSet::parse_with(name, text, Regexes::OnFirstUse)
            .unwrap_or_else(|e| panic!("built-in guards are broken: {e}"))
    }

    /// The guards, in file order.
    pub fn guards(&self) -> &[Guard] {
        &self.guards
    }

    /// Parses a guard file. Options that the guard's kind does not use, a
    /// kind given twice, or a missing setting are errors naming the file,
    /// the line and the guard.
    pub fn parse(file: &str, source: &str) -> Result<GuardSet, RuleError> {
        GuardSet::parse_with(file, source, Regexes::AtOnce)
    }

    fn parse_with(file: &str, source: &str, regexes: Regexes) -> Result<GuardSet, RuleError> {
        let parsed: FileToml = toml::from_str(source).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            RuleError::at(file, source, offset, e.message().trim().to_string())
        })?;
        let breaks = crate::rules::line_breaks(source);
        let mut guards: Vec<Guard> = Vec::new();
        for spanned in parsed.guard {
            let start = spanned.span().start;
            let raw = spanned.into_inner();
            let id = raw.id.get_ref().clone();
            let kind_offset = raw.kind.span().start;
            let kind_name = *raw.kind.get_ref();
            let error = |message: String| {
                RuleError::at(file, source, kind_offset, format!("guard {id}: {message}"))
            };
            if guards.iter().any(|g| g.id == id) {
                return Err(RuleError::at(
                    file,
                    source,
                    raw.id.span().start,
                    format!("duplicate guard id {id}"),
                ));
            }
            let used: &[&str] = match kind_name {
                KindName::Quoted => &[],
                KindName::ReportedSpeech => &[
                    "phrases",
                    "min_words",
                    "attribution_openers",
                    "attribution_verbs",
                ],
                KindName::Prose => &[
                    "min_words",
                    "min_words_before",
                    "min_words_alone",
                    "min_words_after_label",
                    "formal_address",
                    "continuations",
                ],
                KindName::Code => &["markers", "regex"],
                KindName::TableRow => &[],
                KindName::Sources => &["markers"],
                KindName::LeadIn => &["min_words"],
                KindName::Contact => &["max_words"],
                KindName::Note => &["labels", "min_words"],
                KindName::Heading => &["max_words"],
                KindName::ListItem => &["max_words", "min_words"],
                KindName::SentenceBetween => &["min_words"],
                KindName::Body => &["min_words", "address", "max_address"],
                KindName::Headline => &["min_words", "max_words"],
            };
            let given = [
                ("phrases", raw.phrases.is_some()),
                ("min_words", raw.min_words.is_some()),
                ("min_words_before", raw.min_words_before.is_some()),
                ("min_words_alone", raw.min_words_alone.is_some()),
                ("min_words_after_label", raw.min_words_after_label.is_some()),
                ("attribution_openers", raw.attribution_openers.is_some()),
                ("attribution_verbs", raw.attribution_verbs.is_some()),
                ("formal_address", raw.formal_address.is_some()),
                ("continuations", raw.continuations.is_some()),
                ("max_words", raw.max_words.is_some()),
                ("markers", raw.markers.is_some()),
                ("regex", raw.regex.is_some()),
                ("address", raw.address.is_some()),
                ("labels", raw.labels.is_some()),
                ("max_address", raw.max_address.is_some()),
            ];
            for (option, set) in given {
                if set && !used.contains(&option) {
                    return Err(error(format!("this kind of guard does not use `{option}`")));
                }
                if !set && used.contains(&option) {
                    return Err(error(format!("this kind of guard needs `{option}`")));
                }
            }
            let kind = match kind_name {
                KindName::Quoted => GuardKind::Quoted,
                KindName::ReportedSpeech => {
                    let phrases = normalized_list(raw.phrases.unwrap_or_default());
                    let words = phrases
                        .iter()
                        .filter(|p| p.chars().all(is_word_char))
                        .cloned()
                        .collect();
                    let set = |list: Option<Vec<String>>| {
                        normalized_list(list.unwrap_or_default())
                            .into_iter()
                            .collect()
                    };
                    GuardKind::ReportedSpeech {
                        phrases,
                        words,
                        min_words: raw.min_words.unwrap_or_default(),
                        attribution_openers: set(raw.attribution_openers),
                        attribution_verbs: set(raw.attribution_verbs),
                    }
                }
                KindName::Prose => GuardKind::Prose {
                    min_words: raw.min_words.unwrap_or_default(),
                    min_words_before: raw.min_words_before.unwrap_or_default(),
                    min_words_alone: raw.min_words_alone.unwrap_or_default(),
                    min_words_after_label: raw.min_words_after_label.unwrap_or_default(),
                    formal_address: raw.formal_address.unwrap_or_default(),
                    continuations: normalized_list(raw.continuations.unwrap_or_default()),
                },
                KindName::Code => {
                    let text = raw.regex.as_ref().expect("checked above");
                    let regex = match regexes {
                        Regexes::OnFirstUse => RuleRegex::builtin(text.get_ref()),
                        Regexes::AtOnce => RuleRegex::compile(text.get_ref()).map_err(|e| {
                            RuleError::at(
                                file,
                                source,
                                text.span().start,
                                format!("guard {id}: invalid `regex`: {e}"),
                            )
                        })?,
                    };
                    GuardKind::Code {
                        markers: raw.markers.unwrap_or_default(),
                        regex,
                    }
                }
                KindName::TableRow => GuardKind::TableRow,
                KindName::Sources => GuardKind::Sources {
                    markers: normalized_list(raw.markers.unwrap_or_default()),
                },
                KindName::LeadIn => GuardKind::LeadIn {
                    min_words: raw.min_words.unwrap_or_default(),
                },
                KindName::Contact => GuardKind::Contact {
                    max_words: raw.max_words.unwrap_or_default(),
                },
                KindName::Note => GuardKind::Note {
                    labels: normalized_list(raw.labels.unwrap_or_default()),
                    min_words: raw.min_words.unwrap_or_default(),
                },
                KindName::Heading => GuardKind::Heading {
                    max_words: raw.max_words.unwrap_or_default(),
                },
                KindName::ListItem => GuardKind::ListItem {
                    max_words: raw.max_words.unwrap_or_default(),
                    min_words: raw.min_words.unwrap_or_default(),
                },
                KindName::SentenceBetween => GuardKind::SentenceBetween {
                    min_words: raw.min_words.unwrap_or_default(),
                },
                KindName::Headline => GuardKind::Headline {
                    min_words: raw.min_words.unwrap_or_default(),
                    max_words: raw.max_words.unwrap_or_default(),
                },
                KindName::Body => GuardKind::Body {
                    min_words: raw.min_words.unwrap_or_default(),
                    address: normalized_list(raw.address.unwrap_or_default()),
                    max_address: raw.max_address.unwrap_or_default(),
                },
            };
            if guards.iter().any(|g| g.kind.as_str() == kind.as_str()) {
                return Err(error(format!(
                    "a guard of kind {} is already defined",
                    kind.as_str()
                )));
            }
            let line = crate::rules::line_at(&breaks, start);
            guards.push(Guard {
                id,
                kind,
                description: raw.description,
                examples_match: raw.examples_match,
                examples_no_match: raw.no_match,
                origin: format!("{file}:{line}"),
            });
        }
        Ok(GuardSet { guards })
    }

    /// Reads a guard file.
    pub fn load(path: &std::path::Path) -> Result<GuardSet, RuleError> {
        let file = path.display().to_string();
        let source = std::fs::read_to_string(path).map_err(|e| RuleError {
            file: file.clone(),
            line: 0,
            column: 0,
            message: e.to_string().to_lowercase(),
        })?;
        GuardSet::parse(&file, &source)
    }

    /// The examples that do not hold with `stripper` (built with these
    /// guards): each `match` text must see the guard object to a removal
    /// the rules propose, each `no_match` text must not. One error per
    /// failing example, naming the guard's file and line.
    pub fn check_examples(&self, stripper: &crate::Stripper) -> Vec<RuleError> {
        let mut failures = Vec::new();
        for guard in &self.guards {
            let objects = |text: &str| {
                stripper
                    .strip(text)
                    .objections
                    .iter()
                    .any(|o| o.guard_id == guard.id)
            };
            let (file, line) = guard
                .origin
                .rsplit_once(':')
                .map(|(f, l)| (f.to_string(), l.parse().unwrap_or(0)))
                .unwrap_or((guard.origin.clone(), 0));
            let mut fail = |message: String| {
                failures.push(RuleError {
                    file: file.clone(),
                    line,
                    column: 1,
                    message: format!("guard {}: {message}", guard.id),
                })
            };
            if guard.examples_match.is_empty() || guard.examples_no_match.is_empty() {
                fail("needs `match` and `no_match` examples".to_string());
            }
            for text in &guard.examples_match {
                if !objects(text) {
                    fail(format!("does not object in its `match` example {text:?}"));
                }
            }
            for text in &guard.examples_no_match {
                if objects(text) {
                    fail(format!("objects in its `no_match` example {text:?}"));
                }
            }
        }
        failures
    }

    /// The guard of the kind named, if one is in force.
    pub(crate) fn find(&self, kind: &str) -> Option<(usize, &Guard)> {
        self.guards
            .iter()
            .enumerate()
            .find(|(_, g)| g.kind.as_str() == kind)
    }
}

// ---------------------------------------------------------------------------
// Tests of the text, on normalised lines.

/// The bullet a list item starts with ("- ", "• ", "* " …), if any.
pub(crate) fn bullet_of(line: &str) -> Option<char> {
    let mut chars = line.trim_start().chars();
    let bullet = chars.next()?;
    let is_bullet = matches!(
        bullet,
        '-' | '*' | '•' | '·' | '–' | '—' | '▪' | '►' | '◦' | '‣' | '+'
    );
    (is_bullet && chars.next().is_some_and(char::is_whitespace)).then_some(bullet)
}

/// Number of words (runs of non-space characters holding a letter or
/// digit) in `s`, counting no further than `limit`.
pub(crate) fn words_up_to(s: &str, limit: usize) -> usize {
    let mut count = 0;
    for token in s.split_whitespace() {
        if count >= limit {
            break;
        }
        if !token
            .chars()
            .any(|c| is_word_char(c) || is_unspaced_script(c))
        {
            continue;
        }
        // Chinese and Japanese put no space between words: there, two
        // characters make about one word.
        let unspaced = token.chars().filter(|&c| is_unspaced_script(c)).count();
        count += if unspaced > 0 {
            unspaced.div_ceil(2)
        } else {
            1
        };
    }
    count.min(limit)
}

/// The full stop, exclamation and question marks of Chinese and Japanese:
/// they end a sentence with no space after them.
const UNSPACED_STOPS: [char; 3] = ['。', '！', '？'];

/// Does the line end a sentence: a full stop, question or exclamation
/// mark, possibly inside closing quotes or brackets?
pub(crate) fn ends_sentence(norm: &str) -> bool {
    // Closing quotes and brackets, and markdown's emphasis ("*…*", "**…**"),
    // come after the stop.
    let trimmed = norm
        .trim_end()
        .trim_end_matches(['"', '\'', ')', ']', '*', '_']);
    (trimmed.ends_with(['.', '!', '?']) || trimmed.ends_with(UNSPACED_STOPS))
        && !trimmed.ends_with("...")
}

/// Is `start..end` of the normalised line inside quotation marks? Scraped
/// page chrome is not quoted; a phrase in quotes is cited (a line that is
/// only a quotation, as in a list of the phrases a study counted, too).
pub(crate) fn is_quoted(norm: &str, start: usize, end: usize) -> bool {
    quote_spans(norm)
        .into_iter()
        .any(|(open, close)| open < start && end <= close)
        || in_brackets_of_a_sentence(norm, start, end)
}

/// A note's colon stands within this many bytes of its line's start: the
/// longest label is 23 bytes ("anmerkung der redaktion"), with room for
/// markdown's marks around it.
const NOTE_COLON_WITHIN: usize = 64;

/// Is the normalised line a note: one of `labels` at its start (after
/// markdown's emphasis or a bullet), a colon, and a sentence of at least
/// `min_words` words ending in a stop?
pub(crate) fn is_note(norm: &str, labels: &[String], min_words: usize) -> bool {
    // A label's colon comes early: most lines have none there.
    if !norm.as_bytes()[..norm.len().min(NOTE_COLON_WITHIN)].contains(&b':') {
        return false;
    }
    let line = norm
        .trim_start_matches(|c: char| !is_word_char(c))
        .trim_end();
    labels.iter().any(|label| {
        line.strip_prefix(label.as_str())
            .map(|rest| rest.trim_start_matches(['*', '_', ' ']))
            .and_then(|rest| rest.strip_prefix(':'))
            .is_some_and(|rest| {
                let rest = rest.trim_start_matches(['*', '_', ' ']);
                ends_sentence(rest) && words_up_to(rest, min_words) >= min_words
            })
    })
}

/// Longest button of a row after a banner's sentence, in words.
const BUTTON_WORDS: usize = 4;

/// Does the line as written close with a row of buttons after a sentence:
/// after its last full stop, question or exclamation mark, two or more
/// short items joined by "·", "|", "•" or a run of spaces, with no stop
/// of their own ("… signed in. Accept all · Choose settings", "… OK with
/// you? Yes, that's fine | Let me choose")?
pub(crate) fn closes_with_buttons(norm: &str) -> bool {
    let trimmed = norm.trim_end();
    let Some(stop) = trimmed.rfind(['.', '!', '?', '…']) else {
        return false;
    };
    let after = &trimmed[stop..];
    let after = after[after.chars().next().map_or(0, char::len_utf8)..]
        .trim_start_matches(['"', '\'', ')', '»', '”']);
    after.starts_with(char::is_whitespace) && button_items(after).is_some_and(|n| n >= 2)
}

/// How many buttons a row holds: items of at most [`BUTTON_WORDS`] words
/// joined by dots, bars, bullets or runs of spaces ("Accept all · Choose
/// settings"). None when an item is longer, or has no word.
pub(crate) fn button_items(row: &str) -> Option<usize> {
    let mut items = 0;
    for item in row.split(['·', '|', '•']).flat_map(|part| part.split("  ")) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let words = words_up_to(item, BUTTON_WORDS + 1);
        if words == 0 || words > BUTTON_WORDS {
            return None;
        }
        items += 1;
    }
    Some(items)
}

/// Longest name of a publisher closing a reference, in words.
const SOURCE_NAME_WORDS: usize = 6;

/// Words that join the capitalised words of a name ("Bank of England").
const NAME_JOINING_WORDS: [&str; 19] = [
    "of", "for", "and", "in", "on", "the", "de", "des", "du", "la", "le", "der", "die", "für", "y",
    "e", "di", "van", "voor",
];

/// Does the line as written close with a name after its last comma: two
/// to `SOURCE_NAME_WORDS` words, the first and all but joining words
/// capitalised ("Northgate Institute", "Field Notes in Cryptogams"; one
/// name alone closes lists of names in headlines: "…, García Ortiz o,
/// tal vez, Mazón")?
fn names_its_source(text: &str) -> bool {
    let Some((_, last)) = text.trim_end().trim_end_matches('.').rsplit_once(',') else {
        return false;
    };
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let words: Vec<&str> = last.split_whitespace().collect();
    (2..=SOURCE_NAME_WORDS).contains(&words.len())
        && capital(words[0])
        && words
            .iter()
            .all(|w| capital(w) || NAME_JOINING_WORDS.contains(w))
}

/// Longest reference, in words and bytes: a paragraph is no reference,
/// whatever years, commas and quotations it holds.
const CITATION_WORDS: usize = 30;
const CITATION_BYTES: usize = 300;

/// Does the normalised line (`text` as written) read as a reference: a
/// year (1500–2099) and a comma, and a quoted title, a year closing it
/// ("…, 2021", "(2021).") or one of `markers`, or the name of who
/// published it closing it ("…, Northgate Institute")? A headline with a
/// year in it ("The 2024 budget, explained") is none.
pub(crate) fn is_citation(norm: &str, text: &str, markers: &[String]) -> bool {
    let bytes = norm.as_bytes();
    let year_at = |i: usize| {
        i + 4 <= bytes.len()
            && bytes[i..i + 4].iter().all(u8::is_ascii_digit)
            && (i == 0 || !bytes[i - 1].is_ascii_digit())
            && bytes.get(i + 4).is_none_or(|b| !b.is_ascii_digit())
            && matches!(
                &bytes[i..i + 2],
                b"15" | b"16" | b"17" | b"18" | b"19" | b"20"
            )
    };
    if !norm.contains(',')
        || norm.len() > CITATION_BYTES
        || words_up_to(norm, CITATION_WORDS + 1) > CITATION_WORDS
        || !(0..bytes.len()).any(year_at)
    {
        return false;
    }
    // The year closes the reference after a comma or in brackets: "…,
    // 2021.", "(2019)"; "… the council said in 2019." is a sentence.
    let end = norm.trim_end().trim_end_matches(['.', ']']);
    let closing_year = end.len() >= 6 && {
        let (head, year) = match end.strip_suffix(')') {
            Some(inside) => (inside, "("),
            None => (end, ","),
        };
        // The year is the last four bytes, all ASCII digits: a boundary.
        head.len() >= 5 && year_at(head.len() - 4) && {
            let before = head[..head.len() - 4].trim_end();
            // A date ("October 6, 2025") is no reference.
            before
                .strip_suffix(year)
                .is_some_and(|rest| !rest.trim_end().ends_with(|c: char| c.is_ascii_digit()))
        }
    };
    closing_year
        || names_its_source(text)
        || quote_spans(norm)
            .iter()
            .any(|&(open, close)| words_up_to(&norm[open..close], 2) >= 2)
        || markers.iter().any(|m| norm.contains(m.as_str()))
}

/// Is the line, as written, a row of a markdown table: it opens and
/// closes with `|` and has at least two cells?
pub(crate) fn is_table_row(line: &str) -> bool {
    let line = line.trim();
    line.len() > 2
        && line.starts_with('|')
        && line.ends_with('|')
        && line[1..line.len() - 1].contains('|')
}

/// Is the line, as written, the rule under a markdown table's header
/// ("|---|:--:|"): only bars, dashes, colons and spaces, a dash in it?
pub(crate) fn is_table_rule(line: &str) -> bool {
    let line = line.trim();
    line.contains('|')
        && line.contains("--")
        && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// The line as written with its quotations blanked out, or `None` when it
/// quotes nothing: the words of a quotation are cited, not the line's own
/// ("readers asked whether they must click «Accept all»"). Pairs of
/// double marks (`"…"`, `“…”`, `„…“`, `«…»`, `»…«`, `「…」`, `『…』`) are
/// blanked mark to mark, each character by a space; a mark left open stays.
pub(crate) fn outside_quotations(line: &str) -> Option<String> {
    let closer = |c: char| match c {
        '"' => Some(&['"'][..]),
        '“' => Some(&['”', '“'][..]),
        '„' => Some(&['“', '”'][..]),
        '«' => Some(&['»'][..]),
        '»' => Some(&['«'][..]),
        '「' => Some(&['」'][..]),
        '『' => Some(&['』'][..]),
        _ => None,
    };
    if !line.contains(['"', '“', '„', '«', '»', '「', '『']) {
        return None;
    }
    let mut spans = Vec::new();
    let mut open: Option<(usize, &[char])> = None;
    for (i, c) in line.char_indices() {
        match open {
            Some((at, closers)) if closers.contains(&c) => {
                spans.push((at, i + c.len_utf8()));
                open = None;
            }
            Some(_) => {}
            None => open = closer(c).map(|closers| (i, closers)),
        }
    }
    if spans.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(line.len());
    let mut from = 0;
    for (start, end) in spans {
        out.push_str(&line[from..start]);
        out.extend(line[start..end].chars().map(|_| ' '));
        from = end;
    }
    out.push_str(&line[from..]);
    Some(out)
}

/// Is `start..end` in brackets inside a sentence: words before the
/// bracket, and the sentence's full stop after it ("… prints New article
/// available! (Read more...).")? A bracketed link that closes a teaser has
/// no full stop after it.
fn in_brackets_of_a_sentence(norm: &str, start: usize, end: usize) -> bool {
    let Some(open) = norm[..start].rfind('(') else {
        return false;
    };
    if norm[open..start].contains(')') || !norm[..open].chars().any(is_word_char) {
        return false;
    }
    let Some(close) = norm[end..].find(')').map(|i| end + i) else {
        return false;
    };
    matches!(norm[close + 1..].trim(), "." | "!" | "?")
}

/// Byte offsets of the opening and closing marks of the quotations on a
/// normalised line: double quotes in pairs, and single quotes that open
/// after a space or bracket and close before one (not apostrophes).
fn quote_spans(norm: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut open_double: Option<usize> = None;
    let mut open_single: Option<usize> = None;
    let bytes = norm.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => match open_double.take() {
                Some(open) => spans.push((open, i)),
                None => open_double = Some(i),
            },
            b'\'' => {
                let before = if i == 0 { b' ' } else { bytes[i - 1] };
                let after = bytes.get(i + 1).copied().unwrap_or(b' ');
                let opens = matches!(before, b' ' | b'(' | b'[' | b'"') && after != b' ';
                let closes = !matches!(before, b' ')
                    && matches!(after, b' ' | b'.' | b',' | b';' | b':' | b'!' | b'?' | b')');
                if let Some(open) = open_single
                    && closes
                {
                    spans.push((open, i));
                    open_single = None;
                } else if opens {
                    open_single = Some(i);
                }
            }
            _ => {}
        }
    }
    // Chinese and Japanese corner brackets quote as well: 「…」, 『…』.
    for (open_mark, close_mark) in [('「', '」'), ('『', '』')] {
        let mut open: Option<usize> = None;
        for (i, c) in norm.char_indices() {
            if c == open_mark {
                open = Some(i);
            } else if c == close_mark
                && let Some(at) = open.take()
            {
                spans.push((at, i));
            }
        }
    }
    spans
}

/// Does the line, as written, look like code or markup? The regex reads
/// the line trimmed, and also as written when it is indented: indentation
/// is what tells a configuration line ("    image: busybox") from a label.
pub(crate) fn is_code(line: &str, markers: &[String], regex: &crate::rules::RuleRegex) -> bool {
    markers.iter().any(|m| line.contains(m.as_str()))
        || regex.is_match(line.trim())
        || line.starts_with([' ', '\t']) && regex.is_match(line.trim_end())
}

/// Does the line hold one of the phrases, and is it at least `min_words`
/// long?
pub(crate) fn is_reported_speech(
    norm: &str,
    phrases: &[String],
    words: &std::collections::BTreeSet<String>,
    min_words: usize,
) -> bool {
    words_up_to(norm, min_words) >= min_words
        && (norm
            .split(|c: char| !is_word_char(c))
            .any(|word| !word.is_empty() && words.contains(word))
            || phrases
                .iter()
                .filter(|p| !words.contains(p.as_str()))
                .any(|p| contains_phrase(norm, p)))
}

/// Does a sentence of the normalised line end in an attribution after a
/// comma: two to five words, the first an opener ("the", "his", …) and the
/// last a verb of `verbs` or of the one-word reporting phrases (or the
/// verb first and the opener second: "…, disait le panneau."), then a full
/// stop ("Accept every cookie, the first pop-up began." "Subscribe today,
/// the flyers say. Nobody did.")? The words before the comma are what was
/// said or shown, not said to the reader.
pub(crate) fn ends_in_attribution(
    norm: &str,
    openers: &std::collections::BTreeSet<String>,
    verbs: &std::collections::BTreeSet<String>,
    speech: &std::collections::BTreeSet<String>,
) -> bool {
    if openers.is_empty() {
        return false;
    }
    let bytes = norm.as_bytes();
    norm.match_indices('.').any(|(stop, _)| {
        if bytes.get(stop + 1).is_some_and(|&b| b != b' ') {
            return false;
        }
        let sentence_start = norm[..stop].rfind(['.', '!', '?']).map_or(0, |at| at + 1);
        let Some(comma) = norm[sentence_start..stop].rfind(',') else {
            return false;
        };
        let comma = sentence_start + comma;
        let words: Vec<&str> = norm[comma + 1..stop].split_whitespace().collect();
        let verb = |w: &str| verbs.contains(w) || speech.contains(w);
        let said = (2..=5).contains(&words.len())
            && words
                .iter()
                .all(|w| w.chars().all(|c| is_word_char(c) || c == '-' || c == '\''))
            && (openers.contains(words[0]) && verb(words[words.len() - 1])
                || verb(words[0]) && openers.contains(words[1]));
        said && words_up_to(&norm[sentence_start..comma], 1) == 1
    })
}

/// The sentence of a normalised line around `start..end`: byte bounds.
pub(crate) fn sentence_around(norm: &str, start: usize, end: usize) -> (usize, usize) {
    let bytes = norm.as_bytes();
    // A stop ends a sentence before a space or the end; a Chinese or
    // Japanese full stop, question or exclamation mark ends one anywhere.
    let stop_len = |i: usize| -> Option<usize> {
        if matches!(bytes[i], b'.' | b'!' | b'?') && bytes.get(i + 1).is_none_or(|&b| b == b' ') {
            return Some(1);
        }
        norm.get(i..)?
            .chars()
            .next()
            .filter(|c| UNSPACED_STOPS.contains(c))
            .map(char::len_utf8)
    };
    let from = (0..start)
        .rev()
        .find_map(|i| stop_len(i).map(|len| i + len))
        .unwrap_or(0);
    let to = (end..bytes.len())
        .find_map(|i| stop_len(i).map(|len| i + len))
        .unwrap_or(bytes.len());
    (from, to)
}

/// Where the next clause after a phrase ending at `end` starts: after the
/// first clause break (",", ":", "?", "!", ";", or a dash between spaces)
/// that follows it.
pub(crate) fn clause_after(norm: &str, end: usize) -> Option<usize> {
    // A phrase may end in its own break ("Already a subscriber?").
    if norm[..end].ends_with([',', ':', '?', '!', ';']) {
        return Some(end);
    }
    let bytes = norm.as_bytes();
    norm[end..].char_indices().find_map(|(offset, c)| {
        let at = end + offset;
        let breaks = match c {
            ',' | ':' | '?' | '!' | ';' => true,
            '-' => at > 0 && bytes[at - 1] == b' ' && bytes.get(at + 1) == Some(&b' '),
            _ => false,
        };
        breaks.then_some(at + 1)
    })
}

/// Does a clause (as written) read as a headline's own: at least
/// `min_words` words, two of them in lowercase (or, in title case, one
/// more word than that and no list in it), none of `address`, and no
/// link, handle or price?
pub(crate) fn is_plain_clause(
    written: &str,
    norm: &str,
    min_words: usize,
    address: &[String],
) -> bool {
    if written.contains(['@', '£', '$', '€', '¥']) || norm.contains("http") || norm.contains("www.")
    {
        return false;
    }
    let lowercase = written
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .count();
    let reads = if lowercase >= 2 {
        words_up_to(norm, min_words) >= min_words
    } else {
        is_title_case_clause(written, norm, min_words + 1)
    };
    reads && address_words(norm, address, 1) == 0
}

/// Is a clause a title-case headline's ("Most Users Click Without
/// Reading"): at least `min_words` words, all but at most one of them
/// capitalised, and nothing that joins names into a list (a comma, "and",
/// "&", a bar or a slash: "Facebook And Instagram" is a list of names)?
fn is_title_case_clause(written: &str, norm: &str, min_words: usize) -> bool {
    let words: Vec<&str> = written.split_whitespace().collect();
    let capitalised = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    let lists = written.contains([',', '&', '|', '/', '·', '•'])
        || norm.split(' ').any(|w| {
            matches!(
                w,
                "and" | "or" | "und" | "et" | "y" | "e" | "en" | "i" | "og" | "och"
            )
        });
    words.len() >= min_words
        && capitalised + 1 >= words.len()
        && words_up_to(norm, min_words) >= min_words
        && !lists
}

/// Does the sentence holding the phrase at `start..end` run on past it into
/// prose? `original_next` gives the first character after the phrase in
/// the line as written (a capital there starts a name: "Reporting by
/// Jane"); it is asked only when needed, since finding it reads the line.
pub(crate) fn runs_into_prose(
    norm: &str,
    start: usize,
    end: usize,
    original_next: impl FnOnce() -> Option<char>,
    limits: &ProseLimits<'_>,
) -> bool {
    let &ProseLimits {
        min_words,
        min_words_before,
        min_words_alone,
        continuations,
    } = limits;
    let (from, to) = sentence_around(norm, start, end);
    let sentence = &norm[from..to];
    if !ends_sentence(sentence) {
        return false;
    }
    if words_up_to(sentence, min_words) < min_words {
        // A shorter sentence is prose only alone on its line, opened by the
        // phrase as its subject, ending in a full stop (not "!", which calls
        // to action), with no price, link or handle in it and no label
        // after the phrase ("Join the club: news every morning.").
        let stop = norm
            .trim_end()
            .trim_end_matches(['"', '\'', ')'])
            .strip_suffix('.');
        let alone = from == 0
            && norm[to..].trim().is_empty()
            && !norm[end..].contains(':')
            && stop.is_some_and(|s| !s.ends_with('.'))
            && words_up_to(sentence, min_words_alone) >= min_words_alone
            && !norm[..start].chars().any(is_word_char)
            && !norm.contains(['@', '£', '$', '€', '¥'])
            && !norm.contains("http")
            && !norm.contains("www.");
        return alone
            && opens_as_subject(
                norm,
                start..end,
                to,
                original_next,
                continuations,
                min_words_before,
            );
    }
    // Chinese and Japanese run words together: a phrase with text of the
    // sentence written on against it on both sides, in a sentence long
    // enough ("同社はクッキーを使用して利用者の行動を追跡していた…"), is its
    // subject or object. (Who the sentence speaks to is asked apart.)
    let unspaced_before = norm[from..start]
        .chars()
        .next_back()
        .is_some_and(is_unspaced_script);
    let unspaced_after = norm[end..to].chars().next().is_some_and(is_unspaced_script);
    if unspaced_before || unspaced_after {
        // Fullwidth "！" and "？" are of those scripts too, but end the
        // sentence rather than write it on.
        let words_after = words_up_to(norm[end..to].trim_end_matches(UNSPACED_STOPS), 1);
        return unspaced_before && unspaced_after && words_after >= 1;
    }
    // Words before the phrase in its sentence, since the last label mark
    // (colon, dash, bar, bracket): "the mayor urged residents to sign up".
    // A phrase that ends the line closes it ("… contributed to this report").
    let before = &norm[from..start];
    let clause_start = [":", ";", " - ", "(", "|"]
        .iter()
        .filter_map(|mark| before.rfind(mark).map(|at| at + mark.len()))
        .max()
        .unwrap_or(0);
    let clause = before[clause_start..].trim_start_matches(|c: char| !is_word_char(c));
    let (_, core_end) = core_text_end(norm);
    if words_up_to(clause, min_words_before) >= min_words_before {
        // A closing formula of three words or more may end a line of prose
        // ("… contributed to this report"); a shorter phrase there is the
        // sentence's object ("… via affiliate links").
        return end < core_end || words_up_to(&norm[start..end], 3) < 3;
    }
    if clause.split_whitespace().next().is_some() {
        return false;
    }
    // The phrase opens its clause: prose when the sentence goes on for long
    // after it ("Subscribe now buttons have become far more aggressive …").
    opens_as_subject(
        norm,
        start..end,
        to,
        original_next,
        continuations,
        min_words_before * 2,
    )
}

/// The settings of the prose guard ([`GuardKind::Prose`]).
pub(crate) struct ProseLimits<'a> {
    pub min_words: usize,
    pub min_words_before: usize,
    pub min_words_alone: usize,
    pub continuations: &'a [String],
}

/// Does the phrase at `phrase`, opening its clause, stand as the subject of
/// a sentence that ends at `to`: a plain word follows it that does not
/// continue a call to action ("to", "now", …) and starts no name (a capital
/// or a digit, as written), and at least `min_after` words? A phrase that
/// ends in a comma or colon is an opener, not a subject.
fn opens_as_subject(
    norm: &str,
    phrase: std::ops::Range<usize>,
    to: usize,
    original_next: impl FnOnce() -> Option<char>,
    continuations: &[String],
    min_after: usize,
) -> bool {
    if norm[phrase.clone()].ends_with([',', ':', ';']) {
        return false;
    }
    let after = norm[phrase.end..to].trim_start();
    let Some(next_word) = after.split_whitespace().next() else {
        return false;
    };
    if !norm[phrase.end..].starts_with(' ')
        || !next_word.chars().next().is_some_and(is_word_char)
        || words_up_to(after, min_after) < min_after
    {
        return false;
    }
    if original_next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()) {
        return false;
    }
    let word = next_word.trim_end_matches(|c: char| !is_word_char(c));
    !continuations.iter().any(|c| c == word)
}

/// The end of the words of a normalised line: final punctuation aside.
fn core_text_end(norm: &str) -> (usize, usize) {
    let end = norm
        .trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '.' | '!' | '?' | '"' | '\'' | ')' | ']')
        })
        .len();
    (0, end)
}

/// Does a line as written hold a word of `formal` (as written: "Sie")
/// inside a sentence, not opening it, where a capital marks the reader
/// being addressed rather than a sentence's start?
pub(crate) fn addresses_formally(written: &str, formal: &[String]) -> bool {
    let mut opens = true;
    for word in written.split_whitespace() {
        let bare = word.trim_matches(|c: char| !is_word_char(c));
        if !opens && formal.iter().any(|f| f == bare) {
            return true;
        }
        opens =
            word.ends_with(['.', '!', '?', ':', '"', '«', '„', '“']) || bare.is_empty() && opens;
    }
    false
}

/// Does a normalised line read as a sentence: at least `min_words` words,
/// ending in a full stop?
pub(crate) fn is_sentence(norm: &str, min_words: usize) -> bool {
    words_up_to(norm, min_words) >= min_words && ends_sentence(norm)
}

/// How many of the words of a line as written are in `address`, counting
/// no further than `limit`. A word in capitals is a name, not an address
/// ("US" is not "us").
pub(crate) fn address_words(line: &str, address: &[String], limit: usize) -> usize {
    // For words of ASCII: the lengths (below 64) of the address words by
    // their first byte, so that most words are passed over at a glance.
    let mut lengths = [0u64; 128];
    for a in address {
        if let Some(&first) = a.as_bytes().first()
            && first < 128
        {
            lengths[usize::from(first)] |= 1u64.checked_shl(a.len() as u32).unwrap_or(0);
        }
    }
    let spaced = line
        .split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
        .filter(|w| !(w.chars().count() > 1 && w.chars().all(|c| c.is_uppercase())))
        .filter(|w| {
            if w.is_ascii() {
                let first = usize::from(w.as_bytes()[0].to_ascii_lowercase());
                if w.len() < 64 && lengths[first] & (1 << w.len()) == 0 {
                    return false;
                }
                // As `to_lowercase` would give it, without making it.
                address.iter().any(|a| {
                    a.len() == w.len()
                        && a.bytes()
                            .zip(w.bytes())
                            .all(|(x, y)| x == y.to_ascii_lowercase())
                })
            } else {
                address.contains(&w.to_lowercase())
            }
        })
        .take(limit)
        .count();
    // Words of a script written without spaces are found inside the text
    // (never in a line of ASCII).
    let unspaced = if line.is_ascii() {
        0
    } else {
        address
            .iter()
            .filter(|a| a.chars().any(is_unspaced_script))
            .map(|a| line.matches(a.as_str()).count())
            .sum::<usize>()
    };
    (spaced + unspaced).min(limit)
}

/// Digits in a phone number at the least.
const PHONE_DIGITS: usize = 7;

/// Does the normalised line hold a phone number: a run of at least
/// `PHONE_DIGITS` digits, maybe grouped by spaces, dashes, dots, slashes or
/// brackets ("01632 960418", "0700 000 314", "(555) 014-2200")?
pub(crate) fn holds_a_phone_number(norm: &str) -> bool {
    let mut digits = 0;
    for c in norm.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            if digits >= PHONE_DIGITS {
                return true;
            }
        } else if !matches!(c, ' ' | '-' | '.' | '/' | '(' | ')' | '+') {
            digits = 0;
        }
    }
    false
}

/// Does the line hold an e-mail address ("bauamt@gemeinde.test", not a
/// handle's "@name"), or the placeholder a page shows for one it hides
/// ("[email protected]")?
pub(crate) fn holds_an_email_address(line: &str) -> bool {
    line.contains("[email protected]")
        || line.split_whitespace().any(|token| {
            token.split_once('@').is_some_and(|(local, domain)| {
                local.chars().next_back().is_some_and(is_word_char)
                    && domain
                        .trim_end_matches(|c: char| !c.is_alphanumeric())
                        .split_once('.')
                        .is_some_and(|(host, tld)| !host.is_empty() && !tld.is_empty())
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_chinese_and_japanese_are_counted_two_characters_each() {
        assert_eq!(words_up_to("同社は発表した", 10), 4);
        assert_eq!(words_up_to("The cookie 同社は", 10), 4);
        assert_eq!(words_up_to("同社は発表した", 2), 2);
        let norm = "委員会が発表した。同社はクッキーを使用していた。専門家は指摘した。";
        let start = norm.find("クッキー").unwrap();
        let (from, to) = sentence_around(norm, start, start + "クッキー".len());
        assert_eq!(&norm[from..to], "同社はクッキーを使用していた。");
    }

    #[test]
    fn quotations() {
        let cases = [
            (
                "the banner read \"support us today\", critics said.",
                "support us",
                true,
            ),
            ("\"support us today\"", "support us", true),
            ("she said 'accept all cookies' twice.", "accept all", true),
            ("we're asking you to support us today.", "support us", false),
            ("support us today, she said \"now\".", "support us", false),
            (
                "it prints new article available! (read more...).",
                "read more",
                true,
            ),
            ("new article available (read more...)", "read more", false),
        ];
        for (line, phrase, want) in cases {
            let start = line.find(phrase).unwrap();
            assert_eq!(is_quoted(line, start, start + phrase.len()), want, "{line}");
        }
    }

    #[test]
    fn quotations_blanked_out_of_a_line() {
        // Each line and its quotations, marks included.
        let cases: [(&str, &[&str]); 6] = [
            ("We use cookies. Accept all?", &[]),
            (
                "Readers asked us whether «Aceitar todos» is a must.",
                &["«Aceitar todos»"],
            ),
            ("Click \"Agree\" to consent.", &["\"Agree\""]),
            ("„Alle akzeptieren“ oder nicht", &["„Alle akzeptieren“"]),
            ("An open \" mark stays", &[]),
            ("»Zitat« und «citation»", &["»Zitat«", "«citation»"]),
        ];
        for (line, quoted) in cases {
            let want = (!quoted.is_empty()).then(|| {
                quoted.iter().fold(line.to_string(), |text, q| {
                    text.replace(q, &" ".repeat(q.chars().count()))
                })
            });
            assert_eq!(outside_quotations(line), want, "{line}");
        }
    }

    #[test]
    fn notes_of_corrections_and_updates() {
        let labels: Vec<String> = ["correction", "editor's note", "rectificatif"]
            .map(String::from)
            .to_vec();
        for (norm, want) in [
            (
                "correction: an earlier version gave his age as 55. he is 52.",
                true,
            ),
            ("**editor's note:** the appeal closes on 31 march.", true),
            ("rectificatif : la commune compte 218 habitants.", true),
            ("- correction: the vote was on tuesday.", true),
            ("correction: tuesday", false),
            ("corrections", false),
            ("the correction: it came too late.", false),
        ] {
            assert_eq!(is_note(norm, &labels, 4), want, "{norm}");
        }
    }

    #[test]
    fn a_sentence_closed_by_a_row_of_buttons() {
        for banner in [
            "fenmoor weekly uses cookies to keep you signed in. accept all · choose settings",
            "is that ok with you? yes, that's fine | let me choose",
            "we would like to set optional cookies. accept optional cookies  reject optional cookies",
        ] {
            assert!(closes_with_buttons(banner), "{banner}");
        }
        for text in [
            "the council voted on tuesday. the budget passes next week.",
            "the banner offered two buttons, accept all and choose settings.",
            "the vote is close. accept all the terms of the deal by friday, the mayor said",
            "no stop here · accept · reject",
        ] {
            assert!(!closes_with_buttons(text), "{text}");
        }
    }

    #[test]
    fn citations_and_headlines_with_years() {
        let markers = ["et al".to_string(), "doi".to_string()];
        for cited in [
            "- D. Ollerton, \"Nitrogen-loving lichens as urban indicators\", Field Notes, 2021",
            "1. The 2024 Local News Trust Survey, Northgate Institute, 2024.",
            "1. The 2024 Local News Trust Survey, Northgate Institute",
            "Smith, J. et al., river birds of the north, 1998, pp. 4-9",
            "Hale, A. (2019), lichens and soot, doi 10.0/x",
        ] {
            assert!(
                is_citation(&cited.to_lowercase(), cited, &markers),
                "{cited}"
            );
        }
        for headline in [
            "The 2024 budget, explained",
            "Ferry fares rise by 6% in 2025",
            "- Hospice shop on Mercer Street to close after 30 years",
            "\"We will not give up\", says mayor",
            "The bridge was built in 1998, the council said in 2019.",
            "Posted on: October 6, 2025",
            "Piața centrală în 1962, imagine din expoziție. Foto: arhiva",
            "Storm of 2024, a year on: what the town rebuilt",
            "2025, un año en el banquillo: de Ábalos a Gómez, García Ortiz o, tal vez, Mazón",
        ] {
            assert!(
                !is_citation(&headline.to_lowercase(), headline, &markers),
                "{headline}"
            );
        }
    }

    #[test]
    fn markdown_table_rows_and_rules() {
        assert!(is_table_row("| Home | Score | Away | Score |"));
        assert!(is_table_row("  |a|b|  "));
        assert!(!is_table_row("| Home |"));
        assert!(!is_table_row("Home | News | Sport"));
        assert!(is_table_rule("|---|:--:|---|"));
        assert!(is_table_rule("--- | ---"));
        assert!(!is_table_rule("| - |"));
        assert!(!is_table_rule("-----"));
    }

    #[test]
    fn attribution_after_a_comma() {
        let set = |words: &[&str]| words.iter().map(|w| w.to_string()).collect();
        let openers: std::collections::BTreeSet<String> = set(&["the", "le"]);
        let verbs = set(&["began", "say", "disait"]);
        let speech = set(&["said"]);
        let cases = [
            ("accept every cookie, the first pop-up began.", true),
            ("subscribe today, the flyers say. nobody did.", true),
            ("abonnez-vous, disait le panneau.", true),
            ("sales rose, the consortium said.", true),
            // No attribution: the tail names, it does not say.
            ("sign up for morning brief, the daily newsletter.", false),
            ("become a member, the smartest way to read.", false),
            // Nothing before the comma, too long a tail, no full stop.
            (", the banner began.", false),
            (
                "accept all, the banner on every page of the old site began.",
                false,
            ),
            ("accept every cookie, the first pop-up began", false),
        ];
        for (norm, want) in cases {
            assert_eq!(
                ends_in_attribution(norm, &openers, &verbs, &speech),
                want,
                "{norm}"
            );
        }
        assert!(!ends_in_attribution(
            "accept every cookie, the first pop-up began.",
            &Default::default(),
            &verbs,
            &speech
        ));
    }

    #[test]
    fn prose_run_on() {
        let continuations: Vec<String> = ["to", "now", "for"].map(String::from).to_vec();
        let cases = [
            (
                "subscribe now buttons have become far more aggressive on news sites, a study found.",
                "Subscribe now buttons",
                "subscribe now",
                true,
            ),
            (
                "subscribe now to get unlimited access to every story we publish, every day.",
                "Subscribe now to",
                "subscribe now",
                false,
            ),
            (
                "the mayor urged residents to sign up for our newsletter about the road works this week.",
                "",
                "sign up for our newsletter",
                true,
            ),
            (
                "reporting by jane doe and john roe in washington; editing by chris reese and mark heinrich.",
                "Reporting by Jane",
                "reporting by",
                false,
            ),
            (
                "sign up for our newsletter.",
                "",
                "sign up for our newsletter",
                false,
            ),
            (
                "subscribe now buttons have become larger, brighter and harder to dismiss over the past five years, a study of 600 news websites by researchers at the university of alderney has found.",
                "Subscribe now buttons",
                "subscribe now",
                true,
            ),
            // Shorter, a sentence is prose alone on its line, opened by the
            // phrase as its subject, ending in a full stop.
            (
                "subscribe now buttons have become a fixture of news sites.",
                "Subscribe now buttons",
                "subscribe now",
                true,
            ),
            (
                "subscribe now buttons have become a fixture of news sites!",
                "Subscribe now buttons",
                "subscribe now",
                false,
            ),
            (
                "subscribe now buttons cost publishers $40 a year each.",
                "Subscribe now buttons",
                "subscribe now",
                false,
            ),
            (
                "subscribe now buttons are everywhere.",
                "Subscribe now buttons",
                "subscribe now",
                false,
            ),
            (
                "subscribe now to get unlimited access to all of it.",
                "Subscribe now to",
                "subscribe now",
                false,
            ),
            (
                "the study is out. subscribe now buttons have become a fixture.",
                "",
                "subscribe now",
                false,
            ),
        ];
        let limits = ProseLimits {
            min_words: 12,
            min_words_before: 5,
            min_words_alone: 8,
            continuations: &continuations,
        };
        for (line, original, phrase, want) in cases {
            let start = line.find(phrase).unwrap();
            let next = original
                .get(phrase.len() + 1..)
                .and_then(|s| s.chars().next());
            assert_eq!(
                runs_into_prose(line, start, start + phrase.len(), || next, &limits),
                want,
                "{line}"
            );
        }
    }

    #[test]
    fn formal_address_inside_a_sentence() {
        let formal: Vec<String> = ["Sie", "Ihre"].map(String::from).to_vec();
        assert!(addresses_formally(
            "Mit Absenden stimmen Sie der Verarbeitung zu.",
            &formal
        ));
        assert!(!addresses_formally("Sie kamen am Montag an.", &formal));
        assert!(!addresses_formally("Gestern kamen sie an.", &formal));
        assert!(!addresses_formally(
            "Es regnete. Sie kamen trotzdem.",
            &formal
        ));
        assert!(addresses_formally(
            "Es regnete. Bringen Sie Schirme.",
            &formal
        ));
    }

    #[test]
    fn address_words_are_found_as_lowercasing_each_word_finds_them() {
        // Every word lowercased and looked up in the list, as the count is
        // defined.
        let by_lowercasing = |line: &str, address: &[String], limit: usize| {
            let spaced = line
                .split(|c: char| !is_word_char(c))
                .filter(|w| !w.is_empty())
                .filter(|w| !(w.chars().count() > 1 && w.chars().all(|c| c.is_uppercase())))
                .filter(|w| address.contains(&w.to_lowercase()))
                .take(limit)
                .count();
            let unspaced = address
                .iter()
                .filter(|a| a.chars().any(is_unspaced_script))
                .map(|a| line.matches(a.as_str()).count())
                .sum::<usize>();
            (spaced + unspaced).min(limit)
        };
        let address: Vec<String> = ["we", "our", "you", "vocês", "twój", "мы", "Sie", "我们"]
            .map(String::from)
            .to_vec();
        let long = "you ".repeat(40) + &"w".repeat(70);
        for line in [
            "We need YOU, and You and yOu and our readers.",
            "US and WE are names; Our and OUR are not both.",
            "Sie sagen, sie und Sie; Vocês e vocês, Twój, МЫ и мы.",
            "我们的读者 and you",
            "wee ours youth w y o",
            long.as_str(),
        ] {
            for limit in [1, 2, 9, 100] {
                assert_eq!(
                    address_words(line, &address, limit),
                    by_lowercasing(line, &address, limit),
                    "{line:?} {limit}"
                );
            }
        }
    }

    #[test]
    fn sentences_and_address() {
        assert!(is_sentence("the vote was delayed again.", 3));
        assert!(!is_sentence("monthly", 3));
        assert!(!is_sentence("read more...", 1));
        assert!(ends_sentence("*jane doe covers the courts for the wire.*"));
        assert!(ends_sentence("**the vote was delayed again.**"));
        assert!(!ends_sentence("**more on privacy**"));
        let address: Vec<String> = ["we", "our", "you"].map(String::from).to_vec();
        assert_eq!(
            address_words("We need you, and our readers.", &address, 9),
            3
        );
        assert_eq!(address_words("You're with us.", &address, 9), 1);
        assert_eq!(
            address_words(
                "The US and our allies.",
                &["us".to_string(), "our".to_string()],
                9
            ),
            1
        );
        assert_eq!(address_words("The weather was fine.", &address, 9), 0);
    }
}
