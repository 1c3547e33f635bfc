//! Sources in long form: the `source` cell of an event names at most
//! [`SOURCE_CELL_MAX`] articles (and says how many more), so that spreadsheets and CSV
//! readers take it (Excel cuts cells at 32,767 characters, Python's csv module refuses
//! fields over 128 KB); every report of every event goes to a long table instead,
//! `event_sources.csv` (and the GeoPackage's `sources` table): one row per source.

use std::io::{self, Write};
use std::path::Path;

use super::csv::writer;
use crate::event::Event;

/// The most articles a `source` cell names.
pub const SOURCE_CELL_MAX: usize = 20;

/// The columns of `event_sources.csv`.
pub const SOURCE_COLUMNS: [&str; 8] = [
    "event_id",
    "source",
    "report_id",
    "date_start",
    "date_end",
    "fatalities",
    "fatalities_claimed",
    "location_as_reported",
];

/// One report of an event: which article, and what it said.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SourceRow {
    /// The event's id.
    pub event_id: String,
    /// The article's id.
    pub source: String,
    /// The report's id.
    pub report_id: Option<String>,
    /// The first day the report allows.
    pub date_start: Option<String>,
    /// The last day the report allows.
    pub date_end: Option<String>,
    /// Deaths as this article reports them (its best figure).
    pub fatalities: Option<i64>,
    /// Deaths only claimed by a party, as this article reports them.
    pub fatalities_claimed: Option<i64>,
    /// The place as the article wrote it.
    pub location_as_reported: Option<String>,
}

/// A problem with a sources table, naming the file and line.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct SourcesError {
    file: String,
    line: u64,
    message: String,
}

/// The `source` cell of sorted, unique article ids: `a; b; c`, or the first
/// [`SOURCE_CELL_MAX`] and `and N more (event_sources.csv)`.
pub fn source_cell(sources: &[&str]) -> String {
    if sources.len() <= SOURCE_CELL_MAX {
        return sources.join("; ");
    }
    format!(
        "{}; and {} more (event_sources.csv)",
        sources[..SOURCE_CELL_MAX].join("; "),
        sources.len() - SOURCE_CELL_MAX
    )
}

/// The article ids a `source` cell names, and how many more it says there are.
pub fn parse_source_cell(cell: &str) -> (Vec<&str>, usize) {
    let mut names: Vec<&str> = cell.split("; ").filter(|s| !s.is_empty()).collect();
    let more = names
        .last()
        .and_then(|l| l.strip_prefix("and "))
        .and_then(|l| l.strip_suffix(" more (event_sources.csv)"))
        .and_then(|n| n.parse::<usize>().ok());
    if let Some(n) = more {
        names.pop();
        (names, n)
    } else {
        (names, 0)
    }
}

/// The rows of an event's reports, in the event's order (by article and offset).
pub fn rows_of(e: &Event) -> Vec<SourceRow> {
    e.reports
        .iter()
        .map(|r| SourceRow {
            event_id: e.id.clone(),
            source: r.article.clone(),
            report_id: Some(r.id.clone()),
            date_start: r.dates.map(|d| d.start.to_string()),
            date_end: r.dates.map(|d| d.end.to_string()),
            fatalities: r.fatalities.low.map(|_| r.fatalities.best as i64),
            fatalities_claimed: r.claimed.map(|c| c as i64),
            location_as_reported: Some(r.location.as_reported.clone()).filter(|s| !s.is_empty()),
        })
        .collect()
}

/// Writes the header of `event_sources.csv`.
pub fn write_header(w: &mut dyn Write) -> io::Result<()> {
    let mut cw = writer(w);
    cw.write_record(SOURCE_COLUMNS).map_err(io::Error::other)?;
    cw.flush()
}

/// Writes rows of `event_sources.csv` (no header).
pub fn write_rows(w: &mut dyn Write, rows: &[SourceRow]) -> io::Result<()> {
    let mut cw = writer(w);
    for r in rows {
        let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        cw.write_record([
            r.event_id.as_str(),
            &r.source,
            r.report_id.as_deref().unwrap_or(""),
            r.date_start.as_deref().unwrap_or(""),
            r.date_end.as_deref().unwrap_or(""),
            &n(r.fatalities),
            &n(r.fatalities_claimed),
            r.location_as_reported.as_deref().unwrap_or(""),
        ])
        .map_err(io::Error::other)?;
    }
    cw.flush()
}

