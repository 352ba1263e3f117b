//! The cleaning run over a batch of inputs: reading (and decompressing),
//! decoding, stripping in parallel, and then, in input order, printing,
//! writing files in place or under `--out-dir`, and counting.
//!
//! Plain-text files are documents: batches of them are cleaned in parallel.
//! A JSON Lines input is streamed: batches of its records are cleaned in
//! parallel and written in order, so memory stays flat however large the
//! file.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use indicatif::ProgressBar;
use rayon::prelude::*;

use super::inputs::Input;
use super::ordered::ordered;
use super::reporter::Reporter;
use super::resolve::{Dest, Mode, Resolved};
use super::stats::Stats;
use super::{RunError, Status};
use crate::compress::{self, Compression};
use crate::output::describe_io;
use crate::output::{self, AtomicFile};
use crate::report::{Cleaned, Printer};
use scrubtext::decode::{self, DecodeError};
use scrubtext::jsonl::{FieldPath, LineOutcome, RecordIssue, clean_line};
use scrubtext::{Objection, Outcome, Removal, Removed, Stripper};

/// Plain-text files cleaned together, in parallel.
const FILES_PER_BATCH: usize = 256;

/// JSON Lines records cleaned together: at most this many bytes...
const RECORD_BATCH_BYTES: usize = 1 << 20;
/// ...and this many records.
const RECORD_BATCH_LINES: usize = 8192;
/// Capacity of the record buffers kept between batches, at most.
const SPARE_BYTES: usize = 2 * RECORD_BATCH_BYTES;

/// The state of a cleaning run.
pub struct Run<'a, 'w> {
    /// The threads that clean.
    pub pool: &'a rayon::ThreadPool,
    /// The stripper, built once.
    pub stripper: &'a Stripper,
    /// The settings, resolved.
    pub options: &'a Resolved,
    /// The printer of the mode.
    pub printer: Box<dyn Printer + 'a>,
    /// Where printed output goes.
    pub out: &'a mut dyn Write,
    /// Where errors and notes go.
    pub reporter: &'a mut Reporter<'w>,
    /// The progress bar (hidden unless standard error is a terminal).
    pub progress: ProgressBar,
    /// Counts.
    pub stats: Stats,
    /// The status so far.
    pub status: Status,
    /// Files rewritten by `--write`.
    pub rewritten: u64,
    /// The files written under `--out-dir`, and the input each came from.
    written: HashMap<PathBuf, String>,
}

/// A plain-text input, read and cleaned.
struct TextDone {
    /// The file as it was before it was read, for `-w`.
    stamp: Option<Stamp>,
    /// What decoding had to replace, said in a note.
    decoding: Option<String>,
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
    /// Not named as JSON Lines, but its first line is a JSON object: it is
    /// streamed as JSON Lines (from these bytes, for standard input).
    Jsonl(Input, Option<Vec<u8>>),
    /// A JSON Lines input, streamed in its turn.
    Stream(Input),
}

/// An input as it goes to the pool.
enum Item {
    /// A text input, with the bytes of standard input, read already.
    Text(Input, Option<Vec<u8>>),
    /// A JSON Lines input, streamed when its turn comes, not read here.
    Stream(Input),
}

/// The inputs of a run, made into batches.
struct Feed<'f, 'a, 'w> {
    run: &'f mut Run<'a, 'w>,
    stdin: &'f mut dyn Read,
    inputs: std::vec::IntoIter<Input>,
}

impl Feed<'_, '_, '_> {
    /// The next batch of inputs, `None` when there is none.
    fn next_batch(&mut self) -> Result<Option<Vec<Item>>, RunError> {
        let mut batch = Vec::new();
        while batch.len() < FILES_PER_BATCH {
            let Some(input) = self.inputs.next() else {
                break;
            };
            let jsonl = self.run.options.jsonl
                || matches!(&input, Input::File { path, .. } if is_jsonl_path(path));
            if jsonl {
                batch.push(Item::Stream(input));
            } else if input == Input::Stdin {
                let mut bytes = Vec::new();
                match self.stdin.read_to_end(&mut bytes) {
                    Ok(_) => batch.push(Item::Text(input, Some(bytes))),
                    Err(e) => self.run.fail(&input.name(), &describe_io(&e))?,
                }
            } else {
                batch.push(Item::Text(input, None));
            }
        }
        Ok((!batch.is_empty()).then_some(batch))
    }
}

