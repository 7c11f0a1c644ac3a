//! Comparisons on prepared records: levels, symmetry, multi-valued fields.

mod common;

use common::{customer_set, person};
use proptest::prelude::*;
use sameas::compare::{Chars, ComparisonSet};
use sameas::{Comparison, FieldKind, Level, LevelRule, NormalizeOptions, Record, Schema};

fn level_labels(set: &ComparisonSet, a: &Record, b: &Record) -> Vec<String> {
    let (pa, pb) = (set.prepare(a).unwrap(), set.prepare(b).unwrap());
    let g = set.gamma(&pa, &pb);
    set.comparisons()
        .iter()
        .enumerate()
        .map(|(i, c)| c.label(g.level(i)).to_string())
        .collect()
}

#[test]
fn default_levels_for_a_typical_pair() {
    let set = customer_set();
    let s = set.schema().clone();
    let a = person(
        &s,
        "a",
        [
            "Robert",
            "Jovanović",
            "1990-03-04",
            "Rob.J@gmail.com",
            "+40 721 234 567",
            "010101",
            "București",
        ],
    );
    let b = person(
        &s,
        "b",
        [
            "Bob",
            "JOVANOVIC",
            "04.03.1990",
            "robj@gmail.com",
            "0721 234 567",
            "010102",
            "Bucuresti",
        ],
    );
    let labels = level_labels(&set, &a, &b);
    assert_eq!(
        labels,
        [
            "nickname or variant",
            "exact",
            "exact",
            "exact",
            "exact",
            "one edit",
            "exact"
        ]
    );
}

#[test]
fn near_misses_fall_into_their_fuzzy_levels() {
    let set = customer_set();
    let s = set.schema().clone();
    let a = person(
        &s,
        "a",
        [
            "Martha",
            "Smith",
            "1990-03-04",
            "sunflower@x.com",
            "+40721234567",
            "",
            "",
        ],
    );
    let b = person(
        &s,
        "b",
        [
            "Marhta",
            "Smyth",
            "1990-04-03",
            "sunflower@y.org",
            "+40721234568",
            "",
            "",
        ],
    );
    let labels = level_labels(&set, &a, &b);
    assert_eq!(labels[0], "Jaro-Winkler >= 0.92");
    assert_eq!(labels[2], "day/month swapped");
    assert_eq!(labels[3], "same local part");
    assert_eq!(labels[4], "one edit");
    assert_eq!(labels[5], "null");
    assert_eq!(labels[6], "null");
}

#[test]
fn dates_one_digit_off_same_year_and_within_a_year() {
    let set = customer_set();
    let s = set.schema().clone();
    let a = person(&s, "a", ["", "", "1990-03-04", "", "", "", ""]);
    let b = person(&s, "b", ["", "", "1990-03-05", "", "", "", ""]);
    let c = person(&s, "c", ["", "", "1990-11-25", "", "", "", ""]);
    let d = person(&s, "d", ["", "", "1971-11-25", "", "", "", ""]);
    // Weeks apart across a new year; and a year and a day apart.
    let e = person(&s, "e", ["", "", "1989-12-20", "", "", "", ""]);
    let f = person(&s, "f", ["", "", "1989-03-03", "", "", "", ""]);
    assert_eq!(level_labels(&set, &a, &b)[2], "one digit off");
    assert_eq!(level_labels(&set, &a, &c)[2], "same year");
    assert_eq!(level_labels(&set, &a, &e)[2], "within a year");
    assert_eq!(level_labels(&set, &e, &a)[2], "within a year");
    assert_eq!(level_labels(&set, &a, &f)[2], "else");
    assert_eq!(level_labels(&set, &a, &d)[2], "else");
}

/// A date systems write when they have no birth date (`1900-01-01`) is missing, not a
/// birth date: against the person's real one the comparison is null, not a vetoing
/// "else", and two records holding it do not agree.
#[test]
fn a_placeholder_birth_date_is_missing() {
    let set = customer_set();
    let s = set.schema().clone();
    let date = |id: &str, d: &str| person(&s, id, ["", "", d, "", "", "", ""]);
    let real = date("a", "1964-02-05");
    for placeholder in ["1900-01-01", "01.01.1900", "0001-01-01", "9999-12-31"] {
        let sentinel = date("b", placeholder);
        assert_eq!(
            level_labels(&set, &real, &sentinel)[2],
            "null",
            "{placeholder}"
        );
        assert_eq!(
            level_labels(&set, &sentinel, &sentinel)[2],
            "null",
            "{placeholder}"
        );
    }
    // A day later is a birth date.
    let close = date("c", "1900-01-02");
    assert_eq!(level_labels(&set, &close, &close)[2], "exact");
    // A date handed over as a date, not as text, is read the same way.
    let typed = |id: &str, d: sameas::record::Date| {
        Record::builder(&s, id)
            .value("date_of_birth", d)
            .build()
            .unwrap()
    };
    let sentinel = typed("d", sameas::record::Date::new(1900, 1, 1).unwrap());
    let born = typed("e", sameas::record::Date::new(1964, 2, 5).unwrap());
    assert_eq!(level_labels(&set, &born, &sentinel)[2], "null");
    assert_eq!(level_labels(&set, &born, &real)[2], "exact");
}

