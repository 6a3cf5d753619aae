//! Lays out one scope (the machine, a Parallel branch or a Map processor) into a [`Block`]:
//! nodes and edges from the states, ranking (`rank`), placement (`place`), port and track
//! assignment, then drawing. Expanded containers are laid out first, recursively, and drawn
//! as framed nodes holding their branch blocks.

mod columns;
mod draw;
mod route;

use std::collections::HashMap;

use columns::{isolated, place_x};
use draw::{draw_edge, draw_loops, draw_nodes};
use route::assign_ports;

use crate::asl::definition::{Scope, StateKind, Transition};
use crate::asl::validate::nested_scopes;
use crate::graph::canvas::Canvas;
use crate::graph::{EdgeKind, EdgePath, Options, Rect, StateBox, labels, rank};

/// A laid-out scope: its own canvas, and where its states and edges were drawn.
pub(crate) struct Block {
    pub canvas: Canvas,
    pub states: Vec<StateBox>,
    pub edges: Vec<EdgePath>,
    pub ends: Vec<(String, Rect)>,
}

impl Block {
    fn shift(&mut self, dx: usize, dy: usize) {
        let move_rect = |r: &mut Rect| {
            r.x += dx;
            r.y += dy;
        };
        self.states.iter_mut().for_each(|s| move_rect(&mut s.rect));
        self.ends.iter_mut().for_each(|e| move_rect(&mut e.1));
        for e in &mut self.edges {
            for p in &mut e.cells {
                p.x += dx;
                p.y += dy;
            }
        }
    }
}

enum Shape {
    /// A state's box with its caption.
    Leaf(String),
    /// An expanded Parallel/Map: title and branch blocks, side by side.
    Container { title: String, branches: Vec<Block> },
    /// The `(end)` marker of a state with `"End": true`.
    End,
    /// A bend point of an edge that spans several layers.
    Dummy,
    /// A bend point that carries its edge's label beside the line: to the right, or to the
    /// left when nothing but lines is left of it in its layer (so the text pushes no box).
    Label { text: String, left: bool },
}

struct Node {
    shape: Shape,
    /// The state (index in the scope) this node draws, or ends for `Shape::End`.
    state: Option<usize>,
    layer: usize,
    /// Box size (for dummies: the line and its label).
    w: usize,
    h: usize,
    /// Width reserved in the layer: the box plus room for a self-loop.
    slot: usize,
    /// Column of the node's centre (or line), relative to `x`.
    anchor: usize,
    x: i64,
    y: usize,
    /// Edges from this node to itself.
    loops: Vec<usize>,
    top: Vec<usize>,
    bottom: Vec<usize>,
}

impl Node {
    fn new(shape: Shape, state: Option<usize>) -> Node {
        Node {
            shape,
            state,
            layer: 0,
            w: 1,
            h: 1,
            slot: 1,
            anchor: 0,
            x: 0,
            y: 0,
            loops: vec![],
            top: vec![],
            bottom: vec![],
        }
    }

    fn is_line(&self) -> bool {
        matches!(self.shape, Shape::Dummy | Shape::Label { .. })
    }

    fn has_border(&self) -> bool {
        matches!(self.shape, Shape::Leaf(_) | Shape::Container { .. })
    }

    fn centre(&self) -> i64 {
        self.x + self.anchor as i64
    }
}

struct Edge {
    from: usize,
    to: usize,
    kind: EdgeKind,
    label: Option<String>,
    /// Drawn against the layering (closes a cycle).
    reversed: bool,
    /// Nodes from the upper end to the lower end.
    chain: Vec<usize>,
}

/// One piece of an edge between two adjacent layers.
struct Seg {
    upper: usize,
    lower: usize,
    /// Port columns on the upper node's bottom and the lower node's top.
    xs: usize,
    xt: usize,
    /// Row within the channel for the horizontal jog, when `xs != xt`.
    track: usize,
}

