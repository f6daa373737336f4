//! [`AlarmActions`]: ack, unack, silence, unsilence, test and reconcile, the
//! same code for the TUI's data layer and the CLI. Acks and silences are
//! written as tags on the alarm so every monitui sees them; every attempted
//! change is appended to the audit log.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::OnceCell;

use super::annotations::Annotation;
use super::annotations::annotations_of;
use super::audit::{AuditEntry, AuditError, AuditLog, AuditResult};
use super::change_locks::ChangeLocks;
use super::changes::OnAbandon;
use super::checked::Checked;
use super::events::Mutation;
use super::session::Session;
use crate::config::ResolvedEnv;
use crate::model::ack::{
    ACK_KEYS, Ack, SILENCE_KEYS, Silence, SilenceMethod, SilenceRecord, UNRECOGNISED_SILENCE,
    tag_value,
};
use crate::model::mute::{MAX_MUTE, MuteRule, rule_name};
use crate::model::{Alarm, AlarmState, Clock};
use crate::provider::{ProviderError, Reads, Writes};

/// Why an alarm action did nothing or failed.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    /// Only an alarm in ALARM can be acknowledged.
    #[error("{alarm} is {state}, not in ALARM: nothing changed")]
    NotInAlarm {
        /// The alarm.
        alarm: String,
        /// Its state.
        state: AlarmState,
    },
    /// There was no ack to remove.
    #[error("{0} has no ack: nothing changed")]
    NotAcked(String),
    /// The ack is someone else's and `--any` was not given.
    #[error("the ack of {alarm} is {by}'s, not yours: nothing changed (pass --any to remove it)")]
    NotYourAck {
        /// The alarm.
        alarm: String,
        /// Whose ack it is.
        by: String,
    },
    /// Another monitui replaced the silence between the read and the
    /// change, so the newer one was left in place.
    #[error(
        "the silence of {alarm} was replaced meanwhile (by {by}, until {until} UTC): left in place{restored}"
    )]
    SilenceReplaced {
        /// The alarm.
        alarm: String,
        /// Who wrote the newer silence.
        by: String,
        /// Its end, `YYYY-mm-dd HH:MM`.
        until: String,
        /// What became of the actions turned on just before, if anything.
        restored: String,
    },
    /// There was no silence to end.
    #[error("{0} is not silenced: nothing changed")]
    NotSilenced(String),
    /// No alarm has this name.
    #[error("no alarm named '{0}'")]
    UnknownAlarm(String),
    /// The request itself is wrong (missing note, bad duration).
    #[error("{0}")]
    Invalid(String),
    /// The account refused or failed (read-only refusals included).
    #[error(transparent)]
    Provider(#[from] ProviderError),
    /// A step failed after an earlier one had changed something; says
    /// whether that was undone or what is left.
    #[error("{failed}; {undo}")]
    PartlyUndone {
        /// The step that failed.
        failed: ProviderError,
        /// What became of the earlier steps.
        undo: String,
    },
    /// The change was made but could not be recorded.
    #[error("{done}, but {source}")]
    Audit {
        /// What was done.
        done: String,
        /// Why the audit log was not written.
        source: AuditError,
    },
}

impl ActionError {
    /// Whether the user asked for something impossible (exit code 2).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            ActionError::Invalid(_) | ActionError::UnknownAlarm(_) | ActionError::NotYourAck { .. }
        )
    }

    fn audit_result(&self) -> AuditResult {
        match self {
            ActionError::Provider(ProviderError::ReadOnly { .. }) => AuditResult::Refused,
            ActionError::PartlyUndone { .. } => AuditResult::Failed,
            _ => AuditResult::Failed,
        }
    }
}

/// Result of one action: a short human message.
pub type ActionResult = Result<String, ActionError>;

