//! The `with-tasks` group of the AWS-recorded corpus (`../shared/conformance`, read in place):
//! each case's recorded task results (`task_events`, in history order) become a mock config in
//! Step Functions Local's format, parsed by `statescope::asl::mock` and run. The outcome
//! (status, output, error, cause, entered/exited states) is compared as `tests/conformance.rs`
//! does, and separately the Task/LambdaFunction events with their details. Prints a pass table;
//! `STATESCOPE_CONFORMANCE_VERBOSE=1` lists the failures.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::support::{cases, expected_states, matches, python_json, read_json, state_entry, status_json, unmask};
use serde_json::{Value, json};
use statescope::asl::check::check;
use statescope::asl::engine::history::EventKind;
use statescope::asl::engine::tasks::{RecordedAnswers, TaskAnswer, TaskRequest, TaskSource};
use statescope::asl::engine::{Execution, ExecutionConfig};
use statescope::asl::mock::{MockSource, parse_mock_config, to_mock_config};
use statescope::asl::source::Source;

/// Cases whose outcome and states match; never lower it.
const FLOOR: usize = 81;
/// Cases whose Task/LambdaFunction events (names and details) match too.
const EVENTS_FLOOR: usize = 78;

/// One recorded invocation: what was sent and what came back.
struct Recorded {
    state: String,
    sent: Value,
    answer: TaskAnswer,
}

/// Walks the recorded history and pairs each task result with the Task state it belongs to:
/// a `…Scheduled` belongs to the oldest entered Task state not yet scheduled (or, for a retry,
/// to the state that last finished a task); results arrive in the order tasks were scheduled.
fn recorded_invocations(expected: &Value) -> Vec<Recorded> {
    let mut entered: Vec<String> = Vec::new();
    let mut in_flight: Vec<(String, Value)> = Vec::new();
    let mut last_done: Option<String> = None;
    let mut out = Vec::new();
    let empty = Vec::new();
    for e in expected["events"].as_array().unwrap_or(&empty) {
        let kind = e["type"].as_str().unwrap_or_default();
        let d = &e["details"];
        if kind == "TaskStateEntered" {
            entered.push(d["name"].as_str().unwrap_or_default().to_string());
        } else if kind.ends_with("Scheduled") && (kind.starts_with("Task") || kind.starts_with("LambdaFunction")) {
            let state = if entered.is_empty() { last_done.clone().unwrap_or_default() } else { entered.remove(0) };
            let sent = if kind.starts_with("Task") { d["parameters"].clone() } else { d["input"].clone() };
            in_flight.push((state, sent));
        } else if let Some(answer) = result_of(kind, d) {
            if in_flight.is_empty() {
                continue;
            }
            let (state, sent) = in_flight.remove(0);
            last_done = Some(state.clone());
            out.push(Recorded { state, sent, answer });
        }
    }
    out
}

fn result_of(kind: &str, d: &Value) -> Option<TaskAnswer> {
    let family = kind.strip_prefix("Task").or_else(|| kind.strip_prefix("LambdaFunction"))?;
    // The corpus re-parsed JSON causes. A bare function ARN passes on the function's own
    // text (Python's spacing); `lambda:invoke` re-serialises it compactly.
    let text = |v: &Value| match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other if kind.starts_with("LambdaFunction") => Some(python_json(other)),
        other => Some(other.to_string()),
    };
    match family {
        "Succeeded" => Some(TaskAnswer::Return(d["output"].clone())),
        "Failed" | "TimedOut" => Some(TaskAnswer::Throw {
            error: d["error"].as_str().unwrap_or_default().to_string(),
            cause: text(&d["cause"]),
        }),
        _ => None,
    }
}

/// The recorded invocations as a `MockConfigFile`, written by the library's own writer (one
/// test case, one response per state, numbered per state in history order).
fn mock_config_text(recorded: &[Recorded]) -> String {
    let mut answers = RecordedAnswers::default();
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    for r in recorded {
        let n = counts.entry(&r.state).or_default();
        answers.record(&r.state, *n, r.answer.clone());
        *n += 1;
    }
    to_mock_config("Recorded", "AsRecorded", answers.iter()).to_string()
}

