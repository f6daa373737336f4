//! `q` in a view goes back, as Esc does (issue 24): out of the alarm
//! detail, the incident timeline, the Logs tail, an open dashboard, a
//! CloudTrail event and the help; only at the top level does it quit.
//! Ctrl-c quits from anywhere.

mod tui_common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use monitui::app::tabs::cloudtrail::Focus;
use monitui::app::tabs::logs::LogsView;
use monitui::app::{Effect, Overlay};
use tui_common::demo;

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn enter() -> KeyEvent {
    KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)
}

#[test]
fn q_backs_out_of_views_and_quits_only_at_the_top() {
    let mut demo = demo();
    demo.app.handle_key(key('2'));
    demo.app.handle_key(enter());
    assert!(demo.app.overlays.detail().is_some());
    let effects = demo.app.handle_key(key('q'));
    assert!(!effects.contains(&Effect::Quit), "{effects:?}");
    assert!(demo.app.overlays.detail().is_none(), "q closed the detail");

    demo.app.handle_key(key('i'));
    assert!(demo.app.overlays.incident().is_some());
    assert!(!demo.app.handle_key(key('q')).contains(&Effect::Quit));
    assert!(
        demo.app.overlays.incident().is_none(),
        "q closed the timeline"
    );

    demo.app.handle_key(key('?'));
    assert!(matches!(
        demo.app.overlays.top(),
        Some(Overlay::Help { .. })
    ));
    assert!(!demo.app.handle_key(key('q')).contains(&Effect::Quit));
    assert!(!demo.app.prompting(), "q closed the help");

    demo.app.handle_key(key('4'));
    demo.app.tabs.logs.view = LogsView::Tail;
    assert!(!demo.app.handle_key(key('q')).contains(&Effect::Quit));
    assert_eq!(demo.app.tabs.logs.view, LogsView::Groups, "q left the tail");

    demo.press(&[KeyCode::Char('5'), KeyCode::Enter, KeyCode::Enter]);
    assert_eq!(
        demo.app.tabs.cloudtrail.focus(),
        Focus::Detail,
        "an event is open"
    );
    assert!(!demo.app.handle_key(key('q')).contains(&Effect::Quit));
    assert_eq!(
        demo.app.tabs.cloudtrail.focus(),
        Focus::Results,
        "q left the event"
    );

    assert_eq!(
        demo.app.handle_key(key('q')),
        vec![Effect::Quit],
        "the top level"
    );
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    demo.app.handle_key(key('2'));
    demo.app.handle_key(enter());
    assert_eq!(demo.app.handle_key(ctrl_c), vec![Effect::Quit]);
}