/// A JSON Lines input as it streams through the run.
struct Stream<'s, 'a, 'w> {
    run: &'s mut Run<'a, 'w>,
    name: &'s str,
    raw_name: &'s [u8],
    reader: Box<dyn BufRead + 's>,
    /// Line buffers of written batches, to be read into again.
    spare: Vec<Vec<u8>>,
    lines_read: u64,
    /// Why the stream stopped early: a line that cannot be read, or an
    /// output that cannot be written.
    failed: Option<String>,
    sink: Option<&'s mut FileSink>,
    /// Records go to standard output.
    print_records: bool,
    changed_records: u64,
    /// Records with and without the field: a field that no record has is
    /// a mistake in --field, not a file with nothing to clean.
    with_field: u64,
    without_field: u64,
}

/// Keeps the buffers of a batch written out for the next batches to read
/// into, but only up to `limit` bytes of capacity in all: one long record
/// must not leave a spare buffer as long as it for the rest of the file.
fn keep_spare(spare: &mut Vec<Vec<u8>>, batch: &mut Vec<Vec<u8>>, limit: usize) {
    let mut kept: usize = spare.iter().map(Vec::capacity).sum();
    for line in batch.drain(..) {
        if kept + line.capacity() <= limit {
            kept += line.capacity();
            spare.push(line);
        }
    }
}

impl Stream<'_, '_, '_> {
    /// The next batch of lines, with the number of its first line; `None`
    /// at the end or after a line that cannot be read.
    fn next_batch(&mut self) -> Option<(u64, Vec<Vec<u8>>)> {
        if self.failed.is_some() {
            return None;
        }
        let mut batch: Vec<Vec<u8>> = Vec::new();
        let mut bytes = 0;
        while bytes < RECORD_BATCH_BYTES && batch.len() < RECORD_BATCH_LINES {
            let mut line = self.spare.pop().unwrap_or_default();
            line.clear();
            match self.reader.read_until(b'\n', &mut line) {
                Ok(0) => break,
                Ok(n) => {
                    bytes += n;
                    batch.push(line);
                }
                Err(e) => {
                    // What was read before the error is written first.
                    self.failed = Some(format!(
                        "line {}: cannot read: {}",
                        self.lines_read + batch.len() as u64 + 1,
                        describe_io(&e)
                    ));
                    break;
                }
            }
        }
        if batch.is_empty() {
            return None;
        }
        let first = self.lines_read + 1;
        self.lines_read += batch.len() as u64;
        Some((first, batch))
    }

    /// Writes a cleaned batch of records, in order, and reports on them.
    fn write_batch(
        &mut self,
        raw_batch: &mut Vec<Vec<u8>>,
        results: &mut [RecordDone],
    ) -> Result<ControlFlow<()>, RunError> {
        let mut line_no = 0;
        for (raw, record) in raw_batch.iter().zip(results.iter_mut()) {
            line_no = record.line;
            match &record.outcome {
                LineOutcome::Issue(RecordIssue::MissingField { .. }) => self.without_field += 1,
                LineOutcome::Changed(_)
                | LineOutcome::Unchanged
                | LineOutcome::Issue(RecordIssue::NotAString { .. }) => self.with_field += 1,
                _ => {}
            }
            let bytes: &[u8] = match &record.outcome {
                LineOutcome::Changed(line) => {
                    self.changed_records += 1;
                    line
                }
                _ => raw,
            };
            if let Some(sink) = self.sink.as_mut() {
                if let Err(e) = sink.writer.write_all(bytes) {
                    self.failed = Some(format!(
                        "cannot write {}: {}",
                        sink.path.display(),
                        describe_io(&e)
                    ));
                    return Ok(ControlFlow::Break(()));
                }
            } else if self.print_records {
                let out = &mut *self.run.out;
                self.run.progress.suspend(|| out.write_all(bytes))?;
            }
            self.run.record_done(self.name, self.raw_name, record)?;
        }
        keep_spare(&mut self.spare, raw_batch, SPARE_BYTES);
        self.run
            .progress
            .set_message(format!("{}: {line_no} lines", self.name));
        Ok(ControlFlow::Continue(()))
    }
}

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

