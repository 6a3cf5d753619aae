//! Map state rules (5.5, 15.x) and ASL-NOTES 18: tolerance, concurrency, batching, DISTRIBUTED
//! child executions, S3 readers.

use serde_json::{Value, json};

use super::machine;
use crate::asl::engine::{Execution, ExecutionConfig, Status};

fn map_def(extra: Value, processor: Value) -> Value {
    let mut m = json!({"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": processor, "End": true});
    if let (Some(m), Some(extra)) = (m.as_object_mut(), extra.as_object()) {
        m.extend(extra.clone());
    }
    json!({"StartAt": "M", "States": {"M": m}})
}

/// Fails for items that are `"bad"`, passes the rest through.
fn picky() -> Value {
    json!({"StartAt": "Check", "States": {
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$", "StringEquals": "bad", "Next": "Boom"}], "Default": "Ok"},
        "Boom": {"Type": "Fail", "Error": "Bad", "Cause": "bad item"},
        "Ok": {"Type": "Pass", "End": true}}})
}

fn exec(def: Value, input: Value) -> (Status, Vec<String>, usize) {
    let m = machine(def);
    let mut e = Execution::new(m.clone(), input, ExecutionConfig::default());
    let status = e.run().clone();
    let events = e.history().events().iter().map(|ev| ev.type_name()).collect();
    (status, events, e.stages().len())
}

fn failed(status: &Status) -> (String, String) {
    match status {
        Status::Failed { error, cause } => (error.clone().unwrap_or_default(), cause.clone().unwrap_or_default()),
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn rule_15_10_without_tolerance_the_first_failure_fails_the_map_with_its_own_error() {
    let (status, events, _) = exec(map_def(json!({"MaxConcurrency": 1}), picky()), json!({"items": ["a", "bad", "c"]}));
    assert_eq!(failed(&status), ("Bad".into(), "bad item".into()));
    assert!(events.ends_with(&["MapIterationFailed".into(), "MapStateFailed".into(), "ExecutionFailed".into()]));
    assert_eq!(events.iter().filter(|e| *e == "MapIterationStarted").count(), 2, "later items are cancelled");
}

#[test]
fn rule_15_9_tolerated_failures_keep_their_error_output_in_the_result() {
    let (status, _, _) =
        exec(map_def(json!({"ToleratedFailureCount": 1}), picky()), json!({"items": ["a", "bad", "c"]}));
    let Status::Succeeded(out) = status else { panic!("{status:?}") };
    assert_eq!(*out, json!(["a", {"Error": "Bad", "Cause": "bad item"}, "c"]));
}

#[test]
fn rule_15_9_exceeding_the_tolerance_fails_with_exceed_tolerated_failure_threshold() {
    let (status, events, _) =
        exec(map_def(json!({"ToleratedFailurePercentage": 40}), picky()), json!({"items": ["a", "bad", "bad"]}));
    assert_eq!(failed(&status).0, "States.ExceedToleratedFailureThreshold");
    assert_eq!(events.iter().filter(|e| *e == "MapStateFailed").count(), 1);
}

#[test]
fn asl_notes_18_bad_tolerance_and_concurrency_values_fail_with_aws_texts() {
    let cases = [
        (json!({"ToleratedFailureCountPath": "$.t"}), json!(-1), "ToleratedFailureCount cannot be negative."),
        (
            json!({"ToleratedFailureCountPath": "$.t"}),
            json!("NoNumber"),
            "The ToleratedFailureCountPath field refers to value \"NoNumber\" which is not a valid integer: $.t",
        ),
        (
            json!({"ToleratedFailurePercentagePath": "$.t"}),
            json!(100.1),
            "ToleratedFailurePercentage must be between 0 and 100.",
        ),
        (
            json!({"ToleratedFailurePercentagePath": "$.t"}),
            json!({}),
            "The ToleratedFailurePercentagePath field refers to value \"{}\" which is not a valid float: $.t",
        ),
        (
            json!({"MaxConcurrencyPath": "$.t"}),
            json!("x"),
            "The MaxConcurrencyPath field refers to value \"x\" which is not a valid integer: $.t",
        ),
    ];
    for (extra, t, cause) in cases {
        let (status, events, _) = exec(map_def(extra, picky()), json!({"items": ["a"], "t": t}));
        let (error, got) = failed(&status);
        assert_eq!(error, "States.Runtime");
        assert_eq!(
            got,
            format!("An error occurred while executing the state 'M' (entered at the event id #2). {cause}")
        );
        assert!(!events.contains(&"MapStateFailed".to_string()), "the Map's own error has no MapStateFailed");
    }
    // A string holding an integer is accepted, as AWS does for variables.
    let (status, _, _) =
        exec(map_def(json!({"MaxConcurrencyPath": "$.t"}), picky()), json!({"items": ["a"], "t": "1"}));
    assert!(matches!(status, Status::Succeeded(_)), "{status:?}");
}

#[test]
fn max_concurrency_1_runs_iterations_one_after_another_on_the_virtual_clock() {
    let wait = json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": true}}});
    let elapsed = |extra: Value| {
        let m = machine(map_def(extra, wait.clone()));
        let mut e = Execution::new(m.clone(), json!({"items": [1, 2, 3]}), ExecutionConfig::default());
        e.run();
        e.now_ms() - ExecutionConfig::default().start_ms
    };
    assert_eq!(elapsed(json!({"MaxConcurrency": 1})), 15_000);
    assert_eq!(elapsed(json!({})), 5_000, "unbounded: iterations overlap");
}

#[test]
fn item_selector_sees_map_item_index_and_value_and_legacy_iterator_parameters_work() {
    let def = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
        "Parameters": {"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value", "k.$": "$.k"},
        "Iterator": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}});
    let (status, _, _) = exec(def, json!({"items": ["x", "y"], "k": 7}));
    let Status::Succeeded(out) = status else { panic!("{status:?}") };
    assert_eq!(*out, json!([{"i": 0, "v": "x", "k": 7}, {"i": 1, "v": "y", "k": 7}]));
}

