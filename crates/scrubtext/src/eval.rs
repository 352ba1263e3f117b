//! Scoring the stripper on a labeled corpus.
//!
//! A corpus is JSON Lines: one document per line, with an `id`, the `text`
//! (lines joined by `\n`), `labels` (one for each element of
//! `text.split('\n')`) and optionally `lang` and `split`. Labels are gold —
//! `keep`, `other` or a boilerplate [`Category`] — or silver — `keep`,
//! `drop` (boilerplate of unknown category), `unsure` and `blank`; a corpus
//! may mix both.
//!
//! [`evaluate`] strips every document and compares what went with the
//! labels. Only non-blank lines are scored, and not those labeled `unsure`
//! or `blank`. A boilerplate line (a category or `drop`) counts as removed
//! when the removed bytes cover at least half of its visible characters, so
//! a whole-line removal counts and so does a span that takes most of a line.
//! A `keep` line counts as lost when more than half of it goes, and as
//! trimmed when less goes (at most half: the stripper cuts a trailing span
//! from a long line); trimmed lines are reported apart and are not lost.
//!
//! The measures, all in lines:
//! - recall, per category, for `drop`, and over both (`other` excluded):
//!   labeled lines that were removed, out of all labeled lines;
//! - precision: removed boilerplate out of removed boilerplate plus lost
//!   `keep` lines; lines labeled `other` are scored apart and count in
//!   neither;
//! - content lost and content trimmed: `keep` lines, as above.
//!
//! They are also given per language when documents carry a `lang`, and
//! [`Gates`] check them against targets.
//!
//! A boilerplate line removed by a rule of another category is still a hit;
//! the per-category "by rules" counts show such crossings.
//!
//! The scoring of one document, [`score_document`], is a pure function of
//! the text, its labels and the removals, so it can be checked without a
//! stripper.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, BufRead, Write};
use std::ops::Range;

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::rules::Category;
use crate::stripper::{Reason, Removal, Stripper};

/// How many examples of each kind (misses, lost and trimmed lines) a
/// report keeps unless told otherwise.
pub const DEFAULT_EXAMPLES: usize = 10;

/// Longest example text, in characters, a report keeps.
pub const EXAMPLE_MAX_CHARS: usize = 160;

/// Number of labels, the length of [`Label::ALL`].
const LABELS: usize = 12;

/// The label of one line in the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label {
    /// Article content.
    Keep,
    /// Boilerplate of a category.
    Boilerplate(Category),
    /// Boilerplate of unknown category (silver labels).
    Drop,
    /// Optional boilerplate (bylines, dates, section labels), scored apart.
    Other,
    /// Not known to be content or boilerplate (silver labels): not scored.
    Unsure,
    /// An empty line (silver labels): not scored.
    Blank,
}

impl Label {
    /// Every label, in report order: `keep`, the categories, `drop`,
    /// `other`, `unsure`, `blank`.
    pub const ALL: [Label; LABELS] = [
        Label::Keep,
        Label::Boilerplate(Category::Appeal),
        Label::Boilerplate(Category::Newsletter),
        Label::Boilerplate(Category::Widget),
        Label::Boilerplate(Category::Footer),
        Label::Boilerplate(Category::Related),
        Label::Boilerplate(Category::Credit),
        Label::Boilerplate(Category::Cookie),
        Label::Drop,
        Label::Other,
        Label::Unsure,
        Label::Blank,
    ];

    /// Parses a label name as written in the corpus.
    pub fn parse(name: &str) -> Option<Label> {
        [
            Label::Keep,
            Label::Drop,
            Label::Other,
            Label::Unsure,
            Label::Blank,
        ]
        .into_iter()
        .find(|label| name.eq_ignore_ascii_case(label.as_str()))
        .or_else(|| Category::from_name(name).map(Label::Boilerplate))
    }

    /// The name used in the corpus and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Keep => "keep",
            Label::Boilerplate(category) => category.as_str(),
            Label::Drop => "drop",
            Label::Other => "other",
            Label::Unsure => "unsure",
            Label::Blank => "blank",
        }
    }

    /// True for the labels recall is measured on: the seven categories and
    /// `drop` (not `keep`, `other`, `unsure` or `blank`).
    pub fn is_boilerplate(self) -> bool {
        matches!(self, Label::Boilerplate(_) | Label::Drop)
    }

    /// False for `unsure` and `blank`, which count in no measure.
    pub fn is_scored(self) -> bool {
        !matches!(self, Label::Unsure | Label::Blank)
    }

    fn index(self) -> usize {
        match self {
            Label::Keep => 0,
            Label::Boilerplate(category) => 1 + category_index(category),
            Label::Drop => 8,
            Label::Other => 9,
            Label::Unsure => 10,
            Label::Blank => 11,
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Label {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

fn category_index(category: Category) -> usize {
    Category::ALL
        .iter()
        .position(|&c| c == category)
        .unwrap_or(0)
}

/// What went wrong with one line of a corpus file.
#[derive(Debug, thiserror::Error)]
pub enum EvalErrorKind {
    /// The line could not be read.
    #[error("cannot read: {0}")]
    Io(io::Error),
    /// The line is not valid JSON.
    #[error("invalid JSON at column {column}: {message}")]
    Json {
        /// 1-based column in the line.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The line is JSON but not an object.
    #[error("expected a JSON object")]
    NotAnObject,
    /// A required field is absent.
    #[error("missing field `{0}`")]
    MissingField(&'static str),
    /// A field has the wrong type.
    #[error("field `{field}` should be {expected}")]
    WrongType {
        /// The field.
        field: &'static str,
        /// What it should be.
        expected: &'static str,
    },
    /// A label is not one of the known names.
    #[error(
        "document {id}: unknown label {label:?} for text line {text_line}, expected keep, other, a category, drop, unsure or blank"
    )]
    UnknownLabel {
        /// The document id.
        id: String,
        /// The label as written.
        label: String,
        /// 1-based line of the document's text it belongs to.
        text_line: usize,
    },
    /// The number of labels differs from the number of text lines.
    #[error("document {id}: {labels} labels for {lines} text lines")]
    LabelCount {
        /// The document id.
        id: String,
        /// Number of labels.
        labels: usize,
        /// Number of elements of `text.split('\n')`.
        lines: usize,
    },
}

impl EvalErrorKind {
    /// The id of the document concerned, when the error names one.
    pub fn document(&self) -> Option<&str> {
        match self {
            EvalErrorKind::UnknownLabel { id, .. } | EvalErrorKind::LabelCount { id, .. } => {
                Some(id)
            }
            _ => None,
        }
    }
}

/// An error in a corpus file, with where it is.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {kind}")]
pub struct EvalError {
    /// The corpus name given to [`evaluate`].
    pub file: String,
    /// 1-based line of the corpus file.
    pub line: usize,
    /// What was wrong.
    pub kind: EvalErrorKind,
}

/// A document left out under [`EvalOptions::skip_bad`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// 1-based line of the corpus file.
    pub line: usize,
    /// The document's id, when the error names it.
    pub id: Option<String>,
    /// What was wrong with it.
    pub reason: String,
}

/// What became of one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fate {
    /// Nothing of it went.
    Kept,
    /// Part of it went, not enough to count as removed.
    Trimmed,
    /// It counts as removed: at least half of it went, or for a `keep`
    /// line more than half (the line is lost).
    Removed,
}

/// How one non-blank line of a document fared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineScore {
    /// 1-based line number in the document's text.
    pub number: usize,
    /// Bytes of the line in the text, without its `\n`.
    pub bytes: Range<usize>,
    /// The line's label.
    pub label: Label,
    /// Visible characters in the line (not whitespace, not zero-width).
    pub chars: usize,
    /// How many of them fall inside some removal.
    pub covered: usize,
    /// Index (in the removals given) of the removal covering most of the
    /// line, the first one on a tie; `None` when nothing touches it.
    pub removal: Option<usize>,
}

impl LineScore {
    /// What became of the line. A line counts as removed when removals
    /// cover at least half of its visible characters, except a `keep` line,
    /// which is lost only when they cover more than half: one that keeps
    /// half of its text is trimmed.
    pub fn fate(&self) -> Fate {
        let removed = if self.label == Label::Keep {
            self.covered * 2 > self.chars
        } else {
            self.covered * 2 >= self.chars
        };
        if self.chars > 0 && removed {
            Fate::Removed
        } else if self.covered > 0 {
            Fate::Trimmed
        } else {
            Fate::Kept
        }
    }

    /// True when the line counts as removed (see [`LineScore::fate`]).
    pub fn removed(&self) -> bool {
        self.fate() == Fate::Removed
    }
}

/// How the non-blank lines of one document fared.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct DocScore {
    /// One entry per non-blank line, in order.
    pub lines: Vec<LineScore>,
}

impl DocScore {
    /// Number of lines with this label.
    pub fn labeled(&self, label: Label) -> usize {
        self.lines.iter().filter(|l| l.label == label).count()
    }

    /// Number of removed lines with this label.
    pub fn removed(&self, label: Label) -> usize {
        self.count(label, Fate::Removed)
    }

