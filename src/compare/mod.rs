//! Comparisons: prepared records, levels, γ vectors and the rules that produce them.

mod chars;
mod comparison;
mod defaults;
mod email_name;
mod evaluate;
mod gamma;
mod level;
mod name;
mod prepare;

pub use chars::Chars;
pub use comparison::Comparison;
pub use gamma::{Gamma, MAX_COMPARISONS, MAX_LEVELS};
pub use level::{Level, LevelRule};
pub(crate) use name::token_hashes;
pub use name::MAX_NAME_TOKENS;
pub use prepare::{CharUnit, ComparisonSet, PreparedRecord, PreparedValue, MAX_VALUES_PER_FIELD};
pub(crate) use prepare::{FieldRef, FieldValues};
