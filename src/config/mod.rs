//! Where settings come from: the config file (platform config dir,
//! `--config`, `MONITUI_CONFIG`), environment profiles, and themes.
//!
//! - `flags`: the flags every command takes (env choice and overrides).
//! - `file`: the TOML format and its checks.
//! - `resolve`: choosing the env and applying flag overrides.
//! - `init`: `config init`'s commented example file.
//! - `theme`: built-in and user colour themes.
//! - `location`: `file:line:column` for error messages.

pub mod env;
pub mod file;
pub mod flags;
pub mod init;
pub mod location;
pub mod resolve;
pub mod theme;

use std::path::PathBuf;

pub use env::{EnvKind, ResolvedEnv};
pub use file::PinnedMetric;
pub use location::Position;
pub use resolve::{
    ALL_ENVS, EnvChoice, LoadedConfig, config_path, known_envs, resolve, resolve_several,
    user_themes_dir,
};
pub use theme::{Theme, ThemeError};

/// Why the configuration could not be used. Every variant names what was
/// wrong and where; the CLI prints it and exits with status 2.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file exists but cannot be read.
    #[error("cannot read config file {}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// `--config` / `MONITUI_CONFIG` names a file that does not exist.
    #[error(
        "config file {} does not exist (named by --config or MONITUI_CONFIG); \
         create one with `monitui config init --path {}`",
        .path.display(), .path.display()
    )]
    NotFound {
        /// The file asked for.
        path: PathBuf,
    },
    /// Not valid TOML, an unknown key, or a value of the wrong type.
    #[error("{pos}: {message}")]
    Parse {
        /// Where.
        pos: Position,
        /// The TOML parser's message: what it expected or found.
        message: String,
    },
    /// A value of the right type that is still unusable (`kind = "gcp"`).
    #[error("{pos}: {key}: {reason}")]
    BadValue {
        /// Where.
        pos: Position,
        /// Dotted key, naming the env: `envs.prod.refresh`.
        key: String,
        /// Why it is rejected and what would be accepted.
        reason: String,
    },
    /// A command-line flag value that is unusable.
    #[error("{flag}: {reason}")]
    BadFlag {
        /// The flag, e.g. `--endpoint-url`.
        flag: String,
        /// Why.
        reason: String,
    },
    /// `--env` (or `MONITUI_ENV`) names no env.
    #[error("unknown environment '{name}'; known: {}", .known.join(", "))]
    UnknownEnv {
        /// The name asked for.
        name: String,
        /// Every env that exists, sorted.
        known: Vec<String>,
    },
    /// `--env` names several envs (`prod,staging` or `all`) for a command
    /// that works on one.
    #[error(
        "--env {given} names several envs; only `alarms list` and the terminal UI show several at once: \
         give this command one env (known: {})",
        .known.join(", ")
    )]
    SeveralEnvs {
        /// The `--env` value.
        given: String,
        /// Every env that exists, sorted.
        known: Vec<String>,
    },
    /// The env's theme is unknown or broken.
    #[error(transparent)]
    Theme(#[from] ThemeError),
    /// `config init` would overwrite a file without `--force`.
    #[error("{} already exists; pass --force to replace it", .path.display())]
    AlreadyExists {
        /// The existing file.
        path: PathBuf,
    },
    /// `config init` could not write the file.
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        /// The file (or its directory).
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

impl ConfigError {
    /// Process exit status for this error: configuration problems exit 2.
    pub fn exit_code(&self) -> i32 {
        2
    }
}
