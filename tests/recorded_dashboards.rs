//! A dashboard's data through the AWS provider against recorded
//! GetMetricData answers, for what the emulator cannot do: metric math and
//! SEARCH travel as expressions (their inputs hidden with ReturnData
//! false), a SEARCH answers with several series under one id, and a
//! NextToken is followed within the one batch.

mod support;

use std::sync::Arc;

use ciborium::Value;
use jiff::Timestamp;
use monitui::data::dashboard_data::fetch_once;
use monitui::model::dashboard::{Dashboard, RangeChoice};
use support::cbor::{array, float, get, map, text, timestamp};
use support::recorded::{RecordedRequest, RecordedServer, Reply, Rule};

const BODY: &str = r#"{"start": "-PT1H", "widgets": [
  {"type": "metric", "properties": {"title": "by function", "stat": "Sum", "period": 300, "metrics": [
    [{"expression": "SEARCH('{AWS/Lambda,FunctionName} MetricName=\"Errors\"', 'Sum', 300)", "id": "found"}]
  ]}},
  {"type": "metric", "properties": {"title": "error rate", "stat": "Sum", "period": 300, "metrics": [
    ["AWS/Lambda", "Errors", {"id": "err", "visible": false}],
    [".", "Invocations", {"id": "inv", "visible": false}],
    [{"expression": "100 * err / inv", "id": "pct", "label": "errors %"}]
  ]}}
]}"#;

const NOW: i64 = 1_800_000_000;

fn result(id: &str, label: &str, points: &[(i64, f64)]) -> Value {
    map([
        ("Id", text(id)),
        ("Label", text(label)),
        (
            "Timestamps",
            array(points.iter().map(|(t, _)| timestamp(*t))),
        ),
        ("Values", array(points.iter().map(|(_, v)| float(*v)))),
        ("StatusCode", text("Complete")),
    ])
}

fn token(r: &RecordedRequest) -> Option<String> {
    get(&r.cbor_body(), "NextToken")
        .and_then(Value::as_text)
        .map(str::to_string)
}

#[tokio::test]
async fn expressions_travel_as_expressions_and_search_brings_several_series() {
    let t0 = NOW - 3600;
    let first = Reply::cbor(
        200,
        &map([
            (
                "MetricDataResults",
                array([
                    result("w0_found", "Errors auth", &[(t0, 1.0), (t0 + 300, 2.0)]),
                    result("w0_found", "Errors cart", &[(t0, 5.0)]),
                ]),
            ),
            ("NextToken", text("page-2")),
        ]),
    );
    let second = Reply::cbor(
        200,
        &map([(
            "MetricDataResults",
            array([
                result("w0_found", "Errors cart", &[(t0 + 300, 6.0)]),
                result("w1_pct", "errors %", &[(t0, 0.5), (t0 + 300, 0.25)]),
            ]),
        )]),
    );
    let server = RecordedServer::start([
        Rule::new("GetMetricData", first).when(|r| token(r).is_none()),
        Rule::new("GetMetricData", second).when(|r| token(r).as_deref() == Some("page-2")),
    ])
    .await;
    let reads = support::aws_session(&server.endpoint()).await.reads.clone();
    let dashboard = Arc::new(Dashboard::parse(BODY).unwrap());
    let now = Timestamp::from_second(NOW).unwrap();
    let data = fetch_once(&dashboard, &reads, RangeChoice::Body, now).await;

    assert!(data.failures.is_empty(), "{:?}", data.failures);
    let found = data.series_for("w0_found");
    let labels: Vec<&str> = found.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["Errors auth", "Errors cart"]);
    assert_eq!(
        found[1].points.len(),
        2,
        "the pages of one series are joined"
    );
    assert_eq!(data.series_for("w1_pct")[0].points.len(), 2);

    let requests = server.requests_for("GetMetricData").await;
    assert_eq!(requests.len(), 2, "one batch, two pages");
    let body = requests[0].cbor_body();
    let queries = get(&body, "MetricDataQueries")
        .and_then(Value::as_array)
        .unwrap();
    assert_eq!(queries.len(), 4);
    let by_id = |id: &str| {
        queries
            .iter()
            .find(|q| get(q, "Id").and_then(Value::as_text) == Some(id))
            .unwrap_or_else(|| panic!("no query {id}"))
    };
    let expression = |id: &str| get(by_id(id), "Expression").and_then(Value::as_text);
    assert_eq!(expression("w1_pct"), Some("100 * w1_err / w1_inv"));
    assert!(
        expression("w0_found")
            .unwrap()
            .starts_with("SEARCH('{AWS/Lambda,FunctionName}")
    );
    assert_eq!(
        get(by_id("w1_err"), "ReturnData"),
        Some(&Value::Bool(false))
    );
    assert!(get(by_id("w1_err"), "MetricStat").is_some());
    assert_eq!(token(&requests[1]).as_deref(), Some("page-2"));
}

