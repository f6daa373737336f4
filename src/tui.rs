//! The interactive loop: wires the terminal (`term`), the background data
//! layer (`data`), the state (`app`) and drawing (`ui`). Key presses and
//! data events arrive on two bounded channels: keys are always handled
//! first, and at most [`EVENT_BUDGET`] (or [`EVENT_BATCH`] events) of data
//! is applied before the loop looks at the keys and the screen again, so a
//! busy producer can neither starve redraws nor make keys wait. The screen
//! is redrawn at most [`FRAME`] apart and only when something changed.
//! Nothing here awaits the network.

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use crossterm::event::{self, Event};

use crate::app::{App, Effect, Wall};
use crate::cli::args::GlobalArgs;
use crate::config::{self, EnvChoice, ResolvedEnv};
use crate::data::mfa::{ASK_TIMEOUT, MfaBridge};
use crate::data::{Changes, DataEvent, DataLayer, EventSink};
use crate::model::{Clock, SystemClock};
use crate::term::{TerminalGuard, TerminationFlag};

/// Shortest time between two frames by default (caps the frame rate at
/// ~30 fps); `--fps` sets another.
pub const FRAME: Duration = Duration::from_millis(33);

/// How the screen is drawn: how often at most, and whether in ASCII only.
#[derive(Debug, Clone, Copy)]
struct Drawing {
    frame: Duration,
    ascii: bool,
}

impl Drawing {
    /// From `--fps` and `--ascii`, and the locale (not UTF-8 means ASCII).
    fn of(global: &GlobalArgs) -> Self {
        Self {
            frame: global
                .fps
                .map_or(FRAME, |fps| Duration::from_secs(1) / fps.max(1)),
            ascii: global.ascii || !crate::term::locale_is_utf8(|name| std::env::var(name).ok()),
        }
    }
}

/// Longest the loop sleeps without checking signals and the clock.
const TICK: Duration = Duration::from_millis(250);

/// Longest the loop applies data events before it reads keys and draws.
pub const EVENT_BUDGET: Duration = Duration::from_millis(8);

/// Most data events applied between two looks at the keys.
pub const EVENT_BATCH: usize = 256;

/// Key presses (and resizes) queued before the input thread waits.
const INPUT_QUEUE: usize = 256;

/// Data events queued before a background job posting one waits.
const DATA_QUEUE: usize = 4096;

/// How long quitting waits for background work (a DNS lookup on a lossy
/// link, say) before leaving it behind.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(250);

/// Runs the TUI on the chosen envs (one, or the alarm wall of several)
/// until the user quits or a termination signal arrives.
pub fn run(choice: EnvChoice, global: GlobalArgs) -> Result<()> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let wall = wall_of(choice, &clock, |_| None).map_err(anyhow::Error::msg)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the background runtime")?;
    let changes = Changes::default();
    let result = event_loop(wall, clock, global, &runtime, &changes);
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

/// A data event, the generation of the data layers and the env (index in
/// [`Wall::apps`]) whose layer sent it: after `:env` the events still
/// queued from the old layers are dropped.
type Stamped = (u64, usize, DataEvent);

/// The sending ends, for the input thread and each data layer. Every send
/// is followed by a token on `wake`, which the loop sleeps on.
#[derive(Clone)]
struct Senders {
    data: SyncSender<Stamped>,
    wake: SyncSender<()>,
}

impl Senders {
    fn wake(&self) {
        // A full wake channel already holds a token: the loop will look.
        let _ = self.wake.try_send(());
    }
}

/// The data layer of each env on screen (by index in [`Wall::apps`]) and
/// their generation, the changes every env's layer runs (quitting waits
/// for them), and the MFA prompt the providers ask through (its dialog is
/// the first env's App's).
struct Data<'a> {
    layers: Vec<DataLayer>,
    generation: u64,
    changes: &'a Changes,
    mfa: Arc<MfaBridge>,
}

