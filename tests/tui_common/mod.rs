//! Shared by the TUI snapshot tests: the demo account at a fixed seed and a
//! pinned clock, an [`App`] fed with its answers, and rendering to text.
//! Each test crate uses a different part of it.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::{SignedDuration, Timestamp};
use monitui::app::{App, Effect};
use monitui::config::{ResolvedEnv, theme::load_theme};
use monitui::data::dashboard_job::DashboardEvent;
use monitui::data::trail_job::TrailUpdate;
use monitui::data::trail_search::{LiveOptions, LiveTrailSearch};
use monitui::data::{AlarmDetail, DataEvent, LinkState};
use monitui::data::{DataCommand, TrailRequest, TrailStatus};
use monitui::model::anomaly::Band;
use monitui::model::{Clock, ManualClock, MetricQuery, Series, TimeRange};
use monitui::provider::{prelude::*, sim::SimProvider};
use ratatui::{Terminal, backend::TestBackend};

/// The demo account comes up at this moment: its opening incident (a
/// Lambda error burst) has the Lambda, API 5xx and composite alarms in ALARM.
pub const PINNED_NOW: &str = "2026-01-16T14:43:30Z";

/// The demo account and an app that has seen its first answers.
pub struct Demo {
    /// The UI state under test.
    pub app: App,
    /// The account behind it (for details and series).
    pub sim: SimProvider,
    /// The pinned clock both share.
    pub now: Timestamp,
    rt: tokio::runtime::Runtime,
}

/// Presses keys in order on `app`; returns every effect they produced.
pub fn press(app: &mut App, codes: &[KeyCode]) -> Vec<Effect> {
    codes
        .iter()
        .flat_map(|code| app.handle_key(KeyEvent::new(*code, KeyModifiers::NONE)))
        .collect()
}

/// The keys that type `text`.
pub fn typed(text: &str) -> Vec<KeyCode> {
    text.chars().map(KeyCode::Char).collect()
}

/// The demo env at the pinned clock; `tune` may change the env first
/// (read-only, confirm_mutations).
pub fn demo_with(tune: impl FnOnce(&mut ResolvedEnv)) -> Demo {
    let now: Timestamp = PINNED_NOW.parse().unwrap();
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(now));
    let mut env = ResolvedEnv::demo();
    tune(&mut env);
    let sim = SimProvider::new(env.seed, Arc::clone(&clock), &env.prefix);
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let (identity, mut alarms) = rt.block_on(async {
        (
            sim.caller_identity().await.unwrap(),
            sim.list_alarms().await.unwrap(),
        )
    });
    monitui::model::alarm::sort_for_oncall(&mut alarms);
    let theme = load_theme("default", None).unwrap();
    let mut app = App::new(env, theme, clock);
    app.apply(DataEvent::Identity(identity));
    app.apply(DataEvent::Alarms {
        alarms: Arc::new(alarms),
        fetched_at: now,
    });
    app.apply(DataEvent::Link(LinkState::Live { at: now }));
    Demo { app, sim, now, rt }
}

/// The plain demo env at the pinned clock.
pub fn demo() -> Demo {
    demo_with(|_| {})
}

impl Demo {
    /// The window of `range` ending now.
    pub fn range(&self, range: Duration) -> TimeRange {
        TimeRange {
            start: self.now - SignedDuration::try_from(range).unwrap(),
            end: self.now,
        }
    }

    /// An alarm's metric over `range` at the alarm's period and statistic,
    /// with the series id set to `id`.
    pub fn alarm_series(&self, alarm: &str, id: &str, range: Duration) -> Option<Series> {
        let spec = self.app.alarms.find(alarm)?.metric_spec()?.clone();
        let query = MetricQuery::metric("m0", spec.metric?, &spec.stat, spec.period_secs);
        let mut series = self
            .rt
            .block_on(self.sim.metric_data(&[query], self.range(range)))
            .unwrap();
        let mut series = series.remove(0);
        series.id = id.to_string();
        Some(series)
    }

    /// An anomaly-detection alarm's band over the last `range`, from the
    /// demo account's answer to the alarm's own queries; `None` for other
    /// alarms.
    pub fn alarm_band(&self, alarm: &str, range: Duration) -> Option<Band> {
        let spec = self.app.alarms.find(alarm)?.metric_spec()?.clone();
        let band_id = spec.threshold_metric_id.as_ref()?;
        let answered = self
            .rt
            .block_on(self.sim.metric_data(&spec.queries, self.range(range)))
            .unwrap();
        Band::from_series(band_id, &answered)
    }

    /// The Detail event the data layer would send for `alarm`.
    pub fn detail_event(&self, alarm: &str, range: Duration) -> DataEvent {
        let history = self
            .rt
            .block_on(self.sim.alarm_history(alarm, self.range(range), 100))
            .unwrap();
        DataEvent::Detail(Box::new(AlarmDetail {
            alarm: alarm.to_string(),
            range: self.range(range),
            series: self.alarm_series(alarm, "m0", range),
            band: self.alarm_band(alarm, range),
            history,
            error: None,
            explanation: None,
        }))
    }

