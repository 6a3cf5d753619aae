//! TestState in process. The fixtures follow the shapes of AWS's recorded TestState cases
//! (a JSONata Task with Retry or Catch, a mocked Parallel, a mocked Map with a tolerance);
//! the expected answers are the ones AWS recorded for those shapes.

use serde_json::{Value, json};

use super::super::Server;
use super::super::protocol::Params;
use super::test_state;

const ROLE: &str = "arn:aws:iam::123456789012:role/test";

fn call(body: Value) -> Result<Value, (&'static str, String)> {
    let Value::Object(m) = body else { return Err(("bad", "not an object".into())) };
    test_state(&Server::for_tests(), &Params(m)).map_err(|e| (e.kind, e.message))
}

fn parsed(v: &Value) -> Value {
    serde_json::from_str(v.as_str().unwrap_or("null")).unwrap_or(Value::Null)
}

fn retrying_task() -> String {
    json!({"QueryLanguage": "JSONata", "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Arguments": {"FunctionName": "foo", "Payload": "bar"},
        "Retry": [{"ErrorEquals": ["MockException"], "IntervalSeconds": 1, "MaxAttempts": 5, "BackoffRate": 2.0}],
        "End": true})
    .to_string()
}

fn mock_error() -> Value {
    json!({"errorOutput": {"error": "MockException", "cause": "Mock the cause of the error."}})
}

#[test]
fn a_matching_retrier_makes_the_test_retriable_with_its_backoff() {
    let r = call(json!({"definition": retrying_task(), "inspectionLevel": "DEBUG", "mock": mock_error(),
        "stateConfiguration": {"retrierRetryCount": 4}}))
    .expect("answered");
    assert_eq!(r["status"], "RETRIABLE", "{r}");
    assert_eq!(
        (r["error"].as_str(), r["cause"].as_str()),
        (Some("MockException"), Some("Mock the cause of the error."))
    );
    // 1 s × 2^4: AWS recorded 16 for this retrier after four retries.
    assert_eq!(r["inspectionData"]["errorDetails"], json!({"retryIndex": 0, "retryBackoffIntervalSeconds": 16}));
    assert_eq!(parsed(&r["inspectionData"]["afterArguments"]), json!({"FunctionName": "foo", "Payload": "bar"}));
}

#[test]
fn a_spent_retrier_fails_the_test_naming_the_retrier() {
    let r = call(json!({"definition": retrying_task(), "inspectionLevel": "TRACE", "mock": mock_error(),
        "stateConfiguration": {"retrierRetryCount": 5}}))
    .expect("answered");
    assert_eq!(r["status"], "FAILED", "{r}");
    assert_eq!(r["inspectionData"]["errorDetails"], json!({"retryIndex": 0}));
    let info = call(json!({"definition": retrying_task(), "mock": mock_error()})).expect("answered");
    assert_eq!(info["status"], "RETRIABLE");
    assert!(info.get("inspectionData").is_none(), "INFO has no inspectionData: {info}");
}

#[test]
fn a_catcher_answers_caught_error_with_its_index_next_state_and_output() {
    let task = json!({"QueryLanguage": "JSONata", "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Arguments": {"FunctionName": "foo", "Payload": "bar"},
        "Catch": [{"ErrorEquals": ["MockException"], "Output": "{% $states.errorOutput %}", "Next": "HandleMockError"},
                  {"ErrorEquals": ["States.TaskFailed"], "Next": "HandleOther"}],
        "End": true})
    .to_string();
    let r = call(json!({"definition": task, "inspectionLevel": "DEBUG", "mock": mock_error()})).expect("answered");
    assert_eq!((r["status"].as_str(), r["nextState"].as_str()), (Some("CAUGHT_ERROR"), Some("HandleMockError")), "{r}");
    assert_eq!(parsed(&r["output"]), json!({"Error": "MockException", "Cause": "Mock the cause of the error."}));
    assert_eq!(r["inspectionData"]["errorDetails"], json!({"catchIndex": 0}));
    let r = call(json!({"definition": task, "inspectionLevel": "DEBUG",
        "mock": {"errorOutput": {"error": "States.TaskFailed", "cause": "The task failed."}}}))
    .expect("answered");
    assert_eq!((r["status"].as_str(), r["nextState"].as_str()), (Some("CAUGHT_ERROR"), Some("HandleOther")), "{r}");
    assert_eq!(r["inspectionData"]["errorDetails"], json!({"catchIndex": 1}));
}

