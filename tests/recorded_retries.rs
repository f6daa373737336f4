//! AwsProvider against scripted AWS responses: retries on throttling and
//! 5xx, errors surfacing after the configured attempts, and pagination,
//! page sizes and batching paths the emulator cannot show (it never pages
//! GetMetricData, FilterLogEvents or LookupEvents, and its ListDashboards
//! answer does not decode).

mod support;

use ciborium::Value;
use jiff::Timestamp;
use monitui::model::TrailQuery;
use monitui::model::trail::LookupAttribute;
use monitui::model::{Alarm, AlarmState, Dimension, MetricQuery, MetricRef, TimeRange};
use monitui::provider::prelude::*;
use monitui::provider::{MAX_QUERIES_PER_CALL, ProviderError};
use serde_json::json;
use support::cbor::{array, float, get, map, metric_alarm, text, timestamp};
use support::recorded::{RecordedRequest, RecordedServer, Reply, Rule, closed_endpoint};

/// The service maxima the provider asks for as page sizes.
const ALARM_PAGE: i64 = 100;
const DATAPOINTS_PAGE: i64 = 100_800;

fn alarm_page(names: &[&str], next_token: Option<&str>) -> Reply {
    let alarms = names
        .iter()
        .map(|name| metric_alarm(name, "AWS/Lambda", "Errors"));
    let mut body = vec![("MetricAlarms", array(alarms))];
    if let Some(token) = next_token {
        body.push(("NextToken", text(token)));
    }
    Reply::cbor(
        200,
        &Value::Map(body.into_iter().map(|(k, v)| (text(k), v)).collect()),
    )
}

/// The integer under `key` of a CBOR request body.
fn cbor_int(request: &RecordedRequest, key: &str) -> Option<i64> {
    get(&request.cbor_body(), key)
        .and_then(|v| v.as_integer())
        .and_then(|i| i64::try_from(i).ok())
}

/// The text NextToken of a CBOR request body, if any.
fn cbor_token(request: &RecordedRequest) -> Option<String> {
    get(&request.cbor_body(), "NextToken")
        .and_then(Value::as_text)
        .map(str::to_string)
}

fn range() -> TimeRange {
    TimeRange {
        start: Timestamp::from_second(1_700_000_000).unwrap(),
        end: Timestamp::from_second(1_700_003_600).unwrap(),
    }
}

fn query(i: usize) -> MetricQuery {
    MetricQuery::metric(
        format!("m{i}"),
        MetricRef::new(
            "AWS/Lambda",
            "Errors",
            vec![Dimension::new("FunctionName", format!("fn-{i}"))],
        ),
        "Sum",
        60,
    )
}

/// A GetMetricData answer with `results` and no further page.
fn metric_data_reply(results: impl IntoIterator<Item = Value>) -> Reply {
    Reply::cbor(200, &map([("MetricDataResults", array(results))]))
}

fn result(id: &str, points: &[(i64, f64)], status: &str) -> Value {
    map([
        ("Id", text(id)),
        ("Label", text(id)),
        (
            "Timestamps",
            array(points.iter().map(|(t, _)| timestamp(*t))),
        ),
        ("Values", array(points.iter().map(|(_, v)| float(*v)))),
        ("StatusCode", text(status)),
    ])
}

/// How many attempts the provider of these tests makes per call.
fn attempts() -> usize {
    support::fast_tuning().max_attempts as usize
}

/// Lists alarms from a server that answers `error` first and then a page
/// with the one alarm `api-5xx`.
async fn list_alarms_after(error: Reply) -> (RecordedServer, Vec<Alarm>) {
    let server = RecordedServer::start([
        Rule::new("DescribeAlarms", error).times(1),
        Rule::new("DescribeAlarms", alarm_page(&["api-5xx"], None)),
    ])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let alarms = provider
        .list_alarms()
        .await
        .expect("succeeds after a retry");
    (server, alarms)
}

/// Lists alarms from a server that answers `error` to every attempt.
async fn list_alarms_failing_with(error: Reply) -> (RecordedServer, ProviderError) {
    let server =
        RecordedServer::start([Rule::new("DescribeAlarms", error).times(attempts() as u64)]).await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let err = provider.list_alarms().await.unwrap_err();
    (server, err)
}

