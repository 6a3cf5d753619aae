//! What changed between two definitions: states added, removed and renamed, transitions
//! retargeted, fields changed with their old and new values. Works on the definitions' JSON
//! (after loading YAML or a template), so every field is compared as written.

use std::collections::BTreeMap;

use serde_json::{Value, json};

/// One difference.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub kind: ChangeKind,
    /// The state it concerns (its new name when renamed); `None` for the machine's own fields.
    pub state: Option<String>,
    /// The field, as a path inside the state: `Retry[0].MaxAttempts`, `Choices[1].Next`.
    pub field: Option<String>,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    Renamed,
    /// A transition (`Next`, `Default`, a Choice rule's or a catcher's `Next`, `StartAt`) now
    /// goes elsewhere.
    Retargeted,
    Changed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Retargeted => "retargeted",
            ChangeKind::Changed => "changed",
        }
    }
}

/// A value for one line: long JSON is cut.
fn short(v: Option<&Value>) -> String {
    let Some(v) = v else { return "(absent)".into() };
    let text = v.to_string();
    if text.chars().count() > 60 { format!("{}…", text.chars().take(59).collect::<String>()) } else { text }
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.state.as_deref().unwrap_or("(machine)");
        let kind = self.kind.as_str();
        match self.kind {
            ChangeKind::Added | ChangeKind::Removed => {
                let body = if self.kind == ChangeKind::Added { &self.new } else { &self.old };
                let ty = body.as_ref().and_then(|b| b.get("Type")).and_then(Value::as_str).unwrap_or("?");
                write!(f, "{kind}: '{state}' ({ty})")
            }
            ChangeKind::Renamed => write!(f, "{kind}: {} → '{state}'", short(self.old.as_ref())),
            ChangeKind::Retargeted | ChangeKind::Changed => {
                let field = self.field.as_deref().unwrap_or("?");
                let who = if self.state.is_some() { format!("'{state}' ") } else { String::new() };
                write!(f, "{kind}: {who}{field}: {} → {}", short(self.old.as_ref()), short(self.new.as_ref()))
            }
        }
    }
}

impl Change {
    pub fn to_json(&self) -> Value {
        json!({"kind": self.kind.as_str(), "state": self.state, "field": self.field, "old": self.old, "new": self.new})
    }
}

