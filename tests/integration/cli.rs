//! The command line, end to end, on the built binary.
//!
//! Most cases are declarative: `tests/cmd/*.toml` (with `.stdin`/`.stdout`
//! files beside some of them), run by trycmd. The cases here need what a
//! TOML file cannot hold: JSON to parse, inputs generated at run time
//! (encodings, NUL bytes, CRLF, a single line of up to 100 MB), or a live
//! process whose pipe is closed under it.
//!
//! The sample article (`tests/fixtures/sample-article.txt`) and its cleaned
//! form (`sample-article.expected.txt`) are the specification: exactly the
//! boilerplate lines go, every other line comes out byte for byte.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use clap::{CommandFactory, Parser};
use scrubtext_cli::app::{Status, Streams};
use scrubtext_cli::cli::Cli;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_scrubtext");
const SAMPLE: &str = "tests/fixtures/sample-article.txt";
const EXPECTED: &str = "tests/fixtures/sample-article.expected.txt";

use crate::sample::{SAMPLE_REMOVALS, assert_code, stderr_text};

const CATEGORIES: [&str; 7] = [
    "appeal",
    "newsletter",
    "widget",
    "footer",
    "related",
    "credit",
    "cookie",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> Vec<u8> {
    std::fs::read(root().join(relative)).unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
}

fn read_text(relative: &str) -> String {
    String::from_utf8(read(relative)).unwrap_or_else(|e| panic!("{relative} is not UTF-8: {e}"))
}

/// The binary, run from the crate root so fixture paths are relative.
fn scrubtext() -> Command {
    let mut command = Command::new(BIN);
    command.current_dir(root());
    command
}

fn run(args: &[&str]) -> Output {
    scrubtext().args(args).output().expect("scrubtext runs")
}

fn run_stdin(args: &[&str], stdin: impl Into<Vec<u8>>) -> Output {
    scrubtext()
        .args(args)
        .write_stdin(stdin.into())
        .output()
        .expect("scrubtext runs")
}

fn stdout_text(output: &Output) -> &str {
    std::str::from_utf8(&output.stdout).expect("standard output is UTF-8")
}

/// What differs between two texts, line by line, for failure messages:
/// lines only in `actual` and lines only in `expected`.
fn line_difference(actual: &str, expected: &str) -> String {
    let actual_lines: BTreeSet<&str> = actual.split_inclusive('\n').collect();
    let expected_lines: BTreeSet<&str> = expected.split_inclusive('\n').collect();
    let mut report = String::new();
    for line in actual
        .split_inclusive('\n')
        .filter(|l| !expected_lines.contains(l))
    {
        report.push_str(&format!("  kept but should go: {line:?}\n"));
    }
    for line in expected
        .split_inclusive('\n')
        .filter(|l| !actual_lines.contains(l))
    {
        report.push_str(&format!("  removed but should stay: {line:?}\n"));
    }
    if report.is_empty() {
        report.push_str("  (same lines, different order or repetition)\n");
    }
    report
}

fn assert_same_text(actual: &[u8], expected: &[u8], what: &str) {
    if actual != expected {
        let actual = String::from_utf8_lossy(actual);
        let expected = String::from_utf8_lossy(expected);
        panic!(
            "{what} differs from the expected text:\n{}",
            line_difference(&actual, &expected)
        );
    }
}

/// Parses JSON Lines, failing on any line that is not one JSON object.
fn json_lines(output: &Output) -> Vec<Value> {
    let text = stdout_text(output);
    assert!(
        text.ends_with('\n'),
        "JSON Lines output ends with a newline: {text:?}"
    );
    text.lines()
        .map(|line| {
            let value: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line:?}"));
            assert!(value.is_object(), "each JSON line is an object: {line:?}");
            value
        })
        .collect()
}

/// The id prefix that the rule format gives each category.
fn id_prefix(category: &str) -> &'static str {
    match category {
        "appeal" => "APL",
        "newsletter" => "NWS",
        "widget" => "WGT",
        "footer" => "FTR",
        "related" => "REL",
        "credit" => "CRD",
        "cookie" => "CKE",
        other => panic!("unknown category {other:?}"),
    }
}

/// `(line, rule, category)` of every removal in an `--explain --format
/// json` record.
fn removals_of(record: &Value) -> Vec<(u64, String, String)> {
    record["removals"]
        .as_array()
        .expect("`removals` is an array")
        .iter()
        .map(|r| {
            let line = r["line"].as_u64().expect("`line` is a number");
            let rule = r["rule"].as_str().expect("`rule` is a string").to_string();
            let category = r["category"]
                .as_str()
                .expect("`category` is a string")
                .to_string();
            (line, rule, category)
        })
        .collect()
}

fn explain_json(args: &[&str]) -> Vec<(u64, String, String)> {
    let mut all = vec!["--explain", "--format", "json"];
    all.extend_from_slice(args);
    all.push(SAMPLE);
    let output = run(&all);
    assert_code(&output, 0);
    let records = json_lines(&output);
    assert_eq!(records.len(), 1, "one record per input");
    removals_of(&records[0])
}

#[test]
fn trycmd_cases() {
    trycmd::TestCases::new()
        .register_bin("scrubtext", Path::new(BIN))
        .case("tests/cmd/*.toml");
}

// ---- the sample article -------------------------------------------------

#[test]
fn sample_article_cleans_to_expected() {
    let output = run(&[SAMPLE]);
    assert_code(&output, 0);
    assert_same_text(
        &output.stdout,
        &read(EXPECTED),
        "the cleaned sample article",
    );
    assert!(
        output.stderr.is_empty(),
        "no diagnostics: {}",
        stderr_text(&output)
    );
}

#[test]
fn sample_fixtures_are_consistent() {
    let sample = read_text(SAMPLE);
    let expected = read_text(EXPECTED);
    let sample_lines: Vec<&str> = sample.split_inclusive('\n').collect();
    let kept: Vec<&str> = sample_lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !SAMPLE_REMOVALS.iter().any(|(line, _)| *line == i + 1))
        .map(|(_, line)| *line)
        .collect();
    assert_eq!(
        kept.concat(),
        expected,
        "the expected text is the sample without exactly the listed lines"
    );
    for (line, _) in SAMPLE_REMOVALS {
        assert!(
            !expected.contains(sample_lines[line - 1]),
            "removed line {line} must not also stand elsewhere"
        );
    }
    // tests/cmd/ignore-categories: without the appeal and widget rules.
    let without_appeal_and_widget: String = sample_lines
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            !SAMPLE_REMOVALS
                .iter()
                .any(|(line, category)| *line == i + 1 && !["appeal", "widget"].contains(category))
        })
        .map(|(_, line)| *line)
        .collect();
    assert_eq!(
        read_text("tests/cmd/ignore-categories.stdout"),
        without_appeal_and_widget
    );
}

#[test]
fn trycmd_copies_of_the_sample_stay_in_sync() {
    let copies = [
        ("tests/cmd/clean-sample.stdout", EXPECTED),
        ("tests/cmd/stdin-dash.stdin", SAMPLE),
        ("tests/cmd/stdin-dash.stdout", EXPECTED),
        ("tests/cmd/stdin-implicit.stdin", SAMPLE),
        ("tests/cmd/stdin-implicit.stdout", EXPECTED),
    ];
    for (copy, original) in copies {
        assert!(
            read(copy) == read(original),
            "{copy} must be a byte-for-byte copy of {original}"
        );
    }
}

// ---- JSON reports -------------------------------------------------------

