//! One text being stripped: its lines, normalised and scanned once, the
//! hits of the automaton on them, and the evidence gathered from them once:
//! what each rule could do on each line ([`Candidate`]) and which guard, if
//! any, objects to it. Nothing here removes a line; [`super::decide`] does.

use std::borrow::Cow;
use std::cell::{Cell, OnceCell, RefCell};
use std::ops::Range;

use super::Work;
use super::kinds::{self, Fire};
use super::{PatternUse, Role, Stripper};
use crate::guards::{self, GuardKind};
use crate::normalize::{at_word_boundaries, is_unspaced_script, is_word_char, normalize_into};
use crate::rules::{Category, Rule, RuleKind};

/// A short line, for block growth: at most this many words and characters.
pub(super) const SHORT_WORDS: usize = 10;
pub(super) const SHORT_CHARS: usize = 80;
/// A headline-like line, for blocks that grow through headlines.
pub(super) const HEADLINE_WORDS: usize = 20;
pub(super) const HEADLINE_CHARS: usize = 160;
/// Longest trailing span cut out of a line too long to remove whole.
pub(super) const SPAN_MAX_CHARS: usize = 300;
/// A line of prose around a heading: at least this many words, ending a
/// sentence.
const PROSE_WORDS: usize = 12;
/// Lines at most between a contact heading and the contact line it heads
/// (a name, an office, a room).
const CONTACT_LINES: usize = 2;
/// A heading heads the article's sources when one of its next this many
/// lines is a reference.
const SOURCES_WITHIN: usize = 3;
/// An item under a lead-in that is a sentence of this many words explains
/// the page's own thing, whatever phrase it holds.
const LEAD_IN_ITEM_WORDS: usize = 6;
/// Longest line, in words, on which one word addressing the reader marks a
/// call to action.
const ADDRESS_MAX_WORDS: usize = 30;

/// One line of the document. A large document has millions, so what can
/// be found from the next line is not stored: where the next line starts
/// (in the input, and in `Document::hits`).
#[derive(Debug, Clone)]
pub(super) struct LineInfo {
    /// Bytes of the line in the input, without its line ending.
    pub(super) content: Range<usize>,
    /// Bytes of the line in the normalised buffer.
    pub(super) norm: Range<usize>,
    /// Index of the line's first hit in `Document::hits`; its hits run to
    /// the next line's first.
    hits_start: usize,
    /// Indexes into `Document::candidates`.
    pub(super) candidates: Range<usize>,
    /// Characters in the line, counted when first needed ([`NOT_COUNTED`]
    /// until then, and always for a line too long to count in 32 bits).
    chars: Cell<u32>,
    pub(super) blank: bool,
    /// Is the line a body paragraph (see the `body` guard), and does it
    /// speak to the reader? One of the `BODY_*` states, found when first
    /// asked.
    body: Cell<u8>,
    /// Is the line reported speech (see the `reported_speech` guard)?
    speech: OnceCell<bool>,
}

/// What is known of a line as a body paragraph: nothing yet; not one;
/// one, not asked yet whether it speaks to the reader; one that does; one
/// that does not.
const BODY_UNKNOWN: u8 = 0;
const BODY_NOT: u8 = 1;
const BODY_PLAIN: u8 = 2;
const BODY_ADDRESSING: u8 = 3;
const BODY_NOT_ADDRESSING: u8 = 4;

/// The character count of a line not counted yet.
const NOT_COUNTED: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
pub(super) struct Hit {
    pub(super) pattern: usize,
    /// Offsets in the normalised line.
    pub(super) start: usize,
    pub(super) end: usize,
}

/// What one rule could do on one line, found by one of its phrases, and the
/// guard that objects to it (an index into the guard set), if any.
#[derive(Debug, Clone, Copy)]
pub(super) struct Candidate {
    pub(super) rule: usize,
    pub(super) hit: usize,
    pub(super) fire: Fire,
    pub(super) objection: Option<usize>,
}

/// The answers of a rule's dearer tests on one line (its `regex`, its
/// `unless`), kept while that line's hits are evaluated: several phrases of
/// one rule on a line ask the same question of it, and the answer depends
/// on the line and the rule alone.
#[derive(Debug, Default)]
pub(super) struct LineAnswers {
    line: usize,
    /// (rule, by its address; does its regex allow the line?)
    regex: Vec<(usize, bool)>,
    /// (rule, by its address; does its `unless` hold on the line?)
    unless: Vec<(usize, bool)>,
    /// The line's sentences of prose that hold no strong phrase: how many
    /// (counted up to two) and where the first is.
    other_prose: Option<(usize, Range<usize>)>,
    /// The line as written and trimmed with its quotations blanked out
    /// (`None` inside: it quotes nothing), made for the first regex asked.
    own_text: Option<Option<String>>,
}

impl LineAnswers {
    /// Forgets the answers of another line.
    fn on(&mut self, line: usize) {
        if self.line != line {
            self.line = line;
            self.regex.clear();
            self.unless.clear();
            self.other_prose = None;
            self.own_text = None;
        }
    }

    /// The answer for `rule` on `line` in one of the lists, asked once.
    fn answer(
        &mut self,
        line: usize,
        rule: &Rule,
        list: fn(&mut LineAnswers) -> &mut Vec<(usize, bool)>,
        ask: impl FnOnce(&mut LineAnswers) -> bool,
    ) -> bool {
        self.on(line);
        let key = std::ptr::from_ref(rule) as usize;
        let answers = list(self);
        if let Some(&(_, answer)) = answers.iter().find(|(k, _)| *k == key) {
            return answer;
        }
        let answer = ask(self);
        list(self).push((key, answer));
        answer
    }
}