/// Alarm changes for one env, through one [`Session`]: refused in
/// read-only mode, one at a time per alarm, each step ordered so that a
/// failure leaves the old state or a recorded one, and every outcome
/// audited.
#[derive(Debug)]
pub struct AlarmActions {
    session: Arc<Session>,
    sns_topic: Option<String>,
    clock: Arc<dyn Clock>,
    audit: AuditLog,
    who: OnceCell<String>,
    locks: ChangeLocks,
}

impl AlarmActions {
    /// Actions on `env`'s account through `session`, audited to `audit`.
    pub fn new(
        session: Arc<Session>,
        env: &ResolvedEnv,
        clock: Arc<dyn Clock>,
        audit: AuditLog,
    ) -> Self {
        Self {
            session,
            sns_topic: env.sns_topic.clone(),
            clock,
            audit,
            who: OnceCell::new(),
            locks: ChangeLocks::default(),
        }
    }

    /// Runs a mutation the UI asked for.
    pub async fn run(&self, mutation: &Mutation) -> ActionResult {
        match mutation {
            Mutation::Ack { alarm, note } => self.ack(alarm, note).await,
            Mutation::Unack { alarm, any } => self.unack(alarm, *any).await,
            Mutation::Silence {
                alarm,
                duration,
                note,
            } => self.silence(alarm, *duration, note).await,
            Mutation::Unsilence { alarm } => self.unsilence(alarm).await,
            Mutation::Test { alarm } => self.test(alarm).await,
        }
    }

    /// What to write to the audit log if the process quits before
    /// `mutation` finishes: that its outcome is unknown.
    pub fn abandon_record(&self, mutation: &Mutation) -> OnAbandon {
        let entry = AuditEntry {
            when: self.clock.now(),
            who: self.who.get().cloned().unwrap_or_else(|| "unknown".into()),
            what: mutation.verb().to_string(),
            alarm: mutation.alarm().to_string(),
            env: self.session.env.clone(),
            result: AuditResult::Failed,
            note: String::new(),
            message: format!(
                "monitui quit before this {} finished: its outcome is unknown, check the alarm",
                mutation.verb()
            ),
        };
        let audit = self.audit.clone();
        Box::new(move || {
            if let Err(e) = audit.append(&entry) {
                tracing::warn!("recording an interrupted change: {e}");
            }
        })
    }

    fn reads(&self) -> &Reads {
        &self.session.reads
    }

    /// `writes`, each settled by a re-read when its outcome is unknown.
    fn checked<'a>(&'a self, writes: &'a Writes) -> Checked<'a> {
        Checked {
            reads: self.reads(),
            writes,
        }
    }

    /// Acknowledges the current ALARM episode of `alarm`: all ack tags in
    /// one TagResource call (so concurrent acks never mix), then a note to
    /// the env's SNS topic if it has one.
    pub async fn ack(&self, alarm: &str, note: &str) -> ActionResult {
        self.audited("ack", alarm, note, async {
            let writes = self.session.writes("TagResource")?;
            let found = self.find(alarm).await?;
            if found.state != AlarmState::Alarm {
                return Err(ActionError::NotInAlarm {
                    alarm: found.name,
                    state: found.state,
                });
            }
            let who = self.who().await?;
            let ack = Ack {
                by: tag_value(&who),
                at: self.clock.now(),
                episode: found.transitioned_at,
                note: tag_value(note),
            };
            self.checked(writes).tag(&found, &ack.to_tags()).await?;
            let done = format!("acknowledged {alarm}");
            let Some(topic) = &self.sns_topic else {
                return Ok(done);
            };
            let message = if note.is_empty() {
                format!("acknowledged by {who}")
            } else {
                format!("acknowledged by {who}: {note}")
            };
            let subject: String = format!("{alarm} acknowledged").chars().take(100).collect();
            Ok(
                match writes.notify.publish(topic, &subject, &message).await {
                    Ok(_) => format!("{done}; notified {topic}"),
                    Err(e @ ProviderError::Network { .. }) => format!(
                        "{done}; notifying {topic}: no answer ({e}); not sent again, as it may have arrived"
                    ),
                    Err(e) => format!("{done}; notifying {topic} failed: {e}"),
                },
            )
        })
        .await
    }