    /// Number of lines with this label and this fate.
    pub fn count(&self, label: Label, fate: Fate) -> usize {
        self.lines
            .iter()
            .filter(|l| l.label == label && l.fate() == fate)
            .count()
    }

    /// The score of the line with this 1-based number, if it is non-blank.
    pub fn line(&self, number: usize) -> Option<&LineScore> {
        self.lines.iter().find(|l| l.number == number)
    }
}

/// Characters that do not count towards a line's content.
fn invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
        )
}

/// Scores one document: which of its non-blank lines the removals took.
///
/// `labels` has one entry per element of `text.split('\n')`; a line without
/// a label counts as `keep`. Removal ranges outside the text are harmless.
pub fn score_document(text: &str, labels: &[Label], removals: &[Removal]) -> DocScore {
    let mut lines = Vec::new();
    let mut touching: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for (i, line) in text.split('\n').enumerate() {
        let line_start = start;
        let line_end = start + line.len();
        start = line_end + 1;
        if line.chars().all(invisible) {
            continue;
        }
        touching.clear();
        touching.extend(
            removals
                .iter()
                .enumerate()
                .filter(|(_, r)| r.bytes.start < line_end && r.bytes.end > line_start)
                .map(|(k, _)| (k, 0)),
        );
        let mut chars = 0;
        let mut covered = 0;
        for (offset, c) in line.char_indices() {
            if invisible(c) {
                continue;
            }
            chars += 1;
            let at = line_start + offset;
            let mut hit = false;
            for (k, count) in touching.iter_mut() {
                if removals[*k].bytes.contains(&at) {
                    *count += 1;
                    hit = true;
                }
            }
            if hit {
                covered += 1;
            }
        }
        let mut best: Option<(usize, usize)> = None;
        for &(k, count) in &touching {
            if count > 0 && best.is_none_or(|(_, most)| count > most) {
                best = Some((k, count));
            }
        }
        lines.push(LineScore {
            number: i + 1,
            bytes: line_start..line_end,
            label: labels.get(i).copied().unwrap_or(Label::Keep),
            chars,
            covered,
            removal: best.map(|(k, _)| k),
        });
    }
    DocScore { lines }
}

/// What of `line` (bytes of `text`) the removals took, pieces joined by
/// " … ".
fn cut_text(text: &str, line: &Range<usize>, removals: &[Removal]) -> String {
    let pieces: Vec<&str> = removals
        .iter()
        .filter_map(|r| {
            let start = r.bytes.start.max(line.start);
            let end = r.bytes.end.min(line.end);
            (start < end).then(|| text.get(start..end)).flatten()
        })
        .map(str::trim)
        .filter(|piece| !piece.is_empty())
        .collect();
    pieces.join(" … ")
}

/// The rule that removed a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovedBy {
    /// The rule's id.
    pub rule_id: String,
    /// The rule's category.
    pub category: Category,
    /// The phrase that matched (may be empty).
    pub phrase: String,
    /// What tied the removal to the rule.
    pub evidence: Reason,
}

impl From<&Removal> for RemovedBy {
    fn from(removal: &Removal) -> RemovedBy {
        RemovedBy {
            rule_id: removal.rule_id.clone(),
            category: removal.category,
            phrase: removal.phrase.clone(),
            evidence: removal.evidence,
        }
    }
}

/// One line shown as an example: a miss, a loss or a trimmed line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Example {
    /// The document id.
    pub doc: String,
    /// 1-based line number in the document's text.
    pub line: usize,
    /// The line's label.
    pub label: Label,
    /// The line, trimmed and cut to [`EXAMPLE_MAX_CHARS`] characters.
    pub text: String,
    /// For a lost or trimmed line, the rule that took most of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed_by: Option<RemovedBy>,
    /// For a trimmed line, what went, cut to [`EXAMPLE_MAX_CHARS`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cut: Option<String>,
}

/// The scores of one category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryScore {
    /// The category.
    pub category: Category,
    /// Non-blank lines labeled with it.
    pub lines: usize,
    /// Of those, lines removed (by a rule of any category).
    pub removed: usize,
    /// `removed / lines`, 1.0 when there are no lines.
    pub recall: f64,
    /// Lines removed by rules of this category, whatever their label.
    pub by_rules: usize,
    /// Of those, lines labeled another category or `other`.
    pub by_rules_elsewhere: usize,
    /// Of those, lines labeled `keep` (lost).
    pub by_rules_keep: usize,
    /// Lines removed by rules of this category, by label (non-zero only).
    pub by_rules_labels: BTreeMap<Label, usize>,
}

/// The scores of the documents of one language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanguageScore {
    /// The documents' `lang`; `None` for documents without one.
    pub lang: Option<String>,
    /// Documents scored.
    pub documents: usize,
    /// Boilerplate lines (categories and `drop`).
    pub lines: usize,
    /// Of those, lines removed.
    pub removed: usize,
    /// `removed / lines`, 1.0 when there are no lines.
    pub recall: f64,
    /// `keep` lines lost.
    pub content_lost: usize,
    /// `keep` lines trimmed.
    pub content_trimmed: usize,
    /// `removed / (removed + content_lost)`, 1.0 when nothing was removed.
    pub precision: f64,
}

/// Running counts of one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Tally {
    documents: usize,
    lines: usize,
    removed: usize,
    lost: usize,
    trimmed: usize,
}

/// Which example lists a text report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lists {
    /// Boilerplate lines not removed.
    pub misses: bool,
    /// Content lines lost.
    pub lost: bool,
    /// Content lines trimmed.
    pub trimmed: bool,
}

impl Lists {
    /// All three lists.
    pub const ALL: Lists = Lists {
        misses: true,
        lost: true,
        trimmed: true,
    };
}

/// The scores of a stripper on one corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    corpus: String,
    split: Option<String>,
    documents: usize,
    outside_split: usize,
    max_examples: usize,
    labeled: [usize; LABELS],
    removed: [usize; LABELS],
    trimmed: usize,
    by_rules: [[usize; LABELS]; 7],
    languages: BTreeMap<Option<String>, Tally>,
    misses: Vec<Example>,
    losses: Vec<Example>,
    trims: Vec<Example>,
    skipped: Vec<Skipped>,
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