/// The mock config's answers, except that where concurrent iterations ran in another order
/// than ours, the recorded invocation that was sent the same input answers.
/// States whose invocations the parent history does not show (Distributed Map iterations run
/// as child executions) answer as `task_notes` describe their function, when it is the
/// identity function.
struct ByInput {
    mock: MockSource,
    recorded: Vec<Recorded>,
    identity: Vec<String>,
}

impl TaskSource for ByInput {
    fn answer(&self, request: &TaskRequest) -> Option<TaskAnswer> {
        let mine: Vec<&Recorded> = self.recorded.iter().filter(|r| r.state == request.state).collect();
        if mine.is_empty() && self.identity.contains(&request.state) {
            let input = (*request.input).clone();
            return Some(TaskAnswer::Return(if request.resource.starts_with("arn:aws:lambda:") {
                input
            } else {
                json!({"ExecutedVersion": "$LATEST", "Payload": input["Payload"], "StatusCode": 200})
            }));
        }
        let same = |r: &Recorded| matches(&r.sent, &request.input);
        if mine.get(request.invocation as usize).is_some_and(|r| same(r)) {
            return self.mock.answer(request);
        }
        match mine.iter().find(|r| same(r)) {
            Some(r) => Some(r.answer.clone()),
            None => self.mock.answer(request),
        }
    }
}

struct Ran {
    outcome: Value,
    task_events: Value,
}

fn run(case: &Path, expected: &Value) -> Ran {
    let text = std::fs::read_to_string(case.join("definition.json")).unwrap_or_default();
    let checked = check(&Source::new("definition.json", text));
    let Some(machine) = checked.runnable() else {
        return Ran { outcome: json!({"status": "INVALID_DEFINITION"}), task_events: json!([]) };
    };
    let recorded = recorded_invocations(expected);
    let config_text = mock_config_text(&recorded);
    let parsed = parse_mock_config(&config_text);
    assert!(parsed.diagnostics.is_empty(), "{}: generated mock config: {:?}", case.display(), parsed.diagnostics);
    let config = parsed.config.expect("parsed");
    let mock = MockSource::new(&config, None, "AsRecorded").expect("test case");
    let identity = expected["task_notes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|n| n.contains("returns its event unchanged (identity)"))
        .filter_map(|n| n.split_once(": ").map(|(state, _)| state.to_string()))
        .collect();
    let source = Arc::new(ByInput { mock, recorded, identity });
    let input = read_json(&case.join("input.json"));
    let mut exec =
        Execution::with_tasks(machine.clone(), input, ExecutionConfig::default(), source, RecordedAnswers::default());
    let mut outcome = status_json(exec.run());
    let mut states = Vec::new();
    let mut task_events = Vec::new();
    for e in exec.history().events() {
        match &e.kind {
            EventKind::StateEntered { .. } | EventKind::StateExited { .. } => states.extend(state_entry(&e.kind)),
            EventKind::Lifecycle { name, details }
                if (name.starts_with("Task") || name.starts_with("LambdaFunction"))
                    && !name.ends_with("Started")
                    && !name.starts_with("TaskState") =>
            {
                let mut event = json!({"type": name});
                if let Some(Value::Object(d)) = details.as_deref() {
                    for (k, v) in d {
                        // AWS records these as JSON text; the corpus shows them parsed.
                        let parsed = match (k.as_str(), v) {
                            ("parameters" | "input" | "output" | "cause", Value::String(s)) => {
                                serde_json::from_str(s).unwrap_or_else(|_| v.clone())
                            }
                            _ => v.clone(),
                        };
                        event[k] = parsed;
                    }
                }
                task_events.push(event);
            }
            _ => {}
        }
    }
    outcome["states"] = Value::Array(states);
    Ran { outcome, task_events: Value::Array(task_events) }
}

/// A cause AWS recorded as JSON text appears parsed in the corpus: compare like with like.
fn comparable_cause(expected: &Value, actual: &Value) -> Value {
    match (expected, actual) {
        (Value::Object(_) | Value::Array(_), Value::String(s)) => {
            serde_json::from_str(s).unwrap_or_else(|_| actual.clone())
        }
        _ => actual.clone(),
    }
}

/// Why `actual` differs from `expected`, or `None`.
fn compare(expected: &Value, actual: &Value) -> Option<String> {
    let status = &expected["status"];
    if &actual["status"] != status {
        return Some(format!("status {} vs {}: {} {}", status, actual["status"], actual["error"], actual["cause"]));
    }
    let fields: &[&str] = match status.as_str() {
        Some("SUCCEEDED") => &["output"],
        Some("FAILED") => &["error", "cause"],
        _ => &[],
    };
    for f in fields {
        let e = expected.get(*f).unwrap_or(&Value::Null);
        let mut a = actual.get(*f).cloned().unwrap_or(Value::Null);
        if *f == "cause" {
            a = comparable_cause(e, &a);
        }
        if !matches(e, &a) {
            return Some(format!("{f}: expected {e} got {a}"));
        }
    }
    if let Some(states) = expected_states(expected) {
        let got = &actual["states"];
        if !matches(&states, got) {
            let (e, a) = (states.as_array().map_or(0, Vec::len), got.as_array().map_or(0, Vec::len));
            let first = (0..e.max(a)).find(|&i| !matches(&states[i], &got[i]));
            let at = first.map(|i| format!("#{i}: expected {} got {}", states[i], got[i])).unwrap_or_default();
            return Some(format!("states differ ({e} recorded, {a} produced) {at}"));
        }
    }
    None
}

/// The recorded Task/LambdaFunction events against ours, details included.
fn compare_events(expected: &Value, actual: &Value) -> Option<String> {
    let empty = Vec::new();
    let e = expected["task_events"].as_array().unwrap_or(&empty);
    let a = actual.as_array().unwrap_or(&empty);
    let at = |i: usize| e.get(i).cloned().unwrap_or(Value::Null);
    let normalised: Vec<Value> = a
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut a = a.clone();
            if let Some(c) = a.get("cause").cloned() {
                a["cause"] = comparable_cause(&at(i)["cause"], &c);
            }
            a
        })
        .collect();
    let first = (0..e.len().max(a.len())).find(|&i| !matches(&at(i), normalised.get(i).unwrap_or(&Value::Null)))?;
    Some(format!(
        "task events differ ({} recorded, {} produced) #{first}: expected {} got {}",
        e.len(),
        a.len(),
        at(first),
        normalised.get(first).unwrap_or(&Value::Null)
    ))
}

