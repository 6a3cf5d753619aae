//! The first event where a replay differs from its recording. Events are matched by what they
//! are, not by position — `(type, state, Map iterations, occurrence)` — so a recording whose
//! concurrent branches interleave differently from the replay's still matches; then the fields
//! that follow from the definition are compared (inputs, outputs, parameters sent, errors).
//! Timestamps, ARNs and role names are not: they describe where it ran.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::threads::{Ancestry, Place, places, task_event};
use super::{Payload, RecordedEvent, RecordedHistory};
use crate::asl::definition::StateMachine;

/// Where and how a replay first differs from the recording.
#[derive(Clone, Debug, PartialEq)]
pub struct Divergence {
    /// The recorded event's id (for an event only the replay has, the id it has in the replay).
    pub event_id: u64,
    pub state: Option<String>,
    pub expected: Value,
    pub actual: Value,
    pub reason: String,
}

impl Divergence {
    /// `{eventId, state, expected, actual, reason}`, as `replay --format json` prints it.
    pub fn to_json(&self) -> Value {
        json!({"eventId": self.event_id, "state": self.state, "expected": self.expected,
               "actual": self.actual, "reason": self.reason})
    }
}

/// `(type, state, Map iterations)`.
type Base = (String, Option<String>, Vec<(String, u64)>);
/// A [`Base`] and its occurrence.
type Key = (String, Option<String>, Vec<(String, u64)>, usize);

/// Keys of every event: the occurrence counts keep repeated visits apart.
fn keys(events: &[RecordedEvent], places: &[Place]) -> Vec<Key> {
    let mut seen: HashMap<Base, usize> = HashMap::new();
    events
        .iter()
        .zip(places)
        .map(|(e, p)| {
            let items: Vec<(String, u64)> = p.items.iter().map(|i| (i.map.clone(), i.index)).collect();
            let base = (e.type_name.clone(), p.state.clone(), items);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            (base.0, base.1, base.2, *n - 1)
        })
        .collect()
}

/// The fields of an event that follow from the definition and the recorded inputs.
fn compared_fields(e: &RecordedEvent) -> Vec<&'static str> {
    let t = e.type_name.as_str();
    if t == "ExecutionStarted" || t.ends_with("StateEntered") {
        return vec!["input"];
    }
    if t.ends_with("StateExited") {
        return vec!["output", "assignedVariables"];
    }
    if t == "ExecutionSucceeded" {
        return vec!["output"];
    }
    if t == "MapStateStarted" {
        return vec!["length"];
    }
    if let Some((family, outcome)) = task_event(t) {
        return match outcome {
            "Scheduled" if family == "Task" => vec!["resourceType", "resource", "parameters"],
            "Scheduled" => vec!["input"],
            "Succeeded" => vec!["output"],
            "Failed" | "TimedOut" => vec!["error", "cause"],
            _ => vec![],
        };
    }
    if t.ends_with("Failed") || t.ends_with("TimedOut") || t.ends_with("Aborted") {
        return vec!["error", "cause"];
    }
    vec![]
}

/// A field's value for comparison: payloads decoded, `assignedVariables`' texts decoded.
fn field(e: &RecordedEvent, name: &str) -> Value {
    match name {
        "input" | "output" | "parameters" => match e.payload(name) {
            Payload::Value(v) => v,
            Payload::Truncated => json!("<truncated>"),
            Payload::Missing => Value::Null,
            Payload::Invalid(s) => Value::String(s),
        },
        "assignedVariables" => match e.details.get(name) {
            Some(Value::Object(vars)) => Value::Object(
                vars.iter()
                    .map(|(k, v)| {
                        let v = v.as_str().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_else(|| v.clone());
                        (k.clone(), v)
                    })
                    .collect(),
            ),
            _ => Value::Null,
        },
        _ => e.details.get(name).cloned().unwrap_or(Value::Null),
    }
}

/// `TaskStateEntered 'Charge card'`.
fn describe(e: &RecordedEvent, p: &Place) -> String {
    match &p.state {
        Some(s) => format!("{} '{s}'", e.type_name),
        None => e.type_name.clone(),
    }
}

