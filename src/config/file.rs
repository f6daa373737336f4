//! The config file as written: TOML shapes with spans, checked into
//! [`ConfigFile`] so every bad value is reported with its file position.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::ConfigError;
use super::env::EnvKind;
use super::location::{Position, describe_toml_error};
pub use crate::model::incident::RelatedLogs;
use crate::model::insights::SavedQuery;
use crate::model::{Dimension, MetricRef};

/// A metric the Overview tab always shows for an env (`pinned_metrics`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PinnedMetric {
    /// Namespace, name and dimensions.
    pub metric: MetricRef,
    /// Statistic, e.g. `Average`, `Sum`, `p99` (default `Average`).
    pub stat: String,
    /// What to call it on screen (default: the metric's display name).
    pub label: Option<String>,
    /// Its period in seconds (default: one minute); the config file gives
    /// none, a pin from the Metrics tab keeps the chart's.
    pub period_secs: Option<u32>,
}

/// One `[envs.NAME]` table, every value checked; `None` means "not set".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EnvSettings {
    /// `kind`, if set.
    pub kind: Option<EnvKind>,
    /// `profile`.
    pub profile: Option<String>,
    /// `region`.
    pub region: Option<String>,
    /// `endpoint_url` (http or https).
    pub endpoint_url: Option<String>,
    /// `prefix`.
    pub prefix: Option<String>,
    /// `sns_topic` (an SNS ARN).
    pub sns_topic: Option<String>,
    /// `read_only`.
    pub read_only: Option<bool>,
    /// `confirm_mutations`.
    pub confirm_mutations: Option<bool>,
    /// `theme` name (checked against the themes when resolved).
    pub theme: Option<String>,
    /// `refresh`.
    pub refresh: Option<Duration>,
    /// `timezone`: the zone times are shown in (checked to exist).
    pub timezone: Option<String>,
    /// `seed` (demo envs only).
    pub seed: Option<u64>,
    /// `log_buffer_lines`.
    pub log_buffer_lines: Option<usize>,
    /// `log_buffer_mib`, in bytes.
    pub log_buffer_bytes: Option<usize>,
    /// `pinned_metrics`.
    pub pinned_metrics: Vec<PinnedMetric>,
    /// `saved_queries`: Logs Insights queries the query view offers.
    pub saved_queries: Vec<SavedQuery>,
    /// `[envs.NAME.related_logs]`: alarm name or glob -> log groups.
    pub related_logs: Vec<RelatedLogs>,
    /// `error_pattern`: the filter pattern of an incident's error lines
    /// (checked to parse).
    pub error_pattern: Option<String>,
    /// `[[envs.NAME.slos]]`: the env's service level targets (the
    /// provisioning spec's language, without variables).
    pub slos: Vec<crate::model::slo::Slo>,
}

/// A whole config file, checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigFile {
    /// `default_env`: the env used when `--env` is not given (known to exist).
    pub default_env: Option<String>,
    /// `themes_dir` as written (relative paths are relative to the file).
    pub themes_dir: Option<PathBuf>,
    /// `clipboard`: whether `y` may copy to the terminal's clipboard (OSC
    /// 52); on unless set to `false`.
    pub clipboard: Option<bool>,
    /// `[envs.NAME]` tables by name.
    pub envs: BTreeMap<String, EnvSettings>,
    /// `[prices]`: what `monitui cost` charges (the seed's by default).
    pub prices: crate::model::cost::Prices,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a config table")]
