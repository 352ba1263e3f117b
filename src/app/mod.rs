//! The run: turns parsed arguments into work on the inputs and an exit
//! status. Everything is written to the writers it is given, never printed
//! directly, so the whole run can be tested in memory.

use std::io::{self, BufRead, Read, Write};
use std::path::Path;

mod inputs;
mod ordered;
mod pipeline;
mod reporter;
mod resolve;
mod rules;
mod stats;
mod train;

use pipeline::Run;
use reporter::Reporter;
use resolve::{Dest, Mode};

use serde_json::Value;

use crate::cli::{Cli, Command, EvalArgs, Format, Listing, RuleArgs};
use crate::output::describe_io;
use scrubtext::eval::{self, EvalOptions, Gates, Lists};
use scrubtext::guards::GuardSet;
use scrubtext::rules::{RuleError, RuleSet};
use scrubtext::scorer::{ModelError, Scorer};
use scrubtext::{DEFAULT_MODEL_THRESHOLD, MODEL_ID, ModelSettings, Stripper};

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

/// Rule ids and categories as given to `--select` or `--ignore`, without
/// the spaces around them (`credit, footer`); empty names are dropped.
fn names(list: &[String]) -> Vec<String> {
    list.iter()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect()
}

/// Why the rules, guards or model that the rule options ask for cannot be
/// set up.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// A rule or guard file that cannot be read or parsed.
    #[error(transparent)]
    Rules(#[from] RuleError),
    /// A name in `--select` or `--ignore` that is no rule id nor category.
    #[error("unknown rule id or category {0:?} in --select/--ignore")]
    UnknownName(String),
    /// Under `--strict`, examples of the rules of `--patterns` that do not
    /// hold, one description each.
    #[error(
        "--strict: {} example{} of the rules of --patterns do{} not hold:\n{}",
        .0.len(),
        if .0.len() == 1 { "" } else { "s" },
        if .0.len() == 1 { "es" } else { "" },
        .0.join("\n")
    )]
    StrictExamples(Vec<String>),
    /// A model file that cannot be loaded.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// Examples of the `--guards` file that do not hold.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    GuardExamples(Vec<RuleError>),
}

impl From<SetupError> for RunError {
    fn from(e: SetupError) -> RunError {
        RunError::Fatal(e.to_string())
    }
}

/// Builds the rule set that the rule arguments ask for. With `--strict`,
/// the examples of the rules loaded with `--patterns` are checked, and one
/// that does not hold is an error.
pub fn load_rules(args: &RuleArgs) -> Result<RuleSet, SetupError> {
    let mut rules = if args.no_default_patterns {
        RuleSet::empty()
    } else {
        RuleSet::builtin()
    };
    for path in &args.patterns {
        rules.add_path(path)?;
    }
    let (select, ignore) = (names(&args.select), names(&args.ignore));
    for name in select.iter().chain(&ignore) {
        let known = name.eq_ignore_ascii_case(MODEL_ID)
            || rules.rules().iter().any(|r| {
                r.id.eq_ignore_ascii_case(name) || r.category.as_str().eq_ignore_ascii_case(name)
            });
        if !known {
            return Err(SetupError::UnknownName(name.clone()));
        }
    }
    rules.filter(&select, &ignore);
    if args.strict && !args.patterns.is_empty() {
        let own = rules::ids_in(&args.patterns)?;
        let stripper = Stripper::new(rules.clone());
        let (_, failures) = rules::example_failures(
            &stripper,
            rules.rules().iter().filter(|r| own.contains(&r.id)),
        );
        if !failures.is_empty() {
            return Err(SetupError::StrictExamples(failures));
        }
    }
    Ok(rules)
}

