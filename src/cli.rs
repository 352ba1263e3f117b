//! The command line: arguments, parsed by clap from these declarations. The
//! doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use scrubtext::jsonl::FieldPath;

fn parse_bytes(text: &str) -> Result<u64, String> {
    let (digits, unit) = match text.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&text[..i], c.to_ascii_uppercase()),
        _ => (text, ' '),
    };
    let factor: u64 = match unit {
        ' ' => 1,
        'K' => 1 << 10,
        'M' => 1 << 20,
        'G' => 1 << 30,
        _ => return Err(format!("unknown unit {unit:?}: use K, M or G")),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("{text:?} is not a positive number of bytes"))
}

fn parse_separator(text: &str) -> Result<String, String> {
    if text.is_empty() || text.contains(['\n', '\r']) {
        return Err("a separator is one non-empty line".to_string());
    }
    Ok(text.to_string())
}

fn parse_field(text: &str) -> Result<FieldPath, String> {
    FieldPath::parse(text).map_err(|e| e.to_string())
}

fn parse_fraction(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("expected a number from 0 to 1, got {text:?}")),
    }
}

/// Strip publisher appeals, paywall and newsletter prompts, widgets, related
/// links, credits, cookie notices and attribution footers from scraped
/// article text.
///
/// With no mode flag the cleaned text is printed. Inputs are files, or
/// standard input as `-` or when no path is given.
///
/// Rule options (--patterns, --select, …) may come before a subcommand, as in
/// `scrubtext --select credit rules`.
///
/// Exit codes: 0 nothing to strip or success; 1 boilerplate found under
/// --check or --diff; 2 an error (the other inputs are still processed).
#[derive(Debug, Parser)]
#[command(name = "scrubtext", version = env!("SCRUBTEXT_VERSION"))]
pub struct Cli {
    /// Subcommands; without one, inputs are cleaned.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// What to clean.
    #[command(flatten)]
    pub clean: CleanArgs,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the rules in force, sorted by id, with their phrases; or, with
    /// --test, check the rules' `match` and `no_match` examples.
    ///
    /// Exit codes: 0 success; 1 an example that does not hold under --test;
    /// 2 an error, such as a rule file that cannot be read.
    Rules {
        /// Rule files (or folders of them) whose examples --test checks,
        /// beside the rules in force (default: every rule in force).
        #[arg(value_name = "PATH", requires = "test")]
        paths: Vec<PathBuf>,
        /// Check that each rule fires on every one of its `match` examples
        /// and on none of its `no_match` examples, each taken alone; name
        /// every failure and exit 1 if there is one.
        #[arg(long)]
        test: bool,
        /// Show one rule in full: its phrases, options, examples and origin.
        #[arg(long, value_name = "ID", conflicts_with = "test")]
        show: Option<String>,
        /// Which rules.
        #[command(flatten)]
        rules: RuleArgs,
        /// Output format: JSON has one object per rule.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Score the rules on labeled corpora (JSON Lines with `text` and
    /// per-line `labels`) and print recall, precision and lines lost.
    ///
    /// Labels are gold (keep, other, a category) or silver (keep, drop,
    /// unsure, blank). Exit codes: 0 success; 1 a corpus misses a gate
    /// (--min-recall, --min-precision, --max-lost); 2 an error, such as a
    /// document that cannot be scored without --skip-bad.
    Eval(EvalArgs),
    /// Train the line scorer on labeled corpora and write the model, or,
    /// with --curve, measure a model on them.
    ///
    /// Labels become targets: a category is boilerplate of that category,
    /// `drop` boilerplate of unknown category, `keep` content; `other`,
    /// `unsure`, `blank` and blank lines are left out, and so are the lines
    /// the built-in rules remove: the scorer reads, and learns from, the
    /// text as they leave it. Documents with a
    /// `split` are used only when it is --split (default `train`);
    /// documents without one always are. The `valid` split and
    /// traps.jsonl are never trained on. Training is deterministic: the
    /// same corpora, rules and options give the same bytes. Exit codes: 0
    /// success; 2 an error, such as a document whose labels do not match
    /// its lines without --skip-bad.
    Train(TrainArgs),
    /// Print a completion script for a shell, made from these options.
    ///
    /// For example `scrubtext completions bash > ~/.local/share/bash-completion/completions/scrubtext`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), made from these options.
    ///
    /// For example `scrubtext man > scrubtext.1 && man ./scrubtext.1`.
    Man,
}

/// Arguments of `scrubtext train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Labeled corpus files.
    #[arg(required = true, value_name = "CORPUS")]
    pub corpora: Vec<PathBuf>,

