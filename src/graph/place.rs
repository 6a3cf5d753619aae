//! Horizontal placement of one layer whose order is fixed: each node wants to sit at a
//! desired x (over its neighbours), nodes must not overlap. Minimising the weighted squared
//! distance under "at least this far apart" constraints is isotonic regression once the
//! minimum gaps are subtracted, solved exactly by pool-adjacent-violators in linear time.

/// `desired[i]`, `weight[i]` per node, `sep[i]` = minimum `x[i+1] - x[i]`. Returns x.
pub(crate) fn row(desired: &[f64], weight: &[f64], sep: &[usize]) -> Vec<i64> {
    let n = desired.len();
    let mut offset = vec![0i64; n];
    for i in 1..n {
        offset[i] = offset[i - 1] + sep.get(i - 1).copied().unwrap_or(0) as i64;
    }
    // Blocks of pooled nodes: (weighted sum, total weight, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(n);
    for i in 0..n {
        let w = weight.get(i).copied().unwrap_or(1.0).max(1e-9);
        blocks.push((w * (desired[i] - offset[i] as f64), w, 1));
        while blocks.len() > 1 {
            let last = blocks[blocks.len() - 1];
            let prev = blocks[blocks.len() - 2];
            if prev.0 / prev.1 <= last.0 / last.1 {
                break;
            }
            blocks.pop();
            if let Some(p) = blocks.last_mut() {
                *p = (p.0 + last.0, p.1 + last.1, p.2 + last.2);
            }
        }
    }
    let mut x = Vec::with_capacity(n);
    for (sum, w, count) in blocks {
        let mean = (sum / w).round() as i64;
        for _ in 0..count {
            x.push(mean + offset[x.len()]);
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_nodes_sit_where_they_want() {
        assert_eq!(row(&[0.0, 10.0], &[1.0, 1.0], &[4]), vec![0, 10]);
    }

    #[test]
    fn crowded_nodes_share_the_displacement() {
        // Both want 10; 4 apart at least: centred on 10.
        assert_eq!(row(&[10.0, 10.0], &[1.0, 1.0], &[4]), vec![8, 12]);
    }

    #[test]
    fn heavy_nodes_move_less() {
        let x = row(&[10.0, 10.0], &[9.0, 1.0], &[10]);
        assert_eq!(x, vec![9, 19]);
    }
}