/// Compares `produced` with `recorded`. `stopped` says the replay could not go on (a task
/// result the recording lacks): recorded events it never reached are then not divergences.
pub(super) fn first_divergence(
    machine: &StateMachine,
    recorded: &RecordedHistory,
    produced: &RecordedHistory,
    stopped: bool,
) -> Option<Divergence> {
    let ancestry = Ancestry::new(machine);
    let (rp, pp) = (places(&ancestry, recorded), places(&ancestry, produced));
    let (rk, pk) = (keys(&recorded.events, &rp), keys(&produced.events, &pp));
    let index: HashMap<&Key, usize> = pk.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let recorded_at: HashMap<u64, usize> = recorded.events.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    let mut matched = vec![false; pk.len()];
    for (i, (e, key)) in recorded.events.iter().zip(&rk).enumerate() {
        let Some(&j) = index.get(key) else {
            if stopped {
                continue;
            }
            return Some(missing(&ancestry, recorded, &rp, &rk, i, produced, &pp, &index, &recorded_at));
        };
        matched[j] = true;
        let got = &produced.events[j];
        for f in compared_fields(e) {
            // A payload AWS cut (over its inline limit) cannot be compared; the replay still
            // computes it.
            if e.payload(f) == Payload::Truncated {
                continue;
            }
            let (want, have) = (field(e, f), field(got, f));
            if want != have {
                let what = describe(e, &rp[i]);
                let (at, w, h) = first_difference("$", &want, &have);
                let at = if at == "$" { String::new() } else { format!(" at {at}") };
                let reason =
                    format!("{what}: {f} differs{at}: the recording has {}, the replay {}", short(w), short(h));
                return Some(Divergence {
                    event_id: e.id,
                    state: rp[i].state.clone(),
                    reason,
                    expected: want,
                    actual: have,
                });
            }
        }
    }
    if !recorded.is_complete() {
        // The recording stops (a running execution): the replay may go further.
        return None;
    }
    let j = matched.iter().position(|m| !m)?;
    let e = &produced.events[j];
    Some(Divergence {
        event_id: e.id,
        state: pp[j].state.clone(),
        expected: Value::Null,
        actual: json!(describe(e, &pp[j])),
        reason: format!("the replay has {} (its event {}), the recording has no such event", describe(e, &pp[j]), e.id),
    })
}

/// A recorded event the replay does not have: say what the replay did instead at that point.
#[allow(clippy::too_many_arguments)]
fn missing(
    ancestry: &Ancestry,
    recorded: &RecordedHistory,
    rp: &[Place],
    rk: &[Key],
    i: usize,
    produced: &RecordedHistory,
    pp: &[Place],
    index: &HashMap<&Key, usize>,
    recorded_at: &HashMap<u64, usize>,
) -> Divergence {
    let e = &recorded.events[i];
    let expected = json!(describe(e, &rp[i]));
    // The event before it on its branch, and what followed that event in the replay.
    let before = recorded_at.get(&e.previous_event_id).copied().or_else(|| i.checked_sub(1));
    let after = before.and_then(|b| index.get(&rk[b])).map(|&j| j + 1);
    let instead = after.and_then(|j| produced.events.get(j).map(|x| (x, &pp[j])));
    let state = rp[i].state.clone();
    let Some((x, xp)) = instead else {
        return Divergence {
            event_id: e.id,
            state,
            reason: format!("the replay ended before {} (event {})", describe(e, &rp[i]), e.id),
            expected,
            actual: Value::Null,
        };
    };
    let actual = json!(describe(x, xp));
    let from = before.map(|b| (&recorded.events[b], &rp[b]));
    let entered = |t: &str| t.ends_with("StateEntered");
    let retried = |b: &RecordedEvent| task_event(&b.type_name).is_some_and(|(_, o)| o == "Failed" || o == "TimedOut");
    let reason = match (from, &rp[i].state, &xp.state) {
        (Some((b, _)), Some(want), _) if e.type_name.ends_with("Scheduled") && retried(b) => {
            let attempt = rk[i].3 + 1;
            format!(
                "the recording retried '{want}' (attempt {attempt}), the replay did not: its Retry changed since the run"
            )
        }
        (Some((b, bp)), Some(want), Some(got)) if entered(&e.type_name) && entered(&x.type_name) => {
            let from_state = bp.state.clone().unwrap_or_default();
            let kind = ancestry.kinds.get(&from_state).copied().unwrap_or("state");
            if kind == "Choice" {
                format!(
                    "definition changed since the run: Choice '{from_state}' now takes '{got}', the recording took '{want}'"
                )
            } else if b.type_name.ends_with("StateExited") {
                format!(
                    "definition changed since the run: {kind} '{from_state}' now goes to '{got}', the recording went to '{want}'"
                )
            } else {
                format!("after {}, the replay entered '{got}', the recording entered '{want}'", describe(b, bp))
            }
        }
        _ => format!(
            "the recording has {} (event {}), the replay has {} instead",
            describe(e, &rp[i]),
            e.id,
            describe(x, xp)
        ),
    };
    Divergence { event_id: e.id, state, expected, actual, reason }
}

/// Where two JSON values first differ: a JSONPath-like location and the two values there.
fn first_difference<'a>(path: &str, a: &'a Value, b: &'a Value) -> (String, &'a Value, &'a Value) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) if v == w => {}
                    Some(w) => return first_difference(&format!("{path}.{k}"), v, w),
                    None => return (path.to_string(), a, b),
                }
            }
            (path.to_string(), a, b)
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => match x.iter().zip(y).position(|(v, w)| v != w) {
            Some(i) => first_difference(&format!("{path}[{i}]"), &x[i], &y[i]),
            None => (path.to_string(), a, b),
        },
        _ => (path.to_string(), a, b),
    }
}

/// A value for a one-line message: long JSON is cut.
fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 120 { format!("{}…", text.chars().take(119).collect::<String>()) } else { text }
}
