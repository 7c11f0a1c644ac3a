//! What the generator did to each record and how its people are related: the ground
//! truth behind a per-phenomenon accuracy table (which kinds of variation a matcher
//! misses, which relatives it merges).

/// One way a generated record departs from its person's plain data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phenomenon {
    /// A nickname or short form instead of the given name (Bob, Sanja, Mitsos).
    Nickname,
    /// An honorific before the name (Mr, gđa, Dna., Bapak).
    Honorific,
    /// An Indonesian professional or academic title written in (Ir., S.E.).
    Title,
    /// The name written in another script or spelling of its language (Cyrillic,
    /// Greek in Latin letters, ş for ș, ae for ä, ASCII only).
    OtherScript,
    /// An Indonesian name in the old spelling (oe for u, dj for j).
    OldSpelling,
    /// A keyboard slip in the given or family name.
    NameTypo,
    /// Given and family name typed into each other's field.
    NamesSwapped,
    /// The whole name typed into the given-name field.
    FullNameInGiven,
    /// A one-name person whose form repeats the name as the family name.
    MononymRepeated,
    /// Day and month of the birth date swapped.
    DobSwapped,
    /// One wrong digit in the birth date.
    DobTypo,
    /// An e-mail written another way (case, gmail dots, +tag, googlemail).
    EmailVariant,
    /// A record after its person changed e-mail.
    NewEmail,
    /// A record after its person changed mobile number.
    NewPhone,
    /// A record after its person moved house.
    Moved,
}

impl Phenomenon {
    /// Every phenomenon, in declaration order.
    pub const ALL: [Phenomenon; 15] = [
        Phenomenon::Nickname,
        Phenomenon::Honorific,
        Phenomenon::Title,
        Phenomenon::OtherScript,
        Phenomenon::OldSpelling,
        Phenomenon::NameTypo,
        Phenomenon::NamesSwapped,
        Phenomenon::FullNameInGiven,
        Phenomenon::MononymRepeated,
        Phenomenon::DobSwapped,
        Phenomenon::DobTypo,
        Phenomenon::EmailVariant,
        Phenomenon::NewEmail,
        Phenomenon::NewPhone,
        Phenomenon::Moved,
    ];

    /// A short label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Phenomenon::Nickname => "nickname",
            Phenomenon::Honorific => "honorific",
            Phenomenon::Title => "Indonesian title",
            Phenomenon::OtherScript => "other script or spelling",
            Phenomenon::OldSpelling => "old Indonesian spelling",
            Phenomenon::NameTypo => "typo in a name",
            Phenomenon::NamesSwapped => "given and family swapped",
            Phenomenon::FullNameInGiven => "whole name in the given field",
            Phenomenon::MononymRepeated => "one name repeated as family",
            Phenomenon::DobSwapped => "birth date day/month swapped",
            Phenomenon::DobTypo => "birth date digit wrong",
            Phenomenon::EmailVariant => "e-mail written another way",
            Phenomenon::NewEmail => "after an e-mail change",
            Phenomenon::NewPhone => "after a phone change",
            Phenomenon::Moved => "after a move",
        }
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// The phenomena of one record (a small set).
///
/// ```
/// use sameas_synth::{Phenomena, Phenomenon};
/// let mut p = Phenomena::default();
/// p.insert(Phenomenon::Nickname);
/// assert!(p.contains(Phenomenon::Nickname) && !p.contains(Phenomenon::Moved));
/// assert_eq!(p.iter().collect::<Vec<_>>(), [Phenomenon::Nickname]);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Phenomena(u32);

impl Phenomena {
    /// Adds `p`.
    pub fn insert(&mut self, p: Phenomenon) {
        self.0 |= p.bit();
    }

    /// Adds `p` when `yes`.
    pub(crate) fn insert_if(&mut self, yes: bool, p: Phenomenon) {
        if yes {
            self.insert(p);
        }
    }

    /// Whether `p` is in the set.
    pub fn contains(self, p: Phenomenon) -> bool {
        self.0 & p.bit() != 0
    }

    /// The phenomena in the set, in [`Phenomenon::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Phenomenon> {
        Phenomenon::ALL
            .into_iter()
            .filter(move |&p| self.contains(p))
    }
}

/// Facts about one generated person (indexed by entity id, as in
/// [`SynthData::truth`](crate::SynthData::truth)): whom a matcher must keep apart.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PersonFacts {
    /// The household: the entity id of its first member (the person's own id when
    /// living alone). Members share an address and a landline, and mostly the family
    /// name.
    pub household: u64,
    /// One of the two twins of a household (same birth date, other given names).
    pub twin: bool,
    /// The person's name as written plainly ("given family", locale spelling): two
    /// people with the same are namesakes.
    pub name: String,
}

/// How two records of different people are related.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relation {
    /// Members of one household (shared family name, address, landline), not twins.
    Household,
    /// The twins of a household (also the same birth date).
    Twins,
    /// Strangers with the same plain name (another household).
    Namesakes,
}

impl Relation {
    /// Every relation, in declaration order.
    pub const ALL: [Relation; 3] = [Relation::Household, Relation::Twins, Relation::Namesakes];

    /// A short label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Relation::Household => "same household",
            Relation::Twins => "twins",
            Relation::Namesakes => "namesakes (same name, other household)",
        }
    }
}

