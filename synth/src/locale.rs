//! Name, address and phone tables for each locale the generator draws people from.
//!
//! Lists are ordered from common to rare: the generator draws them with Zipf-like
//! weights, so the first entries of each list are really common. The name lists are
//! only the common head of each locale's names; `names` composes the long tail.

/// A country / naming culture people are drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Locale {
    /// England, Scotland, Wales.
    Uk,
    /// United States.
    Us,
    /// Serbia (Latin and Cyrillic scripts).
    Serbia,
    /// Romania (ș/ş/s variants).
    Romania,
    /// Indonesia (mononyms, titles).
    Indonesia,
    /// Germany (umlauts, ß).
    Germany,
    /// Greece (Greek script and Latin transliteration).
    Greece,
}

/// Every locale, in table order.
pub(crate) const LOCALES: [Locale; 7] = [
    Locale::Uk,
    Locale::Us,
    Locale::Serbia,
    Locale::Romania,
    Locale::Indonesia,
    Locale::Germany,
    Locale::Greece,
];

/// Share of people per locale (same order as [`LOCALES`]).
pub(crate) const LOCALE_WEIGHTS: [u32; 7] = [17, 13, 20, 17, 16, 12, 5];

/// A city: its spellings (first is canonical), postcode range and phone area code.
#[derive(Debug)]
pub(crate) struct City {
    /// Spellings; the first is canonical, others are aliases some sources use.
    pub names: &'static [&'static str],
    /// First postcode number (UK: unused).
    pub zip_base: u32,
    /// How many postcode numbers the city spans.
    pub zip_span: u32,
    /// UK postcode area letters ("SW", "M"); empty elsewhere.
    pub post_area: &'static str,
    /// Landline area code without trunk prefix.
    pub area: &'static str,
}

/// Telephone numbering of a country.
#[derive(Debug)]
pub(crate) struct PhoneSpec {
    /// Country calling code without "+".
    pub cc: &'static str,
    /// National trunk prefix ("0"; empty for the US and Greece).
    pub trunk: &'static str,
    /// First digits of mobile numbers (national, without trunk).
    pub mobile_prefixes: &'static [&'static str],
    /// Digits of a national number (without trunk).
    pub national_len: usize,
}

/// How a street address is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StreetStyle {
    /// "12 High Street" (UK, US).
    NumberFirst,
    /// "Kneza Miloša 12", "Hauptstraße 12", "Ερμού 15".
    NameNumber,
    /// "Strada Mihai Eminescu nr. 5" (Romania).
    TypeNameNr,
    /// "Jl. Sudirman No. 45" (Indonesia).
    TypeNameNo,
}

/// Everything the generator needs about one locale.
#[derive(Debug)]
pub(crate) struct LocaleData {
    pub male: &'static [&'static str],
    pub female: &'static [&'static str],
    pub family: &'static [&'static str],
    /// Female forms of `family`, same order (Greek); `None` where surnames are not gendered.
    pub family_female: Option<&'static [&'static str]>,
    /// Formal given name → informal forms.
    pub nicknames: &'static [(&'static str, &'static [&'static str])],
    /// Share of people with a given name only.
    pub mononym_rate: f64,
    pub honorific_male: &'static [&'static str],
    pub honorific_female: &'static [&'static str],
    /// Professional / religious titles written before the name (Indonesia).
    pub titles_before: &'static [&'static str],
    /// Academic titles written after the name (Indonesia).
    pub titles_after: &'static [&'static str],
    pub email_domains: &'static [&'static str],
    pub cities: &'static [City],
    pub streets: &'static [&'static str],
    /// Street types as (full, abbreviated); empty when part of the street name.
    pub street_types: &'static [(&'static str, &'static str)],
    /// Words inside street names that some sources abbreviate (full, abbreviated).
    pub abbreviations: &'static [(&'static str, &'static str)],
    pub street_style: StreetStyle,
    /// Ways of writing the country; the first is canonical.
    pub countries: &'static [&'static str],
    pub phone: PhoneSpec,
}

/// The tables of `locale`.
pub(crate) fn data(locale: Locale) -> &'static LocaleData {
    match locale {
        Locale::Uk => &UK,
        Locale::Us => &US,
        Locale::Serbia => &SERBIA,
        Locale::Romania => &ROMANIA,
        Locale::Indonesia => &INDONESIA,
        Locale::Germany => &GERMANY,
        Locale::Greece => &GREECE,
    }
}

