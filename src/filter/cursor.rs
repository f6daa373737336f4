//! A position in the pattern text that the parsers move through, so every
//! error can say where it happened.

use super::PatternError;

/// The pattern text and how far the parser has read it (a byte offset that
/// is always on a character boundary).
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `src`.
    pub(crate) fn new(src: &'a str) -> Self {
        Self { src, pos: 0 }
    }

    /// The byte offset read so far.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// The whole pattern text.
    pub(crate) fn src(&self) -> &'a str {
        self.src
    }

    /// The text not read yet.
    pub(crate) fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    /// Whether everything has been read.
    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    /// The next character, without reading it.
    pub(crate) fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// Reads one character.
    pub(crate) fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// Skips whitespace.
    pub(crate) fn skip_ws(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    /// Reads `token` if the text continues with it.
    pub(crate) fn eat(&mut self, token: &str) -> bool {
        if self.rest().starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    /// Reads the word `keyword` (any letter case) if the text continues
    /// with it and it is not the start of a longer word.
    pub(crate) fn eat_keyword(&mut self, keyword: &str) -> bool {
        let rest = self.rest();
        let Some(head) = rest.get(..keyword.len()) else {
            return false;
        };
        let ends_word = rest[keyword.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric() && c != '_');
        if head.eq_ignore_ascii_case(keyword) && ends_word {
            self.pos += keyword.len();
            true
        } else {
            false
        }
    }

    /// Reads characters while `keep` says so and returns them.
    pub(crate) fn take_while(&mut self, mut keep: impl FnMut(char) -> bool) -> &'a str {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if !keep(c) {
                break;
            }
            self.pos += c.len_utf8();
        }
        &self.src[start..self.pos]
    }

    /// Moves back to an earlier position (for one token of look-ahead).
    pub(crate) fn reset(&mut self, pos: usize) {
        debug_assert!(self.src.is_char_boundary(pos));
        self.pos = pos;
    }

    /// An error at the current position.
    pub(crate) fn error(&self, expected: impl Into<String>) -> PatternError {
        PatternError::at(self.src, self.pos, expected)
    }

    /// An error at an earlier position.
    pub(crate) fn error_at(&self, offset: usize, expected: impl Into<String>) -> PatternError {
        PatternError::at(self.src, offset, expected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_ignore_case_but_not_longer_words() {
        let mut c = Cursor::new("is NULLABLE");
        assert!(c.eat_keyword("IS"));
        c.skip_ws();
        assert!(!c.eat_keyword("NULL"));
        assert_eq!(c.rest(), "NULLABLE");
    }

    #[test]
    fn take_while_stops_on_multibyte_boundaries() {
        let mut c = Cursor::new("héllo wörld");
        assert_eq!(c.take_while(|c| !c.is_whitespace()), "héllo");
        c.skip_ws();
        assert_eq!(c.bump(), Some('w'));
        assert_eq!(c.bump(), Some('ö'));
        assert_eq!(c.pos(), "héllo wö".len());
    }
}
