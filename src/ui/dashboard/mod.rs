//! Drawing a CloudWatch dashboard: the grid scaled to the terminal
//! (`layout`), each widget in a titled border (`widget`), one module per
//! kind of content, and the whole thing as text for `dashboards show`
//! (`text_output`). Pure functions of a parsed
//! [`Dashboard`](crate::model::dashboard::Dashboard) and its
//! [`DashboardData`](crate::model::dashboard::DashboardData); every text
//! from the body or the account is sanitised before it is drawn.

pub mod alarm_list;
pub mod bars;
pub mod contributors;
pub mod data_table;
pub mod dynamic_label;
pub mod layout;
pub mod log_table;
pub mod markdown;
pub mod numbers;
pub mod palette;
pub mod plot_lines;
pub mod text_output;
pub mod time_series;
pub mod widget;

use ratatui::{buffer::Buffer, layout::Rect};

use crate::model::dashboard::{Dashboard, DashboardData};
use palette::Look;

pub use layout::{CanvasLayout, CanvasRect, NARROW_WIDTH, layout};
pub use text_output::render_to_text;

/// What the viewer chose: how far down the canvas the screen starts and
/// which widget has the focus.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ViewState {
    /// First canvas row on screen.
    pub scroll: u32,
    /// Index (in `Dashboard::widgets`) of the focused widget.
    pub selected: Option<usize>,
}

/// Draws the part of the dashboard that `view.scroll` puts in `area`.
/// Widgets cut by the window edge are drawn whole off-screen and copied, so
/// a half-visible widget looks like the top or bottom of itself.
pub fn render(
    area: Rect,
    buf: &mut Buffer,
    dashboard: &Dashboard,
    data: &DashboardData,
    look: &Look,
    view: ViewState,
) {
    let canvas = layout(dashboard, area.width, area.height);
    render_canvas(area, buf, &canvas, dashboard, data, look, view);
}

/// Draws a window of an already laid out canvas: for output taller than
/// the terminal it was laid out for (text output) or a cached layout.
pub fn render_canvas(
    area: Rect,
    buf: &mut Buffer,
    canvas: &CanvasLayout,
    dashboard: &Dashboard,
    data: &DashboardData,
    look: &Look,
    view: ViewState,
) {
    for placed in &canvas.rects {
        let Some((visible, cut)) = placed.visible(view.scroll, area) else {
            continue;
        };
        let Some(widget) = dashboard.widgets.get(placed.widget) else {
            continue;
        };
        let selected = view.selected == Some(placed.widget);
        if cut == 0 && visible.height == placed.height && visible.width == placed.width {
            widget::draw(visible, buf, widget, data, look, selected);
            continue;
        }
        let full = Rect::new(0, 0, placed.width, placed.height);
        let mut scratch = Buffer::empty(full);
        widget::draw(full, &mut scratch, widget, data, look, selected);
        for row in 0..visible.height {
            for col in 0..visible.width {
                if let (Some(from), Some(to)) = (
                    scratch.cell((col, row + cut)),
                    buf.cell_mut((visible.x + col, visible.y + row)),
                ) {
                    *to = from.clone();
                }
            }
        }
    }
}
