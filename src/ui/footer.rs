//! The footer: the input line while typing, a flash message, or the keys
//! that matter on this screen.

use ratatui::{
    Frame,
    layout::Rect,
    text::{Line, Span},
    widgets::Paragraph,
};

use super::style::Styles;
use crate::app::{App, Mode, Tab};
use crate::term::sanitize_line;

/// Draws the footer into a one-row area.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, styles: &Styles) {
    let line = match &app.mode {
        Mode::Command(text) => input_line(":", text, styles),
        Mode::Filter(text) => input_line("/", text, styles),
        _ => match app.current_flash() {
            Some(flash) => Line::from(Span::styled(
                sanitize_line(&flash.text),
                if flash.is_error {
                    styles.error
                } else {
                    styles.accent
                },
            )),
            None => keys_line(app, styles),
        },
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn input_line<'a>(prompt: &'a str, text: &str, styles: &Styles) -> Line<'a> {
    Line::from(vec![
        Span::styled(prompt, styles.accent),
        Span::raw(sanitize_line(text)),
        Span::styled("█", styles.dim),
    ])
}

fn keys_line<'a>(app: &App, styles: &Styles) -> Line<'a> {
    let keys: &[(&str, &str)] = match app.tab {
        Tab::Alarms => &[
            ("j/k", "move"),
            ("/", "filter"),
            ("r", "refresh"),
            ("1-5", "tabs"),
            (":", "cmd"),
            ("?", "help"),
            ("q", "quit"),
        ],
        _ => &[("1-5", "tabs"), (":", "cmd"), ("?", "help"), ("q", "quit")],
    };
    let mut spans = Vec::new();
    for (key, what) in keys {
        spans.push(Span::styled(format!(" {key}"), styles.accent));
        spans.push(Span::styled(format!(" {what} "), styles.dim));
    }
    Line::from(spans)
}
