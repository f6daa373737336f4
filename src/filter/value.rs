//! One comparison of a value from the event with a value from the pattern:
//! the operators, the operand forms (quoted text, unquoted text or number,
//! `*` wildcards, `%regex%`) and how a comparison judges a text or a number.

use std::cmp::Ordering;

use super::PatternError;
use super::cursor::Cursor;
use super::glob::Glob;
use super::regex_value::{self, RegexBudget};

/// A comparison operator of JSON and space-delimited patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    /// Reads an operator if the text continues with one.
    pub(crate) fn read(cur: &mut Cursor<'_>) -> Option<Self> {
        const OPS: [(&str, Op); 6] = [
            ("!=", Op::Ne),
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("=", Op::Eq),
            ("<", Op::Lt),
            (">", Op::Gt),
        ];
        OPS.into_iter()
            .find_map(|(token, op)| cur.eat(token).then_some(op))
    }

    fn is_equality(self) -> bool {
        matches!(self, Op::Eq | Op::Ne)
    }

    fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }

    fn holds(self, ord: Ordering) -> bool {
        match self {
            Op::Eq => ord == Ordering::Equal,
            Op::Ne => ord != Ordering::Equal,
            Op::Lt => ord == Ordering::Less,
            Op::Le => ord != Ordering::Greater,
            Op::Gt => ord == Ordering::Greater,
            Op::Ge => ord != Ordering::Less,
        }
    }
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone)]
enum Operand {
    /// Text, possibly with `*` wildcards (only `=` and `!=`).
    Text(Glob),
    /// A number; `text` is how the pattern wrote it, for comparing with
    /// event values that are not numbers.
    Number { value: f64, text: Box<str> },
    /// `%regex%`, found anywhere in the value (only `=` and `!=`).
    Regex(regex::Regex),
}

/// `OPERATOR VALUE`, applied to one value of the event.
#[derive(Debug, Clone)]
pub(crate) struct Comparison {
    op: Op,
    operand: Operand,
}

impl Comparison {
    /// Reads the value after an operator already read; ordering operators
    /// need a number.
    pub(crate) fn read_value(
        cur: &mut Cursor<'_>,
        op: Op,
        regexes: &mut RegexBudget,
    ) -> Result<Self, PatternError> {
        cur.skip_ws();
        let start = cur.pos();
        let operand = match cur.peek() {
            Some('"') => Operand::Text(Glob::from_pieces(read_quoted(cur)?)),
            Some('%') => Operand::Regex(regex_value::read(cur, regexes)?),
            Some('=' | '<' | '>') | None => {
                return Err(cur.error(format!("a value after `{}`", op.symbol())));
            }
            _ => {
                let token = read_unquoted(cur);
                if token.is_empty() {
                    return Err(cur.error(format!("a value after `{}`", op.symbol())));
                }
                match parse_number(token) {
                    Some(value) if !token.contains('*') => Operand::Number {
                        value,
                        text: token.into(),
                    },
                    _ => Operand::Text(Glob::from_unquoted(token)),
                }
            }
        };
        if !op.is_equality() && !matches!(operand, Operand::Number { .. }) {
            return Err(cur.error_at(
                start,
                format!(
                    "a number after `{}` (text, wildcards and regular expressions compare only with = and !=)",
                    op.symbol()
                ),
            ));
        }
        Ok(Self { op, operand })
    }

    /// Judges a text value of the event (a JSON string or a field of a
    /// space-delimited event). A number in the pattern compares as a
    /// number when the text is one, else as text.
    pub(crate) fn test_text(&self, text: &str) -> bool {
        match &self.operand {
            Operand::Text(glob) => self.equality(glob.matches(text)),
            Operand::Regex(re) => self.equality(re.is_match(text)),
            Operand::Number { value, text: lit } => match parse_number(text) {
                Some(n) => self.compare(n, *value),
                None => self.op.is_equality() && self.equality(text == &**lit),
            },
        }
    }