/// How well a resolution kept the pairs of one phenomenon together, or the pairs of
/// one relation apart (see [`SynthData::by_phenomenon`](crate::SynthData::by_phenomenon),
/// [`SynthData::by_relation`](crate::SynthData::by_relation)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairTally {
    /// Records concerned (with the phenomenon; of people in the relation).
    pub records: usize,
    /// Pairs concerned: true pairs touching the phenomenon, or pairs of two people in
    /// the relation.
    pub pairs: usize,
    /// Of those pairs, how many the resolution put in one profile.
    pub together: usize,
}

impl PairTally {
    /// `together / pairs` (0 without pairs).
    pub fn share_together(&self) -> f64 {
        if self.pairs == 0 {
            0.0
        } else {
            self.together as f64 / self.pairs as f64
        }
    }
}

impl crate::SynthData {
    /// Recall per phenomenon of a resolution that put record `i` in profile
    /// `profile_of[i]` (same order as [`SynthData::records`](crate::SynthData::records)):
    /// among the true pairs (two records of one person) where either record has the
    /// phenomenon, how many share a profile. The first entry (`None`) is every true
    /// pair.
    ///
    /// Profiles are compared with `==`: two records both given `None` (say, not
    /// placed) count as together.
    ///
    /// # Panics
    /// When `profile_of` is not one entry per record.
    pub fn by_phenomenon<T: PartialEq>(
        &self,
        profile_of: &[T],
    ) -> Vec<(Option<Phenomenon>, PairTally)> {
        assert_eq!(
            profile_of.len(),
            self.records.len(),
            "one profile per record"
        );
        let mut rows: Vec<(Option<Phenomenon>, PairTally)> = std::iter::once(None)
            .chain(Phenomenon::ALL.into_iter().map(Some))
            .map(|p| {
                (
                    p,
                    PairTally {
                        records: 0,
                        pairs: 0,
                        together: 0,
                    },
                )
            })
            .collect();
        for &tags in &self.phenomena {
            for p in tags.iter() {
                rows[p as usize + 1].1.records += 1;
            }
        }
        rows[0].1.records = self.records.len();
        for group in self.groups(|i| Some(self.truth[i])) {
            for (x, &i) in group.iter().enumerate() {
                for &j in &group[x + 1..] {
                    let together = profile_of[i] == profile_of[j];
                    let either = Phenomena(self.phenomena[i].0 | self.phenomena[j].0);
                    for (p, tally) in rows.iter_mut() {
                        if p.map_or(true, |p| either.contains(p)) {
                            tally.pairs += 1;
                            tally.together += usize::from(together);
                        }
                    }
                }
            }
        }
        rows
    }

    /// Wrong joins per relation of a resolution that put record `i` in profile
    /// `profile_of[i]`: among the pairs of records of two related people, how many
    /// share a profile (each should be 0).
    ///
    /// # Panics
    /// When `profile_of` is not one entry per record.
    pub fn by_relation<T: PartialEq>(&self, profile_of: &[T]) -> Vec<(Relation, PairTally)> {
        assert_eq!(
            profile_of.len(),
            self.records.len(),
            "one profile per record"
        );
        let person = |i: usize| self.people.get(self.truth[i] as usize);
        Relation::ALL
            .into_iter()
            .map(|relation| {
                let key = |i: usize| {
                    let p = person(i)?;
                    Some(match relation {
                        Relation::Household | Relation::Twins => (p.household, ""),
                        Relation::Namesakes => (0, p.name.as_str()),
                    })
                };
                let mut tally = PairTally {
                    records: 0,
                    pairs: 0,
                    together: 0,
                };
                let mut counted = vec![false; self.records.len()];
                for group in self.groups(key) {
                    for (x, &i) in group.iter().enumerate() {
                        for &j in &group[x + 1..] {
                            let (Some(a), Some(b)) = (person(i), person(j)) else {
                                continue;
                            };
                            let related = self.truth[i] != self.truth[j]
                                && match relation {
                                    Relation::Household => !(a.twin && b.twin),
                                    Relation::Twins => a.twin && b.twin,
                                    Relation::Namesakes => a.household != b.household,
                                };
                            if related {
                                tally.pairs += 1;
                                tally.together += usize::from(profile_of[i] == profile_of[j]);
                                counted[i] = true;
                                counted[j] = true;
                            }
                        }
                    }
                }
                tally.records = counted.iter().filter(|&&c| c).count();
                (relation, tally)
            })
            .collect()
    }

    /// Record indices grouped by `key` (records without a key left out), groups of two
    /// or more, in order of their smallest index.
    fn groups<K: Ord>(&self, key: impl Fn(usize) -> Option<K>) -> Vec<Vec<usize>> {
        let mut keyed: Vec<(K, usize)> = (0..self.records.len())
            .filter_map(|i| Some((key(i)?, i)))
            .collect();
        keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut start = 0;
        while start < keyed.len() {
            let end = start
                + keyed[start..]
                    .iter()
                    .take_while(|k| k.0 == keyed[start].0)
                    .count();
            if end - start > 1 {
                groups.push(keyed[start..end].iter().map(|&(_, i)| i).collect());
            }
            start = end;
        }
        groups.sort_unstable_by_key(|g| g[0]);
        groups
    }
}
