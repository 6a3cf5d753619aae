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

/// Answers task invocations; `None` means "nobody knows": the execution pauses.
pub trait TaskSource: Send + Sync {
    fn answer(&self, request: &TaskRequest) -> Option<TaskAnswer>;
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
    answers: Vec<(String, u32, TaskAnswer)>,
}

impl RecordedAnswers {
    pub fn record(&mut self, state: &str, invocation: u32, answer: TaskAnswer) {
        self.answers.retain(|(s, i, _)| !(s == state && *i == invocation));
        self.answers.push((state.to_string(), invocation, answer));
    }

    pub fn get(&self, state: &str, invocation: u32) -> Option<&TaskAnswer> {
        self.answers.iter().find(|(s, i, _)| s == state && *i == invocation).map(|(_, _, a)| a)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, u32, &TaskAnswer)> {
        self.answers.iter().map(|(s, i, a)| (s.as_str(), *i, a))
    }

    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }

    /// Forgets the answers to `state`'s invocations from `invocation` on (a person revises an
    /// answer: the ones after it were given to a run that no longer happens).
    pub fn forget_from(&mut self, state: &str, invocation: u32) {
        self.answers.retain(|(s, i, _)| !(s == state && *i >= invocation));
    }
}
