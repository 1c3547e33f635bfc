//! The analyst's brief of `clashmap run` (report.md): Markdown that reads on GitHub and
//! converts with pandoc to Word, HTML or PDF as it is. A pandoc title block (YAML
//! metadata), pipe tables whose separator dashes give pandoc the columns' relative
//! widths, short cells (sources as numbers into a numbered list of sources), and
//! bounded size however large the run: the deadliest [`EVENTS_SHOWN`] events, the
//! stated distances and the nearest [`DISTANCES_SHOWN`] others, each table saying
//! how many more there are and where they are.

use std::collections::HashMap;
use std::fmt::Write as _;

use clashmap::distance::format_km;
use clashmap::event::store::Merged;
use clashmap::event::{Event, PlaceStatus};
use clashmap::export::distances::Link;
use clashmap::export::record::Record;
use clashmap::geocode::Geocoder;
use clashmap::render::ATTRIBUTION;

/// At most this many events are listed (the deadliest).
pub const EVENTS_SHOWN: usize = 50;

/// Besides the stated distances, at most this many distances are listed.
pub const DISTANCES_SHOWN: usize = 20;

/// At most this many sources are named in an event's cell.
const SOURCES_PER_ROW: usize = 3;

/// At most this many unresolved places are listed.
const UNRESOLVED_SHOWN: usize = 50;

/// An event's row of the events table, made on a worker thread.
#[derive(Debug, Clone)]
pub struct Row {
    /// The event's position in the run's order (by date).
    index: usize,
    fatalities: u64,
    /// The cells, sources aside.
    cells: Vec<String>,
    /// The first few sources, and how many there are.
    sources: Vec<String>,
    source_count: usize,
}

/// The days of an event, as the brief writes them.
pub fn date_text(e: &Event) -> String {
    match e.dates {
        Some(d) if d.start == d.end => d.start.to_string(),
        Some(d) => format!("{} – {}", d.start, d.end),
        None => "unknown".into(),
    }
}

/// A table cell: no pipes, no line breaks.
fn cell(s: &str) -> String {
    s.replace('|', "/").replace(['\n', '\r'], " ")
}

/// An event type as a cell that wraps at its slashes (a zero-width space after each),
/// so that a narrow column never breaks "Explosions/Remote" inside a word.
fn wrapping(s: &str) -> String {
    s.replace('/', "/\u{200b}")
}

impl Row {
    /// The row of the `index`-th event.
    pub fn of(e: &Event, r: &Record, index: usize, districts: bool) -> Row {
        let text = |k: &str| cell(r.get(k).as_str().unwrap_or(""));
        let (a1, a2) = e.actors();
        let actors = match (a1, a2) {
            (Some(a), Some(b)) => format!("{a} vs {b}"),
            (Some(a), None) => a.to_string(),
            _ => String::new(),
        };
        let f = &e.fatalities;
        let mut range = match (f.low, f.high) {
            (None, _) => "none reported".to_string(),
            (Some(l), Some(h)) if l == h => format!("{}", f.best),
            (Some(l), Some(h)) => format!("{} ({l}–{h})", f.best),
            (Some(l), None) => format!("{} (at least {l})", f.best),
        };
        if let Some(c) = e.claimed {
            let _ = write!(range, "; {c} claimed");
        }
        // the place with its district (when boundaries are given) and province, in
        // one cell: fewer, wider columns keep words whole in Word's 12 pt tables
        let mut place = if e.location().status == PlaceStatus::Unresolved {
            format!("{} (not found)", text("location_as_reported"))
        } else {
            text("location")
        };
        let district = text("admin2");
        if districts && !district.is_empty() && district != place {
            let _ = write!(place, " ({district} district)");
        }
        let province = text("admin1");
        if !province.is_empty() && province != place {
            let _ = write!(place, ", {province}");
        }
        let mut cells = vec![date_text(e), place];
        cells.push(wrapping(&cell(&format!(
            "{} ({})",
            e.first().event_type,
            e.first().sub_event_type
        ))));
        cells.push(cell(&actors));
        cells.push(range);
        let sources = e.sources();
        Row {
            index,
            fatalities: f.best,
            cells,
            source_count: sources.len(),
            sources: sources
                .iter()
                .take(SOURCES_PER_ROW)
                .map(|s| s.to_string())
                .collect(),
        }
    }
}

/// The rows kept so far: the deadliest [`EVENTS_SHOWN`] (ties: the earlier first).
#[derive(Debug, Default)]
pub struct Rows {
    kept: Vec<Row>,
    /// Events seen.
    pub total: usize,
}

impl Rows {
    /// Adds rows, keeping the deadliest.
    pub fn add(&mut self, rows: Vec<Row>) {
        self.total += rows.len();
        self.kept.extend(rows);
        if self.kept.len() > 2 * EVENTS_SHOWN {
            self.trim();
        }
    }