/// A ratio with three decimals, or "-" when `whole` is zero.
fn figure(part: usize, whole: usize) -> String {
    if whole == 0 {
        "-".to_string()
    } else {
        format!("{:.3}", ratio(part, whole))
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn clip(line: &str, max: usize) -> String {
    let line = line.trim();
    if line.chars().count() <= max {
        return line.to_string();
    }
    let mut out: String = line.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// Writes a list of examples under a heading that says how many there are.
fn write_examples(
    out: &mut dyn Write,
    heading: &str,
    examples: &[Example],
    total: usize,
    max: usize,
) -> io::Result<()> {
    let shown = max.min(examples.len());
    if shown == 0 {
        return Ok(());
    }
    if shown < total {
        writeln!(out, "{heading} (first {shown} of {total}):")?;
    } else {
        writeln!(out, "{heading}:")?;
    }
    for example in &examples[..shown] {
        let Example {
            doc, line, text, ..
        } = example;
        match &example.removed_by {
            Some(by) if !by.phrase.is_empty() => writeln!(
                out,
                "  {doc}:{line} [{} {:?}] {text}",
                by.rule_id, by.phrase
            )?,
            Some(by) if by.evidence != Reason::Phrase => writeln!(
                out,
                "  {doc}:{line} [{} {}] {text}",
                by.rule_id, by.evidence
            )?,
            Some(by) => writeln!(out, "  {doc}:{line} [{}] {text}", by.rule_id)?,
            None => writeln!(out, "  {doc}:{line} [{}] {text}", example.label)?,
        }
        if let Some(cut) = &example.cut {
            writeln!(out, "      cut: {cut}")?;
        }
    }
    Ok(())
}

impl Report {
    /// An empty report for the corpus `corpus`, keeping up to
    /// `max_examples` examples of each kind: missed, lost and trimmed lines.
    pub fn new(corpus: &str, max_examples: usize) -> Report {
        Report {
            corpus: corpus.to_string(),
            split: None,
            documents: 0,
            outside_split: 0,
            max_examples,
            labeled: [0; LABELS],
            removed: [0; LABELS],
            trimmed: 0,
            by_rules: [[0; LABELS]; 7],
            languages: BTreeMap::new(),
            misses: Vec::new(),
            losses: Vec::new(),
            trims: Vec::new(),
            skipped: Vec::new(),
        }
    }

    /// Scores one document and adds it to the report; returns its score.
    ///
    /// `lang` is the document's language, if known; `removals` are those the
    /// stripper made on `text`; `labels` are as for [`score_document`].
    pub fn add_document(
        &mut self,
        id: &str,
        lang: Option<&str>,
        text: &str,
        labels: &[Label],
        removals: &[Removal],
    ) -> DocScore {
        self.documents += 1;
        let tally = self.languages.entry(lang.map(str::to_string)).or_default();
        tally.documents += 1;
        let score = score_document(text, labels, removals);
        for line in &score.lines {
            let label = line.label.index();
            self.labeled[label] += 1;
            let fate = line.fate();
            let removal = line.removal.and_then(|k| removals.get(k));
            let example = |removed_by: Option<&Removal>, cut: Option<String>| Example {
                doc: id.to_string(),
                line: line.number,
                label: line.label,
                text: clip(&text[line.bytes.clone()], EXAMPLE_MAX_CHARS),
                removed_by: removed_by.map(RemovedBy::from),
                cut,
            };
            if fate == Fate::Removed {
                self.removed[label] += 1;
                if let Some(removal) = removal {
                    self.by_rules[category_index(removal.category)][label] += 1;
                }
            }
            match (line.label, fate) {
                (Label::Keep, Fate::Removed) => {
                    tally.lost += 1;
                    if self.losses.len() < self.max_examples {
                        self.losses.push(example(removal, None));
                    }
                }
                (Label::Keep, Fate::Trimmed) => {
                    tally.trimmed += 1;
                    self.trimmed += 1;
                    if self.trims.len() < self.max_examples {
                        let cut = cut_text(text, &line.bytes, removals);
                        self.trims
                            .push(example(removal, Some(clip(&cut, EXAMPLE_MAX_CHARS))));
                    }
                }
                (label, fate) if label.is_boilerplate() => {
                    tally.lines += 1;
                    if fate == Fate::Removed {
                        tally.removed += 1;
                    } else if self.misses.len() < self.max_examples {
                        self.misses.push(example(None, None));
                    }
                }
                _ => {}
            }
        }
        score
    }

    /// The corpus name.
    pub fn corpus(&self) -> &str {
        &self.corpus
    }

    /// The split scored, when only one was.
    pub fn split(&self) -> Option<&str> {
        self.split.as_deref()
    }

    /// Number of documents scored.
    pub fn documents(&self) -> usize {
        self.documents
    }

    /// Number of documents left out because they are not in the split.
    pub fn outside_split(&self) -> usize {
        self.outside_split
    }

    /// The documents that could not be scored and were skipped.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// Number of non-blank lines, scored or not.
    pub fn lines(&self) -> usize {
        self.labeled.iter().sum()
    }

    /// Non-blank lines with this label.
    pub fn labeled(&self, label: Label) -> usize {
        self.labeled[label.index()]
    }

    /// Removed non-blank lines with this label.
    pub fn removed(&self, label: Label) -> usize {
        self.removed[label.index()]
    }

    /// Lines labeled with one of the seven categories or `drop`.
    pub fn boilerplate_lines(&self) -> usize {
        Label::ALL
            .iter()
            .filter(|l| l.is_boilerplate())
            .map(|&l| self.labeled(l))
            .sum()
    }

    /// Of those, the lines removed.
    pub fn boilerplate_removed(&self) -> usize {
        Label::ALL
            .iter()
            .filter(|l| l.is_boilerplate())
            .map(|&l| self.removed(l))
            .sum()
    }

    /// Boilerplate lines not removed.
    pub fn missed(&self) -> usize {
        self.boilerplate_lines() - self.boilerplate_removed()
    }

    /// Recall of one category; 1.0 when it has no lines.
    pub fn recall(&self, category: Category) -> f64 {
        let label = Label::Boilerplate(category);
        ratio(self.removed(label), self.labeled(label))
    }

    /// Recall over the seven categories and `drop` (`other` excluded); 1.0
    /// when there is no boilerplate.
    pub fn overall_recall(&self) -> f64 {
        ratio(self.boilerplate_removed(), self.boilerplate_lines())
    }

    /// Removed boilerplate over removed boilerplate plus lost `keep` lines
    /// (`other` in neither); 1.0 when nothing was removed.
    pub fn precision(&self) -> f64 {
        let hits = self.boilerplate_removed();
        ratio(hits, hits + self.content_lost())
    }

    /// Lost `keep` lines: more than half of each went.
    pub fn content_lost(&self) -> usize {
        self.removed(Label::Keep)
    }

    /// Trimmed `keep` lines: some of each went, at most half.
    pub fn content_trimmed(&self) -> usize {
        self.trimmed
    }

    /// Lines removed by rules of `category` that carry `label`.
    pub fn removed_by_rules(&self, category: Category, label: Label) -> usize {
        self.by_rules[category_index(category)][label.index()]
    }

    /// The scores of one category.
    pub fn category(&self, category: Category) -> CategoryScore {
        let row = &self.by_rules[category_index(category)];
        let own = Label::Boilerplate(category);
        let by_rules_labels: BTreeMap<Label, usize> = Label::ALL
            .iter()
            .filter(|l| row[l.index()] > 0)
            .map(|&l| (l, row[l.index()]))
            .collect();
        let by_rules_elsewhere = Label::ALL
            .iter()
            .filter(|&&l| l != own && matches!(l, Label::Boilerplate(_) | Label::Other))
            .map(|l| row[l.index()])
            .sum();
        CategoryScore {
            category,
            lines: self.labeled(own),
            removed: self.removed(own),
            recall: self.recall(category),
            by_rules: row.iter().sum(),
            by_rules_elsewhere,
            by_rules_keep: row[Label::Keep.index()],
            by_rules_labels,
        }
    }

    /// The scores of the seven categories, in [`Category::ALL`] order.
    pub fn categories(&self) -> Vec<CategoryScore> {
        Category::ALL.iter().map(|&c| self.category(c)).collect()
    }

    /// The scores per language, most documents first, documents without a
    /// language last; empty when no document has a language.
    pub fn languages(&self) -> Vec<LanguageScore> {
        if self.languages.keys().all(Option::is_none) {
            return Vec::new();
        }
        let mut scores: Vec<LanguageScore> = self
            .languages
            .iter()
            .map(|(lang, tally)| LanguageScore {
                lang: lang.clone(),
                documents: tally.documents,
                lines: tally.lines,
                removed: tally.removed,
                recall: ratio(tally.removed, tally.lines),
                content_lost: tally.lost,
                content_trimmed: tally.trimmed,
                precision: ratio(tally.removed, tally.removed + tally.lost),
            })
            .collect();
        scores.sort_by(|a, b| {
            (a.lang.is_none(), b.documents, &a.lang).cmp(&(b.lang.is_none(), a.documents, &b.lang))
        });
        scores
    }

    /// The first missed boilerplate lines, as many as the report keeps.
    pub fn misses(&self) -> &[Example] {
        &self.misses
    }

    /// The first lost `keep` lines, as many as the report keeps.
    pub fn losses(&self) -> &[Example] {
        &self.losses
    }

    /// The first trimmed `keep` lines, as many as the report keeps.
    pub fn trims(&self) -> &[Example] {
        &self.trims
    }

    /// Writes a compact table, the languages' table when documents have a
    /// language, then up to `examples` misses, lost and trimmed lines.
    pub fn render(&self, out: &mut dyn Write, examples: usize) -> io::Result<()> {
        self.render_lists(out, examples, Lists::ALL)
    }

    /// Like [`Report::render`], showing only the example lists in `lists`.
    pub fn render_lists(
        &self,
        out: &mut dyn Write,
        examples: usize,
        lists: Lists,
    ) -> io::Result<()> {
        let documents = plural(self.documents, "document");
        match &self.split {
            None => writeln!(
                out,
                "corpus {}: {documents}, {} non-blank lines",
                self.corpus,
                self.lines()
            )?,
            Some(split) => writeln!(
                out,
                "corpus {}, split {split}: {documents} scored ({} outside the split), {} non-blank lines",
                self.corpus,
                self.outside_split,
                self.lines()
            )?,
        }
        if !self.skipped.is_empty() {
            writeln!(
                out,
                "skipped {} that could not be scored",
                plural(self.skipped.len(), "bad document")
            )?;
        }
        writeln!(
            out,
            "{:<10}{:>8}{:>9}{:>8}{:>10}{:>7}{:>6}",
            "category", "lines", "removed", "recall", "by-rules", "cross", "lost"
        )?;
        for score in self.categories() {
            writeln!(
                out,
                "{:<10}{:>8}{:>9}{:>8}{:>10}{:>7}{:>6}",
                score.category.as_str(),
                score.lines,
                score.removed,
                figure(score.removed, score.lines),
                score.by_rules,
                score.by_rules_elsewhere,
                score.by_rules_keep
            )?;
        }
        let (drop_lines, drop_removed) = (self.labeled(Label::Drop), self.removed(Label::Drop));
        if drop_lines > 0 {
            writeln!(
                out,
                "{:<10}{:>8}{:>9}{:>8}   (boilerplate of unknown category)",
                "drop",
                drop_lines,
                drop_removed,
                figure(drop_removed, drop_lines)
            )?;
        }
        let (lines, removed) = (self.boilerplate_lines(), self.boilerplate_removed());
        writeln!(
            out,
            "{:<10}{:>8}{:>9}{:>8}   (excluding other)",
            "all",
            lines,
            removed,
            figure(removed, lines)
        )?;
        writeln!(
            out,
            "{:<10}{:>8}{:>9}",
            "other",
            self.labeled(Label::Other),
            self.removed(Label::Other)
        )?;
        if self.labeled(Label::Unsure) > 0 {
            writeln!(
                out,
                "{:<10}{:>8}{:>9}   (not scored)",
                "unsure",
                self.labeled(Label::Unsure),
                self.removed(Label::Unsure)
            )?;
        }
        writeln!(
            out,
            "precision {}   content lines lost {}   trimmed {}",
            figure(removed, removed + self.content_lost()),
            self.content_lost(),
            self.content_trimmed()
        )?;
        writeln!(
            out,
            "(by-rules: removed by the category's rules; cross: of those, labeled another category or other; lost: labeled keep)"
        )?;
        let languages = self.languages();
        if !languages.is_empty() {
            writeln!(
                out,
                "{:<10}{:>6}{:>13}{:>9}{:>8}{:>6}{:>11}",
                "language", "docs", "boilerplate", "removed", "recall", "lost", "precision"
            )?;
            for score in &languages {
                writeln!(
                    out,
                    "{:<10}{:>6}{:>13}{:>9}{:>8}{:>6}{:>11}",
                    score.lang.as_deref().unwrap_or("(none)"),
                    score.documents,
                    score.lines,
                    score.removed,
                    figure(score.removed, score.lines),
                    score.content_lost,
                    figure(score.removed, score.removed + score.content_lost)
                )?;
            }
        }
        if lists.misses {
            write_examples(out, "misses", &self.misses, self.missed(), examples)?;
        }
        if lists.lost {
            write_examples(out, "lost", &self.losses, self.content_lost(), examples)?;
        }
        if lists.trimmed {
            write_examples(
                out,
                "trimmed",
                &self.trims,
                self.content_trimmed(),
                examples,
            )?;
        }
        Ok(())
    }
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Total {
            lines: usize,
            removed: usize,
            recall: f64,
        }
        #[derive(Serialize)]
        struct Apart {
            lines: usize,
            removed: usize,
        }
        #[derive(Serialize)]
        struct View<'a> {
            corpus: &'a str,
            split: Option<&'a str>,
            documents: usize,
            outside_split: usize,
            skipped: &'a [Skipped],
            lines: usize,
            categories: Vec<CategoryScore>,
            drop: Total,
            all: Total,
            other: Apart,
            unsure: Apart,
            precision: f64,
            content_lost: usize,
            content_trimmed: usize,
            missed: usize,
            languages: Vec<LanguageScore>,
            misses: &'a [Example],
            losses: &'a [Example],
            trims: &'a [Example],
        }
        let apart = |label| Apart {
            lines: self.labeled(label),
            removed: self.removed(label),
        };
        View {
            corpus: &self.corpus,
            split: self.split.as_deref(),
            documents: self.documents,
            outside_split: self.outside_split,
            skipped: &self.skipped,
            lines: self.lines(),
            categories: self.categories(),
            drop: Total {
                lines: self.labeled(Label::Drop),
                removed: self.removed(Label::Drop),
                recall: ratio(self.removed(Label::Drop), self.labeled(Label::Drop)),
            },
            all: Total {
                lines: self.boilerplate_lines(),
                removed: self.boilerplate_removed(),
                recall: self.overall_recall(),
            },
            other: apart(Label::Other),
            unsure: apart(Label::Unsure),
            precision: self.precision(),
            content_lost: self.content_lost(),
            content_trimmed: self.content_trimmed(),
            missed: self.missed(),
            languages: self.languages(),
            misses: &self.misses,
            losses: &self.losses,
            trims: &self.trims,
        }
        .serialize(serializer)
    }
}

/// A quality gate: a figure of a report and the bound it must keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gate {
    /// Recall over all boilerplate but `other` at least the target.
    MinRecall,
    /// Precision at least the target.
    MinPrecision,
    /// Content lines lost at most the target.
    MaxLost,
    /// At least one document scored: a gate on nothing holds nothing.
    Documents,
}

