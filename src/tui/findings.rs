//! What the checker said about the running definition without refusing it: lint warnings and
//! the validator's warnings, each with its position, message and hint ("did you mean …"), plus
//! the workflow type it was checked as. The graph marks the states they name; the diagnostics
//! list shows them.

use std::collections::BTreeSet;

use crate::asl::check::Checked;
use crate::asl::diagnostic::{self, Diagnostic};
use crate::asl::source::{LineIndex, Source};
use crate::asl::workflow::WorkflowType;

/// One warning, rendered for the diagnostics list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The state it is about (`None`: the machine as a whole).
    pub state: Option<String>,
    pub code: &'static str,
    /// `file:line:col: warning[code]: message`, then `  = help: …` when it has a hint.
    pub lines: Vec<String>,
}

/// Every finding of the definition that runs, and its workflow type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Findings {
    pub workflow_type: WorkflowType,
    pub items: Vec<Finding>,
}

impl Findings {
    /// The warnings of a checked definition (its errors, if any, are the caller's business).
    /// `source` is the file checked; a finding in a template's `DefinitionUri` file names that.
    pub fn of(source: &Source, checked: &Checked) -> Findings {
        let items = checked
            .positioned(source, |d| !d.is_error())
            .into_iter()
            .map(|(from, index, d)| Finding {
                state: diagnostic::state_of_pointer(&d.pointer),
                code: d.code,
                lines: render_lines(from, &index, d),
            })
            .collect();
        Findings { workflow_type: checked.workflow_type, items }
    }

    /// The states some finding is about (the graph marks them).
    pub fn states(&self) -> BTreeSet<&str> {
        self.items.iter().filter_map(|f| f.state.as_deref()).collect()
    }

    /// Every finding's lines, in order.
    pub fn lines(&self) -> impl Iterator<Item = &String> {
        self.items.iter().flat_map(|f| &f.lines)
    }
}

/// `file:line:col: severity[code]: message` and the hint on a line of its own, the short form
/// the diagnostics list shows (no source excerpt: the list is a few lines high).
pub fn render_lines(source: &Source, index: &LineIndex, d: &Diagnostic) -> Vec<String> {
    let sev = d.severity.as_str();
    let head = match diagnostic::position(source, index, d) {
        Some((line, col)) => format!("{}:{line}:{col}: {sev}[{}]: {}", source.name, d.code, d.message),
        None => format!("{}: {sev}[{}]: {}", source.name, d.code, d.message),
    };
    let mut lines = vec![head];
    if let Some(help) = &d.help {
        lines.push(format!("  = help: {help}"));
    }
    lines
}
