//! The stripper: one compiled rule set and guard set, applied to one text at
//! a time.
//!
//! All phrases of all rules go into one Aho-Corasick automaton, built once.
//! A text is split into lines, normalised (see [`crate::normalize`]) into one
//! buffer and scanned once ([`document`]). Evidence is then gathered once per
//! line: what each rule whose phrase is on the line could do there (one
//! evaluator per kind of rule, [`kinds`]) and which guards object to it
//! ([`crate::guards`]). Only [`decide`] removes anything; its order of
//! precedence is written at the top of that module.
//!
//! A line longer than a rule's `max_chars` is never removed whole: at most a
//! trailing span of sentences that each hold a strong phrase is cut from it.

mod decide;
mod document;
mod kinds;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::guards::GuardSet;
use crate::rules::{Category, RuleKind, RuleSet};
use crate::scorer::Scorer;
use document::{Document, core_bounds};

/// The rule id of removals the learned scorer proposed.
pub const MODEL_ID: &str = "MODEL";

/// One piece of text that was taken out, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Removal {
    /// 1-based number of the line the removal starts on.
    pub line: usize,
    /// Bytes of the input that were removed, line ending included when a
    /// whole line goes (and any blank lines that went with it).
    pub bytes: Range<usize>,
    /// True when whole lines were removed; false for a span inside a line.
    pub whole_line: bool,
    /// Id of the rule that explains the removal.
    pub rule_id: String,
    /// Category of that rule.
    pub category: Category,
    /// The phrase that matched, as it stands in the input; empty when no
    /// phrase is on the line (see `evidence`).
    pub phrase: String,
    /// What tied the removal to its rule.
    pub evidence: Reason,
    /// For a removal by the learned scorer, when the stripper explains
    /// ([`ModelSettings::explain`]): the features that weighed most, as
    /// `family: feature (weight)`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
}

/// Why a line (or its trailing span) went: the evidence that won.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Reason {
    /// A phrase of a rule that takes a line by itself is on the line.
    Phrase,
    /// A weak phrase (a cue) is on the line, and its context agrees.
    Cue {
        /// What in the context agreed.
        context: CueContext,
    },
    /// The line is inside a block that the rule opened on this 1-based line.
    Block {
        /// Line of the block's opener.
        opened_at: usize,
    },
    /// A short line between removed lines of one kind, gone with them.
    Between,
    /// A short line of a run of short lines after the article, of which
    /// rules took `removed` of `of`: gone with them.
    Run {
        /// Lines of the run that rules took.
        removed: u16,
        /// Lines in the run.
        of: u16,
    },
    /// A short line of a menu one item a line at the top of the text, of
    /// which rules took `removed` of `of` items (or none, and a cue names
    /// one): gone with them.
    Menu {
        /// Items of the menu that rules took.
        removed: u16,
        /// Items in the menu.
        of: u16,
    },
    /// A row of buttons right under a consent notice a rule took (on this
    /// 1-based line), gone with it.
    Buttons {
        /// Line of the notice.
        notice_at: usize,
    },
    /// A teaser's headline or summary, in a list of two or more teasers
    /// after the article each closed by a line of the rule (a date).
    Teaser {
        /// The 1-based line that closes this teaser.
        closed_at: usize,
    },
    /// The learned scorer found the line boilerplate where no rule spoke
    /// (rule id `MODEL`).
    Model {
        /// Its probability of being boilerplate, in thousandths.
        permille: u16,
    },
}

