//! Turning a pair of prepared records into γ: the comparison inner loop.

use super::chars::with_units;
use super::comparison::Comparison;
use super::gamma::Gamma;
use super::level::LevelRule;
use super::name::name_level;
use super::prepare::{ComparisonSet, PreparedRecord, PreparedValue};
use crate::similarity::{
    absolute_difference, damerau_osa_within, days_between, jaccard_sorted, jaro_winkler,
    levenshtein_within, relative_difference,
};

impl ComparisonSet {
    /// The comparison vector of two prepared records. Allocation-free.
    ///
    /// Each comparison takes the best (most similar) level over all pairs of values;
    /// a comparison with no value on either side is at level 0 (null).
    ///
    /// Given and family names typed into each other's field count as if typed right:
    /// when the two name comparisons do not both agree, they are also read crosswise
    /// (each record's given name against the other's family name and the other way
    /// round, the values of either record taken as swapped), and the reading with more
    /// agreeing names wins ("POPESCU | Ion" against "Ion | Popescu", also with a typo,
    /// or with one of the two names missing: "Jovanaric | —" against "Zlatinka |
    /// Jovanaric").
    pub fn gamma(&self, a: &PreparedRecord, b: &PreparedRecord) -> Gamma {
        let mut g = Gamma(0);
        for (c, comparison) in self.comparisons().iter().enumerate() {
            let level = self.level_alone(c, comparison, a, b);
            g = g.with_level(c, level);
        }
        self.one_name_once(self.with_swapped_names(g, a, b), a, b)
    }

    /// γ of the comparisons other than `skip`, each read from its own values as typed
    /// (no swapped name reading; `skip` stays null). For samples that need a few
    /// comparisons' levels, not the full γ that scores a pair. Between two one-name
    /// people ("Purisa | Purisa") both name levels stay null: each of their names
    /// repeats the other, so neither says anything beside the other (as
    /// [`ComparisonSet::gamma`] counts such a name once).
    pub(crate) fn gamma_as_typed(
        &self,
        a: &PreparedRecord,
        b: &PreparedRecord,
        skip: usize,
    ) -> Gamma {
        let names_repeat = a.one_name && b.one_name;
        let is_name = |c: usize| self.swap.is_some_and(|(g, f)| c == g || c == f);
        let mut g = Gamma(0);
        for (c, comparison) in self.comparisons().iter().enumerate() {
            if c != skip && !(names_repeat && is_name(c)) {
                g = g.with_level(c, self.level_alone(c, comparison, a, b));
            }
        }
        g
    }

    /// `g` with the family-name level null when both records repeat their given name
    /// as their family name ("Purisa | Purisa": one-name people whose form asks for
    /// two names). The family-name level then follows from the given-name level and
    /// says nothing more; counted again it doubles the name's evidence, and namesakes
    /// sharing a one-word name look like one person. (When only one record repeats,
    /// the family names are two independent facts and both count.)
    fn one_name_once(&self, g: Gamma, a: &PreparedRecord, b: &PreparedRecord) -> Gamma {
        let Some((_, family)) = self.swap else {
            return g;
        };
        if a.one_name && b.one_name && g.level(family) != 0 {
            g.with_level(family, 0)
        } else {
            g
        }
    }