#[test]
fn explain_json_lists_every_removed_line() {
    let sample = read_text(SAMPLE);
    let lines: Vec<&str> = sample.lines().collect();
    let output = run(&["--explain", "--format", "json", SAMPLE, EXPECTED]);
    assert_code(&output, 0);
    let records = json_lines(&output);
    assert_eq!(records.len(), 2, "one record per input");
    assert_eq!(records[0]["path"], SAMPLE);
    assert_eq!(records[1]["path"], EXPECTED);
    assert_eq!(
        records[1]["removals"],
        serde_json::json!([]),
        "the cleaned article has nothing to remove"
    );

    let removals = records[0]["removals"]
        .as_array()
        .expect("`removals` is an array");
    let found: Vec<(u64, &str)> = removals
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap_or(0),
                r["category"].as_str().unwrap_or("?"),
            )
        })
        .collect();
    let wanted: Vec<(u64, &str)> = SAMPLE_REMOVALS
        .iter()
        .map(|(line, c)| (*line as u64, *c))
        .collect();
    assert_eq!(found, wanted, "removed lines and their categories");
    for removal in removals {
        let line = removal["line"].as_u64().unwrap_or(0) as usize;
        let category = removal["category"].as_str().unwrap_or("?");
        let rule = removal["rule"].as_str().unwrap_or("");
        assert!(
            rule.starts_with(id_prefix(category)),
            "rule {rule:?} carries the prefix of {category}"
        );
        assert_eq!(removal["whole_line"], true, "line {line} goes whole");
        assert_eq!(removal["text"], lines[line - 1], "`text` of line {line}");
        let (start, end) = (
            removal["start"].as_u64().unwrap() as usize,
            removal["end"].as_u64().unwrap() as usize,
        );
        assert!(
            sample[start..end].contains(lines[line - 1]),
            "bytes {start}..{end} hold line {line}"
        );
        let phrase = removal["phrase"].as_str().expect("`phrase` is a string");
        assert!(
            lines[line - 1].contains(phrase),
            "phrase {phrase:?} stands on line {line}"
        );
        assert!(
            removal["evidence"]["kind"].is_string(),
            "evidence has a kind: {removal}"
        );
    }
}

#[test]
fn format_json_alone_explains() {
    let explicit = run(&["--explain", "--format", "json", SAMPLE]);
    let implicit = run(&["--format", "json", SAMPLE]);
    assert_code(&implicit, 0);
    assert!(!implicit.stdout.is_empty());
    assert_eq!(stdout_text(&implicit), stdout_text(&explicit));
}

#[test]
fn check_json_has_one_record_per_input() {
    let output = run(&["--check", "--format", "json", SAMPLE, EXPECTED]);
    assert_code(&output, 1);
    let records = json_lines(&output);
    assert_eq!(
        records,
        vec![
            serde_json::json!({
                "path": SAMPLE,
                "boilerplate": true,
                "removals": 10,
                "categories": {"appeal": 5, "credit": 1, "footer": 2, "related": 1, "widget": 1},
            }),
            serde_json::json!({"path": EXPECTED, "boilerplate": false, "removals": 0, "categories": {}}),
        ]
    );
}

#[test]
fn check_json_on_clean_input_exits_zero() {
    let output = run(&["--check", "--format", "json", EXPECTED]);
    assert_code(&output, 0);
    assert_eq!(json_lines(&output)[0]["boilerplate"], false);
}

// ---- the rules subcommand and rule selection ----------------------------

#[test]
fn rules_text_and_json_list_the_same_ids() {
    let text = run(&["rules"]);
    assert_code(&text, 0);
    let mut text_ids = Vec::new();
    // Each rule's line is followed by an indented line of its phrases.
    let mut phrase_lines = 0;
    for line in stdout_text(&text).lines() {
        if let Some(phrases) = line.strip_prefix("         phrases: ") {
            assert!(phrases.starts_with('"'), "{line:?}");
            phrase_lines += 1;
            continue;
        }
        let mut fields = line.split_whitespace();
        let id = fields.next().expect("a line starts with the id");
        let category = fields.next().expect("then the category");
        assert!(
            id.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "id {id:?}"
        );
        assert!(
            CATEGORIES.contains(&category),
            "category {category:?} on {line:?}"
        );
        assert!(
            id.starts_with(id_prefix(category)),
            "{id} carries the prefix of {category}"
        );
        text_ids.push(id.to_string());
    }
    let unique: BTreeSet<&String> = text_ids.iter().collect();
    assert_eq!(unique.len(), text_ids.len(), "ids are unique");
    assert_eq!(phrase_lines, text_ids.len(), "every rule shows its phrases");
    assert!(
        text_ids.windows(2).all(|w| w[0] < w[1]),
        "sorted by id: {text_ids:?}"
    );

    let json = run(&["rules", "--format", "json"]);
    assert_code(&json, 0);
    let json_ids: Vec<String> = json_lines(&json)
        .iter()
        .map(|r| r["id"].as_str().expect("`id` is a string").to_string())
        .collect();
    assert_eq!(json_ids, text_ids);
}

#[test]
fn builtin_rules_cover_every_category() {
    let output = run(&["rules", "--format", "json"]);
    assert_code(&output, 0);
    let mut per_category: BTreeMap<String, usize> = BTreeMap::new();
    for record in json_lines(&output) {
        *per_category
            .entry(
                record["category"]
                    .as_str()
                    .expect("`category` is a string")
                    .to_string(),
            )
            .or_default() += 1;
    }
    let missing: Vec<&str> = CATEGORIES
        .iter()
        .copied()
        .filter(|c| !per_category.contains_key(*c))
        .collect();
    assert!(
        missing.is_empty(),
        "no built-in rule in {missing:?} (have {per_category:?})"
    );
}

#[test]
fn rules_select_category_lists_only_that_category() {
    let output = run(&["rules", "--select", "appeal"]);
    assert_code(&output, 0);
    let lines: Vec<&str> = stdout_text(&output)
        .lines()
        .filter(|l| !l.starts_with(' '))
        .collect();
    assert!(!lines.is_empty());
    assert!(
        lines
            .iter()
            .all(|l| l.split_whitespace().nth(1) == Some("appeal")),
        "{lines:#?}"
    );

    let output = run(&["rules", "--ignore", "appeal"]);
    assert_code(&output, 0);
    let lines: Vec<&str> = stdout_text(&output)
        .lines()
        .filter(|l| !l.starts_with(' '))
        .collect();
    assert!(!lines.is_empty());
    assert!(
        lines
            .iter()
            .all(|l| l.split_whitespace().nth(1) != Some("appeal")),
        "{lines:#?}"
    );
}

#[test]
fn select_and_ignore_by_id() {
    let all = explain_json(&[]);
    let (_, id, _) = all
        .iter()
        .find(|(line, _, _)| *line == 2)
        .expect("line 2 (Advertisement) is removed")
        .clone();

    let selected = explain_json(&["--select", &id]);
    assert!(
        selected.iter().any(|(line, _, _)| *line == 2),
        "{id} alone still removes line 2"
    );
    assert!(
        selected.iter().all(|(_, rule, _)| *rule == id),
        "only {id} fires: {selected:?}"
    );

    let lowercase = explain_json(&["--select", &id.to_lowercase()]);
    assert_eq!(lowercase, selected, "ids are matched case-insensitively");

    let ignored = explain_json(&["--ignore", &id]);
    assert!(
        ignored.iter().all(|(_, rule, _)| *rule != id),
        "{id} never fires when ignored: {ignored:?}"
    );
    let still: BTreeSet<u64> = ignored.iter().map(|(line, _, _)| *line).collect();
    for (line, rule, _) in all.iter().filter(|(line, _, _)| *line != 2) {
        assert!(
            still.contains(line),
            "line {line} ({rule}) still goes without {id}: {ignored:?}"
        );
    }
}

#[test]
fn select_category_runs_only_its_rules() {
    let widget = explain_json(&["--select", "widget"]);
    assert!(
        widget.iter().any(|(line, _, _)| *line == 2),
        "the advertisement label goes: {widget:?}"
    );
    assert!(
        widget.iter().all(|(_, _, category)| category == "widget"),
        "{widget:?}"
    );
    let content_or_other: Vec<u64> = widget
        .iter()
        .map(|(line, _, _)| *line)
        .filter(|line| ![2, 19].contains(line))
        .collect();
    assert!(
        content_or_other.is_empty(),
        "widget rules alone remove only lines 2 and 19: {widget:?}"
    );
}

#[test]
fn ignore_category_keeps_its_lines() {
    let output = run(&["--ignore", "widget", SAMPLE]);
    assert_code(&output, 0);
    let text = stdout_text(&output);
    assert!(
        text.lines().any(|l| l == "Advertisement"),
        "the advertisement label stays:\n{text}"
    );
    assert!(
        !text.contains("Read more:"),
        "other categories still work:\n{text}"
    );
}

