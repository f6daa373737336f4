//! JSON for `--output json`: pretty-printed, and safe to print on a
//! terminal. serde_json escapes C0 controls but writes DEL, C1 controls
//! (U+009B is CSI to some terminals), bidi overrides and invisible
//! characters raw; here every char that `term::is_safe_char` refuses is
//! written as a `\uXXXX` escape instead, so a script still reads the
//! exact text while a terminal shows it harmless.

use std::io::{self, Write};

use serde::Serialize;

use crate::term::escape_unsafe_json;

/// Writes `value` as pretty JSON and a newline, escaping every unsafe char.
pub fn write_json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    out.write_all(to_json(value)?.as_bytes())
}

/// `value` as pretty JSON and a newline, every unsafe char escaped.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let json = serde_json::to_string_pretty(value)?;
    Ok(escape_unsafe_json(&json) + "\n")
}

/// `value` as one line of JSON (for JSON Lines streams) and a newline,
/// every unsafe char escaped.
pub fn to_json_line<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let json = serde_json::to_string(value)?;
    Ok(escape_unsafe_json(&json) + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::term::is_safe_char;

    #[test]
    fn unsafe_chars_are_escaped_and_read_back_the_same() {
        let text = "a\u{1b}[31m\u{7f}\u{9b}2J\u{202e}\u{200b}\u{e0041}\u{2028}é日";
        let mut out = Vec::new();
        write_json(&mut out, &serde_json::json!({ "name": text })).unwrap();
        let printed = String::from_utf8(out).unwrap();
        assert!(
            printed.chars().all(|c| c == '\n' || is_safe_char(c)),
            "{printed:?}"
        );
        assert!(printed.contains("\\u009b") && printed.contains("\\udb40\\udc41"));
        assert!(printed.contains("é日"), "safe text stays as it is");
        let back: serde_json::Value = serde_json::from_str(&printed).unwrap();
        assert_eq!(back["name"], text);
    }
}
