//! Two phases: first the truth (people, households, how many records each has, when
//! and from which source, what changes in their lives), drawn sequentially because
//! emails and phone numbers must stay unique; then every record is written from that
//! plan with its own random stream, so records can be written in any order with
//! identical results.

use super::format::PhoneNumber;
use super::people::{family_name, given_name};
use super::people::{Address, People, Person};
use super::render::{render, Plan, SourceTables, FIELD_NAMES, LOYALTY_SOURCE, PROFILES, SOURCES};
use super::rng::{Rng, Weighted};
use super::{synth_schema, Knobs, PersonFacts, Phenomena, SynthConfig, SynthData};
use sameas::record::{Record, Schema};

/// First and last second records are observed in (2016-01-01 .. 2024-12-31 UTC).
pub(crate) const OBSERVED_FROM: i64 = 1_451_606_400;
pub(crate) const OBSERVED_TO: i64 = 1_735_689_599;

/// A person and what changes during the time their records cover.
#[derive(Debug)]
struct Entity {
    person: Person,
    /// Entity id of the household's first member.
    household: u64,
    /// One of a household's twins.
    twin: bool,
    /// From this record on (in time order) the person lives at `new_address`.
    move_at: Option<usize>,
    new_address: Option<Address>,
    /// From this record on the person uses `new_email`.
    email_at: Option<usize>,
    new_email: Option<String>,
    /// From this record on the person uses `new_mobile`.
    phone_at: Option<usize>,
    new_mobile: Option<PhoneNumber>,
}

/// One record to write: when, from which source, whose, and which of their records.
#[derive(Debug, Clone, Copy)]
struct Slot {
    time: i64,
    entity: u32,
    /// Position among the entity's records, in time order.
    nth: u16,
    source: u8,
    /// Position in generation order: selects the record's random stream.
    stream: u32,
}

/// Draws the truth.
struct Planner {
    knobs: Knobs,
    rng: Rng,
    people: People,
    /// Record count of a person with more than one record (index 0 = 2 records).
    extra_records: Weighted,
    sources: Weighted,
    sources_without_loyalty: Weighted,
    entities: Vec<Entity>,
    slots: Vec<Slot>,
    target: usize,
}

impl Planner {
    fn new(config: &SynthConfig) -> Planner {
        let knobs = Knobs::from(config);
        let mut tail = Vec::new();
        let mut w = 250u32;
        for k in 2..=knobs.max_records {
            w = match k {
                2 => 250,
                3 => 150,
                4 => 90,
                5 => 60,
                6 => 40,
                7 => 20,
                8 => 10,
                _ => (w / 2).max(1),
            };
            tail.push(w);
        }
        let weights: Vec<u32> = PROFILES.iter().map(|p| p.weight).collect();
        let mut without = weights.clone();
        if let Some(w) = without.get_mut(LOYALTY_SOURCE) {
            *w = 0;
        }
        // Preallocate for sane sizes only; a huge request grows (and fails) as it goes.
        let capacity = config.records.min(1 << 24);
        Planner {
            rng: Rng::new(config.seed),
            people: People::new(config.name_head),
            extra_records: Weighted::new(&tail),
            sources: Weighted::new(&weights),
            sources_without_loyalty: Weighted::new(&without),
            entities: Vec::with_capacity(capacity / 2),
            slots: Vec::with_capacity(capacity),
            target: config.records,
            knobs,
        }
    }

    fn next_entity(&self) -> u64 {
        self.entities.len() as u64
    }

    fn run(&mut self) {
        while self.slots.len() < self.target {
            let size = if self.rng.chance(self.knobs.household_rate) {
                2 + self.rng.below(3)
            } else {
                1
            };
            let twins = self.rng.chance(self.knobs.twin_rate);
            let mut head = self
                .people
                .person(self.next_entity(), &self.knobs, &mut self.rng);
            if size > 1 && head.landline.is_none() {
                head.landline = Some(self.people.landline(&head.address, &mut self.rng));
            }
            let mut taken = vec![(head.female, head.given)];
            let head_index = self.entities.len();
            self.add(head, head_index as u64);
            for member in 1..size {
                if self.slots.len() >= self.target {
                    break;
                }
                let Some(head) = self.entities.get(head_index).map(|e| &e.person) else {
                    break;
                };
                let twin_of = (twins && member == 1).then_some(head.dob);
                let p = self.people.household_member(
                    self.entities.len() as u64,
                    head,
                    &taken,
                    twin_of,
                    &self.knobs,
                    &mut self.rng,
                );
                taken.push((p.female, p.given));
                let twin = twin_of.is_some();
                self.add(p, head_index as u64);
                if twin {
                    for e in [head_index, self.entities.len() - 1] {
                        if let Some(e) = self.entities.get_mut(e) {
                            e.twin = true;
                        }
                    }
                }
            }
        }
    }

    /// A change point in `1..k` (records from it on see the change), or none.
    fn change_at(&mut self, k: usize, rate: f64) -> Option<usize> {
        (k >= 2 && self.rng.chance(rate)).then(|| 1 + self.rng.index(k - 1))
    }

