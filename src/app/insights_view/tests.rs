//! The query view's keys and runs, without drawing.

use std::sync::Arc;

use crossterm::event::{KeyEvent, KeyModifiers};

use super::*;
use crate::app::alarm_list::AlarmList;
use crate::model::insights::{QueryStatistics, QueryStatus, QueryTable, builtin_saved_queries};

fn view() -> InsightsView {
    let mut saved = builtin_saved_queries("shop");
    saved.push(SavedQuery {
        name: "Per 5 minutes".into(),
        query: "stats count(*) by bin(5m)".into(),
        groups: vec!["/aws/apigateway/shop".into()],
    });
    saved.push(SavedQuery {
        name: "No groups".into(),
        query: "fields @message".into(),
        groups: vec![],
    });
    InsightsView::new(saved)
}

fn act(v: &mut InsightsView, action: Action) -> Reply {
    let alarms = Arc::new(AlarmList::default());
    let ctx = Context {
        alarms: &alarms,
        page_rows: 10,
    };
    v.update(&action, &ctx)
}

fn answer(run: u64, status: QueryStatus, rows: usize) -> DataEvent {
    DataEvent::tab(InsightsUpdate {
        run,
        state: RunState::Answer(QueryResults {
            status,
            table: QueryTable {
                columns: vec!["n".into()],
                rows: (0..rows).map(|i| vec![i.to_string()]).collect(),
            },
            statistics: QueryStatistics::default(),
        }),
    })
}

fn apply(v: &mut InsightsView, event: DataEvent) {
    let alarms = Arc::new(AlarmList::default());
    let ctx = Context {
        alarms: &alarms,
        page_rows: 10,
    };
    v.apply(&event, &ctx);
}

#[test]
fn it_opens_on_the_seeds_query_and_runs_it_over_its_groups() {
    let mut v = view();
    assert!(
        v.query
            .text()
            .starts_with("fields @timestamp, @message\n| filter")
    );
    assert_eq!(v.group_list(), ["/aws/lambda/shop-*"]);
    let reply = act(&mut v, Action::Insights(InsightsKey::Run));
    let Reply::Effect(Effect::Data(command)) = &reply else {
        panic!("{reply:?}")
    };
    let Some(InsightsCommand::Run { run, ask }) = command.for_tab() else {
        panic!("{reply:?}")
    };
    let run = *run;
    assert_eq!(run, 1);
    assert_eq!(ask.groups, ["/aws/lambda/shop-*"]);
    assert_eq!(ask.since, Duration::from_secs(3600));
    assert_eq!(ask.query, v.query.text());
    assert!(v.is_running());
    assert_eq!(v.chart, None);
}

#[test]
fn answers_of_the_current_run_only_are_shown() {
    let mut v = view();
    act(&mut v, Action::Insights(InsightsKey::Run));
    act(&mut v, Action::Insights(InsightsKey::Run));
    apply(&mut v, answer(1, QueryStatus::Complete, 9));
    assert_eq!(v.state, RunView::Running(None), "run 1 was replaced");
    apply(&mut v, answer(2, QueryStatus::Running, 1));
    assert!(matches!(v.state, RunView::Running(Some(_))));
    apply(&mut v, answer(2, QueryStatus::Complete, 3));
    assert!(matches!(&v.state, RunView::Finished(r) if r.table.rows.len() == 3));
    act(&mut v, Action::Bottom);
    assert_eq!(v.selected(), 2);
    apply(
        &mut v,
        DataEvent::tab(InsightsUpdate {
            run: 2,
            state: RunState::Failed("boom".into()),
        }),
    );
    assert_eq!(v.state, RunView::Failed("boom".into()));
    assert_eq!(v.selected(), 0);
}

#[test]
fn editing_types_into_the_query_and_the_groups() {
    let mut v = view();
    act(&mut v, Action::Insights(InsightsKey::Edit));
    assert!(v.captures_typing());
    act(&mut v, Action::Input('\n'));
    for c in "| display @message".chars() {
        act(&mut v, Action::Input(c));
    }
    assert!(v.query.text().ends_with("limit 50\n| display @message"));
    act(&mut v, Action::NextField);
    assert_eq!(v.focus, Focus::Groups);
    for c in ", /api".chars() {
        act(&mut v, Action::Input(c));
    }
    assert_eq!(v.group_list(), ["/aws/lambda/shop-*", "/api"]);
    act(&mut v, Action::Input('\n'));
    assert_eq!(
        v.focus,
        Focus::Query,
        "Enter on the groups line goes to the query"
    );
    act(&mut v, Action::Back);
    assert_eq!(v.focus, Focus::Results);
    assert!(!v.captures_typing());
}

