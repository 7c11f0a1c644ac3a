//! Term-frequency tables: how often each value (by hash) occurs, per comparison.

use ahash::AHashMap;

/// Counts of value hashes for one comparison, updatable incrementally.
///
/// Holds `count(v)` per value hash, the total and Σ count², so that the frequency of
/// a value and Σ pᵥ² (the exact u of an exact-match level) are O(1). Removing a value
/// (erasure) lowers its count and drops the entry at zero. Serializes as a sorted list
/// of `(hash, count)`, so the output does not depend on hash-map order.
///
/// ```
/// use sameas::model::TfTable;
/// let mut t = TfTable::new();
/// for h in [1, 1, 1, 2] { t.add(h); }
/// assert_eq!(t.frequency(1), Some(0.75));
/// // Σ p² = 0.75² + 0.25²: the chance two random values agree
/// assert_eq!(t.sum_p_squared(), Some(0.625));
/// assert!(t.remove(2));
/// assert_eq!(t.frequency(2), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "TfTableData", into = "TfTableData")
)]
pub struct TfTable {
    counts: AHashMap<u64, u64>,
    total: u64,
    sum_sq: u128,
}

/// Serialized form of a [`TfTable`]: `(hash, count)` sorted by hash, counts > 0.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(crate) struct TfTableData {
    /// `(value hash, count)`, sorted by hash, no duplicates, no zero counts.
    pub counts: Vec<(u64, u64)>,
}

impl From<TfTable> for TfTableData {
    fn from(t: TfTable) -> Self {
        TfTableData { counts: t.sorted() }
    }
}

impl TryFrom<TfTableData> for TfTable {
    type Error = crate::Error;
    fn try_from(d: TfTableData) -> crate::Result<TfTable> {
        let mut t = TfTable::new();
        for (h, n) in d.counts {
            if n == 0 || t.counts.contains_key(&h) {
                return Err(crate::Error::new(
                    crate::ErrorKind::Parse,
                    format!("term-frequency table: zero or duplicate count for hash {h:#x}"),
                ));
            }
            t.add_count(h, n)
                .map_err(|e| crate::Error::new(crate::ErrorKind::Parse, e.message()))?;
        }
        Ok(t)
    }
}

impl TfTable {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one more occurrence of `hash` (ignored if the total would overflow u64).
    pub fn add(&mut self, hash: u64) {
        // The total cannot realistically reach u64::MAX one call at a time; if it
        // would, the table is left unchanged rather than wrapping.
        let _ = self.add_count(hash, 1);
    }

    /// Counts `n` more occurrences of `hash`; fails (changing nothing) if the total
    /// would overflow `u64`.
    pub fn add_count(&mut self, hash: u64, n: u64) -> crate::Result<()> {
        if n == 0 {
            return Ok(());
        }
        let total = self.total.checked_add(n).ok_or_else(|| {
            crate::Error::new(
                crate::ErrorKind::InvalidConfig,
                "term-frequency total overflows u64",
            )
        })?;
        let c = self.counts.entry(hash).or_insert(0);
        let old = u128::from(*c);
        *c += n; // ≤ total, cannot overflow
        let new = u128::from(*c);
        self.sum_sq = self.sum_sq - old * old + new * new;
        self.total = total;
        Ok(())
    }

    /// Removes one occurrence of `hash` (erasure); the entry disappears at zero.
    /// Returns `false` (changing nothing) if the value was not counted.
    pub fn remove(&mut self, hash: u64) -> bool {
        let Some(c) = self.counts.get_mut(&hash) else {
            return false;
        };
        let old = u128::from(*c);
        *c -= 1; // entries are never 0
        let new = u128::from(*c);
        self.sum_sq = self.sum_sq - old * old + new * new;
        self.total -= 1;
        if *c == 0 {
            self.counts.remove(&hash);
        }
        true
    }

    /// How many times `hash` was counted (0 if never).
    pub fn count(&self, hash: u64) -> u64 {
        self.counts.get(&hash).copied().unwrap_or(0)
    }

    /// Relative frequency of `hash` in [0, 1]; `None` if the value is not counted.
    pub fn frequency(&self, hash: u64) -> Option<f64> {
        let c = *self.counts.get(&hash)?;
        Some(c as f64 / self.total as f64)
    }

    /// Number of counted occurrences.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Number of distinct values.
    pub fn distinct(&self) -> usize {
        self.counts.len()
    }

