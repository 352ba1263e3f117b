//! Writing output files so that no reader ever sees a half-written one.
//!
//! This module owns how scrubtext puts bytes on disk and where they go:
//!
//! * [`write_atomically`] writes into a temporary file in the target's own
//!   folder, syncs it, gives it the permissions of the file it replaces and
//!   renames it over the target in one step. Until that rename the original
//!   is untouched; when anything fails the temporary file is removed.
//! * [`write_creating_folders`] does the same after creating the missing
//!   folders above the target, for `--out-dir`.
//! * [`mirror_path`] computes where an input goes under `--out-dir`,
//!   mirroring the input tree; it touches nothing on disk.
//!
//! When the target is a symbolic link, the file it points to is replaced
//! and the link is kept (a link to nothing is an error). A replaced file is a new file: hard links to the
//! old one keep the old content, and its owner is whoever runs scrubtext.
//!
//! Nothing here prints; every problem is an [`OutputError`] naming the path
//! and the step that failed.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

/// A file or folder could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {} while {step}", path.display(), describe_io(source))]
pub struct OutputError {
    /// The file that was to be written (or the folder to be created).
    pub path: PathBuf,
    /// What was being done.
    pub step: Step,
    /// What the operating system reported.
    #[source]
    pub source: io::Error,
}

/// The steps of writing a file, as named in an [`OutputError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Reading the file that is copied to the target.
    ReadSource,
    /// Creating the folders above the target.
    CreateFolders,
    /// Following the symbolic link that the target is.
    FollowLink,
    /// Creating the temporary file next to the target.
    CreateTemporary,
    /// Writing the bytes into the temporary file.
    Write,
    /// Flushing the temporary file to the disk.
    Sync,
    /// Reading the permissions of the existing target.
    ReadPermissions,
    /// Giving the temporary file the target's permissions.
    CopyPermissions,
    /// Renaming the temporary file over the target.
    Replace,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Step::ReadSource => "reading the file it copies",
            Step::CreateFolders => "creating its folder",
            Step::FollowLink => "following the symbolic link",
            Step::CreateTemporary => "creating a temporary file in its folder",
            Step::Write => "writing a temporary file",
            Step::Sync => "syncing a temporary file to disk",
            Step::ReadPermissions => "reading its permissions",
            Step::CopyPermissions => "copying its permissions to a temporary file",
            Step::Replace => "renaming a temporary file over it",
        })
    }
}

/// How the name of every temporary file that scrubtext writes begins. Only
/// scrubtext writes such files, so one found while no run is going was
/// left by a run that was stopped by force (`kill -9`, a power cut), and
/// may be removed.
pub const TEMPORARY_PREFIX: &str = ".scrubtext-tmp-";

/// A short lowercase description of an I/O error, without the error code.
pub fn describe_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::IsADirectory => "is a directory".to_string(),
        io::ErrorKind::StorageFull => "no space left on device".to_string(),
        _ => {
            let text = e.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text);
            let mut chars = text.chars();
            chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

/// Replaces the content of `path` with `bytes`, or creates the file, such
/// that at every moment the path holds either the old content or the new
/// one, whole.
///
/// The bytes go to a temporary file in the same folder (a hidden name
/// starting with [`TEMPORARY_PREFIX`]), which is synced to disk, given
/// the permissions of the existing file (a new file gets the usual ones,
/// `0o666` less the umask), and renamed over `path`. On failure the
/// temporary file is removed and the existing file is left as it was.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)
        .map_err(|e| file.error(Step::Write, e))?;
    file.commit()
}

/// Copies the file `from` to `to` through [`AtomicFile`], streaming.
pub fn copy_atomically(from: &Path, to: &Path) -> Result<(), OutputError> {
    let mut source = fs::File::open(from).map_err(|source| OutputError {
        path: to.to_path_buf(),
        step: Step::ReadSource,
        source,
    })?;
    let mut file = AtomicFile::create(to)?;
    io::copy(&mut source, &mut file).map_err(|e| file.error(Step::Write, e))?;
    file.commit()
}

/// A file being written in place of `path`: a temporary file in the same
/// folder that [`AtomicFile::commit`] renames over it. Dropped without a
/// commit, it is removed and `path` is left as it was. It implements
/// `Write`, for outputs streamed record by record.
pub struct AtomicFile {
    path: PathBuf,
    target: PathBuf,
    existing: Option<fs::Permissions>,
    temporary: tempfile::NamedTempFile,
}

