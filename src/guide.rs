//! A guide: one record from [`ProfileGraph::add`] to its profile, and how to extend
//! the library. This module holds documentation only.
//!
//! # From `add` to a profile
//!
//! ```
//! use sameas::{Config, FieldKind, ProfileGraph, Record, Schema};
//!
//! let schema = Schema::from_fields([
//!     ("given_name", FieldKind::GivenName),
//!     ("family_name", FieldKind::FamilyName),
//!     ("phone", FieldKind::Phone),
//! ])?;
//! let mut config = Config::infer(schema.clone())?;
//! config.normalize.default_country = Some("RO".into());
//! let mut graph = ProfileGraph::new(config)?;
//! let rec = |id: &str, given: &str, phone: &str| {
//!     Record::builder(&schema, id)
//!         .value("given_name", given)
//!         .value("family_name", "Popescu")
//!         .value("phone", phone)
//!         .build()
//! };
//! graph.add(rec("shop-1", "Ioana", "0721 234 567")?)?;
//! let events = graph.add(rec("app-9", "IOANA", "+40 721 234 567")?)?;
//! assert!(!events.is_empty()); // a profile was created or merged
//! assert_eq!(graph.profile_of("shop-1"), graph.profile_of("app-9"));
//! println!("{}", graph.explain_pair("shop-1", "app-9")?); // the waterfall
//! # Ok::<(), sameas::Error>(())
//! ```
//!
//! What happens to `app-9` inside [`ProfileGraph::add`]:
//!
//! 1. **Check** — [`Record::check`] against the [`Schema`]: known fields, values of
//!    the right type, a non-empty unique id.
//! 2. **Prepare once** — [`compare::ComparisonSet::prepare`] runs the normalizer of
//!    each field's [`FieldKind`] ([`normalize::normalize_value`]: case, diacritics,
//!    scripts, phone prefixes, date formats…) and keeps what comparing needs
//!    (characters, hashes, phonetic codes) in a [`compare::PreparedRecord`], so that
//!    comparing a pair allocates and normalizes nothing. Each field is normalized
//!    once per record: the blocking keys and the exclusive keys of step 3 read the
//!    same normalized text.
//! 3. **Block** — the [`block::BlockIndex`] computes the record's keys under each
//!    [`BlockingRule`] and returns the records already indexed under the same keys:
//!    the candidate pairs (and, in a block too large to compare whole, the pairs the
//!    newcomer pushes out of the sorted-neighbourhood window).
//! 4. **Compare** — each candidate pair goes through every [`Comparison`] of the
//!    config; each comparison picks the first of its [`Level`]s whose [`LevelRule`]
//!    holds (null, exact, fuzzy thresholds, …, else). The level indexes together are
//!    the pair's [`Gamma`] (γ) vector, a few bytes.
//! 5. **Score** — the [`Model`] turns γ into a match weight: the prior plus
//!    log2(m/u) per comparison level, with term-frequency adjustments for exact
//!    levels of rare values; the weight maps to a probability
//!    ([`model::probability_from_weight`]). A pair with enough present-and-different
//!    personal attributes is capped below the veto ([`Config::veto_quorum`]).
//! 6. **Link** — the pair is kept, with its γ and weight, as an edge of the
//!    [`graph::LinkGraph`]. Keeping every compared pair lets a new model re-score the
//!    graph without comparing strings again ([`ProfileGraph::set_model`]).
//! 7. **Cluster** — only the component the new edges touch is re-clustered: edges
//!    at or above [`Config::threshold`] in descending weight join their clusters
//!    unless a cannot-link, a conflicting strong identifier, or a pair below
//!    [`Config::veto`] lies between them (see [`graph::LinkGraph`]). The result is a
//!    pure function of the edges, so batch and one-at-a-time give the same profiles.
//! 8. **Report** — profiles keep stable [`ProfileId`]s and every change comes back
//!    as an [`Event`] (created, merged, split, moved, erased).
//! 9. **Read back** — [`ProfileGraph::profile_of`], [`ProfileGraph::membership`]
//!    (with a confidence), [`ProfileGraph::explain_pair`], [`ProfileGraph::golden`].
//!
//! Training ([`ProfileGraph::train`] without labels, [`ProfileGraph::train_labelled`]
//! with them) replaces the model and re-scores every kept edge; evaluation against a
//! known truth is [`Evaluation::of`]. The `resolve` example runs these steps on
//! generated data or CSV files.
//!
//! # Ids
//!
//! A record has two ids: the caller's id string ([`Record::id`], unique in a
//! graph, the one every public [`ProfileGraph`] method takes) and its [`NodeId`], a
//! dense slot number that [`ProfileGraph`] gives it when it is added. The `NodeId`
//! names the record everywhere inside: its node in the [`graph::LinkGraph`], its
//! entry in the [`block::BlockIndex`], its prepared values and its events
//! ([`Event`] names records by `NodeId`; [`ProfileGraph::record_id`] turns one back
//! into the id string). Profiles have [`ProfileId`]s, stable by the rule documented
//! on [`graph::LinkGraph`].
//!
//! # Extending the library
//!
//! Each of the three common extensions touches three files or fewer (tests and the
//! CHANGELOG aside). The compiler points at the places a new enum variant must be
//! handled; the lists below name them.
//!
//! ## A field kind
//!
//! 1. `src/record.rs` — the [`FieldKind`] variant, its place in `FieldKind::ALL`
//!    and its name in `FieldKind::as_str` (which `FieldKind::parse` and serde read).
//! 2. `src/normalize/mod.rs` — its arm in [`normalize::normalize_value`] (reuse a
//!    normalizer, or add a function next to it).
//! 3. `src/compare/defaults.rs` — its default [`Comparison`] in
//!    `Comparison::for_kind`.
//!
//! Optional: guesses from column names and values in `src/config.rs`
//! ([`config::infer_field_kind`]), and blocking on it in [`Config::infer`] (same
//! file). Golden records use the most recent value unless `src/golden.rs` says
//! otherwise.
//!
//! ## A similarity
//!
//! 1. `src/similarity/` — the function, allocation-free on prepared `&[char]`
//!    slices, in the file of its family (`edit.rs`, `jaro.rs`, `token.rs`,
//!    `phonetic.rs`, `numeric.rs`), with its `pub use` line and its row in the table
//!    of `src/similarity/mod.rs` (a new family is a new file there).
//! 2. `src/compare/level.rs` — the [`LevelRule`] variant that names it (documented),
//!    its parameters' check in `LevelRule::check`, and, for a phonetic code, its arm
//!    in `LevelRule::phonetic_code` (the code is then computed once per value when a
//!    record is prepared).
//! 3. `src/compare/evaluate.rs` — the arm of `pair_level` that evaluates the rule on
//!    two [`compare::PreparedValue`]s (a phonetic code joins the phonetic arm).
//!
//! That is three files plus one or two lines in `src/similarity/mod.rs`. A rule
//! that needs something new prepared per value (beyond the characters, token hashes,
//! one phonetic code, the parsed date and the number the prepared values already
//! give) also changes `src/compare/prepare.rs`.
//!
//! ## A clustering rule
//!
//! 1. `src/graph/settings.rs` — its parameter in [`graph::GraphSettings`] (with its
//!    default and validation); a rule on a pair's probability goes next to
//!    `GraphSettings::links` / `vetoes`.
//! 2. `src/graph/cluster.rs` — the rule: which pairs are candidate links
//!    (`is_candidate`) and what forbids joining two clusters (the cannot-link /
//!    exclusive-key / veto / average-linkage check used by `cluster_component`, with
//!    `DisagreementWeights` reading the γ of the pairs between two clusters). Keep it
//!    a pure function of (edges, γ, scores, settings, assertions) so that incremental
//!    equals batch, and re-cluster when anything it reads changes (`set_edge_quiet`); the property tests in `src/graph/proptests.rs` check this against a
//!    slow reference that the rule must be added to.
//! 3. `src/config.rs` — the [`Config`] field users set, and its line in
//!    [`Config::graph_settings`] (which [`ProfileGraph`] builds its graph from).
//!
//! A rule on pair weights expressed through `GraphSettings::links` / `vetoes` needs
//! nothing more. A new *weight* cut-off (beside threshold and veto) is a fourth
//! file: `src/graph/engine.rs` decides which changed pairs re-cluster (`class` for
//! new edges, the quiet intervals of `LinkGraph::rescore_pairs`), and must know it.

#[allow(unused_imports)] // names for the intra-doc links above
use crate::{
    block, compare, config, graph, model, normalize, BlockingRule, Comparison, Config, Evaluation,
    Event, FieldKind, Gamma, Level, LevelRule, Model, NodeId, ProfileGraph, ProfileId, Record,
    Schema,
};
