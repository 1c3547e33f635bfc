//! The event model: one article's [`Report`] of an event, and the [`Event`] that
//! merges every report of the same real-world event.
//!
//! Reports merge when they have the same event type, places that are the same or
//! within 10 km, and overlapping date ranges. The merged event keeps every source;
//! its date range is what all sources allow together (their intersection, or, when
//! they disagree, the span of them); its fatalities are the conservative figure (the
//! lowest reported), with the lowest and highest reported counts as its range. Ids
//! are hashes of the inputs, so the same input gives the same ids on every machine.

use crate::date::DayRange;
use crate::distance::geodesic_km;
use crate::geocode::{Geocoder, MatchKind};

/// How many died, as reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fatalities {
    /// The lowest credible figure; `None` when no count was reported.
    pub low: Option<u64>,
    /// The figure reported (ACLED's fatalities); 0 when none.
    pub best: u64,
    /// The highest figure; `None` when no upper bound is stated.
    pub high: Option<u64>,
}

impl Fatalities {
    /// Whether any count was reported.
    pub fn reported(&self) -> bool {
        self.low.is_some()
    }
}

/// Whether and how an event's place was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceStatus {
    /// Found, one reading.
    Resolved,
    /// Found; other places fit the name too.
    Ambiguous,
    /// Not in the gazetteer: the event is kept, with no geometry.
    Unresolved,
}

impl PlaceStatus {
    /// The schema's `geocode_status` value.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceStatus::Resolved => "resolved",
            PlaceStatus::Ambiguous => "ambiguous",
            PlaceStatus::Unresolved => "unresolved",
        }
    }
}

/// Where an event happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    /// The gazetteer place (index into the geocoder's gazetteer), when found.
    pub place: Option<usize>,
    /// The name as the article wrote it.
    pub as_reported: String,
    /// Resolved, ambiguous or unresolved.
    pub status: PlaceStatus,
    /// How the name matched, when found.
    pub match_kind: Option<MatchKind>,
    /// ACLED geo-precision: 1 town, 2 near a town or a district, 3 province.
    pub geo_precision: u8,
}

/// One article's report of one event.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Stable id of this report.
    pub id: String,
    /// The article's id.
    pub article: String,
    /// The article's language.
    pub language: String,
    /// Where.
    pub location: Location,
    /// ACLED event type.
    pub event_type: String,
    /// ACLED sub-event type.
    pub sub_event_type: String,
    /// The side that acted, normalised.
    pub actor1: Option<String>,
    /// The other side, normalised.
    pub actor2: Option<String>,
    /// The days the report allows, when any date is known.
    pub dates: Option<DayRange>,
    /// Deaths reported.
    pub fatalities: Fatalities,
    /// Deaths only claimed by a party to the fight.
    pub claimed: Option<u64>,
    /// The sentences that report the event, as quoted.
    pub evidence: Vec<String>,
    /// Byte offset of the first evidence sentence in the article (for ordering).
    pub offset: usize,
}

/// A distance an article states between two places ("De twee steden liggen zo'n
/// honderd kilometer bij elkaar vandaan").
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedDistance {
    /// The article that states it.
    pub article: String,
    /// One place (gazetteer index).
    pub from: usize,
    /// The other place.
    pub to: usize,
    /// The distance stated, in km.
    pub km: f64,
    /// Stated as approximate ("zo'n", "about").
    pub approximate: bool,
    /// The words as written.
    pub text: String,
}

/// An event: one or more reports of the same real-world event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Stable id.
    pub id: String,
    /// The reports, sorted by article id and offset.
    pub reports: Vec<Report>,
    /// The report whose place is the most precise (index into `reports`).
    pub place_report: usize,
    /// The days all reports allow together.
    pub dates: Option<DayRange>,
    /// The merged fatalities.
    pub fatalities: Fatalities,
    /// The highest claimed count.
    pub claimed: Option<u64>,
}

impl Event {
    /// The event's location (that of its most precise report).
    pub fn location(&self) -> &Location {
        &self.reports[self.place_report].location
    }

    /// The first report (by article id).
    pub fn first(&self) -> &Report {
        &self.reports[0]
    }

    /// Source article ids, sorted, unique.
    pub fn sources(&self) -> Vec<&str> {
        let mut s: Vec<&str> = self.reports.iter().map(|r| r.article.as_str()).collect();
        s.sort();
        s.dedup();
        s
    }

