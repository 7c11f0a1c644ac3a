//! Nickname → canonical given name table.

use super::name::normalize_name;
use crate::hash::hash_str;

/// Nickname → canonical given name table; users can extend it.
///
/// Keys and values are stored normalized with [`normalize_name`], sorted by key, so the
/// table's order never depends on insertion order. A lookup is a binary search over
/// the nicknames' hashes (integers, not strings: every given name of every record is
/// looked up) and one string comparison.
///
/// ```
/// use sameas::normalize::{normalize_name, NicknameTable};
/// let mut table = NicknameTable::builtin();
/// assert_eq!(table.canonical("bob"), Some("robert"));
/// assert_eq!(table.canonical(&normalize_name("Saša")), Some("aleksandar"));
/// table.insert("Jojo", "Johanna");
/// assert_eq!(table.canonical("jojo"), Some("johanna"));
/// ```
#[derive(Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(from = "Vec<(String, String)>", into = "Vec<(String, String)>")
)]
pub struct NicknameTable {
    /// Sorted by nickname, nicknames unique.
    entries: Vec<(String, String)>,
    /// `(hash of the nickname, its index in entries)`, sorted: found from `entries`
    /// alone, so equal tables have equal indexes.
    by_hash: Vec<(u64, u32)>,
}

impl std::fmt::Debug for NicknameTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NicknameTable")
            .field("entries", &self.entries)
            .finish()
    }
}

impl NicknameTable {
    /// The built-in multilingual table.
    ///
    /// English (Bob → Robert, Bill → William, Liz → Elizabeth …), Serbian/Croatian
    /// (Saša → Aleksandar, Mika → Milan …), Romanian (Ionuț → Ion, Gică → Gheorghe …)
    /// and well-known Indonesian short forms (Yanti → Suryanti is *not* here: only
    /// forms with one obvious full name are).
    pub fn builtin() -> Self {
        let mut entries: Vec<(String, String)> = BUILTIN
            .iter()
            .map(|(n, c)| (normalize_name(n), normalize_name(c)))
            .filter(|(n, c)| !n.is_empty() && !c.is_empty() && n != c)
            .collect();
        entries.sort();
        // Keep the first canonical name of a duplicated nickname (deterministic: sorted).
        entries.dedup_by(|later, first| later.0 == first.0);
        NicknameTable::with_entries(entries)
    }

    /// The table of `entries` (sorted by nickname, nicknames unique), indexed.
    fn with_entries(entries: Vec<(String, String)>) -> Self {
        let mut by_hash: Vec<(u64, u32)> = entries
            .iter()
            .enumerate()
            .map(|(i, (n, _))| (hash_str(n), i as u32))
            .collect();
        by_hash.sort_unstable();
        NicknameTable { entries, by_hash }
    }

    /// Adds `nickname → canonical` (both normalized with [`normalize_name`]).
    ///
    /// An existing entry for the same nickname is replaced; blank values are ignored.
    pub fn insert(&mut self, nickname: &str, canonical: &str) {
        let nickname = normalize_name(nickname);
        let canonical = normalize_name(canonical);
        if nickname.is_empty() || canonical.is_empty() {
            return;
        }
        match self
            .entries
            .binary_search_by(|(n, _)| n.as_str().cmp(&nickname))
        {
            Ok(i) => {
                if let Some(entry) = self.entries.get_mut(i) {
                    entry.1 = canonical;
                }
            }
            Err(i) => {
                // Entries from `i` on move one place up.
                for (_, at) in &mut self.by_hash {
                    if *at as usize >= i {
                        *at += 1;
                    }
                }
                let key = (hash_str(&nickname), i as u32);
                let place = self.by_hash.partition_point(|&k| k < key);
                self.by_hash.insert(place, key);
                self.entries.insert(i, (nickname, canonical));
            }
        }
    }

