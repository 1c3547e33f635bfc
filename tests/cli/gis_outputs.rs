//! The GIS containers and side tables: the GeoPackage (`--format gpkg`, `run`'s
//! events.gpkg), the long table of sources with capped `source` cells, the `.csvt`
//! sidecar, and a distance layer whose column types do not depend on the data.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde_json::Value;

use super::clashmap;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/articles")
}

fn count(c: &Connection, sql: &str) -> i64 {
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn features(path: &Path) -> Vec<Value> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["features"].as_array().unwrap().clone()
}

#[test]
fn a_geopackage_without_a_file_is_a_usage_error() {
    clashmap()
        .arg("extract")
        .arg(samples())
        .args(["--format", "gpkg"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("-o FILE"));
}

#[test]
fn extract_writes_a_geopackage_with_typed_layers_and_the_geojson_rows() {
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("events.gpkg");
    let geo = dir.path().join("events.geojson");
    clashmap()
        .arg("extract")
        .arg(samples())
        .args(["--format", "gpkg", "-o"])
        .arg(&gpkg)
        .assert()
        .success();
    clashmap()
        .arg("extract")
        .arg(samples())
        .arg("-o")
        .arg(&geo)
        .assert()
        .success();
    let c = Connection::open(&gpkg).unwrap();
    let layers: Vec<(String, String)> = c
        .prepare("SELECT table_name, data_type FROM gpkg_contents ORDER BY table_name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        layers,
        [
            ("distances".to_string(), "features".to_string()),
            ("events".into(), "features".into()),
            ("sources".into(), "attributes".into())
        ]
    );
    let events = features(&geo);
    assert_eq!(
        count(&c, "SELECT count(*) FROM events") as usize,
        events.len()
    );
    // the same ids, places and counts as the GeoJSON
    for f in &events {
        let p = &f["properties"];
        let (dead, date): (i64, String) = c
            .query_row(
                "SELECT fatalities, event_date FROM events WHERE event_id = ?",
                [p["event_id"].as_str().unwrap()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(dead, p["fatalities"].as_i64().unwrap());
        assert_eq!(date, p["event_date"].as_str().unwrap());
    }
    let ty = |t: &str, col: &str| -> String {
        c.query_row(
            &format!("SELECT type FROM pragma_table_info('{t}') WHERE name = '{col}'"),
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(ty("events", "event_date"), "DATE");
    assert_eq!(ty("events", "fatalities"), "MEDIUMINT");
    assert_eq!(ty("events", "latitude"), "REAL");
    assert_eq!(ty("distances", "distance_km"), "REAL");
    // every placed event and every line is in its R-tree
    assert_eq!(
        count(&c, "SELECT count(*) FROM rtree_events_geom"),
        count(&c, "SELECT count(*) FROM events WHERE geom IS NOT NULL")
    );
    assert!(count(&c, "SELECT count(*) FROM distances") >= 1);
    assert_eq!(
        count(&c, "SELECT count(*) FROM rtree_distances_geom"),
        count(&c, "SELECT count(*) FROM distances")
    );
    // the Kunduz - Pul-e Khumri line carries the article's "about 100 km"
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM distances WHERE stated AND reported_km = 100 AND reported_approximate"
        ),
        1
    );
    // one row per report in the sources table
    let sources: i64 = events
        .iter()
        .map(|f| f["properties"]["source_count"].as_i64().unwrap())
        .sum();
    assert!(count(&c, "SELECT count(*) FROM sources") >= sources);
    // nothing else left in the folder
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["events.geojson", "events.gpkg"]);
}

/// A JSON Lines corpus of `n` articles reporting the same attack.
fn same_event_corpus(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("wire.jsonl");
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!(
            "{{\"id\":\"wire-{i:03}\",\"date\":\"2019-09-02\",\"lang\":\"en\",\"text\":\"Taliban fighters attacked Kunduz on Saturday. At least {} people were killed in the fighting, officials said.\"}}\n",
            20 + i % 3
        ));
    }
    std::fs::write(&path, s).unwrap();
    path
}

#[test]
fn a_widely_reported_event_keeps_small_cells_and_every_source_in_the_long_table() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = same_event_corpus(dir.path(), 45);
    let out = dir.path().join("out");
    clashmap()
        .arg("run")
        .arg(&corpus)
        .args(["--input-format", "jsonl", "--out"])
        .arg(&out)
        .assert()
        .success();
    let events = features(&out.join("events.geojson"));
    assert_eq!(events.len(), 1, "one event, merged");
    let p = &events[0]["properties"];
    assert_eq!(p["source_count"], 45);
    let cell = p["source"].as_str().unwrap();
    assert!(cell.starts_with("wire-000; wire-001;"), "{cell}");
    assert!(
        cell.ends_with("; and 25 more (event_sources.csv)"),
        "{cell}"
    );
    assert!(p["notes"].as_str().unwrap().contains("25 more reports"));
    // the long table has every report, with what each article said
    let long = std::fs::read_to_string(out.join("event_sources.csv")).unwrap();
    let rows: Vec<&str> = long.lines().skip(1).collect();
    assert_eq!(rows.len(), 45);
    assert!(long.starts_with("event_id,source,report_id,date_start,date_end,fatalities"));
    assert!(
        rows.iter()
            .all(|r| r.starts_with(p["event_id"].as_str().unwrap()))
    );
    assert!(rows.iter().any(|r| r.contains(",wire-044,")));
    assert!(
        rows.iter().any(|r| r.contains(",22,")),
        "each article's own count"
    );
    // convert keeps them: the GeoPackage's sources table is made of the long table
    let gpkg = dir.path().join("back.gpkg");
    clashmap()
        .arg("convert")
        .arg(out.join("events.csv"))
        .args(["--format", "gpkg", "--sources"])
        .arg(out.join("event_sources.csv"))
        .arg("-o")
        .arg(&gpkg)
        .assert()
        .success();
    let c = Connection::open(&gpkg).unwrap();
    assert_eq!(count(&c, "SELECT count(*) FROM sources"), 45);
    assert_eq!(
        count(
            &c,
            "SELECT count(DISTINCT source) FROM sources WHERE fatalities IS NOT NULL"
        ),
        45
    );
    // and the run's own GeoPackage has them too
    let c = Connection::open(out.join("events.gpkg")).unwrap();
    assert_eq!(count(&c, "SELECT count(*) FROM sources"), 45);
}

