//! Retriers and Catchers (rules 2.12–2.14, 16.x).

use crate::asl::codes;
use crate::asl::definition::{Catcher, QueryLanguage, Retrier, Spanned, StateName};
use crate::asl::diagnostic::Diagnostic;
use crate::asl::parse::expr::{PathKind, path_or_null, template_field};
use crate::asl::parse::fields::{Fields, Sink};
use crate::asl::tree::Node;

/// Predefined error names (rule 16.2). Other `States.` names are accepted by AWS; the validator
/// warns about the ones nothing in the machine raises (`validate::error_names`).
pub const STATES_ERRORS: &[&str] = &[
    "States.ALL",
    "States.HeartbeatTimeout",
    "States.Timeout",
    "States.TaskFailed",
    "States.Permissions",
    "States.ResultPathMatchFailure",
    "States.ParameterPathFailure",
    "States.BranchFailed",
    "States.NoChoiceMatched",
    "States.IntrinsicFailure",
    "States.ExceedToleratedFailureThreshold",
    "States.ItemReaderFailed",
    "States.ResultWriterFailed",
    "States.QueryEvaluationError",
    "States.Runtime",
    "States.DataLimitExceeded",
    "States.Http.Socket",
];

fn error_equals(f: &mut Fields, sink: &mut Sink) -> Vec<Spanned<String>> {
    let Some((m, items)) = f.array("ErrorEquals", sink) else {
        if !f.has("ErrorEquals") {
            sink.push(
                Diagnostic::error(codes::MISSING_FIELD, "'ErrorEquals' is required")
                    .at(f.node.span.sub(0, 1))
                    .pointer(f.pointer.clone()),
            );
        }
        return Vec::new();
    };
    if items.is_empty() {
        sink.push(
            Diagnostic::error(codes::BAD_VALUE, "'ErrorEquals' cannot be empty")
                .at(m.value.span)
                .pointer(f.child("ErrorEquals")),
        );
    }
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let pointer = format!("{}/{i}", f.child("ErrorEquals"));
        match item.as_str() {
            Some(s) => {
                out.push(Spanned { value: s.to_string(), key_span: item.span, span: item.span });
            }
            None => sink.push(
                Diagnostic::error(codes::WRONG_TYPE, "error names in 'ErrorEquals' must be strings")
                    .at(item.span)
                    .pointer(pointer),
            ),
        }
    }
    out
}

/// One element of `Retry`.
pub fn retrier(node: &Node, pointer: String, sink: &mut Sink) -> Option<Retrier> {
    let mut f = Fields::new(node, pointer, "a retrier", sink)?;
    let error_equals = error_equals(&mut f, sink);
    let interval_seconds = f.integer("IntervalSeconds", 1, 99_999_999, sink).map_or(1.0, |v| v.value as f64);
    let max_attempts = f.integer("MaxAttempts", 0, 99_999_999, sink).map_or(3, |v| v.value as u64);
    let backoff_rate = match f.number("BackoffRate", sink) {
        Some(b) if b.value < 1.0 => {
            sink.push(
                Diagnostic::error(codes::BAD_VALUE, format!("'BackoffRate' is {}, but must be at least 1.0", b.value))
                    .at(b.span)
                    .pointer(f.child("BackoffRate")),
            );
            2.0
        }
        Some(b) => b.value,
        None => 2.0,
    };
    let max_delay_seconds = f.integer("MaxDelaySeconds", 1, 31_622_401, sink).map(|v| v.value as f64);
    let jitter_full = match f.string("JitterStrategy", sink) {
        Some(s) if s.value == "FULL" => true,
        Some(s) if s.value == "NONE" => false,
        Some(s) => {
            sink.push(
                Diagnostic::error(
                    codes::BAD_VALUE,
                    format!("'JitterStrategy' is '{}', but must be 'FULL' or 'NONE'", s.value),
                )
                .at(s.span)
                .pointer(f.child("JitterStrategy")),
            );
            false
        }
        None => false,
    };
    let _ = f.string("Comment", sink);
    let span = f.node.span;
    f.finish(
        "a retrier",
        &[
            "ErrorEquals",
            "IntervalSeconds",
            "MaxAttempts",
            "BackoffRate",
            "MaxDelaySeconds",
            "JitterStrategy",
            "Comment",
        ],
        sink,
    );
    Some(Retrier { error_equals, interval_seconds, max_attempts, backoff_rate, max_delay_seconds, jitter_full, span })
}

/// One element of `Catch`.
pub fn catcher(node: &Node, pointer: String, lang: QueryLanguage, sink: &mut Sink) -> Option<Catcher> {
    let mut f = Fields::new(node, pointer, "a catcher", sink)?;
    let error_equals = error_equals(&mut f, sink);
    let next = f.string("Next", sink).map(|n| n.map(StateName::from));
    if next.is_none() && !f.has("Next") {
        sink.push(
            Diagnostic::error(codes::MISSING_FIELD, "every catcher needs 'Next'")
                .at(f.node.span.sub(0, 1))
                .pointer(f.pointer.clone()),
        );
    }
    let (result_path, output) = match lang {
        QueryLanguage::JsonPath => (path_or_null(&mut f, "ResultPath", PathKind::ResultPath, sink), None),
        QueryLanguage::Jsonata => (None, template_field(&mut f, "Output", lang, sink)),
    };
    let assign = template_field(&mut f, "Assign", lang, sink);
    let _ = f.string("Comment", sink);
    let span = f.node.span;
    let known: &[&str] = match lang {
        QueryLanguage::JsonPath => &["ErrorEquals", "Next", "ResultPath", "Assign", "Comment"],
        QueryLanguage::Jsonata => &["ErrorEquals", "Next", "Output", "Assign", "Comment"],
    };
    f.finish("a catcher", known, sink);
    Some(Catcher { error_equals, next: next?, result_path, assign, output, span })
}
