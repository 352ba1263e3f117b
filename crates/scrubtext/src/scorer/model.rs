//! The model's weights, their file format, and the trainer that makes them.
//!
//! Two linear models over the hashed features of [`super::features`]:
//! logistic regression for P(boilerplate), on `2^hash_bits` weights, and a
//! softmax over the seven categories, on `2^category_bits` weights per
//! category (a feature's bucket there is the low bits of its bucket in the
//! first). Both are trained by AdaGrad with L2 on the weights a step
//! touches, for a fixed number of epochs, each in an order drawn from a
//! seeded generator of our own and from what each example is (a digest of
//! its features and target), so that adding or dropping a few examples
//! leaves the order of the others: the same examples and hyperparameters
//! give the same bytes, on any number of cores.
//!
//! The file, little-endian:
//!
//! ```text
//! magic "SCRUBLSM", format version u32,
//! feature version u32, feature fingerprint u64,
//! hash bits u32, category bits u32, categories u32,
//! epochs u32, learning rate f32, l2 f32, positive weight f32, seed u64,
//! corpora u32, then per corpus: name (u32 length, UTF-8), documents u64,
//!     boilerplate lines u64, content lines u64, SHA-256 of the file [32],
//! bias f32, weights f32 × 2^hash_bits,
//! category biases f32 × categories,
//! category weights f32 × 2^category_bits × categories (feature-major)
//! ```
//!
//! and nothing after.

use std::fmt;

use crate::rules::Category;

use super::features::{FEATURE_VERSION, fingerprint};

const MAGIC: &[u8; 8] = b"SCRUBLSM";

/// Version of the file format.
pub const FORMAT_VERSION: u32 = 1;

/// Number of categories the second model tells apart.
pub const CATEGORIES: usize = Category::ALL.len();

/// Largest hash space a file may declare, in bits (64 MB of weights).
const MAX_BITS: u32 = 24;

/// An error loading a model file: the file and what was wrong.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {kind}")]
pub struct ModelError {
    /// The file (or name of the embedded model).
    pub file: String,
    /// What was wrong.
    pub kind: ModelErrorKind,
}

/// What was wrong with a model file.
#[derive(Debug, thiserror::Error)]
pub enum ModelErrorKind {
    /// The file could not be read or written.
    #[error("cannot read or write: {0}")]
    Io(#[from] std::io::Error),
    /// The file does not start with the magic bytes.
    #[error("not a scrubtext model (no SCRUBLSM header)")]
    NotAModel,
    /// The file is of another format version.
    #[error("model format version {found}, expected {expected}")]
    Version {
        /// Version in the file.
        found: u32,
        /// Version this build reads.
        expected: u32,
    },
    /// The file was made for another feature set.
    #[error(
        "made for feature set {found_version} ({found:016x}), this build computes {expected_version} ({expected:016x}): retrain the model"
    )]
    FeatureSet {
        /// Feature version in the file.
        found_version: u32,
        /// Feature fingerprint in the file.
        found: u64,
        /// Feature version of this build.
        expected_version: u32,
        /// Feature fingerprint of this build.
        expected: u64,
    },
    /// The file ends too early.
    #[error("truncated at byte {at}: expected {what}")]
    Truncated {
        /// Offset where the missing part starts.
        at: usize,
        /// What was expected there.
        what: &'static str,
    },
    /// A field holds a value no model has.
    #[error("invalid {what} at byte {at}")]
    Invalid {
        /// Offset of the field.
        at: usize,
        /// Which field.
        what: &'static str,
    },
    /// Bytes follow the last weights.
    #[error("{0} unexpected bytes after the weights")]
    Trailing(usize),
}

/// How a model was trained.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hyperparameters {
    /// Passes over the examples.
    pub epochs: u32,
    /// AdaGrad's base step.
    pub learning_rate: f32,
    /// L2 penalty on the weights a step touches.
    pub l2: f32,
    /// Weight of a boilerplate example against a content one.
    pub positive_weight: f32,
    /// Seed of the shuffles.
    pub seed: u64,
}

impl Default for Hyperparameters {
    fn default() -> Hyperparameters {
        Hyperparameters {
            epochs: 6,
            learning_rate: 0.1,
            l2: 1e-2,
            positive_weight: 1.0,
            seed: 1,
        }
    }
}

/// One corpus a model was trained on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusInfo {
    /// Its file name.
    pub name: String,
    /// Documents used.
    pub documents: u64,
    /// Boilerplate lines used.
    pub boilerplate: u64,
    /// Content lines used.
    pub content: u64,
    /// SHA-256 of the whole file.
    pub sha256: [u8; 32],
}

