//! Graphviz DOT and Mermaid flowchart text for a machine, with expanded Parallel/Map states
//! as (nested) subgraphs. Node ids are `s0`, `s1`, … in definition order, so the output is
//! stable and independent of how state names would need escaping.

use std::collections::HashMap;
use std::fmt::Write;

use crate::asl::definition::{Scope, State, StateKind, StateMachine, Transition};
use crate::asl::validate::nested_scopes;
use crate::graph::{Options, labels};

/// One transition, in a form both exporters write.
struct Link {
    from: String,
    to: String,
    label: Option<String>,
    catch: bool,
}

/// Ids for every state (nested ones too) and the expanded containers.
struct Ids<'m> {
    ids: HashMap<&'m str, String>,
    expanded: HashMap<&'m str, &'m State>,
}

impl<'m> Ids<'m> {
    fn new(machine: &'m StateMachine, options: &Options) -> Ids<'m> {
        let mut ids = Ids { ids: HashMap::new(), expanded: HashMap::new() };
        ids.collect(&machine.scope, options);
        ids
    }

    fn collect(&mut self, scope: &'m Scope, options: &Options) {
        for state in &scope.states {
            let id = format!("s{}", self.ids.len());
            self.ids.insert(state.name.as_str(), id);
            if is_expanded(state, options) {
                self.expanded.insert(state.name.as_str(), state);
                for s in nested_scopes(state) {
                    self.collect(s, options);
                }
            }
        }
    }

    fn id(&self, name: &str) -> String {
        self.ids.get(name).cloned().unwrap_or_default()
    }

    /// A node inside an expanded container that DOT edges can attach to (DOT edges need
    /// nodes; `lhead`/`ltail` then clip them at the cluster).
    fn anchor(&self, name: &str) -> String {
        match self.expanded.get(name).and_then(|s| nested_scopes(s).into_iter().next()) {
            Some(scope) => self.anchor(&scope.start_at.value),
            None => self.id(name),
        }
    }
}

fn is_expanded(state: &State, options: &Options) -> bool {
    matches!(state.kind, StateKind::Parallel(_) | StateKind::Map(_)) && !options.collapsed.contains(&state.name)
}

fn links(scope: &Scope, options: &Options, out: &mut Vec<Link>) {
    for state in &scope.states {
        let from = state.name.clone();
        let mut push = |to: &str, label: Option<String>, catch: bool| {
            out.push(Link { from: from.clone(), to: to.to_string(), label, catch });
        };
        if let StateKind::Choice(c) = &state.kind {
            for (k, rule) in c.choices.iter().enumerate() {
                if let Some(n) = &rule.next {
                    push(&n.value, Some(labels::choice(rule, k + 1)), false);
                }
            }
            if let Some(d) = &c.default {
                push(&d.value, Some("default".to_string()), false);
            }
        }
        match &state.transition {
            Transition::Next(n) => push(&n.value, None, false),
            // The end marker is written per state as `<id>_end`.
            Transition::End => push("", None, false),
            Transition::None => {}
        }
        for c in &state.catch {
            push(&c.next.value, Some(labels::catch(c)), true);
        }
        if is_expanded(state, options) {
            for s in nested_scopes(state) {
                links(s, options, out);
            }
        }
    }
}

fn dot_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Graphviz DOT (`dot -Tsvg`).
pub fn to_dot(machine: &StateMachine, options: &Options) -> String {
    let ids = Ids::new(machine, options);
    let mut out = String::new();
    out.push_str("digraph statemachine {\n  compound=true;\n  node [shape=box, style=rounded];\n");
    dot_scope(&machine.scope, &ids, options, 1, &mut out);
    let mut all = Vec::new();
    links(&machine.scope, options, &mut all);
    for l in &all {
        let from_expanded = ids.expanded.contains_key(l.from.as_str());
        let from = if from_expanded { ids.anchor(&l.from) } else { ids.id(&l.from) };
        let mut attrs: Vec<String> = Vec::new();
        if from_expanded {
            attrs.push(format!("ltail=cluster_{}", ids.id(&l.from)));
        }
        let to = if l.to.is_empty() {
            format!("{}_end", ids.id(&l.from))
        } else if ids.expanded.contains_key(l.to.as_str()) {
            attrs.push(format!("lhead=cluster_{}", ids.id(&l.to)));
            ids.anchor(&l.to)
        } else {
            ids.id(&l.to)
        };
        if let Some(label) = &l.label {
            attrs.push(format!("label={}", dot_quote(label)));
        }
        if l.catch {
            attrs.push("style=dashed".to_string());
        }
        let attrs = if attrs.is_empty() { String::new() } else { format!(" [{}]", attrs.join(", ")) };
        let _ = writeln!(out, "  {from} -> {to}{attrs};");
    }
    out.push_str("}\n");
    out
}

fn dot_scope(scope: &Scope, ids: &Ids, options: &Options, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    for state in &scope.states {
        let id = ids.id(&state.name);
        let caption = dot_quote(&format!("{} [{}]", state.name, state.type_name()));
        if is_expanded(state, options) {
            let _ =
                writeln!(out, "{indent}subgraph cluster_{id} {{\n{indent}  label={caption};\n{indent}  style=dashed;");
            let branches = nested_scopes(state);
            let parallel = matches!(state.kind, StateKind::Parallel(_));
            for (b, s) in branches.into_iter().enumerate() {
                if parallel {
                    let _ = writeln!(
                        out,
                        "{indent}  subgraph cluster_{id}_{b} {{\n{indent}    label=\"branch {}\";",
                        b + 1
                    );
                    dot_scope(s, ids, options, depth + 2, out);
                    let _ = writeln!(out, "{indent}  }}");
                } else {
                    dot_scope(s, ids, options, depth + 1, out);
                }
            }
            let _ = writeln!(out, "{indent}}}");
        } else {
            let _ = writeln!(out, "{indent}{id} [label={caption}];");
        }
        if state.transition == Transition::End {
            let _ = writeln!(out, "{indent}{id}_end [label=\"end\", shape=circle];");
        }
    }
}

/// Mermaid reads `#name;` as an entity, so `#` itself is written as one too.
fn mermaid_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('#', "#35;").replace('"', "#quot;"))
}

