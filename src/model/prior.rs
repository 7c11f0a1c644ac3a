//! The prior λ from the compared pairs themselves, not from rules with a guessed recall.
//!
//! λ is the probability that two random records are the same person. With m and u
//! known, the expected number of matches among all `N` possible pairs is
//! `Σ P(match | γ, λ)` over every pair, and λ is the fixed point of
//! `λ = Σ P(match | γ, λ) / N` — the prior update of an EM run over the whole pair
//! space (as fastLink does), with m and u held. Pairs that blocking never compared
//! share almost no evidence and contribute next to nothing, so the sum runs over the
//! compared pairs only; where blocking misses matches, λ is low by that share.
//!
//! Unlike a prior from deterministic rules, this does not collapse when the rules
//! find few pairs (every duplicate differing in one field), and it follows the model:
//! better m and u, or m and u from labels, give a better λ.

use super::band::{probability_from_weight, weight_from_probability};
use super::params::Model;
use super::patterns::PatternCounts;

/// Iteration cap of the fixed point; it converges geometrically, in a few dozen steps.
const MAX_ITERATIONS: usize = 500;
/// Relative change of λ at which the iteration stops.
const TOLERANCE: f64 = 1e-9;
/// Smallest λ the iteration starts from or returns.
const LAMBDA_FLOOR: f64 = 1e-15;

impl Model {
    /// The prior λ that makes the model's expected number of matches among
    /// `candidates` (γ patterns of the compared pairs) agree with λ × `total_pairs`,
    /// with m and u as they are. Deterministic; ignores term-frequency adjustments.
    ///
    /// Returns `None` when `total_pairs` is not positive and finite, no candidate is
    /// given, or the evidence is too weak to show any match: the only fixed point is
    /// λ = 0 when `Σ count × Bayes factor < total_pairs`. The result is in (0, 1)
    /// otherwise.
    ///
    /// ```
    /// use sameas::model::PatternCounts;
    /// use sameas::{Comparison, FieldKind, Gamma, Model};
    /// let mut model = Model::new(&[Comparison::for_kind("email", FieldKind::Email)])?;
    /// model.set_m(0, 1, 0.9)?; // exact: 9,000 times likelier among matches
    /// model.set_u(0, 1, 1e-4)?;
    /// model.set_m(0, 3, 0.05)?; // else: 20 times likelier among strangers
    /// model.set_u(0, 3, 0.9997)?;
    /// // 100 compared pairs with the same email (level 1) among 10⁵ possible pairs:
    /// // a Bayes factor of 9,000 is not proof at these odds, so fewer than 100 match.
    /// let pairs = PatternCounts::from_weighted([(Gamma(1), 100), (Gamma(3), 900)]);
    /// let lambda = model.prior_from_candidates(&pairs, 1e5).unwrap();
    /// assert!(lambda * 1e5 > 85.0 && lambda * 1e5 < 95.0);
    /// // Among 10⁶ pairs the same evidence does not show any match at all.
    /// assert_eq!(model.prior_from_candidates(&pairs, 1e6), None);
    /// # Ok::<(), sameas::Error>(())
    /// ```
    pub fn prior_from_candidates(
        &self,
        candidates: &PatternCounts,
        total_pairs: f64,
    ) -> Option<f64> {
        if !(total_pairs.is_finite() && total_pairs >= 1.0) || candidates.is_empty() {
            return None;
        }
        // Level weights without the prior: the prior is what is being estimated.
        let evidence: Vec<(f64, f64)> = candidates
            .iter()
            .map(|(g, k)| (self.weight(g) - self.prior_weight(), k as f64))
            .collect();
        let upper = (candidates.total() as f64 / total_pairs).min(1.0 - 1e-12);
        let mut lambda = self.prior().clamp(LAMBDA_FLOOR, upper);
        for _ in 0..MAX_ITERATIONS {
            let prior_weight = weight_from_probability(lambda);
            let matches: f64 = evidence
                .iter()
                .map(|&(w, k)| k * probability_from_weight(prior_weight + w))
                .sum();
            let next = (matches / total_pairs).clamp(LAMBDA_FLOOR, upper);
            let change = (next - lambda).abs() / lambda;
            lambda = next;
            if change < TOLERANCE {
                break;
            }
        }
        (lambda > LAMBDA_FLOOR * 1e3).then_some(lambda)
    }
}

