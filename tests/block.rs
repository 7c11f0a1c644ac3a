//! Blocking: pairs once, never self-pairs, incremental = batch, exact counts.

use proptest::prelude::*;
use sameas::block::{BlockIndex, BlockingConfig, PairChanges};
use sameas::NodeId;
use sameas::{BlockingKey, BlockingRule, FieldKind, LinkMode, NormalizeOptions, Record, Schema};
use std::collections::BTreeSet;

fn schema() -> Schema {
    Schema::from_fields([
        ("given", FieldKind::GivenName),
        ("family", FieldKind::FamilyName),
        ("email", FieldKind::Email),
        ("dob", FieldKind::DateOfBirth),
    ])
    .unwrap()
}

fn rules() -> Vec<BlockingRule> {
    let f = |s: &str| s.to_string();
    vec![
        BlockingRule::new(vec![BlockingKey::Exact { field: f("family") }]),
        BlockingRule::new(vec![
            BlockingKey::Prefix {
                field: f("given"),
                chars: 1,
            },
            BlockingKey::Year { field: f("dob") },
        ]),
        BlockingRule::new(vec![BlockingKey::EmailLocalPart { field: f("email") }]),
    ]
}

const GIVEN: [&str; 5] = ["ana", "anna", "marko", "mark", "budi"];
const FAMILY: [&str; 4] = ["smith", "petrovic", "pop", "santoso"];
const LOCAL: [&str; 4] = ["a1", "a2", "mp", "bs"];

fn record(s: &Schema, i: usize, g: usize, f: usize, e: &[usize], y: u16, src: bool) -> Record {
    let mut b = Record::builder(s, format!("r{i}"))
        .source(if src { "crm" } else { "web" })
        .value("given", GIVEN[g % GIVEN.len()])
        .value("family", FAMILY[f % FAMILY.len()])
        .value("dob", format!("{y}0101").as_str());
    for &x in e {
        b = b.value(
            "email",
            format!("{}@x.com", LOCAL[x % LOCAL.len()]).as_str(),
        );
    }
    b.build().unwrap()
}

type Spec = (usize, usize, Vec<usize>, u16, bool);

fn spec() -> impl Strategy<Value = Vec<Spec>> {
    proptest::collection::vec(
        (
            0..5usize,
            0..4usize,
            proptest::collection::vec(0..4usize, 0..3),
            1980u16..1984,
            any::<bool>(),
        ),
        0..40,
    )
}

fn brute_force(records: &[Record], mode: LinkMode) -> BTreeSet<(u32, u32)> {
    // Two records pair when they share any rule's complete key.
    let s = schema();
    let single = |rule: BlockingRule| {
        let mut idx = BlockIndex::new(
            &s,
            BlockingConfig {
                mode,
                ..BlockingConfig::new(vec![rule])
            },
            NormalizeOptions::default(),
        )
        .unwrap();
        for (i, r) in records.iter().enumerate() {
            idx.insert(NodeId(i as u32), r).unwrap();
        }
        idx.pairs()
    };
    rules()
        .into_iter()
        .flat_map(single)
        .map(|(a, b)| (a.0, b.0))
        .collect()
}

/// A deterministic shuffle of `0..n`.
fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut x = seed | 1;
    for i in (1..order.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        order.swap(i, (x % (i as u64 + 1)) as usize);
    }
    order
}

/// The candidate pairs of `records` inserted as a batch in `order` (handle = position
/// in `order`), as pairs of record numbers.
fn batch_pairs(
    records: &[Record],
    order: &[usize],
    config: &BlockingConfig,
) -> BTreeSet<(usize, usize)> {
    let mut index =
        BlockIndex::new(&schema(), config.clone(), NormalizeOptions::default()).unwrap();
    for (handle, &i) in order.iter().enumerate() {
        index.add(NodeId(handle as u32), &records[i]).unwrap();
    }
    let pairs = index.pairs();
    let set: BTreeSet<(usize, usize)> = pairs
        .iter()
        .map(|(a, b)| {
            let (x, y) = (order[a.index()], order[b.index()]);
            (x.min(y), x.max(y))
        })
        .collect();
    assert_eq!(set.len(), pairs.len(), "a pair was produced twice");
    assert!(pairs.iter().all(|(a, b)| a < b));
    assert_eq!(index.count_pairs(), pairs.len() as u64);
    set
}

