//! Reading events back: clashmap's GeoJSON (a FeatureCollection, a single Feature, or
//! a GeoJSON text sequence), any GeoJSON of Point features, and CSV with ACLED's column
//! names (clashmap's own or an ACLED export: `latitude`/`longitude`, extra columns
//! ignored). Errors name the line and column (JSON) or the record (CSV).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::record::{CSV_COLUMNS, Field, INTEGER_PROPERTIES, Record, round6};
use crate::date::parse_dataset_date;

/// Events that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file cannot be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Malformed JSON or GeoJSON.
    #[error("{path}:{line}:{column}: {message}")]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A malformed CSV record.
    #[error("{path}: record {record} (line {line}): {message}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// 1-based record number (the header is record 0).
        record: u64,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// The content is not events.
    #[error("{path}: {message}")]
    Content {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// What was read: the records, and warnings about features left out.
#[derive(Debug, Default)]
pub struct Read {
    /// The events, in file order.
    pub records: Vec<Record>,
    /// One line per feature left out (not a point), naming it.
    pub warnings: Vec<String>,
}

/// Whether a file looks like GeoJSON (by extension, else by its first character).
pub fn is_json(path: &Path, text: &str) -> bool {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("geojson" | "json" | "geojsons" | "geojsonl" | "geojsonseq") => true,
        Some("csv" | "tsv") => false,
        _ => text
            .trim_start_matches(['\u{feff}', ' ', '\n', '\r', '\t'])
            .starts_with(['{', '\x1e']),
    }
}

/// Reads events from a file (GeoJSON or CSV, see the module doc).
pub fn read_file(path: &Path) -> Result<Read, ReadError> {
    let bytes = std::fs::read(path).map_err(|source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text =
        String::from_utf8(bytes).map_err(|e| not_utf8(path, e.utf8_error().valid_up_to()))?;
    read_text(path, text.strip_prefix('\u{feff}').unwrap_or(&text), true)
}

/// Events from a whole text (its byte-order mark removed): GeoJSON, or CSV when `csv`
/// is true and the text does not look like GeoJSON.
fn read_text(path: &Path, text: &str, csv: bool) -> Result<Read, ReadError> {
    if !csv || is_json(path, text) {
        read_geojson(path, text)
    } else {
        read_csv(path, text)
    }
}

/// A file that is not UTF-8 from byte `byte` on.
fn not_utf8(path: &Path, byte: usize) -> ReadError {
    ReadError::Content {
        path: path.to_path_buf(),
        message: format!("not UTF-8 text (byte {byte})"),
    }
}

fn json_err(path: &Path, e: &serde_json::Error, line_offset: usize) -> ReadError {
    ReadError::Json {
        path: path.to_path_buf(),
        line: e.line() + line_offset,
        column: e.column(),
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or("")
            .to_string(),
    }
}

/// Reads GeoJSON: a FeatureCollection, a Feature, or a text sequence of Features
/// (RFC 8142, or one Feature per line).
pub fn read_geojson(path: &Path, text: &str) -> Result<Read, ReadError> {
    let mut out = Read::default();
    let trimmed = text.trim_start();
    let seq = trimmed.starts_with('\x1e') || {
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        lines
            .next()
            .is_some_and(|l| l.trim_start().starts_with("{\"type\":\"Feature\""))
            && lines.next().is_some()
    };
    if seq {
        for (i, line) in text.lines().enumerate() {
            seq_line(path, line, i + 1, out.records.len(), &mut out)?;
        }
        return Ok(out);
    }
    let v: Value = serde_json::from_str(text).map_err(|e| json_err(path, &e, 0))?;
    match v.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => {
            let features =
                v.get("features")
                    .and_then(Value::as_array)
                    .ok_or_else(|| ReadError::Content {
                        path: path.to_path_buf(),
                        message: "a FeatureCollection without a \"features\" array".into(),
                    })?;
            for (i, f) in features.iter().enumerate() {
                feature(path, f, i, 0, &mut out)?;
            }
        }
        Some("Feature") => feature(path, &v, 0, 1, &mut out)?,
        other => {
            return Err(ReadError::Content {
                path: path.to_path_buf(),
                message: format!(
                    "not GeoJSON features (type {other:?}); expected a FeatureCollection or Features"
                ),
            });
        }
    }
    Ok(out)
}

