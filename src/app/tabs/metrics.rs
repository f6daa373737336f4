//! The Metrics tab: the account's metrics browsed namespace → metric →
//! dimensions (each level filterable with `/`), and one metric charted at
//! a statistic and period that `s` and `p` cycle (`[` `]` the range). The
//! chart can be pinned to the Overview (`P`, for this session) and copied
//! to the clipboard as a dashboard widget (`w`) or an alarm definition
//! (`A`). The listing and the chart are [`ExplorerCommand`]s the data
//! layer runs in the background; names from AWS are sanitised when the
//! rows are built, not per frame.

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::KeyCode;

use crate::app::action::{Action, Effect};
use crate::app::component::{
    Component, Context, Key, KeyHelp, Reply, Selection, key_help, movement, tab_keys,
};
use crate::app::keys;
use crate::config::{PinnedMetric, ResolvedEnv};
use crate::data::metrics_job::{ExplorerCommand, ExplorerEvent};
use crate::data::{DataCommand, DataEvent};
use crate::model::metric_browse::{ChartedMetric, MetricList, PERIODS, STATISTICS, period_label};
use crate::model::{MetricRef, Series, TimeRange};
use crate::sanitize::sanitize_line;

use Key::Plain;
use KeyCode::Char;

/// The chart's ranges, `[` and `]` step through them.
pub const SPANS: [Duration; 6] = [
    Duration::from_secs(3600),
    Duration::from_secs(3 * 3600),
    Duration::from_secs(12 * 3600),
    Duration::from_secs(86_400),
    Duration::from_secs(3 * 86_400),
    Duration::from_secs(7 * 86_400),
];

/// The range a new chart starts with (3 hours).
const FIRST_SPAN: usize = 1;

tab_keys! {
    /// A key of the Metrics tab besides the shared ones.
    pub enum MetricsKey {
        /// Next statistic (`s`).
        CycleStat,
        /// Next period (`p`).
        CyclePeriod,
        /// Pin the chart to the Overview (`P`).
        Pin,
        /// Copy the chart as a dashboard widget (`w`).
        CopyWidget,
        /// Copy the chart as an alarm definition (`A`).
        CopyAlarm,
    }
}

impl Action {
    /// The Metrics tab's key `key` (its key tables and callers write the
    /// action this way; it is an [`Action::Tab`]).
    #[allow(non_snake_case)]
    pub const fn Metrics(key: MetricsKey) -> Action {
        key.action()
    }
}

static OPEN: KeyHelp = key_help! {
    "Enter", "open", "open the namespace or metric; chart the dimensions",
    keys::ENTER_OPEN
};

static FILTER: KeyHelp = key_help! {
    "/", "filter", "filter this level by name",
    keys::SLASH_FILTER
};

static UP: KeyHelp = key_help! {
    "Esc", "up", "clear the filter, else up a level",
    keys::ESC_BACK
};

static LIST_AGAIN: KeyHelp = key_help! {
    "r", "relist", "list the account's metrics again",
    [Plain(Char('r')) => Action::Refresh]
};

static STAT_PERIOD: KeyHelp = key_help! {
    "s / p" ("s/p"), "stat/period", "next statistic (Average, Sum, ..., p99) / period (1m, 5m, 15m, 1h)",
    [
        Plain(Char('s')) => Action::Metrics(MetricsKey::CycleStat),
        Plain(Char('p')) => Action::Metrics(MetricsKey::CyclePeriod),
    ]
};

static PIN: KeyHelp = key_help! {
    "P", "pin", "pin to the Overview (this session)",
    [Plain(Char('P')) => Action::Metrics(MetricsKey::Pin)]
};

static COPY: KeyHelp = key_help! {
    "w / A" ("w/A"), "copy", "copy as a dashboard widget / an alarm definition (JSON, OSC 52)",
    [
        Plain(Char('w')) => Action::Metrics(MetricsKey::CopyWidget),
        Plain(Char('A')) => Action::Metrics(MetricsKey::CopyAlarm),
    ]
};

static CHART_AGAIN: KeyHelp = key_help! {
    "r", "refresh", "read the chart again",
    [Plain(Char('r')) => Action::Refresh]
};

static BACK: KeyHelp = key_help! { "Esc", "back", "back to the dimensions", keys::ESC_BACK };

static LIST_KEYMAP: &[&KeyHelp] = &[
    &keys::MOVE,
    &keys::ENDS,
    &keys::PAGE,
    &OPEN,
    &FILTER,
    &UP,
    &LIST_AGAIN,
];

static LIST_FOOTER: &[&KeyHelp] = &[
    &keys::MOVE,
    &OPEN,
    &FILTER,
    &UP,
    &keys::TABS,
    &keys::HELP,
    &keys::QUIT,
];

