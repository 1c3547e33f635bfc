//! `clashmap run [INPUT...] [--out DIR]`: the whole analysis in one folder: events
//! (GeoJSON, CSV), distances, the map (SVG, PNG), the timeline and an analyst's brief.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::Exit;
use super::extract::{OutFormat, extract_events, write_records};
use clashmap::article::{InputFormat, ReadOptions};
use clashmap::basemap::Basemap;
use clashmap::distance::format_km;
use clashmap::event::{Event, PlaceStatus};
use clashmap::export::distances::{self, Link};
use clashmap::export::record::Record;
use clashmap::export::write_atomic;
use clashmap::geocode::Geocoder;
use clashmap::render::{
    ATTRIBUTION, MapEvent, MapLink, MapOptions, chart::render_chart, render_png, render_svg,
};

/// Arguments of `clashmap run`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  clashmap run                       # the bundled corpus data/articles/ into output/\n  clashmap run my-articles/ --out analysis/\n\nWrites events.geojson, events.csv, distances.geojson, map.svg, map.png, timeline.svg\nand report.md, then a one-line summary on stderr."
)]
pub struct Args {
    /// Article files or folders; default: the bundled corpus `data/articles/`.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// The folder to write into (created if missing).
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,

    /// The map's title.
    #[arg(
        long,
        value_name = "TEXT",
        default_value = "Armed clashes and violence"
    )]
    pub title: String,
}

fn date_text(e: &Event) -> String {
    match e.dates {
        Some(d) if d.start == d.end => d.start.to_string(),
        Some(d) => format!("{} – {}", d.start, d.end),
        None => "unknown".into(),
    }
}

fn map_event(e: &Event, r: &Record) -> Option<MapEvent> {
    let (lon, lat) = r.point?;
    let place = r.get("location").as_str().unwrap_or_default().to_string();
    Some(MapEvent {
        id: e.id.clone(),
        lon,
        lat,
        event_type: e.first().event_type.clone(),
        fatalities: e.fatalities.best,
        title: format!(
            "{place} · {} · {} · fatalities {}",
            e.first().event_type,
            date_text(e),
            e.fatalities.best
        ),
        place,
        date: e.dates.map(|d| d.start.to_string()),
        date_end: e.dates.map(|d| d.end.to_string()),
        sources: e.sources().iter().map(|s| s.to_string()).collect(),
    })
}

/// The analyst's brief, in Markdown.
fn report(
    events: &[Event],
    records: &[Record],
    links: &[Link],
    summary: &super::extract::Summary,
    g: &Geocoder,
) -> String {
    let mut s = String::new();
    let starts: Vec<String> = events
        .iter()
        .filter_map(|e| e.dates.map(|d| d.start.to_string()))
        .collect();
    let ends: Vec<String> = events
        .iter()
        .filter_map(|e| e.dates.map(|d| d.end.to_string()))
        .collect();
    let period = match (starts.iter().min(), ends.iter().max()) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "dates unknown".into(),
    };
    let mut sources: Vec<&str> = events.iter().flat_map(|e| e.sources()).collect();
    sources.sort();
    sources.dedup();
    let _ = writeln!(s, "# Armed clashes and violence, {period}\n");
    let _ = writeln!(
        s,
        "{} events from {} articles ({} read, {} skipped), extracted by clashmap {}.\n",
        events.len(),
        sources.len(),
        summary.read,
        summary.skipped,
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(s, "![Map of the events](map.png)\n");
    let _ = writeln!(s, "## Events\n");
    let _ = writeln!(
        s,
        "| Date | Place | Province | Type | Actors | Fatalities (range) | Sources |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|");
    for (e, r) in events.iter().zip(records) {
        let cell = |k: &str| r.get(k).as_str().unwrap_or("").replace('|', "/");
        let (a1, a2) = e.actors();
        let actors = match (a1, a2) {
            (Some(a), Some(b)) => format!("{a} vs {b}"),
            (Some(a), None) => a.to_string(),
            _ => String::new(),
        };
        let f = &e.fatalities;
        let range = match (f.low, f.high) {
            (None, _) => "none reported".to_string(),
            (Some(l), Some(h)) if l == h => format!("{}", f.best),
            (Some(l), Some(h)) => format!("{} ({l}–{h})", f.best),
            (Some(l), None) => format!("{} (at least {l})", f.best),
        };
        let claimed = e
            .claimed
            .map(|c| format!("; {c} claimed"))
            .unwrap_or_default();
        let place = if e.location().status == PlaceStatus::Unresolved {
            format!("{} (not found)", cell("location_as_reported"))
        } else {
            cell("location")
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} ({}) | {} | {}{} | {} |",
            date_text(e),
            place,
            cell("admin1"),
            e.first().event_type,
            e.first().sub_event_type,
            actors,
            range,
            claimed,
            e.sources().join(", ")
        );
    }
    let _ = writeln!(s, "\n![Events over time](timeline.svg)\n");
    let _ = writeln!(s, "## Distances\n");
    if links.is_empty() {
        let _ = writeln!(
            s,
            "No related events (none within 300 km on the same or adjacent days, and no distance stated).\n"
        );
    } else {
        let _ = writeln!(s, "| From | To | Geodesic (WGS84) | Reported |");
        let _ = writeln!(s, "|---|---|---|---|");
        for l in links {
            let name = |e: &Event| {
                e.location()
                    .place
                    .map(|i| g.place(i).name.clone())
                    .unwrap_or_default()
            };
            let reported = match &l.reported {
                Some(r) => format!(
                    "{}{} km (\"{}\", {})",
                    if r.approximate { "~" } else { "" },
                    r.km,
                    r.text,
                    r.article
                ),
                None => "-".into(),
            };
            let _ = writeln!(
                s,
                "| {} | {} | {} km | {} |",
                name(&events[l.from]),
                name(&events[l.to]),
                format_km(l.km),
                reported
            );
        }
        let _ = writeln!(s);
    }
    let _ = writeln!(s, "## Unresolved places\n");
    let unresolved: Vec<String> = events
        .iter()
        .filter(|e| e.location().status == PlaceStatus::Unresolved)
        .map(|e| {
            format!(
                "- {} ({}, {})",
                e.location().as_reported,
                e.first().event_type,
                e.sources().join(", ")
            )
        })
        .collect();
    if unresolved.is_empty() {
        let _ = writeln!(s, "None: every event was placed.\n");
    } else {
        let _ = writeln!(
            s,
            "These events are in `events.geojson` with no geometry and in `events.csv` without coordinates:\n\n{}\n",
            unresolved.join("\n")
        );
    }
    let _ = writeln!(s, "## How to read this\n");
    let _ = writeln!(
        s,
        "- Dates are the days the articles allow; a range means the exact day is not known (precision in `time_precision`: 1 day, 2 week, 3 month)."
    );
    let _ = writeln!(
        s,
        "- Fatalities are the most conservative figure reported; the range gives the lowest and highest counts across sources. Counts claimed only by a party to the fight are listed apart."
    );
    let _ = writeln!(
        s,
        "- Distances are geodesics on the WGS84 ellipsoid between the events' places, cut to 0.1 km.\n"
    );
    let _ = writeln!(s, "{ATTRIBUTION}.");
    s
}