/// Applies one insertion's or removal's changes to `pairs`, checking they are sound:
/// nothing added twice, nothing dropped that was not there.
fn apply(pairs: &mut BTreeSet<(u32, u32)>, changes: &PairChanges) -> Result<(), TestCaseError> {
    for &(a, b) in &changes.dropped {
        prop_assert!(a < b);
        prop_assert!(
            pairs.remove(&(a.0, b.0)),
            "dropped a pair that was not a candidate"
        );
    }
    for &(a, b) in &changes.added {
        prop_assert!(a < b);
        prop_assert!(
            pairs.insert((a.0, b.0)),
            "added a pair that was already a candidate"
        );
    }
    Ok(())
}

proptest! {
    #[test]
    fn pairs_are_unique_ordered_and_incremental_equals_batch(specs in spec(), link_only in any::<bool>(), seed in any::<u64>()) {
        let s = schema();
        let mode = if link_only { LinkMode::LinkOnly } else { LinkMode::Dedupe };
        let records: Vec<Record> = specs.iter().enumerate().map(|(i, (g, f, e, y, src))| record(&s, i, *g, *f, e, *y, *src)).collect();
        let config = BlockingConfig { mode, ..BlockingConfig::new(rules()) };
        let identity: Vec<usize> = (0..records.len()).collect();
        let set = batch_pairs(&records, &identity, &config);
        let brute: BTreeSet<(usize, usize)> = brute_force(&records, mode).into_iter().map(|(a, b)| (a as usize, b as usize)).collect();
        prop_assert_eq!(&set, &brute);

        // Incremental, in a shuffled order: each insert's changes, applied in turn.
        let mut inc = BlockIndex::new(&s, config, NormalizeOptions::default()).unwrap();
        let mut found = BTreeSet::new();
        for i in shuffled(records.len(), seed) {
            let changes = inc.insert(NodeId(i as u32), &records[i]).unwrap();
            prop_assert!(changes.added.iter().all(|&(a, b)| a.0 == i as u32 || b.0 == i as u32));
            apply(&mut found, &changes)?;
        }
        let found: BTreeSet<(usize, usize)> = found.into_iter().map(|(a, b)| (a as usize, b as usize)).collect();
        prop_assert_eq!(found, set);
    }

    /// Oversized blocks (tiny caps, many records sharing a key): the pairs depend on
    /// the records present only — a shuffled batch, records inserted one at a time in
    /// any order, and records inserted then some removed all give the batch pairs.
    #[test]
    fn oversized_blocks_give_the_same_pairs_in_every_order(
        specs in spec(),
        link_only in any::<bool>(),
        max_block_size in 2usize..6,
        window in 1usize..4,
        seed in any::<u64>(),
        removals in proptest::collection::vec(any::<prop::sample::Index>(), 0..12),
    ) {
        let s = schema();
        let mode = if link_only { LinkMode::LinkOnly } else { LinkMode::Dedupe };
        let records: Vec<Record> = specs.iter().enumerate().map(|(i, (g, f, e, y, src))| record(&s, i, *g, *f, e, *y, *src)).collect();
        let config = BlockingConfig { mode, max_block_size, window, ..BlockingConfig::new(rules()) };
        let identity: Vec<usize> = (0..records.len()).collect();
        let set = batch_pairs(&records, &identity, &config);
        prop_assert_eq!(&batch_pairs(&records, &shuffled(records.len(), seed), &config), &set);

        // One at a time in a shuffled order, checking every step against a batch of
        // the records present so far.
        let mut inc = BlockIndex::new(&s, config.clone(), NormalizeOptions::default()).unwrap();
        let mut found = BTreeSet::new();
        for i in shuffled(records.len(), seed ^ 0x9e37) {
            apply(&mut found, &inc.insert(NodeId(i as u32), &records[i]).unwrap())?;
            let now: BTreeSet<(u32, u32)> = inc.pairs().iter().map(|(a, b)| (a.0, b.0)).collect();
            prop_assert_eq!(&found, &now);
        }
        let all: BTreeSet<(usize, usize)> = found.iter().map(|&(a, b)| (a as usize, b as usize)).collect();
        prop_assert_eq!(&all, &set);

        // The whole batch at once (handles in a shuffled order): the same index, so
        // the same pairs, and the same changes on every removal below.
        let mut bulk = BlockIndex::new(&s, config.clone(), NormalizeOptions::default()).unwrap();
        let order = shuffled(records.len(), seed ^ 0x51);
        let handles: Vec<NodeId> = order.iter().map(|&i| NodeId(i as u32)).collect();
        let keys = order.iter().map(|&i| bulk.record_keys(&records[i])).collect();
        bulk.insert_all(&handles, order.iter().map(|&i| records[i].source()), keys).unwrap();
        prop_assert_eq!(bulk.len(), records.len());
        let bulk_pairs: BTreeSet<(u32, u32)> = bulk.pairs().iter().map(|(a, b)| (a.0, b.0)).collect();
        prop_assert_eq!(&bulk_pairs, &found);
        prop_assert_eq!(bulk.oversized_blocks(), inc.oversized_blocks());
        prop_assert!(records.is_empty() || bulk.insert_all(&[], [], Vec::new()).is_err(), "only into an empty index");

        // Removals: the record's own pairs go, and the added pairs bring the set to a
        // batch without the record.
        let mut present: Vec<usize> = identity.clone();
        for r in removals {
            if present.is_empty() {
                break;
            }
            let gone = present.remove(r.index(present.len()));
            found.retain(|&(a, b)| a != gone as u32 && b != gone as u32);
            let changes = inc.remove(NodeId(gone as u32)).unwrap();
            prop_assert_eq!(&bulk.remove(NodeId(gone as u32)).unwrap(), &changes);
            apply(&mut found, &changes)?;
            let kept: Vec<Record> = present.iter().map(|&i| records[i].clone()).collect();
            let expected: BTreeSet<(u32, u32)> = batch_pairs(&kept, &(0..kept.len()).collect::<Vec<_>>(), &config)
                .into_iter()
                .map(|(a, b)| (present[a] as u32, present[b] as u32))
                .collect();
            prop_assert_eq!(&found, &expected);
        }
    }
}

