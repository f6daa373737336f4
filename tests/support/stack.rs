//! The built-in provisioning spec filled in for tests, and a fresh
//! emulator account to apply it to.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use monitui::data::provision::{ProvisionError, Provisioner, plan_for};
use monitui::data::{AuditLog, Session};
use monitui::model::SystemClock;
use monitui::provider::permissions::boundary_name;
use monitui::provision::policies::boundary_policy;
use monitui::provision::spec::{Desired, SpecSource, parse};

/// The stack's prefix in these tests.
pub const PREFIX: &str = "ecommerce-ai-platform";
/// The emulator's account id.
pub const ACCOUNT: &str = "000000000000";
/// The KMS key the tests give.
pub const KMS: &str = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// `text` parsed for `stage` with the tests' key, `emails` and data lake,
/// adopting its shared log group as the seed stack wants it
/// (`--adopt-shared`).
pub fn spec(text: &str, stage: &str, emails: &str) -> Desired {
    let env = BTreeMap::from([
        ("prefix".into(), PREFIX.into()),
        ("region".into(), "us-east-1".into()),
        ("stage".into(), stage.into()),
        ("account".into(), ACCOUNT.into()),
        ("partition".into(), "aws".into()),
    ]);
    let cli = BTreeMap::from([
        ("kms_key".into(), KMS.into()),
        ("alert_emails".into(), emails.into()),
        ("data_lake_bucket".into(), format!("{PREFIX}-data-lake")),
    ]);
    Desired {
        adopt_shared: true,
        ..parse(&SpecSource {
            file: Path::new("stack.toml"),
            text,
            env_vars: &env,
            cli_vars: &cli,
        })
        .unwrap()
    }
}

/// `text` with no target asking for burn-rate alarms. The emulator keeps
/// no `Metrics` of a metric-math alarm, so a plan after an apply always
/// finds the burn-rate window alarms changed there; the tests about the
/// rest of the stack apply the spec without them, and
/// `emulator_burn_alarms.rs` covers them (what is sent: `recorded_burn_alarms.rs`).
pub fn without_burn_alarms(text: &str) -> String {
    let out = text.replace("\nalarms = true\n", "\nalarms = false\n");
    assert_ne!(out, text, "the spec's targets ask for burn-rate alarms");
    out
}

/// The resources an apply of the built-in spec creates in the demo
/// account (the shared log group left alone): the seed's stack (21) and the burn-rate alarms of its targets.
pub fn builtin_creates() -> usize {
    let env = std::collections::BTreeMap::from([("prefix".to_string(), "p".to_string())]);
    let targets = monitui::provision::spec::slos(&monitui::provision::spec::SpecSource {
        file: std::path::Path::new("builtin.toml"),
        text: monitui::provision::spec::BUILTIN,
        env_vars: &env,
        cli_vars: &std::collections::BTreeMap::new(),
    })
    .unwrap();
    let burn: usize = targets
        .iter()
        .map(|s| monitui::provision::burn::burn_alarms(s, "t").len())
        .sum();
    assert!(burn > 0, "the built-in targets ask for burn-rate alarms");
    21 + burn
}

/// An emptied emulator account, held for one test.
pub struct Fresh {
    /// A writable session on it.
    pub session: Arc<Session>,
    /// A private audit log.
    pub audit: AuditLog,
    _dir: tempfile::TempDir,
    _lock: tokio::sync::MutexGuard<'static, ()>,
}

/// Locks and resets the emulator at `endpoint`, and creates the stack's
/// permissions boundary policy as an IAM administrator would (README,
/// "Permissions"): provisioning's CreateRole names it.
pub async fn fresh(endpoint: &str) -> Fresh {
    let lock = super::emulator_lock().await;
    super::reset_emulator(endpoint);
    let iam = aws_sdk_iam::Client::new(&super::sdk_config(endpoint).await);
    iam.create_policy()
        .policy_name(boundary_name(PREFIX))
        .policy_document(boundary_policy("aws", ACCOUNT, PREFIX).to_string())
        .send()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    Fresh {
        session: super::aws_session(endpoint).await,
        audit: AuditLog::at(dir.path().join("audit.jsonl")),
        _dir: dir,
        _lock: lock,
    }
}

/// Plans `d` (with prune) on `session` and applies it.
pub async fn apply(
    session: &Session,
    d: &Desired,
    audit: &AuditLog,
) -> Result<usize, ProvisionError> {
    let plan = plan_for(&session.reads, d, true).await?;
    Provisioner::new(session, audit, &SystemClock)
        .apply(d, &plan, &mut |_| {})
        .await
}