const EN_MALE: &[&str] = &[
    "James",
    "John",
    "Robert",
    "Michael",
    "William",
    "David",
    "Richard",
    "Thomas",
    "Joseph",
    "Christopher",
    "Daniel",
    "Matthew",
    "Anthony",
    "Mark",
    "Paul",
    "Steven",
    "Andrew",
    "George",
    "Edward",
    "Peter",
    "Oliver",
    "Harry",
    "Jack",
];
const EN_FEMALE: &[&str] = &[
    "Mary",
    "Elizabeth",
    "Sarah",
    "Jennifer",
    "Emma",
    "Patricia",
    "Linda",
    "Susan",
    "Margaret",
    "Jessica",
    "Karen",
    "Emily",
    "Olivia",
    "Sophie",
    "Charlotte",
    "Rebecca",
    "Katherine",
    "Laura",
    "Hannah",
    "Amy",
    "Lucy",
];
const EN_FAMILY: &[&str] = &[
    "Smith", "Jones", "Williams", "Brown", "Taylor", "Johnson", "Davies", "Miller", "Wilson",
    "Evans", "Thomas", "Roberts", "Walker", "Wright", "Robinson", "Thompson", "White", "Hughes",
    "Edwards", "Green", "Hall", "Wood", "Harris", "Clarke", "Jackson", "Moore", "Martin", "Lewis",
    "Anderson", "O'Brien",
];
const EN_NICKNAMES: &[(&str, &[&str])] = &[
    ("James", &["Jim", "Jimmy", "Jamie"]),
    ("John", &["Jack", "Johnny"]),
    ("Robert", &["Bob", "Rob", "Bobby"]),
    ("Michael", &["Mike", "Mick"]),
    ("William", &["Bill", "Will", "Billy"]),
    ("David", &["Dave"]),
    ("Richard", &["Rick", "Dick", "Rich"]),
    ("Thomas", &["Tom", "Tommy"]),
    ("Joseph", &["Joe"]),
    ("Christopher", &["Chris"]),
    ("Daniel", &["Dan", "Danny"]),
    ("Matthew", &["Matt"]),
    ("Anthony", &["Tony"]),
    ("Steven", &["Steve"]),
    ("Andrew", &["Andy", "Drew"]),
    ("Edward", &["Ed", "Ted", "Eddie"]),
    ("Peter", &["Pete"]),
    ("Elizabeth", &["Liz", "Beth", "Lizzie"]),
    ("Jennifer", &["Jen", "Jenny"]),
    ("Patricia", &["Pat", "Trish"]),
    ("Susan", &["Sue"]),
    ("Margaret", &["Maggie", "Peggy"]),
    ("Jessica", &["Jess"]),
    ("Rebecca", &["Becky"]),
    ("Katherine", &["Kate", "Kathy", "Katie"]),
];
const EN_HON_M: &[&str] = &["Mr", "Mr.", "Dr"];
const EN_HON_F: &[&str] = &["Mrs", "Ms", "Miss", "Mrs.", "Dr"];

const UK_CITIES: &[City] = &[
    City {
        names: &["London"],
        zip_base: 0,
        zip_span: 0,
        post_area: "SW",
        area: "20",
    },
    City {
        names: &["London"],
        zip_base: 0,
        zip_span: 0,
        post_area: "N",
        area: "20",
    },
    City {
        names: &["London"],
        zip_base: 0,
        zip_span: 0,
        post_area: "SE",
        area: "20",
    },
    City {
        names: &["Manchester"],
        zip_base: 0,
        zip_span: 0,
        post_area: "M",
        area: "161",
    },
    City {
        names: &["Birmingham"],
        zip_base: 0,
        zip_span: 0,
        post_area: "B",
        area: "121",
    },
    City {
        names: &["Leeds"],
        zip_base: 0,
        zip_span: 0,
        post_area: "LS",
        area: "113",
    },
    City {
        names: &["Glasgow"],
        zip_base: 0,
        zip_span: 0,
        post_area: "G",
        area: "141",
    },
    City {
        names: &["Bristol"],
        zip_base: 0,
        zip_span: 0,
        post_area: "BS",
        area: "117",
    },
    City {
        names: &["Liverpool"],
        zip_base: 0,
        zip_span: 0,
        post_area: "L",
        area: "151",
    },
    City {
        names: &["Edinburgh"],
        zip_base: 0,
        zip_span: 0,
        post_area: "EH",
        area: "131",
    },
];
const UK_STREETS: &[&str] = &[
    "High", "Station", "Church", "Park", "Victoria", "Green", "Manor", "Mill", "Queen's", "King's",
    "London", "Albert", "Windsor", "Grange", "Richmond",
];
const UK_TYPES: &[(&str, &str)] = &[
    ("Street", "St"),
    ("Road", "Rd"),
    ("Lane", "Ln"),
    ("Avenue", "Ave"),
    ("Close", "Cl"),
    ("Drive", "Dr"),
];

