//! Every change monitui makes (an alarm action's writes through
//! [`Checked`], each provisioning step) goes through [`settle`]: the SDK
//! clients that change things do not retry (`provider/aws/client.rs`), so
//! retrying is decided here. A throttled change did not happen and is
//! tried again after a pause. A change whose answer never came (a timeout,
//! a dropped connection, a 5xx) may have happened: what it changes is
//! re-read first, and the change is tried again only if it is not in
//! effect, so it is never made twice and never reported as failed when it
//! took effect.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use crate::model::mute::MuteRule;
use crate::model::{Alarm, AlarmState};
use crate::provider::{ProviderError, ProviderResult, Reads, Writes};

/// Tries a change makes at most.
const ATTEMPTS: u32 = 3;

/// Pause after a throttled change; doubled each time.
const THROTTLE_PAUSE: Duration = Duration::from_millis(500);

/// How a change that succeeded came to be known as done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// The service answered that it was made.
    Made,
    /// Its answer never came; a re-read found it in effect.
    FoundInEffect,
}

/// [`settle`] for callers that need not know how the change was settled.
pub async fn change<C, CF, R, RF>(change: C, in_effect: R) -> ProviderResult<()>
where
    C: FnMut() -> CF,
    CF: Future<Output = ProviderResult<()>>,
    R: FnMut() -> RF,
    RF: Future<Output = ProviderResult<bool>>,
{
    settle(change, in_effect).await.map(drop)
}

/// Runs `change` until it succeeds, giving up after `ATTEMPTS` tries; an
/// unknown outcome is settled by `in_effect` before another try. If the
/// re-read itself fails, the change's own error is returned.
pub async fn settle<C, CF, R, RF>(mut change: C, mut in_effect: R) -> ProviderResult<Settled>
where
    C: FnMut() -> CF,
    CF: Future<Output = ProviderResult<()>>,
    R: FnMut() -> RF,
    RF: Future<Output = ProviderResult<bool>>,
{
    let mut attempt = 1;
    loop {
        let error = match change().await {
            Ok(()) => return Ok(Settled::Made),
            Err(e) => e,
        };
        if attempt >= ATTEMPTS {
            return Err(error);
        }
        match &error {
            ProviderError::Throttled { .. } => {
                tokio::time::sleep(THROTTLE_PAUSE * 2u32.pow(attempt - 1)).await;
            }
            e if e.outcome_unknown() => match in_effect().await {
                Ok(true) => {
                    tracing::info!("{error}; re-read: the change took effect");
                    return Ok(Settled::FoundInEffect);
                }
                Ok(false) => tracing::info!("{error}; re-read: not in effect, trying again"),
                Err(_) => return Err(error),
            },
            _ => return Err(error),
        }
        attempt += 1;
    }
}

/// The alarm writes of one action, each settled by a re-read (see the
/// module documentation).
pub struct Checked<'a> {
    /// Where re-reads go.
    pub reads: &'a Reads,
    /// Where changes go.
    pub writes: &'a Writes,
}