/// The weights of both models and how they were made.
#[derive(Clone, PartialEq)]
pub struct Model {
    /// Bits of the hash space of the boilerplate model.
    pub hash_bits: u32,
    /// Bits of the hash space of the category model.
    pub category_bits: u32,
    /// How it was trained.
    pub hyperparameters: Hyperparameters,
    /// What it was trained on.
    pub corpora: Vec<CorpusInfo>,
    pub(super) bias: f32,
    pub(super) weights: Vec<f32>,
    pub(super) category_bias: [f32; CATEGORIES],
    /// Feature-major: the weights of bucket `b` are
    /// `category_weights[b * CATEGORIES..][..CATEGORIES]`.
    pub(super) category_weights: Vec<f32>,
}

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Model")
            .field("hash_bits", &self.hash_bits)
            .field("category_bits", &self.category_bits)
            .field("hyperparameters", &self.hyperparameters)
            .field("corpora", &self.corpora)
            .finish_non_exhaustive()
    }
}

impl Model {
    /// A model of zero weights.
    pub fn zeros(hash_bits: u32, category_bits: u32) -> Model {
        assert!(category_bits <= hash_bits && hash_bits <= MAX_BITS);
        Model {
            hash_bits,
            category_bits,
            hyperparameters: Hyperparameters::default(),
            corpora: Vec::new(),
            bias: 0.0,
            weights: vec![0.0; 1 << hash_bits],
            category_bias: [0.0; CATEGORIES],
            category_weights: vec![0.0; (1 << category_bits) * CATEGORIES],
        }
    }

    /// The bucket of a feature hash in the boilerplate model.
    pub(super) fn bucket(&self, hash: u64) -> usize {
        (hash & ((1u64 << self.hash_bits) - 1)) as usize
    }

    /// The bucket of a boilerplate-model bucket in the category model.
    pub(super) fn category_bucket(&self, bucket: usize) -> usize {
        bucket & ((1 << self.category_bits) - 1)
    }

    /// The model as the bytes of its file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out =
            Vec::with_capacity(64 + 4 * (self.weights.len() + self.category_weights.len()));
        out.extend_from_slice(MAGIC);
        for n in [FORMAT_VERSION, FEATURE_VERSION] {
            out.extend_from_slice(&n.to_le_bytes());
        }
        out.extend_from_slice(&fingerprint().to_le_bytes());
        for n in [self.hash_bits, self.category_bits, CATEGORIES as u32] {
            out.extend_from_slice(&n.to_le_bytes());
        }
        let h = &self.hyperparameters;
        out.extend_from_slice(&h.epochs.to_le_bytes());
        for x in [h.learning_rate, h.l2, h.positive_weight] {
            out.extend_from_slice(&x.to_le_bytes());
        }
        out.extend_from_slice(&h.seed.to_le_bytes());
        out.extend_from_slice(&(self.corpora.len() as u32).to_le_bytes());
        for corpus in &self.corpora {
            out.extend_from_slice(&(corpus.name.len() as u32).to_le_bytes());
            out.extend_from_slice(corpus.name.as_bytes());
            for n in [corpus.documents, corpus.boilerplate, corpus.content] {
                out.extend_from_slice(&n.to_le_bytes());
            }
            out.extend_from_slice(&corpus.sha256);
        }
        out.extend_from_slice(&self.bias.to_le_bytes());
        for w in &self.weights {
            out.extend_from_slice(&w.to_le_bytes());
        }
        for w in self.category_bias.iter().chain(&self.category_weights) {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out
    }

    /// Reads a model from the bytes of its file; `file` names it in errors.
    pub fn from_bytes(file: &str, bytes: &[u8]) -> Result<Model, ModelError> {
        Model::parse(bytes).map_err(|kind| ModelError {
            file: file.to_string(),
            kind,
        })
    }

