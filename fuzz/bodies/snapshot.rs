//! Body of the `snapshot` fuzz target: corrupted, truncated, bit-flipped and
//! hand-edited snapshots (of a [`ProfileGraph`] and of a [`LinkGraph`]) must be
//! refused with an error, or restore into a graph that works — never a panic, an
//! abort or a hang. Shared by `fuzz/fuzz_targets/snapshot.rs` and the bounded run in
//! `tests/fuzz.rs`.
//!
//! The first input byte picks what the rest is: raw bytes read as a snapshot, or
//! edits (bit flips, bytes set, inserted, deleted or repeated, truncation, a number
//! replaced by an extreme one) of a valid snapshot of a small graph with assertions,
//! an erasure and a trained model. Checked:
//! - an edited snapshot that is accepted is the original one (the edit changed only
//!   whitespace or the like): it restores to the very same snapshot;
//! - when the edit is refused for its checksum, the checksum is rewritten to the one
//!   the error names (what someone editing a snapshot on purpose would do) and the
//!   snapshot read again, so that the structural checks behind the checksum are
//!   reached; whatever they accept must give a graph whose profiles hold each record
//!   once, that snapshots and restores to itself, and that takes further operations
//!   (add, assert, erase, re-score, train, explain, golden records) without a panic.

use sameas::graph::LinkGraph;
use sameas::{Config, FieldKind, GoldenRules, GraphSnapshot, NodeId, ProfileGraph, Record, Schema};
use std::collections::BTreeSet;

struct Bases {
    schema: Schema,
    profile_graph: String,
    link_graph: String,
}

fn schema() -> Schema {
    Schema::from_fields([
        ("given_name", FieldKind::GivenName),
        ("family_name", FieldKind::FamilyName),
        ("date_of_birth", FieldKind::DateOfBirth),
        ("email", FieldKind::Email),
        ("loyalty_id", FieldKind::StrongId),
    ])
    .expect("schema")
}

fn rec(schema: &Schema, id: &str, source: &str, values: [&str; 5]) -> Record {
    let mut b = Record::builder(schema, id).source(source);
    for (f, v) in schema.fields().iter().zip(values) {
        b = b.value(&f.name, v);
    }
    b.build().expect("record")
}

fn bases() -> &'static Bases {
    static BASES: std::sync::OnceLock<Bases> = std::sync::OnceLock::new();
    BASES.get_or_init(|| {
        let s = schema();
        let records = [
            (
                "1",
                "crm",
                ["Ana", "Pop", "1980-02-03", "ana@example.com", "L1"],
            ),
            (
                "2",
                "web",
                ["ANA", "Pop", "03.02.1980", "Ana@example.com", ""],
            ),
            (
                "3",
                "crm",
                ["Ion", "Pop", "1975-05-06", "ana@example.com", "L2"],
            ),
            (
                "4",
                "web",
                ["Ion", "Popescu", "1975-05-06", "ion@example.ro", ""],
            ),
            (
                "5",
                "shop",
                ["Maria", "Ionescu", "1990-13-40", "not-an-email", "L3"],
            ),
            (
                "6",
                "shop",
                ["Marija", "Jovanović", "1990-01-01", "m@example.rs", "L4"],
            ),
            (
                "7",
                "crm",
                ["Mária", "Jovanovic", "1990-01-01", "m@example.rs", "L5"],
            ),
        ];
        let mut g = ProfileGraph::new(Config::infer(s.clone()).expect("config")).expect("graph");
        g.add_batch(
            records[..5]
                .iter()
                .map(|(id, src, v)| rec(&s, id, src, *v))
                .collect(),
        )
        .expect("add");
        let (model, _) = g.fit(&mut |_| {}).expect("fit");
        g.set_model(model).expect("set_model");
        for (id, src, v) in &records[5..] {
            g.add(rec(&s, id, src, *v)).expect("add");
        }
        g.assert_same("6", "7").expect("same");
        g.assert_different("1", "3").expect("different");
        g.erase("4").expect("erase");
        let profile_graph = serde_json::to_string(&g.snapshot()).expect("snapshot");
        let link_graph = serde_json::to_string(g.links()).expect("links");
        Bases {
            schema: s,
            profile_graph,
            link_graph,
        }
    })
}

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

    /// A position in `0..len`, spread over the whole text.
    fn position(&mut self, len: usize) -> usize {
        let x = (usize::from(self.byte()) << 8) | usize::from(self.byte());
        (x * len) >> 16
    }
}

