//! CloudWatch alarms: listing (metric and composite, every page), history,
//! forced states and alarm actions.

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::operation::describe_alarms::DescribeAlarmsOutput;
use aws_sdk_cloudwatch::operation::describe_alarms::builders::DescribeAlarmsFluentBuilder;
use aws_sdk_cloudwatch::types::{self as cw, AlarmType, HistoryItemType, StateValue};
use jiff::Timestamp;

use super::convert::{from_cw_metric, opt_timestamp, to_datetime, to_timestamp};
use super::errors::from_sdk;
use crate::model::{
    Alarm, AlarmKind, AlarmState, Comparison, HistoryItem, HistoryKind, MetricAlarmSpec,
    MetricQuery, QuerySource, TimeRange, TreatMissingData,
};
use crate::provider::{FiringAlarms, OnPage, ProviderResult};

/// DescribeAlarms page size (the service maximum).
const ALARM_PAGE_SIZE: i32 = 100;
/// DescribeAlarmHistory page size (the service maximum).
const HISTORY_PAGE_SIZE: usize = 100;

/// Every metric and composite alarm, following NextToken to the end.
pub async fn list(client: &Client) -> ProviderResult<Vec<Alarm>> {
    list_pages(client, &mut |_| {}).await
}

/// Every metric and composite alarm, `on_page` called with each page as
/// it arrives.
pub async fn list_pages(client: &Client, on_page: &mut OnPage<'_>) -> ProviderResult<Vec<Alarm>> {
    describe(client, None, on_page).await
}

/// The alarm called `name`, in one DescribeAlarms call filtered by name.
pub async fn get(client: &Client, name: &str) -> ProviderResult<Option<Alarm>> {
    Ok(describe(client, Some(name), &mut |_| {})
        .await?
        .into_iter()
        .find(|a| a.name == name))
}

/// The first page of the alarms in ALARM (StateValue=ALARM), and whether
/// the service has more.
pub async fn firing(client: &Client) -> ProviderResult<FiringAlarms> {
    let page = request(client)
        .state_value(StateValue::Alarm)
        .send()
        .await
        .map_err(|e| from_sdk("DescribeAlarms", e))?;
    Ok(FiringAlarms {
        alarms: alarms_of(&page),
        all: page.next_token().is_none_or(str::is_empty),
    })
}

/// A DescribeAlarms request for metric and composite alarms, a full page
/// at a time.
fn request(client: &Client) -> DescribeAlarmsFluentBuilder {
    client
        .describe_alarms()
        .alarm_types(AlarmType::MetricAlarm)
        .alarm_types(AlarmType::CompositeAlarm)
        .max_records(ALARM_PAGE_SIZE)
}

/// The alarms of one DescribeAlarms page.
fn alarms_of(page: &DescribeAlarmsOutput) -> Vec<Alarm> {
    let metric = page.metric_alarms().iter().map(from_metric_alarm);
    metric
        .chain(page.composite_alarms().iter().map(from_composite_alarm))
        .collect()
}

/// DescribeAlarms for every alarm, or only `name`, all pages followed by
/// the SDK's paginator, each handed to `on_page` as it arrives.
async fn describe(
    client: &Client,
    name: Option<&str>,
    on_page: &mut OnPage<'_>,
) -> ProviderResult<Vec<Alarm>> {
    let mut pages = request(client)
        .set_alarm_names(name.map(|n| vec![n.to_string()]))
        .into_paginator()
        .send();
    let mut alarms = Vec::new();
    while let Some(page) = pages.next().await {
        let page = alarms_of(&page.map_err(|e| from_sdk("DescribeAlarms", e))?);
        on_page(&page);
        alarms.extend(page);
    }
    Ok(alarms)
}

/// History of `name` within `range`, newest first, at most `limit` items.
/// The paginator fetches lazily, so no page past `limit` is asked for.
pub async fn history(
    client: &Client,
    name: &str,
    range: TimeRange,
    limit: usize,
) -> ProviderResult<Vec<HistoryItem>> {
    history_where(client, Some(name), None, range, limit).await
}