    /// `g` with the given- and family-name levels of the best of three readings: as
    /// typed, `b`'s names swapped, or `a`'s names swapped. A swapped reading replaces
    /// the typed one only when more of the two names agree in it (a level other than
    /// null or else) and none disagrees (else). Between the two swapped ones (which
    /// exchange roles when `a` and `b` do) the one with more agreeing and fewer
    /// disagreeing names wins, a tie going to the weaker given-name level, then to the
    /// lower levels, so γ stays symmetric.
    fn with_swapped_names(&self, g: Gamma, a: &PreparedRecord, b: &PreparedRecord) -> Gamma {
        let Some((given, family)) = self.swap else {
            return g;
        };
        let comparisons = self.comparisons();
        let (cg, cf) = (&comparisons[given], &comparisons[family]);
        let is_else = |c: &Comparison, l: u8| l as usize == c.level_count() - 1;
        let agrees = |c: &Comparison, l: u8| l != 0 && !is_else(c, l);
        // (agreeing names, names that disagree)
        let rank = |(lg, lf): (u8, u8)| {
            let both = [(cg, lg), (cf, lf)];
            let count = |f: &dyn Fn(&Comparison, u8) -> bool| {
                both.iter().filter(|&&(c, l)| f(c, l)).count() as u8
            };
            (count(&agrees), count(&is_else))
        };
        let typed = (g.level(given), g.level(family));
        if rank(typed).0 == 2 {
            return g;
        }
        // Only a reading with more agreeing names and none that disagrees may replace
        // the typed one: moving a name into an empty field must not hide a
        // disagreement, and one name shared crosswise ("Uwe | Martin" against "Martin
        // | Koch") is a coincidence of names that are both given and family names,
        // not a swap. A reading whose family name disagrees is out before its given
        // name (the comparison of more levels) is compared: in most pairs the names
        // differ whichever way they are read.
        let typed_agree = rank(typed).0;
        let reading = |given_of_a: usize, given_of_b: usize| {
            let cross = |c: &Comparison, x: usize, y: usize| {
                best_level(c, false, a, a.values(x), b, b.values(y))
            };
            let (family_of_a, family_of_b) =
                (given + family - given_of_a, given + family - given_of_b);
            let lf = cross(cf, family_of_a, family_of_b);
            if is_else(cf, lf) {
                return None;
            }
            let r = (cross(cg, given_of_a, given_of_b), lf);
            let (agree, disagree) = rank(r);
            (disagree == 0 && agree > typed_agree).then_some(r)
        };
        // The better swapped reading: more agreeing names; on a tie the one that asks
        // less of the given name (relatives share a family name, not a given name),
        // then the lower levels.
        let key = |r: (u8, u8)| (rank(r).0, rank((r.0, 0)).0 == 0, r.0);
        let best_swapped = match (reading(given, family), reading(family, given)) {
            (Some(b_swapped), Some(a_swapped)) => match key(b_swapped).cmp(&key(a_swapped)) {
                std::cmp::Ordering::Greater => b_swapped,
                std::cmp::Ordering::Less => a_swapped,
                std::cmp::Ordering::Equal => b_swapped.min(a_swapped),
            },
            (Some(r), None) | (None, Some(r)) => r,
            (None, None) => return g,
        };
        g.with_level(given, best_swapped.0)
            .with_level(family, best_swapped.1)
    }

    /// The level of comparison `c` alone (0 when `c` is out of range).
    pub fn level(&self, c: usize, a: &PreparedRecord, b: &PreparedRecord) -> u8 {
        if self.swap.is_some_and(|(g, f)| c == g || c == f) {
            return self.gamma(a, b).level(c);
        }
        self.comparisons()
            .get(c)
            .map(|comparison| self.level_alone(c, comparison, a, b))
            .unwrap_or(0)
    }

    /// The level of comparison `c` from its own values only (no cross-field checks).
    fn level_alone(
        &self,
        c: usize,
        comparison: &Comparison,
        a: &PreparedRecord,
        b: &PreparedRecord,
    ) -> u8 {
        if self.is_name(c) {
            name_best_level(comparison, a, a.values(c), b, b.values(c))
        } else {
            let dates = self.reads_dates[c];
            best_level(comparison, dates, a, a.values(c), b, b.values(c))
        }
    }
}

/// A person-name comparison: one name value per record (null when either has none).
fn name_best_level(
    c: &Comparison,
    ra: &PreparedRecord,
    va: &[PreparedValue],
    rb: &PreparedRecord,
    vb: &[PreparedValue],
) -> u8 {
    match (va.first(), vb.first()) {
        (Some(x), Some(y)) => name_level(c, ra, x, rb, y),
        _ => 0,
    }
}

