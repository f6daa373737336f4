//! Scripted incidents of the demo account, so that it looks like a real
//! account: calm most of the time, one incident under way when it comes up
//! (so there is something to see) and a few in the day before.
//!
//! Time is cut into blocks of [`BLOCK_MINUTES`] counted from the launch;
//! each block holds at most one incident at a seeded minute: a Lambda error
//! burst (after a deploy, see `trail`), a DMS replication lag spike, or a
//! failed Batch job. Block 0 always holds the opening Lambda burst, which
//! started [`OPENING_LEAD_MINUTES`] before the launch, so the Lambda, API
//! and composite alarms are in ALARM from the first screen.

use super::noise::splitmix64;

/// Length of a block of the schedule, minutes: at most one incident each.
pub const BLOCK_MINUTES: i64 = 6 * 60;
/// How long before the launch the opening Lambda burst started, minutes:
/// long enough for a whole aligned 5-minute period of errors to have ended.
pub const OPENING_LEAD_MINUTES: i64 = 10;
/// How long the opening Lambda burst lasts, minutes.
const OPENING_MINUTES: i64 = 25;
/// Peak source lag of a DMS spike, seconds (the alarm's threshold is 300 s).
const DMS_PEAK_SECONDS: f64 = 900.0;
/// Source lag at the edges of a DMS spike, seconds.
const DMS_EDGE_SECONDS: f64 = 420.0;

/// What goes wrong in one incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The analytics function fails after a deploy: Lambda errors, API 5xx.
    LambdaBurst,
    /// DMS replication falls behind, the Batch ETL waits for it.
    DmsSpike,
    /// One Batch job fails.
    BatchFailure,
}

/// One incident: what and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// What goes wrong.
    pub kind: Kind,
    /// Its first epoch minute.
    pub start: i64,
    /// How many minutes it lasts.
    pub minutes: i64,
}

impl Window {
    fn contains(&self, minute: i64) -> bool {
        (self.start..self.start + self.minutes).contains(&minute)
    }
}

/// The incident schedule for one seed and launch minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Incidents {
    seed: u64,
    /// Where block 0 starts: the opening burst's first minute.
    anchor: i64,
}

impl Incidents {
    /// The schedule of the account with `seed` launched in epoch minute
    /// `launch`.
    pub fn new(seed: u64, launch: i64) -> Self {
        Self {
            seed,
            anchor: launch - OPENING_LEAD_MINUTES,
        }
    }

    /// The incident of block `block`, if it has one.
    fn in_block(&self, block: i64) -> Option<Window> {
        let start = self.anchor + block * BLOCK_MINUTES;
        if block == 0 {
            return Some(Window {
                kind: Kind::LambdaBurst,
                start,
                minutes: OPENING_MINUTES,
            });
        }
        let bits = splitmix64(splitmix64(self.seed ^ 0x1AC1_DE47) ^ block as u64);
        let kind = match bits % 5 {
            0 | 1 => return None,
            2 => Kind::LambdaBurst,
            3 => Kind::DmsSpike,
            _ => Kind::BatchFailure,
        };
        let minutes = match kind {
            Kind::LambdaBurst => 8 + (bits >> 8) % 15,
            Kind::DmsSpike => 6 + (bits >> 8) % 10,
            Kind::BatchFailure => 1,
        } as i64;
        // Clear of the block's edges, so incidents never run together.
        let offset = 60 + ((bits >> 24) % (BLOCK_MINUTES as u64 - 120)) as i64;
        Some(Window {
            kind,
            start: start + offset,
            minutes,
        })
    }

    /// The incident running in epoch minute `minute`, if any.
    pub fn at(&self, minute: i64) -> Option<Window> {
        let block = (minute - self.anchor).div_euclid(BLOCK_MINUTES);
        self.in_block(block).filter(|w| w.contains(minute))
    }

