//! A dashboard's metric rows as one batch of GetMetricData queries.
//!
//! Row ids (`m1`, `errors`) are local to their widget, and every widget
//! may have an `m1`; in one batch each id is made unique by prefixing it
//! with the widget (`w3_m1`), and expressions are rewritten to match.
//! `METRICS()` (every metric of the widget) becomes the explicit list of
//! the widget's metric ids so it does not grow to the whole batch. Rows
//! without an id get the console's `m<row>` / `e<row>`.

use std::collections::{HashMap, HashSet};

use super::metric_widget::MetricWidget;
use super::rows::MetricRow;
use super::{Dashboard, PeriodOverride, WidgetContent};
use crate::model::{MetricQuery, QuerySource, TimeRange};

/// One query of the batch and what it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedQuery {
    /// Index of the widget in the body.
    pub widget: usize,
    /// Index of the row in the widget's `metrics`.
    pub row: usize,
    /// The query, with its batch-unique id.
    pub query: MetricQuery,
    /// Region the row asks for (its own or the widget's).
    pub region: Option<String>,
    /// Account of a cross-account row.
    pub account_id: Option<String>,
    /// The widget shows the newest, still-filling period (`liveData`).
    pub live_data: bool,
}

impl PlannedQuery {
    /// The query's period in seconds.
    pub fn period_secs(&self) -> Option<u32> {
        match &self.query.source {
            QuerySource::Metric { period_secs, .. } => Some(*period_secs),
            QuerySource::Expression { period_secs, .. } => *period_secs,
        }
    }
}

impl Dashboard {
    /// Every metric row of every parsed metric widget as queries over
    /// `range` (whose length sets the period of single-number widgets with
    /// `setPeriodToTimeRange`, and, unless the body says
    /// `"periodOverride": "inherit"`, the shortest period: see
    /// [`auto_period`]).
    pub fn planned_queries(&self, range: TimeRange) -> Vec<PlannedQuery> {
        let range_secs = range.end.duration_since(range.start).as_secs().max(0) as u64;
        let floor = match self.settings.period_override {
            Some(PeriodOverride::Inherit) => 1,
            Some(PeriodOverride::Auto) | None => auto_period(range_secs),
        };
        let mut out = Vec::new();
        for widget in &self.widgets {
            if let Ok(WidgetContent::Metric(m)) = &widget.content {
                out.extend(widget_queries(widget.index, m, range_secs, floor));
            }
        }
        out
    }

    /// The queries alone, for `Provider::metric_data`.
    pub fn metric_queries(&self, range: TimeRange) -> Vec<MetricQuery> {
        self.planned_queries(range)
            .into_iter()
            .map(|p| p.query)
            .collect()
    }
}

/// Most points a series is asked for when periods adapt to the range.
pub const AUTO_MAX_POINTS: u64 = 1440;

/// The shortest period `"periodOverride": "auto"` (the default) allows over
/// a range of `range_secs`: the first of 1 s, 5 s, 10 s, 30 s, 1 min,
/// 5 min, 15 min, 1 h, 6 h, 1 d that keeps a series within [`AUTO_MAX_POINTS`] points. A widget's
/// own longer period is kept.
pub fn auto_period(range_secs: u64) -> u32 {
    const STEPS: [u32; 10] = [1, 5, 10, 30, 60, 300, 900, 3600, 21_600, 86_400];
    STEPS
        .into_iter()
        .find(|p| range_secs / u64::from(*p) <= AUTO_MAX_POINTS)
        .unwrap_or(STEPS[STEPS.len() - 1])
}

/// The batch id of a widget's row id.
pub fn batch_id(widget: usize, local: &str) -> String {
    format!("w{widget}_{local}")
}

/// Each row's local id: its own, or `m<row>` / `e<row>` (1-based) when it
/// names none, skipping names that another row took explicitly.
pub fn local_ids(rows: &[MetricRow]) -> Vec<String> {
    let explicit: HashSet<&str> = rows
        .iter()
        .filter_map(|r| r.options().id.as_deref())
        .collect();
    rows.iter()
        .enumerate()
        .map(|(i, row)| match &row.options().id {
            Some(id) => id.clone(),
            None => {
                let prefix = match row {
                    MetricRow::Metric { .. } => "m",
                    MetricRow::Expression { .. } => "e",
                };
                let mut id = format!("{prefix}{}", i + 1);
                while explicit.contains(id.as_str()) {
                    id.push('_');
                }
                id
            }
        })
        .collect()
}

