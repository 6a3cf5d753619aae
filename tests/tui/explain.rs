//! The explain area: Choice rule trees, errors with their Retry/Catch decision, and where a
//! nested stage sits.

use crate::support::*;
use statescope::asl::engine::stage::StageDetail;
use statescope::tui::App;
use statescope::tui::panes::explain;

fn explained(app: &App) -> String {
    explain::lines(app)
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs to the end and selects the stage `pick` finds.
fn select(app: &mut App, pick: impl Fn(&StageDetail) -> bool, nth: usize) {
    let index = app
        .session
        .exec
        .stages()
        .iter()
        .filter(|s| s.detail.as_deref().is_some_and(&pick))
        .nth(nth)
        .map(|s| s.index())
        .expect("such a stage");
    app.stage_selected = Some(index);
}

const CHOOSE: &str = r#"{"StartAt": "Size", "States": {
  "Size": {"Type": "Choice", "Choices": [
    {"Variable": "$.n", "NumericGreaterThan": 100, "Next": "Big"},
    {"And": [{"Variable": "$.n", "NumericGreaterThan": 10}, {"Variable": "$.kind", "StringEquals": "box"}], "Next": "Medium"}
  ], "Default": "Small"},
  "Big": {"Type": "Succeed"}, "Medium": {"Type": "Succeed"}, "Small": {"Type": "Succeed"}}}"#;

#[test]
fn a_choice_stage_shows_the_rule_tree_and_the_branch_taken() {
    let mut app = app_for(CHOOSE, r#"{"n": 12, "kind": "box"}"#);
    key(&mut app, 'c');
    select(&mut app, |d| matches!(d, StageDetail::Choice(_)), 0);
    let text = explained(&app);
    assert!(text.contains("rule 1: $.n (12) NumericGreaterThan 100 → false"), "{text}");
    assert!(text.contains("rule 2: And → true"), "{text}");
    assert!(text.contains("  $.kind (\"box\") StringEquals \"box\" → true"), "{text}");
    assert!(text.ends_with("Choice: rule 2 matched → Next 'Medium'"), "{text}");
    // The area grows to show the whole tree.
    let screen = screen(&mut app, 120, 40);
    assert!(screen.contains("rule 2 matched → Next 'Medium'"), "{screen}");
}

/// A Parallel whose only branch fails: retried once, then caught.
const RETRY: &str = r#"{"StartAt": "Fan", "States": {
  "Fan": {"Type": "Parallel",
    "Branches": [{"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Oops", "Cause": "it broke"}}}],
    "Retry": [{"ErrorEquals": ["Other"]}, {"ErrorEquals": ["Oops"], "MaxAttempts": 1, "IntervalSeconds": 1}],
    "Catch": [{"ErrorEquals": ["Nope"], "Next": "Recover"}, {"ErrorEquals": ["States.ALL"], "Next": "Recover"}],
    "Next": "Recover"},
  "Recover": {"Type": "Pass", "End": true}}}"#;

fn is_error(d: &StageDetail) -> bool {
    matches!(d, StageDetail::Error { .. })
}

#[test]
fn an_error_shows_error_cause_and_the_retry_decision() {
    let mut app = app_for(RETRY, "{}");
    key(&mut app, 'c');
    let errors: Vec<_> =
        app.session.exec.stages().iter().filter(|s| s.detail.as_deref().is_some_and(is_error)).collect();
    let places: Vec<(&str, &str)> = errors.iter().map(|s| (&*s.state, &*s.location)).collect();
    assert_eq!(places, [("Boom", "Fan › branch 1"), ("Boom", "Fan › branch 1")], "one per attempt");

    select(&mut app, is_error, 0);
    let text = explained(&app);
    assert!(text.contains("error: Oops") && text.contains("cause: it broke"), "{text}");
    assert!(
        text.contains(
            "Retry and Catch apply only to Task, Parallel and Map: it fails Fan › branch 1; \
             'Fan' is retried by Retrier #2 ErrorEquals [Oops] (MaxAttempts 1): attempt 2 follows"
        ),
        "{text}"
    );

    select(&mut app, is_error, 1);
    let text = explained(&app);
    assert!(text.contains("'Fan' is caught by Catcher #2 ErrorEquals [States.ALL] → Next 'Recover'"), "{text}");
}

#[test]
fn a_caught_output_shows_what_was_caught() {
    let mut app = app_for(RETRY, "{}");
    key(&mut app, 'c');
    select(&mut app, |d| matches!(d, StageDetail::Caught { .. }), 0);
    let text = explained(&app);
    assert!(text.contains("error: Oops"), "{text}");
    assert!(text.contains("Retry/Catch: caught by Catcher #2 ErrorEquals [States.ALL] → Next 'Recover'"), "{text}");
}

#[test]
fn an_unhandled_error_fails_the_execution() {
    let def = r#"{"StartAt": "Fan", "States": {"Fan": {"Type": "Parallel", "End": true,
        "Branches": [{"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Oops"}}}]}}}"#;
    let mut app = app_for(def, "{}");
    key(&mut app, 'c');
    select(&mut app, is_error, 0);
    let text = explained(&app);
    assert!(text.contains("apply only to Task, Parallel and Map: it fails Fan › branch 1"), "{text}");
}

#[test]
fn a_nested_stage_names_its_place_in_the_title() {
    let mut app = app_for(RETRY, "{}");
    select_first_nested(&mut app);
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("· Fan › branch 1 › Boom · input"), "{text}");
}

fn select_first_nested(app: &mut App) {
    while app.selected_stage().is_none_or(|s| s.location.is_empty()) {
        key(app, 's');
    }
}

#[test]
fn choice_explained_120x40() {
    let mut app = app_for(CHOOSE, r#"{"n": 12, "kind": "box"}"#);
    key(&mut app, 'c');
    select(&mut app, |d| matches!(d, StageDetail::Choice(_)), 0);
    insta::assert_snapshot!(screen(&mut app, 120, 40));
}

#[test]
fn a_timed_out_run_and_a_payload_near_the_quota_are_explained() {
    // TimeoutSeconds on the virtual clock: the status bar and the explain area say so.
    let mut app = app_for(
        r#"{"TimeoutSeconds": 10, "StartAt": "Pause", "States": {"Pause": {"Type": "Wait", "Seconds": 20, "End": true}}}"#,
        "{}",
    );
    key(&mut app, 'c');
    let shown = screen(&mut app, 120, 40);
    assert!(shown.contains("TIMED OUT"), "{shown}");
    app.stage_selected = app.session.exec.stages().len().checked_sub(1);
    let text = explained(&app);
    assert!(text.contains("execution timed out: States.Timeout after 10 s"), "{text}");
    // payload-near-limit: a line on the stage whose value passed 80% of 256 KiB.
    let input = serde_json::json!({"blob": "b".repeat(230_000)}).to_string();
    let mut app = app_for(r#"{"StartAt": "Keep", "States": {"Keep": {"Type": "Pass", "End": true}}}"#, &input);
    key(&mut app, 'c');
    app.stage_selected = Some(0);
    let text = explained(&app);
    assert!(text.starts_with("warning[payload-near-limit]: 230011 bytes, 87%"), "{text}");
}
