//! Gathers an alarm's incident timeline: the alarm and its state changes
//! first (they fix the window), then side by side its metric, the error
//! lines of its related log groups, the account's CloudTrail write events,
//! the acks, silences and tests recorded for it, and the other alarms that
//! changed state. Each piece is handed over the moment it arrives, and a
//! piece that fails carries its error while the others still come: the
//! TUI draws them as they land, `monitui incident` waits for all.

use std::sync::Arc;

use jiff::Timestamp;

use super::audit::{AuditEntry, AuditLog};
use super::backoff::Backoff;
use super::log_fetch::{GroupFetch, fetch_groups};
use super::trail_search::{LiveOptions, LiveTrailSearch};
use crate::model::incident::{GroupRule, RelatedLogs, related_groups};
use crate::model::trail::{TrailCriteria, TrailRecord};
use crate::model::{Alarm, HistoryItem, LogEvent, MetricQuery, Series, TimeRange};
use crate::provider::{ProviderError, Reads};

/// State changes of the alarm read to find its episode and show it.
pub const HISTORY_LIMIT: usize = 100;
/// Other alarms' state changes shown at most.
pub const OTHER_ALARMS_LIMIT: usize = 200;
/// Error lines kept per log group.
pub const LOG_LIMIT_PER_GROUP: usize = 2_000;
/// CloudTrail write events kept.
pub const TRAIL_LIMIT: usize = 300;

/// What to gather.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentRequest {
    /// The alarm's name.
    pub alarm: String,
    /// The window; `None` means the current or latest ALARM episode.
    pub window: Option<TimeRange>,
    /// Log groups to search instead of the related ones.
    pub groups: Option<Vec<String>>,
    /// Filter pattern of error lines.
    pub errors: String,
}

/// Where the related log groups come from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Relations {
    /// The env's `related_logs`.
    pub related_logs: Vec<RelatedLogs>,
    /// The stack's name prefix (built-in rules).
    pub prefix: String,
}

impl Relations {
    /// The relations `env` configures.
    pub fn of(env: &crate::config::ResolvedEnv) -> Self {
        Self {
            related_logs: env.related_logs.clone(),
            prefix: env.prefix.clone(),
        }
    }
}

/// The error lines found.
#[derive(Debug, Clone, PartialEq)]
pub struct LogPiece {
    /// The groups searched.
    pub groups: Vec<String>,
    /// Error lines of every group, oldest first.
    pub events: Vec<LogEvent>,
    /// Groups that failed, with why.
    pub failed: Vec<(String, String)>,
    /// Whether a group had more lines than were kept.
    pub truncated: bool,
}

/// The CloudTrail write events found.
#[derive(Debug, Clone, PartialEq)]
pub struct TrailPiece {
    /// Newest first.
    pub events: Vec<TrailRecord>,
    /// Whether more were available than were kept.
    pub more: bool,
}

/// A piece's content, or why it could not be had.
pub type Part<T> = Result<T, String>;

/// One piece of a timeline, as it arrives.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// The alarm, the window, and the alarm's state changes in it (newest
    /// first): always first.
    Alarm {
        /// The alarm as it is now.
        alarm: Box<Alarm>,
        /// The window every other piece covers.
        window: TimeRange,
        /// Its state changes within the window.
        state_changes: Vec<HistoryItem>,
    },
    /// The alarm's metric over the window (`None`: it watches no single
    /// metric, e.g. a composite alarm).
    Metric(Part<Option<Series>>),
    /// Error lines of the related log groups.
    Logs(Part<LogPiece>),
    /// CloudTrail write events.
    Trail(Part<TrailPiece>),
    /// Acks, silences and tests of the alarm from the audit log.
    Annotations(Part<Vec<AuditEntry>>),
    /// Other alarms' state changes within the window.
    OtherAlarms(Part<Vec<HistoryItem>>),
}

/// A timeline put together from its pieces; `None` is a piece still on
/// its way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    /// The alarm as it is now.
    pub alarm: Option<Alarm>,
    /// The window every piece covers.
    pub window: Option<TimeRange>,
    /// The alarm's state changes in the window, newest first.
    pub state_changes: Vec<HistoryItem>,
    /// The alarm's metric.
    pub metric: Option<Part<Option<Series>>>,
    /// Error lines.
    pub logs: Option<Part<LogPiece>>,
    /// CloudTrail write events.
    pub trail: Option<Part<TrailPiece>>,
    /// Acks, silences and tests.
    pub annotations: Option<Part<Vec<AuditEntry>>>,
    /// Other alarms' state changes, newest first.
    pub other_alarms: Option<Part<Vec<HistoryItem>>>,
}

