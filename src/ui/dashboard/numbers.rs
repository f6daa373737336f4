//! The metric views that show one number per line: `singleValue` (the
//! latest value, large, with a sparkline when asked), `gauge` (the value
//! against the left axis' min..max), `bar` and `pie` (bars; pie as shares
//! of the total).

use ratatui::{
    buffer::Buffer,
    layout::{Constraint, Layout, Rect},
    style::Modifier,
    text::Line,
    widgets::{Paragraph, Sparkline, Widget},
};

use super::bars::{self, BarItem};
use super::palette::Look;
use super::plot_lines::PlotLines;
use crate::model::dashboard::{MetricView, MetricWidget};
use crate::report::format::compact_number;

/// Narrowest column of a single value.
const MIN_VALUE_COLUMN: u16 = 14;

/// Draws a single-number view of `widget`.
pub fn draw(area: Rect, buf: &mut Buffer, widget: &MetricWidget, lines: &PlotLines, look: &Look) {
    if lines.lines.is_empty() {
        Paragraph::new("no data")
            .style(look.styles.dim)
            .render(area, buf);
        return;
    }
    match widget.view {
        MetricView::Gauge => draw_gauge(area, buf, widget, lines, look),
        MetricView::Bar | MetricView::Pie => draw_bars(area, buf, widget.view, lines, look),
        MetricView::SingleValue | MetricView::TimeSeries | MetricView::Table => {
            draw_single_values(area, buf, widget.sparkline, lines, look);
        }
    }
}

fn value_text(v: Option<f64>) -> String {
    v.map_or_else(|| "no data".to_string(), compact_number)
}

fn draw_single_values(
    area: Rect,
    buf: &mut Buffer,
    sparkline: bool,
    lines: &PlotLines,
    look: &Look,
) {
    let count = lines.lines.len() as u16;
    let per_row = (area.width / MIN_VALUE_COLUMN).clamp(1, count.max(1));
    let rows = count.div_ceil(per_row);
    let row_areas = Layout::vertical(vec![Constraint::Fill(1); usize::from(rows)]).split(area);
    for (r, row_area) in row_areas.iter().enumerate() {
        let start = r * usize::from(per_row);
        let row_lines = &lines.lines[start..(start + usize::from(per_row)).min(lines.lines.len())];
        let cells = Layout::horizontal(vec![Constraint::Fill(1); row_lines.len()]).split(*row_area);
        for (i, (cell, line)) in cells.iter().zip(row_lines).enumerate() {
            let index = start + i;
            let style = look.line(index, line.color.as_deref());
            let spark = sparkline && cell.height >= 4 && !line.points.is_empty();
            let [text_area, spark_area] = if spark {
                Layout::vertical([Constraint::Length(2), Constraint::Fill(1)]).areas(*cell)
            } else {
                [*cell, Rect::default()]
            };
            let pad = usize::from(text_area.height.saturating_sub(2) / 2);
            let mut text = vec![Line::raw(""); pad];
            text.push(Line::styled(
                value_text(line.latest()),
                style.add_modifier(Modifier::BOLD),
            ));
            text.push(Line::styled(line.label.clone(), look.styles.dim));
            Paragraph::new(text).centered().render(text_area, buf);
            if spark {
                let (low, high) = line
                    .points
                    .iter()
                    .fold((f64::MAX, f64::MIN), |(lo, hi), (_, v)| {
                        (lo.min(*v), hi.max(*v))
                    });
                let data: Vec<u64> = line
                    .points
                    .iter()
                    .map(|(_, v)| {
                        let share = if high > low {
                            (v - low) / (high - low)
                        } else {
                            0.5
                        };
                        (share.clamp(0.0, 1.0) * 100.0).round() as u64 + 1
                    })
                    .collect();
                Sparkline::default()
                    .data(&data)
                    .max(101)
                    .style(style)
                    .render(spark_area, buf);
            }
        }
    }
}

fn draw_gauge(area: Rect, buf: &mut Buffer, widget: &MetricWidget, lines: &PlotLines, look: &Look) {
    let latest: Vec<Option<f64>> = lines.lines.iter().map(|l| l.latest()).collect();
    let low = widget.y_axis.left.min.unwrap_or(0.0);
    let high = widget
        .y_axis
        .left
        .max
        .unwrap_or_else(|| latest.iter().flatten().fold(100.0_f64, |m, v| m.max(*v)));
    let items: Vec<BarItem> = lines
        .lines
        .iter()
        .zip(&latest)
        .enumerate()
        .map(|(i, (line, v))| BarItem {
            label: line.label.clone(),
            value: *v,
            value_text: v.map_or_else(
                || "no data".to_string(),
                |v| format!("{} / {}", compact_number(v), compact_number(high)),
            ),
            style: look.line(i, line.color.as_deref()),
        })
        .collect();
    let rows = items.len().min(usize::from(area.height)) as u16;
    let top = area.height.saturating_sub(rows) / 2;
    let inner = Rect {
        y: area.y + top,
        height: area.height - top,
        ..area
    };
    bars::draw(inner, buf, &items, (low, high), look.styles.dim);
}

fn draw_bars(area: Rect, buf: &mut Buffer, view: MetricView, lines: &PlotLines, look: &Look) {
    let latest: Vec<Option<f64>> = lines.lines.iter().map(|l| l.latest()).collect();
    let total: f64 = latest.iter().flatten().filter(|v| **v > 0.0).sum();
    let high = latest.iter().flatten().fold(0.0_f64, |m, v| m.max(*v));
    let items: Vec<BarItem> = lines
        .lines
        .iter()
        .zip(&latest)
        .enumerate()
        .map(|(i, (line, v))| {
            let text = match (view, v) {
                (MetricView::Pie, Some(v)) if total > 0.0 => {
                    format!(
                        "{} ({:.0}%)",
                        compact_number(*v),
                        v.max(0.0) / total * 100.0
                    )
                }
                _ => value_text(*v),
            };
            BarItem {
                label: line.label.clone(),
                value: *v,
                value_text: text,
                style: look.line(i, line.color.as_deref()),
            }
        })
        .collect();
    let scale = if view == MetricView::Pie {
        (0.0, total.max(f64::MIN_POSITIVE))
    } else {
        (0.0, high.max(f64::MIN_POSITIVE))
    };
    bars::draw(area, buf, &items, scale, look.styles.dim);
}
