//! Records, schemas and field kinds.
//!
//! A [`Schema`] names the fields of the data and gives each a [`FieldKind`], which
//! decides how it is normalized, compared and blocked on. A [`Record`] is one row from
//! one source system: the caller's id (source systems own their keys), the source, the
//! time it was observed, and zero or more values per field.

use crate::error::{Error, ErrorKind, Result};
use std::fmt;

mod packed;

pub use packed::{ValueRef, Values, ValuesIter};

/// What a field holds; decides its normalizer, comparison and blocking keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum FieldKind {
    /// Given (first) name, possibly several.
    GivenName,
    /// Family name (surname).
    FamilyName,
    /// A whole name in one string, split into given and family parts when prepared.
    FullName,
    /// E-mail address.
    Email,
    /// Telephone number.
    Phone,
    /// Date of birth.
    DateOfBirth,
    /// Street address (street, house number, …).
    StreetAddress,
    /// City or town.
    City,
    /// Postal code.
    Postcode,
    /// Country name or code.
    Country,
    /// Strong identifier (loyalty or customer number): two different values from the
    /// same source mean two different people.
    StrongId,
    /// Device or cookie identifier.
    DeviceId,
    /// Free text.
    FreeText,
    /// A category from a small set (gender, state, segment, …).
    Category,
}

impl FieldKind {
    /// Whether a value of this kind belongs to one person rather than to a household:
    /// given or full names and birth dates. Addresses, phones, family names and cards
    /// are often shared by people who live together, e-mails now and then (see
    /// [`FieldKind::sometimes_shared_by_household`]). Training uses this to
    /// seed its "same household, different person" class (see
    /// [`EmSettings::household_shared`](crate::model::EmSettings::household_shared)).
    pub fn describes_one_person(self) -> bool {
        matches!(
            self,
            FieldKind::GivenName | FieldKind::FullName | FieldKind::DateOfBirth
        )
    }

    /// Whether people who live together share a value of this kind only now and then,
    /// the way twins share a birth date: birth dates, and e-mail addresses (mostly one
    /// person's own, sometimes a family mailbox). Training draws a household pair on
    /// such a comparison like strangers, except for a share of pairs, learned from the
    /// data, that agree on it as one person's records do
    /// ([`EmSettings::household_alike_on`](crate::model::EmSettings::household_alike_on)).
    /// Were e-mails counted as shared, a pair with one mailbox and two given names
    /// (a nickname the table lacks) would pass for a household.
    ///
    /// ```
    /// use sameas::FieldKind;
    /// assert!(FieldKind::Email.sometimes_shared_by_household());
    /// assert!(!FieldKind::Phone.sometimes_shared_by_household());
    /// ```
    pub fn sometimes_shared_by_household(self) -> bool {
        matches!(self, FieldKind::Email | FieldKind::DateOfBirth)
    }

    /// Every kind, in declaration order.
    pub const ALL: [FieldKind; 14] = [
        FieldKind::GivenName,
        FieldKind::FamilyName,
        FieldKind::FullName,
        FieldKind::Email,
        FieldKind::Phone,
        FieldKind::DateOfBirth,
        FieldKind::StreetAddress,
        FieldKind::City,
        FieldKind::Postcode,
        FieldKind::Country,
        FieldKind::StrongId,
        FieldKind::DeviceId,
        FieldKind::FreeText,
        FieldKind::Category,
    ];

    /// The snake_case name used in configs (`"given_name"`, `"date_of_birth"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::GivenName => "given_name",
            FieldKind::FamilyName => "family_name",
            FieldKind::FullName => "full_name",
            FieldKind::Email => "email",
            FieldKind::Phone => "phone",
            FieldKind::DateOfBirth => "date_of_birth",
            FieldKind::StreetAddress => "street_address",
            FieldKind::City => "city",
            FieldKind::Postcode => "postcode",
            FieldKind::Country => "country",
            FieldKind::StrongId => "strong_id",
            FieldKind::DeviceId => "device_id",
            FieldKind::FreeText => "free_text",
            FieldKind::Category => "category",
        }
    }

    /// Parses the snake_case name produced by [`FieldKind::as_str`].
    pub fn parse(name: &str) -> Result<FieldKind> {
        FieldKind::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidSchema,
                    format!("unknown field kind {name:?}"),
                )
            })
    }
}

impl fmt::Display for FieldKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One named field of a [`Schema`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct FieldDef {
    /// The field's name, unique within its schema.
    pub name: String,
    /// What the field holds.
    pub kind: FieldKind,
    /// For a birth date given in three columns, the columns (see
    /// [`Schema::with_date_parts`]); `None` for a field read from its own column.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub parts: Option<DateParts>,
}

/// The year, month and day columns a date field is read from when the data has no
/// column with the whole date (web forms' three drop-downs, register extracts such as
/// `by`, `bm`, `bd`). The record holds the date put together (`1967-09-27`), so every
/// date level — a swapped day and month, one digit off — works as on a whole date.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct DateParts {
    /// The year column.
    pub year: String,
    /// The month column (a number or a month's name).
    pub month: String,
    /// The day column.
    pub day: String,
}

impl DateParts {
    /// The three column names, year first.
    pub fn names(&self) -> [&str; 3] {
        [&self.year, &self.month, &self.day]
    }

