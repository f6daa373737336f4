//! The CloudTrail tab on the demo account at a fixed seed and clock, driven
//! by keys as a person would (searches answered as the data layer would):
//! the form, results of a preset, an event's detail, at 120x35 and 80x24,
//! and every state of the tab at small sizes without a panic.

mod tui_common;

use crossterm::event::KeyCode::{self, Char, Down, Enter, Esc, Tab};
use monitui::app::tabs::cloudtrail::Focus;
use monitui::model::trail::Preset;
use tui_common::{Demo, demo};

fn on_trail_tab() -> Demo {
    let mut demo = demo();
    demo.press(&[Char('5')]);
    demo
}

fn typed(text: &str) -> Vec<KeyCode> {
    text.chars().map(Char).collect()
}

#[test]
fn the_form_is_edited_in_place() {
    let mut demo = on_trail_tab();
    let screen = demo.render(120, 35);
    assert!(screen.contains("Enter searches the last day"), "{screen}");
    demo.press(&[Char('e'), Down]);
    demo.press(&typed("deploy-bot q1"));
    demo.press(&[Tab, Tab, Tab, Tab, Tab, Char(' ')]);
    assert_eq!(demo.app.tabs.cloudtrail.focus(), Focus::Form);
    assert_eq!(demo.app.tab.title(), "CloudTrail", "q and 1 were typed");
    for (w, h) in [(120, 35), (80, 24)] {
        let screen = demo.render(w, h);
        assert!(screen.contains("deploy-bot q1"), "{screen}");
        assert!(screen.contains("reads only ◂▸"), "{screen}");
        assert!(screen.contains("Enter search"), "{screen}");
        insta::assert_snapshot!(format!("form_{w}x{h}"), screen);
    }
}

#[test]
fn a_preset_key_finds_its_events() {
    let mut demo = on_trail_tab();
    demo.press(&[Char('D')]);
    let tab = &demo.app.tabs.cloudtrail;
    assert_eq!(tab.form().preset(), Some(Preset::Denied));
    assert!(tab.total() >= 2, "{}", tab.total());
    assert!(tab.visible().all(|r| r.error.is_some()), "every row failed");
    for (w, h) in [(120, 35), (80, 24)] {
        let screen = demo.render(w, h);
        assert!(screen.contains("AccessDenied"), "{screen}");
        assert!(screen.contains("Failed auth"), "{screen}");
        insta::assert_snapshot!(format!("denied_{w}x{h}"), screen);
    }
}

#[test]
fn the_tampering_event_opens_with_its_identity_and_json() {
    let mut demo = on_trail_tab();
    demo.press(&[Char('T')]);
    assert_eq!(demo.app.tabs.cloudtrail.total(), 1);
    demo.press(&[Enter]);
    for (w, h) in [(120, 35), (80, 24)] {
        let screen = demo.render(w, h);
        assert!(screen.contains("StopLogging"), "{screen}");
        assert!(screen.contains("IAM user contractor-dev"), "{screen}");
        assert!(screen.contains("\"eventSource\": \"cloudtrail.amazonaws.com\""));
        insta::assert_snapshot!(format!("detail_{w}x{h}"), screen);
    }
    demo.press(&[KeyCode::PageDown, KeyCode::PageDown]);
    let scrolled = demo.render(80, 24);
    assert!(!scrolled.contains("IAM user contractor-dev"), "{scrolled}");
    demo.press(&[Esc]);
    assert_eq!(demo.app.tabs.cloudtrail.focus(), Focus::Results);
}

#[test]
fn an_assumed_role_is_explained_with_its_session_issuer() {
    let mut demo = on_trail_tab();
    demo.press(&[Char('e')]);
    demo.press(&typed("UpdateFunctionCode20150331v2"));
    demo.press(&[Enter]);
    assert!(
        demo.app.tabs.cloudtrail.total() >= 1,
        "the deploy before each of the day's error bursts, the opening one's at least"
    );
    demo.press(&[Enter]);
    let screen = demo.render(120, 35);
    assert!(
        screen.contains("session deploy-bot of assumed role GitHubDeployer"),
        "{screen}"
    );
    assert!(
        screen.contains("Issuer      Role GitHubDeployer arn:aws:iam::"),
        "{screen}"
    );
}

#[test]
fn every_state_of_the_tab_draws_at_any_small_size() {
    let mut demo = on_trail_tab();
    let check = |demo: &mut Demo| {
        for width in (1..=30).chain((31..=130).step_by(11)) {
            for height in (1..=12).chain((13..=40).step_by(9)) {
                let screen = demo.render(width, height);
                assert_eq!(screen.lines().count(), usize::from(height));
            }
        }
    };
    check(&mut demo);
    demo.press(&[Char('L')]);
    check(&mut demo);
    demo.press(&[Enter]);
    check(&mut demo);
    demo.press(&[Esc, Char('e')]);
    check(&mut demo);
}

#[test]
fn progress_then_the_more_available_marker_show_in_the_title() {
    use monitui::data::trail_job::TrailUpdate;
    use monitui::data::trail_search::{Cutoff, TrailProgress, TrailSearch};
    use monitui::data::{DataEvent, TrailStatus};
    use std::sync::Arc;

    let mut demo = on_trail_tab();
    let id = demo.ask_trail_search();
    demo.app.apply(DataEvent::tab(TrailUpdate {
        id,
        status: TrailStatus::Progress(TrailProgress {
            pages: 2,
            scanned: 100,
            matched: 3,
        }),
    }));
    let screen = demo.render(80, 24);
    assert!(
        screen.contains("searching… 2 pages, 100 events read, 3 found"),
        "{screen}"
    );
    demo.press(&[Char('L')]);
    let found = demo.app.tabs.cloudtrail.found().unwrap().clone();
    let id = demo.ask_trail_search();
    demo.app.apply(DataEvent::tab(TrailUpdate {
        id,
        status: TrailStatus::Done(Arc::new(TrailSearch {
            cutoff: Some(Cutoff::PageCap),
            pages: 40,
            ..found
        })),
    }));
    let screen = demo.render(120, 35);
    assert!(
        screen.contains("more available (stopped after 40 pages; narrow the search)"),
        "{screen}"
    );
    assert!(!screen.contains("searching…"), "{screen}");
}
