//! Extraction speed on a generated corpus (>= 50 MB of Dutch and English articles from
//! the project's own templates, see `common/corpus.rs`), on one core: target >= 50 MB/s.
//!
//! Run: `cargo bench --bench extract`. Results are recorded in BENCHMARKS.md.
//!
//! A second group compares extraction with and without district boundaries (#18): the
//! articles to records (the rows every export writes: admin2 by point-in-polygon) with
//! the embedded gazetteer alone, and with the 398 districts of
//! `../shared/geodata/af-districts.geojson` when that file is there.

#[path = "common/corpus.rs"]
mod corpus;

use std::hint::black_box;

use clashmap::admin::AdminLayer;
use clashmap::article::{Article, Outcome, ReadOptions, parse_text};
use clashmap::event::merge;
use clashmap::export::record::Record;
use clashmap::extract::Extractor;
use clashmap::gazetteer::Gazetteer;
use clashmap::geocode::Geocoder;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The allocator the binary uses.
#[global_allocator]
static GLOBAL: clashmap::alloc::Allocator = clashmap::alloc::Allocator;

/// The generated articles, parsed, and their size in bytes.
fn parse(raw: &[(String, String)]) -> (Vec<Article>, usize) {
    let bytes = raw.iter().map(|(_, t)| t.len()).sum();
    let articles = raw
        .iter()
        .filter_map(
            |(id, t)| match parse_text(id, t.as_bytes(), &ReadOptions::default()).outcome {
                Outcome::Article(a) => Some(a),
                Outcome::Skipped { .. } => None,
            },
        )
        .collect();
    (articles, bytes)
}

fn bench(c: &mut Criterion) {
    let g = Geocoder::new(Gazetteer::embedded());
    g.prepare_scan();
    let ex = Extractor::new(&g);
    let raw = corpus::articles(g.gazetteer(), 50 << 20, 7);
    let (articles, bytes) = parse(&raw);
    let mut session = ex.session();
    let reports: usize = articles
        .iter()
        .map(|a| session.extract(a).reports.len())
        .sum();
    eprintln!(
        "extract corpus: {} articles, {bytes} bytes, {reports} reports",
        articles.len()
    );
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("articles_50MB_one_core", |b| {
        b.iter(|| {
            let mut session = ex.session();
            black_box(
                articles
                    .iter()
                    .map(|a| session.extract(a).reports.len())
                    .sum::<usize>(),
            )
        })
    });
    group.finish();
}

/// Extraction to records (what `extract` writes) on 10 MB, with and without the
/// district polygons.
fn bench_admin(c: &mut Criterion) {
    let admin = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/geodata/af-districts.geojson");
    if !admin.is_file() {
        eprintln!("../shared/geodata is absent: the admin comparison is skipped");
        return;
    }
    let plain = Geocoder::new(Gazetteer::embedded());
    let mut gaz = Gazetteer::embedded();
    let mut layer = AdminLayer::new();
    layer
        .add_file(&admin, None)
        .expect("the districts file reads");
    layer
        .attach(&mut gaz)
        .expect("the districts tie to the gazetteer");
    let mut with_admin = Geocoder::new(gaz);
    with_admin.set_admin(layer);
    let raw = corpus::articles(plain.gazetteer(), 10 << 20, 11);
    let (articles, bytes) = parse(&raw);
    let mut group = c.benchmark_group("extract_records");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    for (name, g) in [
        ("without_admin", &plain),
        ("with_398_districts", &with_admin),
    ] {
        g.prepare_scan();
        let ex = Extractor::new(g);
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut session = ex.session();
                let reports: Vec<_> = articles
                    .iter()
                    .flat_map(|a| session.extract(a).reports)
                    .collect();
                let events = merge(reports, g, false);
                black_box(
                    events
                        .iter()
                        .map(|e| Record::from_event(e, g).props.len())
                        .sum::<usize>(),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(extract, bench, bench_admin);
criterion_main!(extract);
