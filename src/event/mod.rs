//! The event model: one article's [`Report`] of an event, and the [`Event`] that
//! merges every report of the same real-world event.
//!
//! Reports merge when they have the same event type, places that are the same or
//! within 10 km, and overlapping date ranges. The merged event keeps every source;
//! its date range is what all sources allow together (their intersection, or, when
//! they disagree, the span of them); its fatalities are the conservative figure (the
//! lowest reported), with the lowest and highest reported counts as its range. Ids
//! are hashes of the inputs, so the same input gives the same ids on every machine.
//!
//! [`merge`] merges in memory; [`store`] does the same merge at scale, through
//! temporary files of reports in the binary form of [`codec`].

pub mod codec;
pub mod store;

use rustc_hash::FxHashMap as HashMap;

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

/// The id of the event whose id number (a hash of its reports' ids) is `n`.
pub fn event_id(n: u64) -> String {
    let mut id = String::with_capacity(18);
    id.push_str("CM");
    push_hex16(&mut id, n);
    id
}

/// Appends `n` as 16 lowercase hex digits (`format!("{n:016x}")`, without the
/// formatting machinery: ids are made for every report).
pub fn push_hex16(out: &mut String, n: u64) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut digits = [0u8; 16];
    for (k, d) in digits.iter_mut().enumerate() {
        *d = HEX[((n >> (60 - 4 * k)) & 0xf) as usize];
    }
    out.push_str(std::str::from_utf8(&digits).unwrap_or_default());
}

