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
    /// | given name alone | exact (TF) / nickname or spelling variant / initials or extra names (same first name, other words only added, dropped or initialled) / JW ≥ 0.92 / JW ≥ 0.88 / initial (`m` / `muhammad`) / one typo / phonetic / same first name / a word in common (token Jaccard ≥ 0.5) / short form (`dana` / `daniela`) / else (veto) |
    /// | family name alone | exact (TF) / JW ≥ 0.92 / JW ≥ 0.88 / phonetic / a word in common (token Jaccard ≥ 0.5: `dian simanjuntak` / `simanjuntak`) / else |
    /// | full name, or a person's name over several fields ([`Comparison::person_name`]) | same name (TF on the whole name) / same tokens, other order / variant or nickname / tokens JW ≥ 0.92 / tokens JW ≥ 0.85 / subset / initials / same family, other given (veto) / a token shared / else (veto) |
    /// | email | exact / same local part (null when built from the name) / else |
    /// | phone | exact / last 7 digits / one edit / else |
    /// | date of birth | exact / day-month swapped / one digit off / one part different / same year / within a year (365 days, across new year) / else (veto) |
    /// | strong identifier | exact (identifies) / else |
    /// | street address | exact / tokens Jaccard ≥ 0.6 / JW ≥ 0.9 / else |
    /// | city | exact (TF) / JW ≥ 0.9 / else |
    /// | postcode | exact (TF) / one edit / else |
    /// | others | exact / else |
    ///
    /// A birth date a few days or weeks off across a new year (`2012-12-30` /
    /// `2013-01-04`: an estimated or shifted date) is "within a year", not "else",
    /// and EM weighs it from the data; a date that differs by one part or digit is
    /// caught by the closer levels first.
    ///
    /// Email has no fuzzy level on the local part: local parts are mostly built from
    /// the name (`ana.pop88`), so their similarity repeats the name comparisons'
    /// evidence, and namesakes with similar addresses looked like one person
    /// ([`LevelRule::EmailLocalJaroWinkler`] stays available for a custom comparison).
    /// For the same reason a shared local part that is the name again
    /// (`mary_smith`, `zignacevic42`) counts as null, not as agreement
    /// ([`LevelRule::EmailLocalPart`]).
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
                    level("nickname or variant", LevelRule::Nickname),
                    level("initials or extra names", LevelRule::WordsWithInitials),
                    jw(0.92),
                    jw(0.88),
                    level("initial", LevelRule::FirstInitial),
                    level("one typo", LevelRule::Damerau { max: 1 }),
                    level("phonetic", LevelRule::Phonetic),
                    level("same first name", LevelRule::FirstToken),
                    level("a word in common", LevelRule::Jaccard { threshold: 0.5 }),
                    level("short form", LevelRule::ShortForm),
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
                    level("a word in common", LevelRule::Jaccard { threshold: 0.5 }),
                    other(),
                ],
                true,
            ),
            FieldKind::FullName => return Comparison::person_name(field, &[field]),
            FieldKind::Email => (
                vec![
                    exact(),
                    level("same local part", LevelRule::EmailLocalPart),
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
                    level("one part different", LevelRule::OnePartDiffers),
                    level("same year", LevelRule::SameYear),
                    level("within a year", LevelRule::DateWithinDays { days: 365 }),
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
            fields: Vec::new(),
            levels,
            term_frequency: tf,
        }
    }

    /// One comparison of a person's name over every name field in `fields` (full,
    /// given, middle, family): all tokens of a record, order-free, given and family
    /// roles taken from the field kinds (a full name is split), at most
    /// [`super::MAX_NAME_TOKENS`] tokens. One name is one fact: compared field by
    /// field, an exact name would count two or three times.
    ///
    /// Levels, first that holds:
    ///
    /// | level | holds when |
    /// |---|---|
    /// | same name (TF on the whole name) | the same tokens in the same roles |
    /// | same tokens, other order | the same tokens, given and family swapped ("Popescu Ion" / "Ion Popescu") |
    /// | variant or nickname | token for token the same variant key (Bob / Robert) |
    /// | tokens JW ≥ 0.92, ≥ 0.85 | token for token at least that Jaro-Winkler (or a variant) |
    /// | subset | every token of the shorter name in the other (JW ≥ 0.92), one exactly: mononyms, given-only records, a second given or family name |
    /// | initials | as subset, with initials standing for names ("J. Smith" / "John Smith") |
    /// | same family, other given (veto) | a relative: family agrees, given names clearly differ |
    /// | a token shared | e.g. the same given name, another family name |
    /// | else (veto) | nothing in common |
    ///
    /// ```
    /// use sameas::{Comparison, LevelRule};
    /// let c = Comparison::person_name("name", &["given_name", "family_name"]);
    /// assert_eq!((c.field.as_str(), c.fields.as_slice()), ("given_name", &["family_name".to_string()][..]));
    /// assert_eq!(c.label(1), "same name");
    /// assert!(c.is_person_name() && c.term_frequency);
    /// assert!(c.reads("family_name"));
    /// ```
    pub fn person_name(name: &str, fields: &[&str]) -> Comparison {
        let (first, rest) = fields.split_first().map_or(("", &[][..]), |(f, r)| (*f, r));
        Comparison {
            name: name.to_string(),
            field: first.to_string(),
            fields: rest.iter().map(|f| f.to_string()).collect(),
            levels: vec![
                level("same name", LevelRule::Exact),
                level("same tokens, other order", LevelRule::TokensReordered),
                level("variant or nickname", LevelRule::Nickname),
                level(
                    "tokens Jaro-Winkler >= 0.92",
                    LevelRule::JaroWinkler { threshold: 0.92 },
                ),
                level(
                    "tokens Jaro-Winkler >= 0.85",
                    LevelRule::JaroWinkler { threshold: 0.85 },
                ),
                level("subset", LevelRule::TokensSubset { threshold: 0.92 }),
                level("initials", LevelRule::Initials),
                level("same family, other given", LevelRule::SameFamilyOtherGiven).vetoing(),
                level("a token shared", LevelRule::SharedToken),
                other().vetoing(),
            ],
            term_frequency: true,
        }
    }

    /// Default comparisons for every field of `schema` worth comparing (country and
    /// category fields are skipped: they rarely tell people apart), at most
    /// [`super::MAX_COMPARISONS`]. A full-name field is compared (as one
    /// [`Comparison::person_name`]) only when there is no given or family field: it
    /// would repeat them. Given and family names stay two comparisons, because
    /// training weighs them differently: a household shares the family name, only a
    /// person has the given name (see [`crate::model::HouseholdTerm`]).
    /// `Comparison::person_name` over all name fields is there for configurations
    /// that want one name comparison.
    pub fn defaults_for(schema: &Schema) -> Vec<Comparison> {
        let has = |kind: FieldKind| schema.fields().iter().any(|f| f.kind == kind);
        // A full name repeats the given and family fields when they exist: comparing
        // it too would count one fact twice (see DESIGN.md, "one fact, one
        // comparison").
        let split_names = has(FieldKind::GivenName) || has(FieldKind::FamilyName);
        schema
            .fields()
            .iter()
            .filter(|f| !matches!(f.kind, FieldKind::Country | FieldKind::Category))
            .filter(|f| !(split_names && f.kind == FieldKind::FullName))
            .take(super::MAX_COMPARISONS)
            .map(|f| Comparison::for_kind(&f.name, f.kind))
            .collect()
    }
}
