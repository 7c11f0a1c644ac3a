//! Shared test fixtures: a typical customer schema and a few people.
#![allow(dead_code)]

use sameas::compare::ComparisonSet;
use sameas::{Comparison, FieldKind, NormalizeOptions, Record, Schema};

pub fn customer_schema() -> Schema {
    Schema::from_fields([
        ("given_name", FieldKind::GivenName),
        ("family_name", FieldKind::FamilyName),
        ("date_of_birth", FieldKind::DateOfBirth),
        ("email", FieldKind::Email),
        ("phone", FieldKind::Phone),
        ("postcode", FieldKind::Postcode),
        ("city", FieldKind::City),
    ])
    .unwrap()
}

pub fn customer_set() -> ComparisonSet {
    let schema = customer_schema();
    let comparisons = Comparison::defaults_for(&schema);
    let options = NormalizeOptions {
        default_country: Some("RO".into()),
        ..NormalizeOptions::default()
    };
    ComparisonSet::new(schema, comparisons, options).unwrap()
}

/// A record of the customer schema; empty strings are left out.
pub fn person(s: &Schema, id: &str, fields: [&str; 7]) -> Record {
    let names = [
        "given_name",
        "family_name",
        "date_of_birth",
        "email",
        "phone",
        "postcode",
        "city",
    ];
    names
        .iter()
        .zip(fields)
        .fold(Record::builder(s, id), |b, (n, v)| b.value(n, v))
        .build()
        .unwrap()
}
