//! The Fellegi–Sunter model: m, u per comparison level, the prior, and the
//! precomputed weight table used on the hot path.

use super::band::{probability_from_weight, weight_from_probability};
use super::calibration::Recalibration;
use super::dependence::{DependenceShifts, NameDependence};
use super::household::{person_evidence, HouseholdTerm};
use crate::compare::{Comparison, Gamma, MAX_COMPARISONS, MAX_LEVELS};
use crate::error::{Error, ErrorKind, Result};

/// What γ says about one pair, before the household alternative is weighed in.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Evidence {
    /// Prior weight plus every level weight: a match against strangers.
    pub all: f64,
    /// The person comparisons' level weights alone.
    pub person: f64,
    /// Their terms in the household's odds against strangers (see
    /// [`HouseholdTerm::alike_term`]).
    pub alike: f64,
}

/// Smallest m or u that training produces; keeps every weight finite.
pub(crate) const PROB_FLOOR: f64 = 1e-6;

/// Smallest term frequency used in a TF adjustment: caps the adjustment of a very rare
/// value at `log2(u_exact / floor)`.
pub const DEFAULT_TF_FLOOR: f64 = 1e-7;

/// Default prior λ of a new model: the probability that two random records match.
pub const DEFAULT_PRIOR: f64 = 1e-4;

/// Parameters of one non-null level of a comparison.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LevelParams {
    /// The level's label, copied from the comparison (shown in explanations).
    pub label: String,
    /// m = P(this level | same person).
    pub m: f64,
    /// u = P(this level | different people).
    pub u: f64,
    /// m was fixed by the user: training leaves it alone.
    pub m_fixed: bool,
    /// u was fixed by the user: training leaves it alone.
    pub u_fixed: bool,
}

/// Parameters of one comparison: its name and one [`LevelParams`] per non-null level.
///
/// `levels[i]` belongs to γ level `i + 1`; γ level 0 (null) has no parameters and
/// weight 0.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ComparisonParams {
    /// The comparison's name.
    pub name: String,
    /// Parameters of γ levels 1..=len.
    pub levels: Vec<LevelParams>,
    /// γ index of the exact level, if the comparison has one.
    pub exact_level: Option<u8>,
    /// Term-frequency adjustments apply to the exact level (the comparison asked for
    /// them and has an exact level).
    pub term_frequency: bool,
}

impl ComparisonParams {
    /// Parameters of γ level `level` (`None` for null or out-of-range levels).
    pub fn level(&self, level: u8) -> Option<&LevelParams> {
        (level as usize)
            .checked_sub(1)
            .and_then(|i| self.levels.get(i))
    }

    /// γ index of the last (else) level.
    pub fn else_level(&self) -> u8 {
        self.levels.len() as u8
    }
}

