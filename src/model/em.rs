//! Expectation–maximisation for m (and optionally u) and the match share, on counts
//! of distinct γ patterns, with guards against degenerate solutions.

use super::household;
use super::params::{invalid, Model, PROB_FLOOR};
use super::patterns::PatternCounts;
use super::train_u::distribute;
use crate::compare::MAX_LEVELS;
use crate::error::{Error, ErrorKind, Result};
use std::fmt;

/// What EM does with the model's prior λ.
///
/// EM estimates the share of matches among the *candidate pairs* it is given, which is
/// far larger than λ, the probability that two *random* records match. The two are
/// kept apart: every run reports its candidate match share, and the prior changes only
/// when asked to.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum PriorUpdate {
    /// Keep the model's prior (from rules, the user or the default). The default.
    Keep,
    /// Set λ = (estimated matches among candidates) / `total_pairs`, using the run
    /// with the most estimated matches. Assumes blocking kept (nearly) all matches;
    /// otherwise λ is underestimated.
    FromCandidates {
        /// Number of possible pairs (n(n−1)/2 when deduplicating n records).
        total_pairs: f64,
    },
}

/// Settings of EM training.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct EmSettings {
    /// Most iterations per run (default 25). A run that hits the cap is reported as
    /// not converged.
    pub max_iterations: u32,
    /// Stop when no parameter (m, u if estimated, match share) moves more than this
    /// in one iteration (default 1e-4).
    pub tolerance: f64,
    /// Also re-estimate u from the candidates (default `false`: u from random
    /// sampling stays fixed, which is what keeps the non-match class honest).
    pub estimate_u: bool,
    /// What to do with the prior λ (default [`PriorUpdate::Keep`]).
    pub prior_update: PriorUpdate,
    /// Starting match share among candidates; `None` (default): the share of pairs
    /// whose starting weight (without prior) is positive, clamped to [0.001, 0.9].
    pub initial_match_share: Option<f64>,
    /// Leave out of a run any comparison that has a single non-null level in all its
    /// candidates — it was almost surely used for blocking and says nothing there
    /// (default `true`).
    pub exclude_constant_comparisons: bool,
    /// Warn when m of a comparison's else level exceeds this while its u is above 0.5
    /// (default 0.5). A coarse check: some fields legitimately disagree often among
    /// matches (emails change), so the sharper run-level check
    /// [`EmWarning::StrangersAbsorbed`] is always on as well.
    pub else_m_warning: f64,
    /// Per comparison: whether people of one household share its values (address,
    /// landline, family name, e-mail, loyalty card) rather than only one person's
    /// (given name, date of birth). When a run estimates comparisons of both sorts, EM
    /// fits a third latent class, "same household, different person", so that
    /// household members do not teach the match class that a different given name or
    /// birth date is common among matches. Empty (the default for a bare model): two
    /// classes. Training on a graph fills it from the field kinds and column names
    /// (given and full names, birth dates, e-mails and national identifiers are a
    /// person's).
    pub household_shared: Vec<bool>,
    /// Per comparison: whether a household pair may agree on it as one person's
    /// records do, at a rate EM learns (twins on the birth date; see
    /// [`HouseholdTerm::alike`](super::HouseholdTerm::alike)). Empty: nowhere. Training
    /// on a graph allows it on birth dates and e-mails (a family mailbox; see
    /// [`FieldKind::sometimes_shared_by_household`](crate::FieldKind::sometimes_shared_by_household)),
    /// not on the given name: learned there too, the rate also took in one person's
    /// records whose birth dates disagree by a typo.
    pub household_alike_on: Vec<bool>,
    /// At most this share of the household class's pairs, over all comparisons, may
    /// agree on a person comparison as one person's records do: the bound on the sum
    /// of the alike rates (default [`DEFAULT_HOUSEHOLD_ALIKE_MAX`]; in `[0, 1)`).
    pub household_alike_max: f64,
}

/// Default [`EmSettings::household_alike_max`]: one household pair in twenty.
///
/// From γ alone, a household pair alike on a person comparison (twins on the birth
/// date, a family mailbox) and one person's records whose given names differ as
/// "else" (a nickname the table lacks, two typos) are one pattern wherever the other
/// person comparisons are missing, and EM cannot tell how many of each there are.
/// Left to reach half the households, it took such records in as twins and mailboxes
/// (0.22 and 0.23 on three-country data from a generator written apart from ours,
/// where such pairs were 17 in 18 one person), and rated them 0.4. People are rarely
/// alike so: twins are about one birth in sixty, and two people of one home who share
/// a birth date or a mailbox are a minority of its pairs. The bound lets that
/// minority be learned and no more.
pub const DEFAULT_HOUSEHOLD_ALIKE_MAX: f64 = 0.05;

