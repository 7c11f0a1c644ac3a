//! A third latent class for EM: "same household, different person".
//!
//! Members of one household share a landline, an address, a family name, often a
//! loyalty card, now and then an e-mail. Among candidate pairs blocked on such data they are
//! common, and a two-class EM has only one place to put them: with the matches, where
//! they make "different given name" or "different date of birth" look like something
//! that happens to the same person (m of those levels rises to ~0.1, and a household
//! merges into one profile). Here they get their own class, with no parameters of its
//! own: on the household comparisons it agrees as matches do (same m), on the person
//! comparisons (given name, date of birth, e-mail, …) it is drawn like strangers (u), except
//! that a share of its pairs may agree on one of them as one person's records do
//! (twins on the birth date, a family mailbox on the e-mail;
//! `EmSettings::household_alike_on` says where). Only its
//! share and those alike rates are estimated, so it cannot wander off into another
//! solution; where the data holds no households it simply stays small. Only the match
//! class's m, the shares and the alike rates are returned; scoring weighs a pair
//! against strangers (u from random pairs) and against this class (see
//! [`HouseholdTerm`]).
//!
//! Which comparisons a household shares comes from the field kinds (see
//! [`FieldKind::describes_one_person`](crate::FieldKind::describes_one_person) and
//! [`FieldKind::sometimes_shared_by_household`](crate::FieldKind::sometimes_shared_by_household));
//! where a run has no comparison of either sort, EM keeps two classes.

use super::params::PROB_FLOOR;
use super::patterns::PatternCounts;
use super::train_u::distribute;
use crate::compare::MAX_LEVELS;

/// What the three-class loop returns: the match class's m, its share, the household
/// class's share and alike rates, iterations, last change, whether it converged, and
/// the share after each iteration.
pub(crate) struct ThreeClassFit {
    pub m: Vec<f64>,
    pub match_share: f64,
    pub household_share: f64,
    /// Per comparison: the share of household pairs that agree on it as one person's
    /// records would (twins on the birth date); 0 where it may not be alike, and on
    /// shared and inactive comparisons.
    pub alike: Vec<f64>,
    pub iterations: u32,
    pub max_change: f64,
    pub converged: bool,
    pub share_log: Vec<f64>,
}

/// One comparison's place in the fit.
pub(crate) struct Slot<'a> {
    /// Number of non-null levels.
    pub levels: usize,
    /// Whether EM estimates it in this run.
    pub active: bool,
    /// Whether people of one household share its values.
    pub shared: bool,
    /// Which levels' m the user fixed.
    pub m_fixed: &'a [bool],
    /// Whether a household pair may agree on it as one person's records do.
    pub may_be_alike: bool,
}

/// Where the alike rates start: household pairs mostly differ on person data.
const ALIKE_START: f64 = 0.02;

/// Scales `rates` down in proportion when their sum exceeds `max`.
fn hold_sum_to(rates: &mut [f64], max: f64) {
    let sum: f64 = rates.iter().sum();
    if sum > max {
        rates.iter_mut().for_each(|a| *a *= max / sum);
    }
}

/// The household class's likelihood on the person comparisons relative to strangers':
/// a household pair is alike on at most one person comparison `c` (rate `alike[c]`,
/// then drawn there as a match, with likelihood ratio `ratio[c]` = m/u) and drawn
/// like strangers elsewhere: `1 + Σ alike[c]·(ratio[c] − 1)`.
#[inline]
pub(crate) fn alike_odds(alike: &[f64], ratio: &[f64]) -> f64 {
    1.0 + alike
        .iter()
        .zip(ratio)
        .map(|(a, r)| a * (r - 1.0))
        .sum::<f64>()
}

/// Comparison `c`'s term in the household's odds against strangers (see
/// [`alike_odds`]) at level weight `w` = log2 m/u, for alike rates `alike` (missing: 0):
/// `alike[c]·(2^w − 1)`.
#[inline]
pub(crate) fn alike_term(alike: &[f64], c: usize, w: f64) -> f64 {
    alike.get(c).map_or(0.0, |a| a * (w.exp2() - 1.0))
}

