//! Reading acks and silences back from the alarms' tags, a bounded number
//! of ListTagsForResource calls at a time.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::events::Annotation;
use crate::model::Alarm;
use crate::model::ack::{Ack, Silence};
use crate::provider::{Provider, ProviderError};

/// How many tag reads run at once.
pub const TAG_READS_AT_ONCE: usize = 8;

/// The annotation of every alarm in `alarms`, by alarm name (alarms with
/// no monitui tags get an empty [`Annotation`]). Fails on the first
/// failed read.
pub async fn read_annotations(
    provider: &Arc<dyn Provider>,
    alarms: &[Alarm],
) -> Result<BTreeMap<String, Annotation>, ProviderError> {
    let permits = Arc::new(Semaphore::new(TAG_READS_AT_ONCE));
    let mut reads = JoinSet::new();
    for alarm in alarms {
        let provider = Arc::clone(provider);
        let permits = Arc::clone(&permits);
        let (name, arn) = (alarm.name.clone(), alarm.arn.clone());
        reads.spawn(async move {
            let _permit = permits.acquire_owned().await;
            provider.tags(&arn).await.map(|tags| {
                let annotation = Annotation {
                    ack: Ack::from_tags(&tags),
                    silence: Silence::from_tags(&tags),
                };
                (name, annotation)
            })
        });
    }
    let mut out = BTreeMap::new();
    while let Some(joined) = reads.join_next().await {
        let (name, annotation) = joined.map_err(|e| ProviderError::Network {
            operation: "ListTagsForResource".into(),
            message: format!("tag read task ended: {e}"),
        })??;
        out.insert(name, annotation);
    }
    Ok(out)
}
