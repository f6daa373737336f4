//! Metric generators of the demo account: one-minute values with a daily
//! traffic shape (quiet at night UTC, peak mid-afternoon), seeded noise and
//! the scripted incidents. Every value is a pure function of (seed, metric,
//! minute); a minute with nothing to report (no invocations, no failed job)
//! has no datapoint, as in CloudWatch.

use std::f64::consts::TAU;

use super::catalog::{
    ANALYTICS_SERVICE, ApiMetric, BatchMetric, DmsMetric, GlueMetric, LAMBDAS, LambdaMetric,
    MlMetric, Source,
};
use super::incidents::Incidents;
use super::noise::{Noise, stream_id};
use super::stats::StatSet;

/// Index into `LAMBDAS` of the retail copilot, which the burst also hits.
const RETAIL_COPILOT: usize = 5;
/// The share of the analytics function's invocations that fail during a
/// Lambda burst (a broken deploy; the rest land on containers still on
/// the old version). The function serves about an eighth of all Lambda
/// invocations, so the error rate of all functions goes to about 11 %,
/// eleven times the 1 % the Lambda error-rate target allows: the opening
/// burst's first minutes alone burn that target's budget faster than it
/// lasts over the last hour (the Overview's Targets panel shows it) and
/// an hour after the burst the hour is clean again.
const ANALYTICS_BURST_FAILURES: f64 = 0.9;

/// Traffic level at epoch minute `minute`: 0.2 at 03:00 UTC, 1.0 at 15:00 UTC.
pub fn daily_shape(minute: i64) -> f64 {
    let hour = minute.rem_euclid(24 * 60) as f64 / 60.0;
    0.6 + 0.4 * (TAU * (hour - 15.0) / 24.0).cos()
}

/// How an ML custom metric behaves.
enum MlProfile {
    /// A quality level drifting slowly around `mean`, clamped to `[0, max]`.
    Level {
        mean: f64,
        wave: f64,
        jitter: f64,
        max: f64,
    },
    /// A timing that grows with traffic.
    Load { base: f64, gain: f64, jitter: f64 },
    /// Events per minute at peak traffic (published every minute, zeros too).
    Count { peak: f64 },
    /// One point per hourly run, at `minute_of_hour`.
    Hourly {
        minute_of_hour: i64,
        mean: f64,
        jitter: f64,
    },
}

fn ml_profile(m: MlMetric) -> MlProfile {
    use MlProfile::*;
    match m {
        MlMetric::ForecastAccuracy => Level {
            mean: 0.925,
            wave: 0.015,
            jitter: 0.004,
            max: 1.0,
        },
        MlMetric::TrainingTime => Hourly {
            minute_of_hour: 7,
            mean: 2100.0,
            jitter: 250.0,
        },
        MlMetric::PredictionLatency => Load {
            base: 180.0,
            gain: 0.3,
            jitter: 0.1,
        },
        MlMetric::SegmentationQuality => Level {
            mean: 0.81,
            wave: 0.02,
            jitter: 0.005,
            max: 1.0,
        },
        MlMetric::ClvAccuracy => Level {
            mean: 0.88,
            wave: 0.015,
            jitter: 0.004,
            max: 1.0,
        },
        MlMetric::ChurnAccuracy => Level {
            mean: 0.90,
            wave: 0.015,
            jitter: 0.004,
            max: 1.0,
        },
        MlMetric::FraudDetectionRate => Level {
            mean: 0.975,
            wave: 0.01,
            jitter: 0.004,
            max: 1.0,
        },
        MlMetric::HighRiskTransactions => Count { peak: 3.0 },
        MlMetric::PciViolations => Count { peak: 0.01 },
        MlMetric::ResponseTime => Load {
            base: 1800.0,
            gain: 0.3,
            jitter: 0.15,
        },
        MlMetric::SqlGenerationSuccess => Level {
            mean: 0.955,
            wave: 0.015,
            jitter: 0.008,
            max: 1.0,
        },
        MlMetric::ConversationCount => Count { peak: 25.0 },
        MlMetric::TrendAccuracy => Level {
            mean: 0.85,
            wave: 0.02,
            jitter: 0.005,
            max: 1.0,
        },
        MlMetric::OpportunityScore => Level {
            mean: 72.0,
            wave: 8.0,
            jitter: 2.0,
            max: 100.0,
        },
        MlMetric::AnalysisTime => Load {
            base: 45.0,
            gain: 0.2,
            jitter: 0.15,
        },
    }
}