/// Every StateUpdate item of `name` within `range`, newest first, every
/// page followed at the largest page size.
pub async fn state_history(
    client: &Client,
    name: &str,
    range: TimeRange,
) -> ProviderResult<Vec<HistoryItem>> {
    history_where(
        client,
        Some(name),
        Some(HistoryItemType::StateUpdate),
        range,
        usize::MAX,
    )
    .await
}

/// State changes of every alarm within `range`, newest first, at most
/// `limit`: one listing of the whole account's history.
pub async fn state_changes(
    client: &Client,
    range: TimeRange,
    limit: usize,
) -> ProviderResult<Vec<HistoryItem>> {
    history_where(
        client,
        None,
        Some(HistoryItemType::StateUpdate),
        range,
        limit,
    )
    .await
}

async fn history_where(
    client: &Client,
    name: Option<&str>,
    kind: Option<HistoryItemType>,
    range: TimeRange,
    limit: usize,
) -> ProviderResult<Vec<HistoryItem>> {
    let mut stream = client
        .describe_alarm_history()
        .set_alarm_name(name.map(str::to_string))
        .set_history_item_type(kind)
        .start_date(to_datetime(range.start))
        .end_date(to_datetime(range.end))
        .scan_by(cw::ScanBy::TimestampDescending)
        .max_records(limit.clamp(1, HISTORY_PAGE_SIZE) as i32)
        .into_paginator()
        .items()
        .send();
    let mut items = Vec::new();
    while items.len() < limit {
        let Some(item) = stream.next().await else {
            break;
        };
        let item = item.map_err(|e| from_sdk("DescribeAlarmHistory", e))?;
        items.push(from_history_item(&item));
    }
    Ok(items)
}

/// Forces `name` into `state` (SetAlarmState).
pub async fn set_state(
    client: &Client,
    name: &str,
    state: AlarmState,
    reason: &str,
) -> ProviderResult<()> {
    client
        .set_alarm_state()
        .alarm_name(name)
        .state_value(StateValue::from(state.as_str()))
        .state_reason(reason)
        .send()
        .await
        .map_err(|e| from_sdk("SetAlarmState", e))?;
    Ok(())
}

/// Enables or disables the actions of `names`.
pub async fn set_actions_enabled(
    client: &Client,
    names: &[String],
    enabled: bool,
) -> ProviderResult<()> {
    if enabled {
        client
            .enable_alarm_actions()
            .set_alarm_names(Some(names.to_vec()))
            .send()
            .await
            .map_err(|e| from_sdk("EnableAlarmActions", e))?;
    } else {
        client
            .disable_alarm_actions()
            .set_alarm_names(Some(names.to_vec()))
            .send()
            .await
            .map_err(|e| from_sdk("DisableAlarmActions", e))?;
    }
    Ok(())
}

/// Builds an [`Alarm`] of `kind` from the fields metric and composite alarms
/// share. The SDK gives `cw::MetricAlarm` and `cw::CompositeAlarm` the same
/// accessors but no common trait, hence a macro rather than a function.
macro_rules! alarm_with_kind {
    ($a:expr, $kind:expr) => {{
        let a = $a;
        Alarm {
            name: a.alarm_name().unwrap_or_default().to_string(),
            arn: a.alarm_arn().unwrap_or_default().to_string(),
            description: a.alarm_description().map(str::to_string),
            state: state_of(a.state_value()),
            reason: a.state_reason().unwrap_or_default().to_string(),
            reason_data: a.state_reason_data().map(str::to_string),
            updated_at: first_time([
                a.state_updated_timestamp(),
                a.state_transitioned_timestamp(),
                a.alarm_configuration_updated_timestamp(),
            ]),
            transitioned_at: first_time([
                a.state_transitioned_timestamp(),
                a.state_updated_timestamp(),
                a.alarm_configuration_updated_timestamp(),
            ]),
            kind: $kind,
            actions_enabled: a.actions_enabled().unwrap_or(true),
            alarm_actions: a.alarm_actions().to_vec(),
            ok_actions: a.ok_actions().to_vec(),
            insufficient_data_actions: a.insufficient_data_actions().to_vec(),
        }
    }};
}

