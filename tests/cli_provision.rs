//! `monitui provision` on the demo account, as a script runs it: init,
//! plan's exit codes and output, apply's confirmation, progress lines,
//! audit and read-only refusal.

mod support;

use predicates::prelude::*;
use support::stack::builtin_creates;

const VARS: [&str; 6] = [
    "--var",
    "kms_key=arn:aws:kms:us-east-1:123456789012:key/k",
    "--var",
    "alert_emails=ops@example.com",
    "--var",
    "data_lake_bucket=lake",
];

fn monitui(dir: &std::path::Path) -> assert_cmd::Command {
    let mut cmd = support::demo_monitui("provision");
    cmd.current_dir(dir)
        .env("MONITUI_AUDIT_LOG", dir.join("audit.jsonl"));
    cmd
}

/// Runs `args` (with the spec variables) in `dir`, expects exit `code`,
/// and returns stdout.
fn stdout_of(dir: &std::path::Path, args: &[&str], code: i32) -> String {
    let out = monitui(dir)
        .args(args)
        .args(VARS)
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

fn initialised() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    monitui(dir.path())
        .args(["provision", "init"])
        .assert()
        .success()
        .stdout(predicate::str::contains("wrote monitui-stack.toml"));
    dir
}

#[test]
fn init_writes_the_builtin_spec_once() {
    let dir = initialised();
    let text = std::fs::read_to_string(dir.path().join("monitui-stack.toml")).unwrap();
    assert!(
        text.contains("[[dashboards]]")
            && text.contains("retention_days = { dev = 7, staging = 14, prod = 30 }")
    );
    monitui(dir.path())
        .args(["provision", "init"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("exists; pass --force"));
    monitui(dir.path())
        .args(["provision", "init", "--force", "--out", "other.toml"])
        .assert()
        .success();
    assert!(dir.path().join("other.toml").exists());
}

/// `provision init --force` replaces a spec whole through a rename, the
/// new file private, and never writes through a symlink at its path.
#[cfg(unix)]
#[test]
fn init_is_private_atomic_and_refuses_a_symlink() {
    use std::os::unix::fs::PermissionsExt;
    let dir = initialised();
    let spec = dir.path().join("monitui-stack.toml");
    let mode = std::fs::metadata(&spec).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    std::os::unix::fs::symlink(&victim, dir.path().join("link.toml")).unwrap();
    monitui(dir.path())
        .args(["provision", "init", "--force", "--out", "link.toml"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("symlink"));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(names.is_empty(), "no temporary file left: {names:?}");
}

#[test]
fn plan_lists_every_resource_to_create_and_exits_2() {
    let dir = initialised();
    let text = stdout_of(dir.path(), &["provision", "plan"], 2);
    assert_eq!(
        text.lines().filter(|l| l.starts_with("+ ")).count(),
        builtin_creates(),
        "{text}"
    );
    assert!(text.contains("= log_group /aws/batch/job: shared with the account and absent: left to the service that writes to it (apply --adopt-shared creates it, without this stack's tag)\n"), "{text}");
    assert!(text.contains("+ trail ecommerce-ai-platform-audit-trail\n"));
    assert!(
        text.ends_with(&format!(
            "Plan: {} to create, 0 to update, 0 to delete.\n",
            builtin_creates()
        )),
        "{text}"
    );
    let adopting = stdout_of(dir.path(), &["provision", "plan", "--adopt-shared"], 2);
    assert!(
        adopting.contains("+ log_group /aws/batch/job\n"),
        "{adopting}"
    );
    assert!(
        adopting.ends_with(&format!(
            "Plan: {} to create, 0 to update, 0 to delete.\n",
            builtin_creates() + 1
        )),
        "{adopting}"
    );
}

#[test]
fn the_plans_first_line_names_env_account_region_and_prefix() {
    let dir = initialised();
    let text = stdout_of(dir.path(), &["provision", "plan"], 2);
    assert_eq!(
        text.lines().next(),
        Some(
            "Plan for env demo: account 123456789012, region us-east-1, prefix ecommerce-ai-platform"
        ),
        "{text}"
    );
    monitui(dir.path())
        .args(["provision", "apply", "--yes", "--read-only"])
        .args(VARS)
        .assert()
        .stdout(predicate::str::starts_with(
            "Plan for env demo: account 123456789012, region us-east-1, prefix ecommerce-ai-platform\n",
        ));
}

#[test]
fn a_spec_or_var_setting_the_envs_prefix_is_refused_naming_the_line() {
    let dir = initialised();
    let spec = dir.path().join("monitui-stack.toml");
    let text = std::fs::read_to_string(&spec).unwrap().replacen(
        "[vars]\n",
        "[vars]\nprefix = \"teamb\"\n",
        1,
    );
    let line = text
        .lines()
        .position(|l| l == "prefix = \"teamb\"")
        .unwrap()
        + 1;
    std::fs::write(&spec, &text).unwrap();
    let expected = format!(
        "monitui-stack.toml:{line}: vars.prefix: 'prefix' comes from the env (pick it with --env), never from the spec: remove this line"
    );
    monitui(dir.path())
        .args(["provision", "apply", "--yes"])
        .args(VARS)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(expected.as_str()));
    monitui(dir.path())
        .args(["provision", "plan"])
        .args(VARS)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(expected.as_str()));
    let dir = initialised();
    for var in ["prefix=teamb", "region=eu-west-1", "stage=dev"] {
        monitui(dir.path())
            .args(["provision", "apply", "--yes", "--var", var])
            .args(VARS)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("comes from the env"));
    }
    assert!(
        !dir.path().join("audit.jsonl").exists(),
        "nothing was attempted"
    );
}

