//! A metric widget's `timeSeries` view: a line chart with the left axis on
//! the chart and the right axis' lines scaled onto it (their bounds printed
//! at the right edge), horizontal annotations as threshold lines (bands as
//! two), vertical annotations as vertical lines, stacking, and a legend
//! under or beside the chart.

use std::collections::BTreeMap;

use unicode_width::UnicodeWidthStr;

use ratatui::{
    buffer::Buffer,
    layout::{Constraint, Layout, Rect},
    style::Style,
    symbols::Marker,
    text::{Line, Span},
    widgets::{Axis, Chart, Dataset, GraphType, Paragraph, Widget},
};

use super::bars::fit_middle;
use super::palette::Look;
use super::plot_lines::{PlotLine, PlotLines};
use crate::model::TimeRange;
use crate::model::dashboard::{AxisSettings, AxisSide, LegendPosition, MetricWidget};
use crate::report::format::{chart_time, compact_number};
use crate::sanitize::sanitize_line;

/// Ranges longer than this label the time axis with dates.
const DATED_AXIS_SECS: i64 = 86_400;

/// Draws the chart of `widget` with `lines` over `range`.
pub fn draw(
    area: Rect,
    buf: &mut Buffer,
    widget: &MetricWidget,
    lines: &PlotLines,
    range: TimeRange,
    look: &Look,
) {
    let styles = &look.styles;
    let items = legend_items(&lines.lines, look);
    let side = widget.legend == LegendPosition::Right && area.width >= 60;
    let legend = if side {
        Vec::new()
    } else {
        pack_legend(&items, usize::from(area.width), 2, false)
    };
    let legend_rows = match widget.legend {
        LegendPosition::Hidden => 0,
        _ if area.height < 5 => 0,
        _ if side => u16::from(!items.is_empty()),
        _ => u16::try_from(legend.len()).unwrap_or(2).min(2),
    };
    let message_rows = u16::from(!lines.messages.is_empty() && area.height >= 4);
    let [chart_area, legend_area, message_area] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(legend_rows),
        Constraint::Length(message_rows),
    ])
    .areas(area);
    let (chart_area, side_legend) = if side && legend_rows > 0 {
        let [c, s] = Layout::horizontal([Constraint::Fill(1), Constraint::Percentage(30)])
            .areas(chart_area.union(legend_area));
        (c, Some(s))
    } else {
        (chart_area, None)
    };
    if let Some(side_area) = side_legend {
        let legend = pack_legend(
            &items,
            usize::from(side_area.width),
            usize::from(side_area.height),
            true,
        );
        Paragraph::new(legend).render(side_area, buf);
    } else if legend_rows > 0 {
        Paragraph::new(legend).render(legend_area, buf);
    }
    if message_rows > 0 {
        Paragraph::new(lines.messages.join("; "))
            .style(styles.error)
            .render(message_area, buf);
    }
    if lines.is_empty() {
        Paragraph::new("no data")
            .style(styles.dim)
            .render(chart_area, buf);
        return;
    }
    draw_chart(chart_area, buf, widget, lines, range, look);
}

/// One legend entry per line: a coloured glyph and the label.
fn legend_items(lines: &[PlotLine], look: &Look) -> Vec<Vec<Span<'static>>> {
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            vec![
                Span::styled(
                    format!("{} ", Look::glyph(i)),
                    look.line(i, line.color.as_deref()),
                ),
                Span::styled(line.label.clone(), look.styles.text),
            ]
        })
        .collect()
}

/// Narrowest legend entry kept beside a `+N` marker (glyph and 4 columns
/// of label); a narrower one makes way for the marker.
const MIN_CUT_ENTRY: usize = 6;