/// A Fellegi–Sunter model: per comparison level m and u, and the prior λ.
///
/// The match weight of a level is `log2(m / u)` (null levels: 0); the prior weight is
/// `log2(λ / (1 − λ))`; the total weight of a pair is the prior weight plus its level
/// weights plus term-frequency adjustments, and its probability is
/// `2^w / (1 + 2^w)`. Level weights live in a flat table rebuilt whenever a parameter
/// changes, so [`Model::weight`] is a few table lookups and never allocates.
///
/// ```
/// use sameas::{Comparison, Gamma, Level, LevelRule, Model};
///
/// let email = Comparison {
///     name: "email".into(),
///     field: "email".into(),
///     fields: Vec::new(),
///     levels: vec![Level::new("exact", LevelRule::Exact), Level::new("else", LevelRule::Else)],
///     term_frequency: false,
/// };
/// let mut model = Model::new(&[email])?;
/// model.set_prior(0.001)?;
/// model.set_m(0, 1, 0.9)?;
/// model.set_u(0, 1, 0.0001)?;
/// // γ = [exact]: weight = log2(0.001/0.999) + log2(0.9/0.0001)
/// let w = model.weight(Gamma::from_levels(&[1]));
/// assert!((w - ((0.001f64 / 0.999).log2() + 9000f64.log2())).abs() < 1e-12);
/// assert!(model.probability(Gamma::from_levels(&[1])) > 0.89);
/// // γ = [null]: only the prior speaks
/// assert!((model.probability(Gamma::from_levels(&[0])) - 0.001).abs() < 1e-15);
/// # Ok::<(), sameas::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "ModelData", into = "ModelData"))]
pub struct Model {
    pub(crate) comparisons: Vec<ComparisonParams>,
    pub(crate) prior: f64,
    pub(crate) prior_fixed: bool,
    /// The prior was never set by the user or by training (still the default).
    pub(crate) prior_is_default: bool,
    pub(crate) tf_floor: f64,
    /// The "same household, different person" alternative, when training found one.
    pub(crate) household: Option<HouseholdTerm>,
    /// The map reviewed pairs recalibrate reported probabilities with, if fitted.
    pub(crate) calibration: Option<Recalibration>,
    /// How given and family names go together among strangers, when training
    /// measured it.
    pub(crate) dependence: Option<NameDependence>,
    // ---- derived, rebuilt by `rebuild` ----
    /// `weights[c * MAX_LEVELS + level]`; 0 for null and out-of-range levels.
    weights: Vec<f64>,
    prior_weight: f64,
    /// (comparison, exact level, log2(u_exact)) for comparisons with TF adjustments.
    tf_slots: Vec<(usize, u8, f64)>,
    /// `weights` of the household term's person comparisons, 0 for the others;
    /// empty without a household term.
    person_weights: Vec<f64>,
    /// Like `weights`: each person comparison level's term in the household's odds
    /// against strangers ([`HouseholdTerm::alike_term`]); empty without a household.
    alike_terms: Vec<f64>,
    /// The weight shifts of [`Model::name_dependence`], when set.
    shifts: Option<DependenceShifts>,
}

/// The serialized form of a [`Model`]: its parameters without the derived tables,
/// which are rebuilt (and the parameters validated) on deserialization.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(crate) struct ModelData {
    /// Per-comparison parameters.
    pub comparisons: Vec<ComparisonParams>,
    /// Prior λ.
    pub prior: f64,
    /// The prior is fixed by the user.
    pub prior_fixed: bool,
    /// The prior is still the default of [`Model::new`].
    pub prior_is_default: bool,
    /// Smallest term frequency used in TF adjustments.
    pub tf_floor: f64,
    /// The household alternative (absent in models saved before it existed).
    #[cfg_attr(feature = "serde", serde(default))]
    pub household: Option<HouseholdTerm>,
    /// The recalibration from reviewed pairs (absent when none was fitted, and in
    /// models saved before it existed).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub calibration: Option<Recalibration>,
    /// How given and family names go together among strangers (absent when training
    /// did not measure it, and in models saved before it existed).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub dependence: Option<NameDependence>,
}

impl From<Model> for ModelData {
    fn from(m: Model) -> Self {
        ModelData {
            comparisons: m.comparisons,
            prior: m.prior,
            prior_fixed: m.prior_fixed,
            prior_is_default: m.prior_is_default,
            tf_floor: m.tf_floor,
            household: m.household,
            calibration: m.calibration,
            dependence: m.dependence,
        }
    }
}

impl TryFrom<ModelData> for Model {
    type Error = Error;
    fn try_from(d: ModelData) -> Result<Model> {
        Model::from_data(d)
    }
}

pub(crate) fn invalid(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidConfig, msg)
}

/// Checks that `p` is a usable m or u: finite and in (0, 1].
pub(crate) fn check_mu(what: &str, p: f64) -> Result<()> {
    if p.is_finite() && p > 0.0 && p <= 1.0 {
        Ok(())
    } else {
        Err(invalid(format!("{what} = {p} is not in (0, 1]")))
    }
}

/// Checks that `p` is a usable prior or frequency: finite and in (0, 1).
pub(crate) fn check_open_unit(what: &str, p: f64) -> Result<()> {
    if p.is_finite() && p > 0.0 && p < 1.0 {
        Ok(())
    } else {
        Err(invalid(format!("{what} = {p} is not in (0, 1)")))
    }
}

