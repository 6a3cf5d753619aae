//! Hot reload: new file contents arrive as an event; a definition or input that does not check
//! leaves the last good one running and lists why, a good one replaces it and the execution is
//! replayed to the same number of stages.

use serde_json::Value;

use crate::asl::engine::Execution;
use crate::asl::source::Source;
use crate::tui::app::App;
use crate::tui::event::FileChange;
use crate::tui::session::checked_machine;

/// Applies changed file contents to the app.
pub fn apply(app: &mut App, change: FileChange) {
    let mut problems = Vec::new();
    let machine = match change.definition {
        None => None,
        Some(Err(why)) => {
            problems.push(why);
            None
        }
        Some(Ok(text)) => {
            let source = Source::new(app.files.definition.as_str(), text);
            match checked_machine(&source) {
                Ok(m) => Some((m, source)),
                Err(rejected) => {
                    problems.extend(rejected.lines);
                    None
                }
            }
        }
    };
    let input = match change.input {
        None => None,
        Some(Err(why)) => {
            problems.push(why);
            None
        }
        Some(Ok(text)) => match parse_input(app.files.input.as_deref().unwrap_or("input"), &text) {
            Ok(v) => Some(v),
            Err(why) => {
                problems.push(why);
                None
            }
        },
    };
    if !problems.is_empty() {
        app.message =
            Some(format!("reload failed ({} problem(s)); still running the last good version", problems.len()));
        app.diagnostics = problems;
        return;
    }
    app.diagnostics.clear();
    if machine.is_none() && input.is_none() {
        return;
    }
    replay(app, machine, input);
}

fn replay(
    app: &mut App,
    machine: Option<(&'static crate::asl::definition::StateMachine, Source)>,
    input: Option<Value>,
) {
    let session = &mut app.session;
    let shown = session.exec.stages().len();
    let was_at = session.exec.stages().last().map(|s| s.state.clone());
    let machine_ref = match machine {
        Some((m, source)) => {
            session.source = source;
            m
        }
        None => session.exec.machine(),
    };
    let input = input.unwrap_or_else(|| session.exec.input().clone());
    session.exec = Execution::new(machine_ref, input, session.config.clone());
    session.replay_to(shown);
    let now = session.exec.stages().len();
    let at = session.exec.stages().last().map(|s| s.state.clone());
    let vanished = was_at.filter(|w| machine_ref.scope.index_of(w).is_none());
    app.message = Some(match (vanished, at) {
        (Some(gone), Some(at)) => {
            format!("reloaded: state '{gone}' is gone; replayed to stage {now} of '{at}'")
        }
        (Some(gone), None) => format!("reloaded: state '{gone}' is gone; back at the start"),
        (None, Some(at)) if now < shown => {
            format!("reloaded: the execution ends sooner; replayed to stage {now} of '{at}'")
        }
        (None, Some(at)) => format!("reloaded: replayed to stage {now} of '{at}'"),
        (None, None) => "reloaded: at the start".into(),
    });
    app.execution_moved();
}

/// Parses execution input, naming the file and position on failure.
pub fn parse_input(name: &str, text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("{name}:{}:{}: input is not valid JSON: {e}", e.line(), e.column()))
}