impl Checked<'_> {
    /// Adds (or overwrites) `tags` on `alarm`.
    pub async fn tag(&self, alarm: &Alarm, tags: &BTreeMap<String, String>) -> ProviderResult<()> {
        change(
            || self.writes.alarms.tag_resource(&alarm.arn, tags),
            || async {
                let now = self.reads.alarms.tags(&alarm.arn).await?;
                Ok(tags.iter().all(|(k, v)| now.get(k) == Some(v)))
            },
        )
        .await
    }

    /// Removes the tags `keys` from `alarm`.
    pub async fn untag(&self, alarm: &Alarm, keys: &[String]) -> ProviderResult<()> {
        change(
            || self.writes.alarms.untag_resource(&alarm.arn, keys),
            || async {
                let now = self.reads.alarms.tags(&alarm.arn).await?;
                Ok(keys.iter().all(|k| !now.contains_key(k)))
            },
        )
        .await
    }

    /// Turns `alarm`'s actions on or off.
    pub async fn set_actions(&self, alarm: &Alarm, enabled: bool) -> ProviderResult<()> {
        let names = std::slice::from_ref(&alarm.name);
        change(
            || self.writes.alarms.set_alarm_actions_enabled(names, enabled),
            || async {
                let now = self.reads.alarms.alarm(&alarm.name).await?;
                Ok(now.is_some_and(|a| a.actions_enabled == enabled))
            },
        )
        .await
    }

    /// Sets `alarm`'s state with `reason` (a test).
    pub async fn set_state(
        &self,
        alarm: &Alarm,
        state: AlarmState,
        reason: &str,
    ) -> ProviderResult<()> {
        change(
            || {
                self.writes
                    .alarms
                    .set_alarm_state(&alarm.name, state, reason)
            },
            || async {
                let now = self.reads.alarms.alarm(&alarm.name).await?;
                Ok(now.is_some_and(|a| a.state == state && a.reason == reason))
            },
        )
        .await
    }

    /// Creates or replaces the mute rule `rule`.
    pub async fn put_mute_rule(&self, rule: &MuteRule) -> ProviderResult<()> {
        change(
            || self.writes.alarms.put_mute_rule(rule),
            || async { Ok(self.mute_rule_active(&rule.name).await? == Some(true)) },
        )
        .await
    }

    /// Deletes the mute rule named `name`.
    pub async fn delete_mute_rule(&self, name: &str) -> ProviderResult<()> {
        change(
            || self.writes.alarms.delete_mute_rule(name),
            || async { Ok(self.mute_rule_active(name).await? == Some(false)) },
        )
        .await
    }

    /// Whether the mute rule `name` is active; `None` where the service
    /// has no mute rules.
    async fn mute_rule_active(&self, name: &str) -> ProviderResult<Option<bool>> {
        Ok(self
            .reads
            .alarms
            .active_mute_rules()
            .await?
            .map(|names| names.contains(name)))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    fn network() -> ProviderError {
        ProviderError::Network {
            operation: "TagResource".into(),
            message: "timed out".into(),
        }
    }

    /// Runs [`settle`] with writes answering `answers` in turn and a
    /// re-read answering `effect`; returns the result and how many writes
    /// and re-reads were made.
    async fn run(
        answers: Vec<ProviderResult<()>>,
        effect: ProviderResult<bool>,
    ) -> (ProviderResult<Settled>, u32, u32) {
        let writes = AtomicU32::new(0);
        let reads = AtomicU32::new(0);
        let result = settle(
            || {
                let n = writes.fetch_add(1, Ordering::SeqCst) as usize;
                let answer = answers[n.min(answers.len() - 1)].clone();
                async move { answer }
            },
            || {
                reads.fetch_add(1, Ordering::SeqCst);
                let effect = effect.clone();
                async move { effect }
            },
        )
        .await;
        (result, writes.into_inner(), reads.into_inner())
    }

    #[tokio::test]
    async fn a_timed_out_change_that_took_effect_is_not_made_again() {
        let (result, writes, reads) = run(vec![Err(network())], Ok(true)).await;
        assert_eq!(result, Ok(Settled::FoundInEffect));
        assert_eq!((writes, reads), (1, 1));
    }

    #[tokio::test]
    async fn a_timed_out_change_that_did_not_take_effect_is_tried_again() {
        let (result, writes, reads) = run(vec![Err(network()), Ok(())], Ok(false)).await;
        assert_eq!(result, Ok(Settled::Made));
        assert_eq!((writes, reads), (2, 1));
    }

    #[tokio::test]
    async fn when_the_re_read_fails_the_change_s_error_is_reported() {
        let (result, writes, _) = run(
            vec![Err(network()), Ok(())],
            Err(ProviderError::NotFound("alarm".into())),
        )
        .await;
        assert_eq!(result, Err(network()));
        assert_eq!(writes, 1, "not tried blindly");
    }

    #[tokio::test]
    async fn a_throttled_change_is_tried_again_without_a_re_read() {
        let throttled = ProviderError::Throttled {
            operation: "TagResource".into(),
            message: "Rate exceeded".into(),
        };
        let (result, writes, reads) = run(vec![Err(throttled.clone()), Ok(())], Ok(false)).await;
        assert_eq!(result, Ok(Settled::Made));
        assert_eq!((writes, reads), (2, 0));
        let (result, writes, _) = run(vec![Err(throttled.clone())], Ok(false)).await;
        assert_eq!(result, Err(throttled), "gives up after {ATTEMPTS} tries");
        assert_eq!(writes, ATTEMPTS);
    }

    #[tokio::test]
    async fn a_refused_change_is_not_tried_again() {
        let denied = ProviderError::Service {
            operation: "TagResource".into(),
            code: "AccessDenied".into(),
            message: "no".into(),
            retryable: false,
        };
        let (result, writes, reads) = run(vec![Err(denied.clone()), Ok(())], Ok(true)).await;
        assert_eq!(result, Err(denied));
        assert_eq!((writes, reads), (1, 0));
    }
}
