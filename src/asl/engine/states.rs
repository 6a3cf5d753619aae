//! What each state type does with its input. `visit` runs one state visit (entered event,
//! stages, Retry/Catch, exited event) into a [`Trace`]; one function per state type computes
//! the stages and outcome; Parallel branches and Map iterations run as nested scopes writing
//! into the same trace. The execution loop (`execution`) reveals the trace one stage at a time.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::asl::definition::{
    Expr, Fail, FailText, NumberSource, PathOrNull, QueryLanguage, Scope, Spanned, State, StateKind, StateName,
    Template, Transition, Wait, WaitFor,
};
use crate::asl::engine::choice;
use crate::asl::engine::config::ExecutionConfig;
use crate::asl::engine::history::EventKind;
use crate::asl::engine::io::{self, Failure};
use crate::asl::engine::limits;
use crate::asl::engine::retry::{Decision, RetryState};
use crate::asl::engine::stage::{FieldSource, Location, StageDetail, StageKind, StageRecord};
use crate::asl::engine::tasks::{RecordedAnswers, TaskRequest, TaskSource};
use crate::asl::engine::trace::Trace;
use crate::asl::jsonpath::{Roots, SelectError, Variables};
use crate::asl::source::Span;
use crate::asl::world::Entropy;

/// Longest Wait AWS accepts: 2^31 − 1 seconds (ASL-NOTES 14: 24,855 days pass, 24,856 fail).
pub const MAX_WAIT_SECONDS: f64 = 2_147_483_647.0;

/// How a state visit ended.
#[derive(Clone)]
pub(crate) enum Outcome {
    Next(StateName, Arc<Value>),
    End(Arc<Value>),
    /// The state failed and nothing caught it. `error`/`cause` are final (prefixed where AWS
    /// prefixes them) and may be absent only when a Fail state had none.
    Failed {
        error: Option<String>,
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
    pub error: Option<String>,
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

/// Everything a state evaluation reads and advances.
pub(crate) struct Env<'a> {
    pub config: &'a ExecutionConfig,
    /// `$$`; its `State` (and `Task`) part is rewritten on every entry.
    pub context: &'a mut Value,
    pub variables: &'a Map<String, Value>,
    pub entropy: &'a mut dyn Entropy,
    /// The virtual clock of this scope; Wait and retries advance it.
    pub now_ms: i64,
    pub trace: &'a mut Trace,
    pub tasks: &'a dyn TaskSource,
    pub answers: &'a RecordedAnswers,
    /// Invocations per Task state so far (Step Functions Local counts mock responses so).
    pub invocations: &'a mut BTreeMap<String, u32>,
    /// Where the scope sits: empty at top level, else `Fan › branch 2`.
    pub location: Location,
    /// History events this trace may still add before the execution hits its quota.
    pub budget: usize,
    pub scratch: &'a mut Scratch,
}

impl Env<'_> {
    fn roots<'v>(&'v self, input: &'v Value) -> Roots<'v> {
        Roots { input, context: self.context, variables: self.variables as &dyn Variables }
    }

    /// A nested location for a branch or iteration of `state`.
    fn nested(&self, state: &str, what: &str) -> Location {
        if self.location.is_empty() {
            Location::new(format!("{state} › {what}"))
        } else {
            Location::new(format!("{} › {state} › {what}", self.location))
        }
    }
}

/// The stages of one visit as they are computed. Borrows the state's name: each stage takes
/// its own count of it, the run needs none (reference counts showed in the per-state cost).
struct Run<'s> {
    state: &'s Arc<str>,
    location: Location,
    /// Numbered (`index`) only when revealed.
    stages: Vec<StageRecord>,
    assigned: Option<Map<String, Value>>,
    /// Virtual time the state took (Wait).
    elapsed_ms: i64,
}

