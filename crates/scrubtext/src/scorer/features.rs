//! Features of each line of a document, for the learned line scorer: what
//! the line says (hashed word and character n-grams of its normalised
//! text), its shape, where it sits, what its neighbours look like, and what
//! the rules say about it and about them.
//!
//! Every feature is a hash of its family, its name and its value (FNV-1a
//! 64 with a final mix), so one sparse vector of hashed buckets holds them
//! all and the model never needs a vocabulary. Features are computed in two
//! passes over the lines: the facts of each line alone ([`Facts`]), then the
//! context (neighbours, runs of short lines, the last prose paragraph) from
//! those facts. Both passes are linear in the text: n-grams come from at
//! most the first [`CHAR_LIMIT`] characters of a line, and each line's
//! neighbourhood is read from precomputed tables, never by walking.
//!
//! The features are handed to a [`Sink`] as they are hashed; nothing is
//! allocated per feature. Any change to what is hashed here changes what a
//! model's weights mean: bump [`FEATURE_VERSION`] (a test pins the features
//! of a sample text to catch a forgotten bump).

use crate::LineEvidence;
use crate::normalize::normalize_into;
use crate::rules::Category;

/// Version of the feature set; a model made for another is refused.
pub const FEATURE_VERSION: u32 = 2;

/// Characters of a line that give n-grams; the rest of a long line only
/// counts in its shape and its last word.
pub const CHAR_LIMIT: usize = 300;

/// Characters at the end of a longer line read for its last word.
const TAIL_CHARS: usize = 40;

/// A short line: at most this many words.
pub const SHORT_WORDS: u32 = 10;

/// A long prose paragraph: at least this many words, ending in a full stop.
pub const PROSE_WORDS: u32 = 25;

/// Lines on each side counted for the density of removed lines.
const NEAR: usize = 3;

/// A description of everything above that shapes the features; its hash
/// is stored in a model beside [`FEATURE_VERSION`].
const DESCRIPTION: &str = "scrubtext line features: fnv1a64+fmix64; \
    word, word pair, first/second/last word, char 3-gram of \
    the normalised first 300 chars, digits as 0, padded with spaces, \
    1/sqrt(count) per family; shape, position, neighbour, evidence and \
    cross features as named values (place x run, ends, alike); short <= 10 words; prose >= 25 words \
    ending in a full stop; removed density within 3 lines";

/// The fingerprint of the feature set: [`FEATURE_VERSION`] and the hash of
/// its description.
pub fn fingerprint() -> u64 {
    Fnv::new(Family::Shape)
        .bytes(&FEATURE_VERSION.to_le_bytes())
        .bytes(DESCRIPTION.as_bytes())
        .finish()
}

/// A family of features, named in explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// A word of the line.
    Word,
    /// Two consecutive words.
    WordPair,
    /// The first, second or last word.
    WordAt,
    /// Three characters.
    Char3,
    /// The line's shape: length, case, punctuation, bullets, links.
    Shape,
    /// Where the line sits in the document.
    Position,
    /// The previous and next non-blank lines.
    Neighbour,
    /// What the rules and guards say about the line and its neighbours.
    Evidence,
    /// Two of the above together.
    Cross,
}

impl Family {
    /// The family's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Word => "word",
            Family::WordPair => "word pair",
            Family::WordAt => "word at",
            Family::Char3 => "char 3-gram",
            Family::Shape => "shape",
            Family::Position => "position",
            Family::Neighbour => "neighbour",
            Family::Evidence => "evidence",
            Family::Cross => "cross",
        }
    }
}

/// What a feature is, cheap to build and turned into text only when an
/// explanation asks for it.
#[derive(Debug, Clone, Copy)]
pub enum Name<'a> {
    /// Normalised text (an n-gram, a word).
    Text(&'a [u8]),
    /// Two words.
    Pair(&'a [u8], &'a [u8]),
    /// A named feature and its value.
    Value(&'static str, &'static str),
    /// Two named features and their values.
    Cross(&'static str, &'static str, &'static str, &'static str),
}

impl std::fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Name::Text(text) => write!(f, "{:?}", String::from_utf8_lossy(text)),
            Name::Pair(a, b) => write!(
                f,
                "{:?}",
                format!(
                    "{} {}",
                    String::from_utf8_lossy(a),
                    String::from_utf8_lossy(b)
                )
            ),
            Name::Value(name, value) => write!(f, "{name}={value}"),
            Name::Cross(a, av, b, bv) => write!(f, "{a}={av} & {b}={bv}"),
        }
    }
}

/// Receives the features of a document, line by line.
pub trait Sink {
    /// Called before the features of the non-blank line `index` (0-based,
    /// in `text.split('\n')`); returning false skips them. Blank lines get
    /// no call and no features.
    fn begin_line(&mut self, index: usize) -> bool;
    /// Will `begin_line(index)` return true? Lines that will not be asked
    /// for are not fully described, which is most of the cost.
    fn wants(&self, index: usize) -> bool {
        let _ = index;
        true
    }
    /// One feature of the current line: its hash, its value, and its name.
    fn add(&mut self, family: Family, hash: u64, value: f32, name: Name<'_>);
    /// Does this sink keep what it made of a line, to be asked with
    /// [`Sink::reuse`]? Only then is a line's digest worked out.
    fn keeps(&self) -> bool {
        false
    }
    /// Called after `begin_line` returned true, before any feature, with a
    /// digest of the line's text and of every feature of it that does not
    /// come from its text alone (its shape, position, neighbours and
    /// evidence): lines with equal digests have equal features. Returning
    /// true skips the line's features (the sink has them from before).
    fn reuse(&mut self, index: usize, digest: u64) -> bool {
        let _ = (index, digest);
        false
    }
    /// Does this sink hold anything [`Sink::reuse`] could take? When it
    /// does not, each line is described at once and its digest handed
    /// over after its features, with [`Sink::remember`].
    fn remembers(&self) -> bool {
        self.keeps()
    }
    /// The digest of the line just described, when [`Sink::remembers`]
    /// said there was nothing to take again.
    fn remember(&mut self, index: usize, digest: u64) {
        let _ = (index, digest);
    }
    /// The id of line `index` across readings of a text whose lines go
    /// (see [`FactsMemory`]), for a sink that keeps the lines' facts.
    fn line_id(&self, index: usize) -> Option<u32> {
        let _ = index;
        None
    }
    /// The facts kept from the last reading, taken out of the sink.
    fn take_facts(&mut self) -> Option<FactsMemory> {
        None
    }
    /// The facts of this reading, to keep for the next.
    fn keep_facts(&mut self, memory: FactsMemory) {
        let _ = memory;
    }
}

/// How much work an extraction did, for tests of its cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    /// Lines visited, in every pass.
    pub line_visits: usize,
    /// Bytes of normalised text fed to n-gram hashing.
    pub bytes_hashed: usize,
    /// Features handed to the sink.
    pub features: usize,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a 64, with murmur3's final mix so that the low bits, which pick
/// the bucket, depend on every input bit.
#[derive(Debug, Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    fn new(family: Family) -> Fnv {
        Fnv(FNV_OFFSET).byte(family as u8)
    }

    fn byte(self, b: u8) -> Fnv {
        Fnv((self.0 ^ u64::from(b)).wrapping_mul(FNV_PRIME))
    }

    fn bytes(self, bytes: &[u8]) -> Fnv {
        bytes.iter().fold(self, |h, &b| h.byte(b))
    }

    fn finish(self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// How a line ends, closing quotes and brackets aside.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum End {
    #[default]
    Nothing,
    Period,
    Exclamation,
    Question,
    Colon,
    Ellipsis,
    Word,
    Other,
}

