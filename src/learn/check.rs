//! Checking a learner's definition against a lesson's goals: validate it, run it headless on
//! the lesson's input and mock, and say in plain words what still differs from each goal.

use std::sync::Arc;

use serde_json::Value;

use crate::asl::check::check_with;
use crate::asl::diagnostic::{self, Diagnostic};
use crate::asl::engine::history::EventKind;
use crate::asl::engine::stage::{StageDetail, StageKind};
use crate::asl::engine::tasks::RecordedAnswers;
use crate::asl::engine::{Execution, ExecutionConfig, Status};
use crate::asl::load::{LoadOptions, load};
use crate::asl::source::{LineIndex, Source};
use crate::learn::Lesson;
use crate::learn::goal::{Goal, Verdict};

/// Longest JSON shown in a sentence; longer values are cut with `…`.
const SHOWN: usize = 160;

fn shown(v: &Value) -> String {
    let text = spaced(v);
    match text.char_indices().nth(SHOWN) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

/// JSON on one line with a space after `,` and `:`, as people write it (and so a long value
/// wraps between its members).
fn spaced(v: &Value) -> String {
    fn write(v: &Value, out: &mut String) {
        match v {
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write(item, out);
                }
                out.push(']');
            }
            Value::Object(members) => {
                out.push('{');
                for (i, (key, item)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&Value::String(key.clone()).to_string());
                    out.push_str(": ");
                    write(item, out);
                }
                out.push('}');
            }
            scalar => out.push_str(&scalar.to_string()),
        }
    }
    let mut out = String::new();
    write(v, &mut out);
    out
}

/// Checks `definition` (named `name` in messages) against the lesson's goals.
pub(crate) fn check(lesson: &Lesson, name: &str, definition: &str) -> Verdict {
    let source = Source::new(name, definition);
    let options = LoadOptions { workflow_type: Some(lesson.workflow_type), ..LoadOptions::default() };
    let mut checked = check_with(&source, &options);
    let mut out = Vec::new();
    let index = LineIndex::new(&source.text);
    let runnable = if checked.has_errors() { None } else { checked.machine.take() };
    let Some(machine) = runnable else {
        let errors: Vec<&Diagnostic> = checked.diagnostics.iter().filter(|d| d.is_error()).collect();
        out.push(format!("the definition does not validate ({} error(s)); fix it first:", errors.len()));
        for d in errors.iter().take(5) {
            out.push(located(&source, &index, d));
        }
        return Verdict { differences: out };
    };
    // The definition as JSON for the pointer goals, whatever it was written in (JSON, YAML, a
    // template): as the validator read it.
    let tree: Option<Value> = load(&source, &LoadOptions::default()).tree.map(|t| t.to_value());
    let run = match run(lesson, machine) {
        Ok(exec) => Some(exec),
        Err(why) => {
            out.push(why);
            None
        }
    };
    for goal in &lesson.goals {
        match goal {
            Goal::NoDiagnostic(code) => {
                for d in checked.diagnostics.iter().filter(|d| d.code == code.as_str()) {
                    out.push(format!("still reported: {}", located(&source, &index, d)));
                }
            }
            Goal::Diagnostic(code) => {
                if !checked.diagnostics.iter().any(|d| d.code == code.as_str()) {
                    out.push(format!("the validator does not report {code} yet"));
                }
            }
            Goal::Definition { pointer, equals } => {
                let Some(tree) = &tree else { continue };
                match (tree.pointer(pointer), equals) {
                    (None, _) => out.push(match field_of_state(pointer) {
                        Some((state, field)) => format!("'{state}' has no {field} yet"),
                        None => format!("the definition has nothing at {pointer} yet"),
                    }),
                    (Some(got), Some(want)) if got != want => out.push(match field_of_state(pointer) {
                        Some((state, field)) => {
                            format!("'{state}' has {field} {}; the goal is {}", shown(got), shown(want))
                        }
                        None => format!("{pointer} is {}; the goal is {}", shown(got), shown(want)),
                    }),
                    _ => {}
                }
            }
            Goal::NoDefinition(pointer) => {
                if let Some(got) = tree.as_ref().and_then(|t| t.pointer(pointer)) {
                    out.push(match field_of_state(pointer) {
                        Some((state, field)) => format!("'{state}' still has {field} {}", shown(got)),
                        None => format!("the definition still has {pointer} ({})", shown(got)),
                    });
                }
            }
            Goal::NoResource(text) => {
                for (state, resource) in resources(tree.as_ref()) {
                    if resource.contains(text.as_str()) {
                        out.push(format!("Task '{state}' still uses {resource}"));
                    }
                }
            }
            _ => {
                if let Some(exec) = &run {
                    run_goal(goal, exec, &mut out);
                }
            }
        }
    }
    Verdict { differences: out }
}