static CHART_KEYMAP: &[&KeyHelp] = &[&STAT_PERIOD, &keys::RANGE, &PIN, &COPY, &CHART_AGAIN, &BACK];

static CHART_FOOTER: &[&KeyHelp] = &[&STAT_PERIOD, &keys::RANGE, &PIN, &COPY, &BACK, &keys::HELP];

/// Which level of the browser is shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Level {
    /// Every namespace.
    #[default]
    Namespaces,
    /// The metric names of a namespace.
    Names {
        /// The namespace.
        namespace: String,
    },
    /// The dimension sets of one metric name.
    Dimensions {
        /// The namespace.
        namespace: String,
        /// The metric name.
        name: String,
    },
}

/// One row of a level: what it stands for and how it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowseRow {
    /// The namespace, metric name or index of the metric it stands for.
    key: String,
    /// Index into the listing of the row's metric (the dimensions level).
    metric: Option<usize>,
    /// What the screen shows (sanitised).
    pub label: String,
    /// Metrics under it (namespaces and names).
    pub count: usize,
}

/// The charted metric and what was read of it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartView {
    /// The metric, statistic and period.
    pub charted: ChartedMetric,
    /// `Namespace Name k=v` (sanitised).
    pub label: String,
    /// Index into [`SPANS`].
    pub span: usize,
    /// The request whose answer is awaited or shown.
    request: u64,
    /// The window read and its series, once answered.
    pub data: Option<(TimeRange, Arc<Series>)>,
    /// Why the chart could not be read.
    pub error: Option<String>,
    /// What the last pin did (the screen says it).
    pub notice: Option<String>,
}

impl ChartView {
    /// Whether the answer to the current request is still awaited.
    pub fn loading(&self) -> bool {
        self.data.is_none() && self.error.is_none()
    }

    /// The largest value charted (the alarm definition's threshold, so it
    /// would not have fired over the chart), 0 without data.
    fn highest(&self) -> f64 {
        self.data
            .as_ref()
            .and_then(|(_, s)| s.points.iter().map(|(_, v)| *v).reduce(f64::max))
            .unwrap_or(0.0)
    }
}

/// The Metrics tab's state.
#[derive(Debug, Default)]
pub struct MetricsTab {
    region: Option<String>,
    list: Arc<MetricList>,
    /// Whether the listing was asked for (on the first visit).
    asked: bool,
    /// Whether the listing has been answered.
    listed: bool,
    list_error: Option<String>,
    /// The last request number given out (listings and charts share them).
    requests: u64,
    list_request: u64,
    level: Level,
    /// The level's rows, in order, before the filter.
    all_rows: Vec<BrowseRow>,
    /// Indices into `all_rows` passing the filter.
    visible: Vec<usize>,
    filter: String,
    selection: Selection<String>,
    chart: Option<ChartView>,
}

impl MetricsTab {
    /// The tab of `env` (its region goes into copied widgets).
    pub fn for_env(env: &ResolvedEnv) -> Self {
        Self {
            region: env.region.clone(),
            ..Self::default()
        }
    }

    /// The level shown.
    pub fn level(&self) -> &Level {
        &self.level
    }

    /// The rows passing the filter.
    pub fn visible(&self) -> impl ExactSizeIterator<Item = &BrowseRow> {
        self.visible.iter().map(|&i| &self.all_rows[i])
    }

    /// How many rows the level has before the filter.
    pub fn level_rows(&self) -> usize {
        self.all_rows.len()
    }

    /// Index of the selected row among the visible ones.
    pub fn selected_index(&self) -> usize {
        self.selection.row()
    }

    /// The filter text of the level.
    pub fn filter_text(&self) -> &str {
        &self.filter
    }

    /// Whether the listing has been answered (successfully or not).
    pub fn listed(&self) -> bool {
        self.listed
    }

    /// Why the listing failed, if it did.
    pub fn list_error(&self) -> Option<&str> {
        self.list_error.as_deref()
    }

    /// How many metrics the listing holds, and whether it stopped short.
    pub fn total(&self) -> (usize, bool) {
        (self.list.metrics.len(), self.list.truncated)
    }

    /// The open chart, if one is open.
    pub fn chart(&self) -> Option<&ChartView> {
        self.chart.as_ref()
    }

    fn next_request(&mut self) -> u64 {
        self.requests += 1;
        self.requests
    }

    fn list_command(&mut self) -> Reply {
        self.list_request = self.next_request();
        self.asked = true;
        Reply::Effect(Effect::Data(DataCommand::tab(ExplorerCommand::List {
            id: self.list_request,
        })))
    }

