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

/// The keys that matter on the current screen, most important first (the
/// line is cut at the screen's width; `?` lists them all).
fn screen_keys(app: &App) -> &'static [(&'static str, &'static str)] {
    match (&app.mode, &app.detail_view, app.tab) {
        (Mode::Ack(_), _, _) => &[("Enter", "ack"), ("Esc", "cancel")],
        (Mode::Silence(_), _, _) => &[
            ("←/→", "duration"),
            ("Tab", "note"),
            ("Enter", "silence"),
            ("Esc", "cancel"),
        ],
        (Mode::Confirm(_), _, _) => &[("Enter", "confirm"), ("Esc", "cancel")],
        (_, Some(_), _) => &[
            ("Esc", "back"),
            ("[ ]", "range"),
            ("j/k", "scroll"),
            ("a", "ack"),
            ("s", "silence"),
            ("u", "undo"),
            ("t", "test"),
            ("?", "help"),
        ],
        (_, None, Tab::Alarms) => &[
            ("Enter", "detail"),
            ("a", "ack"),
            ("s", "silence"),
            ("u", "undo"),
            ("t", "test"),
            ("/", "filter"),
            ("o", "sort"),
            ("?", "help"),
        ],
        (_, None, Tab::Overview) => &[
            ("j/k", "move"),
            ("Enter", "detail"),
            ("a", "ack"),
            ("s", "silence"),
            ("1-5", "tabs"),
            ("?", "help"),
            ("q", "quit"),
        ],
        _ => &[("1-5", "tabs"), (":", "cmd"), ("?", "help"), ("q", "quit")],
    }
}

fn keys_line<'a>(app: &App, styles: &Styles) -> Line<'a> {
    let keys = screen_keys(app);
    let mut spans = Vec::new();
    for (key, what) in keys {
        spans.push(Span::styled(format!(" {key}"), styles.accent));
        spans.push(Span::styled(format!(" {what} "), styles.dim));
    }
    Line::from(spans)
}
