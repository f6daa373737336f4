use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;

use super::*;
use crate::data::audit::AuditEntry;
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

/// What the faulty write does.
#[derive(Debug, Clone, Copy)]
enum Fault {
    /// Makes the change, then its answer is lost.
    LostAnswer,
    /// Times out before the change reaches the service.
    TimedOut,
    /// Makes a log group with another retention, then its answer is lost
    /// (a create that half happened).
    HalfMade,
    /// Throttled: nothing happened.
    Throttled,
    /// Refused for good.
    Denied,
}

fn network() -> ProviderError {
    ProviderError::Network {
        operation: "Put".into(),
        message: "timed out".into(),
    }
}

fn denied() -> ProviderError {
    ProviderError::Service {
        operation: "Put".into(),
        code: "AccessDenied".into(),
        message: "not allowed".into(),
        retryable: false,
    }
}

/// Passes writes on, except the `fault_at`-th (1-based), which meets
/// `fault`; records the name of the resource of every write.
#[derive(Debug)]
struct Faulty {
    inner: Arc<dyn ProvisionWrite>,
    calls: Mutex<Vec<String>>,
    fault_at: usize,
    fault: Fault,
}

impl Faulty {
    /// `account` with its provisioning writes made faulty; the faulty
    /// writer is returned to count its calls.
    fn install(account: &mut Account, fault_at: usize, fault: Fault) -> Arc<Faulty> {
        let faulty = Arc::new(Faulty {
            inner: account.writes.provision.clone(),
            calls: Mutex::new(Vec::new()),
            fault_at,
            fault,
        });
        account.writes.provision = faulty.clone();
        faulty
    }

    /// How many writes named `name`.
    fn writes_of(&self, name: &str) -> usize {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|n| *n == name)
            .count()
    }

    /// The name of the faulty write's resource.
    fn faulted(&self) -> String {
        self.calls.lock().unwrap()[self.fault_at - 1].clone()
    }

    /// Records a write of `name`; whether it is the faulty one.
    fn is_faulty(&self, name: String) -> bool {
        let mut calls = self.calls.lock().unwrap();
        calls.push(name);
        calls.len() == self.fault_at
    }
}

#[async_trait]
impl ProvisionWrite for Faulty {
    async fn put_resource(
        &self,
        desired: &Resource,
        current: Option<&Resource>,
        tags: &BTreeMap<String, String>,
    ) -> ProviderResult<()> {
        if !self.is_faulty(desired.name()) {
            return self.inner.put_resource(desired, current, tags).await;
        }
        match (self.fault, desired) {
            (Fault::LostAnswer, _) => {
                self.inner.put_resource(desired, current, tags).await?;
                Err(network())
            }
            (Fault::HalfMade, Resource::LogGroup(g)) => {
                let half = Resource::LogGroup(crate::model::stack::LogGroup {
                    retention_days: Some(1),
                    ..g.clone()
                });
                self.inner.put_resource(&half, current, tags).await?;
                Err(network())
            }
            (Fault::HalfMade, _) => panic!("a half-made create needs a log group"),
            (Fault::TimedOut, _) => Err(network()),
            (Fault::Throttled, _) => Err(ProviderError::Throttled {
                operation: "Put".into(),
                message: "Rate exceeded".into(),
            }),
            (Fault::Denied, _) => Err(denied()),
        }
    }

    async fn delete_resource(&self, current: &Resource) -> ProviderResult<()> {
        self.inner.delete_resource(current).await
    }
}

/// What one apply of the builtin stack did through a [`Faulty`] writer.
struct Run {
    result: Result<usize, ProvisionError>,
    faulty: Arc<Faulty>,
    /// Each step's name and how it ended.
    ends: Vec<(String, Result<(), String>)>,
    audit: Vec<AuditEntry>,
    session: Session,
}

impl Run {
    /// Asserts that the apply made the whole stack, every step reported
    /// done; returns the name of the faulty write's resource.
    fn assert_all_done(&self) -> String {
        let total = desired(BUILTIN).resources.len();
        assert_eq!(*self.result.as_ref().unwrap(), total);
        assert_eq!(self.ends.len(), total);
        assert!(
            self.ends.iter().all(|(_, end)| end.is_ok()),
            "{:?}",
            self.ends
        );
        self.faulty.faulted()
    }
}

