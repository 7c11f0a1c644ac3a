//! Given and family names are not independent among strangers.
//!
//! A Fellegi–Sunter model multiplies the chance that two strangers agree on the given
//! name by the chance that they agree on the family name. People do not draw those
//! names independently: a family name says which language (often which region and
//! generation) the given name comes from, so two strangers who share a family name
//! share or nearly share a given name several times more often than two strangers at
//! large (on mixed-language generated customers 2–4× for the exact given name). Multiplying the two frequencies then
//! makes "same name, nothing else" look far rarer among strangers than it is, and
//! namesakes merge — more of them the larger the data.
//!
//! [`NameDependence`] keeps, for the given-name comparison, its `u` among strangers who
//! share the family name exactly, and for the family-name comparison its `u` among
//! strangers who share the given name exactly. Scoring uses the first where the family
//! name is exact, else the second where the given name is exact (the chain rule
//! P(f, g) = P(f)·P(g | f), one factor conditioned, never both): the level's weight
//! moves by `log2(u / u_conditional)`. Training estimates both from the data itself
//! (pairs drawn within groups of records that share the name, counted only where the
//! other comparisons clearly say "two people"), so data whose names are independent
//! gets no change.

use super::params::{check_mu, invalid, ComparisonParams};
use crate::error::Result;

/// The given-name comparison's `u` among strangers sharing the family name, and the
/// family-name comparison's `u` among strangers sharing the given name (see the
/// module documentation).
///
/// An empty list means "no conditional estimate": that comparison keeps its own `u`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NameDependence {
    /// Index of the given-name comparison.
    pub given: usize,
    /// Index of the family-name comparison.
    pub family: usize,
    /// u of each non-null given-name level, in level order, among strangers whose
    /// family names agree exactly.
    pub given_u_same_family: Vec<f64>,
    /// u of each non-null family-name level, in level order, among strangers whose
    /// given names agree exactly.
    pub family_u_same_given: Vec<f64>,
}

impl NameDependence {
    /// Checks the indices and the lists against the model's `comparisons`.
    pub(crate) fn validate(&self, comparisons: &[ComparisonParams]) -> Result<()> {
        let (g, f) = (self.given, self.family);
        if g == f || g >= comparisons.len() || f >= comparisons.len() {
            return Err(invalid(format!(
                "name dependence: comparisons {g} and {f} are not two of the model's {}",
                comparisons.len()
            )));
        }
        let levels = |c: usize| comparisons[c].levels.len();
        if comparisons[g].exact_level.is_none() || comparisons[f].exact_level.is_none() {
            return Err(invalid(
                "name dependence: both name comparisons need an exact level",
            ));
        }
        for (c, us) in [
            (g, &self.given_u_same_family),
            (f, &self.family_u_same_given),
        ] {
            if !us.is_empty() && us.len() != levels(c) {
                return Err(invalid(format!(
                    "name dependence: {} u values for comparison {c} of {} levels",
                    us.len(),
                    levels(c)
                )));
            }
            for &u in us.iter() {
                check_mu("name dependence u", u)?;
            }
        }
        Ok(())
    }

    /// `log2(u / u_conditional)` of every level of the conditioned comparison:
    /// `(given's by level, family's by level)`, index 0 (null) and levels without an
    /// estimate 0.
    pub(crate) fn shifts(&self, u_of: impl Fn(usize, usize) -> f64) -> (Vec<f64>, Vec<f64>) {
        let shift = |c: usize, conditional: &[f64]| -> Vec<f64> {
            std::iter::once(0.0)
                .chain(
                    conditional
                        .iter()
                        .enumerate()
                        .map(|(i, &uc)| (u_of(c, i + 1) / uc).log2()),
                )
                .collect()
        };
        (
            shift(self.given, &self.given_u_same_family),
            shift(self.family, &self.family_u_same_given),
        )
    }
}

/// Where the weight of a pair moves for the name dependence: the derived form a
/// [`super::Model`] keeps (see [`NameDependence`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct DependenceShifts {
    pub given: usize,
    pub family: usize,
    pub given_exact: u8,
    pub family_exact: u8,
    /// `log2(u / u | same family)` per given-name level (index = γ level).
    pub given_shift: Vec<f64>,
    /// `log2(u / u | same given name)` per family-name level.
    pub family_shift: Vec<f64>,
}

