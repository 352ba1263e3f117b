//! Cleaning one string field of each record of a JSON Lines stream,
//! without disturbing anything else in the record.
//!
//! This module owns the JSON Lines format for scrubtext:
//!
//! * [`FieldPath`] names the field to clean: `text`, or `meta.body` for a
//!   field of a nested object. Names are split at every dot, so a key that
//!   itself contains a dot cannot be named.
//! * [`clean_record`] finds the byte span of that field's string value in
//!   one record, hands the unescaped text to a cleaning function, and when
//!   the text changes splices the newly escaped string into that span.
//!   Every other byte of the record — key order, spacing, number spelling
//!   such as `1.50` or `1e3`, escapes such as `\u00e9` in other fields, a
//!   trailing `\r` — stays exactly as it was. An unchanged record is never
//!   rewritten at all.
//! * [`clean_line`] takes one raw line of a stream (its line ending and a
//!   leading byte order mark kept) and says what became of it; the caller's
//!   one stream loop reads lines into a reused buffer, so memory is bounded
//!   by the longest record. A record that cannot be cleaned is written out
//!   unchanged and reported with its line number; the stream goes on.
//!
//! A key that appears twice on the way to the field (`{"text":"a",
//! "text":"b"}`) is an error ([`RecordError::DuplicateKey`]): JSON readers
//! disagree on which copy counts, so cleaning either could leave the text
//! that a consumer reads untouched. Duplicates of other keys do not matter
//! and are kept.
//!
//! Nothing here prints.

use std::fmt;
use std::str::FromStr;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// The dotted path of the field to clean, such as `text` or `meta.body`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldPath {
    keys: Vec<String>,
}

/// A field path that cannot name a field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldPathError {
    /// Nothing was given.
    #[error("the field path is empty; name a field such as text or meta.body")]
    Empty,
    /// Two dots in a row, or a dot at the start or the end.
    #[error("the field path {0:?} has an empty key; separate keys by single dots, as in meta.body")]
    EmptyKey(String),
}

impl FieldPath {
    /// Parses a dotted path: keys separated by single dots.
    pub fn parse(path: &str) -> Result<FieldPath, FieldPathError> {
        if path.is_empty() {
            return Err(FieldPathError::Empty);
        }
        let keys: Vec<String> = path.split('.').map(str::to_string).collect();
        if keys.iter().any(String::is_empty) {
            return Err(FieldPathError::EmptyKey(path.to_string()));
        }
        Ok(FieldPath { keys })
    }

    /// The keys, outermost first.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }
}

impl FromStr for FieldPath {
    type Err = FieldPathError;

    fn from_str(path: &str) -> Result<FieldPath, FieldPathError> {
        FieldPath::parse(path)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.keys.join("."))
    }
}

/// The kind of a JSON value, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl JsonKind {
    /// The kind of a valid JSON value, from its first byte.
    fn of(json: &str) -> JsonKind {
        match json.trim_start_matches(JSON_WHITESPACE).as_bytes().first() {
            Some(b'"') => JsonKind::String,
            Some(b'{') => JsonKind::Object,
            Some(b'[') => JsonKind::Array,
            Some(b't' | b'f') => JsonKind::Bool,
            Some(b'n') => JsonKind::Null,
            _ => JsonKind::Number,
        }
    }
}

impl fmt::Display for JsonKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JsonKind::Null => "null",
            JsonKind::Bool => "a boolean",
            JsonKind::Number => "a number",
            JsonKind::String => "a string",
            JsonKind::Array => "an array",
            JsonKind::Object => "an object",
        })
    }
}

/// What [`clean_record`] did with a record that it could read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordOutcome {
    /// The field's text changed: the whole new record, without a line
    /// ending (a `\r` that ended the input is kept).
    Changed(String),
    /// The cleaning function left the text as it was; the record stands.
    Unchanged,
    /// The record has no such field (or a key on the way to it holds
    /// something other than an object); the record stands.
    MissingField,
    /// The field holds something other than a string; the record stands.
    NotAString(JsonKind),
    /// The line is empty or white space only; it stands.
    Blank,
}