/// Legend entries packed into rows of `width` columns (one a row when
/// `one_per_row`, as a legend on the right), an entry never split (a label
/// too long for a row is cut in the middle), at most `max_rows` rows; when
/// some do not fit the last row ends with `+N`, entries dropped from it
/// until the marker fits.
fn pack_legend(
    items: &[Vec<Span<'static>>],
    width: usize,
    max_rows: usize,
    one_per_row: bool,
) -> Vec<Line<'static>> {
    if max_rows == 0 || items.is_empty() {
        return Vec::new();
    }
    if width < MIN_CUT_ENTRY {
        let marker = format!("+{}", items.len());
        return if marker.width() <= width {
            vec![Line::from(marker)]
        } else {
            Vec::new()
        };
    }
    let mut items: Vec<Vec<Span<'static>>> = items.iter().map(|i| cut_item(i, width)).collect();
    let item_width = |i: &[Span]| i.iter().map(Span::width).sum::<usize>();
    let row_width = |items: &[Vec<Span>], row: &[usize]| {
        row.iter().map(|&i| item_width(&items[i])).sum::<usize>() + 2 * row.len().saturating_sub(1)
    };
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut used = 0;
    for (n, item) in items.iter().enumerate() {
        let w = item_width(item);
        match rows.last_mut() {
            Some(row) if !one_per_row && used + 2 + w <= width => {
                row.push(n);
                used += 2 + w;
            }
            _ => {
                rows.push(vec![n]);
                used = w;
            }
        }
    }
    let mut marker = None;
    if rows.len() > max_rows {
        rows.truncate(max_rows);
        let mut hidden = items.len() - rows.iter().map(Vec::len).sum::<usize>();
        let last = rows.last_mut().expect("max_rows is not zero");
        let text = |row: &[usize], hidden: usize| {
            if row.is_empty() {
                format!("+{hidden}")
            } else {
                format!("  +{hidden}")
            }
        };
        while !last.is_empty() && row_width(&items, last) + text(last, hidden).width() > width {
            let room = width.saturating_sub(text(last, hidden).width());
            if let [only] = last.as_slice()
                && room >= MIN_CUT_ENTRY
            {
                items[*only] = cut_item(&items[*only], room);
                break;
            }
            last.pop();
            hidden += 1;
        }
        marker = Some(text(last, hidden));
    }
    let count = rows.len();
    rows.into_iter()
        .enumerate()
        .map(|(r, row)| {
            let mut spans: Vec<Span<'static>> = Vec::new();
            for (k, &i) in row.iter().enumerate() {
                if k > 0 {
                    spans.push(Span::raw("  "));
                }
                spans.extend(items[i].iter().cloned());
            }
            if r + 1 == count {
                spans.extend(marker.take().map(Span::raw));
            }
            Line::from(spans)
        })
        .collect()
}

