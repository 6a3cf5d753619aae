//! One call from text to a checked machine: parse the document, build the model, validate the
//! graph. Used by `validate`, `run` and (later) the debugger's hot reload.

use std::sync::Arc;

use crate::asl::definition::StateMachine;
use crate::asl::diagnostic::Diagnostic;
use crate::asl::load::{LoadOptions, load};
use crate::asl::parse::parse_machine;
use crate::asl::source::Source;
use crate::asl::validate::validate;

/// The outcome of checking a definition: the machine when it could be built, and every
/// diagnostic (errors first, then warnings, each group in source order).
#[derive(Debug)]
pub struct Checked {
    /// Shared: executions hold the machine they run (`Execution::new`).
    pub machine: Option<Arc<StateMachine>>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The machine, only when no diagnostic is an error.
    pub fn runnable(&self) -> Option<&Arc<StateMachine>> {
        if self.has_errors() { None } else { self.machine.as_ref() }
    }
}

/// Parses and validates a definition (JSON or YAML, or the one state machine of a template).
pub fn check(source: &Source) -> Checked {
    check_with(source, &LoadOptions::default())
}

/// [`check`] with loader options (`--machine`, a forced syntax).
pub fn check_with(source: &Source, options: &LoadOptions) -> Checked {
    let loaded = load(source, options);
    let mut diagnostics = loaded.diagnostics;
    let machine = match loaded.tree {
        None => None,
        Some(tree) => {
            let (machine, found) = parse_machine(&tree);
            diagnostics.extend(found);
            if let Some(m) = &machine {
                diagnostics.extend(validate(m));
            }
            machine
        }
    };
    diagnostics.sort_by_key(|d| (d.severity, d.span.map(|s| s.start)));
    Checked { machine: machine.map(Arc::new), diagnostics }
}
