//! The seed article: the Moscow Times appeal block goes, nothing else does,
//! whatever encoding the article arrives in.

use scrubtext::{RuleSet, Stripper, decode};

fn seed() -> Option<(String, String)> {
    let input =
        std::fs::read_to_string(crate::shared::path("seed/moscow-times-xi-zelensky.txt")?).unwrap();
    let expected = std::fs::read_to_string(crate::shared::path(
        "seed/moscow-times-xi-zelensky.expected.txt",
    )?)
    .unwrap();
    Some((input, expected))
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

#[test]
fn seed_in_every_encoding_gives_the_expected_text() {
    let Some((input, expected)) = seed() else {
        return;
    };
    let (windows_1252, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&input);
    assert!(!unmappable, "the seed is representable in windows-1252");
    let encodings: [(&str, Vec<u8>); 3] = [
        ("utf-8", input.clone().into_bytes()),
        ("windows-1252", windows_1252.into_owned()),
        ("utf-16le+bom", utf16le_with_bom(&input)),
    ];
    let stripper = Stripper::new(RuleSet::builtin());
    for (name, bytes) in encodings {
        let decoded = decode::decode(&bytes, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(decoded.text, input, "{name}: decoding");
        let outcome = stripper.strip(&decoded.text);
        assert_eq!(outcome.text, expected, "{name}: cleaned text");
        let lines: Vec<usize> = outcome.removals.iter().map(|r| r.line).collect();
        assert_eq!(
            lines,
            (28..=35).collect::<Vec<_>>(),
            "{name}: removed lines"
        );
        assert!(
            outcome
                .removals
                .iter()
                .all(|r| r.category == scrubtext::Category::Appeal),
            "{name}: categories"
        );
    }
}

#[test]
fn seed_stripped_twice_is_unchanged() {
    let Some((_, expected)) = seed() else { return };
    let stripper = Stripper::new(RuleSet::builtin());
    let outcome = stripper.strip(&expected);
    assert!(outcome.removals.is_empty(), "found {:?}", outcome.removals);
    assert_eq!(outcome.text, expected);
}
