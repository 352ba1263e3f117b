//! The cleaning run over a batch of inputs: reading (and decompressing),
//! decoding, stripping in parallel, and then, in input order, printing,
//! writing files in place or under `--out-dir`, and counting.
//!
//! Plain-text files are documents: batches of them are cleaned in parallel.
//! A JSON Lines input is streamed: batches of its records are cleaned in
//! parallel and written in order, so memory stays flat however large the
//! file.

use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use encoding_rs::Encoding;
use indicatif::ProgressBar;
use rayon::prelude::*;

use super::inputs::Input;
use super::stats::Stats;
use super::{RunError, Status};
use crate::compress::{self, Compression};
use crate::decode::{self, DecodeError};
use crate::jsonl::{FieldPath, LineOutcome, RecordIssue, clean_line};
use crate::output::describe_io;
use crate::output::{self, AtomicFile};
use crate::report::{Cleaned, Printer};
use crate::stripper::{Objection, Outcome, Removal, Stripper};

/// What the run does with each cleaned input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Print the cleaned text (or write it under `--out-dir`).
    Print,
    /// Print a diff.
    Diff,
    /// List inputs with boilerplate.
    Check,
    /// List every removal.
    Explain,
    /// Rewrite files in place.
    Write,
}

/// Settings of a cleaning run.
pub struct Options {
    /// The mode.
    pub mode: Mode,
    /// Read inputs in this encoding instead of detecting it.
    pub forced: Option<&'static Encoding>,
    /// Treat every input as JSON Lines.
    pub jsonl: bool,
    /// The field cleaned in JSON Lines records.
    pub field: FieldPath,
    /// Write cleaned files under this folder.
    pub out_dir: Option<PathBuf>,
}

/// Plain-text files cleaned together, in parallel.
const FILES_PER_BATCH: usize = 256;
/// JSON Lines records cleaned together: at most this many bytes...
const RECORD_BATCH_BYTES: usize = 1 << 20;
/// ...and this many records.
const RECORD_BATCH_LINES: usize = 8192;

/// The state of a cleaning run.
pub struct Run<'a> {
    /// The threads that clean.
    pub pool: &'a rayon::ThreadPool,
    /// The stripper, built once.
    pub stripper: &'a Stripper,
    /// The settings.
    pub options: &'a Options,
    /// The printer of the mode, if the mode prints.
    pub printer: Option<Box<dyn Printer + 'a>>,
    /// Where printed output goes.
    pub out: &'a mut dyn Write,
    /// Where errors and notes go.
    pub err: &'a mut dyn Write,
    /// The progress bar (hidden unless standard error is a terminal).
    pub progress: ProgressBar,
    /// Counts.
    pub stats: Stats,
    /// The status so far.
    pub status: Status,
    /// Status when something is found.
    pub found: Status,
    /// Files rewritten by `--write`.
    pub rewritten: u64,
}

/// A plain-text input, read and cleaned.
struct TextDone {
    input: Input,
    text: String,
    /// The cleaned text, when anything was removed.
    cleaned: Option<String>,
    removals: Vec<Removal>,
    objections: Vec<Objection>,
    /// What to write to a file (in place or under `--out-dir`).
    output: Option<Vec<u8>>,
}

enum TextResult {
    Done(TextDone),
    /// Not text, found while walking a folder: skipped with a note.
    Skipped(Input, String),
    Failed(Input, String),
}

/// A batch of JSON Lines records as read, with what cleaning made of them.
type CleanedBatch = (Vec<Vec<u8>>, Vec<RecordDone>);

/// One line of a JSON Lines input, cleaned.
struct RecordDone {
    line: u64,
    outcome: LineOutcome,
    removals: Vec<Removal>,
    objections: Vec<Objection>,
    /// The field before and after, kept for the printers that show them.
    texts: Option<(String, String)>,
}

fn is_jsonl_path(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let name = name.to_ascii_lowercase();
    let name = name
        .strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".zst"))
        .unwrap_or(&name);
    name.ends_with(".jsonl") || name.ends_with(".ndjson")
}

