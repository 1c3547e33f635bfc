//! CSV output of records: one row per event, the schema's columns in order (ACLED's
//! names), RFC 4180 quoting, UTF-8 (with a BOM for spreadsheets when asked), empty
//! cells for null, latitude and longitude with 6 decimals.

use std::io::{self, Write};

use super::record::{CSV_COLUMNS, Field, INTEGER_PROPERTIES, Record};

/// Writes the header and the rows.
pub fn write_csv(w: &mut dyn Write, records: &[Record], excel_bom: bool) -> io::Result<()> {
    write_header(w, excel_bom)?;
    write_rows(w, records)
}

/// The header line (after a byte-order mark for spreadsheets when asked), for a file
/// written a few rows at a time with [`write_rows`].
pub fn write_header(w: &mut dyn Write, excel_bom: bool) -> io::Result<()> {
    if excel_bom {
        w.write_all(b"\xef\xbb\xbf")?;
    }
    let mut cw = writer(w);
    cw.write_record(CSV_COLUMNS).map_err(io::Error::other)?;
    cw.flush()
}

/// A CSV writer as every CSV file here is written (RFC 4180, CRLF line ends).
pub(crate) fn writer(w: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w)
}

/// Rows of records, with no header. Fields go to the CSV writer as they are (no row
/// of strings is put together first).
pub fn write_rows(w: &mut dyn Write, records: &[Record]) -> io::Result<()> {
    use std::fmt::Write as _;
    let mut cw = writer(w);
    let mut num = String::new();
    for r in records {
        for c in CSV_COLUMNS {
            num.clear();
            let field: &str = match c {
                "latitude" | "longitude" => {
                    if let Some((lon, lat)) = r.point {
                        let v = if c == "latitude" { lat } else { lon };
                        let _ = write!(num, "{v:.6}");
                    }
                    &num
                }
                _ => match r.get(c) {
                    Field::Str(s) => s,
                    Field::Int(n) => {
                        crate::event::push_integer(&mut num, *n);
                        &num
                    }
                    Field::Null => "",
                },
            };
            cw.write_field(field).map_err(io::Error::other)?;
        }
        // an empty record ends the current one
        cw.write_record(None::<&[u8]>).map_err(io::Error::other)?;
    }
    cw.flush()
}

/// The `.csvt` sidecar of the CSV (one line: each column's type, quoted, in order), by
/// which GDAL and QGIS read dates as dates, counts as integers, and longitude and
/// latitude as the point's coordinates without being told.
pub fn csvt() -> String {
    let types: Vec<String> = CSV_COLUMNS
        .iter()
        .map(|&c| {
            let ty = match c {
                "event_date" | "date_start" | "date_end" => "Date",
                "longitude" => "CoordX",
                "latitude" => "CoordY",
                c if INTEGER_PROPERTIES.contains(&c) => "Integer",
                _ => "String",
            };
            format!("\"{ty}\"")
        })
        .collect();
    format!("{}\r\n", types.join(","))
}

/// The path of the `.csvt` sidecar of a CSV file (`events.csv` -> `events.csvt`).
pub fn csvt_path(csv: &std::path::Path) -> std::path::PathBuf {
    csv.with_extension("csvt")
}
