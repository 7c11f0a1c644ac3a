//! Body of the `graph_ops` fuzz target: arbitrary bytes read as a sequence of
//! operations on a [`ProfileGraph`] (add, add a batch, load, erase, assert same /
//! different, retract, set a model, train, snapshot and restore), with records whose
//! values come from small vocabularies (so that they link) or straight from the bytes
//! (so that they are hostile). Shared by `fuzz/fuzz_targets/graph_ops.rs` and the
//! bounded run in `tests/fuzz.rs`.
//!
//! Besides "no panic", after every operation:
//! - a failed operation (duplicate id, unknown id, self-assertion) returns the
//!   documented error kind and leaves the graph as it was (same snapshot);
//! - every live record is in exactly one profile, and nothing else is (records just
//!   loaded have no profile until the next change forms it);
//! - profiles changed ⇔ events reported; one resolution per operation (a record
//!   moves at most once, into a profile that exists afterwards); a profile whose
//!   members did not change keeps its ID (these two when no loaded record was
//!   pending: forming those first is a resolution of its own, reported first);
//! - an erased record leaves no trace: neither its id, nor any of its values, nor the
//!   hash of any of its prepared values is in the snapshot (unless a live record or
//!   the configuration holds the same), and it has no profile, record or pair;
//! - a snapshot restores to a graph with the same snapshot and the same memberships,
//!   which then replaces the original for the operations that follow;
//!
//! and at the end, what a caller reads back is in range (confidences, cohesions,
//! probabilities; sorted pair rows; a golden record per profile, an explanation per
//! pair), `Debug` of the graph, its snapshot and its records prints no value, and the
//! graph equals the one built from the surviving records and assertions in one
//! shuffled batch, and one record at a time in another order (same profiles, same
//! compared pairs, bit-identical probabilities).

use std::collections::{BTreeMap, BTreeSet};

use sameas::normalize::NicknameTable;
use sameas::{
    Config, ErrorKind, Event, FieldKind, GoldenRules, Model, ProfileGraph, ProfileId, Record,
    Schema,
};

/// Reads the input a byte at a time; past the end it yields zeros.
struct Bytes<'a> {
    data: &'a [u8],
    at: usize,
}

impl Bytes<'_> {
    fn done(&self) -> bool {
        self.at >= self.data.len()
    }

    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    fn below(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n
    }

    /// A string of up to 24 bytes taken from the input as they are (lossy UTF-8).
    fn wild(&mut self) -> String {
        let len = self.below(25);
        let start = self.at.min(self.data.len());
        let end = (start + len).min(self.data.len());
        self.at += len;
        String::from_utf8_lossy(&self.data[start..end]).into_owned()
    }
}

const FIELDS: [(&str, FieldKind); 8] = [
    ("given_name", FieldKind::GivenName),
    ("family_name", FieldKind::FamilyName),
    ("date_of_birth", FieldKind::DateOfBirth),
    ("email", FieldKind::Email),
    ("phone", FieldKind::Phone),
    ("city", FieldKind::City),
    ("loyalty_id", FieldKind::StrongId),
    ("note", FieldKind::FreeText),
];

/// Values per field that make records link (and conflict) often.
const VOCABULARY: [&[&str]; 8] = [
    &[
        "Ana",
        "ANA",
        "Ion",
        "Jovan",
        "Јован",
        "Maria",
        "Mária",
        "Budi",
    ],
    &[
        "Pop",
        "Popescu",
        "Jovanović",
        "Jovanovic",
        "Nguyen",
        "Smith",
    ],
    &[
        "1980-02-03",
        "03.02.1980",
        "1980-03-02",
        "1967-13-10",
        "2001-12-64",
        "1999-12-31",
    ],
    &[
        "ana.pop@example.com",
        "Ana.Pop+x@example.com",
        "ion@example.ro",
        "not-an-email",
    ],
    &[
        "+40 721 234 567",
        "0721234567",
        "(((((",
        "+44 20 7946 0321",
        "555-0193",
    ],
    &["Bucharest", "București", "Novi Sad", "Jakarta"],
    &["L-1", "L-2", "L-3", "l-1"],
    &["", "x", "note"],
];

const SOURCES: [&str; 3] = ["crm", "web", "shop"];

/// Ids come from a small set so that duplicates, unknown ids and re-adds after an
/// erasure happen; a few are awkward strings.
fn id_of(k: usize) -> String {
    match k {
        0 => "a,b".to_string(),
        1 => "q\"uote".to_string(),
        2 => "ünï\r\n".to_string(),
        3 => "=1+2".to_string(),
        _ => format!("r{k}"),
    }
}
const IDS: usize = 24;