/// A legend entry (glyph, label) cut to `width` columns: the label is cut
/// in the middle, so labels differing at the end stay apart.
fn cut_item(item: &[Span<'static>], width: usize) -> Vec<Span<'static>> {
    let total: usize = item.iter().map(Span::width).sum();
    let Some((label, head)) = item.split_last() else {
        return Vec::new();
    };
    if total <= width {
        return item.to_vec();
    }
    let room = width.saturating_sub(head.iter().map(Span::width).sum());
    let mut out = head.to_vec();
    out.push(Span::styled(
        fit_middle(&label.content, room).trim_end().to_string(),
        label.style,
    ));
    out
}

/// Lines in chart coordinates: seconds since the range start, value.
type Points = Vec<(f64, f64)>;

fn draw_chart(
    area: Rect,
    buf: &mut Buffer,
    widget: &MetricWidget,
    lines: &PlotLines,
    range: TimeRange,
    look: &Look,
) {
    let styles = &look.styles;
    let span_secs = range.end.duration_since(range.start).as_secs().max(1) as f64;
    let mut per_line: Vec<Points> = stacked_or_plain(&lines.lines, widget.stacked)
        .into_iter()
        .map(|pts| {
            pts.into_iter()
                .map(|(t, v)| (t.duration_since(range.start).as_secs_f64(), v))
                .filter(|(x, v)| (0.0..=span_secs).contains(x) && v.is_finite())
                .collect()
        })
        .collect();
    let thresholds: Vec<(f64, AxisSide)> = widget
        .annotations
        .horizontal
        .iter()
        .filter(|a| a.look.visible)
        .flat_map(|a| {
            std::iter::once(a.value)
                .chain(a.to)
                .map(move |v| (v, a.y_axis))
        })
        .collect();
    let values_on = |side: AxisSide| -> Vec<f64> {
        per_line
            .iter()
            .zip(&lines.lines)
            .filter(|(_, l)| l.axis == side)
            .flat_map(|(pts, _)| pts.iter().map(|(_, v)| *v))
            .chain(
                thresholds
                    .iter()
                    .filter(|(_, s)| *s == side)
                    .map(|(v, _)| *v),
            )
            .collect()
    };
    let left = bounds(&values_on(AxisSide::Left), &widget.y_axis.left);
    let has_right = lines.lines.iter().any(|l| l.axis == AxisSide::Right);
    let right = bounds(&values_on(AxisSide::Right), &widget.y_axis.right);
    let to_left = |v: f64| left.0 + (v - right.0) / (right.1 - right.0) * (left.1 - left.0);
    for (pts, line) in per_line.iter_mut().zip(&lines.lines) {
        if line.axis == AxisSide::Right {
            pts.iter_mut().for_each(|p| p.1 = to_left(p.1));
        }
    }
    let threshold_lines: Vec<Points> = thresholds
        .iter()
        .map(|(v, side)| {
            let y = if *side == AxisSide::Right {
                to_left(*v)
            } else {
                *v
            };
            vec![(0.0, y), (span_secs, y)]
        })
        .collect();
    let vertical_lines: Vec<Points> = widget
        .annotations
        .vertical
        .iter()
        .filter(|a| a.look.visible)
        .flat_map(|a| std::iter::once(a.at).chain(a.to))
        .map(|t| t.duration_since(range.start).as_secs_f64())
        .filter(|x| (0.0..=span_secs).contains(x))
        .map(|x| vec![(x, left.0), (x, left.1)])
        .collect();

    let alarm_style = styles.error;
    let mut datasets: Vec<Dataset> = Vec::new();
    for pts in threshold_lines.iter().chain(&vertical_lines) {
        datasets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(alarm_style)
                .data(pts),
        );
    }
    for (i, (pts, line)) in per_line.iter().zip(&lines.lines).enumerate() {
        datasets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(look.line(i, line.color.as_deref()))
                .data(pts),
        );
    }

    let chart_area = if has_right && area.width > 12 {
        let label_width = [right.0, right.1]
            .iter()
            .map(|v| compact_number(*v).len())
            .max()
            .unwrap_or(1) as u16;
        let [chart, labels] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(label_width + 1)])
                .areas(area);
        draw_right_labels(labels, buf, right, styles.dim);
        chart
    } else {
        area
    };
    let dated = span_secs as i64 > DATED_AXIS_SECS;
    let mid = range
        .start
        .checked_add(jiff::SignedDuration::from_secs_f64(span_secs / 2.0))
        .unwrap_or(range.start);
    let x_axis = Axis::default()
        .style(styles.dim)
        .bounds([0.0, span_secs])
        .labels([
            chart_time(range.start, dated),
            chart_time(mid, dated),
            chart_time(range.end, dated),
        ]);
    let mut y_labels = vec![Span::raw(compact_number(left.0))];
    if area.height >= 6 {
        y_labels.push(Span::raw(compact_number((left.0 + left.1) / 2.0)));
    }
    y_labels.push(Span::raw(compact_number(left.1)));
    let mut y_axis = Axis::default()
        .style(styles.dim)
        .bounds([left.0, left.1])
        .labels(y_labels);
    if let Some(label) = &widget.y_axis.left.label {
        y_axis = y_axis.title(Span::styled(sanitize_line(label), styles.dim));
    }
    Chart::new(datasets)
        .style(Style::default())
        .x_axis(x_axis)
        .y_axis(y_axis)
        .hidden_legend_constraints((Constraint::Length(0), Constraint::Length(0)))
        .render(chart_area, buf);
}

/// The right axis' top and bottom values beside the chart.
fn draw_right_labels(area: Rect, buf: &mut Buffer, (low, high): (f64, f64), style: Style) {
    if area.height < 2 {
        return;
    }
    let top = Rect { height: 1, ..area };
    // The chart's x axis takes the last two rows (line and labels).
    let bottom_row = area.y + area.height.saturating_sub(3);
    let bottom = Rect {
        y: bottom_row.max(area.y + 1),
        height: 1,
        ..area
    };
    Paragraph::new(format!(" {}", compact_number(high)))
        .style(style)
        .render(top, buf);
    Paragraph::new(format!(" {}", compact_number(low)))
        .style(style)
        .render(bottom, buf);
}

