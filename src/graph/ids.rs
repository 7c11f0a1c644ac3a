//! Handles: [`NodeId`] for records in the graph, [`ProfileId`] for the profiles derived from them.

use std::fmt;

/// A dense handle to one node (record) of a [`LinkGraph`](super::LinkGraph).
///
/// Handles are slot numbers, cheap to store and compare. The slot of an erased node is
/// reused (lowest free slot first) by a later [`add_node`](super::LinkGraph::add_node),
/// but only after the events of the erasure have been returned; the clustering rule
/// never looks at handle values, so reuse cannot change any profile.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NodeId(pub u32);

impl fmt::Debug for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "n{}", self.0)
    }
}

/// The stable identifier of a profile (a cluster of records believed to be one person).
///
/// Drawn from a counter that never goes back, so an ID is never reused for another
/// profile; see [`LinkGraph`](super::LinkGraph) for when a profile keeps its ID.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ProfileId(pub u64);

impl fmt::Debug for ProfileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "P{}", self.0)
    }
}

impl fmt::Display for ProfileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "P{}", self.0)
    }
}
