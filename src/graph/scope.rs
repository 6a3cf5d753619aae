//! Lays out one scope (the machine, a Parallel branch or a Map processor) into a [`Block`]:
//! nodes and edges from the states, ranking (`rank`), placement (`place`), port and track
//! assignment, then drawing. Expanded containers are laid out first, recursively, and drawn
//! as framed nodes holding their branch blocks.

use std::collections::HashMap;

use crate::asl::definition::{Scope, StateKind, Transition};
use crate::asl::validate::nested_scopes;
use crate::graph::canvas::Canvas;
use crate::graph::{Class, EdgeKind, EdgePath, Options, Point, Rect, StateBox, labels, place, rank};

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
    let (mut nodes, mut edges) = build(scope, options);
    let layer_count = rank_nodes(scope, &mut nodes, &mut edges);
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

/// Nodes for the states (and `(end)` markers), edges for every transition.
fn build(scope: &Scope, options: &Options) -> (Vec<Node>, Vec<Edge>) {
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
    for (i, state) in scope.states.iter().enumerate() {
        let mut add = |to: &str, kind: EdgeKind, label: Option<String>| {
            // Dangling targets only occur in definitions that failed validation.
            if let Some(&to) = index.get(to) {
                edges.push(Edge { from: i, to, kind, label, reversed: false, chain: vec![] });
            }
        };
        if let StateKind::Choice(c) = &state.kind {
            for (k, rule) in c.choices.iter().enumerate() {
                if let Some(next) = &rule.next {
                    add(&next.value, EdgeKind::Choice(k + 1), label(labels::choice(rule, k + 1)));
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
        if state.transition == Transition::End {
            let end = nodes.len();
            nodes.push(Node::new(Shape::End, Some(i)));
            edges.push(Edge { from: i, to: end, kind: EdgeKind::End, label: None, reversed: false, chain: vec![] });
        }
    }
    (nodes, edges)
}

/// Breaks cycles, assigns layers and splits long edges into chains of dummy nodes. Returns the
/// number of layers.
fn rank_nodes(scope: &Scope, nodes: &mut Vec<Node>, edges: &mut [Edge]) -> usize {
    let n = nodes.len();
    let start = scope.index_of(&scope.start_at.value).unwrap_or(0);
    let pairs: Vec<(usize, usize)> = edges.iter().filter(|e| e.from != e.to).map(|e| (e.from, e.to)).collect();
    let (back, _) = rank::back_edges(n, &pairs, start);
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

/// x positions: packed, then alternate sweeps pulling each node under/over its neighbours.
fn place_x(nodes: &mut [Node], layers: &mut [Vec<usize>], segs: &[Seg], m: &Metrics) {
    let mut up = vec![Vec::new(); nodes.len()];
    let mut down = vec![Vec::new(); nodes.len()];
    for s in segs {
        up[s.lower].push(s.upper);
        down[s.upper].push(s.lower);
    }
    let seps = |nodes: &[Node], layer: &[usize]| -> Vec<usize> {
        layer
            .windows(2)
            .map(|p| {
                let gap = if nodes[p[0]].is_line() || nodes[p[1]].is_line() { 1 } else { m.gap };
                nodes[p[0]].slot + gap
            })
            .collect()
    };
    for layer in layers.iter() {
        let sep = seps(nodes, layer);
        let mut x = 0i64;
        for (i, &v) in layer.iter().enumerate() {
            nodes[v].x = x;
            x += sep.get(i).copied().unwrap_or(0) as i64;
        }
    }
    let pass = |nodes: &mut [Node], layer: &[usize], nb: &[Vec<usize>]| {
        let desired: Vec<f64> = layer
            .iter()
            .map(|&v| {
                // A trunk (a dummy other edges join) follows the trunk, not the joiners: else
                // every join bends it, and the drift adds up over a long machine.
                let trunk = matches!(nodes[v].shape, Shape::Dummy)
                    && nb[v].len() > 1
                    && nb[v].iter().any(|&u| matches!(nodes[u].shape, Shape::Dummy));
                let pulls: Vec<f64> = nb[v]
                    .iter()
                    .filter(|&&u| !trunk || matches!(nodes[u].shape, Shape::Dummy))
                    .map(|&u| nodes[u].centre() as f64)
                    .collect();
                if isolated(&nodes[v]) {
                    // Kept out of the way here; packed against its left neighbour below.
                    1e9
                } else if pulls.is_empty() {
                    nodes[v].x as f64
                } else {
                    pulls.iter().sum::<f64>() / pulls.len() as f64 - nodes[v].anchor as f64
                }
            })
            .collect();
        let weight: Vec<f64> = layer
            .iter()
            .map(|&v| match nodes[v].shape {
                _ if isolated(&nodes[v]) => 0.001,
                Shape::Dummy => 4.0,
                Shape::Label { .. } => 2.0,
                _ => 1.0,
            })
            .collect();
        let xs = place::row(&desired, &weight, &seps(nodes, layer));
        for (&v, x) in layer.iter().zip(xs) {
            nodes[v].x = x;
        }
    };
    let count = layers.len();
    for round in 0..5 {
        if round % 2 == 0 {
            for layer in layers.iter().skip(1) {
                pass(nodes, layer, &up);
            }
        } else {
            for l in (0..count.saturating_sub(1)).rev() {
                pass(nodes, &layers[l], &down);
            }
        }
    }
    // Unconnected nodes (unreachable states) sit last in their layers, right after the rest.
    for layer in layers.iter() {
        let sep = seps(nodes, layer);
        for (i, &v) in layer.iter().enumerate() {
            if isolated(&nodes[v]) {
                nodes[v].x = if i == 0 { 0 } else { nodes[layer[i - 1]].x + sep[i - 1] as i64 };
            }
        }
    }
    let min = nodes.iter().map(|n| n.x).min().unwrap_or(0);
    for n in nodes.iter_mut() {
        n.x -= min;
    }
}

/// A node without edges (an unreachable state without transitions).
fn isolated(node: &Node) -> bool {
    node.top.is_empty() && node.bottom.is_empty() && !node.is_line()
}

/// Spreads `desired` columns (sorted) over `lo..=hi`, two apart where there is room.
fn spread(desired: &[i64], lo: i64, hi: i64) -> Vec<i64> {
    let k = desired.len() as i64;
    let step = if k <= 1 || hi - lo >= 2 * (k - 1) { 2 } else { 1 };
    let mut out: Vec<i64> = Vec::with_capacity(desired.len());
    for &d in desired {
        let floor = out.last().map_or(lo, |&p| p + step);
        out.push(d.clamp(lo, hi).max(floor));
    }
    let mut ceil = hi;
    for p in out.iter_mut().rev() {
        *p = (*p).min(ceil);
        ceil = *p - step;
    }
    out
}

/// Chooses port columns for every segment, then jog tracks per channel (returns the number
/// of tracks of each channel).
fn assign_ports(nodes: &[Node], layers: &[Vec<usize>], segs: &mut [Seg]) -> Vec<usize> {
    let range = |n: &Node| -> (i64, i64) {
        match n.shape {
            // Keep ports off the corners when the box is wide enough: `└─┬──┘`, not `└┬───┘`.
            Shape::Leaf(_) | Shape::Container { .. } => {
                let inset = if n.w > 2 * (n.top.len().max(n.bottom.len()) + 1) { 2 } else { 1 };
                (n.x + inset, n.x + n.w as i64 - 1 - inset)
            }
            _ => (n.centre(), n.centre()),
        }
    };
    let mut tracks = Vec::with_capacity(layers.len());
    for l in 0..layers.len().saturating_sub(1) {
        for &v in &layers[l] {
            let mut out: Vec<(i64, usize)> =
                nodes[v].bottom.iter().map(|&s| (nodes[segs[s].lower].centre(), s)).collect();
            out.sort_unstable();
            if nodes[v].is_line() {
                out.iter().for_each(|&(_, s)| segs[s].xs = nodes[v].centre().max(0) as usize);
                continue;
            }
            let (lo, hi) = range(&nodes[v]);
            let desired: Vec<i64> = out.iter().map(|o| o.0).collect();
            for (col, (_, s)) in spread(&desired, lo, hi).into_iter().zip(out) {
                segs[s].xs = col.max(0) as usize;
            }
        }
        for &v in &layers[l + 1] {
            let mut inc: Vec<(i64, usize)> = nodes[v].top.iter().map(|&s| (segs[s].xs as i64, s)).collect();
            inc.sort_unstable();
            if nodes[v].is_line() {
                inc.iter().for_each(|&(_, s)| segs[s].xt = nodes[v].centre().max(0) as usize);
                continue;
            }
            let (lo, hi) = range(&nodes[v]);
            let desired: Vec<i64> = inc.iter().map(|o| o.0).collect();
            for (col, (_, s)) in spread(&desired, lo, hi).into_iter().zip(inc) {
                segs[s].xt = col.max(0) as usize;
            }
        }
        tracks.push(assign_tracks(layers, l, nodes, segs));
    }
    tracks
}

/// Gives every jogging segment of channel `l` a row so that horizontal runs never overlap,
/// and a segment leaving from the column another one arrives at runs above it (so their
/// vertical pieces don't overlap). Returns the number of rows used.
fn assign_tracks(layers: &[Vec<usize>], l: usize, nodes: &[Node], segs: &mut [Seg]) -> usize {
    let mut jogs: Vec<usize> =
        layers[l].iter().flat_map(|&v| nodes[v].bottom.iter().copied()).filter(|&s| segs[s].xs != segs[s].xt).collect();
    // Nested jogs going the same way don't cross when the one starting further out runs
    // higher: rightward ones from the rightmost source first, leftward from the leftmost.
    jogs.sort_by_key(|&s| {
        let (xs, xt) = (segs[s].xs, segs[s].xt);
        if xs < xt { (0, usize::MAX - xs, s) } else { (1, xs, s) }
    });
    let by_source: HashMap<usize, usize> = jogs.iter().map(|&s| (segs[s].xs, s)).collect();
    let mut assigned: HashMap<usize, usize> = HashMap::new();
    let mut rows: Vec<Vec<(usize, usize)>> = Vec::new();
    while assigned.len() < jogs.len() {
        let mut progress = false;
        let pending: Vec<usize> = jogs.iter().copied().filter(|s| !assigned.contains_key(s)).collect();
        for &s in &pending {
            // The segment leaving where `s` arrives must run above `s`.
            let above = by_source.get(&segs[s].xt).copied().filter(|&b| b != s);
            let min_row = match above {
                Some(b) => match assigned.get(&b) {
                    Some(&r) => r + 1,
                    None => continue,
                },
                None => 0,
            };
            place_in_row(s, min_row, segs, &mut rows, &mut assigned);
            progress = true;
        }
        if !progress {
            // A cycle of such constraints (two segments swapping columns): break it.
            if let Some(&s) = pending.first() {
                place_in_row(s, 0, segs, &mut rows, &mut assigned);
            }
        }
    }
    rows.len()
}

fn place_in_row(
    s: usize,
    min_row: usize,
    segs: &mut [Seg],
    rows: &mut Vec<Vec<(usize, usize)>>,
    assigned: &mut HashMap<usize, usize>,
) {
    let (lo, hi) = (segs[s].xs.min(segs[s].xt), segs[s].xs.max(segs[s].xt));
    let mut r = min_row;
    loop {
        if r >= rows.len() {
            rows.resize_with(r + 1, Vec::new);
        }
        if rows[r].iter().all(|&(a, b)| hi < a || b < lo) {
            rows[r].push((lo, hi));
            break;
        }
        r += 1;
    }
    segs[s].track = r;
    assigned.insert(s, r);
}

fn draw_nodes(scope: &Scope, nodes: &mut [Node], block: &mut Block, parent: Option<&str>, m: &Metrics) {
    for node in nodes.iter_mut() {
        let (x, y) = (node.x as usize, node.y);
        let rect = Rect { x, y, width: node.w, height: node.h };
        if let (Some(s), true) = (node.state, node.has_border()) {
            let state = &scope.states[s];
            block.states.push(StateBox {
                name: state.name.clone(),
                kind: state.type_name(),
                pointer: state.pointer.clone(),
                rect,
                parent: parent.map(str::to_string),
                expanded: matches!(node.shape, Shape::Container { .. }),
            });
        }
        match &mut node.shape {
            Shape::Leaf(text) => {
                block.canvas.frame(x, y, node.w, node.h, Class::NodeBorder);
                block.canvas.text(x + 1 + m.pad, y + 1, text, Class::Node);
            }
            Shape::Container { title, branches } => {
                block.canvas.frame(x, y, node.w, node.h, Class::Container);
                block.canvas.text(x + 2, y + 1, title, Class::Container);
                let inner_w: usize =
                    branches.iter().map(|b| b.canvas.width).sum::<usize>() + m.gap * branches.len().saturating_sub(1);
                let inner_h = node.h - 3 - 2 * m.frame_rows;
                let mut bx = x + 2 + (node.w - 4 - inner_w) / 2;
                let by = y + 2 + m.frame_rows;
                let count = branches.len();
                for (i, mut b) in std::mem::take(branches).into_iter().enumerate() {
                    block.canvas.blit(&b.canvas, bx, by);
                    b.shift(bx, by);
                    let width = b.canvas.width;
                    block.states.extend(b.states);
                    block.edges.extend(b.edges);
                    block.ends.extend(b.ends);
                    bx += width;
                    if i + 1 < count {
                        let sep = bx + m.gap / 2;
                        for dy in 0..inner_h {
                            block.canvas.put(sep, by + dy, '╎', Class::Container);
                        }
                        bx += m.gap;
                    }
                }
            }
            Shape::End => {
                block.canvas.text(x, y, "(end)", Class::End);
                if let Some(s) = node.state {
                    block.ends.push((scope.states[s].name.clone(), rect));
                }
            }
            Shape::Dummy => {}
            Shape::Label { text, left } => {
                let at = if *left { x } else { x + 2 };
                block.canvas.text(at, y, text, Class::Label);
            }
        }
    }
}

fn edge_class(kind: &EdgeKind, back: bool) -> Class {
    match kind {
        EdgeKind::Catch(_) => Class::CatchEdge,
        _ if back => Class::BackEdge,
        _ => Class::Edge,
    }
}

fn draw_edge(
    scope: &Scope,
    edge: &Edge,
    mine: &[usize],
    nodes: &[Node],
    segs: &[Seg],
    bands: &Bands,
    block: &mut Block,
) {
    if edge.chain.len() < 2 {
        return;
    }
    let mut points: Vec<Point> = Vec::new();
    for &s in mine {
        let seg = &segs[s];
        let u = seg.upper;
        let l = nodes[u].layer;
        let channel = bands.top[l] + bands.height[l];
        let channel_end = bands.top[l + 1] - 1;
        let start = if nodes[u].is_line() { bands.top[l] } else { nodes[u].y + nodes[u].h };
        let vertical = |col: usize, from: usize, to: usize, points: &mut Vec<Point>| {
            for y in from..=to {
                points.push(Point { x: col, y });
            }
        };
        if seg.xs == seg.xt {
            vertical(seg.xs, start, channel_end, &mut points);
        } else {
            let row = channel + 1 + seg.track;
            vertical(seg.xs, start, row, &mut points);
            if seg.xs < seg.xt {
                points.extend((seg.xs + 1..=seg.xt).map(|x| Point { x, y: row }));
            } else {
                points.extend((seg.xt..seg.xs).rev().map(|x| Point { x, y: row }));
            }
            vertical(seg.xt, row + 1, channel_end, &mut points);
        }
    }
    let class = edge_class(&edge.kind, edge.reversed);
    block.canvas.path(&points, class);
    let (first, last) = (edge.chain[0], edge.chain[edge.chain.len() - 1]);
    if let (Some(p), Some(q)) = (points.first().copied(), points.last().copied()) {
        if edge.reversed {
            block.canvas.put(p.x, p.y, '▲', class);
            if nodes[last].has_border() {
                block.canvas.put(q.x, nodes[last].y, '┴', Class::NodeBorder);
            }
        } else {
            block.canvas.put(q.x, q.y, '▼', class);
            if nodes[first].has_border() {
                block.canvas.put(p.x, nodes[first].y + nodes[first].h - 1, '┬', Class::NodeBorder);
            }
        }
    }
    if edge.reversed {
        points.reverse();
    }
    let name = |v: usize| nodes[v].state.map(|s| scope.states[s].name.clone());
    let (from, to) = (name(edge.from).unwrap_or_default(), name(edge.to));
    block.edges.push(EdgePath {
        from,
        to: if edge.kind == EdgeKind::End { None } else { to },
        kind: edge.kind.clone(),
        label: edge.label.clone(),
        back: edge.reversed,
        cells: points,
    });
}

/// A state's transitions to itself: a small hook on the box's right side, `├─┐` / `┘◄┘`.
fn draw_loops(scope: &Scope, node: &Node, edges: &[Edge], block: &mut Block) {
    if node.loops.is_empty() {
        return;
    }
    let (x, y, w) = (node.x as usize, node.y, node.w);
    let points = vec![
        Point { x: x + w, y: y + 1 },
        Point { x: x + w + 1, y: y + 1 },
        Point { x: x + w + 1, y: y + 2 },
        Point { x: x + w, y: y + 2 },
    ];
    let kind = &edges[node.loops[0]].kind;
    let class = edge_class(kind, true);
    block.canvas.path(&points, class);
    block.canvas.put(x + w - 1, y + 1, '├', Class::NodeBorder);
    block.canvas.put(x + w, y + 2, '◄', class);
    let texts: Vec<&str> = node.loops.iter().filter_map(|&e| edges[e].label.as_deref()).collect();
    if !texts.is_empty() {
        block.canvas.text(x + w + 3, y + 1, &texts.join("; "), Class::Label);
    }
    let name = node.state.map(|s| scope.states[s].name.clone()).unwrap_or_default();
    for &e in &node.loops {
        block.edges.push(EdgePath {
            from: name.clone(),
            to: Some(name.clone()),
            kind: edges[e].kind.clone(),
            label: edges[e].label.clone(),
            back: true,
            cells: points.clone(),
        });
    }
}
