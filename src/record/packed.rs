//! The packed form a [`Record`](super::Record) keeps its id, source and values in: one
//! byte buffer per record.
//!
//! A million records stay in memory for golden records, explanations and snapshots.
//! As one `String` per value they cost about 700 bytes each (a heap block per value,
//! id and source); packed, about 200.
//!
//! Layout, every number a LEB128 varint: id length, id bytes, source length, source
//! bytes, field count, then per field its value count and per value a header
//! (`length << 1`, or `1` for a date) followed by the text bytes, or the four bytes
//! of a date (year little-endian, month, day).

use super::{Date, Value};

/// Appends `n` as a LEB128 varint.
fn push_varint(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7F) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Reads a varint at `*at`, moving past it (0 past the end: the buffer is only ever
/// written by [`pack`], so it is well formed).
fn read_varint(buf: &[u8], at: &mut usize) -> u64 {
    let mut n = 0u64;
    let mut shift = 0;
    while let Some(&byte) = buf.get(*at) {
        *at += 1;
        n |= u64::from(byte & 0x7F) << shift;
        if byte & 0x80 == 0 || shift >= 63 {
            break;
        }
        shift += 7;
    }
    n
}

fn push_text(out: &mut Vec<u8>, text: &str) {
    push_varint(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

/// Packs a record's parts (see the module documentation).
#[cfg(any(test, feature = "serde"))]
pub(super) fn pack(id: &str, source: &str, fields: &[Vec<Value>]) -> Box<[u8]> {
    fn borrowed(v: &Value) -> ValueRef<'_> {
        match v {
            Value::Text(s) => ValueRef::Text(s),
            Value::Date(d) => ValueRef::Date(*d),
        }
    }
    pack_fields(
        id,
        source,
        fields.iter().map(|f| f.len()),
        fields.iter().flatten().map(borrowed),
    )
}

/// Packs the fields whose value counts are `counts` (one per field, in order), their
/// values coming one field after another from `values`.
pub(super) fn pack_fields<'a>(
    id: &str,
    source: &str,
    counts: impl ExactSizeIterator<Item = usize>,
    values: impl Iterator<Item = ValueRef<'a>> + Clone,
) -> Box<[u8]> {
    let text: usize = values.clone().map(value_len).sum();
    let mut out = Vec::with_capacity(id.len() + source.len() + text + 4 * counts.len() + 8);
    push_text(&mut out, id);
    push_text(&mut out, source);
    push_varint(&mut out, counts.len() as u64);
    let mut values = values;
    for count in counts {
        push_varint(&mut out, count as u64);
        for value in values.by_ref().take(count) {
            match value {
                ValueRef::Text(s) => {
                    push_varint(&mut out, (s.len() as u64) << 1);
                    out.extend_from_slice(s.as_bytes());
                }
                ValueRef::Date(d) => {
                    push_varint(&mut out, 1);
                    out.extend_from_slice(&d.year.to_le_bytes());
                    out.extend_from_slice(&[d.month, d.day]);
                }
            }
        }
    }
    out.into_boxed_slice()
}

fn value_len(v: ValueRef<'_>) -> usize {
    match v {
        ValueRef::Text(s) => s.len() + 2,
        ValueRef::Date(_) => 5,
    }
}

/// The text at `*at` (a length and its bytes), moving past it.
fn read_text<'a>(buf: &'a [u8], at: &mut usize) -> &'a str {
    let len = read_varint(buf, at) as usize;
    as_text(take(buf, at, len))
}

/// The `len` bytes at `*at` (fewer at the end of `buf`), moving past them.
fn take<'a>(buf: &'a [u8], at: &mut usize, len: usize) -> &'a [u8] {
    let start = (*at).min(buf.len());
    let end = start.saturating_add(len).min(buf.len());
    *at = end;
    &buf[start..end]
}

/// Packed text bytes as `&str` (always valid: they were a `&str` when packed).
fn as_text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or_default()
}

/// Moves past a length-prefixed text at `*at` without reading it.
fn skip_text(buf: &[u8], at: &mut usize) {
    let len = read_varint(buf, at) as usize;
    take(buf, at, len);
}

