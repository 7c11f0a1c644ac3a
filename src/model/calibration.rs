//! Recalibrating match weights from reviewed pairs: a logistic (Platt) map fitted on
//! the pairs a person has judged, one for pairs inside one profile and one for pairs
//! across two.
//!
//! Without labels, a pair's probability comes from its own comparisons only. Over all
//! compared pairs that is close to calibrated, but the profiles add evidence the pair
//! alone does not have: a weak pair inside a profile whose records are both strongly
//! linked to the other members is usually a data error (a typo in a birth date, an old
//! address), while a strong pair kept apart by a contradiction is usually two people.
//! Reviewed pairs measure both, and a [`Recalibration`] carries what they say.
//!
//! Answers teach at two grains. The maps shift and tilt every weight of a side (inside
//! or across profiles). And pairs with the very comparison outcome (γ pattern) of
//! answered ones, on the same side, learn from those answers directly: the mapped
//! probability is a prior worth [`PATTERN_PRIOR`] answers, and the answers on the
//! pattern update it (a Beta–Binomial mean). "Different" answers on pairs that share a
//! household's address and phone but not a given name, say, make every such pair
//! unlikely, whatever the map does elsewhere.

use crate::compare::Gamma;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{probability_from_weight, weight_from_probability};

/// Weights beyond this many bits (either sign) are clamped when fitting or applying a
/// map: their probabilities are 0 or 1 to double precision anyway.
const MAX_BITS: f64 = 60.0;

/// How much more firmly the slope is held at 1 than the intercept at 0. Judged pairs
/// are the review queue's questions: chosen for doubt, they span a narrow band of
/// weights, which pins down the level of the map there (the intercept) but says little
/// about how it tilts far away (the slope). A slope fitted freely on them bends the
/// probabilities of every confident pair; with this prior it takes about a hundred
/// well-spread answers to move it.
const SLOPE_PRIOR: f64 = 100.0;

/// How many answers the mapped probability of a pair counts as, against the answers
/// on pairs of the same γ pattern and side ([`Recalibration::weight`]). One answer
/// then moves a pattern at most a sixth of the way to it: the questions are chosen
/// for their profiles' doubt, so the pair asked is not a typical pair of its pattern,
/// and a single answer must not decide for every pair that shares it.
pub const PATTERN_PRIOR: f64 = 5.0;

/// A logistic map of match weights, in bits: `w' = slope · w + intercept`. The
/// identity (`slope` 1, `intercept` 0) leaves probabilities as they are.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LogisticMap {
    /// Factor on the match weight.
    pub slope: f64,
    /// Bits added after scaling.
    pub intercept: f64,
}

impl Default for LogisticMap {
    fn default() -> Self {
        LogisticMap::IDENTITY
    }
}

impl LogisticMap {
    /// The map that changes nothing.
    pub const IDENTITY: LogisticMap = LogisticMap {
        slope: 1.0,
        intercept: 0.0,
    };

    /// The recalibrated weight of `w` (NaN stays NaN, ±∞ stay ±∞ for a positive slope).
    pub fn apply(&self, w: f64) -> f64 {
        if w.is_nan() || w.is_infinite() {
            return w;
        }
        self.slope * w.clamp(-MAX_BITS, MAX_BITS) + self.intercept
    }