impl<'s> Run<'s> {
    /// A run whose stages go into `buffer` (an empty one from [`Scratch::buffer`]).
    fn new(name: &'s Arc<str>, location: &Location, buffer: Vec<StageRecord>) -> Run<'s> {
        Run { state: name, location: location.clone(), stages: buffer, assigned: None, elapsed_ms: 0 }
    }

    /// Records a stage; the value is shared with the caller, never copied.
    fn stage(&mut self, kind: StageKind, value: Arc<Value>, source: Option<Arc<FieldSource>>) -> Arc<Value> {
        self.note(kind, value.clone(), source);
        value
    }

    /// Records a stage whose value the caller no longer needs.
    fn note(&mut self, kind: StageKind, value: Arc<Value>, source: Option<Arc<FieldSource>>) {
        self.stages.push(StageRecord {
            index: 0,
            state: self.state.clone(),
            location: self.location.clone(),
            kind,
            value,
            source,
            detail: None,
            retry: None,
            near_limit: false,
        });
    }

    /// Moves the stages recorded so far into the trace (before nested scopes write theirs).
    fn flush(&mut self, trace: &mut Trace) {
        trace.stages(&mut self.stages);
    }

    /// Flushes the stages and hands the emptied buffer back for the next state.
    fn finish(mut self, trace: &mut Trace, scratch: &mut Scratch) {
        self.flush(trace);
        scratch.stage_buffers.push(self.stages);
    }
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
                error: Some("States.Runtime".into()),
                cause: Some(format!("The execution reached the maximum number of history events ({max}).")),
            },
            assigned: None,
        };
    }
    let entered_ms = env.now_ms;
    let entered_id = env.trace.event(
        entered_ms,
        EventKind::StateEntered {
            state_type: state.kind.state_type(),
            name: state.shared_name.clone(),
            input: input.clone(),
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
        let result = match payload_size(env.scratch, input, &mut run, StageKind::Input) {
            Ok(_) => evaluate(state, input, env, &mut run),
            Err(limits::Refused::TooLarge) => Err(Fault::Own(Failure::input_too_large(&state.name))),
            Err(limits::Refused::TooDeep) => Err(Fault::Own(Failure::too_deep("input"))),
        };
        let result = output_within_quota(result, state, env.scratch, &mut run);
        let assigned = run.assigned.take();
        env.now_ms += run.elapsed_ms;
        run.finish(env.trace, env.scratch);
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
            Err(Fault::Own(f)) if f.error == "statescope.Unsupported" => {
                return Visit { outcome: Outcome::Unsupported(f.cause), assigned: None };
            }
            Err(Fault::Own(f)) => {
                own = true;
                let cause = final_cause(&f, &state.name, entered_id);
                // AWS records a JSONata failure as an `EvaluationFailed` event first
                // (`assign/test_undefined_reference(*)`, `scenarios/test_map_state_items_*`).
                if f.error == "States.QueryEvaluationError" {
                    let mut d = Map::new();
                    d.insert("cause".into(), Value::String(cause.clone()));
                    d.insert("error".into(), Value::String(f.error.clone()));
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
        let name = thrown.error.clone().unwrap_or_default();
        let detail = StageDetail::Error { error: name.clone(), cause: thrown.cause.clone().unwrap_or_default() };
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
                    last.retry = Some(Box::new(crate::asl::engine::stage::RetryMark {
                        retrier,
                        attempt,
                        delay_seconds,
                        failed_at_ms,
                        retry_at_ms: env.now_ms,
                    }));
                }
            }
            Decision::Catch(i) => return caught(env, state, i, input, thrown, entered_id),
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
            output: output.clone(),
            assigned_variables: assigned.clone().map(Arc::new),
        },
    );
}

