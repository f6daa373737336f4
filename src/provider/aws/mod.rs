//! The aws-sdk-rust implementation of every provider trait: conversion between SDK
//! types and `crate::model` only. SDK types never leave this module.
//!
//! One file per service area; `client` builds the SDK clients, `errors`
//! classifies every SDK error, `plan` batches GetMetricData queries.

mod alarms;
mod client;
mod contributors;
mod convert;
mod credentials;
mod dashboards;
mod errors;
mod identity;
mod insights;
mod live_tail;
mod logs;
mod metrics;
mod mute;
pub mod plan;
mod provision;
mod sns;
mod tags;
mod trail;

use std::collections::{BTreeMap, HashSet};

use std::sync::Arc;

use async_trait::async_trait;

use client::Clients;
pub use client::{AwsSettings, AwsTuning, FALLBACK_REGION, StaticKeys};

use crate::model::metric_browse::{MetricFilter, MetricList};
use crate::model::stack::{Existing, Kind, Resource, TrailHealth};
use crate::model::{
    Alarm, AlarmState, DashboardSummary, HistoryItem, Identity, LogGroup, LogPage, MetricDatum,
    MetricQuery, Series, TimeRange, TrailPage, TrailQuery,
};
use crate::provider::provision::ReadScope;
use crate::provider::{
    AlarmsRead, AlarmsWrite, FiringAlarms, IdentityRead, LogsRead, MetricsRead, MetricsWrite,
    NotifyWrite, OnPage, ProviderError, ProviderResult, ProvisionRead, ProvisionWrite, TrailRead,
};

/// A live (or emulated) AWS account reached through aws-sdk-rust.
#[derive(Debug, Clone)]
pub struct AwsProvider {
    region: String,
    /// The clients reads go through, with the SDK's retries.
    reads: Arc<Clients>,
    /// The clients every change goes through: one attempt per call, no
    /// automatic retry (see `client::without_retries`). A publish repeated
    /// blindly pages twice; a create repeated blindly fails "already
    /// exists"; the data layer re-reads before it tries again.
    changes: Arc<Clients>,
    /// FilterLogEvents' pace, shared by every tail and search of this
    /// account (see [`logs::FilterQuota`]).
    filter_quota: logs::FilterQuota,
    /// Whether requests go to an endpoint override (live tail then needs
    /// its host prefix removed).
    endpoint_override: bool,
    /// The caller's identity, read from STS on first need (the account id
    /// and partition of provisioned resources' ARNs).
    account: std::sync::Arc<tokio::sync::OnceCell<crate::model::Identity>>,
}

impl AwsProvider {
    /// Connects to the account `env` describes with the default [`AwsTuning`].
    pub async fn connect(env: &AwsSettings) -> Result<AwsProvider, ProviderError> {
        Self::connect_with(env, &AwsTuning::default()).await
    }

    /// Connects with explicit timeouts, retries and optional fixed keys.
    /// Nothing is sent yet: a bad account surfaces on the first call.
    pub async fn connect_with(
        env: &AwsSettings,
        tuning: &AwsTuning,
    ) -> Result<AwsProvider, ProviderError> {
        if let Some(url) = &env.endpoint_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(ProviderError::Invalid(format!(
                "endpoint_url '{url}' must start with http:// or https://"
            )));
        }
        let config = client::sdk_config(env, tuning).await;
        let path_style = env.endpoint_url.is_some();
        Ok(AwsProvider {
            region: config
                .region()
                .map_or_else(|| FALLBACK_REGION.to_string(), |r| r.to_string()),
            changes: Arc::new(Clients::new(client::without_retries(&config), path_style)),
            reads: Arc::new(Clients::new(config, path_style)),
            filter_quota: logs::FilterQuota::default(),
            endpoint_override: env.endpoint_url.is_some(),
            account: Default::default(),
        })
    }
}