static UK: LocaleData = LocaleData {
    male: EN_MALE,
    female: EN_FEMALE,
    family: EN_FAMILY,
    family_female: None,
    nicknames: EN_NICKNAMES,
    mononym_rate: 0.0,
    honorific_male: EN_HON_M,
    honorific_female: EN_HON_F,
    titles_before: &[],
    titles_after: &[],
    email_domains: &[
        "gmail.com",
        "hotmail.co.uk",
        "yahoo.co.uk",
        "outlook.com",
        "btinternet.com",
        "sky.com",
    ],
    cities: UK_CITIES,
    streets: UK_STREETS,
    street_types: UK_TYPES,
    abbreviations: &[],
    street_style: StreetStyle::NumberFirst,
    countries: &["United Kingdom", "UK", "GB", "England", "Great Britain"],
    phone: PhoneSpec {
        cc: "44",
        trunk: "0",
        mobile_prefixes: &["77", "78", "79", "74", "75"],
        national_len: 10,
    },
};

const US_CITIES: &[City] = &[
    City {
        names: &["New York", "New York City", "NYC"],
        zip_base: 10001,
        zip_span: 280,
        post_area: "",
        area: "212",
    },
    City {
        names: &["Los Angeles", "LA"],
        zip_base: 90001,
        zip_span: 90,
        post_area: "",
        area: "213",
    },
    City {
        names: &["Chicago"],
        zip_base: 60601,
        zip_span: 60,
        post_area: "",
        area: "312",
    },
    City {
        names: &["Houston"],
        zip_base: 77001,
        zip_span: 99,
        post_area: "",
        area: "713",
    },
    City {
        names: &["Phoenix"],
        zip_base: 85001,
        zip_span: 50,
        post_area: "",
        area: "602",
    },
    City {
        names: &["Philadelphia", "Phila"],
        zip_base: 19102,
        zip_span: 50,
        post_area: "",
        area: "215",
    },
    City {
        names: &["Seattle"],
        zip_base: 98101,
        zip_span: 99,
        post_area: "",
        area: "206",
    },
    City {
        names: &["Boston"],
        zip_base: 2108,
        zip_span: 90,
        post_area: "",
        area: "617",
    },
    City {
        names: &["Denver"],
        zip_base: 80201,
        zip_span: 90,
        post_area: "",
        area: "303",
    },
    City {
        names: &["San Antonio"],
        zip_base: 78201,
        zip_span: 60,
        post_area: "",
        area: "210",
    },
];
const US_STREETS: &[&str] = &[
    "Main",
    "Oak",
    "Maple",
    "Park",
    "Washington",
    "Elm",
    "Lake",
    "Pine",
    "Cedar",
    "2nd",
    "Lincoln",
    "Sunset",
    "Hill",
    "Jackson",
    "Highland",
];
const US_TYPES: &[(&str, &str)] = &[
    ("Street", "St"),
    ("Avenue", "Ave"),
    ("Boulevard", "Blvd"),
    ("Drive", "Dr"),
    ("Road", "Rd"),
    ("Court", "Ct"),
];

static US: LocaleData = LocaleData {
    male: EN_MALE,
    female: EN_FEMALE,
    family: EN_FAMILY,
    family_female: None,
    nicknames: EN_NICKNAMES,
    mononym_rate: 0.0,
    honorific_male: EN_HON_M,
    honorific_female: EN_HON_F,
    titles_before: &[],
    titles_after: &[],
    email_domains: &[
        "gmail.com",
        "yahoo.com",
        "hotmail.com",
        "outlook.com",
        "aol.com",
        "icloud.com",
        "comcast.net",
    ],
    cities: US_CITIES,
    streets: US_STREETS,
    street_types: US_TYPES,
    abbreviations: &[],
    street_style: StreetStyle::NumberFirst,
    countries: &[
        "United States",
        "USA",
        "US",
        "United States of America",
        "U.S.",
    ],
    phone: PhoneSpec {
        cc: "1",
        trunk: "",
        mobile_prefixes: &[],
        national_len: 10,
    },
};

