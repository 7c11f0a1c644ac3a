//! The comparison inner loop never allocates: the similarity functions on prepared
//! inputs, and γ of two prepared records. Counted by a per-thread global allocator.

mod common;

use common::{customer_set, person};

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, counting every allocation per thread (so that the
/// test harness's own threads cannot disturb the count).
struct Counting;

thread_local! {
    // `const` and drop-free: touching it never allocates.
    static THREAD_ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    let _ = THREAD_ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
}

fn thread_allocations() -> usize {
    THREAD_ALLOCATIONS.with(Cell::get)
}

// SAFETY: forwards every call unchanged to `System`, only counting.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn pairwise_similarities_do_not_allocate() {
    let names: Vec<Vec<char>> = [
        "jonathan",
        "johnathan",
        "catherine",
        "kathryn",
        "jovanović",
        "",
        "maximilian-alexander von hohenzollern-sigmaringen und weitere namen x",
    ]
    .iter()
    .map(|s| s.chars().collect())
    .collect();
    let sets: Vec<Vec<u64>> = vec![vec![1, 5, 9], vec![5, 9, 12, 40], vec![]];
    let mut checksum = 0.0;
    // The counter is live: a visible allocation is counted.
    let probe_before = thread_allocations();
    std::hint::black_box(vec![0u8; 16]);
    assert_eq!(thread_allocations(), probe_before + 1);

    let before = thread_allocations();
    for i in 0..10_000 {
        let a = &names[i % names.len()];
        let b = &names[(i / names.len()) % names.len()];
        checksum += sameas::similarity::jaro_winkler(a, b);
        checksum += sameas::similarity::levenshtein_within(a, b, 3).unwrap_or(9) as f64;
        checksum += sameas::similarity::damerau_osa_within(a, b, 3).unwrap_or(9) as f64;
        checksum += sameas::similarity::jaccard_sorted(&sets[i % 3], &sets[(i / 3) % 3]);
    }
    let after = thread_allocations();
    assert!(checksum > 0.0);
    assert_eq!(after - before, 0, "allocations in the pairwise loop");
}

#[test]
fn comparing_prepared_records_does_not_allocate() {
    let set = customer_set();
    let s = set.schema().clone();
    let people = [
        person(
            &s,
            "a",
            [
                "Robert",
                "Jovanović",
                "1990-03-04",
                "rob.j@gmail.com",
                "+40 721 234 567",
                "010101",
                "București",
            ],
        ),
        person(
            &s,
            "b",
            [
                "Bob",
                "Jovanovic",
                "04.03.1990",
                "robj@gmail.com",
                "0721 234 567",
                "010102",
                "Bucuresti",
            ],
        ),
        person(
            &s,
            "c",
            [
                "Martha",
                "Smith",
                "1990-04-03",
                "martha@x.com",
                "+40721234568",
                "",
                "Cluj",
            ],
        ),
        person(
            &s,
            "d",
            [
                "Marhta",
                "Smyth",
                "1991-04-03",
                "marta@y.com",
                "",
                "400001",
                "Cluj-Napoca",
            ],
        ),
    ];
    let prepared: Vec<_> = people.iter().map(|p| set.prepare(p).unwrap()).collect();
    let mut checksum = 0u64;
    let before = thread_allocations();
    for i in 0..10_000usize {
        let a = &prepared[i % 4];
        let b = &prepared[(i / 4) % 4];
        checksum = checksum.wrapping_add(set.gamma(a, b).0);
    }
    let allocations = thread_allocations() - before;
    assert_ne!(checksum, 0);
    assert_eq!(
        allocations, 0,
        "10,000 comparisons allocated {allocations} times"
    );
}
