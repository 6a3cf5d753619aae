//! Replaying a recorded execution: a history in AWS's `GetExecutionHistory` shape (the AWS
//! CLI's output, a bare `events` array, or several pages one after the other) is read, the
//! machine re-executed with the recorded input and every task result taken from the recording
//! ([`RecordedTasks`], a [`TaskSource`](crate::asl::engine::tasks::TaskSource)), and each event
//! the replay produces compared with the recorded one: the first divergence says where the
//! definition no longer does what ran.

mod compare;
mod threads;

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::asl::definition::StateMachine;
use crate::asl::engine::history::aws::{AwsHistoryOptions, aws_events};
use crate::asl::engine::tasks::RecordedAnswers;
use crate::asl::engine::{Execution, ExecutionConfig, Status};

pub use compare::Divergence;
pub use threads::RecordedTasks;

/// Why a history cannot be replayed.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum HistoryError {
    #[error("{line}:{column}: not valid JSON: {message}")]
    Json { line: usize, column: usize, message: String },
    #[error("{0}")]
    Shape(String),
    #[error("the history has no ExecutionStarted event: the execution input is unknown")]
    NoStart,
    #[error("the execution input in ExecutionStarted is truncated: it cannot be replayed")]
    InputTruncated,
}

/// One recorded event, its details object taken out of `<camelCaseType>EventDetails`.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedEvent {
    pub id: u64,
    pub previous_event_id: u64,
    /// Milliseconds since the Unix epoch, when the timestamp could be read.
    pub timestamp_ms: Option<i64>,
    pub type_name: String,
    pub details: Map<String, Value>,
}

/// A payload field of an event: a JSON value, or why it cannot be had.
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    Value(Value),
    /// `…Details.truncated` is true: AWS cut the payload (over its inline limit).
    Truncated,
    Missing,
    /// Not JSON text (quoted so the user can see it).
    Invalid(String),
}

impl RecordedEvent {
    pub fn text(&self, key: &str) -> Option<&str> {
        self.details.get(key).and_then(Value::as_str)
    }

    /// The JSON payload in `key` (`input`, `output`, `parameters`), decoded from its text.
    pub fn payload(&self, key: &str) -> Payload {
        let truncated = self.details.get(&format!("{key}Details")).and_then(|d| d.get("truncated"));
        if truncated == Some(&Value::Bool(true)) {
            return Payload::Truncated;
        }
        match self.details.get(key) {
            None => Payload::Missing,
            Some(Value::String(s)) => match serde_json::from_str(s) {
                Ok(v) => Payload::Value(v),
                Err(_) => Payload::Invalid(s.clone()),
            },
            // Already decoded (hand-written or re-serialised histories): take it as it is.
            Some(other) => Payload::Value(other.clone()),
        }
    }
}

/// A whole recorded history, ordered by event id.
#[derive(Clone, Debug, Default)]
pub struct RecordedHistory {
    pub events: Vec<RecordedEvent>,
}

/// Reads a history: `{"events": [...]}` (optionally with `nextToken`), a bare array of events,
/// or several of these one after another (pages as the CLI prints them with `--no-paginate`
/// or concatenated by hand). Events are ordered by id (the CLI's `--reverse-order` included);
/// an id given twice keeps its first occurrence.
pub fn parse_history(text: &str) -> Result<RecordedHistory, HistoryError> {
    let mut raw = Vec::new();
    for doc in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        let doc = doc.map_err(|e| HistoryError::Json { line: e.line(), column: e.column(), message: e.to_string() })?;
        match doc {
            Value::Object(mut o) => match o.remove("events") {
                Some(Value::Array(events)) => raw.extend(events),
                _ => return Err(HistoryError::Shape("expected an object with an \"events\" array".into())),
            },
            Value::Array(events) => raw.extend(events),
            _ => return Err(HistoryError::Shape("expected {\"events\": [...]} or an array of events".into())),
        }
    }
    from_events(raw)
}

/// Builds a history from AWS `HistoryEvent` objects.
pub fn from_events(raw: Vec<Value>) -> Result<RecordedHistory, HistoryError> {
    let mut events = Vec::with_capacity(raw.len());
    for (n, e) in raw.into_iter().enumerate() {
        let Value::Object(mut o) = e else {
            return Err(HistoryError::Shape(format!("event {} is not an object", n + 1)));
        };
        let type_name = match o.remove("type") {
            Some(Value::String(t)) => t,
            _ => return Err(HistoryError::Shape(format!("event {} has no \"type\"", n + 1))),
        };
        let Some(id) = o.get("id").and_then(Value::as_u64) else {
            return Err(HistoryError::Shape(format!("event {} ({type_name}) has no numeric \"id\"", n + 1)));
        };
        let previous_event_id = o.get("previousEventId").and_then(Value::as_u64).unwrap_or(0);
        let timestamp_ms = o.get("timestamp").and_then(timestamp_ms);
        let key = crate::asl::engine::history::aws::details_key(&type_name);
        let details = match o.remove(&key) {
            Some(Value::Object(d)) => d,
            _ => Map::new(),
        };
        events.push(RecordedEvent { id, previous_event_id, timestamp_ms, type_name, details });
    }
    events.sort_by_key(|e| e.id);
    events.dedup_by_key(|e| e.id);
    Ok(RecordedHistory { events })
}

