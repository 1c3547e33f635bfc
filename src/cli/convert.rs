//! `clashmap convert IN -o OUT --format ...`: events from one format to another.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};

use super::Exit;
use super::extract::{OutFormat, write_records};
use clashmap::export::read::read_file;
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
    let read = read_file(&args.input)?;
    for w in &read.warnings {
        writeln!(
            io::stderr(),
            "clashmap: warning: {}: {w}",
            args.input.display()
        )?;
    }
    match &args.output {
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
    writeln!(
        io::stderr(),
        "clashmap: {} events converted",
        read.records.len()
    )?;
    Ok(Exit::Success)
}
