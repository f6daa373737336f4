//! `monitui dashboards list` and `dashboards show NAME|--body FILE`: a
//! dashboard of the account, or a body file, rendered once to stdout with
//! its metrics from the env's account in one batched GetMetricData, so it
//! can be pasted into an incident channel (`--plain`: no escape sequences
//! at all).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use jiff::Timestamp;

use crate::cli::args::OutputFormat;
use crate::cli::names::FoundDashboard;
use crate::data::dashboard_data::fetch_once;
use crate::model::dashboard::{BodyError, Dashboard, DashboardData, RangeChoice, WidgetContent};
use crate::provider::Reads;
use crate::sanitize::sanitize_line;

/// Why `dashboards show` rendered nothing.
#[derive(Debug, thiserror::Error)]
pub enum DashboardsCmdError {
    /// The file cannot be read.
    #[error("cannot read {}: {cause}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The OS error.
        cause: std::io::Error,
    },
    /// The file is not a dashboard body.
    #[error("{} is not a dashboard body: {cause}", .path.display())]
    NotDashboard {
        /// The file.
        path: PathBuf,
        /// Why.
        cause: BodyError,
    },
}

/// Why a dashboard of the account could not be shown (a runtime failure,
/// exit code 1: the account's body is not the user's input).
#[derive(Debug, thiserror::Error)]
pub enum AccountDashboardError {
    /// GetDashboard failed (including "not found").
    #[error("dashboard {name}: {cause}")]
    Fetch {
        /// The dashboard.
        name: String,
        /// The provider's error.
        cause: crate::provider::ProviderError,
    },
    /// The stored body is not a dashboard body.
    #[error("dashboard {name} has a body that is not a dashboard body: {cause}")]
    NotDashboard {
        /// The dashboard.
        name: String,
        /// Why.
        cause: BodyError,
    },
}

/// Prints the account's dashboards (name, last modified, body size).
pub async fn list(reads: &Reads, output: OutputFormat, out: &mut impl Write) -> Result<()> {
    let mut dashboards = reads.metrics.list_dashboards().await?;
    dashboards.sort_by(|a, b| a.name.cmp(&b.name));
    if output == OutputFormat::Json {
        crate::cli::json::write_json(out, &dashboards)?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<48} {:<20} {:>8}",
        "NAME",
        crate::report::table::zoned("MODIFIED"),
        "BYTES"
    )?;
    for d in &dashboards {
        let modified = d.modified_at.map_or_else(
            || "-".to_string(),
            |t| crate::model::zone::shown(t, "%Y-%m-%d %H:%M"),
        );
        let size = d.size.map_or_else(|| "-".to_string(), |s| s.to_string());
        writeln!(
            out,
            "{:<48} {modified:<20} {size:>8}",
            sanitize_line(&d.name)
        )?;
    }
    Ok(())
}

/// The body `source` names, parsed.
async fn load(source: &BodySource, reads: &Reads) -> Result<Dashboard> {
    Ok(match source {
        BodySource::File(path) => read_body(path)?,
        BodySource::Named(FoundDashboard { name, body }) => {
            let text = match body {
                Some(body) => body.clone(),
                None => reads.metrics.dashboard_body(name).await.map_err(|cause| {
                    AccountDashboardError::Fetch {
                        name: name.clone(),
                        cause,
                    }
                })?,
            };
            Dashboard::parse(&text).map_err(|cause| AccountDashboardError::NotDashboard {
                name: name.clone(),
                cause,
            })?
        }
    })
}

/// Whether `err` means the user named an unusable file (exit code 2).
pub fn is_bad_input(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|c| c.downcast_ref::<DashboardsCmdError>().is_some())
}

/// Where the body to show comes from.
#[derive(Debug, Clone)]
pub enum BodySource {
    /// A dashboard of the account (GetDashboard, unless finding it read
    /// the body already).
    Named(FoundDashboard),
    /// A body file.
    File(PathBuf),
}

/// What `dashboards show` was asked for.
#[derive(Debug, Clone)]
pub struct ShowRequest {
    /// The body to show.
    pub body: BodySource,
    /// Terminal width to lay out for.
    pub width: u16,
    /// Terminal height to lay out for (the output grows to hold every widget).
    pub height: u16,
    /// Range to show; `None`: the body's `start`/`end`, else the last 3 hours.
    pub range: Option<Duration>,
    /// No escape sequences.
    pub plain: bool,
}

/// Reads and parses a body file.
pub fn read_body(path: &Path) -> Result<Dashboard, DashboardsCmdError> {
    let text = std::fs::read_to_string(path).map_err(|cause| DashboardsCmdError::Read {
        path: path.to_path_buf(),
        cause,
    })?;
    Dashboard::parse(&text).map_err(|cause| DashboardsCmdError::NotDashboard {
        path: path.to_path_buf(),
        cause,
    })
}

/// How a dashboard becomes text: (body, data, (width, height), plain) ->
/// the text. The drawing is `ui`'s, which the cli never imports: the
/// caller (main) hands it in.
pub type RenderText<'a> = &'a dyn Fn(&Dashboard, &DashboardData, (u16, u16), bool) -> String;

/// Renders the body of `request` with data from the account at `now`
/// through `render`; widget errors and failed fetches are shown in place
/// (and listed on `err`), never fatal.
pub async fn show_body(
    request: &ShowRequest,
    reads: &Reads,
    render: RenderText<'_>,
    now: Timestamp,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    let dashboard = Arc::new(load(&request.body, reads).await?);
    let choice = request.range.map_or(RangeChoice::Body, RangeChoice::Last);
    let data = fetch(&dashboard, reads, choice, now).await;
    let text = render(
        &dashboard,
        &data,
        (request.width, request.height),
        request.plain,
    );
    out.write_all(text.as_bytes())?;
    for e in dashboard.errors() {
        writeln!(err, "monitui: {}", sanitize_line(&e.to_string()))?;
    }
    for e in &dashboard.settings.errors {
        writeln!(err, "monitui: {}", sanitize_line(&e.to_string()))?;
    }
    Ok(())
}

/// Everything the dashboard draws from: its metric rows in one batch (the
/// data layer's [`fetch_once`], as the Dashboards tab fetches them), and
/// the account's alarms when an alarm widget lists some. A failed call
/// marks the widgets that needed it.
async fn fetch(
    dashboard: &Arc<Dashboard>,
    reads: &Reads,
    choice: RangeChoice,
    now: Timestamp,
) -> DashboardData {
    let mut data = fetch_once(dashboard, reads, choice, now).await;
    let alarm_widgets: Vec<usize> = dashboard
        .widgets
        .iter()
        .filter(|w| matches!(w.content, Ok(WidgetContent::Alarm(_))))
        .map(|w| w.index)
        .collect();
    if !alarm_widgets.is_empty() {
        match reads.alarms.list_alarms().await {
            Ok(alarms) => data.alarms = alarms,
            Err(e) => {
                for i in alarm_widgets {
                    data.failures.insert(i, format!("alarms: {e}"));
                }
            }
        }
    }
    data
}
