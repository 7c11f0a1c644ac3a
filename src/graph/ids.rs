//! Handles: [`NodeId`] for records in the graph, [`ProfileId`] for the profiles derived from them.

use std::fmt;

/// The internal id of a record: a dense handle to one node of a
/// [`LinkGraph`](super::LinkGraph), and the handle under which the same record sits in
/// a [`BlockIndex`](crate::block::BlockIndex) and in the per-record tables of a
/// [`ProfileGraph`](crate::ProfileGraph). A record thus has two ids: the caller's id
/// string ([`Record::id`](crate::Record::id), the one users see) and this one.
///
/// Handles are slot numbers, cheap to store and compare. The slot of an erased node is
/// reused (lowest free slot first) by a later [`add_node`](super::LinkGraph::add_node),
/// but only after the events of the erasure have been returned; the clustering rule
/// never looks at handle values, so reuse cannot change any profile.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NodeId(pub u32);

impl NodeId {
    /// The handle as an index (into per-record tables).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

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