    /// Removes your ack of `alarm`; someone else's only with `any`
    /// (audited as `unack-any`, naming whose ack it was).
    pub async fn unack(&self, alarm: &str, any: bool) -> ActionResult {
        let what = if any { "unack-any" } else { "unack" };
        self.audited(what, alarm, "", async {
            let writes = self.session.writes("UntagResource")?;
            let found = self.find(alarm).await?;
            let tags = self.reads().alarms.tags(&found.arn).await?;
            let Some(ack) = Ack::from_tags(&tags) else {
                return Err(ActionError::NotAcked(found.name));
            };
            let yours = ack.by == tag_value(&self.who().await?);
            if !yours && !any {
                return Err(ActionError::NotYourAck {
                    alarm: found.name,
                    by: ack.by,
                });
            }
            self.checked(writes).untag(&found, &keys(&ACK_KEYS)).await?;
            Ok(if yours {
                format!("removed your ack of {alarm}")
            } else {
                format!("removed {}'s ack of {alarm} (not yours: --any)", ack.by)
            })
        })
        .await
    }

    /// Mutes `alarm`'s notifications for `duration`: an alarm mute rule
    /// where the service has them, otherwise its actions are disabled until
    /// [`AlarmActions::reconcile`] runs after the expiry. Either way the
    /// silence is recorded in tags (who, why, until, how).
    ///
    /// Order, so that no failure leaves actions off without a record: a
    /// mute rule is created first (it ends by itself) and deleted again if
    /// its tags cannot be written; disabled actions are recorded first and
    /// the record removed again if the actions cannot be disabled.
    pub async fn silence(&self, alarm: &str, duration: Duration, note: &str) -> ActionResult {
        self.audited("silence", alarm, note, async {
            if note.trim().is_empty() {
                return Err(ActionError::Invalid(
                    "a silence needs a note saying why".into(),
                ));
            }
            if duration.is_zero() || duration > MAX_MUTE {
                return Err(ActionError::Invalid(format!(
                    "a silence lasts between 1 minute and 15 days, not {}",
                    humantime::format_duration(duration)
                )));
            }
            let writes = self.session.writes("PutAlarmMuteRule")?;
            let found = self.find(alarm).await?;
            let who = self.who().await?;
            let now = self.clock.now();
            let rule = MuteRule::for_silence(
                &found.name,
                now,
                duration,
                &format!("silenced by {who}: {note}"),
            );
            let id = silence_id(now);
            let record = |method, until| Silence {
                until,
                by: tag_value(&who),
                note: tag_value(note),
                method,
                id: id.clone(),
            };
            let (method, until) = match self.checked(writes).put_mute_rule(&rule).await {
                Ok(()) => {
                    let silence = record(SilenceMethod::MuteRule, rule.end());
                    self.record_mute_rule(writes, &found, &rule, &silence)
                        .await?;
                    (SilenceMethod::MuteRule, rule.end())
                }
                Err(ProviderError::Unsupported(_)) => {
                    let until = now
                        .checked_add(duration)
                        .map_err(|e| ActionError::Invalid(e.to_string()))?;
                    let method = self
                        .silence_by_actions(writes, &found, |m| record(m, until))
                        .await?;
                    (method, until)
                }
                Err(e) => return Err(e.into()),
            };
            let how = match method {
                SilenceMethod::MuteRule => "mute rule",
                SilenceMethod::ActionsDisabled => "alarm actions disabled",
                SilenceMethod::ActionsAlreadyOff => "alarm actions were already off",
            };
            Ok(format!(
                "silenced {alarm} until {} UTC ({how})",
                until.strftime("%Y-%m-%d %H:%M")
            ))
        })
        .await
    }

