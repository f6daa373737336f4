//! Files monitui writes for the person running it (the audit log, saved
//! log tails, example config and spec): private to them and never written
//! through a symlink someone else planted. New files are created 0600 and
//! new directories 0700; a file that replaces another is written to a
//! temporary file beside it and renamed into place, so a crash or a full
//! disk never leaves half a file. (The modes apply on Unix; elsewhere the
//! platform's defaults stand.)

use std::borrow::Cow;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::sanitize::is_safe_char;

/// Creates `dir` and its missing parents, each new one 0700. Directories
/// that exist already keep their modes.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Opens `path` for appending, creating it 0600 (and its directory 0700)
/// if absent. A symlink at `path` is refused, and an existing file that
/// others may read is made private first.
pub fn open_private_append(path: &Path) -> io::Result<File> {
    if let Some(dir) = parent(path) {
        create_private_dir(&dir)?;
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    no_follow_private(&mut options);
    let file = options.open(path).map_err(|e| refused_symlink(path, e))?;
    make_private(&file)?;
    Ok(file)
}

/// Replaces (or creates) `path` with `bytes` atomically: a new 0600
/// temporary file in the same directory is written, flushed to disk and
/// renamed over `path`. A symlink at `path` is refused rather than
/// replaced or followed.
pub fn replace_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(symlink_error(path));
    }
    let dir = parent(path).unwrap_or_else(|| PathBuf::from("."));
    create_private_dir(&dir)?;
    let tmp = temp_path(&dir, path);
    let written = write_new(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        // Best effort: the error that matters is the write or rename failure.
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// `text` as one line of a text file that cannot forge another line or
/// reach a terminal that shows the file: a backslash becomes `\\`, a
/// newline `\n`, a carriage return `\r`, a tab `\t`, and every other
/// character the terminal sanitiser refuses (escape, other controls, bidi
/// and invisible characters) `\u{XXXX}`.
pub fn one_line(text: &str) -> Cow<'_, str> {
    if text.chars().all(|c| c != '\\' && is_safe_char(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_safe_char(c) => out.push(c),
            c => out.push_str(&format!("\\u{{{:04x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// The directory of `path`, if it names one.
fn parent(path: &Path) -> Option<PathBuf> {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(Path::to_path_buf)
}

/// A temp file name next to the target, unique to this process.
fn temp_path(dir: &Path, target: &Path) -> PathBuf {
    let base = target
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy());
    dir.join(format!(".{base}.tmp-{}", std::process::id()))
}

/// Creates `path` 0600 (failing if anything, a symlink included, is
/// there), writes `bytes` and flushes them to disk.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    no_follow_private(&mut options);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// New files 0600, and the last path component never followed if it is
/// a symlink.
fn no_follow_private(options: &mut OpenOptions) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    #[cfg(not(unix))]
    let _ = options;
}

/// Takes group and other permissions off a file monitui owns.
fn make_private(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata()?.permissions().mode();
        if mode & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(mode & 0o700))?;
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// The error of opening a symlink with `O_NOFOLLOW` (ELOOP), said plainly.
fn refused_symlink(path: &Path, error: io::Error) -> io::Error {
    #[cfg(unix)]
    if error.raw_os_error() == Some(libc::ELOOP) {
        return symlink_error(path);
    }
    let _ = path;
    error
}

fn symlink_error(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "{} is a symlink: monitui does not write through one",
            path.display()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_escapes_what_could_forge_a_line_or_reach_a_terminal() {
        assert!(matches!(one_line("plain ünïcode line"), Cow::Borrowed(_)));
        assert_eq!(
            one_line("a\nfake 2026 line\r\tb\\n\u{1b}]52;c;x\u{7}\u{202e}"),
            "a\\nfake 2026 line\\r\\tb\\\\n\\u{001b}]52;c;x\\u{0007}\\u{202e}"
        );
        assert!(!one_line("x\ny\u{2028}z").contains(['\n', '\u{2028}']));
    }

    #[cfg(unix)]
    fn make_readable(path: &Path) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn appends_to_a_new_private_file_in_a_new_private_dir() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("a/b/audit.jsonl");
        for line in ["one\n", "two\n"] {
            open_private_append(&path)
                .unwrap()
                .write_all(line.as_bytes())
                .unwrap();
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one\ntwo\n");
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&root.path().join("a")), 0o700);
        assert_eq!(mode(&root.path().join("a/b")), 0o700);
    }

    #[cfg(unix)]
    #[test]
    fn an_existing_readable_file_is_made_private() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("audit.jsonl");
        std::fs::write(&path, "old\n").unwrap();
        make_readable(&path);
        open_private_append(&path).unwrap();
        assert_eq!(mode(&path), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_refused_and_their_targets_untouched() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("victim");
        std::fs::write(&target, "precious\n").unwrap();
        let link = root.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let err = open_private_append(&link).unwrap_err();
        assert!(err.to_string().contains("symlink"), "{err}");
        let err = replace_private(&link, b"new\n").unwrap_err();
        assert!(err.to_string().contains("symlink"), "{err}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious\n");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[cfg(unix)]
    #[test]
    fn replace_writes_a_private_file_whole_and_leaves_no_temp() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("tail.log");
        std::fs::write(&path, "old").unwrap();
        make_readable(&path);
        replace_private(&path, b"new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        assert_eq!(mode(&path), 0o600);
        let names: Vec<_> = std::fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["tail.log"]);
    }
}