#[async_trait]
impl IdentityRead for AwsProvider {
    fn region(&self) -> &str {
        &self.region
    }

    async fn caller_identity(&self) -> ProviderResult<Identity> {
        identity::caller_identity(self.reads.sts()).await
    }
}

#[async_trait]
impl AlarmsRead for AwsProvider {
    async fn list_alarms(&self) -> ProviderResult<Vec<Alarm>> {
        alarms::list(self.reads.cloudwatch()).await
    }

    async fn list_alarm_pages(&self, on_page: &mut OnPage<'_>) -> ProviderResult<Vec<Alarm>> {
        alarms::list_pages(self.reads.cloudwatch(), on_page).await
    }

    async fn firing_alarms(&self) -> ProviderResult<FiringAlarms> {
        alarms::firing(self.reads.cloudwatch()).await
    }

    async fn alarm(&self, name: &str) -> ProviderResult<Option<Alarm>> {
        alarms::get(self.reads.cloudwatch(), name).await
    }

    async fn alarm_history(
        &self,
        name: &str,
        range: TimeRange,
        limit: usize,
    ) -> ProviderResult<Vec<HistoryItem>> {
        alarms::history(self.reads.cloudwatch(), name, range, limit).await
    }

    async fn alarm_state_history(
        &self,
        name: &str,
        range: TimeRange,
    ) -> ProviderResult<Vec<HistoryItem>> {
        alarms::state_history(self.reads.cloudwatch(), name, range).await
    }

    async fn state_changes(
        &self,
        range: TimeRange,
        limit: usize,
    ) -> ProviderResult<Vec<HistoryItem>> {
        alarms::state_changes(self.reads.cloudwatch(), range, limit).await
    }

    async fn tags(&self, arn: &str) -> ProviderResult<BTreeMap<String, String>> {
        tags::list(self.reads.cloudwatch(), arn).await
    }

    async fn active_mute_rules(&self) -> ProviderResult<Option<HashSet<String>>> {
        mute::active_names(self.reads.cloudwatch()).await
    }
}

#[async_trait]
impl AlarmsWrite for AwsProvider {
    async fn set_alarm_state(
        &self,
        name: &str,
        state: AlarmState,
        reason: &str,
    ) -> ProviderResult<()> {
        alarms::set_state(self.changes.cloudwatch(), name, state, reason).await
    }

    async fn set_alarm_actions_enabled(
        &self,
        names: &[String],
        enabled: bool,
    ) -> ProviderResult<()> {
        alarms::set_actions_enabled(self.changes.cloudwatch(), names, enabled).await
    }

    async fn put_mute_rule(&self, rule: &crate::model::mute::MuteRule) -> ProviderResult<()> {
        mute::put(self.changes.cloudwatch(), rule).await
    }

    async fn delete_mute_rule(&self, name: &str) -> ProviderResult<()> {
        mute::delete(self.changes.cloudwatch(), name).await
    }

    async fn tag_resource(&self, arn: &str, tags: &BTreeMap<String, String>) -> ProviderResult<()> {
        tags::tag(self.changes.cloudwatch(), arn, tags).await
    }

    async fn untag_resource(&self, arn: &str, keys: &[String]) -> ProviderResult<()> {
        tags::untag(self.changes.cloudwatch(), arn, keys).await
    }
}

#[async_trait]
impl MetricsRead for AwsProvider {
    async fn metric_data(
        &self,
        queries: &[MetricQuery],
        range: TimeRange,
    ) -> ProviderResult<Vec<Series>> {
        metrics::metric_data(self.reads.cloudwatch(), queries, range).await
    }

    async fn list_metrics(
        &self,
        filter: &MetricFilter,
        limit: usize,
    ) -> ProviderResult<MetricList> {
        metrics::list_metrics(self.reads.cloudwatch(), filter, limit).await
    }

    async fn list_dashboards(&self) -> ProviderResult<Vec<DashboardSummary>> {
        dashboards::list(self.reads.cloudwatch()).await
    }

