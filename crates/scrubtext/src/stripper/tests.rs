//! Decision cases for the stripper, one rule of each kind.
use super::*;

/// Rules for the decision tests: one of each kind.
const RULES: &str = r#"
category = "widget"

[[rule]]
id = "T-LINE"
kind = "line"
phrases = ["advertisement", "remind me later"]

[[rule]]
id = "T-PREFIX"
kind = "prefix"
category = "related"
phrases = ["read more:"]

[[rule]]
id = "T-SUFFIX"
kind = "suffix"
category = "credit"
phrases = ["getty images"]

[[rule]]
id = "T-CONTAINS"
kind = "contains"
category = "appeal"
phrases = ["support us monthly"]
max_chars = 120

[[rule]]
id = "T-BLOCK"
kind = "block"
category = "appeal"
phrases = ["a message from"]
close = ["remind me later"]
max_lines = 6

[[rule]]
id = "T-LIST"
kind = "block"
category = "related"
phrases = ["most read"]
open = "line"
grow = "headlines"
max_lines = 5

[[rule]]
id = "T-CUE"
kind = "cue"
phrases = ["facebook", "twitter", "email", "whatsapp", "newsletter", "our newsletter"]

[[rule]]
id = "T-LETTER"
kind = "block"
category = "appeal"
phrases = ["dear readers"]
close = ["remind me later"]
grow = "none"

[[rule]]
id = "T-REGEX"
kind = "contains"
category = "credit"
phrases = [" / "]
regex = '\([A-Z][^()/]* / [A-Z][^()/]*\)$'
max_chars = 200

[[rule]]
id = "T-EXACT"
kind = "cue"
phrases = ["home"]
exact = true

[[rule]]
id = "T-TAIL"
kind = "prefix"
category = "footer"
phrases = ["reporting by"]
tail = true

[[rule]]
id = "T-DATE"
kind = "cue"
category = "related"
phrases = ["may"]
regex = '^\d{1,2} May \d{4}$'
tail = true
closes_teaser = true
next_to = ["related"]

[[rule]]
id = "T-HEAD"
kind = "contains"
category = "cookie"
phrases = ["uses cookies"]
head = true
"#;

fn stripper() -> Stripper {
    let mut rules = RuleSet::empty();
    rules.add_toml("test.toml", RULES).unwrap();
    Stripper::new(rules)
}

