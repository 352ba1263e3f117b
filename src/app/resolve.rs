//! The cleaning run's arguments, resolved once: what the run does with each
//! input ([`Mode`]), where the cleaned text goes ([`Dest`]), in which
//! [`Format`] reports are written, and the rest of the settings, all typed.
//!
//! Everything the flags imply is decided here, before any input is read,
//! and combinations that cannot work are refused here; the rest of the run
//! reads these values and never looks at the flags again.

use std::path::PathBuf;

use encoding_rs::Encoding;

pub use crate::cli::Format;
use crate::cli::{CleanArgs, ColorChoice, RuleArgs};
use crate::report::{
    Check, CheckJson, CleanText, Diff, Explain, ExplainJson, Printer, WouldRewrite,
};
use scrubtext::decode;
use scrubtext::jsonl::FieldPath;

use super::Status;
use super::inputs::Input;
use crate::output;

/// What the run does with each cleaned input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Pass the cleaned text on, to its [`Dest`].
    Clean,
    /// Print a unified diff of what goes.
    Diff,
    /// List the inputs that hold boilerplate.
    Check,
    /// List every removal (and every line a guard kept).
    Explain,
    /// Name the files that `-w` would rewrite, and write nothing.
    DryRun,
}

impl Mode {
    /// Whether each input's report goes to standard output, whatever the
    /// input and the destination: every mode but [`Mode::Clean`].
    pub fn reports(self) -> bool {
        self != Mode::Clean
    }

    /// The status of a run in which something is found.
    pub fn found(self) -> Status {
        match self {
            Mode::Diff | Mode::Check => Status::Found,
            Mode::Clean | Mode::Explain | Mode::DryRun => Status::Clean,
        }
    }

    /// Whether the texts before and after cleaning are kept for the
    /// printer, which shows them.
    pub fn shows_texts(self) -> bool {
        matches!(self, Mode::Diff | Mode::Explain)
    }

    /// The printer of this mode in `format`.
    pub fn printer(self, format: Format, color: bool) -> Box<dyn Printer> {
        match (self, format) {
            (Mode::Clean, _) => Box::new(CleanText),
            (Mode::Diff, _) => Box::new(Diff { color }),
            (Mode::Check, Format::Text) => Box::new(Check),
            (Mode::Check, Format::Json) => Box::new(CheckJson),
            (Mode::Explain, Format::Text) => Box::new(Explain),
            (Mode::Explain, Format::Json) => Box::new(ExplainJson),
            (Mode::DryRun, _) => Box::new(WouldRewrite),
        }
    }
}

/// Where the cleaned text of a file goes. Standard input, which has no file,
/// always goes to standard output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dest {
    /// Printed (or, for a report mode, not kept at all).
    Stdout,
    /// Written under this folder, mirroring the input tree (`--out-dir`).
    Mirror(PathBuf),
    /// Written over the file it came from (`-w`).
    InPlace,
}

impl Dest {
    /// The file that the cleaned text of `input` is written to, if any.
    pub fn file_for(&self, input: &Input) -> Option<PathBuf> {
        match (self, input) {
            (_, Input::Stdin) | (Dest::Stdout, _) => None,
            (Dest::InPlace, Input::File { path, .. }) => Some(path.clone()),
            (Dest::Mirror(folder), Input::File { path, root, .. }) => {
                Some(output::mirror_path(path, root, folder))
            }
        }
    }

    /// Whether cleaned text goes to standard output: always for standard
    /// input, and for files unless they are written.
    pub fn prints(&self, input: &Input) -> bool {
        *self == Dest::Stdout || *input == Input::Stdin
    }
}

/// Where the inputs come from.
#[derive(Debug, Clone)]
pub struct Sources {
    /// Paths given on the command line (`-` is standard input).
    pub paths: Vec<PathBuf>,
    /// A file that lists paths (`-` is standard input).
    pub file_list: Option<PathBuf>,
    /// The entries of the file list are NUL-separated.
    pub null: bool,
    /// Include and exclude globs for folders.
    pub globs: Vec<String>,
    /// Walk hidden files and folders too.
    pub hidden: bool,
}

/// A cleaning run, decided.
#[derive(Debug)]
pub struct Resolved {
    /// What is done with each input.
    pub mode: Mode,
    /// Where cleaned text goes.
    pub dest: Dest,
    /// The format of reports (the mode's and `--stats`).
    pub format: Format,
    /// Colour the diff.
    pub color: bool,
    /// Colour the messages on standard error.
    pub report_color: bool,
    /// Read inputs in this encoding instead of detecting it.
    pub forced: Option<&'static Encoding>,
    /// Treat every input as JSON Lines.
    pub jsonl: bool,
    /// Text inputs hold documents separated by lines that are exactly this.
    pub split: Option<String>,
    /// A document (a text input, a piece of one with `split`, a JSON Lines
    /// record) larger than this is refused.
    pub max_document_bytes: u64,
    /// The field cleaned in JSON Lines records.
    pub field: FieldPath,
    /// Whether `--field` was given (it does nothing to a text input).
    pub field_given: bool,
    /// Print no notes.
    pub quiet: bool,
    /// Print a summary at the end.
    pub stats: bool,
    /// Threads; 0 is every core.
    pub threads: usize,
    /// Where the inputs come from.
    pub sources: Sources,
    /// Which rules.
    pub rules: RuleArgs,
}

