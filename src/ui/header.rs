//! The one-line header: env badge, account/region, identity, connection
//! state, the count of alarms in ALARM that can page (acked ones and
//! silenced ones counted apart), clock in the display zone, named.

use ratatui::{
    Frame,
    layout::{Constraint, Layout, Rect},
    text::{Line, Span},
    widgets::Paragraph,
};

use super::style::Styles;
use crate::app::App;
use crate::data::connection::LinkHealth;
use crate::report::format::{clock, short_duration};
use crate::sanitize::sanitize_line;

/// Draws the header into a one-row area.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, styles: &Styles) {
    let left = left_line(app, styles);
    let right = right_line(app, styles);
    let right_width = (right.width() as u16).min(area.width);
    let [l, r] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(right_width)]).areas(area);
    frame.render_widget(Paragraph::new(left).style(styles.header), l);
    frame.render_widget(Paragraph::new(right).style(styles.header), r);
}

fn left_line<'a>(app: &'a App, styles: &Styles) -> Line<'a> {
    let badge = format!(" {} ", app.env.name.to_uppercase());
    let mut spans = vec![Span::styled(badge, styles.badge(app.env.is_prod()))];
    if app.env.read_only {
        spans.push(Span::styled(" RO ", styles.accent));
    }
    let region = app.env.region.as_deref().unwrap_or("default region");
    let who = match &app.identity {
        Some(id) => format!(
            " {} · {} · {}",
            sanitize_line(&id.account),
            region,
            sanitize_line(id.short_name())
        ),
        None => format!(" {region} · identity unknown"),
    };
    spans.push(Span::raw(who));
    Line::from(spans)
}

fn right_line<'a>(app: &App, styles: &Styles) -> Line<'a> {
    let now = app.now();
    let health = app.link.health(now, app.env.refresh);
    let (link, link_style) = match &health {
        LinkHealth::Connecting => ("◌ connecting".to_string(), styles.dim),
        LinkHealth::Live => ("● live".to_string(), styles.header),
        LinkHealth::Stale(age) => (format!("◌ stale {}", short_duration(*age)), styles.error),
        LinkHealth::Retrying {
            age,
            attempt,
            retry_in,
            ..
        } => {
            let stale = age
                .map(|a| format!("stale {} · ", short_duration(a)))
                .unwrap_or_default();
            (
                format!("◌ {stale}retry #{attempt} in {}", short_duration(*retry_in)),
                styles.error,
            )
        }
    };
    let alarm_span = alarm_span(app, &health, styles);
    Line::from(vec![
        Span::raw(" "),
        Span::styled(link, link_style),
        Span::raw(" "),
        alarm_span,
        Span::styled(
            format!(" {} {} ", clock(now), crate::model::zone::zone_name()),
            styles.header,
        ),
    ])
}

/// The ALARM count, never rosier than what is known: while only the
/// alarms in ALARM are in it counts them (all as unacked: their acks are
/// not read yet) and says the rest is loading; until the alarms were
/// read once it says they are unknown, and while the list is stale a count
/// with nothing unacked says how old it is instead of giving an all-clear.
fn alarm_span<'a>(app: &App, health: &LinkHealth, styles: &Styles) -> Span<'a> {
    let alarms = app.alarms.alarm_count();
    if let Some(all) = app.alarms.rest_loading() {
        let more = if all { "" } else { "+" };
        return Span::styled(
            format!(" ▲ {alarms}{more} ALARM · loading the rest "),
            styles.state(crate::model::AlarmState::Alarm),
        );
    }
    let unacked = app.alarms.unacked_alarm_count(&app.annotations);
    let silenced = app.alarms.silenced_alarm_count(&app.annotations);
    let paging = unacked - silenced;
    let stale_for = match health {
        LinkHealth::Connecting | LinkHealth::Retrying { age: None, .. } => {
            return Span::styled(" ? alarms unknown ", styles.error);
        }
        LinkHealth::Live => None,
        LinkHealth::Stale(age) | LinkHealth::Retrying { age: Some(age), .. } => Some(*age),
    };
    let counted = |n: usize, mark: &str| {
        if n > 0 {
            format!("+{n}{mark} ")
        } else {
            String::new()
        }
    };
    if paging > 0 {
        return Span::styled(
            format!(
                " ▲ {paging} ALARM {}{}",
                counted(alarms - unacked, "✔"),
                counted(silenced, "⊘")
            ),
            styles.state(crate::model::AlarmState::Alarm),
        );
    }
    let quiet = match (alarms, silenced) {
        (0, _) => "no ALARM".to_string(),
        (_, 0) => format!("{alarms} ALARM acked"),
        (_, silenced) => format!("{alarms} ALARM, none pages ({silenced}⊘ silenced)"),
    };
    match stale_for {
        None if alarms > 0 => Span::styled(format!(" ✔ {quiet} "), styles.header),
        None => Span::styled(format!(" ✓ {quiet} "), styles.header),
        Some(age) => Span::styled(
            format!(" ? {quiet} {} ago ", short_duration(age)),
            styles.error,
        ),
    }
}