    /// Whether nothing is counted.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Σ pᵥ²: the probability that two values drawn at random (with replacement) from
    /// this table agree — the exact u of an exact-match level within one source, no
    /// sampling needed. Computed from integer counts, so it is exact up to one final
    /// division and independent of insertion order. `None` when the table is empty.
    pub fn sum_p_squared(&self) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        let t = self.total as f64;
        Some(self.sum_sq as f64 / (t * t))
    }

    /// Σ pᵥ·qᵥ with `other`'s frequencies q: the exact u of an exact-match level for
    /// pairs across two sources. `None` when either table is empty.
    pub fn cross_p_q(&self, other: &TfTable) -> Option<f64> {
        if self.total == 0 || other.total == 0 {
            return None;
        }
        let (small, large) = if self.counts.len() <= other.counts.len() {
            (self, other)
        } else {
            (other, self)
        };
        // Integer sum: exact and independent of iteration order. Each product is
        // < 2^128 only if counts < 2^64, true; the sum saturates rather than wraps.
        let dot = small.counts.iter().fold(0u128, |acc, (h, &c)| {
            acc.saturating_add(u128::from(c) * u128::from(large.count(*h)))
        });
        Some(dot as f64 / (self.total as f64 * other.total as f64))
    }

    /// `(hash, count)` pairs sorted by hash.
    pub fn sorted(&self) -> Vec<(u64, u64)> {
        let mut v: Vec<(u64, u64)> = self.counts.iter().map(|(&h, &c)| (h, c)).collect();
        v.sort_unstable();
        v
    }
}

/// How many counted records name each distinct person (a name with its birth date,
/// postcode and city): the first record of a person counts its name tokens, the others
/// do not (see [`TermFrequencies`]).
///
/// People are told apart by a 64-bit hash of those values, as values are in a
/// [`TfTable`]. Serializes as a sorted list of `(hash, records)`.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "Vec<(u64, u32)>", into = "Vec<(u64, u32)>")
)]
pub(crate) struct NameCounts {
    counts: AHashMap<u64, u32>,
}

impl NameCounts {
    /// One more record named `key`: `true` when it is the first.
    pub(crate) fn add(&mut self, key: u64) -> bool {
        let n = self.counts.entry(key).or_insert(0);
        *n = n.saturating_add(1);
        *n == 1
    }

    /// One record named `key` fewer: `true` when it was the last (or unknown).
    pub(crate) fn remove(&mut self, key: u64) -> bool {
        match self.counts.get_mut(&key) {
            Some(n) if *n > 1 => {
                *n -= 1;
                false
            }
            _ => {
                self.counts.remove(&key);
                true
            }
        }
    }
}

impl From<NameCounts> for Vec<(u64, u32)> {
    fn from(n: NameCounts) -> Self {
        let mut v: Vec<(u64, u32)> = n.counts.into_iter().collect();
        v.sort_unstable();
        v
    }
}

impl TryFrom<Vec<(u64, u32)>> for NameCounts {
    type Error = crate::Error;
    fn try_from(v: Vec<(u64, u32)>) -> crate::Result<NameCounts> {
        let mut counts = AHashMap::with_capacity(v.len());
        for (key, n) in v {
            if n == 0 || counts.insert(key, n).is_some() {
                return Err(crate::Error::new(
                    crate::ErrorKind::Parse,
                    format!("name counts: zero or duplicate count for name {key:#x}"),
                ));
            }
        }
        Ok(NameCounts { counts })
    }
}

/// One [`TfTable`] per comparison of a model, indexed like γ.
///
/// A [`ProfileGraph`](crate::ProfileGraph) counts the tokens of name comparisons
/// (the given or family name, the tokens of a full name) once per person, not once per
/// record — a person being a distinct name with its birth date, postcode and city,
/// which one person's records share and namesakes mostly do not (a record with none
/// of those counts as a person of its own): the chance that *another* person shares a name
/// is what a frequency stands for, and a prolific person's hundred records would
/// otherwise make their own rare name look common (an inventor with 700 patents, a
/// customer re-imported from every system). Other comparisons count every record's
/// values.
///
/// ```
/// use sameas::model::TermFrequencies;
/// let mut tf = TermFrequencies::new(2);
/// tf.add(1, 42);
/// tf.add(1, 42);
/// tf.add(1, 7);
/// assert_eq!(tf.frequency(1, 7), Some(1.0 / 3.0));
/// assert_eq!(tf.frequency(0, 7), None);
/// assert_eq!(tf.exact_u(), vec![None, Some(5.0 / 9.0)]);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TermFrequencies {
    tables: Vec<TfTable>,
    /// Records per distinct person, for counting name tokens once per person.
    #[cfg_attr(feature = "serde", serde(default))]
    pub(crate) names: NameCounts,
}

impl TermFrequencies {
    /// Empty tables for `comparisons` comparisons.
    pub fn new(comparisons: usize) -> Self {
        TermFrequencies {
            tables: vec![TfTable::new(); comparisons],
            names: NameCounts::default(),
        }
    }

    /// Number of comparisons (tables).
    pub fn len(&self) -> usize {
        self.tables.len()
    }

    /// Whether there are no tables.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }

    /// The table of comparison `c`.
    pub fn table(&self, c: usize) -> Option<&TfTable> {
        self.tables.get(c)
    }

