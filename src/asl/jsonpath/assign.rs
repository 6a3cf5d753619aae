//! ResultPath's write (rules 4.11, 4.12): the result goes into the raw input at a reference
//! path. Missing names become empty objects; an existing value is replaced. The write is
//! checked before anything changes, so a failure hands back the untouched input for the cause.

use serde_json::{Map, Value};

use super::ast::Step;
use super::eval::resolve_index;

/// `steps` are names and indexes only. On failure the unchanged `target` comes back.
pub(crate) fn assign(steps: &[Step], target: Value, value: Value) -> Result<Value, Value> {
    if !fits(steps, &target) {
        return Err(target);
    }
    let mut target = target;
    let Some((last, path)) = steps.split_last() else {
        return Ok(value);
    };
    let mut cur = &mut target;
    for step in path {
        cur = match (step, cur) {
            (Step::Name(n), Value::Object(m)) => m.entry(n.clone()).or_insert_with(|| Value::Object(Map::new())),
            (Step::Index(i), Value::Array(a)) => match resolve_index(*i, a.len()) {
                Some(at) => &mut a[at],
                None => return Err(target_unreachable()),
            },
            _ => return Err(target_unreachable()),
        };
    }
    match (last, cur) {
        (Step::Name(n), Value::Object(m)) => {
            m.insert(n.clone(), value);
        }
        (Step::Index(i), Value::Array(a)) => match resolve_index(*i, a.len()) {
            Some(at) => a[at] = value,
            None => return Err(target_unreachable()),
        },
        _ => return Err(target_unreachable()),
    }
    Ok(target)
}

/// [`fits`] approved the write, so the walk cannot fail; this only satisfies the types.
fn target_unreachable() -> Value {
    Value::Null
}

/// Whether the write can be done: every node on the way is an object (for a name) or an
/// array holding the index; once a name is missing, only names may follow (they are created).
fn fits(steps: &[Step], target: &Value) -> bool {
    let mut cur = Some(target);
    for step in steps {
        cur = match (step, cur) {
            // Created on the way: only names can be created.
            (Step::Name(_), None) => None,
            (Step::Name(n), Some(Value::Object(m))) => m.get(n),
            (Step::Index(i), Some(Value::Array(a))) => match resolve_index(*i, a.len()) {
                Some(at) => Some(&a[at]),
                None => return false,
            },
            _ => return false,
        };
    }
    true
}
