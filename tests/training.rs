//! Training without labels on data whose duplicates each differ in exactly one field
//! (a typo in a name, or one component of the birth date changed), as in classic
//! person benchmarks. A deterministic rule requiring all fields equal finds almost no
//! pair there; the prior must come from the evidence instead.

use sameas::config::PriorEstimate;
use sameas::{Config, FieldKind, Labels, ProfileGraph, Record, Schema};

const GIVEN: [&str; 24] = [
    "anna", "peter", "michael", "sabine", "thomas", "andrea", "stefan", "claudia", "frank",
    "petra", "juergen", "monika", "uwe", "karin", "klaus", "birgit", "martin", "susanne",
    "wolfgang", "heike", "dieter", "ute", "bernd", "gabriele",
];
const FAMILY: [&str; 30] = [
    "mueller",
    "schmidt",
    "schneider",
    "fischer",
    "weber",
    "meyer",
    "wagner",
    "becker",
    "schulz",
    "hoffmann",
    "koch",
    "richter",
    "klein",
    "wolf",
    "schroeder",
    "neumann",
    "schwarz",
    "zimmermann",
    "braun",
    "krueger",
    "hofmann",
    "hartmann",
    "lange",
    "schmitt",
    "werner",
    "krause",
    "meier",
    "lehmann",
    "schmid",
    "schulze",
];

/// Family names are a stem and one of these endings: 600 in all, about as varied as
/// the family names of a few thousand real people.
const SUFFIX: [&str; 20] = [
    "", "er", "mann", "berg", "hof", "bach", "feld", "stein", "ow", "ski", "dorf", "haus", "brink",
    "kamp", "rath", "wald", "horst", "lein", "ke", "ig",
];

/// A small deterministic generator (xorshift), so the test needs no data files.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

struct Person {
    given: String,
    family: String,
    date: (u32, u32, u32),
}

fn typo(rng: &mut Rng, s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let i = 1 + rng.below(chars.len() - 2);
    chars[i] = (b'a' + rng.below(26) as u8) as char;
    chars.into_iter().collect()
}

/// `people` originals plus one duplicate with exactly one changed field for each of
/// the first `duplicates`; returns the records and each record's true person.
fn one_error_data(
    people: usize,
    duplicates: usize,
    seed: u64,
) -> (Schema, Vec<Record>, Vec<usize>) {
    let schema = Schema::from_fields([
        ("given_name", FieldKind::GivenName),
        ("family_name", FieldKind::FamilyName),
        ("date_of_birth", FieldKind::DateOfBirth),
    ])
    .unwrap();
    let mut rng = Rng(seed);
    let mut persons: Vec<Person> = (0..people)
        .map(|_| Person {
            given: GIVEN[rng.below(GIVEN.len())].to_string(),
            family: format!(
                "{}{}",
                FAMILY[rng.below(FAMILY.len())],
                SUFFIX[rng.below(SUFFIX.len())]
            ),
            date: (
                1930 + rng.below(70) as u32,
                1 + rng.below(12) as u32,
                1 + rng.below(28) as u32,
            ),
        })
        .collect();
    let mut truth: Vec<usize> = (0..people).collect();
    for p in 0..duplicates {
        let o = &persons[p];
        let (mut given, mut family, mut date) = (o.given.clone(), o.family.clone(), o.date);
        match rng.below(5) {
            0 => given = typo(&mut rng, &given),
            1 => family = typo(&mut rng, &family),
            2 => date.0 = 1930 + rng.below(70) as u32,
            3 => date.1 = 1 + (date.1 + rng.below(10) as u32) % 12,
            _ => date.2 = 1 + (date.2 + rng.below(26) as u32) % 28,
        }
        persons.push(Person {
            given,
            family,
            date,
        });
        truth.push(p);
    }
    let records = persons
        .iter()
        .enumerate()
        .map(|(i, p)| {
            Record::builder(&schema, format!("r{i}"))
                .value("given_name", p.given.as_str())
                .value("family_name", p.family.as_str())
                .value(
                    "date_of_birth",
                    format!("{:04}-{:02}-{:02}", p.date.0, p.date.1, p.date.2),
                )
                .build()
                .unwrap()
        })
        .collect();
    (schema, records, truth)
}

