//! A small, portable PRNG (xoshiro256** seeded by splitmix64) and weighted sampling.
//!
//! Only integer arithmetic and exact float comparisons are used, so a seed gives the
//! same stream on every platform and compiler.

/// xoshiro256** generator, seeded through splitmix64.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    s: [u64; 4],
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator whose whole stream is fixed by `seed`.
    pub(crate) fn new(seed: u64) -> Rng {
        let mut state = seed;
        let s = [
            splitmix64(&mut state),
            splitmix64(&mut state),
            splitmix64(&mut state),
            splitmix64(&mut state),
        ];
        Rng { s }
    }

    /// Stream number `stream` of `seed`: independent generators for independent parts
    /// of the output, so they can be drawn in any order.
    pub(crate) fn stream(seed: u64, stream: u64) -> Rng {
        let mut state = seed ^ 0x6A09_E667_F3BC_C909;
        let salt = splitmix64(&mut state) ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03);
        Rng::new(salt)
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// A number in `0..n` (0 when `n` is 0); multiply-shift, bias below 2^-40 for our sizes.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// An index in `0..n` (0 when `n` is 0).
    pub(crate) fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// A number in `lo..=hi` (`lo` when `hi < lo`).
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = hi.abs_diff(lo).saturating_add(1);
        lo.wrapping_add(self.below(span) as i64)
    }

    /// True with probability `p` (never for NaN or p ≤ 0, always for p ≥ 1).
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        let u = (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        u < p
    }

    /// One element of a non-empty slice (`None` when empty).
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.index(items.len()))
    }

    /// One element of a non-empty static string table (`""` when empty).
    pub(crate) fn pick_str(&mut self, items: &[&'static str]) -> &'static str {
        self.pick(items).copied().unwrap_or("")
    }
}

/// A discrete distribution over `0..n` from integer weights (exact and portable).
#[derive(Debug, Clone)]
pub(crate) struct Weighted {
    cumulative: Vec<u64>,
}

impl Weighted {
    /// From integer weights; zero weights are never drawn.
    pub(crate) fn new(weights: &[u32]) -> Weighted {
        let mut total = 0u64;
        let cumulative = weights
            .iter()
            .map(|&w| {
                total += u64::from(w);
                total
            })
            .collect();
        Weighted { cumulative }
    }

    /// Zipf-like weights 1/(rank + 2) over `n` items: the first items are common, the
    /// tail is long but not negligible.
    pub(crate) fn zipf(n: usize) -> Weighted {
        let weights: Vec<u32> = (0..n).map(|r| (1u32 << 20) / (r as u32 + 2)).collect();
        Weighted::new(&weights)
    }

    /// Draws an index (0 when every weight is zero).
    pub(crate) fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0);
        let t = rng.below(total);
        self.cumulative
            .partition_point(|&c| c <= t)
            .min(self.cumulative.len().saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_different_seed_different_stream() {
        let a: Vec<u64> = {
            let mut r = Rng::new(1);
            (0..8).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = Rng::new(1);
            (0..8).map(|_| r.next_u64()).collect()
        };
        let c: Vec<u64> = {
            let mut r = Rng::new(2);
            (0..8).map(|_| r.next_u64()).collect()
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn bounded_draws_stay_in_range_and_cover_it() {
        let mut r = Rng::new(9);
        let mut seen = [false; 7];
        for _ in 0..1000 {
            let x = r.range(3, 9);
            assert!((3..=9).contains(&x));
            seen[(x - 3) as usize] = true;
        }
        assert!(seen.iter().all(|&s| s));
        assert_eq!(r.below(0), 0);
        assert_eq!(r.range(5, 1), 5);
        assert!(!r.chance(f64::NAN));
        assert!(r.chance(1.0));
        assert!(!r.chance(0.0));
    }

    #[test]
    fn zipf_makes_the_first_item_most_common() {
        let w = Weighted::zipf(20);
        let mut r = Rng::new(3);
        let mut counts = [0u32; 20];
        for _ in 0..20_000 {
            counts[w.sample(&mut r)] += 1;
        }
        assert!(counts[0] > counts[5] && counts[5] > counts[19]);
        assert!(counts[19] > 0);
        let zero = Weighted::new(&[0, 5, 0]);
        for _ in 0..100 {
            assert_eq!(zero.sample(&mut r), 1);
        }
    }
}
