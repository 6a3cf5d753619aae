//! Parallel rules (5.4, 14.x): events, branch failure, Retry re-runs every branch, Catch, nesting.

use serde_json::json;

use super::machine;
use crate::asl::engine::{Execution, ExecutionConfig, Status};

#[test]
fn rule_14_4_retry_reruns_all_branches_and_parallel_state_failed_comes_once() {
    // As recorded in scenarios/test_parallel_state_retry: Started per attempt, Failed once.
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [
            {"StartAt": "Ok", "States": {"Ok": {"Type": "Pass", "End": true}}},
            {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "FailureType", "Cause": "Cause description"}}}],
        "Retry": [{"ErrorEquals": ["FailureType"], "MaxAttempts": 2, "IntervalSeconds": 1}], "End": true}}});
    let m = machine(def);
    let mut e = Execution::new(m.clone(), json!({}), ExecutionConfig::default());
    let status = e.run().clone();
    assert_eq!(
        status,
        Status::Failed { error: Some("FailureType".into()), cause: Some("Cause description".into()) },
        "the branch's own error, not States.BranchFailed"
    );
    let types: Vec<String> = e.history().events().iter().map(|ev| ev.type_name()).collect();
    let count = |t: &str| types.iter().filter(|x| *x == t).count();
    assert_eq!(count("ParallelStateStarted"), 3);
    assert_eq!(count("PassStateEntered"), 3, "every branch re-runs on retry");
    assert_eq!(count("ParallelStateFailed"), 1);
    let t0 = ExecutionConfig::default().start_ms;
    assert_eq!(e.now_ms() - t0, 3_000, "1 s then 2 s on the virtual clock");
    // Each retried attempt says when the next one was scheduled (the retry timeline).
    let marks: Vec<_> = e
        .stages()
        .iter()
        .filter_map(|s| s.retry.as_deref().copied())
        .map(|r| (r.attempt, r.failed_at_ms - t0, r.retry_at_ms - t0))
        .collect();
    assert_eq!(marks, vec![(1, 0, 1_000), (2, 1_000, 3_000)]);
}

#[test]
fn caught_branch_failure_writes_the_error_output_and_goes_on() {
    let def = json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Branches": [
            {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Assign": {"seen.$": "$.Error"}, "Next": "Done"}],
            "End": true},
        "Done": {"Type": "Pass", "End": true}}});
    let m = machine(def);
    let mut e = Execution::new(m.clone(), json!({"in": 1}), ExecutionConfig::default());
    let Status::Succeeded(out) = e.run().clone() else { panic!("not succeeded") };
    assert_eq!(*out, json!({"in": 1, "err": {"Error": "E", "Cause": "C"}}));
    assert_eq!(e.variables().get("seen"), Some(&json!("E")), "the catcher's Assign sees the error output");
    let types: Vec<String> = e.history().events().iter().map(|ev| ev.type_name()).collect();
    let failed = types.iter().position(|t| t == "ParallelStateFailed").expect("failed event");
    assert_eq!(types[failed + 1], "ParallelStateExited");
}

#[test]
fn nested_parallel_and_map_give_nested_arrays_and_locations() {
    let def = json!({"StartAt": "L1", "States": {"L1": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "L2", "States": {"L2": {"Type": "Map", "MaxConcurrency": 1, "End": true,
            "ItemProcessor": {"StartAt": "In", "States": {"In": {"Type": "Pass", "End": true}}}}}}]}}});
    let m = machine(def);
    let mut e = Execution::new(m.clone(), json!([1, 2]), ExecutionConfig::default());
    let Status::Succeeded(out) = e.run().clone() else { panic!("not succeeded") };
    assert_eq!(*out, json!([[1, 2]]));
    let loc = e.stages().iter().find(|s| &*s.state == "In").map(|s| s.location.to_string());
    assert_eq!(loc.as_deref(), Some("L1 › branch 1 › L2 › item 0"));
}

#[test]
fn rule_6_1_branch_outputs_over_256_kib_together_fail_with_data_limit_exceeded() {
    // Each branch is under the limit; the Parallel's result (both) is not.
    let half = "a".repeat(140_000);
    let branch = |n: &str| json!({"StartAt": n, "States": {n: {"Type": "Pass", "Result": half, "End": true}}});
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true,
        "Branches": [branch("A"), branch("B")]}}});
    let m = machine(def);
    let mut e = Execution::new(m.clone(), json!({}), ExecutionConfig::default());
    let Status::Failed { error, .. } = e.run().clone() else { panic!("not failed") };
    assert_eq!(error.as_deref(), Some("States.DataLimitExceeded"));
}
