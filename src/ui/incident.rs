//! The incident timeline view: on one time axis, the alarm's metric with
//! its threshold, error lines per minute, and marks for the CloudTrail
//! writes and state changes; below, every entry in time order (state
//! changes, CloudTrail writes, error lines, acks, other alarms), the
//! selected one openable in full. A piece still on its way says so, a
//! failed piece says why, and the rest draw anyway.

use jiff::Timestamp;
use ratatui::{
    Frame,
    layout::{Constraint, Layout, Rect},
    text::{Line, Span},
    widgets::{Block, Borders, Paragraph, Sparkline, Wrap},
};

use super::chart;
use super::component::Drawable;
use super::style::Styles;
use crate::app::App;
use crate::app::incident::{Entry, EntryKind, IncidentView};
use crate::data::incident::Part;
use crate::model::incident::errors_per_minute;
use crate::model::{AlarmState, TimeRange};
use crate::report::format::short_duration;
use crate::sanitize::{sanitize_line, sanitize_text};

/// Below this body height the chart is left out: the entries matter more.
const MIN_CHART_BODY: u16 = 14;
/// Width of the chart's y-axis labels, so the marks line up under it.
const AXIS_WIDTH: u16 = 6;

impl Drawable for IncidentView {
    /// Draws the timeline into the body; returns how many rows a page
    /// moves.
    fn draw(&self, frame: &mut Frame, area: Rect, app: &App, styles: &Styles) -> usize {
        let block = Block::default()
            .borders(Borders::TOP)
            .border_style(styles.border)
            .title(title(self, styles));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if let Some((index, scroll)) = self.opened
            && let Some(entry) = self.entries.get(index)
        {
            draw_full(frame, inner, entry, scroll, styles);
            return usize::from(inner.height / 2);
        }
        if let Some(error) = &self.error {
            let text = Paragraph::new(format!(" {}", sanitize_line(error))).style(styles.error);
            frame.render_widget(text, inner);
            return 1;
        }
        let chart_height = if inner.height >= MIN_CHART_BODY {
            (inner.height * 2 / 5).clamp(6, 14)
        } else {
            0
        };
        let [chart_area, errors_area, marks_area, list_area] = Layout::vertical([
            Constraint::Length(chart_height),
            Constraint::Length(if chart_height > 0 { 2 } else { 0 }),
            Constraint::Length(if chart_height > 0 { 1 } else { 0 }),
            Constraint::Fill(1),
        ])
        .areas(inner);
        if chart_height > 0 {
            draw_metric(frame, chart_area, self, app, styles);
            draw_error_rate(frame, errors_area, self, styles);
            draw_marks(frame, marks_area, self, styles);
        }
        draw_entries(frame, list_area, self, styles)
    }
}

fn title<'a>(view: &IncidentView, styles: &Styles) -> Line<'a> {
    let mut spans = vec![Span::styled(
        format!(" Incident · {} ", sanitize_line(view.short_alarm())),
        styles.header,
    )];
    if let Some(alarm) = &view.timeline.alarm {
        spans.push(Span::styled(
            format!("{} ", alarm.state),
            styles.state(alarm.state),
        ));
    }
    if let Some(w) = view.timeline.window {
        spans.push(Span::styled(
            format!(
                "· {} to {} {} ({}) ",
                crate::model::zone::shown(w.start, "%m-%d %H:%M"),
                crate::model::zone::shown(w.end, "%H:%M"),
                crate::model::zone::zone_name(),
                short_duration(w.end.duration_since(w.start).unsigned_abs())
            ),
            styles.dim,
        ));
    }
    if !view.filter_text().is_empty() {
        spans.push(Span::styled(
            format!(
                "· {}/{} filter: {} ",
                view.entries.len(),
                view.all_len(),
                sanitize_line(view.filter_text())
            ),
            styles.accent,
        ));
    }
    let waiting = waiting(view);
    if !waiting.is_empty() {
        spans.push(Span::styled(
            format!("· loading {} ", waiting.join(", ")),
            styles.dim,
        ));
    }
    Line::from(spans)
}

