use std::collections::BTreeMap;
use std::sync::Mutex;

use async_trait::async_trait;
use jiff::SignedDuration;

use super::*;
use crate::model::{Alarm, AlarmState, HistoryKind};
use crate::provider::ProviderResult;

/// An account whose history is `items`; every state-change listing is
/// counted with its range.
#[derive(Debug, Default)]
struct Listed {
    items: Mutex<Vec<HistoryItem>>,
    calls: Mutex<Vec<TimeRange>>,
}

#[async_trait]
impl AlarmsRead for Listed {
    async fn list_alarms(&self) -> ProviderResult<Vec<Alarm>> {
        Ok(Vec::new())
    }
    async fn alarm_history(
        &self,
        _: &str,
        _: TimeRange,
        _: usize,
    ) -> ProviderResult<Vec<HistoryItem>> {
        panic!("the history is read for all alarms at once, never per alarm")
    }
    async fn state_changes(
        &self,
        range: TimeRange,
        limit: usize,
    ) -> ProviderResult<Vec<HistoryItem>> {
        self.calls.lock().unwrap().push(range);
        let mut found: Vec<_> = self
            .items
            .lock()
            .unwrap()
            .iter()
            .filter(|h| h.timestamp >= range.start && h.timestamp <= range.end)
            .cloned()
            .collect();
        found.reverse();
        found.truncate(limit);
        Ok(found)
    }
    async fn tags(&self, _: &str) -> ProviderResult<BTreeMap<String, String>> {
        Ok(BTreeMap::new())
    }
}

fn at(hhmm: &str) -> Timestamp {
    format!("2026-01-16T{hhmm}:00Z").parse().unwrap()
}

fn entered(alarm: &str, when: Timestamp) -> HistoryItem {
    HistoryItem {
        alarm_name: alarm.into(),
        timestamp: when,
        kind: HistoryKind::StateUpdate,
        summary: "Alarm updated from OK to ALARM".into(),
        transition: Some((AlarmState::Ok, AlarmState::Alarm)),
    }
}

#[tokio::test]
async fn the_day_is_read_once_then_only_what_is_new() {
    let account = Listed::default();
    let yesterday = at("10:00")
        .checked_sub(SignedDuration::from_hours(25))
        .unwrap();
    account.items.lock().unwrap().extend([
        entered("api", yesterday),
        entered("api", at("08:00")),
        entered("db", at("09:00")),
    ]);
    let mut history = StateHistory::default();
    history.refresh(&account, at("10:00")).await.unwrap();
    let counts = history.flap_counts(at("10:00"));
    assert_eq!(
        (counts.of("api"), counts.of("db"), counts.of("q")),
        (1, 1, 0)
    );

    account
        .items
        .lock()
        .unwrap()
        .push(entered("api", at("10:30")));
    history.refresh(&account, at("11:00")).await.unwrap();
    let calls = account.calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 2);
    assert_eq!(
        calls[0].start,
        at("10:00").checked_sub(FLAP_WINDOW).unwrap()
    );
    assert_eq!(
        calls[1].start,
        at("09:00"),
        "the second read starts at the newest change held"
    );
    let counts = history.flap_counts(at("11:00"));
    assert_eq!(
        (counts.of("api"), counts.of("db")),
        (2, 1),
        "db's 09:00 change is not counted twice"
    );
    assert!(!counts.cut);

    let tomorrow = at("09:30").checked_add(FLAP_WINDOW).unwrap();
    history.refresh(&account, tomorrow).await.unwrap();
    let counts = history.flap_counts(tomorrow);
    assert_eq!(
        (counts.of("api"), counts.of("db")),
        (1, 0),
        "a day later only 10:30 is left"
    );
    assert_eq!(history.changes().len(), 1);
}
