//! Hostile input: one test per case, each with the exit code and message expected.
//! Never a panic, never a partial output file, never a silently dropped event or
//! article.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use predicates::prelude::*;
use predicates::str::contains;

use crate::cli::clashmap;

mod suite;

const EVENT: &str = "On Saturday Taliban fighters attacked Kunduz, killing 5 soldiers.\n";

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, bytes).unwrap();
    p
}

/// A good article beside the hostile one: it must always come out.
fn with_good_article(dir: &Path) -> PathBuf {
    write(dir, "good.txt", format!("date 2019-09-01 Kunduz\n{EVENT}"))
}

/// Runs `extract --format csv` and returns (exit code, stdout rows, stderr).
fn extract_csv(args: &[&Path]) -> (i32, Vec<String>, String) {
    let out = clashmap()
        .args(["extract", "--format", "csv"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let rows = stdout.lines().skip(1).map(str::to_string).collect();
    (out.status.code().unwrap_or(-1), rows, stderr)
}

/// Runs `convert` and `map` on a file: both give `code` and a message containing
/// `message`; on failure neither leaves an output.
fn convert_and_map(file: &Path, code: i32, message: &str) {
    let dir = file.parent().unwrap();
    let out = dir.join("out.csv");
    let svg = dir.join("out.svg");
    let _ = std::fs::remove_file(&out);
    let _ = std::fs::remove_file(&svg);
    for (cmd, target) in [("convert", &out), ("map", &svg)] {
        let mut c = clashmap();
        c.arg(cmd).arg(file).arg("-o").arg(target);
        if cmd == "convert" {
            c.args(["--format", "csv"]);
        }
        c.assert()
            .code(code)
            .stderr(contains(message).and(contains("panicked").not()));
        assert_eq!(target.exists(), code == 0, "{cmd} {}", file.display());
    }
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn empty_file_is_skipped_with_a_message() {
    let d = tempfile::tempdir().unwrap();
    let good = with_good_article(d.path());
    let f = write(d.path(), "empty.txt", "");
    let (code, rows, err) = extract_csv(&[&f, &good]);
    assert_eq!(code, 0);
    assert_eq!(rows.len(), 1);
    assert!(err.contains("skipped empty.txt: empty (no text)"), "{err}");
    assert!(
        err.contains("1 articles read, 1 skipped, 0 failed"),
        "{err}"
    );
}

#[test]
fn whitespace_only_file_is_skipped_with_a_message() {
    let d = tempfile::tempdir().unwrap();
    let good = with_good_article(d.path());
    let f = write(d.path(), "blank.txt", " \n\t\r\n  \n");
    let (code, rows, err) = extract_csv(&[&f, &good]);
    assert_eq!((code, rows.len()), (0, 1));
    assert!(err.contains("skipped blank.txt: empty (no text)"), "{err}");
}

#[test]
fn binary_file_is_skipped_with_a_message() {
    let d = tempfile::tempdir().unwrap();
    let good = with_good_article(d.path());
    let f = write(
        d.path(),
        "image.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01",
    );
    let (code, rows, err) = extract_csv(&[&f, &good]);
    assert_eq!((code, rows.len()), (0, 1));
    assert!(
        err.contains("skipped image.txt: binary file (NUL bytes)"),
        "{err}"
    );
}

#[test]
fn invalid_utf8_is_read_as_windows_1252_with_a_warning() {
    let d = tempfile::tempdir().unwrap();
    let f = write(
        d.path(),
        "cp1252.txt",
        b"date 2019-09-01 x\nOp zaterdag vielen de taliban het caf\xe9 \x93De Vrede\x94 in Kunduz aan \x96 vijf soldaten werden gedood.\n",
    );
    let (code, rows, err) = extract_csv(&[&f]);
    assert_eq!((code, rows.len()), (0, 1), "{err}");
    assert!(
        err.contains("cp1252.txt: not UTF-8; decoded as Windows-1252"),
        "{err}"
    );
    // the decoded text, not replacement characters, is in the evidence
    assert!(
        rows[0].contains("café “De Vrede” in Kunduz aan – vijf"),
        "{}",
        rows[0]
    );
}

#[test]
fn utf16_with_bom_is_decoded() {
    let d = tempfile::tempdir().unwrap();
    for (name, le) in [("le.txt", true), ("be.txt", false)] {
        let mut bytes = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in format!("date 2019-09-01 x\n{EVENT}").encode_utf16() {
            bytes.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        write(d.path(), name, bytes);
    }
    let (code, rows, err) = extract_csv(&[&d.path().join("le.txt"), &d.path().join("be.txt")]);
    assert_eq!((code, rows.len()), (0, 1), "{err}");
    assert!(
        rows[0].contains("Kunduz") && rows[0].contains(",2,"),
        "{}",
        rows[0]
    );
}

#[test]
fn a_50_mb_single_line_is_read_in_bounded_pieces() {
    let d = tempfile::tempdir().unwrap();
    let mut text = String::from("date 2019-09-01 x ");
    let filler = "the fighters moved along the road near the river while people watched ";
    while text.len() < 50 << 20 {
        text.push_str(filler);
        if text.len() % 7 == 0 {
            text.push_str("Taliban fighters attacked Kunduz on Saturday killing 5 soldiers ");
        }
    }
    text.push_str("Taliban fighters attacked Kunduz on Saturday killing 5 soldiers");
    let f = write(d.path(), "oneline.txt", &text);
    drop(text);
    let start = Instant::now();
    let (code, rows, err) = extract_csv(&[&f]);
    assert_eq!(code, 0, "{err}");
    assert!(!rows.is_empty(), "{err}");
    // not a timing test: a guard against work that grows with the square of a line
    assert!(start.elapsed() < Duration::from_secs(300));
}

#[test]
fn a_folder_of_10000_small_files_is_read_whole() {
    let d = tempfile::tempdir().unwrap();
    for i in 0..10_000 {
        // a different place every 100 files, so that they stay apart when merged
        write(
            d.path(),
            &format!("f{:02}/a{i:05}.txt", i / 1000),
            format!(
                "date 2019-09-{:02} x\nOn Saturday Taliban fighters attacked Kunduz, killing {} soldiers.\n",
                i % 28 + 1,
                i % 50 + 1
            ),
        );
    }
    let out = clashmap()
        .args(["extract", "--no-merge", "--format", "csv"])
        .arg(d.path())
        .assert()
        .success()
        .stderr(contains(
            "10000 articles read, 0 skipped, 0 failed; 10000 events",
        ));
    assert_eq!(
        out.get_output()
            .stdout
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .count(),
        10_001
    );
    clashmap()
        .arg("extract")
        .arg(d.path())
        .assert()
        .success()
        .stderr(contains("(10000 reports)"));
}

#[test]
fn nested_folders_and_a_symlink_loop_are_walked_once() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "a/b/c/deep.txt",
        format!("date 2019-09-01 x\n{EVENT}"),
    );
    std::os::unix::fs::symlink("../..", d.path().join("a/b/c/loop")).unwrap();
    std::os::unix::fs::symlink(d.path(), d.path().join("a/root")).unwrap();
    let (code, rows, err) = extract_csv(&[d.path()]);
    assert_eq!((code, rows.len()), (0, 1), "{err}");
    assert!(err.contains("1 articles read"), "{err}");
}

#[test]
fn an_unreadable_file_is_an_error_naming_it_and_the_rest_is_extracted() {
    let d = tempfile::tempdir().unwrap();
    let good = with_good_article(d.path());
    // root reads any file: a dangling link cannot be read by anyone
    std::os::unix::fs::symlink(d.path().join("gone"), d.path().join("dangling.txt")).unwrap();
    let mut unreadable = vec![d.path().join("dangling.txt")];
    if !is_root() {
        let p = write(
            d.path(),
            "secret.txt",
            format!("date 2019-09-01 x\n{EVENT}"),
        );
        std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
        unreadable.push(p);
    }
    let mut args: Vec<&Path> = unreadable.iter().map(PathBuf::as_path).collect();
    args.push(&good);
    let (code, rows, err) = extract_csv(&args);
    assert_eq!(code, 1, "{err}");
    assert_eq!(rows.len(), 1, "the readable article still comes out");
    for p in &unreadable {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            err.contains("cannot read") && err.contains(&name),
            "{name}: {err}"
        );
    }
    assert!(
        err.contains(&format!("{} failed", unreadable.len())),
        "{err}"
    );
}

#[test]
fn a_folder_without_articles_is_an_error_naming_it() {
    let d = tempfile::tempdir().unwrap();
    let good = with_good_article(d.path());
    let empty = d.path().join("empty-folder");
    write(&empty, "notes.md", "not an article");
    let (code, rows, err) = extract_csv(&[&empty, &good]);
    assert_eq!((code, rows.len()), (1, 1), "{err}");
    assert!(
        err.contains("empty-folder: no *.txt files in this folder"),
        "{err}"
    );
}

#[test]
fn no_date_header_warns_and_dates_come_from_the_text() {
    let d = tempfile::tempdir().unwrap();
    let f = write(
        d.path(),
        "nodate.txt",
        "On 8 September 2019, Taliban militants attacked 3 Afghan military posts, killing 11 soldiers, in Imam Sahib district, Kunduz.\n",
    );
    let (code, rows, err) = extract_csv(&[&f]);
    assert_eq!((code, rows.len()), (0, 1), "{err}");
    assert!(
        err.contains("nodate.txt: no date header and no --date"),
        "{err}"
    );
    assert!(
        rows[0].starts_with("CM") && rows[0].contains(",2019-09-08,"),
        "{}",
        rows[0]
    );
}

#[test]
fn an_impossible_date_header_is_named_and_the_article_still_read() {
    let d = tempfile::tempdir().unwrap();
    let f = write(d.path(), "baddate.txt", format!("date 2019-13 x\n{EVENT}"));
    let (code, rows, err) = extract_csv(&[&f]);
    assert_eq!((code, rows.len()), (0, 1), "{err}");
    assert!(
        err.contains("baddate.txt:1: \"2019-13\" is an impossible date"),
        "{err}"
    );
    assert!(
        !err.contains("no date header"),
        "one warning, not two: {err}"
    );
    // no day can be made up: the event has no date
    assert!(rows[0].contains(",,"), "{}", rows[0]);
    // with --date, that date is used and said
    let out = clashmap()
        .args(["extract", "--format", "csv", "--date", "2019-09-02"])
        .arg(&f)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("in the date header; using --date 2019-09-02"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(",2019-08-31,"));
}

#[test]
fn a_malformed_user_gazetteer_names_the_file_and_line() {
    let d = tempfile::tempdir().unwrap();
    let header = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/gazetteer/places.csv"),
    )
    .unwrap()
    .lines()
    .next()
    .unwrap()
    .to_string();
    let g = write(
        d.path(),
        "mine.csv",
        format!("{header}\n5,Foo,Foo,,PPL,town,AF,24,Kunduz,,,10,not-a-latitude,68.1,user\n"),
    );
    clashmap()
        .arg("--gazetteer")
        .arg(&g)
        .args(["geocode", "Kunduz"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains(
            "mine.csv:2: latitude \"not-a-latitude\" is not a number",
        ));
    let junk = write(d.path(), "junk.csv", "this is not a gazetteer\n");
    clashmap()
        .arg("--gazetteer")
        .arg(&junk)
        .args(["geocode", "Kunduz"])
        .assert()
        .code(1)
        .stderr(contains("junk.csv is not a gazetteer"));
}

#[test]
fn malformed_geojson_for_map_and_convert_names_line_and_column() {
    let d = tempfile::tempdir().unwrap();
    let f = write(
        d.path(),
        "bad.geojson",
        "{\"type\":\"FeatureCollection\",\n\"features\":[{\"type\":\"Feature\",",
    );
    // both fail naming the line, and neither leaves a partial output
    convert_and_map(&f, 1, "bad.geojson:2:");
}

#[test]
fn malformed_csv_for_map_and_convert_names_the_problem() {
    let d = tempfile::tempdir().unwrap();
    let f = write(
        d.path(),
        "bad.csv",
        "event_id,latitude,longitude\nA,36.7,68.8\nB,north,68.8\n",
    );
    let out = d.path().join("out.geojson");
    clashmap()
        .arg("convert")
        .arg(&f)
        .arg("-o")
        .arg(&out)
        .args(["--format", "geojson"])
        .assert()
        .code(1)
        .stderr(contains("bad.csv").and(contains("3")));
    assert!(!out.exists());
    clashmap()
        .arg("map")
        .arg(&f)
        .arg("-o")
        .arg(d.path().join("m.svg"))
        .assert()
        .code(1)
        .stderr(contains("bad.csv"));
    assert!(!d.path().join("m.svg").exists());
}

#[test]
fn an_output_path_that_is_a_folder_is_refused_before_the_work() {
    let d = tempfile::tempdir().unwrap();
    let good = with_good_article(d.path());
    let folder = d.path().join("out");
    std::fs::create_dir(&folder).unwrap();
    clashmap()
        .arg("extract")
        .arg(&good)
        .arg("-o")
        .arg(&folder)
        .assert()
        .code(1)
        .stderr(contains("cannot write").and(contains("is a folder")));
    assert!(folder.is_dir());
}

#[test]
fn an_output_that_is_a_pipe_is_written_to_and_stays_a_pipe() {
    use std::os::unix::fs::FileTypeExt;
    // a FIFO stands for /dev/null and other devices: renaming a file over one would
    // replace it (as root, /dev/null itself)
    let d = tempfile::tempdir().unwrap();
    let good = with_good_article(d.path());
    let fifo = d.path().join("events.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    clashmap()
        .arg("extract")
        .arg(&good)
        .arg("-o")
        .arg(&fifo)
        .assert()
        .success();
    // checked before waiting for the reader, which would wait forever on a FIFO
    // that was replaced
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    let got = reader.join().unwrap();
    assert!(got.starts_with("{\"type\":\"FeatureCollection\""), "{got}");
    assert!(got.contains("Kunduz"));
}

#[test]
fn an_output_that_is_a_symlink_keeps_the_link_and_replaces_its_target() {
    let d = tempfile::tempdir().unwrap();
    let good = with_good_article(d.path());
    let real = write(d.path(), "real.geojson", "old");
    let link = d.path().join("events.geojson");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    clashmap()
        .arg("extract")
        .arg(&good)
        .arg("-o")
        .arg(&link)
        .assert()
        .success();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(
        text.starts_with("{\"type\":\"FeatureCollection\""),
        "{text}"
    );
}

#[test]
fn a_read_only_output_is_refused_before_the_work() {
    let d = tempfile::tempdir().unwrap();
    let good = with_good_article(d.path());
    // root writes anywhere a user may not; /sys refuses everyone
    let target = if is_root() {
        PathBuf::from("/sys/clashmap-test.geojson")
    } else {
        let ro = d.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::os::unix::fs::PermissionsExt::from_mode(0o555)).unwrap();
        ro.join("events.geojson")
    };
    clashmap()
        .arg("extract")
        .arg(&good)
        .arg("-o")
        .arg(&target)
        .assert()
        .code(1)
        .stderr(contains("cannot write"))
        .stderr(contains("articles read").not());
    assert!(!target.exists());
}

#[test]
fn an_output_that_is_an_input_is_refused_and_the_input_kept() {
    let d = tempfile::tempdir().unwrap();
    let good = with_good_article(d.path());
    let before = std::fs::read(&good).unwrap();
    clashmap()
        .arg("extract")
        .arg(&good)
        .arg("-o")
        .arg(&good)
        .assert()
        .code(1)
        .stderr(contains("is one of the inputs"));
    assert_eq!(std::fs::read(&good).unwrap(), before);
}

#[test]
fn a_run_killed_mid_write_leaves_the_previous_output_intact() {
    let d = tempfile::tempdir().unwrap();
    let corpus = d.path().join("corpus");
    for i in 0..4000 {
        write(
            &corpus,
            &format!("a{i:05}.txt"),
            format!("date 2019-09-01 x\n{}", EVENT.repeat(20)),
        );
    }
    let out = d.path().join("reports.geojsons");
    std::fs::write(&out, "previous output\n").unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("clashmap"))
        .args([
            "-j",
            "1",
            "extract",
            "--no-merge",
            "--format",
            "geojsonseq",
            "-o",
        ])
        .arg(&out)
        .arg(&corpus)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // wait until the new output is being written (its temporary file has data)
    let deadline = Instant::now() + Duration::from_secs(60);
    let writing = || {
        std::fs::read_dir(d.path()).unwrap().any(|e| {
            let e = e.unwrap();
            e.file_name().to_string_lossy().ends_with(".tmp")
                && e.metadata().is_ok_and(|m| m.len() > 0)
        })
    };
    while !writing() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(writing(), "the run wrote nothing in a minute");
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous output\n");
}
