//! Which inputs a run cleans: paths from the command line or from a file
//! list, folders walked recursively with include and exclude globs, and
//! standard input.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;

/// One input of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file, named on the command line or found in a folder.
    File {
        /// The file.
        path: PathBuf,
        /// The folder it was found in (for `--out-dir`, which mirrors the
        /// tree below it); for a file named directly, its own parent.
        root: Arc<Path>,
        /// Found by walking a folder: a binary file is then skipped with a
        /// note rather than reported as an error.
        walked: bool,
    },
}

impl Input {
    /// The name used in reports: the path, or `<stdin>`.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File { path, .. } => path.display().to_string(),
        }
    }
}

/// The inputs found, with notes and errors met while finding them.
#[derive(Debug, Default)]
pub struct Collected {
    /// The inputs, in command-line order, each folder's files sorted by path.
    pub inputs: Vec<Input>,
    /// Hidden files and folders skipped while walking.
    pub hidden_skipped: usize,
    /// Problems, as `(path, message)`: a missing path, an unreadable folder.
    pub errors: Vec<(String, String)>,
}

/// Collects inputs from `paths` (`-` is standard input; no path at all means
/// standard input) and from the lines of `file_list`, walking folders.
pub fn collect(
    paths: &[PathBuf],
    file_list: Option<&mut dyn BufRead>,
    globs: &[String],
) -> Collected {
    let mut collected = Collected::default();
    let mut all: Vec<PathBuf> = paths.to_vec();
    if let Some(list) = file_list {
        for line in list.lines() {
            match line {
                Ok(line) if !line.trim().is_empty() => {
                    all.push(PathBuf::from(line.trim_end_matches('\r')))
                }
                Ok(_) => {}
                Err(e) => collected
                    .errors
                    .push(("--file-list".to_string(), crate::output::describe_io(&e))),
            }
        }
    } else if all.is_empty() {
        all.push(PathBuf::from("-"));
    }
    for path in all {
        if path == Path::new("-") {
            collected.inputs.push(Input::Stdin);
        } else if path.is_dir() {
            walk(&path, globs, &mut collected);
        } else {
            let root: Arc<Path> = Arc::from(path.parent().unwrap_or(Path::new("")));
            collected.inputs.push(Input::File {
                path,
                root,
                walked: false,
            });
        }
    }
    collected
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

fn walk(root: &Path, globs: &[String], collected: &mut Collected) {
    let mut overrides = OverrideBuilder::new(root);
    for glob in globs {
        if let Err(e) = overrides.add(glob) {
            collected
                .errors
                .push(("--glob".to_string(), format!("invalid glob {glob:?}: {e}")));
            return;
        }
    }
    let overrides = match overrides.build() {
        Ok(overrides) => overrides,
        Err(e) => {
            collected.errors.push(("--glob".to_string(), e.to_string()));
            return;
        }
    };
    let hidden = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&hidden);
    // One shared copy of the root for every file found below it.
    let shared_root: Arc<Path> = Arc::from(root);
    let walker = WalkBuilder::new(root)
        .standard_filters(false)
        .overrides(overrides)
        .sort_by_file_path(|a, b| a.cmp(b))
        .filter_entry(move |entry| {
            let skip = entry.depth() > 0 && is_hidden(entry.path());
            if skip {
                counter.fetch_add(1, Ordering::Relaxed);
            }
            !skip
        })
        .build();
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                collected.inputs.push(Input::File {
                    path: entry.into_path(),
                    root: Arc::clone(&shared_root),
                    walked: true,
                })
            }
            Ok(_) => {}
            Err(e) => {
                let path = match &e {
                    ignore::Error::WithPath { path, .. } => path.display().to_string(),
                    _ => root.display().to_string(),
                };
                collected.errors.push((path, e.to_string().to_lowercase()));
            }
        }
    }
    collected.hidden_skipped += hidden.load(Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in [
            ("a.txt", "a"),
            ("sub/b.txt", "b"),
            ("sub/c.md", "c"),
            (".hidden.txt", "h"),
            (".git/config", "g"),
            ("sub/deeper/d.txt", "d"),
        ] {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn names(collected: &Collected, root: &Path) -> Vec<String> {
        collected
            .inputs
            .iter()
            .map(|i| match i {
                Input::Stdin => "-".to_string(),
                Input::File { path, .. } => path
                    .strip_prefix(root)
                    .unwrap_or(path)
                    .display()
                    .to_string(),
            })
            .collect()
    }

    #[test]
    fn folders_are_walked_in_order_without_hidden_entries() {
        let dir = tree();
        let collected = collect(&[dir.path().to_path_buf()], None, &[]);
        assert_eq!(
            names(&collected, dir.path()),
            ["a.txt", "sub/b.txt", "sub/c.md", "sub/deeper/d.txt"]
        );
        assert_eq!(collected.hidden_skipped, 2);
        assert!(collected.errors.is_empty());
    }

    #[test]
    fn globs_include_and_exclude() {
        let dir = tree();
        let collected = collect(
            &[dir.path().to_path_buf()],
            None,
            &["*.txt".to_string(), "!**/deeper/**".to_string()],
        );
        assert_eq!(names(&collected, dir.path()), ["a.txt", "sub/b.txt"]);
        let bad = collect(&[dir.path().to_path_buf()], None, &["a{".to_string()]);
        assert_eq!(bad.errors.len(), 1, "{:?}", bad.errors);
    }

    #[test]
    fn file_list_and_stdin() {
        let dir = tree();
        let list = format!(
            "{}\n\n{}\r\n",
            dir.path().join("a.txt").display(),
            dir.path().join("sub").display()
        );
        let mut reader = std::io::Cursor::new(list);
        let collected = collect(&[], Some(&mut reader), &[]);
        assert_eq!(
            names(&collected, dir.path()),
            ["a.txt", "sub/b.txt", "sub/c.md", "sub/deeper/d.txt"]
        );
        assert_eq!(collect(&[], None, &[]).inputs, [Input::Stdin]);
        assert_eq!(
            collect(&[PathBuf::from("-")], None, &[]).inputs,
            [Input::Stdin]
        );
    }

    #[test]
    fn a_missing_file_is_kept_for_the_reader_to_report() {
        let collected = collect(&[PathBuf::from("/no/such/file.txt")], None, &[]);
        assert_eq!(collected.inputs.len(), 1);
    }
}
