//! The tab bar.

use ratatui::{
    Frame,
    layout::Rect,
    text::{Line, Span},
    widgets::Paragraph,
};

use super::style::Styles;
use crate::app::{App, Tab};

/// Draws `1 Overview  2 Alarms ...` with the current tab highlighted.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, styles: &Styles) {
    let mut spans = Vec::new();
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, tab.title());
        let style = if *tab == app.tab {
            styles.selected
        } else {
            styles.dim
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
