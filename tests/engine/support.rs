//! Shared helpers for the integration tests: where the AWS-recorded corpus lives, and a
//! comparison that treats its snapshot placeholders as wildcards (as `check.py` does).

#![allow(dead_code)]

use std::path::PathBuf;

use serde_json::{Value, json};
use statescope::asl::engine::Status;
use statescope::asl::engine::history::EventKind;

/// `../shared/conformance` beside the crate, or `$STATESCOPE_CONFORMANCE`.
pub fn conformance_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("STATESCOPE_CONFORMANCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"));
    dir.join("cases").is_dir().then_some(dir)
}

/// `false` (after one line on the terminal) when a corpus is missing, so the test skips. The
/// line is written to stderr directly, not through `eprintln!`, which the test harness captures:
/// a skip must be visible in a plain `cargo test`. With `STATESCOPE_REQUIRE_CORPUS` set (CI,
/// where `../shared` exists) a missing corpus is a failure instead.
pub fn corpus_or_skip(test: &str, what: &str, found: bool) -> bool {
    use std::io::Write;
    if found {
        return true;
    }
    if std::env::var_os("STATESCOPE_REQUIRE_CORPUS").is_some_and(|v| !v.is_empty()) {
        panic!("{test}: {what} not found, and STATESCOPE_REQUIRE_CORPUS is set");
    }
    let _ = writeln!(
        std::io::stderr(),
        "corpus_missing_skipped: {test}: {what} not found; skipped (see README, 'Test data')"
    );
    false
}

/// [`corpus_or_skip`] for the AWS-recorded corpus.
pub fn conformance_or_skip(test: &str) -> Option<PathBuf> {
    let dir = conformance_dir();
    corpus_or_skip(test, "the conformance corpus (../shared/conformance or $STATESCOPE_CONFORMANCE)", dir.is_some())
        .then_some(dir)
        .flatten()
}

/// Every case directory of a group, sorted.
pub fn cases(group: &str) -> Vec<PathBuf> {
    let Some(dir) = conformance_dir() else { return Vec::new() };
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir.join("cases").join(group))
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.join("expected.json").is_file()).collect())
        .unwrap_or_default();
    out.sort();
    out
}

pub fn read_json(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const SOFT: &[&str] =
    &["date", "timestamp", "datetime", "snf_role_arn", "RequestId", "x-amzn-RequestId", "X-Amzn-Trace-Id"];

/// `expected` matches `actual`, with `<placeholder>` wildcards; objects ignore key order and
/// numbers compare by value.
pub fn matches(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        // LocalStack's intrinsic tests replaced random results wholesale before snapshotting.
        (Value::String(e), Value::Number(_)) if e == "RandomNumberGenerated" => true,
        (Value::String(e), Value::String(a)) if e == "generated-uuid" => is_uuid(a),
        (Value::String(e), Value::String(a)) => e == a || SOFT.contains(&e.as_str()) || wildcard(e, a),
        (Value::Number(e), Value::Number(a)) => e.as_f64() == a.as_f64(),
        (Value::Array(e), Value::Array(a)) => e.len() == a.len() && e.iter().zip(a).all(|(x, y)| matches(x, y)),
        (Value::Object(e), Value::Object(a)) => {
            e.len() == a.len() && e.iter().all(|(k, v)| a.get(k).is_some_and(|w| matches(v, w)))
        }
        _ => expected == actual,
    }
}

/// Canonical 8-4-4-4-12 lowercase-hex form.
fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)))
}

/// Splits `pattern` at `<name>` placeholders and matches the pieces in order.
fn wildcard(pattern: &str, text: &str) -> bool {
    let mut pieces = Vec::new();
    let mut rest = pattern;
    let mut has_placeholder = false;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else { break };
        let name = &rest[start + 1..start + len];
        if name.is_empty()
            || !name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || "_:.-".contains(c))
        {
            pieces.push(&rest[..start + 1]);
            rest = &rest[start + 1..];
            continue;
        }
        pieces.push(&rest[..start]);
        pieces.push("\u{0}");
        has_placeholder = true;
        rest = &rest[start + len + 1..];
    }
    pieces.push(rest);
    if !has_placeholder {
        return false;
    }
    // Join literal runs between wildcards, then match greedily left to right.
    let mut literals: Vec<String> = vec![String::new()];
    for p in pieces {
        if p == "\u{0}" {
            literals.push(String::new())
        } else if let Some(l) = literals.last_mut() {
            l.push_str(p)
        }
    }
    let first = &literals[0];
    let last = &literals[literals.len() - 1];
    if !text.starts_with(first.as_str())
        || !text[first.len()..].ends_with(last.as_str())
        || text.len() < first.len() + last.len()
    {
        return false;
    }
    let mut pos = first.len();
    let end = text.len() - last.len();
    for lit in &literals[1..literals.len() - 1] {
        match text[pos..end].find(lit.as_str()) {
            Some(i) => pos += i + lit.len(),
            None => return false,
        }
    }
    true
}

