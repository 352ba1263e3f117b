//! Batch runs, end to end on the built binary: folders walked with globs,
//! file lists, JSON Lines, compressed inputs, `--out-dir`, `--write`,
//! `--stats`, `--check` and `--diff` over folders, threads, and errors in
//! the middle of a batch.
//!
//! Every input is generated at run time in a temporary folder, and the
//! binary runs with that folder as its working directory, so the paths in
//! its output are short, relative and exact. Article content is the sample
//! article (`tests/fixtures/sample-article.txt`, cleaned exactly into
//! `sample-article.expected.txt` by the built-in rules) and short articles
//! whose only boilerplate is an "Advertisement" label.
//!
//! Unix only: the tests check permissions, inode numbers and a file size
//! limit (`RLIMIT_FSIZE`), and paths use `/`.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, SystemTime};

use assert_cmd::Command;
use serde_json::Value;

const SAMPLE: &str = include_str!("../fixtures/sample-article.txt");
const EXPECTED: &str = include_str!("../fixtures/sample-article.expected.txt");

/// `--check`'s summary of the sample article.
const SAMPLE_CHECK: &str = "10 removals (appeal 5, widget 1, footer 2, related 1, credit 1)";

use crate::sample::{SAMPLE_REMOVALS, assert_code, stderr_text};

const AD: &str = "Advertisement\n";

/// A short article with one boilerplate line (the advertisement label).
fn short(i: usize) -> String {
    format!(
        "Story {i}: the council met on Tuesday to discuss the library budget.\n{AD}Members will vote on the plan at the next meeting, officials said.\n"
    )
}

/// `short(i)`, cleaned.
fn short_clean(i: usize) -> String {
    short(i).replace(AD, "")
}

// ---- running the binary -------------------------------------------------

fn scrubtext(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("scrubtext").expect("the scrubtext binary is built");
    command.current_dir(dir);
    command
}

fn run(dir: &Path, args: &[&str]) -> Output {
    scrubtext(dir).args(args).output().expect("scrubtext runs")
}

fn run_stdin(dir: &Path, args: &[&str], stdin: impl Into<Vec<u8>>) -> Output {
    scrubtext(dir)
        .args(args)
        .write_stdin(stdin.into())
        .output()
        .expect("scrubtext runs")
}

fn stdout_text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Byte equality, shown as text (with escapes) when it fails.
fn assert_bytes(actual: &[u8], expected: &[u8], what: &str) {
    if actual == expected {
        return;
    }
    let at = actual
        .iter()
        .zip(expected)
        .take_while(|(a, e)| a == e)
        .count();
    let from = at.saturating_sub(60);
    let window = |bytes: &[u8]| {
        let end = bytes.len().min(at + 160);
        bytes[from.min(end)..end].escape_ascii().to_string()
    };
    panic!(
        "{what}: {} bytes, expected {}; the first difference is at byte {at}\n\
         --- actual, from byte {from}\n{}\n--- expected, from byte {from}\n{}",
        actual.len(),
        expected.len(),
        window(actual),
        window(expected),
    );
}

fn assert_stderr(output: &Output, expected: &str) {
    assert_eq!(stderr_text(output), expected, "standard error");
}

// ---- files --------------------------------------------------------------

/// Writes `bytes` to `dir/relative`, creating the folders above it.
fn put(dir: &Path, relative: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(relative);
    fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
    fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn get(dir: &Path, relative: &str) -> Vec<u8> {
    let path = dir.join(relative);
    fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Every file and folder below `dir` (hidden ones included), relative, in
/// order; folders end with `/`.
fn names_below(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, names: &mut Vec<String>) {
        for entry in fs::read_dir(dir).expect("read folder") {
            let entry = entry.expect("folder entry");
            let path = entry.path();
            let relative = path
                .strip_prefix(root)
                .expect("below the root")
                .to_string_lossy()
                .into_owned();
            if entry.file_type().expect("file type").is_dir() {
                names.push(format!("{relative}/"));
                walk(root, &path, names);
            } else {
                names.push(relative);
            }
        }
    }
    let mut names = Vec::new();
    walk(dir, dir, &mut names);
    names.sort();
    names
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

/// Gzip as the `gzip` tool makes it: the original file name and a time in
/// the header, maximum compression.
fn gzip_like_the_tool(bytes: &[u8], name: &str) -> Vec<u8> {
    let mut encoder = flate2::GzBuilder::new()
        .filename(name)
        .mtime(1_700_000_000)
        .write(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    assert!(
        bytes.starts_with(&[0x1f, 0x8b]),
        "gzip data starts with the gzip magic: {:?}",
        &bytes[..bytes.len().min(4)]
    );
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("valid gzip data");
    out
}

fn zstd_compress(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).expect("zstd")
}

fn zstd_decompress(bytes: &[u8]) -> Vec<u8> {
    assert!(
        bytes.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]),
        "zstd data starts with the zstd magic"
    );
    zstd::decode_all(bytes).expect("valid zstd data")
}

fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

