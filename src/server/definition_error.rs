//! CreateStateMachine's `InvalidDefinition` message in AWS's words: `Invalid State Machine
//! Definition: 'CODE: text at /pointer, CODE: text at /pointer'`. statescope's diagnostics
//! explain more than AWS does; where the corpus records AWS's wording for a check, that
//! wording is used, otherwise the diagnostic's own message under AWS's error code.

use serde_json::Value;

use crate::asl::codes;
use crate::asl::diagnostic::Diagnostic;

/// The message of the `InvalidDefinition` error for these diagnostics (errors only).
pub fn message(definition: &str, diagnostics: &[Diagnostic]) -> String {
    let tree: Option<Value> = serde_json::from_str(definition).ok();
    let parts: Vec<String> =
        diagnostics.iter().filter(|d| d.is_error()).map(|d| aws_wording(d, tree.as_ref())).collect();
    format!("Invalid State Machine Definition: '{}'", parts.join(", "))
}

/// One diagnostic as AWS words it.
pub fn aws_wording(d: &Diagnostic, tree: Option<&Value>) -> String {
    let at = |pointer: &str| if pointer.is_empty() { String::new() } else { format!(" at {pointer}") };
    let value = || tree.and_then(|t| t.pointer(&d.pointer)).and_then(Value::as_str).unwrap_or_default();
    match d.code {
        codes::BAD_TIMESTAMP => {
            format!("SCHEMA_VALIDATION_FAILED: String does not match RFC3339 timestamp{}", at(&d.pointer))
        }
        codes::BAD_RESOURCE => format!(
            "SCHEMA_VALIDATION_FAILED: The resource provided {} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.{}",
            value(),
            at(&d.pointer)
        ),
        // AWS blames the template holding the field and names the field itself.
        codes::BAD_INTRINSIC => {
            let (parent, field) = d.pointer.rsplit_once('/').unwrap_or(("", &d.pointer));
            let field = field.replace("~1", "/").replace("~0", "~");
            format!(
                "SCHEMA_VALIDATION_FAILED: The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call{}",
                at(parent)
            )
        }
        codes::MISSING_TARGET => {
            format!("MISSING_TRANSITION_TARGET: Missing 'Next' target: {}{}", value(), at(&d.pointer))
        }
        codes::SYNTAX | codes::DUPLICATE_KEY => format!("INVALID_JSON_DESCRIPTION: {}", capitalised(&d.message)),
        _ => format!("SCHEMA_VALIDATION_FAILED: {}{}", capitalised(&d.message), at(&d.pointer)),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::asl::check::check;
    use crate::asl::source::Source;

    /// Every validation case AWS recorded gets AWS's message, word for word (`<partition>` in
    /// the recording is the snapshot tool's placeholder for `aws`).
    #[test]
    fn the_recorded_invalid_definition_messages() {
        // `../shared/conformance` beside the crate, or `$STATESCOPE_CONFORMANCE`, as tests/engine/support.rs reads it.
        let root = std::env::var_os("STATESCOPE_CONFORMANCE")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"));
        let dir = root.join("cases/validation");
        let Ok(cases) = std::fs::read_dir(&dir) else {
            // As tests/engine/support.rs does: CI (STATESCOPE_REQUIRE_CORPUS) must not skip silently.
            if std::env::var_os("STATESCOPE_REQUIRE_CORPUS").is_some_and(|v| !v.is_empty()) {
                panic!("{} not found, and STATESCOPE_REQUIRE_CORPUS is set", dir.display());
            }
            eprintln!("SKIPPED: {} is absent", dir.display());
            return;
        };
        let mut compared = 0;
        for case in cases.flatten() {
            let read = |f: &str| std::fs::read_to_string(case.path().join(f)).expect("case file");
            let definition = read("definition.json");
            let expected: Value = serde_json::from_str(&read("expected.json")).expect("json");
            let Some(aws) = expected["aws_message"].as_str() else { continue };
            let want = aws.split("operation: ").nth(1).expect("message").replace("<partition>", "aws");
            let checked = check(&Source::new("d.json", definition.clone()));
            assert!(checked.has_errors(), "{:?} was accepted", case.path());
            assert_eq!(message(&definition, &checked.diagnostics), want, "{:?}", case.path());
            compared += 1;
        }
        assert!(compared >= 9, "only {compared} cases compared");
    }

    #[test]
    fn other_errors_keep_statescope_s_message_under_an_aws_code() {
        let definition = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}"#;
        let checked = check(&Source::new("d.json", definition.to_string()));
        let m = message(definition, &checked.diagnostics);
        assert!(m.starts_with("Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next"), "{m}");
    }
}
