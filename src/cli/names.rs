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

/// A dashboard found by the name typed, with its body when finding it
/// already read it (so `dashboards show` does not read it twice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDashboard {
    /// The dashboard's full name.
    pub name: String,
    /// Its body, when the exact name was tried and answered.
    pub body: Option<String>,
}

/// The dashboard `given` means: a dashboard of that name (one read, whose
/// body is kept), else the one whose name without the env's `prefix` is
/// `given`. The exact name is tried first so that a full name never needs
/// the listing.
pub async fn dashboard(
    metrics: &dyn MetricsRead,
    prefix: &str,
    given: &str,
) -> Result<FoundDashboard> {
    match metrics.dashboard_body(given).await {
        Ok(body) => {
            return Ok(FoundDashboard {
                name: given.to_string(),
                body: Some(body),
            });
        }
        Err(ProviderError::NotFound(_)) => {}
        Err(e) => return Err(e.into()),
    }
    let names: Vec<String> = metrics
        .list_dashboards()
        .await?
        .into_iter()
        .map(|d| d.name)
        .collect();
    let name = resolve("dashboard", given, &names, |n| without_prefix(n, prefix))?;
    Ok(FoundDashboard {
        name: name.to_string(),
        body: None,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use async_trait::async_trait;

    use super::*;
    use crate::model::metric_browse::{MetricFilter, MetricList};
    use crate::model::{DashboardSummary, ManualClock, MetricQuery, Series, TimeRange};
    use crate::provider::ProviderResult;
    use crate::provider::sim::SimProvider;

    /// The demo account's metrics, counting the dashboard reads.
    #[derive(Debug)]
    struct Counted {
        sim: SimProvider,
        bodies: AtomicUsize,
        lists: AtomicUsize,
    }

    #[async_trait]
    impl MetricsRead for Counted {
        async fn metric_data(
            &self,
            queries: &[MetricQuery],
            range: TimeRange,
        ) -> ProviderResult<Vec<Series>> {
            self.sim.metric_data(queries, range).await
        }

        async fn list_metrics(
            &self,
            filter: &MetricFilter,
            limit: usize,
        ) -> ProviderResult<MetricList> {
            self.sim.list_metrics(filter, limit).await
        }

        async fn list_dashboards(&self) -> ProviderResult<Vec<DashboardSummary>> {
            self.lists.fetch_add(1, Ordering::SeqCst);
            self.sim.list_dashboards().await
        }

        async fn dashboard_body(&self, name: &str) -> ProviderResult<String> {
            self.bodies.fetch_add(1, Ordering::SeqCst);
            self.sim.dashboard_body(name).await
        }
    }

    fn demo() -> Counted {
        let clock = Arc::new(ManualClock::new("2026-01-16T14:43:30Z".parse().unwrap()));
        Counted {
            sim: SimProvider::new(7, clock, "ecommerce-ai-platform"),
            bodies: AtomicUsize::new(0),
            lists: AtomicUsize::new(0),
        }
    }

    #[tokio::test]
    async fn a_full_dashboard_name_is_read_once_and_its_body_kept() {
        let metrics = demo();
        let full = metrics.sim.list_dashboards().await.unwrap()[0].name.clone();
        let found = dashboard(&metrics, "ecommerce-ai-platform", &full)
            .await
            .unwrap();
        assert_eq!(found.name, full);
        assert_eq!(
            found.body,
            Some(metrics.sim.dashboard_body(&full).await.unwrap())
        );
        assert_eq!(metrics.bodies.load(Ordering::SeqCst), 1, "read once");
        assert_eq!(metrics.lists.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn a_short_name_is_found_in_the_listing_without_a_body() {
        let metrics = demo();
        let full = metrics.sim.list_dashboards().await.unwrap()[0].name.clone();
        let short = full.strip_prefix("ecommerce-ai-platform-").unwrap();
        let found = dashboard(&metrics, "ecommerce-ai-platform", short)
            .await
            .unwrap();
        assert_eq!(
            found,
            FoundDashboard {
                name: full,
                body: None
            }
        );
        assert_eq!(
            metrics.bodies.load(Ordering::SeqCst),
            1,
            "the exact name was tried"
        );
        assert_eq!(metrics.lists.load(Ordering::SeqCst), 1);
    }
}
