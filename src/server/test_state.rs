//! TestState: one state run in isolation, as AWS's testing API runs it. The state is placed in
//! a small machine of its own: a Pass state first when `variables` are given (it assigns them),
//! then the state, then a Succeed state for every target it names, so the next state shows in
//! the history. The stages the engine recorded are AWS's `inspectionData` (same names).

use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::Server;
use super::machines::build;
use super::protocol::{ApiError, Params};
use crate::asl::engine::history::EventKind;
use crate::asl::engine::stage::{StageDetail, StageKind};
use crate::asl::engine::tasks::{NoTasks, RecordedAnswers, TaskAnswer, TaskRequest, TaskSource};
use crate::asl::engine::{Execution, ExecutionConfig, Status};

/// The state that assigns the request's `variables` before the tested state runs.
const VARIABLES_STATE: &str = "statescope:variables";

/// Answers every task of the tested state with the request's `mock`.
struct Fixed(TaskAnswer);

impl TaskSource for Fixed {
    fn answer(&self, _: &TaskRequest) -> Option<TaskAnswer> {
        Some(self.0.clone())
    }
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::validation(message)
}

/// The state under test, its name and the top-level fields (`QueryLanguage`) it inherits.
type Picked = (String, Map<String, Value>, Map<String, Value>);

fn pick_state(p: &Params) -> Result<Picked, ApiError> {
    let text = p.string("definition")?;
    let parsed: Value = serde_json::from_str(&text).map_err(|e| {
        ApiError::new("InvalidDefinition", format!("Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: {e}'"))
    })?;
    let Value::Object(mut root) = parsed else {
        return Err(ApiError::new(
            "InvalidDefinition",
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: the definition is not an object'",
        ));
    };
    match p.opt_string("stateName")? {
        Some(name) => {
            let state =
                root.get("States").and_then(|s| s.get(&name)).and_then(Value::as_object).cloned().ok_or_else(|| {
                    bad(format!("State '{name}' does not exist in the definition's top-level States"))
                })?;
            let mut top = Map::new();
            if let Some(q) = root.remove("QueryLanguage") {
                top.insert("QueryLanguage".into(), q);
            }
            Ok((name, state, top))
        }
        None => Ok(("TestState".into(), root, Map::new())),
    }
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

fn mock_answer(p: &Params) -> Result<Option<TaskAnswer>, ApiError> {
    let Some(mock) = p.opt_object("mock")? else { return Ok(None) };
    if let Some(result) = mock.get("result").and_then(Value::as_str) {
        let v = serde_json::from_str(result).map_err(|e| bad(format!("mock.result is not valid JSON: {e}")))?;
        return Ok(Some(TaskAnswer::Return(v)));
    }
    if let Some(err) = mock.get("errorOutput").and_then(Value::as_object) {
        let text = |k: &str| err.get(k).and_then(Value::as_str).map(str::to_string);
        return Ok(Some(TaskAnswer::Throw { error: text("error").unwrap_or_default(), cause: text("cause") }));
    }
    Err(bad("mock needs a result or an errorOutput"))
}

pub fn test_state(server: &Arc<Server>, p: &Params) -> Result<Value, ApiError> {
    let (name, state, top) = pick_state(p)?;
    let level = p.opt_string("inspectionLevel")?.unwrap_or_else(|| "INFO".into());
    if !matches!(level.as_str(), "INFO" | "DEBUG" | "TRACE") {
        return Err(bad(format!(
            "1 validation error detected: Value '{level}' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]"
        )));
    }
    let kind = state.get("Type").and_then(Value::as_str).unwrap_or_default();
    let resource = state.get("Resource").and_then(Value::as_str).unwrap_or_default();
    if matches!(kind, "Parallel" | "Map")
        || resource.ends_with(".sync")
        || resource.ends_with(".waitForTaskToken")
        || resource.contains(":activity:")
    {
        return Err(bad(format!(
            "TestState does not support {}",
            if resource.is_empty() { format!("{kind} states") } else { format!("the resource '{resource}'") }
        )));
    }
    let (_, input) = p.json_text("input", "InvalidExecutionInput")?;
    let variables = match p.opt_string("variables")? {
        None => None,
        Some(t) => match serde_json::from_str::<Value>(&t) {
            Ok(Value::Object(m)) => Some(m),
            _ => return Err(bad("variables must be a JSON object")),
        },
    };
    let mut states = Map::new();
    if let Some(vars) = &variables {
        states.insert(VARIABLES_STATE.into(), json!({"Type": "Pass", "Assign": vars, "Next": name}));
    }
    for t in targets(&state) {
        if t != name {
            states.insert(t, json!({"Type": "Succeed"}));
        }
    }
    states.insert(name.clone(), Value::Object(state));
    let start = if variables.is_some() { VARIABLES_STATE } else { name.as_str() };
    let mut machine = top;
    machine.insert("StartAt".into(), json!(start));
    machine.insert("States".into(), Value::Object(states));
    let machine = build(&Value::Object(machine).to_string())?;
    let tasks: Arc<dyn TaskSource> = match mock_answer(p)? {
        Some(a) => Arc::new(Fixed(a)),
        None => server.handlers.with(Arc::new(NoTasks)),
    };
    let config = ExecutionConfig {
        state_machine_name: "TestState".into(),
        execution_name: "TestState".into(),
        ..ExecutionConfig::default()
    };
    let mut exec = Execution::with_tasks(machine, input, config, tasks, RecordedAnswers::default());
    let status = if server.handlers.handlers.is_empty() {
        exec.run().clone()
    } else {
        tokio::task::block_in_place(|| exec.run().clone())
    };
    Ok(outcome(&exec, &status, &name, &level))
}

/// The response: status, output or error, the next state and (DEBUG, TRACE) the stages.
fn outcome(exec: &Execution, status: &Status, name: &str, level: &str) -> Value {
    let mine = || exec.stages().iter().filter(|s| &*s.state == name);
    let mut out = json!({});
    let errors: Vec<(String, String)> = mine()
        .filter_map(|s| match s.detail.as_deref() {
            Some(StageDetail::Error { error, cause }) => Some((error.clone(), cause.clone())),
            _ => None,
        })
        .collect();
    let caught = mine().find_map(|s| match s.detail.as_deref() {
        Some(StageDetail::Caught { next, .. }) => Some(next.to_string()),
        _ => None,
    });
    let retried = mine().any(|s| s.retry.is_some());
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
    if retried {
        // AWS stops at the first error a retrier matches and says the state would be retried.
        out["status"] = json!("RETRIABLE");
        if let Some((e, c)) = errors.first() {
            set_error(&mut out, e, c);
        }
    } else if let Some(next) = caught {
        out["status"] = json!("CAUGHT_ERROR");
        out["nextState"] = json!(next);
        if let Some((e, c)) = errors.last() {
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
    if level != "INFO" {
        let mut data = Map::new();
        for s in mine() {
            if s.kind == StageKind::Output {
                continue;
            }
            data.insert(s.kind.as_str().into(), json!(s.value().to_string()));
        }
        out["inspectionData"] = Value::Object(data);
    }
    out
}
