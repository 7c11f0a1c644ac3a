//! Prepared records: everything a comparison needs, computed once per record.
//!
//! A [`PreparedRecord`] holds, for each comparison of a [`ComparisonSet`], the
//! normalized values of the compared field as compact [`PreparedValue`]s whose
//! characters and token hashes live in two per-record buffers. Comparing two prepared
//! records reads these buffers and allocates nothing.

use super::comparison::Comparison;
use super::email_name::local_part_from_name;
use super::gamma::{Gamma, MAX_COMPARISONS};
use super::level::LevelRule;
use crate::block::metaphone_hash;
use crate::error::{Error, ErrorKind, Result};
use crate::hash::{hash_str, mix};
use crate::normalize::{
    is_placeholder_birth_date, name_variant_key_into, normalize_value_into, parse_date,
    push_compact_date, split_full_name, written_date_parts, NormalizeOptions,
};
use crate::record::{Date, FieldKind, Record, Schema, ValueRef};
use crate::similarity::MAX_CHARS;
use smallvec::SmallVec;
use std::cell::RefCell;

use super::chars::Chars;
use super::name::{NameTokens, ROLE_FAMILY, ROLE_GIVEN, ROLE_OTHER};

/// One character as a record with any character from U+0100 on holds it (see
/// [`Chars`]; other records hold bytes): its code point when that fits 16 bits, as the
/// letters of every living script do (half the memory of a `char`, and comparing
/// reads half as many bytes). A character beyond folds into the surrogate
/// range, which no character fits in, so it never equals one that fits; two such
/// characters may read as equal, in fuzzy levels only (exact levels compare hashes of
/// the whole text).
pub type CharUnit = u16;

/// The [`CharUnit`] of `c`.
#[inline]
pub(crate) fn char_unit(c: char) -> CharUnit {
    let c = c as u32;
    if c <= 0xFFFF {
        c as CharUnit
    } else {
        0xD800 | (c & 0x7FF) as CharUnit
    }
}

/// The fewest characters a Double Metaphone code needs to count as agreement at a
/// [`LevelRule::Phonetic`] level. Shorter codes are shared by too many different
/// names to say two spellings are one name: `JN` is Jin, Jun, Jian, Jianhua, Junhee,
/// Jane and John; Double Metaphone keeps consonants only, and in romanized Chinese or
/// Korean names the vowels tell the names apart.
const MIN_PHONETIC_CODE_LEN: u8 = 3;

/// 64-bit words a [`PreparedValue`] takes.
const VALUE_WORDS: usize = std::mem::size_of::<PreparedValue>() / 8;

/// Characters in one 64-bit word, for a record whose characters are 16-bit units.
const WIDE_CHARS_PER_WORD: usize = 8 / std::mem::size_of::<CharUnit>();

/// The most values of one field that are kept per record (the rest are ignored, so
/// one pair's cost stays bounded).
pub const MAX_VALUES_PER_FIELD: usize = 8;

/// One normalized value, ready to compare. Offsets point into the owning record's
/// character and token buffers. `Debug` prints lengths only: hashes of personal data
/// are personal data too (a dictionary reverses them).
///
/// Plain data (`bytemuck::Pod`, no padding): a record's values, tokens and characters
/// live in one buffer of 64-bit words and are read back as slices of each.
#[derive(Clone, Copy, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PreparedValue {
    /// Hash of the whole normalized value (exact equality, TF key). Never 0.
    pub hash: u64,
    /// 32-bit hash of the alternative key: canonical nickname for names, local part
    /// for emails, otherwise the whole value. (Secondary keys are only compared for
    /// equality; 32 bits keep a value at 40 bytes, millions of records in memory.)
    pub alt_hash: u32,
    /// 32-bit hash of the phonetic code its comparison compares (Double Metaphone,
    /// Soundex or NYSIIS; 0 when the value has none, the comparison uses none, or the
    /// Double Metaphone code is shorter than three characters, see
    /// [`LevelRule::Phonetic`]).
    pub phonetic: u32,
    /// 32-bit hash of the first token.
    pub first_token: u32,
    /// Parsed date for date fields, packed (see [`PreparedValue::date`]): a value
    /// stays at 32 bytes.
    date: u32,
    chars_start: u16,
    tokens_start: u16,
    chars_len: u8,
    /// For emails: chars of the local part (the prefix before `@`).
    split: u8,
    /// For emails: 1 when the local part is built from the record's own name (see
    /// [`PreparedValue::local_part_from_name`]).
    #[cfg_attr(feature = "serde", serde(default))]
    local_from_name: u8,
    tokens_len: u8,
}

impl PreparedValue {
    /// The parsed date of a date field (`None` for other fields and for dates that
    /// do not exist).
    #[inline]
    pub fn date(&self) -> Option<Date> {
        (self.date != 0).then_some(Date {
            year: (self.date >> 9) as u16,
            month: ((self.date >> 5) & 0xF) as u8,
            day: (self.date & 0x1F) as u8,
        })
    }

    /// `date` packed as `year << 9 | month << 5 | day` (0: none).
    fn pack_date(date: Option<Date>) -> u32 {
        date.map_or(0, |d| {
            (u32::from(d.year) << 9) | (u32::from(d.month) << 5) | u32::from(d.day)
        })
    }

