//! `Config`: everything a resolution run needs, in one serde-friendly value, and the
//! heuristics that infer one from column names and sample values.

use crate::block::{BlockingConfig, BlockingKey, BlockingRule};
use crate::compare::{Comparison, Level, LevelRule, MAX_COMPARISONS};
use crate::error::{Error, ErrorKind, Result};
use crate::graph::{GraphSettings, DEFAULT_THRESHOLD, DEFAULT_VETO};
use crate::model::BandThresholds;
use crate::normalize::{country_calling_code, NormalizeOptions};
use crate::record::{DatePart, DateParts, FieldKind, Schema};

mod tables;
pub use tables::{align_to_schema, infer_schema_of_tables, TableSample};

/// How a model is trained without labels.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct TrainingConfig {
    /// Random record pairs sampled to estimate `u` of the fuzzy levels (exact levels
    /// need none: their `u` comes from value frequencies, so 100,000 is ample). It is
    /// also the budget of [`TrainingConfig::name_dependence`]: half of it for pairs
    /// sharing a family name, half for pairs sharing a given name (every such pair
    /// once where there are no more); below 2 nothing is measured.
    pub random_pairs: usize,
    /// Seed of the random sample.
    pub seed: u64,
    /// Pairs agreeing on any of these rules are taken as (almost certain) matches to
    /// estimate the prior λ.
    pub deterministic_rules: Vec<BlockingRule>,
    /// Share of all true matches the deterministic rules are assumed to find.
    pub assumed_recall: f64,
    /// Where the prior λ comes from (default: the compared pairs).
    pub prior: PriorEstimate,
    /// One EM run per rule: pairs blocked by the rule train every comparison whose
    /// field the rule does not use, so that no comparison is trained on pairs chosen
    /// for agreeing on it.
    pub em_blocking: Vec<BlockingRule>,
    /// EM iteration cap.
    pub max_iterations: usize,
    /// EM stops when no parameter moves more than this.
    pub tolerance: f64,
    /// Measure how given and family names go together among strangers and score
    /// with it (see [`NameDependence`](crate::NameDependence)): on by default.
    /// Names come from one language, so strangers who share a family name share the
    /// given name several times more often than strangers at large; scored as
    /// independent, "same name, little else" is overrated, the more so the larger
    /// the data. On generated mixed-language customers it calibrates the middle bins
    /// (1M ECE 0.0018 → 0.0010; a namesake-heavy 20k set 0.0385 → 0.0065, no bin off)
    /// and trades recall for precision where namesakes abound (that set: precision
    /// 0.920 → 0.959, recall 0.909 → 0.875, F1 the same); elsewhere F1 moves by at
    /// most −0.0011 (RLdata10000 0.9530 → 0.9519). See the README.
    pub name_dependence: bool,
}

/// Where training takes the prior λ (the probability that two random records are the
/// same person) from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum PriorEstimate {
    /// The expected number of matches among the compared pairs under the trained m
    /// and u, divided by all possible pairs: the fixed point of the prior update of
    /// EM over the whole pair space (see `Model::prior_from_candidates`). Needs no
    /// guess of a rule's recall and does not collapse when the deterministic rules
    /// find few pairs. Low by the share of matches blocking misses. The default.
    #[default]
    Candidates,
    /// Pairs accepted by the deterministic rules divided by their assumed recall
    /// (Splink's `estimate_probability_two_random_records_match`). When the rules
    /// accept no pair, the model's prior is kept.
    Rules,
}

impl Default for TrainingConfig {
    fn default() -> Self {
        TrainingConfig {
            random_pairs: 100_000,
            seed: 42,
            deterministic_rules: Vec::new(),
            assumed_recall: 0.7,
            prior: PriorEstimate::default(),
            em_blocking: Vec::new(),
            max_iterations: 50,
            tolerance: 1e-5,
            name_dependence: true,
        }
    }
}

/// Everything a resolution run needs: schema, normalization, comparisons, blocking,
/// training and clustering settings. Serializes to the JSON users edit.
///
/// Deserializing refuses unknown keys at every level (a misspelt `"thresold"` or
/// `blocking.windw` is an error naming the key and its section, not a silently
/// ignored setting); [`Config::validate`] checks ranges against the documented
/// limits ([`MAX_WINDOW`], [`MAX_BLOCK_SIZE`], [`MAX_RANDOM_PAIRS`],
/// [`MAX_ITERATIONS`]) and that `normalize.default_country` is a known country.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Config {
    /// The fields of the data.
    pub schema: Schema,
    /// Normalization options (default country, date order, email policy, nicknames).
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "section::normalize")
    )]
    pub normalize: NormalizeOptions,
    /// Comparisons, in γ order.
    pub comparisons: Vec<Comparison>,
    /// Blocking rules and guards.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "section::blocking"))]
    pub blocking: BlockingConfig,
    /// Training without labels.
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "section::training")
    )]
    pub training: TrainingConfig,
    /// Probability at or above which a compared pair links two records.
    /// Default [`DEFAULT_THRESHOLD`].
    #[cfg_attr(feature = "serde", serde(default = "default_threshold"))]
    pub threshold: f64,
    /// Probability below which a compared pair vetoes putting its records together.
    /// Default [`DEFAULT_VETO`].
    #[cfg_attr(feature = "serde", serde(default = "default_veto"))]
    pub veto: f64,
    /// A pair with at least this many comparisons at veto levels (by default: the
    /// name at "same family, other given" or "else", and the date of birth at "else":
    /// present and more than a swap, a digit or one part apart) and none at an identifying
    /// level (the same customer number or national id) is taken to be two people,
    /// whatever else agrees: its probability is capped below `veto`. Members of a
    /// household share address, landline, postcode and family name, which
    /// Fellegi–Sunter adds up as independent evidence; only attributes of the person
    /// tell them apart. 0 disables; at most [`MAX_COMPARISONS`] (more could never be
    /// reached, and is refused as a mistake).
    #[cfg_attr(feature = "serde", serde(default = "default_veto_quorum"))]
    pub veto_quorum: usize,
    /// Lower bounds of the named confidence bands (certain / likely / possible) that
    /// pairs and memberships are reported in. Default 0.99 / 0.9 / 0.5.
    #[cfg_attr(feature = "serde", serde(default))]
    pub bands: BandThresholds,
}

pub use crate::block::{MAX_BLOCK_SIZE, MAX_WINDOW};
/// Largest `training.random_pairs` accepted (a million is plenty; see the design).
pub const MAX_RANDOM_PAIRS: usize = 100_000_000;
/// Largest `training.max_iterations` accepted.
pub const MAX_ITERATIONS: usize = 100_000;

/// Deserializers of the config's sections that name the section in their errors
/// (`blocking: unknown field `windw` …`).
#[cfg(feature = "serde")]
mod section {
    use serde::de::{Deserialize, Deserializer, Error};

    fn named<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
        name: &str,
    ) -> Result<T, D::Error> {
        T::deserialize(d).map_err(|e| {
            // Formats such as JSON append the position; the outer error adds it again.
            let text = e.to_string();
            let text = text.split(" at line ").next().unwrap_or(&text);
            D::Error::custom(format!("{name}: {text}"))
        })
    }

    pub(super) fn normalize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<crate::normalize::NormalizeOptions, D::Error> {
        named(d, "normalize")
    }

    pub(super) fn blocking<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<crate::block::BlockingConfig, D::Error> {
        named(d, "blocking")
    }

    pub(super) fn training<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<super::TrainingConfig, D::Error> {
        named(d, "training")
    }
}

fn default_veto_quorum() -> usize {
    2
}

fn default_threshold() -> f64 {
    DEFAULT_THRESHOLD
}

fn default_veto() -> f64 {
    DEFAULT_VETO
}

fn key(kind: fn(String) -> BlockingKey, field: &str) -> BlockingKey {
    kind(field.to_string())
}

fn exact(field: &str) -> BlockingKey {
    key(|field| BlockingKey::Exact { field }, field)
}

