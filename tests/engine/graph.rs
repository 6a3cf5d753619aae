//! The state-graph layout (issue 8): text snapshots of the sample and generated machines,
//! DOT/Mermaid snapshots, drawing invariants over the whole conformance corpus, and the CLI.

#[path = "graph/machines.rs"]
mod machines;

use statescope::asl::check::check;
use std::collections::HashMap;

use statescope::asl::definition::{Scope, StateMachine};
use statescope::asl::source::Source;
use statescope::asl::validate::nested_scopes;
use statescope::graph::{self, Cell, Class, EdgeKind, Options, StateBox};

fn machine(text: &str) -> StateMachine {
    let checked = check(&Source::new("test.json", text));
    match checked.runnable() {
        Some(m) => (**m).clone(),
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
    let Some(dir) = crate::support::conformance_or_skip("conformance_definitions_lay_out") else { return };
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

const POLL_LOOP: &str = r#"{
  "StartAt": "Poll",
  "States": {
    "Poll": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Next": "Ready?",
      "Catch": [{"ErrorEquals": ["States.Timeout", "States.TaskFailed"], "Next": "Gave up"}]
    },
    "Ready?": {
      "Type": "Choice",
      "Choices": [
        {"Variable": "$.ready", "BooleanEquals": false, "Next": "Wait a bit"},
        {"And": [{"Variable": "$.a", "IsPresent": true}, {"Variable": "$.b", "IsNull": false}], "Next": "Done"}
      ],
      "Default": "Done"
    },
    "Wait a bit": {"Type": "Wait", "Seconds": 5, "Next": "Poll"},
    "Done": {"Type": "Succeed"},
    "Gave up": {"Type": "Fail", "Error": "Timeout"}
  }
}"#;

const FAN: &str = r#"{
  "StartAt": "Fan",
  "States": {
    "Fan": {
      "Type": "Parallel",
      "End": true,
      "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}
      ]
    }
  }
}"#;

fn edge<'l>(l: &'l graph::Layout, from: &str, kind: EdgeKind) -> &'l graph::EdgePath {
    l.edges.iter().find(|e| e.from == from && e.kind == kind).unwrap_or_else(|| panic!("no {kind:?} edge from {from}"))
}

#[test]
fn a_loop_is_drawn_upward_into_its_target() {
    let l = layout_of(POLL_LOOP, &Options::default());
    assert_invariants(&machine(POLL_LOOP), &Options::default());
    let back = edge(&l, "Wait a bit", EdgeKind::Next);
    assert!(back.back);
    let poll = l.state("Poll").expect("Poll has a box").rect;
    let last = *back.cells.last().expect("cells");
    assert_eq!(last.y, poll.y + poll.height, "enters Poll from below");
    let arrow = l.cell(last.x, last.y).expect("in the canvas");
    assert_eq!((arrow.ch, arrow.class), ('▲', Class::BackEdge));
    // Forward edges are not back edges and end in a downward arrow.
    let fwd = edge(&l, "Poll", EdgeKind::Next);
    assert!(!fwd.back);
    let end = fwd.cells.last().expect("cells");
    assert_eq!(l.cell(end.x, end.y).map(|c| c.ch), Some('▼'));
}

#[test]
fn catch_edges_are_dotted_and_labelled_with_their_errors() {
    let l = layout_of(POLL_LOOP, &Options::default());
    let catch = edge(&l, "Poll", EdgeKind::Catch(1));
    assert_eq!(catch.to.as_deref(), Some("Gave up"));
    assert_eq!(catch.label.as_deref(), Some("States.Timeout,States.TaskF…"));
    let classes: Vec<Class> = catch.cells.iter().filter_map(|p| l.cell(p.x, p.y)).map(|c| c.class).collect();
    assert!(classes.iter().all(|c| *c == Class::CatchEdge));
    assert!(catch.cells.iter().any(|p| l.cell(p.x, p.y).is_some_and(|c| c.ch == '┆')));
    assert!(l.to_text().contains("States.Timeout,States.TaskF…"));
}

#[test]
fn choice_edges_show_short_conditions_else_the_rule_number() {
    let l = layout_of(POLL_LOOP, &Options::default());
    assert_eq!(edge(&l, "Ready?", EdgeKind::Choice(1)).label.as_deref(), Some("$.ready == false"));
    assert_eq!(edge(&l, "Ready?", EdgeKind::Choice(2)).label.as_deref(), Some("#2"));
    assert_eq!(edge(&l, "Ready?", EdgeKind::Default).label.as_deref(), Some("default"));
    let text = l.to_text();
    for label in ["$.ready == false", "#2", "default", "Ready? [Choice]", "Wait a bit [Wait]"] {
        assert!(text.contains(label), "{label} missing from\n{text}");
    }
}