/// Starting m and u for a comparison with `n` non-null levels (the last is else):
/// m falls from the top level (the non-else levels share 0.95 linearly falling,
/// else gets 0.05), u rises (non-else levels share at most 0.01·n/2, else takes the rest),
/// so Bayes factors fall monotonically from the top level to else.
fn starting_values(n: usize) -> Vec<(f64, f64)> {
    if n <= 1 {
        return vec![(1.0, 1.0); n];
    }
    let k = n - 1; // non-else levels
    let s = (k * (k + 1) / 2) as f64;
    let mut out: Vec<(f64, f64)> = (0..k)
        .map(|i| {
            let m = 0.95 * (k - i) as f64 / s;
            let u = 0.01 * (i + 1) as f64 / k as f64;
            (m, u)
        })
        .collect();
    let u_rest: f64 = out.iter().map(|&(_, u)| u).sum();
    out.push((0.05, 1.0 - u_rest));
    out
}

impl Model {
    /// A model for `comparisons` (at most [`MAX_COMPARISONS`], each valid) with
    /// starting values that favour agreement: m high for the top level and falling,
    /// u low for the top level and rising, λ = [`DEFAULT_PRIOR`].
    pub fn new(comparisons: &[Comparison]) -> Result<Model> {
        if comparisons.is_empty() || comparisons.len() > MAX_COMPARISONS {
            return Err(invalid(format!(
                "a model needs 1 to {MAX_COMPARISONS} comparisons, got {}",
                comparisons.len()
            )));
        }
        let mut params = Vec::with_capacity(comparisons.len());
        for c in comparisons {
            c.validate()?;
            let start = starting_values(c.levels.len());
            let levels = c
                .levels
                .iter()
                .zip(start)
                .map(|(l, (m, u))| LevelParams {
                    label: l.label.clone(),
                    m,
                    u,
                    m_fixed: false,
                    u_fixed: false,
                })
                .collect();
            let exact_level = c.exact_level();
            params.push(ComparisonParams {
                name: c.name.clone(),
                levels,
                exact_level,
                term_frequency: c.term_frequency && exact_level.is_some(),
            });
        }
        Model::from_data(ModelData {
            comparisons: params,
            prior: DEFAULT_PRIOR,
            prior_fixed: false,
            prior_is_default: true,
            tf_floor: DEFAULT_TF_FLOOR,
            household: None,
            calibration: None,
            dependence: None,
        })
    }

    /// Validates `data` and builds the derived tables.
    pub(crate) fn from_data(data: ModelData) -> Result<Model> {
        if data.comparisons.is_empty() || data.comparisons.len() > MAX_COMPARISONS {
            return Err(invalid(format!(
                "a model needs 1 to {MAX_COMPARISONS} comparisons, got {}",
                data.comparisons.len()
            )));
        }
        for c in &data.comparisons {
            if c.levels.is_empty() || c.levels.len() >= MAX_LEVELS {
                return Err(invalid(format!(
                    "comparison {:?} needs 1 to {} levels",
                    c.name,
                    MAX_LEVELS - 1
                )));
            }
            for l in &c.levels {
                check_mu(&format!("m of {:?}/{:?}", c.name, l.label), l.m)?;
                check_mu(&format!("u of {:?}/{:?}", c.name, l.label), l.u)?;
            }
            if let Some(e) = c.exact_level {
                if e == 0 || e as usize > c.levels.len() {
                    return Err(invalid(format!(
                        "comparison {:?}: exact level {e} out of range",
                        c.name
                    )));
                }
            } else if c.term_frequency {
                return Err(invalid(format!(
                    "comparison {:?}: term frequencies need an exact level",
                    c.name
                )));
            }
        }
        check_open_unit("prior", data.prior)?;
        check_open_unit("tf floor", data.tf_floor)?;
        if let Some(h) = &data.household {
            h.validate(data.comparisons.len())?;
        }
        if let Some(c) = &data.calibration {
            c.validate()?;
        }
        if let Some(d) = &data.dependence {
            d.validate(&data.comparisons)?;
        }
        let mut model = Model {
            comparisons: data.comparisons,
            prior: data.prior,
            prior_fixed: data.prior_fixed,
            prior_is_default: data.prior_is_default,
            tf_floor: data.tf_floor,
            household: data.household,
            calibration: data.calibration,
            dependence: data.dependence,
            weights: Vec::new(),
            prior_weight: 0.0,
            tf_slots: Vec::new(),
            person_weights: Vec::new(),
            alike_terms: Vec::new(),
            shifts: None,
        };
        model.rebuild();
        Ok(model)
    }