/// The loop itself; the terminal is restored when it returns, before the
/// runtime is shut down.
fn event_loop(
    mut wall: Wall,
    clock: Arc<dyn Clock>,
    global: GlobalArgs,
    runtime: &tokio::runtime::Runtime,
    changes: &Changes,
) -> Result<()> {
    let (data_tx, data_rx) = mpsc::sync_channel::<Stamped>(DATA_QUEUE);
    let (input_tx, input_rx) = mpsc::sync_channel::<Event>(INPUT_QUEUE);
    let (wake_tx, wake_rx) = mpsc::sync_channel::<()>(1);
    let senders = Senders {
        data: data_tx,
        wake: wake_tx,
    };
    let signals = TerminationFlag::register().context("installing signal handlers")?;
    let mut guard = TerminalGuard::enter().context("setting up the terminal")?;
    spawn_input_thread(input_tx, senders.wake.clone());

    let mfa = Arc::new(MfaBridge::new(ASK_TIMEOUT));
    crate::provider::mfa::install(Arc::clone(&mfa) as Arc<dyn crate::provider::mfa::MfaPrompt>);
    let mut data = Data {
        layers: start_layers(&wall, runtime, &senders, 0, changes, &mfa),
        generation: 0,
        changes,
        mfa,
    };
    let drawing = Drawing::of(&global);
    // The frame with the first alarm list is drawn the moment it arrives,
    // not when the frame cap next allows.
    let mut first_alarms_drawn = false;
    let mut dirty = true;
    let mut last_draw = Instant::now() - drawing.frame;
    let mut last_second = clock.now().as_second();
    while !signals.is_set() {
        for input in input_rx.try_iter() {
            dirty = true;
            let Event::Key(key) = input else { continue };
            #[cfg(debug_assertions)]
            panic_if_test_asks(&key);
            for (env, effect) in wall.handle_key(key) {
                match effect {
                    Effect::Quit => return Ok(()),
                    Effect::Data(command) => data.layers[env].send(command),
                    other => {
                        apply_effect(other, env, &mut wall, &mut data, &global, runtime, &senders)
                    }
                }
            }
        }
        let backlog = apply_data(&mut wall, &data_rx, data.generation, &mut dirty);
        let second = clock.now().as_second();
        if second != last_second {
            last_second = second;
            dirty = true;
        }
        let first_alarms = !first_alarms_drawn
            && wall
                .apps
                .iter()
                .any(|app| app.alarms.fetched_at().is_some());
        if dirty && (first_alarms || last_draw.elapsed() >= drawing.frame) {
            first_alarms_drawn |= first_alarms;
            let mut rows = 0;
            guard.terminal.draw(|f| {
                rows = crate::ui::wall::draw(f, &wall);
                if drawing.ascii {
                    crate::ui::ascii::fold(f.buffer_mut());
                }
            })?;
            wall.set_page_rows(rows);
            last_draw = Instant::now();
            dirty = false;
        }
        if backlog {
            continue;
        }
        let wait = if dirty {
            drawing.frame.saturating_sub(last_draw.elapsed())
        } else {
            TICK
        };
        match wake_rx.recv_timeout(wait) {
            Ok(()) | Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    Ok(())
}

/// Applies queued data events of the current generation for at most
/// [`EVENT_BUDGET`] or [`EVENT_BATCH`] events; returns whether some are
/// left for the next round.
fn apply_data(wall: &mut Wall, rx: &Receiver<Stamped>, generation: u64, dirty: &mut bool) -> bool {
    let start = Instant::now();
    for _ in 0..EVENT_BATCH {
        if start.elapsed() >= EVENT_BUDGET {
            return true;
        }
        match rx.try_recv() {
            Ok((sent_by, env, event)) if sent_by == generation => {
                if let Some(app) = wall.apps.get_mut(env) {
                    app.apply(event);
                    *dirty = true;
                }
            }
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    true
}

/// Writes `text` to the terminal's clipboard (the app's gate already let
/// it through) and says how it went in the footer.
fn copy(app: &mut App, text: &str) {
    match crate::term::clipboard::copy_to_clipboard(text) {
        Ok(n) => app.flash(format!("copied {n} bytes"), false),
        Err(e) => app.flash(e.to_string(), true),
    }
}

/// Handles an effect of env `env` other than quitting and data commands:
/// a copy, a theme switch (every env's), an env switch (new data layers,
/// a new generation, told what is on screen).
fn apply_effect(
    effect: Effect,
    env: usize,
    wall: &mut Wall,
    data: &mut Data<'_>,
    global: &GlobalArgs,
    runtime: &tokio::runtime::Runtime,
    senders: &Senders,
) {
    match effect {
        Effect::Quit => {}
        Effect::Data(command) => data.layers[env].send(command),
        Effect::Clipboard(text) => copy(&mut wall.apps[env], &text),
        Effect::CopyWidget(widget) => {
            let app = &mut wall.apps[env];
            let look = crate::ui::dashboard::palette::Look::new(&app.theme);
            match crate::ui::dashboard::text_output::widget_text(
                &widget.dashboard,
                &widget.data,
                &look,
                crate::model::dashboard::TEXT_SIZE,
                widget.widget,
            ) {
                Some(text) => copy(app, &text),
                None => app.flash("this widget is not laid out: nothing was copied", true),
            }
        }
        Effect::SwitchTheme(name) => {
            let app = &mut wall.apps[env];
            match config::theme::load_theme(&name, app.env.themes_dir.as_deref()) {
                Ok(theme) => {
                    for app in &mut wall.apps {
                        app.theme = theme.clone();
                    }
                    wall.apps[env].flash(format!("theme: {name}"), false);
                }
                Err(e) => app.flash(e.to_string(), true),
            }
        }
        Effect::SwitchEnv(name) => {
            let mut flags = global.clone();
            flags.env = Some(name.clone());
            let clock = Arc::clone(&wall.apps[env].clock);
            let resolved = config::resolve_several(&flags)
                .map_err(|e| e.to_string())
                .and_then(|choice| {
                    wall_of(choice, &clock, |(one, theme)| {
                        Some(wall.apps[env].for_env(one, theme))
                    })
                });
            match resolved {
                Ok(new_wall) => {
                    let generation = data.generation + 1;
                    data.layers = start_layers(
                        &new_wall,
                        runtime,
                        senders,
                        generation,
                        data.changes,
                        &data.mfa,
                    );
                    data.generation = generation;
                    *wall = new_wall;
                    for (app, layer) in wall.apps.iter_mut().zip(&data.layers) {
                        if let Some(Effect::Data(command)) = app.tabs.get_mut(app.tab).shown() {
                            layer.send(command);
                        }
                    }
                    wall.apps[0].flash(format!("environment: {name}"), false);
                }
                Err(message) => wall.apps[env].flash(message, true),
            }
        }
    }
}

/// The wall of the chosen envs, each with its own theme; with one env,
/// `one` may make its App (after `:env`, on the tab shown before).
fn wall_of(
    choice: EnvChoice,
    clock: &Arc<dyn Clock>,
    one: impl Fn((ResolvedEnv, config::Theme)) -> Option<App>,
) -> Result<Wall, String> {
    let mut apps = Vec::with_capacity(choice.envs.len());
    for env in choice.envs {
        let theme = config::theme::load_theme(&env.theme, env.themes_dir.as_deref())
            .map_err(|e| e.to_string())?;
        let app = if choice.several {
            None
        } else {
            one((env.clone(), theme.clone()))
        };
        apps.push(app.unwrap_or_else(|| App::new(env, theme, Arc::clone(clock))));
    }
    Ok(Wall::new(apps, choice.several))
}

/// Starts a data layer per env of `wall` and tells each what its App shows.
fn start_layers(
    wall: &Wall,
    runtime: &tokio::runtime::Runtime,
    senders: &Senders,
    generation: u64,
    changes: &Changes,
    mfa: &Arc<MfaBridge>,
) -> Vec<DataLayer> {
    wall.apps
        .iter()
        .enumerate()
        .map(|(index, app)| {
            let layer = start_data(runtime, app, senders, generation, index, changes);
            if index == 0 {
                let sink = queue_sink(senders.clone(), generation, 0);
                mfa.connect(crate::data::jobs::mapped(&sink, DataEvent::from));
            }
            for command in app.screen_commands() {
                layer.send(command);
            }
            layer.answering_mfa(Arc::clone(mfa))
        })
        .collect()
}

/// Starts the data layer of `app`'s env, the `index`-th on screen. Its
/// jobs post events stamped with `generation` and `index`; a job posting
/// into a full queue waits until the loop has made room.
fn start_data(
    runtime: &tokio::runtime::Runtime,
    app: &App,
    senders: &Senders,
    generation: u64,
    index: usize,
    changes: &Changes,
) -> DataLayer {
    let senders = senders.clone();
    DataLayer::for_env(
        runtime.handle(),
        &app.env,
        Arc::clone(&app.clock),
        queue_sink(senders, generation, index),
        changes,
    )
}

/// The sink a data layer posts into: the loop's bounded queue. When the
/// queue is full the posting job waits for room (back-pressure on a
/// flood), but through `block_in_place`, so the runtime moves its other
/// tasks (a running ack, the other jobs' timers) to another thread instead
/// of stalling behind it.
fn queue_sink(senders: Senders, generation: u64, index: usize) -> EventSink {
    Arc::new(move |e| {
        let posted = match senders.data.try_send((generation, index, e)) {
            Ok(()) => true,
            Err(TrySendError::Full(stamped)) => {
                tokio::task::block_in_place(|| senders.data.send(stamped).is_ok())
            }
            Err(TrySendError::Disconnected(_)) => false,
        };
        if posted {
            senders.wake();
        }
    })
}

/// Reads terminal events on their own thread so a slow terminal never
/// delays data events, and vice versa. Ends when the loop has gone.
fn spawn_input_thread(tx: SyncSender<Event>, wake: SyncSender<()>) {
    std::thread::spawn(move || {
        loop {
            match event::poll(TICK) {
                Ok(true) => match event::read() {
                    Ok(ev) => {
                        if tx.send(ev).is_err() {
                            return;
                        }
                        let _ = wake.try_send(());
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
/// prove the panic hook restores the terminal of the real binary. Compiled
/// only with debug assertions (the tests run the debug binary), so a
/// release build has no way to be made to panic by its environment.
#[cfg(debug_assertions)]
fn panic_if_test_asks(key: &crossterm::event::KeyEvent) {
    if key.code == crossterm::event::KeyCode::Char('!')
        && std::env::var_os("MONITUI_TEST_PANIC_KEY").is_some()
    {
        panic!("panic requested by MONITUI_TEST_PANIC_KEY");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::LinkState;
    use crate::model::{Identity, ManualClock};

    fn app() -> App {
        let now = jiff::Timestamp::UNIX_EPOCH;
        App::new(
            ResolvedEnv::demo(),
            config::theme::load_theme("default", None).unwrap(),
            Arc::new(ManualClock::new(now)),
        )
    }

    #[test]
    fn a_flood_of_data_is_applied_a_batch_at_a_time() {
        let (tx, rx) = mpsc::sync_channel::<Stamped>(DATA_QUEUE);
        let link = LinkState::Live {
            at: jiff::Timestamp::UNIX_EPOCH,
        };
        for _ in 0..EVENT_BATCH + 10 {
            tx.send((0, 0, DataEvent::Link(link.clone()))).unwrap();
        }
        let mut wall = Wall::new(vec![app()], false);
        let mut dirty = false;
        assert!(apply_data(&mut wall, &rx, 0, &mut dirty), "some are left");
        assert!(dirty);
        assert_eq!(rx.try_iter().count(), 10);
        assert!(!apply_data(&mut wall, &rx, 0, &mut dirty));
    }

    #[test]
    fn a_job_waiting_on_a_full_queue_does_not_stall_the_other_tasks() {
        // Made first so it is dropped last: a failure drops the queue's
        // receiver first, which lets a stuck worker go.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_time()
            .build()
            .unwrap();
        let (data, rx) = mpsc::sync_channel::<Stamped>(1);
        let (wake, _wake_rx) = mpsc::sync_channel::<()>(1);
        let sink = queue_sink(Senders { data, wake }, 0, 0);
        let link = || DataEvent::Link(LinkState::Connecting);
        sink(link());
        let flooding = Arc::clone(&sink);
        runtime.spawn(async move { flooding(link()) });
        std::thread::sleep(Duration::from_millis(50));
        let (done_tx, done_rx) = mpsc::channel();
        runtime.spawn(async move { done_tx.send(()).unwrap() });
        assert!(
            done_rx.recv_timeout(Duration::from_secs(5)).is_ok(),
            "another task ran while the queue was full"
        );
        assert!(rx.try_recv().is_ok(), "the queue was still full");
        assert!(
            rx.recv_timeout(Duration::from_secs(5)).is_ok(),
            "the waiting event got in once there was room"
        );
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(rx.try_iter().count(), 0, "and only once");
        runtime.shutdown_background();
    }

    #[test]
    fn fps_sets_the_shortest_time_between_frames() {
        let at = |fps| {
            Drawing::of(&GlobalArgs {
                fps,
                ..GlobalArgs::default()
            })
            .frame
        };
        assert_eq!(at(None), FRAME);
        assert_eq!(at(Some(5)), Duration::from_millis(200));
        assert_eq!(at(Some(120)), Duration::from_nanos(8_333_333));
    }

    #[test]
    fn several_envs_make_a_wall_of_one_app_each_and_one_env_keeps_its_tab() {
        let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(jiff::Timestamp::UNIX_EPOCH));
        let named = |name: &str| {
            let mut env = ResolvedEnv::demo();
            env.name = name.into();
            env
        };
        let choice = EnvChoice {
            envs: vec![named("a"), named("b")],
            several: true,
        };
        let wall = wall_of(choice, &clock, |_| panic!("one env only")).unwrap();
        assert!(wall.is_several());
        let names: Vec<&str> = wall.apps.iter().map(|a| a.env.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        let choice = EnvChoice {
            envs: vec![named("c")],
            several: false,
        };
        let mut before = app();
        before.tab = crate::app::Tab::Logs;
        let wall = wall_of(choice, &clock, |(env, theme)| {
            Some(before.for_env(env, theme))
        })
        .unwrap();
        assert!(!wall.is_several());
        assert_eq!(
            wall.apps[0].tab,
            crate::app::Tab::Logs,
            "`:env c` keeps the tab"
        );
        assert_eq!(wall.full_screen().unwrap().env.name, "c");
    }

    #[test]
    fn the_events_of_each_env_go_to_its_app() {
        let (tx, rx) = mpsc::sync_channel::<Stamped>(4);
        let identity = Identity {
            account: "222222222222".into(),
            arn: "arn:aws:iam::222222222222:user/b".into(),
            user_id: "b".into(),
        };
        tx.send((0, 1, DataEvent::Identity(identity.clone())))
            .unwrap();
        let mut wall = Wall::new(vec![app(), app()], true);
        let mut dirty = false;
        assert!(!apply_data(&mut wall, &rx, 0, &mut dirty));
        assert_eq!(wall.apps[0].identity, None);
        assert_eq!(wall.apps[1].identity, Some(identity));
    }

    #[test]
    fn events_of_an_old_env_are_dropped() {
        let (tx, rx) = mpsc::sync_channel::<Stamped>(4);
        let identity = Identity {
            account: "111111111111".into(),
            arn: "arn:aws:iam::111111111111:user/old".into(),
            user_id: "old".into(),
        };
        tx.send((0, 0, DataEvent::Identity(identity))).unwrap();
        let mut wall = Wall::new(vec![app()], false);
        let mut dirty = false;
        assert!(!apply_data(&mut wall, &rx, 1, &mut dirty));
        assert!(!dirty);
        assert_eq!(wall.apps[0].identity, None);
    }
}