static SERBIA: LocaleData = LocaleData {
    male: &[
        "Marko",
        "Nikola",
        "Stefan",
        "Aleksandar",
        "Milan",
        "Dragan",
        "Nenad",
        "Miloš",
        "Jovan",
        "Vladimir",
        "Dušan",
        "Zoran",
        "Đorđe",
        "Slobodan",
        "Ivan",
        "Lazar",
    ],
    female: &[
        "Milica",
        "Jovana",
        "Ana",
        "Marija",
        "Jelena",
        "Ivana",
        "Aleksandra",
        "Dragana",
        "Snežana",
        "Tijana",
        "Teodora",
        "Katarina",
        "Ljiljana",
        "Mirjana",
        "Nataša",
    ],
    family: &[
        "Jovanović",
        "Petrović",
        "Nikolić",
        "Marković",
        "Đorđević",
        "Stojanović",
        "Ilić",
        "Stanković",
        "Pavlović",
        "Milošević",
        "Popović",
        "Đukić",
        "Kostić",
        "Lazić",
        "Živković",
        "Obradović",
        "Savić",
        "Ristić",
        "Tomić",
        "Janković",
        "Mitrović",
        "Vuković",
        "Ljubičić",
        "Kovačević",
    ],
    family_female: None,
    nicknames: &[
        ("Aleksandar", &["Saša", "Aca"]),
        ("Aleksandra", &["Saša", "Sanja"]),
        ("Slobodan", &["Boban", "Sloba"]),
        ("Vladimir", &["Vlada"]),
        ("Jovan", &["Joca"]),
        ("Nenad", &["Neša"]),
        ("Snežana", &["Sneža"]),
        ("Dragan", &["Gaga"]),
        ("Miloš", &["Mića"]),
        ("Katarina", &["Kaća"]),
        ("Ljiljana", &["Lila"]),
        ("Nikola", &["Nidža"]),
    ],
    mononym_rate: 0.0,
    honorific_male: &["g.", "gospodin"],
    honorific_female: &["gđa", "gđa.", "gđica"],
    titles_before: &[],
    titles_after: &[],
    email_domains: &[
        "gmail.com",
        "yahoo.com",
        "eunet.rs",
        "mts.rs",
        "sbb.rs",
        "hotmail.com",
    ],
    cities: &[
        City {
            names: &["Beograd", "Belgrade"],
            zip_base: 11000,
            zip_span: 300,
            post_area: "",
            area: "11",
        },
        City {
            names: &["Novi Sad"],
            zip_base: 21000,
            zip_span: 200,
            post_area: "",
            area: "21",
        },
        City {
            names: &["Niš"],
            zip_base: 18000,
            zip_span: 120,
            post_area: "",
            area: "18",
        },
        City {
            names: &["Kragujevac"],
            zip_base: 34000,
            zip_span: 100,
            post_area: "",
            area: "34",
        },
        City {
            names: &["Subotica"],
            zip_base: 24000,
            zip_span: 50,
            post_area: "",
            area: "24",
        },
        City {
            names: &["Čačak"],
            zip_base: 32000,
            zip_span: 50,
            post_area: "",
            area: "32",
        },
        City {
            names: &["Zrenjanin"],
            zip_base: 23000,
            zip_span: 50,
            post_area: "",
            area: "23",
        },
    ],
    streets: &[
        "Kneza Miloša",
        "Cara Dušana",
        "Nemanjina",
        "Takovska",
        "Vojvode Stepe",
        "Kralja Petra",
        "Bulevar oslobođenja",
        "Njegoševa",
        "Gospodar Jevremova",
        "Svetog Save",
        "Bulevar kralja Aleksandra",
        "Đure Jakšića",
    ],
    street_types: &[],
    abbreviations: &[("Bulevar", "Bul."), ("Kralja", "Kr."), ("Vojvode", "Vojv.")],
    street_style: StreetStyle::NameNumber,
    countries: &[
        "Serbia",
        "Srbija",
        "RS",
        "Republic of Serbia",
        "Република Србија",
    ],
    phone: PhoneSpec {
        cc: "381",
        trunk: "0",
        mobile_prefixes: &["60", "61", "62", "63", "64", "65", "66"],
        national_len: 9,
    },
};