    /// Where to write the model.
    #[arg(
        long,
        short = 'o',
        value_name = "PATH",
        required_unless_present = "curve"
    )]
    pub output: Option<PathBuf>,

    /// Use the documents whose `split` field is NAME, and those without a
    /// split (default: `train` when training, every document with
    /// --curve).
    #[arg(long, value_name = "NAME", help_heading = "Corpus")]
    pub split: Option<String>,

    /// Skip documents that cannot be read (bad JSON, an unknown label, a
    /// label count that differs from the text's line count) with a note on
    /// stderr, instead of stopping at the first.
    #[arg(long, help_heading = "Corpus")]
    pub skip_bad: bool,

    /// Seed of the shuffles.
    #[arg(long, value_name = "N", default_value_t = scrubtext::scorer::model::Hyperparameters::default().seed, help_heading = "Training")]
    pub seed: u64,

    /// Passes over the training lines.
    #[arg(long, value_name = "N", default_value_t = scrubtext::scorer::model::Hyperparameters::default().epochs, help_heading = "Training")]
    pub epochs: u32,

    /// AdaGrad's base step.
    #[arg(long, value_name = "X", default_value_t = scrubtext::scorer::model::Hyperparameters::default().learning_rate, help_heading = "Training")]
    pub learning_rate: f32,

    /// L2 penalty on the weights.
    #[arg(long, value_name = "X", default_value_t = scrubtext::scorer::model::Hyperparameters::default().l2, help_heading = "Training")]
    pub l2: f32,

    /// Weight of a boilerplate line against a content line.
    #[arg(long, value_name = "X", default_value_t = scrubtext::scorer::model::Hyperparameters::default().positive_weight, help_heading = "Training")]
    pub positive_weight: f32,

    /// Size of the boilerplate model's hash space, in bits.
    #[arg(long, value_name = "N", default_value_t = scrubtext::scorer::train::HASH_BITS, value_parser = clap::value_parser!(u32).range(4..=24), help_heading = "Training")]
    pub hash_bits: u32,

    /// Size of the category model's hash space, in bits (at most
    /// --hash-bits).
    #[arg(long, value_name = "N", default_value_t = scrubtext::scorer::train::CATEGORY_BITS, value_parser = clap::value_parser!(u32).range(4..=24), help_heading = "Training")]
    pub category_bits: u32,

    /// Do not train: print, per corpus, the precision and recall of the
    /// scorer alone on the lines the rules leave, at thresholds 0.50 to
    /// 0.95.
    #[arg(long, conflicts_with = "output", help_heading = "Curve")]
    pub curve: bool,

    /// The model to measure (default: the built-in one).
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with = "output",
        help_heading = "Curve"
    )]
    pub model: Option<PathBuf>,

    /// Longest line the curve counts, in characters.
    #[arg(long, value_name = "N", default_value_t = 120, help_heading = "Curve")]
    pub max_chars: usize,
}