#[test]
fn a_mocked_parallel_stands_for_its_branches() {
    let parallel = json!({"Type": "Parallel", "InputPath": "$.parallelInput", "ResultPath": "$.parallelResult",
        "Branches": [{"StartAt": "B1", "States": {"B1": {"Type": "Fail", "Error": "NeverRuns"}}},
                     {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "End": true}}}],
        "End": true})
    .to_string();
    let input = json!({"parallelInput": {"data": "input_value"}}).to_string();
    let mock = json!({"result": json!([{"branch1": "result"}, {"branch2": "result"}]).to_string()});
    let r = call(json!({"definition": parallel, "input": input, "inspectionLevel": "DEBUG", "mock": mock}))
        .expect("answered");
    assert_eq!(r["status"], "SUCCEEDED", "the failing branch did not run: {r}");
    let want = json!({"parallelInput": {"data": "input_value"}, "parallelResult": [{"branch1": "result"}, {"branch2": "result"}]});
    assert_eq!(parsed(&r["output"]), want);
    let data = r["inspectionData"].as_object().expect("inspectionData");
    let mut keys: Vec<&str> = data.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["afterResultPath", "afterResultSelector", "input"], "as AWS recorded: {r}");
    let (kind, message) =
        call(json!({"definition": parallel, "mock": {"result": "[1]"}})).expect_err("one result for two branches");
    assert_eq!(kind, "ValidationException");
    assert_eq!(message, "Mocked result must contain the same number of items as number of Parallel branches.");
}

fn tolerant_map() -> String {
    json!({"Type": "Map", "ItemsPath": "$.Values", "ToleratedFailureCount": 1, "MaxConcurrency": 2,
        "ItemProcessor": {"StartAt": "Item", "States": {"Item": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}},
        "Retry": [{"ErrorEquals": ["MockException"], "MaxAttempts": 3},
                  {"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "MaxAttempts": 2}],
        "End": true})
    .to_string()
}

#[test]
fn a_mocked_map_reports_its_settings_and_tolerance() {
    let input = json!({"Values": ["first", "second", "third"]}).to_string();
    let ok = call(json!({"definition": tolerant_map(), "input": input, "inspectionLevel": "DEBUG",
        "mock": {"result": "[1, 1, 1]"}, "stateConfiguration": {"mapIterationFailureCount": 1}}))
    .expect("answered");
    assert_eq!(ok["status"], "SUCCEEDED", "{ok}");
    assert_eq!(parsed(&ok["output"]), json!([1, 1, 1]));
    let data = &ok["inspectionData"];
    assert_eq!((data["maxConcurrency"].as_u64(), data["toleratedFailureCount"].as_u64()), (Some(2), Some(1)));
    assert_eq!(parsed(&data["afterItemsPath"]), json!(["first", "second", "third"]));
    assert!(data.get("result").is_none(), "{data}");
    let over = call(json!({"definition": tolerant_map(), "input": input, "inspectionLevel": "DEBUG",
        "mock": {"result": "[0, 0, 1]"}, "stateConfiguration": {"mapIterationFailureCount": 2}}))
    .expect("answered");
    assert_eq!((over["status"].as_str(), over["error"].as_str()), (Some("RETRIABLE"), Some(super::THRESHOLD_ERROR)));
    assert_eq!(over["inspectionData"]["errorDetails"], json!({"retryIndex": 1, "retryBackoffIntervalSeconds": 1}));
    let (_, message) = call(json!({"definition": tolerant_map(), "input": input, "mock": {"result": "[1]"},
        "stateConfiguration": {"mapIterationFailureCount": 2}}))
    .expect_err("more failures than iterations");
    assert_eq!(message, "Map iteration failure count must be less than or equal to the number of Map iterations");
}

#[test]
fn states_that_wait_for_the_outside_run_when_mocked() {
    let wait = json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": {"TaskToken.$": "$$.Task.Token"}},
        "ResultPath": "$.SQS", "Next": "NEXT_STATE"})
    .to_string();
    let r = call(json!({"definition": wait, "mock": {"result": "{\"approved\": true}"}})).expect("answered");
    assert_eq!((r["status"].as_str(), r["nextState"].as_str()), (Some("SUCCEEDED"), Some("NEXT_STATE")), "{r}");
    assert_eq!(parsed(&r["output"]), json!({"SQS": {"approved": true}}));
    let (kind, _) = call(json!({"definition": wait, "roleArn": ROLE})).expect_err("needs a mock");
    assert_eq!(kind, "ValidationException");
    let activity =
        json!({"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:approve", "End": true});
    let r = call(json!({"definition": activity.to_string(), "mock": {"result": "7"}})).expect("answered");
    assert_eq!(parsed(&r["output"]), json!(7));
}

