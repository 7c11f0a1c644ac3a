//! Six match strategies run on the same records, for the `compare_strategies` example
//! and the `strategies` bench (both include this file by path).
//!
//! Every strategy starts from the raw records and ends with one cluster label per
//! record, so its time covers all of its work (normalizing, blocking, comparing,
//! training, clustering). The strategies that compare pairs all use the candidate
//! pairs of the data set's inferred blocking rules.

use sameas::compare::ComparisonSet;
use sameas::eval::pairwise_from_clusters;
use sameas::similarity::{jaro_winkler, MAX_CHARS};
use sameas::{BlockingRule, Config, FieldKind, Gamma, Model, ProfileGraph, Record};
pub mod table;

use std::collections::BTreeMap;
use std::time::Instant;
use table::StrategyRow;

/// Average Jaro-Winkler similarity at or above which the threshold strategy links.
pub const JARO_WINKLER_THRESHOLD: f64 = 0.85;

/// Laplace smoothing of the supervised counts.
pub const SUPERVISED_SMOOTHING: f64 = 1.0;

/// Records with their truth and the configuration inferred for them.
pub struct Dataset {
    /// The records.
    pub records: Vec<Record>,
    /// The true entity of each record (same order).
    pub truth: Vec<u64>,
    /// The inferred configuration (schema, comparisons, blocking, training rules).
    pub config: Config,
}

/// A match strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Records sharing an exact normalized email, phone or strong id (with none of
    /// those fields: given name + family name + date of birth), union-find.
    ExactKeys,
    /// Candidate pairs satisfying one of the config's deterministic training rules
    /// (every comparison of the rule's fields at its exact level), union-find.
    DeterministicRules,
    /// Candidate pairs whose Jaro-Winkler similarity, averaged over the comparisons
    /// both records fill, is at least [`JARO_WINKLER_THRESHOLD`], union-find.
    AveragedJaroWinkler,
    /// Fellegi-Sunter trained by EM without labels, term frequencies off.
    FellegiSunterEm,
    /// Fellegi-Sunter trained by EM with term-frequency adjustments (the default).
    FellegiSunterEmTf,
    /// Fellegi-Sunter with m and u counted on half the candidate pairs, labelled by
    /// the truth (term frequencies off: u comes from candidates, not random pairs).
    Supervised,
}

impl Strategy {
    /// Every strategy, in table order.
    pub const ALL: [Strategy; 6] = [
        Strategy::ExactKeys,
        Strategy::DeterministicRules,
        Strategy::AveragedJaroWinkler,
        Strategy::FellegiSunterEm,
        Strategy::FellegiSunterEmTf,
        Strategy::Supervised,
    ];

    /// The name shown in tables and bench groups.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::ExactKeys => "exact keys",
            Strategy::DeterministicRules => "deterministic rules",
            Strategy::AveragedJaroWinkler => "averaged Jaro-Winkler >= 0.85",
            Strategy::FellegiSunterEm => "Fellegi-Sunter, EM, no TF",
            Strategy::FellegiSunterEmTf => "Fellegi-Sunter, EM + TF (sameas default)",
            Strategy::Supervised => "Fellegi-Sunter, supervised (50% labels)",
        }
    }
}

/// What a strategy produced: a cluster label per record and how many pairs it compared.
pub struct Outcome {
    /// Cluster label of each record (same order as the records).
    pub labels: Vec<u64>,
    /// Record pairs compared (for exact keys: distinct pairs sharing a key).
    pub pairs_compared: u64,
}

/// Runs `strategy` on `data` from the raw records to clusters.
pub fn run(strategy: Strategy, data: &Dataset) -> Result<Outcome, String> {
    match strategy {
        Strategy::ExactKeys => exact_keys(data),
        Strategy::DeterministicRules => deterministic_rules(data),
        Strategy::AveragedJaroWinkler => averaged_jaro_winkler(data),
        Strategy::FellegiSunterEm => fellegi_sunter(data, false),
        Strategy::FellegiSunterEmTf => fellegi_sunter(data, true),
        Strategy::Supervised => supervised(data),
    }
}

/// Runs `strategy`, times it, and scores its clusters pairwise against the truth.
pub fn evaluate(strategy: Strategy, data: &Dataset) -> Result<StrategyRow, String> {
    let started = Instant::now();
    let outcome = run(strategy, data)?;
    let seconds = started.elapsed().as_secs_f64();
    let m = pairwise_from_clusters(&outcome.labels, &data.truth).map_err(|e| e.to_string())?;
    Ok(StrategyRow {
        name: strategy.name().to_string(),
        precision: m.precision,
        recall: m.recall,
        f1: m.f1,
        pairs_compared: outcome.pairs_compared,
        seconds,
    })
}

