//! The JSONPath pipeline (rules 4.x, 5.1–5.10): InputPath, Parameters, Assign (`$` = the
//! result, rule 7.8), ResultSelector, ResultPath into the raw input, OutputPath. Every stage
//! that one of these fields makes is recorded here.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::{Assigned, path_field, template_field, transition, variables_stage};
use crate::asl::definition::{Catcher, MapState, Spanned, State, Template};
use crate::asl::engine::env::{Env, Run};
use crate::asl::engine::io::{self, Failure};
use crate::asl::engine::stage::StageKind;
use crate::asl::engine::visit::Outcome;
use crate::asl::jsonpath::{Path, Roots, SelectError};

/// InputPath and Parameters (where the type has it): the effective input. Shares the raw
/// input when neither field is present.
pub(crate) fn effective_input(
    state: &State,
    input: &Arc<Value>,
    env: &mut Env,
    run: &mut Run,
) -> Result<Arc<Value>, Failure> {
    let io = &state.io;
    let mut value = match &io.input_path {
        None => input.clone(),
        Some(f) => {
            let v = Arc::new(io::filter_path(Some(f), &env.roots(input))?);
            run.stage(StageKind::AfterInputPath, v, Some(path_field(env, f, "InputPath")))
        }
    };
    if let Some(p) = &io.parameters {
        let roots = Roots { input: &value, context: env.context, variables: env.variables };
        let v = Arc::new(io::template(&p.value, &roots, env.entropy)?);
        value = run.stage(StageKind::AfterParameters, v, Some(template_field(env, p, "Parameters")));
    }
    Ok(value)
}

/// From a state's result to its output: Assign (`$` = the result, rule 7.8), ResultSelector,
/// ResultPath into the raw input, OutputPath, transition (rules 5.1–5.5).
pub(crate) fn after_result(
    state: &State,
    input: &Arc<Value>,
    result: Arc<Value>,
    env: &mut Env,
    run: &mut Run,
) -> Result<Outcome, Failure> {
    if let Some(a) = &state.io.assign {
        run.assigned = Some(assign(a, &result, env, run)?);
    }
    let result = match &state.io.result_selector {
        None => result,
        Some(t) => {
            let roots = Roots { input: &result, context: env.context, variables: env.variables };
            let v = Arc::new(io::template(&t.value, &roots, env.entropy)?);
            run.stage(StageKind::AfterResultSelector, v, Some(template_field(env, t, "ResultSelector")))
        }
    };
    let after = match &state.io.result_path {
        None => result,
        Some(f) => {
            // ResultPath writes into a copy of the raw input (the history still holds it).
            let written = io::result_path(Some(f), (**input).clone(), Arc::unwrap_or_clone(result))?;
            run.stage(StageKind::AfterResultPath, Arc::new(written), Some(path_field(env, f, "ResultPath")))
        }
    };
    finish(state, &after, env, run)
}

/// A caught error (rule 5.10): the catcher's Assign over the error output, its ResultPath into
/// the raw input, no OutputPath.
pub(crate) fn caught(
    catcher: &Catcher,
    input: &Arc<Value>,
    error_output: &Value,
    env: &mut Env,
    run: &mut Run,
) -> Result<(Assigned, Arc<Value>), Failure> {
    let assigned = match &catcher.assign {
        Some(a) => Some(assign(a, error_output, env, run)?),
        None => None,
    };
    let written = io::result_path(catcher.result_path.as_ref(), (**input).clone(), error_output.clone())?;
    let field = catcher.result_path.as_ref().map(|f| path_field(env, f, "ResultPath"));
    let written = run.stage(StageKind::AfterResultPath, Arc::new(written), field);
    // No OutputPath after a catch (rule 5.10).
    Ok((assigned, run.stage(StageKind::Output, written, None)))
}

/// Evaluates an Assign block against the variables as they were at entry (rule 7.2) and
/// records a `variables` stage: every variable in scope once the block is bound.
pub(crate) fn assign(
    a: &Spanned<Template>,
    input: &Value,
    env: &mut Env,
    run: &mut Run,
) -> Result<Map<String, Value>, Failure> {
    let roots = Roots { input, context: env.context, variables: env.variables };
    let assigned = match io::template(&a.value, &roots, env.entropy)? {
        Value::Object(m) => m,
        other => return Err(Failure::runtime(format!("Assign must produce an object, not {other}"))),
    };
    variables_stage(env, run, a, &assigned);
    Ok(assigned)
}

/// OutputPath (shares the value when absent); records the `output` stage.
pub(crate) fn output(state: &State, value: &Arc<Value>, env: &mut Env, run: &mut Run) -> Result<Arc<Value>, Failure> {
    let output = match &state.io.output_path {
        None => value.clone(),
        Some(f) => Arc::new(io::filter_path(Some(f), &env.roots(value))?),
    };
    let field = state.io.output_path.as_ref().map(|f| path_field(env, f, "OutputPath"));
    Ok(run.stage(StageKind::Output, output, field))
}

/// OutputPath, then the transition.
pub(crate) fn finish(state: &State, value: &Arc<Value>, env: &mut Env, run: &mut Run) -> Result<Outcome, Failure> {
    let out = output(state, value, env, run)?;
    Ok(transition(state, out))
}

/// ItemsPath over the effective input (rule 5.5.3; absent: the effective input itself).
pub(crate) fn items(m: &MapState, effective: &Arc<Value>, env: &mut Env) -> Result<Arc<Value>, Failure> {
    let items = match &m.items_path {
        None => effective.clone(),
        Some(p) => Arc::new(select(&p.value, &env.roots(effective))?),
    };
    if !items.is_array() {
        return Err(Failure::runtime(format!("Map state input must be an array but was: {items}")));
    }
    Ok(items)
}

/// ItemSelector (or legacy Parameters) for item `index` over the effective input.
pub(crate) fn item_selector(
    selector: &Spanned<Template>,
    effective: &Value,
    index: usize,
    item: &Value,
    env: &mut Env,
) -> Result<Value, Failure> {
    // `$$.Map.Item` exists only while ItemSelector is evaluated (rule 5.5.5): set in place and
    // removed after, as copying the context (which holds the execution input) per item made
    // large Maps quadratic.
    if let Some(o) = env.context.as_object_mut() {
        o.insert("Map".into(), json!({"Item": {"Index": index, "Value": item}}));
    }
    let roots = Roots { input: effective, context: env.context, variables: env.variables };
    let selected = io::template(&selector.value, &roots, env.entropy);
    if let Some(o) = env.context.as_object_mut() {
        o.shift_remove("Map");
    }
    selected
}

/// A reference path that must select something (ItemsPath, SecondsPath, TimeoutSecondsPath, …),
/// failing as InputPath does (ASL-NOTES 4).
pub(crate) fn select(path: &Path, roots: &Roots) -> Result<Value, Failure> {
    path.select(roots).map_err(|e| match e {
        SelectError::NoResults { normalized } => {
            Failure::runtime(format!("Invalid path '{}' : No results for path: {normalized}", path.text()))
        }
        other => Failure::runtime(other.to_string()),
    })
}

/// A value as AWS quotes it after `==`: strings without their JSON quotes
/// (`$.t == 2016-12-05T21:29:29`), anything else as JSON.
pub(crate) fn raw_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