impl<'a, 'w> Run<'a, 'w> {
    /// A run that has done nothing yet.
    pub fn new(
        pool: &'a rayon::ThreadPool,
        stripper: &'a Stripper,
        options: &'a Resolved,
        out: &'a mut dyn Write,
        reporter: &'a mut Reporter<'w>,
        progress: ProgressBar,
    ) -> Run<'a, 'w> {
        Run {
            pool,
            stripper,
            options,
            printer: options.mode.printer(options.format, options.color),
            out,
            reporter,
            progress,
            stats: Stats::default(),
            status: Status::Clean,
            rewritten: 0,
            written: HashMap::new(),
        }
    }

    /// Cleans every input, in order: files in parallel batches, JSON Lines
    /// inputs streamed, each in its place.
    pub fn inputs(&mut self, inputs: Vec<Input>, stdin: &mut dyn Read) -> Result<(), RunError> {
        let (stripper, options, pool) = (self.stripper, self.options, self.pool);
        let mut feed = Feed {
            run: self,
            stdin,
            inputs: inputs.into_iter(),
        };
        ordered(
            pool,
            &mut feed,
            |feed| feed.next_batch(),
            |batch: Vec<Item>| -> Vec<TextResult> {
                batch
                    .into_par_iter()
                    .map(|item| match item {
                        Item::Text(input, bytes) => clean_text(stripper, options, input, bytes),
                        Item::Stream(input) => TextResult::Stream(input),
                    })
                    .collect()
            },
            |feed, results| {
                for result in results.iter_mut() {
                    feed.run.text_result(result, &mut *feed.stdin)?;
                }
                Ok(ControlFlow::Continue(()))
            },
        )
    }

    /// Reports an input that failed; the run ends with an error.
    pub fn fail(&mut self, name: &str, message: &str) -> Result<(), RunError> {
        self.status = Status::Error;
        self.stats.failed += 1;
        self.reporter.error_in(name, message)?;
        Ok(())
    }

    /// Writes a note on standard error.
    pub fn note(&mut self, message: &str) -> Result<(), RunError> {
        self.reporter.note(message)?;
        Ok(())
    }

    /// A note of a kind that may come once per input or per record: the
    /// first few are shown, the others counted.
    fn note_of(&mut self, kind: &'static str, message: &str) -> Result<(), RunError> {
        self.reporter.note_of(kind, message)?;
        Ok(())
    }

    /// Claims `target` under `--out-dir` for the input `name`: a second
    /// input that would go to the same file is an error, not an overwrite.
    fn claim(&mut self, target: &Path, name: &str) -> Result<bool, RunError> {
        if let Some(first) = self.written.get(target) {
            let message = format!(
                "would be written to {}, which holds {first} already; it was not written",
                target.display()
            );
            self.fail(name, &message)?;
            return Ok(false);
        }
        self.written.insert(target.to_path_buf(), name.to_string());
        Ok(true)
    }

    /// Prints or writes one input of a batch, once cleaned.
    fn text_result(
        &mut self,
        result: &mut TextResult,
        stdin: &mut dyn Read,
    ) -> Result<(), RunError> {
        self.progress.inc(1);
        match result {
            TextResult::Done(done) => self.text_done(done),
            TextResult::Skipped(input, reason) => {
                self.stats.skipped += 1;
                self.note(&format!("skipping {}: {reason}", input.name()))
            }
            TextResult::Failed(input, message) => self.fail(&input.name(), message),
            TextResult::Stream(input) => self.jsonl(input, stdin),
            TextResult::Jsonl(input, bytes) => {
                let name = input.name();
                self.note_of(
                    "inputs read as JSON Lines",
                    &format!(
                        "{name}: read as JSON Lines, since its first line is a JSON object (--jsonl says so for every input)"
                    ),
                )?;
                let mut bytes: &[u8] = bytes.as_deref().unwrap_or_default();
                self.jsonl(input, &mut bytes)
            }
        }
    }