impl<'a> Run<'a> {
    /// Cleans every input, in order.
    pub fn inputs(&mut self, inputs: Vec<Input>, stdin: &mut dyn Read) -> Result<(), RunError> {
        let (stripper, options, pool) = (self.stripper, self.options, self.pool);
        let single_thread = pool.current_num_threads() == 1;
        // While the pool cleans one batch of files, this thread prints or
        // writes the batch before it.
        pool.in_place_scope(|scope| {
            let start =
                |batch: Vec<(Input, Option<Vec<u8>>)>| -> Option<mpsc::Receiver<Vec<TextResult>>> {
                    if batch.is_empty() {
                        return None;
                    }
                    let (sender, receiver) = mpsc::channel();
                    let task = move || {
                        let results: Vec<TextResult> = batch
                            .into_par_iter()
                            .map(|(input, bytes)| clean_text(stripper, options, input, bytes))
                            .collect();
                        // The receiver is gone only if the run stopped.
                        let _ = sender.send(results);
                    };
                    // With one thread (-j 1) everything runs on this one.
                    if single_thread {
                        pool.install(task);
                    } else {
                        scope.spawn(move |_| task());
                    }
                    Some(receiver)
                };
            let mut in_flight = None;
            let mut batch: Vec<(Input, Option<Vec<u8>>)> = Vec::new();
            for input in inputs {
                let jsonl = self.options.jsonl
                    || matches!(&input, Input::File { path, .. } if is_jsonl_path(path));
                if jsonl {
                    let next = start(std::mem::take(&mut batch));
                    self.text_done_batch(in_flight.take())?;
                    self.text_done_batch(next)?;
                    self.jsonl(&input, stdin)?;
                    self.progress.inc(1);
                    continue;
                }
                let bytes = if input == Input::Stdin {
                    let mut bytes = Vec::new();
                    match stdin.read_to_end(&mut bytes) {
                        Ok(_) => Some(bytes),
                        Err(e) => {
                            self.fail(&input.name(), &describe_io(&e))?;
                            continue;
                        }
                    }
                } else {
                    None
                };
                batch.push((input, bytes));
                if batch.len() == FILES_PER_BATCH {
                    let next = start(std::mem::take(&mut batch));
                    self.text_done_batch(in_flight.take())?;
                    in_flight = next;
                }
            }
            let next = start(batch);
            self.text_done_batch(in_flight.take())?;
            self.text_done_batch(next)
        })
    }

    fn fail(&mut self, name: &str, message: &str) -> Result<(), RunError> {
        self.status = Status::Error;
        self.stats.failed += 1;
        let err = &mut *self.err;
        self.progress
            .suspend(|| writeln!(err, "scrubtext: {name}: {message}"))?;
        Ok(())
    }

    fn note(&mut self, message: &str) -> Result<(), RunError> {
        let err = &mut *self.err;
        self.progress
            .suspend(|| writeln!(err, "scrubtext: note: {message}"))?;
        Ok(())
    }

    /// Prints or writes a batch of cleaned files, in order, once cleaned.
    fn text_done_batch(
        &mut self,
        receiver: Option<mpsc::Receiver<Vec<TextResult>>>,
    ) -> Result<(), RunError> {
        let Some(receiver) = receiver else {
            return Ok(());
        };
        let results = receiver.recv().expect("a cleaning task reports");
        let mut results = results;
        for result in results.iter_mut() {
            self.progress.inc(1);
            match result {
                TextResult::Done(done) => self.text_done(done)?,
                TextResult::Skipped(input, reason) => {
                    self.stats.skipped += 1;
                    self.note(&format!("skipping {}: {reason}", input.name()))?;
                }
                TextResult::Failed(input, message) => self.fail(&input.name(), message)?,
            }
        }
        // The texts were allocated on the pool's threads: they are freed
        // there too, which spares the allocator locks shared with this one.
        if self.pool.current_num_threads() > 1 {
            self.pool.spawn(move || drop(results));
        }
        Ok(())
    }

    fn text_done(&mut self, done: &mut TextDone) -> Result<(), RunError> {
        let name = done.input.name();
        self.stats.document(&done.removals);
        let changed = done.cleaned.is_some();
        let target = match (&done.input, self.options.mode, &self.options.out_dir) {
            (Input::File { path, .. }, Mode::Write, _) if changed => Some(path.clone()),
            (Input::File { path, root, .. }, Mode::Print, Some(out_dir)) => {
                Some(output::mirror_path(path, root, out_dir))
            }
            _ => None,
        };
        if let (Some(target), Some(bytes)) = (target, &done.output) {
            let written = if self.options.mode == Mode::Write {
                output::write_atomically(&target, bytes)
            } else {
                output::write_creating_folders(&target, bytes)
            };
            match written {
                Ok(()) if self.options.mode == Mode::Write => self.rewritten += 1,
                Ok(()) => {}
                Err(e) => self.fail(&name, &e.to_string())?,
            }
        }
        let to_stdout = matches!(self.options.mode, Mode::Diff | Mode::Check | Mode::Explain)
            || done.input == Input::Stdin
            || (self.options.mode == Mode::Print && self.options.out_dir.is_none());
        if to_stdout && let Some(printer) = self.printer.as_mut() {
            let outcome = Outcome {
                text: done
                    .cleaned
                    .as_deref()
                    .map_or(Cow::Borrowed(done.text.as_str()), Cow::Borrowed),
                removals: std::mem::take(&mut done.removals),
                objections: std::mem::take(&mut done.objections),
            };
            let doc = Cleaned {
                name: &name,
                original: &done.text,
                outcome: &outcome,
            };
            let out = &mut *self.out;
            let printed = self.progress.suspend(|| printer.document(out, &doc));
            // Back to the record, to be freed with it on the pool.
            let Outcome { removals, .. } = outcome;
            done.removals = removals;
            printed?;
        }
        if changed {
            self.status = self.status.max(self.found);
        }
        Ok(())
    }

