//! One execution of a machine, advanced one stage at a time. A state is evaluated when it is
//! entered; its stages are then revealed one per `step`, and its exit is committed to the
//! history when the last one is shown, so the history always matches what the user has seen.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::asl::definition::{Scope, StateMachine};
use crate::asl::engine::chunked::Chunked;
use crate::asl::engine::config::ExecutionConfig;
use crate::asl::engine::history::{EventKind, History, HistoryEvent};
use crate::asl::engine::stage::StageRecord;
use crate::asl::engine::states::{Env, Outcome, Scratch, visit};
use crate::asl::engine::tasks::{NoTasks, RecordedAnswers, TaskAnswer, TaskRequest, TaskSource};
use crate::asl::engine::trace::{Item, Trace};
use crate::asl::world::SeededEntropy;

/// AWS's quota of history events for a Standard execution (rule 18.2); also our guard against
/// runaway loops.
pub const MAX_HISTORY_EVENTS: usize = 25_000;

/// The error name AWS gives a timed-out execution (what a parent's `.sync` task sees).
pub const TIMED_OUT_ERROR: &str = "States.Timeout";

/// Where an execution is.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Running,
    Succeeded(Arc<Value>),
    /// `error`/`cause` are absent when a Fail state had none (AWS omits them too).
    Failed {
        error: Option<String>,
        cause: Option<String>,
    },
    /// A Task needs a result nobody has given: answer it with [`Execution::answer`].
    AwaitingTask(TaskRequest),
    /// The execution ran past its `TimeoutSeconds` (or [`ExecutionConfig::timeout_ms`]) on the
    /// virtual clock: AWS's `TIMED_OUT` status and `ExecutionTimedOut` event, whose error is
    /// `States.Timeout` ([`TIMED_OUT_ERROR`]).
    TimedOut,
    /// The engine reached something it cannot execute yet; the reason says what.
    Stopped(String),
}

/// What one `step` did.
#[derive(Debug)]
pub enum Step<'e> {
    Stage(&'e StageRecord),
    Finished(&'e Status),
}

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

/// The state to enter next and its raw input.
#[derive(Clone, Debug)]
struct Cursor {
    state: usize,
    input: Arc<Value>,
}

/// What to commit once the current state's stages have all been shown.
#[derive(Clone)]
struct PendingExit {
    state: usize,
    outcome: Outcome,
    assigned: Option<Map<String, Value>>,
    /// The clock when the visit ended (after Waits and retries).
    end_ms: i64,
    /// The execution's deadline passed during the visit: what happened after it was cut.
    timed_out: bool,
}

/// A running execution. Same machine, input, config, task source and answers ⇒ the same
/// stages and history.
pub struct Execution<'m> {
    machine: &'m StateMachine,
    config: ExecutionConfig,
    input: Arc<Value>,
    tasks: Arc<dyn TaskSource>,
    answers: RecordedAnswers,
    entropy: SeededEntropy,
    now_ms: i64,
    history: History,
    /// Shared with snapshots; copied only when a state assigns after one was taken.
    variables: Arc<Map<String, Value>>,
    /// The context object (`$$`); its `State` part is rewritten on every state entry. Not part
    /// of snapshots: between two visits it differs from what it was at an earlier point only
    /// in `State` and a `Task` token, and the next entry rewrites `State` whole and drops
    /// `Task` before anything reads them (copying it every 64 stages, execution input
    /// included, was 5% of the engine's time).
    context: Value,
    invocations: BTreeMap<String, u32>,
    scratch: Scratch,
    stages: Chunked<StageRecord>,
    queue: Queue,
    pending: Option<PendingExit>,
    cursor: Option<Cursor>,
    status: Status,
    /// Stages shown when the current (or last) top-level visit was entered.
    visit_start: usize,
    /// Every [`SNAPSHOT_EVERY`] stages, ascending; the first is the start.
    snapshots: Vec<Snapshot>,
    /// When the execution times out on the virtual clock, if it can (see [`Status::TimedOut`]).
    deadline_ms: Option<i64>,
    /// What was shown after the current point before a rewind: stepping on reproduces it
    /// exactly, so a jump forward restores a later snapshot and takes these back instead of
    /// re-executing. Emptied when an answer changes the future.
    ahead: Ahead,
}

#[derive(Default)]
struct Ahead {
    stages: VecDeque<StageRecord>,
    events: VecDeque<HistoryEvent>,
}

