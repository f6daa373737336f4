//! Where in a file something went wrong: turns the byte spans the TOML
//! parser reports into the `file:line:column` that error messages show.

use std::fmt;
use std::ops::Range;

/// A file name plus, when known, the 1-based line and column of the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// How the file is shown: a path, or a label for embedded files.
    pub file: String,
    /// 1-based line and column (in characters), if the parser gave a span.
    pub line_col: Option<(usize, usize)>,
}

impl Position {
    /// The position of byte `span.start` in `text`, for a file shown as `file`.
    pub fn at(file: &str, text: &str, span: Option<Range<usize>>) -> Self {
        Self {
            file: file.to_string(),
            line_col: span.map(|s| line_col(text, s.start)),
        }
    }

    /// The 1-based line, if known.
    pub fn line(&self) -> Option<usize> {
        self.line_col.map(|(line, _)| line)
    }

    /// The 1-based column, if known.
    pub fn column(&self) -> Option<usize> {
        self.line_col.map(|(_, column)| column)
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line_col {
            Some((line, column)) => write!(f, "{}:{line}:{column}", self.file),
            None => write!(f, "{}", self.file),
        }
    }
}

/// A TOML error as (where, what): the position from its span and the
/// parser's own message, followed by the offending line so the key is visible.
pub fn describe_toml_error(file: &str, text: &str, err: &toml::de::Error) -> (Position, String) {
    let pos = Position::at(file, text, err.span());
    let mut message = err.message().trim_end().to_string();
    let source_line = pos
        .line()
        .and_then(|line| text.lines().nth(line - 1))
        .map(str::trim)
        .filter(|l| !l.is_empty());
    if let Some(source_line) = source_line {
        message.push_str(&format!(" (in `{source_line}`)"));
    }
    (pos, message)
}

/// 1-based line and character column of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_byte_is_line_one_column_one() {
        assert_eq!(line_col("abc", 0), (1, 1));
    }

    #[test]
    fn counts_lines_and_characters_not_bytes() {
        let text = "a = 1\nbé = 2\n";
        let offset = text.find('2').unwrap();
        assert_eq!(line_col(text, offset), (2, 6));
    }

    #[test]
    fn offset_past_end_is_clamped() {
        assert_eq!(line_col("x\ny", 99), (2, 2));
    }

    #[test]
    fn display_includes_line_and_column_when_known() {
        let pos = Position::at("f.toml", "a\nbc", Some(3..4));
        assert_eq!(pos.to_string(), "f.toml:2:2");
        assert_eq!(Position::at("f.toml", "", None).to_string(), "f.toml");
    }
}
