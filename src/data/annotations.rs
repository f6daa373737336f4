//! Reading acks and silences back from the alarms' tags, a bounded number
//! of ListTagsForResource calls at a time.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{Notify, Semaphore};
use tokio::task::JoinSet;

use crate::model::Alarm;
use crate::model::ack::{Ack, Silence, SilenceRecord};
use crate::model::mute::rule_name;
use crate::provider::{AlarmsRead, ProviderError, Reads};

/// The ack and silence currently recorded on an alarm.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Annotation {
    /// Ack of some episode (check [`Ack::covers`] before showing it as live).
    pub ack: Option<Ack>,
    /// Silence record, possibly expired (overdue) until reconciled, or
    /// silence tags monitui does not recognise as its own.
    pub silence: Option<SilenceRecord>,
}

impl Annotation {
    /// The ack if it covers the alarm's current episode (acks lapse when
    /// the alarm leaves ALARM or a new episode starts).
    pub fn live_ack(&self, alarm: &Alarm) -> Option<&Ack> {
        self.ack.as_ref().filter(|ack| ack.covers(alarm))
    }

    /// The silence, if monitui recorded it (the only kind it ever ends).
    pub fn own_silence(&self) -> Option<&Silence> {
        self.silence.as_ref().and_then(SilenceRecord::own)
    }
}

/// How many tag reads run at once.
pub const TAG_READS_AT_ONCE: usize = 8;

/// The annotation of every alarm in `alarms`, by alarm name (alarms with
/// no monitui tags get an empty [`Annotation`]). Fails on the first
/// failed read.
pub async fn read_annotations(
    reads: &Reads,
    alarms: &[Alarm],
) -> Result<BTreeMap<String, Annotation>, ProviderError> {
    let tags = TagReads::new(reads);
    for alarm in alarms {
        tags.start(alarm);
    }
    tags.finish().await
}

/// Tag reads started one alarm at a time, as the alarms become known (a
/// page of the listing, the alarms in ALARM), at most
/// [`TAG_READS_AT_ONCE`] at once and at most once per alarm, whose
/// results can be waited for in part ([`TagReads::wait_for`]) or whole
/// ([`TagReads::finish`]).
#[derive(Debug)]
pub struct TagReads {
    alarms: Arc<dyn AlarmsRead>,
    permits: Arc<Semaphore>,
    shared: Arc<TagState>,
    tasks: Mutex<JoinSet<()>>,
}

/// What the read tasks and their waiters share.
#[derive(Debug, Default)]
struct TagState {
    progress: Mutex<TagProgress>,
    /// Woken at every finished read.
    read_done: Notify,
}

/// The reads asked for and their results so far.
#[derive(Debug, Default)]
struct TagProgress {
    started: HashSet<String>,
    done: BTreeMap<String, Annotation>,
    /// The first failed read.
    failed: Option<ProviderError>,
}

impl TagReads {
    /// No reads yet, against `reads`' alarms service.
    pub fn new(reads: &Reads) -> Self {
        Self {
            alarms: Arc::clone(&reads.alarms),
            permits: Arc::new(Semaphore::new(TAG_READS_AT_ONCE)),
            shared: Arc::default(),
            tasks: Mutex::default(),
        }
    }

    /// Starts reading `alarm`'s tags, unless that was already started.
    /// Needs a Tokio runtime.
    pub fn start(&self, alarm: &Alarm) {
        if !lock(&self.shared.progress)
            .started
            .insert(alarm.name.clone())
        {
            return;
        }
        let (alarms, permits) = (Arc::clone(&self.alarms), Arc::clone(&self.permits));
        let shared = Arc::clone(&self.shared);
        let (name, arn) = (alarm.name.clone(), alarm.arn.clone());
        lock(&self.tasks).spawn(async move {
            let read = {
                let _permit = permits.acquire_owned().await;
                alarms.tags(&arn).await
            };
            let mut progress = lock(&shared.progress);
            match read {
                Ok(tags) => {
                    let annotation = Annotation {
                        ack: Ack::from_tags(&tags),
                        silence: SilenceRecord::from_tags(&tags),
                    };
                    progress.done.insert(name, annotation);
                }
                Err(e) => {
                    progress.failed.get_or_insert(e);
                }
            }
            drop(progress);
            shared.read_done.notify_waiters();
        });
    }

