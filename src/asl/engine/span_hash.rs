//! A hasher for maps keyed by definition spans.

/// Keys here are spans, chosen by the definition, not by an attacker: a multiply-shift hash is
/// enough, and SipHash showed up in the per-stage cost.
#[derive(Clone, Copy, Default)]
pub(crate) struct SpanHash;

impl std::hash::BuildHasher for SpanHash {
    type Hasher = SpanHasher;
    fn build_hasher(&self) -> SpanHasher {
        SpanHasher(0)
    }
}

pub(crate) struct SpanHasher(u64);

impl std::hash::Hasher for SpanHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(n)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}