/// The stripper the arguments ask for: the rules, the built-in guards, and
/// the learned scorer unless `--no-model` (or `--select` without `MODEL`,
/// or `--ignore MODEL`) leaves it out. `explain` names the features behind
/// each of the scorer's removals.
pub fn build_stripper(args: &RuleArgs, explain: bool) -> Result<Stripper, SetupError> {
    let rules = load_rules(args)?;
    let named = |names: &[String]| {
        names
            .iter()
            .any(|n| n.trim().eq_ignore_ascii_case(MODEL_ID))
    };
    let wanted =
        !args.no_model && (args.select.is_empty() || named(&args.select)) && !named(&args.ignore);
    let scorer = match (&args.model, wanted) {
        (_, false) => None,
        (Some(path), true) => Some(std::sync::Arc::new(Scorer::load(path)?)),
        (None, true) => Some(Scorer::builtin_arc()),
    };
    let settings = ModelSettings {
        threshold: args.model_threshold.unwrap_or(DEFAULT_MODEL_THRESHOLD),
        explain,
        ..ModelSettings::default()
    };
    let stripper = match &args.guards {
        None => Stripper::new(rules),
        Some(path) => {
            let guards = GuardSet::load(path)?;
            let stripper = Stripper::with_guards(rules, guards);
            let failures = stripper.guards().check_examples(&stripper);
            if !failures.is_empty() {
                return Err(SetupError::GuardExamples(failures));
            }
            stripper
        }
    };
    Ok(stripper.with_scorer(scorer, settings))
}

/// Runs scrubtext and returns how it ended.
pub fn run(cli: Cli, streams: Streams<'_>) -> Status {
    let Streams {
        stdin,
        stdout,
        stderr,
        stdout_is_terminal,
        stderr_is_terminal,
    } = streams;
    let mut reporter = Reporter::new(stderr);
    // Subcommands take no --color: their messages are coloured on a
    // terminal. A cleaning run resolves its own choice.
    reporter.set_color(resolve::color_for(
        crate::cli::ColorChoice::Auto,
        stderr_is_terminal,
    ));
    let result = match cli.command {
        Some(command) => subcommand(command, cli.clean, stdout, &mut reporter),
        None => clean(
            cli.clean,
            Terminals {
                stdout: stdout_is_terminal,
                stderr: stderr_is_terminal,
            },
            stdin,
            stdout,
            &mut reporter,
        ),
    };
    // What is still buffered is written now, so that a failure to write it
    // (a full disk) is reported rather than lost when the writer is dropped.
    let result = result.and_then(|status| {
        stdout.flush()?;
        Ok(status)
    });
    match result {
        // An error reported, whatever the rest of the run found, is exit 2.
        Ok(_) if reporter.errors() > 0 => Status::Error,
        Ok(status) => status,
        Err(RunError::BrokenPipe) => Status::Clean,
        Err(RunError::Fatal(message)) => {
            let _ = reporter.error(message);
            Status::Error
        }
    }
}

/// Which of the standard streams are terminals.
#[derive(Debug, Clone, Copy)]
struct Terminals {
    stdout: bool,
    stderr: bool,
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
            RunError::Fatal(format!("cannot write output: {}", describe_io(&e)))
        }
    }
}

/// Whether a run shows a progress bar: for a batch, on a terminal.
fn shows_progress(stderr_is_terminal: bool, inputs: usize) -> bool {
    stderr_is_terminal && inputs > 1
}

