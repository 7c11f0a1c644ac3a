//! The profile graph's clustering core: [`LinkGraph`] (see its documentation for the
//! clustering rule, incrementality, stable IDs and erasure).

mod cluster;
mod confidence;
mod context;
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

pub(crate) use cluster::DisagreementWeights;
pub use confidence::{conjunction_probability, LINK_DISCOUNT};
pub use engine::LinkGraph;
pub use events::Event;
pub use explain::{Link, PairInfo, ProfileExplanation};
pub use ids::{NodeId, ProfileId};
pub use settings::{GraphSettings, DEFAULT_THRESHOLD, DEFAULT_VETO};
#[cfg(feature = "serde")]
pub(crate) use snapshot::bare as bare_snapshot;
