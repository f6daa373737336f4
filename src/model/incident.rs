//! The incident timeline of one alarm: which window to look at, which log
//! groups hold its error lines, and the summaries drawn from what was
//! found (error lines per minute, the most frequent error lines). Plain
//! functions of data already fetched; fetching is `data::incident`.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::alarm::{Alarm, AlarmKind, AlarmState, HistoryItem};
use super::metric::TimeRange;

pub mod failures;

use failures::Failure;

/// The log groups to search for an alarm's error lines
/// (`[envs.NAME.related_logs]`, `"ALARM-OR-GLOB" = ["group", ...]`).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct RelatedLogs {
    /// An alarm name, or a glob over alarm names (`*`, `?`).
    pub alarms: String,
    /// Its log groups (a `*` glob picks from the account's groups).
    pub groups: Vec<String>,
}

/// The filter pattern of error lines unless the env or `--errors` says
/// otherwise.
pub const DEFAULT_ERROR_PATTERN: &str = "?ERROR ?Error ?error ?Exception ?FATAL ?Traceback";

/// How far before an episode's start the default window opens.
pub const LEAD_IN: SignedDuration = SignedDuration::from_mins(30);

/// The window shown when the alarm has no ALARM episode in its history.
pub const FALLBACK_WINDOW: SignedDuration = SignedDuration::from_hours(1);

/// The default window: the current or latest ALARM episode, from
/// [`LEAD_IN`] before it started until it ended, or until `now` while it
/// lasts. `history` is newest first, as the service gives it.
pub fn default_window(alarm: &Alarm, history: &[HistoryItem], now: Timestamp) -> TimeRange {
    let start = |at: Timestamp| at.checked_sub(LEAD_IN).unwrap_or(at);
    if alarm.state == AlarmState::Alarm {
        return TimeRange {
            start: start(alarm.transitioned_at),
            end: now,
        };
    }
    let transitions = || {
        history
            .iter()
            .filter_map(|h| Some((h.timestamp, h.transition?)))
    };
    let entered = transitions().find(|(_, (_, to))| *to == AlarmState::Alarm);
    match entered {
        Some((began, _)) => {
            let ended = transitions()
                .filter(|(at, (from, _))| *at > began && *from == AlarmState::Alarm)
                .map(|(at, _)| at)
                .min()
                .unwrap_or(now);
            TimeRange {
                start: start(began),
                end: ended,
            }
        }
        None => TimeRange {
            start: now.checked_sub(FALLBACK_WINDOW).unwrap_or(now),
            end: now,
        },
    }
}

/// A window `factor` times as long around the same end (`]` widens by 2,
/// `[` narrows by 0.5); never shorter than 5 minutes.
pub fn scale_window(window: TimeRange, factor: f64) -> TimeRange {
    let span = window.end.duration_since(window.start).as_secs_f64();
    let scaled = (span * factor).max(300.0);
    let start = window
        .end
        .checked_sub(SignedDuration::from_secs_f64(scaled))
        .unwrap_or(window.start);
    TimeRange {
        start,
        end: window.end,
    }
}

/// Log groups named exactly or by a `*` glob over the account's groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum GroupRule {
    /// This group.
    Exact(String),
    /// Every group whose name matches.
    Glob(String),
}

impl GroupRule {
    fn of(name: &str) -> Self {
        if name.contains('*') {
            GroupRule::Glob(name.to_string())
        } else {
            GroupRule::Exact(name.to_string())
        }
    }

    /// The groups of `available` this rule names (an exact name is kept
    /// even when it is not listed: the search then says it is missing).
    pub fn pick(&self, available: &[String]) -> Vec<String> {
        match self {
            GroupRule::Exact(name) => vec![name.clone()],
            GroupRule::Glob(glob) => available
                .iter()
                .filter(|g| glob_matches(glob, g))
                .cloned()
                .collect(),
        }
    }
}

