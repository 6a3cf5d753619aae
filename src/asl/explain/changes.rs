//! What a stage changed in the document, structurally: `+ picked` (added), `- order` (removed),
//! `~ total` (a different value), found top-down so a subtree added whole is one change, not
//! every line of it.

use serde_json::Value;

/// How a node differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One changed node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// Where, in Jayway's bracket form (`$['picked']`): in `after` for added and changed
    /// nodes, in `before` for removed ones.
    pub path: String,
    /// Where, for people: `picked`, `order.items[0]`; `$` for the whole document.
    pub label: String,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = match self.kind {
            ChangeKind::Added => '+',
            ChangeKind::Removed => '-',
            ChangeKind::Changed => '~',
        };
        write!(f, "{sign} {}", self.label)
    }
}

/// At most this many changes are listed: a rewritten document is reported, not enumerated.
const MAX_CHANGES: usize = 100;

/// The changes from `before` to `after`, in document order.
pub fn changes(before: &Value, after: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    walk(before, after, &mut String::from("$"), &mut String::new(), &mut out);
    out
}

fn walk(before: &Value, after: &Value, path: &mut String, label: &mut String, out: &mut Vec<Change>) {
    if before == after || out.len() >= MAX_CHANGES {
        return;
    }
    let push = |out: &mut Vec<Change>, kind, path: &str, label: &str| {
        let label = if label.is_empty() { "$".to_owned() } else { label.to_owned() };
        out.push(Change { kind, path: path.to_owned(), label });
    };
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            for (key, av) in a {
                let (p, l) = (path.len(), label.len());
                path.push_str(&format!("['{}']", key.replace('\\', "\\\\").replace('\'', "\\'")));
                if !label.is_empty() {
                    label.push('.');
                }
                label.push_str(key);
                match b.get(key) {
                    None => push(out, ChangeKind::Added, path, label),
                    Some(bv) => walk(bv, av, path, label, out),
                }
                path.truncate(p);
                label.truncate(l);
            }
            for key in b.keys().filter(|k| !a.contains_key(*k)) {
                let dot = if label.is_empty() { "" } else { "." };
                push(out, ChangeKind::Removed, &format!("{path}['{key}']"), &format!("{label}{dot}{key}"));
            }
        }
        (Value::Array(b), Value::Array(a)) if a.len() == b.len() => {
            for (i, (bv, av)) in b.iter().zip(a).enumerate() {
                let (p, l) = (path.len(), label.len());
                path.push_str(&format!("[{i}]"));
                label.push_str(&format!("[{i}]"));
                walk(bv, av, path, label, out);
                path.truncate(p);
                label.truncate(l);
            }
        }
        _ => push(out, ChangeKind::Changed, path, label),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_added_subtree_is_one_change() {
        let before = json!({"order": {"items": [1, 2]}, "gone": true});
        let after = json!({"order": {"items": [1, 3]}, "picked": {"name": "Ada", "items": [1, 2]}});
        let found: Vec<String> = changes(&before, &after).iter().map(ToString::to_string).collect();
        assert_eq!(found, ["~ order.items[1]", "+ picked", "- gone"]);
        assert_eq!(changes(&before, &after)[1].path, "$['picked']");
        assert_eq!(changes(&json!(1), &json!("x"))[0].to_string(), "~ $");
        assert!(changes(&after, &after).is_empty());
    }
}
