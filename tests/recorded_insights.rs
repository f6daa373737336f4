//! Logs Insights against recorded GetQueryResults answers (AWS JSON 1.1),
//! for what the emulator cannot show: `stats ... by bin()` results, a query
//! that is Scheduled then Running (with partial rows) before it completes,
//! throttled polls, StopQuery, failed and malformed queries, and what
//! `logs query` prints and exits with for each.

mod support;

use std::time::Duration;

use jiff::Timestamp;
use monitui::data::backoff::Backoff;
use monitui::data::insights::{InsightsError, PollOptions, run_query, widget_result};
use monitui::model::TimeRange;
use monitui::model::dashboard::{Dashboard, LogResult, WidgetContent};
use monitui::model::insights::{QueryLanguage, QueryRequest, QueryStatus};
use serde_json::{Value, json};
use support::recorded::{RecordedServer, Reply, Rule};
use tokio_util::sync::CancellationToken;

const START: &str = "StartQuery";
const RESULTS: &str = "GetQueryResults";
const STOP: &str = "StopQuery";
const QUERY_ID: &str = "12ab3456-12ab-123a-789e-1234567890ab";

fn started() -> Reply {
    Reply::json(200, &json!({"queryId": QUERY_ID}))
}

/// A GetQueryResults answer: rows of (field, value) pairs.
fn answer(status: &str, rows: &[&[(&str, &str)]], matched: f64, scanned: f64) -> Reply {
    let results: Vec<Value> = rows
        .iter()
        .map(|row| {
            Value::Array(
                row.iter()
                    .map(|(f, v)| json!({"field": f, "value": v}))
                    .collect(),
            )
        })
        .collect();
    Reply::json(
        200,
        &json!({
            "status": status,
            "results": results,
            "statistics": {
                "recordsMatched": matched,
                "recordsScanned": scanned,
                "bytesScanned": scanned * 120.0,
            }
        }),
    )
}

const BIN_1: &[(&str, &str)] = &[("bin(5m)", "2026-11-28 10:00:00.000"), ("count(*)", "12")];
const BIN_2: &[(&str, &str)] = &[("bin(5m)", "2026-11-28 10:05:00.000"), ("count(*)", "31")];
const BIN_3: &[(&str, &str)] = &[("bin(5m)", "2026-11-28 10:10:00.000"), ("count(*)", "4")];

fn fast() -> PollOptions {
    PollOptions {
        waits: Backoff {
            base: Duration::from_millis(5),
            max: Duration::from_millis(20),
        },
        ..PollOptions::default()
    }
}

fn request(query: &str) -> QueryRequest {
    QueryRequest {
        groups: vec!["/aws/lambda/a".into(), "/aws/lambda/b".into()],
        range: TimeRange {
            start: "2026-11-28T10:00:00Z".parse::<Timestamp>().unwrap(),
            end: "2026-11-28T11:00:00.250Z".parse::<Timestamp>().unwrap(),
        },
        query: query.into(),
        limit: Some(500),
        language: QueryLanguage::LogsInsights,
    }
}

#[tokio::test]
async fn stats_by_bin_results_arrive_through_scheduled_and_running() {
    let server = RecordedServer::start([
        Rule::new(START, started()),
        Rule::new(RESULTS, answer("Scheduled", &[], 0.0, 0.0)).times(1),
        Rule::new(RESULTS, answer("Running", &[BIN_1], 12.0, 900.0)).times(1),
        Rule::new(
            RESULTS,
            answer("Complete", &[BIN_1, BIN_2, BIN_3], 47.0, 2400.0),
        ),
    ])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let mut seen = Vec::new();
    let outcome = run_query(
        &provider,
        &request("filter @message like /ERROR/ | stats count(*) by bin(5m)"),
        fast(),
        &CancellationToken::new(),
        |r| seen.push((r.status, r.table.rows.len(), r.statistics.records_scanned)),
    )
    .await
    .unwrap();
    assert_eq!(
        seen,
        [
            (QueryStatus::Scheduled, 0, 0.0),
            (QueryStatus::Running, 1, 900.0),
            (QueryStatus::Complete, 3, 2400.0),
        ]
    );
    let results = outcome.results;
    assert_eq!(results.table.columns, ["bin(5m)", "count(*)"]);
    assert_eq!(results.table.rows[1], ["2026-11-28 10:05:00.000", "31"]);
    assert_eq!(results.statistics.records_matched, 47.0);
    assert_eq!(results.statistics.bytes_scanned, 2400.0 * 120.0);
    assert_eq!(outcome.query_id, QUERY_ID);
    assert_eq!(
        server.operations().await,
        [START, RESULTS, RESULTS, RESULTS]
    );

    let start = &server.requests_for(START).await[0].json_body();
    assert_eq!(
        start["logGroupNames"],
        json!(["/aws/lambda/a", "/aws/lambda/b"])
    );
    assert_eq!(
        start["queryString"],
        "filter @message like /ERROR/ | stats count(*) by bin(5m)"
    );
    assert_eq!(start["startTime"], 1_795_860_000_i64);
    // The end is rounded up to the whole second so its last events count.
    assert_eq!(start["endTime"], 1_795_863_601_i64);
    assert_eq!(start["limit"], 500);
    assert_eq!(start["queryLanguage"], "CWLI");
    for poll in server.requests_for(RESULTS).await {
        assert_eq!(poll.json_body()["queryId"], QUERY_ID);
    }
}

