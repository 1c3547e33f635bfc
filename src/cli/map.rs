//! `clashmap map INPUT... -o map.svg [--png map.png]`: a report-ready map of events.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::Exit;
use super::extract::extract_events;
use clashmap::article::{InputFormat, ReadOptions};
use clashmap::basemap::Basemap;
use clashmap::date::Date;
use clashmap::export::distances::{self, Node};
use clashmap::export::read::read_file;
use clashmap::export::record::{Record, RecordFilter};
use clashmap::export::{check_writable, write_atomic};
use clashmap::geocode::Geocoder;
use clashmap::render::{
    MapEvent, MapLink, MapOptions, Marker, country_extent, projection::Extent, render_png,
    render_svg, source_key,
};

/// A distance to draw: (event, event, km, reported km and whether approximate).
type Pair = (usize, usize, f64, Option<(f64, bool)>);

/// Which distances to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DistancesArg {
    /// Each event to its nearest event of the same or adjacent days within 300 km, and
    /// every pair an article states a distance for.
    Auto,
    /// None.
    None,
    /// Consecutive events in date order (a route).
    Chain,
}

/// Whether to label events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LabelsArg {
    /// Place and date beside each event, without overlaps.
    Auto,
    /// No labels.
    None,
}

/// Which events a map shows.
#[derive(Debug, Clone, clap::Args)]
pub struct FilterArgs {
    /// Map only events whose days reach DATE or later (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub from: Option<Date>,

    /// Map only events whose days begin on DATE or earlier (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub to: Option<Date>,

    /// Map only events of this ACLED event type or sub-event type, e.g. Battles or
    /// "Suicide bomb" (repeatable: any of them).
    #[arg(long = "type", value_name = "TYPE")]
    pub types: Vec<String>,

    /// Map only events in this province (admin1, e.g. Kunduz; repeatable: any of them).
    #[arg(long, value_name = "PROVINCE")]
    pub admin1: Vec<String>,
}

impl FilterArgs {
    /// The filter.
    pub fn filter(&self) -> RecordFilter {
        RecordFilter {
            from: self.from,
            to: self.to,
            types: self.types.clone(),
            admin1: self.admin1.clone(),
        }
    }
}

/// A day on the command line.
fn parse_day(s: &str) -> std::result::Result<Date, String> {
    clashmap::date::parse_dataset_date(s).ok_or_else(|| format!("{s:?} is not a date (YYYY-MM-DD)"))
}

/// Arguments of `clashmap map`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  clashmap map data/articles/ -o map.svg --png map.png\n  clashmap map events.geojson -o kunduz.svg --extent 68,35.5,69.5,37 --title \"Kunduz, September 2019\"\n  clashmap map acled_export.csv -o acled.svg --extent country\n\nThe map: neighbouring countries and Afghanistan's provinces, events as circles\n(area by fatalities, colour by ACLED type), labels without overlaps, dashed geodesic\ndistances, a scale bar true at the centre, a north arrow, a legend and the data\nattribution. The SVG is written directly (layers for Inkscape, titles on markers);\nthe PNG is rendered from it with the bundled DejaVu Sans."
)]
pub struct Args {
    /// Events to map: clashmap GeoJSON, any GeoJSON of Point features, an ACLED CSV,
    /// or articles (files or folders; they are extracted first).
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,

    /// The SVG to write.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,

    /// Also write a PNG of the map.
    #[arg(long, value_name = "FILE")]
    pub png: Option<PathBuf>,

    /// Also draw a chart of events per day by type (stacked bars; per week or month
    /// for long periods) into this SVG, for the report beside the map.
    #[arg(long, value_name = "FILE")]
    pub chart: Option<PathBuf>,

    /// Width of the map in px.
    #[arg(long, default_value_t = 1200, value_name = "PX", value_parser = clap::value_parser!(u32).range(300..=8000))]
    pub width: u32,

    /// The area: `auto` (fit the events, at least 150 km across), `country`
    /// (Afghanistan), or `minlon,minlat,maxlon,maxlat`.
    #[arg(long, default_value = "auto", value_name = "EXTENT")]
    pub extent: String,

    /// The map's title.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,

    /// Which distances to draw.
    #[arg(long, value_enum, default_value_t = DistancesArg::Auto)]
    pub distances: DistancesArg,

    /// Whether to label the events.
    #[arg(long, value_enum, default_value_t = LabelsArg::Auto)]
    pub labels: LabelsArg,

