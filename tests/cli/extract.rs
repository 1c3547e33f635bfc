//! `clashmap extract`: inputs of every kind, bad input, and what is never lost.

use predicates::prelude::*;
use serde_json::Value;

use super::clashmap;

fn features(stdout: &[u8]) -> Vec<Value> {
    let v: Value = serde_json::from_slice(stdout).expect("stdout is GeoJSON");
    assert_eq!(v["type"], "FeatureCollection");
    v["features"].as_array().unwrap().clone()
}

const KUNDUZ: &str = "date 2019-09-02 Aanval\nDe taliban hebben zaterdag Kunduz aangevallen. Daarbij kwamen tien soldaten om het leven.\n";

#[test]
fn reads_standard_input() {
    let out = clashmap()
        .args(["extract", "-"])
        .write_stdin(KUNDUZ)
        .assert()
        .success();
    let f = features(&out.get_output().stdout);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["properties"]["location"], "Kunduz");
    assert_eq!(f[0]["properties"]["event_date"], "2019-08-31");
    assert_eq!(f[0]["properties"]["fatalities"], 10);
    assert_eq!(f[0]["properties"]["source"], "stdin");
}

#[test]
fn reads_json_lines_with_ids_dates_and_languages() {
    let jsonl = concat!(
        r#"{"id": "a1", "text": "Taliban fighters attacked Kunduz on Saturday, killing ten soldiers.", "date": "2019-09-02", "lang": "en"}"#,
        "\n",
        r#"{"id": "a2", "text": "Bij een bermbom in Ghazni kwamen gisteren drie burgers om het leven.", "date": "2020-06-21"}"#,
        "\n"
    );
    let out = clashmap()
        .args(["extract", "--input-format", "jsonl", "-"])
        .write_stdin(jsonl)
        .assert()
        .success();
    let f = features(&out.get_output().stdout);
    let by_source = |id: &str| {
        f.iter()
            .find(|x| x["properties"]["source"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(by_source("a1")["properties"]["language"], "en");
    assert_eq!(by_source("a2")["properties"]["language"], "nl");
    assert_eq!(by_source("a2")["properties"]["event_date"], "2020-06-20");
    assert_eq!(
        by_source("a2")["properties"]["event_type"],
        "Explosions/Remote violence"
    );
}

#[test]
fn malformed_json_lines_name_the_line() {
    clashmap()
        .args(["extract", "--input-format", "jsonl", "-"])
        .write_stdin("{\"id\": \"a\", \"text\": \"x\"}\nnot json\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("-:2: not a JSON article object"));
}

#[test]
fn an_unknown_place_is_kept_with_null_geometry() {
    let text = "date 2020-08-20 x\nOn Sunday, Taliban militants attacked the village of Zargaran-e Bala, killing two policemen.\n";
    let out = clashmap()
        .args(["extract", "-"])
        .write_stdin(text)
        .assert()
        .success();
    let f = features(&out.get_output().stdout);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0]["geometry"].is_null());
    assert_eq!(f[0]["properties"]["geocode_status"], "unresolved");
    assert_eq!(
        f[0]["properties"]["location_as_reported"],
        "Zargaran-e Bala"
    );
    assert_eq!(f[0]["properties"]["fatalities"], 2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("1 unresolved"), "{err}");
}

#[test]
fn bad_files_are_reported_and_the_rest_extracted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.txt"), KUNDUZ).unwrap();
    std::fs::write(dir.path().join("empty.txt"), "  \n\n").unwrap();
    std::fs::write(dir.path().join("binary.txt"), b"\x00\x01\x02 date").unwrap();
    std::fs::write(
        dir.path().join("undated.txt"),
        "Taliban fighters attacked Kunduz, killing ten soldiers.",
    )
    .unwrap();
    let out = clashmap()
        .arg("extract")
        .arg(dir.path())
        .arg(dir.path().join("missing.txt"))
        .assert()
        .code(1);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("skipped empty.txt: empty"), "{err}");
    assert!(err.contains("skipped binary.txt: binary file"), "{err}");
    assert!(err.contains("undated.txt: no date header"), "{err}");
    assert!(
        err.contains("cannot read") && err.contains("missing.txt"),
        "{err}"
    );
    assert!(
        err.contains("2 articles read, 2 skipped, 1 failed"),
        "{err}"
    );
    let f = features(&out.get_output().stdout);
    assert!(f.iter().any(|x| x["properties"]["source"] == "good.txt"));
    // an undated article's event is kept, with no date
    let undated = f
        .iter()
        .find(|x| x["properties"]["source"] == "undated.txt")
        .unwrap();
    assert!(undated["properties"]["event_date"].is_null());
}

