//! Makes text from AWS, logs and files safe to print: no escape sequence,
//! no control character, no bidi or invisible trick, no endless line.
//!
//! Escape sequences are recognised by `vte` (the parser behind Alacritty),
//! so CSI, OSC (titles, hyperlinks, clipboard writes), DCS, SOS, PM and APC
//! strings are removed whole, terminated or not. C1 controls that open or
//! close such a sequence (U+0090 DCS, U+009B CSI, U+009D OSC, U+009C ST, ...)
//! count as their 7-bit `ESC x` forms. Text arrives as `&str`, so a raw
//! 8-bit C1 byte can only come in as U+FFFD (whoever made the `&str`
//! refused or replaced invalid UTF-8), and the output, being a
//! `String`, cannot carry one either. What survives the parser is checked
//! char by char on the way out, so no control character is printed whatever
//! the parser decided.

use unicode_width::UnicodeWidthChar;

/// Longest line (in chars) shown before it is cut with [`CUT_MARKER`].
pub const MAX_LINE_CHARS: usize = 4096;

/// Ends a line that was cut at [`MAX_LINE_CHARS`], so the cut is visible.
pub const CUT_MARKER: char = '…';

/// Stands in for a control character (CR, BS, BEL, NEL, DEL, ...) so that
/// its place stays visible.
const CONTROL_MARKER: char = '·';

/// Tabs are expanded with spaces up to the next multiple of this column.
const TAB_STOP: usize = 8;

/// Sanitises one line for a single terminal row: escape sequences are
/// removed whole, tabs are expanded to spaces, other control characters
/// (C0, DEL, C1, CR, LF and the Unicode line separators) become
/// [`CONTROL_MARKER`], and bidi controls and invisible characters (zero-width
/// spaces and joiners, BOM, tag characters) are dropped. Lines longer than
/// [`MAX_LINE_CHARS`] are cut with [`CUT_MARKER`].
pub fn sanitize_line(line: &str) -> String {
    if is_plain(line) {
        return line.to_owned();
    }
    let mut sink = Sink::with_capacity(line.len());
    let mut parser = vte::Parser::new();
    let mut plain_from = 0;
    for (at, c) in line.char_indices() {
        if let Some(seven_bit) = c1_introducer(c as u32) {
            if !feed(&mut parser, &mut sink, &line.as_bytes()[plain_from..at])
                || !feed(&mut parser, &mut sink, &seven_bit)
            {
                return sink.out;
            }
            plain_from = at + c.len_utf8();
        }
    }
    feed(&mut parser, &mut sink, &line.as_bytes()[plain_from..]);
    sink.out
}

/// Sanitises text of several lines (an error message, say): each line
/// (ended by `\n` or `\r\n`) as by [`sanitize_line`], joined again with `\n`.
pub fn sanitize_text(text: &str) -> String {
    text.split('\n')
        .map(|line| sanitize_line(line.strip_suffix('\r').unwrap_or(line)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether `c` may reach the terminal as it is: not a control character
/// (C0, DEL, C1), not a bidi control or invisible character, not a line
/// separator. Every char [`sanitize_line`] returns passes this check.
pub fn is_safe_char(c: char) -> bool {
    !c.is_control() && !is_invisible(c) && !is_line_separator(c)
}

/// `json` (serde_json's output) with every unsafe char but the
/// pretty-printer's newlines written
/// as `\uXXXX` (a surrogate pair above U+FFFF). serde_json already escapes
/// newlines inside strings, and every other char that is not safe can only
/// stand inside a string, where the escape means the same char.
pub fn escape_unsafe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c == '\n' || is_safe_char(c) {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// Whether `line` can be printed as it is (the common case, kept cheap).
fn is_plain(line: &str) -> bool {
    line.len() <= MAX_LINE_CHARS && line.chars().all(is_safe_char)
}

/// Bidi controls (they reorder what follows, e.g. U+202E turns `exe.txt`
/// into `txt.exe`) and characters that take no room on screen (they make
/// two different names look the same): dropped.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}' // soft hyphen
        | '\u{061c}' // Arabic letter mark
        | '\u{180e}' // Mongolian vowel separator
        | '\u{200b}'..='\u{200f}' // zero-width space, (non-)joiner, LRM, RLM
        | '\u{202a}'..='\u{202e}' // bidi embeddings and overrides
        | '\u{2060}'..='\u{206f}' // word joiner, invisible operators, bidi isolates
        | '\u{feff}' // zero-width no-break space (BOM)
        | '\u{fff9}'..='\u{fffb}' // interlinear annotation controls
        | '\u{e0000}'..='\u{e007f}' // tag characters
    )
}

/// Unicode line and paragraph separators: shown like other line breaks.
fn is_line_separator(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}')
}

/// The 7-bit form (`ESC` and a final byte) of a C1 control that opens or
/// closes an escape sequence: DCS, SOS, CSI, ST, OSC, PM and APC.
fn c1_introducer(code: u32) -> Option<[u8; 2]> {
    match code {
        0x90 | 0x98 | 0x9b..=0x9f => Some([0x1b, (code - 0x40) as u8]),
        _ => None,
    }
}

/// Feeds `bytes` to the parser; false once the line is full.
fn feed(parser: &mut vte::Parser, sink: &mut Sink, bytes: &[u8]) -> bool {
    let mut rest = bytes;
    while !rest.is_empty() && !sink.full {
        let used = parser.advance_until_terminated(sink, rest);
        rest = &rest[used..];
    }
    !sink.full
}

/// Collects what the parser prints, keeping count of chars and columns.
struct Sink {
    out: String,
    chars: usize,
    column: usize,
    full: bool,
}

impl Sink {
    fn with_capacity(len: usize) -> Self {
        Self {
            out: String::with_capacity(len.min(MAX_LINE_CHARS * 4)),
            chars: 0,
            column: 0,
            full: false,
        }
    }

    fn push(&mut self, c: char) {
        if self.full {
            return;
        }
        if self.chars == MAX_LINE_CHARS {
            self.out.push(CUT_MARKER);
            self.full = true;
            return;
        }
        self.out.push(c);
        self.chars += 1;
        self.column += c.width().unwrap_or(0);
    }

    fn tab(&mut self) {
        for _ in 0..TAB_STOP - self.column % TAB_STOP {
            self.push(' ');
        }
    }
}

impl vte::Perform for Sink {
    fn print(&mut self, c: char) {
        if is_invisible(c) {
            return;
        }
        if c.is_control() || is_line_separator(c) {
            self.push(CONTROL_MARKER);
        } else {
            self.push(c);
        }
    }

    fn execute(&mut self, byte: u8) {
        if byte == b'\t' {
            self.tab();
        } else {
            self.push(CONTROL_MARKER);
        }
    }

    fn terminated(&self) -> bool {
        self.full
    }
}

#[cfg(test)]
mod tests;
