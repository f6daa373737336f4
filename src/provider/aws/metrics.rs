//! GetMetricData (planned by [`super::plan`], pages followed) and
//! PutMetricData.

use std::collections::HashMap;

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataOutput;
use aws_sdk_cloudwatch::types::{self as cw, ScanBy, StatusCode};

use super::convert::{to_cw_dimensions, to_cw_metric, to_datetime, to_timestamp};
use super::errors::from_sdk;
use super::plan::{Answer, plan_for_service};
use crate::model::{MetricDatum, MetricQuery, QuerySource, Series, TimeRange};
use crate::provider::ProviderResult;

/// GetMetricData returns at most this many data points a page (the service
/// maximum, so as few pages as possible are asked for).
const MAX_DATAPOINTS_PER_CALL: i32 = 100_800;
/// PutMetricData accepts at most this many values a call.
const MAX_DATA_PER_PUT: usize = 1000;

/// What came back for one wire query across all pages.
#[derive(Debug, Clone, Default)]
struct Collected {
    label: Option<String>,
    points: Vec<(jiff::Timestamp, f64)>,
    messages: Vec<String>,
    partial: bool,
}

/// Runs every query over `range` in as few calls as allowed and fans the
/// results back to each asked id, oldest point first.
pub async fn metric_data(
    client: &Client,
    queries: &[MetricQuery],
    range: TimeRange,
) -> ProviderResult<Vec<Series>> {
    let plan = plan_for_service(queries)?;
    let mut collected: HashMap<String, Collected> = HashMap::new();
    for call in &plan.calls {
        fetch_call(client, call, range, &mut collected).await?;
    }
    Ok(plan
        .answers
        .iter()
        .map(|answer| {
            let got = collected.get(&answer.wire_id).cloned().unwrap_or_default();
            series_of(answer, got)
        })
        .collect())
}

/// Builds the series for one asked id.
fn series_of(answer: &Answer, mut got: Collected) -> Series {
    got.points.sort_by_key(|(t, _)| *t);
    let mut messages = got.messages;
    if got.partial && messages.is_empty() {
        messages.push("partial data: the service returned fewer points than exist".into());
    }
    Series {
        id: answer.id.clone(),
        label: answer
            .label
            .clone()
            .or(got.label)
            .unwrap_or_else(|| answer.id.clone()),
        points: got.points,
        message: (!messages.is_empty()).then(|| messages.join("; ")),
    }
}

/// One planned call with every page followed by the SDK's paginator.
async fn fetch_call(
    client: &Client,
    call: &[MetricQuery],
    range: TimeRange,
    collected: &mut HashMap<String, Collected>,
) -> ProviderResult<()> {
    let wire: Vec<cw::MetricDataQuery> = call.iter().map(to_wire_query).collect();
    let mut pages = client
        .get_metric_data()
        .set_metric_data_queries(Some(wire))
        .start_time(to_datetime(range.start))
        .end_time(to_datetime(range.end))
        .scan_by(ScanBy::TimestampAscending)
        .max_datapoints(MAX_DATAPOINTS_PER_CALL)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| from_sdk("GetMetricData", e))?;
        collect_page(&page, collected);
    }
    Ok(())
}

/// Adds one GetMetricData page to what was collected per wire id.
fn collect_page(page: &GetMetricDataOutput, collected: &mut HashMap<String, Collected>) {
    let general: Vec<String> = page
        .messages()
        .iter()
        .filter_map(|m| m.value().map(str::to_string))
        .collect();
    for result in page.metric_data_results() {
        let Some(id) = result.id() else { continue };
        let entry = collected.entry(id.to_string()).or_default();
        if entry.label.is_none() {
            entry.label = result.label().map(str::to_string);
        }
        entry.points.extend(
            result
                .timestamps()
                .iter()
                .map(to_timestamp)
                .zip(result.values().iter().copied()),
        );
        entry.messages.extend(
            result
                .messages()
                .iter()
                .filter_map(|m| m.value().map(str::to_string)),
        );
        entry.messages.extend(general.iter().cloned());
        entry.partial = result.status_code() == Some(&StatusCode::PartialData);
    }
}

/// Model query to wire query.
fn to_wire_query(q: &MetricQuery) -> cw::MetricDataQuery {
    let builder = cw::MetricDataQuery::builder()
        .id(&q.id)
        .set_label(q.label.clone())
        .return_data(q.return_data);
    match &q.source {
        QuerySource::Metric {
            metric,
            stat,
            period_secs,
        } => builder
            .metric_stat(
                cw::MetricStat::builder()
                    .metric(to_cw_metric(metric))
                    .stat(stat)
                    .period(*period_secs as i32)
                    .build(),
            )
            .build(),
        QuerySource::Expression {
            expression,
            period_secs,
        } => builder
            .expression(expression)
            .set_period(period_secs.map(|p| p as i32))
            .build(),
    }
}

/// Publishes `data` under `namespace`, in calls of at most
/// [`MAX_DATA_PER_PUT`] values.
pub async fn put_metric_data(
    client: &Client,
    namespace: &str,
    data: &[MetricDatum],
) -> ProviderResult<()> {
    for chunk in data.chunks(MAX_DATA_PER_PUT) {
        let wire = chunk
            .iter()
            .map(|d| {
                cw::MetricDatum::builder()
                    .metric_name(&d.metric.name)
                    .set_dimensions(Some(to_cw_dimensions(&d.metric.dimensions)))
                    .value(d.value)
                    .set_unit(d.unit.as_deref().map(cw::StandardUnit::from))
                    .set_timestamp(d.timestamp.map(to_datetime))
                    .build()
            })
            .collect();
        client
            .put_metric_data()
            .namespace(namespace)
            .set_metric_data(Some(wire))
            .send()
            .await
            .map_err(|e| from_sdk("PutMetricData", e))?;
    }
    Ok(())
}
