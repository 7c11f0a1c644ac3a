//! Blocking rules and their configuration.

use super::key::BlockingKey;
use crate::compare::{Comparison, Gamma};
use crate::error::{Error, ErrorKind, Result};

/// A conjunction of [`BlockingKey`]s: two records are candidates under this rule when
/// every key agrees. Rules in a [`BlockingConfig`] are unioned.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct BlockingRule {
    /// The keys that must all agree.
    pub keys: Vec<BlockingKey>,
    /// The keys' fields may hold each other's values: each key also reads the other
    /// keys' fields, and the rule's key is the set of the values, not their sequence.
    /// A record has one key for each assignment of the rule's fields to its keys
    /// (identical ones count once), so keys of different kinds still meet across a
    /// swap: with `without_initials(family_name)` and `first_whole_word(given_name)`,
    /// "Maria J. | Garcia Lopez" and "Garcia Lopez | Maria" (names typed into each
    /// other's field) share a block. At most [`MAX_ANY_ORDER_KEYS`] keys. Default
    /// `false`.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_false"))]
    pub any_order: bool,
}

#[cfg(feature = "serde")]
fn is_false(b: &bool) -> bool {
    !*b
}

impl BlockingRule {
    /// A rule from its keys.
    pub fn new(keys: Vec<BlockingKey>) -> Self {
        BlockingRule {
            keys,
            any_order: false,
        }
    }

    /// A rule whose keys' values may agree in any order (see
    /// [`BlockingRule::any_order`]).
    pub fn in_any_order(keys: Vec<BlockingKey>) -> Self {
        BlockingRule {
            keys,
            any_order: true,
        }
    }

    /// Short description, e.g. `family_name & year(date_of_birth)`.
    pub fn describe(&self) -> String {
        let keys = self
            .keys
            .iter()
            .map(BlockingKey::describe)
            .collect::<Vec<_>>()
            .join(" & ");
        if self.any_order {
            format!("{keys} (any order)")
        } else {
            keys
        }
    }

    /// The comparisons (indexes into `comparisons`, ascending) whose field one of the
    /// rule's keys names.
    pub fn comparisons_read(&self, comparisons: &[Comparison]) -> Vec<usize> {
        comparisons
            .iter()
            .enumerate()
            .filter(|(_, c)| self.keys.iter().any(|k| c.reads(k.field())))
            .map(|(i, _)| i)
            .collect()
    }

    /// Whether a compared pair with γ `g` satisfies the rule, read through the
    /// comparisons: the rule reads at least one comparison, and every comparison it
    /// reads has an exact level and `g` is at it. Training uses this to pick the
    /// pairs of a deterministic or EM training rule among the compared pairs.
    ///
    /// ```
    /// use sameas::{BlockingKey, BlockingRule, Comparison, Gamma, Level, LevelRule};
    /// let email = Comparison {
    ///     name: "email".into(),
    ///     field: "email".into(),
    ///     fields: Vec::new(),
    ///     levels: vec![Level::new("exact", LevelRule::Exact), Level::new("else", LevelRule::Else)],
    ///     term_frequency: false,
    /// };
    /// let rule = BlockingRule::new(vec![BlockingKey::Exact { field: "email".into() }]);
    /// assert!(rule.holds(&[email.clone()], Gamma::from_levels(&[1])));
    /// assert!(!rule.holds(&[email], Gamma::from_levels(&[2])));
    /// ```
    pub fn holds(&self, comparisons: &[Comparison], g: Gamma) -> bool {
        let read = self.comparisons_read(comparisons);
        !read.is_empty()
            && read.iter().all(|&c| {
                comparisons[c]
                    .exact_level()
                    .is_some_and(|e| g.level(c) == e)
            })
    }
}

/// Most keys an [`BlockingRule::any_order`] rule may have: a record gets a key for
/// each ordering of the rule's fields (24 at four keys).
pub const MAX_ANY_ORDER_KEYS: usize = 4;

/// Which pairs are wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum LinkMode {
    /// Every pair, whatever the sources (one data set, or several deduplicated together).
    #[default]
    Dedupe,
    /// Only pairs whose records come from different sources.
    LinkOnly,
    /// Pairs within and across sources (same pairs as `Dedupe`; kept for users of the
    /// usual vocabulary).
    LinkAndDedupe,
}