#[test]
fn with_tasks_cases_pass_on_their_recorded_task_results() {
    if crate::support::conformance_or_skip("with_tasks_cases_pass_on_their_recorded_task_results").is_none() {
        return;
    }
    let verbose = std::env::var_os("STATESCOPE_CONFORMANCE_VERBOSE").is_some();
    let (mut passed, mut events_ok, mut total) = (0, 0, 0);
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for case in cases("with-tasks") {
        let expected = unmask(&read_json(&case.join("expected.json")));
        total += 1;
        let ran = run(&case, &expected);
        let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_string();
        match compare(&expected, &ran.outcome) {
            None => passed += 1,
            Some(why) => {
                let short: String = why.chars().take(60).collect();
                *reasons.entry(short).or_default() += 1;
                if verbose {
                    eprintln!("FAIL {name}: {why}");
                }
            }
        }
        match compare_events(&expected, &ran.task_events) {
            None => events_ok += 1,
            Some(why) if verbose => eprintln!("EVENTS {name}: {why}"),
            Some(_) => {}
        }
    }
    eprintln!("{:<22} {:>7} {:>7} {:>13}", "group", "passed", "failed", "events match");
    eprintln!("{:<22} {passed:>7} {:>7} {events_ok:>13}", "with-tasks", total - passed);
    assert!(passed >= FLOOR, "with-tasks regressed: {passed} < floor {FLOOR}");
    assert!(events_ok >= EVENTS_FLOOR, "with-tasks task events regressed: {events_ok} < floor {EVENTS_FLOOR}");
}