/// What made a cue's weak phrase enough.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CueContext {
    /// A line next to it was removed.
    NextToRemoved,
    /// A second phrase that could take the line is on it.
    SecondPhrase,
    /// It is one of a run of cue lines.
    Run,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Phrase => f.write_str("phrase"),
            Reason::Cue { context } => match context {
                CueContext::NextToRemoved => f.write_str("cue next to a removed line"),
                CueContext::SecondPhrase => f.write_str("cue with a second phrase"),
                CueContext::Run => f.write_str("cue in a run of cues"),
            },
            Reason::Block { opened_at } => write!(f, "in the block opened on line {opened_at}"),
            Reason::Between => f.write_str("between removed lines"),
            Reason::Run { removed, of } => write!(
                f,
                "in a run of short lines after the article, {removed} of its {of} removed"
            ),
            Reason::Menu { removed, of } => write!(
                f,
                "in a menu of {of} short lines above the article, {removed} of them removed by rules"
            ),
            Reason::Buttons { notice_at } => {
                write!(
                    f,
                    "a row of buttons under the consent notice on line {notice_at}"
                )
            }
            Reason::Teaser { closed_at } => {
                write!(f, "a teaser closed on line {closed_at}")
            }
            Reason::Model { permille } => {
                write!(f, "model score {}.{:03}", permille / 1000, permille % 1000)
            }
        }
    }
}

/// A removal a rule proposed and a guard stopped: the line stayed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Objection {
    /// 1-based number of the line that stayed.
    pub line: usize,
    /// The rule that proposed to remove it.
    pub rule_id: String,
    /// Category of that rule.
    pub category: Category,
    /// The phrase of the proposal, as it stands in the input (empty when
    /// the proposal had none: a block or a line between removed lines).
    pub phrase: String,
    /// The guard that objected.
    pub guard_id: String,
    /// What the guard saw.
    pub guard: &'static str,
}

/// The result of stripping one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome<'a> {
    /// The cleaned text: the input with the removals cut out.
    pub text: Cow<'a, str>,
    /// Every removal, in input order.
    pub removals: Vec<Removal>,
    /// Every line a rule proposed to remove and a guard kept, in input order.
    pub objections: Vec<Objection>,
}

/// How much work stripping one text did, for tests that its cost grows
/// linearly with the text, whatever the text: each count should at most
/// double when the text doubles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    /// Bytes of normalised text the phrase automaton read.
    pub bytes_scanned: usize,
    /// Phrase hits it found.
    pub hits: usize,
    /// Lines the decision visited, in every pass, walk and round (the
    /// scorer's rounds included).
    pub line_visits: usize,
    /// Bytes of lines handed to rules' regexes and `unless` tests.
    pub tested_bytes: usize,
    /// Bytes of lines normalised again to find where a place in the
    /// normalised text is in the input.
    pub mapped_bytes: usize,
}

/// One document of a text that holds several, cut at separator lines (see
/// [`split_documents`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece<'t> {
    /// The document's text, its last line ending included.
    pub text: &'t str,
    /// Its first byte in the whole text.
    pub start: usize,
    /// Lines of the whole text before it (a lone `\r` ends a line, as
    /// everywhere in scrubtext).
    pub lines_before: usize,
}

/// Cuts `text` into the documents between lines that are exactly
/// `separator` (their line ending aside). The separator lines belong to no
/// document: they stay as they are, and each document is stripped alone.
/// A text without a separator line is one document.
pub fn split_documents<'t>(text: &'t str, separator: &str) -> Vec<Piece<'t>> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut lines_before = 0;
    let mut line_start = 0;
    let mut line_number = 0;
    while line_start < bytes.len() {
        // The end of this line and the start of the next.
        let mut end = line_start;
        while end < bytes.len() && bytes[end] != b'\n' && bytes[end] != b'\r' {
            end += 1;
        }
        let next = match bytes.get(end) {
            Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => end + 2,
            Some(_) => end + 1,
            None => end,
        };
        if &text[line_start..end] == separator {
            pieces.push(Piece {
                text: &text[start..line_start],
                start,
                lines_before,
            });
            start = next;
            lines_before = line_number + 1;
        }
        line_number += 1;
        line_start = next;
    }
    pieces.push(Piece {
        text: &text[start..],
        start,
        lines_before,
    });
    pieces
}

