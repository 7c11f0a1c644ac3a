//! The blocking index: records' keys, the blocks they fall in, and the candidate pairs.

use super::key::BlockingKey;
use super::members::Members;
use super::rule::{BlockingConfig, LinkMode};
use crate::compare::{FieldRef, FieldValues, MAX_VALUES_PER_FIELD};
use crate::error::{Error, ErrorKind, Result};
use crate::graph::NodeId;
use crate::hash::{combine, hash_str, mix};
use crate::normalize::NormalizeOptions;
use crate::record::{Record, Schema};
use ahash::AHashMap;
use smallvec::SmallVec;
use std::cmp::Ordering;

/// Most keys one record contributes to one rule (products of multi-valued fields are
/// cut here so one record's cost stays bounded).
const MAX_KEYS_PER_RULE: usize = 16;
/// Blocks enumerated by one parallel task in [`BlockIndex::pairs`] (enough pairs to
/// outweigh the task's cost).
#[cfg(feature = "parallel")]
const BLOCKS_PER_TASK: usize = 4096;
/// Bits of a block key below its rule index: a key is `rule << RULE_SHIFT` plus the
/// top 56 bits of its hash, so it orders by rule first and names its block alone.
const RULE_SHIFT: u32 = 56;

/// Handles stay below this (as the profile graph's node slots do): a block marks its
/// unused inline member slots with `u32::MAX`.
pub const MAX_HANDLE: u32 = 1 << 30;

/// Fails for a handle at or beyond [`MAX_HANDLE`].
fn check_handle(h: u32) -> Result<()> {
    if h < MAX_HANDLE {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::InvalidRecord,
            format!("handle {h} is beyond the largest, {}", MAX_HANDLE - 1),
        ))
    }
}

/// The block key of a rule's key hash.
fn block_key(rule: usize, hash: u64) -> u64 {
    ((rule as u64) << RULE_SHIFT) | (hash >> (64 - RULE_SHIFT))
}

/// Bytes of the neighbourhood sort key kept per record (a birth date and a postcode,
/// or the start of whatever fields a configuration names).
const SORT_KEY_BYTES: usize = 24;

/// A block larger than `max_block_size`, compared by sorted neighbourhood instead of
/// all pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct OversizedBlock {
    /// Index of the rule in the configuration.
    pub rule: usize,
    /// The rule's description.
    pub rule_description: String,
    /// Number of records in the block.
    pub size: usize,
}

/// Neighbourhood order of two records: by sort key, then by a hash of the record id,
/// so the order (and the window's pairs) depends on the records present, never on
/// the order they arrived in. Handles break only a full 64-bit hash tie.
fn order(entries: &[Option<Entry>], a: u32, b: u32) -> Ordering {
    let key = |x: u32| {
        entries
            .get(x as usize)
            .and_then(Option::as_ref)
            .map(|e| (e.sort_key, e.id_hash))
    };
    key(a).cmp(&key(b)).then(a.cmp(&b))
}

/// A record's blocking keys and neighbourhood sort key, computed before insertion.
/// `Debug` prints the number of keys only (the sort key is a prefix of the data).
#[derive(Clone, PartialEq, Eq)]
pub struct RecordKeys {
    /// Exactly sized: a batch holds every record's keys until it inserts them, and
    /// insertion moves them into the index as they are.
    keys: Box<[u64]>,
    sort_key: [u8; SORT_KEY_BYTES],
    id_hash: u64,
}

#[derive(Clone)]
struct Entry {
    /// Block keys (rule in the top byte) sorted, deduplicated.
    keys: Box<[u64]>,
    source: u32,
    sort_key: [u8; SORT_KEY_BYTES],
    id_hash: u64,
}

/// How one insertion or removal changed the candidate pairs. Each pair is `(a, b)`
/// with `a < b`; both lists are sorted and free of repeats.
///
/// An insertion adds the new record's pairs, and may drop pairs of others: in an
/// oversized block the newcomer pushes two neighbours out of each other's window, and
/// a block that grows past `max_block_size` keeps only its window pairs. A removal
/// takes the removed record's own pairs with it (they are not listed) and only adds
/// others (the reverse). Applying every change in turn gives exactly
/// [`BlockIndex::pairs`] of the records present.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairChanges {
    /// Pairs that became candidates.
    pub added: Vec<(NodeId, NodeId)>,
    /// Pairs that stopped being candidates.
    pub dropped: Vec<(NodeId, NodeId)>,
}

