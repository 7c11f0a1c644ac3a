//! [`ProfileGraph`]: incremental resolution of records into stable profiles — the
//! type a service holds. (The [`graph`](crate::graph) module is its clustering core,
//! which knows nodes, γ vectors and weights but no records.)
//!
//! It ties the parts together: records are prepared once ([`ComparisonSet`]),
//! indexed for blocking ([`BlockIndex`]), compared into γ vectors, scored by the
//! [`Model`] and clustered by the [`LinkGraph`] rule into profiles with stable IDs.
//! Every compared pair is kept with its γ, so a new model re-scores without comparing
//! strings again, and every change comes back as [`Event`](crate::Event)s.
//!
//! # Checks
//!
//! Before a change's profiles are formed, every two records that would share a
//! profile but that blocking never paired are compared; a pair whose person data says
//! "two people" ([`ProfileGraph::two_people`]) is kept as a *check* that vetoes putting them together, and the profiles are formed
//! again where it fell, until none holds such a pair. So a household member joining
//! through a record without a given name or birth date does not bring her partner
//! along. Checks are internal: [`ProfileGraph::scored_pairs`], the pair count and
//! training see only the pairs blocking chose. Profiles above
//! [`MAX_CHECKED_MEMBERS`] (256) records are not checked.
//!
//! # Term frequencies
//!
//! Frequencies of exact values (for TF adjustments and for the exact-level `u`) are
//! counted as records arrive. Scoring uses the frequencies *frozen* when the model was
//! last set ([`ProfileGraph::set_model`], [`ProfileGraph::train`]); a value unseen then
//! counts as rare. This keeps a pair's score independent of when it was compared, so
//! records added one at a time in any order give the same profiles as one batch.
//! Erasing a record removes its values from both the live and the frozen counts (its
//! name's once no other record of the same person carries it, see
//! [`TermFrequencies`]) and re-scores the pairs whose
//! adjustments that changed.
//!
//! # Example
//!
//! ```
//! use sameas::{Config, FieldKind, ProfileGraph, Record, Schema};
//! let schema = Schema::from_fields([
//!     ("given_name", FieldKind::GivenName),
//!     ("family_name", FieldKind::FamilyName),
//!     ("email", FieldKind::Email),
//! ])?;
//! let mut graph = ProfileGraph::new(Config::infer(schema.clone())?)?;
//! let a = Record::builder(&schema, "crm-1").value("given_name", "Ana").value("family_name", "Pop")
//!     .value("email", "ana.pop@example.com").build()?;
//! let b = Record::builder(&schema, "web-9").value("given_name", "ANA").value("family_name", "Pop")
//!     .value("email", "Ana.Pop@example.com").build()?;
//! graph.add(a)?;
//! graph.add(b)?;
//! assert_eq!(graph.profile_of("crm-1"), graph.profile_of("web-9"));
//! # Ok::<(), sameas::Error>(())
//! ```

mod checks;
mod dependence;
mod given;
mod ingest;
mod invalid;
mod labelled;
mod ops;
mod pairs;
mod review;
mod scoring;
mod snapshot;
mod train;
mod view;

#[cfg(feature = "serde")]
pub use crate::envelope::SNAPSHOT_VERSION;
pub use checks::MAX_CHECKED_MEMBERS;
pub use invalid::InvalidCount;
pub use labelled::Labels;
pub use pairs::PairRow;
pub use review::{Review, ReviewQuestion};
pub use snapshot::GraphSnapshot;
pub use train::{TrainingReport, MIN_TRAINING_PAIRS};
pub use view::{Membership, Progress, ProgressStage};

use crate::block::BlockIndex;
use crate::compare::{ComparisonSet, PreparedRecord};
use crate::config::Config;
use crate::error::Result;
use crate::graph::LinkGraph;
use crate::model::{Model, TermFrequencies};
use crate::record::Record;
use std::sync::Arc;

/// The live profile graph: records, their compared pairs, the model, and the profiles.
///
/// `Debug` prints counts only (records, compared pairs, comparisons), never values.
#[derive(Clone)]
pub struct ProfileGraph {
    config: Config,
    set: ComparisonSet,
    index: BlockIndex,
    model: Model,
    /// Frequencies counted from every record present.
    live_tf: Arc<TermFrequencies>,
    /// Frequencies frozen when the model was set, used for scoring: shared with
    /// `live_tf` until either changes (a million records' tables are not copied to
    /// freeze them).
    scoring_tf: Arc<TermFrequencies>,
    links: LinkGraph,
    /// Raw records by node slot (`None` for free slots).
    records: Vec<Option<Record>>,
    /// Prepared records by node slot.
    prepared: Vec<Option<PreparedRecord>>,
    /// Whether the record in a slot is counted in `scoring_tf`.
    counted: Vec<bool>,
}

impl std::fmt::Debug for ProfileGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileGraph")
            .field("records", &self.len())
            .field("pairs", &self.pair_count())
            .field("comparisons", &self.set.len())
            .finish_non_exhaustive()
    }
}

impl ProfileGraph {
    /// An empty graph for `config`, with the model's starting values (train it, or
    /// set a trained model, before trusting its profiles).
    pub fn new(config: Config) -> Result<Self> {
        let model = Model::new(&config.comparisons)?;
        ProfileGraph::with_model(config, model)
    }

    /// An empty graph for `config` that scores with `model`.
    pub fn with_model(config: Config, model: Model) -> Result<Self> {
        config.validate()?;
        let set = ComparisonSet::new(
            config.schema.clone(),
            config.comparisons.clone(),
            config.normalize.clone(),
        )?;
        scoring::check_model_fits(&model, &set)?;
        let index = BlockIndex::new(
            &config.schema,
            config.blocking.clone(),
            config.normalize.clone(),
        )?;
        let links = LinkGraph::new(config.graph_settings())?;
        let n = config.comparisons.len();
        let mut graph = ProfileGraph {
            config,
            set,
            index,
            model,
            live_tf: Arc::new(TermFrequencies::new(n)),
            scoring_tf: Arc::new(TermFrequencies::new(n)),
            links,
            records: Vec::new(),
            prepared: Vec::new(),
            counted: Vec::new(),
        };
        let weights = graph.disagreement_weights();
        graph.links.set_disagreement_weights(weights);
        Ok(graph)
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The model used for scoring.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The comparisons bound to the schema.
    pub fn comparison_set(&self) -> &ComparisonSet {
        &self.set
    }

    /// The scorer of compared pairs under the current model.
    fn scorer(&self) -> scoring::Scorer<'_> {
        scoring::Scorer::new(&self.model, &self.scoring_tf, &self.set, &self.config)
    }

    /// The clustering core (for advanced queries: pairs, cohesion, explanations).
    pub fn links(&self) -> &LinkGraph {
        &self.links
    }

    /// The blocking index, to see what the rules cost: pairs per rule counted from the
    /// block sizes ([`BlockIndex::count_pairs_per_rule`]) and the blocks compared by
    /// sorted neighbourhood ([`BlockIndex::oversized_blocks`]).
    pub fn blocking(&self) -> &BlockIndex {
        &self.index
    }

    /// Term frequencies used for scoring (frozen when the model was set).
    pub fn scoring_frequencies(&self) -> &TermFrequencies {
        &self.scoring_tf
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.links.len()
    }

    /// True when the graph holds no record.
    pub fn is_empty(&self) -> bool {
        self.links.is_empty()
    }

    /// Number of compared pairs kept (see [`LinkGraph::edges`](crate::graph::LinkGraph::edges)).
    pub fn pair_count(&self) -> usize {
        self.links.pair_count()
    }
}
