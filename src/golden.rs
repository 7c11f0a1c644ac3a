//! Survivorship: the golden record of a profile.
//!
//! A profile holds several records of one person, from several sources and times.
//! The golden record picks, field by field, the value(s) that survive, by a
//! [`SurvivorshipRule`] chosen per field kind or per field ([`GoldenRules`]). Every
//! surviving value says which record it came from ([`GoldenValue`]).
//!
//! Values are grouped as "the same" by their normalized form (a closure the caller
//! passes, usually the crate's normalizer), while the surviving value is reported as
//! the raw text of the record it was taken from. The result does not depend on the
//! order of the records given.
//!
//! Consent / permission-to-contact fields use [`SurvivorshipRule::MostRestrictive`]:
//! the most restrictive answer among all records of the profile wins, whatever its age.

use crate::error::{Error, ErrorKind, Result};
use crate::record::{FieldKind, Record, Schema};
use ahash::AHashMap;
use std::cmp::Ordering;
use std::fmt;

/// How the surviving value(s) of one field are chosen among a profile's records.
///
/// "Most recent" always means the latest `observed_at`; ties are broken by the
/// rules' source priority ([`GoldenRules::with_source_priority`]; listed sources
/// first, in list order, then the others by name), then by record id, then by the
/// value's position within its record. This makes every rule a total, order-free choice.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum SurvivorshipRule {
    /// The value of the most recently observed record.
    MostRecent,
    /// The value carried by the most records (same normalized form); ties go to
    /// the value seen most recently.
    MostFrequent,
    /// The value from the first source in the list that has one (most recent
    /// within that source); when no listed source has a value, the most recent one.
    SourcePriority(Vec<String>),
    /// The longest value (characters, surrounding blanks ignored); ties go to the
    /// most recent.
    Longest,
    /// Every distinct value (by normalized form), ordered by how many records carry
    /// it (most first), then by recency.
    KeepAll,
    /// For consent / permission-to-contact fields: each value is read as a
    /// [`ConsentAnswer`] ([`parse_consent`]) and the most restrictive answer among
    /// **all** records wins, whatever its age: denied beats unknown beats allowed.
    /// A newer opt-in does not override an older opt-out (use
    /// [`SurvivorshipRule::MostRecent`] for "the latest answer counts"). The reported
    /// value is the most recent one carrying the winning answer. Only for
    /// [`FieldKind::Category`] fields.
    MostRestrictive,
}

impl SurvivorshipRule {
    /// The rule's short snake_case name (for tables and logs).
    pub fn name(&self) -> &'static str {
        match self {
            SurvivorshipRule::MostRecent => "most_recent",
            SurvivorshipRule::MostFrequent => "most_frequent",
            SurvivorshipRule::SourcePriority(_) => "source_priority",
            SurvivorshipRule::Longest => "longest",
            SurvivorshipRule::KeepAll => "keep_all",
            SurvivorshipRule::MostRestrictive => "most_restrictive",
        }
    }
}

impl fmt::Display for SurvivorshipRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SurvivorshipRule::SourcePriority(list) => {
                write!(f, "source_priority({})", list.join(", "))
            }
            other => f.write_str(other.name()),
        }
    }
}

/// A consent / permission-to-contact answer, ordered from least to most restrictive
/// (so `max` is the most restrictive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ConsentAnswer {
    /// The person allowed contact.
    Allowed,
    /// The value could not be read as an answer.
    Unknown,
    /// The person refused or withdrew consent.
    Denied,
}

/// Reads a raw consent value.
///
/// Case, blanks, `-` and `_` are ignored. `yes`, `y`, `true`, `1`, `opt-in`,
/// `granted`, `allowed`, `da`, `ya` mean [`ConsentAnswer::Allowed`]; `no`, `n`,
/// `false`, `0`, `opt-out`, `denied`, `withdrawn`, `ne`, `tidak` mean
/// [`ConsentAnswer::Denied`]; anything else is [`ConsentAnswer::Unknown`].
///
/// ```
/// use sameas::golden::{parse_consent, ConsentAnswer};
/// assert_eq!(parse_consent(" Opt-In "), ConsentAnswer::Allowed);
/// assert_eq!(parse_consent("tidak"), ConsentAnswer::Denied);
/// assert_eq!(parse_consent("maybe"), ConsentAnswer::Unknown);
/// ```
pub fn parse_consent(raw: &str) -> ConsentAnswer {
    // Bound the work on adversarial input: no known answer is longer than this.
    const LONGEST_ANSWER: usize = 16;
    let mut key = String::with_capacity(LONGEST_ANSWER);
    for c in raw
        .chars()
        .filter(|c| !matches!(c, '-' | '_') && !c.is_whitespace())
    {
        if key.len() > LONGEST_ANSWER {
            return ConsentAnswer::Unknown;
        }
        key.extend(c.to_lowercase());
    }
    match key.as_str() {
        "yes" | "y" | "true" | "1" | "optin" | "granted" | "allowed" | "da" | "ya" => {
            ConsentAnswer::Allowed
        }
        "no" | "n" | "false" | "0" | "optout" | "denied" | "withdrawn" | "ne" | "tidak" => {
            ConsentAnswer::Denied
        }
        _ => ConsentAnswer::Unknown,
    }
}

