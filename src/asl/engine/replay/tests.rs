//! Export → replay round trips, a changed definition's first divergence, truncated results,
//! interleaved (concurrent) recordings and the accepted file shapes.

use std::sync::Arc;

use serde_json::{Value, json};

use super::{HistoryError, RecordedHistory, from_events, parse_history, replay};
use crate::asl::check::check;
use crate::asl::definition::StateMachine;
use crate::asl::engine::history::aws::{AwsHistoryOptions, aws_events};
use crate::asl::engine::tasks::{RecordedAnswers, TaskAnswer, TaskRequest, TaskSource};
use crate::asl::engine::{Execution, ExecutionConfig, Status};
use crate::asl::source::Source;

/// A different answer per state and invocation, so a mix-up shows in the output.
struct Varied;

impl TaskSource for Varied {
    fn answer(&self, r: &TaskRequest) -> Option<TaskAnswer> {
        if r.state == "Charge" && r.invocation == 0 {
            return Some(TaskAnswer::Throw { error: "Busy".into(), cause: Some("retry".into()) });
        }
        Some(TaskAnswer::Return(json!({"from": r.state, "n": r.invocation, "got": &*r.input})))
    }
}

fn machine(def: &Value) -> Arc<StateMachine> {
    let checked = check(&Source::new("t.json", def.to_string()));
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    checked.machine.expect("machine")
}

