//! Headless tests of the execution loop: stage order, history numbering, determinism, limits.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::asl::check::check;
use crate::asl::definition::StateMachine;
use crate::asl::engine::history::EventKind;
use crate::asl::engine::stage::StageKind;
use crate::asl::engine::{Execution, ExecutionConfig, Status, Step};
use crate::asl::source::Source;

pub(crate) fn machine(def: Value) -> Arc<StateMachine> {
    let checked = check(&Source::new("test.json", def.to_string()));
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    checked.machine.expect("machine")
}

fn run(def: Value, input: Value) -> (Status, Vec<String>) {
    let m = machine(def);
    let mut e = Execution::new(m.clone(), input, ExecutionConfig::default());
    let status = e.run().clone();
    let events = e.history().events().iter().map(|ev| ev.type_name()).collect();
    (status, events)
}

#[test]
fn pass_state_shows_each_stage_it_has_in_aws_order() {
    // rule 5.3: InputPath → Parameters → Result → ResultPath → OutputPath.
    let m = machine(json!({"StartAt": "P", "States": {"P": {
        "Type": "Pass", "InputPath": "$.a", "Parameters": {"x.$": "$.b"}, "ResultPath": "$.r",
        "OutputPath": "$.r", "End": true}}}));
    let mut e = Execution::new(m.clone(), json!({"a": {"b": 7}}), ExecutionConfig::default());
    let mut kinds = Vec::new();
    while let Step::Stage(s) = e.step() {
        kinds.push((s.kind, (*s.value()).clone(), s.field()));
    }
    assert_eq!(
        kinds,
        vec![
            (StageKind::Input, json!({"a": {"b": 7}}), None),
            (StageKind::AfterInputPath, json!({"b": 7}), Some("InputPath")),
            (StageKind::AfterParameters, json!({"x": 7}), Some("Parameters")),
            // ResultPath writes into the raw input, not the effective input (ASL-NOTES 1).
            (StageKind::AfterResultPath, json!({"a": {"b": 7}, "r": {"x": 7}}), Some("ResultPath")),
            (StageKind::Output, json!({"x": 7}), Some("OutputPath")),
        ]
    );
    assert_eq!(e.status(), &Status::Succeeded(json!({"x": 7}).into()));
}

#[test]
fn history_is_numbered_like_aws_and_exit_waits_for_the_last_stage() {
    let m = machine(json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}));
    let mut e = Execution::new(m.clone(), json!({}), ExecutionConfig::default());
    e.step(); // A: input
    assert_eq!(e.history().len(), 2, "ExecutionStarted + PassStateEntered, no exit yet");
    e.step(); // A: output → exit committed
    assert_eq!(e.history().events()[2].type_name(), "PassStateExited");
    e.run();
    let ev = e.history().events();
    let names: Vec<String> = ev.iter().map(|x| x.type_name()).collect();
    assert_eq!(
        names,
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert!(ev.iter().enumerate().all(|(i, x)| x.id == i as u32 + 1 && x.previous_event_id == i as u32));
}

#[test]
fn fail_state_without_error_or_cause_fails_with_neither() {
    // ASL-NOTES 21, base/test_state_fail_empty.
    let (status, events) = run(json!({"StartAt": "F", "States": {"F": {"Type": "Fail"}}}), json!({}));
    assert_eq!(status, Status::Failed { error: None, cause: None });
    assert_eq!(events, ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]);
}

#[test]
fn runtime_errors_name_the_state_and_its_entered_event_id() {
    // ASL-NOTES 4 and 5: InputPath that selects nothing.
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Pass", "InputPath": "$.missing", "End": true}}});
    let (status, _) = run(def, json!({}));
    assert_eq!(
        status,
        Status::Failed {
            error: Some("States.Runtime".into()),
            cause: Some("An error occurred while executing the state 'B' (entered at the event id #4). Invalid path '$.missing' : No results for path: $['missing']".into()),
        }
    );
}

