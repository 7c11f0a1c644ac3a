//! Blocking key functions: what two records must share to be compared.

use crate::hash::hash_str;
use crate::similarity::double_metaphone_primary_hash;

/// One key function over one field. Several in a [`super::BlockingRule`] form a
/// conjunction (all must agree).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "key", rename_all = "snake_case"))]
pub enum BlockingKey {
    /// The whole normalized value.
    Exact {
        /// Field name (`"name.given"` / `"name.family"` for parts of a full name).
        field: String,
    },
    /// The first `chars` characters of the normalized value.
    Prefix {
        /// Field name.
        field: String,
        /// Prefix length in characters (≥ 1).
        chars: u8,
    },
    /// The Double Metaphone code of the normalized value.
    Phonetic {
        /// Field name.
        field: String,
    },
    /// The year of a date field.
    Year {
        /// Field name.
        field: String,
    },
    /// An email's local part (before `@`).
    EmailLocalPart {
        /// Field name.
        field: String,
    },
    /// An email's domain.
    EmailDomain {
        /// Field name.
        field: String,
    },
    /// The last `digits` characters of a phone number.
    LastDigits {
        /// Field name.
        field: String,
        /// How many trailing digits (≥ 1).
        digits: u8,
    },
    /// The first token (word) of the normalized value.
    FirstToken {
        /// Field name.
        field: String,
    },
    /// The normalized value without its one-letter words (`alan b` → `alan`): a
    /// middle initial typed or left out keeps the key. A value of initials only
    /// keeps them.
    WithoutInitials {
        /// Field name.
        field: String,
    },
    /// The first word of the normalized value that is not a one-letter word
    /// (`j brett philip` → `brett`): a second given name or a middle initial,
    /// written out, abbreviated or left out, keeps the key. A value of initials only
    /// keeps its first.
    FirstWholeWord {
        /// Field name.
        field: String,
    },
}

/// The `field` of any key, by reference or mutably (as the key is borrowed).
macro_rules! field_of {
    ($key:expr) => {
        match $key {
            BlockingKey::Exact { field }
            | BlockingKey::Prefix { field, .. }
            | BlockingKey::Phonetic { field }
            | BlockingKey::Year { field }
            | BlockingKey::EmailLocalPart { field }
            | BlockingKey::EmailDomain { field }
            | BlockingKey::LastDigits { field, .. }
            | BlockingKey::FirstToken { field }
            | BlockingKey::WithoutInitials { field }
            | BlockingKey::FirstWholeWord { field } => field,
        }
    };
}

impl BlockingKey {
    /// The field this key reads.
    pub fn field(&self) -> &str {
        field_of!(self)
    }

    /// Whether `other` computes its key the same way (same kind and parameters),
    /// whatever field it reads.
    pub(crate) fn same_kind(&self, other: &BlockingKey) -> bool {
        let mut other = other.clone();
        other.set_field(self.field());
        *self == other
    }

    fn set_field(&mut self, name: &str) {
        *field_of!(self) = name.to_string();
    }

    /// Short description for reports, e.g. `prefix(family_name, 3)`.
    pub fn describe(&self) -> String {
        match self {
            BlockingKey::Exact { field } => field.clone(),
            BlockingKey::Prefix { field, chars } => format!("prefix({field}, {chars})"),
            BlockingKey::Phonetic { field } => format!("phonetic({field})"),
            BlockingKey::Year { field } => format!("year({field})"),
            BlockingKey::EmailLocalPart { field } => format!("local_part({field})"),
            BlockingKey::EmailDomain { field } => format!("domain({field})"),
            BlockingKey::LastDigits { field, digits } => format!("last_digits({field}, {digits})"),
            BlockingKey::FirstToken { field } => format!("first_token({field})"),
            BlockingKey::WithoutInitials { field } => format!("without_initials({field})"),
            BlockingKey::FirstWholeWord { field } => format!("first_whole_word({field})"),
        }
    }

    /// The key hash of one normalized value, or `None` when it yields no key (e.g. a
    /// phone shorter than the digits asked for). Dates arrive as `yyyymmdd`.
    pub(crate) fn key_of(&self, value: &str) -> Option<u64> {
        let key: &str = match self {
            BlockingKey::Exact { .. } => value,
            BlockingKey::Prefix { chars, .. } => {
                let end = value
                    .char_indices()
                    .nth(*chars as usize)
                    .map(|(i, _)| i)
                    .unwrap_or(value.len());
                &value[..end]
            }
            BlockingKey::Phonetic { .. } => return metaphone_hash(value).map(|(h, _)| h),
            BlockingKey::Year { .. } => value.get(..4)?,
            BlockingKey::EmailLocalPart { .. } => value.split_once('@')?.0,
            BlockingKey::EmailDomain { .. } => value.split_once('@')?.1,
            BlockingKey::LastDigits { digits, .. } => {
                let n = *digits as usize;
                let start = value.len().checked_sub(n)?;
                value
                    .get(start..)
                    .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))?
            }
            BlockingKey::FirstToken { .. } => value.split(' ').next()?,
            BlockingKey::FirstWholeWord { .. } => {
                let mut words = value.split(' ');
                let first = words.clone().next()?;
                words.find(|w| !is_initial(w)).unwrap_or(first)
            }
            BlockingKey::WithoutInitials { .. } => {
                if !value.split(' ').any(is_initial) || value.split(' ').all(is_initial) {
                    value
                } else {
                    // Whole words joined by ASCII spaces: still UTF-8.
                    let mut key: smallvec::SmallVec<[u8; 64]> = smallvec::SmallVec::new();
                    for w in value.split(' ').filter(|w| !is_initial(w)) {
                        if !key.is_empty() {
                            key.push(b' ');
                        }
                        key.extend_from_slice(w.as_bytes());
                    }
                    return std::str::from_utf8(&key).ok().map(hash_str);
                }
            }
        };
        (!key.is_empty()).then(|| hash_str(key))
    }
}

