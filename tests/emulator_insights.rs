//! Logs Insights against the emulator over the real wire protocol:
//! StartQuery and GetQueryResults through the AWS provider and the data
//! layer's poller, and `logs query` through the built binary. The emulator
//! completes queries at once and evaluates `fields`, `filter @f = 'x'`,
//! `filter @message like /re/`, `sort` and `limit`, but ignores `stats`
//! and `parse` (EMULATOR.md); those are proved on recorded responses in
//! `recorded_insights.rs`.

mod support;

use std::sync::Arc;

use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use jiff::{SignedDuration, Timestamp};
use monitui::data::insights::{PollOptions, resolve_groups, run_query};
use monitui::model::TimeRange;
use monitui::model::insights::{QueryLanguage, QueryRequest, QueryStatus};
use monitui::provider::{InsightsRead, LogsRead};
use tokio_util::sync::CancellationToken;

const AUTH: &str = "/aws/lambda/ecommerce-ai-platform-auth-service";
const PULSE: &str = "/aws/lambda/ecommerce-ai-platform-global-market-pulse";
const API: &str = "/aws/apigateway/ecommerce-ai-platform";

/// Plants three groups with a few lines each, minutes before now.
async fn plant(endpoint: &str) -> Timestamp {
    support::reset_emulator(endpoint);
    let logs = aws_sdk_cloudwatchlogs::Client::new(&support::sdk_config(endpoint).await);
    let now = Timestamp::now();
    let lines: [(&str, &str, i64, &str); 6] = [
        (AUTH, "2026/11/28/[$LATEST]a", 9, "INFO login ok user=alice"),
        (
            AUTH,
            "2026/11/28/[$LATEST]a",
            8,
            "ERROR TokenExpired user=bob",
        ),
        (
            AUTH,
            "2026/11/28/[$LATEST]b",
            7,
            "ERROR Timeout calling users-db",
        ),
        (PULSE, "2026/11/28/[$LATEST]c", 6, "INFO trend scan done"),
        (
            PULSE,
            "2026/11/28/[$LATEST]c",
            5,
            "ERROR KeyError: 'region'",
        ),
        (API, "api-stream", 4, r#"{"status":502,"path":"/orders"}"#),
    ];
    for (group, stream, minutes_ago, message) in lines {
        let _ = logs.create_log_group().log_group_name(group).send().await;
        let _ = logs
            .create_log_stream()
            .log_group_name(group)
            .log_stream_name(stream)
            .send()
            .await;
        let at = now - SignedDuration::from_mins(minutes_ago);
        logs.put_log_events()
            .log_group_name(group)
            .log_stream_name(stream)
            .log_events(
                InputLogEvent::builder()
                    .timestamp(at.as_millisecond())
                    .message(message)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap_or_else(|e| panic!("PutLogEvents {group}: {e:?}"));
    }
    now
}

fn last_hour(now: Timestamp) -> TimeRange {
    TimeRange {
        start: now - SignedDuration::from_hours(1),
        end: now + SignedDuration::from_mins(1),
    }
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn the_seeds_query_finds_the_errors_of_every_group_newest_first() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    let now = plant(&endpoint).await;
    let provider = support::aws_provider(&endpoint).await;
    let groups = resolve_groups(
        &provider,
        &["/aws/lambda/ecommerce-ai-platform-*".to_string()],
    )
    .await
    .unwrap();
    assert_eq!(groups, [AUTH, PULSE]);
    let request = QueryRequest {
        groups,
        range: last_hour(now),
        query: "fields @timestamp, @message, @logStream, @log\n| filter @message like /ERROR/\n| sort @timestamp desc\n| limit 50".into(),
        limit: None,
        language: QueryLanguage::LogsInsights,
    };
    let mut answers = 0;
    let outcome = run_query(
        &provider,
        &request,
        PollOptions::default(),
        &CancellationToken::new(),
        |_| answers += 1,
    )
    .await
    .unwrap();
    assert_eq!(outcome.results.status, QueryStatus::Complete);
    assert_eq!(answers, outcome.polls);
    let table = &outcome.results.table;
    for column in ["@timestamp", "@message", "@logStream", "@log"] {
        assert!(
            table.columns.iter().any(|c| c == column),
            "{:?}",
            table.columns
        );
    }
    let messages: Vec<&str> = (0..table.rows.len())
        .map(|i| table.cell(i, "@message").unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "ERROR KeyError: 'region'",
            "ERROR Timeout calling users-db",
            "ERROR TokenExpired user=bob"
        ]
    );
    assert!(table.cell(0, "@log").unwrap().ends_with(PULSE));
    assert_eq!(table.cell(1, "@logStream"), Some("2026/11/28/[$LATEST]b"));
    assert!(!table.columns.iter().any(|c| c == "@ptr"), "@ptr is hidden");
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn a_field_filter_and_a_limit_narrow_the_rows() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    let now = plant(&endpoint).await;
    let provider = Arc::new(support::aws_provider(&endpoint).await);
    let id = provider
        .start_query(&QueryRequest {
            groups: vec![AUTH.into(), PULSE.into()],
            range: last_hour(now),
            query: "fields @message | filter @logStream = '2026/11/28/[$LATEST]a' | sort @timestamp asc | limit 1".into(),
            limit: None,
            language: QueryLanguage::LogsInsights,
        })
        .await
        .unwrap();
    assert!(!id.is_empty());
    let results = provider.query_results(&id).await.unwrap();
    assert_eq!(results.status, QueryStatus::Complete);
    let messages: Vec<&str> = (0..results.table.rows.len())
        .map(|i| results.table.cell(i, "@message").unwrap())
        .collect();
    assert_eq!(messages, ["INFO login ok user=alice"]);
    // StopQuery is answered (the emulator says success even for a query
    // that has completed; the service would not).
    provider.stop_query(&id).await.unwrap();
    assert!(provider.list_log_groups().await.unwrap().len() >= 3);
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn logs_query_prints_the_rows_as_json_and_the_outcome_on_stderr() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    plant(&endpoint).await;
    let out = support::succeeds(
        support::emulator_monitui(&endpoint, "insights").args(support::SAVED_QUERY_JSON),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[0]["@message"], "ERROR KeyError: 'region'");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.find("\"@timestamp\"").unwrap() < text.find("\"@message\"").unwrap(),
        "keys in column order: {text}"
    );
    assert!(stderr.starts_with("Complete: 3 rows;"), "{stderr}");

    let out = support::emulator_monitui(&endpoint, "insights")
        .args([
            "logs",
            "query",
            "filter @message like /ERROR/",
            "--group",
            API,
            "--since",
            "1h",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty(), "no ERROR line in the API group");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("Complete: 0 rows;"), "{stderr}");

    let out = support::emulator_monitui(&endpoint, "insights")
        .args([
            "logs",
            "query",
            "fields @message | filter @message like /Timeout/",
            "--group",
            AUTH,
            "--since",
            "1h",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "@message\nERROR Timeout calling users-db\n"
    );
}