/// Which [`SurvivorshipRule`] applies to which field.
///
/// Each field kind has a default rule; a field may override it by name. The defaults:
///
/// | kind | rule |
/// |---|---|
/// | given, family, full name; date of birth | most frequent |
/// | email, phone, strong id, device id | keep all |
/// | street address, city, postcode, country | most recent |
/// | free text, category | most recent |
///
/// ```
/// use sameas::{FieldKind, GoldenRules, Schema, SurvivorshipRule};
/// let schema = Schema::from_fields([
///     ("email", FieldKind::Email),
///     ("marketing_ok", FieldKind::Category),
/// ])?;
/// let rules = GoldenRules::new()
///     .with_field("email", SurvivorshipRule::MostRecent)
///     .with_consent_field("marketing_ok");
/// rules.validate(&schema)?;
/// assert_eq!(rules.rule_for(&schema, 1), &SurvivorshipRule::MostRestrictive);
/// assert!(GoldenRules::new().with_field("emial", SurvivorshipRule::Longest)
///     .validate(&schema).is_err());
/// # Ok::<(), sameas::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GoldenRules {
    /// One rule per field kind, in [`FieldKind::ALL`] order.
    kind_defaults: Vec<(FieldKind, SurvivorshipRule)>,
    /// Per-field overrides, by field name (the last one for a name wins).
    field_rules: Vec<(String, SurvivorshipRule)>,
    /// Sources in tie-break order for "most recent".
    source_priority: Vec<String>,
}

impl Default for GoldenRules {
    fn default() -> Self {
        GoldenRules {
            kind_defaults: FieldKind::ALL
                .into_iter()
                .map(|k| (k, default_rule(k)))
                .collect(),
            field_rules: Vec::new(),
            source_priority: Vec::new(),
        }
    }
}

/// The built-in rule for a field kind (see [`GoldenRules`]).
fn default_rule(kind: FieldKind) -> SurvivorshipRule {
    match kind {
        FieldKind::GivenName
        | FieldKind::FamilyName
        | FieldKind::FullName
        | FieldKind::DateOfBirth => SurvivorshipRule::MostFrequent,
        FieldKind::Email | FieldKind::Phone | FieldKind::StrongId | FieldKind::DeviceId => {
            SurvivorshipRule::KeepAll
        }
        // Addresses, places, free text, categories and any kind added later.
        _ => SurvivorshipRule::MostRecent,
    }
}

impl GoldenRules {
    /// The default rules (see the table above), no overrides, no source priority.
    pub fn new() -> Self {
        GoldenRules::default()
    }

    /// Sets the default rule for every field of `kind` (fields named with
    /// [`GoldenRules::with_field`] keep their own rule).
    pub fn with_kind(mut self, kind: FieldKind, rule: SurvivorshipRule) -> Self {
        match self.kind_defaults.iter_mut().find(|(k, _)| *k == kind) {
            Some(slot) => slot.1 = rule,
            None => self.kind_defaults.push((kind, rule)),
        }
        self
    }

    /// Sets the rule for the field called `field`, replacing an earlier one.
    pub fn with_field(mut self, field: impl Into<String>, rule: SurvivorshipRule) -> Self {
        let field = field.into();
        self.field_rules.retain(|(f, _)| *f != field);
        self.field_rules.push((field, rule));
        self
    }

    /// Marks `field` as a consent / permission-to-contact field
    /// ([`SurvivorshipRule::MostRestrictive`]).
    pub fn with_consent_field(self, field: impl Into<String>) -> Self {
        self.with_field(field, SurvivorshipRule::MostRestrictive)
    }

    /// Sets the sources, most trusted first, used to break ties between values
    /// observed at the same time (sources not listed come after, by name).
    pub fn with_source_priority<S: Into<String>>(
        mut self,
        sources: impl IntoIterator<Item = S>,
    ) -> Self {
        self.source_priority = sources.into_iter().map(Into::into).collect();
        self
    }

