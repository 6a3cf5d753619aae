//! Task states: the effective input is what would be sent; the result comes from the task
//! source, a recorded answer, or nobody (the visit pauses with a request). Events are named and
//! detailed as AWS records them: `TaskScheduled/Started/Succeeded/Failed/TimedOut` with
//! `resourceType`/`resource`, or `LambdaFunction…` for bare function ARNs (legacy Lambda
//! resources), whose events carry no resource after `Scheduled`.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::asl::definition::{NumberSource, Spanned, State, Task};
use crate::asl::engine::env::{Env, Run};
use crate::asl::engine::io::{self, Failure};
use crate::asl::engine::pipeline::{Pipeline, jsonpath};
use crate::asl::engine::stage::StageKind;
use crate::asl::engine::tasks::{TaskAnswer, TaskRequest};
use crate::asl::engine::visit::{Fault, Outcome, Thrown};
use crate::asl::error_name::ErrorName;
use crate::asl::world::uuid_v4;

/// How AWS names and details one resource's events.
enum Family {
    /// `arn:aws:lambda:…:function:…`: `LambdaFunction*` events.
    Lambda,
    /// `arn:aws:states:REGION:ACCOUNT:activity:NAME`: `Activity*` events, detailed like a
    /// bare function's (`resource` and `input` when scheduled, nothing naming it after).
    Activity,
    /// Everything else: `Task*` events with `resourceType` (`lambda`, `sqs`, …) and `resource`
    /// (`invoke`, `sendMessage.waitForTaskToken`, …).
    Service { resource_type: String, resource: String },
}

impl Family {
    fn of(resource: &str) -> Family {
        if resource.starts_with("arn:aws:lambda:") {
            return Family::Lambda;
        }
        if resource.strip_prefix("arn:aws:states:").and_then(|r| r.split(':').nth(2)) == Some("activity") {
            return Family::Activity;
        }
        let tail = resource.strip_prefix("arn:aws:states:::").unwrap_or(resource);
        // SDK integrations keep the service in the type: `aws-sdk:s3` + `headObject` (as real
        // AWS histories show it; the corpus records only Lambda).
        let split = match tail.strip_prefix("aws-sdk:") {
            Some(rest) => rest.split_once(':').map(|(service, action)| (&tail[..8 + service.len()], action)),
            None => tail.split_once(':'),
        };
        let (resource_type, name) = split.unwrap_or(("", tail));
        Family::Service { resource_type: resource_type.to_string(), resource: name.to_string() }
    }

    fn prefix(&self) -> &'static str {
        match self {
            Family::Lambda => "LambdaFunction",
            Family::Activity => "Activity",
            Family::Service { .. } => "Task",
        }
    }

    /// Details of every event after `Scheduled`, plus `extra`.
    fn details(&self, extra: Map<String, Value>) -> Option<Value> {
        let mut d = extra;
        if let Family::Service { resource_type, resource } = self {
            d.insert("resourceType".into(), json!(resource_type));
            d.insert("resource".into(), json!(resource));
        }
        (!d.is_empty()).then_some(Value::Object(d))
    }
}

/// TimeoutSeconds / HeartbeatSeconds (or their Path forms) for this visit, in seconds.
#[derive(Clone, Copy, Default)]
struct Limits {
    timeout: Option<u64>,
    heartbeat: Option<u64>,
}