fn without_initials(field: &str) -> BlockingKey {
    key(|field| BlockingKey::WithoutInitials { field }, field)
}

fn first_whole_word(field: &str) -> BlockingKey {
    key(|field| BlockingKey::FirstWholeWord { field }, field)
}

fn phonetic(field: &str) -> BlockingKey {
    key(|field| BlockingKey::Phonetic { field }, field)
}

fn prefix(field: &str, chars: u8) -> BlockingKey {
    BlockingKey::Prefix {
        field: field.to_string(),
        chars,
    }
}

impl Config {
    /// A configuration for `schema` with the default comparison per field kind,
    /// blocking and training rules chosen from the kinds present.
    pub fn infer(schema: Schema) -> Result<Config> {
        let comparisons = Comparison::defaults_for(&schema);
        if comparisons.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                "the schema has no field worth comparing",
            ));
        }
        let first = |kind: FieldKind| {
            schema
                .fields()
                .iter()
                .find(|f| f.kind == kind)
                .map(|f| f.name.clone())
        };
        let given = first(FieldKind::GivenName);
        let family = first(FieldKind::FamilyName);
        let full = first(FieldKind::FullName);
        let dob = first(FieldKind::DateOfBirth);
        let email = first(FieldKind::Email);
        let phone = first(FieldKind::Phone);
        let postcode = first(FieldKind::Postcode);
        let city = first(FieldKind::City);
        let address = first(FieldKind::StreetAddress);
        let ids: Vec<String> = schema
            .fields()
            .iter()
            .filter(|f| {
                f.kind == FieldKind::StrongId
                    || (f.kind == FieldKind::FreeText && looks_like_id_name(&f.name))
            })
            .map(|f| f.name.clone())
            .collect();

        let mut any_order: Vec<Vec<BlockingKey>> = Vec::new();
        let mut rules: Vec<Vec<BlockingKey>> = Vec::new();
        let mut deterministic: Vec<Vec<BlockingKey>> = Vec::new();
        let mut em: Vec<Vec<BlockingKey>> = Vec::new();
        let (given, family) = match (&given, &family, &full) {
            (None, None, Some(full)) => (
                Some(format!("{full}.given")),
                Some(format!("{full}.family")),
            ),
            _ => (given, family),
        };
        if let (Some(g), Some(f)) = (&given, &family) {
            // Whole names (initials left out; of the given names, the first) and by
            // sound: tight enough for millions of records; typos in both names are left
            // to the rules on dates, contacts and places. A second given name written
            // out, abbreviated or left out keeps the key (`Brett Philip` / `Brett P.` /
            // `Brett`). In any order: names typed into each other's field meet too.
            let whole_names = [
                vec![without_initials(f), first_whole_word(g)],
                vec![phonetic(f), phonetic(g)],
            ];
            rules.extend(whole_names.iter().cloned());
            any_order.extend(whole_names);
            if let Some(d) = &dob {
                deterministic.push(vec![exact(g), exact(f), exact(d)]);
            }
        }
        if let Some(d) = &dob {
            for n in given.iter().chain(&family) {
                rules.push(vec![exact(d), prefix(n, 1)]);
            }
            if given.is_none() && family.is_none() {
                rules.push(vec![exact(d)]);
            }
            em.push(vec![exact(d)]);
        }
        if let Some(e) = &email {
            rules.push(vec![BlockingKey::EmailLocalPart { field: e.clone() }]);
            deterministic.push(vec![exact(e)]);
            em.push(vec![exact(e)]);
        }
        if let Some(p) = &phone {
            rules.push(vec![BlockingKey::LastDigits {
                field: p.clone(),
                digits: 7,
            }]);
            em.push(vec![exact(p)]);
        }
        if let Some(pc) = &postcode {
            for n in given.iter().chain(&family) {
                rules.push(vec![exact(pc), prefix(n, 2)]);
            }
            if let Some(a) = &address {
                rules.push(vec![
                    exact(pc),
                    BlockingKey::FirstToken { field: a.clone() },
                ]);
            }
        }
        for id in &ids {
            rules.push(vec![exact(id)]);
            deterministic.push(vec![exact(id)]);
            em.push(vec![exact(id)]);
        }
        // Pairs chosen for sharing a name are mostly strangers when names are common,
        // and strangers who share a name share a place too: train on names only when
        // fewer than two sharper keys exist.
        if em.len() < 2 {
            if let (Some(g), Some(f)) = (&given, &family) {
                // With no sharper key at all, a run blocked on the names would be the
                // only one, and it learns every comparison but the names, which would
                // keep their starting m: a run blocked on the place (postcode, else
                // city) learns them. (With one sharper key, that key's run does.)
                let place = em
                    .is_empty()
                    .then(|| postcode.clone().or_else(|| city.clone()))
                    .flatten();
                em.push(vec![exact(f), exact(g)]);
                if let Some(place) = place {
                    em.push(vec![exact(&place)]);
                }
            }
        }
        if rules.is_empty() {
            // Last resort: the first compared field, exactly.
            rules.push(vec![exact(&comparisons[0].field)]);
        }
        if em.is_empty() {
            em.push(rules[0].clone());
        }
        if deterministic.is_empty() {
            deterministic.push(rules[0].clone());
        }
        let to_rules =
            |v: Vec<Vec<BlockingKey>>| v.into_iter().map(BlockingRule::new).collect::<Vec<_>>();
        let mut blocking_rules = to_rules(rules);
        for rule in &mut blocking_rules {
            rule.any_order = any_order.contains(&rule.keys);
        }
        // Inside a block too large for all pairs (a common name, a busy birth date),
        // records with the same birth date or postcode are the ones to pair. Not the
        // city: many people share one, so ordering by it puts a common name's
        // namesakes of one city side by side and cuts a person who moved into runs
        // that meet only at their ends. Without either, a block is ordered by the
        // rules' own fields (a name as written, initials and all), then the id hash
        // (on 133k inventor mentions, pairwise F1 0.885 ordered by city, 0.898 so).
        let neighbourhood_fields = [dob, postcode].into_iter().flatten().collect();
        Ok(Config {
            schema,
            normalize: NormalizeOptions::default(),
            comparisons: comparisons.into_iter().map(tune_id_comparison).collect(),
            blocking: BlockingConfig {
                neighbourhood_fields,
                ..BlockingConfig::new(blocking_rules)
            },
            training: TrainingConfig {
                deterministic_rules: to_rules(deterministic),
                em_blocking: to_rules(em),
                ..TrainingConfig::default()
            },
            threshold: default_threshold(),
            veto: default_veto(),
            veto_quorum: default_veto_quorum(),
            bands: BandThresholds::default(),
        })
    }

    /// Sets the link threshold `p` (a probability in `[0, 1]`) and lowers the veto to
    /// it when the veto was above: a pair can never both link and veto. This is the
    /// one threshold policy of the library ([`GraphSettings::with_threshold`]); the
    /// `resolve` example's `--threshold` and the Python bindings' `threshold=` use it.
    ///
    /// ```
    /// use sameas::{Config, FieldKind, Schema};
    /// let schema = Schema::from_fields([("email", FieldKind::Email)])?;
    /// let mut config = Config::infer(schema)?;
    /// config.set_threshold(0.001)?;
    /// assert_eq!((config.threshold, config.veto), (0.001, 0.001));
    /// assert!(config.set_threshold(1.5).is_err());
    /// # Ok::<(), sameas::Error>(())
    /// ```
    pub fn set_threshold(&mut self, p: f64) -> Result<()> {
        let settings = self.graph_settings().with_threshold(p)?;
        self.threshold = settings.threshold;
        self.veto = settings.veto;
        Ok(())
    }

    /// The clustering rule's settings ([`GraphSettings`]) of this configuration: its
    /// `threshold` and `veto`.
    pub fn graph_settings(&self) -> GraphSettings {
        GraphSettings {
            threshold: self.threshold,
            veto: self.veto,
        }
    }

    /// Checks every part: comparisons (at most 16, valid levels, known fields),
    /// blocking, probabilities in range, sizes within the documented limits
    /// ([`MAX_WINDOW`], [`MAX_BLOCK_SIZE`], [`MAX_RANDOM_PAIRS`], [`MAX_ITERATIONS`],
    /// `veto_quorum` at most [`MAX_COMPARISONS`]), comparison names used once, a known
    /// `normalize.default_country`. Errors name the key (`blocking.window`).
    pub fn validate(&self) -> Result<()> {
        if self.comparisons.is_empty() || self.comparisons.len() > MAX_COMPARISONS {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                format!(
                    "need 1 to {MAX_COMPARISONS} comparisons, got {}",
                    self.comparisons.len()
                ),
            ));
        }
        for (i, c) in self.comparisons.iter().enumerate() {
            c.validate()?;
            if let Some(j) = self.comparisons[..i].iter().position(|d| d.name == c.name) {
                return Err(Error::new(
                    ErrorKind::InvalidConfig,
                    format!(
                        "comparisons: the name {:?} is used twice (comparisons {} and {}); \
                         explanations, pair columns and models name comparisons by it",
                        c.name,
                        j + 1,
                        i + 1
                    ),
                ));
            }
        }
        self.blocking.validate()?;
        let limit = |key: &str, value: usize, min: usize, max: usize| {
            if (min..=max).contains(&value) {
                Ok(())
            } else {
                Err(Error::new(
                    ErrorKind::InvalidConfig,
                    format!("{key} must be in {min}..={max}, got {value}"),
                ))
            }
        };
        limit(
            "training.random_pairs",
            self.training.random_pairs,
            0,
            MAX_RANDOM_PAIRS,
        )?;
        limit(
            "training.max_iterations",
            self.training.max_iterations,
            0,
            MAX_ITERATIONS,
        )?;
        limit("veto_quorum", self.veto_quorum, 0, MAX_COMPARISONS)?;
        if let Some(code) = &self.normalize.default_country {
            if !code.trim().is_empty() && country_calling_code(code).is_none() {
                return Err(Error::new(
                    ErrorKind::InvalidConfig,
                    format!(
                        "normalize.default_country: unknown country {code:?} (an ISO 3166 alpha-2 code of the phone table, e.g. \"RO\")"
                    ),
                ));
            }
        }
        let unit = |name: &str, p: f64| {
            if p.is_finite() && (0.0..=1.0).contains(&p) {
                Ok(())
            } else {
                Err(Error::new(
                    ErrorKind::InvalidConfig,
                    format!("{name} must be a probability in [0, 1], got {p}"),
                ))
            }
        };
        unit("threshold", self.threshold)?;
        unit("veto", self.veto)?;
        self.bands.validate()?;
        unit("training.assumed_recall", self.training.assumed_recall)?;
        if self.training.assumed_recall == 0.0 {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                "training.assumed_recall must be above 0",
            ));
        }
        if !(self.training.tolerance.is_finite() && self.training.tolerance > 0.0) {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                "training.tolerance must be finite and above 0",
            ));
        }
        Ok(())
    }
}

