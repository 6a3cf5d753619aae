//! The workflow type a template gives its state machine: CloudFormation's `StateMachineType`,
//! SAM's `Type` (`STANDARD` or `EXPRESS`; absent means Standard, as AWS creates it).

use crate::asl::codes;
use crate::asl::diagnostic::Diagnostic;
use crate::asl::load::template::{SERVERLESS, STEP_FUNCTIONS};
use crate::asl::tree::{Node, pointer_token};
use crate::asl::workflow::WorkflowType;

/// The type of the machine `wanted` (or of the only one); `None` when the template does not say
/// or the machine cannot be picked (the template's own diagnostics say why).
pub fn declared_type(root: &Node, wanted: Option<&str>, found: &mut Vec<Diagnostic>) -> Option<WorkflowType> {
    let resources = root.get("Resources")?.value.as_object()?;
    let machines: Vec<_> = resources
        .iter()
        .filter(|r| matches!(r.value.get("Type").and_then(|t| t.value.as_str()), Some(STEP_FUNCTIONS | SERVERLESS)))
        .collect();
    let machine = match wanted {
        Some(id) => machines.iter().find(|m| m.key == id)?,
        None if machines.len() == 1 => machines.first()?,
        None => return None,
    };
    let is_sam = machine.value.get("Type").and_then(|t| t.value.as_str()) == Some(SERVERLESS);
    let field = if is_sam { "Type" } else { "StateMachineType" };
    let member = machine.value.get("Properties")?.value.get(field)?;
    let pointer = format!("/Resources/{}/Properties/{field}", pointer_token(&machine.key));
    match member.value.as_str().map(WorkflowType::parse) {
        Some(Some(t)) => Some(t),
        Some(None) => {
            found.push(
                Diagnostic::error(
                    codes::TEMPLATE,
                    format!("'{field}' must be 'STANDARD' or 'EXPRESS', not '{}'", member.value.as_str().unwrap_or("")),
                )
                .at(member.value.span)
                .pointer(pointer),
            );
            None
        }
        None => {
            found.push(
                Diagnostic::warning(
                    codes::TEMPLATE,
                    format!("'{field}' is not a literal; the machine is checked as a Standard workflow"),
                )
                .at(member.value.span)
                .pointer(pointer)
                .help("pass --type express to check it as an Express workflow"),
            );
            None
        }
    }
}