#[test]
fn decisions() {
    let long_prose = "The council met on Tuesday and argued for hours. ".repeat(10);
    let long_line = format!("{long_prose}Reporting by Jane Doe\n");
    // The space before the cut span goes with it.
    let long_line_kept = format!("{}\n", long_prose.trim_end());
    let cases: Vec<(&str, &str, &str)> = vec![
        (
            "whole widget line",
            "Body.\nAdvertisement\nMore body.\n",
            "Body.\nMore body.\n",
        ),
        (
            "old Mac line endings",
            "Body.\rAdvertisement\rMore body.\r",
            "Body.\rMore body.\r",
        ),
        (
            "numbered list items",
            "Body.\n2. Advertisement\nMore body.\n",
            "Body.\nMore body.\n",
        ),
        (
            "bullets and case",
            "Body.\n  - ADVERTISEMENT.\nMore.\n",
            "Body.\nMore.\n",
        ),
        (
            "prefix",
            "Body.\nRead more: Another story\nMore.\n",
            "Body.\nMore.\n",
        ),
        (
            "prefix not at start",
            "He said read more: books.\n",
            "He said read more: books.\n",
        ),
        (
            "suffix",
            "A man walks. Jane Roe/Getty Images\nBody.\n",
            "Body.\n",
        ),
        (
            "word boundary",
            "Body.\nAdvertisements\n",
            "Body.\nAdvertisements\n",
        ),
        (
            "contains within max_chars",
            "Body.\nPlease support us monthly.\n",
            "Body.\n",
        ),
        (
            "closed block",
            "Body.\nA Message from Us:\nDear readers,\nWe need you.\nRemind me later.\nEnd.\n",
            "Body.\nEnd.\n",
        ),
        (
            "list heading only as a whole line",
            "Body.\nMost read\nFirst headline here\nSecond headline here\n",
            "Body.\n",
        ),
        (
            "list stops at prose",
            "Body.\nMost read\nFirst headline\nThe article goes on with a full sentence of prose that ends here.\n",
            "Body.\nThe article goes on with a full sentence of prose that ends here.\n",
        ),
        (
            "a list counts the removed lines it passes",
            "Body.\nMost read\nAdvertisement\nAdvertisement\nAdvertisement\nAdvertisement\nCouncil approves budget\n",
            "Body.\nCouncil approves budget\n",
        ),
        (
            "list heading inside a line",
            "Most read stories are short.\nBody.\n",
            "Most read stories are short.\nBody.\n",
        ),
        (
            "lone cue stays",
            "Body.\nFollow us on Facebook\nMore.\n",
            "Body.\nFollow us on Facebook\nMore.\n",
        ),
        (
            "cue next to removed",
            "Body.\nAdvertisement\nFacebook\nMore body here.\n",
            "Body.\nMore body here.\n",
        ),
        (
            "two cues",
            "Body.\nFacebook Twitter\nThe end.\n",
            "Body.\nThe end.\n",
        ),
        (
            "overlapping cues are one",
            "Body.\nGet our newsletter\nThe end.\n",
            "Body.\nGet our newsletter\nThe end.\n",
        ),
        (
            "block without growth needs its close",
            "Body.\nDear readers,\nA subheading\nThe end.\n",
            "Body.\nDear readers,\nA subheading\nThe end.\n",
        ),
        (
            "block without growth, closed",
            "Body.\nDear readers,\nWe need you.\nRemind me later.\nThe end.\n",
            "Body.\nThe end.\n",
        ),
        (
            "cue run",
            "Body.\nShare on Facebook\nTwitter\nEmail\nMore.\n",
            "Body.\nMore.\n",
        ),
        (
            "regex credit",
            "Diners at the market. (Jane Doe / Example Daily)\nPrices rose (food / drink).\n",
            "Prices rose (food / drink).\n",
        ),
        (
            "blocks grow only through lines a phrase could remove",
            "Most read\nLocal bakery wins prize\nShe told them to read more: books, papers, anything.\n",
            "She told them to read more: books, papers, anything.\n",
        ),
        (
            "a regex anchor that fails is no second phrase",
            "Body.\nTwitter / more\nThe end.\n",
            "Body.\nTwitter / more\nThe end.\n",
        ),
        (
            "exact cue",
            "Body.\nAdvertisement\nHome\nHome prices rose today.\n",
            "Body.\nHome prices rose today.\n",
        ),
        (
            "tail rule at the end",
            "Body.\nReporting by Jane Doe\n",
            "Body.\n",
        ),
        (
            "tail rule far from the end",
            "Reporting by Jane Doe\nA\nB\nC\nD\nE\nF\nG\nH\n",
            "Reporting by Jane Doe\nA\nB\nC\nD\nE\nF\nG\nH\n",
        ),
        (
            "head rule on the first line",
            "The Gazette uses cookies.\nHeadline\nBody.\n",
            "Headline\nBody.\n",
        ),
        (
            "head rule on the first line that stays",
            "Advertisement\nThe Gazette uses cookies.\nHeadline\n",
            "Headline\n",
        ),
        (
            "head rule moves the head down: a second pass removes nothing more",
            "The Gazette uses cookies.\nThe Gazette uses cookies.\nHeadline\n",
            "Headline\n",
        ),
        (
            "head rule below the first line",
            "Headline\nThe Gazette uses cookies.\nBody.\n",
            "Headline\nThe Gazette uses cookies.\nBody.\n",
        ),
        (
            "long line loses only its trailing credit",
            &long_line,
            &long_line_kept,
        ),
        (
            "blank line separators stay single",
            "Body.\n\nAdvertisement\n\nMore.\n",
            "Body.\n\nMore.\n",
        ),
        (
            "crlf endings kept",
            "Body.\r\nAdvertisement\r\nMore.\r\n",
            "Body.\r\nMore.\r\n",
        ),
        ("end of text", "Body.\n\nRemind me later", "Body.\n"),
        (
            "short line between two of a kind",
            "Body.\nA Message from Us:\nWe need you.\nMonthly\nRemind me later.\nEnd.\n",
            "Body.\nEnd.\n",
        ),
        (
            "a list does not grow into a line introducing what follows",
            "Body.\nMost read\nFerry fares rise again\nFor the evidence, start with these two:\n1. A survey\n",
            "Body.\nFor the evidence, start with these two:\n1. A survey\n",
        ),
        (
            "short line between two kinds stays",
            "Body.\nAdvertisement\nBackground\nRead more: Another story\nEnd.\n",
            "Body.\nBackground\nEnd.\n",
        ),
        (
            "a heading between two of a kind over the text after them stays",
            "Body.\nAdvertisement\nHow the vote went\nAdvertisement\n\
             Seven councillors backed the motion and two abstained, while the mayor said the \
             question would come back next spring when the budget is set for three years.\n",
            "Body.\nHow the vote went\n\
             Seven councillors backed the motion and two abstained, while the mayor said the \
             question would come back next spring when the budget is set for three years.\n",
        ),
    ];
    let stripper = stripper();
    for (name, input, expected) in cases {
        let outcome = stripper.strip(input);
        assert_eq!(outcome.text, expected, "{name}: {:?}", outcome.removals);
        assert_eq!(
            stripper.strip(&outcome.text).removals,
            [],
            "{name}: second pass"
        );
    }
}

/// Teasers closed by a date after the article: two or more in a row go
/// with their headlines and summaries; one alone, a short fact over a
/// date, or a page with no article stay.
#[test]
fn teasers_closed_by_dates() {
    let article = format!(
        "{}\n",
        "The council met on Tuesday and argued for hours. ".repeat(10)
    );
    let two = "Ferry timetable changes for the winter\n11 May 2025\n\
               School hall reopens after a long summer\nThe work took longer than planned.\n\
               9 May 2025\n";
    let one = "Ferry timetable changes for the winter\n11 May 2025\n";
    let facts = "Deadline\n11 May 2025\nResults out\n30 May 2025\n";
    let stripper = stripper();
    let text = format!("{article}{two}");
    let outcome = stripper.strip(&text);
    assert_eq!(outcome.text, article);
    let evidence: Vec<String> = outcome
        .removals
        .iter()
        .map(|r| format!("{} {}", r.line, r.evidence))
        .collect();
    assert_eq!(
        evidence,
        [
            "2 a teaser closed on line 3",
            "3 phrase",
            "4 a teaser closed on line 6",
            "5 a teaser closed on line 6",
            "6 phrase",
        ]
    );
    for (name, text) in [
        ("one teaser", format!("{article}{one}")),
        ("facts over dates", format!("{article}{facts}")),
        ("no article", two.to_string()),
    ] {
        assert_eq!(stripper.strip(&text).removals, [], "{name}");
    }
}

