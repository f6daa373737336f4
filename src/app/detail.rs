//! The alarm detail view, drawn over the Alarms or Overview tab: which
//! alarm, which chart range, how far the text below the chart is scrolled,
//! the data loaded for it, and its keys. While it is open it has the focus.

use std::time::Duration;

use super::action::{Action, Effect};
use super::component::{
    Component, Context, KeyHelp, Reply, fixed_keys, letter_keys, movement, scrolled, tab_actions,
};
use super::goto::{Goto, rule_alarms};
use super::keys;
use crate::data::{AlarmDetail, DataCommand, DataEvent};
use crate::model::AlarmKind;

/// Chart ranges `[`/`]` cycle through, shortest first.
pub const RANGES: [(&str, Duration); 5] = [
    ("1h", Duration::from_secs(3600)),
    ("3h", Duration::from_secs(3 * 3600)),
    ("12h", Duration::from_secs(12 * 3600)),
    ("1d", Duration::from_secs(86_400)),
    ("3d", Duration::from_secs(3 * 86_400)),
];

/// Range a freshly opened detail view shows (an index into [`RANGES`]).
const DEFAULT_RANGE: usize = 1;

/// An open detail view.
#[derive(Debug, Clone, PartialEq)]
pub struct DetailView {
    /// The alarm shown.
    pub alarm: String,
    /// Index into [`RANGES`].
    pub range: usize,
    /// A range set with `:range`, shown instead of [`RANGES`]' until
    /// `[` or `]` steps from the nearest one.
    pub custom: Option<Duration>,
    /// Lines scrolled off the top of the text sections.
    pub scroll: u16,
    /// The latest data loaded for this alarm (possibly for another range
    /// while a new one loads).
    pub data: Option<AlarmDetail>,
    /// Whether the explanation replaces the history (`e`).
    pub explain: bool,
}

tab_actions! {
    /// Show or hide why the alarm in the detail view is in its state (`e`).
    Explain;
}

letter_keys! {
    /// `e` in the detail view: why the alarm is in its state.
    EXPLAIN: "e", "explain", "explain the state: deciding datapoints, M of N, missing data, checked against the service; when it would change" => Action::Explain;
}

static KEYMAP: &[&KeyHelp] = &[
    &keys::BACK,
    &keys::RANGE,
    &keys::SCROLL,
    &keys::ENDS,
    &keys::PAGE,
    &keys::ACK,
    &keys::SILENCE,
    &keys::UNDO,
    &keys::TEST,
    &keys::INCIDENT,
    &keys::RULE_ALARMS,
    &EXPLAIN,
];

static FOOTER: &[&KeyHelp] = &[
    &keys::BACK,
    &keys::RANGE,
    &keys::SCROLL,
    &keys::ACK,
    &keys::SILENCE,
    &keys::UNDO,
    &keys::TEST,
    &keys::INCIDENT,
    &EXPLAIN,
    &keys::HELP,
];

impl DetailView {
    /// A detail view of `alarm` at the default range.
    pub fn new(alarm: String) -> Self {
        Self {
            alarm,
            range: DEFAULT_RANGE,
            custom: None,
            scroll: 0,
            data: None,
            explain: false,
        }
    }

    /// The chart range as a duration.
    pub fn range_duration(&self) -> Duration {
        self.custom.unwrap_or(RANGES[self.range].1)
    }

    /// The chart range as shown (`3h`, `6h`).
    pub fn range_label(&self) -> String {
        match self.custom {
            Some(span) => span_label(span),
            None => RANGES[self.range].0.to_string(),
        }
    }

    /// Shows the last `span` (`:range 6h`).
    pub fn set_range(&mut self, span: Duration) {
        self.custom = Some(span);
        self.range = RANGES.iter().rposition(|(_, d)| *d <= span).unwrap_or(0);
    }

    /// Moves to a longer (`+1`) or shorter (`-1`) range; false at either
    /// end. From a `:range` span, a longer range is the next one above it.
    pub fn step_range(&mut self, delta: isize) -> bool {
        if let Some(span) = self.custom.take() {
            let here = RANGES[self.range].1;
            if (delta < 0 && span > here) || (delta > 0 && span < here) {
                return true;
            }
        }
        let next = self.range as isize + delta;
        if next < 0 || next as usize >= RANGES.len() {
            return false;
        }
        self.range = next as usize;
        true
    }

