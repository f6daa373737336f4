//! Peak memory of the Logs tab's buffer holding 100,000 demo lines, against
//! the bytes of the messages it holds (aim: under 2x the message bytes +
//! 20 MiB). Lines are generated and pushed a thousand at a time, so the
//! generator's own copies never pile up; the figure is the process's peak
//! resident set (VmHWM) over its resident set before the buffer filled.
//!
//! `cargo bench --bench log_buffer_memory`

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use monitui::app::tabs::logs::tail::TailView;
use monitui::data::log_buffer::DEFAULT_BYTE_BUDGET;
use monitui::model::{ManualClock, TimeRange};
use monitui::provider::sim::SimProvider;

const LINES: usize = 100_000;

fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or(0)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let now: Timestamp = "2026-11-28T15:00:00Z".parse().unwrap();
    let sim = SimProvider::new(7, Arc::new(ManualClock::new(now)), "ecommerce-ai-platform");
    let group = "/aws/apigateway/ecommerce-ai-platform";
    let lambda = "/aws/lambda/ecommerce-ai-platform-analytics-service";
    let before = status_kib("VmRSS:");
    let mut view = TailView::new(LINES, DEFAULT_BYTE_BUDGET);
    let mut start = now - SignedDuration::from_hours(48);
    let mut pushed = 0;
    while pushed < LINES {
        let range = TimeRange {
            start,
            end: start + SignedDuration::from_mins(10),
        };
        let mut batch = sim.log_events(group, range).unwrap();
        batch.extend(sim.log_events(lambda, range).unwrap());
        batch.sort_by_key(|e| e.timestamp);
        batch.truncate(LINES - pushed);
        pushed += batch.len();
        view.push(&batch);
        start = range.end;
    }
    let peak = status_kib("VmHWM:");
    let buffer = view.buffer();
    let message_kib = buffer.message_bytes() as u64 / 1024;
    let used = peak.saturating_sub(before);
    let budget = 2 * message_kib + 20 * 1024;
    println!(
        "log buffer: {} lines, message bytes {:.1} MiB, peak RSS {:.1} MiB (before {:.1} MiB, growth {:.1} MiB), budget 2x messages + 20 MiB = {:.1} MiB: {}",
        buffer.len(),
        message_kib as f64 / 1024.0,
        peak as f64 / 1024.0,
        before as f64 / 1024.0,
        used as f64 / 1024.0,
        budget as f64 / 1024.0,
        if peak <= budget { "within" } else { "OVER" }
    );
}
