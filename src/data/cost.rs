//! What `monitui cost` measures in the account: dashboards, metric alarms,
//! log groups' stored bytes and retention, the data events the stack's
//! trails record (from the day's Lambda invocations and S3 requests on the
//! selected buckets), and the metrics an open monitui reads at each refresh.

use std::time::Duration;

use jiff::Timestamp;

use crate::model::cost::{Usage, billed_alarm_metrics};
use crate::model::stack::{Kind, Resource};
use crate::model::{AlarmKind, Dimension, MetricQuery, MetricRef, QuerySource, TimeRange};
use crate::provider::provision::ReadScope;
use crate::provider::{ProviderError, Reads};

const DAY: Duration = Duration::from_secs(24 * 3600);

fn daily_sum(id: String, metric: MetricRef) -> MetricQuery {
    MetricQuery {
        id,
        source: QuerySource::Metric {
            metric,
            stat: "Sum".into(),
            period_secs: 86_400,
        },
        label: None,
        return_data: true,
    }
}

/// Measures the account for the estimate (`prefix`: the stack whose
/// trails count; `pinned`: the env's pinned metrics; `refresh`: its
/// refresh interval). Log groups a backend cannot list count as none.
pub async fn usage(
    reads: &Reads,
    prefix: &str,
    pinned: usize,
    refresh: Duration,
    now: Timestamp,
) -> Result<Usage, ProviderError> {
    let (dashboards, alarms, groups, trails) = tokio::join!(
        reads.metrics.list_dashboards(),
        reads.alarms.list_alarms(),
        reads.logs.list_log_groups(),
        reads.provision.read_kind(
            Kind::Trail,
            ReadScope {
                prefix,
                names: &[],
                topic: "",
            },
        ),
    );
    let alarms = alarms?;
    let groups = match groups {
        Err(ProviderError::Unsupported(_)) => Vec::new(),
        other => other?,
    };
    let metric_alarms = alarms
        .iter()
        .filter(|a| matches!(a.kind, AlarmKind::Metric(_)))
        .count();
    let billed_alarms = alarms
        .iter()
        .filter_map(|a| a.metric_spec())
        .map(billed_alarm_metrics)
        .sum();
    let composites = alarms
        .iter()
        .filter(|a| matches!(a.kind, AlarmKind::Composite { .. }))
        .count();
    let mut queries = Vec::new();
    let mut lambda = false;
    for t in trails? {
        if let Resource::Trail(t) = t.resource {
            lambda |= t.lambda_data_events;
            for bucket in t.s3_data_buckets {
                queries.push(daily_sum(
                    format!("s{}", queries.len()),
                    MetricRef::new(
                        "AWS/S3",
                        "AllRequests",
                        vec![
                            Dimension::new("BucketName", bucket),
                            Dimension::new("FilterId", "EntireBucket"),
                        ],
                    ),
                ));
            }
        }
    }
    if lambda {
        queries.push(daily_sum(
            "lambda".into(),
            MetricRef::new("AWS/Lambda", "Invocations", vec![]),
        ));
    }
    let data_events_per_day = if queries.is_empty() {
        0.0
    } else {
        let range = TimeRange {
            start: now - DAY,
            end: now,
        };
        reads
            .metrics
            .metric_data(&queries, range)
            .await?
            .iter()
            .flat_map(|s| s.points.iter().map(|(_, v)| *v))
            .fold(0.0, |sum, v| sum + v)
    };
    Ok(Usage {
        dashboards: dashboards?.len(),
        alarms: billed_alarms,
        composites,
        log_groups: groups
            .iter()
            .map(|g| (g.stored_bytes.unwrap_or(0), g.retention_days))
            .collect(),
        data_events_per_day,
        metrics_per_refresh: metric_alarms + pinned,
        refresh_secs: refresh.as_secs_f64(),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::stack::{Trail, managed_tags};
    use crate::model::{Clock, ManualClock};
    use crate::provider::Account;
    use crate::provider::sim::SimProvider;

    #[tokio::test]
    async fn the_demo_account_is_measured_with_its_trail_data_events() {
        let clock = ManualClock::new("2026-01-16T12:00:00Z".parse().unwrap());
        let shared: Arc<dyn Clock> = Arc::new(clock.clone());
        let account = Account::of(Arc::new(SimProvider::new(23, shared, "p")));
        let bare = usage(&account.reads, "p", 2, Duration::from_secs(5), clock.now())
            .await
            .unwrap();
        assert_eq!(
            (
                bare.dashboards,
                bare.alarms,
                bare.composites,
                bare.metrics_per_refresh
            ),
            (3, 7, 1, 7),
            "four one-metric alarms, an anomaly band's three, one composite"
        );
        assert_eq!(bare.data_events_per_day, 0.0, "no trail, no data events");
        let trail = Resource::Trail(Trail {
            name: "p-trail".into(),
            bucket: "b".into(),
            kms_key: None,
            multi_region: true,
            log_file_validation: true,
            log_group: None,
            role: None,
            s3_data_buckets: vec![],
            lambda_data_events: true,
            logging: true,
        });
        let bucket = Resource::Bucket(crate::model::stack::Bucket {
            name: "b".into(),
            kms_key: None,
            public_access_blocked: true,
            policy: None,
        });
        for r in [&bucket, &trail] {
            account
                .writes
                .provision
                .put_resource(r, None, &managed_tags("p"))
                .await
                .unwrap();
        }
        let with_trail = usage(&account.reads, "p", 2, Duration::from_secs(5), clock.now())
            .await
            .unwrap();
        assert!(with_trail.data_events_per_day > 1000.0, "{with_trail:?}");
    }
}