/// One line (1-based `line`) of a GeoJSON text sequence: its feature (the `index`-th)
/// added to `out`; a blank line adds nothing.
fn seq_line(
    path: &Path,
    line: &str,
    line_no: usize,
    index: usize,
    out: &mut Read,
) -> Result<(), ReadError> {
    let line = line.trim_start_matches('\x1e');
    if line.trim().is_empty() {
        return Ok(());
    }
    let v: Value = serde_json::from_str(line).map_err(|e| json_err(path, &e, line_no - 1))?;
    feature(path, &v, index, line_no, out)
}

/// Reads events from `input` (named `path` in messages) and hands each record to
/// `each`, in file order, and each warning to `warn`. A GeoJSON text sequence whose
/// first line is a whole Feature is read a line at a time (memory: one line, however
/// long the file); anything else is read whole, as [`read_file`] reads it (CSV only
/// when `csv` is true; otherwise GeoJSON).
pub fn for_each_record<E: From<ReadError>>(
    path: &Path,
    input: &mut dyn std::io::BufRead,
    csv: bool,
    each: &mut dyn FnMut(Record) -> Result<(), E>,
    warn: &mut dyn FnMut(String),
) -> Result<(), E> {
    let io_err = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    // lines are read as bytes: text that is not UTF-8 is named by its line and byte
    let not_utf8_line = |line_no: usize, e: std::string::FromUtf8Error| ReadError::Content {
        path: path.to_path_buf(),
        message: format!(
            "line {line_no} is not UTF-8 text (byte {} of the line)",
            e.utf8_error().valid_up_to()
        ),
    };
    let mut bytes = Vec::new();
    input.read_until(b'\n', &mut bytes).map_err(io_err)?;
    let line = String::from_utf8(std::mem::take(&mut bytes)).map_err(|e| not_utf8_line(1, e))?;
    let first = line.strip_prefix('\u{feff}').unwrap_or(&line).to_string();
    let head = first.trim_start();
    let streams = head.starts_with('\x1e')
        || (head.starts_with("{\"type\":\"Feature\"")
            && serde_json::from_str::<Value>(head.trim_end()).is_ok());
    let mut deliver = |read: &mut Read| -> Result<(), E> {
        for w in read.warnings.drain(..) {
            warn(w);
        }
        for r in read.records.drain(..) {
            each(r)?;
        }
        Ok(())
    };
    if !streams {
        input.read_to_end(&mut bytes).map_err(io_err)?;
        let rest = String::from_utf8(bytes)
            .map_err(|e| not_utf8(path, line.len() + e.utf8_error().valid_up_to()))?;
        let text = first + &rest;
        return deliver(&mut read_text(path, &text, csv)?);
    }
    let (mut line_no, mut index) = (1, 0);
    let mut read = Read::default();
    let mut line = first;
    loop {
        seq_line(
            path,
            line.trim_end_matches(['\n', '\r']),
            line_no,
            index,
            &mut read,
        )?;
        index += read.records.len();
        deliver(&mut read)?;
        bytes.clear();
        if input.read_until(b'\n', &mut bytes).map_err(io_err)? == 0 {
            return Ok(());
        }
        line_no += 1;
        line =
            String::from_utf8(std::mem::take(&mut bytes)).map_err(|e| not_utf8_line(line_no, e))?;
    }
}

