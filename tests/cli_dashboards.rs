//! `monitui dashboards show --body FILE` on the demo account, through the
//! built binary: a body renders once (exit 0, even with a broken widget
//! shown in place); a file that is not a dashboard body exits 2 naming why.

mod support;

use assert_cmd::Command;
use predicates::str::contains;

fn monitui() -> Command {
    support::demo_monitui("cli-dashboards")
}

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/dashboards/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn show(args: &[&str]) -> (String, String) {
    let out = monitui()
        .args([
            "dashboards",
            "show",
            "--body",
            &fixture("api-performance.json"),
        ])
        .args(args)
        .assert()
        .success()
        .get_output()
        .clone();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const TITLES: [&str; 8] = [
    "text",
    "API requests and errors",
    "Latency (ms)",
    "Lambda errors (auth)",
    "Throttles",
    "API alarms",
    "Recent Lambda errors",
    "Broken on purpose",
];

#[test]
fn plain_output_has_every_widget_and_no_escape_sequence() {
    let (out, err) = show(&["--plain", "--width", "120", "--height", "35"]);
    for title in TITLES {
        assert!(
            out.contains(&format!("┌ {title} ")),
            "{title} missing:\n{out}"
        );
    }
    assert!(
        !out.contains('\u{1b}'),
        "an escape sequence in --plain output"
    );
    assert!(out.lines().all(|l| l.chars().count() <= 120));
    // Data from the demo account: the seed's alarms are listed with their
    // state (which one depends on the time of day), and the charts have lines.
    let alarm_line = out
        .lines()
        .find(|l| l.contains("ecommerce-ai-platform-api-5xx-errors"))
        .expect("the alarm widget lists the seed's API alarm");
    assert!(
        ["▲ ALARM", "● OK", "? INSUFFICIENT_DATA"]
            .iter()
            .any(|s| alarm_line.contains(s)),
        "{alarm_line}"
    );
    assert!(
        out.chars().any(|c| ('\u{2801}'..='\u{28ff}').contains(&c)),
        "no chart line drawn from the demo account's data"
    );
    // The broken widget shows its error in place and on stderr.
    assert!(out.contains("⚠ metrics row 1: \".\" needs a previous metric row"));
    assert!(
        err.contains("widget 7 \"Broken on purpose\" at x=0, y=15"),
        "{err}"
    );
}

#[test]
fn narrow_width_stacks_widgets() {
    let (out, _) = show(&["--plain", "--width", "80", "--height", "24"]);
    let tops: Vec<usize> = out
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with('┌'))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(tops.len(), TITLES.len(), "one widget per band:\n{out}");
    assert!(out.lines().all(|l| l.chars().count() <= 80));
}

#[test]
fn colour_output_uses_sgr_sequences() {
    let (out, _) = show(&["--width", "120"]);
    assert!(out.contains("\u{1b}["));
    assert!(out.contains("API alarms"));
}

#[test]
fn a_file_that_is_not_a_body_exits_2_naming_why() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"widgets\": [ {\"type\": \"text\" ").unwrap();
    monitui()
        .args(["dashboards", "show", "--plain", "--body"])
        .arg(&broken)
        .assert()
        .code(2)
        .stderr(contains("is not a dashboard body: not valid JSON"))
        .stderr(contains("line 1"));
    std::fs::write(&broken, "{\"widget\": []}").unwrap();
    monitui()
        .args(["dashboards", "show", "--body"])
        .arg(&broken)
        .assert()
        .code(2)
        .stderr(contains("no \"widgets\" key"));
    monitui()
        .args(["dashboards", "show", "--body"])
        .arg(dir.path().join("missing.json"))
        .assert()
        .code(2)
        .stderr(contains("cannot read"));
}

#[test]
fn range_flag_is_checked() {
    monitui()
        .args(["dashboards", "show", "--range", "soon", "--body"])
        .arg(fixture("api-performance.json"))
        .assert()
        .code(2)
        .stderr(contains("not a duration"));
}

#[test]
fn the_demo_account_lists_and_shows_the_seed_dashboards() {
    let listed: Vec<serde_json::Value> =
        support::json_of(monitui().args(["dashboards", "list", "--output", "json"]));
    let names: Vec<&str> = listed.iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "ecommerce-ai-platform-api-performance",
            "ecommerce-ai-platform-data-pipeline",
            "ecommerce-ai-platform-ml-performance"
        ]
    );
    let shown = monitui()
        .args([
            "dashboards",
            "show",
            "ecommerce-ai-platform-data-pipeline",
            "--plain",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(shown).unwrap();
    for title in [
        "DMS CDC latency (s)",
        "DMS throughput (rows/s)",
        "Batch jobs",
        "Glue crawler tasks",
        "Pipeline alarms",
        "ecommerce-ai-platform-dms-replication-lag",
    ] {
        assert!(text.contains(title), "{title} missing:\n{text}");
    }
    only_sparse_rows_lack_data(&text);
    assert!(!text.contains('\x1b'), "--plain has no escape sequences");
}

/// Every metric of a demo dashboard has data but Batch's FailedJobs, which
/// the demo (like Batch) reports only in the minutes a job failed, about
/// ten a day: whether the range holds one depends on the clock, and the
/// "failed" bar then rightly says "no data".
fn only_sparse_rows_lack_data(text: &str) {
    for line in text.lines().filter(|l| l.contains("no data")) {
        assert!(
            line.contains("│failed "),
            "every demo metric but FailedJobs has data; {line:?} has none:\n{text}"
        );
    }
}

#[test]
fn the_seed_dashboards_expressions_and_searches_show_data() {
    for (name, titles) in [
        (
            "ecommerce-ai-platform-api-performance",
            &[
                "API error rate (%)",
                "Lambda errors by function",
                "Lambda error rate (%)",
            ][..],
        ),
        (
            "ecommerce-ai-platform-ml-performance",
            &["Retail Copilot", "Model quality (every accuracy metric)"][..],
        ),
        (
            "ecommerce-ai-platform-data-pipeline",
            &["Batch failure rate (%)"][..],
        ),
    ] {
        let out = monitui()
            .args(["dashboards", "show", name, "--plain", "--width", "120"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        for title in titles {
            assert!(text.contains(&format!("┌ {title} ")), "{title}:\n{text}");
        }
        only_sparse_rows_lack_data(&text);
        assert!(!text.contains("not evaluated"), "{name}:\n{text}");
    }
    let out = monitui()
        .args([
            "dashboards",
            "show",
            "ecommerce-ai-platform-api-performance",
            "--plain",
        ])
        .assert()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("Errors ecommerce-ai-platform-"),
        "SEARCH found the functions:\n{text}"
    );
    assert!(
        text.contains("@message") && text.contains("[ERROR]"),
        "the log widget ran its Logs Insights query:\n{text}"
    );
}

#[test]
fn an_unknown_dashboard_is_bad_input_naming_it() {
    monitui()
        .args(["dashboards", "show", "ecommerce-ai-platform-nope"])
        .assert()
        .code(2)
        .stderr(contains("no dashboard named 'ecommerce-ai-platform-nope'"));
}
