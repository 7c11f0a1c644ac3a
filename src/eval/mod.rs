//! Evaluation against ground truth: pairwise and B-cubed precision / recall / F1,
//! of any clustering ([`pairwise_from_clusters`], [`bcubed`]) or of a resolved
//! [`ProfileGraph`](crate::ProfileGraph) at once ([`Evaluation::of`]).
//!
//! Clusterings are given as one label per record (same index in both slices); labels
//! are opaque (only equality matters). Counting sorts the records by label
//! (contingency counts from runs, O(n log n)), never pairs them.
//!
//! Conventions for empty cases, so that no metric is ever NaN:
//! precision is 1 when nothing was predicted (no false positives were made), recall
//! is 1 when there is nothing to find, and F1 is 0 when precision and recall are both 0.

use crate::error::{Error, ErrorKind, Result};
use ahash::AHashMap;
use std::hash::Hash;

mod graph;

pub use graph::placements;

/// Pairwise metrics: every unordered pair of records is a decision "same / not same".
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PairwiseMetrics {
    /// Pairs predicted together that are together in the truth.
    pub true_positives: u64,
    /// Pairs predicted together that are apart in the truth.
    pub false_positives: u64,
    /// Pairs together in the truth that were not predicted together.
    pub false_negatives: u64,
    /// TP / (TP + FP); 1 when nothing was predicted.
    pub precision: f64,
    /// TP / (TP + FN); 1 when the truth holds no pair.
    pub recall: f64,
    /// Harmonic mean of precision and recall; 0 when both are 0.
    pub f1: f64,
}

impl PairwiseMetrics {
    /// Metrics from the three counts (with the empty-case conventions of this module).
    pub fn from_counts(true_positives: u64, false_positives: u64, false_negatives: u64) -> Self {
        let precision = ratio(
            true_positives,
            true_positives.saturating_add(false_positives),
        );
        let recall = ratio(
            true_positives,
            true_positives.saturating_add(false_negatives),
        );
        PairwiseMetrics {
            true_positives,
            false_positives,
            false_negatives,
            precision,
            recall,
            f1: f1(precision, recall),
        }
    }
}

/// Cluster-level metrics (B-cubed): per-record precision and recall, averaged.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ClusterMetrics {
    /// Mean over records of the share of its predicted cluster that is truly its entity.
    pub precision: f64,
    /// Mean over records of the share of its true entity that is in its predicted cluster.
    pub recall: f64,
    /// Harmonic mean of precision and recall; 0 when both are 0.
    pub f1: f64,
}

/// `num / den`, 1 when `den` is 0 (nothing to get wrong).
fn ratio(num: u64, den: u64) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

/// Harmonic mean, 0 when both are 0.
fn f1(precision: f64, recall: f64) -> f64 {
    let sum = precision + recall;
    if sum > 0.0 {
        2.0 * precision * recall / sum
    } else {
        0.0
    }
}

/// Number of unordered pairs among `n` items, saturating at `u64::MAX`.
fn pairs(n: u64) -> u64 {
    let n = u128::from(n);
    u64::try_from(n * n.saturating_sub(1) / 2).unwrap_or(u64::MAX)
}

fn check_lengths(predicted: usize, truth: usize) -> Result<()> {
    if predicted == truth {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::InvalidConfig,
            format!("{predicted} predicted labels but {truth} truth labels; give one per record"),
        ))
    }
}

/// Record indexes ordered by `(first[i], second[i])`: records of one `first` label are
/// a run, and within it those of one `(first, second)` cell. Sorting (4 bytes a
/// record) instead of counting in hash maps keeps evaluating a million records small.
fn order_by<L: Ord + Copy>(first: &[L], second: &[L]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..first.len() as u32).collect();
    order.sort_unstable_by_key(|&i| (first[i as usize], second[i as usize]));
    order
}

/// Lengths of the runs of equal `key(i)` over positions `0..len`, in order.
fn run_lengths<K: PartialEq>(len: usize, key: impl Fn(usize) -> K) -> impl Iterator<Item = u64> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= len {
            return None;
        }
        let first = key(start);
        let end = (start + 1..len).find(|&i| key(i) != first).unwrap_or(len);
        let run = (end - start) as u64;
        start = end;
        Some(run)
    })
}

