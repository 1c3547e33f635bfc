//! `clashmap geocode NAME...`: resolve names and print the places.

use std::io::{self, Write};

use anyhow::Result;
use serde_json::json;

use super::Exit;
use super::places::{NameOptions, resolve_all};
use super::table::write_table;
use clashmap::geocode::{GeocodeStatus, Geocoder};

/// Arguments of `clashmap geocode`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  clashmap geocode Kunduz Pul-e-Chomri Kaboel\n  clashmap geocode \"provincie Baghlan\" \"Imam Sahib district\" --json\n\nAn unknown name prints the closest known names on stderr and makes the exit code 1."
)]
pub struct Args {
    /// Place names as written, optionally with a generic word that tells the kind
    /// ("provincie Kunduz", "Imam Sahib district", "de hoofdstad van Baghlan").
    #[arg(required = true, value_name = "NAME")]
    pub names: Vec<String>,

    /// Print JSON (an array, one object per name) instead of a table.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub opts: NameOptions,
}

/// Runs the command.
pub fn run(geocoder: &Geocoder, args: &Args) -> Result<Exit> {
    let results = resolve_all(geocoder, &args.names, &args.opts);
    let gaz = geocoder.gazetteer();
    let mut exit = Exit::Success;
    let mut rows = Vec::new();
    let mut json_rows = Vec::new();
    let mut stderr = io::stderr();
    for (query, res) in args.names.iter().zip(&results) {
        match res {
            Ok(r) => {
                let p = geocoder.place(r.place);
                let status = match r.status {
                    GeocodeStatus::Resolved => "resolved",
                    GeocodeStatus::Ambiguous => "ambiguous",
                };
                rows.push(vec![
                    query.clone(),
                    p.name.clone(),
                    p.kind.to_string(),
                    p.admin1_name.clone(),
                    gaz.country_name(&p.country_code).to_string(),
                    format!("{:.5}", p.lat),
                    format!("{:.5}", p.lon),
                    p.geonameid.to_string(),
                    r.match_kind.as_str().to_string(),
                    status.to_string(),
                    r.geo_precision.to_string(),
                ]);
                let alternatives: Vec<_> = r
                    .alternatives
                    .iter()
                    .map(|&i| {
                        let a = geocoder.place(i);
                        json!({"name": a.name, "kind": a.kind, "admin1": a.admin1_name,
                               "country": gaz.country_name(&a.country_code), "geonameid": a.geonameid})
                    })
                    .collect();
                json_rows.push(json!({
                    "query": query,
                    "name": p.name,
                    "kind": p.kind,
                    "admin1": p.admin1_name,
                    "admin2": if p.admin2_name.is_empty() { None } else { Some(&p.admin2_name) },
                    "country": gaz.country_name(&p.country_code),
                    "country_code": p.country_code,
                    "lat": (p.lat * 1e5).round() / 1e5,
                    "lon": (p.lon * 1e5).round() / 1e5,
                    "geonameid": p.geonameid,
                    "match": r.match_kind,
                    "status": status,
                    "geo_precision": r.geo_precision,
                    "point_source": p.point_source,
                    "admin_unit": geocoder.admin_unit_at(p.lon, p.lat).map(|u| &u.name),
                    "alternatives": alternatives,
                }));
            }
            Err(e) => {
                exit = Exit::Error;
                writeln!(stderr, "clashmap: {e}")?;
                json_rows.push(json!({
                    "query": query,
                    "status": "unresolved",
                    "suggestions": e.suggestions,
                }));
            }
        }
    }
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &json_rows)?;
        writeln!(out)?;
    } else if !rows.is_empty() {
        write_table(
            &mut out,
            &[
                "QUERY",
                "NAME",
                "KIND",
                "ADMIN1",
                "COUNTRY",
                "LAT",
                "LON",
                "GEONAMEID",
                "MATCH",
                "STATUS",
                "PRECISION",
            ],
            &rows,
        )?;
    }
    out.flush()?;
    Ok(exit)
}