/// Every pair of the ordered `members` more than `w` apart, leaving out `skip`.
fn outside_window(members: &[u32], w: usize, skip: u32, out: &mut Vec<(u32, u32)>) {
    for (i, &a) in members.iter().enumerate() {
        for &b in members.iter().skip(i + w + 1) {
            if a != skip && b != skip {
                out.push((a, b));
            }
        }
    }
}

/// The pairs of the ordered `members` exactly `w + 1` apart on either side of
/// position `pos` (the pairs an entry at `pos` separates by one, or joins by leaving).
fn just_outside_window_across(members: &[u32], w: usize, pos: usize, out: &mut Vec<(u32, u32)>) {
    for i in pos.saturating_sub(w)..pos {
        if let Some(&b) = members.get(i + w + 1) {
            out.push((members[i], b));
        }
    }
}

/// Sorted, deduplicated node pairs from `(u32, u32)` pairs in any order.
fn node_pairs(mut pairs: Vec<(u32, u32)>) -> Vec<(NodeId, NodeId)> {
    for p in &mut pairs {
        *p = (p.0.min(p.1), p.0.max(p.1));
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
        .into_iter()
        .map(|(a, b)| (NodeId(a), NodeId(b)))
        .collect()
}

#[derive(Debug, Clone, Default)]
struct Block {
    /// Members; sorted by (sort key, handle) while the block is oversized.
    members: Members,
}

/// The incremental blocking index.
///
/// Records are inserted with dense handles chosen by the caller. `pairs` returns every
/// candidate pair once; `insert` and `remove` return how the candidate pairs changed
/// ([`PairChanges`]). The candidate pairs are a function of the records present,
/// whatever order they came in: a block larger than `max_block_size` is compared by
/// sorted neighbourhood, in an order set by the records' contents and ids, so inserting
/// records one at a time (applying each change) gives exactly the batch pairs, and
/// shuffling a batch gives the same pairs. Oversized blocks are reported by
/// [`BlockIndex::oversized_blocks`].
///
/// ```
/// use sameas::{BlockingKey, BlockingRule, FieldKind, NormalizeOptions, Record, Schema};
/// use sameas::block::{BlockIndex, BlockingConfig};
/// use sameas::NodeId;
/// let schema = Schema::from_fields([("family", FieldKind::FamilyName)])?;
/// let rule = BlockingRule::new(vec![BlockingKey::Exact { field: "family".into() }]);
/// let mut index = BlockIndex::new(&schema, BlockingConfig::new(vec![rule]), NormalizeOptions::default())?;
/// let a = Record::builder(&schema, "a").value("family", "Smith").build()?;
/// let b = Record::builder(&schema, "b").value("family", "SMITH ").build()?;
/// assert!(index.insert(NodeId(0), &a)?.added.is_empty());
/// assert_eq!(index.insert(NodeId(1), &b)?.added, vec![(NodeId(0), NodeId(1))]);
/// assert_eq!(index.count_pairs(), 1);
/// # Ok::<(), sameas::Error>(())
/// ```
///
/// `Debug` prints counts (records, blocks, rules), never keys or values.
#[derive(Clone)]
pub struct BlockIndex {
    config: BlockingConfig,
    options: NormalizeOptions,
    /// Distinct fields read by the rules and the neighbourhood order, each normalized
    /// once per record.
    fields: Vec<(String, FieldRef)>,
    /// Per rule: its keys, whether their values may agree in any order, and the
    /// fields (indexes into `fields`) each key reads, one list per assignment: the
    /// keys' own fields, and for an any-order rule every other ordering of them.
    rules: Vec<IndexedRule>,
    /// Indexes into `fields` of the neighbourhood sort fields.
    sort_fields: Vec<usize>,
    /// Source name → small id (looked up on every insert: a map, not a scan, so
    /// many sources cost nothing extra).
    sources: AHashMap<String, u32>,
    entries: Vec<Option<Entry>>,
    blocks: AHashMap<u64, Block>,
    live: usize,
}

/// A rule as the index reads it (see [`BlockIndex`]'s `rules`).
#[derive(Clone)]
struct IndexedRule {
    keys: Vec<BlockingKey>,
    any_order: bool,
    assignments: Vec<Vec<usize>>,
}

/// Every ordering of `fields`, the given one first, repeated orderings left out.
fn orderings(fields: &[usize]) -> Vec<Vec<usize>> {
    if fields.len() <= 1 {
        return vec![fields.to_vec()];
    }
    let mut all: Vec<Vec<usize>> = Vec::new();
    for (i, &first) in fields.iter().enumerate() {
        let mut rest = fields.to_vec();
        rest.remove(i);
        for mut tail in orderings(&rest) {
            tail.insert(0, first);
            if !all.contains(&tail) {
                all.push(tail);
            }
        }
    }
    all
}

impl RecordKeys {
    /// The record's block keys, sorted and deduplicated: two records share a block
    /// when they share a key. A key holds its rule's index in the top byte
    /// ([`RecordKeys::rule_of`]) and a 56-bit hash of the rule's values below it. For
    /// computing candidate pairs outside the index (e.g. by a join in a distributed
    /// engine).
    pub fn keys(&self) -> &[u64] {
        &self.keys
    }

    /// The index (in the configuration) of the rule a block key belongs to.
    pub fn rule_of(key: u64) -> usize {
        (key >> RULE_SHIFT) as usize
    }

    /// The record's place in an oversized block: members of a block larger than
    /// [`BlockingConfig::max_block_size`] are ordered by these bytes (compared in
    /// order: a prefix of the normalized neighbourhood fields, then a hash of the record
    /// id, so the order does not depend on arrival; arrival breaks only a full tie) and
    /// each is paired with the next [`BlockingConfig::window`].
    pub fn sort_key(&self) -> [u8; SORT_KEY_BYTES + 8] {
        let mut out = [0u8; SORT_KEY_BYTES + 8];
        out[..SORT_KEY_BYTES].copy_from_slice(&self.sort_key);
        out[SORT_KEY_BYTES..].copy_from_slice(&self.id_hash.to_be_bytes());
        out
    }
}

/// Appends the hashes `key` takes from the values at `slot` (one per value that has
/// one).
fn key_parts(
    normalized: &FieldValues<'_>,
    slot: usize,
    key: &BlockingKey,
    out: &mut SmallVec<[u64; MAX_VALUES_PER_FIELD]>,
) {
    let values = normalized.at(slot);
    match key {
        // Shared with the comparisons' phonetic levels (computed once).
        BlockingKey::Phonetic { .. } => {
            out.extend(
                (0..values.len()).filter_map(|i| normalized.metaphone(slot, i).map(|(h, _)| h)),
            );
        }
        _ => out.extend(values.iter().filter_map(|v| key.key_of(v))),
    }
}

/// The keys of one rule being built: every combination of one value per blocking key,
/// in key order, row-major and capped at [`MAX_KEYS_PER_RULE`]. Held flat (`width`
/// values per combination) and extended in place.
struct Combinations {
    values: SmallVec<[u64; 4 * MAX_KEYS_PER_RULE]>,
    /// Scratch for the next step of `values`.
    next: SmallVec<[u64; 4 * MAX_KEYS_PER_RULE]>,
    count: usize,
    width: usize,
}

impl Default for Combinations {
    fn default() -> Self {
        Combinations {
            values: SmallVec::new(),
            next: SmallVec::new(),
            count: 1,
            width: 0,
        }
    }
}

impl Combinations {
    /// Back to the one empty combination.
    fn clear(&mut self) {
        self.values.clear();
        self.count = 1;
        self.width = 0;
    }

    /// Each combination followed by each of `parts`, in that order, the first
    /// [`MAX_KEYS_PER_RULE`] kept.
    fn extend(&mut self, parts: &[u64]) {
        self.next.clear();
        let mut count = 0;
        'combinations: for c in 0..self.count {
            let start = c * self.width;
            for &v in parts {
                if count == MAX_KEYS_PER_RULE {
                    break 'combinations;
                }
                let prefix = self.values.get(start..start + self.width).unwrap_or(&[]);
                self.next.extend_from_slice(prefix);
                self.next.push(v);
                count += 1;
            }
        }
        // Copies the combinations made, not the whole inline buffers a swap would.
        self.values.clear();
        self.values.extend_from_slice(&self.next);
        self.count = count;
        self.width += 1;
    }

    /// Calls `f` with each combination's key: its values folded into `seed` in key
    /// order, or for an `any_order` rule, sorted first (as a set).
    fn hash_each(&mut self, seed: u64, any_order: bool, mut f: impl FnMut(u64)) {
        for c in 0..self.count {
            let start = c * self.width;
            let combination = self
                .values
                .get_mut(start..start + self.width)
                .unwrap_or(&mut []);
            if any_order {
                combination.sort_unstable();
            }
            f(combination.iter().copied().fold(seed, combine));
        }
    }
}

