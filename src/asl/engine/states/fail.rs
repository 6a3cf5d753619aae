//! Fail (rules 5.9, 5.16): ends the scope with an error and a cause, literal or computed
//! (ErrorPath/CausePath in JSONPath, `{% %}` in JSONata's Error/Cause).

use serde_json::{Map, Value};

use crate::asl::definition::{Expr, Fail, FailText, Spanned};
use crate::asl::engine::env::Env;
use crate::asl::engine::io::{self, Failure};
use crate::asl::engine::pipeline::Pipeline;
use crate::asl::engine::pipeline::jsonata::{self, json_kind, query_error};
use crate::asl::engine::visit::Outcome;
use crate::asl::error_name::ErrorName;
use crate::asl::jsonpath::Roots;

pub(super) fn fail(pipeline: Pipeline, f: &Fail, input: &Value, env: &mut Env) -> Result<Outcome, Failure> {
    let (error, cause) = match pipeline {
        Pipeline::JsonPath => {
            (jsonpath_text(&f.error, "ErrorPath", input, env)?, jsonpath_text(&f.cause, "CausePath", input, env)?)
        }
        Pipeline::Jsonata => {
            let b = jsonata::bindings(env, input, None, None);
            (jsonata_text(&f.error, "Error", &b, env)?, jsonata_text(&f.cause, "Cause", &b, env)?)
        }
    };
    Ok(Outcome::Failed { error: error.as_deref().map(ErrorName::parse), cause })
}

/// ErrorPath/CausePath: a path or an intrinsic over the input; a non-string is its JSON text.
fn jsonpath_text(
    t: &Option<Spanned<FailText>>,
    field: &str,
    input: &Value,
    env: &mut Env,
) -> Result<Option<String>, Failure> {
    let Some(t) = t else { return Ok(None) };
    let v = match &t.value {
        FailText::Literal(s) => return Ok(Some(s.clone())),
        FailText::Expr(Expr::Path(p)) => p.select(&env.roots(input)).map_err(|_| {
            Failure::runtime(format!(
                "The JSONPath '{}' specified for the field '{field}' could not be found in the input '{input}'",
                p.text()
            ))
        })?,
        FailText::Expr(Expr::Intrinsic(c)) => {
            let roots = Roots { input, context: env.context, variables: env.variables };
            c.eval(&roots, env.entropy).map_err(Failure::from)?
        }
        FailText::Expr(Expr::Jsonata(_)) => return Err(io::jsonata_out_of_place()),
    };
    Ok(Some(match v {
        Value::String(s) => s,
        other => other.to_string(),
    }))
}

/// JSONata's Error/Cause: an expression must give a string.
fn jsonata_text(
    t: &Option<Spanned<FailText>>,
    field: &str,
    b: &Map<String, Value>,
    env: &mut Env,
) -> Result<Option<String>, Failure> {
    Ok(match t.as_ref().map(|t| &t.value) {
        None => None,
        Some(FailText::Literal(s)) => Some(s.clone()),
        Some(FailText::Expr(Expr::Jsonata(e))) => Some(match jsonata::expr(env, e, field, b)? {
            Value::String(s) => s,
            other => {
                return Err(query_error(
                    field,
                    format!(
                        "The JSONata expression '{}' specified for the field '{field}' returned an unexpected result type. Expected 'string', but was '{}' for value: {other}",
                        e.trim(),
                        json_kind(&other)
                    ),
                ));
            }
        }),
        Some(FailText::Expr(other)) => Some(other.to_string()),
    })
}
