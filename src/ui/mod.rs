//! Drawing: pure functions of the app state. Nothing here changes state or
//! talks to the network; text from AWS is sanitised before it is drawn.

pub mod ascii;
pub mod chart;
pub mod component;
pub mod dashboard;
pub mod detail;
pub mod dialog;
pub mod footer;
pub mod handoff;
pub mod header;
pub mod help;
pub mod incident;
pub mod insights_view;
pub mod marks;
pub mod overlay;
pub mod style;
pub mod tab_bar;
pub mod tabs;
pub mod targets;
pub mod wall;

use ratatui::{
    Frame,
    layout::{Constraint, Layout},
};

use crate::app::App;
use style::Styles;

/// Most rows the problem line may take: a credential failure's cause and
/// fix ("run aws sso login --profile X") come after a long message, and
/// a line cut at the screen's edge loses them.
const MAX_PROBLEM_ROWS: u16 = 3;

/// The rows `line` takes wrapped at `width` columns (word wrapping leaves
/// up to a word's width unused per row), at most [`MAX_PROBLEM_ROWS`].
fn problem_rows(line: &str, width: u16) -> u16 {
    let width = usize::from(width.max(1));
    let columns = unicode_width::UnicodeWidthStr::width(line);
    let rows = columns.div_ceil(width);
    let rows = if rows > 1 {
        (columns + 16 * rows).div_ceil(width)
    } else {
        rows
    };
    u16::try_from(rows)
        .unwrap_or(MAX_PROBLEM_ROWS)
        .clamp(1, MAX_PROBLEM_ROWS)
}

/// Draws the whole screen; returns how many list rows fit (for paging).
pub fn draw(frame: &mut Frame, app: &App) -> usize {
    let styles = Styles::new(&app.theme);
    let area = frame.area();
    let problem = app
        .problem()
        .map(|problem| format!("⚠ {}", crate::sanitize::sanitize_line(&problem)));
    let problem_rows = problem
        .as_deref()
        .map_or(0, |line| problem_rows(line, area.width));
    let [header_area, tabs_area, problem_area, body, footer_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(problem_rows),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    header::draw(frame, header_area, app, &styles);
    tab_bar::draw(frame, tabs_area, app, &styles);
    if let Some(line) = problem {
        frame.render_widget(
            ratatui::widgets::Paragraph::new(line)
                .style(styles.error)
                .wrap(ratatui::widgets::Wrap { trim: true }),
            problem_area,
        );
    }
    let rows = overlay::draw_body(frame, body, app, &styles);
    footer::draw(frame, footer_area, app, &styles);
    overlay::draw_popups(frame, area, app, &styles);
    rows
}
