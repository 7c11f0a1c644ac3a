//! Counts of distinct γ patterns: what training runs on instead of every pair.

use crate::compare::Gamma;
use ahash::AHashMap;

/// Distinct γ patterns with their counts, sorted by γ.
///
/// A million candidate pairs typically hold a few hundred or thousand distinct
/// patterns; EM and u estimation run over these, weighted by count. Sorted storage
/// makes every computation over it deterministic.
///
/// ```
/// use sameas::Gamma;
/// use sameas::model::PatternCounts;
/// let p: PatternCounts = [Gamma(2), Gamma(1), Gamma(2)].into_iter().collect();
/// assert_eq!(p.as_slice(), &[(Gamma(1), 1), (Gamma(2), 2)]);
/// assert_eq!(p.total(), 3);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(from = "Vec<(Gamma, u64)>", into = "Vec<(Gamma, u64)>")
)]
pub struct PatternCounts {
    patterns: Vec<(Gamma, u64)>,
    total: u64,
}

impl From<PatternCounts> for Vec<(Gamma, u64)> {
    fn from(p: PatternCounts) -> Self {
        p.patterns
    }
}

impl From<Vec<(Gamma, u64)>> for PatternCounts {
    fn from(v: Vec<(Gamma, u64)>) -> Self {
        PatternCounts::from_weighted(v)
    }
}

impl FromIterator<Gamma> for PatternCounts {
    fn from_iter<I: IntoIterator<Item = Gamma>>(iter: I) -> Self {
        PatternCounts::from_weighted(iter.into_iter().map(|g| (g, 1)))
    }
}

impl PatternCounts {
    /// Empty counts.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts from `(γ, count)` items; repeated γ are merged, zero counts dropped,
    /// counts saturate at `u64::MAX`.
    pub fn from_weighted<I: IntoIterator<Item = (Gamma, u64)>>(iter: I) -> Self {
        let mut map: AHashMap<Gamma, u64> = AHashMap::new();
        for (g, n) in iter {
            if n > 0 {
                let e = map.entry(g).or_insert(0);
                *e = e.saturating_add(n);
            }
        }
        let mut patterns: Vec<(Gamma, u64)> = map.into_iter().collect();
        patterns.sort_unstable();
        let total = patterns
            .iter()
            .fold(0u64, |acc, &(_, n)| acc.saturating_add(n));
        PatternCounts { patterns, total }
    }

    /// Merges another set of counts into this one.
    pub fn merge(&mut self, other: &PatternCounts) {
        let merged = PatternCounts::from_weighted(
            self.patterns.iter().chain(other.patterns.iter()).copied(),
        );
        *self = merged;
    }

    /// `(γ, count)` sorted by γ.
    pub fn as_slice(&self) -> &[(Gamma, u64)] {
        &self.patterns
    }

    /// Iterates over `(γ, count)` sorted by γ.
    pub fn iter(&self) -> impl Iterator<Item = (Gamma, u64)> + '_ {
        self.patterns.iter().copied()
    }

    /// Number of distinct patterns.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// Whether there are no patterns.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Number of pairs counted (sum of counts, saturating).
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Count of pattern `g` (0 if absent).
    pub fn count(&self, g: Gamma) -> u64 {
        self.patterns
            .binary_search_by_key(&g, |&(p, _)| p)
            .map(|i| self.patterns[i].1)
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_and_sorts() {
        let mut p = PatternCounts::from_weighted([(Gamma(5), 2), (Gamma(1), 0), (Gamma(5), 3)]);
        assert_eq!(p.as_slice(), &[(Gamma(5), 5)]);
        p.merge(&[Gamma(3), Gamma(9)].into_iter().collect());
        assert_eq!(p.as_slice(), &[(Gamma(3), 1), (Gamma(5), 5), (Gamma(9), 1)]);
        assert_eq!((p.total(), p.count(Gamma(5)), p.count(Gamma(4))), (7, 5, 0));
        let sat = PatternCounts::from_weighted([(Gamma(1), u64::MAX), (Gamma(2), 5)]);
        assert_eq!(sat.total(), u64::MAX);
    }
}
