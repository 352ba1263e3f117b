//! The run: turns parsed arguments into work on the inputs and an exit
//! status. Everything is written to the writers it is given, never printed
//! directly, so the whole run can be tested in memory.

use std::io::{self, BufRead, Read, Write};
use std::path::Path;

mod inputs;
mod pipeline;
mod stats;
mod train;

use pipeline::{Mode, Options, Run};
use stats::Stats;

use serde_json::Value;

use crate::cli::{Cli, ColorChoice, Command, EvalArgs, Format, Listing, RuleArgs};
use crate::decode;
use crate::eval::{self, EvalOptions, Gates, Lists};
use crate::guards::GuardSet;
use crate::output::describe_io;
use crate::report::{Check, CleanText, Diff, Explain, Printer};
use crate::rules::RuleSet;
use crate::scorer::Scorer;
use crate::stripper::{DEFAULT_MODEL_THRESHOLD, MODEL_ID, ModelSettings, Stripper};

/// How a run ended; the process exit code is its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Success, or nothing to strip.
    Clean = 0,
    /// Boilerplate found under `--check` or `--diff`; for `eval`, a corpus
    /// that misses a quality gate.
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
    /// Whether standard error is a terminal (for the progress bar).
    pub stderr_is_terminal: bool,
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
        let known = name.eq_ignore_ascii_case(MODEL_ID)
            || rules.rules().iter().any(|r| {
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

/// The stripper the arguments ask for: the rules, the built-in guards, and
/// the learned scorer unless `--no-model` (or `--select` without `MODEL`,
/// or `--ignore MODEL`) leaves it out. `explain` names the features behind
/// each of the scorer's removals.
pub fn build_stripper(args: &RuleArgs, explain: bool) -> Result<Stripper, String> {
    let rules = load_rules(args)?;
    let named = |names: &[String]| names.iter().any(|n| n.eq_ignore_ascii_case(MODEL_ID));
    let wanted =
        !args.no_model && (args.select.is_empty() || named(&args.select)) && !named(&args.ignore);
    let scorer = match (&args.model, wanted) {
        (_, false) => None,
        (Some(path), true) => Some(std::sync::Arc::new(
            Scorer::load(path).map_err(|e| e.to_string())?,
        )),
        (None, true) => Some(std::sync::Arc::new(Scorer::builtin().clone())),
    };
    let settings = ModelSettings {
        threshold: args.model_threshold.unwrap_or(DEFAULT_MODEL_THRESHOLD),
        explain,
        ..ModelSettings::default()
    };
    let stripper = match &args.guards {
        None => Stripper::new(rules),
        Some(path) => {
            let guards = GuardSet::load(path).map_err(|e| e.to_string())?;
            let stripper = Stripper::with_guards(rules, guards);
            let failures = stripper.guards().check_examples(&stripper);
            if !failures.is_empty() {
                let lines: Vec<String> = failures.iter().map(ToString::to_string).collect();
                return Err(lines.join("\n"));
            }
            stripper
        }
    };
    Ok(stripper.with_scorer(scorer, settings))
}

/// Runs scrubtext and returns how it ended.
pub fn run(cli: Cli, mut streams: Streams<'_>) -> Status {
    let result = match cli.command {
        Some(Command::Rules { rules, format }) => list_rules(&rules, format, streams.stdout),
        Some(Command::Eval(args)) => evaluate(&args, streams.stdout, streams.stderr),
        Some(Command::Train(args)) => train::run(&args, streams.stdout, streams.stderr),
        None => clean(cli.clean, &mut streams),
    };
    match result {
        Ok(status) => status,
        Err(RunError::BrokenPipe) => Status::Clean,
        Err(RunError::Fatal(message)) => {
            let _ = writeln!(streams.stderr, "scrubtext: {message}");
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

fn evaluate(args: &EvalArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<Status, RunError> {
    let stripper = build_stripper(&args.rules, false).map_err(RunError::Fatal)?;
    let options = EvalOptions {
        split: args.split.clone(),
        skip_bad: args.skip_bad,
        examples: args.examples,
    };
    let gates = Gates {
        min_recall: args.min_recall,
        min_precision: args.min_precision,
        max_lost: args.max_lost,
    };
    let lists = Lists {
        misses: args.show.contains(&Listing::Misses),
        lost: args.show.contains(&Listing::Lost),
        trimmed: args.show.contains(&Listing::Trimmed),
    };
    let mut status = Status::Clean;
    for path in &args.corpora {
        let name = path.display().to_string();
        let file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(e) => {
                writeln!(err, "scrubtext: {name}: {}", describe_io(&e))?;
                status = Status::Error;
                continue;
            }
        };
        let report = match eval::evaluate_with(&stripper, io::BufReader::new(file), &name, &options)
        {
            Ok(report) => report,
            Err(e) => {
                writeln!(err, "scrubtext: {e}")?;
                status = Status::Error;
                continue;
            }
        };
        for skipped in report.skipped() {
            writeln!(
                err,
                "scrubtext: note: {name}:{}: {}; skipped",
                skipped.line, skipped.reason
            )?;
        }
        if let Some(split) = &args.split
            && report.documents() == 0
        {
            writeln!(
                err,
                "scrubtext: note: {name}: no document in split {split:?}"
            )?;
        }
        let checks = gates.check(&report);
        match args.format {
            Format::Text => report.render_lists(out, args.examples, lists)?,
            Format::Json => {
                let mut value =
                    serde_json::to_value(&report).map_err(|e| RunError::Fatal(e.to_string()))?;
                if let Value::Object(map) = &mut value {
                    let checks = serde_json::to_value(&checks)
                        .map_err(|e| RunError::Fatal(e.to_string()))?;
                    map.insert("gates".to_string(), checks);
                }
                writeln!(out, "{value}")?;
            }
        }
        // The report first, then what it failed, even on a terminal.
        out.flush()?;
        for check in checks.iter().filter(|check| !check.passed) {
            writeln!(err, "scrubtext: {name}: {check}")?;
            status = status.max(Status::Found);
        }
    }
    Ok(status)
}

fn clean(args: crate::cli::CleanArgs, streams: &mut Streams<'_>) -> Result<Status, RunError> {
    let stdin = &mut *streams.stdin;
    let out = &mut *streams.stdout;
    let err = &mut *streams.stderr;
    let (stdout_is_terminal, stderr_is_terminal) =
        (streams.stdout_is_terminal, streams.stderr_is_terminal);
    let forced = match &args.encoding {
        Some(label) => {
            Some(decode::encoding_for_label(label).map_err(|e| RunError::Fatal(e.to_string()))?)
        }
        None => None,
    };
    let stripper = build_stripper(&args.rules, args.mode.explain).map_err(RunError::Fatal)?;
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stdout_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let json = args.format == Format::Json;
    let flags = &args.mode;
    let (mode, printer, found): (Mode, Option<Box<dyn Printer>>, Status) = if flags.diff {
        (Mode::Diff, Some(Box::new(Diff { color })), Status::Found)
    } else if flags.check {
        (Mode::Check, Some(Box::new(Check { json })), Status::Found)
    } else if flags.explain || (json && args.out_dir.is_none() && !flags.write) {
        // Without a mode, JSON means the explanation: the cleaned text
        // cannot share standard output with it.
        (
            Mode::Explain,
            Some(Box::new(Explain { json })),
            Status::Clean,
        )
    } else if flags.write {
        // Standard input, which has no file to rewrite, is printed.
        (Mode::Write, Some(Box::new(CleanText)), Status::Clean)
    } else {
        (Mode::Print, Some(Box::new(CleanText)), Status::Clean)
    };
    let mut file_list: Option<Box<dyn BufRead>> = match &args.file_list {
        None => None,
        Some(path) if path == Path::new("-") => Some(Box::new(io::BufReader::new(&mut *stdin))),
        Some(path) => match std::fs::File::open(path) {
            Ok(file) => Some(Box::new(io::BufReader::new(file))),
            Err(e) => {
                return Err(RunError::Fatal(format!(
                    "{}: {}",
                    path.display(),
                    describe_io(&e)
                )));
            }
        },
    };
    let collected = inputs::collect(
        &args.paths,
        file_list.as_mut().map(|r| r as &mut dyn BufRead),
        &args.globs,
    );
    drop(file_list);
    let options = Options {
        mode,
        forced,
        jsonl: args.jsonl,
        field: args.field,
        out_dir: args.out_dir,
    };
    // Only on a terminal: nothing of it in pipes or CI logs. A quick run
    // ends before the first draw and shows nothing.
    let progress = if stderr_is_terminal {
        let bar = indicatif::ProgressBar::new(collected.inputs.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} inputs {msg} {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let threads = args.threads.map_or(0, usize::from);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| RunError::Fatal(format!("cannot start threads: {e}")))?;
    let mut run = Run {
        pool: &pool,
        stripper: &stripper,
        options: &options,
        printer,
        out,
        err,
        progress,
        stats: Stats::default(),
        status: Status::Clean,
        found,
        rewritten: 0,
    };
    for (path, message) in &collected.errors {
        run.status = Status::Error;
        writeln!(run.err, "scrubtext: {path}: {message}")?;
    }
    run.stats.skipped += collected.hidden_skipped as u64;
    run.inputs(collected.inputs, stdin)?;
    run.progress.finish_and_clear();
    run.out.flush()?;
    if collected.hidden_skipped > 0 {
        writeln!(
            run.err,
            "scrubtext: note: skipped {} hidden files and folders",
            collected.hidden_skipped
        )?;
    }
    if mode == Mode::Write {
        writeln!(run.err, "scrubtext: {} files rewritten", run.rewritten)?;
    }
    if args.stats {
        // Reports go to stderr whenever stdout carries text.
        let target: &mut dyn Write =
            if matches!(mode, Mode::Print | Mode::Write) && options.out_dir.is_none() {
                &mut *run.err
            } else {
                &mut *run.out
            };
        if json {
            run.stats.render_json(target)?;
        } else {
            run.stats.render(target)?;
        }
        target.flush()?;
    }
    Ok(run.status)
}