    async fn dashboard_body(&self, name: &str) -> ProviderResult<String> {
        dashboards::body(self.reads.cloudwatch(), name).await
    }
}

#[async_trait]
impl MetricsWrite for AwsProvider {
    async fn put_metric_data(&self, namespace: &str, data: &[MetricDatum]) -> ProviderResult<()> {
        metrics::put_metric_data(self.changes.cloudwatch(), namespace, data).await
    }
}

#[async_trait]
impl LogsRead for AwsProvider {
    async fn list_log_groups(&self) -> ProviderResult<Vec<LogGroup>> {
        logs::list_groups(self.reads.logs()).await
    }

    async fn filter_log_events(
        &self,
        group: &str,
        range: TimeRange,
        pattern: Option<&str>,
        next_token: Option<&str>,
    ) -> ProviderResult<LogPage> {
        self.filter_quota.wait().await;
        logs::filter_events(self.reads.logs(), group, range, pattern, next_token).await
    }

    async fn start_live_tail(
        &self,
        groups: &[String],
        pattern: Option<&str>,
    ) -> ProviderResult<crate::provider::logs::LiveTail> {
        let account = identity::caller_identity(self.reads.sts()).await?.account;
        let groups: Vec<(String, String)> = groups
            .iter()
            .map(|g| (live_tail::group_arn(&self.region, &account, g), g.clone()))
            .collect();
        live_tail::start(self.reads.logs(), &groups, pattern, self.endpoint_override).await
    }
}

#[async_trait]
impl crate::provider::ContributorsRead for AwsProvider {
    async fn insight_rule_report(
        &self,
        query: &crate::model::insight_rule::InsightRuleQuery,
    ) -> ProviderResult<crate::model::insight_rule::InsightReport> {
        contributors::report(self.reads.cloudwatch(), query).await
    }
}

#[async_trait]
impl crate::provider::InsightsRead for AwsProvider {
    async fn start_query(
        &self,
        request: &crate::model::insights::QueryRequest,
    ) -> ProviderResult<String> {
        insights::start(self.reads.logs(), request).await
    }

    async fn query_results(
        &self,
        query_id: &str,
    ) -> ProviderResult<crate::model::insights::QueryResults> {
        insights::results(self.reads.logs(), query_id).await
    }

    async fn stop_query(&self, query_id: &str) -> ProviderResult<bool> {
        insights::stop(self.reads.logs(), query_id).await
    }
}

#[async_trait]
impl TrailRead for AwsProvider {
    async fn lookup_trail_events(&self, query: &TrailQuery) -> ProviderResult<TrailPage> {
        trail::lookup(self.reads.cloudtrail(), query).await
    }
}

#[async_trait]
impl NotifyWrite for AwsProvider {
    async fn publish(
        &self,
        topic_arn: &str,
        subject: &str,
        message: &str,
    ) -> ProviderResult<String> {
        sns::publish(self.changes.sns(), topic_arn, subject, message).await
    }
}

#[async_trait]
impl ProvisionRead for AwsProvider {
    async fn read_kind(&self, kind: Kind, scope: ReadScope<'_>) -> ProviderResult<Vec<Existing>> {
        self.read_stack_kind(kind, scope).await
    }

    async fn trail_health(&self, name: &str) -> ProviderResult<Option<TrailHealth>> {
        self.stack_trail_health(name).await
    }
}

#[async_trait]
impl ProvisionWrite for AwsProvider {
    async fn put_resource(
        &self,
        desired: &Resource,
        current: Option<&Resource>,
        tags: &BTreeMap<String, String>,
    ) -> ProviderResult<()> {
        self.put_stack_resource(desired, current, tags).await
    }

    async fn delete_resource(&self, current: &Resource) -> ProviderResult<()> {
        self.delete_stack_resource(current).await
    }
}
