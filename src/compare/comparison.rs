//! `Comparison`: a named, ordered list of levels over one or several schema fields.

use super::gamma::MAX_LEVELS;
use super::level::{Level, LevelRule};
use crate::error::{Error, ErrorKind, Result};

/// A comparison of one fact between two records: an ordered list of levels.
///
/// γ level 0 is always *null* (a value missing on either side); γ level `i ≥ 1` is
/// `levels[i - 1]`. The last level must be [`LevelRule::Else`].
///
/// A comparison reads `field` and any further `fields` together, as one fact: a
/// person's name spread over full, given and family name columns is one comparison,
/// not three (three would count one name three times). With several fields the values
/// of all of them are compared (the best level over all pairs wins); a comparison with
/// a person-name level ([`LevelRule::is_name_rule`]) instead reads all its fields as
/// one bag of name tokens with roles (see [`Comparison::person_name`]).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Comparison {
    /// Name shown in explanations (usually the field name).
    pub name: String,
    /// The schema field compared (the first, when the comparison reads several).
    pub field: String,
    /// Further schema fields read together with `field` as one fact (empty for a
    /// single-field comparison; configs without it load as before).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub fields: Vec<String>,
    /// The non-null levels, most similar first, ending with `Else`.
    pub levels: Vec<Level>,
    /// Apply term-frequency adjustments to the exact level.
    #[cfg_attr(feature = "serde", serde(default))]
    pub term_frequency: bool,
}

impl Comparison {
    /// Every schema field the comparison reads: `field`, then `fields`.
    pub fn read_fields(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.field.as_str()).chain(self.fields.iter().map(String::as_str))
    }

    /// Whether the comparison reads `field` (a schema field name, or one part of a
    /// full-name field written `"name.given"` / `"name.family"`): how training rules,
    /// which name fields, find the comparisons they agree on.
    pub fn reads(&self, field: &str) -> bool {
        let whole = match field.rsplit_once('.') {
            Some((n, "given" | "family")) => Some(n),
            _ => None,
        };
        self.read_fields().any(|f| f == field || Some(f) == whole)
    }

    /// Whether this is a person-name comparison: one of its levels is a person-name
    /// rule ([`LevelRule::is_name_rule`]).
    pub fn is_person_name(&self) -> bool {
        self.levels.iter().any(|l| l.rule.is_name_rule())
    }

    /// Number of γ levels including the null level 0.
    pub fn level_count(&self) -> usize {
        self.levels.len() + 1
    }

    /// Label of γ level `level` (`"null"` for 0, `"?"` when out of range).
    pub fn label(&self, level: u8) -> &str {
        match level {
            0 => "null",
            l => self
                .levels
                .get(l as usize - 1)
                .map(|lv| lv.label.as_str())
                .unwrap_or("?"),
        }
    }

    /// γ index of the [`LevelRule::Exact`] level, if the comparison has one.
    pub fn exact_level(&self) -> Option<u8> {
        self.levels
            .iter()
            .position(|l| l.rule == LevelRule::Exact)
            .map(|i| (i + 1) as u8)
    }

    /// Whether γ level `level` is marked as a veto level.
    pub fn is_veto(&self, level: u8) -> bool {
        self.level_at(level).is_some_and(|l| l.veto)
    }

    /// Whether γ level `level` is marked as identifying the person.
    pub fn identifies(&self, level: u8) -> bool {
        self.level_at(level).is_some_and(|l| l.identifies)
    }

    fn level_at(&self, level: u8) -> Option<&Level> {
        (level as usize)
            .checked_sub(1)
            .and_then(|i| self.levels.get(i))
    }

    /// γ index of the last (`Else`) level.
    pub fn else_level(&self) -> u8 {
        self.levels.len() as u8
    }

    /// Checks the level list: non-empty, at most `MAX_LEVELS - 1` levels, thresholds
    /// finite and in range, `Else` last and only last.
    pub fn validate(&self) -> Result<()> {
        let bad = |msg: String| {
            Err(Error::new(
                ErrorKind::InvalidConfig,
                format!("comparison {:?}: {msg}", self.name),
            ))
        };
        if self.levels.is_empty() || self.levels.len() >= MAX_LEVELS {
            return bad(format!(
                "needs 1 to {} levels, has {}",
                MAX_LEVELS - 1,
                self.levels.len()
            ));
        }
        for (i, level) in self.levels.iter().enumerate() {
            if matches!(level.rule, LevelRule::Else) && i + 1 != self.levels.len() {
                return bad(format!("level {:?} (else) must be last", level.label));
            }
            if let Err(msg) = level.rule.check() {
                return bad(format!("level {:?}: {msg}", level.label));
            }
        }
        let mut phonetic = self
            .levels
            .iter()
            .filter(|l| l.rule.phonetic_code().is_some());
        if let Some(first) = phonetic.next() {
            if let Some(other) = phonetic.find(|l| l.rule != first.rule) {
                return bad(format!(
                    "levels {:?} and {:?} use two phonetic codes; a comparison compares by one",
                    first.label, other.label
                ));
            }
        }
        if self.is_person_name() {
            if let Some(level) = self.levels.iter().find(|l| {
                !(l.rule.is_name_rule()
                    || matches!(
                        l.rule,
                        LevelRule::Exact
                            | LevelRule::Nickname
                            | LevelRule::JaroWinkler { .. }
                            | LevelRule::Else
                    ))
            }) {
                return bad(format!(
                    "level {:?}: a person-name comparison takes exact, nickname, Jaro-Winkler, person-name levels and else",
                    level.label
                ));
            }
        } else if let Some(level) = self.levels.iter().find(|l| l.rule.is_name_rule()) {
            return bad(format!(
                "level {:?} needs a person-name comparison",
                level.label
            ));
        }
        if self.levels.last().map(|l| &l.rule) != Some(&LevelRule::Else) {
            return bad("the last level must be else".into());
        }
        Ok(())
    }
}
