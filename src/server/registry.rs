//! What the server knows: state machines, activities, executions (with their API-shaped
//! histories), the task tokens executions wait on and the activity tasks waiting for a worker.
//! One mutex guards it; it is never held across an `.await`.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{Value, json};
use tokio::sync::{Notify, mpsc, watch};

use crate::asl::definition::StateMachine;
use crate::asl::engine::tasks::TaskAnswer;

/// A state machine as CreateStateMachine registered it.
#[derive(Clone)]
pub struct MachineRecord {
    pub arn: String,
    pub name: String,
    pub definition: String,
    pub machine: Arc<StateMachine>,
    pub role_arn: String,
    /// `STANDARD` or `EXPRESS`.
    pub kind: String,
    pub created_ms: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ActivityRecord {
    pub arn: String,
    pub name: String,
    pub created_ms: i64,
}

/// What an execution looks like from the API, kept up to date by its runner.
#[derive(Clone, Debug, Default)]
pub struct ExecRecord {
    pub arn: String,
    pub name: String,
    pub machine_arn: String,
    pub machine_name: String,
    /// The definition it started with (DescribeStateMachineForExecution).
    pub definition: String,
    pub role_arn: String,
    pub express: bool,
    /// The mock config's test case (`…:stateMachine:NAME#CASE`).
    pub test_case: Option<String>,
    pub input: String,
    pub seed: u64,
    pub start_ms: i64,
    pub stop_ms: Option<i64>,
    /// `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT` or `ABORTED`.
    pub status: String,
    pub output: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// API-shaped history events, in order.
    pub events: Vec<Value>,
    /// Every task answer the execution got (mocks, handlers, workers, callbacks), so a restart
    /// replays it to the same point.
    pub answers: Vec<Answer>,
}

/// One task answer, keyed as the engine keys recorded answers.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub state: String,
    pub invocation: u32,
    pub answer: TaskAnswer,
    /// How long a worker or callback took to give it (real time), which the execution's
    /// clock advances by (see `RecordedAnswers::record_after`); `None` for instant answers.
    pub elapsed_ms: Option<i64>,
}

impl Answer {
    pub fn to_json(&self) -> Value {
        let answer = match &self.answer {
            TaskAnswer::Return(v) => json!({"Return": v}),
            TaskAnswer::Throw { error, cause } => json!({"Throw": {"Error": error, "Cause": cause}}),
        };
        let mut v = json!({"state": self.state, "invocation": self.invocation, "answer": answer});
        if let Some(ms) = self.elapsed_ms {
            v["elapsedMs"] = json!(ms);
        }
        v
    }

    pub fn from_json(v: &Value) -> Option<Answer> {
        let a = &v["answer"];
        let answer = if let Some(r) = a.get("Return") {
            TaskAnswer::Return(r.clone())
        } else {
            let t = a.get("Throw")?;
            TaskAnswer::Throw {
                error: t["Error"].as_str()?.to_string(),
                cause: t["Cause"].as_str().map(str::to_string),
            }
        };
        Some(Answer {
            state: v["state"].as_str()?.to_string(),
            invocation: v["invocation"].as_u64()? as u32,
            answer,
            elapsed_ms: v["elapsedMs"].as_i64(),
        })
    }
}

/// An execution: its record, and the signals between the API and its runner.
pub struct ExecutionCell {
    pub record: Mutex<ExecRecord>,
    stop: AtomicBool,
    pub stop_notify: Notify,
    /// Becomes true when the execution ends (StartSyncExecution waits on it).
    pub done: watch::Sender<bool>,
}

impl ExecutionCell {
    pub fn new(record: ExecRecord) -> Arc<ExecutionCell> {
        let (done, _) = watch::channel(false);
        Arc::new(ExecutionCell {
            record: Mutex::new(record),
            stop: AtomicBool::new(false),
            stop_notify: Notify::new(),
            done,
        })
    }