#[test]
fn per_rule_counts_come_from_block_sizes() {
    let s = schema();
    let mut idx = BlockIndex::new(
        &s,
        BlockingConfig::new(rules()),
        NormalizeOptions::default(),
    )
    .unwrap();
    for i in 0..6 {
        idx.insert(
            NodeId(i),
            &record(&s, i as usize, i as usize, 0, &[], 1980 + i as u16, true),
        )
        .unwrap();
    }
    // All six share family "smith": 15 pairs under rule 0.
    assert_eq!(idx.count_pairs_per_rule()[0], 15);
    assert_eq!(idx.count_pairs(), 15);
}

#[test]
fn oversized_blocks_fall_back_to_a_window_and_are_reported() {
    let s = schema();
    let config = BlockingConfig {
        max_block_size: 10,
        window: 2,
        ..BlockingConfig::new(vec![BlockingRule::new(vec![BlockingKey::Exact {
            field: "family".into(),
        }])])
    };
    let mut idx = BlockIndex::new(&s, config, NormalizeOptions::default()).unwrap();
    for i in 0..30u32 {
        idx.insert(
            NodeId(i),
            &record(&s, i as usize, i as usize, 0, &[], 1980, true),
        )
        .unwrap();
    }
    let report = idx.oversized_blocks();
    assert_eq!(report.len(), 1);
    assert_eq!(report[0].size, 30);
    assert_eq!(idx.count_oversized_blocks(), 1);
    // 30 members, each paired with the next 2: 28*2 + 1 = 57 pairs, not 435.
    assert_eq!(idx.count_pairs(), 57);
    assert_eq!(idx.count_pairs_per_rule(), vec![57]);
}

#[test]
fn removal_takes_a_record_out_of_every_block() {
    let s = schema();
    let mut idx = BlockIndex::new(
        &s,
        BlockingConfig::new(rules()),
        NormalizeOptions::default(),
    )
    .unwrap();
    for i in 0..4u32 {
        idx.insert(NodeId(i), &record(&s, i as usize, 0, 0, &[0], 1980, true))
            .unwrap();
    }
    assert_eq!(idx.count_pairs(), 6);
    assert_eq!(idx.remove(NodeId(2)), Some(PairChanges::default()));
    assert_eq!(idx.remove(NodeId(2)), None);
    assert_eq!(idx.count_pairs(), 3);
    assert!(idx.pairs().iter().all(|(a, b)| a.0 != 2 && b.0 != 2));
    assert!(idx
        .insert(NodeId(0), &record(&s, 0, 0, 0, &[], 1980, true))
        .is_err());
}

