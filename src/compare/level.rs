//! Comparison levels: the ordered rules that map a pair of values to a level index.

use crate::similarity::{double_metaphone, nysiis, soundex};

/// The rule that decides whether a pair of values falls into one level.
///
/// Levels are tried in order; the first that holds wins. Thresholds are checked when
/// a comparison is built (`NaN` or out-of-range values are rejected).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)
)]
pub enum LevelRule {
    /// Normalized values are equal. The only rule that term-frequency adjustments and
    /// exact `u` from value frequencies apply to. In a person-name comparison (see
    /// [`LevelRule::is_name_rule`]): the same tokens in the same roles.
    Exact,
    /// Equal after mapping nicknames to their canonical name (Bob → Robert) and
    /// spellings to their variant key (Mohammad → Muhammad, Soekarno → Sukarno; see
    /// [`crate::normalize::name_variant_key`]). In a
    /// person-name comparison: every token matches a distinct token of the other name
    /// exactly or by its variant key.
    Nickname,
    /// Jaro-Winkler similarity at least `threshold`. In a person-name comparison:
    /// both names have as many tokens, each matched to a distinct token of the other
    /// exactly, as a variant, or at this similarity.
    JaroWinkler {
        /// Lowest similarity in this level, in [0, 1].
        threshold: f64,
    },
    /// Levenshtein distance at most `max`, and fewer edits than the shorter value has
    /// characters (`m` / `a` is two initials, not a typo).
    Levenshtein {
        /// Largest distance in this level.
        max: u8,
    },
    /// Damerau (optimal string alignment) distance at most `max`, and fewer edits
    /// than the shorter value has characters (as [`LevelRule::Levenshtein`]).
    Damerau {
        /// Largest distance in this level.
        max: u8,
    },
    /// Token-set Jaccard similarity at least `threshold`.
    Jaccard {
        /// Lowest similarity in this level, in [0, 1].
        threshold: f64,
    },
    /// Same phonetic code: the primary Double Metaphone code
    /// ([`double_metaphone`](crate::similarity::double_metaphone), at most 4 chars) of
    /// the whole normalized value, whatever the field kind. The alternate code is not
    /// used. A value with an empty code (no ASCII letter) or a code of fewer than three
    /// characters never agrees: `JN` is Jin, Jun, Jian, Jianhua and John, too many names
    /// to be evidence, and romanized Chinese or Korean given names a syllable apart
    /// (`Jinhai` / `Jianhua`) shared it. The price: short Western spellings of one name
    /// (`Neil` / `Niall`, `Lee` / `Leigh`, `Geoff` / `Jeff`, family names `Lee` / `Li`)
    /// no longer meet here and fall to the next level (in the default given-name
    /// comparison, "else"). Phonetic blocking keys keep every code. A comparison
    /// uses one phonetic code: this, [`LevelRule::Soundex`] or [`LevelRule::Nysiis`].
    Phonetic,
    /// Same American Soundex code ([`soundex`](crate::similarity::soundex): first
    /// letter and three digits) of the letters of the normalized value — coarser than
    /// [`LevelRule::Phonetic`], the classic code of census and genealogy data. A value
    /// with no ASCII letter never agrees; no minimum length applies (Jin and Jianhua
    /// are both `J500`).
    Soundex,
    /// Same NYSIIS code ([`nysiis`](crate::similarity::nysiis), at most 6 letters) of
    /// the letters of the normalized value — finer than Soundex on surnames. A value
    /// with no ASCII letter never agrees; no minimum length applies.
    Nysiis,
    /// Same first token (e.g. the given name when a full name was typed in).
    FirstToken,
    /// The first words agree exactly (two letters or longer) and every further word
    /// of the value with fewer words matches a distinct further word of the other,
    /// exactly or as an initial (`b` / `bernard`): a middle name or initial added or
    /// left out (`alan` / `alan b` / `alan bernard`), never two different second
    /// names (`jun se` / `jun o`). A value of more than eight words never holds.
    WordsWithInitials,
    /// The first words may be one name and a short form of it: the shorter, two
    /// letters or longer, begins or ends the longer, or starts and ends with the same
    /// letters as the longer and the letters between follow in order in it (`dana` /
    /// `daniela`, `mia` / `maria`, `tika` / `kartika`, `geo` / `georgiana`) — the
    /// hypocorisms no nickname table lists. Never holds for equal first words, nor
    /// for romanized names a syllable apart (`jin` / `jianhua`, `ion` / `ioana`).
    ShortForm,
    /// The first word of one value is a single letter, the initial of the other's
    /// longer first word (`m` / `muhammad`, `a yani` / `ahmad yani`): a name cut to
    /// its initial. Two initials alone never hold.
    FirstInitial,
    /// Email: same local part (before `@`), unless it is built from either record's
    /// name ([`PreparedValue::local_part_from_name`](crate::compare::PreparedValue::local_part_from_name)):
    /// then the two values say nothing (null), since the name comparisons weigh the
    /// name already.
    EmailLocalPart,
    /// Email: Jaro-Winkler of the local parts at least `threshold`.
    EmailLocalJaroWinkler {
        /// Lowest similarity in this level, in [0, 1].
        threshold: f64,
    },
    /// Phone: the last `digits` digits agree.
    LastDigits {
        /// How many trailing digits must agree.
        digits: u8,
    },
    /// Date: day and month swapped.
    DateSwapped,
    /// Date: absolute difference at most `days`.
    DateWithinDays {
        /// Largest difference in days.
        days: u32,
    },
    /// Date: the written forms `yyyymmdd` differ by at most `max` character edits.
    DateEdits {
        /// Largest Damerau distance between the `yyyymmdd` forms.
        max: u8,
    },
    /// Date: two of year, month and day agree and the third differs — a whole part
    /// mistyped or replaced (`1981-09-23` / `2008-09-23`, `1944-09-03` /
    /// `1944-11-03`), where a typo of one digit is [`LevelRule::DateEdits`].
    OnePartDiffers,
    /// Date: same year.
    SameYear,
    /// Numeric: absolute difference at most `max` (values parsed as numbers).
    NumericAbsolute {
        /// Largest absolute difference.
        max: f64,
    },
    /// Numeric: relative difference at most `max` (|a-b| / max(|a|,|b|)).
    NumericRelative {
        /// Largest relative difference, in [0, 1].
        max: f64,
    },
    /// Person name: the same tokens, but in other roles or another order (given and
    /// family swapped, "Popescu Ion" / "Ion Popescu").
    TokensReordered,
    /// Person name: every token of the shorter name matches a distinct token of the
    /// other (exactly, as a variant, or at Jaro-Winkler ≥ `threshold`), at least one
    /// exactly — mononyms, given-only records, a second given or family name.
    TokensSubset {
        /// Lowest Jaro-Winkler of a fuzzy token match, in [0, 1].
        threshold: f64,
    },
    /// Person name: like [`LevelRule::TokensSubset`], but at least one token is a
    /// single letter matched by a name with that initial ("J. Smith" / "John Smith").
    Initials,
    /// Person name: the family names agree but the given names are clearly different
    /// (no variant, initial or Jaro-Winkler ≥ 0.85 match): a relative, not a typo.
    SameFamilyOtherGiven,
    /// Person name: at least one token agrees exactly or as a variant.
    SharedToken,
    /// Always holds: the "else" level, last in every comparison.
    Else,
}