/// Converts a metric alarm.
pub fn from_metric_alarm(a: &cw::MetricAlarm) -> Alarm {
    let state_query = a.metrics().iter().find(|q| q.return_data().unwrap_or(true));
    let stat_of_query = state_query
        .and_then(|q| q.metric_stat())
        .map(|s| s.stat().unwrap_or_default().to_string());
    let period_of_query =
        state_query.and_then(|q| q.metric_stat().and_then(|s| s.period()).or(q.period()));
    let metric = match (a.namespace(), a.metric_name()) {
        (Some(_), Some(_)) => from_cw_metric(
            &cw::Metric::builder()
                .set_namespace(a.namespace().map(str::to_string))
                .set_metric_name(a.metric_name().map(str::to_string))
                .set_dimensions(Some(a.dimensions().to_vec()))
                .build(),
        ),
        _ => state_query
            .and_then(|q| q.metric_stat())
            .and_then(|s| s.metric())
            .and_then(from_cw_metric),
    };
    let stat = a
        .statistic()
        .map(|s| s.as_str().to_string())
        .or_else(|| a.extended_statistic().map(str::to_string))
        .or(stat_of_query)
        .unwrap_or_default();
    let spec = MetricAlarmSpec {
        metric,
        stat,
        period_secs: non_negative(a.period().or(period_of_query)),
        evaluation_periods: non_negative(a.evaluation_periods()),
        datapoints_to_alarm: a.datapoints_to_alarm().map(|d| d.max(0) as u32),
        threshold: a.threshold().unwrap_or_default(),
        comparison: a
            .comparison_operator()
            .and_then(|c| Comparison::parse(c.as_str()))
            .unwrap_or(Comparison::GreaterThanThreshold),
        treat_missing: TreatMissingData::parse(a.treat_missing_data()),
        queries: a.metrics().iter().filter_map(from_wire_query).collect(),
        threshold_metric_id: a.threshold_metric_id().map(str::to_string),
    };
    alarm_with_kind!(a, AlarmKind::Metric(spec))
}

/// One of a metric alarm's `Metrics` as a model query; `None` for a query
/// with neither a metric nor an expression.
pub(super) fn from_wire_query(q: &cw::MetricDataQuery) -> Option<MetricQuery> {
    let source = match (q.metric_stat(), q.expression()) {
        (Some(stat), _) => QuerySource::Metric {
            metric: stat.metric().and_then(from_cw_metric)?,
            stat: stat.stat().unwrap_or_default().to_string(),
            period_secs: non_negative(stat.period().or(q.period())),
        },
        (None, Some(expression)) => QuerySource::Expression {
            expression: expression.to_string(),
            period_secs: q.period().map(|p| p.max(0) as u32),
        },
        (None, None) => return None,
    };
    Some(MetricQuery {
        id: q.id().unwrap_or_default().to_string(),
        source,
        label: q.label().map(str::to_string),
        return_data: q.return_data().unwrap_or(true),
    })
}

/// Converts a composite alarm.
pub fn from_composite_alarm(a: &cw::CompositeAlarm) -> Alarm {
    alarm_with_kind!(
        a,
        AlarmKind::Composite {
            rule: a.alarm_rule().unwrap_or_default().to_string(),
        }
    )
}

/// Converts one history entry, reading the state transition from its
/// HistoryData JSON when it has one.
pub fn from_history_item(h: &cw::AlarmHistoryItem) -> HistoryItem {
    let kind = match h.history_item_type() {
        Some(HistoryItemType::ConfigurationUpdate) => HistoryKind::ConfigurationUpdate,
        Some(HistoryItemType::Action | HistoryItemType::AlarmContributorAction) => {
            HistoryKind::Action
        }
        _ => HistoryKind::StateUpdate,
    };
    let transition = match kind {
        HistoryKind::StateUpdate => h.history_data().and_then(parse_transition),
        _ => None,
    };
    HistoryItem {
        alarm_name: h.alarm_name().unwrap_or_default().to_string(),
        timestamp: opt_timestamp(h.timestamp()).unwrap_or(Timestamp::UNIX_EPOCH),
        kind,
        summary: h.history_summary().unwrap_or_default().to_string(),
        transition,
    }
}