/// Sum of C(size, 2) over clusters (order-free: integer sums).
fn pairs_within(sizes: impl Iterator<Item = u64>) -> u64 {
    sizes.fold(0u64, |acc, n| acc.saturating_add(pairs(n)))
}

/// Pairs within the clusters of `labels`.
fn pairs_within_labels<L: Ord + Copy>(labels: &[L]) -> u64 {
    let mut sorted = labels.to_vec();
    sorted.sort_unstable();
    pairs_within(run_lengths(sorted.len(), |i| sorted[i]))
}

/// Pairwise metrics of a predicted clustering against the true one.
///
/// `predicted[i]` and `truth[i]` are the cluster labels of record `i`. Runs in O(n log n):
/// pairs predicted together are Σ C(size, 2) over predicted clusters, true pairs the
/// same over true clusters, and true positives the same over (predicted, true) cells.
/// Fails with [`ErrorKind::InvalidConfig`] when the slices differ in length.
///
/// ```
/// use sameas::eval::pairwise_from_clusters;
/// // Truth: {0,1,2} {3}; predicted: {0,1} {2,3}.
/// let m = pairwise_from_clusters(&[7, 7, 8, 8], &[1, 1, 1, 2])?;
/// assert_eq!((m.true_positives, m.false_positives, m.false_negatives), (1, 1, 2));
/// assert_eq!((m.precision, m.recall), (0.5, 1.0 / 3.0));
/// # Ok::<(), sameas::Error>(())
/// ```
pub fn pairwise_from_clusters(predicted: &[u64], truth: &[u64]) -> Result<PairwiseMetrics> {
    pairwise_of_clusters(predicted, truth)
}

/// [`pairwise_from_clusters`] for labels of any ordered type.
fn pairwise_of_clusters<L: Ord + Copy>(predicted: &[L], truth: &[L]) -> Result<PairwiseMetrics> {
    check_lengths(predicted.len(), truth.len())?;
    let predicted_pairs = pairs_within_labels(predicted);
    let true_pairs = pairs_within_labels(truth);
    let order = order_by(predicted, truth);
    let cell = |i: usize| (predicted[order[i] as usize], truth[order[i] as usize]);
    let tp = pairs_within(run_lengths(order.len(), cell));
    Ok(PairwiseMetrics::from_counts(
        tp,
        predicted_pairs.saturating_sub(tp),
        true_pairs.saturating_sub(tp),
    ))
}

/// Pairwise metrics of a set of predicted matching pairs (e.g. scored pairs above a
/// threshold, before clustering) against the true clustering.
///
/// Pairs are record indexes into `truth`; each unordered pair counts once, however
/// often and in whichever order it is given; a record paired with itself is ignored.
/// The true pairs are counted from `truth` (Σ C(size, 2)). Fails with
/// [`ErrorKind::InvalidConfig`] when a pair names an index outside `truth`.
///
/// ```
/// use sameas::eval::pairwise_from_pairs;
/// let truth = [1, 1, 1, 2];
/// let m = pairwise_from_pairs([(0, 1), (1, 0), (2, 3)], &truth)?;
/// assert_eq!((m.true_positives, m.false_positives, m.false_negatives), (1, 1, 2));
/// # Ok::<(), sameas::Error>(())
/// ```
pub fn pairwise_from_pairs(
    predicted_pairs: impl IntoIterator<Item = (u32, u32)>,
    truth: &[u64],
) -> Result<PairwiseMetrics> {
    let mut unique: Vec<(u32, u32)> = Vec::new();
    for (a, b) in predicted_pairs {
        for i in [a, b] {
            if truth.get(i as usize).is_none() {
                return Err(Error::new(
                    ErrorKind::InvalidConfig,
                    format!(
                        "pair ({a}, {b}) names record {i}, but the truth has {} records",
                        truth.len()
                    ),
                ));
            }
        }
        if a != b {
            unique.push((a.min(b), a.max(b)));
        }
    }
    unique.sort_unstable();
    unique.dedup();
    let same = |&(a, b): &(u32, u32)| truth.get(a as usize) == truth.get(b as usize);
    let tp = unique.iter().filter(|p| same(p)).count() as u64;
    let predicted = unique.len() as u64;
    let true_pairs = pairs_within_labels(truth);
    Ok(PairwiseMetrics::from_counts(
        tp,
        predicted.saturating_sub(tp),
        true_pairs.saturating_sub(tp),
    ))
}

