//! `monitui handoff` on the demo account through the real binary: the JSON
//! keys a script reads (times RFC 3339 UTC), an ack from the audit log
//! with who and the note, and `--tz` moving every shown time and the
//! meaning of `--since HH:MM`, even without the system's tz database.

mod support;

use jiff::Timestamp;
use jiff::tz::TimeZone;

fn handoff(args: &[&str], audit: &std::path::Path) -> String {
    let out = support::succeeds(
        support::demo_monitui("handoff")
            .env("MONITUI_AUDIT_LOG", audit)
            .args(["--env", "demo", "handoff"])
            .args(args),
    );
    String::from_utf8(out.stdout).unwrap()
}

/// An audit log in `dir` holding alice's ack of an hour ago.
fn audit_with_an_ack(dir: &std::path::Path) -> std::path::PathBuf {
    let an_hour_ago = Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_hours(1))
        .unwrap();
    audit_with_an_ack_at(dir, an_hour_ago)
}

/// An audit log in `dir` holding alice's ack of the Lambda errors alarm
/// at `when`.
fn audit_with_an_ack_at(dir: &std::path::Path, when: Timestamp) -> std::path::PathBuf {
    let path = dir.join("audit.jsonl");
    let line = serde_json::json!({
        "when": when.to_string(), "who": "alice", "what": "ack",
        "alarm": "ecommerce-ai-platform-lambda-errors", "env": "demo",
        "result": "ok", "note": "rolled back the deploy", "message": "acked"
    });
    std::fs::write(&path, format!("{line}\n")).unwrap();
    path
}

#[test]
fn json_has_every_part_with_utc_times_and_the_ack_from_the_audit_log() {
    let dir = tempfile::tempdir().unwrap();
    let audit = audit_with_an_ack(dir.path());
    let json: serde_json::Value = serde_json::from_str(&handoff(
        &["--output", "json", "--tz", "Europe/Berlin"],
        &audit,
    ))
    .unwrap();
    for key in [
        "episodes",
        "acks",
        "silences",
        "silences_ending",
        "still_in_alarm",
        "trail_writes",
    ] {
        assert!(json[key].is_array(), "{key} in {json}");
    }
    let start = json["window"]["start"].as_str().unwrap();
    assert!(start.ends_with('Z'), "JSON stays UTC under --tz: {start}");
    let ack = &json["acks"][0];
    assert_eq!(ack["by"], "alice");
    assert_eq!(ack["note"], "rolled back the deploy");
    assert_eq!(ack["origin"], "audit-log");
    let episodes = json["episodes"].as_array().unwrap();
    assert!(!episodes.is_empty(), "the demo's alarms fire within 12h");
    assert!(
        episodes
            .iter()
            .all(|e| e["flaps"].is_u64() && e["duration_secs"].is_i64())
    );
}

#[test]
fn tz_moves_shown_times_and_since_hh_mm_even_without_a_system_tz_database() {
    let dir = tempfile::tempdir().unwrap();
    let berlin = TimeZone::get("Europe/Berlin").unwrap();
    let now = Timestamp::now().to_zoned_datetime(berlin.clone());
    // Inside the window at any time of day, also just after midnight.
    let midnight = now.start_of_day().unwrap().timestamp();
    let since_midnight = now.timestamp().duration_since(midnight);
    let audit = audit_with_an_ack_at(dir.path(), midnight + since_midnight / 2);
    let out = support::succeeds(
        support::demo_monitui("handoff")
            .env("MONITUI_AUDIT_LOG", &audit)
            .env("TZDIR", dir.path().join("no-zoneinfo-here"))
            .args([
                "--env",
                "demo",
                "--tz",
                "Europe/Berlin",
                "handoff",
                "--since",
                "00:00",
            ])
            .args(["--output", "json"]),
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let start: Timestamp = json["window"]["start"].as_str().unwrap().parse().unwrap();
    assert_eq!(start, midnight, "00:00 is Berlin's midnight, not UTC's");

    let text = String::from_utf8(
        support::succeeds(
            support::demo_monitui("handoff")
                .env("MONITUI_AUDIT_LOG", &audit)
                .env("TZDIR", dir.path().join("no-zoneinfo-here"))
                .args([
                    "--env",
                    "demo",
                    "--tz",
                    "Europe/Berlin",
                    "handoff",
                    "--since",
                    "00:00",
                ]),
        )
        .stdout,
    )
    .unwrap();
    let expected = format!(
        "{} to ",
        midnight
            .to_zoned_datetime(berlin)
            .strftime("%Y-%m-%d %H:%M")
    );
    assert!(text.contains(&expected), "{expected} in\n{text}");
    assert!(text.contains("Europe/Berlin"), "{text}");
    assert!(text.contains("rolled back the deploy"), "{text}");
}

#[test]
fn markdown_pastes_cleanly_and_an_unknown_zone_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let audit = audit_with_an_ack(dir.path());
    let md = handoff(&["--output", "markdown"], &audit);
    for heading in [
        "# Handoff: demo",
        "## Still in ALARM",
        "## Episodes",
        "## Acks",
        "| ALARM |",
    ] {
        assert!(md.contains(heading), "{heading} in\n{md}");
    }
    assert!(!md.contains('\x1b'));
    let out = support::demo_monitui("handoff")
        .args(["--env", "demo", "--tz", "Mars/Olympus", "handoff"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Europe/Berlin"));
}
