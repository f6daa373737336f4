//! The one interface between monitui and an AWS account: everything the app
//! reads or writes goes through [`Provider`]. `aws` speaks the real wire
//! protocol through aws-sdk-rust; `sim` is the embedded demo account.

pub mod aws;
pub mod error;
pub mod sim;

use std::collections::BTreeMap;

use async_trait::async_trait;

use crate::model::mute::MuteRule;
use crate::model::{
    Alarm, AlarmState, DashboardSummary, HistoryItem, Identity, LogGroup, LogPage, MetricDatum,
    MetricQuery, Series, TimeRange, TrailPage, TrailQuery,
};

pub use error::ProviderError;

/// Result alias for provider calls.
pub type ProviderResult<T> = Result<T, ProviderError>;

/// Service limit: GetMetricData accepts at most this many queries per call.
pub const MAX_QUERIES_PER_CALL: usize = 500;

/// Everything monitui reads from or writes to an account. Implementations
/// convert between their wire types and `crate::model`; callers never see
/// SDK types. Calls may be slow or fail: only background jobs in `data/`
/// await them, never the render loop.
#[async_trait]
pub trait Provider: Send + Sync + std::fmt::Debug {
    /// Region this provider talks to (for the header).
    fn region(&self) -> &str;

    /// Who we are (STS GetCallerIdentity).
    async fn caller_identity(&self) -> ProviderResult<Identity>;

    /// All metric and composite alarms, every page followed.
    async fn list_alarms(&self) -> ProviderResult<Vec<Alarm>>;

    /// One alarm by name, `None` if there is none. Mutations look their
    /// alarm up here; the default lists everything, and providers where
    /// that costs several round trips ask for the one alarm instead.
    async fn alarm(&self, name: &str) -> ProviderResult<Option<Alarm>> {
        Ok(self
            .list_alarms()
            .await?
            .into_iter()
            .find(|a| a.name == name))
    }

    /// History of one alarm, newest first, within `range`, at most `limit` items.
    async fn alarm_history(
        &self,
        name: &str,
        range: TimeRange,
        limit: usize,
    ) -> ProviderResult<Vec<HistoryItem>>;

    /// Forces an alarm into a state (CloudWatch SetAlarmState).
    async fn set_alarm_state(
        &self,
        name: &str,
        state: AlarmState,
        reason: &str,
    ) -> ProviderResult<()>;

    /// Turns alarm actions on or off (Enable/DisableAlarmActions).
    async fn set_alarm_actions_enabled(
        &self,
        names: &[String],
        enabled: bool,
    ) -> ProviderResult<()>;

    /// Creates or replaces an alarm mute rule (PutAlarmMuteRule). Backends
    /// without mute rules answer [`ProviderError::Unsupported`] (the default),
    /// and callers fall back to disabling alarm actions.
    async fn put_mute_rule(&self, rule: &MuteRule) -> ProviderResult<()> {
        Err(ProviderError::Unsupported(format!(
            "alarm mute rules (could not create {})",
            rule.name
        )))
    }

    /// Deletes an alarm mute rule (DeleteAlarmMuteRule); same default as
    /// [`Provider::put_mute_rule`].
    async fn delete_mute_rule(&self, name: &str) -> ProviderResult<()> {
        Err(ProviderError::Unsupported(format!(
            "alarm mute rules (could not delete {name})"
        )))
    }

    /// Tags on a resource (alarms carry acks and silences as tags).
    async fn tags(&self, arn: &str) -> ProviderResult<BTreeMap<String, String>>;

    /// Adds or overwrites tags on a resource.
    async fn tag_resource(&self, arn: &str, tags: &BTreeMap<String, String>) -> ProviderResult<()>;

    /// Removes tags from a resource.
    async fn untag_resource(&self, arn: &str, keys: &[String]) -> ProviderResult<()>;

    /// Data for many queries over one range, in as few GetMetricData calls as
    /// the service allows: at most [`MAX_QUERIES_PER_CALL`] queries a call,
    /// identical queries sent once, pages followed. One series per query id
    /// that asked for data, in the order asked.
    async fn metric_data(
        &self,
        queries: &[MetricQuery],
        range: TimeRange,
    ) -> ProviderResult<Vec<Series>>;

    /// Publishes custom metric values (PutMetricData).
    async fn put_metric_data(&self, namespace: &str, data: &[MetricDatum]) -> ProviderResult<()>;

    /// Publishes a message to an SNS topic; returns the message id.
    async fn publish(
        &self,
        topic_arn: &str,
        subject: &str,
        message: &str,
    ) -> ProviderResult<String>;

    /// The account's dashboards.
    async fn list_dashboards(&self) -> ProviderResult<Vec<DashboardSummary>>;

    /// One dashboard's body JSON, as stored.
    async fn dashboard_body(&self, name: &str) -> ProviderResult<String>;

    /// The account's log groups, every page followed.
    async fn list_log_groups(&self) -> ProviderResult<Vec<LogGroup>>;

    /// One page of FilterLogEvents over one log group with an optional
    /// filter pattern.
    async fn filter_log_events(
        &self,
        group: &str,
        range: TimeRange,
        pattern: Option<&str>,
        next_token: Option<&str>,
    ) -> ProviderResult<LogPage>;

    /// One page of CloudTrail LookupEvents.
    async fn lookup_trail_events(&self, query: &TrailQuery) -> ProviderResult<TrailPage>;
}

/// Builds the provider an env asks for, as a future so the UI can run it in
/// the background: the demo account needs nothing; the AWS provider loads
/// profiles and builds clients.
pub fn connect(
    env: crate::config::ResolvedEnv,
    clock: std::sync::Arc<dyn crate::model::Clock>,
) -> crate::data::ProviderConnect {
    Box::pin(async move {
        let provider: std::sync::Arc<dyn Provider> = match env.kind {
            crate::config::EnvKind::Demo => {
                std::sync::Arc::new(sim::SimProvider::new(env.seed, clock, &env.prefix))
            }
            crate::config::EnvKind::Aws => {
                std::sync::Arc::new(aws::AwsProvider::connect(&env).await?)
            }
        };
        Ok(provider)
    })
}
