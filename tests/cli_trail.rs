//! `monitui trail search` through the built binary: delivered log files
//! (plain and gzipped, with presets and time bounds), the demo account's
//! history, the "more available" marker, sanitised tables and bad input.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use serde_json::{Value, json};

fn monitui() -> Command {
    support::demo_monitui("cli-trail")
}

fn search_json(args: &[&str]) -> Vec<Value> {
    support::json_of(
        monitui()
            .args(["trail", "search", "--output", "json"])
            .args(args),
    )
}

fn fixtures_records() -> PathBuf {
    support::third_party("cloudtrail/records.json")
}

fn gzip(from: &Path, to: &Path) {
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(to).unwrap(),
        flate2::Compression::default(),
    );
    encoder.write_all(&std::fs::read(from).unwrap()).unwrap();
    encoder.finish().unwrap();
}

fn write_records(dir: &Path, name: &str, records: Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, json!({"Records": records}).to_string()).unwrap();
    path
}

fn call(time: &str, name: &str, user: &str) -> Value {
    json!({
        "eventVersion": "1.09",
        "eventTime": time,
        "eventName": name,
        "eventSource": "iam.amazonaws.com",
        "eventID": format!("id-{name}-{time}"),
        "awsRegion": "eu-west-1",
        "sourceIPAddress": "192.0.2.1",
        "userIdentity": {"type": "IAMUser", "userName": user, "accountId": "111122223333"}
    })
}

#[test]
fn a_gzipped_delivered_file_gives_exactly_the_denied_calls() {
    let records = fixtures_records();
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("records.json.gz");
    gzip(&records, &gz);
    let found = search_json(&["--file", gz.to_str().unwrap(), "--preset", "denied"]);
    let mut got: Vec<(String, String, Value)> = found
        .iter()
        .map(|e| {
            (
                e["user"].as_str().unwrap().to_string(),
                e["event_name"].as_str().unwrap().to_string(),
                e["error_code"].clone(),
            )
        })
        .collect();
    got.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let expected = vec![
        (
            "HIDDEN_DUE_TO_SECURITY_REASONS".to_string(),
            "ConsoleLogin".to_string(),
            Value::Null,
        ),
        ("anaya".to_string(), "ConsoleLogin".to_string(), Value::Null),
        (
            "myUserName".to_string(),
            "GetFunction".to_string(),
            json!("AccessDenied"),
        ),
        ("root".to_string(), "ConsoleLogin".to_string(), Value::Null),
    ];
    assert_eq!(got, expected);
    for e in &found {
        assert!(
            e["event_time"]
                .as_str()
                .unwrap()
                .parse::<jiff::Timestamp>()
                .is_ok()
        );
        for key in [
            "event_source",
            "source_ip",
            "event_id",
            "region",
            "read_only",
        ] {
            assert!(e.get(key).is_some(), "{key} in {e}");
        }
    }
    let plain = search_json(&["--file", records.to_str().unwrap(), "--preset", "denied"]);
    assert_eq!(plain, found, "plain and gzipped files give the same answer");
}

#[test]
fn several_files_criteria_and_time_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let a = write_records(
        dir.path(),
        "a.json",
        json!([
            call("2026-11-01T10:00:00Z", "CreateUser", "alice"),
            call("2026-11-02T10:00:00Z", "DeleteUser", "bob"),
        ]),
    );
    let b = write_records(
        dir.path(),
        "b.json",
        json!([call("2026-11-03T10:00:00Z", "CreateUser", "bob")]),
    );
    let files = [a.to_str().unwrap(), b.to_str().unwrap()];
    let names = |found: Vec<Value>| -> Vec<String> {
        found
            .iter()
            .map(|e| {
                format!(
                    "{} {}",
                    e["event_name"].as_str().unwrap(),
                    e["user"].as_str().unwrap()
                )
            })
            .collect()
    };
    let all = search_json(&["--file", files[0], files[1]]);
    assert_eq!(
        names(all),
        ["CreateUser bob", "DeleteUser bob", "CreateUser alice"],
        "newest first"
    );
    let created = search_json(&[
        "--file",
        files[0],
        "--file",
        files[1],
        "--event-name",
        "CreateUser",
    ]);
    assert_eq!(names(created), ["CreateUser bob", "CreateUser alice"]);
    let bob = search_json(&[
        "--file",
        files[0],
        files[1],
        "--user",
        "bob",
        "--until",
        "2026-11-02T23:00:00Z",
    ]);
    assert_eq!(names(bob), ["DeleteUser bob"]);
    let since = search_json(&["--file", files[0], files[1], "--since", "2026-11-02"]);
    assert_eq!(names(since), ["CreateUser bob", "DeleteUser bob"]);
    let writes = search_json(&[
        "--file",
        files[0],
        files[1],
        "--read-only-events",
        "false",
        "--preset",
        "iam-changes",
    ]);
    assert_eq!(writes.len(), 3);
}

