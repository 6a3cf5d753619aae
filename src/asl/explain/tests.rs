use serde_json::json;

use super::*;
use crate::asl::check::check;
use crate::asl::definition::StateMachine;
use crate::asl::source::Source;

fn machine(text: &str) -> std::sync::Arc<StateMachine> {
    let mut checked = check(&Source::new("m.asl.json", text));
    checked.machine.take().expect("checks")
}

fn lines(state: &State) -> Vec<String> {
    pipeline(state).iter().map(|s| format!("{}: {}", s.kind.as_str(), stage_line(state, s, None))).collect()
}

#[test]
fn a_pass_state_lists_its_whole_pipeline_in_plain_words() {
    let m = machine(
        r#"{"StartAt": "Pick", "States": {"Pick": {"Type": "Pass", "InputPath": "$.order",
            "ResultPath": "$.picked", "OutputPath": "$.order", "End": true}}}"#,
    );
    let state = &m.scope.states[0];
    assert_eq!(
        lines(state),
        [
            "input: the state's input, as the previous state left it",
            "afterInputPath: InputPath \"$.order\": only `order` of the input goes on",
            "afterParameters: no Parameters: the input passed through unchanged",
            "result: no Result: the result is the effective input",
            "afterResultPath: ResultPath \"$.picked\": the result was put under `picked`; the rest of the input was kept",
            "output: OutputPath \"$.order\": only `order` goes on",
        ]
    );
    let present: Vec<bool> = pipeline(state).iter().map(|s| s.present).collect();
    assert_eq!(present, [true, true, false, false, true, true]);
}

#[test]
fn a_map_has_items_path_item_selector_and_item_batcher_stages() {
    let m = machine(
        r#"{"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemsPath": "$.items",
            "ItemSelector": {"sku.$": "$$.Map.Item.Value"}, "ResultPath": null,
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}"#,
    );
    let state = &m.scope.states[0];
    let kinds: Vec<&str> = pipeline(state).iter().map(|s| s.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "input",
            "afterInputPath",
            "afterItemsPath",
            "afterItemSelector",
            "afterItemBatcher",
            "result",
            "afterResultSelector",
            "afterResultPath",
            "output"
        ]
    );
    let items = pipeline(state)[2];
    assert_eq!(
        stage_line(state, &items, Some(&json!([1, 2, 3]))),
        "ItemsPath \"$.items\": the Map iterates over `items` (3 items)"
    );
    let result_path = pipeline(state)[7];
    assert_eq!(
        stage_line(state, &result_path, None),
        "ResultPath null: the result is discarded; the input goes on unchanged"
    );
}

#[test]
fn retry_and_wait_decisions_read_as_sentences() {
    let m = machine(
        r#"{"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "f"},
            "Retry": [{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2}],
            "End": true}}}"#,
    );
    let retriers = &m.scope.states[0].retry;
    let mark = RetryMark { retrier: 0, attempt: 2, delay_seconds: 4.0, failed_at_ms: 0, retry_at_ms: 4000 };
    assert_eq!(
        retry_line(retriers, &mark),
        "Retrier #1 (States.TaskFailed): attempt 2 of 3 after 4 s (IntervalSeconds 2 × BackoffRate 2)"
    );
    let first = RetryMark { attempt: 1, delay_seconds: 2.0, ..mark };
    assert_eq!(
        retry_line(retriers, &first),
        "Retrier #1 (States.TaskFailed): attempt 1 of 3 after 2 s (IntervalSeconds 2)"
    );
    assert_eq!(wait_line(30.0, "2026-01-01T00:00:30Z"), "Wait 30 s → 2026-01-01T00:00:30Z");
}

#[test]
fn a_jsonata_state_lists_arguments_output_and_assign() {
    let m = machine(
        r#"{"QueryLanguage": "JSONata", "StartAt": "Call", "States": {
            "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Arguments": {"FunctionName": "f"}, "Assign": {"x": 1}, "Next": "Done"},
            "Done": {"Type": "Pass", "Output": "{% $x %}", "End": true}}}"#,
    );
    let kinds = |s: &State| pipeline(s).iter().map(|p| p.kind.as_str()).collect::<Vec<_>>();
    assert_eq!(kinds(&m.scope.states[0]), ["input", "afterArguments", "result", "output", "variables"]);
    assert_eq!(kinds(&m.scope.states[1]), ["input", "output"]);
    let output = pipeline(&m.scope.states[1])[1];
    assert_eq!(
        stage_line(&m.scope.states[1], &output, None),
        "Output: the state's output, its {% %} expressions evaluated"
    );
}
