//! Short human formats for durations, times, sizes and numbers, the same
//! on screen (`ui`) and in printed output (`cli`).

use jiff::Timestamp;

pub use crate::model::clock::{short_duration, since};

/// Retention as the browser and the table show it.
pub fn retention_text(days: Option<u32>) -> String {
    days.map_or("never expires".into(), |d| format!("{d} days"))
}

/// A byte count in binary units, one decimal.
pub fn bytes_text(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// `HH:MM:SS` in the display zone.
pub fn clock(t: Timestamp) -> String {
    crate::model::zone::shown(t, "%H:%M:%S")
}

/// A metric value in at most about six characters: `0.25`, `312`,
/// `12.4k`, `3.1M`.
pub fn compact_number(v: f64) -> String {
    let abs = v.abs();
    let (scaled, suffix) = if abs >= 1e9 {
        (v / 1e9, "G")
    } else if abs >= 1e6 {
        (v / 1e6, "M")
    } else if abs >= 1e4 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let digits = if scaled.fract() == 0.0 || scaled.abs() >= 100.0 {
        0
    } else if scaled.abs() >= 10.0 || !suffix.is_empty() {
        1
    } else {
        2
    };
    let text = format!("{scaled:.digits$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    format!("{text}{suffix}")
}

/// `HH:MM` in the display zone, with the date in front when the range spans days.
pub fn chart_time(t: Timestamp, with_date: bool) -> String {
    if with_date {
        crate::model::zone::shown(t, "%m-%d %H:%M")
    } else {
        crate::model::zone::shown(t, "%H:%M")
    }
}

/// A percentage with two decimals, `-` when unknown.
pub fn percent_text(value: Option<f64>) -> String {
    value.map_or("-".into(), |v| format!("{v:.2}%"))
}

/// A burn rate such as `14.4x`, `-` when unknown.
pub fn burn_text(rate: Option<f64>) -> String {
    rate.map_or("-".into(), |r| format!("{r:.1}x"))
}

/// A target's window as written in a spec: `30d`, `6h`, `90m`.
pub fn window_text(secs: u64) -> String {
    match secs {
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s => format!("{}m", s / 60),
    }
}

/// An error budget left as time (`-` when unknown; a minus sign once
/// overspent).
pub fn budget_time_text(secs: Option<f64>) -> String {
    secs.map_or("-".into(), |s| {
        let sign = if s < 0.0 { "-" } else { "" };
        format!(
            "{sign}{}",
            short_duration(std::time::Duration::from_secs(s.abs() as u64))
        )
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn byte_counts_read_like_people_write_them() {
        use super::bytes_text;
        assert_eq!(bytes_text(512), "512 B");
        assert_eq!(bytes_text(1536), "1.5 KiB");
        assert_eq!(bytes_text(3 * 1024 * 1024 * 1024), "3.0 GiB");
    }

    #[test]
    fn numbers_are_compact() {
        assert_eq!(compact_number(300.0), "300");
        assert_eq!(compact_number(0.254), "0.25");
        assert_eq!(compact_number(12.34), "12.3");
        assert_eq!(compact_number(312.7), "313");
        assert_eq!(compact_number(12_400.0), "12.4k");
        assert_eq!(compact_number(3_100_000.0), "3.1M");
        assert_eq!(compact_number(-2.5), "-2.5");
    }

    use super::*;
    use std::time::Duration;

    #[test]
    fn durations_are_compact() {
        assert_eq!(short_duration(Duration::from_secs(5)), "5s");
        assert_eq!(short_duration(Duration::from_secs(125)), "2m 05s");
        assert_eq!(
            short_duration(Duration::from_secs(3 * 3600 + 300)),
            "3h 05m"
        );
        assert_eq!(
            short_duration(Duration::from_secs(2 * 86_400 + 7200)),
            "2d 02h"
        );
    }

    #[test]
    fn since_is_never_negative() {
        let a: Timestamp = "2026-01-16T03:00:00Z".parse().unwrap();
        let b: Timestamp = "2026-01-16T03:00:10Z".parse().unwrap();
        assert_eq!(since(b, a), Duration::from_secs(10));
        assert_eq!(since(a, b), Duration::ZERO);
        assert_eq!(clock(a), "03:00:00");
    }

    #[test]
    fn target_values_read_as_people_write_them() {
        assert_eq!(percent_text(Some(99.456)), "99.46%");
        assert_eq!(percent_text(None), "-");
        assert_eq!(burn_text(Some(14.44)), "14.4x");
        assert_eq!(budget_time_text(Some(-3720.0)), "-1h 02m");
        assert_eq!(budget_time_text(Some(25_920.0)), "7h 12m");
        assert_eq!(window_text(30 * 86_400), "30d");
        assert_eq!(window_text(5400), "90m");
    }
}
