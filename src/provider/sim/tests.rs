//! Tests of the demo account through the `Provider` trait, on a manual clock.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use jiff::{SignedDuration, Timestamp};

use super::SimProvider;
use crate::model::ack::Ack;
use crate::model::{
    Alarm, AlarmState, Dimension, HistoryKind, ManualClock, MetricDatum, MetricQuery, MetricRef,
    QuerySource, TimeRange, TrailQuery,
};
use crate::provider::ProviderError;
use crate::provider::prelude::*;

const PREFIX: &str = "ecommerce-ai-platform";

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn account(seed: u64, start: &str) -> (SimProvider, ManualClock) {
    let clock = ManualClock::new(at(start));
    (
        SimProvider::new(seed, Arc::new(clock.clone()), PREFIX),
        clock,
    )
}

fn name(suffix: &str) -> String {
    format!("{PREFIX}-{suffix}")
}

fn last_hours(clock: &ManualClock, hours: i64) -> TimeRange {
    let end = crate::model::Clock::now(clock);
    TimeRange {
        start: end - SignedDuration::from_hours(hours),
        end,
    }
}

async fn states(p: &SimProvider) -> BTreeMap<String, AlarmState> {
    p.list_alarms()
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.name, a.state))
        .collect()
}

/// The alarm named `name`, as `list_alarms` returns it.
async fn alarm_named(p: &SimProvider, name: &str) -> Alarm {
    p.list_alarms()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name == name)
        .unwrap()
}

fn dms_lag() -> MetricRef {
    MetricRef::new(
        "AWS/DMS",
        "CDCLatencySource",
        vec![
            Dimension::new("ReplicationInstanceIdentifier", name("dms")),
            Dimension::new("ReplicationTaskIdentifier", name("cdc-task")),
        ],
    )
}

/// Launch times across a day and a half: night, morning, peak, evening.
const LAUNCHES: [&str; 5] = [
    "2026-11-27T03:00:00Z",
    "2026-11-27T09:17:42Z",
    "2026-11-27T13:58:05Z",
    "2026-11-27T15:31:59Z",
    "2026-11-28T22:44:30Z",
];

#[tokio::test]
async fn an_incident_is_in_alarm_within_a_minute_of_launch() {
    for seed in [0, 1, 3, 42] {
        for launch in LAUNCHES {
            let (p, clock) = account(seed, launch);
            clock.advance(SignedDuration::from_secs(60));
            let firing: Vec<String> = states(&p)
                .await
                .into_iter()
                .filter(|(_, s)| *s == AlarmState::Alarm)
                .map(|(a, _)| a)
                .collect();
            assert!(
                firing.contains(&name("lambda-errors")),
                "seed {seed} at {launch}: {firing:?}"
            );
        }
    }
}

/// ALARM episodes of each alarm in `range`, from its history.
async fn episodes(p: &SimProvider, range: TimeRange) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for alarm in p.list_alarms().await.unwrap() {
        let history = p.alarm_history(&alarm.name, range, 1000).await.unwrap();
        let entered = history
            .iter()
            .filter(|h| h.transition.is_some_and(|(_, to)| to == AlarmState::Alarm))
            .count();
        out.insert(alarm.name, entered);
    }
    out
}

#[tokio::test]
async fn a_simulated_day_is_calm_with_a_few_incidents() {
    let (mut total, mut busy_days) = (0, 0);
    for seed in [0, 1, 3, 42] {
        for launch in LAUNCHES {
            let (p, clock) = account(seed, launch);
            for _ in 0..24 * 4 {
                clock.advance(SignedDuration::from_mins(15));
                p.list_alarms().await.unwrap();
            }
            let day = |from: Timestamp| TimeRange {
                start: from,
                end: from + SignedDuration::from_hours(24),
            };
            let before = episodes(&p, day(at(launch) - SignedDuration::from_hours(24))).await;
            let after = episodes(&p, day(at(launch))).await;
            for (alarm, n) in before.iter().chain(&after) {
                assert!(*n <= 4, "seed {seed} from {launch}: {alarm} {n} episodes");
            }
            assert!(
                before[&name("lambda-errors")] >= 1,
                "the opening burst started before the launch"
            );
            let day_total: usize = after.values().sum();
            total += day_total;
            busy_days += usize::from(day_total > 0);
        }
    }
    assert!(busy_days > 0, "no incident in the day after any launch");
    assert!(total < 20 * 10, "{total} episodes in 20 days");
}