impl Default for EmSettings {
    fn default() -> Self {
        EmSettings {
            max_iterations: 25,
            tolerance: 1e-4,
            estimate_u: false,
            prior_update: PriorUpdate::Keep,
            initial_match_share: None,
            exclude_constant_comparisons: true,
            else_m_warning: 0.5,
            household_shared: Vec::new(),
            household_alike_on: Vec::new(),
            household_alike_max: DEFAULT_HOUSEHOLD_ALIKE_MAX,
        }
    }
}

impl EmSettings {
    fn validate(&self) -> Result<()> {
        if self.max_iterations == 0 {
            return Err(invalid("EM needs at least one iteration"));
        }
        if !(self.tolerance.is_finite() && self.tolerance >= 0.0) {
            return Err(invalid(format!(
                "EM tolerance {} is not finite and >= 0",
                self.tolerance
            )));
        }
        if let Some(s) = self.initial_match_share {
            if !(s.is_finite() && s > 0.0 && s < 1.0) {
                return Err(invalid(format!("initial match share {s} is not in (0, 1)")));
            }
        }
        if let PriorUpdate::FromCandidates { total_pairs } = self.prior_update {
            if !(total_pairs.is_finite() && total_pairs > 0.0) {
                return Err(invalid(format!(
                    "total pairs {total_pairs} is not positive and finite"
                )));
            }
        }
        if !(0.0..1.0).contains(&self.household_alike_max) {
            return Err(invalid(format!(
                "household_alike_max {} is not in [0, 1)",
                self.household_alike_max
            )));
        }
        if !(self.else_m_warning.is_finite() && self.else_m_warning > 0.0) {
            return Err(invalid("else_m_warning must be positive and finite"));
        }
        Ok(())
    }
}

/// A sign that EM found a degenerate or suspicious solution. None of these stop
/// training; all of them deserve a look before the model is used.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "warning", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum EmWarning {
    /// Exact agreement is less likely among matches than among non-matches.
    ExactBelowU {
        /// Comparison name.
        comparison: String,
        /// m of the exact level.
        m: f64,
        /// u of the exact level.
        u: f64,
    },
    /// In a run, a candidate pair that disagrees on *every* estimated comparison (it
    /// shares only the blocking key) still gets a match probability of at least 0.5:
    /// the match class has absorbed the strangers of the block. This is the signature
    /// of the collapse seen when EM runs on name-blocked pairs with the name
    /// comparison left in.
    StrangersAbsorbed {
        /// Index of the run.
        run: usize,
        /// Match probability, among the run's candidates, of a pair at the else level
        /// of every estimated comparison.
        probability: f64,
    },
    /// m of a comparison's else level is above [`EmSettings::else_m_warning`] while
    /// strangers mostly disagree (u > 0.5): many matches disagree completely, or the
    /// match class is drifting into strangers.
    ElseLevelHigh {
        /// Comparison name.
        comparison: String,
        /// m of the else level.
        m_else: f64,
        /// u of the else level.
        u_else: f64,
    },
    /// A less similar level weighs more than the level before it.
    WeightNotMonotone {
        /// Comparison name.
        comparison: String,
        /// γ level whose weight exceeds that of level − 1.
        level: u8,
    },
    /// A run's match share went to 0 or 1: one class swallowed the other.
    MatchShareDegenerate {
        /// Index of the run.
        run: usize,
        /// Final match share among the run's candidates.
        share: f64,
    },
    /// A comparison was constant among a run's candidates and left out of it.
    ConstantComparisonExcluded {
        /// Index of the run.
        run: usize,
        /// Comparison name.
        comparison: String,
    },
    /// No run estimated this comparison's m (blocked or null everywhere); it keeps
    /// its previous values.
    NotEstimated {
        /// Comparison name.
        comparison: String,
    },
    /// A run hit the iteration cap.
    NotConverged {
        /// Index of the run.
        run: usize,
        /// Largest parameter change in the last iteration.
        max_change: f64,
    },
    /// [`PriorUpdate::FromCandidates`] gave a λ outside (0, 1); the prior was kept.
    PriorNotUpdated {
        /// The rejected value.
        value: f64,
    },
}