struct Setup {
    schema: Schema,
    configs: Vec<Config>,
    /// Models per configuration: the starting model, a strict prior, a lenient one,
    /// and one with agreement weighing less.
    models: Vec<Vec<Model>>,
    /// What an empty graph's snapshot holds, per configuration (strings there are
    /// not traces of an erased record).
    empty_json: Vec<String>,
}

fn setup() -> &'static Setup {
    static SETUP: std::sync::OnceLock<Setup> = std::sync::OnceLock::new();
    SETUP.get_or_init(|| {
        let schema = Schema::from_fields(FIELDS).expect("schema");
        let mut base = Config::infer(schema.clone()).expect("config");
        // A small nickname table: the built-in one is most of a snapshot, and this
        // target serializes snapshots often.
        let mut nicknames = NicknameTable::default();
        nicknames.insert("ionut", "ion");
        nicknames.insert("jovo", "jovan");
        nicknames.insert("mary", "maria");
        base.normalize.nicknames = nicknames;
        let mut strict = base.clone();
        strict.set_threshold(0.95).expect("threshold");
        let mut lenient = base.clone();
        lenient.set_threshold(0.05).expect("threshold");
        let mut link_only = base.clone();
        link_only.blocking.mode = sameas::LinkMode::LinkOnly;
        let configs = vec![base, strict, lenient, link_only];
        let models = configs
            .iter()
            .map(|c| {
                let start = Model::new(&c.comparisons).expect("model");
                let mut strict = start.clone();
                strict.fix_prior(1e-9).expect("prior");
                let mut lenient = start.clone();
                lenient.fix_prior(0.3).expect("prior");
                let mut weaker = start.clone();
                for i in 0..weaker.comparison_count() {
                    if let Some(m) = weaker.m(i, 1) {
                        weaker.set_m(i, 1, (m * 0.5).clamp(1e-6, 1.0)).expect("m");
                    }
                }
                vec![start, strict, lenient, weaker]
            })
            .collect();
        let empty_json = configs
            .iter()
            .map(|c| json(&ProfileGraph::new(c.clone()).expect("graph")))
            .collect();
        Setup {
            schema,
            configs,
            models,
            empty_json,
        }
    })
}

fn json(g: &ProfileGraph) -> String {
    serde_json::to_string(&g.snapshot()).expect("a snapshot serializes")
}

fn partition(g: &ProfileGraph) -> BTreeMap<ProfileId, BTreeSet<String>> {
    g.profiles()
        .into_iter()
        .map(|(p, m)| (p, m.into_iter().map(str::to_string).collect()))
        .collect()
}

fn sets(g: &ProfileGraph) -> BTreeSet<BTreeSet<String>> {
    partition(g).into_values().collect()
}

fn pairs(g: &ProfileGraph) -> Vec<(String, String, u64)> {
    g.scored_pairs()
        .into_iter()
        .map(|(a, b, p)| (a.to_string(), b.to_string(), p.to_bits()))
        .collect()
}

/// A record decoded from the input; `serial` makes its note value unique, so that
/// its erasure can be looked for.
fn record(b: &mut Bytes, serial: u64) -> (String, Record) {
    let s = setup();
    let id = id_of(b.below(IDS));
    let mut builder = Record::builder(&s.schema, id.clone())
        .source(SOURCES[b.below(SOURCES.len())])
        .observed_at(i64::from(b.byte()) * 86_400);
    for (f, (name, _)) in FIELDS.iter().enumerate() {
        for _ in 0..b.below(3) {
            let pick = b.byte();
            let value = if pick < 224 {
                VOCABULARY[f][usize::from(pick) % VOCABULARY[f].len()].to_string()
            } else {
                b.wild()
            };
            builder = builder.value(name, value);
        }
    }
    builder = builder.value("note", format!("secret{serial}zq"));
    (id, builder.build().expect("a record of the schema builds"))
}

#[derive(Default)]
struct Mirror {
    /// Live records by id.
    present: BTreeMap<String, Record>,
    same: BTreeSet<(String, String)>,
    different: BTreeSet<(String, String)>,
    /// Records loaded whose profiles are not formed yet.
    pending: bool,
}

