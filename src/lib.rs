//! monitui: a terminal operations console for AWS CloudWatch.
//!
//! Layout (a newcomer should know where a line belongs):
//! - `model`: plain domain types, no SDK types.
//! - `provider`: the `Provider` trait; `aws` (aws-sdk-rust) and `sim` (demo account).
//! - `provision`: the provisioning spec and the pure plan (diff) of the monitoring stack.
//! - `data`: background fetching, caches, connection state; posts events to the UI.
//! - `config`: config file, environments, themes.
//! - `filter`: the CloudWatch Logs filter-pattern language, parsed and matched locally.
//! - `insights`: the Logs Insights query language (a subset), parsed and run locally.
//! - `report`: plain text renderings (incident report, tables, formats)
//!   shared by `cli`, `app` and `ui`; no drawing.
//! - `app`: UI state and actions (keys become actions here); no drawing.
//! - `ui`: drawing, pure functions of the app state.
//! - `cli`: non-interactive subcommands; never draws.
//! - `sanitize`: making text from AWS, logs and files safe to print (the
//!   bottom layer: the data layer and the files module use it too).
//! - `term`: terminal setup/restore, the clipboard (OSC 52).
//! - `files`: the files monitui writes for you (private, no symlinks, atomic).
//! - `tui`: the interactive loop that wires `term`, `data`, `app` and `ui`.

#![warn(missing_docs)]

pub mod alarm_rule;
pub mod app;
pub mod cli;
pub mod config;
pub mod data;
pub mod files;
pub mod filter;
pub mod insights;
pub mod model;
pub mod provider;
pub mod provision;
pub mod report;
pub mod sanitize;
pub mod term;
pub mod tui;
pub mod ui;
