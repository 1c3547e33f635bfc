//! District boundaries (`--admin`, `CLASHMAP_ADMIN`): district names resolve inside
//! their polygon, events get their district, `--districts` draws them. With a small
//! boundary file the tests write themselves, and with the real geoBoundaries file of
//! `../shared/geodata` when it is there (it is never copied into the project).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use clashmap::admin::AdminLayer;
use clashmap::gazetteer::Gazetteer;
use clashmap::geocode::{Geocoder, ResolveOptions};
use serde_json::Value;

fn clashmap() -> Command {
    let mut c = Command::cargo_bin("clashmap").unwrap();
    c.current_dir(std::env::temp_dir());
    c.env_remove("CLASHMAP_ADMIN");
    c
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/admin")
        .join(name)
}

/// Nirkh (Maidan Wardak) as a square, in the OCHA COD-AB schema.
const NIRKH: [f64; 4] = [68.55, 34.15, 68.85, 34.45];

fn small_admin_file(dir: &Path) -> PathBuf {
    let [w, s, e, n] = NIRKH;
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"ADM2_EN":"Nirkh","ADM2_PCODE":"AF0405","ADM1_EN":"Maidan Wardak"}},"geometry":{{"type":"Polygon","coordinates":[[[{w},{s}],[{e},{s}],[{e},{n}],[{w},{n}],[{w},{s}]]]}}}}]}}"#
    );
    let p = dir.join("nirkh.geojson");
    std::fs::write(&p, text).unwrap();
    p
}

fn in_nirkh(lon: f64, lat: f64) -> bool {
    let [w, s, e, n] = NIRKH;
    (w..=e).contains(&lon) && (s..=n).contains(&lat)
}

fn features(stdout: &[u8]) -> Vec<Value> {
    let v: Value = serde_json::from_slice(stdout).unwrap();
    v["features"].as_array().unwrap().clone()
}

fn point(f: &Value) -> (f64, f64) {
    let c = &f["geometry"]["coordinates"];
    (c[0].as_f64().unwrap(), c[1].as_f64().unwrap())
}