#[test]
fn plan_json_is_for_scripts() {
    let dir = initialised();
    let out = stdout_of(dir.path(), &["provision", "plan", "--output", "json"], 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["target"],
        serde_json::json!({"env": "demo", "account": "123456789012", "region": "us-east-1", "prefix": "ecommerce-ai-platform"})
    );
    assert_eq!(v["changes"], true);
    assert_eq!(v["create"], builtin_creates());
    assert_eq!(v["steps"][0]["kind"], "topic");
    assert_eq!(v["steps"][0]["action"], "create");
}

#[test]
fn plan_errors_exit_1_and_name_what_is_missing() {
    let dir = initialised();
    monitui(dir.path())
        .args(["provision", "plan", "--var", "kms_key=k"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "monitui-stack.toml:22: topic.emails: missing variable 'alert_emails'",
        ));
    monitui(dir.path())
        .args(["provision", "plan", "--spec", "nope.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot read spec nope.toml"));
    monitui(dir.path())
        .args(["provision", "apply", "--yes", "--var", "novalue"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--var 'novalue' is not NAME=VALUE",
        ));
}

#[test]
fn apply_asks_unless_yes_then_prints_a_line_per_resource_and_audits() {
    let dir = initialised();
    monitui(dir.path())
        .args(["provision", "apply"])
        .args(VARS)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "stdin is not a terminal, so pass --yes",
        ));
    let text = stdout_of(dir.path(), &["provision", "apply", "--yes"], 0);
    assert!(
        text.contains(&format!(
            "[1/{}] created topic ecommerce-ai-platform-alerts\n",
            builtin_creates()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "[{0}/{0}] created dashboard ecommerce-ai-platform-ml-performance\n",
            builtin_creates()
        )),
        "{text}"
    );
    assert!(text.ends_with(&format!(
        "Apply complete: {} change(s).\n",
        builtin_creates()
    )));
    let audit = std::fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    assert_eq!(
        audit
            .lines()
            .filter(|l| l.contains("\"provision create\""))
            .count(),
        builtin_creates()
    );
}

#[test]
fn read_only_apply_is_refused_and_recorded() {
    let dir = initialised();
    monitui(dir.path())
        .args(["provision", "apply", "--yes", "--read-only"])
        .args(VARS)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("read-only"));
    let audit = std::fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    assert!(audit.contains("\"result\":\"refused\""), "{audit}");
}

#[test]
fn doctor_on_an_unprovisioned_demo_account_fails_with_fixes() {
    let dir = initialised();
    let out = monitui(dir.path())
        .arg("doctor")
        .args(VARS)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("check(s) failed"))
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("FAIL  log group       /aws/batch/job: missing\n      fix: run `monitui provision apply --adopt-shared` (it is shared with the account: check first that no one else sets it)\n"), "{text}");
    assert!(
        text.contains("ok    alarm           ecommerce-ai-platform-lambda-errors: "),
        "{text}"
    );
    let json = stdout_of(dir.path(), &["doctor", "--output", "json"], 1);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["checks"][0]["check"], "subscription");
}

#[test]
fn cost_itemises_the_demo_account_at_the_configs_prices() {
    let dir = tempfile::tempdir().unwrap();
    let v: serde_json::Value =
        support::json_of(monitui(dir.path()).args(["cost", "--output", "json"]));
    assert_eq!(v["lines"][0]["item"], "dashboards");
    assert_eq!(v["lines"][0]["monthly_usd"], 9.0);
    // Four static alarms and the anomaly-detection one, billed as three.
    assert_eq!(v["lines"][1]["quantity"], "7");
    let alarms = v["lines"][1]["monthly_usd"].as_f64().unwrap();
    assert!((alarms - 0.7).abs() < 1e-9, "{alarms}");
    assert_eq!(v["lines"][2]["item"], "composite alarms");
    assert_eq!(v["lines"][2]["quantity"], "1", "platform-degraded");
    assert_eq!(v["lines"][2]["monthly_usd"], 0.5);
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[prices]\ndashboard_month = 1.5\n").unwrap();
    monitui(dir.path())
        .args(["cost", "--config"])
        .arg(&config)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("dashboards            3 ")
                .and(predicate::str::contains("4.50")),
        );
    std::fs::write(&config, "[prices]\ndashboards = 1.5\n").unwrap();
    monitui(dir.path())
        .args(["cost", "--config"])
        .arg(&config)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("dashboards"));
}
