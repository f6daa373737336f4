//! Read-only mode enforced in the data layer: [`ReadOnlyProvider`] wraps
//! any provider, passes reads through and refuses every write before it
//! reaches the inner provider, so no mutating request leaves the process.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;

use super::refresher::ProviderConnect;
use crate::config::ResolvedEnv;
use crate::model::mute::MuteRule;
use crate::model::{
    Alarm, AlarmState, Clock, DashboardSummary, HistoryItem, Identity, LogGroup, LogPage,
    MetricDatum, MetricQuery, Series, TimeRange, TrailPage, TrailQuery,
};
use crate::provider::{Provider, ProviderError, ProviderResult};

/// A provider that only reads: every mutation answers
/// [`ProviderError::ReadOnly`] naming the env and the operation.
#[derive(Debug)]
pub struct ReadOnlyProvider {
    inner: Arc<dyn Provider>,
    env: String,
}

impl ReadOnlyProvider {
    /// Wraps `inner` for the env called `env`.
    pub fn new(inner: Arc<dyn Provider>, env: &str) -> Self {
        Self {
            inner,
            env: env.to_string(),
        }
    }

    fn refuse<T>(&self, operation: &str) -> ProviderResult<T> {
        Err(ProviderError::ReadOnly {
            env: self.env.clone(),
            operation: operation.to_string(),
        })
    }
}

/// Builds the provider of `env` in the background, wrapped in
/// [`ReadOnlyProvider`] when the env (or `--read-only`) says so. Everything
/// that talks to an account goes through this, never `provider::connect`.
pub fn connect(env: ResolvedEnv, clock: Arc<dyn Clock>) -> ProviderConnect {
    Box::pin(async move {
        let read_only = env.read_only;
        let name = env.name.clone();
        let inner = crate::provider::connect(env, clock).await?;
        let provider: Arc<dyn Provider> = if read_only {
            Arc::new(ReadOnlyProvider::new(inner, &name))
        } else {
            inner
        };
        Ok(provider)
    })
}

#[async_trait]
impl Provider for ReadOnlyProvider {
    fn region(&self) -> &str {
        self.inner.region()
    }

    async fn caller_identity(&self) -> ProviderResult<Identity> {
        self.inner.caller_identity().await
    }

    async fn list_alarms(&self) -> ProviderResult<Vec<Alarm>> {
        self.inner.list_alarms().await
    }

    async fn alarm(&self, name: &str) -> ProviderResult<Option<Alarm>> {
        self.inner.alarm(name).await
    }

    async fn alarm_history(
        &self,
        name: &str,
        range: TimeRange,
        limit: usize,
    ) -> ProviderResult<Vec<HistoryItem>> {
        self.inner.alarm_history(name, range, limit).await
    }

    async fn set_alarm_state(
        &self,
        _name: &str,
        _state: AlarmState,
        _reason: &str,
    ) -> ProviderResult<()> {
        self.refuse("SetAlarmState")
    }

    async fn set_alarm_actions_enabled(
        &self,
        _names: &[String],
        enabled: bool,
    ) -> ProviderResult<()> {
        self.refuse(if enabled {
            "EnableAlarmActions"
        } else {
            "DisableAlarmActions"
        })
    }

    async fn put_mute_rule(&self, _rule: &MuteRule) -> ProviderResult<()> {
        self.refuse("PutAlarmMuteRule")
    }

    async fn delete_mute_rule(&self, _name: &str) -> ProviderResult<()> {
        self.refuse("DeleteAlarmMuteRule")
    }

    async fn tags(&self, arn: &str) -> ProviderResult<BTreeMap<String, String>> {
        self.inner.tags(arn).await
    }

    async fn tag_resource(
        &self,
        _arn: &str,
        _tags: &BTreeMap<String, String>,
    ) -> ProviderResult<()> {
        self.refuse("TagResource")
    }

    async fn untag_resource(&self, _arn: &str, _keys: &[String]) -> ProviderResult<()> {
        self.refuse("UntagResource")
    }

    async fn metric_data(
        &self,
        queries: &[MetricQuery],
        range: TimeRange,
    ) -> ProviderResult<Vec<Series>> {
        self.inner.metric_data(queries, range).await
    }

    async fn put_metric_data(&self, _namespace: &str, _data: &[MetricDatum]) -> ProviderResult<()> {
        self.refuse("PutMetricData")
    }

    async fn publish(
        &self,
        _topic_arn: &str,
        _subject: &str,
        _message: &str,
    ) -> ProviderResult<String> {
        self.refuse("Publish")
    }

    async fn list_dashboards(&self) -> ProviderResult<Vec<DashboardSummary>> {
        self.inner.list_dashboards().await
    }

    async fn dashboard_body(&self, name: &str) -> ProviderResult<String> {
        self.inner.dashboard_body(name).await
    }

    async fn list_log_groups(&self) -> ProviderResult<Vec<LogGroup>> {
        self.inner.list_log_groups().await
    }

    async fn filter_log_events(
        &self,
        group: &str,
        range: TimeRange,
        pattern: Option<&str>,
        next_token: Option<&str>,
    ) -> ProviderResult<LogPage> {
        self.inner
            .filter_log_events(group, range, pattern, next_token)
            .await
    }

    async fn lookup_trail_events(&self, query: &TrailQuery) -> ProviderResult<TrailPage> {
        self.inner.lookup_trail_events(query).await
    }
}
