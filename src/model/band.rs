//! Weights ↔ probabilities, and the coarse confidence band of a probability.

use std::fmt;

/// Posterior probability of a match from a total match weight `w` (log2 odds):
/// `2^w / (1 + 2^w)`.
///
/// Computed as `1 / (1 + 2^-w)`, which cannot overflow: `+∞` gives 1, `-∞` gives 0,
/// and `NaN` (impossible for a valid model, but never let through) gives 0, so that a
/// broken input is never read as evidence of a match. The result is always in [0, 1].
///
/// ```
/// assert_eq!(sameas::model::probability_from_weight(0.0), 0.5);
/// assert_eq!(sameas::model::probability_from_weight(f64::INFINITY), 1.0);
/// assert_eq!(sameas::model::probability_from_weight(-2000.0), 0.0);
/// ```
#[inline]
pub fn probability_from_weight(w: f64) -> f64 {
    if w.is_nan() {
        return 0.0;
    }
    1.0 / (1.0 + (-w).exp2())
}

/// The match weight (log2 odds) of a probability, the inverse of
/// [`probability_from_weight`]: useful to turn a probability threshold into a weight
/// threshold once. 0 maps to `-∞`, 1 to `+∞`; `NaN` and values outside [0, 1] are
/// clamped into [0, 1] first (`NaN` → 0).
pub fn weight_from_probability(p: f64) -> f64 {
    let p = if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) };
    (p / (1.0 - p)).log2()
}

/// A coarse reading of a match probability, for people and for rules that do not want
/// to pick a number.
///
/// Cut-offs (lower bounds, inclusive): `Certain` ≥ 0.99, `Likely` ≥ 0.9,
/// `Possible` ≥ 0.5, `Unlikely` below 0.5 (and for `NaN`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ConfidenceBand {
    /// Probability below 0.5: more likely two different people.
    Unlikely,
    /// Probability in [0.5, 0.9): more likely than not the same person; worth review.
    Possible,
    /// Probability in [0.9, 0.99).
    Likely,
    /// Probability ≥ 0.99.
    Certain,
}

impl ConfidenceBand {
    /// Every band, lowest first.
    pub const ALL: [ConfidenceBand; 4] = [
        ConfidenceBand::Unlikely,
        ConfidenceBand::Possible,
        ConfidenceBand::Likely,
        ConfidenceBand::Certain,
    ];

    /// The band of probability `p`.
    ///
    /// ```
    /// use sameas::ConfidenceBand;
    /// assert_eq!(ConfidenceBand::of(0.995), ConfidenceBand::Certain);
    /// assert_eq!(ConfidenceBand::of(0.9), ConfidenceBand::Likely);
    /// assert_eq!(ConfidenceBand::of(0.5), ConfidenceBand::Possible);
    /// assert_eq!(ConfidenceBand::of(f64::NAN), ConfidenceBand::Unlikely);
    /// ```
    pub fn of(p: f64) -> ConfidenceBand {
        if p >= 0.99 {
            ConfidenceBand::Certain
        } else if p >= 0.9 {
            ConfidenceBand::Likely
        } else if p >= 0.5 {
            ConfidenceBand::Possible
        } else {
            ConfidenceBand::Unlikely
        }
    }

    /// The smallest probability in this band.
    pub fn lower_bound(self) -> f64 {
        match self {
            ConfidenceBand::Certain => 0.99,
            ConfidenceBand::Likely => 0.9,
            ConfidenceBand::Possible => 0.5,
            ConfidenceBand::Unlikely => 0.0,
        }
    }

    /// Lower-case name: `"certain"`, `"likely"`, `"possible"`, `"unlikely"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ConfidenceBand::Certain => "certain",
            ConfidenceBand::Likely => "likely",
            ConfidenceBand::Possible => "possible",
            ConfidenceBand::Unlikely => "unlikely",
        }
    }
}

/// The lower bounds of the named bands, as probabilities: the `bands` section of a
/// [`Config`](crate::Config). A probability at or above `certain` is
/// [`ConfidenceBand::Certain`], at or above `likely` [`ConfidenceBand::Likely`], at or
/// above `possible` [`ConfidenceBand::Possible`], else [`ConfidenceBand::Unlikely`].
/// Defaults 0.99 / 0.9 / 0.5 (those of [`ConfidenceBand::of`]).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct BandThresholds {
    /// Lower bound of `certain` (e.g. merge without review).
    pub certain: f64,
    /// Lower bound of `likely`.
    pub likely: f64,
    /// Lower bound of `possible` (below: `unlikely`).
    pub possible: f64,
}

