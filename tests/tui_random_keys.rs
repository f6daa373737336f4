//! No key sequence crashes the console. The app state, fed by the real
//! data layer on the demo account, takes a long seeded stream of random
//! keys and gestures (`support::random_keys`) through every screen, and is
//! drawn to a `TestBackend` of a changing size (down to 1x1, in UTF-8 and
//! folded to ASCII) after each key. Any panic, in the loop or in a
//! background job, fails the test with the seed and the keys before it.
//!
//! `MONITUI_RANDOM_KEYS=N` presses N keys per seed instead of the default;
//! `MONITUI_RANDOM_SEED=S` runs only seed S (to replay a failure).

mod support;

use std::collections::{BTreeSet, VecDeque};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use crossterm::event::KeyCode;
use jiff::{SignedDuration, Timestamp};
use monitui::app::tabs::logs::LogsKey;
use monitui::app::{Action, App, Effect};
use monitui::config::{ResolvedEnv, theme::load_theme};
use monitui::data::logs_job::LogsEvent;
use monitui::data::{AuditLog, Changes, DataEvent, DataLayer, JobConfig, RefreshPolicy};
use monitui::model::{Clock, LogEvent, ManualClock};
use ratatui::{Terminal, backend::TestBackend};
use support::random_keys::{KeyStream, Press, Step};

/// Keys per seed by default: enough to reach every screen many times,
/// few enough for a debug build on two busy cores.
const KEYS: usize = 4000;

/// Seeds run by default.
const SEEDS: [u64; 3] = [24, 1_000_003, 0x5eed_cafe];

/// Simulated time that passes per key.
const TICK: SignedDuration = SignedDuration::from_millis(250);

/// Panics of the data layer's jobs (on the runtime's worker threads; the
/// keys' own thread is watched with `catch_unwind`) since the hook was
/// installed.
static PANICS: AtomicUsize = AtomicUsize::new(0);

fn count_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() == Some(WORKER) {
                PANICS.fetch_add(1, Ordering::SeqCst);
            }
            previous(info);
        }));
    });
}

/// The name of the runtime's worker threads.
const WORKER: &str = "monitui-test-data-layer";

/// Files the keys may save (`S` in the tail) land in a temporary folder.
fn work_in_a_temporary_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::env::set_current_dir(dir.path()).unwrap();
    dir
}

/// The app and the data layer behind it, on the demo account.
struct Console {
    app: App,
    clock: Arc<ManualClock>,
    layer: DataLayer,
    events: mpsc::Receiver<DataEvent>,
    terminal: Terminal<TestBackend>,
    ascii: bool,
    _runtime: tokio::runtime::Runtime,
    _audit: tempfile::TempDir,
}

impl Console {
    fn new(now: Timestamp) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name(WORKER)
            .enable_all()
            .build()
            .unwrap();
        let clock = Arc::new(ManualClock::new(now));
        let shared: Arc<dyn Clock> = clock.clone();
        let env = ResolvedEnv::demo();
        let audit = tempfile::tempdir().unwrap();
        let config = JobConfig {
            env: env.clone(),
            policy: RefreshPolicy::every(Duration::from_secs(2)),
            audit: AuditLog::at(audit.path().join("audit.jsonl")),
        };
        let (for_connect, connect_clock) = (env.clone(), Arc::clone(&shared));
        let connect: monitui::data::Connector = Arc::new(move || {
            monitui::data::connect(for_connect.clone(), Arc::clone(&connect_clock))
        });
        let (tx, events) = mpsc::sync_channel(65536);
        let tx = Mutex::new(tx);
        let sink: monitui::data::EventSink = Arc::new(move |e| {
            let _ = tx.lock().unwrap().try_send(e);
        });
        let layer = DataLayer::start_with(
            runtime.handle(),
            config,
            connect,
            Arc::clone(&shared),
            sink,
            &Changes::default(),
        );
        let app = App::new(env, load_theme("default", None).unwrap(), shared);
        for command in app.screen_commands() {
            layer.send(command);
        }
        Self {
            app,
            clock,
            layer,
            events,
            terminal: Terminal::new(TestBackend::new(120, 35)).unwrap(),
            ascii: false,
            _runtime: runtime,
            _audit: audit,
        }
    }

    /// Applies the data events that have arrived, waiting up to `wait`
    /// for the first.
    fn take_events(&mut self, wait: Duration) {
        if let Ok(event) = self.events.recv_timeout(wait) {
            self.app.apply(event);
        }
        while let Ok(event) = self.events.try_recv() {
            self.app.apply(event);
        }
    }

    fn press(&mut self, key: crossterm::event::KeyEvent) {
        self.clock.advance(TICK);
        for effect in self.app.handle_key(key) {
            if let Effect::Data(command) = effect {
                self.layer.send(command);
            }
        }
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        self.terminal = Terminal::new(TestBackend::new(cols, rows)).unwrap();
        self.ascii = !self.ascii;
    }

    fn draw(&mut self) {
        let (app, ascii) = (&self.app, self.ascii);
        let mut rows = 0;
        self.terminal
            .draw(|f| {
                rows = monitui::ui::draw(f, app);
                if ascii {
                    monitui::ui::ascii::fold(f.buffer_mut());
                }
            })
            .unwrap();
        self.app.page_rows = rows;
    }
}