#[tokio::test]
async fn throttled_polls_are_tried_again() {
    let server = RecordedServer::start([
        Rule::new(START, started()),
        Rule::new(
            RESULTS,
            Reply::json(
                400,
                &json!({"__type": "ThrottlingException", "message": "Rate exceeded"}),
            ),
        )
        .times(2),
        Rule::new(RESULTS, answer("Complete", &[BIN_1], 12.0, 100.0)),
    ])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let outcome = run_query(
        &provider,
        &request("stats count(*) by bin(5m)"),
        fast(),
        &CancellationToken::new(),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(outcome.results.status, QueryStatus::Complete);
    // The SDK retries a throttled call itself (3 attempts in the test
    // tuning), so two throttling answers cost one poll of ours.
    assert_eq!(server.calls(RESULTS).await, 3);
}

#[tokio::test]
async fn cancelling_sends_stop_query_and_ends_cancelled() {
    let server = RecordedServer::start([
        Rule::new(START, started()),
        Rule::new(RESULTS, answer("Running", &[BIN_1], 12.0, 100.0)).times(2),
        Rule::new(STOP, Reply::json(200, &json!({"success": true}))),
        Rule::new(RESULTS, answer("Cancelled", &[], 12.0, 150.0)),
    ])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    let mut polls = 0;
    let outcome = run_query(
        &provider,
        &request("fields @message"),
        fast(),
        &cancel,
        |_| {
            polls += 1;
            if polls == 2 {
                trigger.cancel();
            }
        },
    )
    .await
    .unwrap();
    assert_eq!(outcome.results.status, QueryStatus::Cancelled);
    assert_eq!(
        server.operations().await,
        [START, RESULTS, RESULTS, STOP, RESULTS]
    );
    assert_eq!(
        server.requests_for(STOP).await[0].json_body()["queryId"],
        QUERY_ID
    );
}

#[tokio::test]
async fn a_malformed_query_is_refused_at_start() {
    let server = RecordedServer::start([Rule::new(
        START,
        Reply::json(
            400,
            &json!({"__type": "MalformedQueryException", "message": "unexpected symbol found frob at line 1 and position 1"}),
        ),
    )])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let e = run_query(
        &provider,
        &request("frob"),
        fast(),
        &CancellationToken::new(),
        |_| {},
    )
    .await
    .unwrap_err();
    assert!(matches!(e, InsightsError::Start(_)), "{e}");
    assert!(e.is_bad_input());
    assert!(e.to_string().contains("MalformedQueryException"), "{e}");
    assert_eq!(server.operations().await, [START]);
}

#[tokio::test]
async fn logs_query_prints_stats_and_exits_by_outcome() {
    let server = RecordedServer::start([
        Rule::new(START, started()).when(|r| r.json_body()["queryString"] != "fields x"),
        Rule::new(RESULTS, answer("Complete", &[BIN_1, BIN_2], 43.0, 1200.0)),
    ])
    .await;
    let endpoint = server.endpoint();
    let out = tokio::task::spawn_blocking(move || {
        support::endpoint_monitui(&endpoint, "recorded-insights")
            .args([
                "logs",
                "query",
                "stats count(*) by bin(5m)",
                "--group",
                "/g",
                "--since",
                "1h",
            ])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "bin(5m)                  count(*)\n2026-11-28 10:00:00.000  12\n2026-11-28 10:05:00.000  31\n"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("Complete: 2 rows; 43 records matched of 1,200 scanned (144.0 kB) in "),
        "{stderr}"
    );
}

#[tokio::test]
async fn logs_query_exit_codes_say_whose_fault_it_was() {
    let server = RecordedServer::start([
        Rule::new(
            START,
            Reply::json(
                400,
                &json!({"__type": "MalformedQueryException", "message": "bad query"}),
            ),
        )
        .when(|r| r.json_body()["queryString"] == "frob"),
        Rule::new(START, started()),
        Rule::new(RESULTS, answer("Failed", &[], 0.0, 10.0)),
    ])
    .await;
    let endpoint = server.endpoint();
    let run = move |query: &'static str| {
        let endpoint = endpoint.clone();
        move || {
            support::endpoint_monitui(&endpoint, "recorded-insights")
                .args(["logs", "query", query, "--group", "/g", "--since", "1h"])
                .output()
                .unwrap()
        }
    };
    let malformed = tokio::task::spawn_blocking(run("frob")).await.unwrap();
    assert_eq!(malformed.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&malformed.stderr);
    assert!(
        stderr.contains("MalformedQueryException: bad query"),
        "{stderr}"
    );

    let failed = tokio::task::spawn_blocking(run("fields x")).await.unwrap();
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("the query ended Failed: no results"),
        "{stderr}"
    );
    assert!(failed.stdout.is_empty());
}