    /// Writes the tags of a mute-rule silence; if that fails, deletes the
    /// rule again so nothing is muted without a record.
    async fn record_mute_rule(
        &self,
        writes: &Writes,
        alarm: &Alarm,
        rule: &MuteRule,
        silence: &Silence,
    ) -> Result<(), ActionError> {
        let checked = self.checked(writes);
        let Err(e) = checked.tag(alarm, &silence.to_tags()).await else {
            return Ok(());
        };
        let undo = checked.delete_mute_rule(&rule.name).await;
        Err(ActionError::PartlyUndone {
            failed: e,
            undo: match undo {
                Ok(()) => "the mute rule was deleted again: nothing changed".into(),
                Err(u) => format!(
                    "deleting the mute rule {} failed too ({u}): it mutes the alarm without a record until {} UTC",
                    rule.name,
                    rule.end().strftime("%Y-%m-%d %H:%M")
                ),
            },
        })
    }

    /// The fallback silence: records it, then turns the alarm's actions
    /// off; if that fails, removes the record again. Actions that are off
    /// because of an earlier monitui silence count as on (ending the new
    /// silence must turn them back on); actions someone turned off by hand
    /// stay off afterwards.
    async fn silence_by_actions(
        &self,
        writes: &Writes,
        alarm: &Alarm,
        record: impl Fn(SilenceMethod) -> Silence,
    ) -> Result<SilenceMethod, ActionError> {
        let earlier = Silence::from_tags(&self.reads().alarms.tags(&alarm.arn).await?);
        let were_on = alarm.actions_enabled
            || earlier.is_some_and(|s| s.method == SilenceMethod::ActionsDisabled);
        let method = if were_on {
            SilenceMethod::ActionsDisabled
        } else {
            SilenceMethod::ActionsAlreadyOff
        };
        let checked = self.checked(writes);
        checked.tag(alarm, &record(method).to_tags()).await?;
        if !were_on {
            return Ok(method);
        }
        let Err(e) = checked.set_actions(alarm, false).await else {
            return Ok(method);
        };
        let undo = checked.untag(alarm, &keys(&SILENCE_KEYS)).await;
        Err(ActionError::PartlyUndone {
            failed: e,
            undo: match undo {
                Ok(()) => "the silence record was removed again: nothing changed".into(),
                Err(u) => format!(
                    "removing the silence record failed too ({u}): the alarm shows as silenced but its actions are on; `alarms unsilence` clears it"
                ),
            },
        })
    }

    /// Ends the silence of `alarm` now. Silence tags monitui did not write
    /// (no method or id) are removed, but the alarm's actions are left as
    /// they are: nothing says monitui turned them off.
    pub async fn unsilence(&self, alarm: &str) -> ActionResult {
        self.audited("unsilence", alarm, "", async {
            let writes = self.session.writes("UntagResource")?;
            let found = self.find(alarm).await?;
            let tags = self.reads().alarms.tags(&found.arn).await?;
            match SilenceRecord::from_tags(&tags) {
                None => Err(ActionError::NotSilenced(found.name)),
                Some(SilenceRecord::Own(silence)) => {
                    self.end_silence(writes, &found, &silence).await?;
                    Ok(format!("ended the silence of {alarm}"))
                }
                Some(SilenceRecord::Unrecognised { .. }) => {
                    self.checked(writes)
                        .untag(&found, &keys(&SILENCE_KEYS))
                        .await?;
                    let actions = if found.actions_enabled {
                        "on".to_string()
                    } else {
                        format!(
                            "off (if they should be on: aws cloudwatch enable-alarm-actions --alarm-names {alarm})"
                        )
                    };
                    Ok(format!(
                        "removed the {UNRECOGNISED_SILENCE} of {alarm}; nothing says monitui turned its actions off, so they were left {actions}"
                    ))
                }
            }
        })
        .await
    }

