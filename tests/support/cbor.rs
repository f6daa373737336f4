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
