//! A dashboard as text for `dashboards show` (and one widget of it for
//! `y` in the Dashboards tab): drawn once into an off-screen
//! buffer as tall as the dashboard needs at the given width, then printed
//! line by line, either plain (no escape sequence at all, for pasting into
//! an incident channel) or with colours as SGR sequences.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

use ratatui::{
    buffer::Buffer,
    layout::Rect,
    style::{Color, Modifier, Style},
};

use super::palette::Look;
use super::{ViewState, layout, render_canvas, widget};
use crate::model::dashboard::{Dashboard, DashboardData};

/// Tallest text output, in rows.
pub const MAX_TEXT_ROWS: u32 = 5000;

/// Renders `dashboard` laid out for a `width` x `height` terminal (the
/// height sets how tall a grid row is). The output holds every widget: it
/// is as many rows as the dashboard needs (at most [`MAX_TEXT_ROWS`]).
pub fn render_to_text(
    dashboard: &Dashboard,
    data: &DashboardData,
    look: &Look,
    (width, height): (u16, u16),
    plain: bool,
) -> String {
    let buf = render_to_buffer(dashboard, data, look, (width, height));
    if plain {
        plain_text(&buf)
    } else {
        ansi_text(&buf)
    }
}

/// One widget of `dashboard` as plain text: the cells it takes in what
/// [`render_to_text`] prints (plain) at the same size, trailing blanks
/// trimmed, for `y` on a focused widget. `None` when no such widget is
/// laid out.
pub fn widget_text(
    dashboard: &Dashboard,
    data: &DashboardData,
    look: &Look,
    (width, height): (u16, u16),
    index: usize,
) -> Option<String> {
    let canvas = layout(dashboard, width, height);
    let placed = canvas.rects.iter().find(|r| r.widget == index)?;
    let area = Rect::new(0, 0, placed.width, placed.height);
    let mut buf = Buffer::empty(area);
    widget::draw(
        area,
        &mut buf,
        dashboard.widgets.get(index)?,
        data,
        look,
        false,
    );
    Some(plain_text(&buf))
}

/// The off-screen buffer `render_to_text` prints.
pub fn render_to_buffer(
    dashboard: &Dashboard,
    data: &DashboardData,
    look: &Look,
    (width, height): (u16, u16),
) -> Buffer {
    let canvas = layout(dashboard, width, height);
    let rows = canvas.height.clamp(1, MAX_TEXT_ROWS);
    let area = Rect::new(0, 0, width, u16::try_from(rows).unwrap_or(u16::MAX));
    let mut buf = Buffer::empty(area);
    render_canvas(
        area,
        &mut buf,
        &canvas,
        dashboard,
        data,
        look,
        ViewState::default(),
    );
    buf
}

/// The cells of row `y` that start a symbol: the cells a wide symbol
/// (emoji, CJK) covers after its first are left out, as a terminal would.
fn row_cells(buf: &Buffer, y: u16) -> impl Iterator<Item = &ratatui::buffer::Cell> {
    let mut covered = 0usize;
    (0..buf.area.width).filter_map(move |x| {
        let cell = buf.cell((buf.area.x + x, buf.area.y + y))?;
        if covered > 0 {
            covered -= 1;
            return None;
        }
        covered = cell.symbol().width().saturating_sub(1);
        Some(cell)
    })
}

/// Each row's symbols, trailing blanks trimmed.
pub fn plain_text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let line: String = row_cells(buf, y).map(|c| c.symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Each row with an SGR sequence wherever the style changes, reset at the
/// end of every line.
pub fn ansi_text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut current = Style::default();
        for cell in row_cells(buf, y) {
            let style = cell.style();
            if style != current {
                out.push_str(&sgr(style));
                current = style;
            }
            out.push_str(cell.symbol());
        }
        out.push_str("\u{1b}[0m\n");
    }
    out
}

fn sgr(style: Style) -> String {
    let mut codes = vec!["0".to_string()];
    let m = style.add_modifier;
    for (flag, code) in [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::REVERSED, "7"),
        (Modifier::CROSSED_OUT, "9"),
    ] {
        if m.contains(flag) {
            codes.push(code.to_string());
        }
    }
    if let Some(fg) = style.fg.and_then(|c| color_code(c, false)) {
        codes.push(fg);
    }
    if let Some(bg) = style.bg.and_then(|c| color_code(c, true)) {
        codes.push(bg);
    }
    let mut out = String::from("\u{1b}[");
    let _ = write!(out, "{}m", codes.join(";"));
    out
}

fn color_code(color: Color, background: bool) -> Option<String> {
    let base = if background { 40 } else { 30 };
    let basic = |n: u8| Some((base + u16::from(n)).to_string());
    let bright = |n: u8| Some((base + 60 + u16::from(n)).to_string());
    let extended = if background { "48" } else { "38" };
    match color {
        Color::Reset => None,
        Color::Black => basic(0),
        Color::Red => basic(1),
        Color::Green => basic(2),
        Color::Yellow => basic(3),
        Color::Blue => basic(4),
        Color::Magenta => basic(5),
        Color::Cyan => basic(6),
        Color::Gray => basic(7),
        Color::DarkGray => bright(0),
        Color::LightRed => bright(1),
        Color::LightGreen => bright(2),
        Color::LightYellow => bright(3),
        Color::LightBlue => bright(4),
        Color::LightMagenta => bright(5),
        Color::LightCyan => bright(6),
        Color::White => bright(7),
        Color::Indexed(i) => Some(format!("{extended};5;{i}")),
        Color::Rgb(r, g, b) => Some(format!("{extended};2;{r};{g};{b}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sgr_sequences_for_styles() {
        assert_eq!(sgr(Style::default()), "\u{1b}[0m");
        assert_eq!(
            sgr(Style::default()
                .fg(Color::Rgb(1, 2, 3))
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD)),
            "\u{1b}[0;1;38;2;1;2;3;44m"
        );
        assert_eq!(
            color_code(Color::Indexed(200), false).as_deref(),
            Some("38;5;200")
        );
        assert_eq!(color_code(Color::White, true).as_deref(), Some("107"));
    }
}
