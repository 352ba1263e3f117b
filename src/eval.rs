//! Scoring the stripper on a labeled corpus.
//!
//! A corpus is JSON Lines: one document per line, with an `id`, the `text`
//! (lines joined by `\n`) and `labels`, one for each element of
//! `text.split('\n')`: `keep`, `other`, or a boilerplate [`Category`].
//!
//! [`evaluate`] strips every document and compares what went with the
//! labels. Only non-blank lines are scored. A line counts as removed when the
//! removed bytes cover at least half of its visible characters, so a
//! whole-line removal counts and so does a span that takes most of a line.
//!
//! The measures, all in lines:
//! - recall, per category and over the seven categories: labeled lines that
//!   were removed, out of all labeled lines;
//! - precision: removed boilerplate out of removed boilerplate plus removed
//!   `keep` lines; lines labeled `other` are scored apart and count in
//!   neither;
//! - content lost: removed `keep` lines.
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
use crate::stripper::{Evidence, Removal, Stripper};

/// How many missed lines a report keeps as examples unless told otherwise.
pub const DEFAULT_MISS_EXAMPLES: usize = 10;

/// Longest example text, in characters, a report keeps.
pub const EXAMPLE_MAX_CHARS: usize = 120;

/// The label of one line in the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label {
    /// Article content.
    Keep,
    /// Boilerplate of a category.
    Boilerplate(Category),
    /// Optional boilerplate (bylines, dates, section labels), scored apart.
    Other,
}

impl Label {
    /// Every label, in report order: `keep`, the categories, `other`.
    pub const ALL: [Label; 9] = [
        Label::Keep,
        Label::Boilerplate(Category::Appeal),
        Label::Boilerplate(Category::Newsletter),
        Label::Boilerplate(Category::Widget),
        Label::Boilerplate(Category::Footer),
        Label::Boilerplate(Category::Related),
        Label::Boilerplate(Category::Credit),
        Label::Boilerplate(Category::Cookie),
        Label::Other,
    ];

    /// Parses a label name as written in the corpus.
    pub fn parse(name: &str) -> Option<Label> {
        if name.eq_ignore_ascii_case("keep") {
            Some(Label::Keep)
        } else if name.eq_ignore_ascii_case("other") {
            Some(Label::Other)
        } else {
            Category::from_name(name).map(Label::Boilerplate)
        }
    }