/// A given name cut to its initial (`M.` / `Muhammad`) is its own level, "initial",
/// not a vetoing "else"; two different initials, or an initial of another name, are
/// not.
#[test]
fn a_given_name_cut_to_its_initial_is_its_own_level() {
    let label = default_levels_of(FieldKind::GivenName);
    assert_level_both_ways(
        &label,
        &[
            ("M.", "Muhammad"),
            ("A Yani", "Ahmad Yani"),
            ("j", "Jovana"),
        ],
        "initial",
    );
    assert_eq!(label("M.", "Ahmad"), "else");
    // Two different initials are two names, not one typo.
    assert_eq!(label("M.", "A."), "else");
    assert_eq!(label("Ana", "Ama"), "one typo");
}

/// A given name and a short form of it that no nickname table lists (`Dana` /
/// `Daniela`, `Tika` / `Kartika`) are their own level, "short form", not "else": EM
/// weighs it from the data, and it does not veto. Names that share only a first
/// letter, or a letter too few, stay "else".
#[test]
fn a_given_name_and_its_short_form_are_their_own_level() {
    let set = customer_set();
    let s = set.schema().clone();
    let given = |id: &str, g: &str| person(&s, id, [g, "", "", "", "", "", ""]);
    let held = [
        ("Dana", "Daniela"),
        ("Mia", "Maria"),
        ("Tika", "Kartika"),
        ("Geo Mihai", "Georgiana"),
    ];
    for (x, y) in held {
        let (a, b) = (given("a", x), given("b", y));
        assert_eq!(level_labels(&set, &a, &b)[0], "short form", "{x} / {y}");
        assert_eq!(level_labels(&set, &b, &a)[0], "short form", "{y} / {x}");
    }
    for (x, y) in [
        ("Valentin", "Bianca"),
        ("Joca", "Jovan"),
        ("M", "Ana"),
        ("Ana", "Elena"),
        ("Jin", "Jianhua"),
    ] {
        let (a, b) = (given("a", x), given("b", y));
        assert_eq!(level_labels(&set, &a, &b)[0], "else", "{x} / {y}");
        assert_eq!(level_labels(&set, &b, &a)[0], "else", "{y} / {x}");
    }
}

/// A whole part of a date mistyped or replaced (another year, month or day, the
/// other two the same) is its own level, so the data can weigh it: in person
/// registers whose duplicates carry one error each it is a typo, among customers
/// mostly a stranger.
#[test]
fn a_date_with_one_part_different_is_its_own_level() {
    let set = customer_set();
    let s = set.schema().clone();
    let date = |id: &str, d: &str| person(&s, id, ["", "", d, "", "", "", ""]);
    let a = date("a", "1981-09-23");
    for other in ["2008-09-23", "1981-11-23", "1981-09-11"] {
        let b = date("b", other);
        assert_eq!(
            level_labels(&set, &a, &b)[2],
            "one part different",
            "{other}"
        );
        assert_eq!(
            level_labels(&set, &b, &a)[2],
            "one part different",
            "{other}"
        );
    }
    // One digit off stays the closer level; two parts off are not one part.
    assert_eq!(
        level_labels(&set, &a, &date("c", "1981-09-24"))[2],
        "one digit off"
    );
    assert_eq!(
        level_labels(&set, &a, &date("d", "1981-02-11"))[2],
        "same year"
    );
    assert_eq!(level_labels(&set, &a, &date("e", "1975-02-23"))[2], "else");
}

#[test]
fn multi_valued_fields_take_the_best_pair() {
    let set = customer_set();
    let s = set.schema().clone();
    let a = Record::builder(&s, "a")
        .value("email", "old@x.com")
        .value("email", "new@y.com")
        .build()
        .unwrap();
    let b = Record::builder(&s, "b")
        .value("email", "NEW@y.com")
        .build()
        .unwrap();
    assert_eq!(level_labels(&set, &a, &b)[3], "exact");
}

#[test]
fn invalid_values_count_as_missing() {
    let set = customer_set();
    let s = set.schema().clone();
    let a = person(&s, "a", ["", "", "1990-02-31", "not an email", "", "", ""]);
    let b = person(&s, "b", ["", "", "1990-02-28", "x@y.com", "", "", ""]);
    let labels = level_labels(&set, &a, &b);
    assert_eq!(labels[2], "null");
    assert_eq!(labels[3], "null");
}

