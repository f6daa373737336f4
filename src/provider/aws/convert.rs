//! Small conversions between SDK value types and `crate::model` shared by
//! the service modules.

use aws_sdk_cloudwatch::types as cw;
use aws_smithy_types::DateTime;
use jiff::Timestamp;

use crate::model::{Dimension, MetricRef};

const NANOS_PER_SEC: i128 = 1_000_000_000;

/// SDK timestamp to model timestamp (out-of-range values clamp to the epoch).
pub fn to_timestamp(dt: &DateTime) -> Timestamp {
    Timestamp::new(dt.secs(), dt.subsec_nanos() as i32).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Optional SDK timestamp to model timestamp.
pub fn opt_timestamp(dt: Option<&DateTime>) -> Option<Timestamp> {
    dt.map(to_timestamp)
}

/// Model timestamp to SDK timestamp, exact to the nanosecond.
pub fn to_datetime(ts: Timestamp) -> DateTime {
    let nanos = ts.as_nanosecond();
    DateTime::from_secs_and_nanos(
        nanos.div_euclid(NANOS_PER_SEC) as i64,
        nanos.rem_euclid(NANOS_PER_SEC) as u32,
    )
}

/// Epoch milliseconds (CloudWatch Logs' time unit) to a timestamp.
pub fn from_millis(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// A timestamp in epoch milliseconds.
pub fn to_millis(ts: Timestamp) -> i64 {
    ts.as_millisecond()
}

/// Model dimension list to CloudWatch dimensions.
pub fn to_cw_dimensions(dims: &[Dimension]) -> Vec<cw::Dimension> {
    dims.iter()
        .map(|d| {
            cw::Dimension::builder()
                .name(&d.name)
                .value(&d.value)
                .build()
        })
        .collect()
}

/// CloudWatch dimensions to the model's.
pub fn from_cw_dimensions(dims: &[cw::Dimension]) -> Vec<Dimension> {
    dims.iter()
        .map(|d| Dimension::new(d.name().unwrap_or_default(), d.value().unwrap_or_default()))
        .collect()
}

/// Model metric to a CloudWatch metric.
pub fn to_cw_metric(metric: &MetricRef) -> cw::Metric {
    cw::Metric::builder()
        .namespace(&metric.namespace)
        .metric_name(&metric.name)
        .set_dimensions(Some(to_cw_dimensions(&metric.dimensions)))
        .build()
}

/// CloudWatch metric to the model's, if it names a namespace and metric.
pub fn from_cw_metric(metric: &cw::Metric) -> Option<MetricRef> {
    Some(MetricRef::new(
        metric.namespace()?,
        metric.metric_name()?,
        from_cw_dimensions(metric.dimensions()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip_to_the_nanosecond() {
        for ts in [
            Timestamp::new(1_700_000_000, 123_456_789).unwrap(),
            Timestamp::new(-5, 250_000_000).unwrap(),
            Timestamp::UNIX_EPOCH,
        ] {
            assert_eq!(to_timestamp(&to_datetime(ts)), ts);
        }
    }

    #[test]
    fn millis_round_trip() {
        let ts = from_millis(1_700_000_000_123);
        assert_eq!(to_millis(ts), 1_700_000_000_123);
    }

    #[test]
    fn metric_round_trips() {
        let m = MetricRef::new(
            "AWS/Lambda",
            "Errors",
            vec![Dimension::new("FunctionName", "auth")],
        );
        assert_eq!(from_cw_metric(&to_cw_metric(&m)), Some(m));
        assert_eq!(from_cw_metric(&cw::Metric::builder().build()), None);
    }
}
