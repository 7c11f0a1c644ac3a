//! Behaviour of the generated data as a whole.

use super::*;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

fn small(seed: u64) -> SynthData {
    generate(&SynthConfig {
        records: 4_000,
        seed,
        ..SynthConfig::default()
    })
}

fn text(r: &Record, field: &str) -> Vec<String> {
    let i = FIELD_NAMES.iter().position(|f| *f == field).unwrap();
    r.values(i).iter().map(|v| v.to_text()).collect()
}

fn first(r: &Record, field: &str) -> String {
    text(r, field).into_iter().next().unwrap_or_default()
}

/// Records grouped by entity, in record order.
fn by_entity(data: &SynthData) -> BTreeMap<u64, Vec<&Record>> {
    let mut m: BTreeMap<u64, Vec<&Record>> = BTreeMap::new();
    for (r, &e) in data.records.iter().zip(&data.truth) {
        m.entry(e).or_default().push(r);
    }
    m
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

#[test]
fn same_seed_gives_identical_data_and_another_seed_differs() {
    let a = small(11);
    let b = small(11);
    assert_eq!(a, b);
    let c = small(12);
    assert_ne!(a.records, c.records);
    assert_eq!(c.records.len(), 4_000);
}

#[test]
fn output_is_pinned_across_platforms() {
    // A fingerprint of the full CSV of a small data set. It changes only when the
    // generator changes on purpose; a change on another platform is a portability bug.
    let data = generate(&SynthConfig {
        records: 500,
        seed: 1,
        ..SynthConfig::default()
    });
    let (header, rows) = to_csv_rows(&data);
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for cell in header.iter().chain(rows.iter().flatten()) {
        for b in cell.bytes().chain([0xff]) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    assert_eq!(h, PINNED_FINGERPRINT, "generator output changed: {h:#x}");
}

const PINNED_FINGERPRINT: u64 = 0x8339_3ac0_4824_56d8;

#[test]
fn counts_follow_the_config() {
    let data = generate(&SynthConfig::default());
    assert_eq!(data.records.len(), 20_000);
    assert_eq!(data.truth.len(), 20_000);
    let people = data.entity_count();
    assert!((7_500..=10_500).contains(&people), "{people} people");
    let sizes: Vec<usize> = by_entity(&data).values().map(Vec::len).collect();
    let multi = sizes.iter().filter(|&&n| n > 1).count();
    let share = multi as f64 / sizes.len() as f64;
    assert!((0.5..0.7).contains(&share), "{share}");
    assert!(sizes.iter().any(|&n| n >= 7));
    assert!(sizes.iter().all(|&n| n <= 8));
    // Entity ids are 0..people.
    assert_eq!(*data.truth.iter().max().unwrap() as usize + 1, people);
}

#[test]
fn records_are_valid_with_unique_ids_sources_and_times_in_order() {
    let data = small(3);
    let mut ids = BTreeSet::new();
    let mut last = i64::MIN;
    for r in &data.records {
        r.check(&data.schema).unwrap();
        assert!(ids.insert(r.id().to_string()), "duplicate id {}", r.id());
        assert!(SOURCES.contains(&r.source()));
        let (prefix, number) = r.id().rsplit_once('-').unwrap();
        assert_eq!(prefix, r.source());
        assert_eq!(number.len(), 6);
        assert!(r.observed_at() >= OBSERVED_FROM && r.observed_at() <= OBSERVED_TO);
        assert!(r.observed_at() >= last);
        last = r.observed_at();
    }
    for s in SOURCES {
        assert!(data.records.iter().any(|r| r.source() == s), "{s}");
    }
    assert_eq!(data.schema, synth_schema());
    assert_eq!(data.schema.len(), 10);
    assert_eq!(
        data.schema.field("loyalty_id").unwrap().1.kind,
        FieldKind::StrongId
    );
}

#[test]
fn fields_are_missing_per_source() {
    let data = generate(&SynthConfig::default());
    let share_missing = |source: &str, field: &str| {
        let rs: Vec<_> = data
            .records
            .iter()
            .filter(|r| r.source() == source)
            .collect();
        rs.iter().filter(|r| text(r, field).is_empty()).count() as f64 / rs.len() as f64
    };
    assert!(share_missing("call_centre", "email") > 0.7);
    assert!(share_missing("webshop", "email") < 0.1);
    assert!(share_missing("webshop", "street_address") > 0.5);
    assert!(share_missing("crm", "street_address") < 0.25);
    let any_missing = data
        .records
        .iter()
        .filter(|r| (0..10).any(|i| r.values(i).is_empty()))
        .count();
    assert!(any_missing > data.records.len() / 2);
    // Every record keeps something to identify the person by.
    for r in &data.records {
        assert!((0..4).any(|i| !r.values(i).is_empty()), "{r:?}");
    }
}

#[test]
fn names_come_in_several_scripts_and_spellings() {
    let data = generate(&SynthConfig::default());
    let names: Vec<String> = data
        .records
        .iter()
        .flat_map(|r| [first(r, "given_name"), first(r, "family_name")])
        .collect();
    let has = |pred: &dyn Fn(char) -> bool| names.iter().filter(|n| n.chars().any(pred)).count();
    let cyrillic = has(&|c| ('\u{400}'..='\u{4ff}').contains(&c));
    let greek = has(&|c| ('\u{370}'..='\u{3ff}').contains(&c));
    assert!(cyrillic > 200, "{cyrillic}");
    assert!(greek > 50, "{greek}");
    assert!(has(&|c| c == 'ș') > 0 && has(&|c| c == 'ş') > 0);
    assert!(has(&|c| c == 'ß') > 0 || names.iter().any(|n| n.contains("Weiß")));
    assert!(names.iter().any(|n| n == "Jovanović"));
    assert!(names.iter().any(|n| n == "Jovanovic"));
    assert!(names.iter().any(|n| n == "Јовановић"));
    // Mononyms: a given name and no family name, mostly Indonesian.
    let mononyms = data
        .records
        .iter()
        .filter(|r| !text(r, "given_name").is_empty() && text(r, "family_name").is_empty())
        .count();
    assert!(mononyms > 500, "{mononyms}");
    assert!(names
        .iter()
        .any(|n| n.starts_with("Bapak ") || n.starts_with("Ibu ")));
    assert!(names.iter().any(|n| n.ends_with("S.Kom.")));
    assert!(names
        .iter()
        .any(|n| n == "Bob" || n == "Bill" || n == "Saša"));
}

#[test]
fn names_are_as_spread_as_in_real_customer_bases() {
    use super::locale::LOCALES;
    use super::people::{family_name, given_name, Person};
    let people = generator::people(&SynthConfig::default());
    // The most common full name belongs to at most 1% of people (real: the product of
    // the given and family name shares, far below 1%), yet strangers do share names.
    let mut full: BTreeMap<(bool, &str, &str), usize> = BTreeMap::new();
    let mut families = BTreeSet::new();
    for p in &people {
        if p.family.is_some() {
            *full
                .entry((p.female, given_name(p), family_name(p)))
                .or_default() += 1;
            families.insert((p.name_locale as u8, family_name(p)));
        }
    }
    let top = full.values().copied().max().unwrap();
    assert!(top * 100 <= people.len(), "top full name has {top} people");
    assert!(
        full.values().any(|&n| n > 1),
        "no two strangers share a name"
    );
    assert!(families.len() > 3_000, "{} family names", families.len());
    // Per locale: top family name ≈ 1.2%, top given name ≈ 3% of its sex.
    let top_share = |ps: &[&Person], key: &dyn Fn(&Person) -> Option<&'static str>| {
        let mut m: BTreeMap<&str, usize> = BTreeMap::new();
        let mut n = 0;
        for p in ps {
            if let Some(k) = key(p) {
                *m.entry(k).or_default() += 1;
                n += 1;
            }
        }
        m.values().copied().max().unwrap_or(0) as f64 / n.max(1) as f64
    };
    for l in LOCALES {
        let ps: Vec<&Person> = people.iter().filter(|p| p.name_locale == l).collect();
        if ps.len() < 1_000 {
            continue;
        }
        let family = top_share(&ps, &|p| p.family.map(|_| family_name(p)));
        let male = top_share(&ps, &|p| (!p.female).then(|| given_name(p)));
        let female = top_share(&ps, &|p| p.female.then(|| given_name(p)));
        assert!((0.005..0.025).contains(&family), "{l:?} family {family}");
        assert!((0.015..0.06).contains(&male), "{l:?} male {male}");
        assert!((0.015..0.06).contains(&female), "{l:?} female {female}");
    }
    // Mononyms: a few Sitis, not dozens.
    let siti = people
        .iter()
        .filter(|p| p.family.is_none() && given_name(p) == "Siti")
        .count();
    assert!((1..=20).contains(&siti), "{siti} mononym Sitis");
}

#[test]
fn strangers_with_the_same_name_show_up_in_records() {
    let data = generate(&SynthConfig::default());
    let mut owners: BTreeMap<(String, String), BTreeSet<u64>> = BTreeMap::new();
    for (r, &e) in data.records.iter().zip(&data.truth) {
        let key = (first(r, "given_name"), first(r, "family_name"));
        if !key.0.is_empty() && !key.1.is_empty() {
            owners.entry(key).or_default().insert(e);
        }
    }
    let shared = owners.values().filter(|s| s.len() > 1).count();
    assert!(
        (1..300).contains(&shared),
        "{shared} names shared by several people"
    );
}

#[test]
fn households_share_address_and_landline_and_twins_share_birth_dates() {
    let data = generate(&SynthConfig::default());
    // Landline → people whose records carry it with the same family name.
    let mut phone_people: BTreeMap<String, BTreeSet<(u64, String)>> = BTreeMap::new();
    for (r, &e) in data.records.iter().zip(&data.truth) {
        let family = first(r, "family_name");
        for p in text(r, "phone") {
            let d = digits(&p);
            let tail = d[d.len().saturating_sub(8)..].to_string();
            phone_people
                .entry(tail)
                .or_default()
                .insert((e, family.clone()));
        }
    }
    let households = phone_people
        .values()
        .filter(|s| {
            let people: BTreeSet<u64> = s.iter().map(|(e, _)| *e).collect();
            people.len() > 1
        })
        .count();
    assert!(households > 50, "{households} shared phones");

    // Twins: two people with the same birth date and the same (household) phone.
    let data = generate(&SynthConfig {
        household_rate: 0.3,
        twin_rate: 0.5,
        ..SynthConfig::default()
    });
    type Ymd = (u32, u32, u32);
    let mut key_people: BTreeMap<(Ymd, String), BTreeSet<u64>> = BTreeMap::new();
    for (r, &e) in data.records.iter().zip(&data.truth) {
        let Some(dob) = text(r, "date_of_birth").first().and_then(|d| parse_dob(d)) else {
            continue;
        };
        for p in text(r, "phone") {
            let d = digits(&p);
            let tail = d[d.len().saturating_sub(8)..].to_string();
            key_people.entry((dob, tail)).or_default().insert(e);
        }
    }
    let twins = key_people.values().filter(|s| s.len() > 1).count();
    assert!(twins > 50, "{twins} pairs of twins found");
}

/// (year, month, day) of the numeric layouts the generator writes.
fn parse_dob(s: &str) -> Option<(u32, u32, u32)> {
    let groups: Vec<u32> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(|g| g.parse().ok())
        .collect::<Option<_>>()?;
    match groups.as_slice() {
        [ymd] if s.len() == 8 => Some((ymd / 10_000, ymd / 100 % 100, ymd % 100)),
        [y, m, d] if *y > 31 => Some((*y, *m, *d)),
        [d, m, y] => Some((*y, *m, *d)),
        _ => None,
    }
}

#[test]
fn variants_of_dates_emails_and_phones_occur() {
    let data = generate(&SynthConfig::default());
    let dobs: Vec<String> = data
        .records
        .iter()
        .map(|r| first(r, "date_of_birth"))
        .collect();
    let shape = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    '9'
                } else if c.is_alphabetic() {
                    'a'
                } else {
                    c
                }
            })
            .collect()
    };
    let shapes: BTreeSet<String> = dobs
        .iter()
        .filter(|d| !d.is_empty())
        .map(|d| shape(d))
        .collect();
    for s in [
        "9999-99-99",
        "99.99.9999",
        "99/99/9999",
        "99999999",
        "99-99-9999",
    ] {
        assert!(shapes.contains(s), "no {s} in {shapes:?}");
    }
    assert!(dobs.iter().any(|d| d.contains(" March ")));
    let emails: Vec<String> = data.records.iter().flat_map(|r| text(r, "email")).collect();
    assert!(emails.iter().any(|e| e.contains('+')));
    assert!(emails
        .iter()
        .any(|e| e.chars().any(|c| c.is_ascii_uppercase())));
    assert!(emails.iter().any(|e| e.ends_with("@googlemail.com")));
    let two_emails = data
        .records
        .iter()
        .filter(|r| text(r, "email").len() == 2)
        .count();
    let two_phones = data
        .records
        .iter()
        .filter(|r| text(r, "phone").len() == 2)
        .count();
    assert!(
        two_emails > 100 && two_phones > 100,
        "{two_emails} {two_phones}"
    );
    let phones: Vec<String> = data.records.iter().flat_map(|r| text(r, "phone")).collect();
    assert!(phones.iter().any(|p| p.starts_with("+40 7")));
    assert!(phones.iter().any(|p| p.starts_with("00")));
    assert!(phones.iter().any(|p| p.starts_with("07")));
    assert!(phones.iter().any(|p| p.starts_with('(')));
}

