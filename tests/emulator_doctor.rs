//! `doctor` against the emulator: after `provision apply` and once every
//! metric the dashboards name has data (published here), every check
//! passes; a pending HTTP subscription and a log group with the wrong
//! retention each fail with the right target and hint.

mod support;

use monitui::data::doctor::{Check, run};
use monitui::model::dashboard::Dashboard;
use monitui::model::stack::{Kind, Resource};
use monitui::model::{Clock, QuerySource, SystemClock, TimeRange};
use monitui::provision::spec::{BUILTIN, Desired};

use support::stack::{PREFIX, apply, fresh, spec};

fn desired() -> Desired {
    spec(BUILTIN, "staging", "ops@example.com")
}

/// Publishes one point now for every metric the spec's dashboards name.
async fn publish_dashboard_metrics(cw: &aws_sdk_cloudwatch::Client, d: &Desired) -> usize {
    use aws_sdk_cloudwatch::types::{Dimension, MetricDatum};
    let now = SystemClock.now();
    let range = TimeRange {
        start: now - std::time::Duration::from_secs(3600),
        end: now,
    };
    let mut published = 0;
    for r in &d.resources {
        let Resource::Dashboard(dash) = r else {
            continue;
        };
        let body = Dashboard::parse(&dash.body.to_string()).unwrap();
        for q in body.metric_queries(range) {
            let QuerySource::Metric { metric, .. } = q.source else {
                continue;
            };
            let datum = MetricDatum::builder()
                .metric_name(&metric.name)
                .set_dimensions(Some(
                    metric
                        .dimensions
                        .iter()
                        .map(|d| Dimension::builder().name(&d.name).value(&d.value).build())
                        .collect(),
                ))
                .value(1.0)
                .build();
            cw.put_metric_data()
                .namespace(&metric.namespace)
                .metric_data(datum)
                .send()
                .await
                .unwrap_or_else(|e| panic!("PutMetricData {}: {e:?}", metric.display_name()));
            published += 1;
        }
    }
    published
}

fn failures(checks: &[Check]) -> Vec<&Check> {
    checks.iter().filter(|c| !c.ok).collect()
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn doctor_passes_after_apply_and_names_a_pending_subscription_and_a_wrong_retention() {
    let endpoint = support::emulator_endpoint();
    let support::stack::Fresh { session, audit, .. } = &fresh(&endpoint).await;
    let d = desired();
    apply(session, &d, audit).await.unwrap();

    let before = run(&session.reads, &d, SystemClock.now()).await.unwrap();
    let silent: Vec<&str> = failures(&before).iter().map(|c| c.check).collect();
    assert_eq!(
        silent, ["dashboard data"; 3],
        "only the data is missing: {before:#?}"
    );

    let config = support::sdk_config(&endpoint).await;
    let cw = aws_sdk_cloudwatch::Client::new(&config);
    assert_eq!(publish_dashboard_metrics(&cw, &d).await, 42);
    let after = run(&session.reads, &d, SystemClock.now()).await.unwrap();
    assert!(failures(&after).is_empty(), "{:#?}", failures(&after));
    // One check per alarm: the seed's and the targets' burn-rate alarms
    // (window alarms and composites).
    let alarms = d
        .resources
        .iter()
        .filter(|r| matches!(r.kind(), Kind::Alarm | Kind::CompositeAlarm))
        .count();
    assert_eq!(alarms, 4 + 5 * 6);
    assert_eq!(after.iter().filter(|c| c.check == "alarm").count(), alarms);
    assert_eq!(after.len(), 1 + 3 * 2 + alarms + 10 + 1);

    let sns = aws_sdk_sns::Client::new(&config);
    sns.subscribe()
        .topic_arn(format!(
            "arn:aws:sns:us-east-1:000000000000:{PREFIX}-alerts"
        ))
        .protocol("http")
        .endpoint("http://127.0.0.1:9/hook")
        .send()
        .await
        .unwrap();
    let logs = aws_sdk_cloudwatchlogs::Client::new(&config);
    logs.put_retention_policy()
        .log_group_name("/aws/batch/job")
        .retention_in_days(7)
        .send()
        .await
        .unwrap();
    let broken = run(&session.reads, &d, SystemClock.now()).await.unwrap();
    let failed = failures(&broken);
    assert_eq!(failed.len(), 2, "{failed:#?}");
    assert_eq!(
        (
            failed[0].check,
            failed[0].target.as_str(),
            failed[0].detail.as_str()
        ),
        (
            "subscription",
            "http:http://127.0.0.1:9/hook",
            "pending confirmation"
        )
    );
    assert!(
        failed[0]
            .hint
            .as_deref()
            .unwrap()
            .starts_with("confirm it: open the link SNS sent to http://127.0.0.1:9/hook")
    );
    assert_eq!(
        (
            failed[1].check,
            failed[1].target.as_str(),
            failed[1].detail.as_str()
        ),
        (
            "log group",
            "/aws/batch/job",
            "retention 7 days, the spec says 14 days"
        )
    );
    assert_eq!(
        failed[1].hint.as_deref(),
        Some(
            "run `monitui provision apply --adopt-shared` (it is shared with the account: check first that no one else sets it) (the KMS key policy must allow CloudWatch Logs)"
        )
    );
}
