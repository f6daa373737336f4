//! Splits a query into tokens with their byte positions. A `/` starts a
//! regular expression unless it follows an operand (then it divides), as
//! in the service's own grammar. A `#` outside quotes starts a comment
//! that runs to the end of its line, as the service documents.

use super::error::QueryError;

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A name: command, keyword, function or field (`@message`, `a.b`,
    /// or anything between backquotes).
    Ident(String),
    /// A field name written between backquotes (never a keyword).
    Quoted(String),
    /// A string literal (`"..."` or `'...'`), escapes resolved.
    Str(String),
    /// A regular expression literal (`/.../`), its text as written.
    Regex(String),
    /// A number literal.
    Num(f64),
    /// A time span such as `5m` (in milliseconds).
    Span(i64),
    /// An operator or punctuation mark.
    Sym(&'static str),
}

/// A token and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The token.
    pub tok: Tok,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just after it.
    pub end: usize,
}

/// Operators and punctuation, longest first.
const SYMBOLS: &[&str] = &[
    "=~", "!=", "<=", ">=", "|", ",", "(", ")", "[", "]", "=", "<", ">", "+", "-", "*", "/", "%",
    "^", "!", ":",
];

/// Time units a span may carry, with their length in milliseconds; longest
/// spelling first so `ms` is not read as `m`.
const UNITS: &[(&str, i64)] = &[
    ("ms", 1),
    ("s", 1_000),
    ("m", 60_000),
    ("h", 3_600_000),
    ("d", 86_400_000),
    ("w", 604_800_000),
];

/// The tokens of `query`.
pub fn tokenize(query: &str) -> Result<Vec<Token>, QueryError> {
    let mut tokens: Vec<Token> = Vec::new();
    let bytes = query.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = query[i..].chars().next().unwrap_or(' ');
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        if c == '#' {
            i = query[i..].find('\n').map_or(query.len(), |j| i + j);
            continue;
        }
        let start = i;
        let (tok, end) = match c {
            '"' | '\'' => string(query, i, c)?,
            '`' => {
                let close = query[i + 1..]
                    .find('`')
                    .ok_or_else(|| QueryError::at(query, i, "a closing backquote"))?;
                let name = &query[i + 1..i + 1 + close];
                if name.is_empty() {
                    return Err(QueryError::at(query, i, "a field name between backquotes"));
                }
                (Tok::Quoted(name.to_string()), i + close + 2)
            }
            '/' if !follows_operand(&tokens) => regex(query, i)?,
            c if c.is_ascii_digit() => number(query, i)?,
            c if is_name_start(c) => {
                let end = query[i..]
                    .char_indices()
                    .find(|(_, c)| !is_name_char(*c))
                    .map_or(query.len(), |(j, _)| i + j);
                (Tok::Ident(query[i..end].to_string()), end)
            }
            _ => match SYMBOLS.iter().find(|s| query[i..].starts_with(**s)) {
                Some(s) => (Tok::Sym(s), i + s.len()),
                None => return Err(QueryError::at(query, i, "a field, value or operator")),
            },
        };
        tokens.push(Token { tok, start, end });
        i = end;
    }
    Ok(tokens)
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '@' || c == '$'
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '@' | '.' | '$')
}

/// Whether a `/` after `before` divides (it follows a value) rather than
/// starting a regular expression (also after `parse FIELD`).
fn follows_operand(before: &[Token]) -> bool {
    let is_parse = |t: &Token| matches!(&t.tok, Tok::Ident(w) if w.eq_ignore_ascii_case("parse"));
    if let [.., parse, field] = before
        && is_parse(parse)
        && matches!(field.tok, Tok::Ident(_) | Tok::Quoted(_))
    {
        return false;
    }
    match before.last().map(|t| &t.tok) {
        Some(Tok::Ident(word)) => !matches!(
            word.to_ascii_lowercase().as_str(),
            "like" | "and" | "or" | "not" | "filter" | "parse" | "in"
        ),
        Some(Tok::Quoted(_) | Tok::Str(_) | Tok::Num(_) | Tok::Span(_) | Tok::Regex(_)) => true,
        Some(Tok::Sym(s)) => matches!(*s, ")" | "]"),
        None => false,
    }
}

