//! The profile graph's clustering core: [`LinkGraph`].
//!
//! Records are nodes (named by the caller's key); every compared pair is an edge that
//! keeps its γ ([`Gamma`](crate::Gamma)) and its match weight `w` (log2 odds,
//! probability `p = 2^w / (1 + 2^w)`), so a new model re-scores edges without comparing
//! strings again. Assertions (same / different person) and exclusive keys (strong
//! identifiers such as a loyalty number per source) complete the evidence. Profiles are
//! derived from all of this by one rule, recomputed only where something changed, and
//! every change comes back as [`Event`]s.
//!
//! # The clustering rule
//!
//! The partition is a pure function of the nodes' keys, the edges' weights, the
//! settings ([`GraphSettings`]: `threshold`, `veto`), the assertions and the exclusive
//! keys. It does not depend on insertion order, on [`NodeId`] values, or on hash seeds.
//!
//! 1. **Candidate links** are must-links and compared pairs with `p ≥ threshold`.
//!    Profiles never cross the connected components of the candidate links, so each
//!    component is clustered on its own.
//! 2. Every record starts alone. Candidate links are taken in this order: must-links
//!    first, sorted by their pair of keys; then scored links by weight, highest first,
//!    ties broken by the pair of keys. A pair of keys is (smaller key, larger key),
//!    compared as strings.
//! 3. Each link joins the two clusters of its records, unless they are already one or
//!    the join is *refused*:
//!    - a cannot-link lies between the two clusters (any member of one asserted
//!      different from any member of the other) — refuses every join, must-links included;
//!    - for scored links only: a compared pair between the two clusters has
//!      `p < veto` (strong evidence of two people, e.g. a different date of birth);
//!    - for scored links only: the clusters' exclusive keys conflict — some class is
//!      present on both sides and the two sides' values of that class share nothing.
//!
//!    A must-link thus overrides vetoes and exclusive keys (a person asserted it), and a
//!    cannot-link wins over a must-link. Contradicting assertions (same and different on
//!    one pair, or a cycle of must-links closed by a cannot-link) are all kept; the
//!    cannot-link is applied, and the must-links are tried in key order.
//!
//! Unlike connected components, this resists chaining: two strong groups joined by a
//! plausible bridge stay apart when a compared pair across them is vetoed, when they
//! hold different strong identifiers, or when someone asserted they differ — a
//! household (same address and phone, different dates of birth) or twins do not become
//! one profile. Joins check the smaller cluster's pairs only (union by size), so a
//! component of `n` records with `m` pairs costs `O(m log n)` plus the sort.
//!
//! # Incrementality
//!
//! Each mutation marks the nodes it touched (both ends of a changed edge or assertion;
//! the neighbours of an erased node; a node whose exclusive keys changed). Resolution
//! re-clusters the candidate components containing them — closed over the old profiles
//! of their members — and nothing else. A node added by [`LinkGraph::add_node`] stays
//! *pending* (no profile) until the next resolution. In bulk mode
//! ([`LinkGraph::bulk`]) nothing resolves until [`LinkGraph::recompute_all`] or
//! [`LinkGraph::flush`]. A component whose candidate links form one huge web is
//! re-clustered whole on every change to it: the cost of a change is that of its component.
//!
//! # Stable profile IDs
//!
//! IDs come from a counter and are never reused. When a resolution re-clusters a set
//! of records, every old profile there has an *anchor*: its earliest-added surviving
//! member. A new cluster keeps the ID of the old profile whose anchor it holds (the
//! earliest-added anchor, if it holds several); clusters holding no anchor get new IDs
//! in the order of their earliest-added members. Consequences:
//! - a profile whose member set does not change keeps its ID, and a change that does
//!   not reach a profile never changes its ID;
//! - on a merge, the result keeps the ID of the merged profile holding the
//!   earliest-added record;
//! - on a split, the part holding the old profile's earliest-added (surviving) record
//!   keeps the ID; the others get new IDs, in order of their earliest-added records;
//! - new records that form a profile of their own get a new ID.
//!
//! Arrival order is a counter kept per node, independent of [`NodeId`] slot reuse.
//!
//! # Confidence and explanations
//!
//! [`LinkGraph::confidence`] of a record is its strongest link to another member
//! (1.0 for a must-link); [`LinkGraph::cohesion`] of a profile is the strength of the
//! weakest join the rule made to build it; [`LinkGraph::explain_profile`] lists those
//! joins. [`LinkGraph::pair`] shows what is stored about a pair.
//!
//! # Erasure
//!
//! [`LinkGraph::remove_node`] removes the node, its key, exclusive keys, edges and
//! assertions; nothing of it remains in a snapshot. Events name records by handle only.

mod cluster;
mod engine;
mod events;
mod explain;
mod ids;
#[cfg(all(test, feature = "serde"))]
mod proptests;
mod query;
mod settings;
#[cfg(feature = "serde")]
mod snapshot;
mod store;
#[cfg(test)]
mod tests;

pub use engine::LinkGraph;
pub use events::Event;
pub use explain::{Link, PairInfo, ProfileExplanation};
pub use ids::{NodeId, ProfileId};
pub use settings::GraphSettings;
