//! A `log` widget: its Insights results as a table (columns sized to their
//! contents, the last one taking what is left), or as bars when the view
//! is `bar`/`pie` and the results are a label and a number; "query
//! pending" until they arrive.

use ratatui::{
    buffer::Buffer,
    layout::{Constraint, Rect},
    widgets::{Cell, Paragraph, Row, Table, Widget, Wrap},
};
use unicode_width::UnicodeWidthStr;

use super::bars::{self, BarItem};
use super::palette::Look;
use crate::model::dashboard::{LogResult, LogTable, LogView, LogWidget};
use crate::sanitize::sanitize_line;

/// Widest column other than the last.
const MAX_COLUMN: usize = 30;

/// Draws `result` (absent: not started) of a log widget.
pub fn draw(
    area: Rect,
    buf: &mut Buffer,
    widget: &LogWidget,
    result: Option<&LogResult>,
    look: &Look,
) {
    let styles = &look.styles;
    let table = match result {
        None | Some(LogResult::Pending) => {
            let state = if result.is_some() {
                "query pending"
            } else {
                "query not run"
            };
            let groups = widget
                .log_groups
                .iter()
                .chain(&widget.group_selections)
                .map(|g| sanitize_line(g))
                .collect::<Vec<_>>()
                .join(", ");
            let text = if groups.is_empty() {
                state.to_string()
            } else {
                format!("{state}: {groups}")
            };
            Paragraph::new(text)
                .style(styles.dim)
                .wrap(Wrap { trim: true })
                .render(area, buf);
            return;
        }
        Some(LogResult::Failed(message)) => {
            Paragraph::new(format!("query failed: {}", sanitize_line(message)))
                .style(styles.error)
                .wrap(Wrap { trim: true })
                .render(area, buf);
            return;
        }
        Some(LogResult::Unavailable(why)) => {
            Paragraph::new(format!(
                "{} · query: {}",
                sanitize_line(why),
                sanitize_line(&widget.query)
            ))
            .style(styles.dim)
            .wrap(Wrap { trim: true })
            .render(area, buf);
            return;
        }
        Some(LogResult::Rows(table)) => table,
    };
    if table.rows.is_empty() {
        Paragraph::new("no results")
            .style(styles.dim)
            .render(area, buf);
        return;
    }
    if matches!(widget.view, LogView::Bar | LogView::Pie)
        && let Some(items) = as_bars(table, look)
    {
        let high = items.iter().filter_map(|i| i.value).fold(0.0, f64::max);
        bars::draw(area, buf, &items, (0.0, high), styles.dim);
        return;
    }
    draw_table(area, buf, table, look);
}

/// The cells of a results table, sanitised for the terminal.
pub fn sanitized(columns: &[String], rows: &[Vec<String>]) -> (Vec<String>, Vec<Vec<String>>) {
    let clean =
        |cells: &[String]| -> Vec<String> { cells.iter().map(|c| sanitize_line(c)).collect() };
    (clean(columns), rows.iter().map(|r| clean(r)).collect())
}

/// Column widths of a results table: each as wide as its widest cell, at
/// most `max`, the last one taking the rest.
pub fn column_widths(header: &[String], rows: &[Vec<String>], max: usize) -> Vec<Constraint> {
    (0..header.len())
        .map(|i| {
            if i + 1 == header.len() {
                return Constraint::Fill(1);
            }
            let widest = rows
                .iter()
                .filter_map(|r| r.get(i))
                .chain(std::iter::once(&header[i]))
                .map(|c| c.width())
                .max()
                .unwrap_or(1)
                .min(max);
            Constraint::Length(widest as u16)
        })
        .collect()
}

fn draw_table(area: Rect, buf: &mut Buffer, table: &LogTable, look: &Look) {
    let styles = &look.styles;
    let (header, rows) = sanitized(&table.columns, &table.rows);
    let widths = column_widths(&header, &rows, MAX_COLUMN);
    let header = Row::new(header.into_iter().map(Cell::from)).style(styles.accent);
    let body = rows
        .into_iter()
        .map(|r| Row::new(r.into_iter().map(Cell::from)).style(styles.text));
    Table::new(body, widths)
        .header(header)
        .column_spacing(1)
        .render(area, buf);
}

/// Results of two columns whose second is a number, as bars.
fn as_bars(table: &LogTable, look: &Look) -> Option<Vec<BarItem>> {
    if table.columns.len() != 2 {
        return None;
    }
    table
        .rows
        .iter()
        .map(|row| {
            let value: f64 = row.get(1)?.trim().parse().ok()?;
            Some(BarItem {
                label: sanitize_line(row.first()?),
                value: Some(value),
                value_text: sanitize_line(&row[1]),
                style: look.line(0, None),
            })
        })
        .collect()
}