    /// Recomputes the weight table, prior weight and TF slots from the parameters.
    pub(crate) fn rebuild(&mut self) {
        self.weights.clear();
        self.weights
            .resize(self.comparisons.len() * MAX_LEVELS, 0.0);
        self.tf_slots.clear();
        for (c, params) in self.comparisons.iter().enumerate() {
            for (i, l) in params.levels.iter().enumerate() {
                self.weights[c * MAX_LEVELS + i + 1] = (l.m / l.u).log2();
            }
            if let (true, Some(e)) = (params.term_frequency, params.exact_level) {
                if let Some(l) = params.level(e) {
                    self.tf_slots.push((c, e, l.u.log2()));
                }
            }
        }
        self.prior_weight = weight_from_probability(self.prior);
        self.person_weights.clear();
        self.alike_terms.clear();
        if let Some(h) = &self.household {
            let person = |at: usize| h.person[at / MAX_LEVELS];
            for (at, &w) in self.weights.iter().enumerate() {
                let (own, alike) = if person(at) {
                    (w, h.alike_term(at / MAX_LEVELS, w))
                } else {
                    (0.0, 0.0)
                };
                self.person_weights.push(own);
                self.alike_terms.push(alike);
            }
        }
        self.shifts = self.dependence.as_ref().and_then(|d| {
            let level_u =
                |c: usize, l: usize| self.comparisons[c].level(l as u8).map_or(1.0, |p| p.u);
            let (given_shift, family_shift) = d.shifts(level_u);
            Some(DependenceShifts {
                given: d.given,
                family: d.family,
                given_exact: self.comparisons.get(d.given)?.exact_level?,
                family_exact: self.comparisons.get(d.family)?.exact_level?,
                given_shift,
                family_shift,
            })
        });
    }

    /// Number of comparisons.
    pub fn comparison_count(&self) -> usize {
        self.comparisons.len()
    }

    /// Per-comparison parameters, in γ order.
    pub fn comparisons(&self) -> &[ComparisonParams] {
        &self.comparisons
    }

    /// The prior λ: the probability that two random records match.
    pub fn prior(&self) -> f64 {
        self.prior
    }

    /// Whether the prior is fixed (training leaves it alone).
    pub fn prior_is_fixed(&self) -> bool {
        self.prior_fixed
    }

    /// `log2(λ / (1 − λ))`.
    pub fn prior_weight(&self) -> f64 {
        self.prior_weight
    }

    /// Smallest term frequency used in TF adjustments.
    pub fn tf_floor(&self) -> f64 {
        self.tf_floor
    }

    /// Parameters of comparison `c` at γ level `level`, if both exist.
    pub fn level_params(&self, c: usize, level: u8) -> Option<&LevelParams> {
        self.comparisons.get(c).and_then(|p| p.level(level))
    }

    /// m of comparison `c` at γ level `level` (`None` for null or out of range).
    pub fn m(&self, c: usize, level: u8) -> Option<f64> {
        self.level_params(c, level).map(|l| l.m)
    }

    /// u of comparison `c` at γ level `level` (`None` for null or out of range).
    pub fn u(&self, c: usize, level: u8) -> Option<f64> {
        self.level_params(c, level).map(|l| l.u)
    }

