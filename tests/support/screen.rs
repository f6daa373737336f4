//! What a terminal shows: the bytes a program sent to a pty, fed through a
//! terminal emulator (`vt100`), so a test can wait for text on the screen
//! however the program split its updates into cursor moves and runs.

use std::num::NonZeroU16;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// A screen of `cols` x `rows` kept up to date from a pty's output.
pub struct Screen {
    parser: vt100::Parser,
    rx: Receiver<Vec<u8>>,
    /// Every byte taken in so far, for checks on what reached the terminal.
    bytes: Vec<u8>,
}

impl Screen {
    /// A screen fed by `rx` (see `Pty::output`).
    pub fn new(rx: Receiver<Vec<u8>>, cols: u16, rows: u16) -> Self {
        Screen {
            parser: vt100::Parser::new(size(rows), size(cols), 0),
            rx,
            bytes: Vec::new(),
        }
    }

    fn take(&mut self, bytes: &[u8]) {
        self.parser.process(bytes);
        self.bytes.extend_from_slice(bytes);
    }

    /// Every byte the program printed so far (what [`Screen::settle`],
    /// the waits and [`Screen::read_to_end`] took in).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Takes in everything until the program has closed the terminal;
    /// panics after `timeout`.
    pub fn read_to_end(&mut self, timeout: Duration) {
        let end = Instant::now() + timeout;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(bytes) => self.take(&bytes),
                Err(RecvTimeoutError::Disconnected) => return,
                Err(RecvTimeoutError::Timeout) => {
                    panic!("the program did not finish within {timeout:?}")
                }
            }
        }
    }

    /// Takes in everything the program prints for `duration`.
    pub fn settle(&mut self, duration: Duration) {
        let end = Instant::now() + duration;
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            match self.rx.recv_timeout(left) {
                Ok(bytes) => self.take(&bytes),
                Err(_) => return,
            }
        }
    }

    /// The terminal was resized to `cols` x `rows`.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.parser.screen_mut().set_size(size(rows), size(cols));
    }

    /// The emulated terminal's whole state (modes, cursor, cells).
    pub fn vt(&self) -> &vt100::Screen {
        self.parser.screen()
    }

    /// The text on the screen now, a line a row.
    pub fn text(&self) -> String {
        self.parser.screen().contents()
    }

    /// Reads output until the screen shows `needle`; returns how long that
    /// took. Panics with the screen after `timeout`.
    pub fn wait_for(&mut self, needle: &str, timeout: Duration) -> Duration {
        self.wait_until(needle, |text| text.contains(needle), timeout)
    }

    /// Reads output until the screen no longer shows `needle`.
    pub fn wait_gone(&mut self, needle: &str, timeout: Duration) -> Duration {
        self.wait_until(needle, |text| !text.contains(needle), timeout)
    }

    fn wait_until(
        &mut self,
        what: &str,
        done: impl Fn(&str) -> bool,
        timeout: Duration,
    ) -> Duration {
        let start = Instant::now();
        while !done(&self.text()) {
            let left = (start + timeout).saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(bytes) => self.take(&bytes),
                Err(_) => panic!(
                    "waited {timeout:?} for {what:?}; the screen shows:\n{}",
                    self.text()
                ),
            }
        }
        start.elapsed()
    }
}

fn size(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("a screen has at least one row and column")
}
