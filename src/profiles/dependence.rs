//! Measuring how given and family names go together among strangers (see
//! [`NameDependence`]): pairs drawn within groups of records that share one name,
//! their other name's levels counted over the pairs the other fields call strangers.

use super::ingest::map_all;
use super::ProfileGraph;
use crate::compare::{Gamma, PreparedRecord};
use crate::hash::mix;
use crate::model::{
    conditional_u, probability_from_weight, shrunk_ratio, weight_from_probability, Model,
    NameDependence, PatternCounts,
};

/// Below this chance of a match, judged without the names, a pair counts as two
/// strangers. Only such pairs are counted: a pair the other fields cannot judge
/// (missing, or agreeing like a household) would bring one person's records in, whose
/// names agree for another reason.
const CLEARLY_STRANGERS: f64 = 1e-5;

/// Iterations of the match share of a sample (it converges in a few dozen).
const MAX_SHARE_ITERATIONS: usize = 200;

/// Fewest pairs sharing a name worth estimating from; below it (a few hundred
/// records) the comparison keeps its unconditional `u`.
const MIN_SHARING_PAIRS: u64 = 100;

impl ProfileGraph {
    /// The name dependence of the records present under `model`, from at most
    /// `count` pairs sharing the family name and `count` sharing the given name
    /// (every such pair where there are no more; seeded, deterministic); `None`
    /// without both name comparisons, without enough records that share a name, or
    /// when `count` is 0.
    pub(super) fn measure_name_dependence(
        &self,
        model: &Model,
        count: usize,
        seed: u64,
    ) -> Option<NameDependence> {
        let (given, family) = self.set.swap?;
        let position = self.id_order_positions();
        // (comparison grouped by, comparison measured, the pairs drawn and their γ)
        type Sample = (usize, usize, Vec<(usize, usize)>, Vec<Gamma>);
        let samples: Vec<Sample> = [(family, given), (given, family)]
            .into_iter()
            .map(|(by, of)| {
                let pairs = self.pairs_sharing(by, &position, count, seed ^ by as u64);
                // The name they share is not compared: it is what groups them.
                let gammas = map_all(&pairs, |&(a, b)| {
                    self.prepared_pair(a, b)
                        .map_or(Gamma(0), |(pa, pb)| self.set.gamma_as_typed(pa, pb, by))
                });
                (by, of, pairs, gammas)
            })
            .collect();
        if samples.iter().all(|(_, _, p, _)| p.is_empty()) {
            return None;
        }
        let mut dependence = NameDependence {
            given,
            family,
            given_u_same_family: Vec::new(),
            family_u_same_given: Vec::new(),
        };
        for (by, of, pairs, gammas) in &samples {
            let strangers = clear_strangers(model, gammas, &[given, family]);
            let levels = model.comparisons()[*of].levels.len();
            let mut counts = vec![0.0; levels];
            for (g, s) in gammas.iter().zip(&strangers) {
                if let Some(k) = (g.level(*of) as usize)
                    .checked_sub(1)
                    .and_then(|l| counts.get_mut(l))
                {
                    *k += s;
                }
            }
            let u: Vec<f64> = model.comparisons()[*of]
                .levels
                .iter()
                .map(|l| l.u)
                .collect();
            let mut estimate = conditional_u(&counts, &u).unwrap_or_default();
            let exact = model.comparisons()[*of]
                .exact_level
                .filter(|_| model.comparisons()[*of].term_frequency);
            if let Some(i) = exact.map(|e| e as usize - 1) {
                let expected = self.expected_exact_agreements(*of, pairs, gammas, &strangers);
                if let (Some(e), Some(&u_exact), Some(expected)) =
                    (estimate.get_mut(i), u.get(i), expected)
                {
                    *e = (u_exact * shrunk_ratio(counts[i], expected)).clamp(1e-6, 1.0);
                }
            }
            if *by == family {
                dependence.given_u_same_family = estimate;
            } else {
                dependence.family_u_same_given = estimate;
            }
        }
        Some(dependence)
    }

    /// How many exact agreements on comparison `of` the counted pairs would show if
    /// names were independent, by the values' own frequencies (scoring weighs an
    /// exact agreement by its value's frequency, so the exact level's conditional u is
    /// measured against what those frequencies expect of these very pairs). `None`
    /// without frequencies for the comparison.
    fn expected_exact_agreements(
        &self,
        of: usize,
        pairs: &[(usize, usize)],
        gammas: &[Gamma],
        strangers: &[f64],
    ) -> Option<f64> {
        let table = self.live_tf.table(of).filter(|t| t.total() > 0)?;
        let floor = 1.0 / table.total() as f64;
        let frequency = |slot: usize| {
            self.prepared[slot]
                .as_ref()
                .and_then(|p| p.values(of).first())
                .map_or(0.0, |v| table.frequency(v.hash).unwrap_or(floor))
        };
        Some(
            pairs
                .iter()
                .zip(gammas)
                .zip(strangers)
                .filter(|((_, g), _)| g.level(of) != 0)
                .map(|((&(a, b), _), s)| s * (frequency(a) + frequency(b)) / 2.0)
                .sum(),
        )
    }