/// A figure a gate compares: a fraction or a count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Figure {
    /// A recall or a precision.
    Fraction(f64),
    /// A number of lines or documents.
    Count(usize),
}

/// One gate applied to one report.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GateCheck {
    /// Which gate.
    pub gate: Gate,
    /// The report's figure.
    pub value: Figure,
    /// The bound it must keep.
    pub target: Figure,
    /// Whether it keeps it.
    pub passed: bool,
}

impl fmt::Display for GateCheck {
    /// For example `recall 0.853 < 0.880`. Different fractions that would
    /// print alike with three decimals get six.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pass = self.passed;
        let (name, operator) = match self.gate {
            Gate::MinRecall => ("recall", if pass { ">=" } else { "<" }),
            Gate::MinPrecision => ("precision", if pass { ">=" } else { "<" }),
            Gate::MaxLost => ("content lines lost", if pass { "<=" } else { ">" }),
            Gate::Documents => {
                return match self.value {
                    Figure::Count(0) | Figure::Fraction(_) => f.write_str("no documents scored"),
                    Figure::Count(n) => write!(f, "{} scored", plural(n, "document")),
                };
            }
        };
        match (self.value, self.target) {
            (Figure::Fraction(value), Figure::Fraction(target)) => {
                let digits = if value != target && format!("{value:.3}") == format!("{target:.3}") {
                    6
                } else {
                    3
                };
                write!(f, "{name} {value:.digits$} {operator} {target:.digits$}")
            }
            (Figure::Count(value), Figure::Count(target)) => {
                write!(f, "{name} {value} {operator} {target}")
            }
            (value, target) => write!(f, "{name} {value:?} {operator} {target:?}"),
        }
    }
}

/// Quality targets each corpus must meet; `None` sets none.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Gates {
    /// Lowest recall over all boilerplate but `other` ([`Report::overall_recall`]).
    pub min_recall: Option<f64>,
    /// Lowest precision ([`Report::precision`]).
    pub min_precision: Option<f64>,
    /// Most content lines lost ([`Report::content_lost`]).
    pub max_lost: Option<usize>,
}

impl Gates {
    /// True when no target is set.
    pub fn is_empty(&self) -> bool {
        *self == Gates::default()
    }

    /// Applies every target set to `report`, in the order recall,
    /// precision, lost; with any target set, a report of no documents fails
    /// a first check of its own.
    pub fn check(&self, report: &Report) -> Vec<GateCheck> {
        let mut checks = Vec::new();
        if self.is_empty() {
            return checks;
        }
        if report.documents() == 0 {
            checks.push(GateCheck {
                gate: Gate::Documents,
                value: Figure::Count(0),
                target: Figure::Count(1),
                passed: false,
            });
        }
        let at_least = |gate, value: f64, target: f64| GateCheck {
            gate,
            value: Figure::Fraction(value),
            target: Figure::Fraction(target),
            passed: value >= target,
        };
        if let Some(target) = self.min_recall {
            checks.push(at_least(Gate::MinRecall, report.overall_recall(), target));
        }
        if let Some(target) = self.min_precision {
            checks.push(at_least(Gate::MinPrecision, report.precision(), target));
        }
        if let Some(target) = self.max_lost {
            let lost = report.content_lost();
            checks.push(GateCheck {
                gate: Gate::MaxLost,
                value: Figure::Count(lost),
                target: Figure::Count(target),
                passed: lost <= target,
            });
        }
        checks
    }

    /// The checks of [`Gates::check`] that fail.
    pub fn failures(&self, report: &Report) -> Vec<GateCheck> {
        let mut checks = self.check(report);
        checks.retain(|check| !check.passed);
        checks
    }
}

/// One parsed corpus document, as [`read_corpus`] gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The document's id.
    pub id: String,
    /// Its text, lines joined by `\n`.
    pub text: String,
    /// One label for each element of `text.split('\n')`.
    pub labels: Vec<Label>,
    /// Its language, when given.
    pub lang: Option<String>,
    /// Its split (such as `train` or `valid`), when given.
    pub split: Option<String>,
}

fn take_string(map: &mut Map<String, Value>, field: &'static str) -> Result<String, EvalErrorKind> {
    take_optional_string(map, field)?.ok_or(EvalErrorKind::MissingField(field))
}

/// A string field that may be absent or null.
fn take_optional_string(
    map: &mut Map<String, Value>,
    field: &'static str,
) -> Result<Option<String>, EvalErrorKind> {
    match map.remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(EvalErrorKind::WrongType {
            field,
            expected: "a string",
        }),
    }
}

