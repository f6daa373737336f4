//! The service level targets on screen, on the demo account at the pinned
//! clock: the Targets panel above the Overview's wall, and the targets'
//! view (`T`) with one target's chart and budget line, at 120x35 and
//! 80x24.

mod tui_common;

use crossterm::event::KeyCode;
use monitui::app::Tab;

fn overview() -> tui_common::Demo {
    let mut demo = tui_common::demo();
    let (overview, slos) = (demo.overview_event(), demo.slos_event());
    demo.app.apply(overview);
    demo.app.apply(slos);
    demo.press(&[KeyCode::Char('1')]);
    assert_eq!(demo.app.tab, Tab::Overview);
    demo
}

#[test]
fn the_overview_shows_the_targets_panel_120x35() {
    let mut demo = overview();
    let screen = demo.render(120, 35);
    assert!(screen.contains("Targets"), "{screen}");
    for name in [
        "dms-lag",
        "api-5xx-rate",
        "lambda-error-rate",
        "lambda-duration",
        "batch-failure-rate",
    ] {
        assert!(screen.contains(name), "{name} missing:\n{screen}");
    }
    assert!(screen.contains("/ 99%") && screen.contains("█"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_overview_shows_the_targets_panel_80x24() {
    let mut demo = overview();
    let screen = demo.render(80, 24);
    assert!(screen.contains("dms-lag"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn t_opens_a_target_s_chart_with_its_budget_line_120x35() {
    let mut demo = overview();
    demo.press(&[KeyCode::Char('T')]);
    let screen = demo.render(120, 35);
    assert!(
        screen.contains("dms-lag") && screen.contains("target 1 of 5"),
        "{screen}"
    );
    assert!(screen.contains("budget line 1.00% bad"), "{screen}");
    insta::assert_snapshot!(screen);
    demo.press(&[KeyCode::Char('j')]);
    let screen = demo.render(120, 35);
    assert!(
        screen.contains("api-5xx-rate") && screen.contains("target 2 of 5"),
        "{screen}"
    );
    demo.press(&[KeyCode::Esc]);
    let screen = demo.render(120, 35);
    assert!(
        screen.contains("Targets") && !screen.contains("target 2 of 5"),
        "{screen}"
    );
}

#[test]
fn t_opens_a_target_s_chart_with_its_budget_line_80x24() {
    let mut demo = overview();
    demo.press(&[KeyCode::Char('T'), KeyCode::Char('G')]);
    let screen = demo.render(80, 24);
    assert!(screen.contains("target 5 of 5"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn q_leaves_the_targets_view_before_it_quits() {
    let mut demo = overview();
    demo.press(&[KeyCode::Char('T'), KeyCode::Char('q')]);
    let screen = demo.render(120, 35);
    assert!(!screen.contains("target 1 of 5"), "{screen}");
    assert!(screen.contains("Targets"), "{screen}");
}
