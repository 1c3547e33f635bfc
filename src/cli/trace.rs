//! Phase timings for measuring long runs: with `CLASHMAP_TRACE` set in the
//! environment, each phase's end prints the seconds since the start and the memory in
//! use and at its peak (Linux) to stderr. Silent otherwise.

use std::sync::OnceLock;
use std::time::Instant;

fn start() -> Option<Instant> {
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    *START.get_or_init(|| std::env::var_os("CLASHMAP_TRACE").map(|_| Instant::now()))
}

/// Notes the end of a phase (and starts the clock on the first call).
pub fn phase(name: &str) {
    let Some(t0) = start() else {
        return;
    };
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| "?".into())
    };
    eprintln!(
        "clashmap: trace: {:>8.2} s  {name}  (memory {}, peak {})",
        t0.elapsed().as_secs_f64(),
        field("VmRSS:"),
        field("VmHWM:")
    );
}
