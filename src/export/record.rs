//! The flat record every format writes and reads back: an event as an id, a point
//! (or none) and typed scalar properties named by the event schema.
//!
//! Events become records ([`Record::from_event`]); GeoJSON features and CSV rows become
//! records again when read back (`export::read`), so that `convert` is a read and a
//! write, and GeoJSON -> CSV -> GeoJSON gives the same bytes.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::event::Event;
use crate::geocode::Geocoder;

/// A property value: a string, a whole number, or null.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// Text (never empty: an empty string is written as null).
    Str(String),
    /// A whole number.
    Int(i64),
    /// No value.
    Null,
}

impl Field {
    /// A string field; empty becomes null.
    pub fn text(s: impl Into<String>) -> Field {
        let s = s.into();
        if s.is_empty() {
            Field::Null
        } else {
            Field::Str(s)
        }
    }

    /// An optional string.
    pub fn opt(s: Option<&str>) -> Field {
        s.map(Field::text).unwrap_or(Field::Null)
    }

    /// An optional number.
    pub fn int(n: Option<i64>) -> Field {
        n.map(Field::Int).unwrap_or(Field::Null)
    }

    /// The text of the field, if it is text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Field::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The number of the field, if it is one.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Field::Int(i) => Some(*i),
            _ => None,
        }
    }
}

/// The CSV columns, in the schema's order (ACLED's names where ACLED has the field).
pub const CSV_COLUMNS: [&str; 28] = [
    "event_id",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_count",
    "notes",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "fatalities_claimed",
    "date_start",
    "date_end",
    "location_as_reported",
    "geonameid",
    "geocode_status",
    "language",
];

/// The properties that are whole numbers.
pub const INTEGER_PROPERTIES: [&str; 9] = [
    "year",
    "time_precision",
    "geo_precision",
    "source_count",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "fatalities_claimed",
    "geonameid",
];

/// One event, flat.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The event id (`properties.event_id`).
    pub id: String,
    /// `(longitude, latitude)`, rounded to 6 decimals; `None` when unresolved.
    pub point: Option<(f64, f64)>,
    /// Properties by name (sorted); the schema's names are borrowed, not copied.
    pub props: BTreeMap<Cow<'static, str>, Field>,
}

/// The most bytes the `notes` cell of a merged event holds (Excel keeps 32,767
/// characters of a cell).
pub const NOTES_CELL_MAX: usize = 30_000;

/// The `notes` cell: the evidence of the event's reports, joined with ` | `. A merged
/// event's cell holds the evidence of its first [`super::sources::SOURCE_CELL_MAX`]
/// reports and at most [`NOTES_CELL_MAX`] bytes, and says what it left out (every
/// report is in the long table of sources); one report's evidence is kept whole.
fn notes_cell(e: &Event) -> String {
    use super::sources::SOURCE_CELL_MAX;
    let mut notes = e
        .reports
        .iter()
        .take(if e.reports.len() > 1 {
            SOURCE_CELL_MAX
        } else {
            1
        })
        .flat_map(|r| r.evidence.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" | ");
    if e.reports.len() > 1 && notes.len() > NOTES_CELL_MAX {
        let mut cut = NOTES_CELL_MAX;
        while !notes.is_char_boundary(cut) {
            cut -= 1;
        }
        notes.truncate(cut);
        notes.push('…');
    }
    if e.reports.len() > SOURCE_CELL_MAX {
        use std::fmt::Write as _;
        let _ = write!(
            notes,
            " | and the evidence of {} more reports (event_sources.csv)",
            e.reports.len() - SOURCE_CELL_MAX
        );
    }
    notes
}

/// Rounds a coordinate to the 6 decimals every format writes (about 0.1 m).
pub fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

