//! GetExecutionHistory's `HistoryEvent` shape: `{timestamp, type, id, previousEventId,
//! <type>EventDetails}` with payloads as JSON text. The one place the server turns engine
//! events into API events (to be replaced by the history export's converter, issue 16).

use serde_json::{Map, Value, json};

use crate::asl::engine::history::{EventKind, HistoryEvent};
use crate::server::protocol::epoch_seconds;

/// One engine event as the API returns it.
pub fn event_json(e: &HistoryEvent) -> Value {
    let type_name = e.type_name();
    let details = match &e.kind {
        EventKind::ExecutionStarted { input, role_arn } => Some((
            "executionStartedEventDetails".to_string(),
            json!({"input": input.to_string(), "inputDetails": {"truncated": false}, "roleArn": role_arn}),
        )),
        EventKind::StateEntered { name, input, .. } => Some((
            "stateEnteredEventDetails".into(),
            json!({"name": &**name, "input": input.to_string(), "inputDetails": {"truncated": false}}),
        )),
        EventKind::StateExited { name, output, assigned_variables, .. } => {
            let mut d = json!({"name": &**name, "output": output.to_string(), "outputDetails": {"truncated": false}});
            if let Some(vars) = assigned_variables {
                let texts: Map<String, Value> = vars.iter().map(|(k, v)| (k.clone(), json!(v.to_string()))).collect();
                d["assignedVariables"] = Value::Object(texts);
                d["assignedVariablesDetails"] = json!({"truncated": false});
            }
            Some(("stateExitedEventDetails".into(), d))
        }
        EventKind::ExecutionSucceeded { output } => Some((
            "executionSucceededEventDetails".into(),
            json!({"output": output.to_string(), "outputDetails": {"truncated": false}}),
        )),
        EventKind::ExecutionFailed { .. } => Some(("executionFailedEventDetails".into(), e.details())),
        EventKind::Lifecycle { details, .. } => {
            details.as_deref().filter(|d| !d.is_null()).map(|d| (details_key(&type_name), d.clone()))
        }
    };
    event(e.id, e.previous_event_id, e.timestamp_ms, &type_name, details)
}

/// An event the server itself records after the engine stopped (`ExecutionAborted`,
/// `ExecutionTimedOut`), with `details` under its `…EventDetails` key.
pub fn server_event(id: u32, timestamp_ms: i64, type_name: &str, details: Value) -> Value {
    event(id, id.saturating_sub(1), timestamp_ms, type_name, Some((details_key(type_name), details)))
}

fn event(id: u32, previous: u32, timestamp_ms: i64, type_name: &str, details: Option<(String, Value)>) -> Value {
    let mut o =
        json!({"timestamp": epoch_seconds(timestamp_ms), "type": type_name, "id": id, "previousEventId": previous});
    if let Some((key, d)) = details {
        o[key] = d;
    }
    o
}

/// `TaskScheduled` → `taskScheduledEventDetails`.
fn details_key(type_name: &str) -> String {
    let mut c = type_name.chars();
    let first = c.next().map(|f| f.to_ascii_lowercase().to_string()).unwrap_or_default();
    format!("{first}{}EventDetails", c.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_sit_under_the_event_s_own_key() {
        assert_eq!(details_key("TaskScheduled"), "taskScheduledEventDetails");
        assert_eq!(details_key("MapIterationStarted"), "mapIterationStartedEventDetails");
        let e = server_event(7, 1_000, "ExecutionAborted", json!({"error": "E"}));
        assert_eq!(
            e,
            json!({"timestamp": 1.0, "type": "ExecutionAborted", "id": 7, "previousEventId": 6,
                   "executionAbortedEventDetails": {"error": "E"}})
        );
    }
}
