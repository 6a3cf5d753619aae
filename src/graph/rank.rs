//! The layered structure of one scope: which edges close cycles, the layer of every node, and
//! the order of nodes within layers (barycenter sweeps that keep the order with the fewest
//! crossings). Works on plain indices; `scope` builds the nodes.

/// DFS from `start`, then from every node not yet seen, in index order. Returns which edges
/// (`from`, `to`) reach a node still on the DFS stack (they close a cycle), and each node's
/// preorder number (a good first order within layers).
pub(crate) fn back_edges(n: usize, edges: &[(usize, usize)], start: usize) -> (Vec<bool>, Vec<usize>) {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, &(a, _)) in edges.iter().enumerate() {
        out[a].push(i);
    }
    // 0 = unseen, 1 = on the stack, 2 = done
    let mut state = vec![0u8; n];
    let mut pre = vec![usize::MAX; n];
    let mut counter = 0;
    let mut back = vec![false; edges.len()];
    let roots = std::iter::once(start).chain(0..n);
    for root in roots {
        if root >= n || state[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        pre[root] = counter;
        counter += 1;
        while let Some(top) = stack.last_mut() {
            let (v, next) = *top;
            if let Some(&e) = out[v].get(next) {
                top.1 += 1;
                let w = edges[e].1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        pre[w] = counter;
                        counter += 1;
                        stack.push((w, 0));
                    }
                    1 => back[e] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    (back, pre)
}

/// Longest-path layering of a DAG given as `(from, to, minimum length)`.
pub(crate) fn layers(n: usize, edges: &[(usize, usize, usize)]) -> Vec<usize> {
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    let mut indegree = vec![0usize; n];
    for &(a, b, w) in edges {
        out[a].push((b, w));
        indegree[b] += 1;
    }
    let mut layer = vec![0usize; n];
    let mut ready: Vec<usize> = (0..n).rev().filter(|&v| indegree[v] == 0).collect();
    while let Some(v) = ready.pop() {
        for &(b, w) in &out[v] {
            layer[b] = layer[b].max(layer[v] + w);
            indegree[b] -= 1;
            if indegree[b] == 0 {
                ready.push(b);
            }
        }
    }
    layer
}

/// Node order within layers: barycenter sweeps down and up, keeping the best order seen.
/// `up[v]`/`down[v]` are v's neighbours in the layers above and below.
pub(crate) fn order(layers: &mut [Vec<usize>], up: &[Vec<usize>], down: &[Vec<usize>], sweeps: usize) {
    let n = up.len();
    let mut pos = vec![0usize; n];
    let index = |layers: &[Vec<usize>], pos: &mut [usize]| {
        for layer in layers {
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = i;
            }
        }
    };
    index(layers, &mut pos);
    let mut best = layers.to_vec();
    let mut best_crossings = crossings(layers, down, &pos);
    for sweep in 0..sweeps {
        let downward = sweep % 2 == 0;
        let range: Vec<usize> =
            if downward { (1..layers.len()).collect() } else { (0..layers.len().saturating_sub(1)).rev().collect() };
        for l in range {
            let nb = if downward { up } else { down };
            let mut keyed: Vec<(f64, usize, usize)> = layers[l]
                .iter()
                .map(|&v| {
                    let b = if nb[v].is_empty() {
                        pos[v] as f64
                    } else {
                        nb[v].iter().map(|&u| pos[u] as f64).sum::<f64>() / nb[v].len() as f64
                    };
                    (b, pos[v], v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[l] = keyed.into_iter().map(|k| k.2).collect();
            for (i, &v) in layers[l].iter().enumerate() {
                pos[v] = i;
            }
        }
        let c = crossings(layers, down, &pos);
        if c < best_crossings {
            best_crossings = c;
            best = layers.to_vec();
        }
        if best_crossings == 0 {
            break;
        }
    }
    layers.clone_from_slice(&best);
}

/// Crossings between consecutive layers: inversions of lower positions once segments are
/// sorted by upper position (counted by merge sort).
fn crossings(layers: &[Vec<usize>], down: &[Vec<usize>], pos: &[usize]) -> usize {
    let mut total = 0;
    let mut segs: Vec<(usize, usize)> = Vec::new();
    for layer in layers {
        segs.clear();
        for &v in layer {
            segs.extend(down[v].iter().map(|&w| (pos[v], pos[w])));
        }
        segs.sort_unstable();
        let mut lower: Vec<usize> = segs.iter().map(|s| s.1).collect();
        total += inversions(&mut lower);
    }
    total
}

fn inversions(v: &mut [usize]) -> usize {
    if v.len() < 2 {
        return 0;
    }
    let mid = v.len() / 2;
    let mut count = inversions(&mut v[..mid]) + inversions(&mut v[mid..]);
    let mut merged = Vec::with_capacity(v.len());
    let (mut i, mut j) = (0, mid);
    while i < mid && j < v.len() {
        if v[j] < v[i] {
            count += mid - i;
            merged.push(v[j]);
            j += 1;
        } else {
            merged.push(v[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&v[i..mid]);
    merged.extend_from_slice(&v[j..]);
    v.copy_from_slice(&merged);
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loop_has_exactly_one_back_edge() {
        let edges = [(0, 1), (1, 2), (2, 0), (1, 3)];
        let (back, pre) = back_edges(4, &edges, 0);
        assert_eq!(back, vec![false, false, true, false]);
        assert_eq!(pre, vec![0, 1, 2, 3]);
    }

    #[test]
    fn longest_path_puts_a_node_below_all_its_predecessors() {
        let l = layers(4, &[(0, 1, 1), (1, 2, 1), (0, 2, 1), (0, 3, 2)]);
        assert_eq!(l, vec![0, 1, 2, 2]);
    }

    #[test]
    fn sweeps_remove_an_avoidable_crossing() {
        // 0 -> 3, 1 -> 2 with layer 1 ordered [2, 3] crosses once; swapping removes it.
        let mut layers = vec![vec![0, 1], vec![2, 3]];
        let up = vec![vec![], vec![], vec![1], vec![0]];
        let down = vec![vec![3], vec![2], vec![], vec![]];
        order(&mut layers, &up, &down, 4);
        assert_eq!(layers[1], vec![3, 2]);
    }

    #[test]
    fn inversions_are_counted() {
        assert_eq!(inversions(&mut [3, 1, 2]), 2);
        assert_eq!(inversions(&mut [1, 2, 3]), 0);
    }
}
