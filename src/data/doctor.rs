//! `doctor`: the seed's post-deployment and troubleshooting checks, run
//! against the account for a spec: subscriptions confirmed, dashboards
//! there with recent data for every metric they name, alarms wired to the
//! topic and not stuck in INSUFFICIENT_DATA, log groups with the spec's
//! retention and KMS key, the trail logging without delivery errors. One
//! result per check, with a fix hint when it fails.

use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;

use super::provision::{ProvisionError, read_existing};
use crate::model::dashboard::Dashboard as DashboardBody;
use crate::model::stack::{Existing, Kind, Resource, TrailHealth};
use crate::model::{AlarmState, QuerySource, TimeRange};
use crate::provider::{ProviderError, Reads};
use crate::provision::spec::Desired;

/// How far back a metric must have a point to count as having data: a day,
/// because counters of rare events (failed jobs, 5xx) publish nothing in
/// the periods they stay at zero.
pub const RECENT: Duration = Duration::from_secs(24 * 3600);
/// An alarm in INSUFFICIENT_DATA longer than this is stuck.
pub const STUCK_AFTER: Duration = Duration::from_secs(15 * 60);

/// The fix when the account lacks what the spec has.
const APPLY: &str = "run `monitui provision apply`";
/// The fix for a resource the spec marks shared, which apply leaves alone
/// unless asked.
const ADOPT: &str = "run `monitui provision apply --adopt-shared` (it is shared with the account: check first that no one else sets it)";

/// One check's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// What was checked: `subscription`, `dashboard`, `dashboard data`,
    /// `alarm`, `log group`, `trail`.
    pub check: &'static str,
    /// Which resource.
    pub target: String,
    /// Whether it passed.
    pub ok: bool,
    /// What was found.
    pub detail: String,
    /// How to fix it (failures only).
    pub hint: Option<String>,
}

impl Check {
    fn pass(check: &'static str, target: &str, detail: impl Into<String>) -> Self {
        Self {
            check,
            target: target.to_string(),
            ok: true,
            detail: detail.into(),
            hint: None,
        }
    }

    fn fail(
        check: &'static str,
        target: &str,
        detail: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self {
            check,
            target: target.to_string(),
            ok: false,
            detail: detail.into(),
            hint: Some(hint.into()),
        }
    }
}

/// Why the checks could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum DoctorError {
    /// Reading the stack failed.
    #[error(transparent)]
    Read(#[from] ProvisionError),
    /// Another read failed.
    #[error("reading the account: {0}")]
    Provider(#[from] ProviderError),
}

fn desired_of(desired: &Desired, kind: Kind) -> impl Iterator<Item = &Resource> {
    desired.resources.iter().filter(move |r| r.kind() == kind)
}

fn find<'a>(existing: &'a [Existing], kind: Kind, name: &str) -> Option<&'a Resource> {
    existing
        .iter()
        .map(|e| &e.resource)
        .find(|r| r.kind() == kind && r.name() == name)
}

/// Runs every check of `desired` against the account at `now`.
pub async fn run(
    reads: &Reads,
    desired: &Desired,
    now: Timestamp,
) -> Result<Vec<Check>, DoctorError> {
    let existing = read_existing(reads, desired).await?;
    let mut checks = subscriptions(desired, &existing);
    checks.extend(dashboards(reads, desired, &existing, now).await?);
    checks.extend(alarms(reads, desired, &existing, now).await?);
    checks.extend(log_groups(desired, &existing));
    for trail in desired_of(desired, Kind::Trail) {
        let name = trail.name();
        let health = match find(&existing, Kind::Trail, &name) {
            Some(_) => reads.provision.trail_health(&name).await?,
            None => None,
        };
        checks.push(trail_check(&name, health.as_ref()));
    }
    Ok(checks)
}

