//! The graph pane: the drawing from `statescope::graph`, marks, selection, panning and
//! collapsing, through `update` and a test terminal.

use crate::support::*;
use ratatui::style::{Color, Modifier};
use statescope::tui::App;
use statescope::tui::app::Pane;

/// `n` Pass states in a row: taller than any pane.
fn chain(n: usize) -> String {
    let states: Vec<String> = (0..n)
        .map(|i| {
            let next = if i + 1 == n { r#""End": true"#.to_string() } else { format!(r#""Next": "Step {}""#, i + 1) };
            format!(r#""Step {i}": {{"Type": "Pass", {next}}}"#)
        })
        .collect();
    format!(r#"{{"StartAt": "Step 0", "States": {{{}}}}}"#, states.join(","))
}

/// Where `text` starts on the rendered screen.
fn find(app: &mut App, text: &str) -> Option<(u16, u16)> {
    let (w, h) = app.size;
    let screen = screen(app, w, h);
    screen.lines().enumerate().find_map(|(y, line)| {
        let byte = line.find(text)?;
        Some((line[..byte].chars().count() as u16, y as u16))
    })
}

fn style_at(app: &mut App, text: &str) -> ratatui::style::Style {
    let (x, y) = find(app, text).unwrap_or_else(|| panic!("'{text}' is not on screen"));
    let (w, h) = app.size;
    let terminal = render(app, w, h);
    terminal.backend().buffer()[(x, y)].style()
}

#[test]
fn the_pane_draws_the_graph_of_the_machine() {
    let mut app = greet();
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("│ Pick [Pass] │"), "{text}");
    assert!(text.contains("│ Done [Succeed] │"), "{text}");
    assert!(text.contains("▼"), "edges are drawn: {text}");
}

#[test]
fn current_visited_and_failed_states_are_coloured() {
    let def = r#"{"StartAt": "Check", "States": {
        "Check": {"Type": "Pass", "Next": "Look"},
        "Look": {"Type": "Pass", "Next": "Stop"},
        "Stop": {"Type": "Fail", "Error": "Bad"}}}"#;
    let mut app = app_for(def, "{}");
    screen(&mut app, 120, 40);
    key(&mut app, 'n');
    key(&mut app, 's');
    assert_eq!(style_at(&mut app, "Check [Pass]").fg, Some(Color::Green), "visited");
    assert_eq!(style_at(&mut app, "Look [Pass]").fg, Some(Color::Yellow), "current");
    let unmarked = style_at(&mut app, "Stop [Fail]").fg;
    assert!(matches!(unmarked, None | Some(Color::Reset)), "not reached yet: {unmarked:?}");
    key(&mut app, 'c');
    assert_eq!(style_at(&mut app, "Stop [Fail]").fg, Some(Color::Red), "failed here");
}

#[test]
fn breakpoints_are_marked_on_the_box() {
    let mut app = greet();
    screen(&mut app, 120, 40);
    app.focus = Pane::Graph;
    keys(&mut app, "jb");
    let (x, y) = find(&mut app, "Greet [Pass]").expect("drawn");
    let terminal = render(&mut app, 120, 40);
    // The box's top-left corner is two cells left of the name, one row up.
    let corner = &terminal.backend().buffer()[(x - 2, y - 1)];
    assert_eq!(corner.symbol(), "●");
    assert_eq!(corner.style().fg, Some(Color::Red));
}

#[test]
fn the_selected_state_is_reversed_while_the_pane_has_focus() {
    let mut app = greet();
    screen(&mut app, 120, 40);
    app.focus = Pane::Graph;
    key(&mut app, 'j');
    assert!(style_at(&mut app, "Greet [Pass]").add_modifier.contains(Modifier::REVERSED));
    assert!(!style_at(&mut app, "Pick [Pass]").add_modifier.contains(Modifier::REVERSED));
}

