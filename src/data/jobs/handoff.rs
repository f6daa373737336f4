//! The shift handoff the TUI asks for (`H`): gathered once ([`gather`])
//! and posted, a new ask replacing one still being gathered.

use std::sync::Arc;

use jiff::SignedDuration;

use super::{Job, JobContext, Sink, Task};
use crate::data::handoff::{Handoff, gather};
use crate::model::TimeRange;

/// The handoff, or why it could not be gathered.
pub type HandoffResult = Result<Arc<Handoff>, String>;

/// The handoff's job of one data layer; its command is how far back the
/// shift goes.
pub struct HandoffJob {
    sink: Sink<HandoffResult>,
    task: Task,
}

impl HandoffJob {
    /// The job, posting to `sink`.
    pub fn new(sink: Sink<HandoffResult>) -> Self {
        Self {
            sink,
            task: Task::default(),
        }
    }
}

impl Job for HandoffJob {
    type Command = SignedDuration;

    fn handle(&mut self, since: SignedDuration, ctx: &JobContext) {
        let (shared, sink) = (ctx.clone(), Arc::clone(&self.sink));
        let gathering = async move {
            let now = shared.clock.now();
            let window = TimeRange {
                start: now.checked_sub(since).unwrap_or(now),
                end: now,
            };
            let gathered = gather(&shared.sources, &shared.env, window, now).await;
            sink(gathered.map(Arc::new).map_err(|e| e.to_string()));
        };
        self.task.start(&ctx.runtime, gathering);
    }

    /// Someone waits on the handoff: it is answered with `why`.
    fn unconnected(&mut self, _since: SignedDuration, why: &str) -> Option<SignedDuration> {
        (self.sink)(Err(why.to_string()));
        None
    }
}
