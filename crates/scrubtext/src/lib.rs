//! scrubtext strips boilerplate — publisher appeals, paywall and newsletter
//! prompts, page widgets, related-story links, photo credits, cookie notices
//! and attribution footers — from scraped article text.
//!
//! This is the core library: [`Stripper::strip`] takes a text and returns
//! the cleaned text together with the list of [`Removal`]s that explain every
//! byte it took out. Around it: rules and guards as data ([`RuleSet`],
//! [`GuardSet`]), the learned line scorer ([`scorer`]), text decoding
//! ([`decode`]), one JSON Lines record's field ([`jsonl`]) and evaluation
//! against labeled corpora ([`eval`]). It reads no files of its own, prints
//! nothing and pulls in no command-line crates; the `scrubtext` command is
//! the `scrubtext-cli` crate.
#![deny(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod decode;
pub mod eval;
pub mod guards;
pub mod jsonl;
mod line_regex;
pub mod normalize;
pub mod rules;
pub mod scorer;
mod stripper;

pub use guards::GuardSet;
pub use rules::{Category, Rule, RuleKind, RuleSet};
pub use stripper::{
    CueContext, DEFAULT_MODEL_MAX_CHARS, DEFAULT_MODEL_THRESHOLD, KeptView, LineEvidence, MODEL_ID,
    ModelSettings, Objection, Outcome, Piece, Reason, Removal, Removed, Stripper, Work,
    kept_pieces, phrase_automaton, split_documents,
};
