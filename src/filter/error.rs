//! The one error a filter pattern can fail to parse with: where, and what
//! was expected there.

use thiserror::Error;

/// Why a filter pattern was refused, with the position a person can find
/// (1-based character column) and the one a program can slice at (byte
/// offset), plus what the parser expected there and what it found.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid filter pattern at column {column}: expected {expected}, found {found}")]
pub struct PatternError {
    /// Byte offset into the pattern text where the problem starts.
    pub offset: usize,
    /// 1-based character column of `offset`.
    pub column: usize,
    /// What the parser wanted at that position.
    pub expected: String,
    /// What is there instead: a short quote, or "the end of the pattern".
    pub found: String,
}

impl PatternError {
    /// An error at `offset` of `pattern`; `found` quotes the text there.
    pub(crate) fn at(pattern: &str, offset: usize, expected: impl Into<String>) -> Self {
        let found = quote_at(pattern, offset);
        Self::with_found(pattern, offset, expected, found)
    }

    /// An error at `offset` of `pattern` with an explicit description of
    /// what was found (when a quote of the text would not say it).
    pub(crate) fn with_found(
        pattern: &str,
        offset: usize,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> Self {
        let offset = offset.min(pattern.len());
        let column = pattern
            .get(..offset)
            .map_or(offset, |before| before.chars().count())
            + 1;
        Self {
            offset,
            column,
            expected: expected.into(),
            found: found.into(),
        }
    }
}

/// Checks a table of refused patterns: each `(pattern, column, expected)`
/// must fail in `err` at that column, expecting that. The pattern modules'
/// error tests share it.
#[cfg(test)]
pub(crate) fn assert_refused(cases: &[(&str, usize, &str)], err: impl Fn(&str) -> PatternError) {
    for &(pattern, column, expected) in cases {
        let e = err(pattern);
        assert_eq!(
            (e.column, e.expected.as_str()),
            (column, expected),
            "{pattern}: {e}"
        );
    }
}

/// The longest quote of the text at an error position.
const QUOTE_CHARS: usize = 16;

/// Quotes the text starting at `offset`, up to the next whitespace and at
/// most [`QUOTE_CHARS`] characters, in backticks.
fn quote_at(pattern: &str, offset: usize) -> String {
    let rest = pattern.get(offset..).unwrap_or("");
    if rest.is_empty() {
        return "the end of the pattern".to_owned();
    }
    let word: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(QUOTE_CHARS)
        .map(|c| {
            if is_invisible(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    if word.is_empty() {
        "a space".to_owned()
    } else {
        format!("`{word}`")
    }
}

/// Characters a quote must not show as they are: controls (escape
/// sequences start with one), bidi overrides and zero-width characters.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_counts_characters_not_bytes() {
        let e = PatternError::at("é = x", 3, "a selector");
        assert_eq!(e.offset, 3);
        assert_eq!(e.column, 3);
        assert_eq!(e.found, "`=`");
    }

    #[test]
    fn end_of_pattern_and_spaces_are_named() {
        assert_eq!(
            PatternError::at("ab", 2, "x").found,
            "the end of the pattern"
        );
        assert_eq!(PatternError::at("a  b", 1, "x").found, "a space");
    }

    #[test]
    fn message_names_column_expected_and_found() {
        let e = PatternError::at("{ $.a = }", 8, "a value");
        assert_eq!(
            e.to_string(),
            "invalid filter pattern at column 9: expected a value, found `}`"
        );
    }

    #[test]
    fn controls_in_the_quote_are_escaped() {
        let e = PatternError::at("a\u{1b}[31m\u{202e}b", 1, "x");
        assert_eq!(e.found, "`\\u{1b}[31m\\u{202e}b`");
    }

    #[test]
    fn long_words_are_cut_in_the_quote() {
        let e = PatternError::at("abcdefghijklmnopqrstuvwxyz", 0, "x");
        assert_eq!(e.found, "`abcdefghijklmnop`");
    }
}
