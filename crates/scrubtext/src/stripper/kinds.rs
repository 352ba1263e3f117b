//! One evaluator per kind of rule: what a rule whose phrase is on a line
//! could do there, judged from the line alone. Context (neighbours, blocks,
//! the tail) is weighed later, in [`super::decide`].

use std::cell::OnceCell;

use super::Role;
use super::document::{Document, Hit, SPAN_MAX_CHARS, core_bounds};
use crate::rules::{BlockOptions, CueOptions, Open, Rule, RuleKind};

/// What a rule could do on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fire {
    /// Take the whole line.
    Whole,
    /// Cut the line's trailing span from this offset of its normalised text.
    Span(usize),
    /// Open a block here.
    Opens,
    /// A cue fits the line: it goes with context.
    Cue,
}

/// The one dispatch on the kind of rule.
pub(super) fn evaluate(doc: &Document, line: usize, hit: &Hit, rule: &Rule) -> Option<Fire> {
    match &rule.kind {
        RuleKind::Line => whole_if(
            doc,
            line,
            rule,
            covers_core(doc, line, hit)
                || doc.char_count(line) <= rule.max_chars && made_of_phrases(doc, line, hit),
        ),
        RuleKind::Prefix => at_start(doc, line, hit, rule),
        RuleKind::Suffix => {
            let (_, core_end) = core_bounds(doc.norm_line(line));
            whole_if(doc, line, rule, hit.end >= core_end)
        }
        RuleKind::Contains => contains(doc, line, hit, rule),
        RuleKind::Block(options) => opens_block(doc, line, hit, rule, options),
        RuleKind::Cue(options) => cue_fits(doc, line, hit, rule, options),
    }
}

fn covers_core(doc: &Document, line: usize, hit: &Hit) -> bool {
    let (core_start, core_end) = core_bounds(doc.norm_line(line));
    hit.start <= core_start && hit.end >= core_end
}

/// Is the line a row of items joined by separators (`|`, `·`, `•`), the
/// hit's phrase one of them and every other item a phrase of its own that
/// would be a whole line (a `line` rule's) or a cue ("Votre adresse e-mail
/// | Je m'inscris", "Accept all | Reject | Settings")? Such a row is a form's
/// or a banner's, whatever its items' order; the `line` rule's phrase is
/// what a cue among them needs as context.
fn made_of_phrases(doc: &Document, line: usize, hit: &Hit) -> bool {
    const SEPARATORS: [char; 3] = ['|', '·', '•'];
    // A few items only: a row of buttons, not a menu of every section (and
    // the work per line stays bounded).
    const MAX_ITEMS: usize = 8;
    let norm = doc.norm_line(line);
    let (core_start, core_end) = core_bounds(norm);
    let core = &norm[core_start..core_end];
    let separators = core.matches(SEPARATORS).count();
    if separators == 0
        || separators >= MAX_ITEMS
        || !hits_one_item(norm, core_start, core_end, hit, &SEPARATORS)
    {
        return false;
    }
    let hits = &doc.hits[doc.hits_of(line)];
    // Each item runs from the end of one separator (a separator may be more
    // than one byte) to the start of the next; each must be a phrase whole.
    let item_ends = core
        .match_indices(SEPARATORS)
        .map(|(at, separator)| (at, at + separator.len()))
        .chain(std::iter::once((core.len(), core.len())));
    let mut from = 0;
    for (to, next) in item_ends {
        let item = &core[from..to];
        let start = core_start + from + (item.len() - item.trim_start().len());
        let end = core_start + from + item.trim_end().len();
        from = next;
        let phrase = |h: &Hit| {
            h.start <= start
                && h.end >= end
                && doc.uses(h).iter().any(|u| {
                    let rule = doc.rule(u.rule);
                    u.role == Role::Phrase
                        && matches!(rule.kind, RuleKind::Line | RuleKind::Cue(_))
                        && rule.regex.is_none()
                })
        };
        if start >= end || !hits.iter().any(phrase) {
            return false;
        }
    }
    true
}

/// Does the hit span exactly one item of the row (nothing but spaces
/// between it and the separators or ends around it)?
fn hits_one_item(norm: &str, start: usize, end: usize, hit: &Hit, separators: &[char]) -> bool {
    if hit.start < start || hit.end > end {
        return false;
    }
    let before = norm[start..hit.start].trim_end();
    let after = norm[hit.end..end].trim_start();
    (before.is_empty() || before.ends_with(separators))
        && (after.is_empty() || after.starts_with(separators))
}

/// The whole line goes when the shape fits and the line is short enough;
/// the regex, the dearest test, comes last.
fn whole_if(doc: &Document, line: usize, rule: &Rule, shape: bool) -> Option<Fire> {
    (shape && doc.char_count(line) <= rule.max_chars && regex_allows(doc, line, rule))
        .then_some(Fire::Whole)
}

fn at_start(doc: &Document, line: usize, hit: &Hit, rule: &Rule) -> Option<Fire> {
    let (core_start, _) = core_bounds(doc.norm_line(line));
    if hit.start <= core_start {
        return whole_if(doc, line, rule, true);
    }
    trailing_span(doc, line, hit, rule)
}

fn contains(doc: &Document, line: usize, hit: &Hit, rule: &Rule) -> Option<Fire> {
    // A call to action (an appeal, a sign-up, a consent request) set in a
    // paragraph of the article's own prose is a sentence of it, not the
    // paragraph's purpose. (Captions, bios and about-us paragraphs are
    // descriptions whatever their other sentences say: credit, footer and
    // related phrases take them whole.)
    let in_prose = rule.category.calls_to_action()
        && doc.char_count(line) <= rule.max_chars
        && doc.holds_other_prose(line, hit);
    whole_if(doc, line, rule, !in_prose).or_else(|| trailing_span(doc, line, hit, rule))
}

