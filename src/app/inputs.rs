//! Which inputs a run cleans: paths from the command line or from a file
//! list, folders walked recursively with include and exclude globs, and
//! standard input. An input named twice (or found twice) is cleaned once.

use std::collections::HashSet;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

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
    /// The name used in messages and JSON reports: the path, or `<stdin>`.
    /// Bytes of the path that are not UTF-8 are written `\xHH`, so that the
    /// name stays a string and the bytes can still be told apart.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File { path, .. } => escape_bytes(&path_bytes(path)),
        }
    }

    /// The name used in text output: the path's very bytes, or `<stdin>`.
    pub fn raw_name(&self) -> Vec<u8> {
        match self {
            Input::Stdin => b"<stdin>".to_vec(),
            Input::File { path, .. } => path_bytes(path).into_owned(),
        }
    }
}

/// The bytes of a path as the system holds them.
#[cfg(unix)]
pub fn path_bytes(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    use std::os::unix::ffi::OsStrExt;
    std::borrow::Cow::Borrowed(path.as_os_str().as_bytes())
}

/// The bytes of a path (other systems: UTF-8, with U+FFFD for what is not
/// Unicode).
#[cfg(not(unix))]
pub fn path_bytes(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    match path.to_string_lossy() {
        std::borrow::Cow::Borrowed(text) => std::borrow::Cow::Borrowed(text.as_bytes()),
        std::borrow::Cow::Owned(text) => std::borrow::Cow::Owned(text.into_bytes()),
    }
}

/// `bytes` as text: UTF-8 as it is, every other byte as `\xHH`.
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        for byte in chunk.invalid() {
            text.push_str(&format!("\\x{byte:02x}"));
        }
    }
    text
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
    /// Inputs named (or found) more than once, after the first time.
    pub duplicates: Vec<String>,
    /// Include globs that matched no file in any folder walked.
    pub unmatched_globs: Vec<String>,
    /// Temporary files of an interrupted `--write` run, found while walking
    /// (see [`crate::output::TEMPORARY_PREFIX`]); not inputs.
    pub leftovers: Vec<PathBuf>,
    /// The `--out-dir` of the run, met inside a folder walked and not
    /// walked: its files are the run's outputs, not its inputs.
    pub out_dir_skipped: Vec<PathBuf>,
}

/// What the walk leaves out besides hidden entries.
#[derive(Debug, Default, Clone, Copy)]
pub struct Walk<'p> {
    /// Walk hidden files and folders too (leftover temporary files of `-w`
    /// still are not).
    pub hidden: bool,
    /// The folder that outputs go to (`--out-dir`), never walked.
    pub out_dir: Option<&'p Path>,
}

/// Reads the paths of a file list: one a line, or NUL-separated. Blank
/// entries are skipped; bytes that are not UTF-8 are kept as they are.
fn read_list(list: &mut dyn BufRead, null: bool, collected: &mut Collected) -> Vec<PathBuf> {
    let separator = if null { b'\0' } else { b'\n' };
    let mut paths = Vec::new();
    let mut entry = Vec::new();
    loop {
        entry.clear();
        match list.read_until(separator, &mut entry) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                collected
                    .errors
                    .push(("--file-list".to_string(), crate::output::describe_io(&e)));
                break;
            }
        }
        let mut bytes = entry.as_slice();
        bytes = bytes.strip_suffix(&[separator]).unwrap_or(bytes);
        if !null {
            bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
        } else if bytes.is_empty() {
            continue;
        }
        paths.push(path_from_bytes(bytes));
    }
    paths
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// [`collect_with`] without hidden files.
#[cfg(test)]
pub fn collect(
    paths: &[PathBuf],
    file_list: Option<&mut dyn BufRead>,
    globs: &[String],
    null: bool,
) -> Collected {
    collect_with(paths, file_list, globs, null, Walk::default())
}

