//! Scores `clashmap extract` on the sample articles against the gold annotation
//! (`tests/fixtures/gold/`, a copy of `../shared/gold/`), with the rules of its
//! README: every required row found, no false positive, same-event rows merged with
//! all their sources, and with `--no-merge` one feature per gold row.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use clashmap::basemap::Basemap;
use clashmap::date::Date;
use clashmap::distance::geodesic_km;
use serde_json::Value;

use crate::cli::clashmap;

#[derive(Debug, Clone)]
struct Gold {
    id: String,
    article: String,
    same_event_as: String,
    kind: String,
    admin1: String,
    lat: f64,
    lon: f64,
    tolerance_km: f64,
    date: Date,
    date_tolerance_days: i32,
    event_type: String,
    low: u64,
    high: Option<u64>,
    required: bool,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn gold() -> Vec<Gold> {
    let mut rdr =
        csv::Reader::from_path(root().join("tests/fixtures/gold/seed-events.csv")).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("gold has no column {name}"))
    };
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            let f = |n: &str| r.get(col(n)).unwrap().to_string();
            Gold {
                id: f("gold_id"),
                article: f("article"),
                same_event_as: f("same_event_as"),
                kind: f("kind"),
                admin1: f("admin1"),
                lat: f("latitude").parse().unwrap(),
                lon: f("longitude").parse().unwrap(),
                tolerance_km: f("tolerance_km").parse().unwrap(),
                date: Date::parse(&f("date")).unwrap(),
                date_tolerance_days: f("date_tolerance_days").parse().unwrap(),
                event_type: f("event_type"),
                low: f("fatalities_low").parse().unwrap(),
                high: f("fatalities_high").parse().ok(),
                required: f("required") == "yes",
            }
        })
        .collect()
}

fn extract(extra: &[&str]) -> Vec<Value> {
    let out = clashmap()
        .arg("extract")
        .args(extra)
        .arg(root().join("data/articles"))
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    v["features"].as_array().unwrap().clone()
}

fn prop<'a>(f: &'a Value, k: &str) -> &'a Value {
    &f["properties"][k]
}

/// Where, what and when match (fatalities are checked apart).
fn matches(g: &Gold, f: &Value) -> bool {
    let sources: Vec<&str> = prop(f, "source").as_str().unwrap().split("; ").collect();
    if !sources.contains(&g.article.as_str()) || prop(f, "event_type") != g.event_type.as_str() {
        return false;
    }
    let Some(c) = f["geometry"]["coordinates"].as_array() else {
        return false;
    };
    let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
    let near = geodesic_km((lat, lon), (g.lat, g.lon)) <= g.tolerance_km;
    let in_province = g.kind == "province"
        && Basemap::embedded()
            .province_at(lon, lat)
            .is_some_and(|a| a.name == g.admin1);
    if !(near || in_province) {
        return false;
    }
    let (Some(s), Some(e)) = (
        prop(f, "date_start").as_str().and_then(Date::parse),
        prop(f, "date_end").as_str().and_then(Date::parse),
    ) else {
        return false;
    };
    s <= g.date.add_days(g.date_tolerance_days) && e >= g.date.add_days(-g.date_tolerance_days)
}

fn in_range(v: u64, low: u64, high: Option<u64>) -> bool {
    v >= low && high.is_none_or(|h| v <= h)
}

fn describe(f: &Value) -> String {
    format!(
        "{} {} at {} ({}..{}), fatalities {} [{}..{}], sources {}",
        prop(f, "event_id"),
        prop(f, "event_type"),
        prop(f, "location"),
        prop(f, "date_start"),
        prop(f, "date_end"),
        prop(f, "fatalities"),
        prop(f, "fatalities_low"),
        prop(f, "fatalities_high"),
        prop(f, "source")
    )
}

/// For each feature, the gold rows it matches; panics on a missed required row or a
/// false positive.
fn score(features: &[Value], gold: &[Gold]) -> Vec<Vec<usize>> {
    let mut rows_of: Vec<Vec<usize>> = vec![Vec::new(); features.len()];
    let mut problems = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        let found: Vec<usize> = (0..features.len())
            .filter(|&fi| matches(g, &features[fi]))
            .collect();
        if found.is_empty() && g.required {
            problems.push(format!(
                "required {} ({} in {}) not found",
                g.id, g.event_type, g.article
            ));
        }
        for fi in found {
            rows_of[fi].push(gi);
        }
    }
    for (fi, rows) in rows_of.iter().enumerate() {
        if rows.is_empty() {
            problems.push(format!("false positive: {}", describe(&features[fi])));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    rows_of
}

#[test]
fn merged_extraction_matches_the_gold() {
    let gold = gold();
    let features = extract(&[]);
    let rows_of = score(&features, &gold);
    // each real-world event is one feature, with all its sources
    let mut by_event: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for (fi, rows) in rows_of.iter().enumerate() {
        for &r in rows {
            by_event
                .entry(&gold[r].same_event_as)
                .or_default()
                .insert(fi);
        }
    }
    for (letter, feats) in &by_event {
        assert_eq!(feats.len(), 1, "event {letter} is split over {feats:?}");
        let f = &features[*feats.iter().next().unwrap()];
        let articles: BTreeSet<&str> = gold
            .iter()
            .filter(|g| g.same_event_as == *letter)
            .map(|g| g.article.as_str())
            .collect();
        assert_eq!(
            prop(f, "source_count").as_u64().unwrap() as usize,
            articles.len(),
            "{}",
            describe(f)
        );
        // merged fatalities: low = the lowest reported, high = the highest
        let rows: Vec<&Gold> = gold.iter().filter(|g| g.same_event_as == *letter).collect();
        let lowest = rows.iter().min_by_key(|g| g.low).unwrap();
        let highest = rows
            .iter()
            .max_by_key(|g| g.high.unwrap_or(u64::MAX))
            .unwrap();
        let low = prop(f, "fatalities_low").as_u64().unwrap_or(0);
        assert!(
            in_range(low, lowest.low, lowest.high),
            "{letter}: low {low} vs {lowest:?}"
        );
        let high = prop(f, "fatalities_high").as_u64();
        match (high, highest.high) {
            (Some(h), _) => assert!(
                in_range(h, highest.low, highest.high),
                "{letter}: high {h} vs {highest:?}"
            ),
            (None, gh) => assert!(gh.is_none(), "{letter}: no upper bound, gold {gh:?}"),
        }
    }
    for letter in ["A", "B"] {
        let f = &features[*by_event[letter].iter().next().unwrap()];
        assert_eq!(prop(f, "source_count"), 2, "{}", describe(f));
    }
}

#[test]
fn unmerged_extraction_has_one_feature_per_gold_row() {
    let gold = gold();
    let features = extract(&["--no-merge"]);
    let rows_of = score(&features, &gold);
    for (fi, rows) in rows_of.iter().enumerate() {
        assert_eq!(
            rows.len(),
            1,
            "{} matches {rows:?}",
            describe(&features[fi])
        );
        let g = &gold[rows[0]];
        let n = prop(&features[fi], "fatalities").as_u64().unwrap();
        assert!(
            in_range(n, g.low, g.high),
            "{}: fatalities {n} not in {}..{:?}",
            g.id,
            g.low,
            g.high
        );
        assert_eq!(prop(&features[fi], "source_count"), 1);
    }
    let required = gold.iter().filter(|g| g.required).count();
    assert!(features.len() >= required && features.len() <= gold.len());
}