impl<'a> Outcome<'a> {
    /// The outcome of a whole text from those of its documents (each
    /// [`Piece`] of `whole` with its outcome, in order): removals and
    /// objections are placed in the whole text, and the separator lines
    /// between the documents stay.
    pub fn joined(whole: &'a str, parts: Vec<(Piece<'_>, Outcome<'_>)>) -> Outcome<'a> {
        let mut removals = Vec::new();
        let mut objections = Vec::new();
        let mut text = String::new();
        let changed = parts.iter().any(|(_, outcome)| outcome.changed());
        let mut at = 0;
        for (piece, outcome) in parts {
            if changed {
                text.push_str(&whole[at..piece.start]);
                text.push_str(&outcome.text);
            }
            at = piece.start + piece.text.len();
            removals.extend(outcome.removals.into_iter().map(|mut removal| {
                removal.line += piece.lines_before;
                removal.bytes = removal.bytes.start + piece.start..removal.bytes.end + piece.start;
                removal
            }));
            objections.extend(outcome.objections.into_iter().map(|mut objection| {
                objection.line += piece.lines_before;
                objection
            }));
        }
        let text = if changed {
            text.push_str(&whole[at..]);
            Cow::Owned(text)
        } else {
            Cow::Borrowed(whole)
        };
        Outcome {
            text,
            removals,
            objections,
        }
    }

    /// The outcome of `text` with these removals and objections: the
    /// cleaned text is built from the pieces that stay (borrowed when
    /// nothing goes).
    pub fn of(text: &'a str, removed: Removed) -> Outcome<'a> {
        let Removed {
            removals,
            objections,
        } = removed;
        let text = if removals.is_empty() {
            Cow::Borrowed(text)
        } else {
            let mut cleaned = String::with_capacity(text.len());
            cleaned.extend(kept_pieces(text, &removals));
            Cow::Owned(cleaned)
        };
        Outcome {
            text,
            removals,
            objections,
        }
    }
}

/// What stripping a text removes and what the guards kept, without the
/// cleaned text: for a caller that writes what stays straight to its
/// output ([`kept_pieces`]) rather than holding a second copy of a large
/// text ([`Stripper::strip_removals`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removed {
    /// Every removal, in input order.
    pub removals: Vec<Removal>,
    /// Every line a rule proposed to remove and a guard kept, in input order.
    pub objections: Vec<Objection>,
}

/// The parts of `text` that stay once `removals` (in input order and not
/// overlapping, as a stripper gives them) are cut out, in order: written
/// one after the other, they are the cleaned text.
pub fn kept_pieces<'t>(text: &'t str, removals: &'t [Removal]) -> impl Iterator<Item = &'t str> {
    let mut at = 0;
    removals
        .iter()
        .map(move |removal| {
            let piece = &text[at..removal.bytes.start];
            at = removal.bytes.end;
            piece
        })
        .chain(std::iter::once_with(move || {
            removals.last().map_or(text, |last| &text[last.bytes.end..])
        }))
        .filter(|piece| !piece.is_empty())
}

impl Outcome<'_> {
    /// True when anything was removed.
    pub fn changed(&self) -> bool {
        !self.removals.is_empty()
    }
}

/// What the rules and guards say about one line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineEvidence {
    /// Categories of the rules with a phrase on the line that could act
    /// there (no guard objecting), as bits in [`Category::ALL`] order.
    pub categories: u8,
    /// A guard objected to a phrase on the line.
    pub guarded: bool,
    /// The category of the rule that removes the line, if one does.
    pub removed: Option<Category>,
    /// The removal is a trailing span, not the whole line.
    pub span: bool,
}

impl LineEvidence {
    /// Does a phrase of this category stand on the line?
    pub fn has(&self, category: Category) -> bool {
        let bit = Category::ALL
            .iter()
            .position(|c| *c == category)
            .unwrap_or(0);
        self.categories & (1 << bit) != 0
    }
}

/// Which list of a rule a pattern came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Phrase,
    Close,
}

#[derive(Debug, Clone, Copy)]
struct PatternUse {
    rule: usize,
    role: Role,
}

