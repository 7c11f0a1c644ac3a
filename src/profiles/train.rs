//! Training a model on the graph's own records, without labels.
//!
//! - `u` of the fuzzy levels from a seeded random sample of record pairs; `u` of the
//!   exact levels exactly, from value frequencies (Σ p²).
//! - λ from deterministic rules with an assumed recall.
//! - `m` by EM on the counts of distinct γ patterns of the compared pairs, in one run
//!   per training rule, each leaving out the comparisons its rule agrees on.
//!
//! Training rules (deterministic and EM) are read through the comparisons: a rule's
//! keys name fields, and a compared pair satisfies the rule when every comparison of
//! those fields is at its exact level. Only compared (blocked) pairs are considered,
//! so no extra pass over the data is needed.

use super::ingest::map_all;
use super::ProfileGraph;
use crate::block::{BlockingRule, LinkMode};
use crate::compare::Gamma;
use crate::config::PriorEstimate;
use crate::error::{Error, ErrorKind, Result};
use crate::graph::{Event, NodeId};
use crate::hash::{hash_str, mix};
use crate::model::{prior_from_rules, EmReport, EmSettings, HouseholdTerm, Model, PatternCounts};
use crate::profiles::view::{Progress, ProgressStage};

/// What training did and found.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TrainingReport {
    /// Random pairs compared to estimate `u`.
    pub random_pairs: u64,
    /// Compared pairs that satisfied a deterministic rule.
    pub deterministic_pairs: u64,
    /// The prior λ training set (`None` when the prior was fixed by the user).
    pub prior: Option<f64>,
    /// λ the deterministic rules imply with the assumed recall (`None` when they
    /// accept no compared pair or give no probability).
    pub prior_from_rules: Option<f64>,
    /// Compared pairs in each EM run, in run order (see `em_run_rules`).
    pub em_run_pairs: Vec<u64>,
    /// The training rule of each EM run, in run order: an index into
    /// [`TrainingConfig::em_blocking`](crate::TrainingConfig::em_blocking). A rule no
    /// compared pair satisfies has no run, so the run numbers of the EM report's
    /// warnings name rules through this list.
    #[cfg_attr(feature = "serde", serde(default))]
    pub em_run_rules: Vec<usize>,
    /// The EM report (iterations, convergence, warnings).
    pub em: EmReport,
    /// The records present give fewer than [`MIN_TRAINING_PAIRS`] possible pairs: too
    /// few to estimate anything, so training kept m, u and λ as they were — for a new
    /// graph the starting values of `Model::new` (agreement favoured, λ =
    /// `model::DEFAULT_PRIOR`) — and turned term-frequency adjustments off. A warning
    /// worth showing: the figures are not learned.
    #[cfg_attr(feature = "serde", serde(default))]
    pub too_few_records: bool,
}

/// Fewest possible record pairs (n(n−1)/2) training estimates parameters from; below
/// it (fewer than 46 records) the model keeps its parameters (see
/// [`TrainingReport::too_few_records`]).
pub const MIN_TRAINING_PAIRS: f64 = 1_000.0;

impl ProfileGraph {
    /// Trains a model on the records present, installs it (re-scoring every pair) and
    /// returns the report and the events the new scores caused.
    pub fn train(&mut self) -> Result<(TrainingReport, Vec<Event>)> {
        let (model, report) = self.fit(&mut |_| {})?;
        Ok((report, self.set_model(model)?))
    }