/// Plans the builtin stack on a fresh demo account and applies it with the
/// `fault_at`-th write meeting `fault`.
async fn apply_with(fault_at: usize, fault: Fault) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::at(dir.path().join("audit.jsonl"));
    let mut account = demo_account();
    let faulty = Faulty::install(&mut account, fault_at, fault);
    let session = Session::new(account, "prod", false);
    let d = desired(BUILTIN);
    let plan = plan_for(&session.reads, &d, false).await.unwrap();
    let mut ends = Vec::new();
    let result = Provisioner::new(&session, &audit, &clock())
        .apply(&d, &plan, &mut |p| {
            if let Some(outcome) = p.outcome {
                ends.push((p.step.name.clone(), outcome));
            }
        })
        .await;
    Run {
        result,
        faulty,
        ends,
        audit: audit.read().unwrap(),
        session,
    }
}

/// The position (1-based) of the builtin stack's first log group, the
/// write the faults hit (the half-made fault needs a log group).
fn log_group_write() -> usize {
    desired(BUILTIN)
        .resources
        .iter()
        .position(|r| r.kind() == Kind::LogGroup)
        .unwrap()
        + 1
}

#[tokio::test]
async fn a_step_whose_answer_was_lost_is_re_read_made_once_and_reported_done() {
    let run = apply_with(log_group_write(), Fault::LostAnswer).await;
    let name = run.assert_all_done();
    assert_eq!(run.faulty.writes_of(&name), 1, "not made twice");
    assert_eq!(run.faulty.calls.lock().unwrap().len(), run.ends.len());
    let entry = run.audit.iter().find(|e| e.alarm.ends_with(&name)).unwrap();
    assert_eq!(entry.result, AuditResult::Ok);
    assert!(
        entry.message.contains("confirmed by re-reading"),
        "{}",
        entry.message
    );
    let others = run.audit.iter().filter(|e| !e.alarm.ends_with(&name));
    assert!(others.into_iter().all(|e| e.message == "created"));
}

#[tokio::test]
async fn a_step_that_timed_out_without_effect_is_made_again_once() {
    let run = apply_with(log_group_write(), Fault::TimedOut).await;
    let name = run.assert_all_done();
    assert_eq!(run.faulty.writes_of(&name), 2);
    assert_eq!(run.faulty.calls.lock().unwrap().len(), run.ends.len() + 1);
    assert!(run.audit.iter().all(|e| e.result == AuditResult::Ok));
    assert_eq!(
        plan_for(&run.session.reads, &desired(BUILTIN), false)
            .await
            .unwrap()
            .steps,
        vec![]
    );
}

#[tokio::test]
async fn a_half_made_create_is_finished_as_an_update_not_created_again() {
    let run = apply_with(log_group_write(), Fault::HalfMade).await;
    let name = run.assert_all_done();
    assert_eq!(run.faulty.writes_of(&name), 2);
    assert_eq!(
        plan_for(&run.session.reads, &desired(BUILTIN), false)
            .await
            .unwrap()
            .steps,
        vec![],
        "the retention the spec wants, set by the second try"
    );
}

#[tokio::test]
async fn a_throttled_step_is_made_again_after_a_pause() {
    let started = std::time::Instant::now();
    let run = apply_with(log_group_write(), Fault::Throttled).await;
    let name = run.assert_all_done();
    assert_eq!(run.faulty.writes_of(&name), 2);
    assert!(started.elapsed() >= std::time::Duration::from_millis(500));
    assert!(run.audit.iter().all(|e| e.message == "created"));
}

#[tokio::test]
async fn a_refused_step_is_reported_failed_once_and_never_done() {
    let run = apply_with(log_group_write(), Fault::Denied).await;
    let err = run.result.unwrap_err();
    assert!(
        matches!(&err, ProvisionError::Step { done, cause, .. }
            if *done == log_group_write() - 1 && *cause == denied()),
        "{err}"
    );
    let name = run.faulty.faulted();
    assert_eq!(run.faulty.writes_of(&name), 1, "not tried again");
    assert_eq!(
        run.faulty.calls.lock().unwrap().len(),
        log_group_write(),
        "stops there"
    );
    let ends: Vec<_> = run.ends.iter().filter(|(n, _)| *n == name).collect();
    assert_eq!(ends.len(), 1);
    assert!(ends[0].1.as_ref().unwrap_err().contains("AccessDenied"));
    let entries: Vec<_> = run
        .audit
        .iter()
        .filter(|e| e.alarm.ends_with(&name))
        .collect();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].result, AuditResult::Failed);
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
    Faulty::install(&mut account, 9, Fault::Denied);
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
            .replace("    \"/aws/apigateway/${prefix}\",\n", "")
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
            "log_group /aws/apigateway/ecommerce-ai-platform"
        ],
        "a shared group the spec no longer names is never deleted"
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