/// A Task (rule 5.1): the result comes from the task source, a recorded answer, or nobody
/// (the visit pauses with a request).
pub(super) fn task(
    pipeline: Pipeline,
    state: &State,
    t: &Task,
    input: &Arc<Value>,
    env: &mut Env,
    run: &mut Run,
) -> Result<Outcome, Fault> {
    let resource = t.resource.value.as_str();
    let token = resource.ends_with(".waitForTaskToken").then(|| uuid_v4(env.entropy));
    if let (Some(token), Some(ctx)) = (&token, env.context.as_object_mut()) {
        ctx.insert("Task".into(), json!({"Token": token}));
    }
    let effective = pipeline.effective_input(state, input, env, run)?;
    // rule 13.4: the Path forms are read from the state's input (as LocalStack does; the
    // recorded `TimeoutSecondsPath` cases cannot tell raw from effective input apart).
    let timeout = pipeline.number(t.timeout_seconds.as_ref(), "TimeoutSeconds", input, env)?;
    let heartbeat = pipeline.number(t.heartbeat_seconds.as_ref(), "HeartbeatSeconds", input, env)?;
    let limits = Limits {
        timeout: seconds(timeout.as_ref().or(t.timeout_seconds.as_ref()), "TimeoutSecondsPath", input, env)?,
        heartbeat: seconds(heartbeat.as_ref().or(t.heartbeat_seconds.as_ref()), "HeartbeatSecondsPath", input, env)?,
    };
    // rule 13.5: the role the task would assume, shown as AWS's `taskCredentials`.
    let credentials = match &t.credentials {
        Some(c) => Some(pipeline.template(c, "Credentials", input, env)?),
        None => None,
    };
    let counter = env.invocations.entry(state.name.clone()).or_insert(0);
    let invocation = *counter;
    *counter += 1;
    let family = Family::of(resource);
    let prefix = family.prefix();
    let text = serde_json::to_string(&*effective).unwrap_or_default();
    // What the task is sent is a payload too (the scheduled event's `parameters`/`input` are
    // capped at 256 KiB): Parameters or Arguments that build more fail the state before it is
    // scheduled. No recording of AWS's cause exists; the wording is `input_too_large`'s.
    if text.len() > crate::asl::engine::limits::MAX_PAYLOAD_BYTES {
        return Err(Fault::Own(Failure::input_too_large(&state.name)));
    }
    let mut scheduled = Map::new();
    match &family {
        Family::Lambda | Family::Activity => {
            scheduled.insert("resource".into(), json!(resource));
            scheduled.insert("input".into(), json!(text));
        }
        Family::Service { resource_type, resource } => {
            scheduled.insert("resourceType".into(), json!(resource_type));
            scheduled.insert("resource".into(), json!(resource));
            scheduled.insert("region".into(), json!(env.config.region));
            scheduled.insert("parameters".into(), json!(text));
        }
    }
    if let Some(s) = limits.timeout {
        scheduled.insert("timeoutInSeconds".into(), json!(s));
    }
    if let Some(s) = limits.heartbeat {
        scheduled.insert("heartbeatInSeconds".into(), json!(s));
    }
    if let Some(role) = credentials.as_ref().and_then(|c| c.get("RoleArn")) {
        scheduled.insert("taskCredentials".into(), json!({"roleArn": role}));
    }
    env.trace.lifecycle(env.now_ms, format!("{prefix}Scheduled"), Some(Value::Object(scheduled)));
    env.trace.lifecycle(env.now_ms, format!("{prefix}Started"), family.details(Map::new()));
    let request = TaskRequest {
        state: state.name.clone(),
        location: env.location.to_string(),
        resource: resource.to_string(),
        input: effective,
        invocation,
        token,
    };
    let answer = match env.answers.get(&state.name, invocation) {
        Some(a) => Some(a.clone()),
        None => env.tasks.answer(&request),
    };
    // A real worker's answer took real time: the result comes that much later.
    let took = env.answers.elapsed_ms(&state.name, invocation);
    match answer {
        None => Ok(Outcome::Pending(request)),
        Some(TaskAnswer::Return(v)) => {
            let output = serde_json::to_string(&v).unwrap_or_default();
            let mut d = Map::new();
            d.insert("output".into(), json!(output));
            run.elapsed_ms = took.unwrap_or(0);
            env.trace.lifecycle(env.now_ms + run.elapsed_ms, format!("{prefix}Succeeded"), family.details(d));
            // The history's copy of the result is its serialisation: its length is the size.
            if output.len() > crate::asl::engine::limits::MAX_PAYLOAD_BYTES {
                // AWS names the integration (`'lambda'`) or the function ARN, not the state.
                let who =
                    resource.strip_prefix("arn:aws:states:::").and_then(|r| r.split(':').next()).unwrap_or(resource);
                let f = Failure::result_too_large(who);
                return Err(Fault::Thrown(Thrown { error: Some(f.error), cause: Some(f.cause) }));
            }
            let source = env.scratch.source("Resource", t.resource.span, || resource.to_string());
            let result = run.stage(StageKind::Result, Arc::new(v), Some(source));
            Ok(pipeline.after_result(state, input, result, env, run)?)
        }
        Some(TaskAnswer::Throw { error, cause }) => {
            let mut d = Map::new();
            d.insert("error".into(), json!(error));
            if let Some(c) = &cause {
                d.insert("cause".into(), json!(c));
            }
            let error = ErrorName::parse(&error);
            // A mock or a person answering `States.Timeout` says the task ran past its
            // TimeoutSeconds: the event is `TaskTimedOut`, not `TaskFailed`.
            let kind = if matches!(error, ErrorName::Timeout | ErrorName::HeartbeatTimeout) {
                // The task ran until its limit expired: that much virtual time passes.
                let limit = if error == ErrorName::HeartbeatTimeout { limits.heartbeat } else { limits.timeout };
                run.elapsed_ms = took.unwrap_or_else(|| limit.map_or(0, |s| s.saturating_mul(1000) as i64));
                "TimedOut"
            } else {
                run.elapsed_ms = took.unwrap_or(0);
                "Failed"
            };
            env.trace.lifecycle(env.now_ms + run.elapsed_ms, format!("{prefix}{kind}"), family.details(d));
            Err(Fault::Thrown(Thrown { error: Some(error), cause }))
        }
    }
}

