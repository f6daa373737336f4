//! Listing alarms ALARM first. The alarms in ALARM (one DescribeAlarms
//! request with StateValue=ALARM) are asked for side by side with the full
//! listing, so what fires is known after one round trip whatever the size
//! of the account, while the full listing still follows its pages one
//! after another. For `alarms list`, the tag reads that can matter start
//! as each page (and the ALARM page) arrives instead of after the last page.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::annotations::Annotation;
use super::annotations::{TagReads, needs_tags};
use crate::model::Alarm;
use crate::model::alarm::sort_for_oncall;
use crate::provider::{AlarmsRead, FiringAlarms, OnPage, ProviderError, ProviderResult, Reads};

/// Every alarm; if the alarms in ALARM are in before the full listing is,
/// `on_firing` gets them first (sorted for on-call) and nothing if the
/// full listing wins. A failed ALARM request costs only the early view:
/// the full listing is the answer. `on_page` sees each page as it arrives.
pub async fn alarm_first(
    alarms: &dyn AlarmsRead,
    on_firing: impl FnOnce(FiringAlarms),
    on_page: &mut OnPage<'_>,
) -> ProviderResult<Vec<Alarm>> {
    let listing = alarms.list_alarm_pages(on_page);
    let firing = alarms.firing_alarms();
    tokio::pin!(listing, firing);
    tokio::select! {
        biased;
        all = &mut listing => return all,
        first = &mut firing => match first {
            Ok(mut first) => {
                sort_for_oncall(&mut first.alarms);
                on_firing(first);
            }
            Err(e) => tracing::warn!("the alarms in ALARM, asked for first: {e}"),
        },
    }
    listing.await
}

/// What `alarms list` is told about the alarms in ALARM when they come in
/// before the full listing: first the alarms, then each with its
/// annotation as soon as its own tag read is in, in the same order. So a
/// row can be shown after one request and one tag read, and never before
/// its acks and silences are known.
#[derive(Debug)]
pub enum FiringFirst<'a> {
    /// The alarms in ALARM, sorted for on-call; their annotations follow.
    Listed(&'a FiringAlarms),
    /// The next of those alarms, with its acks and silences.
    Annotated(&'a Alarm, &'a Annotation),
}

/// Every alarm with the annotations that can count, as fast as the
/// listing's pages allow: the ALARM request, ListAlarmMuteRules and the
/// first DescribeAlarms page leave together; each page's tag reads (alarms
/// in ALARM or with actions off, see [`needs_tags`]) start when it
/// arrives, a bounded number at a time, and the muted alarms' once the
/// mute rules are known. If the alarms in ALARM are in before the full
/// listing, `on_firing` gets them ([`FiringFirst::Listed`]) and then each
/// with its annotation ([`FiringFirst::Annotated`]), all of them, before
/// this returns.
pub async fn annotated_alarm_first(
    reads: &Reads,
    mut on_firing: impl FnMut(FiringFirst<'_>),
) -> Result<(Vec<Alarm>, BTreeMap<String, Annotation>), ProviderError> {
    let muted = tokio::spawn({
        let alarms = Arc::clone(&reads.alarms);
        async move { alarms.active_mute_rules().await }
    });
    let tags = TagReads::new(reads);
    let alarms = {
        let listing = async {
            let mut on_page = |page: &[Alarm]| {
                for alarm in page.iter().filter(|a| needs_tags(a, None)) {
                    tags.start(alarm);
                }
            };
            reads.alarms.list_alarm_pages(&mut on_page).await
        };
        let firing = async {
            let mut firing = reads.alarms.firing_alarms().await?;
            sort_for_oncall(&mut firing.alarms);
            firing.alarms.iter().for_each(|a| tags.start(a));
            Ok::<_, ProviderError>(firing)
        };
        tokio::pin!(listing, firing);
        tokio::select! {
            biased;
            all = &mut listing => all?,
            first = &mut firing => match first {
                Ok(first) => {
                    on_firing(FiringFirst::Listed(&first));
                    let rows = annotate_in_order(&tags, &first.alarms, &mut on_firing);
                    tokio::join!(&mut listing, rows).0?
                }
                Err(e) => {
                    tracing::warn!("the alarms in ALARM, asked for first: {e}");
                    listing.await?
                }
            },
        }
    };
    let muted = muted.await.map_err(|e| ProviderError::Network {
        operation: "ListAlarmMuteRules".into(),
        message: format!("task ended: {e}"),
    })??;
    for alarm in alarms.iter().filter(|a| needs_tags(a, muted.as_ref())) {
        tags.start(alarm);
    }
    let mut read = tags.finish().await?;
    let annotations = alarms
        .iter()
        .filter(|a| needs_tags(a, muted.as_ref()))
        .map(|a| (a.name.clone(), read.remove(&a.name).unwrap_or_default()))
        .collect();
    Ok((alarms, annotations))
}

/// Hands each of `alarms` (whose tag reads are started) to `on_firing`
/// with its annotation once its read is in, in order. A failed read ends
/// it: the whole listing reports that failure.
async fn annotate_in_order(
    tags: &TagReads,
    alarms: &[Alarm],
    on_firing: &mut impl FnMut(FiringFirst<'_>),
) {
    for alarm in alarms {
        match tags.wait_for(&[alarm.name.as_str()]).await {
            Ok(read) => {
                let annotation = read.get(&alarm.name).cloned().unwrap_or_default();
                on_firing(FiringFirst::Annotated(alarm, &annotation));
            }
            Err(e) => {
                tracing::warn!("the acks of the alarms in ALARM, read first: {e}");
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests;
