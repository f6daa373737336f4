//! The CloudTrail tab: the search form on top (two columns of fields, the
//! one being edited highlighted with a cursor), the results table below
//! (time, user, event, what it changed, source, source IP, error code; a
//! date on a narrow screen for a row of another day; failed calls
//! in the error colour) with the search's progress, error or "more
//! available" marker in its title; or one event's detail over the whole
//! body. Everything drawn was sanitised when it arrived.

use ratatui::{
    Frame,
    layout::{Constraint, Layout, Rect},
    style::Style,
    text::{Line, Span},
    widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState, Wrap},
};

use crate::app::App;
use crate::app::tabs::cloudtrail::{Focus, TrailRow, TrailTab, utc_day};
use crate::app::trail_detail::TrailDetail;
use crate::app::trail_form::{Field, TrailForm};
use crate::data::trail_search::Cutoff;
use crate::model::trail::COLUMNS;
use crate::sanitize::sanitize_line;
use crate::ui::component::Drawable;
use crate::ui::style::Styles;

/// Widths from which the table has every column and full dates.
const WIDE: u16 = 110;
/// Height of the form: its title line and five rows of two fields.
const FORM_HEIGHT: u16 = 6;
/// Below this body height the form gives way to the results, unless it is
/// being edited.
const FORM_MIN_BODY: u16 = 14;
/// Width of a field label.
const LABEL: usize = 11;
/// Rows of the table that are not event rows: the column header.
const HEADER_ROWS: u16 = 1;

impl Drawable for TrailTab {
    /// Draws the form and results, or the open event; returns how many
    /// rows (or detail lines) a page moves.
    fn draw(&self, frame: &mut Frame, area: Rect, app: &App, styles: &Styles) -> usize {
        if let (Focus::Detail, Some(detail)) = (self.focus(), self.detail()) {
            draw_detail(frame, area, detail, styles);
            return usize::from(area.height / 2);
        }
        let editing = self.focus() == Focus::Form;
        let form_height = if area.height >= FORM_MIN_BODY || editing {
            FORM_HEIGHT.min(area.height)
        } else {
            0
        };
        let [form_area, results_area] =
            Layout::vertical([Constraint::Length(form_height), Constraint::Fill(1)]).areas(area);
        if form_height > 0 {
            draw_form(frame, form_area, self.form(), editing, styles);
        }
        draw_results(frame, results_area, self, app, styles)
    }
}

fn top_block<'a>(title: Line<'a>, styles: &Styles) -> Block<'a> {
    Block::default()
        .borders(Borders::TOP)
        .border_style(styles.border)
        .title(title)
}

fn draw_form(frame: &mut Frame, area: Rect, form: &TrailForm, editing: bool, styles: &Styles) {
    let hint = if editing {
        "editing: type · Tab next field · Enter search · Esc done "
    } else {
        "e edit · Enter search · I L M D T R presets "
    };
    let title = Line::from(vec![
        Span::styled(" Search ", styles.accent),
        Span::styled(hint, styles.dim),
    ]);
    let block = top_block(title, styles);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Fill(1)]).areas(inner);
    let (first, second) = Field::ALL.split_at(Field::ALL.len() / 2);
    for (column, fields) in [(left, first), (right, second)] {
        let lines: Vec<Line> = fields
            .iter()
            .map(|&field| field_line(form, field, editing, styles))
            .collect();
        frame.render_widget(Paragraph::new(lines), column);
    }
}

fn field_line<'a>(form: &TrailForm, field: Field, editing: bool, styles: &Styles) -> Line<'a> {
    let focused = editing && form.focus() == field;
    let value = sanitize_line(&form.value(field));
    let mut spans = vec![Span::styled(
        format!(" {:<LABEL$}", field.label()),
        styles.accent,
    )];
    let blank = value.is_empty();
    let shown = if field.is_choice() || !blank {
        value
    } else {
        "·".to_string()
    };
    let style = match (focused, blank && !field.is_choice()) {
        (true, _) => styles.selected,
        (false, true) => styles.dim,
        (false, false) => styles.text,
    };
    spans.push(Span::styled(shown, style));
    if focused {
        let cursor = if field.is_choice() { " ◂▸" } else { "█" };
        spans.push(Span::styled(cursor, styles.accent));
    }
    Line::from(spans)
}