    /// The annotations of `names` (whose reads must have been started),
    /// once all of them are read; the first failed read, if any failed.
    pub async fn wait_for(
        &self,
        names: &[&str],
    ) -> Result<BTreeMap<String, Annotation>, ProviderError> {
        loop {
            let woken = self.shared.read_done.notified();
            tokio::pin!(woken);
            woken.as_mut().enable();
            {
                let progress = lock(&self.shared.progress);
                if let Some(e) = &progress.failed {
                    return Err(e.clone());
                }
                if names.iter().all(|n| progress.done.contains_key(*n)) {
                    return Ok(names
                        .iter()
                        .filter_map(|n| Some((n.to_string(), progress.done.get(*n)?.clone())))
                        .collect());
                }
            }
            woken.await;
        }
    }

    /// Every annotation read, once every started read has ended; the first
    /// failed read, if any failed.
    pub async fn finish(self) -> Result<BTreeMap<String, Annotation>, ProviderError> {
        let mut tasks = std::mem::take(&mut *lock(&self.tasks));
        while let Some(joined) = tasks.join_next().await {
            joined.map_err(|e| ProviderError::Network {
                operation: "ListTagsForResource".into(),
                message: format!("tag read task ended: {e}"),
            })?;
        }
        let progress = std::mem::take(&mut *lock(&self.shared.progress));
        match progress.failed {
            Some(e) => Err(e),
            None => Ok(progress.done),
        }
    }
}

/// A lock that a panicked holder left poisoned still holds usable data.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether an alarm's tags can hold an ack or silence that counts now: an
/// ack counts only while the alarm is in ALARM, and a silence either turned
/// the alarm's actions off (DescribeAlarms shows it) or is a mute rule in
/// force (`muted`, from one ListAlarmMuteRules listing; `None` where the
/// service has none). So only these alarms need a tag read, not every
/// alarm of the account.
pub fn needs_tags(alarm: &Alarm, muted: Option<&HashSet<String>>) -> bool {
    alarm.state == crate::model::AlarmState::Alarm
        || !alarm.actions_enabled
        || muted.is_some_and(|rules| rules.contains(&rule_name(&alarm.name)))
}

/// The annotations of `alarms`: tags read only where [`needs_tags`] says
/// they can matter, an empty [`Annotation`] for the rest.
pub async fn annotations_of(
    reads: &Reads,
    alarms: &[Alarm],
) -> Result<BTreeMap<String, Annotation>, ProviderError> {
    let muted = reads.alarms.active_mute_rules().await?;
    let due: Vec<Alarm> = alarms
        .iter()
        .filter(|a| needs_tags(a, muted.as_ref()))
        .cloned()
        .collect();
    let mut read = read_annotations(reads, &due).await?;
    Ok(alarms
        .iter()
        .map(|a| (a.name.clone(), read.remove(&a.name).unwrap_or_default()))
        .collect())
}

/// Tag reads remembered between refreshes. Each refresh reads the tags of
/// the alarms where [`needs_tags`] says they can matter, and of alarms this
/// process just changed; the rest keep no annotation.
#[derive(Debug, Default)]
pub struct AnnotationCache {
    known: BTreeMap<String, Annotation>,
    /// Alarms this process changed, with the latest change's sequence number.
    changed_here: HashMap<String, u64>,
    /// Of those, the ones whose tags no read has seen since the change.
    unread_changes: HashSet<String>,
    /// Sequence number of the latest change made here.
    changes: u64,
}

/// One planned tag read: which alarms, and which changes made here it can
/// already see.
#[derive(Debug)]
pub struct DueRead {
    /// The alarms whose tags to read.
    pub alarms: Vec<Alarm>,
    /// Changes made here up to this number happened before the read began.
    seen_changes: u64,
}

impl AnnotationCache {
    /// The alarms whose tags to read now: those [`needs_tags`] picks (with
    /// the mute rules in force, if the service has them) and those this
    /// process changed since their last read.
    pub fn due(&self, alarms: &[Alarm], muted: Option<&HashSet<String>>) -> DueRead {
        let alarms = alarms
            .iter()
            .filter(|a| needs_tags(a, muted) || self.unread_changes.contains(&a.name))
            .cloned()
            .collect();
        DueRead {
            alarms,
            seen_changes: self.changes,
        }
    }