    /// Which part column `name` is.
    fn part_of(&self, name: &str) -> Option<DatePart> {
        let i = self.names().iter().position(|n| *n == name)?;
        Some(DatePart::ALL[i])
    }
}

/// One part of a date given in parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DatePart {
    /// The year.
    Year,
    /// The month.
    Month,
    /// The day of the month.
    Day,
}

impl DatePart {
    /// Every part, in the order of [`DateParts::names`].
    pub const ALL: [DatePart; 3] = [DatePart::Year, DatePart::Month, DatePart::Day];
}

/// What a column of the data feeds in a [`Schema`] (see [`Schema::column`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// The field at this index.
    Field(usize),
    /// One part of the date field at this index.
    DatePart(usize, DatePart),
}

/// The most fields a schema may declare (field indexes are stored in a byte).
pub const MAX_FIELDS: usize = 64;

/// The named fields of the data, each with a [`FieldKind`].
///
/// ```
/// use sameas::{FieldKind, Schema};
/// let schema = Schema::new()
///     .with_field("first", FieldKind::GivenName)?
///     .with_field("email", FieldKind::Email)?;
/// assert_eq!(schema.index_of("email"), Some(1));
/// # Ok::<(), sameas::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "Vec<FieldDef>", into = "Vec<FieldDef>")
)]
pub struct Schema {
    fields: Vec<FieldDef>,
}

impl Schema {
    /// An empty schema.
    pub fn new() -> Self {
        Schema::default()
    }

    /// Builds a schema from `(name, kind)` pairs, checking names are unique and non-empty.
    pub fn from_fields<S: Into<String>>(
        fields: impl IntoIterator<Item = (S, FieldKind)>,
    ) -> Result<Self> {
        fields
            .into_iter()
            .try_fold(Schema::new(), |s, (n, k)| s.with_field(n, k))
    }

    /// Adds a field; fails on an empty or duplicate name or past [`MAX_FIELDS`].
    pub fn with_field(mut self, name: impl Into<String>, kind: FieldKind) -> Result<Self> {
        let name = name.into();
        if name.trim().is_empty() {
            return Err(Error::new(ErrorKind::InvalidSchema, "field name is empty"));
        }
        self.check_new_column(&name)?;
        if self.fields.len() >= MAX_FIELDS {
            return Err(Error::new(
                ErrorKind::InvalidSchema,
                format!("a schema holds at most {MAX_FIELDS} fields"),
            ));
        }
        self.fields.push(FieldDef {
            name,
            kind,
            parts: None,
        });
        Ok(self)
    }

    /// Adds a date-of-birth field called `name` whose records give the date in three
    /// columns (see [`DateParts`]): the record builder takes the parts by their column
    /// names ([`RecordBuilder::value`]) and puts the date together. Fails as
    /// [`Schema::with_field`] does, and when a part's name is empty, repeats another
    /// column or is `name` itself.
    ///
    /// ```
    /// use sameas::record::{DateParts, Record};
    /// use sameas::{Schema, Value};
    /// let parts = DateParts { year: "by".into(), month: "bm".into(), day: "bd".into() };
    /// let schema = Schema::new().with_date_parts("birth", parts)?;
    /// let r = Record::builder(&schema, "r1")
    ///     .value("by", "1967").value("bm", "9").value("bd", "27")
    ///     .build()?;
    /// assert_eq!(r.values(0), [Value::Text("1967-09-27".into())]);
    /// # Ok::<(), sameas::Error>(())
    /// ```
    pub fn with_date_parts(self, name: impl Into<String>, parts: DateParts) -> Result<Self> {
        let name = name.into();
        for (i, part) in parts.names().into_iter().enumerate() {
            if part.trim().is_empty() {
                return Err(Error::new(
                    ErrorKind::InvalidSchema,
                    format!("a date part column of field {name:?} has an empty name"),
                ));
            }
            if part == name || parts.names()[..i].contains(&part) {
                return Err(Error::new(
                    ErrorKind::InvalidSchema,
                    format!("column {part:?} is named twice in date field {name:?}"),
                ));
            }
            self.check_new_column(part)?;
        }
        let mut schema = self.with_field(name, FieldKind::DateOfBirth)?;
        if let Some(last) = schema.fields.last_mut() {
            last.parts = Some(parts);
        }
        Ok(schema)
    }

    /// Lets the date field at `index` also be read from `parts` (a table that gives
    /// the date in parts beside one that gives it whole).
    pub(crate) fn attach_date_parts(mut self, index: usize, parts: DateParts) -> Result<Self> {
        for part in parts.names() {
            self.check_new_column(part)?;
        }
        match self.fields.get_mut(index) {
            Some(f) if f.kind == FieldKind::DateOfBirth && f.parts.is_none() => {
                f.parts = Some(parts);
                Ok(self)
            }
            _ => Err(Error::new(
                ErrorKind::InvalidSchema,
                format!("field {index} cannot take date parts"),
            )),
        }
    }

    /// Fails when `name` already names a field or a date part column.
    fn check_new_column(&self, name: &str) -> Result<()> {
        match self.column(name) {
            Some(_) => Err(Error::new(
                ErrorKind::InvalidSchema,
                format!("field {name:?} is declared twice"),
            )),
            None => Ok(()),
        }
    }

