//! Parallel states (rule 5.4, 14.x).

use std::sync::Arc;

use serde_json::Value;

use crate::asl::definition::{Parallel, State};
use crate::asl::engine::env::{Env, Run};
use crate::asl::engine::io::Failure;
use crate::asl::engine::pipeline::Pipeline;
use crate::asl::engine::scope::{ScopeEnd, run_scope};
use crate::asl::engine::stage::StageKind;
use crate::asl::engine::tasks::{StateRequest, TaskAnswer};
use crate::asl::engine::visit::{Fault, Outcome, Thrown};
use crate::asl::error_name::ErrorName;

/// A Parallel (rule 5.4): every branch gets the effective input; branches run in `Branches`
/// order (deterministic), each from the same start time; the first failure fails the state
/// with the branch's own error (rule 14.4).
pub(super) fn parallel(
    pipeline: Pipeline,
    state: &State,
    p: &Parallel,
    input: &Arc<Value>,
    env: &mut Env,
    run: &mut Run,
) -> Result<Outcome, Fault> {
    let effective = pipeline.effective_input(state, input, env, run)?;
    env.trace.lifecycle(env.now_ms, "ParallelStateStarted", None);
    run.flush(env);
    let request = StateRequest { state: state.name.clone(), location: env.location.to_string(), map: None };
    if let Some(answer) = env.tasks.answer_state(&request) {
        return whole_state(answer, pipeline, state, input, env, run);
    }
    let start = env.now_ms;
    let mut end = start;
    let mut outputs = Vec::with_capacity(p.branches.len());
    for (i, branch) in p.branches.iter().enumerate() {
        env.now_ms = start;
        let location = env.nested(&state.name, &format!("branch {}", i + 1));
        match run_scope(env, branch, effective.clone(), location) {
            ScopeEnd::Succeeded(out) => outputs.push(Arc::unwrap_or_clone(out)),
            // `ParallelStateFailed` is the visit's to write: only when no retry follows.
            ScopeEnd::Failed(t) => return Err(Fault::Thrown(t)),
            ScopeEnd::Unsupported(why) => return Ok(Outcome::Unsupported(why)),
            ScopeEnd::Pending(r) => return Ok(Outcome::Pending(r)),
        }
        end = end.max(env.now_ms);
    }
    env.now_ms = end;
    // No `ParallelStateSucceeded`: AWS's API lists the type but none of the six recorded
    // successful Parallels has it (`scenarios/test_parallel_state*`,
    // `assign/test_base_parallel_cases`), unlike Map's `MapStateSucceeded`.
    let outputs = Value::Array(outputs);
    // rule 6.1: the collected result is a state result like any other.
    if crate::asl::engine::limits::exceeds_payload_limit(&outputs) {
        return Err(Failure::result_too_large(&state.name).into());
    }
    let result = run.stage(StageKind::Result, Arc::new(outputs), None);
    Ok(pipeline.after_result(state, input, result, env, run)?)
}

/// A Map or Parallel answered as a whole (TestState's mock): the answer is the state's result,
/// or the error it throws; what comes after the result runs as usual.
pub(super) fn whole_state(
    answer: TaskAnswer,
    pipeline: Pipeline,
    state: &State,
    input: &Arc<Value>,
    env: &mut Env,
    run: &mut Run,
) -> Result<Outcome, Fault> {
    match answer {
        TaskAnswer::Return(v) => {
            let result = run.stage(StageKind::Result, Arc::new(v), None);
            Ok(pipeline.after_result(state, input, result, env, run)?)
        }
        TaskAnswer::Throw { error, cause } => {
            Err(Fault::Thrown(Thrown { error: Some(ErrorName::parse(&error)), cause }))
        }
    }
}