/// The rows of each layer: first row and height.
struct Bands {
    top: Vec<usize>,
    height: Vec<usize>,
}

/// Sizes that differ between normal and compact drawings.
struct Metrics {
    /// Blank columns between a box's border and its text.
    pad: usize,
    /// Columns between neighbouring boxes in a layer.
    gap: usize,
    /// Blank rows above and below a container's branches.
    frame_rows: usize,
}

pub(crate) fn layout_scope(scope: &Scope, options: &Options, parent: Option<&str>) -> Block {
    let m = if options.compact {
        Metrics { pad: 0, gap: 2, frame_rows: 0 }
    } else {
        Metrics { pad: 1, gap: 3, frame_rows: 1 }
    };
    let (mut nodes, mut edges, ties) = build(scope, options);
    let layer_count = rank_nodes(scope, &mut nodes, &mut edges, &ties);
    let mut segs: Vec<Seg> = Vec::new();
    // Edges that share a trunk share its segments (one line, one port).
    let mut shared: HashMap<(usize, usize), usize> = HashMap::new();
    let mut edge_segs: Vec<Vec<usize>> = Vec::with_capacity(edges.len());
    for edge in &edges {
        let mut mine = Vec::with_capacity(edge.chain.len());
        for pair in edge.chain.windows(2) {
            let (u, v) = (pair[0], pair[1]);
            let trunk = matches!(nodes[u].shape, Shape::Dummy) || matches!(nodes[v].shape, Shape::Dummy);
            if let Some(&s) = shared.get(&(u, v)).filter(|_| trunk) {
                mine.push(s);
                continue;
            }
            let s = segs.len();
            mine.push(s);
            segs.push(Seg { upper: u, lower: v, xs: 0, xt: 0, track: 0 });
            nodes[u].bottom.push(s);
            nodes[v].top.push(s);
            if trunk {
                shared.insert((u, v), s);
            }
        }
        edge_segs.push(mine);
    }
    let start = scope.index_of(&scope.start_at.value).unwrap_or(0);
    let mut layers = order_layers(&nodes, &segs, layer_count, start);
    for layer in &mut layers {
        // Stable: unconnected nodes go last, so placing them never pushes anything.
        layer.sort_by_key(|&v| isolated(&nodes[v]));
    }
    for layer in &layers {
        let lines_first = layer.iter().take_while(|&&v| nodes[v].is_line()).count();
        if lines_first == layer.len() {
            continue;
        }
        for &v in &layer[..lines_first] {
            if let Shape::Label { left, .. } = &mut nodes[v].shape {
                *left = true;
            }
        }
    }
    size_nodes(&mut nodes, &edges, &m);
    place_x(&mut nodes, &mut layers, &segs, &m);
    let tracks = assign_ports(&nodes, &layers, &mut segs);
    // Rows: each layer is a band as tall as its tallest node; between layers a channel with a
    // spacer row, one row per jog track and the arrowhead row.
    let mut y = 0;
    let mut bands = Bands { top: Vec::with_capacity(layers.len()), height: Vec::with_capacity(layers.len()) };
    for (l, layer) in layers.iter().enumerate() {
        let h = layer.iter().map(|&v| nodes[v].h).max().unwrap_or(1);
        bands.top.push(y);
        bands.height.push(h);
        for &v in layer {
            nodes[v].y = y;
        }
        y += h;
        if l + 1 < layers.len() {
            y += tracks[l] + 2;
        }
    }
    let width = nodes.iter().map(|n| n.x as usize + n.slot).max().unwrap_or(0);
    let mut block = Block { canvas: Canvas::new(width, y), states: Vec::new(), edges: Vec::new(), ends: Vec::new() };
    draw_nodes(scope, &mut nodes, &mut block, parent, &m);
    for (edge, mine) in edges.iter().zip(&edge_segs) {
        draw_edge(scope, edge, mine, &nodes, &segs, &bands, &mut block);
    }
    for node in &nodes {
        draw_loops(scope, node, &edges, &mut block);
    }
    block
}