    /// Where the data's column `name` goes: a field of that name, or a part of a date
    /// field read from parts; `None` when the schema does not use it.
    pub fn column(&self, name: &str) -> Option<Column> {
        self.index_of(name).map(Column::Field).or_else(|| {
            self.fields.iter().enumerate().find_map(|(i, f)| {
                let part = f.parts.as_ref()?.part_of(name)?;
                Some(Column::DatePart(i, part))
            })
        })
    }

    /// The fields, in declaration order.
    pub fn fields(&self) -> &[FieldDef] {
        &self.fields
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// True when no field is declared.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Index of the field called `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// The field called `name`, or an [`ErrorKind::UnknownField`] error naming it.
    pub fn field(&self, name: &str) -> Result<(usize, &FieldDef)> {
        self.index_of(name)
            .map(|i| (i, &self.fields[i]))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::UnknownField,
                    format!(
                        "field {name:?} is not in the schema (known: {})",
                        self.fields
                            .iter()
                            .map(|f| f.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
    }
}

impl TryFrom<Vec<FieldDef>> for Schema {
    type Error = Error;
    fn try_from(fields: Vec<FieldDef>) -> Result<Self> {
        fields
            .into_iter()
            .try_fold(Schema::new(), |schema, f| match f.parts {
                None => schema.with_field(f.name, f.kind),
                Some(parts) if f.kind == FieldKind::DateOfBirth => {
                    schema.with_date_parts(f.name, parts)
                }
                Some(_) => Err(Error::new(
                    ErrorKind::InvalidSchema,
                    format!(
                        "field {:?} is of kind {} and cannot be read from date parts",
                        f.name, f.kind
                    ),
                )),
            })
    }
}

impl From<Schema> for Vec<FieldDef> {
    fn from(s: Schema) -> Self {
        s.fields
    }
}

/// A calendar date (proleptic Gregorian), already validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Date {
    /// Year, 1..=9999.
    pub year: u16,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of month, 1..=31 (valid for the month).
    pub day: u8,
}

impl Date {
    /// A date, or `None` when it does not exist (e.g. 31 April, 29 February 2023).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        (day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// Days since 0001-01-01 (for date distances).
    pub fn ordinal(self) -> i64 {
        let y = i64::from(self.year) - 1;
        let mut days = y * 365 + y / 4 - y / 100 + y / 400;
        for m in 1..self.month {
            days += i64::from(days_in_month(self.year, m));
        }
        days + i64::from(self.day) - 1
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` of `year` (0 for a month outside 1..=12).
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// One raw value of a field, as the source gave it.
#[derive(Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum Value {
    /// Text, normalized later according to the field's kind.
    Text(String),
    /// An already-parsed date (only for [`FieldKind::DateOfBirth`] fields).
    Date(Date),
}

impl Value {
    /// The value as text (dates in ISO form).
    pub fn to_text(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Date(d) => d.to_string(),
        }
    }
}

impl fmt::Debug for Value {
    /// Redacted: values are personal data and must not reach logs by accident.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(s) => write!(f, "Text(<{} chars>)", s.chars().count()),
            Value::Date(_) => f.write_str("Date(<redacted>)"),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl From<Date> for Value {
    fn from(d: Date) -> Self {
        Value::Date(d)
    }
}

/// Most values one [`Record`] holds, over all its fields (a value may be of any
/// length). [`RecordBuilder::build`] and deserialization refuse more with
/// [`ErrorKind::InvalidRecord`] rather than drop any.
pub const MAX_VALUES_PER_RECORD: usize = u16::MAX as usize;

/// One customer record from one source system.
///
/// Built against a [`Schema`] with [`Record::builder`], which rejects unknown fields
/// and values of the wrong kind. `Debug` output does not print field values. The id,
/// source and values are packed into one buffer; [`Record::values`] reads them back
/// as borrowed [`ValueRef`]s.
///
/// ```
/// use sameas::record::{ValueRef, Value};
/// use sameas::{FieldKind, Record, Schema};
/// let schema = Schema::from_fields([("email", FieldKind::Email)])?;
/// let r = Record::builder(&schema, "r1").value("email", "a@x.com").value("email", "b@y.org").build()?;
/// assert_eq!(r.values(0).len(), 2);
/// assert_eq!(r.values(0).first(), Some(ValueRef::Text("a@x.com")));
/// assert_eq!(r.values(0).to_vec(), [Value::from("a@x.com"), Value::from("b@y.org")]);
/// # Ok::<(), sameas::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RecordData", into = "RecordData"))]
pub struct Record {
    observed_at: i64,
    /// Id, source and every value, packed into one buffer (see [`packed`]): millions
    /// of records stay in memory.
    packed: Box<[u8]>,
}

/// The serialized form of a [`Record`]: values grouped per field.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
struct RecordData {
    id: String,
    source: String,
    observed_at: i64,
    values: Vec<Vec<Value>>,
}

#[cfg(feature = "serde")]
impl TryFrom<RecordData> for Record {
    type Error = Error;

    fn try_from(d: RecordData) -> Result<Self> {
        Record::from_parts(d.id, d.source, d.observed_at, d.values)
    }
}

#[cfg(feature = "serde")]
impl From<Record> for RecordData {
    fn from(r: Record) -> Self {
        let values = (0..r.field_count()).map(|i| r.values(i).to_vec()).collect();
        RecordData {
            id: r.id().to_string(),
            source: r.source().to_string(),
            observed_at: r.observed_at,
            values,
        }
    }
}

impl Record {
    /// Starts a record with the caller's `id` for `schema`.
    pub fn builder<'s>(schema: &'s Schema, id: impl Into<String>) -> RecordBuilder<'s> {
        RecordBuilder {
            schema,
            id: id.into(),
            source: String::new(),
            observed_at: 0,
            values: Vec::new(),
            date_parts: Vec::new(),
            text: String::new(),
            error: None,
        }
    }

    /// Packs per-field values into the compact form. More than
    /// [`MAX_VALUES_PER_RECORD`] values are an error: dropping the excess would
    /// silently lose every field after the one that overflowed.
    #[cfg(feature = "serde")]
    fn from_parts(
        id: String,
        source: String,
        observed_at: i64,
        fields: Vec<Vec<Value>>,
    ) -> Result<Record> {
        check_value_count(&id, fields.iter().map(Vec::len).sum())?;
        Ok(Record {
            observed_at,
            packed: packed::pack(&id, &source, &fields),
        })
    }

    /// The caller's record id.
    pub fn id(&self) -> &str {
        packed::id(&self.packed)
    }

    /// The source system (empty when not given).
    pub fn source(&self) -> &str {
        packed::source(&self.packed)
    }

    /// When the record was observed, in seconds since the Unix epoch (0 when unknown).
    pub fn observed_at(&self) -> i64 {
        self.observed_at
    }

    /// The values of field `index` (empty when the field has none or is out of range).
    pub fn values(&self, index: usize) -> Values<'_> {
        packed::values(&self.packed, index)
    }

    /// Number of field slots (the schema's length when built).
    pub fn field_count(&self) -> usize {
        packed::field_count(&self.packed)
    }

    /// Checks the record still fits `schema` (e.g. after deserializing).
    pub fn check(&self, schema: &Schema) -> Result<()> {
        if self.id().is_empty() {
            return Err(Error::new(ErrorKind::InvalidRecord, "record id is empty"));
        }
        if self.field_count() != schema.len() {
            return Err(Error::new(
                ErrorKind::InvalidRecord,
                format!(
                    "record {:?} has {} field slots, the schema {}",
                    self.id(),
                    self.field_count(),
                    schema.len()
                ),
            ));
        }
        // Only a parsed date can be of the wrong kind: one pass over the values'
        // headers (this runs for every record prepared).
        let mut wrong = None;
        packed::each_value_kind(&self.packed, |field, is_date| {
            if is_date && wrong.is_none() {
                if let Some(def) = schema.fields().get(field) {
                    wrong = check_kind(def, true).err();
                }
            }
        });
        wrong.map_or(Ok(()), Err)
    }
}

impl fmt::Debug for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let values: usize = (0..self.field_count()).map(|i| self.values(i).len()).sum();
        f.debug_struct("Record")
            .field("id", &self.id())
            .field("source", &self.source())
            .field("observed_at", &self.observed_at)
            .field("values", &format_args!("<{values} values redacted>"))
            .finish()
    }
}

