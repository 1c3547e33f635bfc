//! Maps: events drawn on the basemap as an SVG written directly (exact coordinates
//! with 2 decimals, one `<g>` layer per theme that Inkscape shows as a layer, `<title>`
//! on every marker, halos behind labels), and rasterised to PNG with resvg and the
//! bundled DejaVu Sans, so that the PNG is the same on every machine.
//!
//! Layers, bottom to top: neighbouring countries (muted, named; the world's countries
//! when the map reaches outside the detailed box), Afghanistan's
//! provinces (thin borders, named where there is room), the capital, distance lines
//! (dashed geodesics labelled "88 km (reported ~100 km)"), event markers (area by
//! fatalities, colour by ACLED type, Okabe-Ito colour-blind-safe palette), labels
//! (place and date, placed without overlaps), scale bar, north arrow, legend, title
//! and attribution.

pub mod chart;
pub mod labels;
pub mod projection;

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::Arc;

use geo::{Area, BoundingRect, InteriorPoint, MultiPolygon, Polygon};

use crate::basemap::Basemap;
use crate::date::Date;
use crate::export::distances::geodesic_path;
use labels::{Rect, place, text_width};
use projection::{Extent, Projection};

/// The font named first in every `font-family` (bundled for PNG rendering).
pub const FONT_FAMILY: &str = "DejaVu Sans, Verdana, Arial, sans-serif";
pub(crate) static FONT_REGULAR: &[u8] = include_bytes!("../../data/fonts/DejaVuSans.ttf");
pub(crate) static FONT_BOLD: &[u8] = include_bytes!("../../data/fonts/DejaVuSans-Bold.ttf");

/// The attribution every map carries.
pub const ATTRIBUTION: &str = "Place names: GeoNames (CC BY 4.0) · Boundaries: Natural Earth";

/// An event to draw.
///
/// Small, because a map of a large archive holds hundreds of thousands: what a drawn
/// marker alone needs (id, label, hover text) is in [`Marker`], which a map of more
/// than [`HEXBIN_ABOVE`] events does without.
#[derive(Debug, Clone, PartialEq)]
pub struct MapEvent {
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// ACLED event type (shared: a map has few).
    pub event_type: Arc<str>,
    /// Fatalities.
    pub fatalities: u64,
    /// First day, if known.
    pub date: Option<Date>,
    /// Last possible day, if known.
    pub date_end: Option<Date>,
    /// Keys of its sources (see [`source_key`]): the map counts the distinct ones.
    pub sources: Box<[u64]>,
    /// The marker's id and texts; without them an event is drawn unlabelled.
    pub marker: Option<Box<Marker>>,
}

/// What a single event's marker shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// The event id.
    pub id: String,
    /// Place name for the label.
    pub place: String,
    /// The hover text.
    pub title: String,
}

/// The key of a source (an article id) in [`MapEvent::sources`].
pub fn source_key(source: &str) -> u64 {
    crate::event::stable_hash(source)
}

/// A distance annotation between two events (indices into the events).
#[derive(Debug, Clone, PartialEq)]
pub struct MapLink {
    /// One event.
    pub from: usize,
    /// The other.
    pub to: usize,
    /// Geodesic distance, km.
    pub km: f64,
    /// Distance an article states, km, and whether approximately.
    pub reported: Option<(f64, bool)>,
}

/// How the map is made.
#[derive(Debug, Clone)]
pub struct MapOptions {
    /// Width of the SVG, px.
    pub width: f64,
    /// The extent; `None` fits the events.
    pub extent: Option<Extent>,
    /// The title; `None` makes one from the events.
    pub title: Option<String>,
    /// Whether to label events.
    pub labels: bool,
    /// Above this many events, markers aggregate into hexagons.
    pub hexbin_above: usize,
    /// How many distinct sources the events have, for the subtitle, when the caller
    /// knows (used when every event is inside the extent); `None` counts the events'
    /// [`MapEvent::sources`], which a caller giving the count may leave empty.
    pub source_count: Option<usize>,
    /// District outlines to draw as a faint layer over the provinces' fill and under
    /// their borders (`--districts`); empty draws none.
    pub districts: Vec<MultiPolygon<f64>>,
    /// Who to credit for the district outlines (added to the attribution when drawn).
    pub districts_credit: String,
    /// What the map is restricted to (a filter in words), added to the subtitle.
    pub note: String,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            width: 1200.0,
            extent: None,
            title: None,
            labels: true,
            hexbin_above: HEXBIN_ABOVE,
            source_count: None,
            districts: Vec::new(),
            districts_credit: String::new(),
            note: String::new(),
        }
    }
}

/// Above this many events a map aggregates markers into hexagons (and draws neither
/// labels nor distances), which keeps it readable and its SVG small.
pub const HEXBIN_ABOVE: usize = 2000;

/// Sequential colours for hexagon counts, light to dark (viridis: colour-blind safe).
const HEX_COLOURS: [&str; 6] = [
    "#fde725", "#7ad151", "#22a884", "#2a788e", "#414487", "#440154",
];

/// The colour of an ACLED event type (Okabe-Ito palette, safe for colour blindness).
pub fn type_colour(event_type: &str) -> &'static str {
    match event_type {
        "Battles" => "#D55E00",
        "Explosions/Remote violence" => "#0072B2",
        "Violence against civilians" => "#CC79A7",
        "Protests" => "#009E73",
        "Riots" => "#E69F00",
        "Strategic developments" => "#56B4E9",
        _ => "#555555",
    }
}

/// Fatalities at which a marker stops growing (its radius is then
/// [`marker_radius`]`(RADIUS_CAP_FATALITIES)`, 27 px): one event with a count of
/// thousands must not hide a province.
pub const RADIUS_CAP_FATALITIES: u64 = 100;

/// At most this many distances are drawn and labelled on a map.
pub const MAX_DISTANCE_LABELS: usize = 12;

/// Events of the same day closer than this (km) are neighbours worth a distance.
pub const NEAR_LABEL_KM: f64 = 150.0;

