//! Command-line grammar: global flags (accepted before or after the
//! subcommand) and the subcommands.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

pub use crate::config::flags::{GlobalArgs, parse_duration};

/// What `--version`, the `--help` header, the man page and the log file
/// call this build: the package version, the commit and the build date,
/// e.g. `0.1.0 (1a2b3c4 2026-12-07)` (stamped by build.rs; the commit is
/// `unknown` when the source had no git).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("MONITUI_COMMIT"),
    " ",
    env!("MONITUI_BUILD_DATE"),
    ")"
);

/// monitui: the on-call console for CloudWatch alarms, metrics, logs and CloudTrail.
#[derive(Debug, Parser)]
#[command(
    name = "monitui",
    version = VERSION,
    about,
    long_about = None,
    help_template = "{name} {version}\n{about-with-newline}\n{usage-heading} {usage}\n\n{all-args}{after-help}"
)]
pub struct Cli {
    /// Flags that apply to every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do; none opens the terminal UI.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Parses a count that must be at least 1 (`--limit`, `--max-pages`).
pub fn positive(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("'{s}' is not a positive whole number")),
    }
}

/// Output format for commands that print records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for people (also `text`).
    #[default]
    #[value(alias = "text")]
    Table,
    /// JSON for scripts.
    Json,
}