#[test]
fn the_limit_marks_more_available() {
    let dir = tempfile::tempdir().unwrap();
    let calls: Vec<Value> = (0..5)
        .map(|i| {
            call(
                &format!("2026-11-0{}T10:00:00Z", i + 1),
                "CreateUser",
                "alice",
            )
        })
        .collect();
    let file = write_records(dir.path(), "five.json", Value::Array(calls));
    let out = monitui()
        .args([
            "trail", "search", "--output", "json", "--limit", "2", "--file",
        ])
        .arg(&file)
        .assert()
        .success()
        .stderr(contains("more available: stopped at --limit 2"));
    let found: Vec<Value> = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(found.len(), 2);
    monitui()
        .args(["trail", "search", "--limit", "5", "--file"])
        .arg(&file)
        .assert()
        .success()
        .stdout(contains("5 events\n"));
}

#[test]
fn tables_are_sanitised() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_records(
        dir.path(),
        "evil.json",
        json!([call(
            "2026-11-01T10:00:00Z",
            "CreateUser\u{1b}]0;pwned\u{7}",
            "mal\u{1b}[31mlory\r"
        )]),
    );
    let out = monitui()
        .args(["trail", "search", "--file"])
        .arg(&file)
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\r') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(text.contains("mallory·"), "{text}");
    assert!(text.contains("1 event\n"), "{text}");
}

#[test]
fn bad_files_and_arguments_exit_2_saying_what_and_where() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_records(
        dir.path(),
        "mixed.json",
        json!([call("2026-11-01T10:00:00Z", "A", "u"), "not a record"]),
    );
    monitui()
        .args(["trail", "search", "--file"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(contains("mixed.json: record #1 is a string, not an object"));
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"Records\": [\n{\"eventName\": }]}").unwrap();
    monitui()
        .args(["trail", "search", "--file"])
        .arg(&broken)
        .assert()
        .code(2)
        .stderr(contains("broken.json").and(contains("line 2")));
    monitui()
        .args(["trail", "search", "--file", "/nonexistent/trail.json.gz"])
        .assert()
        .code(2)
        .stderr(contains("/nonexistent/trail.json.gz"));
    monitui()
        .args(["trail", "search", "--preset", "admins"])
        .assert()
        .code(2)
        .stderr(contains("unknown preset 'admins'"));
    monitui()
        .args(["trail", "search", "--since", "1h", "--until", "2h"])
        .assert()
        .code(2)
        .stderr(contains("--since"));
}

#[test]
fn the_demo_account_has_one_tampering_event_and_deploys() {
    let tampering = search_json(&["--preset", "trail-tampering"]);
    assert_eq!(tampering.len(), 1, "{tampering:?}");
    assert_eq!(tampering[0]["event_name"], "StopLogging");
    assert_eq!(tampering[0]["user"], "contractor-dev");
    let deploys = search_json(&["--user", "deploy-bot", "--since", "2h"]);
    assert!(!deploys.is_empty());
    assert!(
        deploys
            .iter()
            .all(|d| d["event_name"] == "UpdateFunctionCode20150331v2")
    );
    let logins = search_json(&["--preset", "no-mfa-logins"]);
    assert!(logins.iter().all(|l| l["event_name"] == "ConsoleLogin"));
}
