//! Logs against the emulator over the real wire protocol: `logs groups`
//! shows retention, KMS key and stored bytes; `logs search` returns every
//! event put (the emulator never pages, so one answer of up to 10,000
//! events); `logs tail` shows events put after it started within seconds.

mod support;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use aws_sdk_cloudwatchlogs::Client;
use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use serde_json::Value;

fn monitui(endpoint: &str) -> assert_cmd::Command {
    support::emulator_monitui(endpoint, "logs")
}

async fn client(endpoint: &str) -> Client {
    Client::new(&support::sdk_config(endpoint).await)
}

async fn group_with_stream(logs: &Client, group: &str) {
    logs.create_log_group()
        .log_group_name(group)
        .send()
        .await
        .unwrap();
    logs.create_log_stream()
        .log_group_name(group)
        .log_stream_name("app")
        .send()
        .await
        .unwrap();
}

/// Puts `messages` one millisecond apart, ending now.
async fn put(logs: &Client, group: &str, messages: &[String]) {
    let start = jiff::Timestamp::now().as_millisecond() - messages.len() as i64;
    for (c, chunk) in messages.chunks(5_000).enumerate() {
        let events: Vec<InputLogEvent> = chunk
            .iter()
            .enumerate()
            .map(|(i, m)| {
                InputLogEvent::builder()
                    .timestamp(start + (c * 5_000 + i) as i64)
                    .message(m)
                    .build()
                    .unwrap()
            })
            .collect();
        logs.put_log_events()
            .log_group_name(group)
            .log_stream_name("app")
            .set_log_events(Some(events))
            .send()
            .await
            .unwrap();
    }
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn groups_show_retention_and_kms_key() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    support::reset_emulator(&endpoint);
    let logs = client(&endpoint).await;
    let key = "arn:aws:kms:us-east-1:000000000000:key/11111111-2222-3333-4444-555555555555";
    logs.create_log_group()
        .log_group_name("/aws/lambda/emu-auth")
        .kms_key_id(key)
        .send()
        .await
        .unwrap();
    logs.put_retention_policy()
        .log_group_name("/aws/lambda/emu-auth")
        .retention_in_days(30)
        .send()
        .await
        .unwrap();
    logs.create_log_group()
        .log_group_name("/aws/batch/job")
        .send()
        .await
        .unwrap();
    let groups =
        support::json_of::<Value>(monitui(&endpoint).args(["logs", "groups", "--output", "json"]));
    let groups = groups.as_array().unwrap();
    assert_eq!(groups.len(), 2);
    let auth = groups
        .iter()
        .find(|g| g["name"] == "/aws/lambda/emu-auth")
        .unwrap();
    assert_eq!(auth["retention_days"], 30);
    assert_eq!(auth["kms_key_id"], key);
    let batch = groups
        .iter()
        .find(|g| g["name"] == "/aws/batch/job")
        .unwrap();
    assert!(batch["retention_days"].is_null(), "never expires");
    let table = monitui(&endpoint)
        .args(["logs", "groups"])
        .output()
        .unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains("never expires") && text.contains("30 days"),
        "{text}"
    );
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn search_returns_every_event_put() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    support::reset_emulator(&endpoint);
    let logs = client(&endpoint).await;
    group_with_stream(&logs, "/emu/search").await;
    let messages: Vec<String> = (0..6_000)
        .map(|i| {
            if i % 3 == 0 {
                format!("ERROR job {i} failed")
            } else {
                format!("INFO job {i} ok")
            }
        })
        .collect();
    put(&logs, "/emu/search", &messages).await;
    let found = support::json_of::<Value>(monitui(&endpoint).args([
        "logs",
        "search",
        "/emu/search",
        "--since",
        "10m",
        "--output",
        "json",
    ]));
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), messages.len(), "every event put comes back");
    let got: Vec<&str> = found
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        got,
        messages.iter().map(String::as_str).collect::<Vec<_>>(),
        "in time order"
    );
    assert!(
        found
            .iter()
            .all(|e| e["group"] == "/emu/search" && e["stream"] == "app")
    );
    assert!(found[0]["timestamp"].as_str().unwrap().ends_with('Z'));
    let errors = support::json_of::<Value>(monitui(&endpoint).args([
        "logs",
        "search",
        "/emu/search",
        "--since",
        "10m",
        "--filter",
        "ERROR",
        "--output",
        "json",
    ]));
    assert_eq!(errors.as_array().unwrap().len(), 2_000);
}

#[tokio::test]
#[ignore = "needs the emulator: run scripts/test"]
async fn tail_shows_new_events_within_seconds() {
    let endpoint = support::emulator_endpoint();
    let _guard = support::emulator_lock().await;
    support::reset_emulator(&endpoint);
    let logs = client(&endpoint).await;
    group_with_stream(&logs, "/emu/tail").await;
    put(&logs, "/emu/tail", &["before the tail".to_string()]).await;
    let mut child = support::emulator_command(&endpoint, "logs")
        .args([
            "logs",
            "tail",
            "/emu/tail",
            "--since",
            "5m",
            "--format",
            "json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    let first: Value =
        serde_json::from_str(&rx.recv_timeout(Duration::from_secs(10)).unwrap()).unwrap();
    assert_eq!(first["message"], "before the tail");
    let new: Vec<String> = (0..3).map(|i| format!("new event {i}")).collect();
    let put_at = Instant::now();
    put(&logs, "/emu/tail", &new).await;
    let mut seen = Vec::new();
    while seen.len() < new.len() {
        let line = rx
            .recv_timeout(Duration::from_secs(8))
            .expect("new events within seconds");
        let event: Value = serde_json::from_str(&line).unwrap();
        seen.push(event["message"].as_str().unwrap().to_string());
    }
    let waited = put_at.elapsed();
    assert_eq!(seen, new, "each new event once, in order");
    assert!(waited < Duration::from_secs(6), "took {waited:?}");
    std::thread::sleep(Duration::from_secs(3));
    assert!(rx.try_recv().is_err(), "nothing is repeated by later polls");
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "Ctrl-C ends the tail cleanly: {:?}",
        output.status
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("by live tail"),
        "StartLiveTail reaches the emulator (its host prefix removed): {stderr}"
    );
}