/// Runs a subcommand. Rule options given before it (`scrubtext --select
/// credit rules`) are its own; cleaning options are refused.
fn subcommand(
    command: Command,
    top: crate::cli::CleanArgs,
    out: &mut dyn Write,
    reporter: &mut Reporter<'_>,
) -> Result<Status, RunError> {
    let name = match &command {
        Command::Rules { .. } => "rules",
        Command::Eval(_) => "eval",
        Command::Train(_) => "train",
        Command::Completions { .. } => "completions",
        Command::Man => "man",
    };
    let given = top.cleaning_options_given();
    if !given.is_empty() {
        return Err(RunError::Fatal(format!(
            "{} do{} not apply to `scrubtext {name}`",
            given.join(", "),
            if given.len() == 1 { "es" } else { "" }
        )));
    }
    match command {
        Command::Rules {
            paths,
            test,
            show: Some(id),
            rules: own,
            format,
        } if !test && paths.is_empty() => rules::show(&id, &top.rules.with(own), format, out),
        Command::Rules {
            paths,
            test,
            rules: own,
            format,
            ..
        } => rules::run(&paths, test, &top.rules.with(own), format, out),
        Command::Eval(mut args) => {
            args.rules = top.rules.with(args.rules);
            evaluate(&args, out, reporter)
        }
        Command::Train(args) => {
            if !top.rules.is_default() {
                return Err(RunError::Fatal(
                    "rule options do not apply to `scrubtext train`, which uses the built-in rules"
                        .to_string(),
                ));
            }
            train::run(&args, out, reporter)
        }
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "scrubtext", out);
            Ok(Status::Clean)
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(command).render(out)?;
            Ok(Status::Clean)
        }
    }
}

/// Opens a corpus file; one that cannot be opened is reported (the run
/// goes on with the others) and gives `None`.
fn open_corpus(
    path: &Path,
    name: &str,
    reporter: &mut Reporter<'_>,
) -> Result<Option<std::fs::File>, RunError> {
    match std::fs::File::open(path) {
        Ok(file) => Ok(Some(file)),
        Err(e) => {
            reporter.error_in(name, describe_io(&e))?;
            Ok(None)
        }
    }
}

fn evaluate(
    args: &EvalArgs,
    out: &mut dyn Write,
    reporter: &mut Reporter<'_>,
) -> Result<Status, RunError> {
    let stripper = build_stripper(&args.rules, false)?;
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
        let Some(file) = open_corpus(path, &name, reporter)? else {
            status = Status::Error;
            continue;
        };
        let report = match eval::evaluate_with(&stripper, io::BufReader::new(file), &name, &options)
        {
            Ok(report) => report,
            Err(e) => {
                reporter.error(e)?;
                status = Status::Error;
                continue;
            }
        };
        for skipped in report.skipped() {
            reporter.note_of(
                "documents skipped",
                format_args!("{name}:{}: {}; skipped", skipped.line, skipped.reason),
            )?;
        }
        if let Some(split) = &args.split
            && report.documents() == 0
        {
            reporter.note(format_args!("{name}: no document in split {split:?}"))?;
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
            reporter.warning_in(&name, check)?;
            status = status.max(Status::Found);
        }
    }
    reporter.notes_not_shown()?;
    Ok(status)
}