    /// The table of comparison `c`, for updates.
    pub fn table_mut(&mut self, c: usize) -> Option<&mut TfTable> {
        self.tables.get_mut(c)
    }

    /// Counts `hash` for comparison `c`; returns `false` if there is no such comparison.
    pub fn add(&mut self, c: usize, hash: u64) -> bool {
        self.tables.get_mut(c).map(|t| t.add(hash)).is_some()
    }

    /// Removes one count of `hash` for comparison `c` (erasure); `false` if absent.
    pub fn remove(&mut self, c: usize, hash: u64) -> bool {
        self.tables.get_mut(c).is_some_and(|t| t.remove(hash))
    }

    /// Relative frequency of `hash` for comparison `c`.
    pub fn frequency(&self, c: usize, hash: u64) -> Option<f64> {
        self.tables.get(c).and_then(|t| t.frequency(hash))
    }

    /// Σ p² per comparison (`None` for empty tables): pass to
    /// [`Model::estimate_u`](crate::Model::estimate_u) as exact u of exact levels.
    pub fn exact_u(&self) -> Vec<Option<f64>> {
        self.tables.iter().map(TfTable::sum_p_squared).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_counted_from_its_first_record_to_its_last() {
        let mut n = NameCounts::default();
        assert!(n.add(7));
        assert!(!n.add(7));
        assert!(n.add(8));
        assert!(!n.remove(7));
        assert!(n.remove(7));
        assert!(n.remove(8));
        assert_eq!(n, NameCounts::default());
    }

    #[test]
    fn name_counts_serialize_sorted_and_refuse_zero_or_repeated_names() {
        let mut n = NameCounts::default();
        for key in [9, 3, 9, 5] {
            n.add(key);
        }
        let sorted: Vec<(u64, u32)> = n.clone().into();
        assert_eq!(sorted, vec![(3, 1), (5, 1), (9, 2)]);
        assert_eq!(NameCounts::try_from(sorted).unwrap(), n);
        assert!(NameCounts::try_from(vec![(3, 0)]).is_err());
        assert!(NameCounts::try_from(vec![(3, 1), (3, 2)]).is_err());
    }

    #[test]
    fn counts_frequencies_and_erasure() {
        let mut t = TfTable::new();
        for h in [5, 5, 9, 5, 3] {
            t.add(h);
        }
        assert_eq!((t.total(), t.distinct(), t.count(5)), (5, 3, 3));
        assert_eq!(t.frequency(5), Some(0.6));
        // (9 + 1 + 1) / 25
        assert_eq!(t.sum_p_squared(), Some(11.0 / 25.0));
        assert!(t.remove(9));
        assert!(!t.remove(9));
        assert_eq!(t.distinct(), 2);
        assert_eq!(t.sum_p_squared(), Some(10.0 / 16.0));
        assert!(t.remove(3));
        for _ in 0..3 {
            assert!(t.remove(5));
        }
        assert!(t.is_empty());
        assert_eq!(t.sum_p_squared(), None);
        assert_eq!(t, TfTable::new());
    }

    #[test]
    fn cross_p_q_is_the_agreement_chance_across_sources() {
        let mut a = TfTable::new();
        let mut b = TfTable::new();
        for h in [1, 1, 2, 3] {
            a.add(h);
        }
        for h in [1, 2, 2, 2, 4] {
            b.add(h);
        }
        // (2*1 + 1*3) / (4*5)
        assert_eq!(a.cross_p_q(&b), Some(5.0 / 20.0));
        assert_eq!(b.cross_p_q(&a), Some(5.0 / 20.0));
        assert_eq!(a.cross_p_q(&TfTable::new()), None);
    }

    #[test]
    fn order_of_insertion_does_not_matter() {
        let mut a = TfTable::new();
        let mut b = TfTable::new();
        let hs: Vec<u64> = (0..1000u64).map(|i| (i * 7919) % 97).collect();
        hs.iter().for_each(|&h| a.add(h));
        hs.iter().rev().for_each(|&h| b.add(h));
        assert_eq!(a.sorted(), b.sorted());
        assert_eq!(a.sum_p_squared(), b.sum_p_squared());
        assert!(a.sorted().windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serializes_sorted_and_round_trips() {
        let mut t = TfTable::new();
        for h in [30, 10, 20, 10] {
            t.add(h);
        }
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"counts":[[10,2],[20,1],[30,1]]}"#);
        let back: TfTable = serde_json::from_str(&json).unwrap();
        assert_eq!(back, t);
        assert_eq!(back.sum_p_squared(), t.sum_p_squared());
        assert!(serde_json::from_str::<TfTable>(r#"{"counts":[[1,0]]}"#).is_err());
        assert!(serde_json::from_str::<TfTable>(r#"{"counts":[[1,2],[1,3]]}"#).is_err());
    }
}
