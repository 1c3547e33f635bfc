//! Exports: every format carries every event exactly once; GeoJSON -> CSV -> GeoJSON
//! gives the same bytes; the distance layer; malformed input to `convert`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use serde_json::Value;

use super::clashmap;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/articles")
}

fn ids_geojson(text: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(text).unwrap();
    v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_format_has_every_event_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    // an article with an unknown place, so that an unresolved event is among them
    std::fs::write(
        dir.path().join("x.txt"),
        "date 2020-08-20 x\nOn Sunday, Taliban militants attacked the village of Zargaran-e Bala, killing two policemen.\n",
    )
    .unwrap();
    for merge in [true, false] {
        let run = |format: &str| {
            let mut c = clashmap();
            c.args(["extract", "--format", format])
                .arg(samples())
                .arg(dir.path());
            if !merge {
                c.arg("--no-merge");
            }
            String::from_utf8(c.output().unwrap().stdout).unwrap()
        };
        let gj = ids_geojson(&run("geojson"));
        let seq: Vec<String> = run("geojsonseq")
            .split('\x1e')
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                serde_json::from_str::<Value>(s).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        let csv_text = run("csv");
        let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
        let csv_ids: Vec<String> = rdr.records().map(|r| r.unwrap()[0].to_string()).collect();
        assert!(gj.len() >= 5, "{gj:?}");
        let unique: BTreeSet<&String> = gj.iter().collect();
        assert_eq!(unique.len(), gj.len(), "ids are unique");
        let sorted = |v: &Vec<String>| v.iter().cloned().collect::<BTreeSet<_>>();
        assert_eq!(
            sorted(&gj),
            sorted(&seq),
            "merge {merge}: geojson vs geojsonseq"
        );
        assert_eq!(
            sorted(&gj),
            sorted(&csv_ids),
            "merge {merge}: geojson vs csv"
        );
        assert_eq!(gj.len(), seq.len());
        assert_eq!(gj.len(), csv_ids.len());
    }
}

#[test]
fn geojson_to_csv_and_back_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        dir.path().join("a.geojson"),
        dir.path().join("b.csv"),
        dir.path().join("c.geojson"),
    );
    clashmap()
        .arg("extract")
        .arg(samples())
        .arg("-o")
        .arg(&a)
        .assert()
        .success();
    clashmap()
        .arg("convert")
        .arg(&a)
        .arg("-o")
        .arg(&b)
        .args(["--format", "csv"])
        .assert()
        .success();
    clashmap()
        .arg("convert")
        .arg(&b)
        .arg("-o")
        .arg(&c)
        .args(["--format", "geojson"])
        .assert()
        .success();
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&c).unwrap());
    let csv = std::fs::read_to_string(&b).unwrap();
    assert!(csv.starts_with("event_id,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,admin2,location,latitude,longitude,"));
}

#[test]
fn geojson_follows_rfc_7946() {
    let out = clashmap().arg("extract").arg(samples()).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.get("crs").is_none());
    let bbox = v["bbox"].as_array().unwrap();
    assert_eq!(bbox.len(), 4);
    for f in v["features"].as_array().unwrap() {
        assert_eq!(f["id"], f["properties"]["event_id"]);
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        assert!(
            (60.0..75.0).contains(&lon) && (29.0..39.0).contains(&lat),
            "[lon, lat] order"
        );
        assert!(lon >= bbox[0].as_f64().unwrap() && lat <= bbox[3].as_f64().unwrap());
        for (k, p) in f["properties"].as_object().unwrap() {
            assert!(!p.is_object() && !p.is_array(), "{k} is not flat");
        }
    }
    // 6 decimals, as written
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("\"coordinates\":[68.857000,36.728950]"),
        "{}",
        &text[..400]
    );
}

#[test]
fn excel_csv_starts_with_a_byte_order_mark() {
    let out = clashmap()
        .args(["extract", "--format", "csv", "--excel"])
        .arg(samples())
        .output()
        .unwrap();
    assert!(out.stdout.starts_with(b"\xef\xbb\xbfevent_id,"));
    let plain = clashmap()
        .args(["extract", "--format", "csv"])
        .arg(samples())
        .output()
        .unwrap();
    assert!(plain.stdout.starts_with(b"event_id,"));
}

#[test]
fn the_distance_layer_has_the_computed_and_the_reported_distance() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d.geojson");
    clashmap()
        .arg("extract")
        .arg(samples())
        .arg("--distances")
        .arg(&d)
        .assert()
        .success();
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&d).unwrap()).unwrap();
    let lines = v["features"].as_array().unwrap();
    let k = lines
        .iter()
        .find(|f| f["properties"]["from"] == "Kunduz" || f["properties"]["to"] == "Kunduz")
        .expect("a line from Kunduz");
    let p = &k["properties"];
    assert_eq!(p["distance_km"], 87.9);
    assert_eq!(p["label_km"], 100.0);
    assert_eq!(p["stated"], true);
    assert_eq!(p["reported_approximate"], true);
    assert_eq!(k["geometry"]["type"], "LineString");
    assert!(
        k["geometry"]["coordinates"].as_array().unwrap().len() > 2,
        "densified"
    );
}

#[test]
fn malformed_input_to_convert_names_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let bad_json = dir.path().join("bad.geojson");
    std::fs::write(
        &bad_json,
        "{\"type\":\"FeatureCollection\",\n\"features\":[{\"type\":\"Feature\",]}",
    )
    .unwrap();
    clashmap()
        .arg("convert")
        .arg(&bad_json)
        .args(["--format", "csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.geojson:2:"));
    let bad_csv = dir.path().join("bad.csv");
    std::fs::write(
        &bad_csv,
        "event_id,latitude,longitude,fatalities\na,36.7,68.8,3\nb,north,68.8,1\n",
    )
    .unwrap();
    clashmap()
        .arg("convert")
        .arg(&bad_csv)
        .args(["--format", "geojson"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("record 2")
                .and(predicate::str::contains("latitude \"north\"")),
        );
    let out_of_range = dir.path().join("far.csv");
    std::fs::write(&out_of_range, "event_id,latitude,longitude\na,95.0,68.8\n").unwrap();
    clashmap()
        .arg("convert")
        .arg(&out_of_range)
        .args(["--format", "geojson"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("out of range"));
}
