//! Best-practice lints: findings AWS accepts but that hurt real executions (no timeout, no
//! heartbeat, unhandled Lambda service errors, loops that can exhaust the history quota, an
//! unknown integration behind a `${…}` placeholder). Each is a warning named like a clippy
//! lint (`timeout-missing`), located at its state. They are allowed for one state with
//! `"Comment": "… statescope:allow(NAME) …"` (on the machine's top-level Comment: everywhere),
//! or by the caller (`--allow NAME`). Kept apart from `validate`, which holds AWS's own rules.

mod allow;
mod history;
mod task;

use crate::asl::codes;
use crate::asl::definition::{Scope, State, StateKind, StateMachine};
use crate::asl::diagnostic::Diagnostic;
use crate::asl::validate::nested_scopes;
use crate::asl::workflow::WorkflowType;

pub use allow::allowed_in_comment;

/// What the caller decided: the workflow type (some lints are Standard-only) and the lints
/// allowed everywhere.
#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    pub workflow: WorkflowType,
    /// Lint names (`timeout-missing`) not to report anywhere.
    pub allow: Vec<String>,
}

/// A lint's finding and the states whose Comment may allow it (the loop's states for
/// `history-quota-risk`, the state itself otherwise).
struct Finding<'m> {
    diagnostic: Diagnostic,
    states: Vec<&'m State>,
}

/// Every lint warning of `machine` that is not allowed.
pub fn lint(machine: &StateMachine, options: &LintOptions) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    lint_scope(&machine.scope, options, &mut findings);
    let machine_allows = |code: &str| machine.comment.as_deref().is_some_and(|c| allowed_in_comment(c, code));
    findings
        .into_iter()
        .filter(|f| {
            let code = f.diagnostic.code;
            !options.allow.iter().any(|a| a == code)
                && !machine_allows(code)
                && !f.states.iter().any(|s| s.comment.as_deref().is_some_and(|c| allowed_in_comment(c, code)))
        })
        .map(|f| f.diagnostic)
        .collect()
}

fn lint_scope<'m>(scope: &'m Scope, options: &LintOptions, found: &mut Vec<Finding<'m>>) {
    for state in &scope.states {
        if let StateKind::Task(t) = &state.kind {
            for diagnostic in task::lint_task(state, t, options.workflow) {
                found.push(Finding { diagnostic, states: vec![state] });
            }
        }
        for inner in nested_scopes(state) {
            lint_scope(inner, options, found);
        }
    }
    if options.workflow == WorkflowType::Standard {
        for (diagnostic, states) in history::loops(scope) {
            found.push(Finding { diagnostic, states });
        }
    }
}

/// Whether `code` names a lint (for `--allow` and `statescope:allow(…)`).
pub fn is_lint(code: &str) -> bool {
    codes::LINTS.iter().any(|(c, _)| *c == code)
}

/// Whether `--allow CODE` names something: a lint or a validator code. Only warnings are
/// silenced (`ASL104`, `ASL901`, …); an error cannot be allowed, since AWS refuses the definition.
pub fn is_allowable(code: &str) -> bool {
    is_lint(code) || codes::ALL.iter().any(|(c, _)| *c == code)
}

#[cfg(test)]
mod tests;