/// Output of the commands that explain (text for people, JSON for scripts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    /// For a terminal.
    #[default]
    Text,
    /// For scripts.
    Json,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Alarm commands.
    #[command(subcommand)]
    Alarms(AlarmsCommand),
    /// Configuration helpers.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// CloudWatch dashboards.
    #[command(subcommand)]
    Dashboards(DashboardsCommand),
    /// Theme helpers.
    #[command(subcommand)]
    Themes(ThemesCommand),
    /// CloudWatch Logs commands.
    #[command(subcommand)]
    Logs(LogsCommand),
    /// CloudTrail: who did what, in the account or in delivered log files.
    #[command(subcommand)]
    Trail(super::trail_cmd::TrailCommand),
    /// What happened around an alarm: its state changes, metric, error
    /// lines, CloudTrail writes, acks and the other alarms, on one time axis.
    Incident(super::incident_cmd::IncidentArgs),
    /// What the next on-call person needs from the last shift: episodes
    /// and flaps, acks and silences, silences ending, alarms still in
    /// ALARM, CloudTrail writes while alarms fired.
    Handoff(super::handoff_cmd::HandoffArgs),
    /// The least-privilege IAM policy a role needs (or the stack roles'
    /// permissions boundary), as JSON.
    IamPolicy(super::iam_policy_cmd::IamPolicyArgs),
    /// The service level targets: value over the window, objective, error
    /// budget left and burn rates over 1h, 6h and 3d.
    Slo(super::slo_cmd::SloArgs),
    /// Monthly cost estimate of what is deployed (prices: `[prices]` in the config).
    Cost {
        /// table or json.
        #[arg(long, value_enum, default_value_t)]
        output: OutputFormat,
    },
    /// Post-deployment checks of the monitoring stack; exit 1 on a failure.
    Doctor {
        /// The spec and its variables.
        #[command(flatten)]
        spec: super::provision_cmd::SpecArgs,
        /// table or json.
        #[arg(long, value_enum, default_value_t)]
        output: OutputFormat,
    },
    /// Custom metrics.
    #[command(subcommand)]
    Metrics(super::metrics_cmd::MetricsCommand),
    /// Desired-state provisioning of the monitoring stack (init, plan, apply).
    #[command(subcommand)]
    Provision(super::provision_cmd::ProvisionCommand),
    /// The local audit log of alarm changes.
    Audit {
        /// table or json.
        #[arg(long, value_enum, default_value_t)]
        output: OutputFormat,
    },
    /// Print the shell completion script (bash, zsh, fish, elvish or powershell).
    Completions {
        /// The shell the script is for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `monitui man > monitui.1`.
    Man {
        /// Write monitui.1 and a page per subcommand into this directory
        /// instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// `monitui alarms ...`
#[derive(Debug, Subcommand)]
pub enum AlarmsCommand {
    /// Alarm table, ALARM first.
    List {
        /// Only alarms in this state (OK, ALARM, INSUFFICIENT_DATA).
        #[arg(long, value_parser = parse_state)]
        state: Option<crate::model::AlarmState>,
        /// table or json.
        #[arg(long, value_enum, default_value_t)]
        output: OutputFormat,
        /// Wait for the whole of the day's alarm history. JSON reads it
        /// only with this (`flaps_24h` is null without it); the table
        /// reads it for its FLAPS column but waits at most 3 s after the
        /// alarms without it.
        #[arg(long)]
        flaps: bool,
    },
    /// Acknowledge the current ALARM episode (stored as tags on the alarm).
    Ack {
        /// Alarm name.
        name: String,
        /// Optional note (cut to 256 characters in the tag).
        #[arg(long, default_value = "")]
        note: String,
        /// Accepted for symmetry with the other changes (an ack never asks).
        #[arg(long)]
        yes: bool,
    },
    /// Remove your ack of an alarm (someone else's only with --any).
    Unack {
        /// Alarm name.
        name: String,
        /// Remove the ack even if someone else made it (asks first; audited
        /// as unack-any).
        #[arg(long)]
        any: bool,
        /// Skip the confirmation of --any.
        #[arg(long)]
        yes: bool,
    },
    /// Mute an alarm's notifications for a while.
    Silence {
        /// Alarm name.
        name: String,
        /// How long, e.g. 15m, 1h, 4h (at most 15 days).
        #[arg(long = "for", value_name = "DURATION", value_parser = parse_duration)]
        duration: std::time::Duration,
        /// Why (mandatory).
        #[arg(long)]
        note: String,
        /// Skip the confirmation of envs with confirm_mutations.
        #[arg(long)]
        yes: bool,
    },
    /// End an alarm's silence now.
    Unsilence {
        /// Alarm name.
        name: String,
        /// Skip the confirmation of envs with confirm_mutations.
        #[arg(long)]
        yes: bool,
    },
    /// End every silence of monitui's past its expiry (re-enable actions);
    /// for cron.
    Reconcile {
        /// Accepted for symmetry with the other changes (reconcile never asks).
        #[arg(long)]
        yes: bool,
    },
    /// Why an alarm is in its state: the datapoints that decided, its M of
    /// N rule, missing-data treatment and evaluation range, checked against
    /// the service's StateReasonData, and when it would change at current
    /// values.
    Explain {
        /// Alarm name (or its short name, without the env's prefix).
        name: String,
        /// text or json.
        #[arg(long, value_enum, default_value_t)]
        output: TextOrJson,
    },
    /// An alarm's whole definition; a composite's rule as a tree with each
    /// child's state.
    Show {
        /// Alarm name (or its short name, without the env's prefix).
        name: String,
        /// text or json.
        #[arg(long, value_enum, default_value_t)]
        output: TextOrJson,
    },
    /// The ALARM episodes an alarm would have had over past data (with
    /// another threshold or M of N, if given), beside what it really did.
    Backtest {
        /// Alarm name (or its short name, without the env's prefix).
        name: String,
        /// Threshold to try instead of the alarm's.
        #[arg(long, allow_negative_numbers = true)]
        threshold: Option<f64>,
        /// N to try instead of the alarm's.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        evaluation_periods: Option<u32>,
        /// M to try instead of the alarm's.
        #[arg(long, value_name = "M", value_parser = clap::value_parser!(u32).range(1..))]
        datapoints_to_alarm: Option<u32>,
        /// How far back: a duration (14d) or a time (2026-11-27T10:00:00Z).
        #[arg(long, value_name = "WHEN", default_value = "14d", value_parser = crate::model::time_bound::TimeBound::parse)]
        since: crate::model::time_bound::TimeBound,
        /// text or json.
        #[arg(long, value_enum, default_value_t)]
        output: TextOrJson,
    },
    /// Set an alarm to ALARM to test its notification path.
    Test {
        /// Alarm name.
        name: String,
        /// Skip the confirmation of envs with confirm_mutations.
        #[arg(long)]
        yes: bool,
    },
}

fn parse_state(s: &str) -> Result<crate::model::AlarmState, String> {
    crate::model::AlarmState::parse(s)
        .ok_or_else(|| format!("'{s}' is not a state; use OK, ALARM or INSUFFICIENT_DATA"))
}

/// `monitui dashboards ...`
#[derive(Debug, Subcommand)]
pub enum DashboardsCommand {
    /// The account's dashboards.
    List {
        /// table or json.
        #[arg(long, value_enum, default_value_t)]
        output: OutputFormat,
    },
    /// Render a dashboard once to stdout, with its data.
    Show {
        /// A dashboard of the account, by name.
        #[arg(required_unless_present = "body", conflicts_with = "body")]
        name: Option<String>,
        /// A dashboard body JSON file (as `get-dashboard` returns it).
        #[arg(long, value_name = "FILE")]
        body: Option<PathBuf>,
        /// Terminal width to lay out for (below 100 widgets are stacked).
        #[arg(long, default_value_t = crate::model::dashboard::TEXT_SIZE.0, value_parser = clap::value_parser!(u16).range(1..=1000))]
        width: u16,
        /// Terminal height to lay out for; the output grows to hold every widget.
        #[arg(long, default_value_t = crate::model::dashboard::TEXT_SIZE.1, value_parser = clap::value_parser!(u16).range(1..=1000))]
        height: u16,
        /// Time range ending now, e.g. 1h, 3h, 1d (default: the body's
        /// `start`, else 3h).
        #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
        range: Option<std::time::Duration>,
        /// No colours and no escape sequences at all.
        #[arg(long)]
        plain: bool,
    },
}

/// `monitui config ...`
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Write a commented example config file (never overwrites).
    Init {
        /// Write here instead of the default path.
        #[arg(long, value_name = "PATH")]
        path: Option<PathBuf>,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Print the resolved environment (never credentials).
    Show {
        /// table or json.
        #[arg(long, value_enum, default_value_t)]
        output: OutputFormat,
    },
}

/// `monitui themes ...`
#[derive(Debug, Subcommand)]
pub enum ThemesCommand {
    /// List built-in and user themes.
    List,
}

/// `monitui logs ...`
#[derive(Debug, Subcommand)]
pub enum LogsCommand {
    /// Print the lines of a file (or stdin) that a CloudWatch Logs filter
    /// pattern matches, one event per line; try a metric-filter pattern
    /// before deploying it.
    TestPattern {
        /// The filter pattern, e.g. 'ERROR -ARGUMENTS' or '{ $.level = "error" }'.
        #[arg(allow_hyphen_values = true)]
        pattern: String,
        /// Read the events from this file instead of stdin.
        #[arg(long, value_name = "PATH")]
        file: Option<PathBuf>,
    },
    /// Run a Logs Insights query and print its results (progress on stderr;
    /// Ctrl-C stops the query).
    Query(super::logs_query_cmd::LogsQueryArgs),
    /// The account's log groups: retention, stored bytes, KMS key, last event.
    Groups(super::logs_read::GroupsArgs),
    /// Events of one or more groups in a time window, every page followed.
    Search(super::logs_read::SearchArgs),
    /// Follow one or more groups (up to 10) like `tail -f`, until Ctrl-C.
    Tail(super::logs_tail::TailArgs),
}

impl LogsCommand {
    /// Whether the command reads an account (test-pattern needs none).
    pub fn needs_account(&self) -> bool {
        !matches!(self, LogsCommand::TestPattern { .. })
    }
}