#[tokio::test]
async fn the_opening_burst_fires_lambda_api_and_composite_alarms_then_recovers() {
    let (p, clock) = account(3, "2026-11-27T14:00:00Z");
    let firing = |states: BTreeMap<String, AlarmState>| {
        states
            .into_iter()
            .filter(|(_, s)| *s == AlarmState::Alarm)
            .map(|(a, _)| a)
            .collect::<Vec<_>>()
    };
    let mut expected: Vec<String> = ["api-5xx-errors", "lambda-errors", "platform-degraded"]
        .map(name)
        .to_vec();
    expected.sort();
    assert_eq!(firing(states(&p).await), expected);
    clock.advance(SignedDuration::from_mins(40));
    assert_eq!(firing(states(&p).await), Vec::<String>::new());
}

#[tokio::test]
async fn same_seed_and_clock_give_the_same_account() {
    let run = |seed| async move {
        let (p, clock) = account(seed, "2026-11-27T13:58:00Z");
        clock.advance(SignedDuration::from_mins(7));
        let alarms = p.list_alarms().await.unwrap();
        let history = p
            .alarm_history(&name("dms-replication-lag"), last_hours(&clock, 4), 100)
            .await
            .unwrap();
        let q = MetricQuery::metric("lag", dms_lag(), "Average", 60);
        let count = MetricQuery::metric(
            "count",
            MetricRef::new(
                "AWS/ApiGateway",
                "Count",
                vec![Dimension::new("ApiName", name("api"))],
            ),
            "Sum",
            300,
        );
        let data = p
            .metric_data(&[q, count], last_hours(&clock, 3))
            .await
            .unwrap();
        (alarms, history, data)
    };
    let (a1, h1, d1) = run(7).await;
    let (a2, h2, d2) = run(7).await;
    assert_eq!(a1, a2);
    assert_eq!(h1, h2);
    assert_eq!(d1, d2);
    assert!(!h1.is_empty() && !d1[0].points.is_empty());
    let (_, _, other) = run(8).await;
    assert_ne!(d1[1].points, other[1].points);
}

