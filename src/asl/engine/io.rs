//! The seam between the execution loop and the data-flow functions: every path, template and
//! ResultPath evaluation the engine does goes through here.

use serde_json::Value;

use crate::asl::definition::{Expr, PathOrNull, Spanned, Template};
use crate::asl::jsonpath::{Roots, SelectError};
use crate::asl::world::Entropy;

/// A state-level failure: ASL error name and cause (without AWS's "An error occurred…" prefix).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Failure {
    pub error: String,
    pub cause: String,
}

impl Failure {
    pub fn runtime(cause: impl Into<String>) -> Failure {
        Failure { error: "States.Runtime".into(), cause: cause.into() }
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
    Ok(match t {
        Template::Literal(v) => v.clone(),
        Template::Array(items) => {
            Value::Array(items.iter().map(|i| template(i, roots, entropy)).collect::<Result<_, _>>()?)
        }
        Template::Object(fields) => {
            let mut map = serde_json::Map::with_capacity(fields.len());
            for f in fields {
                map.insert(f.key.clone(), template(&f.value, roots, entropy)?);
            }
            Value::Object(map)
        }
        Template::Expr(Expr::Path(p)) => p.select(roots).map_err(|_| {
            Failure::runtime(format!(
                "The JSONPath '{}' specified for the field '.$' could not be found in the input '{}'",
                p.text(),
                roots.input
            ))
        })?,
        Template::Expr(Expr::Intrinsic(c)) => {
            c.eval(roots, entropy).map_err(|e| Failure { error: e.error, cause: e.cause })?
        }
        Template::Expr(Expr::Jsonata(_)) => return Err(jsonata_unsupported()),
    })
}

/// ResultPath: absent/`$` → the result; null → the raw input; a path → written into the raw
/// input, creating missing objects (rules 4.11, 4.12).
pub(crate) fn result_path(field: Option<&Spanned<PathOrNull>>, raw: Value, result: Value) -> Result<Value, Failure> {
    match field.map(|f| &f.value) {
        None => Ok(result),
        Some(PathOrNull::Null) => Ok(raw),
        Some(PathOrNull::Path(p)) => p
            .assign(raw, result)
            .map_err(|e| Failure { error: "States.ResultPathMatchFailure".into(), cause: e.to_string() }),
    }
}

/// JSONata is the next wave; until then a JSONata state stops the run with this.
pub(crate) fn jsonata_unsupported() -> Failure {
    Failure { error: "statescope.Unsupported".into(), cause: "JSONata expressions are not supported yet".into() }
}
