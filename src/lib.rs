//! # sameas — customer identity resolution
//!
//! `sameas` decides which customer records, from many systems, belong to the same
//! person, how confident that decision is, and keeps the decision right as records
//! and evidence arrive. It is a pure library: no I/O of its own.
//!
//! ```
//! use sameas::{Config, FieldKind, ProfileGraph, Record, Schema};
//!
//! // 1. Describe the data.
//! let schema = Schema::from_fields([
//!     ("given_name", FieldKind::GivenName),
//!     ("family_name", FieldKind::FamilyName),
//!     ("email", FieldKind::Email),
//!     ("date_of_birth", FieldKind::DateOfBirth),
//! ])?;
//! // 2. Infer comparisons, blocking and training rules from the field kinds.
//! let mut graph = ProfileGraph::new(Config::infer(schema.clone())?)?;
//! // 3. Feed records from several sources.
//! let person = |id: &str, source: &str, given: &str, family: &str, email: &str, dob: &str| {
//!     Record::builder(&schema, id)
//!         .source(source)
//!         .value("given_name", given)
//!         .value("family_name", family)
//!         .value("email", email)
//!         .value("date_of_birth", dob)
//!         .build()
//! };
//! let events = graph.add_batch(vec![
//!     person("crm-1", "crm", "Jovana", "Jovanović", "jovana.j@example.com", "1990-03-04")?,
//!     person("web-7", "web", "JOVANA", "Јовановић", "Jovana.J@Example.com", "04.03.1990")?,
//!     person("crm-2", "crm", "Marko", "Petrović", "marko@example.org", "1985-11-30")?,
//! ])?;
//! assert!(!events.is_empty());
//! // 4. Read the profiles back: the same person in two scripts is one profile.
//! assert_eq!(graph.profile_of("crm-1"), graph.profile_of("web-7"));
//! assert_ne!(graph.profile_of("crm-1"), graph.profile_of("crm-2"));
//! let membership = graph.membership("web-7").expect("a known record");
//! assert_eq!(Some(membership.profile), graph.profile_of("crm-1"));
//! # Ok::<(), sameas::Error>(())
//! ```
//!
//! With more data, train the model on the records themselves
//! ([`ProfileGraph::train`]) or from labels ([`ProfileGraph::train_labelled`]) before
//! trusting its profiles; the [`guide`] walks one record through every step.
//!
//! ## Where things are
//!
//! The types a user starts with are named at the crate root; everything else lives in
//! one public module per part:
//!
//! - [`record`]: records and schemas ([`Record`], [`Schema`], [`FieldKind`], [`Value`]);
//! - [`normalize`]: pure normalizers per field kind;
//! - [`similarity`]: string and number similarity functions;
//! - [`compare`]: comparisons on prepared records ([`Comparison`], [`Level`], [`Gamma`]);
//! - [`block`]: blocking rules and the incremental block index;
//! - [`model`]: the Fellegi–Sunter [`Model`] (EM on pattern counts, TF adjustments,
//!   supervised counts, explanations);
//! - [`profiles`]: the live [`ProfileGraph`] (incremental resolution, training,
//!   assertions, erasure, snapshots);
//! - [`graph`]: its clustering core, the [`graph::LinkGraph`] (the clustering rule,
//!   stable profile IDs, [`Event`]s);
//! - [`golden`]: golden records by survivorship rules;
//! - [`eval`]: precision, recall, F1 and B-cubed against a known truth;
//! - [`config`]: a whole run's settings in one serde value ([`Config`],
//!   [`Config::infer`]), schema inference and column roles;
//! - [`guide`]: a walk through the data flow, and how to extend it.
//!
//! The seeded generator of realistic test data is a crate of its own,
//! `sameas-synth`, in this repository's workspace.
//!
//! ## Features
//!
//! - `serde` (default): `Serialize`/`Deserialize` on every public data type.
//! - `parallel` (default): rayon-parallel scoring with bit-identical results.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

/// The README's Rust example, compiled and run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub mod block;
pub mod compare;
pub mod config;
#[cfg(feature = "serde")]
mod envelope;
mod error;
pub mod eval;
pub mod golden;
pub mod graph;
pub mod guide;
mod hash;
pub mod model;
pub mod normalize;
pub mod profiles;
pub mod record;
pub mod similarity;

pub use crate::block::{BlockingKey, BlockingRule, LinkMode};
pub use crate::compare::{Comparison, Gamma, Level, LevelRule};
pub use crate::config::{Config, TrainingConfig};
pub use crate::error::{Error, ErrorKind, Result};
pub use crate::eval::Evaluation;
pub use crate::golden::{GoldenRecord, GoldenRules, SurvivorshipRule};
pub use crate::graph::{Event, NodeId, ProfileId};
pub use crate::model::{ConfidenceBand, Explanation, Model, NameDependence};
pub use crate::normalize::NormalizeOptions;
pub use crate::profiles::{
    GraphSnapshot, Labels, Membership, ProfileGraph, Progress, ProgressStage, TrainingReport,
};
pub use crate::record::{FieldKind, Record, RecordBuilder, Schema, Value};
