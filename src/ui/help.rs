//! The `?` overlay: every key and every `:` command.

use ratatui::{
    Frame,
    layout::{Constraint, Layout, Rect},
    text::{Line, Span},
    widgets::{Block, Borders, Clear, Paragraph},
};

use super::style::Styles;
use crate::app::{command::COMMANDS, keys::HELP};

/// Draws the help overlay centred in `area`.
pub fn draw(frame: &mut Frame, area: Rect, styles: &Styles) {
    let mut lines: Vec<Line> = HELP.iter().map(|(k, w)| entry(k, w, styles)).collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled("Commands", styles.accent));
    lines.extend(COMMANDS.iter().map(|(k, w)| entry(k, w, styles)));
    lines.push(Line::raw(""));
    lines.push(Line::styled("any key closes this help", styles.dim));
    let height = (lines.len() as u16 + 2).min(area.height);
    let width = 64.min(area.width);
    let [_, mid, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(height),
        Constraint::Fill(1),
    ])
    .areas(area);
    let [_, popup, _] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(width),
        Constraint::Fill(1),
    ])
    .areas(mid);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(styles.border)
        .title(" Help ");
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}

fn entry<'a>(keys: &'a str, what: &'a str, styles: &Styles) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!(" {keys:<26}"), styles.accent),
        Span::styled(what, styles.text),
    ])
}