/// B-cubed precision, recall and F1 of a predicted clustering against the true one.
///
/// For record `i` with predicted cluster P and true cluster T: precision is
/// |P ∩ T| / |P|, recall |P ∩ T| / |T|; both are averaged over records, summed in
/// the order of the sorted labels so the result is bit-for-bit reproducible. O(n log n)
/// (a sort of the records, no hash maps). Both
/// are 1 for no records. Fails with [`ErrorKind::InvalidConfig`] when the slices
/// differ in length.
///
/// ```
/// use sameas::eval::bcubed;
/// // Truth: {0,1,2} {3}; predicted: {0,1} {2,3}.
/// let m = bcubed(&[7, 7, 8, 8], &[1, 1, 1, 2])?;
/// assert!((m.precision - 0.75).abs() < 1e-12); // (1 + 1 + 1/2 + 1/2) / 4
/// assert!((m.recall - 2.0 / 3.0).abs() < 1e-12); // (2/3 + 2/3 + 1/3 + 1) / 4
/// # Ok::<(), sameas::Error>(())
/// ```
pub fn bcubed(predicted: &[u64], truth: &[u64]) -> Result<ClusterMetrics> {
    bcubed_of(predicted, truth)
}

/// [`bcubed`] for labels of any ordered type.
fn bcubed_of<L: Ord + Copy>(predicted: &[L], truth: &[L]) -> Result<ClusterMetrics> {
    check_lengths(predicted.len(), truth.len())?;
    if predicted.is_empty() {
        return Ok(ClusterMetrics {
            precision: 1.0,
            recall: 1.0,
            f1: 1.0,
        });
    }
    // Every record of a cell adds |cell| / |cluster|: a cell adds |cell|² / |cluster|.
    let shares = |of: &[L], within: &[L]| {
        let order = order_by(of, within);
        let label = |i: usize| of[order[i] as usize];
        let cell = |i: usize| (of[order[i] as usize], within[order[i] as usize]);
        let mut sum = 0.0;
        let mut at = 0;
        for cluster in run_lengths(order.len(), label) {
            let end = at + cluster as usize;
            for both in run_lengths(end - at, |i| cell(at + i)) {
                sum += (both * both) as f64 / cluster as f64;
            }
            at = end;
        }
        sum
    };
    let precision_sum = shares(predicted, truth);
    let recall_sum = shares(truth, predicted);
    let n = predicted.len() as f64;
    let precision = precision_sum / n;
    let recall = recall_sum / n;
    Ok(ClusterMetrics {
        precision,
        recall,
        f1: f1(precision, recall),
    })
}

/// How a resolved [`ProfileGraph`](crate::ProfileGraph) does against a known truth: the numbers the
/// `resolve` example prints.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Evaluation {
    /// The link threshold the scored pairs were cut at (the graph's
    /// [`Config::threshold`](crate::Config::threshold)).
    pub threshold: f64,
    /// Every compared pair taken as a match: its recall is the blocking recall (the
    /// share of true pairs that were compared at all).
    pub blocking: PairwiseMetrics,
    /// The compared pairs scored at or above the threshold, taken as matches.
    pub scored: PairwiseMetrics,
    /// The pairs within the graph's profiles (after clustering and vetoes).
    pub clusters: PairwiseMetrics,
    /// B-cubed metrics of the profiles.
    pub bcubed: ClusterMetrics,
}

/// One bin of a [`Reliability`] table.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ReliabilityBin {
    /// Lower bound of the bin's probabilities (inclusive).
    pub low: f64,
    /// Upper bound (exclusive, but 1.0 falls in the last bin).
    pub high: f64,
    /// Pairs in the bin.
    pub count: u64,
    /// Mean predicted probability of those pairs (the bin's middle when empty).
    pub mean_predicted: f64,
    /// Share of those pairs that are truly one person (0 when empty).
    pub observed: f64,
}

