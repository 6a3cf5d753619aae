//! Pass and Succeed (rules 5.2, 5.8, 5.14, 5.15): the input flows through the pipeline; a Pass
//! may put its `Result` in place of the effective input.

use std::sync::Arc;

use serde_json::Value;

use crate::asl::definition::{Pass, State};
use crate::asl::engine::env::{Env, Run};
use crate::asl::engine::io::Failure;
use crate::asl::engine::pipeline::{Pipeline, jsonata, jsonpath, short, transition};
use crate::asl::engine::stage::StageKind;
use crate::asl::engine::visit::Outcome;

/// A Pass: JSONPath's `Result` (or the effective input) is its result, so ResultPath and
/// OutputPath apply; JSONata's has no result, only Assign and Output over the input.
pub(super) fn pass(
    pipeline: Pipeline,
    state: &State,
    p: &Pass,
    input: &Arc<Value>,
    env: &mut Env,
    run: &mut Run,
) -> Result<Outcome, Failure> {
    let io = &state.io;
    match pipeline {
        Pipeline::JsonPath => {
            let effective = jsonpath::effective_input(state, input, env, run)?;
            let result = match &p.result {
                Some(r) => {
                    if crate::asl::engine::limits::exceeds_payload_limit(&r.value) {
                        return Err(Failure::result_too_large(&state.name));
                    }
                    let source = env.scratch.source("Result", r.span, || short(&r.value));
                    run.stage(StageKind::Result, Arc::new(r.value.clone()), Some(source))
                }
                None => effective,
            };
            jsonpath::after_result(state, input, result, env, run)
        }
        Pipeline::Jsonata => {
            let (assign, output) = (io.assign.as_ref(), io.output.as_ref());
            let out = jsonata::assign_and_output(env, run, input, None, None, assign, output, input.clone())?;
            Ok(transition(state, out))
        }
    }
}

/// A Succeed: InputPath and OutputPath, or Output; no Assign.
pub(super) fn succeed(
    pipeline: Pipeline,
    state: &State,
    input: &Arc<Value>,
    env: &mut Env,
    run: &mut Run,
) -> Result<Outcome, Failure> {
    match pipeline {
        Pipeline::JsonPath => {
            let effective = jsonpath::effective_input(state, input, env, run)?;
            jsonpath::finish(state, &effective, env, run)
        }
        Pipeline::Jsonata => {
            let output = state.io.output.as_ref();
            let out = jsonata::assign_and_output(env, run, input, None, None, None, output, input.clone())?;
            Ok(transition(state, out))
        }
    }
}