/// The pieces still on their way.
fn waiting(view: &IncidentView) -> Vec<&'static str> {
    let t = &view.timeline;
    [
        ("alarm", t.alarm.is_none()),
        ("metric", t.metric.is_none()),
        ("logs", t.logs.is_none()),
        ("CloudTrail", t.trail.is_none()),
        ("acks", t.annotations.is_none()),
        ("other alarms", t.other_alarms.is_none()),
    ]
    .into_iter()
    .filter_map(|(name, missing)| missing.then_some(name))
    .collect()
}

fn draw_metric(frame: &mut Frame, area: Rect, view: &IncidentView, app: &App, styles: &Styles) {
    let (Some(window), Some(alarm)) = (view.timeline.window, &view.timeline.alarm) else {
        return;
    };
    let spec = app
        .alarms
        .find(&alarm.name)
        .unwrap_or(alarm)
        .metric_spec()
        .cloned();
    let text = |s: String, style| frame_text(s, style);
    match (&view.timeline.metric, spec) {
        (None, _) => frame.render_widget(text(" metric loading…".into(), styles.dim), area),
        (Some(Err(e)), _) => frame.render_widget(
            text(
                format!(" metric: could not load: {}", sanitize_line(e)),
                styles.error,
            ),
            area,
        ),
        (Some(Ok(Some(series))), Some(spec)) => {
            chart::draw(frame, area, &spec, series, None, window, styles)
        }
        (Some(Ok(_)), _) => frame.render_widget(
            text(" this alarm watches no single metric".into(), styles.dim),
            area,
        ),
    }
}

fn frame_text<'a>(s: String, style: ratatui::style::Style) -> Paragraph<'a> {
    Paragraph::new(s).style(style)
}

/// Error lines per minute as bars under the chart, on the same axis.
fn draw_error_rate(frame: &mut Frame, area: Rect, view: &IncidentView, styles: &Styles) {
    let [label, bars] =
        Layout::horizontal([Constraint::Length(AXIS_WIDTH), Constraint::Fill(1)]).areas(area);
    frame.render_widget(Paragraph::new("errors").style(styles.dim), label);
    let (Some(Ok(_)), Some(window)) = (&view.timeline.logs, view.timeline.window) else {
        return;
    };
    let counts = errors_per_minute(&view.failures, window);
    let data = resample(&counts, bars.width as usize);
    frame.render_widget(
        Sparkline::default()
            .data(&data)
            .style(styles.state(AlarmState::Alarm)),
        bars,
    );
}

/// Per-minute counts squeezed or stretched into `width` columns (the
/// largest count of the minutes a column covers).
fn resample(counts: &[(Timestamp, usize)], width: usize) -> Vec<u64> {
    if counts.is_empty() || width == 0 {
        return Vec::new();
    }
    (0..width)
        .map(|col| {
            let from = col * counts.len() / width;
            let to = ((col + 1) * counts.len() / width).max(from + 1);
            counts[from..to.min(counts.len())]
                .iter()
                .map(|(_, n)| *n as u64)
                .max()
                .unwrap_or(0)
        })
        .collect()
}

/// A line of marks at the time of each CloudTrail write (`▲`) and each of
/// the alarm's state changes (`◆`, red into ALARM).
fn draw_marks(frame: &mut Frame, area: Rect, view: &IncidentView, styles: &Styles) {
    let Some(window) = view.timeline.window else {
        return;
    };
    let [label, axis] =
        Layout::horizontal([Constraint::Length(AXIS_WIDTH), Constraint::Fill(1)]).areas(area);
    frame.render_widget(Paragraph::new("events").style(styles.dim), label);
    let width = axis.width as usize;
    if width == 0 {
        return;
    }
    let mut cells: Vec<Span> = vec![Span::raw(" "); width];
    for entry in &view.entries {
        let mark = match entry.kind {
            EntryKind::Trail => Span::styled("▲", styles.accent),
            EntryKind::State if entry.alert => Span::styled("◆", styles.state(AlarmState::Alarm)),
            EntryKind::State => Span::styled("◆", styles.state(AlarmState::Ok)),
            EntryKind::Note => Span::styled("✓", styles.text),
            _ => continue,
        };
        if let Some(x) = column(entry.at, window, width) {
            cells[x] = mark;
        }
    }
    frame.render_widget(Paragraph::new(Line::from(cells)), axis);
}

