//! `clashmap run`: the main job. `output/` holds exactly what it writes on the bundled
//! corpus, and stays so: this test regenerates it and compares every byte.

use std::path::Path;

use super::clashmap;

const FILES: [&str; 10] = [
    "events.geojson",
    "events.csv",
    "events.csvt",
    "event_sources.csv",
    "events.gpkg",
    "distances.geojson",
    "map.svg",
    "map.png",
    "timeline.svg",
    "report.md",
];

#[test]
fn output_folder_is_what_run_writes_on_the_bundled_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = clashmap()
        .current_dir(root)
        .arg("run")
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains(
            "3 articles read, 0 skipped, 0 failed; 5 events, 0 unresolved; 10 files written"
        ),
        "{err}"
    );
    let mut committed: Vec<String> = std::fs::read_dir(root.join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    committed.sort();
    let mut expected: Vec<String> = FILES.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(
        committed, expected,
        "output/ holds exactly the files run writes"
    );
    for f in FILES {
        let a = std::fs::read(root.join("output").join(f)).unwrap();
        let b = std::fs::read(dir.path().join(f)).unwrap();
        assert!(
            a == b,
            "output/{f} is stale: regenerate it with `cargo run --release -- run`"
        );
    }
}

#[test]
fn run_without_input_outside_the_repository_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    clashmap()
        .current_dir(dir.path())
        .arg("run")
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "no bundled corpus data/articles/",
        ));
}

#[test]
fn help_lists_every_command_the_readme_documents() {
    let out = clashmap().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 6, "{commands:?}");
    for c in commands {
        assert!(
            readme.contains(&format!("### `clashmap {c}")),
            "README documents `clashmap {c}`"
        );
    }
}

#[test]
fn run_reads_json_lines_and_keeps_the_records_before_a_malformed_line() {
    let dir = tempfile::tempdir().unwrap();
    let record = |id: &str, text: &str, date: &str| {
        format!("{{\"id\": \"{id}\", \"text\": \"{text}\", \"date\": \"{date}\"}}\n")
    };
    let mut jsonl = record(
        "a1",
        "Taliban fighters attacked Kunduz on Saturday, killing ten soldiers.",
        "2019-09-02",
    );
    jsonl += &record(
        "a2",
        "Bij een bermbom in Ghazni kwamen gisteren drie burgers om het leven.",
        "2020-06-21",
    );
    let input = dir.path().join("archive.jsonl");
    std::fs::write(&input, &jsonl).unwrap();
    let out = dir.path().join("out");
    let run = || {
        let mut cmd = clashmap();
        cmd.args(["run", "--input-format", "jsonl"])
            .arg(&input)
            .arg("--out")
            .arg(&out);
        cmd
    };
    run().assert().success().stderr(predicates::str::contains(
        "2 articles read, 0 skipped, 0 failed; 2 events",
    ));
    let events = std::fs::read_to_string(out.join("events.csv")).unwrap();
    assert!(
        events.contains("Kunduz") && events.contains("Ghazni"),
        "{events}"
    );
    // a malformed third line: the two records before it are still extracted, the line
    // is named, and the exit code says something failed
    std::fs::write(&input, jsonl + "{not json\n").unwrap();
    run()
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "archive.jsonl:3: not a JSON article object",
        ))
        .stderr(predicates::str::contains(
            "2 articles read, 0 skipped, 1 failed; 2 events",
        ));
}

#[test]
fn the_brief_of_a_large_run_is_capped_titled_and_cites_numbered_sources() {
    let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles");
    let dir = tempfile::tempdir().unwrap();
    clashmap()
        .arg("run")
        .arg(&own)
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    // a pandoc title block
    assert!(
        md.starts_with("---\ntitle: \"Armed clashes and violence, "),
        "{}",
        &md[..200]
    );
    let events: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("events.geojson")).unwrap())
            .unwrap();
    let n = events["features"].as_array().unwrap().len();
    assert!(n > 50, "{n} events");
    assert!(md.contains(&format!("The 50 deadliest of {n} events, by date")));
    let table = md
        .split("## Events")
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    let rows: Vec<&str> = table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Date"))
        .collect();
    assert_eq!(rows.len(), 50);
    // separator dashes of different lengths: pandoc's relative widths
    let sep = table.lines().find(|l| l.starts_with("|---")).unwrap();
    let dashes: std::collections::BTreeSet<usize> =
        sep.trim_matches('|').split('|').map(str::len).collect();
    assert!(dashes.len() >= 3, "{sep}");
    // sources are short references into a numbered list
    assert!(rows.iter().all(
        |r| r.trim_end().trim_end_matches('|').trim_end().ends_with(']') || r.contains("] +")
    ));
    assert!(md.contains("## Sources\n\n1. "));
    // the deadliest are in: the highest count of the run is listed
    let max = events["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["fatalities"].as_i64().unwrap())
        .max()
        .unwrap();
    assert!(
        rows.iter().any(|r| r.contains(&format!("| {max}"))),
        "{max}"
    );
}