    /// The name used in the corpus and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Keep => "keep",
            Label::Boilerplate(category) => category.as_str(),
            Label::Other => "other",
        }
    }

    /// True for the seven categories (not for `keep` or `other`).
    pub fn is_boilerplate(self) -> bool {
        matches!(self, Label::Boilerplate(_))
    }

    fn index(self) -> usize {
        match self {
            Label::Keep => 0,
            Label::Boilerplate(category) => 1 + category_index(category),
            Label::Other => 8,
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
        "document {id}: unknown label {label:?} for text line {text_line}, expected keep, other or a category"
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
    /// True when removals cover at least half of the visible characters.
    pub fn removed(&self) -> bool {
        self.chars > 0 && self.covered * 2 >= self.chars
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
        self.lines
            .iter()
            .filter(|l| l.label == label && l.removed())
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
    pub evidence: Evidence,
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

/// One line shown as an example: a miss or a loss.
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
    /// For a loss, the rule that removed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed_by: Option<RemovedBy>,
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
    /// Of those, lines labeled `keep`.
    pub by_rules_keep: usize,
    /// Lines removed by rules of this category, by label (non-zero only).
    pub by_rules_labels: BTreeMap<Label, usize>,
}

/// The scores of a stripper on one corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    corpus: String,
    documents: usize,
    max_misses: usize,
    labeled: [usize; 9],
    removed: [usize; 9],
    by_rules: [[usize; 9]; 7],
    misses: Vec<Example>,
    losses: Vec<Example>,
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
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

impl Report {
    /// An empty report for the corpus `corpus`, keeping up to `max_misses`
    /// missed lines as examples (losses are all kept).
    pub fn new(corpus: &str, max_misses: usize) -> Report {
        Report {
            corpus: corpus.to_string(),
            documents: 0,
            max_misses,
            labeled: [0; 9],
            removed: [0; 9],
            by_rules: [[0; 9]; 7],
            misses: Vec::new(),
            losses: Vec::new(),
        }
    }

    /// Scores one document and adds it to the report; returns its score.
    ///
    /// `removals` are those the stripper made on `text`; `labels` are as for
    /// [`score_document`].
    pub fn add_document(
        &mut self,
        id: &str,
        text: &str,
        labels: &[Label],
        removals: &[Removal],
    ) -> DocScore {
        self.documents += 1;
        let score = score_document(text, labels, removals);
        for line in &score.lines {
            let label = line.label.index();
            self.labeled[label] += 1;
            let example = |removed_by: Option<RemovedBy>| Example {
                doc: id.to_string(),
                line: line.number,
                label: line.label,
                text: clip(&text[line.bytes.clone()], EXAMPLE_MAX_CHARS),
                removed_by,
            };
            if line.removed() {
                self.removed[label] += 1;
                let removal = line.removal.and_then(|k| removals.get(k));
                if let Some(removal) = removal {
                    self.by_rules[category_index(removal.category)][label] += 1;
                }
                if line.label == Label::Keep {
                    self.losses.push(example(removal.map(RemovedBy::from)));
                }
            } else if line.label.is_boilerplate() && self.misses.len() < self.max_misses {
                self.misses.push(example(None));
            }
        }
        score
    }

    /// The corpus name.
    pub fn corpus(&self) -> &str {
        &self.corpus
    }

    /// Number of documents scored.
    pub fn documents(&self) -> usize {
        self.documents
    }

    /// Number of non-blank lines scored.
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

    /// Lines labeled with one of the seven categories.
    pub fn boilerplate_lines(&self) -> usize {
        Category::ALL
            .iter()
            .map(|&c| self.labeled(Label::Boilerplate(c)))
            .sum()
    }

    /// Of those, the lines removed.
    pub fn boilerplate_removed(&self) -> usize {
        Category::ALL
            .iter()
            .map(|&c| self.removed(Label::Boilerplate(c)))
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

    /// Recall over the seven categories (`other` excluded); 1.0 when there
    /// is no boilerplate.
    pub fn overall_recall(&self) -> f64 {
        ratio(self.boilerplate_removed(), self.boilerplate_lines())
    }

    /// Removed boilerplate over removed boilerplate plus removed `keep`
    /// lines (`other` in neither); 1.0 when nothing was removed.
    pub fn precision(&self) -> f64 {
        let hits = self.boilerplate_removed();
        ratio(hits, hits + self.content_lost())
    }

    /// Removed `keep` lines.
    pub fn content_lost(&self) -> usize {
        self.removed(Label::Keep)
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
        let by_rules: usize = row.iter().sum();
        let by_rules_keep = row[Label::Keep.index()];
        CategoryScore {
            category,
            lines: self.labeled(own),
            removed: self.removed(own),
            recall: self.recall(category),
            by_rules,
            by_rules_elsewhere: by_rules - by_rules_keep - row[own.index()],
            by_rules_keep,
            by_rules_labels,
        }
    }

    /// The scores of the seven categories, in [`Category::ALL`] order.
    pub fn categories(&self) -> Vec<CategoryScore> {
        Category::ALL.iter().map(|&c| self.category(c)).collect()
    }

    /// The first missed boilerplate lines, as many as the report keeps.
    pub fn misses(&self) -> &[Example] {
        &self.misses
    }

    /// Every removed `keep` line.
    pub fn losses(&self) -> &[Example] {
        &self.losses
    }

    /// Writes a compact table, then up to `examples` misses and every loss.
    pub fn render(&self, out: &mut dyn Write, examples: usize) -> io::Result<()> {
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        let recall = |part: usize, whole: usize| {
            if whole == 0 {
                "-".to_string()
            } else {
                format!("{:.3}", ratio(part, whole))
            }
        };
        writeln!(
            out,
            "corpus {}: {}, {} non-blank lines",
            self.corpus,
            plural(self.documents, "document"),
            self.lines()
        )?;
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
                recall(score.removed, score.lines),
                score.by_rules,
                score.by_rules_elsewhere,
                score.by_rules_keep
            )?;
        }
        let (lines, removed) = (self.boilerplate_lines(), self.boilerplate_removed());
        writeln!(
            out,
            "{:<10}{:>8}{:>9}{:>8}   (excluding other)",
            "all",
            lines,
            removed,
            recall(removed, lines)
        )?;
        writeln!(
            out,
            "{:<10}{:>8}{:>9}",
            "other",
            self.labeled(Label::Other),
            self.removed(Label::Other)
        )?;
        let removed_scored = removed + self.content_lost();
        writeln!(
            out,
            "precision {}   content lines lost {}",
            recall(removed, removed_scored),
            self.content_lost()
        )?;
        writeln!(
            out,
            "(by-rules: removed by the category's rules; cross: of those, labeled otherwise; lost: labeled keep)"
        )?;
        let shown = examples.min(self.misses.len());
        if shown > 0 {
            let missed = self.missed();
            if shown < missed {
                writeln!(out, "misses (first {shown} of {missed}):")?;
            } else {
                writeln!(out, "misses:")?;
            }
            for miss in &self.misses[..shown] {
                writeln!(
                    out,
                    "  {}:{} [{}] {}",
                    miss.doc, miss.line, miss.label, miss.text
                )?;
            }
        }
        if !self.losses.is_empty() {
            writeln!(out, "losses:")?;
            for loss in &self.losses {
                match &loss.removed_by {
                    Some(by) if !by.phrase.is_empty() => writeln!(
                        out,
                        "  {}:{} [{} {:?}] {}",
                        loss.doc, loss.line, by.rule_id, by.phrase, loss.text
                    )?,
                    Some(by) if by.evidence != Evidence::Phrase => writeln!(
                        out,
                        "  {}:{} [{} {}] {}",
                        loss.doc, loss.line, by.rule_id, by.evidence, loss.text
                    )?,
                    Some(by) => writeln!(
                        out,
                        "  {}:{} [{}] {}",
                        loss.doc, loss.line, by.rule_id, loss.text
                    )?,
                    None => writeln!(out, "  {}:{} {}", loss.doc, loss.line, loss.text)?,
                }
            }
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
        struct Other {
            lines: usize,
            removed: usize,
        }
        #[derive(Serialize)]
        struct View<'a> {
            corpus: &'a str,
            documents: usize,
            lines: usize,
            categories: Vec<CategoryScore>,
            all: Total,
            other: Other,
            precision: f64,
            content_lost: usize,
            missed: usize,
            misses: &'a [Example],
            losses: &'a [Example],
        }
        View {
            corpus: &self.corpus,
            documents: self.documents,
            lines: self.lines(),
            categories: self.categories(),
            all: Total {
                lines: self.boilerplate_lines(),
                removed: self.boilerplate_removed(),
                recall: self.overall_recall(),
            },
            other: Other {
                lines: self.labeled(Label::Other),
                removed: self.removed(Label::Other),
            },
            precision: self.precision(),
            content_lost: self.content_lost(),
            missed: self.missed(),
            misses: &self.misses,
            losses: &self.losses,
        }
        .serialize(serializer)
    }
}

/// One parsed corpus document.
struct Document {
    id: String,
    text: String,
    labels: Vec<Label>,
}

fn take_string(map: &mut Map<String, Value>, field: &'static str) -> Result<String, EvalErrorKind> {
    match map.remove(field) {
        None => Err(EvalErrorKind::MissingField(field)),
        Some(Value::String(s)) => Ok(s),
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
    Ok(Document { id, text, labels })
}

/// Strips every document of a corpus and scores the result, keeping the
/// first [`DEFAULT_MISS_EXAMPLES`] misses as examples.
///
/// `name` names the corpus in the report and in errors. Blank lines of the
/// corpus file are skipped.
pub fn evaluate(
    stripper: &Stripper,
    corpus: impl BufRead,
    name: &str,
) -> Result<Report, EvalError> {
    evaluate_with_misses(stripper, corpus, name, DEFAULT_MISS_EXAMPLES)
}

/// Like [`evaluate`], keeping up to `max_misses` missed lines as examples.
pub fn evaluate_with_misses(
    stripper: &Stripper,
    corpus: impl BufRead,
    name: &str,
    max_misses: usize,
) -> Result<Report, EvalError> {
    let mut report = Report::new(name, max_misses);
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
        let doc = parse_document(&line).map_err(at)?;
        let outcome = stripper.strip(&doc.text);
        report.add_document(&doc.id, &doc.text, &doc.labels, &outcome.removals);
    }
    Ok(report)
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
            evidence: Evidence::Phrase,
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
        report.add_document("doc-1", text, &labels(&names), &removals);
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
            out.contains("\nprecision 0.667   content lines lost 1\n"),
            "{out}"
        );
        assert!(
            out.contains("\nmisses:\n  doc-1:6 [widget] Share this\n"),
            "{out}"
        );
        assert!(out.contains("\nlosses:\n  doc-1:8 [FTR004 \"is a freelance\"] Reporter is a freelance writer in town.\n"), "{out}");
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
    fn misses_are_capped_but_losses_are_not() {
        let text = "Advertisement\nAdvertisement\nAdvertisement\nkeep me\nkeep me too";
        let mut report = Report::new("cap", 2);
        let n = text.len();
        report.add_document(
            "d",
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
        assert_eq!(report.losses().len(), 2);
        let mut out = Vec::new();
        report.render(&mut out, 1).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("misses (first 1 of 3):\n  d:1 [widget] Advertisement\nlosses:\n  d:4 [X] keep me\n  d:5 [X] keep me too\n"), "{out}");
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
        assert!(Label::Boilerplate(Category::Cookie).is_boilerplate());
        assert!(!Label::Other.is_boilerplate() && !Label::Keep.is_boilerplate());
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
            evidence: Evidence::Block { opened_at: 1 },
        };
        let mut report = Report::new("r", 10);
        let labels = [Label::Boilerplate(Category::Related), Label::Keep];
        report.add_document("d", text, &labels, std::slice::from_ref(&removal));
        let mut out = Vec::new();
        report.render(&mut out, 10).unwrap();
        let out = String::from_utf8(out).unwrap();
        let want = format!("losses:\n  d:2 [REL002 {}] A kept line\n", removal.evidence);
        assert!(out.ends_with(&want), "{out}");
    }
}