impl Model {
    /// Like [`Model::prior_from_candidates`], with a third class: pairs of two people
    /// of one household, who agree on every comparison but the `person` ones as
    /// matches do, and on person comparison `c` as matches do with probability
    /// `alike[c]` (missing: 0), else as strangers do. Returns (λ of matches, λ of
    /// household pairs) among `total_pairs`, or `None` as there.
    pub fn priors_with_household(
        &self,
        candidates: &PatternCounts,
        total_pairs: f64,
        person: &[bool],
        alike: &[f64],
    ) -> Option<(f64, f64)> {
        if !(total_pairs.is_finite() && total_pairs >= 1.0) || candidates.is_empty() {
            return None;
        }
        // (evidence against strangers, evidence of the person comparisons, count)
        let evidence: Vec<(f64, f64, f64)> = candidates
            .iter()
            .map(|(g, k)| {
                let levels: f64 = (0..self.comparisons.len())
                    .map(|c| self.weight_in(g, c))
                    .sum();
                let (mut own, mut odds) = (0.0, 0.0);
                for c in (0..self.comparisons.len()).filter(|&c| person.get(c) == Some(&true)) {
                    let w = self.weight_in(g, c);
                    own += w;
                    odds += super::household::alike_term(alike, c, w);
                }
                let own = super::household::person_evidence(own, odds);
                (levels, own, k as f64)
            })
            .collect();
        let upper = (candidates.total() as f64 / total_pairs).min(0.5);
        let mut lm = self.prior().clamp(LAMBDA_FLOOR, upper);
        let mut lh = lm;
        for _ in 0..MAX_ITERATIONS {
            let (mut sm, mut sh) = (0.0, 0.0);
            for &(levels, own, k) in &evidence {
                // Likelihoods relative to strangers: match 2^levels, household
                // 2^(levels − own), stranger 1.
                let top = levels.max(levels - own).max(0.0);
                let fm = lm * (levels - top).exp2();
                let fh = lh * (levels - own - top).exp2();
                let fu = (1.0 - lm - lh) * (-top).exp2();
                let z = fm + fh + fu;
                sm += k * fm / z;
                sh += k * fh / z;
            }
            let next_m = (sm / total_pairs).clamp(LAMBDA_FLOOR, upper);
            let next_h = (sh / total_pairs).clamp(LAMBDA_FLOOR, upper);
            let change = ((next_m - lm).abs() / lm).max((next_h - lh).abs() / lh);
            lm = next_m;
            lh = next_h;
            if change < TOLERANCE {
                break;
            }
        }
        (lm > LAMBDA_FLOOR * 1e3).then_some((lm, lh))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::{Comparison, Gamma};
    use crate::record::FieldKind;

    fn model() -> Model {
        // Two phone comparisons (four levels each; level 4 is "else").
        let mut m = Model::new(&[
            Comparison::for_kind("phone", FieldKind::Phone),
            Comparison::for_kind("phone_2", FieldKind::Phone),
        ])
        .unwrap();
        // Exact: m 0.9, u 1e-4; else: m 0.05, u ~1.
        for c in 0..2 {
            m.set_m(c, 1, 0.9).unwrap();
            m.set_u(c, 1, 1e-4).unwrap();
            m.set_m(c, 4, 0.05).unwrap();
            m.set_u(c, 4, 0.9997).unwrap();
        }
        m
    }

    fn gamma(phone: u64, phone_2: u64) -> Gamma {
        Gamma(phone | (phone_2 << 4))
    }

    #[test]
    fn counts_the_pairs_the_evidence_calls_matches() {
        let m = model();
        // 500 pairs agreeing on both (clear matches), 5000 agreeing on one only.
        let pairs = PatternCounts::from_weighted([(gamma(1, 1), 500), (gamma(1, 4), 5_000)]);
        let total = 1e8;
        let lambda = m.prior_from_candidates(&pairs, total).unwrap();
        let matches = lambda * total;
        assert!(matches > 499.0 && matches < 520.0, "{matches}");
    }

    #[test]
    fn does_not_depend_on_the_starting_prior() {
        let mut a = model();
        let mut b = model();
        a.set_prior(1e-12).unwrap();
        b.set_prior(0.5).unwrap();
        let pairs = PatternCounts::from_weighted([(gamma(1, 1), 800), (gamma(4, 1), 300)]);
        let la = a.prior_from_candidates(&pairs, 1e7).unwrap();
        let lb = b.prior_from_candidates(&pairs, 1e7).unwrap();
        assert!((la - lb).abs() / la < 1e-6, "{la} {lb}");
    }

    #[test]
    fn rejects_unusable_input() {
        let m = model();
        let pairs = PatternCounts::from_weighted([(gamma(1, 1), 5)]);
        assert_eq!(m.prior_from_candidates(&pairs, f64::NAN), None);
        assert_eq!(m.prior_from_candidates(&pairs, 0.0), None);
        assert_eq!(m.prior_from_candidates(&PatternCounts::new(), 1e6), None);
    }
}