/// `/States/NAME/FIELD` as (NAME, FIELD), to say "'Charge' has no TimeoutSeconds" rather
/// than a pointer; `None` for any other pointer (or one with JSON Pointer escapes).
fn field_of_state(pointer: &str) -> Option<(&str, &str)> {
    let rest = pointer.strip_prefix("/States/")?;
    let (state, field) = rest.split_once('/')?;
    (!field.contains('/') && !pointer.contains('~')).then_some((state, field))
}

fn located(source: &Source, index: &LineIndex, d: &Diagnostic) -> String {
    match diagnostic::position(source, index, d) {
        Some((line, col)) => format!("{}:{line}:{col}: [{}] {}", source.name, d.code, d.message),
        None => format!("{}: [{}] {}", source.name, d.code, d.message),
    }
}

/// Runs the machine on the lesson's input with its mock's test case.
fn run(lesson: &Lesson, machine: Arc<crate::asl::definition::StateMachine>) -> Result<Execution, String> {
    let input = lesson.input_value()?;
    let tasks = lesson.tasks()?;
    let config = ExecutionConfig::default().for_workflow(lesson.workflow_type);
    let mut exec = Execution::with_tasks(machine, input, config, tasks, RecordedAnswers::default());
    exec.run();
    Ok(exec)
}

/// A goal about the run.
fn run_goal(goal: &Goal, exec: &Execution, out: &mut Vec<String>) {
    match goal {
        Goal::Status { status, error, cause } => {
            let (got, got_error, got_cause) = outcome(exec.status());
            if got != *status {
                let want = match (status.as_str(), error) {
                    ("FAILED", Some(e)) => format!("fails with {e}"),
                    ("FAILED", None) => "fails".to_owned(),
                    _ => "succeeds".to_owned(),
                };
                out.push(format!("the execution {}; the goal is that it {want}", describe(exec.status())));
                return;
            }
            if let Some(e) = error.as_ref().filter(|e| got_error.as_deref() != Some(e.as_str())) {
                out.push(format!(
                    "the execution fails with {}; the goal is {e}",
                    got_error.as_deref().unwrap_or("no error")
                ));
            }
            if let Some(c) = cause.as_ref().filter(|c| got_cause.as_deref() != Some(c.as_str())) {
                out.push(format!("the cause is {:?}; the goal is {c:?}", got_cause.as_deref().unwrap_or("")));
            }
        }
        Goal::Output(want) => match exec.status() {
            Status::Succeeded(got) if **got == *want => {}
            Status::Succeeded(got) => out.push(format!("the output is {}; the goal is {}", shown(got), shown(want))),
            // A status goal has said how the run ended already.
            _ if out.iter().any(|d| d.starts_with("the execution ")) => {}
            other => out.push(format!("the execution {}; the goal is the output {}", describe(other), shown(want))),
        },
        Goal::Path(want) => {
            let got = entered(exec);
            if got != *want {
                out.push(format!("states entered: {}; the goal: {}", arrows(&got), arrows(want)));
            }
        }
        Goal::Visits(want) => {
            let got = entered(exec);
            let mut rest = got.iter();
            if let Some(missing) = want.iter().find(|w| !rest.any(|g| g == *w)) {
                out.push(format!(
                    "'{missing}' is not entered where the goal needs it ({}); states entered: {}",
                    arrows(want),
                    arrows(&got)
                ));
            }
        }
        Goal::StateInput { state, equals } => {
            let first = exec.stages().iter().find(|s| *s.state == **state && s.kind == StageKind::Input);
            match first {
                None => out.push(format!("'{state}' is never entered")),
                Some(s) if *s.value() != *equals => {
                    out.push(format!("'{state}' is first given {}; the goal is {}", shown(&s.value()), shown(equals)))
                }
                Some(_) => {}
            }
        }
        Goal::Caught { error, state } => {
            let catches = caught(exec);
            let hit = catches.iter().any(|(s, e)| e == error && state.as_ref().is_none_or(|w| w == s));
            if !hit {
                let where_ = state.as_ref().map(|s| format!(" in '{s}'")).unwrap_or_default();
                let seen = if catches.is_empty() {
                    "no Catch was taken".to_owned()
                } else {
                    let list: Vec<String> = catches.iter().map(|(s, e)| format!("{e} in '{s}'")).collect();
                    format!("Catches taken: {}", list.join(", "))
                };
                out.push(format!("no Catch took {error}{where_} ({seen})"));
            }
        }
        Goal::Retries { state, count } => {
            let got = exec.stages().iter().filter(|s| *s.state == **state && s.retry.is_some()).count();
            if got != *count {
                out.push(format!("'{state}' is retried {got} time(s); the goal is {count}"));
            }
        }
        Goal::MaxSeconds(limit) => {
            let took = (exec.now_ms() - exec.config().start_ms) as f64 / 1000.0;
            if took > *limit {
                out.push(format!("the run takes {took} s; the goal is at most {limit} s"));
            }
        }
        // Checked on the definition, not the run.
        Goal::NoDiagnostic(_)
        | Goal::Diagnostic(_)
        | Goal::Definition { .. }
        | Goal::NoDefinition(_)
        | Goal::NoResource(_) => {}
    }
}