fn feature(
    path: &Path,
    f: &Value,
    index: usize,
    line: usize,
    out: &mut Read,
) -> Result<(), ReadError> {
    let name = || {
        let id = f
            .get("id")
            .map(|v| v.to_string())
            .unwrap_or_else(|| "no id".into());
        if line > 0 {
            format!("feature {index} ({id}) on line {line}")
        } else {
            format!("feature {index} ({id})")
        }
    };
    let content = |message: String| ReadError::Content {
        path: path.to_path_buf(),
        message,
    };
    if f.get("type").and_then(Value::as_str) != Some("Feature") {
        return Err(content(format!("{} is not a Feature", name())));
    }
    let mut props = BTreeMap::new();
    if let Some(p) = f.get("properties").and_then(Value::as_object) {
        for (k, v) in p {
            let field = match v {
                Value::Null => Field::Null,
                Value::String(s) => Field::text(s.clone()),
                Value::Number(n) => match n.as_i64() {
                    Some(i) => Field::Int(i),
                    None => Field::text(n.to_string()),
                },
                Value::Bool(b) => Field::text(b.to_string()),
                other => Field::text(other.to_string()),
            };
            props.insert(Cow::Owned(k.clone()), field);
        }
    }
    let point = match f.get("geometry") {
        None | Some(Value::Null) => None,
        Some(g) => match g.get("type").and_then(Value::as_str) {
            Some("Point") => {
                let c = g.get("coordinates").and_then(Value::as_array);
                let (lon, lat) = match c.map(|c| {
                    (
                        c.first().and_then(Value::as_f64),
                        c.get(1).and_then(Value::as_f64),
                    )
                }) {
                    Some((Some(x), Some(y))) => (x, y),
                    _ => {
                        return Err(content(format!(
                            "{}: a Point without two numeric coordinates",
                            name()
                        )));
                    }
                };
                check_coords(lon, lat).map_err(|m| content(format!("{}: {m}", name())))?;
                Some((round6(lon), round6(lat)))
            }
            other => {
                out.warnings.push(format!(
                    "{}: {} geometry, not a point; left out",
                    name(),
                    other.unwrap_or("unknown")
                ));
                return Ok(());
            }
        },
    };
    iso_dates(&mut props).map_err(|m| content(format!("{}: {m}", name())))?;
    let id = match props.get("event_id").and_then(Field::as_str) {
        Some(s) => s.to_string(),
        None => match f.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => format!("F{index}"),
        },
    };
    props
        .entry("event_id".into())
        .or_insert_with(|| Field::text(id.clone()));
    out.records.push(Record { id, point, props });
    Ok(())
}

fn check_coords(lon: f64, lat: f64) -> Result<(), String> {
    if !(lon.is_finite() && lat.is_finite()) || lon.abs() > 180.0 || lat.abs() > 90.0 {
        return Err(format!(
            "coordinates [{lon}, {lat}] are out of range (longitude -180..180, latitude -90..90)"
        ));
    }
    Ok(())
}