    fn parse(bytes: &[u8]) -> Result<Model, ModelErrorKind> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(MAGIC.len(), "the magic bytes").ok() != Some(&MAGIC[..]) {
            return Err(ModelErrorKind::NotAModel);
        }
        let version = r.u32("the format version")?;
        if version != FORMAT_VERSION {
            return Err(ModelErrorKind::Version {
                found: version,
                expected: FORMAT_VERSION,
            });
        }
        let feature_version = r.u32("the feature version")?;
        let feature_fingerprint = r.u64("the feature fingerprint")?;
        if feature_version != FEATURE_VERSION || feature_fingerprint != fingerprint() {
            return Err(ModelErrorKind::FeatureSet {
                found_version: feature_version,
                found: feature_fingerprint,
                expected_version: FEATURE_VERSION,
                expected: fingerprint(),
            });
        }
        let at = r.at;
        let hash_bits = r.u32("the hash bits")?;
        let category_bits = r.u32("the category bits")?;
        if hash_bits > MAX_BITS || category_bits > hash_bits {
            return Err(ModelErrorKind::Invalid {
                at,
                what: "hash sizes",
            });
        }
        let at = r.at;
        if r.u32("the number of categories")? != CATEGORIES as u32 {
            return Err(ModelErrorKind::Invalid {
                at,
                what: "number of categories",
            });
        }
        let hyperparameters = Hyperparameters {
            epochs: r.u32("the epochs")?,
            learning_rate: r.f32("the learning rate")?,
            l2: r.f32("the l2 penalty")?,
            positive_weight: r.f32("the positive weight")?,
            seed: r.u64("the seed")?,
        };
        let count = r.u32("the number of corpora")?;
        let mut corpora = Vec::new();
        for _ in 0..count {
            let length = r.u32("a corpus name's length")? as usize;
            let at = r.at;
            let name = r.take(length, "a corpus name")?;
            let name = String::from_utf8(name.to_vec()).map_err(|_| ModelErrorKind::Invalid {
                at,
                what: "corpus name",
            })?;
            let documents = r.u64("a corpus's documents")?;
            let boilerplate = r.u64("a corpus's boilerplate lines")?;
            let content = r.u64("a corpus's content lines")?;
            let sha256 = r
                .take(32, "a corpus's SHA-256")?
                .try_into()
                .expect("32 bytes");
            corpora.push(CorpusInfo {
                name,
                documents,
                boilerplate,
                content,
                sha256,
            });
        }
        let bias = r.f32("the bias")?;
        let weights = r.f32s(1 << hash_bits, "the boilerplate weights")?;
        let mut category_bias = [0.0; CATEGORIES];
        for b in &mut category_bias {
            *b = r.f32("the category biases")?;
        }
        let category_weights = r.f32s((1 << category_bits) * CATEGORIES, "the category weights")?;
        if r.at != bytes.len() {
            return Err(ModelErrorKind::Trailing(bytes.len() - r.at));
        }
        Ok(Model {
            hash_bits,
            category_bits,
            hyperparameters,
            corpora,
            bias,
            weights,
            category_bias,
            category_weights,
        })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], ModelErrorKind> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or(ModelErrorKind::Truncated { at: self.at, what })?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], ModelErrorKind> {
        Ok(self.take(N, what)?.try_into().expect("N bytes"))
    }

    fn u32(&mut self, what: &'static str) -> Result<u32, ModelErrorKind> {
        self.array(what).map(u32::from_le_bytes)
    }

    fn u64(&mut self, what: &'static str) -> Result<u64, ModelErrorKind> {
        self.array(what).map(u64::from_le_bytes)
    }

    fn f32(&mut self, what: &'static str) -> Result<f32, ModelErrorKind> {
        self.array(what).map(f32::from_le_bytes)
    }

    fn f32s(&mut self, n: usize, what: &'static str) -> Result<Vec<f32>, ModelErrorKind> {
        let bytes = self.take(n * 4, what)?;
        Ok(bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect())
    }
}

/// A small deterministic generator (SplitMix64) for the shuffles.
#[derive(Debug, Clone)]
pub struct SplitMix(u64);

impl SplitMix {
    /// A generator from a seed.
    pub fn new(seed: u64) -> SplitMix {
        SplitMix(seed)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `n` (n > 0), by Lemire's multiply-shift.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Shuffles `items` (Fisher-Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// What one training line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// Boilerplate or content.
    pub boilerplate: bool,
    /// The category of gold-labeled boilerplate.
    pub category: Option<Category>,
}

/// Training lines: their features (bucket indexes in the boilerplate
/// model's space, and values) and targets, stored flat.
#[derive(Debug, Clone, Default)]
pub struct Examples {
    indexes: Vec<u32>,
    values: Vec<f32>,
    /// Start of each example in `indexes` and `values`, and the end.
    offsets: Vec<usize>,
    targets: Vec<Target>,
}

impl Examples {
    /// No examples.
    pub fn new() -> Examples {
        Examples {
            offsets: vec![0],
            ..Examples::default()
        }
    }

