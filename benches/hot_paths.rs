//! Hot paths of the TUI shell: drawing a full frame of the alarm table,
//! sanitising text from AWS, and the demo account answering list_alarms.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::Timestamp;
use monitui::app::App;
use monitui::config::{ResolvedEnv, theme::load_theme};
use monitui::data::{DataEvent, LinkState};
use monitui::model::{Alarm, Clock, ManualClock};
use monitui::provider::{prelude::*, sim::SimProvider};
use monitui::sanitize::sanitize_line;
use ratatui::{Terminal, backend::TestBackend};

fn now() -> Timestamp {
    "2026-01-16T14:43:30Z".parse().unwrap()
}

/// 500 alarms: the demo's five, repeated under new names.
fn many_alarms(sim: &SimProvider, rt: &tokio::runtime::Runtime) -> Vec<Alarm> {
    let base = rt.block_on(sim.list_alarms()).unwrap();
    (0..500)
        .map(|i| {
            let mut a = base[i % base.len()].clone();
            a.name = format!("{}-{i:03}", a.name);
            a
        })
        .collect()
}

fn draw_alarm_table(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(now()));
    let env = ResolvedEnv::demo();
    let sim = SimProvider::new(env.seed, Arc::clone(&clock), &env.prefix);
    let mut app = App::new(env, load_theme("default", None).unwrap(), clock);
    app.apply(DataEvent::Alarms {
        alarms: Arc::new(many_alarms(&sim, &rt)),
        fetched_at: now(),
    });
    app.apply(DataEvent::Link(LinkState::Live { at: now() }));
    let mut terminal = Terminal::new(TestBackend::new(120, 35)).unwrap();
    c.bench_function("draw alarms tab 120x35, 500 alarms", |b| {
        b.iter(|| {
            terminal
                .draw(|f| {
                    black_box(monitui::ui::draw(f, &app));
                })
                .unwrap();
        })
    });
}

fn sanitise(c: &mut Criterion) {
    let hostile = "\x1b[31mERROR\x1b[0m \x1b]0;title\x07 request failed \u{202e}x\t".repeat(64);
    let plain = "2026-01-16T14:43:30Z INFO request served in 12ms path=/api/v1/orders ".repeat(64);
    c.bench_function("sanitize_line 4KB with escapes", |b| {
        b.iter(|| sanitize_line(black_box(&hostile)))
    });
    c.bench_function("sanitize_line 4KB plain", |b| {
        b.iter(|| sanitize_line(black_box(&plain)))
    });
}

fn demo_list_alarms(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let clock = ManualClock::new(now());
    let sim = SimProvider::new(23, Arc::new(clock.clone()), "ecommerce-ai-platform");
    rt.block_on(sim.list_alarms()).unwrap();
    c.bench_function("demo list_alarms, same minute", |b| {
        b.iter(|| rt.block_on(sim.list_alarms()).unwrap())
    });
    c.bench_function("demo list_alarms, one new minute each call", |b| {
        b.iter(|| {
            clock.advance(jiff::SignedDuration::from_secs(60));
            rt.block_on(sim.list_alarms()).unwrap()
        })
    });
}

criterion_group!(benches, draw_alarm_table, sanitise, demo_list_alarms);
criterion_main!(benches);
