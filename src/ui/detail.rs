//! The alarm detail view: the metric chart over the chosen range, then the
//! alarm's facts (state, reason, condition, dimensions, actions,
//! description, ack, silence) and its state-history timeline. Side by side
//! when there is room, stacked and scrollable (`j`/`k`) at 80x24.

use ratatui::{
    Frame,
    layout::{Constraint, Layout, Rect},
    text::{Line, Span},
    widgets::{Block, Borders, Paragraph, Wrap},
};

use super::chart;
use super::component::Drawable;
use super::marks;
use super::style::Styles;
use crate::alarm_rule::Rule;
use crate::app::App;
use crate::app::detail::DetailView;
use crate::data::{AlarmDetail, Annotation};
use crate::model::ack::SilenceRecord;
use crate::model::alarm::format_number;
use crate::model::explain::{ExplainPoint, WindowSource};
use crate::model::{Alarm, AlarmKind, AlarmState, HistoryItem, HistoryKind};
use crate::report::format::{chart_time, clock, short_duration, since};
use crate::sanitize::sanitize_line;

/// Room needed to put facts and history side by side under a tall chart.
const WIDE: (u16, u16) = (100, 28);

/// Below this height the chart is left out: the text matters more.
const MIN_CHART_BODY: u16 = 12;

impl Drawable for DetailView {
    /// Draws the detail view into the tab body; returns how many lines a
    /// page scrolls.
    fn draw(&self, frame: &mut Frame, area: Rect, app: &App, styles: &Styles) -> usize {
        draw(frame, area, app, self, styles);
        usize::from(area.height / 2)
    }
}

fn draw(frame: &mut Frame, area: Rect, app: &App, view: &DetailView, styles: &Styles) {
    let Some(alarm) = app.alarms.find(&view.alarm) else {
        let text = Paragraph::new(format!(
            "  {} is no longer in the alarm list (Esc goes back)",
            sanitize_line(&view.alarm)
        ))
        .style(styles.dim)
        .block(top_block(styles));
        frame.render_widget(text, area);
        return;
    };
    let detail = view.data.as_ref();
    let block = top_block(styles).title(title(app, alarm, view, detail, styles));
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let wide = inner.width >= WIDE.0 && inner.height >= WIDE.1;
    let chart_height = if wide {
        inner.height * 2 / 5
    } else if inner.height >= MIN_CHART_BODY {
        (inner.height / 3).clamp(6, 10)
    } else {
        0
    };
    let [chart_area, text_area] =
        Layout::vertical([Constraint::Length(chart_height), Constraint::Fill(1)]).areas(inner);
    if chart_height > 0 {
        draw_chart(frame, chart_area, alarm, detail, view, styles);
    }
    let facts = facts(app, alarm, detail, styles);
    let history = if view.explain {
        explanation(alarm, detail, styles)
    } else {
        history(detail, view, styles)
    };
    if wide {
        let [left, right] = Layout::horizontal([Constraint::Percentage(55), Constraint::Fill(1)])
            .spacing(1)
            .areas(text_area);
        frame.render_widget(scrolled(facts, view), left);
        frame.render_widget(scrolled(history, view), right);
    } else {
        let mut lines = facts;
        lines.push(Line::raw(""));
        lines.extend(history);
        frame.render_widget(scrolled(lines, view), text_area);
    }
}

fn top_block<'a>(styles: &Styles) -> Block<'a> {
    Block::default()
        .borders(Borders::TOP)
        .border_style(styles.border)
}

fn scrolled<'a>(lines: Vec<Line<'a>>, view: &DetailView) -> Paragraph<'a> {
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((view.scroll, 0))
}

fn title<'a>(
    app: &App,
    alarm: &Alarm,
    view: &DetailView,
    detail: Option<&AlarmDetail>,
    styles: &Styles,
) -> Line<'a> {
    let loading = match detail {
        None => " loading…",
        Some(d)
            if d.range.end.duration_since(d.range.start).as_secs()
                != view.range_duration().as_secs() as i64 =>
        {
            " loading…"
        }
        Some(_) => "",
    };
    Line::from(vec![
        Span::styled(format!(" {} ", sanitize_line(&alarm.name)), styles.accent),
        Span::styled(format!("{} ", alarm.state), styles.state(alarm.state)),
        Span::styled(
            format!(
                "for {} · range {}{loading} ",
                short_duration(since(app.now(), alarm.in_state_since())),
                view.range_label()
            ),
            styles.dim,
        ),
    ])
}

