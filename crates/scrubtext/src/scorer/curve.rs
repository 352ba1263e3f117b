//! How well a scorer alone would find what the rules miss: precision and
//! recall, threshold by threshold, on the short lines the rules leave.
//!
//! Only lines the rules do not remove count, and only those of at most
//! `max_chars` characters: that is where the scorer is meant to act. The
//! scorer reads the text as the rules leave it
//! ([`crate::Stripper::kept_view`]), as it does in use. A
//! boilerplate line (a category or `drop`) at or above the threshold is
//! found; a `keep` line at or above it would be lost. `other`, `unsure` and
//! `blank` lines are not counted. Combined recall adds the boilerplate
//! lines the rules remove (whole or a span) to those the scorer finds, over
//! every boilerplate line of any length.

use std::io::{self, BufRead, Write};

use crate::Stripper;
use crate::eval::{EvalError, Skipped, read_corpus};

use super::train::{in_split, target};
use super::{Scorer, aligned_evidence, labels_of_view};

/// The thresholds of a curve: 0.50, 0.55, …, 0.95.
pub fn thresholds() -> Vec<f32> {
    (10..20).map(|i| i as f32 * 0.05).collect()
}

/// Which lines a curve counts.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveOptions {
    /// Documents whose `split` is this, and those without a split; all
    /// documents when `None`.
    pub split: Option<String>,
    /// Skip a document that cannot be read instead of stopping.
    pub skip_bad: bool,
    /// Longest line counted, in characters (surrounding spaces aside).
    pub max_chars: usize,
    /// Thresholds of the table.
    pub thresholds: Vec<f32>,
}

impl Default for CurveOptions {
    fn default() -> CurveOptions {
        CurveOptions {
            split: None,
            skip_bad: false,
            max_chars: 120,
            thresholds: thresholds(),
        }
    }
}

/// One row of a curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// The threshold.
    pub threshold: f32,
    /// Boilerplate lines at or above it.
    pub found: usize,
    /// Content lines at or above it.
    pub lost: usize,
}

/// A scorer's precision and recall on one corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    /// The corpus.
    pub corpus: String,
    /// The split measured, if one was asked for.
    pub split: Option<String>,
    /// Longest line counted.
    pub max_chars: usize,
    /// Documents measured.
    pub documents: usize,
    /// Boilerplate lines of any length (non-blank, scored).
    pub boilerplate: usize,
    /// Of those, lines the rules remove.
    pub removed_by_rules: usize,
    /// Boilerplate lines the rules leave, up to `max_chars`.
    pub candidates: usize,
    /// Content lines the rules leave, up to `max_chars`.
    pub content: usize,
    /// One row per threshold.
    pub points: Vec<Point>,
    /// Gold boilerplate lines left (up to `max_chars`), with a category.
    pub categorised: usize,
    /// Of those, lines whose most likely category is theirs.
    pub category_right: usize,
    /// Average precision over every threshold: the mean, over the
    /// boilerplate lines left, of the precision at that line's score.
    pub average_precision: f64,
    /// Documents skipped as unreadable.
    pub skipped: Vec<Skipped>,
}

/// Measures `scorer` on a corpus, with the rules of `stripper`.
pub fn curve(
    stripper: &Stripper,
    scorer: &Scorer,
    corpus: impl BufRead,
    name: &str,
    options: &CurveOptions,
) -> Result<Curve, EvalError> {
    let mut curve = Curve {
        corpus: name.to_string(),
        split: options.split.clone(),
        max_chars: options.max_chars,
        documents: 0,
        boilerplate: 0,
        removed_by_rules: 0,
        candidates: 0,
        content: 0,
        points: options
            .thresholds
            .iter()
            .map(|&threshold| Point {
                threshold,
                found: 0,
                lost: 0,
            })
            .collect(),
        average_precision: 0.0,
        categorised: 0,
        category_right: 0,
        skipped: Vec::new(),
    };
    let mut ranked: Vec<(f32, bool)> = Vec::new();
    curve.skipped = read_corpus(corpus, name, options.skip_bad, |_, doc| {
        if !in_split(doc.split.as_deref(), options.split.as_deref()) {
            return;
        }
        curve.documents += 1;
        // Every boilerplate line, and those the rules remove.
        let evidence = aligned_evidence(stripper, &doc.text);
        for (i, line) in doc.text.split('\n').enumerate() {
            let boilerplate = doc.labels.get(i).copied().and_then(target);
            if boilerplate.is_some_and(|t| t.boilerplate) && !line.trim().is_empty() {
                curve.boilerplate += 1;
                curve.removed_by_rules += usize::from(evidence[i].removed.is_some());
            }
        }
        // The scorer reads the text as the rules leave it, as in use.
        let view = stripper.kept_view(&doc.text);
        let Some(labels) = labels_of_view(&doc.text, &view, &doc.labels) else {
            return;
        };
        let scores = scorer.score(&view.text, &view.evidence);
        for (k, line) in view.text.split('\n').enumerate() {
            let Some(target) = labels.get(k).copied().and_then(target) else {
                continue;
            };
            let line = line.trim();
            // A line the rules cut a span from is theirs.
            if line.is_empty() || view.evidence[k].span || line.chars().count() > options.max_chars
            {
                continue;
            }
            if target.boilerplate {
                curve.candidates += 1;
            } else {
                curve.content += 1;
            }
            let p = scores[k].p_boilerplate;
            ranked.push((p, target.boilerplate));
            if let Some(category) = target.category {
                curve.categorised += 1;
                curve.category_right += usize::from(scores[k].category == category);
            }
            for point in &mut curve.points {
                if p >= point.threshold {
                    if target.boilerplate {
                        point.found += 1;
                    } else {
                        point.lost += 1;
                    }
                }
            }
        }
    })?;
    curve.average_precision = average_precision(&mut ranked);
    Ok(curve)
}