/// Which screen the keys are on, as a name.
fn screen(app: &App) -> String {
    use monitui::app::tabs::Tab;
    use monitui::app::tabs::logs::LogsView;
    if app.overlays.incident().is_some() {
        return "incident".into();
    }
    if app.overlays.detail().is_some() {
        return "detail".into();
    }
    let tabs = &app.tabs;
    match app.tab {
        Tab::Dashboards if tabs.dashboards.open().is_some() => "dashboard".into(),
        Tab::Logs => match tabs.logs.view {
            LogsView::Insights => format!("insights {:?}", tabs.logs.insights.focus),
            view => format!("logs {view:?}"),
        },
        Tab::CloudTrail => format!("cloudtrail {:?}", tabs.cloudtrail.focus()),
        tab => tab.title().to_string(),
    }
}

/// Screens the tour must reach, or the test does not drive what it
/// claims.
const EVERY_SCREEN: [&str; 13] = [
    "Overview",
    "Alarms",
    "detail",
    "incident",
    "Dashboards",
    "dashboard",
    "logs Groups",
    "logs Tail",
    "insights Query",
    "insights Results",
    "cloudtrail Results",
    "cloudtrail Form",
    "cloudtrail Detail",
];

fn keys_per_seed() -> usize {
    std::env::var("MONITUI_RANDOM_KEYS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(KEYS)
}

fn seeds() -> Vec<u64> {
    match std::env::var("MONITUI_RANDOM_SEED") {
        Ok(seed) => vec![seed.parse().expect("MONITUI_RANDOM_SEED is a number")],
        Err(_) => SEEDS.to_vec(),
    }
}

/// Longest the tour waits for the data of a screen.
const PATIENCE: Duration = Duration::from_secs(30);

impl Console {
    /// Types `keys` (`\r` Enter, `\x1b` Esc) and draws after each.
    fn type_keys(&mut self, keys: &str) {
        for c in keys.chars() {
            let press = match c {
                '\r' => Press::Code(KeyCode::Enter),
                '\x1b' => Press::Code(KeyCode::Esc),
                c => Press::Char(c),
            };
            self.press(press.event());
            self.take_events(Duration::ZERO);
            self.draw();
        }
    }

    /// Takes data events and draws until `ready` holds; panics after
    /// [`PATIENCE`] naming `what` it waited for.
    fn wait_for(&mut self, what: &str, ready: impl Fn(&App) -> bool) {
        let deadline = std::time::Instant::now() + PATIENCE;
        while !ready(&self.app) {
            assert!(
                std::time::Instant::now() < deadline,
                "the tour waited in vain for {what}"
            );
            self.take_events(Duration::from_millis(50));
            self.draw();
        }
    }

    /// Visits every screen once with its data loaded (so the random keys
    /// start from screens that have something on them), the crash of
    /// issue 24 on the way; returns the screens visited.
    fn tour(&mut self) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut step = |console: &mut Console, keys: &str| {
            console.type_keys(keys);
            seen.insert(screen(&console.app));
        };
        self.wait_for("the alarms", |app| app.alarms.fetched_at().is_some());
        step(self, "1");
        self.wait_for("the sparklines", |app| !app.tabs.overview.rows().is_empty());
        step(self, "2");
        step(self, "\r");
        step(self, "i");
        self.wait_for("a timeline", |app| {
            app.overlays
                .incident()
                .as_ref()
                .is_some_and(|v| !v.entries.is_empty())
        });
        step(self, "\x1b\x1b3");
        self.wait_for("the dashboards", |app| app.tabs.dashboards.total() > 0);
        step(self, "\r");
        self.wait_for("a dashboard", |app| {
            app.tabs
                .dashboards
                .open()
                .is_some_and(|d| d.frame.is_some())
        });
        step(self, "z\x1b\x1b4");
        self.wait_for("the log groups", |app| {
            app.tabs.logs.browser.visible_len() > 0
        });
        step(self, "jjj\r");
        self.wait_for("tail lines", |app| !app.tabs.logs.tail.buffer().is_empty());
        step(self, "@25m\rFzzz-no-line-matches\r");
        step(self, "\x1bie");
        step(self, "\x1b\x1b\x1b5\r");
        self.wait_for("CloudTrail events", |app| {
            app.tabs
                .cloudtrail
                .found()
                .is_some_and(|f| !f.records.is_empty())
        });
        step(self, "\r");
        step(self, "\x1be");
        step(self, "\x1b");
        seen
    }
}