/// A caught error (rule 5.10): the catcher's Assign over the error output, its ResultPath into
/// the raw input, no OutputPath, then its Next.
fn caught(env: &mut Env, state: &State, index: usize, input: &Arc<Value>, thrown: Thrown, entered_id: u32) -> Visit {
    let catcher = &state.catch[index];
    // Rule 16.9: `{Error, Cause}`; AWS writes an empty Cause when there is none (a mocked
    // timeout without cause was caught as `"Cause": ""`).
    let mut error_output = Map::new();
    error_output.insert("Error".into(), Value::String(thrown.error.unwrap_or_default()));
    error_output.insert("Cause".into(), Value::String(thrown.cause.unwrap_or_default()));
    let error_output = Value::Object(error_output);
    let mut run = Run::new(&state.shared_name, &env.location, env.scratch.buffer());
    type Assigned = Option<Map<String, Value>>;
    // Both languages end with the `output` stage recorded; the catch is noted on it.
    let result = (|| -> Result<(Assigned, Arc<Value>), Failure> {
        if state.query_language == QueryLanguage::Jsonata {
            let out = jsonata::caught_output(
                env,
                &mut run,
                input,
                &error_output,
                catcher.assign.as_ref(),
                catcher.output.as_ref(),
            )?;
            return Ok((run.assigned.take(), out));
        }
        let assigned = match &catcher.assign {
            Some(a) => Some(assign_vars(a, &error_output, env, &mut run)?),
            None => None,
        };
        let written = io::result_path(catcher.result_path.as_ref(), (**input).clone(), error_output.clone())?;
        let field = catcher.result_path.as_ref().map(|f| path_field(env, f, "ResultPath"));
        let written = run.stage(StageKind::AfterResultPath, Arc::new(written), field);
        // No OutputPath after a catch (rule 5.10).
        Ok((assigned, run.stage(StageKind::Output, written, None)))
    })();
    match result {
        Ok((assigned, out)) => {
            if let Some(last) = run.stages.last_mut() {
                last.detail = Some(Box::new(StageDetail::Caught { catcher: index, next: catcher.next.value.clone() }));
            }
            run.finish(env.trace, env.scratch);
            exited(env, state, &out, &assigned);
            Visit { outcome: Outcome::Next(catcher.next.value.clone(), out), assigned }
        }
        Err(f) => {
            run.finish(env.trace, env.scratch);
            let cause = final_cause(&f, &state.name, entered_id);
            Visit { outcome: Outcome::Failed { error: Some(f.error), cause: Some(cause) }, assigned: None }
        }
    }
}

/// The size of a state's input or output (AWS's quota, rule 6.1), flagging its stage when it is
/// near the quota; `None` above it. The last value measured is kept, so a state's output that
/// becomes the next state's input unchanged (a Choice, a Wait) is measured once.
fn payload_size(
    scratch: &mut Scratch,
    value: &Arc<Value>,
    run: &mut Run,
    kind: StageKind,
) -> Result<usize, limits::Refused> {
    let size = match &scratch.measured {
        Some((v, n)) if Arc::ptr_eq(v, value) => Ok(*n),
        _ => limits::measure(value, limits::MAX_PAYLOAD_BYTES, crate::asl::depth::MAX_VALUE_DEPTH),
    };
    if let Ok(n) = size {
        scratch.measured = Some((value.clone(), n));
    }
    if size.is_err_and(|e| e == limits::Refused::TooLarge) || size.is_ok_and(|n| n > limits::NEAR_LIMIT_BYTES) {
        if let Some(s) = run.stages.iter_mut().rev().find(|s| s.kind == kind && Arc::ptr_eq(&s.value, value)) {
            s.near_limit = true;
        }
    }
    size
}

/// A state's output over the quota fails it with `States.DataLimitExceeded` (its own error, so
/// terminal: rule 6.2) before it is exited.
fn output_within_quota(
    result: Result<Outcome, Fault>,
    state: &State,
    scratch: &mut Scratch,
    run: &mut Run,
) -> Result<Outcome, Fault> {
    if let Ok(Outcome::Next(_, out) | Outcome::End(out)) = &result {
        match payload_size(scratch, out, run, StageKind::Output) {
            Ok(_) => {}
            Err(limits::Refused::TooLarge) => return Err(Fault::Own(Failure::result_too_large(&state.name))),
            Err(limits::Refused::TooDeep) => return Err(Fault::Own(Failure::too_deep("output"))),
        }
    }
    result
}

/// How a nested scope (a Parallel branch, a Map iteration) ended.
pub(crate) enum ScopeEnd {
    Succeeded(Arc<Value>),
    Failed(Thrown),
    Unsupported(String),
    Pending(TaskRequest),
}

/// Runs a nested scope to its end. Its variables start as the enclosing ones at the container's
/// entry and are discarded at its end (rule 7.5); `env.now_ms` is left at the scope's end time.
fn run_scope(env: &mut Env, scope: &Scope, input: Arc<Value>, location: Location) -> ScopeEnd {
    // Inner states rewrite only `$$.State` (and `$$.Task`): those are put back at the end, so
    // the rest of the context (the execution input among it) is shared, not copied per
    // iteration (copying made a 1,000-item Map quadratic).
    let saved = ["State", "Task"].map(|k| (k, env.context.get(k).cloned()));
    let end = run_scope_states(env, scope, input, location);
    if let Some(o) = env.context.as_object_mut() {
        for (k, v) in saved {
            match v {
                Some(v) => {
                    o.insert(k.into(), v);
                }
                None => {
                    o.shift_remove(k);
                }
            }
        }
    }
    end
}

