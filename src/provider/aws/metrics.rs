//! GetMetricData (planned by [`super::plan`], the planned calls side by
//! side, pages followed), ListMetrics (every page) and PutMetricData.

use std::collections::HashMap;

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataOutput;
use aws_sdk_cloudwatch::types::{self as cw, ScanBy, StatusCode};

use super::convert::{from_cw_metric, to_cw_dimensions, to_cw_metric, to_datetime, to_timestamp};
use super::errors::from_sdk;
use super::plan::{Answer, plan_for_service};
use crate::model::metric_browse::{MetricFilter, MetricList};
use crate::model::{MetricDatum, MetricQuery, QuerySource, Series, TimeRange};
use crate::provider::metrics::MAX_DATAPOINTS_PER_CALL;
use crate::provider::{ProviderError, ProviderResult};

/// PutMetricData accepts at most this many values a call.
const MAX_DATA_PER_PUT: usize = 1000;

/// What came back for one series of a wire query across all pages (a
/// SEARCH expression answers with several series under its one id, told
/// apart by their labels).
#[derive(Debug, Clone, Default)]
struct Collected {
    label: Option<String>,
    points: Vec<(jiff::Timestamp, f64)>,
    messages: Vec<String>,
    partial: bool,
}

/// Runs every query over `range` in as few calls as allowed (sent side by
/// side) and fans the results back to each asked id, oldest point first.
pub async fn metric_data(
    client: &Client,
    queries: &[MetricQuery],
    range: TimeRange,
) -> ProviderResult<Vec<Series>> {
    let plan = plan_for_service(queries)?;
    let mut calls = tokio::task::JoinSet::new();
    for call in plan.calls {
        let client = Client::clone(client);
        calls.spawn(async move { fetch_call(&client, &call, range).await });
    }
    let mut collected = Collections::new();
    while let Some(done) = calls.join_next().await {
        let got = done.map_err(|e| ProviderError::Network {
            operation: "GetMetricData".into(),
            message: e.to_string(),
        })??;
        for (id, series) in got {
            collected.entry(id).or_default().extend(series);
        }
    }
    Ok(plan
        .answers
        .iter()
        .flat_map(|answer| {
            let got = collected.get(&answer.wire_id).cloned().unwrap_or_default();
            if got.is_empty() {
                return vec![series_of(answer, Collected::default(), false)];
            }
            let several = got.len() > 1;
            got.into_iter()
                .map(|c| series_of(answer, c, several))
                .collect()
        })
        .collect())
}

/// Per wire id, its series in the order they first came.
type Collections = HashMap<String, Vec<Collected>>;

/// Builds the series of one asked id from one collected series; the
/// caller's label wins unless the id has `several` series (a SEARCH), which
/// the service's labels tell apart.
fn series_of(answer: &Answer, mut got: Collected, several: bool) -> Series {
    got.points.sort_by_key(|(t, _)| *t);
    let mut messages = got.messages;
    if got.partial && messages.is_empty() {
        messages.push("partial data: the service returned fewer points than exist".into());
    }
    Series {
        id: answer.id.clone(),
        label: if several {
            got.label.or_else(|| answer.label.clone())
        } else {
            answer.label.clone().or(got.label)
        }
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
) -> ProviderResult<Collections> {
    let wire: Vec<cw::MetricDataQuery> = call.iter().map(to_wire_query).collect();
    let mut pages = client
        .get_metric_data()
        .set_metric_data_queries(Some(wire))
        .start_time(to_datetime(range.start))
        .end_time(to_datetime(range.end))
        .scan_by(ScanBy::TimestampAscending)
        .max_datapoints(MAX_DATAPOINTS_PER_CALL as i32)
        .into_paginator()
        .send();
    let mut collected = Collections::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| from_sdk("GetMetricData", e))?;
        collect_page(&page, &mut collected);
    }
    Ok(collected)
}

/// Adds one GetMetricData page to what was collected per wire id and
/// label. Within a page, a second result with the same id and label is
/// another series (an anomaly band's two limits can share their label);
/// across pages, the n-th such result continues the n-th series.
fn collect_page(page: &GetMetricDataOutput, collected: &mut Collections) {
    let general: Vec<String> = page
        .messages()
        .iter()
        .filter_map(|m| m.value().map(str::to_string))
        .collect();
    let mut seen: HashMap<(&str, Option<&str>), usize> = HashMap::new();
    for result in page.metric_data_results() {
        let Some(id) = result.id() else { continue };
        let nth = seen.entry((id, result.label())).or_default();
        let label = result.label().map(str::to_string);
        let all = collected.entry(id.to_string()).or_default();
        let same = all
            .iter()
            .enumerate()
            .filter(|(_, c)| c.label == label)
            .nth(*nth)
            .map(|(at, _)| at);
        *nth += 1;
        let at = match same {
            Some(at) => at,
            None => {
                all.push(Collected {
                    label,
                    ..Collected::default()
                });
                all.len() - 1
            }
        };
        let entry = &mut all[at];
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
pub(super) fn to_wire_query(q: &MetricQuery) -> cw::MetricDataQuery {
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

/// ListMetrics with `filter` sent to the service, every page followed
/// until `limit` metrics are read.
pub async fn list_metrics(
    client: &Client,
    filter: &MetricFilter,
    limit: usize,
) -> ProviderResult<MetricList> {
    let dimensions = filter
        .dimensions
        .iter()
        .map(|d| {
            cw::DimensionFilter::builder()
                .name(&d.name)
                .set_value(d.value.clone())
                .build()
        })
        .collect::<Vec<_>>();
    let mut pages = client
        .list_metrics()
        .set_namespace(filter.namespace.clone())
        .set_metric_name(filter.name.clone())
        .set_dimensions((!dimensions.is_empty()).then_some(dimensions))
        .into_paginator()
        .send();
    let mut metrics = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| from_sdk("ListMetrics", e))?;
        metrics.extend(page.metrics().iter().filter_map(from_cw_metric));
        if metrics.len() >= limit {
            let more = page.next_token().is_some() || metrics.len() > limit;
            metrics.truncate(limit);
            return Ok(MetricList::sorted(metrics, more));
        }
    }
    Ok(MetricList::sorted(metrics, false))
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
