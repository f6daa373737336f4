//! Theme colours turned into ratatui styles. In a monochrome theme, states
//! are told apart by bold/reverse/underline instead of colour.

use ratatui::style::{Modifier, Style};

use crate::config::Theme;
use crate::model::AlarmState;

/// Ready-made styles for one theme.
#[derive(Debug, Clone, Copy)]
pub struct Styles {
    /// Normal text.
    pub text: Style,
    /// Hints and secondary text.
    pub dim: Style,
    /// Key names, active tab.
    pub accent: Style,
    /// Borders.
    pub border: Style,
    /// Selected row.
    pub selected: Style,
    /// Header line.
    pub header: Style,
    /// Error message.
    pub error: Style,
    theme_alarm: Style,
    theme_insufficient: Style,
    theme_ok: Style,
    prod_badge: Style,
    env_badge: Style,
}

impl Styles {
    /// Derives the styles from a theme.
    pub fn new(theme: &Theme) -> Self {
        let base = Style::default().fg(theme.fg).bg(theme.bg);
        if theme.monochrome {
            let plain = Style::default();
            return Self {
                text: plain,
                dim: plain.add_modifier(Modifier::DIM),
                accent: plain.add_modifier(Modifier::BOLD),
                border: plain,
                selected: plain.add_modifier(Modifier::REVERSED),
                header: plain.add_modifier(Modifier::REVERSED),
                error: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                theme_alarm: plain.add_modifier(Modifier::BOLD | Modifier::REVERSED),
                theme_insufficient: plain.add_modifier(Modifier::UNDERLINED),
                theme_ok: plain,
                prod_badge: plain.add_modifier(Modifier::BOLD | Modifier::REVERSED),
                env_badge: plain.add_modifier(Modifier::BOLD),
            };
        }
        Self {
            text: base,
            dim: base.fg(theme.dim),
            accent: base.fg(theme.accent).add_modifier(Modifier::BOLD),
            border: base.fg(theme.border),
            selected: Style::default()
                .fg(theme.selection_fg)
                .bg(theme.selection_bg)
                .add_modifier(Modifier::BOLD),
            header: Style::default().fg(theme.fg).bg(theme.header_bg),
            error: base.fg(theme.alarm).add_modifier(Modifier::BOLD),
            theme_alarm: base.fg(theme.alarm).add_modifier(Modifier::BOLD),
            theme_insufficient: base.fg(theme.insufficient),
            theme_ok: base.fg(theme.ok),
            prod_badge: Style::default()
                .fg(theme.badge_fg)
                .bg(theme.prod_badge)
                .add_modifier(Modifier::BOLD),
            env_badge: Style::default()
                .fg(theme.badge_fg)
                .bg(theme.env_badge)
                .add_modifier(Modifier::BOLD),
        }
    }

    /// Style for an alarm state.
    pub fn state(&self, state: AlarmState) -> Style {
        match state {
            AlarmState::Alarm => self.theme_alarm,
            AlarmState::InsufficientData => self.theme_insufficient,
            AlarmState::Ok => self.theme_ok,
        }
    }

    /// Style for the env badge.
    pub fn badge(&self, is_prod: bool) -> Style {
        if is_prod {
            self.prod_badge
        } else {
            self.env_badge
        }
    }
}