#[test]
fn requests_are_refused_with_aws_wording() {
    let pass = json!({"Type": "Pass", "End": true}).to_string();
    let map = tolerant_map();
    let task = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}).to_string();
    let cases = [
        (
            json!({"definition": pass, "mock": {"result": "1"}}),
            "ValidationException",
            "State type 'Pass' is not supported when a mock is specified",
        ),
        (
            json!({"definition": map}),
            "InvalidDefinition",
            "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]",
        ),
        (
            json!({"definition": map, "mock": {"result": "{}"}}),
            "ValidationException",
            "Mocked result must be an array.",
        ),
        (
            json!({"definition": task, "mock": {"result": "1", "errorOutput": {"error": "E"}}}),
            "ValidationException",
            "A test mock should have only one of the following fields: [result, errorOutput].",
        ),
        (
            json!({"definition": task, "mock": {"result": "not JSON"}}),
            "ValidationException",
            "Mocked result must be valid JSON",
        ),
        (
            json!({"definition": task, "mock": {"result": "1"}, "revealSecrets": true}),
            "ValidationException",
            "TestState does not support RevealSecrets when a mock is specified.",
        ),
        (json!({"definition": task}), "ValidationException", "RoleArn must be specified when testing a Task state"),
        (
            json!({"definition": task, "roleArn": ROLE, "stateConfiguration": {"mapIterationFailureCount": 0}}),
            "ValidationException",
            "TestState does not support MapIterationFailureCount when a mock is not specified.",
        ),
        (
            json!({"definition": task, "mock": {"result": "1"}, "context": "{\"Map\": {}}"}),
            "ValidationException",
            "Invalid Context object provided: 'Map' field is not supported when mocking a Context object",
        ),
        (
            json!({"definition": task, "mock": {"result": "1"}, "context": "{\"Task\": {\"Token\": \"t\"}}"}),
            "ValidationException",
            "Invalid Context object provided: Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern",
        ),
        (
            json!({"definition": task, "mock": {"result": "1"}, "context": "{\"Execution\": {\"Id\": 5}}"}),
            "ValidationException",
            "Invalid Context object provided: Execution.Id must be a string",
        ),
        (
            json!({"definition": json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}).to_string(), "stateName": "B"}),
            "ValidationException",
            "State not found in definition",
        ),
    ];
    for (body, kind, message) in cases {
        assert_eq!(call(body.clone()), Err((kind, message.to_string())), "{body}");
    }
}

#[test]
fn a_mocked_context_names_the_execution() {
    let task = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "ResultSelector": {"name.$": "$$.Execution.Name", "machine.$": "$$.StateMachine.Name"}, "End": true})
    .to_string();
    let context = json!({"Execution": {"Name": "execution-name-12345"}, "StateMachine": {"Name": "MyStateMachine"}});
    let r =
        call(json!({"definition": task, "mock": {"result": "{}"}, "context": context.to_string()})).expect("answered");
    assert_eq!(parsed(&r["output"]), json!({"name": "execution-name-12345", "machine": "MyStateMachine"}), "{r}");
}