    fn text_done(&mut self, done: &mut TextDone) -> Result<(), RunError> {
        let name = done.input.name();
        if let Some(message) = &done.decoding {
            self.note_of("decoding", &format!("{name}: {message}"))?;
        }
        if self.options.field_given {
            self.note_of(
                "--field",
                &format!(
                    "{name}: --field applies to JSON Lines only; this input was cleaned as text (--jsonl reads it as JSON Lines)"
                ),
            )?;
        }
        self.stats.document(&done.removals);
        let changed = !done.removals.is_empty();
        let options = self.options;
        let dest = &options.dest;
        // In place, a file with nothing to strip is not touched.
        let target = dest
            .file_for(&done.input)
            .filter(|_| changed || *dest != Dest::InPlace);
        if let (Some(target), Some(bytes)) = (target, &done.output)
            && (*dest == Dest::InPlace || self.claim(&target, &name)?)
        {
            let written = if *dest == Dest::InPlace {
                rewrite(&target, bytes, done.stamp.as_ref())
            } else {
                output::write_creating_folders(&target, bytes).map_err(|e| e.to_string())
            };
            match written {
                Ok(()) if *dest == Dest::InPlace => self.rewritten += 1,
                Ok(()) => {}
                Err(message) => self.fail(&name, &message)?,
            }
        }
        let to_stdout = self.options.mode.reports() || self.options.dest.prints(&done.input);
        if to_stdout {
            let printer = &mut self.printer;
            let raw_name = done.input.raw_name();
            let doc = Cleaned {
                name: &name,
                raw_name: &raw_name,
                original: &done.text,
                cleaned: done.cleaned.as_deref(),
                removals: &done.removals,
                objections: &done.objections,
            };
            let out = &mut *self.out;
            self.progress.suspend(|| printer.document(out, &doc))?;
        }
        if changed {
            self.status = self.status.max(self.options.mode.found());
        }
        Ok(())
    }