static ROMANIA: LocaleData = LocaleData {
    male: &[
        "Andrei",
        "Alexandru",
        "Ion",
        "Mihai",
        "Ștefan",
        "Gheorghe",
        "Constantin",
        "Florin",
        "Adrian",
        "Cristian",
        "Gabriel",
        "Vasile",
        "Ionuț",
        "Răzvan",
        "Bogdan",
    ],
    female: &[
        "Maria",
        "Elena",
        "Ioana",
        "Andreea",
        "Ana",
        "Mihaela",
        "Alexandra",
        "Cristina",
        "Gabriela",
        "Daniela",
        "Ștefania",
        "Alina",
        "Georgiana",
        "Roxana",
        "Simona",
    ],
    family: &[
        "Popescu",
        "Popa",
        "Ionescu",
        "Pop",
        "Constantin",
        "Stan",
        "Dumitrescu",
        "Stoica",
        "Gheorghe",
        "Rusu",
        "Munteanu",
        "Matei",
        "Ciobanu",
        "Florea",
        "Ștefănescu",
        "Lupu",
        "Țăranu",
        "Moldovan",
        "Barbu",
        "Nistor",
        "Tudor",
        "Dinu",
        "Șerban",
    ],
    family_female: None,
    nicknames: &[
        ("Alexandru", &["Alex", "Sandu"]),
        ("Ștefan", &["Fănel", "Ștefi"]),
        ("Gheorghe", &["Gică", "George"]),
        ("Constantin", &["Costel", "Costi"]),
        ("Mihai", &["Mihăiță"]),
        ("Vasile", &["Vasilică"]),
        ("Elena", &["Ela", "Lenuța"]),
        ("Alexandra", &["Alex"]),
        ("Gabriela", &["Gabi"]),
        ("Cristina", &["Cristi"]),
        ("Gabriel", &["Gabi"]),
    ],
    mononym_rate: 0.0,
    honorific_male: &["Dl.", "Domnul", "Dr."],
    honorific_female: &["Dna.", "Doamna", "D-na"],
    titles_before: &[],
    titles_after: &[],
    email_domains: &[
        "gmail.com",
        "yahoo.com",
        "yahoo.ro",
        "hotmail.com",
        "outlook.com",
    ],
    cities: &[
        City {
            names: &["București", "Bucuresti", "Bucharest"],
            zip_base: 10000,
            zip_span: 60000,
            post_area: "",
            area: "21",
        },
        City {
            names: &["Cluj-Napoca", "Cluj"],
            zip_base: 400000,
            zip_span: 700,
            post_area: "",
            area: "264",
        },
        City {
            names: &["Iași"],
            zip_base: 700000,
            zip_span: 700,
            post_area: "",
            area: "232",
        },
        City {
            names: &["Timișoara"],
            zip_base: 300000,
            zip_span: 700,
            post_area: "",
            area: "256",
        },
        City {
            names: &["Constanța"],
            zip_base: 900000,
            zip_span: 700,
            post_area: "",
            area: "241",
        },
        City {
            names: &["Brașov"],
            zip_base: 500000,
            zip_span: 500,
            post_area: "",
            area: "268",
        },
        City {
            names: &["Craiova"],
            zip_base: 200000,
            zip_span: 700,
            post_area: "",
            area: "251",
        },
    ],
    streets: &[
        "Mihai Eminescu",
        "Ștefan cel Mare",
        "Unirii",
        "Victoriei",
        "Republicii",
        "Avram Iancu",
        "Libertății",
        "Independenței",
        "Nicolae Bălcescu",
        "Tudor Vladimirescu",
        "Mărășești",
        "Lalelelor",
    ],
    street_types: &[
        ("Strada", "Str."),
        ("Bulevardul", "Bd."),
        ("Calea", "Cal."),
        ("Aleea", "Al."),
    ],
    abbreviations: &[],
    street_style: StreetStyle::TypeNameNr,
    countries: &["Romania", "România", "RO", "Rumania"],
    phone: PhoneSpec {
        cc: "40",
        trunk: "0",
        mobile_prefixes: &["72", "73", "74", "75", "76", "77", "78"],
        national_len: 9,
    },
};

