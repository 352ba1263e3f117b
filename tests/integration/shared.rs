//! Access to `../shared` (the seed article and the labeled corpora), which
//! stays outside the repository. Tests that need it skip when it is absent,
//! unless `SCRUBTEXT_REQUIRE_SHARED=1` (set by CI) makes it mandatory.

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
    eprintln!("skipped: {} is absent", path.display());
    None
}