    /// Works out the rows of the level from the listing, then the filter.
    fn rebuild(&mut self) {
        let metrics = &self.list.metrics;
        let mut rows: Vec<BrowseRow> = Vec::new();
        let mut group = |key: &str, metric: Option<usize>, label: String| match rows.last_mut() {
            Some(last) if metric.is_none() && last.key == key => last.count += 1,
            _ => rows.push(BrowseRow {
                key: key.to_string(),
                metric,
                label,
                count: 1,
            }),
        };
        match &self.level {
            Level::Namespaces => {
                for m in metrics {
                    group(&m.namespace, None, sanitize_line(&m.namespace));
                }
            }
            Level::Names { namespace } => {
                for m in metrics.iter().filter(|m| m.namespace == *namespace) {
                    group(&m.name, None, sanitize_line(&m.name));
                }
            }
            Level::Dimensions { namespace, name } => {
                for (i, m) in metrics.iter().enumerate() {
                    if m.namespace == *namespace && m.name == *name {
                        group(&i.to_string(), Some(i), dimensions_label(m));
                    }
                }
            }
        }
        self.all_rows = rows;
        self.refilter();
    }

    fn refilter(&mut self) {
        let needle = self.filter.to_lowercase();
        self.visible = (0..self.all_rows.len())
            .filter(|&i| self.all_rows[i].label.to_lowercase().contains(&needle))
            .collect();
        let (rows, visible) = (&self.all_rows, &self.visible);
        self.selection
            .follow_or_first(visible.len(), |row| rows[visible[row]].label.as_str());
    }

    /// Shows `level` (its filter empty, its first row selected, or the
    /// row named `select` when coming back up).
    fn go(&mut self, level: Level, select: Option<String>) {
        self.level = level;
        self.filter.clear();
        self.selection = Selection::default();
        self.rebuild();
        if let Some(label) = select {
            let (rows, visible) = (&self.all_rows, &self.visible);
            if let Some(row) = visible.iter().position(|&i| rows[i].key == label) {
                self.selection.move_by(row as isize, visible.len(), |r| {
                    rows[visible[r]].label.as_str()
                });
            }
        }
    }

    fn selected_row(&self) -> Option<&BrowseRow> {
        self.visible
            .get(self.selection.row())
            .map(|&i| &self.all_rows[i])
    }

    fn open(&mut self) -> Reply {
        let Some(row) = self.selected_row().cloned() else {
            return Reply::Done;
        };
        match self.level.clone() {
            Level::Namespaces => self.go(Level::Names { namespace: row.key }, None),
            Level::Names { namespace } => self.go(
                Level::Dimensions {
                    namespace,
                    name: row.key,
                },
                None,
            ),
            Level::Dimensions { .. } => {
                let Some(metric) = row.metric.and_then(|i| self.list.metrics.get(i)) else {
                    return Reply::Done;
                };
                let charted = ChartedMetric {
                    metric: metric.clone(),
                    stat: STATISTICS[0].to_string(),
                    period_secs: PERIODS[0],
                };
                self.chart = Some(ChartView {
                    label: sanitize_line(&charted.metric.display_name()),
                    charted,
                    span: FIRST_SPAN,
                    request: 0,
                    data: None,
                    error: None,
                    notice: None,
                });
                return self.chart_command();
            }
        }
        Reply::Done
    }

    fn up(&mut self) -> Reply {
        if !self.filter.is_empty() {
            self.set_filter("");
            return Reply::Done;
        }
        match self.level.clone() {
            Level::Namespaces => return Reply::Ignored,
            Level::Names { namespace } => self.go(Level::Namespaces, Some(namespace)),
            Level::Dimensions { namespace, name } => {
                self.go(Level::Names { namespace }, Some(name))
            }
        }
        Reply::Done
    }

    /// Asks for the open chart's data (again), forgetting what was shown.
    fn chart_command(&mut self) -> Reply {
        let id = self.next_request();
        let Some(chart) = &mut self.chart else {
            return Reply::Done;
        };
        chart.request = id;
        chart.data = None;
        chart.error = None;
        Reply::Effect(Effect::Data(DataCommand::tab(ExplorerCommand::Chart {
            id,
            charted: chart.charted.clone(),
            span: SPANS[chart.span],
        })))
    }

