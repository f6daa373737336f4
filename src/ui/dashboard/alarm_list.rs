//! An `alarm` widget: one row per listed alarm with its state, time in
//! state and name, in the widget's order (or newest change first when it
//! sorts by timestamp), filtered by its `states`.

use jiff::Timestamp;
use ratatui::{
    buffer::Buffer,
    layout::Rect,
    text::{Line, Span},
    widgets::{Paragraph, Widget},
};

use super::palette::Look;
use crate::model::dashboard::AlarmWidget;
use crate::model::{Alarm, AlarmState};
use crate::report::format::{short_duration, since};
use crate::sanitize::sanitize_line;

/// Draws the alarms of `widget` found in `alarms`, as of `now`.
pub fn draw(
    area: Rect,
    buf: &mut Buffer,
    widget: &AlarmWidget,
    alarms: &[Alarm],
    now: Timestamp,
    look: &Look,
) {
    let styles = &look.styles;
    let mut found: Vec<(&str, Option<&Alarm>)> = widget
        .alarms
        .iter()
        .map(|arn| {
            let name = AlarmWidget::alarm_name(arn);
            let alarm = alarms
                .iter()
                .find(|a| a.arn == *arn)
                .or_else(|| alarms.iter().find(|a| a.name == name));
            (name, alarm)
        })
        .filter(|(_, a)| {
            widget.states.is_empty() || a.is_some_and(|a| widget.states.contains(&a.state))
        })
        .collect();
    if matches!(
        widget.sort_by.as_deref(),
        Some("stateUpdatedTimestamp" | "timestamp")
    ) {
        found.sort_by_key(|(_, a)| std::cmp::Reverse(a.map(|a| a.updated_at)));
    }
    if found.is_empty() {
        Paragraph::new("no alarms to show")
            .style(styles.dim)
            .render(area, buf);
        return;
    }
    let state_width = found
        .iter()
        .filter_map(|(_, a)| a.map(|a| a.state.as_str().len()))
        .max()
        .unwrap_or(5);
    let rows: Vec<Line> = found
        .iter()
        .map(|(name, alarm)| match alarm {
            Some(a) => {
                let (mark, style) = match a.state {
                    AlarmState::Alarm => ("▲", styles.state(a.state)),
                    AlarmState::InsufficientData => ("?", styles.state(a.state)),
                    AlarmState::Ok => ("●", styles.state(a.state)),
                };
                Line::from(vec![
                    Span::styled(format!("{mark} {:<state_width$} ", a.state.as_str()), style),
                    Span::styled(
                        format!("{:>7}  ", short_duration(since(now, a.in_state_since()))),
                        styles.dim,
                    ),
                    Span::styled(sanitize_line(&a.name), styles.text),
                ])
            }
            None => Line::from(vec![
                Span::styled("· not found ", styles.dim),
                Span::styled(sanitize_line(name), styles.text),
            ]),
        })
        .collect();
    Paragraph::new(rows).render(area, buf);
}
