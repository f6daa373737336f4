//! The stack's metric alarms (of one metric, or of metric math such as a
//! target's burn-rate windows) and composite alarms: definition, the
//! topics they notify, tags.

use std::collections::BTreeMap;

use aws_sdk_cloudwatch::types::{
    AlarmType, ComparisonOperator, CompositeAlarm as SdkComposite, Dimension, MetricAlarm,
    Statistic,
};

use super::{AwsProvider, arn_tail, for_each, in_scope};
use crate::model::QuerySource;
use crate::model::stack::{Alarm, CompositeAlarm, Existing, Resource};
use crate::provider::aws::alarms::from_wire_query;
use crate::provider::aws::errors::from_sdk;
use crate::provider::aws::metrics::to_wire_query;
use crate::provider::aws::tags::wire_tags;
use crate::provider::provision::ReadScope;
use crate::provider::{ProviderError, ProviderResult};

/// DescribeAlarms page size and names per call (the service maximum).
const PAGE: i32 = 100;

/// Metric alarms named with the prefix, or named in the scope
/// (DescribeAlarms by prefix and by names in parallel, then tags of each).
pub async fn read(p: &AwsProvider, scope: &ReadScope<'_>) -> ProviderResult<Vec<Existing>> {
    let alarms = read_type(p, scope, AlarmType::MetricAlarm, |page| {
        page.metric_alarms.unwrap_or_default()
    })
    .await?;
    tagged(
        p,
        &alarms,
        |a| a.alarm_arn(),
        |a| Resource::Alarm(from_sdk_alarm(a)),
    )
    .await
}

/// Composite alarms named with the prefix, or named in the scope.
pub async fn read_composites(
    p: &AwsProvider,
    scope: &ReadScope<'_>,
) -> ProviderResult<Vec<Existing>> {
    let alarms = read_type(p, scope, AlarmType::CompositeAlarm, |page| {
        page.composite_alarms.unwrap_or_default()
    })
    .await?;
    tagged(
        p,
        &alarms,
        |a| a.alarm_arn(),
        |a| Resource::CompositeAlarm(from_sdk_composite(a)),
    )
    .await
}

type DescribeOutput = aws_sdk_cloudwatch::operation::describe_alarms::DescribeAlarmsOutput;

/// The alarms of `kind` in the scope, sorted by name, once each.
async fn read_type<T: AlarmName>(
    p: &AwsProvider,
    scope: &ReadScope<'_>,
    kind: AlarmType,
    of_page: fn(DescribeOutput) -> Vec<T>,
) -> ProviderResult<Vec<T>> {
    let outside: Vec<String> = scope
        .names
        .iter()
        .filter(|n| !n.starts_with(scope.prefix))
        .cloned()
        .collect();
    let by_prefix = describe(p, kind.clone(), of_page, |b| {
        b.alarm_name_prefix(scope.prefix)
    });
    let chunks: Vec<Vec<String>> = outside
        .chunks(PAGE as usize)
        .map(<[String]>::to_vec)
        .collect();
    let by_name = for_each(&chunks, |names| {
        describe(p, kind.clone(), of_page, move |b| {
            b.set_alarm_names(Some(names.clone()))
        })
    });
    let (mut alarms, more) = tokio::try_join!(by_prefix, by_name)?;
    alarms.extend(more.into_iter().flatten());
    alarms.retain(|a| a.name().is_some_and(|n| in_scope(scope, n)));
    alarms.sort_by(|a, b| a.name().cmp(&b.name()));
    alarms.dedup_by(|a, b| a.name() == b.name());
    Ok(alarms)
}

/// Each alarm as a resource with its tags.
async fn tagged<T: Sync>(
    p: &AwsProvider,
    alarms: &[T],
    arn: fn(&T) -> Option<&str>,
    resource: fn(&T) -> Resource,
) -> ProviderResult<Vec<Existing>> {
    for_each(alarms, |a| async move {
        let tags = match arn(a) {
            Some(arn) => crate::provider::aws::tags::list(p.reads.cloudwatch(), arn).await?,
            None => BTreeMap::new(),
        };
        Ok(Existing {
            resource: resource(a),
            tags,
        })
    })
    .await
}

/// The name of a metric or composite alarm of the SDK.
trait AlarmName {
    fn name(&self) -> Option<&str>;
}

