//! One text being stripped: its lines, normalised and scanned once, the
//! hits of the automaton on them, and the decisions that turn hits into
//! removals (see the module above for their order).

use std::borrow::Cow;
use std::ops::Range;

use super::{Evidence, Outcome, PatternUse, Removal, Role, Stripper};
use crate::normalize::normalize_into;
use crate::rules::{Grow, Open, Rule, RuleKind};

/// Lines within this many non-blank lines of the end are the tail.
const TAIL_LINES: usize = 8;
/// Longest trailing span cut out of a line too long to remove whole.
const SPAN_MAX_CHARS: usize = 300;
/// A short line, for block growth: at most this many words and characters.
const SHORT_WORDS: usize = 10;
const SHORT_CHARS: usize = 80;
/// A headline-like line, for blocks that grow through headlines.
const HEADLINE_WORDS: usize = 20;
const HEADLINE_CHARS: usize = 160;
/// This many cue lines in a row go even with no removed line next to them.
const CUE_RUN: usize = 3;
/// A line between two removed lines goes too when at most this short.
const SANDWICH_WORDS: usize = 6;
const SANDWICH_CHARS: usize = 50;

/// Why a line (or its tail) goes.
#[derive(Debug, Clone, Copy)]
struct Verdict {
    rule: usize,
    /// The hit that explains it, when a phrase does.
    hit: Option<usize>,
    /// For a span removal: the start of the span in the normalised line.
    span_from: Option<usize>,
    /// For a line inside a block: the opener's line.
    block_from: Option<usize>,
}

impl Verdict {
    /// The line, or its tail from `span_from`, goes for a phrase of `rule`.
    fn phrase(rule: usize, hit: usize, span_from: Option<usize>) -> Verdict {
        Verdict {
            rule,
            hit: Some(hit),
            span_from,
            block_from: None,
        }
    }

