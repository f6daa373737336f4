//! The CLI takes times and names as the TUI shows them (issue 24): every
//! `--since` and `--until` accepts a time of day (`08:14`, UTC like every
//! clock on screen) besides RFC 3339 moments, dates and durations; and names as the
//! TUI shows them (an alarm without the env prefix, a log group's short
//! name), with the nearest names suggested on a miss.

mod support;

use jiff::{SignedDuration, Timestamp, tz::TimeZone};
use support::{demo_monitui, succeeds};

/// `HH:MM` (UTC) of `ago` before now.
fn time_of_day(ago: SignedDuration) -> String {
    (Timestamp::now() - ago)
        .to_zoned_datetime(TimeZone::UTC)
        .strftime("%H:%M")
        .to_string()
}

#[test]
fn every_since_and_until_takes_a_time_of_day() {
    let since = time_of_day(SignedDuration::from_mins(20));
    let until = time_of_day(SignedDuration::from_mins(1));
    let runs: [&[&str]; 3] = [
        &["logs", "search", "/aws/batch/job", "--filter", "ERROR"],
        &["trail", "search"],
        &[
            "incident",
            "ecommerce-ai-platform-lambda-errors",
            "--output",
            "json",
        ],
    ];
    for args in runs {
        // Near midnight the window would wrap to yesterday: skip then.
        if since > until {
            return;
        }
        let out = succeeds(
            demo_monitui("cli-names-times")
                .args(args)
                .args(["--since", &since, "--until", &until]),
        );
        assert!(!out.stdout.is_empty(), "{args:?} printed nothing");
    }
}

#[test]
fn a_time_that_is_no_form_is_refused_with_the_forms() {
    let out = demo_monitui("cli-names-times")
        .args(["logs", "search", "/aws/batch/job", "--since", "teatime"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("08:14"), "{stderr}");
}

#[test]
fn the_cli_takes_the_short_name_the_tui_shows() {
    let out = succeeds(demo_monitui("cli-names-times").args([
        "incident",
        "lambda-errors",
        "--output",
        "json",
    ]));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["alarm"]["name"], "ecommerce-ai-platform-lambda-errors");
    succeeds(demo_monitui("cli-names-times").args([
        "logs",
        "search",
        "analytics-service",
        "--since",
        "5m",
    ]));
}

#[test]
fn dashboards_go_by_their_short_name_too() {
    let out = succeeds(demo_monitui("cli-names-times").args([
        "dashboards",
        "show",
        "data-pipeline",
        "--plain",
    ]));
    assert!(!out.stdout.is_empty());
    let out = demo_monitui("cli-names-times")
        .args(["dashboards", "show", "data-pipe-line", "--plain"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("did you mean ecommerce-ai-platform-data-pipeline"),
        "{stderr}"
    );
}

#[test]
fn a_name_that_matches_nothing_suggests_the_nearest() {
    let out = demo_monitui("cli-names-times")
        .args(["incident", "lamda-errors"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("did you mean ecommerce-ai-platform-lambda-errors"),
        "{stderr}"
    );
    let out = demo_monitui("cli-names-times")
        .args(["alarms", "ack", "lambda-erors"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean"));
}