/// On AWS the query goes to the service as written: a query the demo's
/// evaluator refuses (a `pattern` command, a `jsonParse` call, and even
/// text it cannot tokenize) is sent untouched and its results come back.
#[tokio::test]
async fn queries_the_demo_cannot_read_go_to_the_service_as_written() {
    let queries = [
        "filter @message like /ERROR/\n| pattern @message",
        "fields jsonParse(@message) as j | stats count() by j.status_code",
        "fields @message | filter @message like /a/ | frob ~ x",
    ];
    for query in queries {
        assert!(monitui::insights::InsightsQuery::parse(query).is_err());
        let server = RecordedServer::start([
            Rule::new(START, started()),
            Rule::new(RESULTS, answer("Complete", &[BIN_1], 12.0, 900.0)),
        ])
        .await;
        let provider = support::aws_provider(&server.endpoint()).await;
        let outcome = run_query(
            &provider,
            &request(query),
            fast(),
            &CancellationToken::new(),
            |_| {},
        )
        .await
        .unwrap();
        assert_eq!(outcome.results.table.rows.len(), 1);
        let start = &server.requests_for(START).await[0].json_body();
        assert_eq!(start["queryString"], query);
    }
}

/// Dashboard log widgets in OpenSearch SQL and PPL go to StartQuery with
/// their `queryLanguage`; SQL names its groups in the query, so none are
/// sent beside it.
#[tokio::test]
async fn dashboard_sql_and_ppl_widgets_pass_their_language() {
    let server = RecordedServer::start([
        Rule::new(START, started()),
        Rule::new(
            RESULTS,
            answer("Complete", &[&[("errors", "3")]], 3.0, 40.0),
        ),
    ])
    .await;
    let provider = support::aws_provider(&server.endpoint()).await;
    let sql = "SELECT count(*) AS errors FROM `/aws/lambda/a` WHERE `@message` LIKE '%ERROR%'";
    let body = json!({"widgets": [
        {"type": "log", "properties": {"query": sql, "queryLanguage": "SQL"}},
        {"type": "log", "properties": {
            "query": "SOURCE '/aws/lambda/b' | where like(`@message`, '%ERROR%') | stats count() as errors",
            "queryLanguage": "PPL"
        }},
    ]});
    let dashboard = Dashboard::parse(&body.to_string()).unwrap();
    let range = request("").range;
    for widget in &dashboard.widgets {
        let Ok(WidgetContent::Log(log)) = &widget.content else {
            panic!("{:?}", widget.content)
        };
        let result = widget_result(&provider, &provider, log, range, fast()).await;
        let LogResult::Rows(table) = result else {
            panic!("{result:?}")
        };
        assert_eq!(table.rows, [["3"]]);
    }
    let starts = server.requests_for(START).await;
    let (sql_start, ppl_start) = (starts[0].json_body(), starts[1].json_body());
    assert_eq!(sql_start["queryLanguage"], "SQL");
    assert_eq!(sql_start["queryString"], sql);
    assert_eq!(sql_start.get("logGroupNames"), None);
    assert_eq!(ppl_start["queryLanguage"], "PPL");
    assert_eq!(ppl_start["logGroupNames"], json!(["/aws/lambda/b"]));
    assert_eq!(
        ppl_start["queryString"],
        "where like(`@message`, '%ERROR%') | stats count() as errors"
    );
}