/// The record id.
pub(super) fn id(buf: &[u8]) -> &str {
    read_text(buf, &mut 0)
}

/// The source.
pub(super) fn source(buf: &[u8]) -> &str {
    let mut at = 0;
    skip_text(buf, &mut at);
    read_text(buf, &mut at)
}

/// The offset of the field count (past the id and the source, unread).
fn fields_at(buf: &[u8]) -> usize {
    let mut at = 0;
    skip_text(buf, &mut at);
    skip_text(buf, &mut at);
    at
}

/// Number of fields.
pub(super) fn field_count(buf: &[u8]) -> usize {
    read_varint(buf, &mut fields_at(buf)) as usize
}

/// Calls `f(field, is_date)` for every value, in order, reading only the values'
/// headers.
pub(super) fn each_value_kind(buf: &[u8], mut f: impl FnMut(usize, bool)) {
    let mut at = fields_at(buf);
    let fields = read_varint(buf, &mut at) as usize;
    for field in 0..fields {
        let count = read_varint(buf, &mut at);
        for _ in 0..count {
            f(field, skip_value(buf, &mut at));
        }
    }
}

/// The values of field `index` (none when out of range).
pub(super) fn values(buf: &[u8], index: usize) -> Values<'_> {
    let mut at = fields_at(buf);
    let fields = read_varint(buf, &mut at) as usize;
    if index >= fields {
        return Values { buf, at, len: 0 };
    }
    for _ in 0..index {
        let count = read_varint(buf, &mut at);
        for _ in 0..count {
            skip_value(buf, &mut at);
        }
    }
    let len = read_varint(buf, &mut at) as usize;
    Values { buf, at, len }
}

/// Moves past the value at `*at`; whether it is a date.
fn skip_value(buf: &[u8], at: &mut usize) -> bool {
    value_bytes(buf, at).0
}

/// The value at `*at`: whether it is a date, and its bytes; moves past it.
fn value_bytes<'a>(buf: &'a [u8], at: &mut usize) -> (bool, &'a [u8]) {
    let head = read_varint(buf, at);
    let is_date = head & 1 == 1;
    let len = if is_date { 4 } else { (head >> 1) as usize };
    (is_date, take(buf, at, len))
}

fn read_value<'a>(buf: &'a [u8], at: &mut usize) -> ValueRef<'a> {
    match value_bytes(buf, at) {
        (true, bytes) => {
            let b = |i: usize| bytes.get(i).copied().unwrap_or(0);
            ValueRef::Date(Date {
                year: u16::from_le_bytes([b(0), b(1)]),
                month: b(2),
                day: b(3),
            })
        }
        (false, bytes) => ValueRef::Text(as_text(bytes)),
    }
}

/// One value of a [`Record`](super::Record), borrowed from it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueRef<'a> {
    /// Text, as the source gave it.
    Text(&'a str),
    /// An already-parsed date.
    Date(Date),
}

impl ValueRef<'_> {
    /// The value as text (dates in ISO form).
    pub fn to_text(&self) -> String {
        match self {
            ValueRef::Text(s) => s.to_string(),
            ValueRef::Date(d) => d.to_string(),
        }
    }

    /// An owned copy.
    pub fn to_value(&self) -> Value {
        match *self {
            ValueRef::Text(s) => Value::Text(s.to_string()),
            ValueRef::Date(d) => Value::Date(d),
        }
    }
}

impl std::fmt::Debug for ValueRef<'_> {
    /// Redacted, like [`Value`]'s.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.to_value().fmt(f)
    }
}

impl PartialEq<Value> for ValueRef<'_> {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (ValueRef::Text(a), Value::Text(b)) => *a == b.as_str(),
            (ValueRef::Date(a), Value::Date(b)) => a == b,
            _ => false,
        }
    }
}

impl From<ValueRef<'_>> for Value {
    fn from(v: ValueRef<'_>) -> Value {
        v.to_value()
    }
}

