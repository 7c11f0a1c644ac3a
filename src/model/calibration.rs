//! Recalibrating match weights from reviewed pairs: corrections to the weight of each
//! side and comparison level, learned from the pairs a person has judged, one set for
//! pairs inside one profile and one for pairs across two, the answers per comparison
//! pattern, and anchors that keep the model's count of matches per band of weight.
//!
//! Without labels, a pair's probability comes from its own comparisons only. Over all
//! compared pairs that is close to calibrated, but the profiles add evidence the pair
//! alone does not have: a weak pair inside a profile whose records are both strongly
//! linked to the other members is usually a data error (a typo in a birth date, an old
//! address), while a strong pair kept apart by a contradiction is usually two people.
//! Reviewed pairs measure both, and a [`Recalibration`] carries what they say.
//!
//! Answers teach at two grains. Each answer says something about every level its pair
//! shows: a logistic regression of the answers on the side and the levels learns how
//! many bits the pairs on each side, and each level's weight (its log2 m/u) on each
//! side, should gain or lose, every correction held at 0 by a prior ([`LEVEL_PRIOR`]).
//! So "same" answers on weak links inside profiles lift
//! such links, and "different" answers on households kept apart lower pairs across
//! profiles with another given name. And pairs with the very comparison outcome (γ
//! pattern) of answered ones, on the same side, learn from those answers directly (a
//! Beta–Binomial mean, with a prior worth [`PATTERN_PRIOR`] answers).
//!
//! The answered pairs are the review queue's questions, not a sample of the pairs, and
//! two things keep what they say where it belongs:
//!
//! - **Each answer is measured against the evidence it was chosen by**
//!   ([`JudgedPair::context`]): the queue asks about decisions of the profiles (are
//!   these two profiles one person? is this profile one?) whose doubt weighs every
//!   compared pair of the decision, so the regression's offset is the log odds the
//!   model gave that decision, not the asked pair's own weight. A pair kept apart from
//!   a profile it is linked to by several other pairs is asked because of them; a
//!   "same" was then half expected, and teaches its levels little. Measured against the
//!   pair's own weight instead (as first built), such answers lifted every pair
//!   across profiles that shared an email by 2.6 bits.
//! - **The model keeps how many matches there are** ([`Recalibration::anchor`]): the
//!   model, trained on all pairs, says how many of the pairs of each weight are
//!   matches, and that holds without labels; the clustering sorts each weight's pairs
//!   into those inside one profile and those across two. The answers teach how a
//!   weight's matches divide between the sides and among levels; an offset per band of
//!   weight keeps their number. Lifting weak links inside profiles then lowers the
//!   pairs of that weight across profiles, and corrections that would lift both sides
//!   alike cancel instead of lifting every pair of the weight.
//!
//! Why not a map of the weight alone (Platt scaling, tried first): fitted on the
//! queue's questions, chosen for doubt, it moved every pair of that weight, most of
//! them right.

use crate::compare::Gamma;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{probability_from_weight, weight_from_probability};

/// Weights beyond this many bits (either sign) are clamped when fitting or applying
/// corrections: their probabilities are 0 or 1 to double precision anyway.
const MAX_BITS: f64 = 60.0;

/// How many answers the corrected probability of a pair counts as, against the
/// answers on pairs of the same γ pattern and side ([`Recalibration::weight`]). One
/// answer then moves a pattern at most a sixth of the way to it: the questions are
/// chosen for their profiles' doubt, so the pair asked is not a typical pair of its
/// pattern, and a single answer must not decide for every pair that shares it.
pub const PATTERN_PRIOR: f64 = 5.0;

/// Precision (per unit of `strength`, in natural log odds) of the prior that holds each
/// level correction at 0: a standard deviation of half a nat (0.7 bits) before any
/// answer, worth about sixteen answers at probability ½ on pairs showing the level.
pub const LEVEL_PRIOR: f64 = 4.0;