    /// The per-field overrides, in the order they were set.
    pub fn field_rules(&self) -> &[(String, SurvivorshipRule)] {
        &self.field_rules
    }

    /// The sources in tie-break order.
    pub fn source_priority(&self) -> &[String] {
        &self.source_priority
    }

    /// Checks the rules fit `schema`: every overridden field exists
    /// ([`ErrorKind::UnknownField`]) and consent rules apply only to
    /// [`FieldKind::Category`] fields ([`ErrorKind::InvalidConfig`]).
    pub fn validate(&self, schema: &Schema) -> Result<()> {
        for (name, rule) in &self.field_rules {
            let (_, def) = schema.field(name)?;
            if *rule == SurvivorshipRule::MostRestrictive && def.kind != FieldKind::Category {
                return Err(Error::new(
                    ErrorKind::InvalidConfig,
                    format!(
                        "consent rule most_restrictive needs a category field; {name:?} is {}",
                        def.kind
                    ),
                ));
            }
        }
        for (kind, rule) in &self.kind_defaults {
            if *rule == SurvivorshipRule::MostRestrictive && *kind != FieldKind::Category {
                return Err(Error::new(
                    ErrorKind::InvalidConfig,
                    format!("consent rule most_restrictive cannot be the default for {kind}"),
                ));
            }
        }
        Ok(())
    }

    /// The rule for field `index` of `schema`: its override, else its kind's default
    /// ([`SurvivorshipRule::MostRecent`] for an index outside the schema).
    pub fn rule_for(&self, schema: &Schema, index: usize) -> &SurvivorshipRule {
        const FALLBACK: SurvivorshipRule = SurvivorshipRule::MostRecent;
        let Some(def) = schema.fields().get(index) else {
            return &FALLBACK;
        };
        self.field_rules
            .iter()
            .find(|(f, _)| *f == def.name)
            .map(|(_, rule)| rule)
            .or_else(|| {
                self.kind_defaults
                    .iter()
                    .find(|(k, _)| *k == def.kind)
                    .map(|(_, rule)| rule)
            })
            .unwrap_or(&FALLBACK)
    }

    /// Rank of `source` for tie-breaks (listed sources first).
    fn source_rank(&self, source: &str) -> usize {
        self.source_priority
            .iter()
            .position(|s| s == source)
            .unwrap_or(self.source_priority.len())
    }
}

/// One surviving value and where it came from.
///
/// `Debug` does not print the value (it is personal data).
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GoldenValue {
    /// The raw text of the value, as the record holds it (dates in ISO form).
    pub value: String,
    /// The id of the record it was taken from.
    pub record_id: String,
    /// That record's source system.
    pub source: String,
    /// When that record was observed (seconds since the Unix epoch).
    pub observed_at: i64,
}

impl fmt::Debug for GoldenValue {
    /// Redacted: the value is personal data and must not reach logs by accident.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GoldenValue")
            .field(
                "value",
                &format_args!("<{} chars>", self.value.chars().count()),
            )
            .field("record_id", &self.record_id)
            .field("source", &self.source)
            .field("observed_at", &self.observed_at)
            .finish()
    }
}

/// The surviving value(s) of one field.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GoldenField {
    /// The field's name.
    pub field: String,
    /// The surviving values, best first: one for single-valued rules, all distinct
    /// values for [`SurvivorshipRule::KeepAll`], none when no record has a value.
    pub values: Vec<GoldenValue>,
    /// The rule that chose them.
    pub rule: SurvivorshipRule,
}

impl GoldenField {
    /// The best surviving value's text, if any.
    pub fn value(&self) -> Option<&str> {
        self.values.first().map(|v| v.value.as_str())
    }

    /// For a consent field ([`SurvivorshipRule::MostRestrictive`]), the winning
    /// answer; `None` for other rules or when no record has a value.
    pub fn consent(&self) -> Option<ConsentAnswer> {
        (self.rule == SurvivorshipRule::MostRestrictive)
            .then(|| self.value().map(parse_consent))
            .flatten()
    }
}

/// A profile's golden record: one [`GoldenField`] per schema field, in schema order.
///
/// `Debug` is redacted (it prints field names, rules and provenance, not values).
/// `Display` **prints the values** — it is personal data, meant for showing to an
/// authorised user, not for logs: one line per value,
/// `field  value  (record id, source, observed_at)  [rule]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GoldenRecord {
    /// The fields, in schema order (fields without any value have no values).
    pub fields: Vec<GoldenField>,
}

impl GoldenRecord {
    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&GoldenField> {
        self.fields.iter().find(|f| f.field == name)
    }
}