#[tokio::test]
async fn history_records_transitions_and_transitioned_at_starts_the_episode() {
    let (p, clock) = account(1, "2026-11-27T13:00:00Z");
    let dms = name("lambda-errors");
    let history = p
        .alarm_history(&dms, last_hours(&clock, 25), 1000)
        .await
        .unwrap();
    let updates: Vec<_> = history
        .iter()
        .filter(|h| h.kind == HistoryKind::StateUpdate)
        .collect();
    assert!(updates.len() >= 2, "{}", updates.len());
    assert_eq!(
        updates[0].transition.map(|(_, to)| to),
        Some(AlarmState::Alarm),
        "the opening burst"
    );
    assert!(history.windows(2).all(|w| w[0].timestamp >= w[1].timestamp));
    let newest = updates[0];
    let (from, to) = newest.transition.unwrap();
    assert_eq!(newest.summary, format!("Alarm updated from {from} to {to}"));
    let alarm = alarm_named(&p, &dms).await;
    assert_eq!(alarm.transitioned_at, newest.timestamp);
    assert!(alarm.updated_at >= alarm.transitioned_at);
    assert_eq!(alarm.state, to);
    let oldest = history.last().unwrap();
    assert_eq!(oldest.kind, HistoryKind::ConfigurationUpdate);
    assert!(history.iter().any(|h| h.kind == HistoryKind::Action));
    assert_eq!(
        p.alarm_history(&dms, last_hours(&clock, 25), 3)
            .await
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test]
async fn a_re_evaluation_keeping_alarm_moves_the_update_but_not_the_episode() {
    let (p, clock) = account(1, "2026-11-27T13:00:00Z");
    let mut before = p.list_alarms().await.unwrap();
    let (mut re_evaluations, mut alarm_kept) = (0, 0);
    for _ in 0..180 {
        clock.advance(SignedDuration::from_mins(1));
        let after = p.list_alarms().await.unwrap();
        for (old, new) in before.iter().zip(&after) {
            assert_eq!(old.name, new.name);
            if old.state != new.state {
                assert!(new.transitioned_at > old.transitioned_at, "{}", new.name);
                assert_eq!(new.updated_at, new.transitioned_at);
            } else if new.updated_at != old.updated_at {
                re_evaluations += 1;
                assert_ne!(new.reason, old.reason, "an update changes the reason");
                assert_eq!(new.transitioned_at, old.transitioned_at, "{}", new.name);
                assert!(new.updated_at > new.transitioned_at);
            }
            if old.state == AlarmState::Alarm && new.state == AlarmState::Alarm {
                alarm_kept += usize::from(new.updated_at != old.updated_at);
                let ack = Ack {
                    by: "alice".into(),
                    at: old.updated_at,
                    episode: old.transitioned_at,
                    note: String::new(),
                };
                assert!(ack.covers(new), "{} stayed in ALARM", new.name);
            }
        }
        before = after;
    }
    assert!(re_evaluations > 10, "only {re_evaluations} re-evaluations");
    assert!(alarm_kept > 3, "only {alarm_kept} re-evaluations in ALARM");
}

#[tokio::test]
async fn setting_the_current_state_again_updates_without_a_new_episode() {
    let (p, clock) = account(1, "2026-11-27T13:00:30Z");
    let dms = name("dms-replication-lag");
    let current = alarm_named(&p, &dms).await;
    clock.advance(SignedDuration::from_secs(10));
    p.set_alarm_state(&dms, current.state, "still investigating")
        .await
        .unwrap();
    let again = alarm_named(&p, &dms).await;
    assert_eq!(again.reason, "still investigating");
    assert_eq!(again.updated_at, at("2026-11-27T13:00:40Z"));
    assert_eq!(again.transitioned_at, current.transitioned_at);
}

#[tokio::test]
async fn alarm_definitions_follow_the_seed() {
    let (p, _) = account(1, "2026-11-27T13:00:00Z");
    let alarms = p.list_alarms().await.unwrap();
    assert_eq!(alarms.len(), 6);
    let topic = format!("arn:aws:sns:us-east-1:123456789012:{PREFIX}-alerts");
    for a in &alarms {
        assert_eq!(
            a.arn,
            format!("arn:aws:cloudwatch:us-east-1:123456789012:alarm:{}", a.name)
        );
        assert_eq!(a.alarm_actions, vec![topic.clone()]);
        assert_eq!(a.ok_actions, vec![topic.clone()]);
        assert!(a.actions_enabled && a.description.is_some());
    }
    let dms = alarms
        .iter()
        .find(|a| a.name == name("dms-replication-lag"))
        .unwrap();
    let spec = dms.metric_spec().unwrap();
    assert_eq!(
        (spec.period_secs, spec.m_of_n(), spec.threshold),
        (60, (2, 3), 300.0)
    );
    let composite = alarms
        .iter()
        .find(|a| a.name == name("platform-degraded"))
        .unwrap();
    assert_eq!(
        composite.threshold_label(),
        format!("ALARM(\"{PREFIX}-lambda-errors\") OR ALARM(\"{PREFIX}-api-5xx-errors\")")
    );
}

#[tokio::test]
async fn set_state_holds_until_an_evaluation_disagrees() {
    let (p, clock) = account(1, "2026-11-27T13:00:30Z");
    let batch = name("batch-job-failures");
    let quiet = states(&p).await[&batch];
    let forced = if quiet == AlarmState::Alarm {
        AlarmState::Ok
    } else {
        AlarmState::Alarm
    };
    p.set_alarm_state(&batch, forced, "testing the notification path")
        .await
        .unwrap();
    let alarm = alarm_named(&p, &batch).await;
    assert_eq!(
        (alarm.state, alarm.reason.as_str()),
        (forced, "testing the notification path")
    );
    assert_eq!(alarm.updated_at, at("2026-11-27T13:00:30Z"));
    assert_eq!(alarm.transitioned_at, at("2026-11-27T13:00:30Z"));
    clock.advance(SignedDuration::from_secs(29));
    assert_eq!(states(&p).await[&batch], forced);
    clock.advance(SignedDuration::from_secs(1));
    assert_eq!(states(&p).await[&batch], quiet);
    let err = p
        .set_alarm_state("nope", AlarmState::Ok, "x")
        .await
        .unwrap_err();
    assert_eq!(err, ProviderError::NotFound("alarm nope".into()));
}

#[tokio::test]
async fn disabled_actions_run_no_actions() {
    let (p, clock) = account(2, "2026-11-27T13:00:00Z");
    let dms = name("lambda-errors");
    p.set_alarm_actions_enabled(std::slice::from_ref(&dms), false)
        .await
        .unwrap();
    let since = crate::model::Clock::now(&clock);
    clock.advance(SignedDuration::from_mins(40));
    let history = p
        .alarm_history(
            &dms,
            TimeRange {
                start: since,
                end: since + SignedDuration::from_hours(1),
            },
            100,
        )
        .await
        .unwrap();
    assert!(history.iter().any(|h| h.kind == HistoryKind::StateUpdate));
    assert!(history.iter().all(|h| h.kind != HistoryKind::Action));
    let alarm = alarm_named(&p, &dms).await;
    assert!(!alarm.actions_enabled);
    let err = p
        .set_alarm_actions_enabled(&[dms, "ghost".into()], true)
        .await
        .unwrap_err();
    assert_eq!(err, ProviderError::NotFound("alarm ghost".into()));
    assert!(
        p.list_alarms()
            .await
            .unwrap()
            .iter()
            .any(|a| !a.actions_enabled)
    );
}

#[tokio::test]
async fn tags_live_on_alarm_arns() {
    let (p, _) = account(1, "2026-11-27T13:00:00Z");
    let arn = format!(
        "arn:aws:cloudwatch:us-east-1:123456789012:alarm:{}",
        name("lambda-errors")
    );
    let tags = BTreeMap::from([
        ("monitui:ack".to_string(), "alice".to_string()),
        ("team".into(), "ops".into()),
    ]);
    p.tag_resource(&arn, &tags).await.unwrap();
    assert_eq!(p.tags(&arn).await.unwrap(), tags);
    p.untag_resource(&arn, &["team".to_string()]).await.unwrap();
    assert_eq!(
        p.tags(&arn).await.unwrap().keys().collect::<Vec<_>>(),
        vec!["monitui:ack"]
    );
    let unknown = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:ghost";
    assert!(
        matches!(p.tags(unknown).await, Err(ProviderError::NotFound(m)) if m.contains("ghost"))
    );
    assert!(matches!(
        p.tag_resource(unknown, &tags).await,
        Err(ProviderError::NotFound(_))
    ));
}

#[tokio::test]
async fn publish_records_messages_with_ids() {
    let (p, _) = account(1, "2026-11-27T13:00:00Z");
    let topic = format!("arn:aws:sns:us-east-1:123456789012:{PREFIX}-alerts");
    let a = p
        .publish(&topic, "ack", "acknowledged by demo-oncall")
        .await
        .unwrap();
    let b = p.publish(&topic, "ack", "again").await.unwrap();
    assert_ne!(a, b);
    assert_eq!(a.len(), 36);
    assert_eq!(
        p.published()[0],
        (
            topic.clone(),
            "ack".into(),
            "acknowledged by demo-oncall".into()
        )
    );
    assert_eq!(p.published().len(), 2);
    assert!(matches!(
        p.publish("arn:aws:sns:us-east-1:123456789012:other", "s", "m")
            .await,
        Err(ProviderError::NotFound(_))
    ));
}

#[tokio::test]
async fn put_metric_data_is_served_back_and_can_fire_nothing_it_should_not() {
    let (p, clock) = account(1, "2026-11-27T13:00:00Z");
    let metric = MetricRef::new(PREFIX, "Checkout.Orders", vec![]);
    let datum = |value, minutes_ago| MetricDatum {
        metric: metric.clone(),
        value,
        unit: Some("Count".into()),
        timestamp: Some(at("2026-11-27T13:00:00Z") - SignedDuration::from_mins(minutes_ago)),
    };
    p.put_metric_data(PREFIX, &[datum(3.0, 5), datum(4.0, 5), datum(10.0, 2)])
        .await
        .unwrap();
    clock.advance(SignedDuration::from_secs(5));
    let q = MetricQuery::metric("o", metric.clone(), "Sum", 60);
    let s = &p.metric_data(&[q], last_hours(&clock, 1)).await.unwrap()[0];
    let values: Vec<f64> = s.points.iter().map(|(_, v)| *v).collect();
    assert_eq!(values, vec![7.0, 10.0]);
    let wrong = p
        .put_metric_data(
            "AWS/Lambda",
            &[MetricDatum {
                metric: MetricRef::new("AWS/Lambda", "Errors", vec![]),
                ..datum(1.0, 0)
            }],
        )
        .await;
    assert!(matches!(wrong, Err(ProviderError::Invalid(_))));
}

#[tokio::test]
async fn metric_data_answers_only_queries_that_return_data() {
    let (p, clock) = account(1, "2026-11-27T13:00:00Z");
    let mut hidden = MetricQuery::metric("m1", dms_lag(), "Average", 60);
    hidden.return_data = false;
    let expr = MetricQuery {
        id: "e1".into(),
        source: QuerySource::Expression {
            expression: "m1 * 2".into(),
            period_secs: Some(60),
        },
        label: Some("double".into()),
        return_data: true,
    };
    let range = last_hours(&clock, 1);
    let out = p.metric_data(&[hidden.clone(), expr], range).await.unwrap();
    assert_eq!(out.len(), 1, "the hidden input is not answered");
    assert_eq!(out[0].id, "e1");
    assert_eq!(out[0].label, "double");
    assert_eq!(out[0].message, None);
    hidden.return_data = true;
    let input = &p.metric_data(&[hidden], range).await.unwrap()[0];
    let doubled: Vec<_> = input.points.iter().map(|(t, v)| (*t, v * 2.0)).collect();
    assert_eq!(out[0].points, doubled);
    assert!(!doubled.is_empty());
}

#[tokio::test]
async fn logs_and_dashboards_are_served() {
    let (p, clock) = account(1, "2026-11-27T13:00:00Z");
    let dashboards = p.list_dashboards().await.unwrap();
    assert_eq!(dashboards.len(), 3);
    assert!(p.dashboard_body(&dashboards[0].name).await.is_ok());
    assert!(matches!(
        p.dashboard_body("x").await,
        Err(ProviderError::NotFound(_))
    ));
    assert_eq!(p.list_log_groups().await.unwrap().len(), 10);
    let page = p
        .filter_log_events("/aws/batch/job", last_hours(&clock, 1), None, None)
        .await
        .unwrap();
    assert!(!page.events.is_empty());
    let all = p
        .log_events("/aws/batch/job", last_hours(&clock, 1))
        .unwrap();
    assert_eq!(page.events, all);
}

#[tokio::test]
async fn trail_lookups_answer_from_the_demo_history() {
    let (p, _) = account(1, "2026-11-27T13:00:00Z");
    let page = p.lookup_trail_events(&TrailQuery::default()).await.unwrap();
    assert_eq!(page.events.len(), super::trail::PAGE_SIZE);
    assert!(page.next_token.is_some());
}

#[tokio::test]
async fn caller_is_the_demo_oncall_role() {
    let (p, _) = account(1, "2026-11-27T13:00:00Z");
    let id = p.caller_identity().await.unwrap();
    assert_eq!(id.account, "123456789012");
    assert_eq!(
        id.arn,
        "arn:aws:sts::123456789012:assumed-role/OnCall/demo-oncall"
    );
    assert_eq!(id.short_name(), "demo-oncall");
    assert_eq!(p.region(), "us-east-1");
}

#[tokio::test]
async fn list_alarms_is_cheap_once_warmed_up() {
    let (p, clock) = account(1, "2026-11-27T13:00:00Z");
    p.list_alarms().await.unwrap();
    let started = Instant::now();
    for _ in 0..200 {
        clock.advance(SignedDuration::from_secs(15));
        assert_eq!(p.list_alarms().await.unwrap().len(), 6);
    }
    let per_call = started.elapsed() / 200;
    assert!(per_call.as_micros() < 1000, "{per_call:?} per call");
}

#[tokio::test]
async fn every_metric_the_seed_names_has_data() {
    let (p, clock) = account(1, "2026-11-27T13:00:00Z");
    let dims = |pairs: &[(&str, String)]| {
        pairs
            .iter()
            .map(|(k, v)| Dimension::new(*k, v.clone()))
            .collect::<Vec<_>>()
    };
    let mut metrics = Vec::new();
    for m in [
        "Count",
        "4XXError",
        "5XXError",
        "Latency",
        "IntegrationLatency",
    ] {
        metrics.push(MetricRef::new(
            "AWS/ApiGateway",
            m,
            dims(&[("ApiName", name("api"))]),
        ));
    }
    let functions = [
        "auth-service",
        "analytics-service",
        "market-intelligence-hub",
        "demand-insights-engine",
        "compliance-guardian",
        "retail-copilot",
        "global-market-pulse",
    ];
    for f in functions {
        for m in ["Invocations", "Errors", "Throttles", "Duration"] {
            metrics.push(MetricRef::new(
                "AWS/Lambda",
                m,
                dims(&[("FunctionName", name(f))]),
            ));
        }
    }
    let dms = [
        ("ReplicationInstanceIdentifier", name("dms")),
        ("ReplicationTaskIdentifier", name("cdc-task")),
    ];
    for m in [
        "CDCLatencySource",
        "CDCLatencyTarget",
        "CDCThroughputRowsSource",
        "FullLoadThroughputRowsTarget",
    ] {
        metrics.push(MetricRef::new("AWS/DMS", m, dims(&dms)));
    }
    for m in [
        "RunningJobs",
        "SubmittedJobs",
        "FailedJobs",
        "SucceededJobs",
    ] {
        metrics.push(MetricRef::new(
            "AWS/Batch",
            m,
            dims(&[("JobQueue", name("job-queue"))]),
        ));
    }
    let glue = [("JobName", name("crawler")), ("Type", "count".to_string())];
    for m in [
        "glue.driver.aggregate.numCompletedTasks",
        "glue.driver.aggregate.numFailedTasks",
    ] {
        metrics.push(MetricRef::new("Glue", m, dims(&glue)));
    }
    for m in [
        "MarketIntelligence.ForecastAccuracy",
        "MarketIntelligence.TrainingTime",
        "MarketIntelligence.PredictionLatency",
        "DemandInsights.SegmentationQuality",
        "DemandInsights.CLVAccuracy",
        "DemandInsights.ChurnAccuracy",
        "ComplianceGuardian.FraudDetectionRate",
        "ComplianceGuardian.HighRiskTransactions",
        "ComplianceGuardian.PCIViolations",
        "RetailCopilot.ResponseTime",
        "RetailCopilot.SQLGenerationSuccess",
        "RetailCopilot.ConversationCount",
        "GlobalMarketPulse.TrendAccuracy",
        "GlobalMarketPulse.OpportunityScore",
        "GlobalMarketPulse.AnalysisTime",
    ] {
        metrics.push(MetricRef::new(PREFIX, m, vec![]));
    }
    let queries: Vec<MetricQuery> = metrics
        .iter()
        .enumerate()
        .map(|(i, m)| MetricQuery::metric(format!("m{i}"), m.clone(), "SampleCount", 3600))
        .collect();
    let series = p
        .metric_data(&queries, last_hours(&clock, 24))
        .await
        .unwrap();
    assert_eq!(series.len(), metrics.len());
    for (metric, s) in metrics.iter().zip(&series) {
        assert!(
            !s.points.is_empty(),
            "no data for {}",
            metric.display_name()
        );
    }
}

#[tokio::test]
async fn unknown_alarms_are_named_in_errors() {
    let (p, clock) = account(1, "2026-11-27T13:00:00Z");
    let err = p
        .alarm_history("ghost", last_hours(&clock, 1), 10)
        .await
        .unwrap_err();
    assert_eq!(err, ProviderError::NotFound("alarm ghost".into()));
    let early = TimeRange {
        start: at("2026-11-26T12:00:00Z"),
        end: at("2026-11-26T13:00:30Z"),
    };
    let history = p
        .alarm_history(&name("lambda-errors"), early, 100)
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        history[0].summary,
        format!("Alarm \"{}\" created", name("lambda-errors"))
    );
}
