//! The footer: the input line while typing, a flash message, or the keys
//! that matter on this screen.

use ratatui::{
    Frame,
    layout::Rect,
    text::{Line, Span},
    widgets::Paragraph,
};

use super::style::Styles;
use crate::app::component::KeyHelp;
use crate::app::{App, Mode};
use crate::sanitize::sanitize_line;

/// Draws the footer into a one-row area.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, styles: &Styles) {
    let line = match &app.mode {
        Mode::Command(text) => input_line(":", text, styles),
        Mode::Filter(text) => {
            let mut line = input_line(app.focused().filter_label(), text, styles);
            if app.filter_selected {
                line.spans[1].style = styles.selected;
            }
            line
        }
        _ => match app.current_flash() {
            Some(flash) => Line::from(Span::styled(
                sanitize_line(&flash.text),
                if flash.is_error {
                    styles.error
                } else {
                    styles.accent
                },
            )),
            None => keys_line(app.footer_keys(), styles),
        },
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// An input line: its prompt, what was typed and the cursor (the across-env
/// wall's `/` line draws it too).
pub(crate) fn input_line<'a>(prompt: &'a str, text: &str, styles: &Styles) -> Line<'a> {
    Line::from(vec![
        Span::styled(prompt, styles.accent),
        Span::raw(sanitize_line(text)),
        Span::styled("█", styles.dim),
    ])
}

/// The keys that matter on the current screen (from the focused component,
/// the open dialog or the across-env wall), most important first (the line
/// is cut at the screen's width; `?` lists them all).
pub(crate) fn keys_line<'a>(keys: &[&KeyHelp], styles: &Styles) -> Line<'a> {
    let mut spans = Vec::new();
    for help in keys {
        spans.push(Span::styled(format!(" {}", help.short), styles.accent));
        spans.push(Span::styled(format!(" {} ", help.hint), styles.dim));
    }
    Line::from(spans)
}
