//! The one place where lines are removed: proposals (a rule's evidence, the
//! learned scorer's) and objections (guards) become verdicts, in this order
//! of precedence:
//!
//! 1. A rule's `unless` and the guards that read a line alone (quotation,
//!    reported speech, prose running on past the phrase, code) and its
//!    neighbours (a heading between body paragraphs, for cues and block
//!    openers) were settled when the evidence was gathered: an objected
//!    phrase proposes nothing.
//! 2. Strong phrases (`line`, `prefix`, `suffix`, `contains`) take a line
//!    whole (a `line` phrase also a row of phrases joined by bars or dots),
//!    or else cut its trailing span; whole beats span.
//! 3. Then, until nothing changes: blocks (from an opener to its close, or
//!    growing through boilerplate-like lines — and, for teasers, one summary
//!    under each headline past the article's last long paragraph; never
//!    through body text, and not at all when it follows the opener), cues
//!    with context (a removed neighbour — of the categories in `next_to`
//!    when given —, a second phrase, or a run of cues), `tail` rules of
//!    every kind near the end (a `tail` block only after a sentence or a
//!    removed line, and not before a statement that stays), short
//!    lines between removed lines of one category (unless they read as a
//!    sentence, the lines around them belong to different blocks, or
//!    either was the scorer's), and, after the article's last long
//!    sentence, runs of short lines of which rules took more than a third
//!    (not the line right after that sentence, a heading over text that
//!    stays, a list's items, notes or facts under a label).
//! 4. With a scorer: it reads the text as steps 1–3 leave it and proposes
//!    short lines that no rule took and no guard objects to, but not a
//!    heading over a sentence, a fact or a phone number that stays — only
//!    in a text that keeps at least one sentence of an article's length,
//!    and only above the first such sentence or below the last; step 3
//!    runs again around them, until it proposes nothing new.
//!
//! A line once removed whole stays removed and a span may only grow into
//! the whole line, so each round of step 3 adds removals or ends the loop:
//! it settles in at most two rounds per line (the loop is bounded there all
//! the same).

use super::document::{
    Candidate, Document, HEADLINE_CHARS, HEADLINE_WORDS, SHORT_CHARS, SHORT_WORDS, is_short,
};
use super::kinds::Fire;
use super::{
    CueContext, KeptView, LineEvidence, MODEL_ID, Objection, Outcome, Reason, Removal, Removed,
    Work,
};
use crate::guards::{self, GuardKind};
use crate::rules::{Category, Grow, RuleKind};
use crate::scorer::{Reuse, ScoreCache, Scorer};

/// Lines within this many non-blank lines that stay of the end are the tail.
const TAIL_LINES: usize = 8;

/// A `head` rule counts on a line with fewer than this many non-blank lines
/// that stay before it: the first line of the page as it is left.
const HEAD_LINES: usize = 1;
/// Rounds of the learned scorer at most: each adds removals; a text whose
/// removals would keep growing stops there.
const MODEL_ROUNDS: usize = 8;
/// This many cue lines in a row go even with no removed line next to them.
const CUE_RUN: usize = 3;
/// A paragraph of the article, for where it ends: a sentence of at least
/// this many words.
const ARTICLE_WORDS: usize = 40;
/// A sentence of the article's, for where it starts and ends: the
/// scorer reads only above the first that stays and below the last (and
/// nothing in a text without one), `above_article` rules count above the
/// first, runs of short lines are looked for below the last.
const ARTICLE_SENTENCE_WORDS: usize = 25;
/// The longest summary line under a teaser's headline.
const TEASER_CHARS: usize = 300;
/// A line between two removed lines goes too when at most this short.
const BETWEEN_WORDS: usize = 6;
const BETWEEN_CHARS: usize = 50;

/// After the article, a run of at least `RUN_LINES` short lines of which
/// rules took more than `RUN_SHARE` (and two at the least) is chrome:
/// the rest of it goes too. Short: at most `RUN_WORDS` words and
/// `RUN_CHARS` characters, and no full stop.
const RUN_LINES: usize = 3;
const RUN_SHARE: (usize, usize) = (1, 3);
const RUN_WORDS: usize = 12;
const RUN_CHARS: usize = 100;
/// Above the article, a menu: at least `MENU_LINES` items of at most
/// `MENU_WORDS` words and `MENU_CHARS` characters, one a line, from the
/// text's first or second line, no digit, no stop, colon or list mark, of
/// which a rule took one at the least (a "Home") or a cue names one (a
/// section name).
const MENU_LINES: usize = 4;
/// Most buttons in a row under a consent notice ([`Decision::consent_buttons`]).
const CONSENT_BUTTONS: usize = 4;
const MENU_WORDS: usize = 3;
const MENU_CHARS: usize = 25;
/// A menu's last items over a sentence of this many words are the
/// article's kicker or headline.
const MENU_HEADS_WORDS: usize = 8;

/// Shortest headline of a teaser closed by a date, in words: a shorter line
/// over a date ("Deadline", "Applications open") is a fact of the article.
const TEASER_HEADLINE_WORDS: usize = 4;

/// Longest summary under a teaser's headline, in words.
const TEASER_SUMMARY_WORDS: usize = 30;

/// Why a line (or its tail) goes, with what the explanation needs.
#[derive(Debug, Clone, Copy)]
enum Why {
    Phrase {
        hit: usize,
        span_from: Option<usize>,
    },
    Cue {
        hit: usize,
        context: CueContext,
    },
    Block {
        opener: usize,
        close: Option<usize>,
    },
    Between,
    Run {
        removed: u16,
        of: u16,
    },
    Menu {
        removed: u16,
        of: u16,
    },
    Buttons {
        notice: usize,
    },
    Teaser {
        closer: usize,
    },
    Model {
        permille: u16,
    },
}

#[derive(Debug, Clone, Copy)]
struct Fate {
    source: Source,
    why: Why,
}

/// Who proposed a fate: a rule (its index) or the learned scorer (with the
/// category it saw).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Rule(usize),
    Model(Category),
}

impl Fate {
    fn by_rule(rule: usize, why: Why) -> Fate {
        Fate {
            source: Source::Rule(rule),
            why,
        }
    }

    fn category(&self, doc: &Document<'_, '_>) -> Category {
        match self.source {
            Source::Rule(rule) => doc.rule(rule).category,
            Source::Model(category) => category,
        }
    }

    fn is_span(&self) -> bool {
        matches!(
            self.why,
            Why::Phrase {
                span_from: Some(_),
                ..
            }
        )
    }
}

/// The scorer's proposals by line: few, so kept by line rather than in a
/// table of every line.
type Seeds = ByLine<Fate>;

/// A proposal a guard stopped: (rule, guard, hit).
type Stopped = (usize, usize, Option<usize>);

/// The proposals guards stopped, by line: few, so kept by line.
type Stops = ByLine<Stopped>;

/// Values for a few of a document's lines: whether a line has one is a bit
/// per line (asked of every line, in every pass), the values are kept by
/// line.
#[derive(Debug, Clone)]
struct ByLine<T> {
    has: Vec<u64>,
    values: std::collections::BTreeMap<usize, T>,
}

impl<T> ByLine<T> {
    fn new(lines: usize) -> ByLine<T> {
        ByLine {
            has: vec![0; lines.div_ceil(64)],
            values: std::collections::BTreeMap::new(),
        }
    }

    fn contains_key(&self, line: &usize) -> bool {
        self.has
            .get(line / 64)
            .is_some_and(|word| word >> (line % 64) & 1 == 1)
    }

    fn get(&self, line: &usize) -> Option<&T> {
        if self.contains_key(line) {
            self.values.get(line)
        } else {
            None
        }
    }

    fn insert(&mut self, line: usize, value: T) {
        self.has[line / 64] |= 1 << (line % 64);
        self.values.insert(line, value);
    }

    fn iter(&self) -> impl Iterator<Item = (&usize, &T)> {
        self.values.iter()
    }
}

struct Decision<'d, 's, 'a> {
    doc: &'d Document<'s, 'a>,
    /// The last line of the article's long paragraphs, once looked for.
    last_long_paragraph: Option<Option<usize>>,
    fates: Vec<Option<Fate>>,
    stopped: Stops,
    in_tail: Vec<bool>,
    /// Lines where a `head` rule counts.
    in_head: Vec<bool>,
    /// Lines above the article's first long sentence, where an
    /// `above_article` rule counts.
    above_article: Vec<bool>,
}

