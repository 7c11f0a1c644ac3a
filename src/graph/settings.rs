//! [`GraphSettings`]: the two probabilities that drive the clustering rule.

use crate::error::{Error, ErrorKind, Result};

/// Thresholds of the clustering rule, as posterior match probabilities.
///
/// - `threshold`: a compared pair whose probability is at least this links its two
///   records (subject to the vetoes). Default 0.5: link when a match is more likely than not.
/// - `veto`: a compared pair whose probability is *below* this is strong evidence that
///   the two records are different people; it forbids any join that would put them in
///   one profile. Default 0.001 (odds of 1 : 999 or worse, about −10 bits): only
///   overwhelming evidence vetoes, so one noisy field between true duplicates does not
///   split them. `veto` = 0 disables vetoes.
///
/// Note that the probability of a pair with no evidence at all equals the model's prior;
/// if that prior is below `veto`, pairs that share nothing would veto. Keep `veto` below
/// the prior of compared (blocked) pairs, or give such pairs no edge.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GraphSettings {
    /// Probability at or above which a compared pair links its records.
    pub threshold: f64,
    /// Probability below which a compared pair vetoes joining its records' clusters.
    pub veto: f64,
}

impl Default for GraphSettings {
    fn default() -> Self {
        GraphSettings {
            threshold: 0.5,
            veto: 0.001,
        }
    }
}

impl GraphSettings {
    /// Checks that `0 ≤ veto ≤ threshold ≤ 1` and that neither is NaN.
    pub fn validate(&self) -> Result<()> {
        let ok = self.threshold.is_finite()
            && self.veto.is_finite()
            && (0.0..=1.0).contains(&self.threshold)
            && self.veto >= 0.0
            && self.veto <= self.threshold;
        if ok {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::InvalidConfig,
                format!(
                    "graph settings need 0 <= veto <= threshold <= 1, got threshold {} veto {}",
                    self.threshold, self.veto
                ),
            ))
        }
    }
}

/// The posterior probability of a match weight `w` (log2 odds): `2^w / (1 + 2^w)`.
///
/// Computed as `1 / (1 + 2^-w)` so that ±∞ give 1 and 0. NaN stays NaN, which the rule
/// treats as "no evidence": it never links and never vetoes.
#[inline]
pub(crate) fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_validate_and_bad_values_do_not() {
        assert!(GraphSettings::default().validate().is_ok());
        for (t, v) in [
            (f64::NAN, 0.0),
            (0.5, f64::NAN),
            (1.5, 0.0),
            (0.5, 0.6),
            (0.5, -0.1),
            (f64::INFINITY, 0.0),
        ] {
            let e = GraphSettings {
                threshold: t,
                veto: v,
            }
            .validate()
            .unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        }
    }

    #[test]
    fn probability_of_weights() {
        assert_eq!(probability(0.0), 0.5);
        assert_eq!(probability(f64::INFINITY), 1.0);
        assert_eq!(probability(f64::NEG_INFINITY), 0.0);
        assert!((probability(1.0) - 2.0 / 3.0).abs() < 1e-12);
        assert!(probability(f64::NAN).is_nan());
    }
}