    /// Adds one example from its features (bucket, value).
    pub fn push(&mut self, features: impl IntoIterator<Item = (u32, f32)>, target: Target) {
        for (index, value) in features {
            self.indexes.push(index);
            self.values.push(value);
        }
        self.offsets.push(self.indexes.len());
        self.targets.push(target);
    }

    /// Adds a feature to the example being built; [`Examples::finish`]
    /// ends it.
    pub(super) fn feature(&mut self, index: u32, value: f32) {
        self.indexes.push(index);
        self.values.push(value);
    }

    /// Ends the example whose features were added last.
    pub(super) fn finish(&mut self, target: Target) {
        self.offsets.push(self.indexes.len());
        self.targets.push(target);
    }

    /// The target of example `i`.
    pub fn target(&self, i: usize) -> Target {
        self.targets[i]
    }

    /// Number of examples.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// A digest of example `i`: its features and its target.
    fn key(&self, i: usize) -> u64 {
        let (indexes, values, target) = self.example(i);
        let mut key = SplitMix::new(u64::from(target.boilerplate)).next_u64();
        let category = target.category.map_or(u64::MAX, |c| {
            Category::ALL.iter().position(|&k| k == c).unwrap_or(0) as u64
        });
        let words = indexes
            .iter()
            .zip(values)
            .map(|(&j, &v)| u64::from(j) << 32 | u64::from(v.to_bits()))
            .chain(std::iter::once(category));
        for word in words {
            key = SplitMix::new(key ^ word).next_u64();
        }
        key
    }