impl End {
    fn as_str(self) -> &'static str {
        match self {
            End::Nothing => "nothing",
            End::Period => ".",
            End::Exclamation => "!",
            End::Question => "?",
            End::Colon => ":",
            End::Ellipsis => "...",
            End::Word => "word",
            End::Other => "other",
        }
    }
}

/// Boolean marks of a line's shape, with their names.
const MARKS: [&str; 12] = [
    "bullet",
    "numbered",
    "url",
    "handle",
    "copyright",
    "pipe",
    "middle dot",
    "counter",
    "title case",
    "all caps",
    "single word",
    "starts with digit",
];
const BULLET: u16 = 1 << 0;
const NUMBERED: u16 = 1 << 1;
const URL: u16 = 1 << 2;
const HANDLE: u16 = 1 << 3;
const COPYRIGHT: u16 = 1 << 4;
const PIPE: u16 = 1 << 5;
const MIDDLE_DOT: u16 = 1 << 6;
const COUNTER: u16 = 1 << 7;
const TITLE_CASE: u16 = 1 << 8;
const ALL_CAPS: u16 = 1 << 9;
const SINGLE_WORD: u16 = 1 << 10;
const STARTS_DIGIT: u16 = 1 << 11;

/// What one line is, alone.
#[derive(Debug, Clone, Copy, Default)]
struct Facts {
    blank: bool,
    /// Made by [`facts`] rather than [`light_facts`].
    full: bool,
    chars: u32,
    words: u32,
    end: End,
    marks: u16,
    /// Share of words starting with a capital, of words starting with a
    /// letter, as a bucket of [`SHARE_BUCKETS`].
    capitals: u8,
    /// Share of digits among the characters, as a bucket of
    /// [`SHARE_BUCKETS`].
    digits: u8,
}

impl Facts {
    fn short(&self) -> bool {
        !self.blank && self.words <= SHORT_WORDS
    }

    fn prose(&self) -> bool {
        self.words >= PROSE_WORDS && self.end == End::Period
    }
}

fn is_bullet(c: char) -> bool {
    matches!(
        c,
        '•' | '·'
            | '-'
            | '*'
            | '–'
            | '—'
            | '▪'
            | '►'
            | '▶'
            | '‣'
            | '◦'
            | '>'
            | '→'
            | '■'
            | '□'
    )
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | '»' | '›' | ')' | ']' | '}' | '*' | '“' | '«'
    )
}

/// Counts the leading digits of `s`.
fn leading_digits(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_digit).count()
}

/// "3/12", "3 / 12", "3 of 12" at the start of a line.
fn starts_with_counter(s: &str) -> bool {
    let n = leading_digits(s);
    if n == 0 || n > 4 {
        return false;
    }
    let rest = s[n..].trim_start();
    let rest = if let Some(r) = rest.strip_prefix('/') {
        r
    } else if let Some(r) = rest.strip_prefix("of ") {
        r
    } else {
        return false;
    };
    let m = leading_digits(rest.trim_start());
    (1..=4).contains(&m)
}

