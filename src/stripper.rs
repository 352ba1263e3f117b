//! The stripper: one compiled rule set, applied to one text at a time.

use std::borrow::Cow;
use std::ops::Range;

use crate::rules::{Category, RuleSet};

/// One piece of text that was taken out, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Removal {
    /// 1-based number of the line the removal starts on.
    pub line: usize,
    /// Bytes of the input that were removed, line ending included when a
    /// whole line goes.
    pub bytes: Range<usize>,
    /// True when whole lines were removed; false for a span inside a line.
    pub whole_line: bool,
    /// Id of the rule that explains the removal.
    pub rule_id: String,
    /// Category of that rule.
    pub category: Category,
    /// The phrase that matched, as it stands in the input; empty when the
    /// line went only because of its neighbours.
    pub phrase: String,
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

/// A stripper built once from a rule set and shared by any number of threads.
#[derive(Debug, Clone)]
pub struct Stripper {
    rules: RuleSet,
}

impl Stripper {
    /// Builds a stripper from rules.
    pub fn new(rules: RuleSet) -> Stripper {
        Stripper { rules }
    }

    /// The rules in force.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Strips boilerplate from `text`.
    pub fn strip<'a>(&self, text: &'a str) -> Outcome<'a> {
        let _ = &self.rules;
        Outcome { text: Cow::Borrowed(text), removals: Vec::new() }
    }
}