const NUMBERS: [&str; 12] = [
    "0",
    "1",
    "-1",
    "2",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "99999999999999999999999",
    "1e308",
    "-1e308",
    "0.5",
    "1e-320",
];

/// Applies up to four edits read from `b` to `text`; half of them fall in
/// `text[hot..]` (where the graph is: the configuration before it is mostly the
/// nickname table).
fn edit(mut text: Vec<u8>, hot: usize, b: &mut Bytes) -> Vec<u8> {
    for _ in 0..1 + b.byte() % 4 {
        if b.done() || text.is_empty() {
            break;
        }
        let choice = b.byte();
        let kind = choice % 8;
        let from = if choice & 0x80 != 0 {
            hot.min(text.len() - 1)
        } else {
            0
        };
        let at = from + b.position(text.len() - from);
        match kind {
            0 => text[at] ^= 1 << (b.byte() % 8),
            1 => text[at] = b.byte(),
            2 => text.truncate(at),
            3 => {
                let end = (at + 1 + usize::from(b.byte() % 16)).min(text.len());
                text.drain(at..end);
            }
            4 => {
                let n = 1 + b.byte() % 4;
                let bytes: Vec<u8> = (0..n).map(|_| b.byte()).collect();
                text.splice(at..at, bytes);
            }
            5 => {
                let end = (at + 1 + usize::from(b.byte() % 32)).min(text.len());
                let copy = text[at..end].to_vec();
                text.splice(end..end, copy);
            }
            _ => {
                // The number at or after `at` becomes an extreme one.
                let Some(start) = text[at..].iter().position(u8::is_ascii_digit) else {
                    continue;
                };
                let start = at + start;
                let len = text[start..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'-'))
                    .count();
                let number = NUMBERS[usize::from(b.byte()) % NUMBERS.len()];
                text.splice(start..start + len, number.bytes());
            }
        }
    }
    text
}

/// `(written, computed)` checksums of a checksum-mismatch error.
fn mismatch(message: &str) -> Option<(String, String)> {
    let rest = message.split("the file says ").nth(1)?;
    let (written, rest) = rest.split_once(", its data hashes to ")?;
    let computed = rest.split(' ').next()?;
    Some((written.to_string(), computed.to_string()))
}

/// `text` with its checksum replaced by the one its data hashes to, when reading it
/// failed on the checksum alone.
fn resealed(text: &[u8], error: &serde_json::Error) -> Option<Vec<u8>> {
    let (written, computed) = mismatch(&error.to_string())?;
    let written = serde_json::to_string(&written).ok()?;
    let computed = serde_json::to_string(&computed).ok()?;
    let text = std::str::from_utf8(text).ok()?;
    text.contains(&written)
        .then(|| text.replacen(&written, &computed, 1).into_bytes())
}

/// Everything a caller may do with a restored graph: no panic, and the basic
/// invariants of profiles and snapshots.
fn exercise_profile_graph(mut g: ProfileGraph) {
    let text = serde_json::to_string(&g.snapshot()).expect("a restored graph snapshots");
    let again = ProfileGraph::restore(serde_json::from_str(&text).expect("its snapshot reads"))
        .expect("its snapshot restores");
    assert!(
        serde_json::to_string(&again.snapshot()).expect("snapshot") == text,
        "a restored graph does not snapshot to itself"
    );
    let profiles = g.profiles();
    let mut seen = BTreeSet::new();
    let mut ids: Vec<String> = Vec::new();
    for (p, members) in &profiles {
        for id in members {
            assert!(seen.insert(id.to_string()), "a record in two profiles");
            assert_eq!(g.profile_of(id), Some(*p));
            assert!(g.membership(id).is_some());
            ids.push(id.to_string());
        }
        let _ = g.cohesion(*p);
        let _ = g.explain_profile(*p);
        let _ = g.golden(*p, &GoldenRules::default());
    }
    let _ = g.pair_rows();
    let _ = g.invalid_values();
    let _ = format!("{g:?}");
    if ids.len() >= 2 {
        let _ = g.explain_pair(&ids[0], &ids[1]);
        let _ = g.assert_same(&ids[0], &ids[1]);
        let _ = g.assert_different(&ids[0], &ids[ids.len() - 1]);
        let _ = g.retract(&ids[0], &ids[1]);
    }
    let schema = bases().schema.clone();
    if g.config().schema == schema {
        let r = rec(
            &schema,
            "fuzz-new",
            "web",
            ["Ana", "Pop", "1980-02-03", "ana@example.com", "L1"],
        );
        let _ = g.add(r);
    }
    if let Some(id) = ids.first() {
        let _ = g.erase(id);
    }
    let model = g.model().clone();
    let _ = g.set_model(model);
    if let Ok((model, _)) = g.fit(&mut |_| {}) {
        let _ = g.set_model(model);
    }
    let _ = serde_json::to_string(&g.snapshot());
}

