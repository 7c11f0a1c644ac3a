//! Seeded generator of realistic multi-source customer data with ground truth.
//!
//! [`generate`] invents people from several locales (English UK/US, Serbian in Latin
//! and Cyrillic, Romanian, Indonesian, German, Greek), gives each one to six records
//! spread over six source systems and nine years, and writes every record the way that
//! source would: missing fields, nicknames, typos, swapped name order, titles, scripts
//! and diacritic variants, date formats with day/month swaps, email and phone
//! variants, people who move or change email, households sharing an address and
//! landline (some with twins), many different people sharing a common name, and
//! loyalty ids on part of the records. [`SynthData::truth`] says which person each
//! record belongs to.
//!
//! The output depends only on the [`SynthConfig`]: same config, same records, on every
//! platform (an own xoshiro256** PRNG, integer sampling, no hash-order dependence).
//!
//! ```
//! use sameas::{generate, to_csv_rows, SynthConfig};
//!
//! let data = generate(&SynthConfig { records: 2_000, seed: 7, ..SynthConfig::default() });
//! assert_eq!(data.records.len(), 2_000);
//! assert_eq!(data.truth.len(), 2_000);
//! assert!(data.entity_count() < 1_200); // many people have several records
//! for record in &data.records {
//!     record.check(&data.schema)?;
//! }
//! assert_eq!(generate(&SynthConfig { records: 2_000, seed: 7, ..SynthConfig::default() }), data);
//!
//! let (header, rows) = to_csv_rows(&data);
//! assert_eq!(header[0], "record_id");
//! assert_eq!(rows.len(), 2_000);
//! # Ok::<(), sameas::Error>(())
//! ```

mod format;
mod locale;
mod people;
mod render;
mod rng;
mod text;

use crate::record::{FieldKind, Record, Schema};
use format::iso_datetime;
use people::{Address, People, Person};
use render::{render, Plan, SourceTables, FIELD_NAMES, LOYALTY_SOURCE, PROFILES, SOURCES};
use rng::{Rng, Weighted};

/// What to generate: size, seed, and how noisy the data is.
///
/// Every rate is a probability in `[0, 1]` (values outside are clamped, NaN counts as
/// 0). The defaults give data that is hard in the ways real customer data is hard.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct SynthConfig {
    /// Total number of records (exact). Default 20,000.
    pub records: usize,
    /// Seed of every random choice. Default 42.
    pub seed: u64,
    /// Share of people with more than one record. Default 0.6 (about 2.4 records per
    /// person on average: 20,000 records ≈ 8,500 people).
    pub duplicate_rate: f64,
    /// Most records one person gets (at least 1). Default 8.
    pub max_records_per_entity: usize,
    /// Chance that a new person starts a household of 2–4 people sharing family name,
    /// address and landline. Default 0.08 (about a fifth of people live in one).
    pub household_rate: f64,
    /// Share of households whose first two members are twins (same date of birth,
    /// different given names). Default 0.1.
    pub twin_rate: f64,
    /// Chance of one keyboard slip in a name or street value (scaled per source: call
    /// centre ×2, legacy import ×1.5). Default 0.03.
    pub typo_rate: f64,
    /// Chance a record uses a nickname when the given name has one. Default 0.15.
    pub nickname_rate: f64,
    /// Chance given and family name are swapped. Default 0.03.
    pub name_swap_rate: f64,
    /// Chance of an honorific before the given name (Mr, Mrs, Dr, gđa, Dna., Bapak, Ibu,
    /// Herr, …). Default 0.05.
    pub honorific_rate: f64,
    /// Chance day and month of the birth date are swapped. Default 0.03.
    pub dob_swap_rate: f64,
    /// Chance of one wrong digit in the birth date. Default 0.01.
    pub dob_typo_rate: f64,
    /// Chance an email is written differently (case, gmail dots, +tag, googlemail).
    /// Default 0.15.
    pub email_variant_rate: f64,
    /// Share of people with a second (work) email. Default 0.2.
    pub second_email_rate: f64,
    /// Share of people with several records who switch to a new email. Default 0.1.
    pub email_change_rate: f64,
    /// Share of people with several records who get a new mobile number. Default 0.05.
    pub phone_change_rate: f64,
    /// Share of people with several records who move house. Default 0.15.
    pub move_rate: f64,
    /// Multiplier on every source's chance of a missing field. Default 1.0.
    pub missing_scale: f64,
    /// Share of people in the loyalty programme (they carry a loyalty id; only they
    /// have records from the `loyalty` source). Default 0.35.
    pub loyalty_member_rate: f64,
    /// Share of people living in another country than their name suggests. Default 0.04.
    pub expat_rate: f64,
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig {
            records: 20_000,
            seed: 42,
            duplicate_rate: 0.6,
            max_records_per_entity: 8,
            household_rate: 0.08,
            twin_rate: 0.1,
            typo_rate: 0.03,
            nickname_rate: 0.15,
            name_swap_rate: 0.03,
            honorific_rate: 0.05,
            dob_swap_rate: 0.03,
            dob_typo_rate: 0.01,
            email_variant_rate: 0.15,
            second_email_rate: 0.2,
            email_change_rate: 0.1,
            phone_change_rate: 0.05,
            move_rate: 0.15,
            missing_scale: 1.0,
            loyalty_member_rate: 0.35,
            expat_rate: 0.04,
        }
    }
}

