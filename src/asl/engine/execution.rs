//! One execution of a machine, advanced one stage at a time. A state is evaluated when it is
//! entered; its stages are then revealed one per `step`, and its exit is committed to the
//! history when the last one is shown, so the history always matches what the user has seen.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::asl::definition::{Scope, StateMachine};
use crate::asl::engine::config::ExecutionConfig;
use crate::asl::engine::history::{EventKind, History};
use crate::asl::engine::stage::StageRecord;
use crate::asl::engine::states::{Env, Labels, Outcome, visit};
use crate::asl::engine::tasks::{NoTasks, RecordedAnswers, TaskAnswer, TaskRequest, TaskSource};
use crate::asl::engine::trace::{Item, Trace};
use crate::asl::world::SeededEntropy;

/// AWS's quota of history events for a Standard execution (rule 18.2); also our guard against
/// runaway loops.
pub const MAX_HISTORY_EVENTS: usize = 25_000;

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
struct PendingExit {
    state: usize,
    outcome: Outcome,
    assigned: Option<Map<String, Value>>,
    /// The clock when the visit ended (after Waits and retries).
    end_ms: i64,
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
    variables: Map<String, Value>,
    /// The context object (`$$`); its `State` part is rewritten on every state entry.
    context: Value,
    invocations: BTreeMap<String, u32>,
    labels: Labels,
    stages: Vec<StageRecord>,
    queue: VecDeque<Item>,
    pending: Option<PendingExit>,
    cursor: Option<Cursor>,
    status: Status,
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
        Execution {
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
            variables: Map::new(),
            invocations: BTreeMap::new(),
            labels: Labels::default(),
            stages: Vec::new(),
            queue: VecDeque::new(),
            pending: None,
            status,
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
    pub fn stages(&self) -> &[StageRecord] {
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
        self.queue.iter().any(|i| matches!(i, Item::Stage(_)))
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
            match self.queue.pop_front() {
                Some(Item::Event { at_ms, kind }) => {
                    self.history.push(at_ms, kind);
                }
                Some(Item::Stage(s)) => {
                    self.stages.push(StageRecord {
                        index: self.stages.len(),
                        state: s.state,
                        location: s.location,
                        kind: s.kind,
                        value: s.value,
                        field: s.field,
                        expr: s.expr,
                        span: s.span,
                        detail: s.detail,
                    });
                    if !self.has_queued_stage() {
                        self.flush_events();
                        self.commit();
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
        while let Some(Item::Event { at_ms, kind }) = self.queue.pop_front() {
            self.history.push(at_ms, kind);
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

    /// Answers the task the execution is waiting for, and goes on from where it was.
    pub fn answer(&mut self, answer: TaskAnswer) {
        let Status::AwaitingTask(request) = &self.status else { return };
        self.answers.record(&request.state, request.invocation, answer);
        let shown = self.stages.len();
        let mut fresh = self.restarted();
        while fresh.stages.len() < shown {
            if let Step::Finished(_) = fresh.step() {
                break;
            }
        }
        *self = fresh;
    }

    fn restarted(&self) -> Execution<'m> {
        Execution::with_tasks(
            self.machine,
            (*self.input).clone(),
            self.config.clone(),
            self.tasks.clone(),
            self.answers.clone(),
        )
    }

    /// Returns to just after stage `index` was shown, exactly as it was then, by re-executing
    /// from the start (the engine is deterministic). `index` past the end runs to the end.
    pub fn rewind(&mut self, index: usize) {
        let mut fresh = self.restarted();
        while fresh.stages.len() <= index {
            if let Step::Finished(_) = fresh.step() {
                break;
            }
        }
        *self = fresh;
    }

    /// Steps back one stage (no-op before the first).
    pub fn step_back(&mut self) {
        match self.stages.len() {
            0 => {}
            1 => *self = self.restarted(),
            n => self.rewind(n - 2),
        }
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
        let state = &self.scope().states[cursor.state];
        let mut trace = Trace::new(self.history.next_id());
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
            location: Arc::from(""),
            // The execution's closing event needs room too.
            budget: self.config.max_history_events.saturating_sub(self.history.len() + 1),
            labels: &mut self.labels,
        };
        let v = visit(&mut env, state, &cursor.input);
        let end_ms = env.now_ms;
        self.queue.extend(trace.items);
        self.pending = Some(PendingExit { state: cursor.state, outcome: v.outcome, assigned: v.assigned, end_ms });
    }

    /// Applies the outcome of the state whose stages have all been shown.
    fn commit(&mut self) {
        let Some(p) = self.pending.take() else { return };
        self.now_ms = p.end_ms;
        match p.outcome {
            Outcome::Next(next, output) => {
                self.variables.extend(p.assigned.unwrap_or_default());
                match self.scope().index_of(&next) {
                    Some(i) => self.cursor = Some(Cursor { state: i, input: output }),
                    None => self.status = Status::Stopped(format!("no state named '{next}'")),
                }
            }
            Outcome::End(output) => {
                self.history.push(self.now_ms, EventKind::ExecutionSucceeded { output: output.clone() });
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
        self.history.push(self.now_ms, EventKind::ExecutionFailed { error: error.clone(), cause: cause.clone() });
        self.status = Status::Failed { error, cause };
    }
}