fn ordered(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

fn expect_error<T>(r: sameas::Result<T>, kind: ErrorKind, what: &str) {
    match r {
        Ok(_) => panic!("{what}: accepted"),
        Err(e) => {
            assert_eq!(e.kind(), kind, "{what}: {e}");
            assert!(!e.to_string().is_empty());
        }
    }
}

/// Everything an erased record held that must not be in `after` (a snapshot taken
/// after the erasure), unless `live` (the live records and the configuration as
/// JSON) holds it too.
fn assert_no_trace(g: &ProfileGraph, m: &Mirror, config: usize, erased: &Record, after: &str) {
    let s = setup();
    let live: Vec<&Record> = m.present.values().collect();
    let reference = format!(
        "{}{}",
        serde_json::to_string(&live).expect("records serialize"),
        s.empty_json[config]
    );
    let mut strings = vec![erased.id().to_string()];
    for f in 0..erased.field_count() {
        strings.extend(erased.values(f).iter().map(|v| v.to_text()));
    }
    // A string as a JSON value (not as a key: `"b"` is also the name of a pair's end).
    let as_value = |json: &str, quoted: &str| {
        json.match_indices(quoted)
            .any(|(i, _)| json.as_bytes().get(i + quoted.len()) != Some(&b':'))
    };
    for text in strings {
        let quoted = serde_json::to_string(&text).expect("a string serializes");
        assert!(
            !as_value(after, &quoted) || reference.contains(&quoted),
            "erased record's {quoted} survives in the snapshot"
        );
    }
    let set = g.comparison_set();
    let prepared = set
        .prepare(erased)
        .expect("a record of the schema prepares");
    let mut live_hashes = BTreeSet::new();
    for r in m.present.values() {
        let p = set.prepare(r).expect("prepares");
        for c in 0..set.len() {
            live_hashes.extend(p.values(c).iter().map(|v| v.hash));
        }
    }
    for c in 0..set.len() {
        for v in prepared.values(c) {
            if !live_hashes.contains(&v.hash) {
                assert!(
                    !after.contains(&v.hash.to_string()),
                    "hash of an erased value survives (comparison {c})"
                );
            }
        }
    }
    assert!(g.record(erased.id()).is_none());
    assert!(g.profile_of(erased.id()).is_none());
    assert!(g.membership(erased.id()).is_none());
    assert!(g
        .scored_pairs()
        .iter()
        .all(|(a, b, _)| *a != erased.id() && *b != erased.id()));
}

/// Applies one operation decoded from the input and checks it.
fn step(g: &mut ProfileGraph, m: &mut Mirror, b: &mut Bytes, config: usize, serial: &mut u64) {
    let s = setup();
    let before = partition(g);
    // The snapshot before an operation expected to fail, to check that it changed
    // nothing (taken only then: serializing costs more than most operations).
    let snapshot_if = |fails: bool, g: &ProfileGraph| fails.then(|| json(g));
    let unchanged = |g: &ProfileGraph, before: Option<String>, what: &str| {
        let before = before.expect("taken for an operation expected to fail");
        assert!(json(g) == before, "a failed {what} changed the graph");
    };
    let mut new_record = |b: &mut Bytes| {
        *serial += 1;
        record(b, *serial)
    };
    let pick_id = |b: &mut Bytes| id_of(b.below(IDS));
    let op = b.below(12);
    let events = match op {
        // One record.
        0..=2 => {
            let (id, r) = new_record(b);
            let fails = m.present.contains_key(&id);
            let before_json = snapshot_if(fails, g);
            let result = g.add(r.clone());
            if fails {
                expect_error(result, ErrorKind::InvalidRecord, "a duplicate add");
                unchanged(g, before_json, "add");
                return;
            }
            m.present.insert(id, r);
            result.expect("add")
        }
        // A batch (added at once, or loaded for training).
        3 | 4 => {
            let n = b.below(5);
            let batch: Vec<(String, Record)> = (0..n).map(|_| new_record(b)).collect();
            let ids: BTreeSet<&String> = batch.iter().map(|(id, _)| id).collect();
            let clash = ids.len() < batch.len() || ids.iter().any(|id| m.present.contains_key(*id));
            let records: Vec<Record> = batch.iter().map(|(_, r)| r.clone()).collect();
            let before_json = snapshot_if(clash, g);
            let result = if op == 3 {
                g.add_batch(records)
            } else {
                g.load(records, &mut |_| {}).map(|()| Vec::new())
            };
            if clash {
                expect_error(result, ErrorKind::InvalidRecord, "a batch with a duplicate");
                unchanged(g, before_json, "batch");
                return;
            }
            let events = result.expect("batch");
            for (id, r) in batch {
                if op == 4 {
                    assert!(g.profile_of(&id).is_none(), "a loaded record has a profile");
                }
                m.present.insert(id, r);
            }
            if op == 4 {
                assert!(events.is_empty());
                // The records present before keep their profiles until the next change.
                for (p, members) in &before {
                    for id in members {
                        assert_eq!(g.profile_of(id), Some(*p), "load moved a profiled record");
                    }
                }
                m.pending |= n > 0;
                return;
            }
            events
        }
        5 => {
            let id = pick_id(b);
            let before_json = snapshot_if(!m.present.contains_key(&id), g);
            let result = g.erase(&id);
            let Some(erased) = m.present.remove(&id) else {
                expect_error(result, ErrorKind::UnknownRecord, "erasing an unknown id");
                unchanged(g, before_json, "erase");
                return;
            };
            m.same.retain(|(x, y)| *x != id && *y != id);
            m.different.retain(|(x, y)| *x != id && *y != id);
            let events = result.expect("erase");
            assert!(
                events
                    .iter()
                    .any(|e| matches!(e, Event::RecordErased { .. })),
                "erasure reported no RecordErased"
            );
            assert_no_trace(g, m, config, &erased, &json(g));
            events
        }
        6..=8 => {
            let (x, y) = (pick_id(b), pick_id(b));
            let known = m.present.contains_key(&x) && m.present.contains_key(&y);
            let before_json = snapshot_if(!known || x == y, g);
            let result = match op {
                6 => g.assert_same(&x, &y),
                7 => g.assert_different(&x, &y),
                _ => g.retract(&x, &y),
            };
            if !known {
                expect_error(
                    result,
                    ErrorKind::UnknownRecord,
                    "an assertion on an unknown id",
                );
                unchanged(g, before_json, "assertion");
                return;
            }
            if x == y {
                expect_error(result, ErrorKind::InvalidRecord, "a self-assertion");
                unchanged(g, before_json, "assertion");
                return;
            }
            let p = ordered(&x, &y);
            match op {
                6 => {
                    m.same.insert(p);
                }
                7 => {
                    m.different.insert(p);
                }
                _ => {
                    m.same.remove(&p);
                    m.different.remove(&p);
                }
            }
            result.expect("assertion")
        }
        9 => {
            let model = s.models[config][b.below(s.models[config].len())].clone();
            g.set_model(model).expect("set_model")
        }
        10 => match g.fit(&mut |_| {}) {
            Ok((model, _)) => g.set_model(model).expect("set_model"),
            // `fit` reads the graph only.
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::Training, "{e}");
                return;
            }
        },
        // Snapshot, serialize, restore: the same graph, which replaces the original.
        _ => {
            let before_json = json(g);
            let restored = ProfileGraph::restore(
                serde_json::from_str(&before_json).expect("a snapshot reads back"),
            )
            .expect("a snapshot restores");
            assert!(
                json(&restored) == before_json,
                "restore changed the snapshot"
            );
            assert_eq!(partition(&restored), before);
            for id in m.present.keys() {
                assert_eq!(restored.membership(id), g.membership(id));
            }
            *g = restored;
            return;
        }
    };
    // Every operation that got here formed the pending profiles first (a resolution
    // of its own, whose events come first), so the stable-ID rule, which holds for
    // one resolution, compares with the profiles before only when nothing was pending.
    let was_pending = std::mem::take(&mut m.pending);
    let after = partition(g);
    // Every live record is in exactly one profile, and nothing else is.
    let members: Vec<&String> = after.values().flatten().collect();
    assert_eq!(
        members.len(),
        m.present.len(),
        "a record in no or two profiles"
    );
    assert!(members.iter().all(|id| m.present.contains_key(*id)));
    // Stable IDs.
    let by_members: BTreeMap<&BTreeSet<String>, ProfileId> =
        after.iter().map(|(p, s)| (s, *p)).collect();
    for (p, members) in before.iter().filter(|_| !was_pending) {
        if let Some(q) = by_members.get(members) {
            assert_eq!(p, q, "a profile kept its members but changed its ID");
        }
    }
    // One resolution per operation: a record moves at most once, and only into a
    // profile that exists afterwards (not a passing one).
    if !was_pending {
        let mut moved = BTreeSet::new();
        for e in &events {
            if let Event::RecordMoved { record, to, .. } = e {
                assert!(moved.insert(*record), "a record moved twice: {events:?}");
                assert!(
                    after.contains_key(to),
                    "moved to a passing profile: {events:?}"
                );
            }
        }
    }
    // A change of profiles is reported, and no change means no event (an erasure
    // always reports the erased record).
    if before != after {
        assert!(!events.is_empty(), "profiles changed without an event");
    } else if op != 5 {
        assert!(events.is_empty(), "events without a change: {events:?}");
    }
}

