//! The one error a Logs Insights query can fail to parse with: where, and
//! what was expected there.

use thiserror::Error;

/// Why a query was refused, with the position a person can find (1-based
/// line and character column) and the one a program can slice at (byte
/// offset), plus what the parser expected there and what it found.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid query at line {line}, column {column}: expected {expected}, found {found}")]
pub struct QueryError {
    /// Byte offset into the query text where the problem starts.
    pub offset: usize,
    /// 1-based line of `offset`.
    pub line: usize,
    /// 1-based character column of `offset` within its line.
    pub column: usize,
    /// What the parser wanted at that position.
    pub expected: String,
    /// What is there instead: a short quote, or "the end of the query".
    pub found: String,
}

/// The longest quote of the text at an error position.
const QUOTE_CHARS: usize = 16;

impl QueryError {
    /// An error at `offset` of `query`; `found` quotes the text there.
    pub(crate) fn at(query: &str, offset: usize, expected: impl Into<String>) -> Self {
        let offset = floor_boundary(query, offset.min(query.len()));
        let rest = &query[offset..];
        let word: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace())
            .take(QUOTE_CHARS)
            .collect();
        let found = if rest.is_empty() {
            "the end of the query".to_string()
        } else if word.is_empty() {
            "a line break or space".to_string()
        } else {
            format!("`{word}`")
        };
        let before = &query[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Self {
            offset,
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
            expected: expected.into(),
            found,
        }
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
