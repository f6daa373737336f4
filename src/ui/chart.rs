//! The detail view's chart: the alarm's metric as a line, its threshold as
//! a horizontal line (or, for an anomaly-detection alarm, its band's lower
//! and upper limits as two lines), and the points that breach it marked
//! apart.

use jiff::Timestamp;
use ratatui::{
    Frame,
    layout::{Constraint, Layout, Rect},
    style::Style,
    symbols::Marker,
    text::{Line, Span},
    widgets::{Axis, Chart, Dataset, GraphType, Paragraph},
};

use super::style::Styles;
use crate::model::anomaly::Band;
use crate::model::{AlarmState, MetricAlarmSpec, Series, TimeRange};
use crate::report::format::{chart_time, compact_number};
use crate::sanitize::sanitize_line;

/// Ranges longer than this label the time axis with dates.
const DATED_AXIS_SECS: i64 = 86_400;

/// The horizontal axis of a chart over `range` (x in seconds from its
/// start): start, middle and end, with dates when the range is over a day.
pub fn time_axis(range: TimeRange, styles: &Styles) -> Axis<'static> {
    let span_secs = range.end.duration_since(range.start).as_secs().max(1);
    let dated = span_secs > DATED_AXIS_SECS;
    let mid = range
        .start
        .checked_add(jiff::SignedDuration::from_secs(span_secs / 2))
        .unwrap_or(range.start);
    Axis::default()
        .style(styles.dim)
        .bounds([0.0, span_secs as f64])
        .labels([
            chart_time(range.start, dated),
            chart_time(mid, dated),
            chart_time(range.end, dated),
        ])
}

/// Draws `series` over `range` with the spec's threshold, or with `band`
/// for an anomaly-detection alarm.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    spec: &MetricAlarmSpec,
    series: &Series,
    band: Option<&Band>,
    range: TimeRange,
    styles: &Styles,
) {
    if let Some(band) = band {
        return draw_band(frame, area, spec, series, band, range, styles);
    }
    if spec.threshold_metric_id.is_some() {
        // A band alarm's `threshold` means nothing: no line rather than a
        // wrong one.
        let guides = Guides {
            lines: Vec::new(),
            marked: None,
            label: "anomaly band not fetched here",
            series_label: &stat_label(spec),
            crossing: "outside the band",
        };
        return plot(frame, area, series, range, &guides, &|_, _| false, styles);
    }
    let limit = Limit {
        value: spec.threshold,
        label: format!("threshold {}", spec.condition()),
        series_label: stat_label(spec),
        breaches: &|v| spec.comparison.breaches(v, spec.threshold),
    };
    draw_limited(frame, area, series, range, &limit, styles);
}

/// The horizontal line a chart draws besides its series (an alarm's
/// threshold, a target's budget line) and which points cross it.
pub struct Limit<'a> {
    /// Where the line is.
    pub value: f64,
    /// What the legend calls it.
    pub label: String,
    /// What the legend calls the series.
    pub series_label: String,
    /// Whether a value is on the wrong side of the line.
    pub breaches: &'a dyn Fn(f64) -> bool,
}

/// Draws `series` over `range` with `limit`'s line, the points that cross
/// it marked apart.
pub fn draw_limited(
    frame: &mut Frame,
    area: Rect,
    series: &Series,
    range: TimeRange,
    limit: &Limit<'_>,
    styles: &Styles,
) {
    let span_secs = range.end.duration_since(range.start).as_secs().max(1);
    let threshold = vec![(0.0, limit.value), (span_secs as f64, limit.value)];
    let guides = Guides {
        lines: vec![threshold],
        marked: Some(limit.value),
        label: &limit.label,
        series_label: &limit.series_label,
        crossing: "breaching",
    };
    plot(
        frame,
        area,
        series,
        range,
        &guides,
        &|_, v| (limit.breaches)(v),
        styles,
    );
}

/// Draws `series` with an anomaly band's lower and upper limits as two
/// lines, the points outside the band (on the side the alarm's comparison
/// watches) marked apart.
fn draw_band(
    frame: &mut Frame,
    area: Rect,
    spec: &MetricAlarmSpec,
    series: &Series,
    band: &Band,
    range: TimeRange,
    styles: &Styles,
) {
    let x = |t: Timestamp| t.duration_since(range.start).as_secs_f64();
    let lower = band.points.iter().map(|(t, lo, _)| (x(*t), *lo)).collect();
    let upper = band.points.iter().map(|(t, _, hi)| (x(*t), *hi)).collect();
    let label = format!("{} {}", sanitize_line(&band.label), spec.condition());
    let series_label = stat_label(spec);
    let guides = Guides {
        lines: vec![lower, upper],
        marked: None,
        label: &label,
        series_label: &series_label,
        crossing: "outside the band",
    };
    let breaches = |t: Timestamp, v: f64| {
        band.at(t)
            .is_some_and(|(lo, hi)| spec.comparison.breaches_band(v, lo, hi))
    };
    plot(frame, area, series, range, &guides, &breaches, styles);
}