#[test]
fn no_default_patterns_passes_text_through() {
    let output = run(&["--no-default-patterns", SAMPLE]);
    assert_code(&output, 0);
    assert_same_text(&output.stdout, &read(SAMPLE), "output without rules");

    let output = run(&["rules", "--no-default-patterns"]);
    assert_code(&output, 0);
    assert!(
        output.stdout.is_empty(),
        "no rules listed: {}",
        stdout_text(&output)
    );
}

#[test]
fn user_rule_folder_adds_its_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        root().join("tests/fixtures/user-rules.toml"),
        dir.path().join("courier.toml"),
    )
    .expect("copy");
    std::fs::write(dir.path().join("notes.txt"), "kind = \"not a rule file\"\n").expect("write");
    let folder = dir.path().to_str().expect("UTF-8 temp path");
    let output = run(&["rules", "--no-default-patterns", "--patterns", folder]);
    assert_code(&output, 0);
    let ids: Vec<&str> = stdout_text(&output)
        .lines()
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        ids,
        ["USR001"],
        "the .toml file is read, the .txt file is not"
    );
}

#[test]
fn user_rule_id_clashing_with_builtin_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("clash.toml");
    let source = "category = \"widget\"\n\n[[rule]]\nid = \"WGT001\"\nkind = \"line\"\nphrases = [\"listen to this story\"]\n";
    std::fs::write(&path, source).expect("write");
    let path = path.to_str().expect("UTF-8 temp path");
    let output = run(&["--patterns", path, SAMPLE]);
    assert_code(&output, 2);
    assert!(
        output.stdout.is_empty(),
        "nothing is cleaned with a broken rule set"
    );
    let stderr = stderr_text(&output);
    assert!(
        stderr.starts_with(&format!("scrubtext: {path}:4:")),
        "names file:line:col: {stderr}"
    );
    assert!(stderr.contains("WGT001"), "names the id: {stderr}");
}

// ---- errors -------------------------------------------------------------

#[test]
fn binary_input_is_refused_and_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("picture.png");
    std::fs::write(
        &path,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x01\x00",
    )
    .expect("write");
    let path = path.to_str().expect("UTF-8 temp path");
    let output = run(&[path, EXPECTED]);
    assert_code(&output, 2);
    let stderr = stderr_text(&output);
    assert!(
        stderr.starts_with(&format!("scrubtext: {path}: ")),
        "names the path: {stderr}"
    );
    assert!(stderr.contains("binary"), "says why: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one message: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_same_text(
        &output.stdout,
        &read(EXPECTED),
        "the good file after the binary one",
    );
}

/// In a folder, a binary file is skipped with a note, not an error.
#[test]
fn binary_file_found_in_a_folder_is_skipped() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("a.bin"), b"\x00\x01\x02\x03 index").expect("write");
    std::fs::write(
        dir.path().join("b.txt"),
        "Pier repairs begin\nAdvertisement\nWork starts on Monday.\n",
    )
    .expect("write");
    let folder = dir.path().to_str().expect("UTF-8 temp path");
    let output = run(&["--check", folder]);
    assert_code(&output, 1);
    let b = dir.path().join("b.txt");
    assert_eq!(
        stdout_text(&output),
        format!("{}: 1 removal (widget 1)\n", b.display())
    );
    let stderr = stderr_text(&output);
    let a = dir.path().join("a.bin");
    assert!(
        stderr.contains(&format!("note: skipping {}", a.display())),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn binary_stdin_is_refused() {
    let output = run_stdin(
        &["--check"],
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(),
    );
    assert_code(&output, 2);
    assert!(output.stdout.is_empty());
    let stderr = stderr_text(&output);
    assert!(
        stderr.starts_with("scrubtext: <stdin>: ") && stderr.contains("binary"),
        "{stderr}"
    );
}

#[test]
fn other_mode_pairs_conflict() {
    for pair in [["--check", "--explain"], ["--diff", "--explain"]] {
        let output = run(&[pair[0], pair[1], SAMPLE]);
        assert_code(&output, 2);
        assert!(output.stdout.is_empty());
        assert!(
            stderr_text(&output).contains("cannot be used with"),
            "{pair:?}: {}",
            stderr_text(&output)
        );
    }
}

// ---- the process and its streams ----------------------------------------

/// `scrubtext big.txt | head -c 64`: the reader goes away early; the run
/// must stop quietly (no panic, no message, exit 0) in every mode.
#[test]
fn closed_stdout_pipe_ends_quietly() {
    let sample = read_text(SAMPLE);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("many-articles.txt");
    // About 1 MB: far more output than a pipe buffer plus the binary's
    // output buffer hold, in every mode.
    std::fs::write(&path, sample.repeat(400)).expect("write");
    for mode in [None, Some("--diff"), Some("--explain")] {
        let mut command = std::process::Command::new(BIN);
        command
            .args(mode)
            .arg(&path)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("scrubtext starts");
        let mut reader = child.stdout.take().expect("piped stdout");
        let mut head = [0u8; 64];
        reader
            .read_exact(&mut head)
            .expect("the first bytes arrive");
        drop(reader);
        let output = child.wait_with_output().expect("scrubtext ends");
        let stderr = stderr_text(&output);
        assert!(!stderr.contains("panicked"), "{mode:?}: {stderr}");
        assert!(
            stderr.is_empty(),
            "{mode:?}: nothing to say about a closed pipe: {stderr}"
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "{mode:?}: {:?}",
            output.status
        );
    }
}

#[test]
fn crlf_line_endings_are_kept() {
    let sample = read_text(SAMPLE).replace('\n', "\r\n");
    let expected = read_text(EXPECTED).replace('\n', "\r\n");
    let output = run_stdin(&[], sample);
    assert_code(&output, 0);
    assert_same_text(
        &output.stdout,
        expected.as_bytes(),
        "the cleaned CRLF sample",
    );
}

/// Size of the generated one-line page: 100 MB in release builds, 20 MB in
/// debug builds (where the unoptimised binary is several times slower).
const HUGE: usize = if cfg!(debug_assertions) {
    20 << 20
} else {
    100 << 20
};
/// Longest a run on the huge line may take; time must grow linearly with
/// the length of the line.
const HUGE_TIME_LIMIT: Duration = Duration::from_secs(60);

/// About `HUGE` bytes of article prose on one line, with `inserts` put in
/// at the given fractions of the length, then `tail` and a newline. Returns
/// the text and the byte offset of each insert.
fn huge_line(inserts: &[(f64, &str)], tail: &str) -> (String, Vec<usize>) {
    const SENTENCES: [&str; 4] = [
        "The regional water board said the reservoir reached its highest level in a decade after weeks of rain. ",
        "Farmers downstream asked for earlier warnings before the spillway gates are opened. ",
        "Engineers will inspect the dam wall again in the spring, the board said in a statement. ",
        "Anglers reported that the new footpath along the east shore was already busy at weekends. ",
    ];
    let mut text = String::with_capacity(HUGE + 1024);
    let mut offsets = Vec::new();
    let mut next = 0;
    while text.len() < HUGE {
        if let Some((_, insert)) = inserts
            .get(offsets.len())
            .filter(|(at, _)| text.len() as f64 >= at * HUGE as f64)
        {
            offsets.push(text.len());
            text.push_str(insert);
        }
        text.push_str(SENTENCES[next % SENTENCES.len()]);
        next += 1;
    }
    assert_eq!(offsets.len(), inserts.len(), "every insert is in");
    text.push_str(tail);
    text.push('\n');
    (text, offsets)
}

/// Runs the binary on `input` (through a file, output to a file) and fails
/// when it takes longer than `HUGE_TIME_LIMIT`. Returns standard output.
fn run_huge(input: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("one-line.txt");
    let (out_path, err_path) = (dir.path().join("out.txt"), dir.path().join("err.txt"));
    std::fs::write(&path, input).expect("write");
    let started = Instant::now();
    let mut child = std::process::Command::new(BIN)
        .arg(&path)
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).expect("create"))
        .stderr(File::create(&err_path).expect("create"))
        .spawn()
        .expect("scrubtext starts");
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > HUGE_TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "a {} MB single line took more than {HUGE_TIME_LIMIT:?} (time not linear in the line length?)",
                HUGE >> 20
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    eprintln!("{} MB single line: {:?}", HUGE >> 20, started.elapsed());
    let stderr = std::fs::read_to_string(&err_path).expect("read stderr");
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    std::fs::read(&out_path).expect("read stdout")
}

