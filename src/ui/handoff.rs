//! The shift handoff view: a summary line, then the alarms still in
//! ALARM, the episodes with their flaps, the acks, the silences ending or
//! ended, the silences, and the CloudTrail writes made while alarms fired,
//! one section under the other, scrolled with the movement keys. Times in
//! the display zone; names without the env's prefix; text from AWS
//! sanitised.

use jiff::Timestamp;
use ratatui::{
    Frame,
    layout::Rect,
    text::{Line, Span},
    widgets::{Block, Borders, Paragraph},
};

use super::component::Drawable;
use super::style::Styles;
use crate::app::App;
use crate::app::handoff::{HandoffView, SHIFT};
use crate::data::handoff::{Handoff, SilenceNote};
use crate::model::AlarmState;
use crate::model::zone::{shown, zone_name};
use crate::report::format::{short_duration, since};
use crate::sanitize::sanitize_line;

impl Drawable for HandoffView {
    /// Draws the handoff into the body; returns how many lines a page
    /// scrolls.
    fn draw(&self, frame: &mut Frame, area: Rect, app: &App, styles: &Styles) -> usize {
        let block = Block::default()
            .borders(Borders::TOP)
            .border_style(styles.border)
            .title(Span::styled(
                format!(
                    " Handoff: last {} · Esc back · r gather again ",
                    short_duration(SHIFT.unsigned_abs())
                ),
                styles.accent,
            ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let lines = match (&self.handoff, &self.error) {
            (_, Some(error)) => vec![Line::styled(
                format!(" could not gather the handoff: {}", sanitize_line(error)),
                styles.error,
            )],
            (None, None) => vec![Line::styled(" gathering the shift…", styles.dim)],
            (Some(h), None) => lines(h, app, styles),
        };
        frame.render_widget(Paragraph::new(lines).scroll((self.scroll, 0)), inner);
        usize::from(inner.height.saturating_sub(1).max(1))
    }
}

/// Every line of the view.
fn lines<'a>(h: &Handoff, app: &App, styles: &Styles) -> Vec<Line<'a>> {
    let now = app.now();
    let prefix = format!("{}-", app.env.prefix);
    let short = |name: &str| sanitize_line(name.strip_prefix(&prefix).unwrap_or(name));
    let at = |t: Timestamp| shown(t, "%m-%d %H:%M");
    let mut out = vec![Line::styled(
        format!(
            " {} to {} {} · {} episodes · {} still in ALARM · {} acks · {} silences ending or ended",
            at(h.window.start),
            at(h.window.end),
            zone_name(),
            h.episodes.len(),
            h.still_in_alarm.len(),
            h.acks.len(),
            h.silences_ending.len()
        ),
        styles.text,
    )];
    for (part, why) in &h.failed {
        out.push(Line::styled(
            format!(" could not load {part}: {}", sanitize_line(why)),
            styles.error,
        ));
    }
    let section = |out: &mut Vec<Line<'a>>, title: &str, rows: Vec<String>| {
        out.push(Line::raw(""));
        out.push(Line::styled(format!(" {title}"), styles.accent));
        if rows.is_empty() {
            out.push(Line::styled("   none", styles.dim));
        }
        out.extend(
            rows.into_iter()
                .map(|r| Line::styled(format!("   {r}"), styles.text)),
        );
    };
    section(
        &mut out,
        "Still in ALARM",
        h.still_in_alarm
            .iter()
            .map(|s| {
                format!(
                    "{:<28} since {} ({}){}{}",
                    short(&s.alarm),
                    at(s.since),
                    short_duration(since(now, s.since)),
                    s.acked_by
                        .as_deref()
                        .map_or(String::new(), |by| format!(" ✔{}", sanitize_line(by))),
                    s.silenced_until
                        .map_or(String::new(), |u| format!(" ⊘ until {}", at(u)))
                )
            })
            .collect(),
    );
    section(
        &mut out,
        "Episodes (start, end, duration, flaps)",
        h.episodes
            .iter()
            .map(|e| {
                format!(
                    "{:<28} {}{} → {:<11} {:>8}  {} flap{}",
                    short(&e.alarm),
                    if e.started_before { "<" } else { "" },
                    at(e.start),
                    e.end.map_or("ongoing".into(), at),
                    short_duration(e.duration(now).unsigned_abs()),
                    e.flaps,
                    if e.flaps == 1 { "" } else { "s" }
                )
            })
            .collect(),
    );
    section(
        &mut out,
        "Acks",
        h.acks
            .iter()
            .map(|a| {
                format!(
                    "{} {:<28} ✔{}: {}",
                    at(a.at),
                    short(&a.alarm),
                    sanitize_line(&a.by),
                    sanitize_line(&a.note)
                )
            })
            .collect(),
    );
    let silence = |s: &SilenceNote| {
        let until = match (s.ended_at, s.until) {
            (Some(ended), _) => format!("ended {}", at(ended)),
            (None, Some(u)) if u <= now => format!("ended {}", at(u)),
            (None, Some(u)) => format!("until {}", at(u)),
            (None, None) => "set".into(),
        };
        format!(
            "{:<28} {} by {}: {}",
            short(&s.alarm),
            until,
            sanitize_line(&s.by),
            sanitize_line(&s.note)
        )
    };
    section(
        &mut out,
        "Silences ending soon or just ended",
        h.silences_ending.iter().map(silence).collect(),
    );
    section(
        &mut out,
        "Silences",
        h.silences.iter().map(silence).collect(),
    );
    section(
        &mut out,
        "CloudTrail writes while alarms fired",
        h.trail_writes
            .iter()
            .map(|w| {
                format!(
                    "{} {} {} ({}) during {}",
                    w.record.event_time.map_or("-".into(), at),
                    sanitize_line(&w.record.user()),
                    sanitize_line(&w.record.event_name),
                    sanitize_line(&w.record.event_source),
                    w.during
                        .iter()
                        .map(|a| short(a))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect(),
    );
    if h.trail_more {
        out.push(Line::styled(
            "   (more write events were there than were kept)",
            styles.dim,
        ));
    }
    if h.still_in_alarm.is_empty() && h.failed.is_empty() {
        out[0].spans.push(Span::styled(
            " · nothing in ALARM",
            styles.state(AlarmState::Ok),
        ));
    }
    out
}