fn outcome(status: &Status) -> (String, Option<String>, Option<String>) {
    match status {
        Status::Succeeded(_) => ("SUCCEEDED".into(), None, None),
        Status::Failed { error, cause } => ("FAILED".into(), error.clone(), cause.clone()),
        Status::TimedOut => ("TIMED_OUT".into(), Some(crate::asl::engine::TIMED_OUT_ERROR.into()), None),
        Status::AwaitingTask(_) => ("WAITING".into(), None, None),
        Status::Stopped(_) => ("UNSUPPORTED".into(), None, None),
        Status::Running => ("RUNNING".into(), None, None),
    }
}

/// How an execution ended, as the end of "the execution …".
fn describe(status: &Status) -> String {
    match status {
        Status::Succeeded(v) => format!("succeeds with {}", shown(v)),
        Status::Failed { error, cause } => format!(
            "fails with {}{}",
            error.as_deref().unwrap_or("no error"),
            cause.as_deref().map(|c| format!(" ({c})")).unwrap_or_default()
        ),
        Status::AwaitingTask(r) => {
            format!("stops at Task '{}': the lesson's mock gives it no result (was it renamed?)", r.state)
        }
        Status::Stopped(why) => format!("stops: {why}"),
        Status::TimedOut => "times out (TimeoutSeconds)".to_owned(),
        Status::Running => "does not finish".to_owned(),
    }
}

/// `A → B → C`; a long path (a loop) keeps its first and last states around a count.
fn arrows(names: &[String]) -> String {
    const HEAD: usize = 6;
    const TAIL: usize = 3;
    match names.len() {
        0 => "(none)".to_owned(),
        n if n <= HEAD + TAIL + 1 => names.join(" → "),
        n => {
            format!("{} → … {} more … → {}", names[..HEAD].join(" → "), n - HEAD - TAIL, names[n - TAIL..].join(" → "))
        }
    }
}

/// The names of the states entered, in order.
fn entered(exec: &Execution) -> Vec<String> {
    let events = exec.history().events();
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::StateEntered { name, .. } => Some(name.to_string()),
            _ => None,
        })
        .collect()
}

/// Every Catch taken: (state, error name). The error is the one last thrown: a catch follows
/// its error at once (a branch's error is noted on the branch's stage, the catch on the
/// Parallel's, so they are paired by order, not by state).
fn caught(exec: &Execution) -> Vec<(String, String)> {
    let mut thrown: Option<String> = None;
    let mut out = Vec::new();
    for s in exec.stages().iter() {
        match s.detail.as_deref() {
            Some(StageDetail::Error { error, .. }) => thrown = Some(error.clone()),
            Some(StageDetail::Caught { .. }) => {
                if let Some(error) = thrown.take() {
                    out.push((s.state.to_string(), error));
                }
            }
            _ => {}
        }
    }
    out
}

/// Every Task state's name and `Resource`, at any depth of the definition.
fn resources(tree: Option<&Value>) -> Vec<(String, String)> {
    fn walk(states: &Value, out: &mut Vec<(String, String)>) {
        let Some(states) = states.as_object() else { return };
        for (name, state) in states {
            if let Some(r) = state.get("Resource").and_then(Value::as_str) {
                out.push((name.clone(), r.to_owned()));
            }
            for branch in state.get("Branches").and_then(Value::as_array).into_iter().flatten() {
                walk(&branch["States"], out);
            }
            for key in ["Iterator", "ItemProcessor"] {
                if let Some(p) = state.get(key) {
                    walk(&p["States"], out);
                }
            }
        }
    }
    let mut out = Vec::new();
    if let Some(t) = tree {
        walk(&t["States"], &mut out);
    }
    out
}