/// Marker radius for a fatality count: 5 px, plus a radius growing with the square
/// root of the count (the circle's area with the count), capped at
/// [`RADIUS_CAP_FATALITIES`].
pub fn marker_radius(fatalities: u64) -> f64 {
    5.0 + 2.2 * (fatalities.min(RADIUS_CAP_FATALITIES) as f64).sqrt()
}

/// The smallest radius of a marker of several events (its count must fit).
const GROUP_MIN_R: f64 = 9.0;

/// The counts the legend draws circles for, from none to the data's largest.
fn legend_fatalities(max: u64) -> Vec<u64> {
    let top = max.min(RADIUS_CAP_FATALITIES);
    match top {
        0 => vec![0],
        1..=10 => vec![0, top],
        _ => vec![0, 10, top],
    }
}

/// The events at one place, drawn as one marker.
#[derive(Debug, Clone)]
struct Spot {
    x: f64,
    y: f64,
    r: f64,
    /// Indices of its events, in the events' order.
    members: Vec<usize>,
    /// Their fatalities together.
    fatalities: u64,
    /// The last day of the latest of them.
    latest: Option<Date>,
    /// The type most of them have (the first seen of the most frequent).
    event_type: Arc<str>,
}

impl Spot {
    /// The label: place and date of one event, place and count of several.
    fn label(&self, events: &[MapEvent]) -> String {
        let first = &events[self.members[0]];
        let place = first
            .marker
            .as_ref()
            .map(|m| m.place.as_str())
            .unwrap_or("");
        if self.members.len() > 1 {
            return format!("{place} · {} events", self.members.len());
        }
        match first.date {
            Some(d) => format!("{place} · {}", date_label(d)),
            None => place.to_string(),
        }
    }
}

/// Groups events at the same point into spots (in order of first appearance).
fn spots_of(events: &[MapEvent], pos: &[(f64, f64, f64)]) -> Vec<Spot> {
    let mut index: std::collections::HashMap<(u64, u64), usize> = Default::default();
    let mut spots: Vec<Spot> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let k = *index
            .entry((e.lon.to_bits(), e.lat.to_bits()))
            .or_insert_with(|| {
                spots.push(Spot {
                    x: pos[i].0,
                    y: pos[i].1,
                    r: 0.0,
                    members: Vec::new(),
                    fatalities: 0,
                    latest: None,
                    event_type: e.event_type.clone(),
                });
                spots.len() - 1
            });
        let sp = &mut spots[k];
        sp.members.push(i);
        sp.fatalities = sp.fatalities.saturating_add(e.fatalities);
        sp.latest = sp.latest.max(e.date_end.or(e.date));
    }
    for sp in &mut spots {
        sp.r = marker_radius(sp.fatalities);
        if sp.members.len() > 1 {
            sp.r = sp.r.max(GROUP_MIN_R);
            let mut counts: Vec<(&str, usize)> = Vec::new();
            for &i in &sp.members {
                let t = &*events[i].event_type;
                match counts.iter_mut().find(|(c, _)| *c == t) {
                    Some(c) => c.1 += 1,
                    None => counts.push((t, 1)),
                }
            }
            let best = counts.iter().map(|c| c.1).max().unwrap_or(0);
            if let Some(&i) = sp.members.iter().find(|&&i| {
                counts
                    .iter()
                    .any(|c| c.0 == &*events[i].event_type && c.1 == best)
            }) {
                sp.event_type = events[i].event_type.clone();
            }
        }
    }
    spots
}

/// A label placed in its box: 12 px text with a white halo, its box in `data-box` (for
/// checks that labels overlap nothing).
fn label_text(out: &mut String, class: &str, fill: &str, rect: &Rect, text: &str) {
    let _ = writeln!(
        out,
        r##"<text class="{class}" x="{}" y="{}" font-size="12" fill="{fill}" stroke="#ffffff" stroke-width="3.5" stroke-linejoin="round" paint-order="stroke" data-box="{} {} {} {}">{}</text>"##,
        f2(rect.x + 2.0),
        f2(rect.y + 11.5),
        f2(rect.x),
        f2(rect.y),
        f2(rect.w),
        f2(rect.h),
        esc(text)
    );
}

