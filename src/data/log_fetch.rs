//! Following every FilterLogEvents page of one log group, throttling
//! retried with backoff: the one loop `logs search` and the tail share.

use std::sync::Arc;

use super::backoff::Backoff;
use crate::model::{LogEvent, LogPage, TimeRange};
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
        let page = fetch_page(
            logs,
            &fetch.group,
            fetch.range,
            fetch.pattern.as_deref(),
            token.as_deref(),
            backoff,
        )
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

/// One FilterLogEvents page, throttling retried with `backoff`.
pub async fn fetch_page(
    logs: &dyn LogsRead,
    group: &str,
    range: TimeRange,
    pattern: Option<&str>,
    token: Option<&str>,
    backoff: Backoff,
) -> Result<LogPage, ProviderError> {
    with_retries(backoff, || {
        logs.filter_log_events(group, range, pattern, token)
    })
    .await
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

/// Pages a merge holds ready per group besides the one it is taking
/// events from: the bound on a search's memory is about two pages (each at
/// most 1 MB of messages, the service's page limit) per group.
const PAGES_AHEAD: usize = 1;

/// The events of several groups merged by time as they are read: one task
/// per group follows its pages into a channel of [`PAGES_AHEAD`] pages, and
/// [`MergedEvents::next`] hands out the oldest head event. The memory held
/// is a few pages per group however many events match, so `logs search`
/// prints as it reads. Dropping it stops the tasks.
#[derive(Debug)]
pub struct MergedEvents {
    heads: Vec<GroupHead>,
}

/// One group's side of a merge.
#[derive(Debug)]
struct GroupHead {
    group: String,
    pages: tokio::sync::mpsc::Receiver<Result<LogPage, ProviderError>>,
    /// The events of the page being handed out, oldest last.
    page: Vec<LogEvent>,
    done: bool,
    task: tokio::task::AbortHandle,
}

impl MergedEvents {
    /// Starts reading every page of each of `groups` within `range`,
    /// filtered by `pattern`.
    pub fn start(
        logs: Arc<dyn LogsRead>,
        groups: &[String],
        range: TimeRange,
        pattern: Option<String>,
        backoff: Backoff,
    ) -> Self {
        let heads = groups
            .iter()
            .map(|group| {
                let (send, pages) = tokio::sync::mpsc::channel(PAGES_AHEAD);
                let logs = Arc::clone(&logs);
                let (group, pattern) = (group.clone(), pattern.clone());
                let name = group.clone();
                let task = tokio::spawn(async move {
                    let mut token: Option<String> = None;
                    loop {
                        let page = fetch_page(
                            logs.as_ref(),
                            &name,
                            range,
                            pattern.as_deref(),
                            token.as_deref(),
                            backoff,
                        )
                        .await;
                        let next = page.as_ref().ok().and_then(|p| p.next_token.clone());
                        let failed = page.is_err();
                        if send.send(page).await.is_err() || failed {
                            return;
                        }
                        match next {
                            // A token equal to the one sent would loop forever.
                            Some(next) if token.as_deref() != Some(next.as_str()) => {
                                token = Some(next)
                            }
                            _ => return,
                        }
                    }
                });
                GroupHead {
                    group,
                    pages,
                    page: Vec::new(),
                    done: false,
                    task: task.abort_handle(),
                }
            })
            .collect();
        Self { heads }
    }

    /// The oldest event not handed out yet of every group, or the first
    /// group whose read failed (with its error); `None` when every group
    /// is read.
    pub async fn next(&mut self) -> Option<Result<LogEvent, (String, ProviderError)>> {
        for head in &mut self.heads {
            while head.page.is_empty() && !head.done {
                match head.pages.recv().await {
                    Some(Ok(page)) => {
                        head.page = page.events;
                        head.page.sort_by_key(|e| e.timestamp);
                        head.page.reverse();
                    }
                    Some(Err(e)) => {
                        head.done = true;
                        return Some(Err((head.group.clone(), e)));
                    }
                    None => head.done = true,
                }
            }
        }
        let oldest = self
            .heads
            .iter_mut()
            .filter(|h| !h.page.is_empty())
            .min_by_key(|h| h.page.last().map(|e| e.timestamp))?;
        oldest.page.pop().map(Ok)
    }
}

impl Drop for MergedEvents {
    fn drop(&mut self) {
        for head in &self.heads {
            head.task.abort();
        }
    }
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
    use crate::model::LogGroup;
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

    /// `pages` pages of two events a group, the events of group `k` at
    /// seconds `k`, `k + 2`, `k + 4`, ...: two groups interleave.
    #[derive(Debug, Default)]
    struct Many {
        calls: std::sync::atomic::AtomicUsize,
    }

    #[async_trait]
    impl LogsRead for Many {
        async fn list_log_groups(&self) -> Result<Vec<LogGroup>, ProviderError> {
            Ok(vec![])
        }

        async fn filter_log_events(
            &self,
            group: &str,
            _range: TimeRange,
            _pattern: Option<&str>,
            token: Option<&str>,
        ) -> Result<LogPage, ProviderError> {
            self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let k: i64 = group.parse().unwrap();
            let page: i64 = token.map_or(0, |t| t.parse().unwrap());
            let at = |i: i64| {
                let mut e = event(k + 2 * i);
                e.group = group.into();
                e
            };
            Ok(LogPage {
                events: vec![at(page * 2 + 1), at(page * 2)],
                next_token: (page < 99).then(|| (page + 1).to_string()),
            })
        }
    }

    #[tokio::test]
    async fn a_merge_hands_out_by_time_reading_only_a_few_pages_ahead() {
        let logs = Arc::new(Many::default());
        let range = fetch(0).range;
        let groups = ["0".to_string(), "1".to_string()];
        let mut merged = MergedEvents::start(logs.clone(), &groups, range, None, QUICK);
        let mut seconds = Vec::new();
        for _ in 0..10 {
            let e = merged.next().await.unwrap().unwrap();
            seconds.push(e.timestamp.as_second());
        }
        assert_eq!(seconds, (0..10).collect::<Vec<_>>(), "interleaved by time");
        tokio::time::sleep(Duration::from_millis(50)).await;
        let calls = logs.calls.load(std::sync::atomic::Ordering::SeqCst);
        // Per group: the three pages handed out from, the pages ahead, and
        // the one read and waiting for room.
        assert!(
            calls <= 2 * (3 + PAGES_AHEAD + 1),
            "{calls} pages read for 10 events of 400"
        );
        let mut rest = 10;
        while let Some(e) = merged.next().await {
            e.unwrap();
            rest += 1;
        }
        assert_eq!(rest, 400);
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