struct RawFile {
    default_env: Option<Spanned<String>>,
    themes_dir: Option<PathBuf>,
    clipboard: Option<bool>,
    #[serde(default)]
    envs: BTreeMap<String, RawEnv>,
    #[serde(default)]
    prices: crate::model::cost::Prices,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table of env settings")]
struct RawEnv {
    kind: Option<Spanned<String>>,
    profile: Option<Spanned<String>>,
    region: Option<Spanned<String>>,
    endpoint_url: Option<Spanned<String>>,
    prefix: Option<Spanned<String>>,
    sns_topic: Option<Spanned<String>>,
    read_only: Option<bool>,
    confirm_mutations: Option<bool>,
    theme: Option<Spanned<String>>,
    refresh: Option<Spanned<String>>,
    timezone: Option<Spanned<String>>,
    seed: Option<Spanned<u64>>,
    log_buffer_lines: Option<Spanned<u64>>,
    log_buffer_mib: Option<Spanned<u64>>,
    #[serde(default)]
    pinned_metrics: Vec<Spanned<RawPinned>>,
    #[serde(default)]
    saved_queries: Vec<Spanned<RawSavedQuery>>,
    #[serde(default)]
    related_logs: BTreeMap<String, Spanned<Vec<String>>>,
    error_pattern: Option<Spanned<String>>,
    #[serde(default)]
    slos: Vec<crate::model::slo::RawSlo>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table with name, query and groups")]
struct RawSavedQuery {
    name: String,
    query: String,
    #[serde(default)]
    groups: Vec<String>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table with namespace, name, dimensions, stat, label"
)]
struct RawPinned {
    namespace: String,
    name: String,
    #[serde(default)]
    dimensions: BTreeMap<String, String>,
    stat: Option<String>,
    label: Option<String>,
}

/// The MiB `log_buffer_mib` may ask for.
pub const LOG_BUFFER_MIB: std::ops::RangeInclusive<usize> = 1..=16_384;

/// The lines `log_buffer_lines` may ask for.
pub const LOG_BUFFER_LINES: std::ops::RangeInclusive<usize> = 1_000..=10_000_000;

/// The env that always exists, whether or not the file mentions it.
pub const BUILTIN_DEMO: &str = "demo";

/// Parses and checks config TOML `text`; `file` is how errors name it.
pub fn parse_config(file: &str, text: &str) -> Result<ConfigFile, ConfigError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let (pos, message) = describe_toml_error(file, text, &e);
        ConfigError::Parse { pos, message }
    })?;
    let checker = Checker { file, text };
    let mut envs = BTreeMap::new();
    for (name, env) in raw.envs {
        let settings = checker.env(&name, env)?;
        envs.insert(name, settings);
    }
    let default_env = match raw.default_env {
        Some(d) if d.get_ref() != BUILTIN_DEMO && !envs.contains_key(d.get_ref()) => {
            let mut known: Vec<String> = envs.keys().cloned().collect();
            known.push(BUILTIN_DEMO.to_string());
            known.sort();
            return Err(checker.bad(
                d.span(),
                "default_env".into(),
                format!(
                    "'{}' is not an environment; known: {}",
                    d.get_ref(),
                    known.join(", ")
                ),
            ));
        }
        other => other.map(Spanned::into_inner),
    };
    Ok(ConfigFile {
        default_env,
        themes_dir: raw.themes_dir,
        clipboard: raw.clipboard,
        envs,
        prices: raw.prices,
    })
}

/// Checks values against their rules, reporting positions in one file.
struct Checker<'a> {
    file: &'a str,
    text: &'a str,
}