fn bucket(value: u32, bounds: &[(u32, &'static str)]) -> &'static str {
    let mut label = bounds[0].1;
    for &(low, name) in bounds {
        if value >= low {
            label = name;
        }
    }
    label
}

const CHAR_BUCKETS: [(u32, &str); 10] = [
    (0, "0"),
    (1, "1-3"),
    (4, "4-9"),
    (10, "10-19"),
    (20, "20-39"),
    (40, "40-79"),
    (80, "80-119"),
    (120, "120-199"),
    (200, "200-399"),
    (400, "400+"),
];

const WORD_BUCKETS: [(u32, &str); 10] = [
    (0, "0"),
    (1, "1"),
    (2, "2"),
    (3, "3"),
    (4, "4-5"),
    (6, "6-10"),
    (11, "11-15"),
    (16, "16-24"),
    (25, "25-49"),
    (50, "50+"),
];

const DISTANCE_BUCKETS: [(u32, &str); 8] = [
    (0, "0"),
    (1, "1"),
    (2, "2"),
    (3, "3-4"),
    (5, "5-9"),
    (10, "10-19"),
    (20, "20-49"),
    (50, "50+"),
];

const RUN_BUCKETS: [(u32, &str); 6] = [
    (0, "0"),
    (1, "1"),
    (2, "2"),
    (3, "3-4"),
    (5, "5-9"),
    (10, "10+"),
];

const SHARE_BUCKETS: [(u32, &str); 5] = [
    (0, "0"),
    (1, "under 20%"),
    (20, "20-49%"),
    (50, "50-79%"),
    (80, "80%+"),
];

const DECILES: [&str; 10] = [
    "0-9%", "10-19%", "20-29%", "30-39%", "40-49%", "50-59%", "60-69%", "70-79%", "80-89%",
    "90-100%",
];

/// The bucket of [`SHARE_BUCKETS`] that `part` of `whole` falls in.
fn share(part: u32, whole: u32) -> u8 {
    if whole == 0 || part == 0 {
        return 0;
    }
    let percent = (u64::from(part) * 100 / u64::from(whole)).max(1) as u32;
    SHARE_BUCKETS
        .iter()
        .rposition(|&(low, _)| percent >= low)
        .unwrap_or(0) as u8
}

/// The label of a bucket of [`SHARE_BUCKETS`].
fn share_label(bucket: u8) -> &'static str {
    SHARE_BUCKETS[usize::from(bucket)].1
}

/// The facts of one line (without its line ending).
fn facts(line: &str) -> Facts {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return Facts {
            blank: true,
            full: true,
            capitals: 0,
            digits: 0,
            ..Facts::default()
        };
    }
    let mut chars = 0u32;
    let mut digits = 0u32;
    let mut upper = 0u32;
    let mut lower = 0u32;
    let mut marks = 0u16;
    let mut previous = ' ';
    for c in trimmed.chars() {
        chars += 1;
        if c.is_ascii_digit() {
            digits += 1;
        } else if c.is_uppercase() {
            upper += 1;
        } else if c.is_lowercase() {
            lower += 1;
        }
        match c {
            '©' => marks |= COPYRIGHT,
            '|' => marks |= PIPE,
            '·' | '•' if chars > 1 => marks |= MIDDLE_DOT,
            '@' if previous.is_whitespace() => marks |= HANDLE,
            _ => {}
        }
        previous = c;
    }
    let mut words = 0u32;
    let mut lettered = 0u32;
    let mut capitalised = 0u32;
    for word in trimmed.split_whitespace() {
        words += 1;
        if let Some(first) = word.chars().find(|c| c.is_alphanumeric())
            && first.is_alphabetic()
        {
            lettered += 1;
            if first.is_uppercase() {
                capitalised += 1;
            }
        }
        if word.contains("://") || word.starts_with("www.") {
            marks |= URL;
        }
    }
    marks |= list_marks(trimmed);
    let digits_first = leading_digits(trimmed);
    if digits_first > 0 {
        marks |= STARTS_DIGIT;
    }
    if starts_with_counter(trimmed) {
        marks |= COUNTER;
    }
    let lowered = trimmed.get(..trimmed.len().min(3)).unwrap_or("");
    if lowered.eq_ignore_ascii_case("(c)") {
        marks |= COPYRIGHT;
    }
    if words >= 2 && lettered >= 2 && capitalised == lettered {
        marks |= TITLE_CASE;
    }
    if upper >= 2 && lower == 0 {
        marks |= ALL_CAPS;
    }
    if words == 1 {
        marks |= SINGLE_WORD;
    }
    Facts {
        blank: false,
        full: true,
        chars,
        words,
        end: end_of(trimmed),
        marks,
        capitals: share(capitalised, lettered),
        digits: share(digits, chars),
    }
}

/// The number of words of `s` as `split_whitespace` counts them, stopping
/// at `cap`; ASCII is read in blocks, without a branch per byte.
fn split_words_up_to(s: &str, cap: u32) -> u32 {
    const BLOCK: usize = 32;
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
    let bytes = s.as_bytes();
    let mut count = 0;
    let mut in_word = false;
    let mut i = 0;
    // A word starts at a byte that is not a space after one that is (or
    // at the start): counted a block at a time, while the blocks are ASCII.
    while count < cap && i + BLOCK <= bytes.len() && bytes[i..i + BLOCK].is_ascii() {
        let mut after_space = !in_word;
        for &b in &bytes[i..i + BLOCK] {
            let space = is_space(b);
            count += u32::from(after_space & !space);
            after_space = space;
        }
        in_word = !after_space;
        i += BLOCK;
    }
    // The rest (or from the first block that is not ASCII), one character
    // at a time.
    while i < bytes.len() && count < cap {
        let b = bytes[i];
        let space = if b < 0x80 {
            i += 1;
            is_space(b)
        } else {
            let c = s[i..].chars().next().unwrap_or(' ');
            i += c.len_utf8();
            c.is_whitespace()
        };
        if space {
            in_word = false;
        } else if !in_word {
            in_word = true;
            count += 1;
        }
    }
    count.min(cap)
}

/// The marks of a list item: a bullet, or a number of up to three digits
/// followed by ". " or ") ".
fn list_marks(trimmed: &str) -> u16 {
    let mut marks = 0;
    if trimmed.chars().next().is_some_and(is_bullet) {
        marks |= BULLET;
    }
    let digits_first = leading_digits(trimmed);
    if (1..=3).contains(&digits_first) {
        let after = &trimmed[digits_first..];
        if after.starts_with(". ") || after.starts_with(") ") {
            marks |= NUMBERED;
        }
    }
    marks
}

/// How a trimmed, non-empty line ends.
fn end_of(trimmed: &str) -> End {
    let core = trimmed.trim_end_matches(is_closing);
    if core.ends_with("...") || core.ends_with('…') {
        return End::Ellipsis;
    }
    match core.chars().next_back() {
        None => End::Other,
        Some('.' | '。') => End::Period,
        Some('!' | '！') => End::Exclamation,
        Some('?' | '？') => End::Question,
        Some(':' | '：') => End::Colon,
        Some(c) if c.is_alphanumeric() => End::Word,
        Some(_) => End::Other,
    }
}

/// The facts a line's context needs when it is not scored itself but may
/// be a scored line's neighbour: length (up to the top bucket), words (up
/// to prose length), how it ends, bullet or number; not the character
/// classes and marks that only a scored line uses. Every feature read from
/// them is what [`facts`] would give.
fn light_facts(line: &str) -> Facts {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return facts(line);
    }
    let marks = list_marks(trimmed);
    // Past the top length bucket and past prose length, more does not
    // change a feature: counting stops there.
    let top_chars = CHAR_BUCKETS[CHAR_BUCKETS.len() - 1].0 as usize;
    Facts {
        blank: false,
        full: false,
        chars: if trimmed.len() >= 4 * top_chars {
            top_chars as u32
        } else {
            trimmed.chars().count().min(top_chars) as u32
        },
        words: split_words_up_to(trimmed, PROSE_WORDS),
        end: end_of(trimmed),
        marks,
        capitals: 0,
        digits: 0,
    }
}

/// The lines of `text` as `text.split('\n')` gives them, a final `\r`
/// aside.
pub fn lines(text: &str) -> impl Iterator<Item = &str> + Clone {
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
}

/// The evidence of line `index`, or none when `evidence` is shorter than
/// the text's lines (the stripper gives no entry for the empty element
/// after a final line break).
pub fn evidence_at(evidence: &[LineEvidence], index: usize) -> LineEvidence {
    evidence.get(index).copied().unwrap_or_default()
}

/// The facts of the lines of a text, by line id, for a later reading of
/// the same lines (after some of them went): a line with the same id and
/// length is the same text (a line only loses its end). Read and written
/// again in place, in order of id, by each reading.
#[derive(Debug, Clone, Default)]
pub struct FactsMemory {
    /// In order of id: the id, the length of the line's text, its facts.
    lines: Vec<(u32, u32, Facts)>,
    /// The next line of the last reading to look at.
    read: usize,
    /// Where this reading's next line is written: never past `read`, so
    /// nothing not yet read is written over.
    write: usize,
    /// A line the last reading did not have came with no room for it:
    /// this reading keeps no more lines.
    closed: bool,
}

impl FactsMemory {
    /// The facts of line `id` (asked in order of id), if its text had
    /// this length.
    fn find(&mut self, id: u32, len: usize) -> Option<Facts> {
        while self.lines.get(self.read).is_some_and(|&(i, _, _)| i < id) {
            self.read += 1;
        }
        match self.lines.get(self.read) {
            Some(&(i, l, facts)) if i == id && l as usize == len => Some(facts),
            _ => None,
        }
    }

    /// Keeps the facts of line `id` (after [`FactsMemory::find`] was asked
    /// for it) for the next reading.
    fn keep(&mut self, id: u32, len: usize, facts: Facts) {
        let Ok(len) = u32::try_from(len) else {
            self.closed = true;
            return;
        };
        if self.closed || self.write > 0 && self.lines[self.write - 1].0 >= id {
            return;
        }
        let entry = (id, len, facts);
        if self.write < self.read {
            self.lines[self.write] = entry;
        } else if self.read == self.lines.len() {
            self.lines.push(entry);
            self.read += 1;
        } else if self.lines[self.read].0 == id {
            self.lines[self.read] = entry;
            self.read += 1;
        } else {
            self.closed = true;
            return;
        }
        self.write += 1;
    }

    /// After a reading: what it kept, ready for the next.
    fn finish(mut self) -> FactsMemory {
        self.lines.truncate(self.write);
        FactsMemory {
            lines: self.lines,
            ..FactsMemory::default()
        }
    }
}