#[test]
fn invalid_comparisons_are_rejected() {
    let schema =
        Schema::from_fields([("n", FieldKind::GivenName), ("full", FieldKind::FullName)]).unwrap();
    let opts = NormalizeOptions::default;
    let mk = |levels: Vec<Level>, field: &str| Comparison {
        name: "c".into(),
        field: field.into(),
        fields: Vec::new(),
        levels,
        term_frequency: false,
    };
    let else_ = || Level::new("else", LevelRule::Else);
    let nan = Level::new(
        "bad",
        LevelRule::JaroWinkler {
            threshold: f64::NAN,
        },
    );
    assert!(ComparisonSet::new(schema.clone(), vec![mk(vec![nan, else_()], "n")], opts()).is_err());
    assert!(ComparisonSet::new(
        schema.clone(),
        vec![mk(vec![Level::new("x", LevelRule::Exact)], "n")],
        opts()
    )
    .is_err());
    assert!(ComparisonSet::new(
        schema.clone(),
        vec![mk(vec![else_(), else_()], "n")],
        opts()
    )
    .is_err());
    assert!(ComparisonSet::new(schema.clone(), vec![mk(vec![else_()], "zz")], opts()).is_err());
    assert!(
        ComparisonSet::new(schema.clone(), vec![mk(vec![else_()], "n.given")], opts()).is_err()
    );
    assert!(ComparisonSet::new(
        schema.clone(),
        vec![mk(vec![else_()], "full.given")],
        opts()
    )
    .is_ok());
    assert!(ComparisonSet::new(schema, vec![], opts()).is_err());
}

fn any_person() -> impl Strategy<Value = [String; 7]> {
    let name = prop::sample::select(vec![
        "Ana",
        "Anna",
        "Jovana",
        "Јована",
        "Budi",
        "Stefan",
        "Ștefan",
        "",
        "Bob",
        "Robert",
    ]);
    let fam = prop::sample::select(vec![
        "Smith",
        "Smyth",
        "Петровић",
        "Petrovic",
        "Santoso",
        "",
        "Popescu",
    ]);
    let dob = prop::sample::select(vec![
        "1990-03-04",
        "04.03.1990",
        "1990-04-03",
        "1991-03-04",
        "",
        "31.02.1990",
    ]);
    let email = prop::sample::select(vec!["a@x.com", "A@X.com", "a@y.com", "ab@x.com", "", "bad"]);
    let phone = prop::sample::select(vec!["+40721234567", "0721234567", "+40721234568", "", "12"]);
    let pc = prop::sample::select(vec!["010101", "010102", "", "SW1A 1AA"]);
    let city = prop::sample::select(vec!["București", "Bucuresti", "Beograd", "Београд", ""]);
    (name, fam, dob, email, phone, pc, city)
        .prop_map(|(a, b, c, d, e, f, g)| [a, b, c, d, e, f, g].map(String::from))
}

proptest! {
    #[test]
    fn gamma_is_symmetric_and_identical_records_reach_the_top_level(x in any_person(), y in any_person()) {
        let set = customer_set();
        let s = set.schema().clone();
        let a = person(&s, "a", x.each_ref().map(String::as_str));
        let b = person(&s, "b", y.each_ref().map(String::as_str));
        let (pa, pb) = (set.prepare(&a).unwrap(), set.prepare(&b).unwrap());
        prop_assert_eq!(set.gamma(&pa, &pb), set.gamma(&pb, &pa));
        let g = set.gamma(&pa, &pa);
        for i in 0..set.len() {
            let l = g.level(i);
            prop_assert!(l <= 1, "comparison {} of a record with itself is at level {}", i, l);
            prop_assert_eq!(l == 0, pa.values(i).is_empty());
        }
    }
}

#[test]
fn two_identity_disagreements_veto_unless_an_identifier_agrees() {
    let schema = Schema::from_fields([
        ("given_name", FieldKind::GivenName),
        ("family_name", FieldKind::FamilyName),
        ("date_of_birth", FieldKind::DateOfBirth),
        ("loyalty_id", FieldKind::StrongId),
    ])
    .unwrap();
    let set = default_set(&schema);
    let rec = |id: &str, given: &str, dob: &str, loyalty: &str| {
        Record::builder(&schema, id)
            .value("given_name", given)
            .value("family_name", "Petrović")
            .value("date_of_birth", dob)
            .value("loyalty_id", loyalty)
            .build()
            .unwrap()
    };
    let g = |a: &Record, b: &Record| set.gamma(&set.prepare(a).unwrap(), &set.prepare(b).unwrap());
    let father = rec("a", "Dragan", "1961-02-03", "");
    let mother = rec("b", "Snežana", "1964-11-20", "");
    let same_card = rec("c", "Snežana", "1964-11-20", "LY-1");
    let father_card = rec("d", "Dragan", "1961-02-03", "LY-1");
    assert!(
        set.is_vetoed(g(&father, &mother), 2),
        "given name and birth date both differ"
    );
    assert!(!set.is_vetoed(g(&father, &mother), 3));
    assert!(
        !set.is_vetoed(g(&father, &mother), 0),
        "quorum 0 disables the veto"
    );
    assert!(!set.is_vetoed(g(&father, &father), 2));
    assert!(
        !set.is_vetoed(g(&same_card, &father_card), 2),
        "an agreeing identifier overrides"
    );
}