fn run_scope_states(env: &mut Env, scope: &Scope, input: Arc<Value>, location: Location) -> ScopeEnd {
    // Copied only when a state of the scope assigns (rule 7.5: the outer ones are read-only).
    let mut variables = std::borrow::Cow::Borrowed(env.variables);
    let mut index = scope.index_of(&scope.start_at.value);
    let mut input = input;
    loop {
        let Some(i) = index else {
            return ScopeEnd::Unsupported(format!("StartAt or Next names no state in {location}"));
        };
        let state = &scope.states[i];
        let mut inner = Env {
            config: env.config,
            context: &mut *env.context,
            variables: &variables,
            entropy: &mut *env.entropy,
            now_ms: env.now_ms,
            trace: &mut *env.trace,
            tasks: env.tasks,
            answers: env.answers,
            invocations: &mut *env.invocations,
            location: location.clone(),
            budget: env.budget,
            scratch: &mut *env.scratch,
        };
        let v = visit(&mut inner, state, &input);
        env.now_ms = inner.now_ms;
        match v.outcome {
            Outcome::Next(next, out) => {
                if let Some(assigned) = v.assigned {
                    variables.to_mut().extend(assigned);
                }
                index = scope.index_of(&next);
                input = out;
            }
            Outcome::End(out) => return ScopeEnd::Succeeded(out),
            Outcome::Failed { error, cause } => return ScopeEnd::Failed(Thrown { error, cause }),
            Outcome::Unsupported(why) => return ScopeEnd::Unsupported(why),
            Outcome::Pending(request) => return ScopeEnd::Pending(request),
        }
    }
}

mod jsonata;
mod map;
mod parallel;
mod task;

use map::map;
use parallel::parallel;
use task::task;

/// The state-type-specific part of a visit, after the `input` stage.
fn evaluate(state: &State, input: &Arc<Value>, env: &mut Env, run: &mut Run) -> Result<Outcome, Fault> {
    match &state.kind {
        StateKind::Task(t) => task(state, t, input, env, run),
        StateKind::Parallel(p) => parallel(state, p, input, env, run),
        StateKind::Map(m) => map(state, m, input, env, run),
        _ if state.query_language == QueryLanguage::Jsonata => {
            jsonata::simple_state(state, input, env, run).map_err(Fault::Own)
        }
        _ => jsonpath_state(state, input, env, run).map_err(Fault::Own),
    }
}

/// What an execution keeps from one state to the next so that visits do not redo or reallocate
/// it: field sources (`$.a`, a template as written; shown with every stage, and rendering them
/// on every visit showed up in profiles), each JSONata expression parsed once (validation
/// parsed it too, but the definition model keeps the text), and emptied stage buffers.
#[derive(Default)]
pub(crate) struct Scratch {
    sources: std::collections::HashMap<(u32, u32), Arc<FieldSource>, SpanHash>,
    jsonata:
        std::collections::HashMap<String, Result<Arc<crate::asl::jsonata::Ast>, crate::asl::jsonata::JsonataError>>,
    /// The value whose payload size was measured last, and its size (see `payload_size`).
    measured: Option<(Arc<Value>, usize)>,
    /// Emptied [`Run`] buffers: one per nesting level in use, so a visit allocates none.
    stage_buffers: Vec<Vec<StageRecord>>,
    /// The last entry time formatted, and when it was: the clock stands still between most
    /// entries, and formatting it on each one showed in the per-state cost.
    timestamp: (i64, String),
}

/// Keys here are spans, chosen by the definition, not by an attacker: a multiply-shift hash is
/// enough, and SipHash showed up in the per-stage cost.
#[derive(Clone, Copy, Default)]
pub(crate) struct SpanHash;

impl std::hash::BuildHasher for SpanHash {
    type Hasher = SpanHasher;
    fn build_hasher(&self) -> SpanHasher {
        SpanHasher(0)
    }
}

pub(crate) struct SpanHasher(u64);

