//! The learned line scorer: for each line of a document, the probability
//! that it is boilerplate and its most likely category, from features of
//! the line and its neighbourhood ([`features`]) and what the rules say
//! about them ([`crate::Stripper::line_evidence`]).
//!
//! The rules remember the documents they were written from; the scorer is
//! there to generalise to sites and languages they never saw. It is
//! evidence, not a verdict: nothing here removes a line.
//!
//! A model ([`model`]) is trained by `scrubtext train` ([`train`]) and kept
//! in `models/`; the default one is embedded in the binary and loaded on
//! first use ([`Scorer::builtin`]). [`curve`] measures a scorer alone on
//! the lines the rules leave.

pub mod curve;
pub mod features;
pub mod model;
pub mod train;

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::rules::Category;
use crate::{KeptView, LineEvidence};
use features::{Family, Name, Sink};
use model::{CATEGORIES, Model, sigmoid, softmax};

pub use model::{ModelError, ModelErrorKind};

/// The default model, made by the command in `models/README.md`.
const BUILTIN: &[u8] = include_bytes!("../../../../models/default.bin");

/// What the scorer says about one line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineScore {
    /// Probability that the line is boilerplate (0 for a blank line).
    pub p_boilerplate: f32,
    /// The most likely category, were it boilerplate.
    pub category: Category,
    /// Probability of that category, were it boilerplate.
    pub category_p: f32,
}

/// One feature's part in a line's score.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// The feature's family.
    pub family: Family,
    /// The feature: an n-gram, or a name and its value.
    pub feature: String,
    /// What it adds to the line's log-odds of being boilerplate.
    pub weight: f32,
}

/// A trained model, ready to score documents. Build once, share across
/// threads.
#[derive(Debug, Clone)]
pub struct Scorer {
    model: Model,
}

impl Scorer {
    /// A scorer from a model.
    pub fn new(model: Model) -> Scorer {
        Scorer { model }
    }