#[test]
fn numeric_levels_read_numbers_from_the_prepared_characters() {
    let schema = Schema::from_fields([("age", FieldKind::FreeText)]).unwrap();
    let levels = vec![
        Level::new("within 1", LevelRule::NumericAbsolute { max: 1.0 }),
        Level::new("within 10%", LevelRule::NumericRelative { max: 0.1 }),
        Level::new("else", LevelRule::Else),
    ];
    let c = Comparison {
        name: "age".into(),
        field: "age".into(),
        fields: Vec::new(),
        levels,
        term_frequency: false,
    };
    let set = ComparisonSet::new(schema.clone(), vec![c], NormalizeOptions::default()).unwrap();
    let level = |a: &str, b: &str| {
        let r = |id: &str, v: &str| {
            set.prepare(
                &Record::builder(&schema, id)
                    .value("age", v)
                    .build()
                    .unwrap(),
            )
            .unwrap()
        };
        set.gamma(&r("a", a), &r("b", b)).level(0)
    };
    assert_eq!(level("42", "43"), 1);
    assert_eq!(level("100", "108"), 2);
    assert_eq!(level("100", "150"), 3);
    assert_eq!(level("forty", "41"), 3, "text is not a number");
    assert!(std::mem::size_of::<sameas::compare::PreparedValue>() <= 40);
}

/// The default comparisons of `schema`, bound to it.
fn default_set(schema: &Schema) -> ComparisonSet {
    ComparisonSet::new(
        schema.clone(),
        Comparison::defaults_for(schema),
        NormalizeOptions::default(),
    )
    .unwrap()
}

/// Asserts that `label` gives `level` to every pair of `pairs`, read either way round.
fn assert_level_both_ways(
    label: &impl Fn(&str, &str) -> String,
    pairs: &[(&str, &str)],
    level: &str,
) {
    for &(a, b) in pairs {
        assert_eq!(label(a, b), level, "{a} / {b}");
        assert_eq!(label(b, a), level, "{b} / {a}");
    }
}

/// The level label the default comparison of one field of `kind` gives two values.
fn default_levels_of(kind: FieldKind) -> impl Fn(&str, &str) -> String {
    let schema = Schema::from_fields([("f", kind)]).unwrap();
    let set = ComparisonSet::new(
        schema.clone(),
        vec![Comparison::for_kind("f", kind)],
        NormalizeOptions::default(),
    )
    .unwrap();
    move |a, b| {
        let rec = |id: &str, v: &str| Record::builder(&schema, id).value("f", v).build().unwrap();
        level_labels(&set, &rec("a", a), &rec("b", b))[0].clone()
    }
}

/// A family name written with another word or without one (a given name that went
/// to the family field, a second family name) shares a word: "a word in common", not
/// "else"; two compound names that share one word of three do not.
#[test]
fn family_names_sharing_a_word_are_their_own_level() {
    let label = default_levels_of(FieldKind::FamilyName);
    assert_level_both_ways(
        &label,
        &[
            ("Dian Simanjuntak", "Simanjuntak"),
            ("Lopez Garcia", "Garcia"),
            ("Popescu-Ionescu", "Ionescu"),
        ],
        "a word in common",
    );
    assert_eq!(label("Ionescu Pop", "Dumitrescu Pop"), "else");
    assert_eq!(label("Simanjuntak", "Hasibuan"), "else");
}

#[test]
fn an_impossible_birth_date_is_compared_by_its_digits() {
    let label = default_levels_of(FieldKind::DateOfBirth);
    // A typo made month 13 or day 64: one digit off the real date, not missing.
    assert_eq!(label("1967-13-10", "1967-12-10"), "one digit off");
    assert_eq!(label("2001-12-64", "2001-12-14"), "one digit off");
    assert_eq!(label("2001-12-64", "2001-12-64"), "exact");
    // Far from the real date: a corrupt value says nothing; no date at all neither.
    assert_eq!(label("1967-13-10", "1980-02-01"), "null");
    assert_eq!(label("1967-12-10", "1980-02-01"), "else");
    assert_eq!(label("not a date", "1967-12-10"), "null");
}

