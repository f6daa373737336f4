//! The TUI's MFA prompt: the provider asks for a code on one of its
//! blocking threads ([`MfaPrompt::code`]); this posts the ask to the UI as
//! an [`MfaEvent::Needed`] and waits there (never on the UI thread) for
//! the dialog's answer, which comes back as a
//! [`super::DataCommand::MfaAnswer`]. One ask at a time: jobs that need
//! credentials while the dialog is open wait for its answer instead of
//! opening another.
//!
//! A cancelled (or unanswered) dialog is not opened again by the next
//! refresh: asks fail at once with why until the person refreshes by hand
//! (`r`, [`MfaBridge::rearm`]) or switches env.

use std::sync::mpsc::{self, RecvTimeoutError, SyncSender};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::jobs::Sink;
use crate::provider::mfa::MfaPrompt;
/// What an ask shows, re-exported for the app (which may not import the
/// provider layer).
pub use crate::provider::mfa::MfaRequest;

/// How long the dialog waits for a code before it closes by itself (the
/// provider holds every sign-in of the env while it waits).
pub const ASK_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// What the dialog shows, and the number its answer quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaAsk {
    /// The number of this ask, quoted by the answer.
    pub id: u64,
    /// Profile, role and MFA device.
    pub request: MfaRequest,
}

/// What the bridge tells the UI (the data layer's sink makes the
/// `DataEvent::MfaNeeded` and `MfaWithdrawn` of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MfaEvent {
    /// Signing in needs a code: the dialog asks for it.
    Needed(MfaAsk),
    /// Ask `id` ended without an answer (nobody typed the code in time):
    /// its dialog closes.
    Withdrawn(u64),
}

/// Why asks fail after the dialog was cancelled (the credential error
/// the env shows says it).
const CANCELLED: &str = "cancelled in the MFA dialog; press r or type :refresh to be asked again";

/// The bridge between the provider's [`MfaPrompt`] and the TUI's dialog.
pub struct MfaBridge {
    /// Held for the whole of an ask: one dialog at a time.
    asking: Mutex<()>,
    /// Where asks go and the one waiting for its answer.
    state: Mutex<State>,
    /// See [`ASK_TIMEOUT`].
    timeout: Duration,
}

impl std::fmt::Debug for MfaBridge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MfaBridge")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// The bridge's shared part.
#[derive(Default)]
struct State {
    /// The current data layer's sink; `None` before the first.
    sink: Option<Sink<MfaEvent>>,
    /// The ask waiting for the dialog, and where its answer goes.
    waiting: Option<(u64, SyncSender<Option<String>>)>,
    /// The number of the last ask.
    last_id: u64,
    /// Why the last ask ended without a code; asks fail with it until
    /// [`MfaBridge::rearm`].
    declined: Option<String>,
}

/// Locks `mutex`, whatever a panicking holder left (the state stays
/// consistent: every change is one assignment).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl MfaBridge {
    /// A bridge whose dialog closes by itself after `timeout`.
    pub fn new(timeout: Duration) -> Self {
        Self {
            asking: Mutex::new(()),
            state: Mutex::default(),
            timeout,
        }
    }

    /// Posts asks to `sink` (a new env's data layer) from now on; an ask
    /// still waiting for the old env's dialog fails, and a cancelled
    /// dialog may be opened again.
    pub fn connect(&self, sink: Sink<MfaEvent>) {
        let mut state = lock(&self.state);
        state.sink = Some(sink);
        state.waiting = None;
        state.declined = None;
    }

    /// The dialog's answer to ask `id`: the code, or `None` when cancelled.
    /// An answer to an ask that is over is dropped.
    pub fn answer(&self, id: u64, code: Option<String>) {
        let mut state = lock(&self.state);
        if state
            .waiting
            .as_ref()
            .is_some_and(|(waiting, _)| *waiting == id)
            && let Some((_, reply)) = state.waiting.take()
        {
            let _ = reply.try_send(code);
        }
    }

    /// Lets the next sign-in open the dialog again after a cancel.
    pub fn rearm(&self) {
        lock(&self.state).declined = None;
    }
}

