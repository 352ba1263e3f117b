//! Text normalisation for matching: Unicode lowercase, one kind of quote,
//! apostrophe and dash, and single spaces; a markdown link ("[Our
//! work](https://…)") reads as its text. Rule phrases and article lines go
//! through the same function, so a phrase written plainly in a rule file
//! matches its typographic variants in scraped text.

use std::borrow::Cow;
use std::ops::Range;

/// Appends the normalised form of `line` to `out`.
///
/// `line` must not contain a line break. When `map` is given, one entry is
/// pushed for every byte written to `out`: the byte offset in `line` of the
/// character it came from, so a match in normalised text can be traced back.
pub fn normalize_into(line: &str, out: &mut String, mut map: Option<&mut Vec<usize>>) {
    let mut last_space = false;
    let mut from = 0;
    for link in markdown_links(line) {
        normalize_part(
            line,
            from..link.start,
            out,
            map.as_deref_mut(),
            &mut last_space,
        );
        normalize_part(line, link.text, out, map.as_deref_mut(), &mut last_space);
        from = link.end;
    }
    normalize_part(line, from..line.len(), out, map, &mut last_space);
}

/// A markdown link or image in a line: where it starts and ends, and where
/// the text it shows is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MarkdownLink {
    /// The `[` (or the `!` of an image).
    pub start: usize,
    /// Inside the brackets.
    pub text: Range<usize>,
    /// After the `)`.
    pub end: usize,
}

/// The markdown links and images of a line (`[text](target)`,
/// `![alt](source)`) whose text is not empty, holds no bracket, and whose
/// target holds no space and, for a link, looks like an address (a
/// scheme, `#`, `www.`, `mailto:` or a `/`): not code's `a[i](x)` nor a
/// list's "[1](see above)".
pub(crate) fn markdown_links(line: &str) -> impl Iterator<Item = MarkdownLink> + '_ {
    let bytes = line.as_bytes();
    let mut at = 0;
    // A link's text holds no `]`: its `[` is after the `]` before it. So
    // each byte is read back at most once, and the line in linear time.
    let mut after_bracket = 0;
    std::iter::from_fn(move || {
        while let Some(found) = memchr::memchr(b']', &bytes[at..]) {
            let close = at + found;
            let search_from = after_bracket;
            at = close + 1;
            after_bracket = at;
            if bytes.get(close + 1) != Some(&b'(') {
                continue;
            }
            let Some(open) = bytes[search_from..close]
                .iter()
                .rposition(|&b| b == b'[')
                .map(|i| search_from + i)
            else {
                continue;
            };
            if open + 1 == close {
                continue;
            }
            let target_start = close + 2;
            let Some(length) = bytes[target_start..]
                .iter()
                .position(|&b| matches!(b, b')' | b'[' | b']') || b.is_ascii_whitespace())
            else {
                continue;
            };
            let target_end = target_start + length;
            let image = open > 0 && bytes[open - 1] == b'!';
            let target = &line[target_start..target_end];
            if bytes[target_end] != b')' || !(is_address(target) || image && !target.is_empty()) {
                continue;
            }
            at = target_end + 1;
            after_bracket = at;
            let start = if image { open - 1 } else { open };
            return Some(MarkdownLink {
                start,
                text: open + 1..close,
                end: target_end + 1,
            });
        }
        None
    })
}

fn is_address(target: &str) -> bool {
    [
        "http://", "https://", "/", "#", "www.", "mailto:", "./", "../",
    ]
    .iter()
    .any(|p| target.starts_with(p))
        || target.contains('/')
}

/// The line as it shows on the page: its markdown links and images as
/// their text, case and spacing kept.
pub fn shown_text(line: &str) -> Cow<'_, str> {
    let mut links = markdown_links(line).peekable();
    if links.peek().is_none() {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut from = 0;
    for link in links {
        out.push_str(&line[from..link.start]);
        out.push_str(&line[link.text]);
        from = link.end;
    }
    out.push_str(&line[from..]);
    Cow::Owned(out)
}

/// Appends the normalised form of `line[part]`, after text that ended in a
/// space when `last_space`.
fn normalize_part(
    line: &str,
    part: Range<usize>,
    out: &mut String,
    mut map: Option<&mut Vec<usize>>,
    last_space: &mut bool,
) {
    let bytes = &line.as_bytes()[..part.end];
    let mut offset = part.start;
    while offset < bytes.len() {
        // Fast path: a run of printable ASCII (single spaces included) is
        // copied at once and lowercased in place.
        let run = plain_ascii_run(&bytes[offset..], *last_space);
        if run > 0 {
            let start = out.len();
            out.push_str(&line[offset..offset + run]);
            // SAFETY: only ASCII bytes were appended, and ASCII lowercase
            // keeps them ASCII, so the string stays valid UTF-8.
            unsafe { out.as_bytes_mut()[start..].make_ascii_lowercase() };
            if let Some(map) = map.as_deref_mut() {
                map.extend(offset..offset + run);
            }
            *last_space = bytes[offset + run - 1] == b' ';
            offset += run;
            continue;
        }
        let before = out.len();
        let b = bytes[offset];
        let width;
        if b < 0x80 {
            width = 1;
            if b == b' ' || b == b'\t' || b == b'\r' || b == b'\x0b' || b == b'\x0c' {
                if !*last_space {
                    out.push(' ');
                    *last_space = true;
                }
            } else {
                out.push(b.to_ascii_lowercase() as char);
                *last_space = false;
            }
        } else {
            let c = line[offset..].chars().next().unwrap_or('\u{fffd}');
            width = c.len_utf8();
            match fold(c) {
                Folded::Space => {
                    if !*last_space {
                        out.push(' ');
                        *last_space = true;
                    }
                }
                Folded::Drop => {}
                Folded::Str(s) => {
                    out.push_str(s);
                    *last_space = false;
                }
                Folded::Char(f) => {
                    out.push(f);
                    *last_space = false;
                }
                Folded::Lower => {
                    out.extend(c.to_lowercase());
                    *last_space = false;
                }
            }
        }
        if let Some(map) = map.as_deref_mut() {
            map.extend(std::iter::repeat_n(offset, out.len() - before));
        }
        offset += width;
    }
}

