//! `clashmap run [INPUT...] [--out DIR]`: the whole analysis in one folder: events
//! (GeoJSON, CSV), distances, the map (SVG, PNG), the timeline and an analyst's brief.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

use super::extract::{
    extract_merged, for_each_batch, merged_bbox, merged_links, write_csvt, write_merged_distances,
};
use super::report::{self, date_text};
use super::{Exit, trace};
use clashmap::basemap::Basemap;
use clashmap::event::store::Merged;
use clashmap::event::{Event, PlaceStatus};
use clashmap::export::distances::{Link, line_row};
use clashmap::export::gpkg::Gpkg;
use clashmap::export::record::{Record, RecordFilter};
use clashmap::export::sources::{self, SourceRow};
use clashmap::export::{csv as csv_out, geojson, write_atomic};
use clashmap::geocode::Geocoder;
use clashmap::render::{
    HEXBIN_ABOVE, MapEvent, MapLink, MapOptions, Marker, chart::render_chart, render_png,
    render_svg, source_key,
};

/// Arguments of `clashmap run`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  clashmap run                       # the bundled corpus data/articles/ into output/\n  clashmap run my-articles/ --out analysis/\n\nWrites events.geojson, events.csv (and events.csvt, its column types), event_sources.csv\n(every report of every event), events.gpkg (layers events and distances, table sources),\ndistances.geojson, map.svg, map.png, timeline.svg and report.md, then a one-line summary\non stderr."
)]
pub struct Args {
    /// Article files or folders (every *.txt below them, or *.jsonl with
    /// --input-format jsonl), or `-` for standard input; default: the bundled corpus
    /// `data/articles/`.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// The folder to write into (created if missing).
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,

    #[command(flatten)]
    pub read: super::extract::ReadArgs,

    /// The map's title.
    #[arg(
        long,
        value_name = "TEXT",
        default_value = "Armed clashes and violence"
    )]
    pub title: String,

    /// Draw the district outlines of --admin (or CLASHMAP_ADMIN) as a faint layer on
    /// the map.
    #[arg(long)]
    pub districts: bool,

    /// What the map and the timeline show (--from, --to, --type, --admin1); the data
    /// files and the report keep every event.
    #[command(flatten)]
    pub filter: super::map::FilterArgs,
}

/// The map's view of an event, or `None` when it has no place. Its marker's texts and
/// its sources only when markers are drawn (a map of more events draws hexagons, and
/// is given the count of sources).
fn map_event(e: &Event, r: &Record, event_type: Arc<str>, with_marker: bool) -> Option<MapEvent> {
    let (lon, lat) = r.point?;
    let marker = with_marker.then(|| {
        let place = r.get("location").as_str().unwrap_or_default().to_string();
        Box::new(Marker {
            id: e.id.clone(),
            title: format!(
                "{place} · {} · {} · fatalities {}",
                e.first().event_type,
                date_text(e),
                e.fatalities.best
            ),
            place,
        })
    });
    Some(MapEvent {
        lon,
        lat,
        event_type,
        fatalities: e.fatalities.best,
        date: e.dates.map(|d| d.start),
        date_end: e.dates.map(|d| d.end),
        sources: if with_marker {
            e.sources().iter().map(|s| source_key(s)).collect()
        } else {
            Box::new([])
        },
        marker,
    })
}

/// What one pass over the events gives besides the files it writes.
#[derive(Default)]
struct Pass {
    map_events: Vec<MapEvent>,
    /// Index of each event's map event.
    on_map: Vec<Option<u32>>,
    /// The distinct sources of the events on the map.
    sources: HashSet<u64>,
    unresolved: Vec<String>,
}

/// What a worker makes of a slice of events: their GeoJSON features, CSV rows and
/// brief rows, their map view, and the unresolved ones.
#[derive(Default)]
struct Piece {
    geojson: Vec<u8>,
    csv: Vec<u8>,
    rows: Vec<report::Row>,
    map: Vec<Option<MapEvent>>,
    /// Keys of the sources of the events with a place.
    sources: Vec<u64>,
    unresolved: Vec<String>,
    /// The events' records (for the GeoPackage).
    records: Vec<Record>,
    /// The long table of sources.
    source_rows: Vec<SourceRow>,
    /// event_sources.csv's rows.
    sources_csv: Vec<u8>,
}

/// The shared copy of an event type (a map holds one per type, not one per event).
fn intern(types: &Mutex<HashMap<String, Arc<str>>>, ty: &str) -> Arc<str> {
    let Ok(mut types) = types.lock() else {
        return ty.into();
    };
    if let Some(t) = types.get(ty) {
        return t.clone();
    }
    types
        .entry(ty.to_string())
        .or_insert_with(|| ty.into())
        .clone()
}

