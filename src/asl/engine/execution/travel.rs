//! Time travel: snapshots every [`SNAPSHOT_EVERY`] stages, rewinding to any stage, answering
//! a paused task, and replaying the run on an edited definition.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::queue::Queue;
use super::{Cursor, Execution, PendingExit, Status, Step};
use crate::asl::definition::{Scope, StateMachine};
use crate::asl::engine::history::HistoryEvent;
use crate::asl::engine::scratch::Capture;
use crate::asl::engine::stage::{StageRecord, StageScope};
use crate::asl::engine::stored::Payload;
use crate::asl::engine::tasks::TaskAnswer;
use crate::asl::engine::visit::Outcome;
use crate::asl::world::SeededEntropy;

/// Stages between two snapshots: a rewind restores the nearest snapshot and re-executes at
/// most this many stages (measured: a rewind anywhere in a 10,000-stage run stays well under
/// 1 ms; see `benches/time_travel.rs`). Snapshots share payloads and the visit trace (`Arc`),
/// so each costs little more than the clock, the entropy and the queue position.
pub const SNAPSHOT_EVERY: usize = 64;

/// Where `replay` landed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Replayed {
    /// At the same stage index as before.
    Same(usize),
    /// At an earlier stage: the state shown at the requested position no longer exists
    /// (`missing`), so this is the last stage before it whose state still does.
    Earlier { index: usize, missing: String },
    /// No stage up to the position belongs to a state that still exists: at the start.
    Start { missing: String },
    /// The new definition's run ended (or paused for a task) before reaching the position;
    /// `stages` were shown.
    EndedBefore { stages: usize },
}

/// What was shown after the current point before a rewind (see `Execution::ahead`).
#[derive(Default)]
pub(super) struct Ahead {
    pub(super) stages: VecDeque<StageRecord>,
    pub(super) events: VecDeque<HistoryEvent>,
}

/// Everything that changes while stepping, except the append-only history and stages (kept
/// as lengths: their prefixes never change).
#[derive(Clone)]
pub(super) struct Snapshot {
    pub(super) stages: usize,
    history: usize,
    entropy: SeededEntropy,
    now_ms: i64,
    variables: Arc<Map<String, Value>>,
    invocations: BTreeMap<String, u32>,
    queue: Queue,
    pending: Option<PendingExit>,
    cursor: Option<Cursor>,
    status: Status,
    visit_start: usize,
    /// The cursor's input and the pending output when their visit stored them frozen (then
    /// `cursor`/`pending` hold a placeholder): a snapshot of a run with large payloads keeps
    /// no copy of its own (see `engine::stored`).
    stowed: [Option<Payload>; 2],
}

/// The value `pending` carries on to the next state or the end, if any.
fn pending_output(pending: &mut Option<PendingExit>) -> Option<&mut Arc<Value>> {
    match &mut pending.as_mut()?.outcome {
        Outcome::Next(_, v) | Outcome::End(v) => Some(v),
        _ => None,
    }
}

impl Execution {
    pub(super) fn snapshot(&mut self) -> Snapshot {
        let mut cursor = self.cursor.clone();
        let mut pending = self.pending.clone();
        let stow = |v: Option<&mut Arc<Value>>| {
            let v = v?;
            let p = self.store.stored(v)?;
            *v = Arc::new(Value::Null);
            Some(p)
        };
        let stowed = [stow(cursor.as_mut().map(|c| &mut c.input)), stow(pending_output(&mut pending))];
        Snapshot {
            stages: self.stages.len(),
            history: self.history.len(),
            entropy: self.entropy.clone(),
            now_ms: self.now_ms,
            variables: self.variables.clone(),
            invocations: self.invocations.clone(),
            queue: self.queue.share(),
            pending,
            cursor,
            status: self.status.clone(),
            visit_start: self.visit_start,
            stowed,
        }
    }

    /// Goes to the latest snapshot at or before `stages` shown. Later snapshots stay valid
    /// (same machine, input, seed and answers ⇒ same run), so jumping forward is as cheap as
    /// jumping back; `forget_later` drops them when the answers changed.
    fn restore(&mut self, stages: usize, forget_later: bool) {
        // Usable: at or before `stages`, and within what has been shown (now or before a rewind).
        let known = self.stages.len() + self.ahead.stages.len();
        let i = self.snapshots.partition_point(|s| s.stages <= stages.min(known)).saturating_sub(1);
        if forget_later {
            self.snapshots.truncate(i + 1);
            self.ahead = Ahead::default();
        }
        let Some(s) = self.snapshots.get(i).cloned() else { return };
        if s.stages <= self.stages.len() {
            let tail = self.stages.split_off(s.stages);
            let events = self.history.split_off(s.history);
            if !forget_later {
                for st in tail.into_iter().rev() {
                    self.ahead.stages.push_front(st);
                }
                for ev in events.into_iter().rev() {
                    self.ahead.events.push_front(ev);
                }
            }
        } else {
            let n = s.stages - self.stages.len();
            self.stages.extend(self.ahead.stages.drain(..n));
            let m = s.history.saturating_sub(self.history.len()).min(self.ahead.events.len());
            self.history.extend(self.ahead.events.drain(..m));
        }
        self.entropy = s.entropy;
        self.now_ms = s.now_ms;
        self.variables = s.variables;
        self.invocations = s.invocations;
        self.queue = s.queue;
        self.pending = s.pending;
        self.cursor = s.cursor;
        let [input, output] = s.stowed;
        if let (Some(c), Some(p)) = (self.cursor.as_mut(), input) {
            c.input = p.value();
        }
        if let (Some(v), Some(p)) = (pending_output(&mut self.pending), output) {
            *v = p.value();
        }
        self.status = s.status;
        self.visit_start = s.visit_start;
    }

