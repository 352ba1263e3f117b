//! The built-in rule files: they parse, ids are unique, every rule carries
//! examples and its examples hold; malformed files give errors that name
//! the file, the line and what was expected.

use std::collections::HashSet;

use scrubtext::Stripper;
use scrubtext::rules::{BUILTIN_FILES, Category, RuleKind, RuleSet};

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
        for phrase in rule.phrases.iter().chain(rule.close()) {
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
    assert_eq!(rules.rules()[1].kind.as_str(), "block");
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
            "is blank",
        ),
        (
            "category = \"appeal\"\n[[rule]]\nid = \"A1\"\nkind = \"line\"\nphrases = [\"x\"]\nclose = [\"y\"]\n",
            "bad.toml:4:8:",
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
            "bad.toml:6:9: rule C1: invalid `regex`",
            "unclosed",
        ),
        (
            "category = \"credit\"\n[[rule]]\nid = \"C1\"\nkind = \"line\"\nphrases = [\"x\"]\ngrow = \"none\"\n",
            "bad.toml:4:8:",
            "block",
        ),
        (
            "category = \"credit\"\n[[rule]]\nid = \"C1\"\nkind = \"line\"\nphrases = [\"x\"]\nexact = true\n",
            "bad.toml:4:8:",
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

/// Every built-in guard objects, with the built-in rules, to a removal in
/// each of its `match` texts and in none of its `no_match` texts.
#[test]
fn every_guard_has_examples_and_they_hold() {
    let stripper = Stripper::new(RuleSet::builtin());
    let guards = stripper.guards().guards();
    assert!(guards.len() >= 7, "built-in guards: {}", guards.len());
    let failures: Vec<String> = stripper
        .guards()
        .check_examples(&stripper)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A guard file whose example does not hold is refused, naming the file,
/// the guard's line and the example.
#[test]
fn a_guard_file_with_a_failing_example_is_an_error() {
    use scrubtext::GuardSet;
    let source = "[[guard]]\nid = \"MY-QUOTED\"\nkind = \"quoted\"\nmatch = [\"Advertisement\"]\nno_match = [\"Body.\"]\n";
    let guards = GuardSet::parse("mine.toml", source).unwrap();
    let stripper = Stripper::with_guards(RuleSet::builtin(), guards);
    let failures = stripper.guards().check_examples(&stripper);
    assert_eq!(failures.len(), 1, "{failures:?}");
    let message = failures[0].to_string();
    assert!(
        message.starts_with("mine.toml:1:1: guard MY-QUOTED: does not object"),
        "{message}"
    );
    assert!(message.contains("Advertisement"), "{message}");
}

#[test]
fn malformed_guard_files_name_file_line_and_guard() {
    use scrubtext::GuardSet;
    let cases: &[(&str, &str)] = &[
        (
            "[[guard]]\nid = \"G1\"\nkind = \"quoted\"\nmin_words = 3\n",
            "guards.toml:3:8: guard G1: this kind of guard does not use `min_words`",
        ),
        (
            "[[guard]]\nid = \"G1\"\nkind = \"sentence_between\"\n",
            "guards.toml:3:8: guard G1: this kind of guard needs `min_words`",
        ),
        (
            "[[guard]]\nid = \"G1\"\nkind = \"code\"\nmarkers = []\nregex = '('\n",
            "guards.toml:5:9: guard G1: invalid `regex`",
        ),
        (
            "[[guard]]\nid = \"G1\"\nkind = \"quoted\"\n[[guard]]\nid = \"G2\"\nkind = \"quoted\"\n",
            "guards.toml:6:8: guard G2: a guard of kind quoted is already defined",
        ),
        (
            "[[guard]]\nid = \"G1\"\nkind = \"sideways\"\n",
            "guards.toml:3:8: unknown variant `sideways`",
        ),
    ];
    for (source, want) in cases {
        let error = GuardSet::parse("guards.toml", source)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(want),
            "{error:?} should start with {want:?}"
        );
    }
}

#[test]
fn options_of_another_kind_are_refused() {
    let cases: &[(&str, &str)] = &[
        (
            "category = \"widget\"\n[[rule]]\nid = \"W1\"\nkind = \"line\"\nphrases = [\"x\"]\nclose = [\"y\"]\n",
            "rule W1: `close` belongs to kind = \"block\" only, not to kind = \"line\"",
        ),
        (
            "category = \"widget\"\n[[rule]]\nid = \"W1\"\nkind = \"block\"\nphrases = [\"x\"]\nexact = true\n",
            "rule W1: `exact` belongs to kind = \"cue\" only, not to kind = \"block\"",
        ),
        (
            "category = \"widget\"\n[[rule]]\nid = \"W1\"\nkind = \"prefix\"\nphrases = [\"x\"]\nnext_to = [\"appeal\"]\n",
            "rule W1: `next_to` belongs to kind = \"cue\" only",
        ),
        (
            "category = \"widget\"\n[[rule]]\nid = \"W1\"\nkind = \"prefix\"\nphrases = [\"x\"]\nunless_regex = '('\n",
            "rule W1: invalid `unless_regex`",
        ),
        (
            "category = \"widget\"\n[[rule]]\nid = \"W1\"\nkind = \"prefix\"\nphrases = [\"x\"]\nunless = [\" \"]\n",
            "rule W1: phrase 1 of `unless` is blank",
        ),
    ];
    for (source, want) in cases {
        let error = RuleSet::empty()
            .add_toml("r.toml", source)
            .unwrap_err()
            .to_string();
        assert!(error.contains(want), "{error:?} should hold {want:?}");
        assert!(error.starts_with("r.toml:"), "{error:?} names the file");
    }
}

/// `unless`, `next_to` and `tail` on a cue each change what a rule does.
#[test]
fn unless_next_to_and_tail_options_work() {
    let mut rules = RuleSet::empty();
    rules
        .add_toml(
            "r.toml",
            r#"
[[rule]]
id = "NWS900"
category = "newsletter"
kind = "prefix"
phrases = ["sign up for our newsletter"]
unless = ["the mayor"]
[[rule]]
id = "APL900"
category = "appeal"
kind = "line"
phrases = ["please donate"]
[[rule]]
id = "WGT900"
category = "widget"
kind = "cue"
phrases = ["no thanks"]
next_to = ["appeal"]
[[rule]]
id = "WGT901"
category = "widget"
kind = "line"
phrases = ["advertisement"]
[[rule]]
id = "WGT902"
category = "widget"
kind = "cue"
phrases = ["share"]
tail = true
"#,
        )
        .unwrap();
    let stripper = Stripper::new(rules);
    let kept = |text: &str| stripper.strip(text).text.into_owned();
    assert_eq!(kept("Body.\nSign up for our newsletter\n"), "Body.\n");
    assert_eq!(
        kept("Body.\nSign up for our newsletter, says the mayor\n"),
        "Body.\nSign up for our newsletter, says the mayor\n"
    );
    assert_eq!(kept("Body.\nPlease donate\nNo thanks\n"), "Body.\n");
    assert_eq!(
        kept("Body.\nAdvertisement\nNo thanks\n"),
        "Body.\nNo thanks\n"
    );
    let body: String = (1..=10).map(|i| format!("Paragraph {i}.\n")).collect();
    let early = format!("Advertisement\nShare\n{body}");
    assert_eq!(kept(&early), format!("Share\n{body}"), "not in the tail");
    let late = format!("{body}Advertisement\nShare\n");
    assert_eq!(kept(&late), body, "in the tail");
}

/// Every phrase of the built-in rules, written into an article the way
/// reporting does — quoted, as what someone wrote, and, for calls to action
/// (appeal, newsletter and cookie phrases), as one sentence of a paragraph
/// of plain reporting, and as a headline that names it, in sentence or
/// title case — leaves the
/// article's lines whole. Rules are data:
/// a phrase added later is held to this too.
#[test]
fn every_phrase_mentioned_in_an_article_leaves_it_whole() {
    let rules = RuleSet::builtin();
    let stripper = Stripper::new(rules.clone());
    let before = "The council met on Tuesday evening to discuss the budget for the coming year, \
                  and members argued for hours about the cost of the new bridge across the river, \
                  which engineers say is needed within a decade.";
    let after = "Residents who attended said they were worried about the rising cost of living in \
                 the town and asked the council to delay the vote until after the summer recess.";
    let related: HashSet<String> = rules
        .rules()
        .iter()
        .filter(|r| r.category == Category::Related)
        .flat_map(|r| r.phrases.iter().map(|p| p.trim().to_lowercase()))
        .collect();
    let mut failures = Vec::new();
    let mut tried = 0;
    for rule in rules.rules() {
        for phrase in &rule.phrases {
            let phrase = phrase.trim();
            let mut capital = phrase.chars();
            let capitalised: String = capital
                .next()
                .map(|c| c.to_uppercase().chain(capital).collect())
                .unwrap_or_default();
            let mut forms = vec![
                format!(
                    "The banner on the site, which read \"{phrase}\", was criticised by readers as \
                     intrusive and was taken down on Friday."
                ),
                format!(
                    "\u{201c}{capitalised},\u{201d} the editor wrote in a note to staff on Monday, \
                     adding that the change would take effect next month."
                ),
            ];
            let sentence = capitalised.trim_end_matches(['.', '!', '?', ':', ',']);
            if rule.category.calls_to_action() {
                forms.push(format!("{before} {sentence}. {after}"));
            }
            // A headline that names the phrase (a related-story label with a
            // headline after it is one; a © or a label's colon marks the
            // line as a notice).
            if rule.category != Category::Related
                && !related.contains(&phrase.to_lowercase())
                && !phrase.contains(['©', ':'])
            {
                forms.push(format!("{sentence}, the slogan that divided the town"));
                forms.push(format!("{sentence}? Most readers never notice it"));
                // The same in title case, as many publishers write headlines.
                let title: Vec<String> = sentence
                    .split(' ')
                    .map(|word| {
                        let mut chars = word.chars();
                        chars
                            .next()
                            .map(|c| c.to_uppercase().chain(chars).collect())
                            .unwrap_or_default()
                    })
                    .collect();
                forms.push(format!("{}? Most Readers Never Notice It", title.join(" ")));
                // A one-word label that opens a line may be the noun a
                // headline starts with, running straight on in lowercase.
                let one_word = sentence.chars().all(char::is_alphabetic);
                if one_word && rule.kind == RuleKind::Prefix && !rule.category.calls_to_action() {
                    forms.push(format!("{sentence} ban comes into force"));
                }
            }
            for form in forms {
                tried += 1;
                let text = format!(
                    "Council delays vote\n\n{before}\n\n{form}\n\nThe vote is expected in September, \
                     officials said, after a public consultation.\n"
                );
                let out = stripper.strip(&text);
                if !out.text.contains(&form) {
                    failures.push(format!("{} {:?}: {form}", rule.id, phrase));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {tried} mentions lost a line:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}

/// Chinese and Japanese run their words together, so guards that count
/// words and look for the word after a phrase read them apart: every
/// phrase of the built-in rules written in those scripts, set inside a
/// sentence of reporting or a quotation (「…」), leaves the article whole;
/// a site's own notice in those words still goes.
#[test]
fn every_chinese_or_japanese_phrase_mentioned_in_an_article_leaves_it_whole() {
    let rules = RuleSet::builtin();
    let stripper = Stripper::new(rules.clone());
    let paragraph = "個人情報保護委員会は十五日、大手通販サイトの運営会社に対して行政指導を行ったと発表した。\
                     委員会によると、同社は利用者の同意を十分に得ないまま閲覧履歴を広告会社に提供していたという。";
    let unspaced = |c: char| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}');
    let mut failures = Vec::new();
    let mut tried = 0;
    for rule in rules.rules() {
        for phrase in rule.phrases.iter().filter(|p| p.chars().any(unspaced)) {
            for form in [
                format!(
                    "同社は{phrase}をめぐる問題について説明し、利用者からの問い合わせに個別に応じると発表した。"
                ),
                format!("専門家は「{phrase}という表示だけでは説明が不十分だ」と指摘している。"),
                format!("关于{phrase}的争议持续了数月，法院将于下周就此案作出最终裁决。"),
            ] {
                tried += 1;
                let text = format!("行政指導\n\n{paragraph}\n\n{form}\n\n{paragraph}\n");
                if !stripper.strip(&text).text.contains(&form) {
                    failures.push(format!("{} {phrase:?}: {form}", rule.id));
                }
            }
        }
    }
    assert!(tried > 60, "only {tried} mentions written");
    assert!(
        failures.is_empty(),
        "{} of {tried} mentions lost a line:\n{}",
        failures.len(),
        failures.join("\n")
    );
    for notice in [
        "当サイトではクッキーを使用しています。",
        "当社のウェブサイトでは、お客様の利便性向上およびサービス改善のためにクッキーを使用しています。",
    ] {
        let text = format!("行政指導\n\n{paragraph}\n\n{notice}\n");
        assert!(!stripper.strip(&text).text.contains(notice), "{notice}");
    }
}
