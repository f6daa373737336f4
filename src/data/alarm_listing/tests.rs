//! ALARM first against an account whose every request takes a while: the
//! alarms in ALARM arrive after one round trip, tag reads start with the
//! pages, and no alarm's tags are read twice.

use std::collections::HashSet;
use std::time::Duration;

use super::*;
use crate::data::test_support::SlowAlarms;
use crate::provider::Account;
use crate::provider::sim::SimProvider;

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

/// What `annotated_alarm_first` told, in order: `listed N` for the alarms
/// in ALARM, then each alarm's name as it came with its annotation; with
/// how many tag reads and listing pages had begun by then.
fn recorder<'a>(
    slow: &'a SlowAlarms,
    told: &'a mut Vec<(String, usize, usize)>,
) -> impl FnMut(FiringFirst<'_>) + 'a {
    move |first| {
        let log = slow.log();
        let reads_begun = log.iter().filter(|e| e.starts_with("tags ")).count();
        let pages = log.iter().filter(|e| e.starts_with("page ")).count();
        let what = match first {
            FiringFirst::Listed(firing) => format!("listed {}", firing.alarms.len()),
            FiringFirst::Annotated(alarm, _) => alarm.name.clone(),
        };
        told.push((what, reads_begun, pages));
    }
}

#[tokio::test]
async fn tag_reads_start_with_the_pages_and_each_alarm_is_read_once() {
    let slow = Arc::new(SlowAlarms::new(100, 20));
    let reads = reads_of(Arc::clone(&slow));
    let mut told = Vec::new();
    let (alarms, annotations) = annotated_alarm_first(&reads, recorder(&slow, &mut told))
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
    let firing = slow.firing_names();
    let mut expected = vec![format!("listed {}", firing.len())];
    expected.extend(firing.iter().cloned());
    let told_names: Vec<&String> = told.iter().map(|(what, _, _)| what).collect();
    assert_eq!(told_names, expected.iter().collect::<Vec<_>>());
    assert_eq!(
        annotations.keys().collect::<HashSet<_>>(),
        firing.iter().collect::<HashSet<_>>(),
        "annotations kept only where they can count"
    );
}

#[tokio::test]
async fn each_alarm_in_alarm_comes_once_its_own_tags_are_read_not_after_all_of_them() {
    let slow = Arc::new(SlowAlarms::new(400, 20));
    let reads = reads_of(Arc::clone(&slow));
    let mut told = Vec::new();
    let (alarms, _) = annotated_alarm_first(&reads, recorder(&slow, &mut told))
        .await
        .unwrap();
    assert_eq!(alarms.len(), 400);
    let firing = slow.firing_names();
    assert_eq!(firing.len(), 40);
    assert_eq!(told.len(), 41, "{told:?}");
    let (first_row, reads_begun, pages) = &told[1];
    assert_eq!(first_row, &firing[0]);
    assert!(
        *reads_begun < firing.len(),
        "the first alarm in ALARM waited for {reads_begun} tag reads: {told:?}"
    );
    assert!(*pages < 10, "it waited for {pages} of 40 pages");
    let last_row = told.last().unwrap();
    assert!(last_row.2 < 40, "the rows waited for the listing: {told:?}");
}