/// `oldState.stateValue` and `newState.stateValue` of a HistoryData document.
pub fn parse_transition(data: &str) -> Option<(AlarmState, AlarmState)> {
    let doc: serde_json::Value = serde_json::from_str(data).ok()?;
    let state = |key: &str| {
        doc.get(key)?
            .get("stateValue")?
            .as_str()
            .and_then(AlarmState::parse)
    };
    Some((state("oldState")?, state("newState")?))
}

/// The model state for a wire state; unknown values read as INSUFFICIENT_DATA.
fn state_of(value: Option<&StateValue>) -> AlarmState {
    value
        .and_then(|v| AlarmState::parse(v.as_str()))
        .unwrap_or(AlarmState::InsufficientData)
}

/// The first of `candidates` the service sent, in order of preference
/// (services that omit the state times still send the configuration time).
fn first_time(candidates: [Option<&aws_smithy_types::DateTime>; 3]) -> Timestamp {
    candidates
        .into_iter()
        .flatten()
        .next()
        .map(to_timestamp)
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// A non-negative wire integer, 0 when absent.
fn non_negative(v: Option<i32>) -> u32 {
    v.map_or(0, |v| v.max(0) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_types::DateTime;

    #[test]
    fn metric_alarm_converts_every_field() {
        let updated = DateTime::from_secs(1_700_000_000);
        let a = cw::MetricAlarm::builder()
            .alarm_name("api-5xx")
            .alarm_arn("arn:aws:cloudwatch:us-east-1:1:alarm:api-5xx")
            .state_value(StateValue::Alarm)
            .state_reason("Threshold crossed")
            .state_updated_timestamp(updated)
            .namespace("AWS/ApiGateway")
            .metric_name("5XXError")
            .dimensions(
                cw::Dimension::builder()
                    .name("ApiName")
                    .value("shop")
                    .build(),
            )
            .statistic(cw::Statistic::Sum)
            .period(300)
            .evaluation_periods(2)
            .datapoints_to_alarm(1)
            .threshold(10.0)
            .comparison_operator(cw::ComparisonOperator::GreaterThanThreshold)
            .treat_missing_data("notBreaching")
            .actions_enabled(false)
            .alarm_actions("arn:aws:sns:us-east-1:1:alerts")
            .build();
        let alarm = from_metric_alarm(&a);
        assert_eq!(alarm.name, "api-5xx");
        assert_eq!(alarm.state, AlarmState::Alarm);
        assert_eq!(alarm.updated_at, to_timestamp(&updated));
        assert_eq!(
            alarm.transitioned_at,
            to_timestamp(&updated),
            "without a transition time the update time stands in"
        );
        assert!(!alarm.actions_enabled);
        assert_eq!(alarm.alarm_actions, vec!["arn:aws:sns:us-east-1:1:alerts"]);
        let spec = alarm.metric_spec().expect("metric alarm");
        assert_eq!(spec.metric.as_ref().unwrap().dimensions[0].value, "shop");
        assert_eq!(spec.stat, "Sum");
        assert_eq!((spec.period_secs, spec.m_of_n()), (300, (1, 2)));
        assert_eq!(spec.comparison, Comparison::GreaterThanThreshold);
        assert_eq!(spec.treat_missing, TreatMissingData::NotBreaching);
    }

    #[test]
    fn the_transition_time_is_the_episode_and_the_update_time_is_kept_apart() {
        let transitioned = DateTime::from_secs(1_700_000_000);
        let updated = DateTime::from_secs(1_700_000_600);
        let a = cw::CompositeAlarm::builder()
            .alarm_name("platform")
            .state_value(StateValue::Alarm)
            .state_transitioned_timestamp(transitioned)
            .state_updated_timestamp(updated)
            .alarm_configuration_updated_timestamp(DateTime::from_secs(1_600_000_000))
            .build();
        let alarm = from_composite_alarm(&a);
        assert_eq!(alarm.transitioned_at, to_timestamp(&transitioned));
        assert_eq!(alarm.in_state_since(), to_timestamp(&transitioned));
        assert_eq!(alarm.updated_at, to_timestamp(&updated));
        let configured_only = cw::MetricAlarm::builder()
            .alarm_name("new")
            .alarm_configuration_updated_timestamp(DateTime::from_secs(1_600_000_000))
            .build();
        let alarm = from_metric_alarm(&configured_only);
        assert_eq!(alarm.transitioned_at, alarm.updated_at);
        assert_eq!(alarm.transitioned_at.as_second(), 1_600_000_000);
    }

    #[test]
    fn anomaly_alarm_keeps_its_queries_band_id_and_reason_data() {
        let metric = cw::Metric::builder()
            .namespace("AWS/EC2")
            .metric_name("CPUUtilization")
            .build();
        let a = cw::MetricAlarm::builder()
            .alarm_name("cpu-anomaly")
            .state_reason_data(r#"{"version":"1.0"}"#)
            .evaluation_periods(2)
            .comparison_operator(cw::ComparisonOperator::GreaterThanUpperThreshold)
            .threshold_metric_id("ad1")
            .metrics(
                cw::MetricDataQuery::builder()
                    .id("m1")
                    .return_data(true)
                    .metric_stat(
                        cw::MetricStat::builder()
                            .metric(metric)
                            .stat("Average")
                            .period(300)
                            .build(),
                    )
                    .build(),
            )
            .metrics(
                cw::MetricDataQuery::builder()
                    .id("ad1")
                    .expression("ANOMALY_DETECTION_BAND(m1, 2)")
                    .label("CPUUtilization (expected)")
                    .return_data(true)
                    .build(),
            )
            .build();
        let alarm = from_metric_alarm(&a);
        assert_eq!(alarm.reason_data.as_deref(), Some(r#"{"version":"1.0"}"#));
        let spec = alarm.metric_spec().unwrap();
        assert_eq!(spec.threshold_metric_id.as_deref(), Some("ad1"));
        assert_eq!(spec.queries.len(), 2);
        assert_eq!(
            spec.queries[1].source,
            QuerySource::Expression {
                expression: "ANOMALY_DETECTION_BAND(m1, 2)".into(),
                period_secs: None
            }
        );
        assert_eq!(spec.period_secs, 300, "the period comes from the query");
        assert_eq!(spec.metric.as_ref().unwrap().name, "CPUUtilization");
    }

    #[test]
    fn composite_alarm_keeps_its_rule() {
        let a = cw::CompositeAlarm::builder()
            .alarm_name("platform")
            .alarm_rule("ALARM(a) OR ALARM(b)")
            .state_value(StateValue::Ok)
            .build();
        let alarm = from_composite_alarm(&a);
        assert_eq!(alarm.state, AlarmState::Ok);
        assert_eq!(alarm.threshold_label(), "ALARM(a) OR ALARM(b)");
    }

    #[test]
    fn history_transition_is_read_from_history_data() {
        let data = r#"{"version":"1.0","oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM","stateReason":"x"}}"#;
        assert_eq!(
            parse_transition(data),
            Some((AlarmState::Ok, AlarmState::Alarm))
        );
        assert_eq!(parse_transition("not json"), None);
        let item = cw::AlarmHistoryItem::builder()
            .alarm_name("a")
            .history_item_type(HistoryItemType::StateUpdate)
            .history_data(data)
            .history_summary("Alarm updated from OK to ALARM")
            .build();
        let converted = from_history_item(&item);
        assert_eq!(converted.kind, HistoryKind::StateUpdate);
        assert_eq!(
            converted.transition,
            Some((AlarmState::Ok, AlarmState::Alarm))
        );
    }
}
