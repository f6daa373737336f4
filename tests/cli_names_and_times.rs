//! The CLI takes times as the TUI does (issue 24): every `--since` and
//! `--until` accepts a time of day (`08:14`, UTC like every clock on
//! screen) besides RFC 3339 moments, dates and durations.

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
