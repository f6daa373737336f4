//! The metrics explorer's calls through the AWS provider against recorded
//! answers: ListMetrics sends the filters and follows NextToken (and stops
//! at the tab's limit saying so), and `metrics get` asks GetMetricData for
//! the largest pages, follows NextToken and prints every point with its
//! value and RFC 3339 time.

mod support;

use ciborium::Value;
use jiff::Timestamp;
use monitui::cli::args::OutputFormat;
use monitui::cli::metrics_cmd;
use monitui::model::metric_browse::{ChartedMetric, MetricFilter};
use monitui::model::{Dimension, MetricRef, TimeRange};
use monitui::provider::prelude::*;
use support::cbor::{array, float, get, map, text, timestamp};
use support::recorded::{RecordedRequest, RecordedServer, Reply, Rule};

fn listed(namespace: &str, name: &str, dims: &[(&str, &str)]) -> Value {
    map([
        ("Namespace", text(namespace)),
        ("MetricName", text(name)),
        (
            "Dimensions",
            array(
                dims.iter()
                    .map(|(k, v)| map([("Name", text(k)), ("Value", text(v))])),
            ),
        ),
    ])
}

fn token(r: &RecordedRequest) -> Option<String> {
    get(&r.cbor_body(), "NextToken")
        .and_then(Value::as_text)
        .map(str::to_string)
}

fn page(metrics: Vec<Value>, next: Option<&str>) -> Reply {
    let mut entries = vec![(Value::Text("Metrics".into()), array(metrics))];
    if let Some(next) = next {
        entries.push((Value::Text("NextToken".into()), text(next)));
    }
    Reply::cbor(200, &Value::Map(entries))
}

fn filter() -> MetricFilter {
    MetricFilter::parse(
        Some("AWS/Lambda".into()),
        Some("Errors".into()),
        &["FunctionName=auth".into(), "Resource".into()],
    )
    .unwrap()
}

#[tokio::test]
async fn list_metrics_sends_the_filters_and_follows_every_page() {
    let server = RecordedServer::start([
        Rule::new(
            "ListMetrics",
            page(
                vec![listed(
                    "AWS/Lambda",
                    "Errors",
                    &[("FunctionName", "auth"), ("Resource", "auth:live")],
                )],
                Some("page-2"),
            ),
        )
        .when(|r| token(r).is_none()),
        Rule::new(
            "ListMetrics",
            page(
                vec![listed(
                    "AWS/Lambda",
                    "Errors",
                    &[("FunctionName", "auth"), ("Resource", "auth:blue")],
                )],
                None,
            ),
        )
        .when(|r| token(r).as_deref() == Some("page-2")),
    ])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let list = provider.list_metrics(&filter(), usize::MAX).await.unwrap();

    let resources: Vec<&str> = list
        .metrics
        .iter()
        .map(|m| m.dimensions[1].value.as_str())
        .collect();
    assert_eq!(resources, ["auth:blue", "auth:live"], "both pages, sorted");
    assert!(!list.truncated);
    let requests = server.requests_for("ListMetrics").await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        let body = request.cbor_body();
        assert_eq!(
            get(&body, "Namespace").and_then(Value::as_text),
            Some("AWS/Lambda")
        );
        assert_eq!(
            get(&body, "MetricName").and_then(Value::as_text),
            Some("Errors")
        );
        let dims = get(&body, "Dimensions").and_then(Value::as_array).unwrap();
        assert_eq!(dims.len(), 2);
        assert_eq!(
            get(&dims[0], "Value").and_then(Value::as_text),
            Some("auth")
        );
        assert_eq!(
            get(&dims[1], "Name").and_then(Value::as_text),
            Some("Resource")
        );
        assert!(
            get(&dims[1], "Value").is_none(),
            "a name alone matches any value"
        );
    }
}

#[tokio::test]
async fn list_metrics_stops_at_its_limit_and_says_more_were_left() {
    let first = (0..3)
        .map(|i| listed("Custom", &format!("m{i}"), &[]))
        .collect();
    let server =
        RecordedServer::start([Rule::new("ListMetrics", page(first, Some("page-2")))]).await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let list = provider
        .list_metrics(&MetricFilter::default(), 2)
        .await
        .unwrap();
    assert_eq!(list.metrics.len(), 2);
    assert!(list.truncated);
    assert_eq!(
        server.calls("ListMetrics").await,
        1,
        "no page past the limit"
    );
}

fn result(points: &[(i64, f64)]) -> Value {
    map([
        ("Id", text("m0")),
        ("Label", text("Errors")),
        (
            "Timestamps",
            array(points.iter().map(|(t, _)| timestamp(*t))),
        ),
        ("Values", array(points.iter().map(|(_, v)| float(*v)))),
        ("StatusCode", text("Complete")),
    ])
}

#[tokio::test]
async fn metrics_get_reads_every_page_and_prints_values_with_rfc3339_times() {
    const NOW: i64 = 1_800_000_000;
    let t0 = NOW - 1200;
    let first = Reply::cbor(
        200,
        &map([
            (
                "MetricDataResults",
                array([result(&[(t0, 1.0), (t0 + 300, 2.5)])]),
            ),
            ("NextToken", text("page-2")),
        ]),
    );
    let second = Reply::cbor(
        200,
        &map([(
            "MetricDataResults",
            array([result(&[(t0 + 600, 4.0), (NOW - 100, 9.0)])]),
        )]),
    );
    let server = RecordedServer::start([
        Rule::new("GetMetricData", first).when(|r| token(r).is_none()),
        Rule::new("GetMetricData", second).when(|r| token(r).as_deref() == Some("page-2")),
    ])
    .await;
    let reads = support::aws_session(&server.endpoint()).await.reads.clone();
    let charted = ChartedMetric {
        metric: MetricRef::new(
            "AWS/Lambda",
            "Errors",
            vec![Dimension::new("FunctionName", "auth")],
        ),
        stat: "p99".into(),
        period_secs: 300,
    };
    let range = TimeRange {
        start: Timestamp::from_second(t0).unwrap(),
        end: Timestamp::from_second(NOW).unwrap(),
    };
    let mut out = Vec::new();
    metrics_cmd::get(&reads, &charted, range, OutputFormat::Json, &mut out)
        .await
        .unwrap();
    let got: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let points = got["datapoints"].as_array().unwrap();
    let values: Vec<f64> = points
        .iter()
        .map(|p| p["value"].as_f64().unwrap())
        .collect();
    assert_eq!(
        values,
        [1.0, 2.5, 4.0],
        "both pages; the period still filling is left out"
    );
    let first_time = points[0]["timestamp"].as_str().unwrap();
    assert_eq!(first_time, Timestamp::from_second(t0).unwrap().to_string());
    assert!(first_time.ends_with('Z'), "{first_time}");
    assert_eq!(got["stat"], "p99");

    let requests = server.requests_for("GetMetricData").await;
    assert_eq!(requests.len(), 2, "one query, two pages");
    let body = requests[0].cbor_body();
    assert_eq!(
        get(&body, "MaxDatapoints")
            .and_then(|v| v.as_integer())
            .map(i128::from),
        Some(100_800)
    );
    let query = &get(&body, "MetricDataQueries")
        .and_then(Value::as_array)
        .unwrap()[0];
    let stat = get(query, "MetricStat").unwrap();
    assert_eq!(get(stat, "Stat").and_then(Value::as_text), Some("p99"));
    assert_eq!(
        get(stat, "Period")
            .and_then(|v| v.as_integer())
            .map(i128::from),
        Some(300)
    );
    assert_eq!(token(&requests[1]).as_deref(), Some("page-2"));
}