impl Timeline {
    /// Takes in one piece.
    pub fn apply(&mut self, piece: Piece) {
        match piece {
            Piece::Alarm {
                alarm,
                window,
                state_changes,
            } => {
                self.alarm = Some(*alarm);
                self.window = Some(window);
                self.state_changes = state_changes;
            }
            Piece::Metric(p) => self.metric = Some(p),
            Piece::Logs(p) => self.logs = Some(p),
            Piece::Trail(p) => self.trail = Some(p),
            Piece::Annotations(p) => self.annotations = Some(p),
            Piece::OtherAlarms(p) => self.other_alarms = Some(p),
        }
    }

    /// Gathers every piece of `request` and returns them put together.
    pub async fn gather(
        sources: &Sources,
        request: &IncidentRequest,
        now: Timestamp,
    ) -> Result<Timeline, IncidentError> {
        let timeline = std::sync::Mutex::new(Timeline::default());
        gather(sources, request, now, &|piece| {
            if let Ok(mut t) = timeline.lock() {
                t.apply(piece);
            }
        })
        .await?;
        Ok(timeline.into_inner().unwrap_or_default())
    }
}

/// What the gathering needs from the account and this machine.
#[derive(Debug, Clone)]
pub struct Sources {
    /// The account's reads.
    pub reads: Reads,
    /// CloudTrail lookups, paced to the account's quota.
    pub trail: Arc<LiveTrailSearch>,
    /// The local audit log, if there is one.
    pub audit: Option<AuditLog>,
    /// Where the related log groups come from.
    pub relations: Relations,
}

impl Sources {
    /// Sources over an account's `reads`, with a CloudTrail searcher of
    /// their own that keeps at most [`TRAIL_LIMIT`] events.
    pub fn new(reads: Reads, audit: Option<AuditLog>, relations: Relations) -> Self {
        let trail = LiveTrailSearch::new(
            Arc::clone(&reads.trail),
            LiveOptions {
                limit: TRAIL_LIMIT,
                ..LiveOptions::default()
            },
        );
        Self {
            reads,
            trail: Arc::new(trail),
            audit,
            relations,
        }
    }
}