/// Formats a slice of events whose first is the `first`-th of the file (on a worker
/// thread).
fn format_slice(
    slice: &[Event],
    first: usize,
    g: &Geocoder,
    types: &Mutex<HashMap<String, Arc<str>>>,
    with_markers: bool,
    filter: &RecordFilter,
) -> io::Result<Piece> {
    let mut p = Piece::default();
    let records: Vec<Record> = slice.iter().map(|e| Record::from_event(e, g)).collect();
    for (j, (e, r)) in slice.iter().zip(&records).enumerate() {
        geojson::write_collection_feature(&mut p.geojson, first + j == 0, r)?;
        p.rows
            .push(report::Row::of(e, r, first + j, g.admin().is_some()));
        let m = if filter.keeps(r) {
            map_event(e, r, intern(types, &e.first().event_type), with_markers)
        } else {
            None
        };
        if m.is_some() {
            p.sources.extend(e.sources().iter().map(|s| source_key(s)));
        }
        p.map.push(m);
        if e.location().status == PlaceStatus::Unresolved {
            p.unresolved.push(format!(
                "- {} ({}, {})",
                e.location().as_reported,
                e.first().event_type,
                e.sources().join(", ")
            ));
        }
    }
    csv_out::write_rows(&mut p.csv, &records)?;
    p.source_rows = slice.iter().flat_map(sources::rows_of).collect();
    sources::write_rows(&mut p.sources_csv, &p.source_rows)?;
    p.records = records;
    Ok(p)
}

/// Writes events.geojson, events.csv and report.md in one pass over the events (read
/// back in order, formatted on the worker threads), gathering the map's view of them.
fn write_events(
    dir: &Path,
    merged: &Merged,
    links: &[Link],
    summary: &super::extract::Summary,
    g: &Geocoder,
    pkg: &mut Gpkg,
    filter: &RecordFilter,
) -> Result<Pass> {
    let placed = merged.entries.iter().filter(|e| e.place.is_some()).count();
    // a map of more events draws hexagons, not markers
    let with_markers = placed <= HEXBIN_ABOVE;
    let mut pass = Pass {
        map_events: Vec::with_capacity(placed),
        on_map: Vec::with_capacity(merged.len()),
        ..Default::default()
    };
    let types: Mutex<HashMap<String, Arc<str>>> = Mutex::default();
    let bbox = merged_bbox(merged, g);
    let mut failure: Option<anyhow::Error> = None;
    let written = write_atomic(&dir.join("events.geojson"), |geo| {
        write_atomic(&dir.join("events.csv"), |csv| {
            write_atomic(&dir.join("event_sources.csv"), |long| {
                write_atomic(&dir.join("report.md"), |md| {
                    geojson::write_collection_head(geo, bbox)?;
                    csv_out::write_header(csv, false)?;
                    sources::write_header(long)?;
                    let mut rows = report::Rows::default();
                    let result = for_each_batch(merged, &mut |start, events| {
                        // slices of the batch, each formatted (and freed) on a worker thread
                        let pieces: Vec<io::Result<Piece>> = events
                            .into_par_iter()
                            .chunks(256)
                            .enumerate()
                            .map(|(k, slice)| {
                                format_slice(
                                    &slice,
                                    start + k * 256,
                                    g,
                                    &types,
                                    with_markers,
                                    filter,
                                )
                            })
                            .collect();
                        for p in pieces {
                            let p = p?;
                            geo.write_all(&p.geojson)?;
                            csv.write_all(&p.csv)?;
                            long.write_all(&p.sources_csv)?;
                            pkg.add_events(&p.records)
                                .and_then(|()| pkg.add_sources(&p.source_rows))
                                .map_err(io::Error::other)?;
                            rows.add(p.rows);
                            for m in p.map {
                                match m {
                                    Some(m) => {
                                        pass.on_map.push(Some(pass.map_events.len() as u32));
                                        pass.map_events.push(m);
                                    }
                                    None => pass.on_map.push(None),
                                }
                            }
                            pass.unresolved.extend(p.unresolved);
                            pass.sources.extend(p.sources);
                        }
                        Ok(())
                    });
                    if let Err(e) = result {
                        failure = Some(e);
                        return Err(io::Error::other("events not written"));
                    }
                    geojson::write_collection_tail(geo)?;
                    let mut brief = String::new();
                    report::write(
                        &mut brief,
                        &report::Head {
                            merged,
                            articles: summary.sources,
                            read: summary.read,
                            skipped: summary.skipped,
                        },
                        rows,
                        links,
                        &pass.unresolved,
                        g,
                        g.admin().is_some(),
                    );
                    md.write_all(brief.as_bytes())
                })
            })
        })
    });
    if let Some(e) = failure {
        return Err(e.context(format!("writing into {}", dir.display())));
    }
    written.with_context(|| format!("writing into {}", dir.display()))?;
    Ok(pass)
}