/// A Choice with more rules than this has them drawn one edge per target.
const WIDE_CHOICE: usize = 8;

/// A wide Choice with more distinct targets than this draws edges to the first `FAN_OUT - 1`
/// and one edge to a "… N more states" box for the rest: each fanned edge needs its own port
/// and jog row, so thousands of targets cost quadratic time and text.
const FAN_OUT: usize = 24;

/// The rules' targets in order of first appearance, each with its rule numbers (from 1).
fn rules_by_target(rules: &[crate::asl::definition::ChoiceRule]) -> Vec<(&str, Vec<usize>)> {
    let mut order: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for (k, rule) in rules.iter().enumerate() {
        let Some(next) = &rule.next else { continue };
        let i = *at.entry(&next.value).or_insert_with(|| {
            order.push((&next.value, Vec::new()));
            order.len() - 1
        });
        order[i].1.push(k + 1);
    }
    order
}

/// Ranking constraints without a drawn edge: (upper, lower, minimum layer distance).
type Tie = (usize, usize, usize);

/// Nodes for the states (and `(end)` markers), edges for every transition, and ties that hang
/// a wide Choice's summarised targets below its "more states" box.
fn build(scope: &Scope, options: &Options) -> (Vec<Node>, Vec<Edge>, Vec<Tie>) {
    let index: HashMap<&str, usize> = scope.states.iter().enumerate().map(|(i, s)| (s.name.as_str(), i)).collect();
    let mut nodes: Vec<Node> = Vec::with_capacity(scope.states.len() * 2);
    for (i, state) in scope.states.iter().enumerate() {
        let caption = labels::caption(&state.name, state.type_name(), options.compact);
        let container = matches!(state.kind, StateKind::Parallel(_) | StateKind::Map(_));
        let shape = if container && !options.collapsed.contains(&state.name) {
            let branches =
                nested_scopes(state).into_iter().map(|s| layout_scope(s, options, Some(state.name.as_str()))).collect();
            Shape::Container { title: caption, branches }
        } else {
            Shape::Leaf(caption)
        };
        nodes.push(Node::new(shape, Some(i)));
    }
    let label = |text: String| if options.compact { None } else { Some(text) };
    let mut edges = Vec::new();
    let mut ties = Vec::new();
    for (i, state) in scope.states.iter().enumerate() {
        let mut add = |to: &str, kind: EdgeKind, label: Option<String>| {
            // Dangling targets only occur in definitions that failed validation.
            if let Some(&to) = index.get(to) {
                edges.push(Edge { from: i, to, kind, label, reversed: false, chain: vec![] });
            }
        };
        let mut summarised = Vec::new();
        if let StateKind::Choice(c) = &state.kind {
            if c.choices.len() > WIDE_CHOICE {
                // One edge per target, its rules summarised: thousands of labelled edges out of
                // one box cost quadratic routing and a drawing nobody can read.
                let mut targets = rules_by_target(&c.choices);
                let rest = if targets.len() > FAN_OUT { targets.split_off(FAN_OUT - 1) } else { Vec::new() };
                for (target, rules) in targets {
                    let text = match rules.as_slice() {
                        [k] => labels::choice(&c.choices[k - 1], *k),
                        _ => labels::rule_numbers(&rules),
                    };
                    add(target, EdgeKind::Choice(rules[0]), label(text));
                }
                summarised = rest;
            } else {
                for (k, rule) in c.choices.iter().enumerate() {
                    if let Some(next) = &rule.next {
                        add(&next.value, EdgeKind::Choice(k + 1), label(labels::choice(rule, k + 1)));
                    }
                }
            }
            if let Some(d) = &c.default {
                add(&d.value, EdgeKind::Default, label("default".to_string()));
            }
        }
        if let Transition::Next(n) = &state.transition {
            add(&n.value, EdgeKind::Next, None);
        }
        for (k, c) in state.catch.iter().enumerate() {
            add(&c.next.value, EdgeKind::Catch(k + 1), label(labels::catch(c)));
        }
        if !summarised.is_empty() {
            summarise(&summarised, i, &index, &mut nodes, &mut edges, &mut ties, options.compact);
        }
        if state.transition == Transition::End {
            let end = nodes.len();
            nodes.push(Node::new(Shape::End, Some(i)));
            edges.push(Edge { from: i, to: end, kind: EdgeKind::End, label: None, reversed: false, chain: vec![] });
        }
    }
    (nodes, edges, ties)
}