/// A whole scraped page on one huge line that ends in an appeal: it
/// finishes in time, and at most that one short trailing span is cut; the
/// footer words in the middle of the line and everything else stay.
#[test]
fn huge_single_line_with_trailing_appeal() {
    const MIDDLE: &str = "Reporting by Alex Morgan; editing by Sam Lee. ";
    const TAIL: &str = "If you value our reporting, please consider making a donation today.";
    let (input, offsets) = huge_line(&[(0.5, MIDDLE)], TAIL);
    let out = run_huge(&input);

    let input = input.as_bytes();
    let prefix = input.iter().zip(&out).take_while(|(a, b)| a == b).count();
    let room = out.len() - prefix;
    let suffix = input
        .iter()
        .rev()
        .zip(out.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    assert_eq!(
        prefix + suffix,
        out.len(),
        "the output is the input with one span cut out"
    );
    let cut = prefix..input.len() - suffix;
    assert!(
        cut.len() <= TAIL.len() + 2,
        "at most the trailing appeal goes, not {} bytes",
        cut.len()
    );
    assert!(
        cut.is_empty() || cut.start > offsets[0] + MIDDLE.len(),
        "the mid-line words stay"
    );
    assert!(out.ends_with(b"\n"), "the line ending stays");
}

/// The same page with the footer words and an appeal glued into the middle
/// of the line and prose at its end: nothing is trailing, so the output is
/// the input, byte for byte, and in time.
#[test]
fn huge_single_line_with_boilerplate_inside() {
    let inserts = [
        (0.3, "Reporting by Alex Morgan; editing by Sam Lee. "),
        (
            0.6,
            "If you value our reporting, please consider making a donation today. ",
        ),
    ];
    let (input, _) = huge_line(&inserts, "The board meets again on Friday.");
    let out = run_huge(&input);
    assert!(
        out == input.as_bytes(),
        "the output is the input ({} bytes in, {} out)",
        input.len(),
        out.len()
    );
}

#[test]
fn windows_1252_input_is_decoded() {
    let input: &[u8] = b"Caf\xe9 owners welcome Harlow\x92s new parking rules\n\
        Advertisement\n\
        Owners of the caf\xe9s and cr\xeaperies on Main Street said the two-hour limit \x96 in force from Monday \x96 would free spaces for customers.\n\
        \x93It is the first good news this winter,\x94 said Ren\xe9e Dubois, who runs a p\xe2tisserie near the square. Fines rise to \x8030.\n";
    let expected = "Caf\u{e9} owners welcome Harlow\u{2019}s new parking rules\n\
        Owners of the caf\u{e9}s and cr\u{ea}peries on Main Street said the two-hour limit \u{2013} in force from Monday \u{2013} would free spaces for customers.\n\
        \u{201c}It is the first good news this winter,\u{201d} said Ren\u{e9}e Dubois, who runs a p\u{e2}tisserie near the square. Fines rise to \u{20ac}30.\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cp1252.txt");
    std::fs::write(&path, input).expect("write");
    let path = path.to_str().expect("UTF-8 temp path");
    for args in [
        vec![path],
        vec!["--encoding", "windows-1252", path],
        vec!["--encoding", "latin1", path],
    ] {
        let output = run(&args);
        assert_code(&output, 0);
        assert!(
            std::str::from_utf8(&output.stdout).is_ok(),
            "{args:?}: the output is UTF-8"
        );
        assert_same_text(
            &output.stdout,
            expected.as_bytes(),
            &format!("{args:?}: the cleaned windows-1252 text"),
        );
    }
}

