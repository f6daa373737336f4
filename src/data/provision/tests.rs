use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;

use super::*;
use crate::model::{Clock, ManualClock};
use crate::provider::sim::SimProvider;
use crate::provider::{Account, ProviderResult, ProvisionWrite};
use crate::provision::spec::BUILTIN;

fn desired(text: &str) -> Desired {
    crate::provision::builtin_for_tests(
        text,
        "ecommerce-ai-platform",
        "prod",
        "ops@example.com,oncall@example.com",
    )
}

fn demo_account() -> Account {
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new("2026-01-16T03:00:00Z".parse().unwrap()));
    Account::of(Arc::new(SimProvider::new(
        23,
        clock,
        "ecommerce-ai-platform",
    )))
}

fn clock() -> ManualClock {
    ManualClock::new("2026-01-16T03:00:00Z".parse().unwrap())
}

/// Fails the `fail_at`-th write (1-based) and passes the others on.
#[derive(Debug)]
struct StopAt {
    inner: Arc<dyn ProvisionWrite>,
    calls: AtomicUsize,
    fail_at: usize,
}

#[async_trait]
impl ProvisionWrite for StopAt {
    async fn put_resource(
        &self,
        desired: &Resource,
        current: Option<&Resource>,
        tags: &BTreeMap<String, String>,
    ) -> ProviderResult<()> {
        if self.calls.fetch_add(1, Ordering::SeqCst) + 1 == self.fail_at {
            return Err(ProviderError::Network {
                operation: "Put".into(),
                message: "connection reset".into(),
            });
        }
        self.inner.put_resource(desired, current, tags).await
    }

    async fn delete_resource(&self, current: &Resource) -> ProviderResult<()> {
        self.inner.delete_resource(current).await
    }
}

#[tokio::test]
async fn apply_creates_the_stack_and_a_second_plan_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::at(dir.path().join("audit.jsonl"));
    let session = Session::new(demo_account(), "prod", false);
    let d = desired(BUILTIN);
    let clock = clock();
    let plan = plan_for(&session.reads, &d, false).await.unwrap();
    assert_eq!(plan.counts(), (d.resources.len(), 0, 0));
    let mut lines = Vec::new();
    let made = Provisioner::new(&session, &audit, &clock)
        .apply(&d, &plan, &mut |p| {
            lines.push((p.index, p.step.name.clone(), p.outcome.clone()))
        })
        .await
        .unwrap();
    assert_eq!(made, d.resources.len());
    assert_eq!(
        lines.len(),
        2 * made,
        "a line when each step starts and ends"
    );
    let again = plan_for(&session.reads, &d, true).await.unwrap();
    assert_eq!(again.steps, vec![]);
    let entries = audit.read().unwrap();
    assert_eq!(entries.len(), made);
    assert!(
        entries
            .iter()
            .all(|e| e.result == AuditResult::Ok && e.what == "provision create")
    );
    assert_eq!(entries[0].alarm, "topic ecommerce-ai-platform-alerts");
}

#[tokio::test]
async fn a_stopped_apply_resumes_without_creating_anything_twice() {
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::at(dir.path().join("audit.jsonl"));
    let mut account = demo_account();
    let inner = account.writes.provision.clone();
    account.writes.provision = Arc::new(StopAt {
        inner: inner.clone(),
        calls: AtomicUsize::new(0),
        fail_at: 9,
    });
    let session = Session::new(account.clone(), "prod", false);
    let d = desired(BUILTIN);
    let clock = clock();
    let plan = plan_for(&session.reads, &d, false).await.unwrap();
    let err = Provisioner::new(&session, &audit, &clock)
        .apply(&d, &plan, &mut |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, ProvisionError::Step { done: 8, .. }), "{err}");
    account.writes.provision = inner;
    let session = Session::new(account, "prod", false);
    let rest = plan_for(&session.reads, &d, false).await.unwrap();
    assert_eq!(
        rest.counts(),
        (d.resources.len() - 8, 0, 0),
        "only what was not made"
    );
    Provisioner::new(&session, &audit, &clock)
        .apply(&d, &rest, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(
        plan_for(&session.reads, &d, false).await.unwrap().steps,
        vec![]
    );
    let failed: Vec<_> = audit
        .read()
        .unwrap()
        .into_iter()
        .filter(|e| e.result == AuditResult::Failed)
        .collect();
    assert_eq!(failed.len(), 1);
}

#[tokio::test]
async fn read_only_mode_refuses_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::at(dir.path().join("audit.jsonl"));
    let session = Session::new(demo_account(), "prod", true);
    let d = desired(BUILTIN);
    let clock = clock();
    let plan = plan_for(&session.reads, &d, false).await.unwrap();
    let err = Provisioner::new(&session, &audit, &clock)
        .apply(&d, &plan, &mut |_| panic!("nothing may start"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, ProvisionError::Refused(ProviderError::ReadOnly { .. })),
        "{err}"
    );
    assert_eq!(
        plan_for(&session.reads, &d, false)
            .await
            .unwrap()
            .counts()
            .0,
        d.resources.len()
    );
    assert_eq!(audit.read().unwrap()[0].result, AuditResult::Refused);
}

#[tokio::test]
async fn a_changed_spec_updates_and_prune_deletes_only_what_the_stack_manages() {
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::at(dir.path().join("audit.jsonl"));
    let session = Session::new(demo_account(), "prod", false);
    let d = desired(BUILTIN);
    let clock = clock();
    let p = plan_for(&session.reads, &d, false).await.unwrap();
    let provisioner = Provisioner::new(&session, &audit, &clock);
    provisioner.apply(&d, &p, &mut |_| {}).await.unwrap();
    let changed = desired(
        &BUILTIN
            .replace("threshold = 10\n", "threshold = 20\n")
            .replace("    \"/aws/batch/job\",\n", "")
            .replace("[[dashboards]]\nname = \"${prefix}-ml-performance\"\nbuiltin = \"ml-performance\"\n", ""),
    );
    let kept = plan_for(&session.reads, &changed, false).await.unwrap();
    assert_eq!(kept.counts(), (0, 2, 0), "{:#?}", kept.steps);
    let pruned = plan_for(&session.reads, &changed, true).await.unwrap();
    let deletes: Vec<String> = pruned
        .steps
        .iter()
        .filter(|s| s.action == Action::Delete)
        .map(|s| format!("{} {}", s.kind, s.name))
        .collect();
    assert_eq!(
        deletes,
        [
            "dashboard ecommerce-ai-platform-ml-performance",
            "log_group /aws/batch/job"
        ]
    );
    provisioner
        .apply(&changed, &pruned, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(
        plan_for(&session.reads, &changed, true)
            .await
            .unwrap()
            .steps,
        vec![]
    );
}
