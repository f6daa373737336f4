//! Lines per second through the filter-pattern matcher, alone and behind
//! the terminal sanitiser, for term, JSON, space-delimited and regex
//! patterns over realistic log lines (application text, Lambda START /
//! REPORT lines, structured JSON, access logs).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use monitui::filter::FilterPattern;
use monitui::sanitize::sanitize_line;

/// Lines in each corpus.
const LINES: usize = 10_000;

/// A small deterministic generator (xorshift), so every run sees the same lines.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn hex(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from_digit(self.below(16) as u32, 16).unwrap())
            .collect()
    }

    fn uuid(&mut self) -> String {
        format!(
            "{}-{}-{}-{}-{}",
            self.hex(8),
            self.hex(4),
            self.hex(4),
            self.hex(4),
            self.hex(12)
        )
    }
}

const SERVICES: [&str; 5] = [
    "orders-api",
    "payments",
    "recommendations",
    "catalog",
    "checkout",
];
const LEVELS: [&str; 4] = ["info", "info", "warn", "error"];

fn app_line(rng: &mut Rng, i: usize) -> String {
    let service = SERVICES[rng.below(5) as usize];
    if rng.below(5) == 0 {
        format!(
            "2026-11-28T14:{:02}:{:02}.{:03}Z ERROR [{service}] request_id={} charge failed: upstream timeout after {}ms (attempt {}/3)",
            i / 600 % 60,
            i / 10 % 60,
            i % 1000,
            rng.hex(16),
            rng.below(5000),
            rng.below(3) + 1
        )
    } else {
        format!(
            "2026-11-28T14:{:02}:{:02}.{:03}Z INFO  [{service}] request_id={} GET /api/v1/orders/{} 200 {}ms",
            i / 600 % 60,
            i / 10 % 60,
            i % 1000,
            rng.hex(16),
            rng.below(100_000),
            rng.below(900)
        )
    }
}

fn lambda_line(rng: &mut Rng) -> String {
    let id = rng.uuid();
    if rng.below(2) == 0 {
        format!("START RequestId: {id} Version: $LATEST")
    } else {
        format!(
            "REPORT RequestId: {id}\tDuration: {}.{:02} ms\tBilled Duration: {} ms\tMemory Size: 512 MB\tMax Memory Used: {} MB",
            rng.below(3000),
            rng.below(100),
            rng.below(3000) + 1,
            rng.below(400) + 60
        )
    }
}

fn json_line(rng: &mut Rng, i: usize) -> String {
    format!(
        r#"{{"timestamp":"2026-11-28T14:{:02}:{:02}.{:03}Z","level":"{}","service":"{}","request_id":"{}","message":"served recommendations for the home page","latency_ms":{},"user":{{"id":{},"segment":"returning"}},"items":[{},{},{}]}}"#,
        i / 600 % 60,
        i / 10 % 60,
        i % 1000,
        LEVELS[rng.below(4) as usize],
        SERVICES[rng.below(5) as usize],
        rng.uuid(),
        rng.below(1000),
        rng.below(100_000),
        rng.below(10_000),
        rng.below(10_000),
        rng.below(10_000)
    )
}

fn access_line(rng: &mut Rng) -> String {
    let status = [200, 200, 200, 201, 304, 404, 500][rng.below(7) as usize];
    format!(
        r#"10.0.{}.{} - - [28/Nov/2026:14:03:05 +0000] "GET /api/v1/products/{} HTTP/1.1" {status} {} "-" "Mozilla/5.0 (X11; Linux x86_64)""#,
        rng.below(256),
        rng.below(256),
        rng.below(10_000),
        rng.below(20_000)
    )
}

/// The mix a busy stack's log groups produce: 50% application text, 15%
/// Lambda lines, 25% JSON, 10% access logs.
fn mixed_lines() -> Vec<String> {
    let mut rng = Rng(0x2357_bd13_a1b2_c3d4);
    (0..LINES)
        .map(|i| match rng.below(20) {
            0..=9 => app_line(&mut rng, i),
            10..=12 => lambda_line(&mut rng),
            13..=17 => json_line(&mut rng, i),
            _ => access_line(&mut rng),
        })
        .collect()
}

fn json_lines() -> Vec<String> {
    let mut rng = Rng(0x1f2e_3d4c_5b6a_7988);
    (0..LINES).map(|i| json_line(&mut rng, i)).collect()
}

fn access_lines() -> Vec<String> {
    let mut rng = Rng(0x0bad_cafe_dead_beef);
    (0..LINES).map(|_| access_line(&mut rng)).collect()
}

fn count_matches(pattern: &FilterPattern, lines: &[String]) -> usize {
    lines.iter().filter(|l| pattern.matches(l)).count()
}

fn count_sanitised_matches(pattern: &FilterPattern, lines: &[String]) -> usize {
    lines
        .iter()
        .filter(|l| {
            let shown = sanitize_line(l);
            pattern.matches(l) && !shown.is_empty()
        })
        .count()
}

fn filter_patterns(c: &mut Criterion) {
    let mixed = mixed_lines();
    let json = json_lines();
    let access = access_lines();
    let term = FilterPattern::parse("ERROR -RequestId ?timeout ?failed").unwrap();
    let json_pattern =
        FilterPattern::parse(r#"{ $.level = "error" && $.latency_ms > 500 }"#).unwrap();
    let delimited = FilterPattern::parse(
        "[ip, ..., status = 5* || status = 404, bytes > 1000, referrer, agent]",
    )
    .unwrap();
    let regex = FilterPattern::parse(r"%timeout\safter\s[0-9]{4}ms%").unwrap();
    for (pattern, lines) in [
        (&term, &mixed),
        (&json_pattern, &json),
        (&delimited, &access),
        (&regex, &mixed),
    ] {
        assert!(
            count_matches(pattern, lines) > 0,
            "{pattern} matches nothing"
        );
    }

    let mut group = c.benchmark_group("filter patterns");
    group.throughput(Throughput::Elements(LINES as u64));
    group.measurement_time(Duration::from_secs(4));
    group.warm_up_time(Duration::from_secs(1));
    group.sample_size(30);
    let cases: [(&str, &FilterPattern, &[String]); 6] = [
        ("term, mixed lines", &term, &mixed),
        ("json, json lines", &json_pattern, &json),
        ("json, mixed lines", &json_pattern, &mixed),
        ("space-delimited, access log", &delimited, &access),
        ("regex, mixed lines", &regex, &mixed),
        (
            "term, empty pattern, mixed lines",
            &FilterPattern::parse("").unwrap(),
            &mixed,
        ),
    ];
    for (name, pattern, lines) in cases {
        group.bench_function(name, |b| {
            b.iter(|| count_matches(black_box(pattern), black_box(lines)))
        });
    }
    group.bench_function("sanitise + term, mixed lines", |b| {
        b.iter(|| count_sanitised_matches(black_box(&term), black_box(&mixed)))
    });
    group.bench_function("sanitise + json, json lines", |b| {
        b.iter(|| count_sanitised_matches(black_box(&json_pattern), black_box(&json)))
    });
    group.finish();
}

criterion_group!(benches, filter_patterns);
criterion_main!(benches);
