use super::*;
use crate::model::alarm::HistoryKind;

fn at(s: &str) -> Timestamp {
    format!("2026-01-16T{s}:00Z").parse().unwrap()
}

fn change(alarm: &str, when: &str, from: AlarmState, to: AlarmState) -> HistoryItem {
    HistoryItem {
        alarm_name: alarm.into(),
        timestamp: at(when),
        kind: HistoryKind::StateUpdate,
        summary: format!("Alarm updated from {} to {}", from.as_str(), to.as_str()),
        transition: Some((from, to)),
    }
}

fn window() -> TimeRange {
    TimeRange {
        start: at("00:00"),
        end: at("12:00"),
    }
}

use AlarmState::{Alarm as A, Ok as O};

#[test]
fn reentries_within_the_gap_are_flaps_of_one_episode() {
    let changes = vec![
        change("api", "01:00", O, A),
        change("api", "01:10", A, O),
        change("api", "01:20", A, O),
        change("api", "01:20", O, A),
        change("api", "01:25", A, O),
        change("api", "05:00", O, A),
        change("api", "05:40", A, O),
    ];
    let found = episodes(&changes, &[], window());
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        (found[0].start, found[0].end),
        (at("01:00"), Some(at("01:25")))
    );
    assert_eq!(found[0].flaps, 1);
    assert_eq!(
        found[0].duration(at("12:00")),
        SignedDuration::from_mins(25)
    );
    assert_eq!(
        (found[1].start, found[1].end, found[1].flaps),
        (at("05:00"), Some(at("05:40")), 0)
    );
}

#[test]
fn an_episode_begun_before_the_window_or_still_running_says_so() {
    let changes = vec![change("db", "02:00", A, O), change("q", "11:00", O, A)];
    let still = Alarm::for_tests(
        "lag",
        A,
        at("00:00")
            .checked_sub(SignedDuration::from_hours(3))
            .unwrap(),
        at("11:00"),
    );
    let found = episodes(&changes, &[still], window());
    let names: Vec<_> = found
        .iter()
        .map(|e| (e.alarm.as_str(), e.started_before, e.end))
        .collect();
    assert_eq!(
        names,
        [
            ("lag", true, None),
            ("db", true, Some(at("02:00"))),
            ("q", false, None)
        ]
    );
    assert_eq!(found[1].start, window().start);
    assert_eq!(
        found[2].duration(at("11:30")),
        SignedDuration::from_mins(30)
    );
}

#[test]
fn alarm_entries_count_only_transitions_into_alarm_since_the_cut() {
    let changes = vec![
        change("api", "01:00", O, A),
        change("api", "02:00", A, O),
        change("api", "03:00", O, A),
        change("api", "00:30", O, A),
        change("db", "04:00", A, O),
    ];
    let counts = alarm_entries(&changes, at("00:45"));
    assert_eq!(counts, BTreeMap::from([("api".to_string(), 2)]));
}

#[test]
fn the_radar_marks_silences_ending_within_the_hour_or_ended_lately() {
    let now = at("03:00");
    assert_eq!(radar(at("03:30"), now), Some(Radar::EndsSoon));
    assert_eq!(radar(at("04:00"), now), Some(Radar::EndsSoon));
    assert_eq!(radar(at("04:01"), now), None);
    assert_eq!(radar(at("02:00"), now), Some(Radar::EndedRecently));
    assert_eq!(radar(at("03:00"), now), Some(Radar::EndedRecently));
    assert_eq!(
        radar(
            at("00:00")
                .checked_sub(SignedDuration::from_hours(2))
                .unwrap(),
            now
        ),
        None
    );
}