#[test]
fn arrows_walk_the_states_in_reading_order_including_nested_ones() {
    let mut app = app_for(FAN, "{}");
    app.focus = Pane::Graph;
    let mut seen = vec![app.graph_state().map(str::to_owned)];
    for _ in 0..5 {
        key(&mut app, 'j');
        seen.push(app.graph_state().map(str::to_owned));
    }
    let seen: Vec<&str> = seen.iter().map(|s| s.as_deref().unwrap_or("-")).collect();
    assert_eq!(seen, ["Prepare", "Fan", "Left one", "Right", "Left two", "Finish"]);
    key(&mut app, 'k');
    assert_eq!(app.graph_state(), Some("Left two"));
    // Left/Right move across a layer.
    keys(&mut app, "kk");
    assert_eq!(app.graph_state(), Some("Left one"));
    key(&mut app, 'l');
    assert_eq!(app.graph_state(), Some("Right"));
    key(&mut app, 'h');
    assert_eq!(app.graph_state(), Some("Left one"));
}

#[test]
fn selecting_a_visited_state_shows_its_stages() {
    let mut app = greet();
    keys(&mut app, "nnn"); // Pick, Greet, Wrap
    app.focus = Pane::Graph;
    assert_eq!(app.graph_state(), Some("Done"), "the cursor is on the next state to enter");
    keys(&mut app, "kk");
    assert_eq!(app.graph_state(), Some("Greet"));
    assert_eq!(selected(&app), Some(("Greet".into(), "output")));
    key(&mut app, 'k');
    assert_eq!(selected(&app), Some(("Pick".into(), "output")));
    // A state not run yet: the stage view follows the execution again.
    keys(&mut app, "jjj");
    assert_eq!(app.graph_state(), Some("Done"));
    assert_eq!(selected(&app), Some(("Wrap".into(), "output")));
    assert_eq!(app.stage_selected, None);
}

#[test]
fn the_cursor_follows_nested_states_as_the_execution_runs() {
    let mut app = app_for(FAN, "{}");
    keys(&mut app, "n");
    assert_eq!(app.graph_state(), Some("Fan"));
    // Step into the first branch until a nested state's stage shows.
    while app.selected_stage().is_none_or(|s| s.location.is_empty()) {
        key(&mut app, 's');
    }
    let inner = app.selected_stage().map(|s| s.state.clone());
    assert_eq!(app.graph_state(), inner.as_deref());
}

#[test]
fn x_collapses_and_expands_a_parallel() {
    let mut app = app_for(FAN, "{}");
    screen(&mut app, 120, 40);
    app.focus = Pane::Graph;
    key(&mut app, 'j');
    assert_eq!(app.graph_state(), Some("Fan"));
    key(&mut app, 'x');
    assert!(app.graph.collapsed.contains("Fan"));
    assert!(app.graph.full.state("Left one").is_none(), "branches are hidden");
    assert!(!screen(&mut app, 120, 40).contains("Left one"));
    assert_eq!(app.message.as_deref(), Some("collapsed 'Fan'"));
    // A hidden state that runs is shown on its container.
    keys(&mut app, "n");
    while app.selected_stage().is_none_or(|s| s.location.is_empty()) {
        key(&mut app, 's');
    }
    assert_eq!(app.graph_state(), Some("Fan"));
    key(&mut app, 'x');
    assert!(app.graph.full.state("Left one").is_some());
    assert!(screen(&mut app, 120, 40).contains("Left one"));
    // x on a plain state does nothing.
    app.graph_selected = Some("Prepare".into());
    key(&mut app, 'x');
    assert!(app.graph.collapsed.is_empty());
}

#[test]
fn collapsed_containers_stay_collapsed_across_a_reload() {
    let mut app = app_for(FAN, "{}");
    app.graph_selected = Some("Fan".into());
    app.focus = Pane::Graph;
    key(&mut app, 'x');
    definition_changed(
        &mut app,
        &FAN.replace("\"Prepare\": {\"Type\": \"Pass\"", "\"Prepare\": {\"Type\": \"Pass\", \"Comment\": \"x\""),
    );
    assert!(app.diagnostics().is_empty(), "{:?}", app.diagnostics());
    assert!(app.graph.collapsed.contains("Fan"));
    assert!(app.graph.full.state("Left one").is_none());
}

