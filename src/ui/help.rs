//! The `?` overlay: the keys of the screen in focus (from its component),
//! the keys that work everywhere, and every `:` command. When the screen is
//! too short for one command a line, the commands share a wrapped line;
//! when the keys still do not fit, j/k and PgUp/PgDn scroll them.

use ratatui::{
    Frame,
    layout::Rect,
    text::{Line, Span},
    widgets::{Block, Borders, Clear, Paragraph, Wrap},
};

use super::dialog::centered;
use super::style::Styles;
use crate::app::{App, command::COMMANDS};

/// Width of the overlay.
const WIDTH: u16 = 72;

/// Draws the help overlay centred in `area`, scrolled down `scroll` lines
/// (as far as there is more).
pub fn draw(frame: &mut Frame, area: Rect, app: &App, scroll: u16, styles: &Styles) {
    let mut lines: Vec<Line> = app
        .help_keys()
        .map(|help| entry(help.keys, help.what, styles))
        .collect();
    let full = lines.len() + COMMANDS.len() + 2 + 2;
    if full <= usize::from(area.height) {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Commands", styles.accent));
        lines.extend(COMMANDS.iter().map(|(k, w)| entry(k, w, styles)));
    } else {
        let mut spans = vec![Span::styled(" Commands: ", styles.accent)];
        let names: Vec<&str> = COMMANDS.iter().map(|(k, _)| *k).collect();
        spans.push(Span::styled(names.join(" · "), styles.text));
        lines.push(Line::from(spans));
    }
    let height = (lines.len() as u16 + 3).min(area.height);
    let popup = centered(area, WIDTH, height);
    frame.render_widget(Clear, popup);
    let inside = usize::from(height.saturating_sub(2));
    let text_width = usize::from(popup.width.saturating_sub(2)).max(1);
    let rows: usize = lines
        .iter()
        .map(|line| line.width().div_ceil(text_width).max(1))
        .sum();
    let more = rows.saturating_sub(inside);
    let scroll = usize::from(scroll).min(more);
    let title = if more > 0 {
        format!(
            " Help · j/k PgUp/PgDn scroll ({}/{rows}) · other keys close ",
            scroll + inside.min(rows)
        )
    } else {
        " Help · any key closes ".to_string()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(styles.border)
        .title(title);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll as u16, 0)),
        popup,
    );
}

fn entry<'a>(keys: &'a str, what: &'a str, styles: &Styles) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!(" {keys:<25}"), styles.accent),
        Span::styled(what, styles.text),
    ])
}