/// Every state of a definition, nested ones included, in document order.
fn states(definition: &Value) -> Vec<(String, Value)> {
    fn walk(scope: &Value, out: &mut Vec<(String, Value)>) {
        let Some(states) = scope.get("States").and_then(Value::as_object) else { return };
        for (name, body) in states {
            out.push((name.clone(), body.clone()));
            if let Some(branches) = body.get("Branches").and_then(Value::as_array) {
                branches.iter().for_each(|b| walk(b, out));
            }
            for key in ["ItemProcessor", "Iterator"] {
                if let Some(p) = body.get(key) {
                    walk(p, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(definition, &mut out);
    out
}

/// A state's own fields: nested states are compared as states, not as this one's fields.
fn own_fields(body: &Value) -> Value {
    let mut b = body.clone();
    if let Some(o) = b.as_object_mut() {
        for key in ["ItemProcessor", "Iterator"] {
            if let Some(Value::Object(p)) = o.get_mut(key) {
                p.shift_remove("States");
            }
        }
        if let Some(Value::Array(branches)) = o.get_mut("Branches") {
            for br in branches {
                if let Some(b) = br.as_object_mut() {
                    b.shift_remove("States");
                }
            }
        }
    }
    b
}

const TRANSITIONS: &[&str] = &["Next", "Default", "StartAt"];

/// The differences between `old` and `new`, in the new definition's order (removed states
/// first, then the machine's fields, then each state).
pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    let (old_states, new_states) = (states(old), states(new));
    let old_map: BTreeMap<&str, &Value> = old_states.iter().map(|(n, b)| (n.as_str(), b)).collect();
    let new_map: BTreeMap<&str, &Value> = new_states.iter().map(|(n, b)| (n.as_str(), b)).collect();
    let mut removed: Vec<&str> =
        old_states.iter().map(|(n, _)| n.as_str()).filter(|n| !new_map.contains_key(n)).collect();
    let added: Vec<&str> = new_states.iter().map(|(n, _)| n.as_str()).filter(|n| !old_map.contains_key(n)).collect();
    // A state that disappeared and one that appeared with the same fields (or the same Type
    // and at most one field different) is the same state renamed.
    let mut renamed: BTreeMap<&str, &str> = BTreeMap::new(); // new → old
    for exact in [true, false] {
        for a in &added {
            if renamed.contains_key(a) {
                continue;
            }
            let body = own_fields(new_map[a]);
            let found = removed.iter().position(|r| {
                let old_body = own_fields(old_map[r]);
                if exact { old_body == body } else { similar(&old_body, &body) }
            });
            if let Some(i) = found {
                renamed.insert(a, removed.remove(i));
            }
        }
    }
    let renames: BTreeMap<&str, &str> = renamed.iter().map(|(n, o)| (*o, *n)).collect(); // old → new
    let mut out = Vec::new();
    for r in &removed {
        out.push(Change {
            kind: ChangeKind::Removed,
            state: Some(r.to_string()),
            field: None,
            old: Some(old_map[r].clone()),
            new: None,
        });
    }
    let mut top_old = old.clone();
    let mut top_new = new.clone();
    for t in [&mut top_old, &mut top_new] {
        if let Some(o) = t.as_object_mut() {
            o.shift_remove("States");
        }
    }
    fields(None, String::new(), &top_old, &top_new, &renames, &mut out);
    for (name, body) in &new_states {
        let name = name.as_str();
        if let Some(old_name) = renamed.get(name) {
            out.push(Change {
                kind: ChangeKind::Renamed,
                state: Some(name.to_string()),
                field: None,
                old: Some(json!(old_name)),
                new: Some(json!(name)),
            });
            fields(Some(name), String::new(), &own_fields(old_map[old_name]), &own_fields(body), &renames, &mut out);
        } else if let Some(old_body) = old_map.get(name) {
            fields(Some(name), String::new(), &own_fields(old_body), &own_fields(body), &renames, &mut out);
        } else {
            out.push(Change {
                kind: ChangeKind::Added,
                state: Some(name.to_string()),
                field: None,
                old: None,
                new: Some(body.clone()),
            });
        }
    }
    out
}

/// Same `Type`, same keys, at most one top-level field different.
fn similar(a: &Value, b: &Value) -> bool {
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else { return false };
    if a.get("Type") != b.get("Type") || a.len() != b.len() || a.keys().any(|k| !b.contains_key(k)) {
        return false;
    }
    a.iter().filter(|(k, v)| b.get(*k) != Some(v)).count() <= 1
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

/// Field by field; arrays of equal length element by element.
fn fields(
    state: Option<&str>,
    path: String,
    old: &Value,
    new: &Value,
    renames: &BTreeMap<&str, &str>,
    out: &mut Vec<Change>,
) {
    if old == new {
        return;
    }
    let leaf = path.rsplit(['.', ']']).next().unwrap_or_default();
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                match b.get(k) {
                    Some(w) => fields(state, join(&path, k), v, w, renames, out),
                    None => change(state, join(&path, k), Some(v), None, out),
                }
            }
            for (k, w) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
                change(state, join(&path, k), None, Some(w), out);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (v, w)) in a.iter().zip(b).enumerate() {
                fields(state, format!("{path}[{i}]"), v, w, renames, out);
            }
        }
        (Value::String(a), Value::String(b)) if TRANSITIONS.contains(&leaf) => {
            // Following a renamed state is not a change of its own.
            if renames.get(a.as_str()) != Some(&b.as_str()) {
                out.push(Change {
                    kind: ChangeKind::Retargeted,
                    state: state.map(str::to_string),
                    field: Some(path),
                    old: Some(old.clone()),
                    new: Some(new.clone()),
                });
            }
        }
        _ => change(state, path, Some(old), Some(new), out),
    }
}

fn change(state: Option<&str>, path: String, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<Change>) {
    out.push(Change {
        kind: ChangeKind::Changed,
        state: state.map(str::to_string),
        field: Some(path),
        old: old.cloned(),
        new: new.cloned(),
    });
}

#[cfg(test)]
mod tests;
