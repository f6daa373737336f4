//! Terminal setup and restore, and sanitising text for the terminal.
//!
//! The terminal is restored on normal exit (guard drop), on error (guard
//! drop while unwinding the `?`), on panic (panic hook) and on SIGTERM /
//! SIGHUP (the render loop polls [`TerminationFlag`] and returns normally).

mod sanitize;

use std::io::{self, Stdout, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::{
    cursor, execute,
    terminal::{self, EnterAlternateScreen, LeaveAlternateScreen},
};
use ratatui::{Terminal, backend::CrosstermBackend};

pub use sanitize::{CUT_MARKER, MAX_LINE_CHARS, is_safe_char, sanitize_line, sanitize_text};

/// The terminal type the TUI draws on.
pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Puts the terminal back the way the shell expects it. Safe to call twice.
pub fn restore() {
    let _ = terminal::disable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(out, LeaveAlternateScreen, cursor::Show);
    let _ = out.flush();
}

/// Owns the terminal while the TUI runs; dropping it restores the terminal.
pub struct TerminalGuard {
    /// The ratatui terminal.
    pub terminal: Tui,
}

impl TerminalGuard {
    /// Raw mode, alternate screen, hidden cursor, and a panic hook that
    /// restores all of it before the panic message is printed.
    pub fn enter() -> io::Result<Self> {
        install_panic_hook();
        terminal::enable_raw_mode()?;
        let mut out = io::stdout();
        if let Err(e) = execute!(out, EnterAlternateScreen, cursor::Hide) {
            restore();
            return Err(e);
        }
        let terminal = Terminal::new(CrosstermBackend::new(out)).inspect_err(|_| restore())?;
        Ok(Self { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Set when SIGTERM or SIGHUP arrives, so the render loop can exit cleanly
/// and the guard can restore the terminal.
#[derive(Debug, Clone)]
pub struct TerminationFlag(Arc<AtomicBool>);

impl TerminationFlag {
    /// Registers the flag for SIGTERM, SIGHUP and SIGINT.
    pub fn register() -> io::Result<Self> {
        let flag = Arc::new(AtomicBool::new(false));
        for signal in [
            signal_hook::consts::SIGTERM,
            signal_hook::consts::SIGHUP,
            signal_hook::consts::SIGINT,
        ] {
            signal_hook::flag::register(signal, Arc::clone(&flag))?;
        }
        Ok(Self(flag))
    }

    /// Whether a termination signal has arrived.
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}
