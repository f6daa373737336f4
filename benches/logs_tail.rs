//! Lines per second through what the Logs tab does with each new line:
//! sanitise (checked once, copied only when needed), match the filter
//! pattern, and keep it in the bounded buffer (full, so every line also
//! lets the oldest go). Lines are the demo account's: Lambda runtime and
//! JSON lines with tracebacks, API Gateway JSON access logs, Batch text.
//!
//! `cargo bench --bench logs_tail`

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use jiff::{SignedDuration, Timestamp};
use monitui::app::tabs::logs::tail::TailView;
use monitui::data::log_buffer::DEFAULT_BYTE_BUDGET;
use monitui::model::{LogEvent, ManualClock, TimeRange};
use monitui::provider::sim::SimProvider;

/// Lines pushed per measured batch.
const BATCH: usize = 20_000;

/// Demo lines of several groups, interleaved by time.
fn demo_lines(count: usize) -> Vec<LogEvent> {
    let now: Timestamp = "2026-11-28T15:00:00Z".parse().unwrap();
    let sim = SimProvider::new(7, Arc::new(ManualClock::new(now)), "ecommerce-ai-platform");
    let groups = [
        "/aws/apigateway/ecommerce-ai-platform",
        "/aws/lambda/ecommerce-ai-platform-auth-service",
        "/aws/lambda/ecommerce-ai-platform-analytics-service",
        "/aws/batch/job",
    ];
    let mut lines = Vec::new();
    let mut hours = 1;
    while lines.len() < count {
        let range = TimeRange {
            start: now - SignedDuration::from_hours(hours),
            end: now,
        };
        lines = groups
            .iter()
            .flat_map(|g| sim.log_events(g, range).unwrap())
            .collect();
        hours *= 2;
    }
    lines.sort_by_key(|e| e.timestamp);
    lines.truncate(count);
    lines
}

fn ingest(c: &mut Criterion) {
    let lines = demo_lines(BATCH);
    let mut group = c.benchmark_group("tail_ingest");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.measurement_time(Duration::from_secs(8));
    for (name, pattern) in [
        ("none", ""),
        ("term", "ERROR"),
        ("json", "{ $.status >= 500 || $.level = \"ERROR\" }"),
    ] {
        group.bench_function(name, |b| {
            b.iter_batched_ref(
                || {
                    let mut view = TailView::new(BATCH, DEFAULT_BYTE_BUDGET);
                    view.set_pattern(pattern);
                    view.push(&lines);
                    view
                },
                |view| {
                    view.push(black_box(&lines));
                    black_box(view.shown().len())
                },
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, ingest);
criterion_main!(benches);