#[test]
fn removals_name_rule_phrase_and_evidence() {
    let input =
        "Body.\nA Message from Us:\nDear readers,\nRemind me later.\nPhoto: Jane/Getty Images\n";
    let outcome = stripper().strip(input);
    let seen: Vec<(usize, &str, &str, Reason)> = outcome
        .removals
        .iter()
        .map(|r| (r.line, r.rule_id.as_str(), r.phrase.as_str(), r.evidence))
        .collect();
    assert_eq!(
        seen,
        [
            (2, "T-BLOCK", "A Message from", Reason::Phrase),
            (3, "T-BLOCK", "", Reason::Block { opened_at: 2 }),
            (4, "T-LINE", "Remind me later", Reason::Phrase),
            (5, "T-SUFFIX", "Getty Images", Reason::Phrase),
        ]
    );
    assert_eq!(outcome.removals[0].category, Category::Appeal);
    assert_eq!(
        &input[outcome.removals[3].bytes.clone()],
        "Photo: Jane/Getty Images\n"
    );
}

#[test]
fn text_without_matches_is_borrowed() {
    let outcome = stripper().strip("Nothing to see here.\n");
    assert!(matches!(outcome.text, Cow::Borrowed(_)));
    assert!(!outcome.changed());
}

/// The hits of each line are its own, in order of start then end, and
/// every match of the automaton that stands inside a line at word
/// boundaries is one of them.
#[test]
fn hits_are_grouped_by_line_in_order() {
    let stripper = Stripper::new(RuleSet::builtin());
    let text = "Advertisement\n\nRead more: Support us monthly. Remind me later\r\nno phrase here\rGetty Images\nread more: read more:";
    let doc = Document::scan(&stripper, text);
    let automaton = stripper.automaton.as_ref().unwrap();
    let mut expected: Vec<Vec<(usize, usize, usize)>> = Vec::new();
    for line in &doc.lines {
        let norm = &doc.norm[line.norm.clone()];
        let mut found: Vec<(usize, usize, usize)> = automaton
            .find_overlapping_iter(norm)
            .filter(|m| {
                let pattern = &stripper.patterns[m.pattern().as_usize()].0;
                crate::normalize::at_word_boundaries(norm, m.start(), m.end(), pattern)
            })
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        found.sort_by_key(|&(start, end, _)| (start, end));
        expected.push(found);
    }
    assert!(expected.iter().filter(|hits| !hits.is_empty()).count() >= 4);
    assert_eq!(expected.len(), doc.lines.len());
    for (index, expected) in expected.iter().enumerate() {
        let hits: Vec<(usize, usize, usize)> = doc.hits[doc.hits_of(index)]
            .iter()
            .map(|h| (h.start, h.end, h.pattern))
            .collect();
        assert_eq!(&hits, expected, "line {index}");
    }
    assert_eq!(doc.hits.len(), expected.iter().map(Vec::len).sum::<usize>());
}

#[test]
fn documents_are_cut_at_separator_lines_and_put_back_in_place() {
    let text = "One.\nAdvertisement\n---\r\nTwo.\rAdvertisement\n---\nThree.\n---";
    let pieces = split_documents(text, "---");
    let got: Vec<(&str, usize, usize)> = pieces
        .iter()
        .map(|p| (p.text, p.start, p.lines_before))
        .collect();
    assert_eq!(
        got,
        [
            ("One.\nAdvertisement\n", 0, 0),
            ("Two.\rAdvertisement\n", 24, 3),
            ("Three.\n", 47, 6),
            ("", 57, 8),
        ]
    );
    assert_eq!(split_documents("no separator\n", "---").len(), 1);
    // A separator must be the whole line.
    assert_eq!(split_documents("a --- b\n----\n", "---").len(), 1);

    let stripper = stripper();
    let parts = pieces
        .iter()
        .map(|piece| (*piece, stripper.strip(piece.text)))
        .collect();
    let joined = Outcome::joined(text, parts);
    assert_eq!(joined.text, "One.\n---\r\nTwo.\r---\nThree.\n---");
    let lines: Vec<usize> = joined.removals.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 5]);
    for removal in &joined.removals {
        assert_eq!(&text[removal.bytes.clone()], "Advertisement\n");
    }
    // Nothing removed: the whole text, borrowed.
    let calm = "One.\n---\nTwo.\n";
    let parts = split_documents(calm, "---")
        .into_iter()
        .map(|piece| (piece, stripper.strip(piece.text)))
        .collect();
    assert!(matches!(
        Outcome::joined(calm, parts).text,
        Cow::Borrowed(_)
    ));
}

/// The built-in rules and guards with the embedded scorer, as the command
/// line uses them.
fn full_stripper() -> Stripper {
    Stripper::new(RuleSet::builtin())
        .with_scorer(Some(Scorer::builtin_arc()), ModelSettings::default())
}

/// Strips `make(size)` and `make(2 * size)` and checks that no count of
/// work more than (about) doubles, and that each stays within a generous
/// bound per byte and per line: a text twice as long costs at most twice
/// as much, whatever is in it.
/// Bytes normalised again to map offsets, at most, per byte of text: a
/// handful of places on each line, not the whole line for every rule and
/// guard that asks.
const MAPPED_PER_BYTE: usize = 8;

