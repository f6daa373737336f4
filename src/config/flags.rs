//! The flags every command takes (before or after the subcommand): which
//! env, which config file, and what overrides the env's settings, plus how
//! the TUI draws. They live here, below the command-line grammar, because
//! resolving an env needs them (`config::resolve`); `cli::args` re-exports
//! them for the grammar.

use std::path::PathBuf;

use clap::Args;

pub use crate::model::time_bound::parse_duration;

/// Flags shared by the TUI and every subcommand.
#[derive(Debug, Clone, Default, Args)]
pub struct GlobalArgs {
    /// Environment from the config file (`demo` always exists); `alarms
    /// list` also takes several: `prod,staging`, or `all` for every env.
    #[arg(long, global = true, env = "MONITUI_ENV")]
    pub env: Option<String>,
    /// Config file to read instead of the platform default.
    #[arg(long, global = true, env = "MONITUI_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// AWS shared-config profile (overrides the env's).
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// AWS region (overrides the env's).
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// Any AWS-compatible endpoint, e.g. http://127.0.0.1:4566.
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Refuse every mutation.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Colour theme (see `monitui themes list`).
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,
    /// No colours (also when NO_COLOR is set).
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Refresh interval, e.g. 30s, 1m.
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_duration)]
    pub refresh: Option<std::time::Duration>,
    /// Draw with ASCII only: no braille, block or box-drawing characters
    /// (also when the locale is not UTF-8).
    #[arg(long, global = true)]
    pub ascii: bool,
    /// Most frames the TUI draws a second (1 to 120; default 30). Lower it
    /// on a slow link.
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=120))]
    pub fps: Option<u32>,
    /// Write diagnostics to this file.
    #[arg(long, global = true, value_name = "PATH")]
    pub log_file: Option<PathBuf>,
    /// Time zone every time is shown in: UTC (default), local, or a name
    /// like Europe/Berlin (JSON stays UTC).
    #[arg(long, global = true, value_name = "ZONE", value_parser = parse_zone)]
    pub tz: Option<String>,
}

/// Checks a `--tz`/`timezone` value ([`crate::model::zone::Zone::parse`]).
pub fn parse_zone(s: &str) -> Result<String, String> {
    crate::model::zone::Zone::parse(s).map(|_| s.trim().to_string())
}