#[test]
fn a_district_name_resolves_inside_the_polygon_of_the_admin_file() {
    let dir = tempfile::tempdir().unwrap();
    let admin = small_admin_file(dir.path());
    // without the file: the gazetteer's placeholder point, outside the square
    let out = clashmap()
        .args(["geocode", "--json", "Nirkh district"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["point_source"], "province-capital");
    assert_eq!(v[0]["geo_precision"], 3);
    assert!(!in_nirkh(
        v[0]["lon"].as_f64().unwrap(),
        v[0]["lat"].as_f64().unwrap()
    ));
    let out = clashmap()
        .arg("--admin")
        .arg(&admin)
        .args(["geocode", "--json", "Nirkh district"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        in_nirkh(v[0]["lon"].as_f64().unwrap(), v[0]["lat"].as_f64().unwrap()),
        "{v}"
    );
    assert_eq!(v[0]["geo_precision"], 2);
    assert_eq!(v[0]["admin_unit"], "Nirkh");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1 districts from --admin: 1 tied"), "{err}");
}

#[test]
fn notes_in_both_languages_get_events_inside_the_district_with_admin2() {
    let dir = tempfile::tempdir().unwrap();
    let admin = small_admin_file(dir.path());
    for (note, env) in [
        ("district-notes-en.txt", false),
        ("district-notes-nl.txt", true),
    ] {
        let mut c = clashmap();
        if env {
            c.env("CLASHMAP_ADMIN", &admin);
        } else {
            c.arg("--admin").arg(&admin);
        }
        let out = c
            .args(["extract", "--no-merge"])
            .arg(fixture(note))
            .output()
            .unwrap();
        assert!(out.status.success(), "{note}");
        let fs = features(&out.stdout);
        let nirkh: Vec<&Value> = fs
            .iter()
            .filter(|f| f["properties"]["location_as_reported"] == "Nirkh")
            .collect();
        assert_eq!(nirkh.len(), 1, "{note}");
        let (lon, lat) = point(nirkh[0]);
        assert!(in_nirkh(lon, lat), "{note}: {lon},{lat}");
        assert_eq!(nirkh[0]["properties"]["admin2"], "Nirkh", "{note}");
        assert_eq!(nirkh[0]["properties"]["admin1"], "Maidan Wardak", "{note}");
        assert_eq!(nirkh[0]["properties"]["geo_precision"], 2, "{note}");
        // the places outside the file keep the gazetteer's district
        for f in fs
            .iter()
            .filter(|f| f["properties"]["location_as_reported"] != "Nirkh")
        {
            assert!(f["properties"]["admin2"].is_string(), "{note}: {f}");
        }
    }
}

#[test]
fn a_place_below_a_district_takes_the_district_never_a_namesake_elsewhere() {
    // "the Sheikhabad area of Marmul district": a Sheikhabad exists in Maidan
    // Wardak; "het dorp Qalacha in het district Shinwar": a Qalacha elsewhere
    for (note, reported, district) in [
        ("district-notes-en.txt", "Sheikhabad", "Mārmul"),
        ("district-notes-nl.txt", "Qalacha", "Shīnwār"),
    ] {
        let out = clashmap()
            .args(["extract", "--no-merge"])
            .arg(fixture(note))
            .output()
            .unwrap();
        let fs = features(&out.stdout);
        let f = fs
            .iter()
            .find(|f| f["properties"]["location_as_reported"] == reported)
            .unwrap_or_else(|| panic!("{note}: no event at {reported}"));
        assert_eq!(f["properties"]["location"], district, "{note}");
    }
}

#[test]
fn a_named_field_and_bad_files_and_districts_without_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("custom.geojson");
    let [w, s, e, n] = NIRKH;
    std::fs::write(
        &p,
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"LABEL":"Nirkh"}},"geometry":{{"type":"Polygon","coordinates":[[[{w},{s}],[{e},{s}],[{e},{n}],[{w},{n}],[{w},{s}]]]}}}}]}}"#
        ),
    )
    .unwrap();
    clashmap()
        .arg("--admin")
        .arg(&p)
        .args(["geocode", "Nirkh"])
        .assert()
        .code(1)
        .stderr(
            predicates::str::contains("custom.geojson").and(predicates::str::contains(":FIELD")),
        );
    let out = clashmap()
        .arg("--admin")
        .arg(format!("{}:LABEL", p.display()))
        .args(["geocode", "--json", "Nirkh district"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(in_nirkh(
        v[0]["lon"].as_f64().unwrap(),
        v[0]["lat"].as_f64().unwrap()
    ));
    // a missing file, a binary file
    clashmap()
        .args([
            "--admin",
            "/nonexistent/districts.geojson",
            "geocode",
            "Kabul",
        ])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("/nonexistent/districts.geojson"));
    let bin = dir.path().join("zeros.geojson");
    std::fs::write(&bin, [0u8; 64]).unwrap();
    clashmap()
        .arg("--admin")
        .arg(&bin)
        .args(["geocode", "Kabul"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("binary"));
    // --districts with no boundaries is a usage error
    let events = Path::new(env!("CARGO_MANIFEST_DIR")).join("output/events.geojson");
    clashmap()
        .args(["map", "--districts", "-o"])
        .arg(dir.path().join("m.svg"))
        .arg(&events)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--admin"));
    assert!(!dir.path().join("m.svg").exists());
}

use predicates::prelude::PredicateBooleanExt;

#[test]
fn the_map_draws_districts_on_request_and_credits_them() {
    let dir = tempfile::tempdir().unwrap();
    let admin = small_admin_file(dir.path());
    let events = Path::new(env!("CARGO_MANIFEST_DIR")).join("output/events.geojson");
    for districts in [false, true] {
        let svg = dir.path().join(format!("m{districts}.svg"));
        let mut c = clashmap();
        c.arg("--admin")
            .arg(&admin)
            .args(["map", "-o"])
            .arg(&svg)
            .arg(&events);
        if districts {
            c.arg("--districts");
        }
        c.assert().success();
        let text = std::fs::read_to_string(&svg).unwrap();
        assert_eq!(text.contains(r#"id="districts""#), districts);
        assert_eq!(text.contains("Districts: OCHA COD-AB"), districts);
    }
}

/// The real geoBoundaries districts, when `../shared/geodata` is there.
fn real_admin_file() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/geodata/af-districts.geojson");
    if p.is_file() {
        Some(p)
    } else {
        eprintln!("../shared/geodata is absent (a user's clone): real-file checks skipped");
        None
    }
}

#[test]
fn with_the_real_districts_at_least_97_percent_resolve_inside_their_own_polygon() {
    let Some(path) = real_admin_file() else {
        return;
    };
    let mut layer = AdminLayer::new();
    layer.add_file(&path, None).unwrap();
    let mut gaz = Gazetteer::embedded();
    let report = layer.attach(&mut gaz).unwrap();
    assert_eq!(report.matched_total(), 398, "{report:?}");
    let units: Vec<(String, usize)> = layer
        .units()
        .iter()
        .enumerate()
        .map(|(i, u)| (u.name.clone(), i))
        .collect();
    let mut g = Geocoder::new(gaz);
    g.set_admin(layer);
    let layer = g.admin().unwrap();
    let mut inside = 0;
    for (name, i) in &units {
        let r = g
            .resolve(&format!("{name} district"), &ResolveOptions::default())
            .unwrap();
        let p = g.place(r.place);
        if layer.units()[*i].contains(p.lon, p.lat) {
            inside += 1;
        }
    }
    assert_eq!(units.len(), 398);
    assert!(
        inside * 100 >= 97 * units.len(),
        "{inside} of {} inside",
        units.len()
    );
}

#[test]
fn with_the_real_districts_notes_land_in_the_district_they_name() {
    let Some(path) = real_admin_file() else {
        return;
    };
    let mut layer = AdminLayer::new();
    layer.add_file(&path, None).unwrap();
    for (note, expected) in [
        (
            "district-notes-en.txt",
            vec![("Nirkh", "Nirkh"), ("Sheikhabad", "Marmul")],
        ),
        (
            "district-notes-nl.txt",
            vec![("Nirkh", "Nirkh"), ("Qalacha", "Shinwar")],
        ),
    ] {
        let out = clashmap()
            .arg("--admin")
            .arg(&path)
            .args(["extract", "--no-merge"])
            .arg(fixture(note))
            .output()
            .unwrap();
        assert!(out.status.success());
        let fs = features(&out.stdout);
        for (reported, district) in expected {
            let f = fs
                .iter()
                .find(|f| f["properties"]["location_as_reported"] == reported)
                .unwrap_or_else(|| panic!("{note}: no event at {reported}"));
            assert_eq!(f["properties"]["admin2"], district, "{note}");
            let (lon, lat) = point(f);
            let unit = layer.locate(lon, lat).map(|u| u.name.as_str());
            assert_eq!(unit, Some(district), "{note}: {reported}");
        }
    }
}
