//! GeoJSON output (RFC 7946) and GeoJSON Text Sequences (RFC 8142) of records: a
//! FeatureCollection with a `bbox`, one Feature per event with `id` =
//! `properties.event_id`, `[longitude, latitude]` with 6 decimals, `null` geometry for
//! unresolved places, no `crs` member, and flat properties in sorted key order.

use std::io::{self, Write};

use super::record::{Field, Record};

/// A JSON string literal of `s`.
pub(crate) fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Writes one Feature on one line (no newline).
pub fn write_feature(w: &mut dyn Write, r: &Record) -> io::Result<()> {
    write!(
        w,
        "{{\"type\":\"Feature\",\"id\":{},\"geometry\":",
        json_str(&r.id)
    )?;
    match r.point {
        Some((lon, lat)) => write!(
            w,
            "{{\"type\":\"Point\",\"coordinates\":[{lon:.6},{lat:.6}]}}"
        )?,
        None => write!(w, "null")?,
    }
    write!(w, ",\"properties\":{{")?;
    for (i, (k, v)) in r.props.iter().enumerate() {
        if i > 0 {
            write!(w, ",")?;
        }
        write!(w, "{}:", json_str(k))?;
        match v {
            Field::Str(s) => write!(w, "{}", json_str(s))?,
            Field::Int(n) => write!(w, "{n}")?,
            Field::Null => write!(w, "null")?,
        }
    }
    write!(w, "}}}}")
}

/// The bounding box `[west, south, east, north]` of the records' points.
pub fn bbox(records: &[Record]) -> Option<[f64; 4]> {
    let mut it = records.iter().filter_map(|r| r.point);
    let first = it.next()?;
    Some(it.fold([first.0, first.1, first.0, first.1], |b, (x, y)| {
        [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)]
    }))
}

/// Writes a FeatureCollection of records (in the order given), with its `bbox`.
pub fn write_collection(w: &mut dyn Write, records: &[Record]) -> io::Result<()> {
    write!(w, "{{\"type\":\"FeatureCollection\"")?;
    if let Some([a, b, c, d]) = bbox(records) {
        write!(w, ",\"bbox\":[{a:.6},{b:.6},{c:.6},{d:.6}]")?;
    }
    write!(w, ",\"features\":[")?;
    for (i, r) in records.iter().enumerate() {
        writeln!(w, "{}", if i == 0 { "" } else { "," })?;
        write_feature(w, r)?;
    }
    writeln!(w, "\n]}}")
}

/// Writes one record of a GeoJSON text sequence: RS, the Feature, newline.
pub fn write_seq_record(w: &mut dyn Write, r: &Record) -> io::Result<()> {
    w.write_all(b"\x1e")?;
    write_feature(w, r)?;
    w.write_all(b"\n")
}
