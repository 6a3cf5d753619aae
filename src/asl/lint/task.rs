//! Lints of one Task state: `timeout-missing`, `heartbeat-missing`,
//! `lambda-exceptions-unhandled`, `placeholder-resource`.

use crate::asl::codes;
use crate::asl::definition::{Retrier, State, Task};
use crate::asl::diagnostic::Diagnostic;
use crate::asl::resource::{Pattern, ResourceKind, classify};
use crate::asl::workflow::WorkflowType;

/// The Lambda service errors AWS's best practices ask every Lambda task to retry: they are
/// transient and not the function's fault.
pub const LAMBDA_TRANSIENT: [&str; 3] =
    ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"];

/// Every lint finding of a Task state.
pub fn lint_task(state: &State, task: &Task, workflow: WorkflowType) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let resource = &task.resource.value;
    let at =
        |code, message: String| Diagnostic::warning(code, message).at(state.name_span).pointer(state.pointer.clone());
    if let Some(name) = placeholder_name(resource) {
        found.push(
            at(
                codes::PLACEHOLDER_RESOURCE,
                format!(
                    "Task state '{}' has the placeholder '{resource}' as its Resource: statescope cannot tell \
                     which integration it is, so the task token, result shape and Retry behaviour are guessed",
                    state.name
                ),
            )
            .pointer(format!("{}/Resource", state.pointer))
            .help(format!(
                "give its value with --substitute {name}=ARN (or a literal in the template's \
                 DefinitionSubstitutions)"
            )),
        );
        // Which integration it is decides the other lints: say nothing more about it.
        return found;
    }
    let kind = classify(resource);
    if task.timeout_seconds.is_none() {
        found.push(
            at(
                codes::TIMEOUT_MISSING,
                format!(
                    "Task state '{}' has no 'TimeoutSeconds': if the task never answers, the execution waits until \
                     its own timeout ({})",
                    state.name,
                    match workflow {
                        WorkflowType::Standard => "a Standard one: up to a year",
                        WorkflowType::Express => "an Express one: 5 minutes",
                    }
                ),
            )
            .help("add \"TimeoutSeconds\": N, the longest the task may take (or TimeoutSecondsPath)"),
        );
    }
    let callback =
        matches!(kind, ResourceKind::Activity | ResourceKind::Integration { pattern: Pattern::WaitForTaskToken, .. });
    // An Express machine refuses callbacks and activities outright (an error, not this lint).
    if callback && task.heartbeat_seconds.is_none() && workflow == WorkflowType::Standard {
        let who = if kind == ResourceKind::Activity { "activity worker" } else { "callback worker" };
        found.push(
            at(
                codes::HEARTBEAT_MISSING,
                format!(
                    "Task state '{}' waits for a {who} but has no 'HeartbeatSeconds': a worker that dies is only \
                     noticed when the whole task times out",
                    state.name
                ),
            )
            .help(
                "add \"HeartbeatSeconds\": N (shorter than TimeoutSeconds) and have the worker call SendTaskHeartbeat",
            ),
        );
    }
    if invokes_lambda(&kind) {
        let missing = unretried(&state.retry);
        if !missing.is_empty() {
            let names = missing.iter().map(|e| format!("'{e}'")).collect::<Vec<_>>().join(", ");
            found.push(
                at(
                    codes::LAMBDA_EXCEPTIONS_UNHANDLED,
                    format!(
                        "Task state '{}' invokes Lambda but does not retry {names}: a transient Lambda service \
                         error fails the state",
                        state.name
                    ),
                )
                .help(
                    "add a retrier: {\"ErrorEquals\": [\"Lambda.ServiceException\", \"Lambda.AWSLambdaException\", \
                     \"Lambda.SdkClientException\"], \"IntervalSeconds\": 1, \"MaxAttempts\": 3, \"BackoffRate\": 2}",
                ),
            );
        }
    }
    found
}

/// `lambda:invoke` (any pattern) or a bare function ARN.
fn invokes_lambda(kind: &ResourceKind) -> bool {
    match kind {
        ResourceKind::LambdaFunction => true,
        ResourceKind::Integration { service, action, .. } => service == "lambda" && action == "invoke",
        _ => false,
    }
}

/// The transient Lambda errors no retrier with attempts covers (directly, or through
/// `States.TaskFailed`/`States.ALL`, which match them too).
fn unretried(retry: &[Retrier]) -> Vec<&'static str> {
    let covers = |error: &str| {
        retry.iter().filter(|r| r.max_attempts > 0).any(|r| {
            r.error_equals.iter().any(|e| e.value == error || e.value == "States.TaskFailed" || e.value == "States.ALL")
        })
    };
    LAMBDA_TRANSIENT.into_iter().filter(|e| !covers(e)).collect()
}

/// The name inside the first `${…}` of a resource, if it has one.
fn placeholder_name(resource: &str) -> Option<&str> {
    let start = resource.find("${")? + 2;
    let end = resource[start..].find('}')? + start;
    Some(&resource[start..end])
}