fn assert_linear(what: &str, size: usize, make: impl Fn(usize) -> String) {
    let stripper = full_stripper();
    let small = make(size);
    let large = make(2 * size);
    let (_, a) = stripper.strip_counting(&small);
    let (_, b) = stripper.strip_counting(&large);
    assert!(b.bytes_scanned > 0, "{what}: the text was scanned");
    let lines = large.lines().count().max(1);
    for (count, a, b, bound) in [
        (
            "bytes scanned",
            a.bytes_scanned,
            b.bytes_scanned,
            2 * large.len(),
        ),
        ("hits", a.hits, b.hits, large.len()),
        ("line visits", a.line_visits, b.line_visits, 400 * lines),
        (
            "tested bytes",
            a.tested_bytes,
            b.tested_bytes,
            100 * large.len(),
        ),
        (
            "mapped bytes",
            a.mapped_bytes,
            b.mapped_bytes,
            MAPPED_PER_BYTE * large.len(),
        ),
    ] {
        assert!(
            b <= 2 * a + a / 5 + 1_000,
            "{what}: {count} went from {a} to {b} when the text doubled"
        );
        assert!(
            b <= bound,
            "{what}: {count} {b} for {} bytes in {lines} lines",
            large.len()
        );
    }
}

#[test]
fn work_is_linear_on_a_huge_line() {
    // Prose with phrases inside it, all on one line.
    let sentence = "The council voted on the budget, read more about the plan, and the mayor said \
                    thank you for reading before subscribing to our newsletter. ";
    assert_linear("one huge line", 2_000, |n| sentence.repeat(n));
}

#[test]
fn work_is_linear_on_a_huge_line_of_links() {
    // Markdown links among phrases and sentences on one line, and links
    // left open (a `](` with no `)`), which a line is read back for.
    assert_linear("a line of links", 2_000, |n| {
        "[Subscribe now](/join). The council voted [here](https://x.test/a). Read more: [b](#b) "
            .repeat(n)
    });
    assert_linear("a line of open links", 2_000, |n| {
        "[a](https://x [b](/y ]( ".repeat(n)
    });
}

#[test]
fn work_is_linear_on_a_line_of_repeated_phrases() {
    let phrases = "Advertisement Read more Subscribe Share this article Sign up ";
    assert_linear("a line of phrases", 4_000, |n| phrases.repeat(n));
    // Calls to action as sentences of one line: each rule and guard that
    // asks where a phrase is in the input must not read the line again.
    assert_linear("a line of calls to action", 4_000, |n| {
        "Subscribe now. Donate today. Advertisement revenue falls. ".repeat(n)
    });
    // The same phrases, one to a line; and as the items of a list.
    assert_linear("lines of phrases", 4_000, |n| {
        "Advertisement\nRead more\nSubscribe\nShare this article\nSign up\n".repeat(n)
    });
    assert_linear("a list of phrases", 4_000, |n| {
        let mut text = String::from("These are the buttons on the page, one after another:\n");
        text.push_str(&"- Advertisement\n- Read more\n- Subscribe\n- Share\n- Sign up\n".repeat(n));
        text
    });
}

#[test]
fn work_is_linear_on_many_empty_lines() {
    assert_linear("empty lines", 100_000, |n| {
        let mut text = String::from("Advertisement\n");
        text.push_str(&"\n".repeat(n));
        text.push_str("A message from the editors\n");
        text.push_str(&"\n".repeat(n));
        text.push_str("Read more\nThe end of the story, with enough words to be a sentence.\n");
        text
    });
}

#[test]
fn work_is_linear_on_openers_before_body_text() {
    // Block openers each followed by two body paragraphs and no close:
    // each looks past the body for its close once.
    let unit = "A message from the editors\n\
                The council met on Tuesday to discuss the budget for the coming year, and the \
                members argued for hours about the cost of the new bridge across the river.\n\
                Residents who attended said they were worried about the rising cost of living in \
                the town and asked the council to delay the vote until after the summer.\n";
    assert_linear("openers before body", 500, |n| unit.repeat(n));
}

#[test]
fn work_is_linear_on_a_long_run_of_short_lines_after_the_article() {
    // After an article, a run of thousands of short lines, rules taking
    // the first half (ad labels) and none of the second: each line of the
    // second half finds the rule it goes by and the line after it in one
    // walk of the run.
    let article = "The council met on Tuesday and argued for hours about the budget, the \
                   bridge and the library, and voted late in the evening to keep it open.";
    assert_linear("a long run", 2_000, |n| {
        format!(
            "{article}\n{}{}",
            "Advertisement\n".repeat(n),
            "Ferry timetable changes\n".repeat(n)
        )
    });
}

#[test]
fn work_is_linear_on_a_long_list_of_dated_teasers() {
    // After an article, thousands of teasers closed by dates, and the
    // same with a short fact over each date, which stays.
    let article = "The council met on Tuesday and argued for hours. ".repeat(10);
    assert_linear("dated teasers", 2_000, |n| {
        format!(
            "{article}\n{}",
            "Ferry timetable changes for the winter\nThe work took longer.\n11 Feb 2025\n"
                .repeat(n)
        )
    });
    assert_linear("facts over dates", 2_000, |n| {
        format!("{article}\n{}", "Deadline\n11 Feb 2025\n".repeat(n))
    });
}

#[test]
fn a_close_inside_a_long_paragraph_closes_no_block() {
    // An appeal's heading, then a paragraph of the article that happens to
    // contain the snooze button's words: the paragraph is no close, and
    // stays whole; stripping again removes nothing more.
    let stripper = Stripper::new(RuleSet::builtin());
    let paragraph = format!(
        "{}Remind me later. The hearing resumes on Monday.",
        "The council voted on Tuesday to raise the fee for parking permits by ten percent. "
            .repeat(20)
    );
    let text = format!(
        "A Message from The Example Times:\n{paragraph}\nA Message from The Example Times:\n{paragraph}"
    );
    let out = stripper.strip(&text);
    assert_eq!(
        out.text.matches(paragraph.as_str()).count(),
        2,
        "{:?}",
        out.removals
    );
    let again = stripper.strip(&out.text);
    assert!(again.removals.is_empty(), "{:?}", again.removals);
}