/// A correction to one comparison level's weight on one side, learned from answers
/// ([`Recalibration::levels`]).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LevelShift {
    /// Pairs inside one profile (else across two).
    pub together: bool,
    /// The comparison (its position in γ).
    pub comparison: u8,
    /// The level (1 is the first non-null level). Level 0 (with comparison 0) is the
    /// side's own correction, added to every pair on that side.
    pub level: u8,
    /// Bits added to the weight of pairs at this level on this side.
    pub bits: f64,
}

/// One answered pair as [`Recalibration::fit`] takes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JudgedPair {
    /// The pair's comparison vector.
    pub gamma: Gamma,
    /// Its model weight (before any recalibration).
    pub weight: f64,
    /// The log2 odds, under the model (before any recalibration), of the decision the
    /// answer settles, when it was asked: that the one profile holding both records
    /// is one person (its cohesion), or that the two profiles holding them are (every
    /// compared pair across them); see
    /// [`Review::answer`](crate::profiles::Review::answer). The review queue chooses
    /// its questions by that evidence, not by the pair's own weight, so it is what an
    /// answer is measured against: a pair kept apart from a profile it is linked to by
    /// other pairs is asked because of them, and a "same" then says little about
    /// pairs of its levels elsewhere. Equal to `weight` when nothing but the pair
    /// spoke for it; NaN: use `weight`.
    pub context: f64,
    /// Whether its records were in one profile when it was asked.
    pub together: bool,
    /// The answer: the same person.
    pub same: bool,
}

/// The answers on one γ pattern, on one side (inside or across profiles).
#[derive(Debug, Clone, Copy, PartialEq)]
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
    /// How many "same" answers the graph expected when each was asked: the sum of the
    /// probabilities of their [`JudgedPair::context`]. `None` (calibrations saved
    /// before it was kept): the pattern's probability times the answers.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub expected: Option<f64>,
}

/// What reviewed pairs say about the model's probabilities: corrections to the weight
/// of each comparison level, one set for pairs whose records are in one profile and
/// one for pairs across two profiles (the profiles are evidence the pair's own
/// comparisons do not see; see the module documentation), and the answers per γ
/// pattern. Fitted by
/// [`Review::recalibrate`](crate::profiles::Review::recalibrate) and kept with the
/// model ([`Model::calibration`](crate::Model::calibration)); the graph then reports
/// recalibrated probabilities (pairs, memberships, the review queue) while clustering
/// still cuts the model's own weights.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Recalibration {
    /// Judged pairs it was fitted on (inside, across).
    pub judged: (u64, u64),
    /// Corrections per side and comparison level, sorted by side (across first),
    /// comparison and level: what the answers say each level's weight (its log2 m/u)
    /// should gain or lose on that side, learned across patterns.
    #[cfg_attr(feature = "serde", serde(default))]
    pub levels: Vec<LevelShift>,
    /// Answers per γ pattern and side, sorted by pattern, then side.
    #[cfg_attr(feature = "serde", serde(default))]
    pub patterns: Vec<PatternAnswers>,
    /// Offsets per band of model weight that keep the probability the graph reports,
    /// summed over every compared pair of that weight, what the model says it is
    /// ([`Recalibration::anchor`]), sorted by band, without repeats. Empty: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub anchors: Vec<WeightAnchor>,
}

/// The offset added to the corrected weight of every pair whose model weight lies in
/// one band ([`Recalibration::anchors`]).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct WeightAnchor {
    /// The band: model weights `w` with `w.floor() == band` (weights beyond
    /// ±[`ANCHOR_BANDS`] bits fall in the outermost band).
    pub band: i32,
    /// Bits added to the weight of pairs in the band, both sides, after the level
    /// corrections.
    pub bits: f64,
}

/// Model weights are anchored in bands one bit wide, from `-ANCHOR_BANDS` to
/// `ANCHOR_BANDS` bits; weights beyond fall in the outermost bands.
pub const ANCHOR_BANDS: i32 = 30;

/// The anchor band of model weight `w` (finite).
fn band_of(w: f64) -> i32 {
    // In range after the clamp, so the cast neither saturates nor truncates a NaN.
    w.clamp(-f64::from(ANCHOR_BANDS), f64::from(ANCHOR_BANDS) - 0.5)
        .floor() as i32
}

