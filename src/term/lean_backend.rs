//! A ratatui backend that writes fewer bytes per frame than the stock
//! crossterm one, for SSH links where every byte counts. Over a slow link an
//! idle console changes a handful of cells a second (the clock, "updated Ns
//! ago"), so the fixed cost of a frame dominates. The stock backend ends
//! every frame, even one that changed nothing, with four colour and
//! attribute resets and hides the cursor again; it sends foreground,
//! background and each attribute as separate sequences and spells the 16
//! base colours as 256-colour indexes. This backend:
//!
//! - writes nothing for a frame with no changed cell;
//! - remembers the terminal's colours and attributes between frames instead
//!   of resetting them after each, and resets them only before a clear
//!   (which paints with the current background) and when it is dropped;
//! - sends one SGR sequence per style change, with the short codes of the
//!   16 base colours (30-37, 90-97) and per-attribute "off" codes;
//! - hides or shows the cursor only when that changes.
//!
//! Everything else (size, clearing, cursor position) is plain crossterm.

use std::io::{self, Write};

use crossterm::cursor::{Hide, MoveTo, Show};
use crossterm::terminal::{self, Clear};
use crossterm::{execute, queue};
use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};

/// The colours and attributes the terminal draws new characters with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

impl Pen {
    /// What a terminal starts with, and what `ESC [ 0 m` sets.
    const PLAIN: Pen = Pen {
        fg: Color::Reset,
        bg: Color::Reset,
        modifier: Modifier::empty(),
    };

    fn of(cell: &Cell) -> Pen {
        Pen {
            fg: cell.fg,
            bg: cell.bg,
            modifier: cell.modifier,
        }
    }
}

/// SGR parameter of each attribute, and the one that turns it off.
const ATTRIBUTES: [(Modifier, u8, u8); 9] = [
    (Modifier::BOLD, 1, 22),
    (Modifier::DIM, 2, 22),
    (Modifier::ITALIC, 3, 23),
    (Modifier::UNDERLINED, 4, 24),
    (Modifier::SLOW_BLINK, 5, 25),
    (Modifier::RAPID_BLINK, 6, 25),
    (Modifier::REVERSED, 7, 27),
    (Modifier::HIDDEN, 8, 28),
    (Modifier::CROSSED_OUT, 9, 29),
];

/// The 8 base colours in SGR order (30-37 foreground), and their bright
/// forms (90-97).
const BASE: [Color; 8] = [
    Color::Black,
    Color::Red,
    Color::Green,
    Color::Yellow,
    Color::Blue,
    Color::Magenta,
    Color::Cyan,
    Color::Gray,
];
const BRIGHT: [Color; 8] = [
    Color::DarkGray,
    Color::LightRed,
    Color::LightGreen,
    Color::LightYellow,
    Color::LightBlue,
    Color::LightMagenta,
    Color::LightCyan,
    Color::White,
];

/// Appends the SGR parameters of `color` as a foreground (`base` 30) or
/// background (`base` 40) colour, in their shortest form.
fn push_color(params: &mut Vec<String>, color: Color, base: u8) {
    let offset = |table: &[Color; 8]| table.iter().position(|&c| c == color);
    let param = match color {
        Color::Reset => (base + 9).to_string(),
        Color::Indexed(i) => format!("{};5;{i}", base + 8),
        Color::Rgb(r, g, b) => format!("{};2;{r};{g};{b}", base + 8),
        // The 16 named colours are all in one of the two tables.
        _ => offset(&BASE)
            .map(|n| base + n as u8)
            .or_else(|| offset(&BRIGHT).map(|n| base + 60 + n as u8))
            .unwrap_or(base + 9)
            .to_string(),
    };
    params.push(param);
}

