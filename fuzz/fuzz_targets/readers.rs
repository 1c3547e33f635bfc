//! The event readers of `map` and `convert` (GeoJSON, GeoJSONSeq, ACLED CSV) on
//! arbitrary text: an error naming the place, or records, never a panic. Records read
//! are written back, which must not fail either.
#![no_main]

use std::path::Path;

use clashmap::export::read::{read_csv, read_geojson};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for r in [
        read_geojson(Path::new("fuzz.geojson"), text),
        read_csv(Path::new("fuzz.csv"), text),
    ]
    .into_iter()
    .flatten()
    {
        let mut out = Vec::new();
        let _ = clashmap::export::geojson::write_collection(&mut out, &r.records);
        let mut out = Vec::new();
        let _ = clashmap::export::csv::write_csv(&mut out, &r.records, false);
    }
});
