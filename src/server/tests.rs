//! The API in process: actions through `dispatch`, without a socket (the boto3/CLI driver in
//! tests/serve covers the wire).

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use super::Server;
use super::activities::get_task_within;
use super::api::dispatch;
use super::protocol::Params;

fn params(v: Value) -> Params {
    match v {
        Value::Object(m) => Params(m),
        _ => Params::default(),
    }
}

async fn call(server: &Arc<Server>, action: &str, body: Value) -> Result<Value, (&'static str, String)> {
    dispatch(server, action, params(body)).await.map_err(|e| (e.kind, e.message))
}

fn runtime() -> tokio::runtime::Runtime {
    // One thread: whatever runs concurrently here does so without a thread of its own.
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

#[test]
fn an_execution_runs_and_its_history_pages() {
    runtime().block_on(async {
        let s = Server::for_tests();
        let definition = json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Result": 1, "ResultPath": "$.a", "Next": "B"},
            "B": {"Type": "Pass", "Result": 2, "ResultPath": "$.b", "End": true}}});
        let created =
            call(&s, "CreateStateMachine", json!({"name": "m", "definition": definition.to_string(), "roleArn": "r"}))
                .await
                .expect("created");
        let arn = created["stateMachineArn"].as_str().expect("arn").to_string();
        let started =
            call(&s, "StartExecution", json!({"stateMachineArn": arn, "input": "{\"x\": 0}"})).await.expect("started");
        let exec = started["executionArn"].clone();
        let described = loop {
            let d = call(&s, "DescribeExecution", json!({"executionArn": exec})).await.expect("described");
            if d["status"] != "RUNNING" {
                break d;
            }
            tokio::task::yield_now().await;
        };
        assert_eq!(described["status"], "SUCCEEDED");
        assert_eq!(
            serde_json::from_str::<Value>(described["output"].as_str().expect("output")).ok(),
            Some(json!({"x": 0, "a": 1, "b": 2}))
        );
        let mut ids = Vec::new();
        let mut token = Value::Null;
        loop {
            let page =
                call(&s, "GetExecutionHistory", json!({"executionArn": exec, "maxResults": 2, "nextToken": token}))
                    .await
                    .expect("page");
            ids.extend(page["events"].as_array().expect("events").iter().map(|e| e["id"].as_u64().unwrap_or_default()));
            token = page["nextToken"].clone();
            if token.is_null() {
                break;
            }
        }
        assert_eq!(ids, (1..=6).collect::<Vec<u64>>(), "every event once, in order");
        let bad = call(&s, "GetExecutionHistory", json!({"executionArn": exec, "nextToken": "zzz"})).await;
        assert_eq!(bad.map_err(|e| e.0).err(), Some("InvalidToken"));
    });
}

#[test]
fn errors_use_aws_exception_names() {
    runtime().block_on(async {
        let s = Server::for_tests();
        assert_eq!(call(&s, "Frobnicate", json!({})).await.map_err(|e| e.0).err(), Some("UnknownOperationException"));
        let missing = call(&s, "DescribeStateMachine", json!({})).await.map_err(|e| e.0).err();
        assert_eq!(missing, Some("ValidationException"));
        let bad_arn = call(&s, "DescribeExecution", json!({"executionArn": "nope"})).await.map_err(|e| e.0).err();
        assert_eq!(bad_arn, Some("InvalidArn"));
        let invalid = call(
            &s,
            "CreateStateMachine",
            json!({"name": "m", "roleArn": "r", "definition": "{\"StartAt\": \"X\", \"States\": {}}"}),
        )
        .await
        .map_err(|e| e.0)
        .err();
        assert_eq!(invalid, Some("InvalidDefinition"));
        let token =
            call(&s, "SendTaskSuccess", json!({"taskToken": "unknown", "output": "{}"})).await.map_err(|e| e.0).err();
        assert_eq!(token, Some("TaskDoesNotExist"));
    });
}

#[test]
fn many_open_polls_share_one_thread_and_each_task_goes_to_one_worker() {
    runtime().block_on(async {
        let s = Server::for_tests();
        let activity =
            call(&s, "CreateActivity", json!({"name": "work"})).await.expect("activity")["activityArn"].clone();
        let polls: Vec<_> = (0..200)
            .map(|_| {
                let s = s.clone();
                let p = params(json!({"activityArn": activity}));
                tokio::spawn(async move { get_task_within(&s, &p, Duration::from_millis(500)).await })
            })
            .collect();
        tokio::task::yield_now().await;
        {
            let mut reg = s.registry();
            let arn = activity.as_str().unwrap_or_default();
            for i in 0..3 {
                let q = reg.queue(arn);
                q.tasks.push_back(super::registry::ActivityTask { token: format!("t{i}"), input: "{}".into() });
                q.notify.notify_one();
            }
        }
        let mut got = Vec::new();
        for p in polls {
            let r = p.await.expect("joined").expect("polled");
            if let Some(t) = r["taskToken"].as_str() {
                got.push(t.to_string());
            } else {
                assert_eq!(r, json!({}), "a poll that got nothing answers {{}}");
            }
        }
        got.sort();
        assert_eq!(got, ["t0", "t1", "t2"]);
    });
}

