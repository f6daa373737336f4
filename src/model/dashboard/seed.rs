//! The seed's three CloudWatch dashboards (Data Pipeline, API Performance,
//! ML Performance) as real dashboard bodies. They are data, not a
//! provider: the demo account serves them and `provision`'s built-in spec
//! creates them, so they sit here, below both. The bodies are templates:
//! `${prefix}` becomes the env's resource prefix.

/// (name suffix, body template), in the console's alphabetical order. The
/// one source of the seed's dashboards.
pub const BODIES: [(&str, &str); 3] = [
    ("api-performance", include_str!("seed/api-performance.json")),
    ("data-pipeline", include_str!("seed/data-pipeline.json")),
    ("ml-performance", include_str!("seed/ml-performance.json")),
];
