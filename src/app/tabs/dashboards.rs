//! The Dashboards tab: the account's dashboards (filterable with `/`),
//! and one open dashboard with a focused widget that `j`/`k` move through
//! in reading order, `Enter`/`z` zoom to the full screen, `[`/`]` change
//! the range over the presets (`:range` sets any), and `i` cycles the
//! auto-refresh interval, `v` picks the next value of the selected
//! dashboard variable (`V` selects another variable), which parses the
//! body again with it and re-queries. Alarm widgets take their alarms from the app's
//! alarm list, so they change as soon as it does. Every choice goes to the
//! data layer's dashboard job as a [`DashboardCommand`].

use std::sync::Arc;

use crate::app::action::{Action, Effect, WidgetCopy};
use crate::app::alarm_list::AlarmList;
use crate::app::component::{
    Component, Context, Key, KeyHelp, Reply, Selection, key_help, moved, movement, tab_actions,
};
use crate::app::keys;
use crate::data::dashboard_job::{DashboardCommand, DashboardEvent, DashboardFrame, DashboardView};
use crate::data::{DataCommand, DataEvent};
use crate::model::DashboardSummary;
use crate::model::dashboard::{AUTO_REFRESH, Dashboard, DashboardData, RangeChoice};
use crate::sanitize::sanitize_line;

use Key::Plain;
use crossterm::event::KeyCode::Char;

tab_actions! {
    /// The next auto-refresh interval of the open dashboard (`i`).
    CycleAutoRefresh;
    /// The next value of the open dashboard's selected variable (`v`).
    NextVariableValue;
    /// Select the open dashboard's next variable (`V`).
    NextVariable;
}

/// `i` on an open dashboard: the next auto-refresh interval.
static INTERVAL: KeyHelp = key_help! {
    "i", "interval", "auto-refresh: off, 10s, 1m, 5m, 15m",
    [Plain(Char('i')) => Action::CycleAutoRefresh]
};

/// `v`/`V` on an open dashboard: its variables.
static VARIABLES: KeyHelp = key_help! {
    "v V", "variable", "next value of the selected dashboard variable / select the next variable",
    [Plain(Char('v')) => Action::NextVariableValue, Plain(Char('V')) => Action::NextVariable]
};

static LIST_KEYMAP: &[&KeyHelp] = &[
    &keys::MOVE,
    &keys::ENDS,
    &keys::PAGE,
    &keys::OPEN_DASHBOARD,
    &keys::FILTER_DASHBOARDS,
    &keys::CLEAR_FILTER,
];

static LIST_FOOTER: &[&KeyHelp] = &[
    &keys::MOVE,
    &keys::OPEN_DASHBOARD,
    &keys::FILTER_DASHBOARDS,
    &keys::REFRESH,
    &keys::TABS,
    &keys::HELP,
    &keys::QUIT,
];

static VIEW_KEYMAP: &[&KeyHelp] = &[
    &keys::WIDGETS,
    &keys::WIDGET_ENDS,
    &keys::ZOOM,
    &keys::RANGE,
    &INTERVAL,
    &VARIABLES,
    &keys::BACK_TO_DASHBOARDS,
];

static VIEW_FOOTER: &[&KeyHelp] = &[
    &keys::WIDGETS,
    &keys::ZOOM,
    &keys::RANGE,
    &INTERVAL,
    &keys::REFRESH,
    &keys::BACK_TO_DASHBOARDS,
    &keys::HELP,
];

/// The open dashboard as the tab shows it.
#[derive(Debug, Clone)]
pub struct OpenDashboard {
    /// Its name.
    pub name: String,
    /// The job's latest frame (`None` until the body is read).
    pub frame: Option<Arc<DashboardFrame>>,
    /// The frame's data with the app's alarms filled in.
    pub data: Option<Arc<DashboardData>>,
    /// Widget indices in reading order (the order focus moves in).
    pub order: Vec<usize>,
    /// Position of the focused widget in `order`.
    pub focus: usize,
    /// Whether the focused widget fills the screen.
    pub zoomed: bool,
}

impl OpenDashboard {
    /// The parsed body, once read.
    pub fn dashboard(&self) -> Option<&Arc<Dashboard>> {
        self.frame.as_ref().and_then(|f| f.dashboard.as_ref().ok())
    }

    /// Index (in the body) of the focused widget.
    pub fn focused_widget(&self) -> Option<usize> {
        self.order.get(self.focus).copied()
    }
}

