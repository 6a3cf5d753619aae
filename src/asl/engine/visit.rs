//! One state visit: the entered event, the state's stages, Retry and Catch, the exited event.
//! The state type's own work is in [`states`](crate::asl::engine::states); the data flow of its
//! query language in [`pipeline`](crate::asl::engine::pipeline).

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::asl::definition::{State, StateKind, StateName};
use crate::asl::engine::env::{Env, Run};
use crate::asl::engine::history::EventKind;
use crate::asl::engine::io::Failure;
use crate::asl::engine::payload;
use crate::asl::engine::pipeline::Pipeline;
use crate::asl::engine::retry::{Decision, RetryState};
use crate::asl::engine::stage::{RetryMark, StageDetail, StageKind};
use crate::asl::engine::states;
use crate::asl::engine::tasks::TaskRequest;
use crate::asl::error_name::ErrorName;

/// How a state visit ended.
#[derive(Clone)]
pub(crate) enum Outcome {
    Next(StateName, Arc<Value>),
    End(Arc<Value>),
    /// The state failed and nothing caught it. `error`/`cause` are final (prefixed where AWS
    /// prefixes them) and may be absent only when a Fail state had none.
    Failed {
        error: Option<ErrorName>,
        cause: Option<String>,
    },
    /// The engine cannot run this yet; the execution stops with this reason.
    Unsupported(String),
    /// A Task needs an answer nobody has given yet.
    Pending(TaskRequest),
}

/// An error thrown out of a nested scope or a task: already in its final form.
#[derive(Clone, Debug)]
pub(crate) struct Thrown {
    pub error: Option<ErrorName>,
    pub cause: Option<String>,
}

/// Why a state's evaluation stopped: its own failure (to be prefixed with AWS's "An error
/// occurred while executing the state …" where AWS does), or one thrown to it.
pub(crate) enum Fault {
    Own(Failure),
    Thrown(Thrown),
}

impl From<Failure> for Fault {
    fn from(f: Failure) -> Fault {
        Fault::Own(f)
    }
}

/// One state visit's result.
pub(crate) struct Visit {
    pub outcome: Outcome,
    /// Variables this state assigned (visible from the next state on).
    pub assigned: Option<Map<String, Value>>,
}

/// The cause of a state's own failure as AWS words it.
fn final_cause(f: &Failure, state: &str, entered_id: u32) -> String {
    if f.is_prefixed() {
        format!(
            "An error occurred while executing the state '{state}' (entered at the event id #{entered_id}). {}",
            f.cause
        )
    } else {
        f.cause.clone()
    }
}

