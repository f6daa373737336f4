//! The across-env alarm wall (`--env a,b,c`) at 3 envs of 3,000 alarms each
//! (the demo's alarms repeated under new names, three seeds): asking for
//! the rows (what a frame and a key ask for), drawing a frame, a new list
//! of one env, `o` (the next sort order) and a `/` keystroke. The rows are
//! merged, filtered and sorted once per change of a list, the filter or
//! the sort, never per frame.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;
use monitui::app::{App, Wall};
use monitui::config::{ResolvedEnv, theme::load_theme};
use monitui::data::{DataEvent, LinkState};
use monitui::model::{Alarm, Clock, ManualClock};
use monitui::provider::{prelude::*, sim::SimProvider};
use ratatui::{Terminal, backend::TestBackend};

const ENVS: [(&str, u64); 3] = [("blue", 23), ("green", 7), ("red", 11)];
const PER_ENV: usize = 3_000;

fn now() -> Timestamp {
    "2026-01-16T14:43:30Z".parse().unwrap()
}

/// `PER_ENV` alarms of the demo account at `seed`.
fn alarms(seed: u64) -> Vec<Alarm> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(now()));
    let sim = SimProvider::new(seed, clock, "ecommerce-ai-platform");
    let base = rt.block_on(sim.list_alarms()).unwrap();
    (0..PER_ENV)
        .map(|i| {
            let mut a = base[i % base.len()].clone();
            a.name = format!("{}-{i:05}", a.name);
            a
        })
        .collect()
}

fn alarms_event(alarms: &[Alarm]) -> DataEvent {
    DataEvent::Alarms {
        alarms: Arc::new(alarms.to_vec()),
        fetched_at: now(),
    }
}

/// The wall of the three envs, each App having seen its list.
fn wall(lists: &[Vec<Alarm>]) -> Wall {
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(now()));
    let apps = ENVS
        .iter()
        .zip(lists)
        .map(|(&(name, seed), list)| {
            let mut env = ResolvedEnv::demo();
            env.name = name.to_string();
            env.seed = seed;
            let mut app = App::new(
                env,
                load_theme("default", None).unwrap(),
                Arc::clone(&clock),
            );
            app.apply(DataEvent::Link(LinkState::Live { at: now() }));
            app.apply(alarms_event(list));
            app
        })
        .collect();
    Wall::new(apps, true)
}

fn press(wall: &mut Wall, code: KeyCode) {
    black_box(wall.handle_key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn bench_wall(c: &mut Criterion) {
    let lists: Vec<Vec<Alarm>> = ENVS.iter().map(|&(_, seed)| alarms(seed)).collect();
    let mut wall = wall(&lists);
    let label = format!("{} envs x {PER_ENV} alarms", ENVS.len());
    assert_eq!(wall.rows().len(), ENVS.len() * PER_ENV);
    c.bench_function(&format!("wall rows (asked for), {label}"), |b| {
        b.iter(|| black_box(wall.rows().len()))
    });
    let mut terminal = Terminal::new(TestBackend::new(120, 35)).unwrap();
    c.bench_function(&format!("wall frame 120x35, {label}"), |b| {
        b.iter(|| {
            terminal
                .draw(|frame| {
                    black_box(monitui::ui::wall::draw(frame, &wall));
                })
                .unwrap();
        })
    });
    c.bench_function(&format!("wall key press (down), {label}"), |b| {
        b.iter(|| press(&mut wall, KeyCode::Down))
    });
    c.bench_function(
        &format!("wall: a new list of one env, then its rows, {label}"),
        |b| {
            b.iter_batched(
                || alarms_event(&lists[1]),
                |event| {
                    wall.apps[1].apply(event);
                    black_box(wall.rows().len())
                },
                BatchSize::LargeInput,
            )
        },
    );
    c.bench_function(
        &format!("wall: o (next sort order), then its rows, {label}"),
        |b| {
            b.iter(|| {
                press(&mut wall, KeyCode::Char('o'));
                black_box(wall.rows().len())
            })
        },
    );
    press(&mut wall, KeyCode::Char('/'));
    for ch in "lambda".chars() {
        press(&mut wall, KeyCode::Char(ch));
    }
    c.bench_function(
        &format!("wall /: type a character and delete it, then its rows, {label}"),
        |b| {
            b.iter(|| {
                press(&mut wall, KeyCode::Char('-'));
                black_box(wall.rows().len());
                press(&mut wall, KeyCode::Backspace);
                black_box(wall.rows().len())
            })
        },
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(2));
    targets = bench_wall
}
criterion_main!(benches);