fn parse_document(line: &str) -> Result<Document, EvalErrorKind> {
    let value: Value = serde_json::from_str(line).map_err(|e| {
        let mut message = e.to_string();
        if let Some(at) = message.rfind(" at line ") {
            message.truncate(at);
        }
        EvalErrorKind::Json {
            column: e.column(),
            message,
        }
    })?;
    let Value::Object(mut map) = value else {
        return Err(EvalErrorKind::NotAnObject);
    };
    let id = take_string(&mut map, "id")?;
    let text = take_string(&mut map, "text")?;
    let lang = take_optional_string(&mut map, "lang")?;
    let split = take_optional_string(&mut map, "split")?;
    let raw = match map.remove("labels") {
        None => return Err(EvalErrorKind::MissingField("labels")),
        Some(Value::Array(items)) => items,
        Some(_) => {
            return Err(EvalErrorKind::WrongType {
                field: "labels",
                expected: "an array of strings",
            });
        }
    };
    let mut labels = Vec::with_capacity(raw.len());
    for (i, item) in raw.iter().enumerate() {
        let Value::String(name) = item else {
            return Err(EvalErrorKind::WrongType {
                field: "labels",
                expected: "an array of strings",
            });
        };
        let label = Label::parse(name).ok_or_else(|| EvalErrorKind::UnknownLabel {
            id: id.clone(),
            label: name.clone(),
            text_line: i + 1,
        })?;
        labels.push(label);
    }
    let lines = text.split('\n').count();
    if labels.len() != lines {
        return Err(EvalErrorKind::LabelCount {
            id,
            labels: labels.len(),
            lines,
        });
    }
    Ok(Document {
        id,
        text,
        labels,
        lang,
        split,
    })
}

/// How [`evaluate_with`] reads a corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalOptions {
    /// Score only the documents whose `split` is this; documents without a
    /// `split` are left out too.
    pub split: Option<String>,
    /// Skip a document that cannot be scored (bad JSON, a missing field,
    /// an unknown label, a label count that differs from its line count)
    /// instead of stopping; the report lists it.
    pub skip_bad: bool,
    /// How many examples of each kind the report keeps.
    pub examples: usize,
}

impl Default for EvalOptions {
    fn default() -> EvalOptions {
        EvalOptions {
            split: None,
            skip_bad: false,
            examples: DEFAULT_EXAMPLES,
        }
    }
}

/// Strips every document of a corpus and scores the result, with the
/// default [`EvalOptions`].
///
/// `name` names the corpus in the report and in errors. Blank lines of the
/// corpus file are skipped.
pub fn evaluate(
    stripper: &Stripper,
    corpus: impl BufRead,
    name: &str,
) -> Result<Report, EvalError> {
    evaluate_with(stripper, corpus, name, &EvalOptions::default())
}

/// Like [`evaluate`], with options.
///
/// Every document is checked, in the split or not; the first that cannot be
/// scored is the error, unless `options.skip_bad`. A line that cannot be
/// read is always an error.
pub fn evaluate_with(
    stripper: &Stripper,
    corpus: impl BufRead,
    name: &str,
    options: &EvalOptions,
) -> Result<Report, EvalError> {
    let mut report = Report::new(name, options.examples);
    report.split = options.split.clone();
    report.skipped = read_corpus(corpus, name, options.skip_bad, |_, doc| {
        if options.split.is_some() && doc.split != options.split {
            report.outside_split += 1;
            return;
        }
        let outcome = stripper.strip(&doc.text);
        report.add_document(
            &doc.id,
            doc.lang.as_deref(),
            &doc.text,
            &doc.labels,
            &outcome.removals,
        );
    })?;
    Ok(report)
}