    /// Draw the district outlines of --admin (or CLASHMAP_ADMIN) as a faint layer.
    #[arg(long)]
    pub districts: bool,

    #[command(flatten)]
    pub filter: FilterArgs,
}

fn parse_extent(s: &str, basemap: &Basemap) -> Result<Option<Extent>> {
    match s {
        "auto" => Ok(None),
        "country" => Ok(Some(country_extent(basemap))),
        _ => {
            let v: Vec<f64> = s
                .split(',')
                .map(|x| x.trim().parse::<f64>())
                .collect::<Result<_, _>>()
                .with_context(|| {
                    format!("--extent {s:?}: expected auto, country or minlon,minlat,maxlon,maxlat")
                })?;
            if v.len() != 4
                || v[0] >= v[2]
                || v[1] >= v[3]
                || v[0] < -180.0
                || v[2] > 180.0
                || v[1] < -90.0
                || v[3] > 90.0
            {
                bail!(
                    "--extent {s:?}: expected minlon,minlat,maxlon,maxlat with min < max, in degrees"
                );
            }
            Ok(Some(Extent {
                west: v[0],
                south: v[1],
                east: v[2],
                north: v[3],
            }))
        }
    }
}

fn is_event_file(p: &std::path::Path) -> bool {
    p.is_file()
        && p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            matches!(
                e.to_ascii_lowercase().as_str(),
                "geojson" | "json" | "geojsons" | "geojsonl" | "geojsonseq" | "csv"
            )
        })
}

fn text(r: &Record, k: &str) -> Option<String> {
    r.get(k).as_str().map(str::to_string)
}

fn map_event(r: &Record) -> Option<MapEvent> {
    let (lon, lat) = r.point?;
    let event_type = text(r, "event_type").unwrap_or_else(|| "Unknown".into());
    let place = text(r, "location")
        .or_else(|| text(r, "location_as_reported"))
        .unwrap_or_default();
    let date = text(r, "event_date").or_else(|| text(r, "date_start"));
    let fatalities = r.get("fatalities").as_int().unwrap_or(0).max(0) as u64;
    let sources: Vec<String> = text(r, "source")
        .map(|s| s.split("; ").map(str::to_string).collect())
        .unwrap_or_default();
    let title = format!(
        "{} · {} · {}{} · fatalities {}{}",
        place,
        event_type,
        date.clone().unwrap_or_else(|| "date unknown".into()),
        text(r, "date_end")
            .filter(|e| Some(e) != date.as_ref())
            .map(|e| format!(" to {e}"))
            .unwrap_or_default(),
        fatalities,
        if sources.is_empty() {
            String::new()
        } else {
            format!(" · sources: {}", sources.join(", "))
        }
    );
    Some(MapEvent {
        lon,
        lat,
        event_type: event_type.into(),
        fatalities,
        date: date.as_deref().and_then(Date::parse),
        date_end: text(r, "date_end").as_deref().and_then(Date::parse),
        sources: sources.iter().map(|s| source_key(s)).collect(),
        marker: Some(Box::new(Marker {
            id: r.id.clone(),
            place,
            title,
        })),
    })
}

