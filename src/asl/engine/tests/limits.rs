//! AWS's hard limits at run time: the payload quota and its warning, the execution timeout.

use serde_json::{Value, json};

use super::machine;
use crate::asl::engine::limits::{MAX_PAYLOAD_BYTES, NEAR_LIMIT_BYTES};
use crate::asl::engine::stage::StageKind;
use crate::asl::engine::{Execution, ExecutionConfig, Status};

/// The runaway machine: a Pass state looping on `"ResultPath": "$.a"`, so each pass's
/// output holds its whole input again (it grew to 4.7 GB in 30 s before the quota held).
fn growing_loop() -> Value {
    json!({"StartAt": "Grow", "States": {"Grow": {"Type": "Pass", "ResultPath": "$.a", "Next": "Grow"}}})
}

#[test]
fn a_growing_pass_loop_stops_at_the_pass_whose_output_passes_256_kib() {
    let input = json!({"pad": "p".repeat(4_000)});
    // The oracle: serde_json's own serialisation of each pass's output.
    let mut value = input.clone();
    let mut passes = 0;
    let mut first_near = None;
    let failing_pass = loop {
        passes += 1;
        value["a"] = value.clone();
        let len = serde_json::to_string(&value).expect("serialises").len();
        if first_near.is_none() && len > NEAR_LIMIT_BYTES {
            first_near = Some(passes);
        }
        if len > MAX_PAYLOAD_BYTES {
            break passes;
        }
    };
    let m = machine(growing_loop());
    let mut e = Execution::new(&m, input, ExecutionConfig::default());
    let status = e.run().clone();
    assert_eq!(
        status,
        Status::Failed {
            error: Some("States.DataLimitExceeded".into()),
            cause: Some(
                "The state/task 'Grow' returned a result with a size exceeding the maximum number of bytes service limit."
                    .into()
            ),
        }
    );
    let events: Vec<String> = e.history().events().iter().map(|ev| ev.type_name()).collect();
    let entered = events.iter().filter(|t| **t == "PassStateEntered").count();
    let exited = events.iter().filter(|t| **t == "PassStateExited").count();
    assert_eq!(entered, failing_pass, "stops at the pass AWS stops at");
    assert_eq!(exited, failing_pass - 1, "the failing pass is not exited (ASL-NOTES 6)");
    assert_eq!(events.last().map(String::as_str), Some("ExecutionFailed"));
    // payload-near-limit: every output above 80% of the quota is flagged, and no other.
    let flagged: Vec<usize> = e
        .stages()
        .iter()
        .filter(|s| s.kind == StageKind::Output && s.near_limit)
        .map(|s| serde_json::to_string(&*s.value).expect("serialises").len())
        .collect();
    let near = first_near.expect("some pass crosses 80%");
    assert!(near < failing_pass, "a warning before the failure");
    assert!(!flagged.is_empty());
    assert!(flagged.iter().all(|&n| n > NEAR_LIMIT_BYTES), "{flagged:?}");
    assert!(flagged.iter().any(|&n| n > MAX_PAYLOAD_BYTES), "the failing output is flagged too");
    let unflagged_big = e
        .stages()
        .iter()
        .filter(|s| matches!(s.kind, StageKind::Input | StageKind::Output) && !s.near_limit)
        .any(|s| serde_json::to_string(&*s.value).expect("serialises").len() > NEAR_LIMIT_BYTES);
    assert!(!unflagged_big, "every input and output above 80% is flagged");
}

#[test]
fn an_output_over_the_quota_is_not_caught_by_states_all() {
    // rule 6.2: a state's own oversized output is terminal, unlike a task result.
    let m = machine(json!({"StartAt": "Fan", "States": {
        "Fan": {"Type": "Parallel", "Branches": [
            {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}
        ], "ResultPath": "$.copy", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": true},
        "Caught": {"Type": "Succeed"}}}));
    // The branch output (the input) fits; the Parallel's output (input + a copy) does not.
    let input = json!({"s": "x".repeat(MAX_PAYLOAD_BYTES / 2 + 100)});
    let mut e = Execution::new(&m, input, ExecutionConfig::default());
    let status = e.run().clone();
    let Status::Failed { error, .. } = status else { panic!("{status:?}") };
    assert_eq!(error.as_deref(), Some("States.DataLimitExceeded"));
}

#[test]
fn an_execution_input_over_the_quota_fails_the_first_state() {
    let m = machine(json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}));
    let mut e = Execution::new(&m, json!({"s": "x".repeat(MAX_PAYLOAD_BYTES)}), ExecutionConfig::default());
    let Status::Failed { error, cause } = e.run().clone() else { panic!("not failed") };
    assert_eq!(error.as_deref(), Some("States.DataLimitExceeded"));
    assert!(cause.is_some_and(|c| c.contains("'P' received an input")));
}

#[test]
fn an_input_near_the_quota_is_flagged_on_its_input_stage() {
    let m = machine(json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {}, "End": true}}}));
    let mut e = Execution::new(&m, json!({"s": "x".repeat(NEAR_LIMIT_BYTES)}), ExecutionConfig::default());
    assert!(matches!(e.run(), Status::Succeeded(_)));
    let flags: Vec<(StageKind, bool)> = e.stages().iter().map(|s| (s.kind, s.near_limit)).collect();
    assert_eq!(flags, [(StageKind::Input, true), (StageKind::Result, false), (StageKind::Output, false)]);
}