    /// Sets `alarm` to ALARM so its notifications fire, naming who tested.
    pub async fn test(&self, alarm: &str) -> ActionResult {
        self.audited("test", alarm, "", async {
            let writes = self.session.writes("SetAlarmState")?;
            let found = self.find(alarm).await?;
            let who = self.who().await?;
            let reason = format!("Test by {who} via monitui");
            self.checked(writes)
                .set_state(&found, AlarmState::Alarm, &reason)
                .await?;
            Ok(format!("set {alarm} to ALARM: {reason}"))
        })
        .await
    }

    /// Ends every silence of monitui's whose expiry has passed: re-enables
    /// the actions of actions-disabled silences and removes the silence
    /// tags (of mute-rule silences too: their rule has ended by itself).
    /// Silence tags monitui did not write are left alone and listed.
    pub async fn reconcile(&self) -> Result<Reconciled, ProviderError> {
        let alarms = self.reads().alarms.list_alarms().await?;
        let annotations = annotations_of(self.reads(), &alarms).await?;
        Ok(self.reconcile_with(&alarms, &annotations).await)
    }

    /// [`AlarmActions::reconcile`] over alarms and annotations already read.
    /// Each silence is re-read under the alarm's change lock just before it
    /// is ended, and ended only if it is still the one read (same id), so
    /// one another monitui extended meanwhile is left alone.
    pub async fn reconcile_with(
        &self,
        alarms: &[Alarm],
        annotations: &BTreeMap<String, Annotation>,
    ) -> Reconciled {
        let now = self.clock.now();
        let mut done = Reconciled::default();
        for alarm in alarms {
            let Some(record) = annotations
                .get(&alarm.name)
                .and_then(|a| a.silence.as_ref())
            else {
                continue;
            };
            let seen = match record {
                SilenceRecord::Own(seen) if seen.is_expired(now) => seen,
                SilenceRecord::Own(_) => continue,
                SilenceRecord::Unrecognised { .. } => {
                    done.unrecognised.push(alarm.name.clone());
                    continue;
                }
            };
            let _change = self.locks.acquire(&alarm.name).await;
            let current = match self.reads().alarms.tags(&alarm.arn).await {
                Ok(tags) => Silence::from_tags(&tags).filter(|s| s.id == seen.id),
                Err(e) => {
                    done.ended.push(Err(e.into()));
                    continue;
                }
            };
            let Some(silence) = current else {
                continue;
            };
            let result = self
                .audited_unlocked("reconcile", &alarm.name, "", async {
                    let writes = self.session.writes("EnableAlarmActions")?;
                    self.end_silence(writes, alarm, &silence).await?;
                    Ok(format!(
                        "ended the expired silence of {} (by {}, until {} UTC)",
                        alarm.name,
                        silence.by,
                        silence.until.strftime("%Y-%m-%d %H:%M")
                    ))
                })
                .await;
            if !matches!(result, Err(ActionError::SilenceReplaced { .. })) {
                done.ended.push(result);
            }
        }
        done
    }

