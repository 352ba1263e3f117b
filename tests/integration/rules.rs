//! The built-in rule files: they parse, ids are unique, every rule carries
//! examples and its examples hold; malformed files give errors that name
//! the file, the line and what was expected.

use std::collections::HashSet;

use scrubtext::rules::{BUILTIN_FILES, RuleSet};
use scrubtext::{RuleKind, Stripper};

#[test]
fn every_builtin_file_parses_on_its_own() {
    for (name, text) in BUILTIN_FILES {
        let mut set = RuleSet::empty();
        set.add_toml(name, text).unwrap_or_else(|e| panic!("{e}"));
        assert!(!set.is_empty(), "{name} holds no rule");
    }
}

#[test]
fn builtin_ids_are_unique_and_prefixed_by_category() {
    let rules = RuleSet::builtin();
    let mut seen = HashSet::new();
    for rule in rules.rules() {
        assert!(seen.insert(rule.id.clone()), "duplicate id {}", rule.id);
        let prefix = match rule.category {
            scrubtext::Category::Appeal => "APL",
            scrubtext::Category::Newsletter => "NWS",
            scrubtext::Category::Widget => "WGT",
            scrubtext::Category::Footer => "FTR",
            scrubtext::Category::Related => "REL",
            scrubtext::Category::Credit => "CRD",
            scrubtext::Category::Cookie => "CKE",
        };
        assert!(
            rule.id.starts_with(prefix),
            "{} ({}) should start with {prefix}",
            rule.id,
            rule.origin
        );
    }
}

#[test]
fn no_phrase_is_listed_twice_in_a_rule() {
    for rule in RuleSet::builtin().rules() {
        let mut seen = HashSet::new();
        for phrase in rule.phrases.iter().chain(&rule.close) {
            let normalized = scrubtext::normalize::normalize(phrase).trim().to_string();
            assert!(
                seen.insert(normalized),
                "{}: phrase {phrase:?} listed twice ({})",
                rule.id,
                rule.origin
            );
        }
    }
}

#[test]
fn every_rule_has_examples_and_they_hold() {
    let rules = RuleSet::builtin();
    let stripper = Stripper::new(rules.clone());
    let mut failures = Vec::new();
    for rule in rules.rules() {
        if rule.examples_match.is_empty() || rule.examples_no_match.is_empty() {
            failures.push(format!(
                "{} ({}): needs `match` and `no_match` examples",
                rule.id, rule.origin
            ));
        }
        for example in &rule.examples_match {
            if !stripper
                .rules_firing_on_line(example)
                .contains(&rule.id.as_str())
            {
                failures.push(format!(
                    "{} ({}): does not fire on {example:?}",
                    rule.id, rule.origin
                ));
            }
        }
        for example in &rule.examples_no_match {
            if stripper
                .rules_firing_on_line(example)
                .contains(&rule.id.as_str())
            {
                failures.push(format!(
                    "{} ({}): fires on {example:?}",
                    rule.id, rule.origin
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} example failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn cue_and_block_rules_are_checked_at_the_phrase() {
    let mut rules = RuleSet::empty();
    rules
        .add_toml(
            "cues.toml",
            r#"
category = "widget"
[[rule]]
id = "WGT900"
kind = "cue"
phrases = ["facebook"]
[[rule]]
id = "WGT901"
kind = "block"
phrases = ["share this:"]
close = ["end of share"]
"#,
        )
        .unwrap();
    let stripper = Stripper::new(rules.clone());
    assert_eq!(stripper.rules_firing_on_line("Facebook"), ["WGT900"]);
    assert_eq!(
        stripper.rules_firing_on_line("Share this: Facebook"),
        ["WGT901", "WGT900"]
    );
    assert!(
        stripper
            .rules_firing_on_line("He shared this: nothing")
            .is_empty()
    );
    assert_eq!(rules.rules()[1].kind, RuleKind::Block);
}

#[test]
fn malformed_rule_files_name_file_line_and_expectation() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "category = \"appeal\"\n[[rule]]\nid = \"A1\"\nkind = \"line\"\nphrases = [\"x\"\n",
            "bad.toml:5:",
            "",
        ),
        (
            "category = \"nonsense\"\n",
            "bad.toml:1:12: unknown category \"nonsense\"",
            "appeal",
        ),
        (
            "category = \"appeal\"\n\n[[rule]]\nid = \"A1\"\nkind = \"sideways\"\nphrases = [\"x\"]\n",
            "bad.toml:5:",
            "sideways",
        ),
        (
            "category = \"appeal\"\n[[rule]]\nid = \"A1\"\nkind = \"line\"\n",
            "bad.toml:2:",
            "phrases",
        ),
        (
            "category = \"appeal\"\n[[rule]]\nid = \"A1\"\nkind = \"line\"\nphrases = [\"x\"]\n[[rule]]\nid = \"A1\"\nkind = \"line\"\nphrases = [\"y\"]\n",
            "bad.toml:7:6: duplicate rule id A1",
            "",
        ),
        (
            "category = \"appeal\"\n[[rule]]\nid = \"A1\"\nkind = \"line\"\nphrases = [\"  \"]\n",
            "bad.toml:2:",
            "non-empty phrase",
        ),
        (
            "category = \"appeal\"\n[[rule]]\nid = \"A1\"\nkind = \"line\"\nphrases = [\"x\"]\nclose = [\"y\"]\n",
            "bad.toml:2:",
            "block",
        ),
        (
            "category = \"appeal\"\n[[rule]]\nid = \"A1\"\nkind = \"line\"\nphrases = [\"x\"]\ncolour = 3\n",
            "bad.toml:6:",
            "colour",
        ),
        (
            "[[rule]]\nid = \"A1\"\nkind = \"line\"\nphrases = [\"x\"]\n",
            "bad.toml:1:",
            "no category",
        ),
        (
            "category = \"appeal\"\n[[rule]]\nid = \"A 1\"\nkind = \"line\"\nphrases = [\"x\"]\n",
            "bad.toml:3:6:",
            "expected an id",
        ),
    ];
    let regex_cases: &[(&str, &str, &str)] = &[
        (
            "category = \"credit\"\n[[rule]]\nid = \"C1\"\nkind = \"contains\"\nphrases = [\"x\"]\nregex = \"(unclosed\"\n",
            "bad.toml:6:9: rule C1: invalid regex",
            "unclosed",
        ),
        (
            "category = \"credit\"\n[[rule]]\nid = \"C1\"\nkind = \"block\"\nphrases = [\"x\"]\nregex = \"x\"\n",
            "bad.toml:6:9:",
            "block",
        ),
        (
            "category = \"credit\"\n[[rule]]\nid = \"C1\"\nkind = \"line\"\nphrases = [\"x\"]\ngrow = \"none\"\n",
            "bad.toml:2:",
            "block",
        ),
        (
            "category = \"credit\"\n[[rule]]\nid = \"C1\"\nkind = \"line\"\nphrases = [\"x\"]\nexact = true\n",
            "bad.toml:2:",
            "cue",
        ),
    ];
    for (source, prefix, mention) in cases.iter().chain(regex_cases) {
        let error = RuleSet::empty()
            .add_toml("bad.toml", source)
            .expect_err(source)
            .to_string();
        assert!(
            error.starts_with(prefix),
            "{error:?} should start with {prefix:?}"
        );
        assert!(
            error.contains(mention),
            "{error:?} should mention {mention:?}"
        );
    }
}
