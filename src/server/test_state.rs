//! TestState: one state run in isolation, as AWS's testing API runs it. The state is placed in
//! a small machine of its own: a Pass state first when `variables` are given (it assigns them),
//! then the state, then a Succeed state for every target it names, so the next state shows in
//! the history. The stages the engine recorded are AWS's `inspectionData` (same names).
//!
//! AWS does not retry: an error a retrier matches ends the test as `RETRIABLE` (or, with the
//! retrier's attempts used up per `stateConfiguration.retrierRetryCount`, goes on to Catch).
//! So the state runs without its `Retry`, and the retry decision is made here from the error
//! the engine recorded. A mocked Map or Parallel runs its own data flow around the mock; its
//! iterations and branches do not run (the engine's [`TaskSource::answer_state`]).

mod request;

use std::sync::{Arc, Mutex};

use serde_json::{Map, Value, json};

use super::Server;
use super::machines::build;
use super::protocol::ApiError;
use crate::asl::definition::Retrier;
use crate::asl::engine::history::EventKind;
use crate::asl::engine::stage::{StageDetail, StageKind};
use crate::asl::engine::tasks::{
    MapSettings, NoTasks, RecordedAnswers, StateRequest, TaskAnswer, TaskRequest, TaskSource,
};
use crate::asl::engine::{Execution, ExecutionConfig, Status, error_equals_names};
use crate::asl::workflow::WorkflowType;
use request::Request;

/// The state that assigns the request's `variables` before the tested state runs.
const VARIABLES_STATE: &str = "statescope:variables";

/// AWS's error and cause when a mocked Map's failed iterations exceed its tolerance.
const THRESHOLD_ERROR: &str = "States.ExceedToleratedFailureThreshold";
const THRESHOLD_CAUSE: &str = "The specified tolerated failure threshold was exceeded";

/// Answers the tested state with the request's `mock`: every task invocation, or the whole Map
/// or Parallel (its failed-iteration count checked against the tolerance first).
struct Mocked {
    answer: TaskAnswer,
    state: String,
    map_failures: Option<u64>,
    /// The Map's resolved settings, for inspectionData.
    settings: Mutex<Option<MapSettings>>,
}

impl TaskSource for Mocked {
    fn answer(&self, _: &TaskRequest) -> Option<TaskAnswer> {
        Some(self.answer.clone())
    }

    fn answer_state(&self, r: &StateRequest) -> Option<TaskAnswer> {
        if r.state != self.state || !r.location.is_empty() {
            return None;
        }
        if let Some(m) = r.map {
            *self.settings.lock().unwrap_or_else(|p| p.into_inner()) = Some(m);
            if let (Some(failed), TaskAnswer::Return(Value::Array(items))) = (self.map_failures, &self.answer) {
                if exceeds_tolerance(&m, failed, items.len() as u64) {
                    return Some(TaskAnswer::Throw {
                        error: THRESHOLD_ERROR.into(),
                        cause: Some(THRESHOLD_CAUSE.into()),
                    });
                }
            }
        }
        Some(self.answer.clone())
    }
}

/// Whether `failed` of `total` iterations exceed the Map's tolerance (rule 15.9). Without
/// ToleratedFailureCount/Percentage AWS's TestState ignores the count: a recorded Map without
/// them and `mapIterationFailureCount` 2 of 3 SUCCEEDED (`test_map_state_failure_count`).
fn exceeds_tolerance(m: &MapSettings, failed: u64, total: u64) -> bool {
    let over_count = m.tolerated_failure_count.is_some_and(|c| failed > c);
    let over_pct =
        m.tolerated_failure_percentage.is_some_and(|p| total > 0 && (failed as f64) * 100.0 / (total as f64) > p);
    over_count || over_pct
}

/// The test machine: variables, the state, a Succeed for each target.
fn test_machine(req: &Request, state: Map<String, Value>) -> Value {
    let mut states = Map::new();
    if let Some(vars) = &req.variables {
        states.insert(VARIABLES_STATE.into(), json!({"Type": "Pass", "Assign": vars, "Next": req.name}));
    }
    for t in targets(&state) {
        if t != req.name {
            states.insert(t, json!({"Type": "Succeed"}));
        }
    }
    states.insert(req.name.clone(), Value::Object(state));
    let start = if req.variables.is_some() { VARIABLES_STATE } else { req.name.as_str() };
    let mut machine = req.top.clone();
    machine.insert("StartAt".into(), json!(start));
    machine.insert("States".into(), Value::Object(states));
    Value::Object(machine)
}

