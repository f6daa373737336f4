//! Where settings come from: the config file (platform config dir,
//! `--config`, `MONITUI_CONFIG`), environment profiles, and themes.

pub mod env;
pub mod theme;

pub use env::{EnvKind, ResolvedEnv};
pub use theme::Theme;

/// Why the configuration could not be used. Every variant names what was
/// wrong and where; the CLI prints it and exits with status 2.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Placeholder until the config loader lands.
    #[error("{0}")]
    Other(String),
}
