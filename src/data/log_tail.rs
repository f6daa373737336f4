//! Following log groups like `tail -f`, shared by `monitui logs tail` and
//! the Logs tab. Each poll asks FilterLogEvents (every group side by side,
//! every page) for the window from a little before the newest event seen
//! (the overlap, for events that arrive late) up to now, and drops what it
//! has already handed out by event id, so nothing is repeated and nothing
//! that arrives within the overlap is missed.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use super::backoff::Backoff;
use super::log_fetch::{GroupFetch, fetch_groups};
use crate::model::{LogEvent, TimeRange};
use crate::provider::{LogsRead, ProviderError};

/// How far back each poll looks before the newest event seen, for events
/// the service ingests late.
pub const DEFAULT_OVERLAP: Duration = Duration::from_secs(60);
/// Time between two polls.
pub const POLL_INTERVAL: Duration = Duration::from_secs(2);
/// Most groups tailed at once (StartLiveTail's limit).
pub const MAX_GROUPS: usize = 10;
/// Most events one group's poll reads (a flood is read over several polls).
const POLL_LIMIT: usize = 50_000;

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
}

/// One group's position.
#[derive(Debug, Default)]
struct Cursor {
    /// Newest event time handed out.
    newest: Option<Timestamp>,
    /// Ids handed out at or after `newest - overlap`, with their times.
    seen: HashMap<String, Timestamp>,
    /// Events handed out by a live tail (which gives no ids), by content,
    /// so a poll after it does not repeat them.
    live: HashMap<String, Timestamp>,
}

/// A polling tail of up to [`MAX_GROUPS`] groups.
#[derive(Debug)]
pub struct PollTail {
    logs: Arc<dyn LogsRead>,
    groups: Vec<String>,
    pattern: Option<String>,
    since: Timestamp,
    overlap: SignedDuration,
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
            overlap: SignedDuration::try_from(DEFAULT_OVERLAP).unwrap_or_default(),
            cursors: HashMap::new(),
            backoff: Backoff::default(),
        })
    }

    /// Sets the overlap window.
    pub fn with_overlap(mut self, overlap: Duration) -> Self {
        self.overlap = SignedDuration::try_from(overlap).unwrap_or(self.overlap);
        self
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
            cursor.newest = Some(
                cursor
                    .newest
                    .map_or(event.timestamp, |n| n.max(event.timestamp)),
            );
        }
    }

    /// Events that appeared since the last poll, up to `now`.
    pub async fn poll(&mut self, now: Timestamp) -> TailBatch {
        let end = now + SignedDuration::from_millis(1);
        let fetches = self
            .groups
            .iter()
            .map(|group| {
                let start = self
                    .cursors
                    .get(group)
                    .and_then(|c| c.newest)
                    .map_or(self.since, |newest| (newest - self.overlap).max(self.since));
                GroupFetch {
                    group: group.clone(),
                    range: TimeRange {
                        start,
                        end: end.max(start),
                    },
                    pattern: self.pattern.clone(),
                    limit: POLL_LIMIT,
                }
            })
            .collect();
        let results = fetch_groups(Arc::clone(&self.logs), fetches, self.backoff).await;
        let mut batch = TailBatch::default();
        for (group, result) in self.groups.iter().zip(results) {
            match result {
                Ok(fetched) => {
                    batch.calls += fetched.calls;
                    let cursor = self.cursors.entry(group.clone()).or_default();
                    fresh(cursor, fetched.events, self.overlap, &mut batch.events);
                }
                Err(e) => batch.errors.push((group.clone(), e)),
            }
        }
        batch.events.sort_by_key(|e| e.timestamp);
        batch
    }
}

/// Moves the events `cursor` has not handed out yet into `out`, and
/// forgets ids that have left the overlap window.
fn fresh(
    cursor: &mut Cursor,
    events: Vec<LogEvent>,
    overlap: SignedDuration,
    out: &mut Vec<LogEvent>,
) {
    for event in events {
        let id = identity(&event);
        if cursor.seen.contains_key(&id) {
            continue;
        }
        cursor.seen.insert(id, event.timestamp);
        if cursor.live.remove(&content_key(&event)).is_some() {
            continue;
        }
        cursor.newest = Some(
            cursor
                .newest
                .map_or(event.timestamp, |n| n.max(event.timestamp)),
        );
        out.push(event);
    }
    if let Some(newest) = cursor.newest {
        let horizon = newest - overlap;
        cursor.seen.retain(|_, at| *at >= horizon);
        cursor.live.retain(|_, at| *at >= horizon);
    }
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

    #[tokio::test]
    async fn a_late_event_within_the_overlap_is_picked_up_once() {
        let mut cursor = Cursor::default();
        let at = |s: i64, id: &str| LogEvent {
            group: "g".into(),
            stream: "s".into(),
            timestamp: Timestamp::from_second(s).unwrap(),
            event_id: Some(id.into()),
            message: id.into(),
        };
        let overlap = SignedDuration::from_secs(60);
        let mut out = Vec::new();
        fresh(
            &mut cursor,
            vec![at(100, "a"), at(110, "b")],
            overlap,
            &mut out,
        );
        fresh(
            &mut cursor,
            vec![at(100, "a"), at(105, "late"), at(110, "b"), at(120, "c")],
            overlap,
            &mut out,
        );
        let ids: Vec<_> = out.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(ids, ["a", "b", "late", "c"]);
        fresh(&mut cursor, vec![at(200, "d")], overlap, &mut out);
        assert_eq!(
            cursor.seen.len(),
            1,
            "ids older than the overlap are forgotten"
        );
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
