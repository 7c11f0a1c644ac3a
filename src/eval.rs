//! Evaluation against ground truth: pairwise and B-cubed precision / recall / F1,
//! and tables comparing match strategies.
//!
//! Clusterings are given as one label per record (same index in both slices); labels
//! are opaque (only equality matters). Counting is linear in the number of records
//! (contingency counts), never quadratic.
//!
//! Conventions for empty cases, so that no metric is ever NaN:
//! precision is 1 when nothing was predicted (no false positives were made), recall
//! is 1 when there is nothing to find, and F1 is 0 when precision and recall are both 0.

use crate::error::{Error, ErrorKind, Result};
use ahash::AHashMap;
use std::fmt::Write as _;
use std::hash::Hash;

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

/// Size of each label's cluster.
fn sizes<K: Hash + Eq + Copy>(labels: impl Iterator<Item = K>) -> AHashMap<K, u64> {
    let mut sizes = AHashMap::new();
    for label in labels {
        *sizes.entry(label).or_insert(0u64) += 1;
    }
    sizes
}

/// Sum of C(size, 2) over clusters (order-free: integer sums).
fn pairs_within<K>(sizes: &AHashMap<K, u64>) -> u64 {
    sizes
        .values()
        .fold(0u64, |acc, &n| acc.saturating_add(pairs(n)))
}

/// Pairwise metrics of a predicted clustering against the true one.
///
/// `predicted[i]` and `truth[i]` are the cluster labels of record `i`. Runs in O(n):
/// pairs predicted together are Σ C(size, 2) over predicted clusters, true pairs the
/// same over true clusters, and true positives the same over (predicted, true) cells.
/// Fails with [`ErrorKind::InvalidConfig`] when the slices differ in length.
///
/// ```
/// use sameas::pairwise_from_clusters;
/// // Truth: {0,1,2} {3}; predicted: {0,1} {2,3}.
/// let m = pairwise_from_clusters(&[7, 7, 8, 8], &[1, 1, 1, 2])?;
/// assert_eq!((m.true_positives, m.false_positives, m.false_negatives), (1, 1, 2));
/// assert_eq!((m.precision, m.recall), (0.5, 1.0 / 3.0));
/// # Ok::<(), sameas::Error>(())
/// ```
pub fn pairwise_from_clusters(predicted: &[u64], truth: &[u64]) -> Result<PairwiseMetrics> {
    check_lengths(predicted.len(), truth.len())?;
    let predicted_pairs = pairs_within(&sizes(predicted.iter().copied()));
    let true_pairs = pairs_within(&sizes(truth.iter().copied()));
    let tp = pairs_within(&sizes(predicted.iter().copied().zip(truth.iter().copied())));
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
/// use sameas::pairwise_from_pairs;
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
    let true_pairs = pairs_within(&sizes(truth.iter().copied()));
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
/// record order so the result is bit-for-bit reproducible. O(n) with hash maps. Both
/// are 1 for no records. Fails with [`ErrorKind::InvalidConfig`] when the slices
/// differ in length.
///
/// ```
/// use sameas::bcubed;
/// // Truth: {0,1,2} {3}; predicted: {0,1} {2,3}.
/// let m = bcubed(&[7, 7, 8, 8], &[1, 1, 1, 2])?;
/// assert!((m.precision - 0.75).abs() < 1e-12); // (1 + 1 + 1/2 + 1/2) / 4
/// assert!((m.recall - 2.0 / 3.0).abs() < 1e-12); // (2/3 + 2/3 + 1/3 + 1) / 4
/// # Ok::<(), sameas::Error>(())
/// ```
pub fn bcubed(predicted: &[u64], truth: &[u64]) -> Result<ClusterMetrics> {
    check_lengths(predicted.len(), truth.len())?;
    if predicted.is_empty() {
        return Ok(ClusterMetrics {
            precision: 1.0,
            recall: 1.0,
            f1: 1.0,
        });
    }
    let predicted_sizes = sizes(predicted.iter().copied());
    let true_sizes = sizes(truth.iter().copied());
    let cells = sizes(predicted.iter().copied().zip(truth.iter().copied()));
    let mut precision_sum = 0.0;
    let mut recall_sum = 0.0;
    for (&p, &t) in predicted.iter().zip(truth) {
        // Every label was counted above, so the lookups cannot miss; 1 keeps it total.
        let both = cells.get(&(p, t)).copied().unwrap_or(1) as f64;
        let in_p = predicted_sizes.get(&p).copied().unwrap_or(1) as f64;
        let in_t = true_sizes.get(&t).copied().unwrap_or(1) as f64;
        precision_sum += both / in_p;
        recall_sum += both / in_t;
    }
    let n = predicted.len() as f64;
    let precision = precision_sum / n;
    let recall = recall_sum / n;
    Ok(ClusterMetrics {
        precision,
        recall,
        f1: f1(precision, recall),
    })
}

/// One match strategy's result on a data set, a row of the comparison table.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StrategyRow {
    /// The strategy's name (e.g. "exact keys", "Fellegi-Sunter + EM").
    pub name: String,
    /// Precision (pairwise or cluster, as the table's caption says).
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
    /// How many record pairs the strategy compared.
    pub pairs_compared: u64,
    /// Wall-clock time of the strategy, in seconds.
    pub seconds: f64,
}

