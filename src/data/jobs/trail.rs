//! The CloudTrail tab's search job: one search at a time, the newest
//! request replacing one still running, on the env's [`LiveTrailSearch`]
//! (so every search of the account shares the two-requests-a-second
//! limiter). It posts a [`TrailUpdate`] after every page (progress) and
//! once at the end (the results or the error). Searching only reads, so it
//! runs the same in read-only mode.

use std::sync::Arc;

use jiff::Timestamp;

use super::{Job, JobContext, Sink, Task};
use crate::data::trail_search::{LiveOptions, LiveTrailSearch, TrailProgress, TrailSearch};
use crate::model::time_bound::{TimeBound, WindowError, resolve_window};
use crate::model::trail::TrailCriteria;

/// Results the tab keeps at most (the "more available" marker says when
/// there were more).
pub const TAB_LIMIT: usize = 500;
/// LookupEvents pages a tab search reads at most: 2,000 events, 20 s at
/// the quota.
pub const TAB_MAX_PAGES: usize = 40;

/// How the tab's searches page and pace themselves.
pub fn tab_options() -> LiveOptions {
    LiveOptions {
        limit: TAB_LIMIT,
        max_pages: TAB_MAX_PAGES,
        ..LiveOptions::default()
    }
}

/// A search the tab asks for: the criteria without their time window, and
/// the window's bounds, resolved against the data layer's clock when the
/// search starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailRequest {
    /// Which request this is; the events it causes carry it, so the tab
    /// can ignore those of a request it has replaced.
    pub id: u64,
    /// Attributes and preset (`since`/`until` are set from the bounds).
    pub criteria: TrailCriteria,
    /// Earliest event, if bounded.
    pub since: Option<TimeBound>,
    /// Latest event, if bounded.
    pub until: Option<TimeBound>,
}

impl TrailRequest {
    /// The criteria with the window resolved at `now`.
    pub fn criteria_at(&self, now: Timestamp) -> Result<TrailCriteria, WindowError> {
        let (since, until) = resolve_window(self.since, self.until, now)?;
        Ok(TrailCriteria {
            since,
            until,
            ..self.criteria.clone()
        })
    }
}

/// Where a tab search has got.
#[derive(Debug, Clone, PartialEq)]
pub enum TrailStatus {
    /// Still reading pages.
    Progress(TrailProgress),
    /// Finished: what it found.
    Done(Arc<TrailSearch>),
    /// Failed: why, in a sentence.
    Failed(String),
}

/// What a tab search tells the tab: where search `id` has got.
#[derive(Debug, Clone, PartialEq)]
pub struct TrailUpdate {
    /// The request ([`TrailRequest::id`]).
    pub id: u64,
    /// Where it got.
    pub status: TrailStatus,
}

/// Runs one tab search to its end, posting progress and the outcome.
pub async fn run_search(
    searcher: Arc<LiveTrailSearch>,
    request: TrailRequest,
    now: Timestamp,
    sink: Sink<TrailUpdate>,
) {
    let id = request.id;
    let post = |status| sink(TrailUpdate { id, status });
    let criteria = match request.criteria_at(now) {
        Ok(criteria) => criteria,
        Err(e) => return post(TrailStatus::Failed(e.to_string())),
    };
    let mut progress = |p| post(TrailStatus::Progress(p));
    let status = match searcher.search_reporting(&criteria, &mut progress).await {
        Ok(found) => TrailStatus::Done(Arc::new(found)),
        Err(e) => TrailStatus::Failed(e.to_string()),
    };
    post(status);
}

/// The tab's searches of one data layer: one at a time, on the env's
/// [`LiveTrailSearch`] (made at the first search).
pub struct TrailJob {
    sink: Sink<TrailUpdate>,
    searcher: Option<Arc<LiveTrailSearch>>,
    search: Task,
}

impl TrailJob {
    /// The job, posting to `sink`.
    pub fn new(sink: Sink<TrailUpdate>) -> Self {
        Self {
            sink,
            searcher: None,
            search: Task::default(),
        }
    }
}

impl Job for TrailJob {
    type Command = TrailRequest;

    fn handle(&mut self, request: TrailRequest, ctx: &JobContext) {
        let searcher = self.searcher.get_or_insert_with(|| {
            let trail = Arc::clone(&ctx.session.reads.trail);
            Arc::new(LiveTrailSearch::new(trail, tab_options()))
        });
        let search = run_search(
            Arc::clone(searcher),
            request,
            ctx.clock.now(),
            Arc::clone(&self.sink),
        );
        self.search.start(&ctx.runtime, search);
    }

    /// Someone waits on a search: it fails with `why`, nothing is sent.
    fn unconnected(&mut self, request: TrailRequest, why: &str) -> Option<TrailRequest> {
        (self.sink)(TrailUpdate {
            id: request.id,
            status: TrailStatus::Failed(why.to_string()),
        });
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ManualClock;
    use crate::model::trail::Preset;
    use crate::provider::sim::SimProvider;
    use std::sync::Mutex;
    use std::time::Duration;

    fn now() -> Timestamp {
        "2026-01-16T14:43:30Z".parse().unwrap()
    }

    fn searcher() -> Arc<LiveTrailSearch> {
        let clock = Arc::new(ManualClock::new(now()));
        let sim = SimProvider::new(1, clock, "ecommerce-ai-platform");
        let options = LiveOptions {
            interval: Duration::ZERO,
            ..tab_options()
        };
        Arc::new(LiveTrailSearch::new(Arc::new(sim), options))
    }

    fn collect(request: TrailRequest) -> Vec<TrailUpdate> {
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink_events = Arc::clone(&events);
        let sink: Sink<TrailUpdate> = Arc::new(move |e| sink_events.lock().unwrap().push(e));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(run_search(searcher(), request, now(), sink));
        Arc::try_unwrap(events).unwrap().into_inner().unwrap()
    }

    #[test]
    fn a_search_posts_progress_then_its_results_under_its_id() {
        let events = collect(TrailRequest {
            id: 7,
            criteria: TrailCriteria {
                preset: Some(Preset::ConsoleLogins),
                ..TrailCriteria::default()
            },
            since: Some(TimeBound::Ago(Duration::from_secs(86_400))),
            until: None,
        });
        let (last, progress) = events.split_last().unwrap();
        assert!(!progress.is_empty());
        for event in progress {
            assert!(matches!(
                event,
                TrailUpdate {
                    id: 7,
                    status: TrailStatus::Progress(_)
                }
            ));
        }
        let TrailUpdate {
            id: 7,
            status: TrailStatus::Done(found),
        } = last
        else {
            panic!("{last:?}");
        };
        assert!(!found.records.is_empty());
        assert!(found.records.iter().all(|r| r.event_name == "ConsoleLogin"));
    }

    #[test]
    fn a_reversed_window_fails_with_a_message() {
        let ago = |s| Some(TimeBound::Ago(Duration::from_secs(s)));
        let events = collect(TrailRequest {
            id: 1,
            criteria: TrailCriteria::default(),
            since: ago(60),
            until: ago(3600),
        });
        assert_eq!(events.len(), 1);
        let TrailUpdate {
            status: TrailStatus::Failed(message),
            ..
        } = &events[0]
        else {
            panic!("{events:?}");
        };
        assert!(message.contains("is after"), "{message}");
    }
}
