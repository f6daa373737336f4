//! The rows of a metric widget's `metrics` array:
//! `[Namespace, MetricName, (DimName, DimValue)*, {options}?]` with the
//! console's shorthand, or `[{"expression": ...}]`.
//!
//! Shorthand, resolved against the previous *metric* row (expression rows
//! are skipped) after that row's own shorthand was resolved:
//! - `"."` at position i takes the previous row's value at position i;
//! - `"..."` (first only) stands for the previous row's leading values, as
//!   many as make the row as long as the previous one: `["...", "b"]` after
//!   `[ns, m, "D", "a"]` is `[ns, m, "D", "b"]`, and `["...", {opts}]`
//!   repeats the whole previous row with new options. What follows `"..."`
//!   may itself hold `"."`.
//! - a row may be shorter (dropping dimensions) or longer (adding them)
//!   than the previous one.

use serde_json::{Map, Value};

use super::error::{RowProblem, WidgetProblem, json_type};
use super::props::Props;
use crate::model::{Dimension, MetricRef};

/// Which vertical axis a line is drawn against.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum AxisSide {
    /// The left axis (the default).
    #[default]
    Left,
    /// The right axis.
    Right,
}

/// The per-row options object (the optional last element of a row).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowOptions {
    /// Legend label.
    pub label: Option<String>,
    /// Line colour as written (`#d62728`).
    pub color: Option<String>,
    /// Statistic overriding the widget's.
    pub stat: Option<String>,
    /// Period overriding the widget's, in seconds.
    pub period_secs: Option<u32>,
    /// Axis of the line.
    pub y_axis: AxisSide,
    /// False for rows that only feed expressions.
    pub visible: bool,
    /// Query id (`m1`, `errors`), as written.
    pub id: Option<String>,
    /// Region overriding the widget's.
    pub region: Option<String>,
    /// Account of a cross-account metric.
    pub account_id: Option<String>,
}

/// One row of a metric widget.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricRow {
    /// A stored metric with its options.
    Metric {
        /// Namespace, name and dimensions after shorthand.
        metric: MetricRef,
        /// The row's options.
        options: RowOptions,
    },
    /// Metric math or `SEARCH(...)`.
    Expression {
        /// The expression as written.
        expression: String,
        /// The row's options (`stat` does not apply).
        options: RowOptions,
    },
}

impl MetricRow {
    /// The row's options.
    pub fn options(&self) -> &RowOptions {
        match self {
            MetricRow::Metric { options, .. } | MetricRow::Expression { options, .. } => options,
        }
    }
}

/// Parses every row of `metrics`, resolving shorthand; the first bad row
/// makes the widget bad (later rows may depend on it).
pub fn parse_rows(rows: &[Value]) -> Result<Vec<MetricRow>, WidgetProblem> {
    let mut previous: Option<Vec<String>> = None;
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let parsed = parse_row(row, previous.as_deref()).map_err(|problem| WidgetProblem::Row {
            row: i + 1,
            problem,
        })?;
        let (values, row) = parsed;
        if let Some(values) = values {
            previous = Some(values);
        }
        out.push(row);
    }
    check_ids(&out)?;
    Ok(out)
}

/// Whether `id` is one GetMetricData accepts.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn check_ids(rows: &[MetricRow]) -> Result<(), WidgetProblem> {
    let mut seen = std::collections::HashSet::new();
    for (i, row) in rows.iter().enumerate() {
        if let Some(id) = &row.options().id {
            let problem = if !is_valid_id(id) {
                RowProblem::BadId { id: id.clone() }
            } else if !seen.insert(id.as_str()) {
                RowProblem::DuplicateId { id: id.clone() }
            } else {
                continue;
            };
            return Err(WidgetProblem::Row {
                row: i + 1,
                problem,
            });
        }
    }
    Ok(())
}

/// The resolved values (for metric rows, to be the next row's "previous")
/// and the row.
type ParsedRow = (Option<Vec<String>>, MetricRow);

