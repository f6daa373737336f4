//! What a tab shows while the feature behind it has not landed yet: a plain
//! statement, never fake data.

use ratatui::{
    Frame,
    layout::Rect,
    text::Line,
    widgets::{Block, Borders, Paragraph, Wrap},
};

use crate::app::tabs::placeholder::PlaceholderTab;
use crate::app::{App, Tab};
use crate::ui::component::Drawable;
use crate::ui::style::Styles;

impl Drawable for PlaceholderTab {
    /// Draws the "not in this build" notice for the current tab.
    fn draw(&self, frame: &mut Frame, area: Rect, app: &App, styles: &Styles) -> usize {
        let tab = app.tab;
        let what = match tab {
            Tab::Dashboards => "rendering CloudWatch dashboards from their JSON bodies",
            Tab::Logs => "log tail, filter patterns and Logs Insights",
            Tab::CloudTrail => "CloudTrail event search and quick filters",
            Tab::Overview | Tab::Alarms => "nothing more: this tab is drawn elsewhere",
        };
        let text = vec![
            Line::styled(
                format!("{} is not in this build yet.", tab.title()),
                styles.accent,
            ),
            Line::raw(""),
            Line::styled(format!("It will show {what}."), styles.text),
            Line::styled("Press 2 for the Alarms tab.", styles.dim),
        ];
        let block = Block::default()
            .borders(Borders::TOP)
            .border_style(styles.border)
            .title(format!(" {} ", tab.title()));
        frame.render_widget(
            Paragraph::new(text).block(block).wrap(Wrap { trim: true }),
            area,
        );
        0
    }
}
