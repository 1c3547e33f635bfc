//! The hostile-input suite of #19, case by case: each input with the exit code and
//! the message expected, never a panic, never a partial output file.

use std::io::Read;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use predicates::prelude::*;
use predicates::str::contains;

use super::{EVENT, convert_and_map, extract_csv, write};
use crate::cli::clashmap;

/// A feature of an event with the given geometry (GeoJSON text).
fn feature(geometry: &str) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","geometry":{geometry},"properties":{{"event_id":"A","event_date":"2019-09-01","event_type":"Battles","fatalities":1}}}}]}}"#
    )
}

#[test]
fn geojson_of_every_geometry_type_is_read_or_left_out_with_a_warning() {
    let d = tempfile::tempdir().unwrap();
    for (name, geometry) in [
        (
            "linestring",
            r#"{"type":"LineString","coordinates":[[68.8,36.7],[69,36]]}"#,
        ),
        (
            "polygon",
            r#"{"type":"Polygon","coordinates":[[[68,36],[69,36],[69,37],[68,36]]]}"#,
        ),
        (
            "multipoint",
            r#"{"type":"MultiPoint","coordinates":[[68.8,36.7]]}"#,
        ),
        (
            "multilinestring",
            r#"{"type":"MultiLineString","coordinates":[[[68.8,36.7],[69,36]]]}"#,
        ),
        (
            "multipolygon",
            r#"{"type":"MultiPolygon","coordinates":[[[[68,36],[69,36],[69,37],[68,36]]]]}"#,
        ),
        (
            "collection",
            r#"{"type":"GeometryCollection","geometries":[]}"#,
        ),
    ] {
        let f = write(d.path(), &format!("{name}.geojson"), feature(geometry));
        convert_and_map(&f, 0, "not a point; left out");
    }
    // a point, and no geometry at all (an event not geocoded): read
    let f = write(
        d.path(),
        "point.geojson",
        feature(r#"{"type":"Point","coordinates":[68.8,36.7]}"#),
    );
    convert_and_map(&f, 0, "1 events");
    let f = write(d.path(), "null.geojson", feature("null"));
    clashmap()
        .arg("convert")
        .arg(&f)
        .args(["--format", "csv"])
        .assert()
        .code(0)
        .stdout(contains("\nA,"));
}

#[test]
fn impossible_coordinates_are_errors_naming_the_feature_or_place() {
    let d = tempfile::tempdir().unwrap();
    for (name, coords, message) in [
        ("lat91", "[68.8,91]", "out of range"),
        ("lon181", "[181,36.7]", "out of range"),
        ("nan", "[68.8,NaN]", "nan.geojson:1:"),
        ("inf", "[68.8,1e999]", "number out of range"),
        ("short", "[68.8]", "short.geojson"),
    ] {
        let f = write(
            d.path(),
            &format!("{name}.geojson"),
            feature(&format!(r#"{{"type":"Point","coordinates":{coords}}}"#)),
        );
        convert_and_map(&f, 1, message);
        clashmap()
            .arg("merge")
            .arg(&f)
            .assert()
            .code(1)
            .stderr(contains("panicked").not());
    }
}

#[test]
fn a_collection_of_no_features_gives_an_empty_result_and_says_so() {
    let d = tempfile::tempdir().unwrap();
    let f = write(
        d.path(),
        "empty.geojson",
        r#"{"type":"FeatureCollection","features":[]}"#,
    );
    convert_and_map(&f, 0, "0 events");
    clashmap()
        .arg("map")
        .arg(&f)
        .arg("-o")
        .arg(d.path().join("m.svg"))
        .assert()
        .code(0)
        .stderr(contains("no events"));
    clashmap()
        .arg("merge")
        .arg(&f)
        .assert()
        .code(0)
        .stderr(contains("0 reports merged"));
}

#[test]
fn csv_with_missing_or_extra_columns_names_the_record() {
    let d = tempfile::tempdir().unwrap();
    for (name, text) in [
        (
            "missing.csv",
            "event_id,event_date,latitude,longitude\nA,2019-09-01,36.7\n",
        ),
        (
            "extra.csv",
            "event_id,latitude,longitude\nA,36.7,68.8,x,y\n",
        ),
    ] {
        let f = write(d.path(), name, text);
        convert_and_map(&f, 1, "record 1 (line 2)");
    }
    let f = write(d.path(), "nocoords.csv", "foo,bar\n1,2\n");
    convert_and_map(&f, 1, "no latitude and longitude columns");
}

#[test]
fn dev_zero_ends_at_once_as_text_and_as_json_lines() {
    for (format, code, message) in [("text", 0, "binary file"), ("jsonl", 1, "binary data")] {
        let start = Instant::now();
        clashmap()
            .args(["extract", "--input-format", format, "/dev/zero"])
            .timeout(Duration::from_secs(60))
            .assert()
            .code(code)
            .stderr(contains(message));
        // not a timing test: /dev/zero never ends, so reading it whole never returns
        assert!(start.elapsed() < Duration::from_secs(60));
    }
}

#[test]
fn json_lines_empty_binary_and_with_a_malformed_line_in_the_middle() {
    let d = tempfile::tempdir().unwrap();
    let empty = write(d.path(), "empty.jsonl", "");
    clashmap()
        .args(["extract", "--input-format", "jsonl"])
        .arg(&empty)
        .assert()
        .code(0)
        .stderr(contains("0 articles read"));
    let mut bin = b"{\"id\": 1, \"text\": \"x\"}\n".to_vec();
    bin.extend([0u8, 1, 2, 0, 0xff, b'\n']);
    let bin = write(d.path(), "bin.jsonl", bin);
    clashmap()
        .args(["extract", "--input-format", "jsonl"])
        .arg(&bin)
        .assert()
        .code(1)
        .stderr(contains("bin.jsonl:1: binary data"));
    let record = |id: usize, place: &str| {
        format!(
            "{{\"id\": \"a{id}\", \"date\": \"2019-09-01\", \"text\": \"On Saturday Taliban fighters attacked {place}, killing 5 soldiers.\"}}\n"
        )
    };
    let text = [
        record(1, "Kunduz"),
        record(2, "Herat"),
        "{\"id\": \"broken\", \"text\": \n".to_string(),
        record(3, "Ghazni"),
        "not json at all\n".to_string(),
        record(4, "Kandahar"),
    ]
    .concat();
    let f = write(d.path(), "mixed.jsonl", text);
    let out = clashmap()
        .args([
            "extract",
            "--format",
            "csv",
            "--no-merge",
            "--input-format",
            "jsonl",
        ])
        .arg(&f)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("mixed.jsonl:3:") && stderr.contains("mixed.jsonl:5:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("4 articles read, 0 skipped, 2 failed"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    for place in ["Kunduz", "Herat", "Ghaznī", "Kandahār"] {
        assert!(stdout.contains(place), "{place}: {stdout}");
    }
}

#[test]
fn a_million_tiny_articles_in_one_json_lines_file() {
    let d = tempfile::tempdir().unwrap();
    let mut text = String::with_capacity(30 << 20);
    for i in 0..1_000_000 {
        text.push_str(&format!("{{\"id\":{i},\"text\":\"x\"}}\n"));
    }
    text.push_str(&format!(
        "{{\"id\":\"last\",\"date\":\"2019-09-01\",\"text\":\"{}\"}}\n",
        EVENT.trim()
    ));
    let f = write(d.path(), "million.jsonl", text);
    clashmap()
        .args(["extract", "--input-format", "jsonl", "--format", "csv"])
        .arg(&f)
        .assert()
        .code(0)
        .stderr(contains("1000001 articles read, 0 skipped, 0 failed"))
        .stdout(contains("Kunduz"));
}

#[test]
fn one_huge_article_is_read_in_parts_with_a_warning() {
    let d = tempfile::tempdir().unwrap();
    let mut text = String::from(" date 2019-09-01 long\n");
    while text.len() < 3 << 20 {
        text.push_str("Aanval op Kunduz. ");
    }
    let f = write(d.path(), "huge.txt", text);
    let (code, rows, err) = extract_csv(&[&f]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("read in 4 parts of at most 1 MB"), "{err}");
    assert!(!rows.is_empty());
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_read() {
    use std::os::unix::ffi::OsStrExt;
    let d = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(d.path().join(name), format!(" date 2019-09-01 x\n{EVENT}")).unwrap();
    let (code, rows, err) = extract_csv(&[d.path()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(rows.len(), 1, "{err}");
    assert!(rows[0].contains("caf"), "{}", rows[0]);
}

#[test]
fn a_full_disk_is_an_error_naming_the_output() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let f = write(d.path(), "a.txt", format!(" date 2019-09-01 x\n{EVENT}"));
    clashmap()
        .arg("extract")
        .arg(&f)
        .args(["-o", "/dev/full"])
        .assert()
        .code(1)
        .stderr(contains("/dev/full").and(contains("No space left")));
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    // more output than a pipe holds (64 KB), so the writes after the close fail
    let d = tempfile::tempdir().unwrap();
    for i in 0..400 {
        write(
            d.path(),
            &format!("a{i:03}.txt"),
            format!(" date 2019-09-01 x\n{EVENT}"),
        );
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("clashmap"))
        .args(["extract", "--no-merge"])
        .arg(d.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // the reading end is gone: the next writes fail with a broken pipe
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("error"),
        "{stderr}"
    );
}
