//! One execution of a machine, advanced one stage at a time. A state is evaluated when it is
//! entered; its stages are then revealed one per `step`, and its exit is committed to the
//! history when the last one is shown, so the history always matches what the user has seen.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::asl::definition::{Scope, StateMachine};
use crate::asl::engine::chunked::Chunked;
use crate::asl::engine::config::ExecutionConfig;
use crate::asl::engine::env::Env;
use crate::asl::engine::history::{EventKind, History};
use crate::asl::engine::scratch::Scratch;
use crate::asl::engine::stage::StageRecord;
use crate::asl::engine::stored::{FREEZE_FROM_BYTES, Store};
use crate::asl::engine::tasks::{NoTasks, RecordedAnswers, TaskRequest, TaskSource};
use crate::asl::engine::trace::{Item, Trace};
use crate::asl::engine::visit::{Outcome, visit};
use crate::asl::world::SeededEntropy;

mod queue;
mod travel;

use queue::Queue;
use travel::{Ahead, Snapshot};
pub use travel::{Replayed, SNAPSHOT_EVERY};

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
pub struct Execution {
    /// Shared, not borrowed: many executions of one machine (the API server, a hot reload's
    /// replay beside the old run) hold it at the cost of a reference count.
    machine: Arc<StateMachine>,
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
    /// Shares the payloads of large visits across the records (see `engine::stored`).
    store: Store,
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

impl Execution {
    /// Starts an execution, paused before the first state. Tasks pause it until answered.
    pub fn new(machine: Arc<StateMachine>, input: Value, config: ExecutionConfig) -> Execution {
        Execution::with_tasks(machine, input, config, Arc::new(NoTasks), RecordedAnswers::default())
    }

    /// Starts an execution whose task results come from `tasks`, then from `answers`.
    pub fn with_tasks(
        machine: Arc<StateMachine>,
        input: Value,
        config: ExecutionConfig,
        tasks: Arc<dyn TaskSource>,
        answers: RecordedAnswers,
    ) -> Execution {
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
            store: Store::default(),
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

    /// Appends an event, consuming its copy from `ahead` (stepping on re-shows the same one).
    fn record(&mut self, at_ms: i64, kind: EventKind) {
        self.history.push(at_ms, kind);
        self.ahead.events.pop_front();
    }

    fn scope(&self) -> &Scope {
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
    pub fn current_state(&self) -> Option<&str> {
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

    /// The context object (`$$`) as the current state sees it.
    pub fn context(&self) -> &Value {
        &self.context
    }

    /// How many times `state`'s resource has been invoked so far (retries count), as the
    /// answers are keyed. Nested states are evaluated with their container's whole visit, so
    /// between top-level states this is exact for them too.
    pub fn invocations_of(&self, state: &str) -> u32 {
        self.invocations.get(state).copied().unwrap_or(0)
    }

    /// The execution input.
    pub fn input(&self) -> &Value {
        &self.input
    }

    /// The machine being executed.
    pub fn machine(&self) -> &Arc<StateMachine> {
        &self.machine
    }

    /// Evaluates the state under the cursor and queues its stages and events.
    fn enter(&mut self) {
        let Some(cursor) = self.cursor.take() else { return };
        self.visit_start = self.stages.len();
        if let Some(c) = self.scratch.capture.as_deref_mut() {
            c.next = self.visit_start;
        }
        // A field borrow, not `self.scope()`: the `Env` below borrows other fields mutably.
        let state = &self.machine.scope.states[cursor.state];
        let mut trace = Trace::reusing(self.history.next_id(), self.queue.take_buffer());
        self.scratch.largest = 0;
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
        // Large payloads are stored frozen before anyone sees them; small ones stay as the
        // engine made them (the common case pays one comparison).
        if self.scratch.largest >= FREEZE_FROM_BYTES {
            self.store.freeze(&mut trace.items);
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
            Outcome::Failed { error, cause } => self.end_failed(error.map(String::from), cause),
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
