//! The interactive loop: wires the terminal (`term`), the background data
//! layer (`data`), the state (`app`) and drawing (`ui`). Input and data
//! arrive as events on one channel; the screen is redrawn at most
//! [`FRAME`] apart and only when something changed. Nothing here awaits
//! the network.

use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use crossterm::event::{self, Event};

use crate::app::{App, Effect, keys};
use crate::cli::args::GlobalArgs;
use crate::config::{self, ResolvedEnv};
use crate::data::{Changes, DataEvent, DataLayer};
use crate::model::{Clock, SystemClock};
use crate::term::{TerminalGuard, TerminationFlag};

/// Shortest time between two frames (caps the frame rate at ~30 fps).
pub const FRAME: Duration = Duration::from_millis(33);

/// Longest the loop sleeps without checking signals and the clock.
const TICK: Duration = Duration::from_millis(250);

/// What wakes the loop.
enum AppEvent {
    Input(Event),
    Data(DataEvent),
}

/// How long quitting waits for background work (a DNS lookup on a lossy
/// link, say) before leaving it behind.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(250);

/// Runs the TUI until the user quits or a termination signal arrives.
pub fn run(env: ResolvedEnv, global: GlobalArgs) -> Result<()> {
    let theme = config::theme::load_theme(&env.theme, env.themes_dir.as_deref())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the background runtime")?;
    let changes = Changes::default();
    let result = event_loop(env, theme, global, &runtime, &changes);
    finish_changes(&runtime, &changes);
    runtime.shutdown_timeout(SHUTDOWN_GRACE);
    result
}

/// Longest quitting waits for changes still running (each AWS call has
/// its own timeouts; this only bounds a hung one).
const CHANGES_GRACE: Duration = Duration::from_secs(10);

/// Waits for the changes still running after the terminal is restored,
/// saying so on stderr; those that outlast [`CHANGES_GRACE`] are recorded
/// in the audit log as interrupted.
fn finish_changes(runtime: &tokio::runtime::Runtime, changes: &Changes) {
    let running = changes.running();
    if running == 0 {
        return;
    }
    eprintln!(
        "monitui: finishing {running} change{}…",
        if running == 1 { "" } else { "s" }
    );
    let interrupted = runtime.block_on(changes.finish(CHANGES_GRACE));
    if interrupted > 0 {
        eprintln!(
            "monitui: {interrupted} change(s) did not finish within {}s; recorded as interrupted in the audit log (`monitui audit`)",
            CHANGES_GRACE.as_secs()
        );
    }
}