#[test]
fn a_csv_file_gets_its_column_types_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("e.csv");
    clashmap()
        .arg("extract")
        .arg(samples())
        .args(["--format", "csv", "-o"])
        .arg(&csv)
        .assert()
        .success();
    let header = std::fs::read_to_string(&csv).unwrap();
    let header: Vec<&str> = header.lines().next().unwrap().split(',').collect();
    let types = std::fs::read_to_string(dir.path().join("e.csvt")).unwrap();
    let types: Vec<&str> = types.trim_end().split(',').collect();
    assert_eq!(types.len(), header.len());
    let of = |col: &str| types[header.iter().position(|h| *h == col).unwrap()];
    assert_eq!(of("event_date"), "\"Date\"");
    assert_eq!(of("fatalities"), "\"Integer\"");
    assert_eq!(of("longitude"), "\"CoordX\"");
    assert_eq!(of("latitude"), "\"CoordY\"");
    assert_eq!(of("notes"), "\"String\"");
}

/// The JSON type of every property of a distance layer's features.
fn property_types(path: &Path) -> Vec<(String, &'static str)> {
    let mut out = std::collections::BTreeSet::new();
    for f in features(path) {
        for (k, v) in f["properties"].as_object().unwrap() {
            let t = match v {
                Value::Null => "null-or-text",
                Value::String(_) => "null-or-text",
                Value::Bool(_) => "boolean",
                Value::Number(n) if n.is_f64() => "real",
                Value::Number(_) => "integer",
                _ => "other",
            };
            out.insert((k.clone(), t));
        }
    }
    out.into_iter().collect()
}

#[test]
fn the_distance_layer_has_the_same_column_types_with_and_without_stated_distances() {
    let dir = tempfile::tempdir().unwrap();
    // the samples state a distance; these two same-day attacks do not
    let plain = dir.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    std::fs::write(
        plain.join("a.txt"),
        " date 2019-09-02 Attacks\n\nTaliban fighters attacked Kunduz on Saturday, killing five soldiers. On the same day the Taliban attacked Baghlan, killing three policemen.\n",
    )
    .unwrap();
    let (with, without) = (dir.path().join("w.geojson"), dir.path().join("wo.geojson"));
    for (input, out) in [(samples(), &with), (plain.clone(), &without)] {
        clashmap()
            .arg("extract")
            .arg(input)
            .arg("--distances")
            .arg(out)
            .args(["-o", "/dev/null"])
            .assert()
            .success();
    }
    let (a, b) = (property_types(&with), property_types(&without));
    assert!(!b.is_empty(), "the plain article gives a line");
    assert!(
        features(&without)
            .iter()
            .all(|f| f["properties"]["stated"] == false)
    );
    assert_eq!(a, b);
}

fn acled_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/acled/acled-style-may2020.csv")
}

#[test]
fn an_acled_export_converts_with_iso_dates_and_its_precisions() {
    use predicates::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.geojson");
    clashmap()
        .arg("convert")
        .arg(acled_fixture())
        .args(["--format", "geojson", "-o"])
        .arg(&out)
        .assert()
        .success();
    let f = features(&out);
    assert_eq!(f.len(), 7);
    let p = &f[1]["properties"];
    assert_eq!(p["event_id"], "NIG90002");
    assert_eq!(p["event_date"], "2020-05-10");
    assert_eq!(p["time_precision"], 2);
    assert_eq!(p["geo_precision"], 2);
    assert!(f.iter().all(|f| {
        let d = f["properties"]["event_date"].as_str().unwrap();
        d.len() == 10 && d.starts_with("2020-05-")
    }));
    // a date ACLED never wrote is an error naming the row
    let bad = dir.path().join("bad.csv");
    let text = std::fs::read_to_string(acled_fixture())
        .unwrap()
        .replace("12-May-20", "12/05/2020");
    std::fs::write(&bad, text).unwrap();
    clashmap()
        .arg("convert")
        .arg(&bad)
        .args(["--format", "csv"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("record 4").and(predicates::str::contains("12/05/2020")));
}

#[test]
fn a_map_of_events_outside_afghanistan_draws_the_world_under_them() {
    use predicates::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("w.svg");
    clashmap()
        .arg("map")
        .arg(acled_fixture())
        .arg("-o")
        .arg(&svg)
        .assert()
        .success();
    let svg = std::fs::read_to_string(&svg).unwrap();
    let countries = svg
        .split("<g id=\"countries\"")
        .nth(1)
        .unwrap()
        .split("</g>")
        .next()
        .unwrap();
    assert!(
        countries.matches("<path").count() > 50,
        "the world's countries"
    );
    assert!(svg.contains(">Nigeria<") || svg.contains(">Niger<") || svg.contains(">Algeria<"));
    // and the dates are known
    assert!(
        svg.contains("9 May 2020 – 15 May 2020"),
        "dates read as ACLED writes them"
    );
    assert!(predicate::str::contains("dates unknown").not().eval(&svg));
}
