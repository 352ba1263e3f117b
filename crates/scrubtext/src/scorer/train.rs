//! Turning labeled corpora into training lines, and training a model on
//! them: what `scrubtext train` does.
//!
//! Corpora are read by [`crate::eval::read_corpus`], the reader `eval`
//! uses. A document with a `split` is used only when it is the split asked
//! for (`train` by default); one without a split (the gold corpora) is
//! always used. Labels become targets: a category is boilerplate of that
//! category, `drop` boilerplate of unknown category, `keep` content; blank
//! lines, `other`, `unsure` and `blank` are left out. The `valid` split and
//! the trap suite are kept for measuring: training on them is refused.
//!
//! The scorer is used on the text as the built-in rules leave it
//! ([`crate::Stripper::kept_view`]: the lines they remove whole are gone),
//! so it learns from that text too: only the lines the rules leave are
//! training lines, with the neighbours and positions they have there. A
//! document whose kept text cannot be split back into its lines (a lone
//! `\r` inside a line) is left out.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::Stripper;
use crate::eval::{EvalError, Label, Skipped, read_corpus};

use super::features::{self, Family, Name, Sink};
use super::model::{self, CorpusInfo, Examples, Hyperparameters, Model, Target};

/// Default size of the boilerplate model's hash space, in bits.
pub const HASH_BITS: u32 = 18;

/// Default size of the category model's hash space, in bits.
pub const CATEGORY_BITS: u32 = 15;

/// The split kept for measuring.
pub const HELD_OUT_SPLIT: &str = "valid";

/// Corpus files kept for measuring.
pub const HELD_OUT_FILES: &[&str] = &[
    "traps.jsonl",
    "traps2.jsonl",
    "traps3.jsonl",
    "traps4.jsonl",
    "traps5.jsonl",
    "traps6.jsonl",
    "traps7.jsonl",
    "traps8.jsonl",
    "traps9.jsonl",
    "traps10.jsonl",
    "traps11.jsonl",
    "traps12.jsonl",
    "traps13.jsonl",
    "traps14.jsonl",
    "traps15.jsonl",
    "traps16.jsonl",
    "traps17.jsonl",
    "traps18.jsonl",
    "traps19.jsonl",
];

/// Why a training set could not be built.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// A document could not be read.
    #[error(transparent)]
    Corpus(#[from] EvalError),
    /// The corpus is kept for measuring.
    #[error("{0}: held out for measuring; it is never trained on")]
    HeldOutFile(String),
    /// The split is kept for measuring.
    #[error("split {0:?} is held out for measuring; it is never trained on")]
    HeldOutSplit(String),
}

/// Which documents of a corpus to train on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainOptions {
    /// Use documents whose `split` is this, and those without a split.
    pub split: Option<String>,
    /// Skip a document that cannot be read instead of stopping.
    pub skip_bad: bool,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            split: Some("train".to_string()),
            skip_bad: false,
        }
    }
}

/// Is a document of split `split` used when training or measuring on
/// `wanted`? Documents without a split always are.
pub fn in_split(split: Option<&str>, wanted: Option<&str>) -> bool {
    match (split, wanted) {
        (Some(split), Some(wanted)) => split == wanted,
        _ => true,
    }
}

/// The target of a line with this label, or none to leave it out.
pub fn target(label: Label) -> Option<Target> {
    match label {
        Label::Keep => Some(Target {
            boilerplate: false,
            category: None,
        }),
        Label::Boilerplate(category) => Some(Target {
            boilerplate: true,
            category: Some(category),
        }),
        Label::Drop => Some(Target {
            boilerplate: true,
            category: None,
        }),
        Label::Other | Label::Unsure | Label::Blank => None,
    }
}

/// Training lines gathered from corpora.
#[derive(Debug, Clone)]
pub struct TrainingSet {
    hash_bits: u32,
    examples: Examples,
    corpora: Vec<CorpusInfo>,
}