/// One minute of API Gateway traffic.
struct ApiMinute {
    requests: u64,
    errors_4xx: u64,
    errors_5xx: u64,
    latency_ms: f64,
}

/// One minute of one Lambda function.
struct LambdaMinute {
    invocations: u64,
    errors: u64,
    throttles: u64,
    duration_ms: f64,
}

/// Produces the demo account's one-minute data.
#[derive(Debug, Clone, Copy)]
pub struct Generator {
    noise: Noise,
    incidents: Incidents,
}

impl Generator {
    /// The generator of the account with `seed` launched in epoch minute
    /// `launch` (the incident schedule counts from it).
    pub fn new(seed: u64, launch: i64) -> Self {
        Self {
            noise: Noise::new(seed),
            incidents: Incidents::new(seed, launch),
        }
    }

    /// The data of `source` in epoch minute `minute`, if it has any.
    pub fn minute(&self, source: Source, minute: i64) -> Option<StatSet> {
        match source {
            Source::Api(m) => self.api(m, minute),
            Source::Lambda(i, m) => self.lambda(i, m, minute),
            Source::LambdaTotal(m) => (0..LAMBDAS.len())
                .filter_map(|i| self.lambda(i, m, minute))
                .reduce(StatSet::merge),
            Source::Dms(m) => Some(self.dms(m, minute)),
            Source::Batch(m) => self.batch(m, minute),
            Source::Glue(m) => self.glue(m, minute),
            Source::Ml(m) => self.ml(m, minute),
        }
    }

    fn api_minute(&self, minute: i64) -> ApiMinute {
        let s = stream_id("api");
        let n = &self.noise;
        let burst = self.incidents.lambda_burst(minute);
        let requests = n.poisson(s, minute, 0, 1200.0 * daily_shape(minute));
        let extra_5xx = if burst { 2.5 } else { 0.0 };
        ApiMinute {
            requests,
            errors_4xx: n.poisson(s, minute, 1, requests as f64 * 0.015),
            errors_5xx: n.poisson(s, minute, 2, requests as f64 * 0.0002 + extra_5xx),
            latency_ms: 95.0
                * (1.0 + 0.25 * daily_shape(minute))
                * (1.0 + 0.08 * n.normal(s, minute, 3)).max(0.5)
                * if burst { 1.6 } else { 1.0 },
        }
    }

    fn api(&self, m: ApiMetric, minute: i64) -> Option<StatSet> {
        let a = self.api_minute(minute);
        if a.requests == 0 {
            return None;
        }
        let spread = |avg: f64| {
            let tail = 3.0 + self.noise.unit(stream_id("api.tail"), minute, 0) * 3.0;
            StatSet::spread(avg, a.requests, avg * 0.2, avg * tail)
        };
        Some(match m {
            ApiMetric::Count => StatSet::spread(1.0, a.requests, 1.0, 1.0),
            ApiMetric::Error4xx => StatSet::events(a.errors_4xx, a.requests),
            ApiMetric::Error5xx => StatSet::events(a.errors_5xx, a.requests),
            ApiMetric::Latency => spread(a.latency_ms),
            ApiMetric::IntegrationLatency => spread((a.latency_ms - 12.0).max(1.0)),
        })
    }

    fn lambda_minute(&self, index: usize, minute: i64) -> LambdaMinute {
        let profile = LAMBDAS[index];
        let s = stream_id(profile.suffix);
        let n = &self.noise;
        let burst = self.incidents.lambda_burst(minute);
        let invocations = n.poisson(s, minute, 0, profile.peak_per_minute * daily_shape(minute));
        let burst_errors = match index {
            _ if !burst => 0.0,
            ANALYTICS_SERVICE => invocations as f64 * ANALYTICS_BURST_FAILURES,
            RETAIL_COPILOT => 1.0,
            _ => 0.0,
        };
        let errors = n.poisson(s, minute, 1, invocations as f64 * 0.0002 + burst_errors);
        let slowdown = if burst && index == ANALYTICS_SERVICE {
            2.5
        } else {
            1.0
        };
        LambdaMinute {
            invocations,
            errors: errors.min(invocations),
            throttles: n.poisson(s, minute, 2, invocations as f64 * 0.00005),
            duration_ms: profile.duration_ms
                * (1.0 + 0.15 * daily_shape(minute))
                * (1.0 + 0.1 * n.normal(s, minute, 3)).max(0.5)
                * slowdown,
        }
    }

