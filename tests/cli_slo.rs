//! `monitui slo` on the demo account: every built-in target with the
//! fields scripts read, text for people, targets from a spec file, and a
//! bad target named by file and line.

mod support;

use support::{demo_monitui, succeeds};

#[test]
fn json_lists_the_five_targets_with_the_fields_scripts_read() {
    let out = succeeds(demo_monitui("cli-slo").args(["slo", "--output", "json"]));
    let targets: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let targets = targets.as_array().unwrap();
    assert_eq!(targets.len(), 5);
    for t in targets {
        for field in [
            "name",
            "objective",
            "current",
            "budget_remaining",
            "burn_rates",
        ] {
            assert!(t.get(field).is_some(), "{field} missing in {t}");
        }
        assert!(t["error"].is_null(), "{t}");
        let current = t["current"].as_f64().unwrap();
        assert!((0.0..=100.0).contains(&current), "{t}");
        let windows: Vec<&str> = t["burn_rates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["window"].as_str().unwrap())
            .collect();
        assert_eq!(windows, ["1h", "6h", "3d"]);
    }
    assert_eq!(targets[0]["name"], "ecommerce-ai-platform-dms-lag");
    assert_eq!(targets[4]["objective"], 95.0);
}

#[test]
fn text_is_a_table_for_people() {
    let out = succeeds(demo_monitui("cli-slo").args(["slo", "--output", "text"]));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("TARGET"), "{text}");
    assert!(
        header.contains("BUDGET LEFT") && header.contains("BURN 3d"),
        "{text}"
    );
    assert_eq!(lines.count(), 5, "{text}");
    assert!(
        text.contains("ecommerce-ai-platform-lambda-duration"),
        "{text}"
    );
}

const SPEC: &str = r#"
[topic]
name = "${prefix}-alerts"

[log_groups]
retention_days = { dev = 7 }
names = []

[[slos]]
name = "${prefix}-checkout"
bad = "m5xx"
total = "mcount"
objective = 99.5
window = "7d"
metrics.m5xx = { namespace = "AWS/ApiGateway", metric = "5XXError", dimensions = { ApiName = "${prefix}-api" }, statistic = "Sum" }
metrics.mcount = { namespace = "AWS/ApiGateway", metric = "Count", dimensions = { ApiName = "${prefix}-api" }, statistic = "Sum" }
"#;

#[test]
fn targets_can_come_from_a_spec_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stack.toml");
    std::fs::write(&file, SPEC).unwrap();
    let out = succeeds(
        demo_monitui("cli-slo")
            .args(["slo", "--output", "json", "--spec"])
            .arg(&file),
    );
    let targets: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(targets.as_array().unwrap().len(), 1);
    assert_eq!(targets[0]["name"], "ecommerce-ai-platform-checkout");
    assert_eq!(targets[0]["window_secs"], 7 * 86_400);

    std::fs::write(&file, SPEC.replace("\"7d\"", "\"70d\"")).unwrap();
    let out = demo_monitui("cli-slo")
        .args(["slo", "--spec"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("stack.toml:14: slos[0].window"), "{err}");
}