/// Whether `text` matches `glob`, where `*` is any run and `?` any one
/// character.
pub fn glob_matches(glob: &str, text: &str) -> bool {
    fn go(g: &[char], t: &[char]) -> bool {
        match (g.first(), t.first()) {
            (None, None) => true,
            (Some('*'), _) => go(&g[1..], t) || (!t.is_empty() && go(g, &t[1..])),
            (Some('?'), Some(_)) => go(&g[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => go(&g[1..], &t[1..]),
            _ => false,
        }
    }
    let g: Vec<char> = glob.chars().collect();
    let t: Vec<char> = text.chars().collect();
    go(&g, &t)
}

/// The log groups that hold `alarm`'s error lines: the env's
/// `related_logs` entries whose name or glob matches the alarm, else the
/// built-in rules for the monitored stack: a Lambda alarm's function group
/// (from its `FunctionName` dimension, or every `/aws/lambda/<prefix>-*`
/// group for an account-wide one), the API Gateway group, the Batch job
/// group.
pub fn related_groups(alarm: &Alarm, configured: &[RelatedLogs], prefix: &str) -> Vec<GroupRule> {
    let chosen: Vec<GroupRule> = configured
        .iter()
        .filter(|r| glob_matches(&r.alarms, &alarm.name))
        .flat_map(|r| r.groups.iter().map(|g| GroupRule::of(g)))
        .collect();
    if !chosen.is_empty() {
        return chosen;
    }
    let AlarmKind::Metric(spec) = &alarm.kind else {
        return Vec::new();
    };
    let Some(metric) = &spec.metric else {
        return Vec::new();
    };
    let dimension = |name: &str| {
        metric
            .dimensions
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.value.clone())
    };
    match metric.namespace.as_str() {
        "AWS/Lambda" => match dimension("FunctionName") {
            Some(function) => vec![GroupRule::Exact(format!("/aws/lambda/{function}"))],
            None => vec![GroupRule::Glob(format!("/aws/lambda/{prefix}-*"))],
        },
        "AWS/ApiGateway" => vec![GroupRule::Glob(format!("/aws/apigateway/{prefix}*"))],
        "AWS/Batch" => vec![GroupRule::Exact("/aws/batch/job".into())],
        _ => Vec::new(),
    }
}

/// Failures per minute of `window` (every minute, zeros included), for
/// the bar over the timeline: an invocation's error and `REPORT` lines
/// count once.
pub fn errors_per_minute(failures: &[Failure], window: TimeRange) -> Vec<(Timestamp, usize)> {
    let minute = |t: Timestamp| t.as_second().div_euclid(60);
    let first = minute(window.start);
    let last = minute(window.end).max(first);
    let mut counts = vec![0usize; (last - first + 1) as usize];
    for f in failures {
        let m = minute(f.at);
        if (first..=last).contains(&m) {
            counts[(m - first) as usize] += 1;
        }
    }
    counts
        .into_iter()
        .enumerate()
        .filter_map(|(i, n)| {
            Timestamp::from_second((first + i as i64) * 60)
                .ok()
                .map(|t| (t, n))
        })
        .collect()
}

/// One kind of failure and how often it came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopError {
    /// The failure's headline (error first), words with digits masked as `#`.
    pub line: String,
    /// How many failures had it.
    pub count: usize,
    /// An example headline as it came (not yet sanitised).
    pub example: String,
}

/// The `n` most frequent kinds of failure, counted by their headline with
/// every word holding a digit masked (so `took 812 ms` and `took 95 ms`
/// count as one).
pub fn top_errors(failures: &[Failure], n: usize) -> Vec<TopError> {
    let mut by_line: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for f in failures {
        let masked = mask_numbers(&f.headline);
        let entry = by_line.entry(masked).or_insert((0, f.headline.clone()));
        entry.0 += 1;
    }
    let mut top: Vec<TopError> = by_line
        .into_iter()
        .map(|(line, (count, example))| TopError {
            line,
            count,
            example,
        })
        .collect();
    top.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.line.cmp(&b.line)));
    top.truncate(n);
    top
}

/// `line` with every word that holds a digit (numbers, ids, request ids,
/// times) replaced by `#`.
fn mask_numbers(line: &str) -> String {
    line.split_whitespace()
        .map(|word| {
            if word.chars().any(|c| c.is_ascii_digit()) {
                "#"
            } else {
                word
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests;
