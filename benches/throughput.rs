//! Speed and memory of the scrubtext binary, as ratios against peers timed
//! in the same run, on at least 300 MB of article text built from the
//! labeled corpora beside the repository (nothing is downloaded).
//!
//! The input follows the recipe in `benches/reference.toml`: the `text`
//! field of every record of the listed corpora, each followed by a line
//! break, in file order, the whole repeated `repeat` times, as one plain
//! text file (one document); and the records themselves, repeated as many
//! times, as one JSON Lines file. Both are kept in `target/bench-corpus`.
//!
//! It prints:
//! - plain text: `scrubtext -j 1` (and `--no-model`) against GNU
//!   `grep -v -i -F -f benches/grep-phrases.txt` (75 everyday boilerplate
//!   phrases) and against a raw Aho-Corasick scan of the same bytes with the
//!   stripper's own automaton configuration and phrases;
//! - JSON Lines: `-j 2` against `-j 1`;
//! - peak resident memory of every run, and of an empty input;
//! - start-up time: the least and the median of many runs on empty input;
//! - whether the SHA-256 of every output equals the reference recorded in
//!   `benches/reference.toml`, so that speed never changes a decision.
//!
//! Every output, grep's included, goes through a pipe into this process
//! (grep stops early when writing to `/dev/null`). Wall-clock times on a
//! shared machine are noisy: each timed command runs `SCRUBTEXT_BENCH_RUNS`
//! times (default 1; the peers 3 times) and the least time counts, and
//! CPU seconds are printed beside them.
//!
//! Run with `cargo bench --bench throughput`. `SCRUBTEXT_BENCH_REPEAT`
//! overrides the recipe's repetitions (the reference check is then skipped);
//! `SCRUBTEXT_BENCH_RECORD=1` writes the SHA-256 of this run's outputs into
//! `benches/reference.toml` (only for a build known to decide as the
//! reference did).

use std::fs;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde::Deserialize;
use sha2::{Digest, Sha256};

const MB: f64 = 1_000_000.0;
/// The plain text input must be at least this large.
const MIN_TEXT_BYTES: u64 = 300_000_000;
/// Runs of the binary on empty input, for its start-up time.
const STARTUP_RUNS: usize = 50;
/// Runs of the peers (grep, the raw scan), the least time counting.
const PEER_RUNS: usize = 3;

/// `benches/reference.toml`: the input's recipe and the outputs' SHA-256.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Reference {
    corpus_dir: String,
    sources: Vec<String>,
    repeat: usize,
    source_sha256: std::collections::BTreeMap<String, String>,
    output_sha256: std::collections::BTreeMap<String, String>,
}

