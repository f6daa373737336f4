//! Non-interactive subcommands. Each file handles one command; none draws.

pub mod alarms_cmd;
pub mod args;
pub mod audit_cmd;
pub mod config_cmd;
pub mod json;
pub mod table;
pub mod themes_cmd;