impl MfaPrompt for MfaBridge {
    fn code(&self, request: &MfaRequest) -> Result<String, String> {
        let _one_dialog = lock(&self.asking);
        let (id, answer, sink) = {
            let mut state = lock(&self.state);
            if let Some(why) = &state.declined {
                return Err(why.clone());
            }
            let sink = state
                .sink
                .clone()
                .ok_or_else(|| "the TUI is not showing an env".to_string())?;
            state.last_id += 1;
            let (reply, answer) = mpsc::sync_channel(1);
            state.waiting = Some((state.last_id, reply));
            (state.last_id, answer, sink)
        };
        sink(MfaEvent::Needed(MfaAsk {
            id,
            request: request.clone(),
        }));
        let outcome = answer.recv_timeout(self.timeout);
        let mut state = lock(&self.state);
        match outcome {
            Ok(Some(code)) => Ok(code),
            Ok(None) => {
                state.declined = Some(CANCELLED.into());
                Err(CANCELLED.into())
            }
            Err(RecvTimeoutError::Timeout) => {
                let why = format!(
                    "no code was typed within {}; press r or type :refresh to be asked again",
                    humantime::format_duration(self.timeout)
                );
                state.declined = Some(why.clone());
                state.waiting = None;
                drop(state);
                sink(MfaEvent::Withdrawn(id));
                Err(why)
            }
            Err(RecvTimeoutError::Disconnected) => {
                Err("the environment was switched while asking".into())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn request() -> MfaRequest {
        MfaRequest {
            profile: "ops".into(),
            role_arn: "arn:aws:iam::1:role/ops".into(),
            serial: "arn:aws:iam::1:mfa/alice".into(),
        }
    }

    /// A sink whose events land on a channel the test reads.
    fn sink() -> (Sink<MfaEvent>, mpsc::Receiver<MfaEvent>) {
        let (tx, rx) = mpsc::channel();
        let tx = Mutex::new(tx);
        let sink: Sink<MfaEvent> = Arc::new(move |event| {
            let _ = lock(&tx).send(event);
        });
        (sink, rx)
    }

    /// A bridge connected to a [`sink`].
    fn bridge(timeout: Duration) -> (Arc<MfaBridge>, mpsc::Receiver<MfaEvent>) {
        let (sink, rx) = sink();
        let bridge = Arc::new(MfaBridge::new(timeout));
        bridge.connect(sink);
        (bridge, rx)
    }

    /// Asks on a thread of its own, as the provider's blocking thread does.
    fn ask(bridge: &Arc<MfaBridge>) -> std::thread::JoinHandle<Result<String, String>> {
        let bridge = Arc::clone(bridge);
        std::thread::spawn(move || bridge.code(&request()))
    }

    fn next_ask(rx: &mpsc::Receiver<MfaEvent>) -> MfaAsk {
        match rx.recv_timeout(Duration::from_secs(5)).unwrap() {
            MfaEvent::Needed(ask) => ask,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_code_typed_in_the_dialog_goes_back_to_the_asking_thread() {
        let (bridge, rx) = bridge(ASK_TIMEOUT);
        let asking = ask(&bridge);
        let shown = next_ask(&rx);
        assert_eq!(shown.request, request());
        bridge.answer(shown.id + 1, Some("000000".into()));
        bridge.answer(shown.id, Some("123456".into()));
        assert_eq!(asking.join().unwrap(), Ok("123456".into()));
    }

    #[test]
    fn one_dialog_at_a_time() {
        let (bridge, rx) = bridge(ASK_TIMEOUT);
        let first = ask(&bridge);
        let second = ask(&bridge);
        let shown = next_ask(&rx);
        assert!(
            rx.recv_timeout(Duration::from_millis(200)).is_err(),
            "the second ask waits for the first dialog"
        );
        bridge.answer(shown.id, Some("111111".into()));
        let next = next_ask(&rx);
        assert_ne!(next.id, shown.id);
        bridge.answer(next.id, Some("222222".into()));
        let mut codes = [first.join().unwrap(), second.join().unwrap()];
        codes.sort();
        assert_eq!(codes, [Ok("111111".into()), Ok("222222".into())]);
    }

    #[test]
    fn a_cancelled_dialog_fails_the_ask_and_stays_shut_until_rearmed() {
        let (bridge, rx) = bridge(ASK_TIMEOUT);
        let asking = ask(&bridge);
        let shown = next_ask(&rx);
        bridge.answer(shown.id, None);
        let why = asking.join().unwrap().unwrap_err();
        assert!(
            why.contains("cancelled") && why.contains("press r"),
            "{why}"
        );
        assert_eq!(
            ask(&bridge).join().unwrap(),
            Err(why),
            "no new dialog until r"
        );
        assert!(rx.try_recv().is_err(), "nothing was posted");
        bridge.rearm();
        let asking = ask(&bridge);
        let shown = next_ask(&rx);
        bridge.answer(shown.id, Some("654321".into()));
        assert_eq!(asking.join().unwrap(), Ok("654321".into()));
    }

    #[test]
    fn an_unanswered_dialog_is_withdrawn_after_the_timeout() {
        let (bridge, rx) = bridge(Duration::from_millis(100));
        let asking = ask(&bridge);
        let shown = next_ask(&rx);
        let why = asking.join().unwrap().unwrap_err();
        assert!(why.contains("no code was typed within 100ms"), "{why}");
        assert_eq!(
            rx.recv_timeout(Duration::from_secs(5)).unwrap(),
            MfaEvent::Withdrawn(shown.id)
        );
    }

    #[test]
    fn switching_env_fails_the_old_ask_and_forgets_a_cancel() {
        let (bridge, rx) = bridge(ASK_TIMEOUT);
        let asking = ask(&bridge);
        next_ask(&rx);
        let (new_sink, new_rx) = sink();
        bridge.connect(new_sink);
        assert!(asking.join().unwrap().unwrap_err().contains("switched"));
        let asking = ask(&bridge);
        let shown = next_ask(&new_rx);
        bridge.answer(shown.id, None);
        assert!(asking.join().unwrap().is_err());
        let (newest_sink, newest) = sink();
        bridge.connect(newest_sink);
        let asking = ask(&bridge);
        let shown = next_ask(&newest);
        bridge.answer(shown.id, Some("999999".into()));
        assert_eq!(asking.join().unwrap(), Ok("999999".into()));
    }
}