    fn lambda(&self, index: usize, m: LambdaMetric, minute: i64) -> Option<StatSet> {
        let l = self.lambda_minute(index, minute);
        if l.invocations == 0 {
            return None;
        }
        Some(match m {
            LambdaMetric::Invocations => StatSet::spread(1.0, l.invocations, 1.0, 1.0),
            LambdaMetric::Errors => StatSet::events(l.errors, l.invocations),
            LambdaMetric::Throttles => StatSet::events(l.throttles, l.invocations),
            LambdaMetric::Duration => StatSet::spread(
                l.duration_ms,
                l.invocations,
                l.duration_ms * 0.3,
                l.duration_ms * 2.5,
            ),
        })
    }

    fn dms(&self, m: DmsMetric, minute: i64) -> StatSet {
        let s = stream_id("dms");
        let n = &self.noise;
        let spike = self.incidents.dms_lag(minute);
        let source_lag = match spike {
            Some(lag) => lag * (1.0 + 0.05 * n.normal(s, minute, 0)).clamp(0.8, 1.2),
            None => 6.0 + 8.0 * n.unit(s, minute, 0) + 4.0 * daily_shape(minute),
        };
        StatSet::single(match m {
            DmsMetric::CdcLatencySource => source_lag.round(),
            DmsMetric::CdcLatencyTarget => (source_lag + 2.0 + 4.0 * n.unit(s, minute, 1)).round(),
            DmsMetric::CdcThroughputRowsSource => {
                let rows = 250.0 * daily_shape(minute) * (1.0 + 0.1 * n.normal(s, minute, 2));
                (rows * if spike.is_some() { 0.2 } else { 1.0 })
                    .max(0.0)
                    .round()
            }
            DmsMetric::FullLoadThroughputRowsTarget => {
                let in_nightly_reload = minute.rem_euclid(24 * 60) / 60 == 2;
                if in_nightly_reload {
                    (4800.0 * (1.0 + 0.1 * n.normal(s, minute, 3)))
                        .max(0.0)
                        .round()
                } else {
                    0.0
                }
            }
        })
    }

    fn batch(&self, m: BatchMetric, minute: i64) -> Option<StatSet> {
        let s = stream_id("batch");
        let n = &self.noise;
        let shape = daily_shape(minute);
        let count = match m {
            BatchMetric::Running => {
                let running = 3.0 + 9.0 * shape + 2.0 * n.normal(s, minute, 0);
                return Some(StatSet::single(running.round().max(0.0)));
            }
            BatchMetric::Submitted => n.poisson(s, minute, 1, 1.2 * shape),
            BatchMetric::Succeeded => n.poisson(s, minute, 2, 1.1 * shape),
            BatchMetric::Failed => u64::from(self.incidents.batch_failure(minute)),
        };
        (count > 0).then(|| StatSet::single(count as f64))
    }

    fn glue(&self, m: GlueMetric, minute: i64) -> Option<StatSet> {
        let crawler_running = minute.rem_euclid(60) < 20;
        if !crawler_running {
            return None;
        }
        let s = stream_id("glue");
        let count = match m {
            GlueMetric::CompletedTasks => self.noise.poisson(s, minute, 0, 40.0),
            GlueMetric::FailedTasks => self.noise.poisson(s, minute, 1, 0.05),
        };
        (m == GlueMetric::CompletedTasks || count > 0).then(|| StatSet::single(count as f64))
    }

