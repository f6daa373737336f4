//! Terminal setup and restore. (Sanitising text for the terminal is
//! [`crate::sanitize`], below every layer that handles text from AWS.)
//!
//! The terminal is restored on normal exit (guard drop), on error (guard
//! drop while unwinding the `?`), on panic (panic hook) and on SIGTERM /
//! SIGHUP (the render loop polls [`TerminationFlag`] and returns normally).

pub mod clipboard;
mod lean_backend;

use std::io::{self, Stdout, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::{
    cursor, execute,
    style::{Attribute, SetAttribute},
    terminal::{self, EnterAlternateScreen, LeaveAlternateScreen},
};
use ratatui::Terminal;

pub use lean_backend::LeanBackend;

/// Whether the locale's character set is UTF-8, from the variables POSIX
/// reads for it (`LC_ALL`, then `LC_CTYPE`, then `LANG`; the first one set
/// and not empty decides). No locale at all is the "C" locale, which is
/// ASCII: the TUI then draws in ASCII mode (`ui::ascii`).
pub fn locale_is_utf8(var: impl Fn(&str) -> Option<String>) -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|name| var(name).filter(|v| !v.is_empty()))
        .is_some_and(|locale| {
            let locale = locale.to_ascii_lowercase();
            locale.contains("utf-8") || locale.contains("utf8")
        })
}

/// The terminal type the TUI draws on.
pub type Tui = Terminal<LeanBackend<Stdout>>;

/// Puts the terminal back the way the shell expects it. Safe to call twice.
pub fn restore() {
    let _ = terminal::disable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(
        out,
        SetAttribute(Attribute::Reset),
        LeaveAlternateScreen,
        cursor::Show
    );
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
        let terminal = Terminal::new(LeanBackend::new(out)).inspect_err(|_| restore())?;
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

#[cfg(test)]
mod tests {
    use super::locale_is_utf8;

    fn locale(vars: &'static [(&'static str, &'static str)]) -> bool {
        locale_is_utf8(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn the_first_set_locale_variable_decides() {
        assert!(locale(&[("LANG", "en_US.UTF-8")]));
        assert!(locale(&[("LC_CTYPE", "de_DE.utf8"), ("LANG", "C")]));
        assert!(!locale(&[("LC_ALL", "C"), ("LANG", "en_US.UTF-8")]));
        assert!(!locale(&[("LANG", "en_US.ISO-8859-1")]));
        assert!(locale(&[("LC_ALL", ""), ("LANG", "C.UTF-8")]));
    }

    #[test]
    fn no_locale_is_the_ascii_c_locale() {
        assert!(!locale(&[]));
    }
}