#[test]
fn utf16_input_with_bom_is_decoded() {
    let sample = read_text(SAMPLE);
    let little: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(sample.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let big: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(sample.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    for (name, bytes) in [("UTF-16LE", little), ("UTF-16BE", big)] {
        let output = run_stdin(&[], bytes);
        assert_code(&output, 0);
        assert_same_text(
            &output.stdout,
            &read(EXPECTED),
            &format!("the cleaned {name} sample (as UTF-8)"),
        );
    }
}

// ---- in process, through `scrubtext_cli::app::run` --------------------------

/// What an in-process run gave: its status and both streams as text.
struct Ran {
    status: Status,
    stdout: String,
    stderr: String,
}

/// Runs scrubtext in this process (paths relative to the crate root, the
/// working folder of tests), with `stdin` as standard input.
fn run_in_process_with(args: &[&str], stdin: &[u8], stdout: &mut dyn std::io::Write) -> Ran {
    let cli = Cli::try_parse_from(std::iter::once("scrubtext").chain(args.iter().copied()))
        .unwrap_or_else(|e| panic!("{args:?} do not parse: {e}"));
    let mut input = stdin;
    let mut stderr = Vec::new();
    let status = scrubtext_cli::app::run(
        cli,
        Streams {
            stdin: &mut input,
            stdout,
            stderr: &mut stderr,
            stdout_is_terminal: false,
            stderr_is_terminal: false,
        },
    );
    Ran {
        status,
        stdout: String::new(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

fn run_in_process(args: &[&str], stdin: &[u8]) -> Ran {
    let mut stdout = Vec::new();
    let mut ran = run_in_process_with(args, stdin, &mut stdout);
    ran.stdout = String::from_utf8_lossy(&stdout).into_owned();
    ran
}

/// `--split LINE`: each document between separator lines is cleaned alone
/// (in parallel), the separators stay, and reports count lines in the whole
/// input.
#[test]
fn split_cleans_each_document_alone_and_keeps_the_separators() {
    let documents = [
        "First story opens here.\nAdvertisement\nIt ends here.\n",
        "Second story.\nAdvertisement\nMore of the second.\n",
        "Third story, no chrome at all.\n",
    ];
    let input = documents.join("---\n");
    let mut expected = Vec::new();
    for document in documents {
        let ran = run_in_process(&["-"], document.as_bytes());
        expected.push(ran.stdout);
    }
    for threads in ["1", "3"] {
        let ran = run_in_process(&["--split", "---", "-j", threads, "-"], input.as_bytes());
        assert_eq!(ran.status, Status::Clean, "{}", ran.stderr);
        assert_eq!(ran.stdout, expected.join("---\n"));
    }
    let ran = run_in_process(&["--split", "---", "--explain", "-"], input.as_bytes());
    let lines: Vec<&str> = ran.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "<stdin>:2: WGT001 widget line: \"Advertisement\"",
            "<stdin>:6: WGT001 widget line: \"Advertisement\""
        ],
        "{}",
        ran.stdout
    );
    // Without --split, "---" is a line of one document like any other.
    let ran = run_in_process(&["-"], input.as_bytes());
    assert!(ran.stdout.contains("---\n"), "{}", ran.stdout);
    let refused = Cli::try_parse_from(["scrubtext", "--split", "", "-"]);
    assert!(refused.is_err());
}

/// `--max-document-bytes`: a text input, a document of one cut with
/// `--split`, or a JSON Lines record over the limit is an error naming it
/// (exit 2); the rest of the batch is cleaned, and a record over the limit
/// passes through unchanged.
#[test]
fn documents_over_the_limit_are_errors_naming_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let large = dir.path().join("large.txt");
    let small = dir.path().join("small.txt");
    std::fs::write(&large, "A long story.\nAdvertisement\n".repeat(10)).unwrap();
    std::fs::write(&small, "Short.\nAdvertisement\n").unwrap();
    let (large, small) = (large.to_str().unwrap(), small.to_str().unwrap());
    let ran = run_in_process(&["--max-document-bytes", "100", large, small], b"");
    assert_eq!(ran.status, Status::Error, "{}", ran.stderr);
    assert!(
        ran.stderr
            .contains("large.txt: 280 bytes is more than --max-document-bytes 100"),
        "{}",
        ran.stderr
    );
    assert_eq!(ran.stdout, "Short.\n");

    let split = "One.\nAdvertisement\n---\nTwo, a longer document than the limit allows.\n";
    let ran = run_in_process(
        &["--max-document-bytes", "30", "--split", "---", "-"],
        split.as_bytes(),
    );
    assert_eq!(ran.status, Status::Error);
    assert!(
        ran.stderr
            .contains("the document from line 4 is 46 bytes, more than --max-document-bytes 30"),
        "{}",
        ran.stderr
    );

    let records = format!(
        "{{\"text\":\"Keep.\\nAdvertisement\"}}\n{{\"text\":\"{}\"}}\n",
        "x".repeat(200)
    );
    let ran = run_in_process(
        &["--max-document-bytes", "1K", "--jsonl", "-"],
        records.as_bytes(),
    );
    assert_eq!(ran.status, Status::Clean, "{}", ran.stderr);
    let ran = run_in_process(
        &["--max-document-bytes", "100", "--jsonl", "-"],
        records.as_bytes(),
    );
    assert_eq!(ran.status, Status::Error);
    assert!(
        ran.stderr.contains(":2: the record is 212 bytes"),
        "{}",
        ran.stderr
    );
    let second = records.lines().nth(1).unwrap();
    assert_eq!(ran.stdout, format!("{{\"text\":\"Keep.\\n\"}}\n{second}\n"));
    for bad in ["0", "3X", "K", "-1"] {
        assert!(
            Cli::try_parse_from(["scrubtext", "--max-document-bytes", bad, "-"]).is_err(),
            "{bad}"
        );
    }
}

/// A standard output that takes every write and fails to flush, as a
/// buffered writer over a full disk (`> /dev/full`) does.
struct FullDisk;

impl std::io::Write for FullDisk {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Err(std::io::Error::from(std::io::ErrorKind::StorageFull))
    }
}

#[test]
fn a_failed_final_flush_is_an_error() {
    let corpus = tempfile::tempdir().expect("temp dir");
    let path = corpus.path().join("c.jsonl");
    std::fs::write(
        &path,
        "{\"id\":\"a\",\"text\":\"Body.\\nAdvertisement\",\"labels\":[\"keep\",\"widget\"]}\n",
    )
    .expect("write corpus");
    let corpus_arg = path.to_str().expect("UTF-8 path");
    for args in [
        vec!["rules"],
        vec!["rules", "--format", "json"],
        vec!["eval", corpus_arg],
        vec![SAMPLE],
    ] {
        let ran = run_in_process_with(&args, b"", &mut FullDisk);
        assert_eq!(ran.status, Status::Error, "{args:?}: {}", ran.stderr);
        assert_eq!(
            ran.stderr, "scrubtext: cannot write output: no space left on device\n",
            "{args:?}"
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn rules_into_dev_full_fails() {
    let output = std::process::Command::new(BIN)
        .current_dir(root())
        .arg("rules")
        .stdout(File::create("/dev/full").expect("/dev/full"))
        .output()
        .expect("scrubtext runs");
    assert_code(&output, 2);
    assert_eq!(
        stderr_text(&output),
        "scrubtext: cannot write output: no space left on device\n"
    );
}

#[test]
fn rule_options_may_come_before_a_subcommand() {
    let ran = run_in_process(
        &[
            "--no-default-patterns",
            "--patterns",
            "tests/fixtures/user-rules.toml",
            "rules",
        ],
        b"",
    );
    assert_eq!(ran.status, Status::Clean, "{}", ran.stderr);
    assert!(ran.stdout.starts_with("USR001 "), "{}", ran.stdout);
    let ran = run_in_process(&["--select", "credit", "rules"], b"");
    assert_eq!(ran.status, Status::Clean, "{}", ran.stderr);
    let categories: BTreeSet<&str> = ran
        .stdout
        .lines()
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert_eq!(categories, BTreeSet::from(["credit"]), "{}", ran.stdout);
    // Before and after the subcommand, together.
    let ran = run_in_process(&["--select", "credit", "rules", "--select", "footer"], b"");
    let categories: BTreeSet<&str> = ran
        .stdout
        .lines()
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert_eq!(categories, BTreeSet::from(["credit", "footer"]));
    // Cleaning options are refused, by name.
    let ran = run_in_process(&["--check", "rules"], b"");
    assert_eq!(ran.status, Status::Error);
    assert_eq!(
        ran.stderr,
        "scrubtext: --check does not apply to `scrubtext rules`\n"
    );
}

#[test]
fn select_takes_spaces_after_commas() {
    let ran = run_in_process(&["rules", "--select", "credit, footer"], b"");
    assert_eq!(ran.status, Status::Clean, "{}", ran.stderr);
    assert!(ran.stdout.contains("CRD") && ran.stdout.contains("FTR"));
    let ran = run_in_process(&["--ignore", "widget , appeal", SAMPLE], b"");
    assert_eq!(ran.status, Status::Clean, "{}", ran.stderr);
    assert!(ran.stdout.contains("\nAdvertisement\n"), "{}", ran.stdout);
}

/// A rule file of which one `match` and one `no_match` example fail.
const FAILING_RULES: &str = r#"category = "related"

[[rule]]
id = "USR010"
kind = "prefix"
description = "teasers"
phrases = ["courier extra:"]
match = ["Courier Extra: ferries", "Read on: something else"]
no_match = ["Courier Extra: it fires here"]
"#;

#[test]
fn rules_test_names_each_failing_example() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("mine.toml");
    std::fs::write(&path, FAILING_RULES).expect("write rules");
    let name = path.to_str().expect("UTF-8 path");
    let ran = run_in_process(&["rules", "--test", name], b"");
    assert_eq!(ran.status, Status::Found, "{}{}", ran.stdout, ran.stderr);
    assert_eq!(
        ran.stdout,
        format!(
            "{name}:3: USR010 does not fire on its `match` example \"Read on: something else\"\n\
             {name}:3: USR010 fires on its `no_match` example \"Courier Extra: it fires here\"\n\
             3 examples of 1 rule checked: 2 failed\n"
        )
    );
    let ran = run_in_process(&["rules", "--test", "tests/fixtures/user-rules.toml"], b"");
    assert_eq!(ran.status, Status::Clean, "{}", ran.stdout);
    assert_eq!(ran.stdout, "2 examples of 1 rule checked: 0 failed\n");
    // The built-in rules hold their examples.
    let ran = run_in_process(&["rules", "--test"], b"");
    assert_eq!(ran.status, Status::Clean, "{}", ran.stdout);
    assert!(
        ran.stdout.ends_with("checked: 0 failed\n"),
        "{}",
        ran.stdout
    );
    // --strict checks them when --patterns loads the file.
    let ran = run_in_process(&["--strict", "--patterns", name, SAMPLE], b"");
    assert_eq!(ran.status, Status::Error);
    assert!(ran.stdout.is_empty());
    assert_eq!(
        ran.stderr,
        format!(
            "scrubtext: --strict: 2 examples of the rules of --patterns do not hold:\n\
             {name}:3: USR010 does not fire on its `match` example \"Read on: something else\"\n\
             {name}:3: USR010 fires on its `no_match` example \"Courier Extra: it fires here\"\n"
        )
    );
    let ran = run_in_process(&["--patterns", name, SAMPLE], b"");
    assert_eq!(
        ran.status,
        Status::Clean,
        "without --strict: {}",
        ran.stderr
    );
}

#[test]
fn help_names_cookie_notices_and_the_rules_json_format() {
    let help = Cli::command().render_long_help().to_string();
    assert!(help.contains("cookie notices"), "{help}");
    let mut command = Cli::command();
    let rules = command
        .find_subcommand_mut("rules")
        .expect("a rules subcommand");
    let help = rules.render_long_help().to_string();
    assert!(help.contains("one object per rule"), "{help}");
    assert!(!help.contains("per input"), "{help}");
}

#[test]
fn the_minimum_rust_version_is_declared() {
    assert!(!env!("CARGO_PKG_RUST_VERSION").is_empty());
}

/// The core library is for embedders (a Python extension, a data
/// pipeline): none of the command line's crates may come with it.
#[test]
fn the_core_crate_has_no_command_line_dependencies() {
    let manifest = read_text("crates/scrubtext/Cargo.toml");
    let manifest: toml::Table = manifest
        .parse()
        .expect("crates/scrubtext/Cargo.toml parses");
    let dependencies = manifest["dependencies"]
        .as_table()
        .expect("a [dependencies] table");
    assert!(
        dependencies.contains_key("aho-corasick"),
        "{dependencies:?}"
    );
    for cli_only in [
        "clap",
        "clap_complete",
        "clap_mangen",
        "indicatif",
        "rayon",
        "ignore",
        "zstd",
        "flate2",
        "tempfile",
        "similar",
    ] {
        assert!(
            !dependencies.contains_key(cli_only),
            "the core crate depends on {cli_only}"
        );
    }
}

#[test]
fn readme_says_how_to_install() {
    let readme = read_text("README.md");
    assert!(readme.contains("cargo install --path ."));
    assert!(readme.contains("(exit 1 if anything goes)"));
}

#[test]
fn diff_refuses_json() {
    let ran = run_in_process(&["--diff", "--format", "json", SAMPLE], b"");
    assert_eq!(ran.status, Status::Error);
    assert!(ran.stdout.is_empty(), "{}", ran.stdout);
    assert!(
        ran.stderr
            .starts_with("scrubtext: --format json does not apply to --diff"),
        "{}",
        ran.stderr
    );
}

#[test]
fn field_on_a_text_input_is_noted() {
    let ran = run_in_process(&["--field", "body", SAMPLE], b"");
    assert_eq!(ran.status, Status::Clean);
    assert_eq!(ran.stdout, read_text(EXPECTED));
    assert_eq!(
        ran.stderr,
        format!(
            "scrubtext: note: {SAMPLE}: --field applies to JSON Lines only; this input was cleaned as text (--jsonl reads it as JSON Lines)\n"
        )
    );
}

#[test]
fn diff_headers_name_the_path_as_git_does() {
    let absolute = root().join(SAMPLE);
    let absolute = absolute.to_str().expect("UTF-8 path");
    for (path, name) in [
        (format!("./{SAMPLE}"), SAMPLE.to_string()),
        (
            absolute.to_string(),
            absolute.trim_start_matches('/').to_string(),
        ),
    ] {
        let ran = run_in_process(&["--diff", &path], b"");
        assert_eq!(ran.status, Status::Found, "{}", ran.stderr);
        assert!(
            ran.stdout
                .starts_with(&format!("--- a/{name}\n+++ b/{name}\n")),
            "{}",
            ran.stdout
        );
    }
}

#[test]
fn lines_that_end_with_a_lone_carriage_return_are_lines_in_a_diff() {
    let ran = run_in_process(
        &["--diff"],
        b"The council met on Tuesday to discuss the budget.\rAdvertisement\rMembers will vote on the plan next week.\r",
    );
    assert_eq!(ran.status, Status::Found, "{}", ran.stderr);
    assert!(!ran.stdout.contains("No newline"), "{:?}", ran.stdout);
    assert!(ran.stdout.contains("-Advertisement\r"), "{:?}", ran.stdout);
}

#[test]
fn mostly_utf8_input_with_a_stray_byte_stays_utf8_with_a_note() {
    let mut input = "Zoë’s café — “naïve” résumé.\nAdvertisement\nThe end, señor.\n"
        .as_bytes()
        .to_vec();
    input.extend_from_slice(b"A stray \xff byte.\n");
    let ran = run_in_process(&[], &input);
    assert_eq!(ran.status, Status::Clean, "{}", ran.stderr);
    assert_eq!(
        ran.stdout,
        "Zoë’s café — “naïve” résumé.\nThe end, señor.\nA stray \u{FFFD} byte.\n"
    );
    assert_eq!(
        ran.stderr,
        "scrubtext: note: <stdin>: read as UTF-8, which nearly all of it is; 1 invalid byte sequence shown as U+FFFD, the first on line 4 (--encoding LABEL reads it in another encoding)\n"
    );
    // Forced, the replacement is said too.
    let ran = run_in_process(&["--encoding", "utf-8"], b"caf\xe9 au lait\n");
    assert_eq!(ran.stdout, "caf\u{FFFD} au lait\n");
    assert_eq!(
        ran.stderr,
        "scrubtext: note: <stdin>: 1 byte sequence invalid in UTF-8 shown as U+FFFD, the first on line 1\n"
    );
}

#[test]
fn json_lines_without_the_name_are_read_as_json_lines() {
    let records = "{\"id\":1,\"text\":\"Body one.\\nAdvertisement\\nThe council will vote on the plan next week, officials said.\"}\n{\"id\":2,\"text\":\"Body two.\"}\n";
    let ran = run_in_process(&[], records.as_bytes());
    assert_eq!(ran.status, Status::Clean, "{}", ran.stderr);
    assert_eq!(
        ran.stdout,
        "{\"id\":1,\"text\":\"Body one.\\nThe council will vote on the plan next week, officials said.\"}\n{\"id\":2,\"text\":\"Body two.\"}\n"
    );
    assert_eq!(
        ran.stderr,
        "scrubtext: note: <stdin>: read as JSON Lines, since its first line is a JSON object (--jsonl says so for every input)\n"
    );
}

#[test]
fn a_field_that_no_record_has_is_an_error_and_its_notes_are_capped() {
    let records: String = (1..=20)
        .map(|i| format!("{{\"id\":{i},\"text\":\"Body.\\nAdvertisement\"}}\n"))
        .collect();
    let ran = run_in_process(&["--jsonl", "--field", "body"], records.as_bytes());
    assert_eq!(ran.status, Status::Error);
    assert_eq!(ran.stdout, records, "the records pass through");
    let lines: Vec<&str> = ran.stderr.lines().collect();
    assert_eq!(lines.len(), 7, "{}", ran.stderr);
    assert_eq!(
        lines[0],
        "scrubtext: note: <stdin>:1: passed through: no field body in the record"
    );
    assert_eq!(
        lines[5],
        "scrubtext: <stdin>: no record has the field body (20 records passed through as they were); --field names the field to clean"
    );
    assert_eq!(
        lines[6],
        "scrubtext: note: 15 more notes on records passed through not shown"
    );
    // Some records with the field: no error.
    let mixed = format!("{records}{{\"id\":0,\"body\":\"Body.\\nAdvertisement\"}}\n");
    let ran = run_in_process(&["--jsonl", "--field", "body"], mixed.as_bytes());
    assert_eq!(ran.status, Status::Clean, "{}", ran.stderr);
}

#[test]
fn check_stats_go_to_stderr() {
    let ran = run_in_process(&["--check", "--stats", SAMPLE], b"");
    assert_eq!(ran.status, Status::Found);
    assert_eq!(
        ran.stdout,
        format!("{SAMPLE}: 10 removals (appeal 5, widget 1, footer 2, related 1, credit 1)\n")
    );
    assert!(
        ran.stderr.starts_with("1 document read, 1 changed"),
        "{}",
        ran.stderr
    );
}

#[test]
fn zero_threads_is_every_core() {
    let ran = run_in_process(&["-j", "0", SAMPLE], b"");
    assert_eq!(ran.status, Status::Clean, "{}", ran.stderr);
    assert_eq!(ran.stdout, read_text(EXPECTED));
}

#[test]
fn an_input_named_twice_is_cleaned_once() {
    let ran = run_in_process(&["--check", SAMPLE, &format!("./{SAMPLE}")], b"");
    assert_eq!(ran.status, Status::Found);
    assert_eq!(ran.stdout.lines().count(), 1, "{}", ran.stdout);
    assert_eq!(
        ran.stderr,
        format!("scrubtext: note: ./{SAMPLE} is named more than once; it is cleaned once\n")
    );
}

#[test]
fn file_list_with_nul_separators() {
    let list = format!("{SAMPLE}\0tests/fixtures/empty.txt\0");
    let ran = run_in_process(&["--check", "--file-list", "-", "-0"], list.as_bytes());
    assert_eq!(ran.status, Status::Found, "{}", ran.stderr);
    assert_eq!(ran.stdout.lines().count(), 1, "{}", ran.stdout);
    assert!(ran.stderr.is_empty(), "{}", ran.stderr);
}

#[test]
fn a_glob_that_matches_nothing_is_noted() {
    let ran = run_in_process(&["--check", "tests/fixtures/tree", "-g", "*.md"], b"");
    assert_eq!(ran.status, Status::Clean);
    assert!(
        ran.stderr
            .contains("scrubtext: note: --glob \"*.md\" matches no file\n"),
        "{}",
        ran.stderr
    );
}

/// Completion scripts and the manual page are made from the option
/// definitions: each names the options a user types.
#[test]
fn completions_and_man_page_come_from_the_options() {
    for (shell, marker) in [
        ("bash", "_scrubtext()"),
        ("zsh", "#compdef scrubtext"),
        ("fish", "complete -c scrubtext"),
    ] {
        let ran = run_in_process(&["completions", shell], b"");
        assert_eq!(ran.status, Status::Clean, "{shell}: {}", ran.stderr);
        assert!(
            ran.stdout.contains(marker),
            "{shell}: {}",
            &ran.stdout[..ran.stdout.len().min(200)]
        );
        assert!(
            ran.stdout.contains("no-model"),
            "{shell} completes --no-model"
        );
    }
    let ran = run_in_process(&["man"], b"");
    assert_eq!(ran.status, Status::Clean, "{}", ran.stderr);
    assert!(
        ran.stdout.contains(".TH scrubtext 1"),
        "{}",
        &ran.stdout[..ran.stdout.len().min(200)]
    );
    assert!(ran.stdout.contains("explain"), "the manual names --explain");
}

/// `--version` names the commit when built from a git checkout.
#[test]
fn version_names_the_commit_in_a_checkout() {
    let error = Cli::try_parse_from(["scrubtext", "--version"]).unwrap_err();
    assert_eq!(error.kind(), clap::error::ErrorKind::DisplayVersion);
    let shown = error.to_string();
    assert!(shown.contains(env!("CARGO_PKG_VERSION")), "{shown}");
    let in_checkout = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.git")).exists();
    assert_eq!(shown.contains(" ("), in_checkout, "{shown}");
}

/// `rules --show ID` shows one rule in full, and an unknown id is an error.
#[test]
fn rules_show_one_rule_in_full() {
    let ran = run_in_process(&["rules", "--show", "wgt900"], b"");
    assert_eq!(ran.status, Status::Clean, "{}", ran.stderr);
    assert!(
        ran.stdout.starts_with("WGT900 (widget, cue)"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains("next_to: [appeal, newsletter]"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains("defined at patterns/widget.toml:"),
        "{}",
        ran.stdout
    );
    let json = run_in_process(&["rules", "--show", "WGT900", "--format", "json"], b"");
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["id"], "WGT900");
    assert_eq!(value["kind"], "cue");
    let missing = run_in_process(&["rules", "--show", "NOPE"], b"");
    assert_eq!(missing.status, Status::Error);
    assert!(
        missing.stderr.contains("no rule \"NOPE\""),
        "{}",
        missing.stderr
    );
}

/// `--quiet` keeps notes off standard error; what the run finds and its
/// exit code stay.
#[test]
fn quiet_prints_no_notes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".hidden")).unwrap();
    std::fs::write(dir.path().join("a.txt"), "Body.\nAdvertisement\n").unwrap();
    std::fs::write(dir.path().join(".hidden/b.txt"), "Body.\n").unwrap();
    let path = dir.path().to_str().unwrap();
    let loud = run_in_process(&["--check", path], b"");
    assert!(
        loud.stderr.contains("note: skipped 1 hidden"),
        "{}",
        loud.stderr
    );
    let quiet = run_in_process(&["--check", "--quiet", path], b"");
    assert_eq!(quiet.status, loud.status);
    assert_eq!(quiet.stdout, loud.stdout);
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
}

/// `-w --dry-run` names the files `-w` would rewrite and writes nothing.
#[test]
fn write_dry_run_lists_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let dirty = dir.path().join("a.txt");
    let clean = dir.path().join("b.txt");
    std::fs::write(&dirty, "Body.\nAdvertisement\n").unwrap();
    std::fs::write(&clean, "Body.\n").unwrap();
    let ran = run_in_process(&["-w", "--dry-run", dir.path().to_str().unwrap()], b"");
    assert_eq!(ran.status, Status::Clean, "{}", ran.stderr);
    assert_eq!(ran.stdout.trim(), dirty.to_str().unwrap());
    assert_eq!(
        std::fs::read_to_string(&dirty).unwrap(),
        "Body.\nAdvertisement\n"
    );
    assert!(Cli::try_parse_from(["scrubtext", "--dry-run", "x.txt"]).is_err());
}

