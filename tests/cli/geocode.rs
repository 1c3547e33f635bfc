use predicates::prelude::*;
use serde_json::Value;

use super::clashmap;

#[test]
fn geocode_prints_an_aligned_table() {
    let out = clashmap()
        .args(["geocode", "Kunduz", "Pul-e-Chomri", "Kaboel"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with("QUERY"));
    let col = lines[0].find("NAME").unwrap();
    for l in &lines[1..] {
        assert_eq!(l.chars().nth(col - 2), Some(' '), "{l}");
    }
    assert!(
        lines[2].contains("Pul-e Khumrī")
            && lines[2].contains("Baghlan")
            && lines[2].contains("transliteration")
    );
    assert!(lines[3].contains("Kabul") && lines[3].contains("capital"));
}

#[test]
fn geocode_json_carries_kind_match_and_precision() {
    let out = clashmap()
        .args([
            "geocode",
            "--json",
            "Jawzjan",
            "provincie Kunduz",
            "Mussahi",
            "Pul-i-Khumri",
        ])
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows[0]["name"], "Jowzjan");
    assert_eq!(rows[0]["kind"], "province");
    assert_eq!(rows[0]["geo_precision"], 3);
    assert_eq!(rows[1]["kind"], "province");
    assert_eq!(rows[1]["geonameid"], 1135690);
    assert_eq!(rows[2]["kind"], "district");
    assert_eq!(rows[2]["admin1"], "Kabul");
    assert_eq!(rows[3]["geonameid"], 1130490);
    assert_eq!(rows[3]["lat"], 35.94458);
}

#[test]
fn a_district_coded_with_no_place_sits_at_its_namesake_town() {
    // Dasht-e Archi: no populated place carries its district code, but a town of its
    // name lies in its province; Mussahi has neither and sits at Kabul (province)
    let out = clashmap()
        .args(["geocode", "--json", "Dasht-e Archi district", "Mussahi"])
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows[0]["point_source"], "namesake");
    assert_eq!(rows[0]["lat"], 37.13333);
    assert_eq!(rows[0]["geo_precision"], 2);
    assert_eq!(rows[1]["point_source"], "province-capital");
    assert_eq!(rows[1]["geo_precision"], 3);
}

#[test]
fn ambiguous_names_list_their_alternatives() {
    let out = clashmap()
        .args(["geocode", "--json", "Kunduz"])
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v[0]["kind"], "city");
    assert_eq!(v[0]["status"], "ambiguous");
    let alts = v[0]["alternatives"].as_array().unwrap();
    assert!(alts.iter().any(|a| a["kind"] == "province"));
}

#[test]
fn unknown_name_suggests_and_exits_1() {
    clashmap()
        .args(["geocode", "Kabul", "Kundux"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Kabul"))
        .stderr(
            predicate::str::contains("no place named \"Kundux\"")
                .and(predicate::str::contains("closest: Kunduz")),
        );
}

#[test]
fn usage_errors_exit_2() {
    clashmap().args(["geocode"]).assert().code(2);
    clashmap().args(["frobnicate"]).assert().code(2);
    clashmap().args(["distance", "Kunduz"]).assert().code(2);
}

#[test]
fn help_lists_every_command() {
    clashmap().arg("--help").assert().success().stdout(
        predicate::str::contains("geocode")
            .and(predicate::str::contains("distance"))
            .and(predicate::str::contains("--gazetteer")),
    );
}