/// The values of one field of a [`Record`](super::Record), in the order given.
#[derive(Clone, Copy)]
pub struct Values<'a> {
    buf: &'a [u8],
    /// Offset of the first value's header.
    at: usize,
    len: usize,
}

impl<'a> Values<'a> {
    /// Number of values.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the field has no value.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The values, in order.
    pub fn iter(&self) -> ValuesIter<'a> {
        ValuesIter {
            buf: self.buf,
            at: self.at,
            left: self.len,
        }
    }

    /// The first value.
    pub fn first(&self) -> Option<ValueRef<'a>> {
        self.iter().next()
    }

    /// The `n`th value.
    pub fn get(&self, n: usize) -> Option<ValueRef<'a>> {
        self.iter().nth(n)
    }

    /// Owned copies of the values.
    pub fn to_vec(&self) -> Vec<Value> {
        self.iter().map(|v| v.to_value()).collect()
    }
}

impl std::fmt::Debug for Values<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq<[Value]> for Values<'_> {
    fn eq(&self, other: &[Value]) -> bool {
        self.len == other.len() && self.iter().zip(other).all(|(a, b)| a == *b)
    }
}

impl<const N: usize> PartialEq<[Value; N]> for Values<'_> {
    fn eq(&self, other: &[Value; N]) -> bool {
        *self == other[..]
    }
}

impl<'a> IntoIterator for Values<'a> {
    type Item = ValueRef<'a>;
    type IntoIter = ValuesIter<'a>;

    fn into_iter(self) -> ValuesIter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &Values<'a> {
    type Item = ValueRef<'a>;
    type IntoIter = ValuesIter<'a>;

    fn into_iter(self) -> ValuesIter<'a> {
        self.iter()
    }
}

/// Iterator over [`Values`].
#[derive(Clone)]
pub struct ValuesIter<'a> {
    buf: &'a [u8],
    at: usize,
    left: usize,
}

impl<'a> Iterator for ValuesIter<'a> {
    type Item = ValueRef<'a>;

    fn next(&mut self) -> Option<ValueRef<'a>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        Some(read_value(self.buf, &mut self.at))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for ValuesIter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn any_value() -> impl Strategy<Value = Value> {
        prop_oneof![
            ".{0,40}".prop_map(Value::Text),
            (1u16..=9999, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Value::Date(Date {
                year: y,
                month: m,
                day: d
            })),
        ]
    }

    proptest! {
        /// Whatever is packed reads back the same: id, source, every field's values
        /// in order, out-of-range fields empty.
        #[test]
        fn packing_round_trips(
            id in ".{0,30}",
            source in ".{0,12}",
            fields in prop::collection::vec(prop::collection::vec(any_value(), 0..4), 0..12),
        ) {
            let buf = pack(&id, &source, &fields);
            prop_assert_eq!((super::id(&buf), super::source(&buf)), (id.as_str(), source.as_str()));
            let mut kinds = Vec::new();
            each_value_kind(&buf, |f, is_date| kinds.push((f, is_date)));
            let expected: Vec<(usize, bool)> = fields
                .iter()
                .enumerate()
                .flat_map(|(f, vs)| vs.iter().map(move |v| (f, matches!(v, Value::Date(_)))))
                .collect();
            prop_assert_eq!(kinds, expected);
            prop_assert_eq!(field_count(&buf), fields.len());
            for (f, field) in fields.iter().enumerate() {
                let got = values(&buf, f);
                prop_assert_eq!(got.len(), field.len());
                prop_assert_eq!(got.to_vec(), field.clone());
                prop_assert!(got == field[..]);
            }
            prop_assert!(values(&buf, fields.len()).is_empty());
        }
    }

    #[test]
    fn long_values_keep_their_length() {
        let long = "é".repeat(100_000);
        let fields = vec![vec![Value::Text(long.clone())], vec![Value::from("a")]];
        let buf = pack("r", "", &fields);
        assert_eq!(values(&buf, 0).first(), Some(ValueRef::Text(&long)));
        assert_eq!(values(&buf, 1).first(), Some(ValueRef::Text("a")));
    }
}
