//! `scrubtext eval` end to end, on small corpora written here and rules of
//! its own (`--no-default-patterns`), so the figures do not move with the
//! built-in rules: silver labels, `--split`, the gates and their exit
//! codes, the languages' table, trimmed and lost lines, and bad documents.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use serde_json::{Value, json};

use crate::sample::{assert_code, stderr_text};

/// Widget rules: "Advertisement" alone on a line, and "Subscribe now"
/// anywhere in a line of at most 40 characters (from a longer line, the
/// trailing sentences that start with it go).
const RULES: &str = r#"category = "widget"

[[rule]]
id = "TST001"
kind = "line"
phrases = ["Advertisement"]

[[rule]]
id = "TST002"
kind = "contains"
phrases = ["subscribe now"]
max_chars = 40
"#;

/// A corpus line from its fields.
fn doc(id: &str, lines: &[(&str, &str)], extra: Value) -> String {
    let text: Vec<&str> = lines.iter().map(|(text, _)| *text).collect();
    let labels: Vec<&str> = lines.iter().map(|(_, label)| *label).collect();
    let mut doc = json!({ "id": id, "text": text.join("\n"), "labels": labels });
    if let (Value::Object(doc), Value::Object(extra)) = (&mut doc, extra) {
        doc.extend(extra);
    }
    doc.to_string()
}