/// Every state name the state transitions to.
fn targets(state: &Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |v: Option<&Value>| {
        if let Some(s) = v.and_then(Value::as_str) {
            if !out.iter().any(|o| o == s) {
                out.push(s.to_string());
            }
        }
    };
    add(state.get("Next"));
    add(state.get("Default"));
    for list in ["Choices", "Catch"] {
        for item in state.get(list).and_then(Value::as_array).into_iter().flatten() {
            add(item.get("Next"));
        }
    }
    out
}

/// The engine's configuration: an Express execution (AWS's TestState context shows an
/// `…:express:…` execution ARN) named after the mocked context where one is given.
fn config(req: &Request) -> ExecutionConfig {
    let mut config = ExecutionConfig {
        state_machine_name: "TestState".into(),
        execution_name: "TestState".into(),
        workflow_type: WorkflowType::Express,
        ..ExecutionConfig::default()
    };
    if let Some(role) = &req.role_arn {
        config.role_arn = role.clone();
    }
    if let Some(ctx) = &req.context {
        let text = |part: &str, field: &str| ctx.get(part).and_then(|p| p.get(field)).and_then(Value::as_str);
        if let Some(n) = text("Execution", "Name") {
            config.execution_name = n.into();
        }
        if let Some(n) = text("StateMachine", "Name") {
            config.state_machine_name = n.into();
        }
        if let Some(r) = text("Execution", "RoleArn") {
            config.role_arn = r.into();
        }
        if let Some(t) = text("Execution", "StartTime").and_then(crate::asl::timestamp::parse_timestamp) {
            config.start_ms = t.epoch_millis();
        }
    }
    config
}

pub fn test_state(server: &Arc<Server>, p: &super::protocol::Params) -> Result<Value, ApiError> {
    let req = request::parse(p)?;
    // The whole definition is checked as AWS checks it; its retriers are kept for the decision.
    let whole = build(&test_machine(&req, req.state.clone()).to_string())?;
    let retriers: Vec<Retrier> =
        whole.scope.states.iter().find(|s| s.name == req.name).map(|s| s.retry.clone()).unwrap_or_default();
    let mut run_state = req.state.clone();
    run_state.remove("Retry");
    let machine = build(&test_machine(&req, run_state).to_string())?;
    let mocked = req.mock.clone().map(|answer| {
        Arc::new(Mocked { answer, state: req.name.clone(), map_failures: req.map_failures, settings: Mutex::new(None) })
    });
    let tasks: Arc<dyn TaskSource> = match &mocked {
        Some(m) => m.clone(),
        None => server.handlers.with(Arc::new(NoTasks)),
    };
    let mut exec = Execution::with_tasks(machine, req.input.clone(), config(&req), tasks, RecordedAnswers::default());
    let status = if mocked.is_some() || server.handlers.handlers.is_empty() {
        exec.run().clone()
    } else {
        tokio::task::block_in_place(|| exec.run().clone())
    };
    let settings = mocked.and_then(|m| *m.settings.lock().unwrap_or_else(|p| p.into_inner()));
    Ok(outcome(&exec, &status, &req, &retriers, settings))
}

/// The retry decision for an error (rules 16.3–16.6) given the retries already made: the
/// matching retrier's index, and the backoff before the next attempt when one is left.
fn retry_decision(retriers: &[Retrier], error: &str, made: u64) -> Option<(usize, Option<u64>)> {
    let i = retriers.iter().position(|r| error_equals_names(&r.error_equals, error))?;
    let r = &retriers[i];
    if made >= r.max_attempts {
        return Some((i, None));
    }
    let exponent = i32::try_from(made).unwrap_or(i32::MAX);
    let base = r.interval_seconds * r.backoff_rate.powi(exponent);
    // Jitter is not applied: the field is the backoff AWS would wait at most.
    let capped = r.max_delay_seconds.map_or(base, |m| base.min(m));
    Some((i, Some(capped.round() as u64)))
}

