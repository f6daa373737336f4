//! The embedded demo account: a simulated `ecommerce-ai-platform` account
//! that runs with no AWS at all. Metrics come from seeded generators with a
//! daily shape and scripted incidents, alarms are evaluated with
//! CloudWatch's semantics in one-minute ticks, and writes are kept in
//! memory. Everything is a function of the seed and the injected clock.

mod alarms;
mod batch;
mod catalog;
mod contributors;
mod dashboards;
mod incidents;
mod insights;
mod log_lines;
mod logs;
mod math;
mod metrics;
mod noise;
mod provision;
mod search;
mod stats;
mod store;
mod trail;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;

use crate::model::metric_browse::{MetricFilter, MetricList};
use crate::model::stack::{Existing, Kind, Resource, TrailHealth};
use crate::model::{
    Alarm, AlarmState, Clock, DashboardSummary, HistoryItem, Identity, LogEvent, LogGroup, LogPage,
    MetricDatum, MetricQuery, MetricRef, Series, TimeRange, TrailPage, TrailQuery,
};
use crate::provider::provision::ReadScope;
use crate::provider::{
    AlarmsRead, AlarmsWrite, IdentityRead, LogsRead, MetricsRead, MetricsWrite, NotifyWrite,
    ProviderError, ProviderResult, ProvisionRead, ProvisionWrite, TrailRead,
};

use alarms::{AlarmBook, alert_topic};
use catalog::{ACCOUNT_ID, Catalog, REGION};
use metrics::Generator;
use noise::splitmix64;
use store::{MetricData, Published, epoch_minute};

/// What the account has learned since it started: alarm states and
/// history, published metrics and SNS messages.
#[derive(Debug)]
struct State {
    book: AlarmBook,
    published: Published,
    messages: Vec<(String, String, String)>,
    stack: provision::StackStore,
}

/// The demo account, implementing every provider trait.
#[derive(Debug)]
pub struct SimProvider {
    seed: u64,
    clock: Arc<dyn Clock>,
    prefix: String,
    catalog: Catalog,
    generator: Generator,
    trail: trail::TrailHistory,
    insights: insights::SimInsights,
    logs: logs::DemoLogs,
    /// When the account came up (the demo dashboards' modification time).
    started: jiff::Timestamp,
    state: Mutex<State>,
}

impl SimProvider {
    /// A demo account for resources named `<prefix>-...`, deterministic
    /// under `seed` and `clock`.
    pub fn new(seed: u64, clock: Arc<dyn Clock>, prefix: &str) -> Self {
        let launch = epoch_minute(clock.now());
        Self {
            seed,
            started: clock.now(),
            clock,
            prefix: prefix.to_string(),
            catalog: Catalog::new(prefix),
            generator: Generator::new(seed, launch),
            trail: trail::TrailHistory::new(seed, prefix, launch),
            insights: insights::SimInsights::new(seed),
            logs: logs::DemoLogs::new(seed, prefix, launch),
            state: Mutex::new(State {
                book: AlarmBook::seed(prefix),
                published: Published::default(),
                messages: Vec::new(),
                stack: provision::StackStore::default(),
            }),
        }
    }

    /// Every event of log `group` in `range` as of the clock's now, oldest
    /// first, unfiltered: what Logs Insights evaluates its queries over.
    pub fn log_events(&self, group: &str, range: TimeRange) -> ProviderResult<Vec<LogEvent>> {
        self.logs.events(group, range, self.clock.now())
    }

    /// Messages published to SNS so far, as (topic ARN, subject, message).
    pub fn published(&self) -> Vec<(String, String, String)> {
        self.lock().messages.clone()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The state with the alarms evaluated up to the clock's now.
    fn current(&self) -> MutexGuard<'_, State> {
        let mut guard = self.lock();
        let State {
            book, published, ..
        } = &mut *guard;
        book.advance(self.clock.now(), &self.data(published));
        guard
    }

