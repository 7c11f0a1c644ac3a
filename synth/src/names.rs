//! Long-tailed name pools per locale: the hand-written lists of `locale` are the
//! common head, followed by a tail composed from stems and endings that look right for
//! the language (Serbian "Rad" + "osavlj" + "ević", Romanian "Dumitr" + "escu",
//! English "Ash" + "ford", German "Stein" + "bach" + "er", Greek "Παπα" + "γεωργ" +
//! "ίου", Indonesian "Su" + "yanto").
//!
//! The pools do not depend on the seed: they are built once per process (a fixed
//! shuffle orders the tail, so rank `r` of the tail is a mix of stems) and shared by
//! every generation. Names are drawn from them with [`name_weights`]: Zipf 1/(r + q)
//! plus a floor that stands for the long real tail the pool cuts off.

use super::locale::{data, Locale, LOCALES};
use super::rng::{Rng, Weighted};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Every name of one locale, head first.
#[derive(Debug)]
pub(crate) struct NamePool {
    pub male: Vec<Box<str>>,
    pub female: Vec<Box<str>>,
    /// Family names (male form where the language inflects them).
    pub family: Vec<Box<str>>,
    /// Female forms of `family`, same order; empty when family names are not gendered.
    pub family_female: Vec<Box<str>>,
}

/// Most composed family names per locale.
const FAMILY_TAIL: usize = 4_000;
/// Most composed given names per locale and sex.
const GIVEN_TAIL: usize = 600;

/// The pool of `locale` (built on first use).
pub(crate) fn pool(locale: Locale) -> &'static NamePool {
    static POOLS: OnceLock<Vec<NamePool>> = OnceLock::new();
    let pools = POOLS.get_or_init(|| LOCALES.iter().map(|&l| build(l)).collect());
    let i = LOCALES.iter().position(|&l| l == locale).unwrap_or(0);
    &pools[i.min(pools.len() - 1)]
}

/// Sampling weights of a pool of `n` names: `K/(rank + q) + K·floor/n`.
///
/// The Zipf part makes the head common; the floor spreads a fixed mass (`floor`
/// times the weight of a name of Zipf weight 1) evenly over the pool, standing for
/// the rare names a real population has beyond the pool, and keeps the top share
/// independent of the pool size. With q = 2, `floor` = 34 gives a top name of
/// ≈ 1.2% (family names), `floor` = 11 a top name of ≈ 3% (given names).
pub(crate) fn name_weights(n: usize, q: u32, floor: u32) -> Weighted {
    const K: u64 = 1 << 22;
    let n = n.max(1);
    let flat = K * u64::from(floor.min(1_000)) / n as u64;
    let weights: Vec<u32> = (0..n)
        .map(|r| {
            let zipf = K / (r as u64 + u64::from(q.max(1)));
            u32::try_from(zipf + flat).unwrap_or(u32::MAX)
        })
        .collect();
    Weighted::new(&weights)
}

/// How the tail of one name list is composed: `prefix + root + middle + ending`
/// (the root loses its capital after a non-empty prefix).
struct Recipe {
    prefixes: &'static [&'static str],
    roots: &'static [&'static str],
    middles: &'static [&'static str],
    /// (male or ungendered form, female form).
    endings: &'static [(&'static str, &'static str)],
}

fn build(locale: Locale) -> NamePool {
    let d = data(locale);
    let salt = LOCALES.iter().position(|&l| l == locale).unwrap_or(0) as u64;
    let (male_r, female_r, family_r) = recipes(locale);
    let male = compose(d.male, None, male_r, GIVEN_TAIL, salt * 3, locale).0;
    let female = compose(d.female, None, female_r, GIVEN_TAIL, salt * 3 + 1, locale).0;
    let (family, family_female) = compose(
        d.family,
        d.family_female,
        family_r,
        FAMILY_TAIL,
        salt * 3 + 2,
        locale,
    );
    NamePool {
        male,
        female,
        family,
        family_female: if d.family_female.is_some() {
            family_female
        } else {
            Vec::new()
        },
    }
}

