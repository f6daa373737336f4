//! `monitui alarms explain | backtest | show` on the demo account, through
//! the built binary.

mod support;

use predicates::str::contains;

fn monitui() -> assert_cmd::Command {
    support::demo_monitui("cli-alarm-explain")
}

#[test]
fn explain_json_agrees_with_the_demo_account() {
    let e: serde_json::Value = support::json_of(monitui().args([
        "alarms",
        "explain",
        "dms-replication-lag",
        "--output",
        "json",
    ]));
    assert_eq!(e["agrees_with_service"], true, "{e}");
    assert_eq!(e["evaluated_state"], e["service_state"]);
    assert_eq!(e["datapoints"].as_array().unwrap().len(), 3, "N = 3");
    assert_eq!(e["window_source"], "service_reason_data");
    assert_eq!(e["rule"]["datapoints_to_alarm"], 2);
}

#[test]
fn explain_text_names_the_rule_and_the_verdict() {
    monitui()
        .args(["alarms", "explain", "lambda-errors"])
        .assert()
        .success()
        .stdout(contains("Rule        Sum > 10 for 1 of 1 periods of 300 s"))
        .stdout(contains("Agrees      yes"))
        .stdout(contains("notBreaching: a missing period counts as good"));
}

#[test]
fn backtest_json_has_episodes_beside_reality_in_one_call() {
    let b: serde_json::Value = support::json_of(monitui().args([
        "alarms",
        "backtest",
        "dms-replication-lag",
        "--since",
        "3h",
        "--output",
        "json",
    ]));
    assert!(b["episodes"].is_array(), "{b}");
    assert!(b["actual"]["episodes"].is_array());
    assert_eq!(b["get_metric_data_calls"], 1);
    assert_eq!(b["rule"]["evaluation_periods"], 3);
    let higher: serde_json::Value = support::json_of(monitui().args([
        "alarms",
        "backtest",
        "dms-replication-lag",
        "--since",
        "3h",
        "--threshold",
        "1000000",
        "--output",
        "json",
    ]));
    assert_eq!(higher["count"], 0, "nothing reaches a million");
}

#[test]
fn backtest_refuses_m_over_n() {
    monitui()
        .args([
            "alarms",
            "backtest",
            "lambda-errors",
            "--datapoints-to-alarm",
            "3",
        ])
        .assert()
        .failure()
        .stderr(contains(
            "datapoints to alarm (3) is more than evaluation periods (1)",
        ));
}

#[test]
fn show_draws_the_composite_rule_with_each_childs_state() {
    monitui()
        .args(["alarms", "show", "platform-degraded"])
        .assert()
        .success()
        .stdout(contains("Rule tree"))
        .stdout(contains("ALARM(\"ecommerce-ai-platform-lambda-errors\")"))
        .stdout(contains("(ecommerce-ai-platform-api-5xx-errors is "));
    let shown: serde_json::Value = support::json_of(monitui().args([
        "alarms",
        "show",
        "platform-degraded",
        "--output",
        "json",
    ]));
    let tree = shown["rule_tree"].as_array().unwrap();
    assert_eq!(tree[0]["node"], "OR");
    assert_eq!(tree.len(), 3);
    assert!(tree[1]["child_state"].is_string());
}

#[test]
fn a_misspelt_name_is_exit_2_naming_the_nearest() {
    monitui()
        .args(["alarms", "explain", "dms-replication-lagg"])
        .assert()
        .code(2)
        .stderr(contains("dms-replication-lag"));
}
