//! Following log groups like `tail -f`, shared by `monitui logs tail` and
//! the Logs tab. Each group has a cursor: the newest event time handed out
//! and the ids handed out at that very millisecond. A poll reads
//! FilterLogEvents forward from the cursor up to now, following nextToken
//! page after page, and skips the boundary ids it already handed out, so
//! nothing is repeated and a busy group is read at the pace of its new
//! lines, not of its history. A poll reads at most [`PAGES_PER_POLL`] pages
//! of a group; the rest of that read waits for the next poll (which then
//! comes at once), and the batch says how far behind the tail is.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use super::backoff::Backoff;
use super::log_fetch::fetch_page;
use crate::model::{LogEvent, TimeRange};
use crate::provider::{LogsRead, ProviderError};

/// Time between two polls that found the tail caught up.
pub const POLL_INTERVAL: Duration = Duration::from_secs(2);
/// Most groups tailed at once (StartLiveTail's limit).
pub const MAX_GROUPS: usize = 10;
/// Most FilterLogEvents pages one group's poll reads (a flood is read
/// over several polls, each handing out what it read).
pub const PAGES_PER_POLL: usize = 5;

/// Why a tail could not start.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TailError {
    /// No group named.
    #[error("name at least one log group to tail")]
    NoGroups,
    /// More groups than the service tails at once.
    #[error("{0} log groups named; at most {MAX_GROUPS} can be tailed together")]
    TooMany(usize),
}

/// What one poll found.
#[derive(Debug, Default)]
pub struct TailBatch {
    /// New events of every group, oldest first.
    pub events: Vec<LogEvent>,
    /// Groups whose poll failed, with the error (they are polled again).
    pub errors: Vec<(String, ProviderError)>,
    /// FilterLogEvents calls made.
    pub calls: usize,
    /// Whether the service sampled these lines (some were dropped).
    pub sampled: bool,
    /// How far behind the newest line of the slowest group is, when some
    /// group has more lines waiting than this poll could read.
    pub behind: Option<SignedDuration>,
}

/// A read of a group's window that has pages left.
#[derive(Debug)]
struct Unfinished {
    /// The window asked for (a token holds only with the same window).
    range: TimeRange,
    /// The token of the next page.
    token: String,
    /// Ids handed out at `range.start` before this read began.
    skip: HashSet<String>,
}

/// One group's position.
#[derive(Debug, Default)]
struct Cursor {
    /// Newest event time handed out.
    newest: Option<Timestamp>,
    /// Ids handed out at `newest` (the next read starts there).
    at_newest: HashSet<String>,
    /// The read under way, when a poll stopped before its last page.
    unfinished: Option<Unfinished>,
    /// Events handed out by a live tail (which gives no ids), by content,
    /// so a poll after it does not repeat them.
    live: HashMap<String, Timestamp>,
}

impl Cursor {
    /// Hands `event` out unless it was already: `skip` holds the ids seen
    /// at `start`, the millisecond this read began at.
    fn admit(
        &mut self,
        event: LogEvent,
        start: Timestamp,
        skip: &HashSet<String>,
        out: &mut Vec<LogEvent>,
    ) {
        let id = identity(&event);
        if event.timestamp == start && skip.contains(&id) {
            return;
        }
        let live = self.live.remove(&content_key(&event)).is_some();
        match self.newest {
            Some(n) if n > event.timestamp => {}
            Some(n) if n == event.timestamp => {
                self.at_newest.insert(id);
            }
            _ => {
                self.newest = Some(event.timestamp);
                self.at_newest = HashSet::from([id]);
            }
        }
        if !live {
            out.push(event);
        }
    }

    /// Forgets live-tail lines older than the newest line: no read starts
    /// before it, so none can repeat them.
    fn forget_old_live_lines(&mut self) {
        if let Some(newest) = self.newest {
            self.live.retain(|_, at| *at >= newest);
        }
    }
}

/// A polling tail of up to [`MAX_GROUPS`] groups.
#[derive(Debug)]
pub struct PollTail {
    logs: Arc<dyn LogsRead>,
    groups: Vec<String>,
    pattern: Option<String>,
    since: Timestamp,
    cursors: HashMap<String, Cursor>,
    backoff: Backoff,
}

