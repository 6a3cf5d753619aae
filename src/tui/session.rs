//! One debugging session: a checked machine, its input and the execution being stepped, plus
//! the moves a debugger makes on top of the engine's `step` (to the next breakpoint, back one
//! state, replay to a stage count after a reload).

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::Value;

use crate::asl::check::check_with;
use crate::asl::definition::StateMachine;
use crate::asl::diagnostic::{self, Diagnostic};
use crate::asl::engine::history::EventKind;
use crate::asl::engine::stage::StageKind;
use crate::asl::engine::tasks::{NoTasks, RecordedAnswers, TaskAnswer, TaskSource};
use crate::asl::engine::{Execution, ExecutionConfig, Status, Step};
use crate::asl::load::LoadOptions;
use crate::asl::source::{LineIndex, Source};

/// One visit of a state: the stages `start..end` of the execution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    pub state: String,
    pub start: usize,
    pub end: usize,
}

/// A definition that did not check: one `file:line:col: message` line per error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    pub lines: Vec<String>,
}

pub struct Session {
    pub source: Source,
    pub config: ExecutionConfig,
    /// Where task results come from before anyone is asked (a mock config's test case).
    pub tasks: Arc<dyn TaskSource>,
    pub exec: Execution,
}

impl Session {
    /// Checks `source` and starts a fresh execution paused before the first state; every Task
    /// waits for an answer.
    pub fn start(source: Source, input: Value, config: ExecutionConfig) -> Result<Session, Rejected> {
        Session::start_with_tasks(source, &LoadOptions::default(), input, config, Arc::new(NoTasks))
    }

    /// As [`Session::start`], with task results from `tasks` where it has them.
    pub fn start_with_tasks(
        source: Source,
        options: &LoadOptions,
        input: Value,
        config: ExecutionConfig,
        tasks: Arc<dyn TaskSource>,
    ) -> Result<Session, Rejected> {
        let machine = checked_machine(&source, options)?;
        let exec = Execution::with_tasks(machine, input, config.clone(), tasks.clone(), RecordedAnswers::default());
        Ok(Session { exec, config, tasks, source })
    }

    /// A new execution of `machine` on `input` with this session's task source, keeping the
    /// answers given so far (a person typed them; a restart or reload must not forget them).
    pub fn fresh(&self, machine: Arc<StateMachine>, input: Value) -> Execution {
        let answers = self.exec.answers().clone();
        Execution::with_tasks(machine, input, self.config.clone(), self.tasks.clone(), answers)
    }

    /// The same machine and input, from the beginning.
    pub fn restart(&mut self) {
        self.exec = self.fresh(self.exec.machine().clone(), self.exec.input().clone());
    }

    /// Runs stages until the next state to enter has a breakpoint, or the end. A state inside
    /// a Parallel/Map is entered as part of its container, so the run stops at its `input`
    /// stage instead. Always makes progress, so pressing it while paused at a breakpoint moves
    /// on.
    pub fn continue_to_breakpoint(&mut self, breakpoints: &BTreeSet<String>) {
        while let Step::Stage(stage) = self.exec.step() {
            if stage.kind == StageKind::Input && !stage.location.is_empty() && breakpoints.contains(&*stage.state) {
                break;
            }
            if self.between_states() {
                if let Some(next) = self.exec.current_state() {
                    if breakpoints.contains(next) {
                        break;
                    }
                }
            }
        }
    }

    /// Every stage of the current state has been shown and the next one is not entered yet.
    pub fn between_states(&self) -> bool {
        *self.exec.status() == Status::Running
            && matches!(self.exec.history().events().last().map(|e| &e.kind), Some(EventKind::StateExited { .. }))
    }

    /// Goes back to the end of the previous state visit (the inverse of "next state"); from
    /// the first visit, back to the start.
    pub fn back_state(&mut self) {
        let visits = self.visits();
        match visits.len().checked_sub(2).and_then(|i| visits.get(i)) {
            Some(v) => self.exec.rewind(v.end - 1),
            None => self.restart(),
        }
    }

