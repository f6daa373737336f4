//! Term patterns for unstructured events: `ERROR ARGUMENTS` (all terms),
//! `?ERROR ?WARN` (any of them), `ERROR -ARGUMENTS` (not that one), and
//! `"exact phrase"`.
//!
//! A term matches where its text occurs anywhere in the event, case
//! sensitive (`ERROR` also finds `ERRORNEOUS`). When a pattern mixes plain
//! and `?` terms, the `?` terms do not change the result, as on the
//! service. A quoted phrase of only whitespace (`" "`) is in every event.

use std::ops::Range;

use memchr::memmem::Finder;

use super::PatternError;
use super::cursor::Cursor;
use super::value::read_quoted;

/// One term: the text to find, precompiled.
#[derive(Debug, Clone)]
struct Term {
    /// `None` for a phrase of only whitespace, which every event has.
    finder: Option<Finder<'static>>,
}

impl Term {
    fn new(text: &str) -> Self {
        let finder = (!text.trim().is_empty()).then(|| Finder::new(text).into_owned());
        Self { finder }
    }

    fn is_in(&self, message: &[u8]) -> bool {
        self.finder
            .as_ref()
            .is_none_or(|f| f.find(message).is_some())
    }
}

/// A parsed term pattern.
#[derive(Debug, Clone, Default)]
pub(crate) struct TermPattern {
    required: Vec<Term>,
    optional: Vec<Term>,
    excluded: Vec<Term>,
}

impl TermPattern {
    /// Parses the whole pattern text as terms.
    pub(crate) fn parse(src: &str) -> Result<Self, PatternError> {
        let mut cur = Cursor::new(src);
        let mut pattern = Self::default();
        loop {
            cur.skip_ws();
            let Some(first) = cur.peek() else {
                return Ok(pattern);
            };
            let list = match first {
                '?' => &mut pattern.optional,
                '-' => &mut pattern.excluded,
                _ => &mut pattern.required,
            };
            if matches!(first, '?' | '-') {
                cur.bump();
                if cur.peek().is_none_or(char::is_whitespace) {
                    return Err(cur.error(format!("a term or quoted phrase right after `{first}`")));
                }
            }
            list.push(Term::new(&read_term(&mut cur)?));
        }
    }

    /// Whether the event has every plain term, none of the `-` terms, and,
    /// when there are only `?` terms, at least one of them.
    pub(crate) fn matches(&self, message: &str) -> bool {
        let bytes = message.as_bytes();
        self.required.iter().all(|t| t.is_in(bytes))
            && !self.excluded.iter().any(|t| t.is_in(bytes))
            && (!self.required.is_empty()
                || self.optional.is_empty()
                || self.optional.iter().any(|t| t.is_in(bytes)))
    }

    /// Byte ranges of every occurrence of the plain and `?` terms, sorted
    /// and merged where they overlap.
    pub(crate) fn spans(&self, message: &str) -> Vec<Range<usize>> {
        let bytes = message.as_bytes();
        let mut spans: Vec<Range<usize>> = self
            .required
            .iter()
            .chain(&self.optional)
            .filter_map(|t| t.finder.as_ref())
            .flat_map(|f| {
                let len = f.needle().len();
                f.find_iter(bytes).map(move |start| start..start + len)
            })
            .collect();
        spans.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
        for span in spans {
            match merged.last_mut() {
                Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
                _ => merged.push(span),
            }
        }
        merged
    }
}