    /// The embedded default model, loaded on first use.
    pub fn builtin() -> &'static Scorer {
        Self::shared_builtin()
    }

    /// The embedded default model, to share: every stripper that uses it
    /// holds this one copy of its weights.
    pub fn builtin_arc() -> Arc<Scorer> {
        Arc::clone(Self::shared_builtin())
    }

    fn shared_builtin() -> &'static Arc<Scorer> {
        static SCORER: OnceLock<Arc<Scorer>> = OnceLock::new();
        SCORER.get_or_init(|| {
            let model = Model::from_bytes("models/default.bin (embedded)", BUILTIN)
                .expect("the embedded model is checked by a test");
            Arc::new(Scorer::new(model))
        })
    }

    /// Loads a model file.
    pub fn load(path: &Path) -> Result<Scorer, ModelError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| ModelError {
            file: file.clone(),
            kind: e.into(),
        })?;
        Model::from_bytes(&file, &bytes).map(Scorer::new)
    }

    /// The model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Scores every line of `text`: one entry for each element of
    /// `text.split('\n')`. `evidence` is what the rules say about the same
    /// elements, [`aligned_evidence`]; for a text without a lone `\r`,
    /// [`crate::Stripper::line_evidence`] serves as well (it lacks only the
    /// empty element after a final line break).
    pub fn score(&self, text: &str, evidence: &[LineEvidence]) -> Vec<LineScore> {
        self.score_some(text, evidence, |_| true, 0.0)
    }

    /// Like [`Scorer::score`], scoring only the lines (0-based, in
    /// `text.split('\n')`) that `wanted` names; the others score 0. The
    /// context of every line still counts: only the features of unwanted
    /// lines are not computed, which is most of the cost. The category is
    /// worked out only for lines whose P(boilerplate) is at least
    /// `category_from`; the others get the model's prior category.
    pub fn score_some(
        &self,
        text: &str,
        evidence: &[LineEvidence],
        wanted: impl Fn(usize) -> bool,
        category_from: f32,
    ) -> Vec<LineScore> {
        self.score_lines(features::lines(text), evidence, wanted, category_from, None)
    }

    /// Like [`Scorer::score_some`], for a text given as its lines (each
    /// without its line ending, read where they are; see
    /// [`features::extract_lines`]) and read again after some of its lines
    /// went: a wanted line whose text and features other than its n-grams
    /// (shape, position, neighbours, evidence) are as they were when it was
    /// last scored into `reuse.cache` takes that score again (it is the
    /// same), and only the others are scored. `reuse.ids` names each line
    /// for the cache (lines that stay the same line between texts keep
    /// their id).
    pub fn score_again(
        &self,
        lines: &[&str],
        evidence: &[LineEvidence],
        wanted: impl Fn(usize) -> bool,
        category_from: f32,
        reuse: Reuse<'_>,
    ) -> Vec<LineScore> {
        reuse.cache.start(category_from);
        self.score_lines(
            lines.iter().copied(),
            evidence,
            wanted,
            category_from,
            Some(reuse),
        )
    }

    fn score_lines<'t>(
        &self,
        lines: impl Iterator<Item = &'t str> + Clone,
        evidence: &[LineEvidence],
        wanted: impl Fn(usize) -> bool,
        category_from: f32,
        reuse: Option<Reuse<'_>>,
    ) -> Vec<LineScore> {
        let mut blank = self.model.category_bias;
        softmax(&mut blank);
        let (category, category_p) = best(&blank);
        let mut sink = Scores {
            model: &self.model,
            scores: vec![
                LineScore {
                    p_boilerplate: 0.0,
                    category,
                    category_p,
                };
                lines.clone().count()
            ],
            current: None,
            z: 0.0,
            buckets: Vec::new(),
            category_from,
            wanted,
            reuse,
            digest: 0,
        };
        features::extract_lines(lines, evidence, &mut sink);
        sink.close();
        sink.scores
    }

    /// The `top` features that weighed most (by absolute weight) in the
    /// score of line `line` (0-based, in `text.split('\n')`), heaviest
    /// first. Empty for a blank line or one past the end.
    pub fn explain(
        &self,
        text: &str,
        evidence: &[LineEvidence],
        line: usize,
        top: usize,
    ) -> Vec<Contribution> {
        self.explain_lines(features::lines(text), evidence, line, top)
    }

    /// Like [`Scorer::explain`], for a text given as its lines (see
    /// [`features::extract_lines`]).
    pub fn explain_lines<'t>(
        &self,
        lines: impl Iterator<Item = &'t str> + Clone,
        evidence: &[LineEvidence],
        line: usize,
        top: usize,
    ) -> Vec<Contribution> {
        let mut sink = Explain {
            model: &self.model,
            line,
            active: false,
            contributions: Vec::new(),
        };
        features::extract_lines(lines, evidence, &mut sink);
        let mut contributions = sink.contributions;
        // The same feature twice in a line (a repeated n-gram) is one.
        contributions
            .sort_by(|a, b| (a.family as u8, &a.feature).cmp(&(b.family as u8, &b.feature)));
        contributions.dedup_by(|later, kept| {
            let same = later.family == kept.family && later.feature == kept.feature;
            if same {
                kept.weight += later.weight;
            }
            same
        });
        contributions.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
        contributions.truncate(top);
        contributions
    }
}

/// The evidence of a text's lines aligned with `text.split('\n')`: one
/// entry per element, the empty element after a final line break given no
/// evidence.
///
/// The stripper also ends a line at a lone `\r`; the evidence of the
/// lines it makes of one element is merged: their phrases and guards
/// together, removed (by the first rule that removes one of them) and a
/// span when only some of them go.
pub fn aligned_evidence(stripper: &crate::Stripper, text: &str) -> Vec<LineEvidence> {
    align(text, &stripper.line_evidence(text))
}

/// Aligns evidence given per line as the stripper splits `text` (at `\n`,
/// `\r\n` and a lone `\r`; a final line ending starts no line) with
/// `text.split('\n')`.
pub fn align(text: &str, stripper_lines: &[LineEvidence]) -> Vec<LineEvidence> {
    let mut next = stripper_lines.iter();
    stripper_lines_per_element(text)
        .map(|count| {
            let mut merged = LineEvidence::default();
            let mut removed = 0;
            for (i, evidence) in next.by_ref().take(count).enumerate() {
                if i == 0 {
                    merged = *evidence;
                } else {
                    merged.categories |= evidence.categories;
                    merged.guarded |= evidence.guarded;
                    merged.span |= evidence.span;
                    merged.removed = merged.removed.or(evidence.removed);
                }
                removed += usize::from(evidence.removed.is_some());
            }
            if removed > 0 && removed < count {
                merged.span = true;
            }
            merged
        })
        .collect()
}