    /// For an e-mail: its local part is built from the record's own name (name tokens
    /// and initials, digits and separators aside: `budi.santoso88`, `zignacevic`).
    /// Agreeing on such a local part repeats the name, which the name comparisons
    /// weigh already, so [`LevelRule::EmailLocalPart`] does not count it.
    pub fn local_part_from_name(&self) -> bool {
        self.local_from_name != 0
    }

    /// A person-name value: `hash` of its order-free key, its characters and its
    /// token words already appended to the record's buffers at these offsets.
    pub(super) fn name(
        hash: u64,
        chars: std::ops::Range<usize>,
        tokens: std::ops::Range<usize>,
    ) -> Self {
        PreparedValue {
            hash,
            alt_hash: hash as u32,
            phonetic: 0,
            first_token: 0,
            date: 0,
            chars_start: chars.start as u16,
            chars_len: chars.len().min(MAX_CHARS) as u8,
            split: 0,
            local_from_name: 0,
            tokens_start: tokens.start as u16,
            tokens_len: tokens.len().min(u8::MAX as usize) as u8,
        }
    }
}

/// A record prepared against a [`ComparisonSet`]: values per comparison.
///
/// `Debug` prints counts only, never the normalized characters or their hashes.
#[derive(Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PreparedRecord {
    /// The values (four words each), then the tokens (a word each), then the
    /// characters (eight to a word when `narrow`, else four; the last word padded):
    /// one allocation a record, read back as slices of each (a million records are
    /// in memory at once).
    words: Box<[u64]>,
    /// Number of values.
    value_count: u16,
    /// Number of tokens.
    token_count: u16,
    /// End offset (exclusive) into `values` of each comparison's values: held inline
    /// (at most `MAX_COMPARISONS` × [`MAX_VALUES_PER_FIELD`] = 128 values, so a byte
    /// each) so that finding a comparison's values in the comparison loop costs no
    /// memory access of its own.
    ends: [u8; MAX_COMPARISONS],
    /// Number of comparisons prepared for (entries of `ends` in use).
    comparisons: u8,
    /// Whether the record repeats its given name as its family name ("Purisa |
    /// Purisa"), found once here for [`ComparisonSet::gamma`].
    pub(super) one_name: bool,
    /// Whether the characters are bytes (see [`Chars`]).
    #[cfg_attr(feature = "serde", serde(default))]
    narrow: bool,
}

impl std::fmt::Debug for PreparedValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedValue")
            .field("chars", &self.chars_len)
            .field("tokens", &self.tokens_len)
            .field("date", &self.date().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for PreparedRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedRecord")
            .field("comparisons", &self.comparisons)
            .field("values", &self.value_count)
            .field("tokens", &self.token_count)
            .finish_non_exhaustive()
    }
}

impl PreparedRecord {
    /// The prepared values of comparison `c` (empty when the field was missing).
    #[inline]
    pub fn values(&self, c: usize) -> &[PreparedValue] {
        if c >= self.comparisons as usize {
            return &[];
        }
        let start = if c == 0 { 0 } else { self.ends[c - 1] as usize };
        self.all_values()
            .get(start..self.ends[c] as usize)
            .unwrap_or(&[])
    }

    /// Every value, comparison after comparison.
    #[inline]
    fn all_values(&self) -> &[PreparedValue] {
        let words = self.words.get(..self.value_count as usize * VALUE_WORDS);
        bytemuck::cast_slice(words.unwrap_or(&[]))
    }

    /// Every token word.
    #[inline]
    fn all_tokens(&self) -> &[u64] {
        let start = self.value_count as usize * VALUE_WORDS;
        self.words
            .get(start..start + self.token_count as usize)
            .unwrap_or(&[])
    }

    /// Every character (and the padding of the last word).
    #[inline]
    fn all_chars(&self) -> Chars<'_> {
        let start = self.value_count as usize * VALUE_WORDS + self.token_count as usize;
        let words = self.words.get(start..).unwrap_or(&[]);
        if self.narrow {
            Chars::Narrow(bytemuck::cast_slice(words))
        } else {
            Chars::Wide(bytemuck::cast_slice(words))
        }
    }

    /// Characters of `v` (capped to [`MAX_CHARS`]).
    #[inline]
    pub fn chars(&self, v: &PreparedValue) -> Chars<'_> {
        let s = v.chars_start as usize;
        self.all_chars().get(s..s + v.chars_len as usize)
    }

    /// Characters of an email's local part (the whole value for other kinds).
    #[inline]
    pub fn local_chars(&self, v: &PreparedValue) -> Chars<'_> {
        let s = v.chars_start as usize;
        self.all_chars().get(s..s + v.split as usize)
    }

    /// The value read as a number (`NaN` when it is not one). Parsed on demand from
    /// the characters, without allocating: numeric levels are rare.
    pub fn number(&self, v: &PreparedValue) -> f64 {
        let chars = self.chars(v);
        let mut buf = [0u8; MAX_CHARS];
        for (b, c) in buf.iter_mut().zip(chars.units()) {
            let Ok(ascii) = u8::try_from(c) else {
                return f64::NAN;
            };
            *b = ascii;
        }
        std::str::from_utf8(&buf[..chars.len().min(MAX_CHARS)])
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .filter(|n| n.is_finite())
            .unwrap_or(f64::NAN)
    }

    /// Sorted, deduplicated token hashes of `v` (for a person-name value: two words
    /// per name token, see `compare::name`).
    #[inline]
    pub fn tokens(&self, v: &PreparedValue) -> &[u64] {
        let s = v.tokens_start as usize;
        self.all_tokens()
            .get(s..s + v.tokens_len as usize)
            .unwrap_or(&[])
    }

    /// Number of comparisons this record was prepared for.
    pub fn comparison_count(&self) -> usize {
        self.comparisons as usize
    }

    /// Approximate heap bytes held (for memory accounting).
    pub fn heap_bytes(&self) -> usize {
        self.words.len() * 8
    }
}