impl fmt::Display for GoldenRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name_width = self
            .fields
            .iter()
            .map(|g| g.field.chars().count())
            .max()
            .unwrap_or(0);
        let value_width = self
            .fields
            .iter()
            .flat_map(|g| &g.values)
            .map(|v| v.value.chars().count())
            .max()
            .unwrap_or(0)
            .max(1);
        for g in &self.fields {
            if g.values.is_empty() {
                writeln!(
                    f,
                    "{:name_width$}  {:value_width$}  [{}]",
                    g.field, "-", g.rule
                )?;
            }
            for (i, v) in g.values.iter().enumerate() {
                let name = if i == 0 { g.field.as_str() } else { "" };
                writeln!(
                    f,
                    "{name:name_width$}  {:value_width$}  ({}, {}, {})  [{}]",
                    v.value, v.record_id, v.source, v.observed_at, g.rule
                )?;
            }
        }
        Ok(())
    }
}

/// One value of one record, ready to be ranked.
struct Observation<'a> {
    /// Normalized form, for grouping equal values.
    key: String,
    /// Raw text, reported when this value survives.
    raw: String,
    record: &'a Record,
    /// Position of the value within its record's field.
    position: usize,
    source_rank: usize,
}

impl Observation<'_> {
    fn to_golden(&self) -> GoldenValue {
        GoldenValue {
            value: self.raw.clone(),
            record_id: self.record.id().to_string(),
            source: self.record.source().to_string(),
            observed_at: self.record.observed_at(),
        }
    }
}

/// Most recent first; a total order over everything that is reported, so that the
/// choice never depends on the input order.
fn recency_order(a: &Observation<'_>, b: &Observation<'_>) -> Ordering {
    b.record
        .observed_at()
        .cmp(&a.record.observed_at())
        .then(a.source_rank.cmp(&b.source_rank))
        .then_with(|| a.record.source().cmp(b.record.source()))
        .then_with(|| a.record.id().cmp(b.record.id()))
        .then(a.position.cmp(&b.position))
        .then_with(|| a.raw.cmp(&b.raw))
}

/// Observations sharing one normalized value.
struct Group<'a> {
    /// Index of the group's most recent observation.
    best: usize,
    /// The distinct records carrying the value, as (source, id).
    records: Vec<(&'a str, &'a str)>,
}

/// Groups `obs` (already in recency order) by key; groups come out ordered by their
/// most recent observation, each with its distinct-record count.
fn group_by_key<'a>(obs: &[Observation<'a>]) -> Vec<Group<'a>> {
    let mut index: AHashMap<&str, usize> = AHashMap::new();
    let mut groups: Vec<Group<'a>> = Vec::new();
    for (i, o) in obs.iter().enumerate() {
        let g = *index.entry(o.key.as_str()).or_insert_with(|| {
            groups.push(Group {
                best: i,
                records: Vec::new(),
            });
            groups.len() - 1
        });
        if let Some(group) = groups.get_mut(g) {
            group.records.push((o.record.source(), o.record.id()));
        }
    }
    for g in &mut groups {
        g.records.sort_unstable();
        g.records.dedup();
    }
    groups
}