pub(super) struct Document<'s, 'a> {
    pub(super) stripper: &'s Stripper,
    pub(super) text: &'a str,
    pub(super) norm: String,
    pub(super) lines: Vec<LineInfo>,
    pub(super) hits: Vec<Hit>,
    pub(super) candidates: Vec<Candidate>,
    answers: RefCell<LineAnswers>,
    /// Lines the decision visited, in every pass and walk.
    pub(super) visits: Cell<usize>,
    /// Bytes of lines handed to rules' regexes and `unless` tests.
    tested_bytes: Cell<usize>,
    /// Bytes of lines normalised again to map offsets back to the input.
    mapped_bytes: Cell<usize>,
    /// The last walk up from a heading: (line, the line above it that a
    /// strong phrase does not take). Guards are asked in line order, so a
    /// walk that passes the last one's line ends where that one ended:
    /// each line is walked over once, however long the run above it.
    heading_walk: Cell<Option<(usize, Option<usize>)>>,
    /// The last walk up a list: (item line, its bullet, the line above the
    /// list), used the same way.
    list_walk: Cell<Option<(usize, char, Option<usize>)>>,
}

/// Lowercase words a one-word label's clause needs when it runs straight
/// on from the label (see [`Document::names_in_headline`]).
const RUN_ON_LOWERCASE_WORDS: usize = 3;

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
            | '–'
            | '▪'
            | '◦'
            | '‣'
            | '✓'
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

/// Byte bounds of the core of a normalised line: bullets, numbering ("1.",
/// "2)") and final punctuation aside.
pub(super) fn core_bounds(norm: &str) -> (usize, usize) {
    let mut start = norm.len() - norm.trim_start_matches(is_lead_junk).len();
    // A list number: up to three digits and a dot or bracket, then a space.
    let rest = &norm[start..];
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if (1..=3).contains(&digits) {
        let after = &rest[digits..];
        if after.starts_with(". ") || after.starts_with(") ") {
            start += digits + 2;
            start = norm.len() - norm[start..].trim_start_matches(is_lead_junk).len();
        }
    }
    let end = norm.trim_end_matches(is_trail_junk).len();
    if end <= start {
        (start, start)
    } else {
        (start, end)
    }
}

/// Does the hit label what follows it: at the line's or a sentence's start,
/// ending in a colon ("Read more:", "… capsule. Credit: NASA")?
fn is_label(norm: &str, hit: &Hit) -> bool {
    let (core_start, _) = core_bounds(norm);
    let before = norm[..hit.start].trim_end();
    let opens = hit.start <= core_start
        || before.ends_with(['.', '!', '?', '|'])
        || norm[hit.start..].starts_with(['.', '|', '-', '(']);
    opens && (norm[..hit.end].ends_with(':') || norm[hit.end..].trim_start().starts_with(':'))
}

/// Does the hit close the line after a break: at its end, after a full
/// stop, bracket, bar or dash ("… Ulvalde, Texas. (AP Photo/Eric Gay)")?
fn closes_after_break(norm: &str, hit: &Hit) -> bool {
    let (_, core_end) = core_bounds(norm);
    if hit.end < core_end {
        return false;
    }
    // "… New article available! (Read more...)." goes on as a sentence.
    if norm[hit.end..].contains('.') {
        return false;
    }
    let phrase = &norm[hit.start..hit.end];
    let before = norm[..hit.start].trim_end();
    phrase.starts_with(['(', '[', '|', '-', '/'])
        || before.ends_with(['.', '(', '[', '|', '-', ':', ';', '/', '!', '?'])
}

/// At most `words` words and `chars` characters; cheap on long lines.
pub(super) fn is_short(s: &str, words: usize, chars: usize) -> bool {
    s.len() <= chars * 4 && s.chars().count() <= chars && s.split_whitespace().nth(words).is_none()
}

