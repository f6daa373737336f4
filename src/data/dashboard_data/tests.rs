//! The dashboard store against the demo account, counting what it asks.

use std::sync::Arc;
use std::time::Duration;

use jiff::SignedDuration;

use super::*;
use crate::data::test_support::CountingMetrics;
use crate::model::ManualClock;
use crate::provider::sim::SimProvider;

const BODY: &str = r#"{"widgets": [
  {"type": "metric", "properties": {"title": "a", "stat": "Sum", "period": 300, "metrics": [
    ["AWS/ApiGateway", "Count", "ApiName", "p-api", {"id": "req"}],
    [".", "5XXError", ".", ".", {"id": "err"}]
  ]}},
  {"type": "metric", "properties": {"title": "same metric again", "stat": "Sum", "period": 300, "metrics": [
    ["AWS/ApiGateway", "Count", "ApiName", "p-api"]
  ]}}
]}"#;

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn store(body: &str, choice: RangeChoice) -> DashboardStore {
    DashboardStore::new(Arc::new(Dashboard::parse(body).unwrap()), choice)
}

fn sim(clock: &ManualClock) -> Arc<SimProvider> {
    Arc::new(SimProvider::new(5, Arc::new(clock.clone()), "p"))
}

fn strictly_ascending(s: &Series) -> bool {
    s.points.windows(2).all(|w| w[0].0 < w[1].0)
}

#[tokio::test]
async fn later_refreshes_ask_only_for_the_newest_periods_and_merge() {
    let start = at("2026-11-27T14:02:10Z");
    let three_hours = RangeChoice::Last(Duration::from_secs(3 * 3600));
    let mut s = store(BODY, three_hours);
    let clock = ManualClock::new(start);
    let account = sim(&clock);
    let counting = CountingMetrics::new(account.clone());
    assert_eq!(
        s.refresh(&counting, start, false).await.unwrap(),
        Asked::Whole(three_hours.at(&Default::default(), start))
    );
    let first = s.data(start);
    assert_eq!(counting.calls().len(), 1);
    assert_eq!(counting.calls()[0].0, 3, "one batch of every row");

    let later = start + SignedDuration::from_secs(11 * 60);
    clock.set(later);
    let asked = s.refresh(&counting, later, false).await.unwrap();
    let Asked::Tail(tail) = asked else {
        panic!("expected a tail fetch, got {asked:?}");
    };
    assert_eq!(
        tail.start,
        at("2026-11-27T13:50:00Z"),
        "2 periods back, aligned"
    );
    assert_eq!(tail.end, later);
    assert_eq!(counting.calls().len(), 2);

    let whole = {
        let mut fresh = store(BODY, three_hours);
        fresh.refresh(&*account, later, false).await.unwrap();
        fresh.data(later)
    };
    let merged = s.data(later);
    for id in ["w0_req", "w0_err", "w1_m1"] {
        let m = &merged.series_for(id)[0];
        assert!(strictly_ascending(m), "{id}");
        assert_eq!(m.points, whole.series_for(id)[0].points, "{id}");
        assert!(m.points.first().unwrap().0 >= at("2026-11-27T11:10:00Z"));
        assert_ne!(m.points, first.series_for(id)[0].points, "{id} moved on");
    }
}

#[tokio::test]
async fn forced_changed_and_whole_window_expressions_fetch_everything() {
    let start = at("2026-11-27T14:02:10Z");
    let later = start + SignedDuration::from_secs(600);
    let counting = CountingMetrics::new(sim(&ManualClock::new(later)));
    let mut s = store(BODY, RangeChoice::Body);
    s.refresh(&counting, start, false).await.unwrap();
    assert!(matches!(
        s.refresh(&counting, later, true).await.unwrap(),
        Asked::Whole(_)
    ));
    s.set_choice(RangeChoice::Last(Duration::from_secs(3600)));
    assert!(matches!(
        s.refresh(&counting, later, false).await.unwrap(),
        Asked::Whole(_)
    ));

    let rate = BODY.replace(
        r#"[".", "5XXError", ".", ".", {"id": "err"}]"#,
        r#"[".", "5XXError", ".", ".", {"id": "err"}], [{"expression": "RATE(err)"}]"#,
    );
    let mut s = store(&rate, RangeChoice::Body);
    s.refresh(&counting, start, false).await.unwrap();
    assert!(matches!(
        s.refresh(&counting, later, false).await.unwrap(),
        Asked::Whole(_)
    ));
}