/// Decides every line of a scanned document and builds the outcome. With a
/// learned scorer, the rules decide first; the scorer then reads the text
/// as they leave it (a [`KeptView`]) and proposes lines no rule took; the
/// rules decide again around those, and so on until the scorer proposes
/// nothing new (or [`MODEL_ROUNDS`] have passed).
pub(super) fn decide(doc: Document<'_, '_>) -> (Removed, Work) {
    let mut seeds = Seeds::new(doc.lines.len());
    let mut features: Vec<Vec<String>> = Vec::new();
    let (mut fates, mut stopped) = settle(&doc, &seeds);
    if let Some(scorer) = doc.stripper.scorer() {
        // A line that reads as it did in the round before (its text, its
        // neighbours, its place) keeps its score: each round after the
        // first scores only the lines near what the round before removed.
        let mut cache = ScoreCache::new();
        for _ in 0..MODEL_ROUNDS {
            let round = Round {
                scorer,
                fates: &fates,
                stopped: &stopped,
            };
            if model_round(&doc, round, &mut seeds, &mut features, &mut cache) == 0 {
                break;
            }
            (fates, stopped) = settle(&doc, &seeds);
        }
    }
    let removed = removals(&doc, &fates, &stopped, &features, true);
    doc.visit(doc.lines.len());
    (removed, doc.work())
}

/// The text as the rules leave it, without the scorer.
pub(super) fn kept_view(doc: &Document<'_, '_>) -> KeptView {
    let (fates, stopped) = settle(doc, &Seeds::new(doc.lines.len()));
    view(doc, &fates, &stopped)
}

/// The lines that stay under these fates, with their evidence.
fn view(doc: &Document<'_, '_>, fates: &[Option<Fate>], stopped: &Stops) -> KeptView {
    doc.visit(2 * doc.lines.len());
    let outcome = outcome(doc, fates, stopped, &[], false);
    let lines: Vec<usize> = staying(doc, &outcome.removals).collect();
    let evidence = lines
        .iter()
        .map(|&line| staying_evidence(doc, fates, stopped, line))
        .collect();
    KeptView {
        text: outcome.text.into_owned(),
        lines,
        evidence,
    }
}

/// The evidence of a line that stays: what the phrases and guards say of
/// it, and whether a span of it went.
fn staying_evidence(
    doc: &Document<'_, '_>,
    fates: &[Option<Fate>],
    stopped: &Stops,
    line: usize,
) -> LineEvidence {
    LineEvidence {
        span: fates[line].is_some_and(|f| f.is_span()),
        ..line_evidence(doc, line, stopped.contains_key(&line))
    }
}

/// The lines no whole-line removal takes, in order.
fn staying<'r>(
    doc: &'r Document<'_, '_>,
    removals: &'r [Removal],
) -> impl Iterator<Item = usize> + 'r {
    let mut removals = removals.iter().filter(|r| r.whole_line).peekable();
    doc.lines
        .iter()
        .enumerate()
        .filter_map(move |(index, line)| {
            let at = line.content.start;
            while removals.peek().is_some_and(|r| r.bytes.end <= at) {
                removals.next();
            }
            let gone = removals
                .peek()
                .is_some_and(|r| r.bytes.start <= at && at < r.bytes.end);
            (!gone).then_some(index)
        })
}

/// The lines that stay under some fates, as the scorer reads them where
/// they are in the input rather than copied into one text: the text of
/// each (a trailing span cut off), which line it is, and its evidence.
struct KeptLines<'a> {
    texts: Vec<&'a str>,
    lines: Vec<usize>,
    evidence: Vec<LineEvidence>,
}

/// The lines that stay under these fates, as [`view`] gives them; `None`
/// when a line that stays ends in a lone "\r" before another that stays
/// (read as a text split at "\n", as a [`KeptView`]'s is, the two would be
/// one line).
fn kept_lines<'a>(
    doc: &Document<'_, 'a>,
    fates: &[Option<Fate>],
    stopped: &Stops,
) -> Option<KeptLines<'a>> {
    doc.visit(2 * doc.lines.len());
    let removals = removals(doc, fates, stopped, &[], false).removals;
    let mut kept = KeptLines {
        texts: Vec::new(),
        lines: Vec::new(),
        evidence: Vec::new(),
    };
    let mut lone_cr = false;
    for index in staying(doc, &removals) {
        let line = &doc.lines[index];
        if lone_cr {
            return None;
        }
        lone_cr = &doc.text[line.content.end..doc.next_start(index)] == "\r";
        let fate = fates[index];
        let end = match fate.map(|f| f.why) {
            Some(Why::Phrase {
                span_from: Some(from),
                ..
            }) => span_keep_end(doc, index, from),
            _ => line.content.end,
        };
        kept.texts.push(&doc.text[line.content.start..end]);
        kept.lines.push(index);
        kept.evidence
            .push(staying_evidence(doc, fates, stopped, index));
    }
    Some(kept)
}

/// What the phrases and guards say of a line, its removal aside.
fn line_evidence(doc: &Document<'_, '_>, line: usize, stopped: bool) -> LineEvidence {
    let mut categories = 0u8;
    let mut guarded = stopped;
    for candidate in doc.candidates_of(line) {
        if candidate.objection.is_some() {
            guarded = true;
            continue;
        }
        let category = doc.rule(candidate.rule).category;
        let bit = Category::ALL
            .iter()
            .position(|c| *c == category)
            .unwrap_or(0);
        categories |= 1 << bit;
    }
    LineEvidence {
        categories,
        guarded,
        removed: None,
        span: false,
    }
}

/// What a round of the scorer reads: the scorer, and the fates of the
/// lines as the rules left them.
#[derive(Clone, Copy)]
struct Round<'r> {
    scorer: &'r Scorer,
    fates: &'r [Option<Fate>],
    stopped: &'r Stops,
}

/// Words at most of a fact's label and of its value ([`heads_content`]).
const FACT_LABEL_WORDS: usize = 3;
const FACT_VALUE_WORDS: usize = 4;

/// Is the kept line `kept` a heading (no final punctuation) over a
/// sentence that stays (its next non-blank line ends a sentence and scores
/// below the threshold), over a fact under a label or a phone number that
/// stays ("Contact" over "Press office: Ruth Adeyemi, 01632 960771, …"),
/// or, unbulleted, over a bulleted fact that stays ("Key points" over "-
/// Cost: £40m")?
fn heads_content(
    doc: &Document<'_, '_>,
    lines: &[usize],
    scores: &[crate::scorer::LineScore],
    kept: usize,
    threshold: f32,
) -> bool {
    // Not `guards::ends_sentence` (no end at "..." or "…", one at CJK
    // stops): measured, it changes what the benchmark's text keeps.
    let ends = |norm: &str| {
        norm.trim_end()
            .trim_end_matches(['"', '\'', ')'])
            .ends_with(['.', '!', '?', '…'])
    };
    if ends(doc.norm_line(lines[kept])) {
        return false;
    }
    // The heading over a list of facts is no item of a list itself.
    let heads_a_list = guards::bullet_of(doc.norm_line(lines[kept])).is_none();
    let next = (kept + 1..lines.len()).find(|&k| !doc.lines[lines[k]].blank);
    next.is_some_and(|k| {
        let norm = doc.norm_line(lines[k]);
        scores[k].p_boilerplate < threshold
            && (ends(norm)
                || heads_a_list && states_a_fact(norm)
                || labels_a_value(norm)
                || guards::holds_a_phone_number(norm))
    })
}

