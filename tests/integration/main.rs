//! Integration tests, in one binary: rule files, the seed article, the
//! labeled corpora, properties of stripping, and the command line.

mod batch;
mod cli;
mod corpus;
mod properties;
mod rules;
mod sample;
mod seed;
mod shared;