/// The builtin stack applied to a fresh demo account.
async fn applied_demo() -> (Account, Session, AuditLog, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::at(dir.path().join("audit.jsonl"));
    let account = demo_account();
    let session = Session::new(account.clone(), "prod", false);
    let d = desired(BUILTIN);
    let p = plan_for(&session.reads, &d, false).await.unwrap();
    Provisioner::new(&session, &audit, &clock())
        .apply(&d, &p, &mut |_| {})
        .await
        .unwrap();
    (account, session, audit, dir)
}

/// The alarm `name` as the account has it now.
async fn alarm_now(session: &Session, name: &str) -> Existing {
    session
        .reads
        .provision
        .read_kind(
            Kind::Alarm,
            ReadScope {
                prefix: "ecommerce-ai-platform",
                names: &[name.to_string()],
                topic: "",
            },
        )
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.resource.name() == name)
        .unwrap()
}

#[tokio::test]
async fn a_resource_that_appeared_since_the_plan_is_a_conflict_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::at(dir.path().join("audit.jsonl"));
    let account = demo_account();
    let session = Session::new(account.clone(), "prod", false);
    let d = desired(BUILTIN);
    let plan = plan_for(&session.reads, &d, false).await.unwrap();
    let name = "ecommerce-ai-platform-lambda-errors";
    let Some(Resource::Alarm(theirs)) = d.resources.iter().find(|r| r.name() == name).cloned()
    else {
        panic!("the spec has {name}")
    };
    let hand_made = Resource::Alarm(crate::model::stack::Alarm {
        threshold: 99.0,
        topics: vec![],
        ..theirs
    });
    account
        .writes
        .provision
        .put_resource(&hand_made, None, &BTreeMap::new())
        .await
        .unwrap();
    let mut ends = Vec::new();
    let err = Provisioner::new(&session, &audit, &clock())
        .apply(&d, &plan, &mut |p| {
            if let Some(outcome) = p.outcome {
                ends.push((p.step.name.clone(), outcome));
            }
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ProvisionError::Changed { name: n, .. } if n == name),
        "{err}"
    );
    assert!(err.to_string().contains("appeared since the plan"), "{err}");
    let now = alarm_now(&session, name).await;
    assert_eq!(now.resource, hand_made, "not overwritten");
    assert!(now.tags.is_empty(), "not claimed");
    let (last, outcome) = ends.last().unwrap();
    assert_eq!(last, name);
    assert!(outcome.as_ref().unwrap_err().contains("conflict"));
    let entries = audit.read().unwrap();
    let entry = entries
        .iter()
        .find(|e| e.alarm == format!("alarm {name}"))
        .unwrap();
    assert_eq!(entry.result, AuditResult::Failed);
    assert!(entry.message.contains("appeared since the plan"));
    assert_ne!(entry.message, "created");
}

#[tokio::test]
async fn a_resource_changed_since_the_plan_is_a_conflict_and_keeps_its_change() {
    let (account, session, audit, _dir) = applied_demo().await;
    let changed = desired(&BUILTIN.replace("threshold = 10\n", "threshold = 20\n"));
    let plan = plan_for(&session.reads, &changed, false).await.unwrap();
    assert_eq!(plan.counts(), (0, 1, 0));
    let name = "ecommerce-ai-platform-lambda-errors";
    let before = alarm_now(&session, name).await.resource;
    let Resource::Alarm(a) = &before else {
        unreachable!()
    };
    let by_hand = Resource::Alarm(crate::model::stack::Alarm {
        threshold: 15.0,
        ..a.clone()
    });
    account
        .writes
        .provision
        .put_resource(&by_hand, Some(&before), &BTreeMap::new())
        .await
        .unwrap();
    let err = Provisioner::new(&session, &audit, &clock())
        .apply(&changed, &plan, &mut |_| {})
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("conflict: it changed since the plan (threshold)"),
        "{err}"
    );
    assert_eq!(alarm_now(&session, name).await.resource, by_hand);
}

