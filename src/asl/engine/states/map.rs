//! Map states (rules 5.5, 15.x). Iterations run in item order, deterministically; with
//! MaxConcurrency 1 each starts when the previous ended, otherwise all start together on the
//! virtual clock. DISTRIBUTED mode runs each iteration as a child execution: its stages are
//! shown (so it can be stepped), but its events stay out of this history, as AWS records only
//! `MapRunStarted`/`MapRunSucceeded` (`scenarios/test_map_state_config_distributed*`).

mod batch;
mod limits;

use std::sync::Arc;

use serde_json::{Value, json};

use crate::asl::definition::{MapMode, MapState, State};
use crate::asl::engine::env::{Env, Run};
use crate::asl::engine::io::Failure;
use crate::asl::engine::pipeline::Pipeline;
use crate::asl::engine::scope::{ScopeEnd, run_scope};
use crate::asl::engine::stage::StageKind;
use crate::asl::engine::tasks::{MapSettings, StateRequest};
use crate::asl::engine::trace::Trace;
use crate::asl::engine::visit::{Fault, Outcome, Thrown};
use crate::asl::jsonpath::Roots;

/// A Map (rule 5.5): InputPath, ItemsPath, MaxConcurrency, tolerance, ItemSelector (or legacy
/// Parameters) per item with `$$.Map.Item`, ItemBatcher, iterations, then ResultSelector,
/// ResultPath, OutputPath.
pub(super) fn map(
    pipeline: Pipeline,
    state: &State,
    m: &MapState,
    input: &Arc<Value>,
    env: &mut Env,
    run: &mut Run,
) -> Result<Outcome, Fault> {
    // rule 15.11: S3 readers and writers need AWS; say so instead of inventing data.
    if m.item_reader.is_some() {
        return Err(Failure::unsupported(
            "Map ItemReader reads items from S3, which cannot be read locally; put the items in the input and use ItemsPath",
        )
        .into());
    }
    if m.result_writer.is_some() {
        return Err(
            Failure::unsupported("Map ResultWriter writes results to S3, which cannot be written locally").into()
        );
    }
    let effective = pipeline.effective_input(state, input, env, run)?;
    let items = pipeline.items(m, input, &effective, env)?;
    // An array: the pipeline checked it.
    let list = items.as_array().map_or(&[][..], Vec::as_slice);
    // AWS evaluates MaxConcurrencyPath before MapStateStarted, the tolerance after it
    // (`scenarios/test_max_concurrency_path(*)` vs `test_map_state_tolerated_failure_*`).
    let max_concurrency = pipeline.number(m.max_concurrency.as_ref(), "MaxConcurrency", input, env)?;
    let concurrency =
        limits::max_concurrency(max_concurrency.as_ref().or(m.max_concurrency.as_ref()), &env.roots(&effective))?;
    if let Some(p) = m.items_path.as_ref().filter(|_| pipeline == Pipeline::JsonPath) {
        let source = env.scratch.source("ItemsPath", p.span, || p.value.text().to_string());
        run.note(StageKind::AfterItemsPath, items.clone(), Some(source));
    }
    env.trace.lifecycle(env.now_ms, "MapStateStarted", Some(json!({"length": list.len()})));
    let count = pipeline.number(m.tolerated_failure_count.as_ref(), "ToleratedFailureCount", input, env)?;
    let percentage =
        pipeline.number(m.tolerated_failure_percentage.as_ref(), "ToleratedFailurePercentage", input, env)?;
    let tolerance = limits::tolerance(
        count.as_ref().or(m.tolerated_failure_count.as_ref()),
        percentage.as_ref().or(m.tolerated_failure_percentage.as_ref()),
        &env.roots(&effective),
    )?;
    let distributed = m.mode == MapMode::Distributed;
    if distributed {
        let arn = map_run_arn(env, m);
        env.trace.lifecycle(env.now_ms, "MapRunStarted", Some(json!({"mapRunArn": arn})));
    }

    let mut inputs = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        inputs.push(match &m.item_selector {
            None => item.clone(),
            Some(sel) => pipeline.item_selector(sel, input, &effective, i, item, env)?,
        });
    }
    // The per-item inputs and the batches are stages of the Map itself, as TestState's
    // inspectionData has them (copied once: the iterations take the originals).
    if let Some(sel) = &m.item_selector {
        let source = env.scratch.source("ItemSelector", sel.span, || crate::asl::engine::pipeline::short(&sel.value));
        run.note(StageKind::AfterItemSelector, Arc::new(Value::Array(inputs.clone())), Some(source));
    }
    if let Some(b) = &m.item_batcher {
        let roots = Roots { input: &effective, context: env.context, variables: env.variables };
        let batcher = batch::Batcher::resolve(&b.value, &roots, &mut *env.entropy)?;
        inputs = batcher.batches(inputs);
        let source = env.scratch.source("ItemBatcher", b.span, || crate::asl::engine::pipeline::short(&b.value));
        run.note(StageKind::AfterItemBatcher, Arc::new(Value::Array(inputs.clone())), Some(source));
    }
    run.flush(env);
    let settings = MapSettings {
        max_concurrency: concurrency,
        tolerated_failure_count: tolerance.and_then(|t| t.count),
        tolerated_failure_percentage: tolerance.and_then(|t| t.percentage),
    };
    let request = StateRequest { state: state.name.clone(), location: env.location.to_string(), map: Some(settings) };
    if let Some(answer) = env.tasks.answer_state(&request) {
        return super::parallel::whole_state(answer, pipeline, state, input, env, run);
    }

    let total = inputs.len();
    let start = env.now_ms;
    let mut end = start;
    let mut slots = Slots::new(concurrency, distributed, start, total);
    let mut outputs = Vec::with_capacity(total);
    let mut failed = 0usize;
    for (i, item_input) in inputs.into_iter().enumerate() {
        let slot = slots.take();
        env.now_ms = slots.free_at(slot);
        let location = env.nested(&state.name, &format!("item {i}"));
        let ids = json!({"index": i, "name": state.name});
        let ended = if distributed {
            child_execution(env, m, Arc::new(item_input), location)
        } else {
            env.trace.lifecycle(env.now_ms, "MapIterationStarted", Some(ids.clone()));
            run_scope(env, &m.processor, Arc::new(item_input), location)
        };
        end = end.max(env.now_ms);
        slots.release(slot, env.now_ms);
        match ended {
            ScopeEnd::Succeeded(out) => {
                if !distributed {
                    env.trace.lifecycle(env.now_ms, "MapIterationSucceeded", Some(ids));
                }
                outputs.push(Arc::unwrap_or_clone(out));
            }
            ScopeEnd::Failed(t) => {
                if !distributed {
                    env.trace.lifecycle(env.now_ms, "MapIterationFailed", Some(ids));
                }
                failed += 1;
                match tolerance {
                    // rule 15.10: no tolerance ⇒ the iteration's own error fails the Map.
                    None => return Err(map_failed(env, distributed, Fault::Thrown(t))),
                    Some(tol) if tol.exceeded(failed, total) => {
                        let f = limits::threshold_exceeded();
                        return Err(map_failed(
                            env,
                            distributed,
                            Fault::Thrown(Thrown { error: Some(f.error), cause: Some(f.cause) }),
                        ));
                    }
                    // A tolerated failure leaves its error output in the result.
                    Some(_) => outputs.push(error_output(&t)),
                }
            }
            ScopeEnd::Unsupported(why) => return Ok(Outcome::Unsupported(why)),
            ScopeEnd::Pending(r) => return Ok(Outcome::Pending(r)),
        }
    }
    env.now_ms = end;
    if distributed {
        env.trace.lifecycle(env.now_ms, "MapRunSucceeded", None);
    }
    env.trace.lifecycle(env.now_ms, "MapStateSucceeded", None);
    let outputs = Value::Array(outputs);
    // rule 6.1: the collected result is a state result like any other.
    if crate::asl::engine::limits::exceeds_payload_limit(&outputs) {
        return Err(Failure::result_too_large(&state.name).into());
    }
    let result = run.stage(StageKind::Result, Arc::new(outputs), None);
    Ok(pipeline.after_result(state, input, result, env, run)?)
}

