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

/// An OSC 52 clipboard write (and other escapes) planted in any field of
/// the audit log never reaches the terminal, and a malformed line is
/// reported on stderr with its number while the others are still listed.
#[test]
fn audit_sanitises_what_it_prints_and_skips_a_malformed_line() {
    let cli = Cli::new();
    cli.cmd().args(["alarms", "test", DMS]).assert().success();
    let path = cli.dir.path().join("audit.jsonl");
    let osc52 = "\u{1b}]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u{7}";
    let planted = serde_json::json!({
        "when": "2026-01-16T03:00:00Z",
        "who": format!("mallory{osc52}"),
        "what": format!("ack{osc52}"),
        "alarm": format!("a\u{1b}[2J"),
        "env": "demo",
        "result": "ok",
        "note": format!("n{osc52}"),
        "message": format!("m\u{9b}31m{osc52}"),
    });
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("{\"when\": oops\n");
    text.push_str(&format!("{planted}\n"));
    std::fs::write(&path, text).unwrap();

    let out = cli.cmd().arg("audit").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{9b}'),
        "{stdout:?}"
    );
    assert!(!stdout.contains('\u{7}'), "{stdout:?}");
    assert!(
        stdout.contains("mallory") && stdout.contains(DMS),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 2"), "{stderr}");

    let out = cli
        .cmd()
        .args(["audit", "--output", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
        "{stdout:?}"
    );
    let entries: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(
        entries[1]["who"],
        format!("mallory{osc52}"),
        "JSON keeps the text"
    );
}

/// The audit log is private to whoever runs monitui, in a private
/// directory, and a symlink planted in its place is refused.
#[cfg(unix)]
#[test]
fn the_audit_log_is_private_and_never_written_through_a_symlink() {
    use std::os::unix::fs::PermissionsExt;
    let cli = Cli::new();
    let path = cli.dir.path().join("new-dir/audit.jsonl");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    cli.cmd()
        .env("MONITUI_AUDIT_LOG", &path)
        .args(["alarms", "test", DMS])
        .assert()
        .success();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);

    let victim = cli.dir.path().join("victim");
    std::fs::write(&victim, "precious\n").unwrap();
    let link = cli.dir.path().join("link.jsonl");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    cli.cmd()
        .env("MONITUI_AUDIT_LOG", &link)
        .args(["alarms", "test", DMS])
        .assert()
        .code(1)
        .stderr(contains("symlink"));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
}

/// Every change command takes `--yes`, whether or not it asks.
#[test]
fn every_change_command_takes_yes() {
    let cli = Cli::new();
    for args in [
        vec!["ack", DMS, "--yes"],
        vec!["unack", DMS, "--yes"],
        vec!["unack", DMS, "--any", "--yes"],
        vec!["silence", DMS, "--for", "1h", "--note", "n", "--yes"],
        vec!["unsilence", DMS, "--yes"],
        vec!["test", DMS, "--yes"],
        vec!["reconcile", "--yes"],
    ] {
        let out = cli.cmd().arg("alarms").args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("unexpected argument"),
            "{args:?}: {stderr}"
        );
        assert_ne!(out.status.code(), Some(2), "{args:?}: {stderr}");
    }
    cli.cmd()
        .args([
            "metrics",
            "put",
            "MarketIntelligence.ForecastAccuracy",
            "0.95",
        ])
        .arg("--yes")
        .assert()
        .success();
}
