//! The across-env alarm wall: a line per env (its header: badge, account,
//! link state, ALARM count), a line per env that cannot be refreshed
//! (its error, and whether its rows are stale or were never read), then
//! one table of every env's alarms, ALARM first across all, with an ENV
//! column (marked when that env's rows are not live). A dialog of the
//! row's env is drawn over it; an overlay or another tab of one env takes
//! the whole screen (that env's own screen).

use ratatui::{
    Frame,
    layout::{Constraint, Layout},
    text::{Line, Span},
    widgets::{Block, Borders, Paragraph, Row, Table, TableState},
};

use super::style::Styles;
use super::tabs::alarms::{CHROME_ROWS, WIDE, columns, marks_width, row_cells};
use super::{dialog, footer, header, overlay};
use crate::app::tabs::alarms::SortKey;
use crate::app::{App, Wall, wall};
use crate::data::connection::LinkHealth;
use crate::sanitize::sanitize_line;

/// Draws the wall (or the App that has the screen); returns how many table
/// rows fit (for paging).
pub fn draw(frame: &mut Frame, wall: &Wall) -> usize {
    if let Some(app) = wall.full_screen() {
        return super::draw(frame, app);
    }
    let first_app = &wall.apps[0];
    let styles = Styles::new(&first_app.theme);
    let area = frame.area();
    let problems: Vec<Line> = wall
        .apps
        .iter()
        .filter_map(|app| problem_line(app, &styles))
        .collect();
    let envs = wall.apps.len() as u16;
    let [title_area, headers_area, problems_area, body, footer_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(envs),
        Constraint::Length(problems.len() as u16),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let names: Vec<&str> = wall.apps.iter().map(|app| app.env.name.as_str()).collect();
    let title = format!(
        " Alarms across {} envs: {} · other tabs show one env ",
        wall.apps.len(),
        names.join(", ")
    );
    frame.render_widget(
        Paragraph::new(sanitize_line(&title)).style(styles.accent),
        title_area,
    );
    let header_rows =
        Layout::vertical(vec![Constraint::Length(1); wall.apps.len()]).split(headers_area);
    for (app, row) in wall.apps.iter().zip(header_rows.iter()) {
        header::draw(frame, *row, app, &styles);
    }
    frame.render_widget(Paragraph::new(problems), problems_area);
    let rows = table(frame, body, wall, &styles);
    match wall.dialog_app() {
        Some(app) => {
            footer::draw(frame, footer_area, app, &styles);
            overlay::draw_popups(frame, area, app, &styles);
        }
        None if wall.is_typing() => {
            let line = footer::input_line("/", wall.filter_text(), &styles);
            frame.render_widget(Paragraph::new(line), footer_area);
        }
        None => {
            let line = match wall.flash() {
                Some((text, is_error)) => Line::from(Span::styled(
                    sanitize_line(&text),
                    if is_error {
                        styles.error
                    } else {
                        styles.accent
                    },
                )),
                None => footer::keys_line(wall::FOOTER, &styles),
            };
            frame.render_widget(Paragraph::new(line), footer_area);
        }
    }
    if let Some(env) = wall.mfa_app() {
        dialog::draw_mfa(frame, area, wall.apps[env].overlays.mfa(), &styles);
    }
    rows
}

/// What is wrong with an env's rows, if anything: never read (no rows of
/// it below, which is not an all-clear), or stale.
fn problem_line<'a>(app: &App, styles: &Styles) -> Option<Line<'a>> {
    let problem = app.problem()?;
    let text = if app.alarms.fetched_at().is_none() {
        format!(
            "⚠ {}: its alarms could not be read (none of them below): {problem}",
            app.env.name
        )
    } else {
        format!("⚠ {}: its rows below are stale: {problem}", app.env.name)
    };
    Some(Line::from(Span::styled(sanitize_line(&text), styles.error)))
}

/// Whether env `app`'s rows are live (else its ENV cells are marked).
fn is_live(app: &App) -> bool {
    matches!(
        app.link.health(app.now(), app.env.refresh),
        LinkHealth::Live
    )
}

fn table(frame: &mut Frame, area: ratatui::layout::Rect, wall: &Wall, styles: &Styles) -> usize {
    let rows = wall.rows();
    let counts: Vec<String> = wall
        .apps
        .iter()
        .map(|app| match app.alarms.fetched_at() {
            Some(_) => format!("{} {}", app.env.name, app.alarms.len()),
            None => format!("{} ?", app.env.name),
        })
        .collect();
    let total: usize = wall.apps.iter().map(|app| app.alarms.len()).sum();
    let order = match wall.sort() {
        SortKey::State => "ALARM first across envs".to_string(),
        other => format!("sort: {}", other.label()),
    };
    let mut title = vec![Span::styled(
        sanitize_line(&format!(
            " Alarms {}/{total} ({}) · {order} ",
            rows.len(),
            counts.join(", ")
        )),
        styles.accent,
    )];
    if !wall.filter_text().is_empty() {
        title.push(Span::styled(
            format!("filter: {} ", sanitize_line(wall.filter_text())),
            styles.text,
        ));
    }
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(styles.border)
        .title(Line::from(title));
    if rows.is_empty() {
        let text = if total > 0 {
            format!(
                "  no alarm matches '{}' (Esc clears the filter)",
                sanitize_line(wall.filter_text())
            )
        } else if wall
            .apps
            .iter()
            .any(|app| app.alarms.fetched_at().is_none())
        {
            "  waiting for the first answer from every env…".to_string()
        } else {
            "  these accounts have no alarms".to_string()
        };
        frame.render_widget(Paragraph::new(text).style(styles.dim).block(block), area);
        return 0;
    }
    let wide = area.width >= WIDE;
    let live: Vec<bool> = wall.apps.iter().map(is_live).collect();
    let env_width = wall
        .apps
        .iter()
        .map(|app| unicode_width::UnicodeWidthStr::width(app.env.name.as_str()) + 2)
        .max()
        .unwrap_or(3)
        .clamp(3, 14) as u16;
    let marks = wall
        .apps
        .iter()
        .map(|app| marks_width(&app.tabs.alarms, app, styles))
        .max()
        .unwrap_or(3);
    let height = usize::from(area.height.saturating_sub(CHROME_ROWS));
    let selected = wall.selected_index();
    let first = selected.saturating_sub(height.saturating_sub(1));
    let table_rows = rows.iter().skip(first).take(height).map(|&(env, i)| {
        let app = &wall.apps[env];
        let env_cell = if live[env] {
            ratatui::widgets::Cell::from(sanitize_line(&app.env.name))
        } else {
            ratatui::widgets::Cell::from(Span::styled(
                format!("{} ◌", sanitize_line(&app.env.name)),
                styles.error,
            ))
        };
        let mut cells = vec![env_cell];
        cells.extend(row_cells(app, &app.alarms, i, wide, styles));
        Row::new(cells)
    });
    let (mut header, mut widths) = columns(wide, marks);
    header.insert(0, "ENV");
    widths.insert(0, Constraint::Length(env_width));
    let table = Table::new(table_rows, widths)
        .header(Row::new(header).style(styles.accent))
        .row_highlight_style(styles.selected)
        .block(block)
        .column_spacing(1);
    let mut state = TableState::default().with_selected(Some(selected - first));
    frame.render_stateful_widget(table, area, &mut state);
    height
}