#[test]
fn an_express_execution_sees_its_express_arn_as_its_id() {
    runtime().block_on(async {
        let s = Server::for_tests();
        let definition = json!({"StartAt": "Id", "States": {
            "Id": {"Type": "Pass", "Parameters": {"id.$": "$$.Execution.Id"}, "End": true}}});
        let created = call(
            &s,
            "CreateStateMachine",
            json!({"name": "fast", "definition": definition.to_string(), "roleArn": "r", "type": "EXPRESS"}),
        )
        .await
        .expect("created");
        let machine = created["stateMachineArn"].clone();
        let done = call(&s, "StartSyncExecution", json!({"stateMachineArn": machine, "name": "run1", "input": "{}"}))
            .await
            .expect("ran");
        assert_eq!(done["status"], "SUCCEEDED");
        let arn = done["executionArn"].as_str().expect("executionArn");
        let fields: Vec<&str> = arn.split(':').collect();
        assert_eq!(fields.len(), 9, "{arn}");
        assert_eq!(&fields[5..8], ["express", "fast", "run1"], "{arn}");
        assert_eq!(fields[8].len(), 36, "a UUID ends it: {arn}");
        let output: Value = serde_json::from_str(done["output"].as_str().expect("output")).expect("json");
        assert_eq!(output["id"], arn, "the machine's $$.Execution.Id is the ARN the API reports");
        // AWS keeps no record of Express executions to describe.
        let refused = call(&s, "DescribeExecution", json!({"executionArn": arn})).await;
        let express = "Invalid Arn: 'Resource type not valid in this context: express'".to_string();
        assert_eq!(refused, Err(("InvalidArn", express.clone())));
        let refused = call(&s, "GetExecutionHistory", json!({"executionArn": arn})).await;
        assert_eq!(refused, Err(("InvalidArn", express)));
        let refused = call(&s, "ListExecutions", json!({"stateMachineArn": machine})).await;
        assert_eq!(refused.map_err(|e| e.0), Err("StateMachineTypeNotSupported"));
        // Express's five-minute limit: a 400 s Wait (virtual clock here) times the run out.
        let slow = json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 400, "End": true}}});
        let created = call(
            &s,
            "CreateStateMachine",
            json!({"name": "slow", "definition": slow.to_string(), "roleArn": "r", "type": "EXPRESS"}),
        )
        .await
        .expect("created");
        let done =
            call(&s, "StartSyncExecution", json!({"stateMachineArn": created["stateMachineArn"], "input": "{}"}))
                .await
                .expect("ran");
        assert_eq!(done["status"], "TIMED_OUT", "{done}");
    });
}

#[test]
fn a_worker_s_answer_is_dated_by_the_real_wait_and_names_the_worker() {
    runtime().block_on(async {
        let s = Server::for_tests();
        let activity =
            call(&s, "CreateActivity", json!({"name": "approve"})).await.expect("activity")["activityArn"].clone();
        let definition = json!({"StartAt": "Ask", "States": {
            "Ask": {"Type": "Task", "Resource": activity, "Next": "Pause"},
            "Pause": {"Type": "Wait", "Seconds": 10, "End": true}}});
        let created =
            call(&s, "CreateStateMachine", json!({"name": "m", "definition": definition.to_string(), "roleArn": "r"}))
                .await
                .expect("created");
        let started =
            call(&s, "StartExecution", json!({"stateMachineArn": created["stateMachineArn"]})).await.expect("started");
        let exec = started["executionArn"].clone();
        let task = loop {
            let p = params(json!({"activityArn": activity, "workerName": "worker-7"}));
            let t = get_task_within(&s, &p, Duration::from_millis(200)).await.expect("polled");
            if t.get("taskToken").is_some() {
                break t;
            }
        };
        // The worker takes its time (real time, generous: only a lower bound is checked).
        tokio::time::sleep(Duration::from_millis(300)).await;
        call(&s, "SendTaskSuccess", json!({"taskToken": task["taskToken"], "output": "{\"ok\": true}"}))
            .await
            .expect("answered");
        loop {
            let d = call(&s, "DescribeExecution", json!({"executionArn": exec})).await.expect("described");
            if d["status"] != "RUNNING" {
                assert_eq!(d["status"], "SUCCEEDED", "{d}");
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let events = call(&s, "GetExecutionHistory", json!({"executionArn": exec})).await.expect("history")["events"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let at = |kind: &str| {
            events.iter().find(|e| e["type"] == kind).and_then(|e| e["timestamp"].as_f64()).unwrap_or(f64::NAN)
        };
        let started_event = events.iter().find(|e| e["type"] == "ActivityStarted").cloned().unwrap_or_default();
        assert_eq!(started_event["activityStartedEventDetails"], json!({"workerName": "worker-7"}));
        let waited = at("ActivitySucceeded") - at("ActivityScheduled");
        // Timestamps are epoch seconds as floats: allow for their rounding.
        assert!(waited >= 0.29, "the answer is dated after the real wait: {waited} s");
        assert!(at("ActivityStarted") <= at("ActivitySucceeded"));
        // The Wait after it still passes on the virtual clock: 10 s later, at once.
        let after = at("WaitStateExited") - at("ActivitySucceeded");
        assert!((after - 10.0).abs() < 0.01, "{after}");
    });
}
