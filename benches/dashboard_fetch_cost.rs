//! GetMetricData calls and bytes per refresh of the seed's three
//! dashboards on the demo account: monitui's one batch (planned as the AWS
//! provider plans it: identical queries once, at most 500 a call; later
//! refreshes only the newest periods) against one call per widget over the
//! whole window each time (what a naive renderer does). Bytes are the
//! request and response bodies in the rpc-v2-cbor shapes the SDK sends and
//! CloudWatch answers, encoded with ciborium, with the demo account's
//! data. Prints a table (BENCHMARKS.md).

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use ciborium::Value;
use jiff::{SignedDuration, Timestamp};
use monitui::data::dashboard_data::DashboardStore;
use monitui::model::dashboard::{Dashboard, RangeChoice};
use monitui::model::metric_browse::{MetricFilter, MetricList};
use monitui::model::{DashboardSummary, ManualClock, MetricQuery, QuerySource, Series, TimeRange};
use monitui::provider::aws::plan::plan_for_service;
use monitui::provider::sim::SimProvider;
use monitui::provider::{MetricsRead, ProviderResult};

const NOW: &str = "2026-11-27T14:02:10Z";

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(entries.into_iter().map(|(k, v)| (text(k), v)).collect())
}

fn epoch(t: Timestamp) -> Value {
    Value::Tag(1, Box::new(Value::Integer(t.as_second().into())))
}

fn wire_query(q: &MetricQuery) -> Value {
    let mut fields = vec![
        ("Id", text(&q.id)),
        ("ReturnData", Value::Bool(q.return_data)),
    ];
    if let Some(label) = &q.label {
        fields.push(("Label", text(label)));
    }
    match &q.source {
        QuerySource::Metric {
            metric,
            stat,
            period_secs,
        } => {
            let dims = metric
                .dimensions
                .iter()
                .map(|d| map(vec![("Name", text(&d.name)), ("Value", text(&d.value))]))
                .collect();
            fields.push((
                "MetricStat",
                map(vec![
                    (
                        "Metric",
                        map(vec![
                            ("Namespace", text(&metric.namespace)),
                            ("MetricName", text(&metric.name)),
                            ("Dimensions", Value::Array(dims)),
                        ]),
                    ),
                    ("Period", Value::Integer((*period_secs).into())),
                    ("Stat", text(stat)),
                ]),
            ));
        }
        QuerySource::Expression {
            expression,
            period_secs,
        } => {
            fields.push(("Expression", text(expression)));
            if let Some(p) = period_secs {
                fields.push(("Period", Value::Integer((*p).into())));
            }
        }
    }
    map(fields)
}

fn encoded_len(v: &Value) -> usize {
    let mut out = Vec::new();
    ciborium::into_writer(v, &mut out).unwrap();
    out.len()
}

/// Calls and bytes that went over the wire.
#[derive(Debug, Default, Clone, Copy)]
struct Wire {
    calls: usize,
    bytes: usize,
}

/// Sends each `metric_data` batch as the AWS provider would plan it,
/// answering from the demo account, and totals calls and bytes.
#[derive(Debug)]
struct Meter {
    sim: Arc<SimProvider>,
    wire: Mutex<Wire>,
}

#[async_trait]
impl MetricsRead for Meter {
    async fn metric_data(
        &self,
        queries: &[MetricQuery],
        range: TimeRange,
    ) -> ProviderResult<Vec<Series>> {
        let plan = plan_for_service(queries)?;
        let mut wire = *self.wire.lock().unwrap();
        for call in &plan.calls {
            let request = map(vec![
                (
                    "MetricDataQueries",
                    Value::Array(call.iter().map(wire_query).collect()),
                ),
                ("StartTime", epoch(range.start)),
                ("EndTime", epoch(range.end)),
                ("ScanBy", text("TimestampAscending")),
                ("MaxDatapoints", Value::Integer(100_800.into())),
            ]);
            let answers = self.sim.metric_data(call, range).await?;
            let results = answers
                .iter()
                .map(|s| {
                    map(vec![
                        ("Id", text(&s.id)),
                        ("Label", text(&s.label)),
                        (
                            "Timestamps",
                            Value::Array(s.points.iter().map(|(t, _)| epoch(*t)).collect()),
                        ),
                        (
                            "Values",
                            Value::Array(s.points.iter().map(|(_, v)| Value::Float(*v)).collect()),
                        ),
                        ("StatusCode", text("Complete")),
                    ])
                })
                .collect();
            let response = map(vec![("MetricDataResults", Value::Array(results))]);
            wire.calls += 1;
            wire.bytes += encoded_len(&request) + encoded_len(&response);
        }
        *self.wire.lock().unwrap() = wire;
        self.sim.metric_data(queries, range).await
    }

