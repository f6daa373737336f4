//! Metric math as the demo account evaluates it, so a dashboard's
//! expression rows show data without AWS: arithmetic (`+ - * / ^`,
//! unary minus) and comparisons (`> < >= <= == !=`, `AND`, `OR`, giving 1
//! or 0) over query ids, numbers and arrays `[m1, m2]`, and the functions
//! `SUM AVG MIN MAX STDDEV` (across an array point by point; over one
//! series, a single number), `ABS CEIL FLOOR SQRT LOG LOG10`, `IF`,
//! `FILL` (a number, `REPEAT` or `LINEAR`), `RATE`, `DIFF`,
//! `RUNNING_SUM`, `PERIOD`, `SEARCH` (see `search`) and
//! `ANOMALY_DETECTION_BAND` (the demo's trained band, see
//! [`crate::model::anomaly`]: two series, the lower and the upper limit).
//!
//! Series are joined on their timestamps; a point whose result is not a
//! finite number (a division by zero) is left out, as CloudWatch does.

use std::collections::BTreeMap;

use jiff::Timestamp;

use crate::model::anomaly::{self, Band};

/// One labelled series of points, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Its label.
    pub label: String,
    /// Points, oldest first.
    pub points: Vec<(Timestamp, f64)>,
}

/// What an expression evaluates to.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// One number (broadcast against series).
    Scalar(f64),
    /// One series.
    Series(Line),
    /// Several series (an array or a SEARCH).
    Many(Vec<Line>),
}

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Num(f64),
    Str(String),
    Id(String),
    Neg(Box<Expr>),
    Binary(Op, Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
    Array(Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Gt,
    Lt,
    Ge,
    Le,
    Eq,
    Ne,
    And,
    Or,
}

impl Op {
    fn apply(self, a: f64, b: f64) -> f64 {
        let truth = |c: bool| if c { 1.0 } else { 0.0 };
        match self {
            Op::Add => a + b,
            Op::Sub => a - b,
            Op::Mul => a * b,
            Op::Div => a / b,
            Op::Pow => a.powf(b),
            Op::Gt => truth(a > b),
            Op::Lt => truth(a < b),
            Op::Ge => truth(a >= b),
            Op::Le => truth(a <= b),
            Op::Eq => truth(a == b),
            Op::Ne => truth(a != b),
            Op::And => truth(a != 0.0 && b != 0.0),
            Op::Or => truth(a != 0.0 || b != 0.0),
        }
    }
}

/// What evaluation needs from the batch around the expression.
pub trait Scope {
    /// The value of query `id` of the batch.
    fn id(&mut self, id: &str) -> Result<Value, String>;
    /// The series a `SEARCH(query, stat, period)` finds.
    fn search(&mut self, query: &str, stat: &str, period_secs: u32) -> Result<Vec<Line>, String>;
    /// The value of query `id` over the window widened by `periods` of its
    /// own periods before it (the history an anomaly band is trained on).
    fn id_with_history(&mut self, id: &str, periods: usize) -> Result<Value, String>;
    /// The expression's period in seconds (for `FILL`, `PERIOD`, `SEARCH`).
    fn period_secs(&self) -> u32;
    /// The window, for `FILL`.
    fn window(&self) -> (Timestamp, Timestamp);
}

/// Parses and evaluates `text`.
pub fn evaluate(text: &str, scope: &mut dyn Scope) -> Result<Value, String> {
    let expr = parse(text)?;
    eval(&expr, scope)
}

// ---- parsing ----

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Num(f64),
    Str(String),
    Word(String),
    Sym(&'static str),
}

fn lex(text: &str) -> Result<Vec<Token>, String> {
    const SYMBOLS: [&str; 16] = [
        ">=", "<=", "==", "!=", "+", "-", "*", "/", "^", ">", "<", "(", ")", "[", "]", ",",
    ];
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
        } else if c == '\'' || c == '"' {
            let end = rest[1..]
                .find(c)
                .ok_or_else(|| format!("unclosed {c} in '{text}'"))?;
            out.push(Token::Str(rest[1..1 + end].to_string()));
            rest = &rest[end + 2..];
        } else if c.is_ascii_digit() || c == '.' {
            let len = rest
                .find(|ch: char| !(ch.is_ascii_digit() || ch == '.'))
                .unwrap_or(rest.len());
            let n = rest[..len]
                .parse()
                .map_err(|_| format!("'{}' is not a number", &rest[..len]))?;
            out.push(Token::Num(n));
            rest = &rest[len..];
        } else if c.is_ascii_alphabetic() || c == '_' {
            let len = rest
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                .unwrap_or(rest.len());
            out.push(Token::Word(rest[..len].to_string()));
            rest = &rest[len..];
        } else if let Some(sym) = SYMBOLS.iter().find(|s| rest.starts_with(**s)) {
            out.push(Token::Sym(sym));
            rest = &rest[sym.len()..];
        } else {
            return Err(format!("unexpected '{c}' in '{text}'"));
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

fn parse(text: &str) -> Result<Expr, String> {
    let mut p = Parser {
        tokens: lex(text)?,
        at: 0,
    };
    let e = p.expr(0)?;
    match p.tokens.get(p.at) {
        None => Ok(e),
        Some(t) => Err(format!("unexpected {t:?} in '{text}'")),
    }
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn eat(&mut self, sym: &str) -> bool {
        if matches!(self.peek(), Some(Token::Sym(s)) if *s == sym) {
            self.at += 1;
            return true;
        }
        false
    }

    fn binary_op(&self) -> Option<(Op, u8)> {
        Some(match self.peek()? {
            Token::Word(w) if w.eq_ignore_ascii_case("OR") => (Op::Or, 1),
            Token::Word(w) if w.eq_ignore_ascii_case("AND") => (Op::And, 2),
            Token::Sym(s) => match *s {
                ">" => (Op::Gt, 3),
                "<" => (Op::Lt, 3),
                ">=" => (Op::Ge, 3),
                "<=" => (Op::Le, 3),
                "==" => (Op::Eq, 3),
                "!=" => (Op::Ne, 3),
                "+" => (Op::Add, 4),
                "-" => (Op::Sub, 4),
                "*" => (Op::Mul, 5),
                "/" => (Op::Div, 5),
                "^" => (Op::Pow, 6),
                _ => return None,
            },
            _ => return None,
        })
    }

    /// Precedence climbing: operators binding tighter than `min`.
    fn expr(&mut self, min: u8) -> Result<Expr, String> {
        let mut left = self.unary()?;
        while let Some((op, prec)) = self.binary_op() {
            if prec <= min {
                break;
            }
            self.at += 1;
            let right = self.expr(if op == Op::Pow { prec - 1 } else { prec })?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.eat("-") {
            // Binds looser than `^`: -a^2 is -(a^2).
            return Ok(Expr::Neg(Box::new(self.expr(5)?)));
        }
        self.primary()
    }

    fn list(&mut self, close: &str) -> Result<Vec<Expr>, String> {
        let mut items = Vec::new();
        if self.eat(close) {
            return Ok(items);
        }
        loop {
            items.push(self.expr(0)?);
            if self.eat(close) {
                return Ok(items);
            }
            if !self.eat(",") {
                return Err(format!("expected ',' or '{close}'"));
            }
        }
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let token = self.peek().cloned().ok_or("the expression ends too soon")?;
        self.at += 1;
        match token {
            Token::Num(n) => Ok(Expr::Num(n)),
            Token::Str(s) => Ok(Expr::Str(s)),
            Token::Word(w) if self.eat("(") => {
                Ok(Expr::Call(w.to_ascii_uppercase(), self.list(")")?))
            }
            Token::Word(w) => Ok(Expr::Id(w)),
            Token::Sym("(") => {
                let e = self.expr(0)?;
                if !self.eat(")") {
                    return Err("expected ')'".into());
                }
                Ok(e)
            }
            Token::Sym("[") => Ok(Expr::Array(self.list("]")?)),
            Token::Sym(s) => Err(format!("unexpected '{s}'")),
        }
    }
}

// ---- evaluation ----

fn eval(e: &Expr, scope: &mut dyn Scope) -> Result<Value, String> {
    match e {
        Expr::Num(n) => Ok(Value::Scalar(*n)),
        Expr::Str(s) => Err(format!("the text '{s}' is not a value here")),
        Expr::Id(id) => scope.id(id),
        Expr::Neg(a) => Ok(map(eval(a, scope)?, |v| -v)),
        Expr::Binary(op, a, b) => {
            let (a, b) = (eval(a, scope)?, eval(b, scope)?);
            Ok(combine(a, b, |x, y| op.apply(x, y)))
        }
        Expr::Array(items) => {
            let mut lines = Vec::new();
            for item in items {
                match eval(item, scope)? {
                    Value::Series(l) => lines.push(l),
                    Value::Many(ls) => lines.extend(ls),
                    Value::Scalar(_) => return Err("an array holds series, not numbers".into()),
                }
            }
            Ok(Value::Many(lines))
        }
        Expr::Call(name, args) => call(name, args, scope),
    }
}

fn call(name: &str, args: &[Expr], scope: &mut dyn Scope) -> Result<Value, String> {
    let arity = |n: std::ops::RangeInclusive<usize>| {
        if n.contains(&args.len()) {
            Ok(())
        } else {
            Err(format!(
                "{name}() takes {} arguments, not {}",
                n.start(),
                args.len()
            ))
        }
    };
    match name {
        "ABS" | "CEIL" | "FLOOR" | "SQRT" | "LOG" | "LOG10" => {
            arity(1..=1)?;
            let f: fn(f64) -> f64 = match name {
                "ABS" => f64::abs,
                "CEIL" => f64::ceil,
                "FLOOR" => f64::floor,
                "SQRT" => f64::sqrt,
                "LOG" => f64::ln,
                _ => f64::log10,
            };
            Ok(map(eval(&args[0], scope)?, f))
        }
        "SUM" | "AVG" | "MIN" | "MAX" | "STDDEV" => {
            arity(1..=1)?;
            Ok(match eval(&args[0], scope)? {
                Value::Scalar(v) => Value::Scalar(v),
                Value::Series(l) => {
                    let values: Vec<f64> = l.points.iter().map(|(_, v)| *v).collect();
                    Value::Scalar(reduce(name, &values).unwrap_or(f64::NAN))
                }
                Value::Many(lines) => Value::Series(across(name, &lines)),
            })
        }
        "IF" => {
            arity(2..=3)?;
            let cond = eval(&args[0], scope)?;
            let yes = eval(&args[1], scope)?;
            let no = match args.get(2) {
                Some(a) => eval(a, scope)?,
                None => Value::Scalar(f64::NAN),
            };
            if_then(&cond, &yes, &no)
        }
        "FILL" => {
            arity(2..=2)?;
            let how = match &args[1] {
                Expr::Id(w) if w.eq_ignore_ascii_case("REPEAT") => Fill::Repeat,
                Expr::Id(w) if w.eq_ignore_ascii_case("LINEAR") => Fill::Linear,
                other => match eval(other, scope)? {
                    Value::Scalar(v) => Fill::Value(v),
                    _ => return Err("FILL() fills with a number, REPEAT or LINEAR".into()),
                },
            };
            let grid = grid(scope);
            Ok(each_line(eval(&args[0], scope)?, |l| fill(l, &grid, how)))
        }
        "RATE" | "DIFF" | "RUNNING_SUM" => {
            arity(1..=1)?;
            Ok(each_line(eval(&args[0], scope)?, |l| history(name, l)))
        }
        "PERIOD" => {
            arity(1..=1)?;
            Ok(Value::Scalar(f64::from(scope.period_secs())))
        }
        "SEARCH" => {
            arity(2..=3)?;
            let text = |e: &Expr| match e {
                Expr::Str(s) => Ok(s.clone()),
                _ => Err("SEARCH() takes a quoted search and a quoted statistic".to_string()),
            };
            let period = match args.get(2) {
                Some(Expr::Num(p)) if *p >= 1.0 => *p as u32,
                Some(_) => return Err("SEARCH()'s period is a number of seconds".into()),
                None => scope.period_secs(),
            };
            Ok(Value::Many(scope.search(
                &text(&args[0])?,
                &text(&args[1])?,
                period,
            )?))
        }
        "ANOMALY_DETECTION_BAND" => {
            arity(1..=2)?;
            let Expr::Id(input) = &args[0] else {
                return Err("ANOMALY_DETECTION_BAND() takes the id of a query".into());
            };
            let width = match args.get(1) {
                None => anomaly::DEFAULT_WIDTH,
                Some(arg) => match eval(arg, scope)? {
                    Value::Scalar(w) if w.is_finite() && w > 0.0 => w,
                    _ => return Err("ANOMALY_DETECTION_BAND()'s width is a positive number".into()),
                },
            };
            let Value::Series(line) = scope.id_with_history(input, anomaly::TRAINING_PERIODS)?
            else {
                return Err("ANOMALY_DETECTION_BAND() takes one series".into());
            };
            let band = Band::trained(&line.label, &line.points, scope.window().0, width);
            let limit = |name: &str, pick: fn(&(Timestamp, f64, f64)) -> f64| Line {
                label: format!("{} (expected) {name}", line.label),
                points: band.points.iter().map(|p| (p.0, pick(p))).collect(),
            };
            Ok(Value::Many(vec![
                limit("Lower", |p| p.1),
                limit("Upper", |p| p.2),
            ]))
        }
        other => Err(format!("{other}() is not evaluated by the demo account")),
    }
}

/// `IF(cond, yes, no)` point by point, over the timestamps of whichever
/// arguments are series.
fn if_then(cond: &Value, yes: &Value, no: &Value) -> Result<Value, String> {
    let lookup = |v: &Value| -> Result<Option<BTreeMap<Timestamp, f64>>, String> {
        match v {
            Value::Scalar(_) => Ok(None),
            Value::Series(l) => Ok(Some(l.points.iter().copied().collect())),
            Value::Many(_) => Err("IF() over several series is not evaluated".into()),
        }
    };
    let (c, y, n) = (lookup(cond)?, lookup(yes)?, lookup(no)?);
    let value = |v: &Value, m: &Option<BTreeMap<Timestamp, f64>>, t: &Timestamp| match (v, m) {
        (Value::Scalar(x), _) => Some(*x),
        (_, Some(m)) => m.get(t).copied(),
        _ => None,
    };
    let times: std::collections::BTreeSet<Timestamp> = [&c, &y, &n]
        .into_iter()
        .flatten()
        .flat_map(|m| m.keys().copied())
        .collect();
    if times.is_empty() {
        let truth = value(cond, &c, &Timestamp::UNIX_EPOCH).unwrap_or(0.0) != 0.0;
        let pick = if truth { yes } else { no };
        return Ok(pick.clone());
    }
    let label = match (yes, no) {
        (Value::Series(l), _) | (_, Value::Series(l)) => l.label.clone(),
        _ => "IF".to_string(),
    };
    let points = times
        .into_iter()
        .filter_map(|t| {
            let truth = value(cond, &c, &t)? != 0.0;
            let v = if truth {
                value(yes, &y, &t)
            } else {
                value(no, &n, &t)
            }?;
            v.is_finite().then_some((t, v))
        })
        .collect();
    Ok(Value::Series(Line { label, points }))
}

#[derive(Debug, Clone, Copy)]
enum Fill {
    Value(f64),
    Repeat,
    Linear,
}

/// The period starts of the window.
fn grid(scope: &dyn Scope) -> Vec<Timestamp> {
    let period = i64::from(scope.period_secs().max(1));
    let (start, end) = scope.window();
    let first = start.as_second().div_euclid(period) * period;
    (0..)
        .map(|i| first + i * period)
        .take_while(|t| *t < end.as_second())
        .filter_map(|t| Timestamp::from_second(t).ok())
        .collect()
}

fn fill(line: Line, grid: &[Timestamp], how: Fill) -> Line {
    let have: BTreeMap<Timestamp, f64> = line.points.iter().copied().collect();
    let mut points = Vec::with_capacity(grid.len());
    for t in grid {
        let value = match (have.get(t), how) {
            (Some(v), _) => Some(*v),
            (None, Fill::Value(v)) => Some(v),
            (None, Fill::Repeat) => have.range(..*t).next_back().map(|(_, v)| *v),
            (None, Fill::Linear) => {
                let before = have.range(..*t).next_back();
                let after = have.range(*t..).next();
                match (before, after) {
                    (Some((t0, v0)), Some((t1, v1))) => {
                        let span = t1.duration_since(*t0).as_secs_f64();
                        let part = t.duration_since(*t0).as_secs_f64();
                        Some(v0 + (v1 - v0) * part / span)
                    }
                    _ => None,
                }
            }
        };
        if let Some(v) = value {
            points.push((*t, v));
        }
    }
    Line {
        label: line.label,
        points,
    }
}

fn history(name: &str, line: Line) -> Line {
    let mut points = Vec::with_capacity(line.points.len());
    let mut total = 0.0;
    for (i, (t, v)) in line.points.iter().enumerate() {
        match name {
            "RUNNING_SUM" => {
                total += v;
                points.push((*t, total));
            }
            _ if i == 0 => {}
            _ => {
                let (t0, v0) = line.points[i - 1];
                let change = v - v0;
                let value = if name == "RATE" {
                    change / t.duration_since(t0).as_secs_f64()
                } else {
                    change
                };
                points.push((*t, value));
            }
        }
    }
    Line {
        label: line.label,
        points,
    }
}

fn reduce(name: &str, values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let sum: f64 = values.iter().sum();
    Some(match name {
        "SUM" => sum,
        "AVG" => sum / n,
        "MIN" => values.iter().copied().fold(f64::INFINITY, f64::min),
        "MAX" => values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        _ => {
            let mean = sum / n;
            (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt()
        }
    })
}

/// `name` across several series at each timestamp any of them has.
fn across(name: &str, lines: &[Line]) -> Line {
    let mut at: BTreeMap<Timestamp, Vec<f64>> = BTreeMap::new();
    for l in lines {
        for (t, v) in &l.points {
            at.entry(*t).or_default().push(*v);
        }
    }
    Line {
        label: name.to_string(),
        points: at
            .into_iter()
            .filter_map(|(t, vs)| Some((t, reduce(name, &vs)?)))
            .collect(),
    }
}

fn keep_finite(points: Vec<(Timestamp, f64)>) -> Vec<(Timestamp, f64)> {
    points.into_iter().filter(|(_, v)| v.is_finite()).collect()
}

fn map(v: Value, f: impl Fn(f64) -> f64 + Copy) -> Value {
    match v {
        Value::Scalar(x) => Value::Scalar(f(x)),
        other => each_line(other, |l| Line {
            label: l.label,
            points: keep_finite(l.points.into_iter().map(|(t, x)| (t, f(x))).collect()),
        }),
    }
}

fn each_line(v: Value, mut f: impl FnMut(Line) -> Line) -> Value {
    match v {
        Value::Scalar(x) => Value::Scalar(x),
        Value::Series(l) => Value::Series(f(l)),
        Value::Many(ls) => Value::Many(ls.into_iter().map(f).collect()),
    }
}

/// Two series joined on their common timestamps.
fn join(a: &Line, b: &Line, f: impl Fn(f64, f64) -> f64) -> Line {
    let theirs: BTreeMap<Timestamp, f64> = b.points.iter().copied().collect();
    Line {
        label: a.label.clone(),
        points: keep_finite(
            a.points
                .iter()
                .filter_map(|(t, x)| Some((*t, f(*x, *theirs.get(t)?))))
                .collect(),
        ),
    }
}

fn combine(a: Value, b: Value, f: impl Fn(f64, f64) -> f64 + Copy) -> Value {
    match (a, b) {
        (Value::Scalar(x), Value::Scalar(y)) => Value::Scalar(f(x, y)),
        (Value::Scalar(x), other) => map(other, move |y| f(x, y)),
        (other, Value::Scalar(y)) => map(other, move |x| f(x, y)),
        (Value::Series(l), Value::Series(r)) => Value::Series(join(&l, &r, f)),
        (Value::Many(ls), Value::Series(r)) => {
            Value::Many(ls.iter().map(|l| join(l, &r, f)).collect())
        }
        (Value::Series(l), Value::Many(rs)) => {
            Value::Many(rs.iter().map(|r| join(&l, r, f)).collect())
        }
        (Value::Many(ls), Value::Many(rs)) => {
            Value::Many(ls.iter().zip(&rs).map(|(l, r)| join(l, r, f)).collect())
        }
    }
}

#[cfg(test)]
mod tests;
