//! AwsProvider against scripted AWS responses: retries on throttling and
//! 5xx, errors surfacing after the configured attempts, and pagination and
//! batching paths the emulator cannot show (it never pages GetMetricData,
//! and its ListDashboards answer does not decode).

mod support;

use ciborium::Value;
use jiff::Timestamp;
use monitui::model::{Alarm, AlarmState, Dimension, MetricQuery, MetricRef, TimeRange};
use monitui::provider::prelude::*;
use monitui::provider::{MAX_QUERIES_PER_CALL, ProviderError};
use support::cbor::{array, float, get, map, metric_alarm, text, timestamp};
use support::recorded::{RecordedServer, Reply};

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
    let server = RecordedServer::start(vec![error, alarm_page(&["api-5xx"], None)]);
    let provider = support::aws_provider(&server.endpoint()).await;
    let alarms = provider
        .list_alarms()
        .await
        .expect("succeeds after a retry");
    (server, alarms)
}

/// Lists alarms from a server that answers `error` to every attempt.
async fn list_alarms_failing_with(error: Reply) -> (RecordedServer, ProviderError) {
    let server = RecordedServer::start(vec![error; attempts()]);
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
    assert_eq!(server.request_count(), 2);
    let first = &server.requests()[0];
    assert_eq!(first.header("smithy-protocol"), Some("rpc-v2-cbor"));
    assert_eq!(first.operation(), "DescribeAlarms");
}

#[tokio::test]
async fn a_server_error_is_retried_until_success() {
    let (server, alarms) =
        list_alarms_after(Reply::cbor_error(503, "ServiceUnavailable", "try again")).await;
    assert_eq!(alarms[0].name, "api-5xx");
    assert_eq!(server.request_count(), 2);
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
    assert_eq!(server.request_count(), attempts());
}

#[tokio::test]
async fn a_persistent_throttle_surfaces_as_throttled() {
    let (server, err) =
        list_alarms_failing_with(Reply::cbor_error(400, "Throttling", "Rate exceeded")).await;
    assert!(matches!(err, ProviderError::Throttled { .. }), "{err:?}");
    assert_eq!(server.request_count(), attempts());
}

#[tokio::test]
async fn an_unreachable_endpoint_is_a_network_error() {
    let endpoint = {
        let server = RecordedServer::start(Vec::new());
        server.endpoint()
    };
    let provider = support::aws_provider(&endpoint).await;
    let err = provider.list_alarms().await.unwrap_err();
    assert!(matches!(err, ProviderError::Network { .. }), "{err:?}");
}

