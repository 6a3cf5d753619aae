//! Edge routing between layers: which column each edge leaves and enters a node at (its
//! port), and which row of the channel its horizontal jog runs on (its track).

use std::collections::HashMap;

use super::{Node, Seg, Shape};

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
pub(super) fn assign_ports(nodes: &[Node], layers: &[Vec<usize>], segs: &mut [Seg]) -> Vec<usize> {
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

#[cfg(test)]
mod tests {
    use super::spread;

    #[test]
    fn ports_stay_in_range_two_apart_and_near_where_they_want() {
        assert_eq!(spread(&[5, 5, 5], 0, 10), vec![5, 7, 9]);
        assert_eq!(spread(&[20, 30], 0, 10), vec![8, 10]);
        assert_eq!(spread(&[-4], 2, 10), vec![2]);
        // Not enough room for two apart: one apart.
        assert_eq!(spread(&[0, 0, 0], 0, 3), vec![0, 1, 2]);
    }
}
