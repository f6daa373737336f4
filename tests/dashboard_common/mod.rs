//! Shared by the dashboard test crates: the default look and synthetic,
//! deterministic data for any dashboard.
#![allow(dead_code)]

use jiff::{SignedDuration, Timestamp};
use monitui::config::theme::load_theme;
use monitui::model::dashboard::{Dashboard, DashboardData};
use monitui::model::{Series, TimeRange};
use monitui::ui::dashboard::palette::Look;

/// The default theme's look.
pub fn look() -> Look {
    Look::new(&load_theme("default", None).unwrap())
}

/// 12:00 to 15:00 UTC on the pinned test day.
pub fn range() -> TimeRange {
    TimeRange {
        start: "2026-01-16T12:00:00Z".parse().unwrap(),
        end: "2026-01-16T15:00:00Z".parse().unwrap(),
    }
}

/// A wavy series of 36 five-minute points whose shape depends on `seed`.
pub fn wave(id: &str, seed: u32) -> Series {
    let start: Timestamp = range().start;
    let points = (0..36)
        .map(|i: i64| {
            let t = start + SignedDuration::from_secs(i * 300);
            let phase = (i + i64::from(seed) * 7) % 12;
            let v = 10.0 * f64::from(seed + 1) + (phase - 6).abs() as f64 * 3.0;
            (t, v)
        })
        .collect();
    Series {
        id: id.to_string(),
        label: id.to_string(),
        points,
        message: None,
    }
}

/// Every query of `dashboard` answered with a wave.
pub fn synthetic_data(dashboard: &Dashboard) -> DashboardData {
    let mut data = DashboardData::empty(range());
    let series: Vec<Series> = dashboard
        .metric_queries(range())
        .iter()
        .enumerate()
        .map(|(i, q)| wave(&q.id, i as u32))
        .collect();
    data.add_series(series);
    data
}