/// Identifier-like free-text columns (national ids, account numbers) are compared
/// exactly or with one typo.
fn tune_id_comparison(c: Comparison) -> Comparison {
    if looks_like_id_name(&c.field) && c.levels.len() <= 3 {
        return Comparison {
            levels: vec![
                Level::new("exact", LevelRule::Exact).identifying(),
                Level::new("one edit", LevelRule::Damerau { max: 1 }).identifying(),
                Level::new("else", LevelRule::Else),
            ],
            ..c
        };
    }
    c
}

/// Whether a column name names a national or personal identifier (social security,
/// national insurance, passport, tax, JMBG, CNP, NIK numbers …). Whole tokens only:
/// the name is split at non-alphanumerics and lower→upper case changes, so
/// `soc_sec_id`, `NationalId` and `ssn` match, `social_media` and `cabinet` do not.
pub(crate) fn looks_like_id_name(name: &str) -> bool {
    let tokens = name_tokens(name);
    let has = |t: &str| tokens.iter().any(|x| x == t);
    let phrase = |a: &str, b: &str| tokens.windows(2).any(|w| w[0] == a && w[1] == b);
    ["ssn", "nin", "nik", "jmbg", "cnp", "passport", "tin"]
        .iter()
        .any(|t| has(t))
        || phrase("soc", "sec")
        || phrase("social", "security")
        || phrase("social", "sec")
        || phrase("national", "id")
        || phrase("national", "insurance")
        || phrase("tax", "id")
        || phrase("tax", "number")
}

