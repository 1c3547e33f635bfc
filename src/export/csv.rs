//! CSV output of records: one row per event, the schema's columns in order (ACLED's
//! names), RFC 4180 quoting, UTF-8 (with a BOM for spreadsheets when asked), empty
//! cells for null, latitude and longitude with 6 decimals.

use std::io::{self, Write};

use super::record::{CSV_COLUMNS, Field, Record};

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

fn writer(w: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w)
}

/// Rows of records, with no header.
pub fn write_rows(w: &mut dyn Write, records: &[Record]) -> io::Result<()> {
    let mut cw = writer(w);
    for r in records {
        let row: Vec<String> = CSV_COLUMNS
            .iter()
            .map(|c| match *c {
                "latitude" => r.point.map(|p| format!("{:.6}", p.1)).unwrap_or_default(),
                "longitude" => r.point.map(|p| format!("{:.6}", p.0)).unwrap_or_default(),
                _ => match r.get(c) {
                    Field::Str(s) => s.clone(),
                    Field::Int(n) => n.to_string(),
                    Field::Null => String::new(),
                },
            })
            .collect();
        cw.write_record(&row).map_err(io::Error::other)?;
    }
    cw.flush()
}
