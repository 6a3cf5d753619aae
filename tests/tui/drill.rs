//! Enter drills into a Parallel branch or a Map iteration (issue 7's keys): the menu of those
//! that ran, the stage pane filtered to the one chosen, the graph highlighting its path, and Esc
//! backing out.

use crate::support::*;
use crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};
use statescope::tui::App;
use statescope::tui::app::Pane;

/// A Map over `$.items`, two states per iteration.
const EACH: &str = r#"{
  "StartAt": "Each",
  "States": {
    "Each": {
      "Type": "Map",
      "ItemsPath": "$.items",
      "ItemProcessor": {
        "ProcessorConfig": {"Mode": "INLINE"},
        "StartAt": "Double",
        "States": {
          "Double": {"Type": "Pass", "Parameters": {"twice.$": "States.MathAdd($.n, $.n)"}, "Next": "Keep"},
          "Keep": {"Type": "Pass", "End": true}
        }
      },
      "End": true
    }
  }
}"#;

const ITEMS: &str = r#"{"items": [{"n": 1}, {"n": 2}, {"n": 3}]}"#;

fn style_of(app: &mut App, text: &str) -> ratatui::style::Style {
    let (w, h) = app.size;
    let screen = screen(app, w, h);
    let (x, y) = screen
        .lines()
        .enumerate()
        .find_map(|(y, line)| line.find(text).map(|b| (line[..b].chars().count() as u16, y as u16)))
        .unwrap_or_else(|| panic!("'{text}' is not on screen:\n{screen}"));
    render(app, w, h).backend().buffer()[(x, y)].style()
}

/// FAN run to its end, the graph focused on Fan.
fn fan_finished() -> App {
    let mut app = app_for(FAN, "{}");
    key(&mut app, 'c');
    screen(&mut app, 120, 40);
    app.focus = Pane::Graph;
    app.graph_selected = Some("Fan".into());
    app
}

#[test]
fn enter_on_a_parallel_lists_the_branches_that_ran() {
    let mut app = fan_finished();
    code(&mut app, KeyCode::Enter);
    let menu = app.drill_menu.as_ref().expect("the menu opened");
    assert_eq!(menu.container, "Fan");
    let locations: Vec<&str> = menu.choices.iter().map(|c| c.location.as_str()).collect();
    assert_eq!(locations, ["Fan › branch 1", "Fan › branch 2"]);
    assert_eq!(menu.choices[0].states, ["Left one", "Left two"]);
    assert_eq!(menu.choices[1].states, ["Right"]);
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Fan: 2 branches run · Enter view · Esc back"), "{text}");
    assert!(text.contains("Fan › branch 2"), "{text}");
    // Esc closes the menu, nothing else changes.
    code(&mut app, KeyCode::Esc);
    assert!(app.drill_menu.is_none() && app.drill().is_none());
    assert!(app.graph.collapsed.is_empty(), "Enter no longer collapses");
}

#[test]
fn choosing_a_branch_filters_the_stages_and_highlights_its_path() {
    let mut app = fan_finished();
    let all = app.session.exec.stages().len();
    code(&mut app, KeyCode::Enter);
    key(&mut app, 'j');
    code(&mut app, KeyCode::Enter);
    assert!(app.drill_menu.is_none());
    let drill = app.drill().cloned().expect("drilled in");
    assert_eq!(drill.location, "Fan › branch 2");
    assert_eq!(app.focus, Pane::Stages);
    let listed = app.listed_stages();
    assert!(!listed.is_empty() && listed.len() < all);
    let stages = app.session.exec.stages();
    assert!(listed.iter().all(|&i| &*stages[i].location == "Fan › branch 2"), "only that branch's stages");
    assert_eq!(selected(&app), Some(("Right".into(), "input")), "starts at the branch's first stage");
    assert_eq!(app.graph_state(), Some("Right"));

    // The stage pane says where it is; the graph marks the branch's states, not the others'.
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Fan › branch 2 · Esc"), "{text}");
    assert!(text.lines().next().is_some_and(|l| l.contains("· Fan › branch 2 ┐")), "graph title: {text}");
    let right = style_of(&mut app, "Right│");
    assert_eq!(right.fg, Some(Color::Cyan));
    assert!(right.add_modifier.contains(Modifier::BOLD));
    assert_eq!(style_of(&mut app, "Left one│").fg, Some(Color::Green), "other branch: just visited");
    // The list of states marks them too.
    key(&mut app, 'g');
    let list = screen(&mut app, 120, 40);
    assert!(list.contains("» Right") && list.contains("✓ Left one"), "{list}");
    key(&mut app, 'g');

    // ←/→ walk the branch's stages and stop at its ends.
    for _ in 0..20 {
        key(&mut app, 'l');
    }
    assert_eq!(app.selected_stage_index(), listed.last().copied());
    for _ in 0..20 {
        key(&mut app, 'h');
    }
    assert_eq!(app.selected_stage_index(), listed.first().copied());

    // Esc backs out: all stages again, following the execution.
    code(&mut app, KeyCode::Esc);
    assert!(app.drill().is_none());
    assert_eq!(app.selected_stage_index(), Some(all - 1));
    assert_eq!(app.message.as_deref(), Some("left Fan › branch 2"));
    assert!(!screen(&mut app, 120, 40).contains("Fan › branch 2 · Esc"));
}