fn draw_chart(
    frame: &mut Frame,
    area: Rect,
    alarm: &Alarm,
    detail: Option<&AlarmDetail>,
    view: &DetailView,
    styles: &Styles,
) {
    let message = match (&alarm.kind, detail) {
        (AlarmKind::Composite { rule }, _) => {
            format!(" composite alarm: {}", sanitize_line(rule))
        }
        (AlarmKind::Metric(_), None) => format!(" loading the last {}…", view.range_label()),
        (AlarmKind::Metric(spec), Some(d)) => match &d.series {
            Some(series) => {
                let band = d.band.as_ref();
                return chart::draw(frame, area, spec, series, band, d.range, styles);
            }
            None => " this alarm watches an expression: no single metric to chart".to_string(),
        },
    };
    frame.render_widget(
        Paragraph::new(message)
            .style(styles.dim)
            .wrap(Wrap { trim: true }),
        area,
    );
}

fn field<'a>(name: &'a str, value: String, styles: &Styles) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{name:<12}"), styles.accent),
        Span::styled(value, styles.text),
    ])
}

fn facts<'a>(
    app: &App,
    alarm: &Alarm,
    detail: Option<&AlarmDetail>,
    styles: &Styles,
) -> Vec<Line<'a>> {
    let now = app.now();
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{:<12}", "State"), styles.accent),
        Span::styled(alarm.state.to_string(), styles.state(alarm.state)),
        Span::styled(
            format!(
                " since {} {}",
                clock(alarm.in_state_since()),
                crate::model::zone::zone_name()
            ),
            styles.text,
        ),
    ])];
    lines.push(field("Reason", sanitize_line(&alarm.reason), styles));
    match &alarm.kind {
        AlarmKind::Metric(spec) => {
            let metric = spec.metric.as_ref();
            let name = metric.map_or("expression".to_string(), |m| {
                format!("{} {}", m.namespace, m.name)
            });
            lines.push(field("Metric", sanitize_line(&name), styles));
            let (m, n) = spec.m_of_n();
            lines.push(field(
                "Condition",
                format!(
                    "{} {} for {m} of {n} datapoints; missing data: {}",
                    chart::stat_label(spec),
                    spec.condition(),
                    spec.treat_missing.as_str()
                ),
                styles,
            ));
            let dims = metric
                .map(|m| {
                    m.dimensions
                        .iter()
                        .map(|d| format!("{}={}", d.name, d.value))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| "none".to_string());
            lines.push(field("Dimensions", sanitize_line(&dims), styles));
        }
        AlarmKind::Composite { rule } => {
            lines.push(field("Rule", sanitize_line(rule), styles));
            lines.extend(rule_tree(app, rule, styles));
        }
    }
    lines.push(field(
        "Actions",
        if alarm.actions_enabled {
            "enabled".to_string()
        } else {
            "DISABLED".to_string()
        },
        styles,
    ));
    for (name, actions) in [
        ("  on ALARM", &alarm.alarm_actions),
        ("  on OK", &alarm.ok_actions),
        ("  on INSUFF", &alarm.insufficient_data_actions),
    ] {
        if !actions.is_empty() {
            lines.push(field(name, sanitize_line(&actions.join(", ")), styles));
        }
    }
    if let Some(description) = alarm.description.as_deref().filter(|d| !d.is_empty()) {
        lines.push(field("Description", sanitize_line(description), styles));
    }
    lines.extend(annotation_lines(
        alarm,
        app.annotations.get(&alarm.name),
        now,
        styles,
    ));
    if let Some(error) = detail.and_then(|d| d.error.as_deref()) {
        lines.push(Line::styled(sanitize_line(error), styles.error));
    }
    lines
}