fn trained(prior: PriorEstimate) -> (ProfileGraph, f64, Vec<usize>) {
    let (schema, records, truth) = one_error_data(4_000, 400, 0x5EED);
    let mut config = Config::infer(schema).unwrap();
    config.training.prior = prior;
    let mut graph = ProfileGraph::new(config).unwrap();
    graph.add_batch(records).unwrap();
    let (report, _) = graph.train().unwrap();
    (graph, report.prior.unwrap(), truth)
}

#[test]
fn prior_from_candidates_finds_the_one_error_duplicates() {
    let n = 4_400.0f64;
    let true_prior = 400.0 / (n * (n - 1.0) / 2.0);
    let (graph, prior, truth) = trained(PriorEstimate::Candidates);
    assert!(
        prior > true_prior / 2.0 && prior < true_prior * 2.0,
        "prior {prior:e}, truth {true_prior:e}"
    );
    // Most duplicates end in their original's profile, and few strangers do.
    let profile: Vec<_> = (0..4_400)
        .map(|i| graph.profile_of(&format!("r{i}")).unwrap())
        .collect();
    let found = (0..400)
        .filter(|&p| profile[p] == profile[4_000 + p])
        .count();
    assert!(found >= 320, "{found} of 400 duplicates joined");
    let mut members: std::collections::BTreeMap<_, Vec<usize>> = Default::default();
    for (i, p) in profile.iter().enumerate() {
        members.entry(*p).or_default().push(i);
    }
    let impure = members
        .values()
        .filter(|m| m.iter().any(|&i| truth[i] != truth[m[0]]))
        .count();
    assert!(impure <= 20, "{impure} profiles hold more than one person");
}

#[test]
fn prior_from_rules_collapses_on_the_same_data() {
    // The documented weakness the default avoids: all-fields-equal rules see almost
    // none of these duplicates.
    let n = 4_400.0f64;
    let true_prior = 400.0 / (n * (n - 1.0) / 2.0);
    let (_, prior, _) = trained(PriorEstimate::Rules);
    assert!(
        prior < true_prior / 5.0,
        "prior {prior:e}, truth {true_prior:e}"
    );
}

#[test]
fn labels_move_the_prior_with_m_and_u() {
    let (schema, records, truth) = one_error_data(4_000, 400, 0x5EED);
    let mut graph = ProfileGraph::new(Config::infer(schema).unwrap()).unwrap();
    graph.add_batch(records).unwrap();
    let labels = Labels {
        entities: (0..truth.len())
            .map(|i| (format!("r{i}"), truth[i].to_string()))
            .collect(),
        pairs: Vec::new(),
    };
    graph.train_labelled(&labels, 1.0).unwrap();
    let n = 4_400.0f64;
    let true_prior = 400.0 / (n * (n - 1.0) / 2.0);
    let prior = graph.model().prior();
    assert!(
        (prior - true_prior).abs() < 0.15 * true_prior,
        "prior {prior:e}, truth {true_prior:e}"
    );
    let joined = (0..400)
        .filter(|&p| {
            graph.profile_of(&format!("r{p}")) == graph.profile_of(&format!("r{}", 4_000 + p))
        })
        .count();
    assert!(joined >= 330, "{joined} of 400 duplicates joined");
}

/// A schema of names and a place only (as inventors on patents, or a mailing list):
/// the name block trains every comparison but the names, so a second run on the place
/// must train them; left at their starting m, the names merged namesakes.
#[test]
fn names_and_a_place_only_train_the_names_too() {
    use sameas_synth::{generate, to_csv_rows, SynthConfig};
    let data = generate(&SynthConfig {
        records: 10_000,
        seed: 7,
        ..SynthConfig::default()
    });
    let (header, rows) = to_csv_rows(&data);
    let fields = [
        ("given_name", FieldKind::GivenName),
        ("family_name", FieldKind::FamilyName),
        ("city", FieldKind::City),
        ("postcode", FieldKind::Postcode),
    ];
    let schema = Schema::from_fields(fields).unwrap();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let records: Vec<Record> = rows
        .iter()
        .map(|row| {
            let mut b = Record::builder(&schema, row[column("record_id")].as_str());
            for (f, _) in fields {
                b = b.value(f, row[column(f)].as_str());
            }
            b.build().unwrap()
        })
        .collect();
    let ids: Vec<String> = records.iter().map(|r| r.id().to_string()).collect();
    let config = Config::infer(schema).unwrap();
    assert_eq!(
        config.training.em_blocking.len(),
        2,
        "names, then the postcode"
    );
    let mut graph = ProfileGraph::new(config).unwrap();
    graph.add_batch(records).unwrap();
    let (report, _) = graph.train().unwrap();
    let untrained: Vec<String> = report
        .em
        .warnings
        .iter()
        .map(|w| format!("{w:?}"))
        .filter(|w| w.contains("NotEstimated"))
        .collect();
    assert!(untrained.is_empty(), "{untrained:?}");
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let evaluation = sameas::Evaluation::of(&graph, &ids, &data.truth).unwrap();
    // With the names at their starting m: precision 0.82, F1 0.83 (20k records).
    assert!(
        evaluation.clusters.precision > 0.95 && evaluation.clusters.f1 > 0.88,
        "{:?}",
        evaluation.clusters
    );
}