    fn example(&self, i: usize) -> (&[u32], &[f32], Target) {
        let range = self.offsets[i]..self.offsets[i + 1];
        (
            &self.indexes[range.clone()],
            &self.values[range],
            self.targets[i],
        )
    }
}

/// Orders `order` by its items' keys mixed with `salt` (ties, which only
/// identical examples share, by position).
fn shuffle_by_key(order: &mut [usize], keys: &[u64], salt: u64) {
    order.sort_unstable_by_key(|&i| (SplitMix::new(keys[i] ^ salt).next_u64(), i));
}

pub(super) fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// Softmax of `scores`, in place.
pub(super) fn softmax(scores: &mut [f32; CATEGORIES]) {
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for s in scores.iter_mut() {
        *s = (*s - max).exp();
        sum += *s;
    }
    for s in scores.iter_mut() {
        *s /= sum;
    }
}

const ADAGRAD_EPSILON: f32 = 1e-6;

/// One AdaGrad step on weight `w` with gradient `g` (L2 added here).
fn step(w: &mut f32, squares: &mut f32, g: f32, rate: f32, l2: f32) {
    let g = g + l2 * *w;
    *squares += g * g;
    *w -= rate * g / (squares.sqrt() + ADAGRAD_EPSILON);
}

/// Trains both models on `examples`. Deterministic: the same examples,
/// sizes and hyperparameters give the same weights.
pub fn train(
    examples: &Examples,
    hash_bits: u32,
    category_bits: u32,
    hyperparameters: Hyperparameters,
) -> Model {
    let mut model = Model::zeros(hash_bits, category_bits);
    model.hyperparameters = hyperparameters;
    let h = hyperparameters;
    let mut rng = SplitMix::new(h.seed);

    // Each epoch visits the examples in an order drawn from what they are
    // (their features and target), not from where they stand: a change to
    // the rules that adds or drops a few training lines leaves the order of
    // all the others as it was, and so moves the model by what changed.
    let keys: Vec<u64> = (0..examples.len()).map(|i| examples.key(i)).collect();
    let mut squares = vec![0.0f32; model.weights.len()];
    let mut bias_squares = 0.0f32;
    let mut order: Vec<usize> = (0..examples.len()).collect();
    for _ in 0..h.epochs {
        shuffle_by_key(&mut order, &keys, rng.next_u64());
        for &i in &order {
            let (indexes, values, target) = examples.example(i);
            let mut z = model.bias;
            for (&j, &v) in indexes.iter().zip(values) {
                z += model.weights[j as usize] * v;
            }
            let y = if target.boilerplate { 1.0 } else { 0.0 };
            let weight = if target.boilerplate {
                h.positive_weight
            } else {
                1.0
            };
            let g = (sigmoid(z) - y) * weight;
            for (&j, &v) in indexes.iter().zip(values) {
                let j = j as usize;
                step(
                    &mut model.weights[j],
                    &mut squares[j],
                    g * v,
                    h.learning_rate,
                    h.l2,
                );
            }
            step(&mut model.bias, &mut bias_squares, g, h.learning_rate, 0.0);
        }
    }

    let mut squares = vec![0.0f32; model.category_weights.len()];
    let mut bias_squares = [0.0f32; CATEGORIES];
    let mut order: Vec<usize> = (0..examples.len())
        .filter(|&i| examples.targets[i].category.is_some())
        .collect();
    for _ in 0..h.epochs {
        shuffle_by_key(&mut order, &keys, rng.next_u64());
        for &i in &order {
            let (indexes, values, target) = examples.example(i);
            let Some(category) = target.category else {
                continue;
            };
            let truth = Category::ALL
                .iter()
                .position(|&c| c == category)
                .expect("a category");
            let mut p = model.category_bias;
            for (&j, &v) in indexes.iter().zip(values) {
                let row = model.category_bucket(j as usize) * CATEGORIES;
                for (k, pk) in p.iter_mut().enumerate() {
                    *pk += model.category_weights[row + k] * v;
                }
            }
            softmax(&mut p);
            for (k, &pk) in p.iter().enumerate() {
                let g = pk - if k == truth { 1.0 } else { 0.0 };
                for (&j, &v) in indexes.iter().zip(values) {
                    let at = model.category_bucket(j as usize) * CATEGORIES + k;
                    step(
                        &mut model.category_weights[at],
                        &mut squares[at],
                        g * v,
                        h.learning_rate,
                        h.l2,
                    );
                }
                step(
                    &mut model.category_bias[k],
                    &mut bias_squares[k],
                    g,
                    h.learning_rate,
                    0.0,
                );
            }
        }
    }
    model
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_fixed_and_shuffles_evenly() {
        let mut rng = SplitMix::new(1);
        // SplitMix64's published first output for seed 1.
        assert_eq!(rng.next_u64(), 0x910a_2dec_8902_5cc1);
        let mut counts = [0usize; 4];
        let mut rng = SplitMix::new(7);
        for _ in 0..4000 {
            let mut items = [0, 1, 2, 3];
            rng.shuffle(&mut items);
            counts[items[0]] += 1;
        }
        assert!(
            counts.iter().all(|&c| (850..1150).contains(&c)),
            "{counts:?}"
        );
    }

    /// The order an epoch visits examples in comes from what they are: a
    /// training set with one example more, at its start, visits the
    /// others in the same order; another salt gives another order.
    #[test]
    fn an_added_example_leaves_the_order_of_the_others() {
        let target = Target {
            boilerplate: false,
            category: None,
        };
        let mut some = Examples::new();
        let mut more = Examples::new();
        more.push([(999, 1.0)], target);
        for i in 0..50u32 {
            some.push([(i, 1.0), (i + 100, 0.5)], target);
            more.push([(i, 1.0), (i + 100, 0.5)], target);
        }
        let order = |examples: &Examples, salt: u64| {
            let keys: Vec<u64> = (0..examples.len()).map(|i| examples.key(i)).collect();
            let mut order: Vec<usize> = (0..examples.len()).collect();
            shuffle_by_key(&mut order, &keys, salt);
            order
        };
        let first = order(&some, 7);
        let shifted: Vec<usize> = order(&more, 7)
            .into_iter()
            .filter(|&i| i > 0)
            .map(|i| i - 1)
            .collect();
        assert_eq!(first, shifted);
        assert_ne!(first, (0..50).collect::<Vec<_>>(), "not shuffled");
        assert_ne!(first, order(&some, 8), "the salt does not matter");
    }

    /// Feature 1 marks boilerplate, feature 2 content; feature 3 is noise
    /// on both. Categories follow features 4 and 5.
    fn toy() -> Examples {
        let mut examples = Examples::new();
        for i in 0..200u32 {
            let noise = (3, if i % 2 == 0 { 1.0 } else { 0.0 });
            if i % 3 == 0 {
                let (marker, category) = if i % 2 == 0 {
                    (4, Category::Widget)
                } else {
                    (5, Category::Footer)
                };
                examples.push(
                    [(1, 1.0), (marker, 1.0), noise],
                    Target {
                        boilerplate: true,
                        category: Some(category),
                    },
                );
            } else {
                examples.push(
                    [(2, 1.0), noise],
                    Target {
                        boilerplate: false,
                        category: None,
                    },
                );
            }
        }
        examples
    }

    fn predict(model: &Model, features: &[(u32, f32)]) -> (f32, usize) {
        let mut z = model.bias;
        let mut p = model.category_bias;
        for &(j, v) in features {
            z += model.weights[j as usize] * v;
            let row = model.category_bucket(j as usize) * CATEGORIES;
            for (k, pk) in p.iter_mut().enumerate() {
                *pk += model.category_weights[row + k] * v;
            }
        }
        softmax(&mut p);
        let best = (0..CATEGORIES)
            .max_by(|&a, &b| p[a].total_cmp(&p[b]))
            .unwrap();
        (sigmoid(z), best)
    }

    #[test]
    fn training_separates_a_separable_problem() {
        let model = train(&toy(), 4, 3, Hyperparameters::default());
        let (p, category) = predict(&model, &[(1, 1.0), (4, 1.0)]);
        assert!(p > 0.9, "{p}");
        assert_eq!(Category::ALL[category], Category::Widget);
        let (_, category) = predict(&model, &[(1, 1.0), (5, 1.0)]);
        assert_eq!(Category::ALL[category], Category::Footer);
        let (p, _) = predict(&model, &[(2, 1.0), (3, 1.0)]);
        assert!(p < 0.1, "{p}");
        assert!(model.weights[1] > 0.0 && model.weights[2] < 0.0);
    }

    #[test]
    fn training_is_deterministic_and_the_seed_matters() {
        let h = Hyperparameters::default();
        let a = train(&toy(), 4, 3, h).to_bytes();
        let b = train(&toy(), 4, 3, h).to_bytes();
        assert_eq!(a, b);
        let other = Hyperparameters { seed: 2, ..h };
        assert_ne!(a, train(&toy(), 4, 3, other).to_bytes());
    }

    fn sample_model() -> Model {
        let mut model = train(&toy(), 4, 3, Hyperparameters::default());
        model.corpora.push(CorpusInfo {
            name: "toy.jsonl".to_string(),
            documents: 1,
            boilerplate: 67,
            content: 133,
            sha256: [7; 32],
        });
        model
    }

    #[test]
    fn a_model_reads_back_as_it_was_written() {
        let model = sample_model();
        let bytes = model.to_bytes();
        let back = Model::from_bytes("toy.bin", &bytes).unwrap();
        assert_eq!(back, model);
        assert_eq!(back.to_bytes(), bytes);
    }

    #[test]
    fn bad_files_are_typed_errors_naming_the_file() {
        let bytes = sample_model().to_bytes();
        let with = |edit: &dyn Fn(&mut Vec<u8>)| {
            let mut b = bytes.clone();
            edit(&mut b);
            Model::from_bytes("models/bad.bin", &b).unwrap_err()
        };
        let err = with(&|b| b.truncate(b.len() - 3));
        assert!(
            matches!(
                err.kind,
                ModelErrorKind::Truncated {
                    what: "the category weights",
                    ..
                }
            ),
            "{err}"
        );
        assert!(
            err.to_string()
                .starts_with("models/bad.bin: truncated at byte "),
            "{err}"
        );
        for cut in [0, 5, 12, 30, 70, 120] {
            let err = with(&|b| b.truncate(cut));
            assert!(
                matches!(
                    err.kind,
                    ModelErrorKind::Truncated { .. } | ModelErrorKind::NotAModel
                ),
                "{cut}: {err}"
            );
        }
        let err = with(&|b| b[8] = 9);
        assert!(
            matches!(
                err.kind,
                ModelErrorKind::Version {
                    found: 9,
                    expected: 1
                }
            ),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            "models/bad.bin: model format version 9, expected 1"
        );
        let err = with(&|b| b[12] ^= 0xff);
        assert!(
            matches!(err.kind, ModelErrorKind::FeatureSet { .. }),
            "{err}"
        );
        let err = with(&|b| b[16] ^= 1);
        assert!(
            matches!(err.kind, ModelErrorKind::FeatureSet { .. }),
            "{err}"
        );
        assert!(err.to_string().contains("retrain the model"), "{err}");
        let err = with(&|b| b[0] = b'X');
        assert!(matches!(err.kind, ModelErrorKind::NotAModel), "{err}");
        let err = with(&|b| b.push(0));
        assert!(matches!(err.kind, ModelErrorKind::Trailing(1)), "{err}");
        let err = with(&|b| b[24..28].copy_from_slice(&40u32.to_le_bytes()));
        assert!(
            matches!(
                err.kind,
                ModelErrorKind::Invalid {
                    what: "hash sizes",
                    ..
                }
            ),
            "{err}"
        );
    }
}
