//! Every scored candidate pair, with its probability, weight, band and levels: what a
//! reviewer reads and what calibration is measured on.

use super::ProfileGraph;
use crate::model::{probability_from_weight, ConfidenceBand};

/// One scored candidate pair as [`ProfileGraph::pair_rows`] reports it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PairRow<'a> {
    /// The smaller record id of the pair.
    pub left: &'a str,
    /// The larger record id.
    pub right: &'a str,
    /// Posterior probability that the two records are one person (through the model's
    /// [`Recalibration`](crate::model::Recalibration) when reviewed pairs fitted one).
    pub probability: f64,
    /// Match weight (log2 odds), prior and term-frequency adjustments included: the
    /// model's, before any recalibration (the weight clustering cuts).
    pub match_weight: f64,
    /// Named band of the probability under the configuration's
    /// [`bands`](crate::Config::bands).
    pub band: ConfidenceBand,
    /// The level label of each comparison, in configuration order (`"null"` when a
    /// side is missing the value).
    pub levels: Vec<&'a str>,
}

impl ProfileGraph {
    /// Every scored candidate pair (NaN-weighted pairs included, with probability 0),
    /// sorted by left then right id: ids, probability, match weight, band and the
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
        let mut rows: Vec<PairRow<'_>> = self
            .links
            .edges()
            .filter_map(|(a, b, g, w)| {
                let (ka, kb) = (self.links.key(a)?, self.links.key(b)?);
                let (left, right) = if ka <= kb { (ka, kb) } else { (kb, ka) };
                let together = self.links.profile_of(a) == self.links.profile_of(b);
                let probability = probability_from_weight(self.reported_weight(g, w, together));
                Some(PairRow {
                    left,
                    right,
                    probability,
                    match_weight: w,
                    band: bands.band(probability),
                    levels: comparisons
                        .iter()
                        .enumerate()
                        .map(|(i, c)| c.label(g.level(i)))
                        .collect(),
                })
            })
            .collect();
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