struct Inputs {
    text: PathBuf,
    jsonl: PathBuf,
    text_bytes: u64,
    jsonl_bytes: u64,
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Builds (or reuses) the plain text and JSON Lines inputs of the recipe.
fn build_inputs(manifest: &Path, reference: &Reference, repeat: usize) -> Inputs {
    let root = manifest.join("target/bench-corpus");
    let text = root.join(format!("text-x{repeat}.txt"));
    let jsonl = root.join(format!("records-x{repeat}.jsonl"));
    let marker = root.join(format!("complete-x{repeat}"));
    if !marker.exists() {
        fs::create_dir_all(&root).unwrap();
        let mut texts = Vec::new();
        let mut records = Vec::new();
        for source in &reference.sources {
            let path = manifest.join(&reference.corpus_dir).join(source);
            let file = fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            for line in BufReader::new(file).lines() {
                let line = line.unwrap();
                if line.trim().is_empty() {
                    continue;
                }
                let record: serde_json::Value = serde_json::from_str(&line).unwrap();
                let field = record["text"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{}: a record without a text field", path.display()));
                texts.extend_from_slice(field.as_bytes());
                texts.push(b'\n');
                records.extend_from_slice(line.as_bytes());
                records.push(b'\n');
            }
        }
        for (path, unit) in [(&text, &texts), (&jsonl, &records)] {
            let mut out = BufWriter::new(fs::File::create(path).unwrap());
            for _ in 0..repeat {
                out.write_all(unit).unwrap();
            }
            out.flush().unwrap();
        }
        fs::write(&marker, "").unwrap();
    }
    Inputs {
        text_bytes: fs::metadata(&text).unwrap().len(),
        jsonl_bytes: fs::metadata(&jsonl).unwrap().len(),
        text,
        jsonl,
    }
}

/// One run of a command: wall-clock and CPU seconds, peak memory, and the
/// SHA-256 and length of what it printed.
struct Run {
    wall: f64,
    cpu: f64,
    peak_mb: f64,
    output_sha256: String,
    output_bytes: u64,
}

/// Runs `program` under `/usr/bin/time` (which gives its CPU time and peak
/// memory: a child spawned from this process would inherit this process's
/// peak), with its standard output read through a pipe here.
fn run(program: &Path, args: &[&str], stdin: Option<&Path>) -> Run {
    let usage_file = std::env::temp_dir().join(format!("scrubtext-bench-{}", std::process::id()));
    let start = Instant::now();
    let mut command = Command::new("/usr/bin/time");
    command
        .args(["-f", "%x %U %S %M", "-o"])
        .arg(&usage_file)
        .arg(program)
        .args(args)
        .env("LC_ALL", "C.UTF-8")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    match stdin {
        Some(path) => command.stdin(fs::File::open(path).unwrap()),
        None => command.stdin(Stdio::null()),
    };
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("/usr/bin/time {}: {e}", program.display()));
    let mut stdout = child.stdout.take().unwrap();
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    let mut output_bytes = 0u64;
    loop {
        let read = stdout.read(&mut buffer).unwrap();
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        output_bytes += read as u64;
    }
    child.wait().unwrap();
    let wall = start.elapsed().as_secs_f64();
    let usage = fs::read_to_string(&usage_file).unwrap();
    let _ = fs::remove_file(&usage_file);
    // The last line: "Command exited with non-zero status" may come first.
    let fields: Vec<f64> = usage
        .lines()
        .last()
        .unwrap_or("")
        .split_whitespace()
        .map(|f| f.parse().unwrap())
        .collect();
    let [exit, user, system, peak_kb] = fields[..] else {
        panic!("/usr/bin/time printed {usage:?}");
    };
    // grep -v exits 1 when it prints nothing; scrubtext exits 0.
    assert!(
        exit <= 1.0,
        "{} {args:?} exited with {exit}",
        program.display()
    );
    Run {
        wall,
        cpu: user + system,
        peak_mb: peak_kb * 1024.0 / MB,
        output_sha256: hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        output_bytes,
    }
}

/// Wall-clock seconds of one run of `program` on empty input.
fn startup(program: &Path) -> f64 {
    let start = Instant::now();
    let status = Command::new(program)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    let wall = start.elapsed().as_secs_f64();
    assert!(status.success(), "scrubtext on empty input failed");
    wall
}

/// The run of least wall-clock time among `times` runs; all must print
/// the same.
fn best_of(times: usize, program: &Path, args: &[&str], stdin: Option<&Path>) -> Run {
    let mut best: Option<Run> = None;
    for _ in 0..times.max(1) {
        let this = run(program, args, stdin);
        if let Some(best) = &best {
            assert_eq!(
                best.output_sha256, this.output_sha256,
                "{args:?} printed different outputs in two runs"
            );
        }
        if best.as_ref().is_none_or(|b| this.wall < b.wall) {
            best = Some(this);
        }
    }
    best.unwrap()
}

fn main() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let reference_path = manifest.join("benches/reference.toml");
    let reference_text = fs::read_to_string(&reference_path).unwrap();
    let reference: Reference = toml::from_str(&reference_text)
        .unwrap_or_else(|e| panic!("{}: {e}", reference_path.display()));
    // Before the release build, which takes minutes: without the corpora
    // there is nothing to measure.
    let mut sources_as_recorded = true;
    for source in &reference.sources {
        let path = manifest.join(&reference.corpus_dir).join(source);
        let Ok(bytes) = fs::read(&path) else {
            eprintln!(
                "throughput: {} is absent; the benchmark builds its input from it (the labeled corpora beside the repository)",
                path.display()
            );
            std::process::exit(2);
        };
        if reference.source_sha256.get(source) != Some(&sha256_hex(&bytes)) {
            println!(
                "note: {source} is not the file the reference was recorded from: outputs are not compared"
            );
            sources_as_recorded = false;
        }
    }
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "--bin", "scrubtext"])
        .current_dir(&manifest)
        .status()
        .unwrap();
    assert!(status.success(), "cargo build --release failed");
    let binary = manifest.join("target/release/scrubtext");
    let runs: usize = std::env::var("SCRUBTEXT_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let repeat: usize = std::env::var("SCRUBTEXT_BENCH_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(reference.repeat);
    let record = std::env::var_os("SCRUBTEXT_BENCH_RECORD").is_some_and(|v| v == "1");
    let compare = sources_as_recorded && repeat == reference.repeat;

    let inputs = build_inputs(&manifest, &reference, repeat);
    let text_mb = inputs.text_bytes as f64 / MB;
    let jsonl_mb = inputs.jsonl_bytes as f64 / MB;
    println!(
        "input: {text_mb:.0} MB of plain text ({}), {jsonl_mb:.0} MB of JSON Lines; {} x {}",
        inputs.text.display(),
        reference.sources.join(" + "),
        repeat
    );
    if repeat == reference.repeat {
        assert!(
            inputs.text_bytes >= MIN_TEXT_BYTES,
            "the recipe makes only {text_mb:.0} MB of plain text"
        );
    }

    // Warm the page cache.
    let text_bytes = fs::read(&inputs.text).unwrap();
    let _ = fs::read(&inputs.jsonl).unwrap();

    let grep_phrases = manifest.join("benches/grep-phrases.txt");
    let grep = best_of(
        PEER_RUNS,
        Path::new("grep"),
        &[
            "-v",
            "-i",
            "-F",
            "-f",
            grep_phrases.to_str().unwrap(),
            inputs.text.to_str().unwrap(),
        ],
        None,
    );

    let stripper = scrubtext::Stripper::new(scrubtext::RuleSet::builtin());
    let automaton = scrubtext::phrase_automaton(stripper.patterns());
    let mut raw_scan = f64::INFINITY;
    let mut raw_matches = 0usize;
    for _ in 0..PEER_RUNS {
        let start = Instant::now();
        raw_matches = automaton.find_overlapping_iter(&text_bytes).count();
        raw_scan = raw_scan.min(start.elapsed().as_secs_f64());
    }
    std::hint::black_box(raw_matches);
    drop(text_bytes);

    let text_path = inputs.text.to_str().unwrap();
    let jsonl_path = inputs.jsonl.to_str().unwrap();
    let text_one = best_of(runs, &binary, &["-j", "1", text_path], None);
    let text_no_model = best_of(runs, &binary, &["-j", "1", "--no-model", text_path], None);
    let jsonl_one = best_of(runs, &binary, &["-j", "1", jsonl_path], None);
    let jsonl_no_model = best_of(runs, &binary, &["-j", "1", "--no-model", jsonl_path], None);
    let jsonl_two = best_of(runs, &binary, &["-j", "2", jsonl_path], None);

    let empty = run(&binary, &[], None);
    assert_eq!(empty.output_bytes, 0, "empty input printed something");
    let empty_peak = empty.peak_mb;
    let mut startup: Vec<f64> = (0..STARTUP_RUNS).map(|_| startup(&binary)).collect();
    startup.sort_by(f64::total_cmp);

    let speed = |bytes: f64, seconds: f64| bytes / seconds;
    let grep_speed = speed(text_mb, grep.wall);
    let scan_speed = speed(text_mb, raw_scan);
    println!(
        "phrases: {} in the automaton, {} for grep; {raw_matches} raw matches",
        stripper.patterns().count(),
        fs::read_to_string(&grep_phrases).unwrap().lines().count()
    );
    println!();
    println!(
        "{:<34} {:>9} {:>9} {:>10} {:>9} {:>8}",
        "run", "wall s", "cpu s", "MB/s", "peak MB", "x input"
    );
    let row = |name: &str, run: &Run, mb: f64| {
        println!(
            "{name:<34} {:>9.2} {:>9.2} {:>10.1} {:>9.0} {:>8.2}",
            run.wall,
            run.cpu,
            speed(mb, run.wall),
            run.peak_mb,
            run.peak_mb / mb
        );
    };
    row("grep -v -i -F -f (plain text)", &grep, text_mb);
    println!(
        "{:<34} {:>9.2} {:>9} {:>10.1}",
        "raw Aho-Corasick scan (plain text)", raw_scan, "", scan_speed
    );
    row("scrubtext -j 1 (plain text)", &text_one, text_mb);
    row("scrubtext -j 1 --no-model (plain)", &text_no_model, text_mb);
    row("scrubtext -j 1 (JSON Lines)", &jsonl_one, jsonl_mb);
    row(
        "scrubtext -j 1 --no-model (JSONL)",
        &jsonl_no_model,
        jsonl_mb,
    );
    row("scrubtext -j 2 (JSON Lines)", &jsonl_two, jsonl_mb);
    println!();
    let ratio = |run: &Run| speed(text_mb, run.wall);
    println!(
        "plain text -j 1 / grep:          {:.3} (--no-model {:.3}; by CPU time {:.3})",
        ratio(&text_one) / grep_speed,
        ratio(&text_no_model) / grep_speed,
        grep.cpu / text_one.cpu
    );
    println!(
        "plain text -j 1 / raw scan:      {:.3} (--no-model {:.3})",
        ratio(&text_one) / scan_speed,
        ratio(&text_no_model) / scan_speed
    );
    println!(
        "JSON Lines -j 2 / -j 1:          {:.2}",
        jsonl_one.wall / jsonl_two.wall
    );
    println!(
        "the scorer's cost (CPU time, -j 1, with / without it): plain text +{:.0}%, JSON Lines +{:.0}%",
        (text_one.cpu / text_no_model.cpu - 1.0) * 100.0,
        (jsonl_one.cpu / jsonl_no_model.cpu - 1.0) * 100.0
    );
    println!(
        "peak memory: empty input {empty_peak:.0} MB; plain text {:.0} MB ({:.2}x its size); JSON Lines -j 2 {:.0} MB",
        text_one.peak_mb,
        text_one.peak_mb / text_mb,
        jsonl_two.peak_mb
    );
    println!(
        "start-up (empty input, {STARTUP_RUNS} runs): least {:.1} ms, median {:.1} ms",
        startup[0] * 1000.0,
        startup[STARTUP_RUNS / 2] * 1000.0
    );

    let outputs = [
        ("text", &text_one),
        ("text_no_model", &text_no_model),
        ("jsonl", &jsonl_one),
        ("jsonl_no_model", &jsonl_no_model),
        ("jsonl", &jsonl_two),
    ];
    if record {
        assert_eq!(
            jsonl_one.output_sha256, jsonl_two.output_sha256,
            "-j 1 and -j 2 printed different JSON Lines"
        );
        let head = reference_text
            .find("[output_sha256]")
            .map_or(reference_text.as_str(), |at| &reference_text[..at]);
        let mut text = format!("{head}[output_sha256]\n");
        for (name, run) in &outputs[..4] {
            text.push_str(&format!("{name} = \"{}\"\n", run.output_sha256));
        }
        fs::write(&reference_path, text).unwrap();
        println!("outputs recorded in {}", reference_path.display());
    } else if compare {
        let differ: Vec<String> = outputs
            .iter()
            .zip(["-j 1", "-j 1 --no-model", "-j 1", "-j 1 --no-model", "-j 2"])
            .filter(|((name, run), _)| {
                reference.output_sha256.get(*name) != Some(&run.output_sha256)
            })
            .map(|((name, _), how)| format!("{name} ({how})"))
            .collect();
        if differ.is_empty() {
            println!("outputs: identical to the reference (SHA-256 of all five)");
        } else {
            println!("outputs: DIFFER from the reference: {}", differ.join(", "));
            std::process::exit(1);
        }
    } else {
        println!("outputs: not compared (input other than the recipe's)");
    }
}
