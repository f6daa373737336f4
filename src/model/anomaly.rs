//! Anomaly-detection bands: reading an alarm's `ANOMALY_DETECTION_BAND(m1,
//! 2)` expression, the band as GetMetricData answers it (two series under
//! the band's id, the upper and the lower limit), and the band the demo
//! account computes in CloudWatch's place. CloudWatch trains a model on up
//! to two weeks of the metric; the demo approximates it with the mean of
//! the preceding [`TRAINING_PERIODS`] periods plus or minus `width`
//! standard deviations.

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::Series;

/// Periods before a point that the demo's band is trained on.
pub const TRAINING_PERIODS: usize = 24;

/// Fewest earlier periods the demo needs before it draws a band (CloudWatch
/// too has no band while its model is still training).
pub const MIN_TRAINING_PERIODS: usize = 6;

/// The band width CloudWatch uses when the expression names none.
pub const DEFAULT_WIDTH: f64 = 2.0;

/// The name of the metric-math function.
const FUNCTION: &str = "ANOMALY_DETECTION_BAND";

/// A parsed `ANOMALY_DETECTION_BAND(id[, width])`.
#[derive(Debug, Clone, PartialEq)]
pub struct BandExpression {
    /// The id of the query the band is computed for.
    pub input: String,
    /// Standard deviations between the expected value and each limit.
    pub width: f64,
}

impl BandExpression {
    /// Reads `expression` when it is exactly one band function call
    /// (spaces and letter case as the service allows); `None` otherwise.
    pub fn parse(expression: &str) -> Option<Self> {
        let text = expression.trim();
        let head = text.get(..FUNCTION.len())?;
        if !head.eq_ignore_ascii_case(FUNCTION) {
            return None;
        }
        let args = text[FUNCTION.len()..]
            .trim_start()
            .strip_prefix('(')?
            .strip_suffix(')')?;
        let mut parts = args.split(',').map(str::trim);
        let input = parts.next().filter(|id| is_query_id(id))?.to_string();
        let width = match parts.next() {
            Some(w) => w
                .parse::<f64>()
                .ok()
                .filter(|w| w.is_finite() && *w > 0.0)?,
            None => DEFAULT_WIDTH,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Self { input, width })
    }
}

/// A GetMetricData query id: a lower-case letter, then letters, digits and
/// underscores.
fn is_query_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// An anomaly band over time: at each period start, its lower and upper
/// limit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Band {
    /// What the legend calls it (the band query's label).
    pub label: String,
    /// `(period start, lower, upper)`, oldest first.
    pub points: Vec<(Timestamp, f64, f64)>,
}

impl Band {
    /// The band from the series GetMetricData answered for the band's id:
    /// the service returns its two limits as two series under that id;
    /// at each timestamp both have, the smaller is the lower limit. `None`
    /// when fewer than two series came back.
    pub fn from_series(band_id: &str, series: &[Series]) -> Option<Self> {
        let limits: Vec<&Series> = series.iter().filter(|s| s.id == band_id).collect();
        let [first, second] = limits[..] else {
            return None;
        };
        let other: BTreeMap<Timestamp, f64> = second.points.iter().copied().collect();
        let points = first
            .points
            .iter()
            .filter_map(|(t, a)| {
                let b = other.get(t)?;
                (a.is_finite() && b.is_finite()).then(|| (*t, a.min(*b), a.max(*b)))
            })
            .collect();
        Some(Self {
            label: common_label(&first.label, &second.label),
            points,
        })
    }

    /// The demo account's band for `points` (one metric, oldest first, one
    /// per period): for each point at or after `from`, the mean of the
    /// [`TRAINING_PERIODS`] points before it, plus or minus `width` times
    /// their standard deviation. Points with too little history get none.
    pub fn trained(label: &str, points: &[(Timestamp, f64)], from: Timestamp, width: f64) -> Self {
        let band = points
            .iter()
            .enumerate()
            .filter(|(_, (t, _))| *t >= from)
            .filter_map(|(i, (t, _))| {
                let history: Vec<f64> = points[i.saturating_sub(TRAINING_PERIODS)..i]
                    .iter()
                    .map(|(_, v)| *v)
                    .collect();
                let (lower, upper) = limits(&history, width)?;
                Some((*t, lower, upper))
            })
            .collect();
        Self {
            label: label.to_string(),
            points: band,
        }
    }

    /// The limits at period start `t`, when the band has them.
    pub fn at(&self, t: Timestamp) -> Option<(f64, f64)> {
        self.points
            .binary_search_by(|(p, _, _)| p.cmp(&t))
            .ok()
            .map(|i| (self.points[i].1, self.points[i].2))
    }
}

