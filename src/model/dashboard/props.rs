//! Typed reads of one JSON object's keys, each failure naming the key by
//! its dotted path from the widget (`properties.yAxis.left.min`). Unknown
//! keys are ignored, as the console ignores them.

use serde_json::{Map, Value};

use super::error::{WidgetProblem, json_type};

/// One JSON object and the dotted path that leads to it.
#[derive(Debug, Clone, Copy)]
pub struct Props<'a> {
    map: &'a Map<String, Value>,
    path: &'a str,
}

type Read<T> = Result<Option<T>, WidgetProblem>;

impl<'a> Props<'a> {
    /// Reads `map`, reached at `path` (empty at the widget itself).
    pub fn new(map: &'a Map<String, Value>, path: &'a str) -> Self {
        Self { map, path }
    }

    /// The dotted path of `key` for messages.
    pub fn key(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The raw value of `key`, `None` when absent or null.
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn wrong(&self, key: &str, expected: &'static str, found: &Value) -> WidgetProblem {
        WidgetProblem::WrongType {
            key: self.key(key),
            expected,
            found: json_type(found),
        }
    }

    /// A string value.
    pub fn string(&self, key: &str) -> Read<String> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(self.wrong(key, "a string", v)),
        }
    }

    /// A boolean value.
    pub fn bool(&self, key: &str) -> Read<bool> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(v) => Err(self.wrong(key, "true or false", v)),
        }
    }

    /// A finite number.
    pub fn number(&self, key: &str) -> Read<f64> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64().filter(|f| f.is_finite())),
            Some(v) => Err(self.wrong(key, "a number", v)),
        }
    }

    /// A period in seconds: 1, 5, 10, 30 or a multiple of 60, as
    /// GetMetricData accepts.
    pub fn period(&self, key: &str) -> Read<u32> {
        let Some(n) = self.number(key)? else {
            return Ok(None);
        };
        let ok = n.fract() == 0.0
            && n > 0.0
            && n <= f64::from(u32::MAX)
            && ([1.0, 5.0, 10.0, 30.0].contains(&n) || n % 60.0 == 0.0);
        if ok {
            Ok(Some(n as u32))
        } else {
            Err(WidgetProblem::BadValue {
                key: self.key(key),
                value: n.to_string(),
                reason: "a period is 1, 5, 10, 30 or a multiple of 60 seconds".into(),
            })
        }
    }

    /// A string that must be one of `allowed`.
    pub fn choice<T: Copy>(&self, key: &str, allowed: &[(&str, T)]) -> Read<T> {
        let Some(s) = self.string(key)? else {
            return Ok(None);
        };
        match allowed.iter().find(|(name, _)| *name == s) {
            Some((_, t)) => Ok(Some(*t)),
            None => Err(WidgetProblem::BadValue {
                key: self.key(key),
                value: format!("\"{s}\""),
                reason: format!(
                    "expected one of {}",
                    allowed
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
        }
    }

    /// A nested object.
    pub fn object(&self, key: &str) -> Read<&'a Map<String, Value>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m)),
            Some(v) => Err(self.wrong(key, "an object", v)),
        }
    }

    /// An array.
    pub fn array(&self, key: &str) -> Read<&'a Vec<Value>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(v) => Err(self.wrong(key, "an array", v)),
        }
    }

    /// An array of strings.
    pub fn strings(&self, key: &str) -> Read<Vec<String>> {
        let Some(items) = self.array(key)? else {
            return Ok(None);
        };
        items
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(s.clone()),
                other => Err(WidgetProblem::WrongType {
                    key: format!("{}[{i}]", self.key(key)),
                    expected: "a string",
                    found: json_type(other),
                }),
            })
            .collect::<Result<_, _>>()
            .map(Some)
    }
}