fn best_level(
    c: &Comparison,
    reads_dates: bool,
    ra: &PreparedRecord,
    va: &[PreparedValue],
    rb: &PreparedRecord,
    vb: &[PreparedValue],
) -> u8 {
    let mut best = 0u8;
    // The level at which a value pair agreed only by repeating the name (see
    // `REPEATS_NAME`): such a pair says nothing, so it outranks every worse level.
    let mut repeats_name: Option<u8> = None;
    for x in va {
        for y in vb {
            let l = pair_level(c, reads_dates, ra, x, rb, y);
            if l & REPEATS_NAME != 0 {
                let at = l & !REPEATS_NAME;
                repeats_name = Some(repeats_name.map_or(at, |r| r.min(at)));
            } else if l != 0 && (best == 0 || l < best) {
                best = l;
                if best == 1 {
                    return 1;
                }
            }
        }
    }
    match repeats_name {
        // Null, unless another pair of values did better: an e-mail that repeats the
        // name next to a different second address is no evidence either way.
        Some(at) if best == 0 || best > at => 0,
        _ => best,
    }
}

/// Marks the level [`pair_level`] returns for a value pair whose only agreement is an
/// e-mail local part built from the name (`level | REPEATS_NAME`): it repeats the
/// name comparisons' evidence, so the comparison counts it as null.
const REPEATS_NAME: u8 = 0x80;

/// Level of one pair of values: the first level whose rule holds (1-based).
/// `reads_dates`: the comparison has date levels (see `ComparisonSet::reads_dates`).
fn pair_level(
    c: &Comparison,
    reads_dates: bool,
    ra: &PreparedRecord,
    x: &PreparedValue,
    rb: &PreparedRecord,
    y: &PreparedValue,
) -> u8 {
    // Jaro-Winkler is computed at most once per value pair, however many levels use it.
    let mut jw: Option<f64> = None;
    let mut local_jw: Option<f64> = None;
    for (i, level) in c.levels.iter().enumerate() {
        let holds = match level.rule {
            LevelRule::Exact => x.hash == y.hash,
            LevelRule::Nickname => x.alt_hash == y.alt_hash,
            LevelRule::JaroWinkler { threshold } => {
                *jw.get_or_insert_with(|| {
                    with_units!(ra.chars(x), rb.chars(y), |a, b| jaro_winkler(a, b))
                }) >= threshold
            }
            LevelRule::Levenshtein { max } => {
                with_units!(ra.chars(x), rb.chars(y), |a, b| within_edits(
                    a,
                    b,
                    max as usize,
                    levenshtein_within
                ))
            }
            LevelRule::Damerau { max } => {
                with_units!(ra.chars(x), rb.chars(y), |a, b| within_edits(
                    a,
                    b,
                    max as usize,
                    damerau_osa_within
                ))
            }
            LevelRule::Jaccard { threshold } => {
                jaccard_sorted(ra.tokens(x), rb.tokens(y)) >= threshold
            }
            // The comparison's one phonetic code (see `PreparedValue::phonetic`).
            LevelRule::Phonetic | LevelRule::Soundex | LevelRule::Nysiis => {
                x.phonetic != 0 && x.phonetic == y.phonetic
            }
            LevelRule::FirstToken => x.first_token == y.first_token,
            LevelRule::WordsWithInitials => {
                with_units!(ra.chars(x), rb.chars(y), |a, b| words_with_initials(a, b))
            }
            LevelRule::ShortForm => {
                with_units!(ra.chars(x), rb.chars(y), |a, b| short_form(a, b))
            }
            LevelRule::FirstInitial => {
                with_units!(ra.chars(x), rb.chars(y), |a, b| first_initial(a, b))
            }
            // A shared local part built from the name repeats the name: this value
            // pair says nothing (null), it is neither a match nor a mismatch.
            LevelRule::EmailLocalPart => {
                if x.alt_hash == y.alt_hash
                    && (x.local_part_from_name() || y.local_part_from_name())
                {
                    return (i as u8 + 1) | REPEATS_NAME;
                }
                x.alt_hash == y.alt_hash
            }
            LevelRule::EmailLocalJaroWinkler { threshold } => {
                *local_jw.get_or_insert_with(|| {
                    with_units!(ra.local_chars(x), rb.local_chars(y), |a, b| jaro_winkler(
                        a, b
                    ))
                }) >= threshold
            }
            LevelRule::LastDigits { digits } => {
                with_units!(ra.chars(x), rb.chars(y), |a, b| last_digits_agree(
                    a,
                    b,
                    digits as usize
                ))
            }
            LevelRule::DateSwapped => match (x.date(), y.date()) {
                (Some(a), Some(b)) => {
                    a.year == b.year && a.month == b.day && a.day == b.month && a.day != a.month
                }
                _ => false,
            },
            LevelRule::DateWithinDays { days } => match (x.date(), y.date()) {
                (Some(a), Some(b)) => days_between(a, b) <= days,
                _ => false,
            },
            LevelRule::DateEdits { max } => {
                with_units!(ra.chars(x), rb.chars(y), |a, b| damerau_osa_within(
                    a,
                    b,
                    max as usize
                ))
                .is_some()
            }
            LevelRule::OnePartDiffers => match (x.date(), y.date()) {
                (Some(a), Some(b)) => {
                    let same = [a.year == b.year, a.month == b.month, a.day == b.day];
                    same.iter().filter(|&&s| s).count() == 2
                }
                _ => false,
            },
            LevelRule::SameYear => {
                matches!((x.date(), y.date()), (Some(a), Some(b)) if a.year == b.year)
            }
            // `number` is NaN for a value that is not a finite number: never within.
            LevelRule::NumericAbsolute { max } => {
                let (a, b) = (ra.number(x), rb.number(y));
                a.is_finite() && b.is_finite() && absolute_difference(a, b) <= max
            }
            LevelRule::NumericRelative { max } => {
                let (a, b) = (ra.number(x), rb.number(y));
                a.is_finite() && b.is_finite() && relative_difference(a, b) <= max
            }
            // Person-name rules only hold in person-name comparisons (see `name`).
            LevelRule::TokensReordered
            | LevelRule::TokensSubset { .. }
            | LevelRule::Initials
            | LevelRule::SameFamilyOtherGiven
            | LevelRule::SharedToken => false,
            // An impossible date (kept for its digits, with no parsed date) is known
            // to be corrupt: unless it came close above, it says nothing.
            LevelRule::Else => {
                if reads_dates && (x.date().is_none() || y.date().is_none()) {
                    return 0;
                }
                true
            }
        };
        if holds {
            return (i + 1) as u8;
        }
    }
    c.else_level()
}