/// Arguments of `scrubtext eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Labeled corpus files.
    #[arg(required = true, value_name = "CORPUS")]
    pub corpora: Vec<PathBuf>,

    /// Which rules.
    #[command(flatten)]
    pub rules: RuleArgs,

    /// Score only the documents whose `split` field is NAME (such as
    /// `valid`); documents without a `split` are left out.
    #[arg(long, value_name = "NAME", help_heading = "Corpus")]
    pub split: Option<String>,

    /// Skip documents that cannot be scored (bad JSON, a missing field, an
    /// unknown label, a label count that differs from the text's line
    /// count) with a note on stderr, instead of stopping at the first.
    #[arg(long, help_heading = "Corpus")]
    pub skip_bad: bool,

    /// Exit 1 unless recall over all boilerplate labels but `other` is at
    /// least X (0 to 1) on each corpus.
    #[arg(long, value_name = "X", value_parser = parse_fraction, help_heading = "Gates")]
    pub min_recall: Option<f64>,

    /// Exit 1 unless precision is at least X (0 to 1) on each corpus.
    #[arg(long, value_name = "X", value_parser = parse_fraction, help_heading = "Gates")]
    pub min_precision: Option<f64>,

    /// Exit 1 if more than N content lines are lost on any corpus.
    #[arg(long, value_name = "N", help_heading = "Gates")]
    pub max_lost: Option<usize>,

    /// How many examples of each list (misses, lost and trimmed lines) to
    /// show per corpus.
    #[arg(long, default_value_t = scrubtext::eval::DEFAULT_EXAMPLES, value_name = "N", help_heading = "Output")]
    pub examples: usize,

    /// Which example lists the text report shows, comma-separated.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        value_name = "LISTS",
        default_values_t = [Listing::Misses, Listing::Lost, Listing::Trimmed],
        help_heading = "Output"
    )]
    pub show: Vec<Listing>,

    /// Output format: JSON has one object per corpus, with every figure.
    #[arg(long, value_enum, default_value_t = Format::Text, help_heading = "Output")]
    pub format: Format,
}

/// Example lists of an eval report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Listing {
    /// Boilerplate lines left in.
    Misses,
    /// Content lines of which more than half went.
    Lost,
    /// Content lines of which a part, at most half, went.
    Trimmed,
}

/// Arguments of the cleaning run.
#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Files or folders to clean; `-` is standard input (the default).
    /// Folders are walked recursively, skipping hidden files and folders,
    /// anything that is not a file, and the --out-dir. A named pipe given
    /// by name is read as a stream (but not rewritten by -w); a device is
    /// refused.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Read the paths to clean from this file, one per line (`-`: standard
    /// input).
    #[arg(long, value_name = "PATH", help_heading = "Input")]
    pub file_list: Option<PathBuf>,

    /// The paths of --file-list are separated by NUL bytes, not lines (as
    /// `find -print0` writes them).
    #[arg(
        long = "null",
        short = '0',
        requires = "file_list",
        help_heading = "Input"
    )]
    pub null: bool,

    /// Include (or, with a leading `!`, exclude) files found in folders
    /// that match this glob; may be repeated.
    #[arg(
        long = "glob",
        short = 'g',
        value_name = "GLOB",
        help_heading = "Input"
    )]
    pub globs: Vec<String>,

    /// Treat inputs as JSON Lines and clean one field of each record. On by
    /// default for .jsonl and .ndjson files (also compressed).
    #[arg(long, help_heading = "Input")]
    pub jsonl: bool,

    /// A text input holds many documents, separated by lines that are
    /// exactly LINE (for example `---`, or a form feed): each document is
    /// cleaned alone, on every thread, and the separator lines stay. JSON
    /// Lines records are documents already.
    #[arg(long, value_name = "LINE", value_parser = parse_separator, allow_hyphen_values = true, help_heading = "Input")]
    pub split: Option<String>,

    /// Refuse a document larger than this, as an error naming the input (a
    /// text input, a document of one with --split, a JSON Lines record);
    /// K, M and G multiply by 1024.
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes, default_value = "1G", help_heading = "Input")]
    pub max_document_bytes: u64,

    /// The field of each JSON Lines record to clean (default: text); a
    /// dotted path reaches nested objects.
    #[arg(long, value_name = "NAME", value_parser = parse_field, help_heading = "Input")]
    pub field: Option<FieldPath>,

    /// Write cleaned files under this folder, mirroring the input tree,
    /// instead of printing them.
    #[arg(long, value_name = "DIR", help_heading = "Output", conflicts_with_all = ["diff", "check", "explain", "write"])]
    pub out_dir: Option<PathBuf>,

    /// Print a summary on standard error at the end: documents read,
    /// changed and failed, and what was removed per category and per rule.
    #[arg(long, help_heading = "Output")]
    pub stats: bool,

    /// Walk hidden files and folders too (skipped by default, with a note).
    #[arg(long, help_heading = "Input")]
    pub hidden: bool,

    /// With --write: list the files that would be rewritten, one a line,
    /// and write nothing.
    #[arg(long, requires = "write", help_heading = "Mode")]
    pub dry_run: bool,

    /// Print no notes (hidden files skipped, lossy decoding, records
    /// without the field, …); errors are still printed.
    #[arg(long, short = 'q', help_heading = "Output")]
    pub quiet: bool,

    /// Number of threads (default, or 0: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<u16>,

    /// What to do with the inputs.
    #[command(flatten)]
    pub mode: ModeArgs,

    /// Output format of reports (--check, --explain, --stats; not --diff):
    /// JSON has one object per input, and one for --stats.
    #[arg(long, value_enum, default_value_t = Format::Text, help_heading = "Output")]
    pub format: Format,

    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = "Output")]
    pub color: ColorChoice,

    /// Read input in this encoding (a WHATWG label such as windows-1251)
    /// instead of detecting it.
    #[arg(long, value_name = "LABEL", help_heading = "Input")]
    pub encoding: Option<String>,

    /// Which rules.
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// The modes; they exclude each other.
#[derive(Debug, Args, Default)]
#[group(multiple = false)]
pub struct ModeArgs {
    /// Print a unified diff of what would be removed, with the rules that
    /// explain each hunk.
    #[arg(long, help_heading = "Mode")]
    pub diff: bool,
    /// Print only the inputs that hold boilerplate; exit 1 if any does.
    #[arg(long, help_heading = "Mode")]
    pub check: bool,
    /// List every removal: line, rule id, category and matched phrase.
    #[arg(long, help_heading = "Mode")]
    pub explain: bool,
    /// Rewrite files in place (through a temporary file and a rename),
    /// keeping their encoding, line endings, compression and permissions.
    /// Files with nothing to strip are not touched.
    #[arg(long, short = 'w', help_heading = "Mode")]
    pub write: bool,
}