    fn data<'a>(&'a self, published: &'a Published) -> MetricData<'a> {
        MetricData {
            catalog: &self.catalog,
            generator: &self.generator,
            published,
        }
    }
}

#[async_trait]
impl IdentityRead for SimProvider {
    fn region(&self) -> &str {
        REGION
    }

    async fn caller_identity(&self) -> ProviderResult<Identity> {
        Ok(Identity {
            account: ACCOUNT_ID.to_string(),
            arn: format!("arn:aws:sts::{ACCOUNT_ID}:assumed-role/OnCall/demo-oncall"),
            user_id: "AROADEMOONCALLEXAMPLE:demo-oncall".to_string(),
        })
    }
}

#[async_trait]
impl AlarmsRead for SimProvider {
    async fn list_alarms(&self) -> ProviderResult<Vec<Alarm>> {
        Ok(self.current().book.alarms())
    }

    async fn alarm_history(
        &self,
        name: &str,
        range: TimeRange,
        limit: usize,
    ) -> ProviderResult<Vec<HistoryItem>> {
        self.current().book.history(name, range, limit)
    }

    async fn state_changes(
        &self,
        range: TimeRange,
        limit: usize,
    ) -> ProviderResult<Vec<HistoryItem>> {
        Ok(self.current().book.state_changes(range, limit))
    }

    async fn tags(&self, arn: &str) -> ProviderResult<BTreeMap<String, String>> {
        self.lock().book.tags(arn)
    }
}

#[async_trait]
impl AlarmsWrite for SimProvider {
    async fn set_alarm_state(
        &self,
        name: &str,
        state: AlarmState,
        reason: &str,
    ) -> ProviderResult<()> {
        let now = self.clock.now();
        self.current().book.set_state(name, state, reason, now)
    }

    async fn set_alarm_actions_enabled(
        &self,
        names: &[String],
        enabled: bool,
    ) -> ProviderResult<()> {
        self.current().book.set_actions_enabled(names, enabled)
    }

    async fn tag_resource(&self, arn: &str, tags: &BTreeMap<String, String>) -> ProviderResult<()> {
        self.lock().book.tag(arn, tags)
    }

    async fn untag_resource(&self, arn: &str, keys: &[String]) -> ProviderResult<()> {
        self.lock().book.untag(arn, keys)
    }
}

#[async_trait]
impl MetricsRead for SimProvider {
    async fn metric_data(
        &self,
        queries: &[MetricQuery],
        range: TimeRange,
    ) -> ProviderResult<Vec<Series>> {
        let now_minute = epoch_minute(self.clock.now());
        let state = self.lock();
        let data = self.data(&state.published);
        Ok(batch::answer(
            queries,
            range,
            now_minute,
            &data,
            &self.catalog,
        ))
    }

    async fn list_metrics(
        &self,
        filter: &MetricFilter,
        limit: usize,
    ) -> ProviderResult<MetricList> {
        let state = self.lock();
        let mut found: Vec<MetricRef> = self
            .catalog
            .metrics()
            .chain(state.published.metrics())
            .filter(|m| filter.matches(m))
            .cloned()
            .collect();
        found.sort();
        found.dedup();
        let truncated = found.len() > limit;
        found.truncate(limit);
        Ok(MetricList::sorted(found, truncated))
    }

    async fn list_dashboards(&self) -> ProviderResult<Vec<DashboardSummary>> {
        Ok(dashboards::list(&self.prefix, self.started))
    }

    async fn dashboard_body(&self, name: &str) -> ProviderResult<String> {
        dashboards::body(&self.prefix, name)
            .ok_or_else(|| ProviderError::NotFound(format!("dashboard {name}")))
    }
}