/// Runs EM with classes match (m free), household (m on shared comparisons, u on
/// person comparisons) and stranger (u, fixed).
pub(crate) fn fit(
    patterns: &PatternCounts,
    slots: &[Slot<'_>],
    m_start: &[f64],
    u: &[f64],
    match_share: f64,
    settings: &super::EmSettings,
) -> ThreeClassFit {
    let (alike_max, tolerance) = (settings.household_alike_max, settings.tolerance);
    let width = slots.len() * MAX_LEVELS;
    let mut m = m_start.to_vec();
    let person = |c: usize| slots[c].active && !slots[c].shared;
    let alike_ok = |c: usize| person(c) && slots[c].may_be_alike;
    let mut alike: Vec<f64> = (0..slots.len())
        .map(|c| if alike_ok(c) { ALIKE_START } else { 0.0 })
        .collect();
    hold_sum_to(&mut alike, alike_max);
    let ln = |v: &[f64]| -> Vec<f64> {
        (0..width)
            .map(|at| {
                let c = at / MAX_LEVELS;
                if slots[c].active && v[at] > 0.0 {
                    v[at].ln()
                } else {
                    0.0
                }
            })
            .collect()
    };
    let ln_u = ln(u);
    let log_lik = |table: &[f64], g: crate::compare::Gamma| -> f64 {
        table
            .chunks_exact(MAX_LEVELS)
            .enumerate()
            .map(|(c, row)| row[(g.level(c) & 0xF) as usize])
            .sum()
    };
    let total = patterns.total() as f64;
    let mut share = [match_share, match_share, 1.0 - 2.0 * match_share];
    if share[2] <= 0.0 {
        share = [0.4, 0.2, 0.4];
    }
    let mut fit = ThreeClassFit {
        m: Vec::new(),
        match_share: share[0],
        household_share: share[1],
        alike: Vec::new(),
        iterations: 0,
        max_change: 0.0,
        converged: false,
        share_log: Vec::new(),
    };
    let mut acc_m = vec![0.0f64; width];
    let mut acc_h = vec![0.0f64; width];
    // Per person comparison, over the pairs that can tell: household weight of its
    // "alike on it" component, household weight.
    let mut acc_alike = vec![(0.0f64, 0.0f64); slots.len()];
    let mut ratio = vec![1.0f64; slots.len()];
    for it in 1..=settings.max_iterations {
        // The household class as strangers on person comparisons (its "alike"
        // components are added per pattern below) and as matches on shared ones.
        let h: Vec<f64> = (0..width)
            .map(|at| {
                if slots[at / MAX_LEVELS].shared {
                    m[at]
                } else {
                    u[at]
                }
            })
            .collect();
        let (ln_m, ln_h) = (ln(&m), ln(&h));
        acc_m.iter_mut().for_each(|x| *x = 0.0);
        acc_h.iter_mut().for_each(|x| *x = 0.0);
        acc_alike.iter_mut().for_each(|x| *x = (0.0, 0.0));
        let mut sums = [0.0f64; 3];
        for (g, k) in patterns.iter() {
            // m/u of each person comparison at γ's level (1 where null).
            for (c, r) in ratio.iter_mut().enumerate() {
                let at = c * MAX_LEVELS + (g.level(c) & 0xF) as usize;
                *r = if alike_ok(c) && g.level(c) > 0 && u[at] > 0.0 {
                    m[at] / u[at]
                } else {
                    1.0
                };
            }
            let household_odds = alike_odds(&alike, &ratio);
            let l = [
                share[0].ln() + log_lik(&ln_m, g),
                share[1].ln() + log_lik(&ln_h, g) + household_odds.ln(),
                share[2].ln() + log_lik(&ln_u, g),
            ];
            let top = l.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let e = l.map(|x| (x - top).exp());
            let z: f64 = e.iter().sum();
            let k = k as f64;
            let r = e.map(|x| k * x / z);
            for (s, v) in sums.iter_mut().zip(r) {
                *s += v;
            }
            for (c, slot) in slots.iter().enumerate() {
                if !slot.active {
                    continue;
                }
                let level = g.level(c) as usize;
                // The household weight drawn like a match on c: all of it on a shared
                // comparison, on a person comparison the part whose data came from its
                // "alike on c" component, elsewhere none.
                let as_match = if slot.shared {
                    r[1]
                } else if alike_ok(c) {
                    r[1] * alike[c] * ratio[c] / household_odds
                } else {
                    0.0
                };
                // Only where another person comparison is seen can a household
                // member alike on c be told from a match: count those alone.
                let told = (0..slots.len()).any(|d| d != c && person(d) && g.level(d) > 0);
                if alike_ok(c) && told {
                    acc_alike[c].0 += as_match;
                    acc_alike[c].1 += r[1];
                }
                if (1..=slot.levels).contains(&level) {
                    let at = c * MAX_LEVELS + level;
                    acc_m[at] += r[0];
                    acc_h[at] += as_match;
                }
            }
        }
        let new_share = sums.map(|s| (s / total).clamp(1e-12, 1.0));
        let mut change = (0..3)
            .map(|i| (new_share[i] - share[i]).abs())
            .fold(0.0, f64::max);
        for (c, slot) in slots.iter().enumerate().filter(|(_, s)| s.active) {
            let range = c * MAX_LEVELS + 1..c * MAX_LEVELS + 1 + slot.levels;
            // Households agree as matches do on shared comparisons, and on the person
            // comparison they are alike on: both classes estimate m there.
            let raw: Vec<f64> = range.clone().map(|at| acc_m[at] + acc_h[at]).collect();
            if raw.iter().sum::<f64>() <= 0.0 {
                continue;
            }
            let fixed: Vec<Option<f64>> = (0..slot.levels)
                .map(|i| slot.m_fixed[i].then(|| m[range.start + i]))
                .collect();
            if let Some(new) = distribute(&raw, &fixed, PROB_FLOOR) {
                for (t, v) in m[range.clone()].iter_mut().zip(new) {
                    change = change.max((*t - v).abs());
                    *t = v;
                }
            }
        }
        {
            let mut next: Vec<f64> = acc_alike
                .iter()
                .map(|&(a, seen)| if seen > 0.0 { a / seen } else { 0.0 })
                .collect();
            hold_sum_to(&mut next, alike_max);
            for (a, n) in alike.iter_mut().zip(next) {
                change = change.max((*a - n).abs());
                *a = n;
            }
        }
        share = new_share;
        fit.iterations = it;
        fit.max_change = change;
        fit.share_log.push(share[0]);
        if change < tolerance {
            fit.converged = true;
            break;
        }
    }
    fit.m = m;
    fit.alike = alike;
    fit.match_share = share[0];
    fit.household_share = share[1];
    fit
}

/// The scoring side of the household class: a pair is weighed against strangers *and*
/// against "two people of one household".
///
/// A household pair agrees on shared data as matches do, so only the person
/// comparisons (given name, date of birth, e-mail) tell it from a match: the odds of a match
/// against a household member are `2^(person evidence) / ratio`, whatever the shared
/// data says. The total weight is then
/// `−log2(2^−all + ratio · 2^−person)`: about the usual weight while the person
/// evidence is strong, and about the person evidence alone when shared data is what
/// makes the pair look alike. Two people who share a phone, an address and a family
/// name are not made one by those.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HouseholdTerm {
    /// Per comparison (γ order): whether it describes one person rather than a
    /// household.
    pub person: Vec<bool>,
    /// Household pairs per matching pair among all pairs (λ_household / λ_match), > 0.
    pub ratio: f64,
    /// Per comparison (γ order): the share of household pairs that agree on this
    /// person comparison as one person's records would (twins share a birth date); a
    /// pair is alike on at most one. Learned by EM, their sum at most
    /// `EmSettings::household_alike_max`, where
    /// `EmSettings::household_alike_on` allows it (training allows birth dates and
    /// e-mails); each
    /// in [0, 1), summing to below 1. Empty means 0 everywhere: the household is drawn
    /// like strangers on person data.
    #[cfg_attr(feature = "serde", serde(default))]
    pub alike: Vec<f64>,
}