/// A record that cannot be cleaned; it is passed through unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// Not valid JSON.
    #[error("malformed json at column {column}: {message}")]
    Malformed {
        /// 1-based byte column where the parser gave up.
        column: usize,
        /// What the parser expected or found.
        message: String,
    },
    /// Valid JSON, but not an object.
    #[error("the record is {0}, not a json object")]
    NotAnObject(JsonKind),
    /// A key on the path to the field appears more than once.
    #[error("the key {0} appears more than once, so which one to clean is ambiguous")]
    DuplicateKey(String),
    /// The line is not UTF-8 text.
    #[error("the record is not valid utf-8 (invalid byte at column {column})")]
    InvalidUtf8 {
        /// 1-based byte column of the first invalid byte.
        column: usize,
    },
}

impl RecordError {
    /// A parse error in a slice that starts `offset` bytes into the record.
    fn malformed(error: &serde_json::Error, offset: usize) -> RecordError {
        let text = error.to_string();
        // serde_json appends " at line L column C"; the column is kept apart.
        let message = match text.rfind(" at line ") {
            Some(end) => text[..end].to_string(),
            None => text,
        };
        RecordError::Malformed {
            column: offset + error.column(),
            message,
        }
    }
}

/// JSON's white space (RFC 8259), which is all that may surround a record.
const JSON_WHITESPACE: &[char] = &[' ', '\t', '\n', '\r'];

/// Cleans the string at `field` in one JSON Lines record.
///
/// `line` is one record, without its `\n`; a trailing `\r` is allowed and
/// kept. `clean` receives the unescaped text of the field and returns the
/// new text, or `None` when it has nothing to change; returning the same
/// text also counts as no change. Only when the text changed is the record
/// rebuilt: the value's bytes are replaced by the new text as a JSON string
/// (escaped by serde_json: quotes, backslashes and control characters are
/// escaped, everything else is written as UTF-8), and all other bytes are
/// copied.
///
/// `clean` is not called when the field is missing or not a string.
pub fn clean_record(
    line: &str,
    field: &FieldPath,
    clean: impl FnOnce(&str) -> Option<String>,
) -> Result<RecordOutcome, RecordError> {
    if line.trim_matches(JSON_WHITESPACE).is_empty() {
        return Ok(RecordOutcome::Blank);
    }
    let raw = match find_value(line, field)? {
        Found::Value(raw) => raw,
        Found::Missing => return Ok(RecordOutcome::MissingField),
    };
    let json = raw.get();
    match JsonKind::of(json) {
        JsonKind::String => {}
        kind => return Ok(RecordOutcome::NotAString(kind)),
    }
    // `json` is a slice of `line`: its place there is the span to replace.
    let start = json.as_ptr() as usize - line.as_ptr() as usize;
    let end = start + json.len();
    debug_assert_eq!(line.get(start..end), Some(json));
    // Fails only for an escaped lone surrogate (`"\ud800"`), which no Rust
    // string can hold; elsewhere in the record those are merely copied.
    let text: String = serde_json::from_str(json).map_err(|e| RecordError::malformed(&e, start))?;
    let cleaned = match clean(&text) {
        Some(cleaned) if cleaned != text => cleaned,
        _ => return Ok(RecordOutcome::Unchanged),
    };
    let escaped = serde_json::to_string(&cleaned).expect("a string always serializes");
    let mut record = String::with_capacity(line.len() - json.len() + escaped.len());
    record.push_str(&line[..start]);
    record.push_str(&escaped);
    record.push_str(&line[end..]);
    Ok(RecordOutcome::Changed(record))
}

enum Found<'a> {
    /// The value at the path, borrowed from the record.
    Value(&'a RawValue),
    Missing,
}