/// The graph built from `m`'s records and assertions with `g`'s configuration, model
/// and frozen frequencies: in one batch (`batch`) or one at a time, in an order from
/// `seed`.
fn rebuild(g: &ProfileGraph, m: &Mirror, batch: bool, seed: u64) -> ProfileGraph {
    let mut order: Vec<&Record> = m.present.values().collect();
    let mut x = seed | 1;
    for i in (1..order.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        order.swap(i, (x % (i as u64 + 1)) as usize);
    }
    let mut r = g.without_records().expect("an empty copy");
    if batch {
        r.add_batch(order.into_iter().cloned().collect())
            .expect("batch rebuild");
    } else {
        for record in order {
            r.add(record.clone()).expect("one-by-one rebuild");
        }
    }
    for (x, y) in &m.same {
        r.assert_same(x, y).expect("assert_same");
    }
    for (x, y) in &m.different {
        r.assert_different(x, y).expect("assert_different");
    }
    r
}

/// Runs one input: the first byte picks the configuration, the rest are operations.
pub fn run(data: &[u8]) {
    let s = setup();
    let mut b = Bytes { data, at: 0 };
    let config = b.below(s.configs.len());
    let mut g = ProfileGraph::with_model(s.configs[config].clone(), s.models[config][0].clone())
        .expect("graph");
    let mut m = Mirror::default();
    let mut serial = 0;
    let mut steps = 0;
    while !b.done() && steps < 64 {
        step(&mut g, &mut m, &mut b, config, &mut serial);
        steps += 1;
    }
    if m.pending {
        // Form the pending profiles (an empty batch is a change like any other).
        g.add_batch(Vec::new()).expect("an empty batch");
    }
    // What a caller reads back is in range: confidences, cohesions and pair
    // probabilities are probabilities, pair rows sorted, every profile has a golden
    // record and every compared pair an explanation.
    let unit = |p: f64| (0.0..=1.0).contains(&p);
    for (p, members) in g.profiles() {
        assert!(g.cohesion(p).map_or(true, unit), "cohesion out of range");
        for id in &members {
            let m = g.membership(id).expect("a member has a membership");
            assert_eq!(m.profile, p);
            assert!(m.confidence.map_or(true, unit), "confidence out of range");
        }
        assert!(g.golden(p, &GoldenRules::default()).is_ok());
    }
    let rows = g.pair_rows();
    assert!(rows
        .windows(2)
        .all(|w| (w[0].left, w[0].right) < (w[1].left, w[1].right)));
    for row in &rows {
        assert!(unit(row.probability), "pair probability out of range");
        let e = g
            .explain_pair(row.left, row.right)
            .expect("a compared pair explains");
        // The explanation gives the pair's own score, a veto cap included.
        let scored = sameas::model::probability_from_weight(row.match_weight);
        assert!(
            (e.probability - scored).abs() <= 1e-9,
            "scored {scored} against its explanation {} for {:?}",
            e.probability,
            row.levels
        );
    }
    // `Debug` of the graph, its snapshot and its records prints no value (every
    // record carries a unique `secret…zq` note to look for).
    let debug = format!(
        "{g:?} {:?} {:?}",
        g.snapshot(),
        m.present.values().collect::<Vec<_>>()
    );
    for r in m.present.values() {
        for f in 0..r.field_count() {
            for v in r.values(f) {
                let text = v.to_text();
                if text.starts_with("secret") {
                    assert!(!debug.contains(&text), "Debug prints a value");
                }
            }
        }
    }
    let seed = data.iter().fold(0x9E37_79B9_7F4A_7C15u64, |h, &x| {
        (h ^ u64::from(x)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    for batch in [true, false] {
        let r = rebuild(&g, &m, batch, seed);
        assert_eq!(
            sets(&r),
            sets(&g),
            "rebuilt (batch: {batch}) profiles differ"
        );
        assert_eq!(
            pairs(&r),
            pairs(&g),
            "rebuilt (batch: {batch}) pairs differ"
        );
    }
}
