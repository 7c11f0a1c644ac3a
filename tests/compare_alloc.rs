//! Comparing prepared records allocates nothing: counted by a global allocator.

mod common;

use common::{customer_set, person};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

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
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for i in 0..10_000usize {
        let a = &prepared[i % 4];
        let b = &prepared[(i / 4) % 4];
        checksum = checksum.wrapping_add(set.gamma(a, b).0);
    }
    let after = ALLOCATIONS.load(Ordering::Relaxed);
    assert_ne!(checksum, 0);
    assert_eq!(
        after - before,
        0,
        "10,000 comparisons allocated {} times",
        after - before
    );
}