/// The date columns, written as ISO dates (`YYYY-MM-DD`) whatever form the input
/// used (ACLED's `9-May-20`, `09 May 2020`, ...: [`parse_dataset_date`]); a value that
/// is not a date is an error naming the column.
fn iso_dates(props: &mut BTreeMap<Cow<'static, str>, Field>) -> Result<(), String> {
    for k in ["event_date", "date_start", "date_end"] {
        if let Some(Field::Str(v)) = props.get_mut(k) {
            match parse_dataset_date(v) {
                Some(d) => *v = d.to_string(),
                None => {
                    return Err(format!(
                        "column {k}: {v:?} is not a date (2020-05-09, or as ACLED writes it: 9-May-20, 09 May 2020)"
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Reads CSV with ACLED's column names (see the module doc).
pub fn read_csv(path: &Path, text: &str) -> Result<Read, ReadError> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let csv_err = |e: csv::Error| {
        let (record, line) = e
            .position()
            .map(|p| (p.record(), p.line()))
            .unwrap_or((0, 0));
        ReadError::Csv {
            path: path.to_path_buf(),
            record,
            line,
            message: e.to_string(),
        }
    };
    let headers: Vec<String> = rdr
        .headers()
        .map_err(csv_err)?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(lat_i), Some(lon_i)) = (col("latitude"), col("longitude")) else {
        return Err(ReadError::Content {
            path: path.to_path_buf(),
            message: format!(
                "not an event CSV: no latitude and longitude columns (columns: {})",
                headers.join(",")
            ),
        });
    };
    // clashmap's own columns, and ACLED's event_id_cnty for the id
    let known: Vec<(usize, &str)> = CSV_COLUMNS
        .iter()
        .filter(|c| !matches!(**c, "latitude" | "longitude"))
        .filter_map(|c| col(c).map(|i| (i, *c)))
        .collect();
    let acled_id = col("event_id_cnty");
    let mut out = Read::default();
    let mut rec = csv::StringRecord::new();
    while rdr.read_record(&mut rec).map_err(csv_err)? {
        let pos = rec
            .position()
            .map(|p| (p.record(), p.line()))
            .unwrap_or((0, 0));
        let bad = |message: String| ReadError::Csv {
            path: path.to_path_buf(),
            record: pos.0,
            line: pos.1,
            message,
        };
        let mut props = BTreeMap::new();
        for &(i, name) in &known {
            let v = rec.get(i).unwrap_or("").trim();
            let field = if v.is_empty() {
                Field::Null
            } else if INTEGER_PROPERTIES.contains(&name) {
                Field::Int(
                    v.parse()
                        .map_err(|_| bad(format!("column {name}: {v:?} is not a whole number")))?,
                )
            } else {
                Field::text(v)
            };
            props.insert(Cow::Owned(name.to_string()), field);
        }
        iso_dates(&mut props).map_err(bad)?;
        if !props.contains_key("event_id") || props["event_id"] == Field::Null {
            let id = acled_id
                .and_then(|i| rec.get(i))
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .unwrap_or_else(|| format!("R{}", pos.0));
            props.insert("event_id".into(), Field::text(id));
        }
        let (lat, lon) = (
            rec.get(lat_i).unwrap_or("").trim(),
            rec.get(lon_i).unwrap_or("").trim(),
        );
        let point = if lat.is_empty() && lon.is_empty() {
            None
        } else {
            let num = |s: &str, what: &str| {
                s.parse::<f64>()
                    .map_err(|_| bad(format!("{what} {s:?} is not a number")))
            };
            let (y, x) = (num(lat, "latitude")?, num(lon, "longitude")?);
            check_coords(x, y).map_err(bad)?;
            Some((round6(x), round6(y)))
        };
        let id = props["event_id"].as_str().unwrap_or_default().to_string();
        out.records.push(Record { id, point, props });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The records `for_each_record` hands over, and its warnings.
    fn streamed(
        name: &str,
        text: &[u8],
        csv: bool,
    ) -> Result<(Vec<Record>, Vec<String>), ReadError> {
        let (mut records, mut warnings) = (Vec::new(), Vec::new());
        for_each_record::<ReadError>(
            Path::new(name),
            &mut &text[..],
            csv,
            &mut |r| {
                records.push(r);
                Ok(())
            },
            &mut |w| warnings.push(w),
        )?;
        Ok((records, warnings))
    }

    #[test]
    fn records_read_a_line_at_a_time_are_those_read_whole() {
        let feature = |id: &str, x: f64| {
            format!(
                "{{\"type\":\"Feature\",\"id\":\"{id}\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{x},36.7]}},\"properties\":{{\"event_id\":\"{id}\",\"fatalities\":3}}}}"
            )
        };
        let line = "{\"type\":\"Feature\",\"id\":\"L\",\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[68,36],[69,36]]},\"properties\":{}}";
        // a text sequence (RS and CRLF), one Feature a line, a collection, CSV
        let seq = format!(
            "\u{feff}\x1e{}\r\n\x1e{}\n\n\x1e{line}\n",
            feature("A", 68.1),
            feature("B", 68.2)
        );
        let lines = format!("{}\n{}\n", feature("A", 68.1), feature("B", 68.2));
        let collection = format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\n{},\n{}\n]}}\n",
            feature("A", 68.1),
            feature("B", 68.2)
        );
        for (name, text) in [
            ("s.geojsons", &seq),
            ("l.geojsonl", &lines),
            ("c.geojson", &collection),
        ] {
            let whole = read_geojson(Path::new(name), text.trim_start_matches('\u{feff}')).unwrap();
            let (records, warnings) = streamed(name, text.as_bytes(), true).unwrap();
            assert_eq!(records, whole.records, "{name}");
            assert_eq!(warnings, whole.warnings, "{name}");
            assert_eq!(records.len(), 2, "{name}");
        }
        assert_eq!(
            streamed("s.geojsons", seq.as_bytes(), true)
                .unwrap()
                .1
                .len(),
            1
        );
        let csv = "event_id,latitude,longitude\nE1,36.7,68.1\n";
        let whole = read_csv(Path::new("e.csv"), csv).unwrap();
        assert_eq!(
            streamed("e.csv", csv.as_bytes(), true).unwrap().0,
            whole.records
        );
        // without CSV, a CSV file is not GeoJSON: an error
        assert!(streamed("e.csv", csv.as_bytes(), false).is_err());
    }

    #[test]
    fn a_line_that_is_not_utf8_or_json_is_named() {
        let good = "\x1e{\"type\":\"Feature\",\"id\":\"A\",\"geometry\":null,\"properties\":{}}\n";
        let mut text = good.repeat(2).into_bytes();
        text.extend_from_slice(b"\x1e{\"type\":\"Feature\xff\"}\n");
        let e = streamed("x.geojsons", &text, true).unwrap_err().to_string();
        assert!(e.contains("line 3 is not UTF-8"), "{e}");
        let mut text = good.repeat(2).into_bytes();
        text.extend_from_slice(b"\x1e{\"type\":\"Feature\",\n");
        let e = streamed("x.geojsons", &text, true).unwrap_err().to_string();
        assert!(e.starts_with("x.geojsons:3:"), "{e}");
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let e = read_geojson(
            Path::new("x.geojson"),
            "{\"type\":\"FeatureCollection\",\n\"features\":[ {,] }",
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("x.geojson:2:"), "{e}");
    }

    #[test]
    fn sequences_and_non_points() {
        let text = "\x1e{\"type\":\"Feature\",\"id\":\"a\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[68.8,36.7]},\"properties\":{\"fatalities\":3}}\n\x1e{\"type\":\"Feature\",\"id\":\"b\",\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4]]},\"properties\":{}}\n";
        let r = read_geojson(Path::new("s.geojsons"), text).unwrap();
        assert_eq!(r.records.len(), 1);
        assert_eq!(r.records[0].id, "a");
        assert_eq!(r.records[0].get("fatalities"), &Field::Int(3));
        assert!(r.warnings[0].contains("LineString"), "{:?}", r.warnings);
    }

    #[test]
    fn out_of_range_coordinates_name_the_feature() {
        let text = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":\"z\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[200,10]},\"properties\":{}}]}";
        let e = read_geojson(Path::new("o.geojson"), text).unwrap_err();
        assert!(
            e.to_string().contains("feature 0 (\"z\")") && e.to_string().contains("out of range"),
            "{e}"
        );
    }

    #[test]
    fn acled_csv_with_extra_columns() {
        let text = "event_id_cnty,event_date,disorder_type,event_type,latitude,longitude,fatalities\nAFG1,2019-09-01,Political violence,Battles,36.7290,68.8570,16\nAFG2,2019-09-02,Political violence,Battles,,,x\n";
        let e = read_csv(Path::new("acled.csv"), text).unwrap_err();
        assert!(
            e.to_string().contains("record 2") && e.to_string().contains("fatalities"),
            "{e}"
        );
        let ok = read_csv(Path::new("acled.csv"), &text.replace(",x\n", ",0\n")).unwrap();
        assert_eq!(ok.records[0].id, "AFG1");
        assert_eq!(ok.records[0].point, Some((68.857, 36.729)));
        assert_eq!(ok.records[1].point, None);
        assert!(!ok.records[0].props.contains_key("disorder_type"));
    }

    #[test]
    fn acled_dates_become_iso_and_an_unknown_form_names_the_row() {
        let text = "event_id_cnty,event_date,year,time_precision,geo_precision,latitude,longitude\nA1,9-May-20,2020,1,2,34.5,69.2\nA2,09 May 2020,2020,2,1,34.5,69.2\nA3,2020-05-09,2020,1,1,34.5,69.2\nA4,\"May 9, 2020\",2020,1,1,34.5,69.2\n";
        let r = read_csv(Path::new("acled.csv"), text).unwrap();
        for rec in &r.records {
            assert_eq!(
                rec.get("event_date").as_str(),
                Some("2020-05-09"),
                "{}",
                rec.id
            );
        }
        assert_eq!(r.records[1].get("time_precision"), &Field::Int(2));
        assert_eq!(r.records[0].get("geo_precision"), &Field::Int(2));
        let e = read_csv(
            Path::new("acled.csv"),
            &text.replace("09 May 2020", "09/05/2020"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("record 2") && e.contains("event_date") && e.contains("09/05/2020"),
            "{e}"
        );
        let geo = "{\"type\":\"Feature\",\"id\":\"g\",\"geometry\":null,\"properties\":{\"event_date\":\"31-Dec-99\"}}";
        let r = read_geojson(Path::new("a.geojson"), geo).unwrap();
        assert_eq!(r.records[0].get("event_date").as_str(), Some("1999-12-31"));
    }

    #[test]
    fn a_csv_without_coordinates_is_not_events() {
        let e = read_csv(Path::new("n.csv"), "a,b\n1,2\n").unwrap_err();
        assert!(e.to_string().contains("no latitude and longitude"), "{e}");
    }
}
