//! The Logs tab on the demo account at the pinned seed and clock: the
//! group browser, and the tail of three groups while the Lambda error
//! burst runs (snapshots at 120x35 and 80x24); hostile lines in the tail
//! never reach the screen raw.

mod support;
mod tui_common;

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use monitui::app::tabs::logs::LogsKey;
use monitui::app::{Action, Effect};
use monitui::data::logs_job::{HISTORY_AFTER, HISTORY_BEFORE, LogsCommand, LogsEvent};
use monitui::data::{DataCommand, DataEvent};
use monitui::model::{LogEvent, TimeRange};
use monitui::provider::prelude::*;
use support::hostile;
use tui_common::{Demo, render};

const ANALYTICS: &str = "/aws/lambda/ecommerce-ai-platform-analytics-service";
const API: &str = "/aws/apigateway/ecommerce-ai-platform";
const BATCH: &str = "/aws/batch/job";

/// The demo on the Logs tab with the group list loaded.
fn on_logs_tab() -> Demo {
    let mut demo = tui_common::demo();
    let effects = demo.app.update(Action::GoTab(4));
    assert!(
        effects.contains(&Effect::Data(DataCommand::tab(LogsCommand::ListGroups))),
        "showing the tab asks for the groups: {effects:?}"
    );
    let groups = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(demo.sim.list_log_groups())
        .unwrap();
    demo.app
        .apply(DataEvent::tab(LogsEvent::Groups(Ok(Arc::new(groups)))));
    demo
}

/// Picks `groups` in the browser and starts their tail.
fn tail(demo: &mut Demo, groups: &[&str]) {
    for group in groups {
        let at = demo
            .app
            .tabs
            .logs
            .browser
            .visible_groups()
            .position(|g| g.name == *group)
            .unwrap();
        demo.app.update(Action::Top);
        for _ in 0..at {
            demo.app.update(Action::Down);
        }
        demo.app.update(Action::Logs(LogsKey::Pick));
    }
    let effects = demo.app.update(Action::Open);
    let Some(LogsCommand::StartTail {
        tail,
        groups: asked,
        ..
    }) = effects.first().and_then(tui_common::tab_request)
    else {
        panic!("Enter starts a tail: {effects:?}");
    };
    assert_eq!(tail, 1);
    assert_eq!(asked.len(), groups.len());
}

fn lines(demo: &mut Demo, events: Vec<LogEvent>) {
    demo.app.apply(DataEvent::tab(LogsEvent::Lines {
        tail: 1,
        events: Arc::new(events),
        sampled: false,
        behind: None,
    }));
}

/// Events of the three groups in the minute before the last traceback of
/// the analytics service (the burst), oldest first.
fn burst_lines(demo: &Demo) -> Vec<LogEvent> {
    let recent = demo
        .sim
        .log_events(
            ANALYTICS,
            demo.range(std::time::Duration::from_secs(40 * 60)),
        )
        .unwrap();
    let last_error = recent
        .iter()
        .rev()
        .find(|e| e.message.contains("Traceback"))
        .expect("a burst in the last 40 minutes");
    let end = last_error.timestamp + SignedDuration::from_millis(1);
    let range = TimeRange {
        start: end - SignedDuration::from_secs(60),
        end,
    };
    let mut events: Vec<LogEvent> = [ANALYTICS, API, BATCH]
        .iter()
        .flat_map(|g| demo.sim.log_events(g, range).unwrap())
        .collect();
    events.sort_by_key(|e| e.timestamp);
    events
}

#[test]
fn group_browser_120x35() {
    let mut demo = on_logs_tab();
    demo.app.update(Action::Logs(LogsKey::Pick));
    let screen = render(&mut demo.app, 120, 35);
    assert!(screen.contains("/aws/batch/job"));
    assert!(screen.contains("30 days"));
    assert!(screen.contains("[x]"));
    assert!(screen.contains("KMS KEY"));
    insta::assert_snapshot!(screen);
}

#[test]
fn group_browser_80x24() {
    let mut demo = on_logs_tab();
    let screen = render(&mut demo.app, 80, 24);
    assert!(screen.contains("RETENTION"));
    assert!(!screen.contains("KMS KEY"), "narrow screens drop the key");
    insta::assert_snapshot!(screen);
}

#[test]
fn tail_during_the_lambda_burst_120x35() {
    let mut demo = on_logs_tab();
    tail(&mut demo, &[ANALYTICS, API, BATCH]);
    let events = burst_lines(&demo);
    lines(&mut demo, events);
    let screen = render(&mut demo.app, 120, 35);
    assert!(screen.contains("Traceback (most recent call last):"));
    assert!(screen.contains("analytics-service"));
    assert!(screen.contains("following"));
    insta::assert_snapshot!(screen);
}