#[test]
fn parallel_branches_sit_side_by_side_inside_the_frame() {
    let l = layout_of(FAN, &Options::default());
    let fan = l.state("Fan").expect("Fan");
    let (a, b) = (l.state("A").expect("A"), l.state("B").expect("B"));
    assert!(fan.expanded);
    assert_eq!(a.parent.as_deref(), Some("Fan"));
    for inner in [a, b] {
        let r = inner.rect;
        assert!(r.x > fan.rect.x && r.x + r.width < fan.rect.x + fan.rect.width);
        assert!(r.y > fan.rect.y && r.y + r.height < fan.rect.y + fan.rect.height);
    }
    assert_eq!(a.rect.y, b.rect.y);
    assert!(a.rect.x + a.rect.width < b.rect.x);
    // Every scope's End gets its own marker: A's and B's inside, Fan's outside.
    assert_eq!(l.ends.len(), 3);
    let (_, fan_end) = l.ends.iter().find(|(n, _)| n == "Fan").expect("Fan ends");
    assert!(fan_end.y >= fan.rect.y + fan.rect.height);
    assert_eq!(l.row_text(fan_end.y).trim(), "(end)");
    assert_eq!(l.cell(fan.rect.x, fan.rect.y).map(|c| c.class), Some(Class::Container));
}

#[test]
fn a_collapsed_container_is_one_box() {
    let options = Options { collapsed: ["Fan".to_string()].into(), ..Options::default() };
    let l = layout_of(FAN, &options);
    let fan = l.state("Fan").expect("Fan");
    assert!(!fan.expanded);
    assert_eq!(fan.rect.height, 3);
    assert!(l.state("A").is_none() && l.state("B").is_none());
    assert!(l.to_text().contains("Fan [Parallel]"));
    let dot = graph::to_dot(&machine(FAN), &options);
    assert!(!dot.contains("cluster") && !dot.contains("\"A [Pass]\""));
}

#[test]
fn compact_drawings_are_smaller_and_drop_tags_and_labels() {
    let text = hello_world();
    let normal = layout_of(&text, &Options::default());
    let compact = layout_of(&text, &Options { compact: true, ..Options::default() });
    assert!(compact.width < normal.width && compact.height < normal.height);
    assert!(!compact.to_text().contains("[Pass]") && !compact.to_text().contains("default"));
}

#[test]
fn layouts_are_deterministic() {
    let m = machine(&machines::stress(120));
    assert_eq!(graph::layout(&m, &Options::default()).to_text(), graph::layout(&m, &Options::default()).to_text());
}

#[test]
fn exporters_draw_containers_as_subgraphs() {
    let m = machine(FAN);
    let dot = graph::to_dot(&m, &Options::default());
    assert!(dot.contains("subgraph cluster_s0 {") && dot.contains("label=\"branch 2\""));
    assert!(dot.contains("s1 -> s1_end;"));
    let mermaid = graph::to_mermaid(&m, &Options::default());
    assert!(mermaid.contains("subgraph s0 [\"Fan [Parallel]\"]") && mermaid.contains("s0 --> s0_end"));
}