#[test]
fn enter_in_the_stage_pane_drills_into_the_iteration_being_looked_at() {
    let mut app = app_for(EACH, ITEMS);
    // Step until the second iteration's first stage shows.
    while app.selected_stage().is_none_or(|s| &*s.location != "Each › item 1") {
        assert!(key(&mut app, 's'));
    }
    app.focus = Pane::Stages;
    code(&mut app, KeyCode::Enter);
    let menu = app.drill_menu.as_ref().expect("the menu opened");
    assert_eq!(menu.container, "Each", "the innermost container of the selected stage");
    let locations: Vec<&str> = menu.choices.iter().map(|c| c.location.as_str()).collect();
    assert_eq!(locations, ["Each › item 0", "Each › item 1"], "only the iterations run so far");
    assert_eq!(menu.cursor, 1, "starts on the iteration being looked at");
    assert!(screen(&mut app, 120, 40).contains("Each: 2 iterations run"));
    key(&mut app, 'k');
    code(&mut app, KeyCode::Enter);
    assert_eq!(app.drill().map(|d| d.location.as_str()), Some("Each › item 0"));
    let stages = app.session.exec.stages();
    let states: Vec<&str> = app.listed_stages().iter().map(|&i| &*stages[i].state).collect();
    assert!(states.contains(&"Double") && states.contains(&"Keep"), "{states:?}");
    assert!(app.listed_stages().iter().all(|&i| &*stages[i].location == "Each › item 0"));
}

#[test]
fn stepping_while_drilled_in_follows_the_branch_and_rewinding_before_it_backs_out() {
    let mut app = app_for(EACH, ITEMS);
    while app.selected_stage().is_none_or(|s| &*s.location != "Each › item 0") {
        key(&mut app, 's');
    }
    app.focus = Pane::Stages;
    code(&mut app, KeyCode::Enter);
    code(&mut app, KeyCode::Enter);
    assert!(app.drill().is_some());
    // Steps into later iterations: the view stays on item 0's newest stage.
    for _ in 0..30 {
        key(&mut app, 's');
    }
    let selected = app.selected_stage().expect("a stage");
    assert_eq!(&*selected.location, "Each › item 0");
    assert_eq!(app.selected_stage_index(), app.listed_stages().last().copied());
    // Restart: item 0 has not run any more, so the drill-in ends.
    key(&mut app, 'r');
    assert!(app.drill().is_none());
}

#[test]
fn enter_says_why_when_there_is_nothing_to_drill_into() {
    let mut app = app_for(FAN, "{}");
    app.focus = Pane::Graph;
    app.graph_selected = Some("Fan".into());
    code(&mut app, KeyCode::Enter);
    assert!(app.drill_menu.is_none());
    assert_eq!(app.message.as_deref(), Some("'Fan' has not run a branch or iteration yet"));
    app.graph_selected = Some("Prepare".into());
    code(&mut app, KeyCode::Enter);
    assert_eq!(app.message.as_deref(), Some("'Prepare' is not a Parallel or Map: nothing to drill into"));
}

/// A Map inside a Parallel branch.
const NESTED: &str = r#"{
  "StartAt": "Fan",
  "States": {
    "Fan": {
      "Type": "Parallel",
      "Branches": [
        {"StartAt": "Each", "States": {"Each": {
          "Type": "Map", "ItemsPath": "$.items",
          "ItemProcessor": {"StartAt": "Double", "States": {"Double": {"Type": "Pass", "End": true}}},
          "End": true}}},
        {"StartAt": "Right", "States": {"Right": {"Type": "Pass", "End": true}}}
      ],
      "End": true
    }
  }
}"#;