/// `head` followed by up to `cap` distinct composed names in a fixed shuffled order.
fn compose(
    head: &[&str],
    head_female: Option<&[&str]>,
    recipe: &Recipe,
    cap: usize,
    salt: u64,
    locale: Locale,
) -> (Vec<Box<str>>, Vec<Box<str>>) {
    let mut seen: HashSet<String> = head.iter().map(|s| s.to_string()).collect();
    let mut tail: Vec<(String, String)> = Vec::new();
    for prefix in recipe.prefixes {
        for root in recipe.roots {
            for middle in recipe.middles {
                for (end_m, end_f) in recipe.endings {
                    let Some(m) = join(locale, prefix, root, middle, end_m) else {
                        continue;
                    };
                    let Some(f) = join(locale, prefix, root, middle, end_f) else {
                        continue;
                    };
                    if seen.insert(m.clone()) {
                        tail.push((m, f));
                    }
                }
            }
        }
    }
    // Fisher–Yates with a fixed generator: the order is the same on every platform.
    let mut rng = Rng::new(0x6e61_6d65_7300 ^ salt);
    for i in (1..tail.len()).rev() {
        tail.swap(i, rng.index(i + 1));
    }
    tail.truncate(cap);
    let mut male: Vec<Box<str>> = head.iter().map(|&s| s.into()).collect();
    let mut female: Vec<Box<str>> = head_female
        .unwrap_or(head)
        .iter()
        .map(|&s| s.into())
        .collect();
    for (m, f) in tail {
        male.push(m.into());
        female.push(f.into());
    }
    (male, female)
}

fn is_vowel(c: char) -> bool {
    "aeiouăâîαεηιοωυάέήίόώύ".contains(c.to_lowercase().next().unwrap_or(c))
}

/// Appends `part` to `stem` by the junction rules; `false` when the seam reads wrong.
fn glue(locale: Locale, stem: &mut String, part: &str) -> bool {
    let (Some(last), Some(first)) = (stem.chars().last(), part.chars().next()) else {
        stem.push_str(part);
        return true;
    };
    let lower = |c: char| c.to_lowercase().next().unwrap_or(c);
    if lower(last) == lower(first) {
        return false; // "Markko", "Holley": a doubled letter at the seam
    }
    if is_vowel(last) && is_vowel(first) {
        if matches!(locale, Locale::Uk | Locale::Us) {
            return false;
        }
        stem.pop(); // Radu + escu → Radescu, Ηλι + ιάδης → Ηλιάδης
    }
    let mut it = part.chars();
    let doubled = matches!((it.next(), it.next()), (Some(a), Some(b)) if a == b && !is_vowel(a));
    if doubled && !is_vowel(last) {
        return false; // "Lil" + "nna"
    }
    stem.push_str(part);
    true
}

/// Glues the parts with the locale's junction rules; `None` for a form that reads wrong.
fn join(locale: Locale, prefix: &str, root: &str, middle: &str, ending: &str) -> Option<String> {
    let mut stem = String::with_capacity(prefix.len() + root.len() + middle.len() + 8);
    stem.push_str(prefix);
    if !prefix.is_empty() && root.starts_with(prefix) {
        return None; // "Παπα" + "Παπαδ…"
    }
    let mut root_lower = String::with_capacity(root.len());
    let mut cs = root.chars();
    if let Some(c) = cs.next() {
        if prefix.is_empty() {
            root_lower.push(c);
        } else {
            root_lower.extend(c.to_lowercase());
        }
    }
    root_lower.push_str(cs.as_str());
    if !glue(locale, &mut stem, &root_lower) || !glue(locale, &mut stem, middle) {
        return None;
    }
    let mut ending = ending;
    // Serbian: -ović after a hard consonant, -ević after a soft one (Radojević).
    if locale == Locale::Serbia && ending == "ović" {
        let soft = ["č", "ć", "j", "đ", "c", "lj", "nj", "š", "ž"]
            .iter()
            .any(|s| stem.ends_with(s));
        if soft {
            ending = "ević";
        }
    }
    // "Lehmbergberg": an ending the stem already carries.
    if ending.len() >= 3 && stem.contains(ending) {
        return None;
    }
    if !glue(locale, &mut stem, ending) {
        return None;
    }
    // No three equal letters in a row, no stubs, nothing unwieldy.
    let chars: Vec<char> = stem.chars().collect();
    let max = if locale == Locale::Greece { 18 } else { 15 };
    if chars.len() < 3
        || chars.len() > max
        || chars.windows(3).any(|w| w[0] == w[1] && w[1] == w[2])
    {
        return None;
    }
    Some(stem)
}

