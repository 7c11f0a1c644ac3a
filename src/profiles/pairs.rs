//! Every scored candidate pair, with its probability, weight, band and levels: what a
//! reviewer reads and what calibration is measured on.

use super::ProfileGraph;
use crate::model::ConfidenceBand;

/// One scored candidate pair as [`ProfileGraph::pair_rows`] reports it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PairRow<'a> {
    /// The smaller record id of the pair.
    pub left: &'a str,
    /// The larger record id.
    pub right: &'a str,
    /// Probability that the two records are one person, read with their profiles from
    /// the pairs' own weights (recalibrated by the model's
    /// [`Recalibration`](crate::model::Recalibration) when reviewed pairs fitted one):
    /// inside one profile at least the weakest link of the strongest chain of pairs
    /// joining them there (a must-link is a certain link), across two at most the
    /// mean weight of the pairs between the two profiles; a pair a person answered
    /// is 1 (same) or 0 (different). The pair's own comparisons alone say
    /// `pair_probability`.
    pub probability: f64,
    /// Match weight (log2 odds), prior and term-frequency adjustments included: the
    /// model's, before any recalibration (the weight clustering cuts).
    pub match_weight: f64,
    /// The pair's own probability: of `match_weight`, through the recalibration when
    /// there is one (without one, what [`ProfileGraph::explain_pair`] gives); what a
    /// threshold on compared pairs, before clustering, cuts.
    pub pair_probability: f64,
    /// Named band of the probability under the configuration's
    /// [`bands`](crate::Config::bands).
    pub band: ConfidenceBand,
    /// The level label of each comparison, in configuration order (`"null"` when a
    /// side is missing the value).
    pub levels: Vec<&'a str>,
}

impl ProfileGraph {
    /// Every scored candidate pair (NaN-weighted pairs included, with probability 0),
    /// sorted by left then right id: ids, probability (read with the profiles), match
    /// weight, the pair's own probability, band and the
    /// level label per comparison (names in [`ProfileGraph::comparison_names`]).
    ///
    /// ```
    /// use sameas::{Config, FieldKind, ProfileGraph, Record, Schema};
    /// let schema = Schema::from_fields([("given_name", FieldKind::GivenName),
    ///     ("family_name", FieldKind::FamilyName), ("email", FieldKind::Email)])?;
    /// let mut graph = ProfileGraph::new(Config::infer(schema.clone())?)?;
    /// let rec = |id: &str, email: &str| Record::builder(&schema, id)
    ///     .value("given_name", "Ana").value("family_name", "Pop").value("email", email).build();
    /// graph.add_batch(vec![rec("b", "ana@example.com")?, rec("a", "ana@example.com")?])?;
    /// let rows = graph.pair_rows();
    /// assert_eq!((rows[0].left, rows[0].right), ("a", "b"));
    /// assert_eq!(rows[0].levels.len(), graph.comparison_names().len());
    /// assert!(rows[0].probability > 0.5);
    /// # Ok::<(), sameas::Error>(())
    /// ```
    pub fn pair_rows(&self) -> Vec<PairRow<'_>> {
        let comparisons = self.set.comparisons();
        let bands = &self.config.bands;
        let mut rows: Vec<PairRow<'_>> = Vec::with_capacity(self.links.pair_count());
        self.reported_pairs(|r| {
            let (Some(ka), Some(kb)) = (self.links.key(r.a), self.links.key(r.b)) else {
                return;
            };
            let (left, right) = if ka <= kb { (ka, kb) } else { (kb, ka) };
            rows.push(PairRow {
                left,
                right,
                probability: r.probability,
                match_weight: r.weight,
                pair_probability: r.pair_probability,
                band: bands.band(r.probability),
                levels: comparisons
                    .iter()
                    .enumerate()
                    .map(|(i, c)| c.label(r.gamma.level(i)))
                    .collect(),
            });
        });
        // Each pair appears once: an unstable sort gives the same order.
        rows.sort_unstable_by(|x, y| (x.left, x.right).cmp(&(y.left, y.right)));
        rows
    }

    /// The names of the comparisons, in γ order: the level columns of
    /// [`ProfileGraph::pair_rows`].
    pub fn comparison_names(&self) -> Vec<&str> {
        self.set
            .comparisons()
            .iter()
            .map(|c| c.name.as_str())
            .collect()
    }
}
