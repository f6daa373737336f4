//! Following every FilterLogEvents page of one log group, throttling
//! retried with backoff: the one loop `logs search` and the tail share.

use std::sync::Arc;

use super::backoff::Backoff;
use crate::model::{LogEvent, TimeRange};
use crate::provider::{LogsRead, ProviderError};

/// How often a throttled FilterLogEvents call is tried again.
pub const THROTTLE_RETRIES: u32 = 5;

/// What one group's fetch asks for.
#[derive(Debug, Clone)]
pub struct GroupFetch {
    /// The group.
    pub group: String,
    /// Time window.
    pub range: TimeRange,
    /// Server-side filter pattern.
    pub pattern: Option<String>,
    /// Stop after this many events (the service may have more).
    pub limit: usize,
}

/// What one group's fetch found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fetched {
    /// Events in the order the service gave them (oldest first per page).
    pub events: Vec<LogEvent>,
    /// FilterLogEvents calls that answered.
    pub calls: usize,
    /// Whether the limit cut it short while the service had more.
    pub truncated: bool,
}

/// Fetches every page of `fetch`, up to its limit, retrying throttling
/// with `backoff`.
pub async fn fetch_group(
    logs: &dyn LogsRead,
    fetch: &GroupFetch,
    backoff: Backoff,
) -> Result<Fetched, ProviderError> {
    let mut out = Fetched::default();
    let mut token: Option<String> = None;
    loop {
        let page = with_retries(backoff, || {
            logs.filter_log_events(
                &fetch.group,
                fetch.range,
                fetch.pattern.as_deref(),
                token.as_deref(),
            )
        })
        .await?;
        out.calls += 1;
        out.events.extend(page.events);
        if out.events.len() >= fetch.limit {
            out.truncated = out.events.len() > fetch.limit || page.next_token.is_some();
            out.events.truncate(fetch.limit);
            return Ok(out);
        }
        match page.next_token {
            // A token equal to the one sent would loop forever.
            Some(next) if token.as_deref() != Some(next.as_str()) => token = Some(next),
            _ => return Ok(out),
        }
    }
}

/// Fetches several groups side by side; the results come back in the
/// order of `fetches`.
pub async fn fetch_groups(
    logs: Arc<dyn LogsRead>,
    fetches: Vec<GroupFetch>,
    backoff: Backoff,
) -> Vec<Result<Fetched, ProviderError>> {
    let tasks: Vec<_> = fetches
        .into_iter()
        .map(|fetch| {
            let logs = Arc::clone(&logs);
            tokio::spawn(async move { fetch_group(logs.as_ref(), &fetch, backoff).await })
        })
        .collect();
    let mut results = Vec::with_capacity(tasks.len());
    for task in tasks {
        results.push(task.await.unwrap_or_else(|e| {
            Err(ProviderError::Network {
                operation: "FilterLogEvents".into(),
                message: format!("the fetch task failed: {e}"),
            })
        }));
    }
    results
}

/// Runs `call` again after throttling, up to [`THROTTLE_RETRIES`] times.
async fn with_retries<T, F, Fut>(backoff: Backoff, mut call: F) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, ProviderError>>,
{
    let mut attempt = 0;
    loop {
        match call().await {
            Err(ProviderError::Throttled { .. }) if attempt < THROTTLE_RETRIES => {
                attempt += 1;
                tokio::time::sleep(backoff.delay(attempt)).await;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LogGroup, LogPage};
    use async_trait::async_trait;
    use jiff::Timestamp;
    use std::sync::Mutex;
    use std::time::Duration;

    /// Three pages of two events, the first call throttled.
    #[derive(Debug, Default)]
    struct Paged {
        calls: Mutex<Vec<Option<String>>>,
    }

    fn event(i: i64) -> LogEvent {
        LogEvent {
            group: "g".into(),
            stream: "s".into(),
            timestamp: Timestamp::from_second(i).unwrap(),
            event_id: Some(i.to_string()),
            message: format!("line {i}"),
        }
    }

    #[async_trait]
    impl LogsRead for Paged {
        async fn list_log_groups(&self) -> Result<Vec<LogGroup>, ProviderError> {
            Ok(vec![])
        }

        async fn filter_log_events(
            &self,
            _group: &str,
            _range: TimeRange,
            _pattern: Option<&str>,
            token: Option<&str>,
        ) -> Result<LogPage, ProviderError> {
            let mut calls = self.calls.lock().unwrap();
            calls.push(token.map(str::to_string));
            if calls.len() == 1 {
                return Err(ProviderError::Throttled {
                    operation: "FilterLogEvents".into(),
                    message: "Rate exceeded".into(),
                });
            }
            let page: i64 = token.map_or(0, |t| t.parse().unwrap());
            Ok(LogPage {
                events: vec![event(page * 2), event(page * 2 + 1)],
                next_token: (page < 2).then(|| (page + 1).to_string()),
            })
        }
    }

    fn fetch(limit: usize) -> GroupFetch {
        GroupFetch {
            group: "g".into(),
            range: TimeRange {
                start: Timestamp::UNIX_EPOCH,
                end: Timestamp::from_second(100).unwrap(),
            },
            pattern: None,
            limit,
        }
    }

    const QUICK: Backoff = Backoff {
        base: Duration::from_millis(1),
        max: Duration::from_millis(2),
    };

    #[tokio::test]
    async fn follows_every_page_after_a_throttle() {
        let logs = Paged::default();
        let got = fetch_group(&logs, &fetch(100), QUICK).await.unwrap();
        assert_eq!(got.events.len(), 6);
        assert_eq!(got.calls, 3);
        assert!(!got.truncated);
        let tokens = logs.calls.lock().unwrap().clone();
        assert_eq!(tokens, [None, None, Some("1".into()), Some("2".into())]);
    }

    #[tokio::test]
    async fn a_limit_stops_early_and_says_so() {
        let logs = Paged::default();
        let got = fetch_group(&logs, &fetch(3), QUICK).await.unwrap();
        assert_eq!(got.events.len(), 3);
        assert!(got.truncated);
        assert_eq!(got.calls, 2);
    }
}