/// Blocking rules plus the guard against giant blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct BlockingConfig {
    /// Rules, unioned; a pair found by several rules is produced once.
    pub rules: Vec<BlockingRule>,
    /// Which pairs are wanted.
    pub mode: LinkMode,
    /// A block with more members than this is not compared all-pairs: its members are
    /// sorted by the neighbourhood fields and each is paired with the next `window`.
    /// The default, [`DEFAULT_MAX_BLOCK_SIZE`] (50, fixed: a larger `window` does not
    /// raise it), keeps the pairs a block gives each member bounded (at most 49 in a
    /// block that is compared all-pairs, about `2 × window` in a larger one), however
    /// common a name (or a birth date) becomes. A record without the
    /// neighbourhood fields sorts to the front of such a block, away from those of its
    /// records that have them; other rules (e-mail, phone, postcode) must find those.
    pub max_block_size: usize,
    /// Sorted-neighbourhood window for oversized blocks.
    pub window: usize,
    /// Fields whose normalized values order an oversized block, so that a window
    /// pairs records alike beyond the block's key (same birth date, same postcode).
    /// Empty: the rules' own fields, then a hash of the record id.
    /// [`Config::infer`](crate::Config::infer) names the birth date and postcode it
    /// finds (not the city, which many people share).
    pub neighbourhood_fields: Vec<String>,
}

impl Default for BlockingConfig {
    fn default() -> Self {
        BlockingConfig {
            rules: Vec::new(),
            mode: LinkMode::Dedupe,
            max_block_size: DEFAULT_MAX_BLOCK_SIZE,
            window: DEFAULT_WINDOW,
            neighbourhood_fields: Vec::new(),
        }
    }
}

/// Default sorted-neighbourhood [`BlockingConfig::window`].
pub const DEFAULT_WINDOW: usize = 10;
/// Default [`BlockingConfig::max_block_size`]. A block this size costs 2.5× its
/// window's pairs (n(n−1)/2 against about n × window), but a name shared by a few
/// dozen records is where one prolific person's records and their namesakes meet:
/// windowed, a person's records that sort apart (another birth date written, another
/// postcode) meet only at the ends of their runs. On 133k
/// real inventor mentions (names, city, employer) 21 (where the two costs meet) gave
/// pairwise F1 0.837 and 50 gives 0.865 (1.45 → 1.73 M pairs); on 1M generated
/// customers pairs grow 7% and F1 stays.
pub const DEFAULT_MAX_BLOCK_SIZE: usize = 50;

/// Largest sorted-neighbourhood [`BlockingConfig::window`] accepted.
pub const MAX_WINDOW: usize = 10_000;
/// Largest [`BlockingConfig::max_block_size`] accepted (a block is compared
/// all-pairs up to this size: 100,000 members would already be 5·10⁹ pairs).
pub const MAX_BLOCK_SIZE: usize = 100_000;

/// The most rules one configuration may hold (rule indexes are stored in a byte).
pub const MAX_RULES: usize = 64;

impl BlockingConfig {
    /// A configuration with `rules` and default guards.
    pub fn new(rules: Vec<BlockingRule>) -> Self {
        BlockingConfig {
            rules,
            ..BlockingConfig::default()
        }
    }

    /// Checks the configuration: 1..=64 rules, each with at least one key, positive
    /// prefix and digit lengths, `max_block_size` in `2..=`[`MAX_BLOCK_SIZE`],
    /// `window` in `1..=`[`MAX_WINDOW`].
    pub fn validate(&self) -> Result<()> {
        let bad = |m: String| Err(Error::new(ErrorKind::InvalidConfig, m));
        if self.rules.is_empty() || self.rules.len() > MAX_RULES {
            return bad(format!(
                "blocking needs 1 to {MAX_RULES} rules, got {}",
                self.rules.len()
            ));
        }
        for (i, r) in self.rules.iter().enumerate() {
            if r.keys.is_empty() {
                return bad(format!("blocking rule {i} has no key"));
            }
            if r.any_order && r.keys.len() > MAX_ANY_ORDER_KEYS {
                return bad(format!(
                    "blocking rule {i}: an any-order rule has at most {MAX_ANY_ORDER_KEYS} keys, got {}",
                    r.keys.len()
                ));
            }
            for k in &r.keys {
                match k {
                    BlockingKey::Prefix { chars: 0, .. }
                    | BlockingKey::LastDigits { digits: 0, .. } => {
                        return bad(format!(
                            "blocking rule {i}: {} must use a length of at least 1",
                            k.describe()
                        ))
                    }
                    _ => {}
                }
            }
        }
        if !(2..=MAX_BLOCK_SIZE).contains(&self.max_block_size) {
            return bad(format!(
                "blocking.max_block_size must be in 2..={MAX_BLOCK_SIZE}, got {}",
                self.max_block_size
            ));
        }
        if !(1..=MAX_WINDOW).contains(&self.window) {
            return bad(format!(
                "blocking.window must be in 1..={MAX_WINDOW}, got {}",
                self.window
            ));
        }
        Ok(())
    }
}
