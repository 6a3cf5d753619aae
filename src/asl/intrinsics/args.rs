//! Run-time argument checks: each takes the evaluated value and either returns it in the shape
//! the function needs or a `States.IntrinsicFailure` naming the function, the argument and what
//! was found instead.

use serde_json::{Map, Value};

use crate::asl::intrinsics::IntrinsicError;
use crate::asl::intrinsics::func::{Func, Kind};

pub use crate::asl::json_type::with_article as type_of;

/// A failure for argument `i` (0-based) of `func` having the wrong type.
pub fn wrong_type(func: Func, i: usize, kind: Kind, v: &Value) -> IntrinsicError {
    IntrinsicError::failure(format!(
        "The argument {} of {} must be {}, but it is {}: {}",
        i + 1,
        func.name(),
        kind.describe(),
        type_of(v),
        preview(v)
    ))
}

/// The value's JSON text, cut short so a huge input does not flood the cause.
pub fn preview(v: &Value) -> String {
    const MAX: usize = 100;
    let text = v.to_string();
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// A failure with a free-form reason, prefixed with the function name.
pub fn invalid(func: Func, why: impl std::fmt::Display) -> IntrinsicError {
    IntrinsicError::failure(format!("Invalid arguments to {}: {why}", func.name()))
}

pub fn string(func: Func, i: usize, v: Value) -> Result<String, IntrinsicError> {
    match v {
        Value::String(s) => Ok(s),
        other => Err(wrong_type(func, i, Kind::String, &other)),
    }
}

pub fn array(func: Func, i: usize, v: Value) -> Result<Vec<Value>, IntrinsicError> {
    match v {
        Value::Array(a) => Ok(a),
        other => Err(wrong_type(func, i, Kind::Array, &other)),
    }
}

pub fn object(func: Func, i: usize, v: Value) -> Result<Map<String, Value>, IntrinsicError> {
    match v {
        Value::Object(o) => Ok(o),
        other => Err(wrong_type(func, i, Kind::Object, &other)),
    }
}

pub fn boolean(func: Func, i: usize, v: &Value) -> Result<bool, IntrinsicError> {
    v.as_bool().ok_or_else(|| wrong_type(func, i, Kind::Boolean, v))
}

pub fn number(func: Func, i: usize, v: &Value) -> Result<f64, IntrinsicError> {
    v.as_f64().ok_or_else(|| wrong_type(func, i, Kind::Number, v))
}

/// A number rounded the way Java's `Math.round` does: half-way values go toward +∞, so
/// `-2.5` → `-2` and `2.5` → `3` (rule 9.19). AWS documents this rounding for every integer
/// argument (ArrayPartition, ArrayRange, MathRandom, MathAdd).
pub fn rounded(func: Func, i: usize, v: &Value) -> Result<i64, IntrinsicError> {
    if let Some(n) = v.as_i64() {
        return Ok(n);
    }
    let f = number(func, i, v)?;
    let floor = f.floor();
    let r = if f - floor >= 0.5 { floor + 1.0 } else { floor };
    if !r.is_finite() || r.abs() > 9.0e18 {
        return Err(invalid(func, format!("the number {} is out of range", preview(v))));
    }
    Ok(r as i64)
}