fn mode_of(path: &Path) -> u32 {
    fs::metadata(path).expect("metadata").permissions().mode() & 0o7777
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

// ---- JSON Lines ---------------------------------------------------------

/// A JSON string, as serde_json writes it (and as scrubtext writes a
/// cleaned field): UTF-8, only quotes, backslashes and control characters
/// escaped.
fn json_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

/// A JSON string with everything outside printable ASCII escaped as
/// `\uXXXX` (as Python's `json.dumps` writes it), and `/` escaped too.
fn json_string_ascii(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

/// A record with the sample in `text` and awkward other fields: nested
/// objects, number spellings, escapes, spacing, the text not last.
fn rich_record(text: &str) -> String {
    format!(
        r#"{{"id":1,"price":1.50,"big":1e3,"neg":-0.0,"meta":{{"name":"caf\u00e9 \"quoted\"","tags":["a", "b"],"deep":{{"x":[1,{{"y":null}}]}}}},"text":{text} , "tail":"back\\slash \/ and \ud83d\ude00","z":true}}"#
    )
}

// =========================================================================
// 1. Folders and file lists
// =========================================================================

/// The tree for the folder tests, under `corpus/`.
fn corpus(dir: &Path) {
    put(dir, "corpus/a.txt", SAMPLE);
    put(dir, "corpus/notes.md", SAMPLE);
    put(dir, "corpus/sub/b.txt", short(1));
    put(dir, "corpus/sub/deep/c.txt", short(2));
    put(dir, "corpus/sub/skipped.txt", short(3));
    put(dir, "corpus/skip/d.txt", SAMPLE);
    put(dir, "corpus/skip/inner/e.txt", short(4));
}

/// What the tree cleans to with `-g '*.txt' -g '!skip/**'`, in path order.
fn corpus_cleaned() -> String {
    [
        EXPECTED.to_string(),
        short_clean(1),
        short_clean(2),
        short_clean(3),
    ]
    .concat()
}

#[test]
fn folder_walk_with_include_and_exclude_globs() {
    let dir = tempfile::tempdir().expect("temp dir");
    corpus(dir.path());
    let output = run(
        dir.path(),
        &["--glob", "*.txt", "--glob", "!skip/**", "corpus"],
    );
    assert_code(&output, 0);
    assert_bytes(
        &output.stdout,
        corpus_cleaned().as_bytes(),
        "the .txt files outside skip/, cleaned, in path order",
    );
    assert_stderr(&output, "");

    let output = run(
        dir.path(),
        &["--check", "-g", "*.txt", "-g", "!skip/**", "corpus"],
    );
    assert_code(&output, 1);
    assert_eq!(
        stdout_text(&output),
        format!(
            "corpus/a.txt: {SAMPLE_CHECK}\n\
             corpus/sub/b.txt: 1 removal (widget 1)\n\
             corpus/sub/deep/c.txt: 1 removal (widget 1)\n\
             corpus/sub/skipped.txt: 1 removal (widget 1)\n"
        )
    );
    assert_stderr(&output, "");

    // Without globs every file is taken, the .md one and skip/ included.
    let output = run(dir.path(), &["--check", "corpus"]);
    assert_code(&output, 1);
    let listed: Vec<String> = stdout_text(&output)
        .lines()
        .map(|l| l.split(": ").next().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        listed,
        [
            "corpus/a.txt",
            "corpus/notes.md",
            "corpus/skip/d.txt",
            "corpus/skip/inner/e.txt",
            "corpus/sub/b.txt",
            "corpus/sub/deep/c.txt",
            "corpus/sub/skipped.txt",
        ]
    );
}

#[test]
fn file_list_from_a_file_and_from_stdin() {
    let dir = tempfile::tempdir().expect("temp dir");
    corpus(dir.path());
    // A file, a blank line, a folder (walked, with the globs), CRLF endings.
    let list = "corpus/a.txt\r\n\r\ncorpus/sub\r\ncorpus/skip/d.txt\n";
    put(dir.path(), "list.txt", list);
    let expected = [
        EXPECTED.to_string(),
        short_clean(1),
        short_clean(2),
        short_clean(3),
        EXPECTED.to_string(),
    ]
    .concat();

    let output = run(dir.path(), &["--file-list", "list.txt", "-g", "*.txt"]);
    assert_code(&output, 0);
    assert_bytes(&output.stdout, expected.as_bytes(), "--file-list list.txt");
    assert_stderr(&output, "");

    let output = run_stdin(dir.path(), &["--file-list", "-", "-g", "*.txt"], list);
    assert_code(&output, 0);
    assert_bytes(&output.stdout, expected.as_bytes(), "--file-list -");
    assert_stderr(&output, "");

    let output = run(dir.path(), &["--file-list", "no-such-list.txt"]);
    assert_code(&output, 2);
    assert!(output.stdout.is_empty());
    assert_stderr(
        &output,
        "scrubtext: no-such-list.txt: no such file or directory\n",
    );
}

// =========================================================================
// 2. JSON Lines
// =========================================================================

#[test]
fn jsonl_changes_only_the_text_value() {
    let dir = tempfile::tempdir().expect("temp dir");
    let lines_in = [
        format!("{}\n", rich_record(&json_string(SAMPLE))),
        // Spacing around the value, the text first, escaped non-ASCII.
        format!(
            "{{ \"text\" : {} , \"id\" : 2 }}\n",
            json_string_ascii(SAMPLE)
        ),
        // No text field.
        "{\"id\":3,\"title\":\"caf\\u00e9\",\"body\":\"Advertisement\"}\n".to_string(),
        // A text field that is not a string.
        "{\"text\":12.50,\"id\":4}\n".to_string(),
        // Already clean.
        format!("{{\"text\":{},\"id\":5}}\n", json_string(EXPECTED)),
    ];
    let lines_out = [
        format!("{}\n", rich_record(&json_string(EXPECTED))),
        format!("{{ \"text\" : {} , \"id\" : 2 }}\n", json_string(EXPECTED)),
        lines_in[2].clone(),
        lines_in[3].clone(),
        lines_in[4].clone(),
    ];
    // The input is valid JSON Lines, and the output says the same things
    // apart from the text.
    for line in lines_in.iter().chain(&lines_out) {
        serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    }
    put(dir.path(), "records.jsonl", lines_in.concat());

    let output = run(dir.path(), &["records.jsonl"]);
    assert_code(&output, 0);
    let stdout = stdout_text(&output);
    let actual: Vec<&str> = stdout.split_inclusive('\n').collect();
    assert_eq!(
        actual.len(),
        lines_out.len(),
        "one line per record:\n{stdout}"
    );
    for (i, (actual, expected)) in actual.iter().zip(&lines_out).enumerate() {
        assert_bytes(
            actual.as_bytes(),
            expected.as_bytes(),
            &format!("record {}", i + 1),
        );
    }
    assert_stderr(
        &output,
        "scrubtext: note: records.jsonl:3: passed through: no field text in the record\n\
         scrubtext: note: records.jsonl:4: passed through: the field text is a number, not a string\n",
    );
}

#[test]
fn jsonl_nested_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = format!(
        "{{\"meta\":{{\"lang\":\"en\",\"body\":{}}},\"text\":\"Advertisement\"}}\n\
         {{\"meta\":\"flat\",\"text\":\"Advertisement\"}}\n\
         {{\"meta\":{{\"body\":[1,2]}}}}\n",
        json_string(SAMPLE)
    );
    let expected = format!(
        "{{\"meta\":{{\"lang\":\"en\",\"body\":{}}},\"text\":\"Advertisement\"}}\n\
         {{\"meta\":\"flat\",\"text\":\"Advertisement\"}}\n\
         {{\"meta\":{{\"body\":[1,2]}}}}\n",
        json_string(EXPECTED)
    );
    put(dir.path(), "nested.jsonl", &input);
    let output = run(dir.path(), &["--field", "meta.body", "nested.jsonl"]);
    assert_code(&output, 0);
    assert_bytes(&output.stdout, expected.as_bytes(), "--field meta.body");
    assert_stderr(
        &output,
        "scrubtext: note: nested.jsonl:2: passed through: no field meta.body in the record\n\
         scrubtext: note: nested.jsonl:3: passed through: the field meta.body is an array, not a string\n",
    );
}

#[test]
fn jsonl_forced_on_stdin_and_on_a_txt_name_and_detected_for_ndjson() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = format!(
        "{{\"text\":{},\"n\":1}}\n{{\"n\":2}}\n",
        json_string(SAMPLE)
    );
    let expected = format!(
        "{{\"text\":{},\"n\":1}}\n{{\"n\":2}}\n",
        json_string(EXPECTED)
    );

    let output = run_stdin(dir.path(), &["--jsonl"], input.clone());
    assert_code(&output, 0);
    assert_bytes(&output.stdout, expected.as_bytes(), "--jsonl on stdin");
    assert_stderr(
        &output,
        "scrubtext: note: <stdin>:2: passed through: no field text in the record\n",
    );

    put(dir.path(), "records.txt", &input);
    let output = run(dir.path(), &["--jsonl", "records.txt"]);
    assert_code(&output, 0);
    assert_bytes(&output.stdout, expected.as_bytes(), "--jsonl records.txt");
    assert_stderr(
        &output,
        "scrubtext: note: records.txt:2: passed through: no field text in the record\n",
    );

    put(dir.path(), "feed.ndjson", &input);
    let output = run(dir.path(), &["feed.ndjson"]);
    assert_code(&output, 0);
    assert_bytes(&output.stdout, expected.as_bytes(), "feed.ndjson");
    assert_stderr(
        &output,
        "scrubtext: note: feed.ndjson:2: passed through: no field text in the record\n",
    );
}