impl PollTail {
    /// A tail of `groups` from `since`, filtered server-side by `pattern`.
    pub fn new(
        logs: Arc<dyn LogsRead>,
        groups: Vec<String>,
        pattern: Option<String>,
        since: Timestamp,
    ) -> Result<Self, TailError> {
        let unique: HashSet<&String> = groups.iter().collect();
        match unique.len() {
            0 => return Err(TailError::NoGroups),
            n if n > MAX_GROUPS => return Err(TailError::TooMany(n)),
            _ => {}
        }
        let mut groups = groups;
        groups.dedup();
        Ok(Self {
            logs,
            groups,
            pattern: pattern.filter(|p| !p.trim().is_empty()),
            since,
            cursors: HashMap::new(),
            backoff: Backoff::default(),
        })
    }

    /// The groups followed.
    pub fn groups(&self) -> &[String] {
        &self.groups
    }

    /// Takes note of events a live tail handed out, so later polls do not
    /// repeat them and start from them.
    pub fn remember(&mut self, events: &[LogEvent]) {
        for event in events {
            let cursor = self.cursors.entry(event.group.clone()).or_default();
            cursor.live.insert(content_key(event), event.timestamp);
            if cursor.newest.is_none_or(|n| n < event.timestamp) {
                cursor.newest = Some(event.timestamp);
                cursor.at_newest.clear();
            }
        }
    }

    /// Events that appeared since the last poll, up to `now`: every group
    /// read side by side, each at most [`PAGES_PER_POLL`] pages.
    pub async fn poll(&mut self, now: Timestamp) -> TailBatch {
        let end = now + SignedDuration::from_millis(1);
        let reads = self.groups.iter().map(|group| {
            let cursor = self.cursors.remove(group).unwrap_or_default();
            read_group(
                Arc::clone(&self.logs),
                group.clone(),
                self.pattern.clone(),
                cursor,
                self.since,
                end,
                self.backoff,
            )
        });
        let results = futures_util::future::join_all(reads).await;
        let mut batch = TailBatch::default();
        for (group, read) in self.groups.iter().zip(results) {
            batch.calls += read.calls;
            batch.events.extend(read.events);
            if let Some(e) = read.error {
                batch.errors.push((group.clone(), e));
            }
            if read.cursor.unfinished.is_some() {
                let lag = now.duration_since(read.cursor.newest.unwrap_or(self.since));
                batch.behind = Some(batch.behind.map_or(lag, |b| b.max(lag)));
            }
            self.cursors.insert(group.clone(), read.cursor);
        }
        batch.events.sort_by_key(|e| e.timestamp);
        batch
    }
}

/// What one group's poll read.
struct GroupRead {
    cursor: Cursor,
    events: Vec<LogEvent>,
    calls: usize,
    error: Option<ProviderError>,
}

/// Reads up to [`PAGES_PER_POLL`] pages of `group` forward from its
/// cursor (or from where its unfinished read stopped), up to `end`.
async fn read_group(
    logs: Arc<dyn LogsRead>,
    group: String,
    pattern: Option<String>,
    mut cursor: Cursor,
    since: Timestamp,
    end: Timestamp,
    backoff: Backoff,
) -> GroupRead {
    let mut read = match cursor.unfinished.take() {
        Some(unfinished) => unfinished,
        None => {
            let start = cursor.newest.unwrap_or(since).max(since);
            Unfinished {
                range: TimeRange {
                    start,
                    end: end.max(start),
                },
                token: String::new(),
                skip: cursor.at_newest.clone(),
            }
        }
    };
    let mut out = GroupRead {
        cursor,
        events: Vec::new(),
        calls: 0,
        error: None,
    };
    for _ in 0..PAGES_PER_POLL {
        let token = (!read.token.is_empty()).then_some(read.token.as_str());
        let page = fetch_page(
            logs.as_ref(),
            &group,
            read.range,
            pattern.as_deref(),
            token,
            backoff,
        )
        .await;
        let page = match page {
            Ok(page) => page,
            Err(e) => {
                // Tried again from the same page at the next poll.
                out.error = Some(e);
                out.cursor.unfinished = (!read.token.is_empty()).then_some(read);
                return out;
            }
        };
        out.calls += 1;
        for event in page.events {
            out.cursor
                .admit(event, read.range.start, &read.skip, &mut out.events);
        }
        out.cursor.forget_old_live_lines();
        match page.next_token {
            // A token equal to the one sent would loop forever.
            Some(next) if next != read.token => read.token = next,
            _ => return out,
        }
    }
    out.cursor.unfinished = Some(read);
    out
}

