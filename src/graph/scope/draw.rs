//! Drawing a ranked, placed and routed scope onto its canvas: boxes, container frames with
//! their branch blocks, `(end)` markers, labels, edges with arrowheads, and self-loops.

use super::{Bands, Block, Edge, Metrics, Node, Seg, Shape};
use crate::asl::definition::Scope;
use crate::graph::{Class, EdgeKind, EdgePath, Point, Rect, StateBox};

pub(super) fn draw_nodes(scope: &Scope, nodes: &mut [Node], block: &mut Block, parent: Option<&str>, m: &Metrics) {
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

pub(super) fn draw_edge(
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
pub(super) fn draw_loops(scope: &Scope, node: &Node, edges: &[Edge], block: &mut Block) {
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
