//! What the CLI and batch tests share: the sample article of the README
//! (`tests/fixtures/sample-article.txt`) as they expect it to be cleaned,
//! and checks on a finished run.

use std::process::Output;

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

/// Standard error of a run, as text.
pub fn stderr_text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Fails with both streams shown unless the exit code is `code`.
pub fn assert_code(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "exit status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        stderr_text(output)
    );
}