/// A folder holding the rules and the corpora `(file name, lines)`.
fn setup(corpora: &[(&str, Vec<String>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rules.toml"), RULES).unwrap();
    for (name, lines) in corpora {
        std::fs::write(dir.path().join(name), lines.join("\n") + "\n").unwrap();
    }
    dir
}

/// `scrubtext eval` with the test rules, run in `dir`.
fn eval(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scrubtext"))
        .current_dir(dir)
        .args(["eval", "--no-default-patterns", "--patterns", "rules.toml"])
        .args(args)
        .output()
        .expect("scrubtext runs")
}

fn stdout_text(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("standard output is UTF-8")
}

/// The one JSON report of a run on one corpus.
fn json_report(output: &Output) -> Value {
    let text = stdout_text(output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "one JSON line per corpus: {text}");
    serde_json::from_str(lines[0]).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Silver documents: in split `valid` 4 `drop` lines (2 removed), one
/// `keep` line lost, and `unsure` / `blank` lines that count nowhere; one
/// more document in `train` and one without a split, each with one `drop`
/// line removed.
fn silver() -> Vec<String> {
    vec![
        doc(
            "s-train",
            &[("Body of the story.", "keep"), ("Advertisement", "drop")],
            json!({ "split": "train", "lang": "de" }),
        ),
        doc(
            "s-valid",
            &[
                ("Body of the story.", "keep"),
                ("Advertisement", "drop"),
                ("More of the story.", "keep"),
                // After a kept line: not taken along with its neighbours.
                ("Share on Facebook", "drop"),
                ("", "blank"),
                // Removed but not scored.
                ("Subscribe now for free", "unsure"),
                ("By A. Writer", "unsure"),
                ("The end of the story.", "keep"),
            ],
            json!({ "split": "valid", "lang": "en" }),
        ),
        doc(
            "s-lost",
            &[
                ("Body of the story.", "keep"),
                ("Advertisement", "drop"),
                ("More of the story.", "keep"),
                ("Share on Facebook", "drop"),
                ("Subscribe now: it is free", "keep"),
            ],
            json!({ "split": "valid", "lang": "en" }),
        ),
        doc(
            "s-nosplit",
            &[("Body.", "keep"), ("Advertisement", "drop")],
            json!({}),
        ),
    ]
}

#[test]
fn silver_labels_are_scored_in_json() {
    let dir = setup(&[("silver.jsonl", silver())]);
    let output = eval(dir.path(), &["--format", "json", "silver.jsonl"]);
    assert_code(&output, 0);
    let report = json_report(&output);
    assert_eq!(report["documents"], 4);
    assert_eq!(report["drop"]["lines"], 6);
    assert_eq!(report["drop"]["removed"], 4);
    assert_eq!(report["all"]["lines"], 6);
    assert_eq!(report["all"]["removed"], 4);
    assert_eq!(report["unsure"]["lines"], 2);
    assert_eq!(report["unsure"]["removed"], 1);
    assert_eq!(report["content_lost"], 1);
    assert_eq!(report["precision"], 0.8);
    assert_eq!(report["missed"], 2);
    assert_eq!(report["misses"][0]["label"], "drop");
    assert_eq!(report["misses"][0]["doc"], "s-valid");
    assert_eq!(report["misses"][0]["line"], 4);
    assert_eq!(report["losses"][0]["doc"], "s-lost");
    assert_eq!(report["losses"][0]["line"], 5);
    assert_eq!(report["losses"][0]["removed_by"]["rule_id"], "TST002");
    assert_eq!(report["gates"], json!([]));
}

#[test]
fn split_scores_only_its_documents() {
    let dir = setup(&[("silver.jsonl", silver())]);
    let output = eval(dir.path(), &["--split", "valid", "silver.jsonl"]);
    assert_code(&output, 0);
    let text = stdout_text(&output);
    assert!(
        text.starts_with(
            "corpus silver.jsonl, split valid: 2 documents scored (2 outside the split), 12 non-blank lines\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\ndrop             4        2   0.500"),
        "{text}"
    );

    let output = eval(
        dir.path(),
        &["--split", "valid", "--format", "json", "silver.jsonl"],
    );
    let report = json_report(&output);
    assert_eq!(
        (
            &report["split"],
            &report["documents"],
            &report["outside_split"]
        ),
        (&json!("valid"), &json!(2), &json!(2))
    );

    let output = eval(dir.path(), &["--split", "valdi", "silver.jsonl"]);
    assert_code(&output, 0);
    assert!(
        stderr_text(&output).contains("no document in split \"valdi\""),
        "{}",
        stderr_text(&output)
    );
}

#[test]
fn each_gate_fails_with_exit_1_and_passes_with_exit_0() {
    let dir = setup(&[("silver.jsonl", silver())]);
    // On split valid: recall 2/4, precision 2/3, one line lost.
    let cases: &[(&[&str], Option<&str>)] = &[
        (&["--min-recall", "0.5"], None),
        (
            &["--min-recall", "0.6"],
            Some("scrubtext: silver.jsonl: recall 0.500 < 0.600\n"),
        ),
        (&["--min-precision", "0.66"], None),
        (
            &["--min-precision", "0.99"],
            Some("scrubtext: silver.jsonl: precision 0.667 < 0.990\n"),
        ),
        (&["--max-lost", "1"], None),
        (
            &["--max-lost", "0"],
            Some("scrubtext: silver.jsonl: content lines lost 1 > 0\n"),
        ),
    ];
    for (gate, failure) in cases {
        let mut args = vec!["--split", "valid"];
        args.extend_from_slice(gate);
        args.push("silver.jsonl");
        let output = eval(dir.path(), &args);
        match failure {
            None => {
                assert_code(&output, 0);
                assert_eq!(stderr_text(&output), "", "{gate:?}");
            }
            Some(line) => {
                assert_code(&output, 1);
                assert_eq!(&stderr_text(&output), line, "{gate:?}");
            }
        }
        // The report is printed either way.
        assert!(stdout_text(&output).starts_with("corpus silver.jsonl"));
    }
}

#[test]
fn gates_apply_to_each_corpus_and_show_in_json() {
    let clean = vec![doc(
        "c",
        &[("Body.", "keep"), ("Advertisement", "widget")],
        json!({}),
    )];
    let dir = setup(&[("clean.jsonl", clean), ("silver.jsonl", silver())]);
    let output = eval(
        dir.path(),
        &["--min-recall", "0.9", "clean.jsonl", "silver.jsonl"],
    );
    assert_code(&output, 1);
    assert_eq!(
        stderr_text(&output),
        "scrubtext: silver.jsonl: recall 0.667 < 0.900\n"
    );

    let output = eval(
        dir.path(),
        &[
            "--format",
            "json",
            "--max-lost",
            "0",
            "--min-recall",
            "0.9",
            "clean.jsonl",
        ],
    );
    assert_code(&output, 0);
    let gates = &json_report(&output)["gates"];
    assert_eq!(
        gates,
        &json!([
            { "gate": "min_recall", "value": 1.0, "target": 0.9, "passed": true },
            { "gate": "max_lost", "value": 0, "target": 0, "passed": true },
        ])
    );

    // A gate on no document at all fails; an unreadable corpus is still 2.
    let output = eval(
        dir.path(),
        &["--split", "test", "--max-lost", "0", "clean.jsonl"],
    );
    assert_code(&output, 1);
    assert!(
        stderr_text(&output).contains("scrubtext: clean.jsonl: no documents scored\n"),
        "{}",
        stderr_text(&output)
    );
    let output = eval(
        dir.path(),
        &["--min-recall", "0.9", "silver.jsonl", "absent.jsonl"],
    );
    assert_code(&output, 2);
}

#[test]
fn languages_get_a_table() {
    let dir = setup(&[("silver.jsonl", silver())]);
    let output = eval(dir.path(), &["silver.jsonl"]);
    assert_code(&output, 0);
    let text = stdout_text(&output);
    assert!(
        text.contains(
            "\nlanguage    docs  boilerplate  removed  recall  lost  precision\n\
             en             2            4        2   0.500     1      0.667\n\
             de             1            1        1   1.000     0      1.000\n\
             (none)         1            1        1   1.000     0      1.000\n"
        ),
        "{text}"
    );
    let output = eval(dir.path(), &["--format", "json", "silver.jsonl"]);
    let languages = &json_report(&output)["languages"];
    assert_eq!(languages[0]["lang"], "en");
    assert_eq!(languages[0]["documents"], 2);
    assert_eq!(languages[0]["content_lost"], 1);
}

#[test]
fn trimmed_lines_are_apart_from_lost_lines() {
    let corpus = vec![doc(
        "t",
        &[
            // The trailing sentence is under half of the line: trimmed.
            (
                "The council met on Tuesday and agreed on the whole budget for next year. Subscribe now for more.",
                "keep",
            ),
            // Most of the line goes: lost.
            (
                "The budget. Subscribe now for more news and all the rest today.",
                "keep",
            ),
            ("Advertisement", "widget"),
        ],
        json!({}),
    )];
    let dir = setup(&[("gold.jsonl", corpus)]);
    let output = eval(dir.path(), &["--format", "json", "gold.jsonl"]);
    assert_code(&output, 0);
    let report = json_report(&output);
    assert_eq!(report["content_lost"], 1);
    assert_eq!(report["content_trimmed"], 1);
    assert_eq!(report["losses"][0]["line"], 2);
    assert_eq!(report["trims"][0]["line"], 1);
    assert_eq!(report["trims"][0]["cut"], "Subscribe now for more.");

    let output = eval(dir.path(), &["gold.jsonl"]);
    let text = stdout_text(&output);
    assert!(
        text.contains("\nprecision 0.500   content lines lost 1   trimmed 1\n"),
        "{text}"
    );
    assert!(
        text.contains("\nlost:\n  t:2 [TST002 \"Subscribe now\"] The budget. Subscribe now for more news and all the rest today.\n"),
        "{text}"
    );
    assert!(
        text.contains("\ntrimmed:\n  t:1 [TST002 \"Subscribe now\"] The council met on Tuesday and agreed on the whole budget for next year. Subscribe now for more.\n      cut: Subscribe now for more.\n"),
        "{text}"
    );

    let output = eval(dir.path(), &["--show", "trimmed", "gold.jsonl"]);
    let text = stdout_text(&output);
    assert!(
        text.contains("\ntrimmed:\n") && !text.contains("\nlost:\n"),
        "{text}"
    );
}

#[test]
fn examples_cap_every_list() {
    let lines: Vec<String> = (0..5)
        .map(|i| {
            doc(
                &format!("d{i}"),
                &[("Subscribe now!", "keep"), ("Share", "drop")],
                json!({}),
            )
        })
        .collect();
    let dir = setup(&[("many.jsonl", lines)]);
    let output = eval(dir.path(), &["--examples", "2", "many.jsonl"]);
    let text = stdout_text(&output);
    assert!(
        text.contains("\nmisses (first 2 of 5):\n  d0:2 [drop] Share\n  d1:2 [drop] Share\nlost (first 2 of 5):\n  d0:1 [TST002 \"Subscribe now\"] Subscribe now!\n  d1:1"),
        "{text}"
    );
    assert!(!text.contains("d2:"), "{text}");
}

#[test]
fn a_bad_document_stops_the_corpus_unless_skipped() {
    let corpus = vec![
        doc(
            "good",
            &[("Body.", "keep"), ("Advertisement", "widget")],
            json!({}),
        ),
        json!({ "id": "short", "text": "one\ntwo\nthree", "labels": ["keep", "keep"] }).to_string(),
        json!({ "id": "odd", "text": "one\ntwo", "labels": ["keep", "advert"] }).to_string(),
        doc("last", &[("Body.", "keep")], json!({})),
    ];
    let dir = setup(&[("bad.jsonl", corpus)]);
    let output = eval(dir.path(), &["bad.jsonl"]);
    assert_code(&output, 2);
    assert_eq!(
        stderr_text(&output),
        "scrubtext: bad.jsonl:2: document short: 2 labels for 3 text lines\n"
    );
    assert_eq!(stdout_text(&output), "");

    let output = eval(dir.path(), &["--skip-bad", "bad.jsonl"]);
    assert_code(&output, 0);
    let stderr = stderr_text(&output);
    assert!(
        stderr.contains(
            "scrubtext: note: bad.jsonl:2: document short: 2 labels for 3 text lines; skipped\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "scrubtext: note: bad.jsonl:3: document odd: unknown label \"advert\" for text line 2"
        ),
        "{stderr}"
    );
    let text = stdout_text(&output);
    assert!(
        text.starts_with("corpus bad.jsonl: 2 documents, 3 non-blank lines\nskipped 2 bad documents that could not be scored\n"),
        "{text}"
    );

    let output = eval(dir.path(), &["--skip-bad", "--format", "json", "bad.jsonl"]);
    let skipped = &json_report(&output)["skipped"];
    assert_eq!(skipped[0]["id"], "short");
    assert_eq!(skipped[1]["line"], 3);
}

#[test]
fn an_unknown_label_stops_the_corpus_with_exit_2() {
    let corpus = vec![json!({ "id": "odd", "text": "one", "labels": ["advert"] }).to_string()];
    let dir = setup(&[("odd.jsonl", corpus)]);
    let output = eval(dir.path(), &["odd.jsonl"]);
    assert_code(&output, 2);
    assert!(
        stderr_text(&output).starts_with(
            "scrubtext: odd.jsonl:1: document odd: unknown label \"advert\" for text line 1"
        ),
        "{}",
        stderr_text(&output)
    );
}