/// A comparison of the one field `field`: `levels`, then else.
fn one_field(field: &str, levels: &[(&str, LevelRule)]) -> Comparison {
    let mut levels: Vec<Level> = levels
        .iter()
        .map(|(label, rule)| Level::new(*label, rule.clone()))
        .collect();
    levels.push(Level::new("else", LevelRule::Else));
    Comparison {
        name: field.into(),
        field: field.into(),
        fields: Vec::new(),
        levels,
        term_frequency: false,
    }
}

/// The level `c` gives two records holding `a` and `b` in its field.
fn level_of_values(c: Comparison, kind: FieldKind, a: &str, b: &str) -> u8 {
    let field = c.field.clone();
    let schema = Schema::from_fields([(field.as_str(), kind)]).unwrap();
    let set = ComparisonSet::new(schema.clone(), vec![c], NormalizeOptions::default()).unwrap();
    let r = |id: &str, v: &str| {
        let record = Record::builder(&schema, id).value(&field, v).build();
        set.prepare(&record.unwrap()).unwrap()
    };
    set.gamma(&r("a", a), &r("b", b)).level(0)
}

#[test]
fn soundex_and_nysiis_levels_are_phonetic_alternatives() {
    let level_of = |rule: LevelRule, a: &str, b: &str| {
        let c = one_field(
            "family",
            &[("exact", LevelRule::Exact), ("sounds alike", rule)],
        );
        level_of_values(c, FieldKind::FamilyName, a, b)
    };
    // Soundex R163 both; NYSIIS RABAD / RAPAD.
    assert_eq!(level_of(LevelRule::Soundex, "Robert", "Rupert"), 2);
    assert_eq!(level_of(LevelRule::Nysiis, "Robert", "Rupert"), 3);
    // NYSIIS NAGT both; Soundex K523 / N230.
    assert_eq!(level_of(LevelRule::Nysiis, "Knight", "Night"), 2);
    assert_eq!(level_of(LevelRule::Soundex, "Knight", "Night"), 3);
    assert_eq!(level_of(LevelRule::Soundex, "Popescu", "Ionescu"), 3);
    assert_eq!(level_of(LevelRule::Phonetic, "Smith", "Smyth"), 2);

    // One phonetic code per comparison.
    let two_codes = one_field(
        "family",
        &[
            ("metaphone", LevelRule::Phonetic),
            ("soundex", LevelRule::Soundex),
        ],
    );
    let e = two_codes.validate().unwrap_err();
    assert!(e.to_string().contains("phonetic"), "{e}");
}

#[test]
fn date_within_days_counts_calendar_days() {
    let c = one_field(
        "dob",
        &[
            ("exact", LevelRule::Exact),
            ("within 2 days", LevelRule::DateWithinDays { days: 2 }),
        ],
    );
    let level = |a: &str, b: &str| level_of_values(c.clone(), FieldKind::DateOfBirth, a, b);
    assert_eq!(level("2024-02-28", "2024-03-01"), 2, "leap year: 2 days");
    assert_eq!(level("2023-02-27", "2023-03-01"), 2);
    assert_eq!(level("2023-12-31", "2024-01-03"), 3);
}

#[test]
fn spelling_variants_of_a_given_name_meet_at_the_nickname_level() {
    let label = default_levels_of(FieldKind::GivenName);
    for (a, b) in [
        ("Mohammad", "Muhammad"),
        ("Muh.", "Muhammad"),
        ("Soekarno", "Sukarno"),
        ("Djoko", "Joko"),
        ("Bob", "Robert"),
    ] {
        assert_eq!(label(a, b), "nickname or variant", "{a} / {b}");
    }
    assert_eq!(label("Maria", "Mario"), "Jaro-Winkler >= 0.92");
}

#[test]
fn a_national_phone_without_a_country_still_compares_by_its_last_digits() {
    let label = default_levels_of(FieldKind::Phone);
    assert_eq!(label("0878 9305 4861", "087893054861"), "exact");
    assert_eq!(
        label("0878 9305 4861", "+62 878 9305 4861"),
        "last 7 digits"
    );
    assert_eq!(label("0878 9305 4861", "0878 1111 2222"), "else");
    assert_eq!(label("call me", "0878 9305 4861"), "null");
}

/// Records of a given and a family name, and the default comparisons of the two.
struct GivenAndFamily {
    schema: Schema,
    set: ComparisonSet,
}

impl GivenAndFamily {
    fn new() -> Self {
        let schema = Schema::from_fields([
            ("given", FieldKind::GivenName),
            ("family", FieldKind::FamilyName),
        ])
        .unwrap();
        let set = default_set(&schema);
        GivenAndFamily { schema, set }
    }