    /// Steps until `count` stages are shown (or the run stops first).
    fn advance_to(&mut self, count: usize) {
        while self.stages.len() < count {
            if let Step::Finished(_) = self.step() {
                break;
            }
        }
    }

    /// Answers the task the execution is waiting for, and goes on from where it was. The
    /// paused visit is evaluated again from its entry (the nearest snapshot before it), now
    /// with the answer.
    pub fn answer(&mut self, answer: TaskAnswer) {
        self.answer_with(answer, None);
    }

    /// Answers the waiting task with an answer that took `elapsed_ms` to come (a real worker
    /// or callback): see
    /// [`RecordedAnswers::record_after`](crate::asl::engine::tasks::RecordedAnswers::record_after).
    pub fn answer_after(&mut self, answer: TaskAnswer, elapsed_ms: i64) {
        self.answer_with(answer, Some(elapsed_ms));
    }

    fn answer_with(&mut self, answer: TaskAnswer, elapsed_ms: Option<i64>) {
        let Status::AwaitingTask(request) = &self.status else { return };
        match elapsed_ms {
            Some(ms) => self.answers.record_after(&request.state, request.invocation, answer, ms),
            None => self.answers.record(&request.state, request.invocation, answer),
        }
        let shown = self.stages.len();
        self.restore(self.visit_start, true);
        self.advance_to(shown);
    }

    /// Returns to just after stage `index` was shown, exactly as it was then: restores the
    /// nearest snapshot and re-executes the few stages after it (the engine is deterministic).
    /// `index` past the end runs to the end.
    pub fn rewind(&mut self, index: usize) {
        self.restore(index + 1, false);
        self.advance_to(index + 1);
    }

    /// Steps back one stage (no-op before the first).
    pub fn step_back(&mut self) {
        let n = self.stages.len();
        if n > 0 {
            self.restore(n - 1, false);
            self.advance_to(n - 1);
        }
    }

    /// Re-runs this execution's input, config (clock, seed) and task answers on `machine` (an
    /// edited definition) up to the stage shown at `position`, or to the last stage before it
    /// whose state still exists in `machine`; says which (the TUI's hot reload).
    pub fn replay(&self, machine: Arc<StateMachine>, position: usize) -> (Execution, Replayed) {
        let mut fresh = Execution::with_tasks(
            machine.clone(),
            (*self.input).clone(),
            self.config.clone(),
            self.tasks.clone(),
            self.answers.clone(),
        );
        let Some(last) = self.stages.len().checked_sub(1) else { return (fresh, Replayed::Same(0)) };
        let position = position.min(last);
        let exists = |name: &str| state_exists(&machine.scope, name);
        let target = (0..=position).rev().find(|&i| exists(&self.stages[i].state));
        let Some(target) = target else {
            return (fresh, Replayed::Start { missing: self.stages[position].state.to_string() });
        };
        fresh.advance_to(target + 1);
        let reached = if fresh.stages.len() < target + 1 {
            Replayed::EndedBefore { stages: fresh.stages.len() }
        } else if target == position {
            Replayed::Same(position)
        } else {
            Replayed::Earlier { index: target, missing: self.stages[position].state.to_string() }
        };
        (fresh, reached)
    }
}

impl Execution {
    /// `$$` and the variables as the state of stage `index` saw them, in its branch or
    /// iteration (`None` past the stages shown). Replays this execution (same machine, input,
    /// config and answers, so the same run) up to that stage with a capture waiting for it:
    /// on demand, so stage records stay small and the context is never copied per state.
    pub fn scope_at(&self, index: usize) -> Option<StageScope> {
        if index >= self.stages.len() {
            return None;
        }
        let mut fresh = Execution::with_tasks(
            self.machine.clone(),
            (*self.input).clone(),
            self.config.clone(),
            self.tasks.clone(),
            self.answers.clone(),
        );
        fresh.scratch.capture = Some(Box::new(Capture { target: index, next: 0, found: None }));
        fresh.advance_to(index + 1);
        fresh.scratch.capture.take().and_then(|c| c.found)
    }
}

/// Whether a state named `name` exists anywhere in `scope` (names are unique machine-wide,
/// rule 1.3).
fn state_exists(scope: &Scope, name: &str) -> bool {
    scope.states.iter().any(|s| {
        s.name == name
            || match &s.kind {
                crate::asl::definition::StateKind::Parallel(p) => p.branches.iter().any(|b| state_exists(b, name)),
                crate::asl::definition::StateKind::Map(m) => state_exists(&m.processor, name),
                _ => false,
            }
    })
}
