//! String values with `*` wildcards, as JSON and space-delimited patterns
//! compare them (`= "Update*"`, `= 4*`, `!= 123.123.*`).

/// A text that `*` may stand in for any run of characters in; stored as the
/// literal pieces between the stars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Glob {
    /// Never empty; one piece means no wildcard at all.
    pieces: Vec<Box<str>>,
}

impl Glob {
    /// A glob from the literal pieces between its stars (`["a", "b"]` is
    /// `a*b`); no pieces at all is the empty text.
    pub(crate) fn from_pieces(pieces: Vec<String>) -> Self {
        let mut pieces: Vec<Box<str>> = pieces.into_iter().map(String::into_boxed_str).collect();
        if pieces.is_empty() {
            pieces.push(Box::from(""));
        }
        Self { pieces }
    }

    /// A glob from unquoted text, where every `*` is a wildcard.
    pub(crate) fn from_unquoted(text: &str) -> Self {
        Self::from_pieces(text.split('*').map(str::to_owned).collect())
    }

    /// Whether `text` matches the whole glob.
    pub(crate) fn matches(&self, text: &str) -> bool {
        let (first, last) = match self.pieces.as_slice() {
            [only] => return text == &**only,
            [first, .., last] => (first, last),
            [] => return text.is_empty(),
        };
        let Some(rest) = text.strip_prefix(&**first) else {
            return false;
        };
        let Some(mut middle) = rest.strip_suffix(&**last) else {
            return false;
        };
        for piece in &self.pieces[1..self.pieces.len() - 1] {
            match middle.find(&**piece) {
                Some(i) => middle = &middle[i + piece.len()..],
                None => return false,
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(glob: &str, text: &str) -> bool {
        Glob::from_unquoted(glob).matches(text)
    }

    #[test]
    fn without_a_star_the_whole_text_must_be_equal() {
        assert!(m("404", "404"));
        assert!(!m("404", "4040"));
        assert!(!m("", "x"));
        assert!(m("", ""));
    }

    #[test]
    fn stars_match_any_run_including_none() {
        assert!(m("4*", "404"));
        assert!(m("4*", "4"));
        assert!(!m("4*", "500"));
        assert!(m("*.html*", "GET /index.html HTTP/1.0"));
        assert!(!m("*.html*", "GET /index.htm HTTP/1.0"));
        assert!(m("123.123.*", "123.123.4.5"));
        assert!(!m("123.123.*", "111.111.111.111"));
        assert!(m("*", ""));
        assert!(m("a*b*c", "abc"));
        assert!(m("a*b*c", "a-b-b-c"));
        assert!(!m("a*b*c", "a-c-b"));
    }

    #[test]
    fn prefix_and_suffix_may_not_overlap() {
        assert!(!m("ab*ba", "aba"));
        assert!(m("ab*ba", "abba"));
    }

    #[test]
    fn multibyte_text_is_matched_on_characters() {
        assert!(m("é*ü", "éaü"));
        assert!(m("*ü", "ü"));
        assert!(!m("é*", "e"));
    }

    #[test]
    fn stars_inside_a_piece_are_literal() {
        let literal = Glob::from_pieces(vec!["a*".into()]);
        assert!(literal.matches("a*"));
        assert!(!literal.matches("ab"));
    }
}