/// Which rules are in force.
#[derive(Debug, Args, Default, Clone)]
pub struct RuleArgs {
    /// Add rules from a TOML file, or from every .toml file in a folder.
    #[arg(long = "patterns", value_name = "PATH", help_heading = "Rules")]
    pub patterns: Vec<PathBuf>,
    /// Do not use the built-in rules.
    #[arg(long, help_heading = "Rules")]
    pub no_default_patterns: bool,
    /// Use only these rules: ids or categories, comma-separated (spaces
    /// around the commas are allowed).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "RULES",
        help_heading = "Rules"
    )]
    pub select: Vec<String>,
    /// Do not use these rules: ids or categories, comma-separated (spaces
    /// around the commas are allowed).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "RULES",
        help_heading = "Rules"
    )]
    pub ignore: Vec<String>,
    /// Check the `match` and `no_match` examples of the rules loaded with
    /// --patterns: one that does not hold is an error.
    #[arg(long, help_heading = "Rules")]
    pub strict: bool,
    /// Use the guards of this file instead of the built-in ones; its
    /// examples are checked against the rules in force.
    #[arg(long, value_name = "PATH", help_heading = "Rules")]
    pub guards: Option<PathBuf>,
    /// Do not use the learned line scorer (rule id MODEL): only the rules
    /// remove lines.
    #[arg(long, help_heading = "Rules", conflicts_with = "model")]
    pub no_model: bool,
    /// Use this model file (made by `scrubtext train`) instead of the
    /// built-in one.
    #[arg(long, value_name = "PATH", help_heading = "Rules")]
    pub model: Option<PathBuf>,
    /// The score at or above which the learned scorer removes a line that
    /// no rule took.
    #[arg(long, value_name = "P", value_parser = probability, help_heading = "Rules")]
    pub model_threshold: Option<f32>,
}

impl RuleArgs {
    /// Whether no rule option was given.
    pub fn is_default(&self) -> bool {
        self.patterns.is_empty()
            && !self.no_default_patterns
            && self.select.is_empty()
            && self.ignore.is_empty()
            && !self.strict
            && self.guards.is_none()
            && !self.no_model
            && self.model.is_none()
            && self.model_threshold.is_none()
    }

