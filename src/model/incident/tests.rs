use super::*;
use crate::model::LogEvent;
use crate::model::alarm::{Comparison, HistoryKind, MetricAlarmSpec, TreatMissingData};
use crate::model::metric::{Dimension, MetricRef};

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn alarm(namespace: &str, dimensions: &[(&str, &str)], state: AlarmState) -> Alarm {
    Alarm {
        name: "shop-lambda-errors".into(),
        arn: "arn:aws:cloudwatch:us-east-1:1:alarm:shop-lambda-errors".into(),
        description: None,
        state,
        reason: String::new(),
        reason_data: None,
        updated_at: at("2026-01-01T10:00:00Z"),
        transitioned_at: at("2026-01-01T10:00:00Z"),
        kind: AlarmKind::Metric(MetricAlarmSpec {
            metric: Some(MetricRef {
                namespace: namespace.into(),
                name: "Errors".into(),
                dimensions: dimensions
                    .iter()
                    .map(|(n, v)| Dimension {
                        name: (*n).into(),
                        value: (*v).into(),
                    })
                    .collect(),
            }),
            stat: "Sum".into(),
            period_secs: 300,
            evaluation_periods: 1,
            datapoints_to_alarm: None,
            threshold: 10.0,
            comparison: Comparison::GreaterThanThreshold,
            treat_missing: TreatMissingData::NotBreaching,
            queries: Vec::new(),
            threshold_metric_id: None,
        }),
        actions_enabled: true,
        alarm_actions: vec![],
        ok_actions: vec![],
        insufficient_data_actions: vec![],
    }
}

fn change(when: &str, from: AlarmState, to: AlarmState) -> HistoryItem {
    HistoryItem {
        alarm_name: "shop-lambda-errors".into(),
        timestamp: at(when),
        kind: HistoryKind::StateUpdate,
        summary: format!("{from} to {to}"),
        transition: Some((from, to)),
    }
}

#[test]
fn an_alarm_in_alarm_is_looked_at_from_half_an_hour_before_until_now() {
    let a = alarm("AWS/Lambda", &[], AlarmState::Alarm);
    let w = default_window(&a, &[], at("2026-01-01T10:12:00Z"));
    assert_eq!(w.start, at("2026-01-01T09:30:00Z"));
    assert_eq!(w.end, at("2026-01-01T10:12:00Z"));
}

#[test]
fn an_alarm_back_to_ok_shows_its_latest_episode_until_it_ended() {
    let a = alarm("AWS/Lambda", &[], AlarmState::Ok);
    let history = [
        change("2026-01-01T11:20:00Z", AlarmState::Alarm, AlarmState::Ok),
        change("2026-01-01T11:05:00Z", AlarmState::Ok, AlarmState::Alarm),
        change("2026-01-01T10:40:00Z", AlarmState::Alarm, AlarmState::Ok),
        change("2026-01-01T10:20:00Z", AlarmState::Ok, AlarmState::Alarm),
    ];
    let w = default_window(&a, &history, at("2026-01-01T12:00:00Z"));
    assert_eq!(w.start, at("2026-01-01T10:35:00Z"));
    assert_eq!(w.end, at("2026-01-01T11:20:00Z"));
}

#[test]
fn no_episode_means_the_last_hour() {
    let a = alarm("AWS/Lambda", &[], AlarmState::Ok);
    let w = default_window(&a, &[], at("2026-01-01T12:00:00Z"));
    assert_eq!(w.start, at("2026-01-01T11:00:00Z"));
}

#[test]
fn windows_widen_and_narrow_around_their_end() {
    let w = TimeRange {
        start: at("2026-01-01T11:00:00Z"),
        end: at("2026-01-01T12:00:00Z"),
    };
    assert_eq!(scale_window(w, 2.0).start, at("2026-01-01T10:00:00Z"));
    assert_eq!(scale_window(w, 0.5).start, at("2026-01-01T11:30:00Z"));
    assert_eq!(scale_window(w, 0.01).start, at("2026-01-01T11:55:00Z"));
}