fn order() -> Value {
    json!({"StartAt": "Charge", "States": {
        "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Parameters": {"Payload.$": "$"}, "ResultPath": "$.charge",
                   "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 3}], "Next": "Big order?"},
        "Big order?": {"Type": "Choice", "Choices": [
            {"Variable": "$.total", "NumericGreaterThan": 100, "Next": "Thank a big spender"}],
            "Default": "Say hello"},
        "Thank a big spender": {"Type": "Pass", "Result": "thanks", "ResultPath": "$.note", "Next": "Fan"},
        "Say hello": {"Type": "Pass", "Result": "hello", "ResultPath": "$.note", "Next": "Fan"},
        "Fan": {"Type": "Parallel", "ResultPath": "$.fan", "Next": "Each", "Branches": [
            {"StartAt": "Left", "States": {"Left": {"Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:111111111111:function:left", "End": true}}},
            {"StartAt": "Right", "States": {"Right": {"Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}}]},
        "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.each", "End": true,
                 "ItemProcessor": {"StartAt": "Pack", "States": {
                     "Pack": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}}}})
}

fn record(def: &Value, input: Value) -> (Status, Vec<Value>) {
    let m = machine(def);
    let mut e =
        Execution::with_tasks(m, input, ExecutionConfig::default(), Arc::new(Varied), RecordedAnswers::default());
    let status = e.run().clone();
    (status, aws_events(e.history(), &AwsHistoryOptions::default()))
}

fn history(events: &[Value]) -> RecordedHistory {
    from_events(events.to_vec()).expect("history")
}

#[test]
fn export_then_replay_gives_the_same_events_and_no_divergence() {
    let input = json!({"total": 250, "items": ["a", "b", "c"]});
    let (status, events) = record(&order(), input);
    assert!(matches!(status, Status::Succeeded(_)), "{status:?}");
    let report = replay(&machine(&order()), &history(&events), ExecutionConfig::default()).expect("replay");
    assert_eq!(report.status, status);
    assert_eq!(report.divergence, None);
    assert!(report.unreconstructed.is_empty());
    assert_eq!(report.events, events, "the same events, task results from the recording alone");
}

#[test]
fn a_changed_choice_is_reported_at_the_event_where_it_went_elsewhere() {
    let (_, events) = record(&order(), json!({"total": 250, "items": []}));
    let mut changed = order();
    changed["States"]["Big order?"]["Choices"][0]["NumericGreaterThan"] = json!(1000);
    let report = replay(&machine(&changed), &history(&events), ExecutionConfig::default()).expect("replay");
    let d = report.divergence.expect("diverges");
    let recorded_id = events
        .iter()
        .find(|e| e["stateEnteredEventDetails"]["name"] == "Thank a big spender")
        .and_then(|e| e["id"].as_u64());
    assert_eq!(Some(d.event_id), recorded_id);
    assert_eq!(d.state.as_deref(), Some("Thank a big spender"));
    assert_eq!(
        d.reason,
        "definition changed since the run: Choice 'Big order?' now takes 'Say hello', the recording took \
         'Thank a big spender'"
    );
    assert_eq!(d.actual, json!("PassStateEntered 'Say hello'"));
}

#[test]
fn a_changed_parameter_is_reported_at_the_task_it_changed() {
    let (_, events) = record(&order(), json!({"total": 5, "items": ["a"]}));
    let mut changed = order();
    changed["States"]["Charge"]["Parameters"] = json!({"Payload.$": "$.total"});
    let report = replay(&machine(&changed), &history(&events), ExecutionConfig::default()).expect("replay");
    let d = report.divergence.expect("diverges");
    assert_eq!(d.state.as_deref(), Some("Charge"));
    assert!(d.reason.starts_with("TaskScheduled 'Charge': parameters differs"), "{}", d.reason);
    assert_eq!(d.actual, json!({"Payload": 5}));
    assert_eq!(events[(d.event_id - 1) as usize]["type"], "TaskScheduled");
}

/// Marks the `n`-th `TaskSucceeded` whose output mentions `state` as truncated by AWS.
fn truncate_result(events: &mut [Value], state: &str, n: usize) {
    let e = events
        .iter_mut()
        .filter(|e| {
            e["type"] == "TaskSucceeded" && e["taskSucceededEventDetails"]["output"].to_string().contains(state)
        })
        .nth(n)
        .expect("that result");
    e["taskSucceededEventDetails"]["output"] = json!("{\"from\":\"Pa");
    e["taskSucceededEventDetails"]["outputDetails"] = json!({"truncated": true});
}

#[test]
fn a_truncated_result_that_the_state_reshapes_stops_the_replay_and_says_which_task() {
    let (_, mut events) = record(&order(), json!({"total": 5, "items": ["a", "b"]}));
    // 'Charge' puts its result at $.charge: its output does not give the result back.
    truncate_result(&mut events, "Charge", 0);
    let report = replay(&machine(&order()), &history(&events), ExecutionConfig::default()).expect("replay");
    assert!(matches!(&report.status, Status::AwaitingTask(r) if r.state == "Charge" && r.invocation == 1));
    assert_eq!(report.divergence, None, "everything up to there matched");
    assert_eq!(report.unreconstructed.len(), 1);
    assert!(report.unreconstructed[0].starts_with("Task 'Charge', invocation 2: "), "{:?}", report.unreconstructed);
    assert!(report.unreconstructed[0].contains("truncated"));
}

#[test]
fn a_truncated_result_passed_through_unchanged_is_taken_from_the_state_output() {
    let (status, mut events) = record(&order(), json!({"total": 5, "items": ["a", "b"]}));
    // 'Pack' (in a Map iteration) outputs its result as it is: the exit holds it in full.
    truncate_result(&mut events, "Pack", 1);
    let report = replay(&machine(&order()), &history(&events), ExecutionConfig::default()).expect("replay");
    assert_eq!(report.status, status);
    assert_eq!(report.divergence, None);
    assert!(report.unreconstructed.is_empty());
}

/// Rewrites a sequential history as AWS would record concurrent Map iterations: the iterations'
/// events interleaved (item 1's before item 0's), each linked to the one before it on its branch.
#[test]
fn interleaved_iterations_are_matched_by_their_links_not_their_positions() {
    let (status, events) = record(&order(), json!({"total": 5, "items": ["a", "b"]}));
    let pos = |t: &str, n: usize| events.iter().enumerate().filter(|(_, e)| e["type"] == t).nth(n).map(|(i, _)| i);
    let (s0, s1) = (pos("MapIterationStarted", 0).expect("0"), pos("MapIterationStarted", 1).expect("1"));
    let end1 = pos("MapIterationSucceeded", 1).expect("end");
    // Item 1 (s1..=end1) first, then item 0 (s0..s1), then the rest; ids renumbered in this
    // order; each event's previousEventId is its predecessor within its own item.
    let mut order_ix: Vec<usize> = (0..s0).collect();
    order_ix.extend(s1..=end1);
    order_ix.extend(s0..s1);
    order_ix.extend(end1 + 1..events.len());
    let new_id = |old: usize| order_ix.iter().position(|&i| i == old).map_or(0, |p| p as u64 + 1);
    let map_started = s0 - 1;
    let mut shuffled = Vec::new();
    for &old in &order_ix {
        let mut e = events[old].clone();
        let prev = match old {
            0 => 0,
            o if o == s1 => new_id(map_started),
            o if o == end1 + 1 => new_id(s1 - 1),
            o => new_id(o - 1),
        };
        e["id"] = json!(new_id(old));
        e["previousEventId"] = json!(prev);
        shuffled.push(e);
    }
    let report = replay(&machine(&order()), &history(&shuffled), ExecutionConfig::default()).expect("replay");
    assert_eq!(report.status, status, "each iteration got its own recorded result");
    assert_eq!(report.divergence, None);
}

#[test]
fn reads_the_cli_output_a_bare_array_and_pages_in_any_order() {
    let (_, events) = record(&order(), json!({"total": 5, "items": []}));
    let cli = serde_json::to_string_pretty(&json!({"events": events})).expect("text");
    let a = parse_history(&cli).expect("cli");
    let mut reversed = events.clone();
    reversed.reverse();
    let (first, second) = reversed.split_at(4);
    let pages = format!("{}\n{}", json!({"events": first, "nextToken": "abc"}), json!(second));
    let b = parse_history(&pages).expect("pages");
    assert_eq!(a.events, b.events);
    assert_eq!(a.events.len(), events.len());
    assert_eq!(a.input().expect("input"), json!({"total": 5, "items": []}));
    assert_eq!(a.start_ms(), Some(ExecutionConfig::default().start_ms));
    assert!(matches!(parse_history("{\"events\": 3}"), Err(HistoryError::Shape(_))));
    assert!(matches!(parse_history("{\"events\": [}"), Err(HistoryError::Json { line: 1, .. })));
    assert_eq!(parse_history("[]").expect("empty").input(), Err(HistoryError::NoStart));
}

/// Hostile or damaged histories (events dropped, retyped, linked to nowhere or to themselves,
/// details removed) replay to some report or a typed error, never a panic.
#[test]
fn damaged_histories_never_panic() {
    let (_, events) = record(&order(), json!({"total": 250, "items": ["a", "b"]}));
    let m = machine(&order());
    let mut variants: Vec<Vec<Value>> = Vec::new();
    for i in 0..events.len() {
        let mut dropped = events.clone();
        dropped.remove(i);
        variants.push(dropped);
        for change in 0..4 {
            let mut v = events.clone();
            let e = &mut v[i];
            match change {
                0 => e["type"] = json!("TaskSucceeded"),
                1 => e["previousEventId"] = json!(u64::MAX),
                2 => e["previousEventId"] = e["id"].clone(),
                _ => {
                    if let Some(o) = e.as_object_mut() {
                        o.retain(|k, _| !k.ends_with("EventDetails"));
                    }
                }
            }
            variants.push(v);
        }
    }
    let mut reports = 0;
    for v in variants {
        if let Ok(h) = from_events(v) {
            if replay(&m, &h, ExecutionConfig::default()).is_ok() {
                reports += 1;
            }
        }
    }
    assert!(reports > events.len(), "most damaged histories still replay to a report ({reports})");
}

/// A state input AWS truncated is not compared (it cannot be), and the replay still matches.
#[test]
fn truncated_state_payloads_are_not_divergences() {
    let (_, mut events) = record(&order(), json!({"total": 5, "items": []}));
    let entered = events.iter_mut().find(|e| e["type"] == "PassStateEntered").expect("a Pass state");
    entered["stateEnteredEventDetails"]["input"] = json!("{\"total\": 5, \"ite");
    entered["stateEnteredEventDetails"]["inputDetails"] = json!({"truncated": true});
    let report = replay(&machine(&order()), &history(&events), ExecutionConfig::default()).expect("replay");
    assert_eq!(report.divergence, None);
    assert!(matches!(report.status, Status::Succeeded(_)));
}