    /// Streams one JSON Lines input.
    fn jsonl(&mut self, input: &Input, stdin: &mut dyn Read) -> Result<(), RunError> {
        let name = input.name();
        let raw_name = input.raw_name();
        let options = self.options;
        let dest = &options.dest;
        let mut stamp = None;
        let reader: Box<dyn BufRead + '_> = match input {
            Input::Stdin => Box::new(BufReader::with_capacity(1 << 16, stdin)),
            Input::File { path, .. } => {
                let rewrites = *dest == Dest::InPlace || options.mode == Mode::DryRun;
                if let Some(reason) = refused(path, rewrites) {
                    return self.fail(&name, &reason);
                }
                if *dest == Dest::InPlace {
                    stamp = Stamp::of(path);
                }
                match open(path) {
                    Ok(reader) => reader,
                    Err(message) => return self.fail(&name, &message),
                }
            }
        };
        let target = dest.file_for(input);
        if *dest != Dest::InPlace
            && let Some(target) = &target
            && !self.claim(target, &name)?
        {
            return Ok(());
        }
        let mut sink = match &target {
            Some(target) => match FileSink::create(target, *dest != Dest::InPlace) {
                Ok(sink) => Some(sink),
                Err(message) => return self.fail(&name, &message),
            },
            None => None,
        };
        // Standard input under --write has no file to rewrite: it is printed.
        let print_records = sink.is_none() && self.options.mode == Mode::Clean;
        let keep_texts = self.options.mode.shows_texts();
        let max = self.options.max_document_bytes;
        let (stripper, field, pool) = (self.stripper, &self.options.field, self.pool);
        let (streamed, changed_records, with_field, without_field) = {
            let mut stream = Stream {
                run: self,
                name: &name,
                raw_name: &raw_name,
                reader,
                spare: Vec::new(),
                lines_read: 0,
                failed: None,
                sink: sink.as_mut(),
                print_records,
                changed_records: 0,
                with_field: 0,
                without_field: 0,
            };
            // While the pool cleans one batch, this thread writes the batch
            // before it and reads the one after.
            ordered(
                pool,
                &mut stream,
                |stream| Ok(stream.next_batch()),
                |(first, batch): (u64, Vec<Vec<u8>>)| {
                    let results = clean_records(stripper, field, &batch, first, keep_texts, max);
                    (batch, results)
                },
                |stream, (raw_batch, results)| stream.write_batch(raw_batch, results),
            )?;
            (
                stream.failed,
                stream.changed_records,
                stream.with_field,
                stream.without_field,
            )
        };
        if let Some(message) = streamed {
            return self.fail(&name, &message);
        }
        if without_field > 0 && with_field == 0 {
            let records = if without_field == 1 {
                "record"
            } else {
                "records"
            };
            let message = format!(
                "no record has the field {} ({without_field} {records} passed through as they were); --field names the field to clean",
                self.options.field
            );
            self.fail(&name, &message)?;
        }
        if let Some(sink) = sink {
            if changed_records == 0 {
                // In place, a file with nothing to strip is not touched;
                // under --out-dir it is copied as it was (a compressed one
                // keeps its very bytes rather than being compressed anew).
                drop(sink);
                return match (dest, input, &target) {
                    (Dest::Mirror(_), Input::File { path, .. }, Some(target)) => {
                        match output::copy_atomically(path, target) {
                            Ok(()) => Ok(()),
                            Err(e) => self.fail(&name, &e.to_string()),
                        }
                    }
                    _ => Ok(()),
                };
            }
            if let (Some(stamp), Input::File { path, .. }) = (&stamp, input)
                && let Err(message) = stamp.check(path)
            {
                // Dropped, the temporary file goes and the file stays.
                drop(sink);
                return self.fail(&name, &message);
            }
            match sink.finish() {
                Ok(()) if *dest == Dest::InPlace => self.rewritten += 1,
                Ok(()) => {}
                Err(message) => self.fail(&name, &message)?,
            }
        }
        Ok(())
    }

    fn record_done(
        &mut self,
        name: &str,
        raw_name: &[u8],
        record: &mut RecordDone,
    ) -> Result<(), RunError> {
        let record_name = || format!("{name}:{}", record.line);
        match &record.outcome {
            LineOutcome::Blank => return Ok(()),
            LineOutcome::Issue(
                issue @ (RecordIssue::Invalid(_) | RecordIssue::TooLarge { .. }),
            ) => {
                return self.fail(&record_name(), &issue.to_string());
            }
            LineOutcome::Issue(issue) => {
                self.stats.documents += 1;
                let message = format!("{}: passed through: {issue}", record_name());
                return self.note_of("records passed through", &message);
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
            self.status = self.status.max(self.options.mode.found());
        }
        if !self.options.mode.reports() {
            return Ok(());
        }
        let printer = &mut self.printer;
        let (original, cleaned) = record.texts.take().unwrap_or_default();
        let record_name = record_name();
        let mut raw_record_name = raw_name.to_vec();
        raw_record_name.extend_from_slice(format!(":{}", record.line).as_bytes());
        let doc = Cleaned {
            name: &record_name,
            raw_name: &raw_record_name,
            original: &original,
            cleaned: Some(&cleaned),
            removals: &record.removals,
            objections: &record.objections,
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
    max_document_bytes: u64,
) -> Vec<RecordDone> {
    batch
        .par_iter()
        .enumerate()
        .map(|(i, raw)| {
            let line = first + i as u64;
            let mut removals = Vec::new();
            let mut objections = Vec::new();
            let mut texts = None;
            let size = raw.len() as u64;
            if size > max_document_bytes {
                return RecordDone {
                    line,
                    outcome: LineOutcome::Issue(RecordIssue::TooLarge {
                        bytes: size,
                        limit: max_document_bytes,
                    }),
                    removals,
                    objections,
                    texts,
                };
            }
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

/// Why `path` is not read, when it is no regular file: a folder, a device
/// or a socket is refused. A named pipe is read as a stream, as ripgrep
/// reads one (`scrubtext <(command)`), except when `rewrites` (`-w`, and
/// `-w --dry-run`): a pipe is no file to rewrite, and replacing it with
/// one would lose it.
fn refused(path: &Path, rewrites: bool) -> Option<String> {
    // A path that cannot be looked at is reported by the read.
    let kind = std::fs::metadata(path).ok()?.file_type();
    if kind.is_dir() {
        return Some("is a directory, expected a file".to_string());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() || kind.is_block_device() {
            return Some("is a device, not a file; it was not read".to_string());
        }
        if kind.is_socket() {
            return Some("is a socket, not a file; it was not read".to_string());
        }
        if kind.is_fifo() && rewrites {
            return Some(
                "is a named pipe, not a file that -w can rewrite; it was not read".to_string(),
            );
        }
    }
    None
}

/// The size and modification time of a file, taken before `-w` reads it
/// and compared before the rewrite replaces it: a file that changed in
/// between is not overwritten.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let metadata = std::fs::metadata(path).ok()?;
        Some(Stamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
        })
    }

    /// Whether the file at `path` is still as it was; the error to report
    /// if not.
    fn check(&self, path: &Path) -> Result<(), String> {
        if Stamp::of(path).as_ref() == Some(self) {
            Ok(())
        } else {
            Err(CHANGED_WHILE_READ.to_string())
        }
    }
}

const CHANGED_WHILE_READ: &str = "changed while it was being cleaned (its size or modification time is not what it was when read); it was not rewritten";

/// Rewrites `path` with `bytes` through a temporary file, unless the file
/// changed since `stamp` was taken.
fn rewrite(path: &Path, bytes: &[u8], stamp: Option<&Stamp>) -> Result<(), String> {
    let mut file = AtomicFile::create(path).map_err(|e| e.to_string())?;
    file.write_all(bytes)
        .map_err(|e| file.error(output::Step::Write, e).to_string())?;
    if let Some(stamp) = stamp {
        // Dropped, the temporary file goes and the file stays as it is.
        stamp.check(path)?;
    }
    file.commit().map_err(|e| e.to_string())
}

/// Opens a file for reading, decompressing by its extension.
fn open(path: &Path) -> Result<Box<dyn BufRead + Send>, String> {
    let file = std::fs::File::open(path).map_err(|e| describe_io(&e))?;
    compress::reader(file, Compression::from_path(path)).map_err(|e| describe_io(&e))
}

/// Strips each document of a text that holds several (`--split`), in
/// parallel, and puts the outcomes back together in order.
fn strip_documents<'a>(
    stripper: &Stripper,
    text: &'a str,
    pieces: Vec<scrubtext::Piece<'_>>,
) -> Outcome<'a> {
    use rayon::prelude::*;
    let outcomes: Vec<Outcome<'_>> = pieces
        .par_iter()
        .map(|piece| stripper.strip(piece.text))
        .collect();
    Outcome::joined(text, pieces.into_iter().zip(outcomes).collect())
}

