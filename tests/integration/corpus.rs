//! Quality on the labeled corpora in `../shared/corpus`, held by the eval
//! gates: recall over all categories but `other`, precision, and not one
//! content line lost.

use std::io::BufReader;

use scrubtext::eval::{self, Gates};
use scrubtext::{RuleSet, Stripper};

/// Scores the corpus `name` with the built-in rules and fails, showing the
/// report, unless it meets `gates`; skips when `../shared` is absent.
fn assert_gates(name: &str, gates: Gates) {
    let path = if name.starts_with("tests/") {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
    } else {
        let Some(path) = crate::shared::path(&format!("corpus/{name}")) else {
            return;
        };
        path
    };
    let file = std::fs::File::open(&path).unwrap();
    let stripper = Stripper::new(RuleSet::builtin());
    let report =
        eval::evaluate(&stripper, BufReader::new(file), name).unwrap_or_else(|e| panic!("{e}"));
    let failures = gates.failures(&report);
    if !failures.is_empty() {
        let mut rendered = Vec::new();
        report.render(&mut rendered, 20).unwrap();
        let failures: Vec<String> = failures.iter().map(ToString::to_string).collect();
        panic!(
            "{name}: {}\n{}",
            failures.join("; "),
            String::from_utf8_lossy(&rendered)
        );
    }
}

#[test]
fn dev_corpus_meets_the_quality_targets() {
    assert_gates(
        "dev.jsonl",
        Gates {
            min_recall: Some(0.92),
            min_precision: Some(0.995),
            max_lost: Some(0),
        },
    );
}

/// The trap suites: content that mentions, quotes or reports boilerplate
/// wording, next to real boilerplate. The first three were written after
/// the guards; the fourth on were written without sight of the rules, the
/// guards or the suites before them, each on publishers and in wording that
/// appear nowhere else (their `.md` files say what is in them and what they
/// showed). Recall floors sit just under what the rules alone reach; every
/// suite loses nothing but the seventh, whose two known lines are of one
/// op-ed's own "## Further reading" section, and the tenth (one line).
const TRAP_SUITES: [(&str, f64, f64, usize); 19] = [
    // (file, recall at least, precision at least, content lines lost at most)
    ("tests/fixtures/traps.jsonl", 0.93, 0.995, 0),
    ("tests/fixtures/traps2.jsonl", 0.90, 0.995, 0),
    ("tests/fixtures/traps3.jsonl", 0.83, 0.995, 0),
    ("tests/fixtures/traps4.jsonl", 0.85, 0.995, 0),
    ("tests/fixtures/traps5.jsonl", 0.83, 0.995, 0),
    ("tests/fixtures/traps6.jsonl", 0.86, 0.995, 0),
    ("tests/fixtures/traps7.jsonl", 0.88, 0.99, 1),
    // Corrections, quotations of chrome and short content lines in 13
    // languages.
    ("tests/fixtures/traps8.jsonl", 0.85, 0.995, 0),
    // Long tails after the article in 14 languages, a third of them
    // flattened to one element a line.
    ("tests/fixtures/traps9.jsonl", 0.78, 0.995, 0),
    // A cross-section of news and blogs in 11 languages; one known line
    // lost, a how-to's closing sentence under two related headlines.
    ("tests/fixtures/traps10.jsonl", 0.76, 0.995, 1),
    // Thirty publishers of eighteen kinds in 13 languages.
    ("tests/fixtures/traps11.jsonl", 0.84, 0.995, 0),
    // Forty pages in 16 languages, most with a long tail of chrome in the
    // site's own words after the article; one known line lost, a tip line
    // of the story ("If you know of a shelter we missed, tell us: tips@…").
    ("tests/fixtures/traps12.jsonl", 0.80, 0.995, 1),
    // Forty pages in 19 languages: boxes in the publisher's own words,
    // chrome at the top of the page, a third flattened.
    ("tests/fixtures/traps13.jsonl", 0.61, 0.995, 0),
    // Thirty pages of a crawler's cross-section in 13 languages; one known
    // line lost, a column quoting a paywall's prompt as its own paragraph.
    ("tests/fixtures/traps14.jsonl", 0.79, 0.99, 1),
    // Thirty pages beyond the news in 9 languages (documentation, forums,
    // service, course and data pages); one known line lost, a
    // first-person sentence about affiliate links.
    ("tests/fixtures/traps15.jsonl", 0.84, 0.99, 1),
    // Thirty-six pages in 14 languages with long tails in each publisher's
    // own words; one known line lost, an essay's "## Further reading" over
    // a sentence and the books it recommends.
    ("tests/fixtures/traps16.jsonl", 0.82, 0.995, 1),
    // Thirty pages in 12 languages, Japanese, Korean and Chinese among
    // them, written blind.
    ("tests/fixtures/traps17.jsonl", 0.80, 0.995, 0),
    // Thirty pages in 12 languages about the ends of articles: short
    // content lines among stacks of chrome.
    ("tests/fixtures/traps18.jsonl", 0.73, 0.995, 0),
    // Thirty pages in 16 languages with chrome in each publisher's own
    // words, markdown links among them.
    ("tests/fixtures/traps19.jsonl", 0.52, 0.995, 0),
];

#[test]
fn trap_suites_meet_their_gates() {
    for (file, recall, precision, lost) in TRAP_SUITES {
        assert_gates(
            file,
            Gates {
                min_recall: Some(recall),
                min_precision: Some(precision),
                max_lost: Some(lost),
            },
        );
    }
}

#[test]
fn dev2_corpus_meets_the_quality_targets() {
    assert_gates(
        "dev2.jsonl",
        Gates {
            min_recall: Some(0.87),
            min_precision: Some(0.995),
            max_lost: Some(0),
        },
    );
}