    fn rec(&self, id: &str, given: &str, family: &str) -> Record {
        Record::builder(&self.schema, id)
            .value("given", given)
            .value("family", family)
            .build()
            .unwrap()
    }

    /// The level labels of two records given as `[given, family]`.
    fn labels(&self, a: [&str; 2], b: [&str; 2]) -> Vec<String> {
        level_labels(
            &self.set,
            &self.rec("a", a[0], a[1]),
            &self.rec("b", b[0], b[1]),
        )
    }
}

#[test]
fn names_typed_into_each_others_field_are_compared_crosswise() {
    let names = GivenAndFamily::new();
    let (set, labels) = (&names.set, |a, b| names.labels(a, b));
    assert_eq!(
        labels(["POPESCU", "Ion"], ["Ion", "Popescu"]),
        ["exact", "exact"]
    );
    // Swapped with a typo in either name: each name reaches its fuzzy level.
    assert_eq!(
        labels(["Dietold", "Goldfeldler"], ["Goldfeldler", "Dietol"]),
        ["Jaro-Winkler >= 0.92", "exact"]
    );
    // Swapped, one of the two names missing: the other still agrees.
    assert_eq!(
        labels(["Zlatinka", "Jovanaric"], ["Jovanaric", ""]),
        ["null", "exact"]
    );
    // Symmetric: the same levels with the records the other way round.
    assert_eq!(
        labels(["Jovanaric", ""], ["Zlatinka", "Jovanaric"]),
        ["null", "exact"]
    );
    // Only one side crosses while the other disagrees: a relative or a coincidence
    // of names that are both given and family names, not a swap.
    assert_eq!(
        labels(["Ion", "Popescu"], ["Popescu", "Maria"]),
        ["else", "else"]
    );
    assert_eq!(
        labels(["Uwe", "Martin"], ["Martin", "Koch"]),
        ["else", "else"]
    );
    // A name moved into an empty field does not hide a disagreement.
    assert_eq!(labels(["Danita", ""], ["Danora", ""]), ["else", "null"]);
    // Already exact: unchanged.
    assert_eq!(
        labels(["Ion", "Popescu"], ["Ion", "Popescu"]),
        ["exact", "exact"]
    );
    // The level of one comparison alone agrees with γ.
    let (a, b) = (
        names.rec("a", "POPESCU", "Ion"),
        names.rec("b", "Ion", "Popescu"),
    );
    let (pa, pb) = (set.prepare(&a).unwrap(), set.prepare(&b).unwrap());
    assert_eq!(set.level(0, &pa, &pb), set.gamma(&pa, &pb).level(0));
}

#[test]
fn a_one_name_person_repeated_in_both_name_fields_is_counted_once() {
    let names = GivenAndFamily::new();
    let (set, labels) = (&names.set, |a, b| names.labels(a, b));
    // Both records repeat the one name: the family level would only echo the given
    // level, so it is null, whatever the given level.
    assert_eq!(
        labels(["Purisa", "Purisa"], ["PURISA", "Purisa"]),
        ["exact", "null"]
    );
    assert_eq!(
        labels(["Purisa", "Purisa"], ["Purisqa", "Purisqa"]),
        ["Jaro-Winkler >= 0.92", "null"]
    );
    // Only one record repeats: two facts, both count.
    assert_eq!(
        labels(["Frank", "Frank"], ["Franck", "Frank"]),
        ["Jaro-Winkler >= 0.92", "exact"]
    );
    assert_eq!(
        labels(["Purisa", "Purisa"], ["Purisa", "Wijaya"]),
        ["exact", "else"]
    );
    // γ and the level of the family comparison alone agree.
    let (a, b) = (
        names.rec("a", "Purisa", "Purisa"),
        names.rec("b", "Purisa", "Purisa"),
    );
    let (pa, pb) = (set.prepare(&a).unwrap(), set.prepare(&b).unwrap());
    assert_eq!(set.level(1, &pa, &pb), 0);
}

#[test]
fn a_given_name_with_a_second_name_or_the_family_name_typed_in_keeps_its_first_name() {
    let label = default_levels_of(FieldKind::GivenName);
    // A full name typed into the given-name field, or a second given name: the
    // first name and nothing that contradicts it.
    assert_eq!(label("Camby", "Camby Walingden"), "initials or extra names");
    assert_eq!(
        label("Yudadi Jayningrat", "Yudadi"),
        "initials or extra names"
    );
    assert_eq!(
        label("Dr. Ekadi Saputra", "Ekadi"),
        "initials or extra names"
    );
    // Two different second names: only the first name is shared.
    assert_eq!(label("Ana Maria", "Ana Elena"), "same first name");
    // Different first names stay at "else", whatever follows.
    assert_eq!(label("Jelena", "Milica"), "else");
    assert_eq!(label("Ana Maria", "Elena Maria"), "else");
}

