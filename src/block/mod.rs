//! Blocking: which pairs of records are worth comparing.

mod index;
mod key;
mod rule;

pub use index::{BlockIndex, OversizedBlock, PairChanges, RecordKeys};
pub(crate) use key::metaphone_hash;
pub use key::BlockingKey;
pub use rule::{BlockingConfig, BlockingRule, LinkMode, MAX_BLOCK_SIZE, MAX_RULES, MAX_WINDOW};