/// Which part of a full-name field is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NamePart {
    Whole,
    Given,
    Family,
}

/// A value's Double Metaphone hash and code length by (slot, value index) (see
/// [`FieldValues::metaphone`]).
type Metaphone = ((usize, usize), Option<(u64, u8)>);

/// One normalized field (or full-name part) of a [`FieldValues`]: which, and where
/// its values' spans are.
type Slot = ((usize, NamePart), std::ops::Range<usize>);

/// One record's normalized field values, computed on first read and kept: comparisons,
/// blocking keys and exclusive keys all read the same text, and each field (or
/// full-name part) is normalized once per record however many of them read it.
///
/// All values live in one `String`, each a span of it: a record's values cost one
/// buffer, not a `Vec` per field and a `String` per value.
pub(crate) struct FieldValues<'r> {
    record: &'r Record,
    options: &'r NormalizeOptions,
    /// The normalized values, one after another.
    text: String,
    /// Byte range of each value in `text`, slot after slot.
    spans: SmallVec<[(u32, u32); 16]>,
    /// The fields normalized so far, each with its range of `spans`.
    slots: SmallVec<[Slot; 12]>,
    /// Double Metaphone hashes by (slot, value index), computed on first read: a
    /// name's code is read by its comparison's phonetic level and by the phonetic
    /// blocking keys, and Double Metaphone is the dearest step of preparing a name.
    metaphones: RefCell<SmallVec<[Metaphone; 8]>>,
}

/// The normalized values of one slot of a [`FieldValues`], in order.
#[derive(Clone, Copy)]
pub(crate) struct SlotValues<'a> {
    text: &'a str,
    spans: &'a [(u32, u32)],
}

impl<'a> SlotValues<'a> {
    /// Number of values.
    pub(crate) fn len(&self) -> usize {
        self.spans.len()
    }

    /// Value `i`, if there is one.
    pub(crate) fn get(&self, i: usize) -> Option<&'a str> {
        let &(start, end) = self.spans.get(i)?;
        self.text.get(start as usize..end as usize)
    }

    /// The first value, if any.
    pub(crate) fn first(&self) -> Option<&'a str> {
        self.get(0)
    }

    /// The values, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &'a str> + 'a {
        let text = self.text;
        self.spans
            .iter()
            .map(move |&(start, end)| text.get(start as usize..end as usize).unwrap_or(""))
    }
}

impl<'r> FieldValues<'r> {
    /// Nothing normalized yet.
    pub(crate) fn new(record: &'r Record, options: &'r NormalizeOptions) -> Self {
        FieldValues {
            record,
            options,
            text: TEXT_BUFFERS
                .with(|b| b.borrow_mut().pop())
                .unwrap_or_default(),
            spans: SmallVec::new(),
            slots: SmallVec::new(),
            metaphones: RefCell::new(SmallVec::new()),
        }
    }

    /// The record read.
    pub(crate) fn record(&self) -> &'r Record {
        self.record
    }

    /// Normalizes `f` unless done already; its index for [`FieldValues::at`].
    pub(crate) fn slot(&mut self, f: &FieldRef) -> usize {
        let key = (f.field, f.part);
        if let Some(i) = self.slots.iter().position(|(k, _)| *k == key) {
            return i;
        }
        let first = self.spans.len();
        for v in self
            .record
            .values(f.field)
            .iter()
            .take(MAX_VALUES_PER_FIELD)
        {
            self.push_normalized(f, v, first);
        }
        if self.spans.len() == first {
            let record = self.record;
            if let Some(part) = f.full_name_part(record) {
                for v in record.values(part.field).iter().take(MAX_VALUES_PER_FIELD) {
                    self.push_normalized(&part, v, first);
                }
            }
        }
        self.slots.push((key, first..self.spans.len()));
        self.slots.len() - 1
    }

    /// Appends the canonical text of `v` read as `f` as a new value of the slot being
    /// filled (whose values are the spans from `first` on), unless it is invalid or a
    /// duplicate of one of them.
    fn push_normalized(&mut self, f: &FieldRef, v: ValueRef<'_>, first: usize) {
        let start = self.text.len();
        if !f.normalize_into(v, self.options, &mut self.text) {
            self.text.truncate(start);
            return;
        }
        let new = self.text.get(start..).unwrap_or_default();
        let seen = self.spans.get(first..).unwrap_or_default();
        if seen
            .iter()
            .any(|&(s, e)| self.text.get(s as usize..e as usize) == Some(new))
        {
            self.text.truncate(start);
        } else {
            self.spans.push((start as u32, self.text.len() as u32));
        }
    }

    /// The values at a slot from [`FieldValues::slot`].
    pub(crate) fn at(&self, slot: usize) -> SlotValues<'_> {
        let spans = self
            .slots
            .get(slot)
            .and_then(|(_, r)| self.spans.get(r.clone()))
            .unwrap_or_default();
        SlotValues {
            text: &self.text,
            spans,
        }
    }

    /// The hash of the Double Metaphone code of value `i` at `slot` and the code's
    /// length ([`metaphone_hash`]), computed once however often it is read.
    pub(crate) fn metaphone(&self, slot: usize, i: usize) -> Option<(u64, u8)> {
        let known = self
            .metaphones
            .borrow()
            .iter()
            .find(|(k, _)| *k == (slot, i))
            .map(|(_, h)| *h);
        known.unwrap_or_else(|| {
            let h = self.at(slot).get(i).and_then(metaphone_hash);
            self.metaphones.borrow_mut().push(((slot, i), h));
            h
        })
    }

    /// The normalized values of `f`: invalid values dropped, at most
    /// [`MAX_VALUES_PER_FIELD`], duplicates removed (see [`FieldRef::normalize_into`]).
    pub(crate) fn get(&mut self, f: &FieldRef) -> SlotValues<'_> {
        let i = self.slot(f);
        self.at(i)
    }
}