    /// Fits the map to judged `(weight, same person)` pairs by penalized maximum
    /// likelihood (logistic regression of the outcome on the weight), pulled towards
    /// the identity by `strength`: a Gaussian prior centred on the identity, with
    /// precision `strength` on the intercept (in natural log odds; worth about
    /// `4 · strength` judged pairs at probability ½) and a hundred times that on the
    /// slope (judged pairs span too narrow a band of weights to tilt the map far from
    /// them). So a few answers move the map a little, many move it as far as they say;
    /// with no pair it is the identity. The
    /// slope is kept at least 0.05 (a map must keep the order of weights). NaN weights
    /// are skipped.
    ///
    /// ```
    /// use sameas::model::LogisticMap;
    /// // Pairs at weight −4 bits (p ≈ 0.06) that are mostly the same person.
    /// let judged: Vec<(f64, bool)> = (0..40).map(|i| (-4.0, i % 4 != 0)).collect();
    /// let map = LogisticMap::fit(&judged, 1.0)?;
    /// let p = sameas::model::probability_from_weight(map.apply(-4.0));
    /// assert!((p - 0.75).abs() < 0.1, "{p}");
    /// assert_eq!(LogisticMap::fit(&[], 1.0)?, LogisticMap::IDENTITY);
    /// # Ok::<(), sameas::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `strength` not finite and positive.
    pub fn fit(judged: &[(f64, bool)], strength: f64) -> Result<LogisticMap> {
        if !(strength.is_finite() && strength > 0.0) {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                format!("calibration strength {strength} is not finite and > 0"),
            ));
        }
        let ln2 = std::f64::consts::LN_2;
        let xs: Vec<(f64, f64)> = judged
            .iter()
            .filter(|(w, _)| !w.is_nan())
            .map(|&(w, y)| (w.clamp(-MAX_BITS, MAX_BITS) * ln2, f64::from(u8::from(y))))
            .collect();
        if xs.is_empty() {
            return Ok(LogisticMap::IDENTITY);
        }
        // Newton's method on the penalized log-likelihood in natural units:
        // z = a·x + b, prior −(strength/2)·((a − 1)² + b²). The objective is strictly
        // concave, so Newton with step halving converges.
        let sa = SLOPE_PRIOR * strength;
        let objective = |a: f64, b: f64| -> f64 {
            let mut l = -0.5 * (sa * (a - 1.0).powi(2) + strength * b * b);
            for &(x, y) in &xs {
                let z = a * x + b;
                // log σ(z) = −softplus(−z), log(1 − σ(z)) = −softplus(z)
                l -= if y > 0.5 { softplus(-z) } else { softplus(z) };
            }
            l
        };
        let (mut a, mut b) = (1.0f64, 0.0f64);
        let mut current = objective(a, b);
        for _ in 0..100 {
            let (mut ga, mut gb) = (-sa * (a - 1.0), -strength * b);
            let (mut haa, mut hab, mut hbb) = (sa, 0.0, strength);
            for &(x, y) in &xs {
                let p = sigmoid(a * x + b);
                ga += (y - p) * x;
                gb += y - p;
                let v = p * (1.0 - p);
                haa += v * x * x;
                hab += v * x;
                hbb += v;
            }
            let det = haa * hbb - hab * hab;
            if !(det.is_finite() && det > 0.0) {
                break;
            }
            let da = (hbb * ga - hab * gb) / det;
            let db = (haa * gb - hab * ga) / det;
            let mut step = 1.0;
            let mut moved = false;
            while step > 1e-6 {
                let (na, nb) = (a + step * da, b + step * db);
                let next = objective(na, nb);
                if next >= current {
                    a = na;
                    b = nb;
                    moved = next - current > 1e-12;
                    current = next;
                    break;
                }
                step /= 2.0;
            }
            if !moved {
                break;
            }
        }
        Ok(LogisticMap {
            slope: a.max(0.05),
            intercept: b / ln2,
        })
    }
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

fn softplus(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

/// One answered pair as [`Recalibration::fit`] takes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JudgedPair {
    /// The pair's comparison vector.
    pub gamma: Gamma,
    /// Its model weight (before any recalibration).
    pub weight: f64,
    /// Whether its records were in one profile when it was asked.
    pub together: bool,
    /// The answer: the same person.
    pub same: bool,
}

/// The answers on one γ pattern, on one side (inside or across profiles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PatternAnswers {
    /// The comparison vector.
    pub gamma: Gamma,
    /// Inside one profile (else across two).
    pub together: bool,
    /// Answers "the same person".
    pub same: u32,
    /// Answers "different people".
    pub different: u32,
}

/// What reviewed pairs say about the model's probabilities: one [`LogisticMap`] for
/// pairs whose records are in one profile, one for pairs across two profiles (the
/// profiles are evidence the pair's own comparisons do not see; see the module
/// documentation), and the answers per γ pattern. Fitted by
/// [`Review::recalibrate`](crate::profiles::Review::recalibrate) and kept with the
/// model ([`Model::calibration`](crate::Model::calibration)); the graph then reports
/// recalibrated probabilities (pairs, memberships, the review queue) while clustering
/// still cuts the model's own weights.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Recalibration {
    /// The map for pairs inside one profile.
    pub together: LogisticMap,
    /// The map for pairs across two profiles.
    pub apart: LogisticMap,
    /// Judged pairs the maps were fitted on (inside, across).
    pub judged: (u64, u64),
    /// Answers per γ pattern and side, sorted by pattern, then side.
    #[cfg_attr(feature = "serde", serde(default))]
    pub patterns: Vec<PatternAnswers>,
}