impl AtomicFile {
    /// Starts a file that will replace (or create) `path`.
    pub fn create(path: &Path) -> Result<AtomicFile, OutputError> {
        let fail = |step: Step| {
            move |source: io::Error| OutputError {
                path: path.to_path_buf(),
                step,
                source,
            }
        };
        let target = resolve_link(path).map_err(fail(Step::FollowLink))?;
        let folder = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        // A folder at the target is left to the rename to refuse.
        let existing = match fs::metadata(&target) {
            Ok(metadata) => Some(metadata.permissions()).filter(|_| metadata.is_file()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(fail(Step::ReadPermissions)(e)),
        };
        // Recognisable, so that a run stopped by force leaves files that the
        // next run over the folder can tell from anyone else's.
        let suffix = match target.file_name() {
            Some(name) => format!("-{}", name.to_string_lossy()),
            None => String::new(),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(TEMPORARY_PREFIX).suffix(&suffix);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // The mode a plain `File::create` would use; the umask applies.
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        // From here on, dropping the temporary file deletes it.
        let temporary = builder
            .tempfile_in(folder)
            .map_err(fail(Step::CreateTemporary))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            target,
            existing,
            temporary,
        })
    }

    /// The error for a failed step on this file.
    pub fn error(&self, step: Step, source: io::Error) -> OutputError {
        OutputError {
            path: self.path.clone(),
            step,
            source,
        }
    }

    /// Syncs the temporary file, gives it the permissions of the file it
    /// replaces and renames it over the target.
    pub fn commit(mut self) -> Result<(), OutputError> {
        self.temporary
            .flush()
            .map_err(|e| self.error(Step::Write, e))?;
        self.temporary
            .as_file()
            .sync_all()
            .map_err(|e| self.error(Step::Sync, e))?;
        if let Some(permissions) = self.existing.take() {
            self.temporary
                .as_file()
                .set_permissions(permissions)
                .map_err(|e| self.error(Step::CopyPermissions, e))?;
        }
        let AtomicFile {
            path,
            target,
            temporary,
            ..
        } = self;
        temporary.persist(&target).map_err(|e| OutputError {
            path,
            step: Step::Replace,
            source: e.error,
        })?;
        if let Some(folder) = target.parent() {
            sync_folder(if folder.as_os_str().is_empty() {
                Path::new(".")
            } else {
                folder
            });
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.temporary.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.temporary.flush()
    }
}

/// Creates the folders above `path` that are missing, then writes `bytes`
/// to it with [`write_atomically`].
pub fn write_creating_folders(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|source| OutputError {
            path: path.to_path_buf(),
            step: Step::CreateFolders,
            source,
        })?;
    }
    write_atomically(path, bytes)
}

/// Where `input` goes under `out_dir`: its path relative to `input_root`,
/// joined onto `out_dir`. Creates nothing.
///
/// `input_root` is the folder that was named on the command line and
/// `input` a file found in it; both are compared as written (`.`
/// components are ignored, nothing else is resolved), so pass them in the
/// same form. When `input` is not inside `input_root` — it is the root
/// itself (a file named directly), lies elsewhere, or would climb out with
/// `..` — only its file name is kept. The result is never outside `out_dir`.
pub fn mirror_path(input: &Path, input_root: &Path, out_dir: &Path) -> PathBuf {
    let input_parts: Vec<Component<'_>> = input
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    let root_parts: Vec<Component<'_>> = input_root
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    if let Some(relative) = input_parts.strip_prefix(root_parts.as_slice()) {
        let all_names = relative.iter().all(|c| matches!(c, Component::Normal(_)));
        if !relative.is_empty() && all_names {
            let mut out = out_dir.to_path_buf();
            out.extend(relative);
            return out;
        }
    }
    match input.file_name() {
        Some(name) => out_dir.join(name),
        None => out_dir.to_path_buf(),
    }
}

/// The file that writing to `path` should replace: `path` itself, or the
/// file that a symbolic link at `path` points to.
fn resolve_link(path: &Path) -> io::Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() => fs::canonicalize(path),
        _ => Ok(path.to_path_buf()),
    }
}

