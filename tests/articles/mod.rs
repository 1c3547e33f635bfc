//! The generality suite: short articles of our own, in Dutch and English, each
//! with the events an analyst codes from it (`tests/fixtures/articles/expected.csv`,
//! coded as an analyst codes them, never copied from the program's output). Every
//! expected event must be found with its place, type, dates, counts and actors, and
//! nothing else may be.

use std::collections::BTreeMap;
use std::path::Path;

use clashmap::date::Date;
use serde_json::Value;

use crate::cli::clashmap;

#[derive(Debug)]
struct Expected {
    location: String,
    admin1: String,
    event_type: String,
    sub_event_type: String,
    date: Date,
    tol: i32,
    fatalities: u64,
    high: String,
    claimed: String,
    actor1: String,
    actor2: String,
}

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles")
}

fn expected() -> BTreeMap<String, Vec<Expected>> {
    let mut out: BTreeMap<String, Vec<Expected>> = BTreeMap::new();
    for entry in std::fs::read_dir(dir()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".txt") {
            out.entry(name).or_default();
        }
    }
    let mut rdr = csv::Reader::from_path(dir().join("expected.csv")).unwrap();
    for r in rdr.records() {
        let r = r.unwrap();
        let f = |i: usize| r.get(i).unwrap().to_string();
        assert!(
            out.contains_key(&f(0)),
            "expected.csv names a missing article {}",
            f(0)
        );
        out.get_mut(&f(0)).unwrap().push(Expected {
            location: f(1),
            admin1: f(2),
            event_type: f(3),
            sub_event_type: f(4),
            date: Date::parse(&f(5)).unwrap(),
            tol: f(6).parse().unwrap(),
            fatalities: f(7).parse().unwrap(),
            high: f(8),
            claimed: f(9),
            actor1: f(10),
            actor2: f(11),
        });
    }
    out
}

fn s(f: &Value, k: &str) -> String {
    match &f["properties"][k] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    }
}

/// Why a feature is not the expected event (empty: it is).
fn differences(e: &Expected, f: &Value) -> Vec<String> {
    let mut d = Vec::new();
    let mut check = |what: &str, want: &str, got: String| {
        if want != "*" && want != got {
            d.push(format!("{what}: want {want:?}, got {got:?}"));
        }
    };
    check("location", &e.location, s(f, "location"));
    check("admin1", &e.admin1, s(f, "admin1"));
    check("event_type", &e.event_type, s(f, "event_type"));
    check("sub_event_type", &e.sub_event_type, s(f, "sub_event_type"));
    check("fatalities", &e.fatalities.to_string(), s(f, "fatalities"));
    check("fatalities_high", &e.high, s(f, "fatalities_high"));
    check("fatalities_claimed", &e.claimed, s(f, "fatalities_claimed"));
    check("actor1", &e.actor1, s(f, "actor1"));
    check("actor2", &e.actor2, s(f, "actor2"));
    let (start, end) = (
        Date::parse(&s(f, "date_start")),
        Date::parse(&s(f, "date_end")),
    );
    match (start, end) {
        (Some(a), Some(b)) => {
            let (lo, hi) = (e.date.add_days(-e.tol), e.date.add_days(e.tol));
            if b < lo || a > hi || a.days_until(b) > 2 * e.tol {
                d.push(format!("dates: want {} ±{}, got {a}..{b}", e.date, e.tol));
            }
        }
        _ => d.push("dates: none".into()),
    }
    d
}

#[test]
fn every_test_article_gives_exactly_its_expected_events() {
    let out = clashmap()
        .args(["extract", "--no-merge"])
        .arg(dir())
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let mut by_article: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for f in v["features"].as_array().unwrap() {
        by_article
            .entry(s(f, "source"))
            .or_default()
            .push(f.clone());
    }
    let expected = expected();
    assert!(expected.len() >= 30, "at least 30 test articles");
    let mut problems = Vec::new();
    let mut found = 0;
    for (article, wants) in &expected {
        let mut got = by_article.remove(article).unwrap_or_default();
        for w in wants {
            match got.iter().position(|f| differences(w, f).is_empty()) {
                Some(i) => {
                    got.remove(i);
                    found += 1;
                }
                None => {
                    let closest = got
                        .iter()
                        .map(|f| differences(w, f))
                        .min_by_key(|d| d.len())
                        .map(|d| d.join("; "))
                        .unwrap_or_else(|| "no event extracted".into());
                    problems.push(format!(
                        "{article}: missed {} at {}: {closest}",
                        w.event_type, w.location
                    ));
                }
            }
        }
        for f in got {
            problems.push(format!(
                "{article}: unexpected {} at {} ({}..{}), fatalities {}",
                s(&f, "event_type"),
                s(&f, "location"),
                s(&f, "date_start"),
                s(&f, "date_end"),
                s(&f, "fatalities")
            ));
        }
    }
    assert!(
        by_article.is_empty(),
        "events from unknown sources: {:?}",
        by_article.keys()
    );
    assert!(
        problems.is_empty(),
        "{found} events right; {} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