/// Generated records with their truth.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SynthData {
    /// The schema every record fits ([`synth_schema`]).
    pub schema: Schema,
    /// The records, in order of `observed_at`; ids like `"crm-000123"`, unique.
    pub records: Vec<Record>,
    /// The true person (entity id) of each record, same order as `records`.
    pub truth: Vec<u64>,
}

impl SynthData {
    /// Number of distinct people in the data.
    pub fn entity_count(&self) -> usize {
        let mut ids = self.truth.clone();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    }
}

/// The schema of generated data: `given_name`, `family_name`, `email` (up to two
/// values), `phone` (up to two values), `date_of_birth` (raw text in varied formats),
/// `street_address`, `city`, `postcode`, `country`, `loyalty_id` (a strong id).
pub fn synth_schema() -> Schema {
    let kinds = [
        FieldKind::GivenName,
        FieldKind::FamilyName,
        FieldKind::Email,
        FieldKind::Phone,
        FieldKind::DateOfBirth,
        FieldKind::StreetAddress,
        FieldKind::City,
        FieldKind::Postcode,
        FieldKind::Country,
        FieldKind::StrongId,
    ];
    Schema::from_fields(FIELD_NAMES.into_iter().zip(kinds)).unwrap_or_default()
}

/// The config with every rate made a probability.
#[derive(Debug, Clone)]
pub(crate) struct Knobs {
    seed: u64,
    duplicate_rate: f64,
    max_records: u64,
    household_rate: f64,
    twin_rate: f64,
    typo_rate: f64,
    nickname_rate: f64,
    name_swap_rate: f64,
    honorific_rate: f64,
    dob_swap_rate: f64,
    dob_typo_rate: f64,
    email_variant_rate: f64,
    second_email_rate: f64,
    email_change_rate: f64,
    phone_change_rate: f64,
    move_rate: f64,
    missing_scale: f64,
    loyalty_member_rate: f64,
    expat_rate: f64,
}

fn probability(p: f64) -> f64 {
    if p.is_nan() {
        0.0
    } else {
        p.clamp(0.0, 1.0)
    }
}

impl From<&SynthConfig> for Knobs {
    fn from(c: &SynthConfig) -> Knobs {
        Knobs {
            seed: c.seed,
            duplicate_rate: probability(c.duplicate_rate),
            max_records: c.max_records_per_entity.clamp(1, 1_000) as u64,
            household_rate: probability(c.household_rate),
            twin_rate: probability(c.twin_rate),
            typo_rate: probability(c.typo_rate),
            nickname_rate: probability(c.nickname_rate),
            name_swap_rate: probability(c.name_swap_rate),
            honorific_rate: probability(c.honorific_rate),
            dob_swap_rate: probability(c.dob_swap_rate),
            dob_typo_rate: probability(c.dob_typo_rate),
            email_variant_rate: probability(c.email_variant_rate),
            second_email_rate: probability(c.second_email_rate),
            email_change_rate: probability(c.email_change_rate),
            phone_change_rate: probability(c.phone_change_rate),
            move_rate: probability(c.move_rate),
            missing_scale: if c.missing_scale.is_nan() {
                0.0
            } else {
                c.missing_scale.clamp(0.0, 1e6)
            },
            loyalty_member_rate: probability(c.loyalty_member_rate),
            expat_rate: probability(c.expat_rate),
        }
    }
}

/// First and last second records are observed in (2016-01-01 .. 2024-12-31 UTC).
const OBSERVED_FROM: i64 = 1_451_606_400;
const OBSERVED_TO: i64 = 1_735_689_599;