const HEADERS: [&str; 6] = [
    "strategy",
    "precision",
    "recall",
    "F1",
    "pairs compared",
    "seconds",
];

/// The cells of one row as text: metrics to 4 decimals, pairs with thousands
/// separators, seconds to 3 decimals.
fn cells(row: &StrategyRow) -> [String; 6] {
    [
        row.name.clone(),
        format!("{:.4}", row.precision),
        format!("{:.4}", row.recall),
        format!("{:.4}", row.f1),
        thousands(row.pairs_compared),
        format!("{:.3}", row.seconds),
    ]
}

/// `1234567` → `"1,234,567"`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Pads `text` to `width` characters, left- or right-aligned.
fn pad(out: &mut String, text: &str, width: usize, left: bool) {
    let fill = width.saturating_sub(text.chars().count());
    if !left {
        out.extend(std::iter::repeat(' ').take(fill));
    }
    out.push_str(text);
    if left {
        out.extend(std::iter::repeat(' ').take(fill));
    }
}

/// The rows as an aligned plain-text table (names left-aligned, numbers
/// right-aligned, a dashed rule under the header), one line per row, for terminals.
///
/// ```
/// use sameas::{format_strategy_table, StrategyRow};
/// let rows = [StrategyRow { name: "exact keys".into(), precision: 0.99, recall: 0.5,
///     f1: 0.6644, pairs_compared: 1234, seconds: 0.01 }];
/// let table = format_strategy_table(&rows);
/// assert!(table.lines().nth(2).unwrap().starts_with("exact keys     0.9900"));
/// assert!(table.contains("1,234"));
/// ```
pub fn format_strategy_table(rows: &[StrategyRow]) -> String {
    let body: Vec<[String; 6]> = rows.iter().map(cells).collect();
    let mut widths = HEADERS.map(|h| h.chars().count());
    for row in &body {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: &[&str]| {
        let mut text = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            pad(&mut text, cell, width, i == 0);
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&mut out, &HEADERS);
    let rules: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
    line(
        &mut out,
        &rules.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    for row in &body {
        line(
            &mut out,
            &row.iter().map(String::as_str).collect::<Vec<_>>(),
        );
    }
    out
}

/// The rows as a GitHub-flavoured Markdown table (numbers right-aligned), for the
/// README; `|` in names is escaped.
///
/// ```
/// use sameas::{format_strategy_table_markdown, StrategyRow};
/// let rows = [StrategyRow { name: "a|b".into(), precision: 1.0, recall: 1.0,
///     f1: 1.0, pairs_compared: 10, seconds: 0.5 }];
/// let md = format_strategy_table_markdown(&rows);
/// assert_eq!(md.lines().nth(2), Some("| a\\|b | 1.0000 | 1.0000 | 1.0000 | 10 | 0.500 |"));
/// ```
pub fn format_strategy_table_markdown(rows: &[StrategyRow]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "| {} |", HEADERS.join(" | "));
    out.push_str("|---|--:|--:|--:|--:|--:|\n");
    for row in rows {
        let mut cells = cells(row);
        cells[0] = cells[0].replace('|', "\\|").replace('\n', " ");
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(123_456_789), "123,456,789");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn text_table_is_aligned() {
        let rows = [
            StrategyRow {
                name: "exact keys".into(),
                precision: 1.0,
                recall: 0.41234,
                f1: 0.584,
                pairs_compared: 1_234_567,
                seconds: 0.0123,
            },
            StrategyRow {
                name: "Fellegi–Sunter + EM + TF".into(),
                precision: 0.99,
                recall: 0.98,
                f1: 0.985,
                pairs_compared: 12,
                seconds: 12.5,
            },
        ];
        let table = format_strategy_table(&rows);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[0].starts_with("strategy "));
        assert!(lines[1].starts_with("------------------------  ---------"));
        assert!(lines[2].contains("1,234,567") && lines[2].contains("0.4123"));
        // Every line ends at the same column (right-aligned last column), in chars.
        let width = lines[0].chars().count();
        assert!(lines.iter().all(|l| l.chars().count() == width), "{table}");
        // Numbers line up: the precision column ends at the same place.
        let end = |l: &str, pat: &str| l.find(pat).map(|i| l[..i].chars().count() + pat.len());
        assert_eq!(end(lines[0], "precision"), end(lines[2], "1.0000"));
        assert_eq!(end(lines[0], "precision"), end(lines[3], "0.9900"));
        assert!(lines[3].ends_with("12.500"));

        let md = format_strategy_table_markdown(&rows);
        assert_eq!(md.lines().count(), 4);
        assert_eq!(
            md.lines().next(),
            Some("| strategy | precision | recall | F1 | pairs compared | seconds |")
        );
        assert!(md.contains("| exact keys | 1.0000 | 0.4123 | 0.5840 | 1,234,567 | 0.012 |"));
        assert_eq!(format_strategy_table(&[]).lines().count(), 2);
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
