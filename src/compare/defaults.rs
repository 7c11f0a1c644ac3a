//! Ready-made comparisons per field kind, with the levels users of this field expect.

use super::comparison::Comparison;
use super::level::{Level, LevelRule};
use crate::record::{FieldKind, Schema};

fn level(label: &str, rule: LevelRule) -> Level {
    Level::new(label, rule)
}

fn jw(t: f64) -> Level {
    level(
        &format!("Jaro-Winkler >= {t}"),
        LevelRule::JaroWinkler { threshold: t },
    )
}

fn exact() -> Level {
    level("exact", LevelRule::Exact)
}

fn other() -> Level {
    level("else", LevelRule::Else)
}

impl Comparison {
    /// The default comparison for a field of `kind` named `field`.
    ///
    /// | kind | levels |
    /// |---|---|
    /// | given name | exact (TF) / nickname / JW ≥ 0.92 / JW ≥ 0.88 / phonetic / else (veto) |
    /// | family name | exact (TF) / JW ≥ 0.92 / JW ≥ 0.88 / phonetic / else |
    /// | full name | exact (TF) / same tokens / JW ≥ 0.92 / tokens Jaccard ≥ 0.5 / else |
    /// | email | exact / same local part / JW of local part ≥ 0.88 / else |
    /// | phone | exact / last 7 digits / one edit / else |
    /// | date of birth | exact / day-month swapped / one digit off / same year / else (veto) |
    /// | strong identifier | exact (identifies) / else |
    /// | street address | exact / tokens Jaccard ≥ 0.6 / JW ≥ 0.9 / else |
    /// | city | exact (TF) / JW ≥ 0.9 / else |
    /// | postcode | exact (TF) / one edit / else |
    /// | others | exact / else |
    ///
    /// ```
    /// use sameas::{Comparison, FieldKind};
    /// let c = Comparison::for_kind("phone", FieldKind::Phone);
    /// assert_eq!(c.label(1), "exact");
    /// assert_eq!(c.label(0), "null");
    /// ```
    pub fn for_kind(field: &str, kind: FieldKind) -> Comparison {
        let (levels, tf) = match kind {
            FieldKind::GivenName => (
                vec![
                    exact(),
                    level("nickname", LevelRule::Nickname),
                    jw(0.92),
                    jw(0.88),
                    level("phonetic", LevelRule::Phonetic),
                    other().vetoing(),
                ],
                true,
            ),
            FieldKind::FamilyName => (
                vec![
                    exact(),
                    jw(0.92),
                    jw(0.88),
                    level("phonetic", LevelRule::Phonetic),
                    other(),
                ],
                true,
            ),
            FieldKind::FullName => (
                vec![
                    exact(),
                    level("same tokens", LevelRule::Jaccard { threshold: 1.0 }),
                    jw(0.92),
                    level(
                        "tokens Jaccard >= 0.5",
                        LevelRule::Jaccard { threshold: 0.5 },
                    ),
                    other(),
                ],
                true,
            ),
            FieldKind::Email => (
                vec![
                    exact(),
                    level("same local part", LevelRule::EmailLocalPart),
                    level(
                        "local part Jaro-Winkler >= 0.88",
                        LevelRule::EmailLocalJaroWinkler { threshold: 0.88 },
                    ),
                    other(),
                ],
                false,
            ),
            FieldKind::Phone => (
                vec![
                    exact(),
                    level("last 7 digits", LevelRule::LastDigits { digits: 7 }),
                    level("one edit", LevelRule::Damerau { max: 1 }),
                    other(),
                ],
                false,
            ),
            FieldKind::DateOfBirth => (
                vec![
                    exact(),
                    level("day/month swapped", LevelRule::DateSwapped),
                    level("one digit off", LevelRule::DateEdits { max: 1 }),
                    level("same year", LevelRule::SameYear),
                    other().vetoing(),
                ],
                false,
            ),
            FieldKind::StreetAddress => (
                vec![
                    exact(),
                    level(
                        "tokens Jaccard >= 0.6",
                        LevelRule::Jaccard { threshold: 0.6 },
                    ),
                    jw(0.9),
                    other(),
                ],
                false,
            ),
            FieldKind::City => (vec![exact(), jw(0.9), other()], true),
            FieldKind::Postcode => (
                vec![
                    exact(),
                    level("one edit", LevelRule::Damerau { max: 1 }),
                    other(),
                ],
                true,
            ),
            FieldKind::FreeText => (
                vec![
                    exact(),
                    level(
                        "tokens Jaccard >= 0.5",
                        LevelRule::Jaccard { threshold: 0.5 },
                    ),
                    other(),
                ],
                false,
            ),
            FieldKind::StrongId => (vec![exact().identifying(), other()], false),
            FieldKind::Country | FieldKind::DeviceId | FieldKind::Category => {
                (vec![exact(), other()], false)
            }
        };
        Comparison {
            name: field.to_string(),
            field: field.to_string(),
            levels,
            term_frequency: tf,
        }
    }

    /// Default comparisons for every field of `schema` worth comparing (country and
    /// category fields are skipped: they rarely tell people apart), at most
    /// [`super::MAX_COMPARISONS`].
    pub fn defaults_for(schema: &Schema) -> Vec<Comparison> {
        schema
            .fields()
            .iter()
            .filter(|f| !matches!(f.kind, FieldKind::Country | FieldKind::Category))
            .take(super::MAX_COMPARISONS)
            .map(|f| Comparison::for_kind(&f.name, f.kind))
            .collect()
    }
}
