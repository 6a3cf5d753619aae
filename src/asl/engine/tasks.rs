//! Where Task results come from. The engine never calls AWS: it asks a [`TaskSource`] (a mock
//! config, a recorded user answer, an opt-in local handler) and, when nothing answers, pauses
//! with a [`TaskRequest`] so a person can answer. Answers are values, so a run replays exactly.

use std::sync::Arc;

use serde_json::Value;

/// One invocation of a Task state's resource.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskRequest {
    /// The Task state's name.
    pub state: String,
    /// Where the state sits: empty at top level, else e.g. `Fan › branch 2`.
    pub location: String,
    pub resource: String,
    /// The effective input (after InputPath and Parameters): what AWS would send.
    pub input: Arc<Value>,
    /// How many times this state's resource was invoked before in this execution (0-based), as
    /// AWS Step Functions Local counts for its mock responses (retries count).
    pub invocation: u32,
    /// `$$.Task.Token` for `.waitForTaskToken` resources.
    pub token: Option<String>,
}

/// What a task returned.
#[derive(Clone, Debug, PartialEq)]
pub enum TaskAnswer {
    /// The task's result (for `lambda:invoke`, the whole API response with `Payload`).
    Return(Value),
    /// The task failed with this error name and cause.
    Throw { error: String, cause: Option<String> },
}

/// A Map or Parallel state about to run its iterations or branches: what TestState's `mock`
/// of the whole state needs to stand in for them (AWS does not run them when one is given).
#[derive(Clone, Debug, PartialEq)]
pub struct StateRequest {
    pub state: String,
    /// Where the state sits: empty at top level.
    pub location: String,
    /// Map only: MaxConcurrency as resolved (0: unbounded) and the failure tolerance, absent
    /// when neither ToleratedFailureCount nor ToleratedFailurePercentage is set.
    pub map: Option<MapSettings>,
}

/// A Map's resolved settings, as TestState's inspectionData shows them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapSettings {
    pub max_concurrency: u64,
    pub tolerated_failure_count: Option<u64>,
    pub tolerated_failure_percentage: Option<f64>,
}

/// Answers task invocations; `None` means "nobody knows": the execution pauses.
pub trait TaskSource: Send + Sync {
    fn answer(&self, request: &TaskRequest) -> Option<TaskAnswer>;

    /// The result (or error) of a whole Map or Parallel state, in place of its iterations or
    /// branches. `None` (every source but TestState's mock) runs them.
    fn answer_state(&self, _request: &StateRequest) -> Option<TaskAnswer> {
        None
    }
}

/// The default: no task is answered automatically.
#[derive(Debug, Default)]
pub struct NoTasks;

impl TaskSource for NoTasks {
    fn answer(&self, _: &TaskRequest) -> Option<TaskAnswer> {
        None
    }
}

/// Answers given during the execution (by a person, in the debugger), keyed by state and
/// invocation; they outrank the source, and survive rewinds and replays.
#[derive(Clone, Debug, Default)]
pub struct RecordedAnswers {
    /// State, invocation, answer, and how long the task took to answer (see
    /// [`RecordedAnswers::record_after`]).
    answers: Vec<(String, u32, TaskAnswer, Option<i64>)>,
}

impl RecordedAnswers {
    pub fn record(&mut self, state: &str, invocation: u32, answer: TaskAnswer) {
        self.insert(state, invocation, answer, None);
    }

    /// An answer that came `elapsed_ms` after the task started (a real worker or callback
    /// answered it): the task's result events are that much later on the virtual clock, and
    /// so is everything after them. The duration is part of the answer, so a replay agrees.
    pub fn record_after(&mut self, state: &str, invocation: u32, answer: TaskAnswer, elapsed_ms: i64) {
        self.insert(state, invocation, answer, Some(elapsed_ms.max(0)));
    }

    fn insert(&mut self, state: &str, invocation: u32, answer: TaskAnswer, elapsed_ms: Option<i64>) {
        self.answers.retain(|(s, i, _, _)| !(s == state && *i == invocation));
        self.answers.push((state.to_string(), invocation, answer, elapsed_ms));
    }

    pub fn get(&self, state: &str, invocation: u32) -> Option<&TaskAnswer> {
        self.answers.iter().find(|(s, i, _, _)| s == state && *i == invocation).map(|(_, _, a, _)| a)
    }

    /// How long the recorded answer took, if it was recorded with a duration.
    pub fn elapsed_ms(&self, state: &str, invocation: u32) -> Option<i64> {
        self.answers.iter().find(|(s, i, _, _)| s == state && *i == invocation).and_then(|a| a.3)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, u32, &TaskAnswer)> {
        self.answers.iter().map(|(s, i, a, _)| (s.as_str(), *i, a))
    }

    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }

    /// Forgets the answers to `state`'s invocations from `invocation` on (a person revises an
    /// answer: the ones after it were given to a run that no longer happens).
    pub fn forget_from(&mut self, state: &str, invocation: u32) {
        self.answers.retain(|(s, i, _, _)| !(s == state && *i >= invocation));
    }
}