/// What tells an event apart when there is no id: time, stream, message.
fn content_key(event: &LogEvent) -> String {
    format!(
        "{}\u{0}{}\u{0}{}",
        event.timestamp.as_millisecond(),
        event.stream,
        event.message
    )
}

/// The event id, or for a service that gives none, the event itself.
fn identity(event: &LogEvent) -> String {
    match &event.event_id {
        Some(id) => id.clone(),
        None => content_key(event),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Clock;
    use crate::model::ManualClock;
    use crate::provider::sim::SimProvider;

    fn sim(at: &str) -> (Arc<SimProvider>, Arc<ManualClock>) {
        let clock = Arc::new(ManualClock::new(at.parse().unwrap()));
        let sim = SimProvider::new(3, clock.clone(), "ecommerce-ai-platform");
        (Arc::new(sim), clock)
    }

    const API: &str = "/aws/apigateway/ecommerce-ai-platform";
    const AUTH: &str = "/aws/lambda/ecommerce-ai-platform-auth-service";

    #[tokio::test]
    async fn polls_hand_out_each_event_once_and_in_time_order() {
        let (sim, clock) = sim("2026-11-28T15:00:00Z");
        let since = clock.now() - SignedDuration::from_mins(5);
        let mut tail =
            PollTail::new(sim.clone(), vec![API.into(), AUTH.into()], None, since).unwrap();
        let mut got = Vec::new();
        for _ in 0..40 {
            let batch = tail.poll(clock.now()).await;
            assert!(batch.errors.is_empty());
            assert!(
                batch
                    .events
                    .windows(2)
                    .all(|w| w[0].timestamp <= w[1].timestamp)
            );
            got.extend(batch.events);
            clock.advance(SignedDuration::from_secs(7));
        }
        let range = TimeRange {
            start: since,
            end: clock.now() - SignedDuration::from_secs(7) + SignedDuration::from_millis(1),
        };
        let mut expected = sim.log_events(API, range).unwrap();
        expected.extend(sim.log_events(AUTH, range).unwrap());
        let ids: HashSet<_> = got.iter().map(|e| e.event_id.clone()).collect();
        assert_eq!(ids.len(), got.len(), "no event repeated");
        assert_eq!(got.len(), expected.len(), "no event lost");
        assert!(expected.iter().all(|e| ids.contains(&e.event_id)));
    }

    /// A group that receives `per_ms` events every millisecond from 0,
    /// served in pages of [`Flood::PAGE`] with tokens, as FilterLogEvents
    /// does: event `i` is at millisecond `i / per_ms`, the window's end
    /// excluded.
    #[derive(Debug)]
    struct Flood {
        per_ms: u64,
    }

    impl Flood {
        const PAGE: u64 = 100;
    }

    #[async_trait::async_trait]
    impl LogsRead for Flood {
        async fn list_log_groups(&self) -> Result<Vec<crate::model::LogGroup>, ProviderError> {
            Ok(vec![])
        }

        async fn filter_log_events(
            &self,
            group: &str,
            range: TimeRange,
            _pattern: Option<&str>,
            token: Option<&str>,
        ) -> Result<crate::model::LogPage, ProviderError> {
            let ms = |t: Timestamp| t.as_millisecond().max(0) as u64;
            let first = ms(range.start) * self.per_ms;
            let last = ms(range.end) * self.per_ms;
            let from = token.map_or(first, |t| t.parse().unwrap());
            let to = (from + Self::PAGE).min(last);
            let events = (from..to)
                .map(|i| LogEvent {
                    group: group.into(),
                    stream: "s".into(),
                    timestamp: Timestamp::from_millisecond((i / self.per_ms) as i64).unwrap(),
                    event_id: Some(i.to_string()),
                    message: format!("line {i}"),
                })
                .collect();
            Ok(crate::model::LogPage {
                events,
                next_token: (to < last).then(|| to.to_string()),
            })
        }
    }

    fn numbers(events: &[LogEvent]) -> Vec<u64> {
        events
            .iter()
            .map(|e| e.event_id.as_deref().unwrap().parse().unwrap())
            .collect()
    }

    #[tokio::test]
    async fn a_flood_is_read_forward_over_several_polls_without_repeats_or_gaps() {
        // 10 events a millisecond; 200 ms of history is 2,000 events, 20
        // pages: four polls of five pages.
        let logs = Arc::new(Flood { per_ms: 10 });
        let mut tail = PollTail::new(logs, vec!["g".into()], None, Timestamp::UNIX_EPOCH).unwrap();
        let at = |ms| Timestamp::from_millisecond(ms).unwrap();
        let mut got = Vec::new();
        let first = tail.poll(at(199)).await;
        assert_eq!(first.calls, PAGES_PER_POLL);
        assert_eq!(
            first.behind,
            Some(SignedDuration::from_millis(199 - 49)),
            "the poll says how far behind it stopped"
        );
        got.extend(numbers(&first.events));
        let mut polls = 1;
        loop {
            let batch = tail.poll(at(199)).await;
            got.extend(numbers(&batch.events));
            polls += 1;
            if batch.behind.is_none() {
                break;
            }
        }
        assert_eq!(polls, 4, "20 pages at five a poll");
        // The cursor starts the next read at the newest millisecond and
        // skips the ids it handed out there.
        let later = tail.poll(at(220)).await;
        got.extend(numbers(&later.events));
        assert!(later.behind.is_none());
        let expected: Vec<u64> = (0..2210).collect();
        assert_eq!(got, expected, "every line once, in order");
    }

    #[tokio::test]
    async fn lines_of_the_boundary_millisecond_are_handed_out_once() {
        let logs = Arc::new(Flood { per_ms: 3 });
        let mut tail = PollTail::new(logs, vec!["g".into()], None, Timestamp::UNIX_EPOCH).unwrap();
        let mut got = Vec::new();
        for ms in [5, 5, 6, 9] {
            let batch = tail.poll(Timestamp::from_millisecond(ms).unwrap()).await;
            got.extend(numbers(&batch.events));
        }
        let expected: Vec<u64> = (0..30).collect();
        assert_eq!(got, expected);
    }

    #[tokio::test]
    async fn too_many_or_no_groups_are_refused() {
        let (sim, clock) = sim("2026-11-28T15:00:00Z");
        let groups: Vec<String> = (0..11).map(|i| format!("g{i}")).collect();
        assert_eq!(
            PollTail::new(sim.clone(), groups, None, clock.now()).unwrap_err(),
            TailError::TooMany(11)
        );
        assert_eq!(
            PollTail::new(sim, vec![], None, clock.now()).unwrap_err(),
            TailError::NoGroups
        );
    }

    #[tokio::test]
    async fn a_failing_group_is_reported_and_the_others_still_flow() {
        let (sim, clock) = sim("2026-11-28T15:00:00Z");
        let since = clock.now() - SignedDuration::from_mins(2);
        let mut tail = PollTail::new(
            sim,
            vec!["/missing".into(), API.into()],
            Some("{ $.status = 200 }".into()),
            since,
        )
        .unwrap();
        let batch = tail.poll(clock.now()).await;
        assert_eq!(batch.errors.len(), 1);
        assert_eq!(batch.errors[0].0, "/missing");
        assert!(!batch.events.is_empty());
        assert!(
            batch
                .events
                .iter()
                .all(|e| e.message.contains("\"status\":200"))
        );
    }
}
