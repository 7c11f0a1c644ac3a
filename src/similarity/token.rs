//! Set similarities of sorted, deduplicated token hashes (linear merge).

use std::cmp::Ordering;

/// Size of the intersection of two sorted slices, by a linear merge.
#[inline]
fn intersection_len(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common
}

/// Jaccard similarity `|A ∩ B| / |A ∪ B|` of two sorted, deduplicated
/// token-hash sets: in [0, 1], 1.0 when both are empty.
///
/// Linear time, no allocation. Unsorted input gives a meaningless (but still
/// in-range) value.
///
/// ```
/// assert_eq!(sameas::similarity::jaccard_sorted(&[1, 2, 3], &[2, 3, 4]), 0.5);
/// assert_eq!(sameas::similarity::jaccard_sorted(&[], &[]), 1.0);
/// ```
pub fn jaccard_sorted(a: &[u64], b: &[u64]) -> f64 {
    let common = intersection_len(a, b);
    let union = a.len() + b.len() - common;
    if union == 0 {
        1.0
    } else {
        common as f64 / union as f64
    }
}
