//! Article parsing and extraction on arbitrary bytes: as a text file, and as JSON Lines
//! (read whole, and streamed in small parts: the same records and malformed lines).
//! Every report must carry a place mention or an unresolved one, never panic.
#![no_main]

use std::sync::OnceLock;

use clashmap::article::{JsonlReader, Outcome, ReadOptions, parse_jsonl, parse_text};
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
    let (whole, whole_errors) = parse_jsonl("fuzz.jsonl", data, &opts);
    let reader = Box::new(std::io::Cursor::new(data.to_vec()));
    if let Ok(mut streamed) = JsonlReader::from_reader("fuzz.jsonl".into(), reader, &opts) {
        let mut records = Vec::new();
        let mut errors = Vec::new();
        while let Some((part, error)) = streamed.next_part(64) {
            records.extend(part);
            errors.extend(error.iter().map(|e| e.to_string()));
        }
        // read in small parts, the records and the malformed lines are those of a
        // whole read
        let whole_errors: Vec<String> = whole_errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(records, whole);
        assert_eq!(errors, whole_errors);
    }
    for l in whole {
        if let Outcome::Article(a) = l.outcome {
            articles.push(a);
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