/// A rendered record waiting for its id (ids follow observation order).
struct Pending {
    time: i64,
    source: u8,
    entity: u64,
    values: Vec<(u8, String)>,
}

/// Everything drawn once per generation.
struct Generator {
    knobs: Knobs,
    rng: Rng,
    people: People,
    source_tables: SourceTables,
    /// Record count of a person with more than one record (index 0 = 2 records).
    extra_records: Weighted,
    sources: Weighted,
    sources_without_loyalty: Weighted,
    pending: Vec<Pending>,
    target: usize,
}

impl Generator {
    fn new(config: &SynthConfig) -> Generator {
        let knobs = Knobs::from(config);
        let mut tail = Vec::new();
        let mut w = 250u32;
        for k in 2..=knobs.max_records {
            w = match k {
                2 => 250,
                3 => 150,
                4 => 90,
                5 => 60,
                6 => 40,
                7 => 20,
                8 => 10,
                _ => (w / 2).max(1),
            };
            tail.push(w);
        }
        let weights: Vec<u32> = PROFILES.iter().map(|p| p.weight).collect();
        let mut without = weights.clone();
        if let Some(w) = without.get_mut(LOYALTY_SOURCE) {
            *w = 0;
        }
        Generator {
            rng: Rng::new(config.seed),
            people: People::new(),
            source_tables: SourceTables::new(),
            extra_records: Weighted::new(&tail),
            sources: Weighted::new(&weights),
            sources_without_loyalty: Weighted::new(&without),
            pending: Vec::with_capacity(config.records),
            target: config.records,
            knobs,
        }
    }

    fn run(&mut self) {
        let mut entity = 0u64;
        while self.pending.len() < self.target {
            let size = if self.rng.chance(self.knobs.household_rate) {
                2 + self.rng.below(3)
            } else {
                1
            };
            let twins = self.rng.chance(self.knobs.twin_rate);
            let head = self.people.person(entity, &self.knobs, &mut self.rng);
            self.emit(&head, entity);
            entity += 1;
            let mut taken = vec![(head.female, head.given)];
            for member in 1..size {
                if self.pending.len() >= self.target {
                    break;
                }
                let twin_of = (twins && member == 1).then_some(head.dob);
                let p = self.people.household_member(
                    entity,
                    &head,
                    &taken,
                    twin_of,
                    &self.knobs,
                    &mut self.rng,
                );
                taken.push((p.female, p.given));
                self.emit(&p, entity);
                entity += 1;
            }
        }
    }

    /// A change point in `1..k` (records from it on see the change), or none.
    fn change_at(&mut self, k: usize, rate: f64) -> Option<usize> {
        (k >= 2 && self.rng.chance(rate)).then(|| 1 + self.rng.index(k - 1))
    }

    /// Writes the records of one person.
    fn emit(&mut self, p: &Person, entity: u64) {
        let remaining = self.target.saturating_sub(self.pending.len());
        let k = if self.knobs.max_records >= 2 && self.rng.chance(self.knobs.duplicate_rate) {
            2 + self.extra_records.sample(&mut self.rng)
        } else {
            1
        }
        .min(remaining);
        if k == 0 {
            return;
        }
        // Records of one person cluster in time: some within a year or two, some
        // across the whole range.
        let first = self.rng.range(OBSERVED_FROM, OBSERVED_TO);
        let span = if self.rng.chance(0.5) {
            2 * 365 * 86_400
        } else {
            OBSERVED_TO - OBSERVED_FROM
        };
        let last = first.saturating_add(span).min(OBSERVED_TO);
        let mut times: Vec<i64> = (0..k).map(|_| self.rng.range(first, last)).collect();
        times.sort_unstable();

        let move_at = self.change_at(k, self.knobs.move_rate);
        let email_at = self.change_at(k, self.knobs.email_change_rate);
        let phone_at = self.change_at(k, self.knobs.phone_change_rate);
        let new_address: Option<Address> = move_at.map(|_| {
            self.people
                .address(p.address.locale, Some(&p.address), &mut self.rng)
        });
        let new_email = email_at.map(|_| self.people.email(p, false, &mut self.rng));
        let new_mobile = phone_at.map(|_| self.people.mobile(p.address.locale, &mut self.rng));

        for (i, &time) in times.iter().enumerate() {
            let after = |at: Option<usize>| at.is_some_and(|at| i >= at);
            let source = if p.loyalty.is_some() {
                self.sources.sample(&mut self.rng)
            } else {
                self.sources_without_loyalty.sample(&mut self.rng)
            };
            let (email, old_email) = match &new_email {
                Some(new) if after(email_at) => (new.as_str(), Some(p.email.as_str())),
                _ => (p.email.as_str(), None),
            };
            let plan = Plan {
                person: p,
                source,
                email,
                old_email,
                mobile: match &new_mobile {
                    Some(m) if after(phone_at) => m,
                    _ => &p.mobile,
                },
                address: match &new_address {
                    Some(a) if after(move_at) => a,
                    _ => &p.address,
                },
            };
            let values = render(&plan, &self.source_tables, &self.knobs, &mut self.rng);
            self.pending.push(Pending {
                time,
                source: source as u8,
                entity,
                values,
            });
        }
    }