#[test]
fn a_map_inside_a_branch_drills_one_level_deeper_and_esc_backs_out_one_level() {
    let mut app = app_for(NESTED, ITEMS);
    key(&mut app, 'c');
    app.focus = Pane::Graph;
    app.graph_selected = Some("Fan".into());
    code(&mut app, KeyCode::Enter);
    code(&mut app, KeyCode::Enter);
    assert_eq!(app.drill().map(|d| d.location.as_str()), Some("Fan › branch 1"));
    // In the branch, on a stage of the Map itself: Enter lists its iterations.
    while selected(&app).is_none_or(|(state, _)| state != "Each") {
        key(&mut app, 'l');
    }
    code(&mut app, KeyCode::Enter);
    let menu = app.drill_menu.as_ref().expect("the menu opened");
    assert_eq!(menu.container, "Each");
    assert_eq!(menu.choices.len(), 3);
    assert_eq!(menu.choices[1].location, "Fan › branch 1 › Each › item 1");
    key(&mut app, 'j');
    code(&mut app, KeyCode::Enter);
    let levels: Vec<&str> = app.drills.iter().map(|d| d.location.as_str()).collect();
    assert_eq!(levels, ["Fan › branch 1", "Fan › branch 1 › Each › item 1"]);
    let stages = app.session.exec.stages();
    assert!(app.listed_stages().iter().all(|&i| &*stages[i].location == "Fan › branch 1 › Each › item 1"));
    let inner = app.selected_stage_index();
    // Esc: back in the branch, still on the same stage.
    code(&mut app, KeyCode::Esc);
    assert_eq!(app.drill().map(|d| d.location.as_str()), Some("Fan › branch 1"));
    assert_eq!(app.selected_stage_index(), inner);
    assert_eq!(app.message.as_deref(), Some("left Fan › branch 1 › Each › item 1; back in Fan › branch 1"));
    code(&mut app, KeyCode::Esc);
    assert!(app.drills.is_empty());
    // Drilling into another branch from inside one replaces it rather than nesting.
    app.focus = Pane::Graph;
    app.graph_selected = Some("Fan".into());
    code(&mut app, KeyCode::Enter);
    code(&mut app, KeyCode::Enter);
    app.focus = Pane::Graph;
    app.graph_selected = Some("Fan".into());
    code(&mut app, KeyCode::Enter);
    key(&mut app, 'j');
    code(&mut app, KeyCode::Enter);
    let levels: Vec<&str> = app.drills.iter().map(|d| d.location.as_str()).collect();
    assert_eq!(levels, ["Fan › branch 2"]);
}

#[test]
fn drill_menu_120x40() {
    let mut app = fan_finished();
    code(&mut app, KeyCode::Enter);
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

#[test]
fn drilled_into_a_branch_120x40() {
    let mut app = fan_finished();
    code(&mut app, KeyCode::Enter);
    code(&mut app, KeyCode::Enter);
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

#[test]
fn a_drill_in_survives_a_reload_that_keeps_its_branch() {
    let mut app = fan_finished();
    code(&mut app, KeyCode::Enter);
    key(&mut app, 'j');
    code(&mut app, KeyCode::Enter);
    definition_changed(
        &mut app,
        &FAN.replace("\"Finish\": {\"Type\": \"Succeed\"", "\"Finish\": {\"Type\": \"Succeed\", \"Comment\": \"x\""),
    );
    assert!(app.diagnostics().is_empty(), "{:?}", app.diagnostics());
    assert_eq!(app.drill().map(|d| d.location.as_str()), Some("Fan › branch 2"));
    assert_eq!(selected(&app).map(|(state, _)| state), Some("Right".to_owned()));
    // A reload without that branch any more ends the drill-in.
    let one_branch = FAN.replace(
        r#",
        {"StartAt": "Right", "States": {"Right": {"Type": "Pass", "End": true}}}"#,
        "",
    );
    assert_ne!(one_branch, FAN);
    definition_changed(&mut app, &one_branch);
    assert!(app.diagnostics().is_empty(), "{:?}", app.diagnostics());
    assert!(app.drills.is_empty());
}