fn parse_row(row: &Value, previous: Option<&[String]>) -> Result<ParsedRow, RowProblem> {
    let items = match row {
        Value::Array(items) => items,
        other => {
            return Err(RowProblem::NotArray {
                found: json_type(other),
            });
        }
    };
    let (options_obj, values) = match items.split_last() {
        Some((Value::Object(o), rest)) => (Some(o), rest),
        _ => (None, items.as_slice()),
    };
    let options = match options_obj {
        Some(o) => parse_options(o).map_err(|p| RowProblem::Option(Box::new(p)))?,
        None => RowOptions {
            visible: true,
            ..RowOptions::default()
        },
    };
    let expression = match options_obj {
        Some(o) => Props::new(o, "")
            .string("expression")
            .map_err(|p| RowProblem::Option(Box::new(p)))?,
        None => None,
    };
    if let Some(expression) = expression {
        if !values.is_empty() {
            return Err(RowProblem::MetricAndExpression);
        }
        return Ok((
            None,
            MetricRow::Expression {
                expression,
                options,
            },
        ));
    }
    if values.is_empty() {
        return Err(RowProblem::Empty);
    }
    let written = values
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            Value::String(s) => Ok(s.as_str()),
            other => Err(RowProblem::NotString {
                position: i + 1,
                found: json_type(other),
            }),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let resolved = resolve_shorthand(&written, previous)?;
    let metric = to_metric(&resolved)?;
    Ok((Some(resolved), MetricRow::Metric { metric, options }))
}

/// Expands `"..."` and `"."` against the previous row's values.
pub fn resolve_shorthand(
    written: &[&str],
    previous: Option<&[String]>,
) -> Result<Vec<String>, RowProblem> {
    if let Some(position) = written.iter().skip(1).position(|v| *v == "...") {
        return Err(RowProblem::EllipsisNotFirst {
            position: position + 2,
        });
    }
    let mut slots: Vec<Option<&str>> = Vec::with_capacity(written.len());
    if written.first() == Some(&"...") {
        let prev = previous.ok_or(RowProblem::NothingToRepeat { shorthand: "..." })?;
        let tail = &written[1..];
        if tail.len() > prev.len() {
            return Err(RowProblem::EllipsisTooLong {
                given: tail.len(),
                previous: prev.len(),
            });
        }
        slots.extend(
            prev[..prev.len() - tail.len()]
                .iter()
                .map(|s| Some(s.as_str())),
        );
        slots.extend(tail.iter().map(|v| (*v != ".").then_some(*v)));
    } else {
        slots.extend(written.iter().map(|v| (*v != ".").then_some(*v)));
    }
    slots
        .iter()
        .enumerate()
        .map(|(i, slot)| match slot {
            Some(v) => Ok((*v).to_string()),
            None => {
                let prev = previous.ok_or(RowProblem::NothingToRepeat { shorthand: "." })?;
                prev.get(i).cloned().ok_or(RowProblem::DotPastPrevious {
                    position: i + 1,
                    previous: prev.len(),
                })
            }
        })
        .collect()
}

fn to_metric(values: &[String]) -> Result<MetricRef, RowProblem> {
    let [namespace, name, dims @ ..] = values else {
        return Err(RowProblem::TooShort {
            found: values.len(),
        });
    };
    let mut dimensions = Vec::with_capacity(dims.len() / 2);
    for pair in dims.chunks(2) {
        match pair {
            [k, v] => dimensions.push(Dimension::new(k.clone(), v.clone())),
            [k] => return Err(RowProblem::DimensionWithoutValue { name: k.clone() }),
            _ => unreachable!("chunks(2) yields one or two items"),
        }
    }
    Ok(MetricRef::new(namespace.clone(), name.clone(), dimensions))
}

fn parse_options(o: &Map<String, Value>) -> Result<RowOptions, WidgetProblem> {
    let p = Props::new(o, "");
    Ok(RowOptions {
        label: p.string("label")?,
        color: p.string("color")?,
        stat: p.string("stat")?.filter(|s| !s.is_empty()),
        period_secs: p.period("period")?,
        y_axis: p
            .choice(
                "yAxis",
                &[("left", AxisSide::Left), ("right", AxisSide::Right)],
            )?
            .unwrap_or_default(),
        visible: p.bool("visible")?.unwrap_or(true),
        id: p.string("id")?,
        region: p.string("region")?,
        account_id: p.string("accountId")?,
    })
}