fn column(at: Timestamp, window: TimeRange, width: usize) -> Option<usize> {
    let span = window.end.duration_since(window.start).as_secs_f64();
    let offset = at.duration_since(window.start).as_secs_f64();
    if span <= 0.0 || offset < 0.0 || offset > span {
        return None;
    }
    Some(((offset / span) * (width - 1) as f64).round() as usize)
}

/// The entries, the selected one highlighted and kept on screen, failed
/// pieces first; returns the rows a page moves.
fn draw_entries(frame: &mut Frame, area: Rect, view: &IncidentView, styles: &Styles) -> usize {
    let mut lines: Vec<Line> = failures(view)
        .into_iter()
        .map(|(what, why)| {
            Line::styled(
                format!(" ⚠ {what}: could not load: {}", sanitize_line(why)),
                styles.error,
            )
        })
        .collect();
    let rows = (area.height as usize).saturating_sub(lines.len()).max(1);
    let first = view
        .selected()
        .saturating_sub(rows.saturating_sub(1) / 2)
        .min(view.entries.len().saturating_sub(rows));
    if view.entries.is_empty() && waiting(view).is_empty() {
        lines.push(Line::styled(" nothing happened in this window", styles.dim));
    }
    for (i, entry) in view.entries.iter().enumerate().skip(first).take(rows) {
        let style = if i == view.selected() {
            styles.selected
        } else if entry.alert {
            styles.error
        } else {
            styles.text
        };
        let kind_style = if i == view.selected() {
            style
        } else {
            styles.dim
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {} ", crate::model::zone::shown(entry.at, "%H:%M:%S")),
                style,
            ),
            Span::styled(format!("{:<5} ", entry.kind.label()), kind_style),
            Span::styled(sanitize_line(&entry.summary), style),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
    rows
}

/// The pieces that failed, with why.
fn failures(view: &IncidentView) -> Vec<(&'static str, &str)> {
    fn failed<T>(part: &Option<Part<T>>) -> Option<&str> {
        part.as_ref()?.as_ref().err().map(String::as_str)
    }
    let t = &view.timeline;
    let mut out: Vec<(&'static str, &str)> = [
        ("logs", failed(&t.logs)),
        ("CloudTrail", failed(&t.trail)),
        ("acks", failed(&t.annotations)),
        ("other alarms", failed(&t.other_alarms)),
    ]
    .into_iter()
    .filter_map(|(what, why)| Some((what, why?)))
    .collect();
    if let Some(Ok(logs)) = &t.logs {
        out.extend(
            logs.failed
                .iter()
                .map(|(_, why)| ("a log group", why.as_str())),
        );
    }
    out
}

/// One entry in full, sanitised, wrapped and scrollable.
fn draw_full(frame: &mut Frame, area: Rect, entry: &Entry, scroll: u16, styles: &Styles) {
    let head = Line::styled(
        format!(
            " {} · {} · Esc back · j/k scroll",
            crate::model::zone::shown(entry.at, "%Y-%m-%d %H:%M:%S %Z"),
            entry.kind.label()
        ),
        styles.header,
    );
    let [head_area, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    frame.render_widget(Paragraph::new(head), head_area);
    frame.render_widget(
        Paragraph::new(sanitize_text(&entry.full))
            .style(styles.text)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        body,
    );
}
