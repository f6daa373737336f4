//! Test helpers shared by the data layer's tests.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;

use crate::model::metric_browse::{MetricFilter, MetricList};
use crate::model::{
    Alarm, AlarmKind, AlarmState, DashboardSummary, MetricQuery, Series, TimeRange,
};
use crate::provider::{MetricsRead, ProviderResult};

/// Passes metric reads to `inner` and remembers each GetMetricData call's
/// query count and range.
#[derive(Debug)]
pub struct CountingMetrics {
    /// Where the calls go.
    pub inner: Arc<dyn MetricsRead>,
    /// (queries asked, range) per call, in order.
    pub calls: Mutex<Vec<(usize, TimeRange)>>,
}

impl CountingMetrics {
    /// Counts the calls made to `inner`.
    pub fn new(inner: Arc<dyn MetricsRead>) -> Self {
        Self {
            inner,
            calls: Mutex::default(),
        }
    }

    /// The calls so far.
    pub fn calls(&self) -> Vec<(usize, TimeRange)> {
        self.calls.lock().unwrap().clone()
    }
}

#[async_trait]
impl MetricsRead for CountingMetrics {
    async fn metric_data(
        &self,
        queries: &[MetricQuery],
        range: TimeRange,
    ) -> ProviderResult<Vec<Series>> {
        self.calls.lock().unwrap().push((queries.len(), range));
        self.inner.metric_data(queries, range).await
    }

    async fn list_metrics(
        &self,
        filter: &MetricFilter,
        limit: usize,
    ) -> ProviderResult<MetricList> {
        self.inner.list_metrics(filter, limit).await
    }

    async fn list_dashboards(&self) -> ProviderResult<Vec<DashboardSummary>> {
        self.inner.list_dashboards().await
    }

    async fn dashboard_body(&self, name: &str) -> ProviderResult<String> {
        self.inner.dashboard_body(name).await
    }
}

/// A composite alarm called `name` in `state`, ARN `arn:NAME`, actions on.
pub fn test_alarm(name: &str, state: AlarmState) -> Alarm {
    Alarm {
        name: name.into(),
        arn: format!("arn:{name}"),
        description: None,
        state,
        reason: String::new(),
        updated_at: jiff::Timestamp::UNIX_EPOCH,
        transitioned_at: jiff::Timestamp::UNIX_EPOCH,
        kind: AlarmKind::Composite {
            rule: "TRUE".into(),
        },
        actions_enabled: true,
        alarm_actions: vec![],
        ok_actions: vec![],
        insufficient_data_actions: vec![],
    }
}