/// Reads one term: a quoted phrase, or text up to the next whitespace.
fn read_term(cur: &mut Cursor<'_>) -> Result<String, PatternError> {
    let text = if cur.peek() == Some('"') {
        read_quoted(cur)?.join("*")
    } else {
        let word = cur.take_while(|c| !c.is_whitespace() && c != '"');
        if cur.peek() == Some('"') {
            return Err(cur.error(
                "a space before this quote (put a term with quotes or other symbols in double quotes)",
            ));
        }
        word.to_owned()
    };
    if cur.peek().is_some_and(|c| !c.is_whitespace()) {
        return Err(cur.error("a space after the closing quote"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, message: &str) -> bool {
        TermPattern::parse(pattern).expect(pattern).matches(message)
    }

    const E1: &str = "[ERROR 400] BAD REQUEST";
    const E2: &str = "[ERROR 401] UNAUTHORIZED REQUEST";
    const E3: &str = "[ERROR 419] MISSING ARGUMENTS";
    const E5: &str = "[ERROR 500] INTERNAL SERVER ERROR";

    #[test]
    fn plain_terms_must_all_occur() {
        assert!(m("ERROR", E1));
        assert!(m("ERROR ARGUMENTS", E3));
        assert!(!m("ERROR ARGUMENTS", E1));
        assert!(m("MISSING ERROR", E3), "order does not matter");
    }

    #[test]
    fn terms_are_case_sensitive_substrings() {
        assert!(m("ERROR", "ERRORNEOUS PROGRAM"));
        assert!(!m("ERROR", "Error: entity not found!"));
        assert!(!m("ERROR", "NotFoundError"));
        assert!(m("AUTHORIZED", E2));
        assert!(m("40", E1));
    }

    #[test]
    fn question_marks_mean_any_of() {
        assert!(m("?BAD ?INVALID", E1));
        assert!(!m("?BAD ?INVALID", E2));
        assert!(m("?\"clean up\" ?xyz", "map clean up"));
        assert!(m("?\"clean up\" ?xyz", "xyz"));
        assert!(!m("?\"clean up\" ?xyz", "map is cleaned up"));
        assert!(!m("?\"clean up\" ?xyz", "abc xy yz xz"));
    }

    #[test]
    fn optional_terms_do_not_change_a_pattern_with_plain_terms() {
        assert!(m("ERROR ?NOPE", E1));
        assert!(!m("NOPE ?ERROR", E1));
    }

    #[test]
    fn minus_excludes() {
        assert!(m("ERROR -ARGUMENTS", E1));
        assert!(!m("ERROR -ARGUMENTS", E3));
        assert!(m("-ARGUMENTS", E5));
        assert!(!m("-ARGUMENTS", E3));
        assert!(!m("?BAD ?MISSING -ARGUMENTS", E3));
        assert!(m("?BAD ?MISSING -ARGUMENTS", E1));
        assert!(!m("-\"BAD REQUEST\"", E1));
    }

    #[test]
    fn phrases_are_exact_and_may_hold_symbols() {
        assert!(m("\"INTERNAL SERVER ERROR\"", E5));
        assert!(!m("\"SERVER INTERNAL\"", E5));
        assert!(m("\"ERROR][grpc\"", "2025-03-28 [ERROR][grpc] failed"));
        assert!(!m("\"ERROR][grpc\"", "[ERROR] [grpc]"));
        assert!(m("\"[ERROR 400]\"", E1));
        assert!(m(r#""say \"hi\"""#, r#"they say "hi" twice"#));
        assert!(m(r#""a\\b""#, r"path a\b"));
        assert!(
            m("\"100%*\"", "CPU at 100%*"),
            "stars in phrases are literal"
        );
        assert!(!m("\"100%*\"", "CPU at 100%"));
    }

    #[test]
    fn whitespace_phrases_and_empty_patterns_match_everything() {
        for message in ["", "x", E1, "no-spaces-at-all"] {
            assert!(m("\" \"", message));
            assert!(m("\"\"", message));
            assert!(m("", message));
            assert!(m("   ", message));
        }
        assert!(!m("-\" \"", "x"));
    }

    #[test]
    fn unicode_terms() {
        assert!(m("café", "un café noir"));
        assert!(!m("café", "un cafe noir"));
        assert!(m("\"日本 語\"", "テスト 日本 語 ok"));
        assert!(m("naïve -naïf", "naïve user"));
    }

    #[test]
    fn unquoted_symbols_are_literal() {
        assert!(m("user-service", "from user-service: ok"));
        assert!(m("status=500", "GET / status=500"));
        assert!(!m("status=500", "status = 500"));
    }

    #[test]
    fn syntax_errors_name_the_position() {
        let e = TermPattern::parse("ERROR ? x").unwrap_err();
        assert_eq!(e.column, 8);
        assert_eq!(e.expected, "a term or quoted phrase right after `?`");
        let e = TermPattern::parse("ERROR -").unwrap_err();
        assert_eq!(e.column, 8);
        assert_eq!(e.found, "the end of the pattern");
        let e = TermPattern::parse("\"unclosed phrase").unwrap_err();
        assert_eq!(e.column, 1);
        let e = TermPattern::parse("\"a\"b").unwrap_err();
        assert_eq!(
            (e.column, e.expected.as_str()),
            (4, "a space after the closing quote")
        );
        let e = TermPattern::parse("ab\"c\"").unwrap_err();
        assert_eq!(e.column, 3);
    }

    #[test]
    fn spans_cover_every_occurrence_merged() {
        let p = TermPattern::parse("ERROR ?RO -ARGUMENTS ?\"INTERNAL SERVER\"").unwrap();
        assert_eq!(p.spans(E5), vec![1..6, 12..27, 28..33]);
        assert_eq!(p.spans("nothing"), Vec::<Range<usize>>::new());
        assert!(TermPattern::parse("\" \"").unwrap().spans(E1).is_empty());
    }
}