    fn trim(&mut self) {
        self.kept
            .sort_by(|a, b| b.fatalities.cmp(&a.fatalities).then(a.index.cmp(&b.index)));
        self.kept.truncate(EVENTS_SHOWN);
    }
}

/// What the head of the brief says.
pub struct Head<'a> {
    pub merged: &'a Merged,
    pub articles: usize,
    pub read: usize,
    pub skipped: usize,
}

/// Writes the whole brief.
pub fn write(
    s: &mut String,
    head: &Head<'_>,
    mut rows: Rows,
    links: &[Link],
    unresolved: &[String],
    g: &Geocoder,
    districts: bool,
) {
    let merged = head.merged;
    let start = merged
        .entries
        .iter()
        .filter_map(|e| e.dates)
        .map(|d| d.start)
        .min();
    let end = merged
        .entries
        .iter()
        .filter_map(|e| e.dates)
        .map(|d| d.end)
        .max();
    let period = match (start, end) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "dates unknown".into(),
    };
    // the pandoc title block (YAML metadata): title, subtitle, language
    let _ = writeln!(s, "---");
    let _ = writeln!(
        s,
        "title: \"Armed clashes and violence, {period}\"\nsubtitle: \"{} events from {} articles, extracted by clashmap {}\"\nlang: en\n---\n",
        merged.len(),
        head.articles,
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(
        s,
        "{} events from {} articles ({} read, {} skipped). The data: `events.csv`, `events.geojson` and `events.gpkg` (every event), `event_sources.csv` (every report of every event), `distances.geojson`.\n",
        merged.len(),
        head.articles,
        head.read,
        head.skipped,
    );
    let _ = writeln!(s, "![Map of the events](map.png)\n");
    events_table(s, &mut rows, districts);
    let _ = writeln!(s, "![Events over time](timeline.svg)\n");
    distances_table(s, merged, links, g);
    let _ = writeln!(s, "## Unresolved places\n");
    if unresolved.is_empty() {
        let _ = writeln!(s, "None: every event was placed.\n");
    } else {
        let _ = writeln!(
            s,
            "These events are in `events.geojson` with no geometry and in `events.csv` without coordinates:\n"
        );
        for u in unresolved.iter().take(UNRESOLVED_SHOWN) {
            let _ = writeln!(s, "{u}");
        }
        if unresolved.len() > UNRESOLVED_SHOWN {
            let _ = writeln!(
                s,
                "- and {} more (`geocode_status` unresolved in events.csv)",
                unresolved.len() - UNRESOLVED_SHOWN
            );
        }
        let _ = writeln!(s);
    }
    let _ = writeln!(s, "## How to read this\n");
    let _ = writeln!(
        s,
        "- Dates are the days the articles allow; a range means the exact day is not known (precision in `time_precision`: 1 day, 2 week, 3 month)."
    );
    let _ = writeln!(
        s,
        "- Fatalities are the most conservative figure reported; the range gives the lowest and highest counts across sources. Counts claimed only by a party to the fight are listed apart."
    );
    let _ = writeln!(
        s,
        "- Distances are geodesics on the WGS84 ellipsoid between the events' places, cut to 0.1 km.\n"
    );
    let _ = writeln!(s, "{ATTRIBUTION}.");
}

/// The events table (capped), then the numbered sources its rows cite.
fn events_table(s: &mut String, rows: &mut Rows, districts: bool) {
    let _ = writeln!(s, "## Events\n");
    rows.trim();
    let mut kept = std::mem::take(&mut rows.kept);
    kept.sort_by_key(|r| r.index);
    if rows.total > kept.len() {
        let _ = writeln!(
            s,
            "The {} deadliest of {} events, by date; the other {} are in `events.csv`, `events.geojson` and `events.gpkg`.\n",
            kept.len(),
            rows.total,
            rows.total - kept.len()
        );
    }
    if kept.is_empty() {
        let _ = writeln!(s, "No events.\n");
        return;
    }
    // the separator's dashes give pandoc the relative widths of a wide table (in %):
    // each column as wide as its longest unbreakable word needs in Word's default
    // 12 pt table text ("disappearance)" in Type, "Unidentified" in Actors)
    let place = if districts {
        "Place (district), province"
    } else {
        "Place, province"
    };
    let columns: [(&str, usize); 6] = [
        ("Date", 15),
        (place, 15),
        ("Type", 25),
        ("Actors", 21),
        ("Fatalities", 15),
        ("Sources", 9),
    ];
    let _ = writeln!(
        s,
        "| {} |",
        columns.iter().map(|c| c.0).collect::<Vec<_>>().join(" | ")
    );
    let _ = writeln!(
        s,
        "|{}|",
        columns
            .iter()
            .map(|c| "-".repeat(c.1))
            .collect::<Vec<_>>()
            .join("|")
    );
    // sources are numbered in the order the table first cites them
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut cited: Vec<(String, Vec<usize>)> = Vec::new();
    for (n, row) in kept.iter().enumerate() {
        let mut refs: Vec<String> = Vec::new();
        for src in &row.sources {
            let k = *numbers.entry(src.clone()).or_insert_with(|| {
                cited.push((src.clone(), Vec::new()));
                cited.len()
            });
            cited[k - 1].1.push(n + 1);
            refs.push(format!("[{k}]"));
        }
        let mut sources = refs.join(" ");
        if row.source_count > row.sources.len() {
            let _ = write!(sources, " +{}", row.source_count - row.sources.len());
        }
        let _ = writeln!(s, "| {} | {} |", row.cells.join(" | "), sources);
    }
    let _ = writeln!(s, "\n## Sources\n");
    for (k, (src, rows)) in cited.iter().enumerate() {
        let list: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
        let _ = writeln!(
            s,
            "{}. {} (row{} {})",
            k + 1,
            cell(src),
            if rows.len() > 1 { "s" } else { "" },
            list.join(", ")
        );
    }
    let more: usize = kept.iter().map(|r| r.source_count - r.sources.len()).sum();
    if more > 0 {
        let _ = writeln!(
            s,
            "\nRows name their first {SOURCES_PER_ROW} sources; `event_sources.csv` lists all of them."
        );
    }
    let _ = writeln!(s);
}

