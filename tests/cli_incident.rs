//! `monitui incident` on the demo account: the markdown report at a fixed
//! clock (snapshot), and the real binary's markdown and JSON, which must
//! tell the scripted Lambda incident's story: the deploy, the error lines,
//! the state changes.

mod support;

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use monitui::cli::incident_report::{Flavor, report};
use monitui::data::incident::{IncidentRequest, Relations, Sources, Timeline};
use monitui::model::incident::DEFAULT_ERROR_PATTERN;
use monitui::model::{AlarmState, Clock, ManualClock};
use monitui::provider::sim::SimProvider;
use monitui::provider::{Account, AlarmsRead};

const LAMBDA: &str = "ecommerce-ai-platform-lambda-errors";

/// The demo account with its clock stopped ten minutes into the first
/// Lambda episode after a fixed moment.
async fn demo_in_the_lambda_episode() -> (Sources, Timestamp) {
    let clock = Arc::new(ManualClock::new("2026-11-27T13:00:00Z".parse().unwrap()));
    let sim = Arc::new(SimProvider::new(3, clock.clone(), "ecommerce-ai-platform"));
    while sim.alarm(LAMBDA).await.unwrap().unwrap().state != AlarmState::Alarm {
        clock.advance(SignedDuration::from_mins(1));
    }
    let sources = Sources::new(
        Account::of(sim).reads,
        None,
        Relations {
            related_logs: Vec::new(),
            prefix: "ecommerce-ai-platform".into(),
        },
    );
    (sources, clock.now())
}

fn request() -> IncidentRequest {
    IncidentRequest {
        alarm: LAMBDA.into(),
        window: None,
        groups: None,
        errors: DEFAULT_ERROR_PATTERN.into(),
    }
}

/// Runs `monitui` with `args` on the demo account; fails the test unless it
/// succeeds, and gives what it printed.
fn succeeds(args: &[&str]) -> Vec<u8> {
    support::succeeds(support::demo_monitui("incident").args(args)).stdout
}

#[tokio::test]
async fn markdown_report_of_the_demo_s_lambda_incident() {
    let (sources, now) = demo_in_the_lambda_episode().await;
    let timeline = Timeline::gather(&sources, &request(), now).await.unwrap();
    let markdown = report(&timeline, Flavor::Markdown);
    assert!(markdown.contains("UpdateFunctionCode"), "{markdown}");
    assert!(markdown.contains("OK -> ALARM"), "{markdown}");
    assert!(!markdown.contains('\x1b'));
    insta::assert_snapshot!(markdown);
}

#[test]
fn markdown_from_the_binary_pastes_cleanly() {
    let stdout = succeeds(&["incident", LAMBDA, "--output", "markdown"]);
    assert!(
        stdout
            .iter()
            .all(|b| *b == b'\n' || (0x20..0x7f).contains(b) || *b >= 0x80),
        "no control bytes or escape sequences"
    );
    let text = String::from_utf8(stdout).unwrap();
    for heading in [
        "## Incident: ",
        "### Metric",
        "### State changes",
        "### Error lines",
        "### CloudTrail write events",
        "### Acks, silences and tests",
        "### Other alarms",
    ] {
        assert!(text.contains(heading), "{heading} is missing:\n{text}");
    }
    assert!(text.contains("```text"), "the chart is a code block");
}

#[test]
fn json_holds_every_piece_of_the_story() {
    let stdout = succeeds(&["incident", LAMBDA, "--output", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(json["alarm"]["name"], LAMBDA);
    assert!(json["window"]["start"].as_str().unwrap() < json["window"]["end"].as_str().unwrap());
    assert!(!json["state_changes"].as_array().unwrap().is_empty());
    assert!(!json["metric"]["points"].as_array().unwrap().is_empty());
    let logs = json["log_events"].as_array().unwrap();
    assert!(!logs.is_empty());
    assert!(
        logs.iter()
            .all(|e| e["group"].as_str().unwrap().starts_with("/aws/lambda/"))
    );
    assert!(json["trail_events"].as_array().unwrap().iter().any(|e| {
        e["event_name"]
            .as_str()
            .unwrap()
            .starts_with("UpdateFunctionCode")
            && e["user"] == "deploy-bot"
    }));
    assert!(json["annotations"].is_array());
    assert!(json["other_alarms"].is_array());
    assert_eq!(json["errors"], serde_json::json!([]));
}

#[test]
fn a_bad_error_pattern_is_refused_naming_it() {
    let out = support::demo_monitui("incident")
        .args(["incident", LAMBDA, "--errors", "[a, b"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--errors"));
}

#[test]
fn an_unknown_alarm_is_named() {
    let out = support::demo_monitui("incident")
        .args(["incident", "no-such-alarm"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no alarm named 'no-such-alarm'"));
}

#[test]
fn given_log_groups_and_window_replace_the_defaults() {
    let stdout = succeeds(&[
        "incident",
        LAMBDA,
        "--log-group",
        "/aws/batch/job",
        "--since",
        "2h",
        "--output",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    let start: Timestamp = json["window"]["start"].as_str().unwrap().parse().unwrap();
    let end: Timestamp = json["window"]["end"].as_str().unwrap().parse().unwrap();
    assert_eq!(end.duration_since(start), SignedDuration::from_hours(2));
    assert!(
        json["log_events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["group"] == "/aws/batch/job")
    );
}
