//! How deep a JSON value may nest. Serialising, comparing, cloning and dropping a
//! `serde_json::Value` all recurse once per level, and a stack overflow aborts the process
//! without running the panic hook (the debugger's terminal would stay raw). So every value the
//! engine produces is checked against [`MAX_VALUE_DEPTH`] before anything walks it, and a value
//! that is too deep is taken apart here without recursion.

use serde_json::Value;

/// Deepest nesting of arrays and objects a value the engine produces may have. The same figure
/// as the definition parser's (`json_text`), far above anything a real payload holds (a
/// 256 KiB payload cannot nest deeper than 131,072 levels, but no AWS recording shows more
/// than a few dozen), and low enough that every recursive walk stays within a 2 MiB thread
/// stack in a debug build.
pub const MAX_VALUE_DEPTH: usize = 512;

/// Whether `v` nests deeper than `max` levels (a scalar is depth 0, `[1]` depth 1). Iterative.
pub fn deeper_than(v: &Value, max: usize) -> bool {
    let mut stack: Vec<(&Value, usize)> = Vec::new();
    let mut next = Some((v, 0usize));
    while let Some((v, depth)) = next.take().or_else(|| stack.pop()) {
        let children: &mut dyn Iterator<Item = &Value> = match v {
            Value::Array(a) => &mut a.iter(),
            Value::Object(o) => &mut o.values(),
            _ => continue,
        };
        if depth + 1 > max {
            return true;
        }
        for c in children {
            if matches!(c, Value::Array(_) | Value::Object(_)) {
                stack.push((c, depth + 1));
            }
        }
    }
    false
}

/// Drops `v` without recursing (the default drop recurses once per level).
pub fn drop_deep(v: Value) {
    let mut stack = vec![v];
    while let Some(mut v) = stack.pop() {
        match &mut v {
            Value::Array(a) => stack.append(a),
            Value::Object(o) => stack.extend(std::mem::take(o).into_iter().map(|(_, c)| c)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn depth_is_counted_per_container_level() {
        assert!(!deeper_than(&json!(1), 0));
        assert!(deeper_than(&json!([1]), 0));
        assert!(!deeper_than(&json!([1]), 1));
        assert!(deeper_than(&json!({"a": [{"b": 1}]}), 2));
        assert!(!deeper_than(&json!({"a": [{"b": 1}]}), 3));
    }

    #[test]
    fn a_value_100000_deep_is_measured_and_dropped_without_overflow() {
        let mut v = Value::Object(serde_json::Map::new());
        for i in 0..100_000 {
            // Built by hand: `json!` would serialise `v`, recursively.
            v = if i % 2 == 0 {
                Value::Array(vec![v])
            } else {
                let mut m = serde_json::Map::new();
                m.insert("k".into(), v);
                Value::Object(m)
            };
        }
        assert!(deeper_than(&v, MAX_VALUE_DEPTH));
        drop_deep(v);
    }
}
