//! The command line: arguments, parsed by clap from these declarations. The
//! doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Strip publisher appeals, paywall and newsletter prompts, widgets, related
/// links, credits and attribution footers from scraped article text.
///
/// With no mode flag the cleaned text is printed. Inputs are files, or
/// standard input as `-` or when no path is given.
///
/// Exit codes: 0 nothing to strip or success; 1 boilerplate found under
/// --check or --diff; 2 an error (the other inputs are still processed).
#[derive(Debug, Parser)]
#[command(name = "scrubtext", version, args_conflicts_with_subcommands = true)]
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
    /// List the rules in force.
    Rules {
        /// Which rules.
        #[command(flatten)]
        rules: RuleArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Score the rules on labeled corpora (JSON Lines with `text` and
    /// per-line `labels`) and print recall, precision and lines lost.
    Eval {
        /// Labeled corpus files.
        #[arg(required = true, value_name = "CORPUS")]
        corpora: Vec<PathBuf>,
        /// Which rules.
        #[command(flatten)]
        rules: RuleArgs,
        /// How many missed lines to show per corpus.
        #[arg(long, default_value_t = 10, value_name = "N")]
        examples: usize,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

/// Arguments of the cleaning run.
#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Files to clean; `-` is standard input (the default).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// What to do with the inputs.
    #[command(flatten)]
    pub mode: ModeArgs,

    /// Output format of reports (--check, --explain).
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
    /// Use only these rules: ids or categories, comma-separated.
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "RULES",
        help_heading = "Rules"
    )]
    pub select: Vec<String>,
    /// Do not use these rules: ids or categories, comma-separated.
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "RULES",
        help_heading = "Rules"
    )]
    pub ignore: Vec<String>,
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// JSON, one object per input (JSON Lines), for programs.
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
    fn modes_exclude_each_other() {
        let err = Cli::try_parse_from(["scrubtext", "--diff", "--check", "a.txt"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
    }
}