impl Record {
    /// The record of an event.
    pub fn from_event(e: &Event, g: &Geocoder) -> Record {
        let loc = e.location();
        let place = loc.place.map(|i| g.place(i));
        let first = e.first();
        let (a1, a2) = e.actors();
        let notes = notes_cell(e);
        let date = e.dates;
        let start = date.map(|d| d.start.to_string());
        let sources = e.sources();
        // collected in the keys' order, then built at once (the bulk build's sort is
        // then one pass, and beats 30 inserts)
        let mut props: Vec<(Cow<'static, str>, Field)> = Vec::with_capacity(CSV_COLUMNS.len() + 4);
        let mut put = |k: &'static str, v: Field| {
            props.push((Cow::Borrowed(k), v));
        };
        put("actor1", Field::opt(a1));
        put("actor2", Field::opt(a2));
        // with district polygons, the district (and its province) is the polygon the
        // event's point lies in, whatever the gazetteer row says
        let unit = loc.place.and_then(|i| g.admin_unit_of_place(i));
        let admin1 = unit
            .and_then(|u| u.province)
            .map(|i| g.place(i).name.as_str())
            .or(place.map(|p| p.admin1_name.as_str()));
        let admin2 = unit
            .map(|u| u.name.as_str())
            .or(place.map(|p| p.admin2_name.as_str()));
        put("admin1", Field::opt(admin1));
        put("admin2", Field::opt(admin2));
        put(
            "country",
            Field::opt(place.map(|p| g.gazetteer().country_name(&p.country_code))),
        );
        put(
            "date_end",
            Field::opt(date.map(|d| d.end.to_string()).as_deref()),
        );
        put("date_start", Field::opt(start.as_deref()));
        put("event_date", Field::opt(start.as_deref()));
        put("event_id", Field::text(e.id.clone()));
        put("event_type", Field::text(first.event_type.clone()));
        put("fatalities", Field::Int(e.fatalities.best as i64));
        put(
            "fatalities_claimed",
            Field::int(e.claimed.map(|v| v as i64)),
        );
        put(
            "fatalities_high",
            Field::int(e.fatalities.high.map(|v| v as i64)),
        );
        put(
            "fatalities_low",
            Field::int(e.fatalities.low.map(|v| v as i64)),
        );
        put("geo_precision", Field::Int(i64::from(loc.geo_precision)));
        put("geocode_status", Field::text(loc.status.as_str()));
        put(
            "geonameid",
            Field::int(place.and_then(|p| (p.geonameid != 0).then_some(p.geonameid as i64))),
        );
        put("language", Field::text(first.language.clone()));
        put(
            "location",
            Field::text(
                place
                    .map(|p| p.name.clone())
                    .unwrap_or_else(|| loc.as_reported.clone()),
            ),
        );
        put("location_as_reported", Field::text(loc.as_reported.clone()));
        put("notes", Field::text(notes));
        put("source", Field::text(super::sources::source_cell(&sources)));
        put("source_count", Field::Int(sources.len() as i64));
        put("sub_event_type", Field::text(first.sub_event_type.clone()));
        put(
            "time_precision",
            Field::int(date.map(|d| i64::from(d.precision()))),
        );
        put("year", Field::int(date.map(|d| i64::from(d.start.year()))));
        debug_assert!(props.is_sorted_by(|a, b| a.0 < b.0), "keys out of order");
        Record {
            id: e.id.clone(),
            point: place.map(|p| (round6(p.lon), round6(p.lat))),
            props: props.into_iter().collect(),
        }
    }

    /// The record of one article's report (an unmerged event): the event's record plus
    /// `report_id` and `report_offset` (the byte offset of its first evidence sentence),
    /// which `clashmap merge` needs to merge reports later as `extract` would, and
    /// `merge_group`: reports of different groups never merge, so a corpus's reports
    /// can be merged group by group (on many machines) with the result of one merge.
    pub fn from_report(e: &Event, g: &Geocoder) -> Record {
        let mut r = Record::from_event(e, g);
        if let [report] = e.reports.as_slice() {
            r.props
                .insert("report_id".into(), Field::text(report.id.clone()));
            r.props
                .insert("report_offset".into(), Field::Int(report.offset as i64));
            r.props.insert(
                "merge_group".into(),
                Field::text(crate::event::merge_group(report, g)),
            );
        }
        r
    }

