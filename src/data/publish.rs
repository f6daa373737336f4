//! Publishing a custom metric value (`monitui metrics put`): a write, so
//! it goes through the session (refused in read-only mode) and is audited.

use super::audit::{AuditEntry, AuditError, AuditLog, AuditResult};
use super::session::Session;
use crate::model::{Clock, MetricDatum};
use crate::provider::ProviderError;

/// Why a value was not published.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// Refused (read-only) or failed.
    #[error(transparent)]
    Provider(#[from] ProviderError),
    /// Published, but not recorded.
    #[error("published, but the audit log could not be written: {0}")]
    Audit(#[from] AuditError),
}

/// Publishes `datum` and records the attempt.
pub async fn put_metric(
    session: &Session,
    datum: &MetricDatum,
    audit: &AuditLog,
    clock: &dyn Clock,
) -> Result<(), PublishError> {
    let result = match session.writes("PutMetricData") {
        Ok(writes) => {
            writes
                .metrics
                .put_metric_data(&datum.metric.namespace, std::slice::from_ref(datum))
                .await
        }
        Err(e) => Err(e),
    };
    let (outcome, message) = match &result {
        Ok(()) => (AuditResult::Ok, format!("value {}", datum.value)),
        Err(e @ ProviderError::ReadOnly { .. }) => (AuditResult::Refused, e.to_string()),
        Err(e) => (AuditResult::Failed, e.to_string()),
    };
    let who = match session.reads.identity.caller_identity().await {
        Ok(identity) => identity.short_name().to_string(),
        Err(_) => "unknown".to_string(),
    };
    audit.append(&AuditEntry {
        when: clock.now(),
        who,
        what: "metrics put".into(),
        alarm: format!("{}/{}", datum.metric.namespace, datum.metric.name),
        env: session.env.clone(),
        result: outcome,
        note: String::new(),
        message,
    })?;
    Ok(result?)
}