/// Average precision of scored lines `(p, boilerplate)`; lines of equal
/// score count together, at the precision of the whole tie.
pub fn average_precision(ranked: &mut [(f32, bool)]) -> f64 {
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    let positives = ranked.iter().filter(|(_, b)| *b).count();
    if positives == 0 {
        return 0.0;
    }
    let (mut seen, mut found, mut sum) = (0usize, 0usize, 0.0f64);
    for tie in ranked.chunk_by(|a, b| a.0 == b.0) {
        let hits = tie.iter().filter(|(_, b)| *b).count();
        seen += tie.len();
        found += hits;
        sum += hits as f64 * found as f64 / seen as f64;
    }
    sum / positives as f64
}

fn ratio(part: usize, whole: usize) -> String {
    if whole == 0 {
        "–".to_string()
    } else {
        format!("{:.3}", part as f64 / whole as f64)
    }
}

impl Curve {
    /// Writes the curve as a Markdown table with a heading line.
    pub fn render(&self, out: &mut dyn Write) -> io::Result<()> {
        let split = self
            .split
            .as_deref()
            .map_or(String::new(), |s| format!(", split {s}"));
        writeln!(
            out,
            "corpus {}{split}: {} documents; rules remove {}/{} boilerplate lines; left, up to {} chars: {} boilerplate, {} content; average precision {:.3}",
            self.corpus,
            self.documents,
            self.removed_by_rules,
            self.boilerplate,
            self.max_chars,
            self.candidates,
            self.content,
            self.average_precision
        )?;
        if self.categorised > 0 {
            writeln!(
                out,
                "category right on {}/{} gold boilerplate lines left",
                self.category_right, self.categorised
            )?;
        }
        writeln!(
            out,
            "| threshold | flagged | boilerplate | content | precision | recall of what rules leave | rules + scorer recall |"
        )?;
        writeln!(out, "|---|---|---|---|---|---|---|")?;
        for point in &self.points {
            writeln!(
                out,
                "| {:.2} | {} | {} | {} | {} | {} | {} |",
                point.threshold,
                point.found + point.lost,
                point.found,
                point.lost,
                ratio(point.found, point.found + point.lost),
                ratio(point.found, self.candidates),
                ratio(self.removed_by_rules + point.found, self.boilerplate),
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn average_precision_of_rankings() {
        let cases: &[(&[(f32, bool)], f64)] = &[
            (&[(0.9, true), (0.8, true), (0.1, false)], 1.0),
            (&[(0.9, false), (0.8, true)], 0.5),
            (
                &[(0.9, true), (0.8, false), (0.7, true)],
                (1.0 + 2.0 / 3.0) / 2.0,
            ),
            // A tie counts at the precision of the whole tie.
            (&[(0.5, true), (0.5, false)], 0.5),
            (&[(0.5, false)], 0.0),
            (&[], 0.0),
        ];
        for (ranked, want) in cases {
            let mut ranked = ranked.to_vec();
            let got = average_precision(&mut ranked);
            assert!((got - want).abs() < 1e-9, "{ranked:?}: {got} != {want}");
        }
    }

    #[test]
    fn thresholds_run_from_one_half_by_twentieths() {
        let t = thresholds();
        assert_eq!(t.len(), 10);
        assert!((t[0] - 0.5).abs() < 1e-6 && (t[9] - 0.95).abs() < 1e-6);
    }
}