    fn ml(&self, m: MlMetric, minute: i64) -> Option<StatSet> {
        let s = stream_id(m.name());
        let n = &self.noise;
        let value = match ml_profile(m) {
            MlProfile::Level {
                mean,
                wave,
                jitter,
                max,
            } => {
                let phase = n.unit(s, 0, 0) * TAU;
                let drift = (TAU * minute as f64 / 360.0 + phase).sin();
                (mean + wave * drift + jitter * n.normal(s, minute, 1)).clamp(0.0, max)
            }
            MlProfile::Load { base, gain, jitter } => {
                let load = 1.0 + gain * daily_shape(minute);
                (base * load * (1.0 + jitter * n.normal(s, minute, 1))).max(base * 0.2)
            }
            MlProfile::Count { peak } => n.poisson(s, minute, 1, peak * daily_shape(minute)) as f64,
            MlProfile::Hourly {
                minute_of_hour,
                mean,
                jitter,
            } => {
                if minute.rem_euclid(60) != minute_of_hour {
                    return None;
                }
                (mean + jitter * n.normal(s, minute, 1)).max(mean * 0.3)
            }
        };
        Some(StatSet::single(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-27 00:00 UTC as an epoch minute.
    const MIDNIGHT: i64 = 1_795_737_600 / 60;

    fn daily_mean(g: &Generator, source: Source, hour: i64) -> f64 {
        let start = MIDNIGHT + hour * 60;
        (start..start + 60)
            .filter_map(|m| g.minute(source, m))
            .map(|s| s.sum)
            .sum::<f64>()
            / 60.0
    }

    #[test]
    fn traffic_is_low_at_night_and_peaks_in_the_afternoon() {
        let g = Generator::new(1, MIDNIGHT);
        let count = Source::Api(ApiMetric::Count);
        let night = daily_mean(&g, count, 3);
        let afternoon = daily_mean(&g, count, 15);
        assert!(
            afternoon > 3.0 * night,
            "night {night}, afternoon {afternoon}"
        );
        assert!((1000.0..1400.0).contains(&afternoon), "{afternoon}");
    }

    #[test]
    fn values_are_in_realistic_ranges() {
        let g = Generator::new(5, MIDNIGHT);
        for m in MIDNIGHT..MIDNIGHT + 24 * 60 {
            for ml in [MlMetric::ForecastAccuracy, MlMetric::SqlGenerationSuccess] {
                let v = g.minute(Source::Ml(ml), m).unwrap().sum;
                assert!((0.8..=1.0).contains(&v), "{ml:?} {v}");
            }
            let latency = g.minute(Source::Api(ApiMetric::Latency), m).unwrap();
            let avg = latency.sum / latency.count;
            assert!((50.0..400.0).contains(&avg), "latency {avg}");
            let lag = g
                .minute(Source::Dms(DmsMetric::CdcLatencySource), m)
                .unwrap()
                .sum;
            assert!((1.0..1100.0).contains(&lag), "lag {lag}");
        }
    }

    #[test]
    fn sparse_metrics_have_gaps() {
        let training = Source::Ml(MlMetric::TrainingTime);
        let g = Generator::new(9, MIDNIGHT);
        let runs = (MIDNIGHT..MIDNIGHT + 24 * 60)
            .filter(|&m| g.minute(training, m).is_some())
            .count();
        assert_eq!(runs, 24);
    }

    #[test]
    fn batch_jobs_fail_only_in_their_incidents() {
        let failed = Source::Batch(BatchMetric::Failed);
        let week = MIDNIGHT - 7 * 24 * 60..MIDNIGHT;
        let mut seen = 0;
        for seed in 0..5 {
            let g = Generator::new(seed, MIDNIGHT);
            let incidents = Incidents::new(seed, MIDNIGHT);
            for m in week.clone() {
                let present = g.minute(failed, m).is_some();
                assert_eq!(
                    present,
                    incidents.batch_failure(m),
                    "seed {seed} minute {m}"
                );
                seen += usize::from(present);
            }
        }
        assert!(seen > 0, "no failed job in five weeks");
    }

    #[test]
    fn lambda_total_is_the_sum_of_the_functions() {
        let g = Generator::new(2, MIDNIGHT);
        let minute = MIDNIGHT + 14 * 60;
        let total = g
            .minute(Source::LambdaTotal(LambdaMetric::Invocations), minute)
            .unwrap();
        let sum: f64 = (0..LAMBDAS.len())
            .filter_map(|i| g.minute(Source::Lambda(i, LambdaMetric::Invocations), minute))
            .map(|s| s.sum)
            .sum();
        assert_eq!(total.sum, sum);
    }

    #[test]
    fn dms_lag_spikes_during_incidents() {
        let lag = Source::Dms(DmsMetric::CdcLatencySource);
        let day = MIDNIGHT - 24 * 60..MIDNIGHT + 60;
        let mut spiking = 0;
        for seed in 0..5 {
            let g = Generator::new(seed, MIDNIGHT);
            let incidents = Incidents::new(seed, MIDNIGHT);
            for m in day.clone() {
                let v = g.minute(lag, m).unwrap().sum;
                assert_eq!(v > 300.0, incidents.dms_lag(m).is_some(), "minute {m}: {v}");
                spiking += usize::from(v > 300.0);
            }
        }
        assert!(spiking > 0, "no DMS spike in five days");
    }
}