/// The first index of `ids` whose id appeared at an earlier index, with that earlier
/// index: `(first, again)`, for naming both places of a repeated record id (empty ids
/// are not compared). The ids are sorted by hash (in parallel with the `parallel`
/// feature), not looked up in a map of strings; the answer is the same on any number
/// of threads.
///
/// ```
/// use sameas::record::first_repeated_id;
/// assert_eq!(first_repeated_id(&["a", "b", "c", "b", "a"]), Some((1, 3)));
/// assert_eq!(first_repeated_id(&["a", "", "", "b"]), None);
/// ```
pub fn first_repeated_id(ids: &[&str]) -> Option<(usize, usize)> {
    if ids.len() < 2 {
        return None;
    }
    let hasher = ahash::RandomState::with_seeds(1, 2, 3, 4);
    let mut keyed: Vec<(u64, usize)> = ids
        .iter()
        .enumerate()
        .filter(|(_, id)| !id.is_empty())
        .map(|(i, id)| (hasher.hash_one(*id), i))
        .collect();
    // A small batch (one record added) stays on the calling thread.
    #[cfg(feature = "parallel")]
    if keyed.len() >= PARALLEL_IDS {
        rayon::slice::ParallelSliceMut::par_sort_unstable(&mut keyed[..]);
    } else {
        keyed.sort_unstable();
    }
    #[cfg(not(feature = "parallel"))]
    keyed.sort_unstable();
    let mut best: Option<(usize, usize)> = None;
    let mut start = 0;
    while start < keyed.len() {
        let hash = keyed[start].0;
        let end = start + keyed[start..].iter().take_while(|k| k.0 == hash).count();
        let run = &keyed[start..end];
        start = end;
        // Within one hash, rows in order: the first row with an equal predecessor
        // (the earliest such predecessor; a run of one repeated id stops at once).
        for (k, &(_, again)) in run.iter().enumerate().skip(1) {
            if let Some(&(_, first)) = run[..k].iter().find(|&&(_, f)| ids[f] == ids[again]) {
                if best.map_or(true, |(_, b)| again < b) {
                    best = Some((first, again));
                }
                break;
            }
        }
    }
    best
}

