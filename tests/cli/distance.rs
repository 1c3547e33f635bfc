use serde_json::Value;

use super::clashmap;

#[test]
fn kunduz_to_pol_e_khomri_is_87_9_km() {
    let out = clashmap()
        .args(["distance", "Kunduz", "Pol-e Khomri"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let last = text.lines().last().unwrap();
    assert!(last.ends_with("87.9"), "{text}");
    assert!(last.starts_with("Kunduz"), "{text}");
}

#[test]
fn several_places_give_legs_and_a_total() {
    let out = clashmap()
        .args(["distance", "--json", "Kunduz", "Pul-e-Chomri", "Kaboel"])
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let legs = v["legs"].as_array().unwrap();
    assert_eq!(legs.len(), 2);
    assert_eq!(legs[0]["distance_km"], 87.9);
    assert_eq!(legs[1]["to_place"], "Kabul");
    let total = v["total_km"].as_f64().unwrap();
    let sum = legs[0]["distance_km"].as_f64().unwrap() + legs[1]["distance_km"].as_f64().unwrap();
    assert!((total - sum).abs() <= 0.1 + 1e-9, "{total} vs {sum}");
}

#[test]
fn an_unknown_place_is_an_error() {
    clashmap()
        .args(["distance", "Kunduz", "Nowhereistan"])
        .assert()
        .code(1);
}