/// Does the normalised line hold a time of day, one or two digits, a colon
/// and two digits ("6:30", "22:00"), no more digits on either side (not a
/// score's "2:1", not a ratio's "1:250")?
fn holds_a_time(norm: &str) -> bool {
    let bytes = norm.as_bytes();
    memchr::memchr_iter(b':', bytes).any(|at| {
        let before = bytes[..at]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let after = bytes[at + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        (1..=2).contains(&before) && after == 2
    })
}

/// Does a normalised line state a fact of a bulleted list, a short value
/// under a short label ("- Cost: £40m")? Such a line is content as a
/// sentence is; a teaser list's items ("- Topic: a headline of many words")
/// are not facts.
fn states_a_fact(norm: &str) -> bool {
    let Some(bullet) = guards::bullet_of(norm) else {
        return false;
    };
    norm.trim_start()[bullet.len_utf8()..]
        .trim_start()
        .split_once(": ")
        .is_some_and(|(label, value)| {
            (1..=FACT_LABEL_WORDS).contains(&guards::words_up_to(label, FACT_LABEL_WORDS + 1))
                && (1..=FACT_VALUE_WORDS)
                    .contains(&guards::words_up_to(value, FACT_VALUE_WORDS + 1))
                && !label.contains(['(', ')'])
        })
}

/// One round of the scorer: lines that stay, no rule takes and no guard
/// objects to, short enough and scored at least the threshold, and not a
/// heading over a sentence or fact that stays, become seeds. Returns how
/// many it added.
fn model_round(
    doc: &Document<'_, '_>,
    round: Round<'_>,
    seeds: &mut Seeds,
    features: &mut Vec<Vec<String>>,
    cache: &mut ScoreCache,
) -> usize {
    let Round {
        scorer,
        fates,
        stopped,
    } = round;
    let settings = doc.stripper.model_settings();
    doc.visit(3 * doc.lines.len());
    // A text with no sentence of an article's length in it (a list, a
    // table, a page of links) gives the scorer no article to tell chrome
    // from: there, what it reads as chrome is as often content.
    let article = |l: usize| fates[l].is_none() && is_article_sentence(doc, l);
    let Some(first) = (0..doc.lines.len()).find(|&l| article(l)) else {
        return 0;
    };
    let last = (first..doc.lines.len())
        .rev()
        .find(|&l| article(l))
        .unwrap_or(first);
    // Only around the article: above its first sentence of that length
    // and below its last. Between them, on held-out pages, the scorer
    // found no boilerplate line (silver `valid`: 12 lines, all unlabeled),
    // and a line there is the article's as often as not.
    let outside = |line: usize| line < first || line > last;
    let may_go = |line: usize| {
        outside(line)
            && !doc.lines[line].blank
            && fates[line].is_none()
            && !seeds.contains_key(&line)
            && !stopped.contains_key(&line)
            && doc.char_count(line) <= settings.max_chars
            && doc
                .candidates_of(line)
                .iter()
                .all(|c| c.objection.is_none())
            && doc.note_guard(line).is_none()
    };
    if !(0..doc.lines.len()).any(may_go) {
        return 0;
    }
    let Some(view) = kept_lines(doc, fates, stopped) else {
        // Line breaks the scorer does not split on (a lone "\r" before
        // another line that stays): it cannot say which line is which.
        return 0;
    };
    // Only lines the scorer may remove are scored: short, not blank, kept
    // whole, no guard objecting.
    let wanted = |kept: usize| {
        view.lines.get(kept).is_some_and(|&line| {
            outside(line)
                && !doc.lines[line].blank
                && fates[line].is_none()
                && !seeds.contains_key(&line)
                && !view.evidence[kept].guarded
                && doc.char_count(line) <= settings.max_chars
                && doc.note_guard(line).is_none()
        })
    };
    let reuse = Reuse {
        cache: &mut *cache,
        ids: &view.lines,
    };
    let scores = scorer.score_again(
        &view.texts,
        &view.evidence,
        wanted,
        settings.threshold,
        reuse,
    );
    let mut added = 0;
    for (kept, &line) in view.lines.iter().enumerate() {
        let score = scores[kept];
        if doc.lines[line].blank
            || !outside(line)
            || fates[line].is_some()
            || seeds.contains_key(&line)
            || score.p_boilerplate < settings.threshold
            || doc.char_count(line) > settings.max_chars
            || view.evidence[kept].guarded
        {
            continue;
        }
        if heads_content(doc, &view.lines, &scores, kept, settings.threshold) {
            continue;
        }
        let permille = (score.p_boilerplate * 1000.0).round().clamp(0.0, 1000.0) as u16;
        seeds.insert(
            line,
            Fate {
                source: Source::Model(score.category),
                why: Why::Model { permille },
            },
        );
        if settings.explain {
            features.resize(doc.lines.len(), Vec::new());
            features[line] = scorer
                .explain_lines(view.texts.iter().copied(), &view.evidence, kept, 3)
                .into_iter()
                .map(|c| format!("{}: {} ({:+.2})", c.family.as_str(), c.feature, c.weight))
                .collect();
        }
        added += 1;
    }
    added
}

/// What the rules and guards say about each line, once decided.
pub(super) fn evidence(doc: Document<'_, '_>) -> Vec<LineEvidence> {
    let (fates, stopped) = settle(&doc, &Seeds::new(doc.lines.len()));
    (0..doc.lines.len())
        .map(|line| {
            let fate = fates[line];
            LineEvidence {
                removed: fate.map(|f| f.category(&doc)),
                span: fate.is_some_and(|f| f.is_span()),
                ..line_evidence(&doc, line, stopped.contains_key(&line))
            }
        })
        .collect()
}

/// Runs the decision to its fixed point: each line's fate, and the
/// proposal a guard stopped on it.
fn settle(doc: &Document<'_, '_>, seeds: &Seeds) -> (Vec<Option<Fate>>, Stops) {
    let count = doc.lines.len();
    let mut decision = Decision {
        doc,
        last_long_paragraph: None,
        fates: vec![None; count],
        stopped: Stops::new(count),
        in_tail: vec![false; count],
        in_head: vec![false; count],
        above_article: vec![false; count],
    };
    for (&line, &fate) in seeds.iter() {
        decision.fates[line] = Some(fate);
    }
    doc.visit(count);
    decision.strong();
    let mut rounds = 0;
    loop {
        rounds += 1;
        // Each pass of a round walks every line once (the walks inside
        // blocks count on their own).
        doc.visit(6 * count);
        let before = decision.progress();
        decision.last_long_paragraph = None;
        decision.mark_places();
        decision.blocks();
        decision.teasers();
        decision.cues();
        decision.tail();
        decision.between();
        decision.runs();
        decision.menu();
        decision.consent_buttons();
        if decision.progress() == before {
            break;
        }
        // Monotone: each round adds a removal (or grows a span into its
        // line), so it settles in at most two rounds per line. Should that
        // reasoning ever break, stop rather than spin: stripping never fails.
        debug_assert!(rounds <= 2 * count + 1, "the decision loop did not settle");
        if rounds > 2 * count + 1 {
            break;
        }
    }
    let Decision { fates, stopped, .. } = decision;
    (fates, stopped)
}

impl Decision<'_, '_, '_> {
    /// A measure that only grows: lines removed whole count twice, spans once.
    fn progress(&self) -> usize {
        self.fates
            .iter()
            .flatten()
            .map(|f| if f.is_span() { 1 } else { 2 })
            .sum()
    }

    fn removed(&self, line: usize) -> bool {
        self.fates[line].is_some_and(|f| !f.is_span())
    }

    fn stop(&mut self, line: usize, rule: usize, guard: Option<usize>, hit: Option<usize>) {
        if let Some(guard) = guard
            && !self.stopped.contains_key(&line)
        {
            self.stopped.insert(line, (rule, guard, hit));
        }
    }

    /// Remembers the objection to a candidate of this line.
    fn stop_candidate(&mut self, line: usize, candidate: &Candidate) {
        self.stop(
            line,
            candidate.rule,
            candidate.objection,
            Some(candidate.hit),
        );
    }

    /// Strong phrases of rules that are neither `tail` nor `head`: whole
    /// beats span.
    fn strong(&mut self) {
        for line in 0..self.doc.lines.len() {
            self.fates[line] = self.best_strong(line, false, self.fates[line]);
        }
    }

    /// The best strong proposal on a line among rules that count only in
    /// some places (`tail`, `head`: those that count on this line) or
    /// among the others, starting from `current`. Objected proposals are
    /// remembered.
    fn best_strong(&mut self, line: usize, placed: bool, current: Option<Fate>) -> Option<Fate> {
        let mut best = current;
        for candidate in self.doc.candidates_of(line) {
            let rule = self.doc.rule(candidate.rule);
            if (rule.tail || rule.head || rule.above_article) != placed
                || !self.place_allows(line, candidate.rule)
            {
                continue;
            }
            let span_from = match candidate.fire {
                Fire::Whole => None,
                Fire::Span(from) => Some(from),
                Fire::Opens | Fire::Cue => continue,
            };
            if candidate.objection.is_some() {
                self.stop_candidate(line, candidate);
                continue;
            }
            if best.is_none_or(|b| b.is_span() && span_from.is_none()) {
                best = Some(Fate::by_rule(
                    candidate.rule,
                    Why::Phrase {
                        hit: candidate.hit,
                        span_from,
                    },
                ));
            }
        }
        best
    }

    /// Which lines are in the head (fewer than `HEAD_LINES` non-blank lines
    /// that stay before them), in the tail (fewer than `TAIL_LINES` after
    /// them) and above the article (before its first sentence of
    /// `ARTICLE_SENTENCE_WORDS` words or more that stays). Lines that go do
    /// not count: removing them only moves the head down and the tail up.
    fn mark_places(&mut self) {
        let mut kept_before = 0;
        for line in 0..self.doc.lines.len() {
            if self.doc.lines[line].blank {
                continue;
            }
            self.in_head[line] = kept_before < HEAD_LINES;
            if !self.removed(line) {
                kept_before += 1;
            }
            if kept_before >= HEAD_LINES {
                break;
            }
        }
        let mut kept_after = 0;
        for line in (0..self.doc.lines.len()).rev() {
            if self.doc.lines[line].blank {
                continue;
            }
            self.in_tail[line] = kept_after < TAIL_LINES;
            if !self.removed(line) {
                kept_after += 1;
            }
        }
        // Removals only move the article's first long sentence down, so
        // lines once above it stay above it.
        let doc = self.doc;
        if let Some(first) = (0..doc.lines.len())
            .find(|&l| !doc.lines[l].blank && !self.removed(l) && is_article_sentence(doc, l))
        {
            self.above_article[..first].fill(true);
        }
    }

    fn tail(&mut self) {
        for line in 0..self.doc.lines.len() {
            if (self.in_tail[line] || self.in_head[line] || self.above_article[line])
                && !self.removed(line)
            {
                self.fates[line] = self.best_strong(line, true, self.fates[line]);
            }
        }
    }

    /// Does a rule count on this line, as far as `tail` and `head` go?
    fn place_allows(&self, line: usize, rule: usize) -> bool {
        let rule = self.doc.rule(rule);
        !(rule.tail || rule.head || rule.above_article)
            || rule.tail && self.in_tail[line]
            || rule.head && self.in_head[line]
            || rule.above_article && self.above_article[line]
    }

    /// Could a phrase on this line remove it, alone or as a cue with
    /// context? (No guard objecting.)
    fn could_remove(&self, line: usize) -> bool {
        self.doc.candidates_of(line).iter().any(|c| {
            c.objection.is_none()
                && match c.fire {
                    Fire::Whole | Fire::Cue | Fire::Opens => true,
                    Fire::Span(_) => false,
                }
        })
    }

    /// Is this line boilerplate-like, for a block to grow through it? It is
    /// when a phrase on it could remove it, or, by `grow`, when it is short.
    fn boilerplate_like(&self, line: usize, grow: Grow) -> bool {
        if self.could_remove(line) {
            return true;
        }
        let trimmed = self.doc.norm_line(line).trim();
        let (words, chars) = match grow {
            Grow::None => return false,
            Grow::Boilerplate => (SHORT_WORDS, SHORT_CHARS),
            Grow::Headlines | Grow::Teasers => (HEADLINE_WORDS, HEADLINE_CHARS),
        };
        // A line ending in a colon introduces what follows ("… start with
        // these two:"): no headline of a list of other stories.
        let introduces = grow != Grow::Boilerplate && trimmed.ends_with(':');
        is_short(trimmed, words, chars) && !trimmed.ends_with('.') && !introduces
    }

    /// Is the line past the article's last long paragraph (a sentence of
    /// `ARTICLE_WORDS` words or more that stays)? Teasers' summaries are
    /// taken only there: before it, a short line and a paragraph are a
    /// subheading and its text. Found once a round: removals only move it
    /// up, so the loop stays monotone.
    fn after_the_article(&mut self, line: usize) -> bool {
        let doc = self.doc;
        let removed: Vec<bool> = match self.last_long_paragraph {
            Some(_) => Vec::new(),
            None => {
                doc.visit(2 * doc.lines.len());
                (0..doc.lines.len()).map(|l| self.removed(l)).collect()
            }
        };
        let last = *self.last_long_paragraph.get_or_insert_with(|| {
            (0..doc.lines.len())
                .rev()
                .find(|&l| !removed[l] && guards::is_sentence(doc.norm_line(l), ARTICLE_WORDS))
        });
        last.is_none_or(|last| line > last)
    }

    /// Body text that stays: two body paragraphs in a row, the first of
    /// them here. A block must not run through it. (One alone may be an
    /// appeal's or a paywall's own explanation.)
    fn body_in_the_way(&self, line: usize) -> bool {
        let body = |l: usize| !self.removed(l) && self.doc.is_body(l, true);
        body(line) && self.doc.next_non_blank(line).is_some_and(body)
    }

    /// Does the line come after the article's end or after chrome: the
    /// line before it ends a sentence or is removed? A `tail` block opens
    /// only there: its heading in the most general words ("More …",
    /// "Other …") heads an item of a list of content as often ("More
    /// expensive than the others", under "Cons").
    fn after_article_or_chrome(&self, line: usize) -> bool {
        self.doc.prev_non_blank(line).is_none_or(|before| {
            self.removed(before) || guards::ends_sentence(self.doc.norm_line(before))
        })
    }

    fn blocks(&mut self) {
        let doc = self.doc;
        let mut line = 0;
        while line < doc.lines.len() {
            // The first of the line's openers that has a block: one that
            // finds none (too few lines under a list heading) leaves the
            // line to the next.
            let mut block = None;
            for &opener in doc.candidates_of(line) {
                if opener.fire == Fire::Opens
                    && opener.objection.is_none()
                    && self.place_allows(line, opener.rule)
                    && (!doc.rule(opener.rule).tail || self.after_article_or_chrome(line))
                    && let Some(end) = self.block_end(line, opener.rule)
                {
                    block = Some((opener, end));
                    break;
                }
            }
            let Some((opener, end)) = block else {
                line += 1;
                continue;
            };
            self.take_whole(line, opener);
            doc.visit(end - line);
            for inner in line + 1..=end {
                if !doc.lines[inner].blank && !self.removed(inner) {
                    self.fates[inner] = Some(Fate::by_rule(
                        opener.rule,
                        Why::Block {
                            opener: line,
                            close: doc.close_hit(inner, opener.rule),
                        },
                    ));
                }
            }
            // An opener inside this block may open a longer one.
            line += 1;
        }
    }

    /// The last line of a block opened at `open`, if there is a block.
    /// Looking for its closing line, it reaches `max_lines` non-blank lines
    /// that no other rule removes, and stops at a body paragraph.
    fn block_end(&mut self, open: usize, rule_index: usize) -> Option<usize> {
        let doc = self.doc;
        let rule = doc.rule(rule_index);
        let RuleKind::Block(options) = &rule.kind else {
            return None;
        };
        if let Some(next) = doc.next_non_blank(open)
            && self.body_in_the_way(next)
        {
            let guard = doc.body_guard();
            self.stop(open, rule_index, guard, None);
            return None;
        }
        let mut reached = 1;
        let mut line = open + 1;
        let mut body_at = None;
        while line < doc.lines.len() {
            doc.visit(1);
            if !doc.lines[line].blank && !self.removed(line) {
                if reached == options.max_lines {
                    break;
                }
                if self.body_in_the_way(line) {
                    body_at = Some(line);
                    break;
                }
                // A note stops a block as the body does; it is the article's.
                if doc.note_guard(line).is_some() {
                    break;
                }
                reached += 1;
            }
            line += 1;
        }
        let reach_end = line;
        if !options.close.is_empty() {
            doc.visit(reach_end - open);
            if let Some(close) =
                (open + 1..reach_end).find(|&l| doc.close_hit(l, rule_index).is_some())
            {
                return Some(close);
            }
            if let Some(body) = body_at
                && (body..doc.lines.len()).any(|l| {
                    doc.visit(1);
                    doc.close_hit(l, rule_index).is_some()
                })
            {
                // The close is there, past body text: the block would have
                // taken the body with it.
                let guard = doc.body_guard();
                self.stop(body, rule_index, guard, None);
            }
        }
        if options.grow == Grow::None {
            return None;
        }
        // Growing, the block passes lines that go anyway but counts them:
        // a heading followed by a long removed menu does not reach past it
        // into the article. (The opener of a growing block goes, so this
        // cannot change when stripping again.)
        let mut end = open;
        let mut taken = 1;
        // For teasers: was the line before a summary (so this one may not be)?
        let mut after_summary = true;
        for line in open + 1..doc.lines.len() {
            doc.visit(1);
            if doc.lines[line].blank {
                continue;
            }
            if taken == options.max_lines {
                break;
            }
            taken += 1;
            if !self.removed(line)
                && let Some(guard) = doc.note_guard(line)
            {
                self.stop(line, rule_index, Some(guard), None);
                break;
            }
            let like = self.removed(line) || self.boilerplate_like(line, options.grow);
            if like && options.grow == Grow::Boilerplate && self.heads_text(line) {
                break;
            }
            // Teasers are headlines and their summaries: a bulleted fact
            // ("- Lego club: Saturdays, 2pm") belongs to a list of the
            // article's.
            if options.grow == Grow::Teasers
                && !self.removed(line)
                && states_a_fact(doc.norm_line(line))
            {
                break;
            }
            // A summary is followed by the next headline or the end: a line
            // followed by a sentence that stays is the article going on.
            let summary = !like
                && options.grow == Grow::Teasers
                && !after_summary
                && doc.char_count(line) <= TEASER_CHARS
                && self.after_the_article(line)
                && !self.text_follows(line);
            // A summary has its own limit; other lines the rule's.
            let too_long = !summary && doc.char_count(line) > rule.max_chars;
            if !self.removed(line) && (!(like || summary) || too_long || self.body_in_the_way(line))
            {
                break;
            }
            after_summary = summary;
            end = line;
        }
        doc.visit(end - open);
        let lines = 1 + (open + 1..=end).filter(|&l| !doc.lines[l].blank).count();
        // A `tail` block, opened by a heading in the most general words, is
        // a list of other stories only where the article does not go on
        // after it ("Other results" over two scores, then the table).
        let article_goes_on = rule.tail && self.text_follows(end);
        (lines >= options.min_lines && !article_goes_on).then_some(end)
    }

    /// Does a line a block of boilerplate would grow through by its shape
    /// alone (short, no full stop, no phrase that could take it) head the
    /// text after it: is its next line a sentence that stays and that the
    /// block would not take ("What happens next" over "The vote is now
    /// expected in September.", "Q: Why the delay?" over its answer)? There
    /// the block ends: a subheading or a question over content is content.
    /// (Not for related-story blocks, which grow through headlines: a
    /// headline under "Read more:" is what the label shows, whatever
    /// follows it.)
    fn heads_text(&self, line: usize) -> bool {
        let doc = self.doc;
        if self.removed(line) || self.could_remove(line) {
            return false;
        }
        doc.next_non_blank(line).is_some_and(|next| {
            !self.removed(next)
                && !self.boilerplate_like(next, Grow::Boilerplate)
                && guards::ends_sentence(doc.norm_line(next))
        })
    }

    /// Is the next line a statement that stays: a sentence ending in a
    /// full stop (a headline may ask or exclaim) that no phrase could take?
    fn text_follows(&self, line: usize) -> bool {
        let doc = self.doc;
        doc.next_non_blank(line).is_some_and(|next| {
            let norm = doc.norm_line(next).trim_end();
            !self.removed(next)
                && !self.could_remove(next)
                && norm.ends_with('.')
                && !norm.ends_with("..")
        })
    }

    /// Cue lines go next to removed lines, with two phrases, or in a run of
    /// `CUE_RUN` cue lines.
    fn cues(&mut self) {
        let doc = self.doc;
        // (line, rule, hit, has a second phrase)
        let mut candidates: Vec<(usize, usize, usize, bool)> = Vec::new();
        for line in 0..doc.lines.len() {
            if self.fates[line].is_none()
                && let Some((rule, hit, two)) = self.cue_of(line)
            {
                candidates.push((line, rule, hit, two));
            }
        }
        if candidates.is_empty() {
            return;
        }
        // Runs of cue lines, each next to the one before. A cue bound to its
        // neighbours' category (`next_to`) is no part of a run.
        let free = |i: usize| match &doc.rule(candidates[i].1).kind {
            RuleKind::Cue(options) => options.next_to.is_empty(),
            _ => true,
        };
        let mut in_run = vec![false; candidates.len()];
        let mut run_start = 0;
        for i in 1..=candidates.len() {
            let continues = i < candidates.len()
                && free(i)
                && free(i - 1)
                && doc.prev_non_blank(candidates[i].0) == Some(candidates[i - 1].0);
            if !continues {
                if i - run_start >= CUE_RUN && (run_start..i).all(free) {
                    in_run[run_start..i].fill(true);
                }
                run_start = i;
            }
        }
        loop {
            doc.visit(2 * candidates.len());
            let mut changed = false;
            let order = (0..candidates.len()).chain((0..candidates.len()).rev());
            for i in order {
                let (line, rule_index, hit, two_phrases) = candidates[i];
                if self.fates[line].is_some() {
                    continue;
                }
                let next_to = match &doc.rule(rule_index).kind {
                    RuleKind::Cue(options) => &options.next_to[..],
                    _ => &[],
                };
                // A neighbour the rules removed fits; one only the scorer
                // removed is weak evidence itself, on which a weak phrase
                // does not build unless its line is made of such phrases.
                let neighbour_fits = |n: Option<usize>| {
                    n.and_then(|n| self.fates[n]).is_some_and(|f| {
                        !f.is_span()
                            && (next_to.is_empty() || next_to.contains(&f.category(doc)))
                            && (matches!(f.source, Source::Rule(_)) || self.made_of_phrases(line))
                    })
                };
                // A cue bound to its neighbours' category is a button: its
                // line is made of such phrases, not a headline holding one
                // ("Rechter: … die cookies weigeren …" under a banner).
                let context = if (neighbour_fits(doc.prev_non_blank(line))
                    || neighbour_fits(doc.next_non_blank(line)))
                    && ((next_to.is_empty() && !self.states(line)) || self.made_of_phrases(line))
                {
                    Some(CueContext::NextToRemoved)
                } else if !next_to.is_empty() {
                    None
                } else if two_phrases {
                    Some(CueContext::SecondPhrase)
                } else if in_run[i] {
                    Some(CueContext::Run)
                } else {
                    None
                };
                if let Some(context) = context {
                    self.fates[line] = Some(Fate::by_rule(rule_index, Why::Cue { hit, context }));
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// Is the line a statement of its own: one sentence, its first word
    /// capitalised, ending in a full stop, that speaks to no one ("Los
    /// avisos empiezan el lunes.", not "You'll get updates in your inbox.")?
    fn states(&self, line: usize) -> bool {
        let text = self.doc.line_text(line).trim();
        !self.doc.addresses_reader(line, 1)
            && text.ends_with('.')
            && !text.ends_with("..")
            && text.chars().next().is_some_and(char::is_uppercase)
            && !text[..text.len() - 1].contains(['.', '!', '?', ':'])
    }

    /// Do the phrases on a line (any rule's, not objected to) cover at least
    /// half of its words, or all but two ("Paramétrer les cookies")?
    fn made_of_phrases(&self, line: usize) -> bool {
        let doc = self.doc;
        let candidates = doc.candidates_of(line);
        let covered = |from: usize, to: usize| {
            candidates.iter().any(|c| {
                let hit = doc.hits[c.hit];
                c.objection.is_none() && hit.start < to && from < hit.end
            })
        };
        let (mut words, mut inside) = (0, 0);
        let mut at = 0;
        for word in doc.norm_line(line).split(' ') {
            if word.chars().any(crate::normalize::is_word_char) {
                words += 1;
                if covered(at, at + word.len()) {
                    inside += 1;
                }
            }
            at += word.len() + 1;
        }
        2 * inside >= words || words - inside <= 2
    }

    /// The first cue that may remove this line, and whether a second phrase
    /// that could take the line is on it. Objected cues are remembered
    /// when a neighbour went.
    fn cue_of(&mut self, line: usize) -> Option<(usize, usize, bool)> {
        let doc = self.doc;
        let mut first: Option<(usize, usize)> = None;
        for candidate in doc.candidates_of(line) {
            if candidate.fire != Fire::Cue || !self.place_allows(line, candidate.rule) {
                continue;
            }
            if candidate.objection.is_some() {
                let next_to_removed = doc.prev_non_blank(line).is_some_and(|p| self.removed(p))
                    || doc.next_non_blank(line).is_some_and(|n| self.removed(n));
                if next_to_removed {
                    self.stop_candidate(line, candidate);
                }
                continue;
            }
            first = Some((candidate.rule, candidate.hit));
            break;
        }
        let (rule, hit) = first?;
        // Two phrases means two that do not overlap ("want more" and "more"
        // are one), each of a rule that could take the line.
        let mut distinct: Vec<usize> = Vec::new();
        for candidate in doc.candidates_of(line) {
            if distinct.len() >= 2 {
                break;
            }
            if candidate.objection.is_some() || matches!(candidate.fire, Fire::Span(_)) {
                continue;
            }
            let h = doc.hits[candidate.hit];
            let overlaps = distinct.iter().any(|&d| {
                let other = doc.hits[d];
                (other.start < h.end && h.start < other.end) || other.pattern == h.pattern
            });
            if !overlaps {
                distinct.push(candidate.hit);
            }
        }
        Some((rule, hit, distinct.len() >= 2))
    }

    /// Teaser lists with no heading a rule knows: after the article, two or
    /// more teasers in a row, each a headline (at least
    /// `TEASER_HEADLINE_WORDS` words, no full stop) and at most one short
    /// summary, closed by a line of a `closes_teaser` rule (a date alone).
    /// The closers and what they close go. One dated teaser alone is as
    /// often an article's own last heading and its date.
    fn teasers(&mut self) {
        let doc = self.doc;
        let closer_of = |line: usize| {
            doc.candidates_of(line)
                .iter()
                .find(|c| c.objection.is_none() && doc.rule(c.rule).closes_teaser)
                .copied()
        };
        let mut run: Vec<(usize, Candidate, usize)> = Vec::new();
        let mut line = 0;
        while line < doc.lines.len() {
            // Only past an article: a page with no long paragraph (an index
            // of posts, each a headline, a summary and a date) is the list.
            let past_an_article = |this: &mut Self| {
                this.after_the_article(line) && this.last_long_paragraph.flatten().is_some()
            };
            let Some(closer) = closer_of(line).filter(|_| past_an_article(self)) else {
                line += 1;
                continue;
            };
            match self.teaser_above(line) {
                Some(first) => {
                    // A teaser continues the run when it starts right after
                    // the line that closed the one before.
                    let follows = run
                        .last()
                        .is_some_and(|&(last, _, _)| doc.next_non_blank(last) == Some(first));
                    if !follows {
                        self.take_teasers(&run);
                        run.clear();
                    }
                    run.push((line, closer, first));
                }
                None => {
                    self.take_teasers(&run);
                    run.clear();
                }
            }
            line += 1;
        }
        self.take_teasers(&run);
    }

    /// Where the teaser closed on `closer` starts: its headline, right
    /// above the closer or above one short summary sentence. `None` when
    /// the lines above are no teaser.
    fn teaser_above(&self, closer: usize) -> Option<usize> {
        let doc = self.doc;
        let headline = |line: usize| {
            let norm = doc.norm_line(line).trim();
            is_short(norm, HEADLINE_WORDS, HEADLINE_CHARS)
                && guards::words_up_to(norm, TEASER_HEADLINE_WORDS) >= TEASER_HEADLINE_WORDS
                && !guards::ends_sentence(norm)
                && !norm.ends_with(':')
        };
        let above = doc.prev_non_blank(closer)?;
        if headline(above) {
            return Some(above);
        }
        let norm = doc.norm_line(above).trim();
        let summary = is_short(norm, TEASER_SUMMARY_WORDS, HEADLINE_CHARS * 2)
            && guards::ends_sentence(norm)
            && !doc.is_body(above, true)
            && doc.note_guard(above).is_none();
        let top = doc.prev_non_blank(above)?;
        (summary && headline(top)).then_some(top)
    }

    /// Takes the line whole by the candidate's phrase, unless it already
    /// goes whole.
    fn take_whole(&mut self, line: usize, candidate: Candidate) {
        if self.fates[line].is_none_or(|f| f.is_span()) {
            self.fates[line] = Some(Fate::by_rule(
                candidate.rule,
                Why::Phrase {
                    hit: candidate.hit,
                    span_from: None,
                },
            ));
        }
    }

    /// Takes a run of two or more teasers: each closer and the lines from
    /// its teaser's headline down to it.
    fn take_teasers(&mut self, run: &[(usize, Candidate, usize)]) {
        if run.len() < 2 {
            return;
        }
        for &(closer, candidate, first) in run {
            self.doc.visit(closer + 1 - first);
            self.take_whole(closer, candidate);
            for line in first..closer {
                if !self.doc.lines[line].blank && self.fates[line].is_none_or(|f| f.is_span()) {
                    self.fates[line] = Some(Fate::by_rule(candidate.rule, Why::Teaser { closer }));
                }
            }
        }
    }

    /// A short line between two removed lines of one category goes with
    /// them, unless it reads as a sentence or they are of different blocks.
    fn between(&mut self) {
        let doc = self.doc;
        let sentence_guard =
            doc.stripper
                .guards
                .find("sentence_between")
                .and_then(|(i, g)| match g.kind {
                    GuardKind::SentenceBetween { min_words } => Some((i, min_words)),
                    _ => None,
                });
        for line in 0..doc.lines.len() {
            if doc.lines[line].blank || self.fates[line].is_some() {
                continue;
            }
            let norm = doc.norm_line(line).trim();
            if !is_short(norm, BETWEEN_WORDS, BETWEEN_CHARS) {
                continue;
            }
            let (Some(prev), Some(next)) = (doc.prev_non_blank(line), doc.next_non_blank(line))
            else {
                continue;
            };
            if !self.removed(prev) || !self.removed(next) || doc.note_guard(line).is_some() {
                continue;
            }
            let (Some(above), Some(below)) = (self.fates[prev], self.fates[next]) else {
                continue;
            };
            // The scorer's removals are weaker evidence: a line between
            // two of them (an article's title between two menus) is not
            // taken on their word alone. Nor is one under a menu's item
            // that went by its shape: the title under the menu is the
            // article's.
            if matches!(above.source, Source::Model(_))
                || matches!(below.source, Source::Model(_))
                || matches!(above.why, Why::Menu { .. })
            {
                continue;
            }
            // Both neighbours of one kind: a donation form's "Monthly" and
            // "10 €" go, a subheading between a credit and an ad stays.
            if above.category(doc) != below.category(doc) {
                continue;
            }
            // A heading whose text comes right after the line below it (a
            // slide's "Add-ons" between its "Learn more" and "Next" over
            // the slide's paragraph) is that text's.
            let after_below = doc.next_non_blank(next);
            if after_below.is_some_and(|a| !self.removed(a) && is_article_sentence(doc, a))
                && !guards::ends_sentence(norm)
            {
                continue;
            }
            let block_of = |f: Fate| match f.why {
                Why::Block { opener, .. } => Some(opener),
                _ => None,
            };
            let different_blocks = matches!(
                (block_of(above), block_of(below)),
                (Some(a), Some(b)) if a != b
            );
            let sentence = sentence_guard.is_some_and(|(_, min)| guards::is_sentence(norm, min))
                && !doc.addresses_reader(line, 1);
            if different_blocks || sentence {
                let guard = sentence_guard.map(|(i, _)| i);
                if let Source::Rule(rule) = above.source {
                    self.stop(line, rule, guard, None);
                }
                continue;
            }
            self.fates[line] = Some(Fate {
                source: above.source,
                why: Why::Between,
            });
        }
    }
}

impl Decision<'_, '_, '_> {
    /// Runs of short lines after the article: where rules took enough of
    /// a run (more than [`RUN_SHARE`], two lines at the least), the rest of it goes
    /// with them — a related list's headlines, a sign-up box's field and
    /// button, a footer's menu, in the site's own words. Not a line that
    /// may be the article's last (the first after its last sentence of
    /// [`ARTICLE_SENTENCE_WORDS`] words), a heading over text that stays, an item
    /// of a list (a list of the article's own is made of such items), a
    /// note, or a line a guard spoke for.
    fn runs(&mut self) {
        let doc = self.doc;
        let count = doc.lines.len();
        doc.visit(2 * count);
        let Some(last_prose) = (0..count)
            .rev()
            .find(|&l| !doc.lines[l].blank && !self.removed(l) && is_article_sentence(doc, l))
        else {
            return;
        };
        let mut run: Vec<usize> = Vec::new();
        for line in last_prose + 1..=count {
            if line < count && doc.lines[line].blank {
                continue;
            }
            if line < count && (self.removed(line) || self.run_member(line)) {
                run.push(line);
                continue;
            }
            self.take_run(&run, last_prose);
            run.clear();
        }
    }

    /// May the line be one of a run's lines that the run takes: short, no
    /// full stop, no markdown heading, no fact under a label ("Hotline:
    /// 0800 …") or at a time of day (a timetable's "First train 6:30"), no
    /// note, nothing a guard said or a rule already cut.
    fn run_member(&self, line: usize) -> bool {
        let doc = self.doc;
        let norm = doc.norm_line(line).trim();
        self.fates[line].is_none()
            && !self.stopped.contains_key(&line)
            && is_short(norm, RUN_WORDS, RUN_CHARS)
            && !guards::ends_sentence(norm)
            && !norm.starts_with('#')
            && !labels_a_value(norm)
            && !holds_a_time(norm)
            && doc
                .candidates_of(line)
                .iter()
                .all(|c| c.objection.is_none())
            && doc.note_guard(line).is_none()
    }

    /// Takes what may go of a run whose removed lines are more than
    /// [`RUN_SHARE`] of it (at a third, a heading and three facts of the
    /// article's went with a "Read also" and its headline).
    fn take_run(&mut self, run: &[usize], last_prose: usize) {
        let doc = self.doc;
        // A rule's removal counts for the run when it is a short line
        // itself: an author's bio or a disclosure after a book's details
        // says nothing of them.
        let evidence = |fate: Option<Fate>, line: usize| {
            fate.filter(|f| {
                !f.is_span()
                    && matches!(f.source, Source::Rule(_))
                    && is_short(doc.norm_line(line).trim(), RUN_WORDS, RUN_CHARS)
            })
        };
        let removed = run
            .iter()
            .filter(|&&l| evidence(self.fates[l], l).is_some())
            .count();
        if run.len() < RUN_LINES || removed < 2 || removed * RUN_SHARE.1 <= run.len() * RUN_SHARE.0
        {
            return;
        }
        let why = Why::Run {
            removed: u16::try_from(removed).unwrap_or(u16::MAX),
            of: u16::try_from(run.len()).unwrap_or(u16::MAX),
        };
        // The rule of the nearest line a rule took, above first: the last
        // one passed, or before any, the run's first (one walk, however
        // long the run).
        let rule_of = |fate: Option<Fate>| match fate {
            Some(Fate {
                source: Source::Rule(rule),
                ..
            }) => Some(rule),
            _ => None,
        };
        doc.visit(run.len());
        let Some(mut nearest) = run
            .iter()
            .find_map(|&l| rule_of(evidence(self.fates[l], l)))
        else {
            return;
        };
        for &line in run {
            if let Some(rule) = rule_of(evidence(self.fates[line], line)) {
                nearest = rule;
                continue;
            }
            if self.fates[line].is_some()
                || doc.prev_non_blank(line) == Some(last_prose)
                || is_list_item(doc.norm_line(line))
            {
                continue;
            }
            // A heading over text that stays: its next line that stays is
            // no line of the run.
            let next_kept =
                (line + 1..doc.lines.len()).find(|&l| !doc.lines[l].blank && !self.removed(l));
            doc.visit(next_kept.unwrap_or(doc.lines.len()) - line);
            // (The run's lines are in order.)
            if next_kept.is_some_and(|n| run.binary_search(&n).is_err()) {
                continue;
            }
            self.fates[line] = Some(Fate::by_rule(nearest, why));
        }
    }
}

impl Decision<'_, '_, '_> {
    /// A row of buttons right under a consent notice that a rule took
    /// ("Okay with me | Show options", "[Tudo bem](#) · [Quero
    /// escolher](#)"): two to [`CONSENT_BUTTONS`] items of a few words
    /// joined by bars, dots, bullets or runs of spaces go with it, in
    /// whatever words the site gives them; and so a second row under the
    /// first.
    fn consent_buttons(&mut self) {
        let doc = self.doc;
        doc.visit(doc.lines.len());
        for line in 0..doc.lines.len() {
            if doc.lines[line].blank
                || self.fates[line].is_some()
                || self.stopped.contains_key(&line)
            {
                continue;
            }
            let Some(notice) = doc.prev_non_blank(line) else {
                continue;
            };
            let Some(fate) = self.fates[notice].filter(|f| {
                !f.is_span()
                    && matches!(f.source, Source::Rule(_))
                    && f.category(doc) == Category::Cookie
            }) else {
                continue;
            };
            let row = crate::normalize::shown_text(doc.line_text(line));
            if !guards::button_items(row.trim()).is_some_and(|n| (2..=CONSENT_BUTTONS).contains(&n))
                || doc
                    .candidates_of(line)
                    .iter()
                    .any(|c| c.objection.is_some())
            {
                continue;
            }
            let notice = match fate.why {
                Why::Buttons { notice } => notice,
                _ => notice,
            };
            self.fates[line] = Some(Fate {
                source: fate.source,
                why: Why::Buttons { notice },
            });
        }
    }
}

impl Decision<'_, '_, '_> {
    /// A menu one item a line at the top of the text (see [`MENU_LINES`]):
    /// where a rule took one of its items or a cue names one, the others
    /// go with it. Its last items over a sentence (a kicker, a short
    /// headline over the standfirst) stay.
    fn menu(&mut self) {
        let doc = self.doc;
        let count = doc.lines.len();
        let Some(first_prose) = (0..count)
            .find(|&l| !doc.lines[l].blank && !self.removed(l) && is_article_sentence(doc, l))
        else {
            return;
        };
        doc.visit(first_prose);
        let starts = (0..first_prose).filter(|&l| !doc.lines[l].blank).take(2);
        for start in starts {
            let mut run: Vec<usize> = Vec::new();
            for line in start..first_prose {
                if doc.lines[line].blank {
                    continue;
                }
                if !self.menu_item(line) {
                    break;
                }
                run.push(line);
            }
            while let Some(&last) = run.last() {
                let over_sentence = doc
                    .next_non_blank(last)
                    .is_some_and(|next| guards::is_sentence(doc.norm_line(next), MENU_HEADS_WORDS));
                if !over_sentence {
                    break;
                }
                run.pop();
            }
            if run.len() < MENU_LINES {
                continue;
            }
            // The rule that took a line whole.
            let rule_of = |fate: Option<Fate>| match fate.filter(|f| !f.is_span())?.source {
                Source::Rule(rule) => Some(rule),
                Source::Model(_) => None,
            };
            let removed = run
                .iter()
                .filter(|&&l| rule_of(self.fates[l]).is_some())
                .count();
            // Or a cue names one of its items (a section name: "Sport",
            // "Nieuws"), though none of them went yet.
            let cue_of = |line: usize| {
                doc.candidates_of(line)
                    .iter()
                    .find(|c| {
                        c.fire == Fire::Cue
                            && c.objection.is_none()
                            && self.place_allows(line, c.rule)
                    })
                    .map(|c| c.rule)
            };
            let Some(mut nearest) = run
                .iter()
                .find_map(|&l| rule_of(self.fates[l]))
                .or_else(|| run.iter().find_map(|&l| cue_of(l)))
            else {
                continue;
            };
            let why = Why::Menu {
                removed: u16::try_from(removed).unwrap_or(u16::MAX),
                of: u16::try_from(run.len()).unwrap_or(u16::MAX),
            };
            for &line in &run {
                if let Some(rule) = rule_of(self.fates[line]) {
                    nearest = rule;
                } else if self.fates[line].is_none() {
                    self.fates[line] = Some(Fate::by_rule(nearest, why));
                }
            }
            return;
        }
    }

    /// May the line be an item of a menu at the top: short, no digit, no
    /// stop, colon or list mark, no markdown heading or quotation, and
    /// nothing a guard said or a rule only cut? (A line a rule took is an
    /// item when it has the shape.)
    fn menu_item(&self, line: usize) -> bool {
        let doc = self.doc;
        let norm = doc.norm_line(line).trim();
        let takeable = match self.fates[line] {
            Some(fate) => !fate.is_span(),
            None => {
                !self.stopped.contains_key(&line)
                    && doc
                        .candidates_of(line)
                        .iter()
                        .all(|c| c.objection.is_none())
                    && doc.note_guard(line).is_none()
            }
        };
        takeable
            && is_short(norm, MENU_WORDS, MENU_CHARS)
            && !guards::ends_sentence(norm)
            && !norm.ends_with([':', '：'])
            && !norm.starts_with(['#', '>', '|'])
            && !is_list_item(norm)
            && !norm.chars().any(|c| c.is_ascii_digit())
    }
}

/// Is the line a sentence of the article's length
/// ([`ARTICLE_SENTENCE_WORDS`] words or more)?
fn is_article_sentence(doc: &Document<'_, '_>, line: usize) -> bool {
    guards::is_sentence(doc.norm_line(line), ARTICLE_SENTENCE_WORDS)
}

/// Is the normalised line an item of a list: a bullet or a number ("3.",
/// "3)") and a space?
fn is_list_item(norm: &str) -> bool {
    if guards::bullet_of(norm).is_some() {
        return true;
    }
    let trimmed = norm.trim_start();
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0
        && trimmed[digits..].starts_with(['.', ')'])
        && trimmed[digits + 1..].starts_with(char::is_whitespace)
}

/// Does the line give a value under a label ("Hotline: 0800 000 4422",
/// "**Rating:** ★★★★☆", "Service communication : Julien …"): a colon
/// after a word (and the space French puts before it), then a space and
/// more?
fn labels_a_value(norm: &str) -> bool {
    norm.char_indices().any(|(at, c)| {
        (c == ':' || c == '：')
            && norm[..at]
                .trim_end_matches(['*', ' ', '\u{a0}', '\u{202f}'])
                .chars()
                .next_back()
                .is_some_and(|c| crate::normalize::is_word_char(c) || matches!(c, ')' | ']'))
            && norm[at + c.len_utf8()..]
                .trim_start_matches('*')
                .strip_prefix(char::is_whitespace)
                .is_some_and(|rest| !rest.trim().is_empty())
    })
}

/// The removals of a decided document and the text without them. Without
/// `describe`, only the removals' places and the text: no phrases and no
/// objections (what the scorer's rounds need).
fn outcome<'a>(
    doc: &Document<'_, 'a>,
    fates: &[Option<Fate>],
    stopped: &Stops,
    features: &[Vec<String>],
    describe: bool,
) -> Outcome<'a> {
    Outcome::of(doc.text, removals(doc, fates, stopped, features, describe))
}