const NONE: &[&str] = &[""];

fn recipes(locale: Locale) -> (&'static Recipe, &'static Recipe, &'static Recipe) {
    match locale {
        Locale::Uk | Locale::Us => (&EN_MALE, &EN_FEMALE, &EN_FAMILY),
        Locale::Serbia => (&SR_MALE, &SR_FEMALE, &SR_FAMILY),
        Locale::Romania => (&RO_MALE, &RO_FEMALE, &RO_FAMILY),
        Locale::Indonesia => (&ID_MALE, &ID_FEMALE, &ID_FAMILY),
        Locale::Germany => (&DE_MALE, &DE_FEMALE, &DE_FAMILY),
        Locale::Greece => (&GR_MALE, &GR_FEMALE, &GR_FAMILY),
    }
}

/// The same ending for both sexes.
macro_rules! same {
    ($($e:literal),* $(,)?) => { &[$(($e, $e)),*] };
}

static EN_MALE: Recipe = Recipe {
    prefixes: NONE,
    roots: &[
        "Al", "Bran", "Jay", "Cam", "Dar", "Den", "Gar", "Ken", "Tre", "Ray", "Dal", "Ros", "Law",
        "Lan", "Mal", "Ber", "Car", "Clif", "Dun", "Ed", "Els", "Fer", "Gil", "Har", "Ash", "Brad",
        "Col", "Dev", "Grant", "Hay", "Kel", "Mar", "Nor", "Stan", "Wes", "Win", "Bren", "Clay",
        "Dean", "Rod",
    ],
    middles: NONE,
    endings: same!(
        "den", "ton", "ley", "ford", "an", "ren", "rick", "vin", "ell", "win", "ard", "bert",
        "mond", "ry", "don", "ald", "ston", "by",
    ),
};

static EN_FEMALE: Recipe = Recipe {
    prefixes: NONE,
    roots: &[
        "Ma", "Ja", "Ka", "Sha", "Bri", "Ash", "Lor", "Kel", "Mel", "Jen", "Ro", "Tam", "Dar",
        "Ca", "Da", "Ed", "Gwen", "Hel", "Jo", "Le", "Mar", "Nan", "Pau", "Ros", "Sher", "Ter",
        "Val", "Wen", "Ev", "Ir", "Lil", "Al", "Ber", "Cor", "Del", "Fay",
    ],
    middles: NONE,
    endings: same!(
        "lene", "lyn", "nna", "ssa", "elle", "ine", "anne", "ette", "ia", "ie", "ena", "ora",
        "ice", "ley", "da", "rie", "ella", "beth",
    ),
};

static EN_FAMILY: Recipe = Recipe {
    prefixes: NONE,
    roots: &[
        "Ash", "Brad", "Black", "Whit", "Hart", "Green", "Wood", "Hol", "Mar", "Ald", "Brook",
        "Brom", "Craw", "Dun", "Fair", "Farn", "Glad", "Had", "Hamp", "Hay", "Kings", "Lang",
        "Mid", "Mil", "Nor", "Ox", "Pen", "Rad", "Ram", "Red", "Roth", "Sher", "South", "Stan",
        "Stock", "Thorn", "Wal", "West", "Win", "Bur", "Cal", "Chad", "Dar", "East", "Hal", "Lin",
        "Ack", "Bar", "Cot", "Fen", "Grim", "Hux", "Pick", "Sut",
    ],
    middles: &["", "", "ing", "er", "s"],
    endings: same!(
        "ford", "ley", "ton", "wood", "field", "son", "well", "by", "worth", "combe", "ham",
        "stead", "bridge", "more", "den", "land", "bury", "hurst", "dale", "wick",
    ),
};

