//! Draws the Logs Insights query view: the query editor (framed, with the
//! groups and range in its title), the groups line, a status line (the
//! run's progress, or why it failed), then the results as a table with the
//! selected row, or as horizontal bars for `stats ... by bin()`; the
//! saved-query picker pops up over the results.

use ratatui::{
    Frame,
    layout::{Constraint, Layout, Position, Rect},
    style::Style,
    text::{Line, Span},
    widgets::{
        Block, Borders, Cell, Clear, List, ListItem, ListState, Paragraph, Row, Table, TableState,
    },
};
use unicode_width::UnicodeWidthStr;

use super::component::Drawable;
use super::dashboard::bars::{self, BarItem};
use super::style::Styles;
use crate::app::App;
use crate::app::insights_view::{Focus, InsightsView, RunView};
use crate::model::insights::{QueryResults, QueryStatus, QueryTable};
use crate::sanitize::sanitize_line;

/// Most lines the editor grows to before it scrolls.
const EDITOR_LINES: usize = 8;
/// Widest column of the table other than the last.
const MAX_COLUMN: usize = 32;

impl Drawable for InsightsView {
    fn draw(&self, frame: &mut Frame, area: Rect, _app: &App, styles: &Styles) -> usize {
        let editor_lines = self.query.lines().len().clamp(1, EDITOR_LINES) as u16;
        let [editor, groups, status, results] = Layout::vertical([
            Constraint::Length(editor_lines + 2),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(area);
        draw_editor(self, frame, editor, styles);
        draw_groups(self, frame, groups, styles);
        draw_status(self, frame, status, styles);
        let rows = draw_results(self, frame, results, styles);
        if self.focus == Focus::Picker {
            draw_picker(self, frame, results, styles);
        }
        rows
    }
}

fn draw_editor(view: &InsightsView, frame: &mut Frame, area: Rect, styles: &Styles) {
    let editing = view.focus == Focus::Query;
    let title = format!(
        " Logs Insights · last {} · {} ",
        view.range_name(),
        if editing {
            "editing: Ctrl-r runs, Esc leaves"
        } else {
            "e edits, Ctrl-r runs"
        }
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if editing {
            styles.accent
        } else {
            styles.border
        })
        .title(title);
    let inner = block.inner(area);
    let (row, col) = view.query.cursor();
    let height = usize::from(inner.height.max(1));
    let first = row.saturating_sub(height - 1);
    let lines: Vec<Line> = view
        .query
        .lines()
        .iter()
        .skip(first)
        .take(height)
        .map(|l| Line::styled(sanitize_line(l), styles.text))
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
    if editing {
        let before: String = view.query.lines()[row].chars().take(col).collect();
        place_cursor(frame, inner, (row - first) as u16, &before);
    }
}

fn draw_groups(view: &InsightsView, frame: &mut Frame, area: Rect, styles: &Styles) {
    let editing = view.focus == Focus::Groups;
    let label = " Groups: ";
    let text = sanitize_line(&view.groups.text());
    let shown = if text.is_empty() && !editing {
        Span::styled("(none: Tab in the editor to name them)", styles.dim)
    } else {
        Span::styled(text, if editing { styles.accent } else { styles.text })
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![Span::styled(label, styles.header), shown])),
        area,
    );
    if editing {
        let before: String = view.groups.lines()[0]
            .chars()
            .take(view.groups.cursor().1)
            .collect();
        let start = area.x + label.width() as u16;
        let inner = Rect::new(start, area.y, area.width.saturating_sub(start - area.x), 1);
        place_cursor(frame, inner, 0, &before);
    }
}

/// Puts the terminal cursor after `before` on line `row` of `inner`.
fn place_cursor(frame: &mut Frame, inner: Rect, row: u16, before: &str) {
    let x = inner.x + (sanitize_line(before).width() as u16).min(inner.width.saturating_sub(1));
    frame.set_cursor_position(Position::new(x, inner.y + row));
}

fn draw_status(view: &InsightsView, frame: &mut Frame, area: Rect, styles: &Styles) {
    let (text, style) = match &view.state {
        RunView::Idle => (
            " Ctrl-r runs the query · o opens a saved one · [ ] change the range".to_string(),
            styles.dim,
        ),
        RunView::Running(None) => (
            " Starting the query… (x stops it)".to_string(),
            styles.accent,
        ),
        RunView::Running(Some(r)) => (format!(" {} (x stops it)", r.summary()), styles.accent),
        RunView::Finished(r) if r.status == QueryStatus::Complete => {
            (format!(" {}", r.summary()), styles.text)
        }
        RunView::Finished(r) => (format!(" {}", r.summary()), styles.error),
        RunView::Failed(message) => (format!(" {}", sanitize_line(message)), styles.error),
    };
    frame.render_widget(Paragraph::new(text).style(style), area);
}

