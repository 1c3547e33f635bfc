//! Checks of the embedded geodata against itself: the Natural Earth join is right
//! (every province capital lies in its own province's polygon) and every place lies in
//! its country's outline box.

use std::collections::HashSet;

use clashmap::basemap::Basemap;
use clashmap::gazetteer::{Gazetteer, PlaceKind};

#[test]
fn every_province_capital_lies_inside_its_own_province_polygon() {
    let g = Gazetteer::embedded();
    let b = Basemap::embedded();
    let mut checked = 0;
    for p in g.places() {
        if p.country_code == "AF" && matches!(p.feature_code.as_str(), "PPLA" | "PPLC") {
            let prov = b
                .province_at(p.lon, p.lat)
                .unwrap_or_else(|| panic!("{} ({}, {}) is in no province", p.name, p.lat, p.lon));
            assert_eq!(
                prov.code, p.admin1_code,
                "{} lies in {} but is the capital of {}",
                p.name, prov.name, p.admin1_name
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 34, "one capital per province");
}

#[test]
fn provinces_have_the_fixed_labels_and_iso_codes() {
    let b = Basemap::embedded();
    assert_eq!(b.provinces.len(), 34);
    let codes: HashSet<&str> = b.provinces.iter().map(|a| a.iso_3166_2.as_str()).collect();
    assert_eq!(codes.len(), 34, "ISO codes are unique");
    let by_code = |c: &str| b.provinces.iter().find(|a| a.code == c).unwrap();
    assert_eq!(by_code("42").name, "Panjshir");
    assert_eq!(by_code("42").iso_3166_2, "AF-PAN");
    assert_eq!(by_code("41").name, "Daykundi");
    assert_eq!(by_code("41").iso_3166_2, "AF-DAY");
    assert_eq!(by_code("36").name, "Paktia");
    assert_eq!(by_code("36").iso_3166_2, "AF-PIA");
    assert_eq!(by_code("29").iso_3166_2, "AF-PKA");
}

#[test]
fn every_place_lies_inside_its_countrys_box() {
    let g = Gazetteer::embedded();
    let b = Basemap::embedded();
    // simplified outlines and coastal towns: allow 0.1 degree
    let tol = 0.1;
    for p in g.places() {
        let r = b
            .country_bounds(&p.country_code)
            .unwrap_or_else(|| panic!("no outline for country {} of {}", p.country_code, p.name));
        assert!(
            p.lon >= r.min().x - tol
                && p.lon <= r.max().x + tol
                && p.lat >= r.min().y - tol
                && p.lat <= r.max().y + tol,
            "{} ({}) at {},{} is outside {}'s box {:?}",
            p.name,
            p.kind,
            p.lat,
            p.lon,
            p.country_code,
            r
        );
    }
}

#[test]
fn district_points_lie_in_their_province() {
    let g = Gazetteer::embedded();
    let b = Basemap::embedded();
    let mut outside = Vec::new();
    for p in g.places().iter().filter(|p| p.kind == PlaceKind::District) {
        match b.province_at(p.lon, p.lat) {
            Some(a) if a.code == p.admin1_code => {}
            other => outside.push(format!(
                "{} ({}) in {:?}",
                p.name,
                p.admin1_name,
                other.map(|a| &a.name)
            )),
        }
    }
    // GeoNames seats close to a border may fall a little outside; a handful at most
    assert!(
        outside.len() <= 8,
        "{} districts outside their province: {outside:#?}",
        outside.len()
    );
}
