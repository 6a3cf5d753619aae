//! The state-graph layout (issue 8): text snapshots of the sample and generated machines,
//! DOT/Mermaid snapshots, drawing invariants over the whole conformance corpus, and the CLI.

#[path = "graph/machines.rs"]
mod machines;
mod support;

use statescope::asl::check::check;
use std::collections::HashMap;

use statescope::asl::definition::{Scope, StateMachine};
use statescope::asl::source::Source;
use statescope::asl::validate::nested_scopes;
use statescope::graph::{self, Options, StateBox};

fn machine(text: &str) -> StateMachine {
    let checked = check(&Source::new("test.json", text));
    match checked.runnable() {
        Some(m) => m.clone(),
        None => panic!("definition does not validate: {:#?}", checked.diagnostics),
    }
}

fn layout_of(text: &str, options: &Options) -> graph::Layout {
    graph::layout(&machine(text), options)
}

fn hello_world() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-machines/hello-world.asl.json");
    std::fs::read_to_string(path).expect("the sample machine is readable")
}

/// Every state name the drawing must show: nested ones unless their container is collapsed.
fn expected_states(scope: &Scope, options: &Options, out: &mut Vec<String>) {
    for state in &scope.states {
        out.push(state.name.clone());
        if !options.collapsed.contains(&state.name) {
            for s in nested_scopes(state) {
                expected_states(s, options, out);
            }
        }
    }
}

/// `outer` is a container that (transitively) holds `inner`.
fn ancestor<'a>(by_name: &HashMap<&str, &'a StateBox>, outer: &str, mut inner: &'a StateBox) -> bool {
    loop {
        match inner.parent.as_deref() {
            Some(p) if p == outer => return true,
            Some(p) => match by_name.get(p) {
                Some(b) => inner = b,
                None => return false,
            },
            None => return false,
        }
    }
}

/// What every drawing must satisfy; returns a description of the first violation.
fn invariants(m: &StateMachine, options: &Options) -> Result<(), String> {
    let l = graph::layout(m, options);
    if l.cells.len() != l.width * l.height {
        return Err("canvas size".into());
    }
    let mut names = Vec::new();
    expected_states(&m.scope, options, &mut names);
    for n in &names {
        if l.state(n).is_none() {
            return Err(format!("state '{n}' has no box"));
        }
    }
    if l.states.len() != names.len() {
        return Err(format!("{} boxes for {} states", l.states.len(), names.len()));
    }
    let by_name: HashMap<&str, &StateBox> = l.states.iter().map(|s| (s.name.as_str(), s)).collect();
    let is_ancestor = |outer: &str, inner: &StateBox| ancestor(&by_name, outer, inner);
    for (i, a) in l.states.iter().enumerate() {
        if a.rect.x + a.rect.width > l.width || a.rect.y + a.rect.height > l.height {
            return Err(format!("'{}' is outside the canvas", a.name));
        }
        for b in &l.states[i + 1..] {
            if a.rect.intersects(&b.rect) && !is_ancestor(&a.name, b) && !is_ancestor(&b.name, a) {
                return Err(format!("boxes of '{}' and '{}' overlap", a.name, b.name));
            }
        }
    }
    for e in &l.edges {
        let from = by_name.get(e.from.as_str()).ok_or(format!("edge from unknown '{}'", e.from))?;
        let target = match &e.to {
            Some(t) => by_name.get(t.as_str()).map(|b| b.rect).ok_or(format!("edge to unknown '{t}'"))?,
            None => l.ends.iter().find(|(n, _)| *n == e.from).map(|x| x.1).ok_or("end edge without marker")?,
        };
        let (Some(first), Some(last)) = (e.cells.first(), e.cells.last()) else {
            return Err(format!("edge {} -> {:?} has no cells", e.from, e.to));
        };
        if !from.rect.touches(*first) {
            return Err(format!("edge {} -> {:?} does not start at its source box", e.from, e.to));
        }
        if !target.touches(*last) {
            return Err(format!("edge {} -> {:?} does not end at its target", e.from, e.to));
        }
        for pair in e.cells.windows(2) {
            if pair[0].x.abs_diff(pair[1].x) + pair[0].y.abs_diff(pair[1].y) != 1 {
                return Err(format!("edge {} -> {:?} jumps at {:?}", e.from, e.to, pair));
            }
        }
        for p in &e.cells {
            if l.cell(p.x, p.y).is_none_or(|c| c.ch == ' ') {
                return Err(format!("edge {} -> {:?} has a blank cell at {p:?}", e.from, e.to));
            }
            // No line through a box: the only boxes around an edge cell are the containers
            // the edge itself sits in.
            for b in &l.states {
                if b.rect.contains(*p) && !is_ancestor(&b.name, from) {
                    return Err(format!("edge {} -> {:?} crosses the box of '{}' at {p:?}", e.from, e.to, b.name));
                }
            }
        }
    }
    Ok(())
}