impl fmt::Display for EmWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EmWarning::ExactBelowU { comparison, m, u } => {
                write!(f, "{comparison}: exact level has m = {m:.4} below u = {u:.4}")
            }
            EmWarning::StrangersAbsorbed { run, probability } => write!(
                f,
                "run {run}: pairs that disagree on everything but the blocking key get match probability {probability:.3}: the match class absorbs strangers"
            ),
            EmWarning::ElseLevelHigh { comparison, m_else, u_else } => write!(
                f,
                "{comparison}: m of the else level is {m_else:.3} (u {u_else:.3})"
            ),
            EmWarning::WeightNotMonotone { comparison, level } => {
                write!(f, "{comparison}: level {level} weighs more than level {}", level - 1)
            }
            EmWarning::MatchShareDegenerate { run, share } => {
                write!(f, "run {run}: match share among candidates went to {share:.6}")
            }
            EmWarning::ConstantComparisonExcluded { run, comparison } => {
                write!(f, "run {run}: {comparison} is constant among the candidates and was left out")
            }
            EmWarning::NotEstimated { comparison } => {
                write!(f, "{comparison}: m was not estimated by any run")
            }
            EmWarning::NotConverged { run, max_change } => {
                write!(f, "run {run}: hit the iteration cap with change {max_change:.2e}")
            }
            EmWarning::PriorNotUpdated { value } => {
                write!(f, "prior from candidates would be {value}; kept the previous prior")
            }
        }
    }
}

/// What one EM run did.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EmRunReport {
    /// Iterations done.
    pub iterations: u32,
    /// Largest parameter change in the last iteration.
    pub max_change: f64,
    /// Whether the change fell below the tolerance before the cap.
    pub converged: bool,
    /// Candidate pairs in the run.
    pub candidate_pairs: u64,
    /// Final estimated share of matches among the candidates (not the prior λ).
    pub match_share: f64,
    /// The match share after each iteration.
    pub match_share_log: Vec<f64>,
    /// Comparisons left out of the run (declared blocked, constant, or all null).
    pub excluded: Vec<usize>,
    /// Share of the household class among the candidates, when the run had one
    /// (see [`EmSettings::household_shared`]).
    #[cfg_attr(feature = "serde", serde(default))]
    pub household_share: Option<f64>,
    /// Per comparison, when the run had a household class: the share of household
    /// pairs that agree on it as one person's records would (0 on shared or
    /// left-out comparisons); empty otherwise. See [`HouseholdTerm::alike`](super::HouseholdTerm::alike).
    #[cfg_attr(feature = "serde", serde(default))]
    pub household_alike: Vec<f64>,
}

/// What EM training did: one report per run, warnings, and the resulting prior.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EmReport {
    /// One report per run, in the order given.
    pub runs: Vec<EmRunReport>,
    /// Signs of degenerate solutions, in a fixed order (runs first, then comparisons).
    pub warnings: Vec<EmWarning>,
    /// The model's prior λ after training.
    pub prior: f64,
}

impl EmReport {
    /// Whether every run converged.
    pub fn converged(&self) -> bool {
        self.runs.iter().all(|r| r.converged)
    }

    /// Total iterations over all runs.
    pub fn iterations(&self) -> u32 {
        self.runs.iter().map(|r| r.iterations).sum()
    }

    /// Largest final change over all runs.
    pub fn max_change(&self) -> f64 {
        self.runs.iter().map(|r| r.max_change).fold(0.0, f64::max)
    }
}

/// Parameters estimated by one run.
struct RunOutcome {
    /// m per comparison (γ-indexed, `MAX_LEVELS` wide); valid where `estimated`.
    m: Vec<f64>,
    u: Vec<f64>,
    estimated: Vec<bool>,
    report: EmRunReport,
    warnings: Vec<EmWarning>,
}

#[inline]
fn logistic(s: f64) -> (f64, f64) {
    // (σ(s), σ(−s)) without cancellation
    let r = 1.0 / (1.0 + (-s).exp());
    let q = 1.0 / (1.0 + s.exp());
    (r, q)
}

impl Model {
    /// Trains m (and the candidate match share) by EM on the counts of distinct γ
    /// patterns among blocked candidate pairs; u stays as estimated from random pairs
    /// unless `settings.estimate_u`. User-fixed m and u stay fixed. Same as
    /// [`Model::train_em_blocked`] with one run and no declared blocking comparisons
    /// (a comparison constant among the candidates is still left out).
    pub fn train_em(
        &mut self,
        candidates: &PatternCounts,
        settings: &EmSettings,
    ) -> Result<EmReport> {
        self.train_em_runs(&[(candidates, &[])], settings)
    }