/// Context of the non-blank lines, by rank (0 for the first non-blank line).
struct Context {
    /// Index in `text.split('\n')` of each ranked line.
    index: Vec<usize>,
    facts: Vec<Facts>,
    evidence: Vec<LineEvidence>,
    /// Length of the run of consecutive short lines each line is in (0 for
    /// a line that is not short).
    short_run: Vec<u32>,
    /// Lines removed by the rules among the ranks before each one, summed.
    removed_before: Vec<u32>,
    first_prose: Option<usize>,
    last_prose: Option<usize>,
    /// Rank of the last prose line at or before each line.
    prose_before: Vec<Option<usize>>,
}

impl Context {
    /// The context of every line; the full facts only of the lines `sink`
    /// wants, the light ones of the rest. The facts of a line that reads
    /// as it did when `remembered` was made are taken from there; the
    /// facts of this text are returned to be remembered in turn.
    fn build<'t>(
        lines: impl Iterator<Item = &'t str> + Clone,
        evidence: &[LineEvidence],
        work: &mut Work,
        sink: &impl Sink,
        remembered: Option<FactsMemory>,
    ) -> (Context, Option<FactsMemory>) {
        // Sized once, for every line of the text (blank ones get no entry):
        // tables grown by doubling would hold up to twice the lines.
        let lines_at_most = lines.clone().count();
        let mut context = Context {
            index: Vec::with_capacity(lines_at_most),
            facts: Vec::with_capacity(lines_at_most),
            evidence: Vec::with_capacity(lines_at_most),
            short_run: Vec::new(),
            removed_before: Vec::with_capacity(lines_at_most + 1),
            first_prose: None,
            last_prose: None,
            prose_before: Vec::with_capacity(lines_at_most),
        };
        context.removed_before.push(0);
        let mut memory = remembered;
        if let Some(memory) = &mut memory
            && memory.lines.is_empty()
        {
            memory.lines.reserve_exact(lines_at_most);
        }
        let mut last_prose = None;
        for (index, line) in lines.enumerate() {
            work.line_visits += 1;
            let id = sink.line_id(index);
            let wanted = sink.wants(index);
            let known = match (&mut memory, id) {
                (Some(memory), Some(id)) => memory.find(id, line.len()),
                _ => None,
            };
            let facts = match known {
                Some(f) if f.full || !wanted => f,
                _ if wanted => facts(line),
                _ => light_facts(line),
            };
            if facts.blank {
                // Blank lines are not kept: there is nothing to work out.
                continue;
            }
            if let (Some(memory), Some(id)) = (&mut memory, id) {
                memory.keep(id, line.len(), facts);
            }
            let rank = context.index.len();
            let evidence = evidence_at(evidence, index);
            if facts.prose() {
                context.first_prose.get_or_insert(rank);
                last_prose = Some(rank);
            }
            context.prose_before.push(last_prose);
            let removed = context.removed_before[rank] + u32::from(evidence.removed.is_some());
            context.removed_before.push(removed);
            context.index.push(index);
            context.facts.push(facts);
            context.evidence.push(evidence);
        }
        context.last_prose = last_prose;
        let count = context.facts.len();
        // Runs of short lines: lengths forward, then spread backward.
        context.short_run = vec![0; count];
        let mut run = 0;
        for rank in 0..count {
            work.line_visits += 1;
            run = if context.facts[rank].short() {
                run + 1
            } else {
                0
            };
            context.short_run[rank] = run;
        }
        for rank in (0..count).rev() {
            work.line_visits += 1;
            if context.short_run[rank] > 0 && rank + 1 < count && context.short_run[rank + 1] > 0 {
                context.short_run[rank] = context.short_run[rank + 1];
            }
        }
        (context, memory.map(FactsMemory::finish))
    }

    /// Lines removed by the rules within [`NEAR`] ranks of `rank`, itself
    /// aside.
    fn removed_near(&self, rank: usize) -> u32 {
        let low = rank.saturating_sub(NEAR);
        let high = (rank + NEAR + 1).min(self.facts.len());
        let around = self.removed_before[high] - self.removed_before[low];
        around - u32::from(self.evidence[rank].removed.is_some())
    }
}

/// Hands every feature of every non-blank line of `text` to `sink`, in line
/// order; `evidence` is what [`crate::Stripper::line_evidence`] says about
/// the text. Returns the work done.
pub fn extract(text: &str, evidence: &[LineEvidence], sink: &mut impl Sink) -> Work {
    extract_lines(lines(text), evidence, sink)
}

/// Like [`extract`], for a text given as its lines (each without its line
/// ending), such as the lines that stay of a document, read where they
/// are rather than copied into one text: line `i` here is element `i` of
/// the text's `split('\n')`.
pub fn extract_lines<'t>(
    lines: impl Iterator<Item = &'t str> + Clone,
    evidence: &[LineEvidence],
    sink: &mut impl Sink,
) -> Work {
    let mut work = Work::default();
    let remembered = sink.take_facts();
    let (context, memory) = Context::build(lines.clone(), evidence, &mut work, sink, remembered);
    if let Some(memory) = memory {
        sink.keep_facts(memory);
    }
    let keeps = sink.keeps();
    let remembers = keeps && sink.remembers();
    let mut emitter = Emitter {
        sink,
        work,
        digest: Digest::Off,
        hashes: NameHashes::new(),
        head: String::new(),
        tail: String::new(),
    };
    let mut lines = lines.enumerate();
    for rank in 0..context.facts.len() {
        let index = context.index[rank];
        // The ranked lines come in order: walk the text along with them.
        let line = loop {
            match lines.next() {
                Some((i, line)) if i == index => break line,
                Some(_) => continue,
                None => unreachable!("ranked lines come from the same text"),
            }
        };
        emitter.work.line_visits += 1;
        if !emitter.sink.begin_line(index) {
            continue;
        }
        if remembers {
            // The features that do not come from the text alone are first
            // only named into a digest with the text: it says whether the
            // line reads as it did before. Only a line that does not is
            // described, in the usual order (text, then the rest), so that
            // a score is summed the same way either way.
            emitter.digest = Digest::Only(text_digest(line));
            emitter.context(&context, rank);
            let digest = emitter.digest.finish();
            if !emitter.sink.reuse(index, digest) {
                emitter.text(line);
                emitter.context(&context, rank);
            }
        } else if keeps {
            // Nothing to take again: the line is described and its digest
            // made as its features go by.
            emitter.digest = Digest::Alongside(text_digest(line));
            emitter.text(line);
            emitter.context(&context, rank);
            let digest = emitter.digest.finish();
            emitter.sink.remember(index, digest);
        } else {
            emitter.text(line);
            emitter.context(&context, rank);
        }
    }
    emitter.work
}

/// Hashes of named features already worked out, found again by where
/// their names are: a name is one of a few hundred `&'static str`, so the
/// same address and length is the same text (another address with the same
/// text only misses, and is hashed again).
struct NameHashes {
    slots: Vec<Option<NameSlot>>,
}

/// Family and addresses of the names, their lengths, and the hash.
type NameSlot = ([usize; 5], [usize; 4], u64);

impl NameHashes {
    const SLOTS: usize = 1024;

    fn new() -> NameHashes {
        NameHashes {
            slots: vec![None; Self::SLOTS],
        }
    }

