//! The demo account's Logs Insights evaluator over 100,000 events (a mix of
//! plain Lambda lines and JSON API lines): the seed's "Find Lambda errors"
//! query, a JSON-field filter with arithmetic, `parse` with a glob, and
//! `stats ... by bin(5m), field`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jiff::Timestamp;
use monitui::insights::{DEFAULT_ROWS, InsightsQuery};
use monitui::model::LogEvent;

const EVENTS: usize = 100_000;

fn events() -> Vec<LogEvent> {
    let start: Timestamp = "2026-01-16T12:00:00Z".parse().unwrap();
    (0..EVENTS)
        .map(|i| {
            let json = i % 3 == 0;
            let message = if json {
                format!(
                    r#"{{"status": {}, "latency": {}, "path": "/orders/{}", "user": {{"id": "u{}"}}}}"#,
                    if i % 97 == 0 { 502 } else { 200 },
                    20 + i % 400,
                    i % 50,
                    i % 1000
                )
            } else if i % 41 == 0 {
                format!("[ERROR] {i} KeyError: 'region' in handler (request r{i})")
            } else {
                format!("[INFO] {i} user u{} served in {} ms", i % 1000, 10 + i % 90)
            };
            LogEvent {
                group: if json { "/aws/apigateway/shop" } else { "/aws/lambda/shop-auth" }.into(),
                stream: format!("s{}", i % 8),
                timestamp: start + jiff::SignedDuration::from_millis(i as i64 * 108),
                event_id: None,
                message,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let events = events();
    let mut group = c.benchmark_group("insights_eval");
    group.throughput(Throughput::Elements(EVENTS as u64));
    group.sample_size(10);
    for (name, query) in [
        (
            "find_lambda_errors",
            "fields @timestamp, @message | filter @message like /ERROR/ | sort @timestamp desc | limit 50",
        ),
        (
            "json_filter",
            "filter status >= 500 or latency * 2 > 700 | fields path, user.id, latency",
        ),
        (
            "parse_glob",
            "parse @message 'user * served in * ms' as user, ms | filter ms > 80 | stats count(*) by user | sort `count(*)` desc | limit 10",
        ),
        (
            "stats_by_bin",
            "stats count(*) as n, avg(latency) by bin(5m), @log",
        ),
    ] {
        let parsed = InsightsQuery::parse(query).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| black_box(parsed.run(black_box(&events), DEFAULT_ROWS)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
