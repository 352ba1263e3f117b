//! Integration tests, in one binary: rule files, the seed article, the
//! labeled corpora, properties of stripping, the command line, and the
//! `eval` subcommand.

mod batch;
mod cli;
mod corpus;
mod eval;
mod properties;
mod rules;
mod sample;
mod scorer;
mod seed;
mod shared;