static INDONESIA: LocaleData = LocaleData {
    male: &[
        "Budi", "Agus", "Muhammad", "Ahmad", "Joko", "Eko", "Hendra", "Wahyu", "Bambang", "Rudi",
        "Yudi", "Andi", "Slamet", "Hadi", "Teguh", "Bayu", "Dedi", "Cahya",
    ],
    female: &[
        "Siti", "Sri", "Dewi", "Putri", "Rina", "Ayu", "Indah", "Fitri", "Ratna", "Nur", "Wati",
        "Lestari", "Yuni", "Dian", "Kartika",
    ],
    family: &[
        "Santoso",
        "Wijaya",
        "Saputra",
        "Pratama",
        "Hidayat",
        "Kusuma",
        "Nugroho",
        "Setiawan",
        "Susanto",
        "Siregar",
        "Simanjuntak",
        "Nasution",
        "Gunawan",
        "Halim",
        "Hartono",
        "Sutrisno",
        "Purnomo",
    ],
    family_female: None,
    nicknames: &[
        ("Muhammad", &["Muh.", "M.", "Mohammad", "Mohamad", "Moh."]),
        ("Ahmad", &["Achmad", "Akhmad"]),
        ("Slamet", &["Met"]),
        ("Bambang", &["Bams"]),
        ("Kartika", &["Tika"]),
        ("Lestari", &["Tari"]),
    ],
    mononym_rate: 0.4,
    honorific_male: &["Bapak", "Bpk.", "Pak"],
    honorific_female: &["Ibu", "Bu", "Ibu"],
    titles_before: &["Ir.", "Dr.", "H.", "Drs."],
    titles_after: &["S.Kom.", "S.E.", "S.H.", "M.M.", "S.T."],
    email_domains: &[
        "gmail.com",
        "yahoo.co.id",
        "ymail.com",
        "yahoo.com",
        "outlook.co.id",
    ],
    cities: &[
        City {
            names: &["Jakarta", "DKI Jakarta", "Jakarta Selatan"],
            zip_base: 10110,
            zip_span: 4000,
            post_area: "",
            area: "21",
        },
        City {
            names: &["Surabaya"],
            zip_base: 60111,
            zip_span: 300,
            post_area: "",
            area: "31",
        },
        City {
            names: &["Bandung"],
            zip_base: 40111,
            zip_span: 600,
            post_area: "",
            area: "22",
        },
        City {
            names: &["Medan"],
            zip_base: 20111,
            zip_span: 300,
            post_area: "",
            area: "61",
        },
        City {
            names: &["Yogyakarta", "Jogja", "Jogjakarta"],
            zip_base: 55111,
            zip_span: 200,
            post_area: "",
            area: "274",
        },
        City {
            names: &["Semarang"],
            zip_base: 50111,
            zip_span: 200,
            post_area: "",
            area: "24",
        },
        City {
            names: &["Denpasar"],
            zip_base: 80111,
            zip_span: 200,
            post_area: "",
            area: "361",
        },
    ],
    streets: &[
        "Sudirman",
        "Merdeka",
        "Diponegoro",
        "Gatot Subroto",
        "M.H. Thamrin",
        "Ahmad Yani",
        "Gajah Mada",
        "Pahlawan",
        "Kebon Jeruk",
        "Melati",
        "Veteran",
        "Imam Bonjol",
    ],
    street_types: &[("Jalan", "Jl."), ("Jalan", "Jln."), ("Gang", "Gg.")],
    abbreviations: &[],
    street_style: StreetStyle::TypeNameNo,
    countries: &["Indonesia", "ID", "Republik Indonesia", "INA"],
    phone: PhoneSpec {
        cc: "62",
        trunk: "0",
        mobile_prefixes: &[
            "811", "812", "813", "821", "822", "852", "856", "857", "878",
        ],
        national_len: 11,
    },
};