/// Runs the command.
pub fn run(geocoder: &Geocoder, args: &Args) -> Result<Exit> {
    let basemap = Basemap::embedded();
    let extent = parse_extent(&args.extent, basemap)?;
    let (districts, districts_credit) = match district_outlines(geocoder, args.districts) {
        Ok(d) => d,
        Err(exit) => return Ok(exit),
    };
    for p in std::iter::once(&args.output)
        .chain(args.png.iter())
        .chain(args.chart.iter())
    {
        check_writable(p).with_context(|| format!("cannot write {}", p.display()))?;
    }
    let mut err = io::stderr();
    let (records, mut links): (Vec<Record>, Vec<Pair>) =
        if args.inputs.iter().all(|p| is_event_file(p)) {
            let mut records = Vec::new();
            for p in &args.inputs {
                let read = read_file(p)?;
                for w in &read.warnings {
                    writeln!(err, "clashmap: warning: {}: {w}", p.display())?;
                }
                records.extend(read.records);
            }
            (records, Vec::new())
        } else {
            let opts = ReadOptions {
                format: InputFormat::Text,
                date: None,
                lang: None,
            };
            let (events, stated, _) = extract_events(geocoder, &args.inputs, &opts, true, false)?;
            let records: Vec<Record> = events
                .iter()
                .map(|e| Record::from_event(e, geocoder))
                .collect();
            let links = distances::related(&events, geocoder, &stated)
                .into_iter()
                .map(|l| {
                    (
                        l.from,
                        l.to,
                        l.km,
                        l.reported.map(|r| (r.km, r.approximate)),
                    )
                })
                .collect();
            (records, links)
        };
    // only placed events (that pass the filter) are drawn; links are re-indexed onto
    // them
    let filter = args.filter.filter();
    let mut index = vec![None; records.len()];
    let mut events = Vec::new();
    for (i, r) in records.iter().enumerate() {
        if !filter.keeps(r) {
            continue;
        }
        if let Some(e) = map_event(r) {
            index[i] = Some(events.len());
            events.push(e);
        }
    }
    let unplaced = records.len() - events.len();
    if unplaced > 0 {
        writeln!(
            err,
            "clashmap: warning: {unplaced} events have no coordinates (unresolved places) and are not drawn"
        )?;
    }
    if records.is_empty() {
        writeln!(
            err,
            "clashmap: warning: no events; the map shows the basemap only"
        )?;
    }
    let placed: Vec<&Record> = records.iter().filter(|r| r.point.is_some()).collect();
    links = match args.distances {
        DistancesArg::None => Vec::new(),
        DistancesArg::Auto if links.is_empty() => {
            let nodes: Vec<Node> = placed.iter().map(|r| Node::of_record(r)).collect();
            distances::nearest_pairs(&nodes)
                .into_iter()
                .map(|(a, b, km)| (a, b, km, None))
                .collect()
        }
        DistancesArg::Auto => links
            .into_iter()
            .filter_map(|(a, b, km, rep)| Some((index[a]?, index[b]?, km, rep)))
            .collect(),
        DistancesArg::Chain => {
            let mut order: Vec<usize> = (0..events.len()).collect();
            order.sort_by(|&a, &b| {
                let key = |e: &MapEvent| (e.date, e.marker.as_ref().map(|m| m.id.clone()));
                key(&events[a]).cmp(&key(&events[b]))
            });
            order
                .windows(2)
                .map(|w| {
                    let (a, b) = (&events[w[0]], &events[w[1]]);
                    (
                        w[0],
                        w[1],
                        clashmap::distance::geodesic_km((a.lat, a.lon), (b.lat, b.lon)),
                        None,
                    )
                })
                .collect()
        }
    };
    let map_links: Vec<MapLink> = links
        .into_iter()
        .map(|(from, to, km, reported)| MapLink {
            from,
            to,
            km,
            reported,
        })
        .collect();
    let opts = MapOptions {
        width: f64::from(args.width),
        extent,
        title: args.title.clone(),
        labels: args.labels == LabelsArg::Auto,
        districts,
        districts_credit,
        note: filter.describe(),
        ..Default::default()
    };
    let svg = render_svg(&events, &map_links, basemap, &opts);
    write_atomic(&args.output, |w| w.write_all(svg.as_bytes()))
        .with_context(|| format!("writing {}", args.output.display()))?;
    if let Some(chart) = &args.chart {
        let svg = clashmap::render::chart::render_chart(&events, 900, 360)?;
        write_atomic(chart, |w| w.write_all(svg.as_bytes()))
            .with_context(|| format!("writing {}", chart.display()))?;
    }
    if let Some(png) = &args.png {
        let bytes = render_png(&svg)?;
        write_atomic(png, |w| w.write_all(&bytes))
            .with_context(|| format!("writing {}", png.display()))?;
    }
    writeln!(
        err,
        "clashmap: map of {} events, {} distances written to {}",
        events.len(),
        map_links.len(),
        args.output.display()
    )?;
    Ok(Exit::Success)
}

/// The district outlines to draw when `--districts` asks for them, with their credit
/// (none when not asked); with `--districts` but no boundaries given, the usage error
/// (exit 2) is written and `Err` holds its exit code.
pub fn district_outlines(
    geocoder: &Geocoder,
    wanted: bool,
) -> std::result::Result<(Vec<geo::MultiPolygon<f64>>, String), Exit> {
    if !wanted {
        return Ok((Vec::new(), String::new()));
    }
    match geocoder.admin() {
        Some(layer) => Ok((
            layer.units().iter().map(|u| u.geometry.clone()).collect(),
            layer.credits().join(", "),
        )),
        None => {
            let _ = writeln!(
                io::stderr(),
                "clashmap: error: --districts draws the district boundaries given with --admin FILE (or CLASHMAP_ADMIN); none were given"
            );
            Err(Exit::Usage)
        }
    }
}