impl<'s, 'a> Document<'s, 'a> {
    /// Splits, normalises and scans `text`, and gathers the evidence of
    /// every line.
    pub(super) fn scan(stripper: &'s Stripper, text: &'a str) -> Document<'s, 'a> {
        let mut norm = String::with_capacity(text.len() + 16);
        let bytes = text.as_bytes();
        // Sized once (a "\r\n" counts twice): a table grown by doubling
        // would hold up to twice the lines of a large document.
        let mut lines = Vec::with_capacity(memchr::memchr2_iter(b'\n', b'\r', bytes).count() + 1);
        let mut start = 0;
        while start < bytes.len() || (start == 0 && bytes.is_empty()) {
            // A line ends at "\n", "\r\n" or a lone "\r" (old Mac files).
            let (content_end, next) = match memchr::memchr2(b'\n', b'\r', &bytes[start..]) {
                Some(i)
                    if bytes[start + i] == b'\r' && bytes.get(start + i + 1) == Some(&b'\n') =>
                {
                    (start + i, start + i + 2)
                }
                Some(i) => (start + i, start + i + 1),
                None => (bytes.len(), bytes.len()),
            };
            if !lines.is_empty() {
                norm.push('\n');
            }
            let norm_start = norm.len();
            normalize_into(&text[start..content_end], &mut norm, None);
            let blank = norm[norm_start..].trim().is_empty();
            lines.push(LineInfo {
                content: start..content_end,
                norm: norm_start..norm.len(),
                hits_start: 0,
                candidates: 0..0,
                chars: Cell::new(NOT_COUNTED),
                blank,
                body: Cell::new(BODY_UNKNOWN),
                speech: OnceCell::new(),
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
            candidates: Vec::new(),
            answers: RefCell::default(),
            visits: Cell::new(0),
            tested_bytes: Cell::new(0),
            mapped_bytes: Cell::new(0),
            heading_walk: Cell::new(None),
            list_walk: Cell::new(None),
        };
        doc.collect_hits();
        doc.collect_candidates();
        doc
    }

    fn collect_hits(&mut self) {
        let Some(automaton) = &self.stripper.automaton else {
            return;
        };
        // Matches arrive ordered by end, so line by line: each line's hits
        // are put in order (start, then end, then arrival) when the next
        // line's first hit comes, with no table of the whole document to
        // sort.
        let mut hits: Vec<Hit> = Vec::new();
        let mut first_of_line = 0;
        let mut line = 0;
        let by_position = |hit: &Hit| (hit.start, hit.end);
        for m in automaton.find_overlapping_iter(self.norm.as_str()) {
            // A match never spans a line break unless a pattern holds one,
            // which normalisation rules out.
            if self.lines[line].norm.end < m.end() {
                hits[first_of_line..].sort_by_key(by_position);
                while self.lines[line].norm.end < m.end() {
                    line += 1;
                    self.lines[line].hits_start = hits.len();
                }
                first_of_line = hits.len();
            }
            let span = &self.lines[line].norm;
            if span.start > m.start() {
                continue;
            }
            let text = &self.norm[span.clone()];
            let (start, end) = (m.start() - span.start, m.end() - span.start);
            let pattern = &self.stripper.patterns[m.pattern().as_usize()].0;
            if !at_word_boundaries(text, start, end, pattern) {
                continue;
            }
            hits.push(Hit {
                pattern: m.pattern().as_usize(),
                start,
                end,
            });
        }
        hits[first_of_line..].sort_by_key(by_position);
        for after in &mut self.lines[line + 1..] {
            after.hits_start = hits.len();
        }
        self.hits = hits;
    }

    /// Evaluates every (line, rule) pair that a phrase brought together,
    /// once, and asks the guards about each. Guards that look at
    /// neighbouring lines come second, when every line's candidates are
    /// known.
    fn collect_candidates(&mut self) {
        let mut candidates = Vec::new();
        for line in 0..self.lines.len() {
            let first = candidates.len();
            for h in self.hits_of(line) {
                let hit = self.hits[h];
                for usage in self.uses(&hit) {
                    if usage.role != Role::Phrase {
                        continue;
                    }
                    let rule = self.rule(usage.rule);
                    let Some(fire) = kinds::evaluate(self, line, &hit, rule) else {
                        continue;
                    };
                    if !rule.unless.is_empty() && self.unless_holds(line, rule) {
                        continue;
                    }
                    let objection = self.line_guard(line, &hit, rule);
                    candidates.push(Candidate {
                        rule: usage.rule,
                        hit: h,
                        fire,
                        objection,
                    });
                }
            }
            self.lines[line].candidates = first..candidates.len();
        }
        self.candidates = candidates;
        for i in 0..self.candidates.len() {
            let candidate = self.candidates[i];
            if candidate.objection.is_none() && matches!(candidate.fire, Fire::Cue | Fire::Opens) {
                let line = self.line_of_candidate(i);
                self.candidates[i].objection = self.heading_guard(line);
            }
        }
        for i in 0..self.candidates.len() {
            let candidate = self.candidates[i];
            if candidate.objection.is_none() && !matches!(candidate.fire, Fire::Span(_)) {
                let line = self.line_of_candidate(i);
                self.candidates[i].objection = self.list_item_guard(line);
            }
        }
    }

    /// Counts `count` lines visited by the decision.
    pub(super) fn visit(&self, count: usize) {
        self.visits.set(self.visits.get() + count);
    }

    /// Counts a line handed to a rule's dearer test.
    fn tested(&self, line: usize) {
        let bytes = self.lines[line].content.len();
        self.tested_bytes.set(self.tested_bytes.get() + bytes);
    }

    /// The work done on this document so far.
    pub(super) fn work(&self) -> Work {
        Work {
            bytes_scanned: self.norm.len(),
            hits: self.hits.len(),
            line_visits: self.visits.get(),
            tested_bytes: self.tested_bytes.get(),
            mapped_bytes: self.mapped_bytes.get(),
        }
    }

    /// Does the line hold, besides the sentence the phrase at `hit` is in, a
    /// sentence of an article's body (at least the body guard's `min_words`
    /// words, ending a sentence) with no strong phrase in it, while not a
    /// word around the phrase's sentence speaks to the reader or for the
    /// publisher (an appeal's or a promotion's paragraph does)? Then the
    /// phrase is one sentence of the article's paragraph, and the line does
    /// not go whole for it. The sentences are worked out once per line, in
    /// one pass over them and the line's hits.
    pub(super) fn holds_other_prose(&self, line: usize, hit: &Hit) -> bool {
        let (count, first) = {
            let mut answers = self.answers.borrow_mut();
            answers.on(line);
            answers
                .other_prose
                .get_or_insert_with(|| self.prose_sentences(line))
                .clone()
        };
        let other = match count {
            0 => false,
            1 => !(first.start <= hit.start && hit.start < first.end),
            _ => true,
        };
        if !other {
            return false;
        }
        // Around the phrase's own sentence, not a word speaks to the reader
        // or for the publisher ("you", "our"): an appeal's paragraph does.
        let norm = self.norm_line(line);
        let (from, to) = guards::sentence_around(norm, hit.start, hit.end);
        let address = self.address_words_list();
        guards::address_words(&norm[..from], address, 1) == 0
            && guards::address_words(&norm[to..], address, 1) == 0
    }

    /// The sentences [`Document::holds_other_prose`] counts: how many (up
    /// to two) and the first.
    fn prose_sentences(&self, line: usize) -> (usize, Range<usize>) {
        let none = (0, 0..0);
        let Some((_, body)) = self.stripper.guards.find("body") else {
            return none;
        };
        let GuardKind::Body { min_words, .. } = body.kind else {
            return none;
        };
        let norm = self.norm_line(line);
        if guards::words_up_to(norm, 2 * min_words) < 2 * min_words {
            // Too short for a phrase's sentence and another of prose.
            return none;
        }
        // The line's hits are in order of their start.
        let mut strong = self.hits[self.hits_of(line)]
            .iter()
            .filter(|h| self.is_strong(h))
            .map(|h| h.start)
            .peekable();
        let (mut count, mut first) = none;
        let mut start = 0;
        let bytes = norm.as_bytes();
        for (at, c) in norm.char_indices() {
            let ends = matches!(c, '.' | '!' | '?') && bytes.get(at + 1) == Some(&b' ');
            if !ends && at + c.len_utf8() < norm.len() {
                continue;
            }
            let end = at + c.len_utf8();
            let mut has_phrase = false;
            while strong.peek().is_some_and(|&h| h < end) {
                has_phrase |= strong.next().is_some_and(|h| h >= start);
            }
            let sentence = &norm[start..end];
            if !has_phrase
                && guards::ends_sentence(sentence)
                && guards::words_up_to(sentence, min_words) >= min_words
            {
                if count == 0 {
                    first = start..end;
                }
                count += 1;
                if count == 2 {
                    break;
                }
            }
            start = end;
        }
        (count, first)
    }

    /// Is the hit a phrase that could take a line by itself (of a rule
    /// that is not a cue)?
    pub(super) fn is_strong(&self, hit: &Hit) -> bool {
        self.uses(hit)
            .iter()
            .any(|u| u.role == Role::Phrase && !matches!(self.rule(u.rule).kind, RuleKind::Cue(_)))
    }

    /// The words that speak to the reader or for the publisher (the body
    /// guard's list; none without that guard).
    fn address_words_list(&self) -> &'s [String] {
        match self.stripper.guards.find("body").map(|(_, g)| &g.kind) {
            Some(GuardKind::Body { address, .. }) => address,
            _ => &[],
        }
    }

    /// Asks one of a rule's dearer tests of a line once, however many of
    /// its phrases stand on the line, counting the bytes it reads.
    fn ask_once(
        &self,
        line: usize,
        rule: &Rule,
        list: fn(&mut LineAnswers) -> &mut Vec<(usize, bool)>,
        test: impl FnOnce(&mut LineAnswers) -> bool,
    ) -> bool {
        self.answers
            .borrow_mut()
            .answer(line, rule, list, |answers| {
                self.tested(line);
                test(answers)
            })
    }

    /// Does the rule's `regex` (if any) match the line as written (its
    /// markdown links as their text), trimmed, its quotations blanked out
    /// (a quotation's words are cited)?
    pub(super) fn regex_allows(&self, line: usize, rule: &Rule) -> bool {
        let Some(regex) = &rule.regex else {
            return true;
        };
        self.ask_once(
            line,
            rule,
            |a| &mut a.regex,
            |answers| {
                let text = self.line_text(line).trim();
                let own =
                    answers.own_text.get_or_insert_with(|| {
                        match crate::normalize::shown_text(text) {
                            Cow::Borrowed(_) => guards::outside_quotations(text),
                            Cow::Owned(shown) => {
                                Some(guards::outside_quotations(&shown).unwrap_or(shown))
                            }
                        }
                    });
                regex.is_match(own.as_deref().unwrap_or(text))
            },
        )
    }

    /// Does the rule's `unless` hold on the line?
    fn unless_holds(&self, line: usize, rule: &Rule) -> bool {
        self.ask_once(
            line,
            rule,
            |a| &mut a.unless,
            |_| {
                rule.unless
                    .holds(self.line_text(line), self.norm_line(line))
            },
        )
    }

    /// The list-item guard: the line is a short item of a bulleted list
    /// whose items on both sides carry the same bullet and no phrase at
    /// all, or of a list that a sentence ending in a colon introduces.
    fn list_item_guard(&self, line: usize) -> Option<usize> {
        let (index, guard) = self.stripper.guards.find("list_item")?;
        let GuardKind::ListItem {
            max_words,
            min_words,
        } = guard.kind
        else {
            return None;
        };
        let bullet = guards::bullet_of(self.line_text(line))?;
        if guards::words_up_to(self.norm_line(line), max_words + 1) > max_words {
            return None;
        }
        let item = |n: usize| guards::bullet_of(self.line_text(n)) == Some(bullet);
        let plain_item =
            |n: Option<usize>| n.is_some_and(|n| item(n) && self.candidates_of(n).is_empty());
        if plain_item(self.prev_non_blank(line)) && plain_item(self.next_non_blank(line)) {
            return Some(index);
        }
        // Up the list to the line that introduces it.
        let last = self.list_walk.get();
        let mut up = self.prev_non_blank(line);
        while let Some(p) = up
            && item(p)
        {
            if let Some((from, b, found)) = last
                && b == bullet
                && p < from
                && from <= line
            {
                up = found;
                break;
            }
            up = self.prev_non_blank(p);
        }
        self.list_walk.set(Some((line, bullet, up)));
        let introduced = up.is_some_and(|p| {
            let norm = self.norm_line(p).trim_end();
            norm.ends_with(':')
                && guards::words_up_to(norm, min_words) >= min_words
                && self.candidates_of(p).is_empty()
        });
        introduced.then_some(index)
    }

    fn line_of_candidate(&self, index: usize) -> usize {
        self.lines
            .partition_point(|l| l.candidates.end <= index)
            .min(self.lines.len() - 1)
    }

    /// The first guard that objects to a rule's phrase by what is on the
    /// line itself: a quotation, reported speech, or prose running past the
    /// phrase. A phrase that labels the line ("Read more: …", "Credit: …")
    /// or closes it after a break ("… (AP Photo/…)", "… | Read more") is
    /// not part of a sentence, and a line that addresses the reader ("we",
    /// "your") is an appeal's own voice: neither speech nor prose guards it.
    fn line_guard(&self, line: usize, hit: &Hit, rule: &Rule) -> Option<usize> {
        let norm = self.norm_line(line);
        let in_sentence = !is_label(norm, hit) && !closes_after_break(norm, hit);
        // A sentence and a row of buttons after it ("… keep you signed in.
        // Accept all · Choose settings") is a banner: neither prose nor a
        // headline.
        let buttons = OnceCell::new();
        // (As written: normalising folds the runs of spaces between
        // buttons.)
        let closes_with_buttons =
            || *buttons.get_or_init(|| guards::closes_with_buttons(self.line_text(line)));
        for (index, guard) in self.stripper.guards.guards().iter().enumerate() {
            let objects = match &guard.kind {
                GuardKind::Quoted => {
                    guards::is_quoted(norm, hit.start, hit.end) || self.quotes_after_colon(line)
                }
                GuardKind::Code { markers, regex } => {
                    guards::is_code(self.line_text(line), markers, regex)
                }
                GuardKind::TableRow => self.in_table(line),
                // Against lists of other stories only: a caption's credit
                // ("… at Paris Blockchain Week 2023. Source: …") or an ad
                // label over a reference is not the article's source.
                GuardKind::Sources { markers } => {
                    rule.category == Category::Related && self.cites_sources(line, markers)
                }
                GuardKind::LeadIn { min_words } => {
                    rule.category == Category::Related && self.leads_in(line, hit, *min_words)
                }
                GuardKind::Contact { max_words } => {
                    rule.category == Category::Footer && self.article_contact(line, *max_words)
                }
                // A phrase opening one of the note's sentences is a call
                // to action under a note's label ("Editor's note: … . Sign
                // up for …"): the note speaks to the reader.
                GuardKind::Note { labels, min_words } => {
                    self.is_quiet_note(line, labels, *min_words)
                        && !norm[..hit.start].trim_end().ends_with(['.', '!', '?', ':'])
                }
                GuardKind::ReportedSpeech {
                    phrases,
                    words,
                    min_words,
                    attribution_openers,
                    attribution_verbs,
                } => {
                    in_sentence
                        && *self.lines[line].speech.get_or_init(|| {
                            (guards::ends_sentence(norm)
                                && guards::is_reported_speech(norm, phrases, words, *min_words)
                                || guards::ends_in_attribution(
                                    norm,
                                    attribution_openers,
                                    attribution_verbs,
                                    words,
                                ))
                                && !self.addresses_reader(line, 2)
                        })
                        // A label over a sentence that reports what was said
                        // ("Latest: The party said it would appeal.") is a
                        // news update; a link's headline has no full stop.
                        || is_label(norm, hit)
                            && self.label_reports_speech(line, hit, phrases, words, *min_words)
                }
                GuardKind::Prose {
                    min_words,
                    min_words_before,
                    min_words_alone,
                    min_words_after_label,
                    formal_address,
                    continuations,
                } => {
                    (!in_sentence
                        && is_label(norm, hit)
                        && self.label_heads_sentence(line, hit, *min_words_after_label)
                    // A line rule's phrase is the whole line: nothing runs on.
                    || in_sentence
                        && !matches!(rule.kind, crate::rules::RuleKind::Line)
                        && guards::runs_into_prose(
                            norm,
                            hit.start,
                            hit.end,
                            || self.original_char_after(line, hit.end),
                            &guards::ProseLimits {
                                min_words: *min_words,
                                min_words_before: *min_words_before,
                                min_words_alone: *min_words_alone,
                                continuations,
                            },
                        )
                        // A sign ("©", "/") inside prose is no call to
                        // action, whoever the sentence speaks to.
                        && (!norm[hit.start..hit.end]
                            .chars()
                            .any(|c| is_word_char(c) || is_unspaced_script(c))
                            || !self.addresses_reader_outside(line, hit))
                        // A short line that is one sentence speaks to no one
                        // ("Join our channel for alerts." is a button's).
                        && (guards::words_up_to(norm, *min_words) >= *min_words
                            || !self.addresses_reader(line, 1)
                                && !guards::addresses_formally(
                                    self.line_text(line),
                                    formal_address,
                                )))
                        && !closes_with_buttons()
                }
                GuardKind::Headline {
                    min_words,
                    max_words,
                } => {
                    // A related-story link is a label and a headline:
                    // the headline is what it shows.
                    in_sentence
                        && !matches!(rule.kind, RuleKind::Line)
                        && rule.category != Category::Related
                        && self.names_in_headline(line, hit, rule, *min_words, *max_words)
                        && !closes_with_buttons()
                }
                GuardKind::Heading { .. }
                | GuardKind::ListItem { .. }
                | GuardKind::SentenceBetween { .. }
                | GuardKind::Body { .. } => false,
            };
            if objects {
                return Some(index);
            }
        }
        None
    }

    /// Does the line give an e-mail address or a phone number under a
    /// short heading (at most `max_words` words, no colon, no full stop)
    /// that comes right after a sentence of prose, with at most
    /// [`CONTACT_LINES`] lines between them, none of which, nor the
    /// heading, holds a phrase that could take a line?
    fn article_contact(&self, line: usize, max_words: usize) -> bool {
        if !guards::holds_an_email_address(self.line_text(line))
            && !guards::holds_a_phone_number(self.norm_line(line))
        {
            return false;
        }
        let mut at = line;
        for _ in 0..=CONTACT_LINES {
            let Some(p) = self.prev_non_blank(at) else {
                return false;
            };
            if self.a_rule_fits(p) {
                return false;
            }
            let norm = self.norm_line(p).trim();
            let heading = guards::words_up_to(norm, max_words + 1) <= max_words
                && !norm.contains(':')
                && !guards::ends_sentence(norm);
            if heading {
                return self
                    .prev_non_blank(p)
                    .is_some_and(|q| guards::is_sentence(self.norm_line(q), PROSE_WORDS));
            }
            if guards::ends_sentence(norm) {
                return false;
            }
            at = p;
        }
        false
    }

    /// Does a rule that is not a cue fit the line, by one of its phrases
    /// there (whatever the guards would say)?
    fn a_rule_fits(&self, line: usize) -> bool {
        self.hits[self.hits_of(line)].iter().any(|hit| {
            self.uses(hit).iter().any(|u| {
                let rule = self.rule(u.rule);
                u.role == Role::Phrase
                    && !matches!(rule.kind, RuleKind::Cue(_))
                    && kinds::evaluate(self, line, hit, rule).is_some()
            })
        })
    }

    /// Is the line a block quotation ("> …") under a line that ends in a
    /// colon ("One version of the banner read:")? The text cites what it
    /// quotes.
    fn quotes_after_colon(&self, line: usize) -> bool {
        self.line_text(line).trim_start().starts_with('>')
            && self
                .prev_non_blank(line)
                .is_some_and(|p| self.line_text(p).trim_end().ends_with(':'))
    }

    /// Does the line go on from the phrase for `min_words` words or more to
    /// a colon that ends it, over a line (the next that is not blank) that
    /// holds no phrase that could take a line, or that is a sentence of
    /// [`LEAD_IN_ITEM_WORDS`] words or more (an item that explains: "-
    /// `listen` sets the port it accepts connections on.")?
    fn leads_in(&self, line: usize, hit: &Hit, min_words: usize) -> bool {
        let norm = self.norm_line(line);
        let Some(named) = norm[hit.end..].trim_end().strip_suffix(':') else {
            return false;
        };
        if named.contains(['.', '!', '?', ':', '|'])
            || guards::words_up_to(named, min_words) < min_words
        {
            return false;
        }
        self.next_non_blank(line).is_some_and(|next| {
            let item = self.norm_line(next);
            guards::ends_sentence(item)
                && guards::words_up_to(item, LEAD_IN_ITEM_WORDS) >= LEAD_IN_ITEM_WORDS
                || !self.hits[self.hits_of(next)]
                    .iter()
                    .any(|h| self.is_strong(h))
        })
    }

    /// Is the line a reference, or a short heading (no full stop) over a
    /// list holding one within its next `SOURCES_WITHIN` lines?
    fn cites_sources(&self, line: usize, markers: &[String]) -> bool {
        let norm = self.norm_line(line).trim();
        if guards::is_citation(norm, self.line_text(line), markers) {
            return true;
        }
        if !is_short(norm, SHORT_WORDS, SHORT_CHARS) || guards::ends_sentence(norm) {
            return false;
        }
        let mut next = self.next_non_blank(line);
        for _ in 0..SOURCES_WITHIN {
            let Some(n) = next else {
                return false;
            };
            if guards::is_citation(self.norm_line(n).trim(), self.line_text(n), markers) {
                return true;
            }
            next = self.next_non_blank(n);
        }
        false
    }

    /// Is the line a row of a markdown table, with another row or the
    /// table's rule right above or below it?
    fn in_table(&self, line: usize) -> bool {
        let next_to = |other: Option<usize>| {
            other.is_some_and(|n| {
                let text = self.line_text(n);
                guards::is_table_row(text) || guards::is_table_rule(text)
            })
        };
        guards::is_table_row(self.line_text(line))
            && (next_to(line.checked_sub(1))
                || next_to(Some(line + 1).filter(|&n| n < self.lines.len())))
    }

    /// What follows a label's colon on the normalised line: where it starts
    /// and its text, trimmed.
    fn after_label(&self, line: usize, hit: &Hit) -> Option<(usize, &str)> {
        let norm = self.norm_line(line);
        let colon = hit.start + norm[hit.start..].find(':')? + 1;
        Some((colon, norm[colon..].trim()))
    }

    /// Does a label ("Credit:") head a sentence of its own, a term being
    /// defined rather than a label: after its colon at least `min_words`
    /// words, written from a lowercase letter (after any count: "Photos: 40
    /// prints, picked from …"), that end a sentence and speak to no one
    /// ("Credit: no fee in the first year, then 19.9% a year on
    /// purchases.")? A label's own text is a name or a headline.
    fn label_heads_sentence(&self, line: usize, hit: &Hit, min_words: usize) -> bool {
        let Some((colon, rest)) = self.after_label(line, hit) else {
            return false;
        };
        if min_words == 0
            || !guards::ends_sentence(rest)
            || guards::words_up_to(rest, min_words) < min_words
        {
            return false;
        }
        let written = &self.text[self.source_offset(line, colon)..self.lines[line].content.end];
        // A count may come first: "Photos: 40 prints, picked from …".
        let first_word = written
            .split_whitespace()
            .find(|word| !word.starts_with(|c: char| c.is_ascii_digit()));
        first_word.is_some_and(|word| word.starts_with(char::is_lowercase))
            && !self.addresses_reader(line, 1)
    }

    /// Does a label head a sentence of reported speech: after its colon a
    /// sentence that ends in a full stop, holds a reporting word and speaks
    /// to no one?
    fn label_reports_speech(
        &self,
        line: usize,
        hit: &Hit,
        phrases: &[String],
        words: &std::collections::BTreeSet<String>,
        min_words: usize,
    ) -> bool {
        let Some((_, rest)) = self.after_label(line, hit) else {
            return false;
        };
        guards::ends_sentence(rest)
            && guards::is_reported_speech(rest, phrases, words, min_words)
            && !self.addresses_reader(line, 1)
    }

    /// Is the line a headline that names the phrase: a clause break after
    /// it and a plain clause of its own, with no other phrase
    /// ([`GuardKind::Headline`])? A label that opens a line (a `prefix`
    /// rule's, not a call to action) may also run straight on into the
    /// clause in lowercase, as a noun does: "Advertisement ban comes into
    /// force"; the labels themselves go on with a number, a capital or a
    /// break ("Advertisement 2", "Advertisement - Continue Reading Below").
    /// Only a one-word label, and a clause of three lowercase words and no
    /// digit: "Reading time about 6 minutes" is a widget.
    fn names_in_headline(
        &self,
        line: usize,
        hit: &Hit,
        rule: &Rule,
        min_words: usize,
        max_words: usize,
    ) -> bool {
        let norm = self.norm_line(line);
        // A headline is short: a longer line is none, whatever follows.
        if guards::words_up_to(norm, max_words + 1) > max_words {
            return false;
        }
        let runs_on = || {
            let label = matches!(rule.kind, RuleKind::Prefix)
                && !rule.category.calls_to_action()
                && !norm[hit.start..hit.end].trim().contains(' ')
                && norm[hit.end..].starts_with(' ');
            if !label {
                return false;
            }
            let written =
                &self.text[self.source_offset(line, hit.end)..self.lines[line].content.end];
            let lowercase = written
                .split_whitespace()
                .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
                .count();
            written.starts_with(' ')
                && written[1..].starts_with(char::is_lowercase)
                && lowercase >= RUN_ON_LOWERCASE_WORDS
                && !written.contains(|c: char| c.is_ascii_digit())
        };
        let Some(from) =
            guards::clause_after(norm, hit.end).or_else(|| runs_on().then_some(hit.end + 1))
        else {
            return false;
        };
        let rest = &norm[from..];
        // A headline ends without a full stop: a line that ends in one is a
        // sentence, which the prose guard weighs.
        let last = norm
            .trim_end_matches(['"', '\'', ')', ' '])
            .chars()
            .next_back();
        if rest.trim().is_empty()
            || matches!(last, Some('.' | '!' | '…'))
            // A © anywhere marks the line as a notice.
            || self.line_text(line).contains('©')
            || self.hits[self.hits_of(line)]
                .iter()
                .any(|h| h.start >= from && self.is_strong(h))
        {
            return false;
        }
        let written = &self.text[self.source_offset(line, from)..self.lines[line].content.end];
        guards::is_plain_clause(written, rest, min_words, self.address_words_list())
    }

    /// Does the line address the reader outside the phrase ("… sign up to
    /// our newsletter here" is a call to action when "visit … here" or
    /// "your" stands around it)?
    fn addresses_reader_outside(&self, line: usize, hit: &Hit) -> bool {
        // A long paragraph in the second person is as often a how-to ("you
        // can offer subscriptions …") as a call to action: on a long line
        // it takes the publisher's own voice, three address words, to count.
        let norm = self.norm_line(line);
        let needed = if guards::words_up_to(norm, ADDRESS_MAX_WORDS + 1) > ADDRESS_MAX_WORDS {
            3
        } else {
            1
        };
        let outside = format!("{} {}", &norm[..hit.start], &norm[hit.end..]);
        guards::address_words(&outside, self.address_words_list(), needed) >= needed
    }

    /// Does the line hold at least `count` words addressing the reader (the
    /// body guard's list)?
    pub(super) fn addresses_reader(&self, line: usize, count: usize) -> bool {
        count > 0
            && guards::address_words(self.line_text(line), self.address_words_list(), count)
                >= count
    }

    /// The heading guard, for a cue or a block opener on `line`: a short
    /// line that does not end a sentence, after a line of prose and before
    /// a body paragraph.
    fn heading_guard(&self, line: usize) -> Option<usize> {
        let (index, guard) = self.stripper.guards.find("heading")?;
        let GuardKind::Heading { max_words } = guard.kind else {
            return None;
        };
        let norm = self.norm_line(line).trim();
        if guards::words_up_to(norm, max_words + 1) > max_words || guards::ends_sentence(norm) {
            return None;
        }
        // Lines a strong phrase takes (an ad label above the heading) are
        // passed over on the way up.
        let last = self.heading_walk.get();
        let mut prev = self.prev_non_blank(line);
        while let Some(p) = prev
            && self
                .candidates_of(p)
                .iter()
                .any(|c| c.objection.is_none() && c.fire == Fire::Whole)
        {
            if let Some((from, found)) = last
                && p < from
                && from <= line
            {
                prev = found;
                break;
            }
            prev = self.prev_non_blank(p);
        }
        self.heading_walk.set(Some((line, prev)));
        let prose_before =
            prev.is_some_and(|p| guards::is_sentence(self.norm_line(p), PROSE_WORDS));
        let body_after = self
            .next_non_blank(line)
            .is_some_and(|n| self.is_body(n, false));
        (prose_before && body_after).then_some(index)
    }

    /// Is the line a body paragraph: long, ending a sentence, with no phrase
    /// that could remove it, and (with `address`) not speaking to the reader
    /// as an appeal does?
    pub(super) fn is_body(&self, line: usize, address: bool) -> bool {
        let Some((_, guard)) = self.stripper.guards.find("body") else {
            return false;
        };
        let GuardKind::Body {
            min_words,
            address: words,
            max_address,
        } = &guard.kind
        else {
            return false;
        };
        let cell = &self.lines[line].body;
        if cell.get() == BODY_UNKNOWN {
            let norm = self.norm_line(line);
            let plain = guards::is_sentence(norm, *min_words)
                && !self
                    .candidates_of(line)
                    .iter()
                    .any(|c| c.objection.is_none() && c.fire != Fire::Opens);
            cell.set(if plain { BODY_PLAIN } else { BODY_NOT });
        }
        if cell.get() == BODY_NOT {
            return false;
        }
        if !address {
            return true;
        }
        if cell.get() == BODY_PLAIN {
            let addressing =
                guards::address_words(self.line_text(line), words, *max_address) >= *max_address;
            cell.set(if addressing {
                BODY_ADDRESSING
            } else {
                BODY_NOT_ADDRESSING
            });
        }
        cell.get() == BODY_NOT_ADDRESSING
    }

    /// The note guard, when the line is a correction, clarification,
    /// update or editor's note that speaks to no one.
    pub(super) fn note_guard(&self, line: usize) -> Option<usize> {
        let (index, guard) = self.stripper.guards.find("note")?;
        let GuardKind::Note { labels, min_words } = &guard.kind else {
            return None;
        };
        self.is_quiet_note(line, labels, *min_words)
            .then_some(index)
    }

    /// Is the line a note under one of `labels` that speaks to no one?
    fn is_quiet_note(&self, line: usize, labels: &[String], min_words: usize) -> bool {
        guards::is_note(self.norm_line(line), labels, min_words) && !self.addresses_reader(line, 1)
    }

    /// The index of the body guard, for objections it raises.
    pub(super) fn body_guard(&self) -> Option<usize> {
        self.stripper.guards.find("body").map(|(i, _)| i)
    }

    /// The character after normalised offset `at`, as written.
    fn original_char_after(&self, line: usize, at: usize) -> Option<char> {
        let source = self.source_offset(line, at);
        self.text[source..self.lines[line].content.end]
            .trim_start()
            .chars()
            .next()
    }

    pub(super) fn candidates_of(&self, line: usize) -> &[Candidate] {
        &self.candidates[self.lines[line].candidates.clone()]
    }

    pub(super) fn norm_line(&self, line: usize) -> &str {
        &self.norm[self.lines[line].norm.clone()]
    }

    pub(super) fn line_text(&self, line: usize) -> &str {
        &self.text[self.lines[line].content.clone()]
    }

    pub(super) fn char_count(&self, line: usize) -> usize {
        let info = &self.lines[line];
        match info.chars.get() {
            NOT_COUNTED => {
                // As shown: a markdown link counts its text only.
                let count = crate::normalize::shown_text(&self.text[info.content.clone()])
                    .chars()
                    .count();
                if let Ok(small) = u32::try_from(count) {
                    info.chars.set(small);
                }
                count
            }
            count => count as usize,
        }
    }

    /// Indexes of the line's hits in `hits`.
    pub(super) fn hits_of(&self, line: usize) -> Range<usize> {
        let end = self
            .lines
            .get(line + 1)
            .map_or(self.hits.len(), |next| next.hits_start);
        self.lines[line].hits_start..end
    }

    /// Where the line after this one starts in the input (after this
    /// line's ending), or the text's end.
    pub(super) fn next_start(&self, line: usize) -> usize {
        self.lines
            .get(line + 1)
            .map_or(self.text.len(), |next| next.content.start)
    }

    pub(super) fn uses(&self, hit: &Hit) -> &'s [PatternUse] {
        &self.stripper.patterns[hit.pattern].1
    }

