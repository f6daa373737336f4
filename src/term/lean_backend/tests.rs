use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;

use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::buffer::Cell;
use ratatui::style::{Color, Modifier};

use super::LeanBackend;

fn cell(symbol: &'static str, fg: Color, bg: Color, modifier: Modifier) -> Cell {
    let mut cell = Cell::new(symbol);
    cell.fg = fg;
    cell.bg = bg;
    cell.modifier = modifier;
    cell
}

/// What `backend` writes for one frame of `cells`, then a flush.
fn frame<B: Backend>(backend: &mut B, cells: &[(u16, u16, Cell)]) {
    let _ = backend.draw(cells.iter().map(|(x, y, c)| (*x, *y, c)));
    let _ = backend.flush();
}

fn written(backend: &LeanBackend<Vec<u8>>) -> String {
    String::from_utf8_lossy(&backend.writer).into_owned()
}

/// A writer whose bytes stay readable while a backend owns it.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_frame_that_changed_nothing_writes_nothing() {
    let mut backend = LeanBackend::new(Vec::new());
    frame(&mut backend, &[]);
    assert_eq!(written(&backend), "");
}

#[test]
fn one_sequence_per_style_change_with_short_base_colours() {
    let mut backend = LeanBackend::new(Vec::new());
    let bold_red = cell("a", Color::Red, Color::Black, Modifier::BOLD);
    frame(&mut backend, &[(3, 0, bold_red.clone()), (4, 0, bold_red)]);
    assert_eq!(written(&backend), "\x1b[1;4H\x1b[1;31;40maa");
}

#[test]
fn the_pen_carries_over_to_the_next_frame() {
    let mut backend = LeanBackend::new(Vec::new());
    let lit = cell("1", Color::Indexed(208), Color::Reset, Modifier::empty());
    let mut next = lit.clone();
    next.set_symbol("2");
    frame(&mut backend, &[(0, 0, lit)]);
    frame(&mut backend, &[(0, 0, next)]);
    assert_eq!(written(&backend), "\x1b[1;1H\x1b[38;5;208m1\x1b[1;1H2");
}

#[test]
fn an_attribute_is_turned_off_by_its_own_code() {
    let mut backend = LeanBackend::new(Vec::new());
    let both = Modifier::BOLD | Modifier::DIM | Modifier::UNDERLINED;
    frame(
        &mut backend,
        &[
            (0, 0, cell("a", Color::Reset, Color::Reset, both)),
            (1, 0, cell("b", Color::Reset, Color::Reset, Modifier::DIM)),
        ],
    );
    assert_eq!(written(&backend), "\x1b[1;1H\x1b[1;2;4ma\x1b[22;24;2mb");
}

#[test]
fn the_pen_is_made_plain_before_a_clear_and_when_dropped() {
    let mut backend = LeanBackend::new(Vec::new());
    frame(
        &mut backend,
        &[(
            0,
            0,
            cell("x", Color::Reset, Color::Blue, Modifier::empty()),
        )],
    );
    backend.clear().unwrap();
    let text = written(&backend);
    let reset = text.find("\x1b[0m").expect("a reset");
    let clear = text.find("\x1b[2J").expect("a clear");
    assert!(reset < clear, "{text:?}");
}

#[test]
fn the_cursor_is_hidden_once_while_it_stays_hidden() {
    let mut backend = LeanBackend::new(Vec::new());
    for _ in 0..3 {
        backend.hide_cursor().unwrap();
    }
    backend.show_cursor().unwrap();
    assert_eq!(written(&backend), "\x1b[?25l\x1b[?25h");
}

/// A small deterministic generator, so the comparison covers many style
/// sequences without a dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % below
    }
}

const COLORS: [Color; 8] = [
    Color::Reset,
    Color::Red,
    Color::LightCyan,
    Color::DarkGray,
    Color::Gray,
    Color::White,
    Color::Indexed(33),
    Color::Rgb(250, 10, 99),
];

const MODIFIERS: [Modifier; 6] = [
    Modifier::empty(),
    Modifier::BOLD,
    Modifier::DIM,
    Modifier::ITALIC,
    Modifier::UNDERLINED,
    Modifier::REVERSED,
];

fn random_frame(rng: &mut Lcg) -> Vec<(u16, u16, Cell)> {
    let mut cells = Vec::new();
    for y in 0..4u16 {
        for x in 0..12u16 {
            if rng.next(3) == 0 {
                continue;
            }
            let mut modifier = Modifier::empty();
            for _ in 0..rng.next(3) {
                modifier |= MODIFIERS[rng.next(MODIFIERS.len())];
            }
            // vt100 keeps one intensity (bold or dim), terminals keep both.
            if modifier.contains(Modifier::BOLD | Modifier::DIM) {
                modifier.remove(Modifier::DIM);
            }
            let symbol = ["a", "│", "⣿", " "][rng.next(4)];
            let fg = COLORS[rng.next(COLORS.len())];
            let bg = COLORS[rng.next(COLORS.len())];
            cells.push((x, y, cell(symbol, fg, bg, modifier)));
        }
    }
    cells
}

/// Every cell of a vt100 screen: text, colours and attributes.
fn screen_of(bytes: &[u8]) -> Vec<String> {
    let mut parser = vt100::Parser::new(4.try_into().unwrap(), 12.try_into().unwrap(), 0);
    parser.process(bytes);
    let screen = parser.screen();
    let mut cells = Vec::new();
    for row in 0..4 {
        for col in 0..12 {
            let c = screen.cell(row, col).expect("a cell");
            cells.push(format!(
                "{row},{col} {:?} {:?} {:?} b{} d{} i{} u{} r{}",
                c.contents(),
                c.fgcolor(),
                c.bgcolor(),
                c.bold(),
                c.dim(),
                c.italic(),
                c.underline(),
                c.inverse()
            ));
        }
    }
    cells
}

#[test]
fn the_screen_is_the_one_the_stock_backend_draws_in_fewer_bytes() {
    let mut rng = Lcg(7);
    let mut lean = LeanBackend::new(Vec::new());
    let stock_bytes = Shared::default();
    let mut stock = CrosstermBackend::new(stock_bytes.clone());
    for _ in 0..200 {
        let cells = random_frame(&mut rng);
        frame(&mut lean, &cells);
        frame(&mut stock, &cells);
        assert_eq!(
            screen_of(&lean.writer),
            screen_of(&stock_bytes.0.borrow()),
            "after frame {cells:?}"
        );
    }
    let (lean, stock) = (lean.writer.len(), stock_bytes.0.borrow().len());
    assert!(lean < stock, "lean {lean} bytes, stock {stock}");
}