/// A reliability table of pair probabilities: equal-width probability bins, each with
/// its mean predicted probability and the observed share of true matches. Calibrated
/// probabilities put every bin on the diagonal.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Reliability {
    /// The bins, lowest first.
    pub bins: Vec<ReliabilityBin>,
    /// Expected calibration error: Σ over bins of (count / total) · |observed − mean
    /// predicted|; 0 for no pair.
    pub expected_calibration_error: f64,
}

/// 1.0 in the fixed point probabilities are summed in (2^60: a probability keeps its
/// 52 bits of mantissa down to 2^-8, and 2^68 pairs fit a `u128` sum).
const FIXED_ONE: f64 = (1u64 << 60) as f64;

impl Reliability {
    /// The table of `(probability, truly the same person)` outcomes over `bins`
    /// equal-width bins (at least 1). NaN probabilities are left out.
    ///
    /// ```
    /// use sameas::eval::Reliability;
    /// let r = Reliability::from_outcomes([(0.95, true), (0.85, true), (0.15, false), (0.05, true)], 2);
    /// assert_eq!((r.bins[0].count, r.bins[1].count), (2, 2));
    /// assert_eq!((r.bins[0].observed, r.bins[1].observed), (0.5, 1.0));
    /// assert!((r.expected_calibration_error - (0.5 * 0.4 + 0.5 * 0.1)).abs() < 1e-12);
    /// ```
    pub fn from_outcomes(outcomes: impl IntoIterator<Item = (f64, bool)>, bins: usize) -> Self {
        let mut counts = ReliabilityCounts::new(bins);
        for (p, same) in outcomes {
            counts.add(p, same);
        }
        counts.finish()
    }

    /// The table of scored pairs `(id, id, probability)` (e.g. from
    /// [`ProfileGraph::scored_pairs`](crate::ProfileGraph::scored_pairs)) against the truth: `ids[i]` is a record id and
    /// `truth[i]` its true entity. Pairs naming an id not in `ids` are left out.
    pub fn of<'a, T: Eq + Hash>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str, f64)>,
        ids: &[&str],
        truth: &[T],
        bins: usize,
    ) -> Result<Self> {
        let entity = entity_of(ids, truth)?;
        let outcomes = pairs
            .into_iter()
            .filter_map(|(a, b, p)| Some((p, entity.get(a)? == entity.get(b)?)));
        Ok(Reliability::from_outcomes(outcomes, bins))
    }
}

/// A [`Reliability`] table being counted, one outcome at a time.
pub(crate) struct ReliabilityCounts {
    /// Per bin: pairs, summed probability (fixed point), pairs truly one person.
    sums: Vec<(u64, u128, u64)>,
}

impl ReliabilityCounts {
    /// Empty counts over `bins` equal-width bins (at least 1).
    pub(crate) fn new(bins: usize) -> Self {
        ReliabilityCounts {
            sums: vec![(0, 0, 0); bins.max(1)],
        }
    }

    /// Counts one outcome; a NaN probability is left out. Probabilities are summed as
    /// fixed-point integers: exact, so the table does not depend on the order the
    /// pairs come in (and a graph's pairs need no sorting to give the table of its
    /// sorted list).
    pub(crate) fn add(&mut self, p: f64, same: bool) {
        if p.is_nan() {
            return;
        }
        let n = self.sums.len();
        let p = p.clamp(0.0, 1.0);
        let i = ((p * n as f64) as usize).min(n - 1);
        self.sums[i].0 += 1;
        self.sums[i].1 += (p * FIXED_ONE) as u128;
        self.sums[i].2 += u64::from(same);
    }

    /// The table.
    pub(crate) fn finish(self) -> Reliability {
        let (n, sums) = (self.sums.len(), self.sums);
        let total: u64 = sums.iter().map(|s| s.0).sum();
        let mut ece = 0.0;
        let bins = sums
            .iter()
            .enumerate()
            .map(|(i, &(count, sum, hits))| {
                let (low, high) = (i as f64 / n as f64, (i + 1) as f64 / n as f64);
                let (mean_predicted, observed) = if count == 0 {
                    ((low + high) / 2.0, 0.0)
                } else {
                    (
                        sum as f64 / FIXED_ONE / count as f64,
                        hits as f64 / count as f64,
                    )
                };
                if total > 0 {
                    ece += count as f64 / total as f64 * (observed - mean_predicted).abs();
                }
                ReliabilityBin {
                    low,
                    high,
                    count,
                    mean_predicted,
                    observed,
                }
            })
            .collect();
        Reliability {
            bins,
            expected_calibration_error: ece,
        }
    }
}

