//! `clashmap distance A B [C...]`: geodesic distances between consecutive places.

use std::io::{self, Write};

use anyhow::Result;
use serde_json::json;

use super::Exit;
use super::places::{NameOptions, resolve_all};
use super::table::write_table;
use clashmap::distance::{format_km, geodesic_km, km_tenths};
use clashmap::geocode::Geocoder;

/// Arguments of `clashmap distance`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  clashmap distance Kunduz Pol-e-Khomri\n  FROM    TO            KM\n  Kunduz  Pol-e-Khomri  87.9\n\nDistances are WGS84 geodesics (Karney), in kilometres cut (not rounded) to one decimal, between\nthe gazetteer points of the places (a province's point is its capital)."
)]
pub struct Args {
    /// Two or more place names; the distance of each consecutive pair is printed, and
    /// the total for more than two.
    #[arg(required = true, num_args = 2.., value_name = "PLACE")]
    pub places: Vec<String>,

    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub opts: NameOptions,
}

/// Runs the command.
pub fn run(geocoder: &Geocoder, args: &Args) -> Result<Exit> {
    let results = resolve_all(geocoder, &args.places, &args.opts);
    let mut points = Vec::new();
    let mut failed = false;
    for r in &results {
        match r {
            Ok(r) => {
                let p = geocoder.place(r.place);
                points.push(Some((p.lat, p.lon, p.name.clone())));
            }
            Err(e) => {
                writeln!(io::stderr(), "clashmap: {e}")?;
                points.push(None);
                failed = true;
            }
        }
    }
    if failed {
        return Ok(Exit::Error);
    }
    let points: Vec<(f64, f64, String)> = points.into_iter().flatten().collect();
    let mut rows = Vec::new();
    let mut legs = Vec::new();
    let mut total = 0.0;
    for (i, w) in points.windows(2).enumerate() {
        let km = geodesic_km((w[0].0, w[0].1), (w[1].0, w[1].1));
        total += km;
        rows.push(vec![
            args.places[i].clone(),
            args.places[i + 1].clone(),
            format_km(km),
        ]);
        legs.push(json!({
            "from": args.places[i], "to": args.places[i + 1],
            "from_place": w[0].2, "to_place": w[1].2,
            "distance_km": km_tenths(km),
        }));
    }
    let mut out = io::stdout().lock();
    if args.json {
        let v = json!({"legs": legs, "total_km": km_tenths(total)});
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    } else {
        if points.len() > 2 {
            rows.push(vec!["total".into(), String::new(), format_km(total)]);
        }
        write_table(&mut out, &["FROM", "TO", "KM"], &rows)?;
    }
    out.flush()?;
    Ok(Exit::Success)
}