/// Runs the command.
pub fn run(geocoder: &Geocoder, args: &Args) -> Result<Exit> {
    let (districts, districts_credit) =
        match super::map::district_outlines(geocoder, args.districts) {
            Ok(d) => d,
            Err(exit) => return Ok(exit),
        };
    let inputs = if args.inputs.is_empty() {
        let bundled = PathBuf::from("data/articles");
        if !bundled.is_dir() {
            bail!(
                "no input given, and no bundled corpus data/articles/ here: run from the clashmap folder or name article files or folders"
            );
        }
        vec![bundled]
    } else {
        args.inputs.clone()
    };
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    clashmap::export::check_writable(&args.out.join("events.geojson"))
        .with_context(|| format!("cannot write into {}", args.out.display()))?;
    let opts = args.read.options();
    let filter = args.filter.filter();
    trace::phase("start");
    let (merged, stated, summary) = extract_merged(geocoder, &inputs, &opts, true, false)?;
    let links = merged_links(&merged, geocoder, &stated);
    trace::phase("distances found");
    let out = |name: &str| -> PathBuf { args.out.join(name) };
    // each file is written as it is formatted (to a temporary file, then renamed)
    let write = |path: &Path, bytes: &[u8]| -> Result<()> {
        write_atomic(path, |w| w.write_all(bytes))
            .with_context(|| format!("writing {}", path.display()))
    };
    // the distance layer is written beside the events: the events' writing leaves
    // the cores idle while it copies to the files
    let (pass, distances) = std::thread::scope(|scope| {
        let distances = scope.spawn(|| {
            write_atomic(&out("distances.geojson"), |w| {
                write_merged_distances(w, &merged, &links, geocoder)
            })
            .with_context(|| format!("writing {}", out("distances.geojson").display()))
        });
        let pass = (|| {
            let mut pkg = Gpkg::create(&out("events.gpkg"))?;
            let pass = write_events(
                &args.out, &merged, &links, &summary, geocoder, &mut pkg, &filter,
            )?;
            let end = |i: usize| {
                let e = &merged.entries[i];
                (e.id(), e.place.map(|p| p as usize))
            };
            let lines: Vec<_> = links
                .par_iter()
                .filter_map(|l| line_row(l, &end, geocoder))
                .collect();
            pkg.add_lines(&lines)?;
            pkg.finish()
                .with_context(|| format!("writing {}", out("events.gpkg").display()))?;
            write_csvt(&out("events.csv"))?;
            Ok::<_, anyhow::Error>(pass)
        })();
        let distances = distances
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the distance layer's writer failed")));
        (pass, distances)
    });
    let pass = pass?;
    distances?;
    trace::phase("events, CSV, brief and distance layer written");
    // the map and the chart: placed events only
    let map_links: Vec<MapLink> = links
        .iter()
        .filter_map(|l| {
            Some(MapLink {
                from: pass.on_map[l.from]? as usize,
                to: pass.on_map[l.to]? as usize,
                km: l.km,
                reported: l.reported.as_ref().map(|r| (r.km, r.approximate)),
            })
        })
        .collect();
    let svg = render_svg(
        &pass.map_events,
        &map_links,
        Basemap::embedded(),
        &MapOptions {
            title: Some(args.title.clone()),
            source_count: Some(pass.sources.len()),
            districts,
            districts_credit,
            note: filter.describe(),
            ..Default::default()
        },
    );
    write(&out("map.svg"), svg.as_bytes())?;
    write(&out("map.png"), &render_png(&svg)?)?;
    trace::phase("map written");
    write(
        &out("timeline.svg"),
        render_chart(&pass.map_events, 900, 360)?.as_bytes(),
    )?;
    let unresolved = pass.unresolved.len();
    writeln!(
        io::stderr(),
        "clashmap: {} articles read, {} skipped, {} failed; {} events, {} unresolved; 10 files written to {}",
        summary.read,
        summary.skipped,
        summary.failed,
        merged.len(),
        unresolved,
        args.out.display()
    )?;
    Ok(if summary.failed > 0 {
        Exit::Error
    } else {
        Exit::Success
    })
}