    fn get(&mut self, key: [usize; 5], lens: [usize; 4], hash: impl FnOnce() -> u64) -> u64 {
        let mixed = key.iter().fold(0u64, |h, &k| {
            (h ^ k as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        });
        let slot = (mixed >> 54) as usize % Self::SLOTS;
        match self.slots[slot] {
            Some((k, l, h)) if k == key && l == lens => h,
            _ => {
                let h = hash();
                self.slots[slot] = Some((key, lens, h));
                h
            }
        }
    }
}

/// Mixes one word into a digest.
fn mix(h: u64, word: u64) -> u64 {
    (h ^ word).wrapping_mul(FNV_PRIME).rotate_left(29)
}

/// The start of a line's digest for [`Sink::reuse`]: its text. The names
/// of its features that do not come from the text are mixed in after it
/// ([`Emitter::digest`]). Equal inputs give equal digests; different
/// ones collide only by chance.
fn text_digest(line: &str) -> u64 {
    let mut chunks = line.as_bytes().chunks_exact(8);
    let mut h = mix(FNV_OFFSET, line.len() as u64);
    for chunk in chunks.by_ref() {
        h = mix(h, u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
    }
    chunks
        .remainder()
        .iter()
        .fold(h, |h, &b| mix(h, u64::from(b)))
}

/// Mixes a name (a `&'static str`, one of a few hundred) into a digest by
/// where it is and how long it is: the same name is the same text. (The
/// same text at another address only makes another digest, and the line
/// is described again.)
fn mix_name(h: u64, name: &'static str) -> u64 {
    mix(mix(h, name.as_ptr() as u64), name.len() as u64)
}

/// A line's digest for [`Sink::reuse`], while it is made: the named
/// features (those that do not come from the text) are mixed into it.
enum Digest {
    Off,
    /// Named features are only mixed in, not handed over.
    Only(u64),
    /// Named features are mixed in and handed over.
    Alongside(u64),
}

impl Digest {
    /// Mixes a named feature in with `name`, while a digest is made.
    /// True when the feature is only to be named, not handed over.
    fn name(&mut self, name: impl FnOnce(u64) -> u64) -> bool {
        match self {
            Digest::Off => false,
            Digest::Only(d) => {
                *d = name(*d);
                true
            }
            Digest::Alongside(d) => {
                *d = name(*d);
                false
            }
        }
    }

    /// The digest made, and no more digest.
    fn finish(&mut self) -> u64 {
        match std::mem::replace(self, Digest::Off) {
            Digest::Off => 0,
            Digest::Only(d) | Digest::Alongside(d) => Fnv(d).finish(),
        }
    }
}

struct Emitter<'s, S: Sink> {
    sink: &'s mut S,
    work: Work,
    /// The digest of the current line, while one is made.
    digest: Digest,
    hashes: NameHashes,
    /// Normalised start of the current line, padded with spaces.
    head: String,
    /// Normalised end of a line longer than [`CHAR_LIMIT`].
    tail: String,
}

fn digits_to_zero(text: &mut str) {
    // SAFETY: ASCII digits become the ASCII digit 0; the string stays
    // valid UTF-8.
    for b in unsafe { text.as_bytes_mut() } {
        if b.is_ascii_digit() {
            *b = b'0';
        }
    }
}

/// Byte ranges of the words of normalised `text`, punctuation around them
/// aside.
fn words(text: &str) -> impl Iterator<Item = &[u8]> {
    text.split(' ').filter_map(|token| {
        let word = token.trim_matches(|c: char| !c.is_alphanumeric());
        (!word.is_empty()).then_some(word.as_bytes())
    })
}

impl<S: Sink> Emitter<'_, S> {
    fn add(&mut self, family: Family, hash: u64, value: f32, name: Name<'_>) {
        self.work.features += 1;
        self.sink.add(family, hash, value, name);
    }

    /// Every feature of the line at `rank` that does not come from its
    /// text: shape, position, neighbours, evidence.
    fn context(&mut self, context: &Context, rank: usize) {
        self.shape(&context.facts[rank]);
        self.position(context, rank);
        self.neighbours(context, rank);
        self.evidence(context, rank);
    }

    fn value(&mut self, family: Family, name: &'static str, value: &'static str) {
        let key = [
            family as usize,
            0,
            0,
            name.as_ptr() as usize,
            value.as_ptr() as usize,
        ];
        if self
            .digest
            .name(|d| mix_name(mix_name(mix(d, family as u64), name), value))
        {
            return;
        }
        let lens = [name.len(), value.len(), 0, 0];
        let hash = self.hashes.get(key, lens, || {
            Fnv::new(family)
                .bytes(name.as_bytes())
                .byte(0)
                .bytes(value.as_bytes())
                .finish()
        });
        self.add(family, hash, 1.0, Name::Value(name, value));
    }

    fn cross(&mut self, a: (&'static str, &'static str), b: (&'static str, &'static str)) {
        let key = [
            Family::Cross as usize,
            a.0.as_ptr() as usize,
            a.1.as_ptr() as usize,
            b.0.as_ptr() as usize,
            b.1.as_ptr() as usize,
        ];
        if self.digest.name(|d| {
            let h = mix(d, Family::Cross as u64);
            mix_name(mix_name(mix_name(mix_name(h, a.0), a.1), b.0), b.1)
        }) {
            return;
        }
        let lens = [a.0.len(), a.1.len(), b.0.len(), b.1.len()];
        let hash = self.hashes.get(key, lens, || {
            Fnv::new(Family::Cross)
                .bytes(a.0.as_bytes())
                .byte(0)
                .bytes(a.1.as_bytes())
                .byte(1)
                .bytes(b.0.as_bytes())
                .byte(0)
                .bytes(b.1.as_bytes())
                .finish()
        });
        self.add(Family::Cross, hash, 1.0, Name::Cross(a.0, a.1, b.0, b.1));
    }

    /// N-grams and words of the line's normalised text.
    fn text(&mut self, line: &str) {
        let cut = line
            .char_indices()
            .nth(CHAR_LIMIT)
            .map_or(line.len(), |(i, _)| i);
        let mut head = std::mem::take(&mut self.head);
        head.clear();
        head.push(' ');
        normalize_into(line[..cut].trim(), &mut head, None);
        digits_to_zero(&mut head);
        head.push(' ');
        self.work.bytes_hashed += head.len();
        let mut tail = std::mem::take(&mut self.tail);
        tail.clear();
        if cut < line.len() {
            let from = line
                .char_indices()
                .rev()
                .nth(TAIL_CHARS - 1)
                .map_or(0, |(i, _)| i)
                .max(cut);
            normalize_into(line[from..].trim(), &mut tail, None);
            digits_to_zero(&mut tail);
            self.work.bytes_hashed += tail.len();
        }

        // Character 3-grams only: 4-grams as well cost 11% of the scorer's
        // instructions for no gain in average precision on silver `valid`
        // (0.322 with them, 0.326 without; silver-news 0.250 and 0.243).
        let ascii = head.is_ascii();
        self.char_grams(&head, ascii, 3, Family::Char3);

        let count = words(&head).count();
        if count > 0 {
            let value = 1.0 / (count as f32).sqrt();
            let mut previous: Option<&[u8]> = None;
            for (i, word) in words(&head).enumerate() {
                let hash = Fnv::new(Family::Word).bytes(word).finish();
                self.add(Family::Word, hash, value, Name::Text(word));
                if let Some(before) = previous {
                    let hash = Fnv::new(Family::WordPair)
                        .bytes(before)
                        .byte(b' ')
                        .bytes(word)
                        .finish();
                    self.add(Family::WordPair, hash, value, Name::Pair(before, word));
                }
                if i < 2 {
                    let at: &[u8] = if i == 0 { b"first" } else { b"second" };
                    let hash = Fnv::new(Family::WordAt)
                        .bytes(at)
                        .byte(0)
                        .bytes(word)
                        .finish();
                    self.add(Family::WordAt, hash, 1.0, Name::Pair(at, word));
                }
                previous = Some(word);
            }
            let last = if tail.is_empty() {
                words(&head).last()
            } else {
                words(&tail).last()
            };
            if let Some(word) = last {
                let hash = Fnv::new(Family::WordAt)
                    .bytes(b"last")
                    .byte(0)
                    .bytes(word)
                    .finish();
                self.add(Family::WordAt, hash, 1.0, Name::Pair(b"last", word));
            }
        }
        self.head = head;
        self.tail = tail;
    }