/// Runs one visit of `state` on `input`: entered event, stages, Retry/Catch, exited event.
pub(crate) fn visit(env: &mut Env, state: &State, input: &Arc<Value>) -> Visit {
    let max = env.config.max_history_events;
    if env.trace.events_emitted() + 2 > env.budget {
        return Visit {
            outcome: Outcome::Failed {
                error: Some(ErrorName::Runtime),
                cause: Some(format!("The execution reached the maximum number of history events ({max}).")),
            },
            assigned: None,
        };
    }
    // The one place the query language is decided; everything below follows it.
    let pipeline = Pipeline::of(state);
    let entered_ms = env.now_ms;
    let entered_id = env.trace.event(
        entered_ms,
        EventKind::StateEntered {
            state_type: state.kind.state_type(),
            name: state.shared_name.clone(),
            input: input.clone().into(),
        },
    );
    let mut retries = RetryState::default();
    let mut retry_count = 0;
    loop {
        let retriable = matches!(state.kind, StateKind::Task(_) | StateKind::Parallel(_) | StateKind::Map(_));
        let entered = env.scratch.timestamp(entered_ms);
        env.config.set_state_context(env.context, &state.name, entered, retriable.then_some(retry_count));
        if let Some(o) = env.context.as_object_mut().filter(|o| o.keys().any(|k| k == "Task")) {
            o.remove("Task");
        }
        let mut run = Run::new(&state.shared_name, &env.location, env.scratch.buffer());
        run.note(StageKind::Input, input.clone(), None);
        let result = match payload::check_input(env.scratch, input, &mut run, state) {
            Ok(()) => states::evaluate(pipeline, state, input, env, &mut run),
            Err(f) => Err(f),
        };
        let result = payload::check_output(result, state, env.scratch, &mut run);
        let assigned = run.assigned.take();
        env.now_ms += run.elapsed_ms;
        run.finish(env);
        // A state's own DataLimitExceeded is terminal; one raised on a task's result was caught
        // by States.ALL on AWS (rule 6.2).
        let mut own = false;
        let mut from_scope = false;
        let mut evaluation_failed = false;
        let thrown = match result {
            Ok(Outcome::Next(next, out)) => {
                exited(env, state, &out, &assigned);
                return Visit { outcome: Outcome::Next(next, out), assigned };
            }
            Ok(Outcome::End(out)) => {
                exited(env, state, &out, &assigned);
                return Visit { outcome: Outcome::End(out), assigned };
            }
            Ok(other) => return Visit { outcome: other, assigned: None },
            Err(Fault::Own(f)) if f.error == ErrorName::Unsupported => {
                return Visit { outcome: Outcome::Unsupported(f.cause), assigned: None };
            }
            Err(Fault::Own(f)) => {
                own = true;
                let cause = final_cause(&f, &state.name, entered_id);
                // AWS records a JSONata failure as an `EvaluationFailed` event first
                // (`assign/test_undefined_reference(*)`, `scenarios/test_map_state_items_*`).
                if f.error == ErrorName::QueryEvaluationError {
                    let mut d = Map::new();
                    d.insert("cause".into(), Value::String(cause.clone()));
                    d.insert("error".into(), Value::String(f.error.to_string()));
                    if let Some(l) = &f.location {
                        d.insert("location".into(), Value::String(l.clone()));
                    }
                    d.insert("state".into(), Value::String(state.name.clone()));
                    env.trace.lifecycle(env.now_ms, "EvaluationFailed", Some(Value::Object(d)));
                    evaluation_failed = true;
                }
                Thrown { error: Some(f.error), cause: Some(cause) }
            }
            Err(Fault::Thrown(t)) => {
                from_scope = true;
                t
            }
        };
        let name = thrown.error.clone().unwrap_or(ErrorName::Custom(String::new()));
        let detail = StageDetail::Error { error: name.to_string(), cause: thrown.cause.clone().unwrap_or_default() };
        if let Some(last) = env.trace.last_stage_mut() {
            last.detail = Some(Box::new(detail));
        }
        // Retry and Catch exist only on Task, Parallel and Map (rule 16.11).
        if !matches!(state.kind, StateKind::Task(_) | StateKind::Parallel(_) | StateKind::Map(_)) {
            return Visit { outcome: Outcome::Failed { error: thrown.error, cause: thrown.cause }, assigned: None };
        }
        let decision = retries.decide(&state.retry, &state.catch, &name, own, env.entropy);
        // A branch or iteration failure closes a Parallel/Map with `…StateFailed` once, when it
        // is final: retried attempts only restart with `…StateStarted`
        // (`scenarios/test_map_state_retry`, `test_parallel_state_retry`, `…_catch`). The
        // state's own errors (a bad path) have no such event (`test_max_concurrency_path(*)`).
        if (from_scope || evaluation_failed)
            && !matches!(decision, Decision::Retry { .. })
            && matches!(state.kind, StateKind::Parallel(_) | StateKind::Map(_))
        {
            env.trace.lifecycle(env.now_ms, format!("{}StateFailed", state.type_name()), None);
        }
        match decision {
            Decision::Retry { retrier, attempt, delay_seconds } => {
                let failed_at_ms = env.now_ms;
                env.now_ms += (delay_seconds * 1000.0).round() as i64;
                retry_count += 1;
                if let Some(last) = env.trace.last_stage_mut() {
                    last.retry = Some(Box::new(RetryMark {
                        retrier,
                        attempt,
                        delay_seconds,
                        failed_at_ms,
                        retry_at_ms: env.now_ms,
                    }));
                }
            }
            Decision::Catch(i) => return caught(pipeline, env, state, i, input, thrown, entered_id),
            Decision::Fail => {
                return Visit { outcome: Outcome::Failed { error: thrown.error, cause: thrown.cause }, assigned: None };
            }
        }
    }
}

fn exited(env: &mut Env, state: &State, output: &Arc<Value>, assigned: &Option<Map<String, Value>>) {
    env.trace.event(
        env.now_ms,
        EventKind::StateExited {
            state_type: state.kind.state_type(),
            name: state.shared_name.clone(),
            output: output.clone().into(),
            assigned_variables: assigned.clone().map(|vars| Box::new(Value::Object(vars).into())),
        },
    );
}

/// A caught error (rules 5.10, 5.18): the catcher's data flow over the error output (`{Error,
/// Cause}`, rule 16.9), then its Next.
fn caught(
    pipeline: Pipeline,
    env: &mut Env,
    state: &State,
    index: usize,
    input: &Arc<Value>,
    thrown: Thrown,
    entered_id: u32,
) -> Visit {
    let catcher = &state.catch[index];
    // AWS writes an empty Cause when there is none (a mocked timeout without cause was caught
    // as `"Cause": ""`).
    let mut error_output = Map::new();
    error_output.insert("Error".into(), Value::String(thrown.error.map(String::from).unwrap_or_default()));
    error_output.insert("Cause".into(), Value::String(thrown.cause.unwrap_or_default()));
    let error_output = Value::Object(error_output);
    let mut run = Run::new(&state.shared_name, &env.location, env.scratch.buffer());
    // Both languages end with the `output` stage recorded; the catch is noted on it.
    match pipeline.caught(catcher, input, &error_output, env, &mut run) {
        Ok((assigned, out)) => {
            run.detail(StageDetail::Caught { catcher: index, next: catcher.next.value.clone() });
            run.finish(env);
            exited(env, state, &out, &assigned);
            Visit { outcome: Outcome::Next(catcher.next.value.clone(), out), assigned }
        }
        Err(f) => {
            run.finish(env);
            let cause = final_cause(&f, &state.name, entered_id);
            Visit { outcome: Outcome::Failed { error: Some(f.error), cause: Some(cause) }, assigned: None }
        }
    }
}