    /// The prepared records in slots `a` and `b`; `None` when either slot is free.
    fn prepared_pair(&self, a: usize, b: usize) -> Option<(&PreparedRecord, &PreparedRecord)> {
        Some((self.prepared[a].as_ref()?, self.prepared[b].as_ref()?))
    }

    /// γ of the records in slots `a` and `b` (no evidence when a slot is free).
    pub(super) fn gamma_of(&self, a: usize, b: usize) -> Gamma {
        self.prepared_pair(a, b)
            .map_or(Gamma(0), |(pa, pb)| self.set.gamma(pa, pb))
    }

    /// Each slot's place among the live records in id order (`u32::MAX` for a free
    /// slot): what orders a name's records whatever order they arrived in.
    fn id_order_positions(&self) -> Vec<u32> {
        let mut position = vec![u32::MAX; self.prepared.len()];
        for (pos, slot) in self.live_in_id_order().into_iter().enumerate() {
            position[slot] = pos as u32;
        }
        position
    }

    /// `count` pairs of distinct records (slots) that hold the same first value of
    /// comparison `by`, drawn uniformly from all such pairs (seeded; the same pairs
    /// whatever order the records arrived in: each value's records are taken in
    /// their `position`), or every such pair once when there are no more than
    /// `count` (small data: exact counts, and no pair compared hundreds of times).
    /// Empty when fewer than [`MIN_SHARING_PAIRS`] pairs share a value.
    fn pairs_sharing(
        &self,
        by: usize,
        position: &[u32],
        count: usize,
        seed: u64,
    ) -> Vec<(usize, usize)> {
        // (value, position, slot), read in slot order (the records' memory order).
        let mut keyed: Vec<(u64, u32, u32)> = self
            .prepared
            .iter()
            .zip(position)
            .enumerate()
            .filter_map(|(slot, (prepared, &pos))| {
                let value = prepared.as_ref()?.values(by).first()?;
                (pos != u32::MAX).then_some((value.hash, pos, slot as u32))
            })
            .collect();
        #[cfg(feature = "parallel")]
        rayon::slice::ParallelSliceMut::par_sort_unstable(&mut keyed[..]);
        #[cfg(not(feature = "parallel"))]
        keyed.sort_unstable();
        // Groups of two or more, with the running count of pairs up to each.
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut cumulative: Vec<u64> = Vec::new();
        let mut total = 0u64;
        let mut start = 0;
        while start < keyed.len() {
            let end = start
                + keyed[start..]
                    .iter()
                    .take_while(|k| k.0 == keyed[start].0)
                    .count();
            let n = (end - start) as u64;
            if n >= 2 {
                total += n * (n - 1) / 2;
                groups.push((start, end));
                cumulative.push(total);
            }
            start = end;
        }
        if total < MIN_SHARING_PAIRS {
            return Vec::new();
        }
        let pair = |start: usize, a: u64, b: u64| {
            (
                keyed[start + a as usize].2 as usize,
                keyed[start + b as usize].2 as usize,
            )
        };
        if total <= count as u64 {
            // Every pair once: no sample could say more.
            groups
                .iter()
                .flat_map(|&(start, end)| {
                    let n = (end - start) as u64;
                    (0..n).flat_map(move |a| (a + 1..n).map(move |b| pair(start, a, b)))
                })
                .collect()
        } else {
            (0..count as u64)
                .map(|i| {
                    let x = mix(seed ^ mix(i.wrapping_mul(2) + 1));
                    let r = x % total;
                    let (start, end) = groups[cumulative.partition_point(|&c| c <= r)];
                    let n = (end - start) as u64;
                    let y = mix(x ^ 0x5DEE_CE66);
                    let a = y % n;
                    let b = (a + 1 + mix(y) % (n - 1)) % n;
                    pair(start, a, b)
                })
                .collect()
        }
    }
}

