//! Provisioning through a [`Session`]: reading what the account has of a
//! spec's stack (every kind in parallel, after the topic, whose tag names
//! the managed dashboards), planning, and applying a plan one resource at
//! a time in dependency order, each change audited and never sent twice
//! blindly (a step whose answer never came is re-read first, see
//! [`super::checked`]). Applying needs the session's writes, so read-only
//! mode refuses it here, before anything is sent. An apply stopped
//! half-way leaves resources that a new plan reads back as existing (and
//! tagged), so the next apply only does the rest.

use std::collections::BTreeMap;

use futures_util::future::try_join_all;
use tokio::sync::Mutex;

use super::audit::{AuditEntry, AuditError, AuditLog, AuditResult};
use super::checked::{Settled, settle};
use super::session::Session;
use crate::model::Clock;
use crate::model::stack::{Existing, Kind, Resource, managed_tags};
use crate::provider::provision::ReadScope;
use crate::provider::{ProviderError, ProviderResult, Reads, Writes};
use crate::provision::plan::{Action, Plan, Step, changed_since_plan, plan, remaining, topic_name};
use crate::provision::spec::Desired;

/// Why a plan or apply stopped.
#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    /// Reading the account failed.
    #[error("reading the account: {0}")]
    Read(ProviderError),
    /// Read-only mode: nothing was sent.
    #[error(transparent)]
    Refused(ProviderError),
    /// Resources the stack does not manage stand in the way.
    #[error("{count} resource(s) exist without this stack's tag; nothing changed (see the plan)")]
    Conflicts {
        /// How many.
        count: usize,
    },
    /// One step failed; the earlier ones are done (a new apply resumes).
    #[error("{kind} {name}: {cause} ({done} of {total} changes made; run apply again to resume)")]
    Step {
        /// Kind of the resource.
        kind: Kind,
        /// Its name.
        name: String,
        /// What failed.
        cause: ProviderError,
        /// Steps done before it.
        done: usize,
        /// Steps in the plan.
        total: usize,
    },
    /// A step's resource is no longer as the plan found it (it appeared,
    /// changed or went away meanwhile): nothing was sent for it, and the
    /// apply stopped there.
    #[error("{kind} {name}: {reason} ({done} of {total} changes made; run plan again)")]
    Changed {
        /// Kind of the resource.
        kind: Kind,
        /// Its name.
        name: String,
        /// What changed.
        reason: String,
        /// Steps done before it.
        done: usize,
        /// Steps in the plan.
        total: usize,
    },
    /// A change was made but could not be recorded.
    #[error("the audit log could not be written: {0}")]
    Audit(#[from] AuditError),
}

/// The desired resource names of one kind.
fn names_of(desired: &Desired, kind: Kind) -> Vec<String> {
    desired
        .resources
        .iter()
        .filter(|r| r.kind() == kind)
        .map(Resource::name)
        .collect()
}

/// Everything the account has of the stack: the wanted resources that
/// exist and every resource the stack manages. The topic is read first
/// (its tag lists the managed dashboards); the other kinds then in
/// parallel.
pub async fn read_existing(
    reads: &Reads,
    desired: &Desired,
) -> Result<Vec<Existing>, ProvisionError> {
    let topic = topic_name(desired).unwrap_or_default();
    let scope_names = |kind| names_of(desired, kind);
    let topics = reads
        .provision
        .read_kind(
            Kind::Topic,
            ReadScope {
                prefix: &desired.prefix,
                names: &scope_names(Kind::Topic),
                topic: &topic,
            },
        )
        .await
        .map_err(ProvisionError::Read)?;
    let mut dashboards = scope_names(Kind::Dashboard);
    for e in &topics {
        if let Resource::Topic(t) = &e.resource
            && t.name == topic
            && e.tagged_for(&desired.prefix)
        {
            dashboards.extend(t.dashboards.iter().cloned());
        }
    }
    dashboards.sort();
    dashboards.dedup();
    let names: BTreeMap<Kind, Vec<String>> = Kind::ALL[1..]
        .iter()
        .map(|&k| {
            (
                k,
                if k == Kind::Dashboard {
                    dashboards.clone()
                } else {
                    scope_names(k)
                },
            )
        })
        .collect();
    let rest = try_join_all(names.iter().map(|(&kind, names)| {
        reads.provision.read_kind(
            kind,
            ReadScope {
                prefix: &desired.prefix,
                names,
                topic: &topic,
            },
        )
    }))
    .await
    .map_err(ProvisionError::Read)?;
    Ok(topics
        .into_iter()
        .chain(rest.into_iter().flatten())
        .collect())
}