/// The word at `(start, end)` of `text`.
fn word<T>(text: &[T], (start, end): (usize, usize)) -> &[T] {
    &text[start..end]
}

/// Most words of a value [`words_with_initials`] reads: a longer value never meets
/// at that level.
const MAX_WORDS: usize = 8;

/// Whether `a` and `b` are at most `max` edits apart (by `distance`), and those edits
/// leave some of the shorter value standing: two different initials (`m` / `a`) are
/// one edit apart but are two names, not a typo.
fn within_edits<T: Copy + Eq>(
    a: &[T],
    b: &[T],
    max: usize,
    distance: fn(&[T], &[T], usize) -> Option<usize>,
) -> bool {
    distance(a, b, max).is_some_and(|d| d == 0 || a.len().min(b.len()) > d)
}

/// The first word of `s` (leading spaces skipped).
fn first_word<T: Copy + Eq>(s: &[T], space: T) -> &[T] {
    let s = &s[s.iter().position(|&c| c != space).unwrap_or(s.len())..];
    &s[..s.iter().position(|&c| c == space).unwrap_or(s.len())]
}

/// [`LevelRule::FirstInitial`] on two values' characters: one first word is a single
/// letter that begins the other's longer first word.
fn first_initial<T: Copy + Eq + From<u8>>(a: &[T], b: &[T]) -> bool {
    let space = T::from(b' ');
    let (x, y) = (first_word(a, space), first_word(b, space));
    let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    short.len() == 1 && long.len() > 1 && long[0] == short[0]
}