#[tokio::test]
async fn alarm_pages_are_followed_with_the_token() {
    let server = RecordedServer::start(vec![
        alarm_page(&["a1", "a2"], Some("a3")),
        alarm_page(&["a3"], None),
    ]);
    let provider = support::aws_provider(&server.endpoint()).await;
    let names: Vec<String> = provider
        .list_alarms()
        .await
        .expect("list")
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, vec!["a1", "a2", "a3"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(get(&requests[0].cbor_body(), "NextToken"), None);
    assert_eq!(
        get(&requests[1].cbor_body(), "NextToken"),
        Some(&text("a3"))
    );
}

#[tokio::test]
async fn one_alarm_is_asked_for_by_name_in_one_call() {
    let server = RecordedServer::start(vec![
        alarm_page(&["orders-5xx"], None),
        alarm_page(&[], None),
    ]);
    let provider = support::aws_provider(&server.endpoint()).await;
    let found = provider.alarm("orders-5xx").await.expect("describe");
    assert_eq!(found.map(|a| a.name), Some("orders-5xx".to_string()));
    assert_eq!(provider.alarm("gone").await.expect("describe"), None);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for (request, name) in requests.iter().zip(["orders-5xx", "gone"]) {
        assert_eq!(request.operation(), "DescribeAlarms");
        let names = get(&request.cbor_body(), "AlarmNames").cloned();
        assert_eq!(names, Some(array([text(name)])));
    }
}

#[tokio::test]
async fn metric_data_pages_are_concatenated_per_id() {
    let server = RecordedServer::start(vec![
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
        metric_data_reply([result("m0", &[(1_700_000_120, 3.0)], "Complete")]),
    ]);
    let provider = support::aws_provider(&server.endpoint()).await;
    let series = provider
        .metric_data(&[query(0)], range())
        .await
        .expect("metric data");
    let values: Vec<f64> = series[0].points.iter().map(|(_, v)| *v).collect();
    assert_eq!(values, vec![1.0, 2.0, 3.0]);
    assert!(series[0].points.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(series[0].message, None);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let second = requests[1].cbor_body();
    assert_eq!(get(&second, "NextToken"), Some(&text("page-2")));
    assert_eq!(get(&second, "ScanBy"), Some(&text("TimestampAscending")));
}

#[tokio::test]
async fn partial_data_at_the_end_is_reported_in_the_series() {
    let server = RecordedServer::start(vec![metric_data_reply([result(
        "m0",
        &[(1_700_000_000, 1.0)],
        "PartialData",
    )])]);
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
    let server = RecordedServer::start(vec![
        reply_for(0..MAX_QUERIES_PER_CALL),
        reply_for(MAX_QUERIES_PER_CALL..total),
    ]);
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
    let sizes: Vec<usize> = server
        .requests()
        .iter()
        .map(|r| {
            get(&r.cbor_body(), "MetricDataQueries")
                .and_then(Value::as_array)
                .map_or(0, Vec::len)
        })
        .collect();
    assert_eq!(sizes, vec![MAX_QUERIES_PER_CALL, 100]);
}

#[tokio::test]
async fn duplicate_queries_travel_once() {
    let server = RecordedServer::start(vec![metric_data_reply([result(
        "m0",
        &[(1_700_000_000, 7.0)],
        "Complete",
    )])]);
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
    let sent = server.requests()[0].cbor_body();
    let sent_queries = get(&sent, "MetricDataQueries").and_then(Value::as_array);
    assert_eq!(sent_queries.map(Vec::len), Some(1));
}

#[tokio::test]
async fn dashboards_are_listed() {
    let server = RecordedServer::start(vec![Reply::cbor(
        200,
        &map([(
            "DashboardEntries",
            array([map([
                ("DashboardName", text("ops")),
                ("LastModified", timestamp(1_700_000_000)),
                ("Size", Value::Integer(42.into())),
            ])]),
        )]),
    )]);
    let provider = support::aws_provider(&server.endpoint()).await;
    let dashboards = provider.list_dashboards().await.expect("dashboards");
    assert_eq!(dashboards.len(), 1);
    assert_eq!(dashboards[0].name, "ops");
    assert_eq!(dashboards[0].size, Some(42));
    assert_eq!(
        dashboards[0].modified_at,
        Some(Timestamp::from_second(1_700_000_000).unwrap())
    );
}

#[tokio::test]
async fn rejected_credentials_are_a_credentials_error() {
    let server = RecordedServer::start(vec![Reply::xml(
        403,
        "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>\
         <Message>The security token included in the request is invalid.</Message>\
         </Error><RequestId>1</RequestId></ErrorResponse>",
    )]);
    let provider = support::aws_provider(&server.endpoint()).await;
    let err = provider.caller_identity().await.unwrap_err();
    assert!(matches!(err, ProviderError::Credentials(_)), "{err:?}");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_slow_answer_times_out_as_a_network_error_after_all_attempts() {
    let slow = || alarm_page(&["late"], None).delayed(std::time::Duration::from_millis(800));
    let server = RecordedServer::start(vec![slow(), slow()]);
    let tuning = monitui::provider::aws::AwsTuning {
        attempt_timeout: std::time::Duration::from_millis(150),
        max_attempts: 2,
        ..support::fast_tuning()
    };
    let provider = monitui::provider::aws::AwsProvider::connect_with(
        &support::aws_env(&server.endpoint()),
        &tuning,
    )
    .await
    .expect("connect");
    let err = provider.list_alarms().await.unwrap_err();
    assert!(matches!(err, ProviderError::Network { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(server.request_count(), 2);
}