/// Lower and upper limits trained on `history`: mean plus or minus `width`
/// standard deviations, never narrower than 1% of the mean (a flat metric
/// would otherwise have a band of zero width, which CloudWatch never
/// draws). `None` with fewer than [`MIN_TRAINING_PERIODS`] values.
pub fn limits(history: &[f64], width: f64) -> Option<(f64, f64)> {
    if history.len() < MIN_TRAINING_PERIODS {
        return None;
    }
    let n = history.len() as f64;
    let mean = history.iter().sum::<f64>() / n;
    let variance = history.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    let spread = (width * variance.sqrt()).max(mean.abs() * 0.01).max(1e-9);
    Some((mean - spread, mean + spread))
}

/// The part two labels share (`CPU (expected) Upper` and `CPU (expected)
/// Lower` give `CPU (expected)`), else the first.
fn common_label(a: &str, b: &str) -> String {
    let shared: String = a
        .chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect();
    let shared = shared.trim_end();
    if shared.is_empty() {
        a.to_string()
    } else {
        shared.to_string()
    }
}

#[cfg(test)]
mod tests {
    use jiff::SignedDuration;

    use super::*;
    use crate::model::metric::testing::{minute as at, minutely as series};

    #[test]
    fn reads_the_band_function_and_refuses_anything_else() {
        let band = BandExpression::parse("ANOMALY_DETECTION_BAND(m1, 2)").unwrap();
        assert_eq!(band.input, "m1");
        assert_eq!(band.width, 2.0);
        let band = BandExpression::parse(" anomaly_detection_band ( cpu_1 ) ").unwrap();
        assert_eq!((band.input.as_str(), band.width), ("cpu_1", DEFAULT_WIDTH));
        assert_eq!(
            BandExpression::parse("ANOMALY_DETECTION_BAND(m1, 0.8)").map(|b| b.width),
            Some(0.8)
        );
        for bad in [
            "m1 * 2",
            "ANOMALY_DETECTION_BAND(m1, 2) * 2",
            "ANOMALY_DETECTION_BAND(M1, 2)",
            "ANOMALY_DETECTION_BAND(m1, -1)",
            "ANOMALY_DETECTION_BAND(m1, 2, 3)",
            "ANOMALY_DETECTION_BAND()",
            "ANOMALY_DETECTION_BAND(m1",
            "ANOMALY_DETECTION_BAND",
            "ANOMALY_DETECTION_BÄND(m1)",
            "",
        ] {
            assert_eq!(BandExpression::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn two_series_under_the_band_id_make_the_band_whatever_their_order() {
        let answered = [
            series("m1", "CPU", &[5.0, 6.0, 7.0]),
            series("ad1", "CPU (expected) Upper", &[8.0, 9.0, f64::NAN]),
            series("ad1", "CPU (expected) Lower", &[2.0, 10.0, 1.0]),
        ];
        let band = Band::from_series("ad1", &answered).unwrap();
        assert_eq!(band.label, "CPU (expected)");
        assert_eq!(band.points, vec![(at(0), 2.0, 8.0), (at(1), 9.0, 10.0)]);
        assert_eq!(band.at(at(1)), Some((9.0, 10.0)));
        assert_eq!(band.at(at(2)), None);
        assert_eq!(Band::from_series("ad1", &answered[..2]), None);
        assert_eq!(Band::from_series("m1", &answered), None);
    }

    #[test]
    fn the_demo_band_follows_the_metric_and_widens_with_its_noise() {
        let points: Vec<(Timestamp, f64)> = (0..40)
            .map(|i| (at(i), if i % 2 == 0 { 90.0 } else { 110.0 }))
            .collect();
        assert_eq!(Band::trained("lat", &points, at(10), 2.0).points.len(), 30);
        // A full training window of 90s and 110s: mean 100, deviation 10.
        let band = Band::trained("lat", &points, at(TRAINING_PERIODS as i64), 2.0);
        assert_eq!(band.points.len(), 40 - TRAINING_PERIODS);
        for (_, lower, upper) in &band.points {
            assert!((lower - 80.0).abs() < 1e-9 && (upper - 120.0).abs() < 1e-9);
        }
        let early = Band::trained("lat", &points, at(0), 2.0);
        assert_eq!(
            early.points.first().map(|p| p.0),
            Some(at(MIN_TRAINING_PERIODS as i64))
        );
        let flat = limits(&[50.0; 10], 2.0).unwrap();
        assert!(flat.0 < 50.0 && flat.1 > 50.0);
        assert_eq!(limits(&[1.0; MIN_TRAINING_PERIODS - 1], 2.0), None);
        let later = at(100) + SignedDuration::from_secs(1);
        assert!(Band::trained("lat", &points, later, 2.0).points.is_empty());
    }
}
