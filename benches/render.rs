//! Map rendering speed: 10,000 events in < 1 s (above 2,000 events markers aggregate
//! into hexagons, keeping the SVG under 2 MB), and 100,000 events.
//!
//! Run: `cargo bench --bench render`. Results are recorded in BENCHMARKS.md.

use std::hint::black_box;

use clashmap::basemap::Basemap;
use clashmap::date::Date;
use clashmap::render::{MapEvent, MapOptions, Marker, render_svg, source_key};
use criterion::{Criterion, criterion_group, criterion_main};

/// The allocator the binary uses.
#[global_allocator]
static GLOBAL: clashmap::alloc::Allocator = clashmap::alloc::Allocator;

fn events(n: usize) -> Vec<MapEvent> {
    let mut state: u64 = 99;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let types = [
        "Battles",
        "Explosions/Remote violence",
        "Violence against civilians",
        "Protests",
    ];
    (0..n)
        .map(|i| MapEvent {
            lon: 61.0 + next() * 10.0,
            lat: 30.5 + next() * 7.0,
            event_type: types[i % types.len()].into(),
            fatalities: (next() * 20.0) as u64,
            date: Date::from_ymd(2019, 9, 1),
            date_end: None,
            sources: Box::new([source_key(&format!("a{}", i % 50))]),
            marker: Some(Box::new(Marker {
                id: format!("E{i}"),
                place: format!("Place {i}"),
                title: format!("event {i}"),
            })),
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let b = Basemap::embedded();
    let opts = MapOptions::default();
    let mut group = c.benchmark_group("render");
    group.sample_size(10);
    for n in [1_000usize, 10_000, 100_000] {
        let ev = events(n);
        let svg = render_svg(&ev, &[], b, &opts);
        eprintln!("render: {n} events, SVG {} bytes", svg.len());
        group.bench_function(format!("svg_{n}_events"), |bch| {
            bch.iter(|| black_box(render_svg(&ev, &[], b, &opts).len()))
        });
    }
    group.finish();
}

criterion_group!(render, bench);
criterion_main!(render);
