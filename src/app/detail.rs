//! The alarm detail view's own state: which alarm, which chart range, how
//! far the text below the chart is scrolled.

use std::time::Duration;

use crate::data::DataCommand;

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailView {
    /// The alarm shown.
    pub alarm: String,
    /// Index into [`RANGES`].
    pub range: usize,
    /// Lines scrolled off the top of the text sections.
    pub scroll: u16,
}

impl DetailView {
    /// A detail view of `alarm` at the default range.
    pub fn new(alarm: String) -> Self {
        Self {
            alarm,
            range: DEFAULT_RANGE,
            scroll: 0,
        }
    }

    /// The chart range as a duration.
    pub fn range_duration(&self) -> Duration {
        RANGES[self.range].1
    }

    /// The chart range as shown (`3h`).
    pub fn range_label(&self) -> &'static str {
        RANGES[self.range].0
    }

    /// Moves to a longer (`+1`) or shorter (`-1`) range; false at either end.
    pub fn step_range(&mut self, delta: isize) -> bool {
        let next = self.range as isize + delta;
        if next < 0 || next as usize >= RANGES.len() {
            return false;
        }
        self.range = next as usize;
        true
    }

    /// Scrolls the text sections by `delta` lines, never above the top.
    pub fn scroll_by(&mut self, delta: isize) {
        self.scroll = (self.scroll as isize + delta).clamp(0, u16::MAX as isize) as u16;
    }

    /// The request that loads this view's data.
    pub fn load_command(&self) -> DataCommand {
        DataCommand::LoadDetail {
            alarm: self.alarm.clone(),
            range: self.range_duration(),
        }
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
        assert_eq!(
            view.load_command(),
            DataCommand::LoadDetail {
                alarm: "a".into(),
                range: Duration::from_secs(3 * 86_400)
            }
        );
    }
}