    fn finish(mut self) -> SynthData {
        let schema = synth_schema();
        // Stable sort: ties keep generation order, so the result is deterministic.
        self.pending.sort_by_key(|p| p.time);
        let mut counters = [0u32; SOURCES.len()];
        let mut records = Vec::with_capacity(self.pending.len());
        let mut truth = Vec::with_capacity(self.pending.len());
        for p in self.pending {
            let s = usize::from(p.source).min(SOURCES.len() - 1);
            counters[s] += 1;
            if let Some((record, entity)) = build_record(&schema, counters[s], p) {
                records.push(record);
                truth.push(entity);
            }
        }
        SynthData {
            schema,
            records,
            truth,
        }
    }
}

/// The record of `p`, with id `"{source}-{n:06}"`, and its entity.
fn build_record(schema: &Schema, n: u32, p: Pending) -> Option<(Record, u64)> {
    let source = SOURCES[usize::from(p.source).min(SOURCES.len() - 1)];
    let mut builder = Record::builder(schema, format!("{source}-{n:06}"))
        .source(source)
        .observed_at(p.time);
    for (field, value) in p.values {
        if let Some(name) = FIELD_NAMES.get(usize::from(field)) {
            builder = builder.value(name, value);
        }
    }
    // Field names come from the schema itself, so building cannot fail.
    builder.build().ok().map(|r| (r, p.entity))
}

/// Generates `config.records` records with their truth; the same config always gives
/// the same data.
///
/// Record ids are `"{source}-{n:06}"` numbered per source in order of `observed_at`
/// (seconds since the Unix epoch, 2016–2024). Entity ids are `0..people`.
pub fn generate(config: &SynthConfig) -> SynthData {
    let mut generator = Generator::new(config);
    generator.run();
    generator.finish()
}

/// The CSV columns of [`to_csv_rows`].
const CSV_HEADER: [&str; 16] = [
    "record_id",
    "source",
    "observed_at",
    "given_name",
    "family_name",
    "email",
    "email_2",
    "phone",
    "phone_2",
    "date_of_birth",
    "street_address",
    "city",
    "postcode",
    "country",
    "loyalty_id",
    "entity_id",
];

/// The data as a CSV header and rows (unquoted text; quote fields containing commas,
/// quotes or line breaks when writing).
///
/// Columns: `record_id, source, observed_at` (ISO 8601 UTC, e.g.
/// `2019-03-04T12:34:56Z`), then the schema fields with the second email in `email_2`
/// and the second phone in `phone_2` (empty when absent), then `entity_id` (the
/// truth). Missing values are empty strings.
pub fn to_csv_rows(data: &SynthData) -> (Vec<String>, Vec<Vec<String>>) {
    let header = CSV_HEADER.iter().map(|s| s.to_string()).collect();
    let nth = |r: &Record, field: usize, n: usize| {
        r.values(field)
            .get(n)
            .map(|v| v.to_text())
            .unwrap_or_default()
    };
    let rows = data
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut row = Vec::with_capacity(CSV_HEADER.len());
            row.push(r.id().to_string());
            row.push(r.source().to_string());
            row.push(iso_datetime(r.observed_at()));
            row.push(nth(r, 0, 0));
            row.push(nth(r, 1, 0));
            row.push(nth(r, 2, 0));
            row.push(nth(r, 2, 1));
            row.push(nth(r, 3, 0));
            row.push(nth(r, 3, 1));
            for field in 4..FIELD_NAMES.len() {
                row.push(nth(r, field, 0));
            }
            row.push(data.truth.get(i).map(u64::to_string).unwrap_or_default());
            row
        })
        .collect();
    (header, rows)
}

#[cfg(test)]
mod tests;