/// For each line as the stripper splits `text`, the element of
/// `text.split('\n')` it is in.
pub fn split_index_of_stripper_lines(text: &str) -> Vec<usize> {
    stripper_lines_per_element(text)
        .enumerate()
        .flat_map(|(element, count)| std::iter::repeat_n(element, count))
        .collect()
}

/// How many of the stripper's lines each element of `text.split('\n')`
/// holds: one, more for each lone `\r` inside it, none for the empty
/// element after a final line break.
fn stripper_lines_per_element(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    let mut start = 0;
    text.split('\n').map(move |piece| {
        let end = start + piece.len();
        // A "\r" just before the piece's "\n" is part of a "\r\n"; one
        // ending the text ends its last line.
        let crlf = end < bytes.len() && piece.ends_with('\r');
        let body = if crlf {
            &piece[..piece.len() - 1]
        } else {
            piece
        };
        let trailing = usize::from(body.ends_with('\r') && end == bytes.len());
        let inner = memchr::memchr_iter(b'\r', body.as_bytes()).count() - trailing;
        let has_line = start < bytes.len() || (start == 0 && bytes.is_empty());
        start = end + 1;
        if has_line { 1 + inner } else { 0 }
    })
}

/// Labels (or anything given per element of `text.split('\n')`) carried
/// over to the lines of the stripper's [`KeptView`] of `text`: one for
/// each element of `view.text.split('\n')`. `None` when the view's text
/// cannot be split back into its lines (a lone `\r` in a line that
/// stays).
pub fn labels_of_view<T: Copy>(text: &str, view: &KeptView, labels: &[T]) -> Option<Vec<T>> {
    if view.lines.is_empty() {
        return Some(Vec::new());
    }
    let elements = view.text.split('\n').count();
    if elements != view.lines.len() + usize::from(view.text.ends_with('\n')) {
        return None;
    }
    let index = split_index_of_stripper_lines(text);
    view.lines
        .iter()
        .map(|&line| index.get(line).and_then(|&i| labels.get(i)).copied())
        .collect()
}

fn best(p: &[f32; CATEGORIES]) -> (Category, f32) {
    let mut best = 0;
    for k in 1..CATEGORIES {
        if p[k] > p[best] {
            best = k;
        }
    }
    (Category::ALL[best], p[best])
}

/// Scores kept for [`Scorer::score_again`]: for each line id, the digest
/// of the line as it was scored and its score.
#[derive(Debug, Clone, Default)]
pub struct ScoreCache {
    /// By line id: only the lines scored have one.
    entries: HashMap<usize, (u64, LineScore), BuildHasherDefault<IdHasher>>,
    /// The `category_from` the scores were made with.
    category_from: Option<u32>,
    /// Lines scored in full (not taken from here) by the last call.
    scored: usize,
    /// The facts of the lines as the last call read them.
    facts: features::FactsMemory,
}

impl ScoreCache {
    /// An empty cache.
    pub fn new() -> ScoreCache {
        ScoreCache::default()
    }

    /// Before a call: nothing scored yet, and the scores kept forgotten if
    /// they were made with another `category_from`.
    fn start(&mut self, category_from: f32) {
        self.scored = 0;
        if self.category_from != Some(category_from.to_bits()) {
            self.entries.clear();
            self.category_from = Some(category_from.to_bits());
        }
    }

    /// How many lines the last [`Scorer::score_again`] scored in full
    /// rather than taking their scores from here.
    pub fn scored(&self) -> usize {
        self.scored
    }
}

