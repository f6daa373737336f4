//! Copying text to the clipboard of the terminal monitui draws on, with an
//! OSC 52 sequence (`ESC ] 52 ; c ; BASE64 BEL`). It reaches the clipboard
//! of the machine the person sits at, over SSH and through a bastion,
//! where the terminal allows it (most do; some ask first, tmux needs
//! `set-clipboard on`). Terminals cap how much they take, so text over
//! [`MAX_COPY_BYTES`] is refused whole rather than cut (half a JSON
//! document is worse than none).

use std::io::{self, Write};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The most text one copy sends: 75,000 bytes are 100,000 of base64, what
/// hterm and several other terminals take at most.
pub const MAX_COPY_BYTES: usize = 75_000;

/// Why nothing was copied.
#[derive(Debug, thiserror::Error)]
pub enum ClipboardError {
    /// The text is over [`MAX_COPY_BYTES`].
    #[error(
        "{len} bytes is more than the {MAX_COPY_BYTES} a terminal takes at once; nothing was copied"
    )]
    TooLarge {
        /// The text's size in bytes.
        len: usize,
    },
    /// The terminal could not be written to.
    #[error("cannot write to the terminal: {0}")]
    Io(#[from] io::Error),
}

/// The OSC 52 sequence that puts `text` on the clipboard.
pub fn osc52(text: &str) -> Result<String, ClipboardError> {
    if text.len() > MAX_COPY_BYTES {
        return Err(ClipboardError::TooLarge { len: text.len() });
    }
    Ok(format!("\x1b]52;c;{}\x07", STANDARD.encode(text)))
}

/// Writes the sequence copying `text` to `out` and flushes it; returns
/// how many bytes of text were copied.
pub fn write_clipboard(out: &mut dyn Write, text: &str) -> Result<usize, ClipboardError> {
    out.write_all(osc52(text)?.as_bytes())?;
    out.flush()?;
    Ok(text.len())
}

/// Copies `text` to the clipboard through the terminal on stdout; returns
/// how many bytes were copied (for a "copied N bytes" message).
pub fn copy_to_clipboard(text: &str) -> Result<usize, ClipboardError> {
    write_clipboard(&mut io::stdout().lock(), text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_carries_the_text_in_base64() {
        let mut out = Vec::new();
        assert_eq!(write_clipboard(&mut out, "{\"a\":1}").unwrap(), 7);
        let sent = String::from_utf8(out).unwrap();
        let payload = sent
            .strip_prefix("\x1b]52;c;")
            .and_then(|rest| rest.strip_suffix('\x07'))
            .unwrap();
        assert_eq!(STANDARD.decode(payload).unwrap(), b"{\"a\":1}");
    }

    #[test]
    fn text_over_the_cap_is_refused_whole() {
        let mut out = Vec::new();
        let big = "x".repeat(MAX_COPY_BYTES + 1);
        let err = write_clipboard(&mut out, &big).unwrap_err();
        assert!(matches!(err, ClipboardError::TooLarge { len } if len == MAX_COPY_BYTES + 1));
        assert!(out.is_empty(), "nothing is written");
        assert!(osc52(&"x".repeat(MAX_COPY_BYTES)).is_ok());
    }
}