    pub fn lock(&self) -> MutexGuard<'_, ExecRecord> {
        self.record.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn request_stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.stop_notify.notify_one();
    }

    pub fn stop_requested(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

/// What a worker or callback sends to a waiting task.
#[derive(Clone, Debug, PartialEq)]
pub enum Signal {
    Success(Value),
    Failure { error: Option<String>, cause: Option<String> },
    Heartbeat,
}

/// A task token an execution waits on.
pub struct Waiter {
    pub execution_arn: String,
    pub tx: mpsc::UnboundedSender<Signal>,
    /// When the task began waiting (a worker's pick-up is dated from it).
    pub since: std::time::Instant,
}

/// An activity task no worker has taken yet.
#[derive(Clone, Debug)]
pub struct ActivityTask {
    pub token: String,
    pub input: String,
}

/// The tasks of one activity ARN and the pollers waiting for them.
#[derive(Default)]
pub struct ActivityQueue {
    pub tasks: VecDeque<ActivityTask>,
    pub notify: Arc<Notify>,
}

#[derive(Default)]
pub struct Registry {
    pub machines: BTreeMap<String, MachineRecord>,
    pub activities: BTreeMap<String, ActivityRecord>,
    pub executions: HashMap<String, Arc<ExecutionCell>>,
    /// Execution ARNs, oldest first (ListExecutions lists newest first).
    pub order: Vec<String>,
    pub tokens: HashMap<String, Waiter>,
    /// Tokens whose task ended without an answer, and why (`TaskTimedOut`): a late answer
    /// gets that error instead of TaskDoesNotExist.
    pub closed_tokens: HashMap<String, &'static str>,
    pub queues: HashMap<String, ActivityQueue>,
    /// Finished Standard executions still in memory, oldest first (see [`Registry::retire`]).
    pub finished: VecDeque<String>,
}

/// Finished executions kept in memory unless `--max-executions` says otherwise.
pub const DEFAULT_MAX_FINISHED: usize = 10_000;

impl Registry {
    pub fn queue(&mut self, activity_arn: &str) -> &mut ActivityQueue {
        self.queues.entry(activity_arn.to_string()).or_default()
    }

    /// An execution ended. Memory stays bounded: past `keep` finished executions the oldest
    /// finished one is forgotten (with `--store` it stays in the file, where DescribeExecution
    /// and GetExecutionHistory still find it). An Express execution is forgotten at once: AWS
    /// keeps no record of them to describe (see `executions::find`).
    pub fn retire(&mut self, arn: &str, express: bool, keep: usize) {
        if express {
            self.forget(arn);
            return;
        }
        self.finished.push_back(arn.to_string());
        while self.finished.len() > keep {
            match self.finished.pop_front() {
                Some(old) => self.forget(&old),
                None => break,
            }
        }
    }

    fn forget(&mut self, arn: &str) {
        self.executions.remove(arn);
        if let Some(i) = self.order.iter().position(|a| a == arn) {
            self.order.remove(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn register(reg: &mut Registry, arn: &str) {
        reg.executions.insert(arn.into(), ExecutionCell::new(ExecRecord { arn: arn.into(), ..ExecRecord::default() }));
        reg.order.push(arn.into());
    }

    #[test]
    fn the_oldest_finished_executions_are_forgotten_past_the_bound() {
        let mut reg = Registry::default();
        for arn in ["a", "b", "c", "running"] {
            register(&mut reg, arn);
        }
        for arn in ["a", "b", "c"] {
            reg.retire(arn, false, 2);
        }
        assert!(!reg.executions.contains_key("a"), "the oldest finished one went");
        assert_eq!(reg.order, ["b", "c", "running"], "a running execution is never forgotten");
        register(&mut reg, "fast");
        reg.retire("fast", true, 2);
        assert!(!reg.executions.contains_key("fast"), "Express executions go at once");
        assert_eq!(reg.finished, ["b", "c"]);
    }

    #[test]
    fn answers_survive_json() {
        for answer in [
            TaskAnswer::Return(json!({"a": [1, "x"]})),
            TaskAnswer::Throw { error: "E".into(), cause: Some("c".into()) },
            TaskAnswer::Throw { error: "E".into(), cause: None },
        ] {
            for elapsed_ms in [None, Some(1500)] {
                let a = Answer { state: "S".into(), invocation: 3, answer: answer.clone(), elapsed_ms };
                assert_eq!(Answer::from_json(&a.to_json()), Some(a));
            }
        }
    }
}