#[test]
fn without_groups_it_asks_for_them_instead_of_running() {
    let mut v = view();
    v.groups = QueryEditor::new(" , ");
    let reply = act(&mut v, Action::Insights(InsightsKey::Run));
    assert!(
        matches!(reply, Reply::Flash(ref m) if m.contains("log groups")),
        "{reply:?}"
    );
    assert_eq!(v.focus, Focus::Groups);
    assert_eq!(v.state, RunView::Idle);
}

#[test]
fn the_picker_loads_a_saved_query_and_its_groups() {
    let mut v = view();
    act(&mut v, Action::Insights(InsightsKey::Saved));
    assert_eq!(v.focus, Focus::Picker);
    act(&mut v, Action::Down);
    act(&mut v, Action::Open);
    assert_eq!(v.query.text(), "stats count(*) by bin(5m)");
    assert_eq!(v.group_list(), ["/aws/apigateway/shop"]);
    assert_eq!(v.focus, Focus::Query);
    act(&mut v, Action::Insights(InsightsKey::Run));
    assert_eq!(v.chart, Some(("bin(5m)".into(), "count(*)".into())));
    // A saved query without groups keeps the groups already chosen.
    act(&mut v, Action::Insights(InsightsKey::Saved));
    act(&mut v, Action::Bottom);
    act(&mut v, Action::Open);
    assert_eq!(v.query.text(), "fields @message");
    assert_eq!(v.group_list(), ["/aws/apigateway/shop"]);
}

#[test]
fn cancel_stops_only_a_running_query() {
    let mut v = view();
    assert!(matches!(
        act(&mut v, Action::Insights(InsightsKey::Cancel)),
        Reply::Flash(_)
    ));
    act(&mut v, Action::Insights(InsightsKey::Run));
    assert_eq!(
        act(&mut v, Action::Insights(InsightsKey::Cancel)),
        Reply::Effect(Effect::Data(DataCommand::tab(InsightsCommand::Cancel)))
    );
}

#[test]
fn the_range_steps_within_its_list() {
    let mut v = view();
    assert_eq!(v.range_name(), "1h");
    act(&mut v, Action::RangeShorter);
    act(&mut v, Action::RangeShorter);
    assert_eq!(v.range_name(), "15m");
    for _ in 0..10 {
        act(&mut v, Action::RangeLonger);
    }
    assert_eq!(v.range_name(), "1w");
}

#[test]
fn keys_type_text_in_the_editor_and_act_outside_it() {
    let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
    let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    let mut v = view();
    let editing = |v: &InsightsView, k| keys::typing_action(k, v.keymap());
    act(&mut v, Action::Insights(InsightsKey::Edit));
    assert_eq!(editing(&v, key(Char('q'))), Some(Action::Input('q')));
    assert_eq!(editing(&v, key(Char('2'))), Some(Action::Input('2')));
    assert_eq!(editing(&v, key(KeyCode::Enter)), Some(Action::Input('\n')));
    assert_eq!(
        editing(&v, ctrl('r')),
        Some(Action::Insights(InsightsKey::Run))
    );
    assert_eq!(editing(&v, ctrl('c')), Some(Action::Quit));
    assert_eq!(editing(&v, key(KeyCode::Left)), Some(Action::Left));
    assert_eq!(editing(&v, key(KeyCode::End)), Some(Action::Bottom));
    assert_eq!(editing(&v, key(KeyCode::Esc)), Some(Action::Back));
    act(&mut v, Action::Back);
    let normal = keys::action_for(key(Char('x')), &crate::app::state::Mode::Normal, v.keymap());
    assert_eq!(normal, Some(Action::Insights(InsightsKey::Cancel)));
    let tab = keys::action_for(key(Char('2')), &crate::app::state::Mode::Normal, v.keymap());
    assert_eq!(tab, Some(Action::GoTab(2)));
}
