//! The Dashboards tab: the list of the account's dashboards, or the open
//! dashboard under a title line that says its range, auto-refresh and how
//! fresh its data is (stale, with the error, when the last refresh
//! failed). The dashboard itself is drawn by `ui::dashboard`, scrolled so
//! the focused widget is on screen, or only that widget when zoomed.

use ratatui::{
    Frame,
    layout::{Constraint, Rect},
    style::Modifier,
    text::{Line, Span},
    widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState},
};

use crate::app::App;
use crate::app::tabs::dashboards::{DashboardsTab, OpenDashboard};
use crate::model::dashboard::range::auto_refresh_label;
use crate::report::format::{short_duration, since};
use crate::sanitize::sanitize_line;
use crate::ui::component::Drawable;
use crate::ui::dashboard::{ViewState, layout, palette::Look, render_canvas, widget};
use crate::ui::style::Styles;

impl Drawable for DashboardsTab {
    /// Draws the list or the open dashboard; returns how many list rows fit.
    fn draw(&self, frame: &mut Frame, area: Rect, app: &App, styles: &Styles) -> usize {
        match self.open() {
            Some(open) => {
                draw_open(frame, area, self, open, app, styles);
                0
            }
            None => draw_list(frame, area, self, styles),
        }
    }
}

fn draw_list(frame: &mut Frame, area: Rect, tab: &DashboardsTab, styles: &Styles) -> usize {
    let mut title = vec![Span::styled(
        format!(" Dashboards {}/{} ", tab.visible().count(), tab.total()),
        styles.accent,
    )];
    if !tab.filter_text().is_empty() {
        title.push(Span::styled(
            format!("filter: {} ", sanitize_line(tab.filter_text())),
            styles.text,
        ));
    }
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(styles.border)
        .title(Line::from(title));
    let message = if !tab.listed() {
        Some((
            "  reading the account's dashboards…".to_string(),
            styles.dim,
        ))
    } else if let Some(e) = tab.list_error() {
        Some((format!("  cannot list dashboards: {e}"), styles.error))
    } else if tab.total() == 0 {
        Some(("  this account has no dashboards".to_string(), styles.dim))
    } else if tab.visible().next().is_none() {
        Some((
            format!(
                "  no dashboard matches '{}' (Esc clears the filter)",
                sanitize_line(tab.filter_text())
            ),
            styles.dim,
        ))
    } else {
        None
    };
    if let Some((text, style)) = message {
        frame.render_widget(Paragraph::new(text).style(style).block(block), area);
        return 0;
    }
    let height = usize::from(area.height.saturating_sub(2));
    let first = tab
        .selected_index()
        .saturating_sub(height.saturating_sub(1));
    let rows = tab.visible().skip(first).take(height).map(|d| {
        Row::new(vec![
            Cell::from(sanitize_line(&d.name)),
            Cell::from(d.modified_at.map_or_else(
                || "-".to_string(),
                |t| crate::model::zone::shown(t, "%Y-%m-%d %H:%M"),
            )),
            Cell::from(d.size.map_or_else(|| "-".to_string(), |s| s.to_string())),
        ])
    });
    let table = Table::new(
        rows,
        [
            Constraint::Fill(1),
            Constraint::Length(16),
            Constraint::Length(8),
        ],
    )
    .header(
        Row::new([
            "NAME".to_string(),
            format!("MODIFIED ({})", crate::model::zone::zone_name()),
            "BYTES".into(),
        ])
        .style(styles.accent),
    )
    .row_highlight_style(styles.selected)
    .block(block)
    .column_spacing(1);
    let mut state = TableState::default().with_selected(Some(tab.selected_index() - first));
    frame.render_stateful_widget(table, area, &mut state);
    height
}

/// The title line: name, range, auto-refresh, each variable's value (the
/// one `v` changes underlined when there are several), freshness.
fn open_title<'a>(
    tab: &DashboardsTab,
    open: &OpenDashboard,
    app: &App,
    styles: &Styles,
) -> Line<'a> {
    let now = app.now();
    let view = tab.view();
    let prefix = format!("{}-", app.env.prefix);
    let short = open.name.strip_prefix(&prefix).unwrap_or(&open.name);
    let mut spans = vec![Span::styled(
        format!(" {} ", sanitize_line(short)),
        styles.accent,
    )];
    let settings = open
        .dashboard()
        .map(|d| d.settings.clone())
        .unwrap_or_default();
    spans.push(Span::styled(
        format!(
            "range {} · auto {} ",
            view.range.label(&settings, now),
            auto_refresh_label(view.auto_refresh)
        ),
        styles.dim,
    ));
    for (i, variable) in settings.variables.iter().enumerate() {
        let style = if settings.variables.len() > 1 && i == tab.selected_variable() {
            styles.text.add_modifier(Modifier::UNDERLINED)
        } else {
            styles.text
        };
        spans.push(Span::styled(
            format!(
                "· {}: {} ",
                sanitize_line(variable.name()),
                sanitize_line(variable.current(&view.variables).unwrap_or("(none)"))
            ),
            style,
        ));
    }
    if let Some(frame) = &open.frame {
        match (frame.fetched_at, &frame.error) {
            (Some(at), None) => spans.push(Span::styled(
                format!("· updated {} ago ", short_duration(since(now, at))),
                styles.dim,
            )),
            (at, Some(e)) => spans.push(Span::styled(
                format!(
                    "· stale{}: {} ",
                    at.map_or_else(String::new, |at| format!(
                        " for {}",
                        short_duration(since(now, at))
                    )),
                    sanitize_line(e)
                ),
                styles.error,
            )),
            (None, None) => spans.push(Span::styled("· fetching… ", styles.dim)),
        }
    }
    if open.zoomed {
        spans.push(Span::styled("· zoomed (Esc) ", styles.text));
    }
    Line::from(spans)
}

fn draw_open(
    frame: &mut Frame,
    area: Rect,
    tab: &DashboardsTab,
    open: &OpenDashboard,
    app: &App,
    styles: &Styles,
) {
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(styles.border)
        .title(open_title(tab, open, app, styles));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (dashboard, data) = match (&open.frame, open.dashboard(), &open.data) {
        (None, _, _) => {
            let text = Paragraph::new("  reading the dashboard…").style(styles.dim);
            frame.render_widget(text, inner);
            return;
        }
        (Some(f), None, _) => {
            let why = f.dashboard.as_ref().err().cloned().unwrap_or_default();
            let text = Paragraph::new(format!("  cannot show it: {}", sanitize_line(&why)))
                .style(styles.error);
            frame.render_widget(text, inner);
            return;
        }
        (Some(_), Some(d), Some(data)) => (d, data),
        (Some(_), Some(_), None) => return,
    };
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let look = Look::new(&app.theme);
    let focused = open.focused_widget();
    if open.zoomed
        && let Some(w) = focused.and_then(|i| dashboard.widgets.get(i))
    {
        widget::draw(inner, frame.buffer_mut(), w, data, &look, true);
        return;
    }
    let canvas = layout(dashboard, inner.width, inner.height);
    let scroll = focused.map_or(0, |i| canvas.scroll_to(i, inner.height, 0));
    render_canvas(
        inner,
        frame.buffer_mut(),
        &canvas,
        dashboard,
        data,
        &look,
        ViewState {
            scroll,
            selected: focused,
        },
    );
}
