//! The drawing half of a component (`app::component::Component`): each tab,
//! and the detail view, draws itself from its own state and the app's
//! shared state, as a pure function.

use ratatui::{Frame, layout::Rect};

use super::style::Styles;
use crate::app::App;

/// Something that draws itself into part of the screen.
pub trait Drawable {
    /// Draws into `area`; returns how many list rows fit (for paging).
    fn draw(&self, frame: &mut Frame, area: Rect, app: &App, styles: &Styles) -> usize;
}
