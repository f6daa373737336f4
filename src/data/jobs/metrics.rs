//! The Metrics tab's work: listing the account's metrics (ListMetrics,
//! every page up to [`TAB_LIST_LIMIT`]) and charting one metric at a
//! statistic and period (GetMetricData), each in the background with the
//! fetch timeout, the newest request replacing one still running. Answers
//! are [`DataEvent::Metrics`] tagged with the request's id, so the tab
//! ignores an answer to a request it has replaced. `metrics get` charts
//! through [`chart_series`] too.

use std::sync::Arc;
use std::time::Duration;

use jiff::SignedDuration;
use tokio::task::AbortHandle;

use crate::data::events::{DataEvent, EventSink};
use crate::model::metric_browse::{ChartedMetric, MetricFilter, MetricList};
use crate::model::{Clock, Series, TimeRange};
use crate::provider::{MetricsRead, ProviderError};

/// Metrics the tab lists at most (100 ListMetrics pages); the tab says
/// when the account had more.
pub const TAB_LIST_LIMIT: usize = 50_000;

/// A request of the Metrics tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExplorerCommand {
    /// List every metric of the account (again).
    List {
        /// The tab's number for this request.
        id: u64,
    },
    /// Chart one metric over the `span` ending now.
    Chart {
        /// The tab's number for this request.
        id: u64,
        /// What to chart.
        charted: ChartedMetric,
        /// How far back.
        span: Duration,
    },
}

/// An answer to an [`ExplorerCommand`].
#[derive(Debug, Clone, PartialEq)]
pub enum ExplorerEvent {
    /// The account's metrics, or why they could not be listed.
    Listed {
        /// The request.
        id: u64,
        /// The metrics.
        result: Result<Arc<MetricList>, String>,
    },
    /// One metric's datapoints, or why they could not be read.
    Charted {
        /// The request.
        id: u64,
        /// The window read.
        range: TimeRange,
        /// The series, periods still filling left out.
        result: Result<Arc<Series>, String>,
    },
}

/// The datapoints of `charted` over `range` in one GetMetricData query
/// (largest pages, every page followed), oldest first, without the
/// periods still filling (a half-filled Sum would look like a drop).
pub async fn chart_series(
    metrics: &dyn MetricsRead,
    charted: &ChartedMetric,
    range: TimeRange,
) -> Result<Series, ProviderError> {
    let mut series = metrics
        .metric_data(&[charted.query("m0")], range)
        .await?
        .into_iter()
        .next()
        .unwrap_or_else(|| Series {
            id: "m0".into(),
            label: charted.metric.name.clone(),
            points: Vec::new(),
            message: None,
        });
    series.drop_incomplete(charted.period_secs, range.end);
    Ok(series)
}

/// The Metrics tab's work of one data layer: at most one listing and one
/// chart in flight.
#[derive(Debug, Default)]
pub struct ExplorerJob {
    list: Option<AbortHandle>,
    chart: Option<AbortHandle>,
}

impl ExplorerJob {
    /// Starts `command` on `runtime`, replacing the same kind of request
    /// still running; each call gives up after `timeout`.
    pub fn handle(
        &mut self,
        command: ExplorerCommand,
        metrics: &Arc<dyn MetricsRead>,
        clock: &Arc<dyn Clock>,
        sink: &EventSink,
        runtime: &tokio::runtime::Handle,
        timeout: Duration,
    ) {
        let (metrics, sink) = (Arc::clone(metrics), Arc::clone(sink));
        match command {
            ExplorerCommand::List { id } => {
                let task = async move {
                    let every = MetricFilter::default();
                    let listing = metrics.list_metrics(&every, TAB_LIST_LIMIT);
                    let result = within(timeout, "ListMetrics", listing).await;
                    sink(DataEvent::Metrics(ExplorerEvent::Listed {
                        id,
                        result: result.map(Arc::new).map_err(|e| e.to_string()),
                    }));
                };
                replace(&mut self.list, runtime.spawn(task).abort_handle());
            }
            ExplorerCommand::Chart { id, charted, span } => {
                let end = clock.now();
                let span = SignedDuration::try_from(span).unwrap_or(SignedDuration::ZERO);
                let range = TimeRange {
                    start: end.checked_sub(span).unwrap_or(end),
                    end,
                };
                let task = async move {
                    let fetch = chart_series(metrics.as_ref(), &charted, range);
                    let result = within(timeout, "GetMetricData", fetch).await;
                    sink(DataEvent::Metrics(ExplorerEvent::Charted {
                        id,
                        range,
                        result: result.map(Arc::new).map_err(|e| e.to_string()),
                    }));
                };
                replace(&mut self.chart, runtime.spawn(task).abort_handle());
            }
        }
    }
}

impl Drop for ExplorerJob {
    fn drop(&mut self) {
        for task in [self.list.take(), self.chart.take()].into_iter().flatten() {
            task.abort();
        }
    }
}

/// Keeps `new` in `slot`, stopping the task it held.
fn replace(slot: &mut Option<AbortHandle>, new: AbortHandle) {
    if let Some(old) = slot.replace(new) {
        old.abort();
    }
}

