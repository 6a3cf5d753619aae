//! `States.*` names in `ErrorEquals`. AWS accepts any string there, `States.`-prefixed ones
//! included: deployed machines catch names their own Fail states raise (`States.QuorumMet`),
//! and the HTTP task raises `States.Http.StatusCode.NNN`. Only a name that nothing can raise
//! deserves a look (usually a typo such as `States.TimeOut`), so it is a warning, not an error.

use std::collections::HashSet;

use crate::asl::codes;
use crate::asl::definition::{FailText, Scope, StateKind, StateMachine};
use crate::asl::diagnostic::Diagnostic;
use crate::asl::parse::retry::STATES_ERRORS;
use crate::asl::suggest::did_you_mean;
use crate::asl::validate::nested_scopes;

/// The error names AWS documents besides [`STATES_ERRORS`]: the HTTP task's
/// `States.Http.StatusCode.` followed by the response's three-digit status.
pub fn is_documented(name: &str) -> bool {
    STATES_ERRORS.contains(&name)
        || name
            .strip_prefix("States.Http.StatusCode.")
            .is_some_and(|code| code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()))
}

/// What the machine's own Fail states can raise: `None` when one computes its error
/// (`ErrorPath`), since that may raise anything.
fn raised(scope: &Scope, into: &mut HashSet<String>) -> Option<()> {
    for state in &scope.states {
        if let StateKind::Fail(f) = &state.kind {
            match f.error.as_ref().map(|e| &e.value) {
                Some(FailText::Literal(e)) => {
                    into.insert(e.clone());
                }
                Some(FailText::Expr(_)) => return None,
                None => {}
            }
        }
        for inner in nested_scopes(state) {
            raised(inner, into)?;
        }
    }
    Some(())
}

/// A warning for every `States.*` name in a retrier or catcher that is neither documented
/// nor raised by a Fail state of this machine.
pub fn check(machine: &StateMachine, found: &mut Vec<Diagnostic>) {
    let mut own = HashSet::new();
    if raised(&machine.scope, &mut own).is_none() {
        return;
    }
    walk(&machine.scope, &own, found);
}

fn walk(scope: &Scope, own: &HashSet<String>, found: &mut Vec<Diagnostic>) {
    for state in &scope.states {
        let names =
            state.retry.iter().flat_map(|r| &r.error_equals).chain(state.catch.iter().flat_map(|c| &c.error_equals));
        for name in names.filter(|n| n.value.starts_with("States.")) {
            if is_documented(&name.value) || own.contains(&name.value) {
                continue;
            }
            let mut d = Diagnostic::warning(
                codes::BAD_ERROR_NAME,
                format!("'{}' is not a predefined error name, and no Fail state here raises it", name.value),
            )
            .at(name.span)
            .pointer(state.pointer.clone());
            d = match did_you_mean(&name.value, STATES_ERRORS.iter().copied()) {
                Some(h) => d.help(h),
                None => {
                    d.help("AWS accepts it, but only a Fail state or a task that raises this exact name can match it")
                }
            };
            found.push(d);
        }
        for inner in nested_scopes(state) {
            walk(inner, own, found);
        }
    }
}