/// The Dashboards tab's state.
#[derive(Debug, Default)]
pub struct DashboardsTab {
    list: Arc<Vec<DashboardSummary>>,
    list_error: Option<String>,
    listed: bool,
    /// Indices into `list` passing the filter.
    visible: Vec<usize>,
    filter: String,
    /// The selected row and its dashboard's name.
    selection: Selection<String>,
    /// Range and auto-refresh, kept from one dashboard to the next.
    view: DashboardView,
    /// Which of the open dashboard's variables `v` changes.
    variable: usize,
    open: Option<OpenDashboard>,
    alarms: Arc<AlarmList>,
}

impl DashboardsTab {
    /// Whether the list has been answered (successfully or not).
    pub fn listed(&self) -> bool {
        self.listed
    }

    /// Why the list could not be read, if it could not.
    pub fn list_error(&self) -> Option<&str> {
        self.list_error.as_deref()
    }

    /// The dashboards passing the filter, in name order.
    pub fn visible(&self) -> impl Iterator<Item = &DashboardSummary> {
        self.visible.iter().map(|&i| &self.list[i])
    }

    /// How many dashboards there are in all.
    pub fn total(&self) -> usize {
        self.list.len()
    }

    /// Index of the selected row among the visible ones.
    pub fn selected_index(&self) -> usize {
        self.selection.row()
    }

    /// The active filter text.
    pub fn filter_text(&self) -> &str {
        &self.filter
    }

    /// The open dashboard, if one is open.
    pub fn open(&self) -> Option<&OpenDashboard> {
        self.open.as_ref()
    }

    /// The chosen range and auto-refresh.
    pub fn view(&self) -> DashboardView {
        self.view.clone()
    }

    /// Position of the variable `v` changes among the open dashboard's.
    pub fn selected_variable(&self) -> usize {
        self.variable
    }

    /// Works out the rows passing the filter; the selected dashboard stays
    /// selected if it passes, else the first row is.
    fn refilter(&mut self) {
        let needle = self.filter.to_lowercase();
        self.visible = (0..self.list.len())
            .filter(|&i| self.list[i].name.to_lowercase().contains(&needle))
            .collect();
        let (list, visible) = (&self.list, &self.visible);
        self.selection
            .follow_or_first(visible.len(), |row| list[visible[row]].name.as_str());
    }

    fn command(command: DashboardCommand) -> Reply {
        Reply::Effect(Effect::Data(DataCommand::tab(command)))
    }

    /// Sets the range (from `[`/`]` or `:range`); returns the request
    /// that tells the job.
    pub fn set_range(&mut self, range: RangeChoice) -> Effect {
        self.view.range = range;
        Effect::Data(DataCommand::tab(DashboardCommand::View(self.view.clone())))
    }

    fn update_list(&mut self, action: &Action, page_rows: usize) -> Reply {
        if let Some(delta) = movement(action, page_rows) {
            let (list, visible) = (&self.list, &self.visible);
            self.selection
                .move_by(delta, visible.len(), |row| list[visible[row]].name.as_str());
            return Reply::Done;
        }
        match action {
            Action::Open => {
                let Some(&i) = self.visible.get(self.selection.row()) else {
                    return Reply::Done;
                };
                let name = self.list[i].name.clone();
                self.open = Some(OpenDashboard {
                    name: name.clone(),
                    frame: None,
                    data: None,
                    order: Vec::new(),
                    focus: 0,
                    zoomed: false,
                });
                self.view.variables.clear();
                self.variable = 0;
                Self::command(DashboardCommand::Open {
                    name,
                    view: self.view.clone(),
                })
            }
            Action::Back if !self.filter.is_empty() => {
                self.set_filter("");
                Reply::Done
            }
            _ => Reply::Ignored,
        }
    }

