//! An anomaly-detection alarm's detail through the AWS provider against
//! recorded answers (the emulator evaluates no metric math): the alarm as
//! DescribeAlarms returns it (its `Metrics` and `ThresholdMetricId`), then
//! ONE GetMetricData call carrying the alarm's own queries, the metric and
//! `ANOMALY_DETECTION_BAND(m1, 2)`, whose two answered series under the
//! band's id become the band the chart draws.

mod support;

use std::time::Duration;

use ciborium::Value;
use jiff::Timestamp;
use monitui::data::detail::load_detail;
use monitui::model::AlarmState;
use support::cbor::{array, float, get, map, text, timestamp};
use support::recorded::{RecordedServer, Reply, Rule};

const NOW: i64 = 1_800_000_000;
/// The last three completed 5-minute periods before NOW.
const PERIODS: [i64; 3] = [
    NOW - NOW % 300 - 900,
    NOW - NOW % 300 - 600,
    NOW - NOW % 300 - 300,
];

fn anomaly_alarm() -> Value {
    let metric_stat = map([
        (
            "Metric",
            map([
                ("Namespace", text("AWS/EC2")),
                ("MetricName", text("CPUUtilization")),
                (
                    "Dimensions",
                    array([map([
                        ("Name", text("InstanceId")),
                        ("Value", text("i-0abc")),
                    ])]),
                ),
            ]),
        ),
        ("Period", Value::Integer(300.into())),
        ("Stat", text("Average")),
    ]);
    map([
        ("AlarmName", text("cpu-anomaly")),
        (
            "AlarmArn",
            text("arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu-anomaly"),
        ),
        ("StateValue", text("ALARM")),
        ("StateReason", text("Thresholds Crossed")),
        ("StateUpdatedTimestamp", timestamp(NOW - 120)),
        ("EvaluationPeriods", Value::Integer(2.into())),
        ("DatapointsToAlarm", Value::Integer(2.into())),
        (
            "ComparisonOperator",
            text("LessThanLowerOrGreaterThanUpperThreshold"),
        ),
        ("ThresholdMetricId", text("ad1")),
        (
            "Metrics",
            array([
                map([
                    ("Id", text("m1")),
                    ("MetricStat", metric_stat),
                    ("ReturnData", Value::Bool(true)),
                ]),
                map([
                    ("Id", text("ad1")),
                    ("Expression", text("ANOMALY_DETECTION_BAND(m1, 2)")),
                    ("Label", text("CPUUtilization (expected)")),
                    ("ReturnData", Value::Bool(true)),
                ]),
            ]),
        ),
    ])
}

fn result(id: &str, label: &str, values: [f64; 3]) -> Value {
    map([
        ("Id", text(id)),
        ("Label", text(label)),
        ("Timestamps", array(PERIODS.map(timestamp))),
        ("Values", array(values.map(float))),
        ("StatusCode", text("Complete")),
    ])
}

#[tokio::test]
async fn the_band_comes_from_one_call_with_the_alarms_own_queries() {
    let server = RecordedServer::start([
        Rule::new(
            "DescribeAlarms",
            Reply::cbor(200, &map([("MetricAlarms", array([anomaly_alarm()]))])),
        ),
        Rule::new(
            "GetMetricData",
            Reply::cbor(
                200,
                &map([(
                    "MetricDataResults",
                    array([
                        result("m1", "CPUUtilization", [40.0, 95.0, 3.0]),
                        // The service's order of the two limits is not
                        // relied on: the smaller is the lower limit.
                        result("ad1", "CPUUtilization (expected)", [60.0, 62.0, 61.0]),
                        result("ad1", "CPUUtilization (expected)", [20.0, 22.0, 21.0]),
                    ]),
                )]),
            ),
        ),
        Rule::new(
            "DescribeAlarmHistory",
            Reply::cbor(200, &map([("AlarmHistoryItems", array([]))])),
        ),
    ])
    .await;
    let session = support::aws_session(&server.endpoint()).await;
    let alarm = session
        .reads
        .alarms
        .list_alarms()
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(alarm.state, AlarmState::Alarm);
    let now = Timestamp::from_second(NOW).unwrap();
    let detail = load_detail(&session.reads, &alarm, Duration::from_secs(3600), now).await;
    assert_eq!(detail.error, None);

    let requests = server.requests_for("GetMetricData").await;
    assert_eq!(requests.len(), 1, "metric and band in one call");
    let body = requests[0].cbor_body();
    let queries = get(&body, "MetricDataQueries")
        .and_then(Value::as_array)
        .expect("queries sent");
    assert_eq!(queries.len(), 2, "{queries:?}");
    let id = |q: &Value| get(q, "Id").and_then(Value::as_text).map(str::to_string);
    assert_eq!(id(&queries[0]).as_deref(), Some("m1"));
    let stat = get(&queries[0], "MetricStat").expect("m1 is the metric");
    assert_eq!(get(stat, "Stat").and_then(Value::as_text), Some("Average"));
    assert_eq!(id(&queries[1]).as_deref(), Some("ad1"));
    assert_eq!(
        get(&queries[1], "Expression").and_then(Value::as_text),
        Some("ANOMALY_DETECTION_BAND(m1, 2)")
    );
    assert_eq!(
        get(&queries[1], "ReturnData").and_then(Value::as_bool),
        Some(true)
    );

    let series = detail.series.expect("the metric");
    assert_eq!(series.id, "m1");
    assert_eq!(series.points.len(), 3);
    let band = detail.band.expect("the band");
    assert_eq!(band.label, "CPUUtilization (expected)");
    let limits: Vec<(i64, f64, f64)> = band
        .points
        .iter()
        .map(|(t, lo, hi)| (t.as_second(), *lo, *hi))
        .collect();
    assert_eq!(
        limits,
        vec![
            (PERIODS[0], 20.0, 60.0),
            (PERIODS[1], 22.0, 62.0),
            (PERIODS[2], 21.0, 61.0)
        ]
    );
    let outside = series
        .points
        .iter()
        .filter(|(t, v)| band.at(*t).is_some_and(|(lo, hi)| *v < lo || *v > hi))
        .count();
    assert_eq!(outside, 2, "95 above and 3 below the band");
    let refused = detail.explanation.expect("explain was asked").unwrap_err();
    assert!(refused.contains("anomaly-detection band"), "{refused}");
}
