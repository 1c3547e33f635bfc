//! The command line: global options, the subcommands (one file each), exit codes and
//! error reporting.

mod convert;
mod distance;
mod exit;
mod extract;
mod geocode;
mod map;
mod merge;
mod places;
mod report;
mod run;
mod table;
mod trace;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

pub use exit::Exit;

/// Turn news reports of armed clashes into mapped, GIS-ready event data.
///
/// clashmap reads articles (Dutch, English, ...), extracts clash events, geocodes them
/// with an embedded gazetteer of Afghanistan and its neighbours (GeoNames, CC BY 4.0;
/// boundaries: Natural Earth) and writes GeoJSON, CSV and maps.
#[derive(Debug, Parser)]
#[command(
    name = "clashmap",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Add or override places from a gazetteer file: clashmap's CSV format
    /// (data/gazetteer/places.csv) or a GeoNames dump (AF.txt, allCountries.txt,
    /// cities500.txt: 19 tab-separated columns). Repeatable; later files win.
    #[arg(long, global = true, value_name = "FILE")]
    pub gazetteer: Vec<PathBuf>,

    /// District boundaries (admin level 2): a GeoJSON FeatureCollection of Polygon or
    /// MultiPolygon features, e.g. geoBoundaries ADM2 or OCHA COD-AB (the name is read
    /// from ADM2_EN, NAME_2, shapeName or name; FILE:FIELD names another property).
    /// District names then resolve to a point inside their polygon, and every event
    /// gets its district (admin2) by point-in-polygon. Repeatable; also read from
    /// CLASHMAP_ADMIN (a list of paths, separated like PATH).
    #[arg(long, global = true, value_name = "FILE[:FIELD]")]
    pub admin: Vec<String>,

    /// Threads for reading and extracting articles (default: one per core). Output is
    /// the same, byte for byte, whatever the number.
    #[arg(short = 'j', long, global = true, value_name = "N")]
    pub jobs: Option<usize>,

    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The whole analysis in one folder: events, distances, map, timeline, report.
    Run(run::Args),
    /// Extract events from articles and write them as GeoJSON or CSV.
    Extract(extract::Args),
    /// Merge unmerged reports (extract --no-merge output) into events, as extract does.
    Merge(merge::Args),
    /// Convert events between formats (GeoJSON, GeoJSON text sequence, CSV).
    Convert(convert::Args),
    /// Draw a report-ready map (SVG, and PNG) of events or articles.
    Map(map::Args),
    /// Resolve place names to gazetteer places, however a reporter spelled them.
    Geocode(geocode::Args),
    /// Geodesic (WGS84) distance between consecutive places, in km.
    Distance(distance::Args),
}

/// Runs the command line and turns the outcome into an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(exit) => exit.into(),
        Err(e) if is_broken_pipe(&e) => Exit::Success.into(),
        Err(e) => {
            let _ = writeln!(io::stderr(), "clashmap: error: {e:#}");
            Exit::Error.into()
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<Exit> {
    if let Some(n) = cli.jobs {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("starting the worker threads")?;
    }
    let mut gazetteer = clashmap::gazetteer::Gazetteer::embedded();
    for path in &cli.gazetteer {
        gazetteer
            .add_file(path)
            .with_context(|| format!("loading --gazetteer {}", path.display()))?;
    }
    let admin = load_admin(&cli.admin, &mut gazetteer)?;
    let mut geocoder = clashmap::geocode::Geocoder::new(gazetteer);
    geocoder.set_admin(admin);
    let geocoder = geocoder;
    std::thread::scope(|scope| {
        // the name automaton is built beside the command's own start (finding the
        // inputs, compiling the lexicons); the first scan waits for it if need be
        if matches!(cli.command, Command::Run(_) | Command::Extract(_)) {
            scope.spawn(|| geocoder.prepare_scan());
        }
        run_command(cli.command, &geocoder)
    })
}

/// Reads the admin boundary files (`--admin`, then `CLASHMAP_ADMIN`) and ties their
/// units to the gazetteer; warnings and a summary go to stderr.
fn load_admin(
    args: &[String],
    gazetteer: &mut clashmap::gazetteer::Gazetteer,
) -> anyhow::Result<clashmap::admin::AdminLayer> {
    use clashmap::admin::{AdminLayer, parse_admin_arg};
    let mut specs: Vec<(PathBuf, Option<String>)> =
        args.iter().map(|a| parse_admin_arg(a)).collect();
    if let Some(env) = std::env::var_os("CLASHMAP_ADMIN") {
        for p in std::env::split_paths(&env) {
            if !p.as_os_str().is_empty() {
                specs.push(parse_admin_arg(&p.to_string_lossy()));
            }
        }
    }
    let mut layer = AdminLayer::new();
    if specs.is_empty() {
        return Ok(layer);
    }
    let mut stderr = io::stderr();
    for (path, field) in &specs {
        let warnings = layer
            .add_file(path, field.as_deref())
            .with_context(|| format!("loading --admin {}", path.display()))?;
        for w in &warnings {
            let _ = writeln!(stderr, "clashmap: warning: {w}");
        }
    }
    let report = layer
        .attach(gazetteer)
        .context("tying the admin boundaries to the gazetteer")?;
    let how: Vec<String> = report
        .matched
        .iter()
        .map(|(h, n)| format!("{n} by {h}"))
        .collect();
    let _ = writeln!(
        stderr,
        "clashmap: {} districts from --admin: {} tied to the gazetteer's ({}), {} added; points: {} seats kept, {} seats found inside, {} inside the polygon",
        layer.units().len(),
        report.matched_total(),
        how.join(", "),
        report.added,
        report.seat_kept,
        report.seat_found,
        report.interior
    );
    Ok(layer)
}

fn run_command(command: Command, geocoder: &clashmap::geocode::Geocoder) -> anyhow::Result<Exit> {
    match command {
        Command::Run(args) => run::run(geocoder, &args),
        Command::Extract(args) => extract::run(geocoder, &args),
        Command::Merge(args) => merge::run(geocoder, &args),
        Command::Convert(args) => convert::run(&args),
        Command::Map(args) => map::run(geocoder, &args),
        Command::Geocode(args) => geocode::run(geocoder, &args),
        Command::Distance(args) => distance::run(geocoder, &args),
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(is_broken_pipe_error)
}

/// Whether an error is, or wraps, a closed pipe (`clashmap extract ... | head`).
fn is_broken_pipe_error(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<io::Error>() {
            if io.kind() == io::ErrorKind::BrokenPipe {
                return true;
            }
            if let Some(inner) = io.get_ref()
                && is_broken_pipe_error(inner)
            {
                return true;
            }
        }
        cur = err.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
