//! Changes in flight, kept apart from the refresh jobs: quitting or
//! switching env drops the jobs but never a change. The TUI owns one
//! [`Changes`] for the whole process; on quit it waits for them (with a
//! bound) and anything still unfinished then is written to the audit log
//! as interrupted, so every change has an outcome on record.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio_util::task::TaskTracker;

/// Says what became of a change that quit did not wait for.
pub type OnAbandon = Box<dyn FnOnce() + Send>;

/// The changes running on the process's runtime.
#[derive(Clone, Default)]
pub struct Changes {
    tracker: TaskTracker,
    abandon: Arc<Mutex<BTreeMap<u64, OnAbandon>>>,
    next: Arc<AtomicU64>,
}

impl std::fmt::Debug for Changes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Changes")
            .field("running", &self.running())
            .finish()
    }
}

impl Changes {
    /// Runs `change` on `runtime`; `on_abandon` records it if the process
    /// quits before it finishes.
    pub fn spawn(
        &self,
        runtime: &tokio::runtime::Handle,
        change: impl Future<Output = ()> + Send + 'static,
        on_abandon: OnAbandon,
    ) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.lock().insert(id, on_abandon);
        let abandon = Arc::clone(&self.abandon);
        self.tracker.spawn_on(
            async move {
                change.await;
                abandon
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(&id);
            },
            runtime,
        );
    }

    /// How many changes are still running.
    pub fn running(&self) -> usize {
        self.tracker.len()
    }

    /// Waits up to `bound` for every running change; those still running
    /// then are recorded as interrupted. Returns how many were.
    pub async fn finish(&self, bound: Duration) -> usize {
        self.tracker.close();
        let _ = tokio::time::timeout(bound, self.tracker.wait()).await;
        let left: Vec<OnAbandon> = std::mem::take(&mut *self.lock()).into_values().collect();
        let count = left.len();
        for record in left {
            record();
        }
        count
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, OnAbandon>> {
        self.abandon.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;

    #[tokio::test]
    async fn finish_waits_for_quick_changes_and_records_slow_ones() {
        let changes = Changes::default();
        let handle = tokio::runtime::Handle::current();
        let done = Arc::new(AtomicBool::new(false));
        let abandoned = Arc::new(Mutex::new(Vec::new()));
        let d = Arc::clone(&done);
        let a = Arc::clone(&abandoned);
        changes.spawn(
            &handle,
            async move {
                tokio::time::sleep(Duration::from_millis(30)).await;
                d.store(true, Ordering::SeqCst);
            },
            Box::new(move || a.lock().unwrap().push("quick")),
        );
        let a = Arc::clone(&abandoned);
        changes.spawn(
            &handle,
            std::future::pending(),
            Box::new(move || a.lock().unwrap().push("stuck")),
        );
        assert_eq!(changes.running(), 2);
        assert_eq!(changes.finish(Duration::from_millis(300)).await, 1);
        assert!(done.load(Ordering::SeqCst), "the quick change finished");
        assert_eq!(*abandoned.lock().unwrap(), ["stuck"]);
    }
}