    fn update_open(&mut self, action: &Action) -> Reply {
        let Some(open) = &mut self.open else {
            return Reply::Ignored;
        };
        if let Some(delta) = movement(action, 1) {
            open.focus = moved(open.focus, delta, open.order.len());
            return Reply::Done;
        }
        match action {
            Action::Open => {
                open.zoomed = !open.zoomed && open.focused_widget().is_some();
                Reply::Done
            }
            Action::Back if open.zoomed => {
                open.zoomed = false;
                Reply::Done
            }
            Action::Copy => match (open.dashboard(), &open.data, open.focused_widget()) {
                (Some(dashboard), Some(data), Some(widget)) => {
                    Reply::Effect(Effect::CopyWidget(WidgetCopy {
                        dashboard: Arc::clone(dashboard),
                        data: Arc::clone(data),
                        widget,
                    }))
                }
                _ => Reply::Flash("no widget to copy yet".into()),
            },
            Action::Back => {
                self.open = None;
                Self::command(DashboardCommand::Close)
            }
            Action::RangeLonger | Action::RangeShorter => {
                let delta = if *action == Action::RangeLonger {
                    1
                } else {
                    -1
                };
                let Some(data) = &open.data else {
                    return Reply::Flash("the range can change once the dashboard is read".into());
                };
                let range = RangeChoice::step(data.range, delta);
                Reply::Effect(self.set_range(range))
            }
            _ if *action == Action::CycleAutoRefresh => {
                let at = AUTO_REFRESH
                    .iter()
                    .position(|a| *a == self.view.auto_refresh)
                    .unwrap_or(0);
                self.view.auto_refresh = AUTO_REFRESH[(at + 1) % AUTO_REFRESH.len()];
                Self::command(DashboardCommand::View(self.view.clone()))
            }
            _ if *action == Action::NextVariable || *action == Action::NextVariableValue => {
                let variables = open
                    .dashboard()
                    .map(|d| d.settings.variables.clone())
                    .unwrap_or_default();
                if variables.is_empty() {
                    return Reply::Flash("this dashboard has no variables".into());
                }
                self.variable %= variables.len();
                if *action == Action::NextVariable {
                    self.variable = (self.variable + 1) % variables.len();
                    return Reply::Done;
                }
                let variable = &variables[self.variable];
                let current = variable.current(&self.view.variables).map(str::to_string);
                match variable.next_value(current.as_deref()) {
                    Some(next) => {
                        self.view.variables.insert(variable.key().to_string(), next);
                        Self::command(DashboardCommand::View(self.view.clone()))
                    }
                    None => Reply::Flash(format!(
                        "{} lists no other value",
                        sanitize_line(variable.name())
                    )),
                }
            }
            _ => Reply::Ignored,
        }
    }

    /// Takes the job's frame for the open dashboard.
    fn take_frame(&mut self, frame: &Arc<DashboardFrame>) {
        let Some(open) = &mut self.open else { return };
        if open.name != frame.name {
            return;
        }
        let focused = open.focused_widget();
        open.order = frame
            .dashboard
            .as_ref()
            .map(|d| d.reading_order().iter().map(|w| w.index).collect())
            .unwrap_or_default();
        open.focus = focused
            .and_then(|f| open.order.iter().position(|&i| i == f))
            .unwrap_or(0);
        open.frame = Some(Arc::clone(frame));
        self.fill_alarms();
    }

    /// Puts the app's alarm list into the open dashboard's data.
    fn fill_alarms(&mut self) {
        let Some(open) = &mut self.open else { return };
        let Some(frame) = &open.frame else { return };
        let mut data = DashboardData::clone(&frame.data);
        data.alarms = self.alarms.all().to_vec();
        open.data = Some(Arc::new(data));
    }
}

impl Component for DashboardsTab {
    fn on_screen(&self, visible: bool) -> Option<DataCommand> {
        Some(DataCommand::tab(DashboardCommand::Visible(visible)))
    }

    fn keymap(&self) -> &'static [&'static KeyHelp] {
        if self.open.is_some() {
            VIEW_KEYMAP
        } else {
            LIST_KEYMAP
        }
    }

    fn footer(&self) -> &'static [&'static KeyHelp] {
        if self.open.is_some() {
            VIEW_FOOTER
        } else {
            LIST_FOOTER
        }
    }

    fn update(&mut self, action: &Action, ctx: &Context<'_>) -> Reply {
        if self.open.is_some() {
            self.update_open(action)
        } else {
            self.update_list(action, ctx.page_rows)
        }
    }

    fn apply(&mut self, event: &DataEvent, ctx: &Context<'_>) {
        if let DataEvent::Alarms { .. } = event {
            self.alarms = Arc::clone(ctx.alarms);
            self.fill_alarms();
        }
        match event.for_tab::<DashboardEvent>() {
            Some(DashboardEvent::List(Ok(list))) => {
                self.list = Arc::clone(list);
                self.list_error = None;
                self.listed = true;
                self.refilter();
            }
            Some(DashboardEvent::List(Err(e))) => {
                self.list_error = Some(sanitize_line(e));
                self.listed = true;
            }
            Some(DashboardEvent::Frame(frame)) => self.take_frame(frame),
            Some(DashboardEvent::Degraded(_)) | None => {}
        }
    }

    fn filter(&self) -> Option<&str> {
        self.open.is_none().then_some(self.filter.as_str())
    }

    fn nested(&self) -> bool {
        self.open.is_some()
    }

    fn set_filter(&mut self, text: &str) {
        self.filter = text.to_string();
        self.refilter();
    }
}

#[cfg(test)]
mod tests;