/// Why there is no timeline at all.
#[derive(Debug, thiserror::Error)]
pub enum IncidentError {
    /// No alarm has this name.
    #[error("no alarm named '{0}'")]
    UnknownAlarm(String),
    /// Reading the alarm or its history failed.
    #[error(transparent)]
    Provider(#[from] ProviderError),
}

/// Gathers the timeline of `request` at `now`, handing each piece to
/// `sink` as it arrives: first [`Piece::Alarm`], then the others in the
/// order they finish.
pub async fn gather(
    sources: &Sources,
    request: &IncidentRequest,
    now: Timestamp,
    sink: &(dyn Fn(Piece) + Send + Sync),
) -> Result<(), IncidentError> {
    let reads = &sources.reads;
    let alarm = reads
        .alarms
        .alarm(&request.alarm)
        .await?
        .ok_or_else(|| IncidentError::UnknownAlarm(request.alarm.clone()))?;
    let lookback = TimeRange {
        start: now
            .checked_sub(jiff::SignedDuration::from_hours(24))
            .unwrap_or(now),
        end: now,
    };
    let history = reads
        .alarms
        .alarm_history(
            &alarm.name,
            request.window.unwrap_or(lookback),
            HISTORY_LIMIT,
        )
        .await?;
    let window = request
        .window
        .unwrap_or_else(|| crate::model::incident::default_window(&alarm, &history, now));
    let state_changes = history
        .into_iter()
        .filter(|h| {
            h.transition.is_some() && h.timestamp >= window.start && h.timestamp <= window.end
        })
        .collect();
    sink(Piece::Alarm {
        alarm: Box::new(alarm.clone()),
        window,
        state_changes,
    });
    tokio::join!(
        async {
            sink(Piece::Metric(part(
                metric(reads, &alarm, window, now).await,
            )))
        },
        async { sink(Piece::Logs(logs(sources, &alarm, request, window).await)) },
        async { sink(Piece::Trail(trail(sources, window).await)) },
        async {
            sink(Piece::Annotations(annotations(
                sources,
                &alarm.name,
                window,
            )))
        },
        async {
            let changes = reads
                .alarms
                .state_changes(window, OTHER_ALARMS_LIMIT)
                .await
                .map(|all| {
                    all.into_iter()
                        .filter(|h| h.alarm_name != alarm.name)
                        .collect()
                });
            sink(Piece::OtherAlarms(part(changes)))
        },
    );
    Ok(())
}

/// A provider result as a piece's part: the error said in words.
fn part<T>(result: Result<T, ProviderError>) -> Part<T> {
    result.map_err(|e| e.to_string())
}

/// The alarm's metric over the window at its statistic and period, with
/// the period still running left out.
async fn metric(
    reads: &Reads,
    alarm: &Alarm,
    window: TimeRange,
    now: Timestamp,
) -> Result<Option<Series>, ProviderError> {
    let Some(spec) = alarm.metric_spec() else {
        return Ok(None);
    };
    let Some(metric) = spec.metric.clone() else {
        return Ok(None);
    };
    let query = MetricQuery::metric("incident", metric, &spec.stat, spec.period_secs);
    let mut series = reads
        .metrics
        .metric_data(std::slice::from_ref(&query), window)
        .await?;
    Ok(series.pop().map(|mut s| {
        s.drop_incomplete(spec.period_secs, now);
        s
    }))
}

/// The error lines of the related groups (or the ones asked for), every
/// group searched side by side.
async fn logs(
    sources: &Sources,
    alarm: &Alarm,
    request: &IncidentRequest,
    window: TimeRange,
) -> Part<LogPiece> {
    let groups = match &request.groups {
        Some(groups) => groups.clone(),
        None => {
            let rules = related_groups(
                alarm,
                &sources.relations.related_logs,
                &sources.relations.prefix,
            );
            resolve_groups(&sources.reads, &rules).await?
        }
    };
    let fetches = groups
        .iter()
        .map(|group| GroupFetch {
            group: group.clone(),
            range: window,
            pattern: Some(request.errors.clone()),
            limit: LOG_LIMIT_PER_GROUP,
        })
        .collect();
    let results = fetch_groups(Arc::clone(&sources.reads.logs), fetches, Backoff::default()).await;
    let mut piece = LogPiece {
        groups: groups.clone(),
        events: Vec::new(),
        failed: Vec::new(),
        truncated: false,
    };
    for (group, result) in groups.into_iter().zip(results) {
        match result {
            Ok(found) => {
                piece.truncated |= found.truncated;
                piece.events.extend(found.events);
            }
            Err(e) => piece.failed.push((group, e.to_string())),
        }
    }
    piece.events.sort_by_key(|e| e.timestamp);
    Ok(piece)
}

/// The groups `rules` name; globs are matched against one listing of the
/// account's groups, made only when a rule needs it.
async fn resolve_groups(reads: &Reads, rules: &[GroupRule]) -> Part<Vec<String>> {
    let listed = if rules.iter().any(|r| matches!(r, GroupRule::Glob(_))) {
        reads
            .logs
            .list_log_groups()
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|g| g.name)
            .collect()
    } else {
        Vec::new()
    };
    let mut groups: Vec<String> = rules.iter().flat_map(|r| r.pick(&listed)).collect();
    groups.dedup();
    Ok(groups)
}

/// The account's CloudTrail write events within the window.
async fn trail(sources: &Sources, window: TimeRange) -> Part<TrailPiece> {
    let criteria = TrailCriteria {
        read_only: Some(false),
        since: Some(window.start),
        until: Some(window.end),
        ..TrailCriteria::default()
    };
    let found = sources
        .trail
        .search(&criteria)
        .await
        .map_err(|e| e.to_string())?;
    Ok(TrailPiece {
        more: found.cutoff.is_some(),
        events: found.records,
    })
}

/// The acks, silences and tests recorded for `alarm` within the window.
fn annotations(sources: &Sources, alarm: &str, window: TimeRange) -> Part<Vec<AuditEntry>> {
    let Some(audit) = &sources.audit else {
        return Ok(Vec::new());
    };
    Ok(audit
        .read()
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|e| e.alarm == alarm && e.when >= window.start && e.when <= window.end)
        .collect())
}

#[cfg(test)]
mod tests;
