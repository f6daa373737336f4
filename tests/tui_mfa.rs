//! The MFA code dialog: a sign-in of an assume-role profile with
//! `mfa_serial` asks the app (`DataEvent::MfaNeeded`), the dialog takes
//! every key while open, and the code (or the cancel) goes back as a data
//! command. Demo account at a pinned clock.

mod tui_common;

use crossterm::event::KeyCode;
use monitui::app::{Effect, Tab};
use monitui::data::mfa::MfaAsk;
use monitui::data::{DataCommand, DataEvent};
use monitui::provider::mfa::MfaRequest;
use tui_common::{demo, press, typed};

fn ask(id: u64) -> DataEvent {
    DataEvent::MfaNeeded(MfaAsk {
        id,
        request: MfaRequest {
            profile: "ops".into(),
            role_arn: "arn:aws:iam::123456789012:role/ops".into(),
            serial: "arn:aws:iam::123456789012:mfa/alice".into(),
        },
    })
}

#[test]
fn the_code_typed_and_enter_go_back_as_a_data_command() {
    let mut demo = demo();
    demo.app.apply(ask(3));
    assert!(press(&mut demo.app, &typed("12345")).is_empty());
    assert!(
        press(&mut demo.app, &[KeyCode::Enter]).is_empty(),
        "five digits are not a code"
    );
    assert!(demo.app.overlays.mfa().is_some(), "the dialog stays open");
    let effects = press(&mut demo.app, &[KeyCode::Char('6'), KeyCode::Enter]);
    assert_eq!(
        effects,
        [Effect::Data(DataCommand::MfaAnswer {
            id: 3,
            code: Some("123456".into())
        })]
    );
    assert!(demo.app.overlays.mfa().is_none());
}

#[test]
fn esc_cancels_the_sign_in_and_says_how_to_try_again() {
    let mut demo = demo();
    demo.app.apply(ask(4));
    press(&mut demo.app, &typed("12"));
    let effects = press(&mut demo.app, &[KeyCode::Esc]);
    assert_eq!(
        effects,
        [Effect::Data(DataCommand::MfaAnswer { id: 4, code: None })]
    );
    assert!(demo.app.overlays.mfa().is_none());
    let flash = demo.app.current_flash().unwrap();
    assert!(flash.text.contains("press r"), "{}", flash.text);
    assert_eq!(
        press(&mut demo.app, &[KeyCode::Char('r')]),
        [Effect::Data(DataCommand::RefreshNow)],
        "r asks again"
    );
}

#[test]
fn keys_typed_into_the_dialog_do_not_reach_the_tabs() {
    let mut demo = demo();
    demo.app.apply(ask(5));
    let before = demo.app.tab;
    let effects = press(
        &mut demo.app,
        &[
            KeyCode::Char('3'),
            KeyCode::Tab,
            KeyCode::Char('q'),
            KeyCode::Char('?'),
            KeyCode::Char(':'),
            KeyCode::Char('r'),
        ],
    );
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(demo.app.tab, before);
    assert!(!demo.app.prompting());
    let form = demo.app.overlays.mfa().unwrap();
    assert_eq!(form.code, "3", "only the digit was typed");
    let hints: Vec<&str> = demo.app.footer_keys().iter().map(|h| h.hint).collect();
    assert_eq!(hints, ["sign in", "cancel"]);
}

#[test]
fn a_withdrawn_ask_closes_its_dialog_only() {
    let mut demo = demo();
    demo.app.apply(ask(6));
    demo.app.apply(DataEvent::MfaWithdrawn(5));
    assert!(
        demo.app.overlays.mfa().is_some(),
        "another ask's withdrawal"
    );
    demo.app.apply(DataEvent::MfaWithdrawn(6));
    assert!(demo.app.overlays.mfa().is_none());
    assert!(demo.app.current_flash().unwrap().is_error);
}

#[test]
fn mfa_dialog_120x35() {
    let mut demo = demo();
    demo.app.tab = Tab::Alarms;
    demo.app.apply(ask(1));
    press(&mut demo.app, &typed("042"));
    let screen = demo.render(120, 35);
    assert!(screen.contains(" MFA code "), "{screen}");
    assert!(screen.contains("device: arn:aws:iam::123456789012:mfa/alice"));
    assert!(screen.contains("role:   arn:aws:iam::123456789012:role/ops"));
    assert!(screen.contains("code: 042█__"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn mfa_dialog_refusing_a_short_code_80x24() {
    let mut demo = demo();
    demo.app.apply(ask(1));
    press(&mut demo.app, &typed("9x"));
    press(&mut demo.app, &[KeyCode::Enter]);
    let screen = demo.render(80, 24);
    assert!(
        screen.contains("type all 6 digits of the code (1 so far)"),
        "{screen}"
    );
    assert!(screen.contains("Esc to cancel"), "{screen}");
    insta::assert_snapshot!(screen);
}