static GERMANY: LocaleData = LocaleData {
    male: &[
        "Thomas",
        "Michael",
        "Andreas",
        "Stefan",
        "Peter",
        "Jürgen",
        "Klaus",
        "Frank",
        "Markus",
        "Wolfgang",
        "Johannes",
        "Lukas",
        "Jörg",
        "Uwe",
        "Alexander",
    ],
    female: &[
        "Sabine",
        "Anna",
        "Maria",
        "Ursula",
        "Petra",
        "Monika",
        "Julia",
        "Katharina",
        "Claudia",
        "Andrea",
        "Birgit",
        "Lena",
    ],
    family: &[
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Schulz",
        "Hoffmann",
        "Schäfer",
        "Koch",
        "Bauer",
        "Richter",
        "Klein",
        "Wolf",
        "Schröder",
        "Neumann",
        "Weiß",
        "Groß",
        "Krüger",
        "Zimmermann",
        "Braun",
    ],
    family_female: None,
    nicknames: &[
        ("Johannes", &["Hannes", "Johann"]),
        ("Alexander", &["Alex"]),
        ("Katharina", &["Kathi", "Katja"]),
        ("Andreas", &["Andi"]),
        ("Thomas", &["Tom"]),
        ("Michael", &["Micha"]),
        ("Wolfgang", &["Wolf"]),
        ("Markus", &["Marcus"]),
        ("Stefan", &["Steffen"]),
    ],
    mononym_rate: 0.0,
    honorific_male: &["Herr", "Hr.", "Dr."],
    honorific_female: &["Frau", "Fr.", "Dr."],
    titles_before: &[],
    titles_after: &[],
    email_domains: &[
        "gmail.com",
        "web.de",
        "gmx.de",
        "t-online.de",
        "gmx.net",
        "outlook.de",
    ],
    cities: &[
        City {
            names: &["Berlin"],
            zip_base: 10115,
            zip_span: 4000,
            post_area: "",
            area: "30",
        },
        City {
            names: &["München", "Munich"],
            zip_base: 80331,
            zip_span: 1400,
            post_area: "",
            area: "89",
        },
        City {
            names: &["Hamburg"],
            zip_base: 20095,
            zip_span: 2500,
            post_area: "",
            area: "40",
        },
        City {
            names: &["Köln", "Cologne"],
            zip_base: 50667,
            zip_span: 1100,
            post_area: "",
            area: "221",
        },
        City {
            names: &["Frankfurt am Main", "Frankfurt", "Frankfurt a.M."],
            zip_base: 60306,
            zip_span: 300,
            post_area: "",
            area: "69",
        },
        City {
            names: &["Stuttgart"],
            zip_base: 70173,
            zip_span: 500,
            post_area: "",
            area: "711",
        },
        City {
            names: &["Düsseldorf"],
            zip_base: 40210,
            zip_span: 400,
            post_area: "",
            area: "211",
        },
        City {
            names: &["Leipzig"],
            zip_base: 4103,
            zip_span: 250,
            post_area: "",
            area: "341",
        },
    ],
    streets: &[
        "Hauptstraße",
        "Bahnhofstraße",
        "Schulstraße",
        "Gartenstraße",
        "Dorfstraße",
        "Bergstraße",
        "Lindenstraße",
        "Goethestraße",
        "Schillerstraße",
        "Kirchstraße",
        "Birkenweg",
        "Rosenweg",
        "Am Markt",
        "Müllerstraße",
    ],
    street_types: &[],
    abbreviations: &[("straße", "str.")],
    street_style: StreetStyle::NameNumber,
    countries: &["Germany", "Deutschland", "DE", "BRD", "D"],
    phone: PhoneSpec {
        cc: "49",
        trunk: "0",
        mobile_prefixes: &["151", "152", "160", "162", "170", "171", "172", "176"],
        national_len: 11,
    },
};

