//! The Alarms tab: every alarm (metric and composite), ALARM first by
//! default, with state, name, metric, threshold, time in state, ack and
//! silence markers, and reason.

use ratatui::{
    Frame,
    layout::{Constraint, Rect},
    text::{Line, Span},
    widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState},
};

use super::format::{short_duration, since};
use super::marks;
use super::style::Styles;
use crate::app::App;
use crate::model::{AlarmKind, AlarmState};
use crate::term::sanitize_line;

/// Widths below this drop the metric column.
const WIDE: u16 = 100;

/// Width of the ack/silence column: fits `silence overdue` or
/// `✔name ⊘ 1h 05m` with a short name.
const MARK_WIDTH: u16 = 15;

/// Draws the alarm table; returns how many rows fit (for paging).
pub fn draw(frame: &mut Frame, area: Rect, app: &App, styles: &Styles) -> usize {
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(styles.border)
        .title(title(app, styles));
    if app.alarms.fetched_at.is_none() {
        let text = Paragraph::new("  waiting for the first answer from the account…")
            .style(styles.dim)
            .block(block);
        frame.render_widget(text, area);
        return 0;
    }
    if app.alarms.visible_len() == 0 {
        let msg = if app.alarms.total() == 0 {
            "  this account has no alarms".to_string()
        } else {
            format!(
                "  no alarm matches '{}' (Esc clears the filter)",
                sanitize_line(app.alarms.filter())
            )
        };
        frame.render_widget(Paragraph::new(msg).style(styles.dim).block(block), area);
        return 0;
    }
    let wide = area.width >= WIDE;
    let now = app.now();
    let prefix = &format!("{}-", app.env.prefix);
    let marks_width = app
        .alarms
        .visible()
        .map(|a| Line::from(marks::spans(a, app.annotations.get(&a.name), now, styles)).width())
        .max()
        .unwrap_or(0)
        .clamp(3, MARK_WIDTH as usize) as u16;
    let rows = app.alarms.visible().map(|a| {
        let mut cells = vec![
            Cell::from(Span::styled(state_label(a.state), styles.state(a.state))),
            Cell::from(sanitize_line(strip_prefix(&a.name, prefix))),
        ];
        if wide {
            cells.push(Cell::from(sanitize_line(&a.metric_label())));
        }
        cells.push(Cell::from(match &a.kind {
            AlarmKind::Metric(spec) => spec.condition(),
            AlarmKind::Composite { .. } => "(rule)".to_string(),
        }));
        cells.push(Cell::from(short_duration(since(now, a.updated_at))));
        cells.push(Cell::from(Line::from(marks::spans(
            a,
            app.annotations.get(&a.name),
            now,
            styles,
        ))));
        cells.push(Cell::from(sanitize_line(&a.reason)).style(styles.dim));
        Row::new(cells)
    });
    let mut header = vec!["STATE", "NAME"];
    let mut widths = vec![Constraint::Length(6), Constraint::Percentage(30)];
    if wide {
        header.push("METRIC");
        widths.push(Constraint::Length(22));
    }
    let marks_header = if marks_width >= 11 {
        "ACK/SILENCE"
    } else {
        "ACK"
    };
    header.extend(["THRESHOLD", "IN STATE", marks_header, "REASON"]);
    widths.extend([
        Constraint::Length(10),
        Constraint::Length(8),
        Constraint::Length(marks_width),
        Constraint::Fill(1),
    ]);
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(styles.accent))
        .row_highlight_style(styles.selected)
        .block(block)
        .column_spacing(1);
    let mut state = TableState::default().with_selected(Some(app.alarms.selected_index()));
    frame.render_stateful_widget(table, area, &mut state);
    area.height.saturating_sub(2) as usize
}

/// Short state names so the table keeps room for names and reasons.
fn state_label(state: AlarmState) -> &'static str {
    match state {
        AlarmState::Alarm => "ALARM",
        AlarmState::InsufficientData => "INSUFF",
        AlarmState::Ok => "OK",
    }
}

/// Names without the env's resource prefix (the title shows it once).
pub fn strip_prefix<'a>(name: &'a str, prefix: &str) -> &'a str {
    name.strip_prefix(prefix)
        .filter(|s| !s.is_empty())
        .unwrap_or(name)
}

fn title<'a>(app: &App, styles: &Styles) -> Line<'a> {
    let mut spans = vec![Span::styled(
        format!(
            " Alarms {}/{} ",
            app.alarms.visible_len(),
            app.alarms.total()
        ),
        styles.accent,
    )];
    let prefix = format!("{}-", app.env.prefix);
    if app.alarms.visible().any(|a| a.name.starts_with(&prefix)) {
        spans.push(Span::styled(format!("{prefix}* "), styles.dim));
    }
    spans.push(Span::styled(
        format!("sort: {} ", app.alarms.sort().label()),
        styles.dim,
    ));
    if !app.alarms.filter().is_empty() {
        spans.push(Span::styled(
            format!("filter: {} ", sanitize_line(app.alarms.filter())),
            styles.text,
        ));
    }
    if let Some(at) = app.alarms.fetched_at {
        spans.push(Span::styled(
            format!("updated {} ago ", short_duration(since(app.now(), at))),
            styles.dim,
        ));
    }
    Line::from(spans)
}