    async fn list_metrics(
        &self,
        filter: &MetricFilter,
        limit: usize,
    ) -> ProviderResult<MetricList> {
        self.sim.list_metrics(filter, limit).await
    }

    async fn list_dashboards(&self) -> ProviderResult<Vec<DashboardSummary>> {
        self.sim.list_dashboards().await
    }

    async fn dashboard_body(&self, name: &str) -> ProviderResult<String> {
        self.sim.dashboard_body(name).await
    }
}

impl Meter {
    fn take(&self) -> Wire {
        std::mem::take(&mut *self.wire.lock().unwrap())
    }
}

/// The dashboard with only widget `index` (for the one-call-per-widget
/// baseline).
fn only_widget(body: &str, index: usize) -> Dashboard {
    let mut v: serde_json::Value = serde_json::from_str(body).unwrap();
    let widget = v["widgets"][index].take();
    v["widgets"] = serde_json::Value::Array(vec![widget]);
    Dashboard::parse(&v.to_string()).unwrap()
}

fn main() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let start: Timestamp = NOW.parse().unwrap();
    let clock = ManualClock::new(start);
    let sim = Arc::new(SimProvider::new(
        1,
        Arc::new(clock.clone()),
        "ecommerce-ai-platform",
    ));
    let meter = Meter {
        sim: Arc::clone(&sim),
        wire: Mutex::default(),
    };
    println!(
        "| dashboard | metric widgets | queries (unique) | monitui: first load | monitui: refresh 1 min later | one call per widget, every refresh |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for summary in rt.block_on(sim.list_dashboards()).unwrap() {
        clock.set(start);
        let body = rt.block_on(sim.dashboard_body(&summary.name)).unwrap();
        let dashboard = Arc::new(Dashboard::parse(&body).unwrap());
        let range = RangeChoice::Body.at(&dashboard.settings, start);
        let planned = dashboard.planned_queries(range);
        let queries: Vec<MetricQuery> = planned.iter().map(|p| p.query.clone()).collect();
        let unique = plan_for_service(&queries).unwrap().calls.concat().len();
        let mut store = DashboardStore::new(Arc::clone(&dashboard), RangeChoice::Body);
        rt.block_on(store.refresh(&meter, start, false)).unwrap();
        let first = meter.take();
        let later = start + SignedDuration::from_secs(60);
        clock.set(later);
        rt.block_on(store.refresh(&meter, later, false)).unwrap();
        let refresh = meter.take();
        let mut widgets = 0;
        for w in dashboard.widgets.iter().filter(|w| {
            matches!(
                w.content,
                Ok(monitui::model::dashboard::WidgetContent::Metric(_))
            )
        }) {
            widgets += 1;
            let alone = Arc::new(only_widget(&body, w.index));
            let mut store = DashboardStore::new(alone, RangeChoice::Body);
            rt.block_on(store.refresh(&meter, later, true)).unwrap();
        }
        let naive = meter.take();
        println!(
            "| {} | {widgets} | {} ({unique}) | {} call, {:.1} KiB | {} call, {:.1} KiB | {} calls, {:.1} KiB |",
            summary.name,
            queries.len(),
            first.calls,
            first.bytes as f64 / 1024.0,
            refresh.calls,
            refresh.bytes as f64 / 1024.0,
            naive.calls,
            naive.bytes as f64 / 1024.0,
        );
    }
}