    /// Trains m by EM over several blocking sets, Splink-style: each run's comparisons
    /// used in its blocking rule are left out of that run entirely (they are constant
    /// or nearly so among its candidates, so they say nothing there, and letting them
    /// speak makes every same-name pair look like a match). m of each comparison is
    /// the average over the runs that estimated it.
    ///
    /// This, u fixed from random sampling, starting values that favour agreement, and
    /// the checks reported as [`EmWarning`]s are the guard against the collapse where
    /// a match class trained on name-blocked pairs absorbs same-name strangers.
    ///
    /// The model is changed only on success. Fails with `InvalidConfig` for bad
    /// settings, no runs or blocking indices out of range, and with `Training` when
    /// fixed values leave no probability for the other levels.
    pub fn train_em_blocked(
        &mut self,
        runs: &[(PatternCounts, Vec<usize>)],
        settings: &EmSettings,
    ) -> Result<EmReport> {
        let runs: Vec<(&PatternCounts, &[usize])> =
            runs.iter().map(|(p, b)| (p, b.as_slice())).collect();
        self.train_em_runs(&runs, settings)
    }

    fn train_em_runs(
        &mut self,
        runs: &[(&PatternCounts, &[usize])],
        settings: &EmSettings,
    ) -> Result<EmReport> {
        settings.validate()?;
        if runs.is_empty() {
            return Err(invalid("EM needs at least one run"));
        }
        let n = self.comparisons.len();
        for (_, blocked) in runs {
            if let Some(&b) = blocked.iter().find(|&&b| b >= n) {
                return Err(invalid(format!(
                    "blocked comparison {b} out of range ({n} comparisons)"
                )));
            }
        }
        let outcomes: Vec<RunOutcome> = runs
            .iter()
            .enumerate()
            .map(|(i, (p, b))| self.em_run(i, p, b, settings))
            .collect::<Result<_>>()?;

        let mut warnings: Vec<EmWarning> = Vec::new();
        let mut next = self.clone();
        for (c, params) in next.comparisons.iter_mut().enumerate() {
            let used: Vec<&RunOutcome> = outcomes.iter().filter(|o| o.estimated[c]).collect();
            if used.is_empty() {
                warnings.push(EmWarning::NotEstimated {
                    comparison: params.name.clone(),
                });
                continue;
            }
            let k = used.len() as f64;
            for (i, l) in params.levels.iter_mut().enumerate() {
                let at = c * MAX_LEVELS + i + 1;
                if !l.m_fixed {
                    l.m = used.iter().map(|o| o.m[at]).sum::<f64>() / k;
                }
                if settings.estimate_u && !l.u_fixed {
                    l.u = used.iter().map(|o| o.u[at]).sum::<f64>() / k;
                }
            }
        }
        if let (PriorUpdate::FromCandidates { total_pairs }, false) =
            (settings.prior_update, next.prior_fixed)
        {
            let matches = outcomes
                .iter()
                .map(|o| o.report.match_share * o.report.candidate_pairs as f64)
                .fold(0.0, f64::max);
            let lambda = matches / total_pairs;
            if lambda.is_finite() && lambda > 0.0 && lambda < 1.0 {
                next.prior = lambda;
                next.prior_is_default = false;
            } else {
                warnings.push(EmWarning::PriorNotUpdated { value: lambda });
            }
        }
        next.rebuild();
        let mut all_warnings: Vec<EmWarning> = outcomes
            .iter()
            .flat_map(|o| o.warnings.iter().cloned())
            .collect();
        all_warnings.append(&mut warnings);
        all_warnings.extend(next.degeneracy_warnings(settings.else_m_warning));
        *self = next;
        Ok(EmReport {
            runs: outcomes.into_iter().map(|o| o.report).collect(),
            warnings: all_warnings,
            prior: self.prior,
        })
    }