/// Walks `field` down from the top-level object of `line`, one level of
/// objects at a time. Only the top level is parsed in full (which checks
/// the whole record); deeper levels re-read just the value they are in.
fn find_value<'a>(line: &'a str, field: &FieldPath) -> Result<Found<'a>, RecordError> {
    let mut current = line;
    let mut value = None;
    for (depth, key) in field.keys().iter().enumerate() {
        let mut deserializer = serde_json::Deserializer::from_str(current);
        let level = LookUp { key }
            .deserialize(&mut deserializer)
            .and_then(|level| deserializer.end().map(|()| level));
        // Deeper levels are valid JSON already: only the top one can fail.
        let level = level.map_err(|e| RecordError::malformed(&e, 0))?;
        current = match level {
            Level::Found(raw) => {
                value = Some(raw);
                raw.get()
            }
            Level::Absent => return Ok(Found::Missing),
            Level::Duplicate => {
                return Err(RecordError::DuplicateKey(field.keys()[..=depth].join(".")));
            }
            Level::NotAnObject(kind) if depth == 0 => return Err(RecordError::NotAnObject(kind)),
            Level::NotAnObject(_) => return Ok(Found::Missing),
        };
    }
    // A field path has at least one key, so the loop has found a value.
    Ok(value.map_or(Found::Missing, Found::Value))
}

/// What one level of the path holds for its key.
enum Level<'a> {
    Found(&'a RawValue),
    Absent,
    Duplicate,
    NotAnObject(JsonKind),
}

/// Reads one JSON value and, when it is an object, picks out the value of
/// `key` without allocating for any other key or value.
struct LookUp<'k> {
    key: &'k str,
}

impl<'de> DeserializeSeed<'de> for LookUp<'_> {
    type Value = Level<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Level<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for LookUp<'_> {
    type Value = Level<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a json value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Level<'de>, A::Error> {
        let mut found = None;
        let mut duplicate = false;
        while let Some(is_key) = map.next_key_seed(KeyIs(self.key))? {
            if is_key {
                let raw: &'de RawValue = map.next_value()?;
                duplicate |= found.is_some();
                found = found.or(Some(raw));
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(match found {
            _ if duplicate => Level::Duplicate,
            Some(raw) => Level::Found(raw),
            None => Level::Absent,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Level<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Level::NotAnObject(JsonKind::Array))
    }

    fn visit_str<E>(self, _: &str) -> Result<Level<'de>, E> {
        Ok(Level::NotAnObject(JsonKind::String))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Level<'de>, E> {
        Ok(Level::NotAnObject(JsonKind::Bool))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Level<'de>, E> {
        Ok(Level::NotAnObject(JsonKind::Number))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Level<'de>, E> {
        Ok(Level::NotAnObject(JsonKind::Number))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Level<'de>, E> {
        Ok(Level::NotAnObject(JsonKind::Number))
    }

    fn visit_unit<E>(self) -> Result<Level<'de>, E> {
        Ok(Level::NotAnObject(JsonKind::Null))
    }
}

/// Reads an object key and tells whether it is the wanted one; escaped keys
/// (`"t\u0065xt"`) are compared after unescaping.
struct KeyIs<'k>(&'k str);

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E>(self, key: &str) -> Result<bool, E> {
        Ok(key == self.0)
    }
}

