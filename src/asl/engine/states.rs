//! What each state type does with its input, as a list of stages and an outcome. One function
//! per state type; the execution loop (`execution`) owns history, clock and variables.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::asl::definition::{
    Expr, Fail, FailText, PathOrNull, QueryLanguage, Spanned, State, StateKind, Template, Transition, Wait, WaitFor,
};
use crate::asl::engine::choice;
use crate::asl::engine::io::{self, Failure};
use crate::asl::engine::stage::{StageDetail, StageKind};
use crate::asl::jsonpath::{Roots, Variables};
use crate::asl::source::Span;
use crate::asl::world::Entropy;

/// Longest Wait AWS accepts: 2^31 − 1 seconds (ASL-NOTES 14: 24,855 days pass, 24,856 fail).
pub const MAX_WAIT_SECONDS: f64 = 2_147_483_647.0;

/// One stage as computed, before the loop numbers it.
pub(crate) struct Staged {
    pub kind: StageKind,
    pub value: Arc<Value>,
    pub field: Option<&'static str>,
    pub expr: Option<String>,
    pub span: Option<Span>,
    pub detail: Option<StageDetail>,
}

/// How a state ended.
pub(crate) enum Outcome {
    Next(String, Arc<Value>),
    End(Arc<Value>),
    /// The state failed (a runtime error, or a Fail state). `error`/`cause` may be absent only
    /// for a Fail state without them.
    Failed {
        error: Option<String>,
        cause: Option<String>,
        runtime: bool,
    },
    /// The engine cannot run this yet; the execution stops with this reason.
    Unsupported(String),
}

/// The evaluation of one state visit.
pub(crate) struct StateRun {
    pub stages: Vec<Staged>,
    pub outcome: Outcome,
    /// Variables this state assigned (visible from the next state on).
    pub assigned: Option<Map<String, Value>>,
    /// Virtual time the state took (Wait).
    pub elapsed_ms: i64,
}

/// Everything a state evaluation reads.
pub(crate) struct Env<'a> {
    pub context: &'a Value,
    pub variables: &'a Map<String, Value>,
    pub entropy: &'a mut dyn Entropy,
    pub now_ms: i64,
}

impl Env<'_> {
    fn roots<'v>(&'v self, input: &'v Value) -> Roots<'v> {
        Roots { input, context: self.context, variables: self.variables as &dyn Variables }
    }
}

struct Run {
    stages: Vec<Staged>,
    assigned: Option<Map<String, Value>>,
    elapsed_ms: i64,
}

