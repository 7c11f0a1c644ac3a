//! Seeded generators of γ patterns for the model's tests.

use crate::compare::{Comparison, Gamma, Level, LevelRule};

/// splitmix64: small, seeded, good enough for test data.
pub(crate) struct SplitMix(pub u64);

impl SplitMix {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Index drawn from the distribution `probs` (sums to ~1), 1-based (γ level).
    pub(crate) fn level(&mut self, probs: &[f64]) -> u8 {
        let x = self.unit();
        let mut acc = 0.0;
        for (i, p) in probs.iter().enumerate() {
            acc += p;
            if x < acc {
                return (i + 1) as u8;
            }
        }
        probs.len() as u8
    }
}

/// A comparison with an exact level, `fuzzy` fuzzy levels and else.
pub(crate) fn comparison(name: &str, fuzzy: usize, tf: bool) -> Comparison {
    let mut levels = vec![Level::new("exact", LevelRule::Exact)];
    for i in 0..fuzzy {
        levels.push(Level::new(
            format!("within {}", i + 1),
            LevelRule::Levenshtein { max: (i + 1) as u8 },
        ));
    }
    levels.push(Level::new("else", LevelRule::Else));
    Comparison {
        name: name.into(),
        field: name.into(),
        fields: Vec::new(),
        levels,
        term_frequency: tf,
    }
}

/// True parameters of a generator: per comparison the m and u distributions over
/// non-null levels and the null rate.
pub(crate) struct Truth {
    pub(crate) m: Vec<Vec<f64>>,
    pub(crate) u: Vec<Vec<f64>>,
    pub(crate) null: Vec<f64>,
}

impl Truth {
    /// Draws one γ for a pair of the given class; comparisons in `force` get the
    /// forced level instead.
    pub(crate) fn draw(&self, rng: &mut SplitMix, is_match: bool, force: &[(usize, u8)]) -> Gamma {
        let mut g = Gamma(0);
        for c in 0..self.m.len() {
            let level = if let Some(&(_, l)) = force.iter().find(|(fc, _)| *fc == c) {
                l
            } else if rng.unit() < self.null[c] {
                0
            } else if is_match {
                rng.level(&self.m[c])
            } else {
                rng.level(&self.u[c])
            };
            g = g.with_level(c, level);
        }
        g
    }
}
