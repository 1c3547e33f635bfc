//! Gazetteer and geocoder speed: loading the embedded gazetteer (target < 10 ms),
//! building the indices and the automaton, resolving names, and scanning text for
//! place names (target >= 200 MB/s on one core).
//!
//! Run: `cargo bench --bench gazetteer`. Results are recorded in BENCHMARKS.md.

#[path = "common/corpus.rs"]
mod corpus;

use std::hint::black_box;

use clashmap::gazetteer::Gazetteer;
use clashmap::geocode::{Geocoder, ResolveOptions};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The allocator the binary uses.
#[global_allocator]
static GLOBAL: clashmap::alloc::Allocator = clashmap::alloc::Allocator;

/// A deterministic news-like text of about `bytes` bytes: Dutch and English sentences
/// with gazetteer names in several spellings.
fn corpus(g: &Gazetteer, bytes: usize) -> String {
    let names: Vec<&str> = g
        .places()
        .iter()
        .filter(|p| p.country_code == "AF")
        .flat_map(|p| p.all_names().take(3))
        .filter(|n| n.is_ascii())
        .collect();
    let templates = [
        "De taliban hebben dit weekend aanvallen uitgevoerd op {} en {}, twee steden in het noorden van het land. ",
        "Bij de aanval op {} kwamen zaterdag zeker zestien mensen om het leven, meldt de politie in {}. ",
        "On Saturday, Taliban militants attacked three military posts in {} district, {} province, killing 11 soldiers. ",
        "Security forces repelled an attack near {}; residents of {} reported explosions overnight. ",
        "De Afghaanse veiligheidstroepen hebben de aanval op de steden {} en {} afgeslagen. ",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % n
    };
    let mut out = String::with_capacity(bytes + 256);
    while out.len() < bytes {
        let t = templates[next(templates.len())];
        let mut parts = t.split("{}");
        out.push_str(parts.next().unwrap());
        for p in parts {
            out.push_str(names[next(names.len())]);
            out.push_str(p);
        }
    }
    out
}

/// A GeoNames dump (19 tab-separated columns) of `n` places: names built from
/// syllables (so that they are many and distinct), with alternate names, spread over
/// Afghanistan, of every feature class a dump holds.
fn geonames_dump(n: usize) -> Vec<u8> {
    use std::fmt::Write;
    const SYL: [&str; 16] = [
        "ka", "bul", "dar", "zai", "khel", "qala", "deh", "abad", "mir", "gul", "shah", "nau",
        "sar", "pul", "kan", "rud",
    ];
    const CODES: [(&str, &str); 5] = [
        ("P", "PPL"),
        ("P", "PPLX"),
        ("H", "STM"),
        ("T", "MT"),
        ("S", "BLDG"),
    ];
    let mut out = String::with_capacity(n * 120);
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    for i in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let name: String = (0..2 + (x % 3) as usize)
            .map(|k| SYL[((x >> (8 * k)) % 16) as usize])
            .collect();
        let name = format!("{}{}", name[..1].to_uppercase(), &name[1..]);
        let (class, code) = CODES[(x >> 40) as usize % CODES.len()];
        let _ = writeln!(
            out,
            "{}\t{name}\t{name}\t{name}-e Bala,{name}-e Pain\t{:.5}\t{:.5}\t{class}\t{code}\tAF\t\t{:02}\t\t\t\t{}\t\t1200\tAsia/Kabul\t2020-01-01",
            20_000_000 + i,
            29.5 + (x % 9000) as f64 / 1000.0,
            61.0 + ((x >> 20) % 13000) as f64 / 1000.0,
            1 + (x >> 30) % 34,
            (x >> 50) % 5000,
        );
    }
    out.into_bytes()
}

fn benches(c: &mut Criterion) {
    c.bench_function("gazetteer/load_embedded", |b| {
        b.iter(|| black_box(Gazetteer::embedded()))
    });
    let dump = geonames_dump(200_000);
    let mut group = c.benchmark_group("gazetteer");
    group.sample_size(10);
    group.bench_function("load_geonames_200k", |b| {
        b.iter_batched(
            || dump.clone(),
            |bytes| {
                let mut g = Gazetteer::embedded();
                let n = g
                    .add_bytes(std::path::Path::new("AF.txt"), bytes)
                    .expect("a valid dump");
                black_box(n)
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function("load_geonames_200k_and_index", |b| {
        b.iter_batched(
            || dump.clone(),
            |bytes| {
                let mut g = Gazetteer::embedded();
                g.add_bytes(std::path::Path::new("AF.txt"), bytes)
                    .expect("a valid dump");
                black_box(Geocoder::new(g))
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
    c.bench_function("geocoder/build_indices", |b| {
        b.iter_batched(
            Gazetteer::embedded,
            |g| black_box(Geocoder::new(g)),
            criterion::BatchSize::LargeInput,
        )
    });
    let g = Geocoder::new(Gazetteer::embedded());
    c.bench_function("geocoder/build_automaton", |b| {
        b.iter_batched(
            || Geocoder::new(Gazetteer::embedded()),
            |g| {
                g.prepare_scan();
                black_box(g)
            },
            criterion::BatchSize::LargeInput,
        )
    });
    g.prepare_scan();
    c.bench_function("geocoder/resolve_10_names", |b| {
        let names = [
            "Kunduz",
            "Pul-e-Chomri",
            "Kaboel",
            "Jawzjan",
            "provincie Baghlan",
            "Mussahi",
            "Shibirghan",
            "Mazar-i-Sharif",
            "Imam Sahib district",
            "Tsjarikar",
        ];
        b.iter(|| {
            for n in names {
                black_box(g.resolve(n, &ResolveOptions::default()).ok());
            }
        })
    });
    // news-like text: the generated articles of the extraction benchmark
    let mut news = String::new();
    corpus::generate(g.gazetteer(), 8 << 20, 11, &mut |_, t| news.push_str(&t));
    // the worst case: two names in every sentence
    let dense = corpus(g.gazetteer(), 8 << 20);
    for (label, text) in [("news", &news), ("dense", &dense)] {
        let mut group = c.benchmark_group(format!("scan_{label}"));
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.sample_size(10);
        // end to end, raw text in, names out; a fresh scanner per run: its word cache
        // warms up within the text, as it does for one thread reading a stream
        group.bench_function("names_in_8MB_text", |b| {
            b.iter(|| black_box(g.scanner(Some("nl")).scan(text).len()))
        });
        // the two stages apart: normalising and encoding the words, then the automaton
        let mut sc = g.scanner(Some("nl"));
        group.bench_function("stage1_normalise_encode", |b| {
            b.iter(|| black_box(sc.encode(text)))
        });
        let coded = sc.encode(text);
        eprintln!(
            "scan {label}: {} bytes, {coded} name words, {} names",
            text.len(),
            sc.find_names().len()
        );
        group.bench_function("stage2_automaton", |b| {
            b.iter(|| black_box(sc.find_names().len()))
        });
        group.finish();
    }
}

criterion_group!(gazetteer, benches);
criterion_main!(gazetteer);
