//! γ: a comparison vector packed into one `u64`.

use std::fmt;

/// The most comparisons one γ holds.
pub const MAX_COMPARISONS: usize = 16;
/// The most levels one comparison may have, counting the null level 0.
pub const MAX_LEVELS: usize = 16;

/// A comparison vector: one level index (0..16) per comparison, 4 bits each.
///
/// Level 0 of every comparison is *null* (a value missing on either side, neutral
/// evidence); level 1 is the most similar level; the last level is the comparison's
/// "else". Packing the vector into a `u64` makes edges small (8 bytes), patterns
/// cheap to hash and count, and re-scoring a table lookup.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Gamma(pub u64);

impl Gamma {
    /// The level of comparison `i` (`i < MAX_COMPARISONS`).
    #[inline]
    pub fn level(self, i: usize) -> u8 {
        debug_assert!(i < MAX_COMPARISONS);
        ((self.0 >> (4 * i)) & 0xF) as u8
    }

    /// Returns a copy with comparison `i` set to `level` (`level < 16`).
    #[inline]
    pub fn with_level(self, i: usize, level: u8) -> Gamma {
        debug_assert!(i < MAX_COMPARISONS && (level as usize) < MAX_LEVELS);
        let shift = 4 * i;
        Gamma((self.0 & !(0xF << shift)) | (u64::from(level & 0xF) << shift))
    }

    /// Builds a γ from a slice of levels (at most [`MAX_COMPARISONS`]).
    pub fn from_levels(levels: &[u8]) -> Gamma {
        levels
            .iter()
            .take(MAX_COMPARISONS)
            .enumerate()
            .fold(Gamma(0), |g, (i, &l)| g.with_level(i, l))
    }

    /// The first `n` levels as a vector.
    pub fn levels(self, n: usize) -> Vec<u8> {
        (0..n.min(MAX_COMPARISONS)).map(|i| self.level(i)).collect()
    }
}

impl fmt::Debug for Gamma {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Gamma({:016x})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_round_trip() {
        let g = Gamma::from_levels(&[3, 0, 15, 1]);
        assert_eq!(g.levels(4), vec![3, 0, 15, 1]);
        assert_eq!(g.with_level(2, 4).level(2), 4);
        assert_eq!(g.with_level(2, 4).level(0), 3);
    }
}