    /// The canonical name for a normalized `name`, or `None` if it is not a nickname.
    pub fn canonical(&self, name: &str) -> Option<&str> {
        let hash = hash_str(name);
        let first = self.by_hash.partition_point(|&(h, _)| h < hash);
        self.by_hash
            .get(first..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&(h, _)| h == hash)
            .filter_map(|&(_, i)| self.entries.get(i as usize))
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.as_str())
    }

    /// `name`'s canonical form: the table's entry, or `name` itself.
    pub fn resolve<'a>(&'a self, name: &'a str) -> &'a str {
        self.canonical(name).unwrap_or(name)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries `(nickname, canonical)`, sorted by nickname.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(n, c)| (n.as_str(), c.as_str()))
    }
}

impl From<Vec<(String, String)>> for NicknameTable {
    /// Builds a table from pairs, normalizing both sides (later pairs override earlier).
    ///
    /// One sort, not one insertion per pair: loading n pairs costs O(n log n).
    fn from(pairs: Vec<(String, String)>) -> Self {
        let mut entries: Vec<(String, String)> = pairs
            .into_iter()
            .rev()
            .map(|(n, c)| (normalize_name(&n), normalize_name(&c)))
            .filter(|(n, c)| !n.is_empty() && !c.is_empty())
            .collect();
        // Stable: among equal nicknames the latest pair (first after `rev`) stays first.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, first| later.0 == first.0);
        NicknameTable::with_entries(entries)
    }
}

impl From<NicknameTable> for Vec<(String, String)> {
    fn from(table: NicknameTable) -> Self {
        table.entries
    }
}

