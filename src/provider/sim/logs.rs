//! The demo account's CloudWatch Logs: the seed's 10 log groups (30-day
//! retention, KMS-encrypted) and their events, generated a minute at a
//! time for the window asked (see `log_lines`), filtered with the local
//! filter-pattern matcher and paged like FilterLogEvents: a page holds at
//! most [`PAGE_EVENTS`] events and scans at most [`PAGE_SCAN_MINUTES`]
//! minutes, and its token says where the next page resumes.

use jiff::{SignedDuration, Timestamp};

use super::catalog::{ACCOUNT_ID, REGION};
use super::incidents::Incidents;
use super::log_lines::{GroupKind, Line, LineMaker};
use super::noise::{Noise, splitmix64, stream_id};
use super::store::epoch_minute;
use crate::filter::FilterPattern;
use crate::model::{LogEvent, LogGroup, LogPage, TimeRange};
use crate::provider::{ProviderError, ProviderResult};

/// Most events in one FilterLogEvents page (the service's maximum).
pub const PAGE_EVENTS: usize = 10_000;
/// Most minutes of log one page scans before it hands back a token.
pub const PAGE_SCAN_MINUTES: i64 = 6 * 60;
/// Retention of every group, days.
pub const RETENTION_DAYS: u32 = 30;

/// The log groups of one demo account.
#[derive(Debug, Clone)]
pub struct DemoLogs {
    noise: Noise,
    seed: u64,
    incidents: Incidents,
    prefix: String,
    groups: Vec<(String, GroupKind)>,
}

impl DemoLogs {
    /// The groups of the account with `seed` and resources named
    /// `prefix-...`, launched in epoch minute `launch`.
    pub fn new(seed: u64, prefix: &str, launch: i64) -> Self {
        Self {
            noise: Noise::new(seed),
            seed,
            incidents: Incidents::new(seed, launch),
            prefix: prefix.to_string(),
            groups: GroupKind::all().map(|k| (k.name(prefix), k)).collect(),
        }
    }

    /// Every group as DescribeLogGroups would list it at `now`, by name.
    pub fn groups(&self, now: Timestamp) -> Vec<LogGroup> {
        let mut groups: Vec<LogGroup> = self
            .groups
            .iter()
            .map(|(name, kind)| {
                let jitter = splitmix64(self.seed ^ stream_id(name)) % 1_000_000;
                LogGroup {
                    name: name.clone(),
                    retention_days: Some(RETENTION_DAYS),
                    stored_bytes: Some(kind.bytes_per_day() * u64::from(RETENTION_DAYS) + jitter),
                    kms_key_id: Some(self.kms_key()),
                    created_at: Timestamp::from_second(1_735_689_600).ok(),
                    last_event_at: self.last_event(*kind, name, now),
                }
            })
            .collect();
        groups.sort_by(|a, b| a.name.cmp(&b.name));
        groups
    }

    /// The KMS key that encrypts every group.
    fn kms_key(&self) -> String {
        let bits = splitmix64(self.seed ^ 0x004B_4D53);
        format!(
            "arn:aws:kms:{REGION}:{ACCOUNT_ID}:key/{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            bits >> 32,
            (bits >> 16) & 0xffff,
            bits & 0xfff,
            (bits >> 20) & 0xfff,
            splitmix64(bits) & 0xffff_ffff_ffff
        )
    }

    fn kind(&self, group: &str) -> ProviderResult<GroupKind> {
        self.groups
            .iter()
            .find(|(name, _)| name == group)
            .map(|(_, kind)| *kind)
            .ok_or_else(|| {
                ProviderError::NotFound(format!(
                    "log group {group} (the demo account has no such group)"
                ))
            })
    }