/// An e-mail is a person's own, shared by a household only now and then: training
/// draws household pairs on it like strangers except for a learned share (a family
/// mailbox), while a landline, an address and a family name stay the household's.
/// Counted as shared, a pair with one mailbox and two given names (a nickname the
/// table lacks) passed for two people of one home; the generator's nicknames were
/// found at 0.76 then, above 0.85 now.
#[test]
fn an_email_is_a_persons_own_and_a_household_shares_it_only_sometimes() {
    use sameas_synth::{generate, Phenomenon, SynthConfig};
    let data = generate(&SynthConfig {
        records: 6_000,
        seed: 7,
        ..SynthConfig::default()
    });
    let mut graph = ProfileGraph::new(Config::infer(data.schema.clone()).unwrap()).unwrap();
    graph.add_batch(data.records.clone()).unwrap();
    graph.train().unwrap();
    let model = graph.model();
    let index = |name: &str| {
        model
            .comparisons()
            .iter()
            .position(|c| c.name == name)
            .unwrap()
    };
    let household = model.household().expect("households found");
    let (email, phone, family) = (index("email"), index("phone"), index("family_name"));
    assert!(household.person[email], "e-mail is a person's");
    assert!(!household.person[phone] && !household.person[family]);
    let alike = household.alike[email];
    assert!(alike > 0.0 && alike < 0.5, "family mailboxes: {alike}");
    let profile: Vec<_> = data
        .records
        .iter()
        .map(|r| graph.profile_of(r.id()))
        .collect();
    let nickname = data
        .by_phenomenon(&profile)
        .into_iter()
        .find(|(p, _)| *p == Some(Phenomenon::Nickname))
        .unwrap()
        .1;
    assert!(
        nickname.share_together() > 0.8,
        "nickname recall {}",
        nickname.share_together()
    );
}

/// A training rule no compared pair satisfies has no EM run, and the report says
/// which rule each run was: run numbers in warnings would otherwise name the wrong
/// rule.
#[test]
fn the_report_names_the_training_rule_of_each_em_run() {
    use sameas::{BlockingKey, BlockingRule};
    let (base_schema, base, _) = one_error_data(500, 50, 0xBEEF);
    // The same records with an e-mail field none of them fills.
    let names = ["given_name", "family_name", "date_of_birth"];
    let schema = Schema::from_fields([
        ("given_name", FieldKind::GivenName),
        ("family_name", FieldKind::FamilyName),
        ("date_of_birth", FieldKind::DateOfBirth),
        ("email", FieldKind::Email),
    ])
    .unwrap();
    let records: Vec<Record> = base
        .iter()
        .map(|r| {
            let mut b = Record::builder(&schema, r.id());
            for name in names {
                let index = base_schema.index_of(name).unwrap();
                for v in r.values(index) {
                    b = b.value(name, v.to_value());
                }
            }
            b.build().unwrap()
        })
        .collect();
    let exact = |field: &str| BlockingKey::Exact {
        field: field.to_string(),
    };
    let mut config = Config::infer(schema).unwrap();
    config.training.em_blocking = vec![
        BlockingRule::new(vec![exact("date_of_birth")]),
        BlockingRule::new(vec![exact("email")]),
        BlockingRule::new(vec![exact("given_name"), exact("family_name")]),
    ];
    let mut graph = ProfileGraph::new(config).unwrap();
    graph.add_batch(records).unwrap();
    let (report, _) = graph.train().unwrap();
    assert_eq!(report.em_run_rules, vec![0, 2]);
    assert_eq!(report.em_run_pairs.len(), 2);
    assert!(report.em_run_pairs.iter().all(|&n| n > 0));
}
