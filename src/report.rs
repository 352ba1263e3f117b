//! Printers: what the run writes for each cleaned input. One type per mode,
//! all behind [`Printer`], all writing to any `io::Write` so tests print into
//! a `Vec<u8>`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

use similar::{ChangeTag, TextDiff};

use scrubtext::rules::Category;
use scrubtext::{Objection, Removal};

/// One cleaned input, as the printers see it.
pub struct Cleaned<'a> {
    /// The input's name in JSON: its path (bytes that are not UTF-8
    /// written `\xHH`), or `<stdin>`.
    pub name: &'a str,
    /// The input's name in text output: its path's very bytes, or
    /// `<stdin>`.
    pub raw_name: &'a [u8],
    /// The text before stripping.
    pub original: &'a str,
    /// The cleaned text, when it was built; when it was not, what stays
    /// of `original` is written piece by piece ([`Cleaned::write_cleaned`]).
    pub cleaned: Option<&'a str>,
    /// Every removal, in input order.
    pub removals: &'a [Removal],
    /// Every line a guard kept, in input order.
    pub objections: &'a [Objection],
}

impl Cleaned<'_> {
    /// True when anything was removed.
    pub fn changed(&self) -> bool {
        !self.removals.is_empty()
    }

    /// Writes the cleaned text: as built, or the pieces of the input that
    /// stay, one after the other, with no copy of the whole.
    pub fn write_cleaned(&self, out: &mut dyn Write) -> io::Result<()> {
        match self.cleaned {
            Some(cleaned) => out.write_all(cleaned.as_bytes()),
            None => scrubtext::kept_pieces(self.original, self.removals)
                .try_for_each(|piece| out.write_all(piece.as_bytes())),
        }
    }

    /// The cleaned text, built here when it was not.
    fn cleaned_text(&self) -> Cow<'_, str> {
        match self.cleaned {
            Some(cleaned) => Cow::Borrowed(cleaned),
            None => Cow::Owned(scrubtext::kept_pieces(self.original, self.removals).collect()),
        }
    }
}

/// Writes the output of one mode.
pub trait Printer {
    /// Writes what this mode shows for one input.
    fn document(&mut self, out: &mut dyn Write, doc: &Cleaned<'_>) -> io::Result<()>;
}

/// Prints the cleaned text.
#[derive(Debug, Default)]
pub struct CleanText;

impl Printer for CleanText {
    fn document(&mut self, out: &mut dyn Write, doc: &Cleaned<'_>) -> io::Result<()> {
        doc.write_cleaned(out)
    }
}

/// Prints a unified diff; each hunk header names the rules behind it.
#[derive(Debug, Default)]
pub struct Diff {
    /// Colour removed lines and headers with ANSI escapes.
    pub color: bool,
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

impl Diff {
    fn paint<'s>(&self, code: &'s str) -> &'s str {
        if self.color { code } else { "" }
    }
}

impl Printer for Diff {
    fn document(&mut self, out: &mut dyn Write, doc: &Cleaned<'_>) -> io::Result<()> {
        if !doc.changed() {
            return Ok(());
        }
        let cleaned = doc.cleaned_text();
        let diff = TextDiff::from_lines(doc.original, cleaned.as_ref());
        let (bold, reset) = (self.paint(BOLD), self.paint(RESET));
        let name = header_name(doc.raw_name);
        for side in ["--- a/", "+++ b/"] {
            write!(out, "{bold}{side}")?;
            out.write_all(&name)?;
            writeln!(out, "{reset}")?;
        }
        for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
            let ops = hunk.ops();
            let old_lines = ops.first().map_or(0, |o| o.old_range().start)
                ..ops.last().map_or(0, |o| o.old_range().end);
            let reasons = reasons_for(doc.removals, old_lines);
            writeln!(
                out,
                "{}{}{} {}",
                self.paint(CYAN),
                hunk.header(),
                reset,
                reasons
            )?;
            for change in hunk.iter_changes() {
                let (sign, color) = match change.tag() {
                    ChangeTag::Delete => ('-', self.paint(RED)),
                    ChangeTag::Insert => ('+', self.paint(GREEN)),
                    ChangeTag::Equal => (' ', ""),
                };
                let line = change.value();
                let body = line.strip_suffix('\n').unwrap_or(line);
                let body = body.strip_suffix('\r').unwrap_or(body);
                write!(out, "{color}{sign}{body}")?;
                write!(out, "{}", if color.is_empty() { "" } else { reset })?;
                out.write_all(&line.as_bytes()[body.len()..])?;
                // A line ends with `\n`, `\r\n` or a lone `\r`.
                if !line.ends_with(['\n', '\r']) {
                    writeln!(out)?;
                    writeln!(out, "\\ No newline at end of file")?;
                }
            }
        }
        Ok(())
    }
}

/// The name of an input in a diff header, after `a/` and `b/`: without the
/// leading `/` of an absolute path nor `./` components, as git writes it.
fn header_name(name: &[u8]) -> Vec<u8> {
    name.split(|b| *b == b'/')
        .filter(|part| !part.is_empty() && *part != b".")
        .collect::<Vec<_>>()
        .join(&b'/')
}