    fn maker(&self, kind: GroupKind, name: &str) -> LineMaker<'_> {
        LineMaker {
            noise: self.noise,
            incidents: self.incidents,
            prefix: &self.prefix,
            kind,
            stream: stream_id(name),
        }
    }

    /// The newest event at or before `now`, looking back a few minutes.
    fn last_event(&self, kind: GroupKind, name: &str, now: Timestamp) -> Option<Timestamp> {
        let maker = self.maker(kind, name);
        let now_ms = now.as_millisecond();
        let minute = epoch_minute(now);
        (minute - 5..=minute).rev().find_map(|m| {
            maker
                .minute(m)
                .iter()
                .rev()
                .find(|l| l.millis <= now_ms)
                .and_then(|l| Timestamp::from_millisecond(l.millis).ok())
        })
    }

    /// Every event of `group` in `range` that exists at `now` (none after
    /// it, none older than the retention), oldest first. Insights
    /// evaluates its queries over these.
    pub fn events(
        &self,
        group: &str,
        range: TimeRange,
        now: Timestamp,
    ) -> ProviderResult<Vec<LogEvent>> {
        let mut events = Vec::new();
        let mut token = None;
        loop {
            let page = self.scan(group, range, None, token.as_deref(), now, usize::MAX)?;
            events.extend(page.events);
            match page.next_token {
                Some(next) => token = Some(next),
                None => return Ok(events),
            }
        }
    }

    /// One FilterLogEvents page of `group` in `range` at `now`.
    pub fn filter(
        &self,
        group: &str,
        range: TimeRange,
        pattern: Option<&str>,
        token: Option<&str>,
        now: Timestamp,
    ) -> ProviderResult<LogPage> {
        let pattern = pattern
            .filter(|p| !p.trim().is_empty())
            .map(|p| {
                FilterPattern::parse(p)
                    .map_err(|e| ProviderError::Invalid(format!("filter pattern {p:?}: {e}")))
            })
            .transpose()?;
        self.scan(group, range, pattern.as_ref(), token, now, PAGE_EVENTS)
    }

    fn scan(
        &self,
        group: &str,
        range: TimeRange,
        pattern: Option<&FilterPattern>,
        token: Option<&str>,
        now: Timestamp,
        max_events: usize,
    ) -> ProviderResult<LogPage> {
        let kind = self.kind(group)?;
        let maker = self.maker(kind, group);
        let oldest = now - SignedDuration::from_hours(24 * i64::from(RETENTION_DAYS));
        let start_ms = range.start.max(oldest).as_millisecond();
        // The range's end is exclusive; nothing after `now` exists yet.
        let end_ms = range.end.as_millisecond().min(now.as_millisecond() + 1);
        let (mut minute, mut skip) = match token {
            Some(token) => parse_token(token)?,
            None => (start_ms.div_euclid(60_000), 0),
        };
        let last_minute = (end_ms - 1).div_euclid(60_000);
        let mut page = LogPage::default();
        let mut scanned = 0;
        while minute <= last_minute {
            if scanned == PAGE_SCAN_MINUTES {
                page.next_token = Some(token_for(minute, 0));
                return Ok(page);
            }
            let lines = maker.minute(minute);
            for (index, line) in lines.iter().enumerate().skip(skip) {
                if page.events.len() == max_events {
                    page.next_token = Some(token_for(minute, index));
                    return Ok(page);
                }
                if line.millis < start_ms || line.millis >= end_ms {
                    continue;
                }
                if pattern.is_some_and(|p| !p.matches(&line.message)) {
                    continue;
                }
                page.events.push(self.event(group, line, index));
            }
            skip = 0;
            minute += 1;
            scanned += 1;
        }
        Ok(page)
    }

    fn event(&self, group: &str, line: &Line, index: usize) -> LogEvent {
        LogEvent {
            group: group.to_string(),
            stream: line.stream.clone(),
            timestamp: Timestamp::from_millisecond(line.millis).unwrap_or_default(),
            event_id: Some(format!(
                "{:020}{:016}{index:04}",
                line.millis,
                stream_id(group) % 10_000_000_000_000_000
            )),
            message: line.message.clone(),
        }
    }
}

fn token_for(minute: i64, index: usize) -> String {
    format!("m{minute}i{index}")
}