/// Applies `rule` to `obs` (sorted in recency order); returns indexes into `obs`.
fn survivors(rule: &SurvivorshipRule, obs: &[Observation<'_>]) -> Vec<usize> {
    if obs.is_empty() {
        return Vec::new();
    }
    match rule {
        SurvivorshipRule::MostRecent => vec![0],
        SurvivorshipRule::MostFrequent => {
            let groups = group_by_key(obs);
            let mut best: Option<&Group<'_>> = None;
            for g in &groups {
                if best.map_or(true, |b| g.records.len() > b.records.len()) {
                    best = Some(g);
                }
            }
            best.map(|g| g.best).into_iter().collect()
        }
        SurvivorshipRule::SourcePriority(sources) => {
            let found = sources
                .iter()
                .find_map(|s| obs.iter().position(|o| o.record.source() == s));
            vec![found.unwrap_or(0)]
        }
        SurvivorshipRule::Longest => {
            let mut best = 0;
            let mut best_len = 0;
            for (i, o) in obs.iter().enumerate() {
                let len = o.raw.trim().chars().count();
                if len > best_len {
                    best = i;
                    best_len = len;
                }
            }
            vec![best]
        }
        SurvivorshipRule::KeepAll => {
            let mut groups = group_by_key(obs);
            // Stable: equal counts keep their recency order.
            groups.sort_by_key(|g| std::cmp::Reverse(g.records.len()));
            groups.into_iter().map(|g| g.best).collect()
        }
        SurvivorshipRule::MostRestrictive => {
            let mut best = 0;
            let mut best_answer = ConsentAnswer::Allowed;
            for (i, o) in obs.iter().enumerate() {
                let answer = parse_consent(&o.raw);
                if i == 0 || answer > best_answer {
                    best = i;
                    best_answer = answer;
                }
            }
            vec![best]
        }
    }
}

/// Builds the golden record of a profile made of `records`.
///
/// For each schema field, the values of all records are normalized with
/// `normalize(kind, raw)` to decide which are the same; values that normalize to
/// nothing (blank) are ignored, except in consent fields, where an unreadable answer
/// counts as [`ConsentAnswer::Unknown`]. The field's rule ([`GoldenRules::rule_for`])
/// then picks the survivors, reported with their raw text and their record. The
/// result is the same for any order of `records`.
///
/// Fails when the rules do not fit `schema` ([`GoldenRules::validate`]).
///
/// ```
/// use sameas::{FieldKind, GoldenRules, Record, Schema};
/// use sameas::golden::golden_record;
/// use sameas::normalize::normalize_text;
/// let schema = Schema::from_fields([("given", FieldKind::GivenName), ("city", FieldKind::City)])?;
/// let a = Record::builder(&schema, "a").source("crm").observed_at(100)
///     .value("given", "Ana").value("city", "Cluj").build()?;
/// let b = Record::builder(&schema, "b").source("shop").observed_at(200)
///     .value("given", "ANA ").value("city", "Iași").build()?;
/// let c = Record::builder(&schema, "c").source("shop").observed_at(50)
///     .value("given", "Anna").build()?;
/// let golden = golden_record(&schema, &[&a, &b, &c], &GoldenRules::new(), |_, s| normalize_text(s))?;
/// let given = golden.field("given").unwrap();
/// assert_eq!(given.value(), Some("ANA ")); // "ana" twice; the latest spelling is reported
/// assert_eq!(given.values[0].record_id, "b");
/// assert_eq!(golden.field("city").unwrap().value(), Some("Iași")); // most recent
/// # Ok::<(), sameas::Error>(())
/// ```
pub fn golden_record(
    schema: &Schema,
    records: &[&Record],
    rules: &GoldenRules,
    normalize: impl Fn(FieldKind, &str) -> String,
) -> Result<GoldenRecord> {
    rules.validate(schema)?;
    let mut fields = Vec::with_capacity(schema.len());
    for (index, def) in schema.fields().iter().enumerate() {
        let rule = rules.rule_for(schema, index);
        let consent = *rule == SurvivorshipRule::MostRestrictive;
        let mut obs: Vec<Observation<'_>> = Vec::new();
        for &record in records {
            for (position, value) in record.values(index).iter().enumerate() {
                let raw = value.to_text();
                let key = normalize(def.kind, &raw);
                if key.trim().is_empty() && !consent {
                    continue;
                }
                obs.push(Observation {
                    key,
                    raw,
                    record,
                    position,
                    source_rank: rules.source_rank(record.source()),
                });
            }
        }
        obs.sort_by(recency_order);
        let values = survivors(rule, &obs)
            .into_iter()
            .filter_map(|i| obs.get(i).map(Observation::to_golden))
            .collect();
        fields.push(GoldenField {
            field: def.name.clone(),
            values,
            rule: rule.clone(),
        });
    }
    Ok(GoldenRecord { fields })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn norm(_: FieldKind, s: &str) -> String {
        s.trim().to_lowercase()
    }

    fn schema() -> Schema {
        Schema::from_fields([
            ("given", FieldKind::GivenName),
            ("email", FieldKind::Email),
            ("city", FieldKind::City),
            ("note", FieldKind::FreeText),
            ("consent", FieldKind::Category),
        ])
        .unwrap()
    }

    fn rec(s: &Schema, id: &str, source: &str, at: i64, values: &[(&str, &str)]) -> Record {
        values
            .iter()
            .fold(
                Record::builder(s, id).source(source).observed_at(at),
                |b, (f, v)| b.value(f, *v),
            )
            .build()
            .unwrap()
    }

    fn run(s: &Schema, records: &[Record], rules: &GoldenRules) -> GoldenRecord {
        let refs: Vec<&Record> = records.iter().collect();
        golden_record(s, &refs, rules, norm).unwrap()
    }

    fn picked(g: &GoldenRecord, field: &str) -> Vec<(String, String)> {
        g.field(field)
            .unwrap()
            .values
            .iter()
            .map(|v| (v.value.clone(), v.record_id.clone()))
            .collect()
    }

    fn one(value: &str, id: &str) -> Vec<(String, String)> {
        vec![(value.to_string(), id.to_string())]
    }

    #[test]
    fn most_recent_takes_latest_and_breaks_ties_by_source_priority_then_id() {
        let s = schema();
        let records = [
            rec(&s, "r1", "crm", 10, &[("city", "Old")]),
            rec(&s, "r2", "shop", 30, &[("city", "Shop city")]),
            rec(&s, "r3", "crm", 30, &[("city", "Crm city")]),
            rec(&s, "r0", "crm", 30, &[("city", "Crm city 0")]),
        ];
        // No priority: sources by name ("crm" < "shop"), then id.
        let g = run(&s, &records, &GoldenRules::new());
        assert_eq!(picked(&g, "city"), one("Crm city 0", "r0"));
        // Priority puts shop first.
        let g = run(
            &s,
            &records,
            &GoldenRules::new().with_source_priority(["shop", "crm"]),
        );
        assert_eq!(picked(&g, "city"), one("Shop city", "r2"));
        let v = &g.field("city").unwrap().values[0];
        assert_eq!((v.source.as_str(), v.observed_at), ("shop", 30));
    }

    #[test]
    fn most_frequent_counts_records_by_normalized_value_and_ties_go_to_recent() {
        let s = schema();
        let records = [
            rec(&s, "a", "crm", 1, &[("given", "Jon")]),
            rec(&s, "b", "crm", 2, &[("given", "JON ")]),
            rec(&s, "c", "crm", 9, &[("given", "John")]),
        ];
        let g = run(&s, &records, &GoldenRules::new());
        // "jon" is carried by two records; the most recent spelling is reported.
        assert_eq!(picked(&g, "given"), one("JON ", "b"));

        // Tie (one each): the most recent wins.
        let g = run(&s, &records[1..], &GoldenRules::new());
        assert_eq!(picked(&g, "given"), one("John", "c"));

        // One record repeating a value counts once.
        let records = [
            rec(&s, "a", "crm", 1, &[("given", "Jon"), ("given", "jon")]),
            rec(&s, "c", "crm", 9, &[("given", "John")]),
        ];
        let g = run(&s, &records, &GoldenRules::new());
        assert_eq!(picked(&g, "given"), one("John", "c"));
    }

    #[test]
    fn source_priority_takes_first_listed_source_with_a_value() {
        let s = schema();
        let records = [
            rec(&s, "a", "web", 50, &[("city", "Web city")]),
            rec(&s, "b", "crm", 10, &[("city", "Crm old")]),
            rec(&s, "c", "crm", 20, &[("city", "Crm new")]),
            rec(&s, "d", "erp", 90, &[]),
        ];
        let rule = |list: &[&str]| {
            GoldenRules::new().with_field(
                "city",
                SurvivorshipRule::SourcePriority(list.iter().map(|s| s.to_string()).collect()),
            )
        };
        // erp has no value, so crm; within crm the most recent.
        let g = run(&s, &records, &rule(&["erp", "crm", "web"]));
        assert_eq!(picked(&g, "city"), one("Crm new", "c"));
        // No listed source has a value: most recent overall.
        let g = run(&s, &records, &rule(&["erp"]));
        assert_eq!(picked(&g, "city"), one("Web city", "a"));
    }

    #[test]
    fn longest_takes_longest_trimmed_text_and_ties_go_to_recent() {
        let s = schema();
        let rules = GoldenRules::new().with_field("note", SurvivorshipRule::Longest);
        let records = [
            rec(&s, "a", "crm", 5, &[("note", "abcd")]),
            rec(&s, "b", "crm", 9, &[("note", "   xyz   ")]),
            rec(&s, "c", "crm", 7, &[("note", "wxyz")]),
        ];
        let g = run(&s, &records, &rules);
        // "abcd" and "wxyz" tie at 4 chars (padding ignored); c is more recent.
        assert_eq!(picked(&g, "note"), one("wxyz", "c"));
        // Characters, not bytes: 3 chars of 2 bytes each lose to 4 ASCII chars.
        let records = [
            rec(&s, "a", "crm", 5, &[("note", "abcd")]),
            rec(&s, "b", "crm", 9, &[("note", "ššš")]),
        ];
        assert_eq!(picked(&run(&s, &records, &rules), "note"), one("abcd", "a"));
    }

    #[test]
    fn keep_all_lists_distinct_values_by_frequency_then_recency() {
        let s = schema();
        let records = [
            rec(&s, "a", "crm", 1, &[("email", "x@ex.com")]),
            rec(
                &s,
                "b",
                "shop",
                2,
                &[("email", "X@EX.COM"), ("email", "z@ex.com")],
            ),
            rec(&s, "c", "shop", 3, &[("email", "y@ex.com")]),
            rec(&s, "d", "shop", 4, &[("email", "w@ex.com")]),
        ];
        let g = run(&s, &records, &GoldenRules::new());
        assert_eq!(
            picked(&g, "email"),
            vec![
                ("X@EX.COM".to_string(), "b".to_string()),
                ("w@ex.com".to_string(), "d".to_string()),
                ("y@ex.com".to_string(), "c".to_string()),
                ("z@ex.com".to_string(), "b".to_string()),
            ]
        );
    }

    #[test]
    fn consent_most_restrictive_answer_wins_whatever_its_age() {
        let s = schema();
        let rules = GoldenRules::new().with_consent_field("consent");
        let yes_new = rec(&s, "a", "crm", 100, &[("consent", "Opt-In")]);
        let no_old = rec(&s, "b", "shop", 1, &[("consent", "tidak")]);
        let odd = rec(&s, "c", "web", 50, &[("consent", "maybe later")]);
        let ya = rec(&s, "d", "web", 60, &[("consent", "ya")]);
        let none = rec(&s, "e", "web", 200, &[]);

        let g = run(&s, &[yes_new.clone(), no_old.clone(), odd.clone()], &rules);
        assert_eq!(picked(&g, "consent"), one("tidak", "b"));
        assert_eq!(
            g.field("consent").unwrap().consent(),
            Some(ConsentAnswer::Denied)
        );

        // Unknown beats allowed.
        let g = run(&s, &[yes_new.clone(), odd.clone(), ya.clone()], &rules);
        assert_eq!(picked(&g, "consent"), one("maybe later", "c"));
        assert_eq!(
            g.field("consent").unwrap().consent(),
            Some(ConsentAnswer::Unknown)
        );

        // All allowed: the most recent allowed value is reported; a record without a
        // value is not an "unknown" answer.
        let g = run(&s, &[ya, yes_new, none.clone()], &rules);
        assert_eq!(picked(&g, "consent"), one("Opt-In", "a"));
        assert_eq!(
            g.field("consent").unwrap().consent(),
            Some(ConsentAnswer::Allowed)
        );

        // No value at all.
        let g = run(&s, &[none], &rules);
        assert!(picked(&g, "consent").is_empty());
        assert_eq!(g.field("consent").unwrap().consent(), None);
    }

    #[test]
    fn consent_answers_in_several_languages() {
        for yes in [
            "yes", "TRUE", "1", "opt-in", "opt_in", "Granted", "da", "ya",
        ] {
            assert_eq!(parse_consent(yes), ConsentAnswer::Allowed, "{yes}");
        }
        for no in [
            "no",
            "false",
            "0",
            "Opt-Out",
            "denied",
            "withdrawn",
            "ne",
            "TIDAK",
        ] {
            assert_eq!(parse_consent(no), ConsentAnswer::Denied, "{no}");
        }
        for odd in ["", "yess", "2", "n/a", &"yes".repeat(1000)] {
            assert_eq!(parse_consent(odd), ConsentAnswer::Unknown, "{odd}");
        }
    }

    #[test]
    fn blank_normalized_values_are_ignored() {
        let s = schema();
        let records = [
            rec(&s, "a", "crm", 9, &[("city", "???")]),
            rec(&s, "b", "crm", 1, &[("city", "Ohrid")]),
        ];
        let refs: Vec<&Record> = records.iter().collect();
        let strip = |_: FieldKind, s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect();
        let g = golden_record(&s, &refs, &GoldenRules::new(), strip).unwrap();
        assert_eq!(picked(&g, "city"), one("Ohrid", "b"));
    }

    #[test]
    fn every_schema_field_is_reported_in_order_even_without_values() {
        let s = schema();
        let g = run(&s, &[], &GoldenRules::new());
        let names: Vec<&str> = g.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["given", "email", "city", "note", "consent"]);
        assert!(g.fields.iter().all(|f| f.values.is_empty()));
        assert_eq!(g.fields[1].rule, SurvivorshipRule::KeepAll);
    }

    #[test]
    fn rules_are_validated_against_the_schema() {
        let s = schema();
        let e = GoldenRules::new()
            .with_field("cty", SurvivorshipRule::MostRecent)
            .validate(&s)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnknownField);
        assert!(e.message().contains("cty"));
        let e = golden_record(
            &s,
            &[],
            &GoldenRules::new().with_consent_field("email"),
            norm,
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        let e = GoldenRules::new()
            .with_kind(FieldKind::City, SurvivorshipRule::MostRestrictive)
            .validate(&s)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        assert!(GoldenRules::new()
            .with_kind(FieldKind::Category, SurvivorshipRule::MostRestrictive)
            .validate(&s)
            .is_ok());
    }

    #[test]
    fn overrides_replace_and_beat_kind_defaults() {
        let s = schema();
        let rules = GoldenRules::new()
            .with_kind(FieldKind::City, SurvivorshipRule::Longest)
            .with_field("city", SurvivorshipRule::KeepAll)
            .with_field("city", SurvivorshipRule::MostFrequent);
        assert_eq!(rules.rule_for(&s, 2), &SurvivorshipRule::MostFrequent);
        assert_eq!(rules.field_rules().len(), 1);
        let rules = GoldenRules::new().with_kind(FieldKind::City, SurvivorshipRule::Longest);
        assert_eq!(rules.rule_for(&s, 2), &SurvivorshipRule::Longest);
        assert_eq!(rules.rule_for(&s, 99), &SurvivorshipRule::MostRecent);
    }

    #[test]
    fn debug_hides_values_and_display_shows_them() {
        let s = schema();
        let records = [rec(&s, "r1", "crm", 1, &[("email", "secret@x.com")])];
        let g = run(&s, &records, &GoldenRules::new());
        let debug = format!("{g:?}");
        assert!(!debug.contains("secret"), "{debug}");
        assert!(debug.contains("r1"));
        let shown = g.to_string();
        assert!(
            shown.contains("secret@x.com") && shown.contains("keep_all"),
            "{shown}"
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn rules_and_golden_records_round_trip_through_json() {
        let rules = GoldenRules::new().with_source_priority(["crm"]).with_field(
            "city",
            SurvivorshipRule::SourcePriority(vec!["crm".into(), "web".into()]),
        );
        let json = serde_json::to_string(&rules).unwrap();
        assert_eq!(serde_json::from_str::<GoldenRules>(&json).unwrap(), rules);
        let s = schema();
        let g = run(&s, &[rec(&s, "a", "crm", 1, &[("city", "Bled")])], &rules);
        let json = serde_json::to_string(&g).unwrap();
        assert_eq!(serde_json::from_str::<GoldenRecord>(&json).unwrap(), g);
    }

    /// (id, source, observed_at, [(field, value)]) of one generated record.
    type RecordSpec = (u8, u8, i64, Vec<(usize, u8)>);

    fn arb_records() -> impl Strategy<Value = Vec<RecordSpec>> {
        // (id, source, observed_at, [(field, value)]) with small domains to force ties.
        prop::collection::vec(
            (
                0u8..6,
                0u8..3,
                0i64..4,
                prop::collection::vec((0usize..5, 0u8..4), 0..4),
            ),
            0..8,
        )
    }

    proptest! {
        #[test]
        fn output_does_not_depend_on_record_order(
            spec in arb_records(),
            seed in any::<u64>(),
            rule_pick in 0usize..6,
        ) {
            let s = schema();
            let texts = ["Ana", "ana ", "Yes", "no"];
            let sources = ["crm", "shop", "web"];
            let records: Vec<Record> = spec
                .iter()
                .map(|(id, src, at, vals)| {
                    vals.iter()
                        .fold(
                            Record::builder(&s, format!("r{id}"))
                                .source(sources[usize::from(*src)])
                                .observed_at(*at),
                            |b, (f, v)| b.value(&s.fields()[*f].name, texts[usize::from(*v)]),
                        )
                        .build()
                        .unwrap()
                })
                .collect();
            let rule = [
                SurvivorshipRule::MostRecent,
                SurvivorshipRule::MostFrequent,
                SurvivorshipRule::SourcePriority(vec!["web".into()]),
                SurvivorshipRule::Longest,
                SurvivorshipRule::KeepAll,
                SurvivorshipRule::MostRecent,
            ][rule_pick].clone();
            let rules = ["given", "email", "city", "note"]
                .into_iter()
                .fold(GoldenRules::new().with_consent_field("consent"), |r, f| {
                    r.with_field(f, rule.clone())
                });
            let mut refs: Vec<&Record> = records.iter().collect();
            let before = golden_record(&s, &refs, &rules, norm).unwrap();
            // Deterministic shuffle (Fisher–Yates with a tiny LCG).
            let mut state = seed;
            for i in (1..refs.len()).rev() {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let j = usize::try_from((state >> 33) % (i as u64 + 1)).unwrap();
                refs.swap(i, j);
            }
            let after = golden_record(&s, &refs, &rules, norm).unwrap();
            prop_assert_eq!(before, after);
        }
    }
}