/// A Mermaid `flowchart TD`.
pub fn to_mermaid(machine: &StateMachine, options: &Options) -> String {
    let ids = Ids::new(machine, options);
    let mut out = String::from("flowchart TD\n");
    mermaid_scope(&machine.scope, &ids, options, 1, &mut out);
    let mut all = Vec::new();
    links(&machine.scope, options, &mut all);
    for l in &all {
        let from = ids.id(&l.from);
        let to = if l.to.is_empty() { format!("{from}_end") } else { ids.id(&l.to) };
        let arrow = if l.catch { "-.->" } else { "-->" };
        let label = l.label.as_ref().map(|t| format!("|{}|", mermaid_quote(t))).unwrap_or_default();
        let _ = writeln!(out, "  {from} {arrow}{label} {to}");
    }
    out
}

fn mermaid_scope(scope: &Scope, ids: &Ids, options: &Options, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    for state in &scope.states {
        let id = ids.id(&state.name);
        let caption = mermaid_quote(&format!("{} [{}]", state.name, state.type_name()));
        if is_expanded(state, options) {
            let _ = writeln!(out, "{indent}subgraph {id} [{caption}]");
            let parallel = matches!(state.kind, StateKind::Parallel(_));
            for (b, s) in nested_scopes(state).into_iter().enumerate() {
                if parallel {
                    let _ = writeln!(out, "{indent}  subgraph {id}_{b} [\"branch {}\"]", b + 1);
                    mermaid_scope(s, ids, options, depth + 2, out);
                    let _ = writeln!(out, "{indent}  end");
                } else {
                    mermaid_scope(s, ids, options, depth + 1, out);
                }
            }
            let _ = writeln!(out, "{indent}end");
        } else {
            let _ = writeln!(out, "{indent}{id}[{caption}]");
        }
        if state.transition == Transition::End {
            let _ = writeln!(out, "{indent}{id}_end((end))");
        }
    }
}