impl DependenceShifts {
    /// The comparison whose weight moves for γ levels `(given, family)`, and by how
    /// much: the given name's when the family name is exact, else the family name's
    /// when the given name is exact; `None` otherwise (or where nothing moves).
    #[inline]
    pub(crate) fn shift(&self, given: u8, family: u8) -> Option<(usize, f64)> {
        let (c, table, level) = if family == self.family_exact {
            (self.given, &self.given_shift, given)
        } else if given == self.given_exact {
            (self.family, &self.family_shift, family)
        } else {
            return None;
        };
        table
            .get(level as usize)
            .copied()
            .filter(|&s| s != 0.0)
            .map(|s| (c, s))
    }
}

/// u of each non-null level of a comparison among strangers, from level counts
/// `counts` (index = γ level − 1) of pairs taken as strangers. Each level but the last
/// ("else") moves from the unconditional `u` by the ratio of the agreements seen to
/// those `u` expects ([`shrunk_ratio`]): a ratio is believed once tens of agreements
/// back it, and a level that expected one agreement and saw
/// none stays near its `u` (a fixed number of pseudo-pairs would leave a rare level's
/// `u` at a fraction of itself after a few hundred pairs). The last level takes the
/// rest. `None` when no pair was counted.
pub(crate) fn conditional_u(counts: &[f64], u: &[f64]) -> Option<Vec<f64>> {
    let total: f64 = counts.iter().sum();
    let u_total: f64 = u.iter().sum();
    if total.is_nan() || total <= 0.0 || counts.len() != u.len() || u.is_empty() || u_total <= 0.0 {
        return None;
    }
    let last = u.len() - 1;
    let mut out: Vec<f64> = counts[..last]
        .iter()
        .zip(&u[..last])
        .map(|(&k, &uu)| {
            let share = uu / u_total;
            (share * shrunk_ratio(k, total * share)).clamp(1e-6, 1.0)
        })
        .collect();
    let rest = 1.0 - out.iter().sum::<f64>();
    out.push(rest.clamp(1e-6, 1.0));
    Some(out)
}

/// How many agreements `seen` are to those `expected` without dependence, both
/// counted with [`SHRINK_AGREEMENTS`] more: the factor a level's `u` moves by among
/// strangers sharing a name (see [`conditional_u`]).
pub(crate) fn shrunk_ratio(seen: f64, expected: f64) -> f64 {
    (seen + SHRINK_AGREEMENTS) / (expected + SHRINK_AGREEMENTS)
}

/// How many agreements' worth of "no dependence" a level's conditional `u` starts
/// from: a ratio is believed once tens of agreements back it.
const SHRINK_AGREEMENTS: f64 = 10.0;

#[cfg(test)]
mod tests {
    use super::*;

    fn dep() -> NameDependence {
        NameDependence {
            given: 0,
            family: 1,
            given_u_same_family: vec![0.004, 0.01, 0.986],
            family_u_same_given: vec![],
        }
    }

    #[test]
    fn validation_names_the_fault() {
        use crate::model::test_support::comparison;
        use crate::model::Model;
        // given: exact / fuzzy / else; family: exact / else
        let model =
            Model::new(&[comparison("given", 1, true), comparison("family", 0, true)]).unwrap();
        let comparisons = model.comparisons();
        assert!(dep().validate(comparisons).is_ok());
        let mut d = dep();
        d.family = 0;
        assert!(d.validate(comparisons).is_err());
        let mut d = dep();
        d.given_u_same_family.pop();
        assert!(d.validate(comparisons).is_err());
        let mut d = dep();
        d.given_u_same_family[0] = 0.0;
        assert!(d.validate(comparisons).is_err());
        let mut no_exact = comparisons.to_vec();
        no_exact[1].exact_level = None;
        assert!(dep().validate(&no_exact).is_err());
    }

