//! The Overview store against the demo account, counting what it asks for.

use std::sync::Arc;

use super::*;
use crate::data::test_support::CountingMetrics;
use crate::model::{ManualClock, MetricRef};
use crate::provider::AlarmsRead;
use crate::provider::sim::SimProvider;

fn pinned() -> Vec<PinnedMetric> {
    vec![PinnedMetric {
        metric: MetricRef::new("AWS/Lambda", "Invocations", vec![]),
        stat: "Sum".into(),
        label: Some("invocations".into()),
        period_secs: None,
    }]
}

fn strictly_ascending(s: &Series) -> bool {
    s.points.windows(2).all(|w| w[0].0 < w[1].0)
}

#[tokio::test]
async fn fetches_whole_rows_once_then_only_new_periods() {
    let start: Timestamp = "2026-11-27T13:00:10Z".parse().unwrap();
    let clock = ManualClock::new(start);
    let sim = Arc::new(SimProvider::new(3, Arc::new(clock.clone()), "p"));
    let counting = CountingMetrics::new(sim.clone());
    let alarms = sim.list_alarms().await.unwrap();
    let metric_alarms: Vec<&str> = alarms
        .iter()
        .filter(|a| a.metric_spec().is_some())
        .map(|a| a.name.as_str())
        .collect();
    let mut store = OverviewStore::default();

    let first = store
        .refresh(&counting, &alarms, &pinned(), start)
        .await
        .unwrap()
        .expect("the first refresh fetches");
    let ids: Vec<&str> = first.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids[..ids.len() - 1], metric_alarms[..]);
    assert_eq!(ids.last(), Some(&"invocations"));
    for id in ["p-dms-replication-lag", "invocations"] {
        let s = first.iter().find(|s| s.id == id).unwrap();
        assert!(!s.points.is_empty(), "{id} has data");
    }
    assert_eq!(counting.calls().len(), 1);
    assert_eq!(counting.calls()[0].0, ids.len());

    let same_minute = start + SignedDuration::from_secs(15);
    assert!(
        store
            .refresh(&counting, &alarms, &pinned(), same_minute)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(counting.calls().len(), 1, "nothing new: no call");

    let next_minute = start + SignedDuration::from_secs(60);
    clock.set(next_minute);
    let rows_with_period = |periods: &[u32]| {
        rows(&alarms, &pinned())
            .iter()
            .filter(|r| periods.contains(&period_of(&r.query)))
            .count()
    };
    let one_minute_rows = rows_with_period(&[60]);
    let after = store
        .refresh(&counting, &alarms, &pinned(), next_minute)
        .await
        .unwrap()
        .expect("the one-minute rows have a new period");
    let (asked, range) = counting.calls()[1];
    assert_eq!(asked, one_minute_rows, "only rows whose period ended");
    assert!(range.end.duration_since(range.start) <= SignedDuration::from_mins(3));
    assert_eq!(after.len(), first.len());
    let invocations = after.iter().find(|s| s.id == "invocations").unwrap();
    assert!(strictly_ascending(invocations), "merged without duplicates");
    let before = &first.last().unwrap().points;
    assert!(
        invocations.points.last().unwrap().0 > before.last().unwrap().0,
        "a new point"
    );
    assert!(
        invocations.points.len().abs_diff(before.len()) <= 1,
        "the span slid, not grew"
    );

    let after_five = start + SignedDuration::from_mins(5);
    clock.set(after_five);
    store
        .refresh(&counting, &alarms, &pinned(), after_five)
        .await
        .unwrap()
        .expect("five-minute rows are due");
    assert_eq!(counting.calls()[2].0, rows_with_period(&[60, 300]));
    for s in store.current() {
        assert!(strictly_ascending(&s), "{} stays ordered", s.id);
    }
}

#[tokio::test]
async fn no_rows_no_call() {
    let now: Timestamp = "2026-11-27T13:00:00Z".parse().unwrap();
    let counting = CountingMetrics::new(Arc::new(SimProvider::new(
        3,
        Arc::new(ManualClock::new(now)),
        "p",
    )));
    let mut store = OverviewStore::default();
    assert!(
        store
            .refresh(&counting, &[], &[], now)
            .await
            .unwrap()
            .is_none()
    );
    assert!(counting.calls().is_empty());
}