    /// Trains a model on the records present without installing it (see
    /// [`ProfileGraph::set_model`]); starts from the current model, so values the
    /// user fixed stay fixed.
    pub fn fit(&self, progress: &mut dyn FnMut(Progress)) -> Result<(Model, TrainingReport)> {
        let n = self.len();
        if n < 2 {
            return Err(Error::new(
                ErrorKind::Training,
                "training needs at least two records",
            ));
        }
        let training = &self.config.training;
        let mut model = self.model.clone();
        if self.possible_pairs() < MIN_TRAINING_PAIRS {
            // Value frequencies of a handful of records say nothing either.
            model.set_term_frequencies(|_| false);
            let prior = model.prior();
            return Ok((
                model,
                TrainingReport {
                    random_pairs: 0,
                    deterministic_pairs: 0,
                    prior: None,
                    prior_from_rules: None,
                    em_run_pairs: Vec::new(),
                    em_run_rules: Vec::new(),
                    em: EmReport {
                        runs: Vec::new(),
                        warnings: Vec::new(),
                        prior,
                    },
                    too_few_records: true,
                },
            ));
        }
        // Training decides afresh whether scoring weighs pairs against households,
        // and term frequencies follow the configuration again.
        model.set_household(None)?;
        model.set_name_dependence(None)?;
        let comparisons = self.set.comparisons();
        model.set_term_frequencies(|c| comparisons[c].term_frequency);

        // u: exact levels from frequencies, the rest from random pairs.
        let sample = self.random_patterns(training.random_pairs, training.seed, progress);
        // A comparison whose values are all one value has Σ p² = 1: no exact u can
        // be derived from it, so the random sample estimates that level instead.
        let exact_u: Vec<Option<f64>> = self
            .live_tf
            .exact_u()
            .into_iter()
            .map(|u| u.filter(|&u| u < 1.0))
            .collect();
        model.estimate_u(&sample, &exact_u)?;

        // Patterns of every compared pair, counted once.
        let edges = self.candidate_patterns();

        // λ from the deterministic rules.
        let deterministic_pairs: u64 = edges
            .iter()
            .filter(|&(g, _)| {
                training
                    .deterministic_rules
                    .iter()
                    .any(|r| self.rule_holds(r, g))
            })
            .map(|(_, c)| c)
            .sum();
        let total_pairs = self.possible_pairs();
        // λ: the rules give a starting value (kept when they accept nothing usable);
        // after EM the compared pairs themselves give the estimate (see below).
        let prior_fixed = model.prior_is_fixed();
        let rules_prior =
            prior_from_rules(deterministic_pairs, training.assumed_recall, total_pairs).ok();
        if let (Some(lambda), false) = (rules_prior, prior_fixed) {
            model.set_prior(lambda)?;
        }

        // m by EM, one run per training rule.
        progress(Progress {
            stage: ProgressStage::Train,
            done: 0,
            total: training.em_blocking.len() as u64,
        });
        let (em_run_rules, runs): (Vec<usize>, Vec<(PatternCounts, Vec<usize>)>) = training
            .em_blocking
            .iter()
            .enumerate()
            .map(|(r, rule)| {
                let comps = self.rule_comparisons(rule);
                let kept = edges.iter().filter(|&(g, _)| self.rule_holds(rule, g));
                (r, (PatternCounts::from_weighted(kept), comps))
            })
            .filter(|(_, (p, _))| !p.is_empty())
            .unzip();
        if runs.is_empty() {
            return Err(Error::new(
                ErrorKind::Training,
                "no compared pair satisfies any EM training rule",
            ));
        }
        let em_run_pairs = runs.iter().map(|(p, _)| p.total()).collect();
        let settings = EmSettings {
            max_iterations: training.max_iterations.min(u32::MAX as usize) as u32,
            tolerance: training.tolerance,
            household_shared: self.household_shared(),
            household_alike_on: self.household_alike_on(),
            ..EmSettings::default()
        };
        let em = model.train_em_blocked(&runs, &settings)?;
        let households = household_alike(&em, model.comparison_count()).map(|alike| {
            let person: Vec<bool> = self.household_shared().iter().map(|s| !s).collect();
            (person, alike)
        });
        let prior = if prior_fixed {
            None
        } else {
            match training.prior {
                PriorEstimate::Candidates => {
                    self.estimate_priors(&mut model, households.clone())?
                }
                PriorEstimate::Rules => {
                    if let Some(lambda) = rules_prior {
                        model.set_prior(lambda)?;
                    }
                }
            }
            Some(model.prior())
        };
        // u was measured on pairs that include the matches; with λ known, take them
        // out, and estimate λ again under the corrected u (and the names' dependence).
        model.deduct_matches_from_u(model.prior())?;
        if training.name_dependence {
            // The two samples (by family name, by given name) share the budget of
            // the random sample: as many pairs compared as for u, not twice as many.
            let dependence =
                self.measure_name_dependence(&model, training.random_pairs / 2, training.seed);
            model.set_name_dependence(dependence)?;
        }
        if !prior_fixed && training.prior == PriorEstimate::Candidates {
            self.estimate_priors(&mut model, households)?;
        }
        let prior = prior.map(|_| model.prior());
        progress(Progress {
            stage: ProgressStage::Train,
            done: runs_len(&em),
            total: runs_len(&em),
        });
        Ok((
            model,
            TrainingReport {
                random_pairs: sample.total(),
                deterministic_pairs,
                prior,
                prior_from_rules: rules_prior,
                too_few_records: false,
                em_run_pairs,
                em_run_rules,
                em,
            },
        ))
    }