static SR_MALE: Recipe = Recipe {
    prefixes: NONE,
    roots: &[
        "Mil", "Rad", "Drag", "Stan", "Vuk", "Bog", "Bran", "Dob", "Ljub", "Mir", "Slav", "Zlat",
        "Živ", "Ned", "Vel", "Bož", "Dan", "Pred", "Tih", "Vlast", "Dra", "Sred", "Dej", "Rat",
        "Vid", "Mlad", "Bud", "Gor", "Jug", "Kraj",
    ],
    middles: NONE,
    endings: same!(
        "an", "o", "oš", "ko", "ija", "islav", "omir", "oljub", "ivoje", "utin", "enko", "ovan",
        "isav", "ica", "oje", "imir", "ivoj", "ac",
    ),
};

static SR_FEMALE: Recipe = Recipe {
    prefixes: NONE,
    roots: &[
        "Mil", "Rad", "Drag", "Stan", "Bog", "Bran", "Dob", "Ljub", "Mir", "Slav", "Zlat", "Živ",
        "Ned", "Vel", "Bož", "Dan", "Ves", "Ver", "Gor", "Jel", "Sne", "Ol", "Vid", "Mlad", "Ruž",
        "Ces", "Jas", "Zor",
    ],
    middles: NONE,
    endings: same!(
        "ana", "ica", "ka", "ija", "ena", "ojka", "inka", "islava", "omirka", "enka", "a",
        "ovanka", "ina", "unka",
    ),
};

static SR_FAMILY: Recipe = Recipe {
    prefixes: NONE,
    roots: &[
        "Petr", "Jovan", "Nikol", "Stojan", "Mil", "Rad", "Drag", "Stan", "Vuk", "Bož", "Bog",
        "Bran", "Dob", "Ljub", "Mir", "Slav", "Zlat", "Živ", "Ned", "Tod", "Nov", "Jak", "Gav",
        "Sim", "Mat", "Luk", "Mih", "Kost", "Trif", "Vas", "Dim", "Đur", "Mark", "Pav", "Tom",
        "Vel", "Sav", "Rist", "Obrad", "Vid", "Cvet", "Grub", "Rank", "Pej", "Ran", "Alek", "Andr",
        "Bab", "Bel", "Bor", "Crn", "Ćir", "Đok", "Gaj", "Ign", "Jan", "Jer", "Kal", "Krst", "Lal",
        "Lazar", "Mad", "Mak", "Milj", "Ogn", "Pan", "Per", "Raj", "Stev", "Šak", "Tad", "Uroš",
        "Zar", "Zdrav", "Žark", "Vojin", "Dragut", "Vlaj",
    ],
    middles: &[
        "", "o", "ov", "an", "ovan", "en", "ko", "ič", "oj", "osavlj", "omir", "ut", "ač", "el",
        "iš", "ar", "in", "ul", "ić", "as", "enk",
    ],
    endings: same!("ović", "ić"),
};

static RO_MALE: Recipe = Recipe {
    prefixes: NONE,
    roots: &[
        "Sor", "Mar", "Flor", "Dor", "Luc", "Aur", "Valent", "Cost", "Nic", "Tib", "Rad", "Dan",
        "Vir", "Cos", "Emil", "Ovid", "Sil", "Ion", "Liv", "Trai", "Petr", "Cătăl", "Dumitr",
        "Mir", "Vlad", "Horaț", "Laur",
    ],
    middles: NONE,
    endings: same!("in", "ian", "el", "ică", "u", "iu", "ean", "uț", "inel", "ache"),
};

static RO_FEMALE: Recipe = Recipe {
    prefixes: NONE,
    roots: &[
        "Flor", "Mar", "Lumin", "Dor", "Luc", "Aur", "Valent", "Cost", "Nic", "Rad", "Dan", "Cos",
        "Emil", "Sil", "Ion", "Liv", "Petr", "Mir", "Laur", "Oan", "Rodic", "Vior", "Corin", "Anc",
        "Sanz", "Tatian", "Crin",
    ],
    middles: NONE,
    endings: same!("a", "ina", "ela", "ica", "ia", "eta", "uța", "iana", "ița", "ora"),
};

