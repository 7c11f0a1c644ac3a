//! Saving and restoring the whole graph state.

use super::ProfileGraph;
use crate::block::BlockIndex;
use crate::compare::ComparisonSet;
use crate::config::Config;
use crate::error::{Error, ErrorKind, Result};
use crate::graph::{LinkGraph, NodeId};
use crate::model::{Model, TermFrequencies};
use crate::record::Record;

/// Everything a [`ProfileGraph`] holds that cannot be derived again: configuration,
/// model, frequencies, records, pairs with their γ, assertions and profile IDs.
/// Prepared records and the blocking index are rebuilt on restore. An erased record
/// appears nowhere in it.
///
/// `Debug` prints counts only.
#[derive(Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GraphSnapshot {
    config: Config,
    model: Model,
    live_tf: TermFrequencies,
    scoring_tf: TermFrequencies,
    links: LinkGraph,
    records: Vec<Option<Record>>,
    counted: Vec<bool>,
}

impl std::fmt::Debug for GraphSnapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphSnapshot")
            .field("records", &self.records.iter().flatten().count())
            .finish_non_exhaustive()
    }
}

impl ProfileGraph {
    /// A snapshot of the whole state (serialize it with serde).
    pub fn snapshot(&self) -> GraphSnapshot {
        GraphSnapshot {
            config: self.config.clone(),
            model: self.model.clone(),
            live_tf: self.live_tf.clone(),
            scoring_tf: self.scoring_tf.clone(),
            links: self.links.clone(),
            records: self.records.clone(),
            counted: self.counted.clone(),
        }
    }

    /// Restores a graph identical to the one the snapshot was taken of.
    pub fn restore(snapshot: GraphSnapshot) -> Result<ProfileGraph> {
        let GraphSnapshot {
            config,
            model,
            live_tf,
            scoring_tf,
            links,
            records,
            counted,
        } = snapshot;
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
        Ok(ProfileGraph {
            config,
            set,
            index,
            model,
            live_tf,
            scoring_tf,
            links,
            records,
            prepared,
            counted,
        })
    }
}