    /// Streams one JSON Lines input.
    fn jsonl(&mut self, input: &Input, stdin: &mut dyn Read) -> Result<(), RunError> {
        let name = input.name();
        let mut reader: Box<dyn BufRead + '_> = match input {
            Input::Stdin => Box::new(BufReader::with_capacity(1 << 16, stdin)),
            Input::File { path, .. } => match open(path) {
                Ok(reader) => reader,
                Err(message) => return self.fail(&name, &message),
            },
        };
        let mode = self.options.mode;
        let target = match (input, mode, &self.options.out_dir) {
            (Input::File { path, .. }, Mode::Write, _) => Some(path.clone()),
            (Input::File { path, root, .. }, Mode::Print, Some(out_dir)) => {
                Some(output::mirror_path(path, root, out_dir))
            }
            _ => None,
        };
        let mut sink = match &target {
            Some(target) => match FileSink::create(target, mode != Mode::Write) {
                Ok(sink) => Some(sink),
                Err(message) => return self.fail(&name, &message),
            },
            None => None,
        };
        // Standard input under --write has no file to rewrite: it is printed.
        let print_records = sink.is_none() && matches!(mode, Mode::Print | Mode::Write);
        let keep_texts = matches!(mode, Mode::Diff | Mode::Explain);
        let mut line_no: u64 = 0;
        let mut lines_read: u64 = 0;
        let mut changed_records = 0u64;
        let mut spare: Vec<Vec<u8>> = Vec::new();
        let (stripper, field) = (self.stripper, &self.options.field);
        let pool = self.pool;
        let single_thread = pool.current_num_threads() == 1;
        // While the pool cleans one batch, this thread writes the batch
        // before it and reads the one after.
        let streamed = pool.in_place_scope(|scope| -> Result<Option<String>, RunError> {
            let mut in_flight: Option<mpsc::Receiver<CleanedBatch>> = None;
            let mut failed_read: Option<String> = None;
            loop {
                let mut batch: Vec<Vec<u8>> = Vec::new();
                let mut bytes = 0;
                let mut read_error = None;
                while failed_read.is_none()
                    && bytes < RECORD_BATCH_BYTES
                    && batch.len() < RECORD_BATCH_LINES
                {
                    let mut line = spare.pop().unwrap_or_default();
                    line.clear();
                    match reader.read_until(b'\n', &mut line) {
                        Ok(0) => break,
                        Ok(n) => {
                            bytes += n;
                            batch.push(line);
                        }
                        Err(e) => {
                            read_error = Some(e);
                            break;
                        }
                    }
                }
                let next = if batch.is_empty() {
                    None
                } else {
                    let first = lines_read + 1;
                    lines_read += batch.len() as u64;
                    let (sender, receiver) = mpsc::channel();
                    let task = move || {
                        let results = clean_records(stripper, field, &batch, first, keep_texts);
                        // The receiver is gone only if writing failed.
                        let _ = sender.send((batch, results));
                    };
                    // With one thread (-j 1) everything runs on this one.
                    if single_thread {
                        pool.install(task);
                    } else {
                        scope.spawn(move |_| task());
                    }
                    Some(receiver)
                };
                if let Some(receiver) = in_flight.take() {
                    let (raw_batch, results) = receiver.recv().expect("a cleaning task reports");
                    let mut results = results;
                    for (raw, record) in raw_batch.iter().zip(results.iter_mut()) {
                        line_no = record.line;
                        let bytes: &[u8] = match &record.outcome {
                            LineOutcome::Changed(line) => {
                                changed_records += 1;
                                line
                            }
                            _ => raw,
                        };
                        if let Some(sink) = sink.as_mut() {
                            if let Err(e) = sink.writer.write_all(bytes) {
                                return Ok(Some(format!(
                                    "cannot write {}: {}",
                                    sink.path.display(),
                                    describe_io(&e)
                                )));
                            }
                        } else if print_records {
                            let out = &mut *self.out;
                            self.progress.suspend(|| out.write_all(bytes))?;
                        }
                        self.record_done(&name, record)?;
                    }
                    spare.extend(raw_batch);
                    // The records were allocated on the pool's threads: they
                    // are freed there too, which spares the allocator locks
                    // shared with this thread.
                    if single_thread {
                        drop(results);
                    } else {
                        scope.spawn(move |_| drop(results));
                    }
                    self.progress
                        .set_message(format!("{name}: {line_no} lines"));
                }
                if let Some(e) = read_error {
                    // What was read before the error is written first.
                    failed_read = Some(format!(
                        "line {}: cannot read: {}",
                        lines_read + 1,
                        describe_io(&e)
                    ));
                }
                match next {
                    Some(receiver) => in_flight = Some(receiver),
                    None => return Ok(failed_read),
                }
            }
        })?;
        if let Some(message) = streamed {
            return self.fail(&name, &message);
        }
        if let Some(sink) = sink {
            if changed_records == 0 {
                // In place, a file with nothing to strip is not touched;
                // under --out-dir it is copied as it was (a compressed one
                // keeps its very bytes rather than being compressed anew).
                drop(sink);
                return match (mode, input, &target) {
                    (Mode::Print, Input::File { path, .. }, Some(target)) => {
                        match output::copy_atomically(path, target) {
                            Ok(()) => Ok(()),
                            Err(e) => self.fail(&name, &e.to_string()),
                        }
                    }
                    _ => Ok(()),
                };
            }
            match sink.finish() {
                Ok(()) if mode == Mode::Write => self.rewritten += 1,
                Ok(()) => {}
                Err(message) => self.fail(&name, &message)?,
            }
        }
        Ok(())
    }

    fn record_done(&mut self, name: &str, record: &mut RecordDone) -> Result<(), RunError> {
        let record_name = || format!("{name}:{}", record.line);
        match &record.outcome {
            LineOutcome::Blank => return Ok(()),
            LineOutcome::Issue(issue @ RecordIssue::Invalid(_)) => {
                return self.fail(&record_name(), &issue.to_string());
            }
            LineOutcome::Issue(issue) => {
                self.stats.documents += 1;
                return self.note(&format!("{}: passed through: {issue}", record_name()));
            }
            LineOutcome::Changed(_) | LineOutcome::Unchanged => {}
        }
        self.stats.document(&record.removals);
        let explains_objections =
            self.options.mode == Mode::Explain && !record.objections.is_empty();
        if record.removals.is_empty() && !explains_objections {
            return Ok(());
        }
        if !record.removals.is_empty() {
            self.status = self.status.max(self.found);
        }
        if !matches!(self.options.mode, Mode::Diff | Mode::Check | Mode::Explain) {
            return Ok(());
        }
        let Some(printer) = self.printer.as_mut() else {
            return Ok(());
        };
        let (original, cleaned) = record.texts.take().unwrap_or_default();
        let outcome = Outcome {
            text: Cow::Owned(cleaned),
            removals: std::mem::take(&mut record.removals),
            objections: std::mem::take(&mut record.objections),
        };
        let record_name = record_name();
        let doc = Cleaned {
            name: &record_name,
            original: &original,
            outcome: &outcome,
        };
        let out = &mut *self.out;
        self.progress.suspend(|| printer.document(out, &doc))?;
        Ok(())
    }
}