    /// The report an unmerged record ([`Record::from_report`]) was made from, with its
    /// place found again in `g` (by GeoNames id, else by name and point). The error
    /// names the property that is missing or wrong.
    pub fn to_report(&self, g: &Geocoder) -> Result<crate::event::Report, String> {
        use crate::date::{Date, DayRange};
        use crate::event::{Fatalities, Location, PlaceStatus, Report};
        let text = |k: &str| self.get(k).as_str().map(str::to_string);
        let need = |k: &str| text(k).ok_or_else(|| format!("no {k}"));
        let int = |k: &str| self.get(k).as_int();
        let count = |k: &str| -> Result<Option<u64>, String> {
            int(k)
                .map(|v| u64::try_from(v).map_err(|_| format!("{k} is negative")))
                .transpose()
        };
        let id = need("report_id").map_err(|_| {
            "no report_id: not a report of `clashmap extract --no-merge`".to_string()
        })?;
        let offset = int("report_offset")
            .and_then(|v| usize::try_from(v).ok())
            .ok_or("no report_offset")?;
        let status = match text("geocode_status").as_deref() {
            Some("resolved") => PlaceStatus::Resolved,
            Some("ambiguous") => PlaceStatus::Ambiguous,
            Some("unresolved") | None => PlaceStatus::Unresolved,
            Some(other) => {
                return Err(format!(
                    "geocode_status {other:?} is not one of the schema's"
                ));
            }
        };
        let place = match (status, self.point) {
            (PlaceStatus::Unresolved, _) => None,
            (_, None) => return Err("a resolved place without a point".into()),
            (_, Some((lon, lat))) => {
                let name = text("location").unwrap_or_default();
                let by_id = int("geonameid").and_then(|id| g.index_of_geonameid(id));
                let found = by_id.or_else(|| {
                    (0..g.gazetteer().places().len()).find(|&i| {
                        let p = g.place(i);
                        p.name == name && round6(p.lon) == lon && round6(p.lat) == lat
                    })
                });
                Some(found.ok_or_else(|| {
                    format!("the place {name:?} ({lat}, {lon}) is not in the gazetteer")
                })?)
            }
        };
        let date = |k: &str| -> Result<Option<Date>, String> {
            text(k)
                .map(|s| Date::parse(&s).ok_or_else(|| format!("{k} {s:?} is not a date")))
                .transpose()
        };
        let dates = match (date("date_start")?, date("date_end")?) {
            (Some(a), Some(b)) if a <= b => Some(DayRange::new(a, b)),
            (None, None) => None,
            _ => return Err("date_start and date_end do not make a range".into()),
        };
        Ok(Report {
            id,
            article: need("source")?,
            language: text("language").unwrap_or_default(),
            location: Location {
                place,
                as_reported: text("location_as_reported").unwrap_or_default(),
                status,
                match_kind: None,
                geo_precision: int("geo_precision")
                    .and_then(|v| u8::try_from(v).ok())
                    .unwrap_or(3),
            },
            event_type: need("event_type")?,
            sub_event_type: text("sub_event_type").unwrap_or_default(),
            actor1: text("actor1"),
            actor2: text("actor2"),
            dates,
            fatalities: Fatalities {
                low: count("fatalities_low")?,
                best: count("fatalities")?.unwrap_or(0),
                high: count("fatalities_high")?,
            },
            claimed: count("fatalities_claimed")?,
            // the notes of one report are its evidence joined as every record joins it
            evidence: text("notes").into_iter().collect(),
            offset,
        })
    }

    /// The days the record allows: from `date_start` (else `event_date`) to `date_end`
    /// (else that first day); none when it has no first day.
    pub fn day_range(&self) -> Option<crate::date::DayRange> {
        use crate::date::{Date, DayRange};
        let day = |k: &str| self.get(k).as_str().and_then(Date::parse);
        let start = day("date_start").or_else(|| day("event_date"))?;
        Some(DayRange::new(start, day("date_end").unwrap_or(start)))
    }

    /// A property, or null.
    pub fn get(&self, key: &str) -> &Field {
        self.props.get(key).unwrap_or(&Field::Null)
    }
}

/// Which events a map shows (`--from`, `--to`, `--type`, `--admin1`): every condition
/// given must hold; an empty filter keeps everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordFilter {
    /// Events whose days reach this day or later (an undated event is left out).
    pub from: Option<crate::date::Date>,
    /// Events whose days begin on this day or earlier (an undated event is left out).
    pub to: Option<crate::date::Date>,
    /// Event types or sub-event types, any of them (case does not matter).
    pub types: Vec<String>,
    /// Provinces (admin1), any of them (case and accents do not matter).
    pub admin1: Vec<String>,
}

