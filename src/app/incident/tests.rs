use std::sync::Arc;

use super::*;
use crate::app::alarm_list::AlarmList;
use crate::app::goto::Goto;
use crate::data::incident::{LogPiece, Piece};
use crate::model::{HistoryItem, HistoryKind, LogEvent};

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn ctx(list: &Arc<AlarmList>) -> Context<'_> {
    Context {
        alarms: list,
        page_rows: 10,
    }
}

fn piece(alarm: &str, piece: Piece) -> DataEvent {
    DataEvent::Incident {
        alarm: alarm.into(),
        piece: Box::new(piece),
    }
}

fn log(when: &str, message: &str) -> LogEvent {
    LogEvent {
        group: "/aws/lambda/shop-api".into(),
        stream: "s".into(),
        timestamp: at(when),
        event_id: None,
        message: message.into(),
    }
}

fn view_with_entries() -> IncidentView {
    let mut view = IncidentView::new("a".into(), "shop");
    let list = Arc::new(AlarmList::default());
    view.apply(
        &piece(
            "a",
            Piece::Logs(Ok(LogPiece {
                groups: vec!["/aws/lambda/shop-api".into()],
                events: vec![
                    log("2026-01-01T10:02:00Z", "ERROR boom\n  at line 3"),
                    log("2026-01-01T10:00:00Z", "ERROR first"),
                ],
                failed: vec![],
                truncated: false,
            })),
        ),
        &ctx(&list),
    );
    view.apply(
        &piece(
            "a",
            Piece::OtherAlarms(Ok(vec![HistoryItem {
                alarm_name: "b".into(),
                timestamp: at("2026-01-01T10:01:00Z"),
                kind: HistoryKind::StateUpdate,
                summary: "to ALARM".into(),
                transition: Some((AlarmState::Ok, AlarmState::Alarm)),
            }])),
        ),
        &ctx(&list),
    );
    view
}

#[test]
fn entries_of_every_piece_come_in_time_order() {
    let view = view_with_entries();
    let kinds: Vec<EntryKind> = view.entries.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EntryKind::Log, EntryKind::Other, EntryKind::Log]);
    assert_eq!(view.entries[1].summary, "b: OK -> ALARM");
    assert!(view.entries[1].alert);
    assert_eq!(view.entries[2].summary, "api ERROR boom");
}

#[test]
fn pieces_of_another_alarm_are_ignored() {
    let mut view = IncidentView::new("a".into(), "shop");
    let list = Arc::new(AlarmList::default());
    view.apply(&piece("other", Piece::OtherAlarms(Ok(vec![]))), &ctx(&list));
    assert_eq!(view.timeline.other_alarms, None);
}

#[test]
fn v_opens_the_selected_entry_in_full_and_esc_closes_it_then_the_view() {
    let mut view = view_with_entries();
    let list = Arc::new(AlarmList::default());
    assert_eq!(view.update(&Action::Down, &ctx(&list)), Reply::Done);
    assert_eq!(view.update(&Action::Down, &ctx(&list)), Reply::Done);
    assert_eq!(view.update(&Action::Down, &ctx(&list)), Reply::Done);
    assert_eq!(view.selected(), 2, "stops at the last entry");
    view.update(&Action::ViewFull, &ctx(&list));
    assert_eq!(view.opened, Some((2, 0)));
    assert!(
        view.entries[2].full.contains("at line 3"),
        "the whole message"
    );
    view.update(&Action::Down, &ctx(&list));
    assert_eq!(view.opened, Some((2, 1)), "j scrolls the opened entry");
    assert_eq!(view.update(&Action::Back, &ctx(&list)), Reply::Done);
    assert_eq!(view.opened, None);
    assert_eq!(view.update(&Action::Back, &ctx(&list)), Reply::Close);
}

#[test]
fn brackets_narrow_and_widen_the_window_and_gather_again() {
    let mut view = IncidentView::new("a".into(), "shop");
    let list = Arc::new(AlarmList::default());
    view.timeline.window = Some(TimeRange {
        start: at("2026-01-01T10:00:00Z"),
        end: at("2026-01-01T11:00:00Z"),
    });
    let Reply::Effect(Effect::Data(DataCommand::LoadIncident(request))) =
        view.update(&Action::RangeLonger, &ctx(&list))
    else {
        panic!("widening gathers again");
    };
    assert_eq!(request.window.unwrap().start, at("2026-01-01T09:00:00Z"));
    assert_eq!(request.window.unwrap().end, at("2026-01-01T11:00:00Z"));
    view.update(&Action::RangeShorter, &ctx(&list));
    assert_eq!(view.window.unwrap().start, at("2026-01-01T10:00:00Z"));
}

#[test]
fn enter_on_a_log_line_jumps_to_its_tail_at_that_moment() {
    let mut view = view_with_entries();
    let list = Arc::new(AlarmList::default());
    assert_eq!(
        view.update(&Action::Open, &ctx(&list)),
        Reply::Goto(Goto::Logs {
            group: "/aws/lambda/shop-api".into(),
            at: Some(at("2026-01-01T10:00:00Z")),
        })
    );
    view.update(&Action::Down, &ctx(&list));
    assert!(
        matches!(view.update(&Action::Open, &ctx(&list)), Reply::Done),
        "another alarm's change opens in full"
    );
    assert_eq!(view.opened, Some((1, 0)));
}

#[test]
fn a_failure_is_one_entry_headed_by_its_error() {
    let mut view = IncidentView::new("a".into(), "shop");
    let list = Arc::new(AlarmList::default());
    let request = "e90cd321-e2a8-4cfa-9869-c97e9f13b9f1";
    view.apply(
        &piece(
            "a",
            Piece::Logs(Ok(LogPiece {
                groups: vec!["/aws/lambda/shop-api".into()],
                events: vec![
                    log(
                        "2026-01-01T10:00:00Z",
                        &format!("[ERROR]\t2026-01-01T10:00:00.100Z\t{request}\tKeyError: 'sku'"),
                    ),
                    log(
                        "2026-01-01T10:00:01Z",
                        &format!("REPORT RequestId: {request}\tDuration: 3.00 ms\tStatus: error"),
                    ),
                ],
                failed: vec![],
                truncated: false,
            })),
        ),
        &ctx(&list),
    );
    assert_eq!(view.entries.len(), 1, "{:?}", view.entries);
    assert_eq!(view.entries[0].summary, "api KeyError: 'sku'");
    assert!(view.entries[0].full.contains("REPORT RequestId"));
    assert_eq!(view.failures.len(), 1);
}

#[test]
fn the_cursor_starts_at_the_alarm_transition_and_slash_filters() {
    let mut view = view_with_entries();
    let list = Arc::new(AlarmList::default());
    view.timeline.state_changes = vec![HistoryItem {
        alarm_name: "a".into(),
        timestamp: at("2026-01-01T10:01:30Z"),
        kind: HistoryKind::StateUpdate,
        summary: "to ALARM".into(),
        transition: Some((AlarmState::Ok, AlarmState::Alarm)),
    }];
    view.rebuild();
    let selected = &view.entries[view.selected()];
    assert_eq!((selected.kind, selected.alert), (EntryKind::State, true));
    view.set_filter("boom");
    assert_eq!(view.entries.len(), 1);
    assert_eq!(view.entries[0].summary, "api ERROR boom");
    assert_eq!(view.filter(), Some("boom"));
    assert_eq!(view.update(&Action::Back, &ctx(&list)), Reply::Done);
    assert_eq!(view.entries.len(), 4, "Esc clears the filter first");
}