/// The one SGR sequence that turns pen `from` into pen `to` (empty when
/// they are the same).
fn transition(from: Pen, to: Pen) -> String {
    if from == to {
        return String::new();
    }
    let mut params = Vec::new();
    if to == Pen::PLAIN {
        params.push("0".to_string());
    } else {
        let removed = from.modifier - to.modifier;
        let mut off = Vec::new();
        let mut on = Vec::new();
        for (modifier, _, unset) in ATTRIBUTES {
            if removed.contains(modifier) && !off.contains(&unset) {
                off.push(unset);
            }
        }
        for (modifier, set, unset) in ATTRIBUTES {
            let added = to.modifier.contains(modifier) && !from.modifier.contains(modifier);
            // An "off" code clears its siblings too (22 is bold and dim).
            let cleared = to.modifier.contains(modifier) && off.contains(&unset);
            if added || cleared {
                on.push(set);
            }
        }
        params.extend(off.iter().chain(&on).map(u8::to_string));
        if to.fg != from.fg {
            push_color(&mut params, to.fg, 30);
        }
        if to.bg != from.bg {
            push_color(&mut params, to.bg, 40);
        }
    }
    format!("\x1b[{}m", params.join(";"))
}

/// A crossterm backend that writes only what a frame changed; see the
/// module documentation.
#[derive(Debug)]
pub struct LeanBackend<W: Write> {
    writer: W,
    pen: Pen,
    cursor_visible: Option<bool>,
}

impl<W: Write> LeanBackend<W> {
    /// A backend writing to `writer`, which starts with the plain pen.
    pub fn new(writer: W) -> Self {
        Self {
            writer,
            pen: Pen::PLAIN,
            cursor_visible: None,
        }
    }

    /// Resets colours and attributes, so a clear paints the default
    /// background and the shell gets a plain pen back.
    fn plain_pen(&mut self) -> io::Result<()> {
        let sgr = transition(self.pen, Pen::PLAIN);
        self.pen = Pen::PLAIN;
        self.writer.write_all(sgr.as_bytes())
    }

    fn set_cursor_visible(&mut self, visible: bool) -> io::Result<()> {
        if self.cursor_visible == Some(visible) {
            return Ok(());
        }
        self.cursor_visible = Some(visible);
        if visible {
            execute!(self.writer, Show)
        } else {
            execute!(self.writer, Hide)
        }
    }
}

impl<W: Write> Drop for LeanBackend<W> {
    fn drop(&mut self) {
        if self.plain_pen().is_ok() {
            let _ = self.writer.flush();
        }
    }
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut last: Option<Position> = None;
        for (x, y, cell) in content {
            let out = &mut self.writer;
            if !matches!(last, Some(p) if x == p.x + 1 && y == p.y) {
                queue!(out, MoveTo(x, y))?;
            }
            last = Some(Position { x, y });
            let pen = Pen::of(cell);
            out.write_all(transition(self.pen, pen).as_bytes())?;
            self.pen = pen;
            out.write_all(cell.symbol().as_bytes())?;
        }
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.set_cursor_visible(false)
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.set_cursor_visible(true)
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        crossterm::cursor::position().map(|(x, y)| Position { x, y })
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let Position { x, y } = position.into();
        execute!(self.writer, MoveTo(x, y))
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.plain_pen()?;
        let clear = match clear_type {
            ClearType::All => terminal::ClearType::All,
            ClearType::AfterCursor => terminal::ClearType::FromCursorDown,
            ClearType::BeforeCursor => terminal::ClearType::FromCursorUp,
            ClearType::CurrentLine => terminal::ClearType::CurrentLine,
            ClearType::UntilNewLine => terminal::ClearType::UntilNewLine,
        };
        execute!(self.writer, Clear(clear))
    }

    fn size(&self) -> io::Result<Size> {
        let (width, height) = terminal::size()?;
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let size = terminal::window_size()?;
        Ok(WindowSize {
            columns_rows: Size {
                width: size.columns,
                height: size.rows,
            },
            pixels: Size {
                width: size.width,
                height: size.height,
            },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

#[cfg(test)]
mod tests;