fn parse_token(token: &str) -> ProviderResult<(i64, usize)> {
    token
        .strip_prefix('m')
        .and_then(|rest| rest.split_once('i'))
        .and_then(|(m, i)| Some((m.parse().ok()?, i.parse().ok()?)))
        .ok_or_else(|| {
            ProviderError::Invalid(format!("next token {token:?} is not one this account gave"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::ToSpan;

    const PREFIX: &str = "ecommerce-ai-platform";

    fn now() -> Timestamp {
        "2026-11-28T15:30:20Z".parse().unwrap()
    }

    fn range(minutes: i64) -> TimeRange {
        TimeRange {
            start: now() - SignedDuration::from_mins(minutes),
            end: now(),
        }
    }

    #[test]
    fn the_seeds_ten_groups_with_retention_kms_and_bytes() {
        let groups = DemoLogs::new(7, PREFIX, epoch_minute(now())).groups(now());
        assert_eq!(groups.len(), 10);
        assert!(groups.iter().any(|g| g.name == "/aws/batch/job"));
        assert!(
            groups
                .iter()
                .any(|g| g.name == "/aws/lambda/ecommerce-ai-platform-auth-service")
        );
        for g in &groups {
            assert_eq!(g.retention_days, Some(30));
            assert!(
                g.kms_key_id
                    .as_deref()
                    .unwrap()
                    .starts_with("arn:aws:kms:us-east-1:")
            );
            assert!(g.stored_bytes.unwrap() > 1_000_000, "{}", g.name);
            let last = g.last_event_at.unwrap();
            assert!(last <= now() && last > now() - 5.minutes(), "{}", g.name);
        }
    }

    #[test]
    fn the_same_seed_and_clock_give_the_same_lines() {
        let a = DemoLogs::new(7, PREFIX, epoch_minute(now()));
        let b = DemoLogs::new(7, PREFIX, epoch_minute(now()));
        let g = "/aws/apigateway/ecommerce-ai-platform";
        let ea = a.events(g, range(30), now()).unwrap();
        assert!(ea.len() > 100);
        assert_eq!(ea, b.events(g, range(30), now()).unwrap());
        let other = DemoLogs::new(8, PREFIX, epoch_minute(now()))
            .events(g, range(30), now())
            .unwrap();
        assert_ne!(ea, other);
    }

    #[test]
    fn a_window_is_the_same_generated_alone_or_within_a_larger_one() {
        let logs = DemoLogs::new(1, PREFIX, epoch_minute(now()));
        let g = "/aws/lambda/ecommerce-ai-platform-auth-service";
        let small = TimeRange {
            start: now() - SignedDuration::from_mins(10),
            end: now() - SignedDuration::from_mins(5),
        };
        let inner = logs.events(g, small, now()).unwrap();
        let outer = logs.events(g, range(60), now()).unwrap();
        let sliced: Vec<_> = outer
            .into_iter()
            .filter(|e| e.timestamp >= small.start && e.timestamp < small.end)
            .collect();
        assert_eq!(inner, sliced);
        assert!(inner.windows(2).all(|w| w[0].timestamp <= w[1].timestamp));
    }

    #[test]
    fn nothing_exists_after_now_and_ids_are_unique() {
        let logs = DemoLogs::new(1, PREFIX, epoch_minute(now()));
        let late = TimeRange {
            start: now() - SignedDuration::from_mins(3),
            end: now() + SignedDuration::from_mins(3),
        };
        let mut ids = std::collections::HashSet::new();
        for g in logs.groups(now()) {
            for e in logs.events(&g.name, late, now()).unwrap() {
                assert!(e.timestamp <= now());
                assert!(ids.insert(e.event_id.clone().unwrap()), "duplicate id");
            }
        }
        assert!(ids.len() > 50);
    }

    #[test]
    fn filter_uses_the_local_matcher_and_rejects_bad_patterns() {
        let logs = DemoLogs::new(1, PREFIX, epoch_minute(now()));
        let g = "/aws/apigateway/ecommerce-ai-platform";
        let page = logs
            .filter(g, range(120), Some("{ $.status = 404 }"), None, now())
            .unwrap();
        assert!(!page.events.is_empty());
        assert!(
            page.events
                .iter()
                .all(|e| e.message.contains("\"status\":404"))
        );
        let all = logs.events(g, range(120), now()).unwrap();
        assert!(page.events.len() < all.len());
        let err = logs
            .filter(g, range(5), Some("{ $.status = }"), None, now())
            .unwrap_err();
        assert!(matches!(err, ProviderError::Invalid(_)), "{err}");
        let missing = logs
            .filter("/nope", range(5), None, None, now())
            .unwrap_err();
        assert!(matches!(missing, ProviderError::NotFound(_)));
    }

    #[test]
    fn pages_follow_their_tokens_to_the_same_events() {
        let logs = DemoLogs::new(1, PREFIX, epoch_minute(now()));
        let g = "/aws/apigateway/ecommerce-ai-platform";
        let whole = range(24 * 60);
        let all = logs.events(g, whole, now()).unwrap();
        let mut paged = Vec::new();
        let mut token = None;
        let mut pages = 0;
        loop {
            let page = logs
                .filter(g, whole, None, token.as_deref(), now())
                .unwrap();
            assert!(page.events.len() <= PAGE_EVENTS);
            paged.extend(page.events);
            pages += 1;
            match page.next_token {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        assert!(
            pages > 4,
            "a day of API logs takes several pages, got {pages}"
        );
        assert_eq!(paged, all);
        assert!(logs.filter(g, whole, None, Some("garbage"), now()).is_err());
    }

    /// Finds the first minute within the day before `now` where `pred`
    /// holds.
    fn first_minute(pred: impl Fn(i64) -> bool) -> Option<i64> {
        let end = epoch_minute(now());
        (end - 1440..end).find(|&m| pred(m))
    }

    /// A seed whose day before `now` has a DMS spike, and its first minute.
    fn seed_with_a_dms_spike() -> (u64, i64) {
        (0..100)
            .find_map(|seed| {
                let incidents = Incidents::new(seed, epoch_minute(now()));
                Some((seed, first_minute(|m| incidents.dms_lag(m).is_some())?))
            })
            .expect("some seed has a DMS spike")
    }

    #[test]
    fn the_lambda_burst_shows_as_tracebacks_while_it_runs() {
        let seed = 5;
        let logs = DemoLogs::new(seed, PREFIX, epoch_minute(now()));
        let incidents = Incidents::new(seed, epoch_minute(now()));
        let burst = first_minute(|m| incidents.lambda_burst(m)).expect("the opening burst");
        let calm = first_minute(|m| !incidents.lambda_burst(m) && !incidents.lambda_burst(m + 1))
            .expect("a calm minute");
        let g = "/aws/lambda/ecommerce-ai-platform-analytics-service";
        let at = |m: i64| {
            let start = Timestamp::from_second(m * 60).unwrap();
            let range = TimeRange {
                start,
                end: start + SignedDuration::from_mins(1),
            };
            logs.filter(
                g,
                range,
                Some("Traceback"),
                None,
                start + SignedDuration::from_mins(2),
            )
            .unwrap()
            .events
        };
        let errors = at(burst);
        assert!(!errors.is_empty(), "the burst writes tracebacks");
        assert!(
            errors[0]
                .message
                .contains("\n  File \"/var/task/handler.py\"")
        );
        assert!(at(calm).is_empty(), "none outside the burst");
    }

    #[test]
    fn the_dms_spike_shows_in_the_batch_job() {
        let (seed, spike) = seed_with_a_dms_spike();
        let logs = DemoLogs::new(seed, PREFIX, epoch_minute(now()));
        let start = Timestamp::from_second(spike * 60).unwrap();
        let window = TimeRange {
            start,
            end: start + SignedDuration::from_mins(4),
        };
        let page = logs
            .filter(
                "/aws/batch/job",
                window,
                Some("%CDCLatencySource|ReplicationLagTimeout%"),
                None,
                start + SignedDuration::from_mins(5),
            )
            .unwrap();
        assert!(page.events.len() >= 4, "{page:?}");
        assert!(
            page.events
                .iter()
                .any(|e| e.message.contains("ReplicationLagTimeout"))
        );
    }
}