impl TrainingSet {
    /// An empty set whose features are hashed into `2^hash_bits` buckets.
    pub fn new(hash_bits: u32) -> TrainingSet {
        TrainingSet {
            hash_bits,
            examples: Examples::new(),
            corpora: Vec::new(),
        }
    }

    /// The lines gathered so far.
    pub fn len(&self) -> usize {
        self.examples.len()
    }

    /// True when no line was gathered.
    pub fn is_empty(&self) -> bool {
        self.examples.is_empty()
    }

    /// What was gathered from each corpus.
    pub fn corpora(&self) -> &[CorpusInfo] {
        &self.corpora
    }

    /// Adds the lines of one corpus, the whole file's bytes; `name` names
    /// it in the model and in errors. Returns the documents skipped under
    /// `options.skip_bad`.
    pub fn add_corpus(
        &mut self,
        stripper: &Stripper,
        name: &str,
        bytes: &[u8],
        options: &TrainOptions,
    ) -> Result<Vec<Skipped>, TrainError> {
        let file_name = Path::new(name)
            .file_name()
            .map_or_else(|| name.to_string(), |n| n.to_string_lossy().into_owned());
        if HELD_OUT_FILES.contains(&file_name.as_str()) {
            return Err(TrainError::HeldOutFile(name.to_string()));
        }
        if let Some(split) = &options.split
            && split == HELD_OUT_SPLIT
        {
            return Err(TrainError::HeldOutSplit(split.clone()));
        }
        let mut info = CorpusInfo {
            name: file_name,
            documents: 0,
            boilerplate: 0,
            content: 0,
            sha256: Sha256::digest(bytes).into(),
        };
        let mask = (1u64 << self.hash_bits) - 1;
        let before = self.examples.len();
        let skipped = read_corpus(bytes, name, options.skip_bad, |_, doc| {
            if !in_split(doc.split.as_deref(), options.split.as_deref()) {
                return;
            }
            // The scorer reads the text as the rules leave it, in use and so
            // here: the lines they remove are neither seen nor learned.
            let view = stripper.kept_view(&doc.text);
            let Some(labels) = super::labels_of_view(&doc.text, &view, &doc.labels) else {
                return;
            };
            info.documents += 1;
            let mut sink = Collect {
                examples: &mut self.examples,
                labels: &labels,
                mask,
                pending: None,
            };
            features::extract(&view.text, &view.evidence, &mut sink);
            sink.close();
        })?;
        let (boilerplate, content) = self.count_since(before);
        info.boilerplate = boilerplate;
        info.content = content;
        self.corpora.push(info);
        Ok(skipped)
    }

    /// Boilerplate and content examples from example `from` on.
    fn count_since(&self, from: usize) -> (u64, u64) {
        let mut counts = (0, 0);
        for i in from..self.examples.len() {
            if self.examples.target(i).boilerplate {
                counts.0 += 1;
            } else {
                counts.1 += 1;
            }
        }
        counts
    }

    /// Trains a model on the lines gathered.
    pub fn train(&self, category_bits: u32, hyperparameters: Hyperparameters) -> Model {
        let mut model = model::train(
            &self.examples,
            self.hash_bits,
            category_bits,
            hyperparameters,
        );
        model.corpora = self.corpora.clone();
        model
    }
}

/// Features of the labeled lines, as examples.
struct Collect<'a> {
    examples: &'a mut Examples,
    labels: &'a [Label],
    mask: u64,
    pending: Option<Target>,
}

impl Collect<'_> {
    fn close(&mut self) {
        if let Some(target) = self.pending.take() {
            self.examples.finish(target);
        }
    }
}

impl Sink for Collect<'_> {
    fn begin_line(&mut self, index: usize) -> bool {
        self.close();
        self.pending = self.labels.get(index).copied().and_then(target);
        self.pending.is_some()
    }

    fn add(&mut self, _family: Family, hash: u64, value: f32, _name: Name<'_>) {
        self.examples.feature((hash & self.mask) as u32, value);
    }
}
