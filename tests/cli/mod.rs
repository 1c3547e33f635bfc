//! End-to-end tests: run the `clashmap` binary on real files, as a user would.

mod distance;
mod exports;
mod extract;
mod gazetteer_files;
mod geocode;
mod gis_outputs;
mod map;
mod merge;
mod run;

use assert_cmd::Command;

/// The clashmap binary, run in a fresh temporary folder (so nothing depends on the
/// project's files being beside it).
pub fn clashmap() -> Command {
    let mut c = Command::cargo_bin("clashmap").unwrap();
    c.current_dir(std::env::temp_dir());
    c
}
