//! Evaluates an expression against one record.

use std::cmp::Ordering;
use std::net::IpAddr;

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
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem | BinOp::Pow => {
            let (Some(x), Some(y)) = (a.number(), b.number()) else {
                return Value::Missing;
            };
            finite(match op {
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                BinOp::Mul => x * y,
                BinOp::Div => x / y,
                BinOp::Pow => x.powf(y),
                _ => x % y,
            })
        }
    }
}

/// A number, or missing when it is not finite (as after a division by 0).
fn finite(n: f64) -> Value {
    if n.is_finite() {
        Value::Num(n)
    } else {
        Value::Missing
    }
}

fn call(func: Func, args: &[Expr], record: &Record<'_>) -> Value {
    let values: Vec<Value> = args.iter().map(|a| eval(a, record)).collect();
    let arg = |i: usize| values.get(i).cloned().unwrap_or(Value::Missing);
    let text = |i: usize| arg(i).text();
    let first = arg(0);
    let number = |f: fn(f64) -> f64| first.number().map_or(Value::Missing, |n| finite(f(n)));
    let string = |f: &dyn Fn(&str) -> String| text(0).map_or(Value::Missing, |t| Value::Str(f(&t)));
    let trimmed = |f: fn(&str, &dyn Fn(char) -> bool) -> String| {
        let chars = text(1);
        string(&|t| match &chars {
            Some(set) => f(t, &|c| set.contains(c)),
            None => f(t, &char::is_whitespace),
        })
    };
    let numbers = || values.iter().filter_map(Value::number);
    let time = |f: fn(i64, i64) -> i64| match (first.number(), arg(1).number()) {
        (Some(t), Some(span)) if span >= 1.0 => Value::Time(f(t as i64, span as i64)),
        _ => Value::Missing,
    };
    let ip = |want: fn(&IpAddr) -> bool| {
        Value::Bool(
            text(0)
                .and_then(|t| t.parse::<IpAddr>().ok())
                .is_some_and(|a| want(&a)),
        )
    };
    let subnet = |want: fn(&IpAddr) -> bool| {
        Value::Bool(match (text(0), text(1)) {
            (Some(a), Some(net)) => {
                in_subnet(&a, &net).is_some_and(|(a, inside)| inside && want(&a))
            }
            _ => false,
        })
    };
    match func {
        Func::IsPresent => Value::Bool(!matches!(first, Value::Missing)),
        Func::IsEmpty => Value::Bool(text(0).is_none_or(|t| t.is_empty())),
        Func::IsBlank => Value::Bool(text(0).is_none_or(|t| t.trim().is_empty())),
        Func::Strlen => text(0).map_or(Value::Missing, |t| Value::Num(t.chars().count() as f64)),
        Func::ToLower => string(&str::to_lowercase),
        Func::ToUpper => string(&str::to_uppercase),
        Func::Trim => trimmed(|t, p| t.trim_matches(p).to_string()),
        Func::Ltrim => trimmed(|t, p| t.trim_start_matches(p).to_string()),
        Func::Rtrim => trimmed(|t, p| t.trim_end_matches(p).to_string()),
        Func::Concat => Value::Str(values.iter().filter_map(Value::text).collect()),
        Func::Substr => {
            let start = arg(1).number().unwrap_or(0.0).max(0.0) as usize;
            let len = arg(2).number().map_or(usize::MAX, |n| n.max(0.0) as usize);
            string(&|t| t.chars().skip(start).take(len).collect())
        }
        Func::Replace => match (text(1), text(2)) {
            (Some(from), Some(to)) if !from.is_empty() => string(&|t| t.replace(&from, &to)),
            _ => first,
        },
        Func::StrContains => match (text(0), text(1)) {
            (Some(t), Some(s)) => Value::Num(if t.contains(&s) { 1.0 } else { 0.0 }),
            _ => Value::Missing,
        },
        Func::Abs => number(f64::abs),
        Func::Floor => number(f64::floor),
        Func::Ceil => number(f64::ceil),
        Func::Log => number(f64::ln),
        Func::Sqrt => number(f64::sqrt),
        Func::Greatest => numbers()
            .reduce(f64::max)
            .map_or(Value::Missing, Value::Num),
        Func::Least => numbers()
            .reduce(f64::min)
            .map_or(Value::Missing, Value::Num),
        Func::Coalesce => values
            .into_iter()
            .find(|v| !matches!(v, Value::Missing))
            .unwrap_or(Value::Missing),
        Func::Bin => match (record.get("@timestamp").number(), first.number()) {
            (Some(t), Some(span)) if span >= 1.0 => Value::Time(floor_to(t as i64, span as i64)),
            _ => Value::Missing,
        },
        Func::DateFloor => time(floor_to),
        Func::DateCeil => time(|t, span| {
            let floor = floor_to(t, span);
            if floor == t {
                t
            } else {
                floor.saturating_add(span)
            }
        }),
        Func::FromMillis => first
            .number()
            .map_or(Value::Missing, |n| Value::Time(n as i64)),
        Func::ToMillis => first
            .number()
            .map_or(Value::Missing, |n| Value::Num(n.trunc())),
        Func::IsValidIp => ip(|_| true),
        Func::IsValidIpV4 => ip(IpAddr::is_ipv4),
        Func::IsValidIpV6 => ip(IpAddr::is_ipv6),
        Func::IsIpInSubnet => subnet(|_| true),
        Func::IsIpv4InSubnet => subnet(IpAddr::is_ipv4),
        Func::IsIpv6InSubnet => subnet(IpAddr::is_ipv6),
    }
}

/// `t` rounded down to a multiple of `span` (both in milliseconds).
pub fn floor_to(t: i64, span: i64) -> i64 {
    t.saturating_sub(t.rem_euclid(span))
}

/// The address `ip` and whether it lies in the CIDR block `net` (same
/// family); `None` when either does not read as one.
fn in_subnet(ip: &str, net: &str) -> Option<(IpAddr, bool)> {
    let addr: IpAddr = ip.trim().parse().ok()?;
    let (base, bits) = net.trim().split_once('/')?;
    let base: IpAddr = base.parse().ok()?;
    let bits: u32 = bits.parse().ok()?;
    let inside = match (addr, base) {
        (IpAddr::V4(a), IpAddr::V4(b)) if bits <= 32 => {
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(a) & mask == u32::from(b) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(b)) if bits <= 128 => {
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    };
    Some((addr, inside))
}