#[test]
fn a_call_to_action_inside_an_article_paragraph_does_not_take_it_whole() {
    let stripper = Stripper::new(RuleSet::builtin());
    let before = "The council met on Tuesday evening to discuss the budget for the coming year, and \
                  members argued for hours about the cost of the new bridge across the river.";
    let after = "Residents who attended said they were worried about the rising cost of living in \
                 the town and asked the council to delay the vote until after the summer recess.";
    for phrase in [
        "Help us keep our journalism.",
        "Sign up for our daily newsletter.",
        "We rely on readers like you.",
    ] {
        let paragraph = format!("{before} {phrase} {after}");
        let text =
            format!("Council delays vote\n\n{paragraph}\n\nThe vote is expected in September.\n");
        let out = stripper.strip(&text);
        assert!(
            out.text.contains(&paragraph),
            "{phrase}: {:?}",
            out.removals
        );
    }
    // A paragraph of the publisher's own appeal, in its voice, still goes.
    let appeal = "We are a small newsroom and we depend on you. Help us keep our journalism free \
                  for everyone who reads it, now and for the years to come, in the town and beyond.";
    let text = format!("Council delays vote\n\n{before}\n\n{appeal}\n");
    let out = stripper.strip(&text);
    assert!(!out.text.contains(appeal), "{:?}", out.removals);
}

#[test]
fn a_box_that_grows_stops_at_a_heading_over_the_article() {
    // A cookie notice or an appeal's heading dropped between paragraphs,
    // then the article goes on under a subheading or a question of an
    // interview: the box goes, its growth ends before the heading.
    let stripper = Stripper::new(RuleSet::builtin());
    let before = "The council met on Tuesday evening to discuss the budget for the coming year, and \
                  members argued for hours about the cost of the new bridge across the river.";
    for (heading, text_under) in [
        (
            "What happens next",
            "The vote is now expected in September.",
        ),
        ("Q: Why the delay?", "A: The budget is not ready."),
    ] {
        for box_line in ["This website uses cookies", "A message from the editors"] {
            let text = format!("{before}\n\n{box_line}\n\n{heading}\n\n{text_under}\n");
            let out = stripper.strip(&text);
            assert_eq!(
                out.text,
                format!("{before}\n\n{heading}\n\n{text_under}\n"),
                "{box_line} / {heading}: {:?}",
                out.removals
            );
        }
    }
    // Lines of the box itself, short and over nothing that stays, still go
    // with it.
    let text = format!("{before}\n\nThis website uses cookies\nMore information\nOK\n");
    let out = stripper.strip(&text);
    assert_eq!(out.text, format!("{before}\n"), "{:?}", out.removals);
}

#[test]
fn a_teaser_list_does_not_grow_through_facts_or_the_article_going_on() {
    // "More from …:" over a bulleted list of facts, then the article goes
    // on with a paragraph and a short closing sentence: none of it is a
    // teaser list, and the list of headlines under "Read more" after it is.
    let stripper = Stripper::new(RuleSet::builtin());
    let before = "Calverton's eight public libraries are launching their summer reading challenge \
                  on Saturday, with a target of getting 5,000 children aged four to twelve to \
                  read six books before the end of the school holidays.";
    let facts = "More from the library this summer:\n- Story time: Tuesdays and Thursdays, 10am\n\
                 - Lego club: Saturdays, 2pm";
    let after = "Last year 3,140 children joined the challenge and 1,870 finished it, the library \
                 service said. Staff hope free bus travel will lift both numbers.\n\
                 The challenge ends on 31 August.";
    let text = format!("{before}\n{facts}\n{after}\n");
    let out = stripper.strip(&text);
    assert_eq!(out.text, text, "{:?}", out.removals);
    // Without the facts, the paragraph after the heading is no teaser's
    // summary either: a statement that stays follows it.
    let text =
        format!("{before}\nMore from the library\nStory time for toddlers returns\n{after}\n");
    let out = stripper.strip(&text);
    assert!(
        out.text.contains("The challenge ends"),
        "{:?}",
        out.removals
    );
    assert!(out.text.contains("Last year 3,140"), "{:?}", out.removals);
}

#[test]
fn a_short_heading_in_general_words_opens_a_list_only_after_the_article() {
    // "More court news" over two headlines, after the article's last
    // sentence and among the last lines: a list of other stories.
    let stripper = Stripper::new(RuleSet::builtin());
    let body = "The magistrates adjourned the case until next month, when the defence expects \
                to call two more witnesses from the bus company and a road safety expert who \
                has examined the junction where the crash happened.";
    let list = "More court news\nDriver banned after crash outside primary school\n\
                Landlord fined over damp flats on the estate";
    let text = format!("{body}\n{list}\n");
    let out = stripper.strip(&text);
    assert_eq!(out.text, format!("{body}\n"), "{:?}", out.removals);
    // The same words as an item of a list of content (the line before ends
    // no sentence and stays): nothing goes.
    let text = format!(
        "{body}\nWhat the reviewers liked\nMore storage than before\n\
         Battery that lasts two full working days\nScreen that is easy to read outdoors\n"
    );
    let out = stripper.strip(&text);
    assert_eq!(out.text, text, "{:?}", out.removals);
    // Nor where the article goes on after the list: two scores under
    // "Other results", then the article's last sentences (only the ad
    // label goes).
    let text = format!(
        "{body}\nAdvertisement\nOther results of the round\nMillbrook Town 2-0 Castle Vale\n\
         Hatton Rovers 1-1 Ashby Athletic\nThe league leaders play at home on Saturday.\n\
         Tickets are on sale at the club shop.\n"
    );
    let out = stripper.strip(&text);
    let ad_gone = text.replace("Advertisement\n", "");
    assert_eq!(out.text, ad_gone, "{:?}", out.removals);
    // A heading that ends in a colon introduces what follows.
    let text = format!(
        "{body}\nOther places we liked:\nThe bakery on Mill Street opens at six\n\
         The café by the station has the best view of the river\n"
    );
    let out = stripper.strip(&text);
    assert_eq!(out.text, text, "{:?}", out.removals);
}