/// Concurrency on the virtual clock: iteration `i` starts when one of the `MaxConcurrency`
/// slots is free (the earliest; ties to the lowest slot), so with 1 they run back to back and
/// with N they run in waves. Unbounded inline Maps still run at most 40 at a time (rule 18.7:
/// AWS's effective inline concurrency); distributed ones up to 10,000.
struct Slots {
    free: Vec<i64>,
}

impl Slots {
    fn new(max_concurrency: u64, distributed: bool, start: i64, items: usize) -> Slots {
        let cap = if distributed { 10_000 } else { 40 };
        let n = if max_concurrency == 0 { cap } else { max_concurrency.min(cap) };
        // More slots than items would never be used.
        Slots { free: vec![start; (n as usize).min(items).max(1)] }
    }

    /// The slot the next iteration runs in.
    fn take(&self) -> usize {
        let mut best = 0;
        for (i, t) in self.free.iter().enumerate() {
            if *t < self.free[best] {
                best = i;
            }
        }
        best
    }

    fn free_at(&self, slot: usize) -> i64 {
        self.free[slot]
    }

    fn release(&mut self, slot: usize, at: i64) {
        self.free[slot] = at;
    }
}

/// Closes a failed map run; `MapStateFailed` is the visit's to write, only when no retry
/// follows (`scenarios/test_map_state_retry`).
fn map_failed(env: &mut Env, distributed: bool, fault: Fault) -> Fault {
    if distributed {
        env.trace.lifecycle(env.now_ms, "MapRunFailed", None);
    }
    fault
}