/// Hashes a line id for [`ScoreCache`]: ids are distinct line numbers, so
/// one multiplication spreads them; the map needs no protection against
/// chosen keys.
#[derive(Debug, Default, Clone, Copy)]
struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_usize(&mut self, id: usize) {
        self.0 = (id as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// A cache and the id of each line of the text scored with it.
#[derive(Debug)]
pub struct Reuse<'c> {
    /// The scores kept.
    pub cache: &'c mut ScoreCache,
    /// The id of each line scored.
    pub ids: &'c [usize],
}

/// Sums the weights of each line's features.
struct Scores<'m, 'c, W> {
    model: &'m Model,
    scores: Vec<LineScore>,
    current: Option<usize>,
    z: f32,
    /// The current line's features: weight bucket and value.
    buckets: Vec<(usize, f32)>,
    category_from: f32,
    wanted: W,
    reuse: Option<Reuse<'c>>,
    /// The digest of the current line, when kept.
    digest: u64,
}

impl<W> Scores<'_, '_, W> {
    fn close(&mut self) {
        if let Some(line) = self.current.take() {
            let p_boilerplate = sigmoid(self.z);
            let mut score = LineScore {
                p_boilerplate,
                ..self.scores[line]
            };
            if p_boilerplate >= self.category_from {
                let mut p = self.model.category_bias;
                for &(bucket, value) in &self.buckets {
                    let row = self.model.category_bucket(bucket) * CATEGORIES;
                    let weights = &self.model.category_weights[row..row + CATEGORIES];
                    for (sum, w) in p.iter_mut().zip(weights) {
                        *sum += w * value;
                    }
                }
                softmax(&mut p);
                (score.category, score.category_p) = best(&p);
            }
            self.scores[line] = score;
            if let Some(reuse) = &mut self.reuse
                && let Some(&id) = reuse.ids.get(line)
            {
                reuse.cache.entries.insert(id, (self.digest, score));
                reuse.cache.scored += 1;
            }
        }
    }
}

impl<W: Fn(usize) -> bool> Sink for Scores<'_, '_, W> {
    fn keeps(&self) -> bool {
        self.reuse.is_some()
    }

    fn remembers(&self) -> bool {
        self.reuse
            .as_ref()
            .is_some_and(|reuse| !reuse.cache.entries.is_empty())
    }

    fn remember(&mut self, _index: usize, digest: u64) {
        self.digest = digest;
    }

    fn line_id(&self, index: usize) -> Option<u32> {
        let reuse = self.reuse.as_ref()?;
        reuse.ids.get(index).and_then(|&id| u32::try_from(id).ok())
    }

    fn take_facts(&mut self) -> Option<features::FactsMemory> {
        let reuse = self.reuse.as_mut()?;
        Some(std::mem::take(&mut reuse.cache.facts))
    }

    fn keep_facts(&mut self, memory: features::FactsMemory) {
        if let Some(reuse) = &mut self.reuse {
            reuse.cache.facts = memory;
        }
    }

    fn reuse(&mut self, index: usize, digest: u64) -> bool {
        let Some(reuse) = &self.reuse else {
            return false;
        };
        let kept = reuse
            .ids
            .get(index)
            .and_then(|id| reuse.cache.entries.get(id).copied());
        match kept {
            Some((before, score)) if before == digest => {
                self.current = None;
                self.scores[index] = score;
                true
            }
            _ => {
                self.digest = digest;
                false
            }
        }
    }

    fn wants(&self, index: usize) -> bool {
        (self.wanted)(index)
    }

    fn begin_line(&mut self, index: usize) -> bool {
        self.close();
        if !(self.wanted)(index) {
            return false;
        }
        self.current = Some(index);
        self.z = self.model.bias;
        self.buckets.clear();
        true
    }

    fn add(&mut self, _family: Family, hash: u64, value: f32, _name: Name<'_>) {
        let bucket = self.model.bucket(hash);
        self.z += self.model.weights[bucket] * value;
        self.buckets.push((bucket, value));
    }
}

/// Records the features of one line with their weights.
struct Explain<'m> {
    model: &'m Model,
    line: usize,
    active: bool,
    contributions: Vec<Contribution>,
}

impl Sink for Explain<'_> {
    fn wants(&self, index: usize) -> bool {
        index == self.line
    }

    fn begin_line(&mut self, index: usize) -> bool {
        self.active = index == self.line;
        self.active
    }

    fn add(&mut self, family: Family, hash: u64, value: f32, name: Name<'_>) {
        let weight = self.model.weights[self.model.bucket(hash)] * value;
        self.contributions.push(Contribution {
            family,
            feature: name.to_string(),
            weight,
        });
    }
}
