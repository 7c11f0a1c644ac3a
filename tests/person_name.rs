//! One person-name comparison over every name field of a record: levels on table
//! cases, symmetry, and configs written before comparisons could read several fields.

use proptest::prelude::*;
use sameas::compare::ComparisonSet;
use sameas::{Comparison, FieldKind, NormalizeOptions, Record, Schema};

fn schema() -> Schema {
    Schema::from_fields([
        ("full_name", FieldKind::FullName),
        ("given_name", FieldKind::GivenName),
        ("middle_name", FieldKind::GivenName),
        ("family_name", FieldKind::FamilyName),
    ])
    .unwrap()
}

fn set() -> ComparisonSet {
    let s = schema();
    let c = vec![Comparison::person_name(
        "name",
        &["full_name", "given_name", "middle_name", "family_name"],
    )];
    ComparisonSet::new(s, c, NormalizeOptions::default()).unwrap()
}

/// A record from `[full, given, middle, family]`; empty strings are left out.
fn rec(s: &Schema, id: &str, v: [&str; 4]) -> Record {
    ["full_name", "given_name", "middle_name", "family_name"]
        .iter()
        .zip(v)
        .fold(Record::builder(s, id), |b, (n, v)| b.value(n, v))
        .build()
        .unwrap()
}

fn label(set: &ComparisonSet, a: [&str; 4], b: [&str; 4]) -> String {
    let s = set.schema();
    let (pa, pb) = (
        set.prepare(&rec(s, "a", a)).unwrap(),
        set.prepare(&rec(s, "b", b)).unwrap(),
    );
    let (ab, ba) = (set.level(0, &pa, &pb), set.level(0, &pb, &pa));
    assert_eq!(ab, ba, "{a:?} / {b:?}: not symmetric");
    set.comparisons()[0].label(ab).to_string()
}

/// Given and family name fields.
fn gf(given: &'static str, family: &'static str) -> [&'static str; 4] {
    ["", given, "", family]
}

/// A full name only.
fn full(name: &'static str) -> [&'static str; 4] {
    [name, "", "", ""]
}

#[test]
fn levels_on_table_cases() {
    let set = set();
    let cases: &[([&str; 4], [&str; 4], &str)] = &[
        // Same name, however it is written down.
        (gf("Ion", "Popescu"), gf("ION", "popescu"), "same name"),
        (gf("Ion", "Popescu"), full("Ion Popescu"), "same name"),
        (full("Popescu, Ion"), gf("Ion", "Popescu"), "same name"),
        (
            ["Ion Popescu", "Ion", "", "Popescu"],
            gf("Ion", "Popescu"),
            "same name",
        ),
        // Given and family swapped.
        (
            gf("Popescu", "Ion"),
            gf("Ion", "Popescu"),
            "same tokens, other order",
        ),
        (
            full("Popescu Ion"),
            gf("Ion", "Popescu"),
            "same tokens, other order",
        ),
        // The family name written in capitals is read as the family name.
        (full("POPESCU Ion"), gf("Ion", "Popescu"), "same name"),
        // Nicknames.
        (
            gf("Bob", "Smith"),
            gf("Robert", "Smith"),
            "variant or nickname",
        ),
        // Typos.
        (
            gf("Martha", "Smith"),
            gf("Marhta", "Smith"),
            "tokens Jaro-Winkler >= 0.92",
        ),
        (
            gf("Kristina", "Smith"),
            gf("Christina", "Smith"),
            "tokens Jaro-Winkler >= 0.85",
        ),
        // One name inside the other: mononyms, given-only, second given name,
        // a spouse's added family name.
        (gf("Sukarno", ""), gf("Sukarno", "Sukarno"), "same name"),
        (full("Sukarno"), gf("Sukarno", "Hadi"), "subset"),
        (gf("Ana", ""), gf("Ana", "Popescu"), "subset"),
        (
            ["", "Ana", "Maria", "Popescu"],
            gf("Ana", "Popescu"),
            "subset",
        ),
        (gf("Ana", "Popescu Ionescu"), gf("Ana", "Popescu"), "subset"),
        (
            gf("Ana", "Popescu Ionescu"),
            gf("Anna", "Popescu"),
            "subset",
        ),
        // Initials.
        (gf("J.", "Smith"), gf("John", "Smith"), "initials"),
        (full("J. Smith"), full("John Paul Smith"), "initials"),
        // Relatives: same family, clearly different given names (twins, parents).
        (
            gf("Ana", "Popescu"),
            gf("Maria", "Popescu"),
            "same family, other given",
        ),
        (
            gf("Dragan", "Marinković"),
            gf("Snežana", "Marinkovic"),
            "same family, other given",
        ),
        (
            gf("K.", "Smith"),
            gf("John", "Smith"),
            "same family, other given",
        ),
        // Something shared, not the family.
        (gf("Ana", "Popescu"), gf("Ana", "Ionescu"), "a token shared"),
        // Nothing in common.
        (gf("Ana", "Popescu"), gf("Budi", "Santoso"), "else"),
    ];
    for (a, b, want) in cases {
        assert_eq!(label(&set, *a, *b), *want, "{a:?} / {b:?}");
    }
    // A missing name on either side is null.
    assert_eq!(label(&set, gf("", ""), gf("Ana", "Popescu")), "null");
}

