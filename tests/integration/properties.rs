//! Properties of stripping on many generated texts: the output is the input
//! with some lines or spans taken out, in order; stripping twice changes
//! nothing; a text without boilerplate comes out byte for byte.

use std::sync::OnceLock;

use proptest::prelude::*;
use scrubtext::{Outcome, RuleSet, Stripper};

fn stripper() -> &'static Stripper {
    static STRIPPER: OnceLock<Stripper> = OnceLock::new();
    STRIPPER.get_or_init(|| Stripper::new(RuleSet::builtin()))
}

/// Lines of article prose, some of which mention subscriptions, donations,
/// newsletters or copyright the way reporting does.
const PROSE: &[&str] = &[
    "The council voted on Tuesday to raise the fee for parking permits by ten percent.",
    "Residents said the new bus route would cut their commute by half an hour.",
    "\u{201c}We did not expect this many people,\u{201d} the organiser said.",
    "The charity said donations had fallen sharply since the spring.",
    "Subscriptions to streaming services rose again in the third quarter, the report found.",
    "The museum's newsletter first reported the theft last week.",
    "Lawyers argued that the copyright on the song had expired decades ago.",
    "Open to talks",
    "Shares closed 2.4% higher in Frankfurt.",
    "Погода в Москве останется холодной до конца недели.",
    "Le gouvernement a présenté son budget mercredi.",
    "",
    "   ",
    "A",
];

/// Lines that are boilerplate in any article.
const BOILERPLATE: &[&str] = &[
    "Advertisement",
    "Remind me later.",
    "Read more: Council approves new bus route",
    "Continue reading",
    "Sign up for our daily newsletter.",
    "\u{a9} 2024 The Example Times. All rights reserved.",
    "Reporting by Jane Doe; Editing by John Roe",
    "Photograph: Jane Doe/Example Agency",
    "Share on Facebook",
    "Twitter",
    "A Message from The Example Times:",
    "Dear readers,",
    "Please support us monthly starting from just $2.",
];

fn document(lines: Vec<(bool, usize, bool)>, crlf: bool, final_newline: bool) -> String {
    let ending = if crlf { "\r\n" } else { "\n" };
    let mut text = String::new();
    for (i, (boilerplate, index, long)) in lines.iter().enumerate() {
        if i > 0 {
            text.push_str(ending);
        }
        if *boilerplate {
            text.push_str(BOILERPLATE[index % BOILERPLATE.len()]);
        } else if *long {
            // A whole article on one line, with a boilerplate phrase inside.
            for j in 0..40 {
                text.push_str(PROSE[(index + j) % 9]);
                text.push(' ');
            }
            text.push_str(BOILERPLATE[index % BOILERPLATE.len()]);
            text.push_str(" The hearing resumes on Monday.");
        } else {
            text.push_str(PROSE[index % PROSE.len()]);
        }
    }
    if final_newline {
        text.push_str(ending);
    }
    text
}

