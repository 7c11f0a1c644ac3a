//! Blocking: which pairs of records are worth comparing.

mod index;
mod key;
mod members;
mod rule;

pub use index::{BlockIndex, OversizedBlock, PairChanges, RecordKeys, MAX_HANDLE};
pub(crate) use key::metaphone_hash;
pub use key::BlockingKey;
pub use rule::{
    BlockingConfig, BlockingRule, LinkMode, DEFAULT_MAX_BLOCK_SIZE, DEFAULT_WINDOW,
    MAX_ANY_ORDER_KEYS, MAX_BLOCK_SIZE, MAX_RULES, MAX_WINDOW,
};