    /// Judges a JSON number; text operands see it as `text()` writes it.
    pub(crate) fn test_number(&self, n: f64, text: impl FnOnce() -> String) -> bool {
        match &self.operand {
            Operand::Number { value, .. } => self.compare(n, *value),
            Operand::Text(glob) => self.equality(glob.matches(&text())),
            Operand::Regex(re) => self.equality(re.is_match(&text())),
        }
    }

    fn equality(&self, equal: bool) -> bool {
        equal == (self.op == Op::Eq)
    }

    fn compare(&self, event: f64, pattern: f64) -> bool {
        event
            .partial_cmp(&pattern)
            .is_some_and(|ord| self.op.holds(ord))
    }
}

/// Reads a double-quoted text and returns the literal pieces between its
/// unescaped `*` characters. Escapes: `\"`, `\\` and `\*` (a literal
/// star); a backslash before anything else stays as written.
pub(crate) fn read_quoted(cur: &mut Cursor<'_>) -> Result<Vec<String>, PatternError> {
    let open = cur.pos();
    let opened = cur.eat("\"");
    debug_assert!(opened, "read_quoted starts at a quote");
    let mut pieces = vec![String::new()];
    loop {
        let Some(c) = cur.bump() else {
            return Err(cur.error_at(open, "a closing `\"` for this quote"));
        };
        let piece = pieces.last_mut().expect("never empty");
        match c {
            '"' => return Ok(pieces),
            '*' => pieces.push(String::new()),
            '\\' => match cur.peek() {
                Some(escaped @ ('"' | '\\' | '*')) => {
                    cur.bump();
                    piece.push(escaped);
                }
                _ => piece.push('\\'),
            },
            c => piece.push(c),
        }
    }
}

/// Reads an unquoted value: up to whitespace, `,`, `)`, `]`, `}`, `&&` or
/// `||`.
fn read_unquoted<'a>(cur: &mut Cursor<'a>) -> &'a str {
    let rest = cur.rest();
    let end = rest
        .char_indices()
        .find(|&(i, c)| {
            c.is_whitespace()
                || matches!(c, ',' | ')' | ']' | '}')
                || rest[i..].starts_with("&&")
                || rest[i..].starts_with("||")
        })
        .map_or(rest.len(), |(i, _)| i);
    cur.reset(cur.pos() + end);
    &rest[..end]
}

