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

use crate::error::{Error, ErrorKind, Result};

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

/// What reviewed pairs say about the model's probabilities: one [`LogisticMap`] for
/// pairs whose records are in one profile, one for pairs across two profiles (the
/// profiles are evidence the pair's own comparisons do not see; see the module
/// documentation). Fitted by [`Review::recalibrate`](crate::profiles::Review::recalibrate)
/// and kept with the model ([`Model::calibration`](crate::Model::calibration)); the
/// graph then reports recalibrated probabilities (pairs, memberships, the review
/// queue) while clustering still cuts the model's own weights.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Recalibration {
    /// The map for pairs inside one profile.
    pub together: LogisticMap,
    /// The map for pairs across two profiles.
    pub apart: LogisticMap,
    /// Judged pairs the maps were fitted on (inside, across).
    pub judged: (u64, u64),
}

impl Recalibration {
    /// Fails unless both slopes are finite and positive and both intercepts finite.
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
        Ok(())
    }

    /// The recalibrated weight of a pair of weight `w` whose records are (`together`)
    /// or are not in one profile.
    pub fn apply(&self, w: f64, together: bool) -> f64 {
        if together {
            self.together.apply(w)
        } else {
            self.apart.apply(w)
        }
    }

    /// Fits both maps ([`LogisticMap::fit`] with `strength`) from judged pairs
    /// `(weight, together, same person)`.
    ///
    /// # Errors
    ///
    /// `strength` not finite and positive.
    pub fn fit(judged: &[(f64, bool, bool)], strength: f64) -> Result<Recalibration> {
        let side = |t: bool| -> Vec<(f64, bool)> {
            judged
                .iter()
                .filter(|j| j.1 == t)
                .map(|&(w, _, y)| (w, y))
                .collect()
        };
        let (inside, across) = (side(true), side(false));
        Ok(Recalibration {
            together: LogisticMap::fit(&inside, strength)?,
            apart: LogisticMap::fit(&across, strength)?,
            judged: (inside.len() as u64, across.len() as u64),
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
        let judged: Vec<(f64, bool, bool)> = (0..100)
            .map(|i| (-5.0, true, i % 5 != 0))
            .chain((0..100).map(|i| (8.0, false, i % 5 == 0)))
            .collect();
        let r = Recalibration::fit(&judged, 1.0).unwrap();
        assert_eq!(r.judged, (100, 100));
        assert!(probability_from_weight(r.apply(-5.0, true)) > 0.7);
        assert!(probability_from_weight(r.apply(8.0, false)) < 0.3);
    }
}
