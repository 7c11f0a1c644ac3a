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

use super::ProfileGraph;
use crate::block::BlockingRule;
use crate::compare::Gamma;
use crate::error::{Error, ErrorKind, Result};
use crate::graph::{Event, NodeId};
use crate::hash::{hash_str, mix};
use crate::model::{prior_from_rules, EmReport, EmSettings, Model, PatternCounts};
use crate::profiles::view::{Progress, ProgressStage};

/// What training did and found.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TrainingReport {
    /// Random pairs compared to estimate `u`.
    pub random_pairs: u64,
    /// Compared pairs that satisfied a deterministic rule.
    pub deterministic_pairs: u64,
    /// The prior λ set from the rules (`None` when the prior was fixed by the user).
    pub prior: Option<f64>,
    /// Compared pairs in each EM run, in the order of the training rules.
    pub em_run_pairs: Vec<u64>,
    /// The EM report (iterations, convergence, warnings).
    pub em: EmReport,
}

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
        let edges = PatternCounts::from_weighted(self.links.gammas().map(|g| (g, 1)));

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
        let total_pairs = (n as f64) * (n as f64 - 1.0) / 2.0;
        let prior = if model.prior_is_fixed() {
            None
        } else {
            let lambda = prior_from_rules(
                deterministic_pairs.max(1),
                training.assumed_recall,
                total_pairs,
            )
            .map_err(|e| {
                Error::new(
                    ErrorKind::Training,
                    format!(
                        "cannot estimate the prior: the deterministic rules accept {deterministic_pairs} of {total_pairs} possible pairs ({}); fix the prior instead",
                        e.message()
                    ),
                )
            })?;
            model.set_prior(lambda)?;
            Some(lambda)
        };

        // m by EM, one run per training rule.
        progress(Progress {
            stage: ProgressStage::Train,
            done: 0,
            total: training.em_blocking.len() as u64,
        });
        let runs: Vec<(PatternCounts, Vec<usize>)> = training
            .em_blocking
            .iter()
            .map(|rule| {
                let comps = self.rule_comparisons(rule);
                let kept = edges.iter().filter(|&(g, _)| self.rule_holds(rule, g));
                (PatternCounts::from_weighted(kept), comps)
            })
            .filter(|(p, _)| !p.is_empty())
            .collect();
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
            ..EmSettings::default()
        };
        let em = model.train_em_blocked(&runs, &settings)?;
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
                em_run_pairs,
                em,
            },
        ))
    }

    /// Comparisons that read a field a rule's keys name (a rule on given and family
    /// name maps to the one person-name comparison).
    fn rule_comparisons(&self, rule: &BlockingRule) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .set
            .comparisons()
            .iter()
            .enumerate()
            .filter(|(_, c)| rule.keys.iter().any(|k| c.reads(k.field())))
            .map(|(i, _)| i)
            .collect();
        v.dedup();
        v
    }

    /// Whether γ satisfies a rule: every comparison on the rule's fields is exact.
    fn rule_holds(&self, rule: &BlockingRule, g: Gamma) -> bool {
        let comps = self.rule_comparisons(rule);
        !comps.is_empty()
            && comps.iter().all(|&c| {
                self.set.comparisons()[c]
                    .exact_level()
                    .is_some_and(|e| g.level(c) == e)
            })
    }

    /// γ patterns of `count` random pairs of distinct records (seeded, deterministic
    /// whatever the thread count and the order the records were added in).
    fn random_patterns(
        &self,
        count: usize,
        seed: u64,
        progress: &mut dyn FnMut(Progress),
    ) -> PatternCounts {
        // Records in an order that depends on their ids only (not on the order they
        // arrived in), so the sample and the trained model do not either.
        let mut live: Vec<usize> = (0..self.prepared.len())
            .filter(|&i| self.prepared[i].is_some())
            .collect();
        live.sort_by_cached_key(|&i| {
            let key = self.links.key(NodeId(i as u32)).unwrap_or("");
            (hash_str(key), key)
        });
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
        let gamma = |&(a, b): &(usize, usize)| match (&self.prepared[a], &self.prepared[b]) {
            (Some(pa), Some(pb)) => self.set.gamma(pa, pb),
            _ => Gamma(0),
        };
        #[cfg(feature = "parallel")]
        let gammas: Vec<Gamma> = {
            use rayon::prelude::*;
            pairs.par_iter().map(gamma).collect()
        };
        #[cfg(not(feature = "parallel"))]
        let gammas: Vec<Gamma> = pairs.iter().map(gamma).collect();
        progress(Progress {
            stage: ProgressStage::SampleU,
            done: count,
            total: count,
        });
        PatternCounts::from_weighted(gammas.into_iter().map(|g| (g, 1)))
    }
}

fn runs_len(em: &EmReport) -> u64 {
    em.runs.len() as u64
}