    /// Takes in the result of `due`: alarms it did not read lose their
    /// annotation (it cannot count now), alarms that no longer exist are
    /// forgotten. A read that began before a change made here is not taken
    /// for that alarm (it may predate the change), so the change stays
    /// visible and its tags are read again next time.
    pub fn update(&mut self, read: BTreeMap<String, Annotation>, due: &DueRead) {
        let mut fresh = BTreeMap::new();
        for alarm in &due.alarms {
            let name = &alarm.name;
            let stale = self
                .changed_here
                .get(name)
                .is_some_and(|&change| change > due.seen_changes);
            let annotation = match (stale, read.get(name)) {
                (false, Some(annotation)) => {
                    self.unread_changes.remove(name);
                    annotation.clone()
                }
                _ => self.known.get(name).cloned().unwrap_or_default(),
            };
            fresh.insert(name.clone(), annotation);
        }
        self.known = fresh;
    }

    /// Marks an alarm this process changed, so its tags are read next time
    /// by a read that begins after the change.
    pub fn mark_changed(&mut self, name: &str) {
        self.changes += 1;
        self.changed_here.insert(name.to_string(), self.changes);
        self.unread_changes.insert(name.to_string());
    }

    /// The latest annotation of every alarm that has one that can count.
    pub fn current(&self) -> BTreeMap<String, Annotation> {
        self.known.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::test_support::test_alarm as alarm;
    use crate::model::AlarmState;

    fn names(due: &[Alarm]) -> Vec<&str> {
        due.iter().map(|a| a.name.as_str()).collect()
    }

    fn read_as(names: &[&str], annotation: &Annotation) -> BTreeMap<String, Annotation> {
        names
            .iter()
            .map(|n| (n.to_string(), annotation.clone()))
            .collect()
    }

    fn silenced() -> Annotation {
        Annotation {
            ack: None,
            silence: Some(crate::model::ack::SilenceRecord::Own(
                crate::model::ack::Silence {
                    until: jiff::Timestamp::UNIX_EPOCH,
                    by: "me".into(),
                    note: "n".into(),
                    method: crate::model::ack::SilenceMethod::ActionsDisabled,
                    id: "s-1".into(),
                },
            )),
        }
    }

    #[test]
    fn only_alarms_in_alarm_with_actions_off_or_muted_need_their_tags() {
        let mut off = alarm("actions-off", AlarmState::Ok);
        off.actions_enabled = false;
        let alarms = vec![
            alarm("firing", AlarmState::Alarm),
            alarm("quiet", AlarmState::Ok),
            off,
            alarm("muted", AlarmState::Ok),
        ];
        let cache = AnnotationCache::default();
        let no_rules = cache.due(&alarms, None);
        assert_eq!(names(&no_rules.alarms), ["firing", "actions-off"]);
        let rules = HashSet::from([rule_name("muted")]);
        let with_rules = cache.due(&alarms, Some(&rules));
        assert_eq!(
            names(&with_rules.alarms),
            ["firing", "actions-off", "muted"]
        );
    }

    #[test]
    fn a_change_here_is_read_once_then_alarms_that_cannot_count_are_dropped() {
        let alarms = vec![alarm("quiet", AlarmState::Ok)];
        let mut cache = AnnotationCache::default();
        assert!(cache.due(&alarms, None).alarms.is_empty());
        cache.mark_changed("quiet");
        let read = cache.due(&alarms, None);
        assert_eq!(names(&read.alarms), ["quiet"]);
        cache.update(read_as(&["quiet"], &silenced()), &read);
        assert_eq!(cache.current()["quiet"], silenced());
        let next = cache.due(&alarms, None);
        assert!(next.alarms.is_empty(), "the mark was cleared");
        cache.update(BTreeMap::new(), &next);
        assert!(
            cache.current().is_empty(),
            "an OK alarm with actions on has nothing that counts"
        );
    }

    #[test]
    fn a_read_that_began_before_a_change_here_does_not_hide_it() {
        let alarms = vec![alarm("firing", AlarmState::Alarm)];
        let mut cache = AnnotationCache::default();
        let first = cache.due(&alarms, None);
        cache.update(read_as(&["firing"], &Annotation::default()), &first);

        let stale_read = cache.due(&alarms, None);
        cache.mark_changed("firing");
        let fresh_read = cache.due(&alarms, None);
        cache.update(read_as(&["firing"], &silenced()), &fresh_read);
        cache.update(read_as(&["firing"], &Annotation::default()), &stale_read);
        assert_eq!(
            cache.current()["firing"],
            silenced(),
            "the stale read was ignored"
        );

        let later = cache.due(&alarms, None);
        cache.update(read_as(&["firing"], &Annotation::default()), &later);
        assert_eq!(cache.current()["firing"], Annotation::default());
    }
}
