//! `monitui alarms list` on the demo account, through the built binary.

mod support;

use assert_cmd::Command;
use predicates::str::contains;

fn monitui() -> Command {
    support::demo_monitui("cli-alarms")
}

fn list_json(extra: &[&str]) -> Vec<serde_json::Value> {
    support::json_of(
        monitui()
            .args(["alarms", "list", "--output", "json"])
            .args(extra),
    )
}

#[test]
fn json_lists_every_demo_alarm_alarm_first() {
    let alarms = list_json(&[]);
    assert_eq!(alarms.len(), 5);
    let rank = |s: &str| match s {
        "ALARM" => 0,
        "INSUFFICIENT_DATA" => 1,
        "OK" => 2,
        other => panic!("unexpected state {other}"),
    };
    let ranks: Vec<i32> = alarms
        .iter()
        .map(|a| rank(a["state"].as_str().unwrap()))
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    let dms = alarms
        .iter()
        .find(|a| a["name"] == "ecommerce-ai-platform-dms-replication-lag")
        .expect("the seed's DMS alarm");
    assert_eq!(dms["threshold"], 300.0);
    assert_eq!(dms["metric"], "DMS/CDCLatencySource");
    assert!(dms["reason"].as_str().unwrap().len() > 10);
    let time = |key: &str| -> jiff::Timestamp {
        let text = dms[key].as_str().unwrap();
        text.parse().unwrap_or_else(|e| panic!("{key} {text}: {e}"))
    };
    assert!(time("transitioned_at") <= time("updated_at"));
}

#[test]
fn state_filter_keeps_only_that_state() {
    let all = list_json(&[]);
    let ok = list_json(&["--state", "OK"]);
    assert!(ok.iter().all(|a| a["state"] == "OK"));
    let expected = all.iter().filter(|a| a["state"] == "OK").count();
    assert!(
        ok.len().abs_diff(expected) <= 1,
        "states may move by one minute"
    );
}

#[test]
fn global_flags_work_after_the_subcommand() {
    monitui()
        .args(["alarms", "list", "--env", "demo", "--no-color"])
        .assert()
        .success()
        .stdout(contains("STATE"))
        .stdout(contains("dms-replication-lag"));
}

#[test]
fn bad_state_is_exit_2_naming_the_value() {
    monitui()
        .args(["alarms", "list", "--state", "firing"])
        .assert()
        .code(2)
        .stderr(contains("'firing' is not a state"));
}

#[test]
fn bad_refresh_is_exit_2_naming_the_flag() {
    monitui()
        .args(["--refresh", "soon", "alarms", "list"])
        .assert()
        .code(2)
        .stderr(contains("--refresh"))
        .stderr(contains("'soon' is not a duration"));
}

#[test]
fn unreachable_endpoint_is_exit_1_with_the_reason() {
    monitui()
        .args(["--endpoint-url", "http://127.0.0.1:9", "alarms", "list"])
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(1)
        .stderr(contains("DescribeAlarms"));
}

#[test]
fn the_tui_without_a_terminal_points_to_the_subcommands() {
    monitui()
        .assert()
        .code(2)
        .stderr(contains("needs a terminal"))
        .stderr(contains("alarms list --output json"));
}