    /// Undoes `silence` on `alarm`: deletes the mute rule (gone already is
    /// fine) or re-enables the actions, then removes the silence tags. The
    /// record goes last, so a failure leaves it in place and a later
    /// unsilence or reconcile finishes the job. Just before the record
    /// goes, the tags are read again: if another monitui wrote a new
    /// silence meanwhile (another id), its record stays, and actions it
    /// had turned off are turned off again.
    async fn end_silence(
        &self,
        writes: &Writes,
        alarm: &Alarm,
        silence: &Silence,
    ) -> Result<(), ActionError> {
        let checked = self.checked(writes);
        match silence.method {
            SilenceMethod::MuteRule => {
                match checked.delete_mute_rule(&rule_name(&alarm.name)).await {
                    Ok(()) | Err(ProviderError::NotFound(_)) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            SilenceMethod::ActionsDisabled => checked.set_actions(alarm, true).await?,
            SilenceMethod::ActionsAlreadyOff => {}
        }
        let record_stays = |failed| {
            ActionError::PartlyUndone {
            failed,
            undo: "the silence itself has ended, but its record stays on the alarm until an unsilence or reconcile removes it".into(),
        }
        };
        let now_there = self
            .reads()
            .alarms
            .tags(&alarm.arn)
            .await
            .map_err(record_stays)?;
        if let Some(newer) = Silence::from_tags(&now_there).filter(|s| s.id != silence.id) {
            let restored = match (silence.method, newer.method) {
                (SilenceMethod::ActionsDisabled, SilenceMethod::ActionsDisabled) => {
                    match checked.set_actions(alarm, false).await {
                        Ok(()) => "; its actions are off again".to_string(),
                        Err(e) => format!(
                            "; turning its actions off again failed ({e}): they are on until `alarms silence` runs again"
                        ),
                    }
                }
                (SilenceMethod::MuteRule, SilenceMethod::MuteRule) => {
                    "; its mute rule may have been deleted with the old one: silence it again if so"
                        .to_string()
                }
                _ => String::new(),
            };
            return Err(ActionError::SilenceReplaced {
                alarm: alarm.name.clone(),
                by: newer.by,
                until: newer.until.strftime("%Y-%m-%d %H:%M").to_string(),
                restored,
            });
        }
        checked
            .untag(alarm, &keys(&SILENCE_KEYS))
            .await
            .map_err(record_stays)
    }

    async fn find(&self, name: &str) -> Result<Alarm, ActionError> {
        self.reads()
            .alarms
            .alarm(name)
            .await?
            .ok_or_else(|| ActionError::UnknownAlarm(name.to_string()))
    }

    /// The caller's short name, read once.
    async fn who(&self) -> Result<String, ProviderError> {
        self.who
            .get_or_try_init(|| async {
                let identity = self.reads().identity.caller_identity().await?;
                Ok(identity.short_name().to_string())
            })
            .await
            .cloned()
    }

    /// Runs `work` as the only change to `alarm` in flight and appends
    /// what happened to the audit log.
    async fn audited(
        &self,
        what: &str,
        alarm: &str,
        note: &str,
        work: impl Future<Output = ActionResult>,
    ) -> ActionResult {
        let _change = self.locks.acquire(alarm).await;
        self.audited_unlocked(what, alarm, note, work).await
    }

    /// [`AlarmActions::audited`] for a caller that holds the alarm's lock.
    async fn audited_unlocked(
        &self,
        what: &str,
        alarm: &str,
        note: &str,
        work: impl Future<Output = ActionResult>,
    ) -> ActionResult {
        let result = work.await;
        let (outcome, message) = match &result {
            Ok(done) => (AuditResult::Ok, done.clone()),
            Err(e) => (e.audit_result(), e.to_string()),
        };
        let entry = AuditEntry {
            when: self.clock.now(),
            who: self.who().await.unwrap_or_else(|_| "unknown".into()),
            what: what.to_string(),
            alarm: alarm.to_string(),
            env: self.session.env.clone(),
            result: outcome,
            note: note.to_string(),
            message,
        };
        match (self.audit.append(&entry), result) {
            (Ok(()), result) => result,
            (Err(source), Ok(done)) => Err(ActionError::Audit { done, source }),
            (Err(_), Err(e)) => Err(e),
        }
    }
}

/// What one [`AlarmActions::reconcile`] pass did.
#[derive(Debug, Default)]
pub struct Reconciled {
    /// One result per expired silence it tried to end.
    pub ended: Vec<ActionResult>,
    /// Alarms whose silence tags monitui did not write (no method or id):
    /// left alone, actions and tags as they are.
    pub unrecognised: Vec<String>,
}

/// A fresh silence id: the start time and 64 random bits, so two silences
/// (even from two monituis in the same second) never share one.
fn silence_id(now: Timestamp) -> String {
    use std::hash::{BuildHasher, Hasher};
    let random = std::hash::RandomState::new().build_hasher().finish();
    format!("{}-{random:016x}", now.as_second())
}

fn keys(list: &[&str]) -> Vec<String> {
    list.iter().map(|k| k.to_string()).collect()
}

#[cfg(test)]
mod tests;
