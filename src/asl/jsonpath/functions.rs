//! Jayway's path functions (`.length()`, `.sum()`, …), applied to the node they follow.

use std::borrow::Cow;

use serde_json::Value;

use super::ast::Function;

/// Jayway's message when an aggregation finds no numbers.
const EMPTY_AGGREGATION: &str = "Aggregation function attempted to calculate value using empty array";

/// Applies `f` to `node`. Aggregations (min/max/avg/sum/stddev) answer a Java double, which
/// AWS prints with a fraction (`6.0`).
pub(crate) fn apply(f: Function, node: &Value) -> Result<Cow<'_, Value>, String> {
    match f {
        Function::Length => Ok(Cow::Owned(match node {
            Value::Array(a) => a.len().into(),
            Value::Object(m) => m.len().into(),
            _ => Value::Null,
        })),
        Function::Keys => Ok(Cow::Owned(match node {
            Value::Object(m) => Value::Array(m.keys().map(|k| Value::String(k.clone())).collect()),
            _ => Value::Null,
        })),
        Function::First => element(node, 0),
        Function::Last => element(node, -1),
        Function::Index(i) => element(node, i),
        Function::Min | Function::Max | Function::Avg | Function::Sum | Function::Stddev => {
            let numbers: Vec<f64> = match node {
                Value::Array(a) => a.iter().filter_map(Value::as_f64).collect(),
                _ => Vec::new(),
            };
            if numbers.is_empty() {
                return Err(EMPTY_AGGREGATION.into());
            }
            let n = numbers.len() as f64;
            let sum: f64 = numbers.iter().sum();
            let result = match f {
                Function::Min => numbers.iter().copied().fold(f64::INFINITY, f64::min),
                Function::Max => numbers.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                Function::Avg => sum / n,
                Function::Sum => sum,
                _ => {
                    let mean = sum / n;
                    (numbers.iter().map(|x| x * x).sum::<f64>() / n - mean * mean).max(0.0).sqrt()
                }
            };
            Ok(Cow::Owned(serde_json::Number::from_f64(result).map_or(Value::Null, Value::Number)))
        }
    }
}

/// `first()`, `last()`, `index(i)`: a negative index counts from the end.
fn element(node: &Value, index: i64) -> Result<Cow<'_, Value>, String> {
    let Value::Array(a) = node else {
        return Err("Invalid property, only support array!".into());
    };
    let at = if index < 0 { i64::try_from(a.len()).unwrap_or(i64::MAX).checked_add(index) } else { Some(index) };
    at.and_then(|i| usize::try_from(i).ok())
        .and_then(|i| a.get(i))
        .map(Cow::Borrowed)
        .ok_or_else(|| format!("Target index:{index} larger than object count:{}", a.len()))
}
