//! Graph-level rules over a parsed machine: transition targets exist in their scope, states are
//! reachable, names are unique machine-wide and short enough, every scope can end (rules
//! 1.3, 2.1–2.6). Schema rules are checked while parsing (`parse`).

use std::collections::{HashMap, HashSet};

use crate::asl::codes;
use crate::asl::definition::{Scope, Spanned, State, StateKind, StateMachine, Transition};
use crate::asl::diagnostic::Diagnostic;
use crate::asl::source::Span;
use crate::asl::suggest::did_you_mean;

mod error_names;

pub use error_names::is_documented as is_documented_error_name;

/// AWS's limit on state names, in characters (rule 1.3).
pub const MAX_STATE_NAME_CHARS: usize = 80;

/// Every graph-level diagnostic of `machine`.
pub fn validate(machine: &StateMachine) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut seen: HashMap<&str, Span> = HashMap::new();
    check_scope(&machine.scope, &mut seen, &mut found);
    error_names::check(machine, &mut found);
    found
}

fn check_scope<'m>(scope: &'m Scope, seen: &mut HashMap<&'m str, Span>, found: &mut Vec<Diagnostic>) {
    let names: Vec<&str> = scope.states.iter().map(|s| s.name.as_str()).collect();
    target(scope, &scope.start_at, "StartAt", &names, &scope.pointer.replace("/States", "/StartAt"), found);
    for state in &scope.states {
        check_name(state, seen, found);
        for (t, field, pointer) in targets(state) {
            target(scope, t, field, &names, &pointer, found);
        }
        for inner in nested_scopes(state) {
            check_scope(inner, seen, found);
        }
    }
    reachability(scope, found);
}

/// The scopes nested in a state: Parallel branches, the Map processor.
pub fn nested_scopes(state: &State) -> Vec<&Scope> {
    match &state.kind {
        StateKind::Parallel(p) => p.branches.iter().collect(),
        StateKind::Map(m) => vec![&m.processor],
        _ => Vec::new(),
    }
}

/// Every outgoing transition of a state: (target, field name, JSON pointer).
pub fn targets(state: &State) -> Vec<(&Spanned<crate::asl::definition::StateName>, &'static str, String)> {
    let mut out = Vec::new();
    if let Transition::Next(n) = &state.transition {
        out.push((n, "Next", format!("{}/Next", state.pointer)));
    }
    if let StateKind::Choice(c) = &state.kind {
        for rule in c.choices.iter() {
            if let Some(n) = &rule.next {
                out.push((n, "Next", format!("{}/Next", rule.pointer)));
            }
        }
        if let Some(d) = &c.default {
            out.push((d, "Default", format!("{}/Default", state.pointer)));
        }
    }
    for (i, c) in state.catch.iter().enumerate() {
        out.push((&c.next, "Next", format!("{}/Catch/{i}/Next", state.pointer)));
    }
    out
}

fn target(
    scope: &Scope,
    t: &Spanned<crate::asl::definition::StateName>,
    field: &str,
    names: &[&str],
    pointer: &str,
    found: &mut Vec<Diagnostic>,
) {
    if scope.state(&t.value).is_some() || (!scope.unparsed.is_empty() && scope.unparsed.iter().any(|u| **u == *t.value))
    {
        return;
    }
    let mut d = Diagnostic::error(
        codes::MISSING_TARGET,
        format!("'{field}' names '{}', which is not a state in this scope", t.value),
    )
    .at(t.span)
    .pointer(pointer);
    if let Some(h) = did_you_mean(&t.value, names.iter().copied()) {
        d = d.help(h);
    } else if !names.is_empty() {
        d = d.help(format!("states here: {}", names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ")));
    }
    found.push(d);
}

fn check_name<'m>(state: &'m State, seen: &mut HashMap<&'m str, Span>, found: &mut Vec<Diagnostic>) {
    let chars = state.name.chars().count();
    if chars > MAX_STATE_NAME_CHARS {
        found.push(
            Diagnostic::error(
                codes::STATE_NAME_TOO_LONG,
                format!("state name '{}' has {chars} characters; the limit is {MAX_STATE_NAME_CHARS}", state.name),
            )
            .at(state.name_span)
            .pointer(state.pointer.clone()),
        );
    }
    if seen.insert(&state.name, state.name_span).is_some() {
        found.push(
            Diagnostic::error(
                codes::DUPLICATE_STATE_NAME,
                format!("state name '{}' is used more than once in this machine", state.name),
            )
            .at(state.name_span)
            .pointer(state.pointer.clone())
            .help(
                "state names must be unique across the whole machine, including Parallel branches and Map processors",
            ),
        );
    }
}

/// Unreachable states (warning, rule 2.6) and scopes with no way to end (rule 2.5).
fn reachability(scope: &Scope, found: &mut Vec<Diagnostic>) {
    let mut reached: HashSet<&str> = HashSet::new();
    let mut stack = vec![&*scope.start_at.value];
    while let Some(name) = stack.pop() {
        let Some(state) = scope.state(name) else { continue };
        if reached.insert(name) {
            stack.extend(targets(state).into_iter().map(|(t, _, _)| &*t.value));
        }
    }
    for state in scope.states.iter().filter(|s| !reached.contains(s.name.as_str())) {
        found.push(
            Diagnostic::warning(
                codes::UNREACHABLE,
                format!("state '{}' cannot be reached from '{}'", state.name, scope.start_at.value),
            )
            .at(state.name_span)
            .pointer(state.pointer.clone()),
        );
    }
    let terminal = |s: &State| {
        matches!(s.transition, Transition::End) || matches!(s.kind, StateKind::Succeed | StateKind::Fail(_))
    };
    if !scope.states.is_empty() && !scope.states.iter().any(terminal) {
        found.push(
            Diagnostic::warning(
                codes::NO_TERMINAL_STATE,
                "no state in this scope ends it (no 'End': true, Succeed or Fail)",
            )
            .at(scope.span.sub(0, 1))
            .pointer(scope.pointer.clone()),
        );
    }
}
