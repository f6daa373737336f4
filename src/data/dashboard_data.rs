//! A dashboard's metric data, shared by the Dashboards tab and
//! `dashboards show`: every metric row of every widget in ONE
//! `MetricsRead::metric_data` batch (the provider sends at most 500
//! queries a call, identical queries once, and follows NextToken, so a
//! refresh costs ⌈unique queries / 500⌉ GetMetricData calls), metric math
//! and SEARCH sent to the service as expressions.
//!
//! [`DashboardStore`] keeps the series between refreshes. When the window
//! slides (it ends now) and nothing else changed, a refresh asks only for
//! the newest part: from two of the longest period before the last fetch's
//! end, aligned to that period, and merges it into what it kept. It asks
//! for the whole window again when the window or the queries changed, when
//! a refresh is forced, or when some query's value depends on the whole
//! window (an expression that is not point by point, such as `RATE(m1)`
//! or `m1 / MAX(m1)`, or a period as long as half the window).

use std::collections::HashMap;
use std::sync::Arc;

use jiff::Timestamp;

use super::insights::PollOptions;
use crate::model::dashboard::{
    Dashboard, DashboardData, LogResult, LogWidget, PlannedQuery, RangeChoice, WidgetContent,
};
use crate::model::insight_rule::{InsightReport, InsightRuleQuery};
use crate::model::{MetricQuery, QuerySource, Series, TimeRange};
use crate::provider::{MetricsRead, ProviderError, Reads};

/// How many of the longest period before the last fetch's end a tail
/// fetch asks for again (data points can arrive a little late).
const OVERLAP_PERIODS: i64 = 2;

/// Functions whose value at a time depends only on their inputs at that
/// time (whatever the arguments).
const POINTWISE: &[&str] = &[
    "SEARCH", "ABS", "CEIL", "FLOOR", "IF", "AND", "OR", "LOG", "LOG10", "SQRT", "FILL", "PERIOD",
];

/// Functions that are point by point across an array of series
/// (`SUM([m1, m2])`, `MAX(SEARCH(...))`) but reduce a single series to one
/// number over the whole window (`MAX(m1)`).
const ACROSS_SERIES: &[&str] = &["SUM", "AVG", "MIN", "MAX", "STDDEV", "MEDIAN", "PERCENTILE"];

/// What the last fetch covered.
#[derive(Debug, Clone)]
struct Fetched {
    /// The window it was for.
    range: TimeRange,
    /// The queries it asked, to notice a change.
    queries: Vec<MetricQuery>,
}

/// What one refresh asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// Nothing: a fixed window already fetched.
    Nothing,
    /// The whole window.
    Whole(TimeRange),
    /// Only this newest part of it.
    Tail(TimeRange),
}

/// One dashboard's series kept between refreshes.
#[derive(Debug, Clone)]
pub struct DashboardStore {
    dashboard: Arc<Dashboard>,
    choice: RangeChoice,
    /// Series by batch query id (a SEARCH brings several).
    kept: HashMap<String, Vec<Series>>,
    last: Option<Fetched>,
}

impl DashboardStore {
    /// An empty store for `dashboard` over `choice`.
    pub fn new(dashboard: Arc<Dashboard>, choice: RangeChoice) -> Self {
        Self {
            dashboard,
            choice,
            kept: HashMap::new(),
            last: None,
        }
    }

    /// The dashboard it fetches for.
    pub fn dashboard(&self) -> &Arc<Dashboard> {
        &self.dashboard
    }

    /// The range choice it fetches over.
    pub fn choice(&self) -> RangeChoice {
        self.choice
    }

    /// Looks at another range from now on: the next refresh fetches the
    /// whole window.
    pub fn set_choice(&mut self, choice: RangeChoice) {
        if choice != self.choice {
            self.choice = choice;
            self.last = None;
        }
    }

