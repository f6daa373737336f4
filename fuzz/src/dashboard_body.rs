//! The `dashboard_body` check: arbitrary bytes as a dashboard body.

use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll, Waker};

use monitui::config::theme::load_theme;
use monitui::model::dashboard::{Dashboard, DashboardData, WidgetContent};
use monitui::model::insight_rule::InsightRuleQuery;
use monitui::model::{ManualClock, TimeRange};
use monitui::provider::sim::SimProvider;
use monitui::provider::{ContributorsRead, MetricsRead};
use monitui::ui::dashboard::{ViewState, palette::Look, render};
use ratatui::{buffer::Buffer, layout::Rect};

/// The demo account, made once: it evaluates the body's metric math and
/// SEARCH expressions.
fn demo_account() -> &'static SimProvider {
    static SIM: OnceLock<SimProvider> = OnceLock::new();
    SIM.get_or_init(|| {
        let clock = ManualClock::new("2026-01-16T15:00:00Z".parse().unwrap());
        SimProvider::new(1, Arc::new(clock), "p")
    })
}

/// Parsing never panics, and a body that parses is laid out, planned into
/// queries, answered by the demo account (metric math and SEARCH evaluated
/// there, Contributor Insights widgets given its rule's report or its
/// error) and drawn with that data into small buffers (wide and stacked)
/// without a panic.
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
    let planned = dashboard.planned_queries(range);
    let queries: Vec<_> = planned.iter().map(|p| p.query.clone()).collect();
    let mut data = DashboardData::empty(range);
    let mut answer = std::pin::pin!(demo_account().metric_data(&queries, range));
    // The demo account never waits: its answer is ready at the first poll.
    if let Poll::Ready(Ok(series)) = answer
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        data.add_fetched(series, &planned);
    }
    for widget in &dashboard.widgets {
        let Ok(WidgetContent::Contributors(c)) = &widget.content else {
            continue;
        };
        let query = InsightRuleQuery {
            rule_name: c.rule_name.clone(),
            range,
            period_secs: c.period_secs,
            max_contributors: c.max_contributors,
            order_by: c.order_by,
        };
        let mut report = std::pin::pin!(demo_account().insight_rule_report(&query));
        if let Poll::Ready(result) = report
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        {
            data.contributors
                .insert(widget.index, result.map_err(|e| e.to_string()));
        }
    }
    let look = Look::new(&load_theme("default", None).unwrap());
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