/// Runs the tour, then `keys` steps of `seed`'s stream; a panic names the
/// step and the keys before it. Returns the screens the keys went through.
fn drive(seed: u64, keys: usize) -> BTreeSet<String> {
    let mut console = Console::new(Timestamp::now());
    let mut screens = console.tour();
    let mut recent: VecDeque<Step> = VecDeque::new();
    for (n, step) in KeyStream::new(seed, true).take(keys).enumerate() {
        recent.push_back(step);
        if recent.len() > 40 {
            recent.pop_front();
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            match step {
                Step::Key(press) => console.press(press.event()),
                Step::Resize(cols, rows) => console.resize(cols, rows),
            }
            let wait = if n % 64 == 0 {
                Duration::from_millis(20)
            } else {
                Duration::ZERO
            };
            console.take_events(wait);
            console.draw();
            screens.insert(screen(&console.app));
        }));
        if let Err(panic) = outcome {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!(
                "seed {seed}, step {n}: panicked with {message:?}; the steps before: {recent:?}"
            );
        }
    }
    screens
}

#[test]
fn random_keys_on_every_screen_never_panic() {
    count_panics();
    let _dir = work_in_a_temporary_folder();
    let before = PANICS.load(Ordering::SeqCst);
    for seed in seeds() {
        let screens = drive(seed, keys_per_seed());
        for name in EVERY_SCREEN {
            assert!(
                screens.contains(name),
                "seed {seed}: the keys never reached {name}: {screens:?}"
            );
        }
    }
    assert_eq!(
        PANICS.load(Ordering::SeqCst),
        before,
        "a background job panicked (see its message above)"
    );
}

fn line(at: Timestamp, n: usize) -> LogEvent {
    LogEvent {
        group: "/aws/lambda/ecommerce-ai-platform-analytics-service".into(),
        stream: "2026/01/16/[$LATEST]abc".into(),
        timestamp: at,
        event_id: Some(n.to_string()),
        message: format!("START RequestId: {n} Version: $LATEST"),
    }
}

/// The crash of issue 24 as a person met it: tail a Lambda group, `@` a
/// time 25 minutes ago, then `F` a pattern no line matches, and draw.
#[test]
fn a_jump_then_a_pattern_no_line_matches_draws_an_empty_tail() {
    // The `@` prompt reads durations against the wall clock.
    let now = Timestamp::now();
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(now));
    let mut app = App::new(
        ResolvedEnv::demo(),
        load_theme("default", None).unwrap(),
        clock,
    );
    app.update(Action::GoTab(4));
    app.apply(DataEvent::tab(LogsEvent::Groups(Ok(Arc::new(vec![
        monitui::model::LogGroup {
            name: "/aws/lambda/ecommerce-ai-platform-analytics-service".into(),
            retention_days: None,
            stored_bytes: None,
            kms_key_id: None,
            created_at: None,
            last_event_at: None,
        },
    ])))));
    app.update(Action::Open);
    let lines: Vec<LogEvent> = (0..50)
        .map(|n| line(now - SignedDuration::from_secs(1800 - 36 * n as i64), n))
        .collect();
    app.apply(DataEvent::tab(LogsEvent::Lines {
        tail: 1,
        events: Arc::new(lines),
        sampled: false,
        behind: None,
    }));
    app.update(Action::Logs(LogsKey::Jump));
    for c in "25m".chars() {
        app.update(Action::Input(c));
    }
    app.update(Action::Submit);
    app.update(Action::Logs(LogsKey::Pattern));
    for c in "zzz".chars() {
        app.update(Action::Input(c));
    }
    let mut terminal = Terminal::new(TestBackend::new(120, 35)).unwrap();
    terminal.draw(|f| _ = monitui::ui::draw(f, &app)).unwrap();
    let screen = terminal.backend().to_string();
    assert!(
        screen.contains("no line passes the filter pattern"),
        "{screen}"
    );
    assert!(
        screen.contains("paused"),
        "the jump paused the tail: {screen}"
    );
    let mut narrow = Terminal::new(TestBackend::new(80, 24)).unwrap();
    narrow.draw(|f| _ = monitui::ui::draw(f, &app)).unwrap();
    let screen = narrow.backend().to_string();
    assert!(
        screen.contains("Tail analytics-service"),
        "at 80x24 the tail names its one group: {screen}"
    );
}
