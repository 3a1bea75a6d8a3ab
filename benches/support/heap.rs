//! A counting global allocator for the benches that measure the heap: the system
//! allocator, counting the bytes in use and their peak while [`peak_heap`] runs.
//! Included by `#[path]` (a file here is not a bench of its own).

// A counting global allocator must implement the `unsafe` trait `GlobalAlloc`; it only
// forwards to the system allocator and counts. Nothing of the library is unsafe.
#![allow(unsafe_code, reason = "the bench's counting allocator")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

/// The system allocator, counting the bytes in use and their peak while [`peak_heap`]
/// runs (outside it, one relaxed load per call, so the timings are not skewed).
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
/// Bytes allocated less bytes freed since counting started (negative when memory from
/// before is freed).
static IN_USE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn count(delta: isize) {
    if COUNTING.load(Ordering::Relaxed) {
        let now = IN_USE
            .fetch_add(delta, Ordering::Relaxed)
            .wrapping_add(delta);
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

fn size(n: usize) -> isize {
    isize::try_from(n).unwrap_or(isize::MAX)
}

// SAFETY: every call is forwarded unchanged to `System`; the counters are atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(size(layout.size()));
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's pointer and layout.
        unsafe { System.dealloc(ptr, layout) };
        count(-size(layout.size()));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's pointer, layout and size.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count(size(new_size) - size(layout.size()));
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The peak heap in use while `f` runs, above what was in use before it.
pub(crate) fn peak_heap<T>(f: impl FnOnce() -> T) -> usize {
    IN_USE.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    COUNTING.store(true, Ordering::SeqCst);
    drop(black_box(f()));
    COUNTING.store(false, Ordering::SeqCst);
    usize::try_from(PEAK.load(Ordering::Relaxed)).unwrap_or(0)
}

/// The heap in use now, above what was in use when [`peak_heap`] started (call it from
/// inside `peak_heap`'s closure).
#[allow(dead_code, reason = "not every bench reads it")]
pub(crate) fn in_use() -> usize {
    usize::try_from(IN_USE.load(Ordering::Relaxed)).unwrap_or(0)
}