    fn update_chart(&mut self, action: &Action) -> Reply {
        let Some(chart) = &mut self.chart else {
            return Reply::Ignored;
        };
        match (action, MetricsKey::of(action)) {
            (Action::Back, _) => {
                self.chart = None;
                return Reply::Done;
            }
            (Action::Refresh, _) => {}
            (_, Some(MetricsKey::CycleStat)) => {
                chart.charted.stat = next_of(&STATISTICS, &chart.charted.stat.as_str()).to_string();
            }
            (_, Some(MetricsKey::CyclePeriod)) => {
                chart.charted.period_secs = next_of(&PERIODS, &chart.charted.period_secs);
            }
            (Action::RangeLonger, _) => chart.span = (chart.span + 1).min(SPANS.len() - 1),
            (Action::RangeShorter, _) => chart.span = chart.span.saturating_sub(1),
            (_, Some(MetricsKey::Pin)) => {
                let charted = &chart.charted;
                let label = format!(
                    "{} {} {}",
                    charted.metric.display_name(),
                    charted.stat,
                    period_label(charted.period_secs)
                );
                chart.notice = Some(
                    "pinned to the Overview for this session (to keep it, add it to pinned_metrics in the config file)"
                        .to_string(),
                );
                return Reply::Effect(Effect::Data(DataCommand::Pin(PinnedMetric {
                    metric: charted.metric.clone(),
                    stat: charted.stat.clone(),
                    label: Some(label),
                    period_secs: Some(charted.period_secs),
                })));
            }
            (_, Some(MetricsKey::CopyWidget)) => {
                let widget = chart.charted.widget_json(self.region.as_deref());
                return Reply::Effect(Effect::Clipboard(pretty(&widget)));
            }
            (_, Some(MetricsKey::CopyAlarm)) => {
                let alarm = chart.charted.alarm_json(chart.highest());
                return Reply::Effect(Effect::Clipboard(pretty(&alarm)));
            }
            _ => return Reply::Ignored,
        }
        self.chart_command()
    }

    fn update_list(&mut self, action: &Action, page_rows: usize) -> Reply {
        if let Some(delta) = movement(action, page_rows) {
            let (rows, visible) = (&self.all_rows, &self.visible);
            self.selection
                .move_by(delta, visible.len(), |r| rows[visible[r]].label.as_str());
            return Reply::Done;
        }
        match action {
            Action::Open => self.open(),
            Action::Back => self.up(),
            Action::Refresh => self.list_command(),
            _ => Reply::Ignored,
        }
    }

    fn take(&mut self, event: &ExplorerEvent) {
        match event {
            ExplorerEvent::Listed { id, result } if *id == self.list_request => {
                self.listed = true;
                match result {
                    Ok(list) => {
                        self.list = Arc::clone(list);
                        self.list_error = None;
                        self.rebuild();
                    }
                    Err(e) => self.list_error = Some(sanitize_line(e)),
                }
            }
            ExplorerEvent::Charted { id, range, result } => {
                let Some(chart) = &mut self.chart else { return };
                if chart.request != *id {
                    return;
                }
                match result {
                    Ok(series) => chart.data = Some((*range, Arc::clone(series))),
                    Err(e) => chart.error = Some(sanitize_line(e)),
                }
            }
            ExplorerEvent::Listed { .. } => {}
        }
    }
}

/// `FunctionName=auth ApiName=x`, or `(no dimensions)`, sanitised.
fn dimensions_label(metric: &MetricRef) -> String {
    if metric.dimensions.is_empty() {
        return "(no dimensions)".to_string();
    }
    let pairs: Vec<String> = metric
        .dimensions
        .iter()
        .map(|d| format!("{}={}", d.name, d.value))
        .collect();
    sanitize_line(&pairs.join(" "))
}

/// The item after `current` in `all`, wrapping; the first when `current`
/// is not among them.
fn next_of<T: Copy + PartialEq>(all: &[T], current: &T) -> T {
    let at = all.iter().position(|x| x == current);
    all[at.map_or(0, |i| (i + 1) % all.len())]
}

/// Pretty JSON text (what is put on the clipboard).
fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

impl Component for MetricsTab {
    fn keymap(&self) -> &'static [&'static KeyHelp] {
        if self.chart.is_some() {
            CHART_KEYMAP
        } else {
            LIST_KEYMAP
        }
    }

    fn footer(&self) -> &'static [&'static KeyHelp] {
        if self.chart.is_some() {
            CHART_FOOTER
        } else {
            LIST_FOOTER
        }
    }

    fn update(&mut self, action: &Action, ctx: &Context<'_>) -> Reply {
        if self.chart.is_some() {
            self.update_chart(action)
        } else {
            self.update_list(action, ctx.page_rows)
        }
    }

    fn apply(&mut self, event: &DataEvent, _ctx: &Context<'_>) {
        if let Some(event) = event.for_tab::<ExplorerEvent>() {
            self.take(event);
        }
    }

    fn filter(&self) -> Option<&str> {
        self.chart.is_none().then_some(self.filter.as_str())
    }

    fn set_filter(&mut self, text: &str) {
        self.filter = text.to_string();
        self.refilter();
    }

    fn nested(&self) -> bool {
        self.chart.is_some() || self.level != Level::Namespaces
    }

    fn shown(&mut self) -> Option<Effect> {
        if self.asked {
            return None;
        }
        match self.list_command() {
            Reply::Effect(effect) => Some(effect),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
