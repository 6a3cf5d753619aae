//! Screens of the debugger rendered on ratatui's `TestBackend` (text only, no colours).

mod tui_support;

use tui_support::*;

#[test]
fn launch_screen_120x40() {
    let mut app = greet();
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

#[test]
fn stepping_through_a_state_120x40() {
    let mut app = greet();
    keys(&mut app, "sss");
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

#[test]
fn diff_against_the_previous_stage_120x40() {
    let mut app = greet();
    keys(&mut app, "ssssd");
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

#[test]
fn finished_execution_80x24() {
    let mut app = greet();
    key(&mut app, 'c');
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn refused_reload_shows_diagnostics_120x40() {
    let mut app = greet();
    keys(&mut app, "ss");
    definition_changed(&mut app, &GREET.replace("\"Next\": \"Greet\"", "\"Next\": \"Greeet\""));
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

#[test]
fn help_120x40() {
    let mut app = greet();
    key(&mut app, '?');
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

#[test]
fn one_pane_at_60x20() {
    let mut app = greet();
    keys(&mut app, "ss");
    insta::assert_snapshot!(screen(&mut app, 60, 20));
    // Growing again shows the same execution.
    let big = screen(&mut app, 120, 40);
    assert!(big.contains("Stage 2 of 6 · Pick · afterInputPath"), "{big}");
}

#[test]
fn a_failure_shows_its_error_and_cause() {
    let def = r#"{"StartAt": "Check", "States": {
        "Check": {"Type": "Pass", "Next": "Stop"},
        "Stop": {"Type": "Fail", "Error": "Order.Invalid", "Cause": "no items in the order"}}}"#;
    let mut app = app_for(def, "{}");
    key(&mut app, 'c');
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("FAILED"), "{text}");
    assert!(text.contains("Order.Invalid") && text.contains("no items in the order"), "{text}");
    assert!(text.contains("ExecutionFailed"), "{text}");
}

#[test]
fn the_history_cursor_shows_the_event_details() {
    let mut app = greet();
    keys(&mut app, "n");
    statescope::tui::update(
        &mut app,
        statescope::tui::Event::Key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Tab)),
    );
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("3 PassStateExited:"), "{text}");
    // Readable fields, one a line.
    assert!(text.contains("  name: Pick"), "{text}");
    assert!(text.contains("  output:") && text.contains(r#"{"order":{"customer""#), "{text}");
}