/// Length of the run at the start of `bytes` that normalises to itself
/// lowercased: printable ASCII, with no space after a space.
fn plain_ascii_run(bytes: &[u8], mut last_space: bool) -> usize {
    let mut length = 0;
    for &b in bytes {
        let space = b == b' ';
        if !(0x20..0x7f).contains(&b) || (space && last_space) {
            break;
        }
        last_space = space;
        length += 1;
    }
    length
}

/// The normalised form of `text`, line breaks kept as they are.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        normalize_into(line, &mut out, None);
    }
    out
}

enum Folded {
    Space,
    Drop,
    Char(char),
    Str(&'static str),
    Lower,
}

fn fold(c: char) -> Folded {
    match c {
        '\u{a0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200a}'
        | '\u{202f}'
        | '\u{205f}'
        | '\u{3000}'
        | '\u{85}'
        | '\u{2028}'
        | '\u{2029}' => Folded::Space,
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => Folded::Drop,
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{b4}' | '\u{60}'
        | '\u{2bc}' => Folded::Char('\''),
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ab}' | '\u{bb}' => {
            Folded::Char('"')
        }
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' => {
            Folded::Char('-')
        }
        '\u{2026}' => Folded::Str("..."),
        _ => Folded::Lower,
    }
}

/// Scripts written without spaces between words: no word boundary there.
pub(crate) fn is_unspaced_script(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}')
}

/// A character that belongs to a word, for phrase boundaries.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_unspaced_script(c)
}

/// A phrase that starts (ends) with a word character must not start (end)
/// inside a word of `line`, where it was found at `start..end`.
pub fn at_word_boundaries(line: &str, start: usize, end: usize, phrase: &str) -> bool {
    let first = phrase.chars().next().is_some_and(is_word_char);
    let last = phrase.chars().next_back().is_some_and(is_word_char);
    if first && line[..start].chars().next_back().is_some_and(is_word_char) {
        return false;
    }
    if last && line[end..].chars().next().is_some_and(is_word_char) {
        return false;
    }
    true
}

/// Does the normalised `line` hold the normalised `phrase` at word
/// boundaries?
pub fn contains_phrase(line: &str, phrase: &str) -> bool {
    !phrase.is_empty()
        && line
            .match_indices(phrase)
            .any(|(at, _)| at_word_boundaries(line, at, at + phrase.len(), phrase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_quotes_dashes_and_spaces() {
        let cases = [
            ("Remind Me Later.", "remind me later."),
            ("Don\u{2019}t  miss\u{a0}out", "don't miss out"),
            ("\u{201c}Quoted\u{201d} \u{2014} dash", "\"quoted\" - dash"),
            ("ПОДДЕРЖИТЕ НАС", "поддержите нас"),
            ("ÉDITION Spéciale", "édition spéciale"),
            ("Continue reading\u{2026}", "continue reading..."),
            ("soft\u{ad}hyphen\u{200b}", "softhyphen"),
            ("\t\ttabs  and   runs ", " tabs and runs "),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input), want, "input {input:?}");
        }
    }

    #[test]
    fn markdown_links_read_as_their_text() {
        let cases = [
            (
                "[Our work](https://river.test/work) · [Get muddy](/volunteer)",
                "our work · get muddy",
            ),
            (
                "![Photo: Jo Bell](img/1.jpg) The weir",
                "photo: jo bell the weir",
            ),
            ("See [the report](#sources).", "see the report."),
            // Not links: code, an empty text, a target with a space or
            // that is no address, brackets inside the text.
            ("let b = a[i](x);", "let b = a[i](x);"),
            ("[](https://x.test)", "[](https://x.test)"),
            ("[1](see above)", "[1](see above)"),
            ("[[1]](https://x.test)", "[[1]](https://x.test)"),
            ("[a](https://x.test", "[a](https://x.test"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input), want, "input {input:?}");
        }
        assert_eq!(
            shown_text("Mehr: [Die Seite](https://x.test) | [Hilfe](/h)"),
            "Mehr: Die Seite | Hilfe"
        );
        let line = "A [Bc](/x) d";
        let mut out = String::new();
        let mut map = Vec::new();
        normalize_into(line, &mut out, Some(&mut map));
        assert_eq!(out, "a bc d");
        assert_eq!(map, vec![0, 1, 3, 4, 10, 11]);
    }

    #[test]
    fn map_points_back_to_source_characters() {
        let line = "A\u{2019}b  \u{2026}C";
        let mut out = String::new();
        let mut map = Vec::new();
        normalize_into(line, &mut out, Some(&mut map));
        assert_eq!(out, "a'b ...c");
        assert_eq!(map.len(), out.len());
        assert_eq!(map, vec![0, 1, 4, 5, 7, 7, 7, 10]);
    }
}