fn clean(
    args: crate::cli::CleanArgs,
    terminals: Terminals,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    reporter: &mut Reporter<'_>,
) -> Result<Status, RunError> {
    // Everything the flags mean is decided here, before any input is read.
    let options =
        resolve::resolve(args, terminals.stdout, terminals.stderr).map_err(RunError::Fatal)?;
    reporter.set_quiet(options.quiet);
    reporter.set_color(options.report_color);
    let stripper = build_stripper(&options.rules, options.mode == Mode::Explain)?;
    let sources = &options.sources;
    let mut file_list: Option<Box<dyn BufRead>> = match &sources.file_list {
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
    let collected = inputs::collect_with(
        &sources.paths,
        file_list.as_mut().map(|r| r as &mut dyn BufRead),
        &sources.globs,
        sources.null,
        inputs::Walk {
            hidden: sources.hidden,
            out_dir: match &options.dest {
                Dest::Mirror(folder) => Some(folder),
                Dest::Stdout | Dest::InPlace => None,
            },
        },
    );
    drop(file_list);
    // Only on a terminal, and only for batches: nothing of it in pipes or
    // CI logs, nor for one file. A quick run ends before the first draw and
    // shows nothing.
    let progress = if shows_progress(terminals.stderr, collected.inputs.len()) {
        let bar = indicatif::ProgressBar::new(collected.inputs.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} inputs {msg} {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .build()
        .map_err(|e| RunError::Fatal(format!("cannot start threads: {e}")))?;
    let in_place = options.dest == Dest::InPlace;
    reporter.set_progress(progress.clone());
    let mut run = Run::new(&pool, &stripper, &options, out, reporter, progress);
    for (path, message) in &collected.errors {
        run.status = Status::Error;
        run.reporter.error_in(path, message)?;
    }
    for name in &collected.duplicates {
        run.note(&format!(
            "{name} is named more than once; it is cleaned once"
        ))?;
    }
    for folder in &collected.out_dir_skipped {
        run.note(&format!(
            "skipping {}: it is the --out-dir of this run, which holds outputs, not inputs",
            inputs::escape_bytes(&inputs::path_bytes(folder))
        ))?;
    }
    for glob in &collected.unmatched_globs {
        run.note(&format!("--glob {glob:?} matches no file"))?;
    }
    for leftover in &collected.leftovers {
        let name = leftover.display();
        if in_place {
            match std::fs::remove_file(leftover) {
                Ok(()) => run.note(&format!(
                    "removed {name}, a temporary file left by a run that was stopped"
                ))?,
                Err(e) => run.fail(
                    &name.to_string(),
                    &format!(
                        "cannot remove this temporary file left by a run that was stopped: {}",
                        describe_io(&e)
                    ),
                )?,
            }
        } else {
            run.note(&format!(
                "{name} is a temporary file left by a run that was stopped; `scrubtext -w` over its folder removes it"
            ))?;
        }
    }
    run.stats.skipped += collected.hidden_skipped as u64;
    run.inputs(collected.inputs, stdin)?;
    run.progress.finish_and_clear();
    run.out.flush()?;
    if collected.hidden_skipped > 0 {
        run.reporter.note(format_args!(
            "skipped {} hidden {}",
            collected.hidden_skipped,
            if collected.hidden_skipped == 1 {
                "file or folder"
            } else {
                "files and folders"
            }
        ))?;
    }
    run.reporter.notes_not_shown()?;
    if in_place {
        let noun = if run.rewritten == 1 { "file" } else { "files" };
        run.reporter
            .summary(format_args!("{} {noun} rewritten", run.rewritten))?;
    }
    if options.stats {
        // Reports go to standard error, always: standard output carries
        // the text, the diff or the list, and nothing else.
        let (stats, format) = (&run.stats, options.format);
        run.reporter.block(|err| stats.render_as(format, err))?;
    }
    Ok(run.status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_options_that_cannot_be_set_up_are_typed_errors() {
        let select = RuleArgs {
            select: vec!["credit".to_string(), " nope ".to_string()],
            ..RuleArgs::default()
        };
        let error = load_rules(&select).unwrap_err();
        assert!(
            matches!(&error, SetupError::UnknownName(name) if name == "nope"),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "unknown rule id or category \"nope\" in --select/--ignore"
        );
        let patterns = RuleArgs {
            patterns: vec!["no/such/rules.toml".into()],
            ..RuleArgs::default()
        };
        let error = load_rules(&patterns).unwrap_err();
        assert!(
            matches!(&error, SetupError::Rules(e) if e.file == "no/such/rules.toml"),
            "{error:?}"
        );
        let model = RuleArgs {
            model: Some("no/such/model.bin".into()),
            ..RuleArgs::default()
        };
        let error = build_stripper(&model, false).unwrap_err();
        assert!(matches!(&error, SetupError::Model(_)), "{error:?}");
    }

    #[test]
    fn progress_shows_for_batches_on_a_terminal() {
        assert!(shows_progress(true, 2));
        assert!(!shows_progress(true, 1), "not for a single input");
        assert!(!shows_progress(false, 100), "not in a pipe");
    }
}