    /// Character n-grams of the padded, normalised text, each weighing
    /// 1/sqrt(their count).
    fn char_grams(&mut self, head: &str, ascii: bool, n: usize, family: Family) {
        let chars = if ascii {
            head.len()
        } else {
            head.chars().count()
        };
        let count = chars.saturating_sub(n - 1);
        if count == 0 {
            return;
        }
        let value = 1.0 / (count as f32).sqrt();
        if ascii {
            // One byte is one character: the windows are of bytes.
            for gram in head.as_bytes().windows(n) {
                let hash = Fnv::new(family).bytes(gram).finish();
                self.add(family, hash, value, Name::Text(gram));
            }
            return;
        }
        // A window of n characters, moved one character at a time.
        let mut starts = head.char_indices().map(|(i, _)| i).peekable();
        let mut ends = head
            .char_indices()
            .map(|(i, _)| i)
            .skip(n)
            .chain(std::iter::once(head.len()));
        for end in ends.by_ref() {
            let Some(start) = starts.next() else { break };
            let gram = &head.as_bytes()[start..end];
            let hash = Fnv::new(family).bytes(gram).finish();
            self.add(family, hash, value, Name::Text(gram));
        }
    }

    fn shape(&mut self, facts: &Facts) {
        let chars = bucket(facts.chars, &CHAR_BUCKETS);
        let words = bucket(facts.words, &WORD_BUCKETS);
        self.value(Family::Shape, "chars", chars);
        self.value(Family::Shape, "words", words);
        self.value(Family::Shape, "ends with", facts.end.as_str());
        let capitals = share_label(facts.capitals);
        self.value(Family::Shape, "capitalised words", capitals);
        self.value(Family::Shape, "digits", share_label(facts.digits));
        for (bit, name) in MARKS.iter().enumerate() {
            if facts.marks & (1 << bit) != 0 {
                self.value(Family::Shape, name, "yes");
                self.cross((name, "yes"), ("words", words));
            }
        }
        self.cross(("ends with", facts.end.as_str()), ("words", words));
        self.cross(("capitalised words", capitals), ("words", words));
    }

    fn position(&mut self, context: &Context, rank: usize) {
        let count = context.facts.len();
        let decile = (rank * 10 / count.max(1)).min(9);
        self.value(Family::Position, "relative", DECILES[decile]);
        let from_start = bucket(rank as u32, &DISTANCE_BUCKETS);
        let to_end = bucket((count - 1 - rank) as u32, &DISTANCE_BUCKETS);
        self.value(Family::Position, "lines before", from_start);
        self.value(Family::Position, "lines after", to_end);
        let facts = &context.facts[rank];
        let short = if facts.short() { "yes" } else { "no" };
        let place = match (context.first_prose, context.last_prose) {
            (None, _) | (_, None) => "no prose in document",
            (Some(first), _) if rank < first => "before first prose",
            (_, Some(last)) if rank > last => "after last prose",
            (_, Some(last)) if rank == last => "last prose",
            _ => "among prose",
        };
        self.value(Family::Position, "place", place);
        self.cross(("place", place), ("short", short));
        self.cross(("place", place), ("lines after", to_end));
        self.cross(
            ("place", place),
            ("chars", bucket(facts.chars, &CHAR_BUCKETS)),
        );
        let since = match context.prose_before[rank] {
            Some(prose) if prose < rank => bucket((rank - prose) as u32, &DISTANCE_BUCKETS),
            Some(_) => "is prose",
            None => "none",
        };
        self.value(Family::Position, "lines since prose", since);
    }

    fn neighbour(&mut self, context: &Context, rank: Option<usize>, side: &'static str) {
        let Some(rank) = rank else {
            self.value(Family::Neighbour, side, "none");
            return;
        };
        self.work.line_visits += 1;
        let facts = &context.facts[rank];
        let (chars, ends, short, prose, removed, phrases) = match side {
            "previous" => (
                "previous chars",
                "previous ends with",
                "previous short",
                "previous prose",
                "previous removed",
                "previous phrases",
            ),
            _ => (
                "next chars",
                "next ends with",
                "next short",
                "next prose",
                "next removed",
                "next phrases",
            ),
        };
        self.value(Family::Neighbour, chars, bucket(facts.chars, &CHAR_BUCKETS));
        self.value(Family::Neighbour, ends, facts.end.as_str());
        self.value(
            Family::Neighbour,
            short,
            if facts.short() { "yes" } else { "no" },
        );
        if facts.prose() {
            self.value(Family::Neighbour, prose, "yes");
        }
        for (bit, name) in MARKS.iter().enumerate().take(2) {
            if facts.marks & (1 << bit) != 0 {
                self.value(Family::Neighbour, side, name);
            }
        }
        let evidence = &context.evidence[rank];
        let removed_by = evidence.removed.map_or("no", Category::as_str);
        self.value(Family::Evidence, removed, removed_by);
        let any = if evidence.categories != 0 {
            "yes"
        } else {
            "no"
        };
        self.value(Family::Evidence, phrases, any);
    }

    fn neighbours(&mut self, context: &Context, rank: usize) {
        let previous = rank.checked_sub(1);
        let next = (rank + 1 < context.facts.len()).then_some(rank + 1);
        self.neighbour(context, previous, "previous");
        self.neighbour(context, next, "next");
        let run = bucket(context.short_run[rank], &RUN_BUCKETS);
        self.value(Family::Neighbour, "short run", run);
        let facts = &context.facts[rank];
        let alike = |other: Option<usize>| {
            other.is_some_and(|o| {
                let f = &context.facts[o];
                f.end == facts.end
                    && f.short() == facts.short()
                    && (f.marks & (BULLET | NUMBERED)) == (facts.marks & (BULLET | NUMBERED))
            })
        };
        let alike = match (alike(previous), alike(next)) {
            (true, true) => "both",
            (true, false) => "previous",
            (false, true) => "next",
            (false, false) => "neither",
        };
        self.value(Family::Neighbour, "shaped alike", alike);
        self.cross(("short run", run), ("shaped alike", alike));
        let place = match (context.first_prose, context.last_prose) {
            (None, _) | (_, None) => "none",
            (Some(first), _) if rank < first => "before",
            (_, Some(last)) if rank > last => "after",
            _ => "among",
        };
        self.cross(("prose", place), ("short run", run));
        self.cross(("prose", place), ("ends with", facts.end.as_str()));
        self.cross(("short run", run), ("ends with", facts.end.as_str()));
        self.cross(("prose", place), ("shaped alike", alike));
    }

