//! The tabs, one [`Component`] each.
//!
//! A new tab touches these files of the app and its drawing:
//! 1. `app/tabs/NAME.rs` (new): its state, its key tables, its own keys
//!    (declared there with `tab_keys!` as an `Action::Tab`, never as a
//!    variant of `Action`), its updates, what it copies (as
//!    `Effect::Clipboard` text or a `DataCommand`, never a new `Effect`),
//!    its requests (`DataCommand::tab(..)`) and the events it reads
//!    (`DataEvent::for_tab`), and what its job must hear when it comes on
//!    screen or leaves (`Component::on_screen`);
//! 2. `ui/tabs/NAME.rs` (new): its drawing;
//! 3. this file: a variant of [`Tab`] with its title and `:` commands, a
//!    field of [`Tabs`] and its line in `get`, `get_mut` and `all_mut`;
//! 4. `ui/tabs/mod.rs`: its line in `drawable`;
//! 5. `app/keys.rs`: the `1`-`N` tab keys ([`keys::TABS`](super::keys::TABS)).
//!
//! and, if it fetches, of the data layer: its job, `data/jobs/NAME.rs`
//! (new), and one line in `data/tab_jobs.rs`.
//!
//! No other file: `action.rs` names no tab, the `:` command line takes the
//! tab names from [`Tab::commands`], the app hands a tab's keys only to the
//! focused component, which reads only its own, and the tab's requests and
//! events cross the central enums, the refresher and the app's state as a
//! `TabMessage` only the tab and its job read (`tests/layers.rs` checks
//! both).

pub mod alarms;
pub mod cloudtrail;
pub mod dashboards;
pub mod logs;
pub mod metrics;
pub mod overview;

use super::component::Component;
use alarms::AlarmsTab;
use cloudtrail::TrailTab;
use dashboards::DashboardsTab;
use logs::LogsTab;
use metrics::MetricsTab;
use overview::OverviewTab;

/// The six tabs, in key order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Live sparkline wall.
    Overview,
    /// Alarm table.
    Alarms,
    /// Dashboard renderer.
    Dashboards,
    /// Log tail and search.
    Logs,
    /// CloudTrail search.
    CloudTrail,
    /// Metrics explorer.
    Metrics,
}

impl Tab {
    /// All tabs in order (key `1` is the first).
    pub const ALL: [Tab; 6] = [
        Tab::Overview,
        Tab::Alarms,
        Tab::Dashboards,
        Tab::Logs,
        Tab::CloudTrail,
        Tab::Metrics,
    ];

    /// Tab title.
    pub fn title(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Alarms => "Alarms",
            Tab::Dashboards => "Dashboards",
            Tab::Logs => "Logs",
            Tab::CloudTrail => "CloudTrail",
            Tab::Metrics => "Metrics",
        }
    }

    /// The `:` commands that go to it, its name first (`:trail`, `:t`).
    pub fn commands(self) -> &'static [&'static str] {
        match self {
            Tab::Overview => &["overview", "o"],
            Tab::Alarms => &["alarms", "a"],
            Tab::Dashboards => &["dashboards", "d"],
            Tab::Logs => &["logs", "l"],
            Tab::CloudTrail => &["trail", "cloudtrail", "t"],
            Tab::Metrics => &["metrics", "m"],
        }
    }

    /// Position in [`Tab::ALL`].
    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    /// The tab `delta` places on, wrapping around.
    pub fn step(self, delta: isize) -> Tab {
        let n = Tab::ALL.len() as isize;
        Tab::ALL[(self.index() as isize + delta).rem_euclid(n) as usize]
    }
}

/// Every tab's component; each keeps its state while another is shown.
#[derive(Debug, Default)]
pub struct Tabs {
    /// Tab 1.
    pub overview: OverviewTab,
    /// Tab 2.
    pub alarms: AlarmsTab,
    /// Tab 3.
    pub dashboards: DashboardsTab,
    /// Tab 4: log groups, the tail, and the Logs Insights query view.
    pub logs: LogsTab,
    /// Tab 5.
    pub cloudtrail: TrailTab,
    /// Tab 6: the metrics explorer.
    pub metrics: MetricsTab,
}

impl Tabs {
    /// The tabs of `env` (its saved queries in the Logs tab, its region
    /// in the Metrics tab's widgets, its prefix left out of CloudTrail
    /// resource names).
    pub fn for_env(env: &crate::config::ResolvedEnv) -> Self {
        Self {
            logs: LogsTab::for_env(env),
            metrics: MetricsTab::for_env(env),
            cloudtrail: TrailTab::for_env(env),
            ..Self::default()
        }
    }

    /// The component of `tab`.
    pub fn get(&self, tab: Tab) -> &dyn Component {
        match tab {
            Tab::Overview => &self.overview,
            Tab::Alarms => &self.alarms,
            Tab::Dashboards => &self.dashboards,
            Tab::Logs => &self.logs,
            Tab::CloudTrail => &self.cloudtrail,
            Tab::Metrics => &self.metrics,
        }
    }

    /// The component of `tab`, to update it.
    pub fn get_mut(&mut self, tab: Tab) -> &mut dyn Component {
        match tab {
            Tab::Overview => &mut self.overview,
            Tab::Alarms => &mut self.alarms,
            Tab::Dashboards => &mut self.dashboards,
            Tab::Logs => &mut self.logs,
            Tab::CloudTrail => &mut self.cloudtrail,
            Tab::Metrics => &mut self.metrics,
        }
    }

    /// Every tab's component, to hand each a data event.
    pub fn all_mut(&mut self) -> [&mut dyn Component; 6] {
        [
            &mut self.overview,
            &mut self.alarms,
            &mut self.dashboards,
            &mut self.logs,
            &mut self.cloudtrail,
            &mut self.metrics,
        ]
    }
}