/// How the learned scorer's evidence is used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelSettings {
    /// A line that no rule takes goes when its score is at least this.
    pub threshold: f32,
    /// ... and it is at most this many characters long.
    pub max_chars: usize,
    /// Name the features that weighed most in each of its removals.
    pub explain: bool,
}

impl Default for ModelSettings {
    fn default() -> ModelSettings {
        ModelSettings {
            threshold: DEFAULT_MODEL_THRESHOLD,
            max_chars: DEFAULT_MODEL_MAX_CHARS,
            explain: false,
        }
    }
}

/// The default threshold of the learned scorer (see README for the curve
/// it was chosen from).
pub const DEFAULT_MODEL_THRESHOLD: f32 = 0.85;
/// The longest line the learned scorer removes by default.
pub const DEFAULT_MODEL_MAX_CHARS: usize = 80;

/// A text as it stands once the rules have decided: the lines that stay,
/// each with the number of the line it was (0-based) and what the rules
/// and guards say of it. This is what the learned scorer reads, in
/// training and in use, so that a second pass over the cleaned text sees
/// what the first one saw.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptView {
    /// The lines that stay, as the cleaned text.
    pub text: String,
    /// For each line of `text`, the 0-based line of the input it was.
    pub lines: Vec<usize>,
    /// For each line of `text`, the rules' and guards' evidence on it.
    pub evidence: Vec<LineEvidence>,
}

/// A stripper built once from a rule set and a guard set (and, when given,
/// a learned scorer), and shared by any number of threads.
#[derive(Debug, Clone)]
pub struct Stripper {
    rules: RuleSet,
    guards: GuardSet,
    scorer: Option<std::sync::Arc<Scorer>>,
    model: ModelSettings,
    automaton: Option<AhoCorasick>,
    /// For each pattern of the automaton: its text and the rules using it.
    patterns: Vec<(String, Vec<PatternUse>)>,
}

/// The normalised form of a phrase as a pattern: line phrases are compared
/// with the line's core, the others keep their punctuation.
fn pattern_text(kind: &RuleKind, role: Role, phrase: &str) -> String {
    let normalized = crate::normalize::normalize(phrase);
    if matches!(kind, RuleKind::Line) && role == Role::Phrase {
        let (start, end) = core_bounds(&normalized);
        normalized[start..end].to_string()
    } else {
        normalized.trim().to_string()
    }
}

/// Builds an Aho-Corasick automaton over `phrases` configured as the one a
/// [`Stripper`] scans normalised text with (overlapping matches, the same
/// kind of automaton), so that a benchmark can time a raw scan with it.
///
/// A contiguous NFA, chosen by measurement over the built-in phrases: a
/// DFA scanned 50 MB of corpus text only 12–24% faster, but took 35 MB
/// rather than 0.7 MB and 85 ms rather than 10 ms to build, more than the
/// whole start-up budget.
pub fn phrase_automaton<I, P>(phrases: I) -> AhoCorasick
where
    I: IntoIterator<Item = P>,
    P: AsRef<[u8]>,
{
    AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(phrases)
        .expect("the automaton fits in memory")
}

impl Stripper {
    /// Builds a stripper from rules, with the built-in guards.
    pub fn new(rules: RuleSet) -> Stripper {
        Stripper::with_guards(rules, GuardSet::builtin())
    }

    /// Builds a stripper from rules and guards.
    pub fn with_guards(rules: RuleSet, guards: GuardSet) -> Stripper {
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut patterns: Vec<(String, Vec<PatternUse>)> = Vec::new();
        for (rule_index, rule) in rules.rules().iter().enumerate() {
            let lists = [
                (Role::Phrase, &rule.phrases[..]),
                (Role::Close, rule.close()),
            ];
            for (role, list) in lists {
                for phrase in list {
                    let text = pattern_text(&rule.kind, role, phrase);
                    if text.is_empty() {
                        continue;
                    }
                    let slot = *index.entry(text.clone()).or_insert_with(|| {
                        patterns.push((text, Vec::new()));
                        patterns.len() - 1
                    });
                    patterns[slot].1.push(PatternUse {
                        rule: rule_index,
                        role,
                    });
                }
            }
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(phrase_automaton(
                patterns.iter().map(|(text, _)| text.as_str()),
            ))
        };
        Stripper {
            rules,
            guards,
            scorer: None,
            model: ModelSettings::default(),
            automaton,
            patterns,
        }
    }