/// Cleans a batch of JSON Lines records in parallel; runs on the pool.
fn clean_records(
    stripper: &Stripper,
    field: &FieldPath,
    batch: &[Vec<u8>],
    first: u64,
    keep_texts: bool,
) -> Vec<RecordDone> {
    batch
        .par_iter()
        .enumerate()
        .map(|(i, raw)| {
            let line = first + i as u64;
            let mut removals = Vec::new();
            let mut objections = Vec::new();
            let mut texts = None;
            let outcome = clean_line(raw, line == 1, field, |text| {
                let outcome = stripper.strip(text);
                objections = outcome.objections;
                if outcome.removals.is_empty() {
                    return None;
                }
                let cleaned = outcome.text.into_owned();
                removals = outcome.removals;
                if keep_texts {
                    texts = Some((text.to_string(), cleaned.clone()));
                }
                Some(cleaned)
            });
            RecordDone {
                line,
                outcome,
                removals,
                objections,
                texts,
            }
        })
        .collect()
}

/// An output file written while a JSON Lines input streams through it.
struct FileSink {
    path: PathBuf,
    writer: compress::Writer<io::BufWriter<AtomicFile>>,
}

impl FileSink {
    fn create(path: &Path, create_folders: bool) -> Result<FileSink, String> {
        if create_folders && let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {}", parent.display(), describe_io(&e)))?;
        }
        let file = AtomicFile::create(path).map_err(|e| e.to_string())?;
        let writer = compress::Writer::new(
            io::BufWriter::with_capacity(1 << 16, file),
            Compression::from_path(path),
        )
        .map_err(|e| format!("cannot write {}: {}", path.display(), describe_io(&e)))?;
        Ok(FileSink {
            path: path.to_path_buf(),
            writer,
        })
    }

    fn finish(self) -> Result<(), String> {
        let path = self.path;
        let failed = |e: io::Error| format!("cannot write {}: {}", path.display(), describe_io(&e));
        let buffered = self.writer.finish().map_err(failed)?;
        let file = buffered.into_inner().map_err(|e| failed(e.into_error()))?;
        file.commit().map_err(|e| e.to_string())
    }
}