    /// Sets the prior λ (and, when EM found households, the household term) from the
    /// compared pairs under the model's m and u; keeps the prior when the evidence
    /// shows no match at all. `households`: the household term's person flags and
    /// alike rates (see [`HouseholdTerm`]), `None` without households.
    pub(crate) fn estimate_priors(
        &self,
        model: &mut Model,
        households: Option<(Vec<bool>, Vec<f64>)>,
    ) -> Result<()> {
        let edges = self.candidate_patterns();
        let total = self.possible_pairs();
        model.set_household(None)?;
        if let Some((person, alike)) = households {
            if let Some((matches, household)) =
                model.priors_with_household(&edges, total, &person, &alike)
            {
                model.set_prior(matches)?;
                let ratio = household / matches;
                if ratio > 1e-6 {
                    model.set_household(Some(HouseholdTerm {
                        person,
                        ratio,
                        alike,
                    }))?;
                }
                return Ok(());
            }
        }
        if let Some(lambda) = model.prior_from_candidates(&edges, total) {
            model.set_prior(lambda)?;
        }
        Ok(())
    }

    /// γ patterns of every compared pair, counted once each.
    pub(crate) fn candidate_patterns(&self) -> PatternCounts {
        PatternCounts::from_weighted(self.links.gammas().map(|g| (g, 1)))
    }

    /// The pairs that could be compared: the space the prior λ is a share of. All
    /// pairs of distinct records, or in link-only mode the pairs across sources.
    pub(crate) fn possible_pairs(&self) -> f64 {
        let n = self.len() as f64;
        let all = n * (n - 1.0) / 2.0;
        if self.config.blocking.mode != LinkMode::LinkOnly {
            return all;
        }
        let mut per_source: std::collections::BTreeMap<&str, f64> = Default::default();
        for r in self.records.iter().flatten() {
            *per_source.entry(r.source()).or_default() += 1.0;
        }
        all - per_source
            .values()
            .map(|k| k * (k - 1.0) / 2.0)
            .sum::<f64>()
    }

    /// Per comparison: whether its field is one a household shares — not a person's
    /// own given name, full name or birth date, nor an e-mail (shared only now and
    /// then: see `household_alike_on`), nor a national identifier (a column named
    /// like `ssn`, `soc_sec_id`, `national_id`: one person's, unlike a customer or
    /// loyalty number a household may share).
    pub(super) fn household_shared(&self) -> Vec<bool> {
        self.per_comparison_field(|f| {
            !(is_person_data(f) || f.kind.sometimes_shared_by_household())
        })
    }

    /// Per comparison: whether its field describes one person (given name, full name,
    /// birth date, national identifier): what the clustering's checks and repeated
    /// disagreements read, where e-mails, shared now and then by a household but
    /// often several per person, say nothing of two people.
    pub(super) fn person_data(&self) -> Vec<bool> {
        self.per_comparison_field(is_person_data)
    }

    /// Comparisons a household pair may agree on as one person does (see
    /// `EmSettings::household_alike_on`): birth dates (twins) and e-mails (a family
    /// mailbox), at rates EM learns.
    fn household_alike_on(&self) -> Vec<bool> {
        self.per_comparison_field(|f| f.kind.sometimes_shared_by_household())
    }

    /// `test` of each comparison's field (false where the field is not in the schema).
    fn per_comparison_field(&self, test: impl Fn(&crate::record::FieldDef) -> bool) -> Vec<bool> {
        let schema = self.set.schema();
        self.set
            .comparisons()
            .iter()
            .map(|c| {
                let field = c.field.split('.').next().unwrap_or(&c.field);
                schema.field(field).is_ok_and(|(_, f)| test(f))
            })
            .collect()
    }

    /// Comparisons whose field a rule's keys name.
    fn rule_comparisons(&self, rule: &BlockingRule) -> Vec<usize> {
        rule.comparisons_read(self.set.comparisons())
    }

    /// Whether γ satisfies a rule: every comparison on the rule's fields is exact
    /// ([`BlockingRule::holds`]).
    fn rule_holds(&self, rule: &BlockingRule, g: Gamma) -> bool {
        rule.holds(self.set.comparisons(), g)
    }