/// A composite's rule as a tree, each child with its state from the alarm
/// list; a rule that does not parse says why.
fn rule_tree<'a>(app: &App, rule: &str, styles: &Styles) -> Vec<Line<'a>> {
    let parsed = match Rule::parse(rule) {
        Ok(parsed) => parsed,
        Err(e) => return vec![Line::styled(sanitize_line(&e.to_string()), styles.error)],
    };
    parsed
        .tree(&|name| app.alarms.find(name).map(|a| a.state))
        .into_iter()
        .map(|line| {
            let value = match line.value {
                Some(true) => Span::styled(" true", styles.state(AlarmState::Alarm)),
                Some(false) => Span::styled(" false", styles.state(AlarmState::Ok)),
                None => Span::styled(" unknown", styles.dim),
            };
            let mut spans = vec![
                Span::styled(
                    format!(
                        "{}{}",
                        "  ".repeat(line.depth + 1),
                        sanitize_line(&line.text)
                    ),
                    styles.text,
                ),
                value,
            ];
            match line.child {
                Some((_, Some(state))) => {
                    spans.push(Span::styled(" · ", styles.dim));
                    spans.push(Span::styled(state.to_string(), styles.state(state)));
                }
                Some((_, None)) => spans.push(Span::styled(" · no such alarm", styles.dim)),
                None => {}
            }
            Line::from(spans)
        })
        .collect()
}

/// The explanation (`e`) in place of the history.
fn explanation<'a>(alarm: &Alarm, detail: Option<&AlarmDetail>, styles: &Styles) -> Vec<Line<'a>> {
    let mut lines = vec![Line::styled("Why (e: back to the history)", styles.accent)];
    let e = match detail.and_then(|d| d.explanation.as_ref()) {
        None if matches!(alarm.kind, AlarmKind::Composite { .. }) => {
            lines.push(Line::styled(
                "a composite alarm: its rule tree is on the left",
                styles.dim,
            ));
            return lines;
        }
        None => {
            lines.push(Line::styled("loading…", styles.dim));
            return lines;
        }
        Some(Err(error)) => {
            lines.push(Line::styled(sanitize_line(error), styles.error));
            return lines;
        }
        Some(Ok(e)) => e,
    };
    let r = &e.rule;
    lines.push(field(
        "Rule",
        format!(
            "{} {} {} for {} of {} × {} s",
            sanitize_line(&r.statistic),
            r.comparison.symbol(),
            format_number(r.threshold),
            r.datapoints_to_alarm,
            r.evaluation_periods,
            r.period_secs
        ),
        styles,
    ));
    lines.push(field("Missing", e.missing_treatment.clone(), styles));
    lines.push(field(
        "Window",
        format!(
            "{}–{} UTC{}",
            clock(e.window.start),
            clock(e.window.end),
            match e.window_source {
                WindowSource::ServiceReasonData => " (the service's)",
                WindowSource::LatestPeriods => " (latest: no StateReasonData)",
            }
        ),
        styles,
    ));
    lines.extend(point_lines(&e.datapoints, styles));
    lines.push(Line::from(vec![
        Span::styled(format!("{:<12}", "Evaluator"), styles.accent),
        Span::styled(
            e.evaluated_state.to_string(),
            styles.state(e.evaluated_state),
        ),
        Span::styled(
            if e.agrees_with_service {
                " · agrees with the service".to_string()
            } else {
                format!(" · service says {}", e.service_state)
            },
            styles.text,
        ),
    ]));
    for d in &e.disagreements {
        lines.push(Line::styled(
            format!("  ≠ {}", sanitize_line(d)),
            styles.error,
        ));
    }
    let c = &e.current;
    lines.push(Line::from(vec![
        Span::styled(format!("{:<12}", "Now"), styles.accent),
        Span::styled(
            c.evaluated_state.to_string(),
            styles.state(c.evaluated_state),
        ),
        Span::styled(
            format!(
                " over {}–{} UTC",
                clock(c.window.start),
                clock(c.window.end)
            ),
            styles.text,
        ),
    ]));
    for (label, change) in [("Changes", &c.next_change), ("No data", &c.if_data_stops)] {
        let text = match change {
            Some(n) => format!(
                "{} after {} period(s) of {} (≥ {} UTC)",
                n.to,
                n.periods,
                sanitize_line(&n.needs),
                clock(n.earliest)
            ),
            None => "never, at these values".to_string(),
        };
        lines.push(field(label, text, styles));
    }
    lines
}

