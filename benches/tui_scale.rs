//! The TUI at scale: frames, a key press and applying data events with 500
//! and 10,000 alarms (the demo's five repeated under new names), each with
//! an Overview series of 3 hours at its period. The aim is every frame, key
//! press and event apply under 8 ms at 10,000 alarms.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Arc;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::{SignedDuration, Timestamp};
use monitui::app::{Action, App};
use monitui::config::{ResolvedEnv, theme::load_theme};
use monitui::data::{Annotation, DataEvent, LinkState};
use monitui::model::ack::{Ack, Silence, SilenceMethod, SilenceRecord};
use monitui::model::{Alarm, Clock, ManualClock, Series};
use monitui::provider::{prelude::*, sim::SimProvider};
use ratatui::{Terminal, backend::TestBackend};

const SIZES: [usize; 2] = [500, 10_000];

fn now() -> Timestamp {
    "2026-01-16T14:43:30Z".parse().unwrap()
}

/// Everything one size needs: the alarms, their series, some annotations.
struct Fixture {
    alarms: Vec<Alarm>,
    series: Vec<Series>,
    annotations: BTreeMap<String, Annotation>,
}

fn fixture(n: usize) -> Fixture {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(now()));
    let sim = SimProvider::new(23, clock, "ecommerce-ai-platform");
    let base = rt.block_on(sim.list_alarms()).unwrap();
    let alarms: Vec<Alarm> = (0..n)
        .map(|i| {
            let mut a = base[i % base.len()].clone();
            a.name = format!("{}-{i:05}", a.name);
            a
        })
        .collect();
    let series = alarms
        .iter()
        .filter_map(|a| {
            let period = i64::from(a.metric_spec()?.period_secs);
            let points = (1..=3 * 3600 / period)
                .rev()
                .map(|k| {
                    let t = now() - SignedDuration::from_secs(k * period);
                    (t, ((k * 7919) % 97) as f64)
                })
                .collect();
            Some(Series {
                id: a.name.clone(),
                label: a.name.clone(),
                points,
                message: None,
            })
        })
        .collect();
    let annotations = alarms
        .iter()
        .step_by(10)
        .map(|a| {
            let annotation = Annotation {
                ack: Some(Ack {
                    by: "alice".into(),
                    at: now(),
                    episode: a.updated_at,
                    note: "looking".into(),
                }),
                silence: Some(SilenceRecord::Own(Silence {
                    until: now() + SignedDuration::from_hours(1),
                    by: "bob".into(),
                    note: "deploy".into(),
                    method: SilenceMethod::ActionsDisabled,
                    id: "s-1".into(),
                })),
            };
            (a.name.clone(), annotation)
        })
        .collect();
    Fixture {
        alarms,
        series,
        annotations,
    }
}

/// An app that has seen the alarms, the annotations and the series.
fn loaded_app(f: &Fixture) -> App {
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(now()));
    let mut app = App::new(
        ResolvedEnv::demo(),
        load_theme("default", None).unwrap(),
        clock,
    );
    app.apply(DataEvent::Link(LinkState::Live { at: now() }));
    app.apply(alarms_event(f));
    app.apply(DataEvent::Annotations(Arc::new(f.annotations.clone())));
    app.apply(DataEvent::Overview(Arc::new(f.series.clone())));
    app
}

fn alarms_event(f: &Fixture) -> DataEvent {
    DataEvent::Alarms {
        alarms: Arc::new(f.alarms.clone()),
        fetched_at: now(),
    }
}

fn press(app: &mut App, code: KeyCode) {
    let key = KeyEvent::new(code, KeyModifiers::NONE);
    black_box(app.handle_key(key));
}

fn frames(c: &mut Criterion) {
    for n in SIZES {
        let f = fixture(n);
        let mut app = loaded_app(&f);
        let mut terminal = Terminal::new(TestBackend::new(120, 35)).unwrap();
        for (tab, name) in [(2, "alarms"), (1, "overview")] {
            app.update(Action::GoTab(tab));
            c.bench_function(&format!("{name} frame 120x35, {n} alarms"), |b| {
                b.iter(|| {
                    terminal
                        .draw(|frame| {
                            black_box(monitui::ui::draw(frame, &app));
                        })
                        .unwrap();
                })
            });
            c.bench_function(&format!("{name} key press (down), {n} alarms"), |b| {
                b.iter(|| press(&mut app, KeyCode::Down))
            });
        }
    }
}

fn events(c: &mut Criterion) {
    for n in SIZES {
        let f = fixture(n);
        let mut app = loaded_app(&f);
        c.bench_function(&format!("apply Alarms event, {n} alarms"), |b| {
            b.iter_batched(
                || alarms_event(&f),
                |event| app.apply(event),
                BatchSize::LargeInput,
            )
        });
        c.bench_function(&format!("apply Annotations event, {n} alarms"), |b| {
            b.iter_batched(
                || DataEvent::Annotations(Arc::new(f.annotations.clone())),
                |event| app.apply(event),
                BatchSize::LargeInput,
            )
        });
        app.update(Action::GoTab(1));
        c.bench_function(&format!("apply Overview event, {n} alarms"), |b| {
            b.iter_batched(
                || DataEvent::Overview(Arc::new(f.series.clone())),
                |event| app.apply(event),
                BatchSize::LargeInput,
            )
        });
        app.update(Action::GoTab(2));
        press(&mut app, KeyCode::Char('/'));
        for c in "lambda".chars() {
            press(&mut app, KeyCode::Char(c));
        }
        c.bench_function(
            &format!("filter: type a character and delete it, {n} alarms"),
            |b| {
                b.iter(|| {
                    press(&mut app, KeyCode::Char('-'));
                    press(&mut app, KeyCode::Backspace);
                })
            },
        );
        // Leave the filter line, then clear the filter: sort all N rows.
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Esc);
        c.bench_function(
            &format!("sort: press o (next sort order), {n} alarms"),
            |b| b.iter(|| press(&mut app, KeyCode::Char('o'))),
        );
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(2));
    targets = frames, events
}
criterion_main!(benches);
