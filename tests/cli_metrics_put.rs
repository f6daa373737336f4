//! `monitui metrics put` on the demo account: the seed's example is
//! published and audited; a bad value, unit or dimension is refused with
//! exit 2 and a message naming it; read-only mode refuses.

mod support;

use predicates::prelude::*;

fn monitui(dir: &std::path::Path) -> assert_cmd::Command {
    let mut cmd = support::demo_monitui("metrics-put");
    cmd.env("MONITUI_AUDIT_LOG", dir.join("audit.jsonl"));
    cmd
}

#[test]
fn the_seed_example_is_published_and_audited() {
    let dir = tempfile::tempdir().unwrap();
    monitui(dir.path())
        .args([
            "metrics",
            "put",
            "MarketIntelligence.ForecastAccuracy",
            "0.95",
            "--unit",
            "None",
        ])
        .assert()
        .success()
        .stdout("published ecommerce-ai-platform MarketIntelligence.ForecastAccuracy = 0.95\n");
    let audit = std::fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    assert!(audit.contains("\"what\":\"metrics put\""), "{audit}");
    assert!(
        audit.contains("\"alarm\":\"ecommerce-ai-platform/MarketIntelligence.ForecastAccuracy\"")
    );
}

#[test]
fn bad_input_exits_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    for (args, message) in [
        (vec!["X", "ten"], "value 'ten' is not a number"),
        (
            vec!["X", "1", "--unit", "Meters"],
            "unit 'Meters' is not a CloudWatch unit",
        ),
        (
            vec!["X", "1", "--dim", "System"],
            "dimension 'System': not name=value",
        ),
        (
            vec!["X", "1", "--namespace", "AWS/Lambda"],
            "reserved for AWS services",
        ),
    ] {
        monitui(dir.path())
            .args(["metrics", "put"])
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
    }
    assert!(
        !dir.path().join("audit.jsonl").exists(),
        "nothing was attempted"
    );
}

#[test]
fn negative_values_and_read_only() {
    let dir = tempfile::tempdir().unwrap();
    monitui(dir.path())
        .args([
            "metrics",
            "put",
            "Delta",
            "-3.5",
            "--dim",
            "System=a",
            "--namespace",
            "custom",
        ])
        .assert()
        .success()
        .stdout("published custom Delta System=a = -3.5\n");
    monitui(dir.path())
        .args(["metrics", "put", "Delta", "1", "--read-only"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "read-only, PutMetricData was not sent",
        ));
}
