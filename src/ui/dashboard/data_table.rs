//! The `table` view of a metric widget, as the console's data table: a row
//! per line (label first), a column per period (the newest that fit,
//! oldest to newest, unless `showTimeSeriesData` is false) and the summary
//! columns (`table.summaryColumns`, all four by default), which always keep
//! their place at the right.

use std::collections::BTreeSet;

use jiff::Timestamp;
use ratatui::{
    buffer::Buffer,
    layout::Rect,
    style::Modifier,
    text::{Line, Span},
    widgets::{Paragraph, Widget},
};

use super::bars::{fit, fit_middle};
use super::palette::Look;
use super::plot_lines::{PlotLine, PlotLines};
use crate::model::TimeRange;
use crate::model::dashboard::{MetricWidget, Summary};
use crate::report::format::{chart_time, compact_number};

/// Width of a value column (a compact number and a gap).
const VALUE_COLUMN: usize = 8;
/// Ranges longer than this head period columns with their date.
const DATED_SECS: i64 = 86_400;

/// Draws `lines` of `widget` as a table over `range`.
pub fn draw(
    area: Rect,
    buf: &mut Buffer,
    widget: &MetricWidget,
    lines: &PlotLines,
    range: TimeRange,
    look: &Look,
) {
    let styles = &look.styles;
    if lines.lines.is_empty() || area.height == 0 {
        Paragraph::new("no data")
            .style(styles.dim)
            .render(area, buf);
        return;
    }
    let width = usize::from(area.width);
    let summaries = &widget.table.summary_columns;
    let label_width = lines
        .lines
        .iter()
        .map(|l| unicode_width::UnicodeWidthStr::width(l.label.as_str()))
        .max()
        .unwrap_or(0)
        .clamp(5, (width / 3).max(5));
    let room = width.saturating_sub(label_width + 1 + summaries.len() * VALUE_COLUMN);
    let periods: Vec<Timestamp> = if widget.table.show_time_series_data {
        let all: BTreeSet<Timestamp> = lines
            .lines
            .iter()
            .flat_map(|l| l.points.iter().map(|(t, _)| *t))
            .collect();
        let fit_count = room / VALUE_COLUMN;
        let skip = all.len().saturating_sub(fit_count);
        all.into_iter().skip(skip).collect()
    } else {
        Vec::new()
    };
    let dated = range.end.duration_since(range.start).as_secs() > DATED_SECS;
    let cell = |text: &str| {
        format!(
            "{:>w$}",
            fit(text, VALUE_COLUMN - 1).trim_end(),
            w = VALUE_COLUMN
        )
    };
    let mut header = vec![Span::raw(fit("", label_width + 1))];
    header.extend(
        periods
            .iter()
            .map(|t| Span::raw(cell(&chart_time(*t, dated)))),
    );
    header.extend(summaries.iter().map(|s| Span::raw(cell(s.name()))));
    let mut rows = vec![Line::from(header).style(styles.dim.add_modifier(Modifier::BOLD))];
    let room_for_lines = usize::from(area.height).saturating_sub(1);
    let shown = if lines.lines.len() > room_for_lines {
        room_for_lines.saturating_sub(1)
    } else {
        lines.lines.len()
    };
    for (i, line) in lines.lines.iter().take(shown).enumerate() {
        let mut spans = vec![
            Span::styled(
                fit_middle(&line.label, label_width),
                look.line(i, line.color.as_deref()),
            ),
            Span::raw(" "),
        ];
        spans.extend(periods.iter().map(|t| {
            let value = line.points.iter().find(|(at, _)| at == t).map(|(_, v)| *v);
            Span::styled(
                cell(&value.map_or_else(|| "-".into(), compact_number)),
                styles.text,
            )
        }));
        spans.extend(summaries.iter().map(|s| {
            Span::styled(
                cell(&summary(line, *s).map_or_else(|| "-".into(), compact_number)),
                styles.text,
            )
        }));
        rows.push(Line::from(spans));
    }
    if shown < lines.lines.len() {
        rows.push(Line::styled(
            format!("+{} more", lines.lines.len() - shown),
            styles.dim,
        ));
    }
    Paragraph::new(rows).render(area, buf);
}

/// Summary `s` of the finite points of `line`.
fn summary(line: &PlotLine, s: Summary) -> Option<f64> {
    let values = line
        .points
        .iter()
        .map(|(_, v)| *v)
        .filter(|v| v.is_finite());
    let (count, sum, min, max) = values.fold(
        (0usize, 0.0, f64::INFINITY, f64::NEG_INFINITY),
        |(n, sum, lo, hi), v| (n + 1, sum + v, lo.min(v), hi.max(v)),
    );
    (count > 0).then(|| match s {
        Summary::Min => min,
        Summary::Max => max,
        Summary::Sum => sum,
        Summary::Avg => sum / count as f64,
    })
}
