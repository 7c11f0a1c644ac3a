//! Explanations: the waterfall from the prior through each comparison to the total.

use super::band::{probability_from_weight, ConfidenceBand};
use super::params::Model;
use crate::compare::Gamma;
use std::fmt;

/// One comparison's contribution to a pair's weight.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ExplanationStep {
    /// Comparison name.
    pub comparison: String,
    /// γ level (0 = null).
    pub level: u8,
    /// Label of the level (`"null"` for 0, `"?"` for a level the comparison lacks).
    pub label: String,
    /// m of the level (`None` for null or unknown levels).
    pub m: Option<f64>,
    /// u of the level (`None` for null or unknown levels).
    pub u: Option<f64>,
    /// m / u (1 for null).
    pub bayes_factor: f64,
    /// log2(m / u) (0 for null).
    pub weight: f64,
    /// Term-frequency adjustment added to the weight (0 when none applies).
    pub tf_adjustment: f64,
    /// What the name dependence moved the weight by (0 when it did not apply): two
    /// strangers sharing a family name share given names more often than strangers at
    /// large (see [`NameDependence`](super::NameDependence)).
    #[cfg_attr(feature = "serde", serde(default))]
    pub dependence_adjustment: f64,
}

/// Why a pair got its probability: prior, one step per comparison, total.
///
/// `prior_weight + Σ (step.weight + step.dependence_adjustment + step.tf_adjustment) =
/// total_weight`, summed in the same order as [`Model::weight_with_tf`], so
/// `total_weight` and `probability` are bit-identical to scoring.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Explanation {
    /// log2(λ / (1 − λ)).
    pub prior_weight: f64,
    /// λ, the probability before any evidence.
    pub prior_probability: f64,
    /// One step per comparison, in γ order.
    pub steps: Vec<ExplanationStep>,
    /// What weighing the pair against "two people of one household" changed (0
    /// without a household term; see [`HouseholdTerm`](super::HouseholdTerm)):
    /// `total_weight = prior_weight + Σ steps + household_adjustment`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub household_adjustment: f64,
    /// What the veto changed: a pair whose γ marks two people (`Config::veto_quorum`
    /// comparisons at veto levels, none identifying) is capped one bit below the
    /// clustering veto (0 otherwise, and for [`Model::explain`], which knows no
    /// veto): `total_weight = prior_weight + Σ steps + household_adjustment +
    /// veto_adjustment`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub veto_adjustment: f64,
    /// Total match weight.
    pub total_weight: f64,
    /// Posterior probability of a match.
    pub probability: f64,
}

impl Explanation {
    /// The explanation with the total capped at `cap` (see
    /// [`Explanation::veto_adjustment`]); unchanged when the total is not above it.
    pub fn capped_at(mut self, cap: f64) -> Explanation {
        if self.total_weight > cap {
            self.veto_adjustment = cap - self.total_weight;
            self.total_weight = cap;
            self.probability = probability_from_weight(cap);
        }
        self
    }

    /// The confidence band of the probability.
    pub fn band(&self) -> ConfidenceBand {
        ConfidenceBand::of(self.probability)
    }
}