fn error_output(t: &Thrown) -> Value {
    let mut o = serde_json::Map::new();
    if let Some(e) = &t.error {
        o.insert("Error".into(), Value::String(e.to_string()));
    }
    if let Some(c) = &t.cause {
        o.insert("Cause".into(), Value::String(c.clone()));
    }
    Value::Object(o)
}

/// A DISTRIBUTED iteration: a child execution with its own history (never merged into this
/// one), its own event quota and no access to the parent's variables (rule 7.10; AWS's
/// variables guide: child workflows of a Distributed Map cannot reference outer scopes —
/// pass values through ItemSelector). Its stages still go into this trace so the debugger
/// can step through it.
fn child_execution(
    env: &mut Env,
    m: &MapState,
    input: Arc<Value>,
    location: crate::asl::engine::stage::Location,
) -> ScopeEnd {
    let mut child = Trace::new(1);
    let no_variables = serde_json::Map::new();
    let ended = {
        let mut inner = Env {
            config: env.config,
            context: &mut *env.context,
            variables: &no_variables,
            entropy: &mut *env.entropy,
            now_ms: env.now_ms,
            trace: &mut child,
            tasks: env.tasks,
            answers: env.answers,
            invocations: &mut *env.invocations,
            location: env.location.clone(),
            budget: env.config.max_history_events,
            scratch: &mut *env.scratch,
        };
        let ended = run_scope(&mut inner, &m.processor, input, location);
        env.now_ms = inner.now_ms;
        ended
    };
    for item in child.items {
        if let crate::asl::engine::trace::Item::Stage(s) = item {
            env.trace.stage(s);
        }
    }
    ended
}

/// `arn:aws:states:<region>:<account>:mapRun:<machine>/<Label or run id>:<run id>`, as AWS
/// shows it in `MapRunStarted` (`scenarios/test_map_state_label`). The run id is derived from
/// the event position rather than drawn from the seed, so adding a Map does not shift the
/// random values everything after it sees.
fn map_run_arn(env: &Env, m: &MapState) -> String {
    let id = format!("00000000-0000-4000-8000-{:012x}", env.trace.next_id());
    let label = m.label.as_ref().map_or(id.as_str(), |l| l.value.as_str());
    format!(
        "arn:aws:states:{}:{}:mapRun:{}/{label}:{id}",
        env.config.region, env.config.account, env.config.state_machine_name
    )
}