/// Where the text of a line kept up to a trailing span cut at `from` (an
/// offset of its normalised text) ends: before the cut sentence and the
/// spaces before it.
fn span_keep_end(doc: &Document<'_, '_>, line: usize, from: usize) -> usize {
    let cut = doc.source_offset(line, from);
    doc.text[..cut]
        .trim_end()
        .len()
        .max(doc.lines[line].content.start)
}

/// The removals and objections under these fates (for [`outcome`], and
/// for a caller that reads the lines that stay where they are).
fn removals(
    doc: &Document<'_, '_>,
    fates: &[Option<Fate>],
    stopped: &Stops,
    features: &[Vec<String>],
    describe: bool,
) -> Removed {
    let removed = |line: usize| fates[line].is_some_and(|f| !f.is_span());
    let mut removals: Vec<Removal> = Vec::new();
    let count = doc.lines.len();
    for (line, fate) in fates.iter().enumerate() {
        let Some(fate) = *fate else {
            continue;
        };
        let rule_id = match fate.source {
            Source::Rule(rule) => doc.rule(rule).id.clone(),
            Source::Model(_) => MODEL_ID.to_string(),
        };
        let category = fate.category(doc);
        let (hit, evidence) = match fate.why {
            Why::Phrase { hit, .. } => (Some(hit), Reason::Phrase),
            Why::Cue { hit, context } => (Some(hit), Reason::Cue { context }),
            Why::Block { opener, close } => (
                close,
                Reason::Block {
                    opened_at: opener + 1,
                },
            ),
            Why::Between => (None, Reason::Between),
            Why::Run { removed, of } => (None, Reason::Run { removed, of }),
            Why::Menu { removed, of } => (None, Reason::Menu { removed, of }),
            Why::Buttons { notice } => (
                None,
                Reason::Buttons {
                    notice_at: notice + 1,
                },
            ),
            Why::Teaser { closer } => (
                None,
                Reason::Teaser {
                    closed_at: closer + 1,
                },
            ),
            Why::Model { permille } => (None, Reason::Model { permille }),
        };
        let phrase = hit
            .filter(|_| describe)
            .map(|h| doc.source_phrase(line, &doc.hits[h]))
            .unwrap_or_default();
        if let Why::Phrase {
            span_from: Some(from),
            ..
        } = fate.why
        {
            removals.push(Removal {
                line: line + 1,
                bytes: span_keep_end(doc, line, from)..doc.lines[line].content.end,
                whole_line: false,
                rule_id: rule_id.clone(),
                category,
                phrase,
                evidence,
                features: Vec::new(),
            });
            continue;
        }
        let start = doc.lines[line].content.start;
        let mut end = doc.next_start(line);
        // Blank lines up to the next removed line go with this one.
        let mut after = line + 1;
        while after < count && doc.lines[after].blank {
            after += 1;
        }
        if after < count && removed(after) {
            end = doc.next_start(after - 1).max(end);
        } else if (line == 0 || doc.lines[line - 1].blank) && after > line + 1 {
            // Blank before and after: drop the blanks after, so the
            // paragraphs around keep one separation.
            end = doc.next_start(after - 1);
        }
        removals.push(Removal {
            line: line + 1,
            bytes: start..end,
            whole_line: true,
            rule_id,
            category,
            phrase,
            evidence,
            features: features.get(line).cloned().unwrap_or_default(),
        });
    }
    // A run of removals that reaches the end of the text takes the blank
    // lines before it, so the text does not end in blank lines.
    if removals
        .last()
        .is_some_and(|r| r.whole_line && r.bytes.end == doc.text.len())
    {
        let mut first = removals.len() - 1;
        while first > 0
            && removals[first - 1].whole_line
            && removals[first - 1].bytes.end == removals[first].bytes.start
        {
            first -= 1;
        }
        let mut line = removals[first].line - 1;
        while line > 0 && doc.lines[line - 1].blank {
            line -= 1;
        }
        removals[first].bytes.start = doc.lines[line].content.start;
    }
    let guards = doc.stripper.guards.guards();
    let objections = (0..count)
        .filter(|&line| describe && !removed(line))
        .filter_map(|line| {
            let (rule, guard, hit) = *stopped.get(&line)?;
            let rule = doc.rule(rule);
            let guard = &guards[guard];
            Some(Objection {
                line: line + 1,
                rule_id: rule.id.clone(),
                category: rule.category,
                phrase: hit
                    .map(|h| doc.source_phrase(line, &doc.hits[h]))
                    .unwrap_or_default(),
                guard_id: guard.id.clone(),
                guard: guard.kind.as_str(),
            })
        })
        .collect();
    Removed {
        removals,
        objections,
    }
}
