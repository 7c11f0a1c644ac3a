//! u from a random sample of pairs (exact levels from value frequencies) and the
//! prior λ from deterministic rules.

use super::params::{check_open_unit, invalid, Model, PROB_FLOOR};
use super::patterns::PatternCounts;
use crate::error::{Error, ErrorKind, Result};

/// Pseudo-count added to every level when estimating u from a sample, so that a level
/// never seen in the sample still gets a small positive u (0.5 per level, Jeffreys-style).
pub const U_SMOOTHING: f64 = 0.5;

/// Spreads probability mass over the levels of one comparison: fixed levels keep
/// their value, free levels share `1 − Σ fixed` in proportion to `raw` (negative or
/// non-finite raw values count as 0; all-zero raw values share equally), each at least
/// about `floor`. Returns `None` if the fixed values leave no mass for free levels.
pub(crate) fn distribute(raw: &[f64], fixed: &[Option<f64>], floor: f64) -> Option<Vec<f64>> {
    let fixed_sum: f64 = fixed.iter().flatten().sum();
    let free = fixed.iter().filter(|f| f.is_none()).count();
    if free == 0 {
        return Some(fixed.iter().map(|f| f.unwrap_or(0.0)).collect());
    }
    let rem = 1.0 - fixed_sum;
    if rem.is_nan() || rem <= 0.0 {
        return None;
    }
    let clean = |r: f64| if r.is_finite() && r > 0.0 { r } else { 0.0 };
    let total: f64 = raw
        .iter()
        .zip(fixed)
        .filter(|(_, f)| f.is_none())
        .map(|(&r, _)| clean(r))
        .sum();
    let mut out: Vec<f64> = raw
        .iter()
        .zip(fixed)
        .map(|(&r, f)| match f {
            Some(v) => *v,
            None if total > 0.0 => (rem * clean(r) / total).max(floor),
            None => rem / free as f64,
        })
        .collect();
    let free_sum: f64 = out
        .iter()
        .zip(fixed)
        .filter(|(_, f)| f.is_none())
        .map(|(v, _)| v)
        .sum();
    if free_sum > 0.0 && free_sum.is_finite() {
        let scale = rem / free_sum;
        for (v, f) in out.iter_mut().zip(fixed) {
            if f.is_none() {
                *v *= scale;
            }
        }
    }
    out.iter()
        .all(|v| v.is_finite() && *v > 0.0 && *v <= 1.0)
        .then_some(out)
}

impl Model {
    /// Estimates u of every comparison level from a random sample of record pairs.
    ///
    /// For each comparison, u of level l is its share among sampled pairs where the
    /// comparison is non-null, smoothed by adding [`U_SMOOTHING`] to every level's
    /// count (so no u is 0). `exact_u[c]` (e.g. Σ p² from
    /// [`TermFrequencies::exact_u`](crate::model::TermFrequencies::exact_u)), when given and
    /// the comparison has an exact level, replaces the sampled u of that level; the
    /// other levels are rescaled to share the rest. This is what makes a small sample
    /// enough: the rarest level (exact agreement) needs no sampling. Missing entries of
    /// `exact_u` mean `None`. Fixed u values are kept. A comparison that is null in
    /// every sampled pair keeps its current u (apart from `exact_u`).
    ///
    /// Fails with `InvalidConfig` for an `exact_u` outside (0, 1) or longer than the
    /// comparison list, and with `Training` when fixed values leave no mass for the
    /// others; the model is unchanged on error.
    pub fn estimate_u(
        &mut self,
        random_pairs: &PatternCounts,
        exact_u: &[Option<f64>],
    ) -> Result<()> {
        if exact_u.len() > self.comparisons.len() {
            return Err(invalid(format!(
                "exact_u has {} entries for {} comparisons",
                exact_u.len(),
                self.comparisons.len()
            )));
        }
        let mut updates = Vec::with_capacity(self.comparisons.len());
        for (c, params) in self.comparisons.iter().enumerate() {
            let n_levels = params.levels.len();
            let mut counts = vec![0.0f64; n_levels];
            for (g, n) in random_pairs.iter() {
                let l = g.level(c) as usize;
                if let Some(slot) = l.checked_sub(1).and_then(|i| counts.get_mut(i)) {
                    *slot += n as f64;
                }
            }
            let n: f64 = counts.iter().sum();
            let raw: Vec<f64> = if n > 0.0 {
                counts
                    .iter()
                    .map(|k| (k + U_SMOOTHING) / (n + U_SMOOTHING * n_levels as f64))
                    .collect()
            } else {
                params.levels.iter().map(|l| l.u).collect()
            };
            let exact = exact_u.get(c).copied().flatten();
            if let Some(e) = exact {
                check_open_unit(&format!("exact u of comparison {:?}", params.name), e)?;
            }
            let fixed: Vec<Option<f64>> = params
                .levels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    if l.u_fixed {
                        Some(l.u)
                    } else if params.exact_level == Some((i + 1) as u8) {
                        exact
                    } else {
                        None
                    }
                })
                .collect();
            updates.push(distribute_u(&params.name, &raw, &fixed)?);
        }
        self.replace_u(updates);
        Ok(())
    }

    /// Takes the matching pairs out of u.
    ///
    /// Random pairs and value frequencies are drawn from all pairs, matches included,
    /// so what they measure is `λ·m + (1 − λ)·u`, not u. Where values identify a person
    /// (an e-mail, a phone) and records are few, the matches are most of what agrees:
    /// on 20,000 customers the sampled u of "same e-mail" was two thirds their own
    /// duplicates. Each free level's u becomes `(measured − λ·m) / (1 − λ)`, at least
    /// the floor, the levels rescaled to sum to 1; fixed u values are kept. Call it
    /// once m and λ are trained. Fails with `InvalidConfig` unless λ is in [0, 1), and
    /// with `Training` when fixed values leave no mass; the model is unchanged on
    /// error.
    pub fn deduct_matches_from_u(&mut self, lambda: f64) -> Result<()> {
        if !(0.0..1.0).contains(&lambda) {
            return Err(invalid(format!("prior {lambda} is not in [0, 1)")));
        }
        let mut updates = Vec::with_capacity(self.comparisons.len());
        for params in &self.comparisons {
            let raw: Vec<f64> = params
                .levels
                .iter()
                .map(|l| (l.u - lambda * l.m) / (1.0 - lambda))
                .collect();
            let fixed: Vec<Option<f64>> = params
                .levels
                .iter()
                .map(|l| l.u_fixed.then_some(l.u))
                .collect();
            updates.push(distribute_u(&params.name, &raw, &fixed)?);
        }
        self.replace_u(updates);
        Ok(())
    }

    /// Installs new u of every level (one vector per comparison, in level order).
    fn replace_u(&mut self, updates: Vec<Vec<f64>>) {
        for (params, new) in self.comparisons.iter_mut().zip(updates) {
            for (l, u) in params.levels.iter_mut().zip(new) {
                l.u = u;
            }
        }
        self.rebuild();
    }
}