impl Default for BandThresholds {
    fn default() -> Self {
        BandThresholds {
            certain: ConfidenceBand::Certain.lower_bound(),
            likely: ConfidenceBand::Likely.lower_bound(),
            possible: ConfidenceBand::Possible.lower_bound(),
        }
    }
}

impl BandThresholds {
    /// The band of probability `p` under these thresholds (`NaN` is `Unlikely`).
    ///
    /// ```
    /// use sameas::model::BandThresholds;
    /// use sameas::ConfidenceBand;
    /// let strict = BandThresholds { certain: 0.999, likely: 0.95, possible: 0.7 };
    /// assert_eq!(strict.band(0.995), ConfidenceBand::Likely);
    /// assert_eq!(BandThresholds::default().band(0.995), ConfidenceBand::Certain);
    /// ```
    pub fn band(&self, p: f64) -> ConfidenceBand {
        if p >= self.certain {
            ConfidenceBand::Certain
        } else if p >= self.likely {
            ConfidenceBand::Likely
        } else if p >= self.possible {
            ConfidenceBand::Possible
        } else {
            ConfidenceBand::Unlikely
        }
    }

    /// Checks `0 < possible <= likely <= certain <= 1` (none NaN); the error names
    /// the key (`bands.likely`).
    pub fn validate(&self) -> crate::Result<()> {
        let order = [
            ("bands.possible", self.possible),
            ("bands.likely", self.likely),
            ("bands.certain", self.certain),
        ];
        let mut below = 0.0;
        for (key, p) in order {
            if !(p.is_finite() && p > below && p <= 1.0) {
                return Err(crate::Error::new(
                    crate::ErrorKind::InvalidConfig,
                    format!(
                        "{key} must be a probability in ({below}, 1], above the band below it, got {p}"
                    ),
                ));
            }
            below = p;
        }
        Ok(())
    }
}

impl fmt::Display for ConfidenceBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probability_matches_hand_computed_values() {
        assert_eq!(probability_from_weight(0.0), 0.5);
        // 2^3 / (1 + 2^3) = 8/9
        assert!((probability_from_weight(3.0) - 8.0 / 9.0).abs() < 1e-15);
        assert!((probability_from_weight(-3.0) - 1.0 / 9.0).abs() < 1e-15);
        assert_eq!(probability_from_weight(2000.0), 1.0);
        assert_eq!(probability_from_weight(-2000.0), 0.0);
        assert_eq!(probability_from_weight(f64::NEG_INFINITY), 0.0);
        assert_eq!(probability_from_weight(f64::NAN), 0.0);
    }

    #[test]
    fn weight_inverts_probability() {
        for w in [-30.0, -3.5, 0.0, 1.25, 20.0] {
            let back = weight_from_probability(probability_from_weight(w));
            assert!((back - w).abs() < 1e-9, "{w} -> {back}");
        }
        assert_eq!(weight_from_probability(1.0), f64::INFINITY);
        assert_eq!(weight_from_probability(0.0), f64::NEG_INFINITY);
        assert_eq!(weight_from_probability(f64::NAN), f64::NEG_INFINITY);
    }

    #[test]
    fn configured_thresholds_move_the_bands_and_must_be_ordered() {
        let d = BandThresholds::default();
        for p in [0.0, 0.3, 0.5, 0.89, 0.9, 0.95, 0.99, 1.0, f64::NAN] {
            assert_eq!(d.band(p), ConfidenceBand::of(p), "{p}");
        }
        let t = BandThresholds {
            certain: 0.999,
            likely: 0.8,
            possible: 0.3,
        };
        assert!(t.validate().is_ok());
        assert_eq!(t.band(0.99), ConfidenceBand::Likely);
        assert_eq!(t.band(0.35), ConfidenceBand::Possible);
        assert_eq!(t.band(0.29), ConfidenceBand::Unlikely);
        let bad = BandThresholds { likely: 0.2, ..t };
        assert!(bad
            .validate()
            .unwrap_err()
            .to_string()
            .contains("bands.likely"));
        let nan = BandThresholds {
            certain: f64::NAN,
            ..t
        };
        assert!(nan.validate().is_err());
    }

    #[test]
    fn bands_have_documented_cut_offs() {
        assert_eq!(ConfidenceBand::of(0.99), ConfidenceBand::Certain);
        assert_eq!(ConfidenceBand::of(0.989_999), ConfidenceBand::Likely);
        assert_eq!(ConfidenceBand::of(0.899_999), ConfidenceBand::Possible);
        assert_eq!(ConfidenceBand::of(0.499_999), ConfidenceBand::Unlikely);
        for b in ConfidenceBand::ALL {
            assert_eq!(ConfidenceBand::of(b.lower_bound()), b);
        }
        assert!(ConfidenceBand::Certain > ConfidenceBand::Unlikely);
    }
}
