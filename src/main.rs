//! The `clashmap` binary: parses the command line and reports errors; all the work is
//! in the library (see `src/lib.rs`) and the per-command files in `src/cli/`.

mod cli;

fn main() -> std::process::ExitCode {
    tune_allocator();
    cli::main()
}

/// mimalloc: the extractor allocates many small, short-lived values per sentence.
#[global_allocator]
static GLOBAL: clashmap::alloc::Allocator = clashmap::alloc::Allocator;

/// No transparent huge pages (mimalloc gives memory back only in whole huge pages):
/// a long run's peak memory stays near what it uses (on a 1 GB corpus `run` peaked at
/// 370 MB with mimalloc's defaults). `MIMALLOC_ALLOW_THP` in the environment still
/// decides. See also [`purge_sooner`].
fn tune_allocator() {
    // mimalloc reads its THP option when it starts, before `main`: what it would do
    // with MIMALLOC_ALLOW_THP=0 is done here (for the pages touched from now on)
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes only this
        // process's page-fault policy; an error leaves it as it was
        unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
    }
}

/// From now on, freed memory goes back to the system after 10 ms instead of mimalloc
/// 3's second: for the phases after extraction, which hold many large buffers briefly
/// (merging, formatting). Extraction itself runs with the default, which is faster
/// (by about 11 % on one core). `MIMALLOC_PURGE_DELAY` in the environment still
/// decides.
pub(crate) fn purge_sooner() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: reading and setting an option are plain loads and stores in mimalloc's
    // option table, and collecting works on the calling thread's heap and mimalloc's
    // own arenas; all are valid at any time and from any thread
    unsafe {
        // mimalloc 3's default: another value means the option is not numbered as
        // this was written for, and nothing is changed
        if libmimalloc_sys::mi_option_get(PURGE_DELAY) == PURGE_DELAY_DEFAULT {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, 10);
            // a purge already scheduled keeps its old (1 s) expiry: purge now, so the
            // next ones are scheduled with the new delay
            libmimalloc_sys::mi_collect(true);
        }
    }
}

/// The number of `purge_delay` in mimalloc 3's `mi_option_e` (libmimalloc-sys does not
/// name it), and its default (ms).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const PURGE_DELAY_DEFAULT: std::ffi::c_long = 1000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_numbered_as_assumed() {
        // a mimalloc whose options are numbered otherwise fails here, not silently
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: a plain load from mimalloc's option table
            let v = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
            assert!(
                v == PURGE_DELAY_DEFAULT || v == 10,
                "option {PURGE_DELAY} is {v}"
            );
        }
    }
}
