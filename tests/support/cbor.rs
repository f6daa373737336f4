//! Building and reading CBOR bodies of CloudWatch's rpc-v2-cbor protocol.

use ciborium::Value;

/// A CBOR map from string keys.
pub fn map<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Map(
        entries
            .into_iter()
            .map(|(k, v)| (Value::Text(k.to_string()), v))
            .collect(),
    )
}

/// A CBOR text value.
pub fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

/// A CBOR array.
pub fn array(items: impl IntoIterator<Item = Value>) -> Value {
    Value::Array(items.into_iter().collect())
}

/// A smithy timestamp: tag 1 around epoch seconds.
pub fn timestamp(epoch_secs: i64) -> Value {
    Value::Tag(1, Box::new(Value::Integer(epoch_secs.into())))
}

/// A CBOR float.
pub fn float(v: f64) -> Value {
    Value::Float(v)
}

/// Serialises a value.
pub fn encode(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out).expect("encode CBOR");
    out
}

/// Parses a request body.
pub fn decode(bytes: &[u8]) -> Value {
    ciborium::from_reader(bytes).expect("request body is CBOR")
}

/// The value under `key` of a CBOR map.
pub fn get<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value
        .as_map()?
        .iter()
        .find(|(k, _)| k.as_text() == Some(key))
        .map(|(_, v)| v)
}

/// A metric alarm as DescribeAlarms returns it: in ALARM since 1_700_000_000,
/// on the Sum of `namespace`/`metric_name` over 300 s, above 5 for 1 period.
pub fn metric_alarm(name: &str, namespace: &str, metric_name: &str) -> Value {
    map([
        ("AlarmName", text(name)),
        (
            "AlarmArn",
            text(&format!(
                "arn:aws:cloudwatch:us-east-1:123456789012:alarm:{name}"
            )),
        ),
        ("StateValue", text("ALARM")),
        ("StateReason", text("Threshold Crossed")),
        ("StateUpdatedTimestamp", timestamp(1_700_000_000)),
        ("Namespace", text(namespace)),
        ("MetricName", text(metric_name)),
        ("Statistic", text("Sum")),
        ("Period", Value::Integer(300.into())),
        ("EvaluationPeriods", Value::Integer(1.into())),
        ("Threshold", float(5.0)),
        ("ComparisonOperator", text("GreaterThanThreshold")),
    ])
}