fn assert_invariants(m: &StateMachine, options: &Options) {
    if let Err(e) = invariants(m, options) {
        panic!("{e}\n{}", graph::layout(m, options).to_text());
    }
}

#[test]
fn hello_world_text() {
    let l = layout_of(&hello_world(), &Options::default());
    insta::assert_snapshot!(l.to_text());
}

#[test]
fn hello_world_compact_text() {
    let l = layout_of(&hello_world(), &Options { compact: true, ..Options::default() });
    insta::assert_snapshot!(l.to_text());
}

#[test]
fn hello_world_dot() {
    insta::assert_snapshot!(graph::to_dot(&machine(&hello_world()), &Options::default()));
}

#[test]
fn hello_world_mermaid() {
    insta::assert_snapshot!(graph::to_mermaid(&machine(&hello_world()), &Options::default()));
}

#[test]
fn stress_50_text() {
    let m = machine(&machines::stress(50));
    assert_invariants(&m, &Options::default());
    insta::assert_snapshot!(graph::layout(&m, &Options::default()).to_text());
}

#[test]
fn stress_300_text() {
    let m = machine(&machines::stress(300));
    assert_invariants(&m, &Options::default());
    insta::assert_snapshot!(graph::layout(&m, &Options::default()).to_text());
}

#[test]
fn stress_containers_as_dot_and_mermaid() {
    let m = machine(&machines::stress(30));
    insta::assert_snapshot!("stress_30_dot", graph::to_dot(&m, &Options::default()));
    insta::assert_snapshot!("stress_30_mermaid", graph::to_mermaid(&m, &Options::default()));
}

#[test]
fn stress_compact_and_collapsed_keep_the_invariants() {
    let m = machine(&machines::stress(50));
    assert_invariants(&m, &Options { compact: true, ..Options::default() });
    let collapsed = Options { collapsed: ["Each item".to_string()].into(), compact: false };
    assert_invariants(&m, &collapsed);
    let all = Options { collapsed: ["S025".to_string()].into(), compact: true };
    assert_invariants(&m, &all);
}

/// Every corpus definition that validates lays out without panicking, with the invariants.
#[test]
fn conformance_definitions_lay_out() {
    let Some(dir) = support::conformance_dir() else {
        eprintln!("conformance corpus not found; skipping");
        return;
    };
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut groups: Vec<_> = std::fs::read_dir(dir.join("cases")).expect("cases dir").flatten().collect();
    groups.sort_by_key(|e| e.path());
    for group in groups {
        let mut cases: Vec<_> = std::fs::read_dir(group.path()).expect("group dir").flatten().collect();
        cases.sort_by_key(|e| e.path());
        for case in cases {
            let path = case.path().join("definition.json");
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            let result = check(&Source::new(path.display().to_string(), text));
            let Some(m) = result.runnable() else { continue };
            checked += 1;
            for options in [Options::default(), Options { compact: true, ..Options::default() }] {
                if let Err(e) = invariants(m, &options) {
                    failures.push(format!("{}: {e}", path.display()));
                }
            }
        }
    }
    eprintln!("laid out {checked} corpus definitions");
    assert!(checked > 100, "only {checked} definitions validated");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
