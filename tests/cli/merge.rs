//! `clashmap merge`: reports extracted apart (in any grouping of the articles) and
//! merged later give the events of one `extract` run, byte for byte; and the thread
//! count never changes the output.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

use super::clashmap;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn stdout_of(c: &mut assert_cmd::Command) -> Vec<u8> {
    c.assert().success().get_output().stdout.clone()
}

/// Every article the tests have: the samples and the project's own.
fn all_articles() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["data/articles", "tests/fixtures/articles"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        out.extend(files);
    }
    out
}

#[test]
fn merging_reports_extracted_apart_equals_one_extract_run() {
    let articles = all_articles();
    assert!(articles.len() > 30);
    let whole = stdout_of(clashmap().arg("extract").args(&articles));
    let dir = tempfile::tempdir().unwrap();
    // three partitions, interleaved (as a distributed engine would cut them), each
    // extracted on its own, one of them as a FeatureCollection
    let mut parts = Vec::new();
    for k in 0..3 {
        let part: Vec<&PathBuf> = articles.iter().skip(k).step_by(3).collect();
        let format = if k == 0 { "geojson" } else { "geojsonseq" };
        let out = dir.path().join(format!("part{k}.geojsons"));
        clashmap()
            .args(["extract", "--no-merge", "--format", format, "-o"])
            .arg(&out)
            .args(&part)
            .assert()
            .success();
        parts.push(out);
    }
    let merged = stdout_of(clashmap().arg("merge").args(&parts));
    assert_eq!(
        String::from_utf8_lossy(&merged),
        String::from_utf8_lossy(&whole)
    );
    // and as CSV, through standard input
    let seq: Vec<u8> = stdout_of(
        clashmap()
            .args(["extract", "--no-merge", "--format", "geojsonseq"])
            .args(&articles),
    );
    let csv_whole = stdout_of(
        clashmap()
            .args(["extract", "--format", "csv"])
            .args(&articles),
    );
    let csv_merged = stdout_of(
        clashmap()
            .args(["merge", "--format", "csv", "-"])
            .write_stdin(seq),
    );
    assert_eq!(csv_merged, csv_whole);
}

#[test]
fn merged_events_are_refused_as_input() {
    let dir = tempfile::tempdir().unwrap();
    let merged = dir.path().join("events.geojson");
    clashmap()
        .args(["extract", "-o"])
        .arg(&merged)
        .arg(root().join("data/articles"))
        .assert()
        .success();
    clashmap()
        .arg("merge")
        .arg(&merged)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("events.geojson: feature CM").and(
            predicate::str::contains("not a report of `clashmap extract --no-merge`"),
        ));
}

#[test]
fn output_is_the_same_on_one_thread_and_on_many() {
    let articles = all_articles();
    for extra in [&["--no-merge", "--format", "geojsonseq"][..], &[][..]] {
        let one = stdout_of(
            clashmap()
                .args(["-j", "1", "extract"])
                .args(extra)
                .args(&articles),
        );
        let four = stdout_of(
            clashmap()
                .args(["-j", "4", "extract"])
                .args(extra)
                .args(&articles),
        );
        assert!(!one.is_empty());
        assert_eq!(one, four);
    }
}