#[test]
fn the_view_pans_to_follow_the_execution_in_a_tall_graph() {
    let mut app = app_for(&chain(30), "{}");
    let first = screen(&mut app, 120, 40);
    assert!(first.contains("Step 0 [Pass]") && !first.contains("Step 20 [Pass]"), "{first}");
    for _ in 0..21 {
        key(&mut app, 'n');
    }
    let later = screen(&mut app, 120, 40);
    assert!(later.contains("Step 20 [Pass]"), "{later}");
    assert!(!later.contains("Step 0 [Pass]"), "{later}");
    assert_eq!(style_at(&mut app, "Step 20 [Pass]").fg, Some(Color::Green));
    assert_eq!(style_at(&mut app, "Step 21 [Pass]").fg, Some(Color::Yellow), "next to enter");
}

#[test]
fn a_small_pane_uses_the_compact_drawing() {
    let wide = r#"{"StartAt": "A state with a rather long name indeed", "States": {
        "A state with a rather long name indeed": {"Type": "Pass", "End": true}}}"#;
    let mut app = app_for(wide, "{}");
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("compact"), "{text}");
    assert!(!text.contains("[Pass]"), "compact boxes have no type tag: {text}");
}

#[test]
fn g_switches_to_the_list_and_back() {
    let mut app = app_for(FAN, "{}");
    key(&mut app, 'g');
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("States (6)"), "{text}");
    assert!(text.contains("    Left one  Pass"), "nested states are indented: {text}");
    key(&mut app, 'g');
    assert!(screen(&mut app, 120, 40).contains("Graph (6)"));
}

#[test]
fn parallel_graph_120x40() {
    let mut app = app_for(FAN, "{}");
    keys(&mut app, "nss");
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

#[test]
fn inspecting_an_earlier_stage_moves_the_graph_cursor_to_its_state() {
    let mut app = greet();
    keys(&mut app, "nns"); // Pick, Greet, Wrap's input
    assert_eq!(app.graph_state(), Some("Wrap"));
    key(&mut app, 'h');
    assert_eq!(app.graph_state(), Some("Greet"));
    key(&mut app, 'l');
    assert_eq!(app.graph_state(), Some("Wrap"));
}

#[test]
fn a_breakpoint_on_a_nested_state_pauses_at_its_input() {
    let mut app = app_for(FAN, "{}");
    app.focus = Pane::Graph;
    app.graph_selected = Some("Left two".into());
    key(&mut app, 'b');
    key(&mut app, 'c');
    assert_eq!(selected(&app), Some(("Left two".into(), "input")));
    assert_eq!(app.message.as_deref(), Some("breakpoint: paused at the input of 'Left two' (Fan › branch 1)"));
    assert_eq!(app.graph_state(), Some("Left two"));
    key(&mut app, 'c');
    assert!(matches!(app.session.exec.status(), statescope::asl::engine::Status::Succeeded(_)));
}

/// A Choice routing one rule to each of `targets` different Succeed states.
fn fan_out(targets: usize) -> String {
    let choices: Vec<String> = (0..targets)
        .map(|i| format!(r#"{{"Variable": "$.code", "NumericEquals": {i}, "Next": "Target {i}"}}"#))
        .collect();
    let states: Vec<String> = (0..targets).map(|i| format!(r#""Target {i}": {{"Type": "Succeed"}}"#)).collect();
    format!(
        r#"{{"StartAt": "Route", "States": {{"Route": {{"Type": "Choice", "Choices": [{}], "Default": "Target 0"}}, {}}}}}"#,
        choices.join(","),
        states.join(",")
    )
}

#[test]
fn a_choice_to_thousands_of_states_does_not_freeze_the_pane() {
    // Issue 13: laying this out took 40 s and 3 GB before the fan-out was summarised. The
    // bound is generous (a slow debug build on a busy machine); the layout now takes well under 1 s.
    let started = std::time::Instant::now();
    let mut app = app_for(&fan_out(3_000), r#"{"code": 7}"#);
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Graph (3001)") && text.contains("││Route "), "{text}");
    key(&mut app, 'c');
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Target 7"), "{text}");
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}