impl LevelRule {
    /// For a phonetic rule ([`LevelRule::Phonetic`], [`LevelRule::Soundex`],
    /// [`LevelRule::Nysiis`]): the function computing the code it compares, run once
    /// per value when a record is prepared. (Preparing reads Double Metaphone through
    /// the record's cached hash instead, which also applies the minimum code length.)
    pub(crate) fn phonetic_code(&self) -> Option<fn(&str) -> String> {
        match self {
            LevelRule::Phonetic => Some(|s| double_metaphone(s).0),
            LevelRule::Soundex => Some(soundex),
            LevelRule::Nysiis => Some(nysiis),
            _ => None,
        }
    }

    /// Checks the rule's parameters (thresholds in [0, 1], finite distances); the
    /// error says what is wrong, for [`Comparison::validate`](super::Comparison::validate)
    /// to name the level.
    pub(crate) fn check(&self) -> std::result::Result<(), String> {
        let unit = |t: f64| t.is_finite() && (0.0..=1.0).contains(&t);
        match *self {
            LevelRule::JaroWinkler { threshold }
            | LevelRule::Jaccard { threshold }
            | LevelRule::TokensSubset { threshold }
            | LevelRule::EmailLocalJaroWinkler { threshold }
                if !unit(threshold) =>
            {
                Err(format!("threshold {threshold} is not in [0, 1]"))
            }
            LevelRule::NumericRelative { max } if !unit(max) => {
                Err(format!("relative difference {max} is not in [0, 1]"))
            }
            LevelRule::NumericAbsolute { max } if !(max.is_finite() && max >= 0.0) => {
                Err(format!("absolute difference {max} is not finite and >= 0"))
            }
            _ => Ok(()),
        }
    }

