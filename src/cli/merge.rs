//! `clashmap merge [INPUT...]`: unmerged reports in (`extract --no-merge`, GeoJSON or
//! GeoJSON text sequence), merged events out, the same as `extract` without
//! `--no-merge` on the same articles. Extraction is per article and merging a later
//! step, so the two can run on different machines (see the README's Spark recipe).

use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::Exit;
use super::extract::{OutFormat, OutputArgs, merged_links, same_file};
use clashmap::event::store::Spill;
use clashmap::export::check_writable;
use clashmap::export::read::for_each_record;
use clashmap::export::record::Record;
use clashmap::geocode::Geocoder;

/// Arguments of `clashmap merge`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  clashmap extract --no-merge --format geojsonseq a/ > a.geojsons\n  clashmap extract --no-merge --format geojsonseq b/ > b.geojsons\n  clashmap merge a.geojsons b.geojsons > events.geojson\n\nThe result equals `clashmap extract a/ b/`: reports of the same event (same type, same\nplace or within 10 km, overlapping dates) from different articles become one event.\nThe gazetteer (--gazetteer) must be the one the reports were extracted with."
)]
pub struct Args {
    /// Files of unmerged reports (GeoJSON or GeoJSON text sequence from `clashmap
    /// extract --no-merge`), or `-` for standard input.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,

    #[command(flatten)]
    pub out: OutputArgs,
}

/// Reads the reports of one input into `spill`, a line at a time when it is a GeoJSON
/// text sequence (as `extract --no-merge --format geojsonseq` writes).
fn spill_input(path: &Path, geocoder: &Geocoder, spill: &mut Spill<'_>) -> Result<()> {
    let mut input: Box<dyn BufRead> = if path == Path::new("-") {
        Box::new(io::stdin().lock())
    } else {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        Box::new(io::BufReader::new(file))
    };
    let mut err = io::stderr();
    // standard input is GeoJSON; a file may be CSV too
    let csv = path != Path::new("-");
    for_each_record::<anyhow::Error>(
        path,
        &mut input,
        csv,
        &mut |r| match r.to_report(geocoder) {
            Ok(rep) => Ok(spill.push(&rep)?),
            Err(why) => bail!("{}: feature {}: {why}", path.display(), r.id),
        },
        &mut |w| {
            let _ = writeln!(err, "clashmap: warning: {w}");
        },
    )
}

/// Runs the command.
pub fn run(geocoder: &Geocoder, args: &Args) -> Result<Exit> {
    let outputs = match args.out.check() {
        Ok(o) => o,
        Err(exit) => return Ok(exit),
    };
    for out in outputs {
        if args.inputs.iter().any(|i| same_file(i, out)) {
            bail!(
                "{} is one of the inputs; it would be overwritten",
                out.display()
            );
        }
        check_writable(out).with_context(|| format!("cannot write {}", out.display()))?;
    }
    // reports go to temporary files as they are read (a text sequence a line at a
    // time, other files whole), and are merged from there
    let mut spill = Spill::new(geocoder, true);
    for path in &args.inputs {
        spill_input(path, geocoder, &mut spill)?;
    }
    let merged = spill.finish(&[])?;
    let links = if args.out.format == OutFormat::Gpkg {
        merged_links(&merged, geocoder, &[])
    } else {
        Vec::new()
    };
    args.out.write(&merged, &links, geocoder, &|e| {
        Record::from_event(e, geocoder)
    })?;
    let unresolved = merged.unresolved();
    writeln!(
        io::stderr(),
        "clashmap: {} reports merged into {} events, {unresolved} unresolved",
        merged.reports,
        merged.len()
    )?;
    Ok(Exit::Success)
}
