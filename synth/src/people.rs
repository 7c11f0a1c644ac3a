//! The true people behind the records: names, birth dates, contacts, addresses,
//! households. Everything here is the ground truth; `render` writes it down noisily.

use super::format::PhoneNumber;
use super::locale::{data, Locale, LOCALES, LOCALE_WEIGHTS};
use super::names::{name_weights, pool};
use super::rng::{Rng, Weighted};
use super::text::{ascii_fold, greek_latin, Script};
use super::Knobs;
use sameas::record::{days_in_month, Date};
use std::collections::HashSet;

/// A postal address (indexes into its locale's tables).
#[derive(Debug, Clone)]
pub(crate) struct Address {
    pub locale: Locale,
    pub city: usize,
    pub street: usize,
    pub street_type: usize,
    pub number: u16,
    /// Flat / apartment number (UK, US, Serbia, Romania) or RT neighbourhood (Indonesia).
    pub unit: Option<u16>,
    /// The canonical postcode text.
    pub postcode: String,
    /// US ZIP+4 extension.
    pub plus4: u16,
}

/// One real person.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub name_locale: Locale,
    pub female: bool,
    /// Index into the given names of this sex in the locale's name pool.
    pub given: usize,
    /// Index into the locale's family names (`None`: a mononym).
    pub family: Option<usize>,
    pub dob: Date,
    /// How this person usually writes their name (Serbian script, Greek script, …).
    pub script: Script,
    /// Indonesian professional title written before the name.
    pub title_before: Option<&'static str>,
    /// Indonesian academic title written after the name.
    pub title_after: Option<&'static str>,
    pub email: String,
    pub second_email: Option<String>,
    pub mobile: PhoneNumber,
    pub landline: Option<PhoneNumber>,
    pub address: Address,
    pub loyalty: Option<String>,
}

/// Shape of the family-name distribution ([`name_weights`]): top name ≈ 1.2%.
const FAMILY_Q: u32 = 2;
const FAMILY_FLOOR: u32 = 34;
/// Shape of the given-name distribution: top name ≈ 3% of its sex.
const GIVEN_Q: u32 = 2;
const GIVEN_FLOOR: u32 = 11;

/// Zipf tables of one locale.
#[derive(Debug)]
struct LocaleTables {
    male: Weighted,
    female: Weighted,
    family: Weighted,
    cities: Weighted,
    streets: Weighted,
    street_types: Weighted,
}

/// Draws people; keeps emails and phone numbers unique across people.
#[derive(Debug)]
pub(crate) struct People {
    locales: Weighted,
    tables: Vec<LocaleTables>,
    /// 64-bit fingerprints of every email and phone number handed out.
    used_contacts: HashSet<u64, BuildPassThrough>,
}

/// Hasher for keys that are already well-mixed 64-bit fingerprints.
#[derive(Debug, Default, Clone, Copy)]
struct BuildPassThrough;

#[derive(Debug, Default)]
struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fingerprint(bytes);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl std::hash::BuildHasher for BuildPassThrough {
    type Hasher = PassThrough;
    fn build_hasher(&self) -> PassThrough {
        PassThrough(0)
    }
}