    /// These options (given before a subcommand) together with `after`
    /// (given after it): lists are joined, switches held by either, and a
    /// single value given after wins.
    pub fn with(&self, after: RuleArgs) -> RuleArgs {
        let join = |a: &[String], b: Vec<String>| a.iter().cloned().chain(b).collect();
        RuleArgs {
            patterns: self
                .patterns
                .iter()
                .cloned()
                .chain(after.patterns)
                .collect(),
            no_default_patterns: self.no_default_patterns || after.no_default_patterns,
            select: join(&self.select, after.select),
            ignore: join(&self.ignore, after.ignore),
            strict: self.strict || after.strict,
            guards: after.guards.or_else(|| self.guards.clone()),
            no_model: self.no_model || after.no_model,
            model: after.model.or_else(|| self.model.clone()),
            model_threshold: after.model_threshold.or(self.model_threshold),
        }
    }
}

impl CleanArgs {
    /// The options of a cleaning run that were given, other than the rule
    /// options: none of them applies to a subcommand.
    pub fn cleaning_options_given(&self) -> Vec<&'static str> {
        let flags = [
            (!self.paths.is_empty(), "input paths"),
            (self.file_list.is_some(), "--file-list"),
            (self.null, "--null"),
            (!self.globs.is_empty(), "--glob"),
            (self.jsonl, "--jsonl"),
            (self.field.is_some(), "--field"),
            (self.out_dir.is_some(), "--out-dir"),
            (self.stats, "--stats"),
            (self.quiet, "--quiet"),
            (self.hidden, "--hidden"),
            (self.threads.is_some(), "--threads"),
            (self.mode.diff, "--diff"),
            (self.mode.check, "--check"),
            (self.mode.explain, "--explain"),
            (self.mode.write, "--write"),
            (self.dry_run, "--dry-run"),
            (self.format != Format::Text, "--format"),
            (self.color != ColorChoice::Auto, "--color"),
            (self.encoding.is_some(), "--encoding"),
        ];
        flags
            .into_iter()
            .filter_map(|(given, name)| given.then_some(name))
            .collect()
    }
}

/// A probability, from 0 to 1.
fn probability(text: &str) -> Result<f32, String> {
    match text.parse::<f32>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("expected a number from 0 to 1, found {text:?}")),
    }
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// JSON Lines, for programs.
    Json,
}

/// When to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When writing to a terminal.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn eval_gates_take_fractions_and_lists_default_to_all() {
        let cli =
            Cli::try_parse_from(["scrubtext", "eval", "--min-recall", "0.9", "c.jsonl"]).unwrap();
        let Some(Command::Eval(args)) = cli.command else {
            panic!("not eval: {cli:?}");
        };
        assert_eq!(args.min_recall, Some(0.9));
        assert_eq!(
            args.show,
            [Listing::Misses, Listing::Lost, Listing::Trimmed]
        );
        for bad in ["1.5", "-0.1", "high", "NaN"] {
            let flag = format!("--min-precision={bad}");
            let err = Cli::try_parse_from(["scrubtext", "eval", &flag, "c.jsonl"]).unwrap_err();
            assert_eq!(err.kind(), clap::error::ErrorKind::ValueValidation, "{bad}");
        }
        let cli = Cli::try_parse_from(["scrubtext", "eval", "--show", "lost,trimmed", "c.jsonl"])
            .unwrap();
        let Some(Command::Eval(args)) = cli.command else {
            panic!("not eval: {cli:?}");
        };
        assert_eq!(args.show, [Listing::Lost, Listing::Trimmed]);
    }

    #[test]
    fn train_needs_an_output_unless_it_measures() {
        let err = Cli::try_parse_from(["scrubtext", "train", "c.jsonl"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::MissingRequiredArgument);
        let cli = Cli::try_parse_from(["scrubtext", "train", "--curve", "c.jsonl"]).unwrap();
        let Some(Command::Train(args)) = cli.command else {
            panic!("not train: {cli:?}");
        };
        assert!(args.curve && args.output.is_none() && args.split.is_none());
        let err = Cli::try_parse_from(["scrubtext", "train", "--curve", "-o", "m.bin", "c.jsonl"])
            .unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
        // A model to measure is no model to write.
        let err =
            Cli::try_parse_from(["scrubtext", "train", "--model", "m.bin", "-o", "n.bin", "c"])
                .unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
    }

    #[test]
    fn modes_exclude_each_other() {
        let err = Cli::try_parse_from(["scrubtext", "--diff", "--check", "a.txt"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
    }
}