/// The decimal digits of `n`, written at the end of `buf` (returned: the slice).
pub fn decimal_digits(buf: &mut [u8; 20], n: u64) -> &[u8] {
    let mut k = buf.len();
    let mut m = n;
    loop {
        k -= 1;
        buf[k] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    &buf[k..]
}

/// Appends `n` in decimal (`n.to_string()`, without the formatting machinery).
pub fn push_decimal(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    out.push_str(std::str::from_utf8(decimal_digits(&mut buf, n)).unwrap_or_default());
}

/// Appends the whole number `n` in decimal, with its sign (`n.to_string()`, without
/// the formatting machinery: every format writes the properties' numbers).
pub fn push_integer(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_decimal(out, n.unsigned_abs());
}

/// FNV-1a 64: a stable hash for ids (the same on every machine and run).
pub fn stable_hash(s: &str) -> u64 {
    stable_hash_parts(&[s.as_bytes()])
}

/// [`stable_hash`] of the parts joined by U+001F (the unit separator), without
/// joining them.
pub fn stable_hash_parts(parts: &[&[u8]]) -> u64 {
    let mut h = StableHasher::default();
    for part in parts {
        h.part(part);
    }
    h.finish()
}

/// [`stable_hash_parts`] fed a piece at a time: [`StableHasher::part`] starts a part
/// (after a separator, but for the first), [`StableHasher::more`] continues it, so a
/// part written in pieces ("#" then digits) needs no joined copy.
#[derive(Debug, Clone, Copy)]
pub struct StableHasher {
    h: u64,
    started: bool,
}

impl Default for StableHasher {
    fn default() -> Self {
        StableHasher {
            h: 0xcbf2_9ce4_8422_2325,
            started: false,
        }
    }
}

impl StableHasher {
    /// Starts a new part with `bytes`.
    pub fn part(&mut self, bytes: &[u8]) {
        if self.started {
            self.more(&[0x1f]);
        }
        self.started = true;
        self.more(bytes);
    }

    /// Adds `bytes` to the current part.
    pub fn more(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.h ^= u64::from(b);
            self.h = self.h.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// The hash.
    pub fn finish(self) -> u64 {
        self.h
    }
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

/// Grid cells of this many degrees: a cell and its neighbours hold every place within
/// [`MERGE_KM`] of a point in it.
const CELL_DEG: f64 = 0.1;
/// Reports this close (km) are at the same place.
const MERGE_KM: f64 = 10.0;

/// Where a report can be paired: a grid cell for a place, its name for an unresolved
/// place.
#[derive(PartialEq, Eq, Hash, PartialOrd, Ord, Clone)]
enum Spot {
    Cell(i32, i32),
    Name(String),
}

fn cell_of(lat: f64, lon: f64) -> (i32, i32) {
    let cols = (360.0 / CELL_DEG) as i32;
    (
        ((lat + 90.0) / CELL_DEG).floor() as i32,
        (((lon + 180.0) / CELL_DEG).floor() as i32).rem_euclid(cols),
    )
}

/// The cells that may hold a place within [`MERGE_KM`] of (lat, lon): one row either
/// side (a degree of latitude is at least 110.5 km), and as many columns as the
/// parallel needs (wrapping at the antimeridian).
fn neighbour_cells(lat: f64, lon: f64) -> Vec<(i32, i32)> {
    let cols = (360.0 / CELL_DEG) as i32;
    let (row, _) = cell_of(lat, lon);
    // the narrowest parallel the rows span; a degree of longitude there is at least
    // 111.0 km times its cosine
    let worst = (lat.abs() + 2.0 * CELL_DEG).min(90.0).to_radians().cos();
    let dlon = if worst < 1e-3 {
        360.0
    } else {
        MERGE_KM / (111.0 * worst)
    };
    let columns: Vec<i32> = if dlon >= 180.0 {
        (0..cols).collect()
    } else {
        let a = ((lon - dlon + 180.0) / CELL_DEG).floor() as i32;
        let b = ((lon + dlon + 180.0) / CELL_DEG).floor() as i32;
        let mut c: Vec<i32> = (a..=b).map(|x| x.rem_euclid(cols)).collect();
        c.sort_unstable();
        c.dedup();
        c
    };
    (row - 1..=row + 1)
        .flat_map(|r| columns.iter().map(move |&c| (r, c)))
        .collect()
}

/// Calls `visit` for every pair of reports (i, j) that may be mergeable, and more: same
/// type, at neighbouring spots, with date ranges that overlap (or both undated). Found
/// with a grid and, per cell, reports sorted by their first day, so the work grows
/// with the candidate pairs, not with the square of the reports; nothing is collected.
fn for_each_candidate(reports: &[&Report], g: &Geocoder, mut visit: impl FnMut(usize, usize)) {
    type Bucket = Vec<(Option<crate::date::Date>, usize)>;
    let spots: Vec<Spot> = reports
        .iter()
        .map(|r| match r.location.place {
            Some(p) => {
                let p = g.place(p);
                let (row, col) = cell_of(p.lat, p.lon);
                Spot::Cell(row, col)
            }
            None => Spot::Name(crate::normalize::fold(&r.location.as_reported)),
        })
        .collect();
    let mut buckets: HashMap<(&str, &Spot), Bucket> = Default::default();
    for (i, r) in reports.iter().enumerate() {
        buckets
            .entry((r.event_type.as_str(), &spots[i]))
            .or_default()
            .push((r.dates.map(|d| d.start), i));
    }
    for b in buckets.values_mut() {
        b.sort_unstable();
    }
    for (i, r) in reports.iter().enumerate() {
        let near: Vec<Spot> = match r.location.place {
            Some(p) => {
                let p = g.place(p);
                neighbour_cells(p.lat, p.lon)
                    .into_iter()
                    .map(|(a, b)| Spot::Cell(a, b))
                    .collect()
            }
            None => vec![spots[i].clone()],
        };
        for sp in &near {
            let Some(b) = buckets.get(&(r.event_type.as_str(), sp)) else {
                continue;
            };
            // undated reports sort first; a dated report pairs with those that start
            // within its range (the earlier-starting one of a pair finds the other)
            let (lo, hi) = match r.dates {
                None => (0, b.partition_point(|(d, _)| d.is_none())),
                Some(d) => (
                    b.partition_point(|(s, _)| *s < Some(d.start)),
                    b.partition_point(|(s, _)| *s <= Some(d.end)),
                ),
            };
            for &(_, j) in &b[lo..hi] {
                if j != i {
                    visit(i, j);
                }
            }
        }
    }
}

/// The group a report merges within: its place's cluster ([`place_clusters`]), or
/// `?` and its folded name when unresolved (unresolved reports merge by name).
pub fn merge_group(r: &Report, g: &Geocoder) -> String {
    match r.location.place {
        Some(p) => g.merge_cluster(p).to_string(),
        None => format!("?{}", crate::normalize::fold(&r.location.as_reported)),
    }
}

/// The merge cluster of every gazetteer place: places joined by chains of places less
/// than `MERGE_KM` (10 km) apart share one, named by the smallest GeoNames id (or index)
/// among them. Reports at places of different clusters never merge, so clusters (and
/// unresolved names) cut a corpus into parts that can be merged apart with the
/// result of one merge (see `clashmap merge`).
pub fn place_clusters(g: &Geocoder) -> Vec<String> {
    let places = g.gazetteer().places();
    let n = places.len();
    let mut cells: HashMap<(i32, i32), Vec<usize>> = HashMap::default();
    for (i, p) in places.iter().enumerate() {
        cells.entry(cell_of(p.lat, p.lon)).or_default().push(i);
    }
    let mut parent: Vec<usize> = (0..n).collect();
    for (i, p) in places.iter().enumerate() {
        for c in neighbour_cells(p.lat, p.lon) {
            for &j in cells.get(&c).into_iter().flatten() {
                if j > i {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    if a != b
                        && geodesic_km((p.lat, p.lon), (places[j].lat, places[j].lon)) <= MERGE_KM
                    {
                        parent[a.max(b)] = a.min(b);
                    }
                }
            }
        }
    }
    let mut name: HashMap<usize, u64> = HashMap::default();
    for (i, p) in places.iter().enumerate() {
        let root = find(&mut parent, i);
        let id = match p.geonameid {
            0 => 1 << 40 | i as u64,
            g => g,
        };
        let e = name.entry(root).or_insert(id);
        *e = (*e).min(id);
    }
    (0..n)
        .map(|i| format!("P{}", name[&find(&mut parent, i)]))
        .collect()
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
pub fn merge(reports: Vec<Report>, geocoder: &Geocoder, merge: bool) -> Vec<Event> {
    let mut events: Vec<Event> = merge_groups(reports, geocoder, merge)
        .into_iter()
        .map(|g| build_event(g.into_iter().map(|(_, r)| r).collect()))
        .collect();
    events.sort_by(|a, b| {
        let da = a.dates.map(|d| d.start);
        let db = b.dates.map(|d| d.start);
        (da.is_none(), da, &a.id).cmp(&(db.is_none(), db, &b.id))
    });
    events
}

/// The groups [`merge`] makes events of, each with its reports in order (by article,
/// offset and id) and every report with its index in `reports`; groups in the order of
/// their first report.
pub(crate) fn merge_groups(
    reports: Vec<Report>,
    geocoder: &Geocoder,
    merge: bool,
) -> Vec<Vec<(usize, Report)>> {
    let mut reports: Vec<(usize, Report)> = reports.into_iter().enumerate().collect();
    reports.sort_by(|(_, a), (_, b)| {
        (a.article.as_str(), a.offset, &a.id).cmp(&(b.article.as_str(), b.offset, &b.id))
    });
    let n = reports.len();
    let mut parent: Vec<usize> = (0..n).collect();
    if merge {
        let sorted: Vec<&Report> = reports.iter().map(|(_, r)| r).collect();
        for_each_candidate(&sorted, geocoder, |i, j| {
            let (a, b) = (find(&mut parent, i), find(&mut parent, j));
            // reports of one article were already merged by the extractor; a pair
            // already joined needs no test
            if a != b
                && sorted[i].article != sorted[j].article
                && mergeable(sorted[i], sorted[j], geocoder)
            {
                parent[b.max(a)] = a.min(b);
            }
        });
    }
    let mut groups: Vec<Vec<(usize, Report)>> = Vec::new();
    let mut group_of: Vec<Option<usize>> = vec![None; n];
    for (i, r) in reports.into_iter().enumerate() {
        let root = find(&mut parent, i);
        let g = *group_of[root].get_or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(r);
    }
    groups
}

fn build_event(reports: Vec<Report>) -> Event {
    let mut ids: Vec<&str> = reports.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    let id = event_id(stable_hash(&ids.join(";")));
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

/// What the tests of merging share: a deterministic generator and a report maker.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// A small deterministic generator (xorshift), so the test needs no crate.
    pub(crate) struct Rng(pub(crate) u64);
    impl Rng {
        pub(crate) fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Up to `n` gazetteer places in and around Kabul: clusters, many within 10 km of
    /// each other.
    pub(crate) fn kabul_area(g: &Geocoder, n: usize) -> Vec<usize> {
        (0..g.gazetteer().places().len())
            .filter(|&i| {
                let p = g.place(i);
                (34.3..34.8).contains(&p.lat) && (69.0..69.4).contains(&p.lon)
            })
            .take(n)
            .collect()
    }

    /// Report `i` (of article `i / 2`, at offset `i`), resolved when `place` is given.
    pub(crate) fn report(
        i: usize,
        place: Option<usize>,
        name: &str,
        ty: &str,
        dates: Option<DayRange>,
    ) -> Report {
        Report {
            id: format!("R{i:05}"),
            article: format!("a{}", i / 2),
            language: "en".into(),
            location: Location {
                place,
                as_reported: name.into(),
                status: if place.is_some() {
                    PlaceStatus::Resolved
                } else {
                    PlaceStatus::Unresolved
                },
                match_kind: None,
                geo_precision: 1,
            },
            event_type: ty.into(),
            sub_event_type: String::new(),
            actor1: None,
            actor2: None,
            dates,
            fatalities: Fatalities::default(),
            claimed: None,
            evidence: Vec::new(),
            offset: i,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{Rng, kabul_area, report};
    use super::*;

    #[test]
    fn hex_and_decimal_are_those_of_format() {
        for n in [
            0u64,
            1,
            9,
            10,
            15,
            16,
            255,
            1 << 32,
            12_345_678_901,
            u64::MAX - 1,
            u64::MAX,
        ] {
            let (mut h, mut d) = (String::new(), String::new());
            push_hex16(&mut h, n);
            push_decimal(&mut d, n);
            assert_eq!(h, format!("{n:016x}"));
            assert_eq!(d, n.to_string());
            for signed in [n as i64, (n as i64).wrapping_neg()] {
                let mut i = String::new();
                push_integer(&mut i, signed);
                assert_eq!(i, signed.to_string());
            }
            assert_eq!(event_id(n), format!("CM{n:016x}"));
        }
    }
    use crate::date::Date;
    use crate::gazetteer::Gazetteer;

    #[test]
    fn hash_of_parts_is_the_hash_of_the_joined_string() {
        for parts in [
            vec!["a.txt", "kunduz", "Battles", "120"],
            vec!["", ""],
            vec!["één"],
        ] {
            let joined = parts.join("\u{1f}");
            let bytes: Vec<&[u8]> = parts.iter().map(|p| p.as_bytes()).collect();
            assert_eq!(stable_hash_parts(&bytes), stable_hash(&joined), "{parts:?}");
        }
        // a part given in pieces hashes as the part
        let mut h = StableHasher::default();
        h.part(b"a.txt");
        h.part(b"#");
        h.more(b"12");
        h.more(b"");
        h.part(b"Battles");
        assert_eq!(h.finish(), stable_hash("a.txt\u{1f}#12\u{1f}Battles"));
        assert_eq!(StableHasher::default().finish(), stable_hash(""));
        // a known FNV-1a 64 value, so a change of the function itself shows
        assert_eq!(stable_hash("a"), 0xaf63_dc4c_8601_ec8c);
    }

    /// The groups the all-pairs definition gives, as sorted report ids.
    fn brute_force(reports: &[Report], g: &Geocoder) -> Vec<Vec<String>> {
        let mut r = reports.to_vec();
        r.sort_by(|a, b| {
            (a.article.as_str(), a.offset, &a.id).cmp(&(b.article.as_str(), b.offset, &b.id))
        });
        let n = r.len();
        let mut parent: Vec<usize> = (0..n).collect();
        for i in 0..n {
            for j in i + 1..n {
                if r[i].article != r[j].article && mergeable(&r[i], &r[j], g) {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
        let mut groups: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
        for (i, rep) in r.iter().enumerate() {
            let root = find(&mut parent, i);
            groups.entry(root).or_default().push(rep.id.clone());
        }
        let mut out: Vec<Vec<String>> = groups.into_values().collect();
        out.iter_mut().for_each(|g| g.sort());
        out.sort();
        out
    }

    #[test]
    fn grid_merging_gives_the_all_pairs_groups() {
        let g = Geocoder::new(Gazetteer::embedded());
        // places in a few clusters (so that many lie within 10 km of each other)
        let places = kabul_area(&g, 40);
        assert!(places.len() >= 20, "Kabul area places: {}", places.len());
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let types = ["Battles", "Explosions/Remote violence"];
        let day0 = Date::from_ymd(2019, 9, 1).unwrap();
        let reports: Vec<Report> = (0..600)
            .map(|i| {
                let (place, name) = match rng.below(10) {
                    0 => (None, ["Qala", "Deh Now"][rng.below(2)]),
                    _ => (Some(places[rng.below(places.len())]), ""),
                };
                let dates = (rng.below(12) != 0).then(|| {
                    let s = day0.add_days(rng.below(40) as i32);
                    DayRange::new(s, s.add_days([0, 0, 1, 6, 29][rng.below(5)]))
                });
                report(i, place, name, types[rng.below(2)], dates)
            })
            .collect();
        let fast = merge(reports.clone(), &g, true);
        let mut got: Vec<Vec<String>> = fast
            .iter()
            .map(|e| {
                let mut ids: Vec<String> = e.reports.iter().map(|r| r.id.clone()).collect();
                ids.sort();
                ids
            })
            .collect();
        got.sort();
        let want = brute_force(&reports, &g);
        assert!(
            want.len() < 550,
            "the test data must merge: {} groups",
            want.len()
        );
        assert_eq!(got, want);
    }

    #[test]
    fn places_within_ten_km_share_a_merge_cluster() {
        let g = Geocoder::new(Gazetteer::embedded());
        let places = g.gazetteer().places();
        let clusters = place_clusters(&g);
        let (mut near, mut joined) = (0, 0);
        for i in 0..places.len() {
            for j in i + 1..places.len() {
                let (p, q) = (&places[i], &places[j]);
                // within 10 km needs less than 0.1 degree of latitude and, in this
                // region, 0.15 of longitude
                if (p.lat - q.lat).abs() < 0.1
                    && (p.lon - q.lon).abs() < 0.15
                    && geodesic_km((p.lat, p.lon), (q.lat, q.lon)) <= MERGE_KM
                {
                    near += 1;
                    assert_eq!(clusters[i], clusters[j], "{} and {}", p.name, q.name);
                } else if clusters[i] == clusters[j] {
                    joined += 1;
                }
            }
        }
        assert!(near > 100, "{near}");
        // clusters chain, so some far pairs share one; but not everything is one
        let distinct: std::collections::HashSet<&String> = clusters.iter().collect();
        assert!(
            distinct.len() > 100 && joined > 0,
            "{} clusters",
            distinct.len()
        );
    }

    #[test]
    fn neighbour_cells_cover_ten_km_across_the_antimeridian_and_far_north() {
        for (a, b) in [
            ((0.0, 179.99), (0.0, -179.97)),
            ((69.5, 20.0), (69.5, 20.25)),
            ((-45.0, 0.0), (-45.08, 0.0)),
        ] {
            assert!(geodesic_km(a, b) <= MERGE_KM, "{a:?} {b:?}");
            assert!(
                neighbour_cells(a.0, a.1).contains(&cell_of(b.0, b.1)),
                "{a:?} {b:?}"
            );
            assert!(
                neighbour_cells(b.0, b.1).contains(&cell_of(a.0, a.1)),
                "{a:?} {b:?}"
            );
        }
    }
}
