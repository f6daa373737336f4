//! `provision apply` asks on a terminal: in an env with
//! `confirm_mutations` the env name must be typed; anything else changes
//! nothing.

mod support;

use std::io::Write;
use std::time::Duration;

use support::pty::{Pty, read_until};
use support::stack::builtin_creates;

const WAIT: Duration = Duration::from_secs(20);

/// A temporary folder with a config whose `prod` env is the demo account
/// with confirmations, and the built-in spec.
fn setup() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[envs.prod]\nkind = \"demo\"\nconfirm_mutations = true\n",
    )
    .unwrap();
    let spec = dir.path().join("stack.toml");
    std::fs::write(&spec, monitui::provision::spec::BUILTIN).unwrap();
    (
        dir,
        config.display().to_string(),
        spec.display().to_string(),
    )
}

/// Runs apply on a pty, answers the prompt with `answer`, waits for
/// `expect`; returns the exit code and the audit log's lines.
fn apply_typing(answer: &str, expect: &str) -> (Option<i32>, usize) {
    let (dir, config, spec) = setup();
    let pty = Pty::open(100, 30);
    let audit = dir.path().join("audit.jsonl");
    let (mut child, rx) = pty.spawn_demo(
        &[
            "--config",
            &config,
            "--env",
            "prod",
            "provision",
            "apply",
            "--spec",
            &spec,
            "--var",
            "kms_key=k",
            "--var",
            "alert_emails=ops@example.com",
            "--var",
            "data_lake_bucket=lake",
        ],
        &[("MONITUI_AUDIT_LOG", audit.to_str().unwrap())],
    );
    let mut seen = Vec::new();
    read_until(&rx, &mut seen, b"Type the env name to confirm: ", WAIT);
    let mut keys = pty.master.try_clone().unwrap();
    keys.write_all(answer.as_bytes()).unwrap();
    read_until(&rx, &mut seen, expect.as_bytes(), WAIT);
    let status = child.wait().unwrap();
    let audited = std::fs::read_to_string(&audit)
        .unwrap_or_default()
        .lines()
        .count();
    (status.code(), audited)
}

#[test]
fn typing_the_env_name_applies() {
    assert_eq!(
        apply_typing(
            "prod\r",
            &format!("Apply complete: {} change(s).", builtin_creates())
        ),
        (Some(0), builtin_creates())
    );
}

#[test]
fn anything_else_changes_nothing() {
    assert_eq!(
        apply_typing("yes\r", "not confirmed: nothing changed"),
        (Some(1), 0)
    );
}
