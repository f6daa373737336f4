//! Values flowing through a query: text from events, numbers from literals
//! and arithmetic, times, truth values; how each compares, sorts and prints.

use std::cmp::Ordering;

use jiff::Timestamp;

/// A field's value in a record.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// The field is not there.
    Missing,
    /// Text (events' fields are text until compared with numbers).
    Str(String),
    /// A number.
    Num(f64),
    /// A moment, in milliseconds since the epoch (`@timestamp`, `bin()`).
    Time(i64),
    /// The outcome of a condition.
    Bool(bool),
}

impl Value {
    /// Whether a condition's value lets a record through.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Missing => false,
            Value::Bool(b) => *b,
            Value::Num(n) => *n != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Time(_) => true,
        }
    }

    /// The value as a number, if it is one or is text that reads as one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            Value::Time(ms) => Some(*ms as f64),
            Value::Str(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
            Value::Bool(_) | Value::Missing => None,
        }
    }

    /// The value as the results table shows it; `None` when missing.
    pub fn text(&self) -> Option<String> {
        match self {
            Value::Missing => None,
            Value::Str(s) => Some(s.clone()),
            Value::Num(n) => Some(format_number(*n)),
            Value::Time(ms) => Some(format_time(*ms)),
            Value::Bool(b) => Some(b.to_string()),
        }
    }

    /// `=` as the service means it: numbers compare as numbers (so `"200"`
    /// equals `200`), anything else as text; missing equals nothing.
    pub fn equals(&self, other: &Value) -> bool {
        self.compare(other) == Some(Ordering::Equal)
    }

    /// `<`, `>`...: as numbers when both read as numbers, else as text;
    /// `None` when either is missing.
    pub fn compare(&self, other: &Value) -> Option<Ordering> {
        if matches!(self, Value::Missing) || matches!(other, Value::Missing) {
            return None;
        }
        if let (Some(a), Some(b)) = (self.number(), other.number()) {
            return a.partial_cmp(&b);
        }
        Some(self.text()?.cmp(&other.text()?))
    }
}

/// Numbers as results show them: whole numbers without a point, others
/// with at most six decimals.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        return format!("{}", n as i64);
    }
    let text = format!("{n:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Times as the service prints them: `2026-11-28 19:00:00.000` (UTC).
pub fn format_time(ms: i64) -> String {
    Timestamp::from_millisecond(ms).map_or_else(
        |_| ms.to_string(),
        |t| t.strftime("%Y-%m-%d %H:%M:%S%.3f").to_string(),
    )
}

/// The service's ascending sort order: missing values last, then
/// non-numbers before numbers, numbers by value, non-numbers in natural
/// order (runs of digits by length, then value; other runs by code point).
pub fn natural_cmp(a: &Value, b: &Value) -> Ordering {
    let class = |v: &Value| match v {
        Value::Missing => 2,
        v if v.number().is_some() => 1,
        _ => 0,
    };
    match (class(a), class(b)) {
        (0, 0) => natural_text_cmp(&a.text().unwrap_or_default(), &b.text().unwrap_or_default()),
        (1, 1) => a
            .number()
            .partial_cmp(&b.number())
            .unwrap_or(Ordering::Equal)
            .then_with(|| a.text().cmp(&b.text())),
        (x, y) => x.cmp(&y),
    }
}

/// Natural order of two texts (see [`natural_cmp`]).
fn natural_text_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (chunks(a), chunks(b));
    loop {
        match (a.next(), b.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let digits = |s: &str| s.starts_with(|c: char| c.is_ascii_digit());
                let order = if digits(x) && digits(y) {
                    x.len().cmp(&y.len()).then_with(|| x.cmp(y))
                } else {
                    x.cmp(y)
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

/// Runs of ASCII digits and runs of everything else.
fn chunks(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let digit = first.is_ascii_digit();
        let end = rest
            .find(|c: char| c.is_ascii_digit() != digit)
            .unwrap_or(rest.len());
        let (chunk, tail) = rest.split_at(end);
        rest = tail;
        Some(chunk)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::Str(x.to_string())
    }

    #[test]
    fn natural_order_matches_the_documented_example() {
        let documented = [
            "!:",
            "#",
            "*%04",
            "0#",
            "5A",
            "111A",
            "2345_",
            "@",
            "@_",
            "A",
            "A9876fghj",
            "a12345hfh",
            "0",
            "01",
            "1",
            "2",
            "3",
        ];
        let mut shuffled: Vec<Value> = documented.iter().rev().map(|x| s(x)).collect();
        shuffled.sort_by(natural_cmp);
        let sorted: Vec<String> = shuffled.iter().map(|v| v.text().unwrap()).collect();
        assert_eq!(sorted, documented);
    }

    #[test]
    fn numbers_compare_as_numbers_and_text_as_text() {
        assert!(s("200").equals(&Value::Num(200.0)));
        assert_eq!(s("10").compare(&s("9")), Some(Ordering::Greater));
        assert_eq!(s("b").compare(&s("a")), Some(Ordering::Greater));
        assert_eq!(Value::Missing.compare(&s("a")), None);
        assert!(!Value::Missing.equals(&Value::Missing));
    }

    #[test]
    fn numbers_and_times_print_like_results() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(2.0 / 3.0), "0.666667");
        assert_eq!(format_number(-1.5), "-1.5");
        assert_eq!(format_time(1_764_356_400_123), "2025-11-28 19:00:00.123");
    }
}