#[test]
fn wait_advances_the_virtual_clock_not_the_real_one() {
    let m = machine(json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}));
    let mut e = Execution::new(m.clone(), json!({}), ExecutionConfig::default());
    let start = e.now_ms();
    e.run();
    assert_eq!(e.now_ms() - start, 3_600_000);
    let exit = &e.history().events()[2];
    assert_eq!(exit.timestamp_ms - start, 3_600_000);
}

#[test]
fn negative_seconds_path_is_a_runtime_error() {
    // rule 11.2, base/test_base_wait_seconds_path(-1).
    let def = json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}});
    let (status, _) = run(def.clone(), json!({"s": -1}));
    let Status::Failed { error, cause } = status else { panic!("should fail") };
    assert_eq!(error.as_deref(), Some("States.Runtime"));
    assert!(cause.unwrap_or_default().ends_with("The SecondsPath parameter references a negative value: $.s == -1"));
    let (status, _) = run(def, json!({"s": 0}));
    assert!(matches!(status, Status::Succeeded(_)));
}

#[test]
fn runaway_loops_stop_at_the_history_quota() {
    let def =
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}});
    let (status, events) = run(def, json!({}));
    assert!(matches!(status, Status::Failed { .. }));
    assert!(events.len() <= super::limits::MAX_HISTORY_EVENTS + 1);
}

#[test]
fn same_machine_input_and_seed_give_the_same_history() {
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"k": 1}, "ResultPath": "$.r", "Next": "W"},
        "W": {"Type": "Wait", "Seconds": 5, "End": true}}});
    let m = machine(def);
    let history = || {
        let mut e = Execution::new(m.clone(), json!({"in": true}), ExecutionConfig { seed: 42, ..Default::default() });
        e.run();
        e.history().events().to_vec()
    };
    assert_eq!(history(), history());
}

#[test]
fn states_exited_carry_shared_payloads() {
    let m = machine(json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}));
    let mut e = Execution::new(m.clone(), json!({"big": [1, 2, 3]}), ExecutionConfig::default());
    e.run();
    let ev = e.history().events();
    let (EventKind::StateExited { output, .. }, EventKind::ExecutionSucceeded { output: final_output }) =
        (&ev[2].kind, &ev[3].kind)
    else {
        panic!("unexpected events")
    };
    assert!(output.is(final_output), "payloads are shared, not copied per event");
}

#[test]
fn rewind_then_step_reproduces_the_same_stages_and_history() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "InputPath": "$.x", "Result": {"k": 1}, "ResultPath": "$.r", "Next": "W"},
        "W": {"Type": "Wait", "Seconds": 5, "Next": "C"},
        "C": {"Type": "Succeed", "OutputPath": "$.r"}}});
    let m = machine(def);
    let mut e = Execution::new(m.clone(), json!({"x": {"y": 1}}), ExecutionConfig::default());
    e.run();
    let all: Vec<(usize, StageKind, Value)> =
        e.stages().iter().map(|s| (s.index(), s.kind, (*s.value()).clone())).collect();
    let history = e.history().events().to_vec();
    for stop in 0..all.len() {
        e.rewind(stop);
        assert_eq!(e.stages().len(), stop + 1);
        assert_eq!(e.stages().last().map(|s| (s.index(), s.kind)), Some((all[stop].0, all[stop].1)));
        e.run();
        let again: Vec<(usize, StageKind, Value)> =
            e.stages().iter().map(|s| (s.index(), s.kind, (*s.value()).clone())).collect();
        assert_eq!(again, all);
        assert_eq!(e.history().events().to_vec(), history);
    }
    e.rewind(2);
    e.step_back();
    assert_eq!(e.stages().len(), 2);
}

