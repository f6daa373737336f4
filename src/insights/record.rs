//! A record as a query sees it: a log event's system fields (`@timestamp`,
//! `@message`, `@logStream`, `@log` as `account-id:group` when the account
//! is known), the fields the service discovers in
//! the message (JSON keys flattened as `a.b`, `a.0`; Lambda `REPORT`
//! lines), and fields that `fields`, `parse` and `stats` add.

use std::cell::OnceCell;

use serde_json::Value as Json;

use super::value::Value;
use crate::model::LogEvent;

/// The most fields discovered in one message, as the service caps it.
const MAX_DISCOVERED: usize = 200;

/// One row moving through the pipeline.
#[derive(Debug, Clone)]
pub struct Record<'e> {
    /// The event it came from (`None` for `stats` results).
    pub event: Option<&'e LogEvent>,
    /// The account the event's group belongs to, for `@log`.
    account: Option<&'e str>,
    /// Fields set by commands, later ones winning.
    added: Vec<(String, Value)>,
    /// Fields found in the message, computed on first use.
    discovered: OnceCell<Vec<(String, String)>>,
    /// A `stats` result's aggregations, in its command's call order.
    aggregates: Vec<Value>,
}

impl<'e> Record<'e> {
    /// The record of an event of a group of `account` (if known).
    pub fn of(event: &'e LogEvent, account: Option<&'e str>) -> Self {
        Self {
            event: Some(event),
            account,
            added: Vec::new(),
            discovered: OnceCell::new(),
            aggregates: Vec::new(),
        }
    }

    /// A record with only the given fields and aggregation values (a
    /// `stats` result row).
    pub fn synthetic(fields: Vec<(String, Value)>, aggregates: Vec<Value>) -> Self {
        Self {
            event: None,
            account: None,
            added: fields,
            discovered: OnceCell::new(),
            aggregates,
        }
    }

    /// The value of aggregation `i` of the `stats` that made this record.
    pub fn aggregate(&self, i: usize) -> Value {
        self.aggregates.get(i).cloned().unwrap_or(Value::Missing)
    }

    /// Sets (or replaces) a field.
    pub fn set(&mut self, name: &str, value: Value) {
        match self.added.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.added.push((name.to_string(), value)),
        }
    }

    /// The event time in milliseconds, if the record has an event.
    pub fn millis(&self) -> Option<i64> {
        self.event.map(|e| e.timestamp.as_millisecond())
    }

    /// The value of a field.
    pub fn get(&self, name: &str) -> Value {
        if let Some((_, v)) = self.added.iter().find(|(n, _)| n == name) {
            return v.clone();
        }
        let Some(event) = self.event else {
            return Value::Missing;
        };
        match name {
            "@timestamp" => Value::Time(event.timestamp.as_millisecond()),
            "@message" => Value::Str(event.message.clone()),
            "@logStream" => Value::Str(event.stream.clone()),
            "@log" => Value::Str(match self.account {
                Some(account) => format!("{account}:{}", event.group),
                None => event.group.clone(),
            }),
            _ => self
                .discovered
                .get_or_init(|| discover(&event.message))
                .iter()
                .find(|(n, _)| n == name)
                .map_or(Value::Missing, |(_, v)| Value::Str(v.clone())),
        }
    }
}

/// The fields the service finds in a message by itself.
pub fn discover(message: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let trimmed = message.trim();
    if trimmed.starts_with('{')
        && let Ok(json @ Json::Object(_)) = serde_json::from_str::<Json>(trimmed)
    {
        flatten("", &json, &mut found);
    } else if let Some(report) = trimmed.strip_prefix("REPORT ") {
        lambda_report(report, &mut found);
    }
    found.truncate(MAX_DISCOVERED);
    found
}

/// JSON keys flattened with dots, array items by index.
fn flatten(prefix: &str, json: &Json, out: &mut Vec<(String, String)>) {
    if out.len() >= MAX_DISCOVERED {
        return;
    }
    let join = |key: &str| {
        if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        }
    };
    match json {
        Json::Object(map) => {
            for (k, v) in map {
                flatten(&join(k), v, out);
            }
        }
        Json::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&join(&i.to_string()), v, out);
            }
        }
        Json::Null => {}
        Json::String(s) => out.push((prefix.to_string(), s.clone())),
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

/// `REPORT RequestId: id\tDuration: 1.2 ms\tBilled Duration: 2 ms\t...`.
fn lambda_report(report: &str, out: &mut Vec<(String, String)>) {
    out.push(("@type".to_string(), "REPORT".to_string()));
    for part in report.split('\t') {
        let Some((key, value)) = part.split_once(':') else {
            continue;
        };
        let value = value.trim();
        let number = || value.split_whitespace().next().unwrap_or("").to_string();
        let field = match key.trim() {
            "RequestId" => ("@requestId", value.to_string()),
            "Duration" => ("@duration", number()),
            "Billed Duration" => ("@billedDuration", number()),
            "Memory Size" => ("@memorySize", bytes_of_mb(&number())),
            "Max Memory Used" => ("@maxMemoryUsed", bytes_of_mb(&number())),
            "Init Duration" => ("@initDuration", number()),
            _ => continue,
        };
        out.push((field.0.to_string(), field.1));
    }
}

/// The service reports Lambda memory in bytes.
fn bytes_of_mb(mb: &str) -> String {
    mb.parse::<u64>()
        .map_or_else(|_| mb.to_string(), |n| (n * 1_000_000).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_messages_are_flattened_with_dots_and_indexes() {
        let found = discover(
            r#" {"level":"ERROR","req":{"id":"r1","ms":12.5},"tags":["a","b"],"n":null,"ok":true}"#,
        );
        let get = |k: &str| found.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("level"), Some("ERROR"));
        assert_eq!(get("req.id"), Some("r1"));
        assert_eq!(get("req.ms"), Some("12.5"));
        assert_eq!(get("tags.1"), Some("b"));
        assert_eq!(get("ok"), Some("true"));
        assert_eq!(get("n"), None);
    }

    #[test]
    fn lambda_reports_give_the_system_fields() {
        let found = discover(
            "REPORT RequestId: 8f5\tDuration: 102.25 ms\tBilled Duration: 103 ms\tMemory Size: 512 MB\tMax Memory Used: 80 MB\t",
        );
        assert!(found.contains(&("@duration".into(), "102.25".into())));
        assert!(found.contains(&("@requestId".into(), "8f5".into())));
        assert!(found.contains(&("@maxMemoryUsed".into(), "80000000".into())));
        assert!(discover("plain text").is_empty());
        assert!(discover("{not json").is_empty());
    }

    #[test]
    fn discovery_stops_at_the_service_cap() {
        let many: String = (0..500)
            .map(|i| format!("\"k{i}\":{i}"))
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(discover(&format!("{{{many}}}")).len(), MAX_DISCOVERED);
    }
}
