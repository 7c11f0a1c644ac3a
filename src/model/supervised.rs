//! m and u from labelled pairs: counts with additive smoothing.

use super::params::{invalid, Model, PROB_FLOOR};
use super::train_u::distribute;
use crate::compare::Gamma;
use crate::error::{Error, ErrorKind, Result};

/// What supervised training counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SupervisedReport {
    /// Labelled matches seen.
    pub matches: u64,
    /// Labelled non-matches seen.
    pub non_matches: u64,
    /// Whether the prior was set from the labelled match share.
    pub prior_from_labels: bool,
}

impl Model {
    /// Trains m (from labelled matches) and u (from labelled non-matches) by counting
    /// levels among non-null comparisons, with `smoothing` added to every level's count
    /// (Laplace; 1.0 is a common choice, 0 allowed: levels are still kept at least
    /// about 1e-6). Fixed m and u are kept; a class with no pairs leaves its parameter
    /// unchanged.
    ///
    /// The prior is set to the labelled match share only while it is still the
    /// default of [`Model::new`] (never set by the user, rules or EM) and both classes
    /// are present. That share is λ only if the labelled pairs are a random sample of
    /// all pairs; labels usually come from candidates, so prefer setting λ from rules.
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
    /// let mut model = Model::new(&[c])?;
    /// let same = (Gamma::from_levels(&[1]), true);
    /// let diff = (Gamma::from_levels(&[2]), false);
    /// model.train_supervised(&[same, same, same, diff], 1.0)?;
    /// assert_eq!(model.m(0, 1), Some(4.0 / 5.0)); // (3 + 1) / (3 + 2)
    /// assert_eq!(model.u(0, 1), Some(1.0 / 3.0)); // (0 + 1) / (1 + 2)
    /// # Ok::<(), sameas::Error>(())
    /// ```
    pub fn train_supervised(
        &mut self,
        labelled: &[(Gamma, bool)],
        smoothing: f64,
    ) -> Result<SupervisedReport> {
        self.train_from_clusters(labelled.iter().copied(), smoothing)
    }

    /// Like [`Model::train_supervised`], from any iterator of `(γ, same_entity)`, e.g.
    /// the candidate pairs of a clustering with known entity ids, labelled by whether
    /// both records carry the same id.
    pub fn train_from_clusters<I>(&mut self, pairs: I, smoothing: f64) -> Result<SupervisedReport>
    where
        I: IntoIterator<Item = (Gamma, bool)>,
    {
        if !(smoothing.is_finite() && smoothing >= 0.0) {
            return Err(invalid(format!(
                "smoothing {smoothing} is not finite and >= 0"
            )));
        }
        let width = self.comparisons.len() * crate::compare::MAX_LEVELS;
        let mut in_match = vec![0u64; width];
        let mut in_non = vec![0u64; width];
        let (mut matches, mut non_matches) = (0u64, 0u64);
        for (g, same) in pairs {
            let (counts, total) = if same {
                (&mut in_match, &mut matches)
            } else {
                (&mut in_non, &mut non_matches)
            };
            *total = total.saturating_add(1);
            for c in 0..self.comparisons.len() {
                let at = c * crate::compare::MAX_LEVELS + g.level(c) as usize;
                if let Some(slot) = counts.get_mut(at) {
                    *slot = slot.saturating_add(1);
                }
            }
        }
        if matches == 0 && non_matches == 0 {
            return Err(Error::new(ErrorKind::Training, "no labelled pairs"));
        }
        let mut next = self.clone();
        for (c, p) in next.comparisons.iter_mut().enumerate() {
            let levels = p.levels.len();
            let range =
                c * crate::compare::MAX_LEVELS + 1..c * crate::compare::MAX_LEVELS + 1 + levels;
            for (counts, is_m) in [(&in_match, true), (&in_non, false)] {
                let seen = &counts[range.clone()];
                let n: u64 = seen.iter().sum();
                if n == 0 {
                    continue;
                }
                let raw: Vec<f64> = seen
                    .iter()
                    .map(|&k| (k as f64 + smoothing) / (n as f64 + smoothing * levels as f64))
                    .collect();
                let fixed: Vec<Option<f64>> = p
                    .levels
                    .iter()
                    .map(|l| match is_m {
                        true => l.m_fixed.then_some(l.m),
                        false => l.u_fixed.then_some(l.u),
                    })
                    .collect();
                let new = distribute(&raw, &fixed, PROB_FLOOR).ok_or_else(|| {
                    Error::new(
                        ErrorKind::Training,
                        format!("comparison {:?}: fixed values leave no probability for the other levels", p.name),
                    )
                })?;
                for (l, v) in p.levels.iter_mut().zip(new) {
                    if is_m {
                        l.m = v;
                    } else {
                        l.u = v;
                    }
                }
            }
        }
        let mut prior_from_labels = false;
        if next.prior_is_default && !next.prior_fixed && matches > 0 && non_matches > 0 {
            let share = matches as f64 / (matches as f64 + non_matches as f64);
            if share > 0.0 && share < 1.0 {
                next.prior = share;
                next.prior_is_default = false;
                prior_from_labels = true;
            }
        }
        next.rebuild();
        *self = next;
        Ok(SupervisedReport {
            matches,
            non_matches,
            prior_from_labels,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_support::comparison;

    #[test]
    fn counts_with_smoothing_and_prior_rules() {
        let mut model =
            Model::new(&[comparison("name", 1, false), comparison("dob", 0, false)]).unwrap();
        let g = Gamma::from_levels;
        let labelled = [
            (g(&[1, 1]), true),
            (g(&[1, 0]), true),
            (g(&[2, 1]), true),
            (g(&[3, 2]), false),
            (g(&[3, 2]), false),
            (g(&[2, 2]), false),
            (g(&[1, 2]), false),
        ];
        let r = model.train_supervised(&labelled, 1.0).unwrap();
        assert_eq!(
            (r.matches, r.non_matches, r.prior_from_labels),
            (3, 4, true)
        );
        // name among matches: exact 2, fuzzy 1, else 0 → (2+1)/(3+3), (1+1)/6, 1/6
        assert!((model.m(0, 1).unwrap() - 0.5).abs() < 1e-12);
        assert!((model.m(0, 3).unwrap() - 1.0 / 6.0).abs() < 1e-12);
        // dob among matches: one null ignored → exact 2 of 2 → 3/4
        assert!((model.m(1, 1).unwrap() - 0.75).abs() < 1e-12);
        // dob among non-matches: else 4 of 4 → exact 1/6
        assert!((model.u(1, 1).unwrap() - 1.0 / 6.0).abs() < 1e-12);
        assert!((model.prior() - 3.0 / 7.0).abs() < 1e-12);

        // a set prior is not replaced; fixed values are kept
        let mut model =
            Model::new(&[comparison("name", 1, false), comparison("dob", 0, false)]).unwrap();
        model.set_prior(0.001).unwrap();
        model.fix_m(1, 1, 0.9).unwrap();
        let r = model.train_supervised(&labelled, 0.0).unwrap();
        assert!(!r.prior_from_labels);
        assert_eq!(model.prior(), 0.001);
        assert_eq!(model.m(1, 1), Some(0.9));
        // zero smoothing still leaves no zero probability
        assert!(model.m(0, 3).unwrap() > 0.0);

        assert!(model.train_supervised(&[], 1.0).is_err());
        assert!(model.train_supervised(&labelled, f64::NAN).is_err());
        assert!(model.train_supervised(&labelled, -1.0).is_err());
    }
}