#[test]
fn jsonl_malformed_line_is_reported_and_passed_through() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = "{\"text\": \"Lead.\\nAdvertisement\\n\", oops}\n";
    let input = format!(
        "{{\"text\":{}}}\n{bad}{{\"text\":{}}}\n",
        json_string(SAMPLE),
        json_string(&short(1))
    );
    let expected = format!(
        "{{\"text\":{}}}\n{bad}{{\"text\":{}}}\n",
        json_string(EXPECTED),
        json_string(&short_clean(1))
    );
    put(dir.path(), "bad.jsonl", &input);
    let output = run(dir.path(), &["bad.jsonl"]);
    assert_code(&output, 2);
    assert_bytes(
        &output.stdout,
        expected.as_bytes(),
        "good records cleaned, the bad one as it was",
    );
    let stderr = stderr_text(&output);
    assert!(
        stderr.starts_with("scrubtext: bad.jsonl:2: malformed json at column "),
        "names file:line: {stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "one message: {stderr}");
}

#[test]
fn jsonl_crlf_records_keep_crlf() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The last record has no line ending at all.
    let input = format!(
        "{{\"text\":{}}}\r\n{{\"id\":2}}\r\n{{\"text\":{}}}",
        json_string(SAMPLE),
        json_string(&short(1))
    );
    let expected = format!(
        "{{\"text\":{}}}\r\n{{\"id\":2}}\r\n{{\"text\":{}}}",
        json_string(EXPECTED),
        json_string(&short_clean(1))
    );
    put(dir.path(), "crlf.jsonl", &input);
    let output = run(dir.path(), &["crlf.jsonl"]);
    assert_code(&output, 0);
    assert_bytes(&output.stdout, expected.as_bytes(), "CRLF JSON Lines");
    assert_stderr(
        &output,
        "scrubtext: note: crlf.jsonl:2: passed through: no field text in the record\n",
    );
}

// =========================================================================
// 3. Compression and --out-dir
// =========================================================================

fn records(texts: &[&str]) -> String {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{{\"id\":{i},\"text\":{}}}\n", json_string(t)))
        .collect()
}

#[test]
fn compressed_inputs_are_read_transparently() {
    let dir = tempfile::tempdir().expect("temp dir");
    let short_1 = short(1);
    put(
        dir.path(),
        "article.txt.zst",
        zstd_compress(SAMPLE.as_bytes()),
    );
    put(
        dir.path(),
        "records.jsonl.gz",
        gzip(records(&[SAMPLE, &short_1]).as_bytes()),
    );
    put(dir.path(), "short.txt.gz", gzip(short(2).as_bytes()));
    let output = run(
        dir.path(),
        &["article.txt.zst", "records.jsonl.gz", "short.txt.gz"],
    );
    assert_code(&output, 0);
    let expected = [
        EXPECTED.to_string(),
        records(&[EXPECTED, &short_clean(1)]),
        short_clean(2),
    ]
    .concat();
    assert_bytes(
        &output.stdout,
        expected.as_bytes(),
        "decompressed and cleaned",
    );
    assert_stderr(&output, "");
}