    /// Brings the store up to `now` (the whole window when `force`) and
    /// returns what was asked. On failure the kept series stay as they were.
    pub async fn refresh(
        &mut self,
        metrics: &dyn MetricsRead,
        now: Timestamp,
        force: bool,
    ) -> Result<Asked, ProviderError> {
        let range = self.choice.at(&self.dashboard.settings, now);
        let planned = self.dashboard.planned_queries(range);
        let queries: Vec<MetricQuery> = planned.iter().map(|p| p.query.clone()).collect();
        let asked = self.what_to_ask(&planned, &queries, range, force);
        let window = match asked {
            Asked::Nothing => return Ok(asked),
            Asked::Whole(w) | Asked::Tail(w) => w,
        };
        let fetched = if queries.is_empty() {
            Vec::new()
        } else {
            metrics.metric_data(&queries, window).await?
        };
        match asked {
            Asked::Tail(tail) => {
                let longest = longest_period(&planned);
                let oldest = range.start.as_second().div_euclid(longest) * longest;
                let oldest = Timestamp::from_second(oldest).unwrap_or(range.start);
                self.merge(fetched, oldest, tail.start);
            }
            _ => {
                self.kept.clear();
                for s in fetched {
                    self.kept.entry(s.id.clone()).or_default().push(s);
                }
            }
        }
        self.last = Some(Fetched { range, queries });
        Ok(asked)
    }

    /// Whole window, tail, or nothing.
    fn what_to_ask(
        &self,
        planned: &[PlannedQuery],
        queries: &[MetricQuery],
        range: TimeRange,
        force: bool,
    ) -> Asked {
        let Some(last) = &self.last else {
            return Asked::Whole(range);
        };
        let length = range.end.duration_since(range.start);
        let same_shape =
            last.queries == queries && last.range.end.duration_since(last.range.start) == length;
        if force || !same_shape {
            return Asked::Whole(range);
        }
        if !self.choice.slides(&self.dashboard.settings) {
            return Asked::Nothing;
        }
        let whole_window_needed = planned.iter().any(|p| {
            let period = i64::from(p.period_secs().unwrap_or(60));
            period * 2 > length.as_secs()
                || matches!(&p.query.source, QuerySource::Expression { expression, .. }
                    if !is_pointwise(expression))
        });
        if whole_window_needed {
            return Asked::Whole(range);
        }
        let longest = longest_period(planned);
        let back = last.range.end.as_second() - longest * OVERLAP_PERIODS;
        let aligned = back.div_euclid(longest) * longest;
        match Timestamp::from_second(aligned) {
            Ok(start) if start > range.start && start < range.end => Asked::Tail(TimeRange {
                start,
                end: range.end,
            }),
            _ => Asked::Whole(range),
        }
    }

    /// Replaces what a tail fetch from `tail_start` covers and drops what
    /// fell out of the window (periods starting before `oldest`, the
    /// window's start aligned down to the longest period).
    fn merge(&mut self, fetched: Vec<Series>, oldest: Timestamp, tail_start: Timestamp) {
        let mut fresh: HashMap<String, Vec<Series>> = HashMap::new();
        for s in fetched {
            fresh.entry(s.id.clone()).or_default().push(s);
        }
        for kept in self.kept.values_mut() {
            for s in kept.iter_mut() {
                s.points.retain(|(t, _)| *t >= oldest && *t < tail_start);
            }
        }
        for (id, series) in fresh {
            let kept = self.kept.entry(id).or_default();
            for s in series {
                match kept.iter_mut().find(|k| k.label == s.label) {
                    Some(k) => {
                        k.points.extend(s.points);
                        k.message = s.message;
                    }
                    None => kept.push(s),
                }
            }
        }
    }

    /// What the widgets draw from as of `now`: the kept series (each one's
    /// still-filling last period dropped unless its widget shows live data).
    pub fn data(&self, now: Timestamp) -> DashboardData {
        let range = self.last.as_ref().map_or_else(
            || self.choice.at(&self.dashboard.settings, now),
            |l| l.range,
        );
        let mut data = DashboardData::empty(range);
        let planned = self.dashboard.planned_queries(range);
        data.add_fetched(self.kept.values().flatten().cloned().collect(), &planned);
        data
    }
}

/// The longest period of `planned`, in seconds (60 when none says).
fn longest_period(planned: &[PlannedQuery]) -> i64 {
    planned
        .iter()
        .filter_map(PlannedQuery::period_secs)
        .max()
        .map_or(60, i64::from)
        .max(1)
}