    /// Match weight `log2(m/u)` of comparison `c` at γ level `level`; 0 for null and
    /// for out-of-range levels or comparisons (treated as no evidence).
    pub fn level_weight(&self, c: usize, level: u8) -> f64 {
        if level as usize >= MAX_LEVELS {
            return 0.0;
        }
        c.checked_mul(MAX_LEVELS)
            .and_then(|row| self.weights.get(row + level as usize))
            .copied()
            .unwrap_or(0.0)
    }

    fn level_mut(&mut self, c: usize, level: u8) -> Result<&mut LevelParams> {
        let name_count = self.comparisons.len();
        self.comparisons
            .get_mut(c)
            .and_then(|p| {
                (level as usize)
                    .checked_sub(1)
                    .and_then(|i| p.levels.get_mut(i))
            })
            .ok_or_else(|| {
                invalid(format!(
                    "no level {level} of comparison {c} (model has {name_count} comparisons; level 0 is null and has no parameters)"
                ))
            })
    }

    /// Sets m of comparison `c`, γ level `level` (a starting value: training may
    /// change it). `m` must be finite and in (0, 1].
    pub fn set_m(&mut self, c: usize, level: u8, m: f64) -> Result<()> {
        check_mu("m", m)?;
        self.level_mut(c, level)?.m = m;
        self.rebuild();
        Ok(())
    }

    /// Sets u of comparison `c`, γ level `level` (training may change it).
    pub fn set_u(&mut self, c: usize, level: u8, u: f64) -> Result<()> {
        check_mu("u", u)?;
        self.level_mut(c, level)?.u = u;
        self.rebuild();
        Ok(())
    }

    /// Sets and fixes m: training keeps this value.
    pub fn fix_m(&mut self, c: usize, level: u8, m: f64) -> Result<()> {
        check_mu("m", m)?;
        let l = self.level_mut(c, level)?;
        l.m = m;
        l.m_fixed = true;
        self.rebuild();
        Ok(())
    }

    /// Sets and fixes u: training keeps this value.
    pub fn fix_u(&mut self, c: usize, level: u8, u: f64) -> Result<()> {
        check_mu("u", u)?;
        let l = self.level_mut(c, level)?;
        l.u = u;
        l.u_fixed = true;
        self.rebuild();
        Ok(())
    }

    /// Sets the prior λ, in (0, 1); training may still change it (supervised training
    /// will not: only a default prior is replaced by the labelled match share).
    pub fn set_prior(&mut self, prior: f64) -> Result<()> {
        check_open_unit("prior", prior)?;
        self.prior = prior;
        self.prior_is_default = false;
        self.rebuild();
        Ok(())
    }

    /// Sets and fixes the prior λ: no training changes it.
    pub fn fix_prior(&mut self, prior: f64) -> Result<()> {
        self.set_prior(prior)?;
        self.prior_fixed = true;
        Ok(())
    }

    /// Turns term-frequency adjustments on for the comparisons `enabled` names (those
    /// with an exact level) and off for the rest.
    pub(crate) fn set_term_frequencies(&mut self, enabled: impl Fn(usize) -> bool) {
        for (c, p) in self.comparisons.iter_mut().enumerate() {
            p.term_frequency = enabled(c) && p.exact_level.is_some();
        }
        self.rebuild();
    }

    /// The recalibration fitted on reviewed pairs, if any
    /// ([`Review::recalibrate`](crate::profiles::Review::recalibrate)): the graph
    /// reports probabilities through it; the weights here and clustering do not use it.
    pub fn calibration(&self) -> Option<&Recalibration> {
        self.calibration.as_ref()
    }

    /// Sets or clears the recalibration (see [`Model::calibration`]). Fails when a
    /// slope is not finite and positive or an intercept is not finite.
    pub fn set_calibration(&mut self, calibration: Option<Recalibration>) -> Result<()> {
        if let Some(c) = &calibration {
            c.validate()?;
        }
        self.calibration = calibration;
        Ok(())
    }

    /// The household alternative scoring weighs pairs against, if any.
    pub fn household(&self) -> Option<&HouseholdTerm> {
        self.household.as_ref()
    }