#[tokio::test]
async fn the_calls_of_a_batch_over_500_queries_go_out_side_by_side() {
    let slow = Reply::cbor(200, &map([("MetricDataResults", array([]))]))
        .delayed(std::time::Duration::from_millis(600));
    let server = RecordedServer::start([Rule::new("GetMetricData", slow)]).await;
    let reads = support::aws_session(&server.endpoint()).await.reads.clone();
    let rows: Vec<String> = (0..700)
        .map(|i| format!(r#"["AWS/Lambda", "Errors", "FunctionName", "f{i}"]"#))
        .collect();
    let body = format!(
        r#"{{"widgets": [{{"type": "metric", "properties": {{"metrics": [{}]}}}}]}}"#,
        rows.join(",")
    );
    let dashboard = Arc::new(Dashboard::parse(&body).unwrap());
    let started = std::time::Instant::now();
    let now = Timestamp::from_second(NOW).unwrap();
    let data = fetch_once(&dashboard, &reads, RangeChoice::Body, now).await;
    let took = started.elapsed();
    assert!(data.failures.is_empty(), "{:?}", data.failures);
    assert_eq!(server.calls("GetMetricData").await, 2);
    assert!(
        took < std::time::Duration::from_millis(1100),
        "two 600 ms calls took {took:?}: not side by side"
    );
}

/// A Contributor Insights widget (`insightRule`, no `metrics`) is fetched
/// with GetInsightRuleReport: the rule, window, period, count and order go
/// out; the contributors come back largest first with their keys.
#[tokio::test]
async fn contributor_insights_widgets_read_their_rule_report() {
    let contributor = |keys: [&str; 2], value: f64| {
        map([
            ("Keys", array(keys.map(text))),
            ("ApproximateAggregateValue", float(value)),
            ("Datapoints", array([])),
        ])
    };
    let report = Reply::cbor(
        200,
        &map([
            ("KeyLabels", array([text("resourcePath"), text("status")])),
            ("AggregationStatistic", text("Sum")),
            ("ApproximateUniqueCount", Value::Integer(7.into())),
            (
                "Contributors",
                array([
                    contributor(["/v1/cart", "200"], 310.0),
                    contributor(["/v1/orders", "502"], 1250.0),
                ]),
            ),
        ]),
    );
    let server = RecordedServer::start([Rule::new("GetInsightRuleReport", report)]).await;
    let reads = support::aws_session(&server.endpoint()).await.reads.clone();
    let body = r#"{"start": "-PT3H", "widgets": [{"type": "metric", "properties": {
        "title": "Top routes", "period": 60, "region": "us-east-1",
        "insightRule": {"maxContributorCount": 5, "orderBy": "Maximum", "ruleName": "api-top-routes"}
    }}]}"#;
    let dashboard = Arc::new(Dashboard::parse(body).unwrap());
    let now = Timestamp::from_second(NOW).unwrap();
    let data = fetch_once(&dashboard, &reads, RangeChoice::Body, now).await;

    let got = data.contributors[&0].as_ref().unwrap();
    assert_eq!(got.key_labels, ["resourcePath", "status"]);
    let top: Vec<(String, f64)> = got
        .contributors
        .iter()
        .map(|c| (c.label(), c.value))
        .collect();
    assert_eq!(
        top,
        [
            ("/v1/orders · 502".to_string(), 1250.0),
            ("/v1/cart · 200".to_string(), 310.0)
        ]
    );
    assert_eq!(got.unique_contributors, Some(7));
    assert_eq!(server.calls("GetMetricData").await, 0, "no metric rows");

    let sent = server.requests_for("GetInsightRuleReport").await[0].cbor_body();
    let field = |k: &str| get(&sent, k).cloned();
    assert_eq!(field("RuleName"), Some(text("api-top-routes")));
    assert_eq!(field("MaxContributorCount"), Some(Value::Integer(5.into())));
    assert_eq!(field("OrderBy"), Some(text("Maximum")));
    assert_eq!(field("Period"), Some(Value::Integer(60.into())));
    let epoch = |t: i64| Value::Tag(1, Box::new(float(t as f64)));
    assert_eq!(field("StartTime"), Some(epoch(NOW - 3 * 3600)));
    assert_eq!(field("EndTime"), Some(epoch(NOW)));
}