#[test]
fn relative_and_else_are_veto_levels_and_the_rest_not() {
    let c = Comparison::person_name("name", &["given_name", "family_name"]);
    let vetoing: Vec<&str> = (1..c.level_count() as u8)
        .filter(|&l| c.is_veto(l))
        .map(|l| c.label(l))
        .collect();
    assert_eq!(vetoing, ["same family, other given", "else"]);
}

#[test]
fn unknown_and_non_name_fields_are_rejected_by_name() {
    let s = Schema::from_fields([
        ("given_name", FieldKind::GivenName),
        ("email", FieldKind::Email),
    ])
    .unwrap();
    let err = ComparisonSet::new(
        s.clone(),
        vec![Comparison::person_name("name", &["given_name", "surnme"])],
        NormalizeOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("\"surnme\""), "{err}");
    let err = ComparisonSet::new(
        s,
        vec![Comparison::person_name("name", &["given_name", "email"])],
        NormalizeOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("\"email\""), "{err}");
}

#[test]
fn an_old_single_field_config_still_loads() {
    let json = r#"{"name": "given_name", "field": "given_name",
        "levels": [{"label": "exact", "rule": "exact"}, {"label": "else", "rule": "else", "veto": true}],
        "term_frequency": true}"#;
    let c: Comparison = serde_json::from_str(json).unwrap();
    assert_eq!(c.field, "given_name");
    assert!(c.fields.is_empty() && !c.is_person_name());
    // A single-field comparison serializes without `fields`, as before.
    assert!(!serde_json::to_string(&c).unwrap().contains("\"fields\""));
    // The name comparison round-trips.
    let name = Comparison::person_name("name", &["given_name", "family_name"]);
    let text = serde_json::to_string(&name).unwrap();
    assert!(text.contains(r#""fields":["family_name"]"#), "{text}");
    assert_eq!(serde_json::from_str::<Comparison>(&text).unwrap(), name);
}

#[test]
fn training_rules_on_name_fields_find_the_name_comparison() {
    let c = Comparison::person_name("name", &["given_name", "family_name"]);
    assert!(c.reads("given_name") && c.reads("family_name") && !c.reads("dob"));
    let full = Comparison::person_name("name", &["name"]);
    assert!(full.reads("name.given") && full.reads("name.family"));
}

fn any_name() -> impl Strategy<Value = [String; 4]> {
    let token = prop::sample::select(vec![
        "",
        "Ana",
        "Anna",
        "A.",
        "Maria",
        "Ion",
        "Popescu",
        "Popesku",
        "Bob",
        "Robert",
        "J",
        "John",
        "Jon",
        "Smith",
        "Smyth",
        "Sukarno",
        "Budi",
        "Santoso",
        "Ana Maria",
        "Popescu, Ion",
    ]);
    prop::array::uniform4(token.prop_map(str::to_string))
}

proptest! {
    #[test]
    fn the_level_is_symmetric(a in any_name(), b in any_name()) {
        let set = set();
        let s = set.schema();
        let r = |id: &str, v: &[String; 4]| {
            rec(s, id, [v[0].as_str(), v[1].as_str(), v[2].as_str(), v[3].as_str()])
        };
        let (pa, pb) = (set.prepare(&r("a", &a)).unwrap(), set.prepare(&r("b", &b)).unwrap());
        prop_assert_eq!(set.level(0, &pa, &pb), set.level(0, &pb, &pa));
        // A name is the same name as itself.
        if set.level(0, &pa, &pa) != 0 {
            prop_assert_eq!(set.level(0, &pa, &pa), 1);
        }
    }
}
