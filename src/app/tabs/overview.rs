//! The Overview tab: which series make up the sparkline wall and in what
//! order (alarm metrics first, then pinned metrics), the selected row, and
//! its keys. The rows are worked out when series or alarms arrive, not per
//! frame. Above the wall, the service level targets; `T` opens their view
//! (one target's chart and budget line at a time, `j`/`k` to the next).

use std::sync::Arc;

use crossterm::event::KeyCode;

use crate::app::action::Action;
use crate::app::alarm_list::AlarmList;
use crate::app::component::{
    Component, Context, Key, KeyHelp, Reply, Selection, key_help, letter_keys, movement,
    tab_actions,
};
use crate::app::keys;
use crate::data::{DataCommand, DataEvent};
use crate::model::slo::SloStatus;
use crate::model::{Alarm, Series};
use crate::sanitize::sanitize_line;

/// One line of the wall.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverviewRow {
    /// Index into the series.
    pub series: usize,
    /// Index into the alarm list when the series is an alarm's metric.
    pub alarm: Option<usize>,
    /// The sanitised label of a pinned metric (alarm rows use the alarm's
    /// short name).
    pub label: Option<String>,
}

/// The Overview tab's state.
#[derive(Debug, Default)]
pub struct OverviewTab {
    list: Arc<AlarmList>,
    series: Arc<Vec<Series>>,
    rows: Vec<OverviewRow>,
    alarm_rows: usize,
    longest_name: usize,
    /// The selected row and the id of its series.
    selection: Selection<String>,
    /// Where each service level target stands.
    slos: Arc<Vec<SloStatus>>,
    /// The targets' view: open, and which target it shows.
    targets_view: Option<usize>,
}

tab_actions! {
    /// Open the service level targets' view on the Overview (`T`).
    Targets;
}

letter_keys! {
    /// `T`: the service level targets with their charts and budget lines.
    TARGETS: "T", "targets", "service level targets: each one's chart and budget line" => Action::Targets;
}

static KEYMAP: &[&KeyHelp] = &[
    &keys::MOVE,
    &keys::ENDS,
    &keys::PAGE,
    &keys::OPEN,
    &keys::ACK,
    &keys::SILENCE,
    &keys::UNDO,
    &keys::TEST,
    &keys::INCIDENT,
    &keys::HANDOFF,
    &TARGETS,
];

static FOOTER: &[&KeyHelp] = &[
    &keys::MOVE,
    &keys::OPEN,
    &keys::ACK,
    &keys::SILENCE,
    &TARGETS,
    &keys::TABS,
    &keys::HELP,
    &keys::QUIT,
];

/// Esc in the targets' view.
static TARGETS_BACK: KeyHelp = key_help! { "Esc", "back", "back to the Overview", keys::ESC_BACK };

/// `j`/`k` in the targets' view: the next or previous target.
static NEXT_TARGET: KeyHelp = key_help! {
    "j/k, Down/Up" ("j/k"), "target", "the next / previous target",
    [
        Key::Plain(KeyCode::Char('j')) => Action::Down,
        Key::Plain(KeyCode::Down) => Action::Down,
        Key::Plain(KeyCode::Char('k')) => Action::Up,
        Key::Plain(KeyCode::Up) => Action::Up,
    ]
};

static TARGETS_KEYMAP: &[&KeyHelp] = &[&NEXT_TARGET, &keys::ENDS, &TARGETS_BACK];

static TARGETS_FOOTER: &[&KeyHelp] = &[&NEXT_TARGET, &TARGETS_BACK, &keys::HELP, &keys::QUIT];

impl OverviewTab {
    /// Where each service level target stands (empty until fetched).
    pub fn slos(&self) -> &[SloStatus] {
        &self.slos
    }

    /// The target the targets' view shows, when it is open.
    pub fn targets_view(&self) -> Option<usize> {
        self.targets_view
    }

    /// The wall's rows in display order.
    pub fn rows(&self) -> &[OverviewRow] {
        &self.rows
    }

    /// How many rows are alarm metrics (they come first).
    pub fn alarm_rows(&self) -> usize {
        self.alarm_rows
    }

    /// The longest row name, in characters.
    pub fn longest_name(&self) -> usize {
        self.longest_name
    }

    /// The selected row.
    pub fn selected_index(&self) -> usize {
        self.selection.row()
    }

    /// The series of a row.
    pub fn series(&self, row: &OverviewRow) -> &Series {
        &self.series[row.series]
    }