static GREECE: LocaleData = LocaleData {
    male: &[
        "Γιώργος",
        "Δημήτρης",
        "Κωνσταντίνος",
        "Γιάννης",
        "Νίκος",
        "Παναγιώτης",
        "Χρήστος",
        "Βασίλης",
        "Αθανάσιος",
        "Μιχάλης",
    ],
    female: &[
        "Μαρία",
        "Ελένη",
        "Αικατερίνη",
        "Βασιλική",
        "Σοφία",
        "Αγγελική",
        "Γεωργία",
        "Δήμητρα",
        "Χριστίνα",
        "Ειρήνη",
    ],
    family: &[
        "Παπαδόπουλος",
        "Παπαδάκης",
        "Παππάς",
        "Γεωργίου",
        "Οικονόμου",
        "Νικολάου",
        "Βασιλείου",
        "Καραγιάννης",
        "Μακρής",
        "Αντωνίου",
        "Ιωάννου",
    ],
    family_female: Some(&[
        "Παπαδοπούλου",
        "Παπαδάκη",
        "Παππά",
        "Γεωργίου",
        "Οικονόμου",
        "Νικολάου",
        "Βασιλείου",
        "Καραγιάννη",
        "Μακρή",
        "Αντωνίου",
        "Ιωάννου",
    ]),
    nicknames: &[
        ("Κωνσταντίνος", &["Κώστας"]),
        ("Αθανάσιος", &["Θανάσης"]),
        ("Αικατερίνη", &["Κατερίνα"]),
        ("Παναγιώτης", &["Πάνος"]),
        ("Βασιλική", &["Βάσω"]),
        ("Δημήτρης", &["Μήτσος"]),
        ("Γιάννης", &["Ιωάννης"]),
        ("Γιώργος", &["Γεώργιος"]),
    ],
    mononym_rate: 0.0,
    honorific_male: &["κ."],
    honorific_female: &["κα"],
    titles_before: &[],
    titles_after: &[],
    email_domains: &[
        "gmail.com",
        "yahoo.gr",
        "hotmail.com",
        "otenet.gr",
        "windowslive.com",
    ],
    cities: &[
        City {
            names: &["Αθήνα", "Athens"],
            zip_base: 10431,
            zip_span: 1500,
            post_area: "",
            area: "21",
        },
        City {
            names: &["Θεσσαλονίκη", "Thessaloniki"],
            zip_base: 54621,
            zip_span: 800,
            post_area: "",
            area: "231",
        },
        City {
            names: &["Πάτρα", "Patras"],
            zip_base: 26221,
            zip_span: 300,
            post_area: "",
            area: "261",
        },
        City {
            names: &["Ηράκλειο", "Heraklion"],
            zip_base: 71201,
            zip_span: 300,
            post_area: "",
            area: "281",
        },
    ],
    streets: &[
        "Ερμού",
        "Σταδίου",
        "Πατησίων",
        "Αθηνάς",
        "Ακαδημίας",
        "Εγνατίας",
        "Τσιμισκή",
        "Κηφισίας",
    ],
    street_types: &[],
    abbreviations: &[],
    street_style: StreetStyle::NameNumber,
    countries: &["Greece", "Ελλάδα", "GR", "Hellas", "Ellada"],
    phone: PhoneSpec {
        cc: "30",
        trunk: "",
        mobile_prefixes: &["69"],
        national_len: 10,
    },
};

/// Every locale's tables, for tests and table-wide checks.
#[cfg(test)]
pub(crate) fn all() -> impl Iterator<Item = &'static LocaleData> {
    LOCALES.into_iter().map(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_complete_and_consistent() {
        let mut given = 0;
        let mut family = 0;
        for d in all() {
            assert!(!d.male.is_empty() && !d.female.is_empty() && !d.family.is_empty());
            assert!(!d.cities.is_empty() && !d.streets.is_empty() && !d.countries.is_empty());
            assert!(!d.email_domains.is_empty() && !d.honorific_male.is_empty());
            given += d.male.len() + d.female.len();
            family += d.family.len();
            if let Some(f) = d.family_female {
                assert_eq!(f.len(), d.family.len());
            }
            for (formal, nicks) in d.nicknames {
                assert!(
                    d.male.contains(formal) || d.female.contains(formal),
                    "nickname of unknown name {formal}"
                );
                assert!(!nicks.is_empty());
            }
            for c in d.cities {
                assert!(!c.names.is_empty() && !c.area.is_empty());
                assert!(c.area.len() < d.phone.national_len);
            }
            for p in d.phone.mobile_prefixes {
                assert!(p.len() < d.phone.national_len);
            }
        }
        // English names are shared by the UK and the US: count them once.
        given -= EN_MALE.len() + EN_FEMALE.len();
        family -= EN_FAMILY.len();
        assert!((150..=300).contains(&given), "{given} given names");
        assert!((100..=300).contains(&family), "{family} family names");
        assert_eq!(LOCALES.len(), LOCALE_WEIGHTS.len());
    }
}
