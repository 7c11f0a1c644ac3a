//! Comparisons: prepared records, levels, γ vectors and similarity-based rules.

mod comparison;
mod gamma;
mod level;

pub use comparison::Comparison;
pub use gamma::{Gamma, MAX_COMPARISONS, MAX_LEVELS};
pub use level::{Level, LevelRule};