    /// The alarm of a row, if it is an alarm's metric.
    pub fn alarm(&self, row: &OverviewRow) -> Option<&Alarm> {
        row.alarm.map(|i| self.list.get(i))
    }

    /// The sanitised name a row shows.
    pub fn name<'a>(&'a self, row: &'a OverviewRow) -> &'a str {
        match (&row.label, row.alarm) {
            (Some(label), _) => label,
            (None, Some(i)) => &self.list.text(i).short_name,
            (None, None) => "",
        }
    }

    /// The series and alarm of the row at `index`.
    pub fn row(&self, index: usize) -> Option<(&Series, Option<&Alarm>)> {
        let row = self.rows.get(index)?;
        Some((self.series(row), self.alarm(row)))
    }

    fn move_by(&mut self, delta: isize) {
        let (series, rows) = (&self.series, &self.rows);
        self.selection.move_by(delta, rows.len(), |row| {
            series[rows[row].series].id.as_str()
        });
    }

    /// Works the rows out again from the series and the alarm list,
    /// keeping the selected series selected.
    fn rebuild(&mut self) {
        let (mut alarms, pinned): (Vec<OverviewRow>, Vec<OverviewRow>) = self
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let alarm = self.list.index_of(&s.id);
                OverviewRow {
                    series: i,
                    alarm,
                    label: alarm.is_none().then(|| sanitize_line(&s.label)),
                }
            })
            .partition(|row| row.alarm.is_some());
        self.alarm_rows = alarms.len();
        alarms.extend(pinned);
        self.rows = alarms;
        self.longest_name = self
            .rows
            .iter()
            .map(|row| self.name(row).chars().count())
            .max()
            .unwrap_or(0);
        let (series, rows) = (&self.series, &self.rows);
        self.selection
            .follow(rows.len(), |row| series[rows[row].series].id.as_str());
    }
}

impl Component for OverviewTab {
    fn on_screen(&self, visible: bool) -> Option<DataCommand> {
        Some(DataCommand::OverviewVisible(visible))
    }

    fn keymap(&self) -> &'static [&'static KeyHelp] {
        match self.targets_view {
            Some(_) => TARGETS_KEYMAP,
            None => KEYMAP,
        }
    }

    fn footer(&self) -> &'static [&'static KeyHelp] {
        match self.targets_view {
            Some(_) => TARGETS_FOOTER,
            None => FOOTER,
        }
    }

    fn update(&mut self, action: &Action, ctx: &Context<'_>) -> Reply {
        if let Some(shown) = self.targets_view {
            let last = self.slos.len().saturating_sub(1);
            self.targets_view = match action {
                Action::Back => None,
                Action::Up => Some(shown.saturating_sub(1)),
                Action::Down => Some((shown + 1).min(last)),
                Action::Top => Some(0),
                Action::Bottom => Some(last),
                _ => return Reply::Ignored,
            };
            return Reply::Done;
        }
        if *action == Action::Targets {
            if self.slos.is_empty() {
                return Reply::Flash("no service level targets yet".into());
            }
            self.targets_view = Some(0);
            return Reply::Done;
        }
        if let Some(delta) = movement(action, ctx.page_rows) {
            self.move_by(delta);
            return Reply::Done;
        }
        if *action != Action::Open {
            return Reply::Ignored;
        }
        match self.row(self.selection.row()) {
            Some((_, Some(alarm))) => Reply::OpenDetail(alarm.name.clone()),
            Some((series, None)) => {
                Reply::Flash(format!("{} is a pinned metric, not an alarm", series.label))
            }
            None => Reply::Done,
        }
    }

    fn apply(&mut self, event: &DataEvent, ctx: &Context<'_>) {
        match event {
            DataEvent::Alarms { .. } => {
                self.list = Arc::clone(ctx.alarms);
                self.rebuild();
            }
            DataEvent::Overview(series) => {
                self.series = Arc::clone(series);
                self.rebuild();
            }
            DataEvent::Slos(slos) => {
                self.slos = Arc::clone(slos);
                let last = slos.len().checked_sub(1);
                self.targets_view = self.targets_view.and_then(|i| last.map(|l| i.min(l)));
            }
            _ => {}
        }
    }

    fn nested(&self) -> bool {
        self.targets_view.is_some()
    }

    fn target_alarm(&self) -> Option<&str> {
        if self.targets_view.is_some() {
            return None;
        }
        self.row(self.selection.row())
            .and_then(|(_, alarm)| alarm)
            .map(|a| a.name.as_str())
    }
}