impl std::fmt::Display for Reliability {
    /// The table as aligned text: bin, pairs, mean predicted, observed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "  bin          pairs  predicted  observed")?;
        for b in &self.bins {
            writeln!(
                f,
                "  {:.2}-{:.2} {:>9}  {:>9.4}  {:>8.4}",
                b.low, b.high, b.count, b.mean_predicted, b.observed
            )?;
        }
        write!(
            f,
            "  expected calibration error {:.4}",
            self.expected_calibration_error
        )
    }
}

/// Dense entity number per record id; fails on length mismatch or a repeated id.
fn entity_of<'a, T: Eq + Hash>(ids: &[&'a str], truth: &[T]) -> Result<AHashMap<&'a str, u32>> {
    check_lengths(ids.len(), truth.len())?;
    let labels = dense_labels(truth.iter());
    let mut entity = AHashMap::with_capacity(ids.len());
    for (id, l) in ids.iter().zip(labels) {
        if entity.insert(*id, l).is_some() {
            return Err(listed_twice(id));
        }
    }
    Ok(entity)
}

/// The error for a record id given twice.
fn listed_twice(id: &str) -> Error {
    Error::new(
        ErrorKind::InvalidRecord,
        format!("record id {id:?} is listed twice"),
    )
}

/// Area under the ROC curve of `scores` for telling `true` outcomes from `false` ones:
/// the probability that a random `true` scores above a random `false` (ties count
/// half). 0.5 when either class is empty. O(n log n).
///
/// ```
/// use sameas::eval::auc;
/// assert_eq!(auc(&[(0.9, true), (0.8, true), (0.1, false)]), 1.0);
/// assert_eq!(auc(&[(0.5, true), (0.5, false)]), 0.5);
/// assert_eq!(auc(&[(0.2, true), (0.7, false)]), 0.0);
/// ```
pub fn auc(scores: &[(f64, bool)]) -> f64 {
    // Indexes, not a copy of the scores (half the memory at a million records).
    let mut order: Vec<usize> = (0..scores.len())
        .filter(|&i| !scores[i].0.is_nan())
        .collect();
    order.sort_by(|&a, &b| scores[a].0.total_cmp(&scores[b].0));
    let v = |k: usize| scores[order[k]];
    let positives = order.iter().filter(|&&i| scores[i].1).count() as f64;
    let negatives = order.len() as f64 - positives;
    if positives == 0.0 || negatives == 0.0 {
        return 0.5;
    }
    // Mann–Whitney: sum of the positives' ranks, ties sharing their mean rank.
    let (mut rank_sum, mut i) = (0.0, 0);
    for tied in run_lengths(order.len(), |k| v(k).0) {
        let j = i + tied as usize;
        let mean_rank = (i + j + 1) as f64 / 2.0;
        rank_sum += mean_rank * (i..j).filter(|&k| v(k).1).count() as f64;
        i = j;
    }
    (rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives)
}

