//! `scrubtext train`: gathers training lines from corpora, trains the line
//! scorer and writes the model; with `--curve`, measures a model instead.
//! The rule evidence is always that of the built-in rules, the rules the
//! scorer is used beside.

use std::io::{self, Write};
use std::path::Path;

use super::reporter::Reporter;
use super::{RunError, Status};
use crate::cli::TrainArgs;
use crate::output::describe_io;
use scrubtext::Stripper;
use scrubtext::rules::RuleSet;
use scrubtext::scorer::Scorer;
use scrubtext::scorer::curve::{CurveOptions, curve};
use scrubtext::scorer::model::Hyperparameters;
use scrubtext::scorer::train::{TrainOptions, TrainingSet};

pub(super) fn run(
    args: &TrainArgs,
    out: &mut dyn Write,
    reporter: &mut Reporter<'_>,
) -> Result<Status, RunError> {
    let stripper = Stripper::new(RuleSet::builtin());
    if args.curve {
        measure(args, &stripper, out, reporter)
    } else {
        train(args, &stripper, reporter)
    }
}

fn train(
    args: &TrainArgs,
    stripper: &Stripper,
    reporter: &mut Reporter<'_>,
) -> Result<Status, RunError> {
    let Some(output) = &args.output else {
        return Err(RunError::Fatal("train needs -o PATH".to_string()));
    };
    if args.category_bits > args.hash_bits {
        return Err(RunError::Fatal(format!(
            "--category-bits {} is more than --hash-bits {}",
            args.category_bits, args.hash_bits
        )));
    }
    let options = TrainOptions {
        split: Some(args.split.clone().unwrap_or_else(|| "train".to_string())),
        skip_bad: args.skip_bad,
    };
    let mut set = TrainingSet::new(args.hash_bits);
    for path in &args.corpora {
        let name = path.display().to_string();
        let bytes = std::fs::read(path)
            .map_err(|e| RunError::Fatal(format!("{name}: {}", describe_io(&e))))?;
        let skipped = set
            .add_corpus(stripper, &name, &bytes, &options)
            .map_err(|e| RunError::Fatal(e.to_string()))?;
        for skipped in skipped {
            reporter.note_of(
                "documents skipped",
                format_args!("{name}:{}: {}; skipped", skipped.line, skipped.reason),
            )?;
        }
    }
    if set.is_empty() {
        return Err(RunError::Fatal(
            "no labeled line to train on in the split".to_string(),
        ));
    }
    let hyperparameters = Hyperparameters {
        epochs: args.epochs,
        learning_rate: args.learning_rate,
        l2: args.l2,
        positive_weight: args.positive_weight,
        seed: args.seed,
    };
    let model = set.train(args.category_bits, hyperparameters);
    let bytes = model.to_bytes();
    write_atomically(output, &bytes).map_err(|e| {
        RunError::Fatal(format!(
            "{}: cannot write: {}",
            output.display(),
            describe_io(&e)
        ))
    })?;
    reporter.notes_not_shown()?;
    for corpus in set.corpora() {
        reporter.summary(format_args!(
            "{}: {} documents, {} boilerplate and {} content lines",
            corpus.name, corpus.documents, corpus.boilerplate, corpus.content
        ))?;
    }
    reporter.summary(format_args!(
        "wrote {} ({} bytes, {} training lines)",
        output.display(),
        bytes.len(),
        set.len()
    ))?;
    Ok(Status::Clean)
}

/// Writes through a temporary file in the same folder and a rename, so a
/// failed run leaves the old model whole.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(folder)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    // A temporary file is private; a model is not: keep the permissions of
    // the file replaced, or give those of a plain new file.
    let permissions = match std::fs::metadata(path) {
        Ok(old) => old.permissions(),
        Err(_) => plain_permissions(file.as_file())?,
    };
    file.as_file().set_permissions(permissions)?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn plain_permissions(_file: &std::fs::File) -> io::Result<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Ok(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn plain_permissions(file: &std::fs::File) -> io::Result<std::fs::Permissions> {
    Ok(file.metadata()?.permissions())
}

fn measure(
    args: &TrainArgs,
    stripper: &Stripper,
    out: &mut dyn Write,
    reporter: &mut Reporter<'_>,
) -> Result<Status, RunError> {
    let loaded;
    let scorer = match &args.model {
        Some(path) => {
            loaded = Scorer::load(path).map_err(|e| RunError::Fatal(e.to_string()))?;
            &loaded
        }
        None => Scorer::builtin(),
    };
    let options = CurveOptions {
        split: args.split.clone(),
        skip_bad: args.skip_bad,
        max_chars: args.max_chars,
        ..CurveOptions::default()
    };
    let mut status = Status::Clean;
    for path in &args.corpora {
        let name = path.display().to_string();
        let Some(file) = super::open_corpus(path, &name, reporter)? else {
            status = Status::Error;
            continue;
        };
        match curve(stripper, scorer, io::BufReader::new(file), &name, &options) {
            Ok(curve) => {
                for skipped in &curve.skipped {
                    reporter.note_of(
                        "documents skipped",
                        format_args!("{name}:{}: {}; skipped", skipped.line, skipped.reason),
                    )?;
                }
                curve.render(out)?;
                writeln!(out)?;
            }
            Err(e) => {
                reporter.error(e)?;
                status = Status::Error;
            }
        }
    }
    reporter.notes_not_shown()?;
    Ok(status)
}
