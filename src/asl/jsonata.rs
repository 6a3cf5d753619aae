//! JSONata, the query language of `"QueryLanguage": "JSONata"` states: a tokenizer, a Pratt
//! parser and a post-processing pass that together accept exactly what JSONata 2.x accepts and
//! reject the rest with JSONata's own error codes (`S0xxx`) and a char offset; and an evaluator
//! over serde_json values with JSONata's function library. Validation parses every `{% %}`
//! string (ASL206); the engine does not evaluate with it yet.
//!
//! ```
//! use statescope::asl::jsonata::{self, JsonataEnv};
//! assert!(jsonata::parse("Account.Order[0].Product.(Price * Quantity)").is_ok());
//! assert_eq!(jsonata::parse("[1,2)").map_err(|e| e.code), Err("S0202"));
//!
//! // Evaluation takes its clock and entropy from the caller.
//! struct Fixed;
//! impl JsonataEnv for Fixed {
//!     fn now_millis(&mut self) -> i64 { 0 }
//!     fn random(&mut self) -> f64 { 0.5 }
//! }
//! let ast = jsonata::parse("$sum(items.(price * qty))").expect("parses");
//! let input = serde_json::json!({"items": [{"price": 2, "qty": 3}, {"price": 5, "qty": 1}]});
//! let bindings = serde_json::Map::new();
//! assert_eq!(ast.evaluate(&input, &bindings, &mut Fixed), Ok(Some(serde_json::json!(11))));
//! ```

mod ast;
mod error;
mod eval;
mod lexer;
mod parser;
mod process;
mod signature;

pub use ast::{Ast, BinaryOp, CompiledRegex, Group, Kind, Node, Slot, SortTerm, Stage};
pub use error::JsonataError;
pub use eval::{Evaluated, JsonataEnv, MAX_EVAL_DEPTH, MAX_EVAL_STEPS, STACK_BUDGET_BYTES};
pub use parser::MAX_DEPTH;

/// Which JSONata grammar to accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// JSONata 2.0.x, the version AWS Step Functions runs (checklist 8.3): no `??` or `?:`.
    V2_0,
    /// JSONata 2.1: adds the coalescing `??` and default `?:` operators.
    V2_1,
}

/// Parses a JSONata 2.1 expression (the text inside `{% … %}`).
pub fn parse(text: &str) -> Result<Ast, JsonataError> {
    parse_version(text, Version::V2_1)
}

/// Parses an expression with the grammar of one JSONata version.
pub fn parse_version(text: &str, version: Version) -> Result<Ast, JsonataError> {
    let raw = parser::Parser::parse(text, version == Version::V2_1)?;
    process::process(raw)
}

#[cfg(test)]
mod tests;
