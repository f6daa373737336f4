//! Recursive-descent parser from tokens to [`Query`]. Every refusal names
//! the token where the query stops making sense and what could come there.

use regex::Regex;

use super::ast::{
    AggFn, Aggregate, BinOp, Command, Expr, Func, Group, Matcher, Named, ParsePattern, Query,
    SortKey, UNEVALUATED_COMMANDS, UNEVALUATED_FUNCTIONS,
};
use super::error::QueryError;
use super::lexer::{Tok, Token, tokenize};

/// The most rows a query may ask for (the service's maximum).
pub const MAX_LIMIT: usize = 10_000;

/// How deep parentheses, `not` and unary minus may nest (a bound on the
/// parser's recursion, far beyond any real query).
pub const MAX_NESTING: usize = 64;

/// The commands, as errors list them.
const COMMANDS: &str = "a command (fields, filter, parse, stats, sort, limit, display, dedup)";

/// The aggregations, as errors list them.
const AGGREGATIONS: &str =
    "an aggregation (count, count_distinct, avg, sum, min, max, pct, stddev, earliest, latest)";

/// Parses a whole query.
pub fn parse(src: &str) -> Result<Query, QueryError> {
    let tokens = tokenize(src)?;
    let mut p = Parser {
        src,
        tokens,
        pos: 0,
        depth: 0,
        calls: None,
        in_aggregate: false,
    };
    let mut commands = vec![p.command()?];
    while !p.at_end() {
        p.expect_sym("|", "`|` before the next command")?;
        commands.push(p.command()?);
    }
    Ok(Query { commands })
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    /// Parentheses, `not` and unary minus open around the current token.
    depth: usize,
    /// Inside a `stats` column (outside any aggregation's argument): the
    /// aggregations met so far, which calls like `sum(x)` join.
    calls: Option<Vec<Aggregate>>,
    /// Inside an aggregation's argument, where another is refused.
    in_aggregate: bool,
}