    #[test]
    fn the_family_conditions_the_given_name_first() {
        let (given_shift, family_shift) = dep().shifts(|_, l| [0.0, 0.001, 0.01, 0.989][l]);
        let s = DependenceShifts {
            given: 0,
            family: 1,
            given_exact: 1,
            family_exact: 1,
            given_shift,
            family_shift,
        };
        // same family, same given name: the given name's u is 4× the unconditional one
        let (c, w) = s.shift(1, 1).unwrap();
        assert_eq!(c, 0);
        assert!((w - (0.001f64 / 0.004).log2()).abs() < 1e-12);
        // no estimate for the family name given the given name: nothing moves
        assert_eq!(s.shift(1, 2), None);
        // neither exact: nothing moves
        assert_eq!(s.shift(2, 2), None);
        // null given name beside an exact family: nothing to move
        assert_eq!(s.shift(0, 1), None);
    }

    #[test]
    fn the_model_moves_the_given_name_beside_an_exact_family_and_explains_it() {
        use crate::compare::Gamma;
        use crate::model::test_support::comparison;
        use crate::model::Model;
        // given: exact / fuzzy / else; family: exact / else
        let mut model =
            Model::new(&[comparison("given", 1, true), comparison("family", 0, true)]).unwrap();
        model.set_prior(1e-4).unwrap();
        for (l, u) in [(1, 0.001), (2, 0.01)] {
            model.set_u(0, l, u).unwrap();
        }
        model.set_u(1, 1, 0.002).unwrap();
        let same_names = Gamma::from_levels(&[1, 1]);
        let fuzzy_given = Gamma::from_levels(&[2, 1]);
        let other_family = Gamma::from_levels(&[1, 2]);
        let tf = |c: usize| Some(if c == 0 { 0.0005 } else { 0.003 });
        let before = [same_names, fuzzy_given, other_family].map(|g| model.weight_with_tf(g, tf));
        model
            .set_name_dependence(Some(NameDependence {
                given: 0,
                family: 1,
                given_u_same_family: vec![0.004, 0.05, 0.946],
                family_u_same_given: Vec::new(),
            }))
            .unwrap();
        let after = [same_names, fuzzy_given, other_family].map(|g| model.weight_with_tf(g, tf));
        assert!(
            (before[0] - after[0] - 2.0).abs() < 1e-12,
            "u 4x: two bits less"
        );
        assert!((before[1] - after[1] - 5f64.log2()).abs() < 1e-12);
        assert_eq!(before[2], after[2], "a different family name moves nothing");
        let why = model.explain(same_names, tf);
        assert_eq!(why.total_weight.to_bits(), after[0].to_bits());
        assert!((why.steps[0].dependence_adjustment + 2.0).abs() < 1e-12);
        assert!(why
            .to_string()
            .contains("beside the other name's agreement"));
        // A dependence that does not fit the comparisons is refused.
        let wrong = NameDependence {
            given: 0,
            family: 1,
            given_u_same_family: vec![0.5],
            family_u_same_given: Vec::new(),
        };
        assert!(model.set_name_dependence(Some(wrong)).is_err());
        #[cfg(feature = "serde")]
        {
            let json = serde_json::to_string(&model).unwrap();
            let back: Model = serde_json::from_str(&json).unwrap();
            assert_eq!(back, model);
            assert_eq!(back.weight_with_tf(same_names, tf), after[0]);
        }
    }

    #[test]
    fn conditional_u_shrinks_a_thin_sample_towards_u() {
        let u = [0.001, 0.01, 0.989];
        let thin = conditional_u(&[1.0, 0.0, 0.0], &u).unwrap();
        assert!(thin[0] < 0.02 && thin[0] > 0.001, "{thin:?}");
        // Five hundred pairs: the rare level expected one agreement and saw none; it
        // stays near its u instead of dropping to a fraction of it.
        let few = conditional_u(&[4.0, 0.0, 496.0], &[0.004, 0.002, 0.994]).unwrap();
        assert!(few[1] > 0.0018 && few[1] < 0.002, "{few:?}");
        // Four agreements where two were expected: up, but far less than twice.
        assert!(few[0] > 0.004 && few[0] < 0.005, "{few:?}");
        // Thousands of agreements: the measured ratio holds.
        let thick = conditional_u(&[4000.0, 10_000.0, 986_000.0], &u).unwrap();
        assert!((thick[0] - 0.004).abs() < 1e-4, "{thick:?}");
        assert!((thick[1] - 0.01).abs() < 1e-4, "{thick:?}");
        assert!((thick.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert_eq!(conditional_u(&[0.0, 0.0, 0.0], &u), None);
    }
}
