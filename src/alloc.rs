//! The global allocator of the binary and the benchmarks: mimalloc, called the way
//! its C interface is fastest for Rust's layouts.
//!
//! The `mimalloc` crate hands every allocation to `mi_malloc_aligned`, whose fast
//! path checks the alignment and whose blocks over 1 KB take a slower, generic path.
//! Every mimalloc block is at least word-aligned, so a layout that asks for no more
//! than a word goes to plain `mi_malloc`/`mi_realloc`; larger alignments keep the
//! aligned calls.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// mimalloc, with plain calls for word-aligned layouts (see the module's text).
pub struct Allocator;

/// The alignment every mimalloc block has (its smallest blocks are one word).
const WORD: usize = std::mem::size_of::<usize>();

// SAFETY: every pointer comes from mimalloc and goes back to it; `mi_malloc` and
// `mi_realloc` return blocks aligned to at least a word, which is all a layout of
// alignment <= WORD needs; larger alignments use mimalloc's aligned calls.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: plain calls into mimalloc with a size (and alignment) from `layout`
        unsafe {
            if layout.align() <= WORD {
                mi::mi_malloc(layout.size()) as *mut u8
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()) as *mut u8
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`
        unsafe {
            if layout.align() <= WORD {
                mi::mi_zalloc(layout.size()) as *mut u8
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()) as *mut u8
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` was returned by one of the calls above
        unsafe { mi::mi_free(ptr as *mut c_void) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` was returned by one of the calls above with `layout`'s
        // alignment, which the new block keeps
        unsafe {
            if layout.align() <= WORD {
                mi::mi_realloc(ptr as *mut c_void, new_size) as *mut u8
            } else {
                mi::mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align()) as *mut u8
            }
        }
    }
}

/// Frees what this thread's mimalloc heap holds of blocks freed (here or by other
/// threads) and returns the unused memory to the system now, not after mimalloc's
/// delay. For the end of a big piece of work on a thread that may idle next: an idle
/// thread's freed memory otherwise stays counted in the process's resident memory.
pub fn collect() {
    // SAFETY: collecting the calling thread's heap is valid at any time
    unsafe { mi::mi_collect(false) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_have_the_alignment_and_keep_their_bytes() {
        let a = Allocator;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 3, 8, 24, 40, 1000, 1025, 5000, 70_000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: a non-zero size; the block is written within its size,
                // grown with the same alignment and freed once
                unsafe {
                    let p = a.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "{size} bytes at {align}");
                    std::ptr::write_bytes(p, 0xAB, size);
                    let q = a.realloc(p, layout, size * 3);
                    assert_eq!(q as usize % align, 0, "grown {size} bytes at {align}");
                    assert!((0..size).all(|i| *q.add(i) == 0xAB));
                    a.dealloc(q, Layout::from_size_align(size * 3, align).unwrap());
                    let z = a.alloc_zeroed(layout);
                    assert_eq!(z as usize % align, 0);
                    assert!((0..size).all(|i| *z.add(i) == 0));
                    a.dealloc(z, layout);
                }
            }
        }
    }
}