    /// Checks of a trained model: exact m below u, else-level m too high where
    /// strangers mostly disagree, weights that rise as similarity falls.
    pub(crate) fn degeneracy_warnings(&self, else_m_warning: f64) -> Vec<EmWarning> {
        let mut out = Vec::new();
        for p in &self.comparisons {
            if let Some(l) = p.exact_level.and_then(|e| p.level(e)) {
                if l.m < l.u {
                    out.push(EmWarning::ExactBelowU {
                        comparison: p.name.clone(),
                        m: l.m,
                        u: l.u,
                    });
                }
            }
            if let Some(l) = p.levels.last() {
                if p.levels.len() > 1 && l.m > else_m_warning && l.u > 0.5 {
                    out.push(EmWarning::ElseLevelHigh {
                        comparison: p.name.clone(),
                        m_else: l.m,
                        u_else: l.u,
                    });
                }
            }
            for (i, w) in p.levels.windows(2).enumerate() {
                let before = (w[0].m / w[0].u).log2();
                let after = (w[1].m / w[1].u).log2();
                if after > before + 1e-9 {
                    out.push(EmWarning::WeightNotMonotone {
                        comparison: p.name.clone(),
                        level: (i + 2) as u8,
                    });
                }
            }
        }
        out
    }

    fn em_run(
        &self,
        run: usize,
        patterns: &PatternCounts,
        blocked: &[usize],
        settings: &EmSettings,
    ) -> Result<RunOutcome> {
        let n = self.comparisons.len();
        let width = n * MAX_LEVELS;
        let mut m = vec![0.0f64; width];
        let mut u = vec![0.0f64; width];
        for (c, p) in self.comparisons.iter().enumerate() {
            for (i, l) in p.levels.iter().enumerate() {
                m[c * MAX_LEVELS + i + 1] = l.m;
                u[c * MAX_LEVELS + i + 1] = l.u;
            }
        }
        // Which comparisons this run estimates.
        let mut warnings = Vec::new();
        let mut active = vec![true; n];
        for (c, p) in self.comparisons.iter().enumerate() {
            let levels = p.levels.len();
            let mut seen = [false; MAX_LEVELS];
            for (g, _) in patterns.iter() {
                let l = g.level(c) as usize;
                if (1..=levels).contains(&l) {
                    seen[l] = true;
                }
            }
            let distinct = seen.iter().filter(|&&s| s).count();
            if blocked.contains(&c) || distinct == 0 {
                active[c] = false;
            } else if distinct == 1 && levels > 1 && settings.exclude_constant_comparisons {
                active[c] = false;
                warnings.push(EmWarning::ConstantComparisonExcluded {
                    run,
                    comparison: p.name.clone(),
                });
            }
        }
        let mut lr = vec![0.0f64; width];
        let fill_lr = |lr: &mut [f64], m: &[f64], u: &[f64]| {
            for (c, &on) in active.iter().enumerate() {
                for l in 1..MAX_LEVELS {
                    let at = c * MAX_LEVELS + l;
                    lr[at] = if on && m[at] > 0.0 && u[at] > 0.0 {
                        (m[at] / u[at]).ln()
                    } else {
                        0.0
                    };
                }
            }
        };
        fill_lr(&mut lr, &m, &u);
        let score = |lr: &[f64], g: crate::compare::Gamma| -> f64 {
            lr.chunks_exact(MAX_LEVELS)
                .enumerate()
                .map(|(c, row)| row[(g.level(c) & 0xF) as usize])
                .sum()
        };
        let total = patterns.total() as f64;
        let mut pi = match settings.initial_match_share {
            Some(s) => s,
            None if total > 0.0 => {
                let positive: f64 = patterns
                    .iter()
                    .filter(|&(g, _)| score(&lr, g) > 0.0)
                    .map(|(_, k)| k as f64)
                    .sum();
                (positive / total).clamp(0.001, 0.9)
            }
            None => 0.5,
        };
        let mut report = EmRunReport {
            iterations: 0,
            max_change: 0.0,
            converged: false,
            candidate_pairs: patterns.total(),
            match_share: pi,
            match_share_log: Vec::new(),
            excluded: (0..n).filter(|&c| !active[c]).collect(),
            household_share: None,
            household_alike: Vec::new(),
        };
        if total == 0.0 {
            return Ok(RunOutcome {
                m,
                u,
                estimated: vec![false; n],
                report,
                warnings,
            });
        }
        let shared = |c: usize| settings.household_shared.get(c).copied().unwrap_or(false);
        let three_classes =
            (0..n).any(|c| active[c] && shared(c)) && (0..n).any(|c| active[c] && !shared(c));
        if three_classes {
            let fixed: Vec<Vec<bool>> = self
                .comparisons
                .iter()
                .map(|p| p.levels.iter().map(|l| l.m_fixed).collect())
                .collect();
            let slots: Vec<household::Slot<'_>> = self
                .comparisons
                .iter()
                .enumerate()
                .map(|(c, p)| household::Slot {
                    levels: p.levels.len(),
                    active: active[c],
                    shared: shared(c),
                    m_fixed: &fixed[c],
                    may_be_alike: settings.household_alike_on.get(c).copied().unwrap_or(false),
                })
                .collect();
            let fit = household::fit(patterns, &slots, &m, &u, pi, settings);
            m = fit.m;
            pi = fit.match_share;
            fill_lr(&mut lr, &m, &u);
            report.iterations = fit.iterations;
            report.max_change = fit.max_change;
            report.converged = fit.converged;
            report.match_share_log = fit.share_log;
            report.household_share = Some(fit.household_share);
            report.household_alike = fit.alike;
        }
        let mut acc_m = vec![0.0f64; width];
        let mut acc_u = vec![0.0f64; width];
        let iterations = if three_classes {
            0
        } else {
            settings.max_iterations
        };
        for it in 1..=iterations {
            acc_m.iter_mut().for_each(|x| *x = 0.0);
            acc_u.iter_mut().for_each(|x| *x = 0.0);
            let logit = (pi / (1.0 - pi)).ln();
            let mut sum_r = 0.0;
            for (g, k) in patterns.iter() {
                let (r, q) = logistic(logit + score(&lr, g));
                let k = k as f64;
                sum_r += k * r;
                for c in 0..n {
                    let l = g.level(c) as usize;
                    if active[c] && l > 0 {
                        acc_m[c * MAX_LEVELS + l] += k * r;
                        acc_u[c * MAX_LEVELS + l] += k * q;
                    }
                }
            }
            let new_pi = (sum_r / total).clamp(1e-12, 1.0 - 1e-12);
            let mut change = (new_pi - pi).abs();
            for (c, p) in self.comparisons.iter().enumerate() {
                if !active[c] {
                    continue;
                }
                let range = c * MAX_LEVELS + 1..c * MAX_LEVELS + 1 + p.levels.len();
                let update = |target: &mut [f64],
                              acc: &[f64],
                              fixed: &dyn Fn(usize) -> bool|
                 -> Result<f64> {
                    let raw = &acc[range.clone()];
                    if raw.iter().sum::<f64>() <= 0.0 {
                        return Ok(0.0);
                    }
                    let fixed: Vec<Option<f64>> = (0..p.levels.len())
                        .map(|i| fixed(i).then(|| target[range.start + i]))
                        .collect();
                    let new = distribute(raw, &fixed, PROB_FLOOR).ok_or_else(|| {
                        Error::new(
                            ErrorKind::Training,
                            format!("comparison {:?}: fixed values leave no probability for the other levels", p.name),
                        )
                    })?;
                    let mut ch: f64 = 0.0;
                    for (t, v) in target[range.clone()].iter_mut().zip(new) {
                        ch = ch.max((*t - v).abs());
                        *t = v;
                    }
                    Ok(ch)
                };
                change = change.max(update(&mut m, &acc_m, &|i| p.levels[i].m_fixed)?);
                if settings.estimate_u {
                    change = change.max(update(&mut u, &acc_u, &|i| p.levels[i].u_fixed)?);
                }
            }
            pi = new_pi;
            fill_lr(&mut lr, &m, &u);
            report.iterations = it;
            report.max_change = change;
            report.match_share_log.push(pi);
            if change < settings.tolerance {
                report.converged = true;
                break;
            }
        }
        report.match_share = pi;
        if !report.converged {
            warnings.push(EmWarning::NotConverged {
                run,
                max_change: report.max_change,
            });
        }
        let mut all_else = (pi / (1.0 - pi)).ln();
        let mut any_active = false;
        for (c, p) in self.comparisons.iter().enumerate() {
            if active[c] {
                any_active = true;
                all_else += lr[c * MAX_LEVELS + p.levels.len()];
            }
        }
        let probability = logistic(all_else).0;
        if any_active && probability >= 0.5 {
            warnings.push(EmWarning::StrangersAbsorbed { run, probability });
        }
        if !(1e-6..=0.99).contains(&pi) {
            warnings.push(EmWarning::MatchShareDegenerate { run, share: pi });
        }
        Ok(RunOutcome {
            m,
            u,
            estimated: active,
            report,
            warnings,
        })
    }
}