    /// Plans the records of one person.
    fn add(&mut self, person: Person, household: u64) {
        let remaining = self.target.saturating_sub(self.slots.len());
        let k = if self.knobs.max_records >= 2 && self.rng.chance(self.knobs.duplicate_rate) {
            2 + self.extra_records.sample(&mut self.rng)
        } else {
            1
        }
        .min(remaining);
        // Records of one person cluster in time: some within two years, some across
        // the whole range.
        let first = self.rng.range(OBSERVED_FROM, OBSERVED_TO);
        let span = if self.rng.chance(0.5) {
            2 * 365 * 86_400
        } else {
            OBSERVED_TO - OBSERVED_FROM
        };
        let last = first.saturating_add(span).min(OBSERVED_TO);
        let mut times: Vec<i64> = (0..k).map(|_| self.rng.range(first, last)).collect();
        times.sort_unstable();

        let move_at = self.change_at(k, self.knobs.move_rate);
        let email_at = self.change_at(k, self.knobs.email_change_rate);
        let phone_at = self.change_at(k, self.knobs.phone_change_rate);
        let new_address = move_at.map(|_| {
            self.people
                .address(person.address.locale, Some(&person.address), &mut self.rng)
        });
        let new_email = email_at.map(|_| self.people.email(&person, false, &mut self.rng));
        let new_mobile = phone_at.map(|_| self.people.mobile(person.address.locale, &mut self.rng));

        let entity = self.entities.len() as u32;
        for (nth, &time) in times.iter().enumerate() {
            let source = if person.loyalty.is_some() {
                self.sources.sample(&mut self.rng)
            } else {
                self.sources_without_loyalty.sample(&mut self.rng)
            };
            let stream = self.slots.len() as u32;
            self.slots.push(Slot {
                time,
                entity,
                nth: nth as u16,
                source: source as u8,
                stream,
            });
        }
        self.entities.push(Entity {
            person,
            household,
            twin: false,
            move_at,
            new_address,
            email_at,
            new_email,
            phone_at,
            new_mobile,
        });
    }
}

/// Everything a record writer reads.
struct Writer<'a> {
    schema: &'a Schema,
    entities: &'a [Entity],
    tables: SourceTables,
    knobs: &'a Knobs,
}

impl Writer<'_> {
    /// Writes the record of `slot`, numbered `n` within its source.
    fn write(
        &self,
        slot: Slot,
        n: u64,
        scratch: &mut Vec<(u8, String)>,
    ) -> Option<(Record, u64, Phenomena)> {
        let e = self.entities.get(slot.entity as usize)?;
        let p = &e.person;
        let after = |at: Option<usize>| at.is_some_and(|at| usize::from(slot.nth) >= at);
        let (email, old_email) = match &e.new_email {
            Some(new) if after(e.email_at) => (new.as_str(), Some(p.email.as_str())),
            _ => (p.email.as_str(), None),
        };
        let plan = Plan {
            person: p,
            source: usize::from(slot.source),
            email,
            old_email,
            mobile: match &e.new_mobile {
                Some(m) if after(e.phone_at) => m,
                _ => &p.mobile,
            },
            address: match &e.new_address {
                Some(a) if after(e.move_at) => a,
                _ => &p.address,
            },
            changed: [
                e.new_email.is_some() && after(e.email_at),
                e.new_mobile.is_some() && after(e.phone_at),
                e.new_address.is_some() && after(e.move_at),
            ],
        };
        let mut tags = Phenomena::default();
        let mut rng = Rng::stream(self.knobs.seed, u64::from(slot.stream));
        scratch.clear();
        render(
            &plan,
            &self.tables,
            self.knobs,
            &mut rng,
            scratch,
            &mut tags,
        );
        let source = SOURCES[usize::from(slot.source).min(SOURCES.len() - 1)];
        let mut builder = Record::builder(self.schema, format!("{source}-{n:06}"))
            .source(source)
            .observed_at(slot.time);
        for (field, value) in scratch.drain(..) {
            if let Some(name) = FIELD_NAMES.get(usize::from(field)) {
                builder = builder.value(name, value);
            }
        }
        // Field names come from the schema itself, so building cannot fail.
        builder
            .build()
            .ok()
            .map(|r| (r, u64::from(slot.entity), tags))
    }
}

/// Plans the truth, then writes every record.
pub(crate) fn generate(config: &SynthConfig) -> SynthData {
    let mut planner = Planner::new(config);
    planner.run();
    let Planner {
        knobs,
        entities,
        mut slots,
        ..
    } = planner;
    // Records come out in order of observation; the stable sort keeps ties in
    // generation order, so the order is fully determined by the seed.
    slots.sort_by_key(|s| s.time);
    let mut counters = [0u64; SOURCES.len()];
    let numbered: Vec<(Slot, u64)> = slots
        .into_iter()
        .map(|s| {
            let c = &mut counters[usize::from(s.source).min(SOURCES.len() - 1)];
            *c += 1;
            (s, *c)
        })
        .collect();
    let schema = synth_schema();
    let writer = Writer {
        schema: &schema,
        entities: &entities,
        tables: SourceTables::new(),
        knobs: &knobs,
    };
    // Every record has its own random stream, so this loop could run in parallel with
    // the same result; measured on 2 cores it gains nothing (allocation-bound).
    let mut scratch = Vec::with_capacity(12);
    let mut records = Vec::with_capacity(numbered.len());
    let mut truth = Vec::with_capacity(numbered.len());
    let mut phenomena = Vec::with_capacity(numbered.len());
    for (slot, n) in numbered {
        // Building cannot fail (see `Writer::write`), so records and truth stay aligned.
        if let Some((record, entity, tags)) = writer.write(slot, n, &mut scratch) {
            records.push(record);
            truth.push(entity);
            phenomena.push(tags);
        }
    }
    let people = entities
        .iter()
        .map(|e| PersonFacts {
            household: e.household,
            twin: e.twin,
            name: format!("{} {}", given_name(&e.person), family_name(&e.person))
                .trim()
                .to_string(),
        })
        .collect();
    SynthData {
        schema,
        records,
        truth,
        phenomena,
        people,
    }
}

/// The true people `config` generates (to test the truth itself).
#[cfg(test)]
pub(crate) fn people(config: &SynthConfig) -> Vec<Person> {
    let mut planner = Planner::new(config);
    planner.run();
    planner.entities.into_iter().map(|e| e.person).collect()
}