impl std::hash::Hasher for SpanHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(n)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Scratch {
    /// The source of `field` at `span`; `expr` renders its text the first time.
    fn source(&mut self, field: &'static str, span: Span, expr: impl FnOnce() -> String) -> Arc<FieldSource> {
        let made = self.sources.entry((span.start, span.end));
        made.or_insert_with(|| Arc::new(FieldSource { field, expr: expr().into(), span })).clone()
    }

    /// `ms` as `$$.State.EnteredTime` shows it.
    fn timestamp(&mut self, ms: i64) -> &str {
        if self.timestamp.0 != ms || self.timestamp.1.is_empty() {
            crate::asl::engine::clock::write_millis(&mut self.timestamp.1, ms);
            self.timestamp.0 = ms;
        }
        &self.timestamp.1
    }

    /// An empty stage buffer, reused when one is free.
    fn buffer(&mut self) -> Vec<StageRecord> {
        self.stage_buffers.pop().unwrap_or_default()
    }

    fn jsonata(&mut self, text: &str) -> Result<Arc<crate::asl::jsonata::Ast>, crate::asl::jsonata::JsonataError> {
        if let Some(parsed) = self.jsonata.get(text) {
            return parsed.clone();
        }
        let parsed = crate::asl::jsonata::parse_version(text, crate::asl::jsonata::Version::V2_0).map(Arc::new);
        self.jsonata.insert(text.to_string(), parsed.clone());
        parsed
    }
}

fn path_field(env: &mut Env, f: &Spanned<PathOrNull>, name: &'static str) -> Arc<FieldSource> {
    env.scratch.source(name, f.span, || match &f.value {
        PathOrNull::Path(p) => p.text().to_string(),
        PathOrNull::Null => "null".into(),
    })
}

fn template_field(env: &mut Env, t: &Spanned<Template>, name: &'static str) -> Arc<FieldSource> {
    env.scratch.source(name, t.span, || short(&t.value))
}

/// Expression labels are for one line of a trace or a pane title; the span locates the rest.
/// Rendering stops at the limit, so a 256 KiB `Result` costs no more than a short one.
fn short(value: &dyn std::fmt::Display) -> String {
    use std::fmt::Write;
    const MAX: usize = 160;
    struct Bounded(String);
    impl Write for Bounded {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            let room = MAX.saturating_sub(self.0.len());
            if s.len() <= room {
                self.0.push_str(s);
                return Ok(());
            }
            let mut cut = room;
            while !s.is_char_boundary(cut) {
                cut -= 1;
            }
            self.0.push_str(&s[..cut]);
            self.0.push('…');
            Err(std::fmt::Error)
        }
    }
    let mut out = Bounded(String::new());
    let _ = write!(out, "{value}");
    out.0
}