/// Every wanted subscription exists and every subscription of the topic
/// is confirmed.
fn subscriptions(desired: &Desired, existing: &[Existing]) -> Vec<Check> {
    let mut checks = Vec::new();
    for d in desired_of(desired, Kind::Subscription) {
        if find(existing, Kind::Subscription, &d.name()).is_none() {
            checks.push(Check::fail(
                "subscription",
                &d.name(),
                "not subscribed",
                APPLY,
            ));
        }
    }
    for e in existing {
        if let Resource::Subscription(s) = &e.resource {
            let name = e.resource.name();
            checks.push(if s.pending {
                Check::fail(
                    "subscription",
                    &name,
                    "pending confirmation",
                    format!(
                        "confirm it: open the link SNS sent to {} (it expires after 3 days; `monitui provision apply` subscribes again once it is gone)",
                        s.endpoint
                    ),
                )
            } else {
                Check::pass("subscription", &name, "confirmed")
            });
        }
    }
    checks
}

/// Each dashboard exists, and every metric it names has a point within
/// [`RECENT`] (one batched read per dashboard).
async fn dashboards(
    reads: &Reads,
    desired: &Desired,
    existing: &[Existing],
    now: Timestamp,
) -> Result<Vec<Check>, DoctorError> {
    let range = TimeRange {
        start: now - RECENT,
        end: now,
    };
    let mut checks = Vec::new();
    for d in desired_of(desired, Kind::Dashboard) {
        let name = d.name();
        let Some(Resource::Dashboard(found)) = find(existing, Kind::Dashboard, &name) else {
            checks.push(Check::fail("dashboard", &name, "missing", APPLY));
            continue;
        };
        checks.push(Check::pass("dashboard", &name, "exists"));
        let Ok(body) = DashboardBody::parse(&found.body.to_string()) else {
            checks.push(Check::fail(
                "dashboard data",
                &name,
                "the stored body is not a dashboard",
                APPLY,
            ));
            continue;
        };
        let mut queries = body.metric_queries(range);
        queries.retain(|q| matches!(q.source, QuerySource::Metric { .. }));
        for q in &mut queries {
            q.return_data = true;
        }
        let series = reads.metrics.metric_data(&queries, range).await?;
        let mut silent: Vec<String> = queries
            .iter()
            .filter(|q| !series.iter().any(|s| s.id == q.id && !s.points.is_empty()))
            .filter_map(|q| match &q.source {
                QuerySource::Metric { metric, .. } => Some(metric.display_name()),
                QuerySource::Expression { .. } => None,
            })
            .collect();
        silent.sort();
        silent.dedup();
        checks.push(if silent.is_empty() {
            Check::pass("dashboard data", &name, format!("{} metric(s) with data in the last 24 hours", queries.len()))
        } else {
            Check::fail(
                "dashboard data",
                &name,
                format!("no data in the last 24 hours: {}", silent.join(", ")),
                "wait 5-10 minutes for data, verify the resources are running, check the metric names and dimensions",
            )
        });
    }
    Ok(checks)
}

/// Each alarm (metric, metric-math and composite, such as a target's
/// burn-rate alarms) exists, notifies the topics the spec names (a
/// burn-rate window alarm names none: its composite notifies) and is not
/// stuck in INSUFFICIENT_DATA. An alarm the stack's read found but the
/// alarm list does not show (listed before it was made, or the demo
/// account, whose alarm list is its own story) is checked from the read.
async fn alarms(
    reads: &Reads,
    desired: &Desired,
    existing: &[Existing],
    now: Timestamp,
) -> Result<Vec<Check>, DoctorError> {
    let wanted: Vec<(Kind, &String, &Vec<String>)> = desired
        .resources
        .iter()
        .filter_map(|r| match r {
            Resource::Alarm(a) => Some((Kind::Alarm, &a.name, &a.topics)),
            Resource::CompositeAlarm(c) => Some((Kind::CompositeAlarm, &c.name, &c.topics)),
            _ => None,
        })
        .collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let all = reads.alarms.list_alarms().await?;
    let unwired_hint =
        |name: &str| format!("{APPLY} (or, if it is silenced, `monitui alarms unsilence {name}`)");
    Ok(wanted
        .into_iter()
        .map(|(kind, name, topics)| {
            let unwired = |notified: &dyn Fn(&str) -> bool| -> bool {
                topics.iter().any(|t| !notified(t))
            };
            let Some(alarm) = all.iter().find(|a| &a.name == name) else {
                let made_topics = match find(existing, kind, name) {
                    Some(Resource::Alarm(a)) => &a.topics,
                    Some(Resource::CompositeAlarm(c)) => &c.topics,
                    _ => return Check::fail("alarm", name, "missing", APPLY),
                };
                return if unwired(&|t| made_topics.iter().any(|m| m == t)) {
                    Check::fail("alarm", name, format!("does not notify topic {}", topics.join(", ")), APPLY)
                } else {
                    Check::pass("alarm", name, "exists and notifies the topics the spec names")
                };
            };
            let stuck_for = now.duration_since(alarm.transitioned_at).unsigned_abs();
            if unwired(&|t| alarm.alarm_actions.iter().any(|arn| arn.rsplit(':').next() == Some(t))) || !alarm.actions_enabled {
                Check::fail(
                    "alarm",
                    name,
                    format!("does not notify topic {}", topics.join(", ")),
                    unwired_hint(name),
                )
            } else if alarm.state == AlarmState::InsufficientData && stuck_for > STUCK_AFTER {
                Check::fail(
                    "alarm",
                    name,
                    format!("INSUFFICIENT_DATA for {}", humantime::format_duration(Duration::from_secs(stuck_for.as_secs() / 60 * 60))),
                    "check that the metric has data with these dimensions and that the period and threshold fit it",
                )
            } else if topics.is_empty() {
                Check::pass("alarm", name, format!("{} (its composite notifies)", alarm.state))
            } else {
                Check::pass("alarm", name, format!("{} and notifies the topic", alarm.state))
            }
        })
        .collect())
}

