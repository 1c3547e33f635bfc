//! GeoJSON output (RFC 7946) and GeoJSON Text Sequences (RFC 8142) of records: a
//! FeatureCollection with a `bbox`, one Feature per event with `id` =
//! `properties.event_id`, `[longitude, latitude]` with 6 decimals, `null` geometry for
//! unresolved places, no `crs` member, and flat properties in sorted key order.

use std::io::{self, Write};

use super::record::{Field, Record};

/// A JSON string literal of `s`.
pub(crate) fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_json_str(&mut out, s);
    out
}

/// Appends the JSON string literal of `s`: as it stands between quotes when nothing in
/// it needs escaping (the common case), else as serde_json escapes it.
fn push_json_str(out: &mut String, s: &str) {
    if needs_escape(s.as_bytes()) {
        out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()));
    } else {
        out.push('"');
        out.push_str(s);
        out.push('"');
    }
}

/// Whether a byte of `s` must be escaped in a JSON string (a quote, a backslash or a
/// control character), checked 16 bytes at a time without a branch per byte.
fn needs_escape(s: &[u8]) -> bool {
    let special = |b: u8| (b == b'"') | (b == b'\\') | (b < 0x20);
    let any_special = |chunk: &[u8; 16]| chunk.iter().fold(false, |m, &b| m | special(b));
    let mut chunks = s.chunks_exact(16);
    for chunk in &mut chunks {
        if any_special(chunk.try_into().unwrap_or(&[b' '; 16])) {
            return true;
        }
    }
    // the rest padded with spaces, to be checked the same way
    let rest = chunks.remainder();
    let mut last = [b' '; 16];
    last[..rest.len()].copy_from_slice(rest);
    any_special(&last)
}

/// Writes one Feature on one line (no newline).
pub fn write_feature(w: &mut dyn Write, r: &Record) -> io::Result<()> {
    use std::fmt::Write as _;
    // the feature is put together in memory and written at once
    let mut s = String::with_capacity(1024);
    s.push_str("{\"type\":\"Feature\",\"id\":");
    push_json_str(&mut s, &r.id);
    s.push_str(",\"geometry\":");
    match r.point {
        Some((lon, lat)) => {
            let _ = write!(
                s,
                "{{\"type\":\"Point\",\"coordinates\":[{lon:.6},{lat:.6}]}}"
            );
        }
        None => s.push_str("null"),
    }
    s.push_str(",\"properties\":{");
    for (i, (k, v)) in r.props.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        push_json_str(&mut s, k);
        s.push(':');
        match v {
            Field::Str(v) => push_json_str(&mut s, v),
            Field::Int(n) => crate::event::push_integer(&mut s, *n),
            Field::Null => s.push_str("null"),
        }
    }
    s.push_str("}}");
    w.write_all(s.as_bytes())
}

/// The bounding box `[west, south, east, north]` of the records' points.
pub fn bbox(records: &[Record]) -> Option<[f64; 4]> {
    bbox_of(records.iter().filter_map(|r| r.point))
}

/// The bounding box `[west, south, east, north]` of (longitude, latitude) points.
pub fn bbox_of(points: impl IntoIterator<Item = (f64, f64)>) -> Option<[f64; 4]> {
    let mut it = points.into_iter();
    let first = it.next()?;
    Some(it.fold([first.0, first.1, first.0, first.1], |b, (x, y)| {
        [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)]
    }))
}

/// Writes a FeatureCollection of records (in the order given), with its `bbox`.
pub fn write_collection(w: &mut dyn Write, records: &[Record]) -> io::Result<()> {
    write_collection_head(w, bbox(records))?;
    for (i, r) in records.iter().enumerate() {
        write_collection_feature(w, i == 0, r)?;
    }
    write_collection_tail(w)
}

/// The start of a FeatureCollection written a feature at a time: its `bbox` (of every
/// feature to come) and the opening of the feature list.
pub fn write_collection_head(w: &mut dyn Write, bbox: Option<[f64; 4]>) -> io::Result<()> {
    write!(w, "{{\"type\":\"FeatureCollection\"")?;
    if let Some([a, b, c, d]) = bbox {
        write!(w, ",\"bbox\":[{a:.6},{b:.6},{c:.6},{d:.6}]")?;
    }
    write!(w, ",\"features\":[")
}

/// One feature of a FeatureCollection, on its own line (`first`: the collection's
/// first feature, with no comma before it).
pub fn write_collection_feature(w: &mut dyn Write, first: bool, r: &Record) -> io::Result<()> {
    w.write_all(if first { b"\n" } else { b",\n" })?;
    write_feature(w, r)
}

/// The end of a FeatureCollection.
pub fn write_collection_tail(w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "\n]}}")
}

/// Writes one record of a GeoJSON text sequence: RS, the Feature, newline.
pub fn write_seq_record(w: &mut dyn Write, r: &Record) -> io::Result<()> {
    w.write_all(b"\x1e")?;
    write_feature(w, r)?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_found_at_every_position() {
        // a long plain text with one special byte at each position, in and past the
        // 16-byte chunks
        for len in [0, 1, 15, 16, 17, 31, 32, 40] {
            let plain = "k".repeat(len);
            assert!(!needs_escape(plain.as_bytes()));
            for at in 0..len {
                for special in ['"', '\\', '\n', '\u{1}', '\u{1f}'] {
                    let mut t: Vec<char> = plain.chars().collect();
                    t[at] = special;
                    let t: String = t.into_iter().collect();
                    assert!(needs_escape(t.as_bytes()), "{t:?}");
                    assert_eq!(json_str(&t), serde_json::to_string(&t).unwrap());
                }
            }
        }
        assert!(!needs_escape(" \u{7f}é".as_bytes()));
    }

    #[test]
    fn whole_numbers_are_written_as_serde_json_writes_them() {
        for n in [0, 7, -7, 1_000_000, i64::MAX, i64::MIN] {
            let r = Record {
                id: "e".into(),
                point: None,
                props: [("n".into(), Field::Int(n))].into_iter().collect(),
            };
            let mut out = Vec::new();
            write_feature(&mut out, &r).unwrap();
            let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
            assert_eq!(v["properties"]["n"], serde_json::json!(n));
            let text = String::from_utf8(out).unwrap();
            assert!(text.contains(&format!("\"n\":{n}}}")), "{text}");
        }
    }

    #[test]
    fn string_literals_are_serde_json_s() {
        for s in [
            "",
            "Kunduz",
            "Pul-e Khumrī",
            "zo'n \"honderd\" km",
            "a\\b",
            "tab\there\nnewline\r\u{1}\u{1f}",
            "ڪابل / کابل",
            "\u{7f}\u{2028}",
        ] {
            assert_eq!(json_str(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }
}