    /// Sets or clears the household alternative (see [`HouseholdTerm`]). Fails with
    /// `InvalidConfig` when its flags do not match the comparisons or its ratio is not
    /// positive and finite.
    pub fn set_household(&mut self, household: Option<HouseholdTerm>) -> Result<()> {
        if let Some(h) = &household {
            h.validate(self.comparisons.len())?;
        }
        self.household = household;
        self.rebuild();
        Ok(())
    }

    /// How given and family names go together among strangers (see
    /// [`NameDependence`]), when training measured it.
    pub fn name_dependence(&self) -> Option<&NameDependence> {
        self.dependence.as_ref()
    }

    /// Sets or clears the name dependence. Fails with `InvalidConfig` when it does not
    /// fit the comparisons (indices, level counts, u outside (0, 1]).
    pub fn set_name_dependence(&mut self, dependence: Option<NameDependence>) -> Result<()> {
        if let Some(d) = &dependence {
            d.validate(&self.comparisons)?;
        }
        self.dependence = dependence;
        self.rebuild();
        Ok(())
    }

    /// The comparison whose level weight the name dependence moves for γ, and by how
    /// much (see [`NameDependence`]); `None` when nothing moves.
    #[inline]
    pub(crate) fn dependence_shift(&self, g: Gamma) -> Option<(usize, f64)> {
        let s = self.shifts.as_ref()?;
        s.shift(g.level(s.given), g.level(s.family))
    }

    /// Comparison `c`'s weight in γ: its level weight plus the name dependence's shift
    /// (without TF adjustments).
    #[inline]
    pub(crate) fn weight_in(&self, g: Gamma, c: usize) -> f64 {
        let shift = match self.dependence_shift(g) {
            Some((sc, s)) if sc == c => s,
            _ => 0.0,
        };
        self.level_weight(c, g.level(c)) + shift
    }

    /// Total match weight of γ without term-frequency adjustments: prior weight plus
    /// the level weights, weighed against the household alternative when the model
    /// has one (see [`Model::household`]). γ levels beyond a comparison's levels count
    /// as null; bits of comparisons the model does not have are ignored.
    /// Allocation-free.
    #[inline]
    pub fn weight(&self, g: Gamma) -> f64 {
        self.against_household(self.evidence(g))
    }

    /// The evidence of γ without TF adjustments (see [`Evidence`]).
    #[inline]
    pub(super) fn evidence(&self, g: Gamma) -> Evidence {
        let mut e = Evidence {
            all: self.prior_weight,
            ..Evidence::default()
        };
        let rows = self.weights.chunks_exact(MAX_LEVELS);
        if self.person_weights.is_empty() {
            for (c, row) in rows.enumerate() {
                e.all += row[(g.level(c) & 0xF) as usize];
            }
        } else {
            for (c, ((row, own), alike)) in rows
                .zip(self.person_weights.chunks_exact(MAX_LEVELS))
                .zip(self.alike_terms.chunks_exact(MAX_LEVELS))
                .enumerate()
            {
                let l = (g.level(c) & 0xF) as usize;
                e.all += row[l];
                e.person += own[l];
                e.alike += alike[l];
            }
        }
        if let Some((c, shift)) = self.dependence_shift(g) {
            self.shift_weight(&mut e, c, self.level_weight(c, g.level(c)), shift);
        }
        e
    }

    /// Moves comparison `c`'s weight in `e` from `before` by `adj` (a TF adjustment
    /// or the name dependence's shift).
    #[inline]
    pub(super) fn shift_weight(&self, e: &mut Evidence, c: usize, before: f64, adj: f64) {
        e.all += adj;
        if let Some(h) = self.household.as_ref().filter(|h| h.person[c]) {
            e.person += adj;
            e.alike += h.alike_term(c, before + adj) - h.alike_term(c, before);
        }
    }

    /// The weight of "same person" against both alternatives, strangers and a
    /// household member (see [`HouseholdTerm`]); against strangers alone without one.
    #[inline]
    pub(super) fn against_household(&self, e: Evidence) -> f64 {
        match &self.household {
            Some(h) => h.combine(e.all, person_evidence(e.person, e.alike)),
            None => e.all,
        }
    }

