//! What an execution needs from outside, injected so a run can be replayed exactly: the clock
//! (virtual, advanced by Wait and retries) and a seeded source of randomness (UUIDs,
//! `States.MathRandom`, retry jitter). Nothing here reads the real clock or the OS's entropy.

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// A source of random bits; the engine only ever draws from this.
pub trait Entropy {
    fn next_u64(&mut self) -> u64;

    /// A float uniformly in `[0, 1)`.
    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The default entropy: ChaCha8 from a seed, so the same seed gives the same run.
#[derive(Clone, Debug)]
pub struct SeededEntropy(ChaCha8Rng);

impl SeededEntropy {
    pub fn new(seed: u64) -> SeededEntropy {
        SeededEntropy(ChaCha8Rng::seed_from_u64(seed))
    }
}

impl Entropy for SeededEntropy {
    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
}

/// A random (version 4) UUID in its canonical lowercase form, drawn from `entropy`.
pub fn uuid_v4(entropy: &mut dyn Entropy) -> String {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&entropy.next_u64().to_le_bytes());
    b[8..].copy_from_slice(&entropy.next_u64().to_le_bytes());
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_uuids_and_v4_shape() {
        let (mut a, mut b) = (SeededEntropy::new(7), SeededEntropy::new(7));
        let (u1, u2) = (uuid_v4(&mut a), uuid_v4(&mut b));
        assert_eq!(u1, u2);
        assert_eq!(u1.len(), 36);
        assert_eq!(&u1[14..15], "4");
        assert!(matches!(&u1[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(uuid_v4(&mut a), u1);
    }

    #[test]
    fn floats_are_in_unit_interval() {
        let mut e = SeededEntropy::new(1);
        assert!((0..1000).map(|_| e.next_f64()).all(|f| (0.0..1.0).contains(&f)));
    }
}