#[test]
fn output_file_is_written_whole_and_never_over_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.txt");
    std::fs::write(&input, KUNDUZ).unwrap();
    let out = dir.path().join("events.geojson");
    clashmap()
        .arg("extract")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["features"].as_array().unwrap().len(), 1);
    // no temporary files left beside it
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    clashmap()
        .arg("extract")
        .arg(&input)
        .arg("-o")
        .arg(&input)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is one of the inputs"));
    assert_eq!(std::fs::read_to_string(&input).unwrap(), KUNDUZ);
}

#[test]
fn output_is_byte_identical_across_runs() {
    let run = || {
        clashmap()
            .args(["extract"])
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/data/articles"))
            .output()
            .unwrap()
            .stdout
    };
    let a = run();
    assert!(!a.is_empty());
    assert_eq!(a, run());
}

#[test]
fn an_unwritable_output_fails_before_the_work() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.txt");
    std::fs::write(&input, KUNDUZ).unwrap();
    // a folder as the output
    clashmap()
        .arg("extract")
        .arg(&input)
        .arg("-o")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("cannot write").and(predicate::str::contains("is a folder")),
        )
        .stderr(predicate::str::contains("articles read").not());
    // a folder that does not exist
    clashmap()
        .arg("extract")
        .arg(&input)
        .arg("-o")
        .arg(dir.path().join("no/such/dir/out.geojson"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot write"));
}

#[test]
fn a_closed_stdout_pipe_ends_the_run_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    for i in 0..300 {
        std::fs::write(dir.path().join(format!("a{i:03}.txt")), KUNDUZ).unwrap();
    }
    for format in ["geojson", "geojsonseq"] {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("clashmap"))
            .args(["extract", "--no-merge", "--format", format])
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        child
            .stdout
            .as_mut()
            .unwrap()
            .read_exact(&mut first)
            .unwrap();
        drop(child.stdout.take()); // the reader goes away, like `| head`
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{format}: {err}");
        assert!(!err.contains("error"), "{format}: {err}");
    }
}

#[test]
fn explain_tells_how_each_sentence_was_read_and_leaves_the_data_alone() {
    let text = "date 2019-09-02 Aanval\nDe taliban hebben zaterdag Kunduz aangevallen. Er zouden 56 strijders gedood zijn.\nIn 2001 vielen de aanslagen in New York.\n";
    let plain = clashmap()
        .args(["extract", "-"])
        .write_stdin(text)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = clashmap()
        .args(["extract", "--explain", "-"])
        .write_stdin(text)
        .assert()
        .success();
    // the data on stdout is the same with or without the explanation
    assert_eq!(out.get_output().stdout, plain);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    for expected in [
        "== stdin (nl, published 2019-09-02)",
        "place \"Kunduz\" -> Kunduz (city, Kunduz)",
        "date 2019-08-31..2019-08-31",
        "count 56",
        "flags [\"history\"]",
    ] {
        assert!(err.contains(expected), "{expected:?} in:\n{err}");
    }
    // sentences come in order, each once
    let a = err.find("[1] De taliban").unwrap();
    let b = err.find("[2] Er zouden 56").unwrap();
    let c = err.find("[3] In 2001").unwrap();
    assert!(a < b && b < c, "{err}");
}