    /// The names of the rule's parameters, as written in a configuration.
    #[cfg(feature = "serde")]
    fn parameters(&self) -> &'static [&'static str] {
        match self {
            LevelRule::JaroWinkler { .. }
            | LevelRule::Jaccard { .. }
            | LevelRule::EmailLocalJaroWinkler { .. }
            | LevelRule::TokensSubset { .. } => &["threshold"],
            LevelRule::Levenshtein { .. }
            | LevelRule::Damerau { .. }
            | LevelRule::DateEdits { .. }
            | LevelRule::NumericAbsolute { .. }
            | LevelRule::NumericRelative { .. } => &["max"],
            LevelRule::LastDigits { .. } => &["digits"],
            LevelRule::DateWithinDays { .. } => &["days"],
            LevelRule::Exact
            | LevelRule::Nickname
            | LevelRule::Phonetic
            | LevelRule::Soundex
            | LevelRule::Nysiis
            | LevelRule::FirstToken
            | LevelRule::WordsWithInitials
            | LevelRule::ShortForm
            | LevelRule::FirstInitial
            | LevelRule::EmailLocalPart
            | LevelRule::DateSwapped
            | LevelRule::OnePartDiffers
            | LevelRule::SameYear
            | LevelRule::TokensReordered
            | LevelRule::Initials
            | LevelRule::SameFamilyOtherGiven
            | LevelRule::SharedToken
            | LevelRule::Else => &[],
        }
    }

    /// Whether the rule only makes sense on a person name read as a bag of tokens
    /// with roles. A comparison with such a level is a person-name comparison: it
    /// reads every one of its fields as name tokens, and its `Exact`, `Nickname` and
    /// `JaroWinkler` levels compare token by token, order-free.
    pub fn is_name_rule(&self) -> bool {
        matches!(
            self,
            LevelRule::TokensReordered
                | LevelRule::TokensSubset { .. }
                | LevelRule::Initials
                | LevelRule::SameFamilyOtherGiven
                | LevelRule::SharedToken
        )
    }
}

/// One level of a comparison: a rule and the label shown in explanations.
///
/// With serde, a level is one map: `label`, `rule` and the rule's parameters, `veto`,
/// `identifies`. Any other key is refused (`"treshold"` for `"threshold"`, or a
/// threshold on a rule that takes none), so a typo never becomes a default.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Level {
    /// Human-readable label, e.g. `"Jaro-Winkler >= 0.92"`.
    pub label: String,
    /// When the level holds.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub rule: LevelRule,
    /// Marks a disagreement on an attribute of the person (e.g. given name or date of
    /// birth present and different). A pair with `Config::veto_quorum` such levels and
    /// no agreeing identifier is taken to be two people (see `Config::veto_quorum`).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "std::ops::Not::not")
    )]
    pub veto: bool,
    /// Agreement at this level identifies the person (the same customer number or
    /// national id, exactly or with one typo) and overrides veto levels.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "std::ops::Not::not")
    )]
    pub identifies: bool,
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Level {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// The wire form; `rest` sees every key that is not a field of its own
        /// (`rule` and the rule's parameters, and any unknown key).
        #[derive(serde::Deserialize)]
        struct Wire {
            label: String,
            #[serde(flatten)]
            rule: LevelRule,
            #[serde(default)]
            veto: bool,
            #[serde(default)]
            identifies: bool,
            #[serde(flatten)]
            rest: std::collections::BTreeMap<String, serde::de::IgnoredAny>,
        }
        let w = Wire::deserialize(deserializer)?;
        let parameters = w.rule.parameters();
        if let Some(key) = w
            .rest
            .keys()
            .find(|k| *k != "rule" && !parameters.contains(&k.as_str()))
        {
            let takes = match parameters {
                [] => "no parameter".to_string(),
                p => format!("`{}`", p.join("`, `")),
            };
            return Err(serde::de::Error::custom(format!(
                "unknown field `{key}` in level {:?} (its rule takes {takes})",
                w.label
            )));
        }
        Ok(Level {
            label: w.label,
            rule: w.rule,
            veto: w.veto,
            identifies: w.identifies,
        })
    }
}

impl Level {
    /// A level with `label` and `rule`.
    pub fn new(label: impl Into<String>, rule: LevelRule) -> Self {
        Level {
            label: label.into(),
            rule,
            veto: false,
            identifies: false,
        }
    }

    /// The same level, marked as a veto level (see [`Level::veto`]).
    pub fn vetoing(self) -> Self {
        Level { veto: true, ..self }
    }

    /// The same level, marked as identifying (see [`Level::identifies`]).
    pub fn identifying(self) -> Self {
        Level {
            identifies: true,
            ..self
        }
    }
}
