//! Map states (rule 5.5, 15.x), inline semantics; Distributed runs the same way locally.

use std::sync::Arc;

use serde_json::{Value, json};

use super::{Env, Fault, Outcome, Run, ScopeEnd, after_result, effective_input, run_scope, unsupported};
use crate::asl::definition::{MapState, State};
use crate::asl::engine::io::{self, Failure};
use crate::asl::engine::stage::StageKind;
use crate::asl::jsonpath::Roots;

/// A Map (rule 5.5), inline semantics: ItemsPath, ItemSelector per item with `$$.Map.Item`,
/// iterations in item order, each from the same start time unless MaxConcurrency is 1.
pub(super) fn map(
    state: &State,
    m: &MapState,
    input: &Arc<Value>,
    env: &mut Env,
    run: &mut Run,
) -> Result<Outcome, Fault> {
    if m.item_reader.is_some() {
        return Err(unsupported("Map ItemReader reads from S3, which cannot be reached locally").into());
    }
    let effective = effective_input(state, input, env, run)?;
    let items = match &m.items_path {
        None => effective.clone(),
        Some(p) => {
            let v = p.value.select(&env.roots(&effective)).map_err(|e| match e {
                crate::asl::jsonpath::SelectError::NoResults { normalized } => {
                    Failure::runtime(format!("Invalid path '{}' : No results for path: {normalized}", p.value.text()))
                }
                other => Failure::runtime(other.to_string()),
            })?;
            Arc::new(v)
        }
    };
    let Some(list) = items.as_array() else {
        return Err(Failure::runtime(format!("Map state input must be an array but was: {items}")).into());
    };
    let sequential = m
        .max_concurrency
        .as_ref()
        .is_some_and(|c| matches!(&c.value, crate::asl::definition::NumberSource::Literal(v) if v.as_u64() == Some(1)));
    env.trace.lifecycle(env.now_ms, "MapStateStarted", Some(json!({"length": list.len()})));
    run.flush(env.trace);
    let start = env.now_ms;
    let mut end = start;
    let mut outputs = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        if !sequential {
            env.now_ms = start;
        }
        let item_input = match &m.item_selector {
            None => Arc::new(item.clone()),
            Some(sel) => {
                let mut context = env.context.clone();
                context["Map"] = json!({"Item": {"Index": i, "Value": item}});
                let roots = Roots { input: &effective, context: &context, variables: env.variables };
                Arc::new(io::template(&sel.value, &roots, env.entropy)?)
            }
        };
        let ids = json!({"index": i, "name": state.name});
        env.trace.lifecycle(env.now_ms, "MapIterationStarted", Some(ids.clone()));
        let location = env.nested(&state.name, &format!("item {i}"));
        match run_scope(env, &m.processor, item_input, location) {
            ScopeEnd::Succeeded(out) => {
                env.trace.lifecycle(env.now_ms, "MapIterationSucceeded", Some(ids));
                outputs.push(Arc::unwrap_or_clone(out));
            }
            ScopeEnd::Failed(t) => {
                env.trace.lifecycle(env.now_ms, "MapIterationFailed", Some(ids));
                env.trace.lifecycle(env.now_ms, "MapStateFailed", None);
                return Err(Fault::Thrown(t));
            }
            ScopeEnd::Unsupported(why) => return Ok(Outcome::Unsupported(why)),
            ScopeEnd::Pending(r) => return Ok(Outcome::Pending(r)),
        }
        end = end.max(env.now_ms);
    }
    env.now_ms = end;
    env.trace.lifecycle(env.now_ms, "MapStateSucceeded", None);
    let result = run.stage(StageKind::Result, Arc::new(Value::Array(outputs)), None);
    Ok(after_result(state, input, result, env, run)?)
}
