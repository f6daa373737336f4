//! Logs Insights over aws-sdk-cloudwatchlogs: StartQuery, GetQueryResults
//! and StopQuery, results turned into a [`QueryTable`].

use aws_sdk_cloudwatchlogs::Client;
use aws_sdk_cloudwatchlogs::types as wl;

use super::errors::from_sdk;
use crate::model::insights::{
    QueryRequest, QueryResults, QueryStatistics, QueryStatus, QueryTable,
};
use crate::provider::ProviderResult;

/// StartQuery over the request's groups and window (whole seconds, the
/// service's unit: the start rounds down, the end up).
pub async fn start(client: &Client, request: &QueryRequest) -> ProviderResult<String> {
    let start = request.range.start.as_second();
    let end_ms = request.range.end.as_millisecond();
    let end = end_ms.div_euclid(1000) + i64::from(end_ms.rem_euclid(1000) != 0);
    let answer = client
        .start_query()
        .set_log_group_names((!request.groups.is_empty()).then(|| request.groups.clone()))
        .query_language(wl::QueryLanguage::from(request.language.as_str()))
        .start_time(start)
        .end_time(end)
        .query_string(&request.query)
        .set_limit(request.limit.map(|l| l.min(i32::MAX as u32) as i32))
        .send()
        .await
        .map_err(|e| from_sdk("StartQuery", e))?;
    Ok(answer.query_id().unwrap_or_default().to_string())
}

/// GetQueryResults of `query_id`.
pub async fn results(client: &Client, query_id: &str) -> ProviderResult<QueryResults> {
    let answer = client
        .get_query_results()
        .query_id(query_id)
        .send()
        .await
        .map_err(|e| from_sdk("GetQueryResults", e))?;
    let table = QueryTable::from_field_rows(answer.results().iter().map(|row| {
        row.iter().map(|f: &wl::ResultField| {
            (
                f.field().unwrap_or_default().to_string(),
                f.value().unwrap_or_default().to_string(),
            )
        })
    }));
    let statistics = answer
        .statistics()
        .map_or_else(QueryStatistics::default, |s| QueryStatistics {
            records_matched: s.records_matched(),
            records_scanned: s.records_scanned(),
            bytes_scanned: s.bytes_scanned(),
        });
    Ok(QueryResults {
        status: answer
            .status()
            .map_or(QueryStatus::Unknown, |s| QueryStatus::parse(s.as_str())),
        table,
        statistics,
    })
}

/// StopQuery of `query_id`.
pub async fn stop(client: &Client, query_id: &str) -> ProviderResult<bool> {
    let answer = client
        .stop_query()
        .query_id(query_id)
        .send()
        .await
        .map_err(|e| from_sdk("StopQuery", e))?;
    Ok(answer.success())
}
