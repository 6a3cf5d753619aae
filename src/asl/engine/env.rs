//! What one state visit reads and advances ([`Env`]) and the stages it records as they are
//! computed ([`Run`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::asl::engine::config::ExecutionConfig;
use crate::asl::engine::scratch::Scratch;
use crate::asl::engine::stage::{FieldSource, Location, StageKind, StageRecord};
use crate::asl::engine::tasks::{RecordedAnswers, TaskSource};
use crate::asl::engine::trace::Trace;
use crate::asl::jsonpath::{Roots, Variables};
use crate::asl::world::Entropy;

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
    /// JSONPath's roots: `$` is `input`, `$$` the context, `$name` the variables.
    pub(crate) fn roots<'v>(&'v self, input: &'v Value) -> Roots<'v> {
        Roots { input, context: self.context, variables: self.variables as &dyn Variables }
    }

    /// A nested location for a branch or iteration of `state`.
    pub(crate) fn nested(&self, state: &str, what: &str) -> Location {
        if self.location.is_empty() {
            Location::new(format!("{state} › {what}"))
        } else {
            Location::new(format!("{} › {state} › {what}", self.location))
        }
    }
}

/// The stages of one visit as they are computed. Borrows the state's name: each stage takes
/// its own count of it, the run needs none (reference counts showed in the per-state cost).
pub(crate) struct Run<'s> {
    state: &'s Arc<str>,
    location: Location,
    /// Numbered (`index`) only when revealed.
    pub stages: Vec<StageRecord>,
    pub assigned: Option<Map<String, Value>>,
    /// Virtual time the state took (Wait).
    pub elapsed_ms: i64,
}

impl<'s> Run<'s> {
    /// A run whose stages go into `buffer` (an empty one from [`Scratch::buffer`]).
    pub(crate) fn new(name: &'s Arc<str>, location: &Location, buffer: Vec<StageRecord>) -> Run<'s> {
        Run { state: name, location: location.clone(), stages: buffer, assigned: None, elapsed_ms: 0 }
    }

    /// Records a stage; the value is shared with the caller, never copied.
    pub(crate) fn stage(&mut self, kind: StageKind, value: Arc<Value>, source: Option<Arc<FieldSource>>) -> Arc<Value> {
        self.note(kind, value.clone(), source);
        value
    }

    /// Records a stage whose value the caller no longer needs.
    pub(crate) fn note(&mut self, kind: StageKind, value: Arc<Value>, source: Option<Arc<FieldSource>>) {
        self.stages.push(StageRecord {
            index: 0,
            state: self.state.clone(),
            location: self.location.clone(),
            kind,
            payload: value.into(),
            source,
            detail: None,
            retry: None,
            near_limit: false,
        });
    }

    /// Notes `detail` on the stage recorded last (a Wait's delay, a Choice's decision).
    pub(crate) fn detail(&mut self, detail: crate::asl::engine::stage::StageDetail) {
        if let Some(last) = self.stages.last_mut() {
            last.detail = Some(Box::new(detail));
        }
    }

    /// Moves the stages recorded so far into the trace (before nested scopes write theirs),
    /// showing them to a [`Capture`](crate::asl::engine::scratch::Capture) if one is waiting:
    /// `$$` and the variables are here exactly as this state's fields saw them.
    pub(crate) fn flush(&mut self, env: &mut Env) {
        if let Some(c) = env.scratch.capture.as_deref_mut() {
            c.saw(self.stages.len(), env.context, env.variables);
        }
        env.trace.stages(&mut self.stages);
    }

    /// Flushes the stages and hands the emptied buffer back for the next state.
    pub(crate) fn finish(mut self, env: &mut Env) {
        self.flush(env);
        env.scratch.stage_buffers.push(self.stages);
    }
}
