//! One person-name comparison: every name field of a record read together as a bag
//! of tokens with roles, compared order-free.
//!
//! A person's name is one fact, whether it arrives as `full_name`, as `given_name` +
//! `family_name`, or both. A record's name tokens (at most [`MAX_NAME_TOKENS`], at most
//! [`MAX_CHARS`] characters together) are prepared once: each token keeps its hash, a
//! variant key (see [`name_variant_key`]), its role (given, family or other) and its
//! characters. Comparing two names aligns their tokens greedily, best pair first
//! (exact, then variant, then initial, then by Jaro-Winkler), and reads the levels off
//! the alignment. Allocation-free; at most 8 × 8 token similarities per pair.
//!
//! Prepared layout: the value's characters are the tokens joined by spaces; its token
//! words are two `u64` per token: the token's hash, then
//! `variant (32 bits) | role << 32 | start << 40 | len << 48` (characters of the token
//! inside the value's characters). The value's hash is that of the sorted tokens
//! joined by spaces: equal for the same tokens in any order, and the key that term
//! frequencies and the exact level's `u` are counted on.

use std::borrow::Cow;

use super::chars::{with_units, Chars};
use super::comparison::Comparison;
use super::level::LevelRule;
use super::prepare::{char_unit, CharUnit, PreparedRecord, PreparedValue};
use crate::hash::hash_str;
use crate::normalize::NormalizeOptions;
use crate::similarity::{jaro_winkler, MAX_CHARS};

/// The most name tokens kept per record (the rest are ignored, so a pair's cost stays
/// bounded).
pub const MAX_NAME_TOKENS: usize = 8;

/// Role of a token whose place in the name is unknown.
pub(crate) const ROLE_OTHER: u8 = 0;
/// Role of a given-name token.
pub(crate) const ROLE_GIVEN: u8 = 1;
/// Role of a family-name token.
pub(crate) const ROLE_FAMILY: u8 = 2;

/// Below this Jaro-Winkler two given names are "clearly different" (for
/// [`LevelRule::SameFamilyOtherGiven`]); a typo in a name of four letters or more
/// stays above it.
const CLEARLY_DIFFERENT: f64 = 0.85;
/// A family-name token agrees for [`LevelRule::SameFamilyOtherGiven`] when it matches
/// exactly, as a variant, or at this Jaro-Winkler.
const FAMILY_AGREES: f64 = 0.92;

/// Score of an exact token match (above any Jaro-Winkler).
const EXACT: f64 = 3.0;
/// Score of a variant-key match.
const VARIANT: f64 = 2.0;
/// Score of an initial matched by a name with that initial: below every level's
/// Jaro-Winkler threshold, so it only counts where a level asks for initials.
const INITIAL: f64 = 0.5;

/// The key under which spelling variants of one normalized name token agree.
///
/// The nickname table of the normalization options first (Bob → robert), then the
/// spelling-variant key of [`crate::normalize::name_variant_key`] (Muhammad /
/// Mohammad / Muh., oe / u, dj / j), so both meet at the comparison's variant level.
pub(crate) fn name_variant_key<'a>(token: &'a str, options: &'a NormalizeOptions) -> Cow<'a, str> {
    Cow::Owned(crate::normalize::name_variant_key(
        options.nicknames.resolve(token),
    ))
}

/// A record's name tokens with roles, collected from its name fields before preparing.
#[derive(Debug, Default)]
pub(crate) struct NameTokens {
    tokens: Vec<(String, u8)>,
    chars: usize,
}

impl NameTokens {
    /// Adds each space-separated token of `text` with `role`, unless already present
    /// (a token keeps the role of its first occurrence) or the caps are reached.
    pub(crate) fn push_all(&mut self, text: &str, role: u8) {
        for t in text.split(' ').filter(|t| !t.is_empty()) {
            if self.tokens.iter().any(|(x, _)| x == t) {
                continue;
            }
            let len = t.chars().count();
            let sep = usize::from(!self.tokens.is_empty());
            if self.tokens.len() >= MAX_NAME_TOKENS || self.chars + sep + len > MAX_CHARS {
                return;
            }
            self.chars += sep + len;
            self.tokens.push((t.to_owned(), role));
        }
    }

