//! An append-mostly list stored in fixed-size chunks, for the stages and history events of an
//! execution. A `Vec` of them doubled by reallocating: every growth touched fresh pages and
//! copied all records, which measured about a quarter of the engine's time per state
//! (`benches/engine.rs`). Chunks never move once written, stay below the allocator's
//! large-block threshold (so memory freed by an earlier run is reused), and cost nothing to
//! grow.

use std::ops::Index;

/// Elements per full chunk. Only the last chunk may be shorter; the first grows like a `Vec`
/// up to this size, so a short run does not reserve a whole chunk.
const CHUNK: usize = 512;

#[derive(Clone, Debug)]
pub struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked { chunks: Vec::new(), len: 0 }
    }
}

impl<T> Chunked<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, value: T) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => last.push(value),
            _ => {
                // The first chunk starts small; later ones are needed whole.
                let mut chunk = Vec::with_capacity(if self.chunks.is_empty() { 8 } else { CHUNK });
                chunk.push(value);
                self.chunks.push(chunk);
            }
        }
        self.len += 1;
    }

    pub fn get(&self, index: usize) -> Option<&T> {
        self.chunks.get(index / CHUNK)?.get(index % CHUNK)
    }

    pub fn last(&self) -> Option<&T> {
        self.chunks.last()?.last()
    }

    /// The elements in order.
    pub fn iter(&self) -> Iter<'_, T> {
        Iter { list: self, front: 0, back: self.len }
    }

    /// The elements in `range` (clamped to the list), in order.
    pub fn range(&self, range: impl std::ops::RangeBounds<usize>) -> Iter<'_, T> {
        use std::ops::Bound;
        let back = match range.end_bound() {
            Bound::Included(&e) => e.saturating_add(1),
            Bound::Excluded(&e) => e,
            Bound::Unbounded => self.len,
        }
        .min(self.len);
        let front = match range.start_bound() {
            Bound::Included(&s) => s,
            Bound::Excluded(&s) => s.saturating_add(1),
            Bound::Unbounded => 0,
        }
        .min(back);
        Iter { list: self, front, back }
    }

    pub fn to_vec(&self) -> Vec<T>
    where
        T: Clone,
    {
        self.iter().cloned().collect()
    }

    /// Removes and returns the elements after the first `len`, in order.
    pub fn split_off(&mut self, len: usize) -> Vec<T> {
        if len >= self.len {
            return Vec::new();
        }
        let (chunk, at) = (len / CHUNK, len % CHUNK);
        let mut tail = self.chunks[chunk].split_off(at);
        for later in self.chunks.drain(chunk + 1..) {
            tail.extend(later);
        }
        if self.chunks.last().is_some_and(Vec::is_empty) {
            self.chunks.pop();
        }
        self.len = len;
        tail
    }

    pub fn extend(&mut self, values: impl IntoIterator<Item = T>) {
        for v in values {
            self.push(v);
        }
    }
}

impl<T: PartialEq> PartialEq for Chunked<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<T> Index<usize> for Chunked<T> {
    type Output = T;

    fn index(&self, index: usize) -> &T {
        match self.get(index) {
            Some(v) => v,
            None => panic!("index {index} out of range for a list of {}", self.len),
        }
    }
}

impl<'a, T> IntoIterator for &'a Chunked<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

/// Iterates a [`Chunked`] in order; knows its length, so it can be reversed and enumerated
/// from the back.
pub struct Iter<'a, T> {
    list: &'a Chunked<T>,
    front: usize,
    back: usize,
}

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        Iter { list: self.list, front: self.front, back: self.back }
    }
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        if self.front == self.back {
            return None;
        }
        self.front += 1;
        self.list.get(self.front - 1)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.back - self.front, Some(self.back - self.front))
    }

    fn nth(&mut self, n: usize) -> Option<&'a T> {
        self.front = self.front.saturating_add(n).min(self.back);
        self.next()
    }
}

impl<T> DoubleEndedIterator for Iter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front == self.back {
            return None;
        }
        self.back -= 1;
        self.list.get(self.back)
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(n: usize) -> Chunked<usize> {
        let mut c = Chunked::default();
        c.extend(0..n);
        c
    }

    #[test]
    fn indexes_across_chunk_boundaries() {
        let c = filled(CHUNK * 2 + 3);
        assert_eq!(c.len(), CHUNK * 2 + 3);
        for i in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 2 * CHUNK + 2] {
            assert_eq!(c[i], i);
        }
        assert_eq!(c.get(2 * CHUNK + 3), None);
        assert_eq!(c.last(), Some(&(2 * CHUNK + 2)));
    }

    #[test]
    fn iterates_forward_backward_and_from_an_offset() {
        let c = filled(CHUNK + 10);
        assert!(c.iter().copied().eq(0..CHUNK + 10));
        assert!(c.iter().rev().copied().eq((0..CHUNK + 10).rev()));
        assert_eq!(c.iter().len(), CHUNK + 10);
        assert!(c.range(CHUNK - 2..).copied().eq(CHUNK - 2..CHUNK + 10));
        assert!(c.range(..=3).copied().eq(0..=3));
        assert!(c.range(CHUNK + 20..).next().is_none(), "a range past the end is empty");
        assert_eq!(c.iter().rposition(|&v| v == 3), Some(3));
    }

    #[test]
    fn split_off_then_extend_restores_the_list() {
        for cut in [0, 5, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 7] {
            let mut c = filled(3 * CHUNK + 7);
            let tail = c.split_off(cut);
            assert_eq!(c.len(), cut);
            assert!(c.iter().copied().eq(0..cut), "prefix after cut {cut}");
            assert!(tail.iter().copied().eq(cut..3 * CHUNK + 7), "tail after cut {cut}");
            c.push(usize::MAX);
            assert_eq!(c[cut], usize::MAX);
            c.split_off(cut);
            c.extend(tail);
            assert!(c.iter().copied().eq(0..3 * CHUNK + 7), "restored after cut {cut}");
        }
    }
}
