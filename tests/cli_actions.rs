//! `monitui alarms ack/silence/test/...` and `monitui audit` on the demo
//! account through the built binary. Each run is a fresh demo account, so
//! these check what one command does, its message, exit code and audit line.

mod support;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

const DMS: &str = "ecommerce-ai-platform-dms-replication-lag";

struct Cli {
    dir: tempfile::TempDir,
}

impl Cli {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("monitui").unwrap();
        cmd.env_remove("MONITUI_CONFIG")
            .env_remove("MONITUI_ENV")
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path())
            .env("MONITUI_AUDIT_LOG", self.dir.path().join("audit.jsonl"));
        cmd
    }

    fn audit(&self) -> Vec<serde_json::Value> {
        support::json_of(self.cmd().args(["audit", "--output", "json"]))
    }

    /// Writes a config with a `prod` demo env that confirms mutations.
    fn with_confirming_env(&self) -> std::path::PathBuf {
        let path = self.dir.path().join("config.toml");
        std::fs::write(
            &path,
            "[envs.prod]\nkind = \"demo\"\nconfirm_mutations = true\n",
        )
        .unwrap();
        path
    }
}

#[test]
fn silence_falls_back_to_disabled_actions_and_is_audited() {
    let cli = Cli::new();
    cli.cmd()
        .args([
            "alarms", "silence", DMS, "--for", "1h", "--note", "failover",
        ])
        .assert()
        .success()
        .stdout(contains("silenced").and(contains("alarm actions disabled")));
    let log = cli.audit();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["what"], "silence");
    assert_eq!(log[0]["alarm"], DMS);
    assert_eq!(log[0]["who"], "demo-oncall");
    assert_eq!(log[0]["env"], "demo");
    assert_eq!(log[0]["result"], "ok");
    assert_eq!(log[0]["note"], "failover");
}

#[test]
fn silence_needs_a_note_and_a_duration() {
    let cli = Cli::new();
    cli.cmd()
        .args(["alarms", "silence", DMS, "--for", "1h"])
        .assert()
        .code(2)
        .stderr(contains("--note"));
    cli.cmd()
        .args(["alarms", "silence", DMS, "--for", "soon", "--note", "x"])
        .assert()
        .code(2);
    cli.cmd()
        .args(["alarms", "silence", DMS, "--for", "1h", "--note", " "])
        .assert()
        .code(2)
        .stderr(contains("needs a note"));
}

#[test]
fn test_sets_alarm_naming_who() {
    let cli = Cli::new();
    cli.cmd()
        .args(["alarms", "test", DMS])
        .assert()
        .success()
        .stdout(contains("Test by demo-oncall via monitui"));
    cli.cmd()
        .args(["alarms", "test", "ghost"])
        .assert()
        .code(2)
        .stderr(contains("no alarm named 'ghost'"));
}

#[test]
fn ack_succeeds_in_alarm_and_changes_nothing_otherwise() {
    let cli = Cli::new();
    let alarms: Vec<serde_json::Value> =
        support::json_of(cli.cmd().args(["alarms", "list", "--output", "json"]));
    for key in [
        "acked_by",
        "acked_at",
        "ack_note",
        "silenced_until",
        "silenced_by",
    ] {
        assert!(alarms.iter().all(|a| a[key].is_null()), "{key} is null");
    }
    let assert = cli
        .cmd()
        .args(["alarms", "ack", DMS, "--note", "on it"])
        .assert();
    let output = assert.get_output();
    let log = cli.audit();
    assert_eq!(log.len(), 1);
    if output.status.success() {
        assert!(String::from_utf8_lossy(&output.stdout).contains("acknowledged"));
        assert_eq!(log[0]["result"], "ok");
    } else {
        assert_eq!(output.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&output.stderr).contains("not in ALARM: nothing changed"));
        assert_eq!(log[0]["result"], "failed");
    }
}

#[test]
fn read_only_refuses_every_change() {
    let cli = Cli::new();
    let changes: [&[&str]; 3] = [
        &["alarms", "ack", "ecommerce-ai-platform-platform-degraded"],
        &["alarms", "silence", DMS, "--for", "1h", "--note", "x"],
        &["alarms", "test", DMS],
    ];
    for args in changes {
        let out = cli.cmd().arg("--read-only").args(args).assert().code(1);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            stderr.contains("refused: environment 'demo' is read-only")
                || stderr.contains("not in ALARM: nothing changed"),
            "{args:?}: {stderr}"
        );
    }
    for args in [&["alarms", "unack", DMS], &["alarms", "unsilence", DMS]] {
        cli.cmd()
            .arg("--read-only")
            .args(args)
            .assert()
            .code(1)
            .stderr(contains("refused: environment 'demo' is read-only"));
    }
    cli.cmd()
        .args(["--read-only", "alarms", "reconcile"])
        .assert()
        .success()
        .stdout(contains("no expired silences"));
    let log = cli.audit();
    assert_eq!(log.len(), 5);
    assert!(log.iter().all(|e| e["result"] != "ok"), "{log:?}");
    assert!(
        log.iter()
            .filter(|e| e["what"] != "ack")
            .all(|e| e["result"] == "refused")
    );
}

#[test]
fn confirming_envs_need_yes_without_a_terminal() {
    let cli = Cli::new();
    let config = cli.with_confirming_env();
    cli.cmd()
        .arg("--config")
        .arg(&config)
        .args(["--env", "prod", "alarms", "test", DMS])
        .assert()
        .code(2)
        .stderr(contains("pass --yes"));
    assert!(cli.audit().is_empty(), "nothing was attempted");
    cli.cmd()
        .arg("--config")
        .arg(&config)
        .args(["--env", "prod", "alarms", "test", DMS, "--yes"])
        .assert()
        .success();
    cli.cmd()
        .arg("--config")
        .arg(&config)
        .args(["--env", "prod", "alarms", "ack", DMS])
        .assert()
        .stderr(contains("pass --yes").not());
}

#[test]
fn audit_table_lists_entries() {
    let cli = Cli::new();
    cli.cmd().args(["alarms", "test", DMS]).assert().success();
    cli.cmd().arg("audit").assert().success().stdout(
        contains("RESULT")
            .and(contains("demo-oncall"))
            .and(contains(DMS)),
    );
}
