//! A JSON value as stored: immutable, with its large parts held once per execution (see
//! [`Store`](super::Store)).

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::{Map, Number, Value};

/// Comparison follows the content; `Arc<T: Eq>` compares pointers first, so two trees whose
/// large parts are the same stored copies compare without walking them.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Frozen {
    Null,
    Bool(bool),
    Number(Number),
    String(Box<str>),
    Array(Box<[Frozen]>),
    /// In the value's key order (the engine preserves insertion order).
    Object(Box<[(Box<str>, Frozen)]>),
    /// A string, array or object held once per execution.
    Shared(Arc<Frozen>),
}

impl Frozen {
    /// The value again, as the engine built it.
    pub(crate) fn thaw(&self) -> Value {
        match self {
            Frozen::Null => Value::Null,
            Frozen::Bool(b) => Value::Bool(*b),
            Frozen::Number(n) => Value::Number(n.clone()),
            Frozen::String(s) => Value::String(s.to_string()),
            Frozen::Array(items) => Value::Array(items.iter().map(Frozen::thaw).collect()),
            Frozen::Object(entries) => {
                let mut map = Map::with_capacity(entries.len());
                for (k, v) in entries.iter() {
                    map.insert(k.to_string(), v.thaw());
                }
                Value::Object(map)
            }
            Frozen::Shared(a) => a.thaw(),
        }
    }

    /// Approximate compact-JSON bytes held, counting each shared part once (`seen` holds the
    /// shared parts already counted).
    pub(crate) fn retained(&self, seen: &mut HashSet<usize>) -> usize {
        match self {
            Frozen::Null => 4,
            Frozen::Bool(_) => 5,
            Frozen::Number(_) => 8,
            Frozen::String(s) => s.len() + 2,
            Frozen::Array(items) => 2 + items.len() + items.iter().map(|i| i.retained(seen)).sum::<usize>(),
            Frozen::Object(entries) => {
                2 + entries.len() + entries.iter().map(|(k, v)| k.len() + 3 + v.retained(seen)).sum::<usize>()
            }
            Frozen::Shared(a) => {
                if seen.insert(Arc::as_ptr(a) as usize) {
                    a.retained(seen)
                } else {
                    0
                }
            }
        }
    }
}