    /// The whole line goes, explained by a phrase of `rule` (or by none).
    fn line(rule: usize, hit: Option<usize>) -> Verdict {
        Verdict {
            rule,
            hit,
            span_from: None,
            block_from: None,
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct LineInfo {
    /// Bytes of the line in the input, without its line ending.
    content: Range<usize>,
    /// Start of the next line (after the ending), or the text's end.
    next: usize,
    /// Bytes of the line in the normalised buffer.
    norm: Range<usize>,
    /// Indexes into `Document::hits`.
    pub(super) hits: Range<usize>,
    blank: bool,
    verdict: Option<Verdict>,
    /// Characters in the line, counted when first needed.
    chars: std::cell::OnceCell<usize>,
}

/// A line that a cue rule may remove.
struct Cue {
    line: usize,
    rule: usize,
    hit: usize,
    two_phrases: bool,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Hit {
    pub(super) pattern: usize,
    /// Offsets in the normalised line.
    start: usize,
    end: usize,
}

pub(super) struct Document<'s, 'a> {
    pub(super) stripper: &'s Stripper,
    pub(super) text: &'a str,
    pub(super) norm: String,
    pub(super) lines: Vec<LineInfo>,
    pub(super) hits: Vec<Hit>,
}

/// Characters stripped from the start of a line to find its core.
fn is_lead_junk(c: char) -> bool {
    matches!(
        c,
        ' ' | '-'
            | '•'
            | '*'
            | '>'
            | '|'
            | '['
            | '('
            | '·'
            | '▶'
            | '►'
            | '→'
            | '#'
            | '+'
            | '"'
            | '\''
    )
}

/// Characters stripped from the end of a line to find its core.
fn is_trail_junk(c: char) -> bool {
    matches!(
        c,
        ' ' | '.'
            | '!'
            | '?'
            | ':'
            | ';'
            | ','
            | ']'
            | ')'
            | '>'
            | '›'
            | '"'
            | '\''
            | '|'
            | '-'
            | '→'
            | '*'
            | '»'
            | '▶'
            | '►'
    )
}

/// Byte bounds of the core of a normalised line.
pub(super) fn core_bounds(norm: &str) -> (usize, usize) {
    let start = norm.len() - norm.trim_start_matches(is_lead_junk).len();
    let end = norm.trim_end_matches(is_trail_junk).len();
    if end <= start {
        (start, start)
    } else {
        (start, end)
    }
}

/// Scripts written without spaces between words: no word boundary there.
fn is_unspaced_script(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_unspaced_script(c)
}

/// At most `words` words and `chars` characters; cheap on long lines.
fn is_short(s: &str, words: usize, chars: usize) -> bool {
    s.len() <= chars * 4 && s.chars().count() <= chars && s.split_whitespace().nth(words).is_none()
}

impl<'s, 'a> Document<'s, 'a> {
    pub(super) fn scan(stripper: &'s Stripper, text: &'a str) -> Document<'s, 'a> {
        let mut norm = String::with_capacity(text.len() + 16);
        let mut lines = Vec::new();
        let bytes = text.as_bytes();
        let mut start = 0;
        while start < bytes.len() || (start == 0 && bytes.is_empty()) {
            let (end, next) = match memchr_newline(&bytes[start..]) {
                Some(i) => (start + i, start + i + 1),
                None => (bytes.len(), bytes.len()),
            };
            let content_end = if end > start && bytes[end - 1] == b'\r' {
                end - 1
            } else {
                end
            };
            if !lines.is_empty() {
                norm.push('\n');
            }
            let norm_start = norm.len();
            normalize_into(&text[start..content_end], &mut norm, None);
            let blank = norm[norm_start..].trim().is_empty();
            lines.push(LineInfo {
                content: start..content_end,
                next,
                norm: norm_start..norm.len(),
                hits: 0..0,
                blank,
                verdict: None,
                chars: std::cell::OnceCell::new(),
            });
            if next == bytes.len() {
                break;
            }
            start = next;
        }
        let mut doc = Document {
            stripper,
            text,
            norm,
            lines,
            hits: Vec::new(),
        };
        doc.collect_hits();
        doc
    }

    fn collect_hits(&mut self) {
        let Some(automaton) = &self.stripper.automaton else {
            return;
        };
        let mut raw: Vec<(usize, Hit)> = Vec::new();
        let mut line = 0;
        for m in automaton.find_overlapping_iter(self.norm.as_str()) {
            // Matches arrive ordered by end; a match never spans a line break
            // unless a pattern holds one, which normalisation rules out.
            while self.lines[line].norm.end < m.end() {
                line += 1;
            }
            let mut owner = line;
            while self.lines[owner].norm.start > m.start() {
                owner -= 1;
            }
            if owner != line {
                continue;
            }
            let span = &self.lines[line].norm;
            let text = &self.norm[span.clone()];
            let (start, end) = (m.start() - span.start, m.end() - span.start);
            let pattern = &self.stripper.patterns[m.pattern().as_usize()].0;
            if !at_word_boundaries(text, start, end, pattern) {
                continue;
            }
            raw.push((
                line,
                Hit {
                    pattern: m.pattern().as_usize(),
                    start,
                    end,
                },
            ));
        }
        raw.sort_by_key(|(line, hit)| (*line, hit.start, hit.end));
        let mut cursor = 0;
        for (i, line) in self.lines.iter_mut().enumerate() {
            let first = cursor;
            while cursor < raw.len() && raw[cursor].0 == i {
                cursor += 1;
            }
            line.hits = first..cursor;
        }
        self.hits = raw.into_iter().map(|(_, hit)| hit).collect();
    }

    fn norm_line(&self, line: usize) -> &str {
        &self.norm[self.lines[line].norm.clone()]
    }

    fn char_count(&self, line: usize) -> usize {
        let info = &self.lines[line];
        *info
            .chars
            .get_or_init(|| self.text[info.content.clone()].chars().count())
    }

    /// Whether `hit` makes rule `rule` (a strong kind) fire on `line`, and
    /// if so whether the whole line goes (`None` span) or a trailing span.
    pub(super) fn strong_fires(
        &self,
        line: usize,
        hit: &Hit,
        rule: &Rule,
    ) -> Option<Option<usize>> {
        let norm = self.norm_line(line);
        let (core_start, core_end) = core_bounds(norm);
        let shape = match rule.kind {
            RuleKind::Line => hit.start <= core_start && hit.end >= core_end,
            RuleKind::Prefix => hit.start <= core_start,
            RuleKind::Suffix => hit.end >= core_end,
            RuleKind::Contains => true,
            RuleKind::Block | RuleKind::Cue => false,
        };
        // The regex, the dearest test, comes last.
        if shape && self.char_count(line) <= rule.max_chars {
            return self.regex_allows(line, rule).then_some(None);
        }
        // Too long to go whole (or not at the line's start): a trailing
        // sentence that starts with the phrase may go.
        if matches!(rule.kind, RuleKind::Prefix | RuleKind::Contains)
            && hit.start > core_start
            && starts_sentence(norm, hit.start)
            && self.tail_is_boilerplate(line, hit.start)
            && self.regex_allows(line, rule)
        {
            return Some(Some(hit.start));
        }
        None
    }

    /// Is everything from `from` to the end of the line short, and does every
    /// sentence in it hold a phrase? Only then may it be cut as a span.
    fn tail_is_boilerplate(&self, line: usize, from: usize) -> bool {
        let norm = self.norm_line(line);
        let rest = norm[from..].trim_end();
        if rest.len() > SPAN_MAX_CHARS * 4 || rest.chars().count() > SPAN_MAX_CHARS {
            return false;
        }
        let hits = &self.hits[self.lines[line].hits.clone()];
        let mut sentence_start = from;
        for (offset, c) in rest.char_indices() {
            let at = from + offset;
            let ends_sentence = matches!(c, '.' | '!' | '?') && norm[at + 1..].starts_with(' ');
            if ends_sentence || offset + c.len_utf8() == rest.len() {
                let end = at + c.len_utf8();
                // A cue is too weak to take a sentence out of a line.
                let strong = |h: &Hit| {
                    self.uses(h)
                        .iter()
                        .any(|u| u.role == Role::Phrase && self.rule(u.rule).kind != RuleKind::Cue)
                };
                if !hits
                    .iter()
                    .any(|h| h.start >= sentence_start && h.start < end && strong(h))
                {
                    return false;
                }
                sentence_start = end;
            }
        }
        true
    }

    /// A rule with a `regex` fires only where it matches the line as
    /// written (trimmed, case kept).
    fn regex_allows(&self, line: usize, rule: &Rule) -> bool {
        rule.regex
            .as_ref()
            .is_none_or(|regex| regex.is_match(self.text[self.lines[line].content.clone()].trim()))
    }

    pub(super) fn opens_block(&self, line: usize, hit: &Hit, rule: &Rule) -> bool {
        let (core_start, core_end) = core_bounds(self.norm_line(line));
        hit.start <= core_start && (rule.open == Open::Prefix || hit.end >= core_end)
    }

    fn uses(&self, hit: &Hit) -> &'s [PatternUse] {
        &self.stripper.patterns[hit.pattern].1
    }

    fn rule(&self, index: usize) -> &'s Rule {
        &self.stripper.rules.rules()[index]
    }

    fn removed(&self, line: usize) -> bool {
        self.lines[line]
            .verdict
            .is_some_and(|v| v.span_from.is_none())
    }

    /// Is this line boilerplate-like, for a block to grow through it? It is
    /// when a phrase on it could remove it alone (a strong rule that fires
    /// whole, or a cue that fits the line), or, by `grow`, when it is short.
    fn boilerplate_like(&self, line: usize, grow: Grow) -> bool {
        if self.lines[line]
            .hits
            .clone()
            .any(|h| self.could_remove(line, h))
        {
            return true;
        }
        let trimmed = self.norm_line(line).trim();
        let (words, chars) = match grow {
            Grow::None => return false,
            Grow::Boilerplate => (SHORT_WORDS, SHORT_CHARS),
            Grow::Headlines => (HEADLINE_WORDS, HEADLINE_CHARS),
        };
        is_short(trimmed, words, chars) && !trimmed.ends_with('.')
    }

    /// Could hit `h` remove `line` by itself, or as a cue with context?
    fn could_remove(&self, line: usize, h: usize) -> bool {
        let hit = self.hits[h];
        self.uses(&hit).iter().any(|usage| {
            let rule = self.rule(usage.rule);
            usage.role == Role::Phrase
                && match rule.kind {
                    RuleKind::Cue => self.cue_fits(line, &hit, rule),
                    RuleKind::Block => {
                        self.opens_block(line, &hit, rule)
                            && self.char_count(line) <= rule.max_chars
                    }
                    _ => self.strong_fires(line, &hit, rule) == Some(None),
                }
        })
    }

    /// Does a cue's hit fit the line: short enough, and whole when exact?
    pub(super) fn cue_fits(&self, line: usize, hit: &Hit, rule: &Rule) -> bool {
        let (core_start, core_end) = core_bounds(self.norm_line(line));
        (!rule.exact || (hit.start <= core_start && hit.end >= core_end))
            && self.char_count(line) <= rule.max_chars
            && self.regex_allows(line, rule)
    }

    fn next_non_blank(&self, line: usize) -> Option<usize> {
        (line + 1..self.lines.len()).find(|&i| !self.lines[i].blank)
    }

    fn prev_non_blank(&self, line: usize) -> Option<usize> {
        (0..line).rev().find(|&i| !self.lines[i].blank)
    }

    pub(super) fn decide(&mut self) {
        self.apply_strong();
        // Blocks, tail rules, cues and sandwiches feed each other (a block
        // reaches further when lines inside it go): run them until nothing
        // changes, so that stripping the result again finds nothing.
        for _ in 0..8 {
            let before = self.removed_count();
            self.apply_blocks();
            self.apply_cues();
            self.apply_tail();
            self.apply_sandwiches();
            if self.removed_count() == before {
                break;
            }
        }
    }

    fn removed_count(&self) -> usize {
        self.lines.iter().filter(|l| l.verdict.is_some()).count()
    }

    fn apply_strong(&mut self) {
        for line in 0..self.lines.len() {
            let mut best: Option<Verdict> = None;
            for h in self.lines[line].hits.clone() {
                let hit = self.hits[h];
                for usage in self.uses(&hit) {
                    if usage.role != Role::Phrase {
                        continue;
                    }
                    let rule = self.rule(usage.rule);
                    if rule.tail {
                        continue;
                    }
                    if let Some(span_from) = self.strong_fires(line, &hit, rule) {
                        let verdict = Verdict::phrase(usage.rule, h, span_from);
                        // A whole-line verdict beats a span.
                        if best.is_none_or(|b| b.span_from.is_some() && span_from.is_none()) {
                            best = Some(verdict);
                        }
                    }
                }
            }
            self.lines[line].verdict = best;
        }
    }

    fn apply_blocks(&mut self) {
        let mut line = 0;
        while line < self.lines.len() {
            let mut opened: Option<(usize, usize)> = None;
            for h in self.lines[line].hits.clone() {
                let hit = self.hits[h];
                for usage in self.uses(&hit) {
                    let rule = self.rule(usage.rule);
                    if usage.role == Role::Phrase
                        && rule.kind == RuleKind::Block
                        && self.opens_block(line, &hit, rule)
                        && self.char_count(line) <= rule.max_chars
                    {
                        opened = Some((usage.rule, h));
                        break;
                    }
                }
                if opened.is_some() {
                    break;
                }
            }
            let Some((rule_index, hit)) = opened else {
                line += 1;
                continue;
            };
            let Some(end) = self.block_end(line, rule_index) else {
                line += 1;
                continue;
            };
            if self.lines[line]
                .verdict
                .is_none_or(|v| v.span_from.is_some())
            {
                self.lines[line].verdict = Some(Verdict::line(rule_index, Some(hit)));
            }
            for inner in line + 1..=end {
                if !self.lines[inner].blank && !self.removed(inner) {
                    let hit = self.close_hit(inner, rule_index);
                    self.lines[inner].verdict = Some(Verdict {
                        rule: rule_index,
                        hit,
                        span_from: None,
                        block_from: Some(line),
                    });
                }
            }
            // An opener inside this block may open a longer one.
            line += 1;
        }
    }

    /// The hit of one of the rule's close phrases on this line.
    fn close_hit(&self, line: usize, rule_index: usize) -> Option<usize> {
        self.lines[line].hits.clone().find(|&h| {
            self.uses(&self.hits[h])
                .iter()
                .any(|u| u.rule == rule_index && u.role == Role::Close)
        })
    }

    /// The last line of a block opened at `open`, if there is a block. Looking
    /// for its closing line, it reaches
    /// `max_lines` non-blank lines that no other rule removes, so lines
    /// removed on their own do not change how far it reaches.
    fn block_end(&self, open: usize, rule_index: usize) -> Option<usize> {
        let rule = self.rule(rule_index);
        let mut reached = 1;
        let mut line = open + 1;
        while line < self.lines.len() {
            if !self.lines[line].blank && !self.removed(line) {
                if reached == rule.max_lines {
                    break;
                }
                reached += 1;
            }
            line += 1;
        }
        let reach_end = line;
        if !rule.close.is_empty()
            && let Some(close) =
                (open + 1..reach_end).find(|&l| self.close_hit(l, rule_index).is_some())
        {
            return Some(close);
        }
        if rule.grow == Grow::None {
            return None;
        }
        // Growing, the block passes lines that go anyway but counts them:
        // a heading followed by a long removed menu does not reach past it
        // into the article. (The opener of a growing block goes, so this
        // cannot change when stripping again.)
        let mut end = open;
        let mut taken = 1;
        for line in open + 1..self.lines.len() {
            if self.lines[line].blank {
                continue;
            }
            if taken == rule.max_lines {
                break;
            }
            taken += 1;
            if !self.removed(line)
                && (!self.boilerplate_like(line, rule.grow)
                    || self.char_count(line) > rule.max_chars)
            {
                break;
            }
            end = line;
        }
        Some(end)
    }

    /// Cue lines go next to removed lines, with two phrases, or in a run of
    /// `CUE_RUN` cue lines.
    fn apply_cues(&mut self) {
        let candidates: Vec<Cue> = (0..self.lines.len())
            .filter(|&line| self.lines[line].verdict.is_none())
            .filter_map(|line| self.cue_of(line))
            .collect();
        if candidates.is_empty() {
            return;
        }
        // Runs of cue lines, each next to the one before.
        let mut in_run = vec![false; candidates.len()];
        let mut run_start = 0;
        for i in 1..=candidates.len() {
            let continues = i < candidates.len()
                && self.prev_non_blank(candidates[i].line) == Some(candidates[i - 1].line);
            if !continues {
                if i - run_start >= CUE_RUN {
                    in_run[run_start..i].fill(true);
                }
                run_start = i;
            }
        }
        for _ in 0..4 {
            let mut changed = false;
            let order = (0..candidates.len()).chain((0..candidates.len()).rev());
            for i in order {
                let cue = &candidates[i];
                if self.lines[cue.line].verdict.is_some() {
                    continue;
                }
                let next_to_removed = self
                    .prev_non_blank(cue.line)
                    .is_some_and(|p| self.removed(p))
                    || self
                        .next_non_blank(cue.line)
                        .is_some_and(|n| self.removed(n));
                if cue.two_phrases || in_run[i] || next_to_removed {
                    self.lines[cue.line].verdict = Some(Verdict::line(cue.rule, Some(cue.hit)));
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// The first cue rule that may remove this line, if any.
    fn cue_of(&self, line: usize) -> Option<Cue> {
        let info = &self.lines[line];
        if info.hits.is_empty() {
            return None;
        }
        let mut first: Option<(usize, usize)> = None;
        let mut distinct: Vec<usize> = Vec::new();
        for h in info.hits.clone() {
            let hit = self.hits[h];
            for usage in self.uses(&hit) {
                let rule = self.rule(usage.rule);
                let fits = usage.role == Role::Phrase
                    && rule.kind == RuleKind::Cue
                    && self.cue_fits(line, &hit, rule);
                if fits && first.is_none() {
                    first = Some((usage.rule, h));
                }
            }
            // Two phrases means two that do not overlap ("want more" and
            // "more" are one), each of a rule that could take the line (an
            // anchor like "/" whose regex fails is no phrase).
            let counts = self.could_remove(line, h);
            if !counts {
                continue;
            }
            let overlaps = distinct.iter().any(|&d: &usize| {
                let other = self.hits[d];
                other.start < hit.end && hit.start < other.end
            });
            if !overlaps
                && !distinct
                    .iter()
                    .any(|&d| self.hits[d].pattern == hit.pattern)
            {
                distinct.push(h);
            }
        }
        first.map(|(rule, hit)| Cue {
            line,
            rule,
            hit,
            two_phrases: distinct.len() >= 2,
        })
    }

    /// Tail rules count on a line followed by fewer than `TAIL_LINES`
    /// non-blank lines that stay. Lines that go do not count, so removing
    /// them does not move the tail.
    fn apply_tail(&mut self) {
        let mut kept_after = 0;
        for line in (0..self.lines.len()).rev() {
            if self.lines[line].blank {
                continue;
            }
            if !self.removed(line) && kept_after < TAIL_LINES {
                // A whole-line verdict beats a span, whichever hit comes first.
                let mut best = self.lines[line].verdict;
                for h in self.lines[line].hits.clone() {
                    let hit = self.hits[h];
                    for usage in self.uses(&hit) {
                        let rule = self.rule(usage.rule);
                        if usage.role != Role::Phrase || !rule.tail || rule.kind == RuleKind::Cue {
                            continue;
                        }
                        let fires = if rule.kind == RuleKind::Block {
                            self.opens_block(line, &hit, rule).then_some(None)
                        } else {
                            self.strong_fires(line, &hit, rule)
                        };
                        if let Some(span_from) = fires
                            && best.is_none_or(|b| b.span_from.is_some() && span_from.is_none())
                        {
                            best = Some(Verdict::phrase(usage.rule, h, span_from));
                        }
                    }
                }
                self.lines[line].verdict = best;
            }
            if !self.removed(line) {
                kept_after += 1;
            }
        }
    }

    /// A short line between two removed lines goes with them.
    fn apply_sandwiches(&mut self) {
        for line in 0..self.lines.len() {
            if self.lines[line].blank || self.lines[line].verdict.is_some() {
                continue;
            }
            let norm = self.norm_line(line).trim();
            if !is_short(norm, SANDWICH_WORDS, SANDWICH_CHARS) {
                continue;
            }
            let (Some(prev), Some(next)) = (self.prev_non_blank(line), self.next_non_blank(line))
            else {
                continue;
            };
            let category = |l: usize| self.lines[l].verdict.map(|v| self.rule(v.rule).category);
            // Both neighbours of one kind: a donation form's "Monthly" and
            // "10 €" go, a subheading between a credit and an ad stays.
            if self.removed(prev) && self.removed(next) && category(prev) == category(next) {
                let rule = self.lines[prev].verdict.map(|v| v.rule).unwrap_or_default();
                self.lines[line].verdict = Some(Verdict::line(rule, None));
            }
        }
    }

    /// The phrase of a hit as it stands in the input.
    fn source_phrase(&self, line: usize, hit: &Hit) -> String {
        let content = &self.text[self.lines[line].content.clone()];
        let mut norm = String::with_capacity(content.len());
        let mut map = Vec::with_capacity(content.len());
        normalize_into(content, &mut norm, Some(&mut map));
        let start = map.get(hit.start).copied().unwrap_or(content.len());
        let end = map.get(hit.end).copied().unwrap_or(content.len());
        content[start..end].trim().to_string()
    }

    /// Input byte offset of a position in a line's normalised text.
    fn source_offset(&self, line: usize, norm_offset: usize) -> usize {
        let content = &self.text[self.lines[line].content.clone()];
        let mut norm = String::with_capacity(content.len());
        let mut map = Vec::with_capacity(content.len());
        normalize_into(content, &mut norm, Some(&mut map));
        self.lines[line].content.start + map.get(norm_offset).copied().unwrap_or(content.len())
    }

    pub(super) fn into_outcome(self) -> Outcome<'a> {
        let mut removals: Vec<Removal> = Vec::new();
        let count = self.lines.len();
        let mut line = 0;
        while line < count {
            let Some(verdict) = self.lines[line].verdict else {
                line += 1;
                continue;
            };
            let rule = self.rule(verdict.rule);
            let phrase = verdict
                .hit
                .map(|h| self.source_phrase(line, &self.hits[h]))
                .unwrap_or_default();
            let evidence = match (verdict.hit, verdict.block_from) {
                (Some(_), _) => Evidence::Phrase,
                (None, Some(opener)) => Evidence::Block {
                    opened_at: opener + 1,
                },
                (None, None) => Evidence::Neighbours,
            };
            if let Some(from) = verdict.span_from {
                // Cut the trailing sentence and the spaces before it.
                let cut = self.source_offset(line, from);
                let keep_end = self.text[..cut]
                    .trim_end()
                    .len()
                    .max(self.lines[line].content.start);
                removals.push(Removal {
                    line: line + 1,
                    bytes: keep_end..self.lines[line].content.end,
                    whole_line: false,
                    rule_id: rule.id.clone(),
                    category: rule.category,
                    phrase,
                    evidence,
                });
                line += 1;
                continue;
            }
            let start = self.lines[line].content.start;
            let mut end = self.lines[line].next;
            // Blank lines up to the next removed line go with this one.
            let mut after = line + 1;
            while after < count && self.lines[after].blank {
                after += 1;
            }
            let next_removed = after < count && self.removed(after);
            if next_removed {
                end = self.lines[after - 1].next.max(end);
            } else if (line == 0 || self.lines[line - 1].blank) && after > line + 1 {
                // Blank before and after: drop the blanks after, so the
                // paragraphs around keep one separation.
                end = self.lines[after - 1].next;
            }
            removals.push(Removal {
                line: line + 1,
                bytes: start..end,
                whole_line: true,
                rule_id: rule.id.clone(),
                category: rule.category,
                phrase,
                evidence,
            });
            line += 1;
        }
        // A run of removals that reaches the end of the text takes the blank
        // lines before it, so the text does not end in blank lines.
        if removals
            .last()
            .is_some_and(|r| r.whole_line && r.bytes.end == self.text.len())
        {
            let mut first = removals.len() - 1;
            while first > 0
                && removals[first - 1].whole_line
                && removals[first - 1].bytes.end == removals[first].bytes.start
            {
                first -= 1;
            }
            let mut line = removals[first].line - 1;
            while line > 0 && self.lines[line - 1].blank {
                line -= 1;
            }
            removals[first].bytes.start = self.lines[line].content.start;
        }
        let mut text = String::with_capacity(self.text.len());
        let mut at = 0;
        for removal in &removals {
            text.push_str(&self.text[at..removal.bytes.start]);
            at = removal.bytes.end;
        }
        text.push_str(&self.text[at..]);
        Outcome {
            text: Cow::Owned(text),
            removals,
        }
    }
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', bytes)
}

/// A phrase that starts (ends) with a word character must not start (end)
/// inside a word.
fn at_word_boundaries(line: &str, start: usize, end: usize, pattern: &str) -> bool {
    let first = pattern.chars().next().is_some_and(is_word_char);
    let last = pattern.chars().next_back().is_some_and(is_word_char);
    if first && line[..start].chars().next_back().is_some_and(is_word_char) {
        return false;
    }
    if last && line[end..].chars().next().is_some_and(is_word_char) {
        return false;
    }
    true
}

/// Does a sentence start at `offset` of a normalised line?
fn starts_sentence(norm: &str, offset: usize) -> bool {
    let before = norm[..offset].trim_end();
    if before.is_empty() {
        return true;
    }
    let before = before.trim_end_matches(['"', '\'', ')']);
    before.ends_with(['.', '!', '?', ';']) && norm[..offset].ends_with(' ')
}
