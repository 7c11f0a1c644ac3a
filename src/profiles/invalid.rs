//! Counting the values that could not be read, per source and field.

use std::collections::BTreeMap;

use super::ProfileGraph;
use crate::normalize::{normalize_value, NormalizeOptions, Normalized};
use crate::record::{FieldKind, Record, Schema, Value};

/// How many values of one field, from one source, the normalizer found invalid
/// ([`Normalized::Invalid`]: an impossible date, a text that is not an e-mail
/// address, a phone number that cannot be read). See
/// [`ProfileGraph::invalid_values`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct InvalidCount {
    /// The records' source system.
    pub source: String,
    /// The schema field.
    pub field: String,
    /// Invalid values of that field among the source's records present.
    pub count: u64,
}

/// Invalid values counted per (source, schema field index), zero counts removed.
#[derive(Debug, Clone, Default)]
pub(super) struct InvalidTally(BTreeMap<(Box<str>, usize), u64>);

impl InvalidTally {
    /// Counts `fields` (one entry per invalid value) of a record from `source`, or
    /// uncounts them when `remove`.
    pub(super) fn count(&mut self, source: &str, fields: &[usize], remove: bool) {
        for &field in fields {
            let key = (Box::from(source), field);
            if remove {
                if let Some(n) = self.0.get_mut(&key) {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        self.0.remove(&key);
                    }
                }
            } else {
                *self.0.entry(key).or_insert(0) += 1;
            }
        }
    }
}

/// Whether [`normalize_value`] can find a value of `kind` invalid (the other kinds
/// normalize any text, possibly to nothing).
fn can_be_invalid(kind: FieldKind) -> bool {
    matches!(
        kind,
        FieldKind::Email | FieldKind::Phone | FieldKind::DateOfBirth
    )
}

/// The schema field index of each invalid value of `record` (one entry per value).
pub(super) fn invalid_fields(
    schema: &Schema,
    options: &NormalizeOptions,
    record: &Record,
) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, def) in schema.fields().iter().enumerate() {
        if !can_be_invalid(def.kind) {
            continue;
        }
        for v in record.values(i) {
            if let Value::Text(raw) = v {
                if matches!(
                    normalize_value(def.kind, raw, options),
                    Normalized::Invalid(_)
                ) {
                    out.push(i);
                }
            }
        }
    }
    out
}

impl ProfileGraph {
    /// The invalid values among the records present, per source and field, sorted by
    /// source, then field name; only non-zero counts. A value is invalid when
    /// [`normalize_value`] says it cannot be of its field's kind
    /// ([`Normalized::Invalid`]). It takes no part in comparisons, except an impossible
    /// date of birth, whose written digits still compare (it is counted all the same).
    /// A phone number without a country code, read with no default country, keeps its
    /// national digits and is not invalid. Counts follow every add and
    /// [`ProfileGraph::erase`], and are rebuilt by [`ProfileGraph::restore`].
    ///
    /// ```
    /// use sameas::{Config, FieldKind, ProfileGraph, Record, Schema};
    /// use sameas::profiles::InvalidCount;
    /// let schema = Schema::from_fields([("email", FieldKind::Email)])?;
    /// let mut graph = ProfileGraph::new(Config::infer(schema.clone())?)?;
    /// graph.add(Record::builder(&schema, "1").source("crm").value("email", "not an e-mail").build()?)?;
    /// assert_eq!(
    ///     graph.invalid_values(),
    ///     vec![InvalidCount { source: "crm".into(), field: "email".into(), count: 1 }]
    /// );
    /// graph.erase("1")?;
    /// assert!(graph.invalid_values().is_empty());
    /// # Ok::<(), sameas::Error>(())
    /// ```
    pub fn invalid_values(&self) -> Vec<InvalidCount> {
        let fields = self.config.schema.fields();
        let mut out: Vec<InvalidCount> = self
            .invalid
            .0
            .iter()
            .map(|((source, field), &count)| InvalidCount {
                source: source.to_string(),
                field: fields
                    .get(*field)
                    .map_or_else(String::new, |f| f.name.clone()),
                count,
            })
            .collect();
        out.sort();
        out
    }

    /// Counts (or uncounts, when `remove`) the invalid values of `record`.
    pub(super) fn count_invalid(&mut self, record: &Record, remove: bool) {
        let fields = invalid_fields(&self.config.schema, &self.config.normalize, record);
        self.invalid.count(record.source(), &fields, remove);
    }
}
