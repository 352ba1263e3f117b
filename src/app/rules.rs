//! `scrubtext rules`: the rules in force, listed for people or programs, and
//! `--test`, which checks the `match` and `no_match` examples that each
//! rule carries (also run by `--strict` when `--patterns` loads a file).

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;

use super::{RunError, Status, load_rules};
use crate::cli::{Format, RuleArgs};
use scrubtext::Stripper;
use scrubtext::rules::{Rule, RuleError, RuleSet};

/// Shows one rule in full.
pub(super) fn show(
    id: &str,
    args: &RuleArgs,
    format: Format,
    out: &mut dyn Write,
) -> Result<Status, RunError> {
    let rules = load_rules(args)?;
    let Some(rule) = rules.rules().iter().find(|r| r.id.eq_ignore_ascii_case(id)) else {
        return Err(RunError::Fatal(format!(
            "no rule {id:?} in force (`scrubtext rules` lists them)"
        )));
    };
    if format == Format::Json {
        let json =
            serde_json::to_string_pretty(rule).map_err(|e| RunError::Fatal(e.to_string()))?;
        writeln!(out, "{json}")?;
        return Ok(Status::Clean);
    }
    let list = |items: &[String]| {
        items
            .iter()
            .map(|p| format!("{p:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(
        out,
        "{} ({}, {})",
        rule.id,
        rule.category,
        rule.kind.as_str()
    )?;
    writeln!(out, "  {}", rule.description)?;
    writeln!(out, "  defined at {}", rule.origin)?;
    writeln!(out, "  phrases: {}", list(&rule.phrases))?;
    match &rule.kind {
        scrubtext::rules::RuleKind::Block(block) => {
            if !block.close.is_empty() {
                writeln!(out, "  close: {}", list(&block.close))?;
            }
            writeln!(
                out,
                "  open: {:?}, grow: {:?}, max_lines: {}, min_lines: {}",
                block.open, block.grow, block.max_lines, block.min_lines
            )?;
        }
        scrubtext::rules::RuleKind::Cue(cue) => {
            let next_to: Vec<&str> = cue.next_to.iter().map(|c| c.as_str()).collect();
            writeln!(
                out,
                "  exact: {}, next_to: [{}]",
                cue.exact,
                next_to.join(", ")
            )?;
        }
        _ => {}
    }
    writeln!(
        out,
        "  max_chars: {}, tail: {}, head: {}, above_article: {}, closes_teaser: {}",
        rule.max_chars, rule.tail, rule.head, rule.above_article, rule.closes_teaser
    )?;
    if let Some(regex) = &rule.regex {
        writeln!(out, "  regex: {}", regex.as_str())?;
    }
    if !rule.unless.is_empty() {
        writeln!(out, "  unless: {}", list(&rule.unless.phrases))?;
        if let Some(regex) = &rule.unless.regex {
            writeln!(out, "  unless_regex: {}", regex.as_str())?;
        }
    }
    writeln!(out, "  match: {}", list(&rule.examples_match))?;
    writeln!(out, "  no_match: {}", list(&rule.examples_no_match))?;
    Ok(Status::Clean)
}

/// Lists the rules in force, sorted by id, or checks their examples.
pub(super) fn run(
    paths: &[PathBuf],
    test: bool,
    args: &RuleArgs,
    format: Format,
    out: &mut dyn Write,
) -> Result<Status, RunError> {
    if test {
        return test_examples(paths, args, out);
    }
    let rules = load_rules(args)?;
    let mut sorted: Vec<&Rule> = rules.rules().iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    for rule in sorted {
        match format {
            Format::Json => writeln!(
                out,
                "{}",
                serde_json::to_string(rule).map_err(|e| RunError::Fatal(e.to_string()))?
            )?,
            Format::Text => {
                let tail: String = [
                    (rule.tail, " tail"),
                    (rule.head, " head"),
                    (rule.above_article, " above-article"),
                ]
                .into_iter()
                .filter_map(|(on, word)| on.then_some(word))
                .collect();
                writeln!(
                    out,
                    "{:<8} {:<10} {:<8}{tail} {}",
                    rule.id,
                    rule.category.as_str(),
                    rule.kind.as_str(),
                    rule.description
                )?;
                let quoted = |phrases: &[String]| {
                    phrases
                        .iter()
                        .map(|p| format!("{p:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let close = if rule.close().is_empty() {
                    String::new()
                } else {
                    format!("; close: {}", quoted(rule.close()))
                };
                writeln!(out, "{:9}phrases: {}{close}", "", quoted(&rule.phrases))?;
            }
        }
    }
    Ok(Status::Clean)
}

/// One example of a rule that does not hold, as `origin: ID …`.
pub(super) fn example_failures<'r>(
    stripper: &Stripper,
    rules: impl IntoIterator<Item = &'r Rule>,
) -> (usize, Vec<String>) {
    let mut checked = 0;
    let mut failures = Vec::new();
    for rule in rules {
        let id = rule.id.as_str();
        for example in &rule.examples_match {
            checked += 1;
            if !stripper.rules_firing_on_line(example).contains(&id) {
                failures.push(format!(
                    "{}: {id} does not fire on its `match` example {example:?}",
                    rule.origin
                ));
            }
        }
        for example in &rule.examples_no_match {
            checked += 1;
            if stripper.rules_firing_on_line(example).contains(&id) {
                failures.push(format!(
                    "{}: {id} fires on its `no_match` example {example:?}",
                    rule.origin
                ));
            }
        }
    }
    (checked, failures)
}

/// The ids of the rules in the files at `paths`.
pub(super) fn ids_in(paths: &[PathBuf]) -> Result<HashSet<String>, RuleError> {
    let mut own = RuleSet::empty();
    for path in paths {
        own.add_path(path)?;
    }
    Ok(own.rules().iter().map(|r| r.id.clone()).collect())
}

/// `rules --test`: the examples of the rules of `paths` (loaded beside the
/// rules in force), or of every rule in force.
fn test_examples(
    paths: &[PathBuf],
    args: &RuleArgs,
    out: &mut dyn Write,
) -> Result<Status, RunError> {
    let mut args = args.clone();
    let tested = if paths.is_empty() {
        None
    } else {
        let ids = ids_in(paths).map_err(super::SetupError::from)?;
        args.patterns.extend(paths.iter().cloned());
        Some(ids)
    };
    // Checked here, once, with every failure named.
    args.strict = false;
    let rules = load_rules(&args)?;
    let stripper = Stripper::new(rules.clone());
    let chosen: Vec<&Rule> = rules
        .rules()
        .iter()
        .filter(|r| tested.as_ref().is_none_or(|ids| ids.contains(&r.id)))
        .collect();
    let (checked, failures) = example_failures(&stripper, chosen.iter().copied());
    for failure in &failures {
        writeln!(out, "{failure}")?;
    }
    let rules_noun = if chosen.len() == 1 { "rule" } else { "rules" };
    let examples_noun = if checked == 1 { "example" } else { "examples" };
    writeln!(
        out,
        "{checked} {examples_noun} of {} {rules_noun} checked: {} failed",
        chosen.len(),
        failures.len()
    )?;
    Ok(if failures.is_empty() {
        Status::Clean
    } else {
        Status::Found
    })
}