#[test]
fn placeholders_are_wildcards() {
    use serde_json::json;
    assert!(matches(&json!("arn:<partition>:states:<region>:1:x"), &json!("arn:aws:states:us-east-1:1:x")));
    assert!(!matches(&json!("arn:<partition>:states"), &json!("arn:aws:lambda")));
    assert!(matches(&json!({"a": 1, "b": [1.0]}), &json!({"b": [1], "a": 1.0})));
    assert!(!matches(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
    assert!(!matches(&json!(true), &json!(1)));
}

/// What the engine ended with, in check.py's shape (`status` plus `output` or `error`/`cause`).
pub fn status_json(status: &Status) -> Value {
    match status {
        Status::Succeeded(v) => json!({"status": "SUCCEEDED", "output": &**v}),
        Status::Failed { error, cause } => json!({"status": "FAILED", "error": error, "cause": cause}),
        Status::Stopped(why) => json!({"status": "UNSUPPORTED", "cause": why}),
        Status::TimedOut => json!({"status": "TIMED_OUT", "error": "States.Timeout"}),
        Status::AwaitingTask(r) => json!({"status": "UNSUPPORTED", "cause": format!("task '{}' has no mock", r.state)}),
        Status::Running => json!({"status": "RUNNING"}),
    }
}

/// An entered/exited event as check.py's `states_view` shows it; `None` for other events.
pub fn state_entry(kind: &EventKind) -> Option<Value> {
    match kind {
        EventKind::StateEntered { name, input, .. } => {
            Some(json!({"name": &**name, "type": "StateEntered", "input": &*input.value()}))
        }
        EventKind::StateExited { name, output, .. } => {
            Some(json!({"name": &**name, "type": "StateExited", "output": &*output.value()}))
        }
        _ => None,
    }
}

/// check.py's `states_view` of the recorded list (Map/Parallel iteration events dropped).
pub fn expected_states(expected: &Value) -> Option<Value> {
    let list = expected.get("states")?.as_array()?;
    let view = list.iter().filter_map(|s| match s["type"].as_str() {
        Some("StateEntered") => Some(json!({"name": s["name"], "type": "StateEntered", "input": s["input"]})),
        Some("StateExited") => Some(json!({"name": s["name"], "type": "StateExited", "output": s["output"]})),
        _ => None,
    });
    Some(Value::Array(view.collect()))
}

/// Function names the corpus masked without brackets (`lambda_function_name`, …), inside any
/// string: they become `<masked>` placeholders, i.e. wildcards.
pub const MASKS: &[&str] = &[
    "lambda_function_name",
    "lambda_function_1_name",
    "lambda_function_2_name",
    "function_name_branch1",
    "function_name_branch2",
];

pub fn unmask(v: &Value) -> Value {
    match v {
        Value::String(s) => {
            let mut s = s.clone();
            for m in MASKS {
                // Already-bracketed masks are placeholders as they are.
                if !s.contains(&format!("<{m}>")) {
                    s = s.replace(m, "<masked>");
                }
            }
            Value::String(s)
        }
        Value::Array(a) => Value::Array(a.iter().map(unmask).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), unmask(v))).collect()),
        other => other.clone(),
    }
}

/// JSON as Python's `json.dumps` writes it (`", "` and `": "`): the Lambda functions of the
/// corpus are Python, and their error causes keep that spacing.
pub fn python_json(v: &Value) -> String {
    match v {
        Value::Array(a) => format!("[{}]", a.iter().map(python_json).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => format!(
            "{{{}}}",
            o.iter()
                .map(|(k, v)| format!("{}: {}", Value::String(k.clone()), python_json(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}