#[test]
fn item_batcher_groups_items_with_batch_input() {
    let pass = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}});
    let def = map_def(json!({"ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"tag.$": "$.tag"}}}), pass.clone());
    let (status, _, _) = exec(def, json!({"items": [1, 2, 3], "tag": "t"}));
    let Status::Succeeded(out) = status else { panic!("{status:?}") };
    assert_eq!(
        *out,
        json!([{"BatchInput": {"tag": "t"}, "Items": [1, 2]}, {"BatchInput": {"tag": "t"}, "Items": [3]}])
    );
    // Bytes: "aaaa" is 6 bytes of JSON; 13 bytes fit two.
    let def = map_def(json!({"ItemBatcher": {"MaxInputBytesPerBatchPath": "$.max"}}), pass);
    let (status, _, _) = exec(def, json!({"items": ["aaaa", "bbbb", "cccc"], "max": 13}));
    let Status::Succeeded(out) = status else { panic!("{status:?}") };
    assert_eq!(*out, json!([{"Items": ["aaaa", "bbbb"]}, {"Items": ["cccc"]}]));
}

#[test]
fn distributed_map_records_map_run_events_and_still_shows_child_stages() {
    let processor = json!({"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "End": true}}});
    let m = machine(map_def(json!({"Label": "Batch"}), processor));
    let mut e = Execution::new(m.clone(), json!({"items": [1, 2]}), ExecutionConfig::default());
    assert!(matches!(e.run(), Status::Succeeded(_)));
    let types: Vec<String> = e.history().events().iter().map(|ev| ev.type_name()).collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapRunStarted",
            "MapRunSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded"
        ]
    );
    let arn = e.history().events()[3].details()["mapRunArn"].as_str().unwrap_or_default().to_string();
    assert!(arn.starts_with("arn:aws:states:us-east-1:111111111111:mapRun:statescope/Batch:"), "{arn}");
    let inner: Vec<&str> = e.stages().iter().filter(|s| &*s.state == "Inner").map(|s| &*s.location).collect();
    assert_eq!(inner.len(), 4, "input and output of both children are steppable");
    assert_eq!(inner[0], "M › item 0");
}

#[test]
fn rule_15_11_s3_item_reader_stops_with_a_clear_reason() {
    let pass = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}});
    let def = json!({"StartAt": "M", "States": {"M": {"Type": "Map",
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b", "Key": "k"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "P", "States": pass["States"]}, "End": true}}});
    let (status, _, _) = exec(def, json!({}));
    let Status::Stopped(why) = status else { panic!("{status:?}") };
    assert!(why.contains("S3") && why.contains("locally"), "{why}");
}

#[test]
fn rule_7_5_iterations_read_outer_variables_and_their_own_are_discarded() {
    let def = json!({"StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "Assign": {"outer": 10}, "Next": "M"},
        "M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1, "ItemProcessor": {"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Assign": {"inner.$": "$"}, "Next": "B"},
            "B": {"Type": "Pass", "Parameters": {"o.$": "$outer", "i.$": "$inner"}, "End": true}}},
            "Next": "After"},
        "After": {"Type": "Pass", "End": true}}});
    let m = machine(def);
    let mut e = Execution::new(m.clone(), json!({"items": [1, 2]}), ExecutionConfig::default());
    let Status::Succeeded(out) = e.run().clone() else { panic!("not succeeded") };
    assert_eq!(*out, json!([{"o": 10, "i": 1}, {"o": 10, "i": 2}]));
    assert_eq!(e.variables().get("inner"), None, "iteration variables end with the iteration");
    assert_eq!(e.variables().get("outer"), Some(&json!(10)));
}

