//! `%regex%`: the regular expressions CloudWatch accepts in filter
//! patterns, with its documented restrictions enforced so a pattern that
//! works here is one the service takes.
//!
//! Allowed: ASCII letters and digits, the symbols `_ # = @ / ; , - :` and
//! the operators `^ $ ? [ ] { } | \ * + .`. Not allowed: parentheses (no
//! sub-patterns), spaces (write `\s`), any other symbol, and multi-byte
//! characters. At most [`MAX_REGEXES`] in one JSON or space-delimited
//! pattern. A regex is searched for anywhere in the text it is applied to.

use regex::Regex;

use super::PatternError;
use super::cursor::Cursor;

/// Most regular expressions one JSON or space-delimited pattern may hold.
pub(crate) const MAX_REGEXES: usize = 2;

/// Counts the regular expressions read so far in one pattern.
#[derive(Debug, Default)]
pub(crate) struct RegexBudget {
    used: usize,
}

/// What the error says is allowed in a regex.
const ALLOWED: &str = "a character CloudWatch allows in a regex (letters, digits, `_ # = @ / ; , - :` and the operators `^ $ ? [ ] { } | \\ * + .`; no parentheses, no spaces: use `\\s`, no multi-byte characters)";

/// Reads `%regex%` at the cursor and compiles it.
pub(crate) fn read(cur: &mut Cursor<'_>, budget: &mut RegexBudget) -> Result<Regex, PatternError> {
    let open = cur.pos();
    let opened = cur.eat("%");
    debug_assert!(opened, "a regex starts at `%`");
    if budget.used == MAX_REGEXES {
        return Err(PatternError::with_found(
            cur.src(),
            open,
            format!("at most {MAX_REGEXES} regular expressions in one pattern"),
            "a third one",
        ));
    }
    budget.used += 1;
    let body_start = cur.pos();
    let Some(len) = cur.rest().find('%') else {
        return Err(cur.error_at(open, "a closing `%` for this regular expression"));
    };
    let body = &cur.rest()[..len];
    if body.is_empty() {
        return Err(cur.error("a regular expression between the `%` signs"));
    }
    if let Some((i, _)) = body.char_indices().find(|&(_, c)| !is_allowed(c)) {
        return Err(cur.error_at(body_start + i, ALLOWED));
    }
    let src = cur.src();
    regex_syntax::Parser::new().parse(body).map_err(|e| {
        let (offset, what) = syntax_error(&e);
        PatternError::with_found(src, body_start + offset, "a valid regular expression", what)
    })?;
    let regex = Regex::new(body).map_err(|e| {
        PatternError::with_found(
            src,
            body_start,
            "a regular expression small enough to compile",
            e.to_string(),
        )
    })?;
    cur.reset(body_start + len + 1);
    Ok(regex)
}

fn is_allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_#=@/;,-:^$?[]{}|\\*+.".contains(c)
}

/// Where in the regex body a syntax error is and what it is.
fn syntax_error(e: &regex_syntax::Error) -> (usize, String) {
    match e {
        regex_syntax::Error::Parse(e) => (e.span().start.offset, e.kind().to_string()),
        regex_syntax::Error::Translate(e) => (e.span().start.offset, e.kind().to_string()),
        other => (0, other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Regex, PatternError> {
        read(&mut Cursor::new(src), &mut RegexBudget::default())
    }

    #[test]
    fn documented_operators_compile() {
        for src in [
            "%AUTHORIZED%",
            "%colou?r%",
            "%gray|grey%",
            r"%10\.10\.0\.1%",
            "%[a-z]%",
            "%^ERROR%",
            "%ERROR$%",
            "%a{2,3}%",
            "%a*b+%",
            r"%\d{3}%",
            "%user_id=#@/;,-:%",
        ] {
            assert!(parse(src).is_ok(), "{src}");
        }
    }

    #[test]
    fn unsupported_characters_are_refused_with_their_position() {
        for (src, column) in [
            ("%something!%", 11),
            ("%(ab)%", 2),
            ("%a b%", 3),
            ("%café%", 5),
            ("%a\"b%", 3),
            ("%a'b%", 3),
        ] {
            let e = parse(src).unwrap_err();
            assert_eq!(e.column, column, "{src}: {e}");
            assert!(e.expected.contains("no parentheses"), "{e}");
        }
    }

    #[test]
    fn syntax_errors_point_into_the_regex() {
        let e = parse("%ab[c%").unwrap_err();
        assert_eq!(e.expected, "a valid regular expression");
        assert_eq!(e.column, 4);
        assert!(e.found.contains("unclosed character class"), "{e}");
        let e = parse("%ab{2%").unwrap_err();
        assert_eq!(e.expected, "a valid regular expression");
    }

    #[test]
    fn unclosed_and_empty_regexes() {
        let e = parse("%abc").unwrap_err();
        assert_eq!(
            (e.column, e.expected.as_str()),
            (1, "a closing `%` for this regular expression")
        );
        let e = parse("%%").unwrap_err();
        assert_eq!(e.expected, "a regular expression between the `%` signs");
    }

    #[test]
    fn a_third_regex_is_refused() {
        let mut budget = RegexBudget::default();
        let src = "%a% %b% %c%";
        let mut cur = Cursor::new(src);
        for _ in 0..2 {
            read(&mut cur, &mut budget).unwrap();
            cur.skip_ws();
        }
        let e = read(&mut cur, &mut budget).unwrap_err();
        assert_eq!(e.column, 9);
        assert_eq!(e.found, "a third one");
    }

    #[test]
    fn huge_repetitions_fail_cleanly() {
        let e = parse("%a{1000}{1000}{1000}%").unwrap_err();
        assert!(e.expected.contains("regular expression"), "{e}");
    }

    #[test]
    fn matching_is_a_search_and_case_sensitive() {
        let re = parse("%AUTHORIZED%").unwrap();
        assert!(re.is_match("[ERROR 401] UNAUTHORIZED REQUEST"));
        assert!(re.is_match("[SUCCESS 200] AUTHORIZED REQUEST"));
        assert!(!re.is_match("authorized"));
    }
}