/// Opens a file for reading, decompressing by its extension.
fn open(path: &Path) -> Result<Box<dyn BufRead + Send>, String> {
    if path.is_dir() {
        return Err("is a directory, expected a file".to_string());
    }
    let file = std::fs::File::open(path).map_err(|e| describe_io(&e))?;
    compress::reader(file, Compression::from_path(path)).map_err(|e| describe_io(&e))
}

/// Reads, decodes and strips one plain-text input; runs on a worker thread.
fn clean_text(
    stripper: &Stripper,
    options: &Options,
    input: Input,
    bytes: Option<Vec<u8>>,
) -> TextResult {
    let (path, walked) = match &input {
        Input::File { path, walked, .. } => (Some(path.clone()), *walked),
        Input::Stdin => (None, false),
    };
    let copies_unchanged = options.mode == Mode::Print && options.out_dir.is_some();
    // The file's bytes as they are on disk, kept for --out-dir, which
    // copies a file with nothing to strip as it was.
    let mut raw = None;
    let bytes = match (bytes, &path) {
        (Some(bytes), _) => bytes,
        (None, Some(path)) => {
            if path.is_dir() {
                return TextResult::Failed(input, "is a directory, expected a file".to_string());
            }
            let on_disk = match std::fs::read(path) {
                Ok(bytes) => bytes,
                Err(e) => return TextResult::Failed(input, describe_io(&e)),
            };
            let compression = Compression::from_path(path);
            if compression == Compression::None {
                if copies_unchanged {
                    raw = Some(on_disk.clone());
                }
                on_disk
            } else {
                match compress::decompress(&on_disk, compression) {
                    Ok(bytes) => {
                        if copies_unchanged {
                            raw = Some(on_disk);
                        }
                        bytes
                    }
                    Err(e) => return TextResult::Failed(input, describe_io(&e)),
                }
            }
        }
        (None, None) => Vec::new(),
    };
    let decoded = match decode::decode_owned(bytes, options.forced) {
        Ok(decoded) => decoded,
        Err(e @ DecodeError::Binary { .. }) if walked => {
            return TextResult::Skipped(input, e.to_string());
        }
        Err(e) => return TextResult::Failed(input, e.to_string()),
    };
    let outcome = stripper.strip(&decoded.text);
    let removals = outcome.removals;
    let objections = outcome.objections;
    let cleaned = match outcome.text {
        Cow::Owned(text) if !removals.is_empty() => Some(text),
        _ => None,
    };
    let writes_file =
        path.is_some() && (options.mode == Mode::Write && cleaned.is_some() || copies_unchanged);
    let output = if !writes_file {
        None
    } else if let Some(cleaned) = &cleaned {
        if !decoded.round_trips {
            let message = format!(
                "cannot write it back in {} without changing bytes that were not removed; it was left as it was",
                decoded.source
            );
            return TextResult::Failed(input, message);
        }
        let compression = path
            .as_deref()
            .map_or(Compression::None, Compression::from_path);
        let encoded = match decode::encode(cleaned, decoded.source) {
            Ok(encoded) => encoded,
            Err(e) => return TextResult::Failed(input, e.to_string()),
        };
        match compress::compress(&encoded, compression) {
            Ok(bytes) => Some(bytes),
            Err(e) => return TextResult::Failed(input, describe_io(&e)),
        }
    } else {
        raw
    };
    TextResult::Done(TextDone {
        input,
        text: decoded.text,
        cleaned,
        removals,
        objections,
        output,
    })
}