/// The response: status, output or error, the next state and (DEBUG, TRACE) the stages.
fn outcome(
    exec: &Execution,
    status: &Status,
    req: &Request,
    retriers: &[Retrier],
    settings: Option<MapSettings>,
) -> Value {
    let name = req.name.as_str();
    let mine = || exec.stages().iter().filter(|s| &*s.state == name && s.location.is_empty());
    let mut out = json!({});
    let mut details = Map::new();
    let error = mine().find_map(|s| match s.detail.as_deref() {
        Some(StageDetail::Error { error, cause }) => Some((error.clone(), cause.clone())),
        _ => None,
    });
    let caught = mine().find_map(|s| match s.detail.as_deref() {
        Some(StageDetail::Caught { catcher, next }) => Some((*catcher, next.to_string())),
        _ => None,
    });
    let events = exec.history().events();
    let exited = events.iter().find_map(|e| match &e.kind {
        EventKind::StateExited { name: n, output, .. } if &**n == name => Some(output.clone()),
        _ => None,
    });
    let next = events
        .iter()
        .skip_while(|e| !matches!(&e.kind, EventKind::StateExited { name: n, .. } if &**n == name))
        .find_map(|e| match &e.kind {
            EventKind::StateEntered { name, .. } => Some(name.to_string()),
            _ => None,
        });
    let set_error = |out: &mut Value, error: &str, cause: &str| {
        out["error"] = json!(error);
        out["cause"] = json!(cause);
    };
    let decision = error.as_ref().and_then(|(e, _)| retry_decision(retriers, e, req.retry_count));
    if let Some((index, _)) = decision {
        details.insert("retryIndex".into(), json!(index));
    }
    if let (Some((_, Some(backoff))), Some((e, c))) = (decision, &error) {
        out["status"] = json!("RETRIABLE");
        set_error(&mut out, e, c);
        details.insert("retryBackoffIntervalSeconds".into(), json!(backoff));
    } else if let Some((catcher, next)) = caught {
        out["status"] = json!("CAUGHT_ERROR");
        out["nextState"] = json!(next);
        details.insert("catchIndex".into(), json!(catcher));
        if let Some((e, c)) = &error {
            set_error(&mut out, e, c);
        }
        if let Some(o) = &exited {
            out["output"] = json!(o.to_string());
        }
    } else {
        match status {
            Status::Failed { error, cause } => {
                out["status"] = json!("FAILED");
                set_error(&mut out, error.as_deref().unwrap_or_default(), cause.as_deref().unwrap_or_default());
            }
            Status::AwaitingTask(r) => {
                out["status"] = json!("FAILED");
                set_error(
                    &mut out,
                    "States.Runtime",
                    &format!(
                        "no mock answers the task ({}): give TestState a 'mock', or start the server with --handler '{}=COMMAND'",
                        r.resource, r.resource
                    ),
                );
            }
            Status::Stopped(why) => {
                out["status"] = json!("FAILED");
                set_error(&mut out, "States.Runtime", why);
            }
            Status::TimedOut => {
                out["status"] = json!("FAILED");
                set_error(&mut out, crate::asl::engine::TIMED_OUT_ERROR, "The execution timed out (TimeoutSeconds).");
            }
            Status::Succeeded(_) | Status::Running => {
                out["status"] = json!("SUCCEEDED");
                if let Some(o) = &exited {
                    out["output"] = json!(o.to_string());
                }
                if let Some(n) = next {
                    out["nextState"] = json!(n);
                }
            }
        }
    }
    if req.level != "INFO" {
        out["inspectionData"] = Value::Object(inspection(mine(), req.state_type(), settings, details));
    }
    out
}

/// inspectionData: the stages AWS shows for the state's type, the Map's settings, the error
/// details. AWS's recordings show a mocked Parallel with only `input`, `afterResultSelector`
/// and `afterResultPath`, and a mocked Map without `result` or `afterParameters`
/// (`test_io_parallel_state_mock_success`, `test_state_map_context_object`).
fn inspection<'a>(
    stages: impl Iterator<Item = &'a crate::asl::engine::stage::StageRecord>,
    state_type: &str,
    settings: Option<MapSettings>,
    details: Map<String, Value>,
) -> Map<String, Value> {
    let mut data = Map::new();
    let mut result = None;
    for s in stages {
        if s.kind == StageKind::Result {
            result = Some(s.value());
        }
        let shown = match state_type {
            "Parallel" => {
                matches!(
                    s.kind,
                    StageKind::Input
                        | StageKind::AfterResultSelector
                        | StageKind::AfterResultPath
                        | StageKind::Variables
                )
            }
            "Map" => !matches!(s.kind, StageKind::Output | StageKind::Result | StageKind::AfterParameters),
            _ => s.kind != StageKind::Output,
        };
        if shown {
            data.insert(s.kind.as_str().into(), json!(s.value().to_string()));
        }
    }
    // AWS shows a JSONPath Map's or Parallel's afterResultSelector even without a
    // ResultSelector (the result itself), as `test_base_parallel_state_mock_success` records.
    if matches!(state_type, "Map" | "Parallel") && data.contains_key("afterResultPath") {
        if let (Some(r), false) = (result, data.contains_key("afterResultSelector")) {
            data.insert("afterResultSelector".into(), json!(r.to_string()));
        }
    }
    if let Some(m) = settings {
        data.insert("maxConcurrency".into(), json!(m.max_concurrency));
        if let Some(c) = m.tolerated_failure_count {
            data.insert("toleratedFailureCount".into(), json!(c));
        }
        if let Some(p) = m.tolerated_failure_percentage {
            data.insert("toleratedFailurePercentage".into(), json!(p));
        }
    }
    if !details.is_empty() {
        data.insert("errorDetails".into(), Value::Object(details));
    }
    data
}

#[cfg(test)]
mod tests;