#[test]
fn bad_configs_are_rejected() {
    let s = schema();
    let empty = BlockingConfig::new(vec![]);
    assert!(BlockIndex::new(&s, empty, NormalizeOptions::default()).is_err());
    let unknown = BlockingConfig::new(vec![BlockingRule::new(vec![BlockingKey::Exact {
        field: "nope".into(),
    }])]);
    let e = BlockIndex::new(&s, unknown, NormalizeOptions::default()).unwrap_err();
    assert!(e.to_string().contains("nope"));
    let zero = BlockingConfig::new(vec![BlockingRule::new(vec![BlockingKey::Prefix {
        field: "given".into(),
        chars: 0,
    }])]);
    assert!(BlockIndex::new(&s, zero, NormalizeOptions::default()).is_err());
}

#[test]
fn a_rule_in_any_order_blocks_names_typed_into_each_others_field() {
    let s = schema();
    let f = |s: &str| s.to_string();
    let keys = vec![
        BlockingKey::Exact { field: f("given") },
        BlockingKey::Exact { field: f("family") },
    ];
    let person = |id: &str, given: &str, family: &str| {
        Record::builder(&s, id)
            .value("given", given)
            .value("family", family)
            .build()
            .unwrap()
    };
    let candidates = |rule: BlockingRule| {
        let mut index = BlockIndex::new(
            &s,
            BlockingConfig::new(vec![rule]),
            NormalizeOptions::default(),
        )
        .unwrap();
        index
            .insert(NodeId(0), &person("a", "Ion", "Popescu"))
            .unwrap();
        index
            .insert(NodeId(1), &person("b", "Maria", "Popescu"))
            .unwrap();
        index
            .insert(NodeId(2), &person("c", "POPESCU", "Ion"))
            .unwrap()
            .added
    };
    assert_eq!(
        candidates(BlockingRule::new(keys.clone())),
        Vec::<(NodeId, NodeId)>::new()
    );
    assert_eq!(
        candidates(BlockingRule::in_any_order(keys.clone())),
        vec![(NodeId(0), NodeId(2))]
    );
    assert!(BlockingRule::in_any_order(keys)
        .describe()
        .ends_with("(any order)"));
}

/// Heavy-tailed names (Wei Wang, Kim, Lee): one name on 90 records in six cities. The
/// inferred configuration bounds the pairs per record by the window and, with no birth
/// date or postcode, does not order the oversized name block by city: ordered by city,
/// a common name's namesakes of one city sit side by side and a person who moved is
/// cut into runs that meet only at their ends. (Records with the same sort key are
/// ordered by a hash of their id.)
#[test]
fn a_common_name_costs_a_window_of_pairs_and_is_not_ordered_by_city() {
    use sameas::Config;
    let s = Schema::from_fields([
        ("given", FieldKind::GivenName),
        ("family", FieldKind::FamilyName),
        ("city", FieldKind::City),
    ])
    .unwrap();
    let config = Config::infer(s.clone()).unwrap();
    assert!(config.blocking.neighbourhood_fields.is_empty());
    let window = config.blocking.window;
    let wei_wang = |id: &str, city: &str| {
        Record::builder(&s, id)
            .value("given", "Wei")
            .value("family", "Wang")
            .value("city", city)
            .build()
            .unwrap()
    };
    let cities = ["Beijing", "Changsha", "Harbin", "Nanjing", "Wuhan", "Xian"];
    let mut idx =
        BlockIndex::new(&s, config.blocking.clone(), NormalizeOptions::default()).unwrap();
    let n = 90usize;
    for i in 0..n {
        let r = wei_wang(&format!("r{i:03}"), cities[i % cities.len()]);
        idx.insert(NodeId(i as u32), &r).unwrap();
    }
    let pairs = idx.pairs();
    // Two name rules (exact and phonetic) fall in one block: one window of pairs each
    // record, not the n(n-1)/2 = 4,005 of all pairs.
    assert!(pairs.len() <= n * window, "{} pairs", pairs.len());
    // One record moved to another city keeps its place in the block.
    let place = |blocking: &BlockingConfig, city: &str| {
        BlockIndex::new(&s, blocking.clone(), NormalizeOptions::default())
            .unwrap()
            .record_keys(&wei_wang("r000", city))
            .sort_key()
    };
    assert_eq!(
        place(&config.blocking, "Beijing"),
        place(&config.blocking, "Xian")
    );
    // Ordered by city it would not.
    let by_city = BlockingConfig {
        neighbourhood_fields: vec!["city".into()],
        ..config.blocking.clone()
    };
    assert_ne!(place(&by_city, "Beijing"), place(&by_city, "Xian"));
}