    /// Scrolls the text sections by `delta` lines, never above the top.
    pub fn scroll_by(&mut self, delta: isize) {
        self.scroll = scrolled(self.scroll, delta);
    }

    /// The request that loads this view's data.
    pub fn load_command(&self) -> DataCommand {
        DataCommand::LoadDetail {
            alarm: self.alarm.clone(),
            range: self.range_duration(),
        }
    }
}

/// `6h`, `90m`, `2d`: a span in its largest whole unit.
fn span_label(span: Duration) -> String {
    let secs = span.as_secs();
    match secs {
        s if s >= 86_400 && s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s >= 3600 && s % 3600 == 0 => format!("{}h", s / 3600),
        s if s >= 60 && s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

impl Component for DetailView {
    fixed_keys!(KEYMAP, FOOTER);

    fn update(&mut self, action: &Action, ctx: &Context<'_>) -> Reply {
        if let Some(delta) = movement(action, ctx.page_rows) {
            self.scroll_by(delta);
            return Reply::Done;
        }
        match action {
            Action::Back => return Reply::Close,
            Action::GotoAlarms => {
                return match ctx.alarms.find(&self.alarm).map(|a| &a.kind) {
                    Some(AlarmKind::Composite { rule }) => Reply::Goto(Goto::Alarms {
                        label: "in the rule".to_string(),
                        names: rule_alarms(rule),
                    }),
                    _ => Reply::Flash(format!(
                        "{} is not a composite alarm: it has no rule",
                        self.alarm
                    )),
                };
            }
            _ if *action == Action::Explain => {
                self.explain = !self.explain;
                self.scroll = 0;
            }
            Action::RangeLonger | Action::RangeShorter => {
                let delta = if *action == Action::RangeLonger {
                    1
                } else {
                    -1
                };
                if self.step_range(delta) {
                    return Reply::Effect(Effect::Data(self.load_command()));
                }
            }
            _ => return Reply::Ignored,
        }
        Reply::Done
    }

    fn apply(&mut self, event: &DataEvent, _ctx: &Context<'_>) {
        if let DataEvent::Detail(detail) = event
            && detail.alarm == self.alarm
        {
            self.data = Some((**detail).clone());
        }
    }

    fn target_alarm(&self) -> Option<&str> {
        Some(&self.alarm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_step_and_stop_at_the_ends() {
        let mut view = DetailView::new("a".into());
        assert_eq!(view.range_label(), "3h");
        assert!(view.step_range(-1));
        assert!(!view.step_range(-1));
        assert_eq!(view.range_label(), "1h");
        for _ in 0..4 {
            assert!(view.step_range(1));
        }
        assert!(!view.step_range(1));
        view.set_range(Duration::from_secs(6 * 3600));
        assert_eq!(view.range_label(), "6h");
        assert_eq!(view.range_duration(), Duration::from_secs(6 * 3600));
        assert!(view.step_range(1), "from 6h, ] goes to 12h");
        assert_eq!(view.range_label(), "12h");
        view.set_range(Duration::from_secs(6 * 3600));
        assert!(view.step_range(-1), "from 6h, [ goes to 3h");
        assert_eq!(view.range_label(), "3h");
        for _ in 0..3 {
            view.step_range(1);
        }
        view.scroll_by(3);
        let alarms = std::sync::Arc::new(crate::app::alarm_list::AlarmList::default());
        let ctx = Context {
            alarms: &alarms,
            page_rows: 10,
        };
        assert_eq!(view.update(&Action::Explain, &ctx), Reply::Done);
        assert!(view.explain);
        assert_eq!(view.scroll, 0, "the explanation starts at its top");
        view.update(&Action::Explain, &ctx);
        assert!(!view.explain);
        assert_eq!(
            view.load_command(),
            DataCommand::LoadDetail {
                alarm: "a".into(),
                range: Duration::from_secs(3 * 86_400)
            }
        );
    }
}