/// "APL001 appeal, WGT002 widget" for the removals on these 0-based lines.
fn reasons_for(removals: &[Removal], lines: std::ops::Range<usize>) -> String {
    let mut seen: Vec<(&str, Category)> = Vec::new();
    for removal in removals.iter().filter(|r| lines.contains(&(r.line - 1))) {
        if !seen.iter().any(|(id, _)| *id == removal.rule_id) {
            seen.push((&removal.rule_id, removal.category));
        }
    }
    seen.iter()
        .map(|(id, category)| format!("{id} {category}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Removals per category, in category order.
fn by_category(removals: &[Removal]) -> BTreeMap<Category, usize> {
    let mut by_category: BTreeMap<Category, usize> = BTreeMap::new();
    for removal in removals {
        *by_category.entry(removal.category).or_default() += 1;
    }
    by_category
}

/// Lists the inputs that hold boilerplate, one a line.
#[derive(Debug, Default)]
pub struct Check;

impl Printer for Check {
    fn document(&mut self, out: &mut dyn Write, doc: &Cleaned<'_>) -> io::Result<()> {
        let removals = doc.removals;
        if removals.is_empty() {
            return Ok(());
        }
        let summary: Vec<String> = by_category(removals)
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        let noun = if removals.len() == 1 {
            "removal"
        } else {
            "removals"
        };
        out.write_all(doc.raw_name)?;
        writeln!(out, ": {} {noun} ({})", removals.len(), summary.join(", "))
    }
}

/// One JSON object per input, with or without boilerplate: its removals,
/// counted per category.
#[derive(Debug, Default)]
pub struct CheckJson;

impl Printer for CheckJson {
    fn document(&mut self, out: &mut dyn Write, doc: &Cleaned<'_>) -> io::Result<()> {
        let removals = doc.removals;
        let categories: BTreeMap<&str, usize> = by_category(removals)
            .iter()
            .map(|(c, n)| (c.as_str(), *n))
            .collect();
        let record = serde_json::json!({
            "path": doc.name,
            "boilerplate": !removals.is_empty(),
            "removals": removals.len(),
            "categories": categories,
        });
        writeln!(out, "{record}")
    }
}

/// Names, one a line, the inputs that `-w` would rewrite (`--dry-run`).
#[derive(Debug, Default)]
pub struct WouldRewrite;

impl Printer for WouldRewrite {
    fn document(&mut self, out: &mut dyn Write, doc: &Cleaned<'_>) -> io::Result<()> {
        if doc.removals.is_empty() {
            return Ok(());
        }
        out.write_all(doc.raw_name)?;
        writeln!(out)
    }
}

/// Lists every removal with its line, rule, category and phrase, and every
/// line a guard kept, in line order.
#[derive(Debug, Default)]
pub struct Explain;

impl Printer for Explain {
    fn document(&mut self, out: &mut dyn Write, doc: &Cleaned<'_>) -> io::Result<()> {
        // Removals and kept lines in line order: the evidence for and
        // against, side by side.
        let mut removals = doc.removals.iter().peekable();
        let mut kept = doc.objections.iter().peekable();
        loop {
            let take_removal = match (removals.peek(), kept.peek()) {
                (Some(r), Some(k)) => r.line <= k.line,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if take_removal {
                let r = removals.next().expect("peeked");
                let what = if r.whole_line { "line" } else { "span" };
                let evidence = match r.evidence {
                    scrubtext::Reason::Phrase => String::new(),
                    other => format!(" ({other})"),
                };
                let phrase = if r.phrase.is_empty() {
                    String::new()
                } else {
                    format!(" {:?}", r.phrase)
                };
                let features = if r.features.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", r.features.join("; "))
                };
                out.write_all(doc.raw_name)?;
                writeln!(
                    out,
                    ":{}: {} {} {what}:{phrase}{evidence}{features}",
                    r.line, r.rule_id, r.category
                )?;
            } else {
                let k = kept.next().expect("peeked");
                let phrase = if k.phrase.is_empty() {
                    String::new()
                } else {
                    format!(" {:?}", k.phrase)
                };
                out.write_all(doc.raw_name)?;
                writeln!(
                    out,
                    ":{}: kept: {} {}{phrase} stopped by {} ({})",
                    k.line, k.rule_id, k.category, k.guard_id, k.guard
                )?;
            }
        }
        Ok(())
    }
}

/// One JSON object per input: its removals and the lines guards kept.
#[derive(Debug, Default)]
pub struct ExplainJson;

impl Printer for ExplainJson {
    fn document(&mut self, out: &mut dyn Write, doc: &Cleaned<'_>) -> io::Result<()> {
        let removals: Vec<serde_json::Value> = doc
            .removals
            .iter()
            .map(|r| {
                serde_json::json!({
                    "line": r.line,
                    "start": r.bytes.start,
                    "end": r.bytes.end,
                    "whole_line": r.whole_line,
                    "rule": r.rule_id,
                    "category": r.category,
                    "phrase": r.phrase,
                    "evidence": r.evidence,
                    "features": r.features,
                    "text": removed_line_text(doc.original, r),
                })
            })
            .collect();
        let kept: Vec<serde_json::Value> = doc
            .objections
            .iter()
            .map(|o| {
                serde_json::json!({
                    "line": o.line,
                    "rule": o.rule_id,
                    "category": o.category,
                    "phrase": o.phrase,
                    "guard": o.guard_id,
                    "guard_kind": o.guard,
                })
            })
            .collect();
        let record = serde_json::json!({ "path": doc.name, "removals": removals, "kept": kept });
        writeln!(out, "{record}")
    }
}

/// The removed text of a removal, without the blank lines that went with it.
fn removed_line_text<'t>(original: &'t str, removal: &Removal) -> &'t str {
    let text = &original[removal.bytes.clone()];
    let text = text.trim_start_matches(['\n', '\r']);
    text.split('\n').next().unwrap_or("").trim_end_matches('\r')
}
