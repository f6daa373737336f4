//! CloudTrail search against the emulator, started by `scripts/test` with
//! CLOUDTRAIL_RECORDING=1 so that it records the calls made to its other
//! services: the calls a test makes are found by event name (through the
//! built binary), by user, and inside a time window.
//!
//! The emulator names JSON-protocol calls properly but records the Rust
//! CloudWatch SDK's CBOR calls as `POST.monitoring` (EMULATOR.md), so the
//! PutMetricAlarm calls here are sent in the JSON protocol, as boto3 does,
//! and the Logs calls go through the Rust Logs SDK (JSON too).

mod support;

use std::sync::Arc;
use std::time::Duration;

use assert_cmd::Command;
use jiff::{SignedDuration, Timestamp};
use monitui::data::trail_search::{LiveOptions, LiveTrailSearch};
use monitui::model::trail::{TrailCriteria, TrailRecord};
use monitui::provider::TrailRead;
use serde_json::Value;

use support::{ALARM_KEY, put_alarm_json};

fn monitui(endpoint: &str) -> Command {
    support::emulator_monitui(endpoint, "trail")
}

async fn search(endpoint: &str, criteria: &TrailCriteria) -> Vec<TrailRecord> {
    let provider: Arc<dyn TrailRead> = Arc::new(support::aws_provider(endpoint).await);
    LiveTrailSearch::new(provider, LiveOptions::default())
        .search(criteria)
        .await
        .expect("trail search")
        .records
}

async fn create_log_group(logs: &aws_sdk_cloudwatchlogs::Client, name: &str) {
    logs.create_log_group()
        .log_group_name(name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateLogGroup {name}: {e:?}"));
}

fn log_group_names(records: &[TrailRecord]) -> Vec<String> {
    let mut names: Vec<String> = records
        .iter()
        .map(|r| {
            r.raw["requestParameters"]["logGroupName"]
                .as_str()
                .unwrap_or("?")
                .to_string()
        })
        .collect();
    names.sort();
    names
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn trail_search_by_event_name_finds_the_put_metric_alarm_calls_made() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    support::reset_emulator(&endpoint);
    put_alarm_json(&endpoint, "trail-found-1");
    put_alarm_json(&endpoint, "trail-found-2");
    let logs = aws_sdk_cloudwatchlogs::Client::new(&support::sdk_config(&endpoint).await);
    create_log_group(&logs, "/trail/not-an-alarm").await;

    let found: Vec<Value> = support::json_of(monitui(&endpoint).args([
        "trail",
        "search",
        "--event-name",
        "PutMetricAlarm",
        "--output",
        "json",
    ]));
    assert_eq!(found.len(), 2, "{found:?}");
    for event in &found {
        assert_eq!(event["event_name"], "PutMetricAlarm");
        assert_eq!(event["event_source"], "monitoring.amazonaws.com");
        assert_eq!(event["user"], ALARM_KEY);
        assert_eq!(event["error_code"], Value::Null);
        assert!(
            event["event_time"]
                .as_str()
                .unwrap()
                .parse::<Timestamp>()
                .is_ok()
        );
    }

    let table = monitui(&endpoint)
        .args(["trail", "search", "--user", ALARM_KEY])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let table = String::from_utf8(table).unwrap();
    assert_eq!(table.matches("PutMetricAlarm").count(), 2, "{table}");
    assert!(!table.contains("CreateLogGroup"), "{table}");
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn lookups_by_user_and_inside_a_time_window() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    support::reset_emulator(&endpoint);
    let logs = aws_sdk_cloudwatchlogs::Client::new(&support::sdk_config(&endpoint).await);
    create_log_group(&logs, "/trail/early-a").await;
    create_log_group(&logs, "/trail/early-b").await;
    put_alarm_json(&endpoint, "trail-window");

    // The records' eventTime has whole seconds: start the second window on
    // a whole second, after the early calls.
    let boundary = Timestamp::from_second(Timestamp::now().as_second() + 1).unwrap();
    let wait = boundary.duration_since(Timestamp::now()) + SignedDuration::from_millis(50);
    tokio::time::sleep(Duration::try_from(wait).unwrap()).await;
    create_log_group(&logs, "/trail/late").await;

    let by_user = TrailCriteria {
        user_name: Some("test".into()),
        event_name: Some("CreateLogGroup".into()),
        ..TrailCriteria::default()
    };
    let all = search(&endpoint, &by_user).await;
    assert_eq!(
        log_group_names(&all),
        ["/trail/early-a", "/trail/early-b", "/trail/late"]
    );
    assert!(all.iter().all(|r| r.user() == "test"));

    let late = TrailCriteria {
        since: Some(boundary),
        ..by_user.clone()
    };
    assert_eq!(
        log_group_names(&search(&endpoint, &late).await),
        ["/trail/late"]
    );
    let early = TrailCriteria {
        until: Some(boundary - SignedDuration::from_millis(1)),
        ..by_user.clone()
    };
    assert_eq!(
        log_group_names(&search(&endpoint, &early).await),
        ["/trail/early-a", "/trail/early-b"]
    );

    let writes_in_window = TrailCriteria {
        read_only: Some(false),
        since: Some(boundary - SignedDuration::from_mins(5)),
        ..TrailCriteria::default()
    };
    let writes = search(&endpoint, &writes_in_window).await;
    assert!(writes.iter().any(|r| r.event_name == "PutMetricAlarm"));
    assert_eq!(
        writes
            .iter()
            .filter(|r| r.event_name == "CreateLogGroup")
            .count(),
        3
    );
}