/// Fewest ids [`first_repeated_id`] spreads over the thread pool.
#[cfg(feature = "parallel")]
const PARALLEL_IDS: usize = 4096;

/// More than [`MAX_VALUES_PER_RECORD`] values are an error: dropping the excess would
/// silently lose every field after the one that overflowed.
fn check_value_count(id: &str, total: usize) -> Result<()> {
    if total > MAX_VALUES_PER_RECORD {
        return Err(Error::new(
            ErrorKind::InvalidRecord,
            format!(
                "record {id:?} has {total} values; at most {MAX_VALUES_PER_RECORD} fit in one record"
            ),
        ));
    }
    Ok(())
}

/// A value fits the field's kind: a parsed date (`is_date`) only in a date-of-birth
/// field.
fn check_kind(def: &FieldDef, is_date: bool) -> Result<()> {
    if is_date && def.kind != FieldKind::DateOfBirth {
        return Err(Error::new(
            ErrorKind::WrongKind,
            format!(
                "field {:?} is of kind {} and cannot hold a date",
                def.name, def.kind
            ),
        ));
    }
    Ok(())
}

/// Texts that stand for "no value" in exported data, compared case-insensitively:
/// what databases and spreadsheets write for a missing cell (`NULL`, `None`, `N/A`,
/// `#N/A`, `<NA>`, `(null)`, `undefined`). `NA` and `Nil` are not among them: they
/// are also names (the Korean family name Na, the Turkish given name Nil) and codes
/// (Namibia).
pub const MISSING_MARKERS: [&str; 8] = [
    "null",
    "none",
    "n/a",
    "#n/a",
    "<na>",
    "(null)",
    "(none)",
    "undefined",
];

/// Whether `text` holds no value: empty, blank, a marker of [`MISSING_MARKERS`], or
/// `nan` / `NaN` as a data frame writes a missing number or string (`Nan` and `NAN`
/// stay: Nan is a Chinese given name). A record builder skips such text, so that two
/// records whose export wrote `NULL` for a missing name do not agree on it.
///
/// ```
/// use sameas::record::is_missing;
/// assert!(is_missing(" ") && is_missing("nan") && is_missing("NULL") && is_missing("n/a"));
/// assert!(!is_missing("Nan") && !is_missing("Na") && !is_missing("Nan Li") && !is_missing("0"));
/// ```
pub fn is_missing(text: &str) -> bool {
    let t = text.trim();
    t.is_empty()
        || t == "nan"
        || t == "NaN"
        || MISSING_MARKERS.iter().any(|m| t.eq_ignore_ascii_case(m))
}

/// Builds a [`Record`] against a [`Schema`]; the first error is kept and returned by
/// [`RecordBuilder::build`].
///
/// Values are kept as they are added — field index and a span of one text buffer —
/// and packed once by `build`: a record costs no allocation per value or per field
/// (a bulk load builds millions).
pub struct RecordBuilder<'s> {
    schema: &'s Schema,
    id: String,
    source: String,
    observed_at: i64,
    /// Field index and value, in the order added.
    values: Vec<(usize, PendingValue)>,
    /// Parts of dates given in parts: field index, part and a span of `text`.
    date_parts: Vec<(usize, DatePart, usize, usize)>,
    /// The text of every text value, one after another.
    text: String,
    error: Option<Error>,
}

/// A value of a [`RecordBuilder`]: a span of its text, or a date.
#[derive(Clone, Copy)]
enum PendingValue {
    Text(usize, usize),
    Date(Date),
}