/// Lowercase tokens of a column name, split at non-alphanumerics and where a
/// lowercase letter or digit is followed by an uppercase letter.
fn name_tokens(name: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                tokens.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !current.is_empty() {
            tokens.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_lowercase() || c.is_numeric();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}

/// Guesses the kind of a column from its name, then from sample values.
///
/// Names are matched case-insensitively on common words (`first_name`, `surname`,
/// `email`, `dob`, `postcode`, `suburb`, `loyalty_id` …); when the name says
/// nothing, values that look like emails, phone numbers or dates decide. Returns
/// `None` for columns that should not be used (record ids, sources, truth labels).
pub fn infer_field_kind(column: &str, samples: &[&str]) -> Option<FieldKind> {
    let n = column.to_ascii_lowercase().replace(['-', ' '], "_");
    let has = |words: &[&str]| words.iter().any(|w| n == *w || n.contains(w));
    let is = |words: &[&str]| words.iter().any(|w| n == *w);
    if is(&[
        "id",
        "rec_id",
        "record_id",
        "unique_id",
        "source",
        "source_system",
        "entity_id",
        "cluster",
        "truth",
        "observed_at",
    ]) {
        return None;
    }
    let words = name_tokens(column);
    let birth = has(&["birth", "dob", "born"]);
    if !birth && ends_in_time(&words) {
        return None;
    }
    if birth_date_part(column).is_some() {
        // One part of a date is no date ([`infer_schema`] joins the three parts),
        // unless its values are whole dates (`birth_day` as "birthday").
        let whole = infer_from_values(samples) == FieldKind::DateOfBirth;
        return Some(if whole {
            FieldKind::DateOfBirth
        } else {
            FieldKind::FreeText
        });
    }
    // Word by word as well, so that `name_first`, `inventor_name_last` or `NameFirst`
    // are name parts, not whole names.
    let word = |wanted: &[&str]| words.iter().any(|w| wanted.contains(&w.as_str()));
    let name_part = |part: &[&str]| word(&["name", "names"]) && word(part);
    let given = has(&["given", "first_name", "firstname", "forename", "fname"])
        || is(&["first"])
        || name_part(&["first", "fore"]);
    let family = has(&["surname", "last_name", "lastname", "family", "lname"])
        || is(&["last"])
        || name_part(&["last", "sur"]);
    // Every word a name word: `first_and_surname`, `first_last_name` hold both parts.
    let only_name_words = words.iter().all(|w| {
        let name_words = ["first", "and", "last", "name", "names", "surname", "given"];
        name_words.contains(&w.as_str()) || w.ends_with("name")
    });
    let kind = if (given || word(&["first"])) && family && only_name_words {
        FieldKind::FullName
    } else if (word(&["birth", "born"]) && word(&["place", "city", "town"]))
        || has(&["birthplace", "placeofbirth", "birthcity"])
    {
        // Where someone was born is a place, not a date.
        FieldKind::City
    } else if (word(&["birth", "born"]) && word(&["country", "nation"]))
        || has(&["birthcountry", "countryofbirth"])
    {
        FieldKind::Country
    } else if given {
        FieldKind::GivenName
    } else if family {
        FieldKind::FamilyName
    } else if has(&["email", "e_mail"]) || is(&["mail"]) {
        FieldKind::Email
    } else if has(&[
        "phone", "mobile", "landline", "telefon", "msisdn", "whatsapp",
    ]) || word(&["tel", "cell", "fax", "hp"])
    {
        FieldKind::Phone
    } else if has(&["birth", "dob"]) {
        FieldKind::DateOfBirth
    } else if has(&["postcode", "post_code", "zip", "postal"]) {
        FieldKind::Postcode
    } else if has(&["city", "town", "suburb", "locality", "municip"]) {
        FieldKind::City
    } else if has(&["country"]) {
        FieldKind::Country
    } else if has(&["address", "street", "addr"]) && !has(&["number", "email"]) {
        FieldKind::StreetAddress
    } else if has(&[
        "loyalty",
        "customer_no",
        "customer_number",
        "member",
        "card_no",
        "account_no",
    ]) {
        FieldKind::StrongId
    } else if has(&["device", "cookie"]) {
        FieldKind::DeviceId
    } else if has(&[
        "state", "province", "region", "gender", "sex", "segment", "title",
    ]) {
        FieldKind::Category
    } else if let Some(kind) = local_kind(column) {
        kind
    } else if has(&["name"]) {
        FieldKind::FullName
    } else if !birth && (times_an_event(&words) || are_times(samples)) {
        // A column the name gives no kind of that times an event, or whose dates have
        // a time of day past midnight (`2016-01-07T15:11:54Z`, which a birth date does
        // not have), says when, not who. (Named as a kind it stays one: `signup_email`
        // is an e-mail.)
        return None;
    } else {
        return Some(infer_from_values(samples));
    };
    Some(kind)
}

/// Column names in the languages customer systems are often kept in (Indonesian,
/// Romanian, Serbian and Croatian, German, Spanish, French, Dutch), as folded words
/// (`Datum rođenja` reads `datum rodjenja`): each entry holds when all its words are
/// words of the name; the first that holds wins, so word pairs come before their
/// single words.
const LOCAL_NAMES: &[(&[&str], FieldKind)] = &[
    (&["ime", "prezime"], FieldKind::FullName),
    (&["nama", "lengkap"], FieldKind::FullName),
    (&["nama", "depan"], FieldKind::GivenName),
    (&["nama", "belakang"], FieldKind::FamilyName),
    (&["nama", "keluarga"], FieldKind::FamilyName),
    (&["tanggal", "lahir"], FieldKind::DateOfBirth),
    (&["tgl", "lahir"], FieldKind::DateOfBirth),
    (&["data", "nasterii"], FieldKind::DateOfBirth),
    (&["datum", "rodjenja"], FieldKind::DateOfBirth),
    (&["datum", "rodenja"], FieldKind::DateOfBirth),
    (&["fecha", "nacimiento"], FieldKind::DateOfBirth),
    (&["date", "naissance"], FieldKind::DateOfBirth),
    (&["kode", "pos"], FieldKind::Postcode),
    (&["cod", "postal"], FieldKind::Postcode),
    (&["postanski", "broj"], FieldKind::Postcode),
    (&["codigo", "postal"], FieldKind::Postcode),
    (&["code", "postal"], FieldKind::Postcode),
    (&["nama"], FieldKind::FullName),
    (&["prenume"], FieldKind::GivenName),
    (&["ime"], FieldKind::GivenName),
    (&["vorname"], FieldKind::GivenName),
    (&["nombre"], FieldKind::GivenName),
    (&["prenom"], FieldKind::GivenName),
    (&["voornaam"], FieldKind::GivenName),
    (&["nume"], FieldKind::FamilyName),
    (&["prezime"], FieldKind::FamilyName),
    (&["nachname"], FieldKind::FamilyName),
    (&["familienname"], FieldKind::FamilyName),
    (&["apellido"], FieldKind::FamilyName),
    (&["apellidos"], FieldKind::FamilyName),
    (&["achternaam"], FieldKind::FamilyName),
    (&["geburtsdatum"], FieldKind::DateOfBirth),
    (&["geboortedatum"], FieldKind::DateOfBirth),
    (&["telepon"], FieldKind::Phone),
    (&["telefono"], FieldKind::Phone),
    (&["handy"], FieldKind::Phone),
    (&["alamat"], FieldKind::StreetAddress),
    (&["adresa"], FieldKind::StreetAddress),
    (&["adres"], FieldKind::StreetAddress),
    (&["adresse"], FieldKind::StreetAddress),
    (&["strada"], FieldKind::StreetAddress),
    (&["ulica"], FieldKind::StreetAddress),
    (&["strasse"], FieldKind::StreetAddress),
    (&["direccion"], FieldKind::StreetAddress),
    (&["kota"], FieldKind::City),
    (&["oras"], FieldKind::City),
    (&["localitate"], FieldKind::City),
    (&["grad"], FieldKind::City),
    (&["mesto"], FieldKind::City),
    (&["ort"], FieldKind::City),
    (&["wohnort"], FieldKind::City),
    (&["stadt"], FieldKind::City),
    (&["ciudad"], FieldKind::City),
    (&["ville"], FieldKind::City),
    (&["woonplaats"], FieldKind::City),
    (&["kodepos"], FieldKind::Postcode),
    (&["plz"], FieldKind::Postcode),
    (&["postleitzahl"], FieldKind::Postcode),
    (&["surel"], FieldKind::Email),
    (&["tara"], FieldKind::Country),
    (&["negara"], FieldKind::Country),
    (&["drzava"], FieldKind::Country),
    (&["pais"], FieldKind::Country),
    (&["pays"], FieldKind::Country),
];

/// The kind a column name in another language says ([`LOCAL_NAMES`]).
fn local_kind(column: &str) -> Option<FieldKind> {
    let words: Vec<String> = name_tokens(column)
        .iter()
        .flat_map(|t| {
            let folded = crate::normalize::normalize_text(t);
            folded.split(' ').map(String::from).collect::<Vec<_>>()
        })
        .collect();
    LOCAL_NAMES
        .iter()
        .find(|(wanted, _)| wanted.iter().all(|w| words.iter().any(|x| x == w)))
        .map(|&(_, kind)| kind)
}

/// Whether a column named by `words` times something the record did or had done to
/// it (`created_at`, `UpdatedAt`, `registration_date`, `last_login`, `order_date`,
/// `timestamp`): such dates say when, not who, and read as a birth date they would
/// join strangers who signed up the same day.
#[rustfmt::skip]
fn times_an_event(words: &[String]) -> bool {
    const EVENTS: [&str; 23] = [
        "created", "updated", "modified", "changed", "deleted", "inserted", "imported",
        "loaded", "ingested", "registered", "signup", "joined", "seen", "visited",
        "ordered", "purchased", "timestamp", "expiry", "expires", "subscribed",
        // Romanian: of registration, of enrolment, of creation.
        "inregistrarii", "inscrierii", "crearii",
    ];
    // Words that name an event only beside a word of time (`order_date`,
    // `registration_date`, `last_login`; not `sort_order`, `registration_number`,
    // `user_login`).
    const WITH_TIME: [&str; 28] = [
        "order", "purchase", "transaction", "txn", "invoice", "visit", "start", "end",
        "valid", "registration", "login", "join", "update", "create", "creation",
        "expiration", "activation", "enrollment", "enrolment", "added", "opened",
        "activity", "contact", "load", "subscription",
        // Indonesian, Serbian: registration.
        "daftar", "registrasi", "registracije",
    ];
    const TIME: [&str; 14] = [
        "date", "time", "at", "on", "day", "ts", "from", "to", "until", "last", "first",
        "datum", "tgl", "tanggal",
    ];
    let folded: Vec<String> = words
        .iter()
        .map(|w| crate::normalize::normalize_text(w))
        .collect();
    let any = |set: &[&str]| folded.iter().any(|w| set.contains(&w.as_str()));
    ends_in_time(words) || any(&EVENTS) || (any(&WITH_TIME) && any(&TIME))
}

/// Whether a column name ends in a word that makes it a time whatever it names before
/// (`email_verified_at`, `member_since`, `loyalty_expiry`): the kind word is then only
/// what the event concerns.
fn ends_in_time(words: &[String]) -> bool {
    words.last().is_some_and(|w| {
        ["at", "since", "until", "expiry", "expires", "timestamp"].contains(&w.as_str())
    })
}

/// Whether most filled samples are dates with a time of day, and not all at midnight
/// (a date exported as a date-time, `1985-03-07 00:00:00`, is still a date).
fn are_times(samples: &[&str]) -> bool {
    let filled = filled_samples(samples);
    let timed: Vec<&str> = filled
        .iter()
        .copied()
        .filter(|s| s.contains(':') && crate::normalize::parse_date(s, true).is_ok())
        .collect();
    let past_midnight = timed.iter().filter(|s| !at_midnight(s)).count();
    !filled.is_empty() && timed.len() * 10 >= filled.len() * 8 && past_midnight * 5 >= timed.len()
}

/// Whether the time of day of a date-time (`… 00:00:00`, `…T00:00:00.000Z`,
/// `…T00:00+02:00`) is midnight: every digit of its time, before any zone, a zero.
fn at_midnight(value: &str) -> bool {
    let time = value.rsplit(['T', ' ']).next().unwrap_or(value);
    let time = time.split(['+', 'Z', '-']).next().unwrap_or(time);
    time.chars().filter(char::is_ascii_digit).all(|c| c == '0')
}

/// The samples that hold a value, trimmed.
fn filled_samples<'a>(samples: &[&'a str]) -> Vec<&'a str> {
    samples
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect()
}