impl Drop for FieldValues<'_> {
    /// Hands the text buffer back for the next record prepared on this thread.
    fn drop(&mut self) {
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        TEXT_BUFFERS.with(|b| {
            let mut buffers = b.borrow_mut();
            if buffers.len() < MAX_SPARE_BUFFERS && text.capacity() <= MAX_SPARE_CAPACITY {
                buffers.push(text);
            }
        });
    }
}

/// Most text buffers kept per thread (a record's preparation uses one at a time, a
/// few when one code path prepares inside another).
const MAX_SPARE_BUFFERS: usize = 4;

/// Largest text buffer kept (bytes): an outsized record's buffer is freed, not held.
const MAX_SPARE_CAPACITY: usize = 4096;

thread_local! {
    /// Text buffers of dropped [`FieldValues`], reused: every record needs one, and
    /// taking a warm buffer costs less than allocating and growing a new one.
    static TEXT_BUFFERS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// A resolved reference to a schema field (or one part of a full-name field, written
/// `"name.given"` / `"name.family"`), able to read its normalized values.
#[derive(Debug, Clone)]
pub(crate) struct FieldRef {
    field: usize,
    kind: FieldKind,
    part: NamePart,
    /// For a given or family name field, the schema's full-name field and its given
    /// and family name fields: a record that fills in only its full name (one source
    /// has a single name box) has its given and family names read from it.
    full_name: Option<(usize, [Option<usize>; 2])>,
}

impl FieldRef {
    /// Resolves `spec` against `schema`.
    pub(crate) fn resolve(schema: &Schema, spec: &str) -> Result<FieldRef> {
        let (name, part) = match spec.rsplit_once('.') {
            Some((n, "given")) if schema.index_of(spec).is_none() => (n, NamePart::Given),
            Some((n, "family")) if schema.index_of(spec).is_none() => (n, NamePart::Family),
            _ => (spec, NamePart::Whole),
        };
        let (field, def) = schema.field(name)?;
        if part != NamePart::Whole && def.kind != FieldKind::FullName {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                format!("{spec:?}: only full_name fields have .given/.family parts"),
            ));
        }
        Ok(FieldRef {
            part,
            ..FieldRef::whole(schema, field)
        })
    }

    /// The part of the full-name field this given or family name is read from in
    /// `record`: when the record has a full name and neither a given nor a family
    /// name (one given without the other is a record's own split, kept as it is).
    fn full_name_part(&self, record: &Record) -> Option<FieldRef> {
        let part = match self.kind {
            FieldKind::GivenName => NamePart::Given,
            FieldKind::FamilyName => NamePart::Family,
            _ => return None,
        };
        let (full, split) = self.full_name?;
        if split
            .iter()
            .flatten()
            .any(|&f| !record.values(f).is_empty())
        {
            return None;
        }
        Some(FieldRef {
            field: full,
            kind: FieldKind::FullName,
            part,
            full_name: None,
        })
    }

    /// The whole field at `field` of `schema`'s fields (which must exist).
    pub(crate) fn whole(schema: &Schema, field: usize) -> FieldRef {
        let kind = schema.fields()[field].kind;
        let first = |kind: FieldKind| schema.fields().iter().position(|f| f.kind == kind);
        let full_name = match kind {
            FieldKind::GivenName | FieldKind::FamilyName => {
                first(FieldKind::FullName).map(|full| {
                    (
                        full,
                        [first(FieldKind::GivenName), first(FieldKind::FamilyName)],
                    )
                })
            }
            _ => None,
        };
        FieldRef {
            field,
            kind,
            part: NamePart::Whole,
            full_name,
        }
    }

    /// The kind of the field read.
    pub(crate) fn kind(&self) -> FieldKind {
        self.kind
    }

    /// Whether it reads a given name (a given-name field or the given part of a full
    /// name) — `Some(true)` — or a family name — `Some(false)`.
    fn reads_given_name(&self) -> Option<bool> {
        match (self.kind, self.part) {
            (FieldKind::GivenName, _) | (FieldKind::FullName, NamePart::Given) => Some(true),
            (FieldKind::FamilyName, _) | (FieldKind::FullName, NamePart::Family) => Some(false),
            _ => None,
        }
    }

    /// Appends the name tokens of this field to `out`, each with its role (given,
    /// family or other): given and family name fields give their role to all their
    /// tokens, a full name is split with [`split_full_name`].
    pub(crate) fn name_tokens(&self, values: &mut FieldValues<'_>, out: &mut NameTokens) {
        let role = match (self.kind, self.part) {
            (FieldKind::GivenName, _) | (FieldKind::FullName, NamePart::Given) => ROLE_GIVEN,
            (FieldKind::FamilyName, _) | (FieldKind::FullName, NamePart::Family) => ROLE_FAMILY,
            (FieldKind::FullName, NamePart::Whole) => {
                for v in values
                    .record()
                    .values(self.field)
                    .iter()
                    .take(MAX_VALUES_PER_FIELD)
                {
                    let parts = match v {
                        ValueRef::Text(s) => split_full_name(s),
                        ValueRef::Date(d) => split_full_name(&d.to_string()),
                    };
                    out.push_all(&parts.given, ROLE_GIVEN);
                    out.push_all(&parts.family, ROLE_FAMILY);
                }
                return;
            }
            _ => ROLE_OTHER,
        };
        for text in values.get(self).iter() {
            out.push_all(text, role);
        }
    }

    /// Appends the canonical text of `v` to `out`: whether it is valid (and not
    /// empty). Dates read as `yyyymmdd`.
    fn normalize_into(
        &self,
        v: ValueRef<'_>,
        options: &NormalizeOptions,
        out: &mut String,
    ) -> bool {
        let start = out.len();
        let raw = match v {
            // A placeholder (`1900-01-01`) is no birth date: missing.
            ValueRef::Date(d)
                if self.kind == FieldKind::DateOfBirth && is_placeholder_birth_date(d) =>
            {
                return false;
            }
            ValueRef::Date(d) => {
                push_compact_date(out, d.year, d.month, d.day);
                return true;
            }
            ValueRef::Text(s) => s,
        };
        match (self.kind, self.part) {
            // An impossible date keeps its written digits: equal or one digit off still
            // tells (date levels that need a real date do not hold for it). A
            // placeholder (`1900-01-01`) is no birth date: missing.
            (FieldKind::DateOfBirth, _) => {
                match parse_date(raw, options.day_first) {
                    Ok(d) if is_placeholder_birth_date(d) => return false,
                    Ok(d) => push_compact_date(out, d.year, d.month, d.day),
                    Err(_) => match written_date_parts(raw, options.day_first) {
                        Some((y, m, d)) => push_compact_date(out, y, m, d),
                        None => return false,
                    },
                }
                true
            }
            (FieldKind::FullName, NamePart::Given) => {
                out.push_str(&split_full_name(raw).given);
                out.len() > start
            }
            (FieldKind::FullName, NamePart::Family) => {
                out.push_str(&split_full_name(raw).family);
                out.len() > start
            }
            (kind, _) => normalize_value_into(kind, raw, options, out),
        }
    }
}