/// Reads an `event_sources.csv` (columns by name; a byte-order mark is skipped).
pub fn read_sources(path: &Path) -> Result<Vec<SourceRow>, SourcesError> {
    let file = path.display().to_string();
    let err = |line: u64, message: String| SourcesError {
        file: file.clone(),
        line,
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| err(0, e.to_string()))?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let mut rd = csv::ReaderBuilder::new().from_reader(bytes);
    let header = rd.headers().map_err(|e| err(1, e.to_string()))?.clone();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(ev), Some(src)) = (col("event_id"), col("source")) else {
        return Err(err(
            1,
            "not a sources table: it needs the columns event_id and source".into(),
        ));
    };
    let others: Vec<Option<usize>> = SOURCE_COLUMNS[2..].iter().map(|c| col(c)).collect();
    let mut rows = Vec::new();
    for rec in rd.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            err(line, e.to_string())
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        let get = |k: Option<usize>| {
            k.and_then(|k| rec.get(k))
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let int = |k: Option<usize>, name: &str| -> Result<Option<i64>, SourcesError> {
            get(k)
                .map(|s| {
                    s.parse::<i64>()
                        .map_err(|_| err(line, format!("{name} {s:?} is not a whole number")))
                })
                .transpose()
        };
        let event_id = get(Some(ev)).ok_or_else(|| err(line, "no event_id".into()))?;
        let source = get(Some(src)).ok_or_else(|| err(line, "no source".into()))?;
        rows.push(SourceRow {
            event_id,
            source,
            report_id: get(others[0]),
            date_start: get(others[1]),
            date_end: get(others[2]),
            fatalities: int(others[3], "fatalities")?,
            fatalities_claimed: int(others[4], "fatalities_claimed")?,
            location_as_reported: get(others[5]),
        });
    }
    Ok(rows)
}

/// The rows a `source` cell stands for when no long table is at hand: one row per
/// article it names (an event's whole list when the cell is not capped).
pub fn rows_of_cell(event_id: &str, cell: &str) -> Vec<SourceRow> {
    parse_source_cell(cell)
        .0
        .into_iter()
        .map(|s| SourceRow {
            event_id: event_id.to_string(),
            source: s.to_string(),
            report_id: None,
            date_start: None,
            date_end: None,
            fatalities: None,
            fatalities_claimed: None,
            location_as_reported: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_is_capped_and_says_how_many_more() {
        let names: Vec<String> = (0..40_000).map(|i| format!("art-{i:05}.txt")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let cell = source_cell(&refs);
        assert!(cell.len() < 400, "{}", cell.len());
        assert!(cell.ends_with("; and 39980 more (event_sources.csv)"));
        let (named, more) = parse_source_cell(&cell);
        assert_eq!(named.len(), SOURCE_CELL_MAX);
        assert_eq!(more, 39_980);
        // a short list is as it was
        assert_eq!(source_cell(&["a.txt", "b.txt"]), "a.txt; b.txt");
        assert_eq!(
            parse_source_cell("a.txt; b.txt"),
            (vec!["a.txt", "b.txt"], 0)
        );
    }

    #[test]
    fn the_long_table_reads_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("event_sources.csv");
        let rows = vec![
            SourceRow {
                event_id: "CM1".into(),
                source: "a, \"quoted\".txt".into(),
                report_id: Some("R1".into()),
                date_start: Some("2019-08-31".into()),
                date_end: Some("2019-09-01".into()),
                fatalities: Some(10),
                fatalities_claimed: None,
                location_as_reported: Some("Pul-e-Chomri".into()),
            },
            SourceRow {
                event_id: "CM1".into(),
                source: "b.txt".into(),
                report_id: None,
                date_start: None,
                date_end: None,
                fatalities: None,
                fatalities_claimed: Some(40),
                location_as_reported: None,
            },
        ];
        let mut buf = Vec::new();
        write_header(&mut buf).unwrap();
        write_rows(&mut buf, &rows).unwrap();
        std::fs::write(&path, &buf).unwrap();
        assert_eq!(read_sources(&path).unwrap(), rows);
    }

    #[test]
    fn a_bad_count_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.csv");
        std::fs::write(
            &path,
            "event_id,source,fatalities\nCM1,a.txt,3\nCM1,b.txt,many\n",
        )
        .unwrap();
        let e = read_sources(&path).unwrap_err().to_string();
        assert!(e.contains("s.csv:3:") && e.contains("\"many\""), "{e}");
    }
}
