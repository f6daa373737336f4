//! The log-group browser: name, retention, stored bytes, KMS key and last
//! event of each group, the picked ones marked.

use ratatui::{
    Frame,
    layout::{Constraint, Rect},
    text::{Line, Span},
    widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState},
};

use crate::app::App;
use crate::app::tabs::logs::LogsTab;
use crate::app::tabs::logs::browser::GroupList;
use crate::report::format::{bytes_text, retention_text, short_duration, since};
use crate::sanitize::sanitize_line;
use crate::ui::style::Styles;

/// Widths below this drop the KMS column.
const WIDE: u16 = 110;
/// Columns of the KMS key id (its start tells keys apart).
const KEY_WIDTH: usize = 14;
/// Columns of the retention ("never expires" is the longest).
const RETENTION_WIDTH: usize = 13;
/// Columns of the stored bytes.
const STORED_WIDTH: usize = 10;
/// Columns of the last event's age.
const AGE_WIDTH: usize = 10;
/// Title and column header.
const CHROME_ROWS: u16 = 2;

/// Draws the browser; returns how many rows fit.
pub fn draw(tab: &LogsTab, frame: &mut Frame, area: Rect, app: &App, styles: &Styles) -> usize {
    let b = &tab.browser;
    let mut title = vec![Span::styled(" Log groups ", styles.accent)];
    if let GroupList::Loaded(groups) = &b.list {
        title.push(Span::styled(
            format!(
                "{} of {} · picked {}/10 ",
                b.visible_len(),
                groups.len(),
                b.picked().len()
            ),
            styles.dim,
        ));
    }
    if !b.filter().is_empty() {
        title.push(Span::styled(
            format!("· /{} ", sanitize_line(b.filter())),
            styles.dim,
        ));
    }
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(styles.border)
        .title(Line::from(title));
    let message = match &b.list {
        GroupList::NotAsked | GroupList::Loading => {
            Some(("  reading the log groups…".to_string(), styles.dim))
        }
        GroupList::Failed(e) => Some((
            format!("  cannot read the log groups: {e} (r retries)"),
            styles.error,
        )),
        GroupList::Loaded(groups) if groups.is_empty() => {
            Some(("  this account has no log groups".into(), styles.dim))
        }
        GroupList::Loaded(_) if b.visible_len() == 0 => Some((
            format!(
                "  no group matches '{}' (Esc clears the filter)",
                sanitize_line(b.filter())
            ),
            styles.dim,
        )),
        GroupList::Loaded(_) => None,
    };
    if let Some((text, style)) = message {
        frame.render_widget(Paragraph::new(text).style(style).block(block), area);
        return 0;
    }
    let wide = area.width >= WIDE;
    let fixed =
        3 + RETENTION_WIDTH + STORED_WIDTH + AGE_WIDTH + if wide { KEY_WIDTH + 1 } else { 0 } + 4;
    let name_width = usize::from(area.width).saturating_sub(fixed).max(8);
    let now = app.now();
    let height = usize::from(area.height.saturating_sub(CHROME_ROWS));
    let first = b.cursor().saturating_sub(height.saturating_sub(1));
    let rows = b
        .visible_groups()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, g)| {
            let picked = b.is_picked(&g.name);
            let mut cells = vec![
                Cell::from(Span::styled(
                    if picked { "[x]" } else { "[ ]" },
                    if picked { styles.accent } else { styles.dim },
                )),
                Cell::from(fit_middle(b.name(i), name_width)),
                Cell::from(retention_text(g.retention_days)),
                Cell::from(g.stored_bytes.map_or("-".into(), bytes_text)),
            ];
            if wide {
                cells.push(Cell::from(
                    g.kms_key_id.as_deref().map_or("-".into(), cut_key),
                ));
            }
            cells.push(Cell::from(g.last_event_at.map_or("-".into(), |t| {
                format!("{} ago", short_duration(since(now, t)))
            })));
            Row::new(cells)
        });
    let mut header = vec!["", "NAME", "RETENTION", "STORED"];
    let mut widths = vec![
        Constraint::Length(3),
        Constraint::Fill(1),
        Constraint::Length(RETENTION_WIDTH as u16),
        Constraint::Length(STORED_WIDTH as u16),
    ];
    if wide {
        header.push("KMS KEY");
        widths.push(Constraint::Length(KEY_WIDTH as u16));
    }
    header.push("LAST EVENT");
    widths.push(Constraint::Length(AGE_WIDTH as u16));
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(styles.dim))
        .row_highlight_style(styles.selected)
        .block(block);
    let mut state = TableState::default().with_selected(Some(b.cursor() - first));
    frame.render_stateful_widget(table, area, &mut state);
    height
}

/// The key id of a KMS key ARN, cut to [`KEY_WIDTH`].
fn cut_key(arn: &str) -> String {
    let id = sanitize_line(arn.rsplit('/').next().unwrap_or(arn));
    if id.chars().count() <= KEY_WIDTH {
        return id;
    }
    let mut out: String = id.chars().take(KEY_WIDTH - 1).collect();
    out.push('…');
    out
}

/// `name` in at most `width` columns: the middle gives way to `…`, so the
/// start (the service) and the end (the function) both stay readable.
fn fit_middle(name: &str, width: usize) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() <= width {
        return name.to_string();
    }
    let keep = width.saturating_sub(1);
    let head = keep / 3;
    let tail = keep - head;
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[chars.len() - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::fit_middle;

    #[test]
    fn long_names_lose_their_middle() {
        assert_eq!(fit_middle("/aws/batch/job", 20), "/aws/batch/job");
        assert_eq!(
            fit_middle("/aws/lambda/platform-analytics", 16),
            "/aws/…-analytics"
        );
    }
}