impl HouseholdTerm {
    /// Checks the term against a model of `comparisons` comparisons.
    pub(crate) fn validate(&self, comparisons: usize) -> crate::error::Result<()> {
        if self.person.len() != comparisons {
            return Err(super::params::invalid(format!(
                "household term has {} person flags for {comparisons} comparisons",
                self.person.len()
            )));
        }
        if !(self.alike.is_empty() || self.alike.len() == comparisons) {
            return Err(super::params::invalid(format!(
                "household term has {} alike rates for {comparisons} comparisons",
                self.alike.len()
            )));
        }
        let sum: f64 = self.alike.iter().sum();
        if self.alike.iter().any(|a| !(0.0..1.0).contains(a))
            || sum.partial_cmp(&1.0) != Some(std::cmp::Ordering::Less)
        {
            return Err(super::params::invalid(format!(
                "household alike rates {:?} are not each in [0, 1) with a sum below 1",
                self.alike
            )));
        }
        if !(self.ratio.is_finite() && self.ratio > 0.0) {
            return Err(super::params::invalid(format!(
                "household ratio {} is not positive and finite",
                self.ratio
            )));
        }
        Ok(())
    }

    /// A person comparison's term in the household's odds against strangers (see
    /// [`alike_odds`]) when its level weight is `w` = log2 m/u: `alike[c]·(2^w − 1)`.
    #[inline]
    pub(crate) fn alike_term(&self, c: usize, w: f64) -> f64 {
        alike_term(&self.alike, c, w)
    }

