//! The envelope around every snapshot: a format name, a format version and a
//! checksum of the payload (feature `serde`).
//!
//! A snapshot serializes as `{format, format_version, checksum, payload}`. Keys are
//! read in any order (a tool may sort them, a database reorder them). The checksum is
//! a 64-bit FNV-1a over a canonical binary encoding of the payload — every value
//! tagged with its type, strings and byte strings length-prefixed, struct field names
//! included — computed by walking the payload's `Serialize` implementation, so it is
//! the same whatever serde format carries the snapshot (JSON, bincode, …). Every part
//! of a snapshot serializes deterministically (sorted tables, never a hash map's
//! iteration order), so the payload read back hashes to the value written.
//!
//! Compatibility rule: a snapshot is read only by a `sameas` whose
//! [`SNAPSHOT_VERSION`] equals the snapshot's `format_version`. Any change to what a
//! snapshot holds or how it is encoded bumps the version; a snapshot of another
//! version is refused with an error naming the version found and the version
//! supported (re-create it from the records, or restore it with the release that
//! wrote it).

use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, SerializeStruct};
use serde::{Deserializer, Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// The snapshot format version this build writes and reads (see
/// [`GraphSnapshot`](crate::GraphSnapshot) for the compatibility rule).
pub const SNAPSHOT_VERSION: u32 = 2;

/// The prefix of a checksum: the algorithm, so that another one can follow.
const CHECKSUM_PREFIX: &str = "fnv1a64:";

/// The checksum of `value`'s canonical encoding, as written in a snapshot.
pub(crate) fn checksum<T: Serialize + ?Sized>(value: &T) -> Result<String, String> {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    value.serialize(&mut h).map_err(|e| e.0)?;
    Ok(format!("{CHECKSUM_PREFIX}{:016x}", h.0))
}

/// Serializes `data` (the payload) in the envelope of a snapshot of kind `format`.
pub(crate) fn serialize<S: Serializer, T: Serialize>(
    format: &'static str,
    data: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let sum = checksum(data).map_err(ser::Error::custom)?;
    let mut s = serializer.serialize_struct("Snapshot", 4)?;
    s.serialize_field("format", format)?;
    s.serialize_field("format_version", &SNAPSHOT_VERSION)?;
    s.serialize_field("checksum", &sum)?;
    s.serialize_field("payload", data)?;
    s.end()
}

/// Reads a snapshot of kind `format` written by [`serialize`]: the format and the
/// version are checked as soon as they are read, the checksum once the payload is.
pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: Serialize + DeserializeOwned>(
    format: &'static str,
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_struct(
        "Snapshot",
        &["format", "format_version", "checksum", "payload"],
        EnvelopeVisitor {
            format,
            data: PhantomData,
        },
    )
}

struct EnvelopeVisitor<T> {
    format: &'static str,
    data: PhantomData<T>,
}

impl<T> EnvelopeVisitor<T> {
    fn check_format<E: de::Error>(&self, found: &str) -> Result<(), E> {
        if found == self.format {
            Ok(())
        } else {
            Err(E::custom(format!(
                "not a {} snapshot (its format is {found:?})",
                self.format
            )))
        }
    }

    fn check_version<E: de::Error>(&self, found: u64) -> Result<(), E> {
        if found == u64::from(SNAPSHOT_VERSION) {
            Ok(())
        } else {
            Err(E::custom(format!(
                "snapshot format version {found} is not supported: this sameas reads version {SNAPSHOT_VERSION} only"
            )))
        }
    }

    fn unversioned<E: de::Error>(&self) -> E {
        E::custom(format!(
            "not a versioned {} snapshot (no format version; written by an older sameas?): this sameas reads version {SNAPSHOT_VERSION} only",
            self.format
        ))
    }

    fn finish<E: de::Error>(
        &self,
        format: Option<String>,
        version: Option<u64>,
        sum: Option<String>,
        data: Option<T>,
    ) -> Result<T, E>
    where
        T: Serialize,
    {
        let (Some(_), Some(_)) = (format, version) else {
            return Err(self.unversioned());
        };
        let sum = sum.ok_or_else(|| E::custom("snapshot has no checksum"))?;
        let data = data.ok_or_else(|| E::custom("snapshot has no payload"))?;
        let actual = checksum(&data).map_err(E::custom)?;
        if actual != sum {
            return Err(E::custom(format!(
                "snapshot checksum mismatch: the file says {sum}, its data hashes to {actual} \
                 (the snapshot was changed or corrupted after it was written, or read through \
                 a format that does not round-trip floats exactly)"
            )));
        }
        Ok(data)
    }
}

impl<'de, T: Serialize + DeserializeOwned> Visitor<'de> for EnvelopeVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} snapshot", self.format)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let (mut format, mut version, mut sum, mut data) = (None, None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => {
                    let f: String = map.next_value()?;
                    self.check_format(&f)?;
                    format = Some(f);
                }
                "format_version" => {
                    let v: u64 = map.next_value()?;
                    self.check_version(v)?;
                    version = Some(v);
                }
                "checksum" => sum = Some(map.next_value()?),
                "payload" => data = Some(map.next_value()?),
                _ if format.is_none() || version.is_none() => return Err(self.unversioned()),
                other => {
                    return Err(de::Error::custom(format!(
                        "unknown key {other:?} in a {} snapshot",
                        self.format
                    )))
                }
            }
        }
        self.finish(format, version, sum, data)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        let short = || de::Error::custom("snapshot envelope is too short");
        let format: String = seq.next_element()?.ok_or_else(short)?;
        self.check_format(&format)?;
        let version: u64 = seq.next_element()?.ok_or_else(short)?;
        self.check_version(version)?;
        let sum: String = seq.next_element()?.ok_or_else(short)?;
        let data: T = seq.next_element()?.ok_or_else(short)?;
        self.finish(Some(format), Some(version), Some(sum), Some(data))
    }
}