/// The targets of a wide Choice beyond the first `FAN_OUT - 1`: one edge (labelled with its
/// rules) to a box that says how many states it stands for, and those states tied below it in
/// rows of `FAN_OUT`, so they are still drawn, near the Choice, without an edge each.
fn summarise(
    rest: &[(&str, Vec<usize>)],
    choice: usize,
    index: &HashMap<&str, usize>,
    nodes: &mut Vec<Node>,
    edges: &mut Vec<Edge>,
    ties: &mut Vec<Tie>,
    compact: bool,
) {
    let more = nodes.len();
    let text = format!("… {} more states", labels::thousands(rest.len()));
    nodes.push(Node::new(Shape::Leaf(text), None));
    let mut rules: Vec<usize> = rest.iter().flat_map(|(_, r)| r.iter().copied()).collect();
    rules.sort_unstable();
    let label = (!compact).then(|| labels::rule_numbers(&rules));
    edges.push(Edge {
        from: choice,
        to: more,
        kind: EdgeKind::Choice(rules[0]),
        label,
        reversed: false,
        chain: vec![],
    });
    let targets: Vec<usize> = rest.iter().filter_map(|(t, _)| index.get(t).copied()).collect();
    for (k, &t) in targets.iter().enumerate() {
        // Two layers between rows leave room for each state's own `(end)` marker.
        let tie = if k < FAN_OUT { (more, t, 1) } else { (targets[k - FAN_OUT], t, 2) };
        ties.push(tie);
    }
}

/// Breaks cycles, assigns layers and splits long edges into chains of dummy nodes. Returns the
/// number of layers.
fn rank_nodes(scope: &Scope, nodes: &mut Vec<Node>, edges: &mut [Edge], ties: &[Tie]) -> usize {
    let n = nodes.len();
    let start = scope.index_of(&scope.start_at.value).unwrap_or(0);
    let mut pairs: Vec<(usize, usize)> = edges.iter().filter(|e| e.from != e.to).map(|e| (e.from, e.to)).collect();
    pairs.extend(ties.iter().map(|&(a, b, _)| (a, b)));
    let (back, _) = rank::back_edges(n, &pairs, start);
    let drawn = pairs.len() - ties.len();
    let mut dag = Vec::with_capacity(pairs.len());
    let mut k = 0;
    for (i, e) in edges.iter_mut().enumerate() {
        if e.from == e.to {
            nodes[e.from].loops.push(i);
            continue;
        }
        e.reversed = back[k];
        k += 1;
        let (a, b) = if e.reversed { (e.to, e.from) } else { (e.from, e.to) };
        dag.push((a, b, if e.label.is_some() { 2 } else { 1 }));
    }
    // A tie that would close a cycle (a summarised state leading back up) is dropped.
    dag.extend(ties.iter().zip(&back[drawn..]).filter(|(_, back)| !**back).map(|(&tie, _)| tie));
    let layer = rank::layers(n, &dag);
    for (v, node) in nodes.iter_mut().enumerate() {
        node.layer = layer[v];
    }
    // Long edges of one kind towards the same node share their bend points ("trunks"), so
    // twenty Catch edges to one Fail state draw as one line that others join, not twenty.
    // Forward edges share towards their target, upward ones from their (upper) target.
    let mut trunks: HashMap<(usize, bool, bool, usize), usize> = HashMap::new();
    for e in edges.iter_mut().filter(|e| e.from != e.to) {
        let (a, b) = if e.reversed { (e.to, e.from) } else { (e.from, e.to) };
        let catch = matches!(e.kind, EdgeKind::Catch(_));
        let anchor = if e.reversed { a } else { b };
        let span = layer[b] - layer[a];
        let mut chain = vec![a];
        // The label sits next to the edge's source: first bend going down, last going up.
        let label_at = if e.reversed { span.saturating_sub(1) } else { 1 };
        for step in 1..span {
            let at = layer[a] + step;
            let id = match &e.label {
                Some(text) if step == label_at => {
                    let mut d = Node::new(Shape::Label { text: text.clone(), left: false }, None);
                    d.layer = at;
                    nodes.push(d);
                    nodes.len() - 1
                }
                _ => *trunks.entry((anchor, e.reversed, catch, at)).or_insert_with(|| {
                    let mut d = Node::new(Shape::Dummy, None);
                    d.layer = at;
                    nodes.push(d);
                    nodes.len() - 1
                }),
            };
            chain.push(id);
        }
        chain.push(b);
        e.chain = chain;
    }
    nodes.iter().map(|n| n.layer + 1).max().unwrap_or(0)
}

