//! `clashmap convert IN -o OUT --format ...`: events from one format to another.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};

use super::Exit;
use super::extract::{OutFormat, gpkg_needs_file, write_csvt, write_records};
use clashmap::export::distances::{Node, geodesic_path, related_nodes};
use clashmap::export::gpkg::{Gpkg, LineRow};
use clashmap::export::read::read_file;
use clashmap::export::record::Record;
use clashmap::export::sources::{SourceRow, read_sources, rows_of_cell};
use clashmap::export::{check_writable, write_atomic};

/// Arguments of `clashmap convert`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  clashmap convert events.geojson -o events.csv --format csv\n  clashmap convert acled_export.csv -o acled.geojson --format geojson\n\nReads clashmap's GeoJSON (collection or text sequence), any GeoJSON of Point features,\nor CSV with ACLED's column names (latitude, longitude; extra columns ignored).\nGeoJSON -> CSV -> GeoJSON gives the same bytes."
)]
pub struct Args {
    /// The events to read: GeoJSON or CSV (told apart by extension, else content).
    #[arg(value_name = "IN")]
    pub input: PathBuf,

    /// Where to write (atomically); standard output when absent.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The output format.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: OutFormat,

    /// With --format csv: start the file with a byte-order mark, for spreadsheets.
    #[arg(long)]
    pub excel: bool,

    /// The long table of sources that goes with IN (`event_sources.csv`, as `run` and
    /// `extract --sources` write it): a GeoPackage's `sources` table is made of it
    /// instead of the `source` cells (which name at most 20 articles).
    #[arg(long, value_name = "FILE")]
    pub sources: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<Exit> {
    if let Some(out) = &args.output
        && super::extract::same_file(&args.input, out)
    {
        anyhow::bail!("-o {} is the input; it would be overwritten", out.display());
    }
    if let Some(out) = &args.output {
        check_writable(out).with_context(|| format!("cannot write {}", out.display()))?;
    }
    if let Err(exit) = gpkg_needs_file(args.format, args.output.as_ref()) {
        return Ok(exit);
    }
    let read = read_file(&args.input)?;
    let long = match &args.sources {
        Some(path) => Some(read_sources(path)?),
        None => None,
    };
    for w in &read.warnings {
        writeln!(
            io::stderr(),
            "clashmap: warning: {}: {w}",
            args.input.display()
        )?;
    }
    match &args.output {
        Some(path) if args.format == OutFormat::Gpkg => {
            write_gpkg(path, &read.records, long)?;
        }
        Some(path) => write_atomic(path, |w| {
            write_records(w, &read.records, args.format, args.excel)
        })
        .with_context(|| format!("writing {}", path.display()))?,
        None => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            write_records(&mut out, &read.records, args.format, args.excel)?;
            out.flush()?;
        }
    }
    if let (OutFormat::Csv, Some(path)) = (args.format, &args.output) {
        write_csvt(path)?;
    }
    writeln!(
        io::stderr(),
        "clashmap: {} events converted",
        read.records.len()
    )?;
    Ok(Exit::Success)
}

/// Writes records as a GeoPackage: the events, the lines between related events (the
/// nearest event of the same or an adjacent day within 300 km; no article is at hand
/// to state a distance), and the sources (the long table when given, else the cells).
fn write_gpkg(
    path: &std::path::Path,
    records: &[Record],
    long: Option<Vec<SourceRow>>,
) -> Result<()> {
    let mut pkg = Gpkg::create(path)?;
    pkg.add_events(records)?;
    let rows = long.unwrap_or_else(|| {
        records
            .iter()
            .flat_map(|r| rows_of_cell(&r.id, r.get("source").as_str().unwrap_or("")))
            .collect()
    });
    pkg.add_sources(&rows)?;
    let nodes: Vec<Node> = records.iter().map(Node::of_record).collect();
    let links = related_nodes(&nodes, &[], |_, _| None, |i| records[i].id.as_str());
    let name = |r: &Record| r.get("location").as_str().unwrap_or("").to_string();
    let lines: Vec<LineRow> = links
        .iter()
        .filter_map(|l| {
            let (a, b) = (&records[l.from], &records[l.to]);
            let (pa, pb) = (nodes[l.from].point?, nodes[l.to].point?);
            Some(LineRow {
                id: format!("{}-{}", a.id, b.id),
                path: geodesic_path(pa, pb),
                from_event: a.id.clone(),
                from: name(a),
                to_event: b.id.clone(),
                to: name(b),
                distance_km: clashmap::distance::km_tenths(l.km),
                reported: None,
            })
        })
        .collect();
    pkg.add_lines(&lines)?;
    pkg.finish()?;
    Ok(())
}
