//! The admin-boundary reader (`--admin`) on arbitrary bytes: an error naming the file
//! or feature, or units, never a panic. Units read are tied to the embedded gazetteer
//! and looked up, which must not panic either.
#![no_main]

use std::path::Path;

use clashmap::admin::AdminLayer;
use clashmap::gazetteer::Gazetteer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut layer = AdminLayer::new();
    if layer
        .add_reader(Path::new("fuzz.geojson"), data, None)
        .is_err()
    {
        return;
    }
    let mut gazetteer = Gazetteer::embedded();
    if layer.attach(&mut gazetteer).is_ok() {
        for u in layer.units() {
            let (x, y) = u.representative_point();
            let _ = layer.locate(x, y);
        }
    }
});