#[tokio::test]
async fn throttling_is_retried_until_success() {
    let (server, alarms) = list_alarms_after(Reply::cbor_error(
        400,
        "ThrottlingException",
        "Rate exceeded",
    ))
    .await;
    assert_eq!(alarms.len(), 1);
    assert_eq!(alarms[0].state, AlarmState::Alarm);
    assert_eq!(
        server.operations().await,
        ["DescribeAlarms", "DescribeAlarms"]
    );
    let first = &server.requests().await[0];
    assert_eq!(first.header("smithy-protocol"), Some("rpc-v2-cbor"));
    assert!(first.is("GraniteServiceVersion20100801.DescribeAlarms"));
    assert_eq!(cbor_int(first, "MaxRecords"), Some(ALARM_PAGE));
}

#[tokio::test]
async fn a_server_error_is_retried_until_success() {
    let (server, alarms) =
        list_alarms_after(Reply::cbor_error(503, "ServiceUnavailable", "try again")).await;
    assert_eq!(alarms[0].name, "api-5xx");
    assert_eq!(server.calls("DescribeAlarms").await, 2);
    assert_eq!(server.requests().await.len(), 2);
}

#[tokio::test]
async fn a_persistent_server_error_surfaces_as_retryable_after_all_attempts() {
    let (server, err) =
        list_alarms_failing_with(Reply::cbor_error(500, "InternalFailure", "broken")).await;
    assert!(err.is_retryable(), "{err:?}");
    assert!(
        matches!(&err, ProviderError::Service { code, retryable: true, .. } if code == "InternalFailure"),
        "{err:?}"
    );
    assert_eq!(server.calls("DescribeAlarms").await, attempts());
    assert_eq!(server.requests().await.len(), attempts());
}

#[tokio::test]
async fn a_persistent_throttle_surfaces_as_throttled() {
    let (server, err) =
        list_alarms_failing_with(Reply::cbor_error(400, "Throttling", "Rate exceeded")).await;
    assert!(matches!(err, ProviderError::Throttled { .. }), "{err:?}");
    assert_eq!(server.calls("DescribeAlarms").await, attempts());
    assert_eq!(server.requests().await.len(), attempts());
}

#[tokio::test]
async fn an_unreachable_endpoint_is_a_network_error() {
    let provider = support::aws_provider(&closed_endpoint()).await;
    let err = provider.list_alarms().await.unwrap_err();
    assert!(matches!(err, ProviderError::Network { .. }), "{err:?}");
}

#[tokio::test]
async fn alarm_pages_are_followed_with_the_token() {
    let server = RecordedServer::start([
        Rule::new("DescribeAlarms", alarm_page(&["a1", "a2"], Some("a3")))
            .when(|r| cbor_token(r).is_none()),
        Rule::new("DescribeAlarms", alarm_page(&["a3"], None))
            .when(|r| cbor_token(r).as_deref() == Some("a3")),
    ])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let names: Vec<String> = provider
        .list_alarms()
        .await
        .expect("list")
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, vec!["a1", "a2", "a3"]);
    let requests = server.requests().await;
    assert_eq!(requests.len(), 2);
    assert_eq!(cbor_token(&requests[0]), None);
    assert_eq!(cbor_token(&requests[1]).as_deref(), Some("a3"));
    assert!(
        requests
            .iter()
            .all(|r| cbor_int(r, "MaxRecords") == Some(ALARM_PAGE))
    );
}

#[tokio::test]
async fn one_alarm_is_asked_for_by_name_in_one_call() {
    let asks_for = |name: &'static str| {
        move |r: &RecordedRequest| get(&r.cbor_body(), "AlarmNames") == Some(&array([text(name)]))
    };
    let server = RecordedServer::start([
        Rule::new("DescribeAlarms", alarm_page(&["orders-5xx"], None)).when(asks_for("orders-5xx")),
        Rule::new("DescribeAlarms", alarm_page(&[], None)).when(asks_for("gone")),
    ])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let found = provider.alarm("orders-5xx").await.expect("describe");
    assert_eq!(found.map(|a| a.name), Some("orders-5xx".to_string()));
    assert_eq!(provider.alarm("gone").await.expect("describe"), None);
    let requests = server.requests().await;
    assert_eq!(requests.len(), 2);
    for (request, name) in requests.iter().zip(["orders-5xx", "gone"]) {
        assert_eq!(request.operation(), "DescribeAlarms");
        let names = get(&request.cbor_body(), "AlarmNames").cloned();
        assert_eq!(names, Some(array([text(name)])));
    }
}