impl std::fmt::Debug for RecordKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordKeys")
            .field("keys", &self.keys.len())
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for BlockIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockIndex")
            .field("records", &self.live)
            .field("blocks", &self.blocks.len())
            .field("rules", &self.rules.len())
            .field("sources", &self.sources.len())
            .finish_non_exhaustive()
    }
}

impl BlockIndex {
    /// An empty index for records of `schema`.
    pub fn new(schema: &Schema, config: BlockingConfig, options: NormalizeOptions) -> Result<Self> {
        config.validate()?;
        let mut fields: Vec<(String, FieldRef)> = Vec::new();
        let mut field_index = |name: &str| -> Result<usize> {
            if let Some(i) = fields.iter().position(|(n, _)| n == name) {
                return Ok(i);
            }
            fields.push((name.to_string(), FieldRef::resolve(schema, name)?));
            Ok(fields.len() - 1)
        };
        let rules = config
            .rules
            .iter()
            .map(|r| {
                let own = r
                    .keys
                    .iter()
                    .map(|k| field_index(k.field()))
                    .collect::<Result<Vec<_>>>()?;
                // Keys of one kind read any ordering of the fields alike: the set of
                // their values is the same.
                let one_kind = r.keys.windows(2).all(|w| w[0].same_kind(&w[1]));
                let assignments = match r.any_order && !one_kind {
                    true => orderings(&own),
                    false => vec![own],
                };
                Ok(IndexedRule {
                    keys: r.keys.clone(),
                    any_order: r.any_order,
                    assignments,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut sort_names: Vec<&str> = config
            .neighbourhood_fields
            .iter()
            .map(String::as_str)
            .collect();
        if sort_names.is_empty() {
            for k in config.rules.iter().flat_map(|r| &r.keys) {
                if !sort_names.contains(&k.field()) {
                    sort_names.push(k.field());
                }
            }
        }
        let sort_fields = sort_names
            .into_iter()
            .map(&mut field_index)
            .collect::<Result<Vec<_>>>()?;
        Ok(BlockIndex {
            config,
            options,
            fields,
            rules,
            sort_fields,
            sources: AHashMap::new(),
            entries: Vec::new(),
            blocks: AHashMap::new(),
            live: 0,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &BlockingConfig {
        &self.config
    }

    /// Number of records indexed.
    pub fn len(&self) -> usize {
        self.live
    }

    /// True when no record is indexed.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The blocking keys of `record` and its place in an oversized block. Pure: a
    /// batch computes these for all records in parallel, then inserts them in order.
    pub fn record_keys(&self, record: &Record) -> RecordKeys {
        self.record_keys_in(&mut FieldValues::new(record, &self.options))
    }

    /// [`BlockIndex::record_keys`] reading (and filling) `normalized`, which must hold
    /// the record normalized with this index's options.
    pub(crate) fn record_keys_in(&self, normalized: &mut FieldValues<'_>) -> RecordKeys {
        let slots: SmallVec<[usize; 8]> = self
            .fields
            .iter()
            .map(|(_, f)| normalized.slot(f))
            .collect();
        let normalized = &*normalized;
        // Inline buffers, filled in place and reused from rule to rule: this runs once
        // per record, and a heap allocation (or a copy of a buffer) per rule and key
        // would cost more than the keys themselves.
        let mut keys: SmallVec<[u64; 32]> = SmallVec::new();
        let mut combinations = Combinations::default();
        let mut parts: SmallVec<[u64; MAX_VALUES_PER_FIELD]> = SmallVec::new();
        for (r, rule) in self.rules.iter().enumerate() {
            let seed = mix(r as u64 + 1);
            for fields in &rule.assignments {
                combinations.clear();
                for (key, &field) in rule.keys.iter().zip(fields) {
                    parts.clear();
                    key_parts(normalized, slots[field], key, &mut parts);
                    combinations.extend(&parts);
                }
                combinations.hash_each(seed, rule.any_order, |k| keys.push(block_key(r, k)));
            }
        }
        keys.sort_unstable();
        keys.dedup();
        let mut sort_key = [0u8; SORT_KEY_BYTES];
        let mut bytes = self.sort_fields.iter().flat_map(|&f| {
            let first = normalized.at(slots[f]).first().map(str::as_bytes);
            first
                .unwrap_or(&[])
                .iter()
                .copied()
                .chain(std::iter::once(0))
        });
        for b in sort_key.iter_mut() {
            match bytes.next() {
                Some(x) => *b = x,
                None => break,
            }
        }
        RecordKeys {
            keys: keys.as_slice().into(),
            sort_key,
            id_hash: hash_str(normalized.record().id()),
        }
    }

    fn source_id(&mut self, source: &str) -> u32 {
        if let Some(&id) = self.sources.get(source) {
            return id;
        }
        let id = self.sources.len() as u32;
        self.sources.insert(source.to_string(), id);
        id
    }

    fn order(&self, a: u32, b: u32) -> Ordering {
        order(&self.entries, a, b)
    }

    /// Adds `record` under `handle` and returns how the candidate pairs changed: the
    /// new record's pairs, and pairs of others it pushed out of an oversized block's
    /// window. Fails if `handle` is already in use.
    pub fn insert(&mut self, handle: NodeId, record: &Record) -> Result<PairChanges> {
        let keys = self.record_keys(record);
        self.insert_keys(handle, record.source(), keys, true)
    }

    /// Adds `record` under `handle` without working out the changed pairs (for
    /// batches, whose pairs come from [`BlockIndex::pairs`]).
    pub fn add(&mut self, handle: NodeId, record: &Record) -> Result<()> {
        let keys = self.record_keys(record);
        self.insert_keys(handle, record.source(), keys, false)
            .map(|_| ())
    }

    /// Adds many records to an empty index by their precomputed keys (`handles`,
    /// `sources` and `keys` in matching order), as [`BlockIndex::insert_keys`] would
    /// one by one, but each block is built whole: the (key, record) pairs are sorted
    /// (in parallel with the `parallel` feature) and every block is stored once,
    /// instead of one table lookup per key of every record. Fails, adding nothing,
    /// when the index is not empty, a handle repeats or the lengths differ.
    pub fn insert_all<'s>(
        &mut self,
        handles: &[NodeId],
        sources: impl IntoIterator<Item = &'s str>,
        keys: Vec<RecordKeys>,
    ) -> Result<()> {
        let sources: Vec<&str> = sources.into_iter().collect();
        if self.live != 0 || handles.len() != keys.len() || handles.len() != sources.len() {
            return Err(Error::new(
                ErrorKind::InvalidRecord,
                "a whole batch goes into an empty index, with one source and key set per record",
            ));
        }
        for h in handles {
            check_handle(h.0)?;
        }
        let end = handles.iter().map(|h| h.index() + 1).max().unwrap_or(0);
        let mut entries: Vec<Option<Entry>> = vec![None; end.max(self.entries.len())];
        // (key, handle) of every record's every key.
        let mut flat: Vec<(u64, u32)> = Vec::with_capacity(keys.iter().map(|k| k.keys.len()).sum());
        for ((&h, source), keys) in handles.iter().zip(sources).zip(keys) {
            let source = self.source_id(source);
            let slot = &mut entries[h.index()];
            if slot.is_some() {
                return Err(Error::new(
                    ErrorKind::InvalidRecord,
                    format!("handle {} appears twice", h.0),
                ));
            }
            flat.extend(keys.keys.iter().map(|&key| (key, h.0)));
            let RecordKeys {
                keys,
                sort_key,
                id_hash,
            } = keys;
            *slot = Some(Entry {
                keys,
                source,
                sort_key,
                id_hash,
            });
        }
        #[cfg(feature = "parallel")]
        rayon::slice::ParallelSliceMut::par_sort_unstable(&mut flat[..]);
        #[cfg(not(feature = "parallel"))]
        flat.sort_unstable();
        self.entries = entries;
        self.live = handles.len();
        let distinct = flat.len().min(1) + flat.windows(2).filter(|w| w[0].0 != w[1].0).count();
        self.blocks.reserve(distinct);
        let max = self.config.max_block_size;
        let mut start = 0;
        while start < flat.len() {
            let key = flat[start].0;
            let end = start + flat[start..].iter().take_while(|x| x.0 == key).count();
            let mut members: Members = flat[start..end].iter().map(|&(_, h)| h).collect();
            if members.len() > max {
                // An oversized block keeps its members in neighbourhood order.
                members.sort_unstable_by(|&x, &y| order(&self.entries, x, y));
            }
            self.blocks.insert(key, Block { members });
            start = end;
        }
        Ok(())
    }

    /// Adds a record by its precomputed keys (see [`BlockIndex::record_keys`]);
    /// returns the changed pairs when `want_changes` (else an empty change).
    pub fn insert_keys(
        &mut self,
        handle: NodeId,
        source: &str,
        keys: RecordKeys,
        want_changes: bool,
    ) -> Result<PairChanges> {
        let RecordKeys {
            keys,
            sort_key,
            id_hash,
        } = keys;
        let h = handle.0;
        check_handle(h)?;
        if self.entries.get(h as usize).is_some_and(Option::is_some) {
            return Err(Error::new(
                ErrorKind::InvalidRecord,
                format!("handle {h} is already indexed"),
            ));
        }
        if self.entries.len() <= h as usize {
            self.entries.resize(h as usize + 1, None);
        }
        let source = self.source_id(source);
        self.entries[h as usize] = Some(Entry {
            keys,
            source,
            sort_key,
            id_hash,
        });
        self.live += 1;
        let mut added = Vec::new();
        let mut dropped = Vec::new();
        let (max, w) = (self.config.max_block_size, self.config.window);
        let entries = &self.entries;
        let keys = entries[h as usize]
            .as_ref()
            .map_or(&[][..], |e| &e.keys[..]);
        for &key in keys {
            let block = self.blocks.entry(key).or_default();
            // Only oversized blocks need their members in neighbourhood order (their
            // window depends on it); a block is sorted when it first grows past the cap.
            let before = block.members.len();
            let pos = if before < max {
                block.members.push(h);
                before
            } else {
                if before == max {
                    block
                        .members
                        .sort_unstable_by(|&x, &y| order(entries, x, y));
                }
                let pos = block
                    .members
                    .binary_search_by(|&m| order(entries, m, h))
                    .unwrap_or_else(|p| p);
                block.members.insert(pos, h);
                pos
            };
            if !want_changes {
                continue;
            }
            let m = &block.members;
            let n = m.len();
            if n <= max {
                added.extend(m.iter().filter(|&&x| x != h).map(|&x| (x, h)));
                continue;
            }
            let window = &m[pos.saturating_sub(w)..(pos + w + 1).min(n)];
            added.extend(window.iter().filter(|&&x| x != h).map(|&x| (x, h)));
            if before == max {
                // The block just outgrew the cap: of all its old pairs, only those
                // within the window stay.
                outside_window(m, w, h, &mut dropped);
            } else {
                // Neighbours w apart on either side of the newcomer are now w + 1 apart.
                just_outside_window_across(m, w, pos, &mut dropped);
            }
        }
        if !want_changes {
            return Ok(PairChanges::default());
        }
        added.retain(|&(a, b)| self.may_pair(a, b));
        // A pair that left one block's window may still come from another block.
        dropped.retain(|&(a, b)| self.may_pair(a, b) && !self.produces_pair(a, b));
        Ok(PairChanges {
            added: node_pairs(added),
            dropped: node_pairs(dropped),
        })
    }

    /// Whether the link mode allows the pair at all (link-only: different sources).
    fn may_pair(&self, a: u32, b: u32) -> bool {
        if self.config.mode != LinkMode::LinkOnly {
            return true;
        }
        let source = |x: u32| self.entries[x as usize].as_ref().map(|e| e.source);
        source(a) != source(b)
    }

    /// Whether some block the two records share produces their pair now.
    fn produces_pair(&self, a: u32, b: u32) -> bool {
        self.first_producer(a, b).is_some()
    }

    /// The first (in key order, so rule first) block the two records share that produces
    /// their pair.
    fn first_producer(&self, a: u32, b: u32) -> Option<u64> {
        self.shared_keys(a, b)
            .find(|&shared| self.shared_block_produces(shared, a, b))
    }

    /// The block keys both records hold, in key order (a merge of their
    /// sorted key lists).
    fn shared_keys(&self, a: u32, b: u32) -> impl Iterator<Item = u64> + '_ {
        let keys = |x: u32| {
            self.entries[x as usize]
                .as_ref()
                .map_or(&[][..], |e| &e.keys[..])
        };
        let (ka, kb) = (keys(a), keys(b));
        let (mut i, mut j) = (0, 0);
        std::iter::from_fn(move || {
            while i < ka.len() && j < kb.len() {
                match ka[i].cmp(&kb[j]) {
                    Ordering::Less => i += 1,
                    Ordering::Greater => j += 1,
                    Ordering::Equal => {
                        i += 1;
                        j += 1;
                        return Some(ka[i - 1]);
                    }
                }
            }
            None
        })
    }

    /// Whether the block of `shared`, a key both records hold, produces their pair.
    fn shared_block_produces(&self, shared: u64, a: u32, b: u32) -> bool {
        self.blocks
            .get(&shared)
            .is_some_and(|block| self.block_produces(block, a, b))
    }

    /// Whether `block`, which holds both records, produces their pair.
    fn block_produces(&self, block: &Block, a: u32, b: u32) -> bool {
        if block.members.len() <= self.config.max_block_size {
            return true;
        }
        let pos = |x: u32| block.members.binary_search_by(|&m| self.order(m, x)).ok();
        match (pos(a), pos(b)) {
            (Some(pa), Some(pb)) => self.produces(block, pa.min(pb), pa.max(pb)),
            _ => false,
        }
    }

    /// Removes a record from every block (erasure) and returns the pairs that became
    /// candidates (neighbours it kept apart in an oversized block, or a whole block
    /// that fell back to the cap); `None` for an unknown handle.
    pub fn remove(&mut self, handle: NodeId) -> Option<PairChanges> {
        let h = handle.0;
        let entry = self.entries.get(handle.index()).and_then(Option::as_ref)?;
        // Worked out while the record is still in place (its position is known).
        let (max, w) = (self.config.max_block_size, self.config.window);
        let mut added = Vec::new();
        for &key in entry.keys.iter() {
            let Some(block) = self.blocks.get(&key) else {
                continue;
            };
            let m = &block.members;
            let n = m.len();
            if n <= max {
                continue;
            }
            let Ok(pos) = m.binary_search_by(|&x| self.order(x, h)) else {
                continue;
            };
            if n - 1 > max {
                // Neighbours w + 1 apart across the leaver come within the window.
                just_outside_window_across(m, w, pos, &mut added);
            } else {
                // The block falls back to the cap: every pair outside the window joins.
                outside_window(m, w, h, &mut added);
            }
        }
        added.retain(|&(a, b)| self.may_pair(a, b) && !self.produces_pair(a, b));
        let entry = self.entries[handle.index()].take()?;
        self.live -= 1;
        for &key in entry.keys.iter() {
            if let Some(block) = self.blocks.get_mut(&key) {
                block.members.retain(|m| *m != h);
                if block.members.is_empty() {
                    self.blocks.remove(&key);
                }
            }
        }
        Some(PairChanges {
            added: node_pairs(added),
            dropped: Vec::new(),
        })
    }

    /// Blocks of at least `min_size` members in a deterministic order: by rule, then
    /// key. (Most blocks hold one record and produce no pair: leaving them out before
    /// sorting saves most of the sort.)
    fn sorted_blocks(&self, min_size: usize) -> Vec<(u64, &Block)> {
        let mut v: Vec<(u64, &Block)> = self
            .blocks
            .iter()
            .filter(|(_, b)| b.members.len() >= min_size)
            .map(|(&k, b)| (k, b))
            .collect();
        v.sort_unstable_by_key(|&(k, _)| k);
        v
    }

    /// True when `block` (at positions `i < j` of its members) produces the pair.
    fn produces(&self, block: &Block, i: usize, j: usize) -> bool {
        block.members.len() <= self.config.max_block_size || j - i <= self.config.window
    }

    /// Visits each candidate pair `(a, b)`, `a < b`, exactly once.
    fn for_each_pair(&self, f: impl FnMut(u32, u32)) {
        self.for_each_pair_of(&self.sorted_blocks(2), f);
    }

    /// Visits each pair of which one of `blocks` is the first producer, in block order.
    fn for_each_pair_of(&self, blocks: &[(u64, &Block)], mut f: impl FnMut(u32, u32)) {
        for &(key, block) in blocks {
            let m = &block.members;
            let n = m.len();
            let span = if n > self.config.max_block_size {
                self.config.window
            } else {
                n
            };
            for i in 0..n {
                for j in i + 1..(i + 1 + span).min(n) {
                    let (a, b) = (m[i], m[j]);
                    if self.is_first_producer(a, b, key) {
                        f(a.min(b), a.max(b));
                    }
                }
            }
        }
    }

    /// Whether the block `this`, which produces the pair, is the first one (in key
    /// order, so rule first) that does; later ones skip it. Only the shared keys before
    /// `this` need their block looked up: for most pairs there are none.
    fn is_first_producer(&self, a: u32, b: u32, this: u64) -> bool {
        self.may_pair(a, b)
            && self
                .shared_keys(a, b)
                .find(|&shared| shared == this || self.shared_block_produces(shared, a, b))
                == Some(this)
    }

    /// Every candidate pair once, `(a, b)` with `a < b`, in a deterministic order.
    /// (In parallel with the `parallel` feature: runs of blocks are enumerated apart
    /// and their pairs concatenated in block order, the same list.)
    pub fn pairs(&self) -> Vec<(NodeId, NodeId)> {
        let blocks = self.sorted_blocks(2);
        let pairs_of = |blocks: &[(u64, &Block)]| {
            let mut out = Vec::new();
            self.for_each_pair_of(blocks, |a, b| out.push((NodeId(a), NodeId(b))));
            out
        };
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            blocks
                .par_chunks(BLOCKS_PER_TASK)
                .flat_map_iter(pairs_of)
                .collect()
        }
        #[cfg(not(feature = "parallel"))]
        pairs_of(&blocks)
    }

    /// The exact number of pairs [`BlockIndex::pairs`] would return, counted without
    /// storing them.
    pub fn count_pairs(&self) -> u64 {
        let mut n = 0u64;
        self.for_each_pair(|_, _| n += 1);
        n
    }

    /// Pairs each rule generates on its own (before the union removes repeats),
    /// computed from block sizes alone, without visiting pairs (dedupe mode; in
    /// link-only mode same-source pairs are still counted here).
    pub fn count_pairs_per_rule(&self) -> Vec<u64> {
        let mut counts = vec![0u64; self.rules.len()];
        for (&key, block) in &self.blocks {
            let n = block.members.len() as u64;
            let pairs = if block.members.len() > self.config.max_block_size {
                let w = self.config.window as u64;
                // Each member pairs with the next w (fewer near the end).
                (0..n).map(|i| w.min(n - 1 - i)).sum()
            } else {
                n * n.saturating_sub(1) / 2
            };
            counts[RecordKeys::rule_of(key)] += pairs;
        }
        counts
    }

    /// How many blocks are over `max_block_size` (compared by sorted neighbourhood),
    /// counted without describing them.
    pub fn count_oversized_blocks(&self) -> usize {
        let max = self.config.max_block_size;
        self.blocks
            .values()
            .filter(|b| b.members.len() > max)
            .count()
    }

    /// Blocks over `max_block_size`, largest first.
    pub fn oversized_blocks(&self) -> Vec<OversizedBlock> {
        let mut v: Vec<OversizedBlock> = self
            .sorted_blocks(self.config.max_block_size + 1)
            .into_iter()
            .map(|(k, b)| {
                let rule = RecordKeys::rule_of(k);
                OversizedBlock {
                    rule,
                    rule_description: self.config.rules[rule].describe(),
                    size: b.members.len(),
                }
            })
            .collect();
        v.sort_by(|a, b| b.size.cmp(&a.size).then(a.rule.cmp(&b.rule)));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::orderings;

    #[test]
    fn orderings_start_with_the_given_one_and_skip_repeats() {
        assert_eq!(orderings(&[3]), vec![vec![3]]);
        assert_eq!(orderings(&[0, 1]), vec![vec![0, 1], vec![1, 0]]);
        // Two keys on one field: one ordering of the fields.
        assert_eq!(orderings(&[2, 2]), vec![vec![2, 2]]);
        let three = orderings(&[0, 1, 2]);
        assert_eq!(three.len(), 6);
        assert_eq!(three[0], vec![0, 1, 2]);
    }
}