impl Recalibration {
    /// Fails unless the level shifts are finite and sorted, and the patterns sorted,
    /// both without repeats.
    pub(crate) fn validate(&self) -> Result<()> {
        let levels_ok = self.levels.iter().all(|l| l.bits.is_finite())
            && self.levels.windows(2).all(|w| {
                (w[0].together, w[0].comparison, w[0].level)
                    < (w[1].together, w[1].comparison, w[1].level)
            });
        if !levels_ok {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                "calibration level shifts must be finite and sorted by comparison and level, without repeats",
            ));
        }
        let anchors_ok = self.anchors.iter().all(|a| a.bits.is_finite())
            && self.anchors.windows(2).all(|w| w[0].band < w[1].band);
        if !anchors_ok {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                "calibration anchors must be finite and sorted by band, without repeats",
            ));
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

    /// The sum of the level corrections of `gamma`'s levels on one side, in bits.
    pub fn shift(&self, gamma: Gamma, together: bool) -> f64 {
        if self.levels.is_empty() {
            return 0.0;
        }
        let find = |c: usize, level: u8| {
            self.levels
                .binary_search_by(|l| {
                    (l.together, l.comparison as usize, l.level).cmp(&(together, c, level))
                })
                .ok()
        };
        let mut bits = find(0, 0).map_or(0.0, |i| self.levels[i].bits);
        for c in 0..crate::compare::MAX_COMPARISONS {
            let level = gamma.level(c);
            if level == 0 {
                continue;
            }
            if let Some(i) = find(c, level) {
                bits += self.levels[i].bits;
            }
        }
        bits
    }

    /// The anchor offset of pairs of model weight `w`, in bits (0 outside the anchored
    /// bands and for NaN).
    pub fn offset(&self, w: f64) -> f64 {
        if self.anchors.is_empty() || w.is_nan() {
            return 0.0;
        }
        let band = band_of(w);
        self.anchors
            .binary_search_by(|a| a.band.cmp(&band))
            .map_or(0.0, |i| self.anchors[i].bits)
    }

    /// Anchors the level corrections to the model on `pairs` (every compared pair as
    /// (γ, model weight, whether its records are in one profile)): per band of model
    /// weight one bit wide, the offset (in bits, both sides alike) that makes the
    /// probabilities of the band's pairs after the level corrections sum to what the
    /// model's probabilities sum to ([`Recalibration::anchors`]).
    ///
    /// Why: the answers are the review queue's questions, chosen for doubt, not a
    /// sample of the pairs; a level correction fitted on them says how pairs of that
    /// level differ from others *among the questions*, and moves every pair showing
    /// it. The model, trained on all pairs, is what says how many of the pairs of a
    /// weight are matches (its probabilities hold over all pairs without labels), and
    /// the clustering sorts each weight's pairs into those inside one profile and
    /// those across two: the answers teach how a weight's matches divide between
    /// them and among levels, the anchor keeps how many there are. So when the
    /// answers lift weak links inside profiles, the pairs of that weight across
    /// profiles, kept apart by the same evidence, come down, and corrections that
    /// lift both sides alike cancel instead of lifting every pair of the weight.
    ///
    /// A band whose pairs the corrections do not move gets no anchor; the offsets
    /// are found by bisection, to 1e-9 of a bit.
    pub fn anchor(&mut self, pairs: impl IntoIterator<Item = (Gamma, f64, bool)>) {
        self.anchors.clear();
        if self.levels.is_empty() {
            return;
        }
        // (band, model weight, level shift) of every pair with a finite weight.
        let mut rows: Vec<(i32, f64, f64)> = pairs
            .into_iter()
            .filter(|(_, w, _)| w.is_finite())
            .map(|(g, w, together)| {
                let w = w.clamp(-MAX_BITS, MAX_BITS);
                (band_of(w), w, self.shift(g, together))
            })
            .collect();
        rows.sort_unstable_by(|x, y| {
            x.0.cmp(&y.0)
                .then_with(|| x.1.total_cmp(&y.1))
                .then_with(|| x.2.total_cmp(&y.2))
        });
        let mut start = 0;
        while start < rows.len() {
            let end = rows[start..]
                .iter()
                .position(|r| r.0 != rows[start].0)
                .map_or(rows.len(), |n| start + n);
            let band = &rows[start..end];
            start = end;
            if band.iter().all(|r| r.2 == 0.0) {
                continue;
            }
            let target: f64 = band.iter().map(|r| probability_from_weight(r.1)).sum();
            let mass = |d: f64| -> f64 {
                band.iter()
                    .map(|r| probability_from_weight(r.1 + r.2 + d))
                    .sum()
            };
            // mass is increasing in d; bracket the root by the shifts' range.
            let (lo_shift, hi_shift) = band
                .iter()
                .fold((0.0f64, 0.0f64), |(lo, hi), r| (lo.min(r.2), hi.max(r.2)));
            let (mut lo, mut hi) = (-hi_shift - 1.0, -lo_shift + 1.0);
            for _ in 0..200 {
                if hi - lo < 1e-9 {
                    break;
                }
                let mid = 0.5 * (lo + hi);
                if mass(mid) < target {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let bits = 0.5 * (lo + hi);
            if bits.is_finite() {
                self.anchors.push(WeightAnchor {
                    band: band[0].0,
                    bits,
                });
            }
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
    /// records are (`together`) or are not in one profile: `w` plus the corrections of
    /// its side and levels on that side ([`Recalibration::shift`]) and the anchor of
    /// its band of weight ([`Recalibration::offset`]), then, when pairs of the same
    /// pattern and side were answered, the probability
    /// `p + (same − expected) / (answers + PATTERN_PRIOR)` for the corrected
    /// probability `p` and the "same" answers the graph expected when asking
    /// ([`PatternAnswers::expected`]), kept between what all-"different" and all-"same"
    /// answers would give under a prior worth `PATTERN_PRIOR` answers at `p`
    /// (`PATTERN_PRIOR · p / (answers + PATTERN_PRIOR)` and
    /// `(PATTERN_PRIOR · p + answers) / (answers + PATTERN_PRIOR)`; with `expected =
    /// answers · p` it is that Beta–Binomial mean). NaN and ±∞ stay as they are.
    ///
    /// ```
    /// use sameas::compare::Gamma;
    /// use sameas::model::{probability_from_weight, JudgedPair, Recalibration};
    /// let g = Gamma::from_levels(&[1, 3]);
    /// let judged: Vec<JudgedPair> = (0..20)
    ///     .map(|_| JudgedPair { gamma: g, weight: -2.0, context: -2.0, together: false, same: false })
    ///     .collect();
    /// let r = Recalibration::fit(&judged, 1.0)?;
    /// // Twenty "different" on this pattern: such pairs are now unlikely…
    /// assert!(probability_from_weight(r.weight(g, -2.0, false)) < 0.05);
    /// // …and so, less, are other pairs across profiles with a level they share…
    /// let other = Gamma::from_levels(&[1, 1]);
    /// assert!(r.weight(other, -2.0, false) < -2.0);
    /// // …while pairs inside profiles learned nothing.
    /// assert_eq!(r.weight(g, -2.0, true), -2.0);
    /// # Ok::<(), sameas::Error>(())
    /// ```
    pub fn weight(&self, gamma: Gamma, w: f64, together: bool) -> f64 {
        let mapped = if w.is_nan() || w.is_infinite() {
            w
        } else {
            w.clamp(-MAX_BITS, MAX_BITS) + self.shift(gamma, together) + self.offset(w)
        };
        if mapped.is_nan() || mapped.is_infinite() {
            return mapped;
        }
        match self.answers(gamma, together) {
            Some(a) => {
                let p = probability_from_weight(mapped);
                let n = f64::from(a.same) + f64::from(a.different);
                let expected = a.expected.filter(|e| e.is_finite()).unwrap_or(n * p);
                // The answers' surprise (same answers beyond those the graph expected
                // when asking) moves p, a prior worth PATTERN_PRIOR answers holding
                // it; never beyond where all-same or all-different answers would.
                let (low, high) = (
                    PATTERN_PRIOR * p / (n + PATTERN_PRIOR),
                    (PATTERN_PRIOR * p + n) / (n + PATTERN_PRIOR),
                );
                let q = (p + (f64::from(a.same) - expected) / (n + PATTERN_PRIOR)).clamp(low, high);
                weight_from_probability(q)
            }
            None => mapped,
        }
    }

    /// Fits the side and level corrections (a logistic regression of the answers on
    /// the side and levels of each judged pair, its [`JudgedPair::context`] as offset,
    /// every correction held at 0 by a Gaussian prior whose precision is `strength`
    /// times [`LEVEL_PRIOR`]: at 1.0, about sixteen answers' worth) and counts the answers per pattern and side,
    /// with the "same" answers their contexts expected. No anchors: see
    /// [`Recalibration::anchor`]. With no judged pair it changes nothing.
    ///
    /// # Errors
    ///
    /// `strength` not finite and positive.
    pub fn fit(judged: &[JudgedPair], strength: f64) -> Result<Recalibration> {
        if !(strength.is_finite() && strength > 0.0) {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                format!("calibration strength {strength} is not finite and > 0"),
            ));
        }
        let mut patterns: Vec<PatternAnswers> = Vec::new();
        let mut keys: Vec<(Gamma, bool, bool, f64)> = judged
            .iter()
            .map(|j| (j.gamma, j.together, j.same, expected_same(j)))
            .collect();
        keys.sort_unstable_by(|x, y| {
            (x.0, x.1, x.2)
                .cmp(&(y.0, y.1, y.2))
                .then_with(|| x.3.total_cmp(&y.3))
        });
        for (gamma, together, same, expected) in keys {
            match patterns.last_mut() {
                Some(p) if (p.gamma, p.together) == (gamma, together) => {}
                _ => patterns.push(PatternAnswers {
                    gamma,
                    together,
                    same: 0,
                    different: 0,
                    expected: Some(0.0),
                }),
            }
            if let Some(p) = patterns.last_mut() {
                if same {
                    p.same = p.same.saturating_add(1);
                } else {
                    p.different = p.different.saturating_add(1);
                }
                p.expected = p.expected.map(|e| e + expected);
            }
        }
        let inside = judged.iter().filter(|j| j.together).count() as u64;
        let levels = fit_levels(judged, strength);
        Ok(Recalibration {
            judged: (inside, judged.len() as u64 - inside),
            levels,
            patterns,
            anchors: Vec::new(),
        })
    }
}

/// The probability that `j`'s records are one person the graph had when it was asked
/// (its context, else its own weight).
fn expected_same(j: &JudgedPair) -> f64 {
    let w = if j.context.is_nan() {
        j.weight
    } else {
        j.context
    };
    if w.is_nan() {
        0.5
    } else {
        probability_from_weight(w.clamp(-MAX_BITS, MAX_BITS))
    }
}

/// The level corrections: ridge logistic regression of the answers on one-hot
/// (side, comparison, level) features, with each pair's context weight (natural log
/// odds; [`JudgedPair::context`]) as a fixed offset: the question was chosen for that
/// evidence, so only what the answers say beyond it is the levels' to learn.
fn fit_levels(judged: &[JudgedPair], strength: f64) -> Vec<LevelShift> {
    let ln2 = std::f64::consts::LN_2;
    // Features: every side seen (as level 0 of comparison 0) and every (side,
    // comparison, non-null level) seen, sorted.
    let mut keys: Vec<(bool, u8, u8)> = Vec::new();
    let mut rows: Vec<(f64, f64, Vec<usize>)> = Vec::new();
    for j in judged.iter().filter(|j| !j.weight.is_nan()) {
        keys.push((j.together, 0, 0));
        for c in 0..crate::compare::MAX_COMPARISONS {
            let l = j.gamma.level(c);
            if l != 0 {
                keys.push((j.together, c as u8, l));
            }
        }
    }
    keys.sort_unstable();
    keys.dedup();
    if keys.is_empty() {
        return Vec::new();
    }
    for j in judged.iter().filter(|j| !j.weight.is_nan()) {
        let context = if j.context.is_nan() {
            j.weight
        } else {
            j.context
        };
        let offset = context.clamp(-MAX_BITS, MAX_BITS) * ln2;
        let side = keys.binary_search(&(j.together, 0, 0)).ok();
        let features: Vec<usize> = side
            .into_iter()
            .chain((0..crate::compare::MAX_COMPARISONS).filter_map(|c| {
                let l = j.gamma.level(c);
                (l != 0)
                    .then(|| keys.binary_search(&(j.together, c as u8, l)).ok())
                    .flatten()
            }))
            .collect();
        rows.push((offset, f64::from(u8::from(j.same)), features));
    }
    let k = keys.len();
    let prior = LEVEL_PRIOR * strength;
    let objective = |beta: &[f64]| -> f64 {
        let mut l = -0.5 * prior * beta.iter().map(|b| b * b).sum::<f64>();
        for (o, y, f) in &rows {
            let z = o + f.iter().map(|&i| beta[i]).sum::<f64>();
            l -= if *y > 0.5 { softplus(-z) } else { softplus(z) };
        }
        l
    };
    let mut beta = vec![0.0; k];
    let mut current = objective(&beta);
    for _ in 0..50 {
        let mut grad: Vec<f64> = beta.iter().map(|b| -prior * b).collect();
        let mut hess = vec![0.0; k * k];
        for i in 0..k {
            hess[i * k + i] = prior;
        }
        for (o, y, f) in &rows {
            let z = o + f.iter().map(|&i| beta[i]).sum::<f64>();
            let p = sigmoid(z);
            let v = p * (1.0 - p);
            for &a in f {
                grad[a] += y - p;
                for &b in f {
                    hess[a * k + b] += v;
                }
            }
        }
        let Some(step) = solve(&mut hess, &grad, k) else {
            break;
        };
        let mut t = 1.0;
        let mut moved = false;
        while t > 1e-6 {
            let next: Vec<f64> = beta.iter().zip(&step).map(|(b, d)| b + t * d).collect();
            let value = objective(&next);
            if value >= current {
                moved = value - current > 1e-10;
                beta = next;
                current = value;
                break;
            }
            t /= 2.0;
        }
        if !moved {
            break;
        }
    }
    keys.iter()
        .zip(&beta)
        .map(|(&(together, comparison, level), &b)| LevelShift {
            together,
            comparison,
            level,
            bits: b / ln2,
        })
        .collect()
}

/// Solves the symmetric positive definite system `a · x = b` (`a` is `k × k`, row
/// major, overwritten) by Cholesky; `None` when it is not positive definite.
fn solve(a: &mut [f64], b: &[f64], k: usize) -> Option<Vec<f64>> {
    for j in 0..k {
        let mut d = a[j * k + j];
        for m in 0..j {
            d -= a[j * k + m] * a[j * k + m];
        }
        if !(d.is_finite() && d > 0.0) {
            return None;
        }
        let d = d.sqrt();
        a[j * k + j] = d;
        for i in j + 1..k {
            let mut v = a[i * k + j];
            for m in 0..j {
                v -= a[i * k + m] * a[j * k + m];
            }
            a[i * k + j] = v / d;
        }
    }
    let mut y = vec![0.0; k];
    for i in 0..k {
        let mut v = b[i];
        for m in 0..i {
            v -= a[i * k + m] * y[m];
        }
        y[i] = v / a[i * k + i];
    }
    let mut x = vec![0.0; k];
    for i in (0..k).rev() {
        let mut v = y[i];
        for m in i + 1..k {
            v -= a[m * k + i] * x[m];
        }
        x[i] = v / a[i * k + i];
    }
    Some(x)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(gamma: Gamma, weight: f64, together: bool, same: bool) -> JudgedPair {
        JudgedPair {
            gamma,
            weight,
            context: weight,
            together,
            same,
        }
    }

    #[test]
    fn a_level_learns_the_bits_its_answers_say() {
        // Pairs at weight 0 whose comparison 0 is at level 2 are the same person one
        // time in five: the level should lose log2(4) = 2 bits.
        let g = Gamma::from_levels(&[2]);
        let judged: Vec<JudgedPair> = (0..1000).map(|i| pair(g, 0.0, false, i % 5 == 0)).collect();
        let r = Recalibration::fit(&judged, 1.0).unwrap();
        let shift = r.shift(g, false);
        assert!((shift + 2.0).abs() < 0.05, "{shift}");
        // One correction for the level, one for the side (level 0), sharing the bits.
        assert_eq!(r.levels.len(), 2);
        assert_eq!((r.levels[0].comparison, r.levels[0].level), (0, 0));
        assert!((r.levels[0].bits - r.levels[1].bits).abs() < 1e-6);
        assert_eq!(r.shift(g, true), 0.0, "the other side learned nothing");
    }

    #[test]
    fn few_answers_move_a_level_little() {
        let g = Gamma::from_levels(&[3, 1]);
        let one = Recalibration::fit(&[pair(g, -6.0, true, true)], 1.0).unwrap();
        let many = Recalibration::fit(&vec![pair(g, -6.0, true, true); 200], 1.0).unwrap();
        let other = Gamma::from_levels(&[3, 2]);
        // Through the level (another pattern sharing it), not the pattern's answers.
        let p = |r: &Recalibration| probability_from_weight(r.weight(other, -6.0, true));
        assert!(p(&one) > probability_from_weight(-6.0));
        assert!(p(&one) < 0.1, "{}", p(&one));
        // Two levels share the evidence; the one this pattern shows carries half.
        assert!(p(&many) > 0.25, "{}", p(&many));
    }

    #[test]
    fn weight_keeps_nan_and_infinities_and_needs_a_positive_strength() {
        let g = Gamma::from_levels(&[1]);
        let r = Recalibration::fit(&[pair(g, 1.0, false, false)], 1.0).unwrap();
        assert!(r.weight(g, f64::NAN, false).is_nan());
        assert_eq!(r.weight(g, f64::INFINITY, false), f64::INFINITY);
        assert_eq!(r.weight(g, 1e9, true), r.weight(g, MAX_BITS, true));
        assert!(Recalibration::fit(&[], 0.0).is_err());
        assert_eq!(
            Recalibration::fit(&[], 1.0).unwrap(),
            Recalibration::default()
        );
    }

    #[test]
    fn recalibration_learns_each_side_on_its_own_pairs() {
        let judged: Vec<JudgedPair> = (0..700u64)
            .map(|i| pair(Gamma(i % 7 + 1), -5.0, true, i % 5 != 0))
            .chain((0..700u64).map(|i| pair(Gamma(i % 7 + 1), 8.0, false, i % 5 == 0)))
            .collect();
        let r = Recalibration::fit(&judged, 1.0).unwrap();
        assert_eq!(r.judged, (700, 700));
        r.validate().unwrap();
        // A pattern nobody answered follows its levels' corrections.
        let unseen = Gamma(1 | (1 << 4));
        assert!(probability_from_weight(r.weight(unseen, -5.0, true)) > 0.5);
        assert!(probability_from_weight(r.weight(unseen, 8.0, false)) < 0.5);
        // Patterns are counted per side, sorted.
        assert_eq!(r.patterns.len(), 14);
        let a = r.answers(Gamma(1), true).unwrap();
        assert_eq!(a.same + a.different, 100);
        let mut bad = r.clone();
        bad.patterns.swap(0, 1);
        assert!(bad.validate().is_err());
        let mut bad = r.clone();
        bad.levels.swap(0, 1);
        assert!(bad.validate().is_err());
    }

    #[test]
    fn answers_the_context_expected_teach_nothing() {
        // Pairs rated 1.5% on their own, asked because their profiles were half likely
        // one person (context 0 bits), and the same person half the time: the answers
        // say what the context said, so pairs of these levels elsewhere keep their
        // weight, and so does the pattern.
        let g = Gamma::from_levels(&[2, 1]);
        let judged: Vec<JudgedPair> = (0..200)
            .map(|i| JudgedPair {
                context: 0.0,
                ..pair(g, -6.0, false, i % 2 == 0)
            })
            .collect();
        let r = Recalibration::fit(&judged, 1.0).unwrap();
        assert!(r.shift(g, false).abs() < 0.01, "{}", r.shift(g, false));
        assert!((r.weight(g, -6.0, false) + 6.0).abs() < 0.01);
        // Measured against the pair's own weight, the same answers lift its levels.
        let own: Vec<JudgedPair> = judged
            .iter()
            .map(|j| pair(j.gamma, j.weight, false, j.same))
            .collect();
        let naive = Recalibration::fit(&own, 1.0).unwrap();
        assert!(naive.shift(g, false) > 4.0, "{}", naive.shift(g, false));
    }

    #[test]
    fn anchors_keep_the_matches_of_each_band_and_divide_them_by_side() {
        // Inside pairs learned +4 bits, across pairs nothing: in each band the anchor
        // takes back what the lift added, so the pairs across come down.
        let g = Gamma::from_levels(&[1]);
        let judged: Vec<JudgedPair> = (0..400).map(|i| pair(g, -2.0, true, i % 10 != 0)).collect();
        let mut r = Recalibration::fit(&judged, 1.0).unwrap();
        assert!(r.shift(g, true) > 3.0 && r.shift(g, false) == 0.0);
        // Pairs of another pattern sharing the level (the answered pattern's own
        // answers would move it past the anchor).
        let h = Gamma::from_levels(&[1, 2]);
        let pairs: Vec<(Gamma, f64, bool)> = (0..1000)
            .map(|i| (h, -2.5 + f64::from(i % 3), i % 4 == 0))
            .collect();
        r.anchor(pairs.iter().copied());
        r.validate().unwrap();
        assert_eq!(r.anchors.len(), 3);
        for band in [-3, -2, 0] {
            let model: f64 = pairs
                .iter()
                .filter(|p| band_of(p.1) == band)
                .map(|p| probability_from_weight(p.1))
                .sum();
            let reported: f64 = pairs
                .iter()
                .filter(|p| band_of(p.1) == band)
                .map(|p| probability_from_weight(r.weight(p.0, p.1, p.2)))
                .sum();
            assert!(
                (model - reported).abs() < 1e-6,
                "{band}: {model} vs {reported}"
            );
        }
        assert!(r.weight(h, -2.5, false) < -2.5 - 0.5);
        assert!(r.weight(h, -2.5, true) > -2.5 + 2.0);
        // The same lift on both sides cancels.
        let both: Vec<JudgedPair> = judged
            .iter()
            .flat_map(|j| {
                [
                    *j,
                    JudgedPair {
                        together: false,
                        ..*j
                    },
                ]
            })
            .collect();
        let mut r = Recalibration::fit(&both, 1.0).unwrap();
        r.anchor(pairs.iter().copied());
        for p in &pairs {
            assert!((r.weight(p.0, p.1, p.2) - p.1).abs() < 1e-6);
        }
        // Without level corrections there is nothing to anchor.
        let mut none = Recalibration::default();
        none.anchor(pairs.iter().copied());
        assert!(none.anchors.is_empty());
        // Anchors must be sorted and finite.
        let mut bad = r.clone();
        bad.anchors.reverse();
        assert!(bad.validate().is_err());
    }

    #[test]
    fn answers_on_a_pattern_outweigh_the_levels_for_that_pattern() {
        let g = Gamma(5);
        let same =
            |n: usize| -> Vec<JudgedPair> { (0..n).map(|_| pair(g, -6.0, true, true)).collect() };
        let few = Recalibration::fit(&same(1), 1.0).unwrap();
        let many = Recalibration::fit(&same(20), 1.0).unwrap();
        let p = |r: &Recalibration| probability_from_weight(r.weight(g, -6.0, true));
        assert!(p(&few) > 0.15 && p(&few) < 0.3, "{}", p(&few));
        assert!(p(&many) > 0.8, "{}", p(&many));
        // The other side of the same pattern learned nothing from them.
        assert_eq!(many.weight(g, -6.0, false), -6.0);
    }
}
