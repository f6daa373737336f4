//! `alarms explain` and `alarms backtest` through the AWS provider against
//! recorded answers, for what the emulator cannot show: a StateReasonData
//! to check against, GetMetricData calls cut at the 100,800-datapoint
//! limit, and DescribeAlarmHistory followed over every page at the largest
//! page size.

mod support;

use ciborium::Value;
use jiff::{SignedDuration, Timestamp};
use monitui::data::backtest::run_backtest;
use monitui::data::explain::explain_alarm;
use monitui::model::backtest::Overrides;
use monitui::model::{
    Alarm, AlarmKind, AlarmState, Comparison, MetricAlarmSpec, MetricRef, TimeRange,
    TreatMissingData,
};
use support::cbor::{array, float, get, map, text, timestamp};
use support::recorded::{RecordedRequest, RecordedServer, Reply, Rule};

const NOW: i64 = 1_800_000_000;

fn alarm(period_secs: u32, reason: &str, reason_data: Option<&str>) -> Alarm {
    let at = Timestamp::from_second(NOW - 60).unwrap();
    Alarm {
        name: "api-5xx".into(),
        arn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:api-5xx".into(),
        description: None,
        state: AlarmState::Alarm,
        reason: reason.into(),
        reason_data: reason_data.map(str::to_string),
        updated_at: at,
        transitioned_at: at,
        kind: AlarmKind::Metric(MetricAlarmSpec {
            metric: Some(MetricRef::new("AWS/ApiGateway", "5XXError", vec![])),
            stat: "Sum".into(),
            period_secs,
            evaluation_periods: 2,
            datapoints_to_alarm: Some(2),
            threshold: 5.0,
            comparison: Comparison::GreaterThanThreshold,
            treat_missing: TreatMissingData::Missing,
            queries: Vec::new(),
            threshold_metric_id: None,
        }),
        actions_enabled: true,
        alarm_actions: Vec::new(),
        ok_actions: Vec::new(),
        insufficient_data_actions: Vec::new(),
    }
}

fn metric_data(points: &[(i64, f64)]) -> Reply {
    Reply::cbor(
        200,
        &map([(
            "MetricDataResults",
            array([map([
                ("Id", text("m")),
                ("Label", text("5XXError")),
                (
                    "Timestamps",
                    array(points.iter().map(|(t, _)| timestamp(*t))),
                ),
                ("Values", array(points.iter().map(|(_, v)| float(*v)))),
                ("StatusCode", text("Complete")),
            ])]),
        )]),
    )
}

fn history_item(at: i64, from: &str, to: &str) -> Value {
    map([
        ("AlarmName", text("api-5xx")),
        ("Timestamp", timestamp(at)),
        ("HistoryItemType", text("StateUpdate")),
        (
            "HistorySummary",
            text(&format!("Alarm updated from {from} to {to}")),
        ),
        (
            "HistoryData",
            text(&format!(
                r#"{{"version":"1.0","oldState":{{"stateValue":"{from}"}},"newState":{{"stateValue":"{to}"}}}}"#
            )),
        ),
    ])
}

fn token(r: &RecordedRequest) -> Option<String> {
    get(&r.cbor_body(), "NextToken")
        .and_then(Value::as_text)
        .map(str::to_string)
}

fn int(r: &RecordedRequest, key: &str) -> Option<i128> {
    get(&r.cbor_body(), key)
        .and_then(Value::as_integer)
        .map(i128::from)
}

/// Seconds covered by a GetMetricData request.
fn span(r: &RecordedRequest) -> i64 {
    let body = r.cbor_body();
    let secs = |key: &str| match get(&body, key) {
        Some(Value::Tag(_, v)) => match &**v {
            Value::Integer(i) => i128::from(*i) as i64,
            Value::Float(f) => *f as i64,
            other => panic!("{key}: {other:?}"),
        },
        other => panic!("{key}: {other:?}"),
    };
    secs("EndTime") - secs("StartTime")
}

