//! The Overview tab: a wall of one-line sparklines, one per alarm metric
//! (state colour, last value, threshold; a breaching last value is marked),
//! then the pinned metrics. Redrawn whenever a new Overview event arrives.

use ratatui::{
    Frame,
    layout::{Constraint, Layout, Rect},
    text::{Line, Span},
    widgets::{Block, Borders, Paragraph, Sparkline},
};

use super::alarms_tab::strip_prefix;
use super::format::compact_number;
use super::style::Styles;
use crate::app::App;
use crate::model::{Alarm, AlarmState, Series};
use crate::term::sanitize_line;

/// Columns right of the sparkline: last value and threshold.
const VALUE_WIDTH: u16 = 9;

/// Draws the wall; returns how many rows fit (for paging).
pub fn draw(frame: &mut Frame, area: Rect, app: &App, styles: &Styles) -> usize {
    let rows = app.overview_rows();
    let alarm_rows = rows
        .iter()
        .filter(|s| app.alarms.find(&s.id).is_some())
        .count();
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(styles.border)
        .title(Line::from(vec![
            Span::styled(" Overview ", styles.accent),
            Span::styled(
                format!(
                    "{alarm_rows} alarm metrics · {} pinned ",
                    rows.len() - alarm_rows
                ),
                styles.dim,
            ),
        ]));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if rows.is_empty() {
        frame.render_widget(
            Paragraph::new("  waiting for the first metric values…").style(styles.dim),
            inner,
        );
        return 0;
    }
    let prefix = format!("{}-", app.env.prefix);
    let names: Vec<&str> = rows
        .iter()
        .map(|s| match app.alarms.find(&s.id) {
            Some(a) => strip_prefix(&a.name, &prefix),
            None => &s.label,
        })
        .collect();
    let longest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0) as u16;
    let name_width = (longest + 2).min(inner.width / 3).clamp(8, 40);
    let [head, list] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    draw_row_cells(
        frame,
        head,
        name_width,
        [
            Span::styled("  NAME", styles.accent),
            Span::styled("LAST", styles.accent),
            Span::styled("THRESHOLD", styles.accent),
        ],
        None,
    );
    let height = list.height as usize;
    let first = app
        .overview_selected
        .saturating_sub(height.saturating_sub(1));
    for (i, series) in rows.iter().enumerate().skip(first).take(height) {
        let area = Rect {
            y: list.y + (i - first) as u16,
            height: 1,
            ..list
        };
        draw_row(
            frame,
            area,
            name_width,
            (series, names[i]),
            app.alarms.find(&series.id),
            i == app.overview_selected,
            styles,
        );
    }
    height
}

fn draw_row(
    frame: &mut Frame,
    area: Rect,
    name_width: u16,
    (series, name): (&Series, &str),
    alarm: Option<&Alarm>,
    selected: bool,
    styles: &Styles,
) {
    let (marker, line_style) = match alarm.map(|a| a.state) {
        Some(AlarmState::Alarm) => ("▲ ", styles.state(AlarmState::Alarm)),
        Some(AlarmState::InsufficientData) => ("? ", styles.state(AlarmState::InsufficientData)),
        Some(AlarmState::Ok) => ("● ", styles.state(AlarmState::Ok)),
        None => ("◆ ", styles.text),
    };
    let name_style = if selected {
        styles.selected
    } else {
        styles.text
    };
    let spec = alarm.and_then(|a| a.metric_spec());
    let last = series.last_value();
    let breaching =
        matches!((spec, last), (Some(s), Some(v)) if s.comparison.breaches(v, s.threshold));
    let last_span = match last {
        Some(v) if breaching => Span::styled(format!("{}!", compact_number(v)), styles.error),
        Some(v) => Span::styled(compact_number(v), styles.text),
        None => Span::styled("no data", styles.dim),
    };
    let threshold = spec.map_or("—".to_string(), |s| s.condition());
    let cells = [
        Span::styled(format!("{marker}{}", sanitize_line(name)), name_style),
        last_span,
        Span::styled(threshold, styles.dim),
    ];
    draw_row_cells(frame, area, name_width, cells, Some((series, line_style)));
}

/// Lays one row out as name | sparkline | last | threshold.
fn draw_row_cells(
    frame: &mut Frame,
    area: Rect,
    name_width: u16,
    [name, last, threshold]: [Span; 3],
    spark: Option<(&Series, ratatui::style::Style)>,
) {
    let [name_area, spark_area, last_area, threshold_area] = Layout::horizontal([
        Constraint::Length(name_width),
        Constraint::Fill(1),
        Constraint::Length(VALUE_WIDTH),
        Constraint::Length(VALUE_WIDTH),
    ])
    .spacing(1)
    .areas(area);
    frame.render_widget(Paragraph::new(name), name_area);
    frame.render_widget(Paragraph::new(last).right_aligned(), last_area);
    frame.render_widget(Paragraph::new(threshold), threshold_area);
    if let Some((series, style)) = spark {
        let data = scaled(series, spark_area.width as usize);
        frame.render_widget(
            Sparkline::default().data(&data).max(8).style(style),
            spark_area,
        );
    }
}

/// The newest `width` values scaled to 1..=8 between their own minimum and
/// maximum, so the shape shows whatever the baseline (a flat series sits
/// in the middle). Padded on the left with gaps so every row's newest
/// value sits at the right edge.
fn scaled(series: &Series, width: usize) -> Vec<Option<u64>> {
    let values: Vec<f64> = series
        .points
        .iter()
        .rev()
        .take(width)
        .rev()
        .map(|(_, v)| *v)
        .filter(|v| v.is_finite())
        .collect();
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    let bars = values.iter().map(|v| {
        Some(if hi > lo {
            1 + ((v - lo) / (hi - lo) * 7.0).round() as u64
        } else {
            4
        })
    });
    std::iter::repeat_n(None, width.saturating_sub(values.len()))
        .chain(bars)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_values_keep_the_newest_and_scale() {
        let t: jiff::Timestamp = "2026-01-16T03:00:00Z".parse().unwrap();
        let series = Series {
            id: "a".into(),
            label: "a".into(),
            points: (0..10).map(|i| (t, f64::from(i) * 10.0 + 100.0)).collect(),
            message: None,
        };
        let data = scaled(&series, 4);
        assert_eq!(data.len(), 4);
        assert_eq!(data.first(), Some(&Some(1)));
        assert_eq!(data.last(), Some(&Some(8)));
        let flat = Series {
            points: vec![(t, 5.0); 3],
            ..series
        };
        assert_eq!(
            scaled(&flat, 5),
            vec![None, None, Some(4), Some(4), Some(4)]
        );
    }
}
