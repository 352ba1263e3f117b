//! The sample article of the README (`tests/fixtures/sample-article.txt`),
//! as the CLI and batch tests expect it to be cleaned.

/// The removed lines of the sample (1-based) and their categories.
pub const SAMPLE_REMOVALS: &[(usize, &str)] = &[
    (2, "widget"),
    (8, "related"),
    (11, "credit"),
    (15, "appeal"),
    (16, "appeal"),
    (17, "appeal"),
    (18, "appeal"),
    (19, "appeal"),
    (20, "footer"),
    (21, "footer"),
];
