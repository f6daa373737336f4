//! The `dashboard_body` check: arbitrary bytes as a dashboard body.

use monitui::config::theme::load_theme;
use monitui::model::TimeRange;
use monitui::model::dashboard::{Dashboard, DashboardData};
use monitui::ui::dashboard::{ViewState, palette::Look, render};
use ratatui::{buffer::Buffer, layout::Rect};

/// Parsing never panics, and a body that parses is laid out, planned into
/// queries and drawn into small buffers (wide and stacked) without a panic.
pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(dashboard) = Dashboard::parse(text) else {
        return;
    };
    let range = TimeRange {
        start: "2026-01-16T12:00:00Z".parse().unwrap(),
        end: "2026-01-16T15:00:00Z".parse().unwrap(),
    };
    let _ = dashboard.planned_queries(range);
    let look = Look::new(&load_theme("default", None).unwrap());
    let data = DashboardData::empty(range);
    for (width, height) in [(120, 35), (40, 10)] {
        let area = Rect::new(0, 0, width, height);
        let mut buf = Buffer::empty(area);
        render(
            area,
            &mut buf,
            &dashboard,
            &data,
            &look,
            ViewState {
                scroll: 3,
                selected: Some(0),
            },
        );
    }
}
