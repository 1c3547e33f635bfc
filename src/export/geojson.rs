//! GeoJSON output of events: a FeatureCollection with a `bbox`, one Feature per
//! event, `[longitude, latitude]` with 6 decimals, `null` geometry for events whose
//! place is unresolved, and flat, typed properties (see the event schema).

use std::io::{self, Write};

use crate::event::Event;
use crate::geocode::Geocoder;

/// A property value.
enum V<'a> {
    S(&'a str),
    O(Option<&'a str>),
    I(i64),
    OI(Option<i64>),
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn write_value(w: &mut dyn Write, v: &V<'_>) -> io::Result<()> {
    match v {
        V::S(s) => write!(w, "{}", json_str(s)),
        V::O(Some(s)) => write!(w, "{}", json_str(s)),
        V::O(None) | V::OI(None) => write!(w, "null"),
        V::I(i) | V::OI(Some(i)) => write!(w, "{i}"),
    }
}

/// The point of an event, `(lon, lat)`, when its place is resolved.
pub fn event_point(e: &Event, g: &Geocoder) -> Option<(f64, f64)> {
    e.location().place.map(|i| {
        let p = g.place(i);
        (p.lon, p.lat)
    })
}

/// Writes one Feature (one line, no trailing newline).
pub fn write_feature(w: &mut dyn Write, e: &Event, g: &Geocoder) -> io::Result<()> {
    let loc = e.location();
    let place = loc.place.map(|i| g.place(i));
    let first = e.first();
    let (a1, a2) = e.actors();
    let sources = e.sources();
    let source = sources.join("; ");
    let notes = e
        .reports
        .iter()
        .flat_map(|r| {
            r.evidence
                .iter()
                .map(move |s| (r.article.as_str(), s.as_str()))
        })
        .map(|(_, s)| s)
        .collect::<Vec<_>>()
        .join(" | ");
    let date = e.dates.map(|d| {
        (
            d.start.to_string(),
            d.end.to_string(),
            d.precision(),
            d.start.year(),
        )
    });
    let country = place.map(|p| g.gazetteer().country_name(&p.country_code));
    let nonempty = |s: &'_ str| -> Option<String> { (!s.is_empty()).then(|| s.to_string()) };
    let admin1 = place.and_then(|p| nonempty(&p.admin1_name));
    let admin2 = place.and_then(|p| nonempty(&p.admin2_name));
    let props: Vec<(&str, V<'_>)> = vec![
        ("actor1", V::O(a1)),
        ("actor2", V::O(a2)),
        ("admin1", V::O(admin1.as_deref())),
        ("admin2", V::O(admin2.as_deref())),
        ("country", V::O(country)),
        ("date_end", V::O(date.as_ref().map(|d| d.1.as_str()))),
        ("date_start", V::O(date.as_ref().map(|d| d.0.as_str()))),
        ("event_date", V::O(date.as_ref().map(|d| d.0.as_str()))),
        ("event_id", V::S(&e.id)),
        ("event_type", V::S(&first.event_type)),
        ("fatalities", V::I(e.fatalities.best as i64)),
        ("fatalities_claimed", V::OI(e.claimed.map(|c| c as i64))),
        (
            "fatalities_high",
            V::OI(e.fatalities.high.map(|c| c as i64)),
        ),
        ("fatalities_low", V::OI(e.fatalities.low.map(|c| c as i64))),
        ("geo_precision", V::I(i64::from(loc.geo_precision))),
        ("geocode_status", V::S(loc.status.as_str())),
        (
            "geonameid",
            V::OI(place.and_then(|p| (p.geonameid != 0).then_some(p.geonameid as i64))),
        ),
        ("language", V::S(&first.language)),
        (
            "location",
            V::S(
                place
                    .map(|p| p.name.as_str())
                    .unwrap_or(loc.as_reported.as_str()),
            ),
        ),
        ("location_as_reported", V::S(&loc.as_reported)),
        ("notes", V::S(&notes)),
        ("source", V::S(&source)),
        ("source_count", V::I(sources.len() as i64)),
        ("sub_event_type", V::S(&first.sub_event_type)),
        (
            "time_precision",
            V::OI(date.as_ref().map(|d| i64::from(d.2))),
        ),
        ("year", V::OI(date.as_ref().map(|d| i64::from(d.3)))),
    ];
    write!(
        w,
        "{{\"type\":\"Feature\",\"id\":{},\"geometry\":",
        json_str(&e.id)
    )?;
    match event_point(e, g) {
        Some((lon, lat)) => write!(
            w,
            "{{\"type\":\"Point\",\"coordinates\":[{lon:.6},{lat:.6}]}}"
        )?,
        None => write!(w, "null")?,
    }
    write!(w, ",\"properties\":{{")?;
    for (i, (k, v)) in props.iter().enumerate() {
        if i > 0 {
            write!(w, ",")?;
        }
        write!(w, "{}:", json_str(k))?;
        write_value(w, v)?;
    }
    write!(w, "}}}}")
}

/// Writes a FeatureCollection of events (in the order given), with its `bbox`.
pub fn write_collection(w: &mut dyn Write, events: &[Event], g: &Geocoder) -> io::Result<()> {
    let pts: Vec<(f64, f64)> = events.iter().filter_map(|e| event_point(e, g)).collect();
    write!(w, "{{\"type\":\"FeatureCollection\"")?;
    if !pts.is_empty() {
        let min_x = pts.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
        let min_y = pts.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let max_x = pts.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
        let max_y = pts.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
        write!(w, ",\"bbox\":[{min_x:.6},{min_y:.6},{max_x:.6},{max_y:.6}]")?;
    }
    write!(w, ",\"features\":[")?;
    for (i, e) in events.iter().enumerate() {
        writeln!(w, "{}", if i == 0 { "" } else { "," })?;
        write_feature(w, e, g)?;
    }
    writeln!(w, "\n]}}")
}
