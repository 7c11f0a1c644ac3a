//! The Fellegi–Sunter model: m and u per comparison level, the prior, term-frequency
//! adjustments, training (random-sample u, EM on γ pattern counts, supervised counts),
//! scoring and explanations.

mod band;
mod calibration;
mod dependence;
mod em;
mod explain;
mod household;
mod params;
mod patterns;
mod prior;
mod score;
mod supervised;
mod tf;
mod train_u;

#[cfg(test)]
mod em_tests;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod test_support;

pub use band::{probability_from_weight, weight_from_probability, BandThresholds, ConfidenceBand};
pub use calibration::{
    JudgedPair, LevelShift, PatternAnswers, Recalibration, WeightAnchor, ANCHOR_BANDS, LEVEL_PRIOR,
    PATTERN_PRIOR,
};
pub use dependence::NameDependence;
pub(crate) use dependence::{conditional_u, shrunk_ratio};
pub use em::{
    EmReport, EmRunReport, EmSettings, EmWarning, PriorUpdate, DEFAULT_HOUSEHOLD_ALIKE_MAX,
};
pub use explain::{Explanation, ExplanationStep};
pub use household::HouseholdTerm;
pub use params::{ComparisonParams, LevelParams, Model, DEFAULT_PRIOR, DEFAULT_TF_FLOOR};
pub use patterns::PatternCounts;
pub use score::ScoredPair;
pub use supervised::SupervisedReport;
pub use tf::{TermFrequencies, TfTable};
pub use train_u::{prior_from_rules, U_SMOOTHING};