#[test]
fn after_the_iterations_the_context_names_the_map_again() {
    // Iterations rewrite `$$.State`; the Map's ResultSelector must see its own entry.
    let pass = json!({"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "End": true}}});
    let def = map_def(json!({"ResultSelector": {"name.$": "$$.State.Name", "n.$": "States.ArrayLength($)"}}), pass);
    let (status, _, _) = exec(def, json!({"items": [1, 2]}));
    let Status::Succeeded(out) = status else { panic!("{status:?}") };
    assert_eq!(*out, json!({"name": "M", "n": 2}));
}

#[test]
fn max_concurrency_2_runs_waves_on_the_virtual_clock() {
    // Five 5-second iterations, two at a time: 0–5, 0–5, 5–10, 5–10, 10–15.
    let wait = json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": true}}});
    let m = machine(map_def(json!({"MaxConcurrency": 2}), wait));
    let mut e = Execution::new(m.clone(), json!({"items": [1, 2, 3, 4, 5]}), ExecutionConfig::default());
    e.run();
    assert_eq!(e.now_ms() - ExecutionConfig::default().start_ms, 15_000);
}

#[test]
fn rule_7_10_distributed_children_do_not_see_the_parent_variables() {
    let def = json!({"StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "Assign": {"outer": 1}, "Next": "M"},
        "M": {"Type": "Map", "ItemsPath": "$.items",
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Use", "States": {"Use": {"Type": "Pass", "Parameters": {"o.$": "$outer"}, "End": true}}},
            "End": true}}});
    let (status, _, _) = exec(def, json!({"items": [1]}));
    assert_eq!(failed(&status).0, "States.Runtime", "{status:?}");
}

/// The Map's own item stages come before the iterations, named as TestState's inspectionData
/// names them, each with its field.
#[test]
fn items_path_item_selector_and_item_batcher_are_stages_of_the_map() {
    let def = map_def(
        json!({"ItemSelector": {"v.$": "$$.Map.Item.Value"}, "ItemBatcher": {"MaxItemsPerBatch": 2}}),
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}),
    );
    let m = machine(def);
    let mut e = Execution::new(m.clone(), json!({"items": [1, 2, 3]}), ExecutionConfig::default());
    e.run();
    let own: Vec<(&str, Option<&str>, String)> = e
        .stages()
        .iter()
        .filter(|s| &*s.state == "M")
        .map(|s| (s.kind.as_str(), s.field(), s.value().to_string()))
        .collect();
    assert_eq!(own[1], ("afterItemsPath", Some("ItemsPath"), "[1,2,3]".to_string()));
    assert_eq!(own[2], ("afterItemSelector", Some("ItemSelector"), r#"[{"v":1},{"v":2},{"v":3}]"#.to_string()));
    assert_eq!(own[3].0, "afterItemBatcher");
    assert_eq!(own[3].2, r#"[{"Items":[{"v":1},{"v":2}]},{"Items":[{"v":3}]}]"#);
    // All three before the first iteration's stages.
    let first_nested = e.stages().iter().position(|s| &*s.state == "P");
    let batcher = e.stages().iter().position(|s| s.kind.as_str() == "afterItemBatcher");
    assert!(batcher < first_nested, "{batcher:?} {first_nested:?}");
}