impl RecordFilter {
    /// Whether the filter keeps everything.
    pub fn is_empty(&self) -> bool {
        self.from.is_none() && self.to.is_none() && self.types.is_empty() && self.admin1.is_empty()
    }

    /// Whether a record passes.
    pub fn keeps(&self, r: &Record) -> bool {
        let days = r.day_range();
        if let Some(from) = self.from
            && days.is_none_or(|d| d.end < from)
        {
            return false;
        }
        if let Some(to) = self.to
            && days.is_none_or(|d| d.start > to)
        {
            return false;
        }
        if !self.types.is_empty() {
            let of = |k: &str| r.get(k).as_str().unwrap_or("").to_lowercase();
            let (t, sub) = (of("event_type"), of("sub_event_type"));
            if !self
                .types
                .iter()
                .any(|w| w.to_lowercase() == t || w.to_lowercase() == sub)
            {
                return false;
            }
        }
        if !self.admin1.is_empty() {
            let a = crate::normalize::fold(r.get("admin1").as_str().unwrap_or(""));
            if !self.admin1.iter().any(|w| crate::normalize::fold(w) == a) {
                return false;
            }
        }
        true
    }

    /// The filter in words, for a map's subtitle: `Battles · Kunduz · from 2019-01-01`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if !self.types.is_empty() {
            parts.push(self.types.join(", "));
        }
        if !self.admin1.is_empty() {
            parts.push(self.admin1.join(", "));
        }
        match (self.from, self.to) {
            (Some(a), Some(b)) => parts.push(format!("{a} to {b}")),
            (Some(a), None) => parts.push(format!("from {a}")),
            (None, Some(b)) => parts.push(format!("until {b}")),
            (None, None) => {}
        }
        parts.join(" · ")
    }
}

#[cfg(test)]
mod filter_tests {
    use super::*;

    fn rec(start: &str, end: &str, ty: &str, admin1: &str) -> Record {
        let mut props = BTreeMap::new();
        props.insert(Cow::Borrowed("date_start"), Field::text(start));
        props.insert(Cow::Borrowed("date_end"), Field::text(end));
        props.insert(Cow::Borrowed("event_type"), Field::text(ty));
        props.insert(Cow::Borrowed("sub_event_type"), Field::text("Armed clash"));
        props.insert(Cow::Borrowed("admin1"), Field::text(admin1));
        Record {
            id: "E".into(),
            point: None,
            props,
        }
    }

    #[test]
    fn a_filter_keeps_what_matches_every_condition() {
        let d = |s: &str| crate::date::Date::parse(s);
        let r = rec("2019-08-31", "2019-09-01", "Battles", "Kondoz");
        assert!(RecordFilter::default().keeps(&r));
        let f = |from: &str, to: &str, types: &[&str], admin1: &[&str]| RecordFilter {
            from: d(from),
            to: d(to),
            types: types.iter().map(|s| s.to_string()).collect(),
            admin1: admin1.iter().map(|s| s.to_string()).collect(),
        };
        // days overlapping the window count
        assert!(f("2019-09-01", "", &[], &[]).keeps(&r));
        assert!(!f("2019-09-02", "", &[], &[]).keeps(&r));
        assert!(f("", "2019-08-31", &[], &[]).keeps(&r));
        assert!(!f("", "2019-08-30", &[], &[]).keeps(&r));
        assert!(f("", "", &["battles"], &[]).keeps(&r));
        assert!(f("", "", &["armed clash"], &[]).keeps(&r));
        assert!(!f("", "", &["Protests"], &[]).keeps(&r));
        assert!(f("", "", &[], &["KONDOZ", "Kabul"]).keeps(&r));
        assert!(!f("", "", &[], &["Kabul"]).keeps(&r));
        // undated events are left out of a date window
        assert!(!f("2019-01-01", "", &[], &[]).keeps(&rec("", "", "Battles", "Kabul")));
        assert_eq!(
            f("2019-01-01", "", &["Battles"], &["Kunduz"]).describe(),
            "Battles · Kunduz · from 2019-01-01"
        );
    }
}