/// Collects inputs from `paths` (`-` is standard input; no path at all means
/// standard input) and from the entries of `file_list` (lines, or
/// NUL-separated when `null`), walking folders.
///
/// A file named directly is mirrored under `--out-dir` by its path as
/// given (its root is the current folder), so `a/x.txt` and `b/x.txt` stay
/// apart.
///
/// `walk` says what folders' walks leave out besides hidden entries.
pub fn collect_with(
    paths: &[PathBuf],
    file_list: Option<&mut dyn BufRead>,
    globs: &[String],
    null: bool,
    walking: Walk<'_>,
) -> Collected {
    // Compared as the system resolves it; one that does not exist yet
    // holds nothing to skip.
    let out_dir = walking
        .out_dir
        .and_then(|dir| std::fs::canonicalize(dir).ok());
    let mut collected = Collected::default();
    let mut all: Vec<PathBuf> = paths.to_vec();
    if let Some(list) = file_list {
        let listed = read_list(list, null, &mut collected);
        all.extend(listed);
    } else if all.is_empty() {
        all.push(PathBuf::from("-"));
    }
    let mut unmatched: Vec<&String> = globs.iter().filter(|g| !g.starts_with('!')).collect();
    let walked_any = all.iter().any(|p| p.is_dir());
    let several = all.len() > 1;
    let on_command_line = paths.len();
    for (index, path) in all.into_iter().enumerate() {
        if index < on_command_line
            && let Some(name) = subcommand_named(&path)
        {
            collected.errors.push((
                name.to_string(),
                format!("no such file or directory (subcommands come first: `scrubtext {name} …`)"),
            ));
            continue;
        }
        if path == Path::new("-") {
            collected.inputs.push(Input::Stdin);
        } else if path.is_dir() {
            if out_dir.is_some() && std::fs::canonicalize(&path).ok() == out_dir {
                collected.errors.push((
                    escape_bytes(&path_bytes(&path)),
                    "is the --out-dir of this run: its files would be written over themselves; name another --out-dir".to_string(),
                ));
                continue;
            }
            let first = collected.inputs.len();
            walk(
                &path,
                globs,
                walking.hidden,
                out_dir.as_deref(),
                &mut collected,
            );
            unmatched.retain(|glob| !matches_any(&path, glob, &collected.inputs[first..]));
        } else {
            collected.inputs.push(Input::File {
                path,
                root: Arc::from(Path::new("")),
                walked: false,
            });
        }
    }
    if walked_any {
        collected.unmatched_globs = unmatched.into_iter().cloned().collect();
    }
    if several {
        remove_duplicates(&mut collected);
    }
    collected
}

/// The subcommand that a path which does not exist is named after, as in
/// `scrubtext a.txt rules`, where `rules` comes too late to be one.
fn subcommand_named(path: &Path) -> Option<&str> {
    let name = path.to_str()?;
    if name.contains(['/', '.']) || std::fs::symlink_metadata(path).is_ok() {
        return None;
    }
    <crate::cli::Cli as clap::CommandFactory>::command()
        .get_subcommands()
        .any(|command| command.get_name() == name)
        .then_some(name)
}

/// Whether `glob` (relative to the folder `root`) matches one of `inputs`.
fn matches_any(root: &Path, glob: &str, inputs: &[Input]) -> bool {
    let mut builder = OverrideBuilder::new(root);
    let Ok(single) = builder.add(glob).and_then(|b| b.build()) else {
        // An invalid glob is reported as an error already.
        return true;
    };
    inputs.iter().any(|input| match input {
        Input::File { path, .. } => single.matched(path, false).is_whitelist(),
        Input::Stdin => false,
    })
}