    /// actor1 and actor2: the first report that names them.
    pub fn actors(&self) -> (Option<&str>, Option<&str>) {
        let a1 = self.reports.iter().find_map(|r| r.actor1.as_deref());
        let a2 = self.reports.iter().find_map(|r| r.actor2.as_deref());
        (a1, a2)
    }
}

/// FNV-1a 64: a stable hash for ids (the same on every machine and run).
pub fn stable_hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn same_place(a: &Location, b: &Location, g: &Geocoder) -> bool {
    match (a.place, b.place) {
        (Some(x), Some(y)) => {
            if x == y {
                return true;
            }
            let (p, q) = (g.place(x), g.place(y));
            geodesic_km((p.lat, p.lon), (q.lat, q.lon)) <= 10.0
        }
        (None, None) => {
            crate::normalize::fold(&a.as_reported) == crate::normalize::fold(&b.as_reported)
        }
        _ => false,
    }
}

fn mergeable(a: &Report, b: &Report, g: &Geocoder) -> bool {
    a.event_type == b.event_type
        && match (a.dates, b.dates) {
            (Some(x), Some(y)) => x.overlaps(y),
            (None, None) => true,
            _ => false,
        }
        && same_place(&a.location, &b.location, g)
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Groups reports into events: reports of the same event (same type, same place or
/// within 10 km, overlapping dates) become one event; with `merge` false, every
/// report is its own event. Events come sorted by date, then id.
pub fn merge(mut reports: Vec<Report>, geocoder: &Geocoder, merge: bool) -> Vec<Event> {
    reports.sort_by(|a, b| {
        (a.article.as_str(), a.offset, &a.id).cmp(&(b.article.as_str(), b.offset, &b.id))
    });
    let n = reports.len();
    let mut parent: Vec<usize> = (0..n).collect();
    if merge {
        for i in 0..n {
            for j in i + 1..n {
                // reports of one article were already merged by the extractor
                if reports[i].article != reports[j].article
                    && mergeable(&reports[i], &reports[j], geocoder)
                {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    if a != b {
                        parent[b.max(a)] = a.min(b);
                    }
                }
            }
        }
    }
    let mut groups: Vec<Vec<Report>> = Vec::new();
    let mut group_of: Vec<Option<usize>> = vec![None; n];
    for (i, r) in reports.into_iter().enumerate() {
        let root = find(&mut parent, i);
        let g = *group_of[root].get_or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(r);
    }
    let mut events: Vec<Event> = groups.into_iter().map(build_event).collect();
    events.sort_by(|a, b| {
        let da = a.dates.map(|d| d.start);
        let db = b.dates.map(|d| d.start);
        (da.is_none(), da, &a.id).cmp(&(db.is_none(), db, &b.id))
    });
    events
}

fn build_event(reports: Vec<Report>) -> Event {
    let mut ids: Vec<&str> = reports.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    let id = format!("CM{:016x}", stable_hash(&ids.join(";")));
    let place_report = (0..reports.len())
        .min_by_key(|&i| {
            let l = &reports[i].location;
            (l.place.is_none(), l.geo_precision, i)
        })
        .unwrap_or(0);
    let ranges: Vec<DayRange> = reports.iter().filter_map(|r| r.dates).collect();
    let dates = ranges
        .iter()
        .copied()
        .reduce(|a, b| a.intersect(b).unwrap_or(a.union(b)));
    let dates = match dates {
        Some(d) if ranges.iter().all(|r| r.overlaps(d)) => Some(d),
        _ => ranges.iter().copied().reduce(DayRange::union),
    };
    let reported: Vec<&Fatalities> = reports
        .iter()
        .map(|r| &r.fatalities)
        .filter(|f| f.reported())
        .collect();
    let fatalities = if reported.is_empty() {
        Fatalities::default()
    } else {
        Fatalities {
            low: reported.iter().filter_map(|f| f.low).min(),
            best: reported.iter().map(|f| f.best).min().unwrap_or(0),
            high: if reported.len() == 1 {
                reported[0].high
            } else {
                reported.iter().map(|f| f.high.unwrap_or(f.best)).max()
            },
        }
    };
    let claimed = reports.iter().filter_map(|r| r.claimed).max();
    Event {
        id,
        reports,
        place_report,
        dates,
        fatalities,
        claimed,
    }
}