impl AlarmName for MetricAlarm {
    fn name(&self) -> Option<&str> {
        self.alarm_name()
    }
}

impl AlarmName for SdkComposite {
    fn name(&self) -> Option<&str> {
        self.alarm_name()
    }
}

type Describe =
    aws_sdk_cloudwatch::operation::describe_alarms::builders::DescribeAlarmsFluentBuilder;

async fn describe<T>(
    p: &AwsProvider,
    kind: AlarmType,
    of_page: fn(DescribeOutput) -> Vec<T>,
    filter: impl FnOnce(Describe) -> Describe,
) -> ProviderResult<Vec<T>> {
    let pages = filter(
        p.reads
            .cloudwatch()
            .describe_alarms()
            .alarm_types(kind)
            .max_records(PAGE),
    )
    .into_paginator()
    .send()
    .try_collect()
    .await
    .map_err(|e| from_sdk("DescribeAlarms", e))?;
    Ok(pages.into_iter().flat_map(of_page).collect())
}

fn from_sdk_composite(a: &SdkComposite) -> CompositeAlarm {
    CompositeAlarm {
        name: a.alarm_name().unwrap_or_default().to_string(),
        description: a.alarm_description().unwrap_or_default().to_string(),
        rule: a.alarm_rule().unwrap_or_default().to_string(),
        topics: topics_of(a.alarm_actions()),
    }
}

/// The topic names of alarm actions, sorted.
fn topics_of(actions: &[String]) -> Vec<String> {
    let mut topics: Vec<String> = actions.iter().map(|arn| arn_tail(arn, ':')).collect();
    topics.sort();
    topics
}

fn from_sdk_alarm(a: &MetricAlarm) -> Alarm {
    let queries: Vec<_> = a.metrics().iter().filter_map(from_wire_query).collect();
    let period_of_queries = queries.iter().find_map(|q| match q.source {
        QuerySource::Metric { period_secs, .. } => Some(period_secs),
        QuerySource::Expression { .. } => None,
    });
    Alarm {
        name: a.alarm_name().unwrap_or_default().to_string(),
        description: a.alarm_description().unwrap_or_default().to_string(),
        namespace: a.namespace().unwrap_or_default().to_string(),
        metric: a.metric_name().unwrap_or_default().to_string(),
        dimensions: a
            .dimensions()
            .iter()
            .map(|d| {
                (
                    d.name().unwrap_or_default().to_string(),
                    d.value().unwrap_or_default().to_string(),
                )
            })
            .collect(),
        statistic: a
            .statistic()
            .map(|s| s.as_str().to_string())
            .or_else(|| a.extended_statistic().map(str::to_string))
            .unwrap_or_default(),
        queries,
        period: a
            .period()
            .map(|p| p.max(0) as u32)
            .or(period_of_queries)
            .unwrap_or_default(),
        evaluation_periods: a.evaluation_periods().unwrap_or_default().max(0) as u32,
        datapoints_to_alarm: a.datapoints_to_alarm().map(|d| d.max(0) as u32),
        threshold: a.threshold().unwrap_or_default(),
        comparison: a
            .comparison_operator()
            .map(|c| c.as_str().to_string())
            .unwrap_or_default(),
        treat_missing_data: a.treat_missing_data().unwrap_or("missing").to_string(),
        topics: topics_of(a.alarm_actions()),
    }
}

