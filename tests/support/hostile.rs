//! A corpus of hostile text, as AWS could return it in any field someone
//! else controls (alarm names and reasons, tags, log lines, CloudTrail
//! fields, dashboard text), and the check that nothing of it reached a
//! terminal raw.
//!
//! Every piece hides a payload word in its escape sequence (`PWNED`,
//! `evil.example`, a base64 clipboard text): sanitised output drops the
//! sequence whole, so the payload must never show; the visible words
//! (`CSI-RED`, `click`, ...) must.

/// Hostile pieces by name: escape sequences of every kind, C1 controls
/// as UTF-8, bidi overrides, zero-width characters, C0 controls.
pub const PIECES: &[(&str, &str)] = &[
    (
        "csi",
        "\x1b[2J\x1b[H\x1b[31mCSI-RED\x1b[0m\x1b[?1049h\x1b[6n",
    ),
    ("osc-0-title", "\x1b]0;PWNED-TITLE\x07title-bel"),
    ("osc-2-title-st", "\x1b]2;PWNED-TITLE\x1b\\title-st"),
    (
        "osc-8-link",
        "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    ),
    ("osc-52-clipboard", "\x1b]52;c;cm0gLXJmIH4K\x07clip"),
    ("dcs", "\x1bP+q544e\x1b\\\x1bP$qm\x1b\\dcs-gone"),
    ("apc", "\x1b_Ga=T,f=100;PWNED-APC\x1b\\apc-gone"),
    ("pm-sos", "\x1b^PWNED-PM\x1b\\\x1bXPWNED-SOS\x1b\\pm-gone"),
    (
        "c1-utf8",
        "\u{9b}31mC1-CSI\u{9d}0;PWNED-C1\u{9c}\u{90}+q\u{9c}\u{9f}PWNED-C1\u{9c}\u{85}c1-gone",
    ),
    (
        "bidi",
        "\u{202e}gpj.exe\u{202c} \u{2066}iso\u{2069}\u{200f}\u{61c}bidi-gone",
    ),
    (
        "zero-width",
        "pr\u{200b}od\u{200d}\u{feff}\u{2060}\u{e0041}zw-gone",
    ),
    (
        "c0",
        "bel\x07bs\x08cr\rlf\nnul\0del\x7fcan\x18sub\x1atab\tc0-end",
    ),
    ("lone-esc", "lone-esc\x1b"),
];

/// Payload words hidden inside escape sequences: never visible after
/// sanitising.
pub const PAYLOADS: &[&str] = &["PWNED", "evil.example", "cm0gLXJmIH4K", "544e"];

/// Words outside the sequences: visible after sanitising.
pub const VISIBLE: &[&str] = &[
    "CSI-RED",
    "click",
    "clip",
    "dcs-gone",
    "apc-gone",
    "bidi-gone",
];

/// Length of [`huge_line`]: one mebibyte.
pub const HUGE_LINE_BYTES: usize = 1 << 20;

/// Every piece in one line.
pub fn all_pieces() -> String {
    PIECES
        .iter()
        .map(|(_, text)| *text)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A 1 MiB line with an escape sequence at the start and the end.
pub fn huge_line() -> String {
    let mut line = String::from("\x1b[1mhuge");
    line.push_str(&"L".repeat(HUGE_LINE_BYTES));
    line.push_str("\x1b]0;PWNED-TITLE\x07");
    line
}

/// A stand-in to encode where invalid UTF-8 should go: same length as
/// [`INVALID_UTF8`], so a length-prefixed encoding (CBOR) stays valid when
/// [`with_invalid_utf8`] swaps the bytes.
pub const INVALID_UTF8_STAND_IN: &str = "@@BAD-UTF8@@";

/// Invalid UTF-8, including a raw 8-bit CSI (0x9b) and OSC (0x9d).
pub const INVALID_UTF8: &[u8; 12] = b"\xff\x9b31m\x9d0;\xc3(\xe2\x82";

/// `body` with every [`INVALID_UTF8_STAND_IN`] replaced by [`INVALID_UTF8`].
pub fn with_invalid_utf8(body: &[u8]) -> Vec<u8> {
    let stand_in = INVALID_UTF8_STAND_IN.as_bytes();
    assert_eq!(stand_in.len(), INVALID_UTF8.len());
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i..].starts_with(stand_in) {
            out.extend_from_slice(INVALID_UTF8);
            i += stand_in.len();
        } else {
            out.push(body[i]);
            i += 1;
        }
    }
    out
}

/// What a terminal may receive besides plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    /// No escape sequence at all (CLI output).
    NoEscapes,
    /// Well-formed CSI sequences (`ESC [` params, intermediates, final
    /// byte): the TUI's own cursor moves and colours. No OSC, DCS, APC,
    /// PM, SOS or other escape.
    OwnCsi,
}

/// Panics unless `bytes`, as received by a terminal, hold nothing raw:
/// no escape sequence beyond `allowed`, valid UTF-8 (so no 8-bit C1
/// byte), no control character but CR and LF, no bidi control or
/// invisible character.
pub fn assert_harmless(bytes: &[u8], allowed: Allowed) {
    let mut text = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != 0x1b {
            text.push(bytes[i]);
            i += 1;
            continue;
        }
        let csi_len = match allowed {
            Allowed::OwnCsi => csi_length(&bytes[i..]),
            Allowed::NoEscapes => None,
        };
        match csi_len {
            Some(len) => {
                text.push(b'\n');
                i += len;
            }
            None => panic!("raw escape at byte {i}: {}", context(bytes, i)),
        }
    }
    let text = match String::from_utf8(text) {
        Ok(text) => text,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            panic!(
                "invalid UTF-8 reached the terminal: {}",
                context(e.as_bytes(), at)
            )
        }
    };
    for (at, c) in text.char_indices() {
        let fine = c == '\r' || c == '\n' || monitui::sanitize::is_safe_char(c);
        assert!(
            fine,
            "{c:?} reached the terminal: {}",
            context(text.as_bytes(), at)
        );
    }
}

/// Panics if a payload word of the corpus shows in `bytes`: sanitised text
/// drops an escape sequence whole, payload included. (JSON output keeps
/// it, escaped, so this is for text output only.)
pub fn assert_payloads_hidden(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for payload in PAYLOADS {
        if let Some(at) = text.find(payload) {
            panic!(
                "payload {payload:?} of an escape sequence is visible: {}",
                context(text.as_bytes(), at)
            );
        }
    }
}

/// Length of the well-formed CSI sequence at the start of `bytes`.
fn csi_length(bytes: &[u8]) -> Option<usize> {
    if bytes.get(1) != Some(&b'[') {
        return None;
    }
    let mut i = 2;
    while bytes.get(i).is_some_and(|b| (0x30..=0x3f).contains(b)) {
        i += 1;
    }
    while bytes.get(i).is_some_and(|b| (0x20..=0x2f).contains(b)) {
        i += 1;
    }
    bytes
        .get(i)
        .filter(|b| (0x40..=0x7e).contains(*b))
        .map(|_| i + 1)
}

fn context(bytes: &[u8], at: usize) -> String {
    let from = at.saturating_sub(40);
    let to = (at + 40).min(bytes.len());
    format!("{:?}", String::from_utf8_lossy(&bytes[from..to]))
}
