//! Connection health as the header shows it: live, stale for N seconds,
//! retrying with backoff.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

/// What the data layer knows about reaching the account.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkState {
    /// Nothing answered yet.
    Connecting,
    /// The last fetch succeeded at `at`.
    Live {
        /// Time of the last successful fetch.
        at: Timestamp,
    },
    /// Fetches are failing; the next try is at `retry_at`.
    Retrying {
        /// Consecutive failures so far.
        attempt: u32,
        /// When the next try starts.
        retry_at: Timestamp,
        /// Last time a fetch succeeded, if ever.
        last_success: Option<Timestamp>,
        /// The last error, short.
        error: String,
    },
}

/// How the header should present a [`LinkState`] at a given moment.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkHealth {
    /// Waiting for the first answer.
    Connecting,
    /// Fresh data.
    Live,
    /// Data older than two refresh intervals, by this much.
    Stale(Duration),
    /// Failing: data age (if any), attempt, seconds to next try, error.
    Retrying {
        /// Age of the data on screen.
        age: Option<Duration>,
        /// Consecutive failures.
        attempt: u32,
        /// Time until the next try.
        retry_in: Duration,
        /// Last error.
        error: String,
    },
}

fn age(now: Timestamp, then: Timestamp) -> Duration {
    let d: SignedDuration = now.duration_since(then);
    Duration::try_from(d).unwrap_or_default()
}

impl LinkState {
    /// Classifies the state at `now`, given the refresh interval.
    pub fn health(&self, now: Timestamp, refresh: Duration) -> LinkHealth {
        match self {
            LinkState::Connecting => LinkHealth::Connecting,
            LinkState::Live { at } => {
                let age = age(now, *at);
                if age > refresh * 2 + Duration::from_secs(5) {
                    LinkHealth::Stale(age)
                } else {
                    LinkHealth::Live
                }
            }
            LinkState::Retrying {
                attempt,
                retry_at,
                last_success,
                error,
            } => LinkHealth::Retrying {
                age: last_success.map(|t| age(now, t)),
                attempt: *attempt,
                retry_in: age(*retry_at, now),
                error: error.clone(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn live_turns_stale_after_two_intervals() {
        let state = LinkState::Live {
            at: ts("2026-01-16T03:00:00Z"),
        };
        let refresh = Duration::from_secs(10);
        assert_eq!(
            state.health(ts("2026-01-16T03:00:20Z"), refresh),
            LinkHealth::Live
        );
        assert_eq!(
            state.health(ts("2026-01-16T03:01:00Z"), refresh),
            LinkHealth::Stale(Duration::from_secs(60))
        );
    }

    #[test]
    fn retrying_reports_age_and_countdown() {
        let state = LinkState::Retrying {
            attempt: 2,
            retry_at: ts("2026-01-16T03:00:34Z"),
            last_success: Some(ts("2026-01-16T02:59:00Z")),
            error: "throttled".into(),
        };
        let h = state.health(ts("2026-01-16T03:00:30Z"), Duration::from_secs(10));
        assert_eq!(
            h,
            LinkHealth::Retrying {
                age: Some(Duration::from_secs(90)),
                attempt: 2,
                retry_in: Duration::from_secs(4),
                error: "throttled".into()
            }
        );
    }
}
