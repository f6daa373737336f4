//! CloudWatch metrics and dashboards: batched metric data, the account's
//! dashboards, and publishing custom metrics.

use async_trait::async_trait;

use super::ProviderResult;
use crate::model::metric_browse::{MetricFilter, MetricList};
use crate::model::{DashboardSummary, MetricDatum, MetricQuery, Series, TimeRange};

/// Service limit: GetMetricData accepts at most this many queries per call.
pub const MAX_QUERIES_PER_CALL: usize = 500;

/// Service limit: one GetMetricData call (page) returns at most this many
/// datapoints; a range that needs more costs another call.
pub const MAX_DATAPOINTS_PER_CALL: usize = 100_800;

/// Reads metric data and dashboards.
#[async_trait]
pub trait MetricsRead: Send + Sync + std::fmt::Debug {
    /// Data for many queries over one range, in as few GetMetricData calls as
    /// the service allows: at most [`MAX_QUERIES_PER_CALL`] queries a call,
    /// identical queries sent once, pages followed, the calls side by side.
    /// At least one series per query id that asked for data, in the order
    /// asked: a SEARCH expression answers with one series per metric found
    /// (all under its id, told apart by label).
    async fn metric_data(
        &self,
        queries: &[MetricQuery],
        range: TimeRange,
    ) -> ProviderResult<Vec<Series>>;

    /// The metrics `filter` lets through (ListMetrics, the filters sent to
    /// the service), every page followed until `limit` metrics are read
    /// (then `truncated` says more were left), sorted.
    async fn list_metrics(&self, filter: &MetricFilter, limit: usize)
    -> ProviderResult<MetricList>;

    /// The account's dashboards.
    async fn list_dashboards(&self) -> ProviderResult<Vec<DashboardSummary>>;

    /// One dashboard's body JSON, as stored.
    async fn dashboard_body(&self, name: &str) -> ProviderResult<String>;
}

/// Publishes metric data.
#[async_trait]
pub trait MetricsWrite: Send + Sync + std::fmt::Debug {
    /// Publishes custom metric values (PutMetricData).
    async fn put_metric_data(&self, namespace: &str, data: &[MetricDatum]) -> ProviderResult<()>;
}