/// A timestamp as the API sends it (epoch seconds) or as the CLI prints it (ISO 8601).
/// Only years 1970–9999 are taken: the virtual clock must have room to advance.
fn timestamp_ms(v: &Value) -> Option<i64> {
    const LAST_MS: i64 = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
    let ms = match v {
        Value::Number(n) => n.as_f64().filter(|s| s.is_finite()).map(|s| (s * 1000.0).round() as i64),
        Value::String(s) => crate::asl::timestamp::parse_timestamp(s).map(|t| t.epoch_millis()),
        _ => None,
    };
    ms.filter(|ms| (0..=LAST_MS).contains(ms))
}

impl RecordedHistory {
    /// How the execution ended: `SUCCEEDED` with its output, `FAILED`/`TIMED_OUT`/`ABORTED`
    /// with error and cause; `None` while it runs (or when the recording stops early).
    pub fn outcome(&self) -> Option<Value> {
        let last = self.events.last()?;
        let status = match last.type_name.as_str() {
            "ExecutionSucceeded" => {
                let output = match last.payload("output") {
                    Payload::Value(v) => v,
                    _ => Value::Null,
                };
                return Some(serde_json::json!({"status": "SUCCEEDED", "output": output}));
            }
            "ExecutionFailed" => "FAILED",
            "ExecutionTimedOut" => "TIMED_OUT",
            "ExecutionAborted" => "ABORTED",
            _ => return None,
        };
        let mut out = serde_json::json!({"status": status});
        for k in ["error", "cause"] {
            if let Some(v) = last.text(k) {
                out[k] = Value::String(v.to_string());
            }
        }
        Some(out)
    }

    fn started(&self) -> Option<&RecordedEvent> {
        self.events.iter().find(|e| e.type_name == "ExecutionStarted")
    }

    /// The execution input from `ExecutionStarted`.
    pub fn input(&self) -> Result<Value, HistoryError> {
        let started = self.started().ok_or(HistoryError::NoStart)?;
        match started.payload("input") {
            Payload::Value(v) => Ok(v),
            Payload::Missing => Ok(Value::Object(Map::new())),
            Payload::Truncated => Err(HistoryError::InputTruncated),
            Payload::Invalid(s) => Err(HistoryError::Shape(format!("the execution input is not JSON: {s}"))),
        }
    }

    /// The role the execution ran with, from `ExecutionStarted`.
    pub fn role_arn(&self) -> Option<&str> {
        self.started().and_then(|e| e.text("roleArn"))
    }

    /// When the execution started, if recorded.
    pub fn start_ms(&self) -> Option<i64> {
        self.started().and_then(|e| e.timestamp_ms)
    }

    /// Whether the recording ends with the execution's end.
    pub fn is_complete(&self) -> bool {
        self.events.last().is_some_and(|e| {
            matches!(
                e.type_name.as_str(),
                "ExecutionSucceeded" | "ExecutionFailed" | "ExecutionTimedOut" | "ExecutionAborted"
            )
        })
    }
}

/// What a replay found.
#[derive(Debug)]
pub struct ReplayReport {
    pub status: Status,
    /// The first event where the replay differs from the recording, if any.
    pub divergence: Option<Divergence>,
    /// Task results the recording does not hold in full (truncated, missing): the replay
    /// stopped at the first, and these stages could not be reconstructed.
    pub unreconstructed: Vec<String>,
    /// Events the replay produced, in AWS's shape.
    pub events: Vec<Value>,
}

/// Re-executes `machine` on `recorded`: its input, its start time, its task results.
pub fn replay(
    machine: &Arc<StateMachine>,
    recorded: &RecordedHistory,
    config: ExecutionConfig,
) -> Result<ReplayReport, HistoryError> {
    let input = recorded.input()?;
    // What the recording says about where it ran, so `$$` shows the same values.
    let role_arn = recorded.role_arn().map_or(config.role_arn.clone(), str::to_string);
    let config = ExecutionConfig { start_ms: recorded.start_ms().unwrap_or(config.start_ms), role_arn, ..config };
    let tasks = Arc::new(RecordedTasks::new(Some(machine), recorded));
    let mut exec = Execution::with_tasks(machine.clone(), input, config, tasks.clone(), RecordedAnswers::default());
    exec.run();
    let status = exec.status().clone();
    let events = aws_events(exec.history(), &AwsHistoryOptions::default());
    let mut unreconstructed = Vec::new();
    if let Status::AwaitingTask(request) = &status {
        unreconstructed.push(tasks.why_unanswered(request));
    }
    let produced = from_events(events.clone())?;
    let divergence = compare::first_divergence(machine, recorded, &produced, !unreconstructed.is_empty());
    Ok(ReplayReport { status, divergence, unreconstructed, events })
}

#[cfg(test)]
mod tests;
