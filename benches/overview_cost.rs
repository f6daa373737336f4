//! GetMetricData cost of an open console: the metrics the Overview asks
//! for in one hour at a 15 s refresh, for 500 alarms, counted through the
//! real `OverviewStore` against a counting provider. Prints a table
//! (BENCHMARKS.md). GetMetricData is billed per metric requested.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use jiff::{SignedDuration, Timestamp};
use monitui::data::overview::OverviewStore;
use monitui::model::alarm::AlarmKind;
use monitui::model::metric_browse::{MetricFilter, MetricList};
use monitui::model::{
    Alarm, DashboardSummary, Dimension, ManualClock, MetricQuery, Series, TimeRange,
};
use monitui::provider::prelude::*;
use monitui::provider::sim::SimProvider;
use monitui::provider::{MetricsRead, ProviderResult};

const ALARMS: usize = 500;
const REFRESH_SECS: i64 = 15;
const HOUR_SECS: i64 = 3600;

/// Answers every query with an empty series and counts what was asked.
#[derive(Debug, Default)]
struct MetricMeter {
    metrics: AtomicUsize,
    calls: AtomicUsize,
    windows: Mutex<Vec<i64>>,
}

#[async_trait]
impl MetricsRead for MetricMeter {
    async fn metric_data(
        &self,
        queries: &[MetricQuery],
        range: TimeRange,
    ) -> ProviderResult<Vec<Series>> {
        self.metrics.fetch_add(queries.len(), Ordering::Relaxed);
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.windows
            .lock()
            .unwrap()
            .push(range.end.duration_since(range.start).as_secs());
        Ok(queries
            .iter()
            .map(|q| Series {
                id: q.id.clone(),
                label: q.id.clone(),
                points: Vec::new(),
                message: None,
            })
            .collect())
    }

    async fn list_metrics(&self, _: &MetricFilter, _: usize) -> ProviderResult<MetricList> {
        Ok(MetricList::default())
    }

    async fn list_dashboards(&self) -> ProviderResult<Vec<DashboardSummary>> {
        Ok(Vec::new())
    }

    async fn dashboard_body(&self, _name: &str) -> ProviderResult<String> {
        Ok(String::new())
    }
}

/// 500 distinct metric alarms shaped like the demo account's.
fn alarms(start: Timestamp) -> Vec<Alarm> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sim = SimProvider::new(1, std::sync::Arc::new(ManualClock::new(start)), "p");
    let templates: Vec<Alarm> = rt
        .block_on(sim.list_alarms())
        .unwrap()
        .into_iter()
        .filter(|a| a.metric_spec().is_some())
        .collect();
    (0..ALARMS)
        .map(|i| {
            let mut alarm = templates[i % templates.len()].clone();
            alarm.name = format!("{}-{i}", alarm.name);
            if let AlarmKind::Metric(spec) = &mut alarm.kind
                && let Some(metric) = &mut spec.metric
            {
                metric.dimensions.push(Dimension {
                    name: "Shard".into(),
                    value: i.to_string(),
                });
            }
            alarm
        })
        .collect()
}

fn main() {
    let start: Timestamp = "2026-11-27T13:00:10Z".parse().unwrap();
    let alarms = alarms(start);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let meter = MetricMeter::default();
    let mut store = OverviewStore::default();
    let refreshes = HOUR_SECS / REFRESH_SECS;
    for n in 0..refreshes {
        let now = start + SignedDuration::from_secs(n * REFRESH_SECS);
        rt.block_on(store.refresh(&meter, &alarms, &[], now))
            .unwrap();
    }
    let metrics = meter.metrics.load(Ordering::Relaxed);
    let calls = meter.calls.load(Ordering::Relaxed);
    let windows = meter.windows.lock().unwrap();
    let later_max = windows.iter().skip(1).max().copied().unwrap_or(0);
    let before = ALARMS as i64 * refreshes;
    println!("Overview, {ALARMS} alarms, refresh every {REFRESH_SECS}s, one hour:");
    println!("| | GetMetricData calls | metrics requested |");
    println!("| --- | ---: | ---: |");
    println!("| before: every alarm, 3 h, every refresh | {refreshes} | {before} |");
    println!("| now, Overview on screen | {calls} | {metrics} |");
    println!("| now, any other tab | 0 | 0 |");
    println!(
        "first call asked for {} s of data; later calls at most {later_max} s",
        windows.first().copied().unwrap_or(0)
    );
}