fn point_lines<'a>(points: &[ExplainPoint], styles: &Styles) -> Vec<Line<'a>> {
    points
        .iter()
        .map(|p| {
            let (value, verdict, style) = match (p.value, p.breaching) {
                (Some(v), Some(true)) => (
                    format_number(v),
                    "breaching",
                    styles.state(AlarmState::Alarm),
                ),
                (Some(v), _) => (format_number(v), "ok", styles.state(AlarmState::Ok)),
                (None, _) => ("—".to_string(), "missing", styles.dim),
            };
            Line::from(vec![
                Span::styled(
                    format!(
                        "  {}{} {value:>12} ",
                        if p.decided { "*" } else { " " },
                        clock(p.timestamp)
                    ),
                    styles.text,
                ),
                Span::styled(verdict, style),
            ])
        })
        .collect()
}

fn annotation_lines<'a>(
    alarm: &Alarm,
    annotation: Option<&Annotation>,
    now: jiff::Timestamp,
    styles: &Styles,
) -> Vec<Line<'a>> {
    let ack = annotation.and_then(|a| a.ack.as_ref());
    let ack_text = match ack {
        Some(ack) if ack.covers(alarm) => {
            let note = if ack.note.is_empty() {
                String::new()
            } else {
                format!(": {}", ack.note)
            };
            format!(
                "by {} at {} {}{note}",
                ack.by,
                clock(ack.at),
                crate::model::zone::zone_name()
            )
        }
        Some(ack) => format!("lapsed (by {}, for an earlier episode)", ack.by),
        None => "not acked".to_string(),
    };
    let mut lines = vec![field("Ack", sanitize_line(&ack_text), styles)];
    if let Some(record) = annotation.and_then(|a| a.silence.as_ref()) {
        let mut spans = vec![Span::styled(format!("{:<12}", "Silence"), styles.accent)];
        spans.push(marks::record_span(record, now, styles));
        let text = match record {
            SilenceRecord::Own(silence) => format!(
                " until {} {} by {}: {}",
                clock(silence.until),
                crate::model::zone::zone_name(),
                silence.by,
                silence.note
            ),
            SilenceRecord::Unrecognised { until, by } => format!(
                " (no monitui method or id{}{}): monitui leaves it and the actions alone",
                until.map_or(String::new(), |u| format!(
                    ", until {} {}",
                    clock(u),
                    crate::model::zone::zone_name()
                )),
                if by.is_empty() {
                    String::new()
                } else {
                    format!(", by {by}")
                },
            ),
        };
        spans.push(Span::styled(sanitize_line(&text), styles.text));
        lines.push(Line::from(spans));
    }
    lines
}

fn history<'a>(detail: Option<&AlarmDetail>, view: &DetailView, styles: &Styles) -> Vec<Line<'a>> {
    let mut lines = vec![Line::styled("History (newest first)", styles.accent)];
    let Some(detail) = detail else {
        lines.push(Line::styled("loading…", styles.dim));
        return lines;
    };
    let items: Vec<&HistoryItem> = detail
        .history
        .iter()
        .filter(|h| h.kind == HistoryKind::StateUpdate)
        .collect();
    if items.is_empty() {
        lines.push(Line::styled(
            format!("no state changes in the last {}", view.range_label()),
            styles.dim,
        ));
    }
    let dated = view.range_duration().as_secs() > 86_400;
    for item in items {
        let mut spans = vec![Span::styled(
            format!("{} ", chart_time(item.timestamp, dated)),
            styles.dim,
        )];
        if let Some((from, to)) = item.transition {
            spans.push(Span::styled(from.as_str().to_string(), styles.state(from)));
            spans.push(Span::styled(" → ", styles.dim));
            spans.push(Span::styled(to.as_str().to_string(), styles.state(to)));
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(sanitize_line(&item.summary), styles.text));
        lines.push(Line::from(spans));
    }
    lines
}
