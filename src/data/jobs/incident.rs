//! The open incident timeline: gathered piece by piece ([`gather`]),
//! and, while it follows the alarm's current episode (no fixed window),
//! gathered again every [`INCIDENT_REFRESH`] until closed.

use std::time::Duration;

use super::{Job, JobContext, Sink, Task, pause};
use crate::data::incident::{IncidentRequest, Piece, gather};

/// How often an open timeline of an ongoing episode is gathered again.
pub const INCIDENT_REFRESH: Duration = Duration::from_secs(30);

/// What the incident view asks of its job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncidentCommand {
    /// Gather (and, following the current episode, keep gathering) an
    /// alarm's timeline.
    Load(IncidentRequest),
    /// Stop gathering the timeline.
    Close,
}

/// What the job tells the incident view.
#[derive(Debug, Clone, PartialEq)]
pub enum IncidentEvent {
    /// A piece of the timeline of `alarm`.
    Piece {
        /// Whose timeline.
        alarm: String,
        /// The piece.
        piece: Box<Piece>,
    },
    /// The timeline of `alarm` could not be gathered at all.
    Failed {
        /// Whose timeline.
        alarm: String,
        /// Why.
        error: String,
    },
}

/// The incident view's job of one data layer.
pub struct IncidentJob {
    sink: Sink<IncidentEvent>,
    task: Task,
}

impl IncidentJob {
    /// The job, posting to `sink`.
    pub fn new(sink: Sink<IncidentEvent>) -> Self {
        Self {
            sink,
            task: Task::default(),
        }
    }
}

impl Job for IncidentJob {
    type Command = IncidentCommand;

    fn handle(&mut self, command: IncidentCommand, ctx: &JobContext) {
        match command {
            IncidentCommand::Load(request) => {
                let follow = follow(ctx.clone(), self.sink.clone(), request);
                self.task.start(&ctx.runtime, follow);
            }
            IncidentCommand::Close => self.task.stop(),
        }
    }

    /// The view stays open while connecting: it is gathered once connected.
    fn unconnected(&mut self, command: IncidentCommand, _why: &str) -> Option<IncidentCommand> {
        Some(command)
    }

    /// Only the timeline opened last (or closed) counts.
    fn supersedes(_later: &IncidentCommand, earlier: &IncidentCommand) -> bool {
        matches!(earlier, IncidentCommand::Load(_))
    }
}

/// Gathers the timeline of `request`, posting each piece as it arrives,
/// and again while it follows the current episode, until stopped.
async fn follow(ctx: JobContext, sink: Sink<IncidentEvent>, request: IncidentRequest) {
    let mut woken = ctx.woken();
    loop {
        let post = |piece| {
            sink(IncidentEvent::Piece {
                alarm: request.alarm.clone(),
                piece: Box::new(piece),
            })
        };
        if let Err(e) = gather(&ctx.sources, &request, ctx.clock.now(), &post).await {
            sink(IncidentEvent::Failed {
                alarm: request.alarm.clone(),
                error: e.to_string(),
            });
        }
        if request.window.is_some() {
            return;
        }
        pause(INCIDENT_REFRESH.max(ctx.interval), &mut woken).await;
    }
}