/// What an outcome removed and kept, and its cleaned text when anything
/// was removed.
fn into_parts(outcome: Outcome<'_>) -> (Removed, Option<String>) {
    let cleaned = match outcome.text {
        Cow::Owned(text) if outcome.changed() => Some(text),
        _ => None,
    };
    let removed = Removed {
        removals: outcome.removals,
        objections: outcome.objections,
    };
    (removed, cleaned)
}

/// Why a text input over `--max-document-bytes` is refused.
fn too_large(bytes: u64, limit: u64) -> String {
    format!(
        "{bytes} bytes is more than --max-document-bytes {limit} (--split LINE cuts a file of many documents)"
    )
}

/// Reads, decodes and strips one plain-text input; runs on a worker thread.
fn clean_text(
    stripper: &Stripper,
    options: &Resolved,
    input: Input,
    bytes: Option<Vec<u8>>,
) -> TextResult {
    let (path, walked) = match &input {
        Input::File { path, walked, .. } => (Some(path.clone()), *walked),
        Input::Stdin => (None, false),
    };
    let copies_unchanged = matches!(options.dest, Dest::Mirror(_));
    let rewrites = options.dest == Dest::InPlace || options.mode == Mode::DryRun;
    let mut stamp = None;
    // The file's bytes as they are on disk, kept for --out-dir, which
    // copies a file with nothing to strip as it was.
    let mut raw = None;
    let bytes = match (bytes, &path) {
        (Some(bytes), _) => bytes,
        (None, Some(path)) => {
            if let Some(reason) = refused(path, rewrites) {
                return TextResult::Failed(input, reason);
            }
            if options.dest == Dest::InPlace {
                stamp = Stamp::of(path);
            }
            // Not read at all when it is too large to be one document.
            if options.split.is_none()
                && Compression::from_path(path) == Compression::None
                && let Ok(meta) = std::fs::metadata(path)
                && meta.len() > options.max_document_bytes
            {
                return TextResult::Failed(
                    input,
                    too_large(meta.len(), options.max_document_bytes),
                );
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
    if decoded.source == decode::SourceEncoding::UTF8 && looks_like_json_lines(&decoded.text) {
        let bytes = match input {
            Input::Stdin => Some(decoded.text.into_bytes()),
            Input::File { .. } => None,
        };
        return TextResult::Jsonl(input, bytes);
    }
    let decoding = decoding_note(&decoded, options.forced.is_some());
    let limit = options.max_document_bytes;
    // The cleaned text is built only when something needs it whole: a
    // printed text is written piece by piece from the input (no second copy
    // of a large text).
    let streams = options.mode == Mode::Clean && !rewrites && !copies_unchanged;
    let (
        Removed {
            removals,
            objections,
        },
        cleaned,
    ) = match &options.split {
        Some(separator) => {
            let pieces = scrubtext::split_documents(&decoded.text, separator);
            if let Some(piece) = pieces.iter().find(|p| p.text.len() as u64 > limit) {
                let message = format!(
                    "the document from line {} is {} bytes, more than --max-document-bytes {limit}",
                    piece.lines_before + 1,
                    piece.text.len()
                );
                return TextResult::Failed(input, message);
            }
            into_parts(strip_documents(stripper, &decoded.text, pieces))
        }
        None if decoded.text.len() as u64 > limit => {
            return TextResult::Failed(input, too_large(decoded.text.len() as u64, limit));
        }
        None if streams => (stripper.strip_removals(&decoded.text), None),
        None => into_parts(stripper.strip(&decoded.text)),
    };
    let writes_file =
        path.is_some() && (options.dest == Dest::InPlace && cleaned.is_some() || copies_unchanged);
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
        stamp,
        decoding,
        input,
        text: decoded.text,
        cleaned,
        removals,
        objections,
        output,
    })
}

/// Whether a text not named as JSON Lines is JSON Lines all the same: its
/// first line that is not blank is a JSON object. Cleaned as text, a span
/// would be cut out of each record and the output would be JSON no more.
fn looks_like_json_lines(text: &str) -> bool {
    let Some(first) = text
        .split('\n')
        .map(|line| line.trim_matches([' ', '\t', '\r']))
        .find(|line| !line.is_empty())
    else {
        return false;
    };
    first.starts_with('{')
        && first.ends_with('}')
        && serde_json::from_str::<serde::de::IgnoredAny>(first).is_ok()
}

/// What decoding replaced, as a note; `None` when nothing was.
fn decoding_note(decoded: &decode::Decoded, forced: bool) -> Option<String> {
    if decoded.replaced == 0 {
        return None;
    }
    let count = decoded.replaced;
    let sequences = if count == 1 {
        "byte sequence"
    } else {
        "byte sequences"
    };
    let line = decoded
        .first_replaced_line
        .map_or(String::new(), |line| format!(", the first on line {line}"));
    let encoding = decoded.source.name();
    Some(
        if decoded.source.encoding == encoding_rs::UTF_8 && !forced {
            format!(
                "read as UTF-8, which nearly all of it is; {count} invalid {sequences} shown as U+FFFD{line} (--encoding LABEL reads it in another encoding)"
            )
        } else {
            format!("{count} {sequences} invalid in {encoding} shown as U+FFFD{line}")
        },
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn spare_buffers_are_kept_up_to_the_limit() {
        let mut spare = vec![Vec::with_capacity(100)];
        let mut batch = vec![
            Vec::with_capacity(300),
            Vec::with_capacity(10_000),
            Vec::with_capacity(500),
            Vec::with_capacity(200),
        ];
        keep_spare(&mut spare, &mut batch, 1_000);
        assert!(batch.is_empty());
        let capacities: Vec<usize> = spare.iter().map(Vec::capacity).collect();
        assert_eq!(capacities.len(), 3, "{capacities:?}");
        assert!(capacities.iter().sum::<usize>() <= 1_000, "{capacities:?}");
        assert!(capacities.iter().all(|&c| c < 10_000), "the long one went");
    }

    use super::*;

    #[test]
    fn a_file_that_changed_after_it_was_read_is_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "Body.\nAdvertisement\n").unwrap();
        let stamp = Stamp::of(&path).unwrap();
        // Someone appends while the file is being cleaned.
        std::fs::write(&path, "Body.\nAdvertisement\nMore.\n").unwrap();
        let error = rewrite(&path, b"Body.\n", Some(&stamp)).unwrap_err();
        assert_eq!(error, CHANGED_WHILE_READ);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "Body.\nAdvertisement\nMore.\n"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left");
        // Unchanged, it is rewritten.
        let stamp = Stamp::of(&path).unwrap();
        rewrite(&path, b"Body.\n", Some(&stamp)).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "Body.\n");
    }

    #[cfg(unix)]
    #[test]
    fn devices_sockets_and_folders_are_refused_and_pipes_read_but_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            refused(Path::new("/dev/null"), false)
                .unwrap()
                .contains("is a device")
        );
        assert!(
            refused(dir.path(), false)
                .unwrap()
                .contains("is a directory")
        );
        let fifo = dir.path().join("pipe");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        assert_eq!(refused(&fifo, false), None);
        assert!(refused(&fifo, true).unwrap().contains("named pipe"));
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(refused(&file, true), None);
    }
}