/// The loop itself; the terminal is restored when it returns, before the
/// runtime is shut down.
fn event_loop(
    env: ResolvedEnv,
    theme: config::Theme,
    global: GlobalArgs,
    runtime: &tokio::runtime::Runtime,
    changes: &Changes,
) -> Result<()> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let (tx, rx) = mpsc::channel::<AppEvent>();
    let signals = TerminationFlag::register().context("installing signal handlers")?;
    let mut guard = TerminalGuard::enter().context("setting up the terminal")?;
    spawn_input_thread(tx.clone());

    let mut app = App::new(env, theme, Arc::clone(&clock));
    let mut data = start_data(runtime, &app.env, &clock, &tx, changes);
    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    let mut last_second = clock.now().as_second();
    while !signals.is_set() {
        let wait = if dirty {
            FRAME.saturating_sub(last_draw.elapsed())
        } else {
            TICK
        };
        match rx.recv_timeout(wait) {
            Ok(first) => {
                for ev in std::iter::once(first).chain(rx.try_iter()) {
                    dirty = true;
                    let effect = match ev {
                        AppEvent::Data(d) => {
                            app.apply(d);
                            None
                        }
                        AppEvent::Input(Event::Key(key)) => {
                            panic_if_test_asks(&key);
                            keys::action_for(key, &app.mode).and_then(|a| app.update(a))
                        }
                        AppEvent::Input(_) => None,
                    };
                    match effect {
                        Some(Effect::Quit) => return Ok(()),
                        Some(Effect::Data(command)) => data.send(command),
                        Some(effect) => {
                            if let Some(new_data) = apply_effect(
                                effect, &mut app, &global, runtime, &clock, &tx, changes,
                            ) {
                                data = new_data;
                            }
                        }
                        None => {}
                    }
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        let second = clock.now().as_second();
        if second != last_second {
            last_second = second;
            dirty = true;
        }
        if dirty && last_draw.elapsed() >= FRAME {
            let mut rows = 0;
            guard.terminal.draw(|f| rows = crate::ui::draw(f, &app))?;
            app.page_rows = rows;
            last_draw = Instant::now();
            dirty = false;
        }
    }
    Ok(())
}

/// Handles theme and env switches. Returns a new data layer when the env
/// changed.
fn apply_effect(
    effect: Effect,
    app: &mut App,
    global: &GlobalArgs,
    runtime: &tokio::runtime::Runtime,
    clock: &Arc<dyn Clock>,
    tx: &mpsc::Sender<AppEvent>,
    changes: &Changes,
) -> Option<DataLayer> {
    match effect {
        Effect::Quit | Effect::Data(_) => None,
        Effect::SwitchTheme(name) => {
            match config::theme::load_theme(&name, app.env.themes_dir.as_deref()) {
                Ok(theme) => {
                    app.theme = theme;
                    app.flash(format!("theme: {name}"), false);
                }
                Err(e) => app.flash(e.to_string(), true),
            }
            None
        }
        Effect::SwitchEnv(name) => {
            let mut flags = global.clone();
            flags.env = Some(name.clone());
            let resolved = config::resolve(&flags)
                .map_err(|e| e.to_string())
                .and_then(|env| {
                    config::theme::load_theme(&env.theme, env.themes_dir.as_deref())
                        .map(|theme| (env, theme))
                        .map_err(|e| e.to_string())
                });
            match resolved {
                Ok((env, theme)) => {
                    let data = start_data(runtime, &env, clock, tx, changes);
                    let tab = app.tab;
                    *app = App::new(env, theme, Arc::clone(clock));
                    app.tab = tab;
                    app.flash(format!("environment: {name}"), false);
                    Some(data)
                }
                Err(message) => {
                    app.flash(message, true);
                    None
                }
            }
        }
    }
}

fn start_data(
    runtime: &tokio::runtime::Runtime,
    env: &ResolvedEnv,
    clock: &Arc<dyn Clock>,
    tx: &mpsc::Sender<AppEvent>,
    changes: &Changes,
) -> DataLayer {
    let sink_tx = tx.clone();
    DataLayer::for_env(
        runtime.handle(),
        env,
        Arc::clone(clock),
        Arc::new(move |e| {
            let _ = sink_tx.send(AppEvent::Data(e));
        }),
        changes,
    )
}

/// Reads terminal events on their own thread so a slow terminal never
/// delays data events, and vice versa. Ends when the loop has gone.
fn spawn_input_thread(tx: mpsc::Sender<AppEvent>) {
    std::thread::spawn(move || {
        loop {
            match event::poll(TICK) {
                Ok(true) => match event::read() {
                    Ok(ev) => {
                        if tx.send(AppEvent::Input(ev)).is_err() {
                            return;
                        }
                    }
                    Err(_) => return,
                },
                Ok(false) => {}
                Err(_) => return,
            }
        }
    });
}

/// Test hook: with `MONITUI_TEST_PANIC_KEY` set, `!` panics, so a test can
/// prove the panic hook restores the terminal of the real binary.
fn panic_if_test_asks(key: &crossterm::event::KeyEvent) {
    if key.code == crossterm::event::KeyCode::Char('!')
        && std::env::var_os("MONITUI_TEST_PANIC_KEY").is_some()
    {
        panic!("panic requested by MONITUI_TEST_PANIC_KEY");
    }
}
