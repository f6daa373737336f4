//! The Alarms tab: every alarm (metric and composite), ALARM first by
//! default, with state, name, metric, threshold, time in state, how many
//! times it entered ALARM in the last 24 hours (FLAPS), ack and silence
//! markers (with the silence radar), and reason. Only the rows on screen are built, from
//! text sanitised when the list arrived.

use ratatui::{
    Frame,
    layout::{Constraint, Rect},
    text::{Line, Span},
    widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState},
};

use crate::app::App;
use crate::app::alarm_list::AlarmList;
use crate::app::tabs::alarms::AlarmsTab;
use crate::model::AlarmState;
use crate::model::ack::UNRECOGNISED_SILENCE;
use crate::report::format::{short_duration, since};
use crate::sanitize::sanitize_line;
use crate::ui::component::Drawable;
use crate::ui::marks;
use crate::ui::style::Styles;

/// Widths below this drop the metric column.
pub(crate) const WIDE: u16 = 100;

/// Widest the ack/silence column gets: fits `unrecognised silence record`
/// (the column is only as wide as the widest marker shown, so the usual
/// `silence overdue` or `✔name ⊘ 1h 05m` keep it at 15).
const MARK_WIDTH: u16 = UNRECOGNISED_SILENCE.len() as u16;

/// Rows of the table area that are not alarm rows: the title line and the
/// column header.
pub(crate) const CHROME_ROWS: u16 = 2;

impl Drawable for AlarmsTab {
    /// Draws the alarm table; returns how many rows fit (for paging).
    fn draw(&self, frame: &mut Frame, area: Rect, app: &App, styles: &Styles) -> usize {
        let block = Block::default()
            .borders(Borders::TOP)
            .border_style(styles.border)
            .title(title(self, app, styles));
        if self.fetched_at().is_none() {
            let text = Paragraph::new("  waiting for the first answer from the account…")
                .style(styles.dim)
                .block(block);
            frame.render_widget(text, area);
            return 0;
        }
        if self.visible_len() == 0 {
            let msg = if self.total() == 0 {
                "  this account has no alarms".to_string()
            } else {
                format!(
                    "  no alarm matches '{}' (Esc clears the filter)",
                    sanitize_line(self.filter_text())
                )
            };
            frame.render_widget(Paragraph::new(msg).style(styles.dim).block(block), area);
            return 0;
        }
        let wide = area.width >= WIDE;
        let list = self.list();
        let marks_width = marks_width(self, app, styles);
        let height = usize::from(area.height.saturating_sub(CHROME_ROWS));
        let first = self
            .selected_index()
            .saturating_sub(height.saturating_sub(1));
        let rows = self
            .rows()
            .iter()
            .skip(first)
            .take(height)
            .map(|&i| Row::new(row_cells(app, list, i, wide, styles)));
        let (header, widths) = columns(wide, marks_width);
        let table = Table::new(rows, widths)
            .header(Row::new(header).style(styles.accent))
            .row_highlight_style(styles.selected)
            .block(block)
            .column_spacing(1);
        let mut state = TableState::default().with_selected(Some(self.selected_index() - first));
        frame.render_stateful_widget(table, area, &mut state);
        height
    }
}

/// The cells of the row of alarm `i` of `list` (the list of `app`'s env):
/// state, name, metric (when `wide`), threshold, time in state, flaps,
/// ack/silence marks, reason. The across-env wall puts its ENV cell first.
pub(crate) fn row_cells<'a>(
    app: &App,
    list: &'a AlarmList,
    i: usize,
    wide: bool,
    styles: &Styles,
) -> Vec<Cell<'a>> {
    let now = app.now();
    let alarm = list.get(i);
    let text = list.text(i);
    let mut cells = vec![
        Cell::from(Span::styled(
            state_label(alarm.state),
            styles.state(alarm.state),
        )),
        Cell::from(text.short_name.as_str()),
    ];
    if wide {
        cells.push(Cell::from(text.metric.as_str()));
    }
    cells.push(Cell::from(text.condition.as_str()));
    cells.push(Cell::from(short_duration(since(
        now,
        alarm.in_state_since(),
    ))));
    cells.push(Cell::from(flaps_text(app, &alarm.name)));
    cells.push(Cell::from(Line::from(marks::row_spans(
        alarm,
        app.annotations.get(&alarm.name),
        app.ended_silences.get(&alarm.name).copied(),
        now,
        styles,
    ))));
    cells.push(Cell::from(text.reason.as_str()).style(styles.dim));
    cells
}

/// The titles and widths of the columns [`row_cells`] fills, the
/// ack/silence column `marks_width` wide.
pub(crate) fn columns(wide: bool, marks_width: u16) -> (Vec<&'static str>, Vec<Constraint>) {
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
    header.extend(["THRESHOLD", "IN STATE", "FLAPS", marks_header, "REASON"]);
    widths.extend([
        Constraint::Length(10),
        Constraint::Length(8),
        Constraint::Length(5),
        Constraint::Length(marks_width),
        Constraint::Fill(1),
    ]);
    (header, widths)
}

/// The ack/silence column fits the widest marker of any alarm passing the
/// filter (not only those on screen, so it does not jump while scrolling).
/// Only annotated alarms have markers, so only they are looked at.
pub(crate) fn marks_width(tab: &AlarmsTab, app: &App, styles: &Styles) -> u16 {
    let list = tab.list();
    let now = app.now();
    let ended = |name: &str| app.ended_silences.get(name).copied();
    let annotated = app.annotations.keys().chain(app.ended_silences.keys());
    annotated
        .filter_map(|name| {
            let i = list.index_of(name).filter(|&i| tab.is_shown(i))?;
            let annotation = app.annotations.get(name);
            let spans = marks::row_spans(list.get(i), annotation, ended(name), now, styles);
            Some(Line::from(spans).width())
        })
        .max()
        .unwrap_or(0)
        .clamp(3, MARK_WIDTH as usize) as u16
}

/// How many times the alarm entered ALARM in the last 24 hours; `…`
/// until the history has been read.
fn flaps_text(app: &App, name: &str) -> String {
    app.flaps
        .as_ref()
        .map_or("…".into(), |f| f.of(name).to_string())
}

/// Short state names so the table keeps room for names and reasons.
fn state_label(state: AlarmState) -> &'static str {
    match state {
        AlarmState::Alarm => "ALARM",
        AlarmState::InsufficientData => "INSUFF",
        AlarmState::Ok => "OK",
    }
}

fn title<'a>(tab: &AlarmsTab, app: &App, styles: &Styles) -> Line<'a> {
    let mut spans = vec![Span::styled(
        format!(" Alarms {}/{} ", tab.visible_len(), tab.total()),
        styles.accent,
    )];
    let prefix = format!("{}-", app.env.prefix);
    if tab.visible().any(|a| a.name.starts_with(&prefix)) {
        spans.push(Span::styled(format!("{prefix}* "), styles.dim));
    }
    spans.push(Span::styled(
        format!("sort: {} ", tab.sort().label()),
        styles.dim,
    ));
    if !tab.filter_text().is_empty() {
        spans.push(Span::styled(
            format!("filter: {} ", sanitize_line(tab.filter_text())),
            styles.text,
        ));
    }
    if let Some(at) = tab.fetched_at() {
        spans.push(Span::styled(
            format!("updated {} ago ", short_duration(since(app.now(), at))),
            styles.dim,
        ));
    }
    Line::from(spans)
}