/// `--hidden` walks hidden files and folders too.
#[test]
fn hidden_walks_hidden_files_too() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".drafts")).unwrap();
    std::fs::write(dir.path().join(".drafts/a.txt"), "Body.\nAdvertisement\n").unwrap();
    let path = dir.path().to_str().unwrap();
    let default = run_in_process(&["--check", path], b"");
    assert_eq!(default.status, Status::Clean, "{}", default.stderr);
    let hidden = run_in_process(&["--check", "--hidden", path], b"");
    assert_eq!(hidden.status, Status::Found, "{}", hidden.stderr);
    assert!(hidden.stdout.contains(".drafts"), "{}", hidden.stdout);
}

/// Every message goes through one reporter: notes of `eval --skip-bad` are
/// capped like the run's, and `--color always` colours the prefix of the
/// notes on standard error too.
#[test]
fn notes_of_every_command_are_capped_and_coloured_alike() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.jsonl");
    let corpus: String = (1..=8)
        .map(|i| format!("{{\"id\":\"d{i}\",\"text\":\"one\\ntwo\",\"labels\":[\"keep\"]}}\n"))
        .collect();
    std::fs::write(&path, corpus).unwrap();
    let ran = run_in_process(&["eval", "--skip-bad", path.to_str().unwrap()], b"");
    assert_eq!(ran.status, Status::Clean, "{}", ran.stderr);
    let lines: Vec<&str> = ran.stderr.lines().collect();
    assert_eq!(lines.len(), 6, "{}", ran.stderr);
    assert!(lines[0].ends_with("; skipped"), "{}", ran.stderr);
    assert_eq!(
        lines[5],
        "scrubtext: note: 3 more notes on documents skipped not shown"
    );

    let ran = run_in_process(&["--check", "--color", "always", SAMPLE, SAMPLE], b"");
    assert_eq!(ran.status, Status::Found);
    assert_eq!(
        ran.stderr,
        format!(
            "\x1b[1mscrubtext:\x1b[0m \x1b[36mnote:\x1b[0m {SAMPLE} is named more than once; it is cleaned once\n"
        )
    );
    let ran = run_in_process(&["--check", "--color", "always", "no/such/file.txt"], b"");
    assert_eq!(ran.status, Status::Error);
    assert_eq!(
        ran.stderr,
        "\x1b[31m\x1b[1mscrubtext:\x1b[0m no/such/file.txt: no such file or directory\n"
    );
}