#[test]
fn out_dir_mirrors_the_tree_and_keeps_names_and_compression() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let short_1 = short(1);
    let dirty_records = records(&[SAMPLE, &short_1]);
    let clean_records = records(&[EXPECTED, "Nothing to strip here."]);
    let clean_gz = gzip_like_the_tool(EXPECTED.as_bytes(), "clean.txt");
    put(d, "in/top.txt.zst", zstd_compress(SAMPLE.as_bytes()));
    put(
        d,
        "in/sub/folder/records.jsonl.gz",
        gzip(dirty_records.as_bytes()),
    );
    put(d, "in/sub/folder/plain.txt", short(2));
    put(d, "in/sub/clean.txt", EXPECTED);
    put(d, "in/sub/clean.txt.gz", &clean_gz);
    put(d, "in/sub/clean.jsonl", &clean_records);
    let before = names_below(&d.join("in"));

    let output = run(d, &["--out-dir", "out", "in"]);
    assert_code(&output, 0);
    assert!(output.stdout.is_empty(), "{}", stdout_text(&output));
    assert_stderr(&output, "");

    assert_eq!(names_below(&d.join("out")), before, "the tree is mirrored");
    assert_eq!(
        names_below(&d.join("in")),
        before,
        "the input is left alone"
    );
    assert_bytes(
        &zstd_decompress(&get(d, "out/top.txt.zst")),
        EXPECTED.as_bytes(),
        "out/top.txt.zst",
    );
    assert_bytes(
        &gunzip(&get(d, "out/sub/folder/records.jsonl.gz")),
        records(&[EXPECTED, &short_clean(1)]).as_bytes(),
        "out/sub/folder/records.jsonl.gz",
    );
    assert_bytes(
        &get(d, "out/sub/folder/plain.txt"),
        short_clean(2).as_bytes(),
        "out/sub/folder/plain.txt",
    );
    // Nothing to strip: copied as it was, byte for byte.
    assert_bytes(
        &get(d, "out/sub/clean.txt"),
        EXPECTED.as_bytes(),
        "out/sub/clean.txt",
    );
    assert_bytes(
        &get(d, "out/sub/clean.txt.gz"),
        &clean_gz,
        "out/sub/clean.txt.gz",
    );
    assert_bytes(
        &get(d, "out/sub/clean.jsonl"),
        clean_records.as_bytes(),
        "out/sub/clean.jsonl",
    );
    // The input files are untouched.
    assert_bytes(
        &zstd_decompress(&get(d, "in/top.txt.zst")),
        SAMPLE.as_bytes(),
        "in/top.txt.zst",
    );
}

/// A compressed JSON Lines file with nothing to strip is, like any other
/// file, copied to `--out-dir` as it was.
#[test]
fn out_dir_copies_an_unchanged_compressed_jsonl_file_byte_for_byte() {
    // BUG: JSON Lines inputs are streamed through a new compressor under
    // --out-dir, so a .jsonl.gz with nothing to strip comes out
    // recompressed (gzip header and compressed bytes differ), while a .txt.gz
    // is copied as it was.
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let clean_records = records(&[EXPECTED, "Nothing to strip here."]);
    let clean_gz = gzip_like_the_tool(clean_records.as_bytes(), "clean.jsonl");
    put(d, "in/clean.jsonl.gz", &clean_gz);
    let output = run(d, &["--out-dir", "out", "in"]);
    assert_code(&output, 0);
    assert_stderr(&output, "");
    assert_bytes(
        &gunzip(&get(d, "out/clean.jsonl.gz")),
        clean_records.as_bytes(),
        "out/clean.jsonl.gz, decompressed",
    );
    assert_bytes(
        &get(d, "out/clean.jsonl.gz"),
        &clean_gz,
        "out/clean.jsonl.gz, as stored",
    );
}

// =========================================================================
// 4. --write
// =========================================================================

/// Windows-1252 text with non-ASCII characters on kept lines.
const CP1252_IN: &[u8] = b"Caf\xe9 owners welcome Harlow\x92s new parking rules\n\
    Advertisement\n\
    Owners of the caf\xe9s and cr\xeaperies on Main Street said the two-hour limit \x96 in force from Monday \x96 would free spaces for customers.\n\
    \x93It is the first good news this winter,\x94 said Ren\xe9e Dubois, who runs a p\xe2tisserie near the square. Fines rise to \x8030.\n";

fn cp1252_out() -> Vec<u8> {
    let ad: &[u8] = AD.as_bytes();
    let at = CP1252_IN
        .windows(ad.len())
        .position(|w| w == ad)
        .expect("the label is in");
    [&CP1252_IN[..at], &CP1252_IN[at + ad.len()..]].concat()
}

fn set_old_mtime(path: &Path) -> SystemTime {
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    fs::File::options()
        .write(true)
        .open(path)
        .expect("open")
        .set_modified(old)
        .expect("set mtime");
    old
}

#[test]
fn write_rewrites_changed_files_keeping_their_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let short_1 = short(1);
    put(d, "w/crlf.txt", crlf(SAMPLE));
    put(d, "w/cp1252.txt", CP1252_IN);
    put(d, "w/sub/article.txt.gz", gzip(SAMPLE.as_bytes()));
    put(
        d,
        "w/sub/article.txt.zst",
        zstd_compress(short(2).as_bytes()),
    );
    put(
        d,
        "w/sub/records.jsonl.gz",
        gzip(records(&[SAMPLE, &short_1]).as_bytes()),
    );
    put(d, "w/clean.txt", EXPECTED);
    put(d, "w/clean.jsonl", records(&[EXPECTED]));
    fs::set_permissions(d.join("w/crlf.txt"), fs::Permissions::from_mode(0o640)).expect("chmod");
    fs::set_permissions(d.join("w/cp1252.txt"), fs::Permissions::from_mode(0o604)).expect("chmod");
    fs::set_permissions(
        d.join("w/sub/records.jsonl.gz"),
        fs::Permissions::from_mode(0o600),
    )
    .expect("chmod");
    let mut untouched = BTreeMap::new();
    for name in ["w/clean.txt", "w/clean.jsonl"] {
        let path = d.join(name);
        let old = set_old_mtime(&path);
        let metadata = fs::metadata(&path).expect("metadata");
        untouched.insert(name, (metadata.ino(), old, get(d, name)));
    }
    let before = names_below(&d.join("w"));

    let output = run(d, &["-w", "w"]);
    assert_code(&output, 0);
    assert!(output.stdout.is_empty(), "{}", stdout_text(&output));
    assert_stderr(&output, "scrubtext: 5 files rewritten\n");

    assert_bytes(
        &get(d, "w/crlf.txt"),
        crlf(EXPECTED).as_bytes(),
        "w/crlf.txt keeps CRLF",
    );
    assert_eq!(
        mode_of(&d.join("w/crlf.txt")),
        0o640,
        "w/crlf.txt keeps 0640"
    );
    assert_bytes(
        &get(d, "w/cp1252.txt"),
        &cp1252_out(),
        "w/cp1252.txt stays windows-1252",
    );
    assert_eq!(
        mode_of(&d.join("w/cp1252.txt")),
        0o604,
        "w/cp1252.txt keeps 0604"
    );
    assert_bytes(
        &gunzip(&get(d, "w/sub/article.txt.gz")),
        EXPECTED.as_bytes(),
        "w/sub/article.txt.gz stays gzip",
    );
    assert_bytes(
        &zstd_decompress(&get(d, "w/sub/article.txt.zst")),
        short_clean(2).as_bytes(),
        "w/sub/article.txt.zst stays zstd",
    );
    assert_bytes(
        &gunzip(&get(d, "w/sub/records.jsonl.gz")),
        records(&[EXPECTED, &short_clean(1)]).as_bytes(),
        "w/sub/records.jsonl.gz stays gzip",
    );
    assert_eq!(mode_of(&d.join("w/sub/records.jsonl.gz")), 0o600);

    for (name, (ino, mtime, bytes)) in &untouched {
        let metadata = fs::metadata(d.join(name)).expect("metadata");
        assert_eq!(metadata.ino(), *ino, "{name} is not replaced");
        assert_eq!(
            metadata.modified().expect("mtime"),
            *mtime,
            "{name} is not written"
        );
        assert_bytes(&get(d, name), bytes, name);
    }
    assert_eq!(
        names_below(&d.join("w")),
        before,
        "no temporary files are left"
    );

    // A second run finds nothing and touches nothing.
    let output = run(d, &["-w", "w"]);
    assert_code(&output, 0);
    assert_stderr(&output, "scrubtext: 0 files rewritten\n");
}