/// The distances table: every stated distance, and the nearest others (same-day
/// pairs first).
fn distances_table(s: &mut String, merged: &Merged, links: &[Link], g: &Geocoder) {
    let _ = writeln!(s, "## Distances\n");
    if links.is_empty() {
        let _ = writeln!(
            s,
            "No related events (none within 300 km on the same or adjacent days, and no distance stated).\n"
        );
        return;
    }
    let same_day = |l: &Link| {
        let (a, b) = (merged.entries[l.from].dates, merged.entries[l.to].dates);
        matches!((a, b), (Some(a), Some(b)) if a.start == a.end && a == b)
    };
    let mut shown: Vec<&Link> = links.iter().filter(|l| l.reported.is_some()).collect();
    let mut others: Vec<&Link> = links.iter().filter(|l| l.reported.is_none()).collect();
    others.sort_by(|a, b| {
        (!same_day(a))
            .cmp(&!same_day(b))
            .then(a.km.total_cmp(&b.km))
    });
    shown.extend(others.into_iter().take(DISTANCES_SHOWN));
    if shown.len() < links.len() {
        let _ = writeln!(
            s,
            "Every distance an article states, and the {} nearest pairs of related events (same-day pairs first); all {} pairs are in `distances.geojson`.\n",
            shown.len() - links.iter().filter(|l| l.reported.is_some()).count(),
            links.len()
        );
    }
    let _ = writeln!(s, "| From | To | Geodesic (WGS84) | Reported |");
    let _ = writeln!(
        s,
        "|--------------|--------------|--------|-------------------------|"
    );
    let name = |i: usize| {
        merged.entries[i]
            .place
            .map(|p| g.place(p as usize).name.as_str())
            .unwrap_or_default()
    };
    for l in shown {
        let reported = match &l.reported {
            Some(r) => format!(
                "{}{} km (\"{}\", {})",
                if r.approximate { "~" } else { "" },
                r.km,
                cell(&r.text),
                cell(&r.article)
            ),
            None => "-".into(),
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} km | {} |",
            name(l.from),
            name(l.to),
            format_km(l.km),
            reported
        );
    }
    let _ = writeln!(s);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(index: usize, fatalities: u64) -> Row {
        Row {
            index,
            fatalities,
            cells: vec![format!("r{index}")],
            sources: vec![],
            source_count: 0,
        }
    }

    #[test]
    fn the_deadliest_rows_are_kept_in_date_order() {
        let mut rows = Rows::default();
        for chunk in (0..500).collect::<Vec<usize>>().chunks(37) {
            rows.add(chunk.iter().map(|&i| row(i, (i % 97) as u64)).collect());
        }
        let mut s = String::new();
        events_table(&mut s, &mut rows, false);
        assert!(s.contains(&format!("The {EVENTS_SHOWN} deadliest of 500 events")));
        let listed: Vec<&str> = s.lines().filter(|l| l.starts_with("| r")).collect();
        assert_eq!(listed.len(), EVENTS_SHOWN);
        // 96 dead: rows 96, 193, 290, 387, 484 are all in, in order
        let at = |r: &str| {
            listed
                .iter()
                .position(|l| l.starts_with(&format!("| {r} |")))
        };
        assert!(at("r96").unwrap() < at("r484").unwrap());
        assert!(at("r0").is_none());
    }

    #[test]
    fn type_cells_wrap_at_slashes_only() {
        assert_eq!(
            wrapping("Explosions/Remote violence"),
            "Explosions/\u{200b}Remote violence"
        );
    }
}
