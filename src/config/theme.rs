//! Colour themes: TOML files under `themes/` embedded at build time, plus a
//! user themes dir that adds or overrides.

use ratatui::style::Color;

/// The colours the UI draws with. `ui::style` turns these into styles.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Theme name.
    pub name: String,
    /// Normal text.
    pub fg: Color,
    /// Background (`Reset` keeps the terminal's own).
    pub bg: Color,
    /// De-emphasised text (hints, stale data).
    pub dim: Color,
    /// Active tab, key names, highlights.
    pub accent: Color,
    /// Block borders.
    pub border: Color,
    /// ALARM state.
    pub alarm: Color,
    /// INSUFFICIENT_DATA state.
    pub insufficient: Color,
    /// OK state.
    pub ok: Color,
    /// Selected row foreground.
    pub selection_fg: Color,
    /// Selected row background.
    pub selection_bg: Color,
    /// Header line background.
    pub header_bg: Color,
    /// Env badge for production envs (background).
    pub prod_badge: Color,
    /// Env badge for other envs (background).
    pub env_badge: Color,
    /// Text drawn on a badge.
    pub badge_fg: Color,
    /// No colour at all: the UI uses bold/reverse/underline instead.
    pub monochrome: bool,
}