#[test]
fn write_on_stdin_prints_the_cleaned_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = run_stdin(dir.path(), &["-w"], SAMPLE);
    assert_code(&output, 0);
    assert_bytes(&output.stdout, EXPECTED.as_bytes(), "-w on stdin");
    assert!(names_below(dir.path()).is_empty(), "no file is written");
}

#[test]
fn write_on_jsonl_stdin_prints_the_cleaned_records() {
    // BUG: with --write, JSON Lines on standard input are cleaned (the
    // records are counted) but nothing at all is printed: `print_records`
    // in `Run::jsonl` is only set in print mode. Plain text on stdin under
    // -w is printed (test above).
    let dir = tempfile::tempdir().expect("temp dir");
    let input = records(&[SAMPLE, "Nothing to strip here."]);
    let output = run_stdin(dir.path(), &["-w", "--jsonl"], input);
    assert_code(&output, 0);
    assert_bytes(
        &output.stdout,
        records(&[EXPECTED, "Nothing to strip here."]).as_bytes(),
        "-w --jsonl on stdin",
    );
}

/// Runs `scrubtext` with a file size limit of `limit` bytes (and SIGXFSZ
/// ignored, so a write past it fails with EFBIG instead of killing the
/// process). Root is bound by the limit too, so this makes a per-file write
/// failure real for every user.
fn run_with_file_size_limit(dir: &Path, args: &[&str], limit: u64) -> Output {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("scrubtext"));
    command.current_dir(dir).args(args);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(move || {
            if libc::signal(libc::SIGXFSZ, libc::SIG_IGN) == libc::SIG_ERR {
                return Err(std::io::Error::last_os_error());
            }
            let rlimit = libc::rlimit {
                rlim_cur: limit as libc::rlim_t,
                rlim_max: limit as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &rlimit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    Command::from_std(command).output().expect("scrubtext runs")
}

/// A file that cannot be written (here: its cleaned form exceeds the file
/// size limit) is reported by path; the others are still rewritten; the
/// failed one is left exactly as it was, and no temporary file remains.
#[test]
fn write_failure_is_reported_and_the_other_files_are_rewritten() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    const LIMIT: u64 = 16 << 10;
    let big = SAMPLE.repeat(12);
    assert!(
        EXPECTED.len() * 12 > LIMIT as usize,
        "the cleaned big file exceeds the limit"
    );
    let many: Vec<String> = (0..400).map(short).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let big_records = records(&many);
    put(d, "w/a.txt", short(1));
    put(d, "w/big.txt", &big);
    put(d, "w/big.jsonl", &big_records);
    put(d, "w/z.txt", short(2));
    let inodes: Vec<u64> = ["w/big.txt", "w/big.jsonl"]
        .iter()
        .map(|n| fs::metadata(d.join(n)).expect("metadata").ino())
        .collect();
    let before = names_below(&d.join("w"));

    let output = run_with_file_size_limit(d, &["-w", "w"], LIMIT);
    assert_code(&output, 2);
    assert!(output.stdout.is_empty(), "{}", stdout_text(&output));
    let stderr = stderr_text(&output);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "scrubtext: w/big.jsonl: cannot write w/big.jsonl: file too large",
            "scrubtext: w/big.txt: cannot write w/big.txt: file too large while writing a temporary file",
            "scrubtext: 2 files rewritten",
        ],
        "{stderr}"
    );
    assert_bytes(&get(d, "w/a.txt"), short_clean(1).as_bytes(), "w/a.txt");
    assert_bytes(&get(d, "w/z.txt"), short_clean(2).as_bytes(), "w/z.txt");
    assert_bytes(
        &get(d, "w/big.txt"),
        big.as_bytes(),
        "w/big.txt is left whole",
    );
    assert_bytes(
        &get(d, "w/big.jsonl"),
        big_records.as_bytes(),
        "w/big.jsonl is left whole",
    );
    let after: Vec<u64> = ["w/big.txt", "w/big.jsonl"]
        .iter()
        .map(|n| fs::metadata(d.join(n)).expect("metadata").ino())
        .collect();
    assert_eq!(after, inodes, "the failed files are not replaced");
    assert_eq!(
        names_below(&d.join("w")),
        before,
        "no temporary files are left"
    );
}