#[tokio::test]
async fn subscriptions_monitui_makes_are_recorded_and_only_those_are_pruned() {
    let (_account, session, audit, _dir) = applied_demo().await;
    let topic = session
        .reads
        .provision
        .read_kind(
            Kind::Topic,
            ReadScope {
                prefix: "ecommerce-ai-platform",
                names: &["ecommerce-ai-platform-alerts".to_string()],
                topic: "",
            },
        )
        .await
        .unwrap()
        .remove(0);
    assert_eq!(topic.resource.name(), "ecommerce-ai-platform-alerts");
    assert_eq!(
        topic.tags[crate::model::stack::SUBSCRIPTIONS_TAG],
        "email:oncall@example.com email:ops@example.com"
    );
    let fewer = crate::provision::builtin_for_tests(
        BUILTIN,
        "ecommerce-ai-platform",
        "prod",
        "ops@example.com",
    );
    let pruned = plan_for(&session.reads, &fewer, true).await.unwrap();
    let deletes: Vec<&str> = pruned
        .steps
        .iter()
        .filter(|s| s.action == Action::Delete)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(deletes, ["email:oncall@example.com"]);
    Provisioner::new(&session, &audit, &clock())
        .apply(&fewer, &pruned, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(
        plan_for(&session.reads, &fewer, true).await.unwrap().steps,
        vec![]
    );
}

#[tokio::test]
async fn an_adopted_shared_group_is_created_without_the_stacks_tag() {
    let (_account, session, _audit, _dir) = applied_demo().await;
    let found = session
        .reads
        .provision
        .read_kind(
            Kind::LogGroup,
            ReadScope {
                prefix: "ecommerce-ai-platform",
                names: &["/aws/batch/job".to_string()],
                topic: "",
            },
        )
        .await
        .unwrap();
    let group = found
        .iter()
        .find(|e| e.resource.name() == "/aws/batch/job")
        .unwrap();
    assert!(group.tags.is_empty(), "{:?}", group.tags);
    let others = found
        .iter()
        .filter(|e| e.resource.name() != "/aws/batch/job");
    assert!(
        others
            .into_iter()
            .all(|e| e.tagged_for("ecommerce-ai-platform"))
    );
}

#[tokio::test]
async fn apply_makes_the_targets_burn_rate_alarms_and_prune_removes_them_composites_first() {
    let (_account, session, audit, _dir) = applied_demo().await;
    let d = desired(BUILTIN);
    let burn: Vec<Resource> = d
        .slos
        .iter()
        .flat_map(|s| crate::provision::burn::burn_alarms(s, "ecommerce-ai-platform-alerts"))
        .collect();
    let found = read_existing(&session.reads, &d).await.unwrap();
    for b in &burn {
        let made = found
            .iter()
            .find(|e| e.resource.kind() == b.kind() && e.resource.name() == b.name())
            .unwrap_or_else(|| panic!("{} {} made", b.kind(), b.name()));
        assert_eq!(&made.resource, b);
        assert!(made.tagged_for(&d.prefix));
    }
    let mut without = d.clone();
    without.resources.retain(|r| !burn.contains(r));
    let prune = plan_for(&session.reads, &without, true).await.unwrap();
    assert_eq!(prune.counts(), (0, 0, burn.len()));
    let mut order = Vec::new();
    Provisioner::new(&session, &audit, &clock())
        .apply(&without, &prune, &mut |p| {
            if p.outcome.is_none() {
                order.push(p.step.kind);
            }
        })
        .await
        .expect("the demo account refuses to delete a child before its composite");
    assert_eq!(
        order.iter().position(|k| *k == Kind::Alarm),
        Some(burn.len() / 3),
        "every composite first: {order:?}"
    );
    let left = read_existing(&session.reads, &d).await.unwrap();
    assert!(
        left.iter().all(|e| !burn
            .iter()
            .any(|b| b.kind() == e.resource.kind() && b.name() == e.resource.name())),
        "pruned"
    );
    assert_eq!(
        plan_for(&session.reads, &without, true)
            .await
            .unwrap()
            .steps,
        vec![]
    );
}