    fn evidence(&mut self, context: &Context, rank: usize) {
        let evidence = context.evidence[rank];
        let facts = &context.facts[rank];
        let words = bucket(facts.words, &WORD_BUCKETS);
        let removed = evidence.removed.map_or("no", Category::as_str);
        self.value(Family::Evidence, "removed", removed);
        self.cross(("removed", removed), ("words", words));
        if evidence.span {
            self.value(Family::Evidence, "span removed", "yes");
        }
        if evidence.guarded {
            self.value(Family::Evidence, "guarded", "yes");
        }
        for category in Category::ALL {
            if evidence.has(category) {
                self.value(Family::Evidence, "phrase", category.as_str());
                self.cross(("phrase", category.as_str()), ("words", words));
                if evidence.removed.is_none() {
                    self.value(Family::Evidence, "phrase kept", category.as_str());
                }
            }
        }
        let near = bucket(context.removed_near(rank), &RUN_BUCKETS);
        self.value(Family::Evidence, "removed nearby", near);
        let short = if facts.short() { "yes" } else { "no" };
        self.cross(("removed nearby", near), ("short", short));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Collects the names of each line's features.
    #[derive(Default)]
    struct Names {
        lines: Vec<(usize, Vec<String>)>,
    }

    impl Sink for Names {
        fn begin_line(&mut self, index: usize) -> bool {
            self.lines.push((index, Vec::new()));
            true
        }
        fn add(&mut self, family: Family, _hash: u64, _value: f32, name: Name<'_>) {
            let line = self.lines.last_mut().expect("a line has begun");
            line.1.push(format!("{}: {name}", family.as_str()));
        }
    }

    fn names(text: &str, evidence: &[LineEvidence]) -> Names {
        let mut sink = Names::default();
        extract(text, evidence, &mut sink);
        sink
    }

    fn has(names: &[String], want: &str) -> bool {
        names.iter().any(|n| n == want)
    }

    const PROSE: &str = "This is a long paragraph of article prose with well over twenty five words in it, so that it counts as the body of the story, and it ends in a full stop.";

    #[test]
    fn lines_are_those_of_split_and_blank_lines_get_none() {
        let text = format!("Title\n\n{PROSE}\r\nShare this\n");
        let sink = names(&text, &[]);
        let indexes: Vec<usize> = sink.lines.iter().map(|(i, _)| *i).collect();
        assert_eq!(indexes, [0, 2, 3]);
        assert_eq!(text.split('\n').count(), 5);
        // The \r is not part of the line.
        assert!(has(&sink.lines[1].1, "shape: ends with=."));
    }

    #[test]
    fn shapes_are_read_from_the_line() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Advertisement",
                &[
                    "shape: single word=yes",
                    "shape: ends with=word",
                    "shape: chars=10-19",
                ],
            ),
            (
                "• Share Facebook",
                &["shape: bullet=yes", "shape: title case=yes"],
            ),
            (
                "3/12 Photos",
                &["shape: counter=yes", "shape: starts with digit=yes"],
            ),
            ("3 of 12", &["shape: counter=yes"]),
            (
                "© 2024 Harlow Courier. All rights reserved.",
                &["shape: copyright=yes", "shape: ends with=."],
            ),
            (
                "Follow us @harlow | https://example.com",
                &["shape: handle=yes", "shape: url=yes", "shape: pipe=yes"],
            ),
            ("READ MORE", &["shape: all caps=yes"]),
            ("Is this the end?\u{201d}", &["shape: ends with=?"]),
            ("More below:", &["shape: ends with=:"]),
            ("1. First point", &["shape: numbered=yes"]),
            ("Continue reading…", &["shape: ends with=..."]),
        ];
        for (line, want) in cases {
            let sink = names(line, &[]);
            for w in *want {
                assert!(
                    has(&sink.lines[0].1, w),
                    "{line:?} lacks {w}: {:?}",
                    sink.lines[0].1
                );
            }
        }
        let sink = names("plain words here", &[]);
        assert!(
            !sink.lines[0]
                .1
                .iter()
                .any(|n| n.ends_with("=yes") && n.starts_with("shape"))
        );
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            "one",
            "  two  words ",
            "tab\tand\u{b}vertical\u{c}feed\r",
            "no\u{a0}break space and\u{2003}em space",
            "über straße — ça va?",
            "a b c d e f g h i j k l m n o p q r s t u v w x y z",
            // Longer than a block of 32 bytes: words across the blocks'
            // edges, runs of spaces, a block that is not ASCII.
            "the first words of a longer line, then more words and still more words after them",
            "exactly thirty-two bytes long ab cd",
            "                                 spaces first, then words",
            "a word that runs across the edge:abcdefghijklmnopqrstuvwxyz and on",
            "ascii for a while at the start, then\u{a0}no-break and\u{2003}em spaces, über straße",
            "ascii for a whole block at first then ünïcödé wörds and more ascii words to the end of it",
        ] {
            for cap in [0, 1, 3, 5, 6, 7, 25] {
                let want = text.split_whitespace().count().min(cap as usize) as u32;
                assert_eq!(
                    super::split_words_up_to(text, cap),
                    want,
                    "{text:?} cap {cap}"
                );
            }
        }
    }

    #[test]
    fn facts_are_remembered_by_id_and_length_and_rewritten_in_place() {
        let read = |memory: FactsMemory, lines: &[(u32, &str)]| {
            let mut memory = memory;
            let mut found = Vec::new();
            for &(id, text) in lines {
                let known = memory.find(id, text.len());
                if let Some(known) = known {
                    // What is found is what the text gives.
                    assert_eq!(format!("{known:?}"), format!("{:?}", facts(text)), "{id}");
                }
                found.push(known.is_some());
                memory.keep(id, text.len(), facts(text));
            }
            (memory.finish(), found)
        };
        let first = [
            (0, "Share this"),
            (1, "A sentence of the article."),
            (2, "x"),
            (4, ""),
        ];
        let (memory, found) = read(FactsMemory::default(), &first);
        assert_eq!(found, [false; 4]);
        // Line 1 went; line 2 lost its end (same id, shorter text).
        let (memory, found) = read(memory, &[(0, "Share this"), (2, ""), (4, "")]);
        assert_eq!(found, [true, false, true]);
        assert_eq!(
            memory.lines.iter().map(|l| l.0).collect::<Vec<_>>(),
            [0, 2, 4]
        );
        // A line the last reading did not have: no room for it in place,
        // so nothing more is kept, and nothing wrong is found.
        let (memory, found) = read(memory, &[(0, "Share this"), (1, "New"), (2, ""), (5, "y")]);
        assert_eq!(found, [true, false, true, false]);
        assert_eq!(memory.lines.iter().map(|l| l.0).collect::<Vec<_>>(), [0]);
        // Lines past the end of the last reading are added there.
        let (memory, found) = read(memory, &[(0, "Share this"), (7, "z"), (9, "w")]);
        assert_eq!(found, [true, false, false]);
        assert_eq!(
            memory.lines.iter().map(|l| l.0).collect::<Vec<_>>(),
            [0, 7, 9]
        );
    }

    #[test]
    fn text_features_are_normalised_words_and_grams() {
        let sink = names("Read MORE: 2024\u{2019}s top", &[]);
        let line = &sink.lines[0].1;
        for want in [
            "word: \"read\"",
            "word: \"more\"",
            "word: \"0000's\"",
            "word pair: \"read more\"",
            "word at: \"first read\"",
            "word at: \"second more\"",
            "word at: \"last top\"",
            "char 3-gram: \" re\"",
        ] {
            assert!(has(line, want), "lacks {want}: {line:?}");
        }
        assert!(!line.iter().any(|n| n.contains("2024")), "{line:?}");
    }

    #[test]
    fn position_follows_the_last_prose_paragraph() {
        let text = format!("Headline\n{PROSE}\n\nMiddle line\n{PROSE}\nShare\nFollow us\n");
        let sink = names(&text, &[]);
        let place = |index: usize| {
            let (_, names) = sink.lines.iter().find(|(i, _)| *i == index).unwrap();
            names
                .iter()
                .find(|n| n.starts_with("position: place="))
                .cloned()
                .unwrap()
        };
        assert_eq!(place(0), "position: place=before first prose");
        assert_eq!(place(3), "position: place=among prose");
        assert_eq!(place(4), "position: place=last prose");
        assert_eq!(place(5), "position: place=after last prose");
        assert_eq!(place(6), "position: place=after last prose");
        let last = &sink.lines.last().unwrap().1;
        assert!(has(last, "position: lines after=0"));
        assert!(has(last, "position: lines since prose=2"));
        assert!(has(last, "neighbour: next=none"));
        assert!(has(&sink.lines[0].1, "neighbour: previous=none"));
        assert!(has(&sink.lines[0].1, "position: lines before=0"));
    }

    #[test]
    fn neighbours_skip_blank_lines_and_runs_count_short_lines() {
        let text = format!("{PROSE}\n\nOne\n\nTwo\nThree\n{PROSE}");
        let sink = names(&text, &[]);
        let of = |index: usize| &sink.lines.iter().find(|(i, _)| *i == index).unwrap().1;
        assert!(has(of(2), "neighbour: previous prose=yes"));
        assert!(has(of(2), "neighbour: next short=yes"));
        assert!(has(of(2), "neighbour: short run=3-4"));
        assert!(has(of(5), "neighbour: short run=3-4"));
        assert!(has(of(5), "neighbour: next prose=yes"));
        assert!(has(of(0), "neighbour: short run=0"));
    }

    #[test]
    fn evidence_of_the_line_and_its_neighbours() {
        let removed = LineEvidence {
            categories: 1 << 2,
            removed: Some(Category::Widget),
            ..LineEvidence::default()
        };
        let guarded = LineEvidence {
            categories: 1,
            guarded: true,
            ..LineEvidence::default()
        };
        // The evidence has no entry for the empty line after the final \n.
        let text = "Body text here.\nAdvertisement\nSupport us today\n";
        let evidence = [LineEvidence::default(), removed, guarded];
        let sink = names(text, &evidence);
        let line = &sink.lines[1].1;
        assert!(has(line, "evidence: removed=widget"), "{line:?}");
        assert!(has(line, "evidence: phrase=widget"), "{line:?}");
        let line = &sink.lines[2].1;
        assert!(has(line, "evidence: guarded=yes"), "{line:?}");
        assert!(has(line, "evidence: phrase kept=appeal"), "{line:?}");
        assert!(has(line, "evidence: previous removed=widget"), "{line:?}");
        assert!(has(line, "evidence: removed nearby=1"), "{line:?}");
        assert!(has(&sink.lines[0].1, "evidence: next removed=widget"));
        assert_eq!(evidence_at(&evidence, 3), LineEvidence::default());
    }

    /// Counts features per line.
    #[derive(Default)]
    struct Count {
        lines: usize,
        features: usize,
    }

    impl Sink for Count {
        fn begin_line(&mut self, _index: usize) -> bool {
            self.lines += 1;
            true
        }
        fn add(&mut self, _family: Family, _hash: u64, _value: f32, _name: Name<'_>) {
            self.features += 1;
        }
    }

    #[test]
    fn a_very_long_line_is_read_only_to_the_limit() {
        let long = "word ".repeat(200_000);
        let short = "word ".repeat(CHAR_LIMIT / 5);
        let mut sink = Count::default();
        let long_work = extract(&long, &[], &mut sink);
        let mut sink = Count::default();
        let short_work = extract(&short, &[], &mut sink);
        assert!(
            long_work.bytes_hashed <= CHAR_LIMIT + 2 + TAIL_CHARS,
            "{long_work:?}"
        );
        // The same n-grams either way, give or take the last word's grams.
        assert!(
            long_work.features <= short_work.features + 10,
            "{long_work:?} {short_work:?}"
        );
        assert_eq!(long_work.features, sink_features(&long));
    }

    fn sink_features(text: &str) -> usize {
        let mut sink = Count::default();
        extract(text, &[], &mut sink);
        sink.features
    }

    #[test]
    fn work_grows_linearly_with_the_number_of_lines() {
        let line = "Share this article on Facebook\n";
        let small = extract(&line.repeat(1_000), &[], &mut Count::default());
        let large = extract(&line.repeat(10_000), &[], &mut Count::default());
        assert!(small.features > 0);
        for (a, b) in [
            (small.line_visits, large.line_visits),
            (small.bytes_hashed, large.bytes_hashed),
            (small.features, large.features),
        ] {
            // Ten times the lines, ten times the work, up to the first and
            // last lines' few extra features.
            assert!(b <= 10 * a + 100, "{small:?} {large:?}");
        }
        let per_line = large.features / 10_000;
        assert!(per_line < 200, "{per_line}");
    }

    /// Hashes every feature of a document into one number.
    struct Fingerprint(u64);

    impl Sink for Fingerprint {
        fn begin_line(&mut self, index: usize) -> bool {
            self.0 = self.0.rotate_left(7) ^ index as u64;
            true
        }
        fn add(&mut self, _family: Family, hash: u64, value: f32, _name: Name<'_>) {
            self.0 =
                (self.0.rotate_left(5) ^ hash ^ u64::from(value.to_bits())).wrapping_mul(FNV_PRIME);
        }
    }

    #[test]
    fn the_features_of_a_sample_are_pinned_to_the_feature_version() {
        // When this fails, the features changed: bump FEATURE_VERSION (and
        // the description if a parameter changed), pin the new value here,
        // and retrain models/default.bin.
        let text = include_str!("../../../../tests/fixtures/sample-article.txt");
        let mut sink = Fingerprint(0);
        extract(text, &[], &mut sink);
        assert_eq!((FEATURE_VERSION, sink.0), (2, 11082438158682543475));
    }
}
