//! Reading acks and silences back from the alarms' tags, a bounded number
//! of ListTagsForResource calls at a time.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::events::Annotation;
use crate::model::Alarm;
use crate::model::ack::{Ack, Silence};
use crate::provider::{Provider, ProviderError};

/// How many tag reads run at once.
pub const TAG_READS_AT_ONCE: usize = 8;

/// The annotation of every alarm in `alarms`, by alarm name (alarms with
/// no monitui tags get an empty [`Annotation`]). Fails on the first
/// failed read.
pub async fn read_annotations(
    provider: &Arc<dyn Provider>,
    alarms: &[Alarm],
) -> Result<BTreeMap<String, Annotation>, ProviderError> {
    let permits = Arc::new(Semaphore::new(TAG_READS_AT_ONCE));
    let mut reads = JoinSet::new();
    for alarm in alarms {
        let provider = Arc::clone(provider);
        let permits = Arc::clone(&permits);
        let (name, arn) = (alarm.name.clone(), alarm.arn.clone());
        reads.spawn(async move {
            let _permit = permits.acquire_owned().await;
            provider.tags(&arn).await.map(|tags| {
                let annotation = Annotation {
                    ack: Ack::from_tags(&tags),
                    silence: Silence::from_tags(&tags),
                };
                (name, annotation)
            })
        });
    }
    let mut out = BTreeMap::new();
    while let Some(joined) = reads.join_next().await {
        let (name, annotation) = joined.map_err(|e| ProviderError::Network {
            operation: "ListTagsForResource".into(),
            message: format!("tag read task ended: {e}"),
        })??;
        out.insert(name, annotation);
    }
    Ok(out)
}

/// How often every alarm's tags are read, even those that nothing suggests
/// have changed (a silence set elsewhere on an OK alarm shows up within this).
pub const FULL_SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

/// Tag reads remembered between refreshes, so that a refresh of 500 alarms
/// does not cost 500 ListTagsForResource calls: each refresh reads only the
/// tags that can matter now, and all of them every [`FULL_SWEEP_EVERY`].
#[derive(Debug, Default)]
pub struct AnnotationCache {
    known: BTreeMap<String, Annotation>,
    changed_here: std::collections::BTreeSet<String>,
    last_sweep: Option<jiff::Timestamp>,
}

impl AnnotationCache {
    /// The alarms whose tags to read now, and whether that is a full sweep.
    /// Between sweeps: alarms in ALARM (acks matter there and lapse with
    /// episodes), alarms carrying an ack or silence (it may have been lifted
    /// elsewhere), alarms never read, and alarms this process just changed.
    pub fn due(&self, alarms: &[Alarm], now: jiff::Timestamp) -> (Vec<Alarm>, bool) {
        let sweep = self.last_sweep.is_none_or(|at| {
            now.duration_since(at)
                >= jiff::SignedDuration::try_from(FULL_SWEEP_EVERY).unwrap_or_default()
        });
        let due = alarms
            .iter()
            .filter(|a| {
                sweep
                    || a.state == crate::model::AlarmState::Alarm
                    || self.changed_here.contains(&a.name)
                    || self
                        .known
                        .get(&a.name)
                        .is_none_or(|k| k.ack.is_some() || k.silence.is_some())
            })
            .cloned()
            .collect();
        (due, sweep)
    }

    /// Takes in fresh reads; forgets alarms that no longer exist.
    pub fn update(
        &mut self,
        alarms: &[Alarm],
        read: BTreeMap<String, Annotation>,
        swept: bool,
        now: jiff::Timestamp,
    ) {
        for name in read.keys() {
            self.changed_here.remove(name);
        }
        self.known.extend(read);
        self.known
            .retain(|name, _| alarms.iter().any(|a| &a.name == name));
        if swept {
            self.last_sweep = Some(now);
        }
    }

    /// Marks an alarm this process changed, so its tags are read next time.
    pub fn mark_changed(&mut self, name: &str) {
        self.changed_here.insert(name.to_string());
    }

    /// The latest known annotation of every alarm.
    pub fn current(&self) -> BTreeMap<String, Annotation> {
        self.known.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AlarmKind, AlarmState};

    fn alarm(name: &str, state: AlarmState) -> Alarm {
        Alarm {
            name: name.into(),
            arn: format!("arn:{name}"),
            description: None,
            state,
            reason: String::new(),
            updated_at: jiff::Timestamp::UNIX_EPOCH,
            kind: AlarmKind::Composite {
                rule: "TRUE".into(),
            },
            actions_enabled: true,
            alarm_actions: vec![],
            ok_actions: vec![],
            insufficient_data_actions: vec![],
        }
    }

    fn names(due: &[Alarm]) -> Vec<&str> {
        due.iter().map(|a| a.name.as_str()).collect()
    }

    #[test]
    fn reads_all_then_only_what_matters_then_all_again() {
        let t0: jiff::Timestamp = "2026-01-16T03:00:00Z".parse().unwrap();
        let alarms = vec![
            alarm("firing", AlarmState::Alarm),
            alarm("quiet", AlarmState::Ok),
            alarm("silenced", AlarmState::Ok),
        ];
        let mut cache = AnnotationCache::default();
        let (due, sweep) = cache.due(&alarms, t0);
        assert!(sweep);
        assert_eq!(names(&due), ["firing", "quiet", "silenced"]);
        let silence = crate::model::ack::Silence {
            until: t0,
            by: "bob".into(),
            note: "maint".into(),
            method: crate::model::ack::SilenceMethod::ActionsDisabled,
        };
        let mut read: BTreeMap<String, Annotation> = names(&due)
            .into_iter()
            .map(|n| (n.to_string(), Annotation::default()))
            .collect();
        read.get_mut("silenced").unwrap().silence = Some(silence);
        cache.update(&alarms, read, sweep, t0);

        let t1 = t0 + jiff::SignedDuration::from_secs(15);
        let (due, sweep) = cache.due(&alarms, t1);
        assert!(!sweep);
        assert_eq!(names(&due), ["firing", "silenced"]);

        cache.mark_changed("quiet");
        let (due, _) = cache.due(&alarms, t1);
        assert_eq!(names(&due), ["firing", "quiet", "silenced"]);

        let later = t0 + jiff::SignedDuration::try_from(FULL_SWEEP_EVERY).unwrap();
        let (due, sweep) = cache.due(&alarms, later);
        assert!(sweep);
        assert_eq!(due.len(), 3);
    }

    #[test]
    fn deleted_alarms_are_forgotten() {
        let t0: jiff::Timestamp = "2026-01-16T03:00:00Z".parse().unwrap();
        let mut cache = AnnotationCache::default();
        let both = vec![alarm("a", AlarmState::Ok), alarm("b", AlarmState::Ok)];
        let read = [("a", Annotation::default()), ("b", Annotation::default())]
            .into_iter()
            .map(|(n, a)| (n.to_string(), a))
            .collect();
        cache.update(&both, read, true, t0);
        cache.update(&both[..1], BTreeMap::new(), false, t0);
        assert_eq!(cache.current().keys().collect::<Vec<_>>(), ["a"]);
    }
}