static RO_FAMILY: Recipe = Recipe {
    prefixes: NONE,
    roots: &[
        "Pop",
        "Ion",
        "Georg",
        "Dumitr",
        "Stan",
        "Radu",
        "Mar",
        "Constantin",
        "Vasil",
        "Petr",
        "Nicul",
        "Mih",
        "Tud",
        "Andr",
        "Bălan",
        "Dobr",
        "Neag",
        "Negr",
        "Bud",
        "Lup",
        "Moc",
        "Olt",
        "Mold",
        "Sârb",
        "Grig",
        "Iord",
        "Manol",
        "Stoic",
        "Cojoc",
        "Drag",
        "Gavril",
        "Ilie",
        "Matei",
        "Nistor",
        "Opr",
        "Pavel",
        "Roman",
        "Sim",
        "Tănas",
        "Toma",
        "Vlad",
        "Zamfir",
        "Dinc",
        "Crist",
        "Enach",
        "Munt",
        "Chiri",
        "Pană",
        "Bratu",
        "Ungur",
        "Mureș",
        "Ștefăn",
        "Șerb",
        "Vișan",
        "Pașc",
        "Țig",
    ],
    middles: &["", "", "ov", "el", "in", "ic", "ul"],
    endings: same!(
        "escu", "eanu", "a", "ache", "u", "an", "ică", "oiu", "aru", "iuc", "ean", "uț", "ici",
        "aș",
    ),
};

static ID_MALE: Recipe = Recipe {
    prefixes: NONE,
    roots: &[
        "Su", "Har", "Wi", "Ad", "Bud", "Agus", "Sapt", "Jok", "Prabow", "Rah", "Sur", "Tri", "Ek",
        "Dw", "Han", "Pras", "Yud", "Dar", "Ir", "Kus", "Pur", "Set", "Sug", "Teg", "Wahy", "Heri",
        "Sam", "Tar", "Yul", "Hend",
    ],
    middles: NONE,
    endings: same!(
        "yanto", "diman", "tono", "anto", "ono", "adi", "man", "wan", "di", "yo", "sono", "ianto",
        "jono", "mat", "ardi", "wanto",
    ),
};

static ID_FEMALE: Recipe = Recipe {
    prefixes: NONE,
    roots: &[
        "Dewi", "Sri", "Rat", "Ind", "Nur", "Wul", "Ret", "Yul", "Pur", "Sit", "Ani", "Ek", "Lest",
        "Tut", "Mar", "Kar", "Sus", "Rin", "Fit", "Wid", "Ast", "Nov", "Har", "Su", "Wi", "Yan",
        "Kus", "Sul",
    ],
    middles: NONE,
    endings: same!(
        "sih", "wati", "yani", "ati", "ningsih", "ningrum", "yanti", "ani", "ana", "isa", "rini",
        "tuti", "lestari", "asih",
    ),
};

static ID_FAMILY: Recipe = Recipe {
    prefixes: NONE,
    roots: &[
        "Su", "Har", "Wi", "Ad", "Bud", "Sant", "Set", "Prat", "Kus", "Nug", "Hid", "Gun", "Hart",
        "Pur", "Sutr", "Wahy", "Sapt", "Rah", "Yul", "Ir", "Dar", "Sur", "Tri", "Eko", "Dwi",
        "Han", "Pras", "Ris", "Sof", "Yud", "Jay", "Mul", "Sas", "Wir", "Pan", "Sim", "Tan", "Lub",
        "Sin", "Mang",
    ],
    middles: &["", "", "a", "i", "o"],
    endings: same!(
        "yanto", "diman", "tono", "sono", "anto", "ono", "ianto", "jaya", "wan", "man", "isno",
        "adi", "putra", "wijaya", "sasmita", "atmaja", "kusuma", "ningrat", "harja", "tomo", "gar",
        "ang",
    ),
};

static DE_MALE: Recipe = Recipe {
    prefixes: NONE,
    roots: &[
        "Bern", "Diet", "Eck", "Gott", "Hart", "Her", "Hel", "Rein", "Sieg", "Wil", "Wolf", "Adal",
        "Ger", "Hein", "Kon", "Ru", "Ul", "Volk", "Wal", "Ed", "Lud", "Man", "Ot", "Rai", "Gunt",
        "Al", "Fried", "Lot", "Det", "Hub",
    ],
    middles: NONE,
    endings: same!(
        "hard", "mar", "fried", "bert", "mut", "helm", "rich", "win", "bald", "olf", "mund", "wig",
        "ger", "old", "rad", "ther",
    ),
};

