//! `monitui metrics list` and `metrics get` on the demo account: the
//! catalog listed with the filters applied as ListMetrics applies them,
//! datapoints with values and RFC 3339 times, and bad input refused with
//! exit 2 before anything is read.

mod support;

use predicates::prelude::*;

fn monitui() -> assert_cmd::Command {
    support::demo_monitui("metrics-explore")
}

#[test]
fn list_filters_by_namespace_name_and_dimension() {
    let mut cmd = monitui();
    cmd.args([
        "metrics",
        "list",
        "--namespace",
        "AWS/DMS",
        "--output",
        "json",
    ]);
    let dms: Vec<serde_json::Value> = support::json_of(&mut cmd);
    assert_eq!(dms.len(), 4, "{dms:?}");
    assert!(
        dms.iter()
            .all(|m| m["dimensions"].as_array().unwrap().len() == 2)
    );

    let mut cmd = monitui();
    cmd.args([
        "metrics",
        "list",
        "--name",
        "Errors",
        "--dim",
        "FunctionName",
        "--output",
        "json",
    ]);
    let errors: Vec<serde_json::Value> = support::json_of(&mut cmd);
    assert_eq!(
        errors.len(),
        7,
        "one per function, not the account-wide one"
    );

    monitui()
        .args([
            "metrics",
            "list",
            "--dim",
            "FunctionName=ecommerce-ai-platform-auth-service",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("NAMESPACE   NAME"))
        .stdout(predicate::str::contains(
            "AWS/Lambda  Duration     FunctionName=ecommerce-ai-platform-auth-service",
        ))
        .stdout(predicate::function(|s: &str| s.lines().count() == 5));
}

#[test]
fn get_prints_values_with_rfc3339_times() {
    let mut cmd = monitui();
    cmd.args([
        "metrics",
        "get",
        "AWS/Lambda",
        "Invocations",
        "--dim",
        "FunctionName=ecommerce-ai-platform-auth-service",
        "--stat",
        "Sum",
        "--period",
        "5m",
        "--since",
        "1h",
        "--output",
        "json",
    ]);
    let got: serde_json::Value = support::json_of(&mut cmd);
    let points = got["datapoints"].as_array().unwrap();
    assert!((11..=12).contains(&points.len()), "{got}");
    for p in points {
        assert!(p["value"].as_f64().unwrap() > 0.0);
        let t = p["timestamp"].as_str().unwrap();
        assert!(
            t.parse::<jiff::Timestamp>().is_ok() && t.ends_with('Z'),
            "{t}"
        );
    }
    assert_eq!(
        (got["stat"].as_str(), got["period"].as_u64()),
        (Some("Sum"), Some(300))
    );

    monitui()
        .args(["metrics", "get", "AWS/DMS", "CDCLatencySource"])
        .args([
            "--dim",
            "ReplicationInstanceIdentifier=ecommerce-ai-platform-dms",
        ])
        .args([
            "--dim",
            "ReplicationTaskIdentifier=ecommerce-ai-platform-cdc-task",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Average per 5m"))
        .stdout(predicate::str::is_match(r"(?m)^TIMESTAMP \(UTC\) +VALUE$").unwrap());
}

#[test]
fn bad_input_exits_2_naming_it() {
    for (args, message) in [
        (
            vec!["get", "AWS/Lambda", "Errors", "--period", "90s"],
            "period '90s'",
        ),
        (
            vec!["get", "AWS/Lambda", "Errors", "--stat", "average"],
            "statistic 'average'",
        ),
        (
            vec!["get", "AWS/Lambda", "Errors", "--dim", "FunctionName"],
            "dimension 'FunctionName' is not NAME=VALUE",
        ),
        (vec!["list", "--dim", "=x"], "dimension '=x'"),
    ] {
        monitui()
            .arg("metrics")
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
    }
}
