//! The service level targets' data: every target's SLI fetched in one
//! GetMetricData batch (the metric math evaluated by the service, up to
//! 500 queries a call), over the longest of the windows, then each
//! target's budget and burn rates worked out from its periods. The
//! targets come from the config, else from the built-in spec for the
//! env's prefix.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::Timestamp;

use crate::config::ResolvedEnv;
use crate::model::slo::{Slo, SloStatus};
use crate::model::{MetricQuery, TimeRange};
use crate::provider::{MetricsRead, ProviderError};
use crate::provision::spec::{self, BUILTIN, SpecError, SpecSource};

/// The env's targets: its config's, else the built-in spec's (which name
/// the seed's metrics under the env's prefix).
pub fn targets_of(env: &ResolvedEnv) -> Result<Vec<Slo>, SpecError> {
    if !env.slos.is_empty() {
        return Ok(env.slos.clone());
    }
    spec::slos(&SpecSource {
        file: Path::new("built-in spec"),
        text: BUILTIN,
        env_vars: &BTreeMap::from([("prefix".to_string(), env.prefix.clone())]),
        cli_vars: &BTreeMap::new(),
    })
}

/// The queries of every target, in one list (target `k`'s expressions
/// answer under `s{k}...`).
pub fn queries(slos: &[Slo]) -> Vec<MetricQuery> {
    slos.iter()
        .enumerate()
        .flat_map(|(k, slo)| slo.queries(k))
        .collect()
}

/// The range one fetch asks for: back far enough for every target's
/// window and burn windows, from an hour boundary (every period the
/// targets may use divides an hour or is a multiple of one), to `now`.
pub fn range(slos: &[Slo], now: Timestamp) -> TimeRange {
    let span = slos.iter().map(Slo::span_secs).max().unwrap_or(0);
    let start = now.as_second() - span as i64;
    let aligned = start - start.rem_euclid(3600);
    TimeRange {
        start: Timestamp::from_second(aligned).unwrap_or(now),
        end: now,
    }
}

/// Fetches every target's SLI in one batch and works out where each
/// stands at `now`. A target whose expressions the service could not
/// evaluate says why; a failed call fails all of them.
pub async fn statuses(
    metrics: &dyn MetricsRead,
    slos: &[Slo],
    now: Timestamp,
) -> Result<Vec<SloStatus>, ProviderError> {
    if slos.is_empty() {
        return Ok(Vec::new());
    }
    let series = metrics
        .metric_data(&queries(slos), range(slos, now))
        .await?;
    Ok(slos
        .iter()
        .enumerate()
        .map(|(k, slo)| match slo.periods(k, &series, now) {
            Ok(periods) => slo.status(&periods, now),
            Err(e) => slo.failed(e),
        })
        .collect())
}

#[cfg(test)]
mod tests;
