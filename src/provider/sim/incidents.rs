//! Scripted incidents of the demo account, so that alarms change state while
//! you watch: a DMS replication lag spike and a Lambda error burst, each on a
//! fixed schedule of absolute minutes (offset by the seed).
//!
//! The DMS spike repeats every 9 minutes and lasts 4, so that the DMS alarm
//! (2 of 3 one-minute periods above 300 s) is in ALARM for 4 minutes and OK
//! for 5: any 10 minutes of wall-clock time see it enter ALARM and return to
//! OK. The Lambda burst repeats every 17 minutes and lasts 5, which puts at
//! least one aligned 5-minute period above the Lambda and API 5xx thresholds.

use super::noise::splitmix64;

/// Length of the DMS lag cycle, minutes.
pub const DMS_CYCLE_MINUTES: i64 = 9;
/// Lag of the source (seconds) in each minute of a DMS spike: a climb and
/// a drain, well above the 300 s threshold.
pub const DMS_SPIKE_SECONDS: [f64; 4] = [420.0, 640.0, 880.0, 700.0];
/// Length of the Lambda error-burst cycle, minutes.
pub const LAMBDA_CYCLE_MINUTES: i64 = 17;
/// How long a Lambda error burst lasts, minutes.
pub const LAMBDA_BURST_MINUTES: i64 = 5;

/// The incident schedule for one seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Incidents {
    dms_offset: i64,
    lambda_offset: i64,
}

impl Incidents {
    /// The schedule for `seed`: the cycles are fixed, the seed shifts them.
    pub fn new(seed: u64) -> Self {
        let bits = splitmix64(seed ^ 0x1AC1_DE47);
        Self {
            dms_offset: (bits % DMS_CYCLE_MINUTES as u64) as i64,
            lambda_offset: ((bits >> 32) % LAMBDA_CYCLE_MINUTES as u64) as i64,
        }
    }

    /// Source lag (seconds) the DMS spike imposes in epoch minute `minute`,
    /// or `None` when no spike is running.
    pub fn dms_lag(&self, minute: i64) -> Option<f64> {
        let phase = (minute + self.dms_offset).rem_euclid(DMS_CYCLE_MINUTES) as usize;
        DMS_SPIKE_SECONDS.get(phase).copied()
    }

    /// Whether the Lambda error burst is running in epoch minute `minute`.
    pub fn lambda_burst(&self, minute: i64) -> bool {
        (minute + self.lambda_offset).rem_euclid(LAMBDA_CYCLE_MINUTES) < LAMBDA_BURST_MINUTES
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dms_spike_recurs_every_cycle() {
        let incidents = Incidents::new(3);
        let spiking: Vec<i64> = (0..3 * DMS_CYCLE_MINUTES)
            .filter(|&m| incidents.dms_lag(m).is_some())
            .collect();
        assert_eq!(spiking.len(), 3 * DMS_SPIKE_SECONDS.len());
        assert!(
            spiking
                .windows(2)
                .all(|w| w[1] - w[0] == 1 || w[1] - w[0] == 6)
        );
        assert!(
            spiking
                .iter()
                .all(|&m| incidents.dms_lag(m).unwrap() > 300.0)
        );
    }

    #[test]
    fn lambda_burst_recurs_every_cycle() {
        let incidents = Incidents::new(3);
        let bursting = (0..LAMBDA_CYCLE_MINUTES * 4)
            .filter(|&m| incidents.lambda_burst(m))
            .count() as i64;
        assert_eq!(bursting, LAMBDA_BURST_MINUTES * 4);
    }

    #[test]
    fn seeds_shift_the_schedule() {
        let shifted = (0..32).any(|seed| {
            let a = Incidents::new(seed);
            let b = Incidents::new(seed + 1);
            (0..DMS_CYCLE_MINUTES).any(|m| a.dms_lag(m) != b.dms_lag(m))
        });
        assert!(shifted);
    }
}