    /// Every incident that starts in `first..=last` (epoch minutes), oldest
    /// first.
    #[cfg(test)]
    pub fn between(&self, first: i64, last: i64) -> Vec<Window> {
        let blocks = (first - self.anchor).div_euclid(BLOCK_MINUTES)
            ..=(last - self.anchor).div_euclid(BLOCK_MINUTES);
        blocks
            .filter_map(|b| self.in_block(b))
            .filter(|w| (first..=last).contains(&w.start))
            .collect()
    }

    /// Source lag (seconds) a DMS spike imposes in epoch minute `minute`,
    /// or `None` when none is running: a climb to the peak and a drain, all
    /// above the alarm's 300 s.
    pub fn dms_lag(&self, minute: i64) -> Option<f64> {
        let w = self.at(minute).filter(|w| w.kind == Kind::DmsSpike)?;
        let phase = ((minute - w.start) as f64 + 0.5) / w.minutes as f64;
        let rise = (std::f64::consts::PI * phase).sin();
        Some(DMS_EDGE_SECONDS + (DMS_PEAK_SECONDS - DMS_EDGE_SECONDS) * rise)
    }

    /// Whether the Lambda error burst is running in epoch minute `minute`.
    pub fn lambda_burst(&self, minute: i64) -> bool {
        self.at(minute).is_some_and(|w| w.kind == Kind::LambdaBurst)
    }

    /// Whether a Batch job fails in epoch minute `minute`.
    pub fn batch_failure(&self, minute: i64) -> bool {
        self.at(minute)
            .is_some_and(|w| w.kind == Kind::BatchFailure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAUNCH: i64 = 29_474_083;
    const DAY: i64 = 24 * 60;

    #[test]
    fn a_lambda_burst_is_under_way_at_launch() {
        for seed in 0..20 {
            let incidents = Incidents::new(seed, LAUNCH);
            assert!(incidents.lambda_burst(LAUNCH), "seed {seed}");
            assert!(incidents.lambda_burst(LAUNCH - OPENING_LEAD_MINUTES));
            assert!(!incidents.lambda_burst(LAUNCH - OPENING_LEAD_MINUTES - 1));
        }
    }

    #[test]
    fn a_day_has_a_few_incidents_and_they_never_overlap() {
        for seed in 0..50 {
            let incidents = Incidents::new(seed, LAUNCH);
            let day = incidents.between(LAUNCH - DAY, LAUNCH);
            assert!((1..=5).contains(&day.len()), "seed {seed}: {day:?}");
            let busy = (LAUNCH - DAY..LAUNCH)
                .filter(|&m| incidents.at(m).is_some())
                .count() as i64;
            assert!(busy < DAY / 20, "seed {seed}: {busy} minutes of incidents");
            for pair in day.windows(2) {
                assert!(pair[0].start + pair[0].minutes < pair[1].start);
            }
        }
    }

    #[test]
    fn dms_spikes_stay_above_the_threshold_and_peak_high() {
        let (incidents, spike) = (0..200)
            .find_map(|seed| {
                let incidents = Incidents::new(seed, LAUNCH);
                let spike = incidents
                    .between(LAUNCH - DAY, LAUNCH)
                    .into_iter()
                    .find(|w| w.kind == Kind::DmsSpike)?;
                Some((incidents, spike))
            })
            .expect("some seed has a DMS spike in its day");
        let lags: Vec<f64> = (spike.start..spike.start + spike.minutes)
            .map(|m| incidents.dms_lag(m).unwrap())
            .collect();
        assert!(lags.iter().all(|&l| l > 300.0), "{lags:?}");
        assert!(lags.iter().any(|&l| l >= 800.0), "{lags:?}");
        assert_eq!(incidents.dms_lag(spike.start - 1), None);
    }

    #[test]
    fn seeds_shift_the_schedule() {
        let a = Incidents::new(1, LAUNCH).between(LAUNCH - 7 * DAY, LAUNCH);
        let b = Incidents::new(2, LAUNCH).between(LAUNCH - 7 * DAY, LAUNCH);
        assert_ne!(a, b);
    }
}
