//! Article parsing and extraction on arbitrary bytes: as a text file, and as JSON Lines.
//! Every report must carry a place mention or an unresolved one, never panic.
#![no_main]

use std::sync::OnceLock;

use clashmap::article::{Outcome, ReadOptions, parse_jsonl, parse_text};
use clashmap::extract::Extractor;
use clashmap::gazetteer::Gazetteer;
use clashmap::geocode::Geocoder;
use libfuzzer_sys::fuzz_target;

fn geocoder() -> &'static Geocoder {
    static G: OnceLock<Geocoder> = OnceLock::new();
    G.get_or_init(|| Geocoder::new(Gazetteer::embedded()))
}

fn extractor() -> &'static Extractor<'static> {
    static X: OnceLock<Extractor<'static>> = OnceLock::new();
    X.get_or_init(|| Extractor::new(geocoder()))
}

fuzz_target!(|data: &[u8]| {
    let g = geocoder();
    let mut session = extractor().session();
    let opts = ReadOptions::default();
    let mut articles = Vec::new();
    if let Outcome::Article(a) = parse_text("fuzz.txt", data, &opts).outcome {
        articles.push(a);
    }
    if let Ok(loaded) = parse_jsonl("fuzz.jsonl", data, &opts) {
        for l in loaded {
            if let Outcome::Article(a) = l.outcome {
                articles.push(a);
            }
        }
    }
    for a in &articles {
        let x = session.extract(a);
        let events = clashmap::event::merge(x.reports, g, true);
        for e in &events {
            assert!(!e.id.is_empty());
        }
    }
});
