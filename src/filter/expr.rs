//! `&&`, `||` and parentheses over conditions, shared by JSON patterns and
//! the fields of space-delimited patterns. Precedence: `()` over `&&` over
//! `||`.

use super::PatternError;
use super::cursor::Cursor;

/// Deepest nesting of parentheses accepted (keeps hostile patterns from
/// exhausting the stack).
const MAX_DEPTH: usize = 32;

/// A boolean combination of conditions `C`.
#[derive(Debug, Clone)]
pub(crate) enum Expr<C> {
    Cond(C),
    And(Vec<Expr<C>>),
    Or(Vec<Expr<C>>),
}

impl<C> Expr<C> {
    /// Evaluates with `test` deciding each condition, short-circuiting.
    pub(crate) fn eval(&self, test: &mut impl FnMut(&C) -> bool) -> bool {
        match self {
            Expr::Cond(c) => test(c),
            Expr::And(items) => items.iter().all(|e| e.eval(test)),
            Expr::Or(items) => items.iter().any(|e| e.eval(test)),
        }
    }
}

/// Reads `a || b && (c || d)`, with `cond` reading one condition. Stops
/// before anything that is not `&&`, `||` or `)` closing its own `(`.
pub(crate) fn parse<C>(
    cur: &mut Cursor<'_>,
    cond: &mut impl FnMut(&mut Cursor<'_>) -> Result<C, PatternError>,
) -> Result<Expr<C>, PatternError> {
    parse_or(cur, cond, 0)
}

fn parse_or<C>(
    cur: &mut Cursor<'_>,
    cond: &mut impl FnMut(&mut Cursor<'_>) -> Result<C, PatternError>,
    depth: usize,
) -> Result<Expr<C>, PatternError> {
    let mut items = vec![parse_and(cur, cond, depth)?];
    loop {
        cur.skip_ws();
        if !cur.eat("||") {
            break;
        }
        items.push(parse_and(cur, cond, depth)?);
    }
    Ok(if items.len() == 1 {
        items.remove(0)
    } else {
        Expr::Or(items)
    })
}

fn parse_and<C>(
    cur: &mut Cursor<'_>,
    cond: &mut impl FnMut(&mut Cursor<'_>) -> Result<C, PatternError>,
    depth: usize,
) -> Result<Expr<C>, PatternError> {
    let mut items = vec![parse_primary(cur, cond, depth)?];
    loop {
        cur.skip_ws();
        if !cur.eat("&&") {
            break;
        }
        items.push(parse_primary(cur, cond, depth)?);
    }
    Ok(if items.len() == 1 {
        items.remove(0)
    } else {
        Expr::And(items)
    })
}

fn parse_primary<C>(
    cur: &mut Cursor<'_>,
    cond: &mut impl FnMut(&mut Cursor<'_>) -> Result<C, PatternError>,
    depth: usize,
) -> Result<Expr<C>, PatternError> {
    cur.skip_ws();
    let open = cur.pos();
    if !cur.eat("(") {
        return cond(cur).map(Expr::Cond);
    }
    if depth == MAX_DEPTH {
        return Err(cur.error_at(open, format!("at most {MAX_DEPTH} nested parentheses")));
    }
    let inner = parse_or(cur, cond, depth + 1)?;
    cur.skip_ws();
    if !cur.eat(")") {
        return Err(cur.error("`&&`, `||` or `)`"));
    }
    Ok(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Conditions are single letters; `t` is true, anything else false.
    fn letter(cur: &mut Cursor<'_>) -> Result<char, PatternError> {
        cur.skip_ws();
        match cur.peek() {
            Some(c) if c.is_ascii_lowercase() => {
                cur.bump();
                Ok(c)
            }
            _ => Err(cur.error("a letter")),
        }
    }

    fn eval(src: &str) -> bool {
        let mut cur = Cursor::new(src);
        let e = parse(&mut cur, &mut letter).expect(src);
        assert!(cur.rest().trim().is_empty(), "{src} left {:?}", cur.rest());
        e.eval(&mut |c| *c == 't')
    }

    #[test]
    fn and_binds_tighter_than_or() {
        assert!(eval("t || f && f"));
        assert!(!eval("(t || f) && f"));
        assert!(eval("f && f || t"));
        assert!(!eval("f && (f || t)"));
        assert!(eval("((t))"));
    }

    #[test]
    fn evaluation_short_circuits() {
        let mut cur = Cursor::new("f && a || t || b");
        let e = parse(&mut cur, &mut letter).unwrap();
        let mut seen = String::new();
        assert!(e.eval(&mut |c| {
            seen.push(*c);
            *c == 't'
        }));
        assert_eq!(seen, "ft");
    }

    #[test]
    fn unbalanced_and_deep_parentheses_are_errors() {
        let e = parse(&mut Cursor::new("(t && f"), &mut letter).unwrap_err();
        assert_eq!((e.column, e.expected.as_str()), (8, "`&&`, `||` or `)`"));
        let deep = format!("{}t{}", "(".repeat(40), ")".repeat(40));
        let e = parse(&mut Cursor::new(&deep), &mut letter).unwrap_err();
        assert_eq!(e.column, MAX_DEPTH + 1);
        let e = parse(&mut Cursor::new("t && "), &mut letter).unwrap_err();
        assert_eq!(e.expected, "a letter");
    }

    #[test]
    fn stops_before_what_it_does_not_know() {
        let mut cur = Cursor::new("t && f } tail");
        parse(&mut cur, &mut letter).unwrap();
        assert_eq!(cur.rest(), "} tail");
    }
}
