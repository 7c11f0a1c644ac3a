//! [`GraphSettings`]: the two probabilities that drive the clustering rule, their
//! defaults, and the threshold policy (a pair can never both link and veto).

use crate::error::{Error, ErrorKind, Result};
use crate::model::probability_from_weight;

/// The default link threshold: a compared pair links its records when a match is more
/// likely than not (probability ≥ 0.5). [`GraphSettings::default`] and
/// [`Config`](crate::Config) use it.
pub const DEFAULT_THRESHOLD: f64 = 0.5;

/// The default veto level: a compared pair whose match probability is below 0.01 (odds
/// of 1 : 99 or worse, about −6.6 bits) forbids any join that would put its two records
/// in one profile. Low enough that one noisy field between true duplicates does not
/// split them, high enough that a present-and-different date of birth or given name
/// keeps two members of a household apart. [`GraphSettings::default`],
/// [`Config`](crate::Config) and the Python bindings (`sameas.DEFAULT_VETO`) use it.
pub const DEFAULT_VETO: f64 = 0.01;

/// Thresholds of the clustering rule, as posterior match probabilities.
///
/// - `threshold`: a compared pair whose probability is at least this links its two
///   records (subject to the vetoes). Default [`DEFAULT_THRESHOLD`].
/// - `veto`: a compared pair whose probability is *below* this is strong evidence that
///   the two records are different people; it forbids any join that would put them in
///   one profile. Default [`DEFAULT_VETO`]. `veto` = 0 disables vetoes.
///
/// A pair's probability is [`probability_from_weight`] of its weight; a NaN weight is
/// no evidence: it neither links nor vetoes.
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
            threshold: DEFAULT_THRESHOLD,
            veto: DEFAULT_VETO,
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

    /// The threshold policy: link threshold `p` (a probability in `[0, 1]`), with the
    /// veto lowered to `p` when it was above, so that a pair can never both link and
    /// veto. [`Config::set_threshold`](crate::Config::set_threshold) applies it.
    ///
    /// ```
    /// use sameas::graph::{GraphSettings, DEFAULT_VETO};
    /// let strict = GraphSettings::default().with_threshold(0.9)?;
    /// assert_eq!((strict.threshold, strict.veto), (0.9, DEFAULT_VETO));
    /// let loose = GraphSettings::default().with_threshold(0.001)?;
    /// assert_eq!((loose.threshold, loose.veto), (0.001, 0.001));
    /// assert!(GraphSettings::default().with_threshold(f64::NAN).is_err());
    /// # Ok::<(), sameas::Error>(())
    /// ```
    pub fn with_threshold(self, p: f64) -> Result<Self> {
        if !(p.is_finite() && (0.0..=1.0).contains(&p)) {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                format!("threshold must be a probability in [0, 1], got {p}"),
            ));
        }
        Ok(GraphSettings {
            threshold: p,
            veto: self.veto.min(p),
        })
    }

    /// Whether a compared pair of weight `w` is a candidate link: probability at or
    /// above `threshold`. A NaN weight (no evidence) never links.
    #[inline]
    pub(crate) fn links(&self, w: f64) -> bool {
        !w.is_nan() && probability_from_weight(w) >= self.threshold
    }

    /// Whether a compared pair of weight `w` vetoes: probability below `veto`. A NaN
    /// weight (no evidence) never vetoes.
    #[inline]
    pub(crate) fn vetoes(&self, w: f64) -> bool {
        !w.is_nan() && probability_from_weight(w) < self.veto
    }
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
    fn nan_weights_neither_link_nor_veto() {
        let s = GraphSettings {
            threshold: 0.0,
            veto: 0.5,
        };
        assert!(!s.links(f64::NAN) && !s.vetoes(f64::NAN));
        assert!(s.links(f64::NEG_INFINITY) && s.vetoes(f64::NEG_INFINITY));
        assert!(s.links(0.0) && !s.vetoes(0.0));
    }
}