impl Checker<'_> {
    fn bad(&self, span: std::ops::Range<usize>, key: String, reason: String) -> ConfigError {
        ConfigError::BadValue {
            pos: Position::at(self.file, self.text, Some(span)),
            key,
            reason,
        }
    }

    fn env(&self, name: &str, raw: RawEnv) -> Result<EnvSettings, ConfigError> {
        let key = |k: &str| format!("envs.{name}.{k}");
        let kind = raw
            .kind
            .as_ref()
            .map(|k| match k.get_ref().as_str() {
                "aws" => Ok(EnvKind::Aws),
                "demo" => Ok(EnvKind::Demo),
                other => Err(self.bad(
                    k.span(),
                    key("kind"),
                    format!("'{other}' is not a kind; use \"aws\" or \"demo\""),
                )),
            })
            .transpose()?;
        if name == BUILTIN_DEMO && kind == Some(EnvKind::Aws) {
            let span = raw.kind.as_ref().map(Spanned::span).unwrap_or_default();
            return Err(self.bad(
                span,
                key("kind"),
                "the built-in demo env is always kind = \"demo\"; name an AWS env differently"
                    .into(),
            ));
        }
        let is_demo = kind == Some(EnvKind::Demo) || (kind.is_none() && name == BUILTIN_DEMO);
        if let (Some(seed), false) = (&raw.seed, is_demo) {
            return Err(self.bad(
                seed.span(),
                key("seed"),
                "seed only applies to kind = \"demo\" envs".into(),
            ));
        }
        let refresh = raw
            .refresh
            .map(|r| {
                super::flags::parse_duration(r.get_ref())
                    .map_err(|why| self.bad(r.span(), key("refresh"), why))
            })
            .transpose()?;
        let timezone = raw
            .timezone
            .map(|z| {
                super::flags::parse_zone(z.get_ref())
                    .map_err(|why| self.bad(z.span(), key("timezone"), why))
            })
            .transpose()?;
        let log_buffer_lines = raw
            .log_buffer_lines
            .map(|n| match usize::try_from(*n.get_ref()) {
                Ok(lines) if LOG_BUFFER_LINES.contains(&lines) => Ok(lines),
                _ => Err(self.bad(
                    n.span(),
                    key("log_buffer_lines"),
                    format!(
                        "must be {} to {} lines",
                        LOG_BUFFER_LINES.start(),
                        LOG_BUFFER_LINES.end()
                    ),
                )),
            })
            .transpose()?;
        let log_buffer_bytes = raw
            .log_buffer_mib
            .map(|n| match usize::try_from(*n.get_ref()) {
                Ok(mib) if LOG_BUFFER_MIB.contains(&mib) => Ok(mib << 20),
                _ => Err(self.bad(
                    n.span(),
                    key("log_buffer_mib"),
                    format!(
                        "must be {} to {} MiB",
                        LOG_BUFFER_MIB.start(),
                        LOG_BUFFER_MIB.end()
                    ),
                )),
            })
            .transpose()?;
        let endpoint_url = raw
            .endpoint_url
            .map(|u| {
                check_endpoint_url(u.get_ref())
                    .map(|()| u.get_ref().clone())
                    .map_err(|why| self.bad(u.span(), key("endpoint_url"), why))
            })
            .transpose()?;
        let sns_topic = raw
            .sns_topic
            .map(|t| {
                check_sns_topic(t.get_ref())
                    .map(|()| t.get_ref().clone())
                    .map_err(|why| self.bad(t.span(), key("sns_topic"), why))
            })
            .transpose()?;
        let non_empty = |value: Option<Spanned<String>>, k: &str| {
            value
                .map(|v| {
                    if v.get_ref().trim().is_empty() {
                        Err(self.bad(v.span(), key(k), "must not be empty".into()))
                    } else {
                        Ok(v.into_inner())
                    }
                })
                .transpose()
        };
        let pinned_metrics = raw
            .pinned_metrics
            .into_iter()
            .map(|p| self.pinned(p, &key("pinned_metrics")))
            .collect::<Result<_, _>>()?;
        let saved_queries = raw
            .saved_queries
            .into_iter()
            .map(|q| self.saved_query(q, &key("saved_queries")))
            .collect::<Result<_, _>>()?;
        let slos = crate::model::slo::check_all(&raw.slos, &|v, _| Ok(v.get_ref().clone()))
            .map_err(|(i, e)| {
                self.bad(e.span, key(&format!("slos[{i}].{}", e.field)), e.message)
            })?;
        Ok(EnvSettings {
            slos,
            kind,
            profile: non_empty(raw.profile, "profile")?,
            region: non_empty(raw.region, "region")?,
            endpoint_url,
            prefix: non_empty(raw.prefix, "prefix")?,
            sns_topic,
            read_only: raw.read_only,
            confirm_mutations: raw.confirm_mutations,
            theme: non_empty(raw.theme, "theme")?,
            refresh,
            timezone,
            seed: raw.seed.map(Spanned::into_inner),
            log_buffer_lines,
            log_buffer_bytes,
            pinned_metrics,
            saved_queries,
            related_logs: self.related_logs(raw.related_logs, &key("related_logs"))?,
            error_pattern: raw
                .error_pattern
                .map(|p| {
                    crate::filter::FilterPattern::parse(p.get_ref())
                        .map(|_| p.get_ref().clone())
                        .map_err(|e| self.bad(p.span(), key("error_pattern"), e.to_string()))
                })
                .transpose()?,
        })
    }

    fn saved_query(
        &self,
        raw: Spanned<RawSavedQuery>,
        key: &str,
    ) -> Result<SavedQuery, ConfigError> {
        let span = raw.span();
        let q = raw.into_inner();
        if q.name.trim().is_empty() || q.query.trim().is_empty() {
            return Err(self.bad(
                span,
                key.to_string(),
                "name and query must not be empty".into(),
            ));
        }
        if let Some(g) = q.groups.iter().find(|g| g.trim().is_empty()) {
            return Err(self.bad(
                span,
                key.to_string(),
                format!("group '{g}' is empty; name a log group or a prefix ending in *"),
            ));
        }
        Ok(SavedQuery {
            name: q.name,
            query: q.query,
            groups: q.groups,
        })
    }

    fn related_logs(
        &self,
        raw: BTreeMap<String, Spanned<Vec<String>>>,
        key: &str,
    ) -> Result<Vec<RelatedLogs>, ConfigError> {
        raw.into_iter()
            .map(|(alarms, groups)| {
                let span = groups.span();
                let groups = groups.into_inner();
                if groups.is_empty() || groups.iter().any(|g| g.trim().is_empty()) {
                    return Err(self.bad(
                        span,
                        format!("{key}.{alarms}"),
                        "give one or more log group names".into(),
                    ));
                }
                Ok(RelatedLogs { alarms, groups })
            })
            .collect()
    }

    fn pinned(&self, raw: Spanned<RawPinned>, key: &str) -> Result<PinnedMetric, ConfigError> {
        let span = raw.span();
        let p = raw.into_inner();
        if p.namespace.trim().is_empty() || p.name.trim().is_empty() {
            return Err(self.bad(
                span,
                key.to_string(),
                "namespace and name must not be empty".into(),
            ));
        }
        let dimensions = p
            .dimensions
            .into_iter()
            .map(|(k, v)| Dimension::new(k, v))
            .collect();
        Ok(PinnedMetric {
            metric: MetricRef::new(p.namespace, p.name, dimensions),
            stat: p.stat.unwrap_or_else(|| "Average".to_string()),
            label: p.label,
            period_secs: None,
        })
    }
}

/// Accepts `http://host...` and `https://host...`; the reason otherwise.
pub fn check_endpoint_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') => Ok(()),
        Some(_) => Err(format!("'{url}' has no host")),
        None => Err(format!(
            "'{url}' is not an http(s) URL like http://127.0.0.1:4566"
        )),
    }
}

fn check_sns_topic(arn: &str) -> Result<(), String> {
    let parts: Vec<&str> = arn.split(':').collect();
    if parts.len() == 6 && parts[0] == "arn" && parts[2] == "sns" && !parts[5].is_empty() {
        Ok(())
    } else {
        Err(format!(
            "'{arn}' is not an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:alerts"
        ))
    }
}