/// Parses a number as CloudWatch writes them: optional sign, digits with an
/// optional fraction, optional exponent (`-5`, `+1.5`, `1e-3`, `.5`). No
/// `inf`, `NaN`, hex or thousands separators.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let digits_from = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let int_end = digits_from(i);
    let mut mantissa_digits = int_end - i;
    i = int_end;
    if b.get(i) == Some(&b'.') {
        let frac_end = digits_from(i + 1);
        mantissa_digits += frac_end - (i + 1);
        i = frac_end;
    }
    if mantissa_digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_end = digits_from(i);
        if exp_end == i {
            return None;
        }
        i = exp_end;
    }
    if i != b.len() {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(src: &str) -> Comparison {
        let mut cur = Cursor::new(src);
        let op = Op::read(&mut cur).expect("an operator");
        Comparison::read_value(&mut cur, op, &mut RegexBudget::default()).expect(src)
    }

    fn err(src: &str) -> PatternError {
        let mut cur = Cursor::new(src);
        let op = Op::read(&mut cur).expect("an operator");
        Comparison::read_value(&mut cur, op, &mut RegexBudget::default()).unwrap_err()
    }

    #[test]
    fn numbers_follow_the_documented_forms() {
        assert_eq!(parse_number("1e-3"), Some(0.001));
        assert_eq!(parse_number("+1e+3"), Some(1000.0));
        assert_eq!(parse_number("-5"), Some(-5.0));
        assert_eq!(parse_number("1.5E2"), Some(150.0));
        assert_eq!(parse_number(".5"), Some(0.5));
        assert_eq!(parse_number("5."), Some(5.0));
        for bad in [
            "", "+", ".", "e3", "1e", "1e+", "inf", "NaN", "0x10", "1,000", "1 ", "1e999",
        ] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_compare_by_value_not_spelling() {
        assert!(cmp("= 1e3").test_text("1000"));
        assert!(cmp("= 1000").test_number(1e3, || unreachable!()));
        assert!(cmp("!= 1e+3").test_number(999.0, || unreachable!()));
        assert!(!cmp("!= 1e+3").test_text("1000.0"));
        assert!(cmp("> 75").test_text("75.5"));
        assert!(!cmp("> 75").test_text("75"));
        assert!(cmp(">= 75").test_text("75"));
        assert!(cmp("< -1").test_number(-2.0, String::new));
        assert!(cmp("<= 5").test_text("-5"));
    }

    #[test]
    fn a_number_compares_as_text_with_text_that_is_not_a_number() {
        assert!(!cmp("= 404").test_text("four"));
        assert!(cmp("!= 404").test_text("four"));
        assert!(!cmp("> 404").test_text("four"));
        assert!(!cmp("< 404").test_text(""));
    }

    #[test]
    fn wildcards_apply_to_numbers_through_their_text() {
        assert!(cmp("= 4*").test_number(404.0, || "404".into()));
        assert!(!cmp("= 4*").test_number(504.0, || "504".into()));
        assert!(cmp("= 4*").test_text("4xx"));
    }

    #[test]
    fn quoted_values_are_text_even_when_numeric() {
        let c = cmp("= \"007\"");
        assert!(c.test_text("007"));
        assert!(!c.test_text("7"));
        assert!(!c.test_number(7.0, || "7".into()));
    }

    #[test]
    fn quoted_escapes_and_literal_stars() {
        assert!(cmp(r#"= "say \"hi\"""#).test_text(r#"say "hi""#));
        assert!(cmp(r#"= "a\\b""#).test_text(r"a\b"));
        assert!(cmp(r#"= "C:\temp""#).test_text(r"C:\temp"));
        assert!(cmp(r#"= "5\*""#).test_text("5*"));
        assert!(!cmp(r#"= "5\*""#).test_text("50"));
        assert!(cmp(r#"= "Update*""#).test_text("UpdateTrail"));
    }

    #[test]
    fn ordering_needs_a_number() {
        let e = err("> abc");
        assert_eq!(e.column, 3);
        assert!(e.expected.starts_with("a number after `>`"), "{e}");
        assert!(err("< \"5\"").expected.starts_with("a number after `<`"));
        assert!(err(">= 4*").expected.starts_with("a number after `>=`"));
        assert!(err("<= %5%").expected.starts_with("a number after `<=`"));
    }

    #[test]
    fn missing_values_and_quotes_are_positioned() {
        let e = err("== 1");
        assert_eq!((e.column, e.expected.as_str()), (2, "a value after `=`"));
        let e = err("= ");
        assert_eq!((e.column, e.expected.as_str()), (3, "a value after `=`"));
        let e = err("!= \"open");
        assert_eq!(e.column, 4);
        assert_eq!(e.expected, "a closing `\"` for this quote");
    }

    #[test]
    fn unquoted_values_stop_at_operators_and_closers() {
        for (src, rest) in [
            ("=a&&b", "&&b"),
            ("=a||b", "||b"),
            ("=a)", ")"),
            ("=a, b", ", b"),
            ("=a}", "}"),
            ("=a&b", ""),
        ] {
            let mut cur = Cursor::new(src);
            let op = Op::read(&mut cur).unwrap();
            Comparison::read_value(&mut cur, op, &mut RegexBudget::default()).unwrap();
            assert_eq!(cur.rest(), rest, "{src}");
        }
    }

    #[test]
    fn regex_operands_search_the_value() {
        assert!(cmp("= %Up[a-z]+Trail%").test_text("UpdateTrail"));
        assert!(cmp("!= %^4%").test_text("500"));
        assert!(cmp("= %^4%").test_number(404.0, || "404".into()));
    }
}