fn string(query: &str, open: usize, quote: char) -> Result<(Tok, usize), QueryError> {
    let mut out = String::new();
    let mut chars = query[open + 1..].char_indices();
    while let Some((j, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, other)) => out.push(other),
                None => break,
            },
            c if c == quote => return Ok((Tok::Str(out), open + 1 + j + 1)),
            c => out.push(c),
        }
    }
    Err(QueryError::at(
        query,
        open,
        format!("a closing {quote} for this string"),
    ))
}

fn regex(query: &str, open: usize) -> Result<(Tok, usize), QueryError> {
    let mut out = String::new();
    let mut chars = query[open + 1..].char_indices();
    while let Some((j, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, '/')) => out.push('/'),
                Some((_, other)) => {
                    out.push('\\');
                    out.push(other);
                }
                None => break,
            },
            '/' => {
                if out.is_empty() {
                    return Err(QueryError::at(
                        query,
                        open,
                        "a regular expression between / /",
                    ));
                }
                return Ok((Tok::Regex(out), open + 1 + j + 1));
            }
            c => out.push(c),
        }
    }
    Err(QueryError::at(
        query,
        open,
        "a closing / for this regular expression",
    ))
}

fn number(query: &str, start: usize) -> Result<(Tok, usize), QueryError> {
    let rest = &query[start..];
    let mut end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    if rest[end..].starts_with('.') && rest[end + 1..].starts_with(|c: char| c.is_ascii_digit()) {
        end += 1 + rest[end + 1..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len() - end - 1);
    }
    let digits = &rest[..end];
    let after = &rest[end..];
    let word_len = after
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(after.len());
    if word_len == 0 {
        let value = digits
            .parse::<f64>()
            .map_err(|_| QueryError::at(query, start, "a number"))?;
        return Ok((Tok::Num(value), start + end));
    }
    let unit = &after[..word_len];
    let span = UNITS
        .iter()
        .find(|(name, _)| *name == unit)
        .and_then(|(_, ms)| digits.parse::<i64>().ok()?.checked_mul(*ms))
        .filter(|ms| *ms > 0)
        .ok_or_else(|| {
            QueryError::at(
                query,
                start,
                "a number, or a positive whole time span like 5m (ms, s, m, h, d, w)",
            )
        })?;
    Ok((Tok::Span(span), start + end + word_len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(q: &str) -> Vec<Tok> {
        tokenize(q).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn slash_divides_after_a_value_and_starts_a_regex_elsewhere() {
        assert_eq!(
            toks("filter @message like /a\\/b/ | fields x / 2"),
            vec![
                Tok::Ident("filter".into()),
                Tok::Ident("@message".into()),
                Tok::Ident("like".into()),
                Tok::Regex("a/b".into()),
                Tok::Sym("|"),
                Tok::Ident("fields".into()),
                Tok::Ident("x".into()),
                Tok::Sym("/"),
                Tok::Num(2.0),
            ]
        );
    }

    #[test]
    fn spans_strings_and_quoted_fields() {
        assert_eq!(
            toks("bin(5m) 250ms 'it\\'s' `a b` 1.5"),
            vec![
                Tok::Ident("bin".into()),
                Tok::Sym("("),
                Tok::Span(300_000),
                Tok::Sym(")"),
                Tok::Span(250),
                Tok::Str("it's".into()),
                Tok::Quoted("a b".into()),
                Tok::Num(1.5),
            ]
        );
    }

    #[test]
    fn hash_comments_run_to_the_end_of_their_line_outside_quotes() {
        assert_eq!(
            toks("# who\n  # indented\nfields a # trailing | b\n| filter x = '#' and y like /#/ #"),
            toks("fields a\n| filter x = '#' and y like /#/"),
        );
        assert_eq!(
            toks("fields `a#b`"),
            vec![Tok::Ident("fields".into()), Tok::Quoted("a#b".into())]
        );
        assert!(toks("# only a comment").is_empty());
    }

    #[test]
    fn errors_name_the_position() {
        let e = tokenize("fields a\n| filter b = \"open").unwrap_err();
        assert_eq!((e.line, e.column), (2, 14));
        assert!(e.expected.contains("closing \""), "{e}");
        let e = tokenize("stats count(*) by bin(5x)").unwrap_err();
        assert_eq!(e.column, 23);
        assert!(tokenize("filter a ` b").is_err());
        assert!(tokenize("filter a like //").is_err());
    }
}