#[async_trait]
impl MetricsWrite for SimProvider {
    async fn put_metric_data(&self, namespace: &str, data: &[MetricDatum]) -> ProviderResult<()> {
        if namespace.is_empty() || namespace.starts_with("AWS/") {
            return Err(ProviderError::Invalid(format!(
                "namespace '{namespace}' cannot take custom metrics"
            )));
        }
        if let Some(d) = data.iter().find(|d| d.metric.namespace != namespace) {
            return Err(ProviderError::Invalid(format!(
                "metric {} is not in namespace {namespace}",
                d.metric.display_name()
            )));
        }
        let now = self.clock.now();
        let mut state = self.lock();
        for d in data {
            let minute = epoch_minute(d.timestamp.unwrap_or(now));
            state.published.record(&d.metric, minute, d.value);
        }
        Ok(())
    }
}

#[async_trait]
impl LogsRead for SimProvider {
    async fn list_log_groups(&self) -> ProviderResult<Vec<LogGroup>> {
        Ok(self.logs.groups(self.clock.now()))
    }

    async fn filter_log_events(
        &self,
        group: &str,
        range: TimeRange,
        pattern: Option<&str>,
        next_token: Option<&str>,
    ) -> ProviderResult<LogPage> {
        self.logs
            .filter(group, range, pattern, next_token, self.clock.now())
    }
}

#[async_trait]
impl crate::provider::ContributorsRead for SimProvider {
    async fn insight_rule_report(
        &self,
        query: &crate::model::insight_rule::InsightRuleQuery,
    ) -> ProviderResult<crate::model::insight_rule::InsightReport> {
        contributors::report(&self.logs, &self.prefix, query, self.clock.now())
    }
}

#[async_trait]
impl crate::provider::InsightsRead for SimProvider {
    async fn start_query(
        &self,
        request: &crate::model::insights::QueryRequest,
    ) -> ProviderResult<String> {
        self.insights.start(self, request).await
    }

    async fn query_results(
        &self,
        query_id: &str,
    ) -> ProviderResult<crate::model::insights::QueryResults> {
        self.insights.results(query_id)
    }

    async fn stop_query(&self, query_id: &str) -> ProviderResult<bool> {
        self.insights.stop(query_id)
    }
}

#[async_trait]
impl TrailRead for SimProvider {
    async fn lookup_trail_events(&self, query: &TrailQuery) -> ProviderResult<TrailPage> {
        self.trail.lookup(query, self.clock.now())
    }
}

#[async_trait]
impl NotifyWrite for SimProvider {
    async fn publish(
        &self,
        topic_arn: &str,
        subject: &str,
        message: &str,
    ) -> ProviderResult<String> {
        if topic_arn != alert_topic(&self.prefix) {
            return Err(ProviderError::NotFound(format!("topic {topic_arn}")));
        }
        let mut state = self.lock();
        state.messages.push((
            topic_arn.to_string(),
            subject.to_string(),
            message.to_string(),
        ));
        let bits = splitmix64(self.seed ^ state.messages.len() as u64);
        let more = splitmix64(bits);
        Ok(format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            bits >> 32,
            (bits >> 16) & 0xffff,
            bits & 0xffff,
            more >> 48,
            more & 0xffff_ffff_ffff
        ))
    }
}

#[async_trait]
impl ProvisionRead for SimProvider {
    async fn read_kind(&self, kind: Kind, scope: ReadScope<'_>) -> ProviderResult<Vec<Existing>> {
        Ok(self.lock().stack.read(kind, scope))
    }

    async fn trail_health(&self, name: &str) -> ProviderResult<Option<TrailHealth>> {
        Ok(self.lock().stack.trail_health(name))
    }
}

#[async_trait]
impl ProvisionWrite for SimProvider {
    async fn put_resource(
        &self,
        desired: &Resource,
        current: Option<&Resource>,
        tags: &BTreeMap<String, String>,
    ) -> ProviderResult<()> {
        self.lock().stack.put(desired, current, tags)
    }

    async fn delete_resource(&self, current: &Resource) -> ProviderResult<()> {
        self.lock().stack.delete(current)
    }
}

#[cfg(test)]
mod tests;