#[test]
fn a_row_of_phrases_goes_whole_and_a_row_with_other_words_stays() {
    // A sign-up form's field and button on one line, joined by a bar: every
    // item is a phrase, so the row goes; with an item of other words, not.
    let stripper = Stripper::new(RuleSet::builtin());
    let body = "The council voted on Tuesday to keep the library open on Sundays through \
                the winter, after a petition signed by more than two thousand residents.";
    // Separators of more than one byte mark the items as well.
    for (row, goes) in [
        ("Your email | Sign up", true),
        ("Your email · Sign up", true),
        ("Your email • Sign up", true),
        // (A row holding an email field and short items is a sign-up
        // form by its shape: NWS901 takes it. Without one, other words
        // keep the row.)
        ("Sign up | Tuesday council minutes", false),
    ] {
        let text = format!("{body}\n{row}\n");
        let out = stripper.strip(&text);
        let want = if goes {
            format!("{body}\n")
        } else {
            text.clone()
        };
        assert_eq!(out.text, want, "{row}: {:?}", out.removals);
    }
}

#[test]
fn a_button_cue_takes_a_line_of_buttons_not_a_headline_holding_one() {
    // Under a consent banner, its buttons go; the headline under them holds
    // a button's word ("weigeren") among many others and stays.
    let stripper = Stripper::new(RuleSet::builtin());
    let banner = "Wij gebruiken cookies\nWij en onze partners gebruiken cookies om de site te \
                  laten werken en om advertenties te tonen.\nAkkoord\nWeigeren";
    let headline =
        "Rechter: nieuwssite mag lezers die cookies weigeren niet volledig buitensluiten";
    let body = "De rechtbank heeft bepaald dat de regionale nieuwssite lezers die geen \
                trackingcookies accepteren niet langer volledig mag buitensluiten, zo blijkt \
                uit de uitspraak van dinsdag.";
    let text = format!("{banner}\n{headline}\n{body}\n");
    let out = stripper.strip(&text);
    assert_eq!(
        out.text,
        format!("{headline}\n{body}\n"),
        "{:?}",
        out.removals
    );
}

#[test]
fn a_weak_phrase_next_to_a_removed_line_takes_no_statement() {
    // "avisos" is a weak phrase (a section label); the closing sentence
    // that holds it stays next to the appeal button under it, while a
    // sentence that speaks to the reader would go with it.
    let stripper = Stripper::new(RuleSet::builtin());
    let body = "En la primera semana se han apuntado 2.300 personas, según datos municipales, \
                y la oposición ha pedido que el servicio también llegue a los pueblos.";
    let text = format!("{body}\nLos avisos empiezan el lunes.\nSuscríbete\n");
    let out = stripper.strip(&text);
    assert_eq!(
        out.text,
        format!("{body}\nLos avisos empiezan el lunes.\n"),
        "{:?}",
        out.removals
    );
}

#[test]
fn a_span_is_cut_when_no_rule_would_take_the_rest_of_its_line() {
    // A span is left when what stays of its line would be short enough
    // for a phrase on it to take the whole line: stripping again would.
    // A rule with a regex takes it only if the regex matches what stays:
    // here NWS013's ("Label: our newsletter") does not, so the span goes
    // and stripping again finds nothing more.
    let stripper = Stripper::new(RuleSet::builtin());
    let rest = "Love films? Our Weekend Picks newsletter has the best recommendations, \
                delivered right to your inbox.";
    let text = format!("{rest} Sign up now and be one of the first to know.\n");
    let out = stripper.strip(&text);
    assert_eq!(out.text, format!("{rest}\n"), "{:?}", out.removals);
    let again = stripper.strip(&out.text);
    assert!(again.removals.is_empty(), "{:?}", again.removals);
}

#[test]
fn removals_alone_and_the_pieces_that_stay_make_the_cleaned_text() {
    let stripper = Stripper::new(RuleSet::builtin());
    let sample = include_str!("../../../../tests/fixtures/sample-article.txt");
    let expected = include_str!("../../../../tests/fixtures/sample-article.expected.txt");
    for text in [sample, "", "No boilerplate here.\n", "Advertisement\n"] {
        let outcome = stripper.strip(text);
        let removed = stripper.strip_removals(text);
        assert_eq!(removed.removals, outcome.removals);
        assert_eq!(removed.objections, outcome.objections);
        let pieces: String = crate::kept_pieces(text, &removed.removals).collect();
        assert_eq!(pieces, outcome.text, "{text:?}");
    }
    let pieces: String =
        crate::kept_pieces(sample, &stripper.strip_removals(sample).removals).collect();
    assert_eq!(pieces, expected);
}

