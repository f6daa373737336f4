//! A seeded stream of key presses and terminal sizes for driving every
//! screen: single keys (digits, letters, the punctuation that opens
//! prompts, Enter, Esc, arrows, paging, Tab, Backspace, Ctrl keys) mixed
//! with whole gestures a person makes (tail a group, `@` a time, `F` a
//! pattern, open an incident, a `:` command), and resizes down to 1x1. The
//! same seed gives the same stream, for the in-process test on the app
//! state and for the pty run of the binary alike.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key as a terminal sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Press {
    /// A printable character.
    Char(char),
    /// A letter with Ctrl held.
    Ctrl(char),
    /// A key without a character.
    Code(KeyCode),
}

impl Press {
    /// As crossterm reports it.
    pub fn event(self) -> KeyEvent {
        match self {
            Press::Char(c) => KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
            Press::Ctrl(c) => KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL),
            Press::Code(code) => KeyEvent::new(code, KeyModifiers::NONE),
        }
    }

    /// The bytes an xterm sends for it.
    pub fn bytes(self) -> Vec<u8> {
        let seq: &[u8] = match self {
            Press::Char(c) => return c.to_string().into_bytes(),
            Press::Ctrl(c) => return vec![(c as u8) & 0x1f],
            Press::Code(KeyCode::Enter) => b"\r",
            Press::Code(KeyCode::Esc) => b"\x1b",
            Press::Code(KeyCode::Tab) => b"\t",
            Press::Code(KeyCode::BackTab) => b"\x1b[Z",
            Press::Code(KeyCode::Backspace) => b"\x7f",
            Press::Code(KeyCode::Up) => b"\x1b[A",
            Press::Code(KeyCode::Down) => b"\x1b[B",
            Press::Code(KeyCode::Right) => b"\x1b[C",
            Press::Code(KeyCode::Left) => b"\x1b[D",
            Press::Code(KeyCode::Home) => b"\x1b[H",
            Press::Code(KeyCode::End) => b"\x1b[F",
            Press::Code(KeyCode::PageUp) => b"\x1b[5~",
            Press::Code(KeyCode::PageDown) => b"\x1b[6~",
            Press::Code(code) => panic!("no bytes for {code:?}"),
        };
        seq.to_vec()
    }
}

/// One step of the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Press this key.
    Key(Press),
    /// The terminal is now this many columns and rows.
    Resize(u16, u16),
}

/// Terminal sizes the stream picks from: tiny ones included.
pub const SIZES: [(u16, u16); 10] = [
    (1, 1),
    (2, 2),
    (10, 3),
    (20, 6),
    (40, 12),
    (80, 24),
    (100, 30),
    (120, 35),
    (160, 45),
    (220, 60),
];

/// Keys without a character that the stream presses.
const CODES: [KeyCode; 14] = [
    KeyCode::Enter,
    KeyCode::Esc,
    KeyCode::Tab,
    KeyCode::BackTab,
    KeyCode::Backspace,
    KeyCode::Up,
    KeyCode::Down,
    KeyCode::Left,
    KeyCode::Right,
    KeyCode::Home,
    KeyCode::End,
    KeyCode::PageUp,
    KeyCode::PageDown,
    KeyCode::Enter,
];

/// Characters the stream types one at a time (ASCII): every key the
/// screens bind and some they do not.
const CHARS: &str = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGIJLMNORSTZ:/@?[]-+ .*\"{}=$_";

/// Gestures, typed whole (`\r` is Enter, `\x1b` Esc, `\t` Tab, other
/// controls Ctrl and a letter: `\x12` is Ctrl-r).
const GESTURES: &[&str] = &[
    "4\r",
    "4jjj\r@25m\rFzzz-no-line-matches\r",
    "4jjj \x1b",
    "@25m\r",
    "@08:14\r",
    "@2026-01-16T14:00:00Z\r",
    "Fzzz-no-line-matches\r",
    "FERROR\r",
    "F{ $.level = \"ERROR\" }\r",
    "F\r",
    "/ERROR\rnnN",
    "/platform\r",
    "/(\r",
    "/\x1b",
    "2\r",
    "2i",
    "2ji",
    "i",
    "3\r",
    "3\rzjjz",
    "5\r",
    "5j\r",
    "5G\r",
    "5I",
    "5L",
    "5e",
    "ijjj\r",
    "4ie",
    "4ie\x12",
    "4io\r\x12",
    "ie | stats count(*) by bin(1m)\x12\x1bv",
    "e\t/aws/batch/job\t\x1b",
    ":range 3h\r",
    ":range nonsense\r",
    ":logs /aws/batch/job\r",
    ":tab 4\r",
    ":refresh\r",
    ":nonsense\r",
    "a note\r",
    "s\t\r",
    "o",
    "oo",
    "JwT",
    "S\x1b",
    "fp",
    "G",
    "g",
];

/// The seeded stream.
pub struct KeyStream {
    rng: fastrand::Rng,
    pending: Vec<Step>,
    /// Whether `q` and Ctrl-c may be pressed (they end the binary).
    quit_keys: bool,
}

impl KeyStream {
    /// The stream of `seed`; without `quit_keys` it never presses `q` or
    /// Ctrl-c.
    pub fn new(seed: u64, quit_keys: bool) -> Self {
        Self {
            rng: fastrand::Rng::with_seed(seed),
            pending: Vec::new(),
            quit_keys,
        }
    }

    fn press(&mut self) -> Press {
        match self.rng.u32(0..100) {
            0..55 => {
                let c = char::from(CHARS.as_bytes()[self.rng.usize(..CHARS.len())]);
                match c {
                    'q' if !self.quit_keys => Press::Char('Q'),
                    c => Press::Char(c),
                }
            }
            55..90 => Press::Code(CODES[self.rng.usize(..CODES.len())]),
            90..97 => Press::Ctrl(self.rng.choice(['u', 'd', 'r']).unwrap()),
            _ if self.quit_keys => Press::Ctrl('c'),
            _ => Press::Char('r'),
        }
    }
}

impl Iterator for KeyStream {
    type Item = Step;

    fn next(&mut self) -> Option<Step> {
        if let Some(step) = self.pending.pop() {
            return Some(step);
        }
        Some(match self.rng.u32(0..100) {
            0..3 => {
                let (cols, rows) = SIZES[self.rng.usize(..SIZES.len())];
                Step::Resize(cols, rows)
            }
            3..11 => {
                let gesture = GESTURES[self.rng.usize(..GESTURES.len())];
                self.pending = gesture
                    .chars()
                    .rev()
                    .map(|c| {
                        Step::Key(match c {
                            '\r' => Press::Code(KeyCode::Enter),
                            '\x1b' => Press::Code(KeyCode::Esc),
                            '\t' => Press::Code(KeyCode::Tab),
                            c if c.is_ascii_control() => Press::Ctrl(char::from(c as u8 | 0x60)),
                            c => Press::Char(c),
                        })
                    })
                    .collect();
                self.pending.pop().expect("a gesture has keys")
            }
            _ => Step::Key(self.press()),
        })
    }
}