/// The evaluated trace of the current visit, revealed from `pos` on.
#[derive(Clone, Default)]
struct Queue {
    items: Items,
    pos: usize,
    /// Index of the last stage in `items`, if any: whether a stage is still to come is then O(1).
    last_stage: Option<usize>,
}

/// A visit's items: owned while no snapshot was taken in the middle of the visit (revealing one
/// moves it out), shared with the snapshots once one was (revealing one clones it). Sharing
/// rather than copying keeps a snapshot cheap inside a long visit (a 1,000-item Map); owning
/// keeps the common case free of reference counting.
#[derive(Clone)]
enum Items {
    Owned(Vec<Item>),
    Shared(Arc<Vec<Item>>),
}

impl Default for Items {
    fn default() -> Items {
        Items::Owned(Vec::new())
    }
}

impl Queue {
    /// Takes the items' buffer for the next visit's trace, unless a snapshot shares it.
    fn take_buffer(&mut self) -> Vec<Item> {
        self.pos = 0;
        self.last_stage = None;
        match std::mem::take(&mut self.items) {
            Items::Owned(v) => v,
            Items::Shared(a) => Arc::try_unwrap(a).unwrap_or_default(),
        }
    }

    /// Queues a visit's trace.
    fn refill(&mut self, items: Vec<Item>) {
        self.last_stage = items.iter().rposition(|i| matches!(i, Item::Stage(_)));
        self.pos = 0;
        self.items = Items::Owned(items);
    }

    /// A copy for a snapshot: from now on the items are shared.
    fn share(&mut self) -> Queue {
        if let Items::Owned(v) = &mut self.items {
            self.items = Items::Shared(Arc::new(std::mem::take(v)));
        }
        self.clone()
    }

    fn has_stage(&self) -> bool {
        self.last_stage.is_some_and(|l| l >= self.pos)
    }

    fn peek(&self) -> Option<&Item> {
        match &self.items {
            Items::Owned(v) => v.get(self.pos),
            Items::Shared(a) => a.get(self.pos),
        }
    }

    fn pop(&mut self) -> Option<Item> {
        let item = match &mut self.items {
            Items::Owned(v) => std::mem::replace(v.get_mut(self.pos)?, Item::Taken),
            Items::Shared(a) => a.get(self.pos)?.clone(),
        };
        self.pos += 1;
        Some(item)
    }

    fn pop_event(&mut self) -> Option<(i64, EventKind)> {
        match self.peek()? {
            Item::Event { .. } => match self.pop()? {
                Item::Event { at_ms, kind } => Some((at_ms, kind)),
                Item::Stage(_) | Item::Taken => None,
            },
            Item::Stage(_) | Item::Taken => None,
        }
    }
}

/// Everything that changes while stepping, except the append-only history and stages (kept
/// as lengths: their prefixes never change).
#[derive(Clone)]
struct Snapshot {
    stages: usize,
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
}

impl<'m> Execution<'m> {
    /// Starts an execution, paused before the first state. Tasks pause it until answered.
    pub fn new(machine: &'m StateMachine, input: Value, config: ExecutionConfig) -> Execution<'m> {
        Execution::with_tasks(machine, input, config, Arc::new(NoTasks), RecordedAnswers::default())
    }

    /// Starts an execution whose task results come from `tasks`, then from `answers`.
    pub fn with_tasks(
        machine: &'m StateMachine,
        input: Value,
        config: ExecutionConfig,
        tasks: Arc<dyn TaskSource>,
        answers: RecordedAnswers,
    ) -> Execution<'m> {
        let input = Arc::new(input);
        let mut history = History::default();
        history.push(
            config.start_ms,
            EventKind::ExecutionStarted { input: input.clone(), role_arn: config.role_arn.clone() },
        );
        let start = machine.scope.index_of(&machine.scope.start_at.value);
        let status = if start.is_some() { Status::Running } else { Status::Stopped("StartAt names no state".into()) };
        let limits = [config.timeout_ms, machine.timeout_seconds.map(|s| s.saturating_mul(1000))];
        let deadline_ms = limits.into_iter().flatten().min().map(|ms| config.start_ms.saturating_add(ms as i64));
        let mut e = Execution {
            machine,
            entropy: SeededEntropy::new(config.seed),
            now_ms: config.start_ms,
            context: config.context(&input, "", config.start_ms, 0),
            cursor: start.map(|state| Cursor { state, input: input.clone() }),
            input,
            config,
            tasks,
            answers,
            history,
            variables: Arc::new(Map::new()),
            invocations: BTreeMap::new(),
            scratch: Scratch::default(),
            stages: Chunked::default(),
            queue: Queue::default(),
            pending: None,
            status,
            visit_start: 0,
            snapshots: Vec::new(),
            deadline_ms,
            ahead: Ahead::default(),
        };
        let first = e.snapshot();
        e.snapshots.push(first);
        e
    }