/// Reads the account and plans `desired` against it.
pub async fn plan_for(
    reads: &Reads,
    desired: &Desired,
    prune: bool,
) -> Result<Plan, ProvisionError> {
    let existing = read_existing(reads, desired).await?;
    Ok(plan(desired, &existing, prune))
}

/// One line of progress: a step started or ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress<'a> {
    /// 1-based position.
    pub index: usize,
    /// Steps in the plan.
    pub total: usize,
    /// The step.
    pub step: &'a Step,
    /// `None` while running, then how it ended.
    pub outcome: Option<Result<(), String>>,
}

/// Applies plans through one session, auditing each change.
#[derive(Debug)]
pub struct Provisioner<'a> {
    session: &'a Session,
    audit: &'a AuditLog,
    clock: &'a dyn Clock,
}

impl<'a> Provisioner<'a> {
    /// A provisioner for `session`, recording to `audit` with times from `clock`.
    pub fn new(session: &'a Session, audit: &'a AuditLog, clock: &'a dyn Clock) -> Self {
        Self {
            session,
            audit,
            clock,
        }
    }

    fn record(
        &self,
        who: &str,
        what: &str,
        target: &str,
        result: AuditResult,
        message: &str,
    ) -> Result<(), AuditError> {
        self.audit.append(&AuditEntry {
            when: self.clock.now(),
            who: who.to_string(),
            what: what.to_string(),
            alarm: target.to_string(),
            env: self.session.env.clone(),
            result,
            note: String::new(),
            message: message.to_string(),
        })
    }

