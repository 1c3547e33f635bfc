//! The `clashmap` binary: parses the command line and reports errors; all the work is
//! in the library (see `src/lib.rs`) and the per-command files in `src/cli/`.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}

/// mimalloc: the extractor allocates many small, short-lived values per sentence.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