#[tokio::test]
async fn metric_data_pages_are_concatenated_per_id() {
    let server = RecordedServer::start([
        Rule::new(
            "GetMetricData",
            Reply::cbor(
                200,
                &map([
                    (
                        "MetricDataResults",
                        array([result(
                            "m0",
                            &[(1_700_000_000, 1.0), (1_700_000_060, 2.0)],
                            "PartialData",
                        )]),
                    ),
                    ("NextToken", text("page-2")),
                ]),
            ),
        )
        .when(|r| cbor_token(r).is_none()),
        Rule::new(
            "GetMetricData",
            metric_data_reply([result("m0", &[(1_700_000_120, 3.0)], "Complete")]),
        )
        .when(|r| cbor_token(r).as_deref() == Some("page-2")),
    ])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let series = provider
        .metric_data(&[query(0)], range())
        .await
        .expect("metric data");
    let values: Vec<f64> = series[0].points.iter().map(|(_, v)| *v).collect();
    assert_eq!(values, vec![1.0, 2.0, 3.0]);
    assert!(series[0].points.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(series[0].message, None);
    let requests = server.requests().await;
    assert_eq!(requests.len(), 2);
    assert_eq!(cbor_token(&requests[1]).as_deref(), Some("page-2"));
    for request in &requests {
        let body = request.cbor_body();
        assert_eq!(get(&body, "ScanBy"), Some(&text("TimestampAscending")));
        assert_eq!(cbor_int(request, "MaxDatapoints"), Some(DATAPOINTS_PAGE));
    }
}

#[tokio::test]
async fn partial_data_at_the_end_is_reported_in_the_series() {
    let server = RecordedServer::start([Rule::new(
        "GetMetricData",
        metric_data_reply([result("m0", &[(1_700_000_000, 1.0)], "PartialData")]),
    )])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let series = provider.metric_data(&[query(0)], range()).await.unwrap();
    assert!(
        series[0]
            .message
            .as_deref()
            .is_some_and(|m| m.contains("partial")),
        "{series:?}"
    );
}

#[tokio::test]
async fn more_than_the_query_limit_is_split_into_two_calls() {
    let total = MAX_QUERIES_PER_CALL + 100;
    let reply_for = |ids: std::ops::Range<usize>| {
        metric_data_reply(
            ids.map(|i| result(&format!("m{i}"), &[(1_700_000_000, i as f64)], "Complete")),
        )
    };
    let first_id_is = |i: usize| {
        move |r: &RecordedRequest| {
            let body = r.cbor_body();
            let first = get(&body, "MetricDataQueries")
                .and_then(Value::as_array)
                .and_then(|queries| queries.first())
                .and_then(|q| get(q, "Id"))
                .and_then(Value::as_text)
                .map(str::to_string);
            first == Some(format!("m{i}"))
        }
    };
    let server = RecordedServer::start([
        Rule::new("GetMetricData", reply_for(0..MAX_QUERIES_PER_CALL)).when(first_id_is(0)),
        Rule::new("GetMetricData", reply_for(MAX_QUERIES_PER_CALL..total))
            .when(first_id_is(MAX_QUERIES_PER_CALL)),
    ])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let queries: Vec<MetricQuery> = (0..total).map(query).collect();
    let series = provider
        .metric_data(&queries, range())
        .await
        .expect("metric data");
    assert_eq!(series.len(), total);
    for (i, s) in series.iter().enumerate() {
        assert_eq!(s.id, format!("m{i}"));
        assert_eq!(s.last_value(), Some(i as f64));
    }
    let mut sizes: Vec<usize> = server
        .requests()
        .await
        .iter()
        .map(|r| {
            get(&r.cbor_body(), "MetricDataQueries")
                .and_then(Value::as_array)
                .map_or(0, Vec::len)
        })
        .collect();
    // The two calls go out side by side, in either order.
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(sizes, vec![MAX_QUERIES_PER_CALL, 100]);
}

#[tokio::test]
async fn duplicate_queries_travel_once() {
    let server = RecordedServer::start([Rule::new(
        "GetMetricData",
        metric_data_reply([result("m0", &[(1_700_000_000, 7.0)], "Complete")]),
    )])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let mut twin = query(0);
    twin.id = "twin".into();
    let series = provider
        .metric_data(&[query(0), twin], range())
        .await
        .unwrap();
    assert_eq!(series.len(), 2);
    assert_eq!(series[1].id, "twin");
    assert_eq!(series[1].last_value(), Some(7.0));
    assert_eq!(server.calls("GetMetricData").await, 1);
    let sent = server.requests().await[0].cbor_body();
    let sent_queries = get(&sent, "MetricDataQueries").and_then(Value::as_array);
    assert_eq!(sent_queries.map(Vec::len), Some(1));
}

fn dashboard_page(name: &str, next_token: Option<&str>) -> Reply {
    let entry = map([
        ("DashboardName", text(name)),
        ("LastModified", timestamp(1_700_000_000)),
        ("Size", Value::Integer(42.into())),
    ]);
    let mut body = vec![("DashboardEntries", array([entry]))];
    if let Some(token) = next_token {
        body.push(("NextToken", text(token)));
    }
    Reply::cbor(
        200,
        &Value::Map(body.into_iter().map(|(k, v)| (text(k), v)).collect()),
    )
}

#[tokio::test]
async fn dashboards_are_listed_across_pages() {
    let server = RecordedServer::start([
        Rule::new("ListDashboards", dashboard_page("ops", Some("p2")))
            .when(|r| cbor_token(r).is_none()),
        Rule::new("ListDashboards", dashboard_page("billing", None))
            .when(|r| cbor_token(r).as_deref() == Some("p2")),
    ])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let dashboards = provider.list_dashboards().await.expect("dashboards");
    let names: Vec<&str> = dashboards.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["ops", "billing"]);
    assert_eq!(dashboards[0].size, Some(42));
    assert_eq!(
        dashboards[0].modified_at,
        Some(Timestamp::from_second(1_700_000_000).unwrap())
    );
    assert_eq!(server.calls("ListDashboards").await, 2);
}