/// Whether `expression`'s value at a time depends only on its inputs at
/// that time, so a part of the window can be fetched on its own.
pub fn is_pointwise(expression: &str) -> bool {
    let mut rest = expression;
    while let Some(start) = rest.find(|c: char| c.is_ascii_alphabetic() || c == '\'' || c == '"') {
        rest = &rest[start..];
        let first = rest.chars().next().unwrap_or(' ');
        if first == '\'' || first == '"' {
            rest = rest[1..].find(first).map_or("", |end| &rest[end + 2..]);
            continue;
        }
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let (word, tail) = rest.split_at(len);
        rest = tail;
        let Some(args) = tail.trim_start().strip_prefix('(') else {
            continue;
        };
        let name = word.to_ascii_uppercase();
        let first_arg = args.trim_start();
        let ok = POINTWISE.contains(&name.as_str())
            || (ACROSS_SERIES.contains(&name.as_str())
                && (first_arg.starts_with('[') || first_arg.starts_with("SEARCH")));
        if !ok {
            return false;
        }
    }
    true
}

/// Everything a dashboard shows from the account at once, as
/// `dashboards show` needs it: its metrics in one batch over `choice` at
/// `now` (a failed batch marks every metric widget with the error) and
/// every log widget's Logs Insights query and every Contributor Insights
/// report, side by side.
pub async fn fetch_once(
    dashboard: &Arc<Dashboard>,
    reads: &Reads,
    choice: RangeChoice,
    now: Timestamp,
) -> DashboardData {
    let mut store = DashboardStore::new(Arc::clone(dashboard), choice);
    let fetched = store.refresh(reads.metrics.as_ref(), now, true).await;
    let mut data = store.data(now);
    if let Err(e) = fetched {
        for p in dashboard.planned_queries(data.range) {
            data.failures.insert(p.widget, format!("metrics: {e}"));
        }
    }
    let (logs, contributors) = futures_util::future::join(
        log_results(dashboard, reads, data.range),
        contributor_results(dashboard, reads, data.range),
    )
    .await;
    data.logs = logs;
    data.contributors = contributors;
    data
}

/// Fetches every Contributor Insights widget's report over `range`, side
/// by side: each widget gets its report or the error to show in its place.
pub async fn contributor_results(
    dashboard: &Dashboard,
    reads: &Reads,
    range: TimeRange,
) -> HashMap<usize, Result<InsightReport, String>> {
    let runs = dashboard.widgets.iter().filter_map(|w| match &w.content {
        Ok(WidgetContent::Contributors(c)) => Some(async move {
            let query = InsightRuleQuery {
                rule_name: c.rule_name.clone(),
                range,
                period_secs: c.period_secs,
                max_contributors: c.max_contributors,
                order_by: c.order_by,
            };
            let report = reads.contributors.insight_rule_report(&query).await;
            (w.index, report.map_err(|e| e.to_string()))
        }),
        _ => None,
    });
    futures_util::future::join_all(runs)
        .await
        .into_iter()
        .collect()
}

/// The log widgets of `dashboard`, each with its query under way.
pub fn pending_logs(dashboard: &Dashboard) -> HashMap<usize, LogResult> {
    log_widgets(dashboard)
        .map(|(index, _)| (index, LogResult::Pending))
        .collect()
}

/// Runs every log widget's Logs Insights query over `range`, side by
/// side, and gives each widget its table or its error.
pub async fn log_results(
    dashboard: &Dashboard,
    reads: &Reads,
    range: TimeRange,
) -> HashMap<usize, LogResult> {
    let runs = log_widgets(dashboard).map(|(index, widget)| async move {
        let result = super::insights::widget_result(
            reads.logs.as_ref(),
            reads.insights.as_ref(),
            widget,
            range,
            PollOptions::default(),
        )
        .await;
        (index, result)
    });
    futures_util::future::join_all(runs)
        .await
        .into_iter()
        .collect()
}

fn log_widgets(dashboard: &Dashboard) -> impl Iterator<Item = (usize, &LogWidget)> {
    dashboard.widgets.iter().filter_map(|w| match &w.content {
        Ok(WidgetContent::Log(log)) => Some((w.index, log)),
        _ => None,
    })
}

#[cfg(test)]
mod tests;
