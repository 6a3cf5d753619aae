//! A lesson's goal: what a run of the learner's definition must show, as `lesson.json`'s
//! `checks` write it, and the verdict on a definition (the check itself is in `check`).
//!
//! Goal kinds are generic so lessons can be written without code: the outcome, the output, the
//! states entered, a Catch taken, retries made, the time the run took, a diagnostic code absent
//! or present (whatever codes the validator has), and fields of the definition itself (so a
//! lesson can ask for `ResultSelector` rather than accept an output typed in by hand).

use serde_json::Value;

/// One thing the run (or the definition) must show.
#[derive(Clone, Debug, PartialEq)]
pub enum Goal {
    /// The execution ends with this status (`SUCCEEDED`/`FAILED`), and if given this error
    /// and cause.
    Status { status: String, error: Option<String>, cause: Option<String> },
    /// The execution succeeds with exactly this output.
    Output(Value),
    /// Exactly these states are entered, in this order (nested states included).
    Path(Vec<String>),
    /// These states are entered in this order; others may come between.
    Visits(Vec<String>),
    /// The first time this state is entered, its input is this value (what a Map iteration
    /// or a branch was given, say).
    StateInput { state: String, equals: Value },
    /// A Catch takes an error of this name (in this state, if given).
    Caught { error: String, state: Option<String> },
    /// This state is retried exactly this many times.
    Retries { state: String, count: usize },
    /// The run takes at most this many seconds of (virtual) time.
    MaxSeconds(f64),
    /// No diagnostic with this code (`ASL104`, or a lint's code).
    NoDiagnostic(String),
    /// A diagnostic with this code.
    Diagnostic(String),
    /// The definition has a value at this JSON Pointer (equal to `equals`, if given).
    Definition { pointer: String, equals: Option<Value> },
    /// The definition has nothing at this JSON Pointer.
    NoDefinition(String),
    /// No Task's `Resource` contains this text.
    NoResource(String),
}

impl Goal {
    /// One entry of `lesson.json`'s `checks`: an object with one kind key.
    pub fn parse(v: &Value) -> Result<Goal, String> {
        let Value::Object(o) = v else { return Err(format!("a check must be an object, not {v}")) };
        let string = |key: &str| o.get(key).and_then(Value::as_str).map(str::to_owned);
        let names = |key: &str| -> Result<Vec<String>, String> {
            match o.get(key) {
                Some(Value::Array(a)) => a
                    .iter()
                    .map(|s| s.as_str().map(str::to_owned).ok_or_else(|| format!("'{key}' must list state names")))
                    .collect(),
                _ => Err(format!("'{key}' must be an array of state names")),
            }
        };
        let known = |keys: &[&str]| -> Result<(), String> {
            match o.keys().find(|k| !keys.contains(&k.as_str())) {
                Some(k) => Err(format!("unknown field '{k}' in check {v}")),
                None => Ok(()),
            }
        };
        let goal = if let Some(status) = string("status") {
            known(&["status", "error", "cause"])?;
            Goal::Status { status, error: string("error"), cause: string("cause") }
        } else if let Some(output) = o.get("output") {
            known(&["output"])?;
            Goal::Output(output.clone())
        } else if o.contains_key("path") {
            known(&["path"])?;
            Goal::Path(names("path")?)
        } else if o.contains_key("visits") {
            known(&["visits"])?;
            Goal::Visits(names("visits")?)
        } else if let Some(state) = string("stateInput") {
            known(&["stateInput", "equals"])?;
            let equals = o.get("equals").cloned().ok_or("'stateInput' needs 'equals', the input expected")?;
            Goal::StateInput { state, equals }
        } else if let Some(error) = string("caught") {
            known(&["caught", "state"])?;
            Goal::Caught { error, state: string("state") }
        } else if let Some(state) = string("retried") {
            known(&["retried", "times"])?;
            let count = o.get("times").and_then(Value::as_u64).ok_or("'retried' needs 'times', a count")?;
            Goal::Retries { state, count: count as usize }
        } else if let Some(n) = o.get("maxSeconds").and_then(Value::as_f64) {
            known(&["maxSeconds"])?;
            Goal::MaxSeconds(n)
        } else if let Some(code) = string("noDiagnostic") {
            known(&["noDiagnostic"])?;
            Goal::NoDiagnostic(code)
        } else if let Some(code) = string("diagnostic") {
            known(&["diagnostic"])?;
            Goal::Diagnostic(code)
        } else if let Some(pointer) = string("definition") {
            known(&["definition", "equals"])?;
            Goal::Definition { pointer, equals: o.get("equals").cloned() }
        } else if let Some(pointer) = string("noDefinition") {
            known(&["noDefinition"])?;
            Goal::NoDefinition(pointer)
        } else if let Some(text) = string("noResource") {
            known(&["noResource"])?;
            Goal::NoResource(text)
        } else {
            return Err(format!("unknown check {v}"));
        };
        Ok(goal)
    }
}

/// What a check found: nothing when the lesson is solved, else one plain sentence per
/// difference.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    pub differences: Vec<String>,
}

impl Verdict {
    pub fn passed(&self) -> bool {
        self.differences.is_empty()
    }
}