/// Draws the results; returns how many rows fit (for paging).
fn draw_results(view: &InsightsView, frame: &mut Frame, area: Rect, styles: &Styles) -> usize {
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(styles.border)
        .title(" Results ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(results) = view.results() else {
        return 0;
    };
    if results.table.rows.is_empty() {
        let text = if results.status.is_finished() {
            "  no results"
        } else {
            "  no rows yet"
        };
        frame.render_widget(Paragraph::new(text).style(styles.dim), inner);
        return 0;
    }
    if view.show_chart
        && let Some((bin, value)) = &view.chart
        && let Some(items) = chart_items(results, bin, value, styles.accent)
    {
        let [caption, plot] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
        frame.render_widget(
            Paragraph::new(format!(
                " {} per {} (v: table)",
                sanitize_line(value),
                sanitize_line(bin)
            ))
            .style(styles.dim),
            caption,
        );
        let high = items.iter().filter_map(|i| i.value).fold(0.0, f64::max);
        bars::draw(plot, frame.buffer_mut(), &items, (0.0, high), styles.dim);
        return usize::from(plot.height);
    }
    draw_table(&results.table, view.selected(), frame, inner, styles)
}

/// One bar per bin, oldest first, labelled with the bin's time of day
/// (and date when the bins span days).
fn chart_items(
    results: &QueryResults,
    bin: &str,
    value: &str,
    style: Style,
) -> Option<Vec<BarItem>> {
    let table = &results.table;
    let b = table.columns.iter().position(|c| c == bin)?;
    let v = table.columns.iter().position(|c| c == value)?;
    let mut points: Vec<(&str, &str)> = table
        .rows
        .iter()
        .map(|r| (r[b].as_str(), r[v].as_str()))
        .collect();
    points.sort_by(|x, y| x.0.cmp(y.0));
    let one_day = points.first().map(|p| p.0.get(..10)) == points.last().map(|p| p.0.get(..10));
    Some(
        points
            .into_iter()
            .map(|(time, number)| BarItem {
                label: sanitize_line(if one_day {
                    time.get(11..16).unwrap_or(time)
                } else {
                    time.get(5..16).unwrap_or(time)
                }),
                value: number.trim().parse().ok(),
                value_text: sanitize_line(number),
                style,
            })
            .collect(),
    )
}

fn draw_table(
    table: &QueryTable,
    selected: usize,
    frame: &mut Frame,
    area: Rect,
    styles: &Styles,
) -> usize {
    let (header, rows) = super::dashboard::log_table::sanitized(&table.columns, &table.rows);
    let widths = super::dashboard::log_table::column_widths(&header, &rows, MAX_COLUMN);
    let header = Row::new(header.into_iter().map(Cell::from)).style(styles.header);
    let body = rows
        .into_iter()
        .map(|r| Row::new(r.into_iter().map(Cell::from)).style(styles.text));
    let mut state = TableState::default().with_selected(Some(selected));
    frame.render_stateful_widget(
        Table::new(body, widths)
            .header(header)
            .column_spacing(2)
            .row_highlight_style(styles.selected),
        area,
        &mut state,
    );
    usize::from(area.height.saturating_sub(1))
}

fn draw_picker(view: &InsightsView, frame: &mut Frame, over: Rect, styles: &Styles) {
    let saved = view.saved();
    let width = saved
        .iter()
        .map(|q| q.name.width() + 4)
        .max()
        .unwrap_or(20)
        .max(30)
        .min(usize::from(over.width)) as u16;
    let height = (saved.len() as u16 + 2).min(over.height);
    let below_title = over.y + u16::from(over.height > 1);
    let height = height.min(over.bottom() - below_title);
    let popup = Rect::new(
        over.x + 2.min(over.width.saturating_sub(width)),
        below_title,
        width,
        height,
    );
    frame.render_widget(Clear, popup);
    let items: Vec<ListItem> = saved
        .iter()
        .map(|q| {
            ListItem::new(Line::styled(
                format!(" {}", sanitize_line(&q.name)),
                styles.text,
            ))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(view.picked));
    frame.render_stateful_widget(
        List::new(items)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(styles.accent)
                    .title(" Saved queries (Enter loads) "),
            )
            .highlight_style(styles.selected),
        popup,
        &mut state,
    );
}
