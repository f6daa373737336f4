//! The one error a Logs Insights query can fail to parse with: where, and
//! what was expected there, or which valid construct the demo account's
//! evaluator does not evaluate.

use thiserror::Error;

/// Why a query was refused, with the position a person can find (1-based
/// line and character column) and the one a program can slice at (byte
/// offset), plus what the parser expected there and what it found.
/// When the query is valid Logs Insights that the demo account cannot run,
/// `unsupported` names the construct instead (the service runs it).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", self.describe())]
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
    /// The valid construct the demo account does not evaluate (such as
    /// "the `pattern` command"); `None` for a malformed query.
    pub unsupported: Option<String>,
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
            unsupported: None,
        }
    }

    /// Valid Logs Insights at `offset` of `query` that the demo account's
    /// evaluator does not evaluate: `construct` names it.
    pub(crate) fn unsupported(query: &str, offset: usize, construct: impl Into<String>) -> Self {
        let construct = construct.into();
        Self {
            unsupported: Some(construct.clone()),
            ..Self::at(query, offset, construct)
        }
    }

    fn describe(&self) -> String {
        let (line, column) = (self.line, self.column);
        match &self.unsupported {
            Some(construct) => format!(
                "the demo account does not evaluate {construct} (line {line}, column {column}); AWS runs the query as written"
            ),
            None => format!(
                "invalid query at line {line}, column {column}: expected {}, found {}",
                self.expected, self.found
            ),
        }
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
