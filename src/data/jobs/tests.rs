//! The one waiting rule of [`Mailbox`]: before the session is up a job
//! answers a request or it is kept, superseded views dropped, and what
//! was kept is served in order once connected.

use std::sync::mpsc;

use super::*;
use crate::model::ManualClock;
use crate::provider::Account;
use crate::provider::sim::SimProvider;

/// A sink whose events arrive on the returned receiver.
pub fn channel<E: Send + 'static>() -> (Sink<E>, mpsc::Receiver<E>) {
    let (tx, rx) = mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let sink: Sink<E> = Arc::new(move |event| {
        let _ = tx.lock().unwrap().send(event);
    });
    (sink, rx)
}

/// A context on the demo account (prefix `ecommerce-ai-platform`) at
/// `clock`, running on `runtime`.
pub fn context(runtime: &tokio::runtime::Runtime, clock: &ManualClock) -> JobContext {
    let sim = Arc::new(SimProvider::new(
        1,
        Arc::new(clock.clone()),
        "ecommerce-ai-platform",
    ));
    let session = Arc::new(Session::new(Account::of(sim), "demo", false));
    JobContext {
        sources: Sources::new(session.reads.clone(), None, Default::default()),
        session,
        clock: Arc::new(clock.clone()),
        runtime: runtime.handle().clone(),
        interval: Duration::from_secs(3600),
        fetch_timeout: Duration::from_secs(5),
        alarms: watch::channel(None).1,
        refresh: watch::channel(0).1,
        env: "demo".into(),
    }
}

/// Records what it is asked; answers odd numbers while connecting,
/// keeps even ones; a negative number supersedes every kept one.
#[derive(Default)]
struct Recorder {
    handled: Vec<i32>,
    answered: Vec<(i32, String)>,
    connected: bool,
}

impl Job for Recorder {
    type Command = i32;

    fn connected(&mut self, _ctx: &JobContext) {
        self.connected = true;
    }

    fn handle(&mut self, command: i32, _ctx: &JobContext) {
        assert!(self.connected, "served before it was connected");
        self.handled.push(command);
    }

    fn unconnected(&mut self, command: i32, why: &str) -> Option<i32> {
        if command % 2 == 1 {
            self.answered.push((command, why.to_string()));
            return None;
        }
        Some(command)
    }

    fn supersedes(later: &i32, _earlier: &i32) -> bool {
        *later < 0
    }
}

#[test]
fn before_the_session_a_request_is_answered_or_kept_then_served_in_order() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let clock = ManualClock::new("2026-11-27T13:00:30Z".parse().unwrap());
    let ctx = context(&runtime, &clock);
    let refused = ProviderError::Network {
        operation: "connect".into(),
        message: "refused".into(),
    };
    let mut mailbox = Mailbox::new(Recorder::default());
    for command in [2, 3, 4] {
        mailbox.deliver(command, &Link::Connecting(&refused));
    }
    assert!(mailbox.job.handled.is_empty());
    assert_eq!(
        mailbox.job.answered,
        [(3, format!("not connected yet: {refused}"))]
    );
    mailbox.connect(&ctx);
    mailbox.deliver(6, &Link::Up(&ctx));
    assert_eq!(mailbox.job.handled, [2, 4, 6]);
}

#[test]
fn a_kept_command_can_make_the_ones_kept_before_it_pointless() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let clock = ManualClock::new("2026-11-27T13:00:30Z".parse().unwrap());
    let refused = ProviderError::Network {
        operation: "connect".into(),
        message: "refused".into(),
    };
    let mut mailbox = Mailbox::new(Recorder::default());
    for command in [2, 4, -2, 8] {
        mailbox.deliver(command, &Link::Connecting(&refused));
    }
    mailbox.connect(&context(&runtime, &clock));
    assert_eq!(mailbox.job.handled, [-2, 8]);
}
