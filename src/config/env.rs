//! Environments: a named set of connection settings, resolved from the
//! config file and the global flags.

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use super::file::{PinnedMetric, RelatedLogs};
use super::resolve::{DEFAULT_PREFIX, DEFAULT_SEED, FALLBACK_REGION};

/// Which backend an environment talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EnvKind {
    /// A real (or emulated) AWS account through aws-sdk-rust.
    Aws,
    /// The embedded simulated account.
    Demo,
}

impl EnvKind {
    /// The name used in config files and output: `aws` or `demo`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Aws => "aws",
            Self::Demo => "demo",
        }
    }
}

/// An environment with every setting decided: what the rest of monitui uses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolvedEnv {
    /// Environment name (`demo`, `prod`, ... or `adhoc` for `--endpoint-url` alone).
    pub name: String,
    /// Backend.
    pub kind: EnvKind,
    /// AWS shared-config profile.
    pub profile: Option<String>,
    /// Region; `None` means the SDK's default chain (then us-east-1).
    pub region: Option<String>,
    /// Endpoint override for AWS-compatible services.
    pub endpoint_url: Option<String>,
    /// Resource name prefix.
    pub prefix: String,
    /// SNS topic for ack notifications.
    pub sns_topic: Option<String>,
    /// Refuse every mutation.
    pub read_only: bool,
    /// Ask before mutating.
    pub confirm_mutations: bool,
    /// Theme name.
    pub theme: String,
    /// The zone times are shown in (`--tz`, `timezone`; `UTC` by default),
    /// checked to exist.
    pub timezone: String,
    /// Refresh interval for background fetches.
    #[serde(with = "humantime_serde_shim")]
    pub refresh: Duration,
    /// Demo account seed (demo envs only).
    pub seed: u64,
    /// Metrics the Overview tab always shows for this env.
    pub pinned_metrics: Vec<PinnedMetric>,
    /// Logs Insights queries from the config file (the built-in ones come
    /// first: [`ResolvedEnv::saved_queries`]).
    pub config_queries: Vec<crate::model::insights::SavedQuery>,
    /// Lines the Logs tab's tail keeps.
    pub log_buffer_lines: usize,
    /// Bytes the Logs tab's tail keeps (`log_buffer_mib`).
    pub log_buffer_bytes: usize,
    /// Log groups searched for an alarm's error lines, by alarm name or
    /// glob (`[envs.NAME.related_logs]`); built-in defaults cover the seed.
    pub related_logs: Vec<RelatedLogs>,
    /// Filter pattern of an incident's error lines, if not the default.
    pub error_pattern: Option<String>,
    /// Service level targets from the config (`[[envs.NAME.slos]]`);
    /// empty: the built-in spec's, for the env's prefix.
    pub slos: Vec<crate::model::slo::Slo>,
    /// Whether `y` copies to the terminal's clipboard (OSC 52): the config
    /// file's top-level `clipboard`, on by default.
    pub clipboard: bool,
    /// Where user themes live (`themes_dir` in the config file, else the
    /// platform config dir's `themes/`); pass to `theme::load_theme`.
    pub themes_dir: Option<PathBuf>,
}

/// Lines the Logs tab's tail keeps unless the env says otherwise.
pub const DEFAULT_LOG_BUFFER_LINES: usize = 100_000;

/// Bytes the Logs tab's tail keeps unless the env says otherwise: 64 MiB.
pub const DEFAULT_LOG_BUFFER_BYTES: usize = 64 << 20;

impl ResolvedEnv {
    /// The built-in demo environment with default settings.
    pub fn demo() -> Self {
        Self {
            name: "demo".into(),
            kind: EnvKind::Demo,
            profile: None,
            region: Some(FALLBACK_REGION.into()),
            endpoint_url: None,
            prefix: DEFAULT_PREFIX.into(),
            sns_topic: None,
            read_only: false,
            confirm_mutations: false,
            theme: "default".into(),
            timezone: "UTC".into(),
            refresh: Duration::from_secs(5),
            seed: DEFAULT_SEED,
            pinned_metrics: Vec::new(),
            config_queries: Vec::new(),
            log_buffer_lines: DEFAULT_LOG_BUFFER_LINES,
            log_buffer_bytes: DEFAULT_LOG_BUFFER_BYTES,
            related_logs: Vec::new(),
            error_pattern: None,
            slos: Vec::new(),
            clipboard: true,
            themes_dir: None,
        }
    }

    /// The saved Logs Insights queries: the built-in ones, then the config
    /// file's (one of the same name replaces a built-in one).
    pub fn saved_queries(&self) -> Vec<crate::model::insights::SavedQuery> {
        let mut all = crate::model::insights::builtin_saved_queries(&self.prefix);
        for q in &self.config_queries {
            match all.iter_mut().find(|b| b.name == q.name) {
                Some(same) => *same = q.clone(),
                None => all.push(q.clone()),
            }
        }
        all
    }

    /// Whether this env looks like production (badge colour, default confirmation).
    pub fn is_prod(&self) -> bool {
        self.name.starts_with("prod")
    }
}

mod humantime_serde_shim {
    use serde::Serializer;
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&humantime::format_duration(*d).to_string())
    }
}
