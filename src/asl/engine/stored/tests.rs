//! Sharing is measured by the store's own accounting ([`retained_bytes`]), never by timing.

use serde_json::{Value, json};

use super::{Payload, retained_bytes};
use crate::asl::engine::history::EventKind;
use crate::asl::engine::tests::machine;
use crate::asl::engine::{Execution, ExecutionConfig, Status};

const BIG: usize = 200_000;

/// Runs `def` on `{"big": <BIG bytes>, "n": 0}` until `events` history events, returning the
/// execution and every payload its records and events hold.
fn looped(def: Value, events: usize) -> (Execution, Vec<Payload>) {
    let config = ExecutionConfig { max_history_events: events, ..ExecutionConfig::default() };
    let mut e = Execution::new(machine(def), json!({"big": "x".repeat(BIG), "n": 0}), config);
    let status = e.run().clone();
    assert!(matches!(status, Status::Failed { .. }), "the loop stops at the event quota: {status:?}");
    let mut payloads: Vec<Payload> = e.stages().iter().map(|s| s.payload.clone()).collect();
    for ev in e.history().events().iter() {
        match &ev.kind {
            EventKind::StateEntered { input, .. } => payloads.push(input.clone()),
            EventKind::StateExited { output, assigned_variables, .. } => {
                payloads.push(output.clone());
                payloads.extend(assigned_variables.as_deref().cloned());
            }
            _ => {}
        }
    }
    (e, payloads)
}

#[test]
fn a_loop_copying_a_large_string_retains_it_once() {
    let def = json!({"StartAt": "Loop", "States": {"Loop": {"Type": "Pass",
        "Parameters": {"big.$": "$.big", "n.$": "States.MathAdd($.n, 1)"}, "Next": "Loop"}}});
    let (e, payloads) = looped(def, 400);
    // About 200 states, each with a new value holding its own copy of the string: held as the
    // engine made them, the records would retain about 200 × 200 KB.
    assert!(payloads.len() > 500, "{} payloads", payloads.len());
    let retained = retained_bytes(&payloads);
    assert!(retained < 3 * BIG, "retained {retained} bytes for {} payloads", payloads.len());
    // Behaviour unchanged: each stored value reads back as the engine computed it.
    let last = e.stages().last().map(|s| s.value()).expect("stages");
    assert_eq!(last["big"].as_str().map(str::len), Some(BIG));
    assert!(last["n"].as_u64().is_some_and(|n| n > 100), "{}", last["n"]);
    assert!(e.stages().iter().all(|s| s.payload.is_frozen()));
}

#[test]
fn a_result_path_into_a_large_input_shares_the_rest_of_it() {
    let def = json!({"StartAt": "Loop", "States": {"Loop": {"Type": "Pass",
        "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "ResultPath": "$.count", "Next": "Loop"}}});
    let (e, payloads) = looped(def, 400);
    let retained = retained_bytes(&payloads);
    assert!(retained < 3 * BIG, "retained {retained} bytes for {} payloads", payloads.len());
    let last = e.stages().last().map(|s| s.value()).expect("stages");
    assert_eq!(last["big"].as_str().map(str::len), Some(BIG));
}

#[test]
fn an_assign_copying_a_large_string_retains_it_once() {
    let def = json!({"StartAt": "Loop", "States": {"Loop": {"Type": "Pass",
        "Assign": {"keep.$": "$.big"}, "Next": "Loop"}}});
    let (e, payloads) = looped(def, 400);
    let retained = retained_bytes(&payloads);
    assert!(retained < 3 * BIG, "retained {retained} bytes for {} payloads", payloads.len());
    let exited = e.history().events().iter().rev().find_map(|ev| match &ev.kind {
        EventKind::StateExited { assigned_variables: Some(vars), .. } => Some(vars.value()),
        _ => None,
    });
    assert_eq!(exited.and_then(|v| v["keep"].as_str().map(str::len)), Some(BIG));
}

#[test]
fn small_payloads_stay_as_the_engine_made_them() {
    let def = json!({"StartAt": "Loop", "States": {"Loop": {"Type": "Pass",
        "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Loop"}}});
    let config = ExecutionConfig { max_history_events: 100, ..ExecutionConfig::default() };
    let mut e = Execution::new(machine(def), json!({"n": 0}), config);
    e.run();
    assert!(e.stages().iter().all(|s| !s.payload.is_frozen()), "the hot path freezes nothing");
}

#[test]
fn frozen_and_live_payloads_of_one_value_are_equal_and_print_alike() {
    let value = json!({"a": ["y".repeat(300), 1.5, null, true], "b": {"c": "z".repeat(5_000)}});
    let mut store = super::Store::default();
    let live = Payload::from(value.clone());
    let mut frozen = live.clone();
    store.payload(&mut frozen);
    assert!(frozen.is_frozen());
    assert_eq!(frozen, live);
    assert_eq!(frozen, value);
    assert_eq!(format!("{frozen}"), value.to_string());
    assert_eq!(format!("{frozen:#}"), format!("{value:#}"));
    assert_eq!(format!("{frozen:?}"), format!("{value:?}"));
    // Key order is kept (the engine preserves insertion order).
    let keys: Vec<String> = frozen.value().as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    assert_eq!(keys, ["a", "b"]);
}

#[test]
fn rewinding_a_large_run_gives_back_the_same_stages() {
    let def = json!({"StartAt": "Loop", "States": {"Loop": {"Type": "Pass",
        "Parameters": {"big.$": "$.big", "n.$": "States.MathAdd($.n, 1)"}, "Next": "Loop"}}});
    let (mut e, _) = looped(def, 400);
    let before: Vec<Payload> = e.stages().iter().map(|s| s.payload.clone()).collect();
    let events = e.history().len();
    // Snapshots keep the cursor's input frozen: restoring one must rebuild it exactly.
    e.rewind(150);
    assert_eq!(e.stages().len(), 151);
    e.run();
    let after: Vec<Payload> = e.stages().iter().map(|s| s.payload.clone()).collect();
    assert_eq!(after.len(), before.len());
    assert!(after.iter().zip(&before).all(|(a, b)| a == b), "the same stages after a rewind");
    assert_eq!(e.history().len(), events);
}
