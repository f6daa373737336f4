//! The Metrics tab's work: listing the account's metrics (ListMetrics,
//! every page up to [`TAB_LIST_LIMIT`]) and charting one metric at a
//! statistic and period (GetMetricData), each in the background with the
//! fetch timeout, the newest request replacing one still running. Answers
//! are [`ExplorerEvent`]s tagged with the request's id, so the tab
//! ignores an answer to a request it has replaced. `metrics get` charts
//! through [`chart_series`] too.

use std::sync::Arc;
use std::time::Duration;

use jiff::SignedDuration;

use super::{Job, JobContext, Sink, Task, within};
use crate::model::metric_browse::{ChartedMetric, MetricFilter, MetricList};
use crate::model::{Series, TimeRange};
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
/// chart in flight, the newest request replacing the same kind still
/// running; each call gives up after the fetch timeout.
pub struct ExplorerJob {
    sink: Sink<ExplorerEvent>,
    list: Task,
    chart: Task,
}

impl ExplorerJob {
    /// The job, posting to `sink`.
    pub fn new(sink: Sink<ExplorerEvent>) -> Self {
        Self {
            sink,
            list: Task::default(),
            chart: Task::default(),
        }
    }
}

impl Job for ExplorerJob {
    type Command = ExplorerCommand;

    fn handle(&mut self, command: ExplorerCommand, ctx: &JobContext) {
        let metrics = Arc::clone(&ctx.session.reads.metrics);
        let (sink, timeout) = (Arc::clone(&self.sink), ctx.fetch_timeout);
        match command {
            ExplorerCommand::List { id } => {
                let task = async move {
                    let every = MetricFilter::default();
                    let listing = metrics.list_metrics(&every, TAB_LIST_LIMIT);
                    let result = within(timeout, "ListMetrics", listing).await;
                    sink(ExplorerEvent::Listed {
                        id,
                        result: result.map(Arc::new).map_err(|e| e.to_string()),
                    });
                };
                self.list.start(&ctx.runtime, task);
            }
            ExplorerCommand::Chart { id, charted, span } => {
                let end = ctx.clock.now();
                let span = SignedDuration::try_from(span).unwrap_or(SignedDuration::ZERO);
                let range = TimeRange {
                    start: end.checked_sub(span).unwrap_or(end),
                    end,
                };
                let task = async move {
                    let fetch = chart_series(metrics.as_ref(), &charted, range);
                    let result = within(timeout, "GetMetricData", fetch).await;
                    sink(ExplorerEvent::Charted {
                        id,
                        range,
                        result: result.map(Arc::new).map_err(|e| e.to_string()),
                    });
                };
                self.chart.start(&ctx.runtime, task);
            }
        }
    }

    /// A listing is answered with `why` (the tab waits on it); a chart is
    /// kept: the chosen metric is still what the tab shows.
    fn unconnected(&mut self, command: ExplorerCommand, why: &str) -> Option<ExplorerCommand> {
        match command {
            ExplorerCommand::List { id } => {
                (self.sink)(ExplorerEvent::Listed {
                    id,
                    result: Err(why.to_string()),
                });
                None
            }
            chart @ ExplorerCommand::Chart { .. } => Some(chart),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::metric_browse::MetricFilter;
    use crate::model::{Dimension, ManualClock, MetricRef};
    use crate::provider::sim::SimProvider;

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

    fn run(command: ExplorerCommand) -> Vec<ExplorerEvent> {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let ctx = super::super::tests::context(&runtime, &ManualClock::new(now()));
        let (sink, events) = super::super::tests::channel();
        let mut job = ExplorerJob::new(sink);
        job.handle(command, &ctx);
        vec![events.recv_timeout(Duration::from_secs(5)).unwrap()]
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
            ExplorerEvent::Listed {
                id: 4,
                result: Ok(list),
            },
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
            ExplorerEvent::Charted {
                id: 9,
                range,
                result: Ok(series),
            },
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
