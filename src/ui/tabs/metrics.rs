//! The Metrics tab: a level of the browser (namespaces, a namespace's
//! metric names, a metric's dimension sets) as a list under a title that
//! says where it is, or the chosen metric as a line chart under a title
//! with its statistic, period, range and last value. Only the rows on
//! screen are drawn; the labels were sanitised when the rows were built.

use ratatui::{
    Frame,
    layout::{Constraint, Layout, Rect},
    style::Style,
    symbols::Marker,
    text::{Line, Span},
    widgets::{
        Axis, Block, Borders, Cell, Chart, Dataset, GraphType, Paragraph, Row, Table, TableState,
    },
};

use crate::app::App;
use crate::app::tabs::metrics::{ChartView, Level, MetricsTab, SPANS};
use crate::model::metric_browse::period_label;
use crate::model::{Series, TimeRange};
use crate::report::format::{chart_time, compact_number};
use crate::sanitize::sanitize_line;
use crate::ui::chart::{time_axis, with_margin};
use crate::ui::component::Drawable;
use crate::ui::style::Styles;

impl Drawable for MetricsTab {
    /// Draws the level's list or the chart; returns how many list rows fit.
    fn draw(&self, frame: &mut Frame, area: Rect, _app: &App, styles: &Styles) -> usize {
        match self.chart() {
            Some(chart) => {
                draw_chart(frame, area, chart, styles);
                0
            }
            None => draw_list(frame, area, self, styles),
        }
    }
}

/// `Metrics › AWS/Lambda › Errors 3/7` and the filter.
fn list_title<'a>(tab: &MetricsTab, shown: usize, styles: &Styles) -> Line<'a> {
    let (total, truncated) = tab.total();
    let place = match tab.level() {
        Level::Namespaces => format!(" Metrics: {total} in all"),
        Level::Names { namespace } => format!(" Metrics › {}", sanitize_line(namespace)),
        Level::Dimensions { namespace, name } => format!(
            " Metrics › {} › {}",
            sanitize_line(namespace),
            sanitize_line(name)
        ),
    };
    let mut spans = vec![Span::styled(
        format!("{place} · {shown}/{} ", tab.level_rows()),
        styles.accent,
    )];
    if truncated {
        spans.push(Span::styled(
            format!("(the first {total} only) "),
            styles.error,
        ));
    }
    if !tab.filter_text().is_empty() {
        spans.push(Span::styled(
            format!("filter: {} ", sanitize_line(tab.filter_text())),
            styles.text,
        ));
    }
    Line::from(spans)
}

fn draw_list(frame: &mut Frame, area: Rect, tab: &MetricsTab, styles: &Styles) -> usize {
    let shown = tab.visible().len();
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(styles.border)
        .title(list_title(tab, shown, styles));
    let message = if !tab.listed() {
        Some(("  listing the account's metrics…".to_string(), styles.dim))
    } else if let Some(e) = tab.list_error() {
        Some((format!("  cannot list metrics: {e}"), styles.error))
    } else if tab.total().0 == 0 {
        Some(("  this account has no metrics".to_string(), styles.dim))
    } else if shown == 0 {
        Some((
            format!(
                "  nothing here matches '{}' (Esc clears the filter)",
                sanitize_line(tab.filter_text())
            ),
            styles.dim,
        ))
    } else {
        None
    };
    if let Some((text, style)) = message {
        frame.render_widget(Paragraph::new(text).style(style).block(block), area);
        return 0;
    }
    let (header, count_header) = match tab.level() {
        Level::Namespaces => ("NAMESPACE", "METRICS"),
        Level::Names { .. } => ("METRIC", "SERIES"),
        Level::Dimensions { .. } => ("DIMENSIONS", ""),
    };
    let counted = !matches!(tab.level(), Level::Dimensions { .. });
    let height = usize::from(area.height.saturating_sub(2));
    let first = tab
        .selected_index()
        .saturating_sub(height.saturating_sub(1));
    let rows = tab.visible().skip(first).take(height).map(|r| {
        let count = if counted {
            r.count.to_string()
        } else {
            String::new()
        };
        Row::new(vec![Cell::from(r.label.clone()), Cell::from(count)])
    });
    let table = Table::new(rows, [Constraint::Fill(1), Constraint::Length(8)])
        .header(Row::new([header, count_header]).style(styles.accent))
        .row_highlight_style(styles.selected)
        .block(block)
        .column_spacing(1);
    let mut state = TableState::default().with_selected(Some(tab.selected_index() - first));
    frame.render_stateful_widget(table, area, &mut state);
    height
}

