//! Naming a JSON value's type in messages ("must be an array, but it is a string").

use serde_json::Value;

/// The JSON type of `v` with its article: `null`, `a boolean`, `a number`, `a string`,
/// `an array`, `an object`.
pub fn with_article(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
