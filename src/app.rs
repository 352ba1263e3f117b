//! The run: turns parsed arguments into work on the inputs and an exit
//! status. Everything is written to the writers it is given, never printed
//! directly, so the whole run can be tested in memory.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::cli::{Cli, ColorChoice, Command, Format, RuleArgs};
use crate::decode;
use crate::report::{Check, CleanText, Cleaned, Diff, Explain, Printer};
use crate::rules::RuleSet;
use crate::stripper::Stripper;

/// How a run ended; the process exit code is its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Success, or nothing to strip.
    Clean = 0,
    /// Boilerplate found under `--check` or `--diff`.
    Found = 1,
    /// An error; the other inputs were still processed.
    Error = 2,
}

/// The process's standard streams, as the run sees them.
pub struct Streams<'a> {
    /// Standard input.
    pub stdin: &'a mut dyn Read,
    /// Standard output.
    pub stdout: &'a mut dyn Write,
    /// Standard error.
    pub stderr: &'a mut dyn Write,
    /// Whether standard output is a terminal (for `--color auto`).
    pub stdout_is_terminal: bool,
}

/// Builds the rule set that the rule arguments ask for.
pub fn load_rules(args: &RuleArgs) -> Result<RuleSet, String> {
    let mut rules = if args.no_default_patterns {
        RuleSet::empty()
    } else {
        RuleSet::builtin()
    };
    for path in &args.patterns {
        rules.add_path(path).map_err(|e| e.to_string())?;
    }
    for name in args.select.iter().chain(&args.ignore) {
        let known = rules.rules().iter().any(|r| {
            r.id.eq_ignore_ascii_case(name) || r.category.as_str().eq_ignore_ascii_case(name)
        });
        if !known {
            return Err(format!(
                "unknown rule id or category {name:?} in --select/--ignore"
            ));
        }
    }
    rules.filter(&args.select, &args.ignore);
    Ok(rules)
}

/// Runs scrubtext and returns how it ended.
pub fn run(cli: Cli, streams: Streams<'_>) -> Status {
    let Streams {
        stdin,
        stdout,
        stderr,
        stdout_is_terminal,
    } = streams;
    let result = match cli.command {
        Some(Command::Rules { rules, format }) => list_rules(&rules, format, stdout),
        Some(Command::Eval {
            corpora,
            rules,
            examples,
            format,
        }) => evaluate(&corpora, &rules, examples, format, stdout, stderr),
        None => clean(cli.clean, stdin, stdout, stderr, stdout_is_terminal),
    };
    match result {
        Ok(status) => status,
        Err(RunError::BrokenPipe) => Status::Clean,
        Err(RunError::Fatal(message)) => {
            let _ = writeln!(stderr, "scrubtext: {message}");
            Status::Error
        }
    }
}

enum RunError {
    /// The reader of standard output went away: stop quietly.
    BrokenPipe,
    /// Nothing can go on.
    Fatal(String),
}

impl From<io::Error> for RunError {
    fn from(e: io::Error) -> RunError {
        if e.kind() == io::ErrorKind::BrokenPipe {
            RunError::BrokenPipe
        } else {
            RunError::Fatal(format!("cannot write output: {e}"))
        }
    }
}

fn list_rules(args: &RuleArgs, format: Format, out: &mut dyn Write) -> Result<Status, RunError> {
    let rules = load_rules(args).map_err(RunError::Fatal)?;
    for rule in rules.rules() {
        match format {
            Format::Json => writeln!(
                out,
                "{}",
                serde_json::to_string(rule).map_err(|e| RunError::Fatal(e.to_string()))?
            )?,
            Format::Text => {
                let tail = if rule.tail { " tail" } else { "" };
                writeln!(
                    out,
                    "{:<8} {:<10} {:<8}{tail} {}",
                    rule.id,
                    rule.category.as_str(),
                    rule.kind.as_str(),
                    rule.description
                )?;
            }
        }
    }
    Ok(Status::Clean)
}

fn evaluate(
    corpora: &[PathBuf],
    args: &RuleArgs,
    examples: usize,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Status, RunError> {
    let stripper = Stripper::new(load_rules(args).map_err(RunError::Fatal)?);
    let mut status = Status::Clean;
    for path in corpora {
        let name = path.display().to_string();
        let file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(e) => {
                writeln!(err, "scrubtext: {name}: {}", describe_io(&e))?;
                status = Status::Error;
                continue;
            }
        };
        match crate::eval::evaluate(&stripper, io::BufReader::new(file), &name) {
            Ok(report) => match format {
                Format::Text => report.render(out, examples)?,
                Format::Json => writeln!(
                    out,
                    "{}",
                    serde_json::to_string(&report).map_err(|e| RunError::Fatal(e.to_string()))?
                )?,
            },
            Err(e) => {
                writeln!(err, "scrubtext: {e}")?;
                status = Status::Error;
            }
        }
    }
    Ok(status)
}

/// A short lowercase description of an I/O error.
pub fn describe_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::IsADirectory => "is a directory, expected a file".to_string(),
        _ => {
            let text = e.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text);
            let mut chars = text.chars();
            chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

fn read_input(path: &Path, stdin: &mut dyn Read) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        stdin.read_to_end(&mut bytes).map_err(|e| describe_io(&e))?;
        return Ok(bytes);
    }
    if path.is_dir() {
        return Err("is a directory, expected a file".to_string());
    }
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| describe_io(&e))?;
    Ok(bytes)
}

fn clean(
    args: crate::cli::CleanArgs,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
    stdout_is_terminal: bool,
) -> Result<Status, RunError> {
    let forced = match &args.encoding {
        Some(label) => {
            Some(decode::encoding_for_label(label).map_err(|e| RunError::Fatal(e.to_string()))?)
        }
        None => None,
    };
    let stripper = Stripper::new(load_rules(&args.rules).map_err(RunError::Fatal)?);
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stdout_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let json = args.format == Format::Json;
    let mode = &args.mode;
    let (mut printer, found_status): (Box<dyn Printer>, Status) = if mode.diff {
        (Box::new(Diff { color }), Status::Found)
    } else if mode.check {
        (Box::new(Check { json }), Status::Found)
    } else if mode.explain || json {
        (Box::new(Explain { json }), Status::Clean)
    } else {
        (Box::new(CleanText), Status::Clean)
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths
    };
    let mut status = Status::Clean;
    for path in &paths {
        let name = if path == Path::new("-") {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        let bytes = match read_input(path, stdin) {
            Ok(bytes) => bytes,
            Err(message) => {
                writeln!(err, "scrubtext: {name}: {message}")?;
                status = Status::Error;
                continue;
            }
        };
        let decoded = match decode::decode(&bytes, forced) {
            Ok(decoded) => decoded,
            Err(e) => {
                writeln!(err, "scrubtext: {name}: {e}")?;
                status = Status::Error;
                continue;
            }
        };
        let outcome = stripper.strip(&decoded.text);
        printer.document(
            out,
            &Cleaned {
                name: &name,
                original: &decoded.text,
                outcome: &outcome,
            },
        )?;
        if outcome.changed() {
            status = status.max(found_status);
        }
    }
    out.flush()?;
    Ok(status)
}
