//! The exported shape, event type by event type, against the API reference's `HistoryEvent`.

use std::sync::Arc;

use serde_json::{Value, json};

use super::{AwsHistoryOptions, TimestampStyle, aws_events, details_key};
use crate::asl::check::check;
use crate::asl::engine::tasks::{RecordedAnswers, TaskAnswer, TaskRequest, TaskSource};
use crate::asl::engine::{Execution, ExecutionConfig};
use crate::asl::source::Source;

/// Answers `Charge` with a failure on its first call and a result after.
struct Flaky;

impl TaskSource for Flaky {
    fn answer(&self, r: &TaskRequest) -> Option<TaskAnswer> {
        match (r.state.as_str(), r.invocation) {
            ("Charge", 0) => Some(TaskAnswer::Throw { error: "Busy".into(), cause: Some("try later".into()) }),
            _ => Some(TaskAnswer::Return(json!({"ok": true}))),
        }
    }
}

fn export(def: Value, input: Value, options: AwsHistoryOptions) -> Vec<Value> {
    let checked = check(&Source::new("t.json", def.to_string()));
    let machine = checked.runnable().expect("runnable");
    let mut exec = Execution::with_tasks(
        machine.clone(),
        input,
        ExecutionConfig::default(),
        Arc::new(Flaky),
        RecordedAnswers::default(),
    );
    exec.run();
    aws_events(exec.history(), &options)
}

fn machine() -> Value {
    json!({"StartAt": "Charge", "States": {
        "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
                   "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 2}],
                   "ResultPath": "$.charge", "Next": "Each"},
        "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": null, "Next": "Legacy",
                 "ItemProcessor": {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": true}}}},
        "Legacy": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:111111111111:function:old",
                   "ResultPath": null, "Next": "Give up"},
        "Give up": {"Type": "Fail", "Error": "Done", "Cause": "on purpose"}}})
}

fn of_type<'a>(events: &'a [Value], t: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["type"] == t).collect()
}

#[test]
fn every_event_has_aws_members_and_payloads_as_text() {
    let events = export(machine(), json!({"items": [1, 2]}), AwsHistoryOptions::default());
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e["id"], json!(i + 1));
        assert_eq!(e["previousEventId"], json!(i));
        let t = e["type"].as_str().expect("type");
        let keys: Vec<&String> = e.as_object().expect("object").keys().collect();
        // Only the four members and (at most) the type's own details object.
        for k in &keys {
            assert!(
                ["id", "previousEventId", "timestamp", "type"].contains(&k.as_str()) || **k == details_key(t),
                "{t}: {k}"
            );
        }
    }
    let started = &of_type(&events, "ExecutionStarted")[0]["executionStartedEventDetails"];
    assert_eq!(started["input"], json!("{\"items\":[1,2]}"));
    assert_eq!(started["inputDetails"], json!({"truncated": false}));
    assert_eq!(started["roleArn"], json!(ExecutionConfig::default().role_arn));

    let entered = &of_type(&events, "TaskStateEntered")[0]["stateEnteredEventDetails"];
    assert_eq!(entered["name"], json!("Charge"));
    assert!(entered["input"].is_string());
    let scheduled = of_type(&events, "TaskScheduled");
    assert_eq!(scheduled.len(), 2, "the retry schedules again");
    let d = &scheduled[0]["taskScheduledEventDetails"];
    assert_eq!((&d["resourceType"], &d["resource"]), (&json!("lambda"), &json!("invoke")));
    assert_eq!(d["parameters"], json!("{\"FunctionName\":\"charge\",\"Payload\":{\"items\":[1,2]}}"));
    let failed = &of_type(&events, "TaskFailed")[0]["taskFailedEventDetails"];
    assert_eq!(failed["error"], json!("Busy"));
    assert_eq!(failed["cause"], json!("try later"));
    let ok = &of_type(&events, "TaskSucceeded")[0]["taskSucceededEventDetails"];
    assert_eq!(ok["output"], json!("{\"ok\":true}"));
    assert_eq!(ok["outputDetails"], json!({"truncated": false}));

    assert_eq!(of_type(&events, "MapStateStarted")[0]["mapStateStartedEventDetails"], json!({"length": 2}));
    let iterations = of_type(&events, "MapIterationStarted");
    assert_eq!(iterations[1]["mapIterationStartedEventDetails"], json!({"name": "Each", "index": 1}));
    assert!(of_type(&events, "MapStateSucceeded")[0].get("mapStateSucceededEventDetails").is_none());

    let lambda = &of_type(&events, "LambdaFunctionScheduled")[0]["lambdaFunctionScheduledEventDetails"];
    assert_eq!(lambda["resource"], json!("arn:aws:lambda:us-east-1:111111111111:function:old"));
    assert!(lambda["input"].is_string());
    assert_eq!(lambda["inputDetails"], json!({"truncated": false}));
    assert!(of_type(&events, "LambdaFunctionStarted")[0].get("lambdaFunctionStartedEventDetails").is_none());

    let exited = &of_type(&events, "PassStateExited")[0]["stateExitedEventDetails"];
    assert_eq!((&exited["name"], &exited["output"]), (&json!("Echo"), &json!("1")));
    assert_eq!(
        of_type(&events, "ExecutionFailed")[0]["executionFailedEventDetails"],
        json!({"error": "Done", "cause": "on purpose"})
    );
    assert!(of_type(&events, "FailStateEntered")[0]["stateEnteredEventDetails"]["input"].is_string());
}

#[test]
fn timestamps_follow_the_virtual_clock_in_both_styles() {
    let cli = export(machine(), json!({"items": []}), AwsHistoryOptions::default());
    assert_eq!(cli[0]["timestamp"], json!("2026-01-01T00:00:00.000000+00:00"));
    // The retry waited IntervalSeconds (2) on the virtual clock.
    let second = of_type(&cli, "TaskScheduled")[1];
    assert_eq!(second["timestamp"], json!("2026-01-01T00:00:02.000000+00:00"));
    let wire = export(machine(), json!({"items": []}), AwsHistoryOptions { timestamps: TimestampStyle::EpochSeconds });
    assert_eq!(wire[0]["timestamp"], json!(1_767_225_600));
    assert_eq!(super::timestamp(1_767_225_600_120, TimestampStyle::EpochSeconds), json!(1_767_225_600.12));
}

#[test]
fn details_keys_are_shared_for_state_events_and_camel_case_otherwise() {
    assert_eq!(details_key("ChoiceStateEntered"), "stateEnteredEventDetails");
    assert_eq!(details_key("MapStateExited"), "stateExitedEventDetails");
    assert_eq!(details_key("LambdaFunctionSucceeded"), "lambdaFunctionSucceededEventDetails");
    assert_eq!(details_key("ExecutionTimedOut"), "executionTimedOutEventDetails");
}