#[test]
fn configured_groups_win_over_the_built_in_rules() {
    let a = alarm("AWS/Lambda", &[], AlarmState::Alarm);
    let configured = [
        RelatedLogs {
            alarms: "other-*".into(),
            groups: vec!["/nope".into()],
        },
        RelatedLogs {
            alarms: "shop-*-errors".into(),
            groups: vec!["/app/api".into(), "/app/worker-*".into()],
        },
    ];
    assert_eq!(
        related_groups(&a, &configured, "shop"),
        [
            GroupRule::Exact("/app/api".into()),
            GroupRule::Glob("/app/worker-*".into())
        ]
    );
}

#[test]
fn built_in_rules_follow_the_alarm_s_metric() {
    let rules = |ns, dims: &[(&str, &str)]| {
        related_groups(&alarm(ns, dims, AlarmState::Alarm), &[], "shop")
    };
    assert_eq!(
        rules("AWS/Lambda", &[("FunctionName", "shop-auth")]),
        [GroupRule::Exact("/aws/lambda/shop-auth".into())]
    );
    assert_eq!(
        rules("AWS/Lambda", &[]),
        [GroupRule::Glob("/aws/lambda/shop-*".into())]
    );
    assert_eq!(
        rules("AWS/Batch", &[]),
        [GroupRule::Exact("/aws/batch/job".into())]
    );
    assert_eq!(
        rules("AWS/ApiGateway", &[]),
        [GroupRule::Glob("/aws/apigateway/shop*".into())]
    );
    assert!(rules("AWS/DMS", &[]).is_empty());
}

#[test]
fn globs_pick_from_the_account_s_groups() {
    let groups = [
        "/aws/lambda/shop-a".to_string(),
        "/aws/lambda/other".into(),
        "/aws/batch/job".into(),
    ];
    assert_eq!(
        GroupRule::Glob("/aws/lambda/shop-*".into()).pick(&groups),
        ["/aws/lambda/shop-a"]
    );
    assert_eq!(
        GroupRule::Exact("/missing".into()).pick(&groups),
        ["/missing"]
    );
    assert!(glob_matches("a?c*", "abcdef"));
    assert!(!glob_matches("a?c", "ac"));
}

fn event(when: &str, message: &str) -> LogEvent {
    LogEvent {
        group: "/g".into(),
        stream: "s".into(),
        timestamp: at(when),
        event_id: None,
        message: message.into(),
    }
}

#[test]
fn errors_are_counted_per_minute_with_empty_minutes_kept() {
    let events = [
        event("2026-01-01T10:00:10Z", "ERROR a"),
        event("2026-01-01T10:00:50Z", "ERROR b"),
        event("2026-01-01T10:02:00Z", "ERROR c"),
        event("2026-01-01T11:00:00Z", "outside"),
    ];
    let w = TimeRange {
        start: at("2026-01-01T10:00:00Z"),
        end: at("2026-01-01T10:03:00Z"),
    };
    let counts: Vec<usize> = errors_per_minute(&failures::failures(&events), w)
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    assert_eq!(counts, [2, 0, 1, 0]);
}

#[test]
fn top_errors_count_lines_that_differ_only_in_numbers_together() {
    let events = [
        event(
            "2026-01-01T10:00:00Z",
            "ERROR timeout after 812 ms\n  at handler (app.js:3)",
        ),
        event("2026-01-01T10:00:01Z", "ERROR timeout after 95 ms"),
        event("2026-01-01T10:00:02Z", "Exception: KeyError"),
    ];
    let found = failures::failures(&events);
    let top = top_errors(&found, 5);
    assert_eq!(top[0].line, "ERROR timeout after # ms");
    assert_eq!(top[0].count, 2);
    assert_eq!(top[0].example, "ERROR timeout after 812 ms");
    assert_eq!(top[1].count, 1);
    assert_eq!(top_errors(&found, 1).len(), 1);
}
