//! ASCII mode (`--ascii`, and automatically when the locale is not UTF-8):
//! after a frame is drawn, the braille, block and box-drawing characters in
//! it, and the few symbols monitui draws itself, are replaced with ASCII,
//! so a terminal that cannot show them still gets a readable screen. It
//! works on the finished buffer, so every tab, dialog and chart is covered
//! without each drawing function knowing about it. Other characters (text
//! that came from AWS, already sanitised) are left as they are.

use ratatui::buffer::Buffer;

/// Replaces every foldable character of `buf` with its ASCII stand-in.
pub fn fold(buf: &mut Buffer) {
    for cell in &mut buf.content {
        let mut chars = cell.symbol().chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && !c.is_ascii()
            && let Some(a) = ascii_for(c)
        {
            cell.set_char(a);
        }
    }
}

/// The ASCII stand-in for `c`, or `None` when `c` is left alone.
pub fn ascii_for(c: char) -> Option<char> {
    match c {
        '\u{2500}'..='\u{257F}' => Some(box_drawing(c)),
        '\u{2580}'..='\u{259F}' => Some(block(c)),
        '\u{2800}' => Some(' '),
        '\u{2801}'..='\u{28FF}' => Some(braille(c)),
        _ => symbol(c),
    }
}

/// Lines become `-` and `|`; corners, tees and crosses `+`.
fn box_drawing(c: char) -> char {
    match c {
        '─' | '━' | '┄' | '┅' | '┈' | '┉' | '╌' | '╍' | '═' | '╴' | '╶' | '╸' | '╺' | '╼' | '╾' => {
            '-'
        }
        '│' | '┃' | '┆' | '┇' | '┊' | '┋' | '╎' | '╏' | '║' | '╵' | '╷' | '╹' | '╻' | '╽' | '╿' => {
            '|'
        }
        _ => '+',
    }
}

/// Bars keep their height as far as ASCII can: `_ . - = + * #`.
fn block(c: char) -> char {
    match c {
        '▁' | '▂' => '_',
        '▃' => '.',
        '▄' => '-',
        '▅' => '=',
        '▆' => '+',
        '▇' => '*',
        '░' => ':',
        '▀' | '▔' => '"',
        _ => '#',
    }
}

/// A braille cell holds up to 8 dots of a chart: one or two read as a
/// point of a line, more as a filled area.
fn braille(c: char) -> char {
    let dots = (c as u32 - 0x2800).count_ones();
    match dots {
        1 | 2 => '.',
        3 | 4 => ':',
        _ => '#',
    }
}

/// The symbols monitui's own drawing uses.
fn symbol(c: char) -> Option<char> {
    Some(match c {
        '…' | '·' => '.',
        '●' | '•' | '◆' | '★' | '✚' => '*',
        '◌' | '⊘' => 'o',
        '✔' | '✓' => 'v',
        '▲' | '↑' => '^',
        '↓' | '▼' => 'v',
        '→' | '▸' | '▶' => '>',
        '←' | '◀' | '◂' => '<',
        '⚠' => '!',
        '■' => '#',
        '—' | '–' => '-',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use ratatui::{
        Terminal,
        backend::TestBackend,
        layout::Rect,
        symbols::Marker,
        widgets::{Block, Borders, Paragraph, Sparkline},
    };

    use super::*;

    #[test]
    fn every_box_block_and_braille_character_folds_to_ascii() {
        for c in ('\u{2500}'..='\u{259F}').chain('\u{2800}'..='\u{28FF}') {
            let a = ascii_for(c).unwrap_or_else(|| panic!("{c:?} is not folded"));
            assert!(a.is_ascii_graphic() || a == ' ', "{c:?} -> {a:?}");
        }
    }

    #[test]
    fn text_from_aws_is_left_alone() {
        for c in ['é', '日', 'ß', 'a', ' '] {
            assert_eq!(ascii_for(c), None, "{c:?}");
        }
    }

    #[test]
    fn a_drawn_frame_of_borders_bars_and_braille_is_all_ascii() {
        let mut terminal = Terminal::new(TestBackend::new(30, 8)).unwrap();
        terminal
            .draw(|f| {
                let block = Block::default().borders(Borders::ALL).title("λ café");
                f.render_widget(
                    Sparkline::default()
                        .block(block)
                        .data([1u64, 3, 5, 7, 2, 8, 4]),
                    Rect::new(0, 0, 30, 4),
                );
                f.render_widget(Paragraph::new("● ALARM … ⠉⣿ ─│┼"), Rect::new(0, 4, 30, 1));
                let canvas = ratatui::widgets::canvas::Canvas::default()
                    .marker(Marker::Braille)
                    .x_bounds([0.0, 10.0])
                    .y_bounds([0.0, 10.0])
                    .paint(|ctx| {
                        ctx.draw(&ratatui::widgets::canvas::Line::new(
                            0.0,
                            0.0,
                            10.0,
                            10.0,
                            ratatui::style::Color::Red,
                        ));
                    });
                f.render_widget(canvas, Rect::new(0, 5, 30, 3));
                fold(f.buffer_mut());
            })
            .unwrap();
        let buf = terminal.backend().buffer();
        let text: String = buf.content.iter().map(|c| c.symbol()).collect();
        let foreign: String = text.chars().filter(|c| !c.is_ascii()).collect();
        assert_eq!(foreign, "λé", "only the title's own letters stay");
        assert!(text.starts_with("+λ café"), "{text}");
        assert!(text.contains("* ALARM . .# -|+"), "{text}");
        assert!(text.contains('.'), "the chart line is still drawn");
    }
}