impl Parser<'_> {
    fn at_end(&self) -> bool {
        self.pos >= self.tokens.len()
    }

    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn here(&self) -> usize {
        self.tokens
            .get(self.pos)
            .map_or(self.src.len(), |t| t.start)
    }

    /// End of the previous token (for slicing what was written).
    fn last_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or(0, |t| t.end)
    }

    fn err(&self, expected: impl Into<String>) -> QueryError {
        QueryError::at(self.src, self.here(), expected)
    }

    /// Parses `inner` one nesting level deeper, refusing too deep a query.
    fn nested<T>(
        &mut self,
        inner: impl FnOnce(&mut Self) -> Result<T, QueryError>,
    ) -> Result<T, QueryError> {
        if self.depth >= MAX_NESTING {
            return Err(self.err(format!(
                "at most {MAX_NESTING} nested parentheses, `not` or `-`"
            )));
        }
        self.depth += 1;
        let result = inner(self);
        self.depth -= 1;
        result
    }

    fn bump(&mut self) -> Option<Tok> {
        let tok = self.tokens.get(self.pos).map(|t| t.tok.clone());
        self.pos += 1;
        tok
    }

    fn is_sym(&self, sym: &str) -> bool {
        matches!(self.peek(), Some(Tok::Sym(s)) if *s == sym)
    }

    fn eat_sym(&mut self, sym: &str) -> bool {
        let found = self.is_sym(sym);
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect_sym(&mut self, sym: &str, expected: &str) -> Result<(), QueryError> {
        if self.eat_sym(sym) {
            Ok(())
        } else {
            Err(self.err(expected))
        }
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(w)) if w.eq_ignore_ascii_case(word))
    }

    fn eat_word(&mut self, word: &str) -> bool {
        let found = self.is_word(word);
        if found {
            self.pos += 1;
        }
        found
    }

    /// A field name: a plain name or one between backquotes.
    fn name(&mut self, expected: &str) -> Result<String, QueryError> {
        match self.peek() {
            Some(Tok::Ident(n) | Tok::Quoted(n)) => {
                let n = n.clone();
                self.pos += 1;
                Ok(n)
            }
            _ => Err(self.err(expected)),
        }
    }

    /// `as NAME` if present.
    fn alias(&mut self) -> Result<Option<String>, QueryError> {
        if self.eat_word("as") {
            self.name("a name after `as`").map(Some)
        } else {
            Ok(None)
        }
    }

    /// Items separated by commas, at least one.
    fn list<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<T, QueryError>,
    ) -> Result<Vec<T>, QueryError> {
        let mut items = vec![item(self)?];
        while self.eat_sym(",") {
            items.push(item(self)?);
        }
        Ok(items)
    }

    fn command(&mut self) -> Result<Command, QueryError> {
        let Some(Tok::Ident(word)) = self.peek() else {
            return Err(self.err(COMMANDS));
        };
        let word = word.to_ascii_lowercase();
        let command = match word.as_str() {
            "fields" => {
                self.pos += 1;
                Command::Fields(self.list(Self::named)?)
            }
            "display" => {
                self.pos += 1;
                Command::Display(self.list(Self::named)?)
            }
            "filter" => {
                self.pos += 1;
                Command::Filter(self.expr()?)
            }
            "parse" => {
                self.pos += 1;
                self.parse_command()?
            }
            "stats" => {
                self.pos += 1;
                self.stats()?
            }
            "sort" => {
                self.pos += 1;
                Command::Sort(self.list(Self::sort_key)?)
            }
            "limit" => {
                self.pos += 1;
                Command::Limit(self.limit()?)
            }
            "dedup" => {
                self.pos += 1;
                Command::Dedup(self.list(|p| p.name("a field to deduplicate on"))?)
            }
            w if UNEVALUATED_COMMANDS.contains(&w) => {
                let at = self.here();
                let written = self.name(COMMANDS)?;
                return Err(QueryError::unsupported(
                    self.src,
                    at,
                    format!("the `{written}` command"),
                ));
            }
            _ => return Err(self.err(COMMANDS)),
        };
        if !self.at_end() && !self.is_sym("|") {
            return Err(self.err(format!(
                "`|` or the end of the query after the `{word}` command"
            )));
        }
        Ok(command)
    }

    fn named(&mut self) -> Result<Named, QueryError> {
        let start = self.here();
        let expr = self.expr()?;
        let written = self.src[start..self.last_end()].trim().to_string();
        let name = match (self.alias()?, &expr) {
            (Some(alias), _) => alias,
            (None, Expr::Field(f)) => f.clone(),
            (None, _) => written,
        };
        Ok(Named { name, expr })
    }

    fn limit(&mut self) -> Result<usize, QueryError> {
        let expected = format!("a whole number of rows from 1 to {MAX_LIMIT}");
        match self.peek() {
            Some(Tok::Num(n)) if n.fract() == 0.0 && *n >= 1.0 && *n <= MAX_LIMIT as f64 => {
                let n = *n as usize;
                self.pos += 1;
                Ok(n)
            }
            _ => Err(self.err(expected)),
        }
    }

    fn sort_key(&mut self) -> Result<SortKey, QueryError> {
        let expr = self.additive()?;
        let descending = if self.eat_word("desc") {
            true
        } else {
            self.eat_word("asc");
            false
        };
        Ok(SortKey { expr, descending })
    }

    fn parse_command(&mut self) -> Result<Command, QueryError> {
        let source = match self.peek() {
            Some(Tok::Ident(_) | Tok::Quoted(_)) => self.name("a field")?,
            _ => "@message".to_string(),
        };
        let at = self.here();
        let pattern = match self.bump() {
            Some(Tok::Str(glob)) => {
                let pieces: Vec<String> = glob.split('*').map(str::to_string).collect();
                let stars = pieces.len() - 1;
                if stars == 0 {
                    return Err(QueryError::at(
                        self.src,
                        at,
                        "a glob pattern with at least one `*`",
                    ));
                }
                if !self.eat_word("as") {
                    return Err(self.err(format!("`as` and {stars} field name(s), one per `*`")));
                }
                let names_at = self.here();
                let names = self.list(|p| p.name("a field name for a `*`"))?;
                if names.len() != stars {
                    return Err(QueryError::at(
                        self.src,
                        names_at,
                        format!("{stars} field name(s), one per `*`, not {}", names.len()),
                    ));
                }
                ParsePattern::Glob { pieces, names }
            }
            Some(Tok::Regex(text)) => {
                let re = Regex::new(&text).map_err(|e| {
                    QueryError::at(
                        self.src,
                        at,
                        format!(
                            "a valid regular expression ({})",
                            first_line(&e.to_string())
                        ),
                    )
                })?;
                if re.capture_names().flatten().next().is_none() {
                    return Err(QueryError::at(
                        self.src,
                        at,
                        "a regular expression with named groups like (?<name>...)",
                    ));
                }
                ParsePattern::Regex(re)
            }
            _ => {
                return Err(QueryError::at(
                    self.src,
                    at,
                    "a glob \"...*...\" or a regular expression /(?<name>...)/",
                ));
            }
        };
        Ok(Command::Parse { source, pattern })
    }

    fn stats(&mut self) -> Result<Command, QueryError> {
        self.calls = Some(Vec::new());
        let aggregates = self.stats_columns();
        let calls = self.calls.take().unwrap_or_default();
        let aggregates = aggregates?;
        let groups = if self.eat_word("by") {
            self.list(Self::group)?
        } else {
            Vec::new()
        };
        Ok(Command::Stats {
            aggregates,
            calls,
            groups,
        })
    }

    /// The `stats` columns: each uses an aggregation, or an earlier
    /// column's name (`max(a) as hi, min(a) as lo, hi - lo as spread`).
    fn stats_columns(&mut self) -> Result<Vec<Named>, QueryError> {
        let mut columns: Vec<Named> = Vec::new();
        loop {
            let start = self.here();
            let before = self.calls.as_ref().map_or(0, Vec::len);
            let named = self.named()?;
            let aggregates = self.calls.as_ref().map_or(0, Vec::len) > before;
            let earlier =
                |e: &Expr| matches!(e, Expr::Field(f) if columns.iter().any(|c| &c.name == f));
            if !aggregates && !named.expr.any(&earlier) {
                return Err(QueryError::at(self.src, start, AGGREGATIONS));
            }
            columns.push(named);
            if !self.eat_sym(",") {
                return Ok(columns);
            }
        }
    }

    /// An aggregation call, its name at the current token: joins the
    /// `stats` command's calls and becomes a reference to it.
    fn aggregate(&mut self, mut function: AggFn) -> Result<Expr, QueryError> {
        self.pos += 1;
        self.expect_sym("(", "`(` after the aggregation's name")?;
        // An aggregation's argument is per record: no aggregation inside.
        let calls = self.calls.take();
        self.in_aggregate = true;
        let arg = if function == AggFn::Count && (self.eat_sym("*") || self.is_sym(")")) {
            Ok(None)
        } else {
            self.nested(Self::expr).map(Some)
        };
        self.calls = calls;
        self.in_aggregate = false;
        let arg = arg?;
        if let AggFn::Pct(_) = function {
            self.expect_sym(",", "`,` and the percentile, as in pct(@duration, 95)")?;
            let p = match self.peek() {
                Some(Tok::Num(p)) if (0.0..=100.0).contains(p) => *p,
                _ => return Err(self.err("a percentile from 0 to 100")),
            };
            self.pos += 1;
            function = AggFn::Pct(p);
        }
        self.expect_sym(")", "`)` closing the aggregation")?;
        let calls = self.calls.get_or_insert_with(Vec::new);
        calls.push(Aggregate { function, arg });
        Ok(Expr::Agg(calls.len() - 1))
    }

    fn group(&mut self) -> Result<Group, QueryError> {
        let start = self.here();
        if self.is_word("bin")
            && matches!(
                self.tokens.get(self.pos + 1).map(|t| &t.tok),
                Some(Tok::Sym("("))
            )
        {
            self.pos += 2;
            let span_ms = match self.bump() {
                Some(Tok::Span(ms)) => ms,
                _ => {
                    self.pos -= 1;
                    return Err(self.err("a time span such as 5m, 1h or 30s"));
                }
            };
            self.expect_sym(")", "`)` closing bin(...)")?;
            let written = self.src[start..self.last_end()].to_string();
            let name = self.alias()?.unwrap_or(written);
            return Ok(Group::Bin { name, span_ms });
        }
        self.named().map(Group::Expr)
    }

    fn expr(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.and_expr()?;
        while self.eat_word("or") {
            left = Expr::Or(Box::new(left), Box::new(self.and_expr()?));
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.not_expr()?;
        while self.eat_word("and") {
            left = Expr::And(Box::new(left), Box::new(self.not_expr()?));
        }
        Ok(left)
    }

    fn not_expr(&mut self) -> Result<Expr, QueryError> {
        if self.eat_word("not") || self.eat_sym("!") {
            return self.nested(|p| Ok(Expr::Not(Box::new(p.not_expr()?))));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, QueryError> {
        let left = self.additive()?;
        let op = match self.peek() {
            Some(Tok::Sym("=")) => BinOp::Eq,
            Some(Tok::Sym("!=")) => BinOp::Ne,
            Some(Tok::Sym("<")) => BinOp::Lt,
            Some(Tok::Sym("<=")) => BinOp::Le,
            Some(Tok::Sym(">")) => BinOp::Gt,
            Some(Tok::Sym(">=")) => BinOp::Ge,
            Some(Tok::Sym("=~")) => {
                self.pos += 1;
                return self.like(left, false);
            }
            Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("like") => {
                self.pos += 1;
                return self.like(left, true);
            }
            Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("in") => {
                self.pos += 1;
                return self.in_list(left);
            }
            Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("not") => {
                let next = self.tokens.get(self.pos + 1).map(|t| &t.tok);
                let negated = match next {
                    Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("like") => {
                        self.pos += 2;
                        self.like(left, true)?
                    }
                    Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("in") => {
                        self.pos += 2;
                        self.in_list(left)?
                    }
                    _ => {
                        self.pos += 1;
                        return Err(self.err("`like` or `in` after `not`"));
                    }
                };
                return Ok(Expr::Not(Box::new(negated)));
            }
            _ => return Ok(left),
        };
        self.pos += 1;
        let right = self.additive()?;
        Ok(Expr::Binary(Box::new(left), op, Box::new(right)))
    }

    fn like(&mut self, value: Expr, substring_allowed: bool) -> Result<Expr, QueryError> {
        let at = self.here();
        let pattern = match self.bump() {
            Some(Tok::Regex(text)) => Matcher::Regex(Regex::new(&text).map_err(|e| {
                QueryError::at(
                    self.src,
                    at,
                    format!(
                        "a valid regular expression ({})",
                        first_line(&e.to_string())
                    ),
                )
            })?),
            Some(Tok::Str(s)) if substring_allowed => Matcher::Substring(s),
            _ => {
                self.pos -= 1;
                return Err(self.err(if substring_allowed {
                    "a regular expression /.../ or a \"string\""
                } else {
                    "a regular expression /.../"
                }));
            }
        };
        Ok(Expr::Like {
            value: Box::new(value),
            pattern,
        })
    }

    fn in_list(&mut self, value: Expr) -> Result<Expr, QueryError> {
        self.expect_sym("[", "`[` starting the list of values")?;
        let items = self.list(Self::additive)?;
        self.expect_sym("]", "`,` or `]` closing the list")?;
        Ok(Expr::In(Box::new(value), items))
    }

    fn additive(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.multiplicative()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Sym("+")) => BinOp::Add,
                Some(Tok::Sym("-")) => BinOp::Sub,
                _ => return Ok(left),
            };
            self.pos += 1;
            left = Expr::Binary(Box::new(left), op, Box::new(self.multiplicative()?));
        }
    }

    fn multiplicative(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Sym("*")) => BinOp::Mul,
                Some(Tok::Sym("/")) => BinOp::Div,
                Some(Tok::Sym("%")) => BinOp::Rem,
                _ => return Ok(left),
            };
            self.pos += 1;
            left = Expr::Binary(Box::new(left), op, Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        if self.eat_sym("-") {
            return self.nested(|p| Ok(Expr::Neg(Box::new(p.unary()?))));
        }
        let base = self.primary()?;
        if self.eat_sym("^") {
            let exponent = self.nested(Self::unary)?;
            return Ok(Expr::Binary(Box::new(base), BinOp::Pow, Box::new(exponent)));
        }
        Ok(base)
    }

    fn primary(&mut self) -> Result<Expr, QueryError> {
        let expected = "a field, a value or `(`";
        let Some(tok) = self.peek().cloned() else {
            return Err(self.err(expected));
        };
        match tok {
            Tok::Str(s) => {
                self.pos += 1;
                Ok(Expr::Str(s))
            }
            Tok::Num(n) => {
                self.pos += 1;
                Ok(Expr::Num(n))
            }
            Tok::Span(ms) => {
                self.pos += 1;
                Ok(Expr::Num(ms as f64))
            }
            Tok::Quoted(f) => {
                self.pos += 1;
                Ok(Expr::Field(f))
            }
            Tok::Sym("(") => {
                self.pos += 1;
                let inner = self.nested(Self::expr)?;
                self.expect_sym(")", "`)` closing the parenthesis")?;
                Ok(inner)
            }
            Tok::Ident(word) if is_reserved(&word) => Err(self.err(expected)),
            Tok::Ident(word) => {
                let call = matches!(
                    self.tokens.get(self.pos + 1).map(|t| &t.tok),
                    Some(Tok::Sym("("))
                );
                if !call {
                    self.pos += 1;
                    return Ok(Expr::Field(word));
                }
                if let Some(function) = AggFn::by_name(&word)
                    && !self.in_aggregate
                {
                    if self.calls.is_some() {
                        return self.aggregate(function);
                    }
                    // After `stats`, `sort count(*) desc` names its column.
                    let start = self.here();
                    self.calls = Some(Vec::new());
                    let call = self.aggregate(function);
                    self.calls = None;
                    call?;
                    return Ok(Expr::Field(self.src[start..self.last_end()].to_string()));
                }
                let Some((func, least, most)) = Func::by_name(&word) else {
                    if UNEVALUATED_FUNCTIONS.contains(&word.to_ascii_lowercase().as_str()) {
                        return Err(QueryError::unsupported(
                            self.src,
                            self.here(),
                            format!("the `{word}` function"),
                        ));
                    }
                    return Err(self.err(if self.calls.is_some() {
                        AGGREGATIONS
                    } else {
                        "a known function (see README: Logs Insights)"
                    }));
                };
                self.pos += 2;
                let args = self.nested(|p| p.list(Self::expr))?;
                if !(least..=most).contains(&args.len()) {
                    let takes = match (least, most) {
                        (l, m) if l == m => format!("{l} argument(s)"),
                        (l, usize::MAX) => format!("at least {l} argument(s)"),
                        (l, m) => format!("{l} to {m} arguments"),
                    };
                    return Err(self.err(format!("`)`: {word}() takes {takes}")));
                }
                self.expect_sym(")", "`,` or `)` closing the call")?;
                Ok(Expr::Call(func, args))
            }
            _ => Err(self.err(expected)),
        }
    }
}

/// Words that cannot be field names without backquotes.
fn is_reserved(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "and" | "or" | "not" | "like" | "in" | "as" | "by" | "asc" | "desc"
    )
}

fn first_line(s: &str) -> String {
    s.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim()
        .to_string()
}