/// Creates the alarm (with `tags`) or, when it `exists`, changes what the
/// spec names. PutMetricAlarm replaces a whole alarm, so an update first
/// reads the alarm as it is now and keeps what the spec does not name:
/// whether actions are enabled (a silence turns them off; an apply must not
/// end it), the OK and INSUFFICIENT_DATA actions, the unit and the
/// low-sample-count percentile evaluation. Its tags (acks, silences) are
/// never sent on an update, so they stay as they are.
pub async fn put(
    p: &AwsProvider,
    alarm: &Alarm,
    exists: bool,
    tags: &BTreeMap<String, String>,
) -> ProviderResult<()> {
    let arns = p.arns().await?;
    let dimensions: Vec<Dimension> = alarm
        .dimensions
        .iter()
        .map(|(k, v)| Dimension::builder().name(k).value(v).build())
        .collect();
    let request = p
        .changes
        .cloudwatch()
        .put_metric_alarm()
        .alarm_name(&alarm.name)
        .alarm_description(&alarm.description)
        .evaluation_periods(alarm.evaluation_periods as i32)
        .set_datapoints_to_alarm(alarm.datapoints_to_alarm.map(|d| d as i32))
        .threshold(alarm.threshold)
        .comparison_operator(ComparisonOperator::from(alarm.comparison.as_str()))
        .treat_missing_data(&alarm.treat_missing_data)
        .set_alarm_actions(Some(alarm.topics.iter().map(|t| arns.topic(t)).collect()));
    // A metric-math alarm names no metric of its own: its queries carry
    // the metrics and their period.
    let request = if alarm.queries.is_empty() {
        request
            .namespace(&alarm.namespace)
            .metric_name(&alarm.metric)
            .set_dimensions(Some(dimensions))
            .statistic(Statistic::from(alarm.statistic.as_str()))
            .period(alarm.period as i32)
    } else {
        request.set_metrics(Some(alarm.queries.iter().map(to_wire_query).collect()))
    };
    let request = if exists {
        let now = describe(p, AlarmType::MetricAlarm, metric_alarms, |b| {
            b.alarm_names(&alarm.name)
        })
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| ProviderError::NotFound(format!("alarm {} no longer exists", alarm.name)))?;
        request
            .actions_enabled(now.actions_enabled().unwrap_or(true))
            .set_ok_actions(Some(now.ok_actions().to_vec()))
            .set_insufficient_data_actions(Some(now.insufficient_data_actions().to_vec()))
            .set_unit(now.unit().cloned())
            .set_evaluate_low_sample_count_percentile(
                now.evaluate_low_sample_count_percentile()
                    .map(str::to_string),
            )
    } else {
        request
            .actions_enabled(true)
            .set_tags(Some(wire_tags(tags)))
    };
    request
        .send()
        .await
        .map_err(|e| from_sdk("PutMetricAlarm", e))?;
    Ok(())
}

fn metric_alarms(page: DescribeOutput) -> Vec<MetricAlarm> {
    page.metric_alarms.unwrap_or_default()
}

fn composite_alarms(page: DescribeOutput) -> Vec<SdkComposite> {
    page.composite_alarms.unwrap_or_default()
}

/// Creates the composite alarm (with `tags`) or, when it `exists`,
/// changes what the spec names, keeping (as [`put`] does) whether its
/// actions are enabled and its OK and INSUFFICIENT_DATA actions; tags are
/// never sent on an update. CloudWatch refuses a rule naming an alarm
/// that does not exist, so its children are made first (their kind comes
/// first in apply order).
pub async fn put_composite(
    p: &AwsProvider,
    alarm: &CompositeAlarm,
    exists: bool,
    tags: &BTreeMap<String, String>,
) -> ProviderResult<()> {
    let arns = p.arns().await?;
    let request = p
        .changes
        .cloudwatch()
        .put_composite_alarm()
        .alarm_name(&alarm.name)
        .alarm_description(&alarm.description)
        .alarm_rule(&alarm.rule)
        .set_alarm_actions(Some(alarm.topics.iter().map(|t| arns.topic(t)).collect()));
    let request = if exists {
        let now = describe(p, AlarmType::CompositeAlarm, composite_alarms, |b| {
            b.alarm_names(&alarm.name)
        })
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| {
            ProviderError::NotFound(format!("composite alarm {} no longer exists", alarm.name))
        })?;
        request
            .actions_enabled(now.actions_enabled().unwrap_or(true))
            .set_ok_actions(Some(now.ok_actions().to_vec()))
            .set_insufficient_data_actions(Some(now.insufficient_data_actions().to_vec()))
    } else {
        request
            .actions_enabled(true)
            .set_tags(Some(wire_tags(tags)))
    };
    request
        .send()
        .await
        .map_err(|e| from_sdk("PutCompositeAlarm", e))?;
    Ok(())
}

/// Deletes the alarm (metric or composite: CloudWatch refuses to delete
/// an alarm a composite still names, so composites go first).
pub async fn delete(p: &AwsProvider, name: &str) -> ProviderResult<()> {
    p.changes
        .cloudwatch()
        .delete_alarms()
        .alarm_names(name)
        .send()
        .await
        .map_err(|e| from_sdk("DeleteAlarms", e))?;
    Ok(())
}
