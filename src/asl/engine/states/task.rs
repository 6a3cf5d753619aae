//! Task states: the effective input is what would be sent; the result comes from the task
//! source, a recorded answer, or nobody (the visit pauses with a request). Events are named as
//! AWS records them (`TaskScheduled`…, or `LambdaFunction…` for bare function ARNs).

use std::sync::Arc;

use serde_json::{Value, json};

use super::{Env, Fault, Outcome, Run, Thrown, after_result, effective_input};
use crate::asl::definition::{State, Task};
use crate::asl::engine::io::{self, Failure};
use crate::asl::engine::stage::StageKind;
use crate::asl::engine::tasks::{TaskAnswer, TaskRequest};
use crate::asl::world::uuid_v4;

/// The AWS event names and `resourceType`/`resource` details of a task resource.
struct TaskEvents {
    prefix: &'static str,
    details: Value,
}

fn task_events(resource: &str) -> TaskEvents {
    if let Some(rest) = resource.strip_prefix("arn:aws:lambda:") {
        let _ = rest;
        return TaskEvents { prefix: "LambdaFunction", details: json!({"resource": resource}) };
    }
    // arn:aws:states:::lambda:invoke(.waitForTaskToken) → resourceType "lambda", resource "invoke…"
    let tail = resource.strip_prefix("arn:aws:states:::").unwrap_or(resource);
    let (resource_type, name) = tail.split_once(':').unwrap_or(("", tail));
    TaskEvents { prefix: "Task", details: json!({"resourceType": resource_type, "resource": name}) }
}

fn with(details: &Value, extra: Value) -> Value {
    let mut d = details.clone();
    if let (Some(d), Value::Object(extra)) = (d.as_object_mut(), extra) {
        d.extend(extra);
    }
    d
}

/// A Task (rule 5.1): the result comes from the task source, a recorded answer, or nobody
/// (the visit pauses with a request).
pub(super) fn task(
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
    let effective = effective_input(state, input, env, run)?;
    let counter = env.invocations.entry(state.name.clone()).or_insert(0);
    let invocation = *counter;
    *counter += 1;
    let events = task_events(resource);
    let scheduled = if events.prefix == "Task" {
        with(
            &events.details,
            json!({"region": env.config.region, "parameters": serde_json::to_string(&*effective).unwrap_or_default()}),
        )
    } else {
        with(&events.details, json!({"input": serde_json::to_string(&*effective).unwrap_or_default()}))
    };
    env.trace.lifecycle(env.now_ms, format!("{}Scheduled", events.prefix), Some(scheduled));
    env.trace.lifecycle(env.now_ms, format!("{}Started", events.prefix), Some(events.details.clone()));
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
    match answer {
        None => Ok(Outcome::Pending(request)),
        Some(TaskAnswer::Return(v)) => {
            let output = serde_json::to_string(&v).unwrap_or_default();
            env.trace.lifecycle(
                env.now_ms,
                format!("{}Succeeded", events.prefix),
                Some(with(&events.details, json!({"output": output}))),
            );
            if io::exceeds_payload_limit(&v) {
                return Err(Failure::result_too_large(&state.name).into());
            }
            let result = run.stage(
                StageKind::Result,
                Arc::new(v),
                Some(("Resource", env.labels.get(t.resource.span, || resource.to_string()), t.resource.span)),
            );
            Ok(after_result(state, input, result, env, run)?)
        }
        Some(TaskAnswer::Throw { error, cause }) => {
            let mut d = with(&events.details, json!({"error": error}));
            if let Some(c) = &cause {
                d["cause"] = json!(c);
            }
            env.trace.lifecycle(env.now_ms, format!("{}Failed", events.prefix), Some(d));
            Err(Fault::Thrown(Thrown { error: Some(error), cause }))
        }
    }
}
