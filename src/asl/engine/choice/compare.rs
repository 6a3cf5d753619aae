//! One comparison operator applied to two JSON values (rules 10.7–10.12). A value of the wrong
//! type makes the comparison false, never an error (ASL-NOTES 8); the `Mismatch` says which side
//! and why, for the explanation.

use std::cmp::Ordering;
use std::fmt;

use serde_json::{Number, Value};

use crate::asl::definition::Operator::{self, *};
use crate::asl::engine::string_matches;
use crate::asl::timestamp::parse_timestamp;

/// Which side of a comparison had the wrong type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Variable,
    Operand,
}

/// Why a comparison was false without comparing anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub side: Side,
    /// What the operator compares: `"strings"`, `"numbers"`, `"booleans"`, `"timestamps"`.
    pub compares: &'static str,
    /// What the value was: `"a string"`, `"null"`, `"a string that is not a timestamp"`, …
    pub found: &'static str,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = match self.side {
            Side::Variable => "the variable",
            Side::Operand => "the operand",
        };
        write!(f, "compares {}, {side} is {}", self.compares, self.found)
    }
}

/// `Ok(result)`, or `Err` when a side has the wrong type (the comparison is then false).
pub(super) fn compare(op: Operator, var: &Value, operand: &Value) -> Result<bool, Mismatch> {
    match op {
        IsNull => Ok(var.is_null() == truthy(operand)),
        IsNumeric => Ok(var.is_number() == truthy(operand)),
        IsString => Ok(var.is_string() == truthy(operand)),
        IsBoolean => Ok(var.is_boolean() == truthy(operand)),
        IsTimestamp => Ok(var.as_str().and_then(parse_timestamp).is_some() == truthy(operand)),
        // Handled by the caller: it is about the path, not the value.
        IsPresent => Ok(truthy(operand)),
        StringMatches => {
            let (s, pattern) = both(var, operand, "strings", Value::as_str)?;
            Ok(string_matches::matches(pattern, s))
        }
        BooleanEquals => {
            let (a, b) = both(var, operand, "booleans", Value::as_bool)?;
            Ok(a == b)
        }
        StringEquals | StringLessThan | StringGreaterThan | StringLessThanEquals | StringGreaterThanEquals => {
            let (a, b) = both(var, operand, "strings", Value::as_str)?;
            Ok(holds(op, utf16_order(a, b)))
        }
        NumericEquals | NumericLessThan | NumericGreaterThan | NumericLessThanEquals | NumericGreaterThanEquals => {
            let (a, b) = both(var, operand, "numbers", Value::as_number)?;
            Ok(number_order(a, b).is_some_and(|o| holds(op, o)))
        }
        TimestampEquals
        | TimestampLessThan
        | TimestampGreaterThan
        | TimestampLessThanEquals
        | TimestampGreaterThanEquals => {
            let a = timestamp(var, Side::Variable)?;
            let b = timestamp(operand, Side::Operand)?;
            Ok(holds(op, a.cmp(&b)))
        }
    }
}

fn truthy(v: &Value) -> bool {
    v.as_bool().unwrap_or(false)
}

/// Both sides as the operator's type, or the first side that is not.
fn both<'v, T>(
    var: &'v Value,
    operand: &'v Value,
    compares: &'static str,
    get: impl Fn(&'v Value) -> Option<T>,
) -> Result<(T, T), Mismatch> {
    let a = get(var).ok_or(Mismatch { side: Side::Variable, compares, found: type_name(var) })?;
    let b = get(operand).ok_or(Mismatch { side: Side::Operand, compares, found: type_name(operand) })?;
    Ok((a, b))
}

fn timestamp(v: &Value, side: Side) -> Result<crate::asl::timestamp::Timestamp, Mismatch> {
    let compares = "timestamps";
    let s = v.as_str().ok_or(Mismatch { side, compares, found: type_name(v) })?;
    parse_timestamp(s).ok_or(Mismatch { side, compares, found: "a string that is not an RFC 3339 timestamp" })
}

use crate::asl::json_type::with_article as type_name;

/// Whether an ordering satisfies the operator's `Equals`/`LessThan`/… suffix.
fn holds(op: Operator, o: Ordering) -> bool {
    match op {
        StringEquals | NumericEquals | TimestampEquals => o == Ordering::Equal,
        StringLessThan | NumericLessThan | TimestampLessThan => o == Ordering::Less,
        StringGreaterThan | NumericGreaterThan | TimestampGreaterThan => o == Ordering::Greater,
        StringLessThanEquals | NumericLessThanEquals | TimestampLessThanEquals => o != Ordering::Greater,
        StringGreaterThanEquals | NumericGreaterThanEquals | TimestampGreaterThanEquals => o != Ordering::Less,
        _ => false,
    }
}

/// String order by UTF-16 code units, as AWS (Java) orders them (rule 10.8). It differs from
/// Rust's byte order only between supplementary characters and U+E000–U+FFFF.
pub(super) fn utf16_order(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

/// A JSON number as an exact integer or a float.
enum Exact {
    Int(i128),
    Float(f64),
}

fn exact(n: &Number) -> Option<Exact> {
    if let Some(i) = n.as_i64() {
        return Some(Exact::Int(i128::from(i)));
    }
    if let Some(u) = n.as_u64() {
        return Some(Exact::Int(i128::from(u)));
    }
    n.as_f64().map(Exact::Float)
}

/// Numeric order by value (rule 10.9): `1` equals `1.0`, and large integers are compared
/// exactly rather than rounded through `f64`.
pub(super) fn number_order(a: &Number, b: &Number) -> Option<Ordering> {
    match (exact(a)?, exact(b)?) {
        (Exact::Int(x), Exact::Int(y)) => Some(x.cmp(&y)),
        (Exact::Int(x), Exact::Float(f)) => int_float_order(x, f),
        (Exact::Float(f), Exact::Int(x)) => int_float_order(x, f).map(Ordering::reverse),
        (Exact::Float(f), Exact::Float(g)) => f.partial_cmp(&g),
    }
}

/// Exact order of an integer and a float: compare with the float's integer part, then its
/// fraction. The cast saturates, which is still exact for floats beyond the `i128` range
/// because JSON integers are at most 64 bits.
fn int_float_order(i: i128, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    let whole = f.trunc();
    Some(i.cmp(&(whole as i128)).then_with(|| 0.0f64.partial_cmp(&(f - whole)).unwrap_or(Ordering::Equal)))
}