/// Draws a spot: a circle (its id and hover text those of its event, or a summary of
/// its events), and the count of its events inside when more than one.
fn draw_spot(s: &mut String, sp: &Spot, events: &[MapEvent]) {
    let first = &events[sp.members[0]];
    let (id, title) = if sp.members.len() == 1 {
        match &first.marker {
            Some(m) => (
                format!(r#" id="event-{}""#, esc(&m.id)),
                format!("<title>{}</title>", esc(&m.title)),
            ),
            None => (String::new(), String::new()),
        }
    } else {
        let mut t = format!(
            "{} events here · fatalities {}",
            sp.members.len(),
            sp.fatalities
        );
        for &i in sp.members.iter().take(20) {
            if let Some(m) = &events[i].marker {
                t.push('\n');
                t.push_str(&m.title);
            }
        }
        if sp.members.len() > 20 {
            let _ = write!(t, "\n… and {} more", sp.members.len() - 20);
        }
        let id = first
            .marker
            .as_ref()
            .map(|m| format!(r#" id="events-{}""#, esc(&m.id)))
            .unwrap_or_default();
        (id, format!("<title>{}</title>", esc(&t)))
    };
    let _ = writeln!(
        s,
        r##"<circle{id} class="marker" cx="{}" cy="{}" r="{}" fill="{}" fill-opacity="0.85" stroke="#ffffff" stroke-width="1.5" data-events="{}">{title}</circle>"##,
        f2(sp.x),
        f2(sp.y),
        f2(sp.r),
        type_colour(&sp.event_type),
        sp.members.len()
    );
    if sp.members.len() > 1 {
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="{}" font-weight="bold" fill="#ffffff" text-anchor="middle">{}</text>"##,
            f2(sp.x),
            f2(sp.y + 4.0),
            if sp.members.len() > 99 { 9 } else { 11 },
            sp.members.len()
        );
    }
}

/// How a link ranks for a distance label: its class (stated first), fatalities and
/// latest day (both descending), and its index.
type Relevance = (
    u8,
    std::cmp::Reverse<u64>,
    std::cmp::Reverse<Option<Date>>,
    usize,
);

/// The links worth a distance on the map, most relevant first: those an article
/// states, then same-day neighbours within [`NEAR_LABEL_KM`] (both dated to a week at
/// most, their days overlapping); among each, the deadliest pair of places first,
/// then the most recent. One link per pair of spots; none within a spot.
fn distance_candidates(
    links: &[MapLink],
    events: &[MapEvent],
    spots: &[Spot],
    spot_of: &[usize],
) -> Vec<usize> {
    let same_days = |a: &MapEvent, b: &MapEvent| -> bool {
        let range = |e: &MapEvent| Some((e.date?, e.date_end.or(e.date)?));
        match (range(a), range(b)) {
            (Some((s1, e1)), Some((s2, e2))) => {
                s1.days_until(e1) <= 7 && s2.days_until(e2) <= 7 && s1 <= e2 && s2 <= e1
            }
            _ => false,
        }
    };
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<Relevance> = Vec::new();
    for (k, l) in links.iter().enumerate() {
        let (sa, sb) = (spot_of[l.from], spot_of[l.to]);
        if sa == sb || sa >= spots.len() || sb >= spots.len() {
            continue;
        }
        let class = if l.reported.is_some() {
            0
        } else if l.km <= NEAR_LABEL_KM && same_days(&events[l.from], &events[l.to]) {
            1
        } else {
            continue;
        };
        let dead = spots[sa].fatalities.saturating_add(spots[sb].fatalities);
        let latest = spots[sa].latest.max(spots[sb].latest);
        out.push((class, std::cmp::Reverse(dead), std::cmp::Reverse(latest), k));
    }
    out.sort();
    out.into_iter()
        .filter(|c| {
            let l = &links[c.3];
            let (a, b) = (spot_of[l.from], spot_of[l.to]);
            seen.insert((a.min(b), a.max(b)))
        })
        .map(|c| c.3)
        .collect()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn f2(x: f64) -> String {
    let s = format!("{x:.2}");
    if s == "-0.00" { "0.00".into() } else { s }
}

/// The Afghanistan extent (from the province polygons), with a margin.
pub fn country_extent(b: &Basemap) -> Extent {
    let r = b
        .country_bounds("AF")
        .expect("the basemap has Afghanistan's provinces");
    Extent {
        west: r.min().x,
        south: r.min().y,
        east: r.max().x,
        north: r.max().y,
    }
    .padded(0.04)
}

/// The extent that fits the events with a margin, at least 150 km across.
pub fn auto_extent(events: &[MapEvent], b: &Basemap) -> Extent {
    if events.is_empty() {
        return country_extent(b);
    }
    let (mut w, mut s, mut e, mut n) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for ev in events {
        w = w.min(ev.lon);
        e = e.max(ev.lon);
        s = s.min(ev.lat);
        n = n.max(ev.lat);
    }
    Extent {
        west: w,
        south: s,
        east: e,
        north: n,
    }
    .padded(0.25)
    .at_least_km(150.0)
    .with_min_aspect(0.5)
    .clamped()
}

/// A polygon ring as an SVG path, dropping points closer than `tolerance` px (in both
/// directions) to the last one kept.
fn ring_path(out: &mut String, ring: &geo::LineString<f64>, proj: &Projection, tolerance: f64) {
    let mut last: Option<(f64, f64)> = None;
    let mut n = 0;
    for c in ring.coords() {
        let p = proj.project(c.x, c.y);
        if let Some(l) = last
            && (l.0 - p.0).abs() < tolerance
            && (l.1 - p.1).abs() < tolerance
        {
            continue;
        }
        out.push_str(if n == 0 { "M" } else { "L" });
        let _ = write!(out, "{} {}", f2(p.0), f2(p.1));
        last = Some(p);
        n += 1;
    }
    out.push('Z');
}

fn polygon_path(mp: &MultiPolygon<f64>, proj: &Projection, extent: &Extent) -> String {
    let mut d = String::new();
    for poly in &mp.0 {
        let Some(bb) = poly.bounding_rect() else {
            continue;
        };
        if bb.max().x < extent.west
            || bb.min().x > extent.east
            || bb.max().y < extent.south
            || bb.min().y > extent.north
        {
            continue;
        }
        ring_path(&mut d, poly.exterior(), proj, 0.6);
        for hole in poly.interiors() {
            ring_path(&mut d, hole, proj, 0.6);
        }
    }
    d
}

/// Draws basemap areas (countries or provinces) with a fill and a border, each with
/// its name as a hover title.
fn draw_areas(
    s: &mut String,
    areas: &[crate::basemap::Area],
    proj: &Projection,
    extent: &Extent,
    fill: &str,
    stroke: &str,
    width: f64,
) {
    for a in areas {
        let d = polygon_path(&a.geometry, proj, extent);
        if !d.is_empty() {
            let _ = writeln!(
                s,
                r##"<path d="{d}" fill="{fill}" stroke="{stroke}" stroke-width="{width}" fill-rule="evenodd"><title>{}</title></path>"##,
                esc(&a.name)
            );
        }
    }
}

fn largest(mp: &MultiPolygon<f64>) -> Option<&Polygon<f64>> {
    mp.0.iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
}

fn date_label(d: Date) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, m, day) = d.ymd();
    format!("{day} {} {y}", MONTHS[m as usize - 1])
}

/// A "nice" scale-bar length (1, 2 or 5 times a power of ten) near `km`.
fn nice_km(km: f64) -> f64 {
    let p = 10f64.powf(km.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .filter(|v| *v <= km)
        .fold(p, f64::max)
}

/// The lowest count of colour class `k` for counts up to `max` (log steps).
fn hex_threshold(max: usize, k: usize) -> usize {
    if k == 0 {
        return 1;
    }
    let steps = HEX_COLOURS.len() as f64;
    ((max.max(1) as f64).powf(k as f64 / steps)).ceil() as usize
}

/// Draws events as hexagons (pointy-top, 11 px radius) coloured by count; returns the
/// highest count.
fn draw_hexbins(
    s: &mut String,
    pos: &[(f64, f64, f64)],
    events: &[MapEvent],
    frame: &Rect,
) -> usize {
    use std::collections::BTreeMap;
    let size = 11.0;
    let sqrt3 = 3f64.sqrt();
    let mut bins: BTreeMap<(i64, i64), (usize, u64)> = BTreeMap::new();
    for (i, &(x, y, _)) in pos.iter().enumerate() {
        let (x, y) = (x - frame.x, y - frame.y);
        let (q, r) = ((sqrt3 / 3.0 * x - y / 3.0) / size, (2.0 / 3.0 * y) / size);
        // cube rounding
        let (mut rq, mut rr, rs) = (q.round(), r.round(), (-q - r).round());
        let (dq, dr, ds) = ((rq - q).abs(), (rr - r).abs(), (rs + q + r).abs());
        if dq > dr && dq > ds {
            rq = -rr - rs;
        } else if dr > ds {
            rr = -rq - rs;
        }
        let b = bins.entry((rq as i64, rr as i64)).or_insert((0, 0));
        b.0 += 1;
        b.1 += events[i].fatalities;
    }
    let max = bins.values().map(|b| b.0).max().unwrap_or(1);
    for (&(q, r), &(n, f)) in &bins {
        let cx = frame.x + size * sqrt3 * (q as f64 + r as f64 / 2.0);
        let cy = frame.y + size * 1.5 * r as f64;
        let class = (0..HEX_COLOURS.len())
            .rev()
            .find(|&k| n >= hex_threshold(max, k))
            .unwrap_or(0);
        let mut d = String::new();
        for k in 0..6 {
            let a = std::f64::consts::PI / 180.0 * (60.0 * k as f64 - 30.0);
            let _ = write!(
                d,
                "{}{} {}",
                if k == 0 { "M" } else { "L" },
                f2(cx + size * a.cos()),
                f2(cy + size * a.sin())
            );
        }
        let _ = writeln!(
            s,
            r##"<path d="{d}Z" fill="{}" fill-opacity="0.85" stroke="#ffffff" stroke-width="0.5"><title>{n} events, {f} fatalities</title></path>"##,
            HEX_COLOURS[class]
        );
    }
    max
}

/// Draws the map (see the module doc).
pub fn render_svg(
    events: &[MapEvent],
    links: &[MapLink],
    basemap: &Basemap,
    opts: &MapOptions,
) -> String {
    let extent = opts.extent.unwrap_or_else(|| auto_extent(events, basemap));
    // inside the detailed box: the neighbours as clipped there; elsewhere, the world
    let detailed = Basemap::is_detailed(extent.west, extent.south, extent.east, extent.north);
    let countries: &[crate::basemap::Area] = if detailed {
        &basemap.countries
    } else {
        Basemap::world()
    };
    // only the events inside the extent are on the map (and in its legend and counts)
    let inside = |e: &MapEvent| {
        e.lon >= extent.west
            && e.lon <= extent.east
            && e.lat >= extent.south
            && e.lat <= extent.north
    };
    // (copied only when some are outside)
    let (kept, kept_links): (Cow<[MapEvent]>, Cow<[MapLink]>) = if events.iter().all(inside) {
        (Cow::Borrowed(events), Cow::Borrowed(links))
    } else {
        let mut remap = vec![None; events.len()];
        let mut kept: Vec<MapEvent> = Vec::new();
        for (i, e) in events.iter().enumerate() {
            if inside(e) {
                remap[i] = Some(kept.len());
                kept.push(e.clone());
            }
        }
        let kept_links: Vec<MapLink> = links
            .iter()
            .filter_map(|l| {
                Some(MapLink {
                    from: remap[l.from]?,
                    to: remap[l.to]?,
                    km: l.km,
                    reported: l.reported,
                })
            })
            .collect();
        (Cow::Owned(kept), Cow::Owned(kept_links))
    };
    let (events, links) = (&kept[..], &kept_links[..]);
    let hexbin = events.len() > opts.hexbin_above;
    // hexagons aggregate events; a line per pair of them would bury the map (and take
    // seconds to draw): distances stay in the distance layer's file
    let links = if hexbin { &[][..] } else { links };
    let (head, foot) = (70.0, 46.0);
    let proj = Projection::new(extent, 0.0, head, opts.width);
    let (w, h) = (opts.width, head + proj.height + foot);
    let frame = Rect {
        x: 0.0,
        y: head,
        w,
        h: proj.height,
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" width="{}" height="{}" viewBox="0 0 {} {}" font-family="{FONT_FAMILY}">"#,
        f2(w),
        f2(h),
        f2(w),
        f2(h)
    );
    let _ = writeln!(
        s,
        "<metadata><projection>{}</projection><extent>{:.4},{:.4},{:.4},{:.4}</extent></metadata>",
        esc(&proj.describe()),
        extent.west,
        extent.south,
        extent.east,
        extent.north
    );
    let _ = writeln!(
        s,
        r#"<defs><clipPath id="map-clip"><rect x="0" y="{}" width="{}" height="{}"/></clipPath></defs>"#,
        f2(head),
        f2(w),
        f2(proj.height)
    );
    let _ = writeln!(
        s,
        r##"<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>"##,
        f2(w),
        f2(h)
    );
    let layer = |s: &mut String, id: &str, label: &str, clip: bool| {
        let _ = writeln!(
            s,
            r#"<g id="{id}" inkscape:groupmode="layer" inkscape:label="{label}"{}>"#,
            if clip {
                r#" clip-path="url(#map-clip)""#
            } else {
                ""
            }
        );
    };
    // countries
    layer(&mut s, "countries", "Countries", true);
    let _ = writeln!(
        s,
        r##"<rect x="0" y="{}" width="{}" height="{}" fill="#dfe9f2"/>"##,
        f2(head),
        f2(w),
        f2(proj.height)
    );
    draw_areas(&mut s, countries, &proj, &extent, "#ecebe6", "#b8b5ad", 0.8);
    s.push_str("</g>\n");
    // provinces
    layer(&mut s, "provinces", "Provinces of Afghanistan", true);
    let provinces = |s: &mut String, fill: &str, stroke: &str, width: f64| {
        draw_areas(s, &basemap.provinces, &proj, &extent, fill, stroke, width);
    };
    if opts.districts.is_empty() {
        provinces(&mut s, "#fbfaf6", "#a6a39b", 0.6);
    } else {
        // the fill, then the districts, then the province borders over them
        provinces(&mut s, "#fbfaf6", "none", 0.0);
        s.push_str("</g>\n");
        layer(&mut s, "districts", "Districts", true);
        for d in &opts.districts {
            let path = polygon_path(d, &proj, &extent);
            if !path.is_empty() {
                let _ = writeln!(
                    s,
                    r##"<path d="{path}" fill="none" stroke="#cfccc4" stroke-width="0.4"/>"##
                );
            }
        }
        s.push_str("</g>\n");
        layer(&mut s, "province-borders", "Province borders", true);
        provinces(&mut s, "none", "#a6a39b", 0.6);
    }
    s.push_str("</g>\n");
    // markers: each event's position (hexagons bin these), and spots: the events at
    // one place share one marker (area by their fatalities, their count inside)
    let pos: Vec<(f64, f64, f64)> = events
        .iter()
        .map(|e| {
            let (x, y) = proj.project(e.lon, e.lat);
            (x, y, marker_radius(e.fatalities))
        })
        .collect();
    let spots: Vec<Spot> = if hexbin {
        Vec::new()
    } else {
        spots_of(events, &pos)
    };
    let mut spot_of = vec![usize::MAX; events.len()];
    for (k, sp) in spots.iter().enumerate() {
        for &i in &sp.members {
            spot_of[i] = k;
        }
    }
    // what is drawn: spots, or (under hexagons) every event's position
    let spot_marks: Vec<(f64, f64, f64)> = spots.iter().map(|sp| (sp.x, sp.y, sp.r)).collect();
    let drawn: &[(f64, f64, f64)] = if hexbin { &pos } else { &spot_marks };
    // the capital: marked unless an event is on it (its label then names it)
    let (kx, ky) = proj.project(69.17233, 34.52813);
    let capital_shown = detailed
        && frame.contains(&Rect {
            x: kx - 1.0,
            y: ky - 1.0,
            w: 2.0,
            h: 2.0,
        })
        && !drawn
            .iter()
            .any(|p| (p.0 - kx).abs() < p.2 + 4.0 && (p.1 - ky).abs() < p.2 + 4.0);
    // what labels, the legend and the inset keep clear of; events at one spot share a
    // box (a map of many events has far fewer spots than events)
    let bits = |r: &Rect| (r.x.to_bits(), r.y.to_bits(), r.w.to_bits(), r.h.to_bits());
    let mut seen = std::collections::HashSet::new();
    let marker_boxes: Vec<Rect> = drawn
        .iter()
        .map(|&(x, y, r)| Rect {
            x: x - r - 2.0,
            y: y - r - 2.0,
            w: 2.0 * r + 4.0,
            h: 2.0 * r + 4.0,
        })
        .filter(|r| seen.insert(bits(r)))
        .collect();
    drop(seen);
    let mut taken = marker_boxes.clone();
    if capital_shown {
        taken.push(Rect {
            x: kx - 5.0,
            y: ky - 8.0,
            w: 12.0 + text_width("Kabul", 12.0) + 7.0,
            h: 16.0,
        });
    }
    // place names of the basemap (muted), where there is room
    let mut names = String::new();
    for (area, size, colour) in countries
        .iter()
        .map(|c| (c, 15.0, "#9c988e"))
        .chain(basemap.provinces.iter().map(|p| (p, 11.0, "#8a877f")))
    {
        let Some(poly) = largest(&area.geometry) else {
            continue;
        };
        let Some(ip) = poly.interior_point() else {
            continue;
        };
        let (x, y) = proj.project(ip.x(), ip.y());
        let tw = text_width(&area.name, size);
        let bb = poly.bounding_rect().map(|r| {
            let (a, b) = (
                proj.project(r.min().x, r.max().y),
                proj.project(r.max().x, r.min().y),
            );
            (b.0 - a.0, b.1 - a.1)
        });
        let rect = Rect {
            x: x - tw / 2.0,
            y: y - size,
            w: tw,
            h: size * 1.3,
        };
        if bb.is_some_and(|(bw, bh)| bw > tw * 1.2 && bh > size * 2.5)
            && frame.contains(&rect)
            && !taken.iter().any(|t| t.overlaps(&rect))
        {
            taken.push(rect);
            let _ = writeln!(
                names,
                r#"<text x="{}" y="{}" font-size="{size}" fill="{colour}" text-anchor="middle" letter-spacing="0.5">{}</text>"#,
                f2(x),
                f2(y),
                esc(&area.name)
            );
        }
    }
    layer(&mut s, "basemap-names", "Province and country names", true);
    s.push_str(&names);
    s.push_str("</g>\n");
    // the capital
    layer(&mut s, "capital", "Capital", true);
    if capital_shown {
        let _ = writeln!(
            s,
            r##"<rect x="{}" y="{}" width="7" height="7" fill="#333333" transform="rotate(45 {} {})"><title>Kabul, capital of Afghanistan</title></rect>"##,
            f2(kx - 3.5),
            f2(ky - 3.5),
            f2(kx),
            f2(ky)
        );
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="12" fill="#333333" stroke="#ffffff" stroke-width="3" paint-order="stroke">Kabul</text>"##,
            f2(kx + 7.0),
            f2(ky + 4.0)
        );
    }
    s.push_str("</g>\n");
    // distances: those that tell something (stated by an article; same-day neighbours
    // within NEAR_LABEL_KM), most relevant first, at most MAX_DISTANCE_LABELS of them,
    // each label placed clear of markers and other labels; the rest stay in the
    // distance layer's file
    layer(&mut s, "distances", "Distances (geodesic)", true);
    let bottom = head + proj.height;
    let scale_bar = Rect {
        x: w - 0.3 * w,
        y: bottom - 44.0,
        w: 0.3 * w,
        h: 44.0,
    };
    let north = Rect {
        x: w - 44.0,
        y: head,
        w: 44.0,
        h: 60.0,
    };
    let mut obstacles = marker_boxes.clone();
    let mut blocked = taken.clone();
    blocked.push(scale_bar);
    blocked.push(north);
    let mut distance_labels = String::new();
    let mut distances_shown = 0usize;
    for k in distance_candidates(links, events, &spots, &spot_of) {
        if distances_shown == MAX_DISTANCE_LABELS {
            break;
        }
        let l = &links[k];
        let (a, b) = (&events[l.from], &events[l.to]);
        let path = geodesic_path((a.lat, a.lon), (b.lat, b.lon));
        let mid = path[path.len() / 2];
        let (mx, my) = proj.project(mid.0, mid.1);
        let mut text = format!("{:.0} km", l.km);
        if let Some((r, approx)) = l.reported {
            let _ = write!(
                text,
                " (reported {}{:.0} km)",
                if approx { "~" } else { "" },
                r
            );
        }
        if opts.labels {
            let spec = [(mx, my, 2.0, text_width(&text, 12.0) + 4.0, 15.0)];
            let Some(p) = place(&spec, &blocked, frame)[0].filter(|p| !p.leader) else {
                continue;
            };
            blocked.push(p.rect);
            taken.push(p.rect);
            obstacles.push(p.rect);
            label_text(
                &mut distance_labels,
                "distance-label",
                "#222222",
                &p.rect,
                &text,
            );
        }
        let mut d = String::new();
        for (k, (x, y)) in path.iter().enumerate() {
            let (px, py) = proj.project(*x, *y);
            let _ = write!(d, "{}{} {}", if k == 0 { "M" } else { "L" }, f2(px), f2(py));
        }
        let _ = writeln!(
            s,
            r##"<path class="distance" d="{d}" fill="none" stroke="#444444" stroke-width="1.4" stroke-dasharray="6 4"><title>{}</title></path>"##,
            esc(&text)
        );
        distances_shown += 1;
    }
    s.push_str(&distance_labels);
    s.push_str("</g>\n");
    layer(&mut s, "events", "Events", true);
    let mut hex_max = 0usize;
    if hexbin {
        hex_max = draw_hexbins(&mut s, &pos, events, &frame);
    }
    // the largest first, so that small markers stay on top
    let mut order: Vec<usize> = (0..spots.len()).collect();
    order.sort_by(|&a, &b| spots[b].r.total_cmp(&spots[a].r).then(a.cmp(&b)));
    for &k in &order {
        draw_spot(&mut s, &spots[k], events);
    }
    s.push_str("</g>\n");
    // legend box (computed first: labels avoid it)
    let types: std::collections::BTreeSet<&str> = events.iter().map(|e| &*e.event_type).collect();
    let mut types: Vec<&str> = types.into_iter().collect();
    if hexbin {
        types.clear();
    }
    // the fatality circles the legend shows: the data's real range
    let max_dead = spots.iter().map(|sp| sp.fatalities).max().unwrap_or(0);
    let legend_sizes = legend_fatalities(max_dead);
    let legend_r = legend_sizes
        .iter()
        .map(|&n| marker_radius(n))
        .fold(0.0, f64::max);
    let legend_h = if hexbin {
        96.0
    } else {
        20.0 + 20.0 * types.len() as f64 + 16.0 + 2.0 * legend_r + 52.0
    };
    // the legend and the locator inset go in corners free of markers and distances
    let (lw, iw) = (280.0, 190.0);
    let country = country_extent(basemap);
    let inset_proj = |x: f64, y: f64| Projection::new(country, x, y, iw);
    let ih = inset_proj(0.0, 0.0).height;
    obstacles.push(scale_bar);
    obstacles.push(north);
    let corners = |bw: f64, bh: f64| {
        [
            Rect {
                x: 12.0,
                y: bottom - bh - 12.0,
                w: bw,
                h: bh,
            },
            Rect {
                x: 12.0,
                y: head + 12.0,
                w: bw,
                h: bh,
            },
            Rect {
                x: w - bw - 12.0,
                y: bottom - bh - 52.0,
                w: bw,
                h: bh,
            },
            Rect {
                x: w - bw - 52.0,
                y: head + 12.0,
                w: bw,
                h: bh,
            },
        ]
    };
    let free = |r: &Rect, obstacles: &[Rect]| {
        frame.contains(r) && !obstacles.iter().any(|o| o.overlaps(r))
    };
    let legend = corners(lw, legend_h)
        .into_iter()
        .find(|r| free(r, &obstacles))
        .unwrap_or(corners(lw, legend_h)[0]);
    taken.push(legend);
    obstacles.push(legend);
    let zoomed = (extent.east - extent.west) < 0.5 * (country.east - country.west);
    let inset = if zoomed {
        corners(iw, ih)
            .into_iter()
            .find(|r| free(r, &obstacles))
            .map(|r| (r, inset_proj(r.x, r.y)))
    } else {
        None
    };
    if let Some((r, _)) = &inset {
        taken.push(*r);
    }
    // labels: the deadliest and most recent places first
    let mut dropped = 0;
    layer(&mut s, "labels", "Labels", true);
    if opts.labels && !hexbin {
        let mut labelled: Vec<usize> = (0..spots.len())
            .filter(|&k| events[spots[k].members[0]].marker.is_some())
            .collect();
        labelled.sort_by(|&a, &b| {
            (spots[b].fatalities, spots[b].latest)
                .cmp(&(spots[a].fatalities, spots[a].latest))
                .then(a.cmp(&b))
        });
        let texts: Vec<String> = labelled.iter().map(|&k| spots[k].label(events)).collect();
        let specs: Vec<(f64, f64, f64, f64, f64)> = labelled
            .iter()
            .zip(&texts)
            .map(|(&k, t)| {
                let sp = &spots[k];
                (sp.x, sp.y, sp.r, text_width(t, 12.0) + 4.0, 15.0)
            })
            .collect();
        let placed = place(&specs, &taken, frame);
        for (n, p) in placed.iter().enumerate() {
            let (sp, text) = (&spots[labelled[n]], &texts[n]);
            match p {
                Some(p) => {
                    if p.leader {
                        let (lx, ly) = (
                            p.rect.x.clamp(sp.x - 200.0, sp.x + 200.0),
                            p.rect.y + p.rect.h / 2.0,
                        );
                        let ex = if lx > sp.x {
                            p.rect.x
                        } else {
                            p.rect.x + p.rect.w
                        };
                        let _ = writeln!(
                            s,
                            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#666666" stroke-width="0.8"/>"##,
                            f2(sp.x),
                            f2(sp.y),
                            f2(ex),
                            f2(ly)
                        );
                    }
                    label_text(&mut s, "label", "#111111", &p.rect, text);
                }
                None => dropped += 1,
            }
        }
    }
    s.push_str("</g>\n");
    if let Some((r, ip)) = &inset {
        layer(&mut s, "locator", "Locator", false);
        let _ = writeln!(
            s,
            r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff" fill-opacity="0.92" stroke="#999999" stroke-width="0.8"/>"##,
            f2(r.x),
            f2(r.y),
            f2(r.w),
            f2(r.h)
        );
        let mut d = String::new();
        for p in &basemap.provinces {
            for poly in &p.geometry.0 {
                ring_path(&mut d, poly.exterior(), ip, 1.5);
            }
        }
        let _ = writeln!(
            s,
            r##"<path d="{d}" fill="#e4e2dc" stroke="#ffffff" stroke-width="0.3"/>"##
        );
        let (a, b) = (
            ip.project(extent.west, extent.north),
            ip.project(extent.east, extent.south),
        );
        let _ = writeln!(
            s,
            r##"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#D55E00" stroke-width="1.5"><title>The area of this map</title></rect>"##,
            f2(a.0),
            f2(a.1),
            f2(b.0 - a.0),
            f2(b.1 - a.1)
        );
        s.push_str("</g>\n");
    }
    // legend
    layer(&mut s, "legend", "Legend", false);
    let _ = writeln!(
        s,
        r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff" fill-opacity="0.92" stroke="#999999" stroke-width="0.8"/>"##,
        f2(legend.x),
        f2(legend.y),
        f2(legend.w),
        f2(legend.h)
    );
    let mut ly = legend.y + 20.0;
    if hexbin {
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="13" font-weight="bold" fill="#222222">Events per hexagon</text>"##,
            f2(legend.x + 10.0),
            f2(ly)
        );
        ly += 24.0;
        for (k, c) in HEX_COLOURS.iter().enumerate() {
            let x = legend.x + 10.0 + k as f64 * 42.0;
            let _ = writeln!(
                s,
                r##"<rect x="{}" y="{}" width="40" height="12" fill="{c}"/>"##,
                f2(x),
                f2(ly - 10.0)
            );
            let lo = hex_threshold(hex_max, k);
            let _ = writeln!(
                s,
                r##"<text x="{}" y="{}" font-size="10" fill="#222222">{lo}+</text>"##,
                f2(x),
                f2(ly + 14.0)
            );
        }
        ly += 34.0;
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="11" fill="#444444">{} events, aggregated (no labels, no distances)</text>"##,
            f2(legend.x + 10.0),
            f2(ly),
            events.len()
        );
    } else {
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="13" font-weight="bold" fill="#222222">Event type</text>"##,
            f2(legend.x + 10.0),
            f2(ly)
        );
        for t in &types {
            ly += 20.0;
            let _ = writeln!(
                s,
                r##"<circle cx="{}" cy="{}" r="6" fill="{}" stroke="#ffffff" stroke-width="1"/>"##,
                f2(legend.x + 18.0),
                f2(ly - 4.0),
                type_colour(t)
            );
            let _ = writeln!(
                s,
                r##"<text x="{}" y="{}" font-size="12" fill="#222222">{}</text>"##,
                f2(legend.x + 30.0),
                f2(ly),
                esc(t)
            );
        }
        ly += 16.0 + legend_r;
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="12" fill="#222222">Fatalities:</text>"##,
            f2(legend.x + 10.0),
            f2(ly + 4.0)
        );
        let mut kx = legend.x + 82.0;
        for &n in &legend_sizes {
            let r = marker_radius(n);
            let _ = writeln!(
                s,
                r##"<circle cx="{}" cy="{}" r="{}" fill="none" stroke="#555555" stroke-width="1"/>"##,
                f2(kx + r),
                f2(ly),
                f2(r)
            );
            let text = if n >= RADIUS_CAP_FATALITIES && max_dead > RADIUS_CAP_FATALITIES {
                format!("{n}+ (max {max_dead})")
            } else {
                n.to_string()
            };
            let _ = writeln!(
                s,
                r##"<text x="{}" y="{}" font-size="11" fill="#222222">{}</text>"##,
                f2(kx + 2.0 * r + 3.0),
                f2(ly + 4.0),
                esc(&text)
            );
            kx += 2.0 * r + 10.0 + text_width(&text, 11.0);
        }
        ly += legend_r + 22.0;
        let grouped = spots.iter().filter(|sp| sp.members.len() > 1).count();
        let note = format!(
            "- - distance: {distances_shown} of {} shown{}",
            links.len(),
            if grouped > 0 {
                " · number: events at one place"
            } else {
                ""
            }
        );
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="11" fill="#444444">{}</text>"##,
            f2(legend.x + 10.0),
            f2(ly),
            esc(&note)
        );
        ly += 16.0;
        let note = if dropped > 0 {
            format!(
                "{dropped} of {} places unlabelled (deadliest, latest first)",
                spots.len()
            )
        } else {
            "every place labelled".to_string()
        };
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="11" fill="#444444">{}</text>"##,
            f2(legend.x + 10.0),
            f2(ly),
            esc(&note)
        );
    }
    s.push_str("</g>\n");
    // scale bar, true at the map's centre
    layer(&mut s, "scale-bar", "Scale bar", false);
    let bar_km = nice_km(proj.width / proj.px_per_km / 5.0);
    let bar_px = bar_km * proj.px_per_km;
    let (bx, by) = (w - bar_px - 24.0, head + proj.height - 22.0);
    let _ = writeln!(
        s,
        r##"<rect x="{}" y="{}" width="{}" height="26" fill="#ffffff" fill-opacity="0.85"/>"##,
        f2(bx - 8.0),
        f2(by - 16.0),
        f2(bar_px + 16.0)
    );
    let _ = writeln!(
        s,
        r##"<path id="scale-bar-line" d="M{} {}L{} {}" stroke="#222222" stroke-width="2" data-km="{bar_km}" data-px="{}"/>"##,
        f2(bx),
        f2(by),
        f2(bx + bar_px),
        f2(by),
        f2(bar_px)
    );
    for x in [bx, bx + bar_px / 2.0, bx + bar_px] {
        let _ = writeln!(
            s,
            r##"<path d="M{} {}L{} {}" stroke="#222222" stroke-width="1.5"/>"##,
            f2(x),
            f2(by - 5.0),
            f2(x),
            f2(by + 3.0)
        );
    }
    let _ = writeln!(
        s,
        r##"<text x="{}" y="{}" font-size="11" fill="#222222" text-anchor="middle">{} km</text>"##,
        f2(bx + bar_px / 2.0),
        f2(by - 6.0),
        bar_km
    );
    s.push_str("</g>\n");
    // north arrow
    layer(&mut s, "north-arrow", "North arrow", false);
    let (nx, ny) = (w - 30.0, head + 18.0);
    let _ = writeln!(
        s,
        r##"<path d="M{} {}L{} {}L{} {}Z" fill="#222222"/><text x="{}" y="{}" font-size="12" font-weight="bold" text-anchor="middle" fill="#222222">N</text>"##,
        f2(nx),
        f2(ny),
        f2(nx - 7.0),
        f2(ny + 22.0),
        f2(nx + 7.0),
        f2(ny + 22.0),
        f2(nx),
        f2(ny + 36.0)
    );
    s.push_str("</g>\n");
    // title and subtitle
    layer(&mut s, "title", "Title", false);
    let first = events.iter().filter_map(|e| e.date).min();
    let last = events.iter().filter_map(|e| e.date_end.or(e.date)).max();
    let period = match (first, last) {
        (Some(a), Some(b)) if a == b => date_label(a),
        (Some(a), Some(b)) => format!("{} – {}", date_label(a), date_label(b)),
        _ => "dates unknown".into(),
    };
    let all_inside = matches!(kept, Cow::Borrowed(_));
    let sources = opts.source_count.filter(|_| all_inside).unwrap_or_else(|| {
        let distinct: std::collections::HashSet<u64> = events
            .iter()
            .flat_map(|e| e.sources.iter().copied())
            .collect();
        distinct.len()
    });
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| "Armed clashes and violence".into());
    let subtitle = if events.is_empty() {
        "No events to show".to_string()
    } else {
        format!(
            "{period} · {} events from {} sources{}",
            events.len(),
            sources,
            if opts.note.is_empty() {
                String::new()
            } else {
                format!(" · {}", opts.note)
            }
        )
    };
    let _ = writeln!(
        s,
        r##"<text x="16" y="32" font-size="22" font-weight="bold" fill="#111111">{}</text>"##,
        esc(&title)
    );
    let _ = writeln!(
        s,
        r##"<text x="16" y="56" font-size="14" fill="#444444">{}</text>"##,
        esc(&subtitle)
    );
    s.push_str("</g>\n");
    // attribution
    layer(&mut s, "attribution", "Attribution", false);
    let _ = writeln!(
        s,
        r##"<text x="{}" y="{}" font-size="11" fill="#555555" text-anchor="end">{}</text>"##,
        f2(w - 12.0),
        f2(h - 16.0),
        esc(&if opts.districts.is_empty() {
            ATTRIBUTION.to_string()
        } else {
            format!("{ATTRIBUTION} · Districts: {}", opts.districts_credit)
        })
    );
    let _ = writeln!(
        s,
        r##"<text x="12" y="{}" font-size="11" fill="#555555">Made with clashmap · geodesic distances on WGS84</text>"##,
        f2(h - 16.0)
    );
    s.push_str("</g>\n</svg>\n");
    s
}