    /// Rewinds or runs forward until exactly `count` stages are shown (or the execution ends).
    pub fn replay_to(&mut self, count: usize) {
        if count == 0 {
            self.restart();
        } else if count <= self.exec.stages().len() {
            self.exec.rewind(count - 1);
        } else {
            while self.exec.stages().len() < count {
                if let Step::Finished(_) = self.exec.step() {
                    break;
                }
            }
        }
    }

    /// The state visits so far, in order; each starts at an `input` stage.
    pub fn visits(&self) -> Vec<Visit> {
        let stages = self.exec.stages();
        let mut visits: Vec<Visit> = Vec::new();
        for (i, s) in stages.iter().enumerate() {
            match visits.last_mut() {
                Some(v) if s.kind != StageKind::Input && *v.state == *s.state => v.end = i + 1,
                _ => visits.push(Visit { state: s.state.to_string(), start: i, end: i + 1 }),
            }
        }
        visits
    }

    /// Takes back the answer given to the Task `state` in the top-level visit holding stage
    /// `stage` (and to its later invocations): the execution is replayed with those answers
    /// forgotten, so it pauses on that Task again. Returns the answer taken back, for the
    /// person to revise; `None` if that Task was never answered by a person (its result came
    /// from the mock config, or it has not run).
    pub fn reanswer(&mut self, state: &str, stage: usize) -> Option<TaskAnswer> {
        let stages = self.exec.stages();
        // Nested states are evaluated with their container's visit: go back before it.
        let start = (0..=stage.min(stages.len().checked_sub(1)?))
            .rev()
            .find(|&i| stages[i].kind == StageKind::Input && stages[i].location.is_empty())?;
        let shown = stages.len();
        self.replay_to(start);
        let invocation = self.exec.invocations_of(state);
        let Some(given) = self.exec.answers().get(state, invocation).cloned() else {
            self.replay_to(shown);
            return None;
        };
        let mut answers = self.exec.answers().clone();
        answers.forget_from(state, invocation);
        let machine = self.exec.machine();
        let input = self.exec.input().clone();
        self.exec = Execution::with_tasks(machine.clone(), input, self.config.clone(), self.tasks.clone(), answers);
        self.replay_to(start);
        while let Step::Stage(_) = self.exec.step() {}
        Some(given)
    }

    /// The state names of the machine in source order.
    pub fn state_names(&self) -> Vec<&str> {
        self.exec.machine().scope.states.iter().map(|s| s.name.as_str()).collect()
    }
}

/// Checks a definition; a runnable machine is shared with the executions that run it.
pub fn checked_machine(source: &Source, options: &LoadOptions) -> Result<Arc<StateMachine>, Rejected> {
    let mut checked = check_with(source, options);
    if checked.runnable().is_none() {
        return Err(Rejected { lines: render_checked(source, &checked) });
    }
    match checked.machine.take() {
        Some(m) => Ok(m),
        None => Err(Rejected { lines: vec![format!("{}: the definition could not be built", source.name)] }),
    }
}

/// [`render_errors`] for a check whose findings may point into other files (a template's
/// `DefinitionUri` file); a definition that is only in S3 shows its warning instead.
pub fn render_checked(source: &Source, checked: &crate::asl::check::Checked) -> Vec<String> {
    let errors = checked.has_errors();
    checked
        .positioned(source, |d| d.is_error() || !errors)
        .into_iter()
        .map(|(from, index, d)| {
            let what = d.severity.as_str();
            match diagnostic::position(from, &index, d) {
                Some((line, col)) => format!("{}:{line}:{col}: {what}[{}]: {}", from.name, d.code, d.message),
                None => format!("{}: {what}[{}]: {}", from.name, d.code, d.message),
            }
        })
        .collect()
}

/// `file:line:col: error[CODE]: message` per error, the short form the diagnostics panel shows.
pub fn render_errors(source: &Source, diagnostics: &[Diagnostic]) -> Vec<String> {
    let index = LineIndex::new(&source.text);
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| match diagnostic::position(source, &index, d) {
            Some((line, col)) => format!("{}:{line}:{col}: error[{}]: {}", source.name, d.code, d.message),
            None => format!("{}: error[{}]: {}", source.name, d.code, d.message),
        })
        .collect()
}
