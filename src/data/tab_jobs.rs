//! The tabs' own jobs: each serves one tab's requests (a [`TabMessage`]
//! of the job's command type) and posts that tab's events (as
//! [`DataEvent::Tab`]). The refresher hands every `DataCommand::Tab` here
//! without knowing whose it is; a new tab's job gets its line in
//! [`TabJobs::new`] and no other central file of the data layer.

use std::any::Any;

use super::events::{DataEvent, EventSink};
use super::jobs::dashboard::{DASHBOARD, DashboardEvent, DashboardJob};
use super::jobs::insights::InsightsJob;
use super::jobs::logs::LogsJob;
use super::jobs::metrics::ExplorerJob;
use super::jobs::trail::TrailJob;
use super::jobs::{Job, JobContext, Link, Mailbox, mapped};
use super::tab_message::TabMessage;

/// A tab's job as the refresher sees it: it takes the commands of its
/// own type.
trait TabJob: Send {
    /// Takes `command` if it is this job's type, or hands it back.
    fn offer(&mut self, command: TabMessage, link: &Link) -> Option<TabMessage>;

    /// The session is up (see [`Mailbox::connect`]).
    fn connect(&mut self, ctx: &JobContext);
}

impl<J> TabJob for Mailbox<J>
where
    J: Job + Send,
    J::Command: Any + Send + Sync + Clone,
{
    fn offer(&mut self, command: TabMessage, link: &Link) -> Option<TabMessage> {
        match command.take::<J::Command>() {
            Ok(command) => {
                self.deliver(command, link);
                None
            }
            Err(other) => Some(other),
        }
    }

    fn connect(&mut self, ctx: &JobContext) {
        Mailbox::connect(self, ctx);
    }
}

/// The jobs of the Dashboards, Logs (and its Insights view), CloudTrail
/// and Metrics tabs.
pub struct TabJobs(Vec<Box<dyn TabJob>>);

impl TabJobs {
    /// The jobs, each posting its events into `sink`.
    pub fn new(sink: &EventSink) -> Self {
        Self(vec![
            Box::new(Mailbox::new(TrailJob::new(mapped(sink, DataEvent::tab)))),
            Box::new(Mailbox::new(DashboardJob::new(mapped(
                sink,
                |event| match event {
                    DashboardEvent::Degraded(error) => DataEvent::Degraded {
                        what: DASHBOARD,
                        error,
                    },
                    event => DataEvent::tab(event),
                },
            )))),
            Box::new(Mailbox::new(InsightsJob::new(mapped(sink, DataEvent::tab)))),
            Box::new(Mailbox::new(LogsJob::new(mapped(sink, DataEvent::tab)))),
            Box::new(Mailbox::new(ExplorerJob::new(mapped(sink, DataEvent::tab)))),
        ])
    }

    /// Hands `command` to the job of its type. A type no job serves is a
    /// tab asking for something that does not exist: it is handed back.
    pub fn route(&mut self, mut command: TabMessage, link: &Link) -> Result<(), TabMessage> {
        for job in &mut self.0 {
            match job.offer(command, link) {
                Some(other) => command = other,
                None => return Ok(()),
            }
        }
        Err(command)
    }

    /// The session is up: every job starts and serves what it kept.
    pub fn connect(&mut self, ctx: &JobContext) {
        for job in &mut self.0 {
            job.connect(ctx);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::data::jobs::dashboard::DashboardCommand;
    use crate::data::jobs::insights::InsightsCommand;
    use crate::data::jobs::logs::LogsCommand;
    use crate::data::jobs::metrics::{ExplorerCommand, ExplorerEvent};
    use crate::data::jobs::trail::TrailRequest;
    use crate::provider::ProviderError;

    #[test]
    fn every_tab_s_request_reaches_its_job_and_an_unknown_one_comes_back() {
        let posted = Arc::new(Mutex::new(Vec::new()));
        let sink: EventSink = {
            let posted = Arc::clone(&posted);
            Arc::new(move |event| posted.lock().unwrap().push(event))
        };
        let mut jobs = TabJobs::new(&sink);
        let down = ProviderError::Network {
            operation: "GetCallerIdentity".into(),
            message: "refused".into(),
        };
        let link = Link::Connecting(&down);
        let requests = [
            TabMessage::new(TrailRequest {
                id: 1,
                criteria: Default::default(),
                since: None,
                until: None,
            }),
            TabMessage::new(DashboardCommand::Visible(true)),
            TabMessage::new(InsightsCommand::Cancel),
            TabMessage::new(LogsCommand::ListGroups),
            TabMessage::new(ExplorerCommand::List { id: 4 }),
        ];
        for request in requests {
            assert_eq!(jobs.route(request, &link), Ok(()));
        }
        let unknown = TabMessage::new(7_u32);
        assert_eq!(jobs.route(unknown.clone(), &link), Err(unknown));
        let posted = posted.lock().unwrap();
        let answered = posted.iter().find_map(|e| e.for_tab::<ExplorerEvent>());
        assert!(
            matches!(answered, Some(ExplorerEvent::Listed { id: 4, result: Err(why) }) if why.starts_with("not connected yet")),
            "the metrics job answers its listing as a tab event: {posted:?}"
        );
    }
}
