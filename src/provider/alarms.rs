//! CloudWatch alarms: reading them, their history and tags, and the
//! changes monitui makes to them (state, actions, mute rules, tags).

use std::collections::{BTreeMap, HashSet};

use async_trait::async_trait;

use super::{ProviderError, ProviderResult};
use crate::model::mute::MuteRule;
use crate::model::{Alarm, AlarmState, HistoryItem, HistoryKind, TimeRange};

/// The alarms in ALARM as one request answers them: the first thing an
/// on-call person needs, long before every page of a large account is in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FiringAlarms {
    /// Alarms in ALARM (at most one page of them).
    pub alarms: Vec<Alarm>,
    /// Whether these are all of them (`false`: more than one page are in
    /// ALARM, and only the full listing has the rest).
    pub all: bool,
}

/// What [`AlarmsRead::list_alarm_pages`] calls with each page.
pub type OnPage<'a> = dyn for<'p> FnMut(&'p [Alarm]) + Send + 'a;

/// Reads alarms. Calls may be slow or fail: only background jobs in
/// `data/` await them, never the render loop.
#[async_trait]
pub trait AlarmsRead: Send + Sync + std::fmt::Debug {
    /// All metric and composite alarms, every page followed.
    async fn list_alarms(&self) -> ProviderResult<Vec<Alarm>>;

    /// All metric and composite alarms like [`AlarmsRead::list_alarms`],
    /// handing each page to `on_page` as it arrives, so that work on a page
    /// (its tag reads) starts before the next page is asked for. The
    /// default hands over the whole list as one page.
    async fn list_alarm_pages(&self, on_page: &mut OnPage<'_>) -> ProviderResult<Vec<Alarm>> {
        let alarms = self.list_alarms().await?;
        on_page(&alarms);
        Ok(alarms)
    }

    /// The alarms in ALARM from one request (DescribeAlarms with
    /// StateValue=ALARM, one page), so a list can show what fires while
    /// the full listing still pages. The default filters the full list
    /// (backends where listing everything costs one call).
    async fn firing_alarms(&self) -> ProviderResult<FiringAlarms> {
        let mut alarms = self.list_alarms().await?;
        alarms.retain(|a| a.state == AlarmState::Alarm);
        Ok(FiringAlarms { alarms, all: true })
    }

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

    /// Every state change (StateUpdate item) of alarm `name` within
    /// `range`, newest first, all pages followed at the largest page size:
    /// what a backtest sets its verdicts beside. The default reads the
    /// whole history and keeps the state updates.
    async fn alarm_state_history(
        &self,
        name: &str,
        range: TimeRange,
    ) -> ProviderResult<Vec<HistoryItem>> {
        let mut items = self.alarm_history(name, range, usize::MAX).await?;
        items.retain(|h| h.kind == HistoryKind::StateUpdate);
        Ok(items)
    }

    /// State changes of every alarm within `range`, newest first, at most
    /// `limit` (one DescribeAlarmHistory listing, not one per alarm): the
    /// other alarms of an incident timeline.
    async fn state_changes(
        &self,
        range: TimeRange,
        limit: usize,
    ) -> ProviderResult<Vec<HistoryItem>>;

    /// Tags on an alarm (alarms carry acks and silences as tags).
    async fn tags(&self, arn: &str) -> ProviderResult<BTreeMap<String, String>>;

    /// Names of the alarm mute rules in force (one ListAlarmMuteRules
    /// listing), so that only muted alarms need their tags read; `None`
    /// where the service has no mute rules (the default).
    async fn active_mute_rules(&self) -> ProviderResult<Option<HashSet<String>>> {
        Ok(None)
    }
}

/// Changes alarms. Only the data layer holds one, and never in read-only
/// mode.
#[async_trait]
pub trait AlarmsWrite: Send + Sync + std::fmt::Debug {
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
    /// [`AlarmsWrite::put_mute_rule`].
    async fn delete_mute_rule(&self, name: &str) -> ProviderResult<()> {
        Err(ProviderError::Unsupported(format!(
            "alarm mute rules (could not delete {name})"
        )))
    }

    /// Adds or overwrites tags on an alarm.
    async fn tag_resource(&self, arn: &str, tags: &BTreeMap<String, String>) -> ProviderResult<()>;

    /// Removes tags from an alarm.
    async fn untag_resource(&self, arn: &str, keys: &[String]) -> ProviderResult<()>;
}
