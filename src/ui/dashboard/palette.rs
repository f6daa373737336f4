//! Colours of a dashboard: the theme's styles plus a line colour per
//! series (the row's `color` when it gives one, else the console's
//! palette). A monochrome theme draws every line in the text style and
//! tells them apart by their legend glyph.

use ratatui::style::{Color, Style};

use crate::config::Theme;
use crate::ui::style::Styles;

/// The console's default line colours, in order.
const PALETTE: [Color; 10] = [
    Color::Rgb(0x1f, 0x77, 0xb4),
    Color::Rgb(0xff, 0x7f, 0x0e),
    Color::Rgb(0x2c, 0xa0, 0x2c),
    Color::Rgb(0xd6, 0x27, 0x28),
    Color::Rgb(0x94, 0x67, 0xbd),
    Color::Rgb(0x8c, 0x56, 0x4b),
    Color::Rgb(0xe3, 0x77, 0xc2),
    Color::Rgb(0x7f, 0x7f, 0x7f),
    Color::Rgb(0xbc, 0xbd, 0x22),
    Color::Rgb(0x17, 0xbe, 0xcf),
];

/// Legend glyphs, one per line in turn, so lines differ without colour.
const GLYPHS: [&str; 6] = ["●", "■", "▲", "◆", "★", "✚"];

/// Styles for drawing a dashboard.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    /// The theme's styles.
    pub styles: Styles,
    /// No colours at all.
    pub monochrome: bool,
}

impl Look {
    /// The look of `theme`.
    pub fn new(theme: &Theme) -> Self {
        Self {
            styles: Styles::new(theme),
            monochrome: theme.monochrome,
        }
    }

    /// The style of line number `index`, honouring a `#rrggbb` colour.
    pub fn line(&self, index: usize, color: Option<&str>) -> Style {
        if self.monochrome {
            return self.styles.text;
        }
        let fg = color
            .and_then(parse_hex)
            .unwrap_or(PALETTE[index % PALETTE.len()]);
        Style::default().fg(fg)
    }

    /// The legend glyph of line number `index`.
    pub fn glyph(index: usize) -> &'static str {
        GLYPHS[index % GLYPHS.len()]
    }
}

/// `#rrggbb` (or `#rgb`) as a colour.
pub fn parse_hex(text: &str) -> Option<Color> {
    let hex = text.strip_prefix('#')?;
    let channel = |s: &str| u8::from_str_radix(s, 16).ok();
    match hex.len() {
        6 if hex.is_ascii() => Some(Color::Rgb(
            channel(&hex[0..2])?,
            channel(&hex[2..4])?,
            channel(&hex[4..6])?,
        )),
        3 if hex.is_ascii() => {
            let c = |i: usize| channel(&hex[i..=i]).map(|v| v * 17);
            Some(Color::Rgb(c(0)?, c(1)?, c(2)?))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_colours() {
        assert_eq!(parse_hex("#d62728"), Some(Color::Rgb(0xd6, 0x27, 0x28)));
        assert_eq!(parse_hex("#fff"), Some(Color::Rgb(255, 255, 255)));
        assert_eq!(parse_hex("red"), None);
        assert_eq!(parse_hex("#12345é"), None);
    }
}
