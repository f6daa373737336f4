//! CloudWatch statistics over stored minutes: a minute is kept as a
//! statistic set (sum, count, min, max), the way CloudWatch stores
//! aggregated data, and periods are computed from those sets.

/// The aggregate of the samples of one minute (or of several merged).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StatSet {
    /// Sum of the samples.
    pub sum: f64,
    /// Number of samples.
    pub count: f64,
    /// Smallest sample.
    pub min: f64,
    /// Largest sample.
    pub max: f64,
}

impl StatSet {
    /// One sample.
    pub fn single(value: f64) -> Self {
        Self {
            sum: value,
            count: 1.0,
            min: value,
            max: value,
        }
    }

    /// `samples` samples averaging `average`, ranging from `min` to `max`.
    pub fn spread(average: f64, samples: u64, min: f64, max: f64) -> Self {
        Self {
            sum: average * samples as f64,
            count: samples as f64,
            min: min.min(average),
            max: max.max(average),
        }
    }

    /// A 0/1 per-request metric (errors): `events` ones among `samples`.
    pub fn events(events: u64, samples: u64) -> Self {
        let samples = samples.max(events);
        Self {
            sum: events as f64,
            count: samples as f64,
            min: if events == samples { 1.0 } else { 0.0 },
            max: if events > 0 { 1.0 } else { 0.0 },
        }
    }

    /// Both sets as one.
    pub fn merge(self, other: StatSet) -> StatSet {
        StatSet {
            sum: self.sum + other.sum,
            count: self.count + other.count,
            min: self.min.min(other.min),
            max: self.max.max(other.max),
        }
    }

    fn average(&self) -> f64 {
        self.sum / self.count
    }

    /// Estimate of the `p`th percentile of this set's samples: piecewise
    /// linear from the minimum through the average (as the median) to the
    /// maximum. Exact when the set holds one sample.
    fn percentile_estimate(&self, p: f64) -> f64 {
        let avg = self.average();
        if p <= 50.0 {
            self.min + (avg - self.min) * (p / 50.0)
        } else {
            avg + (self.max - avg) * ((p - 50.0) / 50.0)
        }
    }
}

/// A CloudWatch statistic the demo account can compute.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Statistic {
    /// `Sum`
    Sum,
    /// `Average`
    Average,
    /// `Minimum`
    Minimum,
    /// `Maximum`
    Maximum,
    /// `SampleCount`
    SampleCount,
    /// `pNN` / `pNN.N`
    Percentile(f64),
}

impl Statistic {
    /// Parses a statistic name; `None` for statistics the demo account does
    /// not compute (trimmed means and the like).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "Sum" => Some(Statistic::Sum),
            "Average" => Some(Statistic::Average),
            "Minimum" => Some(Statistic::Minimum),
            "Maximum" => Some(Statistic::Maximum),
            "SampleCount" => Some(Statistic::SampleCount),
            _ => {
                let p: f64 = s.strip_prefix(['p', 'P'])?.parse().ok()?;
                (0.0..=100.0)
                    .contains(&p)
                    .then_some(Statistic::Percentile(p))
            }
        }
    }

    /// The statistic over `minutes`; `None` when there are no samples.
    /// Percentiles are a count-weighted nearest rank over per-minute
    /// estimates (see [`StatSet`]), exact for one-sample minutes.
    pub fn of(self, minutes: &[StatSet]) -> Option<f64> {
        let total = minutes.iter().copied().reduce(StatSet::merge)?;
        if total.count <= 0.0 {
            return None;
        }
        Some(match self {
            Statistic::Sum => total.sum,
            Statistic::Average => total.average(),
            Statistic::Minimum => total.min,
            Statistic::Maximum => total.max,
            Statistic::SampleCount => total.count,
            Statistic::Percentile(p) => weighted_percentile(minutes, p, total.count),
        })
    }
}

fn weighted_percentile(minutes: &[StatSet], p: f64, total: f64) -> f64 {
    let mut estimates: Vec<(f64, f64)> = minutes
        .iter()
        .filter(|m| m.count > 0.0)
        .map(|m| (m.percentile_estimate(p), m.count))
        .collect();
    estimates.sort_by(|a, b| a.0.total_cmp(&b.0));
    let rank = (p / 100.0 * total).max(f64::MIN_POSITIVE);
    let mut seen = 0.0;
    for (value, count) in &estimates {
        seen += count;
        if seen >= rank {
            return *value;
        }
    }
    estimates.last().map_or(f64::NAN, |(v, _)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn singles(values: &[f64]) -> Vec<StatSet> {
        values.iter().copied().map(StatSet::single).collect()
    }

    #[test]
    fn basic_statistics() {
        let m = singles(&[4.0, 1.0, 7.0]);
        assert_eq!(Statistic::Sum.of(&m), Some(12.0));
        assert_eq!(Statistic::Average.of(&m), Some(4.0));
        assert_eq!(Statistic::Minimum.of(&m), Some(1.0));
        assert_eq!(Statistic::Maximum.of(&m), Some(7.0));
        assert_eq!(Statistic::SampleCount.of(&m), Some(3.0));
        assert_eq!(Statistic::Sum.of(&[]), None);
    }

    #[test]
    fn percentiles_of_single_samples_are_nearest_rank() {
        let m = singles(&(1..=100).map(f64::from).collect::<Vec<_>>());
        assert_eq!(Statistic::Percentile(99.0).of(&m), Some(99.0));
        assert_eq!(Statistic::Percentile(50.0).of(&m), Some(50.0));
        assert_eq!(Statistic::Percentile(100.0).of(&m), Some(100.0));
    }

    #[test]
    fn percentile_of_one_spread_minute_lies_between_average_and_max() {
        let m = [StatSet::spread(100.0, 50, 20.0, 600.0)];
        let p99 = Statistic::Percentile(99.0).of(&m).unwrap();
        assert!(p99 > 100.0 && p99 <= 600.0, "{p99}");
        assert_eq!(Statistic::Percentile(50.0).of(&m), Some(100.0));
    }

    #[test]
    fn error_sets_give_rates() {
        let m = [StatSet::events(3, 100), StatSet::events(1, 100)];
        assert_eq!(Statistic::Sum.of(&m), Some(4.0));
        assert_eq!(Statistic::Average.of(&m), Some(0.02));
        assert_eq!(Statistic::Maximum.of(&m), Some(1.0));
    }

    #[test]
    fn parses_names() {
        assert_eq!(Statistic::parse("p99"), Some(Statistic::Percentile(99.0)));
        assert_eq!(Statistic::parse("p99.9"), Some(Statistic::Percentile(99.9)));
        assert_eq!(
            Statistic::parse("SampleCount"),
            Some(Statistic::SampleCount)
        );
        assert_eq!(Statistic::parse("p101"), None);
        assert_eq!(Statistic::parse("tm99"), None);
    }
}
