//! The Logs tab's drawing: the group browser or the tail, whichever
//! sub-view is shown.

mod browser;
mod tail;

use ratatui::{
    Frame,
    layout::Rect,
    style::{Color, Modifier, Style},
};

use crate::app::App;
use crate::app::tabs::logs::{LogsTab, LogsView};
use crate::ui::component::Drawable;
use crate::ui::style::Styles;

impl Drawable for LogsTab {
    fn draw(&self, frame: &mut Frame, area: Rect, app: &App, styles: &Styles) -> usize {
        match self.view {
            LogsView::Groups => browser::draw(self, frame, area, app, styles),
            LogsView::Tail => tail::draw(self, frame, area, app, styles),
            LogsView::Insights => self.insights.draw(frame, area, app, styles),
        }
    }
}

/// Colours told apart on dark and light backgrounds, one per group.
const GROUP_COLOURS: [Color; 10] = [
    Color::Cyan,
    Color::Magenta,
    Color::Yellow,
    Color::Green,
    Color::Blue,
    Color::LightRed,
    Color::LightCyan,
    Color::LightMagenta,
    Color::LightGreen,
    Color::LightBlue,
];

/// The style of group number `index` (bold in a monochrome theme, where
/// the label tells groups apart).
pub fn group_style(app: &App, styles: &Styles, index: usize) -> Style {
    if app.theme.monochrome {
        return styles.text.add_modifier(Modifier::BOLD);
    }
    styles.text.fg(GROUP_COLOURS[index % GROUP_COLOURS.len()])
}