/// [`LevelRule::ShortForm`] on two values' characters: the first word of one, two
/// letters or longer, begins or ends the other's, or shares its first and last
/// letters and has the letters between in order in the other's.
fn short_form<T: Copy + Eq + From<u8>>(a: &[T], b: &[T]) -> bool {
    let space = T::from(b' ');
    let (x, y) = (first_word(a, space), first_word(b, space));
    let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    if short.len() < 2 || short == long {
        return false;
    }
    if long.starts_with(short) || long.ends_with(short) {
        return true;
    }
    let mut rest = long[1..long.len() - 1].iter();
    let inner = &short[1..short.len() - 1];
    short[0] == long[0]
        && short[short.len() - 1] == long[long.len() - 1]
        && inner.iter().all(|c| rest.any(|d| d == c))
}

/// [`LevelRule::WordsWithInitials`] on two values' characters: the first words agree
/// (two letters or longer), and every further word of the value with fewer words
/// (either, when they have as many) takes a distinct further word of the other that
/// it equals or is the initial of (or that is its initial).
fn words_with_initials<T: Copy + Eq + From<u8>>(a: &[T], b: &[T]) -> bool {
    let space = T::from(b' ');
    // The first words agree, two letters or longer: most pairs fail here, before
    // either value is split into words.
    let first = first_word(a, space);
    if first.len() < 2 || first != first_word(b, space) {
        return false;
    }
    let words = |s: &[T]| {
        let mut out: smallvec::SmallVec<[(usize, usize); MAX_WORDS]> = Default::default();
        let mut start = 0;
        for (i, &c) in s.iter().chain(std::iter::once(&space)).enumerate() {
            if c == space {
                if i > start {
                    if out.len() == MAX_WORDS {
                        return None;
                    }
                    out.push((start, i));
                }
                start = i + 1;
            }
        }
        Some(out)
    };
    let (Some(wa), Some(wb)) = (words(a), words(b)) else {
        return false;
    };
    // The leading words agree (above): the rest may add or drop middle names and
    // initials.
    let (short, s, long, l) = if wa.len() <= wb.len() {
        (&wa, a, &wb, b)
    } else {
        (&wb, b, &wa, a)
    };
    let agree = |i: usize, j: usize| {
        let (mine, theirs) = (word(s, short[i]), word(l, long[j]));
        let initial_of = |x: &[T], y: &[T]| x.len() == 1 && y.first() == x.first();
        mine == theirs || initial_of(mine, theirs) || initial_of(theirs, mine)
    };
    // A matching of the further words (Kuhn's augmenting paths: at most 7 × 7 × 7
    // word comparisons, whatever the words).
    let mut taken_by = [usize::MAX; MAX_WORDS];
    (1..short.len()).all(|i| {
        let mut seen = [false; MAX_WORDS];
        augment(i, long.len(), &agree, &mut seen, &mut taken_by)
    })
}

/// Kuhn's step: whether further word `i` of the shorter value takes a further word of
/// the longer (`1..long`) it agrees with, moving earlier words along augmenting
/// paths; `taken_by[j]` is the word holding word `j`.
fn augment(
    i: usize,
    long: usize,
    agree: &impl Fn(usize, usize) -> bool,
    seen: &mut [bool; MAX_WORDS],
    taken_by: &mut [usize; MAX_WORDS],
) -> bool {
    for j in 1..long {
        if seen[j] || !agree(i, j) {
            continue;
        }
        seen[j] = true;
        if taken_by[j] == usize::MAX || augment(taken_by[j], long, agree, seen, taken_by) {
            taken_by[j] = i;
            return true;
        }
    }
    false
}

/// True when the last `n` characters of both values exist and agree.
fn last_digits_agree<T: Eq>(a: &[T], b: &[T], n: usize) -> bool {
    n > 0 && a.len() >= n && b.len() >= n && a[a.len() - n..] == b[b.len() - n..]
}
