//! The seam between the execution loop and the data-flow functions: every path, template and
//! ResultPath evaluation the engine does goes through here.

use serde_json::Value;

use crate::asl::definition::{Expr, PathOrNull, Spanned, Template};
use crate::asl::error_name::ErrorName;
use crate::asl::jsonpath::{Roots, SelectError};
use crate::asl::world::Entropy;

/// A state-level failure: ASL error name and cause (without AWS's "An error occurred…" prefix).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Failure {
    pub error: ErrorName,
    pub cause: String,
    /// For a JSONata evaluation failure, the field it happened in (`Output`, `Items`): AWS
    /// records an `EvaluationFailed` event naming it.
    pub location: Option<String>,
}

impl Failure {
    /// The engine cannot run this locally: the execution stops (never retried or caught).
    pub fn unsupported(cause: impl Into<String>) -> Failure {
        Failure { error: ErrorName::Unsupported, cause: cause.into(), location: None }
    }

    pub fn runtime(cause: impl Into<String>) -> Failure {
        Failure { error: ErrorName::Runtime, cause: cause.into(), location: None }
    }

    /// A state's result over the payload quota (ASL-NOTES 6; `error_handling/test_start_large_input`).
    pub fn result_too_large(state: &str) -> Failure {
        Failure {
            error: ErrorName::DataLimitExceeded,
            cause: format!(
                "The state/task '{state}' returned a result with a size exceeding the maximum number of bytes service limit."
            ),
            location: None,
        }
    }

    /// A state's input over the payload quota. Only an execution's input can be (every other
    /// input was a state's output, checked when it was made); AWS refuses such an input at
    /// `StartExecution`, so no recording of a run-time cause exists: this one says what
    /// happened in the words of [`Failure::result_too_large`].
    pub fn input_too_large(state: &str) -> Failure {
        Failure {
            error: ErrorName::DataLimitExceeded,
            cause: format!(
                "The state/task '{state}' received an input with a size exceeding the maximum number of bytes service limit."
            ),
            location: None,
        }
    }

    /// A state's input or output nested deeper than [`crate::asl::depth::MAX_VALUE_DEPTH`]
    /// levels: statescope's own limit (AWS documents none; it keeps every later walk over the
    /// value within the stack), so the cause is statescope's wording.
    pub fn too_deep(what: &str) -> Failure {
        Failure::runtime(format!(
            "The state {what} nests arrays and objects deeper than {} levels, statescope's limit.",
            crate::asl::depth::MAX_VALUE_DEPTH
        ))
    }

    /// Whether AWS prefixes the cause with "An error occurred while executing the state …":
    /// it does for the errors the service raises while evaluating a state (counted over the
    /// corpus: every States.Runtime and States.QueryEvaluationError cause has it, no other has).
    pub fn is_prefixed(&self) -> bool {
        // The others raised while evaluating a state are prefixed alike (no recording says otherwise).
        matches!(
            self.error,
            ErrorName::Runtime
                | ErrorName::QueryEvaluationError
                | ErrorName::IntrinsicFailure
                | ErrorName::NoChoiceMatched
                | ErrorName::ResultPathMatchFailure
                | ErrorName::ParameterPathFailure
        )
    }
}

impl From<crate::asl::intrinsics::IntrinsicError> for Failure {
    fn from(e: crate::asl::intrinsics::IntrinsicError) -> Failure {
        Failure { error: ErrorName::parse(&e.error), cause: e.cause, location: None }
    }
}

/// InputPath/OutputPath: absent → `$`, null → `{}` (rule 4.10).
pub(crate) fn filter_path(field: Option<&Spanned<PathOrNull>>, roots: &Roots) -> Result<Value, Failure> {
    match field.map(|f| &f.value) {
        None => Ok(roots.input.clone()),
        Some(PathOrNull::Null) => Ok(Value::Object(Default::default())),
        Some(PathOrNull::Path(p)) => p.select(roots).map_err(|e| match e {
            SelectError::UndefinedVariable { .. } | SelectError::NullInput => Failure::runtime(e.to_string()),
            // Jayway's message after AWS's prefix (rule 4.9): "No results for path: $['x']",
            // "Missing property in path $['no']", …
            e => Failure::runtime(format!("Invalid path '{}' : {e}", p.text())),
        }),
    }
}

/// A payload template over `roots.input`.
pub(crate) fn template(t: &Template, roots: &Roots, entropy: &mut dyn Entropy) -> Result<Value, Failure> {
    template_in(t, None, roots, entropy)
}

/// `key` is the template field holding `t`, named in AWS's cause text ("… for the field 'a.$'").
fn template_in(t: &Template, key: Option<&str>, roots: &Roots, entropy: &mut dyn Entropy) -> Result<Value, Failure> {
    Ok(match t {
        Template::Literal(v) => v.clone(),
        Template::Array(items) => {
            Value::Array(items.iter().map(|i| template_in(i, key, roots, entropy)).collect::<Result<_, _>>()?)
        }
        Template::Object(fields) => {
            let mut map = serde_json::Map::with_capacity(fields.len());
            for f in fields {
                map.insert(f.key.clone(), template_in(&f.value, Some(&f.key), roots, entropy)?);
            }
            Value::Object(map)
        }
        Template::Expr(Expr::Path(p)) => p.select(roots).map_err(|_| {
            // ASL-NOTES 4: payload templates word a missing path differently from InputPath.
            Failure::runtime(format!(
                "The JSONPath '{}' specified for the field '{}.$' could not be found in the input '{}'",
                p.text(),
                key.unwrap_or_default(),
                roots.input
            ))
        })?,
        Template::Expr(Expr::Intrinsic(c)) => c.eval(roots, entropy).map_err(Failure::from)?,
        Template::Expr(Expr::Jsonata(_)) => return Err(jsonata_out_of_place()),
    })
}

/// ResultPath: absent/`$` → the result; null → the raw input; a path → written into the raw
/// input, creating missing objects (rules 4.11, 4.12).
pub(crate) fn result_path(field: Option<&Spanned<PathOrNull>>, raw: Value, result: Value) -> Result<Value, Failure> {
    match field.map(|f| &f.value) {
        None => Ok(result),
        Some(PathOrNull::Null) => Ok(raw),
        Some(PathOrNull::Path(p)) => p.assign(raw, result).map_err(|e| Failure {
            error: ErrorName::ResultPathMatchFailure,
            cause: e.to_string(),
            location: None,
        }),
    }
}

/// A JSONata expression reached a JSONPath evaluation. The validator rejects such definitions
/// and JSONata fields are resolved before the shared checks, so this only guards the seam.
pub(crate) fn jsonata_out_of_place() -> Failure {
    Failure::unsupported("a JSONata expression where JSONPath is evaluated")
}
