//! One execution of a machine, advanced one stage at a time. A state is evaluated when it is
//! entered; its stages are then revealed one per `step`, and its exit is committed to the
//! history when the last one is shown, so the history always matches what the user has seen.

use std::collections::VecDeque;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::asl::definition::{Scope, StateMachine};
use crate::asl::engine::config::ExecutionConfig;
use crate::asl::engine::history::{EventKind, History};
use crate::asl::engine::stage::StageRecord;
use crate::asl::engine::states::{Env, Outcome, StateRun, run_state};
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
    /// The engine reached something it cannot execute yet; the reason says what.
    Stopped(String),
}

/// What one `step` did.
#[derive(Debug)]
pub enum Step<'e> {
    Stage(&'e StageRecord),
    Finished(&'e Status),
}

/// The state being executed and its raw input.
#[derive(Clone, Debug)]
struct Cursor {
    state: usize,
    input: Arc<Value>,
}

/// What to commit once the current state's stages have all been shown.
struct PendingExit {
    state: usize,
    entered_id: u32,
    outcome: Outcome,
    assigned: Option<Map<String, Value>>,
    elapsed_ms: i64,
}

/// A running execution. Same machine, input and config ⇒ the same stages and history.
pub struct Execution<'m> {
    machine: &'m StateMachine,
    config: ExecutionConfig,
    input: Arc<Value>,
    entropy: SeededEntropy,
    now_ms: i64,
    history: History,
    variables: Map<String, Value>,
    /// The context object (`$$`); its `State` part is rewritten on every state entry.
    context: Value,
    stages: Vec<StageRecord>,
    queue: VecDeque<StageRecord>,
    pending: Option<PendingExit>,
    cursor: Option<Cursor>,
    status: Status,
}

impl<'m> Execution<'m> {
    /// Starts an execution, paused before the first state.
    pub fn new(machine: &'m StateMachine, input: Value, config: ExecutionConfig) -> Execution<'m> {
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
            history,
            variables: Map::new(),
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

    /// The name of the state being executed (or about to be), if any.
    pub fn current_state(&self) -> Option<&'m str> {
        let idx = self.pending.as_ref().map(|p| p.state).or(self.cursor.as_ref().map(|c| c.state))?;
        Some(self.scope().states[idx].name.as_str())
    }

    /// Advances exactly one stage.
    pub fn step(&mut self) -> Step<'_> {
        if self.queue.is_empty() && self.status == Status::Running {
            self.enter();
        }
        match self.queue.pop_front() {
            Some(record) => {
                self.stages.push(record);
                if self.queue.is_empty() {
                    self.commit();
                }
                match self.stages.last() {
                    Some(r) => Step::Stage(r),
                    None => Step::Finished(&self.status),
                }
            }
            None => Step::Finished(&self.status),
        }
    }

    /// Finishes the current state (or runs the next one, between states).
    pub fn step_state(&mut self) -> &Status {
        loop {
            let before = self.history.len();
            if let Step::Finished(_) = self.step() {
                break;
            }
            if self.queue.is_empty() && self.history.len() > before {
                break;
            }
        }
        &self.status
    }

    /// Runs to the end.
    pub fn run(&mut self) -> &Status {
        while let Step::Stage(_) = self.step() {}
        &self.status
    }

    /// Returns to just after stage `index` was shown, exactly as it was then, by re-executing
    /// from the start (the engine is deterministic). `index` past the end runs to the end.
    pub fn rewind(&mut self, index: usize) {
        let mut fresh = Execution::new(self.machine, (*self.input).clone(), self.config.clone());
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
            1 => *self = Execution::new(self.machine, (*self.input).clone(), self.config.clone()),
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

    /// Evaluates the state under the cursor and queues its stages.
    fn enter(&mut self) {
        let Some(cursor) = self.cursor.take() else { return };
        let max = self.config.max_history_events;
        if self.history.len() + 2 > max {
            self.end_failed(
                Some("States.Runtime".into()),
                Some(format!("The execution reached the maximum number of history events ({max}).")),
            );
            return;
        }
        let state = &self.scope().states[cursor.state];
        let entered_id = self.history.push(
            self.now_ms,
            EventKind::StateEntered {
                state_type: state.type_name(),
                name: state.name.clone(),
                input: cursor.input.clone(),
            },
        );
        self.config.set_state_context(&mut self.context, &state.name, self.now_ms, 0);
        let mut env =
            Env { context: &self.context, variables: &self.variables, entropy: &mut self.entropy, now_ms: self.now_ms };
        let run: StateRun = run_state(state, &cursor.input, &mut env);
        for s in run.stages {
            let index = self.stages.len() + self.queue.len();
            self.queue.push_back(StageRecord {
                index,
                state: state.name.clone(),
                kind: s.kind,
                value: s.value,
                field: s.field,
                expr: s.expr,
                span: s.span,
                detail: s.detail,
            });
        }
        self.pending = Some(PendingExit {
            state: cursor.state,
            entered_id,
            outcome: run.outcome,
            assigned: run.assigned,
            elapsed_ms: run.elapsed_ms,
        });
    }

    /// Commits the exit of the state whose stages have all been shown.
    fn commit(&mut self) {
        let Some(p) = self.pending.take() else { return };
        self.now_ms += p.elapsed_ms;
        let state = &self.scope().states[p.state];
        let exited = |history: &mut History, output: &Arc<Value>, assigned: &Option<Map<String, Value>>, now| {
            history.push(
                now,
                EventKind::StateExited {
                    state_type: state.type_name(),
                    name: state.name.clone(),
                    output: output.clone(),
                    assigned_variables: assigned.clone().map(Arc::new),
                },
            );
        };
        match p.outcome {
            Outcome::Next(next, output) => {
                exited(&mut self.history, &output, &p.assigned, self.now_ms);
                self.variables.extend(p.assigned.unwrap_or_default());
                match self.scope().index_of(&next) {
                    Some(i) => self.cursor = Some(Cursor { state: i, input: output }),
                    None => self.status = Status::Stopped(format!("no state named '{next}'")),
                }
            }
            Outcome::End(output) => {
                exited(&mut self.history, &output, &p.assigned, self.now_ms);
                self.history.push(self.now_ms, EventKind::ExecutionSucceeded { output: output.clone() });
                self.status = Status::Succeeded(output);
            }
            Outcome::Failed { error, cause, runtime } => {
                let cause = match (runtime, cause) {
                    (true, Some(c)) => Some(format!(
                        "An error occurred while executing the state '{}' (entered at the event id #{}). {c}",
                        state.name, p.entered_id
                    )),
                    (_, c) => c,
                };
                self.end_failed(error, cause);
            }
            Outcome::Unsupported(why) => self.status = Status::Stopped(why),
        }
    }

    fn end_failed(&mut self, error: Option<String>, cause: Option<String>) {
        self.history.push(self.now_ms, EventKind::ExecutionFailed { error: error.clone(), cause: cause.clone() });
        self.status = Status::Failed { error, cause };
    }
}
