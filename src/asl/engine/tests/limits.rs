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
    let mut e = Execution::new(m.clone(), input, ExecutionConfig::default());
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
        .map(|s| serde_json::to_string(&*s.value()).expect("serialises").len())
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
        .any(|s| serde_json::to_string(&*s.value()).expect("serialises").len() > NEAR_LIMIT_BYTES);
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
    let mut e = Execution::new(m.clone(), input, ExecutionConfig::default());
    let status = e.run().clone();
    let Status::Failed { error, .. } = status else { panic!("{status:?}") };
    assert_eq!(error.as_deref(), Some("States.DataLimitExceeded"));
}

#[test]
fn an_execution_input_over_the_quota_fails_the_first_state() {
    let m = machine(json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}));
    let mut e = Execution::new(m.clone(), json!({"s": "x".repeat(MAX_PAYLOAD_BYTES)}), ExecutionConfig::default());
    let Status::Failed { error, cause } = e.run().clone() else { panic!("not failed") };
    assert_eq!(error.as_deref(), Some("States.DataLimitExceeded"));
    assert!(cause.is_some_and(|c| c.contains("'P' received an input")));
}

#[test]
fn a_task_whose_parameters_build_more_than_the_quota_is_not_scheduled() {
    // Each input fits; the Parameters send it twice, over the quota, and the result is small.
    let m = machine(json!({"StartAt": "Send", "States": {"Send": {"Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"a.$": "$.s", "b.$": "$.s"}, "ResultPath": null, "End": true}}}));
    let input = json!({"s": "x".repeat(MAX_PAYLOAD_BYTES / 2 + 100)});
    let mut e = Execution::new(m.clone(), input, ExecutionConfig::default());
    let Status::Failed { error, cause } = e.run().clone() else { panic!("not failed") };
    assert_eq!(error.as_deref(), Some("States.DataLimitExceeded"));
    assert!(cause.is_some_and(|c| c.contains("'Send' received an input")));
    assert!(!e.history().events().iter().any(|ev| ev.type_name().ends_with("Scheduled")), "nothing is scheduled");
}

#[test]
fn an_input_near_the_quota_is_flagged_on_its_input_stage() {
    let m = machine(json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {}, "End": true}}}));
    let mut e = Execution::new(m.clone(), json!({"s": "x".repeat(NEAR_LIMIT_BYTES)}), ExecutionConfig::default());
    assert!(matches!(e.run(), Status::Succeeded(_)));
    let flags: Vec<(StageKind, bool)> = e.stages().iter().map(|s| (s.kind, s.near_limit)).collect();
    assert_eq!(flags, [(StageKind::Input, true), (StageKind::Result, false), (StageKind::Output, false)]);
}

fn waits(timeout_seconds: u64, wait_seconds: u64) -> Value {
    json!({"TimeoutSeconds": timeout_seconds, "StartAt": "Pause", "States": {
        "Pause": {"Type": "Wait", "Seconds": wait_seconds, "Next": "Done"},
        "Done": {"Type": "Succeed"}}})
}

#[test]
fn a_wait_past_the_machines_timeout_seconds_times_the_execution_out() {
    let m = machine(waits(10, 20));
    let config = ExecutionConfig::default();
    let start = config.start_ms;
    let mut e = Execution::new(m.clone(), json!({}), config);
    assert_eq!(e.run(), &Status::TimedOut);
    let last = e.history().events().last().expect("events");
    assert_eq!(last.type_name(), "ExecutionTimedOut");
    assert_eq!(last.timestamp_ms, start + 10_000, "at the deadline, not at the Wait's end");
    let names: Vec<String> = e.history().events().iter().map(|ev| ev.type_name()).collect();
    assert_eq!(names, ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"], "the Wait never exits");
    assert_eq!(e.now_ms(), start + 10_000);
    assert_eq!(e.timeout_ms(), Some(10_000));
}

#[test]
fn a_run_within_its_timeout_seconds_succeeds() {
    let m = machine(waits(30, 20));
    let mut e = Execution::new(m.clone(), json!({}), ExecutionConfig::default());
    assert!(matches!(e.run(), Status::Succeeded(_)));
}

#[test]
fn a_limit_from_the_config_applies_and_the_shorter_limit_wins() {
    // An Express workflow's five minutes come in through the config.
    let m = machine(waits(3_600, 400));
    let config = ExecutionConfig { timeout_ms: Some(300_000), ..ExecutionConfig::default() };
    let start = config.start_ms;
    let mut e = Execution::new(m.clone(), json!({}), config);
    assert_eq!(e.run(), &Status::TimedOut);
    assert_eq!(e.history().events().last().map(|ev| ev.timestamp_ms), Some(start + 300_000));
    let m = machine(waits(10, 20));
    let config = ExecutionConfig { timeout_ms: Some(300_000), ..ExecutionConfig::default() };
    let mut e = Execution::new(m.clone(), json!({}), config);
    assert_eq!(e.run(), &Status::TimedOut);
    assert_eq!(e.timeout_ms(), Some(10_000));
}

#[test]
fn retries_that_outlast_the_timeout_are_cut_at_the_deadline() {
    // Each attempt fails at once; the retries' backoff carries the clock past 10 s.
    let m = machine(json!({"TimeoutSeconds": 10, "StartAt": "Flaky", "States": {
        "Flaky": {"Type": "Parallel", "Branches": [{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom"}}}],
            "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 4, "MaxAttempts": 5, "BackoffRate": 1}],
            "End": true}}}));
    let config = ExecutionConfig::default();
    let start = config.start_ms;
    let mut e = Execution::new(m.clone(), json!({}), config);
    assert_eq!(e.run(), &Status::TimedOut);
    let events = e.history().events();
    assert!(events.iter().all(|ev| ev.timestamp_ms <= start + 10_000), "nothing after the deadline");
    let started = events.iter().filter(|ev| ev.type_name() == "ParallelStateStarted").count();
    assert_eq!(started, 3, "attempts at 0, 4 and 8 s; the one at 12 s never starts");
}

#[test]
fn a_loop_nesting_its_output_deeper_each_pass_stops_at_the_depth_limit() {
    // The growing loop with a tiny payload: each pass nests the input one level deeper, so
    // depth, not size, is the limit that holds. A stack overflow here would abort the process.
    let m = machine(growing_loop());
    let config = ExecutionConfig::default();
    let mut e = Execution::new(m.clone(), json!({}), config);
    let Status::Failed { error, cause } = e.run().clone() else { panic!("not failed") };
    assert_eq!(error.as_deref(), Some("States.Runtime"));
    assert!(cause.is_some_and(|c| c.contains("deeper than 512 levels")));
    let entered = e.history().events().iter().filter(|ev| ev.type_name() == "PassStateEntered").count();
    assert_eq!(entered, crate::asl::depth::MAX_VALUE_DEPTH, "pass N nests N + 1 levels deep");
}
