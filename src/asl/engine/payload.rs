//! The payload quota at a state's edges (rule 6.1): its input when entered, its output when it
//! leaves, each measured once (see [`limits`](crate::asl::engine::limits)) and flagged when
//! near the quota (`payload-near-limit`).

use std::sync::Arc;

use serde_json::Value;

use crate::asl::definition::State;
use crate::asl::engine::env::Run;
use crate::asl::engine::io::Failure;
use crate::asl::engine::limits::{self, Refused};
use crate::asl::engine::scratch::Scratch;
use crate::asl::engine::stage::StageKind;
use crate::asl::engine::visit::{Fault, Outcome};

/// The size of a state's input or output, flagging its stage when it is near the quota. The
/// last value measured is kept, so a state's output that becomes the next state's input
/// unchanged (a Choice, a Wait) is measured once.
pub(crate) fn size(
    scratch: &mut Scratch,
    value: &Arc<Value>,
    run: &mut Run,
    kind: StageKind,
) -> Result<usize, Refused> {
    let size = match &scratch.measured {
        Some((v, n)) if Arc::ptr_eq(v, value) => Ok(*n),
        _ => limits::measure(value, limits::MAX_PAYLOAD_BYTES, crate::asl::depth::MAX_VALUE_DEPTH),
    };
    if let Ok(n) = size {
        scratch.measured = Some((value.clone(), n));
    }
    scratch.largest = scratch.largest.max(size.unwrap_or(usize::MAX));
    if size.is_err_and(|e| e == Refused::TooLarge) || size.is_ok_and(|n| n > limits::NEAR_LIMIT_BYTES) {
        if let Some(s) = run.stages.iter_mut().rev().find(|s| s.kind == kind && s.payload.is(value)) {
            s.near_limit = true;
        }
    }
    size
}

/// A state's input over the quota (only an execution's input can be) or too deep.
pub(crate) fn check_input(
    scratch: &mut Scratch,
    input: &Arc<Value>,
    run: &mut Run,
    state: &State,
) -> Result<(), Fault> {
    match size(scratch, input, run, StageKind::Input) {
        Ok(_) => Ok(()),
        Err(Refused::TooLarge) => Err(Fault::Own(Failure::input_too_large(&state.name))),
        Err(Refused::TooDeep) => Err(Fault::Own(Failure::too_deep("input"))),
    }
}

/// A state's output over the quota fails it with `States.DataLimitExceeded` (its own error, so
/// terminal: rule 6.2) before it is exited.
pub(crate) fn check_output(
    result: Result<Outcome, Fault>,
    state: &State,
    scratch: &mut Scratch,
    run: &mut Run,
) -> Result<Outcome, Fault> {
    if let Ok(Outcome::Next(_, out) | Outcome::End(out)) = &result {
        match size(scratch, out, run, StageKind::Output) {
            Ok(_) => {}
            Err(Refused::TooLarge) => return Err(Fault::Own(Failure::result_too_large(&state.name))),
            Err(Refused::TooDeep) => return Err(Fault::Own(Failure::too_deep("output"))),
        }
    }
    result
}
