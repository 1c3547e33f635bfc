//! The user gazetteer loader (project CSV or GeoNames dump) on arbitrary bytes: an
//! error or places, never a panic; places loaded must be usable by the geocoder.
#![no_main]

use std::path::Path;

use clashmap::gazetteer::Gazetteer;
use clashmap::geocode::{Geocoder, ResolveOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut g = Gazetteer::empty();
    if let Ok(n) = g.add_bytes(Path::new("fuzz.csv"), data.to_vec())
        && n > 0
    {
        let names: Vec<String> = g.places().iter().take(3).map(|p| p.name.clone()).collect();
        let geo = Geocoder::new(g);
        for name in names {
            let _ = geo.resolve(&name, &ResolveOptions::default());
            let _ = geo.scan(&name, None);
        }
    }
});