/// InputPath (and Parameters, where the type has it): the effective input. Shares the raw
/// input when neither field is present.
fn effective_input(state: &State, input: &Arc<Value>, env: &mut Env, run: &mut Run) -> Result<Arc<Value>, Failure> {
    if state.query_language == QueryLanguage::Jsonata {
        return jsonata::arguments(state, input, env, run);
    }
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

fn jsonpath_state(state: &State, input: &Arc<Value>, env: &mut Env, run: &mut Run) -> Result<Outcome, Failure> {
    let effective = effective_input(state, input, env, run)?;
    let result = match &state.kind {
        StateKind::Pass(p) => match &p.result {
            Some(r) => {
                if crate::asl::engine::limits::exceeds_payload_limit(&r.value) {
                    return Err(Failure::result_too_large(&state.name));
                }
                let source = env.scratch.source("Result", r.span, || short(&r.value));
                run.stage(StageKind::Result, Arc::new(r.value.clone()), Some(source))
            }
            None => effective,
        },
        StateKind::Succeed => return finish(state, &effective, env, run),
        StateKind::Fail(f) => return fail_state(f, input, env),
        StateKind::Wait(w) => {
            wait(w, &effective, env, run)?;
            // rule 7.8: a Wait's Assign sees the effective input.
            if let Some(a) = &state.io.assign {
                run.assigned = Some(assign_vars(a, &effective, env, run)?);
            }
            return finish(state, &effective, env, run);
        }
        StateKind::Choice(c) => return choice_state(state, c, &effective, env, run),
        // `evaluate` sends these to their own modules; they never reach this function.
        StateKind::Task(_) | StateKind::Parallel(_) | StateKind::Map(_) => {
            return Err(unsupported("internal: Task, Parallel and Map are evaluated by their own modules"));
        }
    };
    after_result(state, input, result, env, run)
}

/// A JSONPath Choice: the first true rule (or Default), its Assign, OutputPath; the decision
/// is noted on the output stage.
fn choice_state(
    state: &State,
    c: &crate::asl::definition::Choice,
    effective: &Arc<Value>,
    env: &mut Env,
    run: &mut Run,
) -> Result<Outcome, Failure> {
    let outcome = choice::evaluate_state(c, effective, env.context, env.variables).map_err(|e| Failure {
        error: e.error,
        cause: e.cause,
        location: None,
    })?;
    let Some(next) = outcome.next.clone() else {
        return Err(no_choice_matched());
    };
    // The matched rule's Assign, or the state's own when Default is taken (rule 5.6).
    let assign = match outcome.matched {
        Some(i) => c.choices[i].assign.as_ref(),
        None => state.io.assign.as_ref(),
    };
    if let Some(a) = assign {
        run.assigned = Some(assign_vars(a, effective, env, run)?);
    }
    let out = output_stage(state, effective, env, run)?;
    if let Some(last) = run.stages.last_mut() {
        last.detail = Some(Box::new(StageDetail::Choice(outcome)));
    }
    Ok(Outcome::Next(next, out))
}

/// From a state's result to its output: Assign (`$` = the result, rule 7.8), ResultSelector,
/// ResultPath into the raw input, OutputPath, transition (rules 5.1–5.5).
fn after_result(
    state: &State,
    input: &Arc<Value>,
    result: Arc<Value>,
    env: &mut Env,
    run: &mut Run,
) -> Result<Outcome, Failure> {
    if state.query_language == QueryLanguage::Jsonata {
        return jsonata::after_result(state, input, result, env, run);
    }
    if let Some(a) = &state.io.assign {
        run.assigned = Some(assign_vars(a, &result, env, run)?);
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

/// No rule matched and there is no Default (rule 10.2). No AWS recording of the cause text
/// exists in the corpus; this one says what happened and how to fix it.
fn no_choice_matched() -> Failure {
    Failure {
        error: "States.NoChoiceMatched".into(),
        cause: "No Choice rule matched the input and the Choice state has no Default".into(),
        location: None,
    }
}

fn unsupported(why: &str) -> Failure {
    Failure { error: "statescope.Unsupported".into(), cause: why.into(), location: None }
}

/// Evaluates an Assign block against the variables as they were at entry (rule 7.2) and
/// records a `variables` stage: every variable in scope once the block is bound.
fn assign_vars(
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

/// The `variables` stage: every variable in scope once `assigned` is bound.
fn variables_stage(env: &mut Env, run: &mut Run, a: &Spanned<Template>, assigned: &Map<String, Value>) {
    let mut all = env.variables.clone();
    all.extend(assigned.iter().map(|(k, v)| (k.clone(), v.clone())));
    let field = template_field(env, a, "Assign");
    run.note(StageKind::Variables, Arc::new(Value::Object(all)), Some(field));
}

/// OutputPath (shares the value when absent).
fn output_stage(state: &State, value: &Arc<Value>, env: &mut Env, run: &mut Run) -> Result<Arc<Value>, Failure> {
    let output = match &state.io.output_path {
        None => value.clone(),
        Some(f) => Arc::new(io::filter_path(Some(f), &env.roots(value))?),
    };
    let field = state.io.output_path.as_ref().map(|f| path_field(env, f, "OutputPath"));
    Ok(run.stage(StageKind::Output, output, field))
}

/// OutputPath, then the transition.
fn finish(state: &State, value: &Arc<Value>, env: &mut Env, run: &mut Run) -> Result<Outcome, Failure> {
    let out = output_stage(state, value, env, run)?;
    Ok(finish_transition(state, out))
}

/// The state's transition with its output.
fn finish_transition(state: &State, out: Arc<Value>) -> Outcome {
    match &state.transition {
        Transition::Next(n) => Outcome::Next(n.value.clone(), out),
        Transition::End | Transition::None => Outcome::End(out),
    }
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
                c.eval(&roots, env.entropy).map_err(|e| Failure { error: e.error, cause: e.cause, location: None })?
            }
            FailText::Expr(Expr::Jsonata(_)) => return Err(io::jsonata_out_of_place()),
        };
        Ok(Some(match v {
            Value::String(s) => s,
            other => other.to_string(),
        }))
    };
    let error = text(&f.error, "ErrorPath")?;
    let cause = text(&f.cause, "CausePath")?;
    Ok(Outcome::Failed { error, cause })
}

/// Wait (rules 5.7, 11.1–11.5): computes the delay and advances only the virtual clock; it never
/// sleeps. A timestamp in the past waits zero.
fn wait(w: &Wait, effective: &Value, env: &mut Env, run: &mut Run) -> Result<(), Failure> {
    let roots = env.roots(effective);
    let delay_ms = match &w.wait_for.value {
        WaitFor::Seconds(NumberSource::Literal(v)) => {
            // The validator guarantees an integer in 0..=99999999 (rule 11.1).
            v.as_u64().map_or(0, |s| s.saturating_mul(1000)) as i64
        }
        WaitFor::SecondsPath(p) => {
            let v = p.select(&roots).map_err(|e| missing_wait_path(p.text(), &e))?;
            seconds_from_path(p.text(), &v)?.saturating_mul(1000)
        }
        // The validator rejected literals that are not timestamps (rule 2.11).
        WaitFor::TimestampLiteral(s) => millis_until(s, env.now_ms).unwrap_or(0),
        WaitFor::TimestampPath(p) => {
            let v = p.select(&roots).map_err(|e| missing_wait_path(p.text(), &e))?;
            v.as_str().and_then(|s| millis_until(s, env.now_ms)).ok_or_else(|| {
                Failure::runtime(format!(
                    "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {} == {}",
                    p.text(),
                    raw_text(&v)
                ))
            })?
        }
        _ => return Err(io::jsonata_out_of_place()),
    };
    let ms = delay_ms.max(0);
    let seconds = ms as f64 / 1000.0;
    // rule 11.5, ASL-NOTES 14: now + 24,855 days is accepted, 24,856 days is not.
    if seconds > MAX_WAIT_SECONDS {
        return Err(Failure::runtime("Wait state delay is too long."));
    }
    run.elapsed_ms = ms;
    if let Some(last) = run.stages.last_mut() {
        last.detail = Some(Box::new(StageDetail::Wait { seconds, until_ms: env.now_ms + ms }));
    }
    Ok(())
}

/// SecondsPath/TimestampPath that selects nothing, worded like InputPath's (ASL-NOTES 4); AWS's
/// text for Wait is not recorded.
fn missing_wait_path(path: &str, e: &SelectError) -> Failure {
    match e {
        SelectError::NoResults { normalized } => {
            Failure::runtime(format!("Invalid path '{path}' : No results for path: {normalized}"))
        }
        other => Failure::runtime(other.to_string()),
    }
}

/// SecondsPath must give a whole number ≥ 0 that fits a Java long (rule 11.2). AWS checks the
/// type before the sign: `-1.5` is "cannot be parsed", `-1` is "negative"
/// (`base/test_base_wait_seconds_path(*)`).
fn seconds_from_path(path: &str, v: &Value) -> Result<i64, Failure> {
    match v.as_i64() {
        Some(n) if n < 0 => {
            Err(Failure::runtime(format!("The SecondsPath parameter references a negative value: {path} == {n}")))
        }
        Some(n) => Ok(n),
        None => Err(Failure::runtime(format!(
            "The SecondsPath parameter cannot be parsed as a long value: {path} == {}",
            raw_text(v)
        ))),
    }
}

/// A value as AWS quotes it after `==`: strings without their JSON quotes
/// (`$.t == 2016-12-05T21:29:29`), anything else as JSON.
fn raw_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Milliseconds from `now_ms` until `timestamp` (negative when it has passed), or `None` when it
/// is not a timestamp AWS accepts (rule 11.3).
fn millis_until(timestamp: &str, now_ms: i64) -> Option<i64> {
    crate::asl::timestamp::parse_timestamp(timestamp).map(|t| t.millis_after(now_ms))
}

#[cfg(test)]
mod wait_tests;