/// Each line's points, summed onto the lines before it on the same axis
/// when stacked.
fn stacked_or_plain(lines: &[PlotLine], stacked: bool) -> Vec<Vec<(jiff::Timestamp, f64)>> {
    if !stacked {
        return lines.iter().map(|l| l.points.clone()).collect();
    }
    let mut totals: [BTreeMap<jiff::Timestamp, f64>; 2] = Default::default();
    lines
        .iter()
        .map(|line| {
            let total = &mut totals[usize::from(line.axis == AxisSide::Right)];
            line.points
                .iter()
                .filter(|(_, v)| v.is_finite())
                .map(|(t, v)| {
                    let sum = total.entry(*t).or_insert(0.0);
                    *sum += v;
                    (*t, *sum)
                })
                .collect()
        })
        .collect()
}

/// An axis' range: the configured min/max, else the values with a margin;
/// never empty.
fn bounds(values: &[f64], axis: &AxisSettings) -> (f64, f64) {
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    let margin = ((hi - lo) * 0.1).max(hi.abs() * 0.05).max(1e-9);
    let low = axis.min.unwrap_or(if lo >= 0.0 {
        (lo - margin).max(0.0)
    } else {
        lo - margin
    });
    let high = axis.max.unwrap_or(hi + margin);
    if high > low {
        (low, high)
    } else {
        (low, low + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_respect_fixed_axes_and_never_collapse() {
        let free = AxisSettings::default();
        let (lo, hi) = bounds(&[10.0, 20.0], &free);
        assert!((0.0..=10.0).contains(&lo) && hi > 20.0);
        let fixed = AxisSettings {
            min: Some(0.0),
            max: Some(100.0),
            ..AxisSettings::default()
        };
        assert_eq!(bounds(&[500.0], &fixed), (0.0, 100.0));
        let (lo, hi) = bounds(&[], &free);
        assert!(hi > lo);
        let inverted = AxisSettings {
            min: Some(5.0),
            max: Some(1.0),
            ..AxisSettings::default()
        };
        assert_eq!(bounds(&[], &inverted), (5.0, 6.0));
    }

    #[test]
    fn legend_entries_are_never_split() {
        let item = |t: &str| vec![Span::raw("● "), Span::raw(t.to_string())];
        let items = [
            item("Invocations"),
            item("Errors"),
            item("ConcurrentExecutions"),
            item("x"),
        ];
        let rows: Vec<String> = pack_legend(&items, 28, 2, false)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        assert_eq!(
            rows,
            ["● Invocations  ● Errors", "● ConcurrentExecutions  ● x"]
        );
        let rows = pack_legend(&items, 14, 2, false);
        assert_eq!(rows.len(), 2);
        assert!(rows[1].spans.last().unwrap().content.contains("+2"));
    }

    fn shown(rows: &[Line]) -> Vec<String> {
        rows.iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn a_cut_legend_keeps_its_overflow_marker_whole() {
        let item = |t: &str| vec![Span::raw("● "), Span::raw(t.to_string())];
        let items = [
            item("Invocations"),
            item("Errors"),
            item("Throttles"),
            item("Duration"),
        ];
        // "● Invocations  ● Errors" is 23 columns: the marker does not fit
        // after it, so "Errors" makes way for it.
        let rows = shown(&pack_legend(&items, 24, 1, false));
        assert_eq!(rows, ["● Invocations  +3"]);
        for width in 1..40 {
            for line in shown(&pack_legend(&items, width, 2, false)) {
                assert!(line.width() <= width, "{width}: {line:?}");
            }
        }
        let long = [item(&"FunctionName=".repeat(8)), item("b"), item("c")];
        let rows = shown(&pack_legend(&long, 30, 1, false));
        assert_eq!(rows.len(), 1);
        assert!(
            rows[0].starts_with("● Func") && rows[0].ends_with("  +2") && rows[0].width() <= 30,
            "{rows:?}"
        );
        let side = shown(&pack_legend(&items, 20, 3, true));
        assert_eq!(side, ["● Invocations", "● Errors", "● Throttles  +1"]);
    }

    #[test]
    fn stacking_sums_lines_on_the_same_axis() {
        let t = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
        let line = |v: f64, axis| PlotLine {
            label: String::new(),
            points: vec![(t("2026-01-16T14:00:00Z"), v)],
            axis,
            color: None,
        };
        let stacked = stacked_or_plain(
            &[
                line(1.0, AxisSide::Left),
                line(2.0, AxisSide::Left),
                line(5.0, AxisSide::Right),
            ],
            true,
        );
        let tops: Vec<f64> = stacked.iter().map(|p| p[0].1).collect();
        assert_eq!(tops, [1.0, 3.0, 5.0]);
    }
}
