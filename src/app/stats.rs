//! The run's summary (`--stats`): documents read, changed and failed, and
//! lines and bytes removed per category and per rule.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::resolve::Format;
use scrubtext::Removal;

/// Lines and bytes removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Removed {
    /// Non-blank lines, whole or in part.
    pub lines: u64,
    /// Bytes, blank lines that went with them included.
    pub bytes: u64,
}

impl Removed {
    fn add(&mut self, removal: &Removal) {
        self.lines += 1;
        self.bytes += (removal.bytes.end - removal.bytes.start) as u64;
    }
}

/// Counts over a whole run.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Documents read: files, or records of JSON Lines inputs.
    pub documents: u64,
    /// Documents with anything removed.
    pub changed: u64,
    /// Inputs or records that could not be processed.
    pub failed: u64,
    /// Files skipped while walking folders: hidden, or not text.
    pub skipped: u64,
    /// Everything removed.
    pub removed: Removed,
    /// Removed, per category.
    pub categories: BTreeMap<String, Removed>,
    /// Removed, per rule id.
    pub rules: BTreeMap<String, Removed>,
}

/// Adds a removal under `key`, allocating the key only the first time.
fn count(table: &mut BTreeMap<String, Removed>, key: &str, removal: &Removal) {
    match table.get_mut(key) {
        Some(removed) => removed.add(removal),
        None => {
            let mut removed = Removed::default();
            removed.add(removal);
            table.insert(key.to_string(), removed);
        }
    }
}

impl Stats {
    /// Counts one cleaned document.
    pub fn document(&mut self, removals: &[Removal]) {
        self.documents += 1;
        if removals.is_empty() {
            return;
        }
        self.changed += 1;
        for removal in removals {
            self.removed.add(removal);
            count(&mut self.categories, removal.category.as_str(), removal);
            count(&mut self.rules, &removal.rule_id, removal);
        }
    }

    /// Writes the summary for people.
    pub fn render(&self, out: &mut dyn Write) -> io::Result<()> {
        let plural =
            |n: u64, one: &'static str, many: &'static str| if n == 1 { one } else { many };
        writeln!(
            out,
            "{} {} read, {} changed, {} failed, {} skipped; {} {} ({} {}) removed",
            self.documents,
            plural(self.documents, "document", "documents"),
            self.changed,
            self.failed,
            self.skipped,
            self.removed.lines,
            plural(self.removed.lines, "line", "lines"),
            self.removed.bytes,
            plural(self.removed.bytes, "byte", "bytes"),
        )?;
        for (title, table) in [("category", &self.categories), ("rule", &self.rules)] {
            if table.is_empty() {
                continue;
            }
            writeln!(out, "{title:<12} {:>10} {:>12}", "lines", "bytes")?;
            for (name, removed) in table {
                writeln!(
                    out,
                    "{name:<12} {:>10} {:>12}",
                    removed.lines, removed.bytes
                )?;
            }
        }
        Ok(())
    }

    /// Writes the summary in `format`.
    pub fn render_as(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Text => self.render(out),
            Format::Json => self.render_json(out),
        }
    }

    /// Writes the summary as one JSON object.
    pub fn render_json(&self, out: &mut dyn Write) -> io::Result<()> {
        let record = serde_json::json!({ "stats": self });
        writeln!(out, "{record}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scrubtext::Reason;
    use scrubtext::rules::Category;

    fn removal(rule: &str, category: Category, bytes: std::ops::Range<usize>) -> Removal {
        Removal {
            line: 1,
            bytes,
            whole_line: true,
            rule_id: rule.to_string(),
            category,
            phrase: String::new(),
            evidence: Reason::Phrase,
            features: Vec::new(),
        }
    }

    #[test]
    fn counts_per_category_and_rule() {
        let mut stats = Stats::default();
        stats.document(&[]);
        stats.document(&[
            removal("APL001", Category::Appeal, 0..10),
            removal("WGT001", Category::Widget, 10..14),
        ]);
        stats.document(&[removal("APL001", Category::Appeal, 5..8)]);
        assert_eq!((stats.documents, stats.changed), (3, 2));
        assert_eq!(
            stats.removed,
            Removed {
                lines: 3,
                bytes: 17
            }
        );
        assert_eq!(
            stats.categories["appeal"],
            Removed {
                lines: 2,
                bytes: 13
            }
        );
        assert_eq!(stats.rules["WGT001"], Removed { lines: 1, bytes: 4 });
        let mut one = Stats::default();
        one.document(&[removal("WGT001", Category::Widget, 0..1)]);
        let mut text = Vec::new();
        one.render(&mut text).unwrap();
        assert!(String::from_utf8(text).unwrap().starts_with(
            "1 document read, 1 changed, 0 failed, 0 skipped; 1 line (1 byte) removed"
        ));
        let mut text = Vec::new();
        stats.render(&mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert!(
            text.starts_with(
                "3 documents read, 2 changed, 0 failed, 0 skipped; 3 lines (17 bytes) removed"
            ),
            "{text}"
        );
        assert!(text.contains("APL001"), "{text}");
        let mut json = Vec::new();
        stats.render_json(&mut json).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(value["stats"]["categories"]["widget"]["bytes"], 4);
    }
}
