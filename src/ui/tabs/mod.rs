//! The tabs' drawing, one file per tab beside its state in `app/tabs/`.

pub mod alarms;
pub mod cloudtrail;
pub mod dashboards;
pub mod logs;
pub mod metrics;
pub mod overview;

use super::component::Drawable;
use crate::app::{App, Tab};

/// The drawing of the current tab.
pub fn drawable(app: &App) -> &dyn Drawable {
    match app.tab {
        Tab::Overview => &app.tabs.overview,
        Tab::Alarms => &app.tabs.alarms,
        Tab::Dashboards => &app.tabs.dashboards,
        Tab::Logs => &app.tabs.logs,
        Tab::CloudTrail => &app.tabs.cloudtrail,
        Tab::Metrics => &app.tabs.metrics,
    }
}