fn infer_from_values(samples: &[&str]) -> FieldKind {
    let filled = filled_samples(samples);
    if filled.is_empty() {
        return FieldKind::FreeText;
    }
    let share =
        |f: &dyn Fn(&str) -> bool| filled.iter().filter(|s| f(s)).count() * 10 >= filled.len() * 8;
    if share(&|s| s.contains('@') && s.contains('.')) {
        FieldKind::Email
    } else if share(&|s| crate::normalize::parse_date(s, true).is_ok()) {
        FieldKind::DateOfBirth
    } else if share(&|s| s.starts_with('+') && s.chars().filter(char::is_ascii_digit).count() >= 8)
    {
        FieldKind::Phone
    } else {
        FieldKind::FreeText
    }
}

/// A schema from column names and sample rows, leaving out columns that
/// [`infer_field_kind`] rejects (ids, sources, truth). A birth date given in three
/// columns (`by`, `bm`, `bd`; `birth_year`, `birth_month`, `birth_day` …) becomes one
/// date field read from its parts, named after them (`by+bm+bd`), where the year
/// column stood; see [`Schema::with_date_parts`]. Several tables with their own column
/// names: [`infer_schema_of_tables`].
///
/// ```
/// use sameas::config::infer_schema;
/// use sameas::record::Column;
/// let schema = infer_schema(&["name", "by", "bm", "bd"], &[])?;
/// assert_eq!(schema.fields()[1].name, "by+bm+bd");
/// assert!(matches!(schema.column("bd"), Some(Column::DatePart(1, _))));
/// # Ok::<(), sameas::Error>(())
/// ```
pub fn infer_schema(columns: &[&str], rows: &[Vec<&str>]) -> Result<Schema> {
    infer_schema_of_tables(&[TableSample { columns, rows }]).map(|(schema, _)| schema)
}

/// The year, month and day columns of a birth date given in parts: exactly one
/// column named as each part, and no column named as a whole birth date.
pub(crate) fn date_parts_of(columns: &[&str]) -> Option<DateParts> {
    let whole_date = columns
        .iter()
        .any(|c| infer_field_kind(c, &[]) == Some(FieldKind::DateOfBirth));
    let only = |part: DatePart| {
        let mut named = columns.iter().filter(|c| birth_date_part(c) == Some(part));
        match (named.next(), named.next()) {
            (Some(c), None) => Some(c.to_string()),
            _ => None,
        }
    };
    if whole_date {
        return None;
    }
    Some(DateParts {
        year: only(DatePart::Year)?,
        month: only(DatePart::Month)?,
        day: only(DatePart::Day)?,
    })
}

/// Which part of a birth date a column's name says it holds: the register
/// abbreviations `by` / `bm` / `bd`, `yob` / `mob`, or a birth word (`birth`, `dob`,
/// `born`) with a part word (`year`, `month`, `day` …), as in `birth_year`,
/// `DobMonth` or `day_of_birth`. `birthday` is a whole date.
fn birth_date_part(column: &str) -> Option<DatePart> {
    match column.to_ascii_lowercase().as_str() {
        "by" | "yob" | "byear" | "birthyear" => return Some(DatePart::Year),
        "bm" | "mob" | "bmonth" | "birthmonth" => return Some(DatePart::Month),
        "bd" => return Some(DatePart::Day),
        _ => {}
    }
    let words = name_tokens(column);
    let word = |wanted: &[&str]| words.iter().any(|w| wanted.contains(&w.as_str()));
    if !word(&["birth", "dob", "born"]) {
        return None;
    }
    if word(&["year", "yr", "yyyy"]) {
        Some(DatePart::Year)
    } else if word(&["month", "mon", "mm"]) {
        Some(DatePart::Month)
    } else if word(&["day", "dd"]) {
        Some(DatePart::Day)
    } else {
        None
    }
}

/// Which columns of a table are not data: the record id, the source system and the
/// true entity (used only to score a result). See [`ColumnRoles::detect`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnRoles {
    /// The record id column.
    pub id: usize,
    /// The source system column, when there is one.
    pub source: Option<usize>,
    /// The truth column, when one was named.
    pub truth: Option<usize>,
}

