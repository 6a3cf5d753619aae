//! JSONata errors: the official code (`S0202`, …), the char offset into the expression and the
//! message JSONata gives for that code, so users can look the code up in JSONata's docs.

use thiserror::Error;

/// An error from parsing (or evaluating) a JSONata expression.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{code}: {message}")]
pub struct JsonataError {
    /// JSONata's error code, e.g. `S0202`; `X0001` is statescope's own nesting limit.
    pub code: &'static str,
    /// Char (not byte) offset into the expression text where the problem is.
    pub position: usize,
    /// The human-readable message, with the offending token filled in.
    pub message: String,
}

impl JsonataError {
    /// Builds the error for `code`, filling JSONata's message template with `token`/`value`.
    pub fn new(code: &'static str, position: usize, token: &str, value: &str) -> Self {
        let message = template(code).replace("{token}", token).replace("{value}", value);
        JsonataError { code, position, message }
    }

    /// An error with only a code and a position (the template needs no token).
    pub fn at(code: &'static str, position: usize) -> Self {
        Self::new(code, position, "", "")
    }

    /// An error whose message is written out directly (evaluation errors with detail).
    pub fn with_message(code: &'static str, position: usize, message: impl Into<String>) -> Self {
        JsonataError { code, position, message: message.into() }
    }
}

/// JSONata's message template for each code (from the reference implementation's table).
fn template(code: &str) -> &'static str {
    match code {
        "S0101" => "String literal must be terminated by a matching quote",
        "S0102" => "Number out of range: {token}",
        "S0103" => "Unsupported escape sequence: \\{token}",
        "S0104" => "The escape sequence \\u must be followed by 4 hex digits",
        "S0105" => "Quoted property name must be terminated with a backquote (`)",
        "S0106" => "Comment has no closing tag",
        "S0201" => "Syntax error: {token}",
        "S0202" => "Expected {value}, got {token}",
        "S0203" => "Expected {value} before end of expression",
        "S0204" => "Unknown operator: {token}",
        "S0205" => "Unexpected token: {token}",
        "S0207" => "Unexpected end of expression",
        "S0208" => "Parameter {value} of function definition must be a variable name (start with $)",
        "S0209" => "A predicate cannot follow a grouping expression in a step",
        "S0210" => "Each step can only have one grouping expression",
        "S0211" => "The symbol {token} cannot be used as a unary operator",
        "S0212" => "The left side of := must be a variable name (start with $)",
        "S0213" => "The literal value {value} cannot be used as a step within a path expression",
        "S0214" => "The right side of {token} must be a variable name (start with $)",
        "S0215" => "A context variable binding must precede any predicates on a step",
        "S0216" => "A context variable binding must precede the 'order-by' clause on a step",
        "S0217" => "The object representing the 'parent' cannot be derived from this expression",
        "S0301" => "Empty regular expressions are not allowed",
        "S0302" => "No terminating / in regular expression",
        "S0401" => "Type parameters can only be applied to functions and arrays",
        "S0402" => "Choice groups containing parameterized types are not supported",
        "X0001" => "The expression nests too deeply",
        _ => "Syntax error: {token}",
    }
}
