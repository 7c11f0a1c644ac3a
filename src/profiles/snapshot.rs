//! Saving and restoring the whole graph state.

use super::ProfileGraph;
use crate::block::BlockIndex;
use crate::compare::ComparisonSet;
use crate::config::Config;
use crate::error::{Error, ErrorKind, Result};
use crate::graph::{LinkGraph, NodeId};
use crate::model::{Model, TermFrequencies};
use crate::record::Record;
use std::sync::Arc;

/// Everything a [`ProfileGraph`] holds that cannot be derived again: configuration,
/// model, frequencies, records, pairs with their γ, assertions and profile IDs.
/// Prepared records and the blocking index are rebuilt on restore. An erased record
/// appears nowhere in it.
///
/// `Debug` prints counts only.
///
/// # Format version and checksum
///
/// With the `serde` feature a snapshot serializes as
/// `{"format": "ProfileGraph", "format_version": 2, "checksum": "fnv1a64:…",
/// "payload": {…}}`. The checksum is a 64-bit FNV-1a over a canonical encoding of the
/// payload (independent of
/// the serde format), so a snapshot changed or damaged after it was written is refused
/// with a *checksum mismatch* error rather than restored into a graph that is wrong in
/// some way no later check notices. It guards against accidents (truncation, a
/// flipped bit, a hand edit), not against someone who rewrites the checksum too: sign
/// or encrypt snapshots where that matters. A format that does not round-trip floats
/// exactly (`serde_json` without its `float_roundtrip` feature) also fails the check.
///
/// **Compatibility rule**: a snapshot is read only by a `sameas` whose
/// [`SNAPSHOT_VERSION`](super::SNAPSHOT_VERSION) is the snapshot's `format_version`. Any
/// change to what a snapshot holds or how it is encoded bumps the version, and a
/// snapshot of another version — or one without a version, or of a
/// [`LinkGraph`] alone — is refused with an error naming what was found and what is
/// supported. Re-create it from the records, or restore it with the release that
/// wrote it and take the records out.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use sameas::{Config, FieldKind, ProfileGraph, Schema};
/// let schema = Schema::from_fields([("email", FieldKind::Email)])?;
/// let graph = ProfileGraph::new(Config::infer(schema)?)?;
/// let text = serde_json::to_string(&graph.snapshot()).unwrap();
/// let older = text.replace("\"format_version\":2", "\"format_version\":1");
/// let err = serde_json::from_str::<sameas::GraphSnapshot>(&older).unwrap_err();
/// assert!(err.to_string().contains("version 1 is not supported"));
/// # }
/// # Ok::<(), sameas::Error>(())
/// ```
#[derive(Clone)]
pub struct GraphSnapshot {
    data: SnapshotData,
}

/// The data of a [`GraphSnapshot`], inside its envelope.
#[derive(Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
struct SnapshotData {
    config: Config,
    model: Model,
    live_tf: TermFrequencies,
    scoring_tf: TermFrequencies,
    #[cfg_attr(feature = "serde", serde(with = "crate::graph::bare_snapshot"))]
    links: LinkGraph,
    records: Vec<Option<Record>>,
    counted: Vec<bool>,
}

/// The envelope's name for a [`ProfileGraph`] snapshot.
#[cfg(feature = "serde")]
const FORMAT: &str = "ProfileGraph";

#[cfg(feature = "serde")]
impl serde::Serialize for GraphSnapshot {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        crate::envelope::serialize(FORMAT, &self.data, serializer)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for GraphSnapshot {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let data = crate::envelope::deserialize(FORMAT, deserializer)?;
        Ok(GraphSnapshot { data })
    }
}

impl std::fmt::Debug for GraphSnapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphSnapshot")
            .field("records", &self.data.records.iter().flatten().count())
            .finish_non_exhaustive()
    }
}

impl ProfileGraph {
    /// A snapshot of the whole state (serialize it with serde).
    pub fn snapshot(&self) -> GraphSnapshot {
        let data = SnapshotData {
            config: self.config.clone(),
            model: self.model.clone(),
            live_tf: (*self.live_tf).clone(),
            scoring_tf: (*self.scoring_tf).clone(),
            links: self.links.clone(),
            records: self.records.clone(),
            counted: self.counted.clone(),
        };
        GraphSnapshot { data }
    }

    /// Restores a graph identical to the one the snapshot was taken of.
    pub fn restore(snapshot: GraphSnapshot) -> Result<ProfileGraph> {
        let SnapshotData {
            config,
            model,
            live_tf,
            scoring_tf,
            links,
            records,
            counted,
        } = snapshot.data;
        config.validate()?;
        let set = ComparisonSet::new(
            config.schema.clone(),
            config.comparisons.clone(),
            config.normalize.clone(),
        )?;
        let mut index = BlockIndex::new(
            &config.schema,
            config.blocking.clone(),
            config.normalize.clone(),
        )?;
        let mut prepared = Vec::with_capacity(records.len());
        for (slot, record) in records.iter().enumerate() {
            let Some(record) = record else {
                prepared.push(None);
                continue;
            };
            if links.node(record.id()).map(|n| n.0 as usize) != Some(slot) {
                return Err(Error::new(
                    ErrorKind::Parse,
                    format!("snapshot is inconsistent at record {:?}", record.id()),
                ));
            }
            index.add(NodeId(slot as u32), record)?;
            prepared.push(Some(set.prepare(record)?));
        }
        if counted.len() != records.len()
            || live_tf.len() != set.len()
            || scoring_tf.len() != set.len()
        {
            return Err(Error::new(
                ErrorKind::Parse,
                "snapshot tables do not match its configuration",
            ));
        }
        super::scoring::check_model_fits(&model, &set)?;
        let mut graph = ProfileGraph {
            config,
            set,
            index,
            model,
            live_tf: Arc::new(live_tf),
            scoring_tf: Arc::new(scoring_tf),
            links,
            records,
            prepared,
            counted,
        };
        // The clustering's disagreement weights follow from the model: a snapshot
        // written before a weight existed gets it (and re-clusters at the next change).
        let weights = graph.disagreement_weights();
        graph.links.set_disagreement_weights(weights);
        Ok(graph)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Config, FieldKind, ProfileGraph, Schema};

    #[test]
    fn restore_takes_the_disagreement_weights_from_the_model() {
        let schema = Schema::from_fields([
            ("given_name", FieldKind::GivenName),
            ("family_name", FieldKind::FamilyName),
            ("phone", FieldKind::Phone),
        ])
        .unwrap();
        let mut g = ProfileGraph::new(Config::infer(schema).unwrap()).unwrap();
        let weights = g.disagreement_weights();
        assert!(
            !weights.absent().is_empty(),
            "the model weighs some level against"
        );
        // As a snapshot written before the clustering had these weights holds it.
        g.links.set_disagreement_weights(Default::default());
        let text = serde_json::to_string(&g.snapshot()).unwrap();
        let r = ProfileGraph::restore(serde_json::from_str(&text).unwrap()).unwrap();
        assert_eq!(r.links.store.disagreement, weights);
    }
}