fn statescope(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_statescope"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

#[test]
fn cli_prints_the_same_drawing_as_the_library() {
    let out = statescope(&["graph", "sample-machines/hello-world.asl.json"]);
    assert!(out.status.success());
    let expected = layout_of(&hello_world(), &Options::default()).to_text();
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
    let out = statescope(&["graph", "--format", "mermaid", "sample-machines/hello-world.asl.json"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("flowchart TD\n"));
}

#[test]
fn cli_collapses_named_containers() {
    let dir = std::env::temp_dir().join(format!("statescope-graph-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("fan.json");
    std::fs::write(&path, FAN).expect("write");
    let path = path.to_string_lossy().to_string();
    let out = statescope(&["graph", &path, "--collapse", "Fan"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.contains("Fan [Parallel]") && !text.contains("A [Pass]"));
    let out = statescope(&["graph", &path, "--format", "dot"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("cluster_s0"));
    let out = statescope(&["graph", &path, "--collapse", "Fna"]);
    assert!(out.status.success() && String::from_utf8_lossy(&out.stderr).contains("'Fna'"));
}

#[test]
fn cli_exits_2_with_diagnostics_when_the_definition_is_invalid() {
    let dir = std::env::temp_dir().join(format!("statescope-graph-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("bad.json");
    std::fs::write(&path, r#"{"StartAt": "Nowhere", "States": {"A": {"Type": "Pass", "End": true}}}"#).expect("write");
    let out = statescope(&["graph", &path.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Nowhere"));
}

#[test]
fn a_point_hits_the_innermost_state() {
    let l = layout_of(FAN, &Options::default());
    let a = l.state("A").expect("A").rect;
    let fan = l.state("Fan").expect("Fan").rect;
    assert_eq!(l.state_at(graph::Point { x: a.x + 1, y: a.y + 1 }).map(|s| s.name.as_str()), Some("A"));
    assert_eq!(l.state_at(graph::Point { x: fan.x + 1, y: fan.y + 1 }).map(|s| s.name.as_str()), Some("Fan"));
    assert!(l.state_at(graph::Point { x: fan.x + fan.width, y: 0 }).is_none());
}

mod random {
    //! Random machines (chains with random extra jumps, loops, catches and a nested Parallel)
    //! must all lay out with the invariants, in both densities.
    use proptest::prelude::*;
    use serde_json::{Map, Value, json};

    use super::*;

    /// One state's random choices: kind selector and three target picks.
    type Genes = (u8, usize, usize, usize);

    fn build(genes: &[Genes]) -> String {
        let n = genes.len() + 1;
        let name = |i: usize| format!("N{}", i % n);
        let mut states = Map::new();
        for (i, &(kind, a, b, c)) in genes.iter().enumerate() {
            let next = name(i + 1);
            let state = match kind % 5 {
                0 => json!({"Type": "Pass", "Next": next}),
                1 => json!({"Type": "Choice", "Choices": [
                    {"Variable": "$.x", "NumericEquals": a, "Next": name(a)},
                    {"Variable": "$.y", "IsPresent": true, "Next": name(b)}
                ], "Default": next}),
                2 => json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": next,
                    "Catch": [{"ErrorEquals": ["E1"], "Next": name(a)}, {"ErrorEquals": ["States.ALL"], "Next": name(c)}]}),
                3 => {
                    json!({"Type": "Parallel", "Next": next, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": name(b)}],
                    "Branches": [
                        {"StartAt": format!("P{i}a"), "States": {format!("P{i}a"): {"Type": "Pass", "End": true}}},
                        {"StartAt": format!("P{i}b"), "States": {
                            format!("P{i}b"): {"Type": "Choice", "Choices": [{"Variable": "$.z", "BooleanEquals": true, "Next": format!("P{i}b")}], "Default": format!("P{i}c")},
                            format!("P{i}c"): {"Type": "Succeed"}
                        }}
                    ]})
                }
                _ => json!({"Type": "Pass", "End": true}),
            };
            states.insert(name(i), state);
        }
        states.insert(name(n - 1), json!({"Type": "Succeed"}));
        serde_json::to_string(&json!({"StartAt": "N0", "States": Value::Object(states)})).unwrap_or_default()
    }

    #[test]
    fn the_generator_builds_valid_machines() {
        let genes = [(1, 0, 3, 0), (2, 1, 0, 4), (3, 0, 5, 0), (0, 0, 0, 0), (2, 2, 2, 6)];
        let text = build(&genes);
        let checked = check(&Source::new("random.json", text.clone()));
        assert!(checked.runnable().is_some(), "{text}\n{:#?}", checked.diagnostics);
        assert_invariants(checked.runnable().expect("runnable"), &Options::default());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn random_machines_keep_the_invariants(genes in prop::collection::vec((0u8..5, 0usize..16, 0usize..16, 0usize..16), 1..14)) {
            let text = build(&genes);
            let checked = check(&Source::new("random.json", text.clone()));
            // Random jumps can leave states unreachable, which is an error: skip those.
            prop_assume!(checked.runnable().is_some());
            let m = checked.runnable().expect("runnable");
            for options in [Options::default(), Options { compact: true, ..Options::default() }] {
                if let Err(e) = invariants(m, &options) {
                    panic!("{e}\n{text}\n{}", graph::layout(m, &options).to_text());
                }
            }
        }
    }
}

#[test]
fn wide_characters_take_two_columns() {
    let definition = r#"{"StartAt": "注文を確認", "States": {
        "注文を確認": {"Type": "Pass", "Next": "Done"}, "Done": {"Type": "Succeed"}}}"#;
    let l = layout_of(definition, &Options::default());
    // Five wide characters: the caption is 17 columns and the box 21; in a terminal (two
    // columns per wide character) the text row is exactly as wide as the border.
    assert_eq!(l.state("注文を確認").map(|s| s.rect.width), Some(21));
    let text = l.to_text();
    let rows: Vec<&str> = text.lines().collect();
    let columns =
        |s: &str| s.chars().map(|c| if ('\u{3000}'..='\u{9fff}').contains(&c) { 2 } else { 1 }).sum::<usize>();
    let caption = rows.iter().find(|r| r.contains("注文を確認")).expect("caption row");
    assert_eq!(columns(caption), columns(rows[0]));
    assert_eq!(l.cell(l.state("注文を確認").map_or(0, |s| s.rect.x + 3), 1).map(|c| c.ch), Some(Cell::WIDE_TAIL));
    assert_invariants(&machine(definition), &Options::default());
}

/// A Choice routing `rules` rules to three handlers in turn.
fn wide_choice(rules: usize) -> String {
    let choices: Vec<serde_json::Value> = (0..rules)
        .map(|i| serde_json::json!({"Variable": "$.code", "NumericEquals": i, "Next": format!("Handle {}", i % 3)}))
        .collect();
    let mut states = serde_json::json!({"Route": {"Type": "Choice", "Choices": choices, "Default": "Handle 0"}});
    for k in 0..3 {
        states[format!("Handle {k}")] = serde_json::json!({"Type": "Succeed"});
    }
    serde_json::json!({"StartAt": "Route", "States": states}).to_string()
}

#[test]
fn a_wide_choice_draws_one_edge_per_target_with_its_rules_summarised() {
    // Issue 13: 3,000 rules drew 3,000 labelled edges (114 MB of text, 5.5 s).
    let m = machine(&wide_choice(3_000));
    let layout = graph::layout(&m, &Options::default());
    let choice_edges = layout.edges.iter().filter(|e| matches!(e.kind, EdgeKind::Choice(_))).count();
    assert_eq!(choice_edges, 3, "one edge per target");
    let text = layout.to_text();
    assert!(text.len() < 20_000, "{} bytes", text.len());
    assert!(text.contains("1,000 rules: #1, #4, #7, …"), "{text}");
    assert!(text.contains("1,000 rules: #2, #5, #8, …"), "{text}");
    assert_invariants(&m, &Options::default());
    // A narrow Choice keeps one edge per rule, labelled with its condition.
    let narrow = graph::layout(&machine(&wide_choice(6)), &Options::default());
    assert_eq!(narrow.edges.iter().filter(|e| matches!(e.kind, EdgeKind::Choice(_))).count(), 6);
}

/// A Choice routing `targets` rules to as many different Succeed states.
fn fan_out(targets: usize) -> String {
    let choices: Vec<serde_json::Value> = (0..targets)
        .map(|i| serde_json::json!({"Variable": "$.code", "NumericEquals": i, "Next": format!("Target {i}")}))
        .collect();
    let mut states = serde_json::json!({"Route": {"Type": "Choice", "Choices": choices, "Default": "Target 0"}});
    for k in 0..targets {
        states[format!("Target {k}")] = serde_json::json!({"Type": "Succeed"});
    }
    serde_json::json!({"StartAt": "Route", "States": states}).to_string()
}

#[test]
fn a_choice_to_thousands_of_states_summarises_its_fan_out() {
    // Issue 13: 3,000 distinct targets took one edge, port and jog row each (219 MB, 40 s).
    let m = machine(&fan_out(3_000));
    let layout = graph::layout(&m, &Options::default());
    let choice_edges: Vec<&graph::EdgePath> =
        layout.edges.iter().filter(|e| matches!(e.kind, EdgeKind::Choice(_))).collect();
    assert_eq!(choice_edges.len(), 24, "23 targets and the summary");
    assert_eq!(choice_edges.iter().filter(|e| e.to.is_none()).count(), 1, "one edge to the summary box");
    let text = layout.to_text();
    assert!(text.contains("… 2,977 more states"), "{}", &text[..text.len().min(4_000)]);
    assert!(text.contains("2,977 rules: #24, #25, #26, …"));
    // Every state is still drawn, in rows of 24 below the summary: output linear in states.
    for k in 0..3_000 {
        assert!(layout.state(&format!("Target {k}")).is_some(), "Target {k} has no box");
    }
    assert!(layout.height < 2_000 && text.lines().count() < 2_000, "{} rows", layout.height);
    assert!(text.len() < 4_000_000, "{} bytes", text.len());
    let route = layout.state("Route").map(|s| s.rect).expect("Route has a box");
    let last = layout.state("Target 2999").map(|s| s.rect).expect("box");
    assert!(last.y > route.y, "summarised states hang below the Choice");
    // Just above the threshold the last target is summarised; at it, every target has an edge.
    let at = graph::layout(&machine(&fan_out(24)), &Options::default());
    assert_eq!(at.edges.iter().filter(|e| matches!(e.kind, EdgeKind::Choice(_))).count(), 24);
    assert!(at.edges.iter().all(|e| e.to.is_some() || e.kind == EdgeKind::End));
    let above = graph::layout(&machine(&fan_out(25)), &Options::default());
    assert!(above.to_text().contains("… 2 more states"));
    assert_invariants(&machine(&fan_out(24)), &Options::default());
}
