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

/// The trap suite written for the guards: content that mentions, quotes or
/// reports boilerplate wording, next to real boilerplate.
#[test]
fn trap_suite_loses_nothing() {
    assert_gates(
        "tests/fixtures/traps.jsonl",
        Gates {
            min_recall: Some(0.90),
            min_precision: Some(0.995),
            max_lost: Some(0),
        },
    );
}

/// The second trap suite, written after the rules in fresh wording: nothing
/// lost there either.
#[test]
fn second_trap_suite_loses_nothing() {
    assert_gates(
        "tests/fixtures/traps2.jsonl",
        Gates {
            min_recall: Some(0.75),
            min_precision: Some(0.995),
            max_lost: Some(0),
        },
    );
}

/// The third trap suite, held out from the rules, the guards and the model
/// when it was written: nothing lost there since the guards for attributions
/// after a comma and for labels heading a sentence.
#[test]
fn third_trap_suite_loses_nothing() {
    assert_gates(
        "tests/fixtures/traps3.jsonl",
        Gates {
            min_recall: Some(0.78),
            min_precision: Some(0.995),
            max_lost: Some(0),
        },
    );
}

/// The fourth trap suite, written without sight of the rules, the guards or
/// the earlier suites (tests/fixtures/traps4.md): nothing lost, and its
/// recall on forty publishers that appear nowhere else kept as a floor.
#[test]
fn fourth_trap_suite_loses_nothing() {
    assert_gates(
        "tests/fixtures/traps4.jsonl",
        Gates {
            min_recall: Some(0.74),
            min_precision: Some(0.995),
            max_lost: Some(0),
        },
    );
}

/// The fifth trap suite, written like the fourth without sight of the
/// rules or the earlier suites (tests/fixtures/traps5.md), in 17 languages.
#[test]
fn fifth_trap_suite_loses_nothing() {
    assert_gates(
        "tests/fixtures/traps5.jsonl",
        Gates {
            min_recall: Some(0.68),
            min_precision: Some(0.995),
            max_lost: Some(0),
        },
    );
}

/// The sixth trap suite (tests/fixtures/traps6.md), in 15 languages among
/// them Japanese, Chinese, Korean and Arabic: nothing lost.
#[test]
fn sixth_trap_suite_loses_nothing() {
    assert_gates(
        "tests/fixtures/traps6.jsonl",
        Gates {
            min_recall: Some(0.75),
            min_precision: Some(0.995),
            max_lost: Some(0),
        },
    );
}

/// The seventh trap suite (tests/fixtures/traps7.md), half of it in an
/// extractor's markdown: its known losses are five lines of one list, an
/// op-ed's "## Further reading" section; one more fails.
#[test]
fn seventh_trap_suite_loses_no_more_than_its_known_lines() {
    assert_gates(
        "tests/fixtures/traps7.jsonl",
        Gates {
            min_recall: Some(0.81),
            min_precision: Some(0.98),
            max_lost: Some(5),
        },
    );
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