/// `Average per 1m · 3h · latest 12.5 at 14:40` (the metric's name
/// goes on the line under it, where a long one has the whole width).
fn chart_title<'a>(chart: &ChartView, styles: &Styles) -> Line<'a> {
    let charted = &chart.charted;
    let mut spans = vec![Span::styled(
        format!(
            " {} per {} · {} ",
            sanitize_line(&charted.stat),
            period_label(charted.period_secs),
            humantime::format_duration(SPANS[chart.span])
        ),
        styles.text,
    )];
    if let Some((t, v)) = chart.data.as_ref().and_then(|(_, s)| s.points.last()) {
        spans.push(Span::styled(
            format!(
                "· latest {} at {} ",
                compact_number(*v),
                chart_time(*t, false)
            ),
            styles.dim,
        ));
    }
    Line::from(spans)
}

fn draw_chart(frame: &mut Frame, area: Rect, chart: &ChartView, styles: &Styles) {
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(styles.border)
        .title(chart_title(chart, styles));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let notes: Vec<Line> = [
        chart
            .data
            .as_ref()
            .and_then(|(_, s)| s.message.as_ref())
            .map(|m| Line::styled(format!(" note: {}", sanitize_line(m)), styles.error)),
        chart
            .notice
            .as_ref()
            .map(|n| Line::styled(format!(" {n}"), styles.dim)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let [label_area, body, notes_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(u16::try_from(notes.len()).unwrap_or(0)),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new(Line::styled(format!(" {}", chart.label), styles.accent)),
        label_area,
    );
    frame.render_widget(Paragraph::new(notes), notes_area);
    let message = if let Some(e) = &chart.error {
        Some((format!(" cannot read the metric: {e}"), styles.error))
    } else if chart.loading() {
        Some((" reading datapoints…".to_string(), styles.dim))
    } else {
        None
    };
    if let Some((text, style)) = message {
        frame.render_widget(Paragraph::new(text).style(style), body);
        return;
    }
    if let Some((range, series)) = &chart.data {
        draw_line(frame, body, series, *range, styles);
    }
}

/// The series as a line over `range`, its lowest and highest values on
/// the vertical axis.
fn draw_line(frame: &mut Frame, area: Rect, series: &Series, range: TimeRange, styles: &Styles) {
    if series.points.is_empty() {
        let text = Paragraph::new(" no datapoints in this range").style(styles.dim);
        frame.render_widget(text, area);
        return;
    }
    let line: Vec<(f64, f64)> = series
        .points
        .iter()
        .map(|(t, v)| (t.duration_since(range.start).as_secs_f64(), *v))
        .collect();
    let (low, high) = bounds(&line);
    let x_axis = time_axis(range, styles);
    let y_axis = Axis::default()
        .style(styles.dim)
        .bounds([low, high])
        .labels([
            Span::raw(compact_number(low)),
            Span::raw(compact_number((low + high) / 2.0)),
            Span::raw(compact_number(high)),
        ]);
    let dataset = Dataset::default()
        .marker(Marker::Braille)
        .graph_type(GraphType::Line)
        .style(styles.accent)
        .data(&line);
    let chart = Chart::new(vec![dataset])
        .style(Style::default())
        .x_axis(x_axis)
        .y_axis(y_axis)
        .hidden_legend_constraints((Constraint::Length(0), Constraint::Length(0)));
    frame.render_widget(chart, area);
}

/// The vertical range: every finite value, with a margin so none sits on
/// the frame (never below zero when no value is).
fn bounds(points: &[(f64, f64)]) -> (f64, f64) {
    let (low, high) = points
        .iter()
        .map(|(_, v)| *v)
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !low.is_finite() {
        return (0.0, 1.0);
    }
    with_margin(low, high)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_hold_every_value_with_a_margin() {
        let (lo, hi) = bounds(&[(0.0, 10.0), (1.0, 20.0)]);
        assert!((0.0..10.0).contains(&lo) && hi > 20.0);
        let (lo, hi) = bounds(&[(0.0, -4.0), (1.0, f64::NAN)]);
        assert!(lo < -4.0 && hi > -4.0);
        assert_eq!(bounds(&[]), (0.0, 1.0));
    }
}
