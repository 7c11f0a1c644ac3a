//! [`Event`]: what a change to the graph did to the profiles.

use super::ids::{NodeId, ProfileId};

/// One change to the profiles, returned by every mutation of a [`LinkGraph`](super::LinkGraph).
///
/// Events name records by [`NodeId`] and profiles by [`ProfileId`] only: they never
/// carry field values, nor the caller's record key (so an erasure event does not repeat
/// the id of the record that was erased; the caller knows it).
///
/// Order: first the [`RecordErased`](Event::RecordErased) events in the order of the
/// erasures, then one group of events per set of overlapping old and new profiles,
/// groups ordered by the smallest resulting [`ProfileId`]. Lists inside an event are
/// sorted ascending.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Event {
    /// New records formed a profile of their own.
    ProfileCreated {
        /// The new profile.
        profile: ProfileId,
        /// Its members, ascending.
        members: Vec<NodeId>,
    },
    /// A new record was placed in a profile that already existed (possibly one that a
    /// merge or split in the same group of events just produced).
    RecordAdded {
        /// The new record.
        record: NodeId,
        /// The profile it joined.
        profile: ProfileId,
    },
    /// Several profiles became one; `into` is the one that kept its ID.
    ProfilesMerged {
        /// The surviving profile (the merged profile holding the earliest-added record).
        into: ProfileId,
        /// The profiles that ceased to exist, ascending.
        from: Vec<ProfileId>,
    },
    /// One profile fell apart into several.
    ProfileSplit {
        /// The old profile.
        from: ProfileId,
        /// Every resulting profile, ascending; contains `from` itself when the part
        /// holding its earliest-added record kept the ID.
        into: Vec<ProfileId>,
    },
    /// A record changed profile in a reshuffle that is neither a plain merge nor a plain
    /// split (e.g. after re-scoring, two profiles exchange members). A `to` never seen
    /// before is a new profile; a profile left with no member has ceased to exist.
    RecordMoved {
        /// The record.
        record: NodeId,
        /// Its old profile.
        from: ProfileId,
        /// Its new profile.
        to: ProfileId,
    },
    /// A record was erased. If it was the last member, `profile` ceased to exist;
    /// otherwise its remaining members may have split (reported separately).
    RecordErased {
        /// The erased record's handle (may be reused by a later node).
        record: NodeId,
        /// The profile it belonged to.
        profile: ProfileId,
    },
}