/// What a chart draws besides its series.
struct Guides<'a> {
    /// Dim lines (a threshold, a band's two limits), x in seconds from
    /// the range's start.
    lines: Vec<Vec<(f64, f64)>>,
    /// A value labelled on the vertical axis in the alarm style.
    marked: Option<f64>,
    /// What the legend calls the lines.
    label: &'a str,
    /// What the legend calls the series.
    series_label: &'a str,
    /// What the legend calls the marked points.
    crossing: &'a str,
}

/// Draws `series` over `range` with `guides`, the points `breaches` picks
/// marked in the alarm style.
fn plot(
    frame: &mut Frame,
    area: Rect,
    series: &Series,
    range: TimeRange,
    guides: &Guides<'_>,
    breaches: &dyn Fn(Timestamp, f64) -> bool,
    styles: &Styles,
) {
    if series.points.is_empty() {
        let text = Paragraph::new(" no datapoints in this range").style(styles.dim);
        frame.render_widget(text, area);
        return;
    }
    let x = |t: Timestamp| t.duration_since(range.start).as_secs_f64();
    let line: Vec<(f64, f64)> = series.points.iter().map(|(t, v)| (x(*t), *v)).collect();
    let breaching: Vec<(f64, f64)> = series
        .points
        .iter()
        .filter(|(t, v)| breaches(*t, *v))
        .map(|(t, v)| (x(*t), *v))
        .collect();
    let (low, high) = y_bounds(line.iter().chain(guides.lines.iter().flatten()));

    let alarm_style = styles.state(AlarmState::Alarm);
    let mut datasets: Vec<Dataset> = guides
        .lines
        .iter()
        .map(|points| {
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(styles.dim)
                .data(points)
        })
        .collect();
    datasets.push(
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(styles.accent)
            .data(&line),
    );
    datasets.push(
        Dataset::default()
            .marker(Marker::Dot)
            .graph_type(GraphType::Scatter)
            .style(alarm_style)
            .data(&breaching),
    );
    let x_axis = time_axis(range, styles);
    let middle = match guides.marked {
        Some(v) => Span::styled(compact_number(v), alarm_style),
        None => Span::raw(compact_number((low + high) / 2.0)),
    };
    let y_axis = Axis::default()
        .style(styles.dim)
        .bounds([low, high])
        .labels([
            Span::raw(compact_number(low)),
            middle,
            Span::raw(compact_number(high)),
        ]);
    let legend = Line::from(vec![
        Span::styled(" ⠉⠉ ", styles.accent),
        Span::styled(guides.series_label, styles.text),
        Span::styled("   ⠉⠉ ", styles.dim),
        Span::styled(guides.label, styles.text),
        Span::styled("   • ", alarm_style),
        Span::styled(
            format!("{} ({})", guides.crossing, breaching.len()),
            styles.text,
        ),
    ]);
    let [legend_area, chart_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    frame.render_widget(Paragraph::new(legend), legend_area);
    let chart = Chart::new(datasets)
        .style(Style::default())
        .x_axis(x_axis)
        .y_axis(y_axis)
        .hidden_legend_constraints((Constraint::Length(0), Constraint::Length(0)));
    frame.render_widget(chart, chart_area);
}

/// `Sum per 1m`: what one point of the line is.
pub fn stat_label(spec: &MetricAlarmSpec) -> String {
    let period = std::time::Duration::from_secs(u64::from(spec.period_secs));
    format!("{} per {}", spec.stat, humantime::format_duration(period))
}

/// The vertical range: every value (series, threshold, band), with a
/// margin so none sits on the frame.
fn y_bounds<'a>(points: impl Iterator<Item = &'a (f64, f64)>) -> (f64, f64) {
    let (low, high) = points
        .map(|(_, v)| *v)
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if low > high {
        return with_margin(0.0, 0.0);
    }
    with_margin(low, high)
}

/// `low..high` widened so no value sits on the chart's frame (never below
/// zero when `low` is not).
pub fn with_margin(low: f64, high: f64) -> (f64, f64) {
    let margin = ((high - low) * 0.1).max(high.abs() * 0.05).max(1e-9);
    let bottom = if low >= 0.0 {
        (low - margin).max(0.0)
    } else {
        low - margin
    };
    (bottom, high + margin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_hold_values_and_threshold() {
        let (lo, hi) = y_bounds([(0.0, 10.0), (1.0, 20.0), (0.0, 300.0)].iter());
        assert!((0.0..=10.0).contains(&lo));
        assert!(hi > 300.0);
        let (lo, hi) = y_bounds([(0.0, 5.0), (1.0, 5.0)].iter());
        assert!(lo < 5.0 && hi > 5.0);
        let (lo, _) = y_bounds([(0.0, -4.0), (0.0, 1.0)].iter());
        assert!(lo < -4.0);
        let (lo, hi) = y_bounds([(0.0, f64::NAN)].iter());
        assert!(lo <= 0.0 && hi > 0.0);
    }
}