fn exercise_link_graph(mut g: LinkGraph) {
    let text = serde_json::to_string(&g).expect("a restored link graph serializes");
    let again: LinkGraph = serde_json::from_str(&text).expect("and reads back");
    assert!(serde_json::to_string(&again).expect("serializes") == text);
    let mut seen = BTreeSet::new();
    let mut nodes: Vec<NodeId> = Vec::new();
    for (p, members) in g.profiles() {
        for &n in members {
            assert!(seen.insert(n), "a node in two profiles");
            assert_eq!(g.profile_of(n), Some(p));
            nodes.push(n);
        }
    }
    let _ = g.edges().count();
    let _ = g.profile_count();
    let _ = g.heap_bytes();
    for &n in &nodes {
        let _ = g.key(n).map(|k| g.node(k));
        let _ = g.exclusive(n);
    }
    if nodes.len() >= 2 {
        let _ = g.assert_same(nodes[0], nodes[1]);
        let _ = g.assert_different(nodes[0], nodes[nodes.len() - 1]);
        let _ = g.retract(nodes[0], nodes[1]);
    }
    let _ = g.rescore(|gamma| f64::from((gamma.0 % 7) as u8) - 3.0);
    if let Some(&n) = nodes.first() {
        let _ = g.remove_node(n);
    }
    if let Ok(n) = g.add_node("fuzz-new") {
        if let Some(&m) = nodes.get(1) {
            let _ = g.upsert_edge(n, m, sameas::Gamma(1), 2.0);
        }
    }
    let _ = g.recompute_all();
    let _ = serde_json::to_string(&g);
}

/// Reads `text` as a `ProfileGraph` snapshot. `original`: the snapshot it is an edit
/// of, if any.
fn read_profile_graph(text: &[u8], original: Option<&str>) {
    match serde_json::from_slice::<GraphSnapshot>(text) {
        Ok(s) => {
            let restored = ProfileGraph::restore(s);
            if let Some(original) = original {
                let g = restored.expect("an accepted snapshot restores");
                let back = serde_json::to_string(&g.snapshot()).expect("snapshot");
                assert!(
                    back == original,
                    "an edited snapshot was accepted as another graph"
                );
            } else if let Ok(g) = restored {
                exercise_profile_graph(g);
            }
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
            let Some(resealed) = resealed(text, &e) else {
                return;
            };
            if let Ok(s) = serde_json::from_slice::<GraphSnapshot>(&resealed) {
                match ProfileGraph::restore(s) {
                    Ok(g) => exercise_profile_graph(g),
                    Err(e) => assert!(!e.to_string().is_empty()),
                }
            }
        }
    }
}

/// Reads `text` as a `LinkGraph` snapshot (see [`read_profile_graph`]).
fn read_link_graph(text: &[u8], original: Option<&str>) {
    match serde_json::from_slice::<LinkGraph>(text) {
        Ok(g) => {
            if let Some(original) = original {
                let back = serde_json::to_string(&g).expect("serializes");
                assert!(
                    back == original,
                    "an edited snapshot was accepted as another graph"
                );
            } else {
                exercise_link_graph(g);
            }
        }
        Err(e) => {
            let Some(resealed) = resealed(text, &e) else {
                return;
            };
            if let Ok(g) = serde_json::from_slice::<LinkGraph>(&resealed) {
                exercise_link_graph(g);
            }
        }
    }
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let bases = bases();
    let mut b = Bytes { data, at: 0 };
    match b.byte() % 4 {
        0 => {
            read_profile_graph(&data[1.min(data.len())..], None);
            read_link_graph(&data[1.min(data.len())..], None);
        }
        1 | 2 => {
            let hot = bases.profile_graph.find("\"live_tf\"").unwrap_or(0);
            let text = edit(bases.profile_graph.clone().into_bytes(), hot, &mut b);
            read_profile_graph(&text, Some(&bases.profile_graph));
        }
        _ => {
            let text = edit(bases.link_graph.clone().into_bytes(), 0, &mut b);
            read_link_graph(&text, Some(&bases.link_graph));
        }
    }
}
