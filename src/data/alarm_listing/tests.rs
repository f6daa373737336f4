//! ALARM first against an account whose every request takes a while: the
//! alarms in ALARM arrive after one round trip, tag reads start with the
//! pages, and no alarm's tags are read twice.

use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;

use super::*;
use crate::data::test_support::test_alarm;
use crate::model::{AlarmState, HistoryItem, TimeRange};
use crate::provider::Account;
use crate::provider::sim::SimProvider;

/// Alarms served ten a page, every request taking `latency` (the ALARM
/// request `firing_latency`), with a log of what happened in order.
#[derive(Debug)]
struct SlowAlarms {
    alarms: Vec<Alarm>,
    latency: Duration,
    firing_latency: Duration,
    firing_fails: bool,
    log: Mutex<Vec<String>>,
}

impl SlowAlarms {
    /// `count` alarms, every tenth (from the fifth) in ALARM.
    fn new(count: usize, latency_ms: u64) -> Self {
        let alarms = (0..count)
            .map(|i| {
                let state = if i % 10 == 5 {
                    AlarmState::Alarm
                } else {
                    AlarmState::Ok
                };
                test_alarm(&format!("a{i:03}"), state)
            })
            .collect();
        Self {
            alarms,
            latency: Duration::from_millis(latency_ms),
            firing_latency: Duration::from_millis(latency_ms),
            firing_fails: false,
            log: Mutex::default(),
        }
    }

    fn note(&self, what: String) {
        self.log.lock().unwrap().push(what);
    }

    fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    fn firing_names(&self) -> Vec<String> {
        let mut firing: Vec<Alarm> = self
            .alarms
            .iter()
            .filter(|a| a.state == AlarmState::Alarm)
            .cloned()
            .collect();
        sort_for_oncall(&mut firing);
        firing.into_iter().map(|a| a.name).collect()
    }
}

#[async_trait]
impl AlarmsRead for SlowAlarms {
    async fn list_alarms(&self) -> ProviderResult<Vec<Alarm>> {
        self.list_alarm_pages(&mut |_| {}).await
    }

    async fn list_alarm_pages(&self, on_page: &mut OnPage<'_>) -> ProviderResult<Vec<Alarm>> {
        for (i, page) in self.alarms.chunks(10).enumerate() {
            tokio::time::sleep(self.latency).await;
            self.note(format!("page {}", i + 1));
            on_page(page);
        }
        Ok(self.alarms.clone())
    }

    async fn firing_alarms(&self) -> ProviderResult<FiringAlarms> {
        tokio::time::sleep(self.firing_latency).await;
        if self.firing_fails {
            return Err(ProviderError::Network {
                operation: "DescribeAlarms".into(),
                message: "refused".into(),
            });
        }
        self.note("firing".into());
        let mut alarms = self.alarms.clone();
        alarms.retain(|a| a.state == AlarmState::Alarm);
        Ok(FiringAlarms { alarms, all: true })
    }

    async fn alarm_history(
        &self,
        _: &str,
        _: TimeRange,
        _: usize,
    ) -> ProviderResult<Vec<HistoryItem>> {
        Ok(Vec::new())
    }

    async fn state_changes(&self, _: TimeRange, _: usize) -> ProviderResult<Vec<HistoryItem>> {
        Ok(Vec::new())
    }

    async fn tags(&self, arn: &str) -> ProviderResult<BTreeMap<String, String>> {
        self.note(format!("tags {arn}"));
        tokio::time::sleep(self.latency).await;
        Ok(BTreeMap::new())
    }
}

/// Reads whose alarms service is `alarms` (the rest from the demo account).
fn reads_of(alarms: Arc<SlowAlarms>) -> Reads {
    let clock = Arc::new(crate::model::ManualClock::new(
        "2026-12-07T12:00:00Z".parse().unwrap(),
    ));
    let mut account = Account::of(Arc::new(SimProvider::new(1, clock, "p")));
    account.reads.alarms = alarms;
    account.reads
}

/// Where `entry` is in `log`.
fn position(log: &[String], entry: &str) -> usize {
    log.iter()
        .position(|e| e == entry)
        .unwrap_or_else(|| panic!("{entry} not in {log:?}"))
}

#[tokio::test]
async fn the_alarms_in_alarm_come_after_one_round_trip_not_after_every_page() {
    let slow = SlowAlarms::new(100, 20);
    let mut early = None;
    let all = alarm_first(
        &slow,
        |first| early = Some((first, slow.log().len())),
        &mut |_| {},
    )
    .await
    .unwrap();
    assert_eq!(all.len(), 100);
    let (first, log_len_then) = early.expect("the alarms in ALARM came first");
    let names: Vec<String> = first.alarms.iter().map(|a| a.name.clone()).collect();
    assert_eq!(names, slow.firing_names());
    assert!(first.all);
    assert!(
        log_len_then < 5,
        "handed over after {log_len_then} answers: {:?}",
        slow.log()
    );
}

#[tokio::test]
async fn a_listing_done_first_gives_no_early_view_and_a_failed_alarm_request_costs_nothing() {
    let mut quick = SlowAlarms::new(10, 5);
    quick.firing_latency = Duration::from_millis(200);
    let mut called = false;
    let all = alarm_first(&quick, |_| called = true, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(all.len(), 10);
    assert!(!called, "the full list was in first");

    let mut failing = SlowAlarms::new(30, 5);
    failing.firing_fails = true;
    let all = alarm_first(&failing, |_| called = true, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(all.len(), 30);
    assert!(!called);
}

#[tokio::test]
async fn tag_reads_start_with_the_pages_and_each_alarm_is_read_once() {
    let slow = Arc::new(SlowAlarms::new(100, 20));
    let reads = reads_of(Arc::clone(&slow));
    let mut early = None;
    let (alarms, annotations) = annotated_alarm_first(&reads, |first| {
        early = Some((first, slow.log()));
    })
    .await
    .unwrap();
    assert_eq!(alarms.len(), 100);
    let log = slow.log();
    let first_tag_read = log.iter().position(|e| e.starts_with("tags ")).unwrap();
    assert!(
        first_tag_read < position(&log, "page 3"),
        "tag reads waited for the pages: {log:?}"
    );
    let tag_reads: Vec<&String> = log.iter().filter(|e| e.starts_with("tags ")).collect();
    let distinct: HashSet<&&String> = tag_reads.iter().collect();
    assert_eq!(tag_reads.len(), 10, "{log:?}");
    assert_eq!(distinct.len(), 10, "an alarm's tags read twice: {log:?}");
    let (first, log_then) = early.expect("the alarms in ALARM came first");
    assert!(!log_then.contains(&"page 10".to_string()), "{log_then:?}");
    let firing = slow.firing_names();
    assert_eq!(
        first.annotations.keys().collect::<HashSet<_>>(),
        firing.iter().collect::<HashSet<_>>()
    );
    assert_eq!(
        annotations.keys().collect::<HashSet<_>>(),
        firing.iter().collect::<HashSet<_>>(),
        "annotations kept only where they can count"
    );
}