static DE_FEMALE: Recipe = Recipe {
    prefixes: NONE,
    roots: &[
        "Ger", "Hel", "Ing", "Brun", "Ro", "Gis", "Wal", "Frie", "Hed", "Mar", "Adel", "Irm",
        "Sieg", "Hild", "Ann", "Lies", "Gun", "Hann", "Elf", "Ros", "Wilt", "Ed", "Kun", "Ul",
        "Al", "Bert", "Hert", "Rein",
    ],
    middles: NONE,
    endings: same!(
        "trud", "ga", "hild", "ke", "linde", "burg", "run", "gard", "traud", "wig", "lotte", "a",
        "ine", "el", "rike", "grid",
    ),
};

static DE_FAMILY: Recipe = Recipe {
    prefixes: NONE,
    roots: &[
        "Schnei", "Hoff", "Berg", "Kling", "Wein", "Brau", "Rosen", "Stein", "Lind", "Eich",
        "Kirch", "Hart", "Wald", "Feld", "Lang", "Kurz", "Alt", "Neu", "Gold", "Silber", "Eisen",
        "Holz", "Bruck", "Burg", "Dorn", "Fried", "Grün", "Hahn", "Kessel", "Kraus", "Lehm",
        "Ober", "Pfeif", "Reich", "Sand", "Schwarz", "Weiß", "Zieg", "Hein", "Ehr", "Brand",
        "Horn", "Roth", "Fuchs", "Baum", "Mühl", "Kolb", "Sturm", "Wies", "Hirsch",
    ],
    middles: &[
        "", "", "en", "el", "berg", "feld", "stein", "wald", "bach", "hof", "brunn",
    ],
    endings: same!(
        "mann", "er", "hardt", "inger", "ke", "ler", "meier", "bauer", "huber", "feld", "berg",
        "mayr", "rich",
    ),
};

static GR_MALE: Recipe = Recipe {
    prefixes: NONE,
    roots: &[
        "Σταύρος",
        "Σπύρος",
        "Πέτρος",
        "Λάμπρος",
        "Θεόδωρος",
        "Στέλιος",
        "Μάρκος",
        "Πάνος",
        "Αλέξανδρος",
        "Φώτης",
        "Ηλίας",
        "Μανώλης",
        "Άγγελος",
        "Ευάγγελος",
        "Στάθης",
        "Τάσος",
        "Αντώνης",
        "Θανάσης",
        "Απόστολος",
        "Χαράλαμπος",
        "Σωτήρης",
        "Ανδρέας",
        "Λευτέρης",
        "Κυριάκος",
        "Στέφανος",
        "Παύλος",
        "Φίλιππος",
        "Αριστείδης",
        "Θεοφάνης",
        "Γρηγόρης",
        "Διονύσης",
        "Μιλτιάδης",
        "Πρόδρομος",
        "Σάββας",
        "Τριαντάφυλλος",
        "Ορέστης",
        "Περικλής",
        "Άρης",
        "Λεωνίδας",
        "Εμμανουήλ",
        "Ζαχαρίας",
        "Ιάκωβος",
        "Χρύσανθος",
        "Σίμος",
        "Αχιλλέας",
        "Θεμιστοκλής",
        "Οδυσσέας",
        "Πολύκαρπος",
    ],
    middles: NONE,
    endings: same!(""),
};

static GR_FEMALE: Recipe = Recipe {
    prefixes: NONE,
    roots: &[
        "Σταυρούλα",
        "Παναγιώτα",
        "Ευαγγελία",
        "Αναστασία",
        "Κυριακή",
        "Παρασκευή",
        "Αθηνά",
        "Ζωή",
        "Χρυσούλα",
        "Φωτεινή",
        "Θεοδώρα",
        "Στυλιανή",
        "Δέσποινα",
        "Καλλιόπη",
        "Αργυρώ",
        "Ευτυχία",
        "Πηνελόπη",
        "Ιωάννα",
        "Κωνσταντίνα",
        "Νικολέτα",
        "Αλεξάνδρα",
        "Ευδοκία",
        "Αφροδίτη",
        "Όλγα",
        "Σταματία",
        "Ξανθή",
        "Ευανθία",
        "Ροδάνθη",
        "Λαμπρινή",
        "Μαγδαληνή",
        "Χαρίκλεια",
        "Ασπασία",
        "Ουρανία",
        "Φανή",
        "Δανάη",
        "Ευγενία",
        "Άννα",
        "Ελισάβετ",
        "Γαρυφαλλιά",
        "Αγλαΐα",
        "Μυρτώ",
        "Θάλεια",
        "Ανθή",
        "Ζαχαρούλα",
    ],
    middles: NONE,
    endings: same!(""),
};