    /// Applies `plan` (made by [`plan_for`] for `desired`): refused in
    /// read-only mode and when it has conflicts; otherwise every step in
    /// order, reporting each to `progress`; stops at the first failure.
    /// Each step's resource is read again just before its write: one that
    /// is no longer as the plan found it stops the apply there, nothing sent
    /// for it (see [`changed_since_plan`]). Returns the number of changes
    /// made.
    pub async fn apply(
        &self,
        desired: &Desired,
        plan: &Plan,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<usize, ProvisionError> {
        let who = match self.session.reads.identity.caller_identity().await {
            Ok(identity) => identity.short_name().to_string(),
            Err(_) => "unknown".to_string(),
        };
        let writes = match self.session.writes("provision apply") {
            Ok(w) => w,
            Err(e) => {
                self.record(
                    &who,
                    "provision apply",
                    &desired.prefix,
                    AuditResult::Refused,
                    &e.to_string(),
                )?;
                return Err(ProvisionError::Refused(e));
            }
        };
        let count = plan.conflicts().count();
        if count > 0 {
            return Err(ProvisionError::Conflicts { count });
        }
        let managed = managed_tags(&desired.prefix);
        let unclaimed = BTreeMap::new();
        let changes: Vec<&Step> = plan.steps.iter().filter(|s| s.is_change()).collect();
        let total = changes.len();
        for (i, &step) in changes.iter().enumerate() {
            let shared = desired.is_shared(step.kind, &step.name);
            let tags = if shared { &unclaimed } else { &managed };
            let report = |outcome| Progress {
                index: i + 1,
                total,
                step,
                outcome,
            };
            progress(report(None));
            let what = match step.action {
                Action::Delete if step.current.is_some() => "provision delete",
                Action::Create if step.desired.is_some() => "provision create",
                Action::Update { .. } if step.desired.is_some() => "provision update",
                _ => continue,
            };
            let target = format!("{} {}", step.kind, step.name);
            let failed = |cause| ProvisionError::Step {
                kind: step.kind,
                name: step.name.clone(),
                cause,
                done: i,
                total,
            };
            let outcome = match self.reread(desired, step).await {
                Err(cause) => Err(failed(cause)),
                Ok(found) => match changed_since_plan(
                    step,
                    &found,
                    &desired.prefix,
                    step.kind != Kind::Dashboard && !shared,
                ) {
                    Some(reason) => Err(ProvisionError::Changed {
                        kind: step.kind,
                        name: step.name.clone(),
                        reason,
                        done: i,
                        total,
                    }),
                    None => self
                        .make_settled(writes, desired, step, tags)
                        .await
                        .map_err(failed),
                },
            };
            match outcome {
                Ok(settled) => {
                    let message = match settled {
                        Settled::Made => describe(step),
                        Settled::FoundInEffect => format!(
                            "{}: its answer never came; confirmed by re-reading",
                            describe(step)
                        ),
                    };
                    self.record(&who, what, &target, AuditResult::Ok, &message)?;
                    progress(report(Some(Ok(()))));
                }
                Err(stopped) => {
                    let cause = match &stopped {
                        ProvisionError::Step { cause, .. } => cause.to_string(),
                        ProvisionError::Changed { reason, .. } => reason.clone(),
                        other => other.to_string(),
                    };
                    self.record(&who, what, &target, AuditResult::Failed, &cause)?;
                    progress(report(Some(Err(cause))));
                    return Err(stopped);
                }
            }
        }
        Ok(total)
    }

    /// Makes `step` through [`settle`]: when its answer never came, its
    /// resource is re-read and [`remaining`] says whether it is in effect
    /// or what to try again from the state found (a create that half
    /// happened is finished as an update, never created twice). A resource
    /// found standing without the stack's tag is not touched: the step
    /// fails with its own error and the next plan shows the conflict.
    async fn make_settled(
        &self,
        writes: &Writes,
        desired: &Desired,
        step: &Step,
        tags: &BTreeMap<String, String>,
    ) -> ProviderResult<Settled> {
        let todo = Mutex::new(step.clone());
        settle(
            || async { make(writes, &*todo.lock().await, tags).await },
            || async {
                let found = self.reread(desired, step).await?;
                match remaining(desired, step, &found) {
                    None => Ok(true),
                    Some(Step {
                        action: Action::Conflict { reason },
                        ..
                    }) => Err(ProviderError::Invalid(reason)),
                    Some(left) => {
                        *todo.lock().await = left;
                        Ok(false)
                    }
                }
            },
        )
        .await
    }

    /// The current state of `step`'s resource (nothing when it is gone).
    async fn reread(&self, desired: &Desired, step: &Step) -> ProviderResult<Vec<Existing>> {
        let topic = topic_name(desired).unwrap_or_default();
        self.session
            .reads
            .provision
            .read_kind(
                step.kind,
                ReadScope {
                    prefix: &desired.prefix,
                    names: std::slice::from_ref(&step.name),
                    topic: &topic,
                },
            )
            .await
    }
}

/// Sends `step` once: a delete, or a put from the state the step starts
/// from.
async fn make(writes: &Writes, step: &Step, tags: &BTreeMap<String, String>) -> ProviderResult<()> {
    match (&step.action, &step.desired, &step.current) {
        (Action::Delete, _, Some(current)) => writes.provision.delete_resource(current).await,
        (Action::Create | Action::Update { .. }, Some(d), current) => {
            writes
                .provision
                .put_resource(d, current.as_ref(), tags)
                .await
        }
        _ => Err(ProviderError::Invalid(format!(
            "{} {}: nothing to send for this step",
            step.kind, step.name
        ))),
    }
}

/// The audit message of a step: what changed.
fn describe(step: &Step) -> String {
    match &step.action {
        Action::Create => "created".into(),
        Action::Delete => "deleted".into(),
        Action::Update { changes } => format!(
            "updated {}",
            changes
                .iter()
                .map(|c| c.path.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Action::Conflict { reason } | Action::Shared { reason, .. } => reason.clone(),
    }
}

#[cfg(test)]
mod tests;
