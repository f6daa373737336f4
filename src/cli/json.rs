//! JSON for `--output json`: pretty-printed, and safe to print on a
//! terminal. serde_json escapes C0 controls but writes DEL, C1 controls
//! (U+009B is CSI to some terminals), bidi overrides and invisible
//! characters raw; here every char that `sanitize::is_safe_char` refuses is
//! written as a `\uXXXX` escape instead, so a script still reads the
//! exact text while a terminal shows it harmless.

use std::io::{self, Write};

use serde::Serialize;

use crate::sanitize::escape_unsafe_json;

/// Writes `value` as pretty JSON and a newline, escaping every unsafe char.
/// The JSON is streamed through [`SafeJson`] rather than built whole
/// first, so a listing of 10,000 alarms is never held twice in memory.
pub fn write_json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    let mut safe = SafeJson {
        out,
        pending: Vec::with_capacity(SafeJson::CHUNK),
    };
    serde_json::to_writer_pretty(&mut safe, value)?;
    safe.write_all(b"\n")?;
    safe.flush()
}

/// Escapes unsafe chars in serde_json's output on its way to `out`, a
/// chunk at a time. A char split between two writes waits in `pending`
/// for its other bytes.
struct SafeJson<'a> {
    out: &'a mut dyn Write,
    pending: Vec<u8>,
}

impl SafeJson<'_> {
    /// Bytes gathered before they are escaped and passed on.
    const CHUNK: usize = 64 * 1024;

    /// Escapes and writes every whole char in `pending`.
    fn pass_on(&mut self) -> io::Result<()> {
        let whole = match std::str::from_utf8(&self.pending) {
            Ok(text) => text.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(e) => return Err(io::Error::new(io::ErrorKind::InvalidData, e)),
        };
        let text = std::str::from_utf8(&self.pending[..whole]).expect("checked above");
        self.out.write_all(escape_unsafe_json(text).as_bytes())?;
        self.pending.drain(..whole);
        Ok(())
    }
}

impl Write for SafeJson<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if self.pending.len() >= Self::CHUNK {
            self.pass_on()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.pass_on()?;
        self.out.flush()
    }
}

/// A pretty JSON array written an element at a time (as
/// [`write_json`] would write the whole array), for output that streams.
pub struct JsonArray<'a> {
    out: &'a mut dyn Write,
    written: usize,
}

impl<'a> JsonArray<'a> {
    /// An array about to be written to `out`.
    pub fn new(out: &'a mut dyn Write) -> Self {
        Self { out, written: 0 }
    }

    /// Writes the next element.
    pub fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> io::Result<()> {
        let json = serde_json::to_string_pretty(value)?;
        let lead = if self.written == 0 { "[\n  " } else { ",\n  " };
        self.out.write_all(lead.as_bytes())?;
        self.out
            .write_all(escape_unsafe_json(&json).replace('\n', "\n  ").as_bytes())?;
        self.written += 1;
        Ok(())
    }

    /// Closes the array (`[]` when nothing was written).
    pub fn finish(self) -> io::Result<()> {
        let end = if self.written == 0 { "[]\n" } else { "\n]\n" };
        self.out.write_all(end.as_bytes())?;
        self.out.flush()
    }
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

    #[test]
    fn an_array_written_element_by_element_is_the_array_written_whole() {
        let items = [
            serde_json::json!({"a": 1, "b": ["x\u{9b}"]}),
            serde_json::json!({"c": null}),
        ];
        for n in [0, 1, 2] {
            let (mut whole, mut streamed) = (Vec::new(), Vec::new());
            write_json(&mut whole, &items[..n]).unwrap();
            let mut array = JsonArray::new(&mut streamed);
            for item in &items[..n] {
                array.push(item).unwrap();
            }
            array.finish().unwrap();
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                String::from_utf8(whole).unwrap()
            );
        }
    }
    use crate::sanitize::is_safe_char;

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

    #[test]
    fn streamed_json_is_the_json_built_whole_even_across_chunks() {
        // Enough multi-byte and unsafe chars that chunk ends fall inside them.
        let names: Vec<String> = (0..20_000)
            .map(|i| format!("日{i}\u{9b}é\u{e0041}"))
            .collect();
        let mut out = Vec::new();
        write_json(&mut out, &names).unwrap();
        assert!(out.len() > 3 * SafeJson::CHUNK);
        assert_eq!(String::from_utf8(out).unwrap(), to_json(&names).unwrap());
    }
}
