//! String and number similarity functions, allocation-free on prepared inputs.
//!
//! Each one is what a [`LevelRule`](crate::compare::LevelRule) computes:
//!
//! | function | level rule |
//! |---|---|
//! | [`jaro_winkler`] ([`jaro`]) | `JaroWinkler`, `EmailLocalJaroWinkler`, fuzzy person-name tokens |
//! | [`levenshtein_within`] ([`levenshtein`]) | `Levenshtein` |
//! | [`damerau_osa_within`] ([`damerau_osa`]) | `Damerau`, `DateEdits` |
//! | [`jaccard_sorted`] | `Jaccard` |
//! | [`double_metaphone`] | `Phonetic` (and phonetic blocking keys) |
//! | [`soundex`] | `Soundex` |
//! | [`nysiis`] | `Nysiis` |
//! | [`days_between`] | `DateWithinDays` |
//! | [`absolute_difference`] | `NumericAbsolute` |
//! | [`relative_difference`] | `NumericRelative` |
//!
//! The pairwise functions are the inner loop of comparison: they take prepared
//! slices, never allocate, and cap inputs at [`MAX_CHARS`] chars so one pair
//! has a bounded cost. The phonetic codes run once per value when a record is
//! prepared; comparing two values then compares two hashes.

mod edit;
mod jaro;
mod numeric;
mod phonetic;
mod token;

pub use edit::{damerau_osa, damerau_osa_within, levenshtein, levenshtein_within};
pub use jaro::{jaro, jaro_winkler};
pub use numeric::{absolute_difference, days_between, relative_difference};
pub(crate) use phonetic::double_metaphone_primary_hash;
pub use phonetic::{double_metaphone, nysiis, soundex};
pub use token::jaccard_sorted;

/// Longest input (in chars) the edit-distance and Jaro functions look at.
///
/// Longer inputs behave exactly like their first `MAX_CHARS` chars; 64 lets one
/// string fit the bits of a `u64`, which the bit-parallel algorithms rely on.
pub const MAX_CHARS: usize = 64;

/// The first [`MAX_CHARS`] chars of `s`.
#[inline(always)]
fn cap<T>(s: &[T]) -> &[T] {
    &s[..s.len().min(MAX_CHARS)]
}

/// A mask of the lowest `n` bits (all 64 when `n >= 64`).
#[inline(always)]
fn low_bits(n: usize) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1u64 << n) - 1
    }
}
