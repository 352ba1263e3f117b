//! The stripper: one compiled rule set, applied to one text at a time.
//!
//! All phrases of all rules go into one Aho-Corasick automaton, built once.
//! A text is split into lines, normalised (see [`crate::normalize`]) into one
//! buffer and scanned once; the decisions below then look only at the lines
//! that matched and at their neighbours.
//!
//! Decisions, in order:
//! 1. strong rules (`line`, `prefix`, `suffix`, `contains`) remove a matching
//!    line when it is not longer than the rule's `max_chars`;
//! 2. blocks run from an opener to a closing line, or grow through
//!    boilerplate-like lines;
//! 3. weak cues remove short lines next to removed lines, with a second
//!    phrase, or in runs of three;
//! 4. `tail` rules count only near the end of the text;
//! 5. a short line between two removed lines of one category goes with them.
//!
//! Steps 3 to 5 feed each other and run until nothing changes, so that
//! stripping the result again removes nothing. A line longer than
//! `max_chars` is never removed whole: at most a trailing span of sentences
//! that each hold a strong phrase is cut from it. The scan and the
//! decisions are in [`document`].

mod document;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::rules::{Category, RuleKind, RuleSet};
use document::{Document, core_bounds};

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
    pub evidence: Evidence,
}

/// What tied a removal to its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Evidence {
    /// A phrase of the rule is on the line.
    Phrase,
    /// The line is inside a block that the rule opened on this 1-based line.
    Block {
        /// Line of the block's opener.
        opened_at: usize,
    },
    /// A short line between removed lines, gone with them.
    Neighbours,
}

impl std::fmt::Display for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Evidence::Phrase => f.write_str("phrase"),
            Evidence::Block { opened_at } => write!(f, "in the block opened on line {opened_at}"),
            Evidence::Neighbours => f.write_str("between removed lines"),
        }
    }
}

/// The result of stripping one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome<'a> {
    /// The cleaned text: the input with the removals cut out.
    pub text: Cow<'a, str>,
    /// Every removal, in input order.
    pub removals: Vec<Removal>,
}

impl Outcome<'_> {
    /// True when anything was removed.
    pub fn changed(&self) -> bool {
        !self.removals.is_empty()
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

/// A stripper built once from a rule set and shared by any number of threads.
#[derive(Debug, Clone)]
pub struct Stripper {
    rules: RuleSet,
    automaton: Option<AhoCorasick>,
    /// For each pattern of the automaton: its text and the rules using it.
    patterns: Vec<(String, Vec<PatternUse>)>,
}

/// The normalised form of a phrase as a pattern: line phrases are compared
/// with the line's core, the others keep their punctuation.
fn pattern_text(kind: RuleKind, role: Role, phrase: &str) -> String {
    let normalized = crate::normalize::normalize(phrase);
    if kind == RuleKind::Line && role == Role::Phrase {
        let (start, end) = core_bounds(&normalized);
        normalized[start..end].to_string()
    } else {
        normalized.trim().to_string()
    }
}

impl Stripper {
    /// Builds a stripper from rules.
    pub fn new(rules: RuleSet) -> Stripper {
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut patterns: Vec<(String, Vec<PatternUse>)> = Vec::new();
        for (rule_index, rule) in rules.rules().iter().enumerate() {
            let lists = [(Role::Phrase, &rule.phrases), (Role::Close, &rule.close)];
            for (role, list) in lists {
                for phrase in list {
                    let text = pattern_text(rule.kind, role, phrase);
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
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(patterns.iter().map(|(text, _)| text.as_str()))
                    .expect("the automaton fits in memory"),
            )
        };
        Stripper {
            rules,
            automaton,
            patterns,
        }
    }

    /// The rules in force.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The phrases of the automaton, normalised, in pattern order. The raw
    /// matcher benchmark scans with exactly these.
    pub fn patterns(&self) -> impl Iterator<Item = &str> {
        self.patterns.iter().map(|(text, _)| text.as_str())
    }

    /// Rule ids that fire on `line` taken alone, as the only line of a text.
    /// A cue counts when it fits the line (phrase, `exact`, `max_chars`,
    /// `regex`), though it needs context to remove it; a block when its
    /// opener does. Rule files' `match` / `no_match` examples are checked
    /// with it.
    pub fn rules_firing_on_line(&self, line: &str) -> Vec<&str> {
        let doc = Document::scan(self, line);
        let mut ids: Vec<&str> = Vec::new();
        if let Some(info) = doc.lines.first() {
            for hit in &doc.hits[info.hits.clone()] {
                for usage in &self.patterns[hit.pattern].1 {
                    let rule = &self.rules.rules()[usage.rule];
                    let fires = match rule.kind {
                        RuleKind::Cue => usage.role == Role::Phrase && doc.cue_fits(0, hit, rule),
                        RuleKind::Block => {
                            usage.role == Role::Phrase && doc.opens_block(0, hit, rule)
                        }
                        _ => usage.role == Role::Phrase && doc.strong_fires(0, hit, rule).is_some(),
                    };
                    if fires && !ids.contains(&rule.id.as_str()) {
                        ids.push(&rule.id);
                    }
                }
            }
        }
        ids
    }

    /// Strips boilerplate from `text`.
    pub fn strip<'a>(&self, text: &'a str) -> Outcome<'a> {
        if self.automaton.is_none() || text.is_empty() {
            return Outcome {
                text: Cow::Borrowed(text),
                removals: Vec::new(),
            };
        }
        let mut doc = Document::scan(self, text);
        if doc.hits.is_empty() {
            return Outcome {
                text: Cow::Borrowed(text),
                removals: Vec::new(),
            };
        }
        doc.decide();
        doc.into_outcome()
    }
}