/// Runs the command.
pub fn run(geocoder: &Geocoder, args: &Args) -> Result<Exit> {
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
    let opts = ReadOptions {
        format: InputFormat::Text,
        date: None,
        lang: None,
    };
    let (events, stated, summary) = extract_events(geocoder, &inputs, &opts, true, false)?;
    let records: Vec<Record> = events
        .iter()
        .map(|e| Record::from_event(e, geocoder))
        .collect();
    let links = distances::related(&events, geocoder, &stated);
    let out = |name: &str| -> PathBuf { args.out.join(name) };
    // each file is written as it is formatted (to a temporary file, then renamed)
    let write_with = |path: &Path, f: &dyn Fn(&mut dyn Write) -> io::Result<()>| -> Result<()> {
        write_atomic(path, |w| f(w)).with_context(|| format!("writing {}", path.display()))
    };
    let write = |path: &Path, bytes: &[u8]| write_with(path, &|w| w.write_all(bytes));
    write_with(&out("events.geojson"), &|w| {
        write_records(w, &records, OutFormat::Geojson, false)
    })?;
    write_with(&out("events.csv"), &|w| {
        write_records(w, &records, OutFormat::Csv, false)
    })?;
    write_with(&out("distances.geojson"), &|w| {
        distances::write_distances(w, &events, &links, geocoder)
    })?;
    // the map and the chart: placed events only
    let mut index = vec![None; events.len()];
    let mut map_events = Vec::new();
    for (i, (e, r)) in events.iter().zip(&records).enumerate() {
        if let Some(m) = map_event(e, r) {
            index[i] = Some(map_events.len());
            map_events.push(m);
        }
    }
    let map_links: Vec<MapLink> = links
        .iter()
        .filter_map(|l| {
            Some(MapLink {
                from: index[l.from]?,
                to: index[l.to]?,
                km: l.km,
                reported: l.reported.as_ref().map(|r| (r.km, r.approximate)),
            })
        })
        .collect();
    let svg = render_svg(
        &map_events,
        &map_links,
        Basemap::embedded(),
        &MapOptions {
            title: Some(args.title.clone()),
            ..Default::default()
        },
    );
    write(&out("map.svg"), svg.as_bytes())?;
    write(&out("map.png"), &render_png(&svg)?)?;
    write(
        &out("timeline.svg"),
        render_chart(&map_events, 900, 360)?.as_bytes(),
    )?;
    write(
        &out("report.md"),
        report(&events, &records, &links, &summary, geocoder).as_bytes(),
    )?;
    let unresolved = clashmap::event::unresolved(&events);
    writeln!(
        io::stderr(),
        "clashmap: {} articles read, {} skipped, {} failed; {} events, {} unresolved; 7 files written to {}",
        summary.read,
        summary.skipped,
        summary.failed,
        events.len(),
        unresolved,
        args.out.display()
    )?;
    Ok(if summary.failed > 0 {
        Exit::Error
    } else {
        Exit::Success
    })
}
