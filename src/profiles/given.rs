//! Records scored outside the graph: blocking keys, exclusive keys and the γ and weight
//! of a given pair, exactly as the graph would compute them. The building blocks of a
//! distributed run (keys and comparisons on many machines, clustering on one).

use super::scoring::exclusive_keys;
use super::ProfileGraph;
use crate::block::RecordKeys;
use crate::compare::{FieldValues, Gamma};
use crate::error::Result;
use crate::record::Record;

impl ProfileGraph {
    /// The blocking keys of a record (which need not be in the graph) under this
    /// graph's blocking rules: two records are compared when they share a key and the
    /// block is not oversized (see [`RecordKeys`]).
    pub fn blocking_keys(&self, record: &Record) -> RecordKeys {
        self.index.record_keys(record)
    }

    /// The exclusive keys of a record's strong identifiers, as
    /// [`LinkGraph::set_exclusive`](crate::graph::LinkGraph::set_exclusive) takes them:
    /// one `(class, value)` per normalized value, the class naming source and field.
    pub fn exclusive_keys(&self, record: &Record) -> Vec<(u64, u64)> {
        exclusive_keys(
            &self.config.schema,
            &mut FieldValues::new(record, &self.config.normalize),
        )
    }

    /// γ and match weight of two records (which need not be in the graph), as this
    /// graph would score them if they were: its comparisons, its model, the term
    /// frequencies frozen when the model was set, and the veto cap.
    ///
    /// ```
    /// use sameas::{Config, FieldKind, ProfileGraph, Record, Schema};
    /// let schema = Schema::from_fields([("given_name", FieldKind::GivenName),
    ///     ("family_name", FieldKind::FamilyName), ("email", FieldKind::Email)])?;
    /// let graph = ProfileGraph::new(Config::infer(schema.clone())?)?;
    /// let rec = |id: &str, email: &str| Record::builder(&schema, id)
    ///     .value("given_name", "Ana").value("family_name", "Pop").value("email", email).build();
    /// let (a, b) = (rec("a", "ana@example.com")?, rec("b", "ana@example.com")?);
    /// let (_, w) = graph.score_records(&a, &b)?;
    /// let (_, w_other) = graph.score_records(&a, &rec("c", "ion@example.org")?)?;
    /// assert!(w > w_other);
    /// assert!(graph.blocking_keys(&a).keys().iter().any(|k| graph.blocking_keys(&b).keys().contains(k)));
    /// # Ok::<(), sameas::Error>(())
    /// ```
    pub fn score_records(&self, a: &Record, b: &Record) -> Result<(Gamma, f64)> {
        let (pa, pb) = (self.set.prepare(a)?, self.set.prepare(b)?);
        let g = self.set.gamma(&pa, &pb);
        Ok((g, self.scorer().weight(&pa, &pb, g)))
    }
}

#[cfg(test)]
mod tests {
    use crate::{Config, FieldKind, ProfileGraph, Record, Schema};

    fn schema() -> Schema {
        Schema::from_fields([
            ("given_name", FieldKind::GivenName),
            ("family_name", FieldKind::FamilyName),
            ("email", FieldKind::Email),
            ("loyalty_id", FieldKind::StrongId),
        ])
        .unwrap()
    }

    fn record(schema: &Schema, id: &str, given: &str, family: &str, email: &str) -> Record {
        Record::builder(schema, id)
            .value("given_name", given)
            .value("family_name", family)
            .value("email", email)
            .value("loyalty_id", format!("L-{id}"))
            .build()
            .unwrap()
    }

    #[test]
    fn scoring_outside_agrees_with_the_graph() {
        let schema = schema();
        let mut graph = ProfileGraph::new(Config::infer(schema.clone()).unwrap()).unwrap();
        let people = [
            ("a", "Ana", "Pop", "ana@example.com"),
            ("b", "Anna", "Pop", "ana@example.com"),
            ("c", "Ion", "Pop", "ion@example.com"),
            ("d", "Ana", "Popa", "ana.p@example.org"),
        ];
        let records: Vec<Record> = people
            .iter()
            .map(|&(id, g, f, e)| record(&schema, id, g, f, e))
            .collect();
        graph.add_batch(records.clone()).unwrap();
        let rows = graph.pair_rows();
        assert!(!rows.is_empty());
        let by_id = |id: &str| records.iter().find(|r| r.id() == id).unwrap();
        for row in &rows {
            let (_, w) = graph
                .score_records(by_id(row.left), by_id(row.right))
                .unwrap();
            assert_eq!(w.to_bits(), row.match_weight.to_bits(), "{row:?}");
            // compared pairs share a blocking key
            let (ka, kb) = (
                graph.blocking_keys(by_id(row.left)),
                graph.blocking_keys(by_id(row.right)),
            );
            assert!(ka.keys().iter().any(|k| kb.keys().contains(k)));
        }
        let keys = graph.exclusive_keys(by_id("a"));
        assert_eq!(keys.len(), 1);
        assert_ne!(keys, graph.exclusive_keys(by_id("b")));
        assert_eq!(keys[0].0, graph.exclusive_keys(by_id("b"))[0].0);
    }
}
