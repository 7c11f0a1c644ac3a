//! Levenshtein and optimal-string-alignment (Damerau) distances, bit-parallel.
//!
//! Both inputs are capped at [`MAX_CHARS`] chars, so the pattern fits one `u64`
//! and the Myers / Hyyrö bit-vector algorithms run in `O(len)` word operations
//! with no heap allocation. The per-char match mask is built by scanning the
//! (short) pattern, which is cheaper than any table for name-sized strings.

use super::{cap, MAX_CHARS};

/// Levenshtein distance (insertions, deletions, substitutions each cost 1).
///
/// Inputs longer than [`MAX_CHARS`] chars are compared on their first
/// `MAX_CHARS` chars, so one call never costs more than a fixed bound.
///
/// ```
/// let kitten: Vec<char> = "kitten".chars().collect();
/// let sitting: Vec<char> = "sitting".chars().collect();
/// assert_eq!(sameas::similarity::levenshtein(&kitten, &sitting), 3);
/// ```
pub fn levenshtein<T: Copy + Eq>(a: &[T], b: &[T]) -> usize {
    let (a, b) = strip_common_affix(cap(a), cap(b));
    match edit_distance::<false, T>(a, b, usize::MAX) {
        Some(d) => d,
        None => a.len().max(b.len()),
    }
}

/// Levenshtein distance if it is at most `max`, else `None`.
///
/// Exits as soon as the distance is known to exceed `max`: at once when the
/// lengths differ by more than `max`, otherwise as soon as the running value on
/// the diagonal that ends in the final cell exceeds `max` (values never
/// decrease along a diagonal). Agrees with [`levenshtein`] whenever it
/// returns `Some`.
///
/// ```
/// let a: Vec<char> = "jonathan".chars().collect();
/// let b: Vec<char> = "johnathan".chars().collect();
/// assert_eq!(sameas::similarity::levenshtein_within(&a, &b, 1), Some(1));
/// assert_eq!(sameas::similarity::levenshtein_within(&a, &['x'], 2), None);
/// ```
pub fn levenshtein_within<T: Copy + Eq>(a: &[T], b: &[T], max: usize) -> Option<usize> {
    let (a, b) = strip_common_affix(cap(a), cap(b));
    edit_distance::<false, T>(a, b, max)
}

/// Damerau distance in its optimal-string-alignment form: like Levenshtein,
/// plus swapping two adjacent chars costs 1 (no substring is edited twice).
///
/// Equal to `strsim::osa_distance` on the first [`MAX_CHARS`] chars.
///
/// ```
/// let a: Vec<char> = "martha".chars().collect();
/// let b: Vec<char> = "marhta".chars().collect();
/// assert_eq!(sameas::similarity::damerau_osa(&a, &b), 1);
/// assert_eq!(sameas::similarity::levenshtein(&a, &b), 2);
/// ```
pub fn damerau_osa<T: Copy + Eq>(a: &[T], b: &[T]) -> usize {
    let (a, b) = strip_common_affix(cap(a), cap(b));
    match edit_distance::<true, T>(a, b, usize::MAX) {
        Some(d) => d,
        None => a.len().max(b.len()),
    }
}

/// OSA distance if it is at most `max`, else `None`, with the same early exits
/// as [`levenshtein_within`]. Agrees with [`damerau_osa`] whenever it returns
/// `Some`.
pub fn damerau_osa_within<T: Copy + Eq>(a: &[T], b: &[T], max: usize) -> Option<usize> {
    let (a, b) = strip_common_affix(cap(a), cap(b));
    edit_distance::<true, T>(a, b, max)
}

/// Drops the longest common prefix and suffix: they never change either
/// distance, and name pairs that differ by one typo shrink to a few chars.
fn strip_common_affix<'a, 'b, T: Copy + Eq>(a: &'a [T], b: &'b [T]) -> (&'a [T], &'b [T]) {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (&a[..a.len() - suffix], &b[..b.len() - suffix])
}

/// Bit mask of the positions of `c` in `pattern` (at most 64 chars).
#[inline(always)]
fn positions_of<T: Copy + Eq>(pattern: &[T], c: T) -> u64 {
    let mut mask = 0u64;
    for (k, &x) in pattern.iter().enumerate() {
        mask |= u64::from(x == c) << k;
    }
    mask
}

/// Myers / Hyyrö bit-parallel edit distance of `pattern` (rows, ≤ 64 chars)
/// against `text` (columns, ≤ 64 chars); with `OSA` the Hyyrö (2003)
/// transposition term is added. Returns `None` once the distance is known to
/// exceed `max`.
///
/// Bit `i` of `vp` / `vn` says that `D[i+1][j] - D[i][j]` is +1 / −1 in the
/// current column `j`, where `D[0][j] = j`; bit `i` of `hp` / `hn` says the
/// same of `D[i+1][j] - D[i+1][j-1]`.
#[inline(always)]
fn edit_distance<const OSA: bool, T: Copy + Eq>(a: &[T], b: &[T], max: usize) -> Option<usize> {
    debug_assert!(a.len() <= MAX_CHARS && b.len() <= MAX_CHARS);
    // Pattern = the shorter string: fewer comparisons per column.
    let (pattern, text) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let (m, n) = (pattern.len(), text.len());
    if n - m > max {
        return None;
    }
    if m == 0 {
        return Some(n);
    }
    let last = 1u64 << (m - 1);
    let mut vp = u64::MAX;
    let mut vn = 0u64;
    let mut d0 = 0u64;
    let mut prev_eq = 0u64;
    let mut score = m;
    // The final cell (m, n) lies on the diagonal i - j = m - n ≤ 0, which
    // enters the table at D[0][shift] = shift. Values never decrease along a
    // diagonal, so once the one in the current column exceeds `max`, so does
    // the distance. It is updated from the deltas of row t = column - shift:
    // D[t][c] - D[t-1][c-1] = horizontal delta (row t, column c)
    //                       + vertical delta (row t, column c - 1).
    let shift = n - m;
    let check_diagonal = max < n;
    let mut diagonal = shift;
    for (j, &c) in text.iter().enumerate() {
        let eq = positions_of(pattern, c);
        let (vp_before, vn_before) = (vp, vn);
        if OSA {
            let tr = ((!d0 & eq) << 1) & prev_eq;
            d0 = (((eq & vp).wrapping_add(vp)) ^ vp) | eq | vn | tr;
            prev_eq = eq;
        } else {
            let x = eq | vn;
            d0 = (((x & vp).wrapping_add(vp)) ^ vp) | x;
        }
        let mut hp = vn | !(d0 | vp);
        let mut hn = d0 & vp;
        score += usize::from(hp & last != 0);
        score -= usize::from(hn & last != 0);
        let column = j + 1;
        if check_diagonal && column > shift {
            // Bit t - 1 holds row t (t ≤ m ≤ 64).
            let bit = column - shift - 1;
            let up = ((hp >> bit) & 1) + ((vp_before >> bit) & 1);
            let down = ((hn >> bit) & 1) + ((vn_before >> bit) & 1);
            diagonal = (diagonal + up as usize) - down as usize;
            if diagonal > max {
                return None;
            }
        }
        hp = (hp << 1) | 1;
        hn <<= 1;
        vp = hn | !(d0 | hp);
        vn = hp & d0;
    }
    (score <= max).then_some(score)
}
