//! Scoring compared pairs: the model's weight plus term-frequency adjustments read
//! from the frozen frequencies, and the exclusive keys of strong identifiers.

use crate::compare::{token_hashes, ComparisonSet, FieldRef, FieldValues, Gamma, PreparedRecord};
use crate::config::Config;
use crate::error::{Error, ErrorKind, Result};
use crate::hash::{combine, hash_str};
use crate::model::{weight_from_probability, Model, TermFrequencies, TfTable};
use crate::record::{FieldKind, Schema};

/// Fails unless `model` has the same comparisons and level counts as `set`.
pub(super) fn check_model_fits(model: &Model, set: &ComparisonSet) -> Result<()> {
    let fits = model.comparison_count() == set.len()
        && model
            .comparisons()
            .iter()
            .zip(set.comparisons())
            .all(|(p, c)| {
                p.levels.len() + 1 == c.level_count() || p.levels.len() == c.level_count()
            });
    if fits {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::InvalidConfig,
            format!(
                "the model has {} comparisons that do not match the configuration's {}",
                model.comparison_count(),
                set.len()
            ),
        ))
    }
}

/// Relative frequency of the rarest value both records hold for comparison `c`
/// (`None` when they share none or no frequencies are known). A value missing from
/// the table counts as seen once. For a person-name comparison: the product of the
/// frequencies of the name tokens both hold (the chance that strangers share them
/// all, if tokens are independent), at least the floor.
pub(super) fn shared_frequency(
    set: &ComparisonSet,
    tf: &TermFrequencies,
    a: &PreparedRecord,
    b: &PreparedRecord,
    c: usize,
) -> Option<f64> {
    let table = tf.table(c)?;
    if table.total() == 0 {
        return None;
    }
    let floor = 1.0 / table.total() as f64;
    if set.is_name(c) {
        let (x, y) = (a.values(c).first()?, b.values(c).first()?);
        let mut product: Option<f64> = None;
        for t in token_hashes(a, x) {
            if token_hashes(b, y).any(|u| u == t) {
                let f = table.frequency(t).unwrap_or(floor);
                product = Some(product.unwrap_or(1.0) * f);
            }
        }
        return product.map(|p| p.max(floor * floor));
    }
    let mut best: Option<f64> = None;
    for x in a.values(c) {
        if b.values(c).iter().any(|y| y.hash == x.hash) {
            let f = table.frequency(x.hash).unwrap_or(floor);
            best = Some(best.map_or(f, |b: f64| b.min(f)));
        }
    }
    best.or_else(|| crosswise_frequency(set, table, a, b, c))
}

/// For a given- or family-name comparison that agrees only crosswise (names typed
/// into each other's field, see [`ComparisonSet::gamma`]): which shared name stands
/// for which field is ambiguous, so the commonest of the names shared crosswise, in
/// this comparison's own table, sets the frequency (the weaker, safer reading: a
/// common family name swapped weighs as little as typed right).
fn crosswise_frequency(
    set: &ComparisonSet,
    table: &TfTable,
    a: &PreparedRecord,
    b: &PreparedRecord,
    c: usize,
) -> Option<f64> {
    let (given, family) = set.swap?;
    if c != given && c != family {
        return None;
    }
    let floor = 1.0 / table.total() as f64;
    let mut commonest: Option<f64> = None;
    for (x, y) in [(given, family), (family, given)] {
        for v in a.values(x) {
            if b.values(y).iter().any(|w| w.hash == v.hash) {
                let f = table.frequency(v.hash).unwrap_or(floor);
                commonest = Some(commonest.map_or(f, |m: f64| m.max(f)));
            }
        }
    }
    commonest
}

/// What scores a compared pair: the model, the frozen frequencies, and the veto.
pub(super) struct Scorer<'a> {
    pub model: &'a Model,
    pub tf: &'a TermFrequencies,
    pub set: &'a ComparisonSet,
    /// Weight a vetoed pair is capped at: one bit below the clustering veto.
    pub veto_cap: f64,
    /// Veto levels that make a pair two people (see `Config::veto_quorum`).
    pub veto_quorum: usize,
}

impl<'a> Scorer<'a> {
    /// The scorer of `model` with frequencies `tf`, under `config`'s veto settings.
    pub fn new(
        model: &'a Model,
        tf: &'a TermFrequencies,
        set: &'a ComparisonSet,
        config: &Config,
    ) -> Self {
        Scorer {
            model,
            tf,
            set,
            veto_cap: Scorer::veto_cap(config.veto),
            veto_quorum: config.veto_quorum,
        }
    }

    /// The weight cap for vetoed pairs: one bit below the clustering veto `veto`.
    pub fn veto_cap(veto: f64) -> f64 {
        weight_from_probability(veto.max(1e-12)) - 1.0
    }

    /// Match weight of a compared pair: the model's level weights plus TF adjustments,
    /// capped below the clustering veto when γ marks two people.
    pub fn weight(&self, a: &PreparedRecord, b: &PreparedRecord, g: Gamma) -> f64 {
        let w = self
            .model
            .weight_with_tf(g, |c| shared_frequency(self.set, self.tf, a, b, c));
        if self.set.is_vetoed(g, self.veto_quorum) {
            w.min(self.veto_cap)
        } else {
            w
        }
    }
}

