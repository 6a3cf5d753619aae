//! What became of an error: retried, caught, or failing the state. The engine records the error
//! on the failed attempt's last stage and the catcher on the caught output; whether it was
//! retried shows in the stages that follow (a new attempt starts with an `input` stage of the
//! same state), so the decision is read from what the execution actually did.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

use crate::asl::definition::{Scope, Spanned, State, StateKind};
use crate::asl::engine::Status;
use crate::asl::engine::chunked::Chunked;
use crate::asl::engine::stage::{StageDetail, StageKind, StageRecord};
use crate::asl::validate::nested_scopes;
use crate::tui::app::App;

fn label(text: &str) -> Span<'static> {
    Span::styled(format!("{text}: "), Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD))
}

/// A state by name, at any depth (Parallel branches, Map processors).
pub fn find_state<'a>(scope: &'a Scope, name: &str) -> Option<&'a State> {
    scope
        .state(name)
        .or_else(|| scope.states.iter().flat_map(|s| nested_scopes(s)).find_map(|inner| find_state(inner, name)))
}

fn same_place(a: &StageRecord, b: &StageRecord) -> bool {
    a.state == b.state && a.location == b.location
}

fn names(list: &[Spanned<String>]) -> String {
    let names: Vec<&str> = list.iter().map(|e| e.value.as_str()).collect();
    format!("[{}]", names.join(", "))
}

/// Whether an `ErrorEquals` list names `error` (for showing which retrier it was; the engine
/// already decided, by the same rule).
fn names_error(list: &[Spanned<String>], error: &str) -> bool {
    crate::asl::engine::error_equals_names(list, error)
}

fn handles(state: Option<&State>) -> bool {
    state.is_some_and(|s| matches!(s.kind, StateKind::Task(_) | StateKind::Parallel(_) | StateKind::Map(_)))
}

/// `outer` is the Parallel/Map (run) that `inner` sits in.
fn encloses(outer: &StageRecord, inner: &StageRecord) -> bool {
    let at = if outer.location.is_empty() {
        format!("{} › ", outer.state)
    } else {
        format!("{} › {} › ", outer.location, outer.state)
    };
    inner.location.starts_with(&at) && !inner.location[at.len()..].contains(" › ")
}

/// The Retry/Catch decision for the error shown on `stage`, read from the stage after it: a
/// new attempt of the same state (retried), its caught output (caught), the enclosing
/// Parallel/Map going on (the error left this branch), or nothing (the execution failed).
pub fn decision(app: &App, stage: &StageRecord) -> Line<'static> {
    let stages = app.session.exec.stages();
    let scope = &app.session.exec.machine().scope;
    let state = find_state(scope, &stage.state);
    let error = match stage.detail.as_deref() {
        Some(StageDetail::Error { error, .. }) => error.as_str(),
        _ => "",
    };
    let why = if handles(state) {
        "no Retrier or Catcher handles it"
    } else {
        "Retry and Catch apply only to Task, Parallel and Map"
    };
    let (text, colour) = match stages.get(stage.index() + 1) {
        Some(next) if same_place(next, stage) => (handled(stages, stage.index(), next, state, error), Color::Yellow),
        Some(next) if encloses(next, stage) => {
            let container = find_state(scope, &next.state);
            let then = handled(stages, stage.index(), next, container, error);
            (format!("{why}: it fails {}; '{}' {then}", stage.location, next.state), Color::Yellow)
        }
        None if matches!(app.session.exec.status(), Status::Running | Status::AwaitingTask(_)) => {
            ("step on to see whether it is retried or caught".into(), Color::DarkGray)
        }
        _ if stage.location.is_empty() => (format!("{why}: the execution fails"), Color::Red),
        _ => (format!("{why}: it fails {}", stage.location), Color::Red),
    };
    Line::from(vec![label("Retry/Catch"), Span::styled(text, Style::default().fg(colour))])
}

/// How the state of `next` dealt with the error: a new attempt or a catcher.
fn handled(stages: &Chunked<StageRecord>, at: usize, next: &StageRecord, state: Option<&State>, error: &str) -> String {
    if next.kind == StageKind::Input {
        let attempt = 1 + attempts(stages.range(..=at), next);
        let retrier = state.and_then(|s| s.retry.iter().enumerate().find(|(_, r)| names_error(&r.error_equals, error)));
        return match retrier {
            Some((i, r)) => format!(
                "is retried by Retrier #{} ErrorEquals {} (MaxAttempts {}): attempt {attempt} follows",
                i + 1,
                names(&r.error_equals),
                r.max_attempts
            ),
            None => format!("is retried: attempt {attempt} follows"),
        };
    }
    // The caught output comes after the catcher's ResultPath stage.
    let caught =
        stages.range(next.index()..).filter(|s| same_place(s, next)).take(2).find_map(|s| match s.detail.as_deref() {
            Some(StageDetail::Caught { catcher, next }) => Some((*catcher, &**next)),
            _ => None,
        });
    match (caught, state) {
        (Some((catcher, to)), Some(state)) => format!("is {}", catcher_text(state, catcher, to)),
        (Some((catcher, to)), None) => format!("is caught by Catcher #{} → Next '{to}'", catcher + 1),
        (None, _) => "goes on".into(),
    }
}

/// Attempts of `place`'s state so far: its `input` stages back to the previous state at the
/// same level (nested stages in between are its branches').
fn attempts<'a>(before: impl DoubleEndedIterator<Item = &'a StageRecord>, place: &StageRecord) -> usize {
    before
        .rev()
        .filter(|s| s.location == place.location)
        .take_while(|s| s.state == place.state)
        .filter(|s| s.kind == StageKind::Input)
        .count()
}

fn catcher_text(state: &State, catcher: usize, next: &str) -> String {
    match state.catch.get(catcher) {
        Some(c) => format!("caught by Catcher #{} ErrorEquals {} → Next '{next}'", catcher + 1, names(&c.error_equals)),
        None => format!("caught by Catcher #{} → Next '{next}'", catcher + 1),
    }
}

/// A caught error's output stage: the error it caught, and where it goes.
pub fn caught(app: &App, stage: &StageRecord, catcher: usize, next: &str) -> Vec<Line<'static>> {
    let stages = app.session.exec.stages();
    // The error is on the failed attempt's last stage: this state's, or one in its branches.
    let inside = if stage.location.is_empty() {
        format!("{} › ", stage.state)
    } else {
        format!("{} › {} › ", stage.location, stage.state)
    };
    let mine = |s: &&StageRecord| same_place(s, stage) || s.location.starts_with(&inside);
    let thrown = stages.range(..stage.index()).rev().filter(mine).find_map(|s| match s.detail.as_deref() {
        Some(StageDetail::Error { error, cause }) => Some((error.clone(), cause.clone())),
        _ => None,
    });
    let mut lines = Vec::new();
    if let Some((error, cause)) = thrown {
        lines.push(Line::from(vec![label("error"), Span::styled(error, Style::default().fg(Color::Red))]));
        lines.push(Line::from(vec![label("cause"), Span::raw(cause)]));
    }
    let text = match find_state(&app.session.exec.machine().scope, &stage.state) {
        Some(state) => catcher_text(state, catcher, next),
        None => format!("caught by Catcher #{} → Next '{next}'", catcher + 1),
    };
    lines.push(Line::from(vec![label("Retry/Catch"), Span::styled(text, Style::default().fg(Color::Green))]));
    lines
}
