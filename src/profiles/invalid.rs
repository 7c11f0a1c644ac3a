//! Counting the values that could not be read, per source and field.

use std::collections::BTreeMap;

use super::ProfileGraph;
use crate::normalize::{normalize_value, NormalizeOptions, Normalized};
use crate::record::{FieldKind, Record, Schema, ValueRef};

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

/// Invalid values counted per (source, schema field index).
type Tally<'r> = BTreeMap<(&'r str, usize), u64>;

/// The sum of two tallies.
#[cfg(feature = "parallel")]
fn merge<'r>(mut a: Tally<'r>, b: Tally<'r>) -> Tally<'r> {
    for (key, n) in b {
        *a.entry(key).or_insert(0) += n;
    }
    a
}

/// Whether values of `kind` can be invalid (the others normalize to something or
/// to nothing).
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
            if let ValueRef::Text(raw) = v {
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
        // Normalizing every value again is the cost: in parallel with the `parallel`
        // feature (whole-number counts, so the result does not depend on the threads).
        #[cfg(feature = "parallel")]
        let tally = {
            use rayon::prelude::*;
            self.records
                .par_iter()
                .filter_map(Option::as_ref)
                .fold(Tally::new, |t, r| self.count_invalid(t, r))
                .reduce(Tally::new, merge)
        };
        #[cfg(not(feature = "parallel"))]
        let tally = self
            .records
            .iter()
            .flatten()
            .fold(Tally::new(), |t, r| self.count_invalid(t, r));
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

    /// `tally` with the invalid values of `record` added.
    fn count_invalid<'r>(&self, mut tally: Tally<'r>, record: &'r Record) -> Tally<'r> {
        for field in invalid_fields(&self.config.schema, &self.config.normalize, record) {
            *tally.entry((record.source(), field)).or_insert(0) += 1;
        }
        tally
    }
}