fn days(d: Option<u32>) -> String {
    d.map_or_else(|| "never expire".into(), |d| format!("{d} days"))
}

/// Each log group exists with the spec's retention and KMS key.
fn log_groups(desired: &Desired, existing: &[Existing]) -> Vec<Check> {
    desired_of(desired, Kind::LogGroup)
        .filter_map(|r| match r {
            Resource::LogGroup(g) => Some(g),
            _ => None,
        })
        .map(|want| {
            let fix = if desired.is_shared(Kind::LogGroup, &want.name) {
                ADOPT
            } else {
                APPLY
            };
            (want, fix)
        })
        .map(
            |(want, fix)| match find(existing, Kind::LogGroup, &want.name) {
                Some(Resource::LogGroup(have)) => {
                    let mut wrong = Vec::new();
                    if have.retention_days != want.retention_days {
                        wrong.push(format!(
                            "retention {}, the spec says {}",
                            days(have.retention_days),
                            days(want.retention_days)
                        ));
                    }
                    if have.kms_key != want.kms_key {
                        wrong.push(format!(
                            "KMS key {}, the spec says {}",
                            have.kms_key.as_deref().unwrap_or("none"),
                            want.kms_key.as_deref().unwrap_or("none")
                        ));
                    }
                    if wrong.is_empty() {
                        Check::pass(
                            "log group",
                            &want.name,
                            format!("{}, KMS encrypted", days(want.retention_days)),
                        )
                    } else {
                        Check::fail(
                            "log group",
                            &want.name,
                            wrong.join("; "),
                            format!("{fix} (the KMS key policy must allow CloudWatch Logs)"),
                        )
                    }
                }
                _ => Check::fail("log group", &want.name, "missing", fix),
            },
        )
        .collect()
}

/// The trail exists, logs, and its last deliveries did not fail.
pub fn trail_check(name: &str, health: Option<&TrailHealth>) -> Check {
    let Some(health) = health else {
        return Check::fail("trail", name, "missing", APPLY);
    };
    if !health.logging {
        return Check::fail(
            "trail",
            name,
            "not logging",
            format!("{APPLY} (it starts logging)"),
        );
    }
    if let Some(e) = &health.delivery_error {
        return Check::fail(
            "trail",
            name,
            format!("S3 delivery failing: {e}"),
            "check that the bucket policy lets cloudtrail.amazonaws.com write and the KMS key lets CloudTrail encrypt",
        );
    }
    if let Some(e) = &health.logs_delivery_error {
        return Check::fail(
            "trail",
            name,
            format!("CloudWatch Logs delivery failing: {e}"),
            "ensure the IAM role lets CloudTrail create log streams and put events in its log group",
        );
    }
    Check::pass("trail", name, "logging, no delivery errors")
}

#[cfg(test)]
mod tests;
