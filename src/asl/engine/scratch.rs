//! What an execution keeps from one state to the next so that visits do not redo or reallocate
//! it.

use std::sync::Arc;

use crate::asl::engine::span_hash::SpanHash;
use crate::asl::engine::stage::{FieldSource, StageRecord, StageScope};
use crate::asl::source::Span;

/// Field sources (`$.a`, a template as written; shown with every stage, and rendering them on
/// every visit showed up in profiles) and emptied stage buffers.
#[derive(Default)]
pub(crate) struct Scratch {
    sources: std::collections::HashMap<(u32, u32), Arc<FieldSource>, SpanHash>,
    /// Emptied [`Run`](crate::asl::engine::env::Run) buffers: one per nesting level in use, so a
    /// visit allocates none.
    pub(crate) stage_buffers: Vec<Vec<StageRecord>>,
    /// The value whose payload size was measured last, and its size (see `payload::size`).
    pub(crate) measured: Option<(Arc<serde_json::Value>, usize)>,
    /// The largest payload measured in the current top-level visit (`usize::MAX` past the
    /// quota or too deep): whether its records are stored frozen (see `engine::stored`).
    pub(crate) largest: usize,
    /// The last entry time formatted, and when it was: the clock stands still between most
    /// entries, and formatting it on each one showed in the per-state cost.
    timestamp: (i64, String),
    /// Set only by [`Execution::scope_at`](crate::asl::engine::execution::Execution::scope_at)
    /// on its own replay: a normal run pays one check per flush.
    pub(crate) capture: Option<Box<Capture>>,
}

/// Waits for the stage numbered `target` to be flushed and keeps `$$` and the variables as they
/// were then. Nested states run inside their container's visit, so only the visit itself knows
/// a branch's or an iteration's context: the execution never holds it.
pub(crate) struct Capture {
    pub(crate) target: usize,
    /// The number the next stage flushed will get (reset on each top-level entry).
    pub(crate) next: usize,
    pub(crate) found: Option<StageScope>,
}

impl Capture {
    /// `count` stages are flushed with this `context` and `variables`.
    pub(crate) fn saw(
        &mut self,
        count: usize,
        context: &serde_json::Value,
        variables: &serde_json::Map<String, serde_json::Value>,
    ) {
        if (self.next..self.next + count).contains(&self.target) {
            self.found = Some(StageScope { context: context.clone(), variables: variables.clone() });
        }
        self.next += count;
    }
}

impl Scratch {
    /// The source of `field` at `span`; `expr` renders its text the first time.
    pub(crate) fn source(
        &mut self,
        field: &'static str,
        span: Span,
        expr: impl FnOnce() -> String,
    ) -> Arc<FieldSource> {
        let made = self.sources.entry((span.start, span.end));
        made.or_insert_with(|| Arc::new(FieldSource { field, expr: expr().into(), span })).clone()
    }

    /// `ms` as `$$.State.EnteredTime` shows it.
    pub(crate) fn timestamp(&mut self, ms: i64) -> &str {
        if self.timestamp.0 != ms || self.timestamp.1.is_empty() {
            crate::asl::engine::clock::write_millis(&mut self.timestamp.1, ms);
            self.timestamp.0 = ms;
        }
        &self.timestamp.1
    }

    /// An empty stage buffer, reused when one is free.
    pub(crate) fn buffer(&mut self) -> Vec<StageRecord> {
        self.stage_buffers.pop().unwrap_or_default()
    }
}
