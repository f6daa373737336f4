//! CloudWatch Logs: log groups (every page) and one page of FilterLogEvents
//! (the caller follows its token, so a tail can stop between pages), paced
//! to the service's quota.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_cloudwatchlogs::Client;
use aws_sdk_cloudwatchlogs::types as wl;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use super::convert::{from_millis, to_millis};
use super::errors::from_sdk;
use crate::model::{LogEvent, LogGroup, LogPage, TimeRange};
use crate::provider::ProviderResult;

/// DescribeLogGroups page size (the service maximum).
const GROUP_PAGE_SIZE: i32 = 50;
/// FilterLogEvents page size (the service maximum).
const EVENT_PAGE_SIZE: i32 = 10_000;

/// Time between two FilterLogEvents calls: the service allows five a
/// second per account and region, and counts every caller's calls.
pub const FILTER_INTERVAL: Duration = Duration::from_millis(200);

/// The pace of one account's FilterLogEvents calls: one call per
/// [`FILTER_INTERVAL`], no burst, so no second ever holds more than five.
/// Clones share it, so every tail and search of a connection waits its
/// turn at the same gate instead of each being throttled by the service.
#[derive(Debug, Clone)]
pub struct FilterQuota(Arc<DefaultDirectRateLimiter>);

impl Default for FilterQuota {
    fn default() -> Self {
        let quota = Quota::with_period(FILTER_INTERVAL)
            .expect("the interval is not zero")
            .allow_burst(NonZeroU32::MIN);
        Self(Arc::new(RateLimiter::direct(quota)))
    }
}

impl FilterQuota {
    /// Waits until the next call may go.
    pub async fn wait(&self) {
        self.0.until_ready().await;
    }
}

/// Every log group, all pages followed by the SDK's paginator.
pub async fn list_groups(client: &Client) -> ProviderResult<Vec<LogGroup>> {
    let groups = client
        .describe_log_groups()
        .limit(GROUP_PAGE_SIZE)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| from_sdk("DescribeLogGroups", e))?;
    Ok(groups.iter().map(from_group).collect())
}

/// One page of events of `group` within `range`, optionally filtered.
pub async fn filter_events(
    client: &Client,
    group: &str,
    range: TimeRange,
    pattern: Option<&str>,
    next_token: Option<&str>,
) -> ProviderResult<LogPage> {
    let page = client
        .filter_log_events()
        .log_group_name(group)
        .start_time(to_millis(range.start))
        .end_time(to_millis(range.end))
        .set_filter_pattern(pattern.map(str::to_string))
        .limit(EVENT_PAGE_SIZE)
        .set_next_token(next_token.map(str::to_string))
        .send()
        .await
        .map_err(|e| from_sdk("FilterLogEvents", e))?;
    let mut events: Vec<LogEvent> = page.events().iter().map(|e| from_event(group, e)).collect();
    events.sort_by_key(|e| e.timestamp);
    Ok(LogPage {
        events,
        next_token: page
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_string),
    })
}

/// Converts a log group.
fn from_group(g: &wl::LogGroup) -> LogGroup {
    LogGroup {
        name: g.log_group_name().unwrap_or_default().to_string(),
        retention_days: g.retention_in_days().map(|d| d.max(0) as u32),
        stored_bytes: g.stored_bytes().map(|b| b.max(0) as u64),
        kms_key_id: g.kms_key_id().map(str::to_string),
        created_at: g.creation_time().map(from_millis),
        last_event_at: None,
    }
}

/// Converts a filtered event of `group`.
fn from_event(group: &str, e: &wl::FilteredLogEvent) -> LogEvent {
    LogEvent {
        group: group.to_string(),
        stream: e.log_stream_name().unwrap_or_default().to_string(),
        timestamp: from_millis(e.timestamp().unwrap_or_default()),
        event_id: e.event_id().map(str::to_string),
        message: e.message().unwrap_or_default().to_string(),
    }
}
