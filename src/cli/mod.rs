//! Non-interactive subcommands. Each file handles one command; none draws.

pub mod args;