/// A record that was passed through without cleaning, as reported by
/// [`clean_line`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordIssue {
    /// The record has no such field.
    #[error("no field {field} in the record")]
    MissingField {
        /// The field path, dotted.
        field: String,
    },
    /// The field is not a string.
    #[error("the field {field} is {found}, not a string")]
    NotAString {
        /// The field path, dotted.
        field: String,
        /// What the field holds.
        found: JsonKind,
    },
    /// The record could not be read.
    #[error(transparent)]
    Invalid(#[from] RecordError),
    /// The record is larger than a document may be; it was not read.
    #[error("the record is {bytes} bytes, more than the {limit} bytes a document may have")]
    TooLarge {
        /// Its size in bytes.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
}

impl RecordIssue {
    /// True for a record that is broken ([`RecordIssue::Invalid`]), false
    /// for one that merely has nothing to clean.
    pub fn is_error(&self) -> bool {
        matches!(self, RecordIssue::Invalid(_) | RecordIssue::TooLarge { .. })
    }
}

const UTF8_BOM: &str = "\u{feff}";

/// What became of one line of a JSON Lines input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineOutcome {
    /// The field was cleaned: the whole new line, ending included.
    Changed(Vec<u8>),
    /// The record had nothing to clean.
    Unchanged,
    /// A blank line.
    Blank,
    /// The record was passed through as it was, for this reason.
    Issue(RecordIssue),
}

