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
    /// national digits and is not invalid. Computed when asked, from the records
    /// present (one pass over them), so adding records costs nothing extra and erased
    /// records are never counted.
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
        let mut tally: BTreeMap<(&str, usize), u64> = BTreeMap::new();
        for record in self.records.iter().flatten() {
            for field in invalid_fields(&self.config.schema, &self.config.normalize, record) {
                *tally.entry((record.source(), field)).or_insert(0) += 1;
            }
        }
        let mut out: Vec<InvalidCount> = tally
            .into_iter()
            .map(|((source, field), count)| InvalidCount {
                source: source.to_string(),
                field: fields
                    .get(field)
                    .map_or_else(String::new, |f| f.name.clone()),
                count,
            })
            .collect();
        out.sort();
        out
    }
}
