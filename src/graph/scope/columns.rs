//! Horizontal placement of a scope's nodes: sweeps that pull every node towards its
//! neighbours (`place::row` per layer), with trunks kept straight and unconnected nodes last.

use super::{Metrics, Node, Seg, Shape};
use crate::graph::place;

/// x positions: packed, then alternate sweeps pulling each node under/over its neighbours.
pub(super) fn place_x(nodes: &mut [Node], layers: &mut [Vec<usize>], segs: &[Seg], m: &Metrics) {
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
pub(super) fn isolated(node: &Node) -> bool {
    node.top.is_empty() && node.bottom.is_empty() && !node.is_line()
}
