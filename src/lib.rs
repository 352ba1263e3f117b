//! The `scrubtext` command: arguments, inputs (files, folders, JSON Lines,
//! compression), outputs (stdout, a mirrored folder, in place), reports
//! (diff, check, explain, JSON) and the subcommands, around the core
//! library, the `scrubtext` crate, which does the stripping itself.
#![deny(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod app;
pub mod cli;
pub mod compress;
pub mod output;
pub mod report;

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
