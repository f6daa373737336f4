//! A custom metric value as `monitui metrics put` takes it, checked against
//! CloudWatch's rules before anything is sent: a finite value, a unit
//! CloudWatch knows, at most 30 `name=value` dimensions, names and a
//! namespace within the service's limits (and not under `AWS/`).

use super::metric::{Dimension, MetricDatum, MetricRef};

/// The namespace of the seed's custom metrics.
pub const DEFAULT_NAMESPACE: &str = "ecommerce-ai-platform";

/// CloudWatch's standard units.
pub const UNITS: [&str; 27] = [
    "Seconds",
    "Microseconds",
    "Milliseconds",
    "Bytes",
    "Kilobytes",
    "Megabytes",
    "Gigabytes",
    "Terabytes",
    "Bits",
    "Kilobits",
    "Megabits",
    "Gigabits",
    "Terabits",
    "Percent",
    "Count",
    "Bytes/Second",
    "Kilobytes/Second",
    "Megabytes/Second",
    "Gigabytes/Second",
    "Terabytes/Second",
    "Bits/Second",
    "Kilobits/Second",
    "Megabits/Second",
    "Gigabits/Second",
    "Terabits/Second",
    "Count/Second",
    "None",
];

/// Dimensions per metric the service accepts.
const MAX_DIMENSIONS: usize = 30;
/// Longest metric name, namespace, dimension name or value.
const MAX_NAME: usize = 255;
/// Largest magnitude CloudWatch stores (2^360).
const MAX_MAGNITUDE: f64 = 2.348_595_208_132_365e108;

/// Why a custom metric value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CustomMetricError {
    /// The value is not a number CloudWatch accepts.
    #[error("value '{0}' is not a number CloudWatch accepts (finite, magnitude below 2^360)")]
    Value(String),
    /// Unknown unit.
    #[error("unit '{0}' is not a CloudWatch unit; use one of: {units}", units = UNITS.join(", "))]
    Unit(String),
    /// A dimension is not `name=value` or breaks a limit.
    #[error("dimension '{0}': {1}")]
    Dimension(String, String),
    /// A name breaks a limit.
    #[error("{0}")]
    Name(String),
}

fn check_name(what: &str, s: &str) -> Result<(), CustomMetricError> {
    if s.is_empty() || s.len() > MAX_NAME || s.chars().any(char::is_control) {
        return Err(CustomMetricError::Name(format!(
            "{what} '{s}' must be 1 to {MAX_NAME} characters without control characters"
        )));
    }
    Ok(())
}

/// The datum `metrics put` publishes, or why not.
pub fn custom_datum(
    namespace: &str,
    name: &str,
    value: &str,
    unit: Option<&str>,
    dimensions: &[String],
) -> Result<MetricDatum, CustomMetricError> {
    check_name("namespace", namespace)?;
    if namespace.starts_with("AWS/") {
        return Err(CustomMetricError::Name(format!(
            "namespace '{namespace}' is reserved for AWS services"
        )));
    }
    check_name("metric name", name)?;
    let number: f64 = value
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite() && v.abs() < MAX_MAGNITUDE)
        .ok_or_else(|| CustomMetricError::Value(value.to_string()))?;
    if let Some(u) = unit
        && !UNITS.contains(&u)
    {
        return Err(CustomMetricError::Unit(u.to_string()));
    }
    if dimensions.len() > MAX_DIMENSIONS {
        return Err(CustomMetricError::Dimension(
            dimensions[MAX_DIMENSIONS].clone(),
            format!("at most {MAX_DIMENSIONS} dimensions"),
        ));
    }
    let mut dims: Vec<Dimension> = Vec::with_capacity(dimensions.len());
    for d in dimensions {
        let bad = |why: &str| CustomMetricError::Dimension(d.clone(), why.to_string());
        let (k, v) = d.split_once('=').ok_or_else(|| bad("not name=value"))?;
        check_name("dimension name", k).map_err(|e| bad(&e.to_string()))?;
        check_name("dimension value", v).map_err(|e| bad(&e.to_string()))?;
        if k.starts_with(':') {
            return Err(bad("a dimension name cannot start with ':'"));
        }
        if dims.iter().any(|x| x.name == k) {
            return Err(bad("given twice"));
        }
        dims.push(Dimension::new(k, v));
    }
    Ok(MetricDatum {
        metric: MetricRef::new(namespace, name, dims),
        value: number,
        unit: unit.map(str::to_string),
        timestamp: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_example_is_accepted() {
        let d = custom_datum(
            DEFAULT_NAMESPACE,
            "MarketIntelligence.ForecastAccuracy",
            "0.95",
            Some("None"),
            &["System=mih".into()],
        )
        .unwrap();
        assert_eq!(d.value, 0.95);
        assert_eq!(d.metric.namespace, "ecommerce-ai-platform");
        assert_eq!(d.metric.dimensions, vec![Dimension::new("System", "mih")]);
    }

    #[test]
    fn bad_values_units_and_dimensions_are_named() {
        let put = |value: &str, unit: Option<&str>, dims: &[&str]| {
            let dims: Vec<String> = dims.iter().map(|d| d.to_string()).collect();
            custom_datum("ns", "M", value, unit, &dims)
                .unwrap_err()
                .to_string()
        };
        assert!(put("abc", None, &[]).starts_with("value 'abc'"));
        assert!(put("NaN", None, &[]).starts_with("value 'NaN'"));
        assert!(put("1e200", None, &[]).starts_with("value '1e200'"));
        assert!(
            put("1", Some("Meters"), &[]).starts_with("unit 'Meters' is not a CloudWatch unit")
        );
        assert!(put("1", None, &["novalue"]).contains("'novalue': not name=value"));
        assert!(put("1", None, &["a=1", "a=2"]).contains("given twice"));
        assert!(put("1", None, &["=x"]).contains("dimension name ''"));
        let many: Vec<String> = (0..31).map(|i| format!("d{i}=v")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(put("1", None, &many).contains("at most 30"));
        assert!(custom_datum("AWS/Lambda", "M", "1", None, &[]).is_err());
    }
}