/// Orders each layer: a DFS-based first order, then barycenter sweeps.
fn order_layers(nodes: &[Node], segs: &[Seg], count: usize, start: usize) -> Vec<Vec<usize>> {
    let n = nodes.len();
    let mut up = vec![Vec::new(); n];
    let mut down = vec![Vec::new(); n];
    for s in segs {
        up[s.lower].push(s.upper);
        down[s.upper].push(s.lower);
    }
    // First order: DFS preorder over the (acyclic) chains, so a path reads left to right.
    let pairs: Vec<(usize, usize)> = segs.iter().map(|s| (s.upper, s.lower)).collect();
    let (_, pre) = rank::back_edges(n, &pairs, start);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (v, node) in nodes.iter().enumerate() {
        layers[node.layer].push(v);
    }
    for layer in &mut layers {
        layer.sort_by_key(|&v| (pre[v], v));
    }
    rank::order(&mut layers, &up, &down, 12);
    layers
}

fn size_nodes(nodes: &mut [Node], edges: &[Edge], m: &Metrics) {
    for node in nodes.iter_mut() {
        let ports = node.top.len().max(node.bottom.len());
        let min_w = 2 * ports + 1;
        let (w, h) = match &node.shape {
            Shape::Leaf(text) => ((labels::width(text) + 2 + 2 * m.pad).max(min_w), 3),
            Shape::Container { title, branches } => {
                let inner_w: usize =
                    branches.iter().map(|b| b.canvas.width).sum::<usize>() + m.gap * branches.len().saturating_sub(1);
                let inner_h = branches.iter().map(|b| b.canvas.height).max().unwrap_or(0);
                let w = (inner_w.max(labels::width(title)) + 4).max(min_w);
                (w, inner_h + 3 + 2 * m.frame_rows)
            }
            Shape::End => (5, 1),
            Shape::Dummy => (1, 1),
            Shape::Label { text, .. } => (labels::width(text) + 2, 1),
        };
        node.w = w;
        node.h = h;
        node.anchor = match node.shape {
            Shape::Label { left: true, .. } => w - 1,
            _ if node.is_line() => 0,
            _ => (w - 1) / 2,
        };
        let loop_labels: Vec<&str> = node.loops.iter().filter_map(|&e| edges[e].label.as_deref()).collect();
        node.slot = w + match (node.loops.is_empty(), loop_labels.is_empty()) {
            (true, _) => 0,
            (false, true) => 2,
            (false, false) => 3 + labels::width(&loop_labels.join("; ")),
        };
    }
}
