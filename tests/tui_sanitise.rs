//! Text from AWS never reaches the terminal raw: alarm names, reasons,
//! descriptions and history summaries full of escape sequences, control
//! characters and bidi overrides are drawn harmless on every screen.

mod tui_common;

use std::sync::Arc;

use monitui::app::{Action, Tab};
use monitui::data::{AlarmDetail, DataEvent};
use monitui::model::{HistoryItem, HistoryKind};
use tui_common::demo;

const HOSTILE_NAME: &str = "evil\x1b]0;pwned\x07-alarm\x1b[2J\x1b[H";
const HOSTILE_TEXT: &str = "\x1b[31mred\x1b[0m \u{202e}desrever\x08\x07 \x1bP+q\x1b\\ok";

/// No escape, no control character (newlines separate rows) and no bidi
/// override in what was drawn.
fn assert_harmless(screen: &str) {
    for c in screen.chars() {
        assert!(
            c == '\n' || !(c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "raw {c:?} reached the screen:\n{screen}"
        );
    }
}

#[test]
fn hostile_alarm_text_is_drawn_harmless_on_every_screen() {
    let mut demo = demo();
    let mut alarms: Vec<_> = demo.app.tabs.alarms.visible().cloned().collect();
    alarms[0].name = HOSTILE_NAME.to_string();
    alarms[0].reason = HOSTILE_TEXT.to_string();
    alarms[0].description = Some(HOSTILE_TEXT.to_string());
    let range = demo.range(std::time::Duration::from_secs(3600));
    demo.app.apply(DataEvent::Alarms {
        alarms: Arc::new(alarms),
        fetched_at: demo.now,
    });
    let list = demo.render(120, 35);
    assert!(list.contains("evil-alarm"), "{list}");
    assert_harmless(&list);

    demo.app.tab = Tab::Alarms;
    demo.select(HOSTILE_NAME);
    demo.app.update(Action::Open);
    demo.app.apply(DataEvent::Detail(Box::new(AlarmDetail {
        alarm: HOSTILE_NAME.to_string(),
        range,
        series: None,
        history: vec![HistoryItem {
            alarm_name: HOSTILE_NAME.to_string(),
            timestamp: demo.now,
            kind: HistoryKind::ConfigurationUpdate,
            summary: HOSTILE_TEXT.to_string(),
            transition: None,
        }],
        error: Some(HOSTILE_TEXT.to_string()),
    })));
    for (w, h) in [(120, 35), (80, 24)] {
        let detail = demo.render(w, h);
        assert!(detail.contains("evil-alarm"), "{detail}");
        assert!(detail.contains("desrever"), "{detail}");
        assert_harmless(&detail);
    }
}
