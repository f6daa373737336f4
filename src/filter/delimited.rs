//! Space-delimited patterns: `[ip, user, ..., status = 4*, bytes > 1000]`.
//!
//! The event is split into fields at spaces; text in `"…"` or `[…]` is one
//! field, without its quotes or brackets. Each pattern field takes one
//! event field: a bare name takes any value, conditions (`name OP value`,
//! joined with `&&`/`||` and parentheses) test it; the names inside a
//! field's conditions all mean that field. `...` takes any number of
//! fields, and without one the number of fields must be the same.

use memchr::memchr;

use super::PatternError;
use super::cursor::Cursor;
use super::expr::{self, Expr};
use super::regex_value::RegexBudget;
use super::value::{Comparison, Op};

/// One field of the pattern.
#[derive(Debug, Clone)]
enum Field {
    /// `...`: any number of event fields.
    Ellipsis,
    /// A bare name: any one field.
    Any,
    /// Conditions on one field.
    Test(Expr<Comparison>),
}

impl Field {
    fn accepts(&self, value: &str) -> bool {
        match self {
            Field::Ellipsis | Field::Any => true,
            Field::Test(expr) => expr.eval(&mut |c: &Comparison| c.test_text(value)),
        }
    }
}

/// A parsed space-delimited pattern.
#[derive(Debug, Clone)]
pub(crate) struct DelimitedPattern {
    fields: Vec<Field>,
    has_ellipsis: bool,
}

impl DelimitedPattern {
    /// Parses a pattern whose first non-blank character is `[`.
    pub(crate) fn parse(src: &str) -> Result<Self, PatternError> {
        let mut cur = Cursor::new(src);
        cur.skip_ws();
        let opened = cur.eat("[");
        debug_assert!(opened, "space-delimited patterns start with `[`");
        let mut regexes = RegexBudget::default();
        let mut fields = Vec::new();
        cur.skip_ws();
        if !cur.eat("]") {
            loop {
                cur.skip_ws();
                let field = if cur.eat("...") {
                    Field::Ellipsis
                } else {
                    read_field(&mut cur, &mut regexes)?
                };
                let separators = if matches!(field, Field::Test(_)) {
                    "`,`, `]`, `&&` or `||`"
                } else {
                    "`,` or `]`"
                };
                fields.push(field);
                cur.skip_ws();
                if cur.eat("]") {
                    break;
                }
                if !cur.eat(",") {
                    return Err(cur.error(separators));
                }
            }
        }
        cur.skip_ws();
        if !cur.at_end() {
            return Err(cur.error("the end of the pattern after `]`"));
        }
        let has_ellipsis = fields.iter().any(|f| matches!(f, Field::Ellipsis));
        Ok(Self {
            fields,
            has_ellipsis,
        })
    }

    /// Whether the event's fields line up with the pattern's.
    pub(crate) fn matches(&self, event: &str) -> bool {
        let values = split_fields(event);
        if !self.has_ellipsis && values.len() != self.fields.len() {
            return false;
        }
        self.lines_up(&values)
    }

    /// Wildcard matching of fields against values, `...` standing for any
    /// run of values (the classic algorithm: on a mismatch, let the most
    /// recent `...` take one more value and retry from there).
    fn lines_up(&self, values: &[&str]) -> bool {
        let (mut p, mut v) = (0, 0);
        let mut retry: Option<(usize, usize)> = None;
        loop {
            match self.fields.get(p) {
                Some(Field::Ellipsis) => {
                    retry = Some((p, v));
                    p += 1;
                    continue;
                }
                Some(field) if v < values.len() && field.accepts(values[v]) => {
                    p += 1;
                    v += 1;
                    continue;
                }
                None if v == values.len() => return true,
                _ => {}
            }
            match retry {
                Some((ellipsis, taken_from)) if taken_from < values.len() => {
                    retry = Some((ellipsis, taken_from + 1));
                    p = ellipsis + 1;
                    v = taken_from + 1;
                }
                _ => return false,
            }
        }
    }
}

