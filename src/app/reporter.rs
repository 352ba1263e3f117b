//! The one way to standard error: every error, warning, note and summary
//! line of a run goes through a [`Reporter`], which prefixes it with
//! `scrubtext:`, counts it, caps notes that repeat, keeps quiet under
//! `--quiet`, colours the prefix when asked, and keeps out of the way of
//! the progress bar.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::io::{self, Write};

use indicatif::ProgressBar;

/// How many notes of one kind are shown; the others are counted.
pub const NOTES_SHOWN: u64 = 5;

const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// What a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Something failed; the run ends with status 2.
    Error,
    /// Something the user should act on that is no error of the run, such
    /// as an `eval` gate missed.
    Warning,
    /// Something the user may want to know; `--quiet` hides it.
    Note,
    /// What the run did, such as the files it rewrote.
    Summary,
}

/// Writes the run's messages to standard error.
pub struct Reporter<'w> {
    err: &'w mut dyn Write,
    quiet: bool,
    color: bool,
    progress: ProgressBar,
    errors: u64,
    /// Notes of each kind met so far, shown or not.
    notes: BTreeMap<&'static str, u64>,
}

impl<'w> Reporter<'w> {
    /// A reporter writing to `err`, with every note shown and no colour.
    pub fn new(err: &'w mut dyn Write) -> Reporter<'w> {
        Reporter {
            err,
            quiet: false,
            color: false,
            progress: ProgressBar::hidden(),
            errors: 0,
            notes: BTreeMap::new(),
        }
    }

    /// Hides notes (`--quiet`).
    pub fn set_quiet(&mut self, quiet: bool) {
        self.quiet = quiet;
    }

    /// Colours the prefix of each message.
    pub fn set_color(&mut self, color: bool) {
        self.color = color;
    }

    /// The progress bar that messages are written around.
    pub fn set_progress(&mut self, progress: ProgressBar) {
        self.progress = progress;
    }

    /// Errors reported so far.
    pub fn errors(&self) -> u64 {
        self.errors
    }

    /// Reports an error.
    pub fn error(&mut self, message: impl Display) -> io::Result<()> {
        self.write(Kind::Error, &message)
    }

    /// Reports an error about one input (or a file, a flag): `subject:
    /// message`.
    pub fn error_in(&mut self, subject: impl Display, message: impl Display) -> io::Result<()> {
        self.write(Kind::Error, &format_args!("{subject}: {message}"))
    }

    /// Reports a warning about one input: `subject: message`.
    pub fn warning_in(&mut self, subject: impl Display, message: impl Display) -> io::Result<()> {
        self.write(Kind::Warning, &format_args!("{subject}: {message}"))
    }

    /// Writes a note, unless quiet.
    pub fn note(&mut self, message: impl Display) -> io::Result<()> {
        self.write(Kind::Note, &message)
    }

    /// A note of a kind that may come once per input or per record: the
    /// first few are shown, the others counted and said at the end
    /// ([`Reporter::notes_not_shown`]).
    pub fn note_of(&mut self, kind: &'static str, message: impl Display) -> io::Result<()> {
        let seen = self.notes.entry(kind).or_default();
        *seen += 1;
        if *seen <= NOTES_SHOWN {
            self.note(message)?;
        }
        Ok(())
    }

    /// Says how many notes of each kind were not shown.
    pub fn notes_not_shown(&mut self) -> io::Result<()> {
        let hidden: Vec<(&'static str, u64)> = self
            .notes
            .iter()
            .filter(|(_, seen)| **seen > NOTES_SHOWN)
            .map(|(kind, seen)| (*kind, seen - NOTES_SHOWN))
            .collect();
        for (kind, count) in hidden {
            let noun = if count == 1 { "note" } else { "notes" };
            self.note(format_args!("{count} more {noun} on {kind} not shown"))?;
        }
        Ok(())
    }

    /// Writes a line of what the run did, even under `--quiet`.
    pub fn summary(&mut self, message: impl Display) -> io::Result<()> {
        self.write(Kind::Summary, &message)
    }

    /// Writes a report of its own (such as `--stats`) as it is, without
    /// prefixes, and flushes it.
    pub fn block(
        &mut self,
        render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let err = &mut *self.err;
        self.progress.suspend(|| {
            render(err)?;
            err.flush()
        })
    }

    fn write(&mut self, kind: Kind, message: &dyn Display) -> io::Result<()> {
        match kind {
            Kind::Note if self.quiet => return Ok(()),
            Kind::Error => self.errors += 1,
            Kind::Warning | Kind::Note | Kind::Summary => {}
        }
        let (bold, reset) = if self.color { (BOLD, RESET) } else { ("", "") };
        let label = match (kind, self.color) {
            (Kind::Note, true) => format!("{CYAN}note:{RESET} "),
            (Kind::Note, false) => "note: ".to_string(),
            _ => String::new(),
        };
        let paint = match (kind, self.color) {
            (Kind::Error, true) => RED,
            (Kind::Warning, true) => YELLOW,
            _ => "",
        };
        let err = &mut *self.err;
        self.progress
            .suspend(|| writeln!(err, "{paint}{bold}scrubtext:{reset} {label}{message}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(quiet: bool, color: bool, report: impl FnOnce(&mut Reporter<'_>)) -> (String, u64) {
        let mut err = Vec::new();
        let mut reporter = Reporter::new(&mut err);
        reporter.set_quiet(quiet);
        reporter.set_color(color);
        report(&mut reporter);
        let errors = reporter.errors();
        (String::from_utf8(err).unwrap(), errors)
    }

    #[test]
    fn messages_are_prefixed_and_counted() {
        let (text, errors) = with(false, false, |r| {
            r.error_in("a.txt", "permission denied").unwrap();
            r.note("skipped 1 hidden file").unwrap();
            r.warning_in("c.jsonl", "recall 0.5 < 0.9").unwrap();
            r.summary("1 file rewritten").unwrap();
            r.error("cannot write output").unwrap();
        });
        assert_eq!(
            text,
            "scrubtext: a.txt: permission denied\n\
             scrubtext: note: skipped 1 hidden file\n\
             scrubtext: c.jsonl: recall 0.5 < 0.9\n\
             scrubtext: 1 file rewritten\n\
             scrubtext: cannot write output\n"
        );
        assert_eq!(errors, 2);
    }

    #[test]
    fn quiet_hides_notes_only() {
        let (text, errors) = with(true, false, |r| {
            r.note("hidden").unwrap();
            r.note_of("kind", "hidden too").unwrap();
            r.error_in("a.txt", "shown").unwrap();
            r.summary("shown too").unwrap();
        });
        assert_eq!(text, "scrubtext: a.txt: shown\nscrubtext: shown too\n");
        assert_eq!(errors, 1);
    }

    #[test]
    fn repeated_notes_are_capped_and_counted() {
        let (text, _) = with(false, false, |r| {
            for i in 0..8 {
                r.note_of("records passed through", format_args!("record {i}"))
                    .unwrap();
            }
            r.note_of("decoding", "once").unwrap();
            r.notes_not_shown().unwrap();
        });
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 7, "{text}");
        assert_eq!(lines[4], "scrubtext: note: record 4");
        assert_eq!(
            lines[6],
            "scrubtext: note: 3 more notes on records passed through not shown"
        );
    }

    #[test]
    fn colour_paints_the_prefix() {
        let (text, _) = with(false, true, |r| {
            r.error_in("a.txt", "gone").unwrap();
            r.note("fyi").unwrap();
        });
        assert_eq!(
            text,
            format!(
                "{RED}{BOLD}scrubtext:{RESET} a.txt: gone\n{BOLD}scrubtext:{RESET} {CYAN}note:{RESET} fyi\n"
            )
        );
    }
}
