//! Scoring candidate pairs: γ → weight → probability, in batch or one at a time.

use super::band::{probability_from_weight, ConfidenceBand};
use super::params::Model;
use crate::compare::Gamma;

/// A scored candidate pair: the two record handles, γ, total weight and probability.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ScoredPair {
    /// First record.
    pub a: u32,
    /// Second record.
    pub b: u32,
    /// The comparison vector.
    pub gamma: Gamma,
    /// Total match weight (log2 odds), TF adjustments included.
    pub weight: f64,
    /// Posterior probability of a match, in [0, 1].
    pub probability: f64,
}

impl ScoredPair {
    /// The confidence band of the probability.
    pub fn band(&self) -> ConfidenceBand {
        ConfidenceBand::of(self.probability)
    }
}

impl Model {
    /// Scores one pair; `tf(c)` gives the term frequency of the agreed value of
    /// comparison `c` (see [`Model::weight_with_tf`]).
    #[inline]
    pub fn score_one(
        &self,
        a: u32,
        b: u32,
        gamma: Gamma,
        tf: impl Fn(usize) -> Option<f64>,
    ) -> ScoredPair {
        let weight = self.weight_with_tf(gamma, tf);
        ScoredPair {
            a,
            b,
            gamma,
            weight,
            probability: probability_from_weight(weight),
        }
    }

    /// Scores candidate pairs `(a, b, γ)` in input order; `tf(a, b, c)` gives the
    /// term frequency of the value pair (a, b) agreed on for comparison `c` (return
    /// `None` when TF is not used). In parallel with rayon under the `parallel`
    /// feature; each pair is scored by the same function either way, so the result is
    /// bit-identical to [`Model::score_pairs_serial`].
    ///
    /// ```
    /// use sameas::{Comparison, Gamma, Level, LevelRule, Model};
    /// let c = Comparison {
    ///     name: "email".into(),
    ///     field: "email".into(),
    ///     fields: Vec::new(),
    ///     levels: vec![Level::new("exact", LevelRule::Exact), Level::new("else", LevelRule::Else)],
    ///     term_frequency: false,
    /// };
    /// let model = Model::new(&[c])?;
    /// let scored = model.score_pairs(&[(0, 1, Gamma::from_levels(&[1])), (0, 2, Gamma::from_levels(&[2]))], |_, _, _| None);
    /// assert!(scored[0].probability > scored[1].probability);
    /// assert_eq!((scored[1].a, scored[1].b), (0, 2));
    /// # Ok::<(), sameas::Error>(())
    /// ```
    pub fn score_pairs(
        &self,
        pairs: &[(u32, u32, Gamma)],
        tf: impl Fn(u32, u32, usize) -> Option<f64> + Sync,
    ) -> Vec<ScoredPair> {
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            pairs
                .par_iter()
                .with_min_len(4096)
                .map(|&(a, b, g)| self.score_one(a, b, g, |c| tf(a, b, c)))
                .collect()
        }
        #[cfg(not(feature = "parallel"))]
        {
            self.score_pairs_serial(pairs, tf)
        }
    }

    /// [`Model::score_pairs`] on the calling thread only.
    pub fn score_pairs_serial(
        &self,
        pairs: &[(u32, u32, Gamma)],
        tf: impl Fn(u32, u32, usize) -> Option<f64>,
    ) -> Vec<ScoredPair> {
        pairs
            .iter()
            .map(|&(a, b, g)| self.score_one(a, b, g, |c| tf(a, b, c)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_support::{comparison, SplitMix};

    #[test]
    fn parallel_scoring_is_bit_identical_to_serial() {
        let comps: Vec<_> = (0..7)
            .map(|i| comparison(&format!("c{i}"), i % 3, i % 2 == 0))
            .collect();
        let mut model = Model::new(&comps).unwrap();
        model.set_prior(0.0003).unwrap();
        let mut rng = SplitMix(99);
        let pairs: Vec<(u32, u32, Gamma)> = (0..100_000u32)
            .map(|i| {
                let levels: Vec<u8> = (0..7)
                    .map(|c| (rng.next_u64() % (c as u64 % 3 + 3)) as u8)
                    .collect();
                (i, i.wrapping_mul(31), Gamma::from_levels(&levels))
            })
            .collect();
        let tf = |a: u32, b: u32, c: usize| Some(((a ^ b) as usize % 97 + c) as f64 / 1000.0);
        let par = model.score_pairs(&pairs, tf);
        let ser = model.score_pairs_serial(&pairs, tf);
        assert_eq!(par.len(), pairs.len());
        for (p, s) in par.iter().zip(&ser) {
            assert_eq!((p.a, p.b, p.gamma), (s.a, s.b, s.gamma));
            assert_eq!(p.weight.to_bits(), s.weight.to_bits());
            assert_eq!(p.probability.to_bits(), s.probability.to_bits());
        }
        assert!(par
            .iter()
            .zip(&pairs)
            .all(|(p, q)| (p.a, p.b, p.gamma) == *q));
        let one = model.score_one(pairs[5].0, pairs[5].1, pairs[5].2, |c| {
            tf(pairs[5].0, pairs[5].1, c)
        });
        assert_eq!(one, par[5]);
        assert_eq!(one.band(), ConfidenceBand::of(one.probability));
    }
}