/// FNV-1a with a final avalanche: a portable 64-bit fingerprint of `bytes`.
fn fingerprint(bytes: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

const EMAIL_WORK_DOMAINS: &[&str] = &[
    "acme-corp.com",
    "globex.net",
    "initech.io",
    "northwind-traders.com",
    "contoso-group.eu",
    "umbrella-retail.com",
];

fn locale_index(locale: Locale) -> usize {
    LOCALES.iter().position(|&l| l == locale).unwrap_or(0)
}

impl People {
    /// People of every locale; `name_head` above 0 keeps only that many of the most
    /// common names of each list (see [`SynthConfig::name_head`](crate::SynthConfig)).
    pub(crate) fn new(name_head: usize) -> People {
        let names_of = |n: usize, q: u32, floor: u32| {
            if name_head == 0 {
                name_weights(n, q, floor)
            } else {
                Weighted::zipf(n.min(name_head))
            }
        };
        let tables = LOCALES
            .iter()
            .map(|&l| {
                let d = data(l);
                let names = pool(l);
                LocaleTables {
                    male: names_of(names.male.len(), GIVEN_Q, GIVEN_FLOOR),
                    female: names_of(names.female.len(), GIVEN_Q, GIVEN_FLOOR),
                    family: names_of(names.family.len(), FAMILY_Q, FAMILY_FLOOR),
                    cities: Weighted::zipf(d.cities.len()),
                    streets: Weighted::zipf(d.streets.len()),
                    street_types: Weighted::zipf(d.street_types.len()),
                }
            })
            .collect();
        People {
            locales: Weighted::new(&LOCALE_WEIGHTS),
            tables,
            used_contacts: HashSet::with_hasher(BuildPassThrough),
        }
    }

    fn tables(&self, locale: Locale) -> &LocaleTables {
        &self.tables[locale_index(locale)]
    }

    fn draw_locale(&self, rng: &mut Rng) -> Locale {
        LOCALES
            .get(self.locales.sample(rng))
            .copied()
            .unwrap_or(Locale::Uk)
    }

    /// A given name index of the right sex, not in `avoid` when possible.
    fn draw_given(&self, locale: Locale, female: bool, avoid: &[usize], rng: &mut Rng) -> usize {
        let t = self.tables(locale);
        let table = if female { &t.female } else { &t.male };
        let mut g = table.sample(rng);
        for _ in 0..16 {
            if !avoid.contains(&g) {
                break;
            }
            g = table.sample(rng);
        }
        g
    }

    /// A person living alone (or the first member of a household).
    pub(crate) fn person(&mut self, entity: u64, knobs: &Knobs, rng: &mut Rng) -> Person {
        let name_locale = self.draw_locale(rng);
        let d = data(name_locale);
        let female = rng.chance(0.5);
        let given = self.draw_given(name_locale, female, &[], rng);
        let family =
            (!rng.chance(d.mononym_rate)).then(|| self.tables(name_locale).family.sample(rng));
        let dob = random_dob(1935, 35, rng);
        let address_locale = if rng.chance(knobs.expat_rate) {
            self.draw_locale(rng)
        } else {
            name_locale
        };
        let address = self.address(address_locale, None, rng);
        let landline = rng.chance(0.25).then(|| self.landline(&address, rng));
        self.finish(
            entity,
            name_locale,
            female,
            given,
            family,
            dob,
            address,
            landline,
            knobs,
            rng,
        )
    }

    /// Another member of `head`'s household (give the head a landline first): same
    /// family name, address and landline;
    /// a different given name; `twin_of` gives the same date of birth.
    pub(crate) fn household_member(
        &mut self,
        entity: u64,
        head: &Person,
        taken_given: &[(bool, usize)],
        twin_of: Option<Date>,
        knobs: &Knobs,
        rng: &mut Rng,
    ) -> Person {
        let female = rng.chance(0.5);
        let avoid: Vec<usize> = taken_given
            .iter()
            .filter(|(f, _)| *f == female)
            .map(|&(_, g)| g)
            .collect();
        let given = self.draw_given(head.name_locale, female, &avoid, rng);
        let dob = match twin_of {
            Some(d) => d,
            None if rng.chance(0.5) => {
                // Partner: born within a few years of the head.
                let y = i64::from(head.dob.year) + rng.range(-6, 6);
                random_dob(y.clamp(1930, 2006) as u16, 0, rng)
            }
            None => {
                // Grown-up child.
                let y = i64::from(head.dob.year) + rng.range(20, 35);
                if y <= 2006 {
                    random_dob(y as u16, 0, rng)
                } else {
                    random_dob(1935, 35, rng)
                }
            }
        };
        let landline = head
            .landline
            .clone()
            .or_else(|| Some(self.landline(&head.address, rng)));
        let family = head.family.or_else(|| {
            (!rng.chance(data(head.name_locale).mononym_rate))
                .then(|| self.tables(head.name_locale).family.sample(rng))
        });
        self.finish(
            entity,
            head.name_locale,
            female,
            given,
            family,
            dob,
            head.address.clone(),
            landline,
            knobs,
            rng,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn finish(
        &mut self,
        entity: u64,
        name_locale: Locale,
        female: bool,
        given: usize,
        family: Option<usize>,
        dob: Date,
        address: Address,
        landline: Option<PhoneNumber>,
        knobs: &Knobs,
        rng: &mut Rng,
    ) -> Person {
        let d = data(name_locale);
        let script = draw_script(name_locale, rng);
        let title_before = (rng.chance(0.08)).then(|| rng.pick_str(d.titles_before));
        let title_after = (rng.chance(0.10)).then(|| rng.pick_str(d.titles_after));
        let mut person = Person {
            name_locale,
            female,
            given,
            family,
            dob,
            script,
            title_before: title_before.filter(|t| !t.is_empty()),
            title_after: title_after.filter(|t| !t.is_empty()),
            email: String::new(),
            second_email: None,
            mobile: PhoneNumber {
                digits: String::new(),
                prefix_len: 0,
            },
            landline,
            address,
            loyalty: None,
        };
        person.email = self.email(&person, false, rng);
        if rng.chance(knobs.second_email_rate) {
            person.second_email = Some(self.email(&person, true, rng));
        }
        person.mobile = self.mobile(person.address.locale, rng);
        if rng.chance(knobs.loyalty_member_rate) {
            person.loyalty = Some(loyalty_id(entity, knobs.seed));
        }
        person
    }

    /// A fresh address in `locale`; with `near`, in the same city most of the time.
    pub(crate) fn address(&self, locale: Locale, near: Option<&Address>, rng: &mut Rng) -> Address {
        let d = data(locale);
        let t = self.tables(locale);
        let city = match near {
            Some(a) if a.locale == locale && rng.chance(0.7) => a.city,
            _ => t.cities.sample(rng),
        };
        let street = t.streets.sample(rng);
        let street_type = t.street_types.sample(rng);
        let number = 1 + rng.below(180) as u16;
        let unit = match d.street_style {
            super::locale::StreetStyle::NameNumber if locale != Locale::Serbia => None,
            _ => rng.chance(0.35).then(|| 1 + rng.below(40) as u16),
        };
        let postcode = postcode(locale, d.cities.get(city), rng);
        Address {
            locale,
            city,
            street,
            street_type,
            number,
            unit,
            postcode,
            plus4: rng.below(10_000) as u16,
        }
    }

    fn unique_number(&mut self, cc: &str, prefix: &str, len: usize, rng: &mut Rng) -> String {
        let mut digits = String::with_capacity(len);
        for attempt in 0..64 {
            digits.clear();
            digits.push_str(prefix);
            if digits.len() < len {
                // Subscriber numbers do not start with 0 or 1.
                digits.push(char::from(b'2' + rng.below(8) as u8));
            }
            while digits.len() < len {
                digits.push(char::from(b'0' + rng.below(10) as u8));
            }
            // Country code and number, so that equal digits in two countries differ.
            let key = fingerprint(cc.as_bytes()).rotate_left(17) ^ fingerprint(digits.as_bytes());
            if attempt == 63 || self.used_contacts.insert(key) {
                break;
            }
        }
        digits
    }

    /// A mobile number unique among all people.
    pub(crate) fn mobile(&mut self, locale: Locale, rng: &mut Rng) -> PhoneNumber {
        let d = data(locale);
        let prefix = match rng.pick(d.phone.mobile_prefixes) {
            Some(p) => *p,
            None => rng.pick(d.cities).map(|c| c.area).unwrap_or("201"),
        };
        let prefix_len = match locale {
            Locale::Uk => 4,
            Locale::Serbia => 2,
            _ => 3,
        };
        let digits = self.unique_number(d.phone.cc, prefix, d.phone.national_len, rng);
        PhoneNumber { digits, prefix_len }
    }

    /// A landline number in the city of `address`.
    pub(crate) fn landline(&mut self, address: &Address, rng: &mut Rng) -> PhoneNumber {
        let d = data(address.locale);
        let area = d.cities.get(address.city).map(|c| c.area).unwrap_or("1");
        let len = d.phone.national_len.min(10);
        let digits = self.unique_number(d.phone.cc, area, len, rng);
        PhoneNumber {
            digits,
            prefix_len: area.len(),
        }
    }

    /// An email address unique among all people, built from the name the way people
    /// choose them ("jovana.petrovic@…", "jsmith84@…"); `work` uses a company domain.
    pub(crate) fn email(&mut self, p: &Person, work: bool, rng: &mut Rng) -> String {
        let d = data(p.name_locale);
        let given = email_word(p.name_locale, given_name(p));
        let family = p
            .family
            .map(|_| email_word(p.name_locale, family_name(p)))
            .unwrap_or_default();
        let yy = p.dob.year % 100;
        let mut local = if family.is_empty() {
            match rng.below(3) {
                0 => format!("{given}{yy:02}"),
                1 => format!("{given}{}", rng.range(1, 999)),
                _ => format!("{given}.{}", p.dob.year),
            }
        } else {
            let g0 = given.chars().next().unwrap_or('x');
            match rng.below(8) {
                0 | 1 => format!("{given}.{family}"),
                2 => format!("{given}{family}"),
                3 => format!("{g0}{family}"),
                4 => format!("{family}.{given}"),
                5 => format!("{given}_{family}"),
                6 => format!("{given}{yy:02}"),
                _ => format!("{g0}.{family}{}", rng.range(1, 99)),
            }
        };
        let domain = if work {
            rng.pick_str(EMAIL_WORK_DOMAINS)
        } else if rng.chance(0.4) {
            d.email_domains.first().copied().unwrap_or("example.com")
        } else {
            rng.pick_str(d.email_domains)
        };
        let mut email = String::with_capacity(local.len() + domain.len() + 4);
        for _ in 0..32 {
            email.clear();
            email.push_str(&local);
            email.push('@');
            email.push_str(domain);
            if self.used_contacts.insert(fingerprint(email.as_bytes())) {
                break;
            }
            local.push(char::from(b'0' + rng.below(10) as u8));
        }
        email
    }
}

/// How one value of `locale` is written: Serbian 45% Latin with diacritics, 30%
/// Cyrillic, 25% ASCII; Romanian 55% ș, 20% ş, 25% s; German 70% umlauts, 20% ae/ss,
/// 10% stripped; Greek half Greek script, half Latin.
pub(crate) fn draw_script(locale: Locale, rng: &mut Rng) -> Script {
    match locale {
        Locale::Serbia => pick_script(rng, [45, 30, 25]),
        Locale::Romania => pick_script(rng, [55, 20, 25]),
        Locale::Germany => pick_script(rng, [70, 20, 10]),
        Locale::Greece => pick_script(rng, [50, 50, 0]),
        _ => Script::Native,
    }
}

fn pick_script(rng: &mut Rng, weights: [u64; 3]) -> Script {
    let t = rng.below(weights.iter().sum());
    if t < weights[0] {
        Script::Native
    } else if t < weights[0] + weights[1] {
        Script::Alternate
    } else {
        Script::Ascii
    }
}

/// The person's formal given name as stored in the name pool.
pub(crate) fn given_name(p: &Person) -> &'static str {
    let names = pool(p.name_locale);
    let list = if p.female { &names.female } else { &names.male };
    list.get(p.given).map(|s| &**s).unwrap_or("")
}

/// The person's family name (female form where the language has one), or "".
pub(crate) fn family_name(p: &Person) -> &'static str {
    let names = pool(p.name_locale);
    let list = if p.female && !names.family_female.is_empty() {
        &names.family_female
    } else {
        &names.family
    };
    p.family
        .and_then(|i| list.get(i))
        .map(|s| &**s)
        .unwrap_or("")
}

/// A name as it appears in an email local part: ASCII, lower case, letters only.
fn email_word(locale: Locale, name: &str) -> String {
    let latin = if locale == Locale::Greece {
        greek_latin(name)
    } else {
        ascii_fold(name)
    };
    latin
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A birth date in `from_year ..= from_year + spread*2` (triangular around the middle).
fn random_dob(from_year: u16, spread: u64, rng: &mut Rng) -> Date {
    let year = from_year + (rng.below(spread + 1) + rng.below(spread + 1)) as u16;
    let month = 1 + rng.below(12) as u8;
    let day = 1 + rng.below(u64::from(days_in_month(year, month).max(1))) as u8;
    Date::new(year, month, day).unwrap_or(Date {
        year: 1970,
        month: 1,
        day: 1,
    })
}

/// A loyalty number unique per entity: "LY" and nine digits, a bijection of the entity
/// number (mod 900 million) salted by the seed.
fn loyalty_id(entity: u64, seed: u64) -> String {
    const M: u64 = 900_000_000;
    let n = ((entity % M) * 48_271 + seed % M) % M + 100_000_000;
    format!("LY{n}")
}

/// The canonical postcode of a new address in `city`.
fn postcode(locale: Locale, city: Option<&super::locale::City>, rng: &mut Rng) -> String {
    let Some(city) = city else {
        return String::new();
    };
    let number = city.zip_base + rng.below(u64::from(city.zip_span.max(1))) as u32;
    match locale {
        Locale::Uk => {
            const LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
            let district = 1 + rng.below(20);
            let inward = rng.below(10);
            let a = LETTERS
                .get(rng.index(LETTERS.len()))
                .copied()
                .unwrap_or(b'A');
            let b = LETTERS
                .get(rng.index(LETTERS.len()))
                .copied()
                .unwrap_or(b'B');
            format!(
                "{}{district} {inward}{}{}",
                city.post_area,
                char::from(a),
                char::from(b)
            )
        }
        Locale::Romania => format!("{number:06}"),
        Locale::Greece => format!("{} {:02}", number / 100, number % 100),
        _ => format!("{number:05}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loyalty_ids_are_unique_per_entity() {
        let ids: HashSet<String> = (0..10_000).map(|e| loyalty_id(e, 42)).collect();
        assert_eq!(ids.len(), 10_000);
        assert!(ids.iter().all(|i| i.len() == 11 && i.starts_with("LY")));
    }

    #[test]
    fn emails_are_unique_and_ascii() {
        let mut people = People::new(0);
        let mut rng = Rng::new(4);
        let knobs = Knobs::from(&super::super::SynthConfig::default());
        let mut seen = HashSet::new();
        for e in 0..2000 {
            let p = people.person(e, &knobs, &mut rng);
            assert!(p.email.is_ascii(), "{}", p.email);
            assert!(seen.insert(p.email.clone()));
        }
    }
}
