//! Drawing the overlay stack (`app::overlay`): the topmost view open over
//! the tab takes the body in the tab's place, and the help and dialogs
//! above it are drawn over the screen, bottom to top.

use ratatui::{Frame, layout::Rect};

use super::component::Drawable;
use super::style::Styles;
use super::{dialog, help, tabs};
use crate::app::App;
use crate::app::overlay::Overlay;

/// The drawing half of a view on the stack; `None` for a popup.
fn drawable(overlay: &Overlay) -> Option<&dyn Drawable> {
    match overlay {
        Overlay::Detail(view) => Some(view.as_ref()),
        Overlay::Incident(view) => Some(view.as_ref()),
        Overlay::Handoff(view) => Some(view),
        _ => None,
    }
}

/// Draws the body: the topmost view open over the tab, else the tab;
/// returns how many list rows fit (for paging).
pub fn draw_body(frame: &mut Frame, body: Rect, app: &App, styles: &Styles) -> usize {
    match app.overlays.focused().and_then(drawable) {
        Some(view) => view.draw(frame, body, app, styles),
        None => tabs::drawable(app).draw(frame, body, app, styles),
    }
}

/// Draws the popups (the help, the dialogs) open above the topmost view,
/// bottom to top, centred in `area`.
pub fn draw_popups(frame: &mut Frame, area: Rect, app: &App, styles: &Styles) {
    for overlay in app.overlays.visible() {
        match overlay {
            Overlay::Help { scroll } => help::draw(frame, area, app, *scroll, styles),
            overlay => dialog::draw(frame, area, overlay, styles),
        }
    }
}
