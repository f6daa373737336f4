//! Evaluates an expression against one record.

use std::cmp::Ordering;

use super::ast::{BinOp, Expr, Func, Matcher};
use super::record::Record;
use super::value::Value;

/// The value of `expr` for `record`.
pub fn eval(expr: &Expr, record: &Record<'_>) -> Value {
    match expr {
        Expr::Field(name) => record.get(name),
        Expr::Str(s) => Value::Str(s.clone()),
        Expr::Num(n) => Value::Num(*n),
        Expr::Not(e) => Value::Bool(!eval(e, record).truthy()),
        Expr::And(a, b) => Value::Bool(eval(a, record).truthy() && eval(b, record).truthy()),
        Expr::Or(a, b) => Value::Bool(eval(a, record).truthy() || eval(b, record).truthy()),
        Expr::Neg(e) => eval(e, record)
            .number()
            .map_or(Value::Missing, |n| Value::Num(-n)),
        Expr::Binary(a, op, b) => binary(&eval(a, record), *op, &eval(b, record)),
        Expr::Like { value, pattern } => {
            let Some(text) = eval(value, record).text() else {
                return Value::Bool(false);
            };
            Value::Bool(match pattern {
                Matcher::Regex(re) => re.is_match(&text),
                Matcher::Substring(s) => text.contains(s.as_str()),
            })
        }
        Expr::In(value, items) => {
            let v = eval(value, record);
            Value::Bool(items.iter().any(|i| v.equals(&eval(i, record))))
        }
        Expr::Call(func, args) => call(*func, args, record),
        Expr::Agg(i) => record.aggregate(*i),
    }
}

fn binary(a: &Value, op: BinOp, b: &Value) -> Value {
    let compared = |want: fn(Ordering) -> bool| Value::Bool(a.compare(b).is_some_and(want));
    match op {
        BinOp::Eq => compared(|o| o == Ordering::Equal),
        BinOp::Ne => compared(|o| o != Ordering::Equal),
        BinOp::Lt => compared(|o| o == Ordering::Less),
        BinOp::Le => compared(|o| o != Ordering::Greater),
        BinOp::Gt => compared(|o| o == Ordering::Greater),
        BinOp::Ge => compared(|o| o != Ordering::Less),
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem => {
            let (Some(x), Some(y)) = (a.number(), b.number()) else {
                return Value::Missing;
            };
            let n = match op {
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                BinOp::Mul => x * y,
                BinOp::Div => x / y,
                _ => x % y,
            };
            if n.is_finite() {
                Value::Num(n)
            } else {
                Value::Missing
            }
        }
    }
}

fn call(func: Func, args: &[Expr], record: &Record<'_>) -> Value {
    let mut values = args.iter().map(|a| eval(a, record));
    let first = values.next().unwrap_or(Value::Missing);
    let text = || first.text();
    let number = |f: fn(f64) -> f64| first.number().map_or(Value::Missing, |n| Value::Num(f(n)));
    match func {
        Func::IsPresent => Value::Bool(!matches!(first, Value::Missing)),
        Func::IsEmpty => Value::Bool(text().is_none_or(|t| t.is_empty())),
        Func::IsBlank => Value::Bool(text().is_none_or(|t| t.trim().is_empty())),
        Func::Strlen => text().map_or(Value::Missing, |t| Value::Num(t.chars().count() as f64)),
        Func::ToLower => text().map_or(Value::Missing, |t| Value::Str(t.to_lowercase())),
        Func::ToUpper => text().map_or(Value::Missing, |t| Value::Str(t.to_uppercase())),
        Func::Trim => text().map_or(Value::Missing, |t| Value::Str(t.trim().to_string())),
        Func::Concat => Value::Str(
            std::iter::once(first)
                .chain(values)
                .filter_map(|v| v.text())
                .collect(),
        ),
        Func::Abs => number(f64::abs),
        Func::Floor => number(f64::floor),
        Func::Ceil => number(f64::ceil),
        Func::Coalesce => std::iter::once(first)
            .chain(values)
            .find(|v| !matches!(v, Value::Missing))
            .unwrap_or(Value::Missing),
    }
}
