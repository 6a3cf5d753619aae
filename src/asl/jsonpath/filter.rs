//! Evaluating `[?( … )]`: Jayway's relational operators over the values two operands produce.
//! A missing operand is "undefined": it equals nothing, so `!=` is true for it (as in Jayway).

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::Value;

use super::ast::{Op, Pattern};

/// An evaluated operand.
pub(crate) enum Operand<'v> {
    Undefined,
    Value(Cow<'v, Value>),
    Regex(&'v Pattern),
}

impl Operand<'_> {
    fn value(&self) -> Option<&Value> {
        match self {
            Operand::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// Applies `op` to the two operands.
pub(crate) fn compare(op: Op, left: &Operand, right: &Operand) -> bool {
    if op == Op::Matches {
        return match (left, right) {
            (Operand::Regex(p), other) | (other, Operand::Regex(p)) => matches(p, other.value()),
            _ => false,
        };
    }
    match op {
        Op::Ne => return !compare(Op::Eq, left, right),
        Op::StrictNe => return !compare(Op::StrictEq, left, right),
        Op::Nin => return !compare(Op::In, left, right),
        _ => {}
    }
    let (Some(l), Some(r)) = (left.value(), right.value()) else {
        return false;
    };
    match op {
        Op::Eq => loose_eq(l, r),
        Op::StrictEq => same_type(l, r) && loose_eq(l, r),
        Op::Lt => order(l, r) == Some(Ordering::Less),
        Op::Le => matches!(order(l, r), Some(Ordering::Less | Ordering::Equal)),
        Op::Gt => order(l, r) == Some(Ordering::Greater),
        Op::Ge => matches!(order(l, r), Some(Ordering::Greater | Ordering::Equal)),
        Op::In => r.as_array().is_some_and(|list| list.iter().any(|x| loose_eq(l, x))),
        Op::SubsetOf => match (l.as_array(), r.as_array()) {
            (Some(a), Some(b)) => a.iter().all(|x| b.iter().any(|y| loose_eq(x, y))),
            _ => false,
        },
        Op::AnyOf => match (l.as_array(), r.as_array()) {
            (Some(a), Some(b)) => a.iter().any(|x| b.iter().any(|y| loose_eq(x, y))),
            _ => false,
        },
        Op::NoneOf => match (l.as_array(), r.as_array()) {
            (Some(a), Some(b)) => !a.iter().any(|x| b.iter().any(|y| loose_eq(x, y))),
            _ => false,
        },
        Op::Size => r.as_f64().is_some_and(|n| size(l).is_some_and(|s| s as f64 == n.trunc())),
        Op::Empty => match (size(l), r.as_bool()) {
            (Some(s), Some(want)) => (s == 0) == want,
            _ => false,
        },
        Op::Contains => match (l, r) {
            (Value::String(a), Value::String(b)) => a.contains(b.as_str()),
            (Value::Array(a), _) => a.iter().any(|x| loose_eq(x, r)),
            _ => false,
        },
        Op::Ne | Op::StrictNe | Op::Nin | Op::Matches => false,
    }
}

/// Length in Java terms: UTF-16 units for strings, members/elements for containers.
fn size(v: &Value) -> Option<usize> {
    match v {
        Value::String(s) => Some(s.encode_utf16().count()),
        Value::Array(a) => Some(a.len()),
        Value::Object(m) => Some(m.len()),
        _ => None,
    }
}

fn same_type(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// Jayway's `==`: numbers compare by value (a numeric string equals its number), strings by
/// text, containers structurally.
pub(crate) fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Number(x), Value::String(s)) => s.parse::<f64>().ok() == x.as_f64(),
        (Value::String(s), Value::Number(x)) => *s == x.to_string(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| loose_eq(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| loose_eq(v, w)))
        }
        _ => a == b,
    }
}

/// Jayway's `<`-family: numbers numerically, strings lexically, a string against a number by
/// the number's text; anything else is unordered (every comparison false).
fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64()?.partial_cmp(&y.as_f64()?),
        (Value::String(x), Value::String(y)) => Some(utf16_cmp(x, y)),
        (Value::String(x), Value::Number(y)) => Some(utf16_cmp(x, &y.to_string())),
        (Value::Number(x), Value::String(y)) => Some(utf16_cmp(&x.to_string(), y)),
        _ => None,
    }
}

/// Java's `String.compareTo` orders by UTF-16 code units.
fn utf16_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// `=~`: strings, numbers and booleans match by their text, anything else as ""; an array
/// matches if any element does.
fn matches(p: &Pattern, v: Option<&Value>) -> bool {
    match v {
        Some(Value::Array(items)) => items.iter().any(|i| p.regex.is_match(&text(Some(i)))),
        other => p.regex.is_match(&text(other)),
    }
}

fn text(v: Option<&Value>) -> Cow<'_, str> {
    match v {
        Some(Value::String(s)) => Cow::Borrowed(s),
        Some(Value::Number(n)) => Cow::Owned(n.to_string()),
        Some(Value::Bool(b)) => Cow::Owned(b.to_string()),
        _ => Cow::Borrowed(""),
    }
}