#[test]
fn same_person_same_loyalty_id_and_loyalty_records_always_carry_it() {
    let data = generate(&SynthConfig::default());
    let mut owner: BTreeMap<String, u64> = BTreeMap::new();
    let mut members = 0;
    for (e, rs) in by_entity(&data) {
        let ids: BTreeSet<String> = rs.iter().flat_map(|r| text(r, "loyalty_id")).collect();
        assert!(ids.len() <= 1, "person {e} has ids {ids:?}");
        for id in ids {
            members += 1;
            assert_eq!(*owner.entry(id).or_insert(e), e);
        }
        for r in rs {
            if r.source() == "loyalty" {
                assert_eq!(text(r, "loyalty_id").len(), 1);
            }
        }
    }
    assert!(members > 1_000, "{members}");
    let with_id = data
        .records
        .iter()
        .filter(|r| !text(r, "loyalty_id").is_empty())
        .count();
    assert!(with_id < data.records.len() / 2);
}

#[test]
fn people_move_and_change_email() {
    let data = generate(&SynthConfig::default());
    let mut moved = 0;
    let mut new_email = 0;
    for rs in by_entity(&data).values() {
        let postcodes: BTreeSet<String> = rs
            .iter()
            .map(|r| first(r, "postcode").replace(' ', "").to_lowercase())
            .filter(|p| !p.is_empty())
            .collect();
        moved += usize::from(postcodes.len() > 1);
        let domains: BTreeSet<String> = rs
            .iter()
            .flat_map(|r| text(r, "email"))
            .map(|e| {
                e.to_lowercase()
                    .replace('.', "")
                    .split('+')
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        new_email += usize::from(domains.len() > 1);
    }
    assert!(moved > 200, "{moved}");
    assert!(new_email > 200, "{new_email}");
}

#[test]
fn csv_rows_line_up_with_records() {
    let data = small(5);
    let (header, rows) = to_csv_rows(&data);
    assert_eq!(header.len(), 16);
    assert_eq!(header.last().unwrap(), "entity_id");
    assert_eq!(rows.len(), data.records.len());
    for ((row, r), e) in rows.iter().zip(&data.records).zip(&data.truth) {
        assert_eq!(row.len(), header.len());
        assert_eq!(row[0], r.id());
        assert_eq!(row[1], r.source());
        assert_eq!(row[2].len(), 20);
        assert_eq!(row[15], e.to_string());
        assert_eq!(row[5], first(r, "email"));
        assert_eq!(row[6], text(r, "email").get(1).cloned().unwrap_or_default());
        assert_eq!(row[14], first(r, "loyalty_id"));
    }
}

#[test]
fn knobs_change_the_data() {
    let base = SynthConfig {
        records: 3_000,
        ..SynthConfig::default()
    };
    let no_dups = generate(&SynthConfig {
        duplicate_rate: 0.0,
        household_rate: 0.0,
        ..base.clone()
    });
    assert_eq!(no_dups.entity_count(), 3_000);
    let all_missing = generate(&SynthConfig {
        missing_scale: 100.0,
        ..base.clone()
    });
    for r in &all_missing.records {
        let present: Vec<usize> = (0..9).filter(|&i| !r.values(i).is_empty()).collect();
        assert!(
            present == [0, 1] || present == [0] || present == [1],
            "{present:?}"
        );
    }
    let empty = generate(&SynthConfig { records: 0, ..base });
    assert!(empty.records.is_empty() && empty.truth.is_empty());
    assert_eq!(empty.entity_count(), 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn any_config_gives_exactly_the_records_asked_for(
        records in 0usize..300,
        seed in any::<u64>(),
        rate in prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(-1.0), 0.0f64..1.0, Just(2.0)],
        max in 0usize..12,
    ) {
        let config = SynthConfig {
            records,
            seed,
            duplicate_rate: rate,
            household_rate: rate,
            typo_rate: rate,
            missing_scale: rate,
            move_rate: rate,
            twin_rate: rate,
            nickname_rate: rate,
            email_variant_rate: rate,
            max_records_per_entity: max,
            ..SynthConfig::default()
        };
        let data = generate(&config);
        prop_assert_eq!(data.records.len(), records);
        prop_assert_eq!(data.truth.len(), records);
        for r in &data.records {
            prop_assert!(r.check(&data.schema).is_ok());
        }
        let sizes = by_entity(&data);
        prop_assert!(sizes.values().all(|v| v.len() <= max.max(1)));
    }
}

#[test]
fn a_name_head_makes_a_few_names_cover_most_people() {
    let share_of_top = |data: &SynthData, k: usize| {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut total = 0;
        for r in &data.records {
            let f = first(r, "family_name").to_lowercase();
            if !f.is_empty() {
                *counts.entry(f).or_default() += 1;
                total += 1;
            }
        }
        let mut sizes: Vec<usize> = counts.into_values().collect();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        sizes.iter().take(k).sum::<usize>() as f64 / total as f64
    };
    let config = |name_head| SynthConfig {
        records: 4_000,
        seed: 5,
        name_head,
        ..SynthConfig::default()
    };
    let whole = generate(&config(0));
    let head = generate(&config(5));
    // Five names a locale: the 50 most common spellings (scripts, typos and
    // transliterations aside) hold most records; with every name they hold few.
    let (whole_share, head_share) = (share_of_top(&whole, 50), share_of_top(&head, 50));
    assert!(head_share > 0.8, "{head_share}");
    assert!(whole_share < 0.5, "{whole_share}");
}

/// Every record carries the phenomena done to it: each kind turns up, and the tags
/// agree with the records (a swapped name sits in the other field, a repeated
/// mononym fills both fields alike, a record after a move has its person's new
/// address).
#[test]
fn records_are_tagged_with_what_was_done_to_them() {
    let data = generate(&SynthConfig {
        records: 20_000,
        seed: 3,
        ..SynthConfig::default()
    });
    assert_eq!(data.phenomena.len(), data.records.len());
    for p in Phenomenon::ALL {
        let n = data.phenomena.iter().filter(|t| t.contains(p)).count();
        assert!(n >= 5, "{} on {n} records", p.label());
    }
    let plain = |s: String| s.to_lowercase();
    for ((r, tags), &e) in data.records.iter().zip(&data.phenomena).zip(&data.truth) {
        let facts = &data.people[e as usize];
        let (given, family) = (
            plain(first(r, "given_name")),
            plain(first(r, "family_name")),
        );
        // A tag is only where its change can be seen.
        let has = |field: &str| !first(r, field).is_empty();
        if tags.contains(Phenomenon::NewEmail) || tags.contains(Phenomenon::EmailVariant) {
            assert!(has("email"), "{}: e-mail tag without an e-mail", r.id());
        }
        if tags.contains(Phenomenon::NewPhone) {
            assert!(has("phone"), "{}: phone tag without a phone", r.id());
        }
        if tags.contains(Phenomenon::Moved) {
            assert!(
                has("street_address") || has("city") || has("postcode"),
                "{}: a move without an address",
                r.id()
            );
        }
        if tags.contains(Phenomenon::FullNameInGiven) {
            assert!(!given.is_empty() && family.is_empty(), "{}", r.id());
        }
        if tags.contains(Phenomenon::Nickname) || tags.contains(Phenomenon::Honorific) {
            assert!(!given.is_empty() || !family.is_empty(), "{}", r.id());
        }
        if tags.contains(Phenomenon::MononymRepeated) && !given.is_empty() && !family.is_empty() {
            assert_eq!(given, family, "{}", r.id());
        }
        let untouched = [
            Phenomenon::NameTypo,
            Phenomenon::OtherScript,
            Phenomenon::Honorific,
            Phenomenon::Title,
            Phenomenon::OldSpelling,
            Phenomenon::Nickname,
        ]
        .iter()
        .all(|&p| !tags.contains(p));
        if tags.contains(Phenomenon::NamesSwapped) && untouched && !given.is_empty() {
            let written_family = facts.name.to_lowercase();
            assert!(
                written_family.ends_with(&given),
                "{}: {given:?} not the family of {:?}",
                r.id(),
                facts.name
            );
        }
    }
    // The twins are two people of one household with one birth date.
    let twins: BTreeSet<u64> = data
        .people
        .iter()
        .filter(|p| p.twin)
        .map(|p| p.household)
        .collect();
    assert!(!twins.is_empty());
    for h in twins {
        let members: Vec<usize> = (0..data.people.len())
            .filter(|&i| data.people[i].household == h && data.people[i].twin)
            .collect();
        assert_eq!(members.len(), 2, "household {h}");
    }
}

/// The truth itself keeps every true pair together and every relative apart; one
/// profile for all joins every relative.
#[test]
fn phenomenon_and_relation_tallies_read_the_profiles() {
    let data = small(5);
    for (p, t) in data.by_phenomenon(&data.truth) {
        assert_eq!(t.together, t.pairs, "{p:?}");
    }
    let all_true = &data.by_phenomenon(&data.truth)[0].1;
    let true_pairs: usize = by_entity(&data)
        .values()
        .map(|v| v.len() * (v.len() - 1) / 2)
        .sum();
    assert_eq!(all_true.pairs, true_pairs);
    let relations = data.by_relation(&data.truth);
    assert_eq!(relations.len(), Relation::ALL.len());
    for (r, t) in &relations {
        assert_eq!(t.together, 0, "{r:?}");
        assert!(t.pairs > 0, "{r:?} has no pairs");
    }
    let one = vec![0u8; data.records.len()];
    for (r, t) in data.by_relation(&one) {
        assert_eq!(t.together, t.pairs, "{r:?}");
    }
    // Each record alone: no true pair together.
    let alone: Vec<usize> = (0..data.records.len()).collect();
    assert_eq!(data.by_phenomenon(&alone)[0].1.together, 0);
}