/// A read-only file in a read-only folder cannot be rewritten. Permission
/// bits do not stop root, so as root this test checks nothing (the size
/// limit test above makes a write failure real for root).
#[test]
fn write_failure_in_a_read_only_folder() {
    if is_root() {
        eprintln!("skipped: permission bits are not enforced for root");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    put(d, "w/a.txt", short(1));
    put(d, "w/locked/inside.txt", SAMPLE);
    put(d, "w/z.txt", short(2));
    fs::set_permissions(
        d.join("w/locked/inside.txt"),
        fs::Permissions::from_mode(0o444),
    )
    .expect("chmod");
    fs::set_permissions(d.join("w/locked"), fs::Permissions::from_mode(0o555)).expect("chmod");

    let output = run(d, &["-w", "w"]);
    let names = names_below(&d.join("w"));
    fs::set_permissions(d.join("w/locked"), fs::Permissions::from_mode(0o755)).expect("chmod");

    assert_code(&output, 2);
    assert_stderr(
        &output,
        "scrubtext: w/locked/inside.txt: cannot write w/locked/inside.txt: permission denied while creating a temporary file in its folder\n\
         scrubtext: 2 files rewritten\n",
    );
    assert_bytes(&get(d, "w/a.txt"), short_clean(1).as_bytes(), "w/a.txt");
    assert_bytes(&get(d, "w/z.txt"), short_clean(2).as_bytes(), "w/z.txt");
    assert_bytes(
        &get(d, "w/locked/inside.txt"),
        SAMPLE.as_bytes(),
        "the locked file",
    );
    assert_eq!(
        names,
        ["a.txt", "locked/", "locked/inside.txt", "z.txt"],
        "no temporary files"
    );
}

// =========================================================================
// 5. --stats, --check, --diff, threads
// =========================================================================

/// Lines and bytes removed per category from one sample and `shorts`
/// short articles.
fn expected_categories(samples: usize, shorts: usize) -> BTreeMap<&'static str, (u64, u64)> {
    let lines: Vec<&str> = SAMPLE.split_inclusive('\n').collect();
    let mut categories: BTreeMap<&'static str, (u64, u64)> = BTreeMap::new();
    for _ in 0..samples {
        for (line, category) in SAMPLE_REMOVALS {
            let entry = categories.entry(category).or_default();
            entry.0 += 1;
            entry.1 += lines[line - 1].len() as u64;
        }
    }
    for _ in 0..shorts {
        let entry = categories.entry("widget").or_default();
        entry.0 += 1;
        entry.1 += AD.len() as u64;
    }
    categories
}

fn stats_folder(d: &Path) {
    put(d, "s/a.txt", SAMPLE);
    put(d, "s/b.txt", short(1));
    put(d, "s/c.txt", EXPECTED);
}

#[test]
fn stats_go_to_stderr_when_stdout_carries_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    stats_folder(dir.path());
    let output = run(dir.path(), &["--stats", "s"]);
    assert_code(&output, 0);
    assert_bytes(
        &output.stdout,
        [EXPECTED.to_string(), short_clean(1), EXPECTED.to_string()]
            .concat()
            .as_bytes(),
        "the cleaned text alone on stdout",
    );
    let categories = expected_categories(1, 1);
    let (lines, bytes) = categories
        .values()
        .fold((0, 0), |(l, b), (cl, cb)| (l + cl, b + cb));
    let mut wanted = format!(
        "3 documents read, 2 changed, 0 failed, 0 skipped; {lines} lines ({bytes} bytes) removed\n"
    );
    wanted.push_str(&format!(
        "{:<12} {:>10} {:>12}\n",
        "category", "lines", "bytes"
    ));
    for (name, (l, b)) in &categories {
        wanted.push_str(&format!("{name:<12} {l:>10} {b:>12}\n"));
    }
    wanted.push_str(&format!("{:<12} {:>10} {:>12}\n", "rule", "lines", "bytes"));
    let stderr = stderr_text(&output);
    assert!(
        stderr.starts_with(&wanted),
        "summary and categories:\n--- actual\n{stderr}\n--- expected to start with\n{wanted}"
    );
}

fn check_stats_json(stats: &Value, failed: u64) {
    let stats = &stats["stats"];
    assert_eq!(stats["documents"], 3, "{stats}");
    assert_eq!(stats["changed"], 2, "{stats}");
    assert_eq!(stats["failed"], failed, "{stats}");
    assert_eq!(stats["skipped"], 0, "{stats}");
    let categories = expected_categories(1, 1);
    let wanted: serde_json::Map<String, Value> = categories
        .iter()
        .map(|(name, (l, b))| {
            (
                name.to_string(),
                serde_json::json!({"lines": l, "bytes": b}),
            )
        })
        .collect();
    assert_eq!(stats["categories"], Value::Object(wanted), "{stats}");
    let (lines, bytes) = categories
        .values()
        .fold((0, 0), |(l, b), (cl, cb)| (l + cl, b + cb));
    assert_eq!(
        stats["removed"],
        serde_json::json!({"lines": lines, "bytes": bytes})
    );
    let rules = stats["rules"].as_object().expect("`rules` is an object");
    let rule_lines: u64 = rules.values().map(|r| r["lines"].as_u64().unwrap()).sum();
    assert_eq!(rule_lines, lines, "per-rule lines add up: {stats}");
}

#[test]
fn stats_json_with_out_dir_is_one_object_on_stderr() {
    let dir = tempfile::tempdir().expect("temp dir");
    stats_folder(dir.path());
    let output = run(
        dir.path(),
        &[
            "--out-dir",
            "out",
            "--stats",
            "--format",
            "json",
            "s",
            "missing.txt",
        ],
    );
    assert_code(&output, 2);
    // Reports go to standard error, whatever standard output carries.
    assert!(output.stdout.is_empty(), "stdout: {}", stdout_text(&output));
    let stderr = stderr_text(&output);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert_eq!(
        lines[0],
        "scrubtext: missing.txt: no such file or directory"
    );
    let stats: Value = serde_json::from_str(lines[1]).expect("JSON");
    check_stats_json(&stats, 1);
    assert_bytes(
        &get(dir.path(), "out/a.txt"),
        EXPECTED.as_bytes(),
        "out/a.txt",
    );
}