impl Model {
    /// The waterfall for γ with term frequencies `tf` (see [`Model::weight_with_tf`]).
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
    /// let model = Model::new(&[c])?;
    /// let why = model.explain(Gamma::from_levels(&[1]), |_| None);
    /// assert_eq!(why.steps[0].label, "exact");
    /// assert_eq!(why.total_weight, model.weight(Gamma::from_levels(&[1])));
    /// println!("{why}");
    /// # Ok::<(), sameas::Error>(())
    /// ```
    pub fn explain(&self, g: Gamma, tf: impl Fn(usize) -> Option<f64>) -> Explanation {
        let mut steps = Vec::with_capacity(self.comparisons.len());
        let mut total = self.prior_weight();
        for (c, p) in self.comparisons.iter().enumerate() {
            let level = g.level(c);
            let params = p.level(level);
            let weight = self.level_weight(c, level);
            total += weight;
            steps.push(ExplanationStep {
                comparison: p.name.clone(),
                level,
                label: match (level, params) {
                    (0, _) => "null".to_string(),
                    (_, Some(l)) => l.label.clone(),
                    (_, None) => "?".to_string(),
                },
                m: params.map(|l| l.m),
                u: params.map(|l| l.u),
                bayes_factor: params.map_or(1.0, |l| l.m / l.u),
                weight,
                tf_adjustment: 0.0,
                dependence_adjustment: 0.0,
            });
        }
        // After the level weights: the name dependence's shift, then TF adjustments in comparison order,
        // exactly as in `evidence` and `weight_with_tf`.
        if let Some((c, shift)) = self.dependence_shift(g) {
            steps[c].dependence_adjustment = shift;
            total += shift;
        }
        let mut evidence = self.evidence(g);
        for (c, step) in steps.iter_mut().enumerate() {
            let adj = self.tf_adjustment_of(c, g, tf(c));
            if adj != 0.0 {
                step.tf_adjustment = adj;
                total += adj;
                self.shift_weight(&mut evidence, c, self.weight_in(g, c), adj);
            }
        }
        let combined = self.against_household(evidence);
        Explanation {
            prior_weight: self.prior_weight(),
            prior_probability: self.prior(),
            steps,
            household_adjustment: combined - total,
            veto_adjustment: 0.0,
            total_weight: combined,
            probability: probability_from_weight(combined),
        }
    }
}

fn prob(x: Option<f64>) -> String {
    match x {
        None => "-".into(),
        Some(v) if v >= 0.001 => format!("{v:.4}"),
        Some(v) => format!("{v:.2e}"),
    }
}