async fn backtest_server(period: i64) -> RecordedServer {
    let page1 = Reply::cbor(
        200,
        &map([
            (
                "AlarmHistoryItems",
                array([history_item(NOW - 600, "ALARM", "OK")]),
            ),
            ("NextToken", text("h2")),
        ]),
    );
    let page2 = Reply::cbor(
        200,
        &map([(
            "AlarmHistoryItems",
            array([history_item(NOW - 3600, "OK", "ALARM")]),
        )]),
    );
    RecordedServer::start([
        Rule::new(
            "GetMetricData",
            metric_data(&[(NOW - 3600, 9.0), (NOW - 3600 + period, 9.0)]),
        ),
        Rule::new("DescribeAlarmHistory", page1).when(|r| token(r).is_none()),
        Rule::new("DescribeAlarmHistory", page2).when(|r| token(r).as_deref() == Some("h2")),
    ])
    .await
}

#[tokio::test]
async fn a_fortnight_costs_the_fewest_calls_the_datapoint_limit_allows() {
    let now = Timestamp::from_second(NOW).unwrap();
    let range = TimeRange {
        start: now - SignedDuration::from_hours(14 * 24),
        end: now,
    };
    for (period, calls) in [(60, 1), (10, 2)] {
        let server = backtest_server(i64::from(period)).await;
        let reads = support::aws_session(&server.endpoint()).await.reads.clone();
        let run = run_backtest(
            &reads,
            &alarm(period, "", None),
            Overrides::default(),
            range,
        )
        .await
        .unwrap();
        let requests = server.requests_for("GetMetricData").await;
        assert_eq!(requests.len(), calls, "period {period}");
        assert_eq!(run.metric_calls, calls);
        for r in &requests {
            assert!(
                span(r) / i64::from(period) <= 100_800,
                "a call asks for more than 100,800 datapoints"
            );
        }
        let history = server.requests_for("DescribeAlarmHistory").await;
        assert_eq!(history.len(), 2, "every page followed");
        for r in &history {
            assert_eq!(int(r, "MaxRecords"), Some(100), "the largest page size");
            assert_eq!(
                get(&r.cbor_body(), "HistoryItemType").and_then(Value::as_text),
                Some("StateUpdate")
            );
        }
        let b = run.backtest;
        assert_eq!(b.did.count, 1, "the episode spans both pages");
        assert_eq!(b.did.alarm_secs, 3000);
        assert_eq!(b.would.count, 1, "9, 9 > 5 for 2 of 2 periods");
    }
}

const REASON: &str = "Threshold Crossed: 2 out of the last 2 datapoints [9.0 (15/01/27 07:58:00), 8.0 (15/01/27 07:57:00)] were greater than the threshold (5.0) (minimum 2 datapoints for OK -> ALARM transition).";

fn reason_data(start: i64) -> String {
    let at = |s: i64| {
        Timestamp::from_second(s)
            .unwrap()
            .strftime("%Y-%m-%dT%H:%M:%S.000+0000")
            .to_string()
    };
    format!(
        r#"{{"version":"1.0","queryDate":"{}","startDate":"{}","statistic":"Sum","period":60,"recentDatapoints":[8.0,9.0],"threshold":5.0,"evaluatedDatapoints":[{{"timestamp":"{}","sampleCount":9.0,"value":9.0}},{{"timestamp":"{}","sampleCount":8.0,"value":8.0}}]}}"#,
        at(start + 120),
        at(start),
        at(start + 60),
        at(start)
    )
}

#[tokio::test]
async fn explain_checks_the_service_and_shows_a_disagreement() {
    let now = Timestamp::from_second(NOW).unwrap();
    let start = NOW - NOW % 60 - 180;
    let data = reason_data(start);
    for (values, agrees) in [([8.0, 9.0], true), ([8.0, 2.0], false)] {
        let server = RecordedServer::start([Rule::new(
            "GetMetricData",
            metric_data(&[
                (start, values[0]),
                (start + 60, values[1]),
                (start + 120, 1.0),
            ]),
        )])
        .await;
        let reads = support::aws_session(&server.endpoint()).await.reads.clone();
        let e = explain_alarm(&reads, &alarm(60, REASON, Some(&data)), now)
            .await
            .unwrap();
        assert_eq!(e.agrees_with_service, agrees, "{:?}", e.disagreements);
        assert_eq!(e.window.start.as_second(), start);
        assert_eq!(e.datapoints.len(), 2);
        assert_eq!(
            server.calls("GetMetricData").await,
            1,
            "the decision window and the latest periods in one call"
        );
        if !agrees {
            assert_eq!(e.evaluated_state, AlarmState::Ok);
            assert!(
                e.disagreements.iter().any(|d| d.contains("[8, 9]")),
                "{:?}",
                e.disagreements
            );
        }
    }
}
