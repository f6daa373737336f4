//! One change per alarm at a time: `a` then `u` must run in that order,
//! and `reconcile` must not end a silence that a concurrent change is
//! extending. Changes to different alarms still run side by side.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

/// A lock per alarm name, created on first use.
#[derive(Debug, Default)]
pub struct ChangeLocks {
    locks: Mutex<HashMap<String, Arc<AsyncMutex<()>>>>,
}

impl ChangeLocks {
    /// Waits until no other change to `alarm` runs; the change holds the
    /// returned guard until it is done. Waiters are served in order.
    pub async fn acquire(&self, alarm: &str) -> OwnedMutexGuard<()> {
        let lock = {
            let mut locks = self.locks.lock().unwrap_or_else(|p| p.into_inner());
            Arc::clone(locks.entry(alarm.to_string()).or_default())
        };
        lock.lock_owned().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn changes_to_one_alarm_run_in_order_and_others_do_not_wait() {
        let locks = Arc::new(ChangeLocks::default());
        let order = Arc::new(Mutex::new(Vec::new()));
        let first = locks.acquire("a").await;
        let (l, o) = (Arc::clone(&locks), Arc::clone(&order));
        let second = tokio::spawn(async move {
            let _g = l.acquire("a").await;
            o.lock().unwrap().push("second on a");
        });
        let _other = tokio::time::timeout(Duration::from_secs(1), locks.acquire("b"))
            .await
            .expect("another alarm's change does not wait");
        tokio::time::sleep(Duration::from_millis(20)).await;
        order.lock().unwrap().push("first on a done");
        drop(first);
        second.await.unwrap();
        assert_eq!(*order.lock().unwrap(), ["first on a done", "second on a"]);
    }
}