/// A line too long to go whole (or a prefix phrase not at its start): a
/// trailing sentence that starts with the phrase may go, when everything
/// from there is short and every sentence in it holds a strong phrase.
fn trailing_span(doc: &Document, line: usize, hit: &Hit, rule: &Rule) -> Option<Fire> {
    let norm = doc.norm_line(line);
    let (core_start, _) = core_bounds(norm);
    (hit.start > core_start
        && starts_sentence(norm, hit.start)
        && tail_is_boilerplate(doc, line, hit.start)
        && !leaves_a_removable_line(doc, line, hit.start)
        && regex_allows(doc, line, rule))
    .then_some(Fire::Span(hit.start))
}

/// Would the line, cut at `from`, be short enough for a phrase before the
/// cut to take it whole (a prefix rule's phrase at its start, or a contains
/// rule's anywhere)? Then no span is cut: the next pass over the cleaned
/// text would take the rest, which the line's length forbids now.
fn leaves_a_removable_line(doc: &Document, line: usize, from: usize) -> bool {
    let norm = doc.norm_line(line);
    let (core_start, _) = core_bounds(norm);
    let chars = norm[..from].trim_end().chars().count();
    // A rule with a regex takes the rest only if its regex matches the rest.
    let kept = OnceCell::new();
    let regex_matches_rest = |rule: &Rule| {
        rule.regex.as_ref().is_none_or(|regex| {
            let rest = kept.get_or_init(|| {
                let start = doc.lines[line].content.start;
                doc.text[start..doc.source_offset(line, from)].trim()
            });
            regex.is_match(rest)
        })
    };
    doc.hits[doc.hits_of(line)]
        .iter()
        .filter(|h| h.end <= from)
        .any(|h| {
            doc.uses(h).iter().any(|u| {
                let rule = doc.rule(u.rule);
                u.role == Role::Phrase
                    && chars <= rule.max_chars
                    && match rule.kind {
                        RuleKind::Prefix => h.start <= core_start,
                        RuleKind::Contains => true,
                        _ => false,
                    }
                    && regex_matches_rest(rule)
            })
        })
}

fn opens_block(
    doc: &Document,
    line: usize,
    hit: &Hit,
    rule: &Rule,
    options: &BlockOptions,
) -> Option<Fire> {
    let (core_start, core_end) = core_bounds(doc.norm_line(line));
    let place = match options.open {
        Open::Prefix => hit.start <= core_start,
        Open::Line => hit.start <= core_start && hit.end >= core_end,
        Open::Suffix => hit.end >= core_end,
    };
    (place && doc.char_count(line) <= rule.max_chars && regex_allows(doc, line, rule))
        .then_some(Fire::Opens)
}

fn cue_fits(
    doc: &Document,
    line: usize,
    hit: &Hit,
    rule: &Rule,
    options: &CueOptions,
) -> Option<Fire> {
    ((!options.exact || covers_core(doc, line, hit))
        && !in_compound(doc.norm_line(line), hit)
        && doc.char_count(line) <= rule.max_chars
        && regex_allows(doc, line, rule))
    .then_some(Fire::Cue)
}

/// Is the phrase part of a hyphenated compound ("Ablehnen-Knopf",
/// "share-worthy")? A button's label is not.
fn in_compound(norm: &str, hit: &Hit) -> bool {
    let phrase = &norm[hit.start..hit.end];
    let joined = |edge: Option<char>, hyphen: Option<char>, letter: Option<char>| {
        edge.is_some_and(char::is_alphanumeric)
            && hyphen == Some('-')
            && letter.is_some_and(char::is_alphanumeric)
    };
    let mut after = norm[hit.end..].chars();
    let mut before = norm[..hit.start].chars().rev();
    joined(phrase.chars().next_back(), after.next(), after.next())
        || joined(phrase.chars().next(), before.next(), before.next())
}

/// A rule with a `regex` fires only where it matches the line as written
/// (trimmed, case kept).
fn regex_allows(doc: &Document, line: usize, rule: &Rule) -> bool {
    doc.regex_allows(line, rule)
}

/// Is everything from `from` to the end of the line short, and does every
/// sentence in it hold a phrase of a rule that is not a cue?
fn tail_is_boilerplate(doc: &Document, line: usize, from: usize) -> bool {
    let norm = doc.norm_line(line);
    let rest = norm[from..].trim_end();
    if rest.len() > SPAN_MAX_CHARS * 4 || rest.chars().count() > SPAN_MAX_CHARS {
        return false;
    }
    let hits = &doc.hits[doc.hits_of(line)];
    let strong = |h: &Hit| doc.is_strong(h);
    let mut sentence_start = from;
    for (offset, c) in rest.char_indices() {
        let at = from + offset;
        let ends_sentence = matches!(c, '.' | '!' | '?') && norm[at + 1..].starts_with(' ');
        if ends_sentence || offset + c.len_utf8() == rest.len() {
            let end = at + c.len_utf8();
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

/// Does a sentence start at `offset` of a normalised line?
fn starts_sentence(norm: &str, offset: usize) -> bool {
    let before = norm[..offset].trim_end();
    if before.is_empty() {
        return true;
    }
    let before = before.trim_end_matches(['"', '\'', ')']);
    before.ends_with(['.', '!', '?', ';']) && norm[..offset].ends_with(' ')
}