impl Run {
    /// Records a stage; the value is shared with the caller, never copied.
    fn stage(&mut self, kind: StageKind, value: Arc<Value>, field: Option<(&'static str, String, Span)>) -> Arc<Value> {
        let (field, expr, span) = match field {
            Some((f, e, s)) => (Some(f), Some(e), Some(s)),
            None => (None, None, None),
        };
        self.stages.push(Staged { kind, value: value.clone(), field, expr, span, detail: None });
        value
    }

    fn done(self, outcome: Outcome) -> StateRun {
        StateRun { stages: self.stages, outcome, assigned: self.assigned, elapsed_ms: self.elapsed_ms }
    }

    fn fail(mut self, f: Failure) -> StateRun {
        if let Some(last) = self.stages.last_mut() {
            last.detail = Some(StageDetail::Error { error: f.error.clone(), cause: f.cause.clone() });
        }
        let runtime = f.error != "statescope.Unsupported";
        if !runtime {
            return self.done(Outcome::Unsupported(f.cause));
        }
        self.done(Outcome::Failed { error: Some(f.error), cause: Some(f.cause), runtime })
    }
}

/// Runs one state on `input`.
pub(crate) fn run_state(state: &State, input: &Arc<Value>, env: &mut Env) -> StateRun {
    let mut run = Run { stages: Vec::new(), assigned: None, elapsed_ms: 0 };
    run.stage(StageKind::Input, input.clone(), None);
    if state.query_language == QueryLanguage::Jsonata {
        return run.fail(io::jsonata_unsupported());
    }
    match jsonpath_state(state, input, env, &mut run) {
        Ok(outcome) => run.done(outcome),
        Err(f) => run.fail(f),
    }
}

fn path_field(f: &Spanned<PathOrNull>, name: &'static str) -> (&'static str, String, Span) {
    let text = match &f.value {
        PathOrNull::Path(p) => p.text().to_string(),
        PathOrNull::Null => "null".into(),
    };
    (name, text, f.span)
}

fn template_field(t: &Spanned<Template>, name: &'static str) -> (&'static str, String, Span) {
    (name, format!("{name}: {{…}}"), t.span)
}

/// InputPath (and Parameters, where the type has it): the effective input. Shares the raw
/// input when neither field is present.
fn effective_input(state: &State, input: &Arc<Value>, env: &mut Env, run: &mut Run) -> Result<Arc<Value>, Failure> {
    let io = &state.io;
    let mut value = match &io.input_path {
        None => input.clone(),
        Some(f) => {
            let v = Arc::new(io::filter_path(Some(f), &env.roots(input))?);
            run.stage(StageKind::AfterInputPath, v, Some(path_field(f, "InputPath")))
        }
    };
    if let Some(p) = &io.parameters {
        let roots = Roots { input: &value, context: env.context, variables: env.variables };
        let v = Arc::new(io::template(&p.value, &roots, env.entropy)?);
        value = run.stage(StageKind::AfterParameters, v, Some(template_field(p, "Parameters")));
    }
    Ok(value)
}

fn jsonpath_state(state: &State, input: &Arc<Value>, env: &mut Env, run: &mut Run) -> Result<Outcome, Failure> {
    let effective = effective_input(state, input, env, run)?;
    let result = match &state.kind {
        StateKind::Pass(p) => match &p.result {
            Some(r) => run.stage(StageKind::Result, Arc::new(r.value.clone()), Some(("Result", "Result: {…}".into(), r.span))),
            None => effective,
        },
        StateKind::Succeed => return finish(state, &effective, env, run),
        StateKind::Fail(f) => return fail_state(f, input, env),
        StateKind::Wait(w) => {
            wait(w, &effective, env, run)?;
            return finish(state, &effective, env, run);
        }
        StateKind::Choice(c) => {
            let roots = env.roots(&effective);
            let outcome =
                choice::evaluate(&c.choices, &roots).map_err(|e| Failure { error: e.error, cause: e.cause })?;
            let (next, assign) = match outcome.matched {
                Some(i) => (c.choices[i].next.as_ref().map(|n| n.value.clone()), c.choices[i].assign.as_ref()),
                None => (c.default.as_ref().map(|d| d.value.clone()), state.io.assign.as_ref()),
            };
            let Some(next) = next else {
                return Err(Failure { error: "States.NoChoiceMatched".into(), cause: "No Matches!".into() });
            };
            if let Some(a) = assign {
                run.assigned = Some(assign_vars(a, &effective, env)?);
            }
            let out = output_stage(state, &effective, env, run)?;
            if let Some(last) = run.stages.last_mut() {
                last.detail = Some(StageDetail::Choice(outcome));
            }
            return Ok(Outcome::Next(next, out));
        }
        StateKind::Task(_) => {
            return Err(unsupported("Task states need a mock or an answer; task results arrive in a later version"));
        }
        StateKind::Parallel(_) => return Err(unsupported("Parallel states are not executed yet")),
        StateKind::Map(_) => return Err(unsupported("Map states are not executed yet")),
    };
    if let Some(a) = &state.io.assign {
        run.assigned = Some(assign_vars(a, &result, env)?);
    }
    let after = match &state.io.result_path {
        None => result,
        Some(f) => {
            // ResultPath writes into a copy of the raw input (the history still holds it).
            let written = io::result_path(Some(f), (**input).clone(), Arc::unwrap_or_clone(result))?;
            run.stage(StageKind::AfterResultPath, Arc::new(written), Some(path_field(f, "ResultPath")))
        }
    };
    finish(state, &after, env, run)
}

fn unsupported(why: &str) -> Failure {
    Failure { error: "statescope.Unsupported".into(), cause: why.into() }
}

fn assign_vars(a: &Spanned<Template>, input: &Value, env: &mut Env) -> Result<Map<String, Value>, Failure> {
    let roots = Roots { input, context: env.context, variables: env.variables };
    match io::template(&a.value, &roots, env.entropy)? {
        Value::Object(m) => Ok(m),
        other => Err(Failure::runtime(format!("Assign must produce an object, not {other}"))),
    }
}

/// OutputPath (shares the value when absent).
fn output_stage(state: &State, value: &Arc<Value>, env: &mut Env, run: &mut Run) -> Result<Arc<Value>, Failure> {
    let output = match &state.io.output_path {
        None => value.clone(),
        Some(f) => Arc::new(io::filter_path(Some(f), &env.roots(value))?),
    };
    Ok(run.stage(StageKind::Output, output, state.io.output_path.as_ref().map(|f| path_field(f, "OutputPath"))))
}

/// OutputPath, then the transition.
fn finish(state: &State, value: &Arc<Value>, env: &mut Env, run: &mut Run) -> Result<Outcome, Failure> {
    let out = output_stage(state, value, env, run)?;
    Ok(match &state.transition {
        Transition::Next(n) => Outcome::Next(n.value.clone(), out),
        Transition::End | Transition::None => Outcome::End(out),
    })
}

fn fail_state(f: &Fail, input: &Value, env: &mut Env) -> Result<Outcome, Failure> {
    let mut text = |t: &Option<Spanned<FailText>>, field: &str| -> Result<Option<String>, Failure> {
        let Some(t) = t else { return Ok(None) };
        let v = match &t.value {
            FailText::Literal(s) => return Ok(Some(s.clone())),
            FailText::Expr(Expr::Path(p)) => p.select(&env.roots(input)).map_err(|_| {
                Failure::runtime(format!(
                    "The JSONPath '{}' specified for the field '{field}' could not be found in the input '{input}'",
                    p.text()
                ))
            })?,
            FailText::Expr(Expr::Intrinsic(c)) => {
                let roots = Roots { input, context: env.context, variables: env.variables };
                c.eval(&roots, env.entropy).map_err(|e| Failure { error: e.error, cause: e.cause })?
            }
            FailText::Expr(Expr::Jsonata(_)) => return Err(io::jsonata_unsupported()),
        };
        Ok(Some(match v {
            Value::String(s) => s,
            other => other.to_string(),
        }))
    };
    let error = text(&f.error, "ErrorPath")?;
    let cause = text(&f.cause, "CausePath")?;
    Ok(Outcome::Failed { error, cause, runtime: false })
}

fn wait(w: &Wait, effective: &Value, env: &mut Env, run: &mut Run) -> Result<(), Failure> {
    let roots = env.roots(effective);
    let seconds = match &w.wait_for.value {
        WaitFor::Seconds(crate::asl::definition::NumberSource::Literal(v)) => v.as_f64().unwrap_or(0.0),
        WaitFor::SecondsPath(p) => {
            let v =
                p.select(&roots).map_err(|_| Failure::runtime(format!("Invalid path '{}' : No results", p.text())))?;
            seconds_from_path(p.text(), &v)?
        }
        WaitFor::TimestampLiteral(s) => seconds_until(s, env.now_ms).unwrap_or(0.0),
        WaitFor::TimestampPath(p) => {
            let v =
                p.select(&roots).map_err(|_| Failure::runtime(format!("Invalid path '{}' : No results", p.text())))?;
            let s = v.as_str().unwrap_or_default();
            seconds_until(s, env.now_ms).ok_or_else(|| {
                Failure::runtime(format!(
                    "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {} == {s}",
                    p.text()
                ))
            })?
        }
        _ => return Err(io::jsonata_unsupported()),
    };
    if seconds > MAX_WAIT_SECONDS {
        return Err(Failure::runtime("Wait state delay is too long."));
    }
    let ms = (seconds.max(0.0) * 1000.0).round() as i64;
    run.elapsed_ms = ms;
    if let Some(last) = run.stages.last_mut() {
        last.detail = Some(StageDetail::Wait { seconds, until_ms: env.now_ms + ms });
    }
    Ok(())
}

/// SecondsPath must give a non-negative integer (rule 11.2).
fn seconds_from_path(path: &str, v: &Value) -> Result<f64, Failure> {
    match v.as_i64() {
        Some(n) if n < 0 => {
            Err(Failure::runtime(format!("The SecondsPath parameter references a negative value: {path} == {n}")))
        }
        Some(n) => Ok(n as f64),
        None => {
            Err(Failure::runtime(format!("The SecondsPath parameter cannot be parsed as a long value: {path} == {v}")))
        }
    }
}

fn seconds_until(_timestamp: &str, _now_ms: i64) -> Option<f64> {
    // Filled in with the strict RFC 3339 parser.
    Some(0.0)
}
