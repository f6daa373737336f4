//! `monitui incident` on the demo account: the markdown report at a fixed
//! clock (snapshot), and the real binary's markdown and JSON, which must
//! tell the scripted Lambda incident's story: the deploy, the error lines,
//! the state changes.

mod support;

use std::sync::Arc;

use clap::Parser;
use jiff::{SignedDuration, Timestamp};
use monitui::cli::args::{Cli, Command};
use monitui::cli::incident_cmd;
use monitui::config::ResolvedEnv;
use monitui::data::incident::{IncidentRequest, Relations, Sources, Timeline};
use monitui::filter::FilterPattern;
use monitui::model::incident::DEFAULT_ERROR_PATTERN;
use monitui::model::{AlarmState, Clock, ManualClock};
use monitui::provider::sim::SimProvider;
use monitui::provider::{Account, AlarmsRead};
use monitui::report::Flavor;
use monitui::report::incident::report;

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
    assert!(
        markdown.contains("function ecommerce-ai-platform-analytics-service"),
        "the deploy names the function it changed:\n{markdown}"
    );
    assert!(
        markdown.contains(" failures (") && markdown.contains(" error lines)"),
        "an invocation's ERROR and REPORT lines count once:\n{markdown}"
    );
    assert!(
        !markdown.contains("| REPORT RequestId"),
        "failures are shown error first:\n{markdown}"
    );
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

/// `monitui incident LAMBDA --output json ARGS`, parsed as the binary
/// parses it and run on the demo account at the seed and the moment of
/// [`demo_in_the_lambda_episode`] (those of the markdown snapshot): what
/// it printed, as JSON.
async fn incident_json(args: &[&str]) -> serde_json::Value {
    let (_, now) = demo_in_the_lambda_episode().await;
    let argv = ["monitui", "incident", LAMBDA, "--output", "json"];
    let cli = Cli::try_parse_from(argv.iter().chain(args)).unwrap();
    let Some(Command::Incident(cmd)) = cli.command else {
        panic!("not an incident command: {:?}", cli.command)
    };
    let env = ResolvedEnv {
        seed: 3,
        ..ResolvedEnv::demo()
    };
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(now));
    let session = monitui::data::connect(env.clone(), Arc::clone(&clock))
        .await
        .unwrap();
    let mut out = Vec::new();
    incident_cmd::run(&cmd, &env, &session, clock, &mut out)
        .await
        .unwrap();
    serde_json::from_slice(&out).unwrap()
}

/// `(time, from, to)` of each state change in `changes`, oldest first.
fn changes_of(changes: &serde_json::Value) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = changes
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let text = |k: &str| c[k].as_str().unwrap().to_string();
            (text("time"), text("from"), text("to"))
        })
        .collect();
    out.sort();
    out
}

/// The window's bounds.
fn window_of(json: &serde_json::Value) -> (Timestamp, Timestamp) {
    let at = |k: &str| -> Timestamp { json["window"][k].as_str().unwrap().parse().unwrap() };
    (at("start"), at("end"))
}

/// The log events' groups, each once, sorted.
fn groups_of(json: &serde_json::Value) -> Vec<String> {
    let mut groups: Vec<String> = json["log_events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["group"].as_str().unwrap().to_string())
        .collect();
    groups.sort();
    groups.dedup();
    groups
}

#[tokio::test]
async fn json_holds_every_piece_of_the_story() {
    let json = incident_json(&[]).await;
    assert_eq!(json["alarm"]["name"], LAMBDA);
    let (start, end) = window_of(&json);
    // What the demo account itself says of the episode and its window.
    let (sources, now) = demo_in_the_lambda_episode().await;
    let episode = sources.reads.alarms.alarm(LAMBDA).await.unwrap().unwrap();
    assert_eq!(
        (start, end),
        (episode.transitioned_at - SignedDuration::from_mins(30), now),
        "from half an hour before the episode to now"
    );
    let timeline = Timeline::gather(&sources, &request(), now).await.unwrap();
    let mut expected: Vec<(String, String, String)> = timeline
        .state_changes
        .iter()
        .filter_map(|h| {
            let (from, to) = h.transition?;
            Some((h.timestamp.to_string(), from.to_string(), to.to_string()))
        })
        .collect();
    expected.sort();
    assert_eq!(
        expected.last(),
        Some(&(
            episode.transitioned_at.to_string(),
            "OK".to_string(),
            "ALARM".to_string()
        )),
        "the episode's OK -> ALARM"
    );
    assert_eq!(
        changes_of(&json["state_changes"]),
        expected,
        "the episode's OK -> ALARM and the changes before it"
    );
    assert!(!json["metric"]["points"].as_array().unwrap().is_empty());

    let errors = FilterPattern::parse(DEFAULT_ERROR_PATTERN).unwrap();
    let logs = json["log_events"].as_array().unwrap();
    let error_lines = timeline
        .logs
        .as_ref()
        .unwrap()
        .as_ref()
        .unwrap()
        .events
        .len();
    assert!(error_lines > 10, "the burst's error lines: {error_lines}");
    assert_eq!(
        logs.len(),
        error_lines,
        "the error lines of the markdown snapshot"
    );
    for event in logs {
        let at: Timestamp = event["timestamp"].as_str().unwrap().parse().unwrap();
        let message = event["message"].as_str().unwrap();
        assert!(start <= at && at <= end, "{event}");
        assert!(errors.matches(message), "not an error line: {event}");
    }
    assert!(
        logs.iter()
            .any(|e| e["message"].as_str().unwrap().contains("ConnectionError")),
        "the analytics database timeouts behind the incident"
    );
    assert!(
        groups_of(&json)
            .iter()
            .all(|g| g.starts_with("/aws/lambda/ecommerce-ai-platform-")),
        "{:?}",
        groups_of(&json)
    );

    assert!(json["trail_events"].as_array().unwrap().iter().any(|e| {
        e["event_name"]
            .as_str()
            .unwrap()
            .starts_with("UpdateFunctionCode")
            && e["user"] == "deploy-bot"
    }));
    assert!(json["annotations"].is_array());

    let others = json["other_alarms"].as_array().unwrap();
    let mut names: Vec<&str> = others
        .iter()
        .map(|c| c["alarm"].as_str().unwrap())
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(
        names,
        [
            "ecommerce-ai-platform-api-5xx-errors",
            "ecommerce-ai-platform-platform-degraded",
        ],
        "the burst's other alarms; the DMS alarm stays calm"
    );
    assert_eq!(
        others.len(),
        timeline
            .other_alarms
            .as_ref()
            .unwrap()
            .as_ref()
            .unwrap()
            .len(),
        "the other alarm changes of the markdown snapshot"
    );
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

#[tokio::test]
async fn given_log_groups_and_window_replace_the_defaults() {
    const COPILOT: &str = "/aws/lambda/ecommerce-ai-platform-retail-copilot";
    let by_default = groups_of(&incident_json(&[]).await);
    assert!(
        by_default.len() > 1 && by_default.iter().any(|g| g == COPILOT),
        "{by_default:?}"
    );
    let json = incident_json(&["--log-group", COPILOT, "--since", "2h"]).await;
    let (start, end) = window_of(&json);
    assert_eq!(end.duration_since(start), SignedDuration::from_hours(2));
    assert_eq!(groups_of(&json), [COPILOT], "only the group asked for");
}