/// A one-letter word (`j`), as a name's initial is normalized.
fn is_initial(word: &str) -> bool {
    word.chars().nth(1).is_none()
}

/// The hash of the primary Double Metaphone code of a normalized value and the
/// code's length in characters, `None` when it has none: the phonetic blocking key, and
/// (as a `u32`, when long enough) what a comparison's
/// [`LevelRule::Phonetic`](crate::compare::LevelRule::Phonetic) level compares. A
/// record's preparation computes it once for both (`FieldValues::metaphone`).
pub(crate) fn metaphone_hash(value: &str) -> Option<(u64, u8)> {
    double_metaphone_primary_hash(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(key: BlockingKey, v: &str) -> Option<u64> {
        key.key_of(v)
    }

    /// The phonetic blocking key keeps short codes (`JN`), which no longer count as
    /// agreement at a phonetic comparison level: names a syllable apart still meet in
    /// a block, to be compared there.
    #[test]
    fn phonetic_keys_keep_short_codes() {
        let key = |v: &str| k(BlockingKey::Phonetic { field: "f".into() }, v);
        assert!(key("jin").is_some());
        assert_eq!(key("jin"), key("jianhua"));
        assert_eq!(key("lee"), key("li"));
        assert_ne!(key("jin"), key("lee"));
    }

    #[test]
    fn initials_are_left_out_of_the_key_unless_they_are_all_there_is() {
        let key = |v: &str| k(BlockingKey::WithoutInitials { field: "f".into() }, v);
        assert_eq!(key("alan b"), Some(hash_str("alan")));
        assert_eq!(key("j alan b"), Some(hash_str("alan")));
        assert_eq!(key("alan bernard"), Some(hash_str("alan bernard")));
        assert_eq!(key("j k"), Some(hash_str("j k")));
        assert_eq!(key(""), None);
    }

    #[test]
    fn the_first_whole_word_skips_initials_and_keeps_one_when_that_is_all() {
        let key = |v: &str| k(BlockingKey::FirstWholeWord { field: "f".into() }, v);
        assert_eq!(key("brett philip"), Some(hash_str("brett")));
        assert_eq!(key("brett p"), Some(hash_str("brett")));
        assert_eq!(key("j brett"), Some(hash_str("brett")));
        assert_eq!(key("brett"), Some(hash_str("brett")));
        assert_eq!(key("j k"), Some(hash_str("j")));
        assert_eq!(key(""), None);
    }

    #[test]
    fn keys_of_one_kind_differ_only_in_their_field() {
        let phonetic = |f: &str| BlockingKey::Phonetic { field: f.into() };
        let prefix = |f: &str, chars| BlockingKey::Prefix {
            field: f.into(),
            chars,
        };
        assert!(phonetic("a").same_kind(&phonetic("b")));
        assert!(prefix("a", 2).same_kind(&prefix("b", 2)));
        assert!(!prefix("a", 2).same_kind(&prefix("b", 3)));
        let first = BlockingKey::FirstWholeWord { field: "a".into() };
        let without = BlockingKey::WithoutInitials { field: "b".into() };
        assert!(!first.same_kind(&without));
    }

    #[test]
    fn keys_read_the_right_part() {
        let f = || "f".to_string();
        assert_eq!(
            k(
                BlockingKey::Prefix {
                    field: f(),
                    chars: 3
                },
                "jovanovic"
            ),
            Some(hash_str("jov"))
        );
        assert_eq!(
            k(
                BlockingKey::Prefix {
                    field: f(),
                    chars: 3
                },
                "jo"
            ),
            Some(hash_str("jo"))
        );
        assert_eq!(
            k(
                BlockingKey::Prefix {
                    field: f(),
                    chars: 2
                },
                "čž"
            ),
            Some(hash_str("čž"))
        );
        assert_eq!(
            k(BlockingKey::Year { field: f() }, "19900304"),
            Some(hash_str("1990"))
        );
        assert_eq!(
            k(BlockingKey::EmailDomain { field: f() }, "a@x.com"),
            Some(hash_str("x.com"))
        );
        assert_eq!(
            k(BlockingKey::EmailLocalPart { field: f() }, "a@x.com"),
            Some(hash_str("a"))
        );
        assert_eq!(k(BlockingKey::EmailLocalPart { field: f() }, "nope"), None);
        assert_eq!(
            k(
                BlockingKey::LastDigits {
                    field: f(),
                    digits: 4
                },
                "+40721234567"
            ),
            Some(hash_str("4567"))
        );
        assert_eq!(
            k(
                BlockingKey::LastDigits {
                    field: f(),
                    digits: 40
                },
                "+4072"
            ),
            None
        );
        assert_eq!(
            k(BlockingKey::FirstToken { field: f() }, "jalan sudirman"),
            Some(hash_str("jalan"))
        );
        assert_eq!(k(BlockingKey::Exact { field: f() }, ""), None);
    }
}