/// Text files and JSON Lines inputs in one run come out in the order they
/// were named, with one thread or several: both go through one pipeline.
#[test]
fn text_and_json_lines_inputs_come_out_in_their_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = Vec::new();
    let mut expected = String::new();
    for i in 0..40 {
        let path = if i % 7 == 3 {
            let path = dir.path().join(format!("{i:02}.jsonl"));
            std::fs::write(
                &path,
                format!("{{\"id\":{i},\"text\":\"Record {i}.\\nAdvertisement\"}}\n"),
            )
            .unwrap();
            expected.push_str(&format!("{{\"id\":{i},\"text\":\"Record {i}.\\n\"}}\n"));
            path
        } else {
            let path = dir.path().join(format!("{i:02}.txt"));
            std::fs::write(&path, format!("File {i}.\nAdvertisement\n")).unwrap();
            expected.push_str(&format!("File {i}.\n"));
            path
        };
        args.push(path.to_str().unwrap().to_string());
    }
    for threads in ["1", "4"] {
        let mut all: Vec<&str> = vec!["-j", threads];
        all.extend(args.iter().map(String::as_str));
        let ran = run_in_process(&all, b"");
        assert_eq!(ran.status, Status::Clean, "{}", ran.stderr);
        assert_eq!(ran.stdout, expected, "-j {threads}");
    }
}