/// The exclusive keys of a record: one `(class, value)` per strong-identifier value,
/// the class naming the source and the field (two different loyalty numbers from the
/// same source mean two people).
pub(super) fn exclusive_keys(schema: &Schema, values: &mut FieldValues<'_>) -> Vec<(u64, u64)> {
    let mut keys = Vec::new();
    for (i, def) in schema.fields().iter().enumerate() {
        if def.kind != FieldKind::StrongId {
            continue;
        }
        let class = combine(hash_str(values.record().source()), hash_str(&def.name));
        for v in values.get(&FieldRef::whole(schema, i)).iter() {
            keys.push((class, hash_str(v)));
        }
    }
    keys
}

/// Who the record names, as one key: a hash of the values of every comparison that
/// reads names, with the first birth date, postcode and city it holds — what one
/// person's records share and namesakes mostly do not, so that two John Smiths count
/// twice and one inventor's hundred patents once. `None` without a name or without any
/// of those: such a record counts as a person of its own.
fn name_key(set: &ComparisonSet, p: &PreparedRecord) -> Option<u64> {
    let mut key: Option<u64> = None;
    for c in (0..set.len()).filter(|&c| set.reads_names(c)) {
        for v in p.values(c) {
            key = Some(combine(key.unwrap_or(0), combine(c as u64, v.hash)));
        }
    }
    let mut key = key?;
    let mut placed = false;
    for c in (0..set.len()).filter(|&c| set.tells_namesakes_apart(c)) {
        if let Some(v) = p.values(c).first() {
            key = combine(key, combine(c as u64, v.hash).rotate_left(1));
            placed = true;
        }
    }
    placed.then_some(key)
}

/// Adds (or with `remove`, takes away) a prepared record's distinct values to the
/// per-comparison frequency tables of every comparison that has an exact level. Name
/// comparisons count a name's tokens once per person (a name with a birth date,
/// postcode and city, see `name_key`): for the first record that carries them, taken
/// away with the last, so that a person's many records do not make their name common
/// (see [`TermFrequencies`]).
pub(super) fn count_values(
    set: &ComparisonSet,
    tf: &mut TermFrequencies,
    p: &PreparedRecord,
    remove: bool,
) {
    let count_names = match name_key(set, p) {
        None => true,
        Some(key) if remove => tf.names.remove(key),
        Some(key) => tf.names.add(key),
    };
    for (c, comparison) in set.comparisons().iter().enumerate() {
        if comparison.exact_level().is_none() || (!count_names && set.reads_names(c)) {
            continue;
        }
        if set.is_name(c) {
            // Tokens, not whole names: see `shared_frequency`.
            for v in p.values(c) {
                for t in token_hashes(p, v) {
                    if remove {
                        tf.remove(c, t);
                    } else {
                        tf.add(c, t);
                    }
                }
            }
            continue;
        }
        for v in p.values(c) {
            if remove {
                tf.remove(c, v.hash);
            } else {
                tf.add(c, v.hash);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::record::{FieldKind, Record, Schema};
    use crate::ProfileGraph;

    /// Counted name tokens and cities of the live frequencies: (family-name tokens,
    /// given-name tokens, cities).
    fn totals(g: &ProfileGraph) -> (u64, u64, u64) {
        let total = |c: usize| g.live_tf.table(c).map_or(0, |t| t.total());
        (total(1), total(0), total(2))
    }

    /// A person's many records with one name and place count that name once: a
    /// prolific inventor's or a re-imported customer's own name is not made common by
    /// their records; a namesake elsewhere counts again. Erasing the records takes the
    /// name away with the last of them.
    #[test]
    fn a_name_counts_once_however_many_records_carry_it() {
        let schema = Schema::from_fields([
            ("given_name", FieldKind::GivenName),
            ("family_name", FieldKind::FamilyName),
            ("city", FieldKind::City),
        ])
        .unwrap();
        let mut g = ProfileGraph::new(Config::infer(schema.clone()).unwrap()).unwrap();
        let record = |id: &str, given: &str, family: &str, city: &str| {
            Record::builder(&schema, id)
                .value("given_name", given)
                .value("family_name", family)
                .value("city", city)
                .build()
                .unwrap()
        };
        let mut records = vec![
            record("b1", "Ion", "Rus", "Iasi"),
            record("c1", "Maria", "Ene", "Cluj"),
        ];
        for i in 0..5 {
            records.push(record(&format!("a{i}"), "Ana", "Gurney", "Oslo"));
        }
        g.add_batch(records).unwrap();
        // Three people; every record's city.
        assert_eq!(totals(&g), (3, 3, 7));
        // One record more of a person seen, one of a relative (the family name
        // shared), one of a namesake in another city.
        g.add(record("a5", "ana", "GURNEY", "Oslo")).unwrap();
        g.add(record("d1", "Eva", "Gurney", "Oslo")).unwrap();
        g.add(record("e1", "Ana", "Gurney", "Bergen")).unwrap();
        assert_eq!(totals(&g), (5, 5, 10));
        for i in 0..6 {
            g.erase(&format!("a{i}")).unwrap();
            let left = if i < 5 { (5, 5, 9 - i) } else { (4, 4, 4) };
            assert_eq!(totals(&g), left, "after erasing a{i}");
        }
    }
}
