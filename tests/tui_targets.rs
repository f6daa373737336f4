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

/// The demo comes up during its opening incident (a Lambda error burst),
/// which spends a target's budget: the panel marks the target burning (▲)
/// with its rate over the last hour, at both sizes; the targets that do
/// not burn carry no mark.
#[test]
fn the_opening_incident_shows_a_target_burning_on_the_panel() {
    let demo = overview();
    let monitui::data::events::DataEvent::Slos(statuses) = demo.slos_event() else {
        unreachable!("slos_event gives the targets")
    };
    let hour = |s: &monitui::model::slo::SloStatus| {
        s.burn_rates
            .iter()
            .find(|b| b.window == "1h")
            .and_then(|b| b.rate)
            .unwrap_or(0.0)
    };
    let burning: Vec<(&str, f64)> = statuses
        .iter()
        .filter(|s| hour(s) >= monitui::model::slo::BURNING)
        .map(|s| (s.name.trim_start_matches("ecommerce-ai-platform-"), hour(s)))
        .collect();
    assert!(
        !burning.is_empty(),
        "no target burns at launch: {statuses:#?}"
    );
    let mut demo = overview();
    for (width, height) in [(120, 35), (80, 24)] {
        let screen = demo.render(width, height);
        for s in statuses.iter() {
            let name = s.name.trim_start_matches("ecommerce-ai-platform-");
            let Some(row) = screen.lines().find(|l| l.contains(&format!(" {name} "))) else {
                continue;
            };
            match burning.iter().find(|(n, _)| *n == name) {
                Some((_, rate)) => assert!(
                    row.contains(&format!("▲ {rate:.1}x 1h")),
                    "{name} burns {rate:.2}x over 1h at {width}x{height}:\n{screen}"
                ),
                None => assert!(!row.contains('▲'), "{name} does not burn:\n{screen}"),
            }
        }
        for (name, _) in &burning {
            assert!(
                screen.contains(&format!(" {name} ")),
                "{name} on the panel at {width}x{height}:\n{screen}"
            );
        }
    }
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