/// The inferred whole-name rule reads the family name without initials and the first
/// whole given name, in any order: "Alan B.", "Alan", "Alan Bernard" and "J. Alan"
/// meet, and so do the names typed into each other's field — multi-word ones too,
/// each key reading the other's field ("Maria J. | Garcia Lopez" and "Garcia Lopez |
/// Maria", Arabic names without a phonetic code); "Alan" and "Albert" (another name)
/// do not.
#[test]
fn a_middle_initial_or_second_given_name_typed_or_left_out_still_blocks_on_the_name() {
    use sameas::Config;
    let s = Schema::from_fields([
        ("given", FieldKind::GivenName),
        ("family", FieldKind::FamilyName),
        ("city", FieldKind::City),
    ])
    .unwrap();
    let mut config = Config::infer(s.clone()).unwrap();
    // The whole-name rule alone (the phonetic one would also meet some of these).
    config.blocking.rules.truncate(1);
    let mut idx = BlockIndex::new(&s, config.blocking, NormalizeOptions::default()).unwrap();
    let records = [
        ("Alan B.", "Amron"),
        ("Alan", "Amron"),
        ("Albert", "Amron"),
        ("Amron", "Alan B."),
        ("Alan Bernard", "Amron"),
        ("J. Alan", "Amron"),
        ("Maria J.", "Garcia Lopez"),
        ("Garcia Lopez", "Maria"),
        ("محمد علي", "حسن"),
        ("حسن", "محمد علي"),
    ];
    for (i, (given, family)) in records.into_iter().enumerate() {
        let r = Record::builder(&s, format!("r{i}"))
            .value("given", given)
            .value("family", family)
            .value("city", "Brooklyn")
            .build()
            .unwrap();
        idx.insert(NodeId(i as u32), &r).unwrap();
    }
    let pairs: BTreeSet<(u32, u32)> = idx.pairs().into_iter().map(|(a, b)| (a.0, b.0)).collect();
    let alans = [0, 1, 3, 4, 5];
    let mut expected: BTreeSet<(u32, u32)> = alans
        .iter()
        .flat_map(|&a| alans.iter().filter(move |&&b| a < b).map(move |&b| (a, b)))
        .collect();
    expected.extend([(6, 7), (8, 9)]);
    assert_eq!(pairs, expected);
}

#[test]
fn a_handle_beyond_the_largest_is_an_error_not_an_abort() {
    use sameas::block::MAX_HANDLE;
    let schema = Schema::from_fields([("family", FieldKind::FamilyName)]).unwrap();
    let rule = BlockingRule::new(vec![BlockingKey::Exact {
        field: "family".into(),
    }]);
    let mut index = BlockIndex::new(
        &schema,
        BlockingConfig::new(vec![rule]),
        NormalizeOptions::default(),
    )
    .unwrap();
    let a = Record::builder(&schema, "a")
        .value("family", "Smith")
        .build()
        .unwrap();
    let err = index.insert(NodeId(MAX_HANDLE), &a).unwrap_err();
    assert_eq!(err.kind(), sameas::ErrorKind::InvalidRecord);
    assert_eq!(
        index.insert(NodeId(u32::MAX), &a).unwrap_err().kind(),
        sameas::ErrorKind::InvalidRecord
    );
    // Nothing was indexed; the index still works.
    assert!(index.insert(NodeId(0), &a).unwrap().added.is_empty());
    assert_eq!(
        index.insert(NodeId(1), &a).unwrap().added,
        vec![(NodeId(0), NodeId(1))]
    );
}

/// An any-order rule gets a key per ordering of its fields: more than four keys would
/// be 120 and more orderings a record, so it is refused with a clear error.
#[test]
fn an_any_order_rule_of_too_many_keys_is_refused() {
    let exact = |f: &str| BlockingKey::Exact { field: f.into() };
    let fields = ["a", "b", "c", "d", "e"];
    let schema = Schema::from_fields(fields.map(|f| (f, FieldKind::FreeText))).unwrap();
    let rule =
        |n: usize| BlockingRule::in_any_order(fields[..n].iter().map(|f| exact(f)).collect());
    let index = |n: usize| {
        BlockIndex::new(
            &schema,
            BlockingConfig::new(vec![rule(n)]),
            NormalizeOptions::default(),
        )
    };
    assert!(index(sameas::block::MAX_ANY_ORDER_KEYS).is_ok());
    let err = index(sameas::block::MAX_ANY_ORDER_KEYS + 1).unwrap_err();
    assert_eq!(err.kind(), sameas::ErrorKind::InvalidConfig);
    assert!(
        err.message().contains("at most 4 keys"),
        "{}",
        err.message()
    );
}