/// Opaque labels as dense numbers, in order of first appearance.
/// Four bytes a record: more than 2³² distinct labels would need 64 GB of labels
/// alone, so the count never wraps in practice (`Listed` also refuses that many ids).
fn dense_labels<T: Eq + Hash>(labels: impl Iterator<Item = T>) -> Vec<u32> {
    let mut seen: AHashMap<T, u32> = AHashMap::new();
    labels
        .map(|l| {
            let n = seen.len() as u32;
            *seen.entry(l).or_insert(n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The table of a graph's pairs is counted in whatever order they are read.
        #[test]
        fn reliability_does_not_depend_on_the_order(
            outcomes in proptest::collection::vec((0.0f64..=1.0, any::<bool>()), 0..200),
            rotate in 0usize..200,
        ) {
            let table = Reliability::from_outcomes(outcomes.iter().copied(), 10);
            let mut reordered = outcomes.clone();
            reordered.reverse();
            let k = rotate.min(reordered.len());
            reordered.rotate_left(k);
            prop_assert_eq!(&Reliability::from_outcomes(reordered, 10), &table);
            let n: u64 = table.bins.iter().map(|b| b.count).sum();
            prop_assert_eq!(n, outcomes.len() as u64);
            for b in table.bins.iter().filter(|b| b.count > 0) {
                let (sum, count) = outcomes
                    .iter()
                    .filter(|(p, _)| ((p * 10.0) as usize).min(9) == (b.low * 10.0).round() as usize)
                    .fold((0.0, 0u64), |(s, c), (p, _)| (s + p, c + 1));
                prop_assert!((b.mean_predicted - sum / count as f64).abs() < 1e-12);
            }
        }
    }

    fn brute_force(predicted: &[u64], truth: &[u64]) -> (u64, u64, u64) {
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for i in 0..predicted.len() {
            for j in i + 1..predicted.len() {
                match (predicted[i] == predicted[j], truth[i] == truth[j]) {
                    (true, true) => tp += 1,
                    (true, false) => fp += 1,
                    (false, true) => fn_ += 1,
                    (false, false) => {}
                }
            }
        }
        (tp, fp, fn_)
    }

    fn counts(m: &PairwiseMetrics) -> (u64, u64, u64) {
        (m.true_positives, m.false_positives, m.false_negatives)
    }

    #[test]
    fn pairwise_hand_computed() {
        // Truth {0,1,2,3} {4,5}; predicted {0,1,2} {3,4} {5}.
        let truth = [1, 1, 1, 1, 2, 2];
        let predicted = [9, 9, 9, 8, 8, 7];
        let m = pairwise_from_clusters(&predicted, &truth).unwrap();
        // Predicted pairs: 3 + 1 = 4, of which 3 true. True pairs: 6 + 1 = 7.
        assert_eq!(counts(&m), (3, 1, 4));
        assert_eq!(m.precision, 0.75);
        assert_eq!(m.recall, 3.0 / 7.0);
        assert!((m.f1 - 2.0 * 0.75 * (3.0 / 7.0) / (0.75 + 3.0 / 7.0)).abs() < 1e-15);
    }

    #[test]
    fn empty_cases_are_defined() {
        // Nothing predicted, nothing true: perfect.
        let m = pairwise_from_clusters(&[1, 2, 3], &[4, 5, 6]).unwrap();
        assert_eq!((m.precision, m.recall, m.f1), (1.0, 1.0, 1.0));
        // Nothing predicted, pairs to find.
        let m = pairwise_from_clusters(&[1, 2], &[4, 4]).unwrap();
        assert_eq!((m.precision, m.recall, m.f1), (1.0, 0.0, 0.0));
        // Only wrong predictions and nothing to find.
        let m = pairwise_from_clusters(&[1, 1], &[4, 5]).unwrap();
        assert_eq!((m.precision, m.recall, m.f1), (0.0, 1.0, 0.0));
        // Precision and recall both 0: F1 is 0, not NaN.
        let m = PairwiseMetrics::from_counts(0, 3, 2);
        assert_eq!((m.precision, m.recall, m.f1), (0.0, 0.0, 0.0));
        let m = pairwise_from_clusters(&[], &[]).unwrap();
        assert_eq!(m.f1, 1.0);
        let b = bcubed(&[], &[]).unwrap();
        assert_eq!((b.precision, b.recall, b.f1), (1.0, 1.0, 1.0));
    }

    #[test]
    fn mismatched_lengths_are_errors() {
        let e = pairwise_from_clusters(&[1, 2], &[1]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        assert_eq!(
            bcubed(&[1], &[1, 2]).unwrap_err().kind(),
            ErrorKind::InvalidConfig
        );
        let e = pairwise_from_pairs([(0, 2)], &[1, 1]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        assert!(e.message().contains("record 2"), "{e}");
        assert!(pairwise_from_pairs([(u32::MAX, 0)], &[]).is_err());
    }

    #[test]
    fn pairs_count_once_whatever_order_and_self_pairs_are_ignored() {
        let truth = [1, 1, 2, 2, 2];
        // True pairs: 1 + 3 = 4.
        let m =
            pairwise_from_pairs([(1, 0), (0, 1), (0, 1), (2, 3), (3, 3), (1, 4)], &truth).unwrap();
        assert_eq!(counts(&m), (2, 1, 2));
        let none = pairwise_from_pairs(std::iter::empty(), &truth).unwrap();
        assert_eq!(counts(&none), (0, 0, 4));
        assert_eq!(none.precision, 1.0);
    }

    #[test]
    fn bcubed_hand_computed() {
        // Truth {0,1,2,3} {4,5}; predicted {0,1,2} {3,4} {5}.
        let m = bcubed(&[9, 9, 9, 8, 8, 7], &[1, 1, 1, 1, 2, 2]).unwrap();
        // Precision: 1,1,1, 1/2, 1/2, 1 → 5/6. Recall: 3/4 ×3, 1/4, 1/2, 1/2 → 3.5/6.
        assert!((m.precision - 5.0 / 6.0).abs() < 1e-12);
        assert!((m.recall - 3.5 / 6.0).abs() < 1e-12);
        let expected_f1 = 2.0 * (5.0 / 6.0) * (3.5 / 6.0) / (5.0 / 6.0 + 3.5 / 6.0);
        assert!((m.f1 - expected_f1).abs() < 1e-12);
    }

    fn labels() -> impl Strategy<Value = (Vec<u64>, Vec<u64>)> {
        (0usize..40).prop_flat_map(|n| {
            (
                prop::collection::vec(0u64..6, n),
                prop::collection::vec(0u64..6, n),
            )
        })
    }

    fn in_unit(x: f64) -> bool {
        (0.0..=1.0).contains(&x)
    }

    proptest! {
        #[test]
        fn pairwise_matches_brute_force((p, t) in labels()) {
            let m = pairwise_from_clusters(&p, &t).unwrap();
            prop_assert_eq!(counts(&m), brute_force(&p, &t));
            prop_assert!(in_unit(m.precision) && in_unit(m.recall) && in_unit(m.f1));
        }

        #[test]
        fn pairs_of_predicted_clusters_give_the_same_metrics((p, t) in labels()) {
            let mut pairs = Vec::new();
            for i in 0..p.len() {
                for j in 0..p.len() {
                    if p[i] == p[j] {
                        pairs.push((i as u32, j as u32)); // both orders and self pairs
                    }
                }
            }
            let from_pairs = pairwise_from_pairs(pairs, &t).unwrap();
            prop_assert_eq!(from_pairs, pairwise_from_clusters(&p, &t).unwrap());
        }

        #[test]
        fn perfect_prediction_scores_one((_, t) in labels(), offset in 0u64..100) {
            // Relabelled truth is still a perfect prediction.
            let p: Vec<u64> = t.iter().map(|x| x.wrapping_mul(31).wrapping_add(offset)).collect();
            let m = pairwise_from_clusters(&p, &t).unwrap();
            prop_assert_eq!((m.precision, m.recall, m.f1), (1.0, 1.0, 1.0));
            let b = bcubed(&p, &t).unwrap();
            prop_assert_eq!((b.precision, b.recall, b.f1), (1.0, 1.0, 1.0));
        }

        #[test]
        fn bcubed_matches_its_per_record_definition((p, t) in labels()) {
            // |P ∩ T| / |P| and |P ∩ T| / |T| for each record, averaged (O(n²) here).
            let n = p.len();
            let count = |f: &dyn Fn(usize) -> bool| (0..n).filter(|&j| f(j)).count() as f64;
            let (mut precision, mut recall) = (0.0, 0.0);
            for i in 0..n {
                let both = count(&|j| p[j] == p[i] && t[j] == t[i]);
                precision += both / count(&|j| p[j] == p[i]);
                recall += both / count(&|j| t[j] == t[i]);
            }
            let m = bcubed(&p, &t).unwrap();
            if n > 0 {
                prop_assert!((m.precision - precision / n as f64).abs() < 1e-12);
                prop_assert!((m.recall - recall / n as f64).abs() < 1e-12);
            }
        }

        #[test]
        fn bcubed_is_in_unit_range_and_symmetric((p, t) in labels()) {
            let m = bcubed(&p, &t).unwrap();
            prop_assert!(in_unit(m.precision) && in_unit(m.recall) && in_unit(m.f1));
            let swapped = bcubed(&t, &p).unwrap();
            prop_assert_eq!(m.precision, swapped.recall);
            prop_assert_eq!(m.recall, swapped.precision);
            prop_assert_eq!(m.f1.to_bits(), swapped.f1.to_bits());
        }
    }
}
