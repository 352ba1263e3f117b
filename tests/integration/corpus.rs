//! Quality on the labeled corpora in `../shared/corpus`: recall over all
//! categories but `other`, precision, and not one content line lost.

use std::io::BufReader;

use scrubtext::{RuleSet, Stripper, eval};

fn score(name: &str) -> Option<eval::Report> {
    let path = crate::shared::path(&format!("corpus/{name}"))?;
    let file = std::fs::File::open(&path).unwrap();
    let stripper = Stripper::new(RuleSet::builtin());
    Some(eval::evaluate(&stripper, BufReader::new(file), name).unwrap_or_else(|e| panic!("{e}")))
}

fn assert_targets(report: &eval::Report, min_recall: f64) {
    let mut rendered = Vec::new();
    report.render(&mut rendered, 20).unwrap();
    let rendered = String::from_utf8(rendered).unwrap();
    assert_eq!(report.content_lost(), 0, "content lines lost\n{rendered}");
    assert!(
        report.precision() >= 0.99,
        "precision {:.3} < 0.99\n{rendered}",
        report.precision()
    );
    assert!(
        report.overall_recall() >= min_recall,
        "recall {:.3} < {min_recall}\n{rendered}",
        report.overall_recall()
    );
}

#[test]
fn dev_corpus_meets_the_quality_targets() {
    let Some(report) = score("dev.jsonl") else {
        return;
    };
    assert_targets(&report, 0.90);
}

#[test]
fn dev2_corpus_meets_the_quality_targets() {
    let Some(report) = score("dev2.jsonl") else {
        return;
    };
    assert_targets(&report, 0.85);
}