#[tokio::test]
async fn a_fixed_window_is_fetched_once() {
    let now = at("2026-11-27T14:02:10Z");
    let fixed = RangeChoice::parse("2026-11-27T10:00:00Z..2026-11-27T11:00:00Z").unwrap();
    let counting = CountingMetrics::new(sim(&ManualClock::new(now)));
    let mut s = store(BODY, fixed);
    s.refresh(&counting, now, false).await.unwrap();
    let data = s.data(now);
    assert_eq!(data.series_for("w0_req")[0].points.len(), 12);
    assert_eq!(
        s.refresh(&counting, now + SignedDuration::from_secs(60), false)
            .await
            .unwrap(),
        Asked::Nothing
    );
    assert_eq!(counting.calls().len(), 1);
}

#[tokio::test]
async fn a_failed_batch_is_shown_on_every_metric_widget() {
    #[derive(Debug)]
    struct Down;
    #[async_trait::async_trait]
    impl MetricsRead for Down {
        async fn metric_data(
            &self,
            _: &[MetricQuery],
            _: TimeRange,
        ) -> crate::provider::ProviderResult<Vec<Series>> {
            Err(ProviderError::Network {
                operation: "GetMetricData".into(),
                message: "connection refused".into(),
            })
        }
        async fn list_metrics(
            &self,
            _: &crate::model::metric_browse::MetricFilter,
            _: usize,
        ) -> crate::provider::ProviderResult<crate::model::metric_browse::MetricList> {
            Err(ProviderError::Network {
                operation: "ListMetrics".into(),
                message: "connection refused".into(),
            })
        }
        async fn list_dashboards(
            &self,
        ) -> crate::provider::ProviderResult<Vec<crate::model::DashboardSummary>> {
            Ok(Vec::new())
        }
        async fn dashboard_body(&self, _: &str) -> crate::provider::ProviderResult<String> {
            Ok(String::new())
        }
    }
    let d = Arc::new(Dashboard::parse(BODY).unwrap());
    let now = at("2026-11-27T14:02:10Z");
    let sim = crate::provider::sim::SimProvider::new(
        3,
        Arc::new(crate::model::ManualClock::new(now)),
        "p",
    );
    let mut reads = crate::provider::Account::of(Arc::new(sim)).reads;
    reads.metrics = Arc::new(Down);
    let data = fetch_once(&d, &reads, RangeChoice::Body, now).await;
    assert_eq!(data.failures.len(), 2);
    assert!(data.failures[&0].contains("connection refused"));
}

#[test]
fn pointwise_expressions_are_told_apart() {
    for e in [
        "m1 + m2",
        "100 * err / MAX([req, 1])",
        "SUM(SEARCH('{AWS/Lambda,FunctionName} Errors', 'Sum', 300))",
        "IF(m1 > 5, 1, 0)",
        "FILL(m1, 0)",
        "SEARCH('{AWS/Lambda} MetricName=\"RATE(x)\"', 'Sum')",
    ] {
        assert!(is_pointwise(e), "{e}");
    }
    for e in [
        "RATE(m1)",
        "m1 / MAX(m1)",
        "RUNNING_SUM(m1)",
        "DIFF(m1)",
        "ANOMALY_DETECTION_BAND(m1)",
    ] {
        assert!(!is_pointwise(e), "{e}");
    }
}