#[tokio::test]
async fn history_asks_for_no_more_than_the_limit() {
    let item = |i: i64| {
        map([
            ("AlarmName", text("api-5xx")),
            ("Timestamp", timestamp(1_700_003_000 - i)),
            ("HistoryItemType", text("StateUpdate")),
            ("HistorySummary", text(&format!("update {i}"))),
        ])
    };
    let server = RecordedServer::start([Rule::new(
        "DescribeAlarmHistory",
        Reply::cbor(
            200,
            &map([
                ("AlarmHistoryItems", array((0..3).map(item))),
                ("NextToken", text("more")),
            ]),
        ),
    )])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let history = provider
        .alarm_history("api-5xx", range(), 3)
        .await
        .expect("history");
    let summaries: Vec<&str> = history.iter().map(|h| h.summary.as_str()).collect();
    assert_eq!(summaries, ["update 0", "update 1", "update 2"]);
    let requests = server.requests_for("DescribeAlarmHistory").await;
    assert_eq!(requests.len(), 1, "no page past the limit is fetched");
    assert_eq!(cbor_int(&requests[0], "MaxRecords"), Some(3));
}

#[tokio::test]
async fn log_groups_are_paged_fifty_at_a_time() {
    let page = |names: &[&str], next: Option<&str>| {
        let groups: Vec<_> = names
            .iter()
            .map(|n| json!({"logGroupName": n, "retentionInDays": 7, "storedBytes": 10}))
            .collect();
        let mut body = json!({ "logGroups": groups });
        if let Some(token) = next {
            body["nextToken"] = json!(token);
        }
        Reply::json(200, &body)
    };
    let server = RecordedServer::start([
        Rule::new(
            "DescribeLogGroups",
            page(&["/aws/lambda/a", "/aws/lambda/b"], Some("g2")),
        )
        .when(|r| r.json_body().get("nextToken").is_none()),
        Rule::new(
            "Logs_20140328.DescribeLogGroups",
            page(&["/aws/lambda/c"], None),
        )
        .when(|r| r.json_body()["nextToken"] == "g2"),
    ])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let groups = provider.list_log_groups().await.expect("log groups");
    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["/aws/lambda/a", "/aws/lambda/b", "/aws/lambda/c"]);
    assert_eq!(groups[0].retention_days, Some(7));
    let requests = server.requests().await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.target, "Logs_20140328.DescribeLogGroups");
        assert_eq!(request.json_body()["limit"], 50);
    }
}