/// `fut`, or a network error naming `operation` once `limit` has passed.
async fn within<T>(
    limit: Duration,
    operation: &str,
    fut: impl Future<Output = Result<T, ProviderError>>,
) -> Result<T, ProviderError> {
    tokio::time::timeout(limit, fut).await.unwrap_or_else(|_| {
        Err(ProviderError::Network {
            operation: operation.into(),
            message: format!("no answer within {limit:?}"),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::metric_browse::MetricFilter;
    use crate::model::{Dimension, ManualClock, MetricRef};
    use crate::provider::sim::SimProvider;
    use std::sync::Mutex;

    fn now() -> jiff::Timestamp {
        "2026-01-16T14:43:30Z".parse().unwrap()
    }

    fn sim() -> Arc<SimProvider> {
        Arc::new(SimProvider::new(
            1,
            Arc::new(ManualClock::new(now())),
            "ecommerce-ai-platform",
        ))
    }

    fn run(command: ExplorerCommand) -> Vec<DataEvent> {
        let events = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&events);
        let sink: EventSink = Arc::new(move |e| kept.lock().unwrap().push(e));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let metrics: Arc<dyn MetricsRead> = sim();
        let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(now()));
        rt.block_on(async {
            let mut job = ExplorerJob::default();
            job.handle(
                command,
                &metrics,
                &clock,
                &sink,
                &tokio::runtime::Handle::current(),
                Duration::from_secs(5),
            );
            let task = job.list.clone().or(job.chart.clone()).unwrap();
            while !task.is_finished() {
                tokio::task::yield_now().await;
            }
        });
        events.lock().unwrap().clone()
    }

    fn auth_invocations() -> MetricRef {
        MetricRef::new(
            "AWS/Lambda",
            "Invocations",
            vec![Dimension::new(
                "FunctionName",
                "ecommerce-ai-platform-auth-service",
            )],
        )
    }

    #[test]
    fn the_demo_account_lists_its_catalog_under_the_request_id() {
        let events = run(ExplorerCommand::List { id: 4 });
        let [
            DataEvent::Metrics(ExplorerEvent::Listed {
                id: 4,
                result: Ok(list),
            }),
        ] = &events[..]
        else {
            panic!("{events:?}");
        };
        assert!(!list.truncated);
        assert!(list.metrics.contains(&auth_invocations()));
        let namespaces: std::collections::BTreeSet<&str> =
            list.metrics.iter().map(|m| m.namespace.as_str()).collect();
        assert!(namespaces.contains("AWS/DMS") && namespaces.contains("ecommerce-ai-platform"));
    }

    #[test]
    fn a_chart_has_complete_periods_of_the_span_asked() {
        let charted = ChartedMetric {
            metric: auth_invocations(),
            stat: "Sum".into(),
            period_secs: 300,
        };
        let events = run(ExplorerCommand::Chart {
            id: 9,
            charted,
            span: Duration::from_secs(3600),
        });
        let [
            DataEvent::Metrics(ExplorerEvent::Charted {
                id: 9,
                range,
                result: Ok(series),
            }),
        ] = &events[..]
        else {
            panic!("{events:?}");
        };
        assert_eq!(range.end, now());
        assert!(
            (11..=12).contains(&series.points.len()),
            "{}",
            series.points.len()
        );
        let last = series.points.last().unwrap().0;
        assert!(last + SignedDuration::from_secs(300) <= now());
        assert!(series.points.iter().all(|(_, v)| *v > 0.0));
    }

    #[tokio::test]
    async fn the_demo_account_lists_what_was_published_and_filters_like_the_service() {
        use crate::provider::MetricsWrite;
        let sim = sim();
        let custom = MetricRef::new(
            "Team/Checkout",
            "Basket",
            vec![Dimension::new("Env", "demo")],
        );
        sim.put_metric_data(
            "Team/Checkout",
            &[crate::model::MetricDatum {
                metric: custom.clone(),
                value: 3.0,
                unit: None,
                timestamp: None,
            }],
        )
        .await
        .unwrap();
        let only = |ns: &str, dims: &[&str]| {
            let dims: Vec<String> = dims.iter().map(|d| d.to_string()).collect();
            MetricFilter::parse(Some(ns.into()), None, &dims).unwrap()
        };
        let found = sim
            .list_metrics(&only("Team/Checkout", &[]), 10)
            .await
            .unwrap();
        assert_eq!(found.metrics, vec![custom]);
        let lambda = sim
            .list_metrics(
                &only(
                    "AWS/Lambda",
                    &["FunctionName=ecommerce-ai-platform-auth-service"],
                ),
                100,
            )
            .await
            .unwrap();
        assert_eq!(lambda.metrics.len(), 4, "{:?}", lambda.metrics);
        let cut = sim.list_metrics(&only("AWS/Lambda", &[]), 3).await.unwrap();
        assert_eq!((cut.metrics.len(), cut.truncated), (3, true));
    }
}
