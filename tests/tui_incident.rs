//! The incident timeline in the TUI on the demo account at a pinned clock:
//! `i` on the Lambda errors alarm during its episode shows the deploy, the
//! error burst and the state changes on one axis, at 120x35 and 80x24,
//! and Enter opens an entry in full.

mod tui_common;

use monitui::app::Effect;
use monitui::app::action::Action;
use monitui::data::DataCommand;
use tui_common::demo;

const LAMBDA: &str = "ecommerce-ai-platform-lambda-errors";

/// The demo with the Lambda alarm's timeline open and every piece in.
fn timeline_open() -> tui_common::Demo {
    let mut demo = demo();
    demo.open_incident(LAMBDA);
    demo
}

#[test]
fn timeline_of_the_lambda_incident_120x35() {
    let mut demo = timeline_open();
    let screen = demo.render(120, 35);
    assert!(
        screen.contains("Incident · ") && screen.contains("lambda-errors"),
        "{screen}"
    );
    assert!(
        screen.contains("OK -> ALARM") || screen.contains("ALARM -> OK"),
        "{screen}"
    );
    assert!(
        !screen.contains("loading"),
        "every piece arrived:\n{screen}"
    );
    insta::assert_snapshot!(screen);
    // The deploy that started it is listed before the burst's error lines.
    let deploy = (0..200).find(|_| {
        demo.app.update(Action::Up);
        demo.render(120, 35).contains("UpdateFunctionCode")
    });
    assert!(deploy.is_some(), "the deploy:\n{}", demo.render(120, 35));
}

#[test]
fn timeline_of_the_lambda_incident_80x24() {
    let mut demo = timeline_open();
    insta::assert_snapshot!(demo.render(80, 24));
}

#[test]
fn an_entry_opens_in_full_and_esc_goes_back_to_the_list_then_the_alarms() {
    let mut demo = timeline_open();
    let view = demo.app.overlays.incident().unwrap();
    let deploy = view
        .entries
        .iter()
        .position(|e| e.summary.contains("UpdateFunctionCode"))
        .expect("a deploy entry");
    let from = view.selected();
    for _ in 0..deploy.abs_diff(from) {
        demo.app.update(if deploy > from {
            Action::Down
        } else {
            Action::Up
        });
    }
    demo.app.update(Action::Open);
    let screen = demo.render(120, 35);
    assert!(
        screen.contains("\"eventName\""),
        "the event's JSON:\n{screen}"
    );
    assert!(screen.contains("deploy-bot"), "{screen}");
    demo.app.update(Action::Back);
    assert!(
        demo.render(120, 35).contains("events"),
        "back to the timeline"
    );
    let effects = demo.app.update(Action::Back);
    assert!(demo.app.overlays.incident().is_none());
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Data(DataCommand::CloseIncident))),
        "gathering stops: {effects:?}"
    );
}
