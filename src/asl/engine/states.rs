//! What each state type does with its input, one module per type, each reading top to bottom
//! in both query languages. The data flow around the work (InputPath … OutputPath, Arguments …
//! Output) is the [`pipeline`](crate::asl::engine::pipeline)'s; the visit around it (events,
//! Retry, Catch) is [`visit`](crate::asl::engine::visit)'s.

mod choice;
mod fail;
mod map;
mod parallel;
mod pass;
mod task;
mod wait;

use std::sync::Arc;

use serde_json::Value;

use crate::asl::definition::{State, StateKind};
use crate::asl::engine::env::{Env, Run};
use crate::asl::engine::pipeline::Pipeline;
use crate::asl::engine::visit::{Fault, Outcome};

/// The state-type-specific part of a visit, after the `input` stage.
pub(crate) fn evaluate(
    pipeline: Pipeline,
    state: &State,
    input: &Arc<Value>,
    env: &mut Env,
    run: &mut Run,
) -> Result<Outcome, Fault> {
    match &state.kind {
        StateKind::Pass(p) => pass::pass(pipeline, state, p, input, env, run).map_err(Fault::Own),
        StateKind::Succeed => pass::succeed(pipeline, state, input, env, run).map_err(Fault::Own),
        StateKind::Fail(f) => fail::fail(pipeline, f, input, env).map_err(Fault::Own),
        StateKind::Wait(w) => wait::wait(pipeline, state, w, input, env, run).map_err(Fault::Own),
        StateKind::Choice(c) => choice::choice(pipeline, state, c, input, env, run).map_err(Fault::Own),
        StateKind::Task(t) => task::task(pipeline, state, t, input, env, run),
        StateKind::Parallel(p) => parallel::parallel(pipeline, state, p, input, env, run),
        StateKind::Map(m) => map::map(pipeline, state, m, input, env, run),
    }
}