/// [`distribute`] for the u of comparison `name`; `Training` error when the fixed
/// values leave no mass for the others.
fn distribute_u(name: &str, raw: &[f64], fixed: &[Option<f64>]) -> Result<Vec<f64>> {
    distribute(raw, fixed, PROB_FLOOR).ok_or_else(|| {
        Error::new(
            ErrorKind::Training,
            format!(
                "comparison {name:?}: fixed u values leave no probability for the other levels"
            ),
        )
    })
}

/// The prior λ from deterministic rules: `pairs_matching_rules / assumed_recall /
/// total_pairs`.
///
/// The pairs that strict rules (e.g. same email and same date of birth) accept are
/// taken as true matches; if those rules find a fraction `assumed_recall` of all
/// matches, there are `pairs_matching_rules / assumed_recall` matches among
/// `total_pairs` possible pairs (n(n−1)/2 when deduplicating n records). Fails with
/// `InvalidConfig` unless recall is in (0, 1], the pair count is positive and finite,
/// and the result is in (0, 1).
///
/// ```
/// let lambda = sameas::model::prior_from_rules(600, 0.6, 1_000_000.0)?;
/// assert!((lambda - 0.001).abs() < 1e-15);
/// # Ok::<(), sameas::Error>(())
/// ```
pub fn prior_from_rules(
    pairs_matching_rules: u64,
    assumed_recall: f64,
    total_pairs: f64,
) -> Result<f64> {
    if !(assumed_recall.is_finite() && assumed_recall > 0.0 && assumed_recall <= 1.0) {
        return Err(invalid(format!(
            "assumed recall {assumed_recall} is not in (0, 1]"
        )));
    }
    if !(total_pairs.is_finite() && total_pairs > 0.0) {
        return Err(invalid(format!(
            "total pairs {total_pairs} is not positive and finite"
        )));
    }
    let lambda = pairs_matching_rules as f64 / assumed_recall / total_pairs;
    check_open_unit("prior from rules", lambda)?;
    Ok(lambda)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::Gamma;
    use crate::model::test_support::comparison;

    #[test]
    fn distribute_keeps_fixed_and_normalizes_free() {
        let v = distribute(&[0.2, 0.2, 0.6], &[Some(0.5), None, None], 1e-6).unwrap();
        assert_eq!(v[0], 0.5);
        assert!((v[1] - 0.125).abs() < 1e-15 && (v[2] - 0.375).abs() < 1e-15);
        let v = distribute(&[0.0, 1.0], &[None, None], 1e-3).unwrap();
        assert!(v[0] > 0.0 && (v.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(distribute(&[0.1, 0.9], &[Some(1.0), None], 1e-6).is_none());
        let v = distribute(&[f64::NAN, 0.0], &[None, None], 1e-6).unwrap();
        assert_eq!(v, vec![0.5, 0.5]);
    }

    #[test]
    fn matches_are_taken_out_of_u() {
        let mut model = Model::new(&[comparison("email", 1, false)]).unwrap();
        for (level, m, u) in [(1, 0.9, 0.001), (2, 0.05, 0.009), (3, 0.05, 0.99)] {
            model.set_m(0, level, m).unwrap();
            model.set_u(0, level, u).unwrap();
        }
        let measured = model.clone();
        model.deduct_matches_from_u(0.0).unwrap();
        assert_eq!(model, measured, "no matches, nothing to take out");
        // λ = 0.001: nine tenths of the measured exact agreement were matches.
        model.deduct_matches_from_u(0.001).unwrap();
        let u = |m: &Model, l| m.u(0, l).unwrap();
        assert!(
            (u(&model, 1) - 0.0001 / 0.999).abs() < 1e-12,
            "{}",
            u(&model, 1)
        );
        assert!((u(&model, 2) - 0.00895 / 0.999).abs() < 1e-12);
        assert!(((1..=3).map(|l| u(&model, l)).sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(
            model.weight(Gamma::from_levels(&[1]))
                > measured.weight(Gamma::from_levels(&[1])) + 3.0
        );
        // More matches than the measured agreement: the floor, never 0 or negative.
        let mut all = measured.clone();
        all.deduct_matches_from_u(0.01).unwrap();
        assert!(u(&all, 1) > 0.0 && u(&all, 1) <= 1e-5);
        // A fixed u stays; a prior outside [0, 1) is refused and changes nothing.
        let mut fixed = measured.clone();
        fixed.fix_u(0, 1, 0.001).unwrap();
        fixed.deduct_matches_from_u(0.001).unwrap();
        assert_eq!(u(&fixed, 1), 0.001);
        for bad in [1.0, -0.1, f64::NAN] {
            let mut m = measured.clone();
            assert!(m.deduct_matches_from_u(bad).is_err());
            assert_eq!(m, measured);
        }
    }

    #[test]
    fn u_from_sample_with_exact_level_from_frequencies() {
        let mut model =
            Model::new(&[comparison("name", 1, false), comparison("dob", 0, false)]).unwrap();
        // name: 10 exact, 30 fuzzy, 60 else, 100 null; dob: always else
        let mut sample = vec![(Gamma::from_levels(&[1, 2]), 10)];
        sample.push((Gamma::from_levels(&[2, 2]), 30));
        sample.push((Gamma::from_levels(&[3, 2]), 60));
        sample.push((Gamma::from_levels(&[0, 2]), 100));
        let sample = PatternCounts::from_weighted(sample);
        model.estimate_u(&sample, &[]).unwrap();
        let d = 100.0 + 1.5;
        assert!((model.u(0, 1).unwrap() - 10.5 / d).abs() < 1e-12);
        assert!((model.u(0, 3).unwrap() - 60.5 / d).abs() < 1e-12);
        // dob exact never seen: smoothed, not zero
        assert!((model.u(1, 1).unwrap() - 0.5 / 201.0).abs() < 1e-12);

        model.estimate_u(&sample, &[Some(0.01)]).unwrap();
        assert_eq!(model.u(0, 1), Some(0.01));
        // fuzzy : else = 30.5 : 60.5, sharing 0.99
        assert!((model.u(0, 2).unwrap() - 0.99 * 30.5 / 91.0).abs() < 1e-12);
        let s: f64 = (1..=3).map(|l| model.u(0, l).unwrap()).sum();
        assert!((s - 1.0).abs() < 1e-12);

        model.fix_u(0, 3, 0.5).unwrap();
        model.estimate_u(&sample, &[Some(0.01)]).unwrap();
        assert_eq!(model.u(0, 3), Some(0.5));
        assert!((model.u(0, 2).unwrap() - 0.49).abs() < 1e-12);

        let before = model.clone();
        assert!(model.estimate_u(&sample, &[Some(1.5)]).is_err());
        assert!(model.estimate_u(&sample, &[None, None, None]).is_err());
        model.fix_u(0, 1, 0.6).unwrap();
        assert_eq!(
            model.estimate_u(&sample, &[]).unwrap_err().kind(),
            ErrorKind::Training
        );
        assert_eq!(model.u(1, 1), before.u(1, 1));
    }

    #[test]
    fn prior_from_rules_validates() {
        assert!((prior_from_rules(50, 0.5, 1e6).unwrap() - 1e-4).abs() < 1e-18);
        for (n, r, t) in [
            (0, 0.5, 1e6),
            (5, 0.0, 1e6),
            (5, 1.5, 1e6),
            (5, f64::NAN, 1e6),
            (5, 0.5, 0.0),
            (10, 0.5, 10.0),
            (5, 0.5, f64::INFINITY),
        ] {
            assert!(prior_from_rules(n, r, t).is_err(), "{n} {r} {t}");
        }
    }
}
