//! Drawing: pure functions of the app state. Nothing here changes state or
//! talks to the network; text from AWS is sanitised before it is drawn.

pub mod ascii;
pub mod chart;
pub mod component;
pub mod dashboard;
pub mod detail;
pub mod dialog;
pub mod footer;
pub mod format;
pub mod header;
pub mod help;
pub mod incident;
pub mod insights_view;
pub mod marks;
pub mod style;
pub mod tab_bar;
pub mod tabs;

use ratatui::{
    Frame,
    layout::{Constraint, Layout},
};

use crate::app::{App, Mode};
use component::Drawable;
use style::Styles;

/// Draws the whole screen; returns how many list rows fit (for paging).
pub fn draw(frame: &mut Frame, app: &App) -> usize {
    let styles = Styles::new(&app.theme);
    let area = frame.area();
    let problem = app.problem();
    let [header_area, tabs_area, problem_area, body, footer_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(u16::from(problem.is_some())),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    header::draw(frame, header_area, app, &styles);
    tab_bar::draw(frame, tabs_area, app, &styles);
    if let Some(problem) = problem {
        let line = format!("⚠ {}", crate::term::sanitize_line(&problem));
        frame.render_widget(
            ratatui::widgets::Paragraph::new(line).style(styles.error),
            problem_area,
        );
    }
    let rows = match (&app.incident_view, &app.detail_view) {
        (Some(view), _) => view.draw(frame, body, app, &styles),
        (None, Some(view)) => view.draw(frame, body, app, &styles),
        (None, None) => tabs::drawable(app).draw(frame, body, app, &styles),
    };
    footer::draw(frame, footer_area, app, &styles);
    if app.mode == Mode::Help {
        help::draw(frame, area, app, &styles);
    }
    dialog::draw(frame, area, &app.mode, &styles);
    rows
}