#[test]
fn kept_pieces_are_what_lies_between_removals() {
    let removal = |(start, end): (usize, usize)| Removal {
        line: 1,
        bytes: start..end,
        whole_line: true,
        rule_id: "X".to_string(),
        category: Category::Widget,
        phrase: String::new(),
        evidence: Reason::Phrase,
        features: Vec::new(),
    };
    let text = "abcdefghij";
    // (removed byte ranges, pieces that stay)
    type Case<'c> = (&'c [(usize, usize)], &'c [&'c str]);
    let cases: [Case<'_>; 5] = [
        (&[], &["abcdefghij"]),
        (&[(0, 3)], &["defghij"]),
        (&[(7, 10)], &["abcdefg"]),
        (&[(2, 4), (4, 6)], &["ab", "ghij"]),
        (&[(0, 5), (5, 10)], &[]),
    ];
    for (ranges, want) in cases {
        let removals: Vec<Removal> = ranges.iter().copied().map(removal).collect();
        let got: Vec<&str> = crate::kept_pieces(text, &removals).collect();
        assert_eq!(got, want, "{ranges:?}");
    }
}

#[test]
fn a_run_of_short_lines_after_the_article_goes_when_rules_took_most_of_it() {
    // Rules know the ad label, the "Read more:" link and the sign-up box;
    // the site's own heading and a teaser's headline between them go with
    // them, each saying how much of its run the rules took.
    let stripper = Stripper::new(RuleSet::builtin());
    let article = "The harbour board voted on Tuesday to raise mooring fees by twelve per cent \
                   from April, after a long meeting in which fishermen and sailing clubs argued \
                   that the rise would drive boats away.\n\
                   The board's chair said the fees had not risen for six years.\n";
    let tail = "Advertisement\nHarbour Desk favourites\nFerry fares rise for the third year running\n\
                Read more: Dock workers vote on a new contract\nSign up to our newsletter\n\
                Your email address\n";
    let text = format!("{article}{tail}");
    let out = stripper.strip(&text);
    assert_eq!(out.text, article, "{:?}", out.removals);
    let by_run: Vec<(usize, String)> = out
        .removals
        .iter()
        .filter(|r| matches!(r.evidence, Reason::Run { .. }))
        .map(|r| (r.line, r.evidence.to_string()))
        .collect();
    let why = "in a run of short lines after the article, 4 of its 6 removed";
    assert_eq!(by_run, [(4, why.to_string()), (5, why.to_string())]);

    // What stays: a short line right after the article's last long
    // paragraph (it may be the article's own last line), the article's
    // heading over its facts when rules took no more than a third of the
    // run, an item of a list, and a heading over a sentence that stays.
    let prose = "The harbour board voted on Tuesday to raise mooring fees by twelve per cent \
                 from April, after a long meeting in which fishermen and sailing clubs argued \
                 that the rise would drive boats away.\n";
    for (name, tail) in [
        (
            "right after the article",
            "More to follow as the board meets again\nAdvertisement\n\
             Read more: Dock workers vote on a new contract\nSign up to our newsletter\n",
        ),
        (
            "facts under a heading, a third of the run",
            "The fees, as agreed.\nWhat the new fees mean\n\
             Small boats under 8 metres\nYachts between 8 and 15 metres\n\
             Commercial vessels of any size\nRead more: Dock workers vote on a new contract\n\
             Advertisement\n",
        ),
        (
            "items of a list",
            "The fees, as agreed.\nAdvertisement\n- Small boats under 8 metres\n\
             - Yachts between 8 and 15 metres\nRead more: Dock workers vote on a new contract\n\
             Advertisement\n",
        ),
        (
            "a heading over a sentence",
            "The fees, as agreed.\nAdvertisement\nRead more: Dock workers vote on a new contract\n\
             How to object\nWrite to the harbour master before the end of March.\n",
        ),
        (
            "a timetable",
            "The fees, as agreed.\nAdvertisement\nRead more: Dock workers vote on a new contract\n\
             Harbour office hours\nWeekdays 8:30 to 17:00\nSaturdays until 12:00\n\
             The office is closed on public holidays.\n",
        ),
    ] {
        let text = format!("{prose}{tail}");
        let out = stripper.strip(&text);
        assert!(
            out.removals
                .iter()
                .all(|r| !matches!(r.evidence, Reason::Run { .. })),
            "{name}: {:?}",
            out.removals
        );
        assert!(!out.removals.is_empty(), "{name}: the rules' own lines go");
    }
}

#[test]
fn a_menu_row_goes_above_the_article_only() {
    // A row of short items joined by bars is a site's menu above the
    // article's first long sentence; below it, or in a text with no such
    // sentence, the same row may be a list of the text's own.
    let stripper = Stripper::new(RuleSet::builtin());
    let menu = "Streets | Schools | Ferry Times | Letters";
    let prose = "The council voted on Tuesday to keep the library open for another year, after \
                 a long meeting in the town hall with many residents present.";
    let text = format!("{menu}\n{prose}\n{menu}\n");
    let out = stripper.strip(&text);
    assert_eq!(out.text, format!("{prose}\n{menu}\n"), "{:?}", out.removals);
    assert_eq!(out.removals[0].rule_id, "FTR902");
    let alone = format!("{menu}\nSchools reopen on Monday.\n");
    assert_eq!(stripper.strip(&alone).removals, []);
}