#[test]
fn a_result_over_256_kib_fails_with_data_limit_exceeded_and_no_exit() {
    // rule 6.1, ASL-NOTES 6: no StateExited, and the cause has no "An error occurred" prefix.
    let big = "a".repeat(262_144);
    let (status, events) = run(
        json!({"StartAt": "Big", "States": {"Big": {"Type": "Pass", "Result": {"s": big}, "End": true}}}),
        json!({}),
    );
    assert_eq!(
        status,
        Status::Failed {
            error: Some("States.DataLimitExceeded".into()),
            cause: Some(
                "The state/task 'Big' returned a result with a size exceeding the maximum number of bytes service limit."
                    .into()
            ),
        }
    );
    assert_eq!(events, ["ExecutionStarted", "PassStateEntered", "ExecutionFailed"]);
}

#[test]
fn a_result_just_under_the_limit_passes() {
    // {"s":"…"} is 8 bytes of JSON around the string.
    let fits = "a".repeat(262_144 - 8);
    let (status, _) = run(
        json!({"StartAt": "Ok", "States": {"Ok": {"Type": "Pass", "Result": {"s": fits}, "End": true}}}),
        json!({}),
    );
    assert!(matches!(status, Status::Succeeded(_)), "{status:?}");
}

#[test]
fn a_missing_template_path_names_its_field_like_aws() {
    // ASL-NOTES 4: Parameters say "specified for the field 'key.$'", with the input quoted.
    let (status, _) = run(
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"outer": {"value.$": "$.nope"}}, "End": true}}}),
        json!({"a": 1}),
    );
    let Status::Failed { error, cause } = status else { panic!("{status:?}") };
    assert_eq!(error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        cause.as_deref(),
        Some(
            "An error occurred while executing the state 'P' (entered at the event id #2). The JSONPath '$.nope' \
             specified for the field 'value.$' could not be found in the input '{\"a\":1}'"
        )
    );
}

#[test]
fn stage_records_carry_the_template_as_written() {
    let m = machine(json!({"StartAt": "P", "States": {"P": {"Type": "Pass",
        "Parameters": {"x.$": "$.a", "lit": [1, "two"], "c.$": "$$.State.Name"}, "End": true}}}));
    let mut e = Execution::new(m.clone(), json!({"a": 1}), ExecutionConfig::default());
    e.step();
    let Step::Stage(s) = e.step() else { panic!("no stage") };
    assert_eq!(s.expr(), Some(r#"{"x.$": "$.a", "lit": [1,"two"], "c.$": "$$.State.Name"}"#));
}

mod limits;
mod map;
mod parallel;
mod time_travel;
mod variables;

/// A long run keeps one record per stage and per event, and first touching their pages was
/// most of a state's cost in `benches/engine.rs`: these sizes are a budget, not a detail.
/// (72 and 64, not 64 and 56, since a payload may be stored frozen (`engine::stored`): its tag
/// costs 8 bytes; the engine bench did not move beyond noise.)
#[test]
fn stage_records_and_history_events_stay_small() {
    use crate::asl::engine::history::HistoryEvent;
    use crate::asl::engine::stage::StageRecord;
    assert!(std::mem::size_of::<StageRecord>() <= 72, "StageRecord is {} bytes", std::mem::size_of::<StageRecord>());
    assert!(std::mem::size_of::<HistoryEvent>() <= 64, "HistoryEvent is {} bytes", std::mem::size_of::<HistoryEvent>());
}

/// The API server runs executions on tokio worker threads, many of one machine at once: an
/// execution must move between threads, and sharing its machine must not copy it.
#[test]
fn executions_share_their_machine_and_are_send() {
    fn assert_send<T: Send + 'static>(_: &T) {}
    let m = machine(json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}));
    let runs: Vec<Execution> =
        (0..3).map(|i| Execution::new(m.clone(), json!({"i": i}), ExecutionConfig::default())).collect();
    assert_send(&runs[0]);
    assert_eq!(Arc::strong_count(&m), 4);
    assert!(runs.iter().all(|e| Arc::ptr_eq(e.machine(), &m)));
    let handles: Vec<_> =
        runs.into_iter().map(|mut e| std::thread::spawn(move || matches!(e.run(), Status::Succeeded(_)))).collect();
    assert!(handles.into_iter().all(|h| h.join().unwrap_or(false)));
    assert_eq!(Arc::strong_count(&m), 1);
}
