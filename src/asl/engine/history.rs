//! Execution history events shaped like AWS GetExecutionHistory: numbered from 1, each with the
//! id of the event before it and a virtual timestamp. Payloads are shared with the stage
//! records, never copied per event (see `engine::stored`).

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::asl::definition::StateType;
use crate::asl::engine::chunked::Chunked;
use crate::asl::engine::stored::Payload;

pub mod aws;

/// One history event.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryEvent {
    pub id: u32,
    pub previous_event_id: u32,
    /// Milliseconds since the Unix epoch on the execution's virtual clock.
    pub timestamp_ms: i64,
    pub kind: EventKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum EventKind {
    ExecutionStarted {
        input: Arc<Value>,
        role_arn: String,
    },
    StateEntered {
        state_type: StateType,
        /// Shared with the stage records of the same state (one allocation per state name).
        name: Arc<str>,
        input: Payload,
    },
    StateExited {
        state_type: StateType,
        name: Arc<str>,
        output: Payload,
        /// An object: the variables the state's `Assign` set, stored like the output (boxed: the
        /// common event without it stays small).
        assigned_variables: Option<Box<Payload>>,
    },
    ExecutionSucceeded {
        output: Arc<Value>,
    },
    /// Boxed strings keep every event small (this variant sized them all).
    ExecutionFailed {
        error: Option<Box<str>>,
        cause: Option<Box<str>>,
    },
    /// Every other event AWS records (`ParallelStateStarted`, `MapIterationStarted`,
    /// `TaskScheduled`, `TaskSucceeded`, …), with its type name and details as AWS shows them.
    Lifecycle {
        name: String,
        details: Option<Arc<Value>>,
    },
}

impl HistoryEvent {
    /// AWS's event type name, e.g. `PassStateEntered`.
    pub fn type_name(&self) -> String {
        match &self.kind {
            EventKind::ExecutionStarted { .. } => "ExecutionStarted".into(),
            EventKind::StateEntered { state_type, .. } => format!("{state_type}StateEntered"),
            EventKind::StateExited { state_type, .. } => format!("{state_type}StateExited"),
            EventKind::ExecutionSucceeded { .. } => "ExecutionSucceeded".into(),
            EventKind::ExecutionFailed { .. } => "ExecutionFailed".into(),
            EventKind::Lifecycle { name, .. } => name.clone(),
        }
    }

    /// The state this event belongs to, if any.
    pub fn state_name(&self) -> Option<&str> {
        match &self.kind {
            EventKind::StateEntered { name, .. } | EventKind::StateExited { name, .. } => Some(name),
            _ => None,
        }
    }

    /// The event's details as AWS shows them (`input`, `output`, `name`, `error`, `cause`).
    pub fn details(&self) -> Value {
        match &self.kind {
            EventKind::ExecutionStarted { input, role_arn } => json!({"input": &**input, "roleArn": role_arn}),
            EventKind::StateEntered { name, input, .. } => json!({"name": &**name, "input": &*input.value()}),
            EventKind::StateExited { name, output, assigned_variables, .. } => {
                let mut d = json!({"name": &**name, "output": &*output.value()});
                if let Some(vars) = assigned_variables {
                    d["assignedVariables"] = (*vars.value()).clone();
                }
                d
            }
            EventKind::ExecutionSucceeded { output } => json!({"output": &**output}),
            EventKind::ExecutionFailed { error, cause } => {
                let mut d = Map::new();
                if let Some(e) = error {
                    d.insert("error".into(), Value::String(e.to_string()));
                }
                if let Some(c) = cause {
                    d.insert("cause".into(), Value::String(c.to_string()));
                }
                Value::Object(d)
            }
            EventKind::Lifecycle { details, .. } => details.as_deref().cloned().unwrap_or(Value::Null),
        }
    }

    /// The whole event as JSON: `{id, previousEventId, timestamp, type, details}`.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "previousEventId": self.previous_event_id,
            "timestamp": crate::asl::engine::clock::format_millis(self.timestamp_ms),
            "type": self.type_name(),
            "details": self.details(),
        })
    }
}

/// The growing list of events of one execution.
#[derive(Clone, Debug, Default)]
pub struct History {
    events: Chunked<HistoryEvent>,
}

impl History {
    /// Appends an event and returns its id.
    pub fn push(&mut self, timestamp_ms: i64, kind: EventKind) -> u32 {
        let id = self.events.len() as u32 + 1;
        self.events.push(HistoryEvent { id, previous_event_id: id - 1, timestamp_ms, kind });
        id
    }

    pub fn events(&self) -> &Chunked<HistoryEvent> {
        &self.events
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Removes and returns the events after the first `len` (rewinding: the history is
    /// append-only, so the prefix is exactly what it was).
    pub(crate) fn split_off(&mut self, len: usize) -> Vec<HistoryEvent> {
        self.events.split_off(len.min(self.events.len()))
    }

    /// Puts back events taken by [`History::split_off`] (jumping forward again).
    pub(crate) fn extend(&mut self, events: impl IntoIterator<Item = HistoryEvent>) {
        self.events.extend(events);
    }

    /// The id the next event will get.
    pub fn next_id(&self) -> u32 {
        self.events.len() as u32 + 1
    }
}
