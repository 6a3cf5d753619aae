//! The 18 intrinsic functions (`States.Format`, `States.Array`, …): parsed at load time into a
//! call tree, evaluated against [`Roots`](crate::asl::jsonpath::Roots) with injected entropy.
//!
//! Syntax errors, unknown names, wrong argument counts and literals of the wrong type are found
//! by [`parse`] (AWS rejects those at CreateStateMachine); everything that depends on data is
//! checked during [`Call::eval`] and fails with `States.IntrinsicFailure` (rules 9.1–9.21).

mod args;
mod format;
mod func;
mod functions;
mod parse;
#[cfg(test)]
mod tests;

use serde_json::Value;

use crate::asl::jsonpath::{Path, Roots};
use crate::asl::world::Entropy;

pub use func::Func;
pub use parse::parse;

/// The ASL error every evaluation failure raises (rule 9.3).
pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";

/// A parsed call: `States.Name(arg, …)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The call exactly as written (for nested calls, the slice of the outer text).
    pub text: String,
    pub func: Func,
    pub args: Vec<Arg>,
}

/// One argument of a call.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// `'text'`; `raw` keeps the escapes so `States.Format` can tell `\{` from `{`.
    String {
        value: String,
        raw: String,
    },
    Number(serde_json::Number),
    Bool(bool),
    Null,
    /// `$…`, `$$…` or `$name…`.
    Path(Path),
    Call(Box<Call>),
}

/// Why an intrinsic call failed at run time.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{cause}")]
pub struct IntrinsicError {
    /// The ASL error name, e.g. `States.IntrinsicFailure`.
    pub error: String,
    pub cause: String,
}

impl IntrinsicError {
    /// A `States.IntrinsicFailure` with this cause.
    pub fn failure(cause: impl Into<String>) -> IntrinsicError {
        IntrinsicError { error: INTRINSIC_FAILURE.into(), cause: cause.into() }
    }
}

/// A call that does not parse; `offset` is a character offset into the call text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct IntrinsicSyntaxError {
    pub offset: usize,
    pub message: String,
}

impl Call {
    /// The call as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Evaluates the call: arguments first, left to right, then the function.
    pub fn eval(&self, roots: &Roots, entropy: &mut dyn Entropy) -> Result<Value, IntrinsicError> {
        // Most calls take at most three arguments: those go in an array, not a new vector
        // (a payload template in a loop calls this once per visit).
        if self.args.len() <= 3 {
            let mut values = [Value::Null, Value::Null, Value::Null];
            for (slot, arg) in values.iter_mut().zip(&self.args) {
                *slot = arg.eval(self.func, roots, entropy)?;
            }
            return functions::apply(self, values.into_iter().take(self.args.len()), entropy);
        }
        let mut values = Vec::with_capacity(self.args.len());
        for arg in &self.args {
            values.push(arg.eval(self.func, roots, entropy)?);
        }
        functions::apply(self, values, entropy)
    }
}

impl Arg {
    fn eval(&self, func: Func, roots: &Roots, entropy: &mut dyn Entropy) -> Result<Value, IntrinsicError> {
        Ok(match self {
            Arg::String { value, .. } => Value::String(value.clone()),
            Arg::Number(n) => Value::Number(n.clone()),
            Arg::Bool(b) => Value::Bool(*b),
            Arg::Null => Value::Null,
            Arg::Path(p) => p.select(roots).map_err(|e| {
                IntrinsicError::failure(format!("Invalid path '{}' in the arguments of {}: {e}", p.text(), func.name()))
            })?,
            Arg::Call(c) => c.eval(roots, entropy)?,
        })
    }
}