/// Resolves TimeoutSeconds(Path) or HeartbeatSeconds(Path) to whole seconds. The validator
/// already checked literals (rule 2.10); a Path must give a positive integer (rule 13.4).
fn seconds(
    field: Option<&Spanned<NumberSource>>,
    path_field: &str,
    input: &Value,
    env: &Env,
) -> Result<Option<u64>, Failure> {
    let Some(field) = field else { return Ok(None) };
    match &field.value {
        NumberSource::Literal(v) => Ok(v.as_u64()),
        NumberSource::Path(p) => {
            let v = jsonpath::select(p, &env.roots(input))?;
            match v.as_i64() {
                Some(n) if n > 0 => Ok(Some(n as u64)),
                Some(n) => Err(Failure::runtime(format!(
                    "The {path_field} parameter references a value that is not a positive integer: {} == {n}",
                    p.text()
                ))),
                None => Err(Failure::runtime(format!(
                    "The {path_field} parameter cannot be parsed as a long value: {} == {}",
                    p.text(),
                    jsonpath::raw_text(&v)
                ))),
            }
        }
        NumberSource::Jsonata(_) => Err(io::jsonata_out_of_place()),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::{Value, json};

    use crate::asl::check::check;
    use crate::asl::engine::history::EventKind;
    use crate::asl::engine::tasks::{RecordedAnswers, TaskAnswer, TaskRequest, TaskSource};
    use crate::asl::engine::{Execution, ExecutionConfig, Status};
    use crate::asl::source::Source;

    /// Answers every task with one answer, and remembers nothing.
    struct Always(TaskAnswer);

    impl TaskSource for Always {
        fn answer(&self, _: &TaskRequest) -> Option<TaskAnswer> {
            Some(self.0.clone())
        }
    }

    fn run(definition: &str, input: Value, answer: TaskAnswer) -> (Status, Vec<(String, Value, i64)>) {
        let checked = check(&Source::new("t.json", definition.to_string()));
        let machine = checked.runnable().expect("runnable");
        let mut exec = Execution::with_tasks(
            machine.clone(),
            input,
            ExecutionConfig::default(),
            Arc::new(Always(answer)),
            RecordedAnswers::default(),
        );
        let status = exec.run().clone();
        let start = ExecutionConfig::default().start_ms;
        let events = exec
            .history()
            .events()
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Lifecycle { name, details } => {
                    Some((name.clone(), details.as_deref().cloned().unwrap_or(Value::Null), e.timestamp_ms - start))
                }
                _ => None,
            })
            .collect();
        (status, events)
    }

    const SERVICE: &str = r#"{"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                 "TimeoutSecondsPath": "$.limit", "HeartbeatSeconds": 5,
                 "Parameters": {"FunctionName": "f", "Payload.$": "$.p"},
                 "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.error", "Next": "Late"}],
                 "End": true},
        "Late": {"Type": "Pass", "End": true}}}"#;

    #[test]
    fn task_scheduled_has_aws_details_and_a_timeout_is_task_timed_out_after_the_limit() {
        // rule 13.3/13.4: TimeoutSecondsPath is resolved, shown, and a timeout takes that long.
        let timeout = TaskAnswer::Throw { error: "States.Timeout".into(), cause: None };
        let (status, events) = run(SERVICE, json!({"limit": 30, "p": {"a": 1}}), timeout);
        let names: Vec<&str> = events.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(names, ["TaskScheduled", "TaskStarted", "TaskTimedOut"]);
        assert_eq!(
            events[0].1,
            json!({"resourceType": "lambda", "resource": "invoke", "region": "us-east-1",
                   "parameters": "{\"FunctionName\":\"f\",\"Payload\":{\"a\":1}}",
                   "timeoutInSeconds": 30, "heartbeatInSeconds": 5})
        );
        assert_eq!(events[1].1, json!({"resourceType": "lambda", "resource": "invoke"}));
        assert_eq!(events[2].1, json!({"error": "States.Timeout", "resourceType": "lambda", "resource": "invoke"}));
        assert_eq!(events[2].2, 30_000, "the virtual clock advanced by TimeoutSeconds");
        let Status::Succeeded(out) = status else { panic!("caught: {status:?}") };
        // rule 16.9: AWS writes an empty Cause (with-tasks error_handling__test_invoke_timeout).
        assert_eq!(out["error"], json!({"Error": "States.Timeout", "Cause": ""}));
    }

    #[test]
    fn resource_type_and_name_split_as_aws_shows_them() {
        let split = |arn: &str| match super::Family::of(arn) {
            super::Family::Service { resource_type, resource } => (resource_type, resource),
            super::Family::Lambda => ("lambda function".into(), arn.into()),
            super::Family::Activity => ("activity".into(), arn.into()),
        };
        assert_eq!(split("arn:aws:states:::lambda:invoke"), ("lambda".into(), "invoke".into()));
        assert_eq!(
            split("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
            ("sqs".into(), "sendMessage.waitForTaskToken".into())
        );
        assert_eq!(split("arn:aws:states:::ecs:runTask.sync"), ("ecs".into(), "runTask.sync".into()));
        assert_eq!(split("arn:aws:states:::aws-sdk:s3:headObject"), ("aws-sdk:s3".into(), "headObject".into()));
        assert_eq!(split("arn:aws:lambda:us-east-1:1:function:f").0, "lambda function");
        assert_eq!(split("arn:aws:states:us-east-1:1:activity:approve").0, "activity", "Activity* events");
    }

    #[test]
    fn credentials_are_evaluated_and_shown_as_task_credentials() {
        let definition = r#"{"StartAt": "Fn", "States": {"Fn": {"Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:111111111111:function:f",
            "Credentials": {"RoleArn.$": "$.role"}, "End": true}}}"#;
        let role = "arn:aws:iam::222222222222:role/cross-account";
        let (_, events) = run(definition, json!({"role": role}), TaskAnswer::Return(json!({})));
        assert_eq!(events[0].1["taskCredentials"], json!({"roleArn": role}));
    }

    #[test]
    fn jsonata_credentials_are_evaluated_over_the_state_input() {
        let definition = r#"{"QueryLanguage": "JSONata", "StartAt": "Fn", "States": {"Fn": {"Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:111111111111:function:f",
            "Credentials": {"RoleArn": "{% $states.input.role %}"}, "End": true}}}"#;
        let role = "arn:aws:iam::222222222222:role/cross-account";
        let (status, events) = run(definition, json!({"role": role}), TaskAnswer::Return(json!({})));
        assert_eq!(status, Status::Succeeded(Arc::new(json!({}))));
        assert_eq!(events[0].1["taskCredentials"], json!({"roleArn": role}));
    }

    #[test]
    fn timeout_seconds_path_must_resolve_to_a_positive_integer() {
        let ok = TaskAnswer::Return(json!({}));
        let (status, events) = run(SERVICE, json!({"p": 1}), ok.clone());
        let Status::Failed { error, cause } = status else { panic!("{status:?}") };
        assert_eq!(error.as_deref(), Some("States.Runtime"));
        assert!(
            cause.as_deref().is_some_and(|c| c.ends_with("Invalid path '$.limit' : No results for path: $['limit']"))
        );
        assert!(events.is_empty(), "nothing is scheduled: {events:?}");
        let (status, _) = run(SERVICE, json!({"limit": -3, "p": 1}), ok.clone());
        let Status::Failed { cause, .. } = status else { panic!("{status:?}") };
        assert!(
            cause.is_some_and(|c| c.contains("TimeoutSecondsPath parameter references a value that is not a positive"))
        );
        let (status, _) = run(SERVICE, json!({"limit": "soon", "p": 1}), ok);
        let Status::Failed { cause, .. } = status else { panic!("{status:?}") };
        assert!(cause.is_some_and(|c| c.contains("cannot be parsed as a long value: $.limit == soon")));
    }

    #[test]
    fn bare_function_arns_record_lambda_function_events_and_return_the_payload() {
        let definition = r#"{"StartAt": "Fn", "States": {"Fn": {"Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:111111111111:function:f", "End": true}}}"#;
        let (status, events) = run(definition, json!({"x": 1}), TaskAnswer::Return(json!({"y": 2})));
        assert_eq!(status, Status::Succeeded(Arc::new(json!({"y": 2}))));
        assert_eq!(
            events,
            [
                (
                    "LambdaFunctionScheduled".to_string(),
                    json!({"resource": "arn:aws:lambda:us-east-1:111111111111:function:f", "input": "{\"x\":1}"}),
                    0
                ),
                ("LambdaFunctionStarted".to_string(), Value::Null, 0),
                ("LambdaFunctionSucceeded".to_string(), json!({"output": "{\"y\":2}"}), 0),
            ]
        );
        let failed = TaskAnswer::Throw { error: "Exception".into(), cause: Some("{\"errorMessage\":\"x\"}".into()) };
        let (status, events) = run(definition, json!({}), failed);
        assert_eq!(events[2].0, "LambdaFunctionFailed");
        assert_eq!(events[2].1, json!({"error": "Exception", "cause": "{\"errorMessage\":\"x\"}"}));
        assert_eq!(
            status,
            Status::Failed { error: Some("Exception".into()), cause: Some("{\"errorMessage\":\"x\"}".into()) }
        );
    }

    #[test]
    fn wait_for_task_token_tasks_see_a_token_in_the_context() {
        let definition = r#"{"StartAt": "Ask", "States": {"Ask": {"Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}, "End": true}}}"#;
        let (status, events) = run(definition, json!({}), TaskAnswer::Return(json!({"approved": true})));
        assert_eq!(status, Status::Succeeded(Arc::new(json!({"approved": true}))));
        let sent: Value =
            serde_json::from_str(events[0].1["parameters"].as_str().unwrap_or_default()).expect("parameters JSON");
        let token = sent["MessageBody"]["token"].as_str().unwrap_or_default();
        assert_eq!(token.len(), 36, "a UUID token: {sent}");
        assert_eq!(events[0].1["resource"], "sendMessage.waitForTaskToken");
    }
}