/// Two block rules open on one line: the first wants more lines under it
/// than there are, so the line and its list go to the second. A block may
/// also open on a phrase that ends its line (`open = "suffix"`).
#[test]
fn a_line_whose_first_opener_finds_no_block_goes_to_the_next() {
    let rules = r#"
category = "related"

[[rule]]
id = "T-LONG-LIST"
kind = "block"
phrases = ["related"]
open = "line"
grow = "headlines"
min_lines = 6

[[rule]]
id = "T-SHORT-LIST"
kind = "block"
phrases = ["related"]
open = "line"
grow = "headlines"

[[rule]]
id = "T-LAST-WORD"
kind = "block"
phrases = ["relacionados"]
open = "suffix"
grow = "headlines"
"#;
    let mut set = RuleSet::empty();
    set.add_toml("test.toml", rules).unwrap();
    let stripper = Stripper::new(set);
    let body = "The council met on Tuesday and argued for hours about the budget.\n";
    let text = format!("{body}Related\nBridge repairs to start in May\nLibrary hours cut\n");
    let outcome = stripper.strip(&text);
    assert_eq!(outcome.text, body);
    assert!(
        outcome.removals.iter().all(|r| r.rule_id == "T-SHORT-LIST"),
        "{:?}",
        outcome.removals
    );
    let text =
        format!("{body}Artículos relacionados\nObras en el puente\nMenos horas en la biblioteca\n");
    assert_eq!(stripper.strip(&text).text, body);
    let text =
        format!("{body}Relacionados con el puente, los vecinos protestan\nObras en el puente\n");
    assert_eq!(stripper.strip(&text).text, text);
}

/// A menu one item a line at the top goes with the item a rule took;
/// without such an item it stays, and so do its last items over a
/// sentence (a kicker over the standfirst) and the title under it.
#[test]
fn a_menu_at_the_top_goes_with_the_item_a_rule_took() {
    let stripper = stripper();
    let body = "The council met on Tuesday and argued for hours about the budget, the bridge, the library and the pool, and in the end it agreed to nothing at all.\n";
    let titled = format!("Bridge to reopen after repairs\n{body}");
    // The menu goes and the title stays; every removal from line `from`
    // on is the menu's, by `rule`, with its counts.
    let menu_goes = |menu: &str, from: usize, rule: &str, removed: u16, of: u16| {
        let text = format!("{menu}{titled}");
        let outcome = stripper.strip(&text);
        assert_eq!(outcome.text, titled);
        assert!(
            outcome
                .removals
                .iter()
                .filter(|r| r.line >= from)
                .all(|r| r.rule_id == rule && r.evidence == Reason::Menu { removed, of }),
            "{:?}",
            outcome.removals
        );
    };
    menu_goes(
        "Advertisement\nNews\nSport\nCulture\nWeather\n",
        2,
        "T-LINE",
        1,
        5,
    );
    // No item a rule took or a cue names: nothing goes.
    let text = format!("News\nSport\nCulture\nWeather\nBridge to reopen after repairs\n{body}");
    assert_eq!(stripper.strip(&text).text, text);
    // A cue names one ("Home"): the menu goes, none of it removed by rules.
    menu_goes("Home\nNews\nSport\nCulture\n", 1, "T-EXACT", 0, 4);
    // The last item over a sentence is a kicker: it stays, and with it
    // the menu is too short.
    let text = format!("Advertisement\nNews\nSport\nCulture\n{body}");
    assert_eq!(
        stripper.strip(&text).text,
        format!("News\nSport\nCulture\n{body}")
    );
    // Items with digits are cells of a table, not a menu.
    let text = format!("Advertisement\nRound 1\nRound 2\nRound 3\nRound 4\n{body}");
    assert_eq!(
        stripper.strip(&text).text,
        format!("Round 1\nRound 2\nRound 3\nRound 4\n{body}")
    );
}

#[test]
fn markdown_links_read_as_their_text_to_the_rules() {
    // A menu of links above the article and a sign-up link after it go as
    // the same words without link syntax would; a link inside a sentence
    // of the article stays with it.
    let stripper = Stripper::new(RuleSet::builtin());
    let menu =
        "[Home](https://harbour.test/) · [News](/news) · [Sport](/sport) · [Contact](/contact)";
    let article = "The harbour board voted on Tuesday to raise mooring fees by twelve per cent \
                   from April, after a [long meeting](https://harbour.test/minutes) in which \
                   fishermen argued that the rise would drive boats away.";
    let signup = "[Sign up to our newsletter](https://harbour.test/newsletter)";
    let text = format!("{menu}\n{article}\n{signup}\n");
    let out = stripper.strip(&text);
    assert_eq!(out.text, format!("{article}\n"), "{:?}", out.removals);
}

#[test]
fn a_row_of_buttons_goes_with_the_consent_notice_above_it() {
    // The buttons are in the site's own words; a row of them right under a
    // notice a rule took goes with it, a headline under it stays.
    let stripper = Stripper::new(RuleSet::builtin());
    let notice = "We and our 67 partners store and access information on your device to count \
                  visits and show you offers that fit.";
    let article = "Ferry fares rise for the third year running\n\
                   The harbour board voted on Tuesday to raise fares by twelve per cent from \
                   April, after a long meeting in which islanders argued that the rise would \
                   keep visitors away.\n";
    let text = format!("{notice}\nOkay with me | Show options\n{article}");
    let out = stripper.strip(&text);
    assert_eq!(out.text, article, "{:?}", out.removals);
    let buttons = out
        .removals
        .iter()
        .find(|r| r.line == 2)
        .expect("the row went");
    assert_eq!(buttons.evidence, Reason::Buttons { notice_at: 1 });
    assert_eq!(
        buttons.evidence.to_string(),
        "a row of buttons under the consent notice on line 1"
    );

    // Under a line that is no consent notice, the same row stays.
    let text = format!("Advertisement\nOkay with me | Show options\n{article}");
    let out = stripper.strip(&text);
    assert!(
        out.text.starts_with("Okay with me | Show options\n"),
        "{:?}",
        out.removals
    );
}