impl ColumnRoles {
    /// Column names taken as the record id when none is named.
    pub const ID_NAMES: [&'static str; 4] = ["id", "record_id", "rec_id", "unique_id"];
    /// Column names taken as the source system when none is named, in this order of
    /// preference (compared as words: `SourceSystem` and `Source System` are
    /// `source_system`).
    pub const SOURCE_NAMES: [&'static str; 5] = [
        "source",
        "source_system",
        "source_name",
        "data_source",
        "src",
    ];

    /// Finds the roles in `header`. A named column must exist (exact name); otherwise
    /// the id is the first column named as in [`ColumnRoles::ID_NAMES`], else the
    /// first column but the truth and the source when its name ends in the word "id"
    /// (`mention_id`, `CustomerID`: exports lead with their key; a `loyalty_id`
    /// further on is data), and the source the column named with the first of
    /// [`ColumnRoles::SOURCE_NAMES`] any column has (case-insensitively, word by word).
    /// The truth column is never guessed, and never taken as the id or the source
    /// (benchmarks often call the true entity `unique_id`).
    ///
    /// ```
    /// use sameas::config::ColumnRoles;
    /// let header = ["Record_ID", "given_name", "source", "person"];
    /// let roles = ColumnRoles::detect(&header, None, None, Some("person"))?;
    /// assert_eq!((roles.id, roles.source, roles.truth), (0, Some(2), Some(3)));
    /// assert!(ColumnRoles::detect(&header[1..], None, None, None).is_err());
    /// let inventors = ["mention_id", "name_first", "unique_id"];
    /// let roles = ColumnRoles::detect(&inventors, None, None, Some("unique_id"))?;
    /// assert_eq!((roles.id, roles.truth), (0, Some(2)));
    /// # Ok::<(), sameas::Error>(())
    /// ```
    pub fn detect<S: AsRef<str>>(
        header: &[S],
        id: Option<&str>,
        source: Option<&str>,
        truth: Option<&str>,
    ) -> Result<ColumnRoles> {
        let truth = match truth {
            Some(t) => find_named(header, t)?,
            None => None,
        };
        let guessable = |i: usize| Some(i) != truth;
        let find = |wanted: Option<&str>, defaults: &[&str]| -> Result<Option<usize>> {
            match wanted {
                Some(w) => find_named(header, w),
                None => Ok((0..header.len()).find(|&i| {
                    guessable(i)
                        && defaults.contains(&header[i].as_ref().to_ascii_lowercase().as_str())
                })),
            }
        };
        let source = match source {
            Some(w) => find_named(header, w)?,
            // The most preferred name any column has.
            None => Self::SOURCE_NAMES.iter().find_map(|&wanted| {
                (0..header.len())
                    .find(|&i| guessable(i) && name_tokens(header[i].as_ref()).join("_") == wanted)
            }),
        };
        let id = match find(id, &Self::ID_NAMES)? {
            Some(i) => i,
            None => (0..header.len())
                .find(|&i| guessable(i) && source != Some(i))
                .filter(|&i| {
                    name_tokens(header[i].as_ref()).last().map(String::as_str) == Some("id")
                })
                .ok_or_else(|| Error::new(ErrorKind::UnknownField, "no record id column"))?,
        };
        Ok(ColumnRoles { id, source, truth })
    }

    /// Whether column `i` holds data (is none of the roles).
    pub fn is_data(&self, i: usize) -> bool {
        i != self.id && Some(i) != self.source && Some(i) != self.truth
    }
}

/// The position of the column named exactly `name` (as `Some`), or an error listing
/// the columns.
fn find_named<S: AsRef<str>>(header: &[S], name: &str) -> Result<Option<usize>> {
    match header.iter().position(|h| h.as_ref() == name) {
        Some(i) => Ok(Some(i)),
        None => {
            let names: Vec<&str> = header.iter().map(AsRef::as_ref).collect();
            Err(Error::new(
                ErrorKind::UnknownField,
                format!("no column named {name:?} (columns: {})", names.join(", ")),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small_config() -> Config {
        let schema = Schema::from_fields([
            ("given_name", FieldKind::GivenName),
            ("email", FieldKind::Email),
        ])
        .unwrap();
        Config::infer(schema).unwrap()
    }

    /// The truth column is never the record id, even when it bears an id's name
    /// (`unique_id` in the PatentsView benchmark); when no usual id name is there,
    /// the first other column is the id if its name ends in "id".
    #[test]
    fn the_id_column_is_guessed_but_never_the_truth() {
        let roles = |h: &[&str], truth| ColumnRoles::detect(h, None, None, truth);
        let r = roles(&["unique_id", "mention_id", "name"], Some("unique_id")).unwrap();
        assert_eq!((r.id, r.truth), (1, Some(0)));
        assert_eq!(roles(&["unique_id", "mention_id"], None).unwrap().id, 0);
        assert_eq!(roles(&["CustomerID", "name"], None).unwrap().id, 0);
        assert_eq!(roles(&["crm-id", "name", "id"], None).unwrap().id, 2);
        // An identifier further on is data (a card, a national id), not the key.
        for header in [&["name", "loyalty_id"][..], &["name", "soc_sec_id"][..]] {
            assert!(roles(header, None).is_err(), "{header:?}");
        }
        // Nothing left to be the id: an error, not the truth or the source.
        let e = roles(&["entity_id", "name"], Some("entity_id")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnknownField);
        assert!(roles(&["name", "valid", "source"], None).is_err());
        let e = roles(&["name"], Some("person")).unwrap_err();
        assert!(e.message().contains("person"), "{e}");
    }

    /// Issue 15 item 5: out-of-range sizes and an unknown default country are
    /// refused with the key's path, before anything overflows or allocates.
    #[test]
    fn settings_out_of_range_are_rejected_with_their_key() {
        type Breaks = fn(&mut Config);
        let cases: [(&str, Breaks); 6] = [
            ("blocking.window", |c| c.blocking.window = usize::MAX),
            ("blocking.window", |c| c.blocking.window = 0),
            ("blocking.max_block_size", |c| {
                c.blocking.max_block_size = usize::MAX
            }),
            ("training.random_pairs", |c| {
                c.training.random_pairs = usize::MAX
            }),
            ("training.max_iterations", |c| {
                c.training.max_iterations = usize::MAX
            }),
            ("normalize.default_country", |c| {
                c.normalize.default_country = Some("ZZ".into())
            }),
        ];
        for (key, break_it) in cases {
            let mut c = small_config();
            assert!(c.validate().is_ok());
            break_it(&mut c);
            let e = c.validate().unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidConfig);
            assert!(e.message().contains(key), "{key}: {e}");
            assert!(crate::ProfileGraph::new(c).is_err(), "{key}");
        }
        let mut c = small_config();
        c.normalize.default_country = Some("ro".into());
        c.blocking.window = MAX_WINDOW;
        c.blocking.max_block_size = MAX_BLOCK_SIZE;
        assert!(c.validate().is_ok());
    }

    /// Issue 15 item 5: misspelt keys are errors naming the key and its section.
    #[cfg(feature = "serde")]
    #[test]
    fn unknown_keys_are_rejected() {
        let good = serde_json::to_value(small_config()).unwrap();
        assert!(serde_json::from_value::<Config>(good.clone()).is_ok());
        let with = |pointer: &str, key: &str| {
            let mut v = good.clone();
            v.pointer_mut(pointer)
                .unwrap()
                .as_object_mut()
                .unwrap()
                .insert(key.into(), serde_json::json!(1));
            serde_json::from_value::<Config>(v).unwrap_err().to_string()
        };
        let e = with("", "thresold");
        assert!(e.contains("unknown field `thresold`"), "{e}");
        let e = with("/blocking", "windw");
        assert!(e.contains("blocking: unknown field `windw`"), "{e}");
        let e = with("/training", "seeed");
        assert!(e.contains("training: unknown field `seeed`"), "{e}");
        let e = with("/normalize", "day_frist");
        assert!(e.contains("normalize: unknown field `day_frist`"), "{e}");
        let e = with("/comparisons/0", "term_frequncy");
        assert!(e.contains("unknown field `term_frequncy`"), "{e}");
        let text = serde_json::to_string(&good)
            .unwrap()
            .replace("\"window\":", "\"windw\":");
        let e = serde_json::from_str::<Config>(&text)
            .unwrap_err()
            .to_string();
        assert!(e.contains("blocking: unknown field `windw`"), "{e}");
        assert_eq!(e.matches(" at line ").count(), 1, "{e}");
    }

    /// Misspelt keys inside a comparison level were ignored: a level's rule and its
    /// parameters are flattened into it, which serde's `deny_unknown_fields` does not
    /// cover, so a stray key beside a rule's parameters (`"treshold"` next to
    /// `"threshold"`) or on a rule without any (`exact`, `else`) passed silently.
    #[cfg(feature = "serde")]
    #[test]
    fn unknown_keys_in_a_level_are_rejected() {
        let good = serde_json::to_value(small_config()).unwrap();
        let levels = &good["comparisons"][0]["levels"];
        let fuzzy = (0..levels.as_array().unwrap().len())
            .find(|&i| levels[i].get("threshold").is_some())
            .expect("a level with a threshold");
        let with = |level: usize, key: &str| {
            let mut v = good.clone();
            v["comparisons"][0]["levels"][level]
                .as_object_mut()
                .unwrap()
                .insert(key.into(), serde_json::json!(0.8));
            serde_json::from_value::<Config>(v)
                .map(|_| ())
                .unwrap_err()
                .to_string()
        };
        let e = with(fuzzy, "treshold");
        assert!(e.contains("unknown field `treshold`"), "{e}");
        let e = with(0, "threshold");
        assert!(
            e.contains("unknown field `threshold` in level \"exact\""),
            "{e}"
        );
        assert!(e.contains("takes no parameter"), "{e}");
        let e = with(0, "vetoo");
        assert!(e.contains("unknown field `vetoo`"), "{e}");
        // Known keys still read, and a level round-trips.
        let level: Level = serde_json::from_value(levels[fuzzy].clone()).unwrap();
        assert_eq!(serde_json::to_value(&level).unwrap(), levels[fuzzy]);
        let vetoing: Level = serde_json::from_str(
            r#"{"label":"else","rule":"else","veto":true,"identifies":false}"#,
        )
        .unwrap();
        assert!(vetoing.veto);
    }

    /// Two comparisons of one name were accepted (explanations, the pairs CSV and
    /// models name comparisons by it), and so was any `veto_quorum`.
    #[test]
    fn duplicate_comparison_names_and_a_huge_veto_quorum_are_rejected() {
        let mut c = small_config();
        let first = c.comparisons[0].clone();
        c.comparisons.push(first);
        let e = c.validate().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        assert!(e.message().contains("is used twice"), "{e}");
        assert!(e.message().contains(&c.comparisons[0].name), "{e}");
        let mut c = small_config();
        c.veto_quorum = 1_000_000_000;
        let e = c.validate().unwrap_err();
        assert!(e.message().contains("veto_quorum"), "{e}");
        for ok in [0, 2, MAX_COMPARISONS] {
            c.veto_quorum = ok;
            assert!(c.validate().is_ok(), "{ok}");
        }
    }

    #[test]
    fn column_names_decide_kinds() {
        let k = |c: &str| infer_field_kind(c, &[]);
        assert_eq!(k("given_name"), Some(FieldKind::GivenName));
        assert_eq!(k("Surname"), Some(FieldKind::FamilyName));
        assert_eq!(k("date_of_birth"), Some(FieldKind::DateOfBirth));
        assert_eq!(k("suburb"), Some(FieldKind::City));
        assert_eq!(k("address_1"), Some(FieldKind::StreetAddress));
        assert_eq!(k("street_number"), Some(FieldKind::FreeText));
        assert_eq!(k("soc_sec_id"), Some(FieldKind::FreeText));
        assert_eq!(k("loyalty_id"), Some(FieldKind::StrongId));
        assert_eq!(k("rec_id"), None);
        assert_eq!(k("entity_id"), None);
        assert_eq!(k("customer name"), Some(FieldKind::FullName));
        // Name parts named name-first (as patent and census tables do) are parts.
        for given in [
            "name_first",
            "inventor_name_first",
            "NameFirst",
            "First Name",
        ] {
            assert_eq!(k(given), Some(FieldKind::GivenName), "{given}");
        }
        for family in [
            "name_last",
            "raw_inventor_name_last",
            "NameLast",
            "Last Name",
        ] {
            assert_eq!(k(family), Some(FieldKind::FamilyName), "{family}");
        }
        // When an order was placed says nothing of who placed it (and it is no given
        // name).
        assert_eq!(k("first_order_date"), None);
        for full in ["first_and_surname", "FirstLastName", "first_name_last_name"] {
            assert_eq!(k(full), Some(FieldKind::FullName), "{full}");
        }
        assert_eq!(k("birth_place"), Some(FieldKind::City));
        assert_eq!(k("PlaceOfBirth"), Some(FieldKind::City));
        assert_eq!(k("country_of_birth"), Some(FieldKind::Country));
        assert_eq!(k("birthplace"), Some(FieldKind::City));
        assert_eq!(k("BirthCountry"), Some(FieldKind::Country));
        assert_eq!(k("surname_first_letter"), Some(FieldKind::FamilyName));
        // A part's name with whole dates in it is a date.
        assert_eq!(k("birth_day"), Some(FieldKind::FreeText));
        let dates = ["1967-09-27", "1980-01-02"];
        assert_eq!(
            infer_field_kind("birth_day", &dates),
            Some(FieldKind::DateOfBirth)
        );
        assert_eq!(k("birth_date"), Some(FieldKind::DateOfBirth));
        // Other languages, folded (Datum rođenja), pairs before their words.
        let local = [
            ("prenume", FieldKind::GivenName),
            ("Nume", FieldKind::FamilyName),
            ("Nama Depan", FieldKind::GivenName),
            ("nama", FieldKind::FullName),
            ("Ime i prezime", FieldKind::FullName),
            ("Datum rođenja", FieldKind::DateOfBirth),
            ("tanggal_lahir", FieldKind::DateOfBirth),
            ("Straße", FieldKind::StreetAddress),
            ("Oraș", FieldKind::City),
            ("kode_pos", FieldKind::Postcode),
            ("PLZ", FieldKind::Postcode),
            ("telepon", FieldKind::Phone),
            ("Презиме", FieldKind::FamilyName),
            ("Датум рођења", FieldKind::DateOfBirth),
        ];
        for (column, kind) in local {
            assert_eq!(k(column), Some(kind), "{column}");
        }
        for english in ["time", "sort_order", "grade", "port"] {
            assert_eq!(k(english), Some(FieldKind::FreeText), "{english}");
        }
        for phone in [
            "landline",
            "home_tel",
            "telephone",
            "Telefon",
            "no_hp",
            "fax",
            "msisdn",
        ] {
            assert_eq!(k(phone), Some(FieldKind::Phone), "{phone}");
        }
        for not_phone in ["hotel_name", "cellar", "cancel_reason"] {
            assert_ne!(k(not_phone), Some(FieldKind::Phone), "{not_phone}");
        }
        assert_eq!(
            infer_field_kind("contact", &["a@b.com", "c@d.org"]),
            Some(FieldKind::Email)
        );
    }

    #[test]
    fn a_birth_date_in_three_columns_becomes_one_date_field() {
        let kinds = |columns: &[&str]| -> Vec<(String, FieldKind, bool)> {
            let schema = infer_schema(columns, &[]).unwrap();
            let fields = schema.fields().iter();
            fields
                .map(|f| (f.name.clone(), f.kind, f.parts.is_some()))
                .collect()
        };
        let rl = kinds(&["fname_c1", "lname_c1", "by", "bm", "bd"]);
        assert_eq!(rl[2], ("by+bm+bd".into(), FieldKind::DateOfBirth, true));
        assert_eq!(rl.len(), 3);
        let spelled = kinds(&["Day_of_Birth", "birth_month", "BirthYear", "city"]);
        let joined = "BirthYear+birth_month+Day_of_Birth".to_string();
        assert_eq!(spelled[0], (joined, FieldKind::DateOfBirth, true));
        // A whole date beside the parts, or a part missing: the parts stay apart.
        let with_dob = kinds(&["dob", "by", "bm", "bd"]);
        assert_eq!(with_dob.len(), 4);
        assert_eq!(with_dob[1], ("by".into(), FieldKind::FreeText, false));
        let year_only = kinds(&["birth_year", "birthday"]);
        assert_eq!(
            year_only[0],
            ("birth_year".into(), FieldKind::FreeText, false)
        );
        assert_eq!(
            year_only[1],
            ("birthday".into(), FieldKind::DateOfBirth, false)
        );
    }

    #[test]
    fn inferred_configs_compare_a_full_name_only_when_it_is_the_only_name() {
        let with_parts = Schema::from_fields([
            ("full_name", FieldKind::FullName),
            ("first", FieldKind::GivenName),
            ("last", FieldKind::FamilyName),
            ("dob", FieldKind::DateOfBirth),
        ])
        .unwrap();
        let c = Config::infer(with_parts).unwrap();
        c.validate().unwrap();
        let names: Vec<&str> = c.comparisons.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            ["first", "last", "dob"],
            "the full name repeats the parts"
        );
        let only_full = Schema::from_fields([
            ("full_name", FieldKind::FullName),
            ("dob", FieldKind::DateOfBirth),
        ])
        .unwrap();
        let c = Config::infer(only_full).unwrap();
        c.validate().unwrap();
        assert!(c.comparisons[0].is_person_name());
        // The deterministic rule on given + family + date reads the name comparison.
        let rule = &c.training.deterministic_rules[0];
        assert!(rule.keys.iter().all(|k| c
            .comparisons
            .iter()
            .any(|comparison| comparison.reads(k.field()))));
    }

    #[test]
    fn inferred_configs_validate_and_block_on_present_fields() {
        let schema = Schema::from_fields([
            ("first", FieldKind::GivenName),
            ("last", FieldKind::FamilyName),
            ("dob", FieldKind::DateOfBirth),
            ("soc_sec_id", FieldKind::FreeText),
        ])
        .unwrap();
        let c = Config::infer(schema).unwrap();
        c.validate().unwrap();
        let soc = c
            .comparisons
            .iter()
            .find(|c| c.field == "soc_sec_id")
            .unwrap();
        assert_eq!(soc.label(2), "one edit");
        assert!(c
            .blocking
            .rules
            .iter()
            .any(|r| r.keys == vec![exact("soc_sec_id")]));
        // Oversized blocks are ordered by what tells namesakes apart.
        assert_eq!(c.blocking.neighbourhood_fields, vec!["dob".to_string()]);
        assert_eq!(
            c.blocking.max_block_size,
            crate::block::DEFAULT_MAX_BLOCK_SIZE
        );
        let mut bad = c.clone();
        bad.threshold = f64::NAN;
        assert!(bad.validate().is_err());
    }

    #[test]
    fn names_without_sharper_keys_train_on_the_place_too() {
        let schema = Schema::from_fields([
            ("given", FieldKind::GivenName),
            ("family", FieldKind::FamilyName),
            ("city", FieldKind::City),
        ])
        .unwrap();
        let em = Config::infer(schema).unwrap().training.em_blocking;
        let keys: Vec<Vec<BlockingKey>> = em.into_iter().map(|r| r.keys).collect();
        assert_eq!(
            keys,
            vec![vec![exact("family"), exact("given")], vec![exact("city")]]
        );
        // One sharper key trains the names in its own run: no place run then.
        let schema = Schema::from_fields([
            ("given", FieldKind::GivenName),
            ("family", FieldKind::FamilyName),
            ("dob", FieldKind::DateOfBirth),
            ("postcode", FieldKind::Postcode),
        ])
        .unwrap();
        let em = Config::infer(schema).unwrap().training.em_blocking;
        let keys: Vec<Vec<BlockingKey>> = em.into_iter().map(|r| r.keys).collect();
        assert_eq!(
            keys,
            vec![vec![exact("dob")], vec![exact("family"), exact("given")]]
        );
    }

    #[test]
    fn sources_and_local_countries_are_found_by_their_usual_names() {
        for (header, at) in [
            (["CustomerID", "FirstName", "SourceSystem"], Some(2)),
            (["id", "Source System", "given"], Some(1)),
            (["src", "id", "source"], Some(2)),
            // A sales channel or a country of origin is data, not the source.
            (["id", "channel", "origin"], None),
        ] {
            let roles = ColumnRoles::detect(&header, None, None, None).unwrap();
            assert_eq!(roles.source, at, "{header:?}");
        }
        let k = |c: &str| infer_field_kind(c, &[]);
        for country in ["tara", "Țara", "negara", "država", "pais"] {
            assert_eq!(k(country), Some(FieldKind::Country), "{country}");
        }
    }

    #[test]
    fn columns_that_time_an_event_are_not_compared() {
        let k = |c: &str| infer_field_kind(c, &[]);
        for event in [
            "created_at",
            "UpdatedAt",
            "registration_date",
            "Signup Date",
            "last_login",
            "order_date",
            "purchase_time",
            "last_visit",
            "customer_since",
            "valid_from",
            "start_date",
            "data_înregistrării",
            "tgl_daftar",
            "datum_registracije",
            "timestamp",
            "card_expiry",
            // Times of an event whatever they concern: the last word says so.
            "email_verified_at",
            "address_updated_at",
            "member_since",
            "loyalty_expiry",
            "join_date",
            "LastUpdate",
            "create_date",
            "date_added",
            "txn_date",
        ] {
            assert_eq!(k(event), None, "{event}");
        }
        // Numbers and names of a registration or a login are no times.
        for kept in [
            "registration_number",
            "user_login",
            "nomor_registrasi",
            "login",
        ] {
            assert!(k(kept).is_some(), "{kept}");
        }
        // A column named as a kind stays that kind, whenever it was given.
        assert_eq!(k("signup_email"), Some(FieldKind::Email));
        assert_eq!(k("registered_address"), Some(FieldKind::StreetAddress));
        assert_eq!(k("last_seen_city"), Some(FieldKind::City));
        // A birth date stays one, however its column is written.
        for birth in ["date_of_birth", "birth_date", "dob", "DateOfBirth"] {
            assert_eq!(k(birth), Some(FieldKind::DateOfBirth), "{birth}");
        }
        // A column the name says nothing of: dates with a time of day are timestamps,
        // dates without one may be birth dates.
        let stamps = ["2016-01-07T15:11:54Z", "2016-01-19 08:44:42", ""];
        assert_eq!(infer_field_kind("when", &stamps), None);
        let dates = ["1974-04-25", "25.04.1974", ""];
        assert_eq!(
            infer_field_kind("when", &dates),
            Some(FieldKind::DateOfBirth)
        );
        // Dates exported as date-times at midnight are dates.
        let midnight = ["1974-04-25 00:00:00", "1980-01-02T00:00:00.000Z"];
        assert_eq!(
            infer_field_kind("when", &midnight),
            Some(FieldKind::DateOfBirth)
        );
    }

    #[test]
    fn oversized_blocks_are_ordered_by_birth_date_and_postcode_never_the_city() {
        let schema = Schema::from_fields([
            ("given", FieldKind::GivenName),
            ("family", FieldKind::FamilyName),
            ("city", FieldKind::City),
            ("postcode", FieldKind::Postcode),
            ("dob", FieldKind::DateOfBirth),
        ])
        .unwrap();
        let order = Config::infer(schema).unwrap().blocking.neighbourhood_fields;
        assert_eq!(order, vec!["dob".to_string(), "postcode".to_string()]);
        // Names and a city only: the names as written, then the id hash.
        let schema = Schema::from_fields([
            ("given", FieldKind::GivenName),
            ("family", FieldKind::FamilyName),
            ("city", FieldKind::City),
        ])
        .unwrap();
        let order = Config::infer(schema).unwrap().blocking.neighbourhood_fields;
        assert!(order.is_empty(), "{order:?}");
    }

    #[test]
    fn id_names_match_whole_tokens() {
        for yes in [
            "ssn",
            "SSN",
            "soc_sec_id",
            "social_security_number",
            "NationalId",
            "national-insurance-number",
            "nin",
            "customer_nin",
            "tax_id",
            "passport_no",
            "jmbg",
            "CNP",
            "nik",
        ] {
            assert!(looks_like_id_name(yes), "{yes}");
        }
        for no in [
            "social_media",
            "cabinet",
            "nineteen",
            "dining",
            "nickname",
            "given_name",
            "loyalty_id",
            "id",
            "tinder",
            "assn",
        ] {
            assert!(!looks_like_id_name(no), "{no}");
        }
    }

    #[test]
    fn roles_are_detected_or_reported() {
        let header = ["rec_id", "name", "Source", "entity_id"];
        let r = ColumnRoles::detect(&header, None, None, None).unwrap();
        assert_eq!(
            r,
            ColumnRoles {
                id: 0,
                source: Some(2),
                truth: None
            }
        );
        assert!(r.is_data(1) && !r.is_data(0) && !r.is_data(2));
        let r =
            ColumnRoles::detect(&header, Some("name"), Some("rec_id"), Some("entity_id")).unwrap();
        assert_eq!(
            r,
            ColumnRoles {
                id: 1,
                source: Some(0),
                truth: Some(3)
            }
        );
        let e = ColumnRoles::detect(&header, None, None, Some("truth")).unwrap_err();
        assert!(e.message().contains("no column named \"truth\""), "{e}");
        assert!(ColumnRoles::detect(&["name"], None, None, None).is_err());
    }

    #[test]
    fn threshold_lowers_the_veto_only() {
        let schema = Schema::from_fields([("email", FieldKind::Email)]).unwrap();
        let mut c = Config::infer(schema).unwrap();
        let veto = c.veto;
        c.set_threshold(0.9).unwrap();
        assert_eq!((c.threshold, c.veto), (0.9, veto));
        c.set_threshold(veto / 2.0).unwrap();
        assert_eq!((c.threshold, c.veto), (veto / 2.0, veto / 2.0));
        assert!(c.set_threshold(f64::NAN).is_err());
        assert_eq!(c.threshold, veto / 2.0);
    }
}
