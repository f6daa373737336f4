//! The Overview tab: a wall of one-line sparklines, one per alarm metric
//! (state colour, last value, threshold; a breaching last value is marked),
//! then the pinned metrics. Redrawn whenever a new Overview event arrives.
//! Above the wall, the Targets panel; `T` swaps the wall for the targets'
//! view (see `ui::targets`).

use jiff::Timestamp;
use ratatui::{
    Frame,
    layout::{Constraint, Layout, Rect},
    text::{Line, Span},
    widgets::{Block, Borders, Paragraph, Sparkline},
};

use crate::app::App;
use crate::app::tabs::overview::OverviewTab;
use crate::data::overview::{OVERVIEW_SPAN, PINNED_PERIOD_SECS};
use crate::model::{Alarm, AlarmState, Comparison, Series};
use crate::report::format::compact_number;
use crate::ui::component::Drawable;
use crate::ui::style::Styles;
use crate::ui::targets;

/// Columns right of the sparkline: last value and threshold.
const VALUE_WIDTH: u16 = 9;

impl Drawable for OverviewTab {
    /// Draws the wall (only the rows on screen); returns how many rows fit
    /// (for paging).
    fn draw(&self, frame: &mut Frame, area: Rect, app: &App, styles: &Styles) -> usize {
        let prefix = app.env.prefix.as_str();
        if let Some(index) = self.targets_view() {
            targets::draw_view(
                frame,
                area,
                (self.slos(), index),
                (prefix, app.now()),
                styles,
            );
            return 0;
        }
        let height = targets::panel_height(self.slos().len()).min(area.height / 2);
        let [panel, area] =
            Layout::vertical([Constraint::Length(height), Constraint::Fill(1)]).areas(area);
        targets::draw_panel(frame, panel, self.slos(), prefix, styles);
        let rows = self.rows();
        let alarm_rows = self.alarm_rows();
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
        let longest = u16::try_from(self.longest_name()).unwrap_or(u16::MAX);
        let name_width = longest.saturating_add(2).min(inner.width / 3).clamp(8, 40);
        let [head, list] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
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
        let selected = self.selected_index();
        let first = selected.saturating_sub(height.saturating_sub(1));
        for (i, row) in rows.iter().enumerate().skip(first).take(height) {
            let area = Rect {
                y: list.y + (i - first) as u16,
                height: 1,
                ..list
            };
            draw_row(
                frame,
                area,
                name_width,
                (self.series(row), self.name(row)),
                self.alarm(row),
                (i == selected, app.now()),
                styles,
            );
        }
        height
    }
}

fn draw_row(
    frame: &mut Frame,
    area: Rect,
    name_width: u16,
    (series, name): (&Series, &str),
    alarm: Option<&Alarm>,
    (selected, end): (bool, Timestamp),
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
    let period_secs = spec.map_or(PINNED_PERIOD_SECS, |s| s.period_secs);
    let last = recent_value(series, period_secs, end);
    // An anomaly band is not fetched here: no `!` rather than a wrong one.
    let breaching = matches!((spec, last), (Some(s), Some(v))
        if s.threshold_metric_id.is_none() && s.comparison.breaches(v, s.threshold));
    let last_span = match last {
        Some(v) if breaching => Span::styled(format!("{}!", compact_number(v)), styles.error),
        Some(v) => Span::styled(compact_number(v), styles.text),
        None => Span::styled("no data", styles.dim),
    };
    let threshold = spec.map_or("—".to_string(), |s| s.condition());
    let cells = [
        Span::styled(format!("{marker}{name}"), name_style),
        last_span,
        Span::styled(threshold, styles.dim),
    ];
    let axis = Axis {
        period_secs,
        end,
        low_is_bad: spec.is_some_and(|s| {
            matches!(
                s.comparison,
                Comparison::LessThanThreshold
                    | Comparison::LessThanOrEqualToThreshold
                    | Comparison::LessThanLowerThreshold
            )
        }),
    };
    draw_row_cells(
        frame,
        area,
        name_width,
        cells,
        Some((series, line_style, axis)),
    );
}

/// The newest value if it belongs to one of the last two periods: an older
/// one (a sparse metric that reports only when something happens) is not
/// "the current value" and must not be flagged as breaching now.
fn recent_value(series: &Series, period_secs: u32, end: Timestamp) -> Option<f64> {
    let window = jiff::SignedDuration::from_secs(2 * i64::from(period_secs));
    series
        .points
        .last()
        .filter(|(t, _)| *t >= end - window)
        .map(|(_, v)| *v)
}

/// How a row's points map onto the shared time axis.
#[derive(Debug, Clone, Copy)]
struct Axis {
    /// The series' period.
    period_secs: u32,
    /// Right edge of the axis (now).
    end: Timestamp,
    /// Whether low values are the breaching side.
    low_is_bad: bool,
}