/// Union-find with path halving and union by size.
pub(crate) struct UnionFind {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl UnionFind {
    pub(crate) fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    pub(crate) fn union(&mut self, a: usize, b: usize) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a;
        self.size[a] += self.size[b];
    }

    pub(crate) fn labels(mut self) -> Vec<u64> {
        (0..self.parent.len())
            .map(|i| self.find(i) as u64)
            .collect()
    }
}

/// Record index by record id.
fn positions(records: &[Record]) -> BTreeMap<&str, usize> {
    records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id(), i))
        .collect()
}

/// A graph holding every record with its candidate pairs compared (not trained).
fn compared_graph(config: Config, records: &[Record]) -> Result<ProfileGraph, String> {
    let mut graph = ProfileGraph::new(config).map_err(|e| e.to_string())?;
    graph
        .add_batch(records.to_vec())
        .map_err(|e| e.to_string())?;
    Ok(graph)
}

/// Every candidate pair of the graph as record indexes, with its γ.
fn candidate_pairs(graph: &ProfileGraph, records: &[Record]) -> Vec<(usize, usize, Gamma)> {
    let at = positions(records);
    let links = graph.links();
    links
        .edges()
        .filter_map(|(a, b, g, _)| {
            let a = *at.get(links.key(a)?)?;
            let b = *at.get(links.key(b)?)?;
            Some((a, b, g))
        })
        .collect()
}

/// Cluster labels of the graph's profiles, by record order.
fn profile_labels(graph: &ProfileGraph, records: &[Record]) -> Vec<u64> {
    records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            graph
                .profile_of(r.id())
                .map_or(u64::MAX - i as u64, |p| p.0)
        })
        .collect()
}

/// Kind of a comparison's field (`None` for parts of a full name).
fn kind_of(config: &Config, field: &str) -> Option<FieldKind> {
    config.schema.field(field).ok().map(|(_, def)| def.kind)
}