    fn snapshot(&mut self) -> Snapshot {
        Snapshot {
            stages: self.stages.len(),
            history: self.history.len(),
            entropy: self.entropy.clone(),
            now_ms: self.now_ms,
            variables: self.variables.clone(),
            invocations: self.invocations.clone(),
            queue: self.queue.share(),
            pending: self.pending.clone(),
            cursor: self.cursor.clone(),
            status: self.status.clone(),
            visit_start: self.visit_start,
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
        self.status = s.status;
        self.visit_start = s.visit_start;
    }

    /// Steps until `count` stages are shown (or the run stops first).
    /// Appends an event, consuming its copy from `ahead` (stepping on re-shows the same one).
    fn record(&mut self, at_ms: i64, kind: EventKind) {
        self.history.push(at_ms, kind);
        self.ahead.events.pop_front();
    }

    fn advance_to(&mut self, count: usize) {
        while self.stages.len() < count {
            if let Step::Finished(_) = self.step() {
                break;
            }
        }
    }

    fn scope(&self) -> &'m Scope {
        &self.machine.scope
    }

    pub fn status(&self) -> &Status {
        &self.status
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// Every stage shown so far.
    pub fn stages(&self) -> &Chunked<StageRecord> {
        &self.stages
    }

    /// Variables in scope now.
    pub fn variables(&self) -> &Map<String, Value> {
        &self.variables
    }

    /// The virtual clock, milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    /// The answers given to tasks so far (to save them, or to replay on another definition).
    pub fn answers(&self) -> &RecordedAnswers {
        &self.answers
    }

    /// How long the execution may run on the virtual clock (the shorter of the machine's
    /// `TimeoutSeconds` and [`ExecutionConfig::timeout_ms`]), if it is limited.
    pub fn timeout_ms(&self) -> Option<i64> {
        self.deadline_ms.map(|d| d - self.config.start_ms)
    }

    /// The configuration the execution runs with.
    pub fn config(&self) -> &ExecutionConfig {
        &self.config
    }

    /// The name of the top-level state being executed (or about to be), if any.
    pub fn current_state(&self) -> Option<&'m str> {
        let idx = self.pending.as_ref().map(|p| p.state).or(self.cursor.as_ref().map(|c| c.state))?;
        Some(self.scope().states[idx].name.as_str())
    }

    fn has_queued_stage(&self) -> bool {
        self.queue.has_stage()
    }