impl Recalibration {
    /// Fails unless both slopes are finite and positive, both intercepts finite, and
    /// the patterns sorted without repeats.
    pub(crate) fn validate(&self) -> Result<()> {
        for (name, m) in [("together", self.together), ("apart", self.apart)] {
            if !(m.slope.is_finite() && m.slope > 0.0 && m.intercept.is_finite()) {
                return Err(Error::new(
                    ErrorKind::InvalidConfig,
                    format!(
                        "calibration map {name:?}: slope {} must be finite and > 0, intercept {} finite",
                        m.slope, m.intercept
                    ),
                ));
            }
        }
        let sorted = self
            .patterns
            .windows(2)
            .all(|w| (w[0].gamma, w[0].together) < (w[1].gamma, w[1].together));
        if !sorted {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                "calibration patterns must be sorted by pattern and side, without repeats",
            ));
        }
        Ok(())
    }

    /// The map of one side.
    pub fn map(&self, together: bool) -> LogisticMap {
        if together {
            self.together
        } else {
            self.apart
        }
    }

    /// The answers on pattern `gamma` on one side, if any.
    pub fn answers(&self, gamma: Gamma, together: bool) -> Option<&PatternAnswers> {
        self.patterns
            .binary_search_by(|p| (p.gamma, p.together).cmp(&(gamma, together)))
            .ok()
            .map(|i| &self.patterns[i])
    }

    /// The recalibrated weight of a pair of pattern `gamma` and model weight `w` whose
    /// records are (`together`) or are not in one profile: `w` through the side's
    /// map, then, when pairs of the same pattern and side were answered, the
    /// probability `(same + PATTERN_PRIOR · p) / (answers + PATTERN_PRIOR)` for the
    /// mapped probability `p`. NaN and ±∞ stay as they are.
    ///
    /// ```
    /// use sameas::compare::Gamma;
    /// use sameas::model::{probability_from_weight, JudgedPair, Recalibration};
    /// let g = Gamma::from_levels(&[1, 3]);
    /// let judged: Vec<JudgedPair> = (0..20)
    ///     .map(|_| JudgedPair { gamma: g, weight: -2.0, together: false, same: false })
    ///     .collect();
    /// let r = Recalibration::fit(&judged, 1.0)?;
    /// // Twenty "different" on this pattern: such pairs are now unlikely…
    /// assert!(probability_from_weight(r.weight(g, -2.0, false)) < 0.05);
    /// // …while another pattern only follows the map.
    /// let other = Gamma::from_levels(&[1, 1]);
    /// assert_eq!(r.weight(other, -2.0, false), r.apart.apply(-2.0));
    /// # Ok::<(), sameas::Error>(())
    /// ```
    pub fn weight(&self, gamma: Gamma, w: f64, together: bool) -> f64 {
        let mapped = self.map(together).apply(w);
        if mapped.is_nan() || mapped.is_infinite() {
            return mapped;
        }
        match self.answers(gamma, together) {
            Some(a) => {
                let p = probability_from_weight(mapped);
                let n = f64::from(a.same) + f64::from(a.different);
                let q = (f64::from(a.same) + PATTERN_PRIOR * p) / (n + PATTERN_PRIOR);
                weight_from_probability(q)
            }
            None => mapped,
        }
    }

    /// Fits both maps ([`LogisticMap::fit`] with `strength`) and counts the answers
    /// per pattern and side from judged pairs.
    ///
    /// # Errors
    ///
    /// `strength` not finite and positive.
    pub fn fit(judged: &[JudgedPair], strength: f64) -> Result<Recalibration> {
        let side = |t: bool| -> Vec<(f64, bool)> {
            judged
                .iter()
                .filter(|j| j.together == t)
                .map(|j| (j.weight, j.same))
                .collect()
        };
        let (inside, across) = (side(true), side(false));
        let mut patterns: Vec<PatternAnswers> = Vec::new();
        let mut keys: Vec<(Gamma, bool, bool)> = judged
            .iter()
            .map(|j| (j.gamma, j.together, j.same))
            .collect();
        keys.sort_unstable();
        for (gamma, together, same) in keys {
            match patterns.last_mut() {
                Some(p) if (p.gamma, p.together) == (gamma, together) => {}
                _ => patterns.push(PatternAnswers {
                    gamma,
                    together,
                    same: 0,
                    different: 0,
                }),
            }
            if let Some(p) = patterns.last_mut() {
                if same {
                    p.same = p.same.saturating_add(1);
                } else {
                    p.different = p.different.saturating_add(1);
                }
            }
        }
        Ok(Recalibration {
            together: LogisticMap::fit(&inside, strength)?,
            apart: LogisticMap::fit(&across, strength)?,
            judged: (inside.len() as u64, across.len() as u64),
            patterns,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::probability_from_weight;

    #[test]
    fn fit_recovers_a_known_map() {
        // Outcomes drawn (deterministically) from p = σ(0.5·w·ln2 + 1).
        let mut judged = Vec::new();
        let mut state = 12345u64;
        for i in 0..4000 {
            let w = (i % 41) as f64 - 20.0;
            let p = probability_from_weight(0.5 * w + 1.0 / std::f64::consts::LN_2);
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            judged.push((w, u < p));
        }
        let map = LogisticMap::fit(&judged, 1.0).unwrap();
        assert!((map.slope - 0.5).abs() < 0.05, "{map:?}");
        assert!(
            (map.intercept - 1.0 / std::f64::consts::LN_2).abs() < 0.25,
            "{map:?}"
        );
    }

    #[test]
    fn few_answers_move_the_map_little() {
        let one = LogisticMap::fit(&[(-6.0, true)], 1.0).unwrap();
        let many = LogisticMap::fit(&vec![(-6.0, true); 200], 1.0).unwrap();
        let p = |m: LogisticMap| probability_from_weight(m.apply(-6.0));
        assert!(p(one) > probability_from_weight(-6.0));
        assert!(p(one) < 0.5, "{one:?}");
        assert!(p(many) > 0.9, "{many:?}");
    }

    #[test]
    fn apply_keeps_nan_and_order() {
        let m = LogisticMap {
            slope: 0.5,
            intercept: 2.0,
        };
        assert!(m.apply(f64::NAN).is_nan());
        assert_eq!(m.apply(f64::INFINITY), f64::INFINITY);
        assert!(m.apply(1.0) < m.apply(2.0));
        assert_eq!(m.apply(1e9), m.apply(MAX_BITS));
        assert!(LogisticMap::fit(&[], 0.0).is_err());
    }

    #[test]
    fn recalibration_fits_each_side_on_its_own_pairs() {
        let pair = |i: u64, weight: f64, together: bool, same: bool| JudgedPair {
            gamma: Gamma(i % 7),
            weight,
            together,
            same,
        };
        let judged: Vec<JudgedPair> = (0..100)
            .map(|i| pair(i, -5.0, true, i % 5 != 0))
            .chain((0..100).map(|i| pair(i, 8.0, false, i % 5 == 0)))
            .collect();
        let r = Recalibration::fit(&judged, 1.0).unwrap();
        assert_eq!(r.judged, (100, 100));
        // A pattern nobody answered follows the side's map.
        let unseen = Gamma(99);
        assert!(probability_from_weight(r.weight(unseen, -5.0, true)) > 0.7);
        assert!(probability_from_weight(r.weight(unseen, 8.0, false)) < 0.3);
        // Patterns are counted per side, sorted.
        assert_eq!(r.patterns.len(), 14);
        r.validate().unwrap();
        let a = r.answers(Gamma(0), true).unwrap();
        assert_eq!(a.same + a.different, 15);
        let mut bad = r.clone();
        bad.patterns.swap(0, 1);
        assert!(bad.validate().is_err());
    }

    #[test]
    fn answers_on_a_pattern_outweigh_the_map_for_that_pattern() {
        let g = Gamma(5);
        let same = |n: usize| -> Vec<JudgedPair> {
            (0..n)
                .map(|_| JudgedPair {
                    gamma: g,
                    weight: -6.0,
                    together: true,
                    same: true,
                })
                .collect()
        };
        let few = Recalibration::fit(&same(1), 1.0).unwrap();
        let many = Recalibration::fit(&same(20), 1.0).unwrap();
        let p = |r: &Recalibration| probability_from_weight(r.weight(g, -6.0, true));
        assert!(p(&few) > 0.15 && p(&few) < 0.3, "{}", p(&few));
        assert!(p(&many) > 0.9, "{}", p(&many));
        // The other side of the same pattern learned nothing from them.
        assert_eq!(many.weight(g, -6.0, false), -6.0);
        assert!(many.weight(g, f64::NAN, true).is_nan());
    }
}
