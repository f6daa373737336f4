//! Screens of the shift work on the demo account at a fixed seed and
//! clock: the Alarms tab's FLAPS column (ALARM entries in the last 24 h)
//! and its silence radar (a silence ending within the hour, one that ended
//! lately), at 120x35 and 80x24.

mod tui_common;

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::SignedDuration;
use monitui::data::{Annotation, DataEvent};
use monitui::model::ack::{Silence, SilenceMethod, SilenceRecord};
use tui_common::{Demo, demo};

const LAMBDA: &str = "ecommerce-ai-platform-lambda-errors";
const DMS: &str = "ecommerce-ai-platform-dms-replication-lag";

fn silenced(demo: &Demo, minutes: i64, id: &str) -> Annotation {
    Annotation {
        ack: None,
        silence: Some(SilenceRecord::Own(Silence {
            until: demo.now + SignedDuration::from_mins(minutes),
            by: "bob".into(),
            note: "deploy".into(),
            method: SilenceMethod::ActionsDisabled,
            id: id.into(),
        })),
    }
}

/// The flapping counts read, Lambda silenced for 20 more minutes, and
/// the DMS alarm's silence gone since the previous read.
fn shift(demo: &mut Demo) {
    let flaps = demo.flaps_event();
    demo.app.apply(flaps);
    let before = BTreeMap::from([
        (LAMBDA.to_string(), silenced(demo, 20, "s-1")),
        (DMS.to_string(), silenced(demo, 300, "s-2")),
    ]);
    demo.app.apply(DataEvent::Annotations(Arc::new(before)));
    let after = BTreeMap::from([(LAMBDA.to_string(), silenced(demo, 20, "s-1"))]);
    demo.app.apply(DataEvent::Annotations(Arc::new(after)));
}

#[test]
fn flaps_and_the_silence_radar_120x35() {
    let mut demo = demo();
    assert!(
        demo.render(120, 35).contains('…'),
        "no count before the history is read"
    );
    shift(&mut demo);
    let screen = demo.render(120, 35);
    assert!(screen.contains("FLAPS"), "{screen}");
    assert!(screen.contains("⊘ ends 20m"), "{screen}");
    assert!(screen.contains("⊘ ended 0s ago"), "{screen}");
    assert!(!screen.contains('…'), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn flaps_and_the_silence_radar_80x24() {
    let mut demo = demo();
    shift(&mut demo);
    let screen = demo.render(80, 24);
    assert!(screen.contains("FLAPS"), "{screen}");
    assert!(screen.contains("ends 20m"), "{screen}");
    insta::assert_snapshot!(screen);
}

/// `H` on the Alarms tab asks the data layer for the last 12 hours and
/// shows what comes back.
fn handoff(demo: &mut Demo) {
    let effects = demo.app.update(monitui::app::Action::Handoff);
    assert!(
        effects.iter().any(|e| matches!(
            e,
            monitui::app::Effect::Data(monitui::data::DataCommand::LoadHandoff { .. })
        )),
        "{effects:?}"
    );
    assert!(demo.render(120, 35).contains("gathering the shift"));
    let event = demo.handoff_event(12);
    demo.app.apply(event);
}

#[test]
fn handoff_view_120x35() {
    let mut demo = demo();
    handoff(&mut demo);
    let screen = demo.render(120, 35);
    for part in [
        "Still in ALARM",
        "Episodes",
        "Acks",
        "Silences ending",
        "CloudTrail writes",
    ] {
        assert!(screen.contains(part), "{part} in\n{screen}");
    }
    assert!(screen.contains("lambda-errors"), "{screen}");
    insta::assert_snapshot!(screen);
    demo.app.update(monitui::app::Action::Back);
    assert!(
        demo.render(120, 35).contains("FLAPS"),
        "Esc goes back to the list"
    );
}

#[test]
fn handoff_view_80x24() {
    let mut demo = demo();
    handoff(&mut demo);
    let screen = demo.render(80, 24);
    assert!(screen.contains("Handoff"), "{screen}");
    insta::assert_snapshot!(screen);
}