#[test]
fn a_middle_initial_or_name_added_or_left_out_keeps_the_given_name() {
    let label = default_levels_of(FieldKind::GivenName);
    let level = "initials or extra names";
    for (a, b) in [
        ("Alan", "Alan B."),
        ("Alan B.", "Alan Bernard"),
        ("Alok M.", "Alok Mani"),
        ("Alok", "Alok Mani"),
        ("Harry J.", "Harry J. M."),
        ("Alan B. C.", "Alan Bernard"),
        ("Xx A A A A A Z", "Xx A A A A A A Zed"),
        ("Maria", "Maria Elena Sofia"),
    ] {
        assert_eq!(label(a, b), level, "{a} / {b}");
        assert_eq!(label(b, a), level, "{b} / {a}");
    }
    // Another second name, another first name, initials alone, or more words than
    // the level reads are not it.
    for (a, b) in [
        ("Jun-Se", "Jun-O"),
        ("Alan B.", "Alan C."),
        ("Alan Bernard", "Alan Brian"),
        ("Pasculeanu", "Emilica Pasculeanu"),
        ("J.", "J. Robert"),
        ("Alan B.", "Alan Charles"),
        // Nine words: more than the level reads.
        ("Ana B C D E F G H I", "Ana B C D E F G H J"),
        ("Xx A A A A A A Z", "Xx A A A A A A A"),
    ] {
        assert_ne!(label(a, b), level, "{a} / {b}");
        assert_ne!(label(b, a), level, "{b} / {a}");
    }
}

#[test]
fn a_typo_in_a_short_given_name_or_a_word_beside_it_is_not_a_different_name() {
    let label = default_levels_of(FieldKind::GivenName);
    // One typo where Jaro-Winkler punishes short names.
    assert_eq!(label("Lefa", "Leda"), "one typo");
    assert_eq!(label("Camald", "Csmald"), "one typo");
    // The name beside a title written with a typo, or an initial.
    assert_eq!(label("gospoodin Zoran", "Zoran"), "a word in common");
    assert_eq!(label("Bapk Eko", "Eko"), "a word in common");
    // A shared second name is not half of the words: still "else".
    assert_eq!(label("Ana Maria Luisa", "Elena Maria"), "else");
    assert_eq!(label("Jelena", "Milena Jovanović"), "else");
}

#[test]
fn a_shared_email_local_part_built_from_the_name_is_not_counted_again() {
    let set = customer_set();
    let s = set.schema().clone();
    let email = |given: &str, family: &str, address: &str| {
        person(&s, address, [given, family, "", address, "", "", ""])
    };
    let email_level = |a: &Record, b: &Record| level_labels(&set, a, b)[3].clone();
    // Namesakes at two providers: the local part is their name again (with initials,
    // digits and separators), so it says nothing the name comparisons have not said.
    let mary = email("Mary", "Smith", "mary_smith@outlook.com");
    let other_mary = email("Mary", "Smith", "mary_smith@gmail.com");
    assert_eq!(email_level(&mary, &other_mary), "null");
    let budi = email("Budi", "Santoso", "budi.santoso88@gmail.com");
    let other_budi = email("Budi", "", "budisantoso88@yahoo.co.id");
    assert_eq!(email_level(&budi, &other_budi), "null");
    let z = email("Zlatojka", "Ignačević", "z.ignacevic42@contoso.eu");
    let other_z = email("", "", "z.ignacevic42@yahoo.com");
    assert_eq!(email_level(&z, &other_z), "null");
    // A local part that is not the name still counts, whatever the names say.
    let fan = email("Mary", "Smith", "rivals.fan77@outlook.com");
    let other_fan = email("Ana", "Pop", "rivals.fan77@yahoo.com");
    assert_eq!(email_level(&fan, &other_fan), "same local part");
    let unnamed = email("", "", "mary_smith@outlook.com");
    assert_eq!(
        email_level(&unnamed, &email("", "", "mary_smith@gmail.com")),
        "same local part"
    );
    // A second, different address beside it does not turn "no evidence" into a
    // disagreement; a second address that agrees still counts.
    let two = |given: &str, family: &str, first: &str, second: &str| {
        Record::builder(&s, first)
            .value("given_name", given)
            .value("family_name", family)
            .value("email", first)
            .value("email", second)
            .build()
            .unwrap()
    };
    let mary_at_work = two("Mary", "Smith", "mary_smith@outlook.com", "work77@corp.com");
    assert_eq!(email_level(&mary_at_work, &other_mary), "null");
    assert_eq!(email_level(&other_mary, &mary_at_work), "null");
    let fan_too = two(
        "Mary",
        "Smith",
        "mary_smith@outlook.com",
        "rivals.fan77@outlook.com",
    );
    assert_eq!(email_level(&fan_too, &other_fan), "same local part");
    assert_eq!(
        email_level(&fan_too, &email("Mary", "Smith", "mary_smith@outlook.com")),
        "exact"
    );
    // The whole address is still exact, and different local parts still disagree.
    assert_eq!(
        email_level(&mary, &email("Mary", "Smith", "MARY_SMITH@outlook.com")),
        "exact"
    );
    assert_eq!(
        email_level(&mary, &email("Mary", "Smith", "msmith@gmail.com")),
        "else"
    );
}