/// `-w --stats --format json`: the files are rewritten and the summary is
/// one JSON object on standard error; on standard input the cleaned text
/// goes to standard output.
#[test]
fn write_with_json_stats_rewrites_and_reports_on_stderr() {
    // BUG: `--format json` without --out-dir turns the run into --explain
    // before --write is looked at (src/app/mod.rs, `clean`), so `-w --stats
    // --format json` rewrites nothing and prints explanation records on
    // stdout instead.
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    stats_folder(d);
    let output = run(d, &["-w", "--stats", "--format", "json", "s"]);
    assert_code(&output, 0);
    assert!(output.stdout.is_empty(), "stdout: {}", stdout_text(&output));
    assert_bytes(&get(d, "s/a.txt"), EXPECTED.as_bytes(), "s/a.txt rewritten");
    assert_bytes(
        &get(d, "s/b.txt"),
        short_clean(1).as_bytes(),
        "s/b.txt rewritten",
    );
    let stderr = stderr_text(&output);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert_eq!(lines[0], "scrubtext: 2 files rewritten");
    check_stats_json(&serde_json::from_str(lines[1]).expect("JSON"), 0);

    let output = run_stdin(d, &["-w", "--stats", "--format", "json"], SAMPLE);
    assert_code(&output, 0);
    assert_bytes(&output.stdout, EXPECTED.as_bytes(), "stdin under -w");
}

#[test]
fn check_over_a_folder_lists_exactly_the_files_with_boilerplate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    put(d, "c/clean.txt", EXPECTED);
    put(d, "c/dirty.txt", short(1));
    put(d, "c/sub/article.txt.gz", gzip(SAMPLE.as_bytes()));
    put(d, "c/sub/clean.txt.zst", zstd_compress(EXPECTED.as_bytes()));
    put(
        d,
        "c/sub/records.jsonl",
        records(&[EXPECTED, SAMPLE, "Nothing to strip here.", SAMPLE]),
    );
    let output = run(d, &["--check", "c"]);
    assert_code(&output, 1);
    assert_eq!(
        stdout_text(&output),
        format!(
            "c/dirty.txt: 1 removal (widget 1)\n\
             c/sub/article.txt.gz: {SAMPLE_CHECK}\n\
             c/sub/records.jsonl:2: {SAMPLE_CHECK}\n\
             c/sub/records.jsonl:4: {SAMPLE_CHECK}\n"
        )
    );
    assert_stderr(&output, "");
    // Nothing is changed by --check.
    assert_bytes(&get(d, "c/dirty.txt"), short(1).as_bytes(), "c/dirty.txt");

    let output = run(d, &["--check", "c/clean.txt", "c/sub/clean.txt.zst"]);
    assert_code(&output, 0);
    assert!(output.stdout.is_empty(), "{}", stdout_text(&output));
}

/// The id of the rule that removes the advertisement label.
fn advertisement_rule(dir: &Path) -> String {
    let output = run_stdin(dir, &["--explain", "--format", "json"], AD);
    assert_code(&output, 0);
    let record: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    record["removals"][0]["rule"]
        .as_str()
        .expect("a rule id")
        .to_string()
}

#[test]
fn diff_over_a_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    put(d, "d/a.txt", short(1));
    put(d, "d/clean.txt", EXPECTED);
    put(d, "d/sub/b.txt", crlf(&short(2)));
    let rule = advertisement_rule(d);
    let output = run(d, &["--diff", "--color", "never", "d"]);
    assert_code(&output, 1);
    let hunk = |i: usize, eol: &str| {
        format!(
            "@@ -1,3 +1,2 @@ {rule} widget\n \
             Story {i}: the council met on Tuesday to discuss the library budget.{eol}\
             -Advertisement{eol}\
             \u{20}Members will vote on the plan at the next meeting, officials said.{eol}"
        )
    };
    let expected = format!(
        "--- a/d/a.txt\n+++ b/d/a.txt\n{}--- a/d/sub/b.txt\n+++ b/d/sub/b.txt\n{}",
        hunk(1, "\n"),
        hunk(2, "\r\n")
    );
    assert_bytes(&output.stdout, expected.as_bytes(), "--diff over a folder");
    assert_stderr(&output, "");
    assert_bytes(
        &get(d, "d/a.txt"),
        short(1).as_bytes(),
        "--diff changes nothing",
    );
}

#[test]
fn threads_give_the_same_output_in_input_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let mut expected = String::new();
    for i in 0..50 {
        // Larger files first in name order, so that a parallel run that
        // printed in order of completion would differ.
        let filler: String = (0..(50 - i) * 20)
            .map(|k| {
                format!("Paragraph {k} of story {i}: residents asked the board about the plan.\n")
            })
            .collect();
        let (text, cleaned) = match i % 3 {
            0 => (SAMPLE.to_string(), EXPECTED.to_string()),
            1 => (filler.clone() + &short(i), filler + &short_clean(i)),
            _ => (short_clean(i) + &filler, short_clean(i) + &filler),
        };
        put(d, &format!("many/f{i:02}.txt"), text);
        expected.push_str(&cleaned);
    }
    let one = run(d, &["-j", "1", "many"]);
    assert_code(&one, 0);
    assert_bytes(&one.stdout, expected.as_bytes(), "-j 1");
    assert_stderr(&one, "");
    for _ in 0..3 {
        let two = run(d, &["-j", "2", "many"]);
        assert_code(&two, 0);
        assert_bytes(&two.stdout, &one.stdout, "-j 2 against -j 1");
        assert_stderr(&two, "");
    }
    let check_one = run(d, &["--check", "-j", "1", "many"]);
    let check_two = run(d, &["--check", "-j", "2", "many"]);
    assert_code(&check_two, 1);
    assert_eq!(stdout_text(&check_one).lines().count(), 34);
    assert_bytes(
        &check_two.stdout,
        &check_one.stdout,
        "--check -j 2 against -j 1",
    );
}