/// Lays one row out as name | sparkline | last | threshold.
fn draw_row_cells(
    frame: &mut Frame,
    area: Rect,
    name_width: u16,
    [name, last, threshold]: [Span; 3],
    spark: Option<(&Series, ratatui::style::Style, Axis)>,
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
    if let Some((series, style, axis)) = spark {
        let data = bucketed(
            series,
            axis.period_secs,
            axis.end,
            spark_area.width as usize,
            axis.low_is_bad,
        );
        frame.render_widget(
            Sparkline::default().data(&data).max(8).style(style),
            spark_area,
        );
    }
}

/// The series laid on a common time axis: `width` columns covering the
/// [`OVERVIEW_SPAN`] before `end`, so every row's columns line up in time
/// whatever its period. A point fills every column its period overlaps;
/// where several points share a column the one further towards breaching
/// wins (`low_is_bad` for less-than alarms). Columns without data stay gaps.
/// Values are scaled to 1..=8 between the visible minimum and maximum (a
/// flat series sits in the middle).
fn bucketed(
    series: &Series,
    period_secs: u32,
    end: Timestamp,
    width: usize,
    low_is_bad: bool,
) -> Vec<Option<u64>> {
    let span = OVERVIEW_SPAN.as_secs_f64();
    let start = end.as_second() as f64 - span;
    let column = span / width.max(1) as f64;
    let mut columns: Vec<Option<f64>> = vec![None; width];
    for (t, v) in series.points.iter().filter(|(_, v)| v.is_finite()) {
        let from = (t.as_second() as f64 - start) / column;
        let to = from + f64::from(period_secs.max(1)) / column;
        let first = from.floor().max(0.0) as usize;
        let last = (to.ceil() as usize).min(width);
        for slot in columns.iter_mut().take(last).skip(first) {
            *slot = Some(match *slot {
                Some(old) if low_is_bad => old.min(*v),
                Some(old) => old.max(*v),
                None => *v,
            });
        }
    }
    let (lo, hi) = columns
        .iter()
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    columns
        .into_iter()
        .map(|c| {
            c.map(|v| {
                if hi > lo {
                    1 + ((v - lo) / (hi - lo) * 7.0).round() as u64
                } else {
                    4
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes_before_end: i64) -> Timestamp {
        end() - jiff::SignedDuration::from_mins(minutes_before_end)
    }

    fn end() -> Timestamp {
        "2026-01-16T03:00:00Z".parse().unwrap()
    }

    fn series(points: Vec<(Timestamp, f64)>) -> Series {
        Series {
            id: "a".into(),
            label: "a".into(),
            points,
            message: None,
        }
    }

    #[test]
    fn rows_with_different_periods_share_the_time_axis() {
        // 18 columns over 3 hours: 10 minutes a column.
        let five_min = series((1..=36).map(|i| (at(i * 5), 1.0)).collect());
        let one_min = series((1..=180).map(|i| (at(i), 1.0)).collect());
        let a = bucketed(&five_min, 300, end(), 18, false);
        let b = bucketed(&one_min, 60, end(), 18, false);
        assert_eq!(a.len(), 18);
        assert!(a.iter().all(Option::is_some), "{a:?}");
        assert_eq!(a, b);
    }

    #[test]
    fn a_spike_lands_in_its_column_and_gaps_stay_gaps() {
        let s = series(vec![(at(175), 10.0), (at(95), 90.0), (at(5), 10.0)]);
        let data = bucketed(&s, 60, end(), 18, false);
        assert_eq!(data[0], Some(1));
        assert_eq!(data[8], Some(8), "the spike 95 minutes ago");
        assert_eq!(data[17], Some(1));
        assert_eq!(data.iter().filter(|c| c.is_none()).count(), 15);
    }

    #[test]
    fn an_old_last_point_is_not_the_current_value() {
        let s = series(vec![(at(150), 1.0), (at(9), 2.0)]);
        assert_eq!(recent_value(&s, 300, end()), Some(2.0));
        assert_eq!(recent_value(&s, 60, end()), None);
    }

    #[test]
    fn the_breaching_side_wins_a_shared_column() {
        let s = series(vec![(at(20), 5.0), (at(19), 50.0), (at(100), 20.0)]);
        let high = bucketed(&s, 60, end(), 9, false);
        let low = bucketed(&s, 60, end(), 9, true);
        assert_eq!(high[8], Some(8));
        assert_eq!(low[8], Some(1));
        let flat = series(vec![(at(10), 5.0); 3]);
        assert_eq!(bucketed(&flat, 60, end(), 3, false)[2], Some(4));
    }
}
