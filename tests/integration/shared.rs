//! Access to `../shared` (the seed article and the labeled corpora), which
//! stays outside the repository. Tests that need it skip when it is absent,
//! unless `SCRUBTEXT_REQUIRE_SHARED=1` (set by CI) makes it mandatory.

use std::io::Write;
use std::path::PathBuf;

/// The path of a file under `../shared`, or `None` (after a note) when the
/// folder is absent and not required.
pub fn path(relative: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(relative);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("SCRUBTEXT_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!(
            "{} is required (SCRUBTEXT_REQUIRE_SHARED=1) but absent",
            path.display()
        );
    }
    // Written past the test harness, which would show an `eprintln!` only
    // for a failing test: a test that passes without checking anything
    // must say so.
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {} is absent (SCRUBTEXT_REQUIRE_SHARED=1 makes this an error)",
        path.display()
    );
    None
}
