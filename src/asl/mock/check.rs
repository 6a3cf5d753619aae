//! A mock config against the definition it mocks: every state a test case names must be a Task
//! state of that machine (at any depth: Step Functions Local names nested states by their name).

use crate::asl::codes;
use crate::asl::definition::{Scope, StateKind, StateMachine};
use crate::asl::diagnostic::Diagnostic;
use crate::asl::suggest::did_you_mean;
use crate::asl::tree::pointer_token;

use super::MockMachine;

/// Diagnostics for the states `machine`'s test cases name that `definition` lacks or cannot mock.
pub fn check_against(machine: &MockMachine, definition: &StateMachine) -> Vec<Diagnostic> {
    let mut states: Vec<(&str, &'static str)> = Vec::new();
    collect(&definition.scope, &mut states);
    let tasks = || states.iter().filter(|(_, t)| *t == "Task").map(|(n, _)| *n);
    let mut out = Vec::new();
    for case in &machine.test_cases {
        for mock in &case.mocks {
            let pointer = format!(
                "/StateMachines/{}/TestCases/{}/{}",
                pointer_token(&machine.name),
                pointer_token(&case.name),
                pointer_token(&mock.state)
            );
            let d = match states.iter().find(|(n, _)| *n == mock.state) {
                Some((_, "Task")) => continue,
                Some((_, kind)) => Diagnostic::error(
                    codes::MOCK_UNKNOWN_STATE,
                    format!(
                        "test case '{}' mocks '{}', a {kind} state: only Task states call services",
                        case.name, mock.state
                    ),
                ),
                None => {
                    let d = Diagnostic::error(
                        codes::MOCK_UNKNOWN_STATE,
                        format!(
                            "test case '{}' mocks '{}', which the state machine does not have",
                            case.name, mock.state
                        ),
                    );
                    match did_you_mean(&mock.state, tasks()) {
                        Some(h) => d.help(h),
                        None => d,
                    }
                }
            };
            out.push(d.at(mock.state_span).pointer(pointer));
        }
    }
    out
}

fn collect<'s>(scope: &'s Scope, out: &mut Vec<(&'s str, &'static str)>) {
    for state in &scope.states {
        out.push((state.name.as_str(), state.type_name()));
        match &state.kind {
            StateKind::Parallel(p) => p.branches.iter().for_each(|b| collect(b, out)),
            StateKind::Map(m) => collect(&m.processor, out),
            _ => {}
        }
    }
}