    pub(super) fn rule(&self, index: usize) -> &'s Rule {
        &self.stripper.rules.rules()[index]
    }

    /// The hit of a block's closing phrase on this line. A close is a
    /// button or a sign-off, a line the rule could take whole: on a longer
    /// line (an article's paragraph that mentions it) it closes nothing.
    pub(super) fn close_hit(&self, line: usize, rule_index: usize) -> Option<usize> {
        if self.char_count(line) > self.rule(rule_index).max_chars {
            return None;
        }
        self.hits_of(line).find(|&h| {
            self.uses(&self.hits[h])
                .iter()
                .any(|u| u.rule == rule_index && u.role == Role::Close)
        })
    }

    pub(super) fn next_non_blank(&self, line: usize) -> Option<usize> {
        let next = (line + 1..self.lines.len()).find(|&i| !self.lines[i].blank);
        self.visit(next.unwrap_or(self.lines.len()) - line);
        next
    }

    pub(super) fn prev_non_blank(&self, line: usize) -> Option<usize> {
        let previous = (0..line).rev().find(|&i| !self.lines[i].blank);
        self.visit(line - previous.map_or(0, |p| p));
        previous
    }

    /// The phrase of a hit as it stands in the input.
    pub(super) fn source_phrase(&self, line: usize, hit: &Hit) -> String {
        let start = self.source_offset(line, hit.start);
        let end = self.source_offset(line, hit.end);
        self.text[start..end].trim().to_string()
    }

    /// Input byte offset of a position in a line's normalised text.
    pub(super) fn source_offset(&self, line: usize, norm_offset: usize) -> usize {
        let start = self.lines[line].content.start;
        let content = &self.text[self.lines[line].content.clone()];
        // Normalising reads left to right and looks back only at whether it
        // just wrote a space: a prefix of the line normalises to a prefix of
        // its normalised form, with the same map. So only as much of the
        // line is read as the offset needs (an offset near the start of a
        // huge line costs little). Not so on a line with a markdown link,
        // which a prefix may cut: that line is read whole.
        let mut take = if memchr::memmem::find(content.as_bytes(), b"](").is_some() {
            content.len()
        } else {
            norm_offset.saturating_add(64).min(content.len())
        };
        loop {
            while !content.is_char_boundary(take) {
                take += 1;
            }
            let mut norm = String::with_capacity(take);
            let mut map = Vec::with_capacity(take);
            normalize_into(&content[..take], &mut norm, Some(&mut map));
            self.mapped_bytes.set(self.mapped_bytes.get() + take);
            if let Some(&at) = map.get(norm_offset) {
                return start + at;
            }
            if take == content.len() {
                return start + content.len();
            }
            take = take.saturating_mul(2).min(content.len());
        }
    }
}
