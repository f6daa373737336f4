//! Non-interactive subcommands. Each file handles one command; none draws.

pub mod alarms_cmd;
pub mod alarms_explain_cmd;
pub mod args;
pub mod audit_cmd;
pub mod completions_cmd;
pub mod config_cmd;
pub mod cost_cmd;
pub mod dashboards_cmd;
pub mod doctor_cmd;
pub mod handoff_cmd;
pub mod iam_policy_cmd;
pub mod incident_cmd;
pub mod json;
pub mod logs_cmd;
pub mod logs_query_cmd;
pub mod logs_read;
pub mod logs_tail;
pub mod metrics_cmd;
pub mod mfa_prompt;
pub mod names;
pub mod provision_cmd;
pub mod slo_cmd;
pub mod themes_cmd;
pub mod trail_cmd;