static GR_FAMILY: Recipe = Recipe {
    prefixes: &["", "", "Παπα", "Καρα", "Χατζη"],
    roots: &[
        "Παπαδ",
        "Γεωργ",
        "Νικολ",
        "Δημητρ",
        "Κωνσταντιν",
        "Αντων",
        "Βασιλ",
        "Ιωανν",
        "Χριστ",
        "Μιχαλ",
        "Σταυρ",
        "Αθανασ",
        "Πετρ",
        "Παναγιωτ",
        "Μαυρ",
        "Σπυρ",
        "Αλεξ",
        "Θεοδωρ",
        "Ηλι",
        "Μανωλ",
        "Λαμπρ",
        "Στεφαν",
        "Αγγελ",
        "Ευαγγελ",
        "Καλ",
        "Ζαφειρ",
        "Φωτ",
        "Κυριακ",
        "Μαρκ",
        "Παυλ",
        "Αργυρ",
        "Δρακ",
        "Γιανν",
        "Τσολ",
        "Λιακ",
        "Ρηγ",
    ],
    middles: NONE,
    endings: &[
        ("όπουλος", "οπούλου"),
        ("ιάδης", "ιάδου"),
        ("άκης", "άκη"),
        ("ίου", "ίου"),
        ("άτος", "άτου"),
        ("ίδης", "ίδου"),
        ("άς", "ά"),
        ("έλης", "έλη"),
        ("ούλης", "ούλη"),
        ("άρας", "άρα"),
        ("άκος", "άκου"),
        ("ούδης", "ούδη"),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pools_have_long_tails_and_keep_the_head() {
        for locale in LOCALES {
            let d = data(locale);
            let p = pool(locale);
            assert!(p.family.len() >= 1_000, "{locale:?}: {}", p.family.len());
            // Greek given names are few and real (no composition).
            let given = if locale == Locale::Greece { 40 } else { 150 };
            assert!(
                p.male.len() >= given && p.female.len() >= given,
                "{locale:?}"
            );
            for (i, name) in d.family.iter().enumerate() {
                assert_eq!(&*p.family[i], *name);
            }
            for (i, name) in d.male.iter().enumerate() {
                assert_eq!(&*p.male[i], *name);
            }
            let distinct: HashSet<&str> = p.family.iter().map(|s| &**s).collect();
            assert_eq!(distinct.len(), p.family.len(), "{locale:?}");
            if d.family_female.is_some() {
                assert_eq!(p.family_female.len(), p.family.len());
            } else {
                assert!(p.family_female.is_empty());
            }
        }
    }

    #[test]
    fn composed_names_render_in_every_script() {
        use super::super::text::{ascii_fold, greek_latin, serbian_cyrillic};
        let all = |p: &'static NamePool| {
            p.male
                .iter()
                .chain(&p.female)
                .chain(&p.family)
                .chain(&p.family_female)
                .map(|s| &**s)
        };
        for name in all(pool(Locale::Serbia)) {
            let cyr = serbian_cyrillic(name);
            assert!(
                !cyr.chars().any(|c| c.is_ascii_alphabetic()),
                "{name} → {cyr}"
            );
        }
        for name in all(pool(Locale::Greece)) {
            let latin = greek_latin(name);
            assert!(latin.len() >= 3, "{name} → {latin}");
            assert!(
                latin.chars().all(|c| c.is_ascii_alphabetic()),
                "{name} → {latin}"
            );
        }
        for locale in LOCALES.into_iter().filter(|&l| l != Locale::Greece) {
            for name in all(pool(locale)) {
                let ascii = ascii_fold(name);
                assert!(
                    ascii.chars().all(|c| c.is_ascii_alphabetic() || c == '\''),
                    "{name}"
                );
            }
        }
    }
}