/// 64-bit FNV-1a over the canonical encoding, fed by serde.
struct Fnv(u64);

impl Fnv {
    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// A type tag, then the value's bytes.
    fn tagged(&mut self, tag: u8, bytes: &[u8]) {
        self.bytes(&[tag]);
        self.bytes(bytes);
    }

    /// A type tag, then a length-prefixed byte string.
    fn string(&mut self, tag: u8, bytes: &[u8]) {
        self.tagged(tag, &(bytes.len() as u64).to_le_bytes());
        self.bytes(bytes);
    }
}

/// The only error of hashing: one a `Serialize` implementation raised.
#[derive(Debug)]
struct HashError(String);

impl fmt::Display for HashError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HashError {}

impl ser::Error for HashError {
    fn custom<M: fmt::Display>(msg: M) -> Self {
        HashError(msg.to_string())
    }
}

// Type tags of the canonical encoding.
const T_BOOL: u8 = 1;
const T_INT: u8 = 2;
const T_UINT: u8 = 3;
const T_FLOAT: u8 = 4;
const T_CHAR: u8 = 5;
const T_STR: u8 = 6;
const T_BYTES: u8 = 7;
const T_NONE: u8 = 8;
const T_SOME: u8 = 9;
const T_UNIT: u8 = 10;
const T_VARIANT: u8 = 11;
const T_NEWTYPE: u8 = 12;
const T_SEQ: u8 = 13;
const T_MAP: u8 = 14;
const T_FIELD: u8 = 15;
const T_END: u8 = 16;

type Done = Result<(), HashError>;

/// Narrow numbers hash as their widest kind: a field that widens keeps its checksum.
macro_rules! widen {
    ($($method:ident($t:ty) => $wide:ident),*) => {$(
        fn $method(self, v: $t) -> Done {
            self.$wide(v.into())
        }
    )*};
}

impl Serializer for &mut Fnv {
    type Ok = ();
    type Error = HashError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Done {
        self.tagged(T_BOOL, &[u8::from(v)]);
        Ok(())
    }
    widen!(
        serialize_i8(i8) => serialize_i128,
        serialize_i16(i16) => serialize_i128,
        serialize_i32(i32) => serialize_i128,
        serialize_i64(i64) => serialize_i128,
        serialize_u8(u8) => serialize_u128,
        serialize_u16(u16) => serialize_u128,
        serialize_u32(u32) => serialize_u128,
        serialize_u64(u64) => serialize_u128,
        serialize_f32(f32) => serialize_f64
    );
    fn serialize_i128(self, v: i128) -> Done {
        self.tagged(T_INT, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Done {
        self.tagged(T_UINT, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Done {
        self.tagged(T_FLOAT, &v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Done {
        self.tagged(T_CHAR, &u32::from(v).to_le_bytes());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Done {
        self.string(T_STR, v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Done {
        self.string(T_BYTES, v);
        Ok(())
    }
    fn serialize_none(self) -> Done {
        self.tagged(T_NONE, &[]);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Done {
        self.tagged(T_SOME, &[]);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Done {
        self.tagged(T_UNIT, &[]);
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Done {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &str) -> Done {
        self.string(T_VARIANT, variant.as_bytes());
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Done {
        self.tagged(T_NEWTYPE, &[]);
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Done {
        self.string(T_VARIANT, variant.as_bytes());
        value.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, HashError> {
        self.tagged(T_SEQ, &[]);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, HashError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, HashError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, HashError> {
        self.string(T_VARIANT, variant.as_bytes());
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self, HashError> {
        self.tagged(T_MAP, &[]);
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self, HashError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, HashError> {
        self.string(T_VARIANT, variant.as_bytes());
        self.serialize_map(Some(len))
    }
}

/// Every compound: its elements (map keys and values) in order, then an end tag (so
/// that nesting is unambiguous without knowing lengths up front).
macro_rules! compound {
    ($($trait:ident :: { $($method:ident),+ }),*) => {$(
        impl ser::$trait for &mut Fnv {
            type Ok = ();
            type Error = HashError;
            $(fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
                value.serialize(&mut **self)
            })+
            fn end(self) -> Done {
                self.tagged(T_END, &[]);
                Ok(())
            }
        }
    )*};
}

compound!(
    SerializeSeq::{serialize_element},
    SerializeTuple::{serialize_element},
    SerializeTupleStruct::{serialize_field},
    SerializeTupleVariant::{serialize_field},
    SerializeMap::{serialize_key, serialize_value}
);

/// Structs: each field's name, then its value, then an end tag.
macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for &mut Fnv {
            type Ok = ();
            type Error = HashError;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Done {
                self.string(T_FIELD, key.as_bytes());
                value.serialize(&mut **self)
            }
            fn end(self) -> Done {
                self.tagged(T_END, &[]);
                Ok(())
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);