    /// Advances exactly one stage.
    pub fn step(&mut self) -> Step<'_> {
        if !self.has_queued_stage() && self.status == Status::Running && self.pending.is_none() {
            self.enter();
            if !self.has_queued_stage() {
                self.flush_events();
                self.commit();
            }
        }
        loop {
            match self.queue.pop() {
                Some(Item::Event { at_ms, kind }) => {
                    self.record(at_ms, kind);
                }
                // Only behind `pos`, which never goes back within a queue.
                Some(Item::Taken) => {}
                Some(Item::Stage(mut s)) => {
                    self.ahead.stages.pop_front();
                    // Four billion stages is far beyond any history quota.
                    s.index = self.stages.len() as u32;
                    self.stages.push(s);
                    if !self.has_queued_stage() {
                        self.flush_events();
                        self.commit();
                    }
                    if self.stages.len().is_multiple_of(SNAPSHOT_EVERY) {
                        let n = self.stages.len();
                        if let Err(at) = self.snapshots.binary_search_by_key(&n, |s| s.stages) {
                            let snapshot = self.snapshot();
                            self.snapshots.insert(at, snapshot);
                        }
                    }
                    return match self.stages.last() {
                        Some(r) => Step::Stage(r),
                        None => Step::Finished(&self.status),
                    };
                }
                None => return Step::Finished(&self.status),
            }
        }
    }

    fn flush_events(&mut self) {
        while let Some((at_ms, kind)) = self.queue.pop_event() {
            self.record(at_ms, kind);
        }
    }

    /// Finishes the current state (or runs the next one, between states).
    pub fn step_state(&mut self) -> &Status {
        loop {
            let before = self.history.len();
            if let Step::Finished(_) = self.step() {
                break;
            }
            if !self.has_queued_stage() && self.history.len() > before {
                break;
            }
        }
        &self.status
    }

    /// Runs to the end (or to a task that needs an answer).
    pub fn run(&mut self) -> &Status {
        while let Step::Stage(_) = self.step() {}
        &self.status
    }

    /// Answers the task the execution is waiting for, and goes on from where it was. The
    /// paused visit is evaluated again from its entry (the nearest snapshot before it), now
    /// with the answer.
    pub fn answer(&mut self, answer: TaskAnswer) {
        let Status::AwaitingTask(request) = &self.status else { return };
        self.answers.record(&request.state, request.invocation, answer);
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
    pub fn replay<'n>(&self, machine: &'n StateMachine, position: usize) -> (Execution<'n>, Replayed) {
        let mut fresh = Execution::with_tasks(
            machine,
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

    /// The execution input.
    pub fn input(&self) -> &Value {
        &self.input
    }

    /// The machine being executed.
    pub fn machine(&self) -> &'m StateMachine {
        self.machine
    }

    /// Evaluates the state under the cursor and queues its stages and events.
    fn enter(&mut self) {
        let Some(cursor) = self.cursor.take() else { return };
        self.visit_start = self.stages.len();
        let state = &self.scope().states[cursor.state];
        let mut trace = Trace::reusing(self.history.next_id(), self.queue.take_buffer());
        let mut env = Env {
            config: &self.config,
            context: &mut self.context,
            variables: &self.variables,
            entropy: &mut self.entropy,
            now_ms: self.now_ms,
            trace: &mut trace,
            tasks: &*self.tasks,
            answers: &self.answers,
            invocations: &mut self.invocations,
            location: Default::default(),
            // The execution's closing event needs room too.
            budget: self.config.max_history_events.saturating_sub(self.history.len() + 1),
            scratch: &mut self.scratch,
        };
        let v = visit(&mut env, state, &cursor.input);
        let end_ms = env.now_ms;
        let timed_out = self.deadline_ms.is_some_and(|d| end_ms > d);
        if let Some(deadline) = self.deadline_ms.filter(|_| timed_out) {
            // Nothing after the deadline happened: the visit's events from then on, and the
            // stages between them, are cut.
            let cut = trace.items.iter().position(|i| matches!(i, Item::Event { at_ms, .. } if *at_ms > deadline));
            trace.items.truncate(cut.unwrap_or(trace.items.len()));
        }
        self.queue.refill(trace.items);
        let (outcome, assigned) = (v.outcome, v.assigned);
        self.pending = Some(PendingExit { state: cursor.state, outcome, assigned, end_ms, timed_out });
    }

    /// Applies the outcome of the state whose stages have all been shown.
    fn commit(&mut self) {
        let Some(p) = self.pending.take() else { return };
        self.now_ms = p.end_ms;
        if let Some(deadline) = self.deadline_ms.filter(|_| p.timed_out) {
            // AWS's ExecutionTimedOut carries empty details (LocalStack, whose snapshots are
            // validated against AWS, records it so).
            self.now_ms = deadline;
            let details = Some(Arc::new(Value::Object(Map::new())));
            self.record(deadline, EventKind::Lifecycle { name: "ExecutionTimedOut".into(), details });
            self.status = Status::TimedOut;
            return;
        }
        match p.outcome {
            Outcome::Next(next, output) => {
                if let Some(assigned) = p.assigned {
                    Arc::make_mut(&mut self.variables).extend(assigned);
                }
                match self.scope().index_of(&next) {
                    Some(i) => self.cursor = Some(Cursor { state: i, input: output }),
                    None => self.status = Status::Stopped(format!("no state named '{next}'")),
                }
            }
            Outcome::End(output) => {
                self.record(self.now_ms, EventKind::ExecutionSucceeded { output: output.clone() });
                self.status = Status::Succeeded(output);
            }
            Outcome::Failed { error, cause } => self.end_failed(error, cause),
            Outcome::Unsupported(why) => self.status = Status::Stopped(why),
            Outcome::Pending(request) => {
                // Re-entered from the start once answered; nothing of this visit is kept.
                let _ = p.state;
                self.status = Status::AwaitingTask(request);
            }
        }
    }

    fn end_failed(&mut self, error: Option<String>, cause: Option<String>) {
        self.record(
            self.now_ms,
            EventKind::ExecutionFailed {
                error: error.as_deref().map(Into::into),
                cause: cause.as_deref().map(Into::into),
            },
        );
        self.status = Status::Failed { error, cause };
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