    /// `−log2(2^−all + ratio · 2^−person)`, computed without overflow.
    #[inline]
    pub(crate) fn combine(&self, all: f64, person: f64) -> f64 {
        let a = -all;
        let b = self.ratio.log2() - person;
        let hi = a.max(b);
        -(hi + (1.0 + (-(a - b).abs()).exp2()).log2())
    }
}

/// The evidence for a match against a household member from the person comparisons:
/// their summed weight `person` against strangers, less what a household member
/// alike on one of them would explain (`log2` of the household's odds against
/// strangers, `1 + alike_terms`). For twins' shared birth date about `−log2 alike`,
/// not the full weight against strangers.
#[inline]
pub(crate) fn person_evidence(person: f64, alike_terms: f64) -> f64 {
    if alike_terms == 0.0 {
        person
    } else {
        person - alike_terms.ln_1p() / std::f64::consts::LN_2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_data_cannot_outvote_different_person_data() {
        let term = HouseholdTerm {
            person: vec![true, false],
            ratio: 1.0,
            alike: Vec::new(),
        };
        // Strong person evidence: the household alternative changes next to nothing.
        let w = term.combine(20.0, 15.0);
        assert!((w - 15.0).abs() < 0.05 && w < 15.0, "{w}");
        // Address and phone agree (+30 against strangers), given name and birth date
        // differ (−8): about −8, not +30.
        let w = term.combine(30.0, -8.0);
        assert!((w - -8.0).abs() < 0.01, "{w}");
        // Without any person evidence the odds are those of the two classes' sizes.
        let w = HouseholdTerm {
            ratio: 4.0,
            ..term.clone()
        }
        .combine(40.0, 0.0);
        assert!((w - -2.0).abs() < 0.01, "{w}");
        // Symmetric in the sense of a soft minimum: never above either bound.
        for (a, p) in [(5.0, 5.0), (-3.0, 10.0), (12.0, -1.0)] {
            let w = term.combine(a, p);
            assert!(w <= a && w <= p - term.ratio.log2(), "{a} {p} {w}");
        }
    }

    #[test]
    fn a_shared_birth_date_counts_less_where_households_hold_twins() {
        // Given name else (−7) and birth date exact (+10) against strangers.
        let (given, dob) = (-7.0f64, 10.0f64);
        let person = given + dob;
        assert_eq!(person_evidence(person, 0.0), person);
        let term = |alike: f64| HouseholdTerm {
            person: vec![true, true],
            ratio: 1.0,
            alike: vec![0.0, alike],
        };
        // A tenth of household pairs alike on the birth date: the shared date is worth
        // about log2(1 / 0.1) against a household member, not +10.
        let t = term(0.1);
        let odds = t.alike_term(0, given) + t.alike_term(1, dob);
        let e = person_evidence(person, odds);
        assert!((e - (given + 0.1f64.recip().log2())).abs() < 0.05, "{e}");
        // More twins, less evidence; the terms of a comparison without a rate are 0.
        let more = term(0.3);
        assert!(person_evidence(person, more.alike_term(1, dob)) < e);
        assert_eq!(t.alike_term(0, given), 0.0);
    }

    #[test]
    fn terms_that_do_not_fit_the_model_are_rejected() {
        let t = HouseholdTerm {
            person: vec![true],
            ratio: 1.0,
            alike: Vec::new(),
        };
        assert!(t.validate(1).is_ok());
        assert!(t.validate(2).is_err());
        for ratio in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(HouseholdTerm { ratio, ..t.clone() }.validate(1).is_err());
        }
        for alike in [vec![1.0], vec![-0.1], vec![f64::NAN], vec![0.1, 0.1]] {
            assert!(HouseholdTerm { alike, ..t.clone() }.validate(1).is_err());
        }
        assert!(HouseholdTerm {
            alike: vec![0.3],
            ..t.clone()
        }
        .validate(1)
        .is_ok());
    }
}
