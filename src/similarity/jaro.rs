//! Jaro and Jaro-Winkler similarity with `u64` match masks.

use super::{cap, low_bits};

/// Jaro similarity in [0, 1]: 1.0 for identical inputs (also both empty),
/// 0.0 when one side is empty or nothing matches.
///
/// Standard definition (match window `max(len)/2 - 1`, half-transpositions);
/// inputs longer than [`MAX_CHARS`](super::MAX_CHARS) chars are compared on
/// their first `MAX_CHARS` chars. Same value as `strsim::jaro` on those chars.
///
/// ```
/// let a: Vec<char> = "martha".chars().collect();
/// let b: Vec<char> = "marhta".chars().collect();
/// assert!((sameas::similarity::jaro(&a, &b) - 0.944_444_444_444_444_5).abs() < 1e-12);
/// ```
pub fn jaro<T: Copy + Eq>(a: &[T], b: &[T]) -> f64 {
    jaro_capped(cap(a), cap(b))
}

/// Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4 chars,
/// boost applied only when the Jaro similarity exceeds 0.7).
///
/// Same value as `strsim::jaro_winkler` on the first
/// [`MAX_CHARS`](super::MAX_CHARS) chars of each input.
///
/// ```
/// let a: Vec<char> = "martha".chars().collect();
/// let b: Vec<char> = "marhta".chars().collect();
/// assert!((sameas::similarity::jaro_winkler(&a, &b) - 0.961_111_111_111_111_1).abs() < 1e-12);
/// ```
pub fn jaro_winkler<T: Copy + Eq>(a: &[T], b: &[T]) -> f64 {
    let (a, b) = (cap(a), cap(b));
    let sim = jaro_capped(a, b);
    if sim > 0.7 {
        let prefix = a.iter().take(4).zip(b).take_while(|(x, y)| x == y).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

/// Jaro on inputs already capped at 64 chars.
#[inline(always)]
fn jaro_capped<T: Copy + Eq>(a: &[T], b: &[T]) -> f64 {
    let (a_len, b_len) = (a.len(), b.len());
    if a_len == 0 && b_len == 0 {
        return 1.0;
    }
    if a_len == 0 || b_len == 0 {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let range = (a_len.max(b_len) / 2).saturating_sub(1);
    let mut a_flags = 0u64;
    let mut b_flags = 0u64;
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(range);
        let hi = (i + range + 1).min(b_len);
        if lo >= hi {
            // Windows only move right: nothing further in `a` can match.
            break;
        }
        // Unmatched positions of `b` inside the window, lowest first.
        let mut candidates = low_bits(hi) & !low_bits(lo) & !b_flags;
        while candidates != 0 {
            let j = candidates.trailing_zeros() as usize;
            if b.get(j) == Some(&ca) {
                a_flags |= 1 << i;
                b_flags |= 1 << j;
                matches += 1;
                break;
            }
            candidates &= candidates - 1;
        }
    }
    if matches == 0 {
        return 0.0;
    }
    // Walk the matched chars of both sides in order, counting mismatches.
    let mut half_transpositions = 0usize;
    let mut b_rest = b_flags;
    let mut a_rest = a_flags;
    while a_rest != 0 && b_rest != 0 {
        let i = a_rest.trailing_zeros() as usize;
        let j = b_rest.trailing_zeros() as usize;
        half_transpositions += usize::from(a.get(i) != b.get(j));
        a_rest &= a_rest - 1;
        b_rest &= b_rest - 1;
    }
    let transpositions = half_transpositions / 2;
    let m = matches as f64;
    ((m / a_len as f64) + (m / b_len as f64) + ((matches - transpositions) as f64 / m)) / 3.0
}