/// Reads one field: a bare name, or conditions on the field.
fn read_field(cur: &mut Cursor<'_>, regexes: &mut RegexBudget) -> Result<Field, PatternError> {
    let start = cur.pos();
    let name = cur.take_while(is_name_char);
    cur.skip_ws();
    if !name.is_empty() && matches!(cur.peek(), Some(',' | ']') | None) {
        return Ok(Field::Any);
    }
    cur.reset(start);
    let expr = expr::parse(cur, &mut |cur: &mut Cursor<'_>| {
        cur.skip_ws();
        if cur.take_while(is_name_char).is_empty() {
            return Err(cur.error("a field name or `...`"));
        }
        cur.skip_ws();
        let op = Op::read(cur)
            .ok_or_else(|| cur.error("an operator: =, !=, <, <=, >, >=, or `,` or `]`"))?;
        Comparison::read_value(cur, op, regexes)
    })?;
    Ok(Field::Test(expr))
}

/// Characters of a field name.
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '$' | '@')
}

/// Splits an event into fields at spaces and tabs; `"…"` and `[…]` make
/// one field without their delimiters (an unclosed one is an ordinary
/// field).
fn split_fields(event: &str) -> Vec<&str> {
    let bytes = event.as_bytes();
    let mut fields = Vec::with_capacity(16);
    let mut i = 0;
    while i < bytes.len() {
        let open = bytes[i];
        if open == b' ' || open == b'\t' {
            i += 1;
            continue;
        }
        let close = match open {
            b'"' => Some(b'"'),
            b'[' => Some(b']'),
            _ => None,
        };
        if let Some(len) = close.and_then(|close| memchr(close, &bytes[i + 1..])) {
            fields.push(&event[i + 1..i + 1 + len]);
            i += len + 2;
            continue;
        }
        let end = bytes[i..]
            .iter()
            .position(|&b| b == b' ' || b == b'\t')
            .map_or(bytes.len(), |n| i + n);
        fields.push(&event[i..end]);
        i = end;
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    const S1: &str =
        r#"127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534"#;

    fn m(pattern: &str, event: &str) -> bool {
        DelimitedPattern::parse(pattern)
            .expect(pattern)
            .matches(event)
    }

    fn err(pattern: &str) -> PatternError {
        DelimitedPattern::parse(pattern).expect_err(pattern)
    }

    #[test]
    fn splitting_groups_brackets_and_quotes() {
        assert_eq!(
            split_fields(S1),
            vec![
                "127.0.0.1",
                "Prod",
                "frank",
                "10/Oct/2000:13:25:15 -0700",
                "GET /index.html HTTP/1.0",
                "404",
                "1534"
            ]
        );
        assert_eq!(split_fields("  a \t b  "), vec!["a", "b"]);
        assert_eq!(split_fields(""), Vec::<&str>::new());
        assert_eq!(split_fields("\"\" []"), vec!["", ""]);
        assert_eq!(split_fields("\"open quote"), vec!["\"open", "quote"]);
        assert_eq!(split_fields("[a]b \"c\"d"), vec!["a", "b", "c", "d"]);
        assert_eq!(split_fields("é [ü ö]"), vec!["é", "ü ö"]);
    }

    #[test]
    fn documented_access_log_patterns() {
        assert!(m(
            "[ip, user, username, timestamp, request =*.html*, status_code = 4*, bytes]",
            S1
        ));
        assert!(m("[..., request =*.html*, status_code = 4*, bytes]", S1));
        assert!(m(
            "[ip, user, username, timestamp, request =*.html*, status_code = 404 || status_code = 410, bytes]",
            S1
        ));
        assert!(!m(
            "[ip, user, username, timestamp, request =*.html*, status_code = 500 || status_code = 410, bytes]",
            S1
        ));
        assert!(!m(
            "[ip, user, username, timestamp, request =*.php*, status_code = 4*, bytes]",
            S1
        ));
    }

    #[test]
    fn documented_first_word_patterns() {
        assert!(m("[w1=ERROR, w2]", "ERROR timeout"));
        assert!(!m("[w1=ERROR, w2]", "WARNING timeout"));
        assert!(
            !m("[w1=ERROR, w2]", "ERROR timeout again"),
            "field count differs"
        );
        assert!(m("[w1=ERROR || W1=WARNING, w2]", "WARNING disk"));
        assert!(!m("[w1=ERROR || W1=WARNING, w2]", "INFO disk"));
        assert!(m("[w1!=ERROR && w1!=WARNING, w2]", "INFO disk"));
        assert!(!m("[w1!=ERROR && w1!=WARNING, w2]", "ERROR disk"));
    }

    #[test]
    fn field_counts_must_agree_without_an_ellipsis() {
        assert!(m("[a, b, c]", "1 2 3"));
        assert!(!m("[a, b, c]", "1 2"));
        assert!(!m("[a, b, c]", "1 2 3 4"));
        assert!(m("[]", ""));
        assert!(m("[]", "   "));
        assert!(!m("[]", "x"));
        assert!(m("[...]", ""));
        assert!(m("[...]", "anything at all"));
    }

    #[test]
    fn ellipses_anywhere() {
        assert!(m("[a=1, ...]", "1 2 3"));
        assert!(m("[a=1, ...]", "1"));
        assert!(!m("[a=1, ...]", "2 1"));
        assert!(m("[..., z=3]", "1 2 3"));
        assert!(m("[..., x=2, ...]", "1 2 3"));
        assert!(!m("[..., x=9, ...]", "1 2 3"));
        assert!(m("[a=1, ..., c=3, ..., e=5]", "1 x 3 y y 5"));
        assert!(m("[a=1, ..., c=3, ..., e=5]", "1 3 5"));
        assert!(!m("[a=1, ..., c=3, ..., e=5]", "1 5 3"));
        assert!(m("[..., b=2, c=3]", "2 3 2 3"));
        assert!(m("[..., ..., a]", "x"));
        assert!(!m("[..., a, b]", "x"));
    }

    #[test]
    fn numeric_and_text_conditions() {
        let line = "GET /api 200 1534 0.25";
        assert!(m(
            "[method, path, status >= 200 && status < 300, bytes > 1000, secs <= 0.25]",
            line
        ));
        assert!(!m("[method, path, status >= 300, ...]", line));
        assert!(m("[method = GET, ...]", line));
        assert!(m("[method != POST, ...]", line));
        assert!(!m("[method > 5, ...]", line), "text is not a number");
        assert!(m("[method, path = \"/api\", status = 2e2, ...]", line));
        assert!(m("[m = %^G%, p = %api$%, ...]", line));
        assert!(m("[m, p, (s = 500 || s = 200) && s != 404, ...]", line));
    }

    #[test]
    fn quoted_pattern_values_hold_spaces() {
        assert!(m(
            "[ip, user, username, timestamp = \"10/Oct/2000:13:25:15 -0700\", request = \"GET /index.html HTTP/1.0\", ...]",
            S1
        ));
    }

    #[test]
    fn errors_name_position_and_expectation() {
        let cases = [
            ("[a, , b]", 5, "a field name or `...`"),
            (
                "[a b]",
                4,
                "an operator: =, !=, <, <=, >, >=, or `,` or `]`",
            ),
            ("[a = ]", 6, "a value after `=`"),
            ("[a = 1 b]", 8, "`,`, `]`, `&&` or `||`"),
            ("[..., a", 8, "`,` or `]`"),
            ("[a", 3, "`,` or `]`"),
            ("[a] b", 5, "the end of the pattern after `]`"),
            ("[... x]", 6, "`,` or `]`"),
            (
                "[a > x]",
                6,
                "a number after `>` (text, wildcards and regular expressions compare only with = and !=)",
            ),
        ];
        crate::filter::error::assert_refused(&cases, err);
        assert_eq!(err("[a=%1%, b=%2%, c=%3%]").found, "a third one");
    }
}
