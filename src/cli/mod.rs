//! Non-interactive subcommands. Each file handles one command; none draws.

pub mod args;
pub mod config_cmd;
pub mod themes_cmd;