/// Makes the rename durable. Best effort: the new content is in place
/// already, and not every system lets a folder be opened or synced.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = fs::File::open(folder) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_in(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_content_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("article.txt");
        fs::write(&path, "old content that is longer than the new one\n").unwrap();
        write_atomically(&path, b"new\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new\n");
        assert_eq!(names_in(dir.path()), ["article.txt"]);
    }

    #[test]
    fn temporary_files_have_a_recognisable_name() {
        let dir = tempfile::tempdir().unwrap();
        let mut file = AtomicFile::create(&dir.path().join("article.txt")).unwrap();
        file.write_all(b"new").unwrap();
        let names = names_in(dir.path());
        assert_eq!(names.len(), 1, "{names:?}");
        assert!(names[0].starts_with(TEMPORARY_PREFIX), "{names:?}");
        assert!(names[0].ends_with("-article.txt"), "{names:?}");
        file.commit().unwrap();
        assert_eq!(names_in(dir.path()), ["article.txt"]);
    }

    #[test]
    fn creates_a_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.txt");
        write_atomically(&path, b"").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"");
        write_atomically(&path, "caf\u{e9}".as_bytes()).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "caf\u{e9}");
        assert_eq!(names_in(dir.path()), ["new.txt"]);
    }

    #[test]
    fn creates_folders_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out/a/b/article.txt");
        assert_eq!(
            write_atomically(&path, b"x").unwrap_err().step,
            Step::CreateTemporary
        );
        write_creating_folders(&path, b"x").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"x");
        // Existing folders are fine too.
        write_creating_folders(&path, b"y").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"y");
    }

    #[test]
    fn a_folder_in_the_way_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("taken");
        fs::create_dir(&path).unwrap();
        let error = write_atomically(&path, b"x").unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "cannot write {}: is a directory while renaming a temporary file over it",
                path.display()
            )
        );
        assert_eq!(names_in(dir.path()), ["taken"]);

        let file = dir.path().join("file");
        fs::write(&file, "x").unwrap();
        let error = write_creating_folders(&file.join("below.txt"), b"x").unwrap_err();
        assert_eq!(error.step, Step::CreateFolders);
        assert!(
            error.to_string().ends_with("while creating its folder"),
            "{error}"
        );
    }

    #[cfg(unix)]
    mod unix {
        use super::*;
        use std::os::unix::fs::{PermissionsExt, symlink};

        fn mode(path: &Path) -> u32 {
            fs::metadata(path).unwrap().permissions().mode() & 0o7777
        }

        /// Whether permission bits are enforced here (not so for root).
        fn permissions_are_enforced(dir: &Path) -> bool {
            let probe = dir.join("probe");
            fs::create_dir(&probe).unwrap();
            fs::set_permissions(&probe, fs::Permissions::from_mode(0o555)).unwrap();
            let enforced = fs::write(probe.join("x"), "x").is_err();
            fs::set_permissions(&probe, fs::Permissions::from_mode(0o755)).unwrap();
            fs::remove_dir_all(&probe).unwrap();
            enforced
        }

        #[test]
        fn keeps_permissions() {
            let dir = tempfile::tempdir().unwrap();
            for wanted in [0o640, 0o604, 0o755, 0o400] {
                let path = dir.path().join(format!("file-{wanted:o}"));
                fs::write(&path, "old").unwrap();
                fs::set_permissions(&path, fs::Permissions::from_mode(wanted)).unwrap();
                write_atomically(&path, b"new").unwrap();
                assert_eq!(fs::read(&path).unwrap(), b"new");
                assert_eq!(mode(&path), wanted, "mode {wanted:o}");
            }
        }

        #[test]
        fn new_files_get_the_usual_mode_not_the_temporary_one() {
            let dir = tempfile::tempdir().unwrap();
            let by_hand = dir.path().join("by-hand");
            fs::write(&by_hand, "x").unwrap();
            let ours = dir.path().join("ours");
            write_atomically(&ours, b"x").unwrap();
            assert_eq!(mode(&ours), mode(&by_hand));
        }

        #[test]
        fn read_only_folder_leaves_the_original_alone() {
            let dir = tempfile::tempdir().unwrap();
            if !permissions_are_enforced(dir.path()) {
                // Root writes anyway; the failure paths after the temporary
                // file exists are covered by the tests with a folder in the way.
                return;
            }
            let folder = dir.path().join("locked");
            fs::create_dir(&folder).unwrap();
            let path = folder.join("article.txt");
            fs::write(&path, "original").unwrap();
            fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).unwrap();

            let result = write_atomically(&path, b"replacement");
            let names = names_in(&folder);
            fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();

            let error = result.unwrap_err();
            assert_eq!(error.step, Step::CreateTemporary);
            assert_eq!(error.source.kind(), io::ErrorKind::PermissionDenied);
            assert_eq!(
                error.to_string(),
                format!(
                    "cannot write {}: permission denied while creating a temporary file in its folder",
                    path.display()
                )
            );
            assert_eq!(fs::read_to_string(&path).unwrap(), "original");
            assert_eq!(names, ["article.txt"]);
        }

        #[test]
        fn failed_rename_removes_the_temporary_file() {
            // A non-empty folder at the target: the temporary file is
            // written, then the rename fails.
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("busy");
            fs::create_dir(&path).unwrap();
            fs::write(path.join("inside"), "x").unwrap();
            assert!(write_atomically(&path, b"x").is_err());
            assert_eq!(names_in(dir.path()), ["busy"]);
            assert_eq!(names_in(&path), ["inside"]);
        }

        #[test]
        fn symbolic_links_are_followed_and_kept() {
            let dir = tempfile::tempdir().unwrap();
            let real = dir.path().join("real.txt");
            fs::write(&real, "old").unwrap();
            fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
            let link = dir.path().join("link.txt");
            symlink("real.txt", &link).unwrap();

            write_atomically(&link, b"new").unwrap();
            assert!(
                fs::symlink_metadata(&link)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert_eq!(fs::read(&real).unwrap(), b"new");
            assert_eq!(mode(&real), 0o640);
            assert_eq!(names_in(dir.path()), ["link.txt", "real.txt"]);

            let dangling = dir.path().join("dangling.txt");
            symlink("nowhere/missing.txt", &dangling).unwrap();
            let error = write_atomically(&dangling, b"x").unwrap_err();
            assert_eq!(error.step, Step::FollowLink);
            assert_eq!(
                error.to_string(),
                format!(
                    "cannot write {}: no such file or directory while following the symbolic link",
                    dangling.display()
                )
            );
        }
    }

    #[test]
    fn mirror_paths() {
        let cases = [
            // input, root, out dir, expected
            ("corpus/a/b.txt", "corpus", "out", "out/a/b.txt"),
            ("corpus/b.txt", "corpus", "out", "out/b.txt"),
            ("corpus/b.txt", "corpus/", "out/", "out/b.txt"),
            ("./corpus/a/b.txt", "corpus", "out", "out/a/b.txt"),
            (
                "corpus/./a/b.txt",
                "./corpus",
                "/tmp/out",
                "/tmp/out/a/b.txt",
            ),
            ("a/b.txt", ".", "out", "out/a/b.txt"),
            ("/data/corpus/a/b.txt", "/data/corpus", "out", "out/a/b.txt"),
            (
                "/data/corpus/a/b.txt",
                "/",
                "out",
                "out/data/corpus/a/b.txt",
            ),
            // A file named directly is its own root.
            ("corpus/b.txt", "corpus/b.txt", "out", "out/b.txt"),
            // Not under the root: the file name only.
            ("elsewhere/b.txt", "corpus", "out", "out/b.txt"),
            ("corpus-2/b.txt", "corpus", "out", "out/b.txt"),
            ("/data/corpus/b.txt", "corpus", "out", "out/b.txt"),
            // Never climbs out of the output folder.
            ("corpus/../secret/b.txt", "corpus", "out", "out/b.txt"),
            ("corpus/a/../../b.txt", "corpus", "out", "out/b.txt"),
            // No file name at all.
            ("..", "corpus", "out", "out"),
        ];
        for (input, root, out, expected) in cases {
            assert_eq!(
                mirror_path(Path::new(input), Path::new(root), Path::new(out)),
                PathBuf::from(expected),
                "{input} under {root} into {out}"
            );
        }
    }

    #[test]
    fn mirror_path_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let path = mirror_path(&dir.path().join("in/a/b.txt"), &dir.path().join("in"), &out);
        assert_eq!(path, out.join("a/b.txt"));
        assert!(!out.exists());
    }
}
