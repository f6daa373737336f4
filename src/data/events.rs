//! What background jobs tell the UI, and what the UI asks of them.

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;

pub use super::annotations::Annotation;
use super::connection::LinkState;
pub use super::detail::AlarmDetail;
use super::tab_message::TabMessage;
use crate::model::{Alarm, Identity, Series};

/// A result or status change from a background job.
#[derive(Debug, Clone, PartialEq)]
pub enum DataEvent {
    /// Who we are, once known.
    Identity(Identity),
    /// A fresh alarm list (sorted ALARM first) and when it was fetched.
    Alarms {
        /// The alarms.
        alarms: Arc<Vec<Alarm>>,
        /// Fetch time.
        fetched_at: Timestamp,
    },
    /// The alarms in ALARM (sorted for on-call), in before the first full
    /// list: shown while the rest still loads, which the UI must say (no
    /// all-clear from them).
    FiringFirst {
        /// The alarms in ALARM.
        alarms: Arc<Vec<Alarm>>,
        /// Whether these are all the alarms in ALARM (one page of them).
        all: bool,
        /// Fetch time.
        fetched_at: Timestamp,
    },
    /// Acks and silences read from the alarms' tags, by alarm name.
    Annotations(Arc<BTreeMap<String, Annotation>>),
    /// The shift handoff asked for, or why it could not be gathered.
    Handoff(Result<Arc<super::handoff::Handoff>, String>),
    /// How many times each alarm entered ALARM in the last 24 hours.
    Flaps(Arc<super::history::FlapCounts>),
    /// Recent values of every alarm's metric (and pinned metrics) for the
    /// Overview; series ids are alarm names or pinned-metric labels.
    Overview(Arc<Vec<Series>>),
    /// Where each service level target stands (the Overview's Targets
    /// panel), in the order of the env's targets.
    Slos(Arc<Vec<crate::model::slo::SloStatus>>),
    /// The data behind one alarm's detail view.
    Detail(Box<AlarmDetail>),
    /// A mutation finished: a message saying what happened, or why not.
    MutationDone {
        /// What was asked.
        mutation: Mutation,
        /// Success message or error message.
        result: Result<String, String>,
    },
    /// A piece of the open incident timeline of `alarm`.
    Incident {
        /// Whose timeline.
        alarm: String,
        /// The piece.
        piece: Box<super::incident::Piece>,
    },
    /// The timeline of `alarm` could not be gathered at all.
    IncidentFailed {
        /// Whose timeline.
        alarm: String,
        /// Why.
        error: String,
    },
    /// Connection health changed.
    Link(LinkState),
    /// An event of one tab's job, which only that tab reads (see
    /// [`DataEvent::for_tab`]): the tab's own type, which no central file
    /// names.
    Tab(TabMessage),
    /// A fetch besides the alarm list failed (`Some`) or works again (`None`):
    /// the UI says which data may be stale instead of showing it as fresh.
    Degraded {
        /// What is affected, e.g. "acks and silences".
        what: &'static str,
        /// The error, or `None` once it works again.
        error: Option<String>,
    },
    /// Signing in needs an MFA code: the UI asks for it and answers with
    /// [`super::DataCommand::MfaAnswer`] (see [`super::mfa`]).
    MfaNeeded(super::mfa::MfaAsk),
    /// Ask `id` ended without an answer (nobody typed the code in time):
    /// its dialog closes.
    MfaWithdrawn(u64),
}

impl DataEvent {
    /// The event `event` of a tab's job.
    pub fn tab<E: Any + Send + Sync + fmt::Debug + PartialEq>(event: E) -> Self {
        DataEvent::Tab(TabMessage::new(event))
    }

    /// The event as an `E`, if it is a tab's event of that type: how a tab
    /// picks out its own.
    pub fn for_tab<E: Any>(&self) -> Option<&E> {
        match self {
            DataEvent::Tab(message) => message.get(),
            _ => None,
        }
    }
}

impl From<super::mfa::MfaEvent> for DataEvent {
    fn from(event: super::mfa::MfaEvent) -> Self {
        match event {
            super::mfa::MfaEvent::Needed(ask) => DataEvent::MfaNeeded(ask),
            super::mfa::MfaEvent::Withdrawn(id) => DataEvent::MfaWithdrawn(id),
        }
    }
}

/// A change to an alarm the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mutation {
    /// Acknowledge the current ALARM episode.
    Ack {
        /// Alarm name.
        alarm: String,
        /// Optional note (may be empty).
        note: String,
    },
    /// Remove an ack.
    Unack {
        /// Alarm name.
        alarm: String,
        /// Also someone else's ack (otherwise only your own).
        any: bool,
    },
    /// Mute notifications for a while.
    Silence {
        /// Alarm name.
        alarm: String,
        /// How long.
        duration: Duration,
        /// Why (mandatory).
        note: String,
    },
    /// End a silence now.
    Unsilence {
        /// Alarm name.
        alarm: String,
    },
    /// Set the alarm to ALARM to test the notification path.
    Test {
        /// Alarm name.
        alarm: String,
    },
}

impl Mutation {
    /// The verb the audit log records for it.
    pub fn verb(&self) -> &'static str {
        match self {
            Mutation::Ack { .. } => "ack",
            Mutation::Unack { any: false, .. } => "unack",
            Mutation::Unack { any: true, .. } => "unack-any",
            Mutation::Silence { .. } => "silence",
            Mutation::Unsilence { .. } => "unsilence",
            Mutation::Test { .. } => "test",
        }
    }

    /// The alarm the mutation changes.
    pub fn alarm(&self) -> &str {
        match self {
            Mutation::Ack { alarm, .. }
            | Mutation::Unack { alarm, .. }
            | Mutation::Silence { alarm, .. }
            | Mutation::Unsilence { alarm }
            | Mutation::Test { alarm } => alarm,
        }
    }
}

/// Where jobs post events: the UI wraps this into its own event loop.
pub type EventSink = super::jobs::Sink<DataEvent>;
