//! `config init`: writes the commented example config without ever leaving
//! a half-written file or clobbering an existing one by accident.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::ConfigError;

/// The commented example config: every key, with example envs.
pub const EXAMPLE_CONFIG: &str = include_str!("example.toml");

/// Writes [`EXAMPLE_CONFIG`] to `path`, creating parent directories.
/// Refuses to replace an existing file unless `force`. The text goes to a
/// temporary file in the same directory first and is renamed into place.
pub fn write_example(path: &Path, force: bool) -> Result<(), ConfigError> {
    if path.exists() && !force {
        return Err(ConfigError::AlreadyExists {
            path: path.to_path_buf(),
        });
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ConfigError::Write { path, source }
    };
    std::fs::create_dir_all(&dir).map_err(write_err(&dir))?;
    let tmp = temp_path(&dir, path);
    let written = write_new(&tmp, EXAMPLE_CONFIG).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        // Best effort: the error that matters is the write or rename failure.
        let _ = std::fs::remove_file(&tmp);
    }
    written.map_err(write_err(path))
}

/// A temp file name next to the target, unique to this process.
fn temp_path(dir: &Path, target: &Path) -> PathBuf {
    let base = target
        .file_name()
        .map_or_else(|| "config.toml".into(), |n| n.to_string_lossy());
    dir.join(format!(".{base}.tmp-{}", std::process::id()))
}

/// Creates `path` (failing if it exists), writes `text` and flushes it to disk.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}
