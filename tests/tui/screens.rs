//! Screens of the debugger rendered on ratatui's `TestBackend` (text only, no colours).

use crate::support::*;

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
fn help_80x24_scrolls_and_says_so() {
    use crossterm::event::KeyCode;
    let mut app = greet();
    key(&mut app, '?');
    let top = screen(&mut app, 80, 24);
    assert!(top.contains("(↑/↓ PgUp/PgDn scroll)"), "the title says the help scrolls: {top}");
    insta::assert_snapshot!("help_80x24_top", top);
    // PgDn past the end stops at the last page, which ends with the closing line and mentions
    // the lesson hint key.
    code(&mut app, KeyCode::PageDown);
    code(&mut app, KeyCode::PageDown);
    code(&mut app, KeyCode::PageDown);
    let end = screen(&mut app, 80, 24);
    assert!(app.help, "scrolling keeps the help open");
    assert!(end.contains("any other key closes this help"), "the last line is reachable: {end}");
    assert!(end.contains("the next hint"), "`h` in a lesson is listed: {end}");
    insta::assert_snapshot!("help_80x24_end", end);
    code(&mut app, KeyCode::Up);
    let up = screen(&mut app, 80, 24);
    assert_ne!(up, end, "↑ scrolls back a line");
    key(&mut app, 'x');
    assert!(!app.help, "any other key still closes it");
}

#[test]
fn help_120x40_reaches_its_last_line() {
    use crossterm::event::KeyCode;
    let mut app = greet();
    key(&mut app, '?');
    let top = screen(&mut app, 120, 40);
    assert!(!top.contains("any other key closes this help"), "40 rows do not hold it all: {top}");
    code(&mut app, KeyCode::PageDown);
    let end = screen(&mut app, 120, 40);
    assert!(end.contains("any other key closes this help"), "{end}");
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

/// A machine with lints: a Task with no timeout and no Lambda retrier, inside a poll loop.
const LINTED: &str = r#"{
  "StartAt": "Start",
  "States": {
    "Start": { "Type": "Pass", "Next": "Poll" },
    "Poll": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": { "FunctionName": "status", "Payload.$": "$" },
      "Next": "Done?"
    },
    "Done?": {
      "Type": "Choice",
      "Choices": [{ "Variable": "$.done", "BooleanEquals": false, "Next": "Pause" }],
      "Default": "Finish"
    },
    "Pause": { "Type": "Wait", "Seconds": 30, "Next": "Poll" },
    "Finish": { "Type": "Succeed" }
  }
}"#;

#[test]
fn lints_mark_the_graph_and_list_with_their_hints_120x40() {
    let mut app = app_for(LINTED, "{}");
    let launch = screen(&mut app, 120, 40);
    assert!(launch.contains("· 3 warnings (!)"), "the status line counts them: {launch}");
    assert!(launch.contains(" STANDARD "), "and shows the workflow type: {launch}");
    assert!(launch.contains("Poll [Task] │!") || launch.contains("─!"), "a marker on 'Poll': {launch}");
    key(&mut app, '!');
    let listed = screen(&mut app, 120, 40);
    assert!(listed.contains("warning[timeout-missing]"), "{listed}");
    assert!(listed.contains("= help: add \"TimeoutSeconds\""), "hints are kept: {listed}");
    insta::assert_snapshot!(listed);
    key(&mut app, '!');
    assert!(!screen(&mut app, 120, 40).contains("warning[timeout-missing]"), "! hides the list again");
}

#[test]
fn the_diagnostics_list_scrolls_80x24() {
    let mut app = app_for(LINTED, "{}");
    key(&mut app, '!');
    let top = screen(&mut app, 80, 24);
    assert!(top.contains("{ } scroll, row 1/"), "a long list says it scrolls: {top}");
    assert!(top.contains("warning[timeout-missing]"), "the first finding is shown: {top}");
    keys(&mut app, "}}}}}}");
    let scrolled = screen(&mut app, 80, 24);
    assert!(scrolled.contains("scroll, row 7/"), "{scrolled}");
    assert!(!scrolled.contains("warning[timeout-missing]"), "the first finding scrolled away: {scrolled}");
    assert!(scrolled.contains("= help:"), "hints scroll with their findings: {scrolled}");
    insta::assert_snapshot!(scrolled);
    keys(&mut app, &"}".repeat(100));
    let bottom = screen(&mut app, 80, 24);
    assert!(bottom.contains("history-quota-risk"), "the last finding is reached: {bottom}");
    keys(&mut app, &"{".repeat(100));
    assert!(screen(&mut app, 80, 24).contains("row 1/"), "scrolling up reaches the top");
}