/// Whether to colour a stream, which is a terminal or not: `auto` colours
/// terminals unless `NO_COLOR` is set.
pub fn color_for(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Resolves the arguments of a cleaning run; whether standard output and
/// standard error are terminals decides `--color auto` for each. An
/// impossible combination is refused with the message to show.
pub fn resolve(
    args: CleanArgs,
    stdout_is_terminal: bool,
    stderr_is_terminal: bool,
) -> Result<Resolved, String> {
    let flags = &args.mode;
    let format = args.format;
    if flags.diff && format == Format::Json {
        return Err("--format json does not apply to --diff, which prints a unified diff; use --explain --format json".to_string());
    }
    let forced = match &args.encoding {
        Some(label) => Some(decode::encoding_for_label(label).map_err(|e| e.to_string())?),
        None => None,
    };
    // clap keeps --out-dir away from the other modes and --dry-run away
    // from anything but -w.
    let (mode, dest) = if flags.diff {
        (Mode::Diff, Dest::Stdout)
    } else if flags.check {
        (Mode::Check, Dest::Stdout)
    } else if flags.explain {
        (Mode::Explain, Dest::Stdout)
    } else if flags.write && args.dry_run {
        (Mode::DryRun, Dest::Stdout)
    } else if flags.write {
        (Mode::Clean, Dest::InPlace)
    } else if let Some(folder) = args.out_dir {
        (Mode::Clean, Dest::Mirror(folder))
    } else if format == Format::Json {
        // JSON means the explanation: the cleaned text cannot share
        // standard output with it.
        (Mode::Explain, Dest::Stdout)
    } else {
        (Mode::Clean, Dest::Stdout)
    };
    let field_given = args.field.is_some();
    Ok(Resolved {
        mode,
        dest,
        format,
        color: color_for(args.color, stdout_is_terminal),
        report_color: color_for(args.color, stderr_is_terminal),
        forced,
        jsonl: args.jsonl,
        split: args.split.clone(),
        max_document_bytes: args.max_document_bytes,
        field: args
            .field
            .unwrap_or_else(|| FieldPath::parse("text").expect("a valid field path")),
        field_given,
        quiet: args.quiet,
        stats: args.stats,
        // 0, like no -j at all, is every core.
        threads: args.threads.map_or(0, usize::from),
        sources: Sources {
            paths: args.paths,
            file_list: args.file_list,
            null: args.null,
            globs: args.globs,
            hidden: args.hidden,
        },
        rules: args.rules,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser;

    fn resolved(args: &[&str]) -> Result<Resolved, String> {
        let cli = Cli::try_parse_from(std::iter::once("scrubtext").chain(args.iter().copied()))
            .unwrap_or_else(|e| panic!("{args:?} do not parse: {e}"));
        resolve(cli.clean, false, false)
    }

    #[test]
    fn flags_resolve_to_one_mode_destination_and_format() {
        let out = Dest::Mirror(PathBuf::from("out"));
        let cases: &[(&[&str], Mode, Dest, Format)] = &[
            (&[], Mode::Clean, Dest::Stdout, Format::Text),
            (&["--diff"], Mode::Diff, Dest::Stdout, Format::Text),
            (&["--check"], Mode::Check, Dest::Stdout, Format::Text),
            (
                &["--check", "--format", "json"],
                Mode::Check,
                Dest::Stdout,
                Format::Json,
            ),
            (&["--explain"], Mode::Explain, Dest::Stdout, Format::Text),
            // JSON alone is the explanation.
            (
                &["--format", "json"],
                Mode::Explain,
                Dest::Stdout,
                Format::Json,
            ),
            (&["-w"], Mode::Clean, Dest::InPlace, Format::Text),
            (
                &["-w", "--format", "json"],
                Mode::Clean,
                Dest::InPlace,
                Format::Json,
            ),
            (
                &["-w", "--dry-run"],
                Mode::DryRun,
                Dest::Stdout,
                Format::Text,
            ),
            (
                &["--out-dir", "out"],
                Mode::Clean,
                out.clone(),
                Format::Text,
            ),
            (
                &["--out-dir", "out", "--format", "json"],
                Mode::Clean,
                out,
                Format::Json,
            ),
        ];
        for (args, mode, dest, format) in cases {
            let resolved = resolved(args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
            assert_eq!(
                (resolved.mode, &resolved.dest, resolved.format),
                (*mode, dest, *format),
                "{args:?}"
            );
        }
    }

    #[test]
    fn impossible_combinations_are_refused() {
        let error = resolved(&["--diff", "--format", "json"]).unwrap_err();
        assert!(
            error.starts_with("--format json does not apply to --diff"),
            "{error}"
        );
        let error = resolved(&["--encoding", "klingon"]).unwrap_err();
        assert!(error.contains("klingon"), "{error}");
    }

    #[test]
    fn modes_know_their_status_and_printer_inputs() {
        assert_eq!(Mode::Diff.found(), Status::Found);
        assert_eq!(Mode::Check.found(), Status::Found);
        assert_eq!(Mode::DryRun.found(), Status::Clean);
        assert!(!Mode::Clean.reports() && Mode::DryRun.reports());
        assert!(Mode::Explain.shows_texts() && !Mode::Check.shows_texts());
        assert!(resolved(&["-j", "0"]).unwrap().threads == 0);
        assert!(resolved(&["-j", "3"]).unwrap().threads == 3);
    }
}