fn exact_keys(data: &Dataset) -> Result<Outcome, String> {
    let config = &data.config;
    let set = ComparisonSet::new(
        config.schema.clone(),
        config.comparisons.clone(),
        config.normalize.clone(),
    )
    .map_err(|e| e.to_string())?;
    let comps = config.comparisons.iter().enumerate();
    let single: Vec<usize> = comps
        .clone()
        .filter(|(_, c)| {
            matches!(
                kind_of(config, &c.field),
                Some(FieldKind::Email | FieldKind::Phone | FieldKind::StrongId)
            )
        })
        .map(|(i, _)| i)
        .collect();
    // Without contact fields or ids: one composite key of name and birth date (the
    // name may be one comparison over given and family name).
    let kinds = [
        FieldKind::GivenName,
        FieldKind::FamilyName,
        FieldKind::DateOfBirth,
    ];
    let reads_kind = |c: &sameas::Comparison, k: FieldKind| {
        c.read_fields().any(|f| kind_of(config, f) == Some(k))
    };
    let mut composite: Vec<usize> = if single.is_empty() {
        kinds
            .iter()
            .filter_map(|&k| {
                comps
                    .clone()
                    .find(|(_, c)| reads_kind(c, k))
                    .map(|(i, _)| i)
            })
            .collect()
    } else {
        Vec::new()
    };
    let covered = kinds.iter().all(|&k| {
        composite
            .iter()
            .any(|&i| reads_kind(&config.comparisons[i], k))
    });
    composite.dedup();
    if single.is_empty() && !covered {
        return Err("no email, phone or strong id, nor given name + family name + date of birth to use as exact keys".into());
    }
    // Key → records holding it, in record order.
    let mut groups: BTreeMap<(usize, String), Vec<usize>> = BTreeMap::new();
    for (i, record) in data.records.iter().enumerate() {
        for &c in &single {
            for value in set.normalized_values(record, c) {
                groups.entry((c, value)).or_default().push(i);
            }
        }
        if !composite.is_empty() {
            let parts: Vec<Option<String>> = composite
                .iter()
                .map(|&c| set.normalized_values(record, c).into_iter().next())
                .collect();
            if let Some(parts) = parts.into_iter().collect::<Option<Vec<String>>>() {
                groups
                    .entry((usize::MAX, parts.join("\u{1f}")))
                    .or_default()
                    .push(i);
            }
        }
    }
    let mut uf = UnionFind::new(data.records.len());
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for members in groups.values() {
        for (k, &a) in members.iter().enumerate() {
            for &b in members.iter().skip(k + 1) {
                if a != b {
                    pairs.push((a.min(b), a.max(b)));
                }
            }
        }
        if let Some(&first) = members.first() {
            for &m in members.iter().skip(1) {
                uf.union(first, m);
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    Ok(Outcome {
        labels: uf.labels(),
        pairs_compared: pairs.len() as u64,
    })
}

fn deterministic_rules(data: &Dataset) -> Result<Outcome, String> {
    let config = &data.config;
    // The rules that can hold at all: each reads comparisons that all have an exact level.
    let rules: Vec<&BlockingRule> = config
        .training
        .deterministic_rules
        .iter()
        .filter(|rule| {
            let read = rule.comparisons_read(&config.comparisons);
            !read.is_empty()
                && read
                    .iter()
                    .all(|&c| config.comparisons[c].exact_level().is_some())
        })
        .collect();
    let graph = compared_graph(config.clone(), &data.records)?;
    let mut uf = UnionFind::new(data.records.len());
    for (a, b, g) in candidate_pairs(&graph, &data.records) {
        if rules.iter().any(|rule| rule.holds(&config.comparisons, g)) {
            uf.union(a, b);
        }
    }
    Ok(Outcome {
        labels: uf.labels(),
        pairs_compared: graph.pair_count() as u64,
    })
}

fn averaged_jaro_winkler(data: &Dataset) -> Result<Outcome, String> {
    let graph = compared_graph(data.config.clone(), &data.records)?;
    let set = graph.comparison_set();
    let prepared = data
        .records
        .iter()
        .map(|r| set.prepare(r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let mut uf = UnionFind::new(data.records.len());
    for (a, b, _) in candidate_pairs(&graph, &data.records) {
        let (pa, pb) = (&prepared[a], &prepared[b]);
        let (mut sum, mut filled) = (0.0, 0usize);
        for c in 0..set.len() {
            let mut best: Option<f64> = None;
            for x in pa.values(c) {
                for y in pb.values(c) {
                    let (mut wa, mut wb) = ([0; MAX_CHARS], [0; MAX_CHARS]);
                    let s = jaro_winkler(pa.chars(x).wide(&mut wa), pb.chars(y).wide(&mut wb));
                    best = Some(best.map_or(s, |b: f64| b.max(s)));
                }
            }
            if let Some(s) = best {
                sum += s;
                filled += 1;
            }
        }
        if filled > 0 && sum / filled as f64 >= JARO_WINKLER_THRESHOLD {
            uf.union(a, b);
        }
    }
    Ok(Outcome {
        labels: uf.labels(),
        pairs_compared: graph.pair_count() as u64,
    })
}

/// The config with term-frequency adjustments switched off on every comparison.
fn without_tf(config: &Config) -> Config {
    let mut config = config.clone();
    for c in &mut config.comparisons {
        c.term_frequency = false;
    }
    config
}

fn fellegi_sunter(data: &Dataset, term_frequencies: bool) -> Result<Outcome, String> {
    let config = if term_frequencies {
        data.config.clone()
    } else {
        without_tf(&data.config)
    };
    let mut graph = compared_graph(config, &data.records)?;
    let (model, _) = graph.fit(&mut |_| {}).map_err(|e| e.to_string())?;
    graph.set_model(model).map_err(|e| e.to_string())?;
    Ok(Outcome {
        labels: profile_labels(&graph, &data.records),
        pairs_compared: graph.pair_count() as u64,
    })
}

/// Whether a pair is in the labelled half: a fixed hash of its two record indexes.
pub(crate) fn in_training_half(a: usize, b: usize) -> bool {
    let mut x = (a as u64) << 32 ^ b as u64 ^ 0x9E37_79B9_7F4A_7C15;
    x ^= x >> 30;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    x & 1 == 0
}

fn supervised(data: &Dataset) -> Result<Outcome, String> {
    let config = without_tf(&data.config);
    let mut model = Model::new(&config.comparisons).map_err(|e| e.to_string())?;
    let mut graph = compared_graph(config, &data.records)?;
    let labelled: Vec<(Gamma, bool)> = candidate_pairs(&graph, &data.records)
        .into_iter()
        .filter(|&(a, b, _)| in_training_half(a, b))
        .map(|(a, b, g)| (g, data.truth.get(a) == data.truth.get(b)))
        .collect();
    model
        .train_supervised(&labelled, SUPERVISED_SMOOTHING)
        .map_err(|e| e.to_string())?;
    graph.set_model(model).map_err(|e| e.to_string())?;
    Ok(Outcome {
        labels: profile_labels(&graph, &data.records),
        pairs_compared: graph.pair_count() as u64,
    })
}