// ---- bad input -------------------------------------------------------------

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

/// A named pipe given by name is read as a stream (as `scrubtext
/// <(command)` needs); `-w` refuses it and leaves it a pipe; a device is
/// refused. The other inputs of the batch go on, and the run exits 2.
#[cfg(unix)]
#[test]
fn pipes_are_read_devices_refused_and_neither_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.txt");
    mkfifo(&fifo);
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, "Piped body.\nAdvertisement\n").unwrap())
    };
    let ran = run_in_process(&[fifo.to_str().unwrap()], b"");
    writer.join().unwrap();
    assert_eq!(ran.status, Status::Clean, "{}", ran.stderr);
    assert_eq!(ran.stdout, "Piped body.\n");

    let file = dir.path().join("a.txt");
    std::fs::write(&file, "Body.\nAdvertisement\n").unwrap();
    let ran = run_in_process(
        &[
            "-w",
            fifo.to_str().unwrap(),
            "/dev/null",
            file.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(ran.status, Status::Error, "{}", ran.stderr);
    assert!(
        ran.stderr.contains(&format!(
            "scrubtext: {}: is a named pipe, not a file that -w can rewrite; it was not read\n",
            fifo.display()
        )),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr
            .contains("scrubtext: /dev/null: is a device, not a file; it was not read\n"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("scrubtext: 1 file rewritten"),
        "{}",
        ran.stderr
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "Body.\n");
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

/// A path that is not UTF-8 comes out with its very bytes in text output
/// and with `\xHH` escapes in JSON.
#[cfg(target_os = "linux")]
#[test]
fn a_path_that_is_not_utf8_is_shown_lossless_in_text_and_escaped_in_json() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(dir.path().join(name), "Body.\nAdvertisement\n").unwrap();
    let folder = dir.path().to_str().unwrap();
    let mut stdout = Vec::new();
    let ran = run_in_process_with(&["--check", folder], b"", &mut stdout);
    assert_eq!(ran.status, Status::Found, "{}", ran.stderr);
    let mut expected = dir.path().join(name).as_os_str().as_bytes().to_vec();
    expected.extend_from_slice(b": 1 removal (widget 1)\n");
    assert_eq!(stdout, expected);
    let ran = run_in_process(&["--check", "--format", "json", folder], b"");
    let record: Value = serde_json::from_str(&ran.stdout).unwrap();
    assert_eq!(record["path"], format!("{folder}/caf\\xe9.txt"));
    let mut stdout = Vec::new();
    run_in_process_with(&["--diff", folder], b"", &mut stdout);
    let header = format!("--- a/{}/caf", folder.trim_start_matches('/'));
    assert!(
        stdout.starts_with(header.as_bytes()),
        "{}",
        String::from_utf8_lossy(&stdout)
    );
    assert_eq!(stdout[header.len()], 0xe9);
}

/// An --out-dir inside the folder cleaned is not read back as input: it is
/// skipped with a note; the folder itself as --out-dir is an error.
#[test]
fn an_out_dir_inside_the_input_tree_is_not_read_back() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Body.\nAdvertisement\n").unwrap();
    let folder = dir.path().to_str().unwrap();
    let out = dir.path().join("clean");
    let out_arg = out.to_str().unwrap();
    let first = run_in_process(&[folder, "--out-dir", out_arg], b"");
    assert_eq!(first.status, Status::Clean, "{}", first.stderr);
    let second = run_in_process(&[folder, "--out-dir", out_arg], b"");
    assert_eq!(second.status, Status::Clean, "{}", second.stderr);
    assert_eq!(
        second.stderr,
        format!(
            "scrubtext: note: skipping {out_arg}: it is the --out-dir of this run, which holds outputs, not inputs\n"
        )
    );
    assert!(!out.join("clean").exists(), "the output was read back");
    assert_eq!(
        std::fs::read_to_string(out.join("a.txt")).unwrap(),
        "Body.\n"
    );
    let same = run_in_process(&[folder, "--out-dir", folder], b"");
    assert_eq!(same.status, Status::Error);
    assert!(
        same.stderr.contains("is the --out-dir of this run"),
        "{}",
        same.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.txt")).unwrap(),
        "Body.\nAdvertisement\n"
    );
}

/// A file that keeps changing while `-w` reads and cleans it is not
/// overwritten: what was appended is not lost, and the run exits 2.
#[test]
fn a_file_that_changes_while_it_is_cleaned_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("growing.jsonl");
    let record = "{\"text\":\"Body.\\nAdvertisement\"}\n";
    std::fs::write(&path, record.repeat(20_000)).unwrap();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let appender = {
        let (path, done) = (path.clone(), std::sync::Arc::clone(&done));
        std::thread::spawn(move || {
            use std::io::Write;
            let mut appended = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let mut file = std::fs::OpenOptions::new()
                    .append(true)
                    .open(&path)
                    .unwrap();
                file.write_all(record.as_bytes()).unwrap();
                appended += 1;
                std::thread::sleep(Duration::from_millis(1));
            }
            appended
        })
    };
    std::thread::sleep(Duration::from_millis(20));
    let ran = run_in_process(&["-w", path.to_str().unwrap()], b"");
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let appended = appender.join().unwrap();
    assert_eq!(ran.status, Status::Error, "{}", ran.stderr);
    assert!(
        ran.stderr.contains(&format!(
            "scrubtext: {}: changed while it was being cleaned",
            path.display()
        )),
        "{}",
        ran.stderr
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, record.repeat(20_000 + appended), "nothing was lost");
}

/// The README says how memory behaves with one large file, and what
/// scrubtext does with paths that are no files.
#[test]
fn readme_says_how_memory_and_odd_paths_behave() {
    // Words as they read, whatever the line breaks.
    let readme = read_text("README.md")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for needle in [
        "A text file is read whole into memory",
        "A JSON Lines input is streamed record by record",
        "a named pipe is read as a stream",
        "subcommands come first",
        "An `--out-dir` inside a folder being cleaned is not walked",
    ] {
        assert!(readme.contains(needle), "README lacks {needle:?}");
    }
}

/// Printed, the cleaned text is written piece by piece from the input
/// rather than built whole; written under --out-dir, it is built. Both give
/// the same bytes, for every article of the trap suites.
#[test]
fn printed_and_written_cleaned_texts_are_the_same_bytes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut inputs = Vec::new();
    let mut texts = Vec::new();
    for suite in ["tests/fixtures/traps.jsonl", "tests/fixtures/traps2.jsonl"] {
        for record in read_text(suite).lines() {
            let value: Value = serde_json::from_str(record).expect("a JSON record");
            let text = value["text"].as_str().expect("a text field").to_string();
            let input = dir.path().join(format!("{:03}.txt", inputs.len()));
            std::fs::write(&input, &text).expect("written");
            inputs.push(input.to_str().expect("a UTF-8 path").to_string());
            texts.push(text);
        }
    }
    let args: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let printed = run_in_process(&args, b"");
    let out_dir = dir.path().join("out");
    let out_arg = out_dir.to_str().expect("a UTF-8 path");
    let mut with_out_dir = args.clone();
    with_out_dir.extend(["--out-dir", out_arg]);
    run_in_process(&with_out_dir, b"");
    let mut written = String::new();
    let mut changed = 0;
    for (input, text) in inputs.iter().zip(&texts) {
        let name = Path::new(input).file_name().expect("a file name");
        let output = walk_files(&out_dir)
            .into_iter()
            .find(|path| path.file_name() == Some(name))
            .expect("an output for every input");
        let cleaned = std::fs::read_to_string(output).expect("a UTF-8 output");
        changed += usize::from(&cleaned != text);
        written.push_str(&cleaned);
    }
    assert!(changed > 50, "only {changed} texts had anything removed");
    assert_same_text(
        printed.stdout.as_bytes(),
        written.as_bytes(),
        "printed and written",
    );
}

/// Every file under `dir`, at any depth.
fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            files.extend(walk_files(&path));
        } else {
            files.push(path);
        }
    }
    files
}