/// The period a row is fetched with.
pub fn row_period(widget: &MetricWidget, row: &MetricRow, range_secs: u64) -> u32 {
    if widget.set_period_to_time_range && widget.view.is_single_number() {
        let whole = range_secs.div_ceil(60).max(1) * 60;
        return u32::try_from(whole).unwrap_or(u32::MAX / 60 * 60);
    }
    row.options().period_secs.unwrap_or(widget.period_secs)
}

fn widget_queries(
    index: usize,
    widget: &MetricWidget,
    range_secs: u64,
    floor: u32,
) -> Vec<PlannedQuery> {
    let locals = local_ids(&widget.rows);
    let renames: HashMap<&str, String> = locals
        .iter()
        .map(|l| (l.as_str(), batch_id(index, l)))
        .collect();
    let metric_ids: Vec<&str> = widget
        .rows
        .iter()
        .zip(&locals)
        .filter(|(r, _)| matches!(r, MetricRow::Metric { .. }))
        .map(|(_, l)| l.as_str())
        .collect();
    widget
        .rows
        .iter()
        .zip(&locals)
        .enumerate()
        .map(|(row_index, (row, local))| {
            let options = row.options();
            let period = row_period(widget, row, range_secs).max(floor);
            let source = match row {
                MetricRow::Metric { metric, options } => QuerySource::Metric {
                    metric: metric.clone(),
                    stat: options.stat.clone().unwrap_or_else(|| widget.stat.clone()),
                    period_secs: period,
                },
                MetricRow::Expression { expression, .. } => QuerySource::Expression {
                    expression: rewrite_expression(expression, &renames, &metric_ids),
                    period_secs: Some(period),
                },
            };
            PlannedQuery {
                widget: index,
                row: row_index,
                query: MetricQuery {
                    id: renames[local.as_str()].clone(),
                    source,
                    label: options.label.clone(),
                    return_data: options.visible,
                },
                region: options.region.clone().or_else(|| widget.region.clone()),
                account_id: options.account_id.clone(),
                live_data: widget.live_data,
            }
        })
        .collect()
}

/// Renames the widget's ids in `expression` (outside quoted strings) and
/// expands `METRICS()` / `METRICS('prefix')` into explicit id lists.
pub fn rewrite_expression(
    expression: &str,
    renames: &HashMap<&str, String>,
    metric_ids: &[&str],
) -> String {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(expression.len() + 16);
    let mut rest = expression;
    while let Some(c) = rest.chars().next() {
        if c == '\'' || c == '"' {
            let len = rest[1..].find(c).map_or(rest.len(), |end| end + 2);
            out.push_str(&rest[..len]);
            rest = &rest[len..];
        } else if is_word(c) {
            let len = rest.find(|ch: char| !is_word(ch)).unwrap_or(rest.len());
            let (word, tail) = rest.split_at(len);
            if word == "METRICS"
                && let Some((prefix, after)) = metrics_call(tail)
            {
                let picked: Vec<&str> = metric_ids
                    .iter()
                    .filter(|id| id.starts_with(prefix))
                    .map(|id| renames.get(id).map_or(*id, String::as_str))
                    .collect();
                out.push('[');
                out.push_str(&picked.join(", "));
                out.push(']');
                rest = after;
                continue;
            }
            let is_call = tail.trim_start().starts_with('(');
            match renames.get(word) {
                Some(new) if !is_call => out.push_str(new),
                _ => out.push_str(word),
            }
            rest = tail;
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// After `METRICS`: `()` or `('prefix')`; returns the prefix and the text
/// after the closing parenthesis.
fn metrics_call(tail: &str) -> Option<(&str, &str)> {
    let inner = tail.trim_start().strip_prefix('(')?;
    let close = inner.find(')')?;
    let arg = inner[..close].trim();
    let prefix = if arg.is_empty() {
        ""
    } else {
        let quote = arg.chars().next()?;
        if (quote != '\'' && quote != '"') || arg.len() < 2 || !arg.ends_with(quote) {
            return None;
        }
        &arg[1..arg.len() - 1]
    };
    Some((prefix, &inner[close + 1..]))
}