    /// The order-free key: tokens sorted, joined by spaces (`None` without tokens).
    pub(crate) fn key(&self) -> Option<String> {
        if self.tokens.is_empty() {
            return None;
        }
        let mut sorted: Vec<&str> = self.tokens.iter().map(|(t, _)| t.as_str()).collect();
        sorted.sort_unstable();
        Some(sorted.join(" "))
    }

    /// Appends the name to a record's buffers; `None` without tokens.
    pub(crate) fn prepare(
        &self,
        options: &NormalizeOptions,
        chars: &mut Vec<CharUnit>,
        words: &mut Vec<u64>,
    ) -> Option<PreparedValue> {
        let key = self.key()?;
        let chars_start = chars.len();
        let words_start = words.len();
        for (i, (t, role)) in self.tokens.iter().enumerate() {
            if i > 0 {
                chars.push(char_unit(' '));
            }
            let start = chars.len() - chars_start;
            chars.extend(t.chars().map(char_unit));
            let len = chars.len() - chars_start - start;
            let variant = hash_str(&name_variant_key(t, options)) as u32;
            words.push(hash_str(t));
            words.push(
                u64::from(variant)
                    | u64::from(*role) << 32
                    | (start as u64 & 0xFF) << 40
                    | (len as u64 & 0xFF) << 48,
            );
        }
        Some(PreparedValue::name(
            hash_str(&key),
            chars_start..chars.len(),
            words_start..words.len(),
        ))
    }
}

/// The hashes of the tokens of a prepared person-name value (term frequencies are
/// counted per token: a whole name's count is mostly its own person's duplicates).
pub(crate) fn token_hashes<'a>(
    r: &'a PreparedRecord,
    v: &PreparedValue,
) -> impl Iterator<Item = u64> + 'a {
    r.tokens(v).chunks_exact(2).map(|w| w[0])
}

/// One prepared name token, read back from a record's buffers.
#[derive(Debug, Clone, Copy, Default)]
struct Token<'a> {
    hash: u64,
    variant: u32,
    role: u8,
    chars: Chars<'a>,
}

fn read<'a>(
    r: &'a PreparedRecord,
    v: &PreparedValue,
    out: &mut [Token<'a>; MAX_NAME_TOKENS],
) -> usize {
    let chars = r.chars(v);
    let mut n = 0;
    for (slot, w) in out.iter_mut().zip(r.tokens(v).chunks_exact(2)) {
        let packed = w[1];
        let start = ((packed >> 40) & 0xFF) as usize;
        let len = ((packed >> 48) & 0xFF) as usize;
        *slot = Token {
            hash: w[0],
            variant: packed as u32,
            role: (packed >> 32) as u8,
            chars: chars.get(start..start + len),
        };
        n += 1;
    }
    n
}

/// A token match at least as good as Jaro-Winkler `t` (exact and variant matches
/// count; an initial does not).
fn is_fuzzy(score: f64, t: f64) -> bool {
    score >= VARIANT || (score != INITIAL && score <= 1.0 && score >= t)
}

fn roles_compatible(a: u8, b: u8) -> bool {
    a == b || a == ROLE_OTHER || b == ROLE_OTHER
}

/// An upper bound of the Jaro-Winkler similarity of `a` and `b`, in O(|a| + |b|):
/// at most as many matching characters as characters of one found in the other's
/// character set, no transpositions, the true common prefix. Symmetric.
fn jaro_winkler_bound<T: Copy + Eq + Into<u32>>(a: &[T], b: &[T]) -> f64 {
    let bit = |c: T| 1u64 << (c.into() % 64);
    let mask = |s: &[T]| s.iter().fold(0u64, |m, &c| m | bit(c));
    let (ma, mb) = (mask(a), mask(b));
    let found = |s: &[T], m: u64| s.iter().filter(|&&c| m & bit(c) != 0).count();
    let m = found(a, mb).min(found(b, ma)) as f64;
    if m == 0.0 {
        return 0.0;
    }
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + 1.0) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count() as f64;
    (jaro + prefix * 0.1 * (1.0 - jaro)).min(1.0)
}