#[test]
fn jsonl_streaming_with_threads_keeps_record_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    // More records than one parallel batch holds (8192).
    const N: usize = 20_000;
    let mut input = String::new();
    let mut expected = String::new();
    for i in 0..N {
        let (text, cleaned) = if i % 2 == 0 {
            (short(i), short_clean(i))
        } else {
            (short_clean(i), short_clean(i))
        };
        input.push_str(&format!("{{\"id\":{i},\"text\":{}}}\n", json_string(&text)));
        expected.push_str(&format!(
            "{{\"id\":{i},\"text\":{}}}\n",
            json_string(&cleaned)
        ));
    }
    put(d, "big.jsonl", &input);
    for threads in ["1", "2"] {
        let output = run(d, &["-j", threads, "big.jsonl"]);
        assert_code(&output, 0);
        assert_bytes(
            &output.stdout,
            expected.as_bytes(),
            &format!("-j {threads}: records in order"),
        );
        assert_stderr(&output, "");
    }
    let output = run(d, &["--check", "-j", "2", "big.jsonl"]);
    assert_code(&output, 1);
    let wanted: String = (0..N)
        .step_by(2)
        .map(|i| format!("big.jsonl:{}: 1 removal (widget 1)\n", i + 1))
        .collect();
    assert_bytes(
        &output.stdout,
        wanted.as_bytes(),
        "--check -j 2 in record order",
    );
}

// =========================================================================
// 6. Errors
// =========================================================================

#[test]
fn a_missing_path_in_a_batch_is_reported_and_the_others_come_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    put(d, "a.txt", short(1));
    put(d, "sub/b.txt", SAMPLE);
    put(d, "sub/c.jsonl", records(&[SAMPLE]));
    let expected = [short_clean(1), EXPECTED.to_string(), records(&[EXPECTED])].concat();

    let output = run(d, &["a.txt", "missing.txt", "sub", "gone.jsonl"]);
    assert_code(&output, 2);
    assert_bytes(&output.stdout, expected.as_bytes(), "the good inputs");
    assert_stderr(
        &output,
        "scrubtext: missing.txt: no such file or directory\n\
         scrubtext: gone.jsonl: no such file or directory\n",
    );

    // The same under --out-dir: the others are written.
    let output = run(d, &["--out-dir", "out", "a.txt", "missing.txt", "sub"]);
    assert_code(&output, 2);
    assert!(output.stdout.is_empty());
    assert_stderr(
        &output,
        "scrubtext: missing.txt: no such file or directory\n",
    );
    assert_eq!(
        names_below(&d.join("out")),
        ["a.txt", "b.txt", "c.jsonl"],
        "a file named directly goes to the top, a folder's files below it"
    );
}

#[test]
fn out_dir_that_cannot_be_created_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    put(d, "blocker", "a regular file\n");
    put(d, "in/a.txt", SAMPLE);
    put(d, "in/sub/b.txt", short(1));
    put(d, "in/sub/c.jsonl", records(&[SAMPLE]));
    let before = names_below(d);

    let output = run(d, &["--out-dir", "blocker/out", "in"]);
    assert_code(&output, 2);
    assert!(output.stdout.is_empty(), "{}", stdout_text(&output));
    let stderr = stderr_text(&output);
    assert!(!stderr.is_empty());
    assert!(!stderr.contains("panicked"), "{stderr}");
    for line in stderr.lines() {
        assert!(
            line.starts_with("scrubtext: ")
                && line.contains("blocker/out")
                && line.contains("not a directory"),
            "each error names the output folder and why: {stderr}"
        );
    }
    assert_eq!(names_below(d), before, "nothing is written anywhere");
    assert_eq!(get(d, "blocker"), b"a regular file\n");
}

#[test]
fn out_dir_mirrors_files_named_directly_by_their_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    put(d, "a/x.txt", SAMPLE);
    put(d, "b/x.txt", short(1));
    let output = run(d, &["a/x.txt", "./b/x.txt", "--out-dir", "out"]);
    assert_code(&output, 0);
    assert_bytes(&get(d, "out/a/x.txt"), EXPECTED.as_bytes(), "out/a/x.txt");
    assert_bytes(
        &get(d, "out/b/x.txt"),
        short_clean(1).as_bytes(),
        "out/b/x.txt",
    );
}

#[test]
fn out_dir_never_overwrites_one_input_with_another() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    put(d, "p/x.txt", SAMPLE);
    put(d, "q/x.txt", short(1));
    put(d, "q/y.jsonl", records(&["Body.\nAdvertisement"]));
    put(d, "p/y.jsonl", records(&["Body.\nAdvertisement"]));
    // Each folder is mirrored below the output folder: both hold x.txt.
    let output = run(d, &["p", "q", "--out-dir", "out"]);
    assert_code(&output, 2);
    assert_stderr(
        &output,
        "scrubtext: q/x.txt: would be written to out/x.txt, which holds p/x.txt already; it was not written\n\
         scrubtext: q/y.jsonl: would be written to out/y.jsonl, which holds p/y.jsonl already; it was not written\n",
    );
    assert_bytes(&get(d, "out/x.txt"), EXPECTED.as_bytes(), "out/x.txt");
    assert_eq!(
        names_below(&d.join("out")),
        ["x.txt", "y.jsonl"],
        "nothing else written"
    );
}

#[test]
fn write_removes_temporary_files_left_by_a_stopped_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    put(d, "s/a.txt", short(1));
    put(d, "s/sub/.scrubtext-tmp-Xy12Zq-b.txt", "half written");
    put(d, "s/.hidden.txt", "not ours");
    let output = run(d, &["--check", "s"]);
    assert_code(&output, 1);
    assert_stderr(
        &output,
        "scrubtext: note: s/sub/.scrubtext-tmp-Xy12Zq-b.txt is a temporary file left by a run that was stopped; `scrubtext -w` over its folder removes it\n\
         scrubtext: note: skipped 1 hidden file or folder\n",
    );
    let output = run(d, &["-w", "s"]);
    assert_code(&output, 0);
    assert_stderr(
        &output,
        "scrubtext: note: removed s/sub/.scrubtext-tmp-Xy12Zq-b.txt, a temporary file left by a run that was stopped\n\
         scrubtext: note: skipped 1 hidden file or folder\n\
         scrubtext: 1 file rewritten\n",
    );
    assert_eq!(
        names_below(d),
        ["s/", "s/.hidden.txt", "s/a.txt", "s/sub/"],
        "the leftover is gone, the rest stays"
    );
    assert_bytes(&get(d, "s/a.txt"), short_clean(1).as_bytes(), "s/a.txt");
}