    /// The Slos event the data layer would send: the env's targets from
    /// the demo account at the pinned clock.
    pub fn slos_event(&self) -> DataEvent {
        let slos = monitui::data::slo::targets_of(&self.app.env).unwrap();
        let statuses = self
            .rt
            .block_on(monitui::data::slo::statuses(&self.sim, &slos, self.now))
            .unwrap();
        DataEvent::Slos(Arc::new(statuses))
    }

    /// The Overview event: every metric alarm's metric over the Overview span.
    pub fn overview_event(&self) -> DataEvent {
        let names: Vec<String> = self
            .app
            .tabs
            .alarms
            .visible()
            .map(|a| a.name.clone())
            .collect();
        let series = names
            .iter()
            .filter_map(|n| self.alarm_series(n, n, monitui::data::overview::OVERVIEW_SPAN))
            .collect();
        DataEvent::Overview(Arc::new(series))
    }

    /// The reads of a demo account like this one (same seed, prefix and
    /// clock), for code that takes a provider's reads.
    pub fn reads(&self) -> monitui::provider::Reads {
        let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(self.now));
        let env = &self.app.env;
        let sim = Arc::new(SimProvider::new(env.seed, clock, &env.prefix));
        monitui::provider::Account::of(sim).reads
    }

    /// The flapping counts the data layer would send: the demo's state
    /// changes of the last day, read as its history job reads them.
    pub fn flaps_event(&self) -> DataEvent {
        let mut history = monitui::data::history::StateHistory::default();
        self.rt
            .block_on(history.refresh(&self.sim, self.now))
            .unwrap();
        DataEvent::Flaps(Arc::new(history.flap_counts(self.now)))
    }

    /// The Handoff event the data layer would send for the last `hours`.
    pub fn handoff_event(&self, hours: i64) -> DataEvent {
        use monitui::data::incident::{Relations, Sources};
        let mut sources = Sources::new(self.reads(), None, Relations::of(&self.app.env));
        sources.trail = Arc::new(monitui::data::trail_search::LiveTrailSearch::new(
            Arc::clone(&sources.reads.trail),
            monitui::data::trail_search::LiveOptions {
                interval: Duration::ZERO,
                ..Default::default()
            },
        ));
        let window = TimeRange {
            start: self.now - jiff::SignedDuration::from_hours(hours),
            end: self.now,
        };
        let handoff = self
            .rt
            .block_on(monitui::data::handoff::gather(
                &sources, "demo", window, self.now,
            ))
            .unwrap();
        DataEvent::Handoff(Ok(Arc::new(handoff)))
    }

    /// The Incident events the data layer would send for `alarm`'s
    /// timeline over its current or latest episode.
    pub fn incident_events(&self, alarm: &str) -> Vec<DataEvent> {
        use monitui::data::incident::{IncidentRequest, Relations, Sources, gather};
        let sources = Sources::new(self.reads(), None, Relations::of(&self.app.env));
        let request = IncidentRequest {
            alarm: alarm.to_string(),
            window: None,
            groups: None,
            errors: monitui::model::incident::DEFAULT_ERROR_PATTERN.into(),
        };
        let events = std::sync::Mutex::new(Vec::new());
        tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(gather(&sources, &request, self.now, &|piece| {
                events.lock().unwrap().push(DataEvent::Incident {
                    alarm: alarm.to_string(),
                    piece: Box::new(piece),
                })
            }))
            .unwrap();
        events.into_inner().unwrap()
    }

    /// Opens the incident timeline of `alarm` (`i` on it in the Alarms
    /// list) and hands the view every piece the data layer would send.
    pub fn open_incident(&mut self, alarm: &str) {
        self.app.update(monitui::app::Action::GoTab(2));
        self.select(alarm);
        let effects = self.app.update(monitui::app::Action::Incident);
        assert!(
            effects.iter().any(
                |e| matches!(e, Effect::Data(DataCommand::LoadIncident(r)) if r.alarm == alarm)
            ),
            "{effects:?}"
        );
        for event in self.incident_events(alarm) {
            self.app.apply(event);
        }
    }

    /// Goes to the Dashboards tab and hands it the account's list.
    pub fn dashboards_listed(&mut self) {
        use monitui::data::dashboard_job::DashboardCommand;
        let effects = self.app.update(monitui::app::Action::GoTab(3));
        assert!(
            effects.contains(&Effect::Data(DataCommand::tab(DashboardCommand::Visible(
                true
            ))))
        );
        let mut list = self.rt.block_on(self.sim.list_dashboards()).unwrap();
        list.sort_by(|a, b| a.name.cmp(&b.name));
        self.app
            .apply(DataEvent::tab(DashboardEvent::List(Ok(Arc::new(list)))));
    }

    /// Opens the dashboard `name` from the list and hands the tab the frame
    /// its job would post (the data layer's store over the demo account).
    pub fn open_dashboard(&mut self, name: &str) {
        use monitui::app::Action;
        use monitui::data::dashboard_data::{DashboardStore, log_results};
        use monitui::data::dashboard_job::{DashboardCommand, DashboardFrame};
        use monitui::model::dashboard::{Dashboard, RangeChoice};
        self.dashboards_listed();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        self.app.update(Action::StartFilter);
        for c in name.trim_start_matches("ecommerce-ai-platform-").chars() {
            self.app.update(Action::Input(c));
        }
        self.app.update(Action::Submit);
        let effects = self.app.update(Action::Open);
        assert!(
            matches!(&effects[..], [e] if matches!(tab_request(e), Some(DashboardCommand::Open { name: n, .. }) if n == name)),
            "{effects:?}"
        );
        let body = rt.block_on(self.sim.dashboard_body(name)).unwrap();
        let dashboard = Arc::new(Dashboard::parse(&body).unwrap());
        let mut store = DashboardStore::new(Arc::clone(&dashboard), RangeChoice::Body);
        rt.block_on(store.refresh(&self.sim, self.now, false))
            .unwrap();
        let mut data = store.data(self.now);
        data.logs = rt.block_on(log_results(&dashboard, &self.reads(), data.range));
        self.app
            .apply(DataEvent::tab(DashboardEvent::Frame(Arc::new(
                DashboardFrame {
                    name: name.into(),
                    dashboard: Ok(dashboard),
                    data: Arc::new(data),
                    fetched_at: Some(self.now),
                    error: None,
                },
            ))));
    }

    /// Selects the alarm called `name` in the Alarms list.
    pub fn select(&mut self, name: &str) {
        let pos = self
            .app
            .tabs
            .alarms
            .visible()
            .position(|a| a.name == name)
            .unwrap_or_else(|| panic!("no alarm called {name}"));
        self.app.tabs.alarms.move_by(isize::MIN / 2);
        self.app.tabs.alarms.move_by(pos as isize);
    }

    /// Does what the data layer does with the CloudTrail searches among
    /// `effects`: runs each on the demo account (unpaced) and hands the
    /// app its answer. Returns how many searches there were.
    pub fn run_trail_searches(&mut self, effects: Vec<Effect>) -> usize {
        let requests: Vec<TrailRequest> = effects
            .into_iter()
            .filter_map(|e| tab_request(&e))
            .collect();
        let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(self.now));
        let env = &self.app.env;
        let sim: Arc<dyn TrailRead> = Arc::new(SimProvider::new(env.seed, clock, &env.prefix));
        let options = LiveOptions {
            interval: Duration::ZERO,
            ..monitui::data::trail_job::tab_options()
        };
        let searcher = LiveTrailSearch::new(sim, options);
        for request in &requests {
            let criteria = request.criteria_at(self.now).unwrap();
            let found = self.rt.block_on(searcher.search(&criteria)).unwrap();
            self.app.apply(DataEvent::tab(TrailUpdate {
                id: request.id,
                status: TrailStatus::Done(Arc::new(found)),
            }));
        }
        requests.len()
    }

    /// Asks the CloudTrail tab to search again (`r`) without answering:
    /// the request's id, for the test to answer as it likes.
    pub fn ask_trail_search(&mut self) -> u64 {
        let effect = self.app.update(monitui::app::Action::Refresh).remove(0);
        match tab_request::<TrailRequest>(&effect) {
            Some(request) => request.id,
            None => panic!("r on the CloudTrail tab searches: {effect:?}"),
        }
    }

    /// Presses `keys` (as a terminal sends them) and runs the searches
    /// they start.
    pub fn press(&mut self, keys: &[KeyCode]) {
        for key in keys {
            let effects = self.app.handle_key(KeyEvent::new(*key, KeyModifiers::NONE));
            self.run_trail_searches(effects);
        }
    }

    /// Draws the app into a `width` x `height` test terminal.
    pub fn render(&mut self, width: u16, height: u16) -> String {
        render(&mut self.app, width, height)
    }
}

/// Draws an app into a `width` x `height` test terminal, as text.
/// What the help, or the footer of the open line or dialog, says Esc does
/// on the screen `app` shows; `None` when it lists no Esc.
pub fn esc_says(app: &App) -> Option<&'static str> {
    let esc = |keys: &str| keys.split(", ").any(|k| k == "Esc");
    match app.input_keys() {
        Some(keys) => keys.iter().find(|h| esc(h.keys)).map(|h| h.what),
        None => app.help_keys().find(|h| esc(h.keys)).map(|h| h.what),
    }
}

pub fn render(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut rows = 0;
    terminal.draw(|f| rows = monitui::ui::draw(f, app)).unwrap();
    app.page_rows = rows;
    terminal.backend().to_string()
}

/// The request of type `C` that `effect` sends a tab's job, if it is one.
pub fn tab_request<C: std::any::Any + Clone>(effect: &Effect) -> Option<C> {
    match effect {
        Effect::Data(command) => command.for_tab::<C>().cloned(),
        _ => None,
    }
}
