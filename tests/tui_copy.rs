//! `y` copies on the demo account at the pinned clock, through the app as
//! the TUI drives it: in the incident timeline the text `monitui incident
//! --output markdown` prints, on a dashboard widget the cells `monitui
//! dashboards show --plain` prints for it (both compared with the CLI run
//! in-process on the same account and clock), and with `clipboard =
//! false` no copy at all, from any key that copies.

mod tui_common;

use clap::Parser;
use crossterm::event::KeyCode::{self, Char};
use monitui::app::{Effect, WidgetCopy};
use monitui::cli::args::{Cli, Command};
use monitui::cli::dashboards_cmd::{self, BodySource, ShowRequest};
use monitui::cli::incident_cmd;
use monitui::cli::names::FoundDashboard;
use monitui::model::dashboard::TEXT_SIZE;
use monitui::ui::dashboard::palette::Look;
use monitui::ui::dashboard::{layout, render_to_text, text_output::widget_text};
use tui_common::Demo;

const LAMBDA: &str = "ecommerce-ai-platform-lambda-errors";
const API: &str = "ecommerce-ai-platform-api-performance";

/// What pressing `keys` asked to be copied.
fn copies(demo: &mut Demo, keys: &[KeyCode]) -> Vec<Effect> {
    keys.iter()
        .flat_map(|key| {
            demo.app.handle_key(crossterm::event::KeyEvent::new(
                *key,
                crossterm::event::KeyModifiers::NONE,
            ))
        })
        .filter(Effect::is_copy)
        .collect()
}

/// What `monitui incident LAMBDA --output markdown` prints on the demo's
/// account at the demo's clock.
fn incident_markdown(demo: &Demo) -> String {
    let argv = ["monitui", "incident", LAMBDA, "--output", "markdown"];
    let Some(Command::Incident(cmd)) = Cli::try_parse_from(argv).unwrap().command else {
        panic!("not an incident command")
    };
    let env = demo.app.env.clone();
    let clock: std::sync::Arc<dyn monitui::model::Clock> =
        std::sync::Arc::new(monitui::model::ManualClock::new(demo.now));
    let mut out = Vec::new();
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let session = monitui::data::connect(env.clone(), std::sync::Arc::clone(&clock))
            .await
            .unwrap();
        incident_cmd::run(&cmd, &env, &session, clock, &mut out)
            .await
            .unwrap();
    });
    String::from_utf8(out).unwrap()
}

/// What `monitui dashboards show NAME --plain` prints on the demo's
/// account at the demo's clock, at the default size.
fn dashboard_plain(demo: &Demo, name: &str) -> String {
    let look = Look::new(&demo.app.theme);
    let request = ShowRequest {
        body: BodySource::Named(FoundDashboard {
            name: name.into(),
            body: None,
        }),
        width: TEXT_SIZE.0,
        height: TEXT_SIZE.1,
        range: None,
        plain: true,
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(dashboards_cmd::show_body(
            &request,
            &demo.reads(),
            &|dashboard, data, size, plain| render_to_text(dashboard, data, &look, size, plain),
            demo.now,
            &mut out,
            &mut err,
        ))
        .unwrap();
    String::from_utf8(out).unwrap()
}

/// The widget's text as the TUI's loop makes it from the app's effect.
fn widget_text_of(demo: &Demo, copy: &WidgetCopy) -> String {
    widget_text(
        &copy.dashboard,
        &copy.data,
        &Look::new(&demo.app.theme),
        TEXT_SIZE,
        copy.widget,
    )
    .expect("the widget is laid out")
}

#[test]
fn y_in_the_incident_timeline_copies_the_markdown_monitui_incident_prints() {
    let mut demo = tui_common::demo();
    demo.open_incident(LAMBDA);
    let copied = copies(&mut demo, &[Char('y')]);
    let [Effect::Clipboard(text)] = &copied[..] else {
        panic!("y copies once: {copied:?}");
    };
    assert!(
        text.starts_with(&format!("## Incident: {LAMBDA}")),
        "{text}"
    );
    assert!(text.contains("UpdateFunctionCode"), "the deploy:\n{text}");
    assert_eq!(*text, incident_markdown(&demo));
}

#[test]
fn y_on_a_dashboard_widget_copies_its_cells_of_dashboards_show_plain() {
    let mut demo = tui_common::demo();
    demo.open_dashboard(API);
    let printed = dashboard_plain(&demo, API);
    let printed: Vec<&str> = printed.lines().collect();
    let open = demo.app.tabs.dashboards.open().unwrap();
    let dashboard = std::sync::Arc::clone(open.dashboard().unwrap());
    let canvas = layout(&dashboard, TEXT_SIZE.0, TEXT_SIZE.1);
    // The first widget and the next one in reading order (`j` moves on).
    for key in [None, Some(Char('j'))] {
        if let Some(key) = key {
            copies(&mut demo, &[key]);
        }
        let copied = copies(&mut demo, &[Char('y')]);
        let [Effect::CopyWidget(copy)] = &copied[..] else {
            panic!("y copies the focused widget: {copied:?}");
        };
        let focused = demo.app.tabs.dashboards.open().unwrap().focused_widget();
        assert_eq!(Some(copy.widget), focused);
        let text = widget_text_of(&demo, copy);
        let placed = canvas
            .rects
            .iter()
            .find(|r| r.widget == copy.widget)
            .unwrap();
        let cut: Vec<String> = printed
            [placed.y as usize..placed.y as usize + usize::from(placed.height)]
            .iter()
            .map(|line| {
                let cells: String = line
                    .chars()
                    .skip(usize::from(placed.x))
                    .take(usize::from(placed.width))
                    .collect();
                cells.trim_end().to_string()
            })
            .collect();
        assert_eq!(text.lines().collect::<Vec<_>>(), cut, "{text}");
        let title = dashboard.widgets[copy.widget]
            .title
            .as_deref()
            .unwrap_or("");
        assert!(
            !title.is_empty() && text.contains(title),
            "{title}:\n{text}"
        );
    }
}

/// Every key that copies, each where it copies: `y`/`Y` on the Alarms
/// list, `y` in the incident timeline, `y` on a dashboard widget. With
/// `clipboard` set as given, what they asked to copy.
fn every_copy(clipboard: bool) -> Vec<Effect> {
    let mut demo = tui_common::demo_with(|env| env.clipboard = clipboard);
    let mut copied = Vec::new();
    demo.app.update(monitui::app::Action::GoTab(2));
    demo.select(LAMBDA);
    copied.extend(copies(&mut demo, &[Char('y'), Char('Y')]));
    demo.open_incident(LAMBDA);
    copied.extend(copies(&mut demo, &[Char('y')]));
    demo.open_dashboard(API);
    copied.extend(copies(&mut demo, &[Char('y')]));
    let screen = demo.render(120, 35);
    assert_eq!(
        screen.contains("copying is off (clipboard = false in the config)"),
        !clipboard,
        "{screen}"
    );
    copied
}

#[test]
fn clipboard_false_stops_every_copy() {
    let on = every_copy(true);
    assert_eq!(on.len(), 4, "{on:?}");
    assert!(matches!(on[3], Effect::CopyWidget(_)), "{on:?}");
    assert_eq!(every_copy(false), []);
}
