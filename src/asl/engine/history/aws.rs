//! The history in the exact shape of AWS's `GetExecutionHistory` (the API reference's
//! `HistoryEvent`): `id`, `previousEventId`, `timestamp`, `type`, and one
//! `<camelCaseType>EventDetails` object whose payloads (`input`, `output`, `parameters`,
//! `assignedVariables` values) are JSON *text*, each beside its `…Details: {"truncated": false}`.
//! Pure: the caller decides where the JSON goes (a file, the `serve` API).

use serde_json::{Map, Value, json};

use crate::asl::engine::clock::format_millis;
use crate::asl::engine::history::{EventKind, History, HistoryEvent};

/// How timestamps are written: the wire protocol sends epoch seconds (a number with
/// milliseconds as the fraction), the AWS CLI (v2, default `cli_timestamp_format = iso8601`)
/// prints them as ISO 8601 text with an explicit UTC offset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimestampStyle {
    /// `"2026-01-01T00:00:00.123000+00:00"`, as `aws stepfunctions get-execution-history` prints.
    #[default]
    Cli,
    /// `1767225600.123`, as the `GetExecutionHistory` API returns on the wire.
    EpochSeconds,
}

/// Options of [`aws_events`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AwsHistoryOptions {
    pub timestamps: TimestampStyle,
}

/// Every event of `history`, oldest first, as AWS `HistoryEvent` objects.
pub fn aws_events(history: &History, options: &AwsHistoryOptions) -> Vec<Value> {
    history.events().iter().map(|e| aws_event(e, options)).collect()
}

/// `{"events": [...]}`: the body of `GetExecutionHistory` (one page, no `nextToken`), which is
/// also what the AWS CLI prints.
pub fn aws_history_document(history: &History, options: &AwsHistoryOptions) -> Value {
    json!({"events": aws_events(history, options)})
}

/// One event as AWS shows it.
pub fn aws_event(event: &HistoryEvent, options: &AwsHistoryOptions) -> Value {
    let type_name = event.type_name();
    let mut out = Map::new();
    out.insert("id".into(), json!(event.id));
    out.insert("previousEventId".into(), json!(event.previous_event_id));
    out.insert("timestamp".into(), timestamp(event.timestamp_ms, options.timestamps));
    out.insert("type".into(), json!(type_name));
    if let Some(details) = details(event) {
        out.insert(details_key(&type_name), Value::Object(details));
    }
    Value::Object(out)
}

/// The name of the details member for an event type: every `*StateEntered` shares
/// `stateEnteredEventDetails`, every `*StateExited` `stateExitedEventDetails`; the rest are
/// their type with a lower-case first letter (`taskScheduledEventDetails`,
/// `mapIterationStartedEventDetails`, `executionTimedOutEventDetails`, …).
pub fn details_key(type_name: &str) -> String {
    if type_name.ends_with("StateEntered") {
        return "stateEnteredEventDetails".into();
    }
    if type_name.ends_with("StateExited") {
        return "stateExitedEventDetails".into();
    }
    let mut chars = type_name.chars();
    let first = chars.next().map(|c| c.to_ascii_lowercase().to_string()).unwrap_or_default();
    format!("{first}{}EventDetails", chars.as_str())
}

fn timestamp(ms: i64, style: TimestampStyle) -> Value {
    match style {
        TimestampStyle::Cli => {
            // `…T00:00:00.123Z` → `…T00:00:00.123000+00:00` (Python's isoformat of a UTC time).
            let text = format_millis(ms);
            let base = text.strip_suffix('Z').unwrap_or(&text);
            json!(format!("{base}000+00:00"))
        }
        TimestampStyle::EpochSeconds => {
            let secs = ms.div_euclid(1000);
            let millis = ms.rem_euclid(1000);
            if millis == 0 {
                json!(secs)
            } else {
                // Exact decimal text: `as f64 / 1000.0` would print 1767225600.1229999.
                let text = format!("{secs}.{millis:03}");
                serde_json::from_str::<Value>(text.trim_end_matches('0')).unwrap_or(json!(secs))
            }
        }
    }
}

/// JSON text of a payload, as AWS sends `input`/`output`.
fn text(v: &Value) -> Value {
    Value::String(serde_json::to_string(v).unwrap_or_default())
}

fn not_truncated() -> Value {
    json!({"truncated": false})
}

fn details(event: &HistoryEvent) -> Option<Map<String, Value>> {
    let mut d = Map::new();
    match &event.kind {
        EventKind::ExecutionStarted { input, role_arn } => {
            d.insert("input".into(), text(input));
            d.insert("inputDetails".into(), not_truncated());
            d.insert("roleArn".into(), json!(role_arn));
        }
        EventKind::StateEntered { name, input, .. } => {
            d.insert("name".into(), json!(&**name));
            d.insert("input".into(), text(&input.value()));
            d.insert("inputDetails".into(), not_truncated());
        }
        EventKind::StateExited { name, output, assigned_variables, .. } => {
            d.insert("name".into(), json!(&**name));
            d.insert("output".into(), text(&output.value()));
            d.insert("outputDetails".into(), not_truncated());
            // An empty `Assign` leaves no trace in AWS's history (`assign/test_base_cases(BASE_EMPTY)`).
            let vars = assigned_variables.as_ref().map(|v| v.value());
            if let Some(vars) = vars.as_deref().and_then(Value::as_object).filter(|v| !v.is_empty()) {
                let vars: Map<String, Value> = vars.iter().map(|(k, v)| (k.clone(), text(v))).collect();
                d.insert("assignedVariables".into(), Value::Object(vars));
                d.insert("assignedVariablesDetails".into(), not_truncated());
            }
        }
        EventKind::ExecutionSucceeded { output } => {
            d.insert("output".into(), text(output));
            d.insert("outputDetails".into(), not_truncated());
        }
        EventKind::ExecutionFailed { error, cause } => {
            if let Some(e) = error {
                d.insert("error".into(), json!(&**e));
            }
            if let Some(c) = cause {
                d.insert("cause".into(), json!(&**c));
            }
        }
        EventKind::Lifecycle { details, .. } => {
            let Some(Value::Object(fields)) = details.as_deref() else { return None };
            for (k, v) in fields {
                d.insert(k.clone(), v.clone());
                // The engine keeps payloads as text already (`parameters`, `input`, `output`);
                // AWS adds a details object beside `input` and `output` (not `parameters`).
                if k == "input" || k == "output" {
                    d.insert(format!("{k}Details"), not_truncated());
                }
            }
        }
    }
    // `ExecutionFailed` without error and cause (a Fail state with neither) still has its
    // (empty) details object in AWS's history.
    Some(d)
}

#[cfg(test)]
mod tests;