    /// The slots of the records present, in an order that depends on their ids only
    /// (not on the order they arrived in), so that samples drawn from it and the
    /// trained model do not either.
    pub(super) fn live_in_id_order(&self) -> Vec<usize> {
        // (id hash, slot): 12 bytes a record to sort, not a cached (hash, id, index)
        // of 32; two ids whose hashes tie are ordered by the ids themselves.
        let key = |slot: u32| self.links.key(NodeId(slot)).unwrap_or("");
        let mut live: Vec<(u64, u32)> = (0..self.prepared.len() as u32)
            .filter(|&i| self.prepared[i as usize].is_some())
            .map(|i| (hash_str(key(i)), i))
            .collect();
        live.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| key(a.1).cmp(key(b.1))));
        live.into_iter().map(|(_, slot)| slot as usize).collect()
    }

    /// γ patterns of `count` random pairs of distinct records (seeded, deterministic
    /// whatever the thread count and the order the records were added in).
    fn random_patterns(
        &self,
        count: usize,
        seed: u64,
        progress: &mut dyn FnMut(Progress),
    ) -> PatternCounts {
        let live = self.live_in_id_order();
        let n = live.len() as u64;
        let possible = n * n.saturating_sub(1) / 2;
        let count = (count as u64).min(possible);
        let pairs: Vec<(usize, usize)> = (0..count)
            .map(|i| {
                let x = mix(seed ^ mix(i.wrapping_mul(2) + 1));
                let a = (x % n) as usize;
                let y = mix(x ^ 0x5DEE_CE66);
                let b = (a as u64 + 1 + y % (n - 1)) % n;
                (live[a], live[b as usize])
            })
            .collect();
        progress(Progress {
            stage: ProgressStage::SampleU,
            done: 0,
            total: count,
        });
        let gammas = map_all(&pairs, |&(a, b)| self.gamma_of(a, b));
        progress(Progress {
            stage: ProgressStage::SampleU,
            done: count,
            total: count,
        });
        PatternCounts::from_weighted(gammas.into_iter().map(|g| (g, 1)))
    }
}

/// Whether field `f` describes one person: a given or full name, a birth date, or a
/// national identifier (a column named like `ssn`, `soc_sec_id`, `national_id`).
fn is_person_data(f: &crate::record::FieldDef) -> bool {
    f.kind.describes_one_person() || crate::config::looks_like_id_name(&f.name)
}

/// The household class's alike rates over all EM runs that had one: per comparison,
/// the mean over the runs that estimated it, each weighted by the household pairs it
/// found (share × candidate pairs) — a run whose household class stayed empty says
/// nothing about households; `None` when no run had the class.
fn household_alike(em: &EmReport, comparisons: usize) -> Option<Vec<f64>> {
    let runs: Vec<(f64, &[f64], &[usize])> = em
        .runs
        .iter()
        .filter_map(|r| {
            let households = r.household_share? * r.candidate_pairs as f64;
            Some((households, &r.household_alike[..], &r.excluded[..]))
        })
        .collect();
    if runs.is_empty() {
        return None;
    }
    let alike = (0..comparisons)
        .map(|c| {
            let (mut sum, mut weight) = (0.0, 0.0);
            for &(households, alike, excluded) in &runs {
                if let (false, Some(&a)) = (excluded.contains(&c), alike.get(c)) {
                    sum += households * a;
                    weight += households;
                }
            }
            if weight > 0.0 {
                sum / weight
            } else {
                0.0
            }
        })
        .collect();
    Some(alike)
}

fn runs_len(em: &EmReport) -> u64 {
    em.runs.len() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::record::{FieldKind, Schema};

    /// A household shares a landline, a family name and a card, and an e-mail only now
    /// and then (learned); person data (given name, birth date, national identifier)
    /// is what the clustering's checks read, e-mails not among it.
    #[test]
    fn person_data_and_national_ids_are_not_shared_by_households() {
        let schema = Schema::from_fields([
            ("given_name", FieldKind::GivenName),
            ("family_name", FieldKind::FamilyName),
            ("phone", FieldKind::Phone),
            ("email", FieldKind::Email),
            ("date_of_birth", FieldKind::DateOfBirth),
            ("soc_sec_id", FieldKind::FreeText),
            ("loyalty_id", FieldKind::StrongId),
        ])
        .unwrap();
        let graph = ProfileGraph::new(Config::infer(schema).unwrap()).unwrap();
        let names: Vec<&str> = graph
            .comparison_set()
            .comparisons()
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        let rows: Vec<(&str, bool, bool, bool)> = names
            .iter()
            .zip(graph.household_shared())
            .zip(graph.household_alike_on())
            .zip(graph.person_data())
            .map(|(((&n, shared), alike), person)| (n, shared, alike, person))
            .collect();
        // (comparison, shared by a household, may be alike in one, person data)
        assert_eq!(
            rows,
            [
                ("given_name", false, false, true),
                ("family_name", true, false, false),
                ("phone", true, false, false),
                ("email", false, true, false),
                ("date_of_birth", false, true, true),
                ("soc_sec_id", false, false, true),
                ("loyalty_id", true, false, false),
            ]
        );
    }
}