    /// The same stripper with a learned scorer (or none) used as settings
    /// say.
    pub fn with_scorer(
        mut self,
        scorer: Option<std::sync::Arc<Scorer>>,
        settings: ModelSettings,
    ) -> Stripper {
        self.scorer = scorer;
        self.model = settings;
        self
    }

    /// The learned scorer in use, if any.
    pub fn scorer(&self) -> Option<&Scorer> {
        self.scorer.as_deref()
    }

    /// How the learned scorer is used.
    pub fn model_settings(&self) -> ModelSettings {
        self.model
    }

    /// `text` as the rules (without the scorer) leave it: see [`KeptView`].
    pub fn kept_view(&self, text: &str) -> KeptView {
        if self.automaton.is_none() {
            let lines = Document::scan(self, text).lines.len();
            return KeptView {
                text: text.to_string(),
                lines: (0..lines).collect(),
                evidence: vec![LineEvidence::default(); lines],
            };
        }
        decide::kept_view(&Document::scan(self, text))
    }

    /// The rules in force.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The guards in force.
    pub fn guards(&self) -> &GuardSet {
        &self.guards
    }

    /// The phrases of the automaton, normalised, in pattern order. The raw
    /// matcher benchmark scans with exactly these.
    pub fn patterns(&self) -> impl Iterator<Item = &str> {
        self.patterns.iter().map(|(text, _)| text.as_str())
    }

    /// Rule ids that fire on `line` taken alone, as the only line of a text,
    /// and that no guard objects to there. A cue counts when it fits the
    /// line (phrase, `exact`, `max_chars`, `regex`, `unless`), though it
    /// needs context to remove it; a block when its opener does. Rule files'
    /// `match` / `no_match` examples are checked with it.
    pub fn rules_firing_on_line(&self, line: &str) -> Vec<&str> {
        let doc = Document::scan(self, line);
        let mut ids: Vec<&str> = Vec::new();
        for candidate in doc.candidates_of(0) {
            let id = self.rules.rules()[candidate.rule].id.as_str();
            if candidate.objection.is_none() && !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }

    /// What the rules and guards say about each line of `text` (one entry
    /// per line, split as [`Stripper::strip`] splits it): the evidence a
    /// learned scorer reads beside the text.
    pub fn line_evidence(&self, text: &str) -> Vec<LineEvidence> {
        if self.automaton.is_none() {
            let lines = text.split('\n').count();
            return vec![LineEvidence::default(); lines];
        }
        decide::evidence(Document::scan(self, text))
    }

    /// Strips boilerplate from `text`.
    pub fn strip<'a>(&self, text: &'a str) -> Outcome<'a> {
        self.strip_counting(text).0
    }

    /// Like [`Stripper::strip`], with a count of the work it did.
    pub fn strip_counting<'a>(&self, text: &'a str) -> (Outcome<'a>, Work) {
        let (removed, work) = self.removed_counting(text);
        (Outcome::of(text, removed), work)
    }

    /// Like [`Stripper::strip`], without building the cleaned text: what
    /// goes and what the guards kept. [`kept_pieces`] gives what stays.
    pub fn strip_removals(&self, text: &str) -> Removed {
        self.removed_counting(text).0
    }

    fn removed_counting(&self, text: &str) -> (Removed, Work) {
        if self.automaton.is_none() || text.is_empty() {
            return (Removed::default(), Work::default());
        }
        let doc = Document::scan(self, text);
        if doc.hits.is_empty() {
            return (Removed::default(), doc.work());
        }
        decide::decide(doc)
    }
}
