//! Extraction speed on a generated corpus (>= 50 MB of Dutch and English articles from
//! the project's own templates, see `common/corpus.rs`), on one core: target >= 50 MB/s.
//!
//! Run: `cargo bench --bench extract`. Results are recorded in BENCHMARKS.md.

#[path = "common/corpus.rs"]
mod corpus;

use std::hint::black_box;

use clashmap::article::{Outcome, ReadOptions, parse_text};
use clashmap::extract::Extractor;
use clashmap::gazetteer::Gazetteer;
use clashmap::geocode::Geocoder;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The allocator the binary uses.
#[global_allocator]
static GLOBAL: clashmap::alloc::Allocator = clashmap::alloc::Allocator;

fn bench(c: &mut Criterion) {
    let g = Geocoder::new(Gazetteer::embedded());
    g.prepare_scan();
    let ex = Extractor::new(&g);
    let raw = corpus::articles(g.gazetteer(), 50 << 20, 7);
    let bytes: usize = raw.iter().map(|(_, t)| t.len()).sum();
    let articles: Vec<_> = raw
        .iter()
        .filter_map(
            |(id, t)| match parse_text(id, t.as_bytes(), &ReadOptions::default()).outcome {
                Outcome::Article(a) => Some(a),
                Outcome::Skipped { .. } => None,
            },
        )
        .collect();
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

criterion_group!(extract, bench);
criterion_main!(extract);
