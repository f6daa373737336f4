//! A tail that streams where it can: the first poll reads the history
//! since `--since`; then a StartLiveTail session delivers new lines as
//! they arrive, with one more poll to catch what arrived while the session
//! was starting. When live tail is unavailable (the demo account, an
//! emulator without it, a refused session) or its session ends, the tail
//! polls FilterLogEvents forward from the newest line seen, every
//! [`POLL_INTERVAL`] once caught up and at once while behind. Either way
//! no line is handed out twice, and a sampling service or a tail that
//! falls behind is reported, not hidden.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;

use super::log_tail::{POLL_INTERVAL, PollTail, TailBatch, TailError};
use crate::model::Clock;
use crate::provider::LogsRead;
use crate::provider::logs::LiveTail;

/// Longest a live tail waits for an update before handing back an empty
/// batch (so callers can look at their stop signal).
const LIVE_WAIT: Duration = Duration::from_secs(2);

/// How the tail gets its lines now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TailMode {
    /// Reading the history, before choosing.
    Starting,
    /// A StartLiveTail session.
    Live,
    /// Polling FilterLogEvents.
    Polling,
}

/// A tail of up to 10 groups.
#[derive(Debug)]
pub struct Tailer {
    logs: Arc<dyn LogsRead>,
    pattern: Option<String>,
    poll: PollTail,
    live: Option<LiveTail>,
    mode: TailMode,
    prefer_live: bool,
    /// Why live tail is not used, once known.
    live_refused: Option<String>,
    /// Whether the last poll left lines unread (the next one comes at once).
    behind: bool,
}

impl Tailer {
    /// A tail of `groups` from `since`, filtered by `pattern`; with
    /// `prefer_live` it tries StartLiveTail after the history.
    pub fn new(
        logs: Arc<dyn LogsRead>,
        groups: Vec<String>,
        pattern: Option<String>,
        since: Timestamp,
        prefer_live: bool,
    ) -> Result<Self, TailError> {
        let poll = PollTail::new(Arc::clone(&logs), groups, pattern.clone(), since)?;
        Ok(Self {
            logs,
            pattern,
            poll,
            live: None,
            mode: TailMode::Starting,
            prefer_live,
            live_refused: None,
            behind: false,
        })
    }

    /// How lines arrive now.
    pub fn mode(&self) -> TailMode {
        self.mode
    }

    /// Why live tail is not in use, if it was tried and refused or ended.
    pub fn live_refused(&self) -> Option<&str> {
        self.live_refused.as_deref()
    }

    /// The groups followed.
    pub fn groups(&self) -> &[String] {
        self.poll.groups()
    }

    /// The next lines: waits for them (a poll interval, or a live update)
    /// unless the tail is reading its history or is behind, which it
    /// reads at once.
    pub async fn next(&mut self, clock: &dyn Clock) -> TailBatch {
        match self.mode {
            TailMode::Starting => {
                let mut batch = self.poll.poll(clock.now()).await;
                self.behind = batch.behind.is_some();
                if !batch.errors.is_empty() {
                    self.mode = TailMode::Polling;
                } else if !self.behind {
                    // The history is read (over as many polls as it
                    // takes): live tail carries on from here.
                    self.mode = TailMode::Polling;
                    if self.prefer_live {
                        self.go_live(clock, &mut batch).await;
                    }
                }
                batch
            }
            TailMode::Polling => {
                if !self.behind {
                    tokio::time::sleep(POLL_INTERVAL).await;
                }
                let batch = self.poll.poll(clock.now()).await;
                self.behind = batch.behind.is_some();
                batch
            }
            TailMode::Live => self.live_batch().await,
        }
    }

    /// Starts a live session, then polls once more for what arrived while
    /// it started; stays polling if the session is refused.
    async fn go_live(&mut self, clock: &dyn Clock, batch: &mut TailBatch) {
        match self
            .logs
            .start_live_tail(self.poll.groups(), self.pattern.as_deref())
            .await
        {
            Ok(live) => {
                self.live = Some(live);
                self.mode = TailMode::Live;
                let catch_up = self.poll.poll(clock.now()).await;
                batch.calls += catch_up.calls;
                batch.events.extend(catch_up.events);
                batch.events.sort_by_key(|e| e.timestamp);
            }
            Err(e) => self.live_refused = Some(e.to_string()),
        }
    }

    async fn live_batch(&mut self) -> TailBatch {
        let Some(live) = &mut self.live else {
            self.mode = TailMode::Polling;
            return TailBatch::default();
        };
        let mut batch = TailBatch::default();
        match tokio::time::timeout(LIVE_WAIT, live.recv()).await {
            Err(_) => {}
            Ok(Some(Ok(update))) => {
                self.poll.remember(&update.events);
                batch.sampled = update.sampled;
                batch.events = update.events;
                batch.events.sort_by_key(|e| e.timestamp);
            }
            Ok(Some(Err(e))) => self.fall_back(e.to_string()),
            Ok(None) => self.fall_back("the live tail session ended".into()),
        }
        batch
    }

    /// Polls from the newest line seen from now on.
    fn fall_back(&mut self, why: String) {
        self.live = None;
        self.mode = TailMode::Polling;
        self.live_refused = Some(why);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ManualClock;
    use crate::provider::sim::SimProvider;
    use jiff::SignedDuration;

    #[tokio::test]
    async fn the_demo_account_polls() {
        let clock = Arc::new(ManualClock::new("2026-11-28T15:00:00Z".parse().unwrap()));
        let sim = Arc::new(SimProvider::new(1, clock.clone(), "ecommerce-ai-platform"));
        let since = clock.now() - SignedDuration::from_mins(2);
        let mut tail = Tailer::new(sim, vec!["/aws/batch/job".into()], None, since, true).unwrap();
        let first = tail.next(clock.as_ref()).await;
        assert!(!first.events.is_empty(), "the history comes first");
        assert_eq!(tail.mode(), TailMode::Polling);
        assert!(tail.live_refused().unwrap().contains("polling"));
        clock.advance(SignedDuration::from_secs(120));
        let second = tail.next(clock.as_ref()).await;
        assert!(
            second
                .events
                .iter()
                .all(|e| e.timestamp > first.events.last().unwrap().timestamp)
        );
    }
}