impl fmt::Debug for RecordBuilder<'_> {
    /// Counts only: the values are personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordBuilder")
            .field("values", &self.values.len())
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl<'s> RecordBuilder<'s> {
    /// Sets the source system.
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = source.into();
        self
    }

    /// Sets when the record was observed (seconds since the Unix epoch).
    pub fn observed_at(mut self, seconds: i64) -> Self {
        self.observed_at = seconds;
        self
    }

    /// Adds a value to field `name` (a field may hold several), or one part of a date
    /// given in parts when `name` is a part column ([`Schema::with_date_parts`]).
    /// Empty text and missing-value markers ([`is_missing`]) are skipped.
    pub fn value(self, name: &str, value: impl Into<Value>) -> Self {
        if self.error.is_some() {
            return self;
        }
        match (self.schema.column(name), value.into()) {
            (Some(Column::Field(i)), Value::Text(s)) => self.add(i, ValueRef::Text(&s)),
            (Some(Column::Field(i)), Value::Date(d)) => self.add(i, ValueRef::Date(d)),
            (Some(part @ Column::DatePart(..)), Value::Text(s)) => self.column_text(part, &s),
            (Some(Column::DatePart(..)), Value::Date(_)) => {
                let e = Error::new(
                    ErrorKind::WrongKind,
                    format!("column {name:?} is one part of a date and cannot hold a whole date"),
                );
                self.failed(e)
            }
            (None, _) => match self.schema.field(name) {
                Err(e) => self.failed(e),
                Ok(_) => unreachable!("a field is a column"),
            },
        }
    }

    /// Adds the text of a column found by [`Schema::column`]: a field's value
    /// ([`RecordBuilder::text_at`]) or one part of a date given in parts. Empty text
    /// is skipped; a part given twice, or a column past the schema, is an error.
    pub fn column_text(mut self, column: Column, text: &str) -> Self {
        let (index, part) = match column {
            Column::Field(index) => return self.text_at(index, text),
            Column::DatePart(index, part) => (index, part),
        };
        if self.error.is_some() || is_missing(text) {
            return self;
        }
        let Some(def) = self
            .schema
            .fields()
            .get(index)
            .filter(|f| f.parts.is_some())
        else {
            let e = Error::new(
                ErrorKind::UnknownField,
                format!("field index {index} is not a date read from parts"),
            );
            return self.failed(e);
        };
        if self
            .date_parts
            .iter()
            .any(|&(f, p, ..)| (f, p) == (index, part))
        {
            let e = Error::new(
                ErrorKind::InvalidRecord,
                format!("date field {:?} got its {part:?} twice", def.name),
            );
            return self.failed(e);
        }
        let start = self.text.len();
        // `1967.0`: a data frame's float for a whole number.
        let text = crate::normalize::without_float_tail(text).trim();
        self.text.push_str(text);
        self.date_parts.push((index, part, start, self.text.len()));
        self
    }

    /// Adds a text value to the field at `index` of the schema: [`RecordBuilder::value`]
    /// without looking the field up by name or copying the text into a `String` first,
    /// for loaders that know their columns' fields. Empty text and missing-value
    /// markers ([`is_missing`]) are skipped; an index
    /// past the schema is an `UnknownField` error.
    pub fn text_at(self, index: usize, text: &str) -> Self {
        if self.error.is_some() {
            return self;
        }
        if index >= self.schema.len() {
            let e = Error::new(
                ErrorKind::UnknownField,
                format!(
                    "field index {index} is past the schema's {} fields",
                    self.schema.len()
                ),
            );
            return self.failed(e);
        }
        self.add(index, ValueRef::Text(text))
    }

    /// Adds `value` to the field at `index` (in the schema), checking its kind.
    fn add(mut self, index: usize, value: ValueRef<'_>) -> Self {
        let pending = match value {
            ValueRef::Text(s) if is_missing(s) => return self,
            ValueRef::Text(s) => {
                let start = self.text.len();
                self.text.push_str(s);
                PendingValue::Text(start, self.text.len())
            }
            ValueRef::Date(d) => {
                if let Some(Err(e)) = self
                    .schema
                    .fields()
                    .get(index)
                    .map(|def| check_kind(def, true))
                {
                    return self.failed(e);
                }
                PendingValue::Date(d)
            }
        };
        self.values.push((index, pending));
        self
    }

    /// Puts each date given in parts together as one text value: `1967-09-27` for a
    /// numeric month, `27 Sep 1967` for a named one, and `?` for a missing part, so
    /// that an incomplete date is kept (and counted invalid when prepared), not lost.
    fn join_date_parts(&mut self) {
        let mut parts = std::mem::take(&mut self.date_parts);
        parts.sort_unstable_by_key(|&(field, part, ..)| (field, part));
        let mut rest = &parts[..];
        while let Some(&(field, ..)) = rest.first() {
            let len = rest.iter().take_while(|p| p.0 == field).count();
            let (group, tail) = rest.split_at(len);
            rest = tail;
            let text = &self.text;
            let part = |wanted: DatePart| {
                group
                    .iter()
                    .find(|p| p.1 == wanted)
                    .map_or("?", |&(_, _, start, end)| &text[start..end])
            };
            let (year, month, day) = (
                part(DatePart::Year),
                part(DatePart::Month),
                part(DatePart::Day),
            );
            let two = |s: &str| match s.len() {
                1 if s != "?" => format!("0{s}"),
                _ => s.to_string(),
            };
            let joined = if month.chars().any(char::is_alphabetic) {
                format!("{day} {month} {year}")
            } else {
                format!("{year}-{}-{}", two(month), two(day))
            };
            let start = self.text.len();
            self.text.push_str(&joined);
            self.values
                .push((field, PendingValue::Text(start, self.text.len())));
        }
    }

    fn failed(mut self, e: Error) -> Self {
        self.error = Some(e);
        self
    }

    /// Finishes the record, or returns the first error met.
    pub fn build(mut self) -> Result<Record> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if self.id.trim().is_empty() {
            return Err(Error::new(ErrorKind::InvalidRecord, "record id is empty"));
        }
        self.join_date_parts();
        check_value_count(&self.id, self.values.len())?;
        // Field by field, each field's values in the order added.
        self.values.sort_by_key(|&(field, _)| field);
        let mut counts = vec![0usize; self.schema.len()];
        for &(field, _) in &self.values {
            counts[field] += 1;
        }
        let text = &self.text;
        let values = self.values.iter().map(|&(_, v)| match v {
            PendingValue::Text(start, end) => ValueRef::Text(&text[start..end]),
            PendingValue::Date(d) => ValueRef::Date(d),
        });
        Ok(Record {
            observed_at: self.observed_at,
            packed: packed::pack_fields(&self.id, &self.source, counts.into_iter(), values),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Schema {
        Schema::from_fields([
            ("first", FieldKind::GivenName),
            ("email", FieldKind::Email),
            ("dob", FieldKind::DateOfBirth),
        ])
        .unwrap()
    }

    fn parts_schema() -> Schema {
        let parts = DateParts {
            year: "by".into(),
            month: "bm".into(),
            day: "bd".into(),
        };
        Schema::new()
            .with_field("first", FieldKind::GivenName)
            .and_then(|s| s.with_date_parts("birth", parts))
            .unwrap()
    }

    fn birth(builder: RecordBuilder<'_>) -> Vec<Value> {
        let r = builder.build().unwrap();
        r.values(1).into_iter().map(|v| v.to_value()).collect()
    }

    #[test]
    fn missing_value_markers_are_no_values() {
        let s = parts_schema();
        for marker in ["nan", "NULL", " n/a ", "#N/A", "None", "(null)"] {
            let r = Record::builder(&s, "r1")
                .value("first", marker)
                .column_text(Column::Field(0), marker)
                .value("by", marker)
                .build()
                .unwrap();
            assert!(r.values(0).is_empty() && r.values(1).is_empty(), "{marker}");
        }
        let nan_is_a_name = Record::builder(&s, "r1")
            .value("first", "Nan")
            .build()
            .unwrap();
        assert_eq!(nan_is_a_name.values(0), [Value::Text("Nan".into())]);
    }

    #[test]
    fn dates_in_parts_are_put_together() {
        let s = parts_schema();
        let b = |id: &str| Record::builder(&s, id).value("first", "Ana");
        let iso = birth(
            b("r1")
                .value("bd", "7")
                .value("bm", "9")
                .value("by", "1967.0"),
        );
        assert_eq!(iso, [Value::Text("1967-09-07".into())]);
        let named = birth(
            b("r2")
                .value("by", "1967")
                .value("bm", "Sep")
                .value("bd", "27"),
        );
        assert_eq!(named, [Value::Text("27 Sep 1967".into())]);
        // A missing part keeps what was given, marked, so it is counted invalid.
        let partial = birth(b("r3").value("by", "1967").value("bd", " "));
        assert_eq!(partial, [Value::Text("1967-?-?".into())]);
        assert!(birth(b("r4")).is_empty());
        // Loaders address the parts by column.
        let column = s.column("bm").unwrap();
        assert_eq!(column, Column::DatePart(1, DatePart::Month));
        let loaded = birth(
            Record::builder(&s, "r5")
                .column_text(s.column("by").unwrap(), "1980")
                .column_text(column, "12")
                .column_text(s.column("bd").unwrap(), "31"),
        );
        assert_eq!(loaded, [Value::Text("1980-12-31".into())]);
        assert_eq!(s.column("first"), Some(Column::Field(0)));
        assert_eq!(s.column("dob"), None);
    }

    #[test]
    fn date_parts_reject_repeats_whole_dates_and_clashing_names() {
        let s = parts_schema();
        let twice = Record::builder(&s, "r1")
            .value("by", "1967")
            .value("by", "1968")
            .build()
            .unwrap_err();
        assert_eq!(twice.kind(), ErrorKind::InvalidRecord);
        let date = Date::new(1967, 9, 27).unwrap();
        let whole = Record::builder(&s, "r1").value("bm", date).build();
        assert_eq!(whole.unwrap_err().kind(), ErrorKind::WrongKind);
        let not_parts = Record::builder(&s, "r1")
            .column_text(Column::DatePart(0, DatePart::Year), "1967")
            .build();
        assert_eq!(not_parts.unwrap_err().kind(), ErrorKind::UnknownField);
        let clash = |year: &str, name: &str| {
            let parts = DateParts {
                year: year.into(),
                month: "bm".into(),
                day: "bd".into(),
            };
            Schema::new()
                .with_field("first", FieldKind::GivenName)
                .and_then(|s| s.with_date_parts(name, parts))
        };
        for (year, name) in [
            ("first", "birth"),
            ("bm", "birth"),
            ("", "birth"),
            ("by", "by"),
        ] {
            let e = clash(year, name).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidSchema, "{year} {name}");
        }
        assert!(clash("by", "birth").is_ok());
        let e = s.with_field("bd", FieldKind::City).unwrap_err();
        assert!(e.message().contains("declared twice"), "{e}");
    }

    #[cfg(feature = "serde")]
    #[test]
    fn date_parts_survive_json_and_need_a_date_kind() {
        let s = parts_schema();
        let json = serde_json::to_string(&s).unwrap();
        assert!(
            json.contains(r#""parts":{"year":"by","month":"bm","day":"bd"}"#),
            "{json}"
        );
        assert!(
            !json.contains(r#""first","kind":"given_name","parts""#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Schema>(&json).unwrap(), s);
        let city = json.replace("date_of_birth", "city");
        let e = serde_json::from_str::<Schema>(&city).unwrap_err();
        assert!(
            e.to_string().contains("cannot be read from date parts"),
            "{e}"
        );
    }

    #[test]
    fn unknown_field_is_named_in_the_error() {
        let s = schema();
        let e = Record::builder(&s, "r1")
            .value("emial", "a@b.c")
            .build()
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnknownField);
        assert!(e.message().contains("emial"), "{e}");
    }

    #[test]
    fn date_value_in_text_field_is_wrong_kind() {
        let s = schema();
        let d = Date::new(1990, 2, 3).unwrap();
        let e = Record::builder(&s, "r1")
            .value("email", d)
            .build()
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::WrongKind);
        assert!(Record::builder(&s, "r1").value("dob", d).build().is_ok());
    }

    #[test]
    fn fields_hold_several_values_and_skip_blanks() {
        let s = schema();
        let r = Record::builder(&s, "r1")
            .source("crm")
            .value("email", "a@x.com")
            .value("email", "b@x.com")
            .value("first", "  ")
            .build()
            .unwrap();
        assert_eq!(r.values(1).len(), 2);
        assert!(r.values(0).is_empty());
        assert_eq!(r.source(), "crm");
    }

    #[test]
    fn text_at_builds_what_value_builds() {
        let s = schema();
        let by_name = Record::builder(&s, "r1")
            .source("crm")
            .value("email", "b@x.com")
            .value("first", "Ana")
            .value("email", "a@x.com")
            .value("first", " ")
            .build()
            .unwrap();
        let by_index = Record::builder(&s, "r1")
            .source("crm")
            .text_at(1, "b@x.com")
            .text_at(0, "Ana")
            .text_at(1, "a@x.com")
            .text_at(0, " ")
            .build()
            .unwrap();
        assert_eq!(by_index, by_name);
        assert_eq!(by_index.values(1).get(0).unwrap().to_text(), "b@x.com");
        assert_eq!(by_index.values(1).len(), 2);
        let e = Record::builder(&s, "r1")
            .text_at(3, "x")
            .build()
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnknownField);
        // The first error is kept.
        let e = Record::builder(&s, "r1")
            .value("emial", "a")
            .text_at(9, "x")
            .build()
            .unwrap_err();
        assert!(e.message().contains("emial"), "{e}");
    }

    proptest::proptest! {
        #[test]
        fn first_repeated_id_is_the_first_row_seen_before(
            ids in proptest::collection::vec("[abc]{0,2}", 0..60),
        ) {
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            let brute = (0..ids.len()).find_map(|j| {
                (!ids[j].is_empty())
                    .then(|| (0..j).find(|&i| ids[i] == ids[j]).map(|i| (i, j)))
                    .flatten()
            });
            proptest::prop_assert_eq!(first_repeated_id(&ids), brute);
        }
    }

    #[test]
    fn first_repeated_id_in_a_large_batch() {
        let mut ids: Vec<String> = (0..10_000).map(|i| format!("id-{i}")).collect();
        ids[9_000] = "id-42".to_string();
        ids[9_500] = "id-7".to_string();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        assert_eq!(first_repeated_id(&ids), Some((42, 9_000)));
        assert_eq!(first_repeated_id(&ids[..8_000]), None);
    }

    #[test]
    fn duplicate_and_empty_field_names_are_rejected() {
        assert!(Schema::from_fields([("a", FieldKind::City), ("a", FieldKind::City)]).is_err());
        assert!(Schema::from_fields([(" ", FieldKind::City)]).is_err());
        assert!(FieldKind::parse("nope").is_err());
        for k in FieldKind::ALL {
            assert_eq!(FieldKind::parse(k.as_str()).unwrap(), k);
        }
    }

    #[test]
    fn debug_output_hides_values() {
        let s = schema();
        let r = Record::builder(&s, "r1")
            .value("email", "secret@x.com")
            .build()
            .unwrap();
        assert!(!format!("{r:?}").contains("secret"));
    }

    /// Issue 15 item 3: a value of 65,536 bytes or more, or more values than the
    /// compact form indexes, must not lose the fields after it.
    #[test]
    fn long_values_and_many_values_lose_no_field() {
        let s = schema();
        for len in [65_535, 65_536, 70_000, 200_000] {
            let r = Record::builder(&s, "r1")
                .value("first", "x".repeat(len))
                .value("email", "a@x.com")
                .value("dob", "1990-01-02")
                .build()
                .unwrap();
            assert_eq!(r.values(0), [Value::Text("x".repeat(len))]);
            assert_eq!(r.id(), "r1");
            assert_eq!(r.values(1), [Value::from("a@x.com")]);
            assert_eq!(r.values(2), [Value::from("1990-01-02")]);
        }
        let mut b = Record::builder(&s, "r1");
        for i in 0..MAX_VALUES_PER_RECORD + 1 {
            b = b.value("first", format!("n{i}"));
        }
        let e = b.value("email", "a@x.com").build().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidRecord);
        assert!(e.message().contains("65535"), "{e}");
        let mut b = Record::builder(&s, "r1");
        for i in 0..MAX_VALUES_PER_RECORD - 1 {
            b = b.value("first", format!("n{i}"));
        }
        let r = b.value("email", "a@x.com").build().unwrap();
        assert_eq!(r.values(1), [Value::from("a@x.com")]);
    }

    #[test]
    fn dates_validate_and_order() {
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2024, 4, 31).is_none());
        let a = Date::new(2000, 1, 1).unwrap();
        let b = Date::new(2000, 3, 1).unwrap();
        assert_eq!(b.ordinal() - a.ordinal(), 60);
    }
}