/// `(nickname, canonical)`, written naturally; normalized when the table is built.
const BUILTIN: &[(&str, &str)] = &[
    // English
    ("abby", "abigail"),
    ("al", "albert"),
    ("alex", "alexander"),
    ("andy", "andrew"),
    ("drew", "andrew"),
    ("tony", "anthony"),
    ("barb", "barbara"),
    ("ben", "benjamin"),
    ("benny", "benjamin"),
    ("betty", "elizabeth"),
    ("beth", "elizabeth"),
    ("liz", "elizabeth"),
    ("lizzie", "elizabeth"),
    ("eliza", "elizabeth"),
    ("bess", "elizabeth"),
    ("bob", "robert"),
    ("bobby", "robert"),
    ("rob", "robert"),
    ("robbie", "robert"),
    ("bert", "robert"),
    ("bill", "william"),
    ("billy", "william"),
    ("will", "william"),
    ("willy", "william"),
    ("cathy", "catherine"),
    ("kate", "catherine"),
    ("katie", "catherine"),
    ("kathy", "katherine"),
    ("chris", "christopher"),
    ("chuck", "charles"),
    ("charlie", "charles"),
    ("dan", "daniel"),
    ("danny", "daniel"),
    ("dave", "david"),
    ("davy", "david"),
    ("deb", "deborah"),
    ("debbie", "deborah"),
    ("dick", "richard"),
    ("rick", "richard"),
    ("ricky", "richard"),
    ("rich", "richard"),
    ("don", "donald"),
    ("ed", "edward"),
    ("eddie", "edward"),
    ("ted", "edward"),
    ("frank", "francis"),
    ("fred", "frederick"),
    ("freddie", "frederick"),
    ("gabe", "gabriel"),
    ("greg", "gregory"),
    ("hank", "henry"),
    ("harry", "henry"),
    ("jack", "john"),
    ("johnny", "john"),
    ("jake", "jacob"),
    ("jim", "james"),
    ("jimmy", "james"),
    ("jamie", "james"),
    ("jen", "jennifer"),
    ("jenny", "jennifer"),
    ("jeff", "jeffrey"),
    ("jerry", "gerald"),
    ("jess", "jessica"),
    ("joe", "joseph"),
    ("joey", "joseph"),
    ("jon", "jonathan"),
    ("josh", "joshua"),
    ("judy", "judith"),
    ("ken", "kenneth"),
    ("kenny", "kenneth"),
    ("larry", "lawrence"),
    ("len", "leonard"),
    ("lenny", "leonard"),
    ("maggie", "margaret"),
    ("meg", "margaret"),
    ("peggy", "margaret"),
    ("matt", "matthew"),
    ("mike", "michael"),
    ("mikey", "michael"),
    ("mick", "michael"),
    ("nate", "nathaniel"),
    ("nick", "nicholas"),
    ("pam", "pamela"),
    ("pat", "patricia"),
    ("patty", "patricia"),
    ("pete", "peter"),
    ("phil", "philip"),
    ("ron", "ronald"),
    ("ronnie", "ronald"),
    ("sam", "samuel"),
    ("sammy", "samuel"),
    ("sandy", "sandra"),
    ("steve", "stephen"),
    ("stevie", "stephen"),
    ("sue", "susan"),
    ("susie", "susan"),
    ("tim", "timothy"),
    ("timmy", "timothy"),
    ("tom", "thomas"),
    ("tommy", "thomas"),
    ("vicky", "victoria"),
    ("vince", "vincent"),
    ("walt", "walter"),
    ("zach", "zachary"),
    // Serbian / Croatian
    ("saša", "aleksandar"),
    ("aca", "aleksandar"),
    ("sale", "aleksandar"),
    ("gaga", "dragana"),
    ("ceca", "svetlana"),
    ("sloba", "slobodan"),
    ("neša", "nenad"),
    ("đole", "đorđe"),
    ("mica", "milica"),
    ("jeca", "jelena"),
    ("maca", "marija"),
    ("voja", "vojislav"),
    ("steva", "stevan"),
    ("peđa", "predrag"),
    ("vlada", "vladimir"),
    ("zoki", "zoran"),
    ("dule", "dušan"),
    ("žika", "živorad"),
    // Romanian
    ("ionuț", "ion"),
    ("ionel", "ion"),
    ("nelu", "ion"),
    ("gică", "gheorghe"),
    ("gigi", "gheorghe"),
    ("ghiță", "gheorghe"),
    ("costel", "constantin"),
    ("costică", "constantin"),
    ("dinu", "constantin"),
    ("mitică", "dumitru"),
    ("mitu", "dumitru"),
    ("vasilică", "vasile"),
    ("sandu", "alexandru"),
    ("lenuța", "elena"),
    ("ilenuța", "ileana"),
    ("marioara", "maria"),
    ("mărioara", "maria"),
    ("nicu", "nicolae"),
    ("nicușor", "nicolae"),
    ("petrică", "petru"),
    ("ionică", "ion"),
    ("fănel", "ștefan"),
    ("fane", "ștefan"),
    ("mihăiță", "mihai"),
    ("cristi", "cristian"),
    ("dănuț", "daniel"),
    // Indonesian (well-known short forms with one obvious full name)
    ("mohammad", "muhammad"),
    ("mohamad", "muhammad"),
    ("muhamad", "muhammad"),
    ("mochammad", "muhammad"),
    ("moch", "muhammad"),
    ("moh", "muhammad"),
    ("muh", "muhammad"),
    ("mhd", "muhammad"),
    ("abd", "abdul"),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 15 item 8: loading a table was one sorted insertion per pair (O(n²)
    /// moves); now one sort. Same result as inserting one by one, later pairs win.
    #[test]
    fn loading_pairs_matches_inserting_them_and_scales() {
        let pairs: Vec<(String, String)> = (0..2_000u32)
            .map(|i| (format!("Nick{}", (i * 7919) % 1000), format!("Full{i}")))
            .chain([("  ".into(), "x".into()), ("Bob".into(), "Robert".into())])
            .collect();
        let mut inserted = NicknameTable::default();
        for (n, c) in &pairs {
            inserted.insert(n, c);
        }
        let loaded = NicknameTable::from(pairs);
        assert_eq!(loaded, inserted);
        assert_eq!(loaded.len(), 1001);
        assert_eq!(loaded.canonical("bob"), Some("robert"));
        // A table of 200,000 pairs given in descending order (the worst case of
        // sorted insertion: every insert shifted the whole table) loads at once.
        let big: Vec<(String, String)> = (0..200_000u32)
            .rev()
            .map(|i| (format!("n{i:06}"), "c".to_string()))
            .collect();
        let big = NicknameTable::from(big);
        assert_eq!(big.len(), 200_000);
        assert_eq!(big.canonical("n000000"), Some("c"));
    }
}