/// How one comparison reads its fields: resolved once when the set is built.
#[derive(Debug, Clone)]
struct FieldPlan {
    /// The fields read, in the comparison's order (the first decides the kind).
    fields: Vec<FieldRef>,
    /// A person-name comparison: all fields read as one bag of name tokens.
    name: bool,
    /// The phonetic code its phonetic level compares (at most one, see
    /// [`Comparison::validate`]).
    phonetic: Option<fn(&str) -> String>,
    /// That code is Double Metaphone ([`LevelRule::Phonetic`]), which the blocking
    /// keys may read too: taken from [`FieldValues::metaphone`].
    metaphone: bool,
    needs_tokens: bool,
    needs_nickname: bool,
}

/// A list of comparisons bound to a schema, with the normalization options used to
/// prepare records for them. At most [`super::MAX_COMPARISONS`] comparisons.
#[derive(Debug, Clone)]
pub struct ComparisonSet {
    schema: Schema,
    comparisons: Vec<Comparison>,
    options: NormalizeOptions,
    plans: Vec<FieldPlan>,
    /// Per comparison: bit `l` set when γ level `l` is a veto level.
    veto_masks: Vec<u16>,
    /// Per comparison: bit `l` set when γ level `l` identifies the person.
    identify_masks: Vec<u16>,
    /// The given-name and the family-name comparison (each one field, with an exact
    /// level), when both exist: names typed into each other's field are caught by
    /// comparing across them (see [`ComparisonSet::gamma`]).
    pub(crate) swap: Option<(usize, usize)>,
    /// Per comparison: it has a level that needs a parsed date, so a value without
    /// one is an impossible date kept for its digits (computed once, not per pair).
    pub(crate) reads_dates: Vec<bool>,
    /// The schema's name fields, read to tell whether an e-mail local part is built
    /// from the name; empty when no comparison reads an e-mail.
    name_fields: Vec<FieldRef>,
}