fn factor(x: f64) -> String {
    if (0.001..1e6).contains(&x) {
        format!("{x:.3}")
    } else {
        format!("{x:.2e}")
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name_w = self
            .steps
            .iter()
            .map(|s| s.comparison.chars().count())
            .chain(["comparison".len()])
            .max()
            .unwrap_or(10);
        let prior_label = format!("λ = {}", prob(Some(self.prior_probability)));
        let label_w = self
            .steps
            .iter()
            .map(|s| s.label.chars().count())
            .chain([5, prior_label.chars().count()])
            .max()
            .unwrap_or(5);
        writeln!(
            f,
            "{:<name_w$}  {:<label_w$}  {:>9}  {:>9}  {:>12}  {:>9}  {:>8}",
            "comparison", "level", "m", "u", "Bayes factor", "weight", "TF adj"
        )?;
        writeln!(
            f,
            "{:<name_w$}  {:<label_w$}  {:>9}  {:>9}  {:>12}  {:>+9.3}  {:>8}",
            "prior",
            prior_label,
            "",
            "",
            factor(self.prior_probability / (1.0 - self.prior_probability)),
            self.prior_weight,
            ""
        )?;
        for s in &self.steps {
            let tf = if s.tf_adjustment != 0.0 {
                format!("{:+.3}", s.tf_adjustment)
            } else {
                String::new()
            };
            writeln!(
                f,
                "{:<name_w$}  {:<label_w$}  {:>9}  {:>9}  {:>12}  {:>+9.3}  {:>8}",
                s.comparison,
                s.label,
                prob(s.m),
                prob(s.u),
                factor(s.bayes_factor),
                s.weight,
                tf
            )?;
        }
        for s in self.steps.iter().filter(|s| s.dependence_adjustment != 0.0) {
            writeln!(
                f,
                "{:<name_w$}  {:<label_w$}  {:>9}  {:>9}  {:>12}  {:>+9.3}",
                s.comparison,
                "beside the other name's agreement",
                "",
                "",
                "",
                s.dependence_adjustment,
            )?;
        }
        if self.household_adjustment != 0.0 {
            writeln!(
                f,
                "{:<name_w$}  {:<label_w$}  {:>9}  {:>9}  {:>12}  {:>+9.3}",
                "household", "or two people of one home?", "", "", "", self.household_adjustment,
            )?;
        }
        if self.veto_adjustment != 0.0 {
            writeln!(
                f,
                "{:<name_w$}  {:<label_w$}  {:>9}  {:>9}  {:>12}  {:>+9.3}",
                "veto", "two people: capped below the veto", "", "", "", self.veto_adjustment,
            )?;
        }
        write!(
            f,
            "{:<name_w$}  {:<label_w$}  {:>9}  {:>9}  {:>12}  {:>+9.3}  p = {:.6} ({})",
            "total",
            "",
            "",
            "",
            "",
            self.total_weight,
            self.probability,
            self.band()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_support::comparison;

    #[test]
    fn waterfall_sums_and_prints() {
        let mut model =
            Model::new(&[comparison("surname", 1, true), comparison("dob", 0, false)]).unwrap();
        model.set_prior(0.01).unwrap();
        model.set_m(0, 1, 0.8).unwrap();
        model.set_u(0, 1, 0.01).unwrap();
        model.set_m(1, 2, 0.1).unwrap();
        model.set_u(1, 2, 0.8).unwrap();
        let g = Gamma::from_levels(&[1, 2]);
        let why = model.explain(g, |c| (c == 0).then_some(0.001));
        assert_eq!(why.steps.len(), 2);
        let s = &why.steps[0];
        assert_eq!(
            (s.label.as_str(), s.m, s.u),
            ("exact", Some(0.8), Some(0.01))
        );
        assert!((s.bayes_factor - 80.0).abs() < 1e-12);
        assert!((s.tf_adjustment - 10f64.log2()).abs() < 1e-12);
        assert!((why.steps[1].weight + 3.0).abs() < 1e-12);
        let sum = why.prior_weight
            + why
                .steps
                .iter()
                .map(|s| s.weight + s.tf_adjustment)
                .sum::<f64>();
        assert!((sum - why.total_weight).abs() < 1e-12);
        let w = model.weight_with_tf(g, |c| (c == 0).then_some(0.001));
        assert_eq!(why.total_weight.to_bits(), w.to_bits());
        assert_eq!(
            why.probability,
            model.probability_with_tf(g, |c| (c == 0).then_some(0.001))
        );

        let text = why.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5, "{text}");
        assert!(
            lines[1].starts_with("prior") && lines[1].contains("λ = 0.0100"),
            "{text}"
        );
        assert!(
            lines[2].starts_with("surname ") && lines[2].contains(" exact "),
            "{text}"
        );
        assert!(
            lines[2].contains("+6.322") && lines[2].ends_with("+3.322"),
            "{text}"
        );
        assert!(lines[3].contains("-3.000"), "{text}");
        // 0.01/0.99 · 80 · 10 · 0.125 = 1.0101… → p = 0.5025
        assert!(lines[4].starts_with("total"), "{text}");
        assert!(lines[4].ends_with("p = 0.502513 (possible)"), "{text}");
        // columns line up: the weight column ends at the same place on every row
        let col = lines[0].find("weight").unwrap() + "weight".len();
        for l in &lines[1..] {
            let prefix: String = l.chars().take(lines[0][..col].chars().count()).collect();
            assert!(
                prefix.ends_with(|ch: char| ch.is_ascii_digit()),
                "{l:?} in\n{text}"
            );
        }

        let null = model.explain(Gamma::from_levels(&[0, 9]), |_| Some(0.5));
        assert_eq!(null.steps[0].label, "null");
        assert_eq!(null.steps[1].label, "?");
        assert_eq!(null.total_weight, model.prior_weight());
        assert_eq!(null.steps[0].m, None);
    }
}