proptest! {
    /// A record whose characters all fit a byte keeps them as bytes, one with any
    /// other character as 16-bit units: the levels must not tell the two apart.
    #[test]
    fn byte_and_wide_characters_give_the_same_levels(x in any_person(), y in any_person()) {
        let set = customer_set();
        let s = set.schema().clone();
        let a = person(&s, "a", x.each_ref().map(String::as_str));
        let b = person(&s, "b", y.each_ref().map(String::as_str));
        // The same person with a city in Chinese characters: its record turns wide.
        let mut wide_fields = y.clone();
        wide_fields[6] = "北京".to_string();
        let b_wide = person(&s, "b", wide_fields.each_ref().map(String::as_str));
        let (pa, pb, pw) = (
            set.prepare(&a).unwrap(),
            set.prepare(&b).unwrap(),
            set.prepare(&b_wide).unwrap(),
        );
        let city = set.len() - 1;
        let is_wide = |p: &sameas::compare::PreparedRecord| {
            p.values(city).first().is_some_and(|v| matches!(p.chars(v), Chars::Wide(_)))
        };
        prop_assert!(is_wide(&pw));
        let (narrow, wide) = (set.gamma(&pa, &pb), set.gamma(&pa, &pw));
        for c in 0..city {
            prop_assert_eq!(narrow.level(c), wide.level(c), "comparison {}", c);
            prop_assert_eq!(set.gamma(&pw, &pa).level(c), wide.level(c));
        }
    }
}

/// A record that gives only a full name (a source with one name box) is compared on
/// the given and family names split from it; one that gives a given or a family name
/// keeps its own split.
#[test]
fn a_full_name_alone_stands_in_for_the_given_and_family_names() {
    let schema = Schema::from_fields([
        ("given_name", FieldKind::GivenName),
        ("family_name", FieldKind::FamilyName),
        ("full_name", FieldKind::FullName),
        ("city", FieldKind::City),
    ])
    .unwrap();
    let set = default_set(&schema);
    let names: Vec<&str> = set.comparisons().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["given_name", "family_name", "city"]);
    let record = |id: &str, given: &str, family: &str, full: &str| {
        Record::builder(&schema, id)
            .value("given_name", given)
            .value("family_name", family)
            .value("full_name", full)
            .value("city", "Cluj")
            .build()
            .unwrap()
    };
    let split = record("a", "Ana", "Popescu", "");
    let full_only = record("b", "", "", "Ana Popescu");
    assert_eq!(
        level_labels(&set, &split, &full_only),
        ["exact", "exact", "exact"]
    );
    // A given name without a family name: the full name is not read.
    let given_only = record("c", "Ana", "", "Popescu");
    assert_eq!(level_labels(&set, &split, &given_only)[1], "null");
    let none = record("d", "", "", "");
    assert_eq!(level_labels(&set, &split, &none)[..2], ["null", "null"]);
}

/// A phonetic code of two sounds (`JN`) is shared by too many names to be evidence:
/// romanized given names a syllable apart are not phonetic variants, while longer
/// codes still join spellings (English C/K, old Indonesian spellings with a typo).
#[test]
fn romanized_given_names_a_syllable_apart_are_not_phonetic_variants() {
    let label = default_levels_of(FieldKind::GivenName);
    for (a, b) in [
        ("Jinhai", "Jianhua"),
        ("Jin", "Jianhua"),
        ("Jiawen", "Jianhua"),
        ("Junhwi", "Junhee"),
    ] {
        assert_eq!(label(a, b), "else", "{a} / {b}");
    }
    for (a, b) in [
        ("Kathrine", "Cathryn"),
        ("Soegdi", "Sugdu"),
        ("Agoes", "Aghus"),
    ] {
        assert_eq!(label(a, b), "phonetic", "{a} / {b}");
    }
    // The boundary is the code's length in characters: `Max` and `Macks` are `MKS`
    // (x is two sounds) and meet; the price is paid by short Western spellings, which
    // fall to the next level (documented on `LevelRule::Phonetic`).
    let family = default_levels_of(FieldKind::FamilyName);
    assert_eq!(family("Max", "Macks"), "phonetic");
    assert_eq!(family("Lee", "Li"), "else");
    assert_eq!(label("Neil", "Niall"), "else");
}
