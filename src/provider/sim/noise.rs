//! Deterministic noise for the demo account: every random-looking number is
//! a pure function of (seed, stream, bucket), so the same seed and clock give
//! the same account on every machine and every run.

/// One step of splitmix64: a fast, well-mixed 64-bit hash of `x`.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a of a string: a stable stream id for a metric or a component name
/// (std's hasher is not guaranteed stable across Rust releases).
pub fn stream_id(key: &str) -> u64 {
    key.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
    })
}

/// A source of noise for one seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Noise {
    seed: u64,
}

impl Noise {
    /// Noise for `seed`.
    pub fn new(seed: u64) -> Self {
        Self { seed }
    }

    /// Raw 64 bits for (stream, bucket, draw).
    fn bits(self, stream: u64, bucket: i64, draw: u64) -> u64 {
        let a = splitmix64(self.seed ^ stream);
        let b = splitmix64(a ^ bucket as u64);
        splitmix64(b ^ draw.wrapping_mul(0xD6E8_FEB8_6659_FD93))
    }

    /// Uniform in `[0, 1)`; `draw` tells independent draws of one bucket apart.
    pub fn unit(self, stream: u64, bucket: i64, draw: u64) -> f64 {
        (self.bits(stream, bucket, draw) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box-Muller over two uniform draws).
    pub fn normal(self, stream: u64, bucket: i64, draw: u64) -> f64 {
        let u1 = self.unit(stream, bucket, draw * 2).max(f64::MIN_POSITIVE);
        let u2 = self.unit(stream, bucket, draw * 2 + 1);
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// A Poisson-distributed count with mean `lambda` (exact inversion for
    /// small means, the normal approximation for large ones).
    pub fn poisson(self, stream: u64, bucket: i64, draw: u64, lambda: f64) -> u64 {
        if lambda <= 0.0 {
            return 0;
        }
        if lambda > 30.0 {
            let v = lambda + lambda.sqrt() * self.normal(stream, bucket, draw);
            return v.round().max(0.0) as u64;
        }
        let u = self.unit(stream, bucket, draw);
        let mut k = 0u64;
        let mut p = (-lambda).exp();
        let mut cumulative = p;
        while u > cumulative && k < 1000 {
            k += 1;
            p *= lambda / k as f64;
            cumulative += p;
        }
        k
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_inputs_same_noise_other_seed_other_noise() {
        let a = Noise::new(7);
        let b = Noise::new(8);
        let s = stream_id("AWS/Lambda Errors");
        assert_eq!(a.unit(s, 100, 0), a.unit(s, 100, 0));
        assert_ne!(a.unit(s, 100, 0), b.unit(s, 100, 0));
        assert_ne!(a.unit(s, 100, 0), a.unit(s, 101, 0));
        assert_ne!(a.unit(s, 100, 0), a.unit(s, 100, 1));
    }

    #[test]
    fn unit_stays_in_range_and_spreads() {
        let n = Noise::new(1);
        let values: Vec<f64> = (0..10_000).map(|i| n.unit(3, i, 0)).collect();
        assert!(values.iter().all(|v| (0.0..1.0).contains(v)));
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        assert!((mean - 0.5).abs() < 0.02, "mean {mean}");
    }

    #[test]
    fn poisson_mean_matches_lambda() {
        let n = Noise::new(42);
        for lambda in [0.3, 4.0, 120.0] {
            let total: u64 = (0..5_000).map(|i| n.poisson(9, i, 0, lambda)).sum();
            let mean = total as f64 / 5_000.0;
            assert!(
                (mean - lambda).abs() < lambda * 0.1 + 0.05,
                "{lambda}: {mean}"
            );
        }
        assert_eq!(n.poisson(9, 1, 0, 0.0), 0);
    }

    #[test]
    fn stream_ids_differ_per_key() {
        assert_ne!(stream_id("a"), stream_id("b"));
        assert_eq!(stream_id("abc"), stream_id("abc"));
    }
}
