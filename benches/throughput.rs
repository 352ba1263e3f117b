//! Throughput and memory of scrubtext on a corpus of at least 1 GB, built by
//! repeating `../shared/corpus/dev.jsonl` (nothing is downloaded), as plain
//! text files and as one JSON Lines file.
//!
//! For each form it prints MB/s for: reading the bytes alone; the raw
//! Aho-Corasick scan of the same bytes with the same phrases (the matcher's
//! own limit); scrubtext with one thread and with all threads, run as the
//! release binary; and the peak memory of each scrubtext run. Then the
//! targets, as ratios within this one run.
//!
//! Run with `cargo bench --bench throughput`. `SCRUBTEXT_BENCH_MB` sets the
//! corpus size (default 1024); the corpus is kept in `target/bench-corpus`
//! between runs.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use aho_corasick::{AhoCorasick, MatchKind};
use scrubtext::{RuleSet, Stripper};

const MB: f64 = 1_000_000.0;
const FILES_PER_FOLDER: usize = 1000;

struct Corpus {
    jsonl: PathBuf,
    text_dir: PathBuf,
    text_files: Vec<PathBuf>,
    bytes_jsonl: u64,
    bytes_text: u64,
}

fn build_corpus(root: &Path, target_bytes: u64) -> Corpus {
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dev.jsonl");
    let records: Vec<String> = BufReader::new(
        fs::File::open(&source).unwrap_or_else(|e| panic!("{}: {e}", source.display())),
    )
    .lines()
    .map(|l| l.unwrap())
    .filter(|l| !l.trim().is_empty())
    .collect();
    let texts: Vec<String> = records
        .iter()
        .map(|r| {
            serde_json::from_str::<serde_json::Value>(r).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let marker = root.join(format!("complete-{target_bytes}"));
    let jsonl = root.join("corpus.jsonl");
    let text_dir = root.join("text");
    if !marker.exists() {
        let _ = fs::remove_dir_all(root);
        fs::create_dir_all(&text_dir).unwrap();
        let mut out = std::io::BufWriter::new(fs::File::create(&jsonl).unwrap());
        let mut written = 0u64;
        while written < target_bytes {
            for record in &records {
                writeln!(out, "{record}").unwrap();
                written += record.len() as u64 + 1;
            }
        }
        out.flush().unwrap();
        let mut written = 0u64;
        let mut index = 0usize;
        while written < target_bytes {
            for text in &texts {
                let folder = text_dir.join(format!("{:04}", index / FILES_PER_FOLDER));
                if index.is_multiple_of(FILES_PER_FOLDER) {
                    fs::create_dir_all(&folder).unwrap();
                }
                fs::write(folder.join(format!("{index:07}.txt")), text).unwrap();
                written += text.len() as u64;
                index += 1;
            }
        }
        fs::write(&marker, "").unwrap();
    }
    let mut text_files = Vec::new();
    for folder in fs::read_dir(&text_dir).unwrap() {
        for file in fs::read_dir(folder.unwrap().path()).unwrap() {
            text_files.push(file.unwrap().path());
        }
    }
    text_files.sort();
    let bytes_text = text_files
        .iter()
        .map(|p| fs::metadata(p).unwrap().len())
        .sum();
    let bytes_jsonl = fs::metadata(&jsonl).unwrap().len();
    Corpus {
        jsonl,
        text_dir,
        text_files,
        bytes_jsonl,
        bytes_text,
    }
}

/// Reads every byte (files one by one, or the JSON Lines file in lines) and
/// hands each piece to `each`; returns the seconds taken.
fn time_pass(corpus: &Corpus, jsonl: bool, mut each: impl FnMut(&[u8])) -> f64 {
    let start = Instant::now();
    if jsonl {
        let mut reader = BufReader::with_capacity(1 << 16, fs::File::open(&corpus.jsonl).unwrap());
        let mut line = Vec::new();
        while reader.read_until(b'\n', &mut line).unwrap() > 0 {
            each(&line);
            line.clear();
        }
    } else {
        let mut buffer = Vec::new();
        for path in &corpus.text_files {
            buffer.clear();
            fs::File::open(path)
                .unwrap()
                .read_to_end(&mut buffer)
                .unwrap();
            each(&buffer);
        }
    }
    start.elapsed().as_secs_f64()
}

/// Runs the scrubtext binary; returns seconds and peak memory in MB.
#[allow(clippy::zombie_processes)] // reaped by wait4, which also gives its peak memory
fn time_scrubtext(binary: &Path, args: &[&str]) -> (f64, f64) {
    let start = Instant::now();
    let child = Command::new(binary)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the scrubtext binary runs");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child and fills a zeroed rusage.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let seconds = start.elapsed().as_secs_f64();
    assert_eq!(waited, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "scrubtext {args:?} failed: {status}"
    );
    (seconds, usage.ru_maxrss as f64 * 1024.0 / MB)
}

fn main() {
    let target_mb: u64 = std::env::var("SCRUBTEXT_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // Before the release build, which takes minutes: without the corpus
    // there is nothing to measure.
    let source = manifest.join("../shared/corpus/dev.jsonl");
    if !source.is_file() {
        eprintln!(
            "throughput: {} is absent; the benchmark builds its corpus from it (the labeled corpora beside the repository)",
            source.display()
        );
        std::process::exit(2);
    }
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "--bin", "scrubtext"])
        .current_dir(&manifest)
        .status()
        .unwrap();
    assert!(status.success(), "cargo build --release failed");
    let binary = manifest.join("target/release/scrubtext");
    let corpus = build_corpus(
        &manifest.join("target/bench-corpus"),
        target_mb * 1024 * 1024,
    );
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());

    let stripper = Stripper::new(RuleSet::builtin());
    let patterns: Vec<&str> = stripper.patterns().collect();
    let raw = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(true)
        .build(&patterns)
        .unwrap();
    println!(
        "corpus: {:.0} MB of text in {} files, {:.0} MB of JSON Lines; {} phrases; {threads} threads",
        corpus.bytes_text as f64 / MB,
        corpus.text_files.len(),
        corpus.bytes_jsonl as f64 / MB,
        patterns.len()
    );
    println!(
        "{:<12} {:>10} {:>10} {:>14} {:>14} {:>10} {:>10}",
        "form",
        "read",
        "raw scan",
        "scrubtext -j1",
        &format!("scrubtext -j{threads}"),
        "RSS -j1",
        &format!("RSS -j{threads}")
    );
    let mut failures = Vec::new();
    for jsonl in [false, true] {
        let (name, bytes) = if jsonl {
            ("json lines", corpus.bytes_jsonl)
        } else {
            ("text files", corpus.bytes_text)
        };
        let mb = bytes as f64 / MB;
        // Warm the page cache, then time.
        time_pass(&corpus, jsonl, |_| {});
        let read = time_pass(&corpus, jsonl, |b| {
            std::hint::black_box(b);
        });
        let mut matches = 0usize;
        let scan = time_pass(&corpus, jsonl, |b| {
            matches += raw.find_overlapping_iter(b).count()
        });
        std::hint::black_box(matches);
        let input = if jsonl {
            corpus.jsonl.to_str().unwrap()
        } else {
            corpus.text_dir.to_str().unwrap()
        };
        let (one, rss_one) = time_scrubtext(&binary, &[input, "-j", "1"]);
        let all_threads = threads.to_string();
        let (all, rss_all) = time_scrubtext(&binary, &[input, "-j", &all_threads]);
        println!(
            "{name:<12} {:>7.0} MB/s {:>5.0} MB/s {:>9.1} MB/s {:>9.1} MB/s {:>7.0} MB {:>7.0} MB",
            mb / read,
            mb / scan,
            mb / one,
            mb / all,
            rss_one,
            rss_all
        );
        let versus_raw = (mb / one) / (mb / scan);
        let scaling = one / all;
        let wanted = if jsonl { 0.40 } else { 0.50 };
        println!(
            "  {name}: -j1 is {:.0}% of the raw scan (target {:.0}%), -j{threads} is {scaling:.2}x -j1 (target 1.8x)",
            versus_raw * 100.0,
            wanted * 100.0
        );
        if versus_raw < wanted {
            failures.push(format!(
                "{name}: -j1 at {:.0}% of the raw scan",
                versus_raw * 100.0
            ));
        }
        if threads >= 2 && scaling < 1.8 {
            failures.push(format!("{name}: -j{threads} only {scaling:.2}x -j1"));
        }
        if jsonl && rss_all.max(rss_one) >= 64.0 {
            failures.push(format!(
                "{name}: peak memory {:.0} MB",
                rss_all.max(rss_one)
            ));
        }
    }
    if failures.is_empty() {
        println!("all targets met");
    } else {
        println!("targets missed: {}", failures.join("; "));
    }
}
