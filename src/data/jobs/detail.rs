//! The open alarm's detail view: its chart and history over the chosen
//! range ([`load_detail`]), loaded again on the env's interval and when a
//! refresh is asked for, until closed or another alarm is opened.

use std::sync::Arc;
use std::time::Duration;

use super::{Job, JobContext, Sink, Task, pause};
use crate::data::detail::{AlarmDetail, load_detail};
use crate::model::TimeRange;

/// What the detail view asks of its job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetailCommand {
    /// Load (and keep refreshing) one alarm's detail over the last `range`.
    Load {
        /// Alarm name.
        alarm: String,
        /// How far back the chart goes.
        range: Duration,
    },
    /// Stop refreshing the detail view.
    Close,
}

/// The detail view's job of one data layer.
pub struct DetailJob {
    sink: Sink<AlarmDetail>,
    task: Task,
}

impl DetailJob {
    /// The job, posting to `sink`.
    pub fn new(sink: Sink<AlarmDetail>) -> Self {
        Self {
            sink,
            task: Task::default(),
        }
    }
}

impl Job for DetailJob {
    type Command = DetailCommand;

    fn handle(&mut self, command: DetailCommand, ctx: &JobContext) {
        match command {
            DetailCommand::Load { alarm, range } => {
                let follow = follow(ctx.clone(), Arc::clone(&self.sink), alarm, range);
                self.task.start(&ctx.runtime, follow);
            }
            DetailCommand::Close => self.task.stop(),
        }
    }

    /// The view stays open while connecting: it loads once connected.
    fn unconnected(&mut self, command: DetailCommand, _why: &str) -> Option<DetailCommand> {
        Some(command)
    }

    /// Only the view opened last (or closed) counts.
    fn supersedes(_later: &DetailCommand, earlier: &DetailCommand) -> bool {
        matches!(earlier, DetailCommand::Load { .. })
    }
}

/// Keeps posting the detail of `name` until stopped.
async fn follow(ctx: JobContext, sink: Sink<AlarmDetail>, name: String, range: Duration) {
    let mut alarms = ctx.alarms.clone();
    let mut woken = ctx.woken();
    loop {
        let loaded = alarms.wait_for(Option::is_some).await.ok().and_then(|a| {
            a.as_ref()
                .and_then(|list| list.iter().find(|x| x.name == name).cloned())
        });
        let now = ctx.clock.now();
        let detail = match loaded {
            Some(alarm) => load_detail(&ctx.session.reads, &alarm, range, now).await,
            None => AlarmDetail {
                alarm: name.clone(),
                range: TimeRange {
                    start: now,
                    end: now,
                },
                series: None,
                band: None,
                history: Vec::new(),
                error: Some(format!("no alarm named '{name}'")),
                explanation: None,
            },
        };
        sink(detail);
        pause(ctx.interval, &mut woken).await;
    }
}