impl ComparisonSet {
    /// Binds `comparisons` to `schema`. A comparison's `field` names a schema field;
    /// for a full-name field, `"name.given"` / `"name.family"` read one part of it.
    pub fn new(
        schema: Schema,
        comparisons: Vec<Comparison>,
        options: NormalizeOptions,
    ) -> Result<Self> {
        if comparisons.is_empty() || comparisons.len() > super::MAX_COMPARISONS {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                format!(
                    "need 1 to {} comparisons, got {}",
                    super::MAX_COMPARISONS,
                    comparisons.len()
                ),
            ));
        }
        let mut plans = Vec::with_capacity(comparisons.len());
        for c in &comparisons {
            c.validate()?;
            let fields = c
                .read_fields()
                .map(|f| FieldRef::resolve(&schema, f))
                .collect::<Result<Vec<_>>>()?;
            let name = c.is_person_name();
            if name {
                if let Some((f, r)) = c
                    .read_fields()
                    .zip(&fields)
                    .find(|(_, r)| !is_name_kind(r.kind()))
                {
                    return Err(Error::new(
                        ErrorKind::InvalidConfig,
                        format!(
                            "comparison {:?}: person-name levels need name fields, but {f:?} is a {:?} field",
                            c.name,
                            r.kind()
                        ),
                    ));
                }
            }
            let mut fields = fields;
            if name {
                // Fields that state the role first (given, family), full names after:
                // a token keeps the role of its first occurrence.
                fields.sort_by_key(|r| match r.kind() {
                    FieldKind::GivenName => 0,
                    FieldKind::FamilyName => 1,
                    _ => 2,
                });
            }
            let has = |f: fn(&LevelRule) -> bool| c.levels.iter().any(|l| f(&l.rule));
            plans.push(FieldPlan {
                fields,
                name,
                phonetic: c.levels.iter().find_map(|l| l.rule.phonetic_code()),
                metaphone: has(|r| matches!(r, LevelRule::Phonetic)),
                needs_tokens: has(|r| matches!(r, LevelRule::Jaccard { .. })),
                needs_nickname: has(|r| matches!(r, LevelRule::Nickname)),
            });
        }
        let mask = |f: fn(&Comparison, u8) -> bool| -> Vec<u16> {
            comparisons
                .iter()
                .map(|c| {
                    (1..c.level_count() as u8)
                        .filter(|&l| f(c, l))
                        .fold(0u16, |m, l| m | (1 << l))
                })
                .collect()
        };
        let veto_masks = mask(Comparison::is_veto);
        let identify_masks = mask(Comparison::identifies);
        let name_part = |given: bool| {
            plans.iter().zip(&comparisons).position(|(p, c)| {
                !p.name
                    && p.fields.len() == 1
                    && p.fields[0].reads_given_name() == Some(given)
                    && c.exact_level().is_some()
            })
        };
        let swap = name_part(true).zip(name_part(false));
        let reads_email = plans
            .iter()
            .any(|p| p.fields.iter().any(|f| f.kind() == FieldKind::Email));
        let name_fields = schema
            .fields()
            .iter()
            .enumerate()
            .filter(|&(_, f)| reads_email && is_name_kind(f.kind))
            .map(|(i, _)| FieldRef::whole(&schema, i))
            .collect();
        let reads_dates = comparisons
            .iter()
            .map(|c| {
                c.levels.iter().any(|l| {
                    matches!(
                        l.rule,
                        LevelRule::DateSwapped
                            | LevelRule::DateWithinDays { .. }
                            | LevelRule::OnePartDiffers
                            | LevelRule::SameYear
                    )
                })
            })
            .collect();
        Ok(ComparisonSet {
            schema,
            comparisons,
            options,
            plans,
            veto_masks,
            identify_masks,
            swap,
            reads_dates,
            name_fields,
        })
    }

    /// The schema records must follow.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The comparisons, in γ order.
    pub fn comparisons(&self) -> &[Comparison] {
        &self.comparisons
    }

    /// Whether γ marks two people: at least `quorum` comparisons at veto levels and
    /// none at an identifying level (see `Config::veto_quorum`).
    #[inline]
    pub fn is_vetoed(&self, g: Gamma, quorum: usize) -> bool {
        let at = |masks: &[u16]| {
            masks
                .iter()
                .enumerate()
                .filter(|&(c, &m)| m & (1 << g.level(c)) != 0)
                .count()
        };
        quorum > 0 && at(&self.veto_masks) >= quorum && at(&self.identify_masks) == 0
    }

    /// Whether comparison `c` is a person-name comparison (one bag of name tokens).
    #[inline]
    pub(crate) fn is_name(&self, c: usize) -> bool {
        self.plans.get(c).is_some_and(|p| p.name)
    }

    /// Whether comparison `c` reads a person's name: a person-name comparison, or a
    /// given-, family- or full-name field.
    pub(crate) fn reads_names(&self, c: usize) -> bool {
        self.plans
            .get(c)
            .is_some_and(|p| p.name || p.fields.first().is_some_and(|f| is_name_kind(f.kind())))
    }

    /// Whether comparison `c` reads a birth date, postcode or city: values one
    /// person's records share and namesakes mostly do not.
    pub(crate) fn tells_namesakes_apart(&self, c: usize) -> bool {
        self.plans.get(c).is_some_and(|p| {
            p.fields.first().is_some_and(|f| {
                matches!(
                    f.kind(),
                    FieldKind::DateOfBirth | FieldKind::Postcode | FieldKind::City
                )
            })
        })
    }

    /// The normalization options.
    pub fn options(&self) -> &NormalizeOptions {
        &self.options
    }

    /// Number of comparisons.
    pub fn len(&self) -> usize {
        self.comparisons.len()
    }

    /// Always false: a set holds at least one comparison.
    pub fn is_empty(&self) -> bool {
        self.comparisons.is_empty()
    }

    /// The canonical text of each value of comparison `c` in `record` (normalized,
    /// invalid values dropped, at most [`MAX_VALUES_PER_FIELD`] over all the fields
    /// it reads). Used for term frequencies. A person-name comparison has one value:
    /// its name tokens, sorted (order-free), joined by spaces.
    pub fn normalized_values(&self, record: &Record, c: usize) -> Vec<String> {
        self.normalized_values_in(&mut FieldValues::new(record, &self.options), c)
    }

    fn normalized_values_in(&self, values: &mut FieldValues<'_>, c: usize) -> Vec<String> {
        let Some(plan) = self.plans.get(c) else {
            return Vec::new();
        };
        if plan.name {
            let tokens = self.name_tokens(plan, values);
            return tokens.key().into_iter().collect();
        }
        distinct_values(plan, values)
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    fn name_tokens(&self, plan: &FieldPlan, values: &mut FieldValues<'_>) -> NameTokens {
        let mut tokens = NameTokens::default();
        // Fields in role order (see `ComparisonSet::new`).
        for f in &plan.fields {
            f.name_tokens(values, &mut tokens);
        }
        tokens
    }

    /// Prepares `record` (which must follow this set's schema) for comparison.
    pub fn prepare(&self, record: &Record) -> Result<PreparedRecord> {
        self.prepare_in(&mut FieldValues::new(record, &self.options))
    }

    /// [`ComparisonSet::prepare`] reading (and filling) `values`, which must hold the
    /// record normalized with this set's options.
    pub(crate) fn prepare_in(&self, values: &mut FieldValues<'_>) -> Result<PreparedRecord> {
        values.record().check(&self.schema)?;
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            scratch.clear();
            let ends = self.prepare_into(values, &mut scratch);
            Ok(self.finish(&scratch, ends))
        })
    }

    /// Appends the prepared values of every comparison to `out`; the end offset of
    /// each comparison's values.
    fn prepare_into(
        &self,
        values: &mut FieldValues<'_>,
        out: &mut Scratch,
    ) -> [u8; MAX_COMPARISONS] {
        let mut ends = [0u8; MAX_COMPARISONS];
        for f in &self.name_fields {
            for name in values.get(f).iter() {
                out.names.push_str(name);
                out.names.push('\n');
            }
        }
        for (c, plan) in self.plans.iter().enumerate() {
            if plan.name {
                let name = self.name_tokens(plan, values);
                if let Some(v) = name.prepare(&self.options, &mut out.chars, &mut out.tokens) {
                    out.values.push(v);
                }
            } else {
                let slots = plan_slots(plan, values);
                let values = &*values;
                for_each_distinct(&slots, values, |slot, i, text| {
                    let phonetic = if plan.metaphone {
                        match values.metaphone(slot, i) {
                            Some((code, len)) if len >= MIN_PHONETIC_CODE_LEN => code,
                            _ => 0,
                        }
                    } else {
                        match plan.phonetic.map(|code| code(text)) {
                            Some(code) if !code.is_empty() => hash_str(&code),
                            _ => 0,
                        }
                    };
                    let v = self.prepare_value(plan, text, phonetic, out);
                    out.values.push(v);
                });
            }
            ends[c] = out.values.len() as u8;
        }
        ends
    }

    /// The prepared record holding `scratch`'s values, tokens and characters, copied
    /// into one buffer allocated at its exact size.
    fn finish(&self, scratch: &Scratch, ends: [u8; MAX_COMPARISONS]) -> PreparedRecord {
        let value_words: &[u64] = bytemuck::cast_slice(&scratch.values);
        let narrow = scratch.chars.iter().all(|&c| c <= 0xFF);
        let per_word = if narrow { 8 } else { WIDE_CHARS_PER_WORD };
        let char_words = scratch.chars.len().div_ceil(per_word);
        let mut words = Vec::with_capacity(value_words.len() + scratch.tokens.len() + char_words);
        words.extend_from_slice(value_words);
        words.extend_from_slice(&scratch.tokens);
        words.extend(scratch.chars.chunks(per_word).map(|c| {
            if narrow {
                let mut unit = [0u8; 8];
                for (u, &c) in unit.iter_mut().zip(c) {
                    *u = c as u8;
                }
                u64::from_ne_bytes(unit)
            } else {
                let mut unit = [0 as CharUnit; WIDE_CHARS_PER_WORD];
                unit[..c.len()].copy_from_slice(c);
                bytemuck::cast::<[CharUnit; WIDE_CHARS_PER_WORD], u64>(unit)
            }
        }));
        let mut record = PreparedRecord {
            words: words.into_boxed_slice(),
            value_count: scratch.values.len() as u16,
            token_count: scratch.tokens.len() as u16,
            ends,
            comparisons: self.plans.len() as u8,
            one_name: false,
            narrow,
        };
        record.one_name = self.swap.is_some_and(|(given, family)| {
            let givens = record.values(given);
            record
                .values(family)
                .iter()
                .any(|f| givens.iter().any(|v| v.hash == f.hash))
        });
        record
    }

    fn prepare_value(
        &self,
        plan: &FieldPlan,
        text: &str,
        phonetic: u64,
        out: &mut Scratch,
    ) -> PreparedValue {
        let hash = hash_str(text);
        // A one-word value is its own first token (and only token): hashed once.
        let hash_of = |part: &str| {
            if part.len() == text.len() {
                hash
            } else {
                hash_str(part)
            }
        };
        let first = text.split(' ').next().unwrap_or("");
        let kind = plan
            .fields
            .first()
            .map_or(FieldKind::FreeText, FieldRef::kind);
        let local = match kind {
            FieldKind::Email => text.split('@').next().unwrap_or(text),
            _ => text,
        };
        let alt_hash = if plan.needs_nickname {
            // Nickname first (Bob → robert), then the spelling-variant key
            // (Mohammad → muhammad, Soekarno → sukarno).
            let canonical = self.options.nicknames.resolve(text);
            out.key.clear();
            name_variant_key_into(canonical, &mut out.key);
            if out.key == text {
                hash
            } else {
                hash_str(&out.key)
            }
        } else if kind == FieldKind::Email {
            hash_str(local)
        } else {
            hash
        };
        let chars = &mut out.chars;
        chars.reserve(text.len().min(MAX_CHARS));
        let chars_start = chars.len() as u32;
        chars.extend(text.chars().take(MAX_CHARS).map(char_unit));
        let chars_len = (chars.len() as u32 - chars_start) as u16;
        // Only an email's local part is shorter than the value.
        let split = match kind {
            FieldKind::Email => local.chars().count().min(chars_len as usize) as u16,
            _ => chars_len,
        };
        let tokens = &mut out.tokens;
        let tokens_start = tokens.len() as u32;
        if plan.needs_tokens {
            let mut t: SmallVec<[u64; 16]> = text
                .split(' ')
                .filter(|t| !t.is_empty())
                .take(MAX_CHARS)
                .map(hash_of)
                .collect();
            t.sort_unstable();
            t.dedup();
            tokens.extend(t);
        }
        let tokens_len = (tokens.len() as u32 - tokens_start) as u16;
        let date = match kind {
            FieldKind::DateOfBirth => parse_compact_date(text),
            _ => None,
        };
        // Offsets fit: at most MAX_VALUES_PER_FIELD values of MAX_CHARS chars (and as
        // many tokens) for each of at most MAX_COMPARISONS comparisons.
        PreparedValue {
            hash,
            alt_hash: alt_hash as u32,
            phonetic: phonetic as u32,
            first_token: (hash_of(first) ^ mix(1)) as u32,
            date: PreparedValue::pack_date(date),
            chars_start: chars_start as u16,
            chars_len: chars_len as u8,
            split: split as u8,
            local_from_name: u8::from(
                kind == FieldKind::Email && local_part_from_name(local, out.names.split('\n')),
            ),
            tokens_start: tokens_start as u16,
            tokens_len: tokens_len as u8,
        }
    }
}

