//! Seeded generator of realistic multi-source customer data with ground truth.
//!
//! [`generate`] invents people from several locales (English UK/US, Serbian in Latin
//! and Cyrillic, Romanian, Indonesian, German, Greek), gives each one to six records
//! spread over six source systems and nine years, and writes every record the way that
//! source would: missing fields, nicknames, typos, swapped name order, titles, scripts
//! and diacritic variants, date formats with day/month swaps, email and phone
//! variants, people who move or change email, households sharing an address and
//! landline (some with twins), strangers sharing a common name about as often as in
//! a real population, and loyalty ids on part of the records. [`SynthData::truth`]
//! says which person each record belongs to.
//!
//! The output depends only on the [`SynthConfig`]: same config, same records, on every
//! platform (an own xoshiro256** PRNG, integer sampling, no hash-order dependence).
//!
//! ## What the data holds (defaults, 20,000 records)
//!
//! - About 8,350 people: 40% with one record, the rest with 2–8 (mean 2.4).
//! - Locales: Serbian 20%, UK 17%, Romanian 17%, Indonesian 16%, US 13%, German 12%,
//!   Greek 5%; 4% live abroad. 40% of Indonesians have a single name.
//! - Names are long-tailed like a real population's: each locale has its hand-written
//!   common names followed by a composed tail (stems and endings of the language:
//!   "Radosavljević", "Dumitrescu", "Ashford", "Steinbacher", "Παπαγεωργίου",
//!   "Suyanto"), a few thousand family names and a few hundred given names per sex
//!   (Greek: about 55 real given names per sex), drawn Zipf-like with a floor. The
//!   most common family name holds about 1.2% of its locale, the most common given
//!   name about 3% of its sex (Greek 4–5%), so a full name like "James Smith" is held
//!   by about 0.04% of a locale's men. Measured on the true people:
//!
//!   | | 20,000 records | 1,000,000 records |
//!   |---|---|---|
//!   | people | 8,331 | 416,318 |
//!   | distinct full names (of people with a family name) | 7,821 of 7,830 | 375,292 of 391,769 |
//!   | people sharing their full name with a stranger | 18 | 29,853 |
//!   | most common full name | 2 people | "Mary Smith", 24 |
//!   | distinct family names | 5,707 | 24,577 |
//!   | top family name (UK / Serbia / Romania) | 1.6% / 1.1% / 1.4% | 1.20% / 1.31% / 1.18% |
//!   | top given name (UK men / Serbian women) | 2.3% / 2.1% | 3.1% / 3.2% |
//!   | mononyms; most common | 501; "Budi" ×12 | 24,549; "Budi" ×386 |
//!
//!   Households share their family name, so a household of four counts four times.
//!   The name pools are fixed (built once per process, independent of the seed);
//!   the seed decides who gets which name.
//! - Sources: `crm` 24%, `webshop` 25%, `mobile_app` 18%, `call_centre` 16%,
//!   `legacy_import` 13%, `loyalty` 5%, each with its own habits: the call centre
//!   rarely has an email and mistypes twice as often, the web shop and app rarely have
//!   an address, the legacy import writes ASCII capitals and `yyyymmdd` dates.
//!   Missing overall: given name 2%, family name 10%, email 26%, phone 18%, date of
//!   birth 37%, street 46%, city 37%, postcode 46%, country 42%.
//! - A second email on 3% of records, a second phone on 5%; a loyalty id on 16%.
//! - Serbian names: Latin with diacritics, Cyrillic or plain ASCII; Romanian ș, ş or s;
//!   German ü, ue or u and ß or ss; Greek in Greek script or transliterated.
//! - About a fifth of people live in households of 2–4 (same family name, address and
//!   landline, different given names and birth dates; a tenth of households have twins).
//! - Entity ids are `0..people` in generation order; records come in order of
//!   `observed_at`, so neighbouring records rarely belong to the same person.
//!
//! ```
//! use sameas_synth::{generate, to_csv_rows, SynthConfig};
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
mod generator;
mod locale;
mod names;
mod people;
mod phenomena;
mod render;
mod rng;
mod text;

pub use phenomena::{PairTally, PersonFacts, Phenomena, Phenomenon, Relation};

use format::iso_datetime;
#[cfg(test)]
use generator::{OBSERVED_FROM, OBSERVED_TO};
use render::FIELD_NAMES;
#[cfg(test)]
use render::SOURCES;
use sameas::record::{FieldKind, Record, Schema};

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
    /// When above 0, names come only from the `name_head` most common given and family
    /// names of each locale (Zipf weights, no rare tail): few names cover most people,
    /// as Wang, Li and Zhang or Kim, Lee and Park do, so namesakes abound and name
    /// blocks grow with the data. Default 0 (every name of the lists).
    pub name_head: usize,
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
            name_head: 0,
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
    /// What was done to each record (nickname, swapped names, a move …), same order
    /// as `records`.
    pub phenomena: Vec<Phenomena>,
    /// Each person's household, twin status and plain name, indexed by entity id.
    pub people: Vec<PersonFacts>,
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

/// Generates `config.records` records with their truth; the same config always gives
/// the same data.
///
/// Record ids are `"{source}-{n:06}"` numbered per source in order of `observed_at`
/// (seconds since the Unix epoch, 2016–2024). Entity ids are `0..people`.
pub fn generate(config: &SynthConfig) -> SynthData {
    generator::generate(config)
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
