//! Scoring the stripper on a labeled corpus.