/// Buffers a record is prepared in before it is copied out at its exact size: kept
/// per thread and reused, so growing them costs nothing after the first records.
#[derive(Default)]
struct Scratch {
    chars: Vec<CharUnit>,
    tokens: Vec<u64>,
    values: Vec<PreparedValue>,
    /// A name's variant key.
    key: String,
    /// The record's normalized name values, one per line (for e-mail local parts).
    names: String,
}

impl Scratch {
    fn clear(&mut self) {
        self.chars.clear();
        self.tokens.clear();
        self.values.clear();
        self.key.clear();
        self.names.clear();
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The distinct normalized values of the (non-name) fields `plan` reads, in field
/// order, at most [`MAX_VALUES_PER_FIELD`]: borrowed, so preparing a record copies
/// each value's text once, into its character buffer.
fn distinct_values<'v>(
    plan: &FieldPlan,
    values: &'v mut FieldValues<'_>,
) -> SmallVec<[&'v str; MAX_VALUES_PER_FIELD]> {
    let slots = plan_slots(plan, values);
    let mut out = SmallVec::new();
    for_each_distinct(&slots, values, |_, _, s| out.push(s));
    out
}

/// The slots of the fields `plan` reads (normalizing them unless done already).
fn plan_slots(plan: &FieldPlan, values: &mut FieldValues<'_>) -> SmallVec<[usize; 4]> {
    plan.fields.iter().map(|f| values.slot(f)).collect()
}

/// Calls `f` with each of [`distinct_values`] at `slots`, with the slot and index it
/// was first found at (a visitor: nothing is collected and moved on the hot path).
fn for_each_distinct<'v>(
    slots: &[usize],
    values: &'v FieldValues<'_>,
    mut f: impl FnMut(usize, usize, &'v str),
) {
    let mut seen: SmallVec<[&str; MAX_VALUES_PER_FIELD]> = SmallVec::new();
    for &slot in slots {
        for (i, s) in values.at(slot).iter().enumerate() {
            if seen.len() < MAX_VALUES_PER_FIELD && !seen.contains(&s) {
                seen.push(s);
                f(slot, i, s);
            }
        }
    }
}

fn is_name_kind(kind: FieldKind) -> bool {
    matches!(
        kind,
        FieldKind::GivenName | FieldKind::FamilyName | FieldKind::FullName
    )
}

fn parse_compact_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 8 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u16>().ok());
    Date::new(n(0..4)?, n(4..6)? as u8, n(6..8)? as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_fit_16_bits_and_those_beyond_never_equal_one_that_fits() {
        for c in ['a', 'é', 'Ђ', 'ع', '김', '\u{FFFD}'] {
            assert_eq!(u32::from(char_unit(c)), c as u32);
        }
        for c in ['😀', '𠀋', '\u{10FFFF}'] {
            let unit = char_unit(c);
            assert!((0xD800..=0xDFFF).contains(&unit), "{c:?} → {unit:#x}");
            assert!(
                char::from_u32(u32::from(unit)).is_none(),
                "no character is {unit:#x}"
            );
        }
        assert_ne!(char_unit('😀'), char_unit('😁'));
    }
}