/// Similarity score of two tokens: [`EXACT`], [`VARIANT`], [`INITIAL`] (a one-letter
/// token and a name with that initial), else Jaro-Winkler (0 between an initial and a
/// name with another initial, and where it is certainly below `floor`).
fn score(a: &Token, b: &Token, floor: f64) -> f64 {
    if a.hash == b.hash {
        EXACT
    } else if a.variant == b.variant {
        VARIANT
    } else if a.chars.len() == 1 || b.chars.len() == 1 {
        if a.chars.units().next() == b.chars.units().next() {
            INITIAL
        } else {
            0.0
        }
    } else {
        with_units!(a.chars, b.chars, |x, y| {
            if jaro_winkler_bound(x, y) < floor {
                0.0
            } else {
                jaro_winkler(x, y)
            }
        })
    }
}

/// One aligned token pair.
#[derive(Debug, Clone, Copy, Default)]
struct Pair {
    score: f64,
    role_a: u8,
    role_b: u8,
}

/// Two names, their token similarities and a greedy alignment.
struct Alignment<'a> {
    a: [Token<'a>; MAX_NAME_TOKENS],
    b: [Token<'a>; MAX_NAME_TOKENS],
    na: usize,
    nb: usize,
    scores: [[f64; MAX_NAME_TOKENS]; MAX_NAME_TOKENS],
    pairs: [Pair; MAX_NAME_TOKENS],
    n_pairs: usize,
}

impl<'a> Alignment<'a> {
    /// Aligns two names; Jaro-Winkler similarities below `floor` (the lowest that any
    /// level asks about) may be taken as 0.
    fn new(
        ra: &'a PreparedRecord,
        x: &PreparedValue,
        rb: &'a PreparedRecord,
        y: &PreparedValue,
        floor: f64,
    ) -> Self {
        let mut al = Alignment {
            a: [Token::default(); MAX_NAME_TOKENS],
            b: [Token::default(); MAX_NAME_TOKENS],
            na: 0,
            nb: 0,
            scores: [[0.0; MAX_NAME_TOKENS]; MAX_NAME_TOKENS],
            pairs: [Pair::default(); MAX_NAME_TOKENS],
            n_pairs: 0,
        };
        al.na = read(ra, x, &mut al.a);
        al.nb = read(rb, y, &mut al.b);
        // The same tokens (same key): only exact matches matter, no similarity needed.
        let same_tokens = x.hash == y.hash && al.na == al.nb;
        for i in 0..al.na {
            for j in 0..al.nb {
                al.scores[i][j] = if same_tokens {
                    if al.a[i].hash == al.b[j].hash {
                        EXACT
                    } else {
                        0.0
                    }
                } else {
                    score(&al.a[i], &al.b[j], floor)
                };
            }
        }
        // Greedy, best pair first. The order key depends on the two tokens only, not on
        // which side they come from, so the alignment (and the level) is symmetric.
        let mut used_a = 0u16;
        let mut used_b = 0u16;
        loop {
            let mut best: Option<(f64, bool, u64, usize, usize)> = None;
            for i in (0..al.na).filter(|i| used_a & (1 << i) == 0) {
                for j in (0..al.nb).filter(|j| used_b & (1 << j) == 0) {
                    let s = al.scores[i][j];
                    if s <= 0.0 {
                        continue;
                    }
                    let key = (
                        s,
                        roles_compatible(al.a[i].role, al.b[j].role),
                        al.a[i].hash ^ al.b[j].hash,
                    );
                    let better = match best {
                        None => true,
                        Some((bs, bc, bh, _, _)) => (key.0, key.1, key.2) > (bs, bc, bh),
                    };
                    if better {
                        best = Some((key.0, key.1, key.2, i, j));
                    }
                }
            }
            let Some((s, _, _, i, j)) = best else { break };
            used_a |= 1 << i;
            used_b |= 1 << j;
            al.pairs[al.n_pairs] = Pair {
                score: s,
                role_a: al.a[i].role,
                role_b: al.b[j].role,
            };
            al.n_pairs += 1;
        }
        al
    }

    fn pairs(&self) -> &[Pair] {
        &self.pairs[..self.n_pairs]
    }

    /// Tokens of the shorter name.
    fn shorter(&self) -> usize {
        self.na.min(self.nb)
    }

    fn count(&self, f: impl Fn(&Pair) -> bool) -> usize {
        self.pairs().iter().filter(|p| f(p)).count()
    }

    /// Every token of both names aligned, each pair satisfying `f`.
    fn all_aligned(&self, f: impl Fn(&Pair) -> bool) -> bool {
        self.na == self.nb && self.count(f) == self.na
    }

    fn holds(&self, rule: &LevelRule) -> bool {
        let fuzzy = |t: f64| move |p: &Pair| is_fuzzy(p.score, t);
        match *rule {
            LevelRule::Exact => {
                self.all_aligned(|p| p.score == EXACT && roles_compatible(p.role_a, p.role_b))
            }
            LevelRule::TokensReordered => self.all_aligned(|p| p.score == EXACT),
            LevelRule::Nickname => self.all_aligned(|p| p.score >= VARIANT),
            LevelRule::JaroWinkler { threshold } => self.all_aligned(fuzzy(threshold)),
            LevelRule::TokensSubset { threshold } => {
                self.count(fuzzy(threshold)) == self.shorter()
                    && self.count(|p| p.score == EXACT) > 0
            }
            LevelRule::Initials => {
                self.count(|p| fuzzy(FAMILY_AGREES)(p) || p.score == INITIAL) == self.shorter()
                    && self.count(|p| p.score == INITIAL) > 0
                    && self.count(|p| p.score >= VARIANT) > 0
            }
            LevelRule::SameFamilyOtherGiven => self.relatives(),
            LevelRule::SharedToken => self.count(|p| p.score >= VARIANT) > 0,
            LevelRule::Else => true,
            _ => false,
        }
    }

    /// The family names agree and both names have given names, none of which is
    /// like any of the other's.
    fn relatives(&self) -> bool {
        let family_agrees = self.pairs().iter().any(|p| {
            p.role_a == ROLE_FAMILY && p.role_b == ROLE_FAMILY && is_fuzzy(p.score, FAMILY_AGREES)
        });
        if !family_agrees {
            return false;
        }
        let given = |t: &[Token], n: usize| t[..n].iter().any(|t| t.role == ROLE_GIVEN);
        if !given(&self.a, self.na) || !given(&self.b, self.nb) {
            return false;
        }
        (0..self.na).all(|i| {
            (0..self.nb).all(|j| {
                self.a[i].role != ROLE_GIVEN
                    || self.b[j].role != ROLE_GIVEN
                    || (self.scores[i][j] < CLEARLY_DIFFERENT && self.scores[i][j] != INITIAL)
            })
        })
    }
}

/// Level of comparison `c` (a person-name comparison) for two prepared names: the
/// first level whose rule holds (1-based).
pub(super) fn name_level(
    c: &Comparison,
    ra: &PreparedRecord,
    x: &PreparedValue,
    rb: &PreparedRecord,
    y: &PreparedValue,
) -> u8 {
    let floor = c
        .levels
        .iter()
        .filter_map(|l| match l.rule {
            LevelRule::JaroWinkler { threshold } | LevelRule::TokensSubset { threshold } => {
                Some(threshold)
            }
            _ => None,
        })
        .fold(CLEARLY_DIFFERENT.min(FAMILY_AGREES), f64::min);
    let al = Alignment::new(ra, x, rb, y, floor);
    for (i, level) in c.levels.iter().enumerate() {
        if al.holds(&level.rule) {
            return (i + 1) as u8;
        }
    }
    c.else_level()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_bound_is_never_below_jaro_winkler(a in "[a-eé]{1,9}", b in "[a-eé]{1,9}") {
            let units = |s: &str| -> Vec<CharUnit> { s.chars().map(char_unit).collect() };
            let (a, b) = (units(&a), units(&b));
            let bound = jaro_winkler_bound(&a, &b);
            prop_assert!(bound + 1e-12 >= jaro_winkler(&a, &b), "{a:?} {b:?}: {bound}");
            prop_assert_eq!(bound, jaro_winkler_bound(&b, &a));
        }
    }
}
