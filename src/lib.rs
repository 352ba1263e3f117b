//! scrubtext strips boilerplate — publisher appeals, paywall and newsletter
//! prompts, page widgets, related-story links, photo credits, cookie notices
//! and attribution footers — from scraped article text.
//!
//! The core is a pure function: [`Stripper::strip`] takes a text and returns
//! the cleaned text together with the list of [`Removal`]s that explain every
//! byte it took out. Everything else (decoding, reports, the command line)
//! is built around it and never inside it.
#![deny(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod app;
pub mod cli;
pub mod compress;
pub mod decode;
pub mod eval;
pub mod guards;
pub mod jsonl;
pub mod normalize;
pub mod output;
pub mod report;
pub mod rules;
pub mod scorer;
mod stripper;

pub use guards::GuardSet;
pub use rules::{Category, Rule, RuleKind, RuleSet};
pub use stripper::{
    CueContext, KeptView, LineEvidence, MODEL_ID, ModelSettings, Objection, Outcome, Reason,
    Removal, Stripper,
};

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