fn draw_results(
    frame: &mut Frame,
    area: Rect,
    tab: &TrailTab,
    app: &App,
    styles: &Styles,
) -> usize {
    let block = top_block(results_title(tab, styles), styles);
    if tab.visible_len() == 0 {
        let message = empty_message(tab);
        let style = if tab.error().is_some() {
            styles.error
        } else {
            styles.dim
        };
        frame.render_widget(
            Paragraph::new(message)
                .style(style)
                .block(block)
                .wrap(Wrap { trim: false }),
            area,
        );
        return 0;
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut table_area = inner;
    if let Some(error) = tab.error() {
        let [line, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
        frame.render_widget(
            Paragraph::new(format!(" {}", sanitize_line(error))).style(styles.error),
            line,
        );
        table_area = rest;
    }
    let wide = area.width >= WIDE;
    let height = usize::from(table_area.height.saturating_sub(HEADER_ROWS));
    let first = tab
        .selected_index()
        .saturating_sub(height.saturating_sub(1));
    let today = utc_day(app.now());
    let dated = tab
        .visible()
        .skip(first)
        .take(height)
        .any(|row| row.day.is_some_and(|d| d != today));
    let rows = tab
        .visible()
        .skip(first)
        .take(height)
        .map(|row| table_row(row, wide, today, styles));
    let (header, widths) = columns(wide, dated);
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(styles.accent))
        .row_highlight_style(styles.selected)
        .column_spacing(1);
    let mut state = TableState::default().with_selected(Some(tab.selected_index() - first));
    frame.render_stateful_widget(table, table_area, &mut state);
    height
}

/// The headers and widths of the table: the region is left out (it is
/// in the event's detail); a narrow one also leaves out the source and
/// its IP, and its time column has room for a date when a row is from
/// another day.
fn columns(wide: bool, dated: bool) -> (Vec<&'static str>, Vec<Constraint>) {
    if wide {
        (
            vec![
                COLUMNS[0], COLUMNS[1], COLUMNS[2], COLUMNS[3], COLUMNS[4], COLUMNS[5], COLUMNS[7],
            ],
            vec![
                Constraint::Length(14),
                Constraint::Length(10),
                Constraint::Length(22),
                Constraint::Fill(3),
                Constraint::Length(9),
                Constraint::Length(13),
                Constraint::Fill(2),
            ],
        )
    } else {
        (
            vec!["TIME", COLUMNS[1], COLUMNS[2], COLUMNS[3], COLUMNS[7]],
            vec![
                Constraint::Length(if dated { 11 } else { 8 }),
                Constraint::Length(10),
                Constraint::Length(16),
                Constraint::Fill(1),
                Constraint::Fill(1),
            ],
        )
    }
}

fn table_row<'a>(row: &'a TrailRow, wide: bool, today: i64, styles: &Styles) -> Row<'a> {
    let failed: Style = if row.error.is_some() {
        styles.error
    } else {
        styles.text
    };
    let time = match (wide, row.day) {
        (true, _) => row.time.as_str(),
        (false, Some(day)) if day != today => row.dated_clock.as_str(),
        (false, _) => row.clock.as_str(),
    };
    let mut cells = vec![
        Cell::from(time).style(styles.dim),
        Cell::from(row.user.as_str()),
        Cell::from(row.event.as_str()).style(failed),
        Cell::from(row.resource.as_str()),
    ];
    if wide {
        cells.push(Cell::from(row.source.as_str()));
        cells.push(Cell::from(row.source_ip.as_str()));
    }
    cells.push(Cell::from(row.error.as_deref().unwrap_or("")).style(styles.error));
    Row::new(cells)
}

fn results_title<'a>(tab: &TrailTab, styles: &Styles) -> Line<'a> {
    let mut spans = vec![Span::styled(" Events ", styles.accent)];
    if let Some(found) = tab.found() {
        spans.push(Span::styled(
            format!("{}/{} ", tab.visible_len(), tab.total()),
            styles.accent,
        ));
        spans.push(Span::styled(
            format!("sort: {} ", tab.sort().label()),
            styles.dim,
        ));
        if let Some(cutoff) = found.cutoff {
            let why = match cutoff {
                Cutoff::Limit => format!("stopped at {} events", found.records.len()),
                Cutoff::PageCap => format!("stopped after {} pages", found.pages),
            };
            spans.push(Span::styled(
                format!("· more available ({why}; narrow the search) "),
                styles.error,
            ));
        }
    }
    if !tab.filter_text().is_empty() {
        spans.push(Span::styled(
            format!("filter: {} ", sanitize_line(tab.filter_text())),
            styles.text,
        ));
    }
    if let Some(p) = tab.running() {
        spans.push(Span::styled(
            format!(
                "searching… {} pages, {} events read, {} found ",
                p.pages, p.scanned, p.matched
            ),
            styles.accent,
        ));
    }
    Line::from(spans)
}

fn empty_message(tab: &TrailTab) -> String {
    if let Some(error) = tab.error() {
        return format!("  search failed: {}", sanitize_line(error));
    }
    if tab.running().is_some() {
        return "  searching…".to_string();
    }
    match tab.found() {
        None => "  Enter searches the last day; e edits the search; \
                 I L M D T R search with a preset (iam-changes, console-logins, \
                 no-mfa-logins, denied, trail-tampering, root)."
            .to_string(),
        Some(_) if tab.total() > 0 => format!(
            "  no event matches '{}' (Esc clears the filter)",
            sanitize_line(tab.filter_text())
        ),
        Some(_) => "  no event matches this search".to_string(),
    }
}

fn draw_detail(frame: &mut Frame, area: Rect, detail: &TrailDetail, styles: &Styles) {
    let title = Line::from(vec![
        Span::styled(format!(" {} ", detail.title), styles.accent),
        Span::styled("Esc back · j/k scroll ", styles.dim),
    ]);
    let mut lines: Vec<Line> = detail
        .facts
        .iter()
        .map(|(label, value)| {
            Line::from(vec![
                Span::styled(format!("{label:<LABEL$} "), styles.accent),
                Span::styled(value.as_str(), styles.text),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.extend(
        detail
            .json
            .iter()
            .map(|l| Line::styled(l.as_str(), styles.text)),
    );
    frame.render_widget(
        Paragraph::new(lines)
            .block(top_block(title, styles))
            .wrap(Wrap { trim: false })
            .scroll((detail.scroll, 0)),
        area,
    );
}
