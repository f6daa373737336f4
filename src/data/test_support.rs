//! Test helpers shared by the data layer's tests.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;

use crate::model::HistoryItem;
use crate::model::alarm::sort_for_oncall;
use crate::model::metric_browse::{MetricFilter, MetricList};
use crate::model::{
    Alarm, AlarmKind, AlarmState, DashboardSummary, MetricQuery, Series, TimeRange,
};
use crate::provider::{
    AlarmsRead, FiringAlarms, MetricsRead, OnPage, ProviderError, ProviderResult,
};

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
        reason_data: None,
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

/// Alarms served ten a page, every request taking `latency` (the ALARM
/// request `firing_latency`), with a log of what happened in order.
#[derive(Debug)]
pub struct SlowAlarms {
    /// Every alarm, in listing order.
    pub alarms: Vec<Alarm>,
    latency: Duration,
    /// How long the ALARM request takes.
    pub firing_latency: Duration,
    /// Whether the ALARM request fails.
    pub firing_fails: bool,
    /// How long the account's state history takes to read.
    pub history_latency: Duration,
    log: Mutex<Vec<String>>,
}

impl SlowAlarms {
    /// `count` alarms, every tenth (from the fifth) in ALARM.
    pub fn new(count: usize, latency_ms: u64) -> Self {
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
            history_latency: Duration::ZERO,
            log: Mutex::default(),
        }
    }

    fn note(&self, what: String) {
        self.log.lock().unwrap().push(what);
    }

    /// What happened so far, in order: `page N`, `firing`, `tags ARN`.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// The names of the alarms in ALARM, sorted for on-call.
    pub fn firing_names(&self) -> Vec<String> {
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
        tokio::time::sleep(self.history_latency).await;
        self.note("history".into());
        Ok(Vec::new())
    }

    async fn tags(&self, arn: &str) -> ProviderResult<BTreeMap<String, String>> {
        self.note(format!("tags {arn}"));
        tokio::time::sleep(self.latency).await;
        Ok(BTreeMap::new())
    }
}