/// 1 for each pair that is clearly two people, else 0: judged by `model` on every
/// comparison but `names` (the names are what is being measured: judged by them,
/// namesakes would pass for matches), with the prior replaced by the match share of
/// the pairs themselves, found as EM finds a mixture's share (pairs sharing a name are
/// far likelier to match than random pairs). A pair with nothing but names is not
/// clear either way. The share is iterated over the distinct γ patterns, not every
/// pair: a sample of 5·10⁴ pairs holds a few hundred.
fn clear_strangers(model: &Model, gammas: &[Gamma], names: &[usize]) -> Vec<f64> {
    let evidence = |g: Gamma| -> f64 {
        (0..model.comparison_count())
            .filter(|c| !names.contains(c))
            .map(|c| model.level_weight(c, g.level(c)))
            .sum()
    };
    let patterns: Vec<(f64, f64)> = gammas
        .iter()
        .copied()
        .collect::<PatternCounts>()
        .iter()
        .map(|(g, n)| (evidence(g), n as f64))
        .collect();
    let pairs = gammas.len().max(1) as f64;
    let mut share = 0.5;
    for _ in 0..MAX_SHARE_ITERATIONS {
        let w = weight_from_probability(share);
        let next = patterns
            .iter()
            .map(|&(e, n)| n * probability_from_weight(w + e))
            .sum::<f64>()
            / pairs;
        let done = (next - share).abs() < 1e-7;
        share = next.clamp(1e-9, 1.0 - 1e-9);
        if done {
            break;
        }
    }
    let w = weight_from_probability(share);
    gammas
        .iter()
        .map(|&g| {
            if probability_from_weight(w + evidence(g)) < CLEARLY_STRANGERS {
                1.0
            } else {
                0.0
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::record::{FieldKind, Record, Schema};
    use crate::ProfileGraph;
    use std::collections::BTreeSet;

    /// Records sharing family names in groups of 4, 6, 8, … (`groups` of them): the
    /// graph and how many pairs share a family name.
    fn families(groups: usize) -> (ProfileGraph, u64) {
        let schema = Schema::from_fields([
            ("given_name", FieldKind::GivenName),
            ("family_name", FieldKind::FamilyName),
        ])
        .unwrap();
        let mut g = ProfileGraph::new(Config::infer(schema.clone()).unwrap()).unwrap();
        let mut records = Vec::new();
        let mut sharing = 0;
        for f in 0..groups {
            let n = 4 + 2 * f;
            sharing += (n * (n - 1) / 2) as u64;
            for i in 0..n {
                records.push(
                    Record::builder(&schema, format!("r{f}-{i}"))
                        .value("given_name", format!("given{i}"))
                        .value("family_name", format!("family{f}"))
                        .build()
                        .unwrap(),
                );
            }
        }
        g.add_batch(records).unwrap();
        (g, sharing)
    }

    /// A sample pair is compared without the name that groups it; between two
    /// one-name people ("Purisa | Purisa") the other name repeats it, so it is not
    /// counted either, while two people with two names each show their given names'
    /// level.
    #[test]
    fn a_sample_pair_leaves_out_the_grouping_name_and_names_equal_by_construction() {
        let schema = Schema::from_fields([
            ("given_name", FieldKind::GivenName),
            ("family_name", FieldKind::FamilyName),
        ])
        .unwrap();
        let mut g = ProfileGraph::new(Config::infer(schema.clone()).unwrap()).unwrap();
        let people = [
            ("a", "Purisa", "Purisa"),
            ("b", "Purisa", "Purisa"),
            ("c", "Budi", "Santoso"),
            ("d", "Agus", "Santoso"),
        ];
        let records = people.iter().map(|&(id, given, family)| {
            Record::builder(&schema, id)
                .value("given_name", given)
                .value("family_name", family)
                .build()
                .unwrap()
        });
        g.add_batch(records.collect()).unwrap();
        let (given, family) = g.set.swap.unwrap();
        let slot = |id: &str| g.links.node(id).unwrap().index();
        let gamma = |x: &str, y: &str| {
            let (a, b) = (slot(x), slot(y));
            g.set.gamma_as_typed(
                g.prepared[a].as_ref().unwrap(),
                g.prepared[b].as_ref().unwrap(),
                family,
            )
        };
        let relatives = gamma("c", "d");
        assert_eq!(relatives.level(family), 0, "the grouping name is left out");
        assert!(
            relatives.level(given) > 1,
            "Budi / Agus: a level below exact"
        );
        let one_names = gamma("a", "b");
        assert_eq!((one_names.level(given), one_names.level(family)), (0, 0));
    }

    /// Where no more pairs share a name than the sample asks for, each is taken
    /// once (the counts are exact and no pair is compared over and over); beyond
    /// that, the sample has the size asked for and holds only sharing pairs.
    #[test]
    fn a_small_data_set_gives_every_sharing_pair_once() {
        let (g, sharing) = families(12);
        let family = g.set.swap.unwrap().1;
        let position = g.id_order_positions();
        let family_of = |slot: usize| g.prepared[slot].as_ref().unwrap().values(family)[0].hash;
        let shares = |pairs: &[(usize, usize)]| {
            pairs
                .iter()
                .all(|&(a, b)| a != b && family_of(a) == family_of(b))
        };
        for count in [sharing as usize, 10_000] {
            let all = g.pairs_sharing(family, &position, count, 1);
            assert_eq!(all.len() as u64, sharing);
            assert!(shares(&all));
            let distinct: BTreeSet<(usize, usize)> =
                all.iter().map(|&(a, b)| (a.min(b), a.max(b))).collect();
            assert_eq!(distinct.len() as u64, sharing);
            assert_eq!(all, g.pairs_sharing(family, &position, count, 2), "no draw");
        }
        for count in [sharing as usize - 1, 100] {
            let sample = g.pairs_sharing(family, &position, count, 1);
            assert_eq!(sample.len(), count);
            assert!(shares(&sample));
            assert_ne!(
                sample,
                g.pairs_sharing(family, &position, count, 2),
                "seeded draw"
            );
        }
    }
}