/// Reads a corpus and hands each document, with its 1-based line in the
/// corpus file, to `visit`, in file order. Blank lines are skipped.
///
/// The first document that cannot be read is the error, unless `skip_bad`:
/// then it is left out and listed in the result. A line that cannot be
/// read is always an error.
pub fn read_corpus(
    corpus: impl BufRead,
    name: &str,
    skip_bad: bool,
    mut visit: impl FnMut(usize, Document),
) -> Result<Vec<Skipped>, EvalError> {
    let mut skipped = Vec::new();
    for (i, line) in corpus.lines().enumerate() {
        let at = |kind| EvalError {
            file: name.to_string(),
            line: i + 1,
            kind,
        };
        let line = line.map_err(|e| at(EvalErrorKind::Io(e)))?;
        if line.trim().is_empty() {
            continue;
        }
        match parse_document(&line) {
            Ok(doc) => visit(i + 1, doc),
            Err(kind) if skip_bad => skipped.push(Skipped {
                line: i + 1,
                id: kind.document().map(str::to_string),
                reason: kind.to_string(),
            }),
            Err(kind) => return Err(at(kind)),
        }
    }
    Ok(skipped)
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    fn removal(
        bytes: Range<usize>,
        whole_line: bool,
        rule_id: &str,
        category: Category,
        phrase: &str,
    ) -> Removal {
        Removal {
            line: 0,
            bytes,
            whole_line,
            rule_id: rule_id.to_string(),
            category,
            phrase: phrase.to_string(),
            evidence: Reason::Phrase,
            features: Vec::new(),
        }
    }

    fn labels(names: &[&str]) -> Vec<Label> {
        names
            .iter()
            .map(|n| Label::parse(n).expect("known label"))
            .collect()
    }

    /// Byte offset of the start of 0-based line `i`.
    fn line_start(text: &str, i: usize) -> usize {
        text.split('\n').take(i).map(|l| l.len() + 1).sum()
    }

    fn doc_line(id: &str, text: &str, labels: &[&str]) -> String {
        serde_json::json!({ "id": id, "publisher": "example.org", "text": text, "labels": labels })
            .to_string()
    }

    #[test]
    fn whole_line_removal_counts_and_blank_lines_are_ignored() {
        let text = "Body one.\n\nAdvertisement\n\nBody two.";
        let start = line_start(text, 2);
        // The removal takes the line, its '\n' and the blank line after it.
        let removals = [removal(
            start..start + "Advertisement\n\n".len(),
            true,
            "WID001",
            Category::Widget,
            "Advertisement",
        )];
        let score = score_document(
            text,
            &labels(&["keep", "keep", "widget", "keep", "keep"]),
            &removals,
        );
        assert_eq!(
            score.lines.iter().map(|l| l.number).collect::<Vec<_>>(),
            [1, 3, 5]
        );
        assert!(
            score
                .line(3)
                .is_some_and(|l| l.removed() && l.removal == Some(0))
        );
        assert!(!score.line(1).is_some_and(LineScore::removed));
        assert!(!score.line(5).is_some_and(LineScore::removed));
        assert!(score.line(2).is_none() && score.line(4).is_none());
        assert_eq!(score.removed(Label::Keep), 0);
        assert_eq!(score.removed(Label::Boilerplate(Category::Widget)), 1);
    }

    #[test]
    fn span_covering_most_of_a_line_counts_and_little_does_not() {
        let text = "Read more: a long list of headlines\nThe mayor said it costs money. Subscribe";
        let first_len = "Read more: a long list of headlines".len();
        let second = line_start(text, 1);
        let removals = [
            // All but "Read" of line 1.
            removal(4..first_len, false, "REL001", Category::Related, "more:"),
            // Only "Subscribe" of line 2.
            removal(
                second + text.lines().nth(1).unwrap().len() - "Subscribe".len()
                    ..second + text.lines().nth(1).unwrap().len(),
                false,
                "NWS001",
                Category::Newsletter,
                "Subscribe",
            ),
        ];
        let score = score_document(text, &labels(&["related", "keep"]), &removals);
        let first = score.line(1).unwrap();
        assert!(first.removed());
        assert_eq!(first.chars, "Readmore:alonglistofheadlines".len());
        assert_eq!(first.covered, first.chars - 4);
        let second = score.line(2).unwrap();
        assert!(!second.removed());
        assert_eq!(second.covered, "Subscribe".len());
        assert_eq!(second.removal, Some(1));
    }

    #[test]
    fn exactly_half_counts_and_whitespace_is_not_content() {
        // Four visible characters; the removal takes "ab" and the spaces.
        let text = "ab   cd";
        let score = score_document(
            text,
            &labels(&["footer"]),
            &[removal(0..5, false, "F", Category::Footer, "ab")],
        );
        let line = score.line(1).unwrap();
        assert_eq!((line.chars, line.covered), (4, 2));
        assert!(line.removed());
        let score = score_document(
            text,
            &labels(&["footer"]),
            &[removal(1..5, false, "F", Category::Footer, "b")],
        );
        assert!(!score.line(1).unwrap().removed());
    }

    #[test]
    fn several_removals_add_up_and_the_largest_is_named() {
        let text = "0123456789";
        let removals = [
            removal(0..3, false, "A", Category::Widget, "012"),
            removal(3..7, false, "B", Category::Footer, "3456"),
        ];
        let score = score_document(text, &labels(&["widget"]), &removals);
        let line = score.line(1).unwrap();
        assert_eq!(line.covered, 7);
        assert!(line.removed());
        assert_eq!(line.removal, Some(1));
    }

    #[test]
    fn out_of_range_removals_and_missing_labels_are_harmless() {
        let text = "only line";
        let score = score_document(
            text,
            &[],
            &[removal(50..80, true, "X", Category::Cookie, "")],
        );
        let line = score.line(1).unwrap();
        assert_eq!(line.label, Label::Keep);
        assert!(!line.removed());
        assert_eq!(line.removal, None);
    }

    #[test]
    fn report_counts_recall_precision_and_other_apart() {
        let text = "Headline\n\nBody text here.\nBy Jane Doe\nPhoto: Agency\nShare this\nRelated: Other story\nReporter is a freelance writer in town.";
        let names = [
            "keep", "keep", "keep", "other", "credit", "widget", "related", "keep",
        ];
        let whole = |i: usize, id: &str, category: Category, phrase: &str| {
            let start = line_start(text, i);
            let end = (start + text.split('\n').nth(i).unwrap().len() + 1).min(text.len());
            removal(start..end, true, id, category, phrase)
        };
        let removals = [
            whole(3, "OTH001", Category::Footer, "By"),
            whole(4, "CRD001", Category::Credit, "Photo:"),
            // A related line taken by a widget rule: still a hit.
            whole(6, "WID001", Category::Widget, "Related:"),
            whole(7, "FTR004", Category::Footer, "is a freelance"),
        ];
        let mut report = Report::new("mem.jsonl", 10);
        report.add_document("doc-1", None, text, &labels(&names), &removals);
        assert_eq!(report.documents(), 1);
        assert_eq!(report.lines(), 7);
        assert_eq!(report.boilerplate_lines(), 3);
        assert_eq!(report.boilerplate_removed(), 2);
        assert!((report.overall_recall() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(report.content_lost(), 1);
        assert!((report.precision() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(report.labeled(Label::Other), 1);
        assert_eq!(report.removed(Label::Other), 1);
        assert_eq!(report.recall(Category::Widget), 0.0);
        assert_eq!(report.recall(Category::Related), 1.0);
        assert_eq!(report.recall(Category::Cookie), 1.0);
        let widget = report.category(Category::Widget);
        assert_eq!(
            (
                widget.lines,
                widget.removed,
                widget.by_rules,
                widget.by_rules_elsewhere,
                widget.by_rules_keep
            ),
            (1, 0, 1, 1, 0)
        );
        let footer = report.category(Category::Footer);
        assert_eq!(
            (
                footer.by_rules,
                footer.by_rules_elsewhere,
                footer.by_rules_keep
            ),
            (2, 1, 1)
        );
        assert_eq!(report.removed_by_rules(Category::Footer, Label::Other), 1);

        assert_eq!(report.misses().len(), 1);
        let miss = &report.misses()[0];
        assert_eq!(
            (miss.doc.as_str(), miss.line, miss.label, miss.text.as_str()),
            (
                "doc-1",
                6,
                Label::Boilerplate(Category::Widget),
                "Share this"
            )
        );
        assert_eq!(report.losses().len(), 1);
        let loss = &report.losses()[0];
        assert_eq!(loss.line, 8);
        assert_eq!(
            loss.removed_by.as_ref().map(|b| b.rule_id.as_str()),
            Some("FTR004")
        );

        let mut out = Vec::new();
        report.render(&mut out, 10).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.starts_with("corpus mem.jsonl: 1 document, 7 non-blank lines\n"),
            "{out}"
        );
        assert!(
            out.contains("\nall              3        2   0.667   (excluding other)\n"),
            "{out}"
        );
        assert!(out.contains("\nother            1        1\n"), "{out}");
        assert!(
            out.contains("\nprecision 0.667   content lines lost 1   trimmed 0\n"),
            "{out}"
        );
        assert!(
            out.contains("\nmisses:\n  doc-1:6 [widget] Share this\n"),
            "{out}"
        );
        assert!(out.contains("\nlost:\n  doc-1:8 [FTR004 \"is a freelance\"] Reporter is a freelance writer in town.\n"), "{out}");
        assert!(
            out.contains("\ncookie           0        0       -"),
            "{out}"
        );

        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["content_lost"], 1);
        assert_eq!(json["all"]["lines"], 3);
        assert_eq!(json["categories"][2]["category"], "widget");
        assert_eq!(json["categories"][2]["by_rules_labels"]["related"], 1);
        assert_eq!(json["losses"][0]["removed_by"]["phrase"], "is a freelance");
        assert!(json["misses"][0].get("removed_by").is_none());
    }

    #[test]
    fn misses_and_losses_are_capped_but_counted() {
        let text = "Advertisement\nAdvertisement\nAdvertisement\nkeep me\nkeep me too";
        let mut report = Report::new("cap", 2);
        let n = text.len();
        report.add_document(
            "d",
            None,
            text,
            &labels(&["widget", "widget", "widget", "keep", "keep"]),
            &[removal(
                line_start(text, 3)..n,
                true,
                "X",
                Category::Footer,
                "",
            )],
        );
        assert_eq!(report.misses().len(), 2);
        assert_eq!(report.missed(), 3);
        assert_eq!(report.content_lost(), 2);
        assert_eq!(report.losses().len(), 2);
        let mut out = Vec::new();
        report.render(&mut out, 1).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("misses (first 1 of 3):\n  d:1 [widget] Advertisement\nlost (first 1 of 2):\n  d:4 [X] keep me\n"), "{out}");
        assert!(!out.contains("keep me too"), "{out}");
        let mut out = Vec::new();
        report.render(&mut out, 5).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("\nlost:\n  d:4 [X] keep me\n  d:5 [X] keep me too\n"),
            "{out}"
        );
    }

    #[test]
    fn long_example_lines_are_cut() {
        let long = "word ".repeat(60);
        let cut = clip(&long, EXAMPLE_MAX_CHARS);
        assert_eq!(cut.chars().count(), EXAMPLE_MAX_CHARS);
        assert!(cut.ends_with("word…"));
        assert_eq!(clip("  short  ", EXAMPLE_MAX_CHARS), "short");
    }

    #[test]
    fn evaluates_a_corpus_in_memory() {
        let mut rules = RuleSet::empty();
        rules
            .add_toml("test.toml", "category = \"widget\"\n\n[[rule]]\nid = \"TST001\"\nkind = \"line\"\nphrases = [\"Advertisement\"]\n")
            .unwrap();
        let stripper = Stripper::new(rules);
        let corpus = [
            doc_line(
                "a",
                "First paragraph.\n\nAdvertisement\n\nSecond paragraph.",
                &["keep", "keep", "widget", "keep", "keep"],
            ),
            String::new(),
            doc_line(
                "b",
                "Nothing to remove here.\nBy A. Writer",
                &["keep", "other"],
            ),
        ]
        .join("\n");
        let report = evaluate(&stripper, corpus.as_bytes(), "mem.jsonl").unwrap();
        assert_eq!(report.corpus(), "mem.jsonl");
        assert_eq!(report.documents(), 2);
        assert_eq!(report.lines(), 5);
        assert_eq!(report.boilerplate_lines(), 1);
        assert_eq!(report.labeled(Label::Other), 1);
        // Whatever the stripper does yet, no content line holds the phrase.
        assert_eq!(report.content_lost(), 0);
        assert_eq!(report.precision(), 1.0);
        assert!(report.boilerplate_removed() <= 1);
    }

    fn error_of(corpus: &str) -> EvalError {
        evaluate(
            &Stripper::new(RuleSet::empty()),
            corpus.as_bytes(),
            "bad.jsonl",
        )
        .expect_err("corpus should be rejected")
    }

    #[test]
    fn bad_json_names_file_and_line() {
        let corpus = format!(
            "{}\n{{\"id\": \"b\", \"text\": oops}}\n",
            doc_line("a", "x", &["keep"])
        );
        let err = error_of(&corpus);
        assert_eq!((err.file.as_str(), err.line), ("bad.jsonl", 2));
        assert!(matches!(err.kind, EvalErrorKind::Json { .. }), "{err}");
        let message = err.to_string();
        assert!(
            message.starts_with("bad.jsonl:2: invalid JSON at column "),
            "{message}"
        );
        assert!(!message.contains("at line 1"), "{message}");
    }

    #[test]
    fn label_count_mismatch_names_file_and_line() {
        let corpus = [
            doc_line("a", "x", &["keep"]),
            String::new(),
            doc_line("c", "one\ntwo\nthree", &["keep", "keep"]),
        ]
        .join("\n");
        let err = error_of(&corpus);
        assert_eq!(err.line, 3);
        assert!(
            matches!(&err.kind, EvalErrorKind::LabelCount { id, labels: 2, lines: 3 } if id == "c"),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            "bad.jsonl:3: document c: 2 labels for 3 text lines"
        );
    }

    #[test]
    fn missing_field_wrong_type_and_unknown_label() {
        let err = error_of("{\"id\": \"a\", \"labels\": [\"keep\"]}");
        assert_eq!(err.line, 1);
        assert!(
            matches!(err.kind, EvalErrorKind::MissingField("text")),
            "{err}"
        );
        assert_eq!(err.to_string(), "bad.jsonl:1: missing field `text`");

        let err = error_of("{\"id\": 7, \"text\": \"x\", \"labels\": [\"keep\"]}");
        assert!(
            matches!(err.kind, EvalErrorKind::WrongType { field: "id", .. }),
            "{err}"
        );

        let err = error_of("[1, 2]");
        assert!(matches!(err.kind, EvalErrorKind::NotAnObject), "{err}");

        let err = error_of(&doc_line("a", "x\ny", &["keep", "advert"]));
        assert!(
            matches!(&err.kind, EvalErrorKind::UnknownLabel { label, text_line: 2, .. } if label == "advert"),
            "{err}"
        );
    }

    #[test]
    fn labels_parse_and_print() {
        for label in Label::ALL {
            assert_eq!(Label::parse(label.as_str()), Some(label));
            assert_eq!(Label::ALL[label.index()], label);
        }
        assert_eq!(Label::parse("nonsense"), None);
        assert_eq!(Label::parse("DROP"), Some(Label::Drop));
        assert!(Label::Boilerplate(Category::Cookie).is_boilerplate());
        assert!(Label::Drop.is_boilerplate());
        for label in [Label::Other, Label::Keep, Label::Unsure, Label::Blank] {
            assert!(!label.is_boilerplate(), "{label}");
        }
        assert!(!Label::Unsure.is_scored() && !Label::Blank.is_scored());
        assert!(Label::Drop.is_scored() && Label::Other.is_scored() && Label::Keep.is_scored());
    }

    #[test]
    fn losses_without_a_phrase_show_the_evidence() {
        let text = "Related:\nA kept line";
        let removal = Removal {
            line: 1,
            bytes: 0..text.len(),
            whole_line: true,
            rule_id: "REL002".to_string(),
            category: Category::Related,
            phrase: String::new(),
            evidence: Reason::Block { opened_at: 1 },
            features: Vec::new(),
        };
        let mut report = Report::new("r", 10);
        let labels = [Label::Boilerplate(Category::Related), Label::Keep];
        report.add_document("d", None, text, &labels, std::slice::from_ref(&removal));
        let mut out = Vec::new();
        report.render(&mut out, 10).unwrap();
        let out = String::from_utf8(out).unwrap();
        let want = format!("lost:\n  d:2 [REL002 {}] A kept line\n", removal.evidence);
        assert!(out.ends_with(&want), "{out}");
    }

    /// A removal of whole 0-based line `i` of `text`, with its `\n`.
    fn whole(text: &str, i: usize, rule_id: &str, category: Category) -> Removal {
        let start = line_start(text, i);
        let end = (start + text.split('\n').nth(i).unwrap().len() + 1).min(text.len());
        removal(start..end, true, rule_id, category, "")
    }

    #[test]
    fn silver_labels_score_drop_and_leave_unsure_and_blank_out() {
        let text = "Body one.\nShare this\nFollow us\nBy Jane\n\nMaybe boilerplate\nBody two.";
        let names = ["keep", "drop", "drop", "unsure", "blank", "unsure", "keep"];
        let removals = [
            whole(text, 1, "WID001", Category::Widget),
            // An unsure line and a keep line removed: only the keep counts.
            whole(text, 5, "REL001", Category::Related),
            whole(text, 6, "FTR001", Category::Footer),
        ];
        let mut report = Report::new("silver", 10);
        report.add_document("s", None, text, &labels(&names), &removals);
        assert_eq!(report.labeled(Label::Drop), 2);
        assert_eq!(report.removed(Label::Drop), 1);
        assert_eq!(report.labeled(Label::Unsure), 2);
        assert_eq!(report.removed(Label::Unsure), 1);
        assert_eq!(
            report.labeled(Label::Blank),
            0,
            "a blank line is not scored"
        );
        assert_eq!(report.boilerplate_lines(), 2);
        assert_eq!(report.boilerplate_removed(), 1);
        assert!((report.overall_recall() - 0.5).abs() < 1e-9);
        assert_eq!(report.content_lost(), 1);
        assert!((report.precision() - 0.5).abs() < 1e-9);
        assert_eq!(report.missed(), 1);
        assert_eq!(report.misses()[0].label, Label::Drop);
        assert_eq!(report.misses()[0].line, 3);
        // Neither drop nor unsure is "another category".
        let widget = report.category(Category::Widget);
        assert_eq!((widget.by_rules, widget.by_rules_elsewhere), (1, 0));
        assert_eq!(widget.by_rules_labels.get(&Label::Drop), Some(&1));
        assert_eq!(report.category(Category::Related).by_rules_elsewhere, 0);

        let mut out = Vec::new();
        report.render(&mut out, 10).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("\ndrop             2        1   0.500   (boilerplate of unknown category)\nall              2        1   0.500"),
            "{out}"
        );
        assert!(
            out.contains("\nunsure           2        1   (not scored)\n"),
            "{out}"
        );
        assert!(out.contains("\nmisses:\n  s:3 [drop] Follow us\n"), "{out}");
        assert!(out.contains("\nlost:\n  s:7 [FTR001] Body two.\n"), "{out}");

        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["drop"]["lines"], 2);
        assert_eq!(json["drop"]["removed"], 1);
        assert_eq!(json["unsure"]["lines"], 2);
        assert_eq!(json["all"]["lines"], 2);
        assert_eq!(json["content_lost"], 1);
    }

    #[test]
    fn gold_reports_show_no_silver_rows() {
        let mut report = Report::new("gold", 10);
        report.add_document("g", None, "Body.\nShare", &labels(&["keep", "widget"]), &[]);
        let mut out = Vec::new();
        report.render(&mut out, 10).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            !out.contains("\ndrop ") && !out.contains("\nunsure "),
            "{out}"
        );
        assert!(!out.contains("\nlanguage "), "{out}");
    }

    #[test]
    fn a_trailing_cut_of_at_most_half_is_trimmed_and_more_is_lost() {
        // Each line has ten visible characters; the cut takes its tail.
        let text = "abcde fghij\nabcd efghij\nabcdef ghij\nabcde fghij";
        let tail = |i: usize, keep: usize| {
            let start = line_start(text, i);
            let end = start + text.split('\n').nth(i).unwrap().len();
            removal(
                start + keep..end,
                false,
                "NWS001",
                Category::Newsletter,
                "fghij",
            )
        };
        let removals = [
            tail(0, 6), // "fghij": half goes, half stays
            tail(1, 4), // " efghij": six of ten go
            tail(2, 7), // "ghij": four of ten go
            tail(3, 6), // a footer line, half gone
        ];
        let names = labels(&["keep", "keep", "keep", "footer"]);
        let score = score_document(text, &names, &removals);
        let fates: Vec<Fate> = score.lines.iter().map(LineScore::fate).collect();
        assert_eq!(
            fates,
            [Fate::Trimmed, Fate::Removed, Fate::Trimmed, Fate::Removed]
        );

        let mut report = Report::new("trim", 10);
        report.add_document("t", None, text, &names, &removals);
        assert_eq!(report.content_trimmed(), 2);
        assert_eq!(report.content_lost(), 1);
        assert_eq!(report.boilerplate_removed(), 1);
        assert!((report.precision() - 0.5).abs() < 1e-9);
        let trims = report.trims();
        assert_eq!(trims.iter().map(|e| e.line).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(trims[0].cut.as_deref(), Some("fghij"));
        assert_eq!(trims[1].cut.as_deref(), Some("ghij"));
        assert_eq!(
            trims[0].removed_by.as_ref().map(|b| b.rule_id.as_str()),
            Some("NWS001")
        );
        assert_eq!(report.losses().len(), 1);
        assert_eq!(report.losses()[0].line, 2);
        assert_eq!(report.losses()[0].cut, None);

        let mut out = Vec::new();
        report.render(&mut out, 10).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("\nprecision 0.500   content lines lost 1   trimmed 2\n"),
            "{out}"
        );
        assert!(
            out.contains("\ntrimmed:\n  t:1 [NWS001 \"fghij\"] abcde fghij\n      cut: fghij\n  t:3 [NWS001 \"fghij\"] abcdef ghij\n      cut: ghij\n"),
            "{out}"
        );
        let mut out = Vec::new();
        report
            .render_lists(
                &mut out,
                10,
                Lists {
                    misses: true,
                    lost: false,
                    trimmed: true,
                },
            )
            .unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("\ntrimmed:\n") && !out.contains("\nlost:"),
            "{out}"
        );

        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["content_trimmed"], 2);
        assert_eq!(json["trims"][1]["cut"], "ghij");
        assert_eq!(json["losses"][0]["line"], 2);
    }

    #[test]
    fn languages_are_tallied_apart() {
        let mut report = Report::new("langs", 10);
        let text = "Inhalt.\nWerbung";
        let gone = |text: &str| [whole(text, 1, "WID001", Category::Widget)];
        report.add_document(
            "de-1",
            Some("de"),
            text,
            &labels(&["keep", "widget"]),
            &gone(text),
        );
        report.add_document("de-2", Some("de"), text, &labels(&["keep", "widget"]), &[]);
        let text = "Content.\nShare";
        report.add_document(
            "en-1",
            Some("en"),
            text,
            &labels(&["widget", "keep"]),
            &gone(text),
        );
        report.add_document("x-1", None, text, &labels(&["keep", "drop"]), &gone(text));
        let languages = report.languages();
        let rows: Vec<_> = languages
            .iter()
            .map(|l| {
                (
                    l.lang.as_deref(),
                    l.documents,
                    l.lines,
                    l.removed,
                    l.content_lost,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (Some("de"), 2, 2, 1, 0),
                (Some("en"), 1, 1, 0, 1),
                (None, 1, 1, 1, 0)
            ]
        );
        assert!((languages[0].recall - 0.5).abs() < 1e-9);
        assert_eq!(languages[1].precision, 0.0);
        let mut out = Vec::new();
        report.render(&mut out, 0).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains(
                "\nlanguage    docs  boilerplate  removed  recall  lost  precision\n\
                 de             2            2        1   0.500     0      1.000\n\
                 en             1            1        0   0.000     1      0.000\n\
                 (none)         1            1        1   1.000     0      1.000\n"
            ),
            "{out}"
        );
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["languages"][0]["lang"], "de");
        assert_eq!(json["languages"][2]["lang"], Value::Null);
        assert_eq!(json["languages"][1]["content_lost"], 1);
    }

    fn silver_line(id: &str, split: Option<&str>, lang: Option<&str>) -> String {
        let mut doc = serde_json::json!({
            "id": id,
            "text": "Body.\nAdvertisement\n",
            "labels": ["keep", "drop", "blank"],
        });
        if let Some(split) = split {
            doc["split"] = split.into();
        }
        if let Some(lang) = lang {
            doc["lang"] = lang.into();
        }
        doc.to_string()
    }

    fn widget_stripper() -> Stripper {
        let mut rules = RuleSet::empty();
        rules
            .add_toml("test.toml", "category = \"widget\"\n\n[[rule]]\nid = \"TST001\"\nkind = \"line\"\nphrases = [\"Advertisement\"]\n")
            .unwrap();
        Stripper::new(rules)
    }

    #[test]
    fn split_keeps_only_its_documents() {
        let corpus = [
            silver_line("a", Some("train"), None),
            silver_line("b", Some("valid"), Some("en")),
            silver_line("c", None, None),
            silver_line("d", Some("valid"), None),
        ]
        .join("\n");
        let options = EvalOptions {
            split: Some("valid".to_string()),
            ..EvalOptions::default()
        };
        let report =
            evaluate_with(&widget_stripper(), corpus.as_bytes(), "s.jsonl", &options).unwrap();
        assert_eq!(report.split(), Some("valid"));
        assert_eq!((report.documents(), report.outside_split()), (2, 2));
        assert_eq!(report.labeled(Label::Keep), 2);
        assert_eq!(report.labeled(Label::Drop), 2);
        let mut out = Vec::new();
        report.render(&mut out, 0).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.starts_with("corpus s.jsonl, split valid: 2 documents scored (2 outside the split), 4 non-blank lines\n"),
            "{out}"
        );
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(
            (json["split"].as_str(), json["documents"].as_u64()),
            (Some("valid"), Some(2))
        );
        assert_eq!(json["outside_split"], 2);

        let all = evaluate(&widget_stripper(), corpus.as_bytes(), "s.jsonl").unwrap();
        assert_eq!(
            (all.documents(), all.outside_split(), all.split()),
            (4, 0, None)
        );
    }

    #[test]
    fn bad_documents_stop_the_run_or_are_skipped() {
        let corpus = [
            silver_line("a", Some("valid"), None),
            doc_line("short", "one\ntwo\nthree", &["keep", "keep"]),
            doc_line("odd", "one\ntwo", &["keep", "maybe"]),
            "not json".to_string(),
            silver_line("b", Some("valid"), None),
        ]
        .join("\n");
        let err = evaluate(&widget_stripper(), corpus.as_bytes(), "bad.jsonl").unwrap_err();
        assert_eq!(
            err.to_string(),
            "bad.jsonl:2: document short: 2 labels for 3 text lines"
        );
        // A bad document outside the split is still an error.
        let options = EvalOptions {
            split: Some("train".to_string()),
            ..EvalOptions::default()
        };
        let err = evaluate_with(&widget_stripper(), corpus.as_bytes(), "bad.jsonl", &options)
            .unwrap_err();
        assert_eq!(err.line, 2);

        let options = EvalOptions {
            skip_bad: true,
            ..EvalOptions::default()
        };
        let report =
            evaluate_with(&widget_stripper(), corpus.as_bytes(), "bad.jsonl", &options).unwrap();
        assert_eq!(report.documents(), 2);
        let skipped: Vec<_> = report
            .skipped()
            .iter()
            .map(|s| (s.line, s.id.as_deref()))
            .collect();
        assert_eq!(skipped, [(2, Some("short")), (3, Some("odd")), (4, None)]);
        assert!(
            report.skipped()[1]
                .reason
                .contains("unknown label \"maybe\"")
        );
        let mut out = Vec::new();
        report.render(&mut out, 0).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("\nskipped 3 bad documents that could not be scored\n"),
            "{out}"
        );
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["skipped"][0]["id"], "short");
        assert_eq!(json["skipped"][2]["line"], 4);
    }

    #[test]
    fn optional_fields_must_be_strings() {
        let err =
            error_of("{\"id\": \"a\", \"text\": \"x\", \"labels\": [\"keep\"], \"split\": 3}");
        assert!(
            matches!(err.kind, EvalErrorKind::WrongType { field: "split", .. }),
            "{err}"
        );
        let err =
            error_of("{\"id\": \"a\", \"text\": \"x\", \"labels\": [\"keep\"], \"lang\": []}");
        assert!(
            matches!(err.kind, EvalErrorKind::WrongType { field: "lang", .. }),
            "{err}"
        );
        let report = evaluate(
            &Stripper::new(RuleSet::empty()),
            "{\"id\": \"a\", \"text\": \"x\", \"labels\": [\"keep\"], \"lang\": null}".as_bytes(),
            "null.jsonl",
        )
        .unwrap();
        assert!(report.languages().is_empty());
    }

    /// A report with `removed` of `lines` boilerplate lines removed and
    /// `lost` content lines lost, from whole-line removals.
    fn report_of(lines: usize, removed: usize, lost: usize) -> Report {
        let mut names = vec!["widget"; lines];
        names.extend(std::iter::repeat_n("keep", lost));
        let text = vec!["line"; names.len()].join("\n");
        let removals: Vec<Removal> = (0..removed)
            .chain(lines..lines + lost)
            .map(|i| whole(&text, i, "W", Category::Widget))
            .collect();
        let mut report = Report::new("gated.jsonl", 10);
        report.add_document("g", None, &text, &labels(&names), &removals);
        report
    }

    #[test]
    fn gates_pass_and_fail_on_their_own_figures() {
        let gates = Gates {
            min_recall: Some(0.8),
            min_precision: Some(0.9),
            max_lost: Some(0),
        };
        assert!(gates.failures(&report_of(10, 8, 0)).is_empty());
        let checks = gates.check(&report_of(10, 8, 0));
        assert_eq!(
            checks.iter().map(|c| c.gate).collect::<Vec<_>>(),
            [Gate::MinRecall, Gate::MinPrecision, Gate::MaxLost]
        );
        assert_eq!(checks[0].to_string(), "recall 0.800 >= 0.800");

        let cases: &[(Report, &[&str])] = &[
            (report_of(10, 7, 0), &["recall 0.700 < 0.800"]),
            (
                report_of(10, 8, 1),
                &["precision 0.889 < 0.900", "content lines lost 1 > 0"],
            ),
            (
                report_of(10, 6, 1),
                &[
                    "recall 0.600 < 0.800",
                    "precision 0.857 < 0.900",
                    "content lines lost 1 > 0",
                ],
            ),
        ];
        for (report, want) in cases {
            let got: Vec<String> = gates
                .failures(report)
                .iter()
                .map(ToString::to_string)
                .collect();
            assert_eq!(&got, want);
        }

        let lenient = Gates {
            max_lost: Some(1),
            ..Gates::default()
        };
        assert!(lenient.failures(&report_of(10, 0, 1)).is_empty());
        assert!(Gates::default().check(&report_of(10, 0, 5)).is_empty());
        assert!(Gates::default().is_empty() && !lenient.is_empty());
    }

    #[test]
    fn gates_fail_on_an_empty_report_and_print_close_figures_precisely() {
        let gates = Gates {
            min_recall: Some(0.5),
            ..Gates::default()
        };
        let failures = gates.failures(&Report::new("empty", 10));
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].gate, Gate::Documents);
        assert_eq!(failures[0].to_string(), "no documents scored");

        let gates = Gates {
            min_recall: Some(0.88),
            ..Gates::default()
        };
        // 0.8796 prints as 0.880 with three decimals.
        let failures = gates.failures(&report_of(2500, 2199, 0));
        assert_eq!(failures[0].to_string(), "recall 0.879600 < 0.880000");
        let json = serde_json::to_value(failures[0]).unwrap();
        assert_eq!(json["gate"], "min_recall");
        assert_eq!(json["target"], 0.88);
        assert_eq!(json["passed"], false);
    }
}