#[test]
fn tail_paused_filtered_and_searched_80x24() {
    let mut demo = on_logs_tab();
    tail(&mut demo, &[ANALYTICS, API, BATCH]);
    let events = burst_lines(&demo);
    let (first, rest) = events.split_at(events.len() / 2);
    lines(&mut demo, first.to_vec());
    demo.app.update(Action::Logs(LogsKey::Pause));
    lines(&mut demo, rest.to_vec());
    let new_lines = demo.app.tabs.logs.tail.new_lines();
    assert_eq!(new_lines, rest.len());
    let screen = render(&mut demo.app, 80, 24);
    assert!(
        screen.contains(&format!("paused, {new_lines} new lines")),
        "{screen}"
    );
    demo.app.update(Action::Logs(LogsKey::Pattern));
    for c in "?Traceback ?502 ".chars() {
        demo.app.update(Action::Input(c));
    }
    demo.app.update(Action::Submit);
    demo.app.update(Action::StartFilter);
    for c in "Connection[A-Z]".chars() {
        demo.app.update(Action::Input(c));
    }
    demo.app.update(Action::Submit);
    let screen = render(&mut demo.app, 80, 24);
    assert!(screen.contains("F ?Traceback ?502"), "{screen}");
    assert!(
        screen.contains("Traceback (most recent call last)"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn hostile_lines_never_reach_the_screen_raw() {
    let mut demo = on_logs_tab();
    tail(&mut demo, &[API]);
    let at = demo.now;
    let hostile_events = [hostile::huge_line(), hostile::all_pieces()]
        .into_iter()
        .enumerate()
        .map(|(i, message)| LogEvent {
            group: API.into(),
            stream: "evil\u{1b}]0;PWNED-TITLE\u{7}".into(),
            timestamp: at - SignedDuration::from_secs(10 - i as i64),
            event_id: Some(format!("h{i}")),
            message,
        })
        .collect();
    lines(&mut demo, hostile_events);
    for wrap in [false, true] {
        if wrap {
            demo.app.update(Action::Logs(LogsKey::Wrap));
            demo.app.update(Action::Logs(LogsKey::PrettyJson));
        }
        for (w, h) in [(120, 35), (80, 24)] {
            let screen = render(&mut demo.app, w, h);
            hostile::assert_harmless(screen.as_bytes(), hostile::Allowed::NoEscapes);
            hostile::assert_payloads_hidden(screen.as_bytes());
            assert!(screen.contains("CSI-RED"), "the lines are shown:\n{screen}");
        }
    }
}

#[test]
fn stale_tails_are_ignored_and_esc_stops_the_tail() {
    let mut demo = on_logs_tab();
    tail(&mut demo, &[API]);
    demo.app.apply(DataEvent::tab(LogsEvent::Lines {
        tail: 0,
        events: Arc::new(vec![LogEvent {
            group: API.into(),
            stream: "s".into(),
            timestamp: Timestamp::UNIX_EPOCH,
            event_id: None,
            message: "from an older tail".into(),
        }]),
        sampled: false,
        behind: None,
    }));
    assert!(demo.app.tabs.logs.tail.buffer().is_empty());
    let effects = demo.app.update(Action::Back);
    assert_eq!(
        effects,
        [Effect::Data(DataCommand::tab(LogsCommand::StopTail))]
    );
}

#[test]
fn a_tail_that_falls_behind_or_is_sampled_says_so_with_numbers() {
    let mut demo = on_logs_tab();
    tail(&mut demo, &[API]);
    let event = LogEvent {
        group: API.into(),
        stream: "s".into(),
        timestamp: demo.now,
        event_id: Some("1".into()),
        message: "a line".into(),
    };
    for sampled in [true, true] {
        demo.app.apply(DataEvent::tab(LogsEvent::Lines {
            tail: 1,
            events: Arc::new(vec![event.clone()]),
            sampled,
            behind: Some(SignedDuration::from_millis(13_200)),
        }));
    }
    let screen = render(&mut demo.app, 120, 35);
    assert!(screen.contains("· 14 s behind"), "{screen}");
    assert!(screen.contains("· sampled ×2"), "{screen}");
    demo.app.apply(DataEvent::tab(LogsEvent::Lines {
        tail: 1,
        events: Arc::new(vec![]),
        sampled: false,
        behind: None,
    }));
    let screen = render(&mut demo.app, 120, 35);
    assert!(!screen.contains("behind"), "caught up: {screen}");
}

#[test]
fn at_a_time_before_the_buffer_reads_the_lines_around_it_and_f_says_how_far_back() {
    let mut demo = on_logs_tab();
    tail(&mut demo, &[API]);
    let recent = demo
        .sim
        .log_events(API, demo.range(std::time::Duration::from_secs(5 * 60)))
        .unwrap();
    lines(&mut demo, recent);
    let at = demo.now - SignedDuration::from_mins(25);
    demo.app.update(Action::Logs(LogsKey::Jump));
    for c in format!("{at:.0}").chars() {
        demo.app.update(Action::Input(c));
    }
    let effects = demo.app.update(Action::Submit);
    assert_eq!(
        effects,
        [Effect::Data(DataCommand::tab(LogsCommand::LoadAround {
            tail: 1,
            groups: vec![API.into()],
            at,
        }))],
        "a time before the buffer is read from the service, not searched in the buffer"
    );
    let screen = render(&mut demo.app, 120, 35);
    assert!(screen.contains("reading the lines around"), "{screen}");

    let range = TimeRange {
        start: at - HISTORY_BEFORE,
        end: at + HISTORY_AFTER,
    };
    let history = demo.sim.log_events(API, range).unwrap();
    let first_after = history
        .iter()
        .find(|e| e.timestamp >= at)
        .unwrap()
        .timestamp;
    demo.app.apply(DataEvent::tab(LogsEvent::History {
        tail: 1,
        at,
        range,
        events: Ok(Arc::new(history.clone())),
        truncated: false,
    }));
    let view = &demo.app.tabs.logs.tail;
    let selected = view.buffer().get(view.selected().unwrap()).unwrap();
    assert_eq!(
        selected.at, first_after,
        "the first line at or after the time"
    );
    assert!(!view.following());
    let screen = render(&mut demo.app, 120, 35);
    let window = format!(
        "history {}–{}",
        range.start.strftime("%H:%M"),
        range.end.strftime("%H:%M")
    );
    assert!(screen.contains(&window), "{screen}");

    demo.app.update(Action::Logs(LogsKey::Pattern));
    for c in "GET".chars() {
        demo.app.update(Action::Input(c));
    }
    demo.app.update(Action::Submit);
    let view = &demo.app.tabs.logs.tail;
    assert!(!view.shown().is_empty());
    assert!(
        view.shown()
            .iter()
            .all(|&s| view.buffer().get(s).unwrap().at >= range.start),
        "F applies to the lines loaded"
    );
    let screen = render(&mut demo.app, 120, 35);
    let reach = format!(
        "over the lines since {}",
        history[0].timestamp.strftime("%H:%M:%S")
    );
    assert!(screen.contains(&reach), "{screen}");

    demo.app.update(Action::Logs(LogsKey::Follow));
    let screen = render(&mut demo.app, 120, 35);
    assert!(
        !screen.contains("history"),
        "f goes back to the live lines: {screen}"
    );
    assert!(demo.app.tabs.logs.tail.following());
}

#[test]
fn a_long_line_is_kept_cut_marked_and_j_says_how_to_see_it_whole() {
    let mut demo = on_logs_tab();
    tail(&mut demo, &[API]);
    let long = format!("{{\"big\": \"{}\"}}", "x".repeat(100_000));
    let now = demo.now;
    lines(
        &mut demo,
        vec![LogEvent {
            group: API.into(),
            stream: "s".into(),
            timestamp: now,
            event_id: Some("big".into()),
            message: long.clone(),
        }],
    );
    let view = &demo.app.tabs.logs.tail;
    let kept = view.buffer().get(view.selected().unwrap()).unwrap();
    assert_eq!(kept.cut_from(), Some(long.len()));
    assert!(
        kept.message.len() < long.len() / 3,
        "only its start is kept"
    );
    let screen = render(&mut demo.app, 120, 35);
    assert!(screen.contains("✂97.7 KiB"), "{screen}");
    demo.app.update(Action::Logs(LogsKey::PrettyJson));
    let screen = render(&mut demo.app, 120, 35);
    assert!(screen.contains("This line is 97.7 KiB"), "{screen}");
    assert!(
        screen.contains(&format!("logs search '{API}' --since")),
        "{screen}"
    );
}

#[test]
fn the_logs_tab_hosts_the_insights_view() {
    let mut demo = on_logs_tab();
    demo.app.update(Action::Logs(LogsKey::Insights));
    assert_eq!(
        demo.app.tabs.logs.view,
        monitui::app::tabs::logs::LogsView::Insights
    );
    let screen = render(&mut demo.app, 120, 35);
    assert!(!screen.contains("Log groups"), "{screen}");
    demo.app.update(Action::Back);
    assert_eq!(
        demo.app.tabs.logs.view,
        monitui::app::tabs::logs::LogsView::Groups
    );
}
