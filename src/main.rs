//! The scrubtext binary: parses arguments, runs, and maps the outcome to an
//! exit code. The work is in the library.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use scrubtext_cli::app::{Streams, run};
use scrubtext_cli::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let stdout_is_terminal = stdout.is_terminal();
    let stderr_is_terminal = std::io::stderr().is_terminal();
    let mut stdout = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let mut stderr = std::io::stderr().lock();
    let mut stdin = std::io::stdin().lock();
    let status = run(
        cli,
        Streams {
            stdin: &mut stdin,
            stdout: &mut stdout,
            stderr: &mut stderr,
            stdout_is_terminal,
            stderr_is_terminal,
        },
    );
    ExitCode::from(status as u8)
}