/// Cleans `field` in one line of a JSON Lines input: `raw` holds the line
/// with its ending (`\n`, `\r\n` or none); a UTF-8 byte order mark is
/// allowed on the first line (`first`). Unless the outcome is
/// [`LineOutcome::Changed`], the line is to be written as it was.
pub fn clean_line(
    raw: &[u8],
    first: bool,
    field: &FieldPath,
    clean: impl FnOnce(&str) -> Option<String>,
) -> LineOutcome {
    let (content, ending) = match raw.strip_suffix(b"\n") {
        Some(content) => (content, &b"\n"[..]),
        None => (raw, &b""[..]),
    };
    let mut record = match std::str::from_utf8(content) {
        Ok(record) => record,
        Err(e) => {
            return LineOutcome::Issue(
                RecordError::InvalidUtf8 {
                    column: e.valid_up_to() + 1,
                }
                .into(),
            );
        }
    };
    let mut bom = "";
    if first && let Some(rest) = record.strip_prefix(UTF8_BOM) {
        bom = UTF8_BOM;
        record = rest;
    }
    match clean_record(record, field, clean) {
        Ok(RecordOutcome::Changed(cleaned)) => {
            let mut line = Vec::with_capacity(bom.len() + cleaned.len() + ending.len());
            line.extend_from_slice(bom.as_bytes());
            line.extend_from_slice(cleaned.as_bytes());
            line.extend_from_slice(ending);
            LineOutcome::Changed(line)
        }
        Ok(RecordOutcome::Unchanged) => LineOutcome::Unchanged,
        Ok(RecordOutcome::Blank) => LineOutcome::Blank,
        Ok(RecordOutcome::MissingField) => LineOutcome::Issue(RecordIssue::MissingField {
            field: field.to_string(),
        }),
        Ok(RecordOutcome::NotAString(found)) => LineOutcome::Issue(RecordIssue::NotAString {
            field: field.to_string(),
            found,
        }),
        Err(error) => LineOutcome::Issue(RecordIssue::Invalid(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> FieldPath {
        FieldPath::parse(text).unwrap()
    }

    /// A cleaning function that drops every line containing "Subscribe".
    fn drop_subscribe(text: &str) -> Option<String> {
        if !text.contains("Subscribe") {
            return None;
        }
        Some(
            text.split_inclusive('\n')
                .filter(|l| !l.contains("Subscribe"))
                .collect(),
        )
    }

    fn replace_with(new: &'static str) -> impl FnOnce(&str) -> Option<String> {
        move |_| Some(new.to_string())
    }

    #[test]
    fn field_paths() {
        assert_eq!(path("text").keys(), ["text"]);
        assert_eq!(path("meta.body").keys(), ["meta", "body"]);
        assert_eq!(path("a.b.c").to_string(), "a.b.c");
        assert_eq!("a.b".parse::<FieldPath>().unwrap(), path("a.b"));
        assert_eq!(FieldPath::parse(""), Err(FieldPathError::Empty));
        for bad in [".", "a.", ".a", "a..b"] {
            assert_eq!(
                FieldPath::parse(bad),
                Err(FieldPathError::EmptyKey(bad.to_string()))
            );
        }
        assert_eq!(
            FieldPath::parse("a..b").unwrap_err().to_string(),
            "the field path \"a..b\" has an empty key; separate keys by single dots, as in meta.body"
        );
    }

    #[test]
    fn changed_records_keep_every_other_byte() {
        // (field, record, expected record)
        let cases = [
            (
                "text",
                r#"{"id":1,"text":"Keep me\nSubscribe now\n","score":1.50}"#,
                r#"{"id":1,"text":"Keep me\n","score":1.50}"#,
            ),
            (
                "text",
                r#"{ "title" : "Caf\u00e9" ,  "text"	:  "Body\nSubscribe" , "n" : 1e3, "big": 12345678901234567890123 }"#,
                r#"{ "title" : "Caf\u00e9" ,  "text"	:  "Body\n" , "n" : 1e3, "big": 12345678901234567890123 }"#,
            ),
            (
                "meta.body",
                r#"{"text":"Subscribe","meta":{"lang":"fr","body":"Bonjour\nSubscribe\n","n":-0.0},"z":[1,2.0]}"#,
                r#"{"text":"Subscribe","meta":{"lang":"fr","body":"Bonjour\n","n":-0.0},"z":[1,2.0]}"#,
            ),
            (
                "a.b.c",
                r#"{"a":{"x":{"c":"Subscribe"},"b":{"c":"Line\nSubscribe"}}}"#,
                r#"{"a":{"x":{"c":"Subscribe"},"b":{"c":"Line\n"}}}"#,
            ),
            // Key order is whatever it was, the field last or first.
            (
                "text",
                r#"{"text":"A\nSubscribe","b":2,"a":1}"#,
                r#"{"text":"A\n","b":2,"a":1}"#,
            ),
            (
                "text",
                r#"{"z":0,"a":1,"text":"A\nSubscribe"}"#,
                r#"{"z":0,"a":1,"text":"A\n"}"#,
            ),
            // The field's own escapes are rewritten; \u00e9 becomes é.
            (
                "text",
                r#"{"text":"Caf\u00e9 \/ ok\nSubscribe"}"#,
                r#"{"text":"Café / ok\n"}"#,
            ),
            // A trailing \r (CRLF input) and outer white space stay.
            (
                "text",
                "  {\"text\":\"A\\nSubscribe\"} \r",
                "  {\"text\":\"A\\n\"} \r",
            ),
            // An escaped key still names the field.
            (
                "text",
                r#"{"t\u0065xt":"A\nSubscribe"}"#,
                r#"{"t\u0065xt":"A\n"}"#,
            ),
            // The same key elsewhere in the tree does not count as a duplicate.
            (
                "text",
                r#"{"m":{"text":1},"text":"A\nSubscribe"}"#,
                r#"{"m":{"text":1},"text":"A\n"}"#,
            ),
            // Duplicates of other keys are kept.
            (
                "text",
                r#"{"id":1,"id":2,"text":"A\nSubscribe"}"#,
                r#"{"id":1,"id":2,"text":"A\n"}"#,
            ),
        ];
        for (field, record, expected) in cases {
            match clean_record(record, &path(field), drop_subscribe) {
                Ok(RecordOutcome::Changed(cleaned)) => assert_eq!(cleaned, expected, "{record}"),
                other => panic!("{record}: {other:?}"),
            }
        }
    }

    #[test]
    fn new_text_is_escaped_correctly() {
        let cases = [
            ("say \"hi\"", r#"{"a":1,"text":"say \"hi\""}"#),
            ("back\\slash", r#"{"a":1,"text":"back\\slash"}"#),
            (
                "two\nlines\r\n\ttab",
                r#"{"a":1,"text":"two\nlines\r\n\ttab"}"#,
            ),
            (
                "bell\u{7}nul\u{0}",
                r#"{"a":1,"text":"bell\u0007nul\u0000"}"#,
            ),
            (
                "naïve café – 日本語 🎉",
                r#"{"a":1,"text":"naïve café – 日本語 🎉"}"#,
            ),
            ("", r#"{"a":1,"text":""}"#),
        ];
        for (new, expected) in cases {
            let outcome =
                clean_record(r#"{"a":1,"text":"old"}"#, &path("text"), replace_with(new)).unwrap();
            let RecordOutcome::Changed(record) = outcome else {
                panic!("{new:?}: {outcome:?}")
            };
            assert_eq!(record, expected);
            // And it reads back as the new text.
            let value: serde_json::Value = serde_json::from_str(&record).unwrap();
            assert_eq!(value["text"], new);
        }
    }

    #[test]
    fn the_cleaner_sees_unescaped_text() {
        let mut seen = String::new();
        let record = r#"{"text":"Caf\u00e9 \"q\"\n\ud83c\udf89"}"#;
        let outcome = clean_record(record, &path("text"), |text| {
            seen = text.to_string();
            None
        });
        assert_eq!(outcome, Ok(RecordOutcome::Unchanged));
        assert_eq!(seen, "Café \"q\"\n🎉");
    }

    #[test]
    fn unchanged_records_are_not_rebuilt() {
        let record = r#"{"text":"Caf\u00e9","n":1.50}"#;
        assert_eq!(
            clean_record(record, &path("text"), |_| None),
            Ok(RecordOutcome::Unchanged)
        );
        // Returning the same text is no change either: the escapes stay.
        assert_eq!(
            clean_record(record, &path("text"), |t| Some(t.to_string())),
            Ok(RecordOutcome::Unchanged)
        );
    }

    #[test]
    fn records_without_a_string_field() {
        let never = |_: &str| -> Option<String> { panic!("the cleaner must not be called") };
        let cases = [
            ("text", r#"{"title":"x"}"#, RecordOutcome::MissingField),
            ("text", r#"{}"#, RecordOutcome::MissingField),
            (
                "text",
                r#"{"Text":"case matters"}"#,
                RecordOutcome::MissingField,
            ),
            (
                "meta.body",
                r#"{"meta":{"title":"x"}}"#,
                RecordOutcome::MissingField,
            ),
            ("meta.body", r#"{"body":"x"}"#, RecordOutcome::MissingField),
            (
                "meta.body",
                r#"{"meta":"a string"}"#,
                RecordOutcome::MissingField,
            ),
            (
                "meta.body",
                r#"{"meta":["body"]}"#,
                RecordOutcome::MissingField,
            ),
            ("meta.body", r#"{"meta":null}"#, RecordOutcome::MissingField),
            (
                "text",
                r#"{"text":null}"#,
                RecordOutcome::NotAString(JsonKind::Null),
            ),
            (
                "text",
                r#"{"text":12}"#,
                RecordOutcome::NotAString(JsonKind::Number),
            ),
            (
                "text",
                r#"{"text":-1.5e3}"#,
                RecordOutcome::NotAString(JsonKind::Number),
            ),
            (
                "text",
                r#"{"text":false}"#,
                RecordOutcome::NotAString(JsonKind::Bool),
            ),
            (
                "text",
                r#"{"text":["a"]}"#,
                RecordOutcome::NotAString(JsonKind::Array),
            ),
            (
                "text",
                r#"{"text":{"a":"b"}}"#,
                RecordOutcome::NotAString(JsonKind::Object),
            ),
            (
                "meta",
                r#"{"meta":{"body":"x"}}"#,
                RecordOutcome::NotAString(JsonKind::Object),
            ),
            ("text", "", RecordOutcome::Blank),
            ("text", "  \t\r", RecordOutcome::Blank),
        ];
        for (field, record, expected) in cases {
            assert_eq!(
                clean_record(record, &path(field), never),
                Ok(expected),
                "{record}"
            );
        }
    }

    #[test]
    fn records_that_cannot_be_cleaned() {
        let never = |_: &str| -> Option<String> { panic!("the cleaner must not be called") };
        let cases = [
            (
                "text",
                r#"{"text":"a""#,
                "malformed json at column 11: EOF while parsing an object",
            ),
            (
                "text",
                r#"{"text":"a",}"#,
                "malformed json at column 13: trailing comma",
            ),
            (
                "text",
                r#"{"text":"a"} {"#,
                "malformed json at column 14: trailing characters",
            ),
            (
                "text",
                r#"{"text":"a\q"}"#,
                "malformed json at column 12: invalid escape",
            ),
            // Errors elsewhere in the record count too, before or after the field.
            (
                "text",
                r#"{"text":"a","n":01}"#,
                "malformed json at column 18: invalid number",
            ),
            (
                "meta.body",
                r#"{"meta":{"body":"a"},"x":tru}"#,
                "malformed json at column 29: expected ident",
            ),
            (
                "text",
                "\u{a0}{\"text\":\"a\"}",
                "malformed json at column 1: expected value",
            ),
            (
                "text",
                r#"["text","a"]"#,
                "the record is an array, not a json object",
            ),
            (
                "text",
                r#""text""#,
                "the record is a string, not a json object",
            ),
            ("text", "42", "the record is a number, not a json object"),
            ("text", "null", "the record is null, not a json object"),
            ("text", "true", "the record is a boolean, not a json object"),
            (
                "text",
                r#"{"n":1, "text":"ok\udc00"}"#,
                "malformed json at column 24: lone leading surrogate in hex escape",
            ),
            (
                "text",
                r#"{"text":"a","text":"b"}"#,
                "the key text appears more than once, so which one to clean is ambiguous",
            ),
            (
                "text",
                r#"{"text":"a","te\u0078t":"b"}"#,
                "the key text appears more than once, so which one to clean is ambiguous",
            ),
            (
                "meta.body",
                r#"{"meta":{"body":"a"},"meta":{"body":"b"}}"#,
                "the key meta appears more than once, so which one to clean is ambiguous",
            ),
            (
                "meta.body",
                r#"{"meta":{"body":"a","body":"b"}}"#,
                "the key meta.body appears more than once, so which one to clean is ambiguous",
            ),
        ];
        for (field, record, message) in cases {
            let error = clean_record(record, &path(field), never).expect_err(record);
            assert_eq!(error.to_string(), message, "{record}");
        }
        let error = clean_record(r#"{"text":"a""#, &path("text"), never).unwrap_err();
        assert!(
            matches!(error, RecordError::Malformed { column: 11, .. }),
            "{error:?}"
        );
    }

    /// Counts of what [`run`] did, by line.
    #[derive(Debug, Default, PartialEq, Eq)]
    struct StreamSummary {
        lines: u64,
        changed: u64,
        unchanged: u64,
        blank: u64,
        issues: u64,
    }

    /// Feeds `input` line by line through [`clean_line`], as a caller's
    /// stream loop does.
    fn run(input: &[u8], field: &str) -> (Vec<u8>, StreamSummary, Vec<(u64, String)>) {
        let mut out = Vec::new();
        let mut issues = Vec::new();
        let mut summary = StreamSummary::default();
        let field = path(field);
        for (i, line) in input.split_inclusive(|&b| b == b'\n').enumerate() {
            let number = i as u64 + 1;
            summary.lines = number;
            match clean_line(line, number == 1, &field, drop_subscribe) {
                LineOutcome::Changed(cleaned) => {
                    summary.changed += 1;
                    out.extend_from_slice(&cleaned);
                }
                LineOutcome::Unchanged => {
                    summary.unchanged += 1;
                    out.extend_from_slice(line);
                }
                LineOutcome::Blank => {
                    summary.blank += 1;
                    out.extend_from_slice(line);
                }
                LineOutcome::Issue(issue) => {
                    summary.issues += 1;
                    out.extend_from_slice(line);
                    issues.push((number, issue.to_string()));
                }
            }
        }
        (out, summary, issues)
    }

    #[test]
    fn streams_records_and_reports_issues() {
        let input = concat!(
            "{\"text\":\"Keep\\nSubscribe\"}\n",
            "{\"text\":\"Nothing to do\"}\n",
            "\n",
            "{\"title\":\"no text\"}\n",
            "{\"text\":\"Keep\\nSubscribe\"\n",
            "{\"text\":7}\n",
            "[1,2]\n",
            "{\"text\":\"Keep\\nSubscribe\",\"n\":1.50}",
        );
        let (out, summary, issues) = run(input.as_bytes(), "text");
        let expected = concat!(
            "{\"text\":\"Keep\\n\"}\n",
            "{\"text\":\"Nothing to do\"}\n",
            "\n",
            "{\"title\":\"no text\"}\n",
            "{\"text\":\"Keep\\nSubscribe\"\n",
            "{\"text\":7}\n",
            "[1,2]\n",
            "{\"text\":\"Keep\\n\",\"n\":1.50}",
        );
        assert_eq!(String::from_utf8(out).unwrap(), expected);
        assert_eq!(
            issues,
            [
                (4, "no field text in the record".to_string()),
                (
                    5,
                    "malformed json at column 25: EOF while parsing an object".to_string()
                ),
                (6, "the field text is a number, not a string".to_string()),
                (7, "the record is an array, not a json object".to_string()),
            ]
        );
        assert_eq!(
            summary,
            StreamSummary {
                lines: 8,
                changed: 2,
                unchanged: 1,
                blank: 1,
                issues: 4
            }
        );
    }

    #[test]
    fn keeps_line_endings_and_byte_order_mark() {
        let input = "\u{feff}{\"text\":\"A\\nSubscribe\"}\r\n{\"text\":\"B\"}\r\n\r\n{\"text\":\"C\\nSubscribe\"}\r\n";
        let (out, summary, issues) = run(input.as_bytes(), "text");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\u{feff}{\"text\":\"A\\n\"}\r\n{\"text\":\"B\"}\r\n\r\n{\"text\":\"C\\n\"}\r\n"
        );
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(
            summary,
            StreamSummary {
                lines: 4,
                changed: 2,
                unchanged: 1,
                blank: 1,
                issues: 0
            }
        );

        // A byte order mark anywhere but at the start is just a bad record.
        let (out, _, issues) = run("{}\n\u{feff}{}\n".as_bytes(), "text");
        assert_eq!(out, "{}\n\u{feff}{}\n".as_bytes());
        assert_eq!(
            issues[1],
            (2, "malformed json at column 1: expected value".to_string())
        );
    }

    #[test]
    fn invalid_utf8_passes_through_byte_for_byte() {
        let input =
            b"{\"text\":\"A\\nSubscribe\"}\n{\"text\":\"caf\xe9\"}\n{\"text\":\"B\\nSubscribe\"}\n";
        let (out, summary, issues) = run(input, "text");
        assert_eq!(
            out,
            b"{\"text\":\"A\\n\"}\n{\"text\":\"caf\xe9\"}\n{\"text\":\"B\\n\"}\n"
        );
        assert_eq!(
            issues,
            [(
                2,
                "the record is not valid utf-8 (invalid byte at column 13)".to_string()
            )]
        );
        assert_eq!(summary.changed, 2);
        assert_eq!(summary.issues, 1);
    }

    #[test]
    fn empty_input_writes_nothing() {
        let (out, summary, issues) = run(b"", "text");
        assert!(out.is_empty());
        assert!(issues.is_empty());
        assert_eq!(summary, StreamSummary::default());
    }
}
