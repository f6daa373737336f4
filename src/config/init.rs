//! `config init`: writes the commented example config without ever leaving
//! a half-written file or clobbering an existing one by accident.

use std::path::Path;

use super::ConfigError;

/// The commented example config: every key, with example envs.
pub const EXAMPLE_CONFIG: &str = include_str!("example.toml");

/// Writes [`EXAMPLE_CONFIG`] to `path`, creating parent directories.
/// Refuses to replace an existing file unless `force`. The text goes to a
/// temporary file in the same directory first and is renamed into place
/// ([`crate::files::replace_private`]).
pub fn write_example(path: &Path, force: bool) -> Result<(), ConfigError> {
    if path.exists() && !force {
        return Err(ConfigError::AlreadyExists {
            path: path.to_path_buf(),
        });
    }
    crate::files::replace_private(path, EXAMPLE_CONFIG.as_bytes()).map_err(|source| {
        ConfigError::Write {
            path: path.to_path_buf(),
            source,
        }
    })
}
