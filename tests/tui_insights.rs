//! The Logs tab's Logs Insights query view on the demo app at a fixed
//! clock: the seed's query run and its table, `stats ... by bin()` drawn as
//! bars, the editor and the saved-query picker, and hostile text in results
//! drawn harmless. The answers are what the evaluator makes of a fixed set
//! of lines, posted as the data layer posts them.

mod tui_common;

use jiff::{SignedDuration, Timestamp};
use monitui::app::insights_view::InsightsKey;
use monitui::app::{Action, App, Tab};
use monitui::data::DataEvent;
use monitui::data::insights::{InsightsUpdate, RunState};
use monitui::data::jobs::insights::InsightsCommand;
use monitui::insights::InsightsQuery;
use monitui::model::LogEvent;
use monitui::model::insights::{QueryResults, QueryStatus};
use tui_common::render;

const AUTH: &str = "/aws/lambda/ecommerce-ai-platform-auth-service";
const PULSE: &str = "/aws/lambda/ecommerce-ai-platform-global-market-pulse";

/// Lines of the last half hour before the pinned clock.
fn lines(now: Timestamp) -> Vec<LogEvent> {
    let at = |minutes: i64| now - SignedDuration::from_secs(minutes * 60 + 7);
    let event = |group: &str, minutes, message: &str| LogEvent {
        group: group.into(),
        stream: "2026/01/16/[$LATEST]0f3a".into(),
        timestamp: at(minutes),
        event_id: None,
        message: message.into(),
    };
    let mut events = Vec::new();
    for m in 0..30 {
        events.push(event(
            AUTH,
            m,
            &format!("INFO request {m} served in {} ms", 20 + m),
        ));
        if m % 4 == 1 || (8..12).contains(&m) {
            events.push(event(
                PULSE,
                m,
                &format!(
                    "ERROR KeyError: 'region' in trend_scan (attempt {})",
                    m % 3 + 1
                ),
            ));
        }
    }
    events.push(event(
        AUTH,
        3,
        "ERROR TokenExpired: token for user bob expired",
    ));
    events
}

/// The app on the Logs tab with the command of the run it started.
fn run(app: &mut App, query: Option<&str>) -> (u64, String) {
    app.update(Action::GoTab(4));
    app.update(Action::Logs(monitui::app::tabs::logs::LogsKey::Insights));
    assert_eq!(app.tab, Tab::Logs);
    if let Some(query) = query {
        app.tabs.logs.insights.query = monitui::app::query_editor::QueryEditor::new(query);
    }
    let effects = app.update(Action::Insights(InsightsKey::Run));
    let Some(InsightsCommand::Run { run, ask }) = effects.first().and_then(tui_common::tab_request)
    else {
        panic!("no run asked for")
    };
    (run, ask.query)
}

/// Posts the evaluator's answer to `query` over [`lines`], as `status`.
fn answer(app: &mut App, (run, query): (u64, String), now: Timestamp, status: QueryStatus) {
    let events = lines(now);
    let (table, statistics) = InsightsQuery::parse(&query).unwrap().run(&events, 1000);
    app.apply(DataEvent::tab(InsightsUpdate {
        run,
        state: RunState::Answer(QueryResults {
            status,
            table,
            statistics,
        }),
    }));
}

#[test]
fn the_seeds_query_and_its_results_120x35() {
    let demo = tui_common::demo();
    let (mut app, now) = (demo.app, demo.now);
    let started = run(&mut app, None);
    let screen = render(&mut app, 120, 35);
    assert!(screen.contains("Starting the query"), "{screen}");
    answer(&mut app, started, now, QueryStatus::Complete);
    let screen = render(&mut app, 120, 35);
    assert!(
        screen.contains("Complete: 12 rows; 12 records matched of 42 scanned"),
        "{screen}"
    );
    assert!(screen.contains("ERROR TokenExpired"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn stats_by_bin_as_bars_80x24() {
    let demo = tui_common::demo();
    let (mut app, now) = (demo.app, demo.now);
    let started = run(
        &mut app,
        Some("filter @message like /ERROR/\n| stats count(*) as errors by bin(5m)"),
    );
    answer(&mut app, started, now, QueryStatus::Complete);
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("errors per bin(5m)"), "{screen}");
    assert!(screen.contains("14:20"), "{screen}");
    insta::assert_snapshot!(screen);
    app.update(Action::Insights(InsightsKey::Chart));
    let table = render(&mut app, 80, 24);
    assert!(
        table.contains("bin(5m)") && table.contains("errors"),
        "{table}"
    );
    assert!(table.contains("2026-01-16 14:40:00.000"), "{table}");
}

#[test]
fn the_editor_and_the_picker_80x24() {
    let demo = tui_common::demo();
    let mut app = demo.app;
    app.update(Action::GoTab(4));
    app.update(Action::Logs(monitui::app::tabs::logs::LogsKey::Insights));
    app.update(Action::Insights(InsightsKey::Edit));
    for c in "\n| display @message".chars() {
        app.update(Action::Input(c));
    }
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("editing: Ctrl-r runs, Esc leaves"),
        "{screen}"
    );
    assert!(screen.contains("| display @message"), "{screen}");
    insta::assert_snapshot!("editor_80x24", screen);
    app.update(Action::Back);
    app.update(Action::Insights(InsightsKey::Saved));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("Saved queries"), "{screen}");
    assert!(screen.contains("Find Lambda errors"), "{screen}");
    insta::assert_snapshot!("picker_80x24", screen);
}

#[test]
fn failures_and_hostile_results_are_shown_safely() {
    let demo = tui_common::demo();
    let (mut app, now) = (demo.app, demo.now);
    let (run_no, _) = run(&mut app, None);
    app.apply(DataEvent::tab(InsightsUpdate {
        run: run_no,
        state: RunState::Failed(
            "starting the query: invalid input: \u{1b}]0;pwned\u{7} bad".into(),
        ),
    }));
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("starting the query: invalid input:"),
        "{screen}"
    );
    assert!(
        !screen.contains('\u{1b}') && !screen.contains('\u{7}'),
        "{screen:?}"
    );

    let started = run(&mut app, Some("fields @message"));
    let hostile = QueryResults {
        status: QueryStatus::Complete,
        table: monitui::model::insights::QueryTable {
            columns: vec!["@message\u{1b}[2J".into()],
            rows: vec![vec![
                "a \u{1b}[31mred\u{1b}[0m \u{9b}31m \u{202e}evil\t!".into(),
            ]],
        },
        statistics: Default::default(),
    };
    app.apply(DataEvent::tab(InsightsUpdate {
        run: started.0,
        state: RunState::Answer(hostile),
    }));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("a red"), "{screen}");
    for bad in ['\u{1b}', '\u{9b}', '\u{202e}', '\t'] {
        assert!(
            !screen.contains(bad),
            "{bad:?} reached the screen: {screen:?}"
        );
    }
    let _ = now;
}