    /// The TF adjustment for comparison slot `(c, exact, log2 u_exact)` given the
    /// agreed value's frequency `tf`. See [`Model::weight_with_tf`].
    #[inline]
    pub(crate) fn tf_adjustment(&self, log2_u_exact: f64, tf: Option<f64>) -> f64 {
        match tf {
            Some(f) if f.is_finite() && f >= 0.0 => {
                log2_u_exact - f.clamp(self.tf_floor, 1.0).log2()
            }
            _ => 0.0,
        }
    }

    /// Term-frequency adjustment of comparison `c` for γ `g`: non-zero only when the
    /// comparison has TF enabled, γ is at its exact level and `tf` is usable.
    pub fn tf_adjustment_of(&self, c: usize, g: Gamma, tf: Option<f64>) -> f64 {
        self.tf_slots
            .iter()
            .find(|&&(sc, e, _)| sc == c && g.level(c) == e)
            .map(|&(_, _, lu)| self.tf_adjustment(lu, tf))
            .unwrap_or(0.0)
    }

    /// Total match weight of γ with term-frequency adjustments (Splink's formula).
    ///
    /// For each comparison with TF enabled whose γ level is its exact level, `tf(c)`
    /// gives the relative frequency in [0, 1] of the agreed value (`None`: no
    /// adjustment). The adjustment is `log2(u_exact / max(tf, floor))`: the exact
    /// level's u is replaced by the value's own frequency, the chance that a random
    /// non-matching pair agrees on *this* value given that it agrees. It applies in
    /// both directions — rare values add weight, common values subtract it — and
    /// averages to about zero over agreeing pairs when u_exact = Σ p² (see
    /// [`TfTable::sum_p_squared`](crate::model::TfTable::sum_p_squared)). Frequencies are
    /// clamped to [`Model::tf_floor`, 1]; `NaN`, `±∞` and negative frequencies give no
    /// adjustment. Allocation-free.
    #[inline]
    pub fn weight_with_tf(&self, g: Gamma, tf: impl Fn(usize) -> Option<f64>) -> f64 {
        let mut e = self.evidence(g);
        for &(c, exact, log2_u) in &self.tf_slots {
            if g.level(c) == exact {
                let adj = self.tf_adjustment(log2_u, tf(c));
                self.shift_weight(&mut e, c, self.weight_in(g, c), adj);
            }
        }
        self.against_household(e)
    }

    /// Probability of a match for γ, without TF adjustments.
    pub fn probability(&self, g: Gamma) -> f64 {
        probability_from_weight(self.weight(g))
    }

