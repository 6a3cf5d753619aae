//! Standard and Express workflows: the type a state machine is created with, and what AWS's
//! CreateStateMachine refuses in an Express one (no `.sync`, no `.waitForTaskToken`, no
//! activities; ASL-CHECKLIST 2.27, 19.2). The type is not part of the definition: it comes from
//! the caller (`--type`) or the template (`StateMachineType`, SAM `Type`).

use crate::asl::codes;
use crate::asl::definition::{Scope, StateKind, StateMachine};
use crate::asl::diagnostic::Diagnostic;
use crate::asl::resource::{Pattern, ResourceKind, classify};
use crate::asl::validate::nested_scopes;

/// `STANDARD` (the default) or `EXPRESS`, as CreateStateMachine's `type` names them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum WorkflowType {
    #[default]
    Standard,
    Express,
}

/// AWS's maximum duration of an Express execution: 5 minutes.
pub const EXPRESS_MAX_DURATION_SECONDS: u64 = 300;

impl WorkflowType {
    /// `"STANDARD"` / `"EXPRESS"`, as AWS writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            WorkflowType::Standard => "STANDARD",
            WorkflowType::Express => "EXPRESS",
        }
    }

    /// Reads AWS's spelling (case-insensitive, as CloudFormation accepts it).
    pub fn parse(text: &str) -> Option<WorkflowType> {
        match text.to_ascii_uppercase().as_str() {
            "STANDARD" => Some(WorkflowType::Standard),
            "EXPRESS" => Some(WorkflowType::Express),
            _ => None,
        }
    }
}

impl std::fmt::Display for WorkflowType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One `express-unsupported-integration` error per Task state an Express machine cannot run.
pub fn check_express(machine: &StateMachine) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    express_scope(&machine.scope, &mut found);
    found
}

fn express_scope(scope: &Scope, found: &mut Vec<Diagnostic>) {
    for state in &scope.states {
        if let StateKind::Task(task) = &state.kind {
            let what = match classify(&task.resource.value) {
                ResourceKind::Activity => Some("activities"),
                ResourceKind::Integration { pattern: Pattern::Sync, .. } => Some("the '.sync' integration pattern"),
                ResourceKind::Integration { pattern: Pattern::WaitForTaskToken, .. } => {
                    Some("the '.waitForTaskToken' integration pattern")
                }
                _ => None,
            };
            if let Some(what) = what {
                found.push(
                    Diagnostic::error(
                        codes::EXPRESS_UNSUPPORTED_INTEGRATION,
                        format!(
                            "state '{}' uses '{}': an Express state machine does not support {what}",
                            state.name, task.resource.value
                        ),
                    )
                    .at(task.resource.span)
                    .pointer(format!("{}/Resource", state.pointer))
                    .help(express_help(what)),
                );
            }
        }
        for inner in nested_scopes(state) {
            express_scope(inner, found);
        }
    }
}

fn express_help(what: &str) -> &'static str {
    if what.starts_with("activities") {
        "invoke a Lambda function or a service directly, or make this a Standard workflow (--type standard)"
    } else {
        "use the request-response form (no suffix) and poll, or make this a Standard workflow (--type standard)"
    }
}
