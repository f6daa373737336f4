//! The names typed on the command line, turned into the names the account
//! knows (see [`crate::model::names`]): an alarm's, a log group's or a
//! dashboard's short name as the TUI shows it works where it is unique; a
//! miss names the nearest ones.

use anyhow::Result;

use crate::model::logs::short_group_name;
use crate::model::names::{resolve, without_prefix};
use crate::provider::{AlarmsRead, LogsRead, MetricsRead, ProviderError};

/// The alarm `given` means: an alarm of that name (one read), else the one
/// whose name without the env's `prefix` is `given`.
pub async fn alarm(alarms: &dyn AlarmsRead, prefix: &str, given: &str) -> Result<String> {
    if alarms.alarm(given).await?.is_some() {
        return Ok(given.to_string());
    }
    let names: Vec<String> = alarms
        .list_alarms()
        .await?
        .into_iter()
        .map(|a| a.name)
        .collect();
    Ok(resolve("alarm", given, &names, |n| without_prefix(n, prefix))?.to_string())
}

/// The log groups `given` mean, in order: a name with a `/` as it is
/// (groups are paths; no read), else the group whose short name (as the
/// Logs tab shows it: `auth-service`) or full name it is.
pub async fn log_groups(
    logs: &dyn LogsRead,
    prefix: &str,
    given: &[String],
) -> Result<Vec<String>> {
    if given.iter().all(|g| g.contains('/')) {
        return Ok(given.to_vec());
    }
    let names: Vec<String> = logs
        .list_log_groups()
        .await?
        .into_iter()
        .map(|g| g.name)
        .collect();
    given
        .iter()
        .map(|g| {
            if g.contains('/') {
                return Ok(g.clone());
            }
            Ok(resolve("log group", g, &names, |n| short_group_name(n, prefix))?.to_string())
        })
        .collect()
}

/// The dashboard `given` means: a dashboard of that name (one read), else
/// the one whose name without the env's `prefix` is `given`. The exact
/// name is tried first so that a full name never needs the listing.
pub async fn dashboard(metrics: &dyn MetricsRead, prefix: &str, given: &str) -> Result<String> {
    match metrics.dashboard_body(given).await {
        Ok(_) => return Ok(given.to_string()),
        Err(ProviderError::NotFound(_)) => {}
        Err(e) => return Err(e.into()),
    }
    let names: Vec<String> = metrics
        .list_dashboards()
        .await?
        .into_iter()
        .map(|d| d.name)
        .collect();
    Ok(resolve("dashboard", given, &names, |n| without_prefix(n, prefix))?.to_string())
}
