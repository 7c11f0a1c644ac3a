//! `Comparison`: a named, ordered list of levels over one schema field.

use super::gamma::MAX_LEVELS;
use super::level::{Level, LevelRule};
use crate::error::{Error, ErrorKind, Result};

/// A comparison of one field between two records: an ordered list of levels.
///
/// γ level 0 is always *null* (a value missing on either side); γ level `i ≥ 1` is
/// `levels[i - 1]`. The last level must be [`LevelRule::Else`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Comparison {
    /// Name shown in explanations (usually the field name).
    pub name: String,
    /// The schema field compared.
    pub field: String,
    /// The non-null levels, most similar first, ending with `Else`.
    pub levels: Vec<Level>,
    /// Apply term-frequency adjustments to the exact level.
    #[cfg_attr(feature = "serde", serde(default))]
    pub term_frequency: bool,
}

impl Comparison {
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
            let is_last = i + 1 == self.levels.len();
            let unit = |t: f64| t.is_finite() && (0.0..=1.0).contains(&t);
            match level.rule {
                LevelRule::Else if !is_last => {
                    return bad(format!("level {:?} (else) must be last", level.label))
                }
                LevelRule::JaroWinkler { threshold }
                | LevelRule::Jaccard { threshold }
                | LevelRule::EmailLocalJaroWinkler { threshold }
                    if !unit(threshold) =>
                {
                    return bad(format!(
                        "level {:?}: threshold {threshold} is not in [0, 1]",
                        level.label
                    ))
                }
                LevelRule::NumericRelative { max } if !unit(max) => {
                    return bad(format!(
                        "level {:?}: relative difference {max} is not in [0, 1]",
                        level.label
                    ))
                }
                LevelRule::NumericAbsolute { max } if !(max.is_finite() && max >= 0.0) => {
                    return bad(format!(
                        "level {:?}: absolute difference {max} is not finite and >= 0",
                        level.label
                    ))
                }
                _ => {}
            }
        }
        if self.levels.last().map(|l| &l.rule) != Some(&LevelRule::Else) {
            return bad("the last level must be else".into());
        }
        Ok(())
    }
}