/// Keeps the first of inputs that are the same file (compared by their
/// canonical path, or as written when it cannot be resolved), and standard
/// input once.
fn remove_duplicates(collected: &mut Collected) {
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut stdin_seen = false;
    let mut duplicates = Vec::new();
    collected.inputs.retain(|input| {
        let first = match input {
            Input::Stdin => !std::mem::replace(&mut stdin_seen, true),
            Input::File { path, .. } => {
                let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
                seen.insert(key)
            }
        };
        if !first {
            duplicates.push(input.name());
        }
        first
    });
    collected.duplicates = duplicates;
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

fn walk(
    root: &Path,
    globs: &[String],
    with_hidden: bool,
    out_dir: Option<&Path>,
    collected: &mut Collected,
) {
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
    let leftovers = Arc::new(Mutex::new(Vec::new()));
    let found_leftovers = Arc::clone(&leftovers);
    let outputs = Arc::new(Mutex::new(Vec::new()));
    let found_outputs = Arc::clone(&outputs);
    let out_dir = out_dir.map(Path::to_path_buf);
    // One shared copy of the root for every file found below it.
    let shared_root: Arc<Path> = Arc::from(root);
    let walker = WalkBuilder::new(root)
        .standard_filters(false)
        .overrides(overrides)
        .sort_by_file_path(|a, b| a.cmp(b))
        .filter_entry(move |entry| {
            let hidden = entry.depth() > 0 && is_hidden(entry.path());
            if hidden && is_leftover(entry) {
                if let Ok(mut found) = found_leftovers.lock() {
                    found.push(entry.path().to_path_buf());
                }
                return false;
            }
            if hidden && !with_hidden {
                counter.fetch_add(1, Ordering::Relaxed);
                return false;
            }
            if let Some(out_dir) = &out_dir
                && entry.depth() > 0
                && entry.file_type().is_some_and(|t| t.is_dir())
                && entry.file_name() == out_dir.file_name().unwrap_or_default()
                && std::fs::canonicalize(entry.path()).is_ok_and(|p| p == *out_dir)
            {
                if let Ok(mut found) = found_outputs.lock() {
                    found.push(entry.path().to_path_buf());
                }
                return false;
            }
            true
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
            Err(e) => collected.errors.push(describe_walk_error(root, &e)),
        }
    }
    collected.hidden_skipped += hidden.load(Ordering::Relaxed);
    if let Ok(mut found) = leftovers.lock() {
        collected.leftovers.append(&mut found);
    }
    if let Ok(mut found) = outputs.lock() {
        collected.out_dir_skipped.append(&mut found);
    }
}

/// A temporary file that a `--write` run left when it was stopped.
fn is_leftover(entry: &ignore::DirEntry) -> bool {
    entry.file_type().is_some_and(|t| t.is_file())
        && entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(crate::output::TEMPORARY_PREFIX))
}

/// `(path, message)` for an error met while walking: the path once, and
/// what went wrong without it.
fn describe_walk_error(root: &Path, error: &ignore::Error) -> (String, String) {
    let mut path = None;
    let mut error = error;
    loop {
        match error {
            ignore::Error::WithPath { path: p, err } => {
                path = Some(p.clone());
                error = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                error = err;
            }
            _ => break,
        }
    }
    let path = path.unwrap_or_else(|| root.to_path_buf());
    let message = match error {
        ignore::Error::Io(e) => crate::output::describe_io(e),
        other => other.to_string().to_lowercase(),
    };
    (escape_bytes(&path_bytes(&path)), message)
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
        let collected = collect(&[dir.path().to_path_buf()], None, &[], false);
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
            false,
        );
        assert_eq!(names(&collected, dir.path()), ["a.txt", "sub/b.txt"]);
        let bad = collect(
            &[dir.path().to_path_buf()],
            None,
            &["a{".to_string()],
            false,
        );
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
        let collected = collect(&[], Some(&mut reader), &[], false);
        assert_eq!(
            names(&collected, dir.path()),
            ["a.txt", "sub/b.txt", "sub/c.md", "sub/deeper/d.txt"]
        );
        assert_eq!(collect(&[], None, &[], false).inputs, [Input::Stdin]);
        assert_eq!(
            collect(&[PathBuf::from("-")], None, &[], false).inputs,
            [Input::Stdin]
        );
    }

    #[test]
    fn a_walk_error_names_its_path_once() {
        let inner = ignore::Error::Io(std::io::Error::from(std::io::ErrorKind::PermissionDenied));
        let error = ignore::Error::WithDepth {
            depth: 1,
            err: Box::new(ignore::Error::WithPath {
                path: PathBuf::from("corpus/locked"),
                err: Box::new(inner),
            }),
        };
        assert_eq!(
            describe_walk_error(Path::new("corpus"), &error),
            ("corpus/locked".to_string(), "permission denied".to_string())
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_are_escaped_in_names() {
        assert_eq!(
            escape_bytes(b"caf\xe9/na\xc3\xafve.txt"),
            "caf\\xe9/na\u{ef}ve.txt"
        );
        assert_eq!(escape_bytes(b"plain"), "plain");
    }

    #[test]
    fn a_missing_file_is_kept_for_the_reader_to_report() {
        let collected = collect(&[PathBuf::from("/no/such/file.txt")], None, &[], false);
        assert_eq!(collected.inputs.len(), 1);
    }
}