    /// Probability of a match for γ, with TF adjustments (see [`Model::weight_with_tf`]).
    pub fn probability_with_tf(&self, g: Gamma, tf: impl Fn(usize) -> Option<f64>) -> f64 {
        probability_from_weight(self.weight_with_tf(g, tf))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_support::comparison;

    #[test]
    fn starting_values_favour_agreement_and_sum_to_one() {
        for n in 2..15 {
            let s = starting_values(n);
            let sm: f64 = s.iter().map(|x| x.0).sum();
            let su: f64 = s.iter().map(|x| x.1).sum();
            assert!((sm - 1.0).abs() < 1e-12 && (su - 1.0).abs() < 1e-12);
            for w in s.windows(2) {
                assert!(w[0].0 / w[0].1 > w[1].0 / w[1].1, "n={n}: {s:?}");
            }
        }
        let m = Model::new(&[comparison("a", 1, false)]).unwrap();
        assert!(m.level_weight(0, 1) > 0.0 && m.level_weight(0, 3) < 0.0);
    }

    #[test]
    fn weights_are_hand_computed_sums() {
        let mut model =
            Model::new(&[comparison("name", 1, false), comparison("dob", 0, false)]).unwrap();
        model.set_prior(0.01).unwrap();
        model.set_m(0, 1, 0.8).unwrap();
        model.set_u(0, 1, 0.01).unwrap();
        model.set_m(1, 2, 0.1).unwrap();
        model.set_u(1, 2, 0.8).unwrap();
        // log2(0.01/0.99) + log2(80) + log2(0.125)
        let expect = (0.01f64 / 0.99).log2() + 80f64.log2() - 3.0;
        let g = Gamma::from_levels(&[1, 2]);
        assert!((model.weight(g) - expect).abs() < 1e-12);
        // null levels are neutral, out-of-range levels too
        assert_eq!(
            model.weight(Gamma::from_levels(&[0, 0])),
            model.prior_weight()
        );
        assert_eq!(
            model.weight(Gamma::from_levels(&[9, 15])),
            model.prior_weight()
        );
        // bits beyond the model's comparisons are ignored
        assert_eq!(model.weight(g.with_level(5, 3)), model.weight(g));
        assert_eq!(model.level_weight(usize::MAX, 1), 0.0);
        assert_eq!(model.level_weight(0, 200), 0.0);
        let p = model.probability(g);
        let odds = 0.01 / 0.99 * 80.0 * 0.125;
        assert!((p - odds / (1.0 + odds)).abs() < 1e-12);
    }

    #[test]
    fn tf_adjustment_is_log2_u_over_frequency() {
        let mut model = Model::new(&[comparison("surname", 1, true)]).unwrap();
        model.set_u(0, 1, 0.01).unwrap();
        let g = Gamma::from_levels(&[1]);
        let base = model.weight(g);
        // rare value: 0.001 → +log2(10)
        let w = model.weight_with_tf(g, |_| Some(0.001));
        assert!((w - base - 10f64.log2()).abs() < 1e-12);
        // common value: 0.04 → -2
        let w = model.weight_with_tf(g, |_| Some(0.04));
        assert!((w - base + 2.0).abs() < 1e-12);
        // zero frequency hits the floor; garbage gives no adjustment
        let w = model.weight_with_tf(g, |_| Some(0.0));
        assert!((w - base - (0.01 / DEFAULT_TF_FLOOR).log2()).abs() < 1e-9);
        for bad in [f64::NAN, f64::INFINITY, -0.5] {
            assert_eq!(model.weight_with_tf(g, |_| Some(bad)), base);
        }
        assert_eq!(model.weight_with_tf(g, |_| None), base);
        // no adjustment off the exact level
        let g2 = Gamma::from_levels(&[2]);
        assert_eq!(model.weight_with_tf(g2, |_| Some(0.001)), model.weight(g2));
        // no adjustment when the comparison did not ask for TF
        let plain = Model::new(&[comparison("surname", 1, false)]).unwrap();
        assert_eq!(plain.weight_with_tf(g, |_| Some(0.001)), plain.weight(g));
    }

    #[test]
    fn setters_reject_invalid_values() {
        let mut model = Model::new(&[comparison("a", 0, false)]).unwrap();
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0, -0.1, 1.5] {
            assert_eq!(
                model.set_m(0, 1, bad).unwrap_err().kind(),
                ErrorKind::InvalidConfig
            );
            assert_eq!(
                model.fix_u(0, 1, bad).unwrap_err().kind(),
                ErrorKind::InvalidConfig
            );
            assert_eq!(
                model.set_prior(bad).unwrap_err().kind(),
                ErrorKind::InvalidConfig
            );
        }
        assert_eq!(
            model.set_prior(1.0).unwrap_err().kind(),
            ErrorKind::InvalidConfig
        );
        assert!(model.set_m(0, 0, 0.5).is_err(), "null level has no m");
        assert!(model.set_m(0, 3, 0.5).is_err());
        assert!(model.set_m(1, 1, 0.5).is_err());
        assert!(model.set_m(0, 1, 1.0).is_ok());
        assert!(Model::new(&[]).is_err());
        let model_before = model.clone();
        assert!(model.set_u(0, 2, 0.0).is_err());
        assert_eq!(
            model, model_before,
            "failed setter leaves the model unchanged"
        );
    }
}
