use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;

use super::*;
use crate::data::audit::AuditLog;
use crate::data::incident::Relations;
use crate::data::trail_search::{LiveOptions, LiveTrailSearch};
use crate::model::ack::{Ack, Silence, SilenceMethod};
use crate::model::{Clock, HistoryItem, ManualClock};
use crate::provider::sim::SimProvider;
use crate::provider::{Account, AlarmsRead, ProviderResult};

const LAMBDA: &str = "ecommerce-ai-platform-lambda-errors";

/// Alarm reads passed on to the demo account, counting the history reads.
#[derive(Debug)]
struct Counted {
    inner: Arc<dyn AlarmsRead>,
    per_alarm: AtomicUsize,
    batched: AtomicUsize,
}

#[async_trait]
impl AlarmsRead for Counted {
    async fn list_alarms(&self) -> ProviderResult<Vec<Alarm>> {
        self.inner.list_alarms().await
    }
    async fn alarm_history(
        &self,
        name: &str,
        range: TimeRange,
        limit: usize,
    ) -> ProviderResult<Vec<HistoryItem>> {
        self.per_alarm.fetch_add(1, Ordering::SeqCst);
        self.inner.alarm_history(name, range, limit).await
    }
    async fn state_changes(
        &self,
        range: TimeRange,
        limit: usize,
    ) -> ProviderResult<Vec<HistoryItem>> {
        self.batched.fetch_add(1, Ordering::SeqCst);
        self.inner.state_changes(range, limit).await
    }
    async fn tags(&self, arn: &str) -> ProviderResult<BTreeMap<String, String>> {
        self.inner.tags(arn).await
    }
    async fn active_mute_rules(&self) -> ProviderResult<Option<std::collections::HashSet<String>>> {
        self.inner.active_mute_rules().await
    }
}

#[tokio::test]
async fn a_shift_of_the_demo_account_hands_over_its_episodes_acks_silences_and_writes() {
    let clock = Arc::new(ManualClock::new("2026-11-27T13:00:00Z".parse().unwrap()));
    let sim = Arc::new(SimProvider::new(3, clock.clone(), "ecommerce-ai-platform"));
    let account = Account::of(sim);
    let mut lambda = None;
    for _ in 0..90 {
        let alarm = account.reads.alarms.alarm(LAMBDA).await.unwrap().unwrap();
        if alarm.state == AlarmState::Alarm {
            lambda = Some(alarm);
            break;
        }
        clock.advance(SignedDuration::from_mins(1));
    }
    let lambda = lambda.expect("the Lambda alarm goes into ALARM in the demo");
    let now = clock.now();
    let ack = Ack {
        by: "alice".into(),
        at: now,
        episode: lambda.transitioned_at,
        note: "deploy rolled back".into(),
    };
    let silence = Silence {
        until: now.checked_add(SignedDuration::from_mins(40)).unwrap(),
        by: "bob".into(),
        note: "known noisy".into(),
        method: SilenceMethod::ActionsAlreadyOff,
        id: "s-1".into(),
    };
    let mut tags = ack.to_tags();
    tags.extend(silence.to_tags());
    account
        .writes
        .alarms
        .tag_resource(&lambda.arn, &tags)
        .await
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::at(dir.path().join("audit.jsonl"));
    audit
        .append(&AuditEntry {
            when: now.checked_sub(SignedDuration::from_hours(2)).unwrap(),
            who: "carol".into(),
            what: "unsilence".into(),
            alarm: "ecommerce-ai-platform-dlq".into(),
            env: "demo".into(),
            result: AuditResult::Ok,
            note: String::new(),
            message: "silence ended".into(),
        })
        .unwrap();
    let counted = Arc::new(Counted {
        inner: Arc::clone(&account.reads.alarms),
        per_alarm: AtomicUsize::new(0),
        batched: AtomicUsize::new(0),
    });
    let mut reads = account.reads.clone();
    reads.alarms = counted.clone();
    let mut sources = Sources::new(reads, Some(audit), Relations::default());
    sources.trail = Arc::new(LiveTrailSearch::new(
        Arc::clone(&sources.reads.trail),
        LiveOptions {
            interval: std::time::Duration::ZERO,
            ..LiveOptions::default()
        },
    ));
    let window = TimeRange {
        start: now.checked_sub(SignedDuration::from_hours(12)).unwrap(),
        end: now,
    };
    let handoff = gather(&sources, "demo", window, now).await.unwrap();

    assert!(handoff.failed.is_empty(), "{:?}", handoff.failed);
    assert_eq!(
        (
            counted.batched.load(Ordering::SeqCst),
            counted.per_alarm.load(Ordering::SeqCst)
        ),
        (1, 0),
        "one account-wide history listing, none per alarm"
    );
    let episode = handoff
        .episodes
        .iter()
        .filter(|e| e.alarm == LAMBDA)
        .max_by_key(|e| e.start)
        .expect("the Lambda episode under way");
    assert_eq!(episode.end, None, "{episode:?}");
    assert!(episode.start <= lambda.transitioned_at, "{episode:?}");
    assert!(
        episode.flaps > 0 || episode.start == lambda.transitioned_at,
        "{episode:?}"
    );
    let still: Vec<_> = handoff
        .still_in_alarm
        .iter()
        .map(|s| (s.alarm.as_str(), s.acked_by.as_deref()))
        .collect();
    assert!(still.contains(&(LAMBDA, Some("alice"))), "{still:?}");
    assert_eq!(handoff.acks.len(), 1);
    assert_eq!(
        (handoff.acks[0].by.as_str(), handoff.acks[0].note.as_str()),
        ("alice", "deploy rolled back")
    );
    assert_eq!(
        handoff
            .silences
            .iter()
            .map(|s| s.by.as_str())
            .collect::<Vec<_>>(),
        ["bob"]
    );
    let ending: Vec<_> = handoff
        .silences_ending
        .iter()
        .map(|s| (s.alarm.as_str(), s.until.is_some(), s.ended_at.is_some()))
        .collect();
    assert_eq!(
        ending,
        [
            ("ecommerce-ai-platform-dlq", false, true),
            (LAMBDA, true, false)
        ]
    );
    assert!(
        !handoff.trail_writes.is_empty(),
        "the demo's deploy during the incident"
    );
    assert!(
        handoff.trail_writes.iter().all(|w| !w.during.is_empty()),
        "only writes made while an episode was firing"
    );
}