fn check_removals_explain_output(input: &str, outcome: &Outcome<'_>) {
    let mut rebuilt = String::new();
    let mut at = 0;
    for removal in &outcome.removals {
        assert!(
            removal.bytes.start >= at,
            "removals overlap or are out of order: {:?}",
            outcome.removals
        );
        assert!(removal.bytes.end <= input.len() && removal.bytes.start < removal.bytes.end);
        assert!(
            input.is_char_boundary(removal.bytes.start)
                && input.is_char_boundary(removal.bytes.end)
        );
        if removal.whole_line {
            assert!(
                removal.bytes.start == 0 || input.as_bytes()[removal.bytes.start - 1] == b'\n',
                "whole line starts mid-line"
            );
        }
        rebuilt.push_str(&input[at..removal.bytes.start]);
        at = removal.bytes.end;
    }
    rebuilt.push_str(&input[at..]);
    assert_eq!(
        rebuilt, outcome.text,
        "the output is the input less the removals"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn output_is_input_less_removals_and_stable(
        lines in prop::collection::vec((any::<bool>(), 0usize..64, prop::bool::weighted(0.05)), 0..40),
        crlf in any::<bool>(),
        final_newline in any::<bool>(),
    ) {
        let input = document(lines, crlf, final_newline);
        let outcome = stripper().strip(&input);
        check_removals_explain_output(&input, &outcome);
        let again = stripper().strip(&outcome.text);
        prop_assert!(again.removals.is_empty(), "second pass removed {:?}\nfrom {:?}", again.removals, outcome.text);
        // Lines that stay are byte for byte what they were, endings included,
        // but for a trailing span cut from a long line.
        let input_lines: Vec<&str> = input.split_inclusive('\n').collect();
        for line in outcome.text.split_inclusive('\n') {
            let body = line.trim_end_matches(['\n', '\r']);
            prop_assert!(
                input_lines.contains(&line) || input_lines.iter().any(|l| l.len() > 2000 && l.starts_with(body)),
                "line {line:?} is not in the input"
            );
        }
    }

    #[test]
    fn prose_without_boilerplate_is_untouched(
        lines in prop::collection::vec(0usize..PROSE.len(), 0..60),
        crlf in any::<bool>(),
    ) {
        let ending = if crlf { "\r\n" } else { "\n" };
        let input: String = lines.iter().map(|&i| format!("{}{ending}", PROSE[i])).collect();
        let outcome = stripper().strip(&input);
        prop_assert!(outcome.removals.is_empty(), "removed {:?}", outcome.removals);
        prop_assert_eq!(outcome.text.as_ref(), input.as_str());
    }

    #[test]
    fn arbitrary_text_never_panics_and_is_explained(input in "\\PC{0,200}(\n\\PC{0,80}){0,12}") {
        let outcome = stripper().strip(&input);
        check_removals_explain_output(&input, &outcome);
    }
}

#[test]
fn a_long_line_is_never_removed_whole() {
    let mut line = String::new();
    for i in 0..200 {
        line.push_str(PROSE[i % 9]);
        line.push(' ');
    }
    line.push_str(
        "Please support us monthly starting from just $2. Sign up for our daily newsletter. ",
    );
    line.push_str("The hearing resumes on Monday. Reporting by Jane Doe; Editing by John Roe");
    let input = format!("{line}\n");
    let outcome = stripper().strip(&input);
    check_removals_explain_output(&input, &outcome);
    assert!(
        outcome.removals.iter().all(|r| !r.whole_line),
        "{:?}",
        outcome.removals
    );
    assert!(outcome.text.contains("The hearing resumes on Monday."));
    assert!(
        outcome.text.len() > input.len() - 200,
        "at most a trailing sentence goes"
    );
}

/// Stripping every document of every corpus twice removes nothing the
/// second time: the decision settles, and what it keeps it keeps again.
#[test]
fn every_corpus_document_is_stable_when_stripped_again() {
    assert_corpora_stable(
        stripper(),
        &["dev.jsonl", "dev2.jsonl", "silver-news.jsonl"],
    );
}

/// The same with the learned scorer, as the binary runs by default: it
/// reads the text as the rules leave it, so a second pass sees what the
/// first one saw.
#[test]
fn every_corpus_document_is_stable_with_the_scorer() {
    let scorer = scrubtext::scorer::Scorer::builtin_arc();
    let stripper = Stripper::new(RuleSet::builtin())
        .with_scorer(Some(scorer), scrubtext::ModelSettings::default());
    assert_corpora_stable(&stripper, &["dev.jsonl", "dev2.jsonl"]);
}

fn assert_corpora_stable(stripper: &Stripper, shared: &[&str]) {
    let mut corpora = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/traps.jsonl"
    ))];
    for name in shared {
        if let Some(path) = crate::shared::path(&format!("corpus/{name}")) {
            corpora.push(path);
        }
    }
    let mut unstable = Vec::new();
    let mut documents = 0;
    for path in corpora {
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            let body = record["text"].as_str().unwrap();
            let once = stripper.strip(body).text.into_owned();
            let twice = stripper.strip(&once);
            documents += 1;
            if twice.changed() {
                unstable.push(format!("{}: {:?}", record["id"], twice.removals));
            }
        }
    }
    assert!(documents > 60, "only {documents} documents read");
    assert!(unstable.is_empty(), "{}", unstable.join("\n"));
}
