//! A metric widget's visible rows matched with their series: one plot line
//! per series (a SEARCH row may bring several), labelled the way the
//! console labels them, plus the service's messages about them.

use jiff::Timestamp;

use super::dynamic_label::{self, LabelContext};
use crate::model::dashboard::queries::{batch_id, local_ids};
use crate::model::dashboard::{AxisSide, DashboardData, MetricRow, MetricWidget};
use crate::sanitize::sanitize_line;

/// One line to draw. Its label is the row's `label`, else (for the
/// several series of a SEARCH) the service's, else the metric name and
/// dimension values, as the console shows them; dynamic labels
/// (`${PROP('Dim.FunctionName')}`, `${LAST}`) the service did not
/// evaluate (the demo account) are evaluated here.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotLine {
    /// Legend text (sanitised).
    pub label: String,
    /// Points, oldest first.
    pub points: Vec<(Timestamp, f64)>,
    /// Axis it is drawn against.
    pub axis: AxisSide,
    /// `color` of its row, as written.
    pub color: Option<String>,
}

impl PlotLine {
    /// The newest finite value.
    pub fn latest(&self) -> Option<f64> {
        self.points
            .iter()
            .rev()
            .map(|(_, v)| *v)
            .find(|v| v.is_finite())
    }
}

/// The lines of a widget and the messages the service sent with them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlotLines {
    /// Lines in row order.
    pub lines: Vec<PlotLine>,
    /// Service messages (errors, partial data), sanitised.
    pub messages: Vec<String>,
}

impl PlotLines {
    /// Whether no line has a point.
    pub fn is_empty(&self) -> bool {
        self.lines.iter().all(|l| l.points.is_empty())
    }
}

/// The plot lines of metric widget number `index`.
pub fn plot_lines(index: usize, widget: &MetricWidget, data: &DashboardData) -> PlotLines {
    let mut out = PlotLines::default();
    for (row, local) in widget.rows.iter().zip(local_ids(&widget.rows)) {
        let options = row.options();
        if !options.visible {
            continue;
        }
        let series = data.series_for(&batch_id(index, &local));
        let several = series.len() > 1;
        let default_label = row_label(row);
        let context = |points| LabelContext {
            metric: match row {
                MetricRow::Metric { metric, .. } => Some(metric),
                MetricRow::Expression { .. } => None,
            },
            default_label: &default_label,
            region: options
                .region
                .as_deref()
                .or(widget.region.as_deref())
                .unwrap_or_default(),
            stat: options.stat.as_deref().unwrap_or(&widget.stat),
            period_secs: options.period_secs.unwrap_or(widget.period_secs),
            account_id: options.account_id.as_deref(),
            points,
            now: data.range.end,
        };
        if series.is_empty() {
            let label = options.label.as_deref().unwrap_or(&default_label);
            out.lines.push(PlotLine {
                label: sanitize_line(&dynamic_label::evaluate(label, &context(&[]))),
                points: Vec::new(),
                axis: options.y_axis,
                color: options.color.clone(),
            });
        }
        for s in series {
            let service_label = (!s.label.is_empty() && s.label != s.id).then_some(&s.label);
            let evaluated_by_service = service_label.is_some_and(|l| !l.contains("${"));
            let label = match (several, options.label.as_deref(), service_label) {
                (true, _, Some(l)) => l.as_str(),
                (_, Some(l), Some(service)) if l.contains("${") && evaluated_by_service => {
                    service.as_str()
                }
                (_, Some(l), _) => l,
                _ => default_label.as_str(),
            };
            let label = dynamic_label::evaluate(label, &context(&s.points));
            if let Some(m) = &s.message {
                out.messages.push(sanitize_line(m));
            }
            out.lines.push(PlotLine {
                label: sanitize_line(&label),
                points: s.points.clone(),
                axis: options.y_axis,
                color: options.color.clone(),
            });
        }
    }
    out.messages.dedup();
    out
}

/// The console's label for a row without one: the metric name and its
/// dimension values, or the expression.
pub fn row_label(row: &MetricRow) -> String {
    match row {
        MetricRow::Metric { metric, .. } => {
            let mut label = metric.name.clone();
            for d in &metric.dimensions {
                label.push(' ');
                label.push_str(&d.value);
            }
            label
        }
        MetricRow::Expression { expression, .. } => expression.clone(),
    }
}
