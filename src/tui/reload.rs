//! Hot reload: new file contents arrive as an event; a definition or input that does not check
//! leaves the last good one running and lists why, a good one replaces it and the execution is
//! replayed to the same number of stages.

use std::sync::Arc;

use serde_json::Value;

use crate::asl::definition::StateMachine;
use crate::asl::engine::tasks::TaskSource;
use crate::asl::mock::{MockSource, check_against, parse_mock_config};
use crate::asl::source::Source;
use crate::tui::app::{App, MockFile};
use crate::tui::event::FileChange;
use crate::tui::findings::Findings;
use crate::tui::session::{checked_machine, render_errors};

/// Applies changed file contents to the app. Each file is judged on its own: a good one is
/// taken even when the other is broken, and a broken one leaves its last good version running
/// with its problems listed until it is fixed.
pub fn apply(app: &mut App, change: FileChange) {
    let machine = change.definition.and_then(|read| {
        let checked = read.map_err(|why| vec![why]).and_then(|text| {
            let source = Source::new(app.files.definition.as_str(), text);
            checked_machine(&source, &app.files.load).map(|m| (m, source)).map_err(|rejected| rejected.lines)
        });
        settle(&mut app.problems.definition, checked)
    });
    let input = change.input.and_then(|read| {
        let name = app.files.input.as_deref().unwrap_or("input");
        let parsed = read.and_then(|text| parse_input(name, &text)).map_err(|why| vec![why]);
        settle(&mut app.problems.input, parsed)
    });
    let tasks = change.mock.and_then(|read| {
        let against: &StateMachine = machine.as_ref().map_or(app.session.exec.machine(), |((m, _), _)| m);
        let loaded = read.map_err(|why| vec![why]).and_then(|text| load_mock(app.files.mock.as_ref(), text, against));
        settle(&mut app.problems.mock, loaded)
    });
    if machine.is_some() || input.is_some() || tasks.is_some() {
        if let Some(tasks) = tasks {
            app.session.tasks = tasks;
        }
        replay(app, machine, input);
    }
    // Hint lines (`  = help: …`) belong to the problem above them.
    let problems = app.diagnostics().iter().filter(|l| !l.starts_with(' ')).count();
    if problems > 0 {
        app.message = Some(format!("reload failed ({problems} problem(s)); still running the last good version"));
    }
}

/// Records a file's problems (none when it is good) and passes on what is good.
fn settle<T>(problems: &mut Vec<String>, outcome: Result<T, Vec<String>>) -> Option<T> {
    match outcome {
        Ok(v) => {
            problems.clear();
            Some(v)
        }
        Err(found) => {
            *problems = found;
            None
        }
    }
}

fn replay(app: &mut App, machine: Option<((Arc<StateMachine>, Findings), Source)>, input: Option<Value>) {
    let session = &mut app.session;
    let shown = session.exec.stages().len();
    let was_at = session.exec.stages().last().map(|s| s.state.clone());
    let mut changed = None;
    let machine_ref = match machine {
        Some(((m, findings), source)) => {
            changed = changes(&session.source, &source);
            session.source = source;
            session.config = session.config.clone().for_workflow(findings.workflow_type);
            session.findings = findings;
            m
        }
        None => session.exec.machine().clone(),
    };
    let input = input.unwrap_or_else(|| session.exec.input().clone());
    session.exec = session.fresh(machine_ref.clone(), input);
    session.replay_to(shown);
    let now = session.exec.stages().len();
    let at = session.exec.stages().last().map(|s| s.state.clone());
    let vanished = was_at.filter(|w| machine_ref.scope.index_of(w).is_none());
    let message = match (vanished, at) {
        (Some(gone), Some(at)) => {
            format!("reloaded: state '{gone}' is gone; replayed to stage {now} of '{at}'")
        }
        (Some(gone), None) => format!("reloaded: state '{gone}' is gone; back at the start"),
        (None, Some(at)) if now < shown => {
            format!("reloaded: the execution ends sooner; replayed to stage {now} of '{at}'")
        }
        (None, Some(at)) => format!("reloaded: replayed to stage {now} of '{at}'"),
        (None, None) => "reloaded: at the start".into(),
    };
    // What the edit changed, as `statescope diff` says it: "reloaded: replayed to …; 'Charge
    // card' Retry[0].MaxAttempts: 2 → 3".
    // Where the execution is comes first (it must survive a narrow status line), then what
    // the edit changed.
    let message = match changed {
        Some(what) => format!("{message}; {what}"),
        None => message,
    };
    // Opened on a recording: say whether the edited definition still does what ran.
    // The verdict first: it is what an edit on a recording is for.
    app.message = Some(match app.check_recording() {
        Some(verdict) => format!("{verdict}; {message}"),
        None => message,
    });
    app.execution_moved();
}

/// The first changes between two versions of the definition, one line; `None` when the
/// definitions are the same (a save without edits) or cannot be compared.
fn changes(old: &Source, new: &Source) -> Option<String> {
    let options = crate::asl::load::LoadOptions::default();
    let old = crate::asl::load::load(old, &options).tree?.to_value();
    let new = crate::asl::load::load(new, &options).tree?.to_value();
    let all = crate::asl::diff::diff(&old, &new);
    // One change in full; `statescope diff` lists them all.
    let first = all.first().map(|c| {
        let text = c.to_string();
        // "changed: 'X' F: a → b" reads better as "'X' F: a → b".
        text.strip_prefix("changed: ").map(str::to_string).unwrap_or(text)
    })?;
    Some(match all.len() {
        1 => first,
        n => format!("{first} (+{} more)", n - 1),
    })
}

/// Reads a mock config as the debugger uses it: parsed, checked against the machine, and the
/// test case in use taken as the task source; else its problems, `file:line:col` each.
pub fn load_mock(
    mock: Option<&MockFile>,
    text: String,
    machine: &StateMachine,
) -> Result<Arc<dyn TaskSource>, Vec<String>> {
    let Some(mock) = mock else { return Err(vec!["no mock config in use".into()]) };
    let source = Source::new(mock.path.as_str(), text);
    let parsed = parse_mock_config(&source.text);
    let mut diagnostics = parsed.diagnostics;
    let config = parsed.config.unwrap_or_default();
    let name = match config.machine(mock.state_machine.as_deref()) {
        Ok(m) => {
            diagnostics.extend(check_against(m, machine));
            m.name.clone()
        }
        // The parse errors say why the machine is missing.
        Err(_) if diagnostics.iter().any(|d| d.is_error()) => String::new(),
        Err(e) => return Err(vec![format!("{}: {e}", mock.path)]),
    };
    let errors = render_errors(&source, &diagnostics);
    if !errors.is_empty() {
        return Err(errors);
    }
    match MockSource::new(&config, Some(&name), &mock.test_case) {
        Ok(s) => Ok(Arc::new(s)),
        Err(e) => Err(vec![format!("{}: {e}", mock.path)]),
    }
}

/// Parses execution input, naming the file and position on failure.
pub fn parse_input(name: &str, text: &str) -> Result<Value, String> {
    crate::asl::json_text::parse_execution_input(name, text)
}