/// A map rendering failure.
#[derive(Debug, thiserror::Error)]
#[error("cannot render the map: {0}")]
pub struct RenderError(pub(crate) String);

/// Rasterises an SVG of this module to PNG at its own size, with the bundled fonts.
pub fn render_png(svg: &str) -> Result<Vec<u8>, RenderError> {
    use resvg::{tiny_skia, usvg};
    let mut opt = usvg::Options::default();
    opt.fontdb_mut().load_font_data(FONT_REGULAR.to_vec());
    opt.fontdb_mut().load_font_data(FONT_BOLD.to_vec());
    opt.font_family = "DejaVu Sans".into();
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| RenderError(e.to_string()))?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| RenderError("empty size".into()))?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| RenderError(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn many(n: usize) -> Vec<MapEvent> {
        (0..n)
            .map(|i| MapEvent {
                lon: 61.0 + (i % 97) as f64 * 0.1,
                lat: 30.5 + (i % 61) as f64 * 0.1,
                event_type: "Battles".into(),
                fatalities: (i % 7) as u64,
                date: Date::from_ymd(2020, 1, 1),
                date_end: None,
                sources: Box::new([source_key("a")]),
                marker: Some(Box::new(Marker {
                    id: format!("E{i}"),
                    place: format!("P{i}"),
                    title: String::new(),
                })),
            })
            .collect()
    }

    #[test]
    fn many_events_aggregate_into_hexagons_and_stay_small() {
        // a link between each event and the next: none is drawn over hexagons
        let links: Vec<MapLink> = (0..9_999)
            .map(|i| MapLink {
                from: i,
                to: i + 1,
                km: 10.0,
                reported: None,
            })
            .collect();
        let svg = render_svg(
            &many(10_000),
            &links,
            Basemap::embedded(),
            &MapOptions::default(),
        );
        assert!(svg.len() < 2_000_000, "{} bytes", svg.len());
        assert!(
            !svg.contains("stroke-dasharray=\"6 4\""),
            "no distance lines"
        );
        assert!(svg.contains("Events per hexagon"));
        assert!(!svg.contains("<circle id=\"event-"), "no single markers");
        let few = render_svg(&many(50), &[], Basemap::embedded(), &MapOptions::default());
        assert!(few.contains("<circle id=\"event-E0\""));
    }

    #[test]
    fn nice_scale_lengths() {
        assert_eq!(nice_km(73.0), 50.0);
        assert_eq!(nice_km(230.0), 200.0);
        assert_eq!(nice_km(9.0), 5.0);
    }
}
