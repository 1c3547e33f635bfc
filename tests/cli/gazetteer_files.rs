//! `--gazetteer FILE`: user places in clashmap's CSV or GeoNames' dump format, and the
//! errors for files that are not right.

use predicates::prelude::*;
use serde_json::Value;

use super::clashmap;

const HEADER: &str = "geonameid,name,asciiname,alternatenames,feature_code,kind,country_code,admin1_code,admin1_name,admin2_code,admin2_name,population,latitude,longitude,point_source\n";

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn a_csv_gazetteer_adds_a_village() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        &dir,
        "mine.csv",
        &format!(
            "{HEADER}9000001,Qala-ye Zal Kohna,Qala-ye Zal Kohna,Kala Zal Kuhna,PPL,village,AF,24,Kunduz,,,0,37.0,68.5,\n"
        ),
    );
    let out = clashmap()
        .args(["geocode", "--json", "Qala-i-Zal Kuhna"])
        .arg("--gazetteer")
        .arg(&f)
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v[0]["geonameid"], 9000001);
    assert_eq!(v[0]["kind"], "village");
}

#[test]
fn a_user_entry_overrides_the_embedded_one_with_the_same_id() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        &dir,
        "fix.csv",
        &format!("{HEADER}1135689,Kunduz,Kunduz,,PPLA,city,AF,24,Kunduz,,,1,36.7,68.8,\n"),
    );
    let out = clashmap()
        .args(["geocode", "--json", "Kunduz", "--gazetteer"])
        .arg(&f)
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v[0]["lat"], 36.7);
}

#[test]
fn a_geonames_dump_is_read_directly() {
    let dir = tempfile::tempdir().unwrap();
    // 19 columns, as in AF.txt; a hill (T) row is skipped, the village kept
    let row = |id: u32, name: &str, class: &str, code: &str| {
        format!(
            "{id}\t{name}\t{name}\t\t36.80000\t68.90000\t{class}\t{code}\tAF\t\t24\t1401\t\t\t120\t\t400\tAsia/Kabul\t2020-01-01\n"
        )
    };
    let f = write(
        &dir,
        "AF.txt",
        &(row(9000002, "Chardara Kalan", "P", "PPL") + &row(9000003, "Chardara Hill", "T", "HLL")),
    );
    let out = clashmap()
        .args(["geocode", "--json", "Chardarah-Kalan", "--gazetteer"])
        .arg(&f)
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v[0]["geonameid"], 9000002);
    assert_eq!(v[0]["admin1"], "Kunduz");
    assert_eq!(v[0]["admin2"], "Kunduz");
    clashmap()
        .args(["geocode", "Chardara Hill", "--gazetteer"])
        .arg(&f)
        .assert()
        .code(1);
}

#[test]
fn a_malformed_row_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        &dir,
        "bad.csv",
        &format!(
            "{HEADER}1,Good,Good,,PPL,village,AF,24,Kunduz,,,0,36.0,68.0,\n2,Bad,Bad,,PPL,village,AF,24,Kunduz,,,0,north,68.0,\n"
        ),
    );
    clashmap()
        .args(["geocode", "Kunduz", "--gazetteer"])
        .arg(&f)
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            predicate::str::contains("bad.csv:3:").and(predicate::str::contains(
                "latitude \"north\" is not a number",
            )),
        );
}

#[test]
fn out_of_range_coordinates_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        &dir,
        "far.csv",
        &format!("{HEADER}1,Far,Far,,PPL,village,AF,24,Kunduz,,,0,36.0,181.0,\n"),
    );
    clashmap()
        .args(["geocode", "Far", "--gazetteer"])
        .arg(&f)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "far.csv:2: longitude 181 is out of range",
        ));
}

#[test]
fn a_file_that_is_not_a_gazetteer_says_so_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "notes.txt", "just some notes\nabout places\n");
    let out = clashmap()
        .args(["geocode", "Kunduz", "--gazetteer"])
        .arg(&f)
        .assert()
        .code(1);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("is not a gazetteer"), "{err}");
}

#[test]
fn a_geonames_row_with_a_missing_column_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = "1\tA\tA\t\t36.8\t68.9\tP\tPPL\tAF\t\t24\t\t\t\t0\t\t0\tAsia/Kabul\t2020-01-01\n";
    let bad = "2\tB\tB\t\t36.8\t68.9\tP\tPPL\tAF\t\t24\t\t\t\t0\t\t0\tAsia/Kabul\n";
    let f = write(&dir, "cut.txt", &format!("{good}{bad}"));
    clashmap()
        .args(["geocode", "A", "--gazetteer"])
        .arg(&f)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "cut.txt:2: 18 tab-separated columns, expected 19",
        ));
}

#[test]
fn a_missing_gazetteer_file_is_an_error() {
    clashmap()
        .args([
            "geocode",
            "Kunduz",
            "--gazetteer",
            "/nonexistent/places.csv",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "cannot read gazetteer /nonexistent/places.csv",
        ));
}