#[tokio::test]
async fn log_events_come_ten_thousand_a_page_with_the_token_handed_back() {
    let server = RecordedServer::start([Rule::new(
        "FilterLogEvents",
        Reply::json(
            200,
            &json!({
                "events": [
                    {"logStreamName": "s", "timestamp": 1_700_000_001_000_i64, "message": "second", "eventId": "2"},
                    {"logStreamName": "s", "timestamp": 1_700_000_000_000_i64, "message": "first", "eventId": "1"}
                ],
                "nextToken": "events-2"
            }),
        ),
    )
    .when(|r| r.json_body()["nextToken"] == "events-1")])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let page = provider
        .filter_log_events("/aws/lambda/a", range(), Some("ERROR"), Some("events-1"))
        .await
        .expect("events");
    let messages: Vec<&str> = page.events.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, ["first", "second"]);
    assert_eq!(page.next_token.as_deref(), Some("events-2"));
    let sent = server.requests_for("FilterLogEvents").await;
    assert_eq!(sent.len(), 1);
    let body = sent[0].json_body();
    assert_eq!(body["limit"], 10_000);
    assert_eq!(body["filterPattern"], "ERROR");
}

#[tokio::test]
async fn trail_events_come_fifty_a_page() {
    let server = RecordedServer::start([Rule::new(
        "LookupEvents",
        Reply::json(
            200,
            &json!({
                "Events": [{"EventId": "e1", "EventName": "ConsoleLogin", "EventTime": 1_700_000_000, "Username": "alice"}],
                "NextToken": "trail-2"
            }),
        ),
    )])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let page = provider
        .lookup_trail_events(&TrailQuery {
            attribute: Some(LookupAttribute::EventName("ConsoleLogin".into())),
            ..TrailQuery::default()
        })
        .await
        .expect("trail events");
    assert_eq!(page.events.len(), 1);
    assert_eq!(page.events[0].username.as_deref(), Some("alice"));
    assert_eq!(page.next_token.as_deref(), Some("trail-2"));
    let sent = server.requests_for("LookupEvents").await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].json_body()["MaxResults"], 50);
}

#[tokio::test]
async fn rejected_credentials_are_a_credentials_error() {
    let server = RecordedServer::start([Rule::new(
        "GetCallerIdentity",
        Reply::xml(
            403,
            "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>\
             <Message>The security token included in the request is invalid.</Message>\
             </Error><RequestId>1</RequestId></ErrorResponse>",
        ),
    )])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let err = provider.caller_identity().await.unwrap_err();
    assert!(matches!(err, ProviderError::Credentials(_)), "{err:?}");
    assert_eq!(server.operations().await, ["GetCallerIdentity"]);
}

#[tokio::test]
async fn a_slow_answer_times_out_as_a_network_error_after_all_attempts() {
    let slow = alarm_page(&["late"], None).delayed(std::time::Duration::from_millis(800));
    let server = RecordedServer::start([Rule::new("DescribeAlarms", slow)]).await;
    let tuning = monitui::provider::aws::AwsTuning {
        attempt_timeout: std::time::Duration::from_millis(150),
        max_attempts: 2,
        ..support::fast_tuning()
    };
    let provider = monitui::provider::aws::AwsProvider::connect_with(
        &support::aws_settings(&server.endpoint()),
        &tuning,
    )
    .await
    .expect("connect");
    let err = provider.list_alarms().await.unwrap_err();
    assert!(matches!(err, ProviderError::Network { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(server.calls("DescribeAlarms").await, 2);
}

#[tokio::test]
async fn an_operation_without_a_rule_fails_at_once_naming_it() {
    let server = RecordedServer::start([Rule::new("DescribeAlarms", alarm_page(&[], None))]).await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let err = provider.list_dashboards().await.unwrap_err();
    assert!(
        matches!(&err, ProviderError::Service { code, message, retryable: false, .. }
            if code == RecordedServer::NO_RULE && message.contains("ListDashboards")),
        "{err:?}"
    );
    let err = provider.list_log_groups().await.unwrap_err();
    assert!(err.to_string().contains("DescribeLogGroups"), "{err}");
    let err = provider.caller_identity().await.unwrap_err();
    assert!(err.to_string().contains("GetCallerIdentity"), "{err}");
    assert_eq!(
        server.operations().await,
        ["ListDashboards", "DescribeLogGroups", "GetCallerIdentity"]
    );
}
