//! # sameas — customer identity resolution
//!
//! `sameas` decides which customer records, from many systems, belong to the same
//! person, how confident that decision is, and keeps the decision right as records
//! and evidence arrive. It is a pure library: no I/O of its own.
//!
//! ```
//! use sameas::{normalize_text, FieldKind, Record, Schema};
//!
//! let schema = Schema::from_fields([
//!     ("given", FieldKind::GivenName),
//!     ("family", FieldKind::FamilyName),
//!     ("email", FieldKind::Email),
//! ])?;
//! let record = Record::builder(&schema, "crm-17")
//!     .source("crm")
//!     .value("given", "Jovana")
//!     .value("family", "Jovanović")
//!     .value("email", "Jovana.J@Example.com")
//!     .build()?;
//! assert_eq!(record.values(2).len(), 1);
//! assert_eq!(normalize_text("JOVANOVIC"), normalize_text("jovanovic"));
//! # Ok::<(), sameas::Error>(())
//! ```
//!
//! ## Parts
//!
//! - records and schemas ([`Record`], [`Schema`], [`FieldKind`]);
//! - normalizers per field kind ([`normalize_value`] and friends);
//! - similarity functions ([`jaro_winkler`], [`levenshtein`], …) and comparisons on
//!   prepared records ([`ComparisonSet`], [`Comparison`], [`Level`], [`Gamma`]);
//! - blocking ([`BlockIndex`], [`BlockingRule`]);
//! - the Fellegi–Sunter [`Model`] (EM on pattern counts, TF adjustments, explanations);
//! - the live [`ProfileGraph`] (incremental resolution, merges and splits, stable
//!   profile IDs, assertions, erasure, snapshots) over the clustering core [`LinkGraph`];
//! - golden records ([`golden_record`]) and evaluation ([`pairwise_from_clusters`], [`bcubed`]);
//! - a whole run's settings in one serde value ([`Config`], [`Config::infer`]).
//!
//! ## Features
//!
//! - `serde` (default): `Serialize`/`Deserialize` on every public data type.
//! - `parallel` (default): rayon-parallel scoring with bit-identical results.
//! - `synth` (default): seeded generator of multi-source customer data with truth.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

/// The README's Rust example, compiled and run as a doc test.
#[cfg(all(doctest, feature = "synth"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod block;
mod compare;
mod config;
mod error;
mod eval;
mod golden;
mod graph;
mod hash;
mod model;
mod normalize;
mod profiles;
mod record;
mod similarity;
#[cfg(feature = "synth")]
mod synth;

pub use block::*;
pub use compare::*;
pub use config::{infer_field_kind, infer_schema, Config, PriorEstimate, TrainingConfig};
pub use error::{Error, ErrorKind, Result};
pub use eval::*;
pub use golden::*;
pub use graph::*;
pub use model::*;
pub use normalize::*;
pub use profiles::*;
pub use record::*;
pub use similarity::*;
#[cfg(feature = "synth")]
pub use synth::*;
