//! Reading acks and silences back from the alarms' tags, a bounded number
//! of ListTagsForResource calls at a time.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::events::Annotation;
use crate::model::Alarm;
use crate::model::ack::{Ack, Silence};
use crate::provider::{ProviderError, Reads};

/// How many tag reads run at once.
pub const TAG_READS_AT_ONCE: usize = 8;

/// The annotation of every alarm in `alarms`, by alarm name (alarms with
/// no monitui tags get an empty [`Annotation`]). Fails on the first
/// failed read.
pub async fn read_annotations(
    reads: &Reads,
    alarms: &[Alarm],
) -> Result<BTreeMap<String, Annotation>, ProviderError> {
    let permits = Arc::new(Semaphore::new(TAG_READS_AT_ONCE));
    let mut tag_reads = JoinSet::new();
    for alarm in alarms {
        let alarms_read = Arc::clone(&reads.alarms);
        let permits = Arc::clone(&permits);
        let (name, arn) = (alarm.name.clone(), alarm.arn.clone());
        tag_reads.spawn(async move {
            let _permit = permits.acquire_owned().await;
            alarms_read.tags(&arn).await.map(|tags| {
                let annotation = Annotation {
                    ack: Ack::from_tags(&tags),
                    silence: Silence::from_tags(&tags),
                };
                (name, annotation)
            })
        });
    }
    let mut out = BTreeMap::new();
    while let Some(joined) = tag_reads.join_next().await {
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
    /// Alarms this process changed, with the latest change's sequence number.
    changed_here: HashMap<String, u64>,
    /// Of those, the ones whose tags no read has seen since the change.
    unread_changes: HashSet<String>,
    /// Sequence number of the latest change made here.
    changes: u64,
    last_sweep: Option<jiff::Timestamp>,
}

/// One planned tag read: which alarms, whether it is a full sweep, and
/// which changes made here it can already see.
#[derive(Debug)]
pub struct DueRead {
    /// The alarms whose tags to read.
    pub alarms: Vec<Alarm>,
    /// Whether every alarm is read.
    pub sweep: bool,
    /// Changes made here up to this number happened before the read began.
    seen_changes: u64,
}

impl AnnotationCache {
    /// The alarms whose tags to read now, and whether that is a full sweep.
    /// Between sweeps: alarms in ALARM (acks matter there and lapse with
    /// episodes), alarms carrying an ack or silence (it may have been lifted
    /// elsewhere), alarms never read, and alarms this process just changed.
    pub fn due(&self, alarms: &[Alarm], now: jiff::Timestamp) -> DueRead {
        let sweep = self.last_sweep.is_none_or(|at| {
            now.duration_since(at)
                >= jiff::SignedDuration::try_from(FULL_SWEEP_EVERY).unwrap_or_default()
        });
        let alarms = alarms
            .iter()
            .filter(|a| {
                sweep
                    || a.state == crate::model::AlarmState::Alarm
                    || self.unread_changes.contains(&a.name)
                    || self
                        .known
                        .get(&a.name)
                        .is_none_or(|k| k.ack.is_some() || k.silence.is_some())
            })
            .cloned()
            .collect();
        DueRead {
            alarms,
            sweep,
            seen_changes: self.changes,
        }
    }

    /// Takes in the result of `due`; forgets alarms that no longer exist.
    /// A read that began before a change made here is not taken for that
    /// alarm (it may predate the change), so the change stays visible and
    /// its tags are read again next time.
    pub fn update(
        &mut self,
        alarms: &[Alarm],
        read: BTreeMap<String, Annotation>,
        due: &DueRead,
        now: jiff::Timestamp,
    ) {
        for (name, annotation) in read {
            if self
                .changed_here
                .get(&name)
                .is_some_and(|&change| change > due.seen_changes)
            {
                continue;
            }
            self.unread_changes.remove(&name);
            self.known.insert(name, annotation);
        }
        let exists: HashSet<&str> = alarms.iter().map(|a| a.name.as_str()).collect();
        self.known.retain(|name, _| exists.contains(name.as_str()));
        if due.sweep {
            self.last_sweep = Some(now);
        }
    }

    /// Marks an alarm this process changed, so its tags are read next time
    /// by a read that begins after the change.
    pub fn mark_changed(&mut self, name: &str) {
        self.changes += 1;
        self.changed_here.insert(name.to_string(), self.changes);
        self.unread_changes.insert(name.to_string());
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
        let due = cache.due(&alarms, t0);
        assert!(due.sweep);
        assert_eq!(names(&due.alarms), ["firing", "quiet", "silenced"]);
        let silence = crate::model::ack::Silence {
            until: t0,
            by: "bob".into(),
            note: "maint".into(),
            method: crate::model::ack::SilenceMethod::ActionsDisabled,
        };
        let mut read: BTreeMap<String, Annotation> = names(&due.alarms)
            .into_iter()
            .map(|n| (n.to_string(), Annotation::default()))
            .collect();
        read.get_mut("silenced").unwrap().silence = Some(silence);
        cache.update(&alarms, read, &due, t0);

        let t1 = t0 + jiff::SignedDuration::from_secs(15);
        let due = cache.due(&alarms, t1);
        assert!(!due.sweep);
        assert_eq!(names(&due.alarms), ["firing", "silenced"]);

        cache.mark_changed("quiet");
        let due = cache.due(&alarms, t1);
        assert_eq!(names(&due.alarms), ["firing", "quiet", "silenced"]);

        let later = t0 + jiff::SignedDuration::try_from(FULL_SWEEP_EVERY).unwrap();
        let due = cache.due(&alarms, later);
        assert!(due.sweep);
        assert_eq!(due.alarms.len(), 3);
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
        let sweep = cache.due(&both, t0);
        cache.update(&both, read, &sweep, t0);
        let partial = cache.due(&both, t0);
        cache.update(&both[..1], BTreeMap::new(), &partial, t0);
        assert_eq!(cache.current().keys().collect::<Vec<_>>(), ["a"]);
    }

    #[test]
    fn a_read_that_began_before_a_change_here_does_not_hide_it() {
        let t0: jiff::Timestamp = "2026-01-16T03:00:00Z".parse().unwrap();
        let alarms = vec![alarm("quiet", AlarmState::Ok)];
        let mut cache = AnnotationCache::default();
        let first = cache.due(&alarms, t0);
        cache.update(
            &alarms,
            [("quiet".to_string(), Annotation::default())].into(),
            &first,
            t0,
        );

        let silenced = Annotation {
            ack: None,
            silence: Some(crate::model::ack::Silence {
                until: t0,
                by: "me".into(),
                note: "n".into(),
                method: crate::model::ack::SilenceMethod::ActionsDisabled,
            }),
        };
        let stale_read = cache.due(&alarms, t0);
        cache.mark_changed("quiet");
        let fresh_read = cache.due(&alarms, t0);
        cache.update(
            &alarms,
            [("quiet".to_string(), silenced.clone())].into(),
            &fresh_read,
            t0,
        );
        cache.update(
            &alarms,
            [("quiet".to_string(), Annotation::default())].into(),
            &stale_read,
            t0,
        );
        assert_eq!(
            cache.current()["quiet"],
            silenced,
            "the stale read was ignored"
        );

        cache.mark_changed("quiet");
        let late_read = cache.due(&alarms, t0);
        assert_eq!(names(&late_read.alarms), ["quiet"]);
        cache.update(
            &alarms,
            [("quiet".to_string(), Annotation::default())].into(),
            &late_read,
            t0,
        );
        assert_eq!(cache.current()["quiet"], Annotation::default());
        assert!(
            names(&cache.due(&alarms, t0).alarms).is_empty(),
            "the mark was cleared"
        );
    }
}
